# ---- reverse: s2s.grad

def ddicts_dp_dx(p, x, *, dresult=1.0):
    t = p['w']                            # programs.py:175
    q = {'a': t * x, 'b': p['b']}         # programs.py:175
    t_3 = q['a']                          # programs.py:176
    t_4 = q['b']                          # programs.py:176
    t_5 = t_3 * t_4                       # programs.py:176
    q_old = get_item(q, 'c')              # programs.py:176
    q['c'] = t_5                          # programs.py:176
    t_6 = q['c']                          # programs.py:177
    t_7 = p['w']                          # programs.py:177
    t_8 = t_7 ** 2                        # programs.py:177
    result = t_6 + t_8                    # programs.py:177
    dresult = init_grad(result, dresult)
    dt_6 = unbroadcast(dresult, t_6)      # programs.py:177
    dt_8 = unbroadcast(dresult, t_7)      # programs.py:177
    dt_7 = dt_8 * 2 * t_7                 # programs.py:177
    dp = zeros_like(p)                    # programs.py:177
    dp['w'] = dp['w'] + dt_7              # programs.py:177
    dq = zeros_like(q)                    # programs.py:177
    dq['c'] = dq['c'] + dt_6              # programs.py:177
    dt_5 = unbroadcast(copy_grad(dq['c']), broadcast_shape(t_3, t_4))  # programs.py:176
    dq['c'] = 0.0                         # programs.py:176
    set_item(q, 'c', q_old)               # programs.py:176
    dt_3 = unbroadcast(dt_5 * t_4, t_3)   # programs.py:176
    dt_4 = unbroadcast(dt_5 * t_3, t_4)   # programs.py:176
    dq['b'] = dq['b'] + dt_4              # programs.py:176
    dq['a'] = dq['a'] + dt_3              # programs.py:176
    dt_1 = dq['a']                        # programs.py:175
    dt_2 = dq['b']                        # programs.py:175
    dp['b'] = dp['b'] + dt_2              # programs.py:175
    dt = unbroadcast(dt_1 * x, t)         # programs.py:175
    dx = unbroadcast(dt_1 * t, x)         # programs.py:175
    dp['w'] = dp['w'] + dt                # programs.py:175
    return as_grad(dp, p), dx

# ---- forward: s2s.jvp

def jvp_dicts_dp_dx(p, x, dp=1.0, dx=1.0):
    p = copy_deep(p)
    dp = copy_deep(init_grad(p, dp))
    dx = init_grad(x, dx)
    t = p['w']                          # programs.py:175
    dt = dp['w']                        # programs.py:175
    t_1 = t * x                         # programs.py:175
    dt_1 = dt * x + t * dx              # programs.py:175
    t_2 = p['b']                        # programs.py:175
    dt_2 = dp['b']                      # programs.py:175
    q = {'a': t_1, 'b': t_2}            # programs.py:175
    dq = {'a': dt_1, 'b': dt_2}         # programs.py:175
    t_3 = q['a']                        # programs.py:176
    dt_3 = dq['a']                      # programs.py:176
    t_4 = q['b']                        # programs.py:176
    dt_4 = dq['b']                      # programs.py:176
    t_5 = t_3 * t_4                     # programs.py:176
    dt_5 = dt_3 * t_4 + t_3 * dt_4      # programs.py:176
    q['c'] = t_5                        # programs.py:176
    dq['c'] = dt_5                      # programs.py:176
    dt_6 = dq['c']                      # programs.py:177
    return dt_6 + dp['w'] * 2 * p['w']  # programs.py:177

# ---- forward over reverse: s2s.hvp

def hvp_dicts_dp_dx(p, x, dp_1=1.0, dx_1=1.0):
    dp_1 = init_grad(p, dp_1)
    dx_1 = init_grad(x, dx_1)
    dresult = seed
    p_ = copy_deep(p)                     # programs.py:175
    dp_ = copy_deep(dp_1)                 # programs.py:175
    x_ = copy_deep(x)                     # programs.py:175
    dx_ = copy_deep(dx_1)                 # programs.py:175
    t = p_['w']                           # programs.py:175
    dt_9 = dp_['w']                       # programs.py:175
    t_1 = t * x_                          # programs.py:175
    dt_1_1 = dt_9 * x_ + t * dx_          # programs.py:175
    t_2 = p_['b']                         # programs.py:175
    dt_2_1 = dp_['b']                     # programs.py:175
    q = {'a': t_1, 'b': t_2}              # programs.py:175
    dq_1 = {'a': dt_1_1, 'b': dt_2_1}     # programs.py:175
    t_3 = q['a']                          # programs.py:176
    dt_3_1 = dq_1['a']                    # programs.py:176
    t_4 = q['b']                          # programs.py:176
    dt_4_1 = dq_1['b']                    # programs.py:176
    t_5 = t_3 * t_4                       # programs.py:176
    dt_5_1 = dt_3_1 * t_4 + t_3 * dt_4_1  # programs.py:176
    q_old = get_item(q, 'c')              # programs.py:176
    dq_old = get_item(dq_1, 'c')          # programs.py:176
    q['c'] = t_5                          # programs.py:176
    dq_1['c'] = dt_5_1                    # programs.py:176
    t_6 = q['c']                          # programs.py:177
    t_7 = p_['w']                         # programs.py:177
    dt_7_1 = dp_['w']                     # programs.py:177
    t_8 = t_7 ** 2                        # programs.py:177
    result = t_6 + t_8                    # programs.py:177
    dresult = init_grad(result, dresult)
    dt_6 = unbroadcast(dresult, t_6)      # programs.py:177
    dt_8 = unbroadcast(dresult, t_7)      # programs.py:177
    t_9 = dt_8 * 2                        # programs.py:177
    dt_7 = t_9 * t_7                      # programs.py:177
    ddt_7 = t_9 * dt_7_1                  # programs.py:177
    dp = zeros_like(p_)                   # programs.py:177
    t_11 = dp['w'] + dt_7                 # programs.py:177
    dt_11 = tangent_like(ddt_7, t_11)     # programs.py:177
    ddp = zeros_like(dp)                  # programs.py:177
    dp['w'] = t_11                        # programs.py:177
    ddp['w'] = dt_11                      # programs.py:177
    dq = zeros_like(q)                    # programs.py:177
    dq['c'] = dq['c'] + dt_6              # programs.py:177
    dt_5 = unbroadcast(copy_grad(dq['c']), broadcast_shape(t_3, t_4))  # programs.py:176
    dq['c'] = 0.0                         # programs.py:176
    set_item(q, 'c', q_old)               # programs.py:176
    set_item(dq_1, 'c', dq_old)           # programs.py:176
    t_17 = dt_5 * t_4                     # programs.py:176
    dt_17 = dt_5 * dt_4_1                 # programs.py:176
    dt_3 = unbroadcast(t_17, t_3)         # programs.py:176
    ddt_3 = unbroadcast(dt_17, t_3)       # programs.py:176
    t_18 = dt_5 * t_3                     # programs.py:176
    dt_18 = dt_5 * dt_3_1                 # programs.py:176
    dt_4 = unbroadcast(t_18, t_4)         # programs.py:176
    ddt_4 = unbroadcast(dt_18, t_4)       # programs.py:176
    t_20 = dq['b'] + dt_4                 # programs.py:176
    dt_20 = tangent_like(ddt_4, t_20)     # programs.py:176
    ddq = zeros_like(dq)                  # programs.py:176
    dq['b'] = t_20                        # programs.py:176
    ddq['b'] = dt_20                      # programs.py:176
    t_21 = dq['a']                        # programs.py:176
    dt_21 = ddq['a']                      # programs.py:176
    t_22 = t_21 + dt_3                    # programs.py:176
    dt_22 = dt_21 + ddt_3                 # programs.py:176
    dq['a'] = t_22                        # programs.py:176
    ddq['a'] = dt_22                      # programs.py:176
    dt_1 = dq['a']                        # programs.py:175
    ddt_1 = ddq['a']                      # programs.py:175
    dt_2 = dq['b']                        # programs.py:175
    ddt_2 = ddq['b']                      # programs.py:175
    t_23 = dp['b']                        # programs.py:175
    dt_23 = ddp['b']                      # programs.py:175
    t_24 = t_23 + dt_2                    # programs.py:175
    dt_24 = dt_23 + ddt_2                 # programs.py:175
    dp['b'] = t_24                        # programs.py:175
    ddp['b'] = dt_24                      # programs.py:175
    t_25 = dt_1 * x_                      # programs.py:175
    dt_25 = ddt_1 * x_ + dt_1 * dx_       # programs.py:175
    dt = unbroadcast(t_25, t)             # programs.py:175
    ddt = unbroadcast(dt_25, t)           # programs.py:175
    dt_26 = ddt_1 * t + dt_1 * dt_9       # programs.py:175
    ddx = unbroadcast(dt_26, x_)          # programs.py:175
    t_27 = dp['w']                        # programs.py:175
    dt_27 = ddp['w']                      # programs.py:175
    t_28 = t_27 + dt                      # programs.py:175
    dt_28 = dt_27 + ddt                   # programs.py:175
    dp['w'] = t_28                        # programs.py:175
    ddp['w'] = dt_28                      # programs.py:175
    return as_grad(ddp, p_), ddx
