"""Helpers that collect a trajectory in a list holding their argument (``ys = [y0]; ys.append(y)``), as
integrators and simulations are written. Appending to the list changes the list, not ``y0``: they were refused
as "changes its argument `y0` in place". A change inside an item of such a list does reach the caller's array and
must still be refused or followed, never give a wrong number."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

y0 = np.array([1.0, 2.0])


def step(y, a):
    return y * a + np.sin(y) * 0.1


def simulate(a, y0, n=4):
    ys = [y0]
    y = y0
    for _ in range(n):
        y = step(y, a)
        ys.append(y)
    return np.stack(ys)


def trajectory_loss(a, y0):
    return np.sum(simulate(a, y0) ** 2)


def tuple_history(a, y0):
    hist = (y0,)
    y = y0
    for _ in range(3):
        y = step(y, a)
        hist = hist + (y,)
    return np.sum(np.stack(hist)) * a


def history_dict(a, y0):
    d = {"start": y0, "scale": a}
    d["end"] = step(y0, a)
    return d


def dict_loss(a, y0):
    d = history_dict(a, y0)
    return np.sum(d["end"] * d["start"]) * d["scale"]


@pytest.mark.parametrize("f", [trajectory_loss, tuple_history])
@pytest.mark.parametrize("wrt", [0, 1])
def test_a_list_holding_the_argument_is_not_a_change_of_it(f, wrt):
    check_all(f, 0.7, y0.copy(), wrt=wrt)


def writes_into_an_item(a, y0):
    ys = [y0]
    q = ys[0]
    q[0] = 5.0
    return a * 1.0


def item_changed_by_helper(a, y0):
    b = writes_into_an_item(a, y0)
    return b * np.sum(y0 * a)


def test_a_change_inside_an_item_is_not_a_wrong_number():
    arg = y0.copy()
    try:
        got = s2s.grad(item_changed_by_helper)(0.7, arg.copy())
    except s2s.DifferentiationError as e:
        assert "writes_into_an_item" in str(e) or "q" in str(e)
        return
    want = s2s.numeric_grad(item_changed_by_helper)(0.7, arg.copy())
    np.testing.assert_allclose(got, want, rtol=1e-6)


def collect(y0, n):   # the list holding y0 is returned: the caller may change y0 through it
    ys = [y0]
    y = y0
    for _ in range(n):
        y = y * 0.9
        ys.append(y)
    return ys


def keep(v, store):
    store.append(v)
    return store


def caller_aug_first(y0):
    ys = collect(y0, 2)
    ys[0] *= 3.0                  # ys[0] is y0's array
    return np.sum(y0 * y0) + np.sum(ys[1])


def caller_keep(y0):
    store = keep(y0, [])
    store[0] += 1.0
    return np.sum(y0 * y0)


def caller_loop_items(y0):
    ys = collect(y0, 2)
    for i, v in enumerate(ys):
        v *= 2.0
    return np.sum(y0 ** 2) + np.sum(ys[2])


@pytest.mark.parametrize("f", [caller_aug_first, caller_keep, caller_loop_items, dict_loss])
def test_a_container_holding_the_argument_that_reaches_the_caller_is_refused(f):
    # (found by the session's reviewer: with the list returned, caller_aug_first and caller_loop_items gave wrong
    # gradients; caller_keep, a list passed in, did before. dict_loss only reads, but telling reads from writes
    # through the returned container is not done yet: refused rather than risk a wrong number)
    # (caller_keep: since session 14 keep(y0, []) is inlined, its new list bound to a local, and the refusal is at
    # the write into the item y0's array is: `store[0] += 1.0`)
    with pytest.raises(s2s.DifferentiationError, match="changes its argument|share memory|may be another variable's"):
        s2s.grad(f)(y0.copy()) if f is not dict_loss else s2s.grad(f)(0.7, y0.copy())
