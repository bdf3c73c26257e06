# ---- reverse: s2s.grad

def dlinear_algebra_dW_dx_db(W, x, b, *, dresult=1.0):
    t = W @ x                             # programs.py:346
    h = np.tanh(t + b)                    # programs.py:346
    t_2 = np.dot(h, h)                    # programs.py:347
    t_3 = np.transpose(W)                 # programs.py:347
    t_4 = np.matmul(t_3, h)               # programs.py:347
    t_5 = t_4 * x                         # programs.py:347
    t_6 = np.sum(t_5)                     # programs.py:347
    result = t_2 + t_6                    # programs.py:347
    dresult = init_grad(result, dresult)
    dt_2 = unbroadcast(dresult, t_2)      # programs.py:347
    dt_5 = grad_reduce(unbroadcast(dresult, t_6), broadcast_shape(t_4, x), None, False)  # programs.py:347
    dt_4 = unbroadcast(dt_5 * x, t_4)     # programs.py:347
    dx = unbroadcast(dt_5 * t_4, x)       # programs.py:347
    dt_3 = matmul_grad_x(dt_4, t_3, h)    # programs.py:347
    dh = matmul_grad_y(dt_4, t_3, h)      # programs.py:347
    dW = np.transpose(dt_3, None)         # programs.py:347
    dh = dh + dot_grad_x(dt_2, h, h)      # programs.py:347
    dh += dot_grad_y(dt_2, h, h)          # programs.py:347
    dt_1 = dh * (1 - h * h)               # programs.py:346
    dt = unbroadcast(dt_1, t)             # programs.py:346
    db = unbroadcast(dt_1, b)             # programs.py:346
    dW = dW + matmul_grad_x(dt, W, x)     # programs.py:346
    dx = dx + matmul_grad_y(dt, W, x)     # programs.py:346
    return dW, dx, db

# ---- forward: s2s.jvp

def jvp_linear_algebra_dW_dx_db(W, x, b, dW=1.0, dx=1.0, db=1.0):
    dW = init_grad(W, dW)
    dx = init_grad(x, dx)
    db = init_grad(b, db)
    t = W @ x                             # programs.py:346
    dt = dW @ x + W @ dx                  # programs.py:346
    t_1 = t + b                           # programs.py:346
    dt_1 = dt + db                        # programs.py:346
    h = np.tanh(t_1)                      # programs.py:346
    dh = dt_1 * (1 - h * h)               # programs.py:346
    dt_2 = np.dot(dh, h) + np.dot(h, dh)  # programs.py:347
    t_3 = np.transpose(W)                 # programs.py:347
    dt_3 = np.transpose(dW, None)         # programs.py:347
    t_4 = np.matmul(t_3, h)               # programs.py:347
    return dt_2 + np.sum((dt_3 @ h + t_3 @ dh) * x + t_4 * dx)  # programs.py:347

# ---- forward over reverse: s2s.hvp

def hvp_linear_algebra_dW_dx_db(W, x, b, dW=1.0, dx=1.0, db=1.0):
    dW = init_grad(W, dW)
    dx = init_grad(x, dx)
    db = init_grad(b, db)
    dresult = seed
    t = W @ x                             # programs.py:346
    d_t = dW @ x + W @ dx                 # programs.py:346
    tmp = t + b                           # programs.py:346
    dtmp = d_t + db                       # programs.py:346
    h = np.tanh(tmp)                      # programs.py:346
    d_h = dtmp * (1 - h * h)              # programs.py:346
    t_2 = np.dot(h, h)                    # programs.py:347
    t_3 = np.transpose(W)                 # programs.py:347
    d_t_3 = np.transpose(dW, None)        # programs.py:347
    t_4 = np.matmul(t_3, h)               # programs.py:347
    d_t_4 = d_t_3 @ h + t_3 @ d_h         # programs.py:347
    t_5 = t_4 * x                         # programs.py:347
    t_6 = np.sum(t_5)                     # programs.py:347
    result = t_2 + t_6                    # programs.py:347
    dresult = init_grad(result, dresult)
    dt_2 = unbroadcast(dresult, t_2)      # programs.py:347
    dt_5 = grad_reduce(unbroadcast(dresult, t_6), broadcast_shape(t_4, x), None, False)  # programs.py:347
    tmp_3 = dt_5 * x                      # programs.py:347
    dtmp_3 = dt_5 * dx                    # programs.py:347
    dt_4 = unbroadcast(tmp_3, t_4)        # programs.py:347
    ddt_4 = unbroadcast(dtmp_3, t_4)      # programs.py:347
    ddx = unbroadcast(dt_5 * d_t_4, x)    # programs.py:347
    ddt_3 = matmul_grad_x(ddt_4, t_3, h) + matmul_grad_x(dt_4, t_3, d_h)  # programs.py:347
    dh = matmul_grad_y(dt_4, t_3, h)      # programs.py:347
    ddh = matmul_grad_y(ddt_4, t_3, h) + matmul_grad_y(dt_4, d_t_3, h)  # programs.py:347
    ddW = np.transpose(ddt_3, None)       # programs.py:347
    tmp_5 = dot_grad_x(dt_2, h, h)        # programs.py:347
    dtmp_5 = dot_grad_x(dt_2, h, d_h)     # programs.py:347
    dh_1 = dh + tmp_5                     # programs.py:347
    ddh_1 = ddh + dtmp_5                  # programs.py:347
    dh = dh_1                             # programs.py:347
    ddh = ddh_1                           # programs.py:347
    tmp_6 = dot_grad_y(dt_2, h, h)        # programs.py:347
    dtmp_6 = dot_grad_y(dt_2, d_h, h)     # programs.py:347
    dh_2 = dh + tmp_6                     # programs.py:347
    ddh_2 = ddh + dtmp_6                  # programs.py:347
    dh = dh_2                             # programs.py:347
    ddh = ddh_2                           # programs.py:347
    tmp_7 = h ** 2                        # programs.py:346
    dtmp_7 = d_h * 2 * h                  # programs.py:346
    tmp_8 = 1 - tmp_7                     # programs.py:346
    dtmp_8 = -dtmp_7                      # programs.py:346
    dt_1 = dh * tmp_8                     # programs.py:346
    ddt_1 = ddh * tmp_8 + dh * dtmp_8     # programs.py:346
    dt = unbroadcast(dt_1, t)             # programs.py:346
    ddt = unbroadcast(ddt_1, t)           # programs.py:346
    ddb = unbroadcast(ddt_1, b)           # programs.py:346
    ddW = ddW + (matmul_grad_x(ddt, W, x) + matmul_grad_x(dt, W, dx))  # programs.py:346
    ddx = ddx + (matmul_grad_y(ddt, W, x) + matmul_grad_y(dt, dW, x))  # programs.py:346
    return ddW, ddx, ddb
