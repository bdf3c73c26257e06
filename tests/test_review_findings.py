"""Wrong numbers and crashes a reviewer found trying s2s as a new user (session 5), each checked by value.

- np.bincount / np.histogram were declared non-differentiable, but both are linear in ``weights=``: a zero
  gradient (bincount is the usual replacement for np.add.at).
- A call made for its effect (result dropped) of a function s2s knows nothing of (``heapq.heapify(l)``,
  ``np.ndarray.sort(y)``, ``rng.shuffle(y)`` on an expression) was kept and differentiated as if it changed
  nothing: a wrong gradient. It is refused now, naming the line.
- jvp / value_and_jvp / hvp / jacobian(mode="forward") of ``def g(a, *rest)``: the trailing tangent was taken
  into ``rest`` and the default tangent 1.0 used.
- hvp / hessian of a function with a keyword-only parameter: a TypeError (the tangent is keyword-only there).
"""
import dataclasses
import heapq

import numpy as np
import pytest

import s2s

W = np.array([1.0, 2.0, 3.0])


def bincount_loss(w):
    return np.sum(np.bincount(np.array([0, 1, 1]), weights=w) ** 2)


X = np.array([0.1, 0.5, 0.5, 0.9, 1.0, 2.0])


def histogram_loss(w):
    hist, edges = np.histogram(X, bins=3, range=(0.0, 1.0), weights=w)
    return np.sum(hist ** 2 * np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("f, w", [(bincount_loss, W), (histogram_loss, np.arange(1.0, 7.0))])
def test_linear_in_weights(f, w):
    num = s2s.numeric_grad(f)(w)
    assert np.abs(num).max() > 1.0   # not the zero gradient it was
    np.testing.assert_allclose(s2s.grad(f)(w), num, rtol=1e-6, atol=1e-6)
    v = np.linspace(-1.0, 1.0, w.size)
    np.testing.assert_allclose(s2s.jvp(f)(w, v), num @ v, rtol=1e-6, atol=1e-6)
    eps = 1e-6
    hv = (s2s.grad(f)(w + eps * v) - s2s.grad(f)(w - eps * v)) / (2 * eps)
    np.testing.assert_allclose(s2s.hvp(f)(w, v), hv, rtol=1e-5, atol=1e-5)


def test_histogram_density_is_refused():
    def f(w):
        return np.sum(np.histogram(X, bins=3, range=(0.0, 1.0), weights=w, density=True)[0])
    with pytest.raises(s2s.DifferentiationError, match="density=True"):
        s2s.grad(f)(np.arange(1.0, 7.0))


def heapify_loss(x):
    lst = [x[0], x[1], x[2]]
    heapq.heapify(lst)
    return lst[0] + 2 * lst[1] + 3 * lst[2]


def sort_in_place_loss(x):
    y = x.copy()
    np.ndarray.sort(y)
    return np.sum(y * W)


def shuffle_loss(x):
    y = x.copy()
    np.random.default_rng(0).shuffle(y)
    return np.sum(y * W)


def logged_loss(x):
    y = x * 2.0
    print(y)   # called for its effect with a value carrying a gradient: it changes nothing
    return np.sum(y * W)


@pytest.mark.parametrize("f, text", [(heapify_loss, "heapq.heapify(lst)"), (sort_in_place_loss, "np.ndarray.sort(y)"),
                                     (shuffle_loss, "np.random.default_rng(0).shuffle(y)")])
@pytest.mark.parametrize("mode", [s2s.grad, s2s.jvp])
def test_effect_of_unknown_call_is_refused(f, text, mode):
    with pytest.raises(s2s.DifferentiationError) as e:
        mode(f)(np.array([0.3, 2.0, -1.0]))
    assert __file__ in str(e.value) and text in str(e.value) and "result is dropped" in str(e.value)


def test_print_of_a_value_still_differentiates():
    x = np.array([0.3, 2.0, -1.0])
    np.testing.assert_allclose(s2s.grad(logged_loss)(x), 2.0 * W)
    assert s2s.jvp(logged_loss)(x, np.ones(3)) == pytest.approx(12.0)


def star(a, *rest):
    return a ** 3 * rest[0]


def test_tangent_last_after_star_args():
    assert s2s.jvp(star)(1.5, 2.0, 0.5) == pytest.approx(3 * 1.5 ** 2 * 2.0 * 0.5)
    assert s2s.value_and_jvp(star)(1.5, 2.0, 0.5) == pytest.approx((1.5 ** 3 * 2.0, 6.75))
    assert s2s.hvp(star)(1.5, 2.0, 0.5) == pytest.approx(6 * 1.5 * 2.0 * 0.5)
    assert s2s.jacobian(star, mode="forward")(1.5, 2.0) == pytest.approx(3 * 1.5 ** 2 * 2.0)


def kwonly(x, *, scale=2.0):
    return scale * x ** 3


def test_keyword_only_parameter_hvp_and_hessian():
    assert s2s.hvp(kwonly)(1.0, 0.5) == pytest.approx(2.0 * 6.0 * 0.5)
    assert s2s.hvp(kwonly)(1.0, 0.5, scale=1.0) == pytest.approx(3.0)
    assert s2s.hessian(kwonly)(1.0, scale=1.0) == pytest.approx(6.0)
    np.testing.assert_allclose(s2s.jacobian(kwonly, mode="forward")(np.array([1.0, 2.0]), scale=1.0),
                               np.diag([3.0, 12.0]))


def test_refused_statement_is_named_as_written():
    def f(x):
        y = x * 2
        del y
        return x
    with pytest.raises(s2s.DifferentiationError, match="`del` statements are not supported"):
        s2s.grad(f)(1.0)


def tuple_alias(x):
    y = x * 1.0
    a, b = y, x
    a += x        # changes y too: a and y are one array
    return np.sum(y * b)


def test_tuple_assignment_alias_written_in_place():
    """`a, b = y, x` made `a` share y's array; `a += x` then changed y, which the backward sweep did not see
    ([0, 2, 4] instead of [0, 4, 8]). Refused in reverse, as `a = y; a += x` is; forward follows it."""
    x = np.arange(3.0)
    with pytest.raises(s2s.DifferentiationError, match="may share its array"):
        s2s.grad(tuple_alias)(x)
    v = np.array([0.5, -1.0, 2.0])
    try:
        got = s2s.jvp(tuple_alias)(x, v)
    except s2s.DifferentiationError:
        return
    assert got == pytest.approx(s2s.numeric_grad(tuple_alias)(x) @ v)


def _scaled_cube(x, scale=2.0):
    return scale * np.sum(x ** 3)


def test_jvp_of_a_gradient_takes_the_tangent_last():
    """Session 6 reviewer: jvp(grad(f))(x, v) for f(x, scale=2.0) bound v to `scale` (a wrong number): the
    tangent-last rule skipped every generated function, though a gradient's positional parameters are the
    user's own (its seed is keyword-only)."""
    x, v = np.array([0.3, 0.9, 0.2, 0.7]), np.array([1.0, 0.0, 0.0, 0.0])
    want = s2s.hvp(_scaled_cube)(x, v)
    np.testing.assert_allclose(want, [3.6, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(s2s.jvp(s2s.grad(_scaled_cube))(x, v), want)
    np.testing.assert_allclose(s2s.jvp(s2s.grad(_scaled_cube))(x, 3.0, v), 1.5 * want)


@dataclasses.dataclass
class _Params:
    W: np.ndarray
    b: np.ndarray
    scale: float = 1.5
    name: str = "layer"


@dataclasses.dataclass(frozen=True)
class _Frozen:
    w: np.ndarray
    s: float


class _Plain:
    def __init__(self, W, k):
        self.W, self.k, self.tag = W, k, "t"


def _dc_loss(p, X):
    return np.mean((p.scale * np.tanh(X @ p.W + p.b)) ** 2)


def _mixed_loss(d, o, X):
    return np.sum(X @ d["enc"].w) * d["dec"].s + np.sum(X @ o.W) * o.k


def test_numeric_grad_of_dataclasses_and_objects(capsys):
    """Session 6 reviewer: numeric_grad gave 0.0 for dataclass and plain-object arguments (so check_grad
    failed correct gradients and explain crashed); it now gives one of the argument's type, as grad does."""
    X = np.arange(6.0).reshape(3, 2) / 6.0
    p = _Params(np.array([0.3, -0.2]), np.array(0.1))
    n = s2s.numeric_grad(_dc_loss)(p, X)
    assert isinstance(n, _Params) and n.name == "layer"
    g = s2s.grad(_dc_loss)(p, X)
    for f in ("W", "b", "scale"):
        np.testing.assert_allclose(getattr(n, f), getattr(g, f), rtol=1e-6)
        assert np.abs(getattr(n, f)).max() > 0.01
    s2s.check_grad(_dc_loss, p, X)
    d, o = {"enc": _Frozen(np.ones(2), 1.0), "dec": _Frozen(np.ones(2), 3.0)}, _Plain(np.ones(2), 2.0)
    for wrt in (0, 1):
        s2s.check_grad(_mixed_loss, d, o, X, wrt=wrt)
    assert s2s.numeric_grad(_mixed_loss, wrt=1)(d, o, X).k == pytest.approx(np.sum(X @ o.W))
    s2s.explain(_dc_loss, p, X)
    assert "agree" in capsys.readouterr().out


class _CallableDense:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


def _layers_fields(layers, x):
    for layer in layers:
        x = np.tanh(x @ layer.W + layer.b)
    return np.sum(x ** 2)


def test_objects_of_a_class_with_call_are_records():
    """Session 6 reviewer: a list of layer objects whose class defines __call__ was refused at run time
    ('no derivative rule for attribute .b', printed as a tuple): any callable was taken for a function."""
    rng = np.random.default_rng(5)
    layers = [_CallableDense(rng.normal(size=(3, 4)), rng.normal(size=4)),
              _CallableDense(rng.normal(size=(4, 2)), rng.normal(size=2))]
    x = rng.normal(size=(6, 3))
    g, n = s2s.grad(_layers_fields)(layers, x), s2s.numeric_grad(_layers_fields)(layers, x)
    for a, b in zip(g, n):
        assert isinstance(a, _CallableDense)
        np.testing.assert_allclose(a.W, b.W, rtol=1e-6)
        np.testing.assert_allclose(a.b, b.b, rtol=1e-6)
    s2s.check_grad(_layers_fields, layers, x)


def _dict_out(x):
    loss = np.sum(x ** 2)
    return {"loss": loss, "acc": 0.5}


def test_has_aux_with_a_dict_return_is_refused_at_its_line():
    """Session 6 reviewer: grad(f, has_aux=True) of a function returning a dict raised a bare KeyError: 0
    inside generated code."""
    with pytest.raises(s2s.DifferentiationError, match=r"this returns a dict") as e:
        s2s.grad(_dict_out, has_aux=True)
    assert 'return {"loss": loss, "acc": 0.5}' in str(e.value)
