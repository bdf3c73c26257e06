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
    t = np.sin(x)                         # dvector_output_dx_407a27eabf80.py:3
    dt_3 = dx_3 * np.cos(x)               # dvector_output_dx_407a27eabf80.py:3
    t_1 = x[0]                            # dvector_output_dx_407a27eabf80.py:4
    dt_1_1 = dx_3[0]                      # dvector_output_dx_407a27eabf80.py:4
    t_2 = t * t_1                         # dvector_output_dx_407a27eabf80.py:5
    t_4 = np.ones((3, 3))                 # dvector_output_dx_407a27eabf80.py:6
    t_5 = np.dot(t_4, x)                  # dvector_output_dx_407a27eabf80.py:7
    t_6 = t_2 + t_5                       # dvector_output_dx_407a27eabf80.py:8
    t_7 = x ** 3                          # dvector_output_dx_407a27eabf80.py:9
    result = t_6 + t_7                    # dvector_output_dx_407a27eabf80.py:10
    dresult = init_grad(result, dresult)  # dvector_output_dx_407a27eabf80.py:11
    t_8 = broadcast_shape(t, t_1)         # dvector_output_dx_407a27eabf80.py:12
    dt_6 = unbroadcast(dresult, broadcast_shape(t_8, t_5))  # dvector_output_dx_407a27eabf80.py:12
    dt_7 = unbroadcast(dresult, x)        # dvector_output_dx_407a27eabf80.py:13
    t_10 = dt_7 * 3                       # dvector_output_dx_407a27eabf80.py:14
    t_11 = x ** 2                         # dvector_output_dx_407a27eabf80.py:14
    dt_11 = dx_3 * 2 * x                  # dvector_output_dx_407a27eabf80.py:14
    dx = t_10 * t_11                      # dvector_output_dx_407a27eabf80.py:14
    ddx = t_10 * dt_11                    # dvector_output_dx_407a27eabf80.py:14
    dt_2 = unbroadcast(dt_6, t_8)         # dvector_output_dx_407a27eabf80.py:15
    dt_5 = unbroadcast(dt_6, t_5)         # dvector_output_dx_407a27eabf80.py:16
    dx_1 = dx + dot_grad_y(dt_5, t_4, x)  # dvector_output_dx_407a27eabf80.py:17
    ddx_1 = copy_grad(tangent_like(ddx, dx_1))  # dvector_output_dx_407a27eabf80.py:17
    dx = dx_1                             # dvector_output_dx_407a27eabf80.py:17
    ddx = ddx_1                           # dvector_output_dx_407a27eabf80.py:17
    t_14 = dt_2 * t_1                     # dvector_output_dx_407a27eabf80.py:18
    dt_14 = dt_2 * dt_1_1                 # dvector_output_dx_407a27eabf80.py:18
    dt = unbroadcast(t_14, t)             # dvector_output_dx_407a27eabf80.py:18
    ddt = unbroadcast(dt_14, t)           # dvector_output_dx_407a27eabf80.py:18
    t_15 = dt_2 * t                       # dvector_output_dx_407a27eabf80.py:19
    dt_15 = dt_2 * dt_3                   # dvector_output_dx_407a27eabf80.py:19
    dt_1 = unbroadcast(t_15, t_1)         # dvector_output_dx_407a27eabf80.py:19
    ddt_1 = unbroadcast(dt_15, t_1)       # dvector_output_dx_407a27eabf80.py:19
    t_16 = dx[0]                          # dvector_output_dx_407a27eabf80.py:20
    dt_16 = ddx[0]                        # dvector_output_dx_407a27eabf80.py:20
    t_17 = t_16 + dt_1                    # dvector_output_dx_407a27eabf80.py:20
    dt_17 = dt_16 + ddt_1                 # dvector_output_dx_407a27eabf80.py:20
    dx[0] = t_17                          # dvector_output_dx_407a27eabf80.py:20
    ddx[0] = dt_17                        # dvector_output_dx_407a27eabf80.py:20
    t_18 = np.cos(x)                      # dvector_output_dx_407a27eabf80.py:21
    dt_18 = -dx_3 * np.sin(x)             # dvector_output_dx_407a27eabf80.py:21
    ddx = ddx + (ddt * t_18 + dt * dt_18)  # dvector_output_dx_407a27eabf80.py:21
    return as_grad(ddx, x)                # dvector_output_dx_407a27eabf80.py:22
