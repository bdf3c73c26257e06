# ---- reverse: s2s.grad

def dpolynomial_dx_dy(x, y, *, dresult=1.0):
    t = x ** 2                            # programs.py:306
    t_1 = 3 * x                           # programs.py:306
    t_2 = t_1 * y                         # programs.py:306
    t_3 = t + t_2                         # programs.py:306
    t_4 = y ** 2                          # programs.py:306
    result = t_3 + t_4                    # programs.py:306
    dresult = init_grad(result, dresult)
    dt_3 = unbroadcast(dresult, broadcast_shape(x, broadcast_shape(t_1, y)))  # programs.py:306
    dy = unbroadcast(dresult, y) * 2 * y  # programs.py:306
    dt = unbroadcast(dt_3, x)             # programs.py:306
    dt_2 = unbroadcast(dt_3, broadcast_shape(t_1, y))  # programs.py:306
    dt_1 = unbroadcast(dt_2 * y, t_1)     # programs.py:306
    dy = dy + unbroadcast(dt_2 * t_1, y)  # programs.py:306
    dx = dt_1 * 3                         # programs.py:306
    dx = dx + dt * 2 * x                  # programs.py:306
    return dx, dy

# ---- forward: s2s.jvp

def jvp_polynomial_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    dt_3 = dx * 2 * x + (3 * dx * y + 3 * x * dy)  # programs.py:306
    return dt_3 + dy * 2 * y              # programs.py:306

# ---- forward over reverse: s2s.hvp

def hvp_polynomial_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    dresult = seed
    t = x ** 2                            # programs.py:306
    t_1 = 3 * x                           # programs.py:306
    d_t_1 = 3 * dx                        # programs.py:306
    t_2 = t_1 * y                         # programs.py:306
    t_3 = t + t_2                         # programs.py:306
    t_4 = y ** 2                          # programs.py:306
    result = t_3 + t_4                    # programs.py:306
    dresult = init_grad(result, dresult)
    tmp = broadcast_shape(t_1, y)         # programs.py:306
    dt_3 = unbroadcast(dresult, broadcast_shape(x, tmp))  # programs.py:306
    ddy = unbroadcast(dresult, y) * 2 * dy  # programs.py:306
    dt = unbroadcast(dt_3, x)             # programs.py:306
    dt_2 = unbroadcast(dt_3, tmp)         # programs.py:306
    ddt_1 = unbroadcast(dt_2 * dy, t_1)   # programs.py:306
    ddy = ddy + unbroadcast(dt_2 * d_t_1, y)  # programs.py:306
    ddx = ddt_1 * 3                       # programs.py:306
    ddx = ddx + dt * 2 * dx               # programs.py:306
    return ddx, ddy
