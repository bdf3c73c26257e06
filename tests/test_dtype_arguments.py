"""A call given ``dtype=`` (or a positional dtype): an integer or boolean dtype makes the result piecewise
constant, so no derivative flows through it. The rules of np.asarray, np.array, np.cumsum, np.full,
x.sum(...) did not read ``dtype`` and passed the derivative through as for a float dtype: silently wrong
gradients and tangents (np.asarray(x * x, dtype=int) gave 2x). s2s/instantiate.py now wraps the
derivatives of such a rule in ``dtype_grad(g, dtype)`` (s2s/rule_helpers.py): g for float dtypes, zero
otherwise. np.sum/np.mean accept ``dtype=`` (SciPy's own code passes it)."""
import numpy as np
import pytest

import s2s


def asarray_int(x): return np.sum(np.asarray(x * x, dtype=int)) + np.sum(x)
def array_int64(x): return np.sum(np.array(x * x, dtype=np.int64)) + np.sum(x)
def astype_int(x): return np.sum((x * x).astype(int)) + np.sum(x)
def asarray_positional(x): return np.sum(np.asarray(x * x, int)) + np.sum(x)
def sum_int(x): return np.sum(x * x, dtype=int) + np.sum(x)
def method_sum_int(x): return (x * x).sum(dtype=int) + np.sum(x)
def asarray_bool(x): return np.sum(np.asarray(x * x, dtype=bool) * x)
def asanyarray_int32(x): return np.sum(np.asanyarray(x * x, dtype=np.int32)) + np.sum(x)
def asarray_string_dtype(x): return np.sum(np.asarray(x * x, dtype="i8")) + np.sum(x)
def cumsum_int(x): return np.sum(np.cumsum(x * x, dtype=int)) + np.sum(x)
def array_of_list_int(x): return np.sum(np.array([x[0] * 2, x[1]], dtype=int)) + np.sum(x)
def full_int(x): return np.sum(np.full(2, x[0] * x[1], dtype=int)) + np.sum(x)
def dynamic_dtype(x, like): return np.sum(np.asarray(x * x, dtype=like.dtype)) + np.sum(x)
def sum_float(x): return np.sum(x * x, dtype=x.dtype) + np.mean(x ** 3, axis=0, dtype=np.float64)
def array_float32(x): return np.sum(np.array(x * x, dtype=np.float32)) + np.sum(x)

X = np.array([1.3, 2.7])
CASES = [(asarray_int, (X,), [1.0, 1.0]), (array_int64, (X,), [1.0, 1.0]), (astype_int, (X,), [1.0, 1.0]),
         (asarray_positional, (X,), [1.0, 1.0]), (sum_int, (X,), [1.0, 1.0]), (method_sum_int, (X,), [1.0, 1.0]),
         (asarray_bool, (X,), [1.0, 1.0]), (asanyarray_int32, (X,), [1.0, 1.0]),
         (asarray_string_dtype, (X,), [1.0, 1.0]), (cumsum_int, (X,), [1.0, 1.0]),
         (array_of_list_int, (X,), [1.0, 1.0]), (full_int, (X,), [1.0, 1.0]),
         (dynamic_dtype, (X, np.array([1, 2])), [1.0, 1.0]), (dynamic_dtype, (X, np.array([1.0])), 2 * X + 1),
         (sum_float, (X,), 2 * X + 1.5 * X ** 2), (array_float32, (X,), 2 * X + 1)]


@pytest.mark.parametrize("f, args, expected", CASES, ids=[f"{c[0].__name__}{i}" for i, c in enumerate(CASES)])
def test_dtype_argument(f, args, expected):
    rtol = 1e-6 if f is not array_float32 else 1e-5
    assert np.allclose(s2s.grad(f)(*args), expected, rtol=rtol)
    v = np.array([0.7, -1.1])
    assert np.allclose(s2s.jvp(f)(*args, v), np.dot(expected, v), rtol=rtol)
    if f is not array_float32:   # the expectations themselves, against differences (float32 rounding: none)
        assert np.allclose(s2s.numeric_grad(f)(*args), expected, rtol=1e-4)
