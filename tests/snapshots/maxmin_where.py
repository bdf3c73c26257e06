# ---- reverse: s2s.grad

def dmaxmin_where_dx_dy(x, y, *, dresult=1.0):
    t = np.maximum(x, y)                  # programs.py:336
    t_1 = np.minimum(x, 0.1)              # programs.py:336
    t_2 = x > 0.0                         # programs.py:337
    t_3 = x * y                           # programs.py:337
    t_4 = -x                              # programs.py:337
    b = np.where(t_2, t_3, t_4)           # programs.py:337
    dt_5 = grad_reduce(dresult, broadcast_shape(broadcast_shape(t, t_1), b), None, False)  # programs.py:338
    da = unbroadcast(dt_5, broadcast_shape(t, t_1))  # programs.py:338
    db = unbroadcast(dt_5, b)             # programs.py:338
    dt_3 = unbroadcast(np.where(t_2, db, 0.0), broadcast_shape(x, y))  # programs.py:337
    dt_4 = unbroadcast(np.where(t_2, 0.0, db), x)  # programs.py:337
    dx = -dt_4                            # programs.py:337
    dx = dx + unbroadcast(dt_3 * y, x)    # programs.py:337
    dy = unbroadcast(dt_3 * x, y)         # programs.py:337
    dt = unbroadcast(da * t_1, t)         # programs.py:336
    dt_1 = unbroadcast(da * t, t_1)       # programs.py:336
    dx += dt_1 * (x <= 0.1)               # programs.py:336
    dx += unbroadcast(dt * (x >= y), x)   # programs.py:336
    dy = dy + unbroadcast(dt * (x < y), y)  # programs.py:336
    return dx, dy

# ---- forward: s2s.jvp

def jvp_maxmin_where_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    t = np.maximum(x, y)                  # programs.py:336
    dt = tangent_like(np.where(x >= y, dx, dy), t)  # programs.py:336
    t_1 = np.minimum(x, 0.1)              # programs.py:336
    dt_1 = tangent_like(np.where(x <= 0.1, dx, 0), t_1)  # programs.py:336
    da = dt * t_1 + t * dt_1              # programs.py:336
    t_2 = x > 0.0                         # programs.py:337
    t_3 = x * y                           # programs.py:337
    dt_3 = dx * y + x * dy                # programs.py:337
    t_4 = -x                              # programs.py:337
    dt_4 = -dx                            # programs.py:337
    b = np.where(t_2, t_3, t_4)           # programs.py:337
    db = tangent_like(np.where(t_2, dt_3, dt_4), b)  # programs.py:337
    return np.sum(da + db)                # programs.py:338

# ---- forward over reverse: s2s.hvp

def hvp_maxmin_where_dx_dy(x, y, dx_4=1.0, dy_2=1.0):
    dx_4 = init_grad(x, dx_4)
    dy_2 = init_grad(y, dy_2)
    t = np.maximum(x, y)                  # programs.py:336
    dt_2 = tangent_like(np.where(x >= y, dx_4, dy_2), t)  # programs.py:336
    t_1 = np.minimum(x, 0.1)              # programs.py:336
    dt_1_1 = tangent_like(np.where(x <= 0.1, dx_4, 0), t_1)  # programs.py:336
    t_2 = x > 0.0                         # programs.py:337
    t_3 = x * y                           # programs.py:337
    t_4 = -x                              # programs.py:337
    b = np.where(t_2, t_3, t_4)           # programs.py:337
    t_5 = broadcast_shape(t, t_1)         # programs.py:338
    dt_5 = grad_reduce(seed, broadcast_shape(t_5, b), None, False)  # programs.py:338
    da = unbroadcast(dt_5, t_5)           # programs.py:338
    db = unbroadcast(dt_5, b)             # programs.py:338
    t_8 = np.where(t_2, db, 0.0)          # programs.py:337
    dt_3 = unbroadcast(t_8, broadcast_shape(x, y))  # programs.py:337
    dt_4 = unbroadcast(np.where(t_2, 0.0, db), x)  # programs.py:337
    dx = -dt_4                            # programs.py:337
    t_11 = dt_3 * y                       # programs.py:337
    dt_11 = dt_3 * dy_2                   # programs.py:337
    t_12 = unbroadcast(t_11, x)           # programs.py:337
    ddx = tangent_like(unbroadcast(dt_11, x), dx + t_12)  # programs.py:337
    ddy = unbroadcast(dt_3 * dx_4, y)     # programs.py:337
    ddt = unbroadcast(da * dt_1_1, t)     # programs.py:336
    ddt_1 = unbroadcast(da * dt_2, t_1)   # programs.py:336
    ddx = ddx + ddt_1 * (x <= 0.1)        # programs.py:336
    dt_20 = unbroadcast(ddt * (x >= y), x)  # programs.py:336
    ddx = ddx + dt_20                     # programs.py:336
    dt_23 = unbroadcast(ddt * (x < y), y)  # programs.py:336
    ddy = ddy + dt_23                     # programs.py:336
    return ddx, ddy
