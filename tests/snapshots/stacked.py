# ---- reverse: s2s.grad

def dstacked_dx(x, *, dresult=1.0):
    comp = []                             # programs.py:170
    r = range(3)                          # programs.py:170
    for k_1 in r:                         # programs.py:170
        comp.append(x * k_1)              # programs.py:170
    t_1 = np.stack(comp)                  # programs.py:171
    drows = grad_stack(grad_reduce(dresult, t_1, None, False) * 2 * t_1, comp, 0)  # programs.py:171
    dcomp = drows                         # programs.py:170
    dcomp = copy_grad_list(dcomp, comp)   # programs.py:170
    dx = zeros_like(x)                    # programs.py:170
    for k_1 in reversed(r):               # programs.py:170
        dt_item_2 = dcomp.pop()           # programs.py:170
        dx += unbroadcast(dt_item_2 * k_1, x)  # programs.py:170
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_stacked_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    comp = []                             # programs.py:170
    dcomp = []                            # programs.py:170
    r = range(3)                          # programs.py:170
    for k_1 in r:                         # programs.py:170
        t = x * k_1                       # programs.py:170
        dt = dx * k_1                     # programs.py:170
        comp.append(t)                    # programs.py:170
        dcomp.append(dt)                  # programs.py:170
    return np.sum(np.stack(dcomp, 0) * 2 * np.stack(comp))  # programs.py:171

# ---- forward over reverse: s2s.hvp

def hvp_stacked_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    comp = []                             # programs.py:170
    d_comp = []                           # programs.py:170
    r = range(3)                          # programs.py:170
    r_1 = range(len(r))                   # programs.py:170
    for k in r_1:                         # programs.py:170
        k_1 = r[k]                        # programs.py:170
        t = x * k_1                       # programs.py:170
        dt = dx * k_1                     # programs.py:170
        comp.append(t)                    # programs.py:170
        d_comp.append(dt)                 # programs.py:170
    t_1 = np.stack(comp)                  # programs.py:171
    dt_1 = np.stack(d_comp, 0)            # programs.py:171
    t_3 = grad_reduce(seed, t_1, None, False) * 2  # programs.py:171
    t_4 = t_3 * t_1                       # programs.py:171
    dt_4 = t_3 * dt_1                     # programs.py:171
    drows = grad_stack(t_4, comp, 0)      # programs.py:171
    ddrows = copy_grad(grad_stack(dt_4, comp, 0))  # programs.py:171
    dcomp = drows                         # programs.py:170
    ddcomp = ddrows                       # programs.py:170
    dcomp_1 = copy_grad_list(dcomp, comp)  # programs.py:170
    ddcomp_1 = copy_grad(runtime.copy_grad_list(ddcomp, comp))  # programs.py:170
    dcomp = dcomp_1                       # programs.py:170
    ddcomp = ddcomp_1                     # programs.py:170
    grad_x = zeros_like(x)                # programs.py:170
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:170
    ddx = zeros_like(grad_x)              # programs.py:170
    for k_2 in r_2:                       # programs.py:170
        k_1 = r[k_2]                      # programs.py:170
        dt_item_2 = dcomp.pop()           # programs.py:170
        ddt_item_2 = ddcomp.pop()         # programs.py:170
        ddx = ddx + unbroadcast(ddt_item_2 * k_1, x)  # programs.py:170
    return as_grad(ddx, x)
