# ---- reverse: s2s.grad

def drange_loop_dx(x, n, *, ds=1.0):
    r = range(1, n)                       # programs.py:36
    for i in r:                           # programs.py:36
        t = x * i                         # programs.py:37
    dx = 0.0                              # programs.py:36
    for i in reversed(r):                 # programs.py:36
        t = x * i                         # programs.py:37
        dx = dx + -(ds / i) * math.sin(t) * i  # programs.py:37
    return dx

# ---- forward: s2s.jvp

def jvp_range_loop_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    r = range(1, n)                       # programs.py:36
    ds = 0.0                              # programs.py:36
    for i in r:                           # programs.py:36
        ds = ds + -(dx * i) * math.sin(x * i) / i  # programs.py:37
    return ds                             # programs.py:38

# ---- forward over reverse: s2s.hvp

def hvp_range_loop_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    r = range(1, n)                       # programs.py:36
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:36
    ddx = 0.0                             # programs.py:36
    for k_1 in r_2:                       # programs.py:36
        i = r[k_1]                        # programs.py:36
        t = x * i                         # programs.py:37
        dt = dx * i                       # programs.py:37
        ddx = ddx + -(seed / i) * (dt * math.cos(t)) * i  # programs.py:37
    return ddx
