# ---- reverse: s2s.grad

def dlambda_dx_dy(x, y, *, dresult=1.0):
    t = y ** 2                            # programs.py:244
    result = x * t                        # programs.py:244
    dresult = init_grad(result, dresult)
    dx = unbroadcast(dresult * t, x)      # programs.py:244
    dy = unbroadcast(dresult * x, t) * 2 * y  # programs.py:244
    return dx, dy

# ---- forward: s2s.jvp

def jvp_lambda_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    return dx * y ** 2 + x * (dy * 2 * y)  # programs.py:244

# ---- forward over reverse: s2s.hvp

def hvp_lambda_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    dresult = seed
    t = y ** 2                            # programs.py:244
    dt = dy * 2 * y                       # programs.py:244
    result = x * t                        # programs.py:244
    dresult = init_grad(result, dresult)
    ddx = unbroadcast(dresult * dt, x)    # programs.py:244
    tmp_1 = dresult * x                   # programs.py:244
    dtmp_1 = dresult * dx                 # programs.py:244
    ddy = unbroadcast(dtmp_1, t) * 2 * y + unbroadcast(tmp_1, t) * 2 * dy  # programs.py:244
    return ddx, ddy
