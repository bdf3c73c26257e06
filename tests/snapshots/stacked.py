# ---- reverse: s2s.grad

def dstacked_dx(x, *, dresult=1.0):
    comp = []                             # programs.py:170
    r = range(3)                          # programs.py:170
    for k_1 in r:                         # programs.py:170
        comp.append(x * k_1)              # programs.py:170
    t_1 = np.stack(comp)                  # programs.py:171
    dt_2 = grad_reduce(dresult, t_1, None, False)  # programs.py:171
    dt_1 = dt_2 * 2 * t_1                 # programs.py:171
    drows = grad_stack(dt_1, comp, 0)     # programs.py:171
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
    t_1 = np.stack(comp)                  # programs.py:171
    return np.sum(np.stack(dcomp, 0) * 2 * t_1)  # programs.py:171

# ---- forward over reverse: s2s.hvp

def hvp_stacked_dx(x, dx_2=1.0):
    dx_2 = init_grad(x, dx_2)
    comp = []                             # dstacked_dx_70e8c9652a3b.py:3
    dcomp_2 = []                          # dstacked_dx_70e8c9652a3b.py:3
    r = range(3)                          # dstacked_dx_70e8c9652a3b.py:4
    r_1 = range(len(r))                   # dstacked_dx_70e8c9652a3b.py:5
    for k in r_1:                         # dstacked_dx_70e8c9652a3b.py:5
        k_1 = r[k]                        # dstacked_dx_70e8c9652a3b.py:5
        t = x * k_1                       # dstacked_dx_70e8c9652a3b.py:6
        dt = dx_2 * k_1                   # dstacked_dx_70e8c9652a3b.py:6
        comp.append(t)                    # dstacked_dx_70e8c9652a3b.py:6
        dcomp_2.append(dt)                # dstacked_dx_70e8c9652a3b.py:6
    t_1 = np.stack(comp)                  # dstacked_dx_70e8c9652a3b.py:7
    dt_1_1 = np.stack(dcomp_2, 0)         # dstacked_dx_70e8c9652a3b.py:7
    dt_2 = grad_reduce(seed, t_1, None, False)  # dstacked_dx_70e8c9652a3b.py:8
    t_2 = dt_2 * 2                        # dstacked_dx_70e8c9652a3b.py:9
    dt_1 = t_2 * t_1                      # dstacked_dx_70e8c9652a3b.py:9
    ddt_1 = t_2 * dt_1_1                  # dstacked_dx_70e8c9652a3b.py:9
    drows = grad_stack(dt_1, comp, 0)     # dstacked_dx_70e8c9652a3b.py:10
    ddrows = copy_grad(grad_stack(ddt_1, comp, 0))  # dstacked_dx_70e8c9652a3b.py:10
    dcomp = drows                         # dstacked_dx_70e8c9652a3b.py:11
    ddcomp = ddrows                       # dstacked_dx_70e8c9652a3b.py:11
    dcomp_1 = copy_grad_list(dcomp, comp)  # dstacked_dx_70e8c9652a3b.py:12
    ddcomp_1 = copy_grad(runtime.copy_grad_list(ddcomp, comp))  # dstacked_dx_70e8c9652a3b.py:12
    dcomp = dcomp_1                       # dstacked_dx_70e8c9652a3b.py:12
    ddcomp = ddcomp_1                     # dstacked_dx_70e8c9652a3b.py:12
    dx = zeros_like(x)                    # dstacked_dx_70e8c9652a3b.py:13
    r_2 = range(len(r) - 1, -1, -1)       # dstacked_dx_70e8c9652a3b.py:14
    ddx = zeros_like(dx)                  # dstacked_dx_70e8c9652a3b.py:14
    for k_2 in r_2:                       # dstacked_dx_70e8c9652a3b.py:14
        k_1 = r[k_2]                      # dstacked_dx_70e8c9652a3b.py:14
        dt_item_2 = dcomp.pop()           # dstacked_dx_70e8c9652a3b.py:15
        ddt_item_2 = ddcomp.pop()         # dstacked_dx_70e8c9652a3b.py:15
        ddx = ddx + unbroadcast(ddt_item_2 * k_1, x)  # dstacked_dx_70e8c9652a3b.py:16
    return as_grad(ddx, x)                # dstacked_dx_70e8c9652a3b.py:17
