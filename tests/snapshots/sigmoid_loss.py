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

def hvp_sigmoid_loss_dbeta(beta, x, y, dbeta_1=1.0):
    dbeta_1 = init_grad(beta, dbeta_1)
    t = x * beta                          # dsigmoid_loss_dbeta_6f88643f64ad.py:3
    t_3, dt_3_1 = value_and_jvp_sigmoid_fwd_dz(t, dz=x * dbeta_1)  # dsigmoid_loss_dbeta_6f88643f64ad.py:3
    t_1 = t_3[0]                          # dsigmoid_loss_dbeta_6f88643f64ad.py:3
    dt_1_1 = dt_3_1[0]                    # dsigmoid_loss_dbeta_6f88643f64ad.py:3
    sigmoid_res = t_3[1]                  # dsigmoid_loss_dbeta_6f88643f64ad.py:3
    dsigmoid_res = dt_3_1[1]              # dsigmoid_loss_dbeta_6f88643f64ad.py:3
    t_2 = t_1 - y                         # dsigmoid_loss_dbeta_6f88643f64ad.py:4
    dt_2_1 = tangent_like(dt_1_1, t_2)    # dsigmoid_loss_dbeta_6f88643f64ad.py:4
    dt_3 = grad_reduce(seed, t_2, None, False)  # dsigmoid_loss_dbeta_6f88643f64ad.py:5
    t_4 = dt_3 * 2                        # dsigmoid_loss_dbeta_6f88643f64ad.py:6
    dt_2 = t_4 * t_2                      # dsigmoid_loss_dbeta_6f88643f64ad.py:6
    ddt_2 = t_4 * dt_2_1                  # dsigmoid_loss_dbeta_6f88643f64ad.py:6
    dt_1 = unbroadcast(dt_2, t_1)         # dsigmoid_loss_dbeta_6f88643f64ad.py:7
    ddt_1 = unbroadcast(ddt_2, t_1)       # dsigmoid_loss_dbeta_6f88643f64ad.py:7
    dsigmoid, ddsigmoid = value_and_jvp_sigmoid_bwd_dres_ddresult(sigmoid_res, dt_1, dres=dsigmoid_res, ddresult=ddt_1)  # dsigmoid_loss_dbeta_6f88643f64ad.py:8
    ddbeta = unbroadcast(ddsigmoid * x, beta)  # dsigmoid_loss_dbeta_6f88643f64ad.py:9
    return ddbeta                         # dsigmoid_loss_dbeta_6f88643f64ad.py:10

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
    dresult_ = dresult                    # sigmoid_bwd_2f57fc6e7bd4.py:3
    ddresult_ = ddresult                  # sigmoid_bwd_2f57fc6e7bd4.py:3
    t_1 = res[0]                          # sigmoid_bwd_2f57fc6e7bd4.py:3
    dt_1 = dres[0]                        # sigmoid_bwd_2f57fc6e7bd4.py:3
    t_2 = res[1]                          # sigmoid_bwd_2f57fc6e7bd4.py:3
    dt_2_1 = dres[1]                      # sigmoid_bwd_2f57fc6e7bd4.py:3
    result = res[2]                       # sigmoid_bwd_2f57fc6e7bd4.py:3
    dresult_1 = dres[2]                   # sigmoid_bwd_2f57fc6e7bd4.py:3
    dresult__1 = init_grad(result, dresult_)  # sigmoid_bwd_2f57fc6e7bd4.py:4
    ddresult__1 = init_grad(result, ddresult_)  # sigmoid_bwd_2f57fc6e7bd4.py:4
    dresult_ = dresult__1                 # sigmoid_bwd_2f57fc6e7bd4.py:4
    ddresult_ = ddresult__1               # sigmoid_bwd_2f57fc6e7bd4.py:4
    t = -dresult_                         # sigmoid_bwd_2f57fc6e7bd4.py:5
    dt_3 = -ddresult_                     # sigmoid_bwd_2f57fc6e7bd4.py:5
    t_3 = t * result                      # sigmoid_bwd_2f57fc6e7bd4.py:5
    dt_3_1 = dt_3 * result + t * dresult_1  # sigmoid_bwd_2f57fc6e7bd4.py:5
    dt_2 = t_3 / t_2                      # sigmoid_bwd_2f57fc6e7bd4.py:5
    ddt_2 = (dt_3_1 - dt_2 * dt_2_1) / t_2  # sigmoid_bwd_2f57fc6e7bd4.py:5
    dt = dt_2 * t_1                       # sigmoid_bwd_2f57fc6e7bd4.py:6
    ddt = ddt_2 * t_1 + dt_2 * dt_1       # sigmoid_bwd_2f57fc6e7bd4.py:6
    dz = -dt                              # sigmoid_bwd_2f57fc6e7bd4.py:7
    ddz = -ddt                            # sigmoid_bwd_2f57fc6e7bd4.py:7
    return dz, ddz                        # sigmoid_bwd_2f57fc6e7bd4.py:8

def value_and_jvp_sigmoid_fwd_dz(z, dz=1.0):
    dz = init_grad(z, dz)
    t = -z                                # sigmoid_fwd_e2f0aff870ce.py:3
    dt = -dz                              # sigmoid_fwd_e2f0aff870ce.py:3
    t_1 = np.exp(t)                       # sigmoid_fwd_e2f0aff870ce.py:3
    dt_1 = dt * t_1                       # sigmoid_fwd_e2f0aff870ce.py:3
    t_2 = 1.0 + t_1                       # sigmoid_fwd_e2f0aff870ce.py:4
    result = 1.0 / t_2                    # sigmoid_fwd_e2f0aff870ce.py:5
    dresult = -(result * dt_1) / t_2      # sigmoid_fwd_e2f0aff870ce.py:5
    t_3 = t_1, t_2, result                # sigmoid_fwd_e2f0aff870ce.py:6
    return (result, t_3), (dresult, (dt_1, dt_1, dresult))  # sigmoid_fwd_e2f0aff870ce.py:6
