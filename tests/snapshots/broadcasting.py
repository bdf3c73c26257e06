# ---- reverse: s2s.grad

def dbroadcasting_dx_dM(x, M, *, dresult=1.0):
    t = M * x                             # programs.py:323
    A = t + x                             # programs.py:323
    t_2 = 1.0 + x ** 2                    # programs.py:324
    t_3 = M / t_2                         # programs.py:324
    B = A - t_3                           # programs.py:324
    t_4 = B ** 2                          # programs.py:325
    t_5 = np.sum(t_4, axis=0)             # programs.py:325
    t_6 = np.mean(A, axis=1)              # programs.py:325
    t_7 = t_6[0]                          # programs.py:325
    result = t_5 + t_7                    # programs.py:325
    dresult = init_grad(result, dresult)
    dt_5 = unbroadcast(dresult, t_5)      # programs.py:325
    dt_7 = unbroadcast(dresult, t_7)      # programs.py:325
    dt_6 = zeros_like(t_6)                # programs.py:325
    dt_6[0] = dt_6[0] + dt_7              # programs.py:325
    dA = grad_reduce(dt_6, broadcast_shape(broadcast_shape(M, x), x), 1, False) / reduced_count(broadcast_shape(broadcast_shape(M, x), x), 1)  # programs.py:325
    dt_4 = grad_reduce(dt_5, B, 0, False)  # programs.py:325
    dB = dt_4 * 2 * B                     # programs.py:325
    dA = dA + unbroadcast(dB, broadcast_shape(broadcast_shape(M, x), x))  # programs.py:324
    dt_3 = unbroadcast(-dB, t_3)          # programs.py:324
    dM = unbroadcast(dt_3 / t_2, M)       # programs.py:324
    dt_2 = unbroadcast(-dt_3 * t_3 / t_2, t_2)  # programs.py:324
    dx = dt_2 * 2 * x                     # programs.py:324
    dt = unbroadcast(dA, broadcast_shape(M, x))  # programs.py:323
    dx = dx + unbroadcast(dA, x)          # programs.py:323
    dM = dM + unbroadcast(dt * x, M)      # programs.py:323
    dx += unbroadcast(dt * M, x)          # programs.py:323
    return dx, dM

# ---- forward: s2s.jvp

def jvp_broadcasting_dx_dM(x, M, dx=1.0, dM=1.0):
    dx = init_grad(x, dx)
    dM = init_grad(M, dM)
    t = M * x                             # programs.py:323
    dt = dM * x + M * dx                  # programs.py:323
    A = t + x                             # programs.py:323
    dA = dt + dx                          # programs.py:323
    t_1 = x ** 2                          # programs.py:324
    dt_1 = dx * 2 * x                     # programs.py:324
    t_2 = 1.0 + t_1                       # programs.py:324
    t_3 = M / t_2                         # programs.py:324
    dt_3 = (dM - t_3 * dt_1) / t_2        # programs.py:324
    B = A - t_3                           # programs.py:324
    dB = dA - dt_3                        # programs.py:324
    dt_5 = np.sum(dB * 2 * B, axis=0)     # programs.py:325
    return dt_5 + np.mean(dA, axis=1)[0]  # programs.py:325

# ---- forward over reverse: s2s.hvp

def hvp_broadcasting_dx_dM(x, M, dx_3=1.0, dM_2=1.0):
    dx_3 = init_grad(x, dx_3)
    dM_2 = init_grad(M, dM_2)
    dresult = seed
    t = M * x                             # programs.py:323
    dt_1 = dM_2 * x + M * dx_3            # programs.py:323
    A = t + x                             # programs.py:323
    dA_2 = dt_1 + dx_3                    # programs.py:323
    t_1 = x ** 2                          # programs.py:324
    dt_1_1 = dx_3 * 2 * x                 # programs.py:324
    t_2 = 1.0 + t_1                       # programs.py:324
    t_3 = M / t_2                         # programs.py:324
    dt_3_1 = (dM_2 - t_3 * dt_1_1) / t_2  # programs.py:324
    B = A - t_3                           # programs.py:324
    dB_1 = dA_2 - dt_3_1                  # programs.py:324
    t_4 = B ** 2                          # programs.py:325
    t_5 = np.sum(t_4, axis=0)             # programs.py:325
    t_6 = np.mean(A, axis=1)              # programs.py:325
    t_7 = t_6[0]                          # programs.py:325
    result = t_5 + t_7                    # programs.py:325
    dresult = init_grad(result, dresult)
    dt_5 = unbroadcast(dresult, t_5)      # programs.py:325
    dt_7 = unbroadcast(dresult, t_7)      # programs.py:325
    dt_6 = zeros_like(t_6)                # programs.py:325
    dt_6[0] = dt_6[0] + dt_7              # programs.py:325
    t_10 = broadcast_shape(M, x)          # programs.py:325
    t_12 = grad_reduce(dt_6, broadcast_shape(t_10, x), 1, False)  # programs.py:325
    dA = t_12 / reduced_count(broadcast_shape(t_10, x), 1)  # programs.py:325
    dt_4 = grad_reduce(dt_5, B, 0, False)  # programs.py:325
    t_16 = dt_4 * 2                       # programs.py:325
    dB = t_16 * B                         # programs.py:325
    ddB = t_16 * dB_1                     # programs.py:325
    t_18 = broadcast_shape(t_10, x)       # programs.py:324
    t_19 = unbroadcast(dB, t_18)          # programs.py:324
    dt_19 = unbroadcast(ddB, t_18)        # programs.py:324
    dA_1 = dA + t_19                      # programs.py:324
    ddA_1 = tangent_like(dt_19, dA_1)     # programs.py:324
    dA = dA_1                             # programs.py:324
    t_20 = -dB                            # programs.py:324
    dt_20 = -ddB                          # programs.py:324
    dt_3 = unbroadcast(t_20, t_3)         # programs.py:324
    ddt_3 = unbroadcast(dt_20, t_3)       # programs.py:324
    dt_21 = (ddt_3 - dt_3 / t_2 * dt_1_1) / t_2  # programs.py:324
    ddM = unbroadcast(dt_21, M)           # programs.py:324
    t_22 = -dt_3                          # programs.py:324
    dt_22 = -ddt_3                        # programs.py:324
    t_23 = t_22 * t_3                     # programs.py:324
    dt_23 = dt_22 * t_3 + t_22 * dt_3_1   # programs.py:324
    t_24 = t_23 / t_2                     # programs.py:324
    dt_24 = (dt_23 - t_24 * dt_1_1) / t_2  # programs.py:324
    dt_2 = unbroadcast(t_24, t_2)         # programs.py:324
    ddt_2 = unbroadcast(dt_24, t_2)       # programs.py:324
    t_25 = dt_2 * 2                       # programs.py:324
    ddx = ddt_2 * 2 * x + t_25 * dx_3     # programs.py:324
    dt = unbroadcast(dA, t_10)            # programs.py:323
    ddt = unbroadcast(ddA_1, t_10)        # programs.py:323
    ddx = ddx + unbroadcast(ddA_1, x)     # programs.py:323
    dt_28 = ddt * x + dt * dx_3           # programs.py:323
    ddM = ddM + unbroadcast(dt_28, M)     # programs.py:323
    dt_30 = ddt * M + dt * dM_2           # programs.py:323
    ddx = ddx + unbroadcast(dt_30, x)     # programs.py:323
    return ddx, ddM
