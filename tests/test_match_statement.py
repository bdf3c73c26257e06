"""``match`` statements (s2s/match_stmt.py): rewritten as the if chains they mean, so the branch that runs is
differentiated. Checked against finite differences in reverse, forward and hvp mode."""
import collections
import dataclasses

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X = np.array([0.3, -0.2, 0.4])


@dataclasses.dataclass
class Scaled:
    k: float


Pair = collections.namedtuple("Pair", "a b")


def penalty(x, mode):
    match mode:
        case "l2":
            return np.sum(x ** 2)
        case "l1" | "abs":
            return np.sum(np.abs(x))
        case _:
            return np.sum(np.sin(x))


def regularized(x, reg):
    match reg:
        case None:
            r = 0.0
        case Scaled(k=k) if k > 0:
            r = k * np.sum(x ** 2)
        case Scaled(k):
            r = -k * np.sum(np.exp(x))
        case float(c) | int(c) if False:
            r = c
        case float():
            r = reg * np.sum(np.sin(x))
        case Pair(a, b=b):
            r = a * np.sum(x) + b * np.sum(x ** 3)
    return r + np.sum(x * x * x)


def by_shape(x, shape):
    match shape:
        case (n,):
            y = x[:n] * 2.0
        case [n, *rest]:
            y = np.tanh(x[:n]) * len(rest)
        case {"n": n, **others}:
            y = x[-n:] * len(others)
    return np.sum(y ** 3)


def configured(x, cfg):
    match cfg:
        case {"kind": "l2", "lam": lam}:
            return lam * np.sum(x ** 2)
        case {"kind": "l1"}:
            return np.sum(np.abs(x))


def in_a_loop(x, modes):
    s = 0.0
    for i, m in enumerate(modes):
        match m:
            case "sin":
                s = s + np.sin(x[i])
            case "sq":
                s = s + x[i] * x[i]
            case _:
                s = s * x[i]
    return s


def on_an_expression(x):
    match x.ndim, x.shape[0]:
        case (1, 3):
            return np.prod(x) + np.sum(x ** 2)
        case _:
            return np.sum(x)


CASES = [(penalty, ("l2",)), (penalty, ("abs",)), (penalty, ("other",)),
         (regularized, (None,)), (regularized, (Scaled(2.0),)), (regularized, (Scaled(-2.0),)),
         (regularized, (1.5,)), (regularized, (Pair(0.5, -1.5),)),
         (by_shape, ((2,),)), (by_shape, ((2, 3, 4),)), (by_shape, ({"n": 2, "a": 1, "b": 2},)),
         (configured, ({"kind": "l2", "lam": 0.3},)), (configured, ({"kind": "l1"},)),
         (in_a_loop, (["sin", "sq", "other"],)), (on_an_expression, ())]


@pytest.mark.parametrize("f, rest", CASES, ids=lambda c: getattr(c, "__name__", repr(c))[:30])
def test_match_differentiates_the_case_that_runs(f, rest):
    check_all(f, X, *rest)


def test_match_reads_as_an_if_chain():
    src = s2s.grad(penalty).source(X, "l2")
    assert "if mode == 'l2'" in src.replace('"', "'") or "mode == 'l2'" in src.replace('"', "'")
    assert "matched" not in src   # no guard: a plain chain, no flag


def swapped(x, p):
    match p:
        case (a, 1) | (1, a):
            return a * np.sum(x ** 2)
    return np.sum(x)


@pytest.mark.parametrize("p", [(2.0, 1), (1, -3.0), (5.0, 5.0)])
def test_capture_in_alternatives_takes_the_matching_one(p):
    check_all(swapped, X, p)


def test_an_unknown_class_pattern_is_refused_at_its_line():
    def f(x, p, cls):
        match p:
            case cls(a):
                return a * np.sum(x)
        return np.sum(x)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(X, 2.0, float)
    assert "case cls(a):" in str(e.value) and "`if` test" in str(e.value)
