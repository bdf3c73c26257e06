# ---- reverse: s2s.grad

def dvector_output_dx(x, *, dresult=1.0):
    t = np.sin(x)                         # programs.py:364
    t_1 = x[0]                            # programs.py:364
    t_2 = t * t_1                         # programs.py:364
    t_4 = np.ones((3, 3))                 # programs.py:364
    t_5 = np.dot(t_4, x)                  # programs.py:364
    t_6 = t_2 + t_5                       # programs.py:364
    t_7 = x ** 3                          # programs.py:364
    result = t_6 + t_7                    # programs.py:364
    dresult = init_grad(result, dresult)
    dt_6 = unbroadcast(dresult, broadcast_shape(broadcast_shape(t, t_1), t_5))  # programs.py:364
    dt_7 = unbroadcast(dresult, x)        # programs.py:364
    dx = dt_7 * 3 * x ** 2                # programs.py:364
    dt_2 = unbroadcast(dt_6, broadcast_shape(t, t_1))  # programs.py:364
    dt_5 = unbroadcast(dt_6, t_5)         # programs.py:364
    dx = dx + dot_grad_y(dt_5, t_4, x)    # programs.py:364
    dt = unbroadcast(dt_2 * t_1, t)       # programs.py:364
    dt_1 = unbroadcast(dt_2 * t, t_1)     # programs.py:364
    dx[0] = dx[0] + dt_1                  # programs.py:364
    dx += dt * np.cos(x)                  # programs.py:364
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_vector_output_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t = np.sin(x)                         # programs.py:364
    dt = dx * np.cos(x)                   # programs.py:364
    t_1 = x[0]                            # programs.py:364
    dt_2 = dt * t_1 + t * dx[0]           # programs.py:364
    dt_5 = np.dot(np.ones((3, 3)), dx)    # programs.py:364
    return dt_2 + dt_5 + dx * 3 * x ** 2  # programs.py:364

# ---- forward over reverse: s2s.hvp

def hvp_vector_output_dx(x, dx_3=1.0):
    dx_3 = init_grad(x, dx_3)
    dresult = seed
    t = np.sin(x)                         # programs.py:364
    dt_3 = dx_3 * np.cos(x)               # programs.py:364
    t_1 = x[0]                            # programs.py:364
    dt_1_1 = dx_3[0]                      # programs.py:364
    t_2 = t * t_1                         # programs.py:364
    t_4 = np.ones((3, 3))                 # programs.py:364
    t_5 = np.dot(t_4, x)                  # programs.py:364
    t_6 = t_2 + t_5                       # programs.py:364
    t_7 = x ** 3                          # programs.py:364
    result = t_6 + t_7                    # programs.py:364
    dresult = init_grad(result, dresult)
    t_8 = broadcast_shape(t, t_1)         # programs.py:364
    dt_6 = unbroadcast(dresult, broadcast_shape(t_8, t_5))  # programs.py:364
    dt_7 = unbroadcast(dresult, x)        # programs.py:364
    t_10 = dt_7 * 3                       # programs.py:364
    t_11 = x ** 2                         # programs.py:364
    dt_11 = dx_3 * 2 * x                  # programs.py:364
    dx = t_10 * t_11                      # programs.py:364
    ddx = t_10 * dt_11                    # programs.py:364
    dt_2 = unbroadcast(dt_6, t_8)         # programs.py:364
    dt_5 = unbroadcast(dt_6, t_5)         # programs.py:364
    dx_1 = dx + dot_grad_y(dt_5, t_4, x)  # programs.py:364
    ddx_1 = copy_grad(tangent_like(ddx, dx_1))  # programs.py:364
    dx = dx_1                             # programs.py:364
    ddx = ddx_1                           # programs.py:364
    t_14 = dt_2 * t_1                     # programs.py:364
    dt_14 = dt_2 * dt_1_1                 # programs.py:364
    dt = unbroadcast(t_14, t)             # programs.py:364
    ddt = unbroadcast(dt_14, t)           # programs.py:364
    t_15 = dt_2 * t                       # programs.py:364
    dt_15 = dt_2 * dt_3                   # programs.py:364
    dt_1 = unbroadcast(t_15, t_1)         # programs.py:364
    ddt_1 = unbroadcast(dt_15, t_1)       # programs.py:364
    t_16 = dx[0]                          # programs.py:364
    dt_16 = ddx[0]                        # programs.py:364
    t_17 = t_16 + dt_1                    # programs.py:364
    dt_17 = dt_16 + ddt_1                 # programs.py:364
    dx[0] = t_17                          # programs.py:364
    ddx[0] = dt_17                        # programs.py:364
    t_18 = np.cos(x)                      # programs.py:364
    dt_18 = -dx_3 * np.sin(x)             # programs.py:364
    ddx = ddx + (ddt * t_18 + dt * dt_18)  # programs.py:364
    return as_grad(ddx, x)
