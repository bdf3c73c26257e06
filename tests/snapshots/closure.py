# ---- reverse: s2s.grad

def df_dx(x, *, dresult=1.0):
    t = x ** 2                            # programs.py:239
    t_1 = a * t                           # programs.py:239
    t_2 = b * x                           # programs.py:239
    result = t_1 + t_2                    # programs.py:239
    dresult = init_grad(result, dresult)
    dt_1 = unbroadcast(dresult, broadcast_shape(a, x))  # programs.py:239
    dt_2 = unbroadcast(dresult, broadcast_shape(b, x))  # programs.py:239
    dx = unbroadcast(dt_2 * b, x)         # programs.py:239
    dt = unbroadcast(dt_1 * a, x)         # programs.py:239
    dx = dx + dt * 2 * x                  # programs.py:239
    return dx

# ---- forward: s2s.jvp

def jvp_f_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dt_1 = a * (dx * 2 * x)  # programs.py:239
    return dt_1 + b * dx     # programs.py:239

# ---- forward over reverse: s2s.hvp

def hvp_f_dx(x, d_x=1.0):
    d_x = init_grad(x, d_x)
    dresult = seed
    t = x ** 2                            # programs.py:239
    t_1 = a * t                           # programs.py:239
    t_2 = b * x                           # programs.py:239
    result = t_1 + t_2                    # programs.py:239
    dresult = init_grad(result, dresult)
    dt_1 = unbroadcast(dresult, broadcast_shape(a, x))  # programs.py:239
    dt_2 = unbroadcast(dresult, broadcast_shape(b, x))  # programs.py:239
    dx = unbroadcast(dt_2 * b, x)         # programs.py:239
    dt = unbroadcast(dt_1 * a, x)         # programs.py:239
    tmp_4 = dt * 2                        # programs.py:239
    return tangent_like(tmp_4 * d_x, dx + tmp_4 * x)
