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
    t = x ** p                            # dpowers_dx_dp_db7c622b1665.py:3
    dt_5 = dx_3 * p * x ** (p - 1) + dp_1 * t * np.log(np.where(x > 0, x, 1.0))  # dpowers_dx_dp_db7c622b1665.py:3
    t_3 = 2.0 ** x                        # dpowers_dx_dp_db7c622b1665.py:4
    dt_3_1 = dx_3 * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # dpowers_dx_dp_db7c622b1665.py:4
    t_1 = broadcast_shape(t, x)           # dpowers_dx_dp_db7c622b1665.py:5
    dt_4 = grad_reduce(seed, broadcast_shape(t_1, t_3), None, False)  # dpowers_dx_dp_db7c622b1665.py:5
    dt_2 = unbroadcast(dt_4, t_1)         # dpowers_dx_dp_db7c622b1665.py:6
    dt_3 = unbroadcast(dt_4, t_3)         # dpowers_dx_dp_db7c622b1665.py:7
    dt_5_1 = dt_3 * dt_3_1                # dpowers_dx_dp_db7c622b1665.py:8
    t_8 = np.log(np.where(2.0 > 0, 2.0, 1.0))  # dpowers_dx_dp_db7c622b1665.py:8
    ddx = dt_5_1 * t_8                    # dpowers_dx_dp_db7c622b1665.py:8
    dt = unbroadcast(dt_2, t)             # dpowers_dx_dp_db7c622b1665.py:9
    dt_1 = unbroadcast(dt_2, x)           # dpowers_dx_dp_db7c622b1665.py:10
    t_9 = dt_1 * 2.5                      # dpowers_dx_dp_db7c622b1665.py:11
    dt_10 = dx_3 * 1.5 * np.power(x, 0.5)  # dpowers_dx_dp_db7c622b1665.py:11
    ddx = ddx + t_9 * dt_10               # dpowers_dx_dp_db7c622b1665.py:11
    t_12 = dt * p                         # dpowers_dx_dp_db7c622b1665.py:12
    dt_12 = dt * dp_1                     # dpowers_dx_dp_db7c622b1665.py:12
    t_13 = p - 1                          # dpowers_dx_dp_db7c622b1665.py:12
    t_14 = x ** t_13                      # dpowers_dx_dp_db7c622b1665.py:12
    dt_14 = dx_3 * t_13 * x ** (t_13 - 1) + dp_1 * t_14 * np.log(np.where(x > 0, x, 1.0))  # dpowers_dx_dp_db7c622b1665.py:12
    dt_15 = dt_12 * t_14 + t_12 * dt_14   # dpowers_dx_dp_db7c622b1665.py:12
    ddx = ddx + unbroadcast(dt_15, x)     # dpowers_dx_dp_db7c622b1665.py:12
    t_17 = dt * t                         # dpowers_dx_dp_db7c622b1665.py:13
    dt_17 = dt * dt_5                     # dpowers_dx_dp_db7c622b1665.py:13
    t_18 = x > 0                          # dpowers_dx_dp_db7c622b1665.py:13
    t_19 = np.where(t_18, x, 1.0)         # dpowers_dx_dp_db7c622b1665.py:13
    dt_19 = tangent_like(np.where(t_18, dx_3, 0), t_19)  # dpowers_dx_dp_db7c622b1665.py:13
    t_20 = np.log(t_19)                   # dpowers_dx_dp_db7c622b1665.py:13
    dt_21 = dt_17 * t_20 + t_17 * (dt_19 / t_19)  # dpowers_dx_dp_db7c622b1665.py:13
    ddp = unbroadcast(dt_21, p)           # dpowers_dx_dp_db7c622b1665.py:13
    return ddx, ddp                       # dpowers_dx_dp_db7c622b1665.py:14
