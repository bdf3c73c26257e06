# ---- reverse: s2s.grad

def drnn_dh0_dW_dxs(h0, W, xs, *, dresult=1.0):
    stack = []
    t_3 = None
    h = h0                                # programs.py:382
    r = range(xs.shape[0])                # programs.py:383
    for t in r:                           # programs.py:383
        stack.append(shape_of(t_3))       # programs.py:384
        t_3 = W @ h                       # programs.py:384
        t_4 = xs[t]                       # programs.py:384
        t_5 = t_3 + t_4                   # programs.py:384
        stack.append(h)                   # programs.py:384
        h = np.tanh(t_5)                  # programs.py:384
    dt_6 = grad_reduce(dresult, h, None, False)  # programs.py:385
    dh = dt_6 * 2 * h                     # programs.py:385
    dW = zeros_like(W)                    # programs.py:383
    dxs = zeros_like(xs)                  # programs.py:383
    for t in reversed(r):                 # programs.py:383
        t_4 = xs[t]                       # programs.py:384
        dt_5 = dh * (1 - h * h)           # programs.py:384
        h = stack.pop()                   # programs.py:384
        dt_3 = unbroadcast(dt_5, t_3)     # programs.py:384
        dt_4 = unbroadcast(dt_5, t_4)     # programs.py:384
        dxs[t] = dxs[t] + dt_4            # programs.py:384
        dW += matmul_grad_x(dt_3, W, h)   # programs.py:384
        dh = matmul_grad_y(dt_3, W, h)    # programs.py:384
        t_3 = stack.pop()                 # programs.py:384
    return dh, as_grad(dW, W), as_grad(dxs, xs)

# ---- forward: s2s.jvp

def jvp_rnn_dh0_dW_dxs(h0, W, xs, dh0=1.0, dW=1.0, dxs=1.0):
    dh0 = init_grad(h0, dh0)
    dW = init_grad(W, dW)
    dxs = init_grad(xs, dxs)
    h = h0                       # programs.py:382
    dh = dh0                     # programs.py:382
    r = range(xs.shape[0])       # programs.py:383
    for t in r:                  # programs.py:383
        t_3 = W @ h              # programs.py:384
        dt_3 = dW @ h + W @ dh   # programs.py:384
        t_4 = xs[t]              # programs.py:384
        dt_4 = dxs[t]            # programs.py:384
        t_5 = t_3 + t_4          # programs.py:384
        dt_5 = dt_3 + dt_4       # programs.py:384
        h = np.tanh(t_5)         # programs.py:384
        dh = dt_5 * (1 - h * h)  # programs.py:384
    return np.sum(dh * 2 * h)    # programs.py:385

# ---- forward over reverse: s2s.hvp

def hvp_rnn_dh0_dW_dxs(h0, W, xs, dh0=1.0, dW_2=1.0, dxs_1=1.0):
    xs = copy_deep(xs)
    dh0 = init_grad(h0, dh0)
    dW_2 = init_grad(W, dW_2)
    dxs_1 = copy_deep(init_grad(xs, dxs_1))
    stack = []
    dstack = []
    t_3 = None
    h = h0                                # programs.py:382
    dh_1 = dh0                            # programs.py:382
    r = range(xs.shape[0])                # programs.py:383
    r_1 = range(len(r))                   # programs.py:383
    for k in r_1:                         # programs.py:383
        t = r[k]                          # programs.py:383
        t_6 = shape_of(t_3)               # programs.py:384
        stack.append(t_6)                 # programs.py:384
        dstack.append(zeros_like(t_6))    # programs.py:384
        t_3 = W @ h                       # programs.py:384
        dt_3_1 = dW_2 @ h + W @ dh_1      # programs.py:384
        t_4 = xs[t]                       # programs.py:384
        dt_4_1 = dxs_1[t]                 # programs.py:384
        t_5 = t_3 + t_4                   # programs.py:384
        dt_5_1 = dt_3_1 + dt_4_1          # programs.py:384
        stack.append(h)                   # programs.py:384
        dstack.append(dh_1)               # programs.py:384
        h = np.tanh(t_5)                  # programs.py:384
        dh_1 = dt_5_1 * (1 - h * h)       # programs.py:384
    dt_6 = grad_reduce(seed, h, None, False)  # programs.py:385
    t_7 = dt_6 * 2                        # programs.py:385
    dh = t_7 * h                          # programs.py:385
    ddh = t_7 * dh_1                      # programs.py:385
    dW = zeros_like(W)                    # programs.py:383
    dxs = zeros_like(xs)                  # programs.py:383
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:383
    ddW = zeros_like(dW)                  # programs.py:383
    ddxs = zeros_like(dxs)                # programs.py:383
    for k_1 in r_2:                       # programs.py:383
        t = r[k_1]                        # programs.py:383
        t_4 = xs[t]                       # programs.py:384
        t_9 = h ** 2                      # programs.py:384
        dt_9 = dh_1 * 2 * h               # programs.py:384
        t_10 = 1 - t_9                    # programs.py:384
        dt_10 = -dt_9                     # programs.py:384
        dt_5 = dh * t_10                  # programs.py:384
        ddt_5 = ddh * t_10 + dh * dt_10   # programs.py:384
        h = stack.pop()                   # programs.py:384
        dh_1 = dstack.pop()               # programs.py:384
        dt_3 = unbroadcast(dt_5, t_3)     # programs.py:384
        ddt_3 = unbroadcast(ddt_5, t_3)   # programs.py:384
        dt_4 = unbroadcast(dt_5, t_4)     # programs.py:384
        ddt_4 = unbroadcast(ddt_5, t_4)   # programs.py:384
        t_11 = dxs[t]                     # programs.py:384
        dt_11 = ddxs[t]                   # programs.py:384
        t_12 = t_11 + dt_4                # programs.py:384
        dt_12 = dt_11 + ddt_4             # programs.py:384
        dxs[t] = t_12                     # programs.py:384
        ddxs[t] = dt_12                   # programs.py:384
        dt_13 = matmul_grad_x(ddt_3, W, h) + matmul_grad_x(dt_3, W, dh_1)  # programs.py:384
        ddW = ddW + dt_13                 # programs.py:384
        dh = matmul_grad_y(dt_3, W, h)    # programs.py:384
        ddh = matmul_grad_y(ddt_3, W, h) + matmul_grad_y(dt_3, dW_2, h)  # programs.py:384
        t_3 = stack.pop()                 # programs.py:384
        dt_3_1 = dstack.pop()             # programs.py:384
    return ddh, as_grad(ddW, W), as_grad(ddxs, xs)
