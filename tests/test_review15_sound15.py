"""Review 15 (sound15): soundness fixes.

1. A value that passes through a string (``float(str(v))``, ``float(f"{v}")``, ``np.float64("%f" % v)``...)
   loses its derivative: refused at the user's line in reverse, forward and hvp (s2s/text_flows.py).
   Formatting for printing and logging keeps working.
"""
import decimal
import logging

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

log = logging.getLogger("s2s-review15")


def _fmt(v):
    return f"{v:.3f}"


def _parse(s):
    return float(s)


def t_fstring(v): return float(f"{v}") * v
def t_str(v): return float(str(v)) * v
def t_repr(v): return float(repr(v)) * v
def t_percent(v): return float("%f" % v) * v
def t_np_float(v): return np.float64(str(v)) * v
def t_format(v): return float("{}".format(v)) * v
def t_format_builtin(v): return float(format(v, ".6f")) * v
def t_decimal(v): return float(decimal.Decimal(str(v))) * v
def t_strip(v): return float(str(v).strip()) * v


def t_split(v):
    parts = f"{v},{v}".split(",")
    return float(parts[1]) * v


def t_branch(v):
    s = str(v)
    t = s if v > 0 else s + "0"
    return float(t) * v


def t_helper_returns_text(v): return float(_fmt(v)) * v
def t_helper_parses(v): return _parse(str(v)) * v


def t_tuple(v):
    r = (f"{v}", v)
    return float(r[0]) * r[1]


def t_dict(v):
    d = {"s": str(v), "v": v}
    return float(d["s"]) * d["v"]


def t_list_loop(x):
    vals = []
    for xi in x:
        vals.append(str(xi))
    return np.sum(np.array(vals, dtype=float) * x)


def t_array_of_text(x):
    return np.sum(np.array(str(x[0])).astype(float) * x)


class _Box:
    pass


_BOX = _Box()


def t_global_field(v):
    _BOX.s = str(v)
    return float(_BOX.s) * v


class _Text:
    def __init__(self, v):
        self.s = f"{v}"

    def val(self):
        return float(self.s)


def t_method_reads_text(v):
    return _Text(v).val() * v


def t_dict_item(v):
    out = {}
    out["s"] = str(v)
    return float(out["s"]) * v


def t_loop_over_chars(v):
    s = ""
    for ch in str(v):
        s = s + ch
    return float(s) * v


def t_joined_parts(v):
    parts = [f"{v}"]
    parts = parts + ["0"]
    return float("".join(parts)) * v


ROUND_TRIPS = [t_fstring, t_str, t_repr, t_percent, t_np_float, t_format, t_format_builtin, t_decimal, t_strip,
               t_split, t_branch, t_helper_returns_text, t_helper_parses, t_tuple, t_dict, t_global_field,
               t_method_reads_text, t_dict_item, t_loop_over_chars, t_joined_parts]


@pytest.mark.parametrize("f", ROUND_TRIPS, ids=lambda f: f.__name__)
def test_a_string_round_trip_is_refused_in_every_mode(f):
    for make in (lambda: s2s.grad(f)(2.0), lambda: s2s.jvp(f)(2.0, 1.0), lambda: s2s.hvp(f)(2.0, 1.0)):
        with pytest.raises(s2s.DifferentiationError) as e:
            make()
        msg = str(e.value)
        assert "loses its derivative" in msg and "test_review15_sound15.py" in msg
        assert "float(" in msg   # the fix: use the number itself


@pytest.mark.parametrize("f", [t_list_loop, t_array_of_text], ids=lambda f: f.__name__)
def test_a_string_round_trip_of_array_items_is_refused(f):
    x = np.array([2.0, 3.0])
    with pytest.raises(s2s.DifferentiationError, match="loses its derivative"):
        s2s.grad(f)(x)
    with pytest.raises(s2s.DifferentiationError, match="loses its derivative"):
        s2s.jvp(f)(x, np.ones(2))


def test_the_message_names_the_line_and_the_value():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(t_branch)(2.0)
    msg = str(e.value)
    assert "return float(t) * v" in msg and "`s = str(v)`" in msg and "`float(v)`" in msg
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(t_joined_parts)(2.0)   # the line converting, and where the text was made from v
    assert 'return float("".join(parts)) * v' in str(e.value) and '`parts = [f"{v}"]`' in str(e.value)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(t_helper_returns_text)(2.0)
    assert 'in _fmt\n    return f"{v:.3f}"' in str(e.value) and "caller" in str(e.value)


def p_print_and_log(v):
    print(f"v={v}", "%.2f" % v, str(v), repr(v), "{:.3f}".format(v))
    log.debug("loss %s", v)
    log.debug(f"loss {v}")
    msg = _fmt(v)
    print(msg)
    return v * v * len(msg.split("."))


def p_history(v):
    hist = []
    for _ in range(3):
        v = v * 1.5
        hist.append((f"{v:.2f}", v))
    total = 0.0
    for h in hist:
        total = total + h[1]
    return total


def p_label(v):
    return v * np.sin(v), {"label": f"{v:.2f}"}


def test_formatting_for_printing_and_logging_keeps_working(capsys):
    check_all(p_print_and_log, 2.0, hvp=True)
    check_all(p_history, 2.0, hvp=True)
    g, aux = s2s.grad(p_label, has_aux=True)(2.0)
    assert np.isclose(g, np.sin(2.0) + 2.0 * np.cos(2.0)) and aux == {"label": "2.00"}
    assert np.isclose(s2s.jvp(lambda v: p_label(v)[0])(2.0, 1.0), g)


def test_stop_gradient_on_purpose_is_allowed():
    def f(v):
        return float(str(s2s.stop_gradient(v))) * v
    assert s2s.grad(f)(2.0) == 2.0


# 2. A caller's object the function stores on: the stores happen once, as in the primal (the generated code
#    runs the primal's statements once; tests/test_real_programs_state.py::test_the_stores_happen_as_in_the_primal),
#    in every mode. A checkpointed loop recomputes its iterations: one that stores into an object's attribute
#    is not checkpointed (a snapshot holds no object's attributes: recomputing read the stored count of the
#    last run, a wrong gradient, and stored again), and `with s2s.checkpoint` around one is refused.

class Count:
    n = 0


class Holder:
    def __init__(self, w):
        self.w, self.n, self.cache = w, 0, None


def loop_counts_on_object(x, p):
    for i in range(6):
        p.n = p.n + 1
        p.cache = x
        x = np.sin(x) * p.n * p.w
    return np.sum(x)


def loop_counts_on_class(x):
    for i in range(6):
        Count.n = Count.n + 1
        x = np.sin(x) * Count.n
    return np.sum(x)


def loop_counts_checkpointed(x, p):
    with s2s.checkpoint(snapshots=2):
        for i in range(6):
            p.n = p.n + 1
            x = np.sin(x) * p.n
    return np.sum(x)


def _fd(f, x, fresh, eps=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e, *fresh()) - f(x - e, *fresh())) / (2 * eps)
    return g


X2 = np.array([0.3, -0.5, 0.8])


@pytest.mark.parametrize("checkpoints", [None, 2, 3, "auto"])
def test_a_loop_storing_on_an_object_is_not_recomputed(checkpoints):
    want = _fd(loop_counts_on_object, X2, lambda: (Holder(0.9),))
    p = Holder(0.9)
    g = s2s.grad(loop_counts_on_object, checkpoints=checkpoints)(X2, p)
    np.testing.assert_allclose(g, want, rtol=1e-6)
    primal = Holder(0.9)
    loop_counts_on_object(X2, primal)
    assert p.n == primal.n == 6 and np.array_equal(p.cache, primal.cache)


@pytest.mark.parametrize("checkpoints", [None, 2])
def test_a_loop_storing_on_a_class_is_not_recomputed(checkpoints):
    def fresh():
        Count.n = 0
        return ()
    want = _fd(lambda x: loop_counts_on_class(x), X2, fresh)
    Count.n = 0
    g = s2s.grad(loop_counts_on_class, checkpoints=checkpoints)(X2)   # (crashed: UnboundLocalError 'Count')
    np.testing.assert_allclose(g, want, rtol=1e-6)
    assert Count.n == 6


def test_checkpointing_a_loop_that_stores_on_an_object_is_refused():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(loop_counts_checkpointed)(X2, Holder(1.0))
    assert "cannot be checkpointed" in str(e.value) and "p.n" in str(e.value)


@pytest.mark.parametrize("mode", ["grad", "value_and_grad", "jvp", "hvp"])
def test_the_stores_happen_once_as_in_the_primal(mode):
    def f(x, p):
        p.n = p.n + 1
        p.cache = x * 2
        y = p.cache * x
        p.cache = x * 3
        return np.sum(y * p.cache)
    p, primal = Holder(1.0), Holder(1.0)
    want = f(X2, primal)
    run = {"grad": lambda: s2s.grad(f)(X2, p), "value_and_grad": lambda: s2s.value_and_grad(f)(X2, p),
           "jvp": lambda: s2s.jvp(f)(X2, p, np.ones(3)), "hvp": lambda: s2s.hvp(f)(X2, p, np.ones(3))}[mode]
    run()
    assert p.n == 1 and type(p.cache) is np.ndarray and np.array_equal(p.cache, primal.cache)
    np.testing.assert_allclose(s2s.grad(f)(X2, Holder(1.0)), 18 * X2 ** 2, rtol=1e-12)
    assert np.isclose(want, np.sum(6 * X2 ** 3))


# 3. A method named like an array's (`.dot`, `.sum`, `.mean`) on a receiver whose class s2s does not know where the
#    call is (an element of a list or dict, a helper's parameter given one): when a class of the user's the function
#    can see has a method of that name, the call is dispatched when it runs (pullback_self / pushforward_self: an
#    array's method takes its rule, the user's method is differentiated from its source). It took NumPy's rule
#    (a weighted `dot` differentiated as a plain dot product: a wrong gradient).

WEIGHTS = np.array([1.0, 2.0, 3.0])


class WVec:
    """A vector with full operator overloading and a weighted inner product."""

    def __init__(self, v, w):
        self.v, self.w = v, w

    def __add__(self, o):
        return WVec(self.v + (o.v if isinstance(o, WVec) else o), self.w)

    __radd__ = __add__

    def __mul__(self, o):
        return WVec(self.v * (o.v if isinstance(o, WVec) else o), self.w)

    __rmul__ = __mul__

    def __sub__(self, o):
        return self + (-1.0) * o

    def __rsub__(self, o):
        return (-1.0) * self + o

    def __neg__(self):
        return (-1.0) * self

    def dot(self, o):
        return np.sum(self.w * self.v * o.v)

    def sum(self):
        return np.sum(self.w * self.v)

    def mean(self):
        return np.sum(self.w * self.v) / np.sum(self.w)


def _inner(a, b):
    return a.dot(b) + a.sum() + a.mean()


def wv_from_list(x):
    vs = [WVec(x, WEIGHTS), WVec(x * 2, WEIGHTS)]
    return _inner(vs[0], vs[1])


def wv_from_dict(x):
    d = {"a": WVec(x, WEIGHTS), "b": WVec(np.sin(x), WEIGHTS)}
    return _inner(d["a"], d["b"])


def wv_element_direct(x):
    vs = [WVec(x, WEIGHTS), WVec(x * x, WEIGHTS)]
    return vs[0].dot(vs[1]) + vs[0].sum()


def arrays_from_list(x):
    vs = [x, np.sin(x)]
    return _inner(vs[0], vs[1]) + vs[1].dot(vs[0])


def arrays_as_parameters(x):
    return _inner(x, x * 2)


X3 = np.array([0.5, -1.0, 2.0])


def _want(f):
    return s2s.numeric_grad(f)(X3)


@pytest.mark.parametrize("f", [wv_from_list, wv_from_dict, wv_element_direct], ids=lambda f: f.__name__)
def test_a_user_vector_with_its_own_dot_takes_its_method(f):
    want = np.sum(WEIGHTS * X3 * 4) + np.sum(WEIGHTS) + np.sum(WEIGHTS) / np.sum(WEIGHTS) \
        if f is wv_from_list else None
    g = s2s.grad(f)(X3)
    np.testing.assert_allclose(g, _want(f), rtol=1e-6, atol=1e-8)
    if want is not None:   # d/dx sum(w * x * 2x) + sum(w * x) + sum(w * x) / sum(w)
        np.testing.assert_allclose(g, WEIGHTS * 4 * X3 + WEIGHTS + WEIGHTS / np.sum(WEIGHTS))
    check_all(f, X3)   # reverse, forward and hvp against finite differences


@pytest.mark.parametrize("f", [arrays_from_list, arrays_as_parameters], ids=lambda f: f.__name__)
def test_array_receivers_keep_working_beside_a_user_vector(f):
    check_all(f, X3)


class Vec:
    """No operators: its methods use the arrays' own (self.v.dot(o.v)), the argument `o` is a Vec too."""

    def __init__(self, v):
        self.v = v

    def dot(self, o):
        return self.v.dot(o.v)

    def sum(self):
        return self.v.sum()


def vec_elements(x):
    vs = [Vec(x), Vec(np.sin(x))]
    return vs[0].dot(vs[1]) + vs[1].sum()


def test_the_argument_of_a_dispatched_method_is_a_users_object_too():
    # (the gradient of vs[1], given to dot, was added with `+`: TypeError Vec + Vec; before this session's
    # dispatch, NumPy's dot rule was given the Vec objects: TypeError float * Vec)
    check_all(vec_elements, X3)
