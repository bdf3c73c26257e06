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
        dretval = 0.0                     # programs.py:219
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
        dretval = 0.0                     # programs.py:219
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
        t = x * 1.1                       # programs.py:220
        dt = dx * 1.1                     # programs.py:220
        t_2, dt_2 = value_and_jvp_recursive_dx(t, n - 1, dx=dt)  # programs.py:220
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
        t = x * 1.1                       # programs.py:220
        dt = dx * 1.1                     # programs.py:220
        t_2, dt_2 = jvp_recursive(t, n - 1, dx=dt)  # programs.py:220
        retval = t_2 * x                  # programs.py:220
        dretval = dt_2 * x + t_2 * dx     # programs.py:220
    return retval, dretval                # programs.py:220

# ---- forward over reverse: s2s.hvp

def hvp_recursive_dx(x, n, dx_3=1.0):
    dx_3 = init_grad(x, dx_3)
    dretval = seed
    returned = False                      # drecursive_dx_f3306208c65a.py:3
    cond = n == 0                         # drecursive_dx_f3306208c65a.py:4
    if cond:                              # drecursive_dx_f3306208c65a.py:7
        retval = x                        # drecursive_dx_f3306208c65a.py:6
        returned = True                   # drecursive_dx_f3306208c65a.py:7
    cond_1 = not returned                 # drecursive_dx_f3306208c65a.py:8
    if cond_1:                            # drecursive_dx_f3306208c65a.py:12
        t = x * 1.1                       # drecursive_dx_f3306208c65a.py:10
        dt = dx_3 * 1.1                   # drecursive_dx_f3306208c65a.py:10
        t_3, dt_3 = value_and_jvp_recursive_fwd_1_dx(t, n - 1, dx=dt)  # drecursive_dx_f3306208c65a.py:10
        t_2 = t_3[0]                      # drecursive_dx_f3306208c65a.py:10
        dt_2_1 = dt_3[0]                  # drecursive_dx_f3306208c65a.py:10
        recursive_res = t_3[1]            # drecursive_dx_f3306208c65a.py:10
        drecursive_res = dt_3[1]          # drecursive_dx_f3306208c65a.py:10
        retval = t_2 * x                  # drecursive_dx_f3306208c65a.py:11
    dretval = init_grad(retval, dretval)  # drecursive_dx_f3306208c65a.py:13
    if cond_1:                            # drecursive_dx_f3306208c65a.py:21
        t_4 = dretval * x                 # drecursive_dx_f3306208c65a.py:15
        dt_4 = dretval * dx_3             # drecursive_dx_f3306208c65a.py:15
        dt_2 = unbroadcast(t_4, t_2)      # drecursive_dx_f3306208c65a.py:15
        ddt_2 = unbroadcast(dt_4, t_2)    # drecursive_dx_f3306208c65a.py:15
        t_5 = dretval * t_2               # drecursive_dx_f3306208c65a.py:16
        dt_5 = dretval * dt_2_1           # drecursive_dx_f3306208c65a.py:16
        dx = unbroadcast(t_5, x)          # drecursive_dx_f3306208c65a.py:16
        ddx = unbroadcast(dt_5, x)        # drecursive_dx_f3306208c65a.py:16
        drecursive, ddrecursive = value_and_jvp_recursive_bwd_1_dres_ddretval(recursive_res, dt_2, dres=drecursive_res, ddretval=ddt_2)  # drecursive_dx_f3306208c65a.py:17
        t_6 = drecursive * 1.1            # drecursive_dx_f3306208c65a.py:18
        dt_6 = ddrecursive * 1.1          # drecursive_dx_f3306208c65a.py:18
        dx_1 = dx + t_6                   # drecursive_dx_f3306208c65a.py:18
        ddx_1 = ddx + dt_6                # drecursive_dx_f3306208c65a.py:18
        dx = dx_1                         # drecursive_dx_f3306208c65a.py:18
        ddx = ddx_1                       # drecursive_dx_f3306208c65a.py:18
        dretval = 0.0                     # drecursive_dx_f3306208c65a.py:19
    else:
        dx = 0.0                          # drecursive_dx_f3306208c65a.py:21
        ddx = 0.0                         # drecursive_dx_f3306208c65a.py:21
    if cond:                              # drecursive_dx_f3306208c65a.py:24
        ddx = tangent_like(ddx, dx + dretval)  # drecursive_dx_f3306208c65a.py:23
    return as_grad(ddx, x)                # drecursive_dx_f3306208c65a.py:25

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
        dretval = 0.0                     # programs.py:219
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
    dretval_ = dretval                    # recursive_bwd_1_a8c17e5b2a54.py:3
    ddretval_ = ddretval                  # recursive_bwd_1_a8c17e5b2a54.py:3
    x = res[0]                            # recursive_bwd_1_a8c17e5b2a54.py:3
    dx_3 = dres[0]                        # recursive_bwd_1_a8c17e5b2a54.py:3
    cond = res[1]                         # recursive_bwd_1_a8c17e5b2a54.py:3
    retval = res[2]                       # recursive_bwd_1_a8c17e5b2a54.py:3
    cond_1 = res[3]                       # recursive_bwd_1_a8c17e5b2a54.py:3
    recursive_res = res[4]                # recursive_bwd_1_a8c17e5b2a54.py:3
    drecursive_res = dres[4]              # recursive_bwd_1_a8c17e5b2a54.py:3
    t_2 = res[5]                          # recursive_bwd_1_a8c17e5b2a54.py:3
    dt_2_1 = dres[5]                      # recursive_bwd_1_a8c17e5b2a54.py:3
    dretval__1 = init_grad(retval, dretval_)  # recursive_bwd_1_a8c17e5b2a54.py:4
    ddretval__1 = init_grad(retval, ddretval_)  # recursive_bwd_1_a8c17e5b2a54.py:4
    dretval_ = dretval__1                 # recursive_bwd_1_a8c17e5b2a54.py:4
    ddretval_ = ddretval__1               # recursive_bwd_1_a8c17e5b2a54.py:4
    if cond_1:                            # recursive_bwd_1_a8c17e5b2a54.py:12
        t = dretval_ * x                  # recursive_bwd_1_a8c17e5b2a54.py:6
        dt = ddretval_ * x + dretval_ * dx_3  # recursive_bwd_1_a8c17e5b2a54.py:6
        dt_2 = unbroadcast(t, t_2)        # recursive_bwd_1_a8c17e5b2a54.py:6
        ddt_2 = unbroadcast(dt, t_2)      # recursive_bwd_1_a8c17e5b2a54.py:6
        t_1 = dretval_ * t_2              # recursive_bwd_1_a8c17e5b2a54.py:7
        dt_1 = ddretval_ * t_2 + dretval_ * dt_2_1  # recursive_bwd_1_a8c17e5b2a54.py:7
        dx = unbroadcast(t_1, x)          # recursive_bwd_1_a8c17e5b2a54.py:7
        ddx = unbroadcast(dt_1, x)        # recursive_bwd_1_a8c17e5b2a54.py:7
        drecursive, ddrecursive = jvp_recursive_bwd_1(recursive_res, dt_2, dres=drecursive_res, ddretval=ddt_2)  # recursive_bwd_1_a8c17e5b2a54.py:8
        t_3 = drecursive * 1.1            # recursive_bwd_1_a8c17e5b2a54.py:9
        dt_3 = ddrecursive * 1.1          # recursive_bwd_1_a8c17e5b2a54.py:9
        dx_1 = dx + t_3                   # recursive_bwd_1_a8c17e5b2a54.py:9
        ddx_1 = ddx + dt_3                # recursive_bwd_1_a8c17e5b2a54.py:9
        dx = dx_1                         # recursive_bwd_1_a8c17e5b2a54.py:9
        ddx = ddx_1                       # recursive_bwd_1_a8c17e5b2a54.py:9
        dretval_ = 0.0                    # recursive_bwd_1_a8c17e5b2a54.py:10
        ddretval_ = 0.0                   # recursive_bwd_1_a8c17e5b2a54.py:12
    else:
        dx = 0.0                          # recursive_bwd_1_a8c17e5b2a54.py:12
        ddx = 0.0                         # recursive_bwd_1_a8c17e5b2a54.py:12
    if cond:                              # recursive_bwd_1_a8c17e5b2a54.py:15
        dx_2 = dx + dretval_              # recursive_bwd_1_a8c17e5b2a54.py:14
        ddx_2 = ddx + ddretval_           # recursive_bwd_1_a8c17e5b2a54.py:14
        dx = dx_2                         # recursive_bwd_1_a8c17e5b2a54.py:14
        ddx = ddx_2                       # recursive_bwd_1_a8c17e5b2a54.py:14
    return as_grad(dx, x), as_grad(ddx, x)  # recursive_bwd_1_a8c17e5b2a54.py:16

def value_and_jvp_recursive_fwd_1_dx(x, n, dx=1.0):
    dx = init_grad(x, dx)
    retval = None                         # recursive_fwd_1_d5c6ca915b3a.py:3
    recursive_res = None                  # recursive_fwd_1_d5c6ca915b3a.py:4
    t_2 = None                            # recursive_fwd_1_d5c6ca915b3a.py:5
    returned = False                      # recursive_fwd_1_d5c6ca915b3a.py:6
    cond = n == 0                         # recursive_fwd_1_d5c6ca915b3a.py:7
    if cond:                              # recursive_fwd_1_d5c6ca915b3a.py:10
        retval = x                        # recursive_fwd_1_d5c6ca915b3a.py:9
        dretval = dx                      # recursive_fwd_1_d5c6ca915b3a.py:9
        returned = True                   # recursive_fwd_1_d5c6ca915b3a.py:10
    else:
        dretval = 0.0                     # recursive_fwd_1_d5c6ca915b3a.py:10
    cond_1 = not returned                 # recursive_fwd_1_d5c6ca915b3a.py:11
    if cond_1:                            # recursive_fwd_1_d5c6ca915b3a.py:15
        t = x * 1.1                       # recursive_fwd_1_d5c6ca915b3a.py:13
        dt = dx * 1.1                     # recursive_fwd_1_d5c6ca915b3a.py:13
        t_3, dt_3 = jvp_recursive_fwd_1(t, n - 1, dx=dt)  # recursive_fwd_1_d5c6ca915b3a.py:13
        t_2 = t_3[0]                      # recursive_fwd_1_d5c6ca915b3a.py:13
        dt_2 = dt_3[0]                    # recursive_fwd_1_d5c6ca915b3a.py:13
        recursive_res = t_3[1]            # recursive_fwd_1_d5c6ca915b3a.py:13
        drecursive_res = dt_3[1]          # recursive_fwd_1_d5c6ca915b3a.py:13
        retval = t_2 * x                  # recursive_fwd_1_d5c6ca915b3a.py:14
        dretval = dt_2 * x + t_2 * dx     # recursive_fwd_1_d5c6ca915b3a.py:14
    else:
        drecursive_res = 0.0              # recursive_fwd_1_d5c6ca915b3a.py:15
        dt_2 = 0.0                        # recursive_fwd_1_d5c6ca915b3a.py:15
    t_4 = x, cond, retval, cond_1, recursive_res, t_2  # recursive_fwd_1_d5c6ca915b3a.py:16
    dt_4 = dx, zeros_like(cond), dretval, zeros_like(cond_1), drecursive_res, dt_2  # recursive_fwd_1_d5c6ca915b3a.py:16
    return (retval, t_4), (dretval, dt_4)  # recursive_fwd_1_d5c6ca915b3a.py:16
