"""Real programs, session 6 of issue 11: NumPy functions that write into an array (``np.add.at``,
``np.fill_diagonal``, ufuncs with ``out=``), lowered to index assignments (s2s/lowered_calls.py). Each is
checked against central finite differences in reverse mode, forward mode and hvp (``check_all``); a
target that may share memory with another variable is refused, naming the line, as ``y[i] = v`` is."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(612)
W = rng.normal(size=(3, 4))
x = rng.normal(size=4)


def scatter_rows(W, x):   # a histogram of contributions, as embedding gradients and segment sums are written
    counts = np.zeros(3)
    np.add.at(counts, np.array([0, 2, 2, 1, 2]), np.tanh(W[0, :2].sum() * x[[0, 1, 2, 3, 0]]))
    return np.sum(counts ** 2)


def scatter_into_a_matrix(W, x):
    acc = np.zeros((3, 4))
    np.add.at(acc, (np.array([0, 0, 2]), np.array([1, 1, 3])), x[:3] * W[1, :3])
    np.add.at(acc, np.array([1, 1]), W[0])   # whole rows, twice
    return np.sum(np.sin(acc) * W)


def scatter_into_the_argument(W, x):   # the caller's array is not changed (it is copied first)
    np.add.at(W, np.array([0, 0]), x)
    return np.sum(W ** 2)


def scatter_a_scalar(W, x):
    a = W * 1.0
    np.add.at(a, (0, np.array([1, 1, 3])), x[0] ** 2)
    return np.sum(a ** 3)


def kernel_with_jitter(W, x):   # a Gram matrix whose diagonal is set, as GP code writes it
    K = np.exp(-np.square(W.T[:, None, :] - W.T[None, :, :]).sum(-1))
    np.fill_diagonal(K, 1.0 + x[0] ** 2)
    return np.sum(np.linalg.solve(K + np.eye(4), x))


def diagonal_from_an_array(W, x):
    A = np.outer(x, x)
    np.fill_diagonal(A, np.sin(x))
    B = W @ W.T
    np.fill_diagonal(B, 0.0)
    return np.sum(A ** 2) + np.sum(B)


def ufunc_out(W, x):
    y = W * 2.0
    np.add(W, y, out=y)
    np.exp(y, out=y)
    np.multiply(y, x, out=y)
    return np.sum(y) + np.sum(y ** 2)


def out_into_the_argument(W, x):
    np.tanh(W, out=W)
    return np.sum(W * x)


@pytest.mark.parametrize("f", [scatter_rows, scatter_into_a_matrix, scatter_into_the_argument, scatter_a_scalar,
                               kernel_with_jitter, diagonal_from_an_array, ufunc_out, out_into_the_argument])
@pytest.mark.parametrize("wrt", [0, 1])
def test_numpy_writes(f, wrt):
    before = (W.copy(), x.copy())
    if wrt == 0 and f in (scatter_into_the_argument, out_into_the_argument):
        # called from another function with W carrying a gradient: since session 13 the analysis of effects sees
        # these writes (out=, np.add.at: a helper writing so was silently wrong when the caller read W afterwards),
        # and a function that changes an argument carrying a gradient and returns a value is refused there
        with pytest.raises(s2s.DifferentiationError, match="changes its argument `W` in place"):
            s2s.grad(lambda W, x: f(W.copy(), x.copy()))(W, x)
    else:
        check_all(lambda W, x: f(W.copy(), x.copy()) if f in (scatter_into_the_argument, out_into_the_argument)
                  else f(W, x), W, x, wrt=wrt)
    g = s2s.grad(f, wrt=wrt)(W, x)   # the function itself: the caller's arrays stay as they were
    assert g.shape == (W, x)[wrt].shape
    assert np.array_equal(W, before[0]) and np.array_equal(x, before[1])


def test_np_add_at_is_an_index_assignment_in_the_generated_code():
    src = s2s.source(s2s.grad(scatter_rows))
    assert "scatter_add(counts, " in src and "counts[...] = " in src and "np.add.at" not in src, src


def scatter_into_an_alias(W, x):
    a = W * 1.0
    b = a
    np.add.at(a, np.array([0]), x)
    return np.sum(b ** 2)


def fill_a_view(W, x):
    A = np.outer(x, x)
    top = A[:2, :2]
    np.fill_diagonal(top, 0.0)
    return np.sum(A ** 2)


def out_into_an_alias(W, x):
    y = W * 2.0
    keep = y
    np.exp(W, out=y)
    return np.sum(keep)


@pytest.mark.parametrize("f, wrt, line", [(scatter_into_an_alias, 1, "np.add.at(a, np.array([0]), x)"),
                                          (fill_a_view, 1, "np.fill_diagonal(top, 0.0)"),
                                          (out_into_an_alias, 0, "np.exp(W, out=y)")])
def test_writes_into_a_shared_array_refuse_naming_the_line(f, wrt, line):
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f, wrt=wrt)(W, x)
    assert line in str(e.value)
