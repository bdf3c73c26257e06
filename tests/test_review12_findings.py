"""Findings of session 12 (issue 11), each checked by value against finite differences in reverse,
forward and hvp (``check_all``) or refused with a DifferentiationError naming the user's line.

1. ``unflatten`` (from ``s2s.flatten`` outside) called inside a differentiated function goes through its
   rule (its adjoint flattens the gradient tree), not through its source. The hvp of a function whose
   gradient writes in place into the seed (an array output written by element) failed with
   ``NameError: dseed``: s2s/facts.py took a global the gradient's seed was bound to (``dy = seed``) as
   varying through a view; only local names vary through a view (the same made jvp fail with
   ``NameError: dG`` on a write through a view of a global, which is now refused at the user's line).
2. The gradient with respect to an OrderedDict, a defaultdict or another dict subclass comes back in
   that type (grad, hvp, vjp, numeric_grad), as a namedtuple's does; it was a plain dict.
3. try/except where the except path runs (issue 11 item 9): the generated code raised the user's exception
   itself (a ValueError out of a gradient); now a DifferentiationError names the line that raised and the
   try whose handler catches it (s2s/caught.py), also through a helper that raises and a caller that
   catches, in a loop, nested tries, and ``with contextlib.suppress`` (whose hvp was wrong: the suppressed
   statement was dropped from the hvp code, which gave -1.0 where the answer is 0). An exception no handler
   catches goes on unchanged. The path without an exception is checked against finite differences.
   (Session 14: the except path of a try whose body is simple statements without effects is differentiated,
   s2s/try_paths.py; nested tries and contextlib.suppress are still refused so.)
"""
import collections
import contextlib
import math

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

RNG = np.random.default_rng(12)
X4 = RNG.normal(size=4)
PARAMS = {"W": RNG.normal(size=(3, 4)), "b": RNG.normal(size=3), "s": 0.7, "l": [RNG.normal(size=2), 0.3]}
FLAT, UNFLAT = s2s.flatten(PARAMS)


# ---------------------------------------------------------------- 1. unflatten inside the differentiated function
def unflat_linear(v):   # the brief's example: linear in v (hvp is zero)
    p = UNFLAT(v)
    return np.sum(p["W"] @ X4 + p["b"])


def unflat_mlp(v):
    p = UNFLAT(v)
    h = np.tanh(p["W"] @ X4 + p["b"])
    return np.sum(h ** 2) * p["s"] + p["l"][0] @ p["l"][0] * p["l"][1]


def unflat_rows(v):   # a buffer filled row by row from the unflattened tree
    p = UNFLAT(v)
    out = np.zeros(3)
    for i in range(3):
        out[i] = p["W"][i] @ X4 + p["b"][i]
    return np.sum(out ** 2) + p["s"] ** 3


def make_loss(unflatten):   # a factory closing over unflatten
    def loss(v):
        p = unflatten(v)
        return np.sum(np.sin(p["W"]) @ X4) * p["s"]
    return loss


@pytest.mark.parametrize("f", [unflat_linear, unflat_mlp, unflat_rows, make_loss(UNFLAT)],
                         ids=["linear", "mlp", "rows", "factory"])
def test_unflatten_inside_the_function(f):
    check_all(f, FLAT.copy())


def test_unflatten_goes_through_its_rule():
    src = s2s.source(s2s.grad(unflat_mlp))
    assert "ravel_like" in src   # the adjoint of unflatten: flatten of the gradient tree
    assert "_rebuild" not in src and "build(" not in src   # not traced through flatten.py's source


def elementwise_write(x):   # an array output written by element: its gradient writes into the seed
    y = x ** 2
    y[0] = x[0] ** 3
    return y


def test_hvp_of_a_gradient_writing_into_its_seed():
    x, t = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(s2s.hvp(elementwise_write)(x, t), [6 * 1.0 * 0.5, 2 * -1.0, 2 * 2.0])
    check_all(lambda x: np.sum(elementwise_write(x)), x)


G = np.zeros(3)


def write_through_global_view(x):
    v = G[:2]
    v[0] = x
    return np.sum(G * x)


@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_write_through_a_view_of_a_global_refuses(mode):
    args = (2.0,) if mode == "grad" else (2.0, 1.0)
    with pytest.raises(s2s.DifferentiationError, match="v\\[0\\] = x"):
        getattr(s2s, mode)(write_through_global_view)(*args)


# ---------------------------------------------------------------- 2. dict subclasses keep their type
XM = np.array([[1.0, 2.0], [0.5, -1.0]])


class MyDict(dict):
    pass


def dict_loss(p):
    return np.sum(np.tanh(XM @ p["W"] + p["b"]) ** 2) + p["c"] * p["b"][0]


def _items():
    return [("W", np.array([[0.3, -0.2], [0.1, 0.4]])), ("b", np.array([0.1, 0.2])), ("c", 1.5)]


@pytest.mark.parametrize("kind", [collections.OrderedDict, MyDict])
def test_gradient_of_a_dict_subclass_has_its_type(kind):
    p = kind(_items())
    check_all(dict_loss, p)   # same_type: grad and hvp come back as `kind`
    assert type(s2s.numeric_grad(dict_loss)(p)) is kind
    _, pullback = s2s.vjp(dict_loss)(p)
    g = pullback(2.0)
    assert type(g) is kind
    want = s2s.grad(dict_loss)(p)
    for k in p:
        np.testing.assert_allclose(g[k], 2 * np.asarray(want[k]))


def test_gradient_of_a_defaultdict_keeps_its_factory():
    p = collections.defaultdict(float, _items())
    g = s2s.grad(dict_loss)(p)
    assert type(g) is collections.defaultdict and g.default_factory is float
    num = s2s.numeric_grad(dict_loss)(p)
    assert type(num) is collections.defaultdict
    for k in p:
        np.testing.assert_allclose(g[k], num[k], rtol=1e-6, atol=1e-8)
    t = collections.defaultdict(float, [("W", np.ones((2, 2))), ("b", np.array([1.0, -1.0])), ("c", 0.5)])
    jv = s2s.jvp(dict_loss)(p, t)
    assert jv == pytest.approx(sum(np.sum(np.asarray(num[k]) * np.asarray(t[k])) for k in p), rel=1e-6)
    hv = s2s.hvp(dict_loss)(p, t)
    assert type(hv) is collections.defaultdict
    h = 1e-5
    plus = s2s.grad(dict_loss)(collections.defaultdict(float, [(k, p[k] + h * t[k]) for k in p]))
    minus = s2s.grad(dict_loss)(collections.defaultdict(float, [(k, p[k] - h * t[k]) for k in p]))
    for k in p:
        np.testing.assert_allclose(hv[k], (np.asarray(plus[k]) - np.asarray(minus[k])) / (2 * h), rtol=1e-4, atol=1e-6)


def nested_dict_loss(ps):
    return np.sum(ps[0]["a"] ** 2 * ps[1]["b"])


def test_nested_ordered_dicts_and_a_key_without_gradient():
    ps = [collections.OrderedDict([("a", np.array([1.0, 2.0])), ("unused", np.ones(2))]),
          collections.OrderedDict([("b", 3.0)])]
    g = s2s.grad(nested_dict_loss)(ps)
    assert isinstance(g, list) and all(type(e) is collections.OrderedDict for e in g)
    np.testing.assert_allclose(g[0]["a"], [6.0, 12.0])
    np.testing.assert_allclose(g[0]["unused"], [0.0, 0.0])
    assert g[1]["b"] == pytest.approx(5.0)


# ---------------------------------------------------------------- 3. try/except whose except path runs
def risky(x):
    if x < 0:
        raise ValueError("negative")
    return math.sqrt(x)


def try_log(x):
    try:
        y = math.log(x)
    except ValueError:
        y = x * 2
    return y * x


def try_helper(x):   # the helper raises, the caller catches; else and finally
    try:
        y = risky(x)
    except ValueError:
        y = x * 3
    else:
        y = y + 1.0
    finally:
        z = y * y
    return z


def try_conditional(x):   # the brief's example
    try:
        y = np.log(x) if x > 0 else risky(x)
    except ValueError:
        y = x * 2
    return y * y


def catching_helper(x):
    try:
        y = math.log(x)
    except ValueError:
        y = 0.0 * x
    return y


def calls_catching_helper(x):
    return catching_helper(x) * x + x


def try_nested(x):
    try:
        try:
            y = math.log(x)
        except KeyError:
            y = x
    except (TypeError, ValueError):
        y = x * 3
    return y * x


def try_in_loop(xs):
    s = 0.0
    for v in xs:
        try:
            s = s + math.log(v) * v
        except ValueError:
            s = s + v
    return s


def try_return(x):
    try:
        return math.log(x) * x
    except ValueError:
        return x


def suppressing(x):
    y = x * 2.0
    with contextlib.suppress(ValueError):
        y = math.log(x) * x
    return y


def try_uncaught(x):
    try:
        y = math.log(x)
    except TypeError:
        y = x * 2
    return y * x


def try_raises_in_else(x):
    try:
        y = x * 2
    except ValueError:
        y = x
    else:
        y = math.log(y) * y   # (an exception in `else` is not caught by the handlers)
    return y


TRY_CASES = [  # (function, an input where no exception is raised, one where the except path runs, raising line)
    (try_log, 2.0, -1.5, "y = math.log(x)"),
    (try_helper, 2.0, -1.5, "y = risky(x)"),
    (try_conditional, 2.0, -1.5, "y = np.log(x) if x > 0 else risky(x)"),
    (calls_catching_helper, 2.0, -1.0, "y = math.log(x)"),
    (try_nested, 2.0, -1.0, "y = math.log(x)"),
    (try_in_loop, np.array([1.0, 2.0]), np.array([1.0, -2.0]), "s = s + math.log(v) * v"),
    (try_return, 2.0, -1.0, "return math.log(x) * x"),
    (suppressing, 2.0, -1.0, "y = math.log(x) * x"),
]
IDS = [c[0].__name__ for c in TRY_CASES]


@pytest.mark.parametrize("f, ok, _bad, _line", TRY_CASES, ids=IDS)
def test_try_without_an_exception_matches_finite_differences(f, ok, _bad, _line):
    check_all(f, ok)


# Since session 14 the path a try takes is differentiated when its body is simple statements without effects
# (s2s/try_paths.py): the except path of these runs differentiated, and is checked against finite differences.
TAKEN = [c for c in TRY_CASES if c[0] not in (try_nested, suppressing)]
REFUSED = [c for c in TRY_CASES if c[0] in (try_nested, suppressing)]


@pytest.mark.parametrize("f, _ok, bad, _line", TAKEN, ids=[c[0].__name__ for c in TAKEN])
def test_try_whose_except_path_runs_matches_finite_differences(f, _ok, bad, _line):
    check_all(f, bad)


@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp", "value_and_grad"])
@pytest.mark.parametrize("f, _ok, bad, line", REFUSED, ids=[c[0].__name__ for c in REFUSED])
def test_try_whose_except_path_runs_refuses_at_the_line(f, _ok, bad, line, mode):
    # (a try inside a try body, contextlib.suppress: still the path without an exception only)
    args = (bad, np.ones_like(bad) if isinstance(bad, np.ndarray) else 1.0) if mode in ("jvp", "hvp") else (bad,)
    with pytest.raises(s2s.DifferentiationError, match="except path") as info:
        getattr(s2s, mode)(f)(*args)
    msg = str(info.value)
    assert "test_review12_findings.py" in msg and line in msg
    assert isinstance(info.value.__cause__, ValueError)


def test_the_refusal_names_the_try_that_catches():
    with pytest.raises(s2s.DifferentiationError) as info:
        s2s.grad(try_nested)(-1.0)
    outer = try_nested.__code__.co_firstlineno + 1   # the outer try, whose handler catches ValueError
    assert f"which line {outer} catches" in str(info.value)


def test_vjp_refuses_too():
    with pytest.raises(s2s.DifferentiationError, match="except path"):
        s2s.vjp(try_nested)(-1.5)


@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_an_exception_no_handler_catches_goes_on(mode):
    for f in (try_uncaught, try_raises_in_else):
        args = (-1.0,) if mode == "grad" else (-1.0, 1.0)
        with pytest.raises(ValueError, match="math domain error"):
            getattr(s2s, mode)(f)(*args)


def test_suppressed_hvp_was_wrong():
    # the hvp code dropped math.log(x) (only its tangent is needed): no exception, and -1.0 for 0
    with pytest.raises(s2s.DifferentiationError, match="contextlib.suppress"):
        s2s.hvp(suppressing)(-1.0, 1.0)


def test_generated_code_of_a_function_without_try_is_unchanged():
    assert "refuse_caught" not in s2s.source(s2s.grad(unflat_mlp))
    assert "refuse_caught" in s2s.source(s2s.grad(try_nested))


def test_numba_backend_refuses_a_function_with_an_except_clause():
    pytest.importorskip("numba")
    with pytest.raises(s2s.DifferentiationError, match="try"):
        s2s.grad(try_log, backend="numba")(2.0)
