# ---- reverse: s2s.grad

def dforward_dx(self, x, *, dresult=1.0):
    t = self.W                            # programs.py:255
    h = t @ x                             # programs.py:255
    t_1, act_res = act_fwd(self, h)       # programs.py:256
    dt_2 = grad_reduce(dresult, t_1, None, False)  # programs.py:256
    dt_1 = dt_2 * 2 * t_1                 # programs.py:256
    dact = act_bwd(act_res, dt_1)         # programs.py:256
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

def hvp_forward_dx(self, x, dx_1=1.0):
    dx_1 = init_grad(x, dx_1)
    t = self.W                            # dforward_dx_116370643d62.py:3
    h = t @ x                             # dforward_dx_116370643d62.py:4
    dh = t @ dx_1                         # dforward_dx_116370643d62.py:4
    t_2, dt_2_1 = value_and_jvp_act_fwd_dh(self, h, dh=dh)  # dforward_dx_116370643d62.py:5
    t_1 = t_2[0]                          # dforward_dx_116370643d62.py:5
    dt_1_1 = dt_2_1[0]                    # dforward_dx_116370643d62.py:5
    act_res = t_2[1]                      # dforward_dx_116370643d62.py:5
    dact_res = dt_2_1[1]                  # dforward_dx_116370643d62.py:5
    dt_2 = grad_reduce(seed, t_1, None, False)  # dforward_dx_116370643d62.py:6
    t_3 = dt_2 * 2                        # dforward_dx_116370643d62.py:7
    dt_1 = t_3 * t_1                      # dforward_dx_116370643d62.py:7
    ddt_1 = t_3 * dt_1_1                  # dforward_dx_116370643d62.py:7
    dact, ddact = value_and_jvp_act_bwd_dresult_ddresult(act_res, dt_1, dresult_1=dact_res, ddresult=ddt_1)  # dforward_dx_116370643d62.py:8
    ddx = matmul_grad_y(ddact, t, x)      # dforward_dx_116370643d62.py:9
    return ddx                            # dforward_dx_116370643d62.py:10

def act_bwd(result, dresult):
    dresult = init_grad(result, dresult)
    dh = dresult * (1 - result * result)  # programs.py:252
    return dh

def act_fwd(self, h):
    result = np.tanh(h)  # programs.py:252
    return result, result

def value_and_jvp_act_bwd_dresult_ddresult(result, dresult, dresult_1=1.0, ddresult=1.0):
    dresult_1 = init_grad(result, dresult_1)
    ddresult = init_grad(dresult, ddresult)
    dresult_ = dresult                    # act_bwd_2fb23cdc7b08.py:3
    ddresult_ = ddresult                  # act_bwd_2fb23cdc7b08.py:3
    dresult__1 = init_grad(result, dresult_)  # act_bwd_2fb23cdc7b08.py:3
    ddresult__1 = init_grad(result, ddresult_)  # act_bwd_2fb23cdc7b08.py:3
    dresult_ = dresult__1                 # act_bwd_2fb23cdc7b08.py:3
    ddresult_ = ddresult__1               # act_bwd_2fb23cdc7b08.py:3
    t = result ** 2                       # act_bwd_2fb23cdc7b08.py:4
    dt = dresult_1 * 2 * result           # act_bwd_2fb23cdc7b08.py:4
    t_1 = 1 - t                           # act_bwd_2fb23cdc7b08.py:4
    dt_1 = -dt                            # act_bwd_2fb23cdc7b08.py:4
    dh = dresult_ * t_1                   # act_bwd_2fb23cdc7b08.py:4
    ddh = ddresult_ * t_1 + dresult_ * dt_1  # act_bwd_2fb23cdc7b08.py:4
    return dh, ddh                        # act_bwd_2fb23cdc7b08.py:5

def value_and_jvp_act_fwd_dh(self, h, dh=1.0):
    dh = init_grad(h, dh)
    result = np.tanh(h)                   # act_fwd_fe56e7d62377.py:3
    dresult = dh * (1 - result * result)  # act_fwd_fe56e7d62377.py:3
    return (result, result), (dresult, dresult)  # act_fwd_fe56e7d62377.py:4
