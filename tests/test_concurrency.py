"""Thread-safe, bounded, per-function caches (issue 9, "Crashes and races" and "The cache never forgets")."""
import gc
import importlib
import sys
import textwrap
import threading
import weakref

import numpy as np
import pytest

import s2s
from s2s import compiler

SOURCE = '''
import numpy as np


def poly{i}(x, y):
    return x ** 3 * y + np.sin(x) * {i}.0


def fact{i}(x, n):
    if n <= 1:
        return x
    return x * fact{i}(x, n - 1)


def make{i}(k):
    def scaled(x):
        return np.sum(x * x) * k
    return scaled
'''


def _fresh_module(tmp_path, tag, count):
    """A new module (never compiled before) with `count` copies of each function."""
    path = tmp_path / f"conc_{tag}.py"
    path.write_text("".join(textwrap.dedent(SOURCE).format(i=i) for i in range(count)))
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(f"conc_{tag}")
    finally:
        sys.path.remove(str(tmp_path))


def _race(work, threads=8):
    """Run work(t) in `threads` threads that start together; return the exceptions raised."""
    barrier = threading.Barrier(threads)
    errors = []

    def run(t):
        try:
            barrier.wait()
            work(t)
        except BaseException as e:  # noqa: BLE001 - collected and reported
            errors.append(e)

    ts = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return errors


@pytest.mark.parametrize("round_", range(3))
def test_threads_racing_first_calls(tmp_path, round_):
    count = 4
    mod = _fresh_module(tmp_path, f"race{round_}", count)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)   # switch threads as often as possible
    results = {}

    def work(t):
        for i in range(count):
            poly = getattr(mod, f"poly{i}")
            fact = getattr(mod, f"fact{i}")
            x, y = 0.7 + 0.1 * t, 1.3
            gx, gy = s2s.grad(poly, wrt=(0, 1))(x, y)
            results[("grad", t, i)] = (gx, gy, x, y)
            results[("jvp", t, i)] = (s2s.jvp(poly)(x, y, 1.0), x, y)
            results[("hvp", t, i)] = (s2s.hvp(poly)(x, y, 1.0), x, y)
            results[("fact", t, i)] = (s2s.grad(fact)(x, 4), x)

    try:
        errors = _race(work)
    finally:
        sys.setswitchinterval(old)
    assert not errors, f"{len(errors)} threads failed: {errors[0]!r}"
    for key, r in results.items():
        kind, i = key[0], key[2]
        if kind == "grad":
            gx, gy, x, y = r
            assert gx == pytest.approx(3 * x ** 2 * y + np.cos(x) * i)
            assert gy == pytest.approx(x ** 3)
        elif kind == "jvp":
            v, x, y = r
            assert v == pytest.approx(3 * x ** 2 * y + np.cos(x) * i)
        elif kind == "hvp":
            v, x, y = r
            assert v == pytest.approx(6 * x * y - np.sin(x) * i)
        else:
            v, x = r
            assert v == pytest.approx(4 * x ** 3)


def test_compiled_once_per_function(tmp_path):
    mod = _fresh_module(tmp_path, "once", 1)
    seen = []
    errors = _race(lambda t: seen.append(s2s.grad(mod.poly0)))
    assert not errors
    assert len({id(g) for g in seen}) == 1


def test_generated_functions_die_with_their_primal(tmp_path):
    mod = _fresh_module(tmp_path, "weak", 1)
    ns = {}
    exec(compile("def f(x):\n    return x * x\n", mod.__file__, "exec"), ns)   # noqa: S102
    f = mod.make0(2.0)
    g = s2s.grad(f)
    assert g(np.array([1.0, 2.0])) == pytest.approx([4.0, 8.0])
    ref_f, ref_g = weakref.ref(f), weakref.ref(g)
    del f, g
    gc.collect()
    assert ref_f() is None and ref_g() is None


def test_fresh_closure_shares_compiled_code_and_reads_its_own_cells(tmp_path):
    mod = _fresh_module(tmp_path, "share", 1)
    x = np.array([1.0, 2.0])
    f3, f5 = mod.make0(3.0), mod.make0(5.0)
    g3, g5 = s2s.grad(f3), s2s.grad(f5)
    assert g3.__code__ is g5.__code__          # no second compilation
    np.testing.assert_allclose(g3(x), 6 * x)
    np.testing.assert_allclose(g5(x), 10 * x)
    farr = mod.make0(np.array([1.0, 2.0]))     # data of another type: compiled for it
    np.testing.assert_allclose(s2s.grad(farr)(x), 2 * x * 3.0)


def test_clear_cache_clears_reverse_and_forward(tmp_path):
    mod = _fresh_module(tmp_path, "clear", 1)
    g, j = s2s.grad(mod.poly0), s2s.jvp(mod.poly0)
    assert s2s.grad(mod.poly0) is g and s2s.jvp(mod.poly0) is j
    compiler.clear_cache()
    assert s2s.grad(mod.poly0) is not g and s2s.jvp(mod.poly0) is not j
    assert s2s.grad(mod.poly0)(1.0, 2.0) == pytest.approx(g(1.0, 2.0))


def test_closure_cell_rebound_after_the_first_call_is_seen():
    k = 3.0

    def f(x):
        return x * k

    def bump():
        nonlocal k
        k = 7.0

    g, j = s2s.grad(f), s2s.jvp(f)
    assert g(2.0) == pytest.approx(3.0) and j(2.0, 1.0) == pytest.approx(3.0)
    bump()
    assert g(2.0) == pytest.approx(7.0)          # issue 9 item 4: kept 3.0
    assert j(2.0, 1.0) == pytest.approx(7.0)
    assert s2s.hvp(lambda_sq(f))(2.0, 1.0) == pytest.approx(14.0)


def lambda_sq(f):
    def h(x):
        return x * f(x)
    return h
