"""Review 15 (helper classes15): false refusals of everyday Python idioms on outside programs (issue 11):
NumPy scalar casts, dataclass idioms, __slots__ records, the statistics/math/heapq helpers on lists of
floats, scipy.linalg's decompositions and solves. Each program is checked against finite differences in
reverse, forward (jvp) and hvp (tests/test_real_programs.py::check_all)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X3 = np.array([0.5, 1.5, -0.7])


# ---------------------------------------------------------------- a. NumPy scalar casts (np.float64(v), ...)
def cast_f64(x):
    return np.float64(x[0]) * x[1] + float(x[1]) ** 2


def cast_double_sin(x):
    return np.double(x[0] * 2.0) * np.sin(x[1]) + np.float64(x[2]) ** 3


def cast_f64_array(x):
    return np.sum(np.float64(x) ** 2 * np.cos(x))


def cast_f64_list(x):
    v = np.float64([x[0] * x[1], x[2]])
    return np.sum(v ** 2)


def cast_asarray_dtype(x):
    return np.asarray(x[0] * x[1], dtype=float) * x[2] + np.array(x[2], dtype=np.float64) ** 2


@pytest.mark.parametrize("f", [cast_f64, cast_double_sin, cast_f64_array, cast_f64_list, cast_asarray_dtype])
def test_numpy_scalar_casts(f):
    check_all(f, X3)


def cast_f32(x):
    return np.float64(np.float32(x[0] * x[2])) * x[1]


def test_float32_cast_rounds_but_differentiates():
    """np.float32(v): the derivative of the rounding cast is 1 (finite differences see float32 steps)."""
    g = s2s.grad(cast_f32)(X3)
    want = [X3[2] * X3[1], np.float32(X3[0] * X3[2]), X3[0] * X3[1]]
    np.testing.assert_allclose(g, want, rtol=1e-6)
    assert s2s.jvp(cast_f32)(X3, np.array([1.0, 0.0, 0.0])) == pytest.approx(X3[2] * X3[1], rel=1e-6)


def f64_alias_write(x):
    y = x * 2.0
    v = np.float64(y)   # the same array as y (NumPy returns a float64 array itself)
    v[0] = x[1] * 5.0
    return np.sum(y * np.array([1.0, 2.0, 3.0]))


def test_float64_of_array_aliases():
    """np.float64(y) of a float64 array is y itself: a write through it is a write into y."""
    try:
        check_all(f64_alias_write, X3)
    except s2s.DifferentiationError:
        pass   # refusing is sound too; a wrong gradient is not
