"""A method of a module-level array called on a value carrying a derivative: iamtrask's "11 lines"
network keeps its data ``X`` at module level and writes ``X.dot(syn0)``. s2s resolved ``X.dot`` to the
bound method object and looked for a rule for it ("no derivative rule for `ndarray.dot`"), where a
local array's ``x.dot(w)`` takes the method's rule (the reviewer's F64)."""
import numpy as np
import pytest

import s2s

X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
Y = np.array([[0, 1, 1, 0]], dtype=float).T
SCALE = np.float64(2.5)


def g_dot(v):
    return np.sum(X.dot(v) ** 2)


def g_transpose_dot(v):
    return np.sum(X.T.dot(np.tanh(X @ v)) * SCALE)


def trask_loss(syn0, syn1):
    l1 = 1 / (1 + np.exp(-(X.dot(syn0))))
    l2 = 1 / (1 + np.exp(-(l1.dot(syn1))))
    return np.sum((Y - l2) ** 2)


def scalar_method(v):
    return np.sum(v * SCALE.conjugate())


rng = np.random.default_rng(1)
V = rng.standard_normal(3)
S0, S1 = 2 * rng.random((3, 4)) - 1, 2 * rng.random((4, 1)) - 1


@pytest.mark.parametrize("f,args", [(g_dot, (V,)), (g_transpose_dot, (V,)), (trask_loss, (S0, S1)),
                                    (scalar_method, (V,))])
def test_module_level_array_methods(f, args):
    g = s2s.grad(f)(*args)
    np.testing.assert_allclose(g, s2s.numeric_grad(f)(*args), rtol=1e-6, atol=1e-8)
    t = rng.standard_normal(np.shape(args[0]))
    np.testing.assert_allclose(s2s.jvp(f)(*args, t), np.sum(g * t), rtol=1e-6, atol=1e-8)
    h = 1e-5
    fd = (s2s.grad(f)(args[0] + h * t, *args[1:]) - s2s.grad(f)(args[0] - h * t, *args[1:])) / (2 * h)
    np.testing.assert_allclose(s2s.hvp(f)(*args, t), fd, rtol=1e-4, atol=1e-6)
