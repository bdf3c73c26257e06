# ---- reverse: s2s.grad

def dmutate_argument_dx(x, *, dresult=1.0):
    x_ = copy_value(x)                    # programs.py:143
    t_1 = x_[1] * 2.0                     # programs.py:143
    x_[0] = t_1                           # programs.py:143
    t_3 = x_[1] * 3.0                     # programs.py:144
    x_[1] = t_3                           # programs.py:144
    dx_ = grad_reduce(dresult, x_, None, False) * 2 * x_  # programs.py:145
    dt_3 = unbroadcast(copy_grad(dx_[1]), t_3)  # programs.py:144
    dx_ = copy_grad(dx_)                  # programs.py:144
    dx_[1] = 0.0                          # programs.py:144
    dx_[1] = dx_[1] + dt_3 * 3.0          # programs.py:144
    dt_1 = unbroadcast(copy_grad(dx_[0]), t_1)  # programs.py:143
    dx_[0] = 0.0                          # programs.py:143
    dx_[1] = dx_[1] + dt_1 * 2.0          # programs.py:143
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
    t = x_[1]                             # programs.py:143
    dt = d_x_[1]                          # programs.py:143
    t_1 = t * 2.0                         # programs.py:143
    d_t_1 = dt * 2.0                      # programs.py:143
    x_[0] = t_1                           # programs.py:143
    d_x_[0] = d_t_1                       # programs.py:143
    t_2 = x_[1]                           # programs.py:144
    dt_2 = d_x_[1]                        # programs.py:144
    t_3 = t_2 * 3.0                       # programs.py:144
    d_t_3 = dt_2 * 3.0                    # programs.py:144
    x_[1] = t_3                           # programs.py:144
    d_x_[1] = d_t_3                       # programs.py:144
    t_5 = grad_reduce(seed, x_, None, False) * 2  # programs.py:145
    dx_ = t_5 * x_                        # programs.py:145
    ddx_ = t_5 * d_x_                     # programs.py:145
    t_6 = dx_[1]                          # programs.py:144
    dt_6 = ddx_[1]                        # programs.py:144
    t_7 = copy_grad(t_6)                  # programs.py:144
    dt_7 = copy_grad(dt_6)                # programs.py:144
    dt_3 = unbroadcast(t_7, t_3)          # programs.py:144
    ddt_3 = unbroadcast(dt_7, t_3)        # programs.py:144
    dx__1 = copy_grad(dx_)                # programs.py:144
    ddx__1 = copy_grad(ddx_)              # programs.py:144
    dx_ = dx__1                           # programs.py:144
    ddx_ = ddx__1                         # programs.py:144
    dx_[1] = 0.0                          # programs.py:144
    ddx_[1] = 0.0                         # programs.py:144
    t_8 = dx_[1]                          # programs.py:144
    dt_8 = ddx_[1]                        # programs.py:144
    t_9 = dt_3 * 3.0                      # programs.py:144
    dt_9 = ddt_3 * 3.0                    # programs.py:144
    t_10 = t_8 + t_9                      # programs.py:144
    dt_10 = dt_8 + dt_9                   # programs.py:144
    dx_[1] = t_10                         # programs.py:144
    ddx_[1] = dt_10                       # programs.py:144
    t_11 = dx_[0]                         # programs.py:143
    dt_11 = ddx_[0]                       # programs.py:143
    t_12 = copy_grad(t_11)                # programs.py:143
    dt_12 = copy_grad(dt_11)              # programs.py:143
    dt_1 = unbroadcast(t_12, t_1)         # programs.py:143
    ddt_1 = unbroadcast(dt_12, t_1)       # programs.py:143
    dx_[0] = 0.0                          # programs.py:143
    ddx_[0] = 0.0                         # programs.py:143
    t_13 = dx_[1]                         # programs.py:143
    dt_13 = ddx_[1]                       # programs.py:143
    t_14 = dt_1 * 2.0                     # programs.py:143
    dt_14 = ddt_1 * 2.0                   # programs.py:143
    t_15 = t_13 + t_14                    # programs.py:143
    dt_15 = dt_13 + dt_14                 # programs.py:143
    dx_[1] = t_15                         # programs.py:143
    ddx_[1] = dt_15                       # programs.py:143
    return as_grad(ddx_, x)
