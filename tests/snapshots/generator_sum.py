# ---- reverse: s2s.grad

def dgenerator_sum_dx(x, *, dresult=1.0):
    comp = []                             # programs.py:199
    r = range(4)                          # programs.py:199
    for i_1 in r:                         # programs.py:199
        comp.append(x ** i_1)             # programs.py:199
    result = sum(comp)                    # programs.py:199
    dresult = init_grad(result, dresult)
    dt_1 = grad_builtin_sum(dresult, comp)  # programs.py:199
    dcomp = dt_1                          # programs.py:199
    dcomp = copy_grad_list(dcomp, comp)   # programs.py:199
    dx = zeros_like(x)                    # programs.py:199
    for i_1 in reversed(r):               # programs.py:199
        dt_item_2 = dcomp.pop()           # programs.py:199
        dx += unbroadcast(dt_item_2 * i_1 * x ** (i_1 - 1), x)  # programs.py:199
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_generator_sum_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    comp = []                             # programs.py:199
    dcomp = []                            # programs.py:199
    r = range(4)                          # programs.py:199
    for i_1 in r:                         # programs.py:199
        t = x ** i_1                      # programs.py:199
        dt = dx * i_1 * x ** (i_1 - 1)    # programs.py:199
        comp.append(t)                    # programs.py:199
        dcomp.append(dt)                  # programs.py:199
    return tangent_like(builtin_sum_tangent(dcomp, comp), sum(comp))  # programs.py:199

# ---- forward over reverse: s2s.hvp

def hvp_generator_sum_dx(x, dx_2=1.0):
    dx_2 = init_grad(x, dx_2)
    dresult = seed
    comp = []                             # dgenerator_sum_dx_32b7bfdc8bcc.py:3
    dcomp_2 = []                          # dgenerator_sum_dx_32b7bfdc8bcc.py:3
    r = range(4)                          # dgenerator_sum_dx_32b7bfdc8bcc.py:4
    r_1 = range(len(r))                   # dgenerator_sum_dx_32b7bfdc8bcc.py:5
    for k in r_1:                         # dgenerator_sum_dx_32b7bfdc8bcc.py:5
        i_1 = r[k]                        # dgenerator_sum_dx_32b7bfdc8bcc.py:5
        t = x ** i_1                      # dgenerator_sum_dx_32b7bfdc8bcc.py:6
        dt = dx_2 * i_1 * x ** (i_1 - 1)  # dgenerator_sum_dx_32b7bfdc8bcc.py:6
        comp.append(t)                    # dgenerator_sum_dx_32b7bfdc8bcc.py:6
        dcomp_2.append(dt)                # dgenerator_sum_dx_32b7bfdc8bcc.py:6
    result = sum(comp)                    # dgenerator_sum_dx_32b7bfdc8bcc.py:7
    dresult = init_grad(result, dresult)  # dgenerator_sum_dx_32b7bfdc8bcc.py:8
    dt_1 = grad_builtin_sum(dresult, comp)  # dgenerator_sum_dx_32b7bfdc8bcc.py:9
    dcomp = dt_1                          # dgenerator_sum_dx_32b7bfdc8bcc.py:10
    dcomp = copy_grad_list(dcomp, comp)   # dgenerator_sum_dx_32b7bfdc8bcc.py:11
    dx = zeros_like(x)                    # dgenerator_sum_dx_32b7bfdc8bcc.py:12
    r_2 = range(len(r) - 1, -1, -1)       # dgenerator_sum_dx_32b7bfdc8bcc.py:13
    ddcomp = zeros_like(dcomp)            # dgenerator_sum_dx_32b7bfdc8bcc.py:13
    ddx = zeros_like(dx)                  # dgenerator_sum_dx_32b7bfdc8bcc.py:13
    for k_1 in r_2:                       # dgenerator_sum_dx_32b7bfdc8bcc.py:13
        i_1 = r[k_1]                      # dgenerator_sum_dx_32b7bfdc8bcc.py:13
        dt_item_2 = dcomp.pop()           # dgenerator_sum_dx_32b7bfdc8bcc.py:14
        ddt_item_2 = ddcomp.pop()         # dgenerator_sum_dx_32b7bfdc8bcc.py:14
        t_2 = dt_item_2 * i_1             # dgenerator_sum_dx_32b7bfdc8bcc.py:15
        dt_2 = ddt_item_2 * i_1           # dgenerator_sum_dx_32b7bfdc8bcc.py:15
        t_3 = i_1 - 1                     # dgenerator_sum_dx_32b7bfdc8bcc.py:15
        t_4 = x ** t_3                    # dgenerator_sum_dx_32b7bfdc8bcc.py:15
        dt_4 = dx_2 * t_3 * x ** (t_3 - 1)  # dgenerator_sum_dx_32b7bfdc8bcc.py:15
        dt_5 = dt_2 * t_4 + t_2 * dt_4    # dgenerator_sum_dx_32b7bfdc8bcc.py:15
        ddx = ddx + unbroadcast(dt_5, x)  # dgenerator_sum_dx_32b7bfdc8bcc.py:15
    return as_grad(ddx, x)                # dgenerator_sum_dx_32b7bfdc8bcc.py:16
