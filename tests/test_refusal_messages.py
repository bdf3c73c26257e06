"""Refusals that must say the right thing (session 6): the message names the user's own variables and
functions, and the fix it suggests is one s2s then differentiates. One wrong number is here too: a
method of a *local* object called for its effect (``rng = np.random.default_rng(0); rng.shuffle(y)``)
was taken for a container method the transforms follow, and the shuffle was ignored (gradient
``[0, 2, 4]`` where the right one is ``[2, 4, 0]``)."""
import random

import numpy as np
import pytest

import s2s


def shuffled_by_local_rng(x):
    y = x * 2
    rng = np.random.default_rng(0)
    rng.shuffle(y)
    return np.sum(y * np.arange(3))


def shuffled_by_index(x):   # the fix the refusal suggests
    y = x * 2
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(y))
    y = y[idx]
    return np.sum(y * np.arange(3))


def _message(f, *args, mode="reverse"):
    with pytest.raises(s2s.DifferentiationError) as e:
        if mode == "reverse":
            s2s.grad(f)(*args)
        else:
            s2s.jvp(f)(*args, np.ones_like(args[0]))
    return str(e.value)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_method_of_a_local_object_called_for_its_effect_is_refused(mode):
    msg = _message(shuffled_by_local_rng, np.ones(3), mode=mode)
    assert "rng.shuffle(y)" in msg and "`rng.shuffle(...)` is called for its effect" in msg
    assert "idx = rng.permutation(len(y)); y = y[idx]" in msg


def test_the_suggested_shuffle_differentiates():
    x = np.ones(3)
    want = s2s.numeric_grad(shuffled_by_index)(x)
    np.testing.assert_allclose(want, [2.0, 4.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(s2s.grad(shuffled_by_index)(x), want, atol=1e-6)
    v = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(s2s.jvp(shuffled_by_index)(x, v), want @ v, atol=1e-6)


def list_shuffled(x):
    lst = [x, 2 * x, 3 * x]
    random.shuffle(lst)
    return lst[0] * 1 + lst[1] * 2


def list_shuffled_by_index(x):   # the fix the refusal suggests
    lst = [x, 2 * x, 3 * x]
    random.seed(1)
    idx = list(range(len(lst)))
    random.shuffle(idx)
    lst = [lst[i] for i in idx]
    return lst[0] * 1 + lst[1] * 2


def test_library_function_changing_its_argument_names_the_users_call():
    msg = _message(list_shuffled, 1.5)
    assert "(here `lst`)" in msg
    assert "`random.shuffle` is library code" in msg and "Have shuffle return" not in msg
    assert s2s.grad(list_shuffled_by_index)(1.5) == pytest.approx(s2s.numeric_grad(list_shuffled_by_index)(1.5))


def put_into(x):
    y = np.zeros(4)
    np.put(y, [0, 2], x)
    return np.sum(y * y)


def add_out(x, y):
    y = y * 1.0
    np.add(x, y, out=y)
    return np.sum(y * y)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_numpy_functions_writing_in_place_are_not_blamed_on_np(mode):
    msg = _message(put_into, np.ones(2), mode=mode)
    assert "`np.put` writes into `y` in place" in msg and "into `np`" not in msg
    # out= into a variable is an index assignment now (s2s/lowered_calls.py): differentiated
    assert s2s.grad(add_out)(np.ones(2), np.ones(2)) == pytest.approx(s2s.numeric_grad(add_out)(np.ones(2), np.ones(2)))


def row_bumped(x):
    row = x[0]
    row += 1.0
    return np.sum(x * x)


def row_bumped_as_suggested(x):
    x[0] += 1.0
    return np.sum(x * x)


def view_then_write(x):
    y = x * 2
    v = y[1:]
    y[1] = 3.0
    return np.sum(v * x[1:])


def test_alias_fix_names_the_binding_and_keeps_the_meaning():
    msg = _message(row_bumped, np.ones((2, 2)))
    assert "`row` was bound by `row = x[0]`" in msg
    assert "write `x[0] += ...` directly" in msg and "`row = x[0].copy()`" in msg
    assert "....copy()" not in msg
    x = np.ones((2, 2))   # the suggestion differentiates, to the primal's meaning
    np.testing.assert_allclose(s2s.grad(row_bumped_as_suggested)(x.copy()),
                               s2s.numeric_grad(row_bumped_as_suggested)(x.copy()), atol=1e-6)
    np.testing.assert_allclose(s2s.jvp(row_bumped)(x.copy(), np.ones((2, 2))), 12.0)
    msg = _message(view_then_write, np.ones(3))
    assert "make it a copy: `v = y[1:].copy()`" in msg and "read `y[1:]` after the write" in msg


def poly(x):
    y = 0.0
    for i in range(4):
        y = y + x ** i
    return np.sum(y)


def vander(x):
    V = x[:, None] ** np.arange(4)
    return np.sum(V @ np.array([1.0, 2.0, 3.0, 4.0]))


def taylor_exp(x):
    s, fact = 0.0, 1.0
    for n in range(8):
        if n > 0:
            fact = fact * n
        s = s + x ** n / fact
    return s


def powers(x):
    return np.sum(sum(np.power(x, k) for k in range(3)))


@pytest.mark.parametrize("f, x, want, hv", [
    (poly, np.array([0.0, 1.0]), [1.0, 6.0], [2.0, 8.0]),
    (poly, np.array([0, 1, 2]), [1.0, 6.0, 17.0], [2.0, 8.0, 14.0]),   # an integer array (x ** -1 raised)
    (vander, np.array([0.0, 0.5]), [2.0, 8.0], [6.0, 18.0]),
    (taylor_exp, 0.0, 1.0, 1.0),                                         # a Python float (0.0 ** -1 raised)
    (taylor_exp, np.float64(0.0), 1.0, 1.0),
    (powers, np.array([0.0, 0.5]), [1.0, 2.0], [2.0, 2.0])])
def test_variable_power_at_zero(f, x, want, hv):
    """x ** i with i running from 0 (polynomials, Taylor series, Vandermonde): the rule's i * x ** (i - 1)
    is 0 * inf at x = 0 for i = 0, which gave nan (or raised for Python floats and integer arrays)."""
    np.testing.assert_allclose(s2s.grad(f)(x), want, atol=1e-12)
    v = np.ones(np.shape(x)) if np.ndim(x) else 1.0
    np.testing.assert_allclose(s2s.jvp(f)(x, v), np.sum(want), atol=1e-12)
    np.testing.assert_allclose(s2s.hvp(f)(x, v), hv, atol=1e-12)


HISTORY = []


def logged_objective(x):
    val = np.sum((x - 1.0) ** 2)
    HISTORY.append(float(val))
    return val


def logged_and_read_back(x):
    val = np.sum((x - 1.0) ** 2)
    HISTORY.append(val)
    return HISTORY[-1] * 2.0


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_logging_into_a_global_list_differentiates(mode):
    """A history of values kept by an objective (as scipy.optimize callers do) was refused: `HISTORY.append(val)`
    was taken for a call that may change `val`. The value is logged as the primal logs it; reading it back
    is still refused."""
    HISTORY.clear()
    x = np.zeros(2)
    if mode == "reverse":
        np.testing.assert_allclose(s2s.grad(logged_objective)(x), [-2.0, -2.0])
    else:
        assert s2s.jvp(logged_objective)(x, np.ones(2)) == pytest.approx(-4.0)
    assert HISTORY == [2.0]
    assert "read again afterwards" in _message(logged_and_read_back, x, mode=mode)
