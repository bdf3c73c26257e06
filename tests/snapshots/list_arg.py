# ---- reverse: s2s.grad

def dlist_arg_dxs(xs, *, dresult=1.0):
    stack = []
    t = None
    s = 0.0                           # programs.py:192
    r = range(len(xs))                # programs.py:193
    for k in r:                       # programs.py:193
        v = xs[k]                     # programs.py:193
        stack.append(shape_of(t))     # programs.py:194
        t = v ** 2                    # programs.py:194
        s_1 = s + t                   # programs.py:194
        stack.append(shape_of(s))     # programs.py:194
        s = s_1                       # programs.py:194
    t_1 = sum(xs)                     # programs.py:195
    result = s + t_1                  # programs.py:195
    dresult = init_grad(result, dresult)
    ds = unbroadcast(dresult, s)      # programs.py:195
    dt_1 = unbroadcast(dresult, t_1)  # programs.py:195
    dxs = grad_builtin_sum(dt_1, xs)  # programs.py:195
    dxs = copy_grad(dxs)              # programs.py:193
    for k in reversed(r):             # programs.py:193
        v = xs[k]                     # programs.py:193
        ds_1 = ds                     # programs.py:194
        s = stack.pop()               # programs.py:194
        ds = unbroadcast(ds_1, s)     # programs.py:194
        dt = unbroadcast(ds_1, t)     # programs.py:194
        dv = dt * 2 * v               # programs.py:194
        t = stack.pop()               # programs.py:194
        dxs[k] = dxs[k] + dv          # programs.py:193
    return as_grad(dxs, xs)

# ---- forward: s2s.jvp

def jvp_list_arg_dxs(xs, dxs=1.0):
    dxs = init_grad(xs, dxs)
    r = range(len(xs))                    # programs.py:193
    ds = 0.0                              # programs.py:193
    for k in r:                           # programs.py:193
        v = xs[k]                         # programs.py:193
        dv = dxs[k]                       # programs.py:193
        ds = ds + dv * 2 * v              # programs.py:194
    return ds + tangent_like(builtin_sum_tangent(dxs, xs), sum(xs))  # programs.py:195

# ---- forward over reverse: s2s.hvp

def hvp_list_arg_dxs(xs, dxs_2=1.0):
    dxs_2 = init_grad(xs, dxs_2)
    dresult = seed
    stack = []                            # dlist_arg_dxs_6d18268cc6f4.py:3
    t = None                              # dlist_arg_dxs_6d18268cc6f4.py:4
    s = 0.0                               # dlist_arg_dxs_6d18268cc6f4.py:5
    r = range(len(xs))                    # dlist_arg_dxs_6d18268cc6f4.py:6
    r_1 = range(len(r))                   # dlist_arg_dxs_6d18268cc6f4.py:7
    for k_1 in r_1:                       # dlist_arg_dxs_6d18268cc6f4.py:7
        k = r[k_1]                        # dlist_arg_dxs_6d18268cc6f4.py:7
        v = xs[k]                         # dlist_arg_dxs_6d18268cc6f4.py:8
        stack.append(shape_of(t))         # dlist_arg_dxs_6d18268cc6f4.py:9
        t = v ** 2                        # dlist_arg_dxs_6d18268cc6f4.py:10
        s_1 = s + t                       # dlist_arg_dxs_6d18268cc6f4.py:11
        stack.append(shape_of(s))         # dlist_arg_dxs_6d18268cc6f4.py:12
        s = s_1                           # dlist_arg_dxs_6d18268cc6f4.py:13
    t_1 = sum(xs)                         # dlist_arg_dxs_6d18268cc6f4.py:14
    result = s + t_1                      # dlist_arg_dxs_6d18268cc6f4.py:15
    dresult = init_grad(result, dresult)  # dlist_arg_dxs_6d18268cc6f4.py:16
    ds = unbroadcast(dresult, s)          # dlist_arg_dxs_6d18268cc6f4.py:17
    dt_1 = unbroadcast(dresult, t_1)      # dlist_arg_dxs_6d18268cc6f4.py:18
    dxs = grad_builtin_sum(dt_1, xs)      # dlist_arg_dxs_6d18268cc6f4.py:19
    dxs = copy_grad(dxs)                  # dlist_arg_dxs_6d18268cc6f4.py:20
    r_2 = range(len(r) - 1, -1, -1)       # dlist_arg_dxs_6d18268cc6f4.py:21
    ddxs = zeros_like(dxs)                # dlist_arg_dxs_6d18268cc6f4.py:21
    for k_2 in r_2:                       # dlist_arg_dxs_6d18268cc6f4.py:21
        k = r[k_2]                        # dlist_arg_dxs_6d18268cc6f4.py:21
        v = xs[k]                         # dlist_arg_dxs_6d18268cc6f4.py:22
        dv_1 = dxs_2[k]                   # dlist_arg_dxs_6d18268cc6f4.py:22
        ds_1 = ds                         # dlist_arg_dxs_6d18268cc6f4.py:23
        s = stack.pop()                   # dlist_arg_dxs_6d18268cc6f4.py:24
        ds = unbroadcast(ds_1, s)         # dlist_arg_dxs_6d18268cc6f4.py:25
        dt = unbroadcast(ds_1, t)         # dlist_arg_dxs_6d18268cc6f4.py:26
        t_6 = dt * 2                      # dlist_arg_dxs_6d18268cc6f4.py:27
        dv = t_6 * v                      # dlist_arg_dxs_6d18268cc6f4.py:27
        ddv = t_6 * dv_1                  # dlist_arg_dxs_6d18268cc6f4.py:27
        t = stack.pop()                   # dlist_arg_dxs_6d18268cc6f4.py:28
        t_7 = dxs[k]                      # dlist_arg_dxs_6d18268cc6f4.py:29
        dt_7 = ddxs[k]                    # dlist_arg_dxs_6d18268cc6f4.py:29
        t_8 = t_7 + dv                    # dlist_arg_dxs_6d18268cc6f4.py:29
        dt_8 = dt_7 + ddv                 # dlist_arg_dxs_6d18268cc6f4.py:29
        dxs[k] = t_8                      # dlist_arg_dxs_6d18268cc6f4.py:29
        ddxs[k] = dt_8                    # dlist_arg_dxs_6d18268cc6f4.py:29
    return as_grad(ddxs, xs)              # dlist_arg_dxs_6d18268cc6f4.py:30
