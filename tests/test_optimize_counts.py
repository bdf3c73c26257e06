"""The optimizer's shared name counts and fast transformer (issue 14 item 4, cold generation time) give
exactly what the per-pass walks they replace gave: generated code must not change (tests/test_snapshot.py
checks the programs' code; these check the pieces on every optimize round of every program)."""
import gast
import numpy as np
import pytest

import s2s
from s2s import astutil
from s2s.codegen import to_source
from s2s.optimize import classic

from programs import PROGRAMS

def _in_loop_stores(tree):   # what copy_propagate used before Uses
    out = set()
    for n in astutil.walk(tree):
        if isinstance(n, (gast.For, gast.While)):
            for m in astutil.walk(n):
                if isinstance(m, gast.Name) and isinstance(m.ctx, gast.Store):
                    out.add(m.id)
    return out


@pytest.fixture(scope="module")
def optimized_inputs():
    seen, orig = [], classic.optimize

    def spy(fn, resolve, keep=(), temps=(), strict=()):
        seen.append(astutil.clone(fn))
        return orig(fn, resolve, keep, temps, strict)
    import s2s.optimize as opt
    from s2s import compiler
    opt.optimize = spy
    try:
        with pytest.MonkeyPatch.context() as mp:   # generate afresh: no function from a cache
            mp.setenv("S2S_CACHE", "0")
            compiler.clear_cache()
            for name, fn, args, wrt in PROGRAMS[:40]:
                try:
                    s2s.grad(fn, wrt=wrt)
                except s2s.DifferentiationError:
                    pass
    finally:
        opt.optimize = orig
    assert len(seen) > 40
    return seen


def test_uses_counts_as_the_walks_did(optimized_inputs):
    for fn in optimized_inputs:
        uses = classic.Uses(fn)
        assert uses.stores == classic._stores(fn)
        assert +uses.loads == +classic._loads(fn)
        assert uses.in_loop == _in_loop_stores(fn)
        assert uses.has_loop == any(isinstance(n, (gast.For, gast.While)) for n in astutil.walk(fn))


def _cond_only(x):
    c = (x > 0) and (x < 2.0)
    y = x * 2.0 if c else x
    return y


def test_copy_propagate_keeps_the_counts_exact(optimized_inputs):
    """(perf12) The optimizer's rounds reuse one count of the names after copy propagation changed the
    function: the count it updates is the one a fresh walk makes, also where the function holds one Name
    node twice (an `if` test both sweeps read: counted once, `c` was dropped as dead, a NameError)."""
    assert s2s.grad(_cond_only)(1.5) == 2.0 and s2s.grad(_cond_only)(2.5) == 1.0
    changed = 0
    for fn in optimized_inputs:
        fn = astutil.clone(fn)
        classic.Simplify().visit(fn)
        uses = classic.Uses(fn)
        changed += bool(classic.copy_propagate(fn, uses))
        fresh = classic.Uses(fn)
        assert +uses.stores == +fresh.stores and +uses.loads == +fresh.loads, to_source(fn)
        assert uses.in_loop >= fresh.in_loop and uses.has_loop == fresh.has_loop
    assert changed > 5


class _SlowSimplify(gast.NodeTransformer):   # Simplify's rules on gast's own traversal
    visit_BinOp = classic.Simplify.visit_BinOp
    visit_UnaryOp = classic.Simplify.visit_UnaryOp
    visit_Compare = classic.Simplify.visit_Compare
    visit_IfExp = classic.Simplify.visit_IfExp


def test_fast_transformer_transforms_as_gasts(optimized_inputs):
    for fn in optimized_inputs:
        a, b = astutil.clone(fn), astutil.clone(fn)
        classic.Simplify().visit(a)
        _SlowSimplify().visit(b)
        assert to_source(a) == to_source(b)


def test_reads_in_stops_early_with_the_same_answer():
    stmts = gast.parse("a = x + x\nb = y\nc = x * y\nd = 1\ne = x\n").body
    full = [(k, c) for k, st in enumerate(stmts)
            if (c := sum(1 for n in astutil.walk(st) if isinstance(n, gast.Name) and n.id == "x"
                         and isinstance(n.ctx, gast.Load)))]
    assert classic._reads_in(stmts, "x", 4) == full
    assert classic._reads_in(stmts, "x", 3) == full[:2]     # the count is met: nothing further is walked
    assert classic._reads_in(stmts, "x", 0) == []


def _eliminate_dead_recounting(fn, purity, keep=()):
    """eliminate_dead as it was: the loads counted again after each change."""
    changed_any = False
    while True:
        loads = classic._loads(fn)
        for name in classic._dead_names(fn, purity, keep):
            loads[name] = 0
        changed = False
        for parent, field, block in list(classic._blocks(fn)):
            kept = []
            for s in block:
                if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name):
                    if loads[s.targets[0].id] == 0 and s.targets[0].id not in keep and purity.pure(s.value):
                        changed = True
                        continue
                if isinstance(s, gast.AugAssign) and isinstance(s.target, gast.Name):
                    if loads[s.target.id] == 0 and s.target.id not in keep and purity.pure(s.value):
                        changed = True
                        continue
                if isinstance(s, gast.Pass) and len(block) > 1 \
                        or isinstance(s, gast.If) and classic._empty(s.body) and classic._empty(s.orelse) \
                        and purity.pure(s.test) or isinstance(s, gast.For) and classic._empty(s.body) \
                        and purity.pure(s.iter):
                    changed = True
                    continue
                kept.append(s)
            block[:] = kept or [gast.Pass()]
        if not changed:
            return changed_any
        changed_any = True


def test_eliminate_dead_keeps_its_counts_exact(optimized_inputs):
    """Dropping statements, eliminate_dead takes their loads off its count instead of counting again."""
    purity = classic.Purity(lambda node: None)
    for fn in optimized_inputs:
        a, b = astutil.clone(fn), astutil.clone(fn)
        assert classic.eliminate_dead(a, purity) == _eliminate_dead_recounting(b, purity)
        assert to_source(a) == to_source(b)


def _logreg(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def test_adjoints_of_temporaries_fold_into_their_use():
    """Issue 14 item 3: ``dt_7 = a / b; dp = -dt_7`` allocates twice where ``dp = -(a / b)`` lets NumPy reuse
    the quotient's buffer; and ``-(-dp * p)`` is ``dp * p`` bit for bit. Numbers unchanged (exactly)."""
    rng = np.random.default_rng(0)
    w, X, y = rng.standard_normal(4), rng.standard_normal((50, 4)), (rng.random(50) > 0.5) * 1.0
    df = s2s.grad(_logreg)
    src = df.source(w, X, y)
    assert "dz = dp * p / t_2 * t_1" in src, src
    assert "dp = -(" in src and "dt_7" not in src and "dt_6" not in src, src
    g_opt = df(w, X, y)
    g_plain = s2s.grad(_logreg, optimized=False)(w, X, y)
    np.testing.assert_allclose(g_opt, g_plain, rtol=1e-13, atol=0)
    np.testing.assert_allclose(g_opt, s2s.numeric_grad(lambda v: _logreg(v, X, y))(w), rtol=1e-6, atol=1e-8)


def test_an_adjoint_is_not_folded_into_a_call_with_effects():
    """``add_at(dx, i, dt)``: the forward over reverse transform (hvp) reads a call with effects whose
    operand is a name; folding ``dt`` in dropped the tangent of the write (a wrong hessian-vector product)."""
    def f(x, i):
        return np.sum(x[i] ** 2 * x[i])
    x, i = np.array([0.3, -0.7, 1.1, 0.5]), np.array([0, 2, 2, 3])
    src = s2s.grad(f, wrt=0).s2s_generic.s2s_source
    assert "add_at(dx, i, dt" in src or "add_at(dx, i, d" in src, src
    v = np.array([1.0, 0.5, -0.25, 2.0])
    g = s2s.grad(f, wrt=0)
    want = (g(x + 1e-6 * v, i) - g(x - 1e-6 * v, i)) / 2e-6
    np.testing.assert_allclose(s2s.hvp(f, wrt=0)(x, i, v), want, rtol=1e-5, atol=1e-6)


def test_the_mean_gradient_is_a_broadcast_of_the_seed_over_the_count():
    """Issue 14 (perf11): a mean's gradient is ``grad_reduce(g / n, x)``, a broadcast view, where
    ``grad_reduce(g, x) / n`` wrote a full array of 1/n (logreg: one 200000-element array and a pass over
    it). Same numbers: the seed divided once, then broadcast (reverse, forward, hvp)."""
    from test_real_programs import check_all

    def f(x, y):
        return np.mean(x * y) + np.mean(x ** 2, axis=1).sum() + (x * x).mean(axis=0, keepdims=True).sum()
    x, y = np.linspace(-1.0, 2.0, 12).reshape(3, 4), np.linspace(0.5, 1.5, 12).reshape(3, 4)
    src = s2s.grad(f).source(x, y)
    assert "False) / reduced_count(" not in src and "True) / reduced_count(" not in src, src
    assert src.count(" / reduced_count(") == 2, src
    assert "reduced_count(" in src and "np.size(" in src, src
    check_all(f, x, y, wrt=0)
    check_all(f, x, y, wrt=1)
    w, X, yy = np.array([0.1, -0.2, 0.3, 0.05]), np.linspace(-1, 1, 200).reshape(50, 4), (np.arange(50) % 3 == 0) * 1.0
    g = s2s.grad(_logreg)(w, X, yy)
    np.testing.assert_allclose(g, s2s.grad(_logreg, optimized=False)(w, X, yy), rtol=1e-13, atol=0)


def test_a_cheap_temporary_is_computed_in_the_backward_sweep_instead_of_kept():
    """Issue 14 (perf12, ``saves.fold_into_backward``): logreg's ``t_5 = 1.0 - y`` and ``t_6 = 1.0 - p``
    were computed in the forward sweep and kept alive for one read in the backward sweep; they are now
    computed at that read (their shape reads go to y and p), so the forward sweep holds two full-size arrays
    fewer. Same numbers as the unoptimized gradient."""
    w, X, yy = np.array([0.1, -0.2, 0.3, 0.05]), np.linspace(-1, 1, 200).reshape(50, 4), (np.arange(50) % 3 == 0) * 1.0
    src = s2s.grad(_logreg).source(w, X, yy)
    forward = src.split("grad_reduce(")[0]
    assert "1.0 - y" not in forward and "1.0 - p" not in forward, src
    assert "* (1.0 - y)" in src and "/ (1.0 - p)" in src, src
    g = s2s.grad(_logreg)(w, X, yy)
    np.testing.assert_allclose(g, s2s.grad(_logreg, optimized=False)(w, X, yy), rtol=1e-13, atol=0)


def test_a_temporary_is_not_folded_where_its_input_may_change_or_sits_in_a_loop():
    """The fold needs its inputs unchanged at the read: not where the function writes into one in place
    (``z[0] = 0.5`` after ``1.0 - z`` in the forward sweep: the backward sweep's ``1.0 - z`` would read the
    new z), nor where the read sits in a loop (it would be computed once a trip)."""
    from test_real_programs import check_all

    def changed(x, y):
        z = y * 1.0
        s = np.sum(x * (1.0 - z))
        z[0] = 0.5
        return s + np.sum(z * x)

    def unchanged(x, y):
        z = y * 1.0
        s = np.sum(x * (1.0 - z))
        return s + np.sum(z * x)

    def looped(x, y):
        s = 0.0
        t = 1.0 - y
        for i in range(3):
            s = s + np.sum(x * t) * i
        return s
    x, y = np.linspace(-1.0, 2.0, 5), np.linspace(0.1, 0.5, 5)
    for f in (changed, unchanged, looped):
        check_all(f, x, y, wrt=0)
        np.testing.assert_allclose(s2s.grad(f)(x, y), s2s.grad(f, optimized=False)(x, y), rtol=1e-13, atol=0)
    src = s2s.grad(changed).source(x, y)
    assert src.index("1.0 - z") < src.index("z[0] = 0.5") and src.count("1.0 - z") == 1, src
    assert "* (1.0 - z)" in s2s.grad(unchanged).source(x, y)
    src = s2s.grad(looped).source(x, y)
    assert src.count("1.0 - y") == 1 and src.index("1.0 - y") < src.index("for i"), src


def test_a_temporary_read_on_the_next_line_keeps_its_name():
    """Issue 14 (perf13): ``fold_into_backward`` moves a temporary into the backward sweep only when
    statements lie between its definition and its read (where it would be held meanwhile). ``h - y`` read by
    the backward sweep's first line stays ``t_2 = h - y`` (the README's tour), while logistic regression's
    ``1.0 - y`` and ``1.0 - p``, read lines later, are still folded (the test above)."""
    from test_real_programs import check_all

    def loss(W, b, X, y):
        h = np.tanh(X @ W + b)
        return np.mean((h - y) ** 2)
    r = np.random.default_rng(0)
    W, b, X, y = r.standard_normal((3, 2)), r.standard_normal(2), r.standard_normal((5, 3)), r.standard_normal((5, 2))
    src = s2s.grad(loss, wrt=(0, 1)).source(W, b, X, y)
    assert "t_2 = h - y" in src and "* 2 * t_2" in src and "broadcast_shape" not in src, src
    check_all(loss, W, b, X, y, wrt=0)
    check_all(loss, W, b, X, y, wrt=1)
    for a, e in zip(s2s.grad(loss, wrt=(0, 1))(W, b, X, y), s2s.grad(loss, wrt=(0, 1), optimized=False)(W, b, X, y)):
        np.testing.assert_allclose(a, e, rtol=1e-13, atol=0)


def _rescaled(x):   # the output's name is the seed's: `dy`, a parameter the backward sweep stores again
    y = x[0] * 1.0
    r = x * 2.0
    y = y * np.sum(r ** 2)
    return y


def test_copy_propagation_does_not_take_a_parameter_stored_again_for_one_bound_once():
    # `dy_1 = dy; dy = dy_1 * t; dt = dy_1 * y`: dy (the seed, a parameter) was taken as bound once, and dy_1
    # replaced by it after dy was rebound: a silently wrong gradient (session 14, found by tests of try paths)
    from tests.test_real_programs import check_all
    x = np.array([0.9, 1.7])
    want = np.array([1.0, 0.0]) * np.sum((2 * x) ** 2) + x[0] * 8 * x
    np.testing.assert_allclose(s2s.grad(_rescaled)(x), want, rtol=1e-12)
    check_all(_rescaled, x)
