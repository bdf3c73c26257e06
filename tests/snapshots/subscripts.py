# ---- reverse: s2s.grad

def dsubscripts_dx(x, *, dresult=1.0):
    t = x[0, 1]                           # programs.py:125
    t_1 = x[-1, -1]                       # programs.py:125
    a = t * t_1                           # programs.py:125
    t_2 = x[:, 0]                         # programs.py:126
    t_3 = t_2 ** 2                        # programs.py:126
    t_4 = np.sum(t_3)                     # programs.py:126
    t_5 = x[1, ::2]                       # programs.py:126
    b = t_4 + np.sum(t_5)                 # programs.py:126
    t_7 = x > 0.0                         # programs.py:127
    t_8 = x[t_7]                          # programs.py:127
    c = np.sum(t_8)                       # programs.py:127
    t_9 = [0, 0, 1]                       # programs.py:128
    t_10 = [1, 1, 2]                      # programs.py:128
    t_11 = x[t_9, t_10]                   # programs.py:128
    d = np.sum(t_11)                      # programs.py:128
    t_13 = np.argmax(x[:, 2])             # programs.py:129
    e = x[t_13, 0]                        # programs.py:129
    t_14 = a + b                          # programs.py:130
    t_15 = t_14 + c                       # programs.py:130
    t_16 = t_15 + d                       # programs.py:130
    result = t_16 + e                     # programs.py:130
    dresult = init_grad(result, dresult)
    dt_16 = unbroadcast(dresult, broadcast_shape(broadcast_shape(broadcast_shape(broadcast_shape(t, t_1), b), c), d))  # programs.py:130
    de = unbroadcast(dresult, e)          # programs.py:130
    dt_15 = unbroadcast(dt_16, broadcast_shape(broadcast_shape(broadcast_shape(t, t_1), b), c))  # programs.py:130
    dd = unbroadcast(dt_16, d)            # programs.py:130
    dt_14 = unbroadcast(dt_15, broadcast_shape(broadcast_shape(t, t_1), b))  # programs.py:130
    dc = unbroadcast(dt_15, c)            # programs.py:130
    da = unbroadcast(dt_14, broadcast_shape(t, t_1))  # programs.py:130
    db = unbroadcast(dt_14, b)            # programs.py:130
    dx = zeros_like(x)                    # programs.py:129
    add_at(dx, (t_13, 0), de)             # programs.py:129
    dt_11 = grad_reduce(dd, t_11, None, False)  # programs.py:128
    add_at(dx, (t_9, t_10), dt_11)        # programs.py:128
    dt_8 = grad_reduce(dc, t_8, None, False)  # programs.py:127
    add_at(dx, t_7, dt_8)                 # programs.py:127
    dt_5 = grad_reduce(db, t_5, None, False)  # programs.py:126
    dx[1, ::2] = dx[1, ::2] + dt_5        # programs.py:126
    dt_3 = grad_reduce(db, t_2, None, False)  # programs.py:126
    dt_2 = dt_3 * 2 * t_2                 # programs.py:126
    dx[:, 0] = dx[:, 0] + dt_2            # programs.py:126
    dt = unbroadcast(da * t_1, t)         # programs.py:125
    dt_1 = unbroadcast(da * t, t_1)       # programs.py:125
    dx[-1, -1] = dx[-1, -1] + dt_1        # programs.py:125
    dx[0, 1] = dx[0, 1] + dt              # programs.py:125
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_subscripts_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t = x[0, 1]                      # programs.py:125
    dt = dx[0, 1]                    # programs.py:125
    t_1 = x[-1, -1]                  # programs.py:125
    dt_1 = dx[-1, -1]                # programs.py:125
    da = dt * t_1 + t * dt_1         # programs.py:125
    t_2 = x[:, 0]                    # programs.py:126
    dt_3 = dx[:, 0] * 2 * t_2        # programs.py:126
    dt_4 = np.sum(dt_3)              # programs.py:126
    db = dt_4 + np.sum(dx[1, ::2])   # programs.py:126
    dc = np.sum(dx[x > 0.0])         # programs.py:127
    t_9 = [0, 0, 1]                  # programs.py:128
    dd = np.sum(dx[t_9, [1, 1, 2]])  # programs.py:128
    t_13 = np.argmax(x[:, 2])        # programs.py:129
    de = dx[t_13, 0]                 # programs.py:129
    return da + db + dc + dd + de    # programs.py:130

# ---- forward over reverse: s2s.hvp

def hvp_subscripts_dx(x, dx_1=1.0):
    dx_1 = init_grad(x, dx_1)
    dresult = seed
    x_ = copy_deep(x)                     # programs.py:125
    dx_ = copy_deep(dx_1)                 # programs.py:125
    t = x_[0, 1]                          # programs.py:125
    dt_4 = dx_[0, 1]                      # programs.py:125
    t_1 = x_[-1, -1]                      # programs.py:125
    dt_1_1 = dx_[-1, -1]                  # programs.py:125
    a = t * t_1                           # programs.py:125
    t_2 = x_[:, 0]                        # programs.py:126
    dt_2_1 = dx_[:, 0]                    # programs.py:126
    t_3 = t_2 ** 2                        # programs.py:126
    t_4 = np.sum(t_3)                     # programs.py:126
    t_5 = x_[1, ::2]                      # programs.py:126
    b = t_4 + np.sum(t_5)                 # programs.py:126
    t_7 = x_ > 0.0                        # programs.py:127
    t_8 = x_[t_7]                         # programs.py:127
    c = np.sum(t_8)                       # programs.py:127
    t_9 = [0, 0, 1]                       # programs.py:128
    t_10 = [1, 1, 2]                      # programs.py:128
    t_11 = x_[t_9, t_10]                  # programs.py:128
    d = np.sum(t_11)                      # programs.py:128
    t_13 = np.argmax(x_[:, 2])            # programs.py:129
    e = x_[t_13, 0]                       # programs.py:129
    t_14 = a + b                          # programs.py:130
    t_15 = t_14 + c                       # programs.py:130
    t_16 = t_15 + d                       # programs.py:130
    result = t_16 + e                     # programs.py:130
    dresult = init_grad(result, dresult)
    t_17 = broadcast_shape(t, t_1)        # programs.py:130
    t_20 = broadcast_shape(broadcast_shape(broadcast_shape(t_17, b), c), d)  # programs.py:130
    dt_16 = unbroadcast(dresult, t_20)    # programs.py:130
    de = unbroadcast(dresult, e)          # programs.py:130
    dt_15 = unbroadcast(dt_16, broadcast_shape(broadcast_shape(t_17, b), c))  # programs.py:130
    dd = unbroadcast(dt_16, d)            # programs.py:130
    dt_14 = unbroadcast(dt_15, broadcast_shape(t_17, b))  # programs.py:130
    dc = unbroadcast(dt_15, c)            # programs.py:130
    da = unbroadcast(dt_14, t_17)         # programs.py:130
    db = unbroadcast(dt_14, b)            # programs.py:130
    dx = zeros_like(x_)                   # programs.py:129
    t_38 = t_13, 0                        # programs.py:129
    add_at(dx, t_38, de)                  # programs.py:129
    dt_11 = grad_reduce(dd, t_11, None, False)  # programs.py:128
    t_39 = t_9, t_10                      # programs.py:128
    add_at(dx, t_39, dt_11)               # programs.py:128
    dt_8 = grad_reduce(dc, t_8, None, False)  # programs.py:127
    add_at(dx, t_7, dt_8)                 # programs.py:127
    dt_5 = grad_reduce(db, t_5, None, False)  # programs.py:126
    t_28 = dx[1, ::2] + dt_5              # programs.py:126
    dx[1, ::2] = t_28                     # programs.py:126
    dt_3 = grad_reduce(db, t_2, None, False)  # programs.py:126
    t_29 = dt_3 * 2                       # programs.py:126
    dt_2 = t_29 * t_2                     # programs.py:126
    ddt_2 = t_29 * dt_2_1                 # programs.py:126
    t_31 = dx[:, 0] + dt_2                # programs.py:126
    dt_31 = tangent_like(ddt_2, t_31)     # programs.py:126
    ddx = zeros_like(dx)                  # programs.py:126
    dx[:, 0] = t_31                       # programs.py:126
    ddx[:, 0] = dt_31                     # programs.py:126
    t_32 = da * t_1                       # programs.py:125
    dt_32 = da * dt_1_1                   # programs.py:125
    dt = unbroadcast(t_32, t)             # programs.py:125
    ddt = unbroadcast(dt_32, t)           # programs.py:125
    t_33 = da * t                         # programs.py:125
    dt_33 = da * dt_4                     # programs.py:125
    dt_1 = unbroadcast(t_33, t_1)         # programs.py:125
    ddt_1 = unbroadcast(dt_33, t_1)       # programs.py:125
    t_34 = dx[-1, -1]                     # programs.py:125
    dt_34 = ddx[-1, -1]                   # programs.py:125
    t_35 = t_34 + dt_1                    # programs.py:125
    dt_35 = dt_34 + ddt_1                 # programs.py:125
    dx[-1, -1] = t_35                     # programs.py:125
    ddx[-1, -1] = dt_35                   # programs.py:125
    t_36 = dx[0, 1]                       # programs.py:125
    dt_36 = ddx[0, 1]                     # programs.py:125
    t_37 = t_36 + dt                      # programs.py:125
    dt_37 = dt_36 + ddt                   # programs.py:125
    dx[0, 1] = t_37                       # programs.py:125
    ddx[0, 1] = dt_37                     # programs.py:125
    return as_grad(ddx, x_)
