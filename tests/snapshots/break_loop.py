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

def hvp_break_loop_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    ds = seed
    stack = []
    dstack = []
    cond_1 = None
    t = None
    s = 0.0                               # programs.py:67
    broke = False                         # programs.py:68
    r = range(n)                          # programs.py:68
    n_iter = 0                            # programs.py:68
    broke_1 = False                       # programs.py:68
    r_1 = range(len(r))                   # programs.py:68
    d_s = 0.0                             # programs.py:68
    for k in r_1:                         # programs.py:68
        i = r[k]                          # programs.py:68
        n_iter = n_iter + 1               # programs.py:68
        if s > 5.0:                       # programs.py:70
            broke = True                  # programs.py:70
        stack.append(cond_1)              # programs.py:71
        dstack.append(zeros_like(cond_1))  # programs.py:71
        cond_1 = not broke                # programs.py:71
        if cond_1:                        # programs.py:71
            tmp = shape_of(t)             # programs.py:71
            stack.append(tmp)             # programs.py:71
            dstack.append(zeros_like(tmp))  # programs.py:71
            t = x * i                     # programs.py:71
            d_t = dx * i                  # programs.py:71
            s_1 = s + t                   # programs.py:71
            d_s_1 = d_s + d_t             # programs.py:71
            stack.append(s)               # programs.py:71
            dstack.append(d_s)            # programs.py:71
            s = s_1                       # programs.py:71
            d_s = d_s_1                   # programs.py:71
        if broke:                         # programs.py:68
            broke_1 = True                # programs.py:68
        if broke_1:                       # programs.py:68
            break                         # programs.py:68
    ds = init_grad(s, ds)
    grad_x = zeros_like(x)                # programs.py:68
    seq = r[:n_iter]                      # programs.py:68
    r_2 = range(len(seq) - 1, -1, -1)     # programs.py:68
    for k_1 in r_2:                       # programs.py:68
        i = seq[k_1]                      # programs.py:68
        if cond_1:                        # programs.py:71
            ds_1 = ds                     # programs.py:71
            s = stack.pop()               # programs.py:71
            d_s = dstack.pop()            # programs.py:71
            ds = unbroadcast(ds_1, s)     # programs.py:71
            dt = unbroadcast(ds_1, t)     # programs.py:71
            grad_x = grad_x + unbroadcast(dt * i, x)  # programs.py:71
            t = stack.pop()               # programs.py:71
            d_t = dstack.pop()            # programs.py:71
        cond_1 = stack.pop()              # programs.py:71
        dcond_1 = dstack.pop()            # programs.py:71
    return zero_grad(as_grad(grad_x, x))
