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
    dx__2 = copy_value(dx)                # programs.py:143
    t = x_[1]                             # programs.py:143
    dt_5 = dx__2[1]                       # programs.py:143
    t_1 = t * 2.0                         # programs.py:143
    dt_1_1 = dt_5 * 2.0                   # programs.py:143
    x_[0] = t_1                           # programs.py:143
    dx__2[0] = dt_1_1                     # programs.py:143
    t_2 = x_[1]                           # programs.py:144
    dt_2_1 = dx__2[1]                     # programs.py:144
    t_3 = t_2 * 3.0                       # programs.py:144
    dt_3_1 = dt_2_1 * 3.0                 # programs.py:144
    x_[1] = t_3                           # programs.py:144
    dx__2[1] = dt_3_1                     # programs.py:144
    dt_4 = grad_reduce(seed, x_, None, False)  # programs.py:145
    t_4 = dt_4 * 2                        # programs.py:145
    dx_ = t_4 * x_                        # programs.py:145
    ddx_ = t_4 * dx__2                    # programs.py:145
    t_5 = dx_[1]                          # programs.py:144
    dt_5_1 = ddx_[1]                      # programs.py:144
    t_6 = copy_grad(t_5)                  # programs.py:144
    dt_6 = copy_grad(dt_5_1)              # programs.py:144
    dt_3 = unbroadcast(t_6, t_3)          # programs.py:144
    ddt_3 = unbroadcast(dt_6, t_3)        # programs.py:144
    dx__1 = copy_grad(dx_)                # programs.py:144
    ddx__1 = copy_grad(ddx_)              # programs.py:144
    dx_ = dx__1                           # programs.py:144
    ddx_ = ddx__1                         # programs.py:144
    dx_[1] = 0.0                          # programs.py:144
    ddx_[1] = 0.0                         # programs.py:144
    dt_2 = dt_3 * 3.0                     # programs.py:144
    ddt_2 = ddt_3 * 3.0                   # programs.py:144
    t_7 = dx_[1]                          # programs.py:144
    dt_7 = ddx_[1]                        # programs.py:144
    t_8 = t_7 + dt_2                      # programs.py:144
    dt_8 = dt_7 + ddt_2                   # programs.py:144
    dx_[1] = t_8                          # programs.py:144
    ddx_[1] = dt_8                        # programs.py:144
    t_9 = dx_[0]                          # programs.py:143
    dt_9 = ddx_[0]                        # programs.py:143
    t_10 = copy_grad(t_9)                 # programs.py:143
    dt_10 = copy_grad(dt_9)               # programs.py:143
    dt_1 = unbroadcast(t_10, t_1)         # programs.py:143
    ddt_1 = unbroadcast(dt_10, t_1)       # programs.py:143
    dx_[0] = 0.0                          # programs.py:143
    ddx_[0] = 0.0                         # programs.py:143
    dt = dt_1 * 2.0                       # programs.py:143
    ddt = ddt_1 * 2.0                     # programs.py:143
    t_11 = dx_[1]                         # programs.py:143
    dt_11 = ddx_[1]                       # programs.py:143
    t_12 = t_11 + dt                      # programs.py:143
    dt_12 = dt_11 + ddt                   # programs.py:143
    dx_[1] = t_12                         # programs.py:143
    ddx_[1] = dt_12                       # programs.py:143
    return as_grad(ddx_, x)
