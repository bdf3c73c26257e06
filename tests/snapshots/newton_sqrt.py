# ---- reverse: s2s.grad

def dnewton_sqrt_da(a, *, dx=1.0):
    stack = []
    t = None
    x = a                                 # programs.py:112
    err = 1.0                             # programs.py:113
    n_iter = 0                            # programs.py:114
    while err > 1e-12:                    # programs.py:114
        n_iter = n_iter + 1               # programs.py:114
        stack.append(t)                   # programs.py:115
        t = a / x                         # programs.py:115
        x_new = 0.5 * (x + t)             # programs.py:115
        err = abs(x_new - x)              # programs.py:116
        stack.append(x)                   # programs.py:117
        x = x_new                         # programs.py:117
    dx = init_grad(x, dx)
    da = zeros_like(a)                    # programs.py:114
    for _ in range(n_iter):               # programs.py:114
        x = stack.pop()                   # programs.py:117
        dt_1 = dx * 0.5                   # programs.py:115
        dx = unbroadcast(dt_1, x)         # programs.py:115
        dt = unbroadcast(dt_1, t)         # programs.py:115
        da += unbroadcast(dt / x, a)      # programs.py:115
        dx = dx + unbroadcast(-dt * t / x, x)  # programs.py:115
        t = stack.pop()                   # programs.py:115
    da += dx                              # programs.py:112
    return as_grad(da, a)

# ---- forward: s2s.jvp

def jvp_newton_sqrt_da(a, da=1.0):
    da = init_grad(a, da)
    x = a                       # programs.py:112
    dx = da                     # programs.py:112
    err = 1.0                   # programs.py:113
    while err > 1e-12:          # programs.py:114
        t = a / x               # programs.py:115
        dt = (da - t * dx) / x  # programs.py:115
        t_1 = x + t             # programs.py:115
        dt_1 = dx + dt          # programs.py:115
        x_new = 0.5 * t_1       # programs.py:115
        dx_new = 0.5 * dt_1     # programs.py:115
        err = abs(x_new - x)    # programs.py:116
        x = x_new               # programs.py:117
        dx = dx_new             # programs.py:117
    return dx                   # programs.py:118

# ---- forward over reverse: s2s.hvp

def hvp_newton_sqrt_da(a, da_3=1.0):
    da_3 = init_grad(a, da_3)
    dx = seed
    stack = []                            # dnewton_sqrt_da_c6456fdfa7dd.py:3
    dstack = []                           # dnewton_sqrt_da_c6456fdfa7dd.py:3
    t = None                              # dnewton_sqrt_da_c6456fdfa7dd.py:4
    x = a                                 # dnewton_sqrt_da_c6456fdfa7dd.py:5
    dx_3 = da_3                           # dnewton_sqrt_da_c6456fdfa7dd.py:5
    err = 1.0                             # dnewton_sqrt_da_c6456fdfa7dd.py:6
    n_iter = 0                            # dnewton_sqrt_da_c6456fdfa7dd.py:7
    dt_2 = 0.0                            # dnewton_sqrt_da_c6456fdfa7dd.py:8
    while err > 1e-12:                    # dnewton_sqrt_da_c6456fdfa7dd.py:8
        n_iter = n_iter + 1               # dnewton_sqrt_da_c6456fdfa7dd.py:9
        stack.append(t)                   # dnewton_sqrt_da_c6456fdfa7dd.py:10
        dstack.append(dt_2)               # dnewton_sqrt_da_c6456fdfa7dd.py:10
        t = a / x                         # dnewton_sqrt_da_c6456fdfa7dd.py:11
        dt_2 = (da_3 - t * dx_3) / x      # dnewton_sqrt_da_c6456fdfa7dd.py:11
        t_1 = x + t                       # dnewton_sqrt_da_c6456fdfa7dd.py:12
        dt_1_1 = dx_3 + dt_2              # dnewton_sqrt_da_c6456fdfa7dd.py:12
        x_new = 0.5 * t_1                 # dnewton_sqrt_da_c6456fdfa7dd.py:12
        dx_new = 0.5 * dt_1_1             # dnewton_sqrt_da_c6456fdfa7dd.py:12
        err = abs(x_new - x)              # dnewton_sqrt_da_c6456fdfa7dd.py:13
        stack.append(x)                   # dnewton_sqrt_da_c6456fdfa7dd.py:14
        dstack.append(dx_3)               # dnewton_sqrt_da_c6456fdfa7dd.py:14
        x = x_new                         # dnewton_sqrt_da_c6456fdfa7dd.py:15
        dx_3 = dx_new                     # dnewton_sqrt_da_c6456fdfa7dd.py:15
    dx = init_grad(x, dx)                 # dnewton_sqrt_da_c6456fdfa7dd.py:16
    da = zeros_like(a)                    # dnewton_sqrt_da_c6456fdfa7dd.py:17
    r = range(n_iter)                     # dnewton_sqrt_da_c6456fdfa7dd.py:18
    dda = zeros_like(da)                  # dnewton_sqrt_da_c6456fdfa7dd.py:18
    ddx = zeros_like(dx)                  # dnewton_sqrt_da_c6456fdfa7dd.py:18
    for _ in r:                           # dnewton_sqrt_da_c6456fdfa7dd.py:18
        x = stack.pop()                   # dnewton_sqrt_da_c6456fdfa7dd.py:19
        dx_3 = dstack.pop()               # dnewton_sqrt_da_c6456fdfa7dd.py:19
        dt_1 = dx * 0.5                   # dnewton_sqrt_da_c6456fdfa7dd.py:20
        ddt_1 = ddx * 0.5                 # dnewton_sqrt_da_c6456fdfa7dd.py:20
        dx = unbroadcast(dt_1, x)         # dnewton_sqrt_da_c6456fdfa7dd.py:21
        ddx = unbroadcast(ddt_1, x)       # dnewton_sqrt_da_c6456fdfa7dd.py:21
        dt = unbroadcast(dt_1, t)         # dnewton_sqrt_da_c6456fdfa7dd.py:22
        ddt = unbroadcast(ddt_1, t)       # dnewton_sqrt_da_c6456fdfa7dd.py:22
        dt_3 = (ddt - dt / x * dx_3) / x  # dnewton_sqrt_da_c6456fdfa7dd.py:23
        dda = dda + unbroadcast(dt_3, a)  # dnewton_sqrt_da_c6456fdfa7dd.py:23
        t_5 = -dt                         # dnewton_sqrt_da_c6456fdfa7dd.py:24
        dt_5 = -ddt                       # dnewton_sqrt_da_c6456fdfa7dd.py:24
        t_6 = t_5 * t                     # dnewton_sqrt_da_c6456fdfa7dd.py:24
        dt_6 = dt_5 * t + t_5 * dt_2      # dnewton_sqrt_da_c6456fdfa7dd.py:24
        t_7 = t_6 / x                     # dnewton_sqrt_da_c6456fdfa7dd.py:24
        dt_7 = (dt_6 - t_7 * dx_3) / x    # dnewton_sqrt_da_c6456fdfa7dd.py:24
        t_8 = unbroadcast(t_7, x)         # dnewton_sqrt_da_c6456fdfa7dd.py:24
        dt_8 = unbroadcast(dt_7, x)       # dnewton_sqrt_da_c6456fdfa7dd.py:24
        dx_2 = dx + t_8                   # dnewton_sqrt_da_c6456fdfa7dd.py:24
        ddx_2 = ddx + dt_8                # dnewton_sqrt_da_c6456fdfa7dd.py:24
        dx = dx_2                         # dnewton_sqrt_da_c6456fdfa7dd.py:24
        ddx = ddx_2                       # dnewton_sqrt_da_c6456fdfa7dd.py:24
        t = stack.pop()                   # dnewton_sqrt_da_c6456fdfa7dd.py:25
        dt_2 = dstack.pop()               # dnewton_sqrt_da_c6456fdfa7dd.py:25
    dda = dda + ddx                       # dnewton_sqrt_da_c6456fdfa7dd.py:26
    return as_grad(dda, a)                # dnewton_sqrt_da_c6456fdfa7dd.py:27
