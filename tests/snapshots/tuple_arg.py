# ---- reverse: s2s.grad

def dtuple_arg_dt(t, *, dresult=1.0):
    x = t[0]                              # programs.py:187
    y = t[1]                              # programs.py:187
    t_1 = y ** 2                          # programs.py:188
    result = x * t_1                      # programs.py:188
    dresult = init_grad(result, dresult)
    dx = unbroadcast(dresult * t_1, x)    # programs.py:188
    dt_1 = unbroadcast(dresult * x, t_1)  # programs.py:188
    dy = dt_1 * 2 * y                     # programs.py:188
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
    t_1 = y ** 2                # programs.py:188
    dt_1 = dy * 2 * y           # programs.py:188
    return dx * t_1 + x * dt_1  # programs.py:188

# ---- forward over reverse: s2s.hvp

def hvp_tuple_arg_dt(t, dt_2=1.0):
    t = copy_deep(t)
    dt_2 = copy_deep(init_grad(t, dt_2))
    dresult = seed
    x = t[0]                        # programs.py:187
    dx_1 = dt_2[0]                  # programs.py:187
    y = t[1]                        # programs.py:187
    dy_1 = dt_2[1]                  # programs.py:187
    t_1 = y ** 2                    # programs.py:188
    dt_1_1 = dy_1 * 2 * y           # programs.py:188
    result = x * t_1                # programs.py:188
    dresult = init_grad(result, dresult)
    t_2 = dresult * t_1             # programs.py:188
    dt_2_1 = dresult * dt_1_1       # programs.py:188
    dx = unbroadcast(t_2, x)        # programs.py:188
    ddx = unbroadcast(dt_2_1, x)    # programs.py:188
    t_3 = dresult * x               # programs.py:188
    dt_3 = dresult * dx_1           # programs.py:188
    dt_1 = unbroadcast(t_3, t_1)    # programs.py:188
    ddt_1 = unbroadcast(dt_3, t_1)  # programs.py:188
    t_4 = dt_1 * 2                  # programs.py:188
    dt_4 = ddt_1 * 2                # programs.py:188
    dy = t_4 * y                    # programs.py:188
    ddy = dt_4 * y + t_4 * dy_1     # programs.py:188
    dt = zeros_like(t)              # programs.py:187
    t_6 = dt[1] + dy                # programs.py:187
    dt_6 = tangent_like(ddy, t_6)   # programs.py:187
    ddt = zeros_like(dt)            # programs.py:187
    dt[1] = t_6                     # programs.py:187
    ddt[1] = dt_6                   # programs.py:187
    t_7 = dt[0]                     # programs.py:187
    dt_7 = ddt[0]                   # programs.py:187
    t_8 = t_7 + dx                  # programs.py:187
    dt_8 = dt_7 + ddx               # programs.py:187
    dt[0] = t_8                     # programs.py:187
    ddt[0] = dt_8                   # programs.py:187
    return as_grad(ddt, t)
