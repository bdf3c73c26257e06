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
    r = range(3)                         # programs.py:43
    ds = 0.0                             # programs.py:43
    for i in r:                          # programs.py:43
        r_1 = range(i, 3)                # programs.py:44
        for j in r_1:                    # programs.py:44
            t = x[i]                     # programs.py:45
            dt = dx[i]                   # programs.py:45
            t_1 = x[j]                   # programs.py:45
            dt_2 = dt * t_1 + t * dx[j]  # programs.py:45
            ds = ds + dt_2               # programs.py:45
    return ds                            # programs.py:46

# ---- forward over reverse: s2s.hvp

def hvp_nested_loops_dx(x, dx_1=1.0):
    x = copy_deep(x)
    dx_1 = copy_deep(init_grad(x, dx_1))
    ds = seed
    stack = []
    dstack = []
    j = None
    r_1 = None
    t_2 = None
    s = 0.0                               # programs.py:42
    r = range(3)                          # programs.py:43
    r_2 = range(len(r))                   # programs.py:43
    ds_3 = 0.0                            # programs.py:43
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
            dt_3 = dx_1[i]                # programs.py:45
            t_1 = x[j]                    # programs.py:45
            dt_1_1 = dx_1[j]              # programs.py:45
            t_3 = shape_of(t_2)           # programs.py:45
            stack.append(t_3)             # programs.py:45
            dstack.append(zeros_like(t_3))  # programs.py:45
            t_2 = t * t_1                 # programs.py:45
            dt_2_1 = dt_3 * t_1 + t * dt_1_1  # programs.py:45
            s_1 = s + t_2                 # programs.py:45
            ds_1_1 = ds_3 + dt_2_1        # programs.py:45
            stack.append(s)               # programs.py:45
            dstack.append(ds_3)           # programs.py:45
            s = s_1                       # programs.py:45
            ds_3 = ds_1_1                 # programs.py:45
    ds = init_grad(s, ds)
    dx = zeros_like(x)                    # programs.py:43
    r_4 = range(len(r) - 1, -1, -1)       # programs.py:43
    ddx = zeros_like(dx)                  # programs.py:43
    for k_2 in r_4:                       # programs.py:43
        i = r[k_2]                        # programs.py:43
        r_5 = range(len(r_1) - 1, -1, -1)  # programs.py:44
        for k_3 in r_5:                   # programs.py:44
            j = r_1[k_3]                  # programs.py:44
            t = x[i]                      # programs.py:45
            dt_3 = dx_1[i]                # programs.py:45
            t_1 = x[j]                    # programs.py:45
            dt_1_1 = dx_1[j]              # programs.py:45
            ds_1 = ds                     # programs.py:45
            s = stack.pop()               # programs.py:45
            ds_3 = dstack.pop()           # programs.py:45
            ds = unbroadcast(ds_1, s)     # programs.py:45
            dt_2 = unbroadcast(ds_1, t_2)  # programs.py:45
            t_6 = dt_2 * t_1              # programs.py:45
            dt_6 = dt_2 * dt_1_1          # programs.py:45
            dt = unbroadcast(t_6, t)      # programs.py:45
            ddt = unbroadcast(dt_6, t)    # programs.py:45
            t_7 = dt_2 * t                # programs.py:45
            dt_7 = dt_2 * dt_3            # programs.py:45
            dt_1 = unbroadcast(t_7, t_1)  # programs.py:45
            ddt_1 = unbroadcast(dt_7, t_1)  # programs.py:45
            t_2 = stack.pop()             # programs.py:45
            dt_2_1 = dstack.pop()         # programs.py:45
            t_8 = dx[j]                   # programs.py:45
            dt_8 = ddx[j]                 # programs.py:45
            t_9 = t_8 + dt_1              # programs.py:45
            dt_9 = dt_8 + ddt_1           # programs.py:45
            dx[j] = t_9                   # programs.py:45
            ddx[j] = dt_9                 # programs.py:45
            t_10 = dx[i]                  # programs.py:45
            dt_10 = ddx[i]                # programs.py:45
            t_11 = t_10 + dt              # programs.py:45
            dt_11 = dt_10 + ddt           # programs.py:45
            dx[i] = t_11                  # programs.py:45
            ddx[i] = dt_11                # programs.py:45
        j = stack.pop()                   # programs.py:44
        dj = dstack.pop()                 # programs.py:44
        r_1 = stack.pop()                 # programs.py:44
        dr_1 = dstack.pop()               # programs.py:44
    return as_grad(ddx, x)
