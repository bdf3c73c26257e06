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
        dw = unbroadcast(ds_4, t_17) * 2.0  # programs.py:106
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
        dt_13 = grad_reduce(unbroadcast(ds_3, t_14), t_13, None, False)  # programs.py:104
        t_14 = stack.pop()                # programs.py:104
        drow = dt_13 * 2 * row            # programs.py:104
        t_13 = stack.pop()                # programs.py:104
        dseq_1[k_3] = dseq_1[k_3] + drow  # programs.py:103
    dt_11 = unbroadcast(dseq_1 * t_12, t_11)  # programs.py:103
    dxs[None, :] = dxs[None, :] + unbroadcast(dseq_1 * t_11, t_12)  # programs.py:103
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
        dv = unbroadcast(unbroadcast(ds_1, t_3) * i, v)  # programs.py:98
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
        ds = ds + (dxs[k_1] * seq[k_1] + xs[k_1] * dseq[k_1])  # programs.py:100
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
    for k_4 in range(len(seq_2)):         # programs.py:105
        dw = dseq_2[k_4]                  # programs.py:105
        ds = ds + dw * 2.0                # programs.py:106
    return ds                             # programs.py:107

# ---- forward over reverse: s2s.hvp

def hvp_loop_forms_dxs(xs, dxs=1.0):
    xs = copy_deep(xs)
    dxs = copy_deep(init_grad(xs, dxs))
    ds = seed
    stack = []
    dstack = []
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
    r_5 = range(len(r))                   # programs.py:97
    d_s = 0.0                             # programs.py:97
    for k_5 in r_5:                       # programs.py:97
        k = r[k_5]                        # programs.py:97
        t = xs[k]                         # programs.py:97
        dt = dxs[k]                       # programs.py:97
        stack.append(i)                   # programs.py:97
        dstack.append(zeros_like(i))      # programs.py:97
        i = k                             # programs.py:97
        tmp_1 = shape_of(v)               # programs.py:97
        stack.append(tmp_1)               # programs.py:97
        dstack.append(zeros_like(tmp_1))  # programs.py:97
        v = t                             # programs.py:97
        d_v = dt                          # programs.py:97
        tmp_2 = shape_of(t_3)             # programs.py:98
        stack.append(tmp_2)               # programs.py:98
        dstack.append(zeros_like(tmp_2))  # programs.py:98
        t_3 = v * i                       # programs.py:98
        dt_3 = d_v * i                    # programs.py:98
        s_1 = s + t_3                     # programs.py:98
        d_s_1 = d_s + dt_3                # programs.py:98
        stack.append(s)                   # programs.py:98
        dstack.append(d_s)                # programs.py:98
        s = s_1                           # programs.py:98
        d_s = d_s_1                       # programs.py:98
    seq = xs[1:]                          # programs.py:99
    d_seq = dxs[1:]                       # programs.py:99
    r_1 = range(min(len(xs), len(seq)))   # programs.py:99
    r_6 = range(len(r_1))                 # programs.py:99
    d_a = 0.0                             # programs.py:99
    d_b = 0.0                             # programs.py:99
    for k_6 in r_6:                       # programs.py:99
        k_1 = r_1[k_6]                    # programs.py:99
        t_4 = xs[k_1]                     # programs.py:99
        dt_4 = dxs[k_1]                   # programs.py:99
        t_5 = seq[k_1]                    # programs.py:99
        dt_5 = d_seq[k_1]                 # programs.py:99
        stack.append(a)                   # programs.py:99
        dstack.append(d_a)                # programs.py:99
        a = t_4                           # programs.py:99
        d_a = dt_4                        # programs.py:99
        stack.append(b)                   # programs.py:99
        dstack.append(d_b)                # programs.py:99
        b = t_5                           # programs.py:99
        d_b = dt_5                        # programs.py:99
        tmp_6 = shape_of(t_8)             # programs.py:100
        stack.append(tmp_6)               # programs.py:100
        dstack.append(zeros_like(tmp_6))  # programs.py:100
        t_8 = a * b                       # programs.py:100
        d_t_8 = d_a * b + a * d_b         # programs.py:100
        s_2 = s + t_8                     # programs.py:100
        d_s_2 = d_s + d_t_8               # programs.py:100
        stack.append(s)                   # programs.py:100
        dstack.append(d_s)                # programs.py:100
        s = s_2                           # programs.py:100
        d_s = d_s_2                       # programs.py:100
    r_2 = range(len(xs) - 1, -1, -1)      # programs.py:101
    r_7 = range(len(r_2))                 # programs.py:101
    for k_7 in r_7:                       # programs.py:101
        k_2 = r_2[k_7]                    # programs.py:101
        tmp_9 = shape_of(v)               # programs.py:101
        stack.append(tmp_9)               # programs.py:101
        dstack.append(zeros_like(tmp_9))  # programs.py:101
        v = xs[k_2]                       # programs.py:101
        d_v = dxs[k_2]                    # programs.py:101
        tmp_10 = shape_of(t_10)           # programs.py:102
        stack.append(tmp_10)              # programs.py:102
        dstack.append(zeros_like(tmp_10))  # programs.py:102
        t_10 = s * 0.5                    # programs.py:102
        d_t_10 = d_s * 0.5                # programs.py:102
        stack.append(s)                   # programs.py:102
        dstack.append(d_s)                # programs.py:102
        s = t_10 + v                      # programs.py:102
        d_s = d_t_10 + d_v                # programs.py:102
    t_11 = xs[:, None]                    # programs.py:103
    d_t_11 = dxs[:, None]                 # programs.py:103
    t_12 = xs[None, :]                    # programs.py:103
    dt_12 = dxs[None, :]                  # programs.py:103
    seq_1 = t_11 * t_12                   # programs.py:103
    d_seq_1 = d_t_11 * t_12 + t_11 * dt_12  # programs.py:103
    r_3 = range(len(seq_1))               # programs.py:103
    r_8 = range(len(r_3))                 # programs.py:103
    d_t_13 = 0.0                          # programs.py:103
    for k_8 in r_8:                       # programs.py:103
        k_3 = r_3[k_8]                    # programs.py:103
        row = seq_1[k_3]                  # programs.py:103
        d_row = d_seq_1[k_3]              # programs.py:103
        stack.append(t_13)                # programs.py:104
        dstack.append(d_t_13)             # programs.py:104
        t_13 = row ** 2                   # programs.py:104
        d_t_13 = d_row * 2 * row          # programs.py:104
        tmp_12 = shape_of(t_14)           # programs.py:104
        stack.append(tmp_12)              # programs.py:104
        dstack.append(zeros_like(tmp_12))  # programs.py:104
        t_14 = np.sum(t_13)               # programs.py:104
        dt_14 = np.sum(d_t_13)            # programs.py:104
        s_3 = s + t_14                    # programs.py:104
        d_s_3 = d_s + dt_14               # programs.py:104
        stack.append(s)                   # programs.py:104
        dstack.append(d_s)                # programs.py:104
        s = s_3                           # programs.py:104
        d_s = d_s_3                       # programs.py:104
    tmp_13 = xs[0]                        # programs.py:105
    dtmp_13 = dxs[0]                      # programs.py:105
    tmp_14 = xs[1]                        # programs.py:105
    dtmp_14 = dxs[1]                      # programs.py:105
    seq_2 = [tmp_13, tmp_14]              # programs.py:105
    d_seq_2 = [dtmp_13, dtmp_14]          # programs.py:105
    r_4 = range(len(seq_2))               # programs.py:105
    r_9 = range(len(r_4))                 # programs.py:105
    for k_9 in r_9:                       # programs.py:105
        k_4 = r_4[k_9]                    # programs.py:105
        w = seq_2[k_4]                    # programs.py:105
        d_w = d_seq_2[k_4]                # programs.py:105
        tmp_16 = shape_of(t_17)           # programs.py:106
        stack.append(tmp_16)              # programs.py:106
        dstack.append(zeros_like(tmp_16))  # programs.py:106
        t_17 = w * 2.0                    # programs.py:106
        dt_17 = d_w * 2.0                 # programs.py:106
        s_4 = s + t_17                    # programs.py:106
        d_s_4 = d_s + dt_17               # programs.py:106
        stack.append(s)                   # programs.py:106
        dstack.append(d_s)                # programs.py:106
        s = s_4                           # programs.py:106
        d_s = d_s_4                       # programs.py:106
    ds = init_grad(s, ds)
    dseq_2 = zeros_like(seq_2)            # programs.py:105
    r_10 = range(len(r_4) - 1, -1, -1)    # programs.py:105
    for k_10 in r_10:                     # programs.py:105
        k_4 = r_4[k_10]                   # programs.py:105
        ds_4 = ds                         # programs.py:106
        s = stack.pop()                   # programs.py:106
        d_s = dstack.pop()                # programs.py:106
        ds = unbroadcast(ds_4, s)         # programs.py:106
        dw = unbroadcast(ds_4, t_17) * 2.0  # programs.py:106
        t_17 = stack.pop()                # programs.py:106
        dt_17 = dstack.pop()              # programs.py:106
        dseq_2[k_4] = dseq_2[k_4] + dw    # programs.py:105
    dt_15 = dseq_2[0]                     # programs.py:105
    dt_16 = dseq_2[1]                     # programs.py:105
    grad_xs = zeros_like(xs)              # programs.py:105
    grad_xs[1] = grad_xs[1] + dt_16       # programs.py:105
    grad_xs[0] = grad_xs[0] + dt_15       # programs.py:105
    dseq_1 = zeros_like(seq_1)            # programs.py:103
    r_11 = range(len(r_3) - 1, -1, -1)    # programs.py:103
    ddseq_1 = zeros_like(dseq_1)          # programs.py:103
    for k_11 in r_11:                     # programs.py:103
        k_3 = r_3[k_11]                   # programs.py:103
        row = seq_1[k_3]                  # programs.py:103
        d_row = d_seq_1[k_3]              # programs.py:103
        ds_3 = ds                         # programs.py:104
        s = stack.pop()                   # programs.py:104
        d_s = dstack.pop()                # programs.py:104
        ds = unbroadcast(ds_3, s)         # programs.py:104
        dt_13 = grad_reduce(unbroadcast(ds_3, t_14), t_13, None, False)  # programs.py:104
        t_14 = stack.pop()                # programs.py:104
        dt_14 = dstack.pop()              # programs.py:104
        tmp_27 = dt_13 * 2                # programs.py:104
        drow = tmp_27 * row               # programs.py:104
        ddrow = tmp_27 * d_row            # programs.py:104
        t_13 = stack.pop()                # programs.py:104
        d_t_13 = dstack.pop()             # programs.py:104
        tmp_28 = dseq_1[k_3]              # programs.py:103
        dtmp_28 = ddseq_1[k_3]            # programs.py:103
        tmp_29 = tmp_28 + drow            # programs.py:103
        dtmp_29 = dtmp_28 + ddrow         # programs.py:103
        dseq_1[k_3] = tmp_29              # programs.py:103
        ddseq_1[k_3] = dtmp_29            # programs.py:103
    tmp_30 = dseq_1 * t_12                # programs.py:103
    dtmp_30 = ddseq_1 * t_12 + dseq_1 * dt_12  # programs.py:103
    dt_11 = unbroadcast(tmp_30, t_11)     # programs.py:103
    ddt_11 = unbroadcast(dtmp_30, t_11)   # programs.py:103
    tmp_31 = grad_xs[None, :]             # programs.py:103
    tmp_32 = dseq_1 * t_11                # programs.py:103
    dtmp_32 = ddseq_1 * t_11 + dseq_1 * d_t_11  # programs.py:103
    tmp_33 = unbroadcast(tmp_32, t_12)    # programs.py:103
    dtmp_33 = unbroadcast(dtmp_32, t_12)  # programs.py:103
    tmp_34 = tmp_31 + tmp_33              # programs.py:103
    dtmp_34 = tangent_like(dtmp_33, tmp_34)  # programs.py:103
    ddxs = zeros_like(grad_xs)            # programs.py:103
    grad_xs[None, :] = tmp_34             # programs.py:103
    ddxs[None, :] = dtmp_34               # programs.py:103
    tmp_35 = grad_xs[:, None]             # programs.py:103
    dtmp_35 = ddxs[:, None]               # programs.py:103
    tmp_36 = tmp_35 + dt_11               # programs.py:103
    dtmp_36 = dtmp_35 + ddt_11            # programs.py:103
    grad_xs[:, None] = tmp_36             # programs.py:103
    ddxs[:, None] = dtmp_36               # programs.py:103
    r_12 = range(len(r_2) - 1, -1, -1)    # programs.py:101
    for k_12 in r_12:                     # programs.py:101
        k_2 = r_2[k_12]                   # programs.py:101
        dt_10 = unbroadcast(ds, t_10)     # programs.py:102
        dv = unbroadcast(ds, v)           # programs.py:102
        s = stack.pop()                   # programs.py:102
        d_s = dstack.pop()                # programs.py:102
        ds = dt_10 * 0.5                  # programs.py:102
        t_10 = stack.pop()                # programs.py:102
        d_t_10 = dstack.pop()             # programs.py:102
        tmp_38 = grad_xs[k_2]             # programs.py:101
        dtmp_38 = ddxs[k_2]               # programs.py:101
        tmp_39 = tmp_38 + dv              # programs.py:101
        dtmp_39 = tangent_like(dtmp_38, tmp_39)  # programs.py:101
        grad_xs[k_2] = tmp_39             # programs.py:101
        ddxs[k_2] = dtmp_39               # programs.py:101
        v = stack.pop()                   # programs.py:101
        d_v = dstack.pop()                # programs.py:101
    dseq = zeros_like(seq)                # programs.py:99
    r_13 = range(len(r_1) - 1, -1, -1)    # programs.py:99
    ddseq = zeros_like(dseq)              # programs.py:99
    for k_13 in r_13:                     # programs.py:99
        k_1 = r_1[k_13]                   # programs.py:99
        ds_2 = ds                         # programs.py:100
        s = stack.pop()                   # programs.py:100
        d_s = dstack.pop()                # programs.py:100
        ds = unbroadcast(ds_2, s)         # programs.py:100
        dt_8 = unbroadcast(ds_2, t_8)     # programs.py:100
        tmp_41 = dt_8 * b                 # programs.py:100
        dtmp_41 = dt_8 * d_b              # programs.py:100
        da = unbroadcast(tmp_41, a)       # programs.py:100
        dda = unbroadcast(dtmp_41, a)     # programs.py:100
        tmp_42 = dt_8 * a                 # programs.py:100
        dtmp_42 = dt_8 * d_a              # programs.py:100
        db = unbroadcast(tmp_42, b)       # programs.py:100
        ddb = unbroadcast(dtmp_42, b)     # programs.py:100
        t_8 = stack.pop()                 # programs.py:100
        d_t_8 = dstack.pop()              # programs.py:100
        b = stack.pop()                   # programs.py:99
        d_b = dstack.pop()                # programs.py:99
        a = stack.pop()                   # programs.py:99
        d_a = dstack.pop()                # programs.py:99
        tmp_43 = dseq[k_1]                # programs.py:99
        dtmp_43 = ddseq[k_1]              # programs.py:99
        tmp_44 = tmp_43 + db              # programs.py:99
        dtmp_44 = dtmp_43 + ddb           # programs.py:99
        dseq[k_1] = tmp_44                # programs.py:99
        ddseq[k_1] = dtmp_44              # programs.py:99
        tmp_45 = grad_xs[k_1]             # programs.py:99
        dtmp_45 = ddxs[k_1]               # programs.py:99
        tmp_46 = tmp_45 + da              # programs.py:99
        dtmp_46 = dtmp_45 + dda           # programs.py:99
        grad_xs[k_1] = tmp_46             # programs.py:99
        ddxs[k_1] = dtmp_46               # programs.py:99
    tmp_47 = grad_xs[1:]                  # programs.py:99
    dtmp_47 = ddxs[1:]                    # programs.py:99
    tmp_48 = tmp_47 + dseq                # programs.py:99
    dtmp_48 = dtmp_47 + ddseq             # programs.py:99
    grad_xs[1:] = tmp_48                  # programs.py:99
    ddxs[1:] = dtmp_48                    # programs.py:99
    r_14 = range(len(r) - 1, -1, -1)      # programs.py:97
    di = zeros_like(i)                    # programs.py:97
    for k_14 in r_14:                     # programs.py:97
        k = r[k_14]                       # programs.py:97
        ds_1 = ds                         # programs.py:98
        s = stack.pop()                   # programs.py:98
        d_s = dstack.pop()                # programs.py:98
        ds = unbroadcast(ds_1, s)         # programs.py:98
        tmp_50 = unbroadcast(ds_1, t_3)   # programs.py:98
        tmp_51 = tmp_50 * i               # programs.py:98
        dtmp_51 = tmp_50 * di             # programs.py:98
        dv = unbroadcast(tmp_51, v)       # programs.py:98
        ddv = unbroadcast(dtmp_51, v)     # programs.py:98
        t_3 = stack.pop()                 # programs.py:98
        dt_3 = dstack.pop()               # programs.py:98
        v = stack.pop()                   # programs.py:97
        d_v = dstack.pop()                # programs.py:97
        i = stack.pop()                   # programs.py:97
        di = dstack.pop()                 # programs.py:97
        tmp_52 = grad_xs[k]               # programs.py:97
        dtmp_52 = ddxs[k]                 # programs.py:97
        tmp_53 = tmp_52 + dv              # programs.py:97
        dtmp_53 = dtmp_52 + ddv           # programs.py:97
        grad_xs[k] = tmp_53               # programs.py:97
        ddxs[k] = dtmp_53                 # programs.py:97
    return as_grad(ddxs, xs)
