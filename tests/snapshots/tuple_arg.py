# ---- reverse: s2s.grad

def dtuple_arg_dt(t, *, dresult=1.0):
    x = t[0]                              # programs.py:187
    y = t[1]                              # programs.py:187
    tmp = y ** 2                          # programs.py:188
    result = x * tmp                      # programs.py:188
    dresult = init_grad(result, dresult)
    dx = unbroadcast(dresult * tmp, x)    # programs.py:188
    dtmp = unbroadcast(dresult * x, tmp)  # programs.py:188
    dy = dtmp * 2 * y                     # programs.py:188
    dt = zeros_like(t)                    # programs.py:187
    dt[1] = dt[1] + dy                    # programs.py:187
    dt[0] = dt[0] + dx                    # programs.py:187
    return as_grad(dt, t)

# ---- forward: s2s.jvp

def jvp_tuple_arg_dt(t, dt=1.0):
    dt = init_grad(t, dt)
    x = t[0]                    # programs.py:187
    dx = dt[0]                  # programs.py:187
    y = t[1]                    # programs.py:187
    dy = dt[1]                  # programs.py:187
    tmp = y ** 2                # programs.py:188
    dtmp = dy * 2 * y           # programs.py:188
    return dx * tmp + x * dtmp  # programs.py:188

# ---- forward over reverse: s2s.hvp

def hvp_tuple_arg_dt(t, d_t=1.0):
    t = copy_deep(t)
    d_t = copy_deep(init_grad(t, d_t))
    dresult = seed
    x = t[0]                         # programs.py:187
    d_x = d_t[0]                     # programs.py:187
    y = t[1]                         # programs.py:187
    d_y = d_t[1]                     # programs.py:187
    tmp = y ** 2                     # programs.py:188
    d_tmp = d_y * 2 * y              # programs.py:188
    result = x * tmp                 # programs.py:188
    dresult = init_grad(result, dresult)
    tv = dresult * tmp               # programs.py:188
    dtv = dresult * d_tmp            # programs.py:188
    dx = unbroadcast(tv, x)          # programs.py:188
    ddx = unbroadcast(dtv, x)        # programs.py:188
    tv_1 = dresult * x               # programs.py:188
    dtv_1 = dresult * d_x            # programs.py:188
    dtmp = unbroadcast(tv_1, tmp)    # programs.py:188
    ddtmp = unbroadcast(dtv_1, tmp)  # programs.py:188
    tv_2 = dtmp * 2                  # programs.py:188
    dtv_2 = ddtmp * 2                # programs.py:188
    dy = tv_2 * y                    # programs.py:188
    ddy = dtv_2 * y + tv_2 * d_y     # programs.py:188
    dt = zeros_like(t)               # programs.py:187
    tv_4 = dt[1] + dy                # programs.py:187
    dtv_4 = tangent_like(ddy, tv_4)  # programs.py:187
    ddt = zeros_like(dt)             # programs.py:187
    dt[1] = tv_4                     # programs.py:187
    ddt[1] = dtv_4                   # programs.py:187
    tv_5 = dt[0]                     # programs.py:187
    dtv_5 = ddt[0]                   # programs.py:187
    tv_6 = tv_5 + dx                 # programs.py:187
    dtv_6 = dtv_5 + ddx              # programs.py:187
    dt[0] = tv_6                     # programs.py:187
    ddt[0] = dtv_6                   # programs.py:187
    return as_grad(ddt, t)
