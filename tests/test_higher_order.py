"""Higher order: grad of grad, forward over reverse (hvp), hessian, jacobian.

The generated gradient is a Python function with findable source, so s2s
differentiates it like user code: forward mode over it (hvp, jvp(grad(f)))
mirrors its stack pushes and pops on a tangent stack, and grad(grad(f))
is computed the same way (exact, because Hessians are symmetric).
"""
import inspect
import math

import numpy as np
import pytest

import s2s
from s2s import compiler

import programs
from programs import PROGRAMS
from test_forward import _axpy, _copy, _map, _random_tangent, _wrt, close

EPS = 1e-6


def _scalar_programs():
    out = []
    for name, fn, args, wrt in PROGRAMS:
        value = fn(*[_copy(a) for a in args])
        if np.ndim(value) == 0 and not isinstance(value, (tuple, list)):
            out.append((name, fn, args, wrt))
    return out


SCALAR = _scalar_programs()


def numeric_hvp(fn, args, wrt, vs):
    """Central differences of the generated gradient along vs."""
    g = s2s.grad(fn, wrt=wrt)
    idx = _wrt(fn, wrt)

    def at(eps):
        a = [_copy(x) for x in args]
        for i, v in zip(idx, vs):
            a[i] = _axpy(a[i], v, eps)
        return g(*a)
    hi, lo = at(EPS), at(-EPS)
    return _map(lambda p, m: (np.asarray(p, dtype=float) - np.asarray(m, dtype=float)) / (2 * EPS), hi, lo)


# ---------------------------------------------------------------- hvp over the whole table

_HVP_CASES = [pytest.param(*p, id=p[0]) for p in SCALAR]


@pytest.mark.parametrize("name,fn,args,wrt", _HVP_CASES)
def test_hvp_matches_finite_differences_of_grad(name, fn, args, wrt):
    rng = np.random.default_rng(abs(hash(name)) % 2 ** 32)
    vs = [_random_tangent(args[i], rng) for i in _wrt(fn, wrt)]
    got = s2s.hvp(fn, wrt=wrt)(*[_copy(a) for a in args], *vs)
    close(got, numeric_hvp(fn, args, wrt, vs), rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- Hessians

def rosen_hessian(x):
    """The analytic Hessian of the n-dimensional Rosenbrock function."""
    n = len(x)
    H = np.zeros((n, n))
    for i in range(n - 1):
        H[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
        H[i + 1, i + 1] += 200
        H[i, i + 1] += -400 * x[i]
        H[i + 1, i] += -400 * x[i]
    return H


@pytest.mark.parametrize("x", [np.array([1.2, 0.7]), np.array([1.2, 0.7, -0.3, 0.9]), np.array([-1.0, 2.0, 0.5, 1.5, 0.0])])
def test_hessian_rosenbrock_equals_analytic(x):
    H = s2s.hessian(programs.rosenbrock)(x)
    assert H.shape == x.shape + x.shape
    np.testing.assert_allclose(H, rosen_hessian(x), rtol=1e-12, atol=1e-9)


def matrix_quadratic(A, B):
    return np.sum(A * A * B) + np.sum(np.sin(A))


def test_hessian_shapes_and_blocks():
    A = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    B = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    H = s2s.hessian(matrix_quadratic)(A, B)
    assert H.shape == (2, 3, 2, 3)
    want = np.zeros((2, 3, 2, 3))
    for i in range(2):
        for j in range(3):
            want[i, j, i, j] = 2 * B[i, j] - np.sin(A[i, j])
    np.testing.assert_allclose(H, want, atol=1e-12)
    blocks = s2s.hessian(matrix_quadratic, wrt=(0, 1))(A, B)
    assert len(blocks) == 2 and blocks[0][1].shape == (2, 3, 2, 3)
    np.testing.assert_allclose(blocks[0][0], want, atol=1e-12)
    np.testing.assert_allclose(blocks[0][1].reshape(6, 6), np.diag((2 * A).ravel()), atol=1e-12)
    np.testing.assert_allclose(blocks[1][0].reshape(6, 6), np.diag((2 * A).ravel()), atol=1e-12)
    np.testing.assert_allclose(blocks[1][1], 0.0)


def test_hessian_of_scalar_function_is_a_float():
    h = s2s.hessian(programs.newton_sqrt)(2.0)   # sqrt(a)'' = -a**-1.5 / 4
    assert isinstance(h, float) and h == pytest.approx(-0.25 * 2.0 ** -1.5, rel=1e-8)


def test_hessian_is_symmetric_through_loops():
    args = (np.array([0.1, -0.2]), np.array([[0.5, -0.3], [0.2, 0.8]]),
            np.array([[0.3, 0.1], [-0.2, 0.4], [0.5, -0.6]]))
    H = s2s.hessian(programs.rnn, wrt=1)(*args)
    assert H.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(H.reshape(4, 4), H.reshape(4, 4).T, atol=1e-12)


# ---------------------------------------------------------------- grad of grad

def quartic(x):
    return x ** 4 - 3.0 * x ** 2 + math.sin(x)


def looped(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sin(x * i) * x
        x = x * 1.1
    return s


def while_looped(x):
    y = x
    k = 0
    while k < 4:
        y = np.cos(y) * x + y * 0.5
        k = k + 1
    return y


def mixed(x, y):
    z = 0.0
    for i in range(3):
        z = z + x * y ** 2 + np.exp(x * y * 0.1)
    return z


def _fd(f, x, *rest):
    return (f(x + EPS, *rest) - f(x - EPS, *rest)) / (2 * EPS)


def test_grad_of_grad_scalar():
    d2 = s2s.grad(s2s.grad(quartic))
    x = 0.7
    assert d2(x) == pytest.approx(12 * x ** 2 - 6 - math.sin(x), rel=1e-10)
    d3 = s2s.grad(s2s.grad(s2s.grad(quartic)))
    assert d3(x) == pytest.approx(24 * x - math.cos(x), rel=1e-10)


@pytest.mark.parametrize("fn,args", [(looped, (0.8, 5)), (while_looped, (0.9,)), (programs.recursive, (1.2, 3)),
                                     (programs.early_return, (1.5,)), (programs.newton_sqrt, (2.0,))])
def test_grad_of_grad_through_loops(fn, args):
    g = s2s.grad(fn)
    gg = s2s.grad(g)
    assert gg(*args) == pytest.approx(_fd(g, *args), rel=1e-6, abs=1e-7)
    # the inner gradient of a loop saves values on a stack; its derivative mirrors it
    if fn is looped:
        assert "stack.append" in s2s.source(g) and "dstack.append" in s2s.source(gg)


def test_grad_of_grad_mixed_partials_and_seeds():
    x, y = 0.6, 1.3
    dxy = s2s.grad(s2s.grad(mixed, wrt=0), wrt=1)    # d/dy (df/dx)
    want = 3 * (2 * y + 0.1 * np.exp(0.1 * x * y) + 0.01 * x * y * np.exp(0.1 * x * y))
    assert dxy(x, y) == pytest.approx(want, rel=1e-10)
    # the inner seed scales, the outer seed too
    assert dxy(x, y, dz=2.0, dx=0.5) == pytest.approx(want, rel=1e-10)   # both keyword-only
    with pytest.raises(TypeError):
        dxy(x, y, 2.0, 0.5)
    assert s2s.grad(s2s.grad(mixed, wrt=0), wrt=(0, 1))(x, y)[1] == pytest.approx(want, rel=1e-10)
    v, g = s2s.value_and_grad(s2s.grad(mixed))(x, y)
    assert v == pytest.approx(s2s.grad(mixed)(x, y))
    assert g == pytest.approx(_fd(s2s.grad(mixed), x, y), rel=1e-6)


def test_grad_of_grad_elementwise():
    x = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(s2s.grad(s2s.grad(programs.logistic))(x),
                               _fd(s2s.grad(programs.logistic), x), rtol=1e-6)


def test_reverse_over_reverse_straight_line():
    """The runtime helpers' adjoint rules: reverse mode over a generated gradient's own source."""
    g = s2s.grad(programs.rosenbrock)
    gg = compiler.reverse_function(g, ("x",))          # plain reverse mode over g, no shortcut
    x = np.array([1.2, 0.7, -0.3, 0.9])
    np.testing.assert_allclose(gg(x), rosen_hessian(x) @ np.ones(4), rtol=1e-10)
    g2 = s2s.grad(programs.polynomial, wrt=(0, 1))
    gg2 = compiler.reverse_function(s2s.grad(programs.polynomial), ("x",))
    assert gg2(2.0, 1.0) == pytest.approx(2.0)
    assert g2(2.0, 1.0) == pytest.approx((7.0, 8.0))


@pytest.mark.xfail(strict=True, raises=s2s.DifferentiationError,
                   reason="reverse core: no adjoint for `x = lst.pop()` (the stack restores of a generated loop "
                          "gradient), so reverse-over-reverse stops there; s2s.grad(s2s.grad(f)) goes forward "
                          "over reverse instead (see test_grad_of_grad_through_loops)")
def test_reverse_over_reverse_through_a_loop():
    compiler.reverse_function(s2s.grad(looped), ("x",))


# ---------------------------------------------------------------- forward over reverse, directly

def test_jvp_of_grad():
    g = s2s.grad(looped)
    jg = s2s.jvp(g)                      # (x, n, tangent, *, seed)
    assert jg(0.8, 5, 1.0, ds=1.0) == pytest.approx(_fd(g, 0.8, 5), rel=1e-6)
    assert jg(0.8, 5, 0.5, ds=2.0) == pytest.approx(_fd(g, 0.8, 5), rel=1e-6)   # seed 2 x tangent 0.5
    jseed = s2s.jvp(g, wrt=2)            # the gradient is linear in its (keyword-only) seed
    assert jseed(0.8, 5, 1.0, ds=1.0) == pytest.approx(g(0.8, 5), rel=1e-12)


def test_hvp_calling_convention_and_source():
    x = np.array([1.2, 0.7, -0.3])
    v = np.array([0.3, -1.0, 2.0])
    h = s2s.hvp(programs.rosenbrock)
    np.testing.assert_allclose(h(x, v), rosen_hessian(x) @ v, rtol=1e-12)
    src = inspect.getsource(h)
    assert "def hvp_rosenbrock_dx(x, " in src
    assert "stack" not in src         # straight-line code: no stack, no tangent stack
    assert s2s.hvp(programs.rosenbrock) is h


def test_hvp_of_loop_mirrors_the_stack_once():
    src = s2s.source(s2s.hvp(looped))
    assert src.count("dstack = ") == 1 and "stack_1" not in src   # one tangent stack, no second tape


def rnn_inputs(W, U, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t] @ U)
    return np.sum(h * h)


def test_hvp_loop_with_inactive_values_on_the_stack():
    """xs[t] is saved on the gradient's stack but carries no tangent: its zero tangent must be
    shaped like the array (not 0.0 from the initial None) once the loop has run."""
    rng = np.random.default_rng(3)
    args = (rng.standard_normal((4, 4)) * 0.3, rng.standard_normal((3, 4)) * 0.3, rng.standard_normal((5, 2, 3)),
            np.zeros((2, 4)))
    vs = [rng.standard_normal((4, 4)), rng.standard_normal((3, 4))]
    got = s2s.hvp(rnn_inputs, wrt=(0, 1))(*args, *vs)
    close(list(got), list(numeric_hvp(rnn_inputs, args, (0, 1), vs)), rtol=1e-4, atol=1e-6)


def slice_writes_in_loop(y, p):
    y = y * 1.0
    for k in range(3):
        y[0:2] = y[1:3] * p + np.sin(y[0:2])
    return np.sum(y * y)


def builtin_max_min(x, y):
    return max(x * y, y * y) * min(x, 2.0 * y) + max(np.sin(x), 0.3)


@pytest.mark.parametrize("fn,args", [(slice_writes_in_loop, (np.array([0.3, -0.7, 1.1]), 0.8)),
                                     (builtin_max_min, (0.7, 1.3)), (builtin_max_min, (1.9, 0.4))])
def test_hvp_over_generated_restores_and_helpers(fn, args):
    """The gradient restores slices with set_item(y, i, stack.pop()) (the tangent pops too) and builds
    GradList objects in helpers (choice_grads for max/min): forward mode runs through both."""
    rng = np.random.default_rng(5)
    wrt = (0, 1)
    vs = [_random_tangent(a, rng) for a in args]
    got = s2s.hvp(fn, wrt=wrt)(*[_copy(a) for a in args], *vs)
    close(list(got), list(numeric_hvp(fn, args, wrt, vs)), rtol=1e-4, atol=1e-6)


def test_hvp_several_arguments():
    x, y = 0.6, 1.3
    hx, hy = s2s.hvp(programs.polynomial, wrt=(0, 1))(x, y, 1.0, 2.0)
    assert (hx, hy) == pytest.approx((2 * 1.0 + 3 * 2.0, 3 * 1.0 + 2 * 2.0))


# ---------------------------------------------------------------- Jacobians

def expand(x):
    """Few inputs, many outputs: forward mode."""
    return np.array([x[0] * x[1], np.sin(x[0]), x[1] ** 2, x[0] + x[1], np.exp(x[1]) * x[0]])


def contract(x):
    """Many inputs, few outputs: reverse mode."""
    return np.array([np.sum(x ** 2), x[0] * x[1] * x[2]])


def numeric_jacobian(f, x):
    x = np.asarray(x, dtype=float)
    out = np.asarray(f(x))
    J = np.zeros(out.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = EPS
        J[(Ellipsis,) + idx] = (np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * EPS)
    return J


@pytest.mark.parametrize("fn,x", [(expand, np.array([0.5, 1.5])), (contract, np.array([0.5, 1.5, -0.7, 2.0, 0.1])),
                                  (programs.vector_output, np.array([0.3, 1.2, -0.7])),
                                  (programs.logistic, np.array([[0.3, 1.2], [-0.7, 0.1]]))])
@pytest.mark.parametrize("mode", ["auto", "forward", "reverse"])
def test_jacobian(fn, x, mode):
    J = s2s.jacobian(fn, mode=mode)(x)
    want = numeric_jacobian(fn, x)
    assert J.shape == want.shape == np.shape(fn(x)) + x.shape
    np.testing.assert_allclose(J, want, rtol=1e-6, atol=1e-8)


def test_jacobian_picks_the_cheaper_mode(monkeypatch):
    calls = []
    real_fwd, real_rev = compiler.forward_function, compiler.reverse_function
    monkeypatch.setattr(compiler, "forward_function", lambda *a, **k: calls.append("forward") or real_fwd(*a, **k))
    monkeypatch.setattr(compiler, "reverse_function", lambda *a, **k: calls.append("reverse") or real_rev(*a, **k))
    s2s.jacobian(expand)(np.array([0.5, 1.5]))
    s2s.jacobian(contract)(np.array([0.5, 1.5, -0.7, 2.0, 0.1]))
    assert calls == ["forward", "reverse"]


def test_jacobian_ode_rhs_several_arguments():
    y, theta = np.array([1.2, 0.8]), np.array([1.1, 0.4, 0.3, 0.9])
    Jy, Jt = s2s.jacobian(programs.lotka_volterra, wrt=(0, 1))(y, theta)
    a, b, c, d = theta
    np.testing.assert_allclose(Jy, [[a - b * y[1], -b * y[0]], [c * y[1], c * y[0] - d]])
    np.testing.assert_allclose(Jt, [[y[0], -y[0] * y[1], 0, 0], [0, 0, y[0] * y[1], -y[1]]])


def test_jacobian_scalar_in_and_out():
    assert s2s.jacobian(quartic)(0.7) == pytest.approx(4 * 0.7 ** 3 - 6 * 0.7 + math.cos(0.7))
    J = s2s.jacobian(programs.euler_ode, wrt=1)(np.array([0.5, -1.0, 2.0]), 0.7)
    np.testing.assert_allclose(J, numeric_jacobian(lambda k: programs.euler_ode(np.array([0.5, -1.0, 2.0]), k), np.array(0.7)),
                               rtol=1e-6)


# ---------------------------------------------------------------- every composition of the two modes

def test_all_compositions_of_modes():
    x = 0.7
    f2 = 12 * x ** 2 - 6 - math.sin(x)
    assert s2s.grad(s2s.grad(quartic))(x) == pytest.approx(f2, rel=1e-12)     # reverse over reverse (via symmetry)
    assert s2s.jvp(s2s.grad(quartic))(x) == pytest.approx(f2, rel=1e-12)      # forward over reverse
    assert s2s.grad(s2s.jvp(quartic))(x) == pytest.approx(f2, rel=1e-12)      # reverse over forward
    assert s2s.jvp(s2s.jvp(quartic))(x) == pytest.approx(f2, rel=1e-12)       # forward over forward
    d3 = s2s.derivative(s2s.derivative(s2s.derivative(quartic)))
    assert d3(x) == pytest.approx(24 * x - math.cos(x), rel=1e-12)
    v = np.array([1.2, 0.7, -0.3])
    np.testing.assert_allclose(s2s.grad(s2s.jvp(programs.rosenbrock))(v), rosen_hessian(v) @ np.ones(3))
    assert s2s.grad(s2s.jvp(looped))(0.8, 5) == pytest.approx(_fd(s2s.grad(looped), 0.8, 5), rel=1e-6)


# ---------------------------------------------------------------- core bugs found from here (minimal repros)

def cse_across_write(x):
    y = x * 1.0
    a = y[0] * 1.0
    y[0] = 5.0
    b = y[0] * 1.0      # CSE reuses the y[0] read before the write: b == a
    return a * b + np.sum(y)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_cse_does_not_merge_reads_across_an_in_place_write(mode):
    x = np.array([2.0, 3.0])
    want = s2s.numeric_grad(cse_across_write)(x)            # [5, 1]
    if mode == "reverse":
        got = s2s.grad(cse_across_write)(x)
    else:
        got = np.array([s2s.jvp(cse_across_write)(x, e) for e in np.eye(2)])
    np.testing.assert_allclose(got, want, rtol=1e-6)
