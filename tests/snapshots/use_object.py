# ---- reverse: s2s.grad

def duse_object_dx(x, *, dresult=1.0):
    result, forward_res = forward_fwd(layer, x * 2.0)  # programs.py:263
    dresult = init_grad(result, dresult)
    dforward = forward_bwd(forward_res, dresult)  # programs.py:263
    dx = dforward * 2.0                   # programs.py:263
    return dx

def forward_bwd(res, dresult):
    x, t, act_res, t_1 = res
    dact = act_bwd(act_res, grad_reduce(dresult, t_1, None, False) * 2 * t_1)  # programs.py:256
    dx = matmul_grad_y(dact, t, x)        # programs.py:255
    return dx

def forward_fwd(self, x):
    t = self.W                       # programs.py:255
    h = t @ x                        # programs.py:255
    t_1, act_res = act_fwd(self, h)  # programs.py:256
    t_2 = t_1 ** 2                   # programs.py:256
    return np.sum(t_2), (x, t, act_res, t_1)

def act_bwd(result, dresult):
    dresult = init_grad(result, dresult)
    dh = dresult * (1 - result * result)  # programs.py:252
    return dh

def act_fwd(self, h):
    result = np.tanh(h)  # programs.py:252
    return result, result

# ---- forward: s2s.jvp

def jvp_use_object_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    result, dresult = value_and_jvp_forward_dx(layer, x * 2.0, dx=dx * 2.0)  # programs.py:263
    return dresult                        # programs.py:263

def value_and_jvp_forward_dx(self, x, dx=1.0):
    dx = init_grad(x, dx)
    t = self.W                            # programs.py:255
    h = t @ x                             # programs.py:255
    dh = t @ dx                           # programs.py:255
    t_1, dt_1 = value_and_jvp_act_dh(self, h, dh=dh)  # programs.py:256
    return np.sum(t_1 ** 2), np.sum(dt_1 * 2 * t_1)  # programs.py:256

def value_and_jvp_act_dh(self, h, dh=1.0):
    dh = init_grad(h, dh)
    result = np.tanh(h)                   # programs.py:252
    return result, dh * (1 - result * result)  # programs.py:252

# ---- forward over reverse: s2s.hvp

def hvp_use_object_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    t_1, dt_1 = value_and_jvp_forward_fwd_dx(layer, x * 2.0, dx=dx * 2.0)  # programs.py:263
    result = t_1[0]                       # programs.py:263
    forward_res = t_1[1]                  # programs.py:263
    dforward_res = dt_1[1]                # programs.py:263
    dresult = init_grad(result, dresult)
    dforward, ddforward = value_and_jvp_forward_bwd_dres(forward_res, dresult, dres=dforward_res)  # programs.py:263
    ddx = ddforward * 2.0                 # programs.py:263
    return ddx

def forward_bwd(res, dresult):
    x, t, act_res, t_1 = res
    dact = act_bwd(act_res, grad_reduce(dresult, t_1, None, False) * 2 * t_1)  # programs.py:256
    dx = matmul_grad_y(dact, t, x)        # programs.py:255
    return dx

def forward_fwd(self, x):
    t = self.W                       # programs.py:255
    h = t @ x                        # programs.py:255
    t_1, act_res = act_fwd(self, h)  # programs.py:256
    t_2 = t_1 ** 2                   # programs.py:256
    return np.sum(t_2), (x, t, act_res, t_1)

def value_and_jvp_forward_bwd_dres(res, dresult, dres=1.0):
    dres = init_grad(res, dres)
    x = res[0]
    t = res[1]
    dt = dres[1]
    act_res = res[2]
    dact_res = dres[2]
    t_1 = res[3]
    dt_1 = dres[3]
    tmp_1 = grad_reduce(dresult, t_1, None, False) * 2  # programs.py:256
    dact, ddact = value_and_jvp_act_bwd_dresult_ddresult(act_res, tmp_1 * t_1, d_result=dact_res, ddresult=tmp_1 * dt_1)  # programs.py:256
    dx = matmul_grad_y(dact, t, x)        # programs.py:255
    ddx = matmul_grad_y(ddact, t, x) + matmul_grad_y(dact, dt, x)  # programs.py:255
    return dx, ddx

def value_and_jvp_forward_fwd_dx(self, x, dx=1.0):
    dx = init_grad(x, dx)
    t = self.W                            # programs.py:255
    h = t @ x                             # programs.py:255
    dh = t @ dx                           # programs.py:255
    tmp, dtmp = value_and_jvp_act_fwd_dh(self, h, dh=dh)  # programs.py:256
    t_1 = tmp[0]                          # programs.py:256
    dt_1 = dtmp[0]                        # programs.py:256
    act_res = tmp[1]                      # programs.py:256
    dact_res = dtmp[1]                    # programs.py:256
    t_2 = t_1 ** 2                        # programs.py:256
    dt_2 = dt_1 * 2 * t_1                 # programs.py:256
    tmp_1 = np.sum(t_2)
    dtmp_1 = np.sum(dt_2)
    return (tmp_1, (x, t, act_res, t_1)), (dtmp_1, (dx, zeros_like(t), dact_res, dt_1))

def act_bwd(result, dresult):
    dresult = init_grad(result, dresult)
    dh = dresult * (1 - result * result)  # programs.py:252
    return dh

def act_fwd(self, h):
    result = np.tanh(h)  # programs.py:252
    return result, result

def value_and_jvp_act_bwd_dresult_ddresult(result, dresult, d_result=1.0, ddresult=1.0):
    d_result = init_grad(result, d_result)
    ddresult = init_grad(dresult, ddresult)
    dresult_ = dresult
    ddresult_ = ddresult
    dresult__1 = init_grad(result, dresult_)
    ddresult__1 = init_grad(result, ddresult_)
    dresult_ = dresult__1
    ddresult_ = ddresult__1
    t = result ** 2                       # programs.py:252
    dt = d_result * 2 * result            # programs.py:252
    t_1 = 1 - t                           # programs.py:252
    dt_1 = -dt                            # programs.py:252
    dh = dresult_ * t_1                   # programs.py:252
    ddh = ddresult_ * t_1 + dresult_ * dt_1  # programs.py:252
    return dh, ddh

def value_and_jvp_act_fwd_dh(self, h, dh=1.0):
    dh = init_grad(h, dh)
    result = np.tanh(h)                   # programs.py:252
    dresult = dh * (1 - result * result)  # programs.py:252
    return (result, result), (dresult, dresult)
