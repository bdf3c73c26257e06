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
    dx = dx + dt_1 * 2.5 * x ** 1.5       # programs.py:342
    dx += unbroadcast(dt * power_slope(x, p), x)  # programs.py:342
    dp = unbroadcast(dt * t * np.log(np.where(x > 0, x, 1.0)), p)  # programs.py:342
    return dx, dp

# ---- forward: s2s.jvp

def jvp_powers_dx_dp(x, p, dx=1.0, dp=1.0):
    dx = init_grad(x, dx)
    dp = init_grad(p, dp)
    t = x ** p                            # programs.py:342
    dt = dx * power_slope(x, p) + dp * t * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
    dt_2 = dt + dx * 2.5 * x ** 1.5       # programs.py:342
    t_3 = 2.0 ** x                        # programs.py:342
    dt_3 = dx * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    return np.sum(dt_2 + dt_3)            # programs.py:342

# ---- forward over reverse: s2s.hvp

def hvp_powers_dx_dp(x, p, d_x=1.0, d_p=1.0):
    d_x = init_grad(x, d_x)
    d_p = init_grad(p, d_p)
    t = x ** p                            # programs.py:342
    d_t = d_x * power_slope(x, p) + d_p * t * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
    t_3 = 2.0 ** x                        # programs.py:342
    d_t_3 = d_x * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    tmp = broadcast_shape(t, x)           # programs.py:342
    dt_4 = grad_reduce(seed, broadcast_shape(tmp, t_3), None, False)  # programs.py:342
    dt_2 = unbroadcast(dt_4, tmp)         # programs.py:342
    dt_3 = unbroadcast(dt_4, t_3)         # programs.py:342
    dtmp_3 = dt_3 * d_t_3                 # programs.py:342
    tmp_6 = np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    ddx = dtmp_3 * tmp_6                  # programs.py:342
    dt = unbroadcast(dt_2, t)             # programs.py:342
    dt_1 = unbroadcast(dt_2, x)           # programs.py:342
    tmp_7 = dt_1 * 2.5                    # programs.py:342
    dtmp_9 = tmp_7 * (d_x * 1.5 * x ** 0.5)  # programs.py:342
    ddx = ddx + dtmp_9                    # programs.py:342
    tmp_10 = power_slope(x, p)            # programs.py:342
    dtmp_10 = tangent_like(d_x * power_slope(x, p, 2) + d_p * power_slope_dy(x, p, 1), tmp_10)  # programs.py:342
    ddx = ddx + unbroadcast(dt * dtmp_10, x)  # programs.py:342
    tmp_13 = dt * t                       # programs.py:342
    dtmp_13 = dt * d_t                    # programs.py:342
    tmp_14 = x > 0                        # programs.py:342
    tmp_15 = np.where(tmp_14, x, 1.0)     # programs.py:342
    dtmp_15 = tangent_like(np.where(tmp_14, d_x, 0), tmp_15)  # programs.py:342
    tmp_16 = np.log(tmp_15)               # programs.py:342
    dtmp_17 = dtmp_13 * tmp_16 + tmp_13 * (dtmp_15 / tmp_15)  # programs.py:342
    ddp = unbroadcast(dtmp_17, p)         # programs.py:342
    return ddx, ddp
