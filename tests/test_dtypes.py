"""The dtype policy (issue 4), across a sample of rules, in both modes.

- float32 inputs give float32 gradients (and float32 tangents), also when the
  function mixes in float64 constants: a gradient has its argument's dtype;
- integer inputs (arrays or Python ints) give float64 gradients, with the
  right values;
- gradients never silently become object arrays (lists of arrays give lists
  of float arrays, unused elements zeros);
- complex values on the derivative's path raise ``s2s.DifferentiationError``
  saying complex numbers are not supported. Where: at run time, in the
  runtime helpers every generated function goes through (``init_grad`` for
  the seed and, in forward mode, for every input; ``unbroadcast``,
  ``shape_of`` and ``as_grad`` for arguments receiving gradients) and in the
  rules of the functions that turn complex values into real ones (abs, real,
  norms), since types are only known at call time.
"""
import numpy as np
import pytest

import s2s

F32 = np.float32
RNG = np.random.default_rng(7)
X = RNG.uniform(0.5, 1.5, (3, 4))
SQ = RNG.standard_normal((3, 3)) * 0.3 + 2 * np.eye(3)
W64 = RNG.standard_normal((3, 4))
V3 = RNG.standard_normal(3)


# ---------------------------------------------------------------- sample functions: one argument, array in, scalar out
def f_exp(x): return np.sum(np.exp(x) * np.log(x))
def f_pow(x): return np.sum(x ** 3 / (1.0 + x))
def f_axis(x): return np.sum(np.mean(x, axis=0) ** 2) + np.sum(np.max(x, axis=1))
def f_methods(x): return (x.T @ x).sum() + x.std() + x.var(axis=0).sum() + x.cumsum(axis=1).mean()
def f_shapes(x): return np.sum(np.concatenate([x, x[::-1]], axis=0) * np.tile(x[0], (6, 1)))
def f_select(x): return np.sum(np.where(x > 1.0, x, x * x)) + np.sum(np.clip(x, 0.7, 1.2)) + np.sum(np.sort(x, axis=1)[:, -1])
def f_einsum(x): return np.sum(np.einsum("ij,kj->ik", x, x)) + np.linalg.norm(x)
def f_linalg(x): return np.sum(np.linalg.inv(x[:, :3] + 3 * np.eye(3, dtype=x.dtype))) + np.linalg.slogdet(x[:, 1:] + 3 * np.eye(3, dtype=x.dtype))[1]
def f_mixed(x): return np.sum(x * W64) + np.sum(np.exp(x) @ W64.T)          # float64 constants mixed in
def f_prod(x): return np.prod(x[0]) + np.sum(np.cumprod(x, axis=1))
def f_index(x): return np.sum(x[1:, ::2] ** 2) + x[0, 0] * x[2, 3]
def f_stack(x): return np.sum(np.stack([x[0], 2 * x[1], x[2] ** 2]) * np.array([[1.0], [2.0], [3.0]]))


SAMPLE = [f_exp, f_pow, f_axis, f_methods, f_shapes, f_select, f_einsum, f_linalg, f_mixed, f_prod, f_index, f_stack]


@pytest.mark.parametrize("f", SAMPLE, ids=lambda f: f.__name__)
def test_float32_gradient_is_float32(f):
    x32 = X.astype(F32)
    g = s2s.grad(f)(x32)
    assert isinstance(g, np.ndarray) and g.dtype == F32 and g.shape == x32.shape
    g64 = s2s.grad(f)(X)            # the same gradient, to float32 precision
    assert g64.dtype == np.float64
    np.testing.assert_allclose(g, g64, rtol=2e-3, atol=2e-3)


@pytest.mark.parametrize("f", SAMPLE, ids=lambda f: f.__name__)
def test_float32_tangent_is_float32(f):
    x32 = X.astype(F32)
    v32 = np.ones_like(x32)
    t = s2s.jvp(f)(x32, v32)
    out = f(x32)
    assert np.asarray(t).dtype == np.asarray(out).dtype   # the tangent has the output's dtype
    np.testing.assert_allclose(t, s2s.jvp(f)(X, np.ones_like(X)), rtol=2e-3, atol=2e-3)


def test_float32_value_and_grad():
    v, g = s2s.value_and_grad(f_exp)(X.astype(F32))
    assert g.dtype == F32 and np.asarray(v).dtype == F32


def test_float32_several_arguments():
    def f(a, b, c):
        return np.sum((a @ b) * c) + np.sum(np.maximum(a, 0.9))
    a, b, c = X.astype(F32), X.T.astype(F32), np.float32(1.5)
    ga, gb, gc = s2s.grad(f, wrt=(0, 1, 2))(a, b, c)
    assert ga.dtype == F32 and gb.dtype == F32 and np.asarray(gc).dtype == F32


# ---------------------------------------------------------------- integers
def test_integer_array_gives_float_gradient():
    def f(x): return np.sum(x ** 2) + np.sum(x * 3)
    xi = np.arange(6).reshape(2, 3)
    g = s2s.grad(f)(xi)
    assert g.dtype == np.float64 and g.shape == xi.shape
    np.testing.assert_allclose(g, 2.0 * xi + 3.0)
    t = s2s.jvp(f)(xi, np.ones((2, 3)))
    assert np.asarray(t).dtype.kind == "f" and float(t) == pytest.approx(np.sum(2.0 * xi + 3.0))


def i_exp(x): return np.sum(np.exp(x))
def i_mean(x): return np.mean(x, axis=0).sum()
def i_astype(x): return np.sum(x.astype(float) ** 2)
def i_sort(x): return np.sum(np.sort(x)[-2:])


@pytest.mark.parametrize("f,expect", [
    (i_exp, lambda x: np.exp(x)),
    (i_mean, lambda x: np.full(x.shape, 1.0 / x.shape[0])),
    (i_astype, lambda x: 2.0 * x),
    (i_sort, lambda x: (x >= np.sort(x)[-2]).astype(float)),
], ids=["exp", "mean", "astype", "sort"])
def test_integer_arrays_through_rules(f, expect):
    xi = np.array([3, 1, 4, 5])
    g = s2s.grad(f)(xi)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, expect(xi))


def test_python_int_gives_float():
    def f(x, y): return x * y + x ** 2
    gx, gy = s2s.grad(f, wrt=(0, 1))(3, 4)
    assert type(gx) is float and type(gy) is float and (gx, gy) == (10.0, 3.0)
    assert s2s.jvp(f)(3, 4, 1.0) == 10.0


def test_int_array_wrt_a_list():
    def f(xs): return np.sum(np.array(xs) ** 2)
    g = s2s.grad(f)([1, 2, 3])
    assert g == [2.0, 4.0, 6.0] and all(type(e) is float for e in g)


# ---------------------------------------------------------------- no object arrays
def _no_objects(g):
    if isinstance(g, (list, tuple)):
        return all(_no_objects(e) for e in g)
    if isinstance(g, dict):
        return all(_no_objects(e) for e in g.values())
    return not (isinstance(g, np.ndarray) and g.dtype == object)


def test_list_of_arrays_gradient_is_a_list_of_float_arrays():
    def f(xs): return np.sum(np.stack([xs[0], xs[2]]) ** 2)
    xs = [X[0], X[1], X[2].astype(F32)]
    g = s2s.grad(f)(xs)
    assert isinstance(g, list) and len(g) == 3 and _no_objects(g)
    assert [e.dtype for e in g] == [np.float64, np.float64, F32]
    np.testing.assert_allclose(g[1], 0.0)


def test_ragged_pieces_give_float_arrays():
    def f(a, b): return np.sum(np.concatenate([a, b, np.array([a[0], b[0]])]) ** 2)
    ga, gb = s2s.grad(f, wrt=(0, 1))(np.ones(3), np.ones(2))
    assert ga.dtype == np.float64 and gb.dtype == np.float64 and _no_objects((ga, gb))


def test_split_gradients_are_float_arrays():
    def f(x):
        a, b, c = np.split(x, 3)
        return np.sum(a * 2.0) + np.sum(c ** 2)      # b unused: its gradient is zeros, not an object
    g = s2s.grad(f)(np.arange(6.0))
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, [2.0, 2.0, 0.0, 0.0, 8.0, 10.0])


def test_tuple_and_dict_arguments():
    def f(p): return np.sum(p["w"] * p["b"][0]) + p["b"][1]
    p = {"w": X[0].astype(F32), "b": (2.0, 3.0)}
    g = s2s.grad(f)(p)
    assert g["w"].dtype == F32 and type(g["b"]) is tuple and _no_objects(g)


# ---------------------------------------------------------------- complex numbers: a clear error
Z = np.array([1 + 2j, 3 - 1j, 0.5j])


def c_abs(z): return np.sum(np.abs(z))
def c_real(z): return np.sum(np.real(z) * V3)
def c_attr(z): return np.sum(z.real ** 2)
def c_mul(z): return np.sum(z * V3)
def c_exp(z): return np.sum(np.exp(z) * V3)
def c_norm(z): return np.linalg.norm(z)
def c_builtin_abs(z): return abs(z) * 2.0


@pytest.mark.parametrize("f", [c_abs, c_real, c_attr, c_mul, c_exp, c_norm], ids=lambda f: f.__name__)
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_complex_array_is_refused(f, mode):
    with pytest.raises(s2s.DifferentiationError, match="complex"):
        if mode == "reverse":
            s2s.grad(f)(Z)
        else:
            s2s.jvp(f)(Z, np.ones(3))


def test_complex_python_number_is_refused():
    with pytest.raises(s2s.DifferentiationError, match="complex"):
        s2s.grad(c_builtin_abs)(1 + 2j)


def test_complex_output_is_refused():
    def f(x): return x * (1 + 1j)
    with pytest.raises(s2s.DifferentiationError, match="complex"):
        s2s.grad(f)(np.ones(3))


def test_complex_constants_off_the_derivative_path_are_fine():
    def f(x): return np.sum(x * np.abs(np.array([1 + 1j, 2.0, 1j])))
    np.testing.assert_allclose(s2s.grad(f)(np.ones(3)), np.abs([1 + 1j, 2.0, 1j]))


# ---------------------------------------------------------------- the whole registry in float32
import copy  # noqa: E402
import math  # noqa: E402
import zlib  # noqa: E402

from s2s.registry import ADJOINTS, TANGENTS  # noqa: E402
from _cases import CASES  # noqa: E402
from _casespec import A, ListSpec  # noqa: E402
from s2s.rules_doc import load_all  # noqa: E402
from s2s.rules_doc import library_keys  # noqa: E402
from _rulegen import build  # noqa: E402
from test_rules_compiled import DIRECT_ONLY, KNOWN as COMPILED_KNOWN, _name  # noqa: E402

load_all()


def _float_leaves(spec):
    if isinstance(spec, ListSpec):
        return [leaf for s in spec.items for leaf in _float_leaves(s)]
    if isinstance(spec, A) and spec.differentiable and not spec.py:
        return [spec]
    return []


def _as_float32(c):
    """The case with every float array argument float32 (Python floats stay Python floats)."""
    c = copy.deepcopy(c)
    leaves = [leaf for s in list(c.args) + list(c.kwargs.values()) for leaf in _float_leaves(s)]
    for leaf in leaves:
        leaf.dtype = "float32"
    return c if leaves else None


# Rules (in files owned by forward mode) that give float64 for float32: id -> reason
KNOWN_F32 = {
    "s2s.templates.structures.grad_to_sequence-0": "runtime_rules.grad_to_sequence_adj: np.array(d[z], dtype=float) "
                                               "(use g's float dtype)",
}
F32_ENTRIES = []
for _key in sorted((set(ADJOINTS) | set(TANGENTS)) & library_keys(), key=_name):
    if getattr(_key, "__self__", None) is math or _name(_key) in DIRECT_ONLY:   # math: double on Python floats
        continue
    for _i, _c in enumerate(CASES.get(_key, ())):
        if f"{_name(_key)}-{_i}-reverse" in COMPILED_KNOWN or f"{_name(_key)}-{_i}-forward" in COMPILED_KNOWN:
            continue
        _c32 = _as_float32(_c)
        if _c32 is not None:
            F32_ENTRIES.append((f"{_name(_key)}-{_i}", _key, _c32))
            break


@pytest.fixture(scope="module")
def f32_module(tmp_path_factory):
    records, path = build(F32_ENTRIES, str(tmp_path_factory.mktemp("rule_cases_f32")), modname="rule_cases_f32")
    return records, path


@pytest.mark.parametrize("pid", [pytest.param(e[0], marks=[pytest.mark.xfail(reason=KNOWN_F32[e[0]], strict=True)]
                                              if e[0] in KNOWN_F32 else []) for e in F32_ENTRIES])
def test_registry_float32(f32_module, pid):
    """For one case of every rule, in float32: gradients are float32, tangents have the output's dtype."""
    records, path = f32_module
    rec = records[pid]
    assert rec.error is None, rec.error
    where = f"{rec.fname} in {path}"
    args = rec.args()
    g = s2s.grad(rec.fn, wrt=tuple(rec.wrt))(*args)
    g = (g,) if len(rec.wrt) == 1 else g
    for name, gi in zip(rec.wrt, g):
        x = rec.inputs[name]
        if isinstance(x, np.ndarray):
            assert np.asarray(gi).dtype == x.dtype, f"d{name}: {np.asarray(gi).dtype} for a {x.dtype} argument\n{where}"
    if "forward" in rec.case.mode_list:
        rng = np.random.default_rng(zlib.crc32(pid.encode()))
        ts = [rng.standard_normal(np.shape(rec.inputs[n])).astype(rec.inputs[n].dtype)
              if isinstance(rec.inputs[n], np.ndarray) else 1.0 for n in rec.wrt]
        t = s2s.jvp(rec.fn, wrt=tuple(rec.wrt))(*args, *ts)
        out = rec.fn(*args)
        assert np.asarray(t).dtype == np.asarray(out).dtype, \
            f"tangent {np.asarray(t).dtype} for a {np.asarray(out).dtype} output\n{where}"


def _sum_sq(x):
    return np.sum(x * x) * 3.0


@pytest.mark.parametrize("x", [np.float32(2.0), np.array(2.0, dtype=np.float32), np.ones(3, dtype=np.float32)])
def test_reduction_of_a_float32_scalar_keeps_float32(x):
    """A reduction's gradient (grad_reduce) of a float32 NumPy scalar or 0-d array was float64 (the Python
    seed's type): only arrays with a shape were cast back."""
    g = s2s.grad(_sum_sq)(x)
    assert np.asarray(g).dtype == np.float32
    np.testing.assert_allclose(g, 6.0 * x, rtol=1e-6)
