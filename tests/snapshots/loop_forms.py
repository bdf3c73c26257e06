# ---- reverse: s2s.grad

def dloop_forms_dxs(xs, *, ds=1.0):
    stack = []
    a = None
    b = None
    i = None
    t_10 = None
    t_13 = None
    t_14 = None
    t_17 = None
    t_3 = None
    t_8 = None
    v = None
    s = 0.0                               # programs.py:96
    r = range(len(xs))                    # programs.py:97
    for k in r:                           # programs.py:97
        t = xs[k]                         # programs.py:97
        stack.append(i)                   # programs.py:97
        i = k                             # programs.py:97
        stack.append(shape_of(v))         # programs.py:97
        v = t                             # programs.py:97
        stack.append(shape_of(t_3))       # programs.py:98
        t_3 = v * i                       # programs.py:98
        s_1 = s + t_3                     # programs.py:98
        stack.append(s)                   # programs.py:98
        s = s_1                           # programs.py:98
    seq = xs[1:]                          # programs.py:99
    r_1 = range(min(len(xs), len(seq)))   # programs.py:99
    for k_1 in r_1:                       # programs.py:99
        t_4 = xs[k_1]                     # programs.py:99
        t_5 = seq[k_1]                    # programs.py:99
        stack.append(a)                   # programs.py:99
        a = t_4                           # programs.py:99
        stack.append(b)                   # programs.py:99
        b = t_5                           # programs.py:99
        stack.append(shape_of(t_8))       # programs.py:100
        t_8 = a * b                       # programs.py:100
        s_2 = s + t_8                     # programs.py:100
        stack.append(s)                   # programs.py:100
        s = s_2                           # programs.py:100
    r_2 = range(len(xs) - 1, -1, -1)      # programs.py:101
    for k_2 in r_2:                       # programs.py:101
        stack.append(shape_of(v))         # programs.py:101
        v = xs[k_2]                       # programs.py:101
        stack.append(shape_of(t_10))      # programs.py:102
        t_10 = s * 0.5                    # programs.py:102
        stack.append(s)                   # programs.py:102
        s = t_10 + v                      # programs.py:102
    t_11 = xs[:, None]                    # programs.py:103
    t_12 = xs[None, :]                    # programs.py:103
    seq_1 = t_11 * t_12                   # programs.py:103
    r_3 = range(len(seq_1))               # programs.py:103
    for k_3 in r_3:                       # programs.py:103
        row = seq_1[k_3]                  # programs.py:103
        stack.append(t_13)                # programs.py:104
        t_13 = row ** 2                   # programs.py:104
        stack.append(shape_of(t_14))      # programs.py:104
        t_14 = np.sum(t_13)               # programs.py:104
        s_3 = s + t_14                    # programs.py:104
        stack.append(s)                   # programs.py:104
        s = s_3                           # programs.py:104
    seq_2 = [xs[0], xs[1]]                # programs.py:105
    r_4 = range(len(seq_2))               # programs.py:105
    for k_4 in r_4:                       # programs.py:105
        w = seq_2[k_4]                    # programs.py:105
        stack.append(shape_of(t_17))      # programs.py:106
        t_17 = w * 2.0                    # programs.py:106
        s_4 = s + t_17                    # programs.py:106
        stack.append(s)                   # programs.py:106
        s = s_4                           # programs.py:106
    ds = init_grad(s, ds)
    dseq_2 = zeros_like(seq_2)            # programs.py:105
    for k_4 in reversed(r_4):             # programs.py:105
        ds_4 = ds                         # programs.py:106
        s = stack.pop()                   # programs.py:106
        ds = unbroadcast(ds_4, s)         # programs.py:106
        dt_17 = unbroadcast(ds_4, t_17)   # programs.py:106
        dw = dt_17 * 2.0                  # programs.py:106
        t_17 = stack.pop()                # programs.py:106
        dseq_2[k_4] = dseq_2[k_4] + dw    # programs.py:105
    dt_15 = dseq_2[0]                     # programs.py:105
    dt_16 = dseq_2[1]                     # programs.py:105
    dxs = zeros_like(xs)                  # programs.py:105
    dxs[1] = dxs[1] + dt_16               # programs.py:105
    dxs[0] = dxs[0] + dt_15               # programs.py:105
    dseq_1 = zeros_like(seq_1)            # programs.py:103
    for k_3 in reversed(r_3):             # programs.py:103
        row = seq_1[k_3]                  # programs.py:103
        ds_3 = ds                         # programs.py:104
        s = stack.pop()                   # programs.py:104
        ds = unbroadcast(ds_3, s)         # programs.py:104
        dt_14 = unbroadcast(ds_3, t_14)   # programs.py:104
        dt_13 = grad_reduce(dt_14, t_13, None, False)  # programs.py:104
        t_14 = stack.pop()                # programs.py:104
        drow = dt_13 * 2 * row            # programs.py:104
        t_13 = stack.pop()                # programs.py:104
        dseq_1[k_3] = dseq_1[k_3] + drow  # programs.py:103
    dt_11 = unbroadcast(dseq_1 * t_12, t_11)  # programs.py:103
    dt_12 = unbroadcast(dseq_1 * t_11, t_12)  # programs.py:103
    dxs[None, :] = dxs[None, :] + dt_12   # programs.py:103
    dxs[:, None] = dxs[:, None] + dt_11   # programs.py:103
    for k_2 in reversed(r_2):             # programs.py:101
        dt_10 = unbroadcast(ds, t_10)     # programs.py:102
        dv = unbroadcast(ds, v)           # programs.py:102
        s = stack.pop()                   # programs.py:102
        ds = dt_10 * 0.5                  # programs.py:102
        t_10 = stack.pop()                # programs.py:102
        dxs[k_2] = dxs[k_2] + dv          # programs.py:101
        v = stack.pop()                   # programs.py:101
    dseq = zeros_like(seq)                # programs.py:99
    for k_1 in reversed(r_1):             # programs.py:99
        ds_2 = ds                         # programs.py:100
        s = stack.pop()                   # programs.py:100
        ds = unbroadcast(ds_2, s)         # programs.py:100
        dt_8 = unbroadcast(ds_2, t_8)     # programs.py:100
        da = unbroadcast(dt_8 * b, a)     # programs.py:100
        db = unbroadcast(dt_8 * a, b)     # programs.py:100
        t_8 = stack.pop()                 # programs.py:100
        b = stack.pop()                   # programs.py:99
        a = stack.pop()                   # programs.py:99
        dseq[k_1] = dseq[k_1] + db        # programs.py:99
        dxs[k_1] = dxs[k_1] + da          # programs.py:99
    dxs[1:] = dxs[1:] + dseq              # programs.py:99
    for k in reversed(r):                 # programs.py:97
        ds_1 = ds                         # programs.py:98
        s = stack.pop()                   # programs.py:98
        ds = unbroadcast(ds_1, s)         # programs.py:98
        dt_3 = unbroadcast(ds_1, t_3)     # programs.py:98
        dv = unbroadcast(dt_3 * i, v)     # programs.py:98
        t_3 = stack.pop()                 # programs.py:98
        v = stack.pop()                   # programs.py:97
        i = stack.pop()                   # programs.py:97
        dxs[k] = dxs[k] + dv              # programs.py:97
    return as_grad(dxs, xs)

# ---- forward: s2s.jvp

def jvp_loop_forms_dxs(xs, dxs=1.0):
    dxs = init_grad(xs, dxs)
    r = range(len(xs))                    # programs.py:97
    ds = 0.0                              # programs.py:97
    for k in r:                           # programs.py:97
        dv = dxs[k]                       # programs.py:97
        ds = ds + dv * k                  # programs.py:98
    seq = xs[1:]                          # programs.py:99
    dseq = dxs[1:]                        # programs.py:99
    r_1 = range(min(len(xs), len(seq)))   # programs.py:99
    for k_1 in r_1:                       # programs.py:99
        t_4 = xs[k_1]                     # programs.py:99
        dt_4 = dxs[k_1]                   # programs.py:99
        t_5 = seq[k_1]                    # programs.py:99
        dt_8 = dt_4 * t_5 + t_4 * dseq[k_1]  # programs.py:100
        ds = ds + dt_8                    # programs.py:100
    r_2 = range(len(xs) - 1, -1, -1)      # programs.py:101
    for k_2 in r_2:                       # programs.py:101
        dv = dxs[k_2]                     # programs.py:101
        ds = ds * 0.5 + dv                # programs.py:102
    t_11 = xs[:, None]                    # programs.py:103
    dt_11 = dxs[:, None]                  # programs.py:103
    t_12 = xs[None, :]                    # programs.py:103
    dt_12 = dxs[None, :]                  # programs.py:103
    seq_1 = t_11 * t_12                   # programs.py:103
    dseq_1 = dt_11 * t_12 + t_11 * dt_12  # programs.py:103
    r_3 = range(len(seq_1))               # programs.py:103
    for k_3 in r_3:                       # programs.py:103
        row = seq_1[k_3]                  # programs.py:103
        drow = dseq_1[k_3]                # programs.py:103
        ds = ds + np.sum(drow * 2 * row)  # programs.py:104
    t_15 = xs[0]                          # programs.py:105
    dt_15 = dxs[0]                        # programs.py:105
    t_16 = xs[1]                          # programs.py:105
    dt_16 = dxs[1]                        # programs.py:105
    seq_2 = [t_15, t_16]                  # programs.py:105
    dseq_2 = [dt_15, dt_16]               # programs.py:105
    r_4 = range(len(seq_2))               # programs.py:105
    for k_4 in r_4:                       # programs.py:105
        dw = dseq_2[k_4]                  # programs.py:105
        ds = ds + dw * 2.0                # programs.py:106
    return ds                             # programs.py:107

# ---- forward over reverse: s2s.hvp

def hvp_loop_forms_dxs(xs, dxs_1=1.0):
    xs = copy_deep(xs)
    dxs_1 = copy_deep(init_grad(xs, dxs_1))
    ds = seed
    stack = []                            # dloop_forms_dxs_d9801e13cb4b.py:3
    dstack = []                           # dloop_forms_dxs_d9801e13cb4b.py:3
    a = None                              # dloop_forms_dxs_d9801e13cb4b.py:4
    b = None                              # dloop_forms_dxs_d9801e13cb4b.py:5
    i = None                              # dloop_forms_dxs_d9801e13cb4b.py:6
    t_10 = None                           # dloop_forms_dxs_d9801e13cb4b.py:7
    t_13 = None                           # dloop_forms_dxs_d9801e13cb4b.py:8
    t_14 = None                           # dloop_forms_dxs_d9801e13cb4b.py:9
    t_17 = None                           # dloop_forms_dxs_d9801e13cb4b.py:10
    t_3 = None                            # dloop_forms_dxs_d9801e13cb4b.py:11
    t_8 = None                            # dloop_forms_dxs_d9801e13cb4b.py:12
    v = None                              # dloop_forms_dxs_d9801e13cb4b.py:13
    s = 0.0                               # dloop_forms_dxs_d9801e13cb4b.py:14
    r = range(len(xs))                    # dloop_forms_dxs_d9801e13cb4b.py:15
    r_5 = range(len(r))                   # dloop_forms_dxs_d9801e13cb4b.py:16
    ds_6 = 0.0                            # dloop_forms_dxs_d9801e13cb4b.py:16
    for k_5 in r_5:                       # dloop_forms_dxs_d9801e13cb4b.py:16
        k = r[k_5]                        # dloop_forms_dxs_d9801e13cb4b.py:16
        t = xs[k]                         # dloop_forms_dxs_d9801e13cb4b.py:17
        dt = dxs_1[k]                     # dloop_forms_dxs_d9801e13cb4b.py:17
        stack.append(i)                   # dloop_forms_dxs_d9801e13cb4b.py:18
        dstack.append(zeros_like(i))      # dloop_forms_dxs_d9801e13cb4b.py:18
        i = k                             # dloop_forms_dxs_d9801e13cb4b.py:19
        t_2 = shape_of(v)                 # dloop_forms_dxs_d9801e13cb4b.py:20
        stack.append(t_2)                 # dloop_forms_dxs_d9801e13cb4b.py:20
        dstack.append(zeros_like(t_2))    # dloop_forms_dxs_d9801e13cb4b.py:20
        v = t                             # dloop_forms_dxs_d9801e13cb4b.py:21
        dv_1 = dt                         # dloop_forms_dxs_d9801e13cb4b.py:21
        t_6 = shape_of(t_3)               # dloop_forms_dxs_d9801e13cb4b.py:22
        stack.append(t_6)                 # dloop_forms_dxs_d9801e13cb4b.py:22
        dstack.append(zeros_like(t_6))    # dloop_forms_dxs_d9801e13cb4b.py:22
        t_3 = v * i                       # dloop_forms_dxs_d9801e13cb4b.py:23
        dt_3_1 = dv_1 * i                 # dloop_forms_dxs_d9801e13cb4b.py:23
        s_1 = s + t_3                     # dloop_forms_dxs_d9801e13cb4b.py:24
        ds_1_1 = ds_6 + dt_3_1            # dloop_forms_dxs_d9801e13cb4b.py:24
        stack.append(s)                   # dloop_forms_dxs_d9801e13cb4b.py:25
        dstack.append(ds_6)               # dloop_forms_dxs_d9801e13cb4b.py:25
        s = s_1                           # dloop_forms_dxs_d9801e13cb4b.py:26
        ds_6 = ds_1_1                     # dloop_forms_dxs_d9801e13cb4b.py:26
    seq = xs[1:]                          # dloop_forms_dxs_d9801e13cb4b.py:27
    dseq_3 = dxs_1[1:]                    # dloop_forms_dxs_d9801e13cb4b.py:27
    r_1 = range(min(len(xs), len(seq)))   # dloop_forms_dxs_d9801e13cb4b.py:28
    r_6 = range(len(r_1))                 # dloop_forms_dxs_d9801e13cb4b.py:29
    da_1 = 0.0                            # dloop_forms_dxs_d9801e13cb4b.py:29
    db_1 = 0.0                            # dloop_forms_dxs_d9801e13cb4b.py:29
    for k_6 in r_6:                       # dloop_forms_dxs_d9801e13cb4b.py:29
        k_1 = r_1[k_6]                    # dloop_forms_dxs_d9801e13cb4b.py:29
        t_4 = xs[k_1]                     # dloop_forms_dxs_d9801e13cb4b.py:30
        dt_4 = dxs_1[k_1]                 # dloop_forms_dxs_d9801e13cb4b.py:30
        t_5 = seq[k_1]                    # dloop_forms_dxs_d9801e13cb4b.py:31
        dt_5 = dseq_3[k_1]                # dloop_forms_dxs_d9801e13cb4b.py:31
        stack.append(a)                   # dloop_forms_dxs_d9801e13cb4b.py:32
        dstack.append(da_1)               # dloop_forms_dxs_d9801e13cb4b.py:32
        a = t_4                           # dloop_forms_dxs_d9801e13cb4b.py:33
        da_1 = dt_4                       # dloop_forms_dxs_d9801e13cb4b.py:33
        stack.append(b)                   # dloop_forms_dxs_d9801e13cb4b.py:34
        dstack.append(db_1)               # dloop_forms_dxs_d9801e13cb4b.py:34
        b = t_5                           # dloop_forms_dxs_d9801e13cb4b.py:35
        db_1 = dt_5                       # dloop_forms_dxs_d9801e13cb4b.py:35
        t_16 = shape_of(t_8)              # dloop_forms_dxs_d9801e13cb4b.py:36
        stack.append(t_16)                # dloop_forms_dxs_d9801e13cb4b.py:36
        dstack.append(zeros_like(t_16))   # dloop_forms_dxs_d9801e13cb4b.py:36
        t_8 = a * b                       # dloop_forms_dxs_d9801e13cb4b.py:37
        dt_8_1 = da_1 * b + a * db_1      # dloop_forms_dxs_d9801e13cb4b.py:37
        s_2 = s + t_8                     # dloop_forms_dxs_d9801e13cb4b.py:38
        ds_2_1 = ds_6 + dt_8_1            # dloop_forms_dxs_d9801e13cb4b.py:38
        stack.append(s)                   # dloop_forms_dxs_d9801e13cb4b.py:39
        dstack.append(ds_6)               # dloop_forms_dxs_d9801e13cb4b.py:39
        s = s_2                           # dloop_forms_dxs_d9801e13cb4b.py:40
        ds_6 = ds_2_1                     # dloop_forms_dxs_d9801e13cb4b.py:40
    r_2 = range(len(xs) - 1, -1, -1)      # dloop_forms_dxs_d9801e13cb4b.py:41
    r_7 = range(len(r_2))                 # dloop_forms_dxs_d9801e13cb4b.py:42
    for k_7 in r_7:                       # dloop_forms_dxs_d9801e13cb4b.py:42
        k_2 = r_2[k_7]                    # dloop_forms_dxs_d9801e13cb4b.py:42
        t_20 = shape_of(v)                # dloop_forms_dxs_d9801e13cb4b.py:43
        stack.append(t_20)                # dloop_forms_dxs_d9801e13cb4b.py:43
        dstack.append(zeros_like(t_20))   # dloop_forms_dxs_d9801e13cb4b.py:43
        v = xs[k_2]                       # dloop_forms_dxs_d9801e13cb4b.py:44
        dv_1 = dxs_1[k_2]                 # dloop_forms_dxs_d9801e13cb4b.py:44
        t_21 = shape_of(t_10)             # dloop_forms_dxs_d9801e13cb4b.py:45
        stack.append(t_21)                # dloop_forms_dxs_d9801e13cb4b.py:45
        dstack.append(zeros_like(t_21))   # dloop_forms_dxs_d9801e13cb4b.py:45
        t_10 = s * 0.5                    # dloop_forms_dxs_d9801e13cb4b.py:46
        dt_10_1 = ds_6 * 0.5              # dloop_forms_dxs_d9801e13cb4b.py:46
        stack.append(s)                   # dloop_forms_dxs_d9801e13cb4b.py:47
        dstack.append(ds_6)               # dloop_forms_dxs_d9801e13cb4b.py:47
        s = t_10 + v                      # dloop_forms_dxs_d9801e13cb4b.py:48
        ds_6 = dt_10_1 + dv_1             # dloop_forms_dxs_d9801e13cb4b.py:48
    t_11 = xs[:, None]                    # dloop_forms_dxs_d9801e13cb4b.py:49
    dt_11_1 = dxs_1[:, None]              # dloop_forms_dxs_d9801e13cb4b.py:49
    t_12 = xs[None, :]                    # dloop_forms_dxs_d9801e13cb4b.py:50
    dt_12_1 = dxs_1[None, :]              # dloop_forms_dxs_d9801e13cb4b.py:50
    seq_1 = t_11 * t_12                   # dloop_forms_dxs_d9801e13cb4b.py:51
    dseq_1_1 = dt_11_1 * t_12 + t_11 * dt_12_1  # dloop_forms_dxs_d9801e13cb4b.py:51
    r_3 = range(len(seq_1))               # dloop_forms_dxs_d9801e13cb4b.py:52
    r_8 = range(len(r_3))                 # dloop_forms_dxs_d9801e13cb4b.py:53
    dt_13_1 = 0.0                         # dloop_forms_dxs_d9801e13cb4b.py:53
    for k_8 in r_8:                       # dloop_forms_dxs_d9801e13cb4b.py:53
        k_3 = r_3[k_8]                    # dloop_forms_dxs_d9801e13cb4b.py:53
        row = seq_1[k_3]                  # dloop_forms_dxs_d9801e13cb4b.py:54
        drow_1 = dseq_1_1[k_3]            # dloop_forms_dxs_d9801e13cb4b.py:54
        stack.append(t_13)                # dloop_forms_dxs_d9801e13cb4b.py:55
        dstack.append(dt_13_1)            # dloop_forms_dxs_d9801e13cb4b.py:55
        t_13 = row ** 2                   # dloop_forms_dxs_d9801e13cb4b.py:56
        dt_13_1 = drow_1 * 2 * row        # dloop_forms_dxs_d9801e13cb4b.py:56
        t_23 = shape_of(t_14)             # dloop_forms_dxs_d9801e13cb4b.py:57
        stack.append(t_23)                # dloop_forms_dxs_d9801e13cb4b.py:57
        dstack.append(zeros_like(t_23))   # dloop_forms_dxs_d9801e13cb4b.py:57
        t_14 = np.sum(t_13)               # dloop_forms_dxs_d9801e13cb4b.py:58
        dt_14_1 = np.sum(dt_13_1)         # dloop_forms_dxs_d9801e13cb4b.py:58
        s_3 = s + t_14                    # dloop_forms_dxs_d9801e13cb4b.py:59
        ds_3_1 = ds_6 + dt_14_1           # dloop_forms_dxs_d9801e13cb4b.py:59
        stack.append(s)                   # dloop_forms_dxs_d9801e13cb4b.py:60
        dstack.append(ds_6)               # dloop_forms_dxs_d9801e13cb4b.py:60
        s = s_3                           # dloop_forms_dxs_d9801e13cb4b.py:61
        ds_6 = ds_3_1                     # dloop_forms_dxs_d9801e13cb4b.py:61
    t_24 = xs[0]                          # dloop_forms_dxs_d9801e13cb4b.py:62
    dt_24 = dxs_1[0]                      # dloop_forms_dxs_d9801e13cb4b.py:62
    t_25 = xs[1]                          # dloop_forms_dxs_d9801e13cb4b.py:62
    dt_25 = dxs_1[1]                      # dloop_forms_dxs_d9801e13cb4b.py:62
    seq_2 = [t_24, t_25]                  # dloop_forms_dxs_d9801e13cb4b.py:62
    dseq_2_1 = [dt_24, dt_25]             # dloop_forms_dxs_d9801e13cb4b.py:62
    r_4 = range(len(seq_2))               # dloop_forms_dxs_d9801e13cb4b.py:63
    r_9 = range(len(r_4))                 # dloop_forms_dxs_d9801e13cb4b.py:64
    for k_9 in r_9:                       # dloop_forms_dxs_d9801e13cb4b.py:64
        k_4 = r_4[k_9]                    # dloop_forms_dxs_d9801e13cb4b.py:64
        w = seq_2[k_4]                    # dloop_forms_dxs_d9801e13cb4b.py:65
        dw_1 = dseq_2_1[k_4]              # dloop_forms_dxs_d9801e13cb4b.py:65
        t_27 = shape_of(t_17)             # dloop_forms_dxs_d9801e13cb4b.py:66
        stack.append(t_27)                # dloop_forms_dxs_d9801e13cb4b.py:66
        dstack.append(zeros_like(t_27))   # dloop_forms_dxs_d9801e13cb4b.py:66
        t_17 = w * 2.0                    # dloop_forms_dxs_d9801e13cb4b.py:67
        dt_17_1 = dw_1 * 2.0              # dloop_forms_dxs_d9801e13cb4b.py:67
        s_4 = s + t_17                    # dloop_forms_dxs_d9801e13cb4b.py:68
        ds_4_1 = ds_6 + dt_17_1           # dloop_forms_dxs_d9801e13cb4b.py:68
        stack.append(s)                   # dloop_forms_dxs_d9801e13cb4b.py:69
        dstack.append(ds_6)               # dloop_forms_dxs_d9801e13cb4b.py:69
        s = s_4                           # dloop_forms_dxs_d9801e13cb4b.py:70
        ds_6 = ds_4_1                     # dloop_forms_dxs_d9801e13cb4b.py:70
    ds = init_grad(s, ds)                 # dloop_forms_dxs_d9801e13cb4b.py:71
    dseq_2 = zeros_like(seq_2)            # dloop_forms_dxs_d9801e13cb4b.py:72
    r_10 = range(len(r_4) - 1, -1, -1)    # dloop_forms_dxs_d9801e13cb4b.py:73
    for k_10 in r_10:                     # dloop_forms_dxs_d9801e13cb4b.py:73
        k_4 = r_4[k_10]                   # dloop_forms_dxs_d9801e13cb4b.py:73
        ds_4 = ds                         # dloop_forms_dxs_d9801e13cb4b.py:74
        s = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:75
        ds_6 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:75
        ds = unbroadcast(ds_4, s)         # dloop_forms_dxs_d9801e13cb4b.py:76
        dt_17 = unbroadcast(ds_4, t_17)   # dloop_forms_dxs_d9801e13cb4b.py:77
        dw = dt_17 * 2.0                  # dloop_forms_dxs_d9801e13cb4b.py:78
        t_17 = stack.pop()                # dloop_forms_dxs_d9801e13cb4b.py:79
        dt_17_1 = dstack.pop()            # dloop_forms_dxs_d9801e13cb4b.py:79
        dseq_2[k_4] = dseq_2[k_4] + dw    # dloop_forms_dxs_d9801e13cb4b.py:80
    dt_15 = dseq_2[0]                     # dloop_forms_dxs_d9801e13cb4b.py:81
    dt_16 = dseq_2[1]                     # dloop_forms_dxs_d9801e13cb4b.py:82
    dxs = zeros_like(xs)                  # dloop_forms_dxs_d9801e13cb4b.py:83
    dxs[1] = dxs[1] + dt_16               # dloop_forms_dxs_d9801e13cb4b.py:84
    dxs[0] = dxs[0] + dt_15               # dloop_forms_dxs_d9801e13cb4b.py:85
    dseq_1 = zeros_like(seq_1)            # dloop_forms_dxs_d9801e13cb4b.py:86
    r_11 = range(len(r_3) - 1, -1, -1)    # dloop_forms_dxs_d9801e13cb4b.py:87
    ddseq_1 = zeros_like(dseq_1)          # dloop_forms_dxs_d9801e13cb4b.py:87
    for k_11 in r_11:                     # dloop_forms_dxs_d9801e13cb4b.py:87
        k_3 = r_3[k_11]                   # dloop_forms_dxs_d9801e13cb4b.py:87
        row = seq_1[k_3]                  # dloop_forms_dxs_d9801e13cb4b.py:88
        drow_1 = dseq_1_1[k_3]            # dloop_forms_dxs_d9801e13cb4b.py:88
        ds_3 = ds                         # dloop_forms_dxs_d9801e13cb4b.py:89
        s = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:90
        ds_6 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:90
        ds = unbroadcast(ds_3, s)         # dloop_forms_dxs_d9801e13cb4b.py:91
        dt_14 = unbroadcast(ds_3, t_14)   # dloop_forms_dxs_d9801e13cb4b.py:92
        dt_13 = grad_reduce(dt_14, t_13, None, False)  # dloop_forms_dxs_d9801e13cb4b.py:93
        t_14 = stack.pop()                # dloop_forms_dxs_d9801e13cb4b.py:94
        dt_14_1 = dstack.pop()            # dloop_forms_dxs_d9801e13cb4b.py:94
        t_36 = dt_13 * 2                  # dloop_forms_dxs_d9801e13cb4b.py:95
        drow = t_36 * row                 # dloop_forms_dxs_d9801e13cb4b.py:95
        ddrow = t_36 * drow_1             # dloop_forms_dxs_d9801e13cb4b.py:95
        t_13 = stack.pop()                # dloop_forms_dxs_d9801e13cb4b.py:96
        dt_13_1 = dstack.pop()            # dloop_forms_dxs_d9801e13cb4b.py:96
        t_37 = dseq_1[k_3]                # dloop_forms_dxs_d9801e13cb4b.py:97
        dt_37 = ddseq_1[k_3]              # dloop_forms_dxs_d9801e13cb4b.py:97
        t_38 = t_37 + drow                # dloop_forms_dxs_d9801e13cb4b.py:97
        dt_38 = dt_37 + ddrow             # dloop_forms_dxs_d9801e13cb4b.py:97
        dseq_1[k_3] = t_38                # dloop_forms_dxs_d9801e13cb4b.py:97
        ddseq_1[k_3] = dt_38              # dloop_forms_dxs_d9801e13cb4b.py:97
    t_39 = dseq_1 * t_12                  # dloop_forms_dxs_d9801e13cb4b.py:98
    dt_39 = ddseq_1 * t_12 + dseq_1 * dt_12_1  # dloop_forms_dxs_d9801e13cb4b.py:98
    dt_11 = unbroadcast(t_39, t_11)       # dloop_forms_dxs_d9801e13cb4b.py:98
    ddt_11 = unbroadcast(dt_39, t_11)     # dloop_forms_dxs_d9801e13cb4b.py:98
    t_40 = dseq_1 * t_11                  # dloop_forms_dxs_d9801e13cb4b.py:99
    dt_40 = ddseq_1 * t_11 + dseq_1 * dt_11_1  # dloop_forms_dxs_d9801e13cb4b.py:99
    dt_12 = unbroadcast(t_40, t_12)       # dloop_forms_dxs_d9801e13cb4b.py:99
    ddt_12 = unbroadcast(dt_40, t_12)     # dloop_forms_dxs_d9801e13cb4b.py:99
    t_42 = dxs[None, :] + dt_12           # dloop_forms_dxs_d9801e13cb4b.py:100
    dt_42 = tangent_like(ddt_12, t_42)    # dloop_forms_dxs_d9801e13cb4b.py:100
    ddxs = zeros_like(dxs)                # dloop_forms_dxs_d9801e13cb4b.py:100
    dxs[None, :] = t_42                   # dloop_forms_dxs_d9801e13cb4b.py:100
    ddxs[None, :] = dt_42                 # dloop_forms_dxs_d9801e13cb4b.py:100
    t_43 = dxs[:, None]                   # dloop_forms_dxs_d9801e13cb4b.py:101
    dt_43 = ddxs[:, None]                 # dloop_forms_dxs_d9801e13cb4b.py:101
    t_44 = t_43 + dt_11                   # dloop_forms_dxs_d9801e13cb4b.py:101
    dt_44 = dt_43 + ddt_11                # dloop_forms_dxs_d9801e13cb4b.py:101
    dxs[:, None] = t_44                   # dloop_forms_dxs_d9801e13cb4b.py:101
    ddxs[:, None] = dt_44                 # dloop_forms_dxs_d9801e13cb4b.py:101
    r_12 = range(len(r_2) - 1, -1, -1)    # dloop_forms_dxs_d9801e13cb4b.py:102
    for k_12 in r_12:                     # dloop_forms_dxs_d9801e13cb4b.py:102
        k_2 = r_2[k_12]                   # dloop_forms_dxs_d9801e13cb4b.py:102
        dt_10 = unbroadcast(ds, t_10)     # dloop_forms_dxs_d9801e13cb4b.py:103
        dv = unbroadcast(ds, v)           # dloop_forms_dxs_d9801e13cb4b.py:104
        s = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:105
        ds_6 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:105
        ds = dt_10 * 0.5                  # dloop_forms_dxs_d9801e13cb4b.py:106
        t_10 = stack.pop()                # dloop_forms_dxs_d9801e13cb4b.py:107
        dt_10_1 = dstack.pop()            # dloop_forms_dxs_d9801e13cb4b.py:107
        t_46 = dxs[k_2]                   # dloop_forms_dxs_d9801e13cb4b.py:108
        dt_46 = ddxs[k_2]                 # dloop_forms_dxs_d9801e13cb4b.py:108
        t_47 = t_46 + dv                  # dloop_forms_dxs_d9801e13cb4b.py:108
        dt_47 = tangent_like(dt_46, t_47)  # dloop_forms_dxs_d9801e13cb4b.py:108
        dxs[k_2] = t_47                   # dloop_forms_dxs_d9801e13cb4b.py:108
        ddxs[k_2] = dt_47                 # dloop_forms_dxs_d9801e13cb4b.py:108
        v = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:109
        dv_1 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:109
    dseq = zeros_like(seq)                # dloop_forms_dxs_d9801e13cb4b.py:110
    r_13 = range(len(r_1) - 1, -1, -1)    # dloop_forms_dxs_d9801e13cb4b.py:111
    ddseq = zeros_like(dseq)              # dloop_forms_dxs_d9801e13cb4b.py:111
    for k_13 in r_13:                     # dloop_forms_dxs_d9801e13cb4b.py:111
        k_1 = r_1[k_13]                   # dloop_forms_dxs_d9801e13cb4b.py:111
        ds_2 = ds                         # dloop_forms_dxs_d9801e13cb4b.py:112
        s = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:113
        ds_6 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:113
        ds = unbroadcast(ds_2, s)         # dloop_forms_dxs_d9801e13cb4b.py:114
        dt_8 = unbroadcast(ds_2, t_8)     # dloop_forms_dxs_d9801e13cb4b.py:115
        t_49 = dt_8 * b                   # dloop_forms_dxs_d9801e13cb4b.py:116
        dt_49 = dt_8 * db_1               # dloop_forms_dxs_d9801e13cb4b.py:116
        da = unbroadcast(t_49, a)         # dloop_forms_dxs_d9801e13cb4b.py:116
        dda = unbroadcast(dt_49, a)       # dloop_forms_dxs_d9801e13cb4b.py:116
        t_50 = dt_8 * a                   # dloop_forms_dxs_d9801e13cb4b.py:117
        dt_50 = dt_8 * da_1               # dloop_forms_dxs_d9801e13cb4b.py:117
        db = unbroadcast(t_50, b)         # dloop_forms_dxs_d9801e13cb4b.py:117
        ddb = unbroadcast(dt_50, b)       # dloop_forms_dxs_d9801e13cb4b.py:117
        t_8 = stack.pop()                 # dloop_forms_dxs_d9801e13cb4b.py:118
        dt_8_1 = dstack.pop()             # dloop_forms_dxs_d9801e13cb4b.py:118
        b = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:119
        db_1 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:119
        a = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:120
        da_1 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:120
        t_51 = dseq[k_1]                  # dloop_forms_dxs_d9801e13cb4b.py:121
        dt_51 = ddseq[k_1]                # dloop_forms_dxs_d9801e13cb4b.py:121
        t_52 = t_51 + db                  # dloop_forms_dxs_d9801e13cb4b.py:121
        dt_52 = dt_51 + ddb               # dloop_forms_dxs_d9801e13cb4b.py:121
        dseq[k_1] = t_52                  # dloop_forms_dxs_d9801e13cb4b.py:121
        ddseq[k_1] = dt_52                # dloop_forms_dxs_d9801e13cb4b.py:121
        t_53 = dxs[k_1]                   # dloop_forms_dxs_d9801e13cb4b.py:122
        dt_53 = ddxs[k_1]                 # dloop_forms_dxs_d9801e13cb4b.py:122
        t_54 = t_53 + da                  # dloop_forms_dxs_d9801e13cb4b.py:122
        dt_54 = dt_53 + dda               # dloop_forms_dxs_d9801e13cb4b.py:122
        dxs[k_1] = t_54                   # dloop_forms_dxs_d9801e13cb4b.py:122
        ddxs[k_1] = dt_54                 # dloop_forms_dxs_d9801e13cb4b.py:122
    t_55 = dxs[1:]                        # dloop_forms_dxs_d9801e13cb4b.py:123
    dt_55 = ddxs[1:]                      # dloop_forms_dxs_d9801e13cb4b.py:123
    t_56 = t_55 + dseq                    # dloop_forms_dxs_d9801e13cb4b.py:123
    dt_56 = dt_55 + ddseq                 # dloop_forms_dxs_d9801e13cb4b.py:123
    dxs[1:] = t_56                        # dloop_forms_dxs_d9801e13cb4b.py:123
    ddxs[1:] = dt_56                      # dloop_forms_dxs_d9801e13cb4b.py:123
    r_14 = range(len(r) - 1, -1, -1)      # dloop_forms_dxs_d9801e13cb4b.py:124
    di = zeros_like(i)                    # dloop_forms_dxs_d9801e13cb4b.py:124
    for k_14 in r_14:                     # dloop_forms_dxs_d9801e13cb4b.py:124
        k = r[k_14]                       # dloop_forms_dxs_d9801e13cb4b.py:124
        ds_1 = ds                         # dloop_forms_dxs_d9801e13cb4b.py:125
        s = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:126
        ds_6 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:126
        ds = unbroadcast(ds_1, s)         # dloop_forms_dxs_d9801e13cb4b.py:127
        dt_3 = unbroadcast(ds_1, t_3)     # dloop_forms_dxs_d9801e13cb4b.py:128
        t_58 = dt_3 * i                   # dloop_forms_dxs_d9801e13cb4b.py:129
        dt_58 = dt_3 * di                 # dloop_forms_dxs_d9801e13cb4b.py:129
        dv = unbroadcast(t_58, v)         # dloop_forms_dxs_d9801e13cb4b.py:129
        ddv = unbroadcast(dt_58, v)       # dloop_forms_dxs_d9801e13cb4b.py:129
        t_3 = stack.pop()                 # dloop_forms_dxs_d9801e13cb4b.py:130
        dt_3_1 = dstack.pop()             # dloop_forms_dxs_d9801e13cb4b.py:130
        v = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:131
        dv_1 = dstack.pop()               # dloop_forms_dxs_d9801e13cb4b.py:131
        i = stack.pop()                   # dloop_forms_dxs_d9801e13cb4b.py:132
        di = dstack.pop()                 # dloop_forms_dxs_d9801e13cb4b.py:132
        t_59 = dxs[k]                     # dloop_forms_dxs_d9801e13cb4b.py:133
        dt_59 = ddxs[k]                   # dloop_forms_dxs_d9801e13cb4b.py:133
        t_60 = t_59 + dv                  # dloop_forms_dxs_d9801e13cb4b.py:133
        dt_60 = dt_59 + ddv               # dloop_forms_dxs_d9801e13cb4b.py:133
        dxs[k] = t_60                     # dloop_forms_dxs_d9801e13cb4b.py:133
        ddxs[k] = dt_60                   # dloop_forms_dxs_d9801e13cb4b.py:133
    return as_grad(ddxs, xs)              # dloop_forms_dxs_d9801e13cb4b.py:134
