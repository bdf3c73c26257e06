"""Review 14's crashes and false refusals on outside programs (issue 11), fixed by gaps15: each program is
checked by numbers against finite differences in reverse, forward and hvp (test_real_programs.check_all)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all


# ---------------------------------------------------------------- (a) NumPy functions given a Python list
def max_of_list(p):
    return np.sum(np.maximum(p, 0.7) ** 2)


def clip_of_list(p):
    return np.sum(np.clip(p, 0, 1) ** 3)


def max_of_slice(p):
    q = p[1:]
    return np.sum(np.maximum(q, 0.7) * np.fmax(q, 0.5))


def where_of_list(p):
    return np.sum(np.where(np.greater(p, 0.7), p, 0.0) ** 2) + np.sum(np.abs(p) ** 3) + np.sum(np.minimum(p, 0.9))


@pytest.mark.parametrize("f", [max_of_list, clip_of_list, max_of_slice, where_of_list])
def test_numpy_function_of_a_list(f):
    check_all(f, [0.5, 1.3, 0.4, -0.2])


# ---------------------------------------------------------------- (b) builtin sum over items that broadcast
def sum_genexp_mixed(ps):
    return np.sum(sum(p ** 2 for p in ps) * ps[0])


def sum_listcomp_mixed(ps):
    return np.sum(sum([np.sin(p) * 2.0 for p in ps]) ** 2)


def sum_list_mixed(ps):
    return np.sum(sum(ps) ** 2) + np.sum(sum([ps[0], ps[1]]) ** 3)


@pytest.mark.parametrize("f", [sum_genexp_mixed, sum_listcomp_mixed, sum_list_mixed])
@pytest.mark.parametrize("first", [0.8, np.array([0.8]), np.array(0.8), np.array([0.8, -0.3])])
def test_builtin_sum_of_items_that_broadcast(f, first):
    check_all(f, [first, np.array([[0.3, 0.4], [0.2, -0.5]])])
