# ---- reverse: s2s.grad

def dtuple_arg_dt(t, *, dresult=1.0):
    x = t[0]                              # programs.py:187
    y = t[1]                              # programs.py:187
    tmp = y ** 2                          # programs.py:188
    result = x * tmp                      # programs.py:188
    dresult = init_grad(result, dresult)
    dx = unbroadcast(dresult * tmp, x)    # programs.py:188
    dy = unbroadcast(dresult * x, tmp) * 2 * y  # programs.py:188
    dt = zeros_like(t)                    # programs.py:187
    dt[1] = dt[1] + dy                    # programs.py:187
    dt[0] = dt[0] + dx                    # programs.py:187
    return as_grad(dt, t)

# ---- forward: s2s.jvp

def jvp_tuple_arg_dt(t, dt=1.0):
    dt = init_grad(t, dt)
    x = t[0]                              # programs.py:187
    dx = dt[0]                            # programs.py:187
    y = t[1]                              # programs.py:187
    dy = dt[1]                            # programs.py:187
    return dx * y ** 2 + x * (dy * 2 * y)  # programs.py:188

# ---- forward over reverse: s2s.hvp

def hvp_tuple_arg_dt(t, dt=1.0):
    t = copy_deep(t)
    dt = copy_deep(init_grad(t, dt))
    dresult = seed
    x = t[0]                         # programs.py:187
    d_x = dt[0]                      # programs.py:187
    y = t[1]                         # programs.py:187
    d_y = dt[1]                      # programs.py:187
    tmp = y ** 2                     # programs.py:188
    dtmp = d_y * 2 * y               # programs.py:188
    result = x * tmp                 # programs.py:188
    dresult = init_grad(result, dresult)
    tv = dresult * tmp               # programs.py:188
    dtv = dresult * dtmp             # programs.py:188
    dx = unbroadcast(tv, x)          # programs.py:188
    ddx = unbroadcast(dtv, x)        # programs.py:188
    tv_1 = dresult * x               # programs.py:188
    dtv_1 = dresult * d_x            # programs.py:188
    tv_2 = unbroadcast(tv_1, tmp)    # programs.py:188
    dtv_2 = unbroadcast(dtv_1, tmp)  # programs.py:188
    tv_3 = tv_2 * 2                  # programs.py:188
    dtv_3 = dtv_2 * 2                # programs.py:188
    dy = tv_3 * y                    # programs.py:188
    ddy = dtv_3 * y + tv_3 * d_y     # programs.py:188
    grad_t = zeros_like(t)           # programs.py:187
    tv_5 = grad_t[1] + dy            # programs.py:187
    dtv_5 = tangent_like(ddy, tv_5)  # programs.py:187
    ddt = zeros_like(grad_t)         # programs.py:187
    grad_t[1] = tv_5                 # programs.py:187
    ddt[1] = dtv_5                   # programs.py:187
    tv_6 = grad_t[0]                 # programs.py:187
    dtv_6 = ddt[0]                   # programs.py:187
    tv_7 = tv_6 + dx                 # programs.py:187
    dtv_7 = dtv_6 + ddx              # programs.py:187
    grad_t[0] = tv_7                 # programs.py:187
    ddt[0] = dtv_7                   # programs.py:187
    return as_grad(ddt, t)
