"""Kernel and Gaussian-process code as scikit-learn's kernels and GP tutorials write it: distances from
scipy.spatial.distance (``cdist``, ``pdist`` + ``squareform``), a kernel class whose ``__call__`` has an
``eval_gradient`` branch computing finite differences with ``f(*((theta + d,) + args))`` through a nested
function. That branch never runs here: it used to crash s2s (a SyntaxError in generated code: the nested function's
parameter was bound to the starred expression) and now refuses lazily, only if it runs. Checked against finite
differences in reverse, forward and hvp."""
import numpy as np
import pytest
from scipy.spatial.distance import cdist, pdist, squareform

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(2024)
X = rng.normal(size=(6, 2))
Y = rng.normal(size=(4, 2))
y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=6)


def rbf_cross(X, ell=0.8):
    K = np.exp(-0.5 * cdist(X / ell, Y / ell, metric="sqeuclidean"))
    return np.sum(K * np.cos(K))


def matern52(X, ell=1.3):
    dists = cdist(X / ell, Y / ell, metric="euclidean")
    K = dists * np.sqrt(5)
    K = (1.0 + K + K ** 2 / 3.0) * np.exp(-K)
    return np.sum(K ** 2)


def gp_nll(log_ell, X, y):
    ell = np.exp(log_ell)
    dists = pdist(X / ell, metric="sqeuclidean")
    K = np.exp(-0.5 * dists)
    K = squareform(K)
    np.fill_diagonal(K, 1)
    K = K + 0.1 * np.eye(len(X))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(K, y)
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))


@pytest.mark.parametrize("f", [rbf_cross, matern52])
def test_kernels_from_cdist(f):
    check_all(f, X)


def test_gp_negative_log_likelihood_from_pdist_and_squareform():
    check_all(gp_nll, 0.3, X, y)
    check_all(gp_nll, 0.3, X, y, wrt=1)


def test_a_metric_without_a_rule_is_refused_where_it_runs():
    def manhattan(X):
        return np.sum(cdist(X, Y, metric="cityblock"))
    with pytest.raises(s2s.DifferentiationError, match="cityblock"):
        s2s.grad(manhattan)(X)


def _approx_fprime(xk, f, epsilon, args=()):   # scikit-learn's finite differences of a kernel, unchanged
    f0 = f(*((xk,) + args))
    grad = np.zeros((f0.shape[0], f0.shape[1], len(xk)), float)
    ei = np.zeros((len(xk),), float)
    for k in range(len(xk)):
        ei[k] = 1.0
        d = epsilon * ei
        grad[:, :, k] = (f(*((xk + d,) + args)) - f0) / d[k]
        ei[k] = 0.0
    return grad


class Matern:
    def __init__(self, length_scale=1.0):
        self.length_scale = length_scale

    @property
    def theta(self):
        return np.log(np.atleast_1d(self.length_scale))

    def clone_with_theta(self, theta):
        return Matern(np.exp(theta[0]))

    def __call__(self, X, Y=None, eval_gradient=False):
        Y = X if Y is None else Y
        dists = cdist(X / self.length_scale, Y / self.length_scale, metric="euclidean")
        K = dists * np.sqrt(5)
        K = (1.0 + K + K ** 2 / 3.0) * np.exp(-K)
        if eval_gradient:
            def f(theta):  # helper function
                return self.clone_with_theta(theta)(X, Y)
            return K, _approx_fprime(self.theta, f, 1e-10)
        return K


def kernel_object_loss(X):
    return np.sum(Matern(length_scale=1.3)(X, Y))


def test_an_untaken_branch_with_a_starred_call_of_a_nested_function():
    # an object built and called in the function: its class's __call__ is known (facts.local_types), a static
    # call, so hvp differentiates it too (it went through a pullback, which hvp refused)
    check_all(kernel_object_loss, X)


def starred_nested_call(x):
    def f(a, b):
        return a * b
    args = (x, 2.0)
    return f(*args)


def starred_expression_call(x):
    def f(a, b):
        return a * b
    return f(*((x,) + (2.0,)))


def test_a_nested_function_called_with_starred_arguments():
    check_all(starred_nested_call, 1.5)   # a tuple bound once: spread statically
    with pytest.raises(s2s.DifferentiationError, match="return f\\(\\*\\(\\(x,\\) \\+ \\(2.0,\\)\\)\\)"):
        s2s.grad(starred_expression_call)(1.5)
