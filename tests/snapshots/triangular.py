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
            dt_2 = dx[j]                  # programs.py:54
            t_3 = t_2 ** 2                # programs.py:54
            dt_3 = dt_2 * 2 * t_2         # programs.py:54
            ds = ds + (dt_1 * t_3 + t_1 * dt_3)  # programs.py:54
    return ds                             # programs.py:55

# ---- forward over reverse: s2s.hvp

def hvp_triangular_dx(x, dx_1=1.0):
    dx_1 = init_grad(x, dx_1)
    ds = seed
    x_ = copy_deep(x)                     # dtriangular_dx_72237f89fab0.py:3
    dx_ = copy_deep(dx_1)                 # dtriangular_dx_72237f89fab0.py:3
    stack = []                            # dtriangular_dx_72237f89fab0.py:3
    dstack = []                           # dtriangular_dx_72237f89fab0.py:3
    k = None                              # dtriangular_dx_72237f89fab0.py:4
    r_1 = None                            # dtriangular_dx_72237f89fab0.py:5
    seq = None                            # dtriangular_dx_72237f89fab0.py:6
    t_3 = None                            # dtriangular_dx_72237f89fab0.py:7
    t_4 = None                            # dtriangular_dx_72237f89fab0.py:8
    n = x_.shape[0]                       # dtriangular_dx_72237f89fab0.py:9
    s = 0.0                               # dtriangular_dx_72237f89fab0.py:10
    r = range(n)                          # dtriangular_dx_72237f89fab0.py:11
    r_2 = range(len(r))                   # dtriangular_dx_72237f89fab0.py:12
    ds_3 = 0.0                            # dtriangular_dx_72237f89fab0.py:12
    dt_3_1 = 0.0                          # dtriangular_dx_72237f89fab0.py:12
    for k_1 in r_2:                       # dtriangular_dx_72237f89fab0.py:12
        i = r[k_1]                        # dtriangular_dx_72237f89fab0.py:12
        stack.append(seq)                 # dtriangular_dx_72237f89fab0.py:13
        dstack.append(zeros_like(seq))    # dtriangular_dx_72237f89fab0.py:13
        seq = np.arange(i, n)             # dtriangular_dx_72237f89fab0.py:14
        n_1 = len(seq)                    # dtriangular_dx_72237f89fab0.py:15
        stack.append(r_1)                 # dtriangular_dx_72237f89fab0.py:16
        dstack.append(zeros_like(r_1))    # dtriangular_dx_72237f89fab0.py:16
        r_1 = range(n_1)                  # dtriangular_dx_72237f89fab0.py:17
        stack.append(k)                   # dtriangular_dx_72237f89fab0.py:18
        dstack.append(zeros_like(k))      # dtriangular_dx_72237f89fab0.py:18
        r_3 = range(len(r_1))             # dtriangular_dx_72237f89fab0.py:19
        for k_2 in r_3:                   # dtriangular_dx_72237f89fab0.py:19
            k = r_1[k_2]                  # dtriangular_dx_72237f89fab0.py:19
            j = seq[k]                    # dtriangular_dx_72237f89fab0.py:20
            t_1 = x_[i]                   # dtriangular_dx_72237f89fab0.py:21
            dt_1_1 = dx_[i]               # dtriangular_dx_72237f89fab0.py:21
            t_2 = x_[j]                   # dtriangular_dx_72237f89fab0.py:22
            dt_2_1 = dx_[j]               # dtriangular_dx_72237f89fab0.py:22
            stack.append(t_3)             # dtriangular_dx_72237f89fab0.py:23
            dstack.append(dt_3_1)         # dtriangular_dx_72237f89fab0.py:23
            t_3 = t_2 ** 2                # dtriangular_dx_72237f89fab0.py:24
            dt_3_1 = dt_2_1 * 2 * t_2     # dtriangular_dx_72237f89fab0.py:24
            t_5 = shape_of(t_4)           # dtriangular_dx_72237f89fab0.py:25
            stack.append(t_5)             # dtriangular_dx_72237f89fab0.py:25
            dstack.append(zeros_like(t_5))  # dtriangular_dx_72237f89fab0.py:25
            t_4 = t_1 * t_3               # dtriangular_dx_72237f89fab0.py:26
            dt_4_1 = dt_1_1 * t_3 + t_1 * dt_3_1  # dtriangular_dx_72237f89fab0.py:26
            s_1 = s + t_4                 # dtriangular_dx_72237f89fab0.py:27
            ds_1_1 = ds_3 + dt_4_1        # dtriangular_dx_72237f89fab0.py:27
            stack.append(s)               # dtriangular_dx_72237f89fab0.py:28
            dstack.append(ds_3)           # dtriangular_dx_72237f89fab0.py:28
            s = s_1                       # dtriangular_dx_72237f89fab0.py:29
            ds_3 = ds_1_1                 # dtriangular_dx_72237f89fab0.py:29
    ds = init_grad(s, ds)                 # dtriangular_dx_72237f89fab0.py:30
    dx = zeros_like(x_)                   # dtriangular_dx_72237f89fab0.py:31
    r_4 = range(len(r) - 1, -1, -1)       # dtriangular_dx_72237f89fab0.py:32
    ddx = zeros_like(dx)                  # dtriangular_dx_72237f89fab0.py:32
    for k_3 in r_4:                       # dtriangular_dx_72237f89fab0.py:32
        i = r[k_3]                        # dtriangular_dx_72237f89fab0.py:32
        r_5 = range(len(r_1) - 1, -1, -1)  # dtriangular_dx_72237f89fab0.py:33
        for k_4 in r_5:                   # dtriangular_dx_72237f89fab0.py:33
            k = r_1[k_4]                  # dtriangular_dx_72237f89fab0.py:33
            j = seq[k]                    # dtriangular_dx_72237f89fab0.py:34
            t_1 = x_[i]                   # dtriangular_dx_72237f89fab0.py:35
            dt_1_1 = dx_[i]               # dtriangular_dx_72237f89fab0.py:35
            t_2 = x_[j]                   # dtriangular_dx_72237f89fab0.py:36
            dt_2_1 = dx_[j]               # dtriangular_dx_72237f89fab0.py:36
            ds_1 = ds                     # dtriangular_dx_72237f89fab0.py:37
            s = stack.pop()               # dtriangular_dx_72237f89fab0.py:38
            ds_3 = dstack.pop()           # dtriangular_dx_72237f89fab0.py:38
            ds = unbroadcast(ds_1, s)     # dtriangular_dx_72237f89fab0.py:39
            dt_4 = unbroadcast(ds_1, t_4)  # dtriangular_dx_72237f89fab0.py:40
            t_8 = dt_4 * t_3              # dtriangular_dx_72237f89fab0.py:41
            dt_8 = dt_4 * dt_3_1          # dtriangular_dx_72237f89fab0.py:41
            dt_1 = unbroadcast(t_8, t_1)  # dtriangular_dx_72237f89fab0.py:41
            ddt_1 = unbroadcast(dt_8, t_1)  # dtriangular_dx_72237f89fab0.py:41
            t_9 = dt_4 * t_1              # dtriangular_dx_72237f89fab0.py:42
            dt_9 = dt_4 * dt_1_1          # dtriangular_dx_72237f89fab0.py:42
            dt_3 = unbroadcast(t_9, t_3)  # dtriangular_dx_72237f89fab0.py:42
            ddt_3 = unbroadcast(dt_9, t_3)  # dtriangular_dx_72237f89fab0.py:42
            t_4 = stack.pop()             # dtriangular_dx_72237f89fab0.py:43
            dt_4_1 = dstack.pop()         # dtriangular_dx_72237f89fab0.py:43
            t_10 = dt_3 * 2               # dtriangular_dx_72237f89fab0.py:44
            dt_10 = ddt_3 * 2             # dtriangular_dx_72237f89fab0.py:44
            dt_2 = t_10 * t_2             # dtriangular_dx_72237f89fab0.py:44
            ddt_2 = dt_10 * t_2 + t_10 * dt_2_1  # dtriangular_dx_72237f89fab0.py:44
            t_3 = stack.pop()             # dtriangular_dx_72237f89fab0.py:45
            dt_3_1 = dstack.pop()         # dtriangular_dx_72237f89fab0.py:45
            add_at(dx, j, dt_2)           # dtriangular_dx_72237f89fab0.py:46
            add_at(ddx, j, ddt_2)         # dtriangular_dx_72237f89fab0.py:46
            t_11 = dx[i]                  # dtriangular_dx_72237f89fab0.py:47
            dt_11 = ddx[i]                # dtriangular_dx_72237f89fab0.py:47
            t_12 = t_11 + dt_1            # dtriangular_dx_72237f89fab0.py:47
            dt_12 = dt_11 + ddt_1         # dtriangular_dx_72237f89fab0.py:47
            dx[i] = t_12                  # dtriangular_dx_72237f89fab0.py:47
            ddx[i] = dt_12                # dtriangular_dx_72237f89fab0.py:47
        k = stack.pop()                   # dtriangular_dx_72237f89fab0.py:48
        dk = dstack.pop()                 # dtriangular_dx_72237f89fab0.py:48
        r_1 = stack.pop()                 # dtriangular_dx_72237f89fab0.py:49
        dr_1 = dstack.pop()               # dtriangular_dx_72237f89fab0.py:49
        seq = stack.pop()                 # dtriangular_dx_72237f89fab0.py:50
        dseq = dstack.pop()               # dtriangular_dx_72237f89fab0.py:50
    return as_grad(ddx, x_)               # dtriangular_dx_72237f89fab0.py:51
