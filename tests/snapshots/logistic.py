# ---- reverse: s2s.grad

def dlogistic_dx(x, *, dresult=1.0):
    t_1 = np.exp(-x)                      # programs.py:302
    t_2 = 1 + t_1                         # programs.py:302
    result = 1 / t_2                      # programs.py:302
    dresult = init_grad(result, dresult)
    dx = -(-dresult * result / t_2 * t_1)  # programs.py:302
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

def hvp_logistic_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    t = -x                                # programs.py:302
    dt = -dx                              # programs.py:302
    t_1 = np.exp(t)                       # programs.py:302
    dt_1 = dt * t_1                       # programs.py:302
    t_2 = 1 + t_1                         # programs.py:302
    result = 1 / t_2                      # programs.py:302
    d_result = -(result * dt_1) / t_2     # programs.py:302
    dresult = init_grad(result, dresult)
    t_3 = -dresult                        # programs.py:302
    t_4 = t_3 * result                    # programs.py:302
    dt_4 = t_3 * d_result                 # programs.py:302
    t_5 = t_4 / t_2                       # programs.py:302
    ddx = -((dt_4 - t_5 * dt_1) / t_2 * t_1 + t_5 * dt_1)  # programs.py:302
    return ddx
