# ---- reverse: s2s.grad

def drecursive_dx(x, n, *, dretval=1.0):
    returned = False                      # programs.py:218
    cond = n == 0                         # programs.py:218
    if cond:                              # programs.py:219
        retval = x                        # programs.py:219
        returned = True                   # programs.py:219
    cond_1 = not returned                 # programs.py:220
    if cond_1:                            # programs.py:220
        t_2, recursive_res = recursive_fwd_1(x * 1.1, n - 1)  # programs.py:220
        retval = t_2 * x                  # programs.py:220
        returned = True                   # programs.py:220
    dretval = init_grad(retval, dretval)
    if cond_1:                            # programs.py:220
        dt_2 = unbroadcast(dretval * x, t_2)  # programs.py:220
        dx = unbroadcast(dretval * t_2, x)  # programs.py:220
        drecursive = recursive_bwd_1(recursive_res, dt_2)  # programs.py:220
        dx = dx + drecursive * 1.1        # programs.py:220
        dretval = 0.0                     # programs.py:220
    else:
        dx = 0.0                          # programs.py:220
    if cond:                              # programs.py:219
        dx = dx + dretval                 # programs.py:219
    return as_grad(dx, x)

def recursive_bwd_1(res, dretval):
    x, cond, retval, cond_1, recursive_res, t_2 = res
    dretval = init_grad(retval, dretval)
    if cond_1:                            # programs.py:220
        dt_2 = unbroadcast(dretval * x, t_2)  # programs.py:220
        dx = unbroadcast(dretval * t_2, x)  # programs.py:220
        drecursive = recursive_bwd(recursive_res, dt_2)  # programs.py:220
        dx = dx + drecursive * 1.1        # programs.py:220
        dretval = 0.0                     # programs.py:220
    else:
        dx = 0.0                          # programs.py:220
    if cond:                              # programs.py:219
        dx = dx + dretval                 # programs.py:219
    return as_grad(dx, x)

def recursive_fwd_1(x, n):
    retval = None
    recursive_res = None
    t_2 = None
    returned = False                      # programs.py:218
    cond = n == 0                         # programs.py:218
    if cond:                              # programs.py:219
        retval = x                        # programs.py:219
        returned = True                   # programs.py:219
    cond_1 = not returned                 # programs.py:220
    if cond_1:                            # programs.py:220
        t_2, recursive_res = recursive_fwd(x * 1.1, n - 1)  # programs.py:220
        retval = t_2 * x                  # programs.py:220
        returned = True                   # programs.py:220
    return retval, (x, cond, retval, cond_1, recursive_res, t_2)

# ---- forward: s2s.jvp

def jvp_recursive_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    returned = False                      # programs.py:218
    if n == 0:                            # programs.py:219
        dretval = dx                      # programs.py:219
        returned = True                   # programs.py:219
    cond_1 = not returned                 # programs.py:220
    if cond_1:                            # programs.py:220
        t_2, dt_2 = value_and_jvp_recursive_dx(x * 1.1, n - 1, dx=dx * 1.1)  # programs.py:220
        dretval = dt_2 * x + t_2 * dx     # programs.py:220
    return dretval                        # programs.py:220

def value_and_jvp_recursive_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    returned = False                      # programs.py:218
    if n == 0:                            # programs.py:219
        retval = x                        # programs.py:219
        dretval = dx                      # programs.py:219
        returned = True                   # programs.py:219
    cond_1 = not returned                 # programs.py:220
    if cond_1:                            # programs.py:220
        t_2, dt_2 = jvp_recursive(x * 1.1, n - 1, dx=dx * 1.1)  # programs.py:220
        retval = t_2 * x                  # programs.py:220
        dretval = dt_2 * x + t_2 * dx     # programs.py:220
    return retval, dretval                # programs.py:220

# ---- forward over reverse: s2s.hvp

def hvp_recursive_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    dretval = seed
    returned = False                      # programs.py:218
    cond = n == 0                         # programs.py:218
    if cond:                              # programs.py:219
        retval = x                        # programs.py:219
        returned = True                   # programs.py:219
    cond_1 = not returned                 # programs.py:220
    if cond_1:                            # programs.py:220
        t_3, dt_3 = value_and_jvp_recursive_fwd_1_dx(x * 1.1, n - 1, dx=dx * 1.1)  # programs.py:220
        t_2 = t_3[0]                      # programs.py:220
        d_t_2 = dt_3[0]                   # programs.py:220
        recursive_res = t_3[1]            # programs.py:220
        drecursive_res = dt_3[1]          # programs.py:220
        retval = t_2 * x                  # programs.py:220
    dretval = init_grad(retval, dretval)
    if cond_1:                            # programs.py:220
        t_4 = dretval * x                 # programs.py:220
        dt_4 = dretval * dx               # programs.py:220
        dt_2 = unbroadcast(t_4, t_2)      # programs.py:220
        ddt_2 = unbroadcast(dt_4, t_2)    # programs.py:220
        t_5 = dretval * t_2               # programs.py:220
        dt_5 = dretval * d_t_2            # programs.py:220
        grad_x = unbroadcast(t_5, x)      # programs.py:220
        ddx = unbroadcast(dt_5, x)        # programs.py:220
        drecursive, ddrecursive = value_and_jvp_recursive_bwd_1_dres_ddretval(recursive_res, dt_2, dres=drecursive_res, ddretval=ddt_2)  # programs.py:220
        t_6 = drecursive * 1.1            # programs.py:220
        dt_6 = ddrecursive * 1.1          # programs.py:220
        dx_1 = grad_x + t_6               # programs.py:220
        ddx_1 = ddx + dt_6                # programs.py:220
        grad_x = dx_1                     # programs.py:220
        ddx = ddx_1                       # programs.py:220
        dretval = 0.0                     # programs.py:220
    else:
        grad_x = 0.0                      # programs.py:220
        ddx = 0.0                         # programs.py:220
    if cond:                              # programs.py:219
        ddx = tangent_like(ddx, grad_x + dretval)  # programs.py:219
    return as_grad(ddx, x)

def recursive_bwd_1(res, dretval):
    x, cond, retval, cond_1, recursive_res, t_2 = res
    dretval = init_grad(retval, dretval)
    if cond_1:                            # programs.py:220
        dt_2 = unbroadcast(dretval * x, t_2)  # programs.py:220
        dx = unbroadcast(dretval * t_2, x)  # programs.py:220
        drecursive = recursive_bwd(recursive_res, dt_2)  # programs.py:220
        dx = dx + drecursive * 1.1        # programs.py:220
        dretval = 0.0                     # programs.py:220
    else:
        dx = 0.0                          # programs.py:220
    if cond:                              # programs.py:219
        dx = dx + dretval                 # programs.py:219
    return as_grad(dx, x)

def recursive_fwd_1(x, n):
    retval = None
    recursive_res = None
    t_2 = None
    returned = False                      # programs.py:218
    cond = n == 0                         # programs.py:218
    if cond:                              # programs.py:219
        retval = x                        # programs.py:219
        returned = True                   # programs.py:219
    cond_1 = not returned                 # programs.py:220
    if cond_1:                            # programs.py:220
        t_2, recursive_res = recursive_fwd(x * 1.1, n - 1)  # programs.py:220
        retval = t_2 * x                  # programs.py:220
        returned = True                   # programs.py:220
    return retval, (x, cond, retval, cond_1, recursive_res, t_2)

def value_and_jvp_recursive_bwd_1_dres_ddretval(res, dretval, dres=1.0, ddretval=1.0):
    dres = init_grad(res, dres)
    ddretval = init_grad(dretval, ddretval)
    dretval_ = dretval
    ddretval_ = ddretval
    x = res[0]
    d_x = dres[0]
    cond = res[1]
    retval = res[2]
    cond_1 = res[3]
    recursive_res = res[4]
    drecursive_res = dres[4]
    t_2 = res[5]
    d_t_2 = dres[5]
    dretval__1 = init_grad(retval, dretval_)
    ddretval__1 = init_grad(retval, ddretval_)
    dretval_ = dretval__1
    ddretval_ = ddretval__1
    if cond_1:                            # programs.py:220
        t = dretval_ * x                  # programs.py:220
        dt = ddretval_ * x + dretval_ * d_x  # programs.py:220
        dt_2 = unbroadcast(t, t_2)        # programs.py:220
        ddt_2 = unbroadcast(dt, t_2)      # programs.py:220
        t_1 = dretval_ * t_2              # programs.py:220
        dt_1 = ddretval_ * t_2 + dretval_ * d_t_2  # programs.py:220
        dx = unbroadcast(t_1, x)          # programs.py:220
        ddx = unbroadcast(dt_1, x)        # programs.py:220
        drecursive, ddrecursive = jvp_recursive_bwd_1(recursive_res, dt_2, dres=drecursive_res, ddretval=ddt_2)  # programs.py:220
        t_3 = drecursive * 1.1            # programs.py:220
        dt_3 = ddrecursive * 1.1          # programs.py:220
        dx_1 = dx + t_3                   # programs.py:220
        ddx_1 = ddx + dt_3                # programs.py:220
        dx = dx_1                         # programs.py:220
        ddx = ddx_1                       # programs.py:220
        dretval_ = 0.0                    # programs.py:220
        ddretval_ = 0.0                   # programs.py:220
    else:
        dx = 0.0                          # programs.py:220
        ddx = 0.0                         # programs.py:220
    if cond:                              # programs.py:219
        dx_2 = dx + dretval_              # programs.py:219
        ddx_2 = ddx + ddretval_           # programs.py:219
        dx = dx_2                         # programs.py:219
        ddx = ddx_2                       # programs.py:219
    return as_grad(dx, x), as_grad(ddx, x)

def value_and_jvp_recursive_fwd_1_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    retval = None
    recursive_res = None
    t_2 = None
    returned = False                      # programs.py:218
    cond = n == 0                         # programs.py:218
    if cond:                              # programs.py:219
        retval = x                        # programs.py:219
        dretval = dx                      # programs.py:219
        returned = True                   # programs.py:219
    else:
        dretval = 0.0                     # programs.py:219
    cond_1 = not returned                 # programs.py:220
    if cond_1:                            # programs.py:220
        t_3, dt_3 = jvp_recursive_fwd_1(x * 1.1, n - 1, dx=dx * 1.1)  # programs.py:220
        t_2 = t_3[0]                      # programs.py:220
        dt_2 = dt_3[0]                    # programs.py:220
        recursive_res = t_3[1]            # programs.py:220
        drecursive_res = dt_3[1]          # programs.py:220
        retval = t_2 * x                  # programs.py:220
        dretval = dt_2 * x + t_2 * dx     # programs.py:220
    else:
        drecursive_res = 0.0              # programs.py:220
        dt_2 = 0.0                        # programs.py:220
    t_4 = x, cond, retval, cond_1, recursive_res, t_2
    return (retval, t_4), (dretval, (dx, zeros_like(cond), dretval, zeros_like(cond_1), drecursive_res, dt_2))
