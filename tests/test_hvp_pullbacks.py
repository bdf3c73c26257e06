"""hvp, hessian and grad of grad through calls whose function is known only at run time (s2s/pullback_dual.py).

The gradient of such a call holds ``y, fn_back = pullback(fn, x)``; forward mode over it (hvp) runs the callee
once for its value and tangent and once more, on a copy of its arguments, for the tangent of its gradient.
Checked against finite differences of the gradient (``check_all``), with the inputs unchanged and the callee's
own effects happening once; a callee whose second run could differ is refused, naming the user's line."""
import functools

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(13)
X = rng.normal(size=(4, 3))


def wavy(v):
    return np.sin(v) * v


def two_out(v):
    return np.tanh(v), v ** 3


def scaled(a, v, power=2):
    return a * v ** power


def through_list(x, fns):
    t = 0.0
    for g in fns:
        t = t + np.sum(g(x) * x)
    return t


def tuple_returning(x, fn):
    a, b = fn(x)
    return np.sum(a * b) + np.sum(a)


def with_keywords(x, fn):
    return np.sum(fn(1.5, x, power=3) * np.cos(x))


def partial_and_constant(x, fn, c):
    return np.sum(fn(x) * c) + np.sum(fn(c) * x)


def test_functions_in_a_list():
    check_all(through_list, np.array([0.3, -0.7, 1.1]), [wavy, np.cos, np.tanh])


def test_a_function_marked_non_differentiable_passed_as_a_value():
    # np.floor in a list of functions: its pullback gave None for its argument, and the gradient crashed in
    # add_grad (float + None), in grad as in hvp
    check_all(through_list, np.array([0.3, -0.7, 1.1]), [np.sin, np.floor, np.exp])


def test_a_callee_returning_a_tuple():
    check_all(tuple_returning, np.array([0.3, -0.7, 1.1]), two_out)


def test_keyword_arguments_and_a_partial():
    check_all(with_keywords, np.array([0.3, -0.7, 1.1]), scaled)
    check_all(with_keywords, np.array([0.3, -0.7, 1.1]), functools.partial(scaled))
    check_all(partial_and_constant, np.array([0.3, -0.7, 1.1]), functools.partial(scaled, 2.0),
              np.array([1.0, -2.0, 0.5]))


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def __call__(self, x):
        return x @ self.W + self.b

    def forward(self, x):
        return np.tanh(self(x))


class Model:
    def __init__(self, layers, act):
        self.layers, self.act = layers, act

    def predict(self, x):
        for layer in self.layers:
            x = self.act(layer.forward(x))
        return x


def model_loss(m, x):
    return np.sum(m.predict(x) ** 2)


def bound_methods(x, ms):
    return np.sum(ms[0](x) * ms[1](x))


def test_layers_with_respect_to_the_model_and_the_input():
    m = Model([Affine(rng.normal(size=(3, 4)), rng.normal(size=4)),
               Affine(rng.normal(size=(4, 2)), rng.normal(size=2))], np.sin)
    check_all(model_loss, m, X)
    check_all(model_loss, m, X, wrt=1)
    a = Affine(rng.normal(size=(3, 3)), rng.normal(size=3))
    check_all(bound_methods, X, [a.forward, a])


def test_hessian_and_grad_of_grad():
    x = np.array([0.3, -0.7, 1.1])
    fns = [wavy, np.cos]
    g, h = s2s.grad(through_list), 1e-6
    want = np.array([(g(x + h * e, fns) - g(x - h * e, fns)) / (2 * h) for e in np.eye(3)])
    np.testing.assert_allclose(s2s.hessian(through_list)(x, fns), want, rtol=1e-5, atol=1e-7)

    def along(a, fns):
        return through_list(np.array([a, 2 * a, 0.5]), fns)
    gg = s2s.grad(s2s.grad(along))(0.3, fns)
    fd = (s2s.grad(along)(0.3 + h, fns) - s2s.grad(along)(0.3 - h, fns)) / (2 * h)
    assert gg == pytest.approx(fd, rel=1e-6)


counted = []


def logging_callee(v):
    counted.append(1)   # an effect on a list of the module: happens once per call, as in the primal
    return v ** 3


def appends_to_its_argument(v, log):
    log.append(v.sum())
    return np.exp(v)


def with_a_log(x, fn, log):
    return np.sum(fn(x, log))


def test_effects_happen_once_and_inputs_are_unchanged():
    x = np.array([0.3, -0.7, 1.1])
    x0 = x.copy()
    # a change to a module's list would happen twice (the second run is on a copy of the arguments only)
    with pytest.raises(s2s.DifferentiationError, match="changes a global"):
        s2s.hvp(through_list)(x, [logging_callee], np.ones(3))
    log = []
    hv = s2s.hvp(with_a_log)(x, appends_to_its_argument, log, np.ones(3))
    assert len(log) <= 1 and np.array_equal(x, x0)   # never twice (hvp works on a copy of a list it is given)
    np.testing.assert_allclose(hv, np.exp(x), rtol=1e-12)


def noisy(v):
    return v * np.random.rand()


def test_a_callee_drawing_random_numbers_is_refused_naming_the_line():
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)test_hvp_pullbacks.py.*t = t \+ np.sum\(g\(x\).*random"):
        s2s.hvp(through_list)(np.array([0.3, -0.7]), [noisy], np.ones(2))
    assert s2s.grad(through_list)(np.array([0.3, -0.7]), [wavy]).shape == (2,)   # first order is fine


class Counting:
    def __init__(self, w):
        self.w, self.calls = w, 0

    def __call__(self, x):
        self.calls = self.calls + 1   # state of its own: the second run (on a copy) must not add to it
        return np.tanh(self.w * x)


def test_a_callable_object_keeping_state_is_run_once_on_the_original():
    c = Counting(np.array([0.5, -1.0, 2.0]))
    check_all(through_list, np.array([0.3, -0.7, 1.1]), [c, c.__call__])
    n = c.calls
    s2s.hvp(through_list)(np.array([0.3, -0.7, 1.1]), [c, c.__call__], np.ones(3))
    assert n < c.calls <= n + 2   # two calls in the primal, never four


class Tanh:
    def __call__(self, z):
        return np.tanh(z)


MIXED = [lambda z: z * np.exp(-z * z), Tanh()]


def through_mixed(w):
    h = w
    for a in MIXED:
        h = a(h) + 0.1 * h
    return np.sum(h ** 2)


def test_a_list_of_a_lambda_and_a_callable_object():
    # the lambda's check read the whole line holding it (the Tanh() call): refused as possibly impure
    check_all(through_mixed, np.array([0.3, -0.2, 0.5]))


def row_norms(X, squared=False):   # scikit-learn's extmath.row_norms, dense/sparse dispatch
    import scipy.sparse as sparse
    if sparse.issparse(X):
        X = X.tocsr()
        norms = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    else:
        norms = np.einsum("ij,ij->i", X, X)
    if not squared:
        norms = np.sqrt(norms)
    return norms


def with_row_norms(w, X):
    return np.sum(row_norms(X * w))


def test_a_sparse_predicate_in_a_helper_at_second_order():
    # hvp asked for a tangent rule of scipy.sparse.issparse (a bool): it is declared non-differentiable
    check_all(with_row_norms, np.array([0.3, -0.2, 0.5]), X)
