# ---- reverse: s2s.grad

def dmlp_loss_dW1_db1_dW2(W1, b1, W2, x, t, *, dresult=1.0):
    tmp = x @ W1                          # programs.py:376
    h = np.tanh(tmp + b1)                 # programs.py:376
    out = h @ W2                          # programs.py:377
    tmp_2 = out - t                       # programs.py:378
    dtmp_2 = grad_reduce(dresult / reduced_count(tmp_2, None), tmp_2, None, False) * 2 * tmp_2  # programs.py:378
    dout = unbroadcast(dtmp_2, out)       # programs.py:378
    dh = matmul_grad_x(dout, h, W2)       # programs.py:377
    dW2 = matmul_grad_y(dout, h, W2)      # programs.py:377
    dtmp_1 = dh * (1 - h * h)             # programs.py:376
    dtmp = unbroadcast(dtmp_1, tmp)       # programs.py:376
    db1 = unbroadcast(dtmp_1, b1)         # programs.py:376
    dW1 = matmul_grad_y(dtmp, x, W1)      # programs.py:376
    return dW1, db1, dW2

# ---- forward: s2s.jvp

def jvp_mlp_loss_dW1_db1_dW2(W1, b1, W2, x, t, dW1=1.0, db1=1.0, dW2=1.0):
    dW1 = init_grad(W1, dW1)
    db1 = init_grad(b1, db1)
    dW2 = init_grad(W2, dW2)
    tmp = x @ W1                          # programs.py:376
    dtmp = x @ dW1                        # programs.py:376
    tmp_1 = tmp + b1                      # programs.py:376
    dtmp_1 = dtmp + db1                   # programs.py:376
    h = np.tanh(tmp_1)                    # programs.py:376
    dh = dtmp_1 * (1 - h * h)             # programs.py:376
    out = h @ W2                          # programs.py:377
    dout = dh @ W2 + h @ dW2              # programs.py:377
    tmp_2 = out - t                       # programs.py:378
    return np.mean(tangent_like(dout, tmp_2) * 2 * tmp_2)  # programs.py:378

# ---- forward over reverse: s2s.hvp

def hvp_mlp_loss_dW1_db1_dW2(W1, b1, W2, x, t, dW1=1.0, db1=1.0, dW2=1.0):
    dW1 = init_grad(W1, dW1)
    db1 = init_grad(b1, db1)
    dW2 = init_grad(W2, dW2)
    tmp = x @ W1                          # programs.py:376
    d_tmp = x @ dW1                       # programs.py:376
    tv = tmp + b1                         # programs.py:376
    dtv = d_tmp + db1                     # programs.py:376
    h = np.tanh(tv)                       # programs.py:376
    d_h = dtv * (1 - h * h)               # programs.py:376
    out = h @ W2                          # programs.py:377
    d_out = d_h @ W2 + h @ dW2            # programs.py:377
    tmp_2 = out - t                       # programs.py:378
    d_tmp_2 = tangent_like(d_out, tmp_2)  # programs.py:378
    tv_4 = grad_reduce(seed / reduced_count(tmp_2, None), tmp_2, None, False) * 2  # programs.py:378
    dtmp_2 = tv_4 * tmp_2                 # programs.py:378
    ddtmp_2 = tv_4 * d_tmp_2              # programs.py:378
    dout = unbroadcast(dtmp_2, out)       # programs.py:378
    ddout = unbroadcast(ddtmp_2, out)     # programs.py:378
    dh = matmul_grad_x(dout, h, W2)       # programs.py:377
    ddh = matmul_grad_x(ddout, h, W2) + matmul_grad_x(dout, h, dW2)  # programs.py:377
    ddW2 = matmul_grad_y(ddout, h, W2) + matmul_grad_y(dout, d_h, W2)  # programs.py:377
    ddtmp_1 = ddh * (1 - h ** 2) + dh * -(d_h * 2 * h)  # programs.py:376
    ddtmp = unbroadcast(ddtmp_1, tmp)     # programs.py:376
    ddb1 = unbroadcast(ddtmp_1, b1)       # programs.py:376
    ddW1 = matmul_grad_y(ddtmp, x, W1)    # programs.py:376
    return ddW1, ddb1, ddW2
