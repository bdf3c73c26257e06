"""backend="numba" (s2s/backends/numba.py): the generated gradient rewritten for numba.njit and compiled.

Numbers against finite differences and against the Python backend for the benchmark loop workloads and
scalar/array loop programs; refusals located at the user's line for what numba cannot compile; the
message without numba installed (that one runs everywhere; the others carry the ``numba`` marker,
deselected only where numba is missing: CI installs the [numba] extra).
"""
import math
import os
import sys

import numpy as np
import pytest

import s2s

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:   # benchmarks/ is not installed: found beside tests/ (a fresh clone's CI runs `pytest`)
    sys.path.insert(0, _ROOT)
from benchmarks import workloads as W  # noqa: E402


# ---------------------------------------------------------------- programs

def euler(k, x0):
    x = x0
    v = 0.0
    dt = 0.01
    for i in range(200):
        a = -k * x - 0.1 * v
        v = v + dt * a
        x = x + dt * v
    return x * x + v


def logistic_map(r, x0):
    x = x0
    for i in range(100):
        x = r * x * (1.0 - x)
    return x


def horner(c, x):
    acc = 0.0
    for i in range(c.shape[0]):
        acc = acc * x + c[i]
    return acc


def step(x, y):
    return math.sin(x) * y + x * x


def helper_in_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + step(x, s * 0.1)
    return s


def fixed_point(x):
    y = x
    n = 0
    while n < 50:
        y = 0.5 * y + math.cos(y) * x
        n += 1
    return y


def branchy(x):
    s = 0.0
    for i in range(30):
        if i % 3 == 0:
            s = s * 0.5 + x
        else:
            s = s + x * x * 0.1
    return s


def triangle(x):
    s = x
    for i in range(10):
        for j in range(i):
            s = math.sin(s) + x * 0.1
    return s


def logistic_loss(w, X):
    total = 0.0
    for i in range(X.shape[0]):
        z = 0.0
        for j in range(X.shape[1]):
            z = z + X[i, j] * w[j]
        total = total + math.log(1.0 + math.exp(-z))
    return total


def running_sum(x):
    y = np.zeros_like(x)
    acc = 0.0
    for i in range(x.shape[0]):
        acc = acc + x[i] * x[i]
        y[i] = acc
    return np.sum(y)


def two_params(a, b):
    s = 0.0
    for i in range(20):
        s = s * 0.5 + a * math.tanh(b * s + 1.0)
    return s


def array_loop(x):
    h = x
    for i in range(5):
        h = np.tanh(h * 0.9 + 0.1)
    return np.sum(h * h)


RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3)) * 0.5

PROGRAMS = [
    (W.scalar_loop, (0.7, 0.3), 0),
    (W.inplace_loop, (RNG.standard_normal(50),), 0),
    (W.scalar_helper_loop, (0.7, 0.3), 0),
    (euler, (0.5, 0.3), 0),
    (euler, (0.5, 0.3), 1),
    (logistic_map, (3.1, 0.2), 0),
    (horner, (np.arange(5.0), 0.3), 0),
    (horner, (np.arange(5.0), 0.3), 1),
    (helper_in_loop, (0.5, 10), 0),
    (fixed_point, (0.5,), 0),
    (branchy, (0.5,), 0),
    (triangle, (0.5,), 0),
    (logistic_loss, (RNG.standard_normal(3) * 0.1, X), 0),
    (running_sum, (np.arange(4.0),), 0),
    (two_params, (0.3, 0.7), (0, 1)),
    (array_loop, (RNG.standard_normal(6),), 0),
]


def _id(case):
    f, _, wrt = case
    return f"{f.__name__}-wrt{wrt}"


@pytest.mark.numba
@pytest.mark.parametrize("case", PROGRAMS, ids=[_id(c) for c in PROGRAMS])
def test_numbers(case):
    f, args, wrt = case
    got = s2s.grad(f, wrt=wrt, backend="numba")(*args)
    python = s2s.grad(f, wrt=wrt)(*args)
    numeric = s2s.numeric_grad(f, wrt=wrt)(*args)
    for g, p, n in zip(*(v if isinstance(wrt, tuple) else (v,) for v in (got, python, numeric))):
        if isinstance(p, np.ndarray):   # an array of the argument's shape and dtype for an array
            assert type(g) is np.ndarray and g.shape == p.shape and g.dtype == p.dtype
        else:                           # a float for a number
            assert type(g) is float
        np.testing.assert_allclose(g, p, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-7)


@pytest.mark.numba
def test_seed_value_and_grad_and_keywords():
    df = s2s.grad(euler, backend="numba")
    assert df(0.5, 0.3, dresult=2.0) == pytest.approx(2.0 * s2s.grad(euler)(0.5, 0.3), rel=1e-12)
    assert df(k=0.5, x0=0.3) == pytest.approx(s2s.grad(euler)(0.5, 0.3), rel=1e-12)
    value, g = s2s.value_and_grad(euler, backend="numba")(0.5, 0.3)
    assert value == pytest.approx(euler(0.5, 0.3), rel=1e-12)
    assert g == pytest.approx(s2s.grad(euler)(0.5, 0.3), rel=1e-12)


@pytest.mark.numba
def test_inputs_unchanged():
    x = RNG.standard_normal(20)
    before = x.copy()
    s2s.grad(W.inplace_loop, backend="numba")(x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.numba
def test_source_is_what_numba_compiles():
    """Typed tapes sized by the trip count, typed zeros for None, counting ranges for reversed."""
    df = s2s.grad(W.scalar_loop, backend="numba")
    src = s2s.source(df, 0.7, 0.3)
    assert "stack" not in src and "None" not in src and "reversed" not in src
    assert "tape_y = np.empty(len(r), np.float64)" in src
    assert "for i in range(999, -1, -1):" in src
    assert "# workloads.py:" in src
    assert df.s2s_for_args(0.7, 0.3).py_func.__name__ == "dscalar_loop_dx"
    src = s2s.source(s2s.grad(fixed_point, backend="numba"), 0.5)
    assert "grow_tape" in src   # a while loop: a buffer that grows


@pytest.mark.numba
def test_verbose_prints_numba_code(capsys):
    def hinted(x: float, a: float):
        y = a
        for i in range(10):
            y = y * math.sin(x)
        return y
    df = s2s.grad(hinted, verbose=1, backend="numba")
    out = capsys.readouterr().out
    assert out.strip() == s2s.source(df, 0.5, 0.5).strip()
    assert "tape_" in out


def with_dict(x):
    d = {"a": x, "b": x * 2.0}
    s = 0.0
    for i in range(3):
        s = s + d["a"] * d["b"]
    return s


def list_of_arrays(xs):
    s = 0.0
    for i in range(len(xs)):
        s = s + np.sum(xs[i] * xs[i])
    return s


class Box:
    def __init__(self, v):
        self.v = v


def from_object(b, x):
    return b.v * x


def unknown_to_numba(x):
    s = 0.0
    for i in range(3):
        s = s + np.linalg.slogdet(np.eye(2) * x)[1]
    return s


@pytest.mark.numba
@pytest.mark.parametrize("f, args, line, words", [
    (with_dict, (0.5,), "for i in range(3):", "DictType"),
    (list_of_arrays, ([np.ones(3), np.ones(2)],), "for i in range(len(xs)):", "zeros_like"),
    (from_object, (Box(2.0), 0.5), "in from_object", "argument b (a Box)"),
    (unknown_to_numba, (0.5,), "np.linalg.slogdet", "backend=\"numba\" cannot compile this"),
], ids=["dict", "list-of-arrays", "object", "unknown-call"])
def test_refusals_name_the_line(f, args, line, words):
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f, wrt=len(args) - 1, backend="numba")(*args)
    msg = str(e.value)
    assert __file__.replace(".pyc", ".py") in msg or "test_backend_numba.py" in msg
    assert line in msg
    assert words in msg
    assert 'backend="python"' in msg   # what to do; never a silent fall back


def test_without_numba(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)   # `import numba` raises ImportError
    with pytest.raises(s2s.DifferentiationError, match=r"pip install numba"):
        s2s.grad(euler, backend="numba")


@pytest.mark.numba
def test_complex_argument_refused():
    with pytest.raises(s2s.DifferentiationError, match="real-valued"):
        s2s.grad(logistic_map, backend="numba")(1.0 + 2.0j, 0.2)


def powers_and_kinks(x, p):
    s = 0.0
    for i in range(10):
        s = s + abs(x - 0.3 * i) + x ** p + (x * i) ** 2
    return s


@pytest.mark.numba
@pytest.mark.parametrize("wrt", [0, 1])
def test_rule_helpers(wrt):
    """power_slope (a variable exponent), the sign of abs: numba implementations of s2s's rule helpers."""
    f, args = powers_and_kinks, (0.45, 1.5)
    got = s2s.grad(f, wrt=wrt, backend="numba")(*args)
    assert got == pytest.approx(s2s.grad(f, wrt=wrt)(*args), rel=1e-12)
    assert got == pytest.approx(s2s.numeric_grad(f, wrt=wrt)(*args), rel=1e-6)


def with_break(x):
    s = 0.0
    for i in range(50):
        s = s + math.sin(s + x)
        if s > 2.0:
            break
    return s


@pytest.mark.numba
def test_break():
    """A loop that breaks: pushes at most once an iteration (the tape preallocated to the trip count)."""
    for x in (0.3, 1.9):
        got = s2s.grad(with_break, backend="numba")(x)
        assert got == pytest.approx(s2s.grad(with_break)(x), rel=1e-12)
        assert got == pytest.approx(s2s.numeric_grad(with_break)(x), rel=1e-6)


# ---------------------------------------------------------------- s2s's own helpers, compiled too

def logistic_sum(w, X):
    return np.sum(1 / (1 + np.exp(-(X @ w))))


def max_plus_sum(x):
    return np.max(x) + np.sum(x)


def log_diag(x):
    return np.sum(np.log(np.diag(x)))


def gp_nll(K, y):
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(L, y)
    return 0.5 * np.sum(a * a) + np.sum(np.log(np.diag(L)))


def springs(k, x0):
    n = x0.shape[0]
    x = x0.copy()
    f = np.zeros(n)
    d = 0.0
    for i in range(n - 1):
        d = x[i + 1] - x[i]
        f[i] += k * d
        f[i + 1] -= k * d
    for i in range(n):
        x[i] += 0.1 * f[i]
    return np.sum(x * x) + np.sum(f * f)


def mlp_loss(W1, W2, X):
    h = np.tanh(X @ W1)
    return np.sum((h @ W2) ** 2)


def vector_ops(v, A, u):
    return np.sum(np.sin(v @ A)) + np.sin(u @ v) + np.sum(np.diag(v) @ A) + np.sum(np.diag(A, 1) ** 2)


def solve_matrix(A, B):
    return np.sum(np.linalg.solve(A, B) ** 2)


def more_helpers(K, M, y):
    return np.sum(np.linalg.inv(K) ** 2) + np.trace(K @ K) + np.trace(M, 1) * 2.0 + np.sum(np.cumsum(y) * y) \
        + np.sum(np.dot(M.T, y) ** 2) + np.sum(np.dot(y, M) ** 2)


def axis_sums(M):
    return np.sum(np.sum(M, axis=0) ** 2) + np.sum(np.sin(np.sum(M, axis=-1)))


_A = RNG.standard_normal((4, 4))
_K = _A @ _A.T + 4 * np.eye(4)
OWN_HELPERS = [
    (logistic_sum, (RNG.standard_normal(3), RNG.standard_normal((6, 3))), (0, 1)),
    (max_plus_sum, (RNG.standard_normal(5),), 0),
    (log_diag, (_K,), 0),
    (gp_nll, (_K, RNG.standard_normal(4)), (0, 1)),
    (springs, (0.7, RNG.standard_normal(6)), (0, 1)),
    (mlp_loss, (RNG.standard_normal((4, 3)), RNG.standard_normal((3, 2)), RNG.standard_normal((5, 4))), (0, 1, 2)),
    (vector_ops, (RNG.standard_normal(3), RNG.standard_normal((3, 3)), RNG.standard_normal(3)), (0, 1, 2)),
    (solve_matrix, (_K, RNG.standard_normal((4, 2))), (0, 1)),
    (more_helpers, (_K, RNG.standard_normal((3, 4)), RNG.standard_normal(3)), (0, 1, 2)),
    (axis_sums, (RNG.standard_normal((3, 4)),), 0),
]


@pytest.mark.numba
@pytest.mark.parametrize("case", OWN_HELPERS, ids=[_id(c) for c in OWN_HELPERS])
def test_own_helpers_compiled(case):
    """Plain NumPy programs whose gradients call s2s's helpers (matmul_grad_x/y, extremum_grad, diag_grad,
    cholesky_grad, solve_grad_a/b, like, get_item/set_item for an in-place `f[i] += ...` in a loop): the
    numbers of backend="python" and of finite differences (they were refused naming the helper)."""
    f, args, wrt = case
    got = s2s.grad(f, wrt=wrt, backend="numba")(*args)
    python = s2s.grad(f, wrt=wrt)(*args)
    numeric = s2s.numeric_grad(f, wrt=wrt)(*args)
    for g, p, n in zip(*(v if isinstance(wrt, tuple) else (v,) for v in (got, python, numeric))):
        if isinstance(p, np.ndarray):
            assert type(g) is np.ndarray and g.shape == p.shape and g.dtype == p.dtype
        else:
            assert type(g) is float
        np.testing.assert_allclose(g, p, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-7)


@pytest.mark.numba
def test_own_helpers_float32():
    args = tuple(a.astype(np.float32) for a in OWN_HELPERS[5][1])
    got = s2s.grad(mlp_loss, wrt=(0, 1, 2), backend="numba")(*args)
    python = s2s.grad(mlp_loss, wrt=(0, 1, 2))(*args)
    for g, p in zip(got, python):
        assert g.dtype == p.dtype == np.float32
        np.testing.assert_allclose(g, p, rtol=1e-5, atol=1e-6)


@pytest.mark.numba
def test_springs_inputs_unchanged_and_tapes():
    x0 = RNG.standard_normal(6)
    before = x0.copy()
    df = s2s.grad(springs, wrt=1, backend="numba")
    df(0.7, x0)
    np.testing.assert_array_equal(x0, before)
    src = s2s.source(df, 0.7, x0)
    assert "stack" not in src and "item_f = get_item(f, i)" in src and "set_item(f, i, item_f)" in src


def slogdet_loss(x):
    return np.linalg.slogdet(x)[1]


@pytest.mark.numba
def test_helper_without_numba_version_is_named():
    """A helper of s2s's with no numba version: the refusal says it is s2s's, not the user's code."""
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(slogdet_loss, backend="numba")(np.eye(2) * 2.0)
    msg = str(e.value)
    assert "return np.linalg.slogdet(x)[1]" in msg and "test_backend_numba.py" in msg
    assert "s2s's own runtime helper `s2s.templates.linalg.slogdet_grad`" in msg
    assert "not of your code" in msg and 'backend="python"' in msg


@pytest.mark.numba
def test_helper_types_it_does_not_take_are_named():
    """A helper that has a numba version, called with types it does not take: named as s2s's limit."""
    import numba
    from numba.core.errors import NumbaError

    from s2s.backends.numba_helpers import helpers
    from s2s.backends.numba_rewrite import numba_error
    stub = helpers()["cholesky_grad"]

    @numba.njit(cache=False)
    def calls(g, z):
        return stub(g, z)
    with pytest.raises(NumbaError) as e:
        calls(1.0, np.eye(2))
    msg = str(numba_error(e.value, calls.py_func))
    assert "s2s's own runtime helper `cholesky_grad`" in msg and "float64" in msg
    assert "not of your code" in msg and 'backend="python"' in msg
