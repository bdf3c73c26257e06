# ---- reverse: s2s.grad

def dreductions_dX(X, *, dresult=1.0):
    col = np.sum(X, axis=0)               # programs.py:357
    row = np.mean(X, axis=1, keepdims=True)  # programs.py:358
    t_6 = np.mean(X)                      # programs.py:359
    t_7 = np.sum(X)                       # programs.py:359
    dt_6 = dresult * t_7                  # programs.py:359
    dX = grad_reduce(dresult * t_6, X, None, False)  # programs.py:359
    dX = dX + grad_reduce(dt_6 / reduced_count(X, None), X, None, False)  # programs.py:359
    dt_2 = grad_reduce(dresult, broadcast_shape(X, row), None, False) * 2 * (X - row)  # programs.py:359
    dX += unbroadcast(dt_2, X)            # programs.py:359
    drow = unbroadcast(-dt_2, row)        # programs.py:359
    dcol = grad_reduce(dresult, col, None, False) * 2 * col  # programs.py:359
    dX += grad_reduce(drow / reduced_count(X, 1), X, 1, True)  # programs.py:358
    dX += grad_reduce(dcol, X, 0, False)  # programs.py:357
    return dX

# ---- forward: s2s.jvp

def jvp_reductions_dX(X, dX=1.0):
    dX = init_grad(X, dX)
    col = np.sum(X, axis=0)               # programs.py:357
    dcol = np.sum(dX, axis=0)             # programs.py:357
    row = np.mean(X, axis=1, keepdims=True)  # programs.py:358
    drow = np.mean(dX, axis=1, keepdims=True)  # programs.py:358
    dt_1 = np.sum(dcol * 2 * col)         # programs.py:359
    dt_5 = dt_1 + np.sum((dX - drow) * 2 * (X - row))  # programs.py:359
    t_6 = np.mean(X)                      # programs.py:359
    return dt_5 + (np.mean(dX) * np.sum(X) + t_6 * np.sum(dX))  # programs.py:359

# ---- forward over reverse: s2s.hvp

def hvp_reductions_dX(X, dX=1.0):
    dX = init_grad(X, dX)
    col = np.sum(X, axis=0)               # programs.py:357
    d_col = np.sum(dX, axis=0)            # programs.py:357
    row = np.mean(X, axis=1, keepdims=True)  # programs.py:358
    d_row = np.mean(dX, axis=1, keepdims=True)  # programs.py:358
    d_t_6 = np.mean(dX)                   # programs.py:359
    dt_7 = np.sum(dX)                     # programs.py:359
    ddt_6 = seed * dt_7                   # programs.py:359
    ddX = grad_reduce(seed * d_t_6, X, None, False)  # programs.py:359
    ddX = ddX + grad_reduce(ddt_6 / reduced_count(X, None), X, None, False)  # programs.py:359
    ddt_2 = grad_reduce(seed, broadcast_shape(X, row), None, False) * 2 * (dX - d_row)  # programs.py:359
    ddX = ddX + unbroadcast(ddt_2, X)     # programs.py:359
    ddrow = unbroadcast(-ddt_2, row)      # programs.py:359
    ddcol = grad_reduce(seed, col, None, False) * 2 * d_col  # programs.py:359
    ddX = ddX + grad_reduce(ddrow / reduced_count(X, 1), X, 1, True)  # programs.py:358
    ddX = ddX + grad_reduce(ddcol, X, 0, False)  # programs.py:357
    return ddX
