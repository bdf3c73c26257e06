# ---- reverse: s2s.grad

def dswap_da_db(a, b, *, dresult=1.0):
    stack = []
    a_ = a                               # programs.py:181
    b_ = b                               # programs.py:181
    r = range(3)                         # programs.py:181
    for i in r:                          # programs.py:181
        t = a_ + b_                      # programs.py:182
        stack.append(a_)                 # programs.py:182
        a_ = b_                          # programs.py:182
        stack.append(b_)                 # programs.py:182
        b_ = t                           # programs.py:182
    result = a_ * b_                     # programs.py:183
    dresult = init_grad(result, dresult)
    da_ = unbroadcast(dresult * b_, a_)  # programs.py:183
    db_ = unbroadcast(dresult * a_, b_)  # programs.py:183
    for i in reversed(r):                # programs.py:181
        b_ = stack.pop()                 # programs.py:182
        a_ = stack.pop()                 # programs.py:182
        dt = db_                         # programs.py:182
        db_ = da_                        # programs.py:182
        da_ = unbroadcast(dt, a_)        # programs.py:182
        db_ = db_ + unbroadcast(dt, b_)  # programs.py:182
    return da_, db_

# ---- forward: s2s.jvp

def jvp_swap_da_db(a, b, da=1.0, db=1.0):
    da = init_grad(a, da)
    db = init_grad(b, db)
    a_ = a                      # programs.py:181
    da_ = da                    # programs.py:181
    b_ = b                      # programs.py:181
    db_ = db                    # programs.py:181
    r = range(3)                # programs.py:181
    for i in r:                 # programs.py:181
        t = a_ + b_             # programs.py:182
        dt = da_ + db_          # programs.py:182
        a_ = b_                 # programs.py:182
        da_ = db_               # programs.py:182
        b_ = t                  # programs.py:182
        db_ = dt                # programs.py:182
    return da_ * b_ + a_ * db_  # programs.py:183

# ---- forward over reverse: s2s.hvp

def hvp_swap_da_db(a, b, da=1.0, db=1.0):
    da = init_grad(a, da)
    db = init_grad(b, db)
    dresult = seed
    stack = []
    dstack = []
    a_ = a                                # programs.py:181
    d_a_ = da                             # programs.py:181
    b_ = b                                # programs.py:181
    d_b_ = db                             # programs.py:181
    r = range(3)                          # programs.py:181
    r_1 = range(len(r))                   # programs.py:181
    for k in r_1:                         # programs.py:181
        t = a_ + b_                       # programs.py:182
        d_t = d_a_ + d_b_                 # programs.py:182
        stack.append(a_)                  # programs.py:182
        dstack.append(d_a_)               # programs.py:182
        a_ = b_                           # programs.py:182
        d_a_ = d_b_                       # programs.py:182
        stack.append(b_)                  # programs.py:182
        dstack.append(d_b_)               # programs.py:182
        b_ = t                            # programs.py:182
        d_b_ = d_t                        # programs.py:182
    result = a_ * b_                      # programs.py:183
    dresult = init_grad(result, dresult)
    dda_ = unbroadcast(dresult * d_b_, a_)  # programs.py:183
    ddb_ = unbroadcast(dresult * d_a_, b_)  # programs.py:183
    r_2 = range(len(r) - 1, -1, -1)       # programs.py:181
    for k_1 in r_2:                       # programs.py:181
        b_ = stack.pop()                  # programs.py:182
        d_b_ = dstack.pop()               # programs.py:182
        a_ = stack.pop()                  # programs.py:182
        d_a_ = dstack.pop()               # programs.py:182
        ddt = ddb_                        # programs.py:182
        ddb_ = dda_                       # programs.py:182
        dda_ = unbroadcast(ddt, a_)       # programs.py:182
        ddb_ = ddb_ + unbroadcast(ddt, b_)  # programs.py:182
    return dda_, ddb_
