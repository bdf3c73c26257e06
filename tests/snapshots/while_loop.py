# ---- reverse: s2s.grad

def dwhile_loop_dx(x, *, dresult=1.0):
    x_ = x                              # programs.py:59
    n = 0                               # programs.py:59
    n_iter = 0                          # programs.py:60
    while x_ < 50.0:                    # programs.py:60
        n_iter = n_iter + 1             # programs.py:60
        x_ = x_ * 1.7 + 0.5             # programs.py:61
        n = n + 1                       # programs.py:62
    result = x_ * n                     # programs.py:63
    dresult = init_grad(result, dresult)
    dx_ = unbroadcast(dresult * n, x_)  # programs.py:63
    for _ in range(n_iter):             # programs.py:60
        dx_ = dx_ * 1.7                 # programs.py:61
    return dx_

# ---- forward: s2s.jvp

def jvp_while_loop_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    x_ = x              # programs.py:59
    dx_ = dx            # programs.py:59
    n = 0               # programs.py:59
    while x_ < 50.0:    # programs.py:60
        t = x_ * 1.7    # programs.py:61
        dt = dx_ * 1.7  # programs.py:61
        x_ = t + 0.5    # programs.py:61
        dx_ = dt        # programs.py:61
        n = n + 1       # programs.py:62
    return dx_ * n      # programs.py:63

# ---- forward over reverse: s2s.hvp

def hvp_while_loop_dx(x, dx=1.0):
    dresult = seed
    x_ = x                              # programs.py:59
    n = 0                               # programs.py:59
    n_iter = 0                          # programs.py:60
    while x_ < 50.0:                    # programs.py:60
        n_iter = n_iter + 1             # programs.py:60
        x_ = x_ * 1.7 + 0.5             # programs.py:61
        n = n + 1                       # programs.py:62
    result = x_ * n                     # programs.py:63
    dresult = init_grad(result, dresult)
    dx_ = unbroadcast(dresult * n, x_)  # programs.py:63
    for _ in range(n_iter):             # programs.py:60
        dx_ = dx_ * 1.7                 # programs.py:61
    return zero_grad(dx_)
