# ---- reverse: s2s.grad

def dsigmoid_loss_dbeta(beta, x, y, *, dresult=1.0):
    t_1, sigmoid_res = sigmoid_fwd(x * beta)  # programs.py:295
    t_2 = t_1 - y                         # programs.py:295
    dsigmoid = sigmoid_bwd(sigmoid_res, unbroadcast(grad_reduce(dresult, t_2, None, False) * 2 * t_2, t_1))  # programs.py:295
    dbeta = unbroadcast(dsigmoid * x, beta)  # programs.py:295
    return dbeta

def sigmoid_bwd(res, dresult):
    t_1, t_2, result = res
    dresult = init_grad(result, dresult)
    dz = -(-dresult * result / t_2 * t_1)  # programs.py:291
    return dz

def sigmoid_fwd(z):
    t_1 = np.exp(-z)    # programs.py:291
    t_2 = 1.0 + t_1     # programs.py:291
    result = 1.0 / t_2  # programs.py:291
    return result, (t_1, t_2, result)

# ---- forward: s2s.jvp

def jvp_sigmoid_loss_dbeta(beta, x, y, dbeta=1.0):
    dbeta = init_grad(beta, dbeta)
    t_1, dt_1 = value_and_jvp_sigmoid_dz(x * beta, dz=x * dbeta)  # programs.py:295
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

def hvp_sigmoid_loss_dbeta(beta, x, y, dbeta=1.0):
    dbeta = init_grad(beta, dbeta)
    t_3, dt_3 = value_and_jvp_sigmoid_fwd_dz(x * beta, dz=x * dbeta)  # programs.py:295
    t_1 = t_3[0]                          # programs.py:295
    dt_1 = dt_3[0]                        # programs.py:295
    sigmoid_res = t_3[1]                  # programs.py:295
    dsigmoid_res = dt_3[1]                # programs.py:295
    t_2 = t_1 - y                         # programs.py:295
    dt_2 = tangent_like(dt_1, t_2)        # programs.py:295
    t_5 = grad_reduce(seed, t_2, None, False) * 2  # programs.py:295
    t_6 = t_5 * t_2                       # programs.py:295
    dsigmoid, ddsigmoid = value_and_jvp_sigmoid_bwd_dres_ddresult(sigmoid_res, unbroadcast(t_6, t_1), dres=dsigmoid_res, ddresult=unbroadcast(t_5 * dt_2, t_1))  # programs.py:295
    ddbeta = unbroadcast(ddsigmoid * x, beta)  # programs.py:295
    return ddbeta

def sigmoid_bwd(res, dresult):
    t_1, t_2, result = res
    dresult = init_grad(result, dresult)
    dz = -(-dresult * result / t_2 * t_1)  # programs.py:291
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
    dt_1 = dres[0]
    t_2 = res[1]
    dt_2 = dres[1]
    result = res[2]
    d_result = dres[2]
    dresult__1 = init_grad(result, dresult_)
    ddresult__1 = init_grad(result, ddresult_)
    dresult_ = dresult__1
    ddresult_ = ddresult__1
    t = -dresult_                      # programs.py:291
    dt = -ddresult_                    # programs.py:291
    t_3 = t * result                   # programs.py:291
    dt_3 = dt * result + t * d_result  # programs.py:291
    t_4 = t_3 / t_2                    # programs.py:291
    dt_4 = (dt_3 - t_4 * dt_2) / t_2   # programs.py:291
    t_5 = t_4 * t_1                    # programs.py:291
    dt_5 = dt_4 * t_1 + t_4 * dt_1     # programs.py:291
    dz = -t_5                          # programs.py:291
    ddz = -dt_5                        # programs.py:291
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
    return (result, (t_1, t_2, result)), (dresult, (dt_1, dt_1, dresult))
