"""Review 14 soundness: values that Python evaluates at another time than s2s did (lazy generator
expressions, map and filter; default values of nested functions), writes through views, dataclass aliases,
zero gradients of functions declared non-differentiable."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X3 = np.array([0.3, -0.8, 1.3])


# -- generator expressions, map and filter are lazy (23_genexp_eager_late_binding.py, t_gen_nested.py)

def genexp_late(x):
    w = 2.0
    terms = (v * w for v in x)
    w = 5.0
    return sum(terms)


def map_late(x):
    w = x[0]
    m = map(lambda v: v * w, x)
    w = 3.0
    return sum(m)


def filter_late(x):
    t = 0.0
    f = filter(lambda v: v > t, x)
    t = 1.0
    return sum(f)


def map_list_mutated(x):
    a = [x[0], x[1]]
    m = map(lambda v: v * 2, a)
    a[1] = x[2] ** 2
    return sum(m)


def genexp_array_mutated(x):
    y = x.copy()
    g = (v * 2 for v in y)
    y[0] = 100.0 * x[1]
    return sum(g)


def genexp_alias_mutated(x):
    y = x.copy()
    z = y
    g = (v * 2 for v in y)
    z[0] = 100.0 * x[1]
    return sum(g)


def nested_gens(x):
    gens = [(v * i for v in x) for i in range(1, 4)]
    return sum(sum(g) for g in gens)


def loop_gens(x):
    gens = []
    for i in range(1, 4):
        gens.append(v * i for v in x)
    return sum(sum(g) for g in gens)


def consumed_twice(x):
    g = (v * 2 for v in x)
    a = sum(g)
    b = sum(g)
    return a + b


def loop_body_changes(x):
    w = 2.0
    s = 0.0
    for u in (v * w for v in x):
        s = s + u
        w = u
    return s


@pytest.mark.parametrize("f, word", [
    (genexp_late, "`w`"), (map_late, "`w`"), (filter_late, "`t`"), (map_list_mutated, "a[1] = x[2] ** 2"),
    (genexp_array_mutated, "y[0] = 100.0 * x[1]"), (genexp_alias_mutated, "z[0] = 100.0 * x[1]"),
    (nested_gens, "stored here"), (loop_gens, "stored here"), (consumed_twice, "more than once"),
    (loop_body_changes, "`w`")])
def test_lazy_value_changed_before_consumption_refused(f, word):
    for make in (s2s.grad, s2s.jvp):
        with pytest.raises(s2s.DifferentiationError) as e:
            make(f)(X3) if make is s2s.grad else make(f)(X3, X3)
        assert word in str(e.value) and "lazily" in str(e.value) or "more than once" in str(e.value)


def genexp_consumed_first(x):
    w = 2.0
    terms = (v * w for v in x)
    s = sum(terms)
    w = 3.0
    return s * w


def map_consumed_in_loop(x):
    w = x[0]
    total = 0.0
    for i in range(2):
        m = map(lambda v: v * w, x)
        total = total + sum(m)
        w = w * x[1]
    return total


def filter_consumed_by_for(x):
    t = 0.0
    out = 0.0
    for v in filter(lambda v: v > t, x):
        out = out + v ** 2
    t = 1.0
    return out + t


@pytest.mark.parametrize("f", [genexp_consumed_first, map_consumed_in_loop, filter_consumed_by_for])
def test_lazy_value_consumed_before_changes(f):
    assert np.isclose(s2s.value_and_grad(f)(X3)[0], f(X3))
    check_all(f, X3)


# -- default values are evaluated where the function is defined (24_default_arg_late_eval.py)

def lambda_default(x):
    w = x[0]
    g = lambda t, w=w: t * w   # noqa: E731
    w = x[1] ** 2
    return g(x[2]) * w


def def_default(x):
    w = x[0]
    def g(t, w=w * 2.0):
        return t * w
    w = 100.0
    return g(x[2]) + w * x[1]


@pytest.mark.parametrize("f", [lambda_default, def_default])
def test_default_values_bound_at_definition(f):
    assert np.isclose(s2s.value_and_grad(f)(X3)[0], f(X3))
    check_all(f, X3)


# -- writes through a view of a view written in one expression (29_view_write_missed.py, t_views4.py)

W4 = np.arange(1.0, 5.0)
X4 = np.array([0.31, 0.83, 1.37, 0.2])


def _view_write(expr, arg):
    import hashlib
    import linecache
    src = (f"def f(x):\n    y = {'x' if arg else 'x * 1.0'}\n    v = {expr}\n    v[0] = x[1] * 5.0\n"
           "    return np.sum(y * W)\n")
    name = f"<review14-view-{hashlib.md5(src.encode()).hexdigest()}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {"np": np, "W": W4}
    exec(compile(src, name, "exec"), ns)
    return ns["f"]


VIEW_OF_VIEW = ["y[None][0]", "y[1:][0:2]", "y.reshape(2, 2)[1]", "y.reshape(2, 2)[:, 1]", "np.expand_dims(y, 0)[0]",
                "np.moveaxis(y.reshape(2, 2), 0, 1)[0]", "y[None, :].squeeze()", "y.reshape(2, 2).T[1]",
                "y.reshape(2, 2)[1][::-1]"]


@pytest.mark.parametrize("arg", [False, True])
@pytest.mark.parametrize("expr", VIEW_OF_VIEW)
def test_write_through_view_of_view(expr, arg):
    f = _view_write(expr, arg)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(X4.copy())
    assert "writing into `v` in place" in str(e.value) and "v[0] = x[1] * 5.0" in str(e.value)
    t = np.array([1.0, 2.0, -1.0, 0.5])
    want = np.array([(f(X4 + 1e-6 * u) - f(X4 - 1e-6 * u)) / 2e-6 for u in np.eye(4)]) @ t
    assert np.isclose(s2s.jvp(f)(X4.copy(), t), want, atol=1e-5)


def unpack_view_rows(x):
    y = x * 1.0
    a, v = y.reshape(2, 2)
    v[0] = x[1] * 5.0
    return np.sum(y * W4) + np.sum(a)


def test_write_through_unpacked_rows_refused():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(unpack_view_rows)(X4)
    assert "writing into `v` in place" in str(e.value)


def ascontig_write(x):
    y = x * 1.0
    v = np.ascontiguousarray(y)   # y itself: the write changes y
    v[0] = x[1] * 5.0
    return np.sum(y * W4)


def asarray_copy_write(x):
    y = x * 1.0
    v = np.asarray(y, dtype=np.float32)   # a new array: the write leaves y alone
    v[0] = x[1] * 5.0
    return np.sum(y * W4) + float(np.sum(v)) * 0.5


W22 = W4.reshape(2, 2)


def contiguous_copy_write(x):
    y = x.reshape(2, 2) * 1.0
    v = np.ascontiguousarray(y.T)   # a copy of the transpose
    v[0, 0] = x[1] * 5.0
    return np.sum(y * W22) + np.sum(v ** 2)


@pytest.mark.parametrize("f, want", [(ascontig_write, 13.0), (asarray_copy_write, 9.75),
                                     (contiguous_copy_write, None)])
def test_jvp_write_into_same_array(f, want):
    t = np.array([1.0, 2.0, -1.0, 0.5])
    if want is None:
        want = np.array([(f(X4 + 1e-6 * u) - f(X4 - 1e-6 * u)) / 2e-6 for u in np.eye(4)]) @ t
    assert np.isclose(s2s.jvp(f)(X4.copy(), t), want, atol=1e-5)


# -- field writes into an object another variable refers to (26_object_alias_field_write.py)

from dataclasses import dataclass  # noqa: E402


@dataclass
class P1:
    w: float


@dataclass
class PB:
    w: float
    b: float


class PlainPB:
    def __init__(self, w, b):
        self.w, self.b = w, b


def record_alias(x):
    p = P1(x[0])
    q = p
    p.w = x[1] * 2
    return q.w * x[0]


def record_list_alias(x):
    p = P1(x[0])
    objs = [p]
    objs[0].w = x[1] * 5
    return p.w * x[2]


def record_branch_alias(x):
    p = P1(x[0])
    if x[2] > 0:
        q = p
    else:
        q = P1(1.0)
    q.w = x[1] * 2
    return p.w * x[2]


class PlainW:
    def __init__(self, w):
        self.w = w


def plain_branch_alias(x):
    p = PlainW(x[0])
    if x[2] > 0:
        q = p
    else:
        q = PlainW(1.0)
    q.w = x[1] * 2
    return p.w * x[2]


def argument_alias(p):
    q = p
    q.w = p.w * 2
    return p.w * p.b


@pytest.mark.parametrize("f, arg", [(record_alias, X3), (record_list_alias, X3), (record_branch_alias, X3),
                                    (plain_branch_alias, X3),
                                    (argument_alias, PB(0.3, -0.8)), (argument_alias, PlainPB(0.3, -0.8))])
def test_field_write_through_alias_refused(f, arg):
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(arg)
    assert "another variable" in str(e.value) and "dataclasses.replace" in str(e.value)


# -- functions declared non-differentiable whose result depends smoothly on an input
#    (18_histogramdd_weights_zero_grad.py, 19_nextafter_zero_grad.py, 13_object_dtype_zero_grad.py)

PTS_X = np.array([0.1, 0.5, 0.6, 0.9, 1.7])
PTS_Y = np.array([0.2, 0.1, 0.7, 0.9, 0.4])
WTS = np.array([0.3, -0.8, 1.3, 0.45, 2.0])


def weighted_hist2d(w):
    H, _, _ = np.histogram2d(PTS_X, PTS_Y, bins=2, range=[[0.0, 1.0], [0.0, 1.0]], weights=w)
    return np.sum(H ** 2 * np.array([[1.0, 2.0], [3.0, 4.0]]))


def weighted_histdd(w):
    H, _ = np.histogramdd(np.stack([PTS_X, PTS_Y], axis=1), bins=(3, 2), weights=w * w)
    return np.sum(np.sin(H) * np.arange(6.0).reshape(3, 2))


def weighted_histdd_columns(w):
    H, edges = np.histogramdd((PTS_X, PTS_Y), bins=2, weights=w)
    return np.sum(H ** 3) + np.sum(edges[0])


def nextafter_np(x):
    y = np.nextafter(x, np.inf)
    return np.sum(np.log(np.abs(y)) * x)


def nextafter_math(x):
    import math
    return math.nextafter(x[0], 1.0) * x[1] ** 2


@pytest.mark.parametrize("f, arg", [(weighted_hist2d, WTS), (weighted_histdd, WTS), (weighted_histdd_columns, WTS),
                                    (nextafter_np, X3), (nextafter_math, X3)])
def test_no_longer_declared_nondifferentiable(f, arg):
    check_all(f, arg)


def hist_bin_edges(x):
    return np.sum(np.histogram_bin_edges(x, bins=3) ** 2)


def hist2d_data(x):
    H, _, _ = np.histogram2d(x, x ** 2, bins=2)
    return np.sum(H) * x[0]


def object_array(x):
    o = np.array([x[0], x[1]], dtype=object)
    return float(np.sum(o * 2.0))


def object_astype(x):
    return float(np.sum(x.astype(object) ** 2))


def string_astype(x):
    return np.sum(x.astype(str).astype(float) * x)


@pytest.mark.parametrize("f, word", [(hist_bin_edges, "histogram_bin_edges"), (hist2d_data, "histogram2d"),
                                     (object_array, "dtype object"), (object_astype, "dtype object"),
                                     (string_astype, "strings")])
def test_smooth_dependence_refused_not_zero(f, word):
    for make in (s2s.grad, s2s.jvp):
        with pytest.raises(s2s.DifferentiationError) as e:
            make(f)(X3) if make is s2s.grad else make(f)(X3, X3)
        assert word in str(e.value)


def _scaled_terms(x, w):
    return (v * w for v in x)


def helper_returns_genexp(x):
    return sum(_scaled_terms(x, x[0]))


def test_helper_returning_a_generator_expression():
    check_all(helper_returns_genexp, X3)
