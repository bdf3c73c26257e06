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
    stack = []                            # dnested_loops_dx_7c8f68f8d5a3.py:3
    dstack = []                           # dnested_loops_dx_7c8f68f8d5a3.py:3
    j = None                              # dnested_loops_dx_7c8f68f8d5a3.py:4
    r_1 = None                            # dnested_loops_dx_7c8f68f8d5a3.py:5
    t_2 = None                            # dnested_loops_dx_7c8f68f8d5a3.py:6
    s = 0.0                               # dnested_loops_dx_7c8f68f8d5a3.py:7
    r = range(3)                          # dnested_loops_dx_7c8f68f8d5a3.py:8
    r_2 = range(len(r))                   # dnested_loops_dx_7c8f68f8d5a3.py:9
    ds_3 = 0.0                            # dnested_loops_dx_7c8f68f8d5a3.py:9
    for k in r_2:                         # dnested_loops_dx_7c8f68f8d5a3.py:9
        i = r[k]                          # dnested_loops_dx_7c8f68f8d5a3.py:9
        stack.append(r_1)                 # dnested_loops_dx_7c8f68f8d5a3.py:10
        dstack.append(zeros_like(r_1))    # dnested_loops_dx_7c8f68f8d5a3.py:10
        r_1 = range(i, 3)                 # dnested_loops_dx_7c8f68f8d5a3.py:11
        stack.append(j)                   # dnested_loops_dx_7c8f68f8d5a3.py:12
        dstack.append(zeros_like(j))      # dnested_loops_dx_7c8f68f8d5a3.py:12
        r_3 = range(len(r_1))             # dnested_loops_dx_7c8f68f8d5a3.py:13
        for k_1 in r_3:                   # dnested_loops_dx_7c8f68f8d5a3.py:13
            j = r_1[k_1]                  # dnested_loops_dx_7c8f68f8d5a3.py:13
            t = x[i]                      # dnested_loops_dx_7c8f68f8d5a3.py:14
            dt_3 = dx_1[i]                # dnested_loops_dx_7c8f68f8d5a3.py:14
            t_1 = x[j]                    # dnested_loops_dx_7c8f68f8d5a3.py:15
            dt_1_1 = dx_1[j]              # dnested_loops_dx_7c8f68f8d5a3.py:15
            t_3 = shape_of(t_2)           # dnested_loops_dx_7c8f68f8d5a3.py:16
            stack.append(t_3)             # dnested_loops_dx_7c8f68f8d5a3.py:16
            dstack.append(zeros_like(t_3))  # dnested_loops_dx_7c8f68f8d5a3.py:16
            t_2 = t * t_1                 # dnested_loops_dx_7c8f68f8d5a3.py:17
            dt_2_1 = dt_3 * t_1 + t * dt_1_1  # dnested_loops_dx_7c8f68f8d5a3.py:17
            s_1 = s + t_2                 # dnested_loops_dx_7c8f68f8d5a3.py:18
            ds_1_1 = ds_3 + dt_2_1        # dnested_loops_dx_7c8f68f8d5a3.py:18
            stack.append(s)               # dnested_loops_dx_7c8f68f8d5a3.py:19
            dstack.append(ds_3)           # dnested_loops_dx_7c8f68f8d5a3.py:19
            s = s_1                       # dnested_loops_dx_7c8f68f8d5a3.py:20
            ds_3 = ds_1_1                 # dnested_loops_dx_7c8f68f8d5a3.py:20
    ds = init_grad(s, ds)                 # dnested_loops_dx_7c8f68f8d5a3.py:21
    dx = zeros_like(x)                    # dnested_loops_dx_7c8f68f8d5a3.py:22
    r_4 = range(len(r) - 1, -1, -1)       # dnested_loops_dx_7c8f68f8d5a3.py:23
    ddx = zeros_like(dx)                  # dnested_loops_dx_7c8f68f8d5a3.py:23
    for k_2 in r_4:                       # dnested_loops_dx_7c8f68f8d5a3.py:23
        i = r[k_2]                        # dnested_loops_dx_7c8f68f8d5a3.py:23
        r_5 = range(len(r_1) - 1, -1, -1)  # dnested_loops_dx_7c8f68f8d5a3.py:24
        for k_3 in r_5:                   # dnested_loops_dx_7c8f68f8d5a3.py:24
            j = r_1[k_3]                  # dnested_loops_dx_7c8f68f8d5a3.py:24
            t = x[i]                      # dnested_loops_dx_7c8f68f8d5a3.py:25
            dt_3 = dx_1[i]                # dnested_loops_dx_7c8f68f8d5a3.py:25
            t_1 = x[j]                    # dnested_loops_dx_7c8f68f8d5a3.py:26
            dt_1_1 = dx_1[j]              # dnested_loops_dx_7c8f68f8d5a3.py:26
            ds_1 = ds                     # dnested_loops_dx_7c8f68f8d5a3.py:27
            s = stack.pop()               # dnested_loops_dx_7c8f68f8d5a3.py:28
            ds_3 = dstack.pop()           # dnested_loops_dx_7c8f68f8d5a3.py:28
            ds = unbroadcast(ds_1, s)     # dnested_loops_dx_7c8f68f8d5a3.py:29
            dt_2 = unbroadcast(ds_1, t_2)  # dnested_loops_dx_7c8f68f8d5a3.py:30
            t_6 = dt_2 * t_1              # dnested_loops_dx_7c8f68f8d5a3.py:31
            dt_6 = dt_2 * dt_1_1          # dnested_loops_dx_7c8f68f8d5a3.py:31
            dt = unbroadcast(t_6, t)      # dnested_loops_dx_7c8f68f8d5a3.py:31
            ddt = unbroadcast(dt_6, t)    # dnested_loops_dx_7c8f68f8d5a3.py:31
            t_7 = dt_2 * t                # dnested_loops_dx_7c8f68f8d5a3.py:32
            dt_7 = dt_2 * dt_3            # dnested_loops_dx_7c8f68f8d5a3.py:32
            dt_1 = unbroadcast(t_7, t_1)  # dnested_loops_dx_7c8f68f8d5a3.py:32
            ddt_1 = unbroadcast(dt_7, t_1)  # dnested_loops_dx_7c8f68f8d5a3.py:32
            t_2 = stack.pop()             # dnested_loops_dx_7c8f68f8d5a3.py:33
            dt_2_1 = dstack.pop()         # dnested_loops_dx_7c8f68f8d5a3.py:33
            t_8 = dx[j]                   # dnested_loops_dx_7c8f68f8d5a3.py:34
            dt_8 = ddx[j]                 # dnested_loops_dx_7c8f68f8d5a3.py:34
            t_9 = t_8 + dt_1              # dnested_loops_dx_7c8f68f8d5a3.py:34
            dt_9 = dt_8 + ddt_1           # dnested_loops_dx_7c8f68f8d5a3.py:34
            dx[j] = t_9                   # dnested_loops_dx_7c8f68f8d5a3.py:34
            ddx[j] = dt_9                 # dnested_loops_dx_7c8f68f8d5a3.py:34
            t_10 = dx[i]                  # dnested_loops_dx_7c8f68f8d5a3.py:35
            dt_10 = ddx[i]                # dnested_loops_dx_7c8f68f8d5a3.py:35
            t_11 = t_10 + dt              # dnested_loops_dx_7c8f68f8d5a3.py:35
            dt_11 = dt_10 + ddt           # dnested_loops_dx_7c8f68f8d5a3.py:35
            dx[i] = t_11                  # dnested_loops_dx_7c8f68f8d5a3.py:35
            ddx[i] = dt_11                # dnested_loops_dx_7c8f68f8d5a3.py:35
        j = stack.pop()                   # dnested_loops_dx_7c8f68f8d5a3.py:36
        dj = dstack.pop()                 # dnested_loops_dx_7c8f68f8d5a3.py:36
        r_1 = stack.pop()                 # dnested_loops_dx_7c8f68f8d5a3.py:37
        dr_1 = dstack.pop()               # dnested_loops_dx_7c8f68f8d5a3.py:37
    return as_grad(ddx, x)                # dnested_loops_dx_7c8f68f8d5a3.py:38
