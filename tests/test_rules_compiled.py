"""The registry test through the compiler: every rule, every case, both modes.

For each key of ``s2s.registry.ADJOINTS`` / ``TANGENTS`` and each of its cases
in tests/_cases.py, tests/_rulegen.py writes (once per session, into a
temporary directory) a small user function that calls the function the way
a user would (``np.sum(np.einsum("ij,jk->ik", a0, a1) * W)``, ``a0.sum(axis=0)``,
``a0 @ a1``, ``a0.T``), then:

- reverse: ``s2s.grad(f, wrt=...)`` against ``s2s.numeric_grad(f, wrt=...)``,
  with the gradient's type, shape and dtype checked (float32 stays float32,
  a Python float gives a float);
- forward: ``s2s.jvp(f, wrt=...)(args, v)`` against central differences of f
  along a random direction v;
- both with all the case's arguments differentiated at once, then (when there
  are several) each alone, the others inactive (zero-tangent folding, dropped
  accumulations);
- second order, for each rule's first case: ``s2s.hvp(f, wrt=first)(x, v)``
  (forward over the generated reverse code, so the rule's helpers must be
  differentiable too) against central differences of ``s2s.grad``.

A registered rule without cases fails (``...-nocases``): a rule cannot be
added untested. Failures caused by the compiler (not by a rule) are listed
in ``KNOWN`` as strict xfails, with a reason.

Run it alone with ``pytest tests/test_rules_compiled.py``; on failure the
message names the generated function and file, which can be imported and
differentiated by hand.
"""
import zlib

import numpy as np
import pytest

import s2s
from s2s.registry import ADJOINTS, TANGENTS
from s2s.rules_doc import library_keys
from s2s.rules_doc import load_all, key_name
from _cases import CASES
from _rulegen import build

load_all()  # the lazily loaded SciPy rules too, when SciPy is installed

MODES = ("reverse", "forward") if hasattr(s2s, "jvp") else ("reverse",)
HVP = hasattr(s2s, "hvp")   # second order, for each rule's first case: hvp vs differences of grad


def _name(key):
    if isinstance(key, tuple):
        return f"{key[0]}:{key[1]}"
    if type(getattr(key, "__self__", None)).__module__.startswith("scipy.stats"):   # t.logpdf, not rv_continuous.logpdf
        from s2s.rules_doc import key_name
        return key_name(key)
    mod = getattr(key, "__module__", None) or ""
    return f"{mod}.{getattr(key, '__qualname__', getattr(key, '__name__', repr(key)))}".lstrip(".")


# Cases the compiler (s2s/*.py, not a rule) gets wrong: id -> reason. Strict: a fix must remove them.
KNOWN = {
         "scipy.linalg._matfuncs.expm-0-hvp": "templates.scipy_rules.expm_grad calls scipy.linalg.expm_frechet, which has "
                                               "no rule, and SciPy's source cannot be differentiated (second order of expm)",
         "scipy.integrate._odepack_py.odeint-0-hvp": "templates.scipy_integrate.odeint_vjp integrates the adjoint ODE with "
                                                    "odeint over a closure: second order of odeint is refused"}

# Rules whose function the compiler refuses to call from user code by design: checked only directly
# (tests/test_rule_templates.py). key name -> why
DIRECT_ONLY = {"s2s.runtime.add_at": "add_at(g, index, v) adds into g in place, and s2s refuses calls that change "
                                     "their arguments (generated code uses it on private accumulators)"}

ENTRIES = []   # (pid, key, case): the functions to write
PARAMS = []
for _key in sorted((set(ADJOINTS) | set(TANGENTS)) & library_keys(), key=_name):   # not tests' own rules
    _cases = CASES.get(_key)
    if not _cases:
        PARAMS.append(pytest.param(_name(_key) + "-nocases", "missing", id=_name(_key) + "-nocases"))
        continue
    for _i, _c in enumerate(_cases):
        _pid = f"{_name(_key)}-{_i}"
        ENTRIES.append((_pid, _key, _c))
        _modes = list(_c.mode_list) + (["hvp"] if HVP and _i == 0 and set(_c.mode_list) == {"reverse", "forward"} else [])
        for _mode in _modes:
            if _mode not in MODES and _mode != "hvp":
                continue
            _id = f"{_pid}-{_mode}"
            _marks = [pytest.mark.xfail(reason=KNOWN[_id], strict=True)] if _id in KNOWN else []
            PARAMS.append(pytest.param(_pid, _mode, id=_id, marks=_marks))


@pytest.fixture(scope="session")
def compiled(tmp_path_factory):
    directory = tmp_path_factory.mktemp("rule_cases")
    records, path = build(ENTRIES, str(directory))
    return records, path


def _copy(x):
    return x.copy() if isinstance(x, np.ndarray) else x


def _sym(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * (x + np.swapaxes(x, -1, -2))


def _where(rec, path):
    return f"{rec.fname}({', '.join(rec.params)}) in {path} [{key_name(rec.key)}, {rec.case!r}], wrt={rec.wrt}"


def _check_type(name, g, x, where):
    """A gradient has its argument's type, shape and float dtype (float32 stays float32; integers give float64).

    A 0-d array may get a NumPy scalar of its dtype (or a Python float for float64): NumPy's own
    reductions return those, and they behave as 0-d arrays.
    """
    if isinstance(x, float):
        assert isinstance(g, float), f"d{name}: a Python float argument got a {type(g).__name__} gradient\n{where}"
        return
    want = x.dtype if np.issubdtype(x.dtype, np.floating) else np.dtype(np.float64)
    if x.ndim == 0 and (isinstance(g, np.generic) or (type(g) is float and want == np.float64)):
        g = np.asarray(g)
    assert isinstance(g, np.ndarray), f"d{name}: an array argument got a {type(g).__name__} gradient\n{where}"
    assert g.shape == x.shape, f"d{name}: shape {g.shape} != argument shape {x.shape}\n{where}"
    assert g.dtype == want, f"d{name}: dtype {g.dtype} for a {x.dtype} argument (want {want})\n{where}"


def _close(an, num, c, what, where):
    an, num = np.asarray(an, dtype=float), np.asarray(num, dtype=float)
    assert an.shape == num.shape, f"{what}: shape {an.shape} != {num.shape}\n{where}"
    if not np.allclose(an, num, rtol=c.rtol, atol=c.atol, equal_nan=True):
        err = np.max(np.abs(an - num)) if an.size else 0.0
        raise AssertionError(f"{what}: max abs error {err:.3g}\n{where}\ns2s:     {an}\nnumeric: {num}")


def check_reverse(rec, path):
    """All wrt arguments at once, then (with several) each alone: the others are then inactive constants."""
    where = _where(rec, path)
    args = rec.args()
    n = s2s.numeric_grad(rec.fn, wrt=tuple(rec.wrt), eps=rec.case.fd_step)(*args)
    n = (n,) if len(rec.wrt) == 1 else n
    expected = dict(zip(rec.wrt, n))
    groups = [tuple(rec.wrt)] + ([(w,) for w in rec.wrt] if len(rec.wrt) > 1 else [])
    for wrt in groups:
        before = [_copy(a) for a in args]
        g = s2s.grad(rec.fn, wrt=wrt)(*args)
        g = (g,) if len(wrt) == 1 else g
        for a, b in zip(args, before):
            assert np.array_equal(a, b, equal_nan=True), f"the generated gradient changed its inputs\n{where}"
        assert len(g) == len(wrt), f"{len(g)} gradients for wrt={wrt}\n{where}"
        label = "" if len(wrt) == len(rec.wrt) else f" (wrt={wrt[0]!r} alone)"
        for name, gi in zip(wrt, g):
            x, ni = rec.inputs[name], expected[name]
            _check_type(name, gi, x, where + label)
            if name in rec.symmetric:
                gi, ni = _sym(gi), _sym(ni)
            if isinstance(x, np.ndarray) and np.isnan(x).any():   # the nan* family: no derivative at a NaN
                ni = np.where(np.isnan(x), 0.0, ni)             # (numeric_grad's step there is NaN too)
            _close(gi, ni, rec.case, f"reverse d{name}{label}", where)


def _tangent(x, symmetric, rng):
    if isinstance(x, float):
        return float(rng.standard_normal())
    t = rng.standard_normal(np.shape(x))
    if symmetric:
        t = _sym(t)
    return t.astype(x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64)


def _f64(x):
    if isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating):
        return x.astype(np.float64)
    return x


def check_forward(rec, path):
    """J.v along all wrt arguments at once, then (with several) along each alone."""
    where = _where(rec, path)
    rng = np.random.default_rng(zlib.crc32(rec.pid.encode()) + 1)
    tangents = {n: _tangent(rec.inputs[n], n in rec.symmetric, rng) for n in rec.wrt}
    args = rec.args()
    h = rec.case.fd_step or 1e-6

    def at(sign, along):   # f at x + sign * h * v, in float64 (float32 inputs are upcast)
        vals = []
        for p in rec.params:
            x = _f64(rec.inputs[p])
            if p in along:
                x = x + sign * h * _f64(tangents[p])
                x = float(x) if isinstance(rec.inputs[p], float) else x
            vals.append(x)
        return float(rec.fn(*vals))

    groups = [tuple(rec.wrt)] + ([(w,) for w in rec.wrt] if len(rec.wrt) > 1 else [])
    for wrt in groups:
        label = "" if len(wrt) == len(rec.wrt) else f" (along {wrt[0]!r} alone)"
        before = [_copy(a) for a in args]
        jv = s2s.jvp(rec.fn, wrt=wrt)(*args, *[tangents[n] for n in wrt])
        for a, b in zip(args, before):
            assert np.array_equal(a, b, equal_nan=True), f"the generated jvp changed its inputs\n{where}"
        assert np.ndim(jv) == 0, f"jvp of a scalar function returned shape {np.shape(jv)}{label}\n{where}"
        num = (at(1, wrt) - at(-1, wrt)) / (2 * h)
        _close(jv, num, rec.case, "forward J.v" + label, where)


def check_hvp(rec, path):
    """Forward over reverse: hvp(f, wrt=first)(x, v) against central differences of grad(f) along v."""
    where = _where(rec, path)
    if not rec.wrt:
        pytest.skip("nothing to differentiate")
    w = rec.wrt[0]
    rng = np.random.default_rng(zlib.crc32(rec.pid.encode()) + 2)
    args = rec.args()
    x = rec.inputs[w]
    v = _tangent(x, w in rec.symmetric, rng)
    hv = s2s.hvp(rec.fn, wrt=w)(*args, v)
    g = s2s.grad(rec.fn, wrt=w)
    i = rec.params.index(w)
    h = rec.case.fd_step or 1e-5

    def at(sign):
        a = [_f64(b) for b in args]
        a[i] = _f64(x) + sign * h * _f64(v)
        a[i] = float(a[i]) if isinstance(x, float) else a[i]
        return np.asarray(g(*a), dtype=float)
    num = (at(1) - at(-1)) / (2 * h)
    if isinstance(x, np.ndarray) and np.isnan(x).any():
        num = np.where(np.isnan(x), 0.0, num)
        hv = np.where(np.isnan(x), 0.0, hv)
    c = rec.case
    tol = max(c.rtol, 1e-4), max(c.atol, 1e-5)
    an, num = np.asarray(hv, dtype=float), np.asarray(num, dtype=float)
    assert an.shape == num.shape, f"hvp shape {an.shape} != {num.shape}\n{where}"
    if not np.allclose(an, num, rtol=tol[0], atol=tol[1], equal_nan=True):
        raise AssertionError(f"hvp d{w}: max abs error {np.max(np.abs(an - num)):.3g}\n{where}\ns2s:     {an}\nnumeric: {num}")


@pytest.mark.parametrize("pid,mode", PARAMS)
def test_rule_compiled(compiled, pid, mode):
    if mode == "missing":
        pytest.fail(f"{pid[:-len('-nocases')]} has a rule but no cases in tests/_cases.py: "
                    "every rule must be tested (add CASES[key] = [case(...), ...])")
    records, path = compiled
    rec = records[pid]
    if _name(rec.key) in DIRECT_ONLY:
        pytest.skip(DIRECT_ONLY[_name(rec.key)])
    if rec.error is not None:
        pytest.fail(f"could not write a function for {pid}: {rec.error}")
    {"reverse": check_reverse, "forward": check_forward, "hvp": check_hvp}[mode](rec, path)


def test_every_key_has_functions(compiled):
    """Sanity: the module was written and each case's function exists."""
    records, path = compiled
    assert records and all(r.fn is not None for r in records.values() if r.error is None)
