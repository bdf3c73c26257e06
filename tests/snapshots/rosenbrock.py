# ---- reverse: s2s.grad

def drosenbrock_dx(x, *, dresult=1.0):
    t = x[1:]                             # programs.py:372
    t_1 = x[:-1]                          # programs.py:372
    t_2 = t_1 ** 2                        # programs.py:372
    t_3 = t - t_2                         # programs.py:372
    t_5 = 100.0 * t_3 ** 2                # programs.py:372
    t_7 = 1 - t_1                         # programs.py:372
    dt_9 = grad_reduce(dresult, broadcast_shape(t_5, t_7), None, False)  # programs.py:372
    dt_5 = unbroadcast(dt_9, t_5)         # programs.py:372
    dt_8 = unbroadcast(dt_9, t_7)         # programs.py:372
    dt_7 = dt_8 * 2 * t_7                 # programs.py:372
    dt_6 = -dt_7                          # programs.py:372
    dx = zeros_like(x)                    # programs.py:372
    dx[:-1] = dx[:-1] + dt_6              # programs.py:372
    dt_4 = dt_5 * 100.0                   # programs.py:372
    dt_3 = dt_4 * 2 * t_3                 # programs.py:372
    dt = unbroadcast(dt_3, t)             # programs.py:372
    dt_2 = unbroadcast(-dt_3, t_1)        # programs.py:372
    dt_1 = dt_2 * 2 * t_1                 # programs.py:372
    dx[:-1] = dx[:-1] + dt_1              # programs.py:372
    dx[1:] = dx[1:] + dt                  # programs.py:372
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_rosenbrock_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t = x[1:]                             # programs.py:372
    dt = dx[1:]                           # programs.py:372
    t_1 = x[:-1]                          # programs.py:372
    dt_1 = dx[:-1]                        # programs.py:372
    t_2 = t_1 ** 2                        # programs.py:372
    dt_2 = dt_1 * 2 * t_1                 # programs.py:372
    t_3 = t - t_2                         # programs.py:372
    dt_5 = 100.0 * ((dt - dt_2) * 2 * t_3)  # programs.py:372
    dt_9 = dt_5 + -dt_1 * 2 * (1 - t_1)   # programs.py:372
    return np.sum(dt_9)                   # programs.py:372

# ---- forward over reverse: s2s.hvp

def hvp_rosenbrock_dx(x, dx_1=1.0):
    x = copy_deep(x)
    dx_1 = copy_deep(init_grad(x, dx_1))
    t = x[1:]                             # programs.py:372
    dt_10 = dx_1[1:]                      # programs.py:372
    t_1 = x[:-1]                          # programs.py:372
    dt_1_1 = dx_1[:-1]                    # programs.py:372
    t_2 = t_1 ** 2                        # programs.py:372
    dt_2_1 = dt_1_1 * 2 * t_1             # programs.py:372
    t_3 = t - t_2                         # programs.py:372
    dt_3_1 = dt_10 - dt_2_1               # programs.py:372
    t_5 = 100.0 * t_3 ** 2                # programs.py:372
    t_7 = 1 - t_1                         # programs.py:372
    dt_7_1 = -dt_1_1                      # programs.py:372
    dt_9 = grad_reduce(seed, broadcast_shape(t_5, t_7), None, False)  # programs.py:372
    dt_5 = unbroadcast(dt_9, t_5)         # programs.py:372
    dt_8 = unbroadcast(dt_9, t_7)         # programs.py:372
    t_8 = dt_8 * 2                        # programs.py:372
    dt_7 = t_8 * t_7                      # programs.py:372
    ddt_7 = t_8 * dt_7_1                  # programs.py:372
    dt_6 = -dt_7                          # programs.py:372
    ddt_6 = -ddt_7                        # programs.py:372
    dx = zeros_like(x)                    # programs.py:372
    t_10 = dx[:-1] + dt_6                 # programs.py:372
    dt_10_1 = tangent_like(ddt_6, t_10)   # programs.py:372
    ddx = zeros_like(dx)                  # programs.py:372
    dx[:-1] = t_10                        # programs.py:372
    ddx[:-1] = dt_10_1                    # programs.py:372
    dt_4 = dt_5 * 100.0                   # programs.py:372
    t_11 = dt_4 * 2                       # programs.py:372
    dt_3 = t_11 * t_3                     # programs.py:372
    ddt_3 = t_11 * dt_3_1                 # programs.py:372
    dt = unbroadcast(dt_3, t)             # programs.py:372
    ddt = unbroadcast(ddt_3, t)           # programs.py:372
    t_12 = -dt_3                          # programs.py:372
    dt_12 = -ddt_3                        # programs.py:372
    dt_2 = unbroadcast(t_12, t_1)         # programs.py:372
    ddt_2 = unbroadcast(dt_12, t_1)       # programs.py:372
    t_13 = dt_2 * 2                       # programs.py:372
    dt_13 = ddt_2 * 2                     # programs.py:372
    dt_1 = t_13 * t_1                     # programs.py:372
    ddt_1 = dt_13 * t_1 + t_13 * dt_1_1   # programs.py:372
    t_14 = dx[:-1]                        # programs.py:372
    dt_14 = ddx[:-1]                      # programs.py:372
    t_15 = t_14 + dt_1                    # programs.py:372
    dt_15 = dt_14 + ddt_1                 # programs.py:372
    dx[:-1] = t_15                        # programs.py:372
    ddx[:-1] = dt_15                      # programs.py:372
    t_16 = dx[1:]                         # programs.py:372
    dt_16 = ddx[1:]                       # programs.py:372
    t_17 = t_16 + dt                      # programs.py:372
    dt_17 = dt_16 + ddt                   # programs.py:372
    dx[1:] = t_17                         # programs.py:372
    ddx[1:] = dt_17                       # programs.py:372
    return as_grad(ddx, x)
