"""Review 13b: properties and cached_property reading state that carries a derivative, a type-valued
default argument under hvp, and np.ravel / .ravel / .flatten with order 'K' and 'A'.

Each case was silently wrong (0.0 gradients) or crashed: it must now be right against finite differences
in reverse, forward and hvp (tests/test_real_programs.py ``check_all``), or refused with a
DifferentiationError."""
import functools

import numpy as np
import pytest

import s2s
from test_real_programs import check_all, fd_grad

D2 = np.array([0.5, 1.0, 2.0])


def _fd(f, args, wrt=0):
    return np.asarray(fd_grad(f, list(args), wrt), dtype=float)


# ------------------------------------------------------------------ a property reading state set in the function
class K:
    def __init__(self, ls):
        self.ls = ls

    @property
    def inv(self):
        return 1.0 / self.ls ** 2

    def inv_m(self):
        return 1.0 / self.ls ** 2


def set_then_property(ls, d2, k):
    k.ls = ls
    return np.sum(np.exp(-0.5 * d2 * k.inv))


def set_then_property_alias(ls, d2, k):
    k.ls = ls
    t = k.inv
    return np.sum(np.exp(-0.5 * d2 * t))


def set_then_method(ls, d2, k):
    k.ls = ls
    return np.sum(np.exp(-0.5 * d2 * k.inv_m()))


@pytest.mark.parametrize("f", [set_then_property, set_then_property_alias, set_then_method])
@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_property_reading_state_set_with_a_derivative_is_refused(f, mode):
    call = {"grad": lambda: s2s.grad(f)(0.9, D2, K(1.0)), "jvp": lambda: s2s.jvp(f)(0.9, D2, K(1.0), 1.0),
            "hvp": lambda: s2s.hvp(f)(0.9, D2, K(1.0), 1.0)}[mode]
    with pytest.raises(s2s.DifferentiationError, match="read again afterwards"):
        call()


def property_of_constant_object(ls, d2, k):
    return np.sum(np.exp(-0.5 * d2 * k.inv * ls))


def test_property_of_an_object_that_carries_nothing_still_differentiates():
    check_all(property_of_constant_object, 0.9, D2, K(1.3))


# ------------------------------------------------------------------ functools.cached_property
class Kernel:
    def __init__(self, ls):
        self.ls = ls

    @functools.cached_property
    def inv_ls2(self):
        return 1.0 / self.ls ** 2

    def __call__(self, d2):
        return np.exp(-0.5 * d2 * self.inv_ls2)


def cached_scalar(ls, d2):
    return np.sum(Kernel(ls)(d2))


class ArrayKernel:
    def __init__(self, ls):
        self.ls = ls

    @functools.cached_property
    def inv_ls2(self):
        return 1.0 / self.ls ** 2

    def __call__(self, A, B):
        d2 = np.sum(A ** 2, 1)[:, None] + np.sum(B ** 2, 1)[None, :] - 2 * A @ B.T
        return np.exp(-0.5 * d2 * self.inv_ls2)


def cached_array(ls, X, y):
    Kx = ArrayKernel(ls)(X, X) + 0.1 * np.eye(X.shape[0])
    return y @ np.linalg.solve(Kx, y)


def cached_argument(k, d2):
    return np.sum(np.exp(-0.5 * d2 * k.inv_ls2))


def _right_or_refused(fn, want):
    try:
        got = fn()
    except s2s.DifferentiationError:
        return
    np.testing.assert_allclose(np.asarray(got, dtype=float), want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp", "hessian"])
def test_cached_property_on_an_object_built_here(mode):
    ls, e = 0.9, 1e-4
    g = _fd(cached_scalar, (ls, D2))
    h = (cached_scalar(ls + e, D2) - 2 * cached_scalar(ls, D2) + cached_scalar(ls - e, D2)) / e ** 2
    want = {"grad": g, "jvp": 0.7 * g, "hvp": 0.7 * h, "hessian": h}[mode]
    call = {"grad": lambda: s2s.grad(cached_scalar)(ls, D2), "jvp": lambda: s2s.jvp(cached_scalar)(ls, D2, 0.7),
            "hvp": lambda: s2s.hvp(cached_scalar)(ls, D2, 0.7), "hessian": lambda: s2s.hessian(cached_scalar)(ls, D2)}
    _right_or_refused(call[mode], want)


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_cached_property_with_arrays(mode):
    rng = np.random.default_rng(0)
    X, y, ls = rng.standard_normal((4, 2)), rng.standard_normal(4), 1.1
    g = _fd(cached_array, (ls, X, y))
    call = {"grad": lambda: s2s.grad(cached_array)(ls, X, y), "jvp": lambda: s2s.jvp(cached_array)(ls, X, y, 0.7)}
    _right_or_refused(call[mode], g if mode == "grad" else 0.7 * g)


@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_cached_property_of_a_record_argument_is_refused(mode):
    call = {"grad": lambda: s2s.grad(cached_argument)(Kernel(0.9), D2),
            "jvp": lambda: s2s.jvp(cached_argument)(Kernel(0.9), D2, Kernel(1.0)),
            "hvp": lambda: s2s.hvp(cached_argument)(Kernel(0.9), D2, Kernel(1.0))}[mode]
    with pytest.raises(s2s.DifferentiationError, match="cached_property"):
        call()


# ------------------------------------------------------------------ a type as a default argument (hvp)
def conv(X, dtype=np.float64):   # scikit-learn's check_array signature
    X = np.asarray(X, dtype=dtype)
    return X


def through_dtype_default(w):
    X = conv(w)
    return np.sum(X ** 3 + np.sin(X))


def through_dtype_passed(w):
    X = conv(w, np.float64)
    return np.sum(X ** 3)


@pytest.mark.parametrize("f", [through_dtype_default, through_dtype_passed])
def test_type_argument_of_a_helper_carries_no_tangent(f):
    w = np.array([0.5, -1.0, 0.3])
    check_all(f, w)


def test_hessian_through_dtype_default():
    w = np.array([0.5, -1.0])
    np.testing.assert_allclose(s2s.hessian(through_dtype_default)(w), np.diag(6 * w - np.sin(w)), rtol=1e-10)


# ------------------------------------------------------------------ ravel / flatten with order 'K' and 'A'
C = np.arange(1.0, 25.0)


def squared_norm(x):   # scikit-learn's extmath.squared_norm
    x = np.ravel(x, order="K")
    return np.dot(x, x)


def ravel_k_transposed(x):
    return np.sum(np.ravel(x.T, order="K") * C[:x.size] * np.sin(np.ravel(x.T, order="K")))


def ravel_a_transposed(x):
    return np.sum(np.ravel(x.T, order="A") * C[:x.size] * np.ravel(x.T))


def ravel_k_strided(x):
    v = np.swapaxes(x, 0, 2)[::-1, :, ::2]
    return np.sum(np.tanh(np.ravel(v, order="K")) * C[:v.size])


def method_ravel_k(x):
    return np.sum(x.T.ravel(order="K") ** 2 * C[:x.size])


def method_flatten_a(x):
    return np.sum(x.T.flatten(order="A") ** 3 * C[:x.size])


def ravel_f(x):
    return np.sum(np.ravel(x, order="F") ** 2 * C[:x.size])


X2 = np.array([[1.0, 2.0, -0.5], [3.0, 4.0, 0.7]])
X3 = np.random.default_rng(1).standard_normal((2, 3, 4))


@pytest.mark.parametrize("f,x", [(squared_norm, X2), (ravel_k_transposed, X2), (ravel_a_transposed, X2),
                                 (ravel_k_strided, X3), (method_ravel_k, X2), (method_flatten_a, X2),
                                 (ravel_f, X2)])
def test_ravel_orders(f, x):
    check_all(f, x)


def test_squared_norm_exact():
    np.testing.assert_allclose(s2s.grad(squared_norm)(X2), 2 * X2)
    np.testing.assert_allclose(s2s.hvp(squared_norm)(X2, np.ones_like(X2)), 2 * np.ones_like(X2))
