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
    x = t[0]                              # dtuple_arg_dt_5243f78a9351.py:3
    dx_1 = dt_2[0]                        # dtuple_arg_dt_5243f78a9351.py:3
    y = t[1]                              # dtuple_arg_dt_5243f78a9351.py:4
    dy_1 = dt_2[1]                        # dtuple_arg_dt_5243f78a9351.py:4
    t_1 = y ** 2                          # dtuple_arg_dt_5243f78a9351.py:5
    dt_1_1 = dy_1 * 2 * y                 # dtuple_arg_dt_5243f78a9351.py:5
    result = x * t_1                      # dtuple_arg_dt_5243f78a9351.py:6
    dresult = init_grad(result, dresult)  # dtuple_arg_dt_5243f78a9351.py:7
    t_2 = dresult * t_1                   # dtuple_arg_dt_5243f78a9351.py:8
    dt_2_1 = dresult * dt_1_1             # dtuple_arg_dt_5243f78a9351.py:8
    dx = unbroadcast(t_2, x)              # dtuple_arg_dt_5243f78a9351.py:8
    ddx = unbroadcast(dt_2_1, x)          # dtuple_arg_dt_5243f78a9351.py:8
    t_3 = dresult * x                     # dtuple_arg_dt_5243f78a9351.py:9
    dt_3 = dresult * dx_1                 # dtuple_arg_dt_5243f78a9351.py:9
    dt_1 = unbroadcast(t_3, t_1)          # dtuple_arg_dt_5243f78a9351.py:9
    ddt_1 = unbroadcast(dt_3, t_1)        # dtuple_arg_dt_5243f78a9351.py:9
    t_4 = dt_1 * 2                        # dtuple_arg_dt_5243f78a9351.py:10
    dt_4 = ddt_1 * 2                      # dtuple_arg_dt_5243f78a9351.py:10
    dy = t_4 * y                          # dtuple_arg_dt_5243f78a9351.py:10
    ddy = dt_4 * y + t_4 * dy_1           # dtuple_arg_dt_5243f78a9351.py:10
    dt = zeros_like(t)                    # dtuple_arg_dt_5243f78a9351.py:11
    t_6 = dt[1] + dy                      # dtuple_arg_dt_5243f78a9351.py:12
    dt_6 = tangent_like(ddy, t_6)         # dtuple_arg_dt_5243f78a9351.py:12
    ddt = zeros_like(dt)                  # dtuple_arg_dt_5243f78a9351.py:12
    dt[1] = t_6                           # dtuple_arg_dt_5243f78a9351.py:12
    ddt[1] = dt_6                         # dtuple_arg_dt_5243f78a9351.py:12
    t_7 = dt[0]                           # dtuple_arg_dt_5243f78a9351.py:13
    dt_7 = ddt[0]                         # dtuple_arg_dt_5243f78a9351.py:13
    t_8 = t_7 + dx                        # dtuple_arg_dt_5243f78a9351.py:13
    dt_8 = dt_7 + ddx                     # dtuple_arg_dt_5243f78a9351.py:13
    dt[0] = t_8                           # dtuple_arg_dt_5243f78a9351.py:13
    ddt[0] = dt_8                         # dtuple_arg_dt_5243f78a9351.py:13
    return as_grad(ddt, t)                # dtuple_arg_dt_5243f78a9351.py:14
