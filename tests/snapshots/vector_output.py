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
    dx = unbroadcast(dresult, x) * 3 * x ** 2  # programs.py:364
    dt_2 = unbroadcast(dt_6, broadcast_shape(t, t_1))  # programs.py:364
    dx = dx + dot_grad_y(unbroadcast(dt_6, t_5), t_4, x)  # programs.py:364
    dt = unbroadcast(dt_2 * t_1, t)       # programs.py:364
    dx[0] = dx[0] + unbroadcast(dt_2 * t, t_1)  # programs.py:364
    dx += dt * np.cos(x)                  # programs.py:364
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_vector_output_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t = np.sin(x)                         # programs.py:364
    dt_2 = dx * np.cos(x) * x[0] + t * dx[0]  # programs.py:364
    dt_6 = dt_2 + np.dot(np.ones((3, 3)), dx)  # programs.py:364
    return dt_6 + dx * 3 * x ** 2         # programs.py:364

# ---- forward over reverse: s2s.hvp

def hvp_vector_output_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    t = np.sin(x)                         # programs.py:364
    d_t = dx * np.cos(x)                  # programs.py:364
    t_1 = x[0]                            # programs.py:364
    d_t_1 = dx[0]                         # programs.py:364
    t_2 = t * t_1                         # programs.py:364
    t_4 = np.ones((3, 3))                 # programs.py:364
    t_5 = np.dot(t_4, x)                  # programs.py:364
    t_6 = t_2 + t_5                       # programs.py:364
    t_7 = x ** 3                          # programs.py:364
    result = t_6 + t_7                    # programs.py:364
    dresult = init_grad(result, dresult)
    tmp_1 = broadcast_shape(t, t_1)       # programs.py:364
    dt_6 = unbroadcast(dresult, broadcast_shape(tmp_1, t_5))  # programs.py:364
    tmp_4 = unbroadcast(dresult, x) * 3   # programs.py:364
    tmp_5 = x ** 2                        # programs.py:364
    dtmp_5 = dx * 2 * x                   # programs.py:364
    grad_x = tmp_4 * tmp_5                # programs.py:364
    ddx = tmp_4 * dtmp_5                  # programs.py:364
    dt_2 = unbroadcast(dt_6, tmp_1)       # programs.py:364
    dx_1 = grad_x + dot_grad_y(unbroadcast(dt_6, t_5), t_4, x)  # programs.py:364
    ddx_1 = copy_grad(tangent_like(ddx, dx_1))  # programs.py:364
    grad_x = dx_1                         # programs.py:364
    ddx = ddx_1                           # programs.py:364
    tmp_9 = dt_2 * t_1                    # programs.py:364
    dtmp_9 = dt_2 * d_t_1                 # programs.py:364
    dt = unbroadcast(tmp_9, t)            # programs.py:364
    ddt = unbroadcast(dtmp_9, t)          # programs.py:364
    tmp_10 = grad_x[0]                    # programs.py:364
    dtmp_10 = ddx[0]                      # programs.py:364
    tmp_11 = dt_2 * t                     # programs.py:364
    dtmp_11 = dt_2 * d_t                  # programs.py:364
    tmp_12 = unbroadcast(tmp_11, t_1)     # programs.py:364
    dtmp_12 = unbroadcast(dtmp_11, t_1)   # programs.py:364
    tmp_13 = tmp_10 + tmp_12              # programs.py:364
    dtmp_13 = dtmp_10 + dtmp_12           # programs.py:364
    grad_x[0] = tmp_13                    # programs.py:364
    ddx[0] = dtmp_13                      # programs.py:364
    tmp_14 = np.cos(x)                    # programs.py:364
    ddx = ddx + (ddt * tmp_14 + dt * (-dx * np.sin(x)))  # programs.py:364
    return as_grad(ddx, x)
