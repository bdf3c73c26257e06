# ---- reverse: s2s.grad

def dinplace_dx(x, *, dresult=1.0):
    stack = []
    t_2 = None
    y = np.zeros(3)                       # programs.py:134
    r = range(3)                          # programs.py:135
    for i in r:                           # programs.py:135
        t = x[i]                          # programs.py:136
        t_1 = x[i]                        # programs.py:136
        stack.append(shape_of(t_2))       # programs.py:136
        t_2 = t * t_1                     # programs.py:136
        stack.append(get_item(y, i))      # programs.py:136
        y[i] = t_2                        # programs.py:136
    t_3 = y[0]                            # programs.py:137
    t_4 = x[2]                            # programs.py:137
    t_5 = t_3 + t_4                       # programs.py:137
    y_old = get_item(y, 0)                # programs.py:137
    y[0] = t_5                            # programs.py:137
    t_7 = y[1:] * 2.0                     # programs.py:138
    y_old_1 = get_item(y, slice(1, None, None))  # programs.py:138
    y[1:] = t_7                           # programs.py:138
    dt_8 = grad_reduce(dresult, y, None, False)  # programs.py:139
    dy = dt_8 * 2 * y                     # programs.py:139
    dt_7 = unbroadcast(copy_grad(dy[1:]), t_7)  # programs.py:138
    dy = copy_grad(dy)                    # programs.py:138
    dy[1:] = 0.0                          # programs.py:138
    set_item(y, slice(1, None, None), y_old_1)  # programs.py:138
    dt_6 = dt_7 * 2.0                     # programs.py:138
    dy[1:] = dy[1:] + dt_6                # programs.py:138
    dt_5 = unbroadcast(copy_grad(dy[0]), broadcast_shape(t_3, t_4))  # programs.py:137
    dy[0] = 0.0                           # programs.py:137
    set_item(y, 0, y_old)                 # programs.py:137
    dt_3 = unbroadcast(dt_5, t_3)         # programs.py:137
    dt_4 = unbroadcast(dt_5, t_4)         # programs.py:137
    dx = zeros_like(x)                    # programs.py:137
    dx[2] = dx[2] + dt_4                  # programs.py:137
    dy[0] = dy[0] + dt_3                  # programs.py:137
    for i in reversed(r):                 # programs.py:135
        t = x[i]                          # programs.py:136
        t_1 = x[i]                        # programs.py:136
        dt_2 = unbroadcast(copy_grad(dy[i]), t_2)  # programs.py:136
        dy[i] = 0.0                       # programs.py:136
        set_item(y, i, stack.pop())       # programs.py:136
        dt = unbroadcast(dt_2 * t_1, t)   # programs.py:136
        dt_1 = unbroadcast(dt_2 * t, t_1)  # programs.py:136
        t_2 = stack.pop()                 # programs.py:136
        dx[i] = dx[i] + dt_1              # programs.py:136
        dx[i] = dx[i] + dt                # programs.py:136
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_inplace_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    y = np.zeros(3)             # programs.py:134
    r = range(3)                # programs.py:135
    dy = zeros_like(y)          # programs.py:135
    for i in r:                 # programs.py:135
        t = x[i]                # programs.py:136
        dt = dx[i]              # programs.py:136
        t_2 = t * t             # programs.py:136
        dt_2 = dt * t + t * dt  # programs.py:136
        y[i] = t_2              # programs.py:136
        dy[i] = dt_2            # programs.py:136
    t_3 = y[0]                  # programs.py:137
    dt_3 = dy[0]                # programs.py:137
    t_4 = x[2]                  # programs.py:137
    dt_4 = dx[2]                # programs.py:137
    t_5 = t_3 + t_4             # programs.py:137
    dt_5 = dt_3 + dt_4          # programs.py:137
    y[0] = t_5                  # programs.py:137
    dy[0] = dt_5                # programs.py:137
    t_6 = y[1:]                 # programs.py:138
    dt_6 = dy[1:]               # programs.py:138
    t_7 = t_6 * 2.0             # programs.py:138
    dt_7 = dt_6 * 2.0           # programs.py:138
    y[1:] = t_7                 # programs.py:138
    dy[1:] = dt_7               # programs.py:138
    return np.sum(dy * 2 * y)   # programs.py:139

# ---- forward over reverse: s2s.hvp

def hvp_inplace_dx(x, dx_1=1.0):
    dx_1 = init_grad(x, dx_1)
    x_ = copy_deep(x)
    dx_ = copy_deep(dx_1)
    stack = []
    dstack = []
    t_2 = None
    y = np.zeros(3)                       # programs.py:134
    r = range(3)                          # programs.py:135
    r_1 = range(len(r))                   # programs.py:135
    dy_2 = zeros_like(y)                  # programs.py:135
    for k in r_1:                         # programs.py:135
        i = r[k]                          # programs.py:135
        t = x_[i]                         # programs.py:136
        dt_9 = dx_[i]                     # programs.py:136
        t_1 = x_[i]                       # programs.py:136
        dt_1_1 = dx_[i]                   # programs.py:136
        t_6 = shape_of(t_2)               # programs.py:136
        stack.append(t_6)                 # programs.py:136
        dstack.append(zeros_like(t_6))    # programs.py:136
        t_2 = t * t_1                     # programs.py:136
        dt_2_1 = dt_9 * t_1 + t * dt_1_1  # programs.py:136
        t_8 = get_item(y, i)              # programs.py:136
        dt_8_1 = get_item(dy_2, i)        # programs.py:136
        stack.append(t_8)                 # programs.py:136
        dstack.append(dt_8_1)             # programs.py:136
        y[i] = t_2                        # programs.py:136
        dy_2[i] = dt_2_1                  # programs.py:136
    t_3 = y[0]                            # programs.py:137
    dt_3_1 = dy_2[0]                      # programs.py:137
    t_4 = x_[2]                           # programs.py:137
    dt_4_1 = dx_[2]                       # programs.py:137
    t_5 = t_3 + t_4                       # programs.py:137
    dt_5_1 = dt_3_1 + dt_4_1              # programs.py:137
    y_old = get_item(y, 0)                # programs.py:137
    dy_old = get_item(dy_2, 0)            # programs.py:137
    y[0] = t_5                            # programs.py:137
    dy_2[0] = dt_5_1                      # programs.py:137
    t_9 = y[1:]                           # programs.py:138
    dt_9_1 = dy_2[1:]                     # programs.py:138
    t_7 = t_9 * 2.0                       # programs.py:138
    dt_7_1 = dt_9_1 * 2.0                 # programs.py:138
    t_10 = slice(1, None, None)           # programs.py:138
    y_old_1 = get_item(y, t_10)           # programs.py:138
    dy_old_1 = get_item(dy_2, t_10)       # programs.py:138
    y[1:] = t_7                           # programs.py:138
    dy_2[1:] = dt_7_1                     # programs.py:138
    dt_8 = grad_reduce(seed, y, None, False)  # programs.py:139
    t_11 = dt_8 * 2                       # programs.py:139
    dy = t_11 * y                         # programs.py:139
    ddy = t_11 * dy_2                     # programs.py:139
    t_12 = dy[1:]                         # programs.py:138
    dt_12 = ddy[1:]                       # programs.py:138
    t_13 = copy_grad(t_12)                # programs.py:138
    dt_13 = copy_grad(dt_12)              # programs.py:138
    dt_7 = unbroadcast(t_13, t_7)         # programs.py:138
    ddt_7 = unbroadcast(dt_13, t_7)       # programs.py:138
    dy_1 = copy_grad(dy)                  # programs.py:138
    ddy_1 = copy_grad(ddy)                # programs.py:138
    dy = dy_1                             # programs.py:138
    ddy = ddy_1                           # programs.py:138
    dy[1:] = 0.0                          # programs.py:138
    ddy[1:] = 0.0                         # programs.py:138
    t_32 = slice(1, None, None)           # programs.py:138
    set_item(y, t_32, y_old_1)            # programs.py:138
    set_item(dy_2, t_32, dy_old_1)        # programs.py:138
    dt_6 = dt_7 * 2.0                     # programs.py:138
    ddt_6 = ddt_7 * 2.0                   # programs.py:138
    t_14 = dy[1:]                         # programs.py:138
    dt_14 = ddy[1:]                       # programs.py:138
    t_15 = t_14 + dt_6                    # programs.py:138
    dt_15 = dt_14 + ddt_6                 # programs.py:138
    dy[1:] = t_15                         # programs.py:138
    ddy[1:] = dt_15                       # programs.py:138
    t_16 = dy[0]                          # programs.py:137
    dt_16 = ddy[0]                        # programs.py:137
    t_17 = copy_grad(t_16)                # programs.py:137
    dt_17 = copy_grad(dt_16)              # programs.py:137
    t_18 = broadcast_shape(t_3, t_4)      # programs.py:137
    dt_5 = unbroadcast(t_17, t_18)        # programs.py:137
    ddt_5 = unbroadcast(dt_17, t_18)      # programs.py:137
    dy[0] = 0.0                           # programs.py:137
    ddy[0] = 0.0                          # programs.py:137
    set_item(y, 0, y_old)                 # programs.py:137
    set_item(dy_2, 0, dy_old)             # programs.py:137
    dt_3 = unbroadcast(dt_5, t_3)         # programs.py:137
    ddt_3 = unbroadcast(ddt_5, t_3)       # programs.py:137
    dt_4 = unbroadcast(dt_5, t_4)         # programs.py:137
    ddt_4 = unbroadcast(ddt_5, t_4)       # programs.py:137
    dx = zeros_like(x_)                   # programs.py:137
    t_20 = dx[2] + dt_4                   # programs.py:137
    dt_20 = tangent_like(ddt_4, t_20)     # programs.py:137
    ddx = zeros_like(dx)                  # programs.py:137
    dx[2] = t_20                          # programs.py:137
    ddx[2] = dt_20                        # programs.py:137
    t_21 = dy[0]                          # programs.py:137
    dt_21 = ddy[0]                        # programs.py:137
    t_22 = t_21 + dt_3                    # programs.py:137
    dt_22 = dt_21 + ddt_3                 # programs.py:137
    dy[0] = t_22                          # programs.py:137
    ddy[0] = dt_22                        # programs.py:137
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:135
    for k_1 in r_2:                       # programs.py:135
        i = r[k_1]                        # programs.py:135
        t = x_[i]                         # programs.py:136
        dt_9 = dx_[i]                     # programs.py:136
        t_1 = x_[i]                       # programs.py:136
        dt_1_1 = dx_[i]                   # programs.py:136
        t_24 = dy[i]                      # programs.py:136
        dt_24 = ddy[i]                    # programs.py:136
        t_25 = copy_grad(t_24)            # programs.py:136
        dt_25 = copy_grad(dt_24)          # programs.py:136
        dt_2 = unbroadcast(t_25, t_2)     # programs.py:136
        ddt_2 = unbroadcast(dt_25, t_2)   # programs.py:136
        dy[i] = 0.0                       # programs.py:136
        ddy[i] = 0.0                      # programs.py:136
        t_33 = stack.pop()                # programs.py:136
        dt_33 = dstack.pop()              # programs.py:136
        set_item(y, i, t_33)              # programs.py:136
        set_item(dy_2, i, dt_33)          # programs.py:136
        t_26 = dt_2 * t_1                 # programs.py:136
        dt_26 = ddt_2 * t_1 + dt_2 * dt_1_1  # programs.py:136
        dt = unbroadcast(t_26, t)         # programs.py:136
        ddt = unbroadcast(dt_26, t)       # programs.py:136
        t_27 = dt_2 * t                   # programs.py:136
        dt_27 = ddt_2 * t + dt_2 * dt_9   # programs.py:136
        dt_1 = unbroadcast(t_27, t_1)     # programs.py:136
        ddt_1 = unbroadcast(dt_27, t_1)   # programs.py:136
        t_2 = stack.pop()                 # programs.py:136
        dt_2_1 = dstack.pop()             # programs.py:136
        t_28 = dx[i]                      # programs.py:136
        dt_28 = ddx[i]                    # programs.py:136
        t_29 = t_28 + dt_1                # programs.py:136
        dt_29 = dt_28 + ddt_1             # programs.py:136
        dx[i] = t_29                      # programs.py:136
        ddx[i] = dt_29                    # programs.py:136
        t_30 = dx[i]                      # programs.py:136
        dt_30 = ddx[i]                    # programs.py:136
        t_31 = t_30 + dt                  # programs.py:136
        dt_31 = dt_30 + ddt               # programs.py:136
        dx[i] = t_31                      # programs.py:136
        ddx[i] = dt_31                    # programs.py:136
    return as_grad(ddx, x_)
