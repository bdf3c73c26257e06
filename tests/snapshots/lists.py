# ---- reverse: s2s.grad

def dlists_dx(x, *, dresult=1.0):
    out = []                              # programs.py:162
    r = range(4)                          # programs.py:163
    for i in r:                           # programs.py:163
        out.append(x * i)                 # programs.py:164
    a = np.array(out)                     # programs.py:165
    t_1 = a ** 2                          # programs.py:166
    t_2 = np.sum(t_1)                     # programs.py:166
    t_3 = out[1]                          # programs.py:166
    t_4 = out[2]                          # programs.py:166
    t_5 = t_3 * t_4                       # programs.py:166
    result = t_2 + t_5                    # programs.py:166
    dresult = init_grad(result, dresult)
    dt_2 = unbroadcast(dresult, t_2)      # programs.py:166
    dt_5 = unbroadcast(dresult, broadcast_shape(t_3, t_4))  # programs.py:166
    dt_3 = unbroadcast(dt_5 * t_4, t_3)   # programs.py:166
    dt_4 = unbroadcast(dt_5 * t_3, t_4)   # programs.py:166
    dout = zeros_like(out)                # programs.py:166
    dout[2] = dout[2] + dt_4              # programs.py:166
    dout[1] = dout[1] + dt_3              # programs.py:166
    da = grad_reduce(dt_2, a, None, False) * 2 * a  # programs.py:166
    dout += grad_to_sequence(da, out)     # programs.py:165
    dx = zeros_like(x)                    # programs.py:163
    for i in reversed(r):                 # programs.py:163
        dt_item_1 = dout.pop()            # programs.py:164
        dx += unbroadcast(dt_item_1 * i, x)  # programs.py:164
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_lists_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    out = []                              # programs.py:162
    dout = []                             # programs.py:162
    r = range(4)                          # programs.py:163
    for i in r:                           # programs.py:163
        t = x * i                         # programs.py:164
        dt = dx * i                       # programs.py:164
        out.append(t)                     # programs.py:164
        dout.append(dt)                   # programs.py:164
    a = np.array(out)                     # programs.py:165
    da = np.array(dout)                   # programs.py:165
    dt_2 = np.sum(da * 2 * a)             # programs.py:166
    return dt_2 + (dout[1] * out[2] + out[1] * dout[2])  # programs.py:166

# ---- forward over reverse: s2s.hvp

def hvp_lists_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    out = []                              # programs.py:162
    d_out = []                            # programs.py:162
    r = range(4)                          # programs.py:163
    r_1 = range(len(r))                   # programs.py:163
    for k in r_1:                         # programs.py:163
        i = r[k]                          # programs.py:163
        t = x * i                         # programs.py:164
        dt = dx * i                       # programs.py:164
        out.append(t)                     # programs.py:164
        d_out.append(dt)                  # programs.py:164
    a = np.array(out)                     # programs.py:165
    d_a = np.array(d_out)                 # programs.py:165
    t_1 = a ** 2                          # programs.py:166
    t_2 = np.sum(t_1)                     # programs.py:166
    t_3 = out[1]                          # programs.py:166
    d_t_3 = d_out[1]                      # programs.py:166
    t_4 = out[2]                          # programs.py:166
    d_t_4 = d_out[2]                      # programs.py:166
    t_5 = t_3 * t_4                       # programs.py:166
    result = t_2 + t_5                    # programs.py:166
    dresult = init_grad(result, dresult)
    dt_2 = unbroadcast(dresult, t_2)      # programs.py:166
    dt_5 = unbroadcast(dresult, broadcast_shape(t_3, t_4))  # programs.py:166
    t_7 = dt_5 * t_4                      # programs.py:166
    dt_7 = dt_5 * d_t_4                   # programs.py:166
    dt_3 = unbroadcast(t_7, t_3)          # programs.py:166
    ddt_3 = unbroadcast(dt_7, t_3)        # programs.py:166
    t_8 = dt_5 * t_3                      # programs.py:166
    dt_8 = dt_5 * d_t_3                   # programs.py:166
    dt_4 = unbroadcast(t_8, t_4)          # programs.py:166
    ddt_4 = unbroadcast(dt_8, t_4)        # programs.py:166
    dout = zeros_like(out)                # programs.py:166
    t_10 = dout[2] + dt_4                 # programs.py:166
    dt_10 = tangent_like(ddt_4, t_10)     # programs.py:166
    ddout = zeros_like(dout)              # programs.py:166
    dout[2] = t_10                        # programs.py:166
    ddout[2] = dt_10                      # programs.py:166
    t_11 = dout[1]                        # programs.py:166
    dt_11 = ddout[1]                      # programs.py:166
    t_12 = t_11 + dt_3                    # programs.py:166
    dt_12 = dt_11 + ddt_3                 # programs.py:166
    dout[1] = t_12                        # programs.py:166
    ddout[1] = dt_12                      # programs.py:166
    t_14 = grad_reduce(dt_2, a, None, False) * 2  # programs.py:166
    da = t_14 * a                         # programs.py:166
    dda = t_14 * d_a                      # programs.py:166
    t_15 = grad_to_sequence(da, out)      # programs.py:165
    dt_15 = grad_to_sequence(dda, out)    # programs.py:165
    dout_1 = dout + t_15                  # programs.py:165
    ddout_1 = ddout + dt_15               # programs.py:165
    dout = dout_1                         # programs.py:165
    ddout = ddout_1                       # programs.py:165
    grad_x = zeros_like(x)                # programs.py:163
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:163
    ddx = zeros_like(grad_x)              # programs.py:163
    for k_1 in r_2:                       # programs.py:163
        i = r[k_1]                        # programs.py:163
        dt_item_1 = dout.pop()            # programs.py:164
        ddt_item_1 = ddout.pop()          # programs.py:164
        ddx = ddx + unbroadcast(ddt_item_1 * i, x)  # programs.py:164
    return as_grad(ddx, x)
