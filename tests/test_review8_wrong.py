"""The session-8 reviewer's wrong gradients (tests/review8_cases.py, 55 functions): each must be refused with a
DifferentiationError or agree with finite differences, and value_and_grad's value with f's. The ones still giving
a wrong gradient on main are strict xfails, listed in docs/coverage.md "Known wrong gradients": when one is fixed,
its xfail fails; remove it from STILL_WRONG and from the doc list."""
import copy

import numpy as np
import pytest

import s2s

import review8_cases as C

STILL_WRONG = set()   # all refused since session 9 (s2s/alias_guard.py)

PARAMS = [pytest.param(f, args, wrt, id=f.__name__, marks=pytest.mark.xfail(
    strict=True, reason="open: a wrong gradient (docs/coverage.md 'Known wrong gradients')")
    if f.__name__ in STILL_WRONG else ()) for f, args, wrt in C.cases]


@pytest.mark.parametrize("f,args,wrt", PARAMS)
def test_refused_or_right(f, args, wrt):
    fresh = lambda: copy.deepcopy(args)   # noqa: E731 (the functions may change their arguments)
    try:
        g = s2s.grad(f, wrt=wrt)(*fresh())
        v, _ = s2s.value_and_grad(f, wrt=wrt)(*fresh())
    except s2s.DifferentiationError:
        return
    n = s2s.numeric_grad(f, wrt=wrt)(*fresh())
    np.testing.assert_allclose(C.flat(g), C.flat(n), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(v, f(*fresh()), rtol=1e-9)
