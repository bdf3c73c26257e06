# ---- reverse: s2s.grad

def dcontinue_loop_dx(x, *, ds=1.0):
    stack = []
    cond_1 = None
    t = None
    s = 0.0                               # programs.py:76
    r = range(6)                          # programs.py:77
    for i in r:                           # programs.py:77
        skip = False                      # programs.py:77
        if i % 2 == 0:                    # programs.py:79
            skip = True                   # programs.py:79
        stack.append(cond_1)              # programs.py:80
        cond_1 = not skip                 # programs.py:80
        if cond_1:                        # programs.py:80
            stack.append(shape_of(t))     # programs.py:80
            t = x ** i                    # programs.py:80
            s_1 = s + t                   # programs.py:80
            stack.append(s)               # programs.py:80
            s = s_1                       # programs.py:80
    ds = init_grad(s, ds)
    dx = zeros_like(x)                    # programs.py:77
    for i in reversed(r):                 # programs.py:77
        if cond_1:                        # programs.py:80
            ds_1 = ds                     # programs.py:80
            s = stack.pop()               # programs.py:80
            ds = unbroadcast(ds_1, s)     # programs.py:80
            dt = unbroadcast(ds_1, t)     # programs.py:80
            dx += unbroadcast(dt * power_slope(x, i), x)  # programs.py:80
            t = stack.pop()               # programs.py:80
        cond_1 = stack.pop()              # programs.py:80
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_continue_loop_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    r = range(6)                          # programs.py:77
    ds = 0.0                              # programs.py:77
    for i in r:                           # programs.py:77
        skip = False                      # programs.py:77
        if i % 2 == 0:                    # programs.py:79
            skip = True                   # programs.py:79
        if not skip:                      # programs.py:80
            ds = ds + dx * power_slope(x, i)  # programs.py:80
    return ds                             # programs.py:81

# ---- forward over reverse: s2s.hvp

def hvp_continue_loop_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    ds = seed
    stack = []
    dstack = []
    cond_1 = None
    t = None
    s = 0.0                               # programs.py:76
    r = range(6)                          # programs.py:77
    r_1 = range(len(r))                   # programs.py:77
    d_s = 0.0                             # programs.py:77
    for k in r_1:                         # programs.py:77
        i = r[k]                          # programs.py:77
        skip = False                      # programs.py:77
        if i % 2 == 0:                    # programs.py:79
            skip = True                   # programs.py:79
        stack.append(cond_1)              # programs.py:80
        dstack.append(zeros_like(cond_1))  # programs.py:80
        cond_1 = not skip                 # programs.py:80
        if cond_1:                        # programs.py:80
            tmp = shape_of(t)             # programs.py:80
            stack.append(tmp)             # programs.py:80
            dstack.append(zeros_like(tmp))  # programs.py:80
            t = x ** i                    # programs.py:80
            d_t = dx * power_slope(x, i)  # programs.py:80
            s_1 = s + t                   # programs.py:80
            d_s_1 = d_s + d_t             # programs.py:80
            stack.append(s)               # programs.py:80
            dstack.append(d_s)            # programs.py:80
            s = s_1                       # programs.py:80
            d_s = d_s_1                   # programs.py:80
    ds = init_grad(s, ds)
    grad_x = zeros_like(x)                # programs.py:77
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:77
    ddx = zeros_like(grad_x)              # programs.py:77
    for k_1 in r_2:                       # programs.py:77
        i = r[k_1]                        # programs.py:77
        if cond_1:                        # programs.py:80
            ds_1 = ds                     # programs.py:80
            s = stack.pop()               # programs.py:80
            d_s = dstack.pop()            # programs.py:80
            ds = unbroadcast(ds_1, s)     # programs.py:80
            dt = unbroadcast(ds_1, t)     # programs.py:80
            dtmp_3 = dt * tangent_like(dx * power_slope(x, i, 2), power_slope(x, i))  # programs.py:80
            ddx = ddx + unbroadcast(dtmp_3, x)  # programs.py:80
            t = stack.pop()               # programs.py:80
            d_t = dstack.pop()            # programs.py:80
        cond_1 = stack.pop()              # programs.py:80
        dcond_1 = dstack.pop()            # programs.py:80
    return as_grad(ddx, x)
