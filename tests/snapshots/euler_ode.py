# ---- reverse: s2s.grad

def deuler_ode_dy0_dk(y0, k, *, dy=1.0):
    stack = []
    t = None
    t_1 = None
    t_2 = None
    t_4 = None
    y = y0                              # programs.py:394
    r = range(5)                        # programs.py:395
    for i in r:                         # programs.py:395
        stack.append(t)                 # programs.py:396
        t = -k                          # programs.py:396
        stack.append(shape_of(t_1))     # programs.py:396
        t_1 = t * y                     # programs.py:396
        stack.append(shape_of(t_2))     # programs.py:396
        t_2 = np.sin(y)                 # programs.py:396
        t_3 = t_1 + t_2                 # programs.py:396
        stack.append(shape_of(t_4))     # programs.py:396
        t_4 = 0.1 * t_3                 # programs.py:396
        y_1 = y + t_4                   # programs.py:396
        stack.append(y)                 # programs.py:396
        y = y_1                         # programs.py:396
    dy = init_grad(y, dy)
    dk = zeros_like(k)                  # programs.py:395
    for i in reversed(r):               # programs.py:395
        dy_1 = dy                       # programs.py:396
        y = stack.pop()                 # programs.py:396
        dy = unbroadcast(dy_1, y)       # programs.py:396
        dt_4 = unbroadcast(dy_1, t_4)   # programs.py:396
        dt_3 = dt_4 * 0.1               # programs.py:396
        t_4 = stack.pop()               # programs.py:396
        dt_1 = unbroadcast(dt_3, t_1)   # programs.py:396
        dt_2 = unbroadcast(dt_3, t_2)   # programs.py:396
        dy = dy + dt_2 * np.cos(y)      # programs.py:396
        t_2 = stack.pop()               # programs.py:396
        dt = unbroadcast(dt_1 * y, t)   # programs.py:396
        dy += unbroadcast(dt_1 * t, y)  # programs.py:396
        t_1 = stack.pop()               # programs.py:396
        dk += -dt                       # programs.py:396
        t = stack.pop()                 # programs.py:396
    return dy, as_grad(dk, k)

# ---- forward: s2s.jvp

def jvp_euler_ode_dy0_dk(y0, k, dy0=1.0, dk=1.0):
    dy0 = init_grad(y0, dy0)
    dk = init_grad(k, dk)
    y = y0                      # programs.py:394
    dy = dy0                    # programs.py:394
    r = range(5)                # programs.py:395
    for i in r:                 # programs.py:395
        t = -k                  # programs.py:396
        dt = -dk                # programs.py:396
        t_1 = t * y             # programs.py:396
        dt_1 = dt * y + t * dy  # programs.py:396
        t_2 = np.sin(y)         # programs.py:396
        dt_2 = dy * np.cos(y)   # programs.py:396
        t_3 = t_1 + t_2         # programs.py:396
        dt_3 = dt_1 + dt_2      # programs.py:396
        t_4 = 0.1 * t_3         # programs.py:396
        dt_4 = 0.1 * dt_3       # programs.py:396
        y_1 = y + t_4           # programs.py:396
        dy_1 = dy + dt_4        # programs.py:396
        y = y_1                 # programs.py:396
        dy = dy_1               # programs.py:396
    return dy                   # programs.py:397

# ---- forward over reverse: s2s.hvp

def hvp_euler_ode_dy0_dk(y0, k, dy0=1.0, dk_2=1.0):
    dy0 = init_grad(y0, dy0)
    dk_2 = init_grad(k, dk_2)
    dy = seed
    stack = []
    dstack = []
    t = None
    t_1 = None
    t_2 = None
    t_4 = None
    y = y0                                # programs.py:394
    dy_5 = dy0                            # programs.py:394
    r = range(5)                          # programs.py:395
    r_1 = range(len(r))                   # programs.py:395
    dt_5 = 0.0                            # programs.py:395
    for k_1 in r_1:                       # programs.py:395
        stack.append(t)                   # programs.py:396
        dstack.append(dt_5)               # programs.py:396
        t = -k                            # programs.py:396
        dt_5 = -dk_2                      # programs.py:396
        t_5 = shape_of(t_1)               # programs.py:396
        stack.append(t_5)                 # programs.py:396
        dstack.append(zeros_like(t_5))    # programs.py:396
        t_1 = t * y                       # programs.py:396
        dt_1_1 = dt_5 * y + t * dy_5      # programs.py:396
        t_6 = shape_of(t_2)               # programs.py:396
        stack.append(t_6)                 # programs.py:396
        dstack.append(zeros_like(t_6))    # programs.py:396
        t_2 = np.sin(y)                   # programs.py:396
        dt_2_1 = dy_5 * np.cos(y)         # programs.py:396
        t_3 = t_1 + t_2                   # programs.py:396
        dt_3_1 = dt_1_1 + dt_2_1          # programs.py:396
        t_7 = shape_of(t_4)               # programs.py:396
        stack.append(t_7)                 # programs.py:396
        dstack.append(zeros_like(t_7))    # programs.py:396
        t_4 = 0.1 * t_3                   # programs.py:396
        dt_4_1 = 0.1 * dt_3_1             # programs.py:396
        y_1 = y + t_4                     # programs.py:396
        dy_1_1 = dy_5 + dt_4_1            # programs.py:396
        stack.append(y)                   # programs.py:396
        dstack.append(dy_5)               # programs.py:396
        y = y_1                           # programs.py:396
        dy_5 = dy_1_1                     # programs.py:396
    dy = init_grad(y, dy)
    dk = zeros_like(k)                    # programs.py:395
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:395
    ddk = zeros_like(dk)                  # programs.py:395
    ddy = zeros_like(dy)                  # programs.py:395
    for k_2 in r_2:                       # programs.py:395
        dy_1 = dy                         # programs.py:396
        ddy_1 = ddy                       # programs.py:396
        y = stack.pop()                   # programs.py:396
        dy_5 = dstack.pop()               # programs.py:396
        dy = unbroadcast(dy_1, y)         # programs.py:396
        ddy = unbroadcast(ddy_1, y)       # programs.py:396
        dt_4 = unbroadcast(dy_1, t_4)     # programs.py:396
        ddt_4 = unbroadcast(ddy_1, t_4)   # programs.py:396
        dt_3 = dt_4 * 0.1                 # programs.py:396
        ddt_3 = ddt_4 * 0.1               # programs.py:396
        t_4 = stack.pop()                 # programs.py:396
        dt_4_1 = dstack.pop()             # programs.py:396
        dt_1 = unbroadcast(dt_3, t_1)     # programs.py:396
        ddt_1 = unbroadcast(ddt_3, t_1)   # programs.py:396
        dt_2 = unbroadcast(dt_3, t_2)     # programs.py:396
        ddt_2 = unbroadcast(ddt_3, t_2)   # programs.py:396
        t_9 = np.cos(y)                   # programs.py:396
        dt_9 = -dy_5 * np.sin(y)          # programs.py:396
        t_10 = dt_2 * t_9                 # programs.py:396
        dt_10 = ddt_2 * t_9 + dt_2 * dt_9  # programs.py:396
        dy_3 = dy + t_10                  # programs.py:396
        ddy_3 = ddy + dt_10               # programs.py:396
        dy = dy_3                         # programs.py:396
        ddy = ddy_3                       # programs.py:396
        t_2 = stack.pop()                 # programs.py:396
        dt_2_1 = dstack.pop()             # programs.py:396
        dt_11 = ddt_1 * y + dt_1 * dy_5   # programs.py:396
        ddt = unbroadcast(dt_11, t)       # programs.py:396
        t_12 = dt_1 * t                   # programs.py:396
        dt_12 = ddt_1 * t + dt_1 * dt_5   # programs.py:396
        t_13 = unbroadcast(t_12, y)       # programs.py:396
        dt_13 = unbroadcast(dt_12, y)     # programs.py:396
        dy_4 = dy + t_13                  # programs.py:396
        ddy_4 = ddy + dt_13               # programs.py:396
        dy = dy_4                         # programs.py:396
        ddy = ddy_4                       # programs.py:396
        t_1 = stack.pop()                 # programs.py:396
        dt_1_1 = dstack.pop()             # programs.py:396
        ddk = ddk + -ddt                  # programs.py:396
        t = stack.pop()                   # programs.py:396
        dt_5 = dstack.pop()               # programs.py:396
    return ddy, as_grad(ddk, k)
