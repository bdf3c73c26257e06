"""Session 7's soundness list from the new-user review (issues 11 and 14): each test failed before its fix."""
import math
import re

import numpy as np
import pytest

import s2s
from s2s import DifferentiationError


def _fd(f, x, t, h=1e-6):
    return (f(x + h * t) - f(x - h * t)) / (2 * h)


SINGULAR = [np.array([[1.0, 2.0], [2.0, 4.0]]), np.outer([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
            np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]), np.zeros((3, 3)),
            np.array([[0.0, 1.0], [0.0, 0.0]])]


def det2(a):
    return 2.0 * np.linalg.det(a)


def det_sla(a):
    import scipy.linalg
    return scipy.linalg.det(a)


# --- 1. det of a singular matrix: the gradient is the cofactor matrix (it raised LinAlgError)
@pytest.mark.parametrize("i", range(len(SINGULAR)))
@pytest.mark.parametrize("fn", [det2, det_sla])
def test_det_singular_reverse_forward_hvp(fn, i):
    a = SINGULAR[i]
    rng = np.random.default_rng(i)
    t = rng.standard_normal(a.shape)
    g = s2s.grad(fn)(a)
    assert np.isfinite(g).all()
    np.testing.assert_allclose(np.sum(g * t), _fd(fn, a, t), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(s2s.jvp(fn)(a, t), _fd(fn, a, t), rtol=1e-6, atol=1e-6)
    if fn is det2:
        np.testing.assert_allclose(s2s.hvp(fn)(a, t), _fd(s2s.grad(fn), a, t), rtol=1e-5, atol=1e-6)


def test_det_gradient_is_the_cofactor_matrix():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    np.testing.assert_allclose(s2s.grad(det2)(a), [[8.0, -4.0], [-4.0, 2.0]], atol=1e-12)


def test_det_hvp_at_repeated_singular_values():
    # the identity: the SVD the cofactor is computed with has no derivative there; cofactor's own rule does
    a, t = np.eye(3), np.arange(9.0).reshape(3, 3)
    np.testing.assert_allclose(s2s.hvp(det2)(a, t), _fd(s2s.grad(det2), a, t), atol=1e-6)
    np.testing.assert_allclose(s2s.hessian(det2)(a).reshape(9, 9) @ t.ravel(),
                               _fd(s2s.grad(det2), a, t).ravel(), atol=1e-6)


def test_det_batched_with_a_singular_member():
    a = np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[2.0, 1.0], [0.5, 3.0]])])

    def f(x):
        return np.sum(np.linalg.det(x) ** 2)
    t = np.random.default_rng(3).standard_normal(a.shape)
    np.testing.assert_allclose(np.sum(s2s.grad(f)(a) * t), _fd(f, a, t), rtol=1e-6)
    np.testing.assert_allclose(s2s.hvp(f)(a, t), _fd(s2s.grad(f), a, t), rtol=1e-5, atol=1e-6)


def third(a, t):
    return s2s.hvp(det2)(a, t)


def test_det_third_derivative_is_refused():
    with pytest.raises(DifferentiationError, match="third derivative"):
        s2s.jvp(third)(np.eye(3), np.ones((3, 3)), np.ones((3, 3)))


def slog(a):
    return np.linalg.slogdet(a)[1]


def test_slogdet_singular_is_infinite_like_log_at_zero():
    # logabsdet is -inf there; its derivative diverges (JAX: inf/nan); s2s raised LinAlgError from inside the rule
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    with np.errstate(divide="ignore"):
        g = s2s.grad(slog)(a)
        assert np.all(np.isinf(g))
        np.testing.assert_array_equal(np.sign(g), np.sign([[4.0, -2.0], [-2.0, 1.0]]))
        assert np.isinf(s2s.jvp(slog)(a, np.ones((2, 2))))
    b = np.array([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(s2s.grad(slog)(b), np.linalg.inv(b).T)


def inv_sum(a):
    return np.sum(np.linalg.inv(a))


def test_inv_singular_raises_as_the_primal():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(np.linalg.LinAlgError):
        s2s.grad(inv_sum)(a)


# --- 2. CLI export of SciPy code imports SciPy's public modules (it loaded scipy/stats/_continuous_distns.py by
# path, which fails with ImportError: a private module's relative imports need its package)
BLACK_SCHOLES = '''\
import math
import re

import numpy as np
import scipy.special as sc
from scipy.stats import norm, multivariate_normal
from scipy.stats import t as student
from scipy.special import erf

npdf = norm.pdf   # a bound method of SciPy's object, bound in the user's module


def call_price(S, K, T, r, sigma):
    d1 = (np.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * np.sqrt(T))
    d2 = d1 - sigma * np.sqrt(T)
    extra = 1e-3 * (npdf(d1) + norm.logpdf(d2) + student.logpdf(d1, 4.0) + erf(d2) + sc.ndtr(d1))
    extra = extra + 1e-3 * multivariate_normal.logpdf(np.array([d1, d2]), mean=np.zeros(2), cov=np.eye(2))
    return S * norm.cdf(d1) - K * np.exp(-r * T) * norm.cdf(d2) + extra
'''


def test_cli_export_of_scipy_stats_runs_without_s2s(tmp_path):
    import json
    import subprocess
    import sys
    from test_export import RUNNER
    src = tmp_path / "bs_model.py"
    src.write_text(BLACK_SCHOLES)
    args = [100.0, 95.0, 0.5, 0.01, 0.2]
    out = tmp_path / "dprice.py"
    run = subprocess.run([sys.executable, "-m", "s2s", f"{src}:call_price", "--wrt", "0,4", "-o", str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    text = out.read_text()
    assert "_load(" not in text and "by their path" not in text and "._" not in text.split('"""', 2)[2].split("\n\n\n")[0]
    assert "from scipy.stats import norm" in text
    (tmp_path / "runner.py").write_text(RUNNER)
    away = tmp_path / "elsewhere"
    away.mkdir()
    (away / "dprice.py").write_text(text)
    src.unlink()   # the exported module must not need the user's file either
    run = subprocess.run([sys.executable, "-I", str(tmp_path / "runner.py"), "dprice.py", "dcall_price_dS_dsigma",
                          json.dumps(args)], capture_output=True, text=True, cwd=str(away), check=False)
    assert run.returncode == 0, run.stderr + text
    got = json.loads(run.stdout)
    import importlib.util
    spec = importlib.util.spec_from_loader("bs_model", loader=None)
    mod = importlib.util.module_from_spec(spec)
    exec(compile(BLACK_SCHOLES, str(tmp_path / "bs_model.py"), "exec"), mod.__dict__)
    for i, name in [(0, "S"), (4, "sigma")]:
        def part(v, i=i):
            a = list(args)
            a[i] = v
            return mod.call_price(*a)
        np.testing.assert_allclose(got[0 if i == 0 else 1], (part(args[i] + 1e-6) - part(args[i] - 1e-6)) / 2e-6,
                                   rtol=1e-6)


# --- 3. flatten: int and bool leaves are kept (JAX's ravel_pytree) and unflatten gives them back with their
# types; None is an empty subtree; a string leaf is a TypeError naming it (it was a ValueError from float())
MIXED = {"w": np.array([[1.0, -2.0], [0.5, 3.0]]), "n": 3, "on": True, "idx": np.arange(3), "s": 2.5,
         "h": np.float32(1.5), "f32": np.ones(2, dtype=np.float32), "none": None}


def test_flatten_round_trips_leaf_types():
    v, unflatten = s2s.flatten(MIXED)
    assert v.dtype == np.float64 and v.shape == (4 + 1 + 1 + 3 + 1 + 1 + 2,)
    back = unflatten(v)
    assert set(back) == set(MIXED) and back["none"] is None
    for k, leaf in MIXED.items():
        if leaf is None:
            continue
        assert type(back[k]) is type(leaf), k
        assert np.asarray(back[k]).dtype == np.asarray(leaf).dtype, k
        np.testing.assert_array_equal(back[k], leaf)


def test_flatten_refuses_a_string_leaf_by_its_place():
    with pytest.raises(TypeError, match=r"tree\['meta'\]\[1\] is a str"):
        s2s.flatten({"w": np.ones(2), "meta": [1.0, "relu"]})


FLAT7, UNFLAT7 = s2s.flatten(MIXED)


def mixed_loss(v):
    p = UNFLAT7(v)
    return np.sum(p["w"] ** 2) * p["n"] + p["s"] ** 3 * p["on"] + np.sum(p["idx"] * p["f32"][0]) + p["h"] * p["s"]


def test_gradient_through_unflatten_with_int_leaves():
    # an int leaf is cast from the vector (a step function): its slot gets no gradient, as finite differences say
    g = s2s.grad(mixed_loss)(FLAT7)
    # (a step of 1e-3 and rtol 1e-4: the float32 leaves round the perturbed values to float32, 6e-8 relative)
    np.testing.assert_allclose(g, s2s.numeric_grad(mixed_loss, eps=1e-3)(FLAT7), rtol=1e-4, atol=1e-6)
    t = np.linspace(-1.0, 1.0, FLAT7.size)
    np.testing.assert_allclose(s2s.jvp(mixed_loss)(FLAT7, t), _fd(mixed_loss, FLAT7, t, 1e-3), rtol=1e-4)
    np.testing.assert_allclose(s2s.hvp(mixed_loss)(FLAT7, t), _fd(s2s.grad(mixed_loss), FLAT7, t, 1e-3), rtol=1e-4,
                               atol=1e-6)


# --- 4. check_grad on float32 inputs: the finite differences ran in float32 (a false MISMATCH of 3e-4 relative)
def tanh_model(w, x):
    return np.sum(np.tanh(x @ w) ** 2) + np.sum(np.exp(0.3 * w))


def off_by_a_percent(x):
    return np.sum(x ** 3)


def test_check_grad_float32_inputs():
    r = np.random.default_rng(0)
    w = r.standard_normal(5).astype(np.float32)
    x = r.standard_normal((20, 5)).astype(np.float32)
    g = s2s.check_grad(tanh_model, w, x)
    assert g.dtype == np.float32
    s2s.check_grad(tanh_model, w, x, wrt=(0, 1))
    s2s.check_grad(tanh_model, {"a": w}["a"], x.astype(np.float64))   # mixed: x float64


def test_check_grad_float32_still_catches_a_wrong_gradient(monkeypatch):
    import s2s.numeric as numeric
    x = np.linspace(0.5, 2.0, 4).astype(np.float32)
    real = numeric.numeric_grad

    def skewed(f, wrt=0, eps=None):   # the numeric side off by 1%: check_grad must report it
        inner = real(f, wrt, eps)
        return lambda *a, **k: inner(*a, **k) * 1.01
    monkeypatch.setattr(numeric, "numeric_grad", skewed)
    with pytest.raises(AssertionError, match="MISMATCH"):
        s2s.check_grad(off_by_a_percent, x)


# --- 8. math.log(x, base): the base was refused ("the rule for this call does not accept its arguments")
def log3(x):
    return math.log(x, 3) * x


def log_b(x, b):
    return math.log(x * x, b)


def test_math_log_with_a_base():
    x = 2.0
    np.testing.assert_allclose(s2s.grad(log3)(x), math.log(x, 3) + 1 / math.log(3), rtol=1e-12)
    np.testing.assert_allclose(s2s.jvp(log3)(x, 1.0), s2s.grad(log3)(x), rtol=1e-12)
    s2s.check_grad(log_b, 1.5, 3.0, wrt=(0, 1))
    s2s.check_grad(log_b, 1.5, 0.5, wrt=(0, 1))
    gx, gb = s2s.grad(log_b, wrt=(0, 1))(1.5, 3.0)
    assert gb == pytest.approx(-math.log(1.5 ** 2) / (3.0 * math.log(3.0) ** 2), rel=1e-12)
    num = (s2s.grad(log_b)(1.5 + 1e-6, 3.0) - s2s.grad(log_b)(1.5 - 1e-6, 3.0)) / 2e-6
    assert s2s.hvp(log_b)(1.5, 3.0, 1.0) == pytest.approx(num, rel=1e-6)
    assert s2s.jvp(log_b, wrt=(0, 1))(1.5, 3.0, 1.0, 1.0) == pytest.approx(gx + gb, rel=1e-12)


# --- 7. a seed (or tangent) of the wrong shape: NumPy's raw broadcast error, or a silently broadcast seed
def sin2(x):
    return np.sin(x) * 2.0


def gram(x):
    return x @ x.T


def test_seed_of_the_wrong_shape_names_the_output_and_shape():
    x = np.ones((3, 2))
    with pytest.raises(DifferentiationError, match=r"(?s)in sin2\n.*seed dresult= .*has shape \(4,\).*"
                                                   r"sin2 returns an array of shape \(3, 2\)"):
        s2s.grad(sin2)(x, dresult=np.ones(4))
    with pytest.raises(DifferentiationError, match=r"shape \(3,\), but gram returns an array of shape \(3, 3\)"):
        s2s.grad(gram)(x, dresult=np.ones(3))   # it was silently broadcast
    with pytest.raises(DifferentiationError, match=r"tangent dx of argument `x` has shape \(4,\)"):
        s2s.jvp(sin2)(x, np.ones(4))
    with pytest.raises(DifferentiationError, match=r"has shape \(2, 3\)"):
        s2s.vjp(sin2)(x)[1](np.ones((2, 3)))
    # what the DESIGN accepts: a scalar seed (ones), or the output's shape
    np.testing.assert_allclose(s2s.grad(sin2)(x, dresult=3.0), 6.0 * np.cos(x))
    np.testing.assert_allclose(s2s.grad(sin2)(x, dresult=np.full((3, 2), 3.0)), 6.0 * np.cos(x))
    np.testing.assert_allclose(s2s.grad(sin2)(x, dresult=np.float64(3.0)), 6.0 * np.cos(x))


# --- 5. alias refusals name the user's variables, not the core's (`t_1`, `X_`, `t`)
def write_through_transpose(X):
    Y = X.T
    Y[0] *= 2
    return np.sum(Y ** 2)


def scale_first_row(M):
    M[0] *= 2
    return M


def write_through_helper(X):
    Y = X.T
    Z = scale_first_row(Y)
    return np.sum(Z ** 2)


def transpose_and_write(A):
    B = A.T
    B[0] *= 2
    return np.sum(B)


def helper_on_an_expression(X):
    return transpose_and_write(X * 1.0)


INTERNAL = re.compile(r"`(t|t_\d+|X_|out_\d+|tmp_\d+)`")


@pytest.mark.parametrize("fn, expect", [
    (write_through_transpose, r"into `Y` \(bound by `Y = X.T`\), which is part of `X`.*`Y = X.T.copy\(\)`"),
    (write_through_helper, r"(?s)in scale_first_row.*into `Y` \(bound by `Y = X.T`\).*`Y = X.T.copy\(\)`"),
    (helper_on_an_expression, r"transpose_and_write changes its argument `A` in place, and the value passed for `A`"),
])
def test_alias_refusals_show_the_users_names(fn, expect):
    with pytest.raises(DifferentiationError) as e:
        s2s.grad(fn)(np.ones((2, 2)))
    msg = str(e.value)
    assert re.search(expect, msg, re.S), msg
    assert not INTERNAL.search(msg), msg


# --- 9. the gradient has the argument's type: a list for math.fsum over a list (it was an internal GradList),
# float32 Hessians of float32 functions (they were float64)
def fsum2(xs):
    return math.fsum(xs) * 2.0


def prod_of(xs):
    return math.prod(xs)


def cube_sum(x):
    return np.sum(x ** 3)


def test_math_fsum_and_prod_of_a_list_give_a_list():
    g = s2s.grad(fsum2)([1.0, 2.0])
    assert type(g) is list and g == [2.0, 2.0]
    assert type(s2s.grad(fsum2)((1.0, 2.0))) is tuple
    g = s2s.grad(prod_of)([1.0, 2.0, 3.0])
    assert type(g) is list and g == pytest.approx([6.0, 3.0, 2.0])


def test_hessian_of_float32_is_float32():
    x = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    h = s2s.hessian(cube_sum)(x)
    assert h.dtype == np.float32
    np.testing.assert_allclose(h, np.diag(6 * x), rtol=1e-6)
    assert s2s.hessian(cube_sum)(x.astype(np.float64)).dtype == np.float64


# --- 6. with the cache off (S2S_CACHE=0) generated sources live in memory only, and Python (< 3.13) printed an
# uncaught traceback through them without their lines: the user's `# file.py:N` was lost
SINGULAR_SOLVE = '''\
import numpy as np
import s2s


def loss(A, b):
    x = np.linalg.solve(A, b)
    return np.sum(x ** 2)


s2s.grad(loss)(np.array([[1.0, 2.0], [2.0, 4.0]]), np.ones(2))
'''


@pytest.mark.parametrize("cache", ["0", "1"])
def test_traceback_through_generated_code_names_the_users_line(tmp_path, cache):
    import os
    import subprocess
    import sys
    script = tmp_path / "singular_solve.py"
    script.write_text(SINGULAR_SOLVE)
    env = dict(os.environ, S2S_CACHE=cache, S2S_CACHE_DIR=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 1 and "LinAlgError: Singular matrix" in run.stderr, run.stderr
    assert re.search(r"x = np\.linalg\.solve\(A, b\)\s+# singular_solve\.py:6", run.stderr), run.stderr


# --- 9. a 0-d array argument gets a 0-d array gradient (NumPy arithmetic on 0-d arrays gives NumPy scalars)
def sin_times(x):
    return np.sin(x) * x


def two_args(x, y):
    return x * y + np.exp(x)


def math_of(x):
    return math.sin(x) * 2.0


def test_zero_d_array_gradient_is_a_zero_d_array():
    g = s2s.grad(math_of)(np.array(0.5))   # x must be a number for math.sin: the scalar path
    assert type(g) is np.ndarray and g.shape == () and g == pytest.approx(2 * math.cos(0.5))
    x = np.array(0.5)
    g = s2s.grad(sin_times)(x)
    assert type(g) is np.ndarray and g.shape == () and g.dtype == np.float64
    assert g == pytest.approx(np.cos(0.5) * 0.5 + np.sin(0.5))
    v, g = s2s.value_and_grad(sin_times)(x)
    assert type(g) is np.ndarray and g.shape == ()
    g32 = s2s.grad(sin_times)(np.array(0.5, dtype=np.float32))
    assert type(g32) is np.ndarray and g32.dtype == np.float32
    gx, gy = s2s.grad(two_args, wrt=(0, 1))(np.array(0.5), 2.0)
    assert type(gx) is np.ndarray and gx.shape == () and isinstance(gy, float)
    assert type(s2s.grad(sin_times)(np.ones(3))) is np.ndarray   # the other signatures are unchanged
    assert isinstance(s2s.grad(sin_times)(0.5), float)


@pytest.mark.slow   # every SciPy rule's first case, exported in both modes
def test_exported_scipy_rules_import_public_modules(tmp_path):
    from _rulegen import build
    from test_rules_compiled import ENTRIES, _name
    from s2s.export import module_source
    entries = [e for e in ENTRIES if "scipy" in _name(e[1]) and e[0].endswith("-0")]
    records, _ = build(entries, str(tmp_path), "review7_scipy_cases")
    bad = []
    for pid, rec in records.items():
        if getattr(rec, "error", None):
            continue
        for gen in (s2s.grad(rec.fn, wrt=tuple(rec.wrt)), s2s.jvp(rec.fn, wrt=tuple(rec.wrt))):
            text = module_source(gen)
            head = text.split("\nDEFAULT_SEED")[0]
            if "_load(" in text or re.search(r"^from \S*\._\w+ import|^import \S*\._", head, re.M):
                bad.append(f"{pid} {gen.__name__}")
    assert len(records) > 50 and not bad, bad


NONE_TREE = {"w": np.array([1.0, -2.0]), "none": None, "b": [np.array([0.5, 0.25]), 3]}
FLAT_N, UNFLAT_N = s2s.flatten(NONE_TREE)


def none_tree_loss(v):
    p = UNFLAT_N(v)
    return np.sum(p["w"] ** 2) + np.sum(p["b"][0] * 3.0) * p["b"][1]


def test_none_is_an_empty_subtree_in_gradients():
    # None was a NaN leaf; an empty subtree must not shift the gradient's parts
    assert FLAT_N.shape == (5,) and UNFLAT_N(FLAT_N)["none"] is None
    g = s2s.grad(none_tree_loss)(FLAT_N)
    np.testing.assert_allclose(g, [2.0, -4.0, 9.0, 9.0, 0.0])
    np.testing.assert_allclose(g, s2s.numeric_grad(none_tree_loss)(FLAT_N), atol=1e-6)
    t = np.linspace(0.5, 1.0, 5)
    np.testing.assert_allclose(s2s.jvp(none_tree_loss)(FLAT_N, t), g @ t, rtol=1e-12)
