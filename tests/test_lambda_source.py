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


def test_scipy_rosen_and_entropy_in_user_code():
    """scipy.optimize.rosen and scipy.stats.entropy have rules (they were refused: SciPy's source is not read);
    grad of rosen itself says to wrap it."""
    import scipy.optimize as so
    import scipy.stats as st
    x = np.array([1.3, 0.7, 0.8, 1.9, 1.2])

    def loss(v):
        return so.rosen(v) + st.entropy(v * v)

    want = s2s.numeric_grad(loss)(x)
    np.testing.assert_allclose(s2s.grad(loss)(x), want, rtol=1e-6)
    p = np.linspace(-1.0, 1.0, 5)
    np.testing.assert_allclose(s2s.jvp(loss)(x, p), want @ p, rtol=1e-6)
    h = s2s.hessian(loss)(x)
    np.testing.assert_allclose(h[:, 0], s2s.numeric_grad(lambda v: s2s.grad(loss)(v)[0])(x), rtol=1e-5, atol=1e-6)
    res = so.minimize(so.rosen, np.zeros(3), jac=s2s.grad(lambda v: so.rosen(v)), method="BFGS")
    np.testing.assert_allclose(res.x, np.ones(3), atol=1e-4)
    with pytest.raises(s2s.DifferentiationError, match=r"Wrap it in a function: `s2s.grad\(lambda x: scipy.optimize"):
        s2s.grad(so.rosen)
