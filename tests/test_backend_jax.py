"""backend="jax" (s2s/backends/jax.py): the generated gradient rewritten onto jax.numpy and run under jax.jit.

Numbers against the Python backend and finite differences for the array workloads (MLP, logistic
regression, RNN, an RNN whose step is a helper), a scalar loop, a tuple wrt, has_aux, value_and_grad and
a seed; refusals located at the user's line (an in-place write into the user's array, a branch on a
traced value, a call jax.numpy has no version of); verbose=1 prints the jax code; a second call with
the same shapes does not trace again. The tests carry the ``jax`` marker, deselected only where jax is
missing (CI installs the [jax] extra); the message without jax runs everywhere.
"""
import math
import os
import sys

import numpy as np
import pytest

import s2s

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:   # benchmarks/ is not installed: found beside tests/
    sys.path.insert(0, _ROOT)
from benchmarks import workloads as W  # noqa: E402

RNG = np.random.default_rng(3)


def _data():
    """The benchmark workloads at test sizes."""
    X = RNG.standard_normal((30, 5))
    y = (RNG.standard_normal(30) > 0).astype(float)
    logreg = (RNG.standard_normal(5) * 0.1, X, y)
    B, D, H, C = 8, 6, 5, 3
    mlp = (RNG.standard_normal((D, H)) / 3, RNG.standard_normal(H) * 0.1, RNG.standard_normal((H, C)) / 3,
           RNG.standard_normal(C) * 0.1, RNG.standard_normal((B, D)), np.eye(C)[RNG.integers(0, C, B)])
    T, B, I, H = 4, 3, 4, 5
    rnn = (RNG.standard_normal((I, H)) / 2, RNG.standard_normal((H, H)) / 3, RNG.standard_normal(H) * 0.1,
           RNG.standard_normal((T, B, I)), RNG.standard_normal((B, H)) * 0.1, RNG.standard_normal((B, H)) * 0.5)
    return logreg, mlp, rnn


LOGREG, MLP, RNN = _data()


def scalar_loop(x, a):
    y = a
    for i in range(20):
        u = math.sin(x * y)
        v = np.tanh(y) * 0.5
        y = y * 0.9 + u * 0.1 + math.exp(-v * v) * 0.01
    return y


def indexed_sum(x, n):
    s = 0.0
    for i in range(n):
        s = s + x[i] * x[i] * (i + 1.0)
    return s


def with_aux(w, X):
    z = np.tanh(X @ w)
    return np.sum(z * z), np.mean(z)


CASES = [
    (W.logreg_loss, LOGREG, 0),
    (W.mlp_loss, MLP, (0, 1, 2, 3)),
    (W.rnn_loss, RNN, (0, 1, 2)),
    (W.rnn_helper_loss, RNN, (0, 1, 2)),
    (scalar_loop, (0.7, 0.3), 0),
    (scalar_loop, (0.7, 0.3), (0, 1)),
    (indexed_sum, (RNG.standard_normal(6), 4), 0),
]


def _id(case):
    f, _, wrt = case
    return f"{f.__name__}-wrt{wrt}"


def _check(got, python, numeric):
    for g, p, n in zip(*(v if isinstance(v, tuple) else (v,) for v in (got, python, numeric))):
        if isinstance(p, np.ndarray):   # NumPy in, NumPy out: an array of the argument's shape and dtype
            assert type(g) is np.ndarray and g.shape == p.shape and g.dtype == p.dtype
            assert g.flags.writeable
        else:                           # a float for a number
            assert type(g) is float
        np.testing.assert_allclose(g, p, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-7)


@pytest.mark.jax
@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_numbers(case):
    f, args, wrt = case
    got = s2s.grad(f, wrt=wrt, backend="jax")(*args)
    _check(got, s2s.grad(f, wrt=wrt)(*args), s2s.numeric_grad(f, wrt=wrt)(*args))


@pytest.mark.jax
def test_value_and_grad_seed_keywords_and_aux():
    w, X, y = LOGREG
    value, g = s2s.value_and_grad(W.logreg_loss, backend="jax")(w, X, y)
    assert type(value) is float and value == pytest.approx(W.logreg_loss(w, X, y), rel=1e-12)
    np.testing.assert_allclose(g, s2s.grad(W.logreg_loss)(w, X, y), rtol=1e-12)
    df = s2s.grad(W.logreg_loss, backend="jax")
    np.testing.assert_allclose(df(w, X, y, dloss=2.5), 2.5 * s2s.grad(W.logreg_loss)(w, X, y), rtol=1e-12)
    np.testing.assert_allclose(df(w=w, X=X, y=y), s2s.grad(W.logreg_loss)(w, X, y), rtol=1e-12)
    g, aux = s2s.grad(with_aux, has_aux=True, backend="jax")(w, X)
    g_py, aux_py = s2s.grad(with_aux, has_aux=True)(w, X)
    np.testing.assert_allclose(g, g_py, rtol=1e-12)
    np.testing.assert_allclose(g, s2s.numeric_grad(lambda w, X: with_aux(w, X)[0])(w, X), rtol=1e-6)
    assert aux == pytest.approx(aux_py, rel=1e-12)


@pytest.mark.jax
def test_jax_arrays_in_jax_arrays_out_and_float32():
    import jax
    import jax.numpy as jnp
    with jax.enable_x64(True):
        args = tuple(jnp.asarray(a) for a in LOGREG)
    assert not jax.config.jax_enable_x64   # the user's setting: left as it is
    g = s2s.grad(W.logreg_loss, backend="jax")(*args)
    assert isinstance(g, jax.Array) and g.dtype == np.float64
    np.testing.assert_allclose(np.asarray(g), s2s.grad(W.logreg_loss)(*LOGREG), rtol=1e-12)
    assert not jax.config.jax_enable_x64
    f32 = tuple(a.astype(np.float32) for a in LOGREG)   # float32 stays float32, NumPy and jax arrays alike
    g = s2s.grad(W.logreg_loss, backend="jax")(*f32)
    assert type(g) is np.ndarray and g.dtype == np.float32
    np.testing.assert_allclose(g, s2s.grad(W.logreg_loss)(*LOGREG), rtol=1e-4)
    g = s2s.grad(W.logreg_loss, backend="jax")(*(jnp.asarray(a) for a in f32))
    assert isinstance(g, jax.Array) and g.dtype == np.float32


@pytest.mark.jax
def test_no_retrace_and_ints_are_static():
    df = s2s.grad(W.mlp_loss, wrt=(0, 1, 2, 3), backend="jax")
    first = df(*MLP)
    assert df.s2s_trace_count() == 1
    again = df(*(a * 1.5 for a in MLP))    # same shapes: the compiled code, no new trace
    assert df.s2s_trace_count() == 1
    assert not np.allclose(first[0], again[0])
    di = s2s.grad(indexed_sum, backend="jax")
    x = RNG.standard_normal(6)
    di(x, 3)
    di(x * 2, 3)
    assert di.s2s_trace_count() == 1
    np.testing.assert_allclose(di(x, 5), s2s.grad(indexed_sum)(x, 5), rtol=1e-12)   # a new int: a new trace
    assert di.s2s_trace_count() == 2


@pytest.mark.jax
def test_inputs_unchanged():
    args = tuple(a.copy() for a in MLP)
    s2s.grad(W.mlp_loss, wrt=(0, 1, 2, 3), backend="jax")(*args)
    for a, b in zip(args, MLP):
        np.testing.assert_array_equal(a, b)


@pytest.mark.jax
def test_source_is_what_jax_runs(capsys):
    """np. on jnp., the adjoint's in-place updates as .at[...] (s2s allocated them: no other name sees them)."""
    df = s2s.grad(indexed_sum, verbose=1, backend="jax")
    x = RNG.standard_normal(6)
    df(x, 4)
    out = capsys.readouterr().out
    assert out.strip() == s2s.source(df, x, 4).strip()
    assert "dx = dx.at[i].set(dx[i] + " in out and "# test_backend_jax.py:" in out
    src = s2s.source(s2s.grad(W.mlp_loss, backend="jax"), *MLP)
    assert "jnp.tanh(" in src and "np." not in src.replace("jnp.", "")
    src = s2s.source(s2s.grad(scalar_loop, backend="jax"), 0.7, 0.3)
    assert "jnp.sin(" in src and "math." not in src and "as_float(" in src


@pytest.mark.jax
def test_verbose_prints_for_type_hints(capsys):
    def hinted(x: float, a: float):
        y = a
        for i in range(5):
            y = y * math.sin(x)
        return y
    df = s2s.grad(hinted, verbose=1, backend="jax")
    out = capsys.readouterr().out   # printed before any call: the hints pin the types
    assert "jnp.sin(x)" in out and out.strip() == s2s.source(df, 0.5, 0.5).strip()
    assert df(0.5, 0.7) == pytest.approx(s2s.grad(hinted)(0.5, 0.7), rel=1e-12)


def branch_on_value(x):
    if np.sum(x) > 0:
        return np.sum(x * x)
    return np.sum(x)


def write_into_own_array(x):
    y = np.zeros_like(x)
    for i in range(x.shape[0]):
        y[i] = x[i] * 2.0
    return np.sum(y * y)


def write_into_empty(x):   # np.empty's garbage would be jax's zeros: refused
    y = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        y[i] = x[i] * 2.0
    return np.sum(y * y)


def slogdet_loss(x):
    return np.linalg.slogdet(np.eye(2) * x)[1]


def numpy_helper(v):
    return np.asarray(v) * 2.0


def calls_numpy_helper(x):
    return np.sum(numpy_helper(x) * x)


def opaque(v):
    return float(np.linalg.norm(v))


def uses_opaque(x):
    return np.sum(s2s.stop_gradient(opaque(x)) * x)


@pytest.mark.jax
@pytest.mark.parametrize("f, args, line, words", [
    (branch_on_value, (np.ones(3),), "if np.sum(x) > 0:", "np.where"),
    (write_into_empty, (np.ones(3),), "y[i] = x[i] * 2.0", "immutable"),
    (slogdet_loss, (0.5,), "np.linalg.slogdet", "slogdet_grad, which has no jax version"),
    (calls_numpy_helper, (np.ones(3),), "return np.asarray(v) * 2.0", "grad_to_sequence, which has no jax version"),
    (uses_opaque, (np.ones(3),), "return float(np.linalg.norm(v))", "NumPy"),
], ids=["branch", "write-into-np-empty", "linalg", "helper-without-jax-version", "numpy-in-user-function"])
def test_refusals_name_the_line(f, args, line, words):
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f, backend="jax")(*args)
    msg = str(e.value)
    assert "test_backend_jax.py" in msg or "workloads.py" in msg
    assert line in msg
    assert words in msg
    assert 'backend="python"' in msg   # what to do; never a silent fall back


@pytest.mark.jax
def test_unsupported_argument_refused():
    class Box:
        v = 1.0
    with pytest.raises(s2s.DifferentiationError, match="holds a Box"):
        s2s.grad(lambda x, b: x * 2.0, backend="jax")(1.0, [Box()])


def test_without_jax(monkeypatch):
    monkeypatch.setitem(sys.modules, "jax", None)   # `import jax` raises ImportError
    with pytest.raises(s2s.DifferentiationError, match=r"pip install jax"):
        s2s.grad(scalar_loop, backend="jax")


def _generated(src):
    """A function standing for generated code (its source as s2s_source), for the rewriting alone."""
    from s2s import runtime
    ns = {"np": np, "zeros_like": runtime.zeros_like, "copy_grad": runtime.copy_grad}
    exec(src, ns)
    fn = ns["g"]
    fn.s2s_source = src
    return fn


@pytest.mark.jax
@pytest.mark.parametrize("src, why", [
    ("def g(x):\n    a = zeros_like(x)\n    b = a\n    a[0] = 1.0\n    return b\n", "read by `b = a`"),
    ("def g(x):\n    a = zeros_like(x)\n    b = a[:2]\n    a[0] = 1.0\n    return b\n", "may be a view"),
    ("def g(x):\n    x[0] = 1.0\n    return x\n", "parameter"),
    ("def g(x):\n    a = np.asarray(x)\n    a[0] = 1.0\n    return a\n", "not an array s2s made"),
    ("def g(x, L):\n    a = zeros_like(x)\n    L.append(a)\n    a += x\n    return L\n", "L.append(a)"),
], ids=["alias", "view", "parameter", "users-array", "held-by-a-list"])
def test_in_place_rewrite_only_where_nothing_else_sees_the_array(src, why):
    """NumPy would show the write through the other name (or the caller's array); jax would not: refused."""
    from s2s.backends import jax_rewrite
    with pytest.raises(jax_rewrite.Refusal, match="immutable") as e:
        jax_rewrite.translate(_generated(src))
    assert why in e.value.reason


@pytest.mark.jax
def test_in_place_rewrite_of_a_private_array():
    import jax
    from s2s.backends import jax_rewrite
    src = "def g(x):\n    a = zeros_like(x)\n    a[1] = x[0] * 2.0\n    a[1:] += x[1:]\n    a += 1.0\n    " \
          "c = copy_grad(a)\n    return a, c\n"
    fn, out = jax_rewrite.translate(_generated(src))
    assert "a = a.at[1].set(x[0] * 2.0)" in out and "a = a.at[1:].add(x[1:])" in out and "a = a + 1.0" in out
    x = np.arange(1.0, 4.0)
    with jax.enable_x64(True):
        got = jax.jit(fn)(x)
    want = _generated(src)(x)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g), w)


# ---------------------------------------------------------------- s2s's own helpers, on jax.numpy too

def log_diag(x):
    return np.sum(np.log(np.diag(x)))


def gp_nll(K, y):
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(L, y)
    return 0.5 * np.sum(a * a) + np.sum(np.log(np.diag(L)))


def linalg_mix(v, A, K, B):
    U = np.linalg.cholesky(K, upper=True)
    return np.sum(np.diag(v) @ A) + np.sum(np.diag(A, 1) ** 2) + np.sum(U * U * A) + \
        np.sum(np.linalg.solve(K, B) ** 2)


def logistic_sum(w, X):
    return np.sum(1 / (1 + np.exp(-(X @ w))))


def max_plus_sum(x):
    return np.max(x) + np.sum(x)


def more_helpers(K, M, T, y):
    return np.sum(np.linalg.inv(K) ** 2) + np.trace(K @ K) + np.sum(np.trace(T, offset=1, axis1=0, axis2=2) ** 2) \
        + np.sum(np.cumsum(M, axis=1) ** 2) + np.sum(np.cumsum(y) * y) + np.sum(np.dot(y, M) ** 2) \
        + np.sum(np.dot(y, T) ** 2)


_A = RNG.standard_normal((4, 4))
_K = _A @ _A.T + 4 * np.eye(4)
OWN_HELPERS = [
    (log_diag, (_K,), 0),
    (gp_nll, (_K, RNG.standard_normal(4)), (0, 1)),
    (linalg_mix, (RNG.standard_normal(4), RNG.standard_normal((4, 4)), _K, RNG.standard_normal((4, 2))),
     (0, 1, 2, 3)),
    (logistic_sum, (RNG.standard_normal(3), RNG.standard_normal((6, 3))), (0, 1)),
    (max_plus_sum, (RNG.standard_normal(5),), 0),
    (more_helpers, (_K, RNG.standard_normal((3, 4)), RNG.standard_normal((2, 3, 4)), RNG.standard_normal(3)),
     (0, 1, 2, 3)),
]


@pytest.mark.jax
@pytest.mark.parametrize("case", OWN_HELPERS, ids=[_id(c) for c in OWN_HELPERS])
def test_own_helpers_on_jax(case):
    """Plain NumPy programs whose gradients call s2s's helpers (diag_grad, cholesky_grad, solve_grad_a/b,
    like: refused before, naming the helper): the numbers of backend="python" and of finite differences."""
    f, args, wrt = case
    got = s2s.grad(f, wrt=wrt, backend="jax")(*args)
    _check(got, s2s.grad(f, wrt=wrt)(*args), s2s.numeric_grad(f, wrt=wrt)(*args))


def springs(k, x0):
    n = x0.shape[0]
    x = x0.copy()
    f = np.zeros(n)
    for i in range(n - 1):
        d = x[i + 1] - x[i]
        f[i] += k * d
        f[i + 1] -= k * d
    return np.sum(f * f)


def rows_written(x):
    y = np.zeros((3, 2))
    for i in range(3):
        y[i, 0] = x[i] ** 2
        y[i, 1] = y[i, 0] * x[i]
    return np.sum(y * y)


def write_into_argument(x):
    x[0] = x[1] * 2.0
    return np.sum(x * x)


IN_PLACE = [
    (springs, (0.7, RNG.standard_normal(5)), 1),
    (write_into_own_array, (RNG.standard_normal(4),), 0),
    (W.inplace_loop, (RNG.standard_normal(6),), 0),
    (rows_written, (RNG.standard_normal(3),), 0),
    (write_into_argument, (RNG.standard_normal(3),), 0),
]


@pytest.mark.jax
@pytest.mark.parametrize("case", IN_PLACE, ids=[_id(c) for c in IN_PLACE])
def test_in_place_writes_into_arrays_the_function_makes(case):
    """In-place writes into an array the function makes itself (np.zeros, np.zeros_like, x0.copy(), the copy
    s2s makes of an argument written into): rewritten as .at[...] updates, the saved elements restored
    with them (get_item / set_item); they were refused (immutable jax arrays, or set_item/copy_value with
    no jax version). The numbers of backend="python" and of finite differences; the caller's arrays kept."""
    f, args, wrt = case
    before = [np.array(a, copy=True) for a in args]
    got = s2s.grad(f, wrt=wrt, backend="jax")(*[np.array(a, copy=True) for a in args])
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)
    _check(got, s2s.grad(f, wrt=wrt)(*[np.array(a, copy=True) for a in args]),
           s2s.numeric_grad(f, wrt=wrt)(*[np.array(a, copy=True) for a in args]))
    assert "s2s_element(" in s2s.source(s2s.grad(rows_written, backend="jax"), args[0] if f is rows_written
                                        else np.ones(3))


@pytest.mark.jax
def test_springs_wrt_the_constant():
    """With respect to the float k: a Python float (backend="python" gives a 0-d array here), same number."""
    x0 = RNG.standard_normal(5)
    got = s2s.grad(springs, backend="jax")(0.7, x0)
    assert type(got) is float
    np.testing.assert_allclose(got, s2s.grad(springs)(0.7, x0), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got, s2s.numeric_grad(springs)(0.7, x0), rtol=1e-5, atol=1e-7)


@pytest.mark.jax
def test_element_of_an_array_written_in_place_must_be_a_number():
    """``b = a[0]`` and then ``a[0] = ...``: in NumPy ``b`` is a view that sees the write when ``a`` is 2-d,
    and a number that does not when ``a`` is 1-d. Checked while jax traces: a number passes, an array is
    refused (ViewRead, a DifferentiationError at the line through the backend)."""
    import jax
    from s2s.backends import jax_helpers, jax_rewrite
    src = "def g(x):\n    a = zeros_like(x)\n    b = a[0]\n    a[0] = 1.0\n    return a, b\n"
    fn, out = jax_rewrite.translate(_generated(src))
    assert "b = s2s_element(a[0])" in out
    with jax.enable_x64(True):
        got = jax.jit(fn)(np.ones(3))
        for g, w in zip(got, _generated(src)(np.ones(3))):
            np.testing.assert_array_equal(np.asarray(g), w)
        with pytest.raises(jax_helpers.ViewRead, match="itself an array"):
            jax.jit(fn)(np.ones((3, 2)))


@pytest.mark.jax
def test_helper_without_jax_version_says_it_is_s2s():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(slogdet_loss, backend="jax")(0.5)
    msg = str(e.value)
    assert "s2s's own runtime helper s2s.templates.linalg.slogdet_grad" in msg and "not of your code" in msg


@pytest.mark.jax
def test_get_item_and_set_item_on_jax():
    """set_item(a, i, v) (the undo of a write) becomes a = a.at[i].set(v); get_item(a, i) reads the element."""
    import jax
    from s2s import runtime
    from s2s.backends import jax_rewrite
    src = "def g(x):\n    a = zeros_like(x)\n    a[1] = x[0]\n    s = get_item(a, 1)\n    a[1] = 5.0\n" \
          "    set_item(a, 1, s)\n    return a\n"
    py = _generated(src)
    py.__globals__.update(get_item=runtime.get_item, set_item=runtime.set_item)
    fn, out = jax_rewrite.translate(py)
    assert "a = a.at[1].set(s)" in out
    x = np.arange(1.0, 4.0)
    with jax.enable_x64(True):
        got = jax.jit(fn)(x)
    np.testing.assert_array_equal(np.asarray(got), py(x))


@pytest.mark.jax
def test_accumulating_into_a_helpers_result():
    """``dA = unbroadcast(<arithmetic>, A)`` then ``dA += ...`` (s2s's accumulation of an adjoint): the helper
    hands back a new array or its first argument, here a temporary nothing else holds: rewritten. Where
    the first argument is a name that is read again, NumPy would change it too: still refused."""
    import jax
    from s2s import runtime
    from s2s.backends import jax_rewrite
    src = "def g(x):\n    a = unbroadcast(x * 2.0, x)\n    a += x\n    return a\n"
    py = _generated(src)
    py.__globals__.update(unbroadcast=runtime.unbroadcast)
    fn, out = jax_rewrite.translate(py)
    assert "a = a + x" in out
    x = np.arange(1.0, 4.0)
    with jax.enable_x64(True):
        np.testing.assert_array_equal(np.asarray(jax.jit(fn)(x)), py(x))
    src = "def g(x):\n    t = x * 2.0\n    a = unbroadcast(t, x)\n    a += x\n    return a, t\n"
    py = _generated(src)
    py.__globals__.update(unbroadcast=runtime.unbroadcast)
    with pytest.raises(jax_rewrite.Refusal, match="immutable") as e:
        jax_rewrite.translate(py)
    assert "not an array s2s made" in e.value.reason
