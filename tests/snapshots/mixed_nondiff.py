# ---- reverse: s2s.grad

def dmixed_nondiff_dx(x, *, dresult=1.0):
    assert x.ndim == 1                    # programs.py:268
    n = len(x)                            # programs.py:269
    k = int(np.floor(n / 2))              # programs.py:270
    cond = isinstance(n, int)             # programs.py:271
    if cond:                              # programs.py:274
        y = x[k] * 2.0                    # programs.py:272
    else:
        y = x[0]                          # programs.py:274
    print('value', float(y))              # programs.py:275
    i = np.argmax(x)                      # programs.py:276
    t_3 = x[i]                            # programs.py:277
    t_4 = y * t_3                         # programs.py:277
    result = t_4 + x.shape[0]             # programs.py:277
    dresult = init_grad(result, dresult)
    dt_4 = unbroadcast(dresult, broadcast_shape(y, t_3))  # programs.py:277
    dy = unbroadcast(dt_4 * t_3, y)       # programs.py:277
    dt_3 = unbroadcast(dt_4 * y, t_3)     # programs.py:277
    dx = zeros_like(x)                    # programs.py:277
    add_at(dx, i, dt_3)                   # programs.py:277
    if cond:                              # programs.py:274
        dx[k] = dx[k] + dy * 2.0          # programs.py:272
    else:
        dx[0] = dx[0] + dy                # programs.py:274
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_mixed_nondiff_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    assert x.ndim == 1                    # programs.py:268
    n = len(x)                            # programs.py:269
    k = int(np.floor(n / 2))              # programs.py:270
    cond = isinstance(n, int)             # programs.py:271
    if cond:                              # programs.py:274
        t_2 = x[k]                        # programs.py:272
        dt_2 = dx[k]                      # programs.py:272
        y = t_2 * 2.0                     # programs.py:272
        dy = dt_2 * 2.0                   # programs.py:272
    else:
        y = x[0]                          # programs.py:274
        dy = dx[0]                        # programs.py:274
    t_7 = float(y)                        # programs.py:275
    print('value', t_7)                   # programs.py:275
    i = np.argmax(x)                      # programs.py:276
    t_3 = x[i]                            # programs.py:277
    dt_3 = dx[i]                          # programs.py:277
    return tangent_like(dy * t_3 + y * dt_3, y * t_3 + x.shape[0])  # programs.py:277

# ---- forward over reverse: s2s.hvp

def hvp_mixed_nondiff_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    x_ = copy_deep(x)                     # programs.py:268
    dx_ = copy_deep(dx)                   # programs.py:268
    assert x_.ndim == 1                   # programs.py:268
    n = len(x_)                           # programs.py:269
    k = int(np.floor(n / 2))              # programs.py:270
    cond = isinstance(n, int)             # programs.py:271
    if cond:                              # programs.py:274
        t_2 = x_[k]                       # programs.py:272
        dt_2 = dx_[k]                     # programs.py:272
        y = t_2 * 2.0                     # programs.py:272
        d_y = dt_2 * 2.0                  # programs.py:272
    else:
        y = x_[0]                         # programs.py:274
        d_y = dx_[0]                      # programs.py:274
    t_15 = float(y)                       # programs.py:275
    print('value', t_15)                  # programs.py:275
    i = np.argmax(x_)                     # programs.py:276
    t_3 = x_[i]                           # programs.py:277
    d_t_3 = dx_[i]                        # programs.py:277
    t_4 = y * t_3                         # programs.py:277
    result = t_4 + x_.shape[0]            # programs.py:277
    dresult = init_grad(result, dresult)
    dt_4 = unbroadcast(dresult, broadcast_shape(y, t_3))  # programs.py:277
    t_8 = dt_4 * t_3                      # programs.py:277
    dt_8 = dt_4 * d_t_3                   # programs.py:277
    dy = unbroadcast(t_8, y)              # programs.py:277
    ddy = unbroadcast(dt_8, y)            # programs.py:277
    t_9 = dt_4 * y                        # programs.py:277
    dt_9 = dt_4 * d_y                     # programs.py:277
    dt_3 = unbroadcast(t_9, t_3)          # programs.py:277
    ddt_3 = unbroadcast(dt_9, t_3)        # programs.py:277
    grad_x = zeros_like(x_)               # programs.py:277
    ddx = zeros_like(grad_x)              # programs.py:277
    add_at(grad_x, i, dt_3)               # programs.py:277
    add_at(ddx, i, ddt_3)                 # programs.py:277
    if cond:                              # programs.py:274
        t_10 = grad_x[k]                  # programs.py:272
        dt_10 = ddx[k]                    # programs.py:272
        t_11 = dy * 2.0                   # programs.py:272
        dt_11 = ddy * 2.0                 # programs.py:272
        t_12 = t_10 + t_11                # programs.py:272
        dt_12 = dt_10 + dt_11             # programs.py:272
        grad_x[k] = t_12                  # programs.py:272
        ddx[k] = dt_12                    # programs.py:272
    else:
        t_13 = grad_x[0]                  # programs.py:274
        dt_13 = ddx[0]                    # programs.py:274
        t_14 = t_13 + dy                  # programs.py:274
        dt_14 = dt_13 + ddy               # programs.py:274
        grad_x[0] = t_14                  # programs.py:274
        ddx[0] = dt_14                    # programs.py:274
    return as_grad(ddx, x_)
