# ---- reverse: s2s.grad

def drosenbrock_dx(x, *, dresult=1.0):
    t = x[1:]                             # programs.py:372
    t_1 = x[:-1]                          # programs.py:372
    t_2 = t_1 ** 2                        # programs.py:372
    t_3 = t - t_2                         # programs.py:372
    t_5 = 100.0 * t_3 ** 2                # programs.py:372
    dt_9 = grad_reduce(dresult, broadcast_shape(t_5, t_1), None, False)  # programs.py:372
    dt_5 = unbroadcast(dt_9, t_5)         # programs.py:372
    dt_6 = -(unbroadcast(dt_9, t_1) * 2 * (1 - t_1))  # programs.py:372
    dx = zeros_like(x)                    # programs.py:372
    dx[:-1] = dx[:-1] + dt_6              # programs.py:372
    dt_3 = dt_5 * 100.0 * 2 * t_3         # programs.py:372
    dt = unbroadcast(dt_3, t)             # programs.py:372
    dx[:-1] = dx[:-1] + unbroadcast(-dt_3, t_1) * 2 * t_1  # programs.py:372
    dx[1:] = dx[1:] + dt                  # programs.py:372
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_rosenbrock_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t = x[1:]                             # programs.py:372
    dt = dx[1:]                           # programs.py:372
    t_1 = x[:-1]                          # programs.py:372
    dt_1 = dx[:-1]                        # programs.py:372
    dt_5 = 100.0 * ((dt - dt_1 * 2 * t_1) * 2 * (t - t_1 ** 2))  # programs.py:372
    return np.sum(dt_5 + -dt_1 * 2 * (1 - t_1))  # programs.py:372

# ---- forward over reverse: s2s.hvp

def hvp_rosenbrock_dx(x, dx=1.0):
    x = copy_deep(x)
    dx = copy_deep(init_grad(x, dx))
    t = x[1:]                             # programs.py:372
    d_t = dx[1:]                          # programs.py:372
    t_1 = x[:-1]                          # programs.py:372
    d_t_1 = dx[:-1]                       # programs.py:372
    t_2 = t_1 ** 2                        # programs.py:372
    d_t_2 = d_t_1 * 2 * t_1               # programs.py:372
    t_3 = t - t_2                         # programs.py:372
    d_t_3 = d_t - d_t_2                   # programs.py:372
    t_5 = 100.0 * t_3 ** 2                # programs.py:372
    dt_9 = grad_reduce(seed, broadcast_shape(t_5, t_1), None, False)  # programs.py:372
    dt_5 = unbroadcast(dt_9, t_5)         # programs.py:372
    tmp_3 = unbroadcast(dt_9, t_1) * 2    # programs.py:372
    tmp_4 = 1 - t_1                       # programs.py:372
    dtmp_4 = -d_t_1                       # programs.py:372
    tmp_5 = tmp_3 * tmp_4                 # programs.py:372
    dtmp_5 = tmp_3 * dtmp_4               # programs.py:372
    dt_6 = -tmp_5                         # programs.py:372
    ddt_6 = -dtmp_5                       # programs.py:372
    grad_x = zeros_like(x)                # programs.py:372
    tmp_7 = grad_x[:-1] + dt_6            # programs.py:372
    dtmp_7 = tangent_like(ddt_6, tmp_7)   # programs.py:372
    ddx = zeros_like(grad_x)              # programs.py:372
    grad_x[:-1] = tmp_7                   # programs.py:372
    ddx[:-1] = dtmp_7                     # programs.py:372
    tmp_9 = dt_5 * 100.0 * 2              # programs.py:372
    dt_3 = tmp_9 * t_3                    # programs.py:372
    ddt_3 = tmp_9 * d_t_3                 # programs.py:372
    dt = unbroadcast(dt_3, t)             # programs.py:372
    ddt = unbroadcast(ddt_3, t)           # programs.py:372
    tmp_10 = grad_x[:-1]                  # programs.py:372
    dtmp_10 = ddx[:-1]                    # programs.py:372
    tmp_11 = -dt_3                        # programs.py:372
    dtmp_11 = -ddt_3                      # programs.py:372
    tmp_12 = unbroadcast(tmp_11, t_1)     # programs.py:372
    dtmp_12 = unbroadcast(dtmp_11, t_1)   # programs.py:372
    tmp_13 = tmp_12 * 2                   # programs.py:372
    dtmp_13 = dtmp_12 * 2                 # programs.py:372
    tmp_14 = tmp_13 * t_1                 # programs.py:372
    dtmp_14 = dtmp_13 * t_1 + tmp_13 * d_t_1  # programs.py:372
    tmp_15 = tmp_10 + tmp_14              # programs.py:372
    dtmp_15 = dtmp_10 + dtmp_14           # programs.py:372
    grad_x[:-1] = tmp_15                  # programs.py:372
    ddx[:-1] = dtmp_15                    # programs.py:372
    tmp_16 = grad_x[1:]                   # programs.py:372
    dtmp_16 = ddx[1:]                     # programs.py:372
    tmp_17 = tmp_16 + dt                  # programs.py:372
    dtmp_17 = dtmp_16 + ddt               # programs.py:372
    grad_x[1:] = tmp_17                   # programs.py:372
    ddx[1:] = dtmp_17                     # programs.py:372
    return as_grad(ddx, x)
