# ---- reverse: s2s.grad

def dearly_return_dx(x, *, dretval=1.0):
    stack = []
    cond_2 = None
    returned = False                      # programs.py:85
    cond = x > 2.0                        # programs.py:85
    if cond:                              # programs.py:86
        retval = x ** 2                   # programs.py:86
        returned = True                   # programs.py:86
    cond_1 = not returned                 # programs.py:87
    if cond_1:                            # programs.py:92
        y = x * 3.0                       # programs.py:87
        r = range(4)                      # programs.py:88
        n_iter = 0                        # programs.py:88
        for i in r:                       # programs.py:88
            n_iter = n_iter + 1           # programs.py:88
            y_1 = y * x                   # programs.py:89
            stack.append(y)               # programs.py:89
            y = y_1                       # programs.py:89
            stack.append(cond_2)          # programs.py:90
            cond_2 = y > 100.0            # programs.py:90
            if cond_2:                    # programs.py:91
                retval = y                # programs.py:91
                returned = True           # programs.py:91
            if returned:                  # programs.py:88
                break                     # programs.py:88
        cond_4 = not returned             # programs.py:92
        if cond_4:                        # programs.py:92
            retval = -y                   # programs.py:92
            returned = True               # programs.py:92
    dretval = init_grad(retval, dretval)
    if cond_1:                            # programs.py:92
        if cond_4:                        # programs.py:92
            dy = -dretval                 # programs.py:92
            dretval = 0.0                 # programs.py:92
        else:
            dy = 0.0                      # programs.py:92
        dx = zeros_like(x)                # programs.py:88
        for i in reversed(r[:n_iter]):    # programs.py:88
            if cond_2:                    # programs.py:91
                dy = dy + dretval         # programs.py:91
                dretval = 0.0             # programs.py:91
            cond_2 = stack.pop()          # programs.py:90
            dy_1 = dy                     # programs.py:89
            y = stack.pop()               # programs.py:89
            dy = unbroadcast(dy_1 * x, y)  # programs.py:89
            dx += unbroadcast(dy_1 * y, x)  # programs.py:89
        dx += dy * 3.0                    # programs.py:87
    else:
        dx = 0.0                          # programs.py:92
    if cond:                              # programs.py:86
        dx = dx + dretval * 2 * x         # programs.py:86
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_early_return_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    returned = False                # programs.py:85
    if x > 2.0:                     # programs.py:86
        dretval = dx * 2 * x        # programs.py:86
        returned = True             # programs.py:86
    cond_1 = not returned           # programs.py:87
    if cond_1:                      # programs.py:92
        y = x * 3.0                 # programs.py:87
        dy = dx * 3.0               # programs.py:87
        r = range(4)                # programs.py:88
        for i in r:                 # programs.py:88
            y_1 = y * x             # programs.py:89
            dy_1 = dy * x + y * dx  # programs.py:89
            y = y_1                 # programs.py:89
            dy = dy_1               # programs.py:89
            if y > 100.0:           # programs.py:91
                dretval = dy        # programs.py:91
                returned = True     # programs.py:91
            if returned:            # programs.py:88
                break               # programs.py:88
        if not returned:            # programs.py:92
            dretval = -dy           # programs.py:92
    return dretval                  # programs.py:92

# ---- forward over reverse: s2s.hvp

def hvp_early_return_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dretval = seed
    stack = []
    dstack = []
    cond_2 = None
    returned = False                      # programs.py:85
    cond = x > 2.0                        # programs.py:85
    if cond:                              # programs.py:86
        retval = x ** 2                   # programs.py:86
        returned = True                   # programs.py:86
    cond_1 = not returned                 # programs.py:87
    if cond_1:                            # programs.py:92
        y = x * 3.0                       # programs.py:87
        d_y = dx * 3.0                    # programs.py:87
        r = range(4)                      # programs.py:88
        n_iter = 0                        # programs.py:88
        broke = False                     # programs.py:88
        r_1 = range(len(r))               # programs.py:88
        for k in r_1:                     # programs.py:88
            n_iter = n_iter + 1           # programs.py:88
            y_1 = y * x                   # programs.py:89
            d_y_1 = d_y * x + y * dx      # programs.py:89
            stack.append(y)               # programs.py:89
            dstack.append(d_y)            # programs.py:89
            y = y_1                       # programs.py:89
            d_y = d_y_1                   # programs.py:89
            stack.append(cond_2)          # programs.py:90
            dstack.append(zeros_like(cond_2))  # programs.py:90
            cond_2 = y > 100.0            # programs.py:90
            if cond_2:                    # programs.py:91
                retval = y                # programs.py:91
                returned = True           # programs.py:91
            if returned:                  # programs.py:88
                broke = True              # programs.py:88
            if broke:                     # programs.py:88
                break                     # programs.py:88
        cond_4 = not returned             # programs.py:92
        if cond_4:                        # programs.py:92
            retval = -y                   # programs.py:92
    dretval = init_grad(retval, dretval)
    if cond_1:                            # programs.py:92
        if cond_4:                        # programs.py:92
            dy = -dretval                 # programs.py:92
            dretval = 0.0                 # programs.py:92
        else:
            dy = 0.0                      # programs.py:92
        grad_x = zeros_like(x)            # programs.py:88
        r_2 = range(len(r[:n_iter]) - 1, -1, -1)  # programs.py:88
        ddx = zeros_like(grad_x)          # programs.py:88
        ddy = zeros_like(dy)              # programs.py:88
        for k_1 in r_2:                   # programs.py:88
            if cond_2:                    # programs.py:91
                dy_2 = dy + dretval       # programs.py:91
                ddy_2 = tangent_like(ddy, dy_2)  # programs.py:91
                dy = dy_2                 # programs.py:91
                ddy = ddy_2               # programs.py:91
                dretval = 0.0             # programs.py:91
            cond_2 = stack.pop()          # programs.py:90
            dcond_2 = dstack.pop()        # programs.py:90
            dy_1 = dy                     # programs.py:89
            ddy_1 = ddy                   # programs.py:89
            y = stack.pop()               # programs.py:89
            d_y = dstack.pop()            # programs.py:89
            t_1 = dy_1 * x                # programs.py:89
            dt_1 = ddy_1 * x + dy_1 * dx  # programs.py:89
            dy = unbroadcast(t_1, y)      # programs.py:89
            ddy = unbroadcast(dt_1, y)    # programs.py:89
            ddx = ddx + unbroadcast(ddy_1 * y + dy_1 * d_y, x)  # programs.py:89
        ddx = ddx + ddy * 3.0             # programs.py:87
    else:
        ddx = 0.0                         # programs.py:92
    if cond:                              # programs.py:86
        ddx = ddx + dretval * 2 * dx      # programs.py:86
    return as_grad(ddx, x)
