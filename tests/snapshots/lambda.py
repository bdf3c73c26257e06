# ---- reverse: s2s.grad

def dlambda_dx_dy(x, y, *, dresult=1.0):
    t = y ** 2                        # programs.py:244
    result = x * t                    # programs.py:244
    dresult = init_grad(result, dresult)
    dx = unbroadcast(dresult * t, x)  # programs.py:244
    dt = unbroadcast(dresult * x, t)  # programs.py:244
    dy = dt * 2 * y                   # programs.py:244
    return dx, dy

# ---- forward: s2s.jvp

def jvp_lambda_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    t = y ** 2              # programs.py:244
    dt = dy * 2 * y         # programs.py:244
    return dx * t + x * dt  # programs.py:244

# ---- forward over reverse: s2s.hvp

def hvp_lambda_dx_dy(x, y, dx_1=1.0, dy_1=1.0):
    dx_1 = init_grad(x, dx_1)
    dy_1 = init_grad(y, dy_1)
    dresult = seed
    t = y ** 2                            # programs.py:244
    dt_1 = dy_1 * 2 * y                   # programs.py:244
    result = x * t                        # programs.py:244
    dresult = init_grad(result, dresult)
    ddx = unbroadcast(dresult * dt_1, x)  # programs.py:244
    t_2 = dresult * x                     # programs.py:244
    dt_2 = dresult * dx_1                 # programs.py:244
    dt = unbroadcast(t_2, t)              # programs.py:244
    ddt = unbroadcast(dt_2, t)            # programs.py:244
    t_3 = dt * 2                          # programs.py:244
    ddy = ddt * 2 * y + t_3 * dy_1        # programs.py:244
    return ddx, ddy
