# ---- reverse: s2s.grad

def dnested_loops_dx(x, *, ds=1.0):
    stack = []
    j = None
    r_1 = None
    t_2 = None
    s = 0.0                               # programs.py:42
    r = range(3)                          # programs.py:43
    for i in r:                           # programs.py:43
        stack.append(r_1)                 # programs.py:44
        r_1 = range(i, 3)                 # programs.py:44
        stack.append(j)                   # programs.py:44
        for j in r_1:                     # programs.py:44
            t = x[i]                      # programs.py:45
            t_1 = x[j]                    # programs.py:45
            stack.append(shape_of(t_2))   # programs.py:45
            t_2 = t * t_1                 # programs.py:45
            s_1 = s + t_2                 # programs.py:45
            stack.append(s)               # programs.py:45
            s = s_1                       # programs.py:45
    ds = init_grad(s, ds)
    dx = zeros_like(x)                    # programs.py:43
    for i in reversed(r):                 # programs.py:43
        for j in reversed(r_1):           # programs.py:44
            t = x[i]                      # programs.py:45
            t_1 = x[j]                    # programs.py:45
            ds_1 = ds                     # programs.py:45
            s = stack.pop()               # programs.py:45
            ds = unbroadcast(ds_1, s)     # programs.py:45
            dt_2 = unbroadcast(ds_1, t_2)  # programs.py:45
            dt = unbroadcast(dt_2 * t_1, t)  # programs.py:45
            dt_1 = unbroadcast(dt_2 * t, t_1)  # programs.py:45
            t_2 = stack.pop()             # programs.py:45
            dx[j] = dx[j] + dt_1          # programs.py:45
            dx[i] = dx[i] + dt            # programs.py:45
        j = stack.pop()                   # programs.py:44
        r_1 = stack.pop()                 # programs.py:44
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_nested_loops_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    r = range(3)                          # programs.py:43
    ds = 0.0                              # programs.py:43
    for i in r:                           # programs.py:43
        r_1 = range(i, 3)                 # programs.py:44
        for j in r_1:                     # programs.py:44
            ds = ds + (dx[i] * x[j] + x[i] * dx[j])  # programs.py:45
    return ds                             # programs.py:46

# ---- forward over reverse: s2s.hvp

def hvp_nested_loops_dx(x, dx=1.0):
    x = copy_deep(x)
    dx = copy_deep(init_grad(x, dx))
    ds = seed
    stack = []
    dstack = []
    j = None
    r_1 = None
    t_2 = None
    s = 0.0                               # programs.py:42
    r = range(3)                          # programs.py:43
    r_2 = range(len(r))                   # programs.py:43
    d_s = 0.0                             # programs.py:43
    for k in r_2:                         # programs.py:43
        i = r[k]                          # programs.py:43
        stack.append(r_1)                 # programs.py:44
        dstack.append(zeros_like(r_1))    # programs.py:44
        r_1 = range(i, 3)                 # programs.py:44
        stack.append(j)                   # programs.py:44
        dstack.append(zeros_like(j))      # programs.py:44
        r_3 = range(len(r_1))             # programs.py:44
        for k_1 in r_3:                   # programs.py:44
            j = r_1[k_1]                  # programs.py:44
            t = x[i]                      # programs.py:45
            d_t = dx[i]                   # programs.py:45
            t_1 = x[j]                    # programs.py:45
            d_t_1 = dx[j]                 # programs.py:45
            tmp = shape_of(t_2)           # programs.py:45
            stack.append(tmp)             # programs.py:45
            dstack.append(zeros_like(tmp))  # programs.py:45
            t_2 = t * t_1                 # programs.py:45
            d_t_2 = d_t * t_1 + t * d_t_1  # programs.py:45
            s_1 = s + t_2                 # programs.py:45
            d_s_1 = d_s + d_t_2           # programs.py:45
            stack.append(s)               # programs.py:45
            dstack.append(d_s)            # programs.py:45
            s = s_1                       # programs.py:45
            d_s = d_s_1                   # programs.py:45
    ds = init_grad(s, ds)
    grad_x = zeros_like(x)                # programs.py:43
    r_4 = range(len(r) - 1, -1, -1)       # programs.py:43
    ddx = zeros_like(grad_x)              # programs.py:43
    for k_2 in r_4:                       # programs.py:43
        i = r[k_2]                        # programs.py:43
        r_5 = range(len(r_1) - 1, -1, -1)  # programs.py:44
        for k_3 in r_5:                   # programs.py:44
            j = r_1[k_3]                  # programs.py:44
            t = x[i]                      # programs.py:45
            d_t = dx[i]                   # programs.py:45
            t_1 = x[j]                    # programs.py:45
            d_t_1 = dx[j]                 # programs.py:45
            ds_1 = ds                     # programs.py:45
            s = stack.pop()               # programs.py:45
            d_s = dstack.pop()            # programs.py:45
            ds = unbroadcast(ds_1, s)     # programs.py:45
            dt_2 = unbroadcast(ds_1, t_2)  # programs.py:45
            tmp_3 = dt_2 * t_1            # programs.py:45
            dtmp_3 = dt_2 * d_t_1         # programs.py:45
            dt = unbroadcast(tmp_3, t)    # programs.py:45
            ddt = unbroadcast(dtmp_3, t)  # programs.py:45
            tmp_4 = dt_2 * t              # programs.py:45
            dtmp_4 = dt_2 * d_t           # programs.py:45
            dt_1 = unbroadcast(tmp_4, t_1)  # programs.py:45
            ddt_1 = unbroadcast(dtmp_4, t_1)  # programs.py:45
            t_2 = stack.pop()             # programs.py:45
            d_t_2 = dstack.pop()          # programs.py:45
            tmp_5 = grad_x[j]             # programs.py:45
            dtmp_5 = ddx[j]               # programs.py:45
            tmp_6 = tmp_5 + dt_1          # programs.py:45
            dtmp_6 = dtmp_5 + ddt_1       # programs.py:45
            grad_x[j] = tmp_6             # programs.py:45
            ddx[j] = dtmp_6               # programs.py:45
            tmp_7 = grad_x[i]             # programs.py:45
            dtmp_7 = ddx[i]               # programs.py:45
            tmp_8 = tmp_7 + dt            # programs.py:45
            dtmp_8 = dtmp_7 + ddt         # programs.py:45
            grad_x[i] = tmp_8             # programs.py:45
            ddx[i] = dtmp_8               # programs.py:45
        j = stack.pop()                   # programs.py:44
        dj = dstack.pop()                 # programs.py:44
        r_1 = stack.pop()                 # programs.py:44
        dr_1 = dstack.pop()               # programs.py:44
    return as_grad(ddx, x)
