"""A write into an array held by an argument or a record that carries a gradient (``p.W[0, 0] = 0.0``
with p a namedtuple, a dataclass or an object): the gradient of p.W came back as if the write did not
happen, and for a dataclass or an object the caller's array was changed (the reviewer's F59). Refused
now, naming the user's line and the copy to make instead; the copy differentiates."""
from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pytest

import s2s

P = namedtuple("P", "W b")


@dataclass
class D:
    W: np.ndarray
    b: np.ndarray


class Obj:
    def __init__(self, W, b):
        self.W = W
        self.b = b


def field_write(p, X):
    p.W[0, 0] = 0.0
    return np.sum(np.tanh(X @ p.W + p.b))


def built_inside(W, b, X):
    p = P(W * 1.0, b * 1.0)
    p.W[0, 0] = 0.0
    return np.sum(np.tanh(X @ p.W + p.b))


def the_fix(p, X):
    W = p.W.copy()
    W[0, 0] = 0.0
    return np.sum(np.tanh(X @ W + p.b))


rng = np.random.default_rng(0)
W, b, X = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((4, 3))


@pytest.mark.parametrize("T", [P, D, Obj])
def test_write_into_a_field_array_is_refused_and_the_input_kept(T):
    p = T(W.copy(), b.copy())
    calls = [lambda: s2s.grad(field_write)(p, X), lambda: s2s.value_and_grad(field_write)(p, X),
             lambda: s2s.jvp(field_write)(p, X, T(W * 0 + 1, b * 0 + 1))]
    for call in calls:
        with pytest.raises(s2s.DifferentiationError, match=r"(?s)line 29.*p\.W\[0, 0\].*W = p\.W\.copy\(\); W\[0, 0\]"):
            call()
    np.testing.assert_array_equal(p.W, W)


def test_record_built_inside():
    with pytest.raises(s2s.DifferentiationError, match=r"p\.W\[0, 0\]"):
        s2s.grad(built_inside)(W, b, X)


@pytest.mark.parametrize("T", [P, D])
def test_the_fix_differentiates(T):
    g = s2s.grad(the_fix)(T(W.copy(), b.copy()), X)
    n = s2s.numeric_grad(the_fix)(T(W.copy(), b.copy()), X)
    np.testing.assert_allclose(g.W, n.W, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(g.b, n.b, rtol=1e-6, atol=1e-8)
    assert g.W[0, 0] == 0.0
