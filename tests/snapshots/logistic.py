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

def hvp_logistic_dx(x, dx_1=1.0):
    dx_1 = init_grad(x, dx_1)
    dresult = seed
    t = -x                                # programs.py:302
    dt_1 = -dx_1                          # programs.py:302
    t_1 = np.exp(t)                       # programs.py:302
    dt_1_1 = dt_1 * t_1                   # programs.py:302
    t_2 = 1 + t_1                         # programs.py:302
    result = 1 / t_2                      # programs.py:302
    dresult_2 = -(result * dt_1_1) / t_2  # programs.py:302
    dresult = init_grad(result, dresult)
    t_3 = -dresult                        # programs.py:302
    t_4 = t_3 * result                    # programs.py:302
    dt_4 = t_3 * dresult_2                # programs.py:302
    dt_2 = t_4 / t_2                      # programs.py:302
    ddt_2 = (dt_4 - dt_2 * dt_1_1) / t_2  # programs.py:302
    ddt = ddt_2 * t_1 + dt_2 * dt_1_1     # programs.py:302
    ddx = -ddt                            # programs.py:302
    return ddx
