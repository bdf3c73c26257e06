"""Lambdas found where users write them (session 6): inside a literal written over several lines (the
lambda's line alone does not parse: it was "cannot parse the source of the lambda"), and several
lambdas with the same parameters on one line (told apart by where their code is)."""
import numpy as np
import pytest

import s2s

CASES = {
    "square": (lambda v: v * v * 2.0,
               3.0),
    "cube": (lambda v: v ** 3, 2.0),
}

PAIR = [lambda x: x ** 2, lambda x: x ** 3 + 1.0]


@pytest.mark.parametrize("name, want", [("square", 12.0), ("cube", 12.0)])
def test_lambda_inside_a_multiline_literal(name, want):
    f, x = CASES[name]
    assert s2s.grad(f)(x) == pytest.approx(want)
    assert s2s.jvp(f)(x, 1.0) == pytest.approx(want)


def test_two_lambdas_with_the_same_parameters_on_one_line():
    assert s2s.grad(PAIR[0])(2.0) == pytest.approx(4.0)
    assert s2s.grad(PAIR[1])(2.0) == pytest.approx(12.0)
    assert s2s.hvp(PAIR[1])(2.0, 1.0) == pytest.approx(12.0)


def test_lambda_error_names_its_own_line():
    import operator
    table = {"bad": (lambda v: operator.call(np.sin, v),
                     None)}
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(table["bad"][0])(1.0)
    assert 'table = {"bad": (lambda v: operator.call(np.sin, v),' in str(e.value)
    assert f"line {test_lambda_error_names_its_own_line.__code__.co_firstlineno + 2}" in str(e.value)
