# ---- reverse: s2s.grad

def dlist_arg_dxs(xs, *, dresult=1.0):
    stack = []
    t = None
    s = 0.0                               # programs.py:192
    r = range(len(xs))                    # programs.py:193
    for k in r:                           # programs.py:193
        v = xs[k]                         # programs.py:193
        stack.append(shape_of(t))         # programs.py:194
        t = v ** 2                        # programs.py:194
        s_1 = s + t                       # programs.py:194
        stack.append(shape_of(s))         # programs.py:194
        s = s_1                           # programs.py:194
    t_1 = sum(xs)                         # programs.py:195
    result = s + t_1                      # programs.py:195
    dresult = init_grad(result, dresult)
    ds = unbroadcast(dresult, s)          # programs.py:195
    dxs = grad_builtin_sum(unbroadcast(dresult, t_1), xs)  # programs.py:195
    dxs = copy_grad(dxs)                  # programs.py:193
    for k in reversed(r):                 # programs.py:193
        v = xs[k]                         # programs.py:193
        ds_1 = ds                         # programs.py:194
        s = stack.pop()                   # programs.py:194
        ds = unbroadcast(ds_1, s)         # programs.py:194
        dv = unbroadcast(ds_1, t) * 2 * v  # programs.py:194
        t = stack.pop()                   # programs.py:194
        dxs[k] = dxs[k] + dv              # programs.py:193
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

def hvp_list_arg_dxs(xs, dxs=1.0):
    dxs = init_grad(xs, dxs)
    dresult = seed
    stack = []
    t = None
    s = 0.0                               # programs.py:192
    r = range(len(xs))                    # programs.py:193
    r_1 = range(len(r))                   # programs.py:193
    for k_1 in r_1:                       # programs.py:193
        k = r[k_1]                        # programs.py:193
        v = xs[k]                         # programs.py:193
        stack.append(shape_of(t))         # programs.py:194
        t = v ** 2                        # programs.py:194
        s_1 = s + t                       # programs.py:194
        stack.append(shape_of(s))         # programs.py:194
        s = s_1                           # programs.py:194
    t_1 = sum(xs)                         # programs.py:195
    result = s + t_1                      # programs.py:195
    dresult = init_grad(result, dresult)
    ds = unbroadcast(dresult, s)          # programs.py:195
    grad_xs = grad_builtin_sum(unbroadcast(dresult, t_1), xs)  # programs.py:195
    grad_xs = copy_grad(grad_xs)          # programs.py:193
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:193
    ddxs = zeros_like(grad_xs)            # programs.py:193
    for k_2 in r_2:                       # programs.py:193
        k = r[k_2]                        # programs.py:193
        v = xs[k]                         # programs.py:193
        d_v = dxs[k]                      # programs.py:193
        ds_1 = ds                         # programs.py:194
        s = stack.pop()                   # programs.py:194
        ds = unbroadcast(ds_1, s)         # programs.py:194
        tmp_6 = unbroadcast(ds_1, t) * 2  # programs.py:194
        dv = tmp_6 * v                    # programs.py:194
        ddv = tmp_6 * d_v                 # programs.py:194
        t = stack.pop()                   # programs.py:194
        tmp_7 = grad_xs[k]                # programs.py:193
        dtmp_7 = ddxs[k]                  # programs.py:193
        tmp_8 = tmp_7 + dv                # programs.py:193
        dtmp_8 = dtmp_7 + ddv             # programs.py:193
        grad_xs[k] = tmp_8                # programs.py:193
        ddxs[k] = dtmp_8                  # programs.py:193
    return as_grad(ddxs, xs)
