# ---- reverse: s2s.grad

def dtangent_style_dx(x, *, dresult=1.0):
    stack = []
    t_3 = None
    t_5 = None
    n = x.shape[0]                        # programs.py:149
    S = np.zeros((n, 3))                  # programs.py:150
    r = range(n)                          # programs.py:151
    for i in r:                           # programs.py:151
        t_2 = x[i]                        # programs.py:152
        stack.append(get_item(S, (i, 0)))  # programs.py:152
        S[i, 0] = t_2                     # programs.py:152
        stack.append(get_item(S, (i, 2)))  # programs.py:153
        S[i, 2] = 1.0                     # programs.py:153
        stack.append(t_3)                 # programs.py:154
        t_3 = S[i, 0]                     # programs.py:154
        t_4 = x[i]                        # programs.py:154
        stack.append(shape_of(t_5))       # programs.py:154
        t_5 = t_3 * t_4                   # programs.py:154
        stack.append(get_item(S, (i, 1)))  # programs.py:154
        S[i, 1] = t_5                     # programs.py:154
    dS = grad_reduce(dresult, S, None, False) * 2 * S  # programs.py:155
    dS = copy_grad(dS)                    # programs.py:151
    dx = zeros_like(x)                    # programs.py:151
    for i in reversed(r):                 # programs.py:151
        t_2 = x[i]                        # programs.py:152
        t_4 = x[i]                        # programs.py:154
        dt_5 = unbroadcast(copy_grad(dS[i, 1]), t_5)  # programs.py:154
        dS[i, 1] = 0.0                    # programs.py:154
        set_item(S, (i, 1), stack.pop())  # programs.py:154
        dt_3 = unbroadcast(dt_5 * t_4, t_3)  # programs.py:154
        dt_4 = unbroadcast(dt_5 * t_3, t_4)  # programs.py:154
        t_5 = stack.pop()                 # programs.py:154
        dx[i] = dx[i] + dt_4              # programs.py:154
        dS[i, 0] = dS[i, 0] + dt_3        # programs.py:154
        t_3 = stack.pop()                 # programs.py:154
        dS[i, 2] = 0.0                    # programs.py:153
        set_item(S, (i, 2), stack.pop())  # programs.py:153
        dt_2 = unbroadcast(copy_grad(dS[i, 0]), t_2)  # programs.py:152
        dS[i, 0] = 0.0                    # programs.py:152
        set_item(S, (i, 0), stack.pop())  # programs.py:152
        dx[i] = dx[i] + dt_2              # programs.py:152
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_tangent_style_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    n = x.shape[0]                      # programs.py:149
    S = np.zeros((n, 3))                # programs.py:150
    r = range(n)                        # programs.py:151
    dS = zeros_like(S)                  # programs.py:151
    for i in r:                         # programs.py:151
        t_2 = x[i]                      # programs.py:152
        dt_2 = dx[i]                    # programs.py:152
        S[i, 0] = t_2                   # programs.py:152
        dS[i, 0] = dt_2                 # programs.py:152
        S[i, 2] = 1.0                   # programs.py:153
        dS[i, 2] = 0.0                  # programs.py:153
        t_3 = S[i, 0]                   # programs.py:154
        dt_3 = dS[i, 0]                 # programs.py:154
        t_4 = x[i]                      # programs.py:154
        dt_4 = dx[i]                    # programs.py:154
        t_5 = t_3 * t_4                 # programs.py:154
        dt_5 = dt_3 * t_4 + t_3 * dt_4  # programs.py:154
        S[i, 1] = t_5                   # programs.py:154
        dS[i, 1] = dt_5                 # programs.py:154
    return np.sum(dS * 2 * S)           # programs.py:155

# ---- forward over reverse: s2s.hvp

def hvp_tangent_style_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    x_ = copy_deep(x)
    dx_ = copy_deep(dx)
    stack = []
    dstack = []
    t_3 = None
    t_5 = None
    n = x_.shape[0]                       # programs.py:149
    S = np.zeros((n, 3))                  # programs.py:150
    r = range(n)                          # programs.py:151
    r_1 = range(len(r))                   # programs.py:151
    d_S = zeros_like(S)                   # programs.py:151
    d_t_3 = 0.0                           # programs.py:151
    for k in r_1:                         # programs.py:151
        i = r[k]                          # programs.py:151
        t_2 = x_[i]                       # programs.py:152
        d_t_2 = dx_[i]                    # programs.py:152
        t_6 = i, 0                        # programs.py:152
        t_7 = get_item(S, t_6)            # programs.py:152
        dt_7 = get_item(d_S, t_6)         # programs.py:152
        stack.append(t_7)                 # programs.py:152
        dstack.append(dt_7)               # programs.py:152
        S[i, 0] = t_2                     # programs.py:152
        d_S[i, 0] = d_t_2                 # programs.py:152
        t_8 = i, 2                        # programs.py:153
        t_9 = get_item(S, t_8)            # programs.py:153
        dt_9 = get_item(d_S, t_8)         # programs.py:153
        stack.append(t_9)                 # programs.py:153
        dstack.append(dt_9)               # programs.py:153
        S[i, 2] = 1.0                     # programs.py:153
        d_S[i, 2] = 0.0                   # programs.py:153
        stack.append(t_3)                 # programs.py:154
        dstack.append(d_t_3)              # programs.py:154
        t_3 = S[i, 0]                     # programs.py:154
        d_t_3 = d_S[i, 0]                 # programs.py:154
        t_4 = x_[i]                       # programs.py:154
        d_t_4 = dx_[i]                    # programs.py:154
        t_10 = shape_of(t_5)              # programs.py:154
        stack.append(t_10)                # programs.py:154
        dstack.append(zeros_like(t_10))   # programs.py:154
        t_5 = t_3 * t_4                   # programs.py:154
        d_t_5 = d_t_3 * t_4 + t_3 * d_t_4  # programs.py:154
        t_11 = i, 1                       # programs.py:154
        t_12 = get_item(S, t_11)          # programs.py:154
        dt_12 = get_item(d_S, t_11)       # programs.py:154
        stack.append(t_12)                # programs.py:154
        dstack.append(dt_12)              # programs.py:154
        S[i, 1] = t_5                     # programs.py:154
        d_S[i, 1] = d_t_5                 # programs.py:154
    t_14 = grad_reduce(seed, S, None, False) * 2  # programs.py:155
    dS = t_14 * S                         # programs.py:155
    ddS = t_14 * d_S                      # programs.py:155
    dS_1 = copy_grad(dS)                  # programs.py:151
    ddS_1 = copy_grad(ddS)                # programs.py:151
    dS = dS_1                             # programs.py:151
    ddS = ddS_1                           # programs.py:151
    grad_x = zeros_like(x_)               # programs.py:151
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:151
    ddx = zeros_like(grad_x)              # programs.py:151
    for k_1 in r_2:                       # programs.py:151
        i = r[k_1]                        # programs.py:151
        t_2 = x_[i]                       # programs.py:152
        t_4 = x_[i]                       # programs.py:154
        d_t_4 = dx_[i]                    # programs.py:154
        t_16 = dS[i, 1]                   # programs.py:154
        dt_16 = ddS[i, 1]                 # programs.py:154
        t_17 = copy_grad(t_16)            # programs.py:154
        dt_17 = copy_grad(dt_16)          # programs.py:154
        dt_5 = unbroadcast(t_17, t_5)     # programs.py:154
        ddt_5 = unbroadcast(dt_17, t_5)   # programs.py:154
        dS[i, 1] = 0.0                    # programs.py:154
        ddS[i, 1] = 0.0                   # programs.py:154
        t_34 = i, 1                       # programs.py:154
        t_35 = stack.pop()                # programs.py:154
        dt_35 = dstack.pop()              # programs.py:154
        set_item(S, t_34, t_35)           # programs.py:154
        set_item(d_S, t_34, dt_35)        # programs.py:154
        t_18 = dt_5 * t_4                 # programs.py:154
        dt_18 = ddt_5 * t_4 + dt_5 * d_t_4  # programs.py:154
        dt_3 = unbroadcast(t_18, t_3)     # programs.py:154
        ddt_3 = unbroadcast(dt_18, t_3)   # programs.py:154
        t_19 = dt_5 * t_3                 # programs.py:154
        dt_19 = ddt_5 * t_3 + dt_5 * d_t_3  # programs.py:154
        dt_4 = unbroadcast(t_19, t_4)     # programs.py:154
        ddt_4 = unbroadcast(dt_19, t_4)   # programs.py:154
        t_5 = stack.pop()                 # programs.py:154
        d_t_5 = dstack.pop()              # programs.py:154
        t_20 = grad_x[i]                  # programs.py:154
        dt_20 = ddx[i]                    # programs.py:154
        t_21 = t_20 + dt_4                # programs.py:154
        dt_21 = dt_20 + ddt_4             # programs.py:154
        grad_x[i] = t_21                  # programs.py:154
        ddx[i] = dt_21                    # programs.py:154
        t_22 = dS[i, 0]                   # programs.py:154
        dt_22 = ddS[i, 0]                 # programs.py:154
        t_23 = t_22 + dt_3                # programs.py:154
        dt_23 = dt_22 + ddt_3             # programs.py:154
        dS[i, 0] = t_23                   # programs.py:154
        ddS[i, 0] = dt_23                 # programs.py:154
        t_3 = stack.pop()                 # programs.py:154
        d_t_3 = dstack.pop()              # programs.py:154
        dS[i, 2] = 0.0                    # programs.py:153
        ddS[i, 2] = 0.0                   # programs.py:153
        t_36 = i, 2                       # programs.py:153
        t_37 = stack.pop()                # programs.py:153
        dt_37 = dstack.pop()              # programs.py:153
        set_item(S, t_36, t_37)           # programs.py:153
        set_item(d_S, t_36, dt_37)        # programs.py:153
        t_24 = dS[i, 0]                   # programs.py:152
        dt_24 = ddS[i, 0]                 # programs.py:152
        t_25 = copy_grad(t_24)            # programs.py:152
        dt_25 = copy_grad(dt_24)          # programs.py:152
        dt_2 = unbroadcast(t_25, t_2)     # programs.py:152
        ddt_2 = unbroadcast(dt_25, t_2)   # programs.py:152
        dS[i, 0] = 0.0                    # programs.py:152
        ddS[i, 0] = 0.0                   # programs.py:152
        t_38 = i, 0                       # programs.py:152
        t_39 = stack.pop()                # programs.py:152
        dt_39 = dstack.pop()              # programs.py:152
        set_item(S, t_38, t_39)           # programs.py:152
        set_item(d_S, t_38, dt_39)        # programs.py:152
        t_26 = grad_x[i]                  # programs.py:152
        dt_26 = ddx[i]                    # programs.py:152
        t_27 = t_26 + dt_2                # programs.py:152
        dt_27 = dt_26 + ddt_2             # programs.py:152
        grad_x[i] = t_27                  # programs.py:152
        ddx[i] = dt_27                    # programs.py:152
    return as_grad(ddx, x_)
