# ---- reverse: s2s.grad

def dsigmoid_loss_dbeta(beta, x, y, *, dresult=1.0):
    t_1, sigmoid_res = sigmoid_fwd(x * beta)  # programs.py:295
    t_2 = t_1 - y                         # programs.py:295
    dt_3 = grad_reduce(dresult, t_2, None, False)  # programs.py:295
    dt_2 = dt_3 * 2 * t_2                 # programs.py:295
    dt_1 = unbroadcast(dt_2, t_1)         # programs.py:295
    dsigmoid = sigmoid_bwd(sigmoid_res, dt_1)  # programs.py:295
    dbeta = unbroadcast(dsigmoid * x, beta)  # programs.py:295
    return dbeta

def sigmoid_bwd(res, dresult):
    t_1, t_2, result = res
    dresult = init_grad(result, dresult)
    dt_2 = -dresult * result / t_2  # programs.py:291
    dt = dt_2 * t_1                 # programs.py:291
    dz = -dt                        # programs.py:291
    return dz

def sigmoid_fwd(z):
    t_1 = np.exp(-z)    # programs.py:291
    t_2 = 1.0 + t_1     # programs.py:291
    result = 1.0 / t_2  # programs.py:291
    return result, (t_1, t_2, result)

# ---- forward: s2s.jvp

def jvp_sigmoid_loss_dbeta(beta, x, y, dbeta=1.0):
    dbeta = init_grad(beta, dbeta)
    t = x * beta                          # programs.py:295
    t_1, dt_1 = value_and_jvp_sigmoid_dz(t, dz=x * dbeta)  # programs.py:295
    t_2 = t_1 - y                         # programs.py:295
    return np.sum(tangent_like(dt_1, t_2) * 2 * t_2)  # programs.py:295

def value_and_jvp_sigmoid_dz(z, dz=1.0):
    dz = init_grad(z, dz)
    t = -z                                # programs.py:291
    dt = -dz                              # programs.py:291
    t_1 = np.exp(t)                       # programs.py:291
    dt_1 = dt * t_1                       # programs.py:291
    t_2 = 1.0 + t_1                       # programs.py:291
    result = 1.0 / t_2                    # programs.py:291
    return result, -(result * dt_1) / t_2  # programs.py:291

# ---- forward over reverse: s2s.hvp

def hvp_sigmoid_loss_dbeta(beta, x, y, d_beta=1.0):
    d_beta = init_grad(beta, d_beta)
    t = x * beta                          # programs.py:295
    t_3, d_t_3 = value_and_jvp_sigmoid_fwd_dz(t, dz=x * d_beta)  # programs.py:295
    t_1 = t_3[0]                          # programs.py:295
    d_t_1 = d_t_3[0]                      # programs.py:295
    sigmoid_res = t_3[1]                  # programs.py:295
    dsigmoid_res = d_t_3[1]               # programs.py:295
    t_2 = t_1 - y                         # programs.py:295
    d_t_2 = tangent_like(d_t_1, t_2)      # programs.py:295
    dt_3 = grad_reduce(seed, t_2, None, False)  # programs.py:295
    t_4 = dt_3 * 2                        # programs.py:295
    dt_2 = t_4 * t_2                      # programs.py:295
    ddt_2 = t_4 * d_t_2                   # programs.py:295
    dt_1 = unbroadcast(dt_2, t_1)         # programs.py:295
    ddt_1 = unbroadcast(ddt_2, t_1)       # programs.py:295
    dsigmoid, ddsigmoid = value_and_jvp_sigmoid_bwd_dres_ddresult(sigmoid_res, dt_1, dres=dsigmoid_res, ddresult=ddt_1)  # programs.py:295
    ddbeta = unbroadcast(ddsigmoid * x, beta)  # programs.py:295
    return ddbeta

def sigmoid_bwd(res, dresult):
    t_1, t_2, result = res
    dresult = init_grad(result, dresult)
    dt_2 = -dresult * result / t_2  # programs.py:291
    dt = dt_2 * t_1                 # programs.py:291
    dz = -dt                        # programs.py:291
    return dz

def sigmoid_fwd(z):
    t_1 = np.exp(-z)    # programs.py:291
    t_2 = 1.0 + t_1     # programs.py:291
    result = 1.0 / t_2  # programs.py:291
    return result, (t_1, t_2, result)

def value_and_jvp_sigmoid_bwd_dres_ddresult(res, dresult, dres=1.0, ddresult=1.0):
    dres = init_grad(res, dres)
    ddresult = init_grad(dresult, ddresult)
    dresult_ = dresult
    ddresult_ = ddresult
    t_1 = res[0]
    d_t_1 = dres[0]
    t_2 = res[1]
    d_t_2 = dres[1]
    result = res[2]
    d_result = dres[2]
    dresult__1 = init_grad(result, dresult_)
    ddresult__1 = init_grad(result, ddresult_)
    dresult_ = dresult__1
    ddresult_ = ddresult__1
    tmp = -dresult_                       # programs.py:291
    dtmp = -ddresult_                     # programs.py:291
    tmp_1 = tmp * result                  # programs.py:291
    dtmp_1 = dtmp * result + tmp * d_result  # programs.py:291
    dt_2 = tmp_1 / t_2                    # programs.py:291
    ddt_2 = (dtmp_1 - dt_2 * d_t_2) / t_2  # programs.py:291
    dt = dt_2 * t_1                       # programs.py:291
    ddt = ddt_2 * t_1 + dt_2 * d_t_1      # programs.py:291
    dz = -dt                              # programs.py:291
    ddz = -ddt                            # programs.py:291
    return dz, ddz

def value_and_jvp_sigmoid_fwd_dz(z, dz=1.0):
    dz = init_grad(z, dz)
    t = -z                            # programs.py:291
    dt = -dz                          # programs.py:291
    t_1 = np.exp(t)                   # programs.py:291
    dt_1 = dt * t_1                   # programs.py:291
    t_2 = 1.0 + t_1                   # programs.py:291
    result = 1.0 / t_2                # programs.py:291
    dresult = -(result * dt_1) / t_2  # programs.py:291
    t_3 = t_1, t_2, result
    return (result, t_3), (dresult, (dt_1, dt_1, dresult))
