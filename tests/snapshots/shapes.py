# ---- reverse: s2s.grad

def dshapes_dx(x, *, dresult=1.0):
    M = np.reshape(x, (2, 3))             # programs.py:351
    T = np.transpose(M)                   # programs.py:352
    t_1 = T @ M                           # programs.py:353
    t_7 = np.reshape(M, (3, 2))           # programs.py:353
    dt_8 = grad_reduce(dresult, t_7, None, False)  # programs.py:353
    dt_7 = dt_8 * 3 * t_7 ** 2            # programs.py:353
    dM = np.reshape(dt_7, np.shape(M))    # programs.py:353
    dt_3 = grad_reduce(dresult, T, None, False)  # programs.py:353
    dT = dt_3 * 2 * T                     # programs.py:353
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
    dt_1 = dT @ M + T @ dM                # programs.py:353
    dt_2 = np.sum(dt_1)                   # programs.py:353
    dt_5 = dt_2 + np.sum(dT * 2 * T)      # programs.py:353
    t_7 = np.reshape(M, (3, 2))           # programs.py:353
    dt_7 = np.reshape(dM, np.shape(t_7))  # programs.py:353
    dt_9 = np.sum(dt_7 * 3 * t_7 ** 2)    # programs.py:353
    return dt_5 + dt_9                    # programs.py:353

# ---- forward over reverse: s2s.hvp

def hvp_shapes_dx(x, dx_1=1.0):
    dx_1 = init_grad(x, dx_1)
    M = np.reshape(x, (2, 3))             # dshapes_dx_3cebb60dd099.py:3
    dM_3 = np.reshape(dx_1, np.shape(M))  # dshapes_dx_3cebb60dd099.py:3
    T = np.transpose(M)                   # dshapes_dx_3cebb60dd099.py:4
    dT_2 = np.transpose(dM_3, None)       # dshapes_dx_3cebb60dd099.py:4
    t_1 = T @ M                           # dshapes_dx_3cebb60dd099.py:5
    t_7 = np.reshape(M, (3, 2))           # dshapes_dx_3cebb60dd099.py:6
    dt_7_1 = np.reshape(dM_3, np.shape(t_7))  # dshapes_dx_3cebb60dd099.py:6
    dt_8 = grad_reduce(seed, t_7, None, False)  # dshapes_dx_3cebb60dd099.py:7
    t_3 = dt_8 * 3                        # dshapes_dx_3cebb60dd099.py:8
    t_4 = t_7 ** 2                        # dshapes_dx_3cebb60dd099.py:8
    dt_4 = dt_7_1 * 2 * t_7               # dshapes_dx_3cebb60dd099.py:8
    dt_7 = t_3 * t_4                      # dshapes_dx_3cebb60dd099.py:8
    ddt_7 = t_3 * dt_4                    # dshapes_dx_3cebb60dd099.py:8
    dM = np.reshape(dt_7, np.shape(M))    # dshapes_dx_3cebb60dd099.py:9
    ddM = np.reshape(ddt_7, np.shape(dM))  # dshapes_dx_3cebb60dd099.py:9
    dt_3 = grad_reduce(seed, T, None, False)  # dshapes_dx_3cebb60dd099.py:10
    t_6 = dt_3 * 2                        # dshapes_dx_3cebb60dd099.py:11
    dT = t_6 * T                          # dshapes_dx_3cebb60dd099.py:11
    ddT = t_6 * dT_2                      # dshapes_dx_3cebb60dd099.py:11
    dt_1 = grad_reduce(seed, t_1, None, False)  # dshapes_dx_3cebb60dd099.py:12
    t_8 = matmul_grad_x(dt_1, T, M)       # dshapes_dx_3cebb60dd099.py:13
    dt_8_1 = matmul_grad_x(dt_1, T, dM_3)  # dshapes_dx_3cebb60dd099.py:13
    dT_1 = dT + t_8                       # dshapes_dx_3cebb60dd099.py:13
    ddT_1 = ddT + dt_8_1                  # dshapes_dx_3cebb60dd099.py:13
    dT = dT_1                             # dshapes_dx_3cebb60dd099.py:13
    ddT = ddT_1                           # dshapes_dx_3cebb60dd099.py:13
    t_9 = matmul_grad_y(dt_1, T, M)       # dshapes_dx_3cebb60dd099.py:14
    dt_9 = matmul_grad_y(dt_1, dT_2, M)   # dshapes_dx_3cebb60dd099.py:14
    dM_1 = dM + t_9                       # dshapes_dx_3cebb60dd099.py:14
    ddM_1 = ddM + dt_9                    # dshapes_dx_3cebb60dd099.py:14
    dM = dM_1                             # dshapes_dx_3cebb60dd099.py:14
    ddM = ddM_1                           # dshapes_dx_3cebb60dd099.py:14
    t_10 = np.transpose(dT, None)         # dshapes_dx_3cebb60dd099.py:15
    dt_10 = np.transpose(ddT, None)       # dshapes_dx_3cebb60dd099.py:15
    dM_2 = dM + t_10                      # dshapes_dx_3cebb60dd099.py:15
    ddM_2 = ddM + dt_10                   # dshapes_dx_3cebb60dd099.py:15
    dM = dM_2                             # dshapes_dx_3cebb60dd099.py:15
    ddM = ddM_2                           # dshapes_dx_3cebb60dd099.py:15
    dx = np.reshape(dM, np.shape(x))      # dshapes_dx_3cebb60dd099.py:16
    ddx = np.reshape(ddM, np.shape(dx))   # dshapes_dx_3cebb60dd099.py:16
    return ddx                            # dshapes_dx_3cebb60dd099.py:17
