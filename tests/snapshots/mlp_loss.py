# ---- reverse: s2s.grad

def dmlp_loss_dW1_db1_dW2(W1, b1, W2, x, t, *, dresult=1.0):
    t_1 = x @ W1                          # programs.py:376
    h = np.tanh(t_1 + b1)                 # programs.py:376
    out = h @ W2                          # programs.py:377
    t_3 = out - t                         # programs.py:378
    dt_4 = grad_reduce(dresult, t_3, None, False) / reduced_count(t_3, None)  # programs.py:378
    dt_3 = dt_4 * 2 * t_3                 # programs.py:378
    dout = unbroadcast(dt_3, out)         # programs.py:378
    dh = matmul_grad_x(dout, h, W2)       # programs.py:377
    dW2 = matmul_grad_y(dout, h, W2)      # programs.py:377
    dt_2 = dh * (1 - h * h)               # programs.py:376
    dt_1 = unbroadcast(dt_2, t_1)         # programs.py:376
    db1 = unbroadcast(dt_2, b1)           # programs.py:376
    dW1 = matmul_grad_y(dt_1, x, W1)      # programs.py:376
    return dW1, db1, dW2

# ---- forward: s2s.jvp

def jvp_mlp_loss_dW1_db1_dW2(W1, b1, W2, x, t, dW1=1.0, db1=1.0, dW2=1.0):
    dW1 = init_grad(W1, dW1)
    db1 = init_grad(b1, db1)
    dW2 = init_grad(W2, dW2)
    t_1 = x @ W1                          # programs.py:376
    dt_1 = x @ dW1                        # programs.py:376
    t_2 = t_1 + b1                        # programs.py:376
    dt_2 = dt_1 + db1                     # programs.py:376
    h = np.tanh(t_2)                      # programs.py:376
    dh = dt_2 * (1 - h * h)               # programs.py:376
    out = h @ W2                          # programs.py:377
    dout = dh @ W2 + h @ dW2              # programs.py:377
    t_3 = out - t                         # programs.py:378
    return np.mean(tangent_like(dout, t_3) * 2 * t_3)  # programs.py:378

# ---- forward over reverse: s2s.hvp

def hvp_mlp_loss_dW1_db1_dW2(W1, b1, W2, x, t, dW1_1=1.0, db1_1=1.0, dW2_1=1.0):
    dW1_1 = init_grad(W1, dW1_1)
    db1_1 = init_grad(b1, db1_1)
    dW2_1 = init_grad(W2, dW2_1)
    t_1 = x @ W1                          # programs.py:376
    dt_1_1 = x @ dW1_1                    # programs.py:376
    t_2 = t_1 + b1                        # programs.py:376
    dt_2_1 = dt_1_1 + db1_1               # programs.py:376
    h = np.tanh(t_2)                      # programs.py:376
    dh_1 = dt_2_1 * (1 - h * h)           # programs.py:376
    out = h @ W2                          # programs.py:377
    dout_1 = dh_1 @ W2 + h @ dW2_1        # programs.py:377
    t_3 = out - t                         # programs.py:378
    dt_3_1 = tangent_like(dout_1, t_3)    # programs.py:378
    dt_4 = grad_reduce(seed, t_3, None, False) / reduced_count(t_3, None)  # programs.py:378
    t_6 = dt_4 * 2                        # programs.py:378
    dt_3 = t_6 * t_3                      # programs.py:378
    ddt_3 = t_6 * dt_3_1                  # programs.py:378
    dout = unbroadcast(dt_3, out)         # programs.py:378
    ddout = unbroadcast(ddt_3, out)       # programs.py:378
    dh = matmul_grad_x(dout, h, W2)       # programs.py:377
    ddh = matmul_grad_x(ddout, h, W2) + matmul_grad_x(dout, h, dW2_1)  # programs.py:377
    ddW2 = matmul_grad_y(ddout, h, W2) + matmul_grad_y(dout, dh_1, W2)  # programs.py:377
    t_7 = h ** 2                          # programs.py:376
    dt_7 = dh_1 * 2 * h                   # programs.py:376
    t_8 = 1 - t_7                         # programs.py:376
    ddt_2 = ddh * t_8 + dh * -dt_7        # programs.py:376
    ddt_1 = unbroadcast(ddt_2, t_1)       # programs.py:376
    ddb1 = unbroadcast(ddt_2, b1)         # programs.py:376
    ddW1 = matmul_grad_y(ddt_1, x, W1)    # programs.py:376
    return ddW1, ddb1, ddW2
