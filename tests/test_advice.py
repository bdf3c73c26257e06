"""Errors give advice that fits: no "register a rule" where a rule exists or would not help."""
import collections
import functools
import math

import numpy as np
import pytest

import s2s

P = collections.namedtuple("P", "a b")


def _message(make):
    with pytest.raises(s2s.DifferentiationError) as e:
        make()
    return str(e.value)


@pytest.mark.parametrize("fn,spelled", [(np.sin, "np.sin"), (math.sin, "math.sin"), (np.linalg.inv, "np.linalg.inv"),
                                        (abs, "abs")])
@pytest.mark.parametrize("api", [s2s.grad, s2s.jvp])
def test_a_library_function_with_a_rule_says_wrap_it(fn, spelled, api):
    msg = _message(lambda: api(fn))
    assert f"{spelled} is not a Python function, but s2s has a derivative rule for it" in msg
    assert f"s2s.grad(lambda x: {spelled}(x))" in msg
    assert "Register" not in msg and "adjoint" not in msg


def test_map_of_a_known_function_is_a_loop():   # issue 11: s2s/desugar.py
    assert s2s.grad(uses_map)([1.0, 2.0]) == [pytest.approx(np.cos(1.0)), 0.0]
    assert s2s.jvp(uses_map)([1.0, 2.0], [1.0, 0.0]) == pytest.approx(np.cos(1.0))


def test_the_suggested_wrapper_works():
    assert s2s.grad(lambda x: np.sin(x))(0.0) == pytest.approx(1.0)


def uses_map(xs):
    ys = list(map(np.sin, xs))
    return ys[0]


def uses_map_of_a_parameter(xs, fn=np.sin):   # the function is known only at run time
    ys = list(map(fn, xs))
    return ys[0]


def pick_multiply():
    return np.multiply


def uses_reduce(xs):   # reduce of a function known where it is written is a loop (issue 11); of one a call returns:
    return functools.reduce(pick_multiply(), xs)


def uses_reduce_of_a_ufunc(xs):
    return functools.reduce(np.multiply, xs)


def test_reduce_of_a_function_known_where_written_is_differentiated():
    assert s2s.grad(uses_reduce_of_a_ufunc)([3.0, 2.0]) == [2.0, 3.0]
    assert s2s.jvp(uses_reduce_of_a_ufunc)([3.0, 2.0], [1.0, 0.0]) == 2.0


def namedtuple_fields(p):
    return p.a * p.b


def namedtuple_built(x):
    p = P(x, 2.0)
    return p.a * p.b


def test_map_of_a_parameter_is_differentiated():
    # was refused with advice; now each call goes through a pullback (a pushforward in forward mode)
    g = s2s.grad(uses_map_of_a_parameter)([1.0, 2.0])
    np.testing.assert_allclose(g, [np.cos(1.0), 0.0])
    np.testing.assert_allclose(s2s.jvp(uses_map_of_a_parameter)([1.0, 2.0], [1.0, 1.0]), np.cos(1.0))


@pytest.mark.parametrize("fn,arg,says", [
    (uses_reduce, [1.0, 2.0], "Write the loop"),
])
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_map_and_reduce_suggest_a_loop(fn, arg, says, mode):
    if mode == "reverse":
        msg = _message(lambda: s2s.grad(fn)(arg))
    else:
        msg = _message(lambda: s2s.jvp(fn)(arg, [1.0, 1.0]))
    assert says in msg and "function passed as a value" in msg
    assert "adjoint" not in msg and "tangent(" not in msg


class Box:
    def __init__(self, a):
        self.a = a


def object_built(x):
    b = Box(x)
    return b.a * 2.0


KEPT = []


def box_twice(b):
    KEPT.append(b)
    return b.a * 2.0


class ScaledBox:   # __init__ computes what it stores: not a record (s2s/records.py plain_fields)
    def __init__(self, a):
        self.a = a * 1.0


def object_passed_on(x):   # the object leaves the function (box_twice keeps it): still refused
    b = ScaledBox(x)
    return box_twice(b)


def record_passed_on(x):   # Box only stores its parameter: built as a record, which may leave the function
    b = Box(x)
    return box_twice(b)


def test_a_record_like_object_passed_on_is_differentiated():
    assert s2s.grad(record_passed_on)(1.5) == 2.0
    assert s2s.jvp(record_passed_on)(1.5, 1.0) == 2.0


def test_building_an_object_is_differentiated():   # issue 11: taken apart into its attributes (s2s/objects.py)
    assert s2s.grad(object_built)(1.5) == 2.0
    assert s2s.jvp(object_built)(1.5, 1.0) == 2.0


def test_building_an_object_passed_on_does_not_suggest_a_rule():
    msg = _message(lambda: s2s.grad(object_passed_on)(1.0))
    assert "adjoint" not in msg and "Register" not in msg, msg
    assert "b = ScaledBox(x)" in msg


def test_building_a_namedtuple_is_differentiated():   # issue 11: s2s/records.make_record
    assert s2s.grad(namedtuple_built)(1.5) == 2.0
    assert s2s.jvp(namedtuple_built)(1.5, 1.0) == 2.0


def test_namedtuple_fields_are_differentiated():   # issue 11: fields of namedtuples are containers (s2s/records.py)
    g = s2s.grad(namedtuple_fields)(P(1.0, 2.0))
    assert type(g) is P and g == P(2.0, 1.0)


def test_namedtuple_fields_forward():
    assert s2s.jvp(namedtuple_fields)(P(1.0, 2.0), P(1.0, 0.0)) == 2.0
    msg = _message(lambda: s2s.jvp(object_passed_on)(1.0, 1.0))
    assert "tangent(" not in msg and "Register" not in msg, msg
