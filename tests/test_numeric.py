"""numeric_grad against derivatives known in closed form; check_grad's report.

These tests do not use s2s.grad: check_grad is exercised with a stand-in
``s2s.api`` module whose ``grad`` returns hand-written gradients.
"""
import collections
import math
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from s2s.numeric import check_grad, default_eps, numeric_grad


def close(a, b, tol=1e-7):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=tol, atol=tol)


# --- scalars -----------------------------------------------------------------

def cube(x):
    return x ** 3


def poly(x, y):
    z = x ** 2 + 3 * x * y + y ** 2
    return z


def test_scalar_derivative_is_a_float():
    g = numeric_grad(cube)(2.0)
    assert type(g) is float
    assert close(g, 12.0)


def test_int_argument_gives_float():
    g = numeric_grad(cube)(2)
    assert type(g) is float
    assert close(g, 12.0)


@pytest.mark.parametrize("x, y", [(2.0, 1.0), (0.0, 5.0), (-1.5, 0.25), (1e3, -2e3)])
def test_partials(x, y):
    assert close(numeric_grad(poly)(x, y), 2 * x + 3 * y)
    assert close(numeric_grad(poly, wrt=1)(x, y), 3 * x + 2 * y)


def test_wrt_forms():
    assert close(numeric_grad(poly, wrt=[1])(x=0.0, y=5.0), 10.0)  # one-element list -> bare
    assert close(numeric_grad(poly, wrt="y")(0.0, 5.0), 10.0)
    both = numeric_grad(poly, wrt=(0, 1))(1.0, 2.0)
    assert isinstance(both, tuple) and len(both) == 2
    assert close(both, (8.0, 7.0))
    assert close(numeric_grad(poly, wrt=["y", "x"])(1.0, 2.0), (7.0, 8.0))  # wrt order


def test_keyword_and_mixed_calls():
    assert close(numeric_grad(poly)(x=2.0, y=1.0), 7.0)
    assert close(numeric_grad(poly)(2.0, y=1.0), 7.0)
    assert close(numeric_grad(poly, wrt=1)(y=1.0, x=2.0), 8.0)


def test_defaults_honoured_and_differentiable():
    def f(x, a=2.0):
        return a * x ** 2

    assert close(numeric_grad(f)(3.0), 12.0)
    assert close(numeric_grad(f, wrt="a")(3.0), 9.0)  # wrt a defaulted parameter
    assert close(numeric_grad(f, wrt=1)(3.0, 5.0), 9.0)


def test_keyword_only_parameter():
    def f(x, *, scale):
        return scale * x * x

    assert close(numeric_grad(f, wrt="scale")(3.0, scale=2.0), 9.0)
    assert close(numeric_grad(f, wrt=1)(3.0, scale=2.0), 9.0)
    assert close(numeric_grad(f)(3.0, scale=2.0), 12.0)


@pytest.mark.parametrize("fn, dfn, x", [
    (math.sin, math.cos, 0.7),
    (math.exp, math.exp, -1.2),
    (math.log, lambda x: 1 / x, 3.5),
    (math.tanh, lambda x: 1 - math.tanh(x) ** 2, 0.3),
    (math.sqrt, lambda x: 0.5 / math.sqrt(x), 2.0),
    (np.arctan, lambda x: 1 / (1 + x * x), 10.0),
])
def test_builtin_functions(fn, dfn, x):
    assert close(numeric_grad(fn)(x), dfn(x))


@settings(max_examples=60, deadline=None)
@given(st.floats(-20, 20, allow_nan=False))
def test_sin_exp_everywhere(x):
    assert close(numeric_grad(np.sin)(x), np.cos(x), 1e-6)
    assert math.isclose(numeric_grad(lambda v: np.exp(v / 4))(x), np.exp(x / 4) / 4, rel_tol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-3, 3, allow_nan=False), min_size=1, max_size=5), st.floats(-2, 2))
def test_polynomials(coeffs, x):
    f = lambda t: sum(c * t ** k for k, c in enumerate(coeffs))
    want = sum(k * c * x ** (k - 1) for k, c in enumerate(coeffs) if k)
    assert math.isclose(numeric_grad(f)(x), want, rel_tol=1e-6, abs_tol=1e-6)


# --- the seed ----------------------------------------------------------------

def test_keyword_seed_scales_and_positional_extra_is_an_error():
    assert close(numeric_grad(cube)(2.0, seed=0.5), 6.0)
    assert close(numeric_grad(poly, wrt=1)(1.0, 2.0, seed=-2.0), -14.0)
    with pytest.raises(TypeError):   # the seed is keyword-only, as for s2s.grad
        numeric_grad(cube)(2.0, 0.5)


def test_seed_by_keyword():
    assert close(numeric_grad(poly, wrt=[1])(x=0.0, y=5.0, seed=3.0), 30.0)


def test_a_parameter_called_seed_is_not_the_seed():
    def f(x, seed):
        return seed * x

    assert close(numeric_grad(f)(2.0, seed=3.0), 3.0)
    assert close(numeric_grad(f)(2.0, 3.0), 3.0)
    with pytest.raises(TypeError):   # no trailing positional seed
        numeric_grad(f)(2.0, 3.0, 10.0)


def test_scalar_seed_on_array_output_means_ones():
    x = np.array([1.0, 2, 3, 4, 5])
    g = numeric_grad(lambda a: a ** 2 + 2 * a + 1)(x)
    assert close(g, [4, 6, 8, 10, 12])
    assert close(numeric_grad(lambda a: a ** 2)(x, seed=2.0), 4 * x)


def test_array_seed():
    x = np.array([1.0, -2.0, 3.0])
    s = np.array([1.0, 10.0, 0.0])
    assert close(numeric_grad(lambda a: a ** 2)(x, seed=s), 2 * x * s)


def test_array_seed_shape_must_match():
    with pytest.raises(ValueError, match="shape"):
        numeric_grad(lambda a: a ** 2)(np.ones(3), seed=np.ones(4))


def test_tuple_output_takes_tuple_seed():
    f = lambda x: (x ** 2, 3 * x)
    assert close(numeric_grad(f)(2.0), 4.0 + 3.0)  # default 1.0 for each element
    assert close(numeric_grad(f)(2.0, seed=(1.0, 2.0)), 4.0 + 6.0)
    assert close(numeric_grad(f)(2.0, seed=(0.0, 1.0)), 3.0)
    with pytest.raises(ValueError, match="seed"):
        numeric_grad(f)(2.0, seed=(1.0, 2.0, 3.0))


def test_tuple_output_with_arrays():
    f = lambda x: (np.sum(x ** 2), x * 2)
    x = np.array([1.0, 2.0])
    assert close(numeric_grad(f)(x, seed=(1.0, np.array([1.0, -1.0]))), 2 * x + [2, -2])


# --- arrays ------------------------------------------------------------------

def logistic(x):
    return 1 / (1 + np.exp(-x))


def test_logistic_elementwise():
    x = np.arange(10.0)
    y = logistic(x)
    g = numeric_grad(logistic)(x)
    assert isinstance(g, np.ndarray) and g.shape == x.shape and g.dtype == np.float64
    assert close(g, y * (1 - y))


def test_integer_array_gives_float64_of_same_shape():
    x = np.arange(6).reshape(2, 3)
    g = numeric_grad(lambda a: np.sum(a ** 2))(x)
    assert g.dtype == np.float64 and g.shape == (2, 3)
    assert close(g, 2 * x)


def test_float32_stays_float32():
    x = np.linspace(-2, 2, 7).astype(np.float32)
    g = numeric_grad(logistic)(x)
    assert g.dtype == np.float32 and g.shape == x.shape
    y = logistic(x.astype(np.float64))
    assert np.allclose(g, y * (1 - y), rtol=1e-3, atol=1e-4)


def test_float32_function_sees_float32():
    seen = set()

    def f(a):
        seen.add(a.dtype)
        return np.sum(a * a)

    numeric_grad(f)(np.ones(3, dtype=np.float32))
    assert seen == {np.dtype(np.float32)}


def test_zero_dim_array():
    g = numeric_grad(lambda a: a ** 3)(np.array(2.0))
    assert isinstance(g, np.ndarray) and g.shape == () and close(g, 12.0)


def test_numpy_scalars_keep_their_type():
    g = numeric_grad(cube)(np.float32(2.0))
    assert type(g) is np.float32 and np.isclose(g, 12.0, rtol=1e-3)
    g = numeric_grad(cube)(np.float64(2.0))
    assert isinstance(g, float) and close(g, 12.0)


def test_matrix_gradients():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((3, 4))
    v = rng.standard_normal(4)
    u = rng.standard_normal(3)
    f = lambda W, v: u @ np.tanh(W @ v)
    t = np.tanh(W @ v)
    dW, dv = numeric_grad(f, wrt=(0, 1))(W, v)
    assert close(dW, np.outer(u * (1 - t ** 2), v), 1e-6)
    assert close(dv, W.T @ (u * (1 - t ** 2)), 1e-6)


def test_broadcasting_ufunc_directly():
    x = np.arange(3.0).reshape(3, 1)
    y = np.arange(4.0)
    dx, dy = numeric_grad(np.multiply, wrt=(0, 1))(x, y)
    assert dx.shape == (3, 1) and dy.shape == (4,)
    assert close(dx, np.full((3, 1), y.sum()))
    assert close(dy, np.full(4, x.sum()))


def test_ufunc_seed_is_not_out():
    x = np.array([1.0, 2.0])
    assert close(numeric_grad(np.square)(x, seed=np.array([1.0, 3.0])), [2.0, 12.0])


def test_reductions_with_axis_keyword():
    x = np.arange(6.0).reshape(2, 3)
    assert close(numeric_grad(np.sum)(x, axis=0), np.ones((2, 3)))
    assert close(numeric_grad(np.mean)(x), np.full((2, 3), 1 / 6))


# --- structures ----------------------------------------------------------------

def h_x(theta0, theta1, x):
    return theta0 + theta1 * x


def loss_loop(m, theta0, theta1, X, Y):
    result = 0.0
    for i in range(0, m):
        result += (h_x(theta0, theta1, X[i]) - Y[i]) ** 2
    return result / (2 * m)


def test_seed_003_loop_version():
    X = [1, 2, 3, 4, 5, 6]
    Y = [13, 14, 20, 21, 25, 30]
    assert close(numeric_grad(loss_loop, wrt=(1, 2))(6, 0.0, 0.0, X, Y), (-20.5, -81.66666666666666))
    dX = numeric_grad(loss_loop, wrt="X")(6, 1.0, 2.0, X, Y)
    assert type(dX) is list and all(type(g) is float for g in dX)
    assert close(dX, [(1 + 2 * a - b) * 2 / 6 for a, b in zip(X, Y)])


def test_list_tuple_dict_arguments():
    def f(p):
        return p["w"][0] * p["w"][1] + np.sum(p["b"] ** 2) + p["t"][0] ** 3

    p = {"w": [2.0, 3.0], "b": np.array([1.0, -1.0]), "t": (2.0, "label"), "name": "x"}
    g = numeric_grad(f)(p)
    assert type(g) is dict and list(g) == list(p)
    assert type(g["w"]) is list and close(g["w"], [3.0, 2.0])
    assert isinstance(g["b"], np.ndarray) and close(g["b"], [2.0, -2.0])
    assert type(g["t"]) is tuple and close(g["t"][0], 12.0) and g["t"][1] == 0.0
    assert g["name"] == 0.0


def test_namedtuple_argument():
    P = collections.namedtuple("P", "a b")
    g = numeric_grad(lambda p: p.a * p.b)(P(2.0, 5.0))
    assert type(g) is P and close(g.a, 5.0) and close(g.b, 2.0)


def test_nondifferentiable_leaves():
    f = lambda x, flag: x * 2 if flag else x
    assert numeric_grad(f, wrt=1)(1.0, True) == 0.0
    g = numeric_grad(lambda a: np.sum(a))(np.array([True, False]))
    assert g.dtype == np.float64 and not g.any()


def test_gradient_of_unused_argument_is_zero():
    assert numeric_grad(lambda x, y: x * 2, wrt=1)(1.0, np.ones(3)).tolist() == [0.0, 0.0, 0.0]


# --- never mutating ------------------------------------------------------------

def test_caller_arrays_untouched():
    x = np.arange(5.0)
    data = {"a": np.ones(2), "l": [1.0, 2.0]}
    x0, a0 = x.copy(), data["a"].copy()
    numeric_grad(lambda x, d: np.sum(x * d["a"][0]) + d["l"][1], wrt=(0, 1))(x, data)
    assert np.array_equal(x, x0) and np.array_equal(data["a"], a0) and data["l"] == [1.0, 2.0]


def test_function_that_mutates_its_input():
    def f(x):
        x += 1.0  # in place
        return np.sum(x ** 2)

    x = np.array([1.0, 2.0])
    g = numeric_grad(f)(x)
    assert close(g, 2 * (x + 1))
    assert np.array_equal(x, [1.0, 2.0])


# --- eps -----------------------------------------------------------------------

def test_eps_is_relative_step():
    # central differences of x**3: ((x+h)^3 - (x-h)^3) / 2h = 3x^2 + h^2, with h = eps*max(1,|x|)
    assert math.isclose(numeric_grad(cube, eps=1e-2)(1.0), 3.0 + 1e-4, rel_tol=1e-9)
    assert math.isclose(numeric_grad(cube, eps=1e-2)(10.0), 300.0 + 1e-2, rel_tol=1e-9)


def test_default_eps_scales_with_dtype():
    assert default_eps(np.float64) == 1e-6
    assert 1e-3 < default_eps(np.float32) < 1e-2
    assert default_eps(np.float16) > default_eps(np.float32)
    assert default_eps(np.int64) == 1e-6


def test_large_values_still_accurate():
    assert math.isclose(numeric_grad(lambda x: x * x)(1e8), 2e8, rel_tol=1e-6)


# --- errors --------------------------------------------------------------------

@pytest.mark.parametrize("wrt, exc", [
    (2, ValueError), (-1, ValueError), ("z", ValueError), ([], ValueError),
    (True, TypeError), (1.0, TypeError),
])
def test_bad_wrt(wrt, exc):
    with pytest.raises(exc):
        numeric_grad(poly, wrt=wrt)


def test_bad_call_names_the_signature():
    with pytest.raises(TypeError, match="poly"):
        numeric_grad(poly)(1.0, 2.0, 3.0, 4.0)


def test_complex_rejected():
    with pytest.raises(TypeError, match="complex"):
        numeric_grad(lambda z: abs(z))(1 + 2j)
    with pytest.raises(TypeError, match="complex"):
        numeric_grad(lambda x: x * 1j)(1.0)


def test_non_numeric_output_rejected():
    with pytest.raises(TypeError, match="not a number"):
        numeric_grad(lambda x: None)(1.0)


def test_function_metadata():
    g = numeric_grad(poly)
    assert g.__name__ == "numeric_grad_poly"


# --- check_grad, with a stand-in s2s.api -----------------------------------------

@pytest.fixture
def fake_api(monkeypatch):
    """Install an s2s.api whose grad(f, wrt) returns GRADS[f.__name__]."""
    grads = {}
    module = types.ModuleType("s2s.api")
    module.grad = lambda f, wrt=0, **kw: grads[f.__name__]
    monkeypatch.setitem(sys.modules, "s2s.api", module)
    return grads


def test_check_grad_passes_and_returns_analytic(fake_api):
    fake_api["poly"] = lambda x, y, *, seed=1.0: (seed * (2 * x + 3 * y), seed * (3 * x + 2 * y))
    assert check_grad(poly, 1.0, 2.0, wrt=(0, 1)) == (8.0, 7.0)
    assert check_grad(poly, 1.0, 2.0, wrt=(0, 1), seed=3.0) == (24.0, 21.0)  # the seed passed on


def test_check_grad_keyword_arguments(fake_api):
    fake_api["poly"] = lambda x, y: 3 * x + 2 * y
    assert check_grad(poly, x=0.0, y=5.0, wrt=[1]) == 10.0


def test_check_grad_reports_the_wrong_argument(fake_api):
    fake_api["poly"] = lambda x, y: (2 * x + 3 * y, 3 * x + 2 * y + 0.5)
    with pytest.raises(AssertionError) as info:
        check_grad(poly, 1.0, 2.0, wrt=(0, 1))
    msg = str(info.value)
    assert "poly" in msg and "wrt=(0, 1)" in msg
    assert "argument 1 (y)" in msg and "MISMATCH" in msg
    assert "max abs error 0.5" in msg
    assert "7.5" in msg and "6.99999" in msg  # both values shown when small
    first = [l for l in msg.splitlines() if "argument 0 (x)" in l][0]
    assert "MISMATCH" not in first


def test_check_grad_array_report_has_index(fake_api):
    def f(a):
        return np.sum(a ** 2)

    bad = np.array([0.0, 2.0, 4.0, 7.0])
    fake_api["f"] = lambda a: bad
    with pytest.raises(AssertionError, match=r"at index \(3,\), 1 of 4 elements off"):
        check_grad(f, np.arange(4.0))


def test_check_grad_rejects_wrong_shape_or_type(fake_api):
    def f(a):
        return np.sum(a ** 2)

    fake_api["f"] = lambda a: 2 * np.asarray(a).reshape(1, -1)
    with pytest.raises(AssertionError, match="shape"):
        check_grad(f, np.arange(4.0))

    def g(t):
        return t[0] ** 2 + t[1] ** 2

    fake_api["g"] = lambda t: [2 * v for v in t]  # a list for a tuple argument
    with pytest.raises(AssertionError, match="gradient is list of length 2, argument is tuple"):
        check_grad(g, (1.0, 2.0))
    fake_api["g"] = lambda t: tuple(2 * v for v in t)
    assert check_grad(g, (1.0, 2.0)) == (2.0, 4.0)


def test_check_grad_tolerances(fake_api):
    fake_api["cube"] = lambda x: 12.0 + 1e-3
    with pytest.raises(AssertionError):
        check_grad(cube, 2.0)
    assert check_grad(cube, 2.0, rtol=1e-3) == 12.001


def test_check_grad_nan_is_a_mismatch(fake_api):
    fake_api["cube"] = lambda x: float("nan")
    with pytest.raises(AssertionError, match="MISMATCH"):
        check_grad(cube, 2.0)
