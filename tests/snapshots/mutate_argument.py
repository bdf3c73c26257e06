# ---- reverse: s2s.grad

def dmutate_argument_dx(x, *, dresult=1.0):
    x_ = copy_value(x)                    # programs.py:143
    t_1 = x_[1] * 2.0                     # programs.py:143
    x_[0] = t_1                           # programs.py:143
    t_3 = x_[1] * 3.0                     # programs.py:144
    x_[1] = t_3                           # programs.py:144
    dt_4 = grad_reduce(dresult, x_, None, False)  # programs.py:145
    dx_ = dt_4 * 2 * x_                   # programs.py:145
    dt_3 = unbroadcast(copy_grad(dx_[1]), t_3)  # programs.py:144
    dx_ = copy_grad(dx_)                  # programs.py:144
    dx_[1] = 0.0                          # programs.py:144
    dt_2 = dt_3 * 3.0                     # programs.py:144
    dx_[1] = dx_[1] + dt_2                # programs.py:144
    dt_1 = unbroadcast(copy_grad(dx_[0]), t_1)  # programs.py:143
    dx_[0] = 0.0                          # programs.py:143
    dt = dt_1 * 2.0                       # programs.py:143
    dx_[1] = dx_[1] + dt                  # programs.py:143
    return as_grad(dx_, x)

# ---- forward: s2s.jvp

def jvp_mutate_argument_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    x_ = copy_value(x)           # programs.py:143
    dx_ = copy_value(dx)         # programs.py:143
    t = x_[1]                    # programs.py:143
    dt = dx_[1]                  # programs.py:143
    t_1 = t * 2.0                # programs.py:143
    dt_1 = dt * 2.0              # programs.py:143
    x_[0] = t_1                  # programs.py:143
    dx_[0] = dt_1                # programs.py:143
    t_2 = x_[1]                  # programs.py:144
    dt_2 = dx_[1]                # programs.py:144
    t_3 = t_2 * 3.0              # programs.py:144
    dt_3 = dt_2 * 3.0            # programs.py:144
    x_[1] = t_3                  # programs.py:144
    dx_[1] = dt_3                # programs.py:144
    return np.sum(dx_ * 2 * x_)  # programs.py:145

# ---- forward over reverse: s2s.hvp

def hvp_mutate_argument_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    x_ = copy_value(x)                    # programs.py:143
    d_x_ = copy_value(dx)                 # programs.py:143
    tmp = x_[1]                           # programs.py:143
    dtmp = d_x_[1]                        # programs.py:143
    t_1 = tmp * 2.0                       # programs.py:143
    d_t_1 = dtmp * 2.0                    # programs.py:143
    x_[0] = t_1                           # programs.py:143
    d_x_[0] = d_t_1                       # programs.py:143
    tmp_1 = x_[1]                         # programs.py:144
    dtmp_1 = d_x_[1]                      # programs.py:144
    t_3 = tmp_1 * 3.0                     # programs.py:144
    d_t_3 = dtmp_1 * 3.0                  # programs.py:144
    x_[1] = t_3                           # programs.py:144
    d_x_[1] = d_t_3                       # programs.py:144
    dt_4 = grad_reduce(seed, x_, None, False)  # programs.py:145
    tmp_2 = dt_4 * 2                      # programs.py:145
    dx_ = tmp_2 * x_                      # programs.py:145
    ddx_ = tmp_2 * d_x_                   # programs.py:145
    tmp_3 = dx_[1]                        # programs.py:144
    dtmp_3 = ddx_[1]                      # programs.py:144
    tmp_4 = copy_grad(tmp_3)              # programs.py:144
    dtmp_4 = copy_grad(dtmp_3)            # programs.py:144
    dt_3 = unbroadcast(tmp_4, t_3)        # programs.py:144
    ddt_3 = unbroadcast(dtmp_4, t_3)      # programs.py:144
    dx__1 = copy_grad(dx_)                # programs.py:144
    ddx__1 = copy_grad(ddx_)              # programs.py:144
    dx_ = dx__1                           # programs.py:144
    ddx_ = ddx__1                         # programs.py:144
    dx_[1] = 0.0                          # programs.py:144
    ddx_[1] = 0.0                         # programs.py:144
    dt_2 = dt_3 * 3.0                     # programs.py:144
    ddt_2 = ddt_3 * 3.0                   # programs.py:144
    tmp_5 = dx_[1]                        # programs.py:144
    dtmp_5 = ddx_[1]                      # programs.py:144
    tmp_6 = tmp_5 + dt_2                  # programs.py:144
    dtmp_6 = dtmp_5 + ddt_2               # programs.py:144
    dx_[1] = tmp_6                        # programs.py:144
    ddx_[1] = dtmp_6                      # programs.py:144
    tmp_7 = dx_[0]                        # programs.py:143
    dtmp_7 = ddx_[0]                      # programs.py:143
    tmp_8 = copy_grad(tmp_7)              # programs.py:143
    dtmp_8 = copy_grad(dtmp_7)            # programs.py:143
    dt_1 = unbroadcast(tmp_8, t_1)        # programs.py:143
    ddt_1 = unbroadcast(dtmp_8, t_1)      # programs.py:143
    dx_[0] = 0.0                          # programs.py:143
    ddx_[0] = 0.0                         # programs.py:143
    dt = dt_1 * 2.0                       # programs.py:143
    ddt = ddt_1 * 2.0                     # programs.py:143
    tmp_9 = dx_[1]                        # programs.py:143
    dtmp_9 = ddx_[1]                      # programs.py:143
    tmp_10 = tmp_9 + dt                   # programs.py:143
    dtmp_10 = dtmp_9 + ddt                # programs.py:143
    dx_[1] = tmp_10                       # programs.py:143
    ddx_[1] = dtmp_10                     # programs.py:143
    return as_grad(ddx_, x)
