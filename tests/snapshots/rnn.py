# ---- reverse: s2s.grad

def drnn_dh0_dW_dxs(h0, W, xs, *, dresult=1.0):
    stack = []
    tmp_2 = None
    h = h0                                # programs.py:382
    r = range(xs.shape[0])                # programs.py:383
    for t in r:                           # programs.py:383
        stack.append(shape_of(tmp_2))     # programs.py:384
        tmp_2 = W @ h                     # programs.py:384
        tmp_3 = xs[t]                     # programs.py:384
        tmp_4 = tmp_2 + tmp_3             # programs.py:384
        stack.append(h)                   # programs.py:384
        h = np.tanh(tmp_4)                # programs.py:384
    dh = grad_reduce(dresult, h, None, False) * 2 * h  # programs.py:385
    dW = zeros_like(W)                    # programs.py:383
    dxs = zeros_like(xs)                  # programs.py:383
    for t in reversed(r):                 # programs.py:383
        tmp_3 = xs[t]                     # programs.py:384
        dtmp_4 = dh * (1 - h * h)         # programs.py:384
        h = stack.pop()                   # programs.py:384
        dtmp_2 = unbroadcast(dtmp_4, tmp_2)  # programs.py:384
        dxs[t] = dxs[t] + unbroadcast(dtmp_4, tmp_3)  # programs.py:384
        dW += matmul_grad_x(dtmp_2, W, h)  # programs.py:384
        dh = matmul_grad_y(dtmp_2, W, h)  # programs.py:384
        tmp_2 = stack.pop()               # programs.py:384
    return dh, as_grad(dW, W), as_grad(dxs, xs)

# ---- forward: s2s.jvp

def jvp_rnn_dh0_dW_dxs(h0, W, xs, dh0=1.0, dW=1.0, dxs=1.0):
    dh0 = init_grad(h0, dh0)
    dW = init_grad(W, dW)
    dxs = init_grad(xs, dxs)
    h = h0                         # programs.py:382
    dh = dh0                       # programs.py:382
    r = range(xs.shape[0])         # programs.py:383
    for t in r:                    # programs.py:383
        tmp_2 = W @ h              # programs.py:384
        dtmp_2 = dW @ h + W @ dh   # programs.py:384
        tmp_3 = xs[t]              # programs.py:384
        dtmp_3 = dxs[t]            # programs.py:384
        tmp_4 = tmp_2 + tmp_3      # programs.py:384
        dtmp_4 = dtmp_2 + dtmp_3   # programs.py:384
        h = np.tanh(tmp_4)         # programs.py:384
        dh = dtmp_4 * (1 - h * h)  # programs.py:384
    return np.sum(dh * 2 * h)      # programs.py:385

# ---- forward over reverse: s2s.hvp

def hvp_rnn_dh0_dW_dxs(h0, W, xs, dh0=1.0, dW=1.0, dxs=1.0):
    xs = copy_deep(xs)
    dh0 = init_grad(h0, dh0)
    dW = init_grad(W, dW)
    dxs = copy_deep(init_grad(xs, dxs))
    stack = []
    dstack = []
    tmp_2 = None
    h = h0                                # programs.py:382
    d_h = dh0                             # programs.py:382
    r = range(xs.shape[0])                # programs.py:383
    r_1 = range(len(r))                   # programs.py:383
    for k in r_1:                         # programs.py:383
        t = r[k]                          # programs.py:383
        tmp_5 = shape_of(tmp_2)           # programs.py:384
        stack.append(tmp_5)               # programs.py:384
        dstack.append(zeros_like(tmp_5))  # programs.py:384
        tmp_2 = W @ h                     # programs.py:384
        d_tmp_2 = dW @ h + W @ d_h        # programs.py:384
        tmp_3 = xs[t]                     # programs.py:384
        dtmp_3 = dxs[t]                   # programs.py:384
        tmp_4 = tmp_2 + tmp_3             # programs.py:384
        d_tmp_4 = d_tmp_2 + dtmp_3        # programs.py:384
        stack.append(h)                   # programs.py:384
        dstack.append(d_h)                # programs.py:384
        h = np.tanh(tmp_4)                # programs.py:384
        d_h = d_tmp_4 * (1 - h * h)       # programs.py:384
    tmp_7 = grad_reduce(seed, h, None, False) * 2  # programs.py:385
    dh = tmp_7 * h                        # programs.py:385
    ddh = tmp_7 * d_h                     # programs.py:385
    grad_W = zeros_like(W)                # programs.py:383
    grad_xs = zeros_like(xs)              # programs.py:383
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:383
    ddW = zeros_like(grad_W)              # programs.py:383
    ddxs = zeros_like(grad_xs)            # programs.py:383
    for k_1 in r_2:                       # programs.py:383
        t = r[k_1]                        # programs.py:383
        tmp_3 = xs[t]                     # programs.py:384
        tmp_9 = h ** 2                    # programs.py:384
        dtmp_9 = d_h * 2 * h              # programs.py:384
        tmp_10 = 1 - tmp_9                # programs.py:384
        dtmp_10 = -dtmp_9                 # programs.py:384
        dtmp_4 = dh * tmp_10              # programs.py:384
        ddtmp_4 = ddh * tmp_10 + dh * dtmp_10  # programs.py:384
        h = stack.pop()                   # programs.py:384
        d_h = dstack.pop()                # programs.py:384
        dtmp_2 = unbroadcast(dtmp_4, tmp_2)  # programs.py:384
        ddtmp_2 = unbroadcast(ddtmp_4, tmp_2)  # programs.py:384
        tmp_11 = grad_xs[t]               # programs.py:384
        dtmp_11 = ddxs[t]                 # programs.py:384
        tmp_12 = unbroadcast(dtmp_4, tmp_3)  # programs.py:384
        dtmp_12 = unbroadcast(ddtmp_4, tmp_3)  # programs.py:384
        tmp_13 = tmp_11 + tmp_12          # programs.py:384
        dtmp_13 = dtmp_11 + dtmp_12       # programs.py:384
        grad_xs[t] = tmp_13               # programs.py:384
        ddxs[t] = dtmp_13                 # programs.py:384
        ddW = ddW + (matmul_grad_x(ddtmp_2, W, h) + matmul_grad_x(dtmp_2, W, d_h))  # programs.py:384
        dh = matmul_grad_y(dtmp_2, W, h)  # programs.py:384
        ddh = matmul_grad_y(ddtmp_2, W, h) + matmul_grad_y(dtmp_2, dW, h)  # programs.py:384
        tmp_2 = stack.pop()               # programs.py:384
        d_tmp_2 = dstack.pop()            # programs.py:384
    return ddh, as_grad(ddW, W), as_grad(ddxs, xs)
