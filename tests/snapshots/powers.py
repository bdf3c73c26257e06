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

def hvp_powers_dx_dp(x, p, d_x=1.0, d_p=1.0):
    d_x = init_grad(x, d_x)
    d_p = init_grad(p, d_p)
    t = x ** p                            # programs.py:342
    d_t = d_x * p * x ** (p - 1) + d_p * t * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
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
    dtmp_8 = d_x * 1.5 * np.power(x, 0.5)  # programs.py:342
    ddx = ddx + tmp_7 * dtmp_8            # programs.py:342
    tmp_10 = dt * p                       # programs.py:342
    dtmp_10 = dt * d_p                    # programs.py:342
    tmp_11 = p - 1                        # programs.py:342
    tmp_12 = x ** tmp_11                  # programs.py:342
    dtmp_12 = d_x * tmp_11 * x ** (tmp_11 - 1) + d_p * tmp_12 * np.log(np.where(x > 0, x, 1.0))  # programs.py:342
    dtmp_13 = dtmp_10 * tmp_12 + tmp_10 * dtmp_12  # programs.py:342
    ddx = ddx + unbroadcast(dtmp_13, x)   # programs.py:342
    tmp_15 = dt * t                       # programs.py:342
    dtmp_15 = dt * d_t                    # programs.py:342
    tmp_16 = x > 0                        # programs.py:342
    tmp_17 = np.where(tmp_16, x, 1.0)     # programs.py:342
    dtmp_17 = tangent_like(np.where(tmp_16, d_x, 0), tmp_17)  # programs.py:342
    tmp_18 = np.log(tmp_17)               # programs.py:342
    dtmp_19 = dtmp_15 * tmp_18 + tmp_15 * (dtmp_17 / tmp_17)  # programs.py:342
    ddp = unbroadcast(dtmp_19, p)         # programs.py:342
    return ddx, ddp
