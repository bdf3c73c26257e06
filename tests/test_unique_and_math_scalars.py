"""np.unique was declared non-differentiable, so np.sum(np.unique(x * x)) got a zero gradient (silently
wrong): its distinct values are a gather of the first occurrence of each. math.fabs / math.copysign of a
NumPy scalar (x[0] of an array) crashed in their rules' ``(x > 0) - (x < 0)`` (NumPy bools do not subtract)."""
import math

import numpy as np
import pytest

import s2s


def unique_sum(x):
    return np.sum(np.unique(x * x) * np.arange(1.0, 4.0))


def unique_with_counts(x):
    vals, counts = np.unique(x ** 3, return_counts=True)
    return np.sum(vals * counts)


def fabs_of_element(x):
    return math.fabs(x[0]) * x[1] + math.copysign(x[1], -x[0])


@pytest.mark.parametrize("f, x", [(unique_sum, np.array([1.3, -0.4, 2.7])), (unique_with_counts, np.array([0.5, -1.2, 0.9])),
                                  (fabs_of_element, np.array([-1.3, 2.7]))])
def test_against_differences(f, x):
    expected = s2s.numeric_grad(f)(x)
    assert np.allclose(s2s.grad(f)(x), expected, rtol=1e-6)
    v = np.array([0.3, -0.8, 1.1])[:x.size]
    assert np.allclose(s2s.jvp(f)(x, v), expected @ v, rtol=1e-6)


def test_unique_ties_go_to_the_first_occurrence():
    x = np.array([2.0, 1.0, 2.0])
    assert np.array_equal(s2s.grad(lambda x: np.sum(np.unique(x) * np.array([1.0, 10.0])))(x), [10.0, 1.0, 0.0])
