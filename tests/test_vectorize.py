"""``np.vectorize(f)(x)`` with f a function of the user's or a lambda (s2s/desugar.py ``_vectorize_call``): a
loop over x's elements, f differentiated as any call. Checked against finite differences in reverse, forward
and hvp mode."""
import math

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X = np.array([0.3, -0.2, 0.4, 1.1])


def piecewise(t):
    return t * math.exp(-t) if t > 0 else t * t


def with_lambda(x):
    f = np.vectorize(lambda t: t * t * t)
    return np.sum(f(x))


def called_at_once(x):
    return np.sum(np.vectorize(piecewise)(x) ** 2)


def on_a_matrix(x):
    vf = np.vectorize(piecewise)
    y = vf(x.reshape(2, 2))
    return np.sum(y * np.arange(2.0)[:, None]) + np.sum(vf(x[:2]))


@pytest.mark.parametrize("f", [with_lambda, called_at_once, on_a_matrix])
def test_vectorize_over_elements(f):
    check_all(f, X)


def test_vectorize_keeps_the_shape_and_the_callee_readable():
    src = s2s.grad(on_a_matrix).source(X)
    assert "piecewise_fwd(" in src and "np.ravel(" in src


def test_vectorize_with_options_of_another_meaning_is_refused():
    def f(x):   # (otypes=[float], excluded=, signature=None: followed, tests/test_review15_sk15.py)
        return np.sum(np.vectorize(piecewise, otypes=[np.float32, float])(x))
    with pytest.raises(s2s.DifferentiationError, match="makes 2 outputs"):
        s2s.grad(f)(X)
