"""Review 14's crashes and false refusals on outside programs (issue 11), fixed by gaps15: each program is
checked by numbers against finite differences in reverse, forward and hvp (test_real_programs.check_all)."""
import collections

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


# ---------------------------------------------------------------- (c) collections.defaultdict / deque
def grouped(x):
    d = collections.defaultdict(float)
    for i, v in enumerate(x):
        d[i % 2] += v ** 2
    return d[0] * 3 + d[1]


def grouped_by_key(x):
    d = collections.defaultdict(float)
    for i in range(len(x)):
        d["ab"[i % 2]] = d["ab"[i % 2]] + x[i] * x[0]
    return sum(v ** 2 for k, v in sorted(d.items()))


def window(x):
    dq = collections.deque(maxlen=2)
    for v in x:
        dq.append(v * 3)
    return sum(q ** 2 for q in dq)


X4 = np.array([0.31, 0.83, 1.37, 0.2])


@pytest.mark.parametrize("f", [grouped, grouped_by_key])
def test_defaultdict_accumulation(f):
    check_all(f, X4)


def test_deque_with_maxlen_in_forward_mode():
    v = np.array([0.3, -0.2, 0.5, 1.1])
    want = 2 * 9 * (X4[2] * v[2] + X4[3] * v[3])
    assert s2s.jvp(window)(X4, v) == pytest.approx(want)
    with pytest.raises(s2s.DifferentiationError, match="collections.deque"):   # (reverse: no rule yet)
        s2s.grad(window)(X4)


def test_defaultdict_with_initial_items_is_refused():
    def init_items(x):
        d = collections.defaultdict(float, {0: x[0]})
        d[1] += x[1]
        return d[0] * d[1]
    with pytest.raises(s2s.DifferentiationError, match="init_items"):
        s2s.grad(init_items)(X4)


# ---------------------------------------------------------------- (d) np.rec.fromarrays: refused, not differentiated from NumPy's source
def record_array(x):
    rec = np.rec.fromarrays([x, x ** 2], names="a,b")
    return np.sum(rec["b"])


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_record_array_is_refused_at_the_users_line(mode):
    x = np.array([0.3, -0.8, 1.3])
    with pytest.raises(s2s.DifferentiationError, match=r"np\.rec\.fromarrays\(\[x, x \*\* 2\]") as e:
        s2s.grad(record_array)(x) if mode == "grad" else s2s.jvp(record_array)(x, np.ones(3))
    assert "records.py" not in str(e.value)


# ---------------------------------------------------------------- (e) p.__dict__["w"] / vars(p)["w"] on an object built here
class Pair:
    def __init__(self, w, b):
        self.w = w
        self.b = b


def dunder_dict_write(x):
    p = Pair(x[0], x[1])
    p.__dict__["w"] = x[2] * 3
    return p.w * p.b + p.__dict__["b"] ** 2


def vars_write(x):
    p = Pair(x[0], x[1])
    vars(p)["b"] = np.sin(x[2]) * 5
    return p.w * vars(p)["b"]


def _use(p):
    return p.w * p.b


def dunder_dict_then_passed(x):
    p = Pair(x[0], x[1])
    p.__dict__["w"] = x[1] * 3
    return _use(p)


@pytest.mark.parametrize("f", [dunder_dict_write, vars_write, dunder_dict_then_passed])
def test_instance_dict_writes(f):
    check_all(f, np.array([0.31, 0.83, 1.37]))
