"""Crashes found in review 12 (exceptions out of generated code that were not a DifferentiationError), and
one wrong tangent; each checked against central finite differences in reverse, forward and hvp
(``check_all``), or refused with a DifferentiationError naming the user's line.

1. jvp of np.nanmean (nansum, nanmax, nanmin, nanprod, nanvar, nanstd, nancumsum, nancumprod) over values
   with NaNs was nan: the tangent at a NaN element (0 * nan = nan) was not masked (nan_masked in
   s2s/templates/reductions.py); the gradient was right.
2. np.quantile / np.percentile with an array q: grad raised ValueError (cannot reshape), jvp
   NotImplementedError; now one row of weights per q (quantile_grad_a, quantile_grad_q, quantile_tangent).
"""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X4 = np.array([0.5, -1.3, 2.2, 1.5])


# ---------------------------------------------------------------- 1. nan* tangents at NaN elements
def nanmean_sq(x):
    y = np.where(x > 0, x, np.nan)
    return np.nanmean(y ** 2)


def test_nanmean_tangent_masks_nan_elements():
    assert s2s.jvp(nanmean_sq)(X4, np.ones(4)) == pytest.approx(2 * (0.5 + 2.2 + 1.5) / 3)
    check_all(nanmean_sq, X4)


@pytest.mark.parametrize("red", [np.nansum, np.nanmax, np.nanmin, np.nanprod, np.nanvar, np.nanstd,
                                 np.nanmean])
def test_nan_reductions_tangent(red):
    def f(x):
        y = np.where(x > 0, x, np.nan)
        return red(y ** 2) * 1.0
    check_all(f, X4)


@pytest.mark.parametrize("red", [np.nansum, np.nanmax, np.nanmean, np.nanstd])
def test_nan_reductions_axis(red):
    def f(x):
        y = np.where(x > 0, x, np.nan)
        return np.sum(red(np.sin(y), axis=1) ** 2)
    x = np.array([[0.5, -1.3, 2.2], [1.5, 0.7, -0.2]])
    check_all(f, x)


@pytest.mark.parametrize("scan", [np.nancumsum, np.nancumprod])
def test_nan_scans_tangent(scan):
    def f(x):
        y = np.where(x > 0, x, np.nan)
        return np.sum(scan(y * 1.5) ** 2)
    check_all(f, X4)


# ---------------------------------------------------------------- 2. quantile with an array q
A6 = np.array([0.5, -2.6, 6.6, 1.2, 3.3, -0.7])


def quantile_vec(x):
    return np.sum(np.quantile(x, [0.2, 0.9]) ** 2)


def test_quantile_vector_q():
    check_all(quantile_vec, A6)


def test_quantile_vector_q_axis():
    def f(x):
        return np.sum(np.sin(np.quantile(x, np.array([0.3, 0.5, 0.75]), axis=1, keepdims=True)))
    x = np.array([[0.5, -2.6, 6.6, 1.2], [3.3, -0.7, 0.1, 2.9]])
    check_all(f, x)


def test_percentile_vector_q():
    def f(x):
        return np.sum(np.percentile(x * x, [10.0, 60.0]) * np.array([1.0, 2.0]))
    check_all(f, A6)


def test_quantile_gradient_wrt_q():
    def f(q, x):
        return np.sum(np.quantile(x, q) ** 2)
    check_all(f, np.array([0.25, 0.7]), A6)
    check_all(f, 0.35, A6)
