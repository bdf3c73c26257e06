#!/usr/bin/env python
"""Checkpointed loops: peak memory and time, store-all against binomial checkpointing.

    python benchmarks/checkpoint.py            # 10^5 steps of a 1,000-dim state, and an RNN over 10^4 steps
    python benchmarks/checkpoint.py --quick    # 10^4 steps, 10^3 RNN steps

Peak memory is measured with tracemalloc (NumPy reports its allocations to
it) in a run of its own; time is the median of a few untraced runs. Both
policies run in this one process, one after the other. The gradients are
compared for bit-for-bit equality.
"""
import argparse
import os
import statistics
import sys
import time
import tracemalloc

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

import s2s  # noqa: E402


def integrator(x, n):
    """Explicit Euler for u' = u_{i-1} - 2 u_i + u_{i+1} - u^3 (a periodic reaction-diffusion chain)."""
    dt = 0.01
    for i in range(n):
        x = x + dt * (np.roll(x, 1) + np.roll(x, -1) - 2.0 * x - x ** 3)
    return np.sum(x ** 2)


def rnn(h, W, U, xs):
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
    return np.sum(h ** 2)


def _peak(fn, *args):
    tracemalloc.start()
    tracemalloc.reset_peak()
    out = fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak


def _time(fn, *args, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(label, f, args, wrt, c, repeats):
    store = s2s.grad(f, wrt=wrt)
    ckpt = s2s.grad(f, wrt=wrt, checkpoints=c)
    g_store, m_store = _peak(store, *args)
    g_ckpt, m_ckpt = _peak(ckpt, *args)
    same = all(np.array_equal(a, b) for a, b in zip(np.atleast_1d(g_store) if wrt == 0 else g_store,
                                                     np.atleast_1d(g_ckpt) if wrt == 0 else g_ckpt))
    t_primal = _time(f, *args, repeats=repeats)
    t_store = _time(store, *args, repeats=repeats)
    t_ckpt = _time(ckpt, *args, repeats=repeats)
    print(f"| {label} | {m_store / 2**20:,.1f} MiB | {m_ckpt / 2**20:,.1f} MiB | {m_store / m_ckpt:,.0f}x less "
          f"| {t_store:.2f} s ({t_store / t_primal:.1f}x primal) | {t_ckpt:.2f} s ({t_ckpt / t_primal:.1f}x primal) "
          f"| {t_ckpt / t_store:.2f}x | {'yes' if same else 'NO'} |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--snapshots", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    n_int, n_rnn = (10 ** 4, 10 ** 3) if a.quick else (10 ** 5, 10 ** 4)
    rng = np.random.default_rng(0)
    print(f"binomial checkpointing with c = {a.snapshots} snapshots; peak memory by tracemalloc; time: median of "
          f"{a.repeats}\n")
    print("| workload | store-all peak | checkpointed peak | memory | store-all time | checkpointed time "
          "| time ratio | bit-for-bit |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    x = rng.uniform(-1, 1, 1000)
    measure(f"integrator, {n_int:,} steps, 1,000-dim state", integrator, (x, n_int), 0, a.snapshots, a.repeats)
    H = 128
    h = rng.standard_normal(H) * 0.1
    W = rng.standard_normal((H, H)) / np.sqrt(H)
    U = rng.standard_normal((H, 16)) / 4
    xs = rng.standard_normal((n_rnn, 16))
    measure(f"RNN, {n_rnn:,} steps, hidden {H}", rnn, (h, W, U, xs), (1, 2), a.snapshots, a.repeats)


if __name__ == "__main__":
    main()
