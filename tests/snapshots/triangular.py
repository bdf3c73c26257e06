# ---- reverse: s2s.grad

def dtriangular_dx(x, *, ds=1.0):
    stack = []
    k = None
    r_1 = None
    seq = None
    t_3 = None
    t_4 = None
    n = x.shape[0]                        # programs.py:50
    s = 0.0                               # programs.py:51
    r = range(n)                          # programs.py:52
    for i in r:                           # programs.py:52
        stack.append(seq)                 # programs.py:53
        seq = np.arange(i, n)             # programs.py:53
        n_1 = len(seq)                    # programs.py:53
        stack.append(r_1)                 # programs.py:53
        r_1 = range(n_1)                  # programs.py:53
        stack.append(k)                   # programs.py:53
        for k in r_1:                     # programs.py:53
            j = seq[k]                    # programs.py:53
            t_1 = x[i]                    # programs.py:54
            t_2 = x[j]                    # programs.py:54
            stack.append(t_3)             # programs.py:54
            t_3 = t_2 ** 2                # programs.py:54
            stack.append(shape_of(t_4))   # programs.py:54
            t_4 = t_1 * t_3               # programs.py:54
            s_1 = s + t_4                 # programs.py:54
            stack.append(s)               # programs.py:54
            s = s_1                       # programs.py:54
    ds = init_grad(s, ds)
    dx = zeros_like(x)                    # programs.py:52
    for i in reversed(r):                 # programs.py:52
        for k in reversed(r_1):           # programs.py:53
            j = seq[k]                    # programs.py:53
            t_1 = x[i]                    # programs.py:54
            t_2 = x[j]                    # programs.py:54
            ds_1 = ds                     # programs.py:54
            s = stack.pop()               # programs.py:54
            ds = unbroadcast(ds_1, s)     # programs.py:54
            dt_4 = unbroadcast(ds_1, t_4)  # programs.py:54
            dt_1 = unbroadcast(dt_4 * t_3, t_1)  # programs.py:54
            dt_3 = unbroadcast(dt_4 * t_1, t_3)  # programs.py:54
            t_4 = stack.pop()             # programs.py:54
            dt_2 = dt_3 * 2 * t_2         # programs.py:54
            t_3 = stack.pop()             # programs.py:54
            add_at(dx, j, dt_2)           # programs.py:54
            dx[i] = dx[i] + dt_1          # programs.py:54
        k = stack.pop()                   # programs.py:53
        r_1 = stack.pop()                 # programs.py:53
        seq = stack.pop()                 # programs.py:53
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_triangular_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    n = x.shape[0]                        # programs.py:50
    r = range(n)                          # programs.py:52
    ds = 0.0                              # programs.py:52
    for i in r:                           # programs.py:52
        seq = np.arange(i, n)             # programs.py:53
        r_1 = range(len(seq))             # programs.py:53
        for k in r_1:                     # programs.py:53
            j = seq[k]                    # programs.py:53
            t_1 = x[i]                    # programs.py:54
            dt_1 = dx[i]                  # programs.py:54
            t_2 = x[j]                    # programs.py:54
            ds = ds + (dt_1 * t_2 ** 2 + t_1 * (dx[j] * 2 * t_2))  # programs.py:54
    return ds                             # programs.py:55

# ---- forward over reverse: s2s.hvp

def hvp_triangular_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    ds = seed
    x_ = copy_deep(x)
    dx_ = copy_deep(dx)
    stack = []
    dstack = []
    k = None
    r_1 = None
    seq = None
    t_3 = None
    t_4 = None
    n = x_.shape[0]                       # programs.py:50
    s = 0.0                               # programs.py:51
    r = range(n)                          # programs.py:52
    r_2 = range(len(r))                   # programs.py:52
    d_s = 0.0                             # programs.py:52
    d_t_3 = 0.0                           # programs.py:52
    for k_1 in r_2:                       # programs.py:52
        i = r[k_1]                        # programs.py:52
        stack.append(seq)                 # programs.py:53
        dstack.append(zeros_like(seq))    # programs.py:53
        seq = np.arange(i, n)             # programs.py:53
        n_1 = len(seq)                    # programs.py:53
        stack.append(r_1)                 # programs.py:53
        dstack.append(zeros_like(r_1))    # programs.py:53
        r_1 = range(n_1)                  # programs.py:53
        stack.append(k)                   # programs.py:53
        dstack.append(zeros_like(k))      # programs.py:53
        r_3 = range(len(r_1))             # programs.py:53
        for k_2 in r_3:                   # programs.py:53
            k = r_1[k_2]                  # programs.py:53
            j = seq[k]                    # programs.py:53
            t_1 = x_[i]                   # programs.py:54
            d_t_1 = dx_[i]                # programs.py:54
            t_2 = x_[j]                   # programs.py:54
            d_t_2 = dx_[j]                # programs.py:54
            stack.append(t_3)             # programs.py:54
            dstack.append(d_t_3)          # programs.py:54
            t_3 = t_2 ** 2                # programs.py:54
            d_t_3 = d_t_2 * 2 * t_2       # programs.py:54
            t_5 = shape_of(t_4)           # programs.py:54
            stack.append(t_5)             # programs.py:54
            dstack.append(zeros_like(t_5))  # programs.py:54
            t_4 = t_1 * t_3               # programs.py:54
            d_t_4 = d_t_1 * t_3 + t_1 * d_t_3  # programs.py:54
            s_1 = s + t_4                 # programs.py:54
            d_s_1 = d_s + d_t_4           # programs.py:54
            stack.append(s)               # programs.py:54
            dstack.append(d_s)            # programs.py:54
            s = s_1                       # programs.py:54
            d_s = d_s_1                   # programs.py:54
    ds = init_grad(s, ds)
    grad_x = zeros_like(x_)               # programs.py:52
    r_4 = range(len(r) - 1, -1, -1)       # programs.py:52
    ddx = zeros_like(grad_x)              # programs.py:52
    for k_3 in r_4:                       # programs.py:52
        i = r[k_3]                        # programs.py:52
        r_5 = range(len(r_1) - 1, -1, -1)  # programs.py:53
        for k_4 in r_5:                   # programs.py:53
            k = r_1[k_4]                  # programs.py:53
            j = seq[k]                    # programs.py:53
            t_1 = x_[i]                   # programs.py:54
            d_t_1 = dx_[i]                # programs.py:54
            t_2 = x_[j]                   # programs.py:54
            d_t_2 = dx_[j]                # programs.py:54
            ds_1 = ds                     # programs.py:54
            s = stack.pop()               # programs.py:54
            d_s = dstack.pop()            # programs.py:54
            ds = unbroadcast(ds_1, s)     # programs.py:54
            dt_4 = unbroadcast(ds_1, t_4)  # programs.py:54
            t_8 = dt_4 * t_3              # programs.py:54
            dt_8 = dt_4 * d_t_3           # programs.py:54
            dt_1 = unbroadcast(t_8, t_1)  # programs.py:54
            ddt_1 = unbroadcast(dt_8, t_1)  # programs.py:54
            t_9 = dt_4 * t_1              # programs.py:54
            dt_9 = dt_4 * d_t_1           # programs.py:54
            dt_3 = unbroadcast(t_9, t_3)  # programs.py:54
            ddt_3 = unbroadcast(dt_9, t_3)  # programs.py:54
            t_4 = stack.pop()             # programs.py:54
            d_t_4 = dstack.pop()          # programs.py:54
            t_10 = dt_3 * 2               # programs.py:54
            dt_10 = ddt_3 * 2             # programs.py:54
            dt_2 = t_10 * t_2             # programs.py:54
            ddt_2 = dt_10 * t_2 + t_10 * d_t_2  # programs.py:54
            t_3 = stack.pop()             # programs.py:54
            d_t_3 = dstack.pop()          # programs.py:54
            add_at(grad_x, j, dt_2)       # programs.py:54
            add_at(ddx, j, ddt_2)         # programs.py:54
            t_11 = grad_x[i]              # programs.py:54
            dt_11 = ddx[i]                # programs.py:54
            t_12 = t_11 + dt_1            # programs.py:54
            dt_12 = dt_11 + ddt_1         # programs.py:54
            grad_x[i] = t_12              # programs.py:54
            ddx[i] = dt_12                # programs.py:54
        k = stack.pop()                   # programs.py:53
        dk = dstack.pop()                 # programs.py:53
        r_1 = stack.pop()                 # programs.py:53
        dr_1 = dstack.pop()               # programs.py:53
        seq = stack.pop()                 # programs.py:53
        dseq = dstack.pop()               # programs.py:53
    return as_grad(ddx, x_)
