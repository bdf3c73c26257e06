"""Calls whose callee is known only at run time go through ``pullback`` (s2s/pullback.py, issue 11).

``y = fn(x)`` with ``fn`` a local variable or a parameter compiles to
``y, fn_back = pullback(fn, x)`` in the forward sweep and ``dfn = fn_back(dy)``
in the backward sweep; pullback dispatches on the callee it meets. Checked
against central differences.
"""
import functools

import numpy as np
import pytest

import s2s

EPS = 1e-6


def fd(f, w, *rest):
    return (f(w + EPS, *rest) - f(w - EPS, *rest)) / (2 * EPS)


def make_loss(scale):
    def loss(w, x):
        return np.sum(np.tanh(x * w) ** 2) * scale
    return loss


def factory_made(w, x):
    loss = make_loss(2.0)
    return loss(w, x) + 1.0


def apply(fn, w):
    return fn(w) * 2.0


def wavy(v):
    return np.sin(v) * v


def passed_in(w):
    return apply(wavy, w) + apply(np.tanh, w)


def from_a_list(w, fns):
    total = 0.0
    for fn in fns:
        total = total + fn(w)
    return total


def scaled(a, b, c=1.0):
    return a * b * c


def through_partial(w, p):
    return p(w) + 0.0


class Square:
    def __call__(self, z):
        return z * z


def through_object(w, obj):
    return obj(w) * 3.0


SQUARE = Square()


def global_object(w):
    return SQUARE(w) * 3.0


@pytest.mark.parametrize("f,rest", [
    (factory_made, (1.3,)),
    (passed_in, ()),
    (from_a_list, ([wavy, np.tanh, functools.partial(scaled, c=0.5, b=2.0)],)),
    (through_partial, (functools.partial(scaled, 2.0, c=3.0),)),
    (through_object, (Square(),)),
    (global_object, ()),
], ids=["factory", "parameter", "list", "partial", "callable-object", "global-callable-object"])
def test_dynamic_callee(f, rest):
    got = s2s.grad(f)(0.7, *rest)
    assert np.isclose(got, fd(f, 0.7, *rest), rtol=1e-6)


def test_dynamic_call_reads_as_a_pullback():
    src = s2s.source(s2s.grad(from_a_list))
    assert "fn_back = pullback(fn, w)" in src and "stack.append(fn_back)" in src and "fn_back(dt)" in src
    assert "SQUARE_fwd" not in s2s.source(s2s.grad(global_object))   # a known callable object stays static
    assert "Square_call_fwd(SQUARE, w)" in s2s.source(s2s.grad(global_object))


def test_a_dynamic_callee_runs_once():
    calls = []

    def counted(v):
        calls.append(1)
        return v * v
    g = s2s.grad(apply, wrt=1)
    del calls[:]
    assert np.isclose(g(counted, 1.5), 6.0)
    assert len(calls) == 1


def test_random_draws_in_a_dynamic_callee_are_those_of_the_value():
    def noisy(v, rs):
        return v * rs.randn(3)

    def objective(w, fn, seed):
        return np.sum(fn(w, np.random.RandomState(seed)) ** 2)
    w = np.array([0.3, -0.2, 0.5])
    got = s2s.grad(objective)(w, noisy, 4)
    want = np.array([fd(lambda t: objective(np.where(np.arange(3) == i, t, w), noisy, 4), w[i]) for i in range(3)])
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_no_source_and_no_rule_names_the_line():
    def calls_it(w, fn):
        return fn(w)
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)test_pullback.py.*frexp"):
        s2s.grad(calls_it)(0.7, np.frexp)


def test_a_function_value_carrying_a_gradient_is_refused():
    def closes_over(w):
        fs = [functools.partial(scaled, w)]   # known only at run time: a list of partials
        return fs[0](w)
    # (the call `fs[0](w)` may be a method of a layer object carrying the gradient, differentiated through
    # pullback_self: the refusal is at the partial, which makes a function value holding `w`)
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)line 129.*makes a function value that holds a value "
                       "carrying a gradient.*Pass the differentiated value as an argument"):
        s2s.grad(closes_over)


def test_a_partial_of_a_known_function_is_a_direct_call():   # issue 11: s2s/desugar.py
    def closes_over(w):
        f = functools.partial(scaled, w)
        return f(w)
    assert s2s.grad(closes_over)(0.7) == pytest.approx(1.4)


def test_hvp_of_a_dynamic_call():
    # was refused: forward over the pullback (s2s/pullback_dual.py)
    e = 1e-5
    fd = (s2s.grad(passed_in)(0.7 + e) - s2s.grad(passed_in)(0.7 - e)) / (2 * e)
    assert s2s.hvp(passed_in)(0.7, 1.0) == pytest.approx(fd, rel=1e-6)
    assert s2s.hvp(passed_in)(0.7, 2.0) == pytest.approx(2 * fd, rel=1e-6)
