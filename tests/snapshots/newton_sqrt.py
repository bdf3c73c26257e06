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

def hvp_newton_sqrt_da(a, da=1.0):
    da = init_grad(a, da)
    dx = seed
    stack = []
    dstack = []
    t = None
    x = a                                 # programs.py:112
    d_x = da                              # programs.py:112
    err = 1.0                             # programs.py:113
    n_iter = 0                            # programs.py:114
    d_t = 0.0                             # programs.py:114
    while err > 1e-12:                    # programs.py:114
        n_iter = n_iter + 1               # programs.py:114
        stack.append(t)                   # programs.py:115
        dstack.append(d_t)                # programs.py:115
        t = a / x                         # programs.py:115
        d_t = (da - t * d_x) / x          # programs.py:115
        tmp = x + t                       # programs.py:115
        dtmp = d_x + d_t                  # programs.py:115
        x_new = 0.5 * tmp                 # programs.py:115
        dx_new = 0.5 * dtmp               # programs.py:115
        err = abs(x_new - x)              # programs.py:116
        stack.append(x)                   # programs.py:117
        dstack.append(d_x)                # programs.py:117
        x = x_new                         # programs.py:117
        d_x = dx_new                      # programs.py:117
    dx = init_grad(x, dx)
    grad_a = zeros_like(a)                # programs.py:114
    r = range(n_iter)                     # programs.py:114
    dda = zeros_like(grad_a)              # programs.py:114
    ddx = zeros_like(dx)                  # programs.py:114
    for _ in r:                           # programs.py:114
        x = stack.pop()                   # programs.py:117
        d_x = dstack.pop()                # programs.py:117
        dt_1 = dx * 0.5                   # programs.py:115
        ddt_1 = ddx * 0.5                 # programs.py:115
        dx = unbroadcast(dt_1, x)         # programs.py:115
        ddx = unbroadcast(ddt_1, x)       # programs.py:115
        dt = unbroadcast(dt_1, t)         # programs.py:115
        ddt = unbroadcast(ddt_1, t)       # programs.py:115
        dda = dda + unbroadcast((ddt - dt / x * d_x) / x, a)  # programs.py:115
        tmp_4 = -dt                       # programs.py:115
        dtmp_4 = -ddt                     # programs.py:115
        tmp_5 = tmp_4 * t                 # programs.py:115
        dtmp_5 = dtmp_4 * t + tmp_4 * d_t  # programs.py:115
        tmp_6 = tmp_5 / x                 # programs.py:115
        dtmp_6 = (dtmp_5 - tmp_6 * d_x) / x  # programs.py:115
        tmp_7 = unbroadcast(tmp_6, x)     # programs.py:115
        dtmp_7 = unbroadcast(dtmp_6, x)   # programs.py:115
        dx_2 = dx + tmp_7                 # programs.py:115
        ddx_2 = ddx + dtmp_7              # programs.py:115
        dx = dx_2                         # programs.py:115
        ddx = ddx_2                       # programs.py:115
        t = stack.pop()                   # programs.py:115
        d_t = dstack.pop()                # programs.py:115
    dda = dda + ddx                       # programs.py:112
    return as_grad(dda, a)
