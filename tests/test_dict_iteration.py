"""Iterating a dict walks its keys. The normalizer wrote every ``for k in d`` as ``for i in range(len(d)):
k = d[i]``, which for a dict is d's values at keys 0, 1, ... (KeyError, or silently the wrong items), and
sorted(d) / list(d) passed derivatives to the keys (a crash adding a list to the dict's gradient; forward
mode gave the keys themselves as tangents). ``for k in params: ... params[k]`` is how ML code walks a dict
of parameters."""
import numpy as np
import pytest

import s2s


def loss(params, x):
    total = 0.0
    for k in params:
        total = total + np.sum(params[k] * x) ** 2
    return total


def local_dict_keys(x):
    acc = {"a": x[0] * 2, "bb": x[1] ** 2}
    total = 0.0
    for k in acc:
        total += acc[k] * len(k)
    return total


def keys_as_list(x):
    acc = {1: x[0] * 2, 2: x[1] ** 2}
    ks = list(acc)
    return sum(acc[k] * k for k in ks)


def sorted_keys(x):
    total = 0.0
    acc = {}
    for i, v in enumerate(x):
        acc[i % 2] = acc.get(i % 2, 0.0) + v * v
    for k in sorted(acc):
        total += acc[k] * (k + 1)
    return total


P = {"w": np.array([1.0, 2.0]), "b": np.array([0.5, -1.0])}
X = np.array([0.7, 1.3, -0.4])


@pytest.mark.parametrize("f", [local_dict_keys, keys_as_list, sorted_keys])
def test_dict_keys_in_both_modes(f):
    expected = s2s.numeric_grad(f)(X)
    assert np.allclose(s2s.grad(f)(X), expected, rtol=1e-6)
    v = np.array([0.5, -0.3, 0.2])
    assert np.allclose(s2s.jvp(f)(X, v), expected @ v, rtol=1e-6)


def test_loop_over_a_dict_parameter():
    x = np.array([0.3, 0.7])
    assert np.allclose(s2s.grad(loss, wrt=1)(P, x), s2s.numeric_grad(loss, wrt=1)(P, x), rtol=1e-6)
    g = s2s.grad(loss, wrt=0)(P, x)
    expected = s2s.numeric_grad(loss, wrt=0)(P, x)
    assert set(g) == {"w", "b"} and all(np.allclose(g[k], expected[k], rtol=1e-6) for k in P)
