# ---- reverse: s2s.grad

def dbreak_loop_dx(x, n, *, ds=1.0):
    stack = []
    cond_1 = None
    t = None
    s = 0.0                               # programs.py:67
    broke = False                         # programs.py:68
    r = range(n)                          # programs.py:68
    n_iter = 0                            # programs.py:68
    for i in r:                           # programs.py:68
        n_iter = n_iter + 1               # programs.py:68
        if s > 5.0:                       # programs.py:70
            broke = True                  # programs.py:70
        stack.append(cond_1)              # programs.py:71
        cond_1 = not broke                # programs.py:71
        if cond_1:                        # programs.py:71
            stack.append(shape_of(t))     # programs.py:71
            t = x * i                     # programs.py:71
            s_1 = s + t                   # programs.py:71
            stack.append(s)               # programs.py:71
            s = s_1                       # programs.py:71
        if broke:                         # programs.py:68
            break                         # programs.py:68
    ds = init_grad(s, ds)
    dx = zeros_like(x)                    # programs.py:68
    for i in reversed(r[:n_iter]):        # programs.py:68
        if cond_1:                        # programs.py:71
            ds_1 = ds                     # programs.py:71
            s = stack.pop()               # programs.py:71
            ds = unbroadcast(ds_1, s)     # programs.py:71
            dt = unbroadcast(ds_1, t)     # programs.py:71
            dx += unbroadcast(dt * i, x)  # programs.py:71
            t = stack.pop()               # programs.py:71
        cond_1 = stack.pop()              # programs.py:71
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_break_loop_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    s = 0.0                 # programs.py:67
    broke = False           # programs.py:68
    r = range(n)            # programs.py:68
    ds = 0.0                # programs.py:68
    for i in r:             # programs.py:68
        if s > 5.0:         # programs.py:70
            broke = True    # programs.py:70
        cond_1 = not broke  # programs.py:71
        if cond_1:          # programs.py:71
            t = x * i       # programs.py:71
            dt = dx * i     # programs.py:71
            s_1 = s + t     # programs.py:71
            ds_1 = ds + dt  # programs.py:71
            s = s_1         # programs.py:71
            ds = ds_1       # programs.py:71
        if broke:           # programs.py:68
            break           # programs.py:68
    return ds               # programs.py:72

# ---- forward over reverse: s2s.hvp

def hvp_break_loop_dx(x, n, dx_2=1.0):
    dx_2 = init_grad(x, dx_2)
    ds = seed
    stack = []                            # dbreak_loop_dx_1ee21cefd087.py:3
    dstack = []                           # dbreak_loop_dx_1ee21cefd087.py:3
    cond_1 = None                         # dbreak_loop_dx_1ee21cefd087.py:4
    t = None                              # dbreak_loop_dx_1ee21cefd087.py:5
    s = 0.0                               # dbreak_loop_dx_1ee21cefd087.py:6
    broke = False                         # dbreak_loop_dx_1ee21cefd087.py:7
    r = range(n)                          # dbreak_loop_dx_1ee21cefd087.py:8
    n_iter = 0                            # dbreak_loop_dx_1ee21cefd087.py:9
    broke_1 = False                       # dbreak_loop_dx_1ee21cefd087.py:10
    r_1 = range(len(r))                   # dbreak_loop_dx_1ee21cefd087.py:10
    ds_3 = 0.0                            # dbreak_loop_dx_1ee21cefd087.py:10
    for k in r_1:                         # dbreak_loop_dx_1ee21cefd087.py:10
        i = r[k]                          # dbreak_loop_dx_1ee21cefd087.py:10
        n_iter = n_iter + 1               # dbreak_loop_dx_1ee21cefd087.py:11
        if s > 5.0:                       # dbreak_loop_dx_1ee21cefd087.py:13
            broke = True                  # dbreak_loop_dx_1ee21cefd087.py:13
        stack.append(cond_1)              # dbreak_loop_dx_1ee21cefd087.py:14
        dstack.append(zeros_like(cond_1))  # dbreak_loop_dx_1ee21cefd087.py:14
        cond_1 = not broke                # dbreak_loop_dx_1ee21cefd087.py:15
        if cond_1:                        # dbreak_loop_dx_1ee21cefd087.py:21
            t_1 = shape_of(t)             # dbreak_loop_dx_1ee21cefd087.py:17
            stack.append(t_1)             # dbreak_loop_dx_1ee21cefd087.py:17
            dstack.append(zeros_like(t_1))  # dbreak_loop_dx_1ee21cefd087.py:17
            t = x * i                     # dbreak_loop_dx_1ee21cefd087.py:18
            dt_1 = dx_2 * i               # dbreak_loop_dx_1ee21cefd087.py:18
            s_1 = s + t                   # dbreak_loop_dx_1ee21cefd087.py:19
            ds_1_1 = ds_3 + dt_1          # dbreak_loop_dx_1ee21cefd087.py:19
            stack.append(s)               # dbreak_loop_dx_1ee21cefd087.py:20
            dstack.append(ds_3)           # dbreak_loop_dx_1ee21cefd087.py:20
            s = s_1                       # dbreak_loop_dx_1ee21cefd087.py:21
            ds_3 = ds_1_1                 # dbreak_loop_dx_1ee21cefd087.py:21
        if broke:                         # dbreak_loop_dx_1ee21cefd087.py:23
            broke_1 = True                # dbreak_loop_dx_1ee21cefd087.py:23
        if broke_1:                       # dbreak_loop_dx_1ee21cefd087.py:10
            break                         # dbreak_loop_dx_1ee21cefd087.py:10
    ds = init_grad(s, ds)                 # dbreak_loop_dx_1ee21cefd087.py:24
    dx = zeros_like(x)                    # dbreak_loop_dx_1ee21cefd087.py:25
    seq = r[:n_iter]                      # dbreak_loop_dx_1ee21cefd087.py:26
    r_2 = range(len(seq) - 1, -1, -1)     # dbreak_loop_dx_1ee21cefd087.py:26
    for k_1 in r_2:                       # dbreak_loop_dx_1ee21cefd087.py:26
        i = seq[k_1]                      # dbreak_loop_dx_1ee21cefd087.py:26
        if cond_1:                        # dbreak_loop_dx_1ee21cefd087.py:33
            ds_1 = ds                     # dbreak_loop_dx_1ee21cefd087.py:28
            s = stack.pop()               # dbreak_loop_dx_1ee21cefd087.py:29
            ds_3 = dstack.pop()           # dbreak_loop_dx_1ee21cefd087.py:29
            ds = unbroadcast(ds_1, s)     # dbreak_loop_dx_1ee21cefd087.py:30
            dt = unbroadcast(ds_1, t)     # dbreak_loop_dx_1ee21cefd087.py:31
            dx = dx + unbroadcast(dt * i, x)  # dbreak_loop_dx_1ee21cefd087.py:32
            t = stack.pop()               # dbreak_loop_dx_1ee21cefd087.py:33
            dt_1 = dstack.pop()           # dbreak_loop_dx_1ee21cefd087.py:33
        cond_1 = stack.pop()              # dbreak_loop_dx_1ee21cefd087.py:34
        dcond_1 = dstack.pop()            # dbreak_loop_dx_1ee21cefd087.py:34
    return zeros_like(as_grad(dx, x))     # dbreak_loop_dx_1ee21cefd087.py:35
