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
    stack = []
    dstack = []
    t = None
    x = a                                 # programs.py:112
    dx_3 = da_3                           # programs.py:112
    err = 1.0                             # programs.py:113
    n_iter = 0                            # programs.py:114
    dt_2 = 0.0                            # programs.py:114
    while err > 1e-12:                    # programs.py:114
        n_iter = n_iter + 1               # programs.py:114
        stack.append(t)                   # programs.py:115
        dstack.append(dt_2)               # programs.py:115
        t = a / x                         # programs.py:115
        dt_2 = (da_3 - t * dx_3) / x      # programs.py:115
        t_1 = x + t                       # programs.py:115
        dt_1_1 = dx_3 + dt_2              # programs.py:115
        x_new = 0.5 * t_1                 # programs.py:115
        dx_new = 0.5 * dt_1_1             # programs.py:115
        err = abs(x_new - x)              # programs.py:116
        stack.append(x)                   # programs.py:117
        dstack.append(dx_3)               # programs.py:117
        x = x_new                         # programs.py:117
        dx_3 = dx_new                     # programs.py:117
    dx = init_grad(x, dx)
    da = zeros_like(a)                    # programs.py:114
    r = range(n_iter)                     # programs.py:114
    dda = zeros_like(da)                  # programs.py:114
    ddx = zeros_like(dx)                  # programs.py:114
    for _ in r:                           # programs.py:114
        x = stack.pop()                   # programs.py:117
        dx_3 = dstack.pop()               # programs.py:117
        dt_1 = dx * 0.5                   # programs.py:115
        ddt_1 = ddx * 0.5                 # programs.py:115
        dx = unbroadcast(dt_1, x)         # programs.py:115
        ddx = unbroadcast(ddt_1, x)       # programs.py:115
        dt = unbroadcast(dt_1, t)         # programs.py:115
        ddt = unbroadcast(ddt_1, t)       # programs.py:115
        dt_3 = (ddt - dt / x * dx_3) / x  # programs.py:115
        dda = dda + unbroadcast(dt_3, a)  # programs.py:115
        t_5 = -dt                         # programs.py:115
        dt_5 = -ddt                       # programs.py:115
        t_6 = t_5 * t                     # programs.py:115
        dt_6 = dt_5 * t + t_5 * dt_2      # programs.py:115
        t_7 = t_6 / x                     # programs.py:115
        dt_7 = (dt_6 - t_7 * dx_3) / x    # programs.py:115
        t_8 = unbroadcast(t_7, x)         # programs.py:115
        dt_8 = unbroadcast(dt_7, x)       # programs.py:115
        dx_2 = dx + t_8                   # programs.py:115
        ddx_2 = ddx + dt_8                # programs.py:115
        dx = dx_2                         # programs.py:115
        ddx = ddx_2                       # programs.py:115
        t = stack.pop()                   # programs.py:115
        dt_2 = dstack.pop()               # programs.py:115
    dda = dda + ddx                       # programs.py:112
    return as_grad(dda, a)
