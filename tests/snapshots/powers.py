# ---- reverse: s2s.grad

def dpowers_dx_dp(x, p, *, dresult=1.0):
    t = x ** p                            # programs.py:342
    t_3 = 2.0 ** x                        # programs.py:342
    dt_4 = grad_reduce(dresult, broadcast_shape(broadcast_shape(t, x), t_3), None, False)  # programs.py:342
    dt_2 = unbroadcast(dt_4, broadcast_shape(t, x))  # programs.py:342
    dt_3 = unbroadcast(dt_4, t_3)         # programs.py:342
    dx = dt_3 * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    dt = unbroadcast(dt_2, t)             # programs.py:342
    dt_1 = unbroadcast(dt_2, x)           # programs.py:342
    dx = dx + dt_1 * 2.5 * np.power(x, 1.5)  # programs.py:342
    dx += unbroadcast(dt * p * x ** (p - 1), x)  # programs.py:342
    dp = unbroadcast(dt * t * np.log(np.where(x > 0, x, 1.0)), p)  # programs.py:342
    return dx, dp

# ---- forward: s2s.jvp

def jvp_powers_dx_dp(x, p, dx=1.0, dp=1.0):
    dx = init_grad(x, dx)
    dp = init_grad(p, dp)
    t = x ** p                            # programs.py:342
    dt = dx * p * x ** (p - 1) + dp * t * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
    dt_1 = dx * 2.5 * np.power(x, 1.5)    # programs.py:342
    dt_2 = dt + dt_1                      # programs.py:342
    t_3 = 2.0 ** x                        # programs.py:342
    dt_3 = dx * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    return np.sum(dt_2 + dt_3)            # programs.py:342

# ---- forward over reverse: s2s.hvp

def hvp_powers_dx_dp(x, p, dx_3=1.0, dp_1=1.0):
    dx_3 = init_grad(x, dx_3)
    dp_1 = init_grad(p, dp_1)
    t = x ** p                            # programs.py:342
    dt_5 = dx_3 * p * x ** (p - 1) + dp_1 * t * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
    t_3 = 2.0 ** x                        # programs.py:342
    dt_3_1 = dx_3 * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    t_1 = broadcast_shape(t, x)           # programs.py:342
    dt_4 = grad_reduce(seed, broadcast_shape(t_1, t_3), None, False)  # programs.py:342
    dt_2 = unbroadcast(dt_4, t_1)         # programs.py:342
    dt_3 = unbroadcast(dt_4, t_3)         # programs.py:342
    dt_5_1 = dt_3 * dt_3_1                # programs.py:342
    t_8 = np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    ddx = dt_5_1 * t_8                    # programs.py:342
    dt = unbroadcast(dt_2, t)             # programs.py:342
    dt_1 = unbroadcast(dt_2, x)           # programs.py:342
    t_9 = dt_1 * 2.5                      # programs.py:342
    dt_10 = dx_3 * 1.5 * np.power(x, 0.5)  # programs.py:342
    ddx = ddx + t_9 * dt_10               # programs.py:342
    t_12 = dt * p                         # programs.py:342
    dt_12 = dt * dp_1                     # programs.py:342
    t_13 = p - 1                          # programs.py:342
    t_14 = x ** t_13                      # programs.py:342
    dt_14 = dx_3 * t_13 * x ** (t_13 - 1) + dp_1 * t_14 * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
    dt_15 = dt_12 * t_14 + t_12 * dt_14   # programs.py:342
    ddx = ddx + unbroadcast(dt_15, x)     # programs.py:342
    t_17 = dt * t                         # programs.py:342
    dt_17 = dt * dt_5                     # programs.py:342
    t_18 = x > 0                          # programs.py:342
    t_19 = np.where(t_18, x, 1.0)         # programs.py:342
    dt_19 = tangent_like(np.where(t_18, dx_3, 0), t_19)  # programs.py:342
    t_20 = np.log(t_19)                   # programs.py:342
    dt_21 = dt_17 * t_20 + t_17 * (dt_19 / t_19)  # programs.py:342
    ddp = unbroadcast(dt_21, p)           # programs.py:342
    return ddx, ddp
