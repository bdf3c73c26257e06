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
    ds_6 = 0.0                            # programs.py:97
    for k_5 in r_5:                       # programs.py:97
        k = r[k_5]                        # programs.py:97
        t = xs[k]                         # programs.py:97
        dt = dxs_1[k]                     # programs.py:97
        stack.append(i)                   # programs.py:97
        dstack.append(zeros_like(i))      # programs.py:97
        i = k                             # programs.py:97
        t_2 = shape_of(v)                 # programs.py:97
        stack.append(t_2)                 # programs.py:97
        dstack.append(zeros_like(t_2))    # programs.py:97
        v = t                             # programs.py:97
        dv_1 = dt                         # programs.py:97
        t_6 = shape_of(t_3)               # programs.py:98
        stack.append(t_6)                 # programs.py:98
        dstack.append(zeros_like(t_6))    # programs.py:98
        t_3 = v * i                       # programs.py:98
        dt_3_1 = dv_1 * i                 # programs.py:98
        s_1 = s + t_3                     # programs.py:98
        ds_1_1 = ds_6 + dt_3_1            # programs.py:98
        stack.append(s)                   # programs.py:98
        dstack.append(ds_6)               # programs.py:98
        s = s_1                           # programs.py:98
        ds_6 = ds_1_1                     # programs.py:98
    seq = xs[1:]                          # programs.py:99
    dseq_3 = dxs_1[1:]                    # programs.py:99
    r_1 = range(min(len(xs), len(seq)))   # programs.py:99
    r_6 = range(len(r_1))                 # programs.py:99
    da_1 = 0.0                            # programs.py:99
    db_1 = 0.0                            # programs.py:99
    for k_6 in r_6:                       # programs.py:99
        k_1 = r_1[k_6]                    # programs.py:99
        t_4 = xs[k_1]                     # programs.py:99
        dt_4 = dxs_1[k_1]                 # programs.py:99
        t_5 = seq[k_1]                    # programs.py:99
        dt_5 = dseq_3[k_1]                # programs.py:99
        stack.append(a)                   # programs.py:99
        dstack.append(da_1)               # programs.py:99
        a = t_4                           # programs.py:99
        da_1 = dt_4                       # programs.py:99
        stack.append(b)                   # programs.py:99
        dstack.append(db_1)               # programs.py:99
        b = t_5                           # programs.py:99
        db_1 = dt_5                       # programs.py:99
        t_16 = shape_of(t_8)              # programs.py:100
        stack.append(t_16)                # programs.py:100
        dstack.append(zeros_like(t_16))   # programs.py:100
        t_8 = a * b                       # programs.py:100
        dt_8_1 = da_1 * b + a * db_1      # programs.py:100
        s_2 = s + t_8                     # programs.py:100
        ds_2_1 = ds_6 + dt_8_1            # programs.py:100
        stack.append(s)                   # programs.py:100
        dstack.append(ds_6)               # programs.py:100
        s = s_2                           # programs.py:100
        ds_6 = ds_2_1                     # programs.py:100
    r_2 = range(len(xs) - 1, -1, -1)      # programs.py:101
    r_7 = range(len(r_2))                 # programs.py:101
    for k_7 in r_7:                       # programs.py:101
        k_2 = r_2[k_7]                    # programs.py:101
        t_20 = shape_of(v)                # programs.py:101
        stack.append(t_20)                # programs.py:101
        dstack.append(zeros_like(t_20))   # programs.py:101
        v = xs[k_2]                       # programs.py:101
        dv_1 = dxs_1[k_2]                 # programs.py:101
        t_21 = shape_of(t_10)             # programs.py:102
        stack.append(t_21)                # programs.py:102
        dstack.append(zeros_like(t_21))   # programs.py:102
        t_10 = s * 0.5                    # programs.py:102
        dt_10_1 = ds_6 * 0.5              # programs.py:102
        stack.append(s)                   # programs.py:102
        dstack.append(ds_6)               # programs.py:102
        s = t_10 + v                      # programs.py:102
        ds_6 = dt_10_1 + dv_1             # programs.py:102
    t_11 = xs[:, None]                    # programs.py:103
    dt_11_1 = dxs_1[:, None]              # programs.py:103
    t_12 = xs[None, :]                    # programs.py:103
    dt_12_1 = dxs_1[None, :]              # programs.py:103
    seq_1 = t_11 * t_12                   # programs.py:103
    dseq_1_1 = dt_11_1 * t_12 + t_11 * dt_12_1  # programs.py:103
    r_3 = range(len(seq_1))               # programs.py:103
    r_8 = range(len(r_3))                 # programs.py:103
    dt_13_1 = 0.0                         # programs.py:103
    for k_8 in r_8:                       # programs.py:103
        k_3 = r_3[k_8]                    # programs.py:103
        row = seq_1[k_3]                  # programs.py:103
        drow_1 = dseq_1_1[k_3]            # programs.py:103
        stack.append(t_13)                # programs.py:104
        dstack.append(dt_13_1)            # programs.py:104
        t_13 = row ** 2                   # programs.py:104
        dt_13_1 = drow_1 * 2 * row        # programs.py:104
        t_23 = shape_of(t_14)             # programs.py:104
        stack.append(t_23)                # programs.py:104
        dstack.append(zeros_like(t_23))   # programs.py:104
        t_14 = np.sum(t_13)               # programs.py:104
        dt_14_1 = np.sum(dt_13_1)         # programs.py:104
        s_3 = s + t_14                    # programs.py:104
        ds_3_1 = ds_6 + dt_14_1           # programs.py:104
        stack.append(s)                   # programs.py:104
        dstack.append(ds_6)               # programs.py:104
        s = s_3                           # programs.py:104
        ds_6 = ds_3_1                     # programs.py:104
    t_24 = xs[0]                          # programs.py:105
    dt_24 = dxs_1[0]                      # programs.py:105
    t_25 = xs[1]                          # programs.py:105
    dt_25 = dxs_1[1]                      # programs.py:105
    seq_2 = [t_24, t_25]                  # programs.py:105
    dseq_2_1 = [dt_24, dt_25]             # programs.py:105
    r_4 = range(len(seq_2))               # programs.py:105
    r_9 = range(len(r_4))                 # programs.py:105
    for k_9 in r_9:                       # programs.py:105
        k_4 = r_4[k_9]                    # programs.py:105
        w = seq_2[k_4]                    # programs.py:105
        dw_1 = dseq_2_1[k_4]              # programs.py:105
        t_27 = shape_of(t_17)             # programs.py:106
        stack.append(t_27)                # programs.py:106
        dstack.append(zeros_like(t_27))   # programs.py:106
        t_17 = w * 2.0                    # programs.py:106
        dt_17_1 = dw_1 * 2.0              # programs.py:106
        s_4 = s + t_17                    # programs.py:106
        ds_4_1 = ds_6 + dt_17_1           # programs.py:106
        stack.append(s)                   # programs.py:106
        dstack.append(ds_6)               # programs.py:106
        s = s_4                           # programs.py:106
        ds_6 = ds_4_1                     # programs.py:106
    ds = init_grad(s, ds)
    dseq_2 = zeros_like(seq_2)            # programs.py:105
    r_10 = range(len(r_4) - 1, -1, -1)    # programs.py:105
    for k_10 in r_10:                     # programs.py:105
        k_4 = r_4[k_10]                   # programs.py:105
        ds_4 = ds                         # programs.py:106
        s = stack.pop()                   # programs.py:106
        ds_6 = dstack.pop()               # programs.py:106
        ds = unbroadcast(ds_4, s)         # programs.py:106
        dt_17 = unbroadcast(ds_4, t_17)   # programs.py:106
        dw = dt_17 * 2.0                  # programs.py:106
        t_17 = stack.pop()                # programs.py:106
        dt_17_1 = dstack.pop()            # programs.py:106
        dseq_2[k_4] = dseq_2[k_4] + dw    # programs.py:105
    dt_15 = dseq_2[0]                     # programs.py:105
    dt_16 = dseq_2[1]                     # programs.py:105
    dxs = zeros_like(xs)                  # programs.py:105
    dxs[1] = dxs[1] + dt_16               # programs.py:105
    dxs[0] = dxs[0] + dt_15               # programs.py:105
    dseq_1 = zeros_like(seq_1)            # programs.py:103
    r_11 = range(len(r_3) - 1, -1, -1)    # programs.py:103
    ddseq_1 = zeros_like(dseq_1)          # programs.py:103
    for k_11 in r_11:                     # programs.py:103
        k_3 = r_3[k_11]                   # programs.py:103
        row = seq_1[k_3]                  # programs.py:103
        drow_1 = dseq_1_1[k_3]            # programs.py:103
        ds_3 = ds                         # programs.py:104
        s = stack.pop()                   # programs.py:104
        ds_6 = dstack.pop()               # programs.py:104
        ds = unbroadcast(ds_3, s)         # programs.py:104
        dt_14 = unbroadcast(ds_3, t_14)   # programs.py:104
        dt_13 = grad_reduce(dt_14, t_13, None, False)  # programs.py:104
        t_14 = stack.pop()                # programs.py:104
        dt_14_1 = dstack.pop()            # programs.py:104
        t_36 = dt_13 * 2                  # programs.py:104
        drow = t_36 * row                 # programs.py:104
        ddrow = t_36 * drow_1             # programs.py:104
        t_13 = stack.pop()                # programs.py:104
        dt_13_1 = dstack.pop()            # programs.py:104
        t_37 = dseq_1[k_3]                # programs.py:103
        dt_37 = ddseq_1[k_3]              # programs.py:103
        t_38 = t_37 + drow                # programs.py:103
        dt_38 = dt_37 + ddrow             # programs.py:103
        dseq_1[k_3] = t_38                # programs.py:103
        ddseq_1[k_3] = dt_38              # programs.py:103
    t_39 = dseq_1 * t_12                  # programs.py:103
    dt_39 = ddseq_1 * t_12 + dseq_1 * dt_12_1  # programs.py:103
    dt_11 = unbroadcast(t_39, t_11)       # programs.py:103
    ddt_11 = unbroadcast(dt_39, t_11)     # programs.py:103
    t_40 = dseq_1 * t_11                  # programs.py:103
    dt_40 = ddseq_1 * t_11 + dseq_1 * dt_11_1  # programs.py:103
    dt_12 = unbroadcast(t_40, t_12)       # programs.py:103
    ddt_12 = unbroadcast(dt_40, t_12)     # programs.py:103
    t_42 = dxs[None, :] + dt_12           # programs.py:103
    dt_42 = tangent_like(ddt_12, t_42)    # programs.py:103
    ddxs = zeros_like(dxs)                # programs.py:103
    dxs[None, :] = t_42                   # programs.py:103
    ddxs[None, :] = dt_42                 # programs.py:103
    t_43 = dxs[:, None]                   # programs.py:103
    dt_43 = ddxs[:, None]                 # programs.py:103
    t_44 = t_43 + dt_11                   # programs.py:103
    dt_44 = dt_43 + ddt_11                # programs.py:103
    dxs[:, None] = t_44                   # programs.py:103
    ddxs[:, None] = dt_44                 # programs.py:103
    r_12 = range(len(r_2) - 1, -1, -1)    # programs.py:101
    for k_12 in r_12:                     # programs.py:101
        k_2 = r_2[k_12]                   # programs.py:101
        dt_10 = unbroadcast(ds, t_10)     # programs.py:102
        dv = unbroadcast(ds, v)           # programs.py:102
        s = stack.pop()                   # programs.py:102
        ds_6 = dstack.pop()               # programs.py:102
        ds = dt_10 * 0.5                  # programs.py:102
        t_10 = stack.pop()                # programs.py:102
        dt_10_1 = dstack.pop()            # programs.py:102
        t_46 = dxs[k_2]                   # programs.py:101
        dt_46 = ddxs[k_2]                 # programs.py:101
        t_47 = t_46 + dv                  # programs.py:101
        dt_47 = tangent_like(dt_46, t_47)  # programs.py:101
        dxs[k_2] = t_47                   # programs.py:101
        ddxs[k_2] = dt_47                 # programs.py:101
        v = stack.pop()                   # programs.py:101
        dv_1 = dstack.pop()               # programs.py:101
    dseq = zeros_like(seq)                # programs.py:99
    r_13 = range(len(r_1) - 1, -1, -1)    # programs.py:99
    ddseq = zeros_like(dseq)              # programs.py:99
    for k_13 in r_13:                     # programs.py:99
        k_1 = r_1[k_13]                   # programs.py:99
        ds_2 = ds                         # programs.py:100
        s = stack.pop()                   # programs.py:100
        ds_6 = dstack.pop()               # programs.py:100
        ds = unbroadcast(ds_2, s)         # programs.py:100
        dt_8 = unbroadcast(ds_2, t_8)     # programs.py:100
        t_49 = dt_8 * b                   # programs.py:100
        dt_49 = dt_8 * db_1               # programs.py:100
        da = unbroadcast(t_49, a)         # programs.py:100
        dda = unbroadcast(dt_49, a)       # programs.py:100
        t_50 = dt_8 * a                   # programs.py:100
        dt_50 = dt_8 * da_1               # programs.py:100
        db = unbroadcast(t_50, b)         # programs.py:100
        ddb = unbroadcast(dt_50, b)       # programs.py:100
        t_8 = stack.pop()                 # programs.py:100
        dt_8_1 = dstack.pop()             # programs.py:100
        b = stack.pop()                   # programs.py:99
        db_1 = dstack.pop()               # programs.py:99
        a = stack.pop()                   # programs.py:99
        da_1 = dstack.pop()               # programs.py:99
        t_51 = dseq[k_1]                  # programs.py:99
        dt_51 = ddseq[k_1]                # programs.py:99
        t_52 = t_51 + db                  # programs.py:99
        dt_52 = dt_51 + ddb               # programs.py:99
        dseq[k_1] = t_52                  # programs.py:99
        ddseq[k_1] = dt_52                # programs.py:99
        t_53 = dxs[k_1]                   # programs.py:99
        dt_53 = ddxs[k_1]                 # programs.py:99
        t_54 = t_53 + da                  # programs.py:99
        dt_54 = dt_53 + dda               # programs.py:99
        dxs[k_1] = t_54                   # programs.py:99
        ddxs[k_1] = dt_54                 # programs.py:99
    t_55 = dxs[1:]                        # programs.py:99
    dt_55 = ddxs[1:]                      # programs.py:99
    t_56 = t_55 + dseq                    # programs.py:99
    dt_56 = dt_55 + ddseq                 # programs.py:99
    dxs[1:] = t_56                        # programs.py:99
    ddxs[1:] = dt_56                      # programs.py:99
    r_14 = range(len(r) - 1, -1, -1)      # programs.py:97
    di = zeros_like(i)                    # programs.py:97
    for k_14 in r_14:                     # programs.py:97
        k = r[k_14]                       # programs.py:97
        ds_1 = ds                         # programs.py:98
        s = stack.pop()                   # programs.py:98
        ds_6 = dstack.pop()               # programs.py:98
        ds = unbroadcast(ds_1, s)         # programs.py:98
        dt_3 = unbroadcast(ds_1, t_3)     # programs.py:98
        t_58 = dt_3 * i                   # programs.py:98
        dt_58 = dt_3 * di                 # programs.py:98
        dv = unbroadcast(t_58, v)         # programs.py:98
        ddv = unbroadcast(dt_58, v)       # programs.py:98
        t_3 = stack.pop()                 # programs.py:98
        dt_3_1 = dstack.pop()             # programs.py:98
        v = stack.pop()                   # programs.py:97
        dv_1 = dstack.pop()               # programs.py:97
        i = stack.pop()                   # programs.py:97
        di = dstack.pop()                 # programs.py:97
        t_59 = dxs[k]                     # programs.py:97
        dt_59 = ddxs[k]                   # programs.py:97
        t_60 = t_59 + dv                  # programs.py:97
        dt_60 = dt_59 + ddv               # programs.py:97
        dxs[k] = t_60                     # programs.py:97
        ddxs[k] = dt_60                   # programs.py:97
    return as_grad(ddxs, xs)
