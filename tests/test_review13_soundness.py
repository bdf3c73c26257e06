"""Silent wrong gradients of review 13, each checked by value against finite differences in reverse,
forward and hvp (``check_all``), and where the cause was the printed code, by the generated source.

1. A negative number constant as the base of ``**``: ``(-1) ** k`` (and ``(-2.0) ** k``, ``c = 2.0;
   (-c) ** k`` after constant propagation) was printed ``-1 ** k``, which Python reads as ``-(1 ** k)``.
   s2s/codegen.py's printer now prints a negative constant at the precedence of a unary minus.
2. An array times a list or tuple (``x * [3.0, 2.0, 1.0]``, ``w = [...]; x * w``, ``y *= [...]``) was
   differentiated as list repetition: a zero gradient. Repetition is a list or tuple times an integer
   (decided at run time: s2s/containers.py ``repeats``); anything else is NumPy's elementwise product.
   ``x ** [...]`` crashed in the generated code (the power rules read the list as an array now), and
   ``[...] ** x`` reads the list as an array.
"""
import math

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X = np.array([0.3, -0.8, 1.1])
XP = np.array([0.3, 0.8, 1.1])


# ---------------------------------------------------------------- 1. negative constants as the base of **
def taylor_sin(x):
    s = 0.0
    for k in range(4):
        s = s + (-1) ** k * x ** (2 * k + 1) / math.factorial(2 * k + 1)
    return s


def alternating(x):
    k = np.arange(3)
    return np.sum(x * (-1) ** k)


def neg_float_base(x):
    return np.sum((-2.0) ** np.arange(3) * x ** 2)


def neg_propagated(x):
    c = 2.0
    return np.sum((-c) ** np.arange(3) * x ** 2)


def neg_folded(x):   # -2 ** 2 is -(2 ** 2); (-2) ** 2 is 4; -x ** 2 is -(x ** 2)
    return (-2) ** 2 * np.sum(x) + -2 ** 2 * np.sum(x ** 3) + np.sum(-x ** 2 + (-x) ** 3)


def neg_attribute(x):
    return np.sum(x * (-1.5).real * (-2).__abs__())


def alt_loop(x):
    s = 0.0
    for k in range(4):
        s = s + (-1) ** k * x ** (k + 1) / (k + 1)
    return s


@pytest.mark.parametrize("f, x", [(taylor_sin, 0.7), (alternating, X), (neg_float_base, X), (neg_propagated, X),
                                  (neg_folded, X), (neg_attribute, X), (alt_loop, 0.7)])
def test_negative_base_by_value(f, x):
    check_all(f, x)


def test_negative_base_value_and_grad():
    value, g = s2s.value_and_grad(taylor_sin)(0.7)
    assert value == pytest.approx(taylor_sin(0.7))
    assert g == pytest.approx(sum((-1) ** k * 0.7 ** (2 * k) / math.factorial(2 * k) for k in range(4)))


def test_negative_base_source_is_parenthesized():
    src = s2s.source(s2s.grad(alternating), X)
    assert "(-1) ** k" in src and "-1 ** k" not in src.replace("(-1) ** k", "")
    src = s2s.source(s2s.grad(neg_propagated), X)
    assert "(-2.0) ** np.arange(3)" in src, src
    src = s2s.source(s2s.jvp(taylor_sin), 0.7, 1.0)
    assert "(-1) **" in src, src


def test_printer_negative_constants():
    import ast

    import gast

    from s2s.codegen import expr_source
    for value, right, want in [(-1, "k", "(-1) ** k"), (-2.5, "k", "(-2.5) ** k"), (-1.5j, "k", "(-1.5j) ** k"),
                               (-0.0, "k", "(-0.0) ** k"), (2, "-1", "2 ** -1")]:
        node = gast.BinOp(left=gast.Constant(value=value, kind=None), op=gast.Pow(),
                          right=gast.parse(right).body[0].value)
        text = expr_source(node)
        assert want in text, text
        assert eval(expr_source(node), {"k": 3}) == eval(want, {"k": 3})
    attr = gast.Attribute(value=gast.Constant(value=-1, kind=None), attr="real", ctx=gast.Load())
    assert eval(expr_source(attr), {}) == -1
    assert ast.parse(expr_source(gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-1, kind=None))))


@pytest.mark.numba
def test_negative_base_numba():
    assert s2s.grad(alt_loop, backend="numba")(0.7) == pytest.approx(1 - 0.7 + 0.49 - 0.343)


def test_negative_base_jax():
    pytest.importorskip("jax")
    assert s2s.grad(alt_loop, backend="jax")(0.7) == pytest.approx(1 - 0.7 + 0.49 - 0.343)


def test_negative_base_export():
    from s2s.export import module_source
    text = module_source(s2s.grad(alt_loop))
    ns = {}
    exec(compile(text, "<exported>", "exec"), ns)
    name = s2s.grad(alt_loop).__name__
    assert ns[name](0.7) == pytest.approx(1 - 0.7 + 0.49 - 0.343)


# ---------------------------------------------------------------- 2. an array times a list or tuple
def times_list(x):
    return np.sum(x * [3.0, 2.0, 1.0])


def times_tuple(x):
    return np.sum((3.0, 2.0, 1.0) * x)


def times_named(x):
    w = [3.0, 2.0, 1.0]
    return np.sum(x * w)


def times_nested(x):
    return np.sum(x * [[3.0, 2.0, 1.0], [1.0, 1.0, 1.0]])


def times_inplace(x):
    y = x * 1.0
    y *= [3.0, 2.0, 1.0]
    return np.sum(y ** 2)


def times_range(x):
    w = list(range(3, 0, -1))
    return np.sum(x * w)


def times_relu(x):
    return np.sum(np.maximum(x, 0.0) * [3.0, 2.0, 1.0])


def times_after_square(x):
    return np.sum(x ** 2 * [1.0, 2.0, 3.0])


def power_list(x):
    return np.sum(x ** [3.0, 2.0, 1.0])


def power_list_inplace(x):
    y = x * 1.0
    y **= [2.0, 2.0, 3.0]
    return np.sum(y)


def list_base(x):
    return np.sum([3.0, 2.0, 1.0] ** x)


def active_list_base(x):
    w = [x[0], 2.0, 3.0]
    return np.sum(w ** x)


def times_active_list(x):
    w = [x[0], x[1] ** 2, 1.0]
    return np.sum(x * w)


def times_active_unpacked(x):
    w = [x[0], x[1] ** 2, 1.0]
    a, b, c = x * w
    return a * b + c


def zero_d_times_list(x):
    return np.sum(np.array(2.0) * [x[0], x[1] ** 2])


def repetition_still(x):   # a list times an int stays repetition
    w = [1.0, 2.0] * 2
    s = 0.0
    for r in [x[0], x[1]] * 2:
        s = s + r ** 2
    return s * np.sum(np.array(w) * x[2])


def repetition_numpy_int(x):
    s = 0.0
    for r in [x[0], x[1] ** 2] * np.int64(2):
        s = s + r * x[2]
    return s


def bool_and_int_lists(x):
    return np.sum(x * [True, False, True]) + np.sum(x * [1, 2, 3]) * np.sum(x ** 2)


@pytest.mark.parametrize("f, x", [
    (times_list, X), (times_tuple, X), (times_named, X), (times_nested, X), (times_inplace, X), (times_range, X),
    (times_relu, X), (times_after_square, X), (power_list, XP), (power_list_inplace, XP), (list_base, X),
    (active_list_base, XP), (times_active_list, X), (times_active_unpacked, X), (zero_d_times_list, X),
    (repetition_still, X), (repetition_numpy_int, X), (bool_and_int_lists, X)])
def test_array_times_list_by_value(f, x):
    check_all(f, x)


def test_array_times_list_repro_values():
    assert np.allclose(s2s.grad(times_list)(X), [3.0, 2.0, 1.0])
    assert s2s.jvp(times_list)(X, np.ones(3)) == pytest.approx(6.0)
    assert np.allclose(s2s.hvp(lambda v: np.sum(v ** 2 * [1.0, 2.0, 3.0]))(X, np.ones(3)), [2.0, 4.0, 6.0])
    assert np.allclose(s2s.grad(times_relu)(X), [3.0, 0.0, 1.0])


def list_argument(x, w):
    a, b, c = x * w
    return a * b + c + np.sum(np.asarray(w) ** 2 * x[0])


@pytest.mark.parametrize("w", [[3.0, 2.0, 1.0], (3.0, 2.0, 1.0)])
def test_list_argument_times_array(w):
    check_all(list_argument, X, w, wrt=0)
    g = s2s.grad(list_argument, wrt=1)(X, w)
    eps = 1e-6
    for i in range(3):
        wp, wm = list(w), list(w)
        wp[i] += eps
        wm[i] -= eps
        assert float(g[i]) == pytest.approx((list_argument(X, wp) - list_argument(X, wm)) / (2 * eps), rel=1e-5)


def test_second_order_of_product_with_active_list():
    h = s2s.hessian(times_active_list)(X)
    g = s2s.grad(times_active_list)
    eps = 1e-5
    want = np.array([(g(X + eps * e) - g(X - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(h, want, rtol=1e-5, atol=1e-6)
