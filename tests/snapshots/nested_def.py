# ---- reverse: s2s.grad

def dnested_def_dx(x, *, dresult_3=1.0):
    k = x * 2.0                           # programs.py:224
    returned = False                      # programs.py:227
    z_1 = x ** 2                          # programs.py:227
    cond = z_1 > 10.0                     # programs.py:228
    if cond:                              # programs.py:229
        retval = z_1 * k                  # programs.py:229
        returned = True                   # programs.py:229
    cond_1 = not returned                 # programs.py:230
    if cond_1:                            # programs.py:230
        retval = z_1 + k                  # programs.py:230
        returned = True                   # programs.py:230
    result_1 = k ** 2                     # programs.py:232
    t_2 = retval + result_1               # programs.py:232
    returned_1 = False                    # programs.py:227
    z_2 = x ** 3                          # programs.py:227
    cond_2 = z_2 > 10.0                   # programs.py:228
    if cond_2:                            # programs.py:229
        retval_1 = z_2 * k                # programs.py:229
        returned_1 = True                 # programs.py:229
    cond_3 = not returned_1               # programs.py:230
    if cond_3:                            # programs.py:230
        retval_1 = z_2 + k                # programs.py:230
        returned_1 = True                 # programs.py:230
    result_3 = t_2 + retval_1             # programs.py:232
    dresult_3 = init_grad(result_3, dresult_3)
    dt_2 = unbroadcast(dresult_3, broadcast_shape(retval, k))  # programs.py:232
    dretval_1 = unbroadcast(dresult_3, retval_1)  # programs.py:232
    if cond_3:                            # programs.py:230
        dz_2 = unbroadcast(dretval_1, z_2)  # programs.py:230
        dk = unbroadcast(dretval_1, k)    # programs.py:230
        dretval_1 = 0.0                   # programs.py:230
    else:
        dk = 0.0                          # programs.py:230
        dz_2 = 0.0                        # programs.py:230
    if cond_2:                            # programs.py:229
        dz_2 = dz_2 + unbroadcast(dretval_1 * k, z_2)  # programs.py:229
        dk = dk + unbroadcast(dretval_1 * z_2, k)  # programs.py:229
    dx = unbroadcast(dz_2 * 3 * x ** 2, x)  # programs.py:232
    dt = unbroadcast(dt_2, retval)        # programs.py:232
    dk = dk + unbroadcast(dt_2, k) * 2 * k  # programs.py:232
    dretval = dt                          # programs.py:232
    if cond_1:                            # programs.py:230
        dz_1 = unbroadcast(dretval, z_1)  # programs.py:230
        dk += unbroadcast(dretval, k)     # programs.py:230
        dretval = 0.0                     # programs.py:230
    else:
        dz_1 = 0.0                        # programs.py:230
    if cond:                              # programs.py:229
        dz_1 = dz_1 + unbroadcast(dretval * k, z_1)  # programs.py:229
        dk += unbroadcast(dretval * z_1, k)  # programs.py:229
    dx = dx + unbroadcast(dz_1 * 2 * x, x)  # programs.py:232
    dx += dk * 2.0                        # programs.py:224
    return dx

# ---- forward: s2s.jvp

def jvp_nested_def_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    k = x * 2.0                          # programs.py:224
    dk = dx * 2.0                        # programs.py:224
    returned = False                     # programs.py:227
    z_1 = x ** 2                         # programs.py:227
    dz_1 = dx * 2 * x                    # programs.py:227
    if z_1 > 10.0:                       # programs.py:229
        dretval = dz_1 * k + z_1 * dk    # programs.py:229
        returned = True                  # programs.py:229
    if not returned:                     # programs.py:230
        dretval = dz_1 + dk              # programs.py:230
    dt_2 = dretval + dk * 2 * k          # programs.py:232
    returned_1 = False                   # programs.py:227
    z_2 = x ** 3                         # programs.py:227
    dz_2 = dx * 3 * x ** 2               # programs.py:227
    if z_2 > 10.0:                       # programs.py:229
        dretval_1 = dz_2 * k + z_2 * dk  # programs.py:229
        returned_1 = True                # programs.py:229
    if not returned_1:                   # programs.py:230
        dretval_1 = dz_2 + dk            # programs.py:230
    return dt_2 + dretval_1              # programs.py:232

# ---- forward over reverse: s2s.hvp

def hvp_nested_def_dx(x, dx=1.0):
    dx = init_grad(x, dx)
    dresult_3 = seed
    k = x * 2.0                           # programs.py:224
    d_k = dx * 2.0                        # programs.py:224
    returned = False                      # programs.py:227
    z_1 = x ** 2                          # programs.py:227
    d_z_1 = dx * 2 * x                    # programs.py:227
    cond = z_1 > 10.0                     # programs.py:228
    if cond:                              # programs.py:229
        retval = z_1 * k                  # programs.py:229
        returned = True                   # programs.py:229
    cond_1 = not returned                 # programs.py:230
    if cond_1:                            # programs.py:230
        retval = z_1 + k                  # programs.py:230
    result_1 = k ** 2                     # programs.py:232
    t_2 = retval + result_1               # programs.py:232
    returned_1 = False                    # programs.py:227
    z_2 = x ** 3                          # programs.py:227
    d_z_2 = dx * 3 * x ** 2               # programs.py:227
    cond_2 = z_2 > 10.0                   # programs.py:228
    if cond_2:                            # programs.py:229
        retval_1 = z_2 * k                # programs.py:229
        returned_1 = True                 # programs.py:229
    cond_3 = not returned_1               # programs.py:230
    if cond_3:                            # programs.py:230
        retval_1 = z_2 + k                # programs.py:230
    result_3 = t_2 + retval_1             # programs.py:232
    dresult_3 = init_grad(result_3, dresult_3)
    dt_2 = unbroadcast(dresult_3, broadcast_shape(retval, k))  # programs.py:232
    dretval_1 = unbroadcast(dresult_3, retval_1)  # programs.py:232
    if cond_3:                            # programs.py:230
        dz_2 = unbroadcast(dretval_1, z_2)  # programs.py:230
        dk = unbroadcast(dretval_1, k)    # programs.py:230
        dretval_1 = 0.0                   # programs.py:230
    else:
        dk = 0.0                          # programs.py:230
        dz_2 = 0.0                        # programs.py:230
    if cond_2:                            # programs.py:229
        tmp_1 = dretval_1 * k             # programs.py:229
        dtmp_1 = dretval_1 * d_k          # programs.py:229
        tmp_2 = unbroadcast(tmp_1, z_2)   # programs.py:229
        dtmp_2 = unbroadcast(dtmp_1, z_2)  # programs.py:229
        dz_2_1 = dz_2 + tmp_2             # programs.py:229
        ddz_2_1 = tangent_like(dtmp_2, dz_2_1)  # programs.py:229
        dz_2 = dz_2_1                     # programs.py:229
        ddz_2 = ddz_2_1                   # programs.py:229
        tmp_3 = dretval_1 * z_2           # programs.py:229
        dtmp_3 = dretval_1 * d_z_2        # programs.py:229
        tmp_4 = unbroadcast(tmp_3, k)     # programs.py:229
        dtmp_4 = unbroadcast(dtmp_3, k)   # programs.py:229
        dk_1 = dk + tmp_4                 # programs.py:229
        ddk_1 = tangent_like(dtmp_4, dk_1)  # programs.py:229
        dk = dk_1                         # programs.py:229
        ddk = ddk_1                       # programs.py:229
    else:
        ddk = zeros_like(dk)              # programs.py:229
        ddz_2 = zeros_like(dz_2)          # programs.py:229
    tmp_5 = dz_2 * 3                      # programs.py:232
    dtmp_5 = ddz_2 * 3                    # programs.py:232
    ddx = unbroadcast(dtmp_5 * x ** 2 + tmp_5 * (dx * 2 * x), x)  # programs.py:232
    dt = unbroadcast(dt_2, retval)        # programs.py:232
    tmp_9 = unbroadcast(dt_2, k) * 2      # programs.py:232
    tmp_10 = tmp_9 * k                    # programs.py:232
    dtmp_10 = tmp_9 * d_k                 # programs.py:232
    dk_2 = dk + tmp_10                    # programs.py:232
    ddk_2 = ddk + dtmp_10                 # programs.py:232
    dk = dk_2                             # programs.py:232
    ddk = ddk_2                           # programs.py:232
    dretval = dt                          # programs.py:232
    if cond_1:                            # programs.py:230
        dz_1 = unbroadcast(dretval, z_1)  # programs.py:230
        ddk = tangent_like(ddk, dk + unbroadcast(dretval, k))  # programs.py:230
        dretval = 0.0                     # programs.py:230
    else:
        dz_1 = 0.0                        # programs.py:230
    if cond:                              # programs.py:229
        tmp_12 = dretval * k              # programs.py:229
        dtmp_12 = dretval * d_k           # programs.py:229
        tmp_13 = unbroadcast(tmp_12, z_1)  # programs.py:229
        dtmp_13 = unbroadcast(dtmp_12, z_1)  # programs.py:229
        dz_1_1 = dz_1 + tmp_13            # programs.py:229
        ddz_1_1 = tangent_like(dtmp_13, dz_1_1)  # programs.py:229
        dz_1 = dz_1_1                     # programs.py:229
        ddz_1 = ddz_1_1                   # programs.py:229
        ddk = ddk + unbroadcast(dretval * d_z_1, k)  # programs.py:229
    else:
        ddz_1 = zeros_like(dz_1)          # programs.py:229
    ddx = ddx + unbroadcast(ddz_1 * 2 * x + dz_1 * 2 * dx, x)  # programs.py:232
    ddx = ddx + ddk * 2.0                 # programs.py:224
    return ddx
