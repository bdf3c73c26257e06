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
    dt_7 = unbroadcast(dresult, t_7) * 2 * t_7  # programs.py:177
    dp = zeros_like(p)                    # programs.py:177
    dp['w'] = dp['w'] + dt_7              # programs.py:177
    dq = zeros_like(q)                    # programs.py:177
    dq['c'] = dq['c'] + dt_6              # programs.py:177
    dt_5 = unbroadcast(copy_grad(dq['c']), broadcast_shape(t_3, t_4))  # programs.py:176
    dq['c'] = 0.0                         # programs.py:176
    set_item(q, 'c', q_old)               # programs.py:176
    dt_3 = unbroadcast(dt_5 * t_4, t_3)   # programs.py:176
    dq['b'] = dq['b'] + unbroadcast(dt_5 * t_3, t_4)  # programs.py:176
    dq['a'] = dq['a'] + dt_3              # programs.py:176
    dt_1 = dq['a']                        # programs.py:175
    dp['b'] = dp['b'] + dq['b']           # programs.py:175
    dt = unbroadcast(dt_1 * x, t)         # programs.py:175
    dx = unbroadcast(dt_1 * t, x)         # programs.py:175
    dp['w'] = dp['w'] + dt                # programs.py:175
    return as_grad(dp, p), dx

# ---- forward: s2s.jvp

def jvp_dicts_dp_dx(p, x, dp=1.0, dx=1.0):
    dp = init_grad(p, dp)
    dx = init_grad(x, dx)
    t = p['w']                            # programs.py:175
    dt = dp['w']                          # programs.py:175
    t_1 = t * x                           # programs.py:175
    dt_1 = dt * x + t * dx                # programs.py:175
    t_2 = p['b']                          # programs.py:175
    dt_2 = dp['b']                        # programs.py:175
    q = {'a': t_1, 'b': t_2}              # programs.py:175
    dq = {'a': dt_1, 'b': dt_2}           # programs.py:175
    t_3 = q['a']                          # programs.py:176
    dt_3 = dq['a']                        # programs.py:176
    t_4 = q['b']                          # programs.py:176
    dt_4 = dq['b']                        # programs.py:176
    t_5 = t_3 * t_4                       # programs.py:176
    dt_5 = dt_3 * t_4 + t_3 * dt_4        # programs.py:176
    q['c'] = t_5                          # programs.py:176
    dq['c'] = dt_5                        # programs.py:176
    return dq['c'] + dp['w'] * 2 * p['w']  # programs.py:177

# ---- forward over reverse: s2s.hvp

def hvp_dicts_dp_dx(p, x, dp=1.0, dx=1.0):
    dp = init_grad(p, dp)
    dx = init_grad(x, dx)
    dresult = seed
    p_ = copy_deep(p)                     # programs.py:175
    dp_ = copy_deep(dp)                   # programs.py:175
    x_ = copy_deep(x)                     # programs.py:175
    dx_ = copy_deep(dx)                   # programs.py:175
    t = p_['w']                           # programs.py:175
    d_t = dp_['w']                        # programs.py:175
    tmp = t * x_                          # programs.py:175
    dtmp = d_t * x_ + t * dx_             # programs.py:175
    tmp_1 = p_['b']                       # programs.py:175
    dtmp_1 = dp_['b']                     # programs.py:175
    q = {'a': tmp, 'b': tmp_1}            # programs.py:175
    d_q = {'a': dtmp, 'b': dtmp_1}        # programs.py:175
    t_3 = q['a']                          # programs.py:176
    d_t_3 = d_q['a']                      # programs.py:176
    t_4 = q['b']                          # programs.py:176
    d_t_4 = d_q['b']                      # programs.py:176
    t_5 = t_3 * t_4                       # programs.py:176
    d_t_5 = d_t_3 * t_4 + t_3 * d_t_4     # programs.py:176
    q_old = get_item(q, 'c')              # programs.py:176
    dq_old = get_item(d_q, 'c')           # programs.py:176
    q['c'] = t_5                          # programs.py:176
    d_q['c'] = d_t_5                      # programs.py:176
    t_6 = q['c']                          # programs.py:177
    t_7 = p_['w']                         # programs.py:177
    d_t_7 = dp_['w']                      # programs.py:177
    t_8 = t_7 ** 2                        # programs.py:177
    result = t_6 + t_8                    # programs.py:177
    dresult = init_grad(result, dresult)
    dt_6 = unbroadcast(dresult, t_6)      # programs.py:177
    tmp_3 = unbroadcast(dresult, t_7) * 2  # programs.py:177
    dt_7 = tmp_3 * t_7                    # programs.py:177
    ddt_7 = tmp_3 * d_t_7                 # programs.py:177
    grad_p = zeros_like(p_)               # programs.py:177
    tmp_5 = grad_p['w'] + dt_7            # programs.py:177
    dtmp_5 = tangent_like(ddt_7, tmp_5)   # programs.py:177
    ddp = zeros_like(grad_p)              # programs.py:177
    grad_p['w'] = tmp_5                   # programs.py:177
    ddp['w'] = dtmp_5                     # programs.py:177
    dq = zeros_like(q)                    # programs.py:177
    dq['c'] = dq['c'] + dt_6              # programs.py:177
    dt_5 = unbroadcast(copy_grad(dq['c']), broadcast_shape(t_3, t_4))  # programs.py:176
    dq['c'] = 0.0                         # programs.py:176
    set_item(q, 'c', q_old)               # programs.py:176
    set_item(d_q, 'c', dq_old)            # programs.py:176
    tmp_11 = dt_5 * t_4                   # programs.py:176
    dtmp_11 = dt_5 * d_t_4                # programs.py:176
    dt_3 = unbroadcast(tmp_11, t_3)       # programs.py:176
    ddt_3 = unbroadcast(dtmp_11, t_3)     # programs.py:176
    tmp_12 = dq['b']                      # programs.py:176
    tmp_13 = dt_5 * t_3                   # programs.py:176
    dtmp_13 = dt_5 * d_t_3                # programs.py:176
    tmp_14 = unbroadcast(tmp_13, t_4)     # programs.py:176
    dtmp_14 = unbroadcast(dtmp_13, t_4)   # programs.py:176
    tmp_15 = tmp_12 + tmp_14              # programs.py:176
    dtmp_15 = tangent_like(dtmp_14, tmp_15)  # programs.py:176
    ddq = zeros_like(dq)                  # programs.py:176
    dq['b'] = tmp_15                      # programs.py:176
    ddq['b'] = dtmp_15                    # programs.py:176
    tmp_16 = dq['a']                      # programs.py:176
    dtmp_16 = ddq['a']                    # programs.py:176
    tmp_17 = tmp_16 + dt_3                # programs.py:176
    dtmp_17 = dtmp_16 + ddt_3             # programs.py:176
    dq['a'] = tmp_17                      # programs.py:176
    ddq['a'] = dtmp_17                    # programs.py:176
    dt_1 = dq['a']                        # programs.py:175
    ddt_1 = ddq['a']                      # programs.py:175
    tmp_18 = grad_p['b']                  # programs.py:175
    dtmp_18 = ddp['b']                    # programs.py:175
    tmp_19 = dq['b']                      # programs.py:175
    dtmp_19 = ddq['b']                    # programs.py:175
    tmp_20 = tmp_18 + tmp_19              # programs.py:175
    dtmp_20 = dtmp_18 + dtmp_19           # programs.py:175
    grad_p['b'] = tmp_20                  # programs.py:175
    ddp['b'] = dtmp_20                    # programs.py:175
    tmp_21 = dt_1 * x_                    # programs.py:175
    dtmp_21 = ddt_1 * x_ + dt_1 * dx_     # programs.py:175
    dt = unbroadcast(tmp_21, t)           # programs.py:175
    ddt = unbroadcast(dtmp_21, t)         # programs.py:175
    ddx = unbroadcast(ddt_1 * t + dt_1 * d_t, x_)  # programs.py:175
    tmp_23 = grad_p['w']                  # programs.py:175
    dtmp_23 = ddp['w']                    # programs.py:175
    tmp_24 = tmp_23 + dt                  # programs.py:175
    dtmp_24 = dtmp_23 + ddt               # programs.py:175
    grad_p['w'] = tmp_24                  # programs.py:175
    ddp['w'] = dtmp_24                    # programs.py:175
    return as_grad(ddp, p_), ddx
