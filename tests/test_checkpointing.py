"""Checkpointed loops (s2s/checkpointing.py): bounded memory, gradients bit-for-bit those of store-all."""
import math
import re

import numpy as np
import pytest

import s2s
from s2s.checkpointing import plan, parse_memory, schedule


# ----------------------------------------------------------------------------- programs

def recurrence(x, n):
    s = x
    for i in range(n):
        s = s + 0.01 * np.sin(s) * s
    return np.sum(s)


def inplace(x, n):
    y = x * 1.0
    for i in range(n):
        y[i % 3] = y[(i + 1) % 3] * np.sin(y[i % 3]) + 0.1
    return np.sum(y ** 2)


def nested(x, n):
    s = x
    for i in range(n):
        for j in range(3):
            s = s * 0.9 + np.cos(s) * 0.01 * j
    return np.sum(s)


def early_exit(x, n):
    s = x
    for i in range(n):
        s = s * 1.1
        if np.sum(s) > 50.0:
            break
    return np.sum(s)


def skips(x, n):
    s = x
    for i in range(n):
        if i % 2 == 0:
            continue
        s = s * np.cos(s)
    return np.sum(s)


def returns_early(x, n):
    s = x
    for i in range(n):
        s = s * np.cos(s)
        if np.sum(s) < 0.5:
            return np.sum(s) * 2.0
    return np.sum(s)


def _cell(s, a):
    return s + a * np.sin(s)


def with_helper(x, n):
    s = x
    for i in range(n):
        s = _cell(s, 0.01)
    return np.sum(s)


def collects(x, n):
    out = [x]
    s = x
    for i in range(n):
        s = s * 0.5 + 1.0
        out.append(s)
    return np.sum(out[-1] * out[0])


def branchy(x, n):
    s = x
    for i in range(n):
        if i % 2 == 0:
            s = np.tanh(s) + 0.1 * s
        else:
            s = s * np.cos(s)
    return np.sum(s * s)


def rnn(h, W, xs):
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h)


def marked(x, n):
    s = x
    with s2s.checkpoint(snapshots=3):
        for i in range(n):
            s = s + 0.01 * np.sin(s) * s
    return np.sum(s)


def marked_auto(x, n):
    s = x
    with s2s.checkpoint(memory="100B"):
        for i in range(n):
            s = s + 0.01 * np.sin(s) * s
    return np.sum(s)


PROGRAMS = [recurrence, inplace, nested, early_exit, with_helper, collects, branchy, skips, returns_early]
X = np.linspace(0.1, 1.0, 3)


@pytest.mark.parametrize("f", PROGRAMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("c", [1, 2, 3, 7, 100])
@pytest.mark.parametrize("n", [0, 1, 2, 13, 40])
def test_bit_for_bit_with_store_all(f, c, n):
    want = s2s.grad(f)(X.copy(), n)
    got = s2s.grad(f, checkpoints=c)(X.copy(), n)
    assert np.array_equal(got, want), (got, want)


@pytest.mark.parametrize("f", PROGRAMS, ids=lambda f: f.__name__)
def test_against_finite_differences(f):
    got = s2s.grad(f, checkpoints=3)(X.copy(), 17)
    want = s2s.numeric_grad(f)(X.copy(), 17)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_loops_are_rewritten():
    """The eligible loops really are checkpointed (not left as they were)."""
    for f in PROGRAMS:
        src = s2s.grad(f, checkpoints=3).s2s_source
        assert re.search(r"for action\w*, j\w*, k\w* in ", src), f.__name__
        assert "snapshots = [" in src, f.__name__
        stops = f in (early_exit, returns_early)   # a loop that may stop early: the trip count is known at its end
        assert ("checkpoint_split(r, 3)" in src) != stops, f.__name__
        assert ("checkpoint_schedule(len(r[:n_iter]), 3)" in src) == stops, f.__name__


def test_rnn_both_arguments():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((4, 4)) * 0.5
    xs = rng.standard_normal((30, 4))
    h = rng.standard_normal(4)
    want = s2s.grad(rnn, wrt=(0, 1))(h, W, xs)
    for c in (2, 5):
        got = s2s.grad(rnn, wrt=(0, 1), checkpoints=c)(h, W, xs)
        assert all(np.array_equal(a, b) for a, b in zip(got, want))


def test_value_and_grad():
    v, g = s2s.value_and_grad(recurrence, checkpoints=4)(X, 25)
    v0, g0 = s2s.value_and_grad(recurrence)(X, 25)
    assert v == v0 and np.array_equal(g, g0)


def test_inputs_unchanged():
    x = X.copy()
    s2s.grad(inplace, checkpoints=2)(x, 11)
    assert np.array_equal(x, X)


def test_with_block():
    assert np.array_equal(s2s.grad(marked)(X, 30), s2s.grad(recurrence)(X, 30))
    src = s2s.grad(marked).s2s_source
    assert "checkpoint_split(r, 3)" in src
    assert marked(X, 5) == recurrence(X, 5)   # in the primal the block does nothing
    # forward mode and hvp ignore the block
    np.testing.assert_allclose(s2s.jvp(marked)(X, 30, np.ones(3)), s2s.jvp(recurrence)(X, 30, np.ones(3)))
    np.testing.assert_allclose(s2s.hvp(marked)(X, 30, np.ones(3)), s2s.hvp(recurrence)(X, 30, np.ones(3)))


def test_forward_over_checkpointed_gradient():
    """Forward mode differentiates the checkpointed gradient too (a Hessian-vector product)."""
    v = np.array([1.0, -0.5, 2.0])
    got = s2s.jvp(s2s.grad(recurrence, checkpoints=3))(X, 20, v)
    np.testing.assert_allclose(got, s2s.hvp(recurrence)(X, 20, v), rtol=1e-10)


def test_auto_decides_at_run_time():
    src = s2s.grad(marked_auto).s2s_source
    assert "checkpoint_plan(" in src
    for n in (0, 1, 3, 40):   # 100 bytes: 3 iterations of 24 bytes fit, 40 do not
        assert np.array_equal(s2s.grad(marked_auto)(X, n), s2s.grad(recurrence)(X, n))
    g = s2s.grad(recurrence, checkpoints="auto", memory="1KB")
    assert np.array_equal(g(X, 500), s2s.grad(recurrence)(X, 500))


def test_bad_options_and_blocks():
    with pytest.raises(ValueError):
        s2s.grad(recurrence, checkpoints=0)
    with pytest.raises(ValueError):
        s2s.grad(recurrence, checkpoints="many")
    with pytest.raises(ValueError):
        s2s.grad(recurrence, memory="1GB")
    with pytest.raises(ValueError):
        parse_memory("lots")


def _two_loops_in_block(x, n):
    s = x
    with s2s.checkpoint(snapshots=2):
        s = s * 2.0
        for i in range(n):
            s = s * 1.1
    return np.sum(s)


def _overwritten_after(x, n):
    s = x
    a = x * 2.0
    with s2s.checkpoint(snapshots=2):
        for i in range(n):
            s = s * a
    a = a + 1.0
    return np.sum(s * a)


def test_refusals_are_located():
    with pytest.raises(s2s.DifferentiationError, match="exactly one `for` loop"):
        s2s.grad(_two_loops_in_block)
    with pytest.raises(s2s.DifferentiationError, match="cannot be checkpointed"):
        s2s.grad(_overwritten_after)


# ----------------------------------------------------------------------------- the schedule

def _simulate(n, c):
    """Run the schedule on a counter state; return (reversed order, max snapshots, advances)."""
    snaps = [0]
    state = None
    order, most, advances = [], 1, 0
    for action, j, k in schedule(n, c):
        if action == "restore":
            state = snaps[-1]
            assert state == j
        elif action == "advance":
            assert state == j
            state = k
            advances += k - j
        elif action == "take":
            assert state == j
            snaps.append(state)
            most = max(most, len(snaps))
        elif action == "free":
            snaps.pop()
        else:
            assert action == "step" and state == j
            order.append(j)
            state = None
    return order, most, advances


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 57, 1000])
@pytest.mark.parametrize("c", [1, 2, 3, 10, 50])
def test_schedule_reverses_every_step_once_within_the_slots(n, c):
    order, most, advances = _simulate(n, c)
    assert order == list(range(n - 1, -1, -1))
    assert most <= c
    if c > 1 and n > 1:   # binomial: about t recomputations per step, t the smallest with C(c + t, c) >= n
        t = next(t for t in range(1, n + 1) if math.comb(c - 1 + t, c - 1) >= n)
        assert advances <= t * n


def test_plan():
    assert plan(range(10), (np.zeros(3),), 5, None) == 5
    assert plan(range(10), (np.zeros(3),), "auto", "1KB") is None          # 240 bytes fit
    assert plan(range(1000), (np.zeros(3),), "auto", "1KB") == 1000 // 24  # as many snapshots as fit


# ----------------------------------------------------------------------------- draws and effects are not recomputed

def _noisy(x):
    for t in range(10):
        x = x + 0.1 * np.random.normal() * x
    return x


def _dropout(h, rs):
    return h * (rs.rand(*np.shape(h)) > 0.3)


def _dropout_loop(x, rs):
    for t in range(5):
        x = np.tanh(_dropout(x, rs) + 0.5)
    return np.sum(x)


def _noisy_marked(x):
    with s2s.checkpoint(snapshots=2):
        for t in range(10):
            x = x + 0.1 * np.random.normal() * x
    return x


def test_loops_that_draw_random_numbers_are_not_recomputed():
    """Recomputing would draw new numbers (a wrong gradient): such loops store every iteration."""
    np.random.seed(0)
    want = s2s.grad(_noisy)(1.0)
    np.random.seed(0)
    assert s2s.grad(_noisy, checkpoints=2)(1.0) == want
    assert "checkpoint_" not in s2s.grad(_noisy, checkpoints=2).s2s_source
    want = s2s.grad(_dropout_loop)(X, np.random.RandomState(1))
    assert np.array_equal(s2s.grad(_dropout_loop, checkpoints=2)(X, np.random.RandomState(1)), want)
    assert "checkpoint_" not in s2s.grad(_dropout_loop, checkpoints=2).s2s_source
    assert "checkpoint_" in s2s.grad(with_helper, checkpoints=2).s2s_source   # a pure helper is recomputed
    with pytest.raises(s2s.DifferentiationError, match="np.random.normal"):
        s2s.grad(_noisy_marked)
