"""Real programs, continued (issue 11): the shapes still refused or wrong after the first round, each
checked by numbers against central finite differences in reverse, forward and hvp (check_all), or
refused with a DifferentiationError naming the line where s2s cannot be right."""
import dataclasses
import functools
import inspect

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(1111)
X = rng.standard_normal((4, 3))
WS = [rng.standard_normal((3, 2)), rng.standard_normal((3, 2))]
G = [rng.standard_normal((3, 2)), rng.standard_normal((3, 2))]   # a global list, indexed by a loop variable


def ws():
    return [w.copy() for w in WS]


# ---------------------------------------------------------------- starred list and tuple literals
def hstack_of_starred_list(ws):
    return np.sum(np.hstack([*ws]) ** 2) + np.sum(np.concatenate([*ws, ws[0]]) ** 3)


def hstack_of_starred_tuple(ws):
    return np.sum(np.hstack((*ws, ws[0])) ** 2)


def starred_between(ws):
    a = np.tanh(ws[0])
    parts = [a, *ws, a * 2.0, *ws[1:]]
    return np.sum(np.vstack(parts) ** 3)


@pytest.mark.parametrize("f", [hstack_of_starred_list, hstack_of_starred_tuple, starred_between])
def test_starred_literals_carry_gradients(f):
    # the starred parts of a literal carried no gradient: a zero gradient, silently
    check_all(f, ws())


def test_starred_literal_reads_as_a_concatenation():
    src = inspect.getsource(s2s.grad(hstack_of_starred_tuple))
    assert "tuple(ws)" in src


# ---------------------------------------------------------------- global lists indexed by variables
def global_list_indexed(ws):
    s = 0.0
    for i in range(2):
        s = s + np.sum(ws[i] * G[i])
    return s


def test_global_list_indexed_by_a_loop_variable():
    check_all(global_list_indexed, ws())


def test_zero_tangent_of_a_list_output_is_a_list():
    # the output's tangent (and hvp of a function linear in a list) came back as the internal GradList
    def lin(ws):
        return [G[0] * 1.0, G[1]]
    t = s2s.jvp(lin)(ws(), ws())
    assert type(t) is list
    hv = s2s.hvp(global_list_indexed)(ws(), ws())
    assert type(hv) is list
