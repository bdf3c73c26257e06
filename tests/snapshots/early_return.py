# ---- reverse: s2s.grad

def dearly_return_dx(x, *, dretval=1.0):
    stack = []
    cond_2 = None
    returned = False                      # programs.py:85
    cond = x > 2.0                        # programs.py:85
    if cond:                              # programs.py:86
        retval = x ** 2                   # programs.py:86
        returned = True                   # programs.py:86
    cond_1 = not returned                 # programs.py:87
    if cond_1:                            # programs.py:92
        y = x * 3.0                       # programs.py:87
        r = range(4)                      # programs.py:88
        n_iter = 0                        # programs.py:88
        for i in r:                       # programs.py:88
            n_iter = n_iter + 1           # programs.py:88
            y_1 = y * x                   # programs.py:89
            stack.append(y)               # programs.py:89
            y = y_1                       # programs.py:89
            stack.append(cond_2)          # programs.py:90
            cond_2 = y > 100.0            # programs.py:90
            if cond_2:                    # programs.py:91
                retval = y                # programs.py:91
                returned = True           # programs.py:91
            if returned:                  # programs.py:88
                break                     # programs.py:88
        cond_4 = not returned             # programs.py:92
        if cond_4:                        # programs.py:92
            retval = -y                   # programs.py:92
            returned = True               # programs.py:92
    dretval = init_grad(retval, dretval)
    if cond_1:                            # programs.py:92
        if cond_4:                        # programs.py:92
            dy = -dretval                 # programs.py:92
            dretval = 0.0                 # programs.py:92
        else:
            dy = 0.0                      # programs.py:92
        dx = zeros_like(x)                # programs.py:88
        for i in reversed(r[:n_iter]):    # programs.py:88
            if cond_2:                    # programs.py:91
                dy = dy + dretval         # programs.py:91
                dretval = 0.0             # programs.py:91
            cond_2 = stack.pop()          # programs.py:90
            dy_1 = dy                     # programs.py:89
            y = stack.pop()               # programs.py:89
            dy = unbroadcast(dy_1 * x, y)  # programs.py:89
            dx += unbroadcast(dy_1 * y, x)  # programs.py:89
        dx += dy * 3.0                    # programs.py:87
    else:
        dx = 0.0                          # programs.py:92
    if cond:                              # programs.py:86
        dx = dx + dretval * 2 * x         # programs.py:86
        dretval = 0.0                     # programs.py:86
    return as_grad(dx, x)

# ---- forward: s2s.jvp

def jvp_early_return_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    returned = False                # programs.py:85
    cond = x > 2.0                  # programs.py:85
    if cond:                        # programs.py:86
        dretval = dx * 2 * x        # programs.py:86
        returned = True             # programs.py:86
    cond_1 = not returned           # programs.py:87
    if cond_1:                      # programs.py:92
        y = x * 3.0                 # programs.py:87
        dy = dx * 3.0               # programs.py:87
        r = range(4)                # programs.py:88
        for i in r:                 # programs.py:88
            y_1 = y * x             # programs.py:89
            dy_1 = dy * x + y * dx  # programs.py:89
            y = y_1                 # programs.py:89
            dy = dy_1               # programs.py:89
            if y > 100.0:           # programs.py:91
                dretval = dy        # programs.py:91
                returned = True     # programs.py:91
            if returned:            # programs.py:88
                break               # programs.py:88
        if not returned:            # programs.py:92
            dretval = -dy           # programs.py:92
    return dretval                  # programs.py:92

# ---- forward over reverse: s2s.hvp

def hvp_early_return_dx(x, dx_4=1.0):
    dx_4 = init_grad(x, dx_4)
    dretval = seed
    stack = []                            # dearly_return_dx_068a6c71e8dd.py:3
    dstack = []                           # dearly_return_dx_068a6c71e8dd.py:3
    cond_2 = None                         # dearly_return_dx_068a6c71e8dd.py:4
    returned = False                      # dearly_return_dx_068a6c71e8dd.py:5
    cond = x > 2.0                        # dearly_return_dx_068a6c71e8dd.py:6
    if cond:                              # dearly_return_dx_068a6c71e8dd.py:9
        retval = x ** 2                   # dearly_return_dx_068a6c71e8dd.py:8
        returned = True                   # dearly_return_dx_068a6c71e8dd.py:9
    cond_1 = not returned                 # dearly_return_dx_068a6c71e8dd.py:10
    if cond_1:                            # dearly_return_dx_068a6c71e8dd.py:30
        y = x * 3.0                       # dearly_return_dx_068a6c71e8dd.py:12
        dy_3 = dx_4 * 3.0                 # dearly_return_dx_068a6c71e8dd.py:12
        r = range(4)                      # dearly_return_dx_068a6c71e8dd.py:13
        n_iter = 0                        # dearly_return_dx_068a6c71e8dd.py:14
        broke = False                     # dearly_return_dx_068a6c71e8dd.py:15
        r_1 = range(len(r))               # dearly_return_dx_068a6c71e8dd.py:15
        for k in r_1:                     # dearly_return_dx_068a6c71e8dd.py:15
            n_iter = n_iter + 1           # dearly_return_dx_068a6c71e8dd.py:16
            y_1 = y * x                   # dearly_return_dx_068a6c71e8dd.py:17
            dy_1_1 = dy_3 * x + y * dx_4  # dearly_return_dx_068a6c71e8dd.py:17
            stack.append(y)               # dearly_return_dx_068a6c71e8dd.py:18
            dstack.append(dy_3)           # dearly_return_dx_068a6c71e8dd.py:18
            y = y_1                       # dearly_return_dx_068a6c71e8dd.py:19
            dy_3 = dy_1_1                 # dearly_return_dx_068a6c71e8dd.py:19
            stack.append(cond_2)          # dearly_return_dx_068a6c71e8dd.py:20
            dstack.append(zeros_like(cond_2))  # dearly_return_dx_068a6c71e8dd.py:20
            cond_2 = y > 100.0            # dearly_return_dx_068a6c71e8dd.py:21
            if cond_2:                    # dearly_return_dx_068a6c71e8dd.py:24
                retval = y                # dearly_return_dx_068a6c71e8dd.py:23
                returned = True           # dearly_return_dx_068a6c71e8dd.py:24
            if returned:                  # dearly_return_dx_068a6c71e8dd.py:26
                broke = True              # dearly_return_dx_068a6c71e8dd.py:26
            if broke:                     # dearly_return_dx_068a6c71e8dd.py:15
                break                     # dearly_return_dx_068a6c71e8dd.py:15
        cond_4 = not returned             # dearly_return_dx_068a6c71e8dd.py:27
        if cond_4:                        # dearly_return_dx_068a6c71e8dd.py:30
            retval = -y                   # dearly_return_dx_068a6c71e8dd.py:29
    dretval = init_grad(retval, dretval)  # dearly_return_dx_068a6c71e8dd.py:31
    if cond_1:                            # dearly_return_dx_068a6c71e8dd.py:50
        if cond_4:                        # dearly_return_dx_068a6c71e8dd.py:37
            dy = -dretval                 # dearly_return_dx_068a6c71e8dd.py:34
            dretval = 0.0                 # dearly_return_dx_068a6c71e8dd.py:35
        else:
            dy = 0.0                      # dearly_return_dx_068a6c71e8dd.py:37
        dx = zeros_like(x)                # dearly_return_dx_068a6c71e8dd.py:38
        r_2 = range(len(r[:n_iter]) - 1, -1, -1)  # dearly_return_dx_068a6c71e8dd.py:39
        ddx = zeros_like(dx)              # dearly_return_dx_068a6c71e8dd.py:39
        ddy = zeros_like(dy)              # dearly_return_dx_068a6c71e8dd.py:39
        for k_1 in r_2:                   # dearly_return_dx_068a6c71e8dd.py:39
            if cond_2:                    # dearly_return_dx_068a6c71e8dd.py:42
                dy_2 = dy + dretval       # dearly_return_dx_068a6c71e8dd.py:41
                ddy_2 = tangent_like(ddy, dy_2)  # dearly_return_dx_068a6c71e8dd.py:41
                dy = dy_2                 # dearly_return_dx_068a6c71e8dd.py:41
                ddy = ddy_2               # dearly_return_dx_068a6c71e8dd.py:41
                dretval = 0.0             # dearly_return_dx_068a6c71e8dd.py:42
            cond_2 = stack.pop()          # dearly_return_dx_068a6c71e8dd.py:43
            dcond_2 = dstack.pop()        # dearly_return_dx_068a6c71e8dd.py:43
            dy_1 = dy                     # dearly_return_dx_068a6c71e8dd.py:44
            ddy_1 = ddy                   # dearly_return_dx_068a6c71e8dd.py:44
            y = stack.pop()               # dearly_return_dx_068a6c71e8dd.py:45
            dy_3 = dstack.pop()           # dearly_return_dx_068a6c71e8dd.py:45
            t_1 = dy_1 * x                # dearly_return_dx_068a6c71e8dd.py:46
            dt_1 = ddy_1 * x + dy_1 * dx_4  # dearly_return_dx_068a6c71e8dd.py:46
            dy = unbroadcast(t_1, y)      # dearly_return_dx_068a6c71e8dd.py:46
            ddy = unbroadcast(dt_1, y)    # dearly_return_dx_068a6c71e8dd.py:46
            dt_2 = ddy_1 * y + dy_1 * dy_3  # dearly_return_dx_068a6c71e8dd.py:47
            ddx = ddx + unbroadcast(dt_2, x)  # dearly_return_dx_068a6c71e8dd.py:47
        ddx = ddx + ddy * 3.0             # dearly_return_dx_068a6c71e8dd.py:48
    else:
        ddx = 0.0                         # dearly_return_dx_068a6c71e8dd.py:50
    if cond:                              # dearly_return_dx_068a6c71e8dd.py:53
        ddx = ddx + dretval * 2 * dx_4    # dearly_return_dx_068a6c71e8dd.py:52
    return as_grad(ddx, x)                # dearly_return_dx_068a6c71e8dd.py:54
