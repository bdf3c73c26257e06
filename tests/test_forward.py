"""Forward mode (jvp, derivative, autodiff(mode="forward")) against finite differences."""
import inspect

import numpy as np
import pytest

import s2s


def cube_plus(x):
    y = x * x * x
    return y + 2.0 * x


def test_jvp_scalar_default_tangent():
    assert s2s.jvp(cube_plus)(1.5) == pytest.approx(3 * 1.5 ** 2 + 2.0)
    assert s2s.derivative(cube_plus)(1.5) == pytest.approx(3 * 1.5 ** 2 + 2.0)


def test_generated_source_is_readable():
    f = s2s.jvp(cube_plus)
    src = inspect.getsource(f)
    assert "dx" in src and "stack" not in src
