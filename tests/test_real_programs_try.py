"""Real programs, session 14 of issue 11: the path a ``try`` statement takes is the one differentiated
(s2s/try_paths.py). A library's fallback (``try: L = np.linalg.cholesky(K) except np.linalg.LinAlgError:
L = np.linalg.cholesky(K + jitter * I)``, in a function and in a method; a ValueError a helper raises;
try/except/else; finally; a body whose second statement raises) is checked against finite differences in
reverse mode, forward mode and hvp (``check_all``), at an input where the body runs through and one where
the except path runs. A try s2s does not take so (an effect in the body, ``except E as e``) still refuses
its except path when it runs, naming the line."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X = np.array([0.0, 0.3, 0.3, 1.0])   # a point given twice: K is singular, and with the nugget cholesky raises


def kernel(X, ell, nugget=-1e-3):   # (a nugget estimated below zero: K is not positive definite)
    d = X[:, None] - X[None, :]
    return np.exp(-d ** 2 / ell ** 2) + nugget * np.eye(len(X))


def gp_logdet(ell):
    K = kernel(X, ell)
    n = K.shape[0]
    try:
        L = np.linalg.cholesky(K)
    except np.linalg.LinAlgError:   # statsmodels-style: add jitter and try again
        L = np.linalg.cholesky(K + 1e-2 * np.eye(n))
    return 2.0 * np.sum(np.log(np.diag(L)))


def gp_logdet_regular(ell):   # the points apart: cholesky succeeds, the body's path
    K = kernel(X + np.array([0.0, 0.0, 0.5, 0.0]), ell, 0.0)
    try:
        L = np.linalg.cholesky(K)
    except np.linalg.LinAlgError:
        L = np.linalg.cholesky(K + 1e-2 * np.eye(4))
    return 2.0 * np.sum(np.log(np.diag(L))) + np.sum(L)


def robust_cholesky(K):   # a helper returning from its try body and from its handler
    try:
        return np.linalg.cholesky(K)
    except np.linalg.LinAlgError:
        return np.linalg.cholesky(K + 1e-2 * np.eye(K.shape[0]))


def gp_through_a_helper(ell):
    L = robust_cholesky(kernel(X, ell))
    return np.sum(np.log(np.diag(L))) + np.sum(L ** 2)


class GaussianProcess:
    def __init__(self, X, y):
        self.X, self.y = X, y

    def nll(self, ell):
        K = kernel(self.X, ell)
        try:
            L = np.linalg.cholesky(K)
        except np.linalg.LinAlgError:
            L = np.linalg.cholesky(K + 1e-2 * np.eye(len(self.X)))
        alpha = np.linalg.solve(L, self.y)
        return 0.5 * alpha @ alpha + np.sum(np.log(np.diag(L)))


gp = GaussianProcess(X, np.array([0.5, -0.2, 0.1, 0.3]))


def gp_method(ell):
    return gp.nll(ell)


def safe_logit(p):
    if np.any(p <= 0.0) or np.any(p >= 1.0):
        raise ValueError("probabilities outside (0, 1)")
    return np.log(p / (1.0 - p))


def value_error_fallback(x):
    p = 1.2 / (1.0 + np.exp(-x)) - 0.1
    try:
        z = safe_logit(p)
    except ValueError:
        z = np.tanh(p) * 3.0
    return np.sum(z * x)


def else_and_finally(x):
    y = x[0] * 1.0
    try:
        r = np.linalg.solve(np.array([[x[0], x[1]], [0.0, 0.0]]), x)   # singular: LinAlgError
    except np.linalg.LinAlgError:
        r = x / np.sum(x ** 2)
    else:
        y = y + np.sum(r)
    finally:
        y = y * np.sum(r ** 2)
    return y


def second_statement_raises(x):   # `a` is bound when cholesky raises: the handler reads it
    try:
        a = -np.outer(x, x) - np.eye(2)
        L = np.linalg.cholesky(a)   # not positive definite: LinAlgError
        s = np.sum(np.log(np.diag(L)))
    except np.linalg.LinAlgError:
        s = np.sum(a ** 2) * 0.1
    except ValueError:
        s = np.sum(x)
    return s * x[0]


A_OK = np.array([0.9, 1.7])


@pytest.mark.parametrize("f, arg", [
    (gp_logdet, 0.7), (gp_logdet_regular, 0.7), (gp_through_a_helper, 0.7), (gp_method, 0.7),
    (gp.nll, 0.7), (value_error_fallback, np.array([0.5, -0.3])), (value_error_fallback, np.array([5.0, -0.3])),
    (else_and_finally, A_OK), (second_statement_raises, A_OK)],
    ids=["cholesky_fallback", "cholesky_succeeds", "in_a_helper", "in_a_method", "the_method", "value_error_not_raised",
         "value_error_raised", "else_and_finally", "second_statement_raises"])
def test_the_path_taken_is_differentiated(f, arg):
    before = np.copy(arg)
    check_all(f, arg)
    assert np.array_equal(arg, before)


def test_the_inputs_take_the_paths_they_are_meant_to():
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(kernel(X, 0.7))
    np.linalg.cholesky(kernel(X + np.array([0.0, 0.0, 0.5, 0.0]), 0.7, 0.0))
    with pytest.raises(ValueError):
        safe_logit(1.2 / (1.0 + np.exp(-np.array([5.0, -0.3]))) - 0.1)
    safe_logit(1.2 / (1.0 + np.exp(-np.array([0.5, -0.3]))) - 0.1)
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(np.array([[A_OK[0], A_OK[1]], [0.0, 0.0]]), A_OK)


def test_the_generated_code_chooses_the_path_the_primal_took():
    src = s2s.source(s2s.grad(gp_logdet))
    assert "try_path(try_" in src and "if " in src and "refuse_caught" not in src, src
    assert src.count("np.linalg.cholesky(") == 2, src   # the body's and the handler's, each in its branch


def test_an_exception_no_handler_catches_goes_on():
    def f(x):
        try:
            y = np.linalg.cholesky(x)
        except TypeError:   # (LinAlgError is a ValueError)
            y = x
        return np.sum(y)
    for mode, args in (("grad", (-np.eye(2),)), ("jvp", (-np.eye(2), np.eye(2))), ("hvp", (-np.eye(2), np.eye(2)))):
        with pytest.raises(np.linalg.LinAlgError):
            getattr(s2s, mode)(f)(*args)


def written_before_the_raise(x):   # an effect in the body: the try is not taken so (its except path refused)
    try:
        a = np.outer(x, x)
        a[0, 0] = 0.0
        L = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        L = np.eye(2) * x[0]
    return np.sum(L)


def binds_the_exception(x):
    try:
        L = np.linalg.cholesky(np.outer(x, x))
    except np.linalg.LinAlgError as e:
        L = np.eye(2) * x[0] * len(str(e))
    return np.sum(L)


@pytest.mark.parametrize("f, line", [(written_before_the_raise, "L = np.linalg.cholesky(a)"),
                                     (binds_the_exception, "L = np.linalg.cholesky(np.outer(x, x))")])
def test_a_try_not_taken_so_refuses_its_except_path_naming_the_line(f, line):
    with pytest.raises(s2s.DifferentiationError, match="except path") as e:
        s2s.grad(f)(A_OK)
    assert line in str(e.value)
