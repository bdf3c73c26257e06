"""Forward mode (jvp, derivative, autodiff(mode="forward")) against finite differences.

The programs are the shared table of tests/programs.py: each is checked
along random tangents against the central-difference directional
derivative, and (for scalar outputs) against the reverse-mode gradient:
jvp(f)(x, v) == <grad(f)(x), v>.
"""
import inspect
import math
import textwrap

import numpy as np
import pytest

import s2s
from s2s import DifferentiationError

import programs
from programs import PROGRAMS

EPS = 1e-6


# ---------------------------------------------------------------- helpers on structured values

def _map(fn, *xs):
    x = xs[0]
    if isinstance(x, dict):
        return {k: _map(fn, *[y[k] for y in xs]) for k in x}
    if isinstance(x, (list, tuple)):
        return type(x)(_map(fn, *parts) for parts in zip(*xs))
    return fn(*xs)


def _random_tangent(x, rng):
    def leaf(v):
        if isinstance(v, np.ndarray):
            return rng.standard_normal(v.shape)
        return float(rng.standard_normal())
    return _map(leaf, x)


def _axpy(x, v, eps):
    return _map(lambda a, b: (a + eps * b) if isinstance(a, np.ndarray) else a + eps * b, x, v)


def _copy(x):
    return _map(lambda a: a.copy() if isinstance(a, np.ndarray) else a, x)


def _wrt(fn, wrt):
    params = list(inspect.signature(fn).parameters)
    items = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    return [params.index(w) if isinstance(w, str) else w for w in items]


def numeric_jvp(fn, args, wrt, tangents):
    idx = _wrt(fn, wrt)

    def at(eps):
        a = [_copy(x) for x in args]
        for i, v in zip(idx, tangents):
            a[i] = _axpy(a[i], v, eps)
        return fn(*a)
    hi, lo = at(EPS), at(-EPS)
    return _map(lambda p, m: (np.asarray(p, dtype=float) - np.asarray(m, dtype=float)) / (2 * EPS), hi, lo)


def close(got, want, rtol=1e-5, atol=1e-6):
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want)
        for k in want:
            close(got[k], want[k], rtol, atol)
    elif isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), (got, want)
        for a, b in zip(got, want):
            close(a, b, rtol, atol)
    else:
        assert np.shape(got) == np.shape(want), (np.shape(got), np.shape(want))
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=rtol, atol=atol)


def _inner(a, b):
    if isinstance(a, dict):
        return sum(_inner(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return sum(_inner(x, y) for x, y in zip(a, b))
    return float(np.sum(np.asarray(a) * np.asarray(b)))


IDS = [p[0] for p in PROGRAMS]


# ---------------------------------------------------------------- the table, forward mode

@pytest.mark.parametrize("name,fn,args,wrt", PROGRAMS, ids=IDS)
def test_program_jvp_matches_finite_differences(name, fn, args, wrt):
    rng = np.random.default_rng(abs(hash(name)) % 2 ** 32)
    idx = _wrt(fn, wrt)
    tangents = [_random_tangent(args[i], rng) for i in idx]
    before = [_copy(a) for a in args]
    t_before = [_copy(t) for t in tangents]
    got = s2s.jvp(fn, wrt=wrt)(*[_copy(a) for a in args], *tangents)
    close(tangents, t_before)   # the caller's tangents are never changed
    close(list(args), before)
    want = numeric_jvp(fn, args, wrt, tangents)
    close(got, want)


@pytest.mark.parametrize("name,fn,args,wrt", PROGRAMS, ids=IDS)
def test_program_jvp_agrees_with_grad(name, fn, args, wrt):
    """<grad f(x), v> == jvp(f)(x, v): the two modes agree with each other."""
    out = fn(*[_copy(a) for a in args])
    if np.ndim(out) != 0 or isinstance(out, (tuple, list)):
        pytest.skip("scalar outputs only")
    rng = np.random.default_rng(1 + abs(hash(name)) % 2 ** 31)
    idx = _wrt(fn, wrt)
    tangents = [_random_tangent(args[i], rng) for i in idx]
    t = s2s.jvp(fn, wrt=wrt)(*[_copy(a) for a in args], *tangents)
    g = s2s.grad(fn, wrt=wrt)(*[_copy(a) for a in args])
    g = list(g) if len(idx) > 1 else [g]
    assert t == pytest.approx(sum(_inner(a, b) for a, b in zip(g, tangents)), rel=1e-8, abs=1e-10)


# ---------------------------------------------------------------- API forms

def cube_plus(x):
    y = x * x * x
    return y + 2.0 * x


def two_args(x, y=2.0):
    return x * y ** 2 + np.sin(x)


def test_jvp_scalar_default_tangent():
    assert s2s.jvp(cube_plus)(1.5) == pytest.approx(3 * 1.5 ** 2 + 2.0)
    assert s2s.derivative(cube_plus)(1.5) == pytest.approx(3 * 1.5 ** 2 + 2.0)
    assert isinstance(s2s.jvp(cube_plus)(1.5), float)


def test_jvp_calling_conventions():
    x, y = 0.7, 1.3
    dfx = y ** 2 + math.cos(x)
    dfy = 2 * x * y
    assert s2s.jvp(two_args)(x, y, 0.5) == pytest.approx(0.5 * dfx)
    assert s2s.jvp(two_args, wrt=1)(x, y, 2.0) == pytest.approx(2.0 * dfy)
    # the tangents are the trailing positional arguments once the required ones are given (DESIGN.md:
    # "the tangent comes last"): with a defaulted parameter, (x, v) is x and the tangent, y keeps its default
    assert s2s.jvp(two_args, wrt="y")(x, y, 1.0) == pytest.approx(dfy)
    assert s2s.jvp(two_args, wrt="y")(x, y=y) == pytest.approx(dfy)
    assert s2s.jvp(two_args, wrt="y")(x, 0.5) == pytest.approx(0.5 * 2 * x * 2.0)
    assert s2s.jvp(two_args)(x, 0.5) == pytest.approx(0.5 * (4.0 + math.cos(x)))
    assert s2s.jvp(two_args, wrt=(0, 1))(x, y, 1.0, 3.0) == pytest.approx(dfx + 3.0 * dfy)
    assert s2s.jvp(two_args, wrt=[0])(x) == pytest.approx(two_args(x) * 0 + 4.0 + math.cos(x))
    assert s2s.autodiff(two_args, mode="forward")(x, y, 1.0) == pytest.approx(dfx)
    assert s2s.autodiff(two_args, mode="forward")(x, y=y) == pytest.approx(dfx)
    v, t = s2s.value_and_jvp(two_args)(x, y, 1.0)
    assert v == pytest.approx(two_args(x, y)) and t == pytest.approx(dfx)


def test_jvp_decorator_forms():
    @s2s.jvp
    def f(x):
        return x ** 3
    assert f(2.0) == pytest.approx(12.0)

    @s2s.jvp(wrt=1)
    def g(x, y):
        return x * y ** 2
    assert g(2.0, 3.0) == pytest.approx(12.0)


def test_array_default_tangent_is_ones():
    x = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(s2s.jvp(programs.logistic)(x), programs.logistic(x) * (1 - programs.logistic(x)))


def test_jvp_is_cached():
    assert s2s.jvp(cube_plus) is s2s.jvp(cube_plus)


# ---------------------------------------------------------------- generated code

def test_generated_source_is_readable():
    f = s2s.jvp(cube_plus, wrt=0)
    src = inspect.getsource(f)
    assert textwrap.dedent(src) == s2s.source(f)
    assert "dx" in src and "stack" not in src and "zeros_like" not in src
    assert "dy = " in src   # dy beside y


def inactive(x, c):
    a = c * 2.0          # inactive: no tangent code
    b = np.sin(c)        # inactive
    return x * a + b


def test_inactive_tangents_vanish():
    src = s2s.source(s2s.jvp(inactive))
    assert "dc" not in src and "da" not in src and "db" not in src and "cos" not in src
    assert s2s.jvp(inactive)(1.0, 0.5) == pytest.approx(1.0)


def constant_output(x):
    y = np.ones(3)
    return y * 2.0


def test_zero_output_tangent_has_output_shape():
    t = s2s.jvp(constant_output)(np.array([1.0, 2.0]))
    assert isinstance(t, np.ndarray) and t.shape == (3,) and not t.any()


def test_loop_has_no_stack():
    src = s2s.source(s2s.jvp(programs.rnn))
    assert "stack" not in src and "pop" not in src


def test_verbose_prints(capsys):
    s2s.jvp(cube_plus, verbose=1)
    out = capsys.readouterr().out
    assert "def jvp_cube_plus_dx(x, dx=1.0):" in out


def test_traceback_points_at_generated_line():
    def bad(x):
        return np.log(x)  # noqa
    f = s2s.jvp(programs.logistic)
    assert inspect.getsourcefile(f).endswith(".py")


# ---------------------------------------------------------------- user tangent rules

def cube(x):
    return x ** 3


def uses_cube(x):
    return cube(x) * 2.0


def opaque(x):
    return np.asarray(x) * 0.0 + 5.0   # the rule below says its derivative is 7


@s2s.tangent(opaque)
def _opaque_tangent(result, x):
    d[result] = d[x] * 7.0  # noqa: F821  (template notation)


def uses_opaque(x):
    return opaque(x) + x


def test_user_tangent_rule():
    assert s2s.jvp(uses_opaque)(1.0) == pytest.approx(8.0)
    assert "7.0" in s2s.source(s2s.jvp(uses_opaque))


def test_helper_is_differentiated_from_source():
    assert s2s.jvp(uses_cube)(2.0) == pytest.approx(24.0)


# ---------------------------------------------------------------- errors

def needs_rule(x):
    return np.linalg.eigvalsh_not_there(x)  # noqa


class Thing:
    pass


def unknown_call(x):
    import fractions
    return fractions.Fraction(x)


def test_missing_rule_error_names_line():
    with pytest.raises(DifferentiationError) as e:
        s2s.jvp(unknown_call)(1.0)
    msg = str(e.value)
    assert "test_forward.py" in msg and "fractions.Fraction(x)" in msg and "s2s.tangent" in msg


# ---------------------------------------------------------------- the rule registry

def test_every_reverse_rule_has_a_forward_rule():
    """Forward mode handles every call reverse mode handles (rules are checked in tests/test_rule_templates.py)."""
    from s2s.registry import ADJOINTS, TANGENTS
    missing = [k for k, t in ADJOINTS.items() if k not in TANGENTS and t.__module__.startswith("s2s.templates.")]
    assert not missing, f"adjoint rules without a tangent rule: {missing}"


# ---------------------------------------------------------------- regressions found by differential fuzzing (tests/fuzz)

def fz_zero_array_minus_active(y):
    Y = np.zeros((2, 4))
    Y = y - Y            # Y is active with a zero tangent: dY must take the (2, 4) shape
    return np.sum(Y)


def fz_sum_of_list_into_zero_tangent(x):
    Y = np.zeros((3, 4))
    Y = Y - sum([e for e in x])
    return Y[0, 0]


def fz_write_through_alias(y):
    z = y
    z[1] = 1.0           # changes the argument through an alias
    return np.sum(z * y)


def fz_scaled_copy(y):
    z = y * 1.0          # a copy: must not be simplified into an alias of y
    z[1] = 1.0
    return np.sum(z * y)


def fz_builtin_max(x):
    t = x[2]
    a, b = (max(1.0, t), 1.0)
    return a


def fz_inner_changes(a, b):
    if a[3] + b < 5.0:
        a[1:3] = a[3] * a[3] + 1.0     # changes the caller's array
    return a[0] + 0.5 * b + 2.0 * a[1]


def fz_outer_passes_on(a, b):
    return fz_inner_changes(b, a + a) * np.sin(a * b[3]) + a


def fz_helper_changes_inactive_argument(y, x):
    t = fz_outer_passes_on(y, x) * (x.sum() - x[0])   # x.sum() sees the helper's change to x
    return t + 2.0 * y


def test_helper_that_changes_an_inactive_argument():
    x = np.array([1.19, -0.61, 1.19, 0.64])
    got = s2s.jvp(fz_helper_changes_inactive_argument)(-0.34, x.copy(), 1.0)
    assert got == pytest.approx(float(numeric_jvp(fz_helper_changes_inactive_argument, (-0.34, x), 0, [1.0])), rel=1e-6)
    # x carrying a derivative: refused until session 14; the helpers are now inlined and the change followed
    t = np.array([0.3, -0.2, 0.5, 0.1])
    got = s2s.jvp(fz_helper_changes_inactive_argument, wrt=1)(-0.34, x.copy(), t)
    want = numeric_jvp(fz_helper_changes_inactive_argument, (-0.34, x.copy()), 1, [t])
    assert got == pytest.approx(float(want), rel=1e-6)
    before = x.copy()
    g = s2s.grad(fz_helper_changes_inactive_argument, wrt=1)(-0.34, x)
    assert np.array_equal(x, before)   # (the primal changes x; the gradient does not)
    assert float(np.dot(g, t)) == pytest.approx(float(want), rel=1e-6)


@pytest.mark.parametrize("fn,x", [(fz_zero_array_minus_active, -1.3577),
                                  (fz_sum_of_list_into_zero_tangent, np.array([0.26, 1.47, 0.67, -1.3])),
                                  (fz_write_through_alias, np.array([0.25, 0.32, 0.62, 0.19])),
                                  (fz_scaled_copy, np.array([0.25, 0.32, 0.62, 0.19])),
                                  (fz_builtin_max, np.array([1.33, -0.22, 1.3]))])
def test_fuzz_regressions(fn, x):
    v = np.ones_like(x) * 0.7 if isinstance(x, np.ndarray) else 0.7
    before = _copy(x)
    got = s2s.jvp(fn)(_copy(x) if not isinstance(x, np.ndarray) else x, v)
    close(x, before)     # the caller's array is never changed
    close(got, numeric_jvp(fn, (before,), 0, [v]))


class _Kernel:
    """A callable object of the user's class: both modes differentiate through its __call__ (s2s/calls.py)."""

    def __init__(self, s):
        self.s = s

    def __call__(self, x):
        return np.exp(-x * x / self.s)


_KERNEL = _Kernel(2.0)


def _kernel_sum(x):
    y = _KERNEL(x)
    return np.sum(y * x)


def test_jvp_and_hvp_through_a_callable_object():
    """Forward mode used to refuse a callable object that reverse mode differentiated (each had its own
    call dispatch); one classification now serves both."""
    x = np.array([0.3, -0.7, 1.1])
    v = np.array([1.0, -2.0, 0.5])
    g = s2s.grad(_kernel_sum)(x)
    assert np.allclose(s2s.numeric_grad(_kernel_sum)(x), g, atol=1e-6)
    assert np.isclose(s2s.jvp(_kernel_sum)(x, v), g @ v)
    h = 1e-5
    fd = (s2s.grad(_kernel_sum)(x + h * v) - s2s.grad(_kernel_sum)(x - h * v)) / (2 * h)
    assert np.allclose(s2s.hvp(_kernel_sum)(x, v), fd, atol=1e-6)
