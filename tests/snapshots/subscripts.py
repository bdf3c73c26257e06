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
    dt_2 = grad_reduce(db, t_2, None, False) * 2 * t_2  # programs.py:126
    dx[:, 0] = dx[:, 0] + dt_2            # programs.py:126
    dt = unbroadcast(da * t_1, t)         # programs.py:125
    dx[-1, -1] = dx[-1, -1] + unbroadcast(da * t, t_1)  # programs.py:125
    dx[0, 1] = dx[0, 1] + dt              # programs.py:125
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_subscripts_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t = x[0, 1]                           # programs.py:125
    dt = dx[0, 1]                         # programs.py:125
    da = dt * x[-1, -1] + t * dx[-1, -1]  # programs.py:125
    dt_4 = np.sum(dx[:, 0] * 2 * x[:, 0])  # programs.py:126
    db = dt_4 + np.sum(dx[1, ::2])        # programs.py:126
    dc = np.sum(dx[x > 0.0])              # programs.py:127
    dd = np.sum(dx[[0, 0, 1], [1, 1, 2]])  # programs.py:128
    de = dx[np.argmax(x[:, 2]), 0]        # programs.py:129
    return da + db + dc + dd + de         # programs.py:130

# ---- forward over reverse: s2s.hvp

def hvp_subscripts_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    x_ = copy_deep(x)                     # programs.py:125
    dx_ = copy_deep(dx)                   # programs.py:125
    t = x_[0, 1]                          # programs.py:125
    d_t = dx_[0, 1]                       # programs.py:125
    t_1 = x_[-1, -1]                      # programs.py:125
    d_t_1 = dx_[-1, -1]                   # programs.py:125
    a = t * t_1                           # programs.py:125
    t_2 = x_[:, 0]                        # programs.py:126
    d_t_2 = dx_[:, 0]                     # programs.py:126
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
    tmp_2 = broadcast_shape(t, t_1)       # programs.py:130
    dt_16 = unbroadcast(dresult, broadcast_shape(broadcast_shape(broadcast_shape(tmp_2, b), c), d))  # programs.py:130
    de = unbroadcast(dresult, e)          # programs.py:130
    dt_15 = unbroadcast(dt_16, broadcast_shape(broadcast_shape(tmp_2, b), c))  # programs.py:130
    dd = unbroadcast(dt_16, d)            # programs.py:130
    dt_14 = unbroadcast(dt_15, broadcast_shape(tmp_2, b))  # programs.py:130
    dc = unbroadcast(dt_15, c)            # programs.py:130
    da = unbroadcast(dt_14, tmp_2)        # programs.py:130
    db = unbroadcast(dt_14, b)            # programs.py:130
    grad_x = zeros_like(x_)               # programs.py:129
    tmp_25 = t_13, 0                      # programs.py:129
    add_at(grad_x, tmp_25, de)            # programs.py:129
    dt_11 = grad_reduce(dd, t_11, None, False)  # programs.py:128
    tmp_26 = t_9, t_10                    # programs.py:128
    add_at(grad_x, tmp_26, dt_11)         # programs.py:128
    dt_8 = grad_reduce(dc, t_8, None, False)  # programs.py:127
    add_at(grad_x, t_7, dt_8)             # programs.py:127
    dt_5 = grad_reduce(db, t_5, None, False)  # programs.py:126
    grad_x[1, ::2] = grad_x[1, ::2] + dt_5  # programs.py:126
    tmp_15 = grad_reduce(db, t_2, None, False) * 2  # programs.py:126
    dt_2 = tmp_15 * t_2                   # programs.py:126
    ddt_2 = tmp_15 * d_t_2                # programs.py:126
    tmp_17 = grad_x[:, 0] + dt_2          # programs.py:126
    dtmp_17 = tangent_like(ddt_2, tmp_17)  # programs.py:126
    ddx = zeros_like(grad_x)              # programs.py:126
    grad_x[:, 0] = tmp_17                 # programs.py:126
    ddx[:, 0] = dtmp_17                   # programs.py:126
    tmp_18 = da * t_1                     # programs.py:125
    dtmp_18 = da * d_t_1                  # programs.py:125
    dt = unbroadcast(tmp_18, t)           # programs.py:125
    ddt = unbroadcast(dtmp_18, t)         # programs.py:125
    tmp_19 = grad_x[-1, -1]               # programs.py:125
    dtmp_19 = ddx[-1, -1]                 # programs.py:125
    tmp_20 = da * t                       # programs.py:125
    dtmp_20 = da * d_t                    # programs.py:125
    tmp_21 = unbroadcast(tmp_20, t_1)     # programs.py:125
    dtmp_21 = unbroadcast(dtmp_20, t_1)   # programs.py:125
    tmp_22 = tmp_19 + tmp_21              # programs.py:125
    dtmp_22 = dtmp_19 + dtmp_21           # programs.py:125
    grad_x[-1, -1] = tmp_22               # programs.py:125
    ddx[-1, -1] = dtmp_22                 # programs.py:125
    tmp_23 = grad_x[0, 1]                 # programs.py:125
    dtmp_23 = ddx[0, 1]                   # programs.py:125
    tmp_24 = tmp_23 + dt                  # programs.py:125
    dtmp_24 = dtmp_23 + ddt               # programs.py:125
    grad_x[0, 1] = tmp_24                 # programs.py:125
    ddx[0, 1] = dtmp_24                   # programs.py:125
    return as_grad(ddx, x_)
