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
    dx = -unbroadcast(np.where(t_2, 0.0, db), x)  # programs.py:337
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
    da = dt * t_1 + t * tangent_like(np.where(x <= 0.1, dx, 0), t_1)  # programs.py:336
    t_2 = x > 0.0                         # programs.py:337
    t_3 = x * y                           # programs.py:337
    dt_3 = dx * y + x * dy                # programs.py:337
    t_4 = -x                              # programs.py:337
    dt_4 = -dx                            # programs.py:337
    b = np.where(t_2, t_3, t_4)           # programs.py:337
    db = tangent_like(np.where(t_2, dt_3, dt_4), b)  # programs.py:337
    return np.sum(da + db)                # programs.py:338

# ---- forward over reverse: s2s.hvp

def hvp_maxmin_where_dx_dy(x, y, dx=1.0, dy=1.0):
    dx = init_grad(x, dx)
    dy = init_grad(y, dy)
    t = np.maximum(x, y)                  # programs.py:336
    d_t = tangent_like(np.where(x >= y, dx, dy), t)  # programs.py:336
    t_1 = np.minimum(x, 0.1)              # programs.py:336
    d_t_1 = tangent_like(np.where(x <= 0.1, dx, 0), t_1)  # programs.py:336
    t_2 = x > 0.0                         # programs.py:337
    t_3 = x * y                           # programs.py:337
    t_4 = -x                              # programs.py:337
    b = np.where(t_2, t_3, t_4)           # programs.py:337
    tmp = broadcast_shape(t, t_1)         # programs.py:338
    dt_5 = grad_reduce(seed, broadcast_shape(tmp, b), None, False)  # programs.py:338
    da = unbroadcast(dt_5, tmp)           # programs.py:338
    db = unbroadcast(dt_5, b)             # programs.py:338
    dt_3 = unbroadcast(np.where(t_2, db, 0.0), broadcast_shape(x, y))  # programs.py:337
    grad_x = -unbroadcast(np.where(t_2, 0.0, db), x)  # programs.py:337
    ddx = tangent_like(unbroadcast(dt_3 * dy, x), grad_x + unbroadcast(dt_3 * y, x))  # programs.py:337
    ddy = unbroadcast(dt_3 * dx, y)       # programs.py:337
    ddt = unbroadcast(da * d_t_1, t)      # programs.py:336
    ddt_1 = unbroadcast(da * d_t, t_1)    # programs.py:336
    ddx = ddx + ddt_1 * (x <= 0.1)        # programs.py:336
    ddx = ddx + unbroadcast(ddt * (x >= y), x)  # programs.py:336
    ddy = ddy + unbroadcast(ddt * (x < y), y)  # programs.py:336
    return ddx, ddy
