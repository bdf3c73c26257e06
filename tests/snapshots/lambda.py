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
    t = y ** 2                            # dlambda_dx_dy_5555835306a6.py:3
    dt_1 = dy_1 * 2 * y                   # dlambda_dx_dy_5555835306a6.py:3
    result = x * t                        # dlambda_dx_dy_5555835306a6.py:4
    dresult = init_grad(result, dresult)  # dlambda_dx_dy_5555835306a6.py:5
    ddx = unbroadcast(dresult * dt_1, x)  # dlambda_dx_dy_5555835306a6.py:6
    t_2 = dresult * x                     # dlambda_dx_dy_5555835306a6.py:7
    dt_2 = dresult * dx_1                 # dlambda_dx_dy_5555835306a6.py:7
    dt = unbroadcast(t_2, t)              # dlambda_dx_dy_5555835306a6.py:7
    ddt = unbroadcast(dt_2, t)            # dlambda_dx_dy_5555835306a6.py:7
    t_3 = dt * 2                          # dlambda_dx_dy_5555835306a6.py:8
    ddy = ddt * 2 * y + t_3 * dy_1        # dlambda_dx_dy_5555835306a6.py:8
    return ddx, ddy                       # dlambda_dx_dy_5555835306a6.py:9
