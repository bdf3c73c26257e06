"""The API contract of DESIGN.md section 1 as changed by issue 9: keyword-only seeds,
tuple outputs (explicit seed or has_aux), vjp, backend=, containers in jacobian/hessian,
``return None``, gradient types. Each issue-9 repro is a regression test here."""
import inspect

import numpy as np
import pytest

import s2s


def sq(x):
    return x ** 2


def loss_and_aux(x):
    return np.sum(x ** 2), x * 10


def via_helper(x):
    r = loss_and_aux(x)
    return r


def pair_out(x, y):
    return x * y, x + y


def three_out(x):
    return x, x * 2, x * 3


# ---------------------------------------------------------------- item 6: the seed is keyword-only

def test_extra_positional_argument_is_a_type_error():
    assert s2s.grad(sq)(3.0) == pytest.approx(6.0)
    with pytest.raises(TypeError):
        s2s.grad(sq)(3.0, 5.0)          # issue 9: gave 30.0
    with pytest.raises(TypeError):
        s2s.value_and_grad(sq)(3.0, 5.0)
    g = s2s.grad(sq)
    params = inspect.signature(g).parameters
    assert params[g.s2s_seed].kind is inspect.Parameter.KEYWORD_ONLY
    assert g(3.0, **{g.s2s_seed: 5.0}) == pytest.approx(30.0)


def test_forward_and_hvp_conventions_unchanged():
    assert s2s.jvp(sq)(3.0, 2.0) == pytest.approx(12.0)
    assert s2s.hvp(sq)(3.0, 2.0) == pytest.approx(4.0)


# ---------------------------------------------------------------- item 5: tuple outputs

def test_tuple_output_without_seed_or_has_aux_is_refused():
    x = np.array([1.0, 2.0])
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(loss_and_aux)(x)       # issue 9: gave 2x + 10
    msg = str(e.value)
    assert "has_aux=True" in msg and "seed" in msg and "test_contract.py" in msg and "line" in msg
    with pytest.raises(s2s.DifferentiationError, match="has_aux"):
        s2s.value_and_grad(loss_and_aux)(x)
    with pytest.raises(s2s.DifferentiationError, match="has_aux"):
        s2s.grad(via_helper)(x)
    with pytest.raises(s2s.DifferentiationError, match="has_aux"):
        s2s.grad(pair_out, wrt=(0, 1))(2.0, 3.0)
    with pytest.raises(s2s.DifferentiationError, match="has_aux"):
        s2s.hvp(loss_and_aux)(x, np.ones(2))


def test_has_aux_grad_and_value_and_grad():
    x = np.array([1.0, 2.0])
    g, aux = s2s.grad(loss_and_aux, has_aux=True)(x)
    np.testing.assert_allclose(g, 2 * x)
    np.testing.assert_allclose(aux, 10 * x)
    (value, aux), g = s2s.value_and_grad(loss_and_aux, has_aux=True)(x)
    assert value == pytest.approx(5.0)
    np.testing.assert_allclose(aux, 10 * x)
    np.testing.assert_allclose(g, 2 * x)
    g, aux = s2s.grad(via_helper, has_aux=True)(x)        # a pair known only at run time
    np.testing.assert_allclose(g, 2 * x)
    np.testing.assert_allclose(aux, 10 * x)
    (gx, gy), aux = s2s.grad(pair_out, wrt=(0, 1), has_aux=True)(2.0, 3.0)
    assert (gx, gy, aux) == pytest.approx((3.0, 2.0, 5.0))


def test_has_aux_no_gradient_through_aux():
    def f(x):
        y = x * 3.0
        return y, {"y": y, "sq": x * x}

    g, aux = s2s.grad(f, has_aux=True)(2.0)
    assert g == pytest.approx(3.0)
    assert aux == {"y": 6.0, "sq": 4.0}


def test_has_aux_needs_a_pair():
    with pytest.raises(s2s.DifferentiationError, match="pair"):
        s2s.grad(three_out, has_aux=True)


def test_explicit_tuple_seed_still_works():
    x = np.array([1.0, 2.0])
    g = s2s.grad(loss_and_aux)
    np.testing.assert_allclose(g(x, **{g.s2s_seed: (1.0, np.zeros(2))}), 2 * x)
    np.testing.assert_allclose(g(x, **{g.s2s_seed: (0.0, np.ones(2))}), np.full(2, 10.0))
    np.testing.assert_allclose(g(x, **{g.s2s_seed: (1.0, np.ones(2))}), s2s.numeric_grad(loss_and_aux)(x, seed=(1.0, np.ones(2))))


# ---------------------------------------------------------------- vjp and backend

def test_vjp_returns_value_and_pullback():
    x = np.array([1.0, 2.0])
    value, pullback = s2s.vjp(lambda x: x * x)(x)
    np.testing.assert_allclose(value, x * x)
    np.testing.assert_allclose(pullback(1.0), 2 * x)
    np.testing.assert_allclose(pullback(3.0), 6 * x)
    np.testing.assert_allclose(pullback(np.array([1.0, 0.0])), [2.0, 0.0])
    value, pullback = s2s.vjp(pair_out, wrt=(0, 1))(2.0, 3.0)
    assert value == pytest.approx((6.0, 5.0))
    assert pullback((1.0, 0.0)) == pytest.approx((3.0, 2.0))
    assert pullback((1.0, 1.0)) == pytest.approx((4.0, 3.0))
    value, pullback = s2s.vjp(sq)(3.0)
    assert value == pytest.approx(9.0)
    r = pullback(1.0)
    assert type(r) is float and r == pytest.approx(6.0)


def draw(x, rs):
    return np.sum(x * rs.randn(2))


def test_vjp_value_and_pullback_come_from_one_run():
    """The pullback's gradient belongs to the returned value (same random draws)."""
    x = np.array([1.0, 2.0])
    value, pullback = s2s.vjp(draw)(x, np.random.RandomState(0))
    r = np.random.RandomState(0).randn(2)
    assert value == pytest.approx(x @ r)
    np.testing.assert_allclose(pullback(1.0), r)
    np.testing.assert_allclose(pullback(2.0), 2 * r)


def test_unknown_backend_is_refused():   # numba and jax are built: tests/test_backend_numba.py, test_backend_jax.py
    with pytest.raises(ValueError):
        s2s.grad(sq, backend="fortran")
    assert s2s.grad(sq, backend="python")(3.0) == pytest.approx(6.0)


# ---------------------------------------------------------------- item 7: jacobian/hessian of containers

def _fd_jacobian(f, x, h=1e-6):
    """Finite-difference Jacobian of f at array x: shape out.shape + x.shape."""
    x = np.asarray(x, dtype=float)
    cols = []
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        cols.append((np.asarray(f(x + e.reshape(x.shape))) - np.asarray(f(x - e.reshape(x.shape)))) / (2 * h))
    out = np.stack(cols, axis=-1)
    return out.reshape(np.shape(f(x)) + x.shape)


def scaled(q):
    return q["w"] * q["s"]


def list_out(x):
    return [x * 2.0, np.sum(x ** 2)]


def quad(p):
    return np.sum(p[0] ** 2 * p[1]) + p[1] ** 3


@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_jacobian_of_a_dict_input(mode):
    q = {"w": np.array([1.0, 2.0]), "s": 3.0}
    J = s2s.jacobian(scaled, mode=mode)(q)          # issue 9: gave [4, 5] (J . 1)
    assert set(J) == {"w", "s"}
    np.testing.assert_allclose(J["w"], _fd_jacobian(lambda w: scaled({"w": w, "s": 3.0}), q["w"]), atol=1e-7)
    np.testing.assert_allclose(J["s"], _fd_jacobian(lambda s: scaled({"w": q["w"], "s": s}), 3.0), atol=1e-7)
    assert J["w"].shape == (2, 2) and J["s"].shape == (2,)


@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_jacobian_of_a_list_output(mode):
    x = np.array([1.0, 2.0])
    J = s2s.jacobian(list_out, mode=mode)(x)
    assert isinstance(J, list) and len(J) == 2
    np.testing.assert_allclose(J[0], _fd_jacobian(lambda x: list_out(x)[0], x), atol=1e-7)
    np.testing.assert_allclose(J[1], _fd_jacobian(lambda x: list_out(x)[1], x), atol=1e-7)


def test_hessian_of_a_list_input():
    p = [np.array([1.0, 2.0]), 3.0]
    H = s2s.hessian(quad)(p)
    assert isinstance(H, list) and isinstance(H[0], list)
    g = s2s.grad(quad)
    np.testing.assert_allclose(H[0][0], _fd_jacobian(lambda a: g([a, 3.0])[0], p[0]), atol=1e-6)
    np.testing.assert_allclose(H[0][1], _fd_jacobian(lambda s: g([p[0], s])[0], 3.0), atol=1e-6)
    np.testing.assert_allclose(H[1][0], _fd_jacobian(lambda a: g([a, 3.0])[1], p[0]), atol=1e-6)
    assert H[1][1] == pytest.approx(6 * 3.0, rel=1e-6)
    assert H[0][0].shape == (2, 2) and H[0][1].shape == (2,) and H[1][0].shape == (2,)


def test_jacobian_and_hessian_of_arrays_unchanged():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(s2s.jacobian(list_out)(x)[0], 2 * np.eye(3))
    H = s2s.hessian(quad, wrt=0)([x, 2.0])
    np.testing.assert_allclose(H[0][0], 2 * 2.0 * np.eye(3))


# ---------------------------------------------------------------- items 9 and 11: None, types

def returns_none(x):
    y = x * 2.0
    return None


def bare_return(x):
    y = x * 2.0
    return


def adds_a_key(q):
    q["extra"] = q["a"] * 2.0
    return q["extra"] * q["a"]


@pytest.mark.parametrize("fn", [returns_none, bare_return])
@pytest.mark.parametrize("make", [s2s.grad, s2s.jvp, s2s.hvp])
def test_return_none_is_refused_in_every_mode(fn, make):
    with pytest.raises(s2s.DifferentiationError) as e:   # issue 9 item 9: gave 0.0
        make(fn)(1.5)
    msg = str(e.value)
    assert "test_contract.py" in msg and "None" in msg and "return" in msg


def test_dict_gradient_has_exactly_the_arguments_keys():
    q = {"a": 1.5}
    g = s2s.grad(adds_a_key)(q)         # issue 9 item 11: had an extra key "extra"
    assert g == {"a": pytest.approx(6.0)}
    assert q == {"a": 1.5}
    assert s2s.numeric_grad(adds_a_key)({"a": 1.5})["a"] == pytest.approx(6.0)


# ---------------------------------------------------------------- item 4: the code that runs

import functools  # noqa: E402
import importlib  # noqa: E402
import sys  # noqa: E402


def double(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return 2 * fn(*args, **kwargs)
    return wrapper


def checked(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for a in args:
            if isinstance(a, np.ndarray) and not np.all(np.isfinite(a)):
                raise ValueError("input contains NaN or inf")
        return fn(*args, **kwargs)
    return wrapper


@double
def doubled_square(x):
    return x * x


@checked
def checked_square(x, scale=2.0):
    return np.sum(x * x) * scale


def calls_doubled(x):
    return doubled_square(x) + x


@functools.lru_cache(maxsize=None)
def cached_square(x):
    return x * x


@pytest.mark.parametrize("make", [s2s.grad, s2s.jvp, s2s.hvp])
def test_wraps_decorator_changing_the_result_is_differentiated(make):
    # issue 9: gave 3.0 at 1.5 (true: 6.0), then refused; issue 11: the wrapper's own code is differentiated
    want = {s2s.grad: (6.0, 7.0), s2s.jvp: (6.0, 7.0), s2s.hvp: (4.0, 4.0)}[make]
    assert make(doubled_square)(1.5) == pytest.approx(want[0])
    assert make(calls_doubled)(1.5) == pytest.approx(want[1])


def test_lru_cache_is_refused_with_a_location():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(cached_square)(1.5)
    assert "test_contract.py" in str(e.value) and "cached_square" in str(e.value)


def test_transparent_checking_decorator_is_differentiated():
    x = np.array([1.0, -2.0])
    np.testing.assert_allclose(s2s.grad(checked_square)(x), 4 * x)
    np.testing.assert_allclose(s2s.grad(checked_square)(x, 3.0), 6 * x)   # defaults are the function's
    np.testing.assert_allclose(s2s.jvp(checked_square)(x, 2.0, np.array([1.0, 0.0])), 4 * x[0])


def test_source_edited_after_import_is_refused(tmp_path):
    path = tmp_path / "edited_mod.py"
    path.write_text("def f(x):\n    return x * x\n")
    sys.path.insert(0, str(tmp_path))
    try:
        mod = importlib.import_module("edited_mod")
    finally:
        sys.path.remove(str(tmp_path))
    path.write_text("def f(x):\n    return x * 3.0\n")   # same line, name and parameters; another body
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(mod.f)(2.0)
    assert "edited_mod.py" in str(e.value) and "edited" in str(e.value)
    path.write_text("# a comment\n\n\ndef f(x):\n    return x * x\n")   # moved down
    with pytest.raises(s2s.DifferentiationError, match="edited_mod.py"):
        s2s.jvp(mod.f)(2.0, 1.0)
    path.write_text("def g(y):\n    return y * y * y\n")   # another function
    with pytest.raises(s2s.DifferentiationError, match="edited_mod.py"):
        s2s.hvp(mod.f)(2.0, 1.0)
