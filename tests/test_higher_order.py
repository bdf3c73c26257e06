"""Higher order: grad of grad, forward over reverse (hvp), hessian, jacobian."""
import numpy as np
import pytest

import s2s


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def test_hessian_rosenbrock_small():
    x = np.array([1.2, 0.7])
    h = s2s.hessian(rosenbrock)(x)
    want = np.array([[1200 * x[0] ** 2 - 400 * x[1] + 2, -400 * x[0]], [-400 * x[0], 200.0]])
    assert np.allclose(h, want)
