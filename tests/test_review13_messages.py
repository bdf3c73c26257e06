"""Refusal messages name what the user wrote (review 13): forward mode's advice named a bare `reduce` for
``np.add.reduce`` and `np.kv` (which does not exist) for ``scipy.special.kv``; a scipy ufunc was called
`numpy.kv`."""
import numpy as np
import pytest
import scipy.special as sp

import s2s


def ufunc_method(x):
    return np.add.reduce(x ** 2)


def scipy_ufunc(x):
    return np.sum(sp.kv(1.5, x))


def test_forward_advice_spells_the_call_as_written():
    x = np.array([0.7, 1.3])
    with pytest.raises(s2s.DifferentiationError, match=r"@s2s\.tangent\(np\.add\.reduce\)"):
        s2s.jvp(ufunc_method)(x, np.ones(2))
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)`scipy\.special\.kv`.*@s2s\.tangent\(sp\.kv\)"):
        s2s.jvp(scipy_ufunc)(x, np.ones(2))
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)`scipy\.special\.kv`.*@s2s\.adjoint\(sp\.kv\)"):
        s2s.grad(scipy_ufunc)(x)


def my_namespace(*arrays):   # a namespace getter of the user's own (not scikit-learn's, which s2s knows)
    return np, False


def namespace_loss(p, y):
    xp, _ = my_namespace(y, p)
    eps = xp.finfo(p.dtype).eps
    p = xp.clip(p, eps, 1 - eps)
    return -xp.mean(y * xp.log(p) + (1 - y) * xp.log(1 - p))


def test_a_namespace_returned_with_the_arrays_is_refused_not_crashed():
    # xp came out of a helper called with the arrays, so it looked like a value carrying a gradient: the
    # generated code called xp('finfo', ...) (an unused pullback_self undone into a call of the object), and
    # xp.mean(t) took t as the axis of an array method, dropping the gradient of t
    p, y = np.array([0.2, 0.7, 0.9]), np.array([0.0, 1.0, 1.0])
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)xp\.mean.*array method \.mean\(\) of `xp`"):
        s2s.grad(namespace_loss)(p, y)
