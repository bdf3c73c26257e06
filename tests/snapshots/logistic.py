# ---- reverse: s2s.grad

def dlogistic_dx(x, *, dresult=1.0):
    t_1 = np.exp(-x)                # programs.py:302
    t_2 = 1 + t_1                   # programs.py:302
    result = 1 / t_2                # programs.py:302
    dresult = init_grad(result, dresult)
    dt_2 = -dresult * result / t_2  # programs.py:302
    dt = dt_2 * t_1                 # programs.py:302
    dx = -dt                        # programs.py:302
    return dx

# ---- forward: s2s.jvp

def jvp_logistic_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t = -x                          # programs.py:302
    dt = -dx                        # programs.py:302
    t_1 = np.exp(t)                 # programs.py:302
    dt_1 = dt * t_1                 # programs.py:302
    t_2 = 1 + t_1                   # programs.py:302
    return -(1 / t_2 * dt_1) / t_2  # programs.py:302

# ---- forward over reverse: s2s.hvp

def hvp_logistic_dx(x, d_x=1.0):
    d_x = init_grad(x, d_x)
    dresult = seed
    tmp = -x                              # programs.py:302
    dtmp = -d_x                           # programs.py:302
    t_1 = np.exp(tmp)                     # programs.py:302
    d_t_1 = dtmp * t_1                    # programs.py:302
    t_2 = 1 + t_1                         # programs.py:302
    result = 1 / t_2                      # programs.py:302
    d_result = -(result * d_t_1) / t_2    # programs.py:302
    dresult = init_grad(result, dresult)
    tmp_1 = -dresult                      # programs.py:302
    tmp_2 = tmp_1 * result                # programs.py:302
    dtmp_2 = tmp_1 * d_result             # programs.py:302
    dt_2 = tmp_2 / t_2                    # programs.py:302
    ddt_2 = (dtmp_2 - dt_2 * d_t_1) / t_2  # programs.py:302
    ddt = ddt_2 * t_1 + dt_2 * d_t_1      # programs.py:302
    ddx = -ddt                            # programs.py:302
    return ddx
