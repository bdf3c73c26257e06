# ---- reverse: s2s.grad

def dbranches_dx(x, *, dy=1.0):
    cond = x > 1.0                  # programs.py:21
    if cond:                        # programs.py:26
        y = x ** 2                  # programs.py:22
    else:
        cond_1 = x > 0.0            # programs.py:23
        if cond_1:                  # programs.py:26
            y = math.sin(x)         # programs.py:24
        else:
            y = -x * 3.0            # programs.py:26
    cond_2 = y > 2.0                # programs.py:27
    if cond_2:                      # programs.py:30
        cond_3 = x > 3.0            # programs.py:28
        if cond_3:                  # programs.py:29
            y = y * 2.0             # programs.py:29
        y = y + x                   # programs.py:30
    if cond_2:                      # programs.py:30
        dx = dy                     # programs.py:30
        if cond_3:                  # programs.py:29
            dy = dy * 2.0           # programs.py:29
    else:
        dx = 0.0                    # programs.py:30
    if cond:                        # programs.py:26
        dx = dx + dy * 2 * x        # programs.py:22
    elif cond_1:                    # programs.py:26
        dx = dx + dy * math.cos(x)  # programs.py:24
    else:
        dx = dx - dy * 3.0          # programs.py:26
    return dx

# ---- forward: s2s.jvp

def jvp_branches_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    cond = x > 1.0                 # programs.py:21
    if cond:                       # programs.py:26
        y = x ** 2                 # programs.py:22
        dy = dx * 2 * x            # programs.py:22
    else:
        cond_1 = x > 0.0           # programs.py:23
        if cond_1:                 # programs.py:26
            y = math.sin(x)        # programs.py:24
            dy = dx * math.cos(x)  # programs.py:24
        else:
            t = -x                 # programs.py:26
            dt = -dx               # programs.py:26
            y = t * 3.0            # programs.py:26
            dy = dt * 3.0          # programs.py:26
    if y > 2.0:                    # programs.py:30
        if x > 3.0:                # programs.py:29
            dy = dy * 2.0          # programs.py:29
        dy = dy + dx               # programs.py:30
    return dy                      # programs.py:31

# ---- forward over reverse: s2s.hvp

def hvp_branches_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dy = seed
    cond = x > 1.0                        # programs.py:21
    if cond:                              # programs.py:26
        y = x ** 2                        # programs.py:22
    else:
        cond_1 = x > 0.0                  # programs.py:23
        if cond_1:                        # programs.py:26
            y = math.sin(x)               # programs.py:24
        else:
            y = -x * 3.0                  # programs.py:26
    cond_2 = y > 2.0                      # programs.py:27
    if cond_2:                            # programs.py:30
        cond_3 = x > 3.0                  # programs.py:28
    if cond_2:                            # programs.py:30
        grad_x = dy                       # programs.py:30
        if cond_3:                        # programs.py:29
            dy = dy * 2.0                 # programs.py:29
    else:
        grad_x = 0.0                      # programs.py:30
    if cond:                              # programs.py:26
        t_1 = dy * 2                      # programs.py:22
        ddx = tangent_like(t_1 * dx, grad_x + t_1 * x)  # programs.py:22
    elif cond_1:                          # programs.py:26
        t_3 = math.cos(x)                 # programs.py:24
        ddx = tangent_like(dy * (-dx * math.sin(x)), grad_x + dy * t_3)  # programs.py:24
    else:
        grad_x = grad_x - dy * 3.0        # programs.py:26
        ddx = zeros_like(grad_x)          # programs.py:26
    return ddx
