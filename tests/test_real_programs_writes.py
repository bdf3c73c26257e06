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
    # (called from another function with W carrying a gradient, f(W.copy(), x.copy()) is inlined there and its
    # writes followed: s2s/helper_writes.py; refused until session 14)
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


# ---------------------------------------------------------------- helpers that write into their argument (session 14)
# A helper of the user's that writes into an argument with a NumPy function (np.add.at, out=, np.copyto,
# np.fill_diagonal) and returns a value, its caller reading the argument afterwards: the helper is inlined
# (s2s/helper_writes.py) and the writes lowered to index assignments, followed as if written in the caller.
idx = np.array([0, 2, 2])
v4 = np.array([1.0, -2.0, 0.5, 3.0])


def add_at_step(W, idx, v):
    np.add.at(W, idx, v)
    return np.sum(W ** 2)


def out_step(W, v):
    np.multiply(W, 2.0, out=W)
    np.tanh(W, out=W)
    return np.sum(W * v)


def copyto_step(W, v):
    np.copyto(W, W * v)
    return np.sum(W)


def masked_copyto_step(W, v):
    np.copyto(W, np.sin(W) * v, where=W > 0)
    return np.sum(W ** 2)


def fill_step(W, a):
    np.fill_diagonal(W, a)
    return np.sum(W ** 3)


def add_at_only(W, v):   # no value returned: only the write
    np.add.at(W, idx, v)


def step_then_read(W):   # the program
    W = W.copy()
    r = add_at_step(W, idx, v4)
    return r + np.sum(np.sin(W))


def step_on_the_argument(W):   # W itself handed over: s2s copies it, the caller's W stays as it was
    r = add_at_step(W, idx, v4)
    return r + np.sum(np.sin(W))


def out_then_read(W):
    A = W * 1.0
    r = out_step(A, v4)
    return r + np.sum(np.sin(A))


def copyto_then_read(W):
    A = W + 1.0
    r = copyto_step(A, v4)
    return r * np.sum(A ** 2)


def masked_copyto_then_read(W):
    A = W + 0.1
    r = masked_copyto_step(A, v4)
    return r * np.sum(A)


def fill_then_read(W):
    A = W[:, :3] @ W[:, :3].T
    r = fill_step(A, W[0, 0])
    return r + np.sum(np.cos(A))


def write_only_then_read(W):
    A = W * 2
    add_at_only(A, np.sin(v4))
    return np.sum(A ** 2)


def step_in_an_expression(W):   # the call inside an expression: hoisted before its line
    A = W * 1.0
    r = 2.0 * add_at_step(A, idx, v4) + add_at_step(A, idx, v4)
    return r + np.sum(np.sin(A))


def step_on_a_copy(W):   # an argument that is not a variable: bound to a new one, which the helper changes
    return add_at_step(W.copy(), idx, v4) + np.sum(W)


def step_in_a_loop(W):
    A = W * 1.0
    r = 0.0
    for i in range(3):
        r = r + add_at_step(A, np.array([i]), v4 * 0.1)
    return r + np.sum(np.tanh(A))


@pytest.mark.parametrize("f", [step_then_read, step_on_the_argument, out_then_read, copyto_then_read,
                               masked_copyto_then_read, fill_then_read, write_only_then_read, step_in_an_expression,
                               step_on_a_copy, step_in_a_loop])
def test_a_helper_writing_into_its_argument_is_followed(f):
    before = W.copy()
    check_all(f, W)
    assert np.array_equal(W, before)


def test_the_helper_is_inlined_and_its_write_is_an_index_assignment():
    src = s2s.grad(step_then_read).source(W)
    assert "scatter_add(" in src and "np.add.at" not in src and "add_at_step" not in src, src


def aliased_in_the_caller(W):
    A = W * 1.0
    B = A
    r = add_at_step(A, idx, v4)
    return r + np.sum(np.sin(B))


def a_view_handed_over(W):
    A = W * 1.0
    r = add_at_step(A[1:], np.array([0]), v4)
    return r + np.sum(A ** 3)


def read_before_the_call_on_its_line(W):   # np.sum(A) runs before the helper changes A: not reordered
    A = W * 1.0
    r = np.sum(np.sin(A)) + add_at_step(A, idx, v4)
    return r + np.sum(A ** 3)


def the_input_aliased(W):
    B = W
    r = add_at_step(B, idx, v4)
    return r + np.sum(W ** 2)


@pytest.mark.parametrize("f, line", [(aliased_in_the_caller, "r = add_at_step(A, idx, v4)"),
                                     (a_view_handed_over, "r = add_at_step(A[1:], np.array([0]), v4)"),
                                     (read_before_the_call_on_its_line, "np.sum(np.sin(A)) + add_at_step(A, idx, v4)"),
                                     (the_input_aliased, "r = add_at_step(B, idx, v4)")])
def test_a_helper_writing_into_a_shared_array_refuses_naming_the_line(f, line):
    before = W.copy()
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(W)
    assert line in str(e.value)
    assert np.array_equal(W, before)


def part_read_before_the_call(W):   # B[1] is read before the helper changes A, of which B is a view
    A = W * 1.0
    B = A[0]
    r = B[1] + add_at_step(A, idx, v4)
    return r + np.sum(A)


def test_a_part_read_before_the_call_on_its_line_is_not_reordered():
    with pytest.raises(s2s.DifferentiationError):
        s2s.grad(part_read_before_the_call)(W)
