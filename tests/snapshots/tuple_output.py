# ---- reverse: s2s.grad

def dtuple_output_dx_dy(x, y, *, dresult=1.0):
    t = x * y                             # programs.py:368
    t_1 = np.sin(y)                       # programs.py:368
    result = t, x + t_1                   # programs.py:368
    dresult = init_grad(result, dresult)
    dt = dresult[0]                       # programs.py:368
    dt_2 = dresult[1]                     # programs.py:368
    dx = unbroadcast(dt_2, x)             # programs.py:368
    dy = unbroadcast(dt_2, y) * np.cos(y)  # programs.py:368
    dx = dx + unbroadcast(dt * y, x)      # programs.py:368
    dy = dy + unbroadcast(dt * x, y)      # programs.py:368
    return dx, dy

# ---- forward: s2s.jvp

def jvp_tuple_output_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    return dx * y + x * dy, dx + dy * np.cos(y)  # programs.py:368

# ---- forward over reverse: s2s.hvp

def hvp_tuple_output_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    dresult = seed
    t = x * y                             # programs.py:368
    t_1 = np.sin(y)                       # programs.py:368
    result = t, x + t_1                   # programs.py:368
    dresult = init_grad(result, dresult)
    dt = dresult[0]                       # programs.py:368
    dt_2 = dresult[1]                     # programs.py:368
    grad_x = unbroadcast(dt_2, x)         # programs.py:368
    ddy = unbroadcast(dt_2, y) * (-dy * np.sin(y))  # programs.py:368
    ddx_1 = tangent_like(unbroadcast(dt * dy, x), grad_x + unbroadcast(dt * y, x))  # programs.py:368
    ddy = ddy + unbroadcast(dt * dx, y)   # programs.py:368
    return ddx_1, ddy
