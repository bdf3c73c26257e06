# ---- reverse: s2s.grad

def dscalar_plus_array_dx(x, c, *, dresult=1.0):
    y = x + c                             # programs.py:330
    t = y[1]                              # programs.py:331
    dx = unbroadcast(-grad_reduce(dresult, broadcast_shape(c, x), None, False), x)  # programs.py:332
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
    dz = dy[1] * y + y[1] * dy            # programs.py:331
    return np.sum(dz) + np.sum(tangent_like(-dx, c - x))  # programs.py:332

# ---- forward over reverse: s2s.hvp

def hvp_scalar_plus_array_dx(x, c, dx=1.0):
    dx = init_grad(x, dx)
    y = x + c                             # programs.py:330
    d_y = tangent_like(dx, y)             # programs.py:330
    t = y[1]                              # programs.py:331
    d_t = d_y[1]                          # programs.py:331
    grad_x = unbroadcast(-grad_reduce(seed, broadcast_shape(c, x), None, False), x)  # programs.py:332
    dz = grad_reduce(seed, broadcast_shape(t, y), None, False)  # programs.py:332
    tmp_4 = dz * y                        # programs.py:331
    dtmp_4 = dz * d_y                     # programs.py:331
    dt = unbroadcast(tmp_4, t)            # programs.py:331
    ddt = unbroadcast(dtmp_4, t)          # programs.py:331
    tmp_5 = dz * t                        # programs.py:331
    dtmp_5 = dz * d_t                     # programs.py:331
    dy = unbroadcast(tmp_5, y)            # programs.py:331
    ddy = copy_grad(unbroadcast(dtmp_5, y))  # programs.py:331
    dy_1 = copy_grad(dy)                  # programs.py:331
    ddy_1 = copy_grad(ddy)                # programs.py:331
    dy = dy_1                             # programs.py:331
    ddy = ddy_1                           # programs.py:331
    tmp_6 = dy[1]                         # programs.py:331
    dtmp_6 = ddy[1]                       # programs.py:331
    tmp_7 = tmp_6 + dt                    # programs.py:331
    dtmp_7 = dtmp_6 + ddt                 # programs.py:331
    dy[1] = tmp_7                         # programs.py:331
    ddy[1] = dtmp_7                       # programs.py:331
    return copy_grad(tangent_like(unbroadcast(ddy, x), grad_x + unbroadcast(dy, x)))
