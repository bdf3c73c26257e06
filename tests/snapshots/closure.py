# ---- reverse: s2s.grad

def df_dx(x, *, dresult=1.0):
    t = x ** 2                            # programs.py:239
    t_1 = a * t                           # programs.py:239
    t_2 = b * x                           # programs.py:239
    result = t_1 + t_2                    # programs.py:239
    dresult = init_grad(result, dresult)
    dt_1 = unbroadcast(dresult, broadcast_shape(a, x))  # programs.py:239
    dx = unbroadcast(unbroadcast(dresult, broadcast_shape(b, x)) * b, x)  # programs.py:239
    dx = dx + unbroadcast(dt_1 * a, x) * 2 * x  # programs.py:239
    return dx

# ---- forward: s2s.jvp

def jvp_f_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    return a * (dx * 2 * x) + b * dx  # programs.py:239

# ---- forward over reverse: s2s.hvp

def hvp_f_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    t = x ** 2                            # programs.py:239
    t_1 = a * t                           # programs.py:239
    t_2 = b * x                           # programs.py:239
    result = t_1 + t_2                    # programs.py:239
    dresult = init_grad(result, dresult)
    dt_1 = unbroadcast(dresult, broadcast_shape(a, x))  # programs.py:239
    grad_x = unbroadcast(unbroadcast(dresult, broadcast_shape(b, x)) * b, x)  # programs.py:239
    tmp_6 = unbroadcast(dt_1 * a, x) * 2  # programs.py:239
    return tangent_like(tmp_6 * dx, grad_x + tmp_6 * x)
