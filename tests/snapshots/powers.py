# ---- reverse: s2s.grad

def dpowers_dx_dp(x, p, *, dresult=1.0):
    t = x ** p                            # programs.py:342
    t_3 = 2.0 ** x                        # programs.py:342
    dt_4 = grad_reduce(dresult, broadcast_shape(broadcast_shape(t, x), t_3), None, False)  # programs.py:342
    dt_2 = unbroadcast(dt_4, broadcast_shape(t, x))  # programs.py:342
    dt_3 = unbroadcast(dt_4, t_3)         # programs.py:342
    dx = dt_3 * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    dt = unbroadcast(dt_2, t)             # programs.py:342
    dx = dx + unbroadcast(dt_2, x) * 2.5 * x ** 1.5  # programs.py:342
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
    dt_3 = dx * 2.0 ** x * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    return np.sum(dt_2 + dt_3)            # programs.py:342

# ---- forward over reverse: s2s.hvp

def hvp_powers_dx_dp(x, p, dx=1.0, dp=1.0):
    dx = init_grad(x, dx)
    dp = init_grad(p, dp)
    t = x ** p                            # programs.py:342
    d_t = dx * power_slope(x, p) + dp * t * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
    t_3 = 2.0 ** x                        # programs.py:342
    d_t_3 = dx * t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    tmp = broadcast_shape(t, x)           # programs.py:342
    dt_4 = grad_reduce(seed, broadcast_shape(tmp, t_3), None, False)  # programs.py:342
    dt_2 = unbroadcast(dt_4, tmp)         # programs.py:342
    dt_3 = unbroadcast(dt_4, t_3)         # programs.py:342
    ddx = dt_3 * d_t_3 * np.log(np.where(2.0 > 0, 2.0, 1.0))  # programs.py:342
    dt = unbroadcast(dt_2, t)             # programs.py:342
    ddx = ddx + unbroadcast(dt_2, x) * 2.5 * (dx * 1.5 * x ** 0.5)  # programs.py:342
    tmp_11 = power_slope(x, p)            # programs.py:342
    dtmp_11 = tangent_like(dx * power_slope(x, p, 2) + dp * power_slope_dy(x, p, 1), tmp_11)  # programs.py:342
    ddx = ddx + unbroadcast(dt * dtmp_11, x)  # programs.py:342
    tmp_14 = dt * t                       # programs.py:342
    dtmp_14 = dt * d_t                    # programs.py:342
    tmp_15 = x > 0                        # programs.py:342
    tmp_16 = np.where(tmp_15, x, 1.0)     # programs.py:342
    dtmp_16 = tangent_like(np.where(tmp_15, dx, 0), tmp_16)  # programs.py:342
    ddp = unbroadcast(dtmp_14 * np.log(tmp_16) + tmp_14 * (dtmp_16 / tmp_16), p)  # programs.py:342
    return ddx, ddp
