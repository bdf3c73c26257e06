# ---- reverse: s2s.grad

def dforward_dx(self, x, *, dresult=1.0):
    t = self.W                            # programs.py:255
    h = t @ x                             # programs.py:255
    t_1, act_res = act_fwd(self, h)       # programs.py:256
    dact = act_bwd(act_res, grad_reduce(dresult, t_1, None, False) * 2 * t_1)  # programs.py:256
    dx = matmul_grad_y(dact, t, x)        # programs.py:255
    return dx

def act_bwd(result, dresult):
    dresult = init_grad(result, dresult)
    dh = dresult * (1 - result * result)  # programs.py:252
    return dh

def act_fwd(self, h):
    result = np.tanh(h)  # programs.py:252
    return result, result

# ---- forward: s2s.jvp

def jvp_forward_dx(self, x, dx=1.0):
    dx = init_grad(x, dx)
    t = self.W                            # programs.py:255
    h = t @ x                             # programs.py:255
    dh = t @ dx                           # programs.py:255
    t_1, dt_1 = value_and_jvp_act_dh(self, h, dh=dh)  # programs.py:256
    return np.sum(dt_1 * 2 * t_1)         # programs.py:256

def value_and_jvp_act_dh(self, h, dh=1.0):
    dh = init_grad(h, dh)
    result = np.tanh(h)                   # programs.py:252
    return result, dh * (1 - result * result)  # programs.py:252

# ---- forward over reverse: s2s.hvp

def hvp_forward_dx(self, x, dx=1.0):
    dx = init_grad(x, dx)
    t = self.W                            # programs.py:255
    h = t @ x                             # programs.py:255
    dh = t @ dx                           # programs.py:255
    tmp, dtmp = value_and_jvp_act_fwd_dh(self, h, dh=dh)  # programs.py:256
    t_1 = tmp[0]                          # programs.py:256
    dt_1 = dtmp[0]                        # programs.py:256
    act_res = tmp[1]                      # programs.py:256
    dact_res = dtmp[1]                    # programs.py:256
    tmp_2 = grad_reduce(seed, t_1, None, False) * 2  # programs.py:256
    dact, ddact = value_and_jvp_act_bwd_dresult_ddresult(act_res, tmp_2 * t_1, d_result=dact_res, ddresult=tmp_2 * dt_1)  # programs.py:256
    ddx = matmul_grad_y(ddact, t, x)      # programs.py:255
    return ddx

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
