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

