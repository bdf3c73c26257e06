"""scipy.special, scipy.signal and scipy.linalg through s2s (issue #12): what the registry test cannot express.

Parameters with no derivative (a Bessel order, an incomplete gamma/beta parameter) are refused at the
user's line; multigammaln, which used to be differentiated from SciPy's own source (the generated code
called .pop() on an array), has a rule; logsumexp's return_sign gives the gradient of log|sum|.
"""
import numpy as np
import pytest

import s2s
from s2s.errors import DifferentiationError

sc = pytest.importorskip("scipy.special")
import scipy.linalg as sla  # noqa: E402
from scipy.integrate import odeint  # noqa: E402


def jv_order(v, x):
    return np.sum(sc.jv(v, x))


def gammainc_a(a, x):
    return np.sum(sc.gammainc(a, x))


def betainc_b(a, b, x):
    return np.sum(sc.betainc(a, b, x))


@pytest.mark.parametrize("f,wrt,what", [(jv_order, 0, "`v`"), (gammainc_a, 0, "`a`"), (betainc_b, 1, "`b`")])
def test_parameter_without_derivative_is_refused(f, wrt, what):
    for build in (s2s.grad, s2s.jvp):
        with pytest.raises(DifferentiationError) as e:
            build(f, wrt=wrt)
        msg = str(e.value)
        assert "test_scipy_special.py" in msg and what in msg and "return np.sum(" in msg, msg


def mgl(a):
    return np.sum(sc.multigammaln(a, 3) * np.array([[1.0, -0.5, 2.0], [0.3, 1.0, -1.0]]))


def test_multigammaln():
    """Before: AttributeError: 'numpy.ndarray' object has no attribute 'pop' (from SciPy's source)."""
    a = np.array([[4.1, 4.5, 4.9], [4.3, 4.2, 4.8]])
    s2s.check_grad(mgl, a)
    v = np.ones_like(a)
    num = (mgl(a + 1e-6 * v) - mgl(a - 1e-6 * v)) / 2e-6
    assert np.isclose(s2s.jvp(mgl)(a, v), num, rtol=1e-6)


def lse_sign(a, b):
    r, sign = sc.logsumexp(a, axis=0, b=b, return_sign=True)
    return np.sum(r * np.array([1.0, -2.0, 0.5, 1.5]))


@pytest.mark.parametrize("wrt", [0, 1])
def test_logsumexp_return_sign(wrt):
    """Before: refused ('logsumexp(..., return_sign=True) has no gradient rule')."""
    a = np.array([[0.3, -1.0, 0.5, 2.0], [1.1, 0.2, -0.4, 0.0], [0.7, 0.9, 1.3, -2.0]])
    b = np.array([[1.0, -0.5, 2.0, 1.0], [0.5, 1.5, -0.2, 2.0], [1.0, 1.0, 1.0, -0.1]])
    s2s.check_grad(lse_sign, a, b, wrt=wrt)


def sqrtm_of(a):
    return np.sum(sla.sqrtm(a) * np.array([[1.0, 2.0], [-1.0, 0.5]]))


def test_sqrtm_complex_is_refused():
    a = np.array([[-1.0, 0.2], [0.1, -2.0]])   # negative eigenvalues: a complex square root
    with pytest.raises(DifferentiationError, match="complex"):
        s2s.grad(sqrtm_of)(a)


def decay(y, t, k):
    return -k * y + np.sin(t)


def ode_last(y0, t, k):
    ys = odeint(decay, y0, t, args=(k,), rtol=1e-11, atol=1e-11)
    return np.sum(ys[-1] * np.array([1.0, -2.0]))


@pytest.mark.parametrize("wrt", [0, 1, 2])
def test_odeint_adjoint_and_sensitivities(wrt):
    """Before: AttributeError: 'Subscript' object has no attribute 'id' (s2s read odeint's source)."""
    args = [np.array([0.5, -1.2]), np.linspace(0.0, 1.0, 4), 0.7]
    s2s.check_grad(ode_last, *args, wrt=wrt, rtol=1e-5, atol=1e-6)
    v = 0.3 if wrt == 2 else np.linspace(0.2, -0.4, np.size(args[wrt]))
    plus, minus = list(args), list(args)
    plus[wrt], minus[wrt] = args[wrt] + 1e-6 * v, args[wrt] - 1e-6 * v
    assert np.isclose(s2s.jvp(ode_last, wrt=wrt)(*args, v), (ode_last(*plus) - ode_last(*minus)) / 2e-6, rtol=1e-5)
