"""s2s.flatten(tree) -> (vector, unflatten), both directions differentiable (DESIGN.md section 1)."""
from collections import namedtuple

import numpy as np
import pytest

import s2s

P = namedtuple("P", "w b")
X = np.array([[1.0, 0.0], [0.5, 2.0]])


def _params():
    return {"layer": P(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -0.5])), "scale": 2.0, "extra": [1.5]}


def loss(p):
    w, b = p["layer"]
    h = np.tanh(X @ w * 0.1 + b)
    return np.sum(h ** 2) * p["scale"] + p["extra"][0] ** 2


FLAT, UNFLATTEN = s2s.flatten(_params())


def objective(v):
    return loss(UNFLATTEN(v))


def through_flatten(p):
    v, u = s2s.flatten(p)
    return np.sum(v ** 3)


def test_round_trip_keeps_structure_and_types():
    params = _params()
    flat, unflatten = s2s.flatten(params)
    assert flat.shape == (8,) and flat.dtype == np.float64
    back = unflatten(flat)
    assert set(back) == set(params) and isinstance(back["layer"], P)
    np.testing.assert_array_equal(back["layer"].w, params["layer"].w)
    assert type(back["scale"]) is float and back["scale"] == 2.0
    assert isinstance(back["extra"], list)
    with pytest.raises(ValueError):
        unflatten(np.zeros(3))


def test_gradient_through_unflatten_matches_finite_differences():
    g = s2s.grad(objective)(FLAT)
    np.testing.assert_allclose(g, s2s.numeric_grad(objective)(FLAT), rtol=1e-6, atol=1e-8)


def test_tangent_and_hvp_through_unflatten():
    v = np.linspace(-1.0, 1.0, FLAT.size)
    num = s2s.numeric_grad(objective)(FLAT)
    assert s2s.jvp(objective)(FLAT, v) == pytest.approx(num @ v, rel=1e-6)
    hv = s2s.hvp(objective)(FLAT, v)
    g = s2s.grad(objective)
    h = 1e-5
    np.testing.assert_allclose(hv, (g(FLAT + h * v) - g(FLAT - h * v)) / (2 * h), rtol=1e-5, atol=1e-7)


def test_gradient_through_flatten_has_the_trees_structure():
    params = _params()
    g = s2s.grad(through_flatten)(params)
    assert isinstance(g["layer"], P)
    np.testing.assert_allclose(g["layer"].w, 3 * params["layer"].w ** 2)
    assert g["scale"] == pytest.approx(12.0) and g["extra"][0] == pytest.approx(3 * 1.5 ** 2)
