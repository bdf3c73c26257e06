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
    stack = []                            # dswap_da_db_2e2e03c53aca.py:3
    dstack = []                           # dswap_da_db_2e2e03c53aca.py:3
    a_ = a                                # dswap_da_db_2e2e03c53aca.py:4
    da__1 = da                            # dswap_da_db_2e2e03c53aca.py:4
    b_ = b                                # dswap_da_db_2e2e03c53aca.py:5
    db__2 = db                            # dswap_da_db_2e2e03c53aca.py:5
    r = range(3)                          # dswap_da_db_2e2e03c53aca.py:6
    r_1 = range(len(r))                   # dswap_da_db_2e2e03c53aca.py:7
    for k in r_1:                         # dswap_da_db_2e2e03c53aca.py:7
        t = a_ + b_                       # dswap_da_db_2e2e03c53aca.py:8
        dt_1 = da__1 + db__2              # dswap_da_db_2e2e03c53aca.py:8
        stack.append(a_)                  # dswap_da_db_2e2e03c53aca.py:9
        dstack.append(da__1)              # dswap_da_db_2e2e03c53aca.py:9
        a_ = b_                           # dswap_da_db_2e2e03c53aca.py:10
        da__1 = db__2                     # dswap_da_db_2e2e03c53aca.py:10
        stack.append(b_)                  # dswap_da_db_2e2e03c53aca.py:11
        dstack.append(db__2)              # dswap_da_db_2e2e03c53aca.py:11
        b_ = t                            # dswap_da_db_2e2e03c53aca.py:12
        db__2 = dt_1                      # dswap_da_db_2e2e03c53aca.py:12
    result = a_ * b_                      # dswap_da_db_2e2e03c53aca.py:13
    dresult = init_grad(result, dresult)  # dswap_da_db_2e2e03c53aca.py:14
    dda_ = unbroadcast(dresult * db__2, a_)  # dswap_da_db_2e2e03c53aca.py:15
    ddb_ = unbroadcast(dresult * da__1, b_)  # dswap_da_db_2e2e03c53aca.py:16
    r_2 = range(len(r) - 1, -1, -1)       # dswap_da_db_2e2e03c53aca.py:17
    for k_1 in r_2:                       # dswap_da_db_2e2e03c53aca.py:17
        b_ = stack.pop()                  # dswap_da_db_2e2e03c53aca.py:18
        db__2 = dstack.pop()              # dswap_da_db_2e2e03c53aca.py:18
        a_ = stack.pop()                  # dswap_da_db_2e2e03c53aca.py:19
        da__1 = dstack.pop()              # dswap_da_db_2e2e03c53aca.py:19
        ddt = ddb_                        # dswap_da_db_2e2e03c53aca.py:20
        ddb_ = dda_                       # dswap_da_db_2e2e03c53aca.py:21
        dda_ = unbroadcast(ddt, a_)       # dswap_da_db_2e2e03c53aca.py:22
        ddb_ = ddb_ + unbroadcast(ddt, b_)  # dswap_da_db_2e2e03c53aca.py:23
    return dda_, ddb_                     # dswap_da_db_2e2e03c53aca.py:24
