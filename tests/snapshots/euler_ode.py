# ---- reverse: s2s.grad

def deuler_ode_dy0_dk(y0, k, *, dy=1.0):
    stack = []
    t = None
    t_1 = None
    t_2 = None
    t_4 = None
    y = y0                                # programs.py:394
    r = range(5)                          # programs.py:395
    for i in r:                           # programs.py:395
        stack.append(t)                   # programs.py:396
        t = -k                            # programs.py:396
        stack.append(shape_of(t_1))       # programs.py:396
        t_1 = t * y                       # programs.py:396
        stack.append(shape_of(t_2))       # programs.py:396
        t_2 = np.sin(y)                   # programs.py:396
        t_3 = t_1 + t_2                   # programs.py:396
        stack.append(shape_of(t_4))       # programs.py:396
        t_4 = 0.1 * t_3                   # programs.py:396
        y_1 = y + t_4                     # programs.py:396
        stack.append(y)                   # programs.py:396
        y = y_1                           # programs.py:396
    dy = init_grad(y, dy)
    dk = zeros_like(k)                    # programs.py:395
    for i in reversed(r):                 # programs.py:395
        dy_1 = dy                         # programs.py:396
        y = stack.pop()                   # programs.py:396
        dy = unbroadcast(dy_1, y)         # programs.py:396
        dt_3 = unbroadcast(dy_1, t_4) * 0.1  # programs.py:396
        t_4 = stack.pop()                 # programs.py:396
        dt_1 = unbroadcast(dt_3, t_1)     # programs.py:396
        dy = dy + unbroadcast(dt_3, t_2) * np.cos(y)  # programs.py:396
        t_2 = stack.pop()                 # programs.py:396
        dt = unbroadcast(dt_1 * y, t)     # programs.py:396
        dy += unbroadcast(dt_1 * t, y)    # programs.py:396
        t_1 = stack.pop()                 # programs.py:396
        dk += -dt                         # programs.py:396
        t = stack.pop()                   # programs.py:396
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

def hvp_euler_ode_dy0_dk(y0, k, dy0=1.0, dk=1.0):
    dy0 = init_grad(y0, dy0)
    dk = init_grad(k, dk)
    dy = seed
    stack = []
    dstack = []
    t = None
    t_1 = None
    t_2 = None
    t_4 = None
    y = y0                                # programs.py:394
    d_y = dy0                             # programs.py:394
    r = range(5)                          # programs.py:395
    r_1 = range(len(r))                   # programs.py:395
    d_t = 0.0                             # programs.py:395
    for k_1 in r_1:                       # programs.py:395
        stack.append(t)                   # programs.py:396
        dstack.append(d_t)                # programs.py:396
        t = -k                            # programs.py:396
        d_t = -dk                         # programs.py:396
        tmp = shape_of(t_1)               # programs.py:396
        stack.append(tmp)                 # programs.py:396
        dstack.append(zeros_like(tmp))    # programs.py:396
        t_1 = t * y                       # programs.py:396
        d_t_1 = d_t * y + t * d_y         # programs.py:396
        tmp_1 = shape_of(t_2)             # programs.py:396
        stack.append(tmp_1)               # programs.py:396
        dstack.append(zeros_like(tmp_1))  # programs.py:396
        t_2 = np.sin(y)                   # programs.py:396
        d_t_2 = d_y * np.cos(y)           # programs.py:396
        t_3 = t_1 + t_2                   # programs.py:396
        d_t_3 = d_t_1 + d_t_2             # programs.py:396
        tmp_2 = shape_of(t_4)             # programs.py:396
        stack.append(tmp_2)               # programs.py:396
        dstack.append(zeros_like(tmp_2))  # programs.py:396
        t_4 = 0.1 * t_3                   # programs.py:396
        d_t_4 = 0.1 * d_t_3               # programs.py:396
        y_1 = y + t_4                     # programs.py:396
        d_y_1 = d_y + d_t_4               # programs.py:396
        stack.append(y)                   # programs.py:396
        dstack.append(d_y)                # programs.py:396
        y = y_1                           # programs.py:396
        d_y = d_y_1                       # programs.py:396
    dy = init_grad(y, dy)
    grad_k = zeros_like(k)                # programs.py:395
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:395
    ddk = zeros_like(grad_k)              # programs.py:395
    ddy = zeros_like(dy)                  # programs.py:395
    for k_2 in r_2:                       # programs.py:395
        dy_1 = dy                         # programs.py:396
        ddy_1 = ddy                       # programs.py:396
        y = stack.pop()                   # programs.py:396
        d_y = dstack.pop()                # programs.py:396
        dy = unbroadcast(dy_1, y)         # programs.py:396
        ddy = unbroadcast(ddy_1, y)       # programs.py:396
        tmp_4 = unbroadcast(dy_1, t_4)    # programs.py:396
        dtmp_4 = unbroadcast(ddy_1, t_4)  # programs.py:396
        dt_3 = tmp_4 * 0.1                # programs.py:396
        ddt_3 = dtmp_4 * 0.1              # programs.py:396
        t_4 = stack.pop()                 # programs.py:396
        d_t_4 = dstack.pop()              # programs.py:396
        dt_1 = unbroadcast(dt_3, t_1)     # programs.py:396
        ddt_1 = unbroadcast(ddt_3, t_1)   # programs.py:396
        tmp_5 = unbroadcast(dt_3, t_2)    # programs.py:396
        dtmp_5 = unbroadcast(ddt_3, t_2)  # programs.py:396
        tmp_6 = np.cos(y)                 # programs.py:396
        dtmp_6 = -d_y * np.sin(y)         # programs.py:396
        tmp_7 = tmp_5 * tmp_6             # programs.py:396
        dtmp_7 = dtmp_5 * tmp_6 + tmp_5 * dtmp_6  # programs.py:396
        dy_3 = dy + tmp_7                 # programs.py:396
        ddy_3 = ddy + dtmp_7              # programs.py:396
        dy = dy_3                         # programs.py:396
        ddy = ddy_3                       # programs.py:396
        t_2 = stack.pop()                 # programs.py:396
        d_t_2 = dstack.pop()              # programs.py:396
        ddt = unbroadcast(ddt_1 * y + dt_1 * d_y, t)  # programs.py:396
        tmp_9 = dt_1 * t                  # programs.py:396
        dtmp_9 = ddt_1 * t + dt_1 * d_t   # programs.py:396
        tmp_10 = unbroadcast(tmp_9, y)    # programs.py:396
        dtmp_10 = unbroadcast(dtmp_9, y)  # programs.py:396
        dy_4 = dy + tmp_10                # programs.py:396
        ddy_4 = ddy + dtmp_10             # programs.py:396
        dy = dy_4                         # programs.py:396
        ddy = ddy_4                       # programs.py:396
        t_1 = stack.pop()                 # programs.py:396
        d_t_1 = dstack.pop()              # programs.py:396
        ddk = ddk + -ddt                  # programs.py:396
        t = stack.pop()                   # programs.py:396
        d_t = dstack.pop()                # programs.py:396
    return ddy, as_grad(ddk, k)
