# ---- reverse: s2s.grad

def dgenerator_sum_dx(x, *, dresult=1.0):
    comp = []                             # programs.py:199
    r = range(4)                          # programs.py:199
    for i_1 in r:                         # programs.py:199
        comp.append(x ** i_1)             # programs.py:199
    result = sum(comp)                    # programs.py:199
    dresult = init_grad(result, dresult)
    dcomp = grad_builtin_sum(dresult, comp)  # programs.py:199
    dcomp = copy_grad_list(dcomp, comp)   # programs.py:199
    dx = zeros_like(x)                    # programs.py:199
    for i_1 in reversed(r):               # programs.py:199
        dt_item_2 = dcomp.pop()           # programs.py:199
        dx += unbroadcast(dt_item_2 * power_slope(x, i_1), x)  # programs.py:199
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_generator_sum_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    comp = []                             # programs.py:199
    dcomp = []                            # programs.py:199
    r = range(4)                          # programs.py:199
    for i_1 in r:                         # programs.py:199
        t = x ** i_1                      # programs.py:199
        dt = dx * power_slope(x, i_1)     # programs.py:199
        comp.append(t)                    # programs.py:199
        dcomp.append(dt)                  # programs.py:199
    return tangent_like(builtin_sum_tangent(dcomp, comp), sum(comp))  # programs.py:199

# ---- forward over reverse: s2s.hvp

def hvp_generator_sum_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult = seed
    comp = []                             # programs.py:199
    d_comp = []                           # programs.py:199
    r = range(4)                          # programs.py:199
    r_1 = range(len(r))                   # programs.py:199
    for k in r_1:                         # programs.py:199
        i_1 = r[k]                        # programs.py:199
        t = x ** i_1                      # programs.py:199
        dt = dx * power_slope(x, i_1)     # programs.py:199
        comp.append(t)                    # programs.py:199
        d_comp.append(dt)                 # programs.py:199
    result = sum(comp)                    # programs.py:199
    dresult = init_grad(result, dresult)
    dcomp = grad_builtin_sum(dresult, comp)  # programs.py:199
    dcomp = copy_grad_list(dcomp, comp)   # programs.py:199
    grad_x = zeros_like(x)                # programs.py:199
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:199
    ddcomp = zeros_like(dcomp)            # programs.py:199
    ddx = zeros_like(grad_x)              # programs.py:199
    for k_1 in r_2:                       # programs.py:199
        i_1 = r[k_1]                      # programs.py:199
        dt_item_2 = dcomp.pop()           # programs.py:199
        ddt_item_2 = ddcomp.pop()         # programs.py:199
        t_2 = power_slope(x, i_1)         # programs.py:199
        dt_3 = ddt_item_2 * t_2 + dt_item_2 * tangent_like(dx * power_slope(x, i_1, 2), t_2)  # programs.py:199
        ddx = ddx + unbroadcast(dt_3, x)  # programs.py:199
    return as_grad(ddx, x)
