# ---- reverse: s2s.grad

def dcalls_helpers_dx(x, *, dresult=1.0):
    t, helper2_res = helper2_fwd(x)       # programs.py:214
    t_1, helper_res = helper_fwd(x, 1.5)  # programs.py:214
    result = t + t_1                      # programs.py:214
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult, t)          # programs.py:214
    dhelper = helper_bwd(helper_res, unbroadcast(dresult, t_1))  # programs.py:214
    dx = dhelper                          # programs.py:214
    dhelper2 = helper2_bwd(helper2_res, dt)  # programs.py:214
    dx = add_grad(dx, dhelper2)           # programs.py:214
    return as_grad(dx, x)

def helper2_bwd(res, dresult):
    a, helper_res, t, helper_res_1, t_1, result = res
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult * t_1, t)    # programs.py:210
    dhelper = helper_bwd(helper_res_1, unbroadcast(dresult * t, t_1))  # programs.py:210
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
    da = unbroadcast(unbroadcast(dresult, broadcast_shape(a, b)) * power_slope(a, b), a)  # programs.py:206
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
    return t * t_1, dt * t_1 + t * dt_1   # programs.py:210

def value_and_jvp_helper_da(a, b=2.0, da=1.0):
    da = init_grad(a, da)
    t = a ** b                            # programs.py:206
    dt = da * power_slope(a, b)           # programs.py:206
    result = t + b                        # programs.py:206
    return result, tangent_like(dt, result)  # programs.py:206

# ---- forward over reverse: s2s.hvp

def hvp_calls_helpers_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    tmp, dtmp = value_and_jvp_helper2_fwd_da(x, da=dx)  # programs.py:214
    t = tmp[0]                            # programs.py:214
    helper2_res = tmp[1]                  # programs.py:214
    dhelper2_res = dtmp[1]                # programs.py:214
    tmp_1, dtmp_1 = value_and_jvp_helper_fwd_da(x, 1.5, da=dx)  # programs.py:214
    t_1 = tmp_1[0]                        # programs.py:214
    helper_res = tmp_1[1]                 # programs.py:214
    dhelper_res = dtmp_1[1]               # programs.py:214
    result = t + t_1                      # programs.py:214
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult, t)          # programs.py:214
    dhelper, ddhelper = value_and_jvp_helper_bwd_dres(helper_res, unbroadcast(dresult, t_1), dres=dhelper_res)  # programs.py:214
    ddx = ddhelper                        # programs.py:214
    dhelper2, ddhelper2 = value_and_jvp_helper2_bwd_dres(helper2_res, dt, dres=dhelper2_res)  # programs.py:214
    ddx = add_grad(ddx, ddhelper2)        # programs.py:214
    return as_grad(ddx, x)

def helper2_bwd(res, dresult):
    a, helper_res, t, helper_res_1, t_1, result = res
    dresult = init_grad(result, dresult)
    dt = unbroadcast(dresult * t_1, t)    # programs.py:210
    dhelper = helper_bwd(helper_res_1, unbroadcast(dresult * t, t_1))  # programs.py:210
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
    da = unbroadcast(unbroadcast(dresult, broadcast_shape(a, b)) * power_slope(a, b), a)  # programs.py:206
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
    d_t = dres[2]
    helper_res_1 = res[3]
    dhelper_res_1 = dres[3]
    t_1 = res[4]
    d_t_1 = dres[4]
    result = res[5]
    dresult_ = init_grad(result, dresult_)
    tmp = dresult_ * t_1                  # programs.py:210
    dtmp = dresult_ * d_t_1               # programs.py:210
    dt = unbroadcast(tmp, t)              # programs.py:210
    ddt = unbroadcast(dtmp, t)            # programs.py:210
    tmp_1 = dresult_ * t                  # programs.py:210
    dhelper, ddhelper = value_and_jvp_helper_bwd_dres_ddresult(helper_res_1, unbroadcast(tmp_1, t_1), dres=dhelper_res_1, ddresult=unbroadcast(dresult_ * d_t, t_1))  # programs.py:210
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
    tmp, dtmp = value_and_jvp_helper_fwd_da(a, da=da)  # programs.py:210
    t = tmp[0]                            # programs.py:210
    dt = dtmp[0]                          # programs.py:210
    helper_res = tmp[1]                   # programs.py:210
    dhelper_res = dtmp[1]                 # programs.py:210
    tmp_1, dtmp_1 = value_and_jvp_helper_fwd_da(a, b=3.0, da=da)  # programs.py:210
    t_1 = tmp_1[0]                        # programs.py:210
    dt_1 = dtmp_1[0]                      # programs.py:210
    helper_res_1 = tmp_1[1]               # programs.py:210
    dhelper_res_1 = dtmp_1[1]             # programs.py:210
    result = t * t_1                      # programs.py:210
    dresult = dt * t_1 + t * dt_1         # programs.py:210
    tmp_2 = a, helper_res, t, helper_res_1, t_1, result
    return (result, tmp_2), (dresult, (da, dhelper_res, dt, dhelper_res_1, dt_1, dresult))

def value_and_jvp_helper_bwd_dres(res, dresult, dres=1.0):
    dres = init_grad(res, dres)
    dresult_ = dresult
    a = res[0]
    d_a = dres[0]
    b = res[1]
    db = dres[1]
    result = res[2]
    dresult_ = init_grad(result, dresult_)
    t_1 = unbroadcast(dresult_, broadcast_shape(a, b))  # programs.py:206
    t_2 = power_slope(a, b)               # programs.py:206
    dt_2 = tangent_like(d_a * power_slope(a, b, 2) + db * power_slope_dy(a, b, 1), t_2)  # programs.py:206
    t_3 = t_1 * t_2                       # programs.py:206
    dt_3 = t_1 * dt_2                     # programs.py:206
    da = unbroadcast(t_3, a)              # programs.py:206
    dda = unbroadcast(dt_3, a)            # programs.py:206
    return da, dda

def value_and_jvp_helper_fwd_da(a, b=2.0, da=1.0):
    da = init_grad(a, da)
    t = a ** b                          # programs.py:206
    dt = da * power_slope(a, b)         # programs.py:206
    result = t + b                      # programs.py:206
    dresult = tangent_like(dt, result)  # programs.py:206
    return (result, (a, b, result)), (dresult, (da, zeros_like(b), dresult))

def value_and_jvp_helper_bwd_dres_ddresult(res, dresult, dres=1.0, ddresult=1.0):
    dres = init_grad(res, dres)
    ddresult = init_grad(dresult, ddresult)
    dresult_ = dresult
    ddresult_ = ddresult
    a = res[0]
    d_a = dres[0]
    b = res[1]
    db = dres[1]
    result = res[2]
    dresult__1 = init_grad(result, dresult_)
    ddresult__1 = init_grad(result, ddresult_)
    dresult_ = dresult__1
    ddresult_ = ddresult__1
    t = broadcast_shape(a, b)             # programs.py:206
    t_1 = unbroadcast(dresult_, t)        # programs.py:206
    dt_1 = unbroadcast(ddresult_, t)      # programs.py:206
    t_2 = power_slope(a, b)               # programs.py:206
    dt_2 = tangent_like(d_a * power_slope(a, b, 2) + db * power_slope_dy(a, b, 1), t_2)  # programs.py:206
    t_3 = t_1 * t_2                       # programs.py:206
    dt_3 = dt_1 * t_2 + t_1 * dt_2        # programs.py:206
    da = unbroadcast(t_3, a)              # programs.py:206
    dda = unbroadcast(dt_3, a)            # programs.py:206
    return da, dda
