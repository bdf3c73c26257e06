"""Where a complex value becomes real (np.real, .real, .imag, np.abs, abs), both modes refuse.

s2s differentiates real-valued code only. The elementwise rules (registry.elementwise) are written for
real numbers: their tangents are the chain rule, right for a holomorphic function of a complex value,
but their adjoints lack the conjugate; and a complex tangent reaching a function that is not
holomorphic (the real part, the imaginary part, the modulus) needs a rule of its own. So every exit
from complex to real refuses a complex value, in reverse and in forward mode alike. Before, forward
mode gave a complex jvp for a real function (``np.real``'s tangent was ``d[x]``, ``np.abs``'s
``d[x] * np.sign(x)``), and ``.imag`` was declared constant in both modes (a zero gradient).
"""
import numpy as np
import pytest

import s2s

C = np.array([1 + 2j, 0.5 - 1j])


def real_fn(x):
    return np.sum(np.real(np.exp2(x * C)))


def real_attr(x):
    return np.sum(np.exp(x * C).real)


def imag_attr(x):
    return np.sum(np.exp(x * C).imag)


def np_abs(x):
    return np.sum(np.abs(np.sin(x * C)))


def builtin_abs(x):
    return abs(np.tanh(x[0] * C[0]))


def log1p_real(x):
    return np.sum(np.real(np.log1p(x * C)))


CASES = [real_fn, real_attr, imag_attr, np_abs, builtin_abs, log1p_real]
X = np.array([0.4, 0.9])
V = np.array([1.0, -0.5])


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_complex_value_becoming_real_is_refused(f, mode):
    with pytest.raises(s2s.DifferentiationError, match="real-valued code only"):
        if mode == "grad":
            s2s.grad(f)(X)
        elif mode == "jvp":
            s2s.jvp(f)(X, V)
        else:
            s2s.hvp(f)(X, V)


def _real_parts(x):
    y = np.sin(x) * 2.0
    return np.sum(np.abs(y) + y.real + y.imag * 3.0 + np.real(y)) + abs(float(x[0]) - 1.0)


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_real_values_still_differentiated(mode):
    num = s2s.numeric_grad(_real_parts)(X)
    if mode == "grad":
        np.testing.assert_allclose(s2s.grad(_real_parts)(X), num, rtol=1e-6, atol=1e-8)
    else:
        np.testing.assert_allclose(s2s.jvp(_real_parts)(X, V), num @ V, rtol=1e-6, atol=1e-8)
