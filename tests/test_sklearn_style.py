"""scikit-learn-style code: the array namespace held in a local (``xp, _ = get_namespace(y, p)``), a module
given or returned as a value, functions of array_api_compat's NumPy wrapper, validation code with imports
in branches that do not run. Each case against finite differences in reverse, forward and hvp."""
import numpy as np
import pytest

import s2s
from _sklearn_style import get_namespace, np_compat, numpy_namespace, scaled
from test_real_programs import check_all

needs_compat = pytest.mark.skipif(np_compat is None, reason="array-api-compat (the test extra) is not installed")

Y = np.array([1.0, 2.0, 3.0, 0.5])
P = np.array([0.5, 2.5, 2.0, -0.3])
PROB = np.array([0.2, 0.7, 0.6, 0.4])
LABELS = np.array([0.0, 1.0, 1.0, 0.0])
R = np.random.RandomState(14)
X = R.randn(4, 3)


def mse_constant_namespace(p, y):
    xp, _ = numpy_namespace(y, p)   # `return np, False`: xp.mean is np.mean
    return xp.mean((y - p) ** 2)


def _loss(p, y, xp):
    return xp.sum(xp.exp(p) - y * p)


def namespace_passed_on(p, y):
    xp, _ = numpy_namespace(y, p)
    return _loss(p, y, xp)


def test_a_helper_returning_a_module_constant():
    # xp.mean(t) was read as the array method xp.mean(axis=t): the generated code crashed
    check_all(mse_constant_namespace, P, Y)
    check_all(namespace_passed_on, P, Y)
    src = s2s.grad(mse_constant_namespace).source(P, Y)
    assert "pullback" not in src and "numpy_namespace_fwd" not in src   # known now: np.mean's rule, inline


def log_loss_style(y_prob, y_true):
    xp, _ = get_namespace(y_true, y_prob)
    eps = xp.finfo(y_prob.dtype).eps
    y_prob = xp.clip(y_prob, eps, 1 - eps)
    return -xp.mean(y_true * xp.log(y_prob) + (1 - y_true) * xp.log(1 - y_prob))


def _clipped(p, xp):
    return xp.sum(xp.clip(p, 0.1, 0.9) ** 2)


def clip_passed_on(p):
    xp, _ = get_namespace(p)
    return _clipped(p, xp)


def logistic_style(w):
    xp, _ = get_namespace(w)
    z = xp.matmul(X, w)
    return xp.sum(xp.log(1 + xp.exp(-z))) + 0.5 * xp.sum(w * w)


def tensordot_style(a, b):
    # sklearn.utils.extmath.safe_sparse_dot: xp.tensordot in a branch that does not run, then attributes read
    xp, _ = get_namespace(a, b)
    if a.ndim > 2 or b.ndim > 2:
        ret = xp.tensordot(a, b, axes=[-1, -2])
    else:
        ret = a @ b
    if hasattr(ret, "toarray") and a.ndim == 7:
        return ret.toarray()
    return xp.sum(xp.tanh(ret) ** 2)


@needs_compat
@pytest.mark.parametrize("f, args", [(log_loss_style, (PROB, LABELS)), (clip_passed_on, (PROB,)),
                                     (logistic_style, (R.randn(3),)), (tensordot_style, (X, R.randn(3, 2)))])
def test_a_namespace_decided_when_the_getter_runs(f, args):
    # xp, _ = get_namespace(...) of a function of the user's: its element 0 reads nothing computed from the
    # arguments (s2s/return_activity.py); xp.clip(p, ...) was read as the array method of xp (a crash), xp.matmul
    # under hvp said "matmul is not a Python function" with no line, xp.tensordot refused "reads state"
    check_all(f, *args)


def reshape_by_a_computed_int(x):
    m, k = scaled(x)   # k carries a derivative as far as s2s can tell: m may be anything
    return np.sum(np.sin(m.reshape(k, -1)) ** 2)


def mean_over_a_computed_axis(x):
    m, k = scaled(x)
    return np.sum(np.cos(m.mean(k - 1)))


def namespace_parameter(x, xp):
    return xp.mean(x ** 2) + xp.sum(xp.clip(x, -0.5, 0.5))


def namespace_bound_twice(x):
    xp = np
    if x[0] > 10:
        xp = np
    return xp.sum(xp.tanh(x) * x)


@pytest.mark.parametrize("f, args", [(reshape_by_a_computed_int, (R.randn(2, 2),)),
                                     (mean_over_a_computed_axis, (R.randn(2, 3),)),
                                     (namespace_parameter, (R.randn(4), np)),
                                     (namespace_bound_twice, (R.randn(4),))])
def test_a_receiver_that_may_not_be_an_array_is_dispatched_when_it_runs(f, args):
    # r.mean(t) with t carrying a derivative: r is a module (np.mean(t)) or an array (the method, t its axis),
    # decided when the call runs (pullback_self / pullback: s2s/calls.py unsure_receiver)
    check_all(f, *args)


def with_an_import_in_a_branch(x, frame=False):
    if frame:   # (check_array: `from pandas import SparseDtype` for a DataFrame)
        from _s2s_no_such_module import SparseDtype   # noqa: F401
        x = x * 2
    return np.sum(x ** 3)


def test_an_import_failing_in_a_branch_that_does_not_run():
    check_all(with_an_import_in_a_branch, R.randn(3))
    with pytest.raises(ImportError):   # where the branch runs, the import fails as in the primal
        s2s.grad(with_an_import_in_a_branch)(R.randn(3), True)


def _apply(act, z):
    return act(z) * 2.0


def given_a_function(w, model_fn):
    return np.sum(model_fn(np.tanh, X @ w) ** 2)


def test_a_runtime_callee_calling_a_function_it_is_given_under_hvp():
    # model_fn is known only when the call runs (a pullback), and it calls `act`, a function it is given: hvp
    # refused it ("calls a function s2s cannot see"); the argument is np.tanh, which runs alike twice
    check_all(given_a_function, R.randn(3), _apply)
