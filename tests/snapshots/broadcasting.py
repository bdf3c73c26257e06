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
    dA = grad_reduce(dt_6 / reduced_count(broadcast_shape(broadcast_shape(M, x), x), 1), broadcast_shape(broadcast_shape(M, x), x), 1, False)  # programs.py:325
    dB = grad_reduce(dt_5, B, 0, False) * 2 * B  # programs.py:325
    dA = dA + unbroadcast(dB, broadcast_shape(broadcast_shape(M, x), x))  # programs.py:324
    dt_3 = unbroadcast(-dB, t_3)          # programs.py:324
    dM = unbroadcast(dt_3 / t_2, M)       # programs.py:324
    dx = unbroadcast(-dt_3 * t_3 / t_2, t_2) * 2 * x  # programs.py:324
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
    return np.sum(dB * 2 * B, axis=0) + np.mean(dA, axis=1)[0]  # programs.py:325

# ---- forward over reverse: s2s.hvp

def hvp_broadcasting_dx_dM(x, M, dx=1.0, dM=1.0):
    dx = init_grad(x, dx)
    dM = init_grad(M, dM)
    dresult = seed
    t = M * x                             # programs.py:323
    d_t = dM * x + M * dx                 # programs.py:323
    A = t + x                             # programs.py:323
    d_A = d_t + dx                        # programs.py:323
    tmp = x ** 2                          # programs.py:324
    dtmp = dx * 2 * x                     # programs.py:324
    t_2 = 1.0 + tmp                       # programs.py:324
    t_3 = M / t_2                         # programs.py:324
    d_t_3 = (dM - t_3 * dtmp) / t_2       # programs.py:324
    B = A - t_3                           # programs.py:324
    d_B = d_A - d_t_3                     # programs.py:324
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
    tmp_3 = broadcast_shape(M, x)         # programs.py:325
    dA = grad_reduce(dt_6 / reduced_count(broadcast_shape(tmp_3, x), 1), broadcast_shape(tmp_3, x), 1, False)  # programs.py:325
    tmp_10 = grad_reduce(dt_5, B, 0, False) * 2  # programs.py:325
    dB = tmp_10 * B                       # programs.py:325
    ddB = tmp_10 * d_B                    # programs.py:325
    tmp_12 = broadcast_shape(tmp_3, x)    # programs.py:324
    tmp_13 = unbroadcast(dB, tmp_12)      # programs.py:324
    dtmp_13 = unbroadcast(ddB, tmp_12)    # programs.py:324
    dA_1 = dA + tmp_13                    # programs.py:324
    ddA_1 = tangent_like(dtmp_13, dA_1)   # programs.py:324
    dA = dA_1                             # programs.py:324
    tmp_14 = -dB                          # programs.py:324
    dtmp_14 = -ddB                        # programs.py:324
    dt_3 = unbroadcast(tmp_14, t_3)       # programs.py:324
    ddt_3 = unbroadcast(dtmp_14, t_3)     # programs.py:324
    ddM = unbroadcast((ddt_3 - dt_3 / t_2 * dtmp) / t_2, M)  # programs.py:324
    tmp_16 = -dt_3                        # programs.py:324
    dtmp_16 = -ddt_3                      # programs.py:324
    tmp_17 = tmp_16 * t_3                 # programs.py:324
    dtmp_17 = dtmp_16 * t_3 + tmp_16 * d_t_3  # programs.py:324
    tmp_18 = tmp_17 / t_2                 # programs.py:324
    dtmp_18 = (dtmp_17 - tmp_18 * dtmp) / t_2  # programs.py:324
    ddx = unbroadcast(dtmp_18, t_2) * 2 * x + unbroadcast(tmp_18, t_2) * 2 * dx  # programs.py:324
    dt = unbroadcast(dA, tmp_3)           # programs.py:323
    ddt = unbroadcast(ddA_1, tmp_3)       # programs.py:323
    ddx = ddx + unbroadcast(ddA_1, x)     # programs.py:323
    ddM = ddM + unbroadcast(ddt * x + dt * dx, M)  # programs.py:323
    ddx = ddx + unbroadcast(ddt * M + dt * dM, x)  # programs.py:323
    return ddx, ddM
