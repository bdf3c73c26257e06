"""Unpacking a dict view (``W, b = params.values()``, ``(_, p), (_, q) = P.items()``): the generated code
indexed the view and crashed with "'dict_values' object is not subscriptable" (the reviewer's F84)."""
import numpy as np
import pytest

import s2s


def values_flat(P):
    p, q = P.values()
    return np.sum(p ** 2) + 3.0 * np.sum(q ** 3)


def items_nested(P):
    (_, p), (_, q) = P.items()
    return np.sum(np.tanh(p) * q)


def keys_and_values(P):
    k1, k2 = P.keys()
    W, b = P.values()
    return np.sum(P[k1] * W) + np.sum(b) * len(k2)


P = {"a": np.array([0.5, -1.2]), "b": np.array([2.0, 0.7])}


@pytest.mark.parametrize("f", [values_flat, items_nested, keys_and_values])
def test_unpacking_a_dict_view(f):
    g = s2s.grad(f)({k: v.copy() for k, v in P.items()})
    n = s2s.numeric_grad(f)({k: v.copy() for k, v in P.items()})
    for k in P:
        np.testing.assert_allclose(g[k], n[k], rtol=1e-6, atol=1e-8)
    t = {"a": np.array([0.3, -0.1]), "b": np.array([1.0, 2.0])}
    np.testing.assert_allclose(s2s.jvp(f)(P, t), sum(np.sum(g[k] * t[k]) for k in P), rtol=1e-6)
    h = 1e-5
    shift = lambda e: {k: P[k] + e * t[k] for k in P}
    hv = s2s.hvp(f)(P, t)
    for k in P:
        fd = (s2s.grad(f)(shift(h))[k] - s2s.grad(f)(shift(-h))[k]) / (2 * h)
        np.testing.assert_allclose(hv[k], fd, rtol=1e-4, atol=1e-6)
