# ---- reverse: s2s.grad

def dshapes_dx(x, *, dresult=1.0):
    M = np.reshape(x, (2, 3))             # programs.py:351
    T = np.transpose(M)                   # programs.py:352
    t_1 = T @ M                           # programs.py:353
    t_7 = np.reshape(M, (3, 2))           # programs.py:353
    dt_7 = grad_reduce(dresult, t_7, None, False) * 3 * t_7 ** 2  # programs.py:353
    dM = np.reshape(dt_7, np.shape(M))    # programs.py:353
    dT = grad_reduce(dresult, T, None, False) * 2 * T  # programs.py:353
    dt_1 = grad_reduce(dresult, t_1, None, False)  # programs.py:353
    dT = dT + matmul_grad_x(dt_1, T, M)   # programs.py:353
    dM = dM + matmul_grad_y(dt_1, T, M)   # programs.py:353
    dM += np.transpose(dT, None)          # programs.py:352
    dx = np.reshape(dM, np.shape(x))      # programs.py:351
    return dx

# ---- forward: s2s.jvp

def jvp_shapes_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    M = np.reshape(x, (2, 3))             # programs.py:351
    dM = np.reshape(dx, np.shape(M))      # programs.py:351
    T = np.transpose(M)                   # programs.py:352
    dT = np.transpose(dM, None)           # programs.py:352
    dt_2 = np.sum(dT @ M + T @ dM)        # programs.py:353
    dt_5 = dt_2 + np.sum(dT * 2 * T)      # programs.py:353
    t_7 = np.reshape(M, (3, 2))           # programs.py:353
    dt_9 = np.sum(np.reshape(dM, np.shape(t_7)) * 3 * t_7 ** 2)  # programs.py:353
    return dt_5 + dt_9                    # programs.py:353

# ---- forward over reverse: s2s.hvp

def hvp_shapes_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    M = np.reshape(x, (2, 3))             # programs.py:351
    d_M = np.reshape(dx, np.shape(M))     # programs.py:351
    T = np.transpose(M)                   # programs.py:352
    d_T = np.transpose(d_M, None)         # programs.py:352
    t_1 = T @ M                           # programs.py:353
    t_7 = np.reshape(M, (3, 2))           # programs.py:353
    d_t_7 = np.reshape(d_M, np.shape(t_7))  # programs.py:353
    t_4 = grad_reduce(seed, t_7, None, False) * 3  # programs.py:353
    t_5 = t_7 ** 2                        # programs.py:353
    dt_5 = d_t_7 * 2 * t_7                # programs.py:353
    dt_7 = t_4 * t_5                      # programs.py:353
    ddt_7 = t_4 * dt_5                    # programs.py:353
    dM = np.reshape(dt_7, np.shape(M))    # programs.py:353
    ddM = np.reshape(ddt_7, np.shape(dM))  # programs.py:353
    t_9 = grad_reduce(seed, T, None, False) * 2  # programs.py:353
    dT = t_9 * T                          # programs.py:353
    ddT = t_9 * d_T                       # programs.py:353
    dt_1 = grad_reduce(seed, t_1, None, False)  # programs.py:353
    t_10 = matmul_grad_x(dt_1, T, M)      # programs.py:353
    dt_10 = matmul_grad_x(dt_1, T, d_M)   # programs.py:353
    dT_1 = dT + t_10                      # programs.py:353
    ddT_1 = ddT + dt_10                   # programs.py:353
    dT = dT_1                             # programs.py:353
    ddT = ddT_1                           # programs.py:353
    t_11 = matmul_grad_y(dt_1, T, M)      # programs.py:353
    dt_11 = matmul_grad_y(dt_1, d_T, M)   # programs.py:353
    dM_1 = dM + t_11                      # programs.py:353
    ddM_1 = ddM + dt_11                   # programs.py:353
    dM = dM_1                             # programs.py:353
    ddM = ddM_1                           # programs.py:353
    t_12 = np.transpose(dT, None)         # programs.py:352
    dt_12 = np.transpose(ddT, None)       # programs.py:352
    dM_2 = dM + t_12                      # programs.py:352
    ddM_2 = ddM + dt_12                   # programs.py:352
    dM = dM_2                             # programs.py:352
    ddM = ddM_2                           # programs.py:352
    grad_x = np.reshape(dM, np.shape(x))  # programs.py:351
    ddx = np.reshape(ddM, np.shape(grad_x))  # programs.py:351
    return ddx
