"""``for ... else`` and ``while ... else`` (s2s/sugar.py ``loop_else``): a flag set before each ``break`` of the
loop, the ``else`` block run when it is not set. Checked against finite differences in reverse, forward and
hvp mode."""
import numpy as np
import pytest

from tests.test_real_programs import check_all


def first_large(x, limit):   # the else runs when no element passes the limit
    total = 0.0
    for v in x:
        total = total + v * v
        if v > limit:
            total = total * v
            break
    else:
        total = total + np.sum(np.sin(x))
    return total


def newton_sqrt(a):   # while ... else: the else runs when the loop ends by its test
    y = a * 1.0
    k = 0
    while k < 20:
        y_new = 0.5 * (y + a / y)
        if abs(y_new - y) < 1e-12:
            y = y_new
            break
        y = y_new
        k += 1
    else:
        y = y * 1.0
    return y * y + y


def nested(x):   # the inner loop's break is its own: the outer else still runs
    s = 0.0
    for i in range(2):
        for v in x:
            if v < 0:
                break
            s = s + v
    else:
        s = s * 2.0
    return s


@pytest.mark.parametrize("limit", [0.4, 5.0], ids=["breaks", "else"])
def test_for_else(limit):
    check_all(first_large, np.array([0.3, 0.5, -0.2]), limit)


def test_while_else():
    check_all(newton_sqrt, 2.0)


def test_nested_break_is_the_inner_loops():
    check_all(nested, np.array([0.3, -0.5, 0.2]))
    check_all(nested, np.array([0.3, 0.5, 0.2]))
