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


def contiguous_copy_write(x):
    y = x.reshape(2, 2) * 1.0
    v = np.ascontiguousarray(y.T)   # a copy of the transpose
    v[0, 0] = x[1] * 5.0
    return np.sum(y * W4.reshape(2, 2)) + np.sum(v ** 2)


@pytest.mark.parametrize("f, want", [(ascontig_write, 13.0), (asarray_copy_write, 9.75),
                                     (contiguous_copy_write, None)])
def test_jvp_write_into_same_array(f, want):
    t = np.array([1.0, 2.0, -1.0, 0.5])
    if want is None:
        want = np.array([(f(X4 + 1e-6 * u) - f(X4 - 1e-6 * u)) / 2e-6 for u in np.eye(4)]) @ t
    assert np.isclose(s2s.jvp(f)(X4.copy(), t), want, atol=1e-5)
