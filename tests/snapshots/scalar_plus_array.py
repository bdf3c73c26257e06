# ---- reverse: s2s.grad

def dscalar_plus_array_dx(x, c, *, dresult=1.0):
    y = x + c                             # programs.py:330
    t = y[1]                              # programs.py:331
    dt_2 = grad_reduce(dresult, broadcast_shape(c, x), None, False)  # programs.py:332
    dx = unbroadcast(-dt_2, x)            # programs.py:332
    dz = grad_reduce(dresult, broadcast_shape(t, y), None, False)  # programs.py:332
    dt = unbroadcast(dz * y, t)           # programs.py:331
    dy = unbroadcast(dz * t, y)           # programs.py:331
    dy = copy_grad(dy)                    # programs.py:331
    dy[1] = dy[1] + dt                    # programs.py:331
    dx = dx + unbroadcast(dy, x)          # programs.py:330
    return dx

# ---- forward: s2s.jvp

def jvp_scalar_plus_array_dx(x, c, dx=1.0):
    dx = init_grad(x, dx)
    y = x + c                             # programs.py:330
    dy = tangent_like(dx, y)              # programs.py:330
    t = y[1]                              # programs.py:331
    dz = dy[1] * y + t * dy               # programs.py:331
    dt_1 = np.sum(dz)                     # programs.py:332
    dt_3 = np.sum(tangent_like(-dx, c - x))  # programs.py:332
    return dt_1 + dt_3                    # programs.py:332

# ---- forward over reverse: s2s.hvp

def hvp_scalar_plus_array_dx(x, c, dx_2=1.0):
    dx_2 = init_grad(x, dx_2)
    y = x + c                             # programs.py:330
    dy_2 = tangent_like(dx_2, y)          # programs.py:330
    t = y[1]                              # programs.py:331
    dt_1 = dy_2[1]                        # programs.py:331
    dt_2 = grad_reduce(seed, broadcast_shape(c, x), None, False)  # programs.py:332
    dx = unbroadcast(-dt_2, x)            # programs.py:332
    dz = grad_reduce(seed, broadcast_shape(t, y), None, False)  # programs.py:332
    t_4 = dz * y                          # programs.py:331
    dt_4 = dz * dy_2                      # programs.py:331
    dt = unbroadcast(t_4, t)              # programs.py:331
    ddt = unbroadcast(dt_4, t)            # programs.py:331
    t_5 = dz * t                          # programs.py:331
    dt_5 = dz * dt_1                      # programs.py:331
    dy = unbroadcast(t_5, y)              # programs.py:331
    ddy = copy_grad(unbroadcast(dt_5, y))  # programs.py:331
    dy_1 = copy_grad(dy)                  # programs.py:331
    ddy_1 = copy_grad(ddy)                # programs.py:331
    dy = dy_1                             # programs.py:331
    ddy = ddy_1                           # programs.py:331
    t_6 = dy[1]                           # programs.py:331
    dt_6 = ddy[1]                         # programs.py:331
    t_7 = t_6 + dt                        # programs.py:331
    dt_7 = dt_6 + ddt                     # programs.py:331
    dy[1] = t_7                           # programs.py:331
    ddy[1] = dt_7                         # programs.py:331
    t_8 = unbroadcast(dy, x)              # programs.py:330
    return copy_grad(tangent_like(unbroadcast(ddy, x), dx + t_8))
