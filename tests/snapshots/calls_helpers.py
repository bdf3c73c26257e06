# ---- reverse: s2s.grad

def dcalls_helpers_dx(x, *, dresult=1.0):
    t, helper2_res = helper2_fwd(x)       # programs.py:214
    t_1, helper_res = helper_fwd(x, 1.5)  # programs.py:214
    result = t + t_1                      # programs.py:214
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult, t)          # programs.py:214
    dt_1 = unbroadcast(dresult, t_1)      # programs.py:214
    dhelper = helper_bwd(helper_res, dt_1)  # programs.py:214
    dx = dhelper                          # programs.py:214
    dhelper2 = helper2_bwd(helper2_res, dt)  # programs.py:214
    dx = add_grad(dx, dhelper2)           # programs.py:214
    return as_grad(dx, x)

def helper2_bwd(res, dresult):
    a, helper_res, t, helper_res_1, t_1, result = res
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult * t_1, t)    # programs.py:210
    dt_1 = unbroadcast(dresult * t, t_1)  # programs.py:210
    dhelper = helper_bwd(helper_res_1, dt_1)  # programs.py:210
    da = dhelper                          # programs.py:210
    dhelper_1 = helper_bwd(helper_res, dt)  # programs.py:210
    da = add_grad(da, dhelper_1)          # programs.py:210
    return as_grad(da, a)

def helper2_fwd(a):
    t, helper_res = helper_fwd(a)         # programs.py:210
    t_1, helper_res_1 = helper_fwd(a, b=3.0)  # programs.py:210
    result = t * t_1                      # programs.py:210
    return result, (a, helper_res, t, helper_res_1, t_1, result)

def helper_bwd(res, dresult):
    a, b, result = res
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult, broadcast_shape(a, b))  # programs.py:206
    da = unbroadcast(dt * b * a ** (b - 1), a)  # programs.py:206
    return da

def helper_fwd(a, b=2.0):
    t = a ** b      # programs.py:206
    result = t + b  # programs.py:206
    return result, (a, b, result)

# ---- forward: s2s.jvp

def jvp_calls_helpers_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    t, dt = value_and_jvp_helper2_da(x, da=dx)  # programs.py:214
    t_1, dt_1 = value_and_jvp_helper_da(x, 1.5, da=dx)  # programs.py:214
    return dt + dt_1                      # programs.py:214

def value_and_jvp_helper2_da(a, da=1.0):
    da = init_grad(a, da)
    t, dt = value_and_jvp_helper_da(a, da=da)  # programs.py:210
    t_1, dt_1 = value_and_jvp_helper_da(a, b=3.0, da=da)  # programs.py:210
    result = t * t_1                      # programs.py:210
    return result, dt * t_1 + t * dt_1    # programs.py:210

def value_and_jvp_helper_da(a, b=2.0, da=1.0):
    da = init_grad(a, da)
    t = a ** b                            # programs.py:206
    dt = da * b * a ** (b - 1)            # programs.py:206
    result = t + b                        # programs.py:206
    return result, tangent_like(dt, result)  # programs.py:206

# ---- forward over reverse: s2s.hvp

def hvp_calls_helpers_dx(x, dx_2=1.0):
    dx_2 = init_grad(x, dx_2)
    dresult = seed
    t_2, dt_2 = value_and_jvp_helper2_fwd_da(x, da=dx_2)  # programs.py:214
    t = t_2[0]                            # programs.py:214
    helper2_res = t_2[1]                  # programs.py:214
    dhelper2_res = dt_2[1]                # programs.py:214
    t_3, dt_3_1 = value_and_jvp_helper_fwd_da(x, 1.5, da=dx_2)  # programs.py:214
    t_1 = t_3[0]                          # programs.py:214
    helper_res = t_3[1]                   # programs.py:214
    dhelper_res = dt_3_1[1]               # programs.py:214
    result = t + t_1                      # programs.py:214
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult, t)          # programs.py:214
    dt_1 = unbroadcast(dresult, t_1)      # programs.py:214
    dhelper, ddhelper = value_and_jvp_helper_bwd_dres(helper_res, dt_1, dres=dhelper_res)  # programs.py:214
    ddx = ddhelper                        # programs.py:214
    dhelper2, ddhelper2 = value_and_jvp_helper2_bwd_dres(helper2_res, dt, dres=dhelper2_res)  # programs.py:214
    ddx = add_grad(ddx, ddhelper2)        # programs.py:214
    return as_grad(ddx, x)

def helper2_bwd(res, dresult):
    a, helper_res, t, helper_res_1, t_1, result = res
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult * t_1, t)    # programs.py:210
    dt_1 = unbroadcast(dresult * t, t_1)  # programs.py:210
    dhelper = helper_bwd(helper_res_1, dt_1)  # programs.py:210
    da = dhelper                          # programs.py:210
    dhelper_1 = helper_bwd(helper_res, dt)  # programs.py:210
    da = add_grad(da, dhelper_1)          # programs.py:210
    return as_grad(da, a)

def helper2_fwd(a):
    t, helper_res = helper_fwd(a)         # programs.py:210
    t_1, helper_res_1 = helper_fwd(a, b=3.0)  # programs.py:210
    result = t * t_1                      # programs.py:210
    return result, (a, helper_res, t, helper_res_1, t_1, result)

def helper_bwd(res, dresult):
    a, b, result = res
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult, broadcast_shape(a, b))  # programs.py:206
    da = unbroadcast(dt * b * a ** (b - 1), a)  # programs.py:206
    return da

def helper_fwd(a, b=2.0):
    t = a ** b      # programs.py:206
    result = t + b  # programs.py:206
    return result, (a, b, result)

def value_and_jvp_helper2_bwd_dres(res, dresult, dres=1.0):
    dres = init_grad(res, dres)
    dresult_ = dresult
    a = res[0]
    helper_res = res[1]
    dhelper_res = dres[1]
    t = res[2]
    dt_2 = dres[2]
    helper_res_1 = res[3]
    dhelper_res_1 = dres[3]
    t_1 = res[4]
    dt_1_1 = dres[4]
    result = res[5]
    dresult_ = init_grad(result, dresult_)
    t_2 = dresult_ * t_1                  # programs.py:210
    dt_2_1 = dresult_ * dt_1_1            # programs.py:210
    dt = unbroadcast(t_2, t)              # programs.py:210
    ddt = unbroadcast(dt_2_1, t)          # programs.py:210
    t_3 = dresult_ * t                    # programs.py:210
    dt_3 = dresult_ * dt_2                # programs.py:210
    dt_1 = unbroadcast(t_3, t_1)          # programs.py:210
    ddt_1 = unbroadcast(dt_3, t_1)        # programs.py:210
    dhelper, ddhelper = value_and_jvp_helper_bwd_dres_ddresult(helper_res_1, dt_1, dres=dhelper_res_1, ddresult=ddt_1)  # programs.py:210
    da = dhelper                          # programs.py:210
    dda = ddhelper                        # programs.py:210
    dhelper_1, ddhelper_1 = value_and_jvp_helper_bwd_dres_ddresult(helper_res, dt, dres=dhelper_res, ddresult=ddt)  # programs.py:210
    da_1 = add_grad(da, dhelper_1)        # programs.py:210
    dda_1 = add_grad(dda, ddhelper_1)     # programs.py:210
    da = da_1                             # programs.py:210
    dda = dda_1                           # programs.py:210
    return as_grad(da, a), as_grad(dda, a)

def value_and_jvp_helper2_fwd_da(a, da=1.0):
    da = init_grad(a, da)
    t_2, dt_2 = value_and_jvp_helper_fwd_da(a, da=da)  # programs.py:210
    t = t_2[0]                            # programs.py:210
    dt = dt_2[0]                          # programs.py:210
    helper_res = t_2[1]                   # programs.py:210
    dhelper_res = dt_2[1]                 # programs.py:210
    t_3, dt_3 = value_and_jvp_helper_fwd_da(a, b=3.0, da=da)  # programs.py:210
    t_1 = t_3[0]                          # programs.py:210
    dt_1 = dt_3[0]                        # programs.py:210
    helper_res_1 = t_3[1]                 # programs.py:210
    dhelper_res_1 = dt_3[1]               # programs.py:210
    result = t * t_1                      # programs.py:210
    dresult = dt * t_1 + t * dt_1         # programs.py:210
    t_4 = a, helper_res, t, helper_res_1, t_1, result
    dt_4 = da, dhelper_res, dt, dhelper_res_1, dt_1, dresult
    return (result, t_4), (dresult, dt_4)

def value_and_jvp_helper_bwd_dres(res, dresult, dres=1.0):
    dres = init_grad(res, dres)
    dresult_ = dresult
    a = res[0]
    da_1 = dres[0]
    b = res[1]
    db = dres[1]
    result = res[2]
    dresult_ = init_grad(result, dresult_)
    dt = unbroadcast(dresult_, broadcast_shape(a, b))  # programs.py:206
    t_1 = dt * b                          # programs.py:206
    dt_1 = dt * db                        # programs.py:206
    t_2 = b - 1                           # programs.py:206
    t_3 = a ** t_2                        # programs.py:206
    dt_3 = da_1 * t_2 * a ** (t_2 - 1) + db * t_3 * np.log(np.where(a > 0, a, 1.0))  # programs.py:206
    t_4 = t_1 * t_3                       # programs.py:206
    dt_4 = dt_1 * t_3 + t_1 * dt_3        # programs.py:206
    da = unbroadcast(t_4, a)              # programs.py:206
    dda = unbroadcast(dt_4, a)            # programs.py:206
    return da, dda

def value_and_jvp_helper_fwd_da(a, b=2.0, da=1.0):
    da = init_grad(a, da)
    t = a ** b                          # programs.py:206
    dt = da * b * a ** (b - 1)          # programs.py:206
    result = t + b                      # programs.py:206
    dresult = tangent_like(dt, result)  # programs.py:206
    t_1 = a, b, result
    dt_1 = da, zeros_like(b), dresult
    return (result, t_1), (dresult, dt_1)

def value_and_jvp_helper_bwd_dres_ddresult(res, dresult, dres=1.0, ddresult=1.0):
    dres = init_grad(res, dres)
    ddresult = init_grad(dresult, ddresult)
    dresult_ = dresult
    ddresult_ = ddresult
    a = res[0]
    da_1 = dres[0]
    b = res[1]
    db = dres[1]
    result = res[2]
    dresult__1 = init_grad(result, dresult_)
    ddresult__1 = init_grad(result, ddresult_)
    dresult_ = dresult__1
    ddresult_ = ddresult__1
    t = broadcast_shape(a, b)             # programs.py:206
    dt = unbroadcast(dresult_, t)         # programs.py:206
    ddt = unbroadcast(ddresult_, t)       # programs.py:206
    t_1 = dt * b                          # programs.py:206
    dt_1 = ddt * b + dt * db              # programs.py:206
    t_2 = b - 1                           # programs.py:206
    t_3 = a ** t_2                        # programs.py:206
    dt_3 = da_1 * t_2 * a ** (t_2 - 1) + db * t_3 * np.log(np.where(a > 0, a, 1.0))  # programs.py:206
    t_4 = t_1 * t_3                       # programs.py:206
    dt_4 = dt_1 * t_3 + t_1 * dt_3        # programs.py:206
    da = unbroadcast(t_4, a)              # programs.py:206
    dda = unbroadcast(dt_4, a)            # programs.py:206
    return da, dda
