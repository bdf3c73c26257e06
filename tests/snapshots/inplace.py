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
    dy = grad_reduce(dresult, y, None, False) * 2 * y  # programs.py:139
    dt_7 = unbroadcast(copy_grad(dy[1:]), t_7)  # programs.py:138
    dy = copy_grad(dy)                    # programs.py:138
    dy[1:] = 0.0                          # programs.py:138
    set_item(y, slice(1, None, None), y_old_1)  # programs.py:138
    dy[1:] = dy[1:] + dt_7 * 2.0          # programs.py:138
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

def hvp_inplace_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    x_ = copy_deep(x)
    dx_ = copy_deep(dx)
    stack = []
    dstack = []
    t_2 = None
    y = np.zeros(3)                       # programs.py:134
    r = range(3)                          # programs.py:135
    r_1 = range(len(r))                   # programs.py:135
    d_y = zeros_like(y)                   # programs.py:135
    for k in r_1:                         # programs.py:135
        i = r[k]                          # programs.py:135
        t = x_[i]                         # programs.py:136
        d_t = dx_[i]                      # programs.py:136
        t_1 = x_[i]                       # programs.py:136
        d_t_1 = dx_[i]                    # programs.py:136
        tmp = shape_of(t_2)               # programs.py:136
        stack.append(tmp)                 # programs.py:136
        dstack.append(zeros_like(tmp))    # programs.py:136
        t_2 = t * t_1                     # programs.py:136
        d_t_2 = d_t * t_1 + t * d_t_1     # programs.py:136
        tmp_1 = get_item(y, i)            # programs.py:136
        dtmp_1 = get_item(d_y, i)         # programs.py:136
        stack.append(tmp_1)               # programs.py:136
        dstack.append(dtmp_1)             # programs.py:136
        y[i] = t_2                        # programs.py:136
        d_y[i] = d_t_2                    # programs.py:136
    t_3 = y[0]                            # programs.py:137
    d_t_3 = d_y[0]                        # programs.py:137
    t_4 = x_[2]                           # programs.py:137
    d_t_4 = dx_[2]                        # programs.py:137
    t_5 = t_3 + t_4                       # programs.py:137
    d_t_5 = d_t_3 + d_t_4                 # programs.py:137
    y_old = get_item(y, 0)                # programs.py:137
    dy_old = get_item(d_y, 0)             # programs.py:137
    y[0] = t_5                            # programs.py:137
    d_y[0] = d_t_5                        # programs.py:137
    tmp_2 = y[1:]                         # programs.py:138
    dtmp_2 = d_y[1:]                      # programs.py:138
    t_7 = tmp_2 * 2.0                     # programs.py:138
    d_t_7 = dtmp_2 * 2.0                  # programs.py:138
    tmp_3 = slice(1, None, None)          # programs.py:138
    y_old_1 = get_item(y, tmp_3)          # programs.py:138
    dy_old_1 = get_item(d_y, tmp_3)       # programs.py:138
    y[1:] = t_7                           # programs.py:138
    d_y[1:] = d_t_7                       # programs.py:138
    tmp_5 = grad_reduce(seed, y, None, False) * 2  # programs.py:139
    dy = tmp_5 * y                        # programs.py:139
    ddy = tmp_5 * d_y                     # programs.py:139
    tmp_6 = dy[1:]                        # programs.py:138
    dtmp_6 = ddy[1:]                      # programs.py:138
    tmp_7 = copy_grad(tmp_6)              # programs.py:138
    dtmp_7 = copy_grad(dtmp_6)            # programs.py:138
    dt_7 = unbroadcast(tmp_7, t_7)        # programs.py:138
    ddt_7 = unbroadcast(dtmp_7, t_7)      # programs.py:138
    dy_1 = copy_grad(dy)                  # programs.py:138
    ddy_1 = copy_grad(ddy)                # programs.py:138
    dy = dy_1                             # programs.py:138
    ddy = ddy_1                           # programs.py:138
    dy[1:] = 0.0                          # programs.py:138
    ddy[1:] = 0.0                         # programs.py:138
    tmp_27 = slice(1, None, None)         # programs.py:138
    set_item(y, tmp_27, y_old_1)          # programs.py:138
    set_item(d_y, tmp_27, dy_old_1)       # programs.py:138
    tmp_8 = dy[1:]                        # programs.py:138
    dtmp_8 = ddy[1:]                      # programs.py:138
    tmp_9 = dt_7 * 2.0                    # programs.py:138
    dtmp_9 = ddt_7 * 2.0                  # programs.py:138
    tmp_10 = tmp_8 + tmp_9                # programs.py:138
    dtmp_10 = dtmp_8 + dtmp_9             # programs.py:138
    dy[1:] = tmp_10                       # programs.py:138
    ddy[1:] = dtmp_10                     # programs.py:138
    tmp_11 = dy[0]                        # programs.py:137
    dtmp_11 = ddy[0]                      # programs.py:137
    tmp_12 = copy_grad(tmp_11)            # programs.py:137
    dtmp_12 = copy_grad(dtmp_11)          # programs.py:137
    tmp_13 = broadcast_shape(t_3, t_4)    # programs.py:137
    dt_5 = unbroadcast(tmp_12, tmp_13)    # programs.py:137
    ddt_5 = unbroadcast(dtmp_12, tmp_13)  # programs.py:137
    dy[0] = 0.0                           # programs.py:137
    ddy[0] = 0.0                          # programs.py:137
    set_item(y, 0, y_old)                 # programs.py:137
    set_item(d_y, 0, dy_old)              # programs.py:137
    dt_3 = unbroadcast(dt_5, t_3)         # programs.py:137
    ddt_3 = unbroadcast(ddt_5, t_3)       # programs.py:137
    dt_4 = unbroadcast(dt_5, t_4)         # programs.py:137
    ddt_4 = unbroadcast(ddt_5, t_4)       # programs.py:137
    grad_x = zeros_like(x_)               # programs.py:137
    tmp_15 = grad_x[2] + dt_4             # programs.py:137
    dtmp_15 = tangent_like(ddt_4, tmp_15)  # programs.py:137
    ddx = zeros_like(grad_x)              # programs.py:137
    grad_x[2] = tmp_15                    # programs.py:137
    ddx[2] = dtmp_15                      # programs.py:137
    tmp_16 = dy[0]                        # programs.py:137
    dtmp_16 = ddy[0]                      # programs.py:137
    tmp_17 = tmp_16 + dt_3                # programs.py:137
    dtmp_17 = dtmp_16 + ddt_3             # programs.py:137
    dy[0] = tmp_17                        # programs.py:137
    ddy[0] = dtmp_17                      # programs.py:137
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:135
    for k_1 in r_2:                       # programs.py:135
        i = r[k_1]                        # programs.py:135
        t = x_[i]                         # programs.py:136
        d_t = dx_[i]                      # programs.py:136
        t_1 = x_[i]                       # programs.py:136
        d_t_1 = dx_[i]                    # programs.py:136
        tmp_19 = dy[i]                    # programs.py:136
        dtmp_19 = ddy[i]                  # programs.py:136
        tmp_20 = copy_grad(tmp_19)        # programs.py:136
        dtmp_20 = copy_grad(dtmp_19)      # programs.py:136
        dt_2 = unbroadcast(tmp_20, t_2)   # programs.py:136
        ddt_2 = unbroadcast(dtmp_20, t_2)  # programs.py:136
        dy[i] = 0.0                       # programs.py:136
        ddy[i] = 0.0                      # programs.py:136
        tmp_28 = stack.pop()              # programs.py:136
        dtmp_28 = dstack.pop()            # programs.py:136
        set_item(y, i, tmp_28)            # programs.py:136
        set_item(d_y, i, dtmp_28)         # programs.py:136
        tmp_21 = dt_2 * t_1               # programs.py:136
        dtmp_21 = ddt_2 * t_1 + dt_2 * d_t_1  # programs.py:136
        dt = unbroadcast(tmp_21, t)       # programs.py:136
        ddt = unbroadcast(dtmp_21, t)     # programs.py:136
        tmp_22 = dt_2 * t                 # programs.py:136
        dtmp_22 = ddt_2 * t + dt_2 * d_t  # programs.py:136
        dt_1 = unbroadcast(tmp_22, t_1)   # programs.py:136
        ddt_1 = unbroadcast(dtmp_22, t_1)  # programs.py:136
        t_2 = stack.pop()                 # programs.py:136
        d_t_2 = dstack.pop()              # programs.py:136
        tmp_23 = grad_x[i]                # programs.py:136
        dtmp_23 = ddx[i]                  # programs.py:136
        tmp_24 = tmp_23 + dt_1            # programs.py:136
        dtmp_24 = dtmp_23 + ddt_1         # programs.py:136
        grad_x[i] = tmp_24                # programs.py:136
        ddx[i] = dtmp_24                  # programs.py:136
        tmp_25 = grad_x[i]                # programs.py:136
        dtmp_25 = ddx[i]                  # programs.py:136
        tmp_26 = tmp_25 + dt              # programs.py:136
        dtmp_26 = dtmp_25 + ddt           # programs.py:136
        grad_x[i] = tmp_26                # programs.py:136
        ddx[i] = dtmp_26                  # programs.py:136
    return as_grad(ddx, x_)
