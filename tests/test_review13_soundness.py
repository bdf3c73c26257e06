"""Silent wrong gradients of review 13, each checked by value against finite differences in reverse,
forward and hvp (``check_all``), and where the cause was the printed code, by the generated source.

1. A negative number constant as the base of ``**``: ``(-1) ** k`` (and ``(-2.0) ** k``, ``c = 2.0;
   (-c) ** k`` after constant propagation) was printed ``-1 ** k``, which Python reads as ``-(1 ** k)``.
   s2s/codegen.py's printer now prints a negative constant at the precedence of a unary minus.
2. An array times a list or tuple (``x * [3.0, 2.0, 1.0]``, ``w = [...]; x * w``, ``y *= [...]``) was
   differentiated as list repetition: a zero gradient. Repetition is a list or tuple times an integer
   (decided at run time: s2s/containers.py ``repeats``); anything else is NumPy's elementwise product.
   ``x ** [...]`` crashed in the generated code (the power rules read the list as an array now), and
   ``[...] ** x`` reads the list as an array; so does a NumPy ufunc or np.clip given a list or tuple operand
   (``np.minimum(a, [1.0, 2.0])`` crashed in the generated code).
3. Forward mode of ``np.full(3, a)`` gave the scalar tangent ``da``: s2s/forward.py dropped the rule's
   ``tangent_like(da, z)`` as if the literal 3 were an elementwise operand; a number passed for a parameter
   whose tangent the rule does not read (a shape, a count) keeps it now.
4. ``z.shape = (3, 1)`` (an in-place reshape) was ignored by the derivative; an assignment to an array
   attribute that changes the array in place (``shape``, ``dtype``, ``real``, ``flat``, ...) of a value that
   carries a derivative is refused at the user's line.
5. ``sum(parts, [])`` (list concatenation) was differentiated as a numeric sum; a start written as a list or
   tuple makes it a loop of concatenations, and a start that is one only at run time is refused.
"""
import functools
import math
import operator

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


def ufunc_list_operands(a):
    return np.sum(np.cumsum(np.clip(a, [0.0, 0.1, 0.2], 1.0))) + np.sum(np.cumsum(np.multiply(a, [1.0, 2.0, 3.0]))) \
        + np.sum(np.cumsum(np.arctan2(a, (1.0, 2.0, 3.0)))) + np.sum(np.cumsum(np.minimum(a, [1.0, 2.0, 3.0]))) \
        + np.sum(np.clip(a, a_min=[0.5, 0.0, 0.3], a_max=(2.0, 2.0, 0.4)) ** 2)


def test_ufunc_list_operands():
    check_all(ufunc_list_operands, 0.45)


# ---------------------------------------------------------------- 3. a shape argument is not an elementwise operand
FULLS = {
    "full": lambda a: np.sum(np.full(3, a)),
    "full_kw": lambda a: np.sum(np.full(shape=3, fill_value=a)),
    "full_cumsum": lambda a: np.sum(np.cumsum(np.full(3, a)) ** 2),
    "full_matmul": lambda a: np.full(3, a) @ X,
    "full_dot": lambda a: np.dot(np.full(3, a), X) + np.sum(np.full(3, a)),
    "full_diag": lambda a: np.sum(np.diag(np.full(2, a)) ** 2),
    "full_2d": lambda a: np.sum(np.cumsum(np.full((2, 3), a) * X)),
    "full_like_shape": lambda a: np.sum(np.cumsum(np.full_like(X, a, shape=3))),
    "full_like": lambda a: np.sum(np.cumsum(np.full_like(X, a))),
    "broadcast_to": lambda a: np.sum(np.cumsum(np.broadcast_to(a, 3))),
    "tile": lambda a: np.sum(np.cumsum(np.tile(a, 3)) ** 2),
    "repeat": lambda a: np.sum(np.cumsum(np.repeat(a, 3)) ** 2),
    "resize": lambda a: np.sum(np.cumsum(np.resize(a, 3)) ** 2),
    "ones_times": lambda a: np.sum(np.cumsum(np.ones(3) * a)),
    "linspace": lambda a: np.sum(np.cumsum(np.linspace(a, 2.0, 3))),
    "logspace": lambda a: np.sum(np.cumsum(np.logspace(a, 1.0, 3))),
    "interp": lambda a: np.sum(np.cumsum(np.interp([0.1, 0.5, 0.9], [0.0, 1.0], [a, 2.0]))),
    "where": lambda a: np.sum(np.cumsum(np.where([True, False, True], a, 1.0))),
    "ldexp": lambda a: np.sum(np.cumsum(np.ldexp(a, [1, 2, 3]))),
}


@pytest.mark.parametrize("name", sorted(FULLS))
def test_shape_argument_forward(name):
    check_all(FULLS[name], 0.45)


def test_full_jvp_values():
    assert s2s.jvp(FULLS["full"])(0.8, 1.0) == pytest.approx(3.0)
    np.testing.assert_allclose(s2s.jvp(lambda a: np.cumsum(np.full(3, a)))(0.5, 1.0), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(s2s.jacobian(lambda a: np.cumsum(np.full(3, a)))(0.5), [1.0, 2.0, 3.0])


def full_times(x, a):
    f = np.full(3, a)
    return f @ x + np.sum(f * x)


def test_full_wrt_second():
    check_all(full_times, X, 0.8, wrt=1)


# ---------------------------------------------------------------- 4. z.shape = ... on a value carrying a derivative
def shape_assigned(x, y):
    z = x * 1.0
    z.shape = (3, 1)
    return np.sum(z * y)


def real_assigned(x, y):
    z = x * 1.0
    z.real = y
    return np.sum(z * x)


def field_shape_assigned(x, y):
    zs = [x * 1.0]
    zs[0].shape = (3, 1)
    return np.sum(zs[0] * y)


@pytest.mark.parametrize("f", [shape_assigned, real_assigned, field_shape_assigned])
@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_array_attribute_assignment_refused(f, mode):
    y = np.array([1.5, 0.4, -0.9])
    with pytest.raises(s2s.DifferentiationError) as e:
        if mode == "grad":
            s2s.grad(f)(X, y)
        elif mode == "jvp":
            s2s.jvp(f)(X, y, np.ones(3))
        else:
            s2s.hvp(f)(X, y, np.ones(3))
    text = str(e.value)
    assert "test_review13_soundness.py" in text and ".shape = (3, 1)" in text or ".real = y" in text
    assert "in place" in text


def shape_of_constant(x, y):   # the reshaped array carries no derivative: differentiated as written
    z = y * 1.0
    w = z
    z.shape = (3, 1)
    return np.sum(z * x) + np.sum(w * x ** 2)


def test_shape_assignment_of_constant():
    check_all(shape_of_constant, X, np.array([1.5, 0.4, -0.9]))


# ---------------------------------------------------------------- 5. sum(parts, []) concatenates
def sum_lists(a, b):
    lst = sum([[a], [b ** 2]], [])
    return lst[0] * lst[1]


def sum_lists_keyword(x):
    parts = [[x[0], x[1]], [x[2] ** 2]]
    flat = sum(parts, start=[])
    return flat[0] * flat[2] + flat[1]


def sum_generator(x):
    flat = sum(([x[i] ** 2] for i in range(3)), [])
    return np.sum(np.array(flat) * x)


def sum_tuples(x):
    flat = sum([(x[0],), (x[1] * x[2],)], ())
    return flat[0] * flat[1]


def sum_numbers(x):   # a number start stays a numeric sum
    s = sum([x[0], x[1] ** 2], 1.0)
    return s * x[2] + sum([x[0], x[2]])


@pytest.mark.parametrize("f, args, wrt", [(sum_lists, (0.3, -0.2), 0), (sum_lists, (0.3, -0.2), 1),
                                          (sum_lists_keyword, (X,), 0), (sum_generator, (X,), 0),
                                          (sum_tuples, (X,), 0), (sum_numbers, (X,), 0)])
def test_sum_concatenation_by_value(f, args, wrt):
    check_all(f, *args, wrt=wrt)


def sum_dynamic_start(x, start):
    flat = sum([[x[0]], [x[1] ** 2]], start)
    return flat[-1] * flat[-2]


@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_sum_dynamic_list_start_refused(mode):
    with pytest.raises(s2s.DifferentiationError, match="concatenates"):
        if mode == "grad":
            s2s.grad(sum_dynamic_start)(X, [])
        elif mode == "jvp":
            s2s.jvp(sum_dynamic_start)(X, [], np.ones(3))
        else:
            s2s.hvp(sum_dynamic_start)(X, [], np.ones(3))


# ---------------------------------------------------------------- list + list where s2s took + for arithmetic
def _concat(p, q):
    return p + q


def concat_in_helper(x):   # the helper's p + q was differentiated as a sum: a silently wrong gradient
    lst = _concat([x[0]], [x[1] ** 2])
    return lst[0] * lst[1]


def concat_by_reduce(x):
    lst = functools.reduce(operator.add, [[x[0]], [x[1] ** 2]])
    return lst[0] * lst[1]


def concat_in_loop(x):
    parts = [[x[0]], [x[1] ** 2]]
    acc = parts[0]
    for p in parts[1:]:
        acc = acc + p
    return acc[0] * acc[1]


@pytest.mark.parametrize("f", [concat_in_helper, concat_by_reduce, concat_in_loop])
def test_unknown_list_concatenation(f):
    with pytest.raises(s2s.DifferentiationError, match="concatenated with `[+]`"):
        s2s.grad(f)(X)
    v = np.array([1.0, 0.5, -0.3])
    want = (f(X + 1e-6 * v) - f(X - 1e-6 * v)) / 2e-6
    assert s2s.jvp(f)(X, v) == pytest.approx(want, rel=1e-6)


def visible_concatenation(x):
    lst = [x[0]] + [x[1] ** 2]
    lst += [x[2]]
    return lst[0] * lst[1] * lst[2]


def test_visible_concatenation():
    check_all(visible_concatenation, X)


def early_return_then_written(x, z):   # fuzz seed 93020013, shrunk
    for e in x:
        if e > 10.0:
            return z * e
    y = z ** 2 * 1.0
    y[3] = 2.0
    return y


def test_value_and_grad_value_when_the_returned_array_was_written_in_place():
    # value_and_grad returned y with the write undone (2.0 back to z[3] ** 2): the backward sweep restored y in
    # place, and the value was retval = y, held without a copy (only the written name itself was copied)
    x, z = np.array([0.5, -1.0]), np.array([0.4, 0.8, -0.7, 0.2, 1.3])
    value, g = s2s.value_and_grad(early_return_then_written, wrt=1)(x, z, dretval=np.ones(5))
    np.testing.assert_allclose(value, early_return_then_written(x, z))
    np.testing.assert_allclose(g, np.where(np.arange(5) == 3, 0.0, 2 * z))
