"""Gradients on arrays of other namespaces: Dask arrays and array-API arrays (issue 16).

The runtime helpers the generated code calls keep an argument's array type: a Dask argument gets a
lazy Dask gradient (one graph, computed when the user asks), an array_api_strict argument gets an
array_api_strict gradient. What cannot work on them is refused at the user's line.
"""
import numpy as np
import pytest

import s2s
from s2s import runtime
from s2s.rule_helpers import grad_reduce

da = pytest.importorskip("dask.array", reason="the [dask] extra is not installed (pip install -e '.[dask]')")
dask = pytest.importorskip("dask")
pytest.importorskip("array_api_compat", reason="the [dask] extra is not installed")


def logistic_loss(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def least_squares(w, X, y):
    r = X @ w - y
    return 0.5 * np.sum(r * r) / X.shape[0]


def _data(n=4000, k=5, chunk=500):
    rng = np.random.default_rng(0)
    Xn = rng.standard_normal((n, k))
    yn = (rng.random(n) < 0.4).astype(float)
    wn = rng.standard_normal(k) * 0.3
    return (wn, Xn, yn), (da.from_array(wn), da.from_array(Xn, chunks=(chunk, k)), da.from_array(yn, chunks=chunk))


class _Computes(dask.callbacks.Callback):
    """Counts the graphs dask computes while it is active."""

    def __init__(self):
        super().__init__()
        self.n = 0

    def _start(self, dsk):
        self.n += 1


@pytest.mark.parametrize("loss", [logistic_loss, least_squares])
def test_dask_gradient_is_lazy_and_matches_numpy(loss):
    (wn, Xn, yn), (w, X, y) = _data()
    vg = s2s.value_and_grad(loss)
    with _Computes() as c:
        value, g = vg(w, X, y)
    assert c.n == 0, "the gradient computed something before .compute()"
    assert isinstance(g, da.Array) and g.shape == (5,) and g.dtype == np.float64
    v, gv = dask.compute(value, g)   # the value and the gradient in one pass over the data
    v0, g0 = vg(wn, Xn, yn)
    assert isinstance(g0, np.ndarray)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_allclose(gv, g0, rtol=1e-10, atol=1e-14)
    # and against finite differences on the NumPy data
    np.testing.assert_allclose(g0, s2s.numeric_grad(loss)(wn, Xn, yn), rtol=1e-6, atol=1e-8)


def test_dask_gradient_graph_holds_no_full_size_numpy_array():
    # a gradient of a mean over the rows is broadcast lazily, chunk by chunk: the graph holds no NumPy
    # array with a row per data row (which a NumPy broadcast of the seed would put there)
    n = 20000
    X = da.random.default_rng(0).standard_normal((n, 5), chunks=(2000, 5))
    y = (da.random.default_rng(1).random(n, chunks=2000) < 0.5).astype(float)
    g = s2s.grad(logistic_loss)(da.from_array(np.zeros(5)), X, y)

    def arrays(v):
        if isinstance(v, np.ndarray):
            yield v
        elif isinstance(v, (tuple, list)):
            for e in v:
                yield from arrays(e)
    sizes = [a.size for v in dict(g.__dask_graph__()).values() for a in arrays(v)]
    assert all(s < 2000 for s in sizes), max(sizes)


def test_dask_gradient_of_data_argument_keeps_chunks():
    (_, _, _), (w, X, y) = _data(n=3000, chunk=1000)
    gX = s2s.grad(least_squares, wrt=1)(w, X, y)
    assert isinstance(gX, da.Array) and gX.chunks == X.chunks
    (wn, Xn, yn), _ = _data(n=3000, chunk=1000)
    np.testing.assert_allclose(gX.compute(), s2s.grad(least_squares, wrt=1)(wn, Xn, yn), rtol=1e-10)


def sum_of_reductions(x):
    return np.sum(np.mean(x, axis=0) ** 2) + np.sum(x * x) + np.sum(np.sum(x, axis=1, keepdims=True) * x)


def broadcast_rowwise(x, b):
    return np.sum(np.tanh(x + b) * x)


def test_dask_reductions_and_broadcasting():
    rng = np.random.default_rng(1)
    xn, bn = rng.standard_normal((6, 4)), rng.standard_normal(4)
    x, b = da.from_array(xn, chunks=(3, 2)), da.from_array(bn, chunks=2)
    g = s2s.grad(sum_of_reductions)(x)
    assert isinstance(g, da.Array) and g.chunks == x.chunks
    np.testing.assert_allclose(g.compute(), s2s.grad(sum_of_reductions)(xn), rtol=1e-12)
    gx, gb = s2s.grad(broadcast_rowwise, wrt=(0, 1))(x, b)
    assert isinstance(gx, da.Array) and isinstance(gb, da.Array) and gb.shape == (4,)
    ex, eb = s2s.grad(broadcast_rowwise, wrt=(0, 1))(xn, bn)
    np.testing.assert_allclose(gx.compute(), ex, rtol=1e-12)
    np.testing.assert_allclose(gb.compute(), eb, rtol=1e-12)


def gather_repeated(x):
    return np.sum(x[[0, 0, 2]] ** 2)


def gather_distinct(x):
    return np.sum(x[[0, 3, 2]] ** 2) + np.sum(x[1:4] ** 3)


def branch_on_element(x):
    if x[0] > 0:   # needs a concrete value: Dask computes it (bool of a 0-d Dask array)
        return np.sum(x ** 2)
    return np.sum(x)


def write_into_copy(x):
    y = x * 2.0
    y[1] = 5.0
    return np.sum(y ** 2)


X5 = np.array([0.3, -1.2, 0.8, 1.9, -0.4])


@pytest.mark.parametrize("f", [gather_distinct, branch_on_element, write_into_copy])
def test_dask_indexing_branches_and_writes(f):
    x = da.from_array(X5, chunks=2)
    g = s2s.grad(f)(x)
    assert isinstance(g, da.Array)
    np.testing.assert_allclose(g.compute(), s2s.grad(f)(X5), rtol=1e-12)


def test_dask_repeated_index_is_refused_at_the_users_line():
    # the gradient of x[[0, 0, 2]] needs np.add.at (an element named twice gets both contributions);
    # Dask has no scatter-add, and a plain write would keep only one: refused, never a wrong sum
    x = da.from_array(X5, chunks=2)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(gather_repeated)(x)
    msg = str(e.value)
    assert "test_namespaces.py" in msg and "x[[0, 0, 2]]" in msg and "np.add.at" in msg
    assert np.allclose(s2s.grad(gather_repeated)(X5), [1.2, 0, 1.6, 0, 0])   # NumPy still works


# ---- the runtime helpers themselves, on Dask and on array_api_strict arrays

def _namespaces():
    out = [("dask", lambda a: da.from_array(a, chunks=tuple(max(1, n // 2) for n in a.shape)), da.Array)]
    try:
        import array_api_strict as xps
        out.append(("array_api_strict", xps.asarray, type(xps.asarray(1.0))))
    except ImportError:
        pass
    return out


NS = _namespaces()


@pytest.mark.parametrize("name,make,kind", NS, ids=[n[0] for n in NS])
def test_runtime_helpers_keep_the_namespace(name, make, kind):
    rng = np.random.default_rng(3)
    gn, xn = rng.standard_normal((3, 4)), rng.standard_normal((1, 4))
    g, x = make(gn), make(xn)
    cases = [
        (runtime.unbroadcast(g, x), np.sum(gn, axis=0, keepdims=True)),
        (runtime.unbroadcast(g, runtime.shape_of(x)), np.sum(gn, axis=0, keepdims=True)),
        (runtime.unbroadcast(make(np.float64(2.0) * np.ones(())), g), np.full((3, 4), 2.0)),
        (grad_reduce(2.0, g), np.full((3, 4), 2.0)),
        (grad_reduce(make(np.arange(4.0)), g, axis=0), np.broadcast_to(np.arange(4.0), (3, 4))),
        (grad_reduce(make(np.arange(3.0)), runtime.broadcast_shape(g, x), axis=1), np.repeat(np.arange(3.0)[:, None], 4, 1)),
        (runtime.init_grad(g, 1.0), np.ones((3, 4))),
        (runtime.zeros_like(g), np.zeros((3, 4))),
        (runtime.as_grad(0.0, g), np.zeros((3, 4))),
        (runtime.as_grad(gn, g), gn),
        (runtime.copy_value(g), gn),
        (runtime.add_at(runtime.zeros_like(g), (slice(0, 2), slice(None)), make(np.ones((2, 4)))), np.r_[np.ones((2, 4)), np.zeros((1, 4))]),
    ]
    for i, (got, want) in enumerate(cases):
        assert isinstance(got, kind), f"case {i}: a {type(got).__name__}, not a {name} array"
        assert tuple(got.shape) == want.shape, f"case {i}: shape {tuple(got.shape)}"
        np.testing.assert_allclose(np.asarray(got.compute() if name == "dask" else got), want, err_msg=f"case {i}")


def test_runtime_helpers_keep_float32():
    x = da.from_array(np.ones((4, 2), dtype=np.float32), chunks=2)
    assert runtime.zeros_like(x).dtype == np.float32
    assert runtime.as_grad(1.0, x).dtype == np.float32
    assert grad_reduce(1.0, x).dtype == np.float32


def test_array_api_strict_operators_and_matmul():
    xps = pytest.importorskip("array_api_strict")

    def f(w, X):
        z = X @ w
        return z @ z + w @ w * 0.5

    rng = np.random.default_rng(4)
    wn, Xn = rng.standard_normal(3), rng.standard_normal((5, 3))
    gw, gX = s2s.grad(f, wrt=(0, 1))(xps.asarray(wn), xps.asarray(Xn))
    ew, eX = s2s.grad(f, wrt=(0, 1))(wn, Xn)
    assert type(gw) is type(xps.asarray(wn)) and type(gX) is type(xps.asarray(Xn))
    np.testing.assert_allclose(np.asarray(gw), ew, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(gX), eX, rtol=1e-12)


def _gpu_namespace():
    """(module, array maker) for a GPU array library with a device present, or a reason to skip."""
    try:
        import cupy
        if cupy.cuda.runtime.getDeviceCount() > 0:
            return cupy, cupy.asarray, None
    except Exception:   # not installed, or no CUDA driver/device
        pass
    try:
        import torch
        if torch.cuda.is_available():
            return torch, lambda a: torch.asarray(a, device="cuda"), None
    except Exception:
        pass
    return None, None, ("no GPU: neither CuPy with a CUDA device nor PyTorch with CUDA is available here; "
                        "the same code paths run through array_api_strict above")


def test_gpu_gradient_stays_on_the_device():
    lib, make, reason = _gpu_namespace()
    if reason:
        pytest.skip(reason)

    def f(w, X):
        z = X @ w
        return z @ z

    rng = np.random.default_rng(5)
    wn, Xn = rng.standard_normal(3), rng.standard_normal((5, 3))
    g = s2s.grad(f)(make(wn), make(Xn))
    assert type(g) is type(make(wn))
    np.testing.assert_allclose(np.asarray(g.get() if hasattr(g, "get") else g.cpu()), s2s.grad(f)(wn, Xn), rtol=1e-10)


# ---- the registry over Dask and array_api_strict (docs/rules.md, "Array namespaces")

@pytest.mark.slow   # every reverse case of the registry, twice: a few minutes
def test_registry_namespaces_recorded():
    """s2s/_namespaces.py (what docs/rules.md reports) is what the registry gives now: no rule recorded as
    namespace-generic has stopped being so, and with the recorded library versions the table is exact
    (rewrite it with `python tests/_nsregistry.py --write`, then `python -m s2s --rules > docs/rules.md`)."""
    pytest.importorskip("array_api_strict")
    import _nsregistry
    from s2s._namespaces import RESULTS, VERSIONS
    now = _nsregistry.summarize(_nsregistry.run())
    for ns, rules in RESULTS.items():
        lost = sorted(r for r, v in rules.items() if v == "generic" and now[ns].get(r) != "generic")
        assert not lost, f"no longer namespace-generic on {ns}: " + ", ".join(f"{r} ({now[ns].get(r)})" for r in lost)
    if VERSIONS == _nsregistry.versions():
        assert now == RESULTS, "s2s/_namespaces.py is out of date: python tests/_nsregistry.py --write"
