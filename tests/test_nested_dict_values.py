"""A dict of dicts walked by ``.values()`` / ``.items()`` (the MLP with a dict of layer dicts, the L2
penalty over ``params.values()``): the gradient of each inner dict came back as zeros (the reviewer's
F62: grad_to_sequence took every item that is a dict for ``list(d)``, whose keys carry no gradient),
while forward mode was right. Checked against finite differences in reverse, forward and hvp."""
import numpy as np
import pytest

import s2s


def mlp_values(params, X):
    h = X
    for layer in params.values():
        h = np.tanh(h @ layer["W"] + layer["b"])
    return np.sum(h ** 2)


def mlp_items(params, X):
    h = X
    for name, layer in params.items():
        h = np.tanh(h @ layer["W"] + layer["b"])
    return np.sum(h ** 2)


def l2_values(params, X):
    return sum(np.sum(p["W"] ** 2) for p in params.values()) + np.sum(X) * 0.0


def list_of_values(params, X):
    layers = list(params.values())
    return np.sum(np.tanh(X @ layers[0]["W"] + layers[0]["b"]) * (X @ layers[0]["W"]))


def zip_values(params, X):
    s = 0.0
    for layer, c in zip(params.values(), (1.0, 2.0)):
        s = s + c * np.sum(layer["W"] ** 2) + np.sum(layer["b"])
    return s + np.sum(X) * 0.0


def nested_values_values(params, X):
    s = 0.0
    for group in params.values():
        for p in group.values():
            s = s + np.sum(p ** 2)
    return s + np.sum(X) * 0.0


def copy_of_dict_of_dicts(params, X):
    inner = {k: {kk: vv * 1.0 for kk, vv in v.items()} for k, v in params.items()}
    return np.sum(inner["l1"]["W"] ** 2) + np.sum(np.tanh(X @ inner["l1"]["W"]) @ inner["l2"]["W"])


rng = np.random.default_rng(0)
X = rng.standard_normal((4, 3))
P = {"l1": {"W": rng.standard_normal((3, 4)) * 0.5, "b": rng.standard_normal(4) * 0.1},
     "l2": {"W": rng.standard_normal((4, 2)) * 0.5, "b": rng.standard_normal(2) * 0.1}}
FUNCS = [mlp_values, mlp_items, l2_values, list_of_values, zip_values, nested_values_values]


def _leaves(t):
    if isinstance(t, dict):
        return [x for k in sorted(t) for x in _leaves(t[k])]
    return [np.asarray(t, float)]


def _copy(t):
    return {k: {kk: np.array(vv) for kk, vv in v.items()} for k, v in t.items()}


@pytest.mark.parametrize("f", FUNCS + [copy_of_dict_of_dicts])
def test_reverse(f):
    g = s2s.grad(f)(_copy(P), X)
    n = s2s.numeric_grad(f)(_copy(P), X)
    assert isinstance(g, dict) and set(g) == set(P)
    for a, b in zip(_leaves(g), _leaves(n)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert any(np.any(a != 0) for a in _leaves(g))


@pytest.mark.parametrize("f", FUNCS)
def test_forward_and_hvp(f):
    t = {k: {kk: rng.standard_normal(np.shape(vv)) for kk, vv in v.items()} for k, v in P.items()}
    g = s2s.grad(f)(_copy(P), X)
    want = sum(np.sum(a * b) for a, b in zip(_leaves(g), _leaves(t)))
    np.testing.assert_allclose(s2s.jvp(f)(_copy(P), X, t), want, rtol=1e-6, atol=1e-8)
    h = 1e-5
    shift = lambda e: {k: {kk: P[k][kk] + e * t[k][kk] for kk in P[k]} for k in P}
    fd = [(a - b) / (2 * h) for a, b in zip(_leaves(s2s.grad(f)(shift(h), X)), _leaves(s2s.grad(f)(shift(-h), X)))]
    for a, b in zip(_leaves(s2s.hvp(f)(_copy(P), X, t)), fd):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
