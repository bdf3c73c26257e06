#!/usr/bin/env python
"""What a Hessian-vector product costs, as a ratio to one gradient (one process).

    python benchmarks/hvp_cost.py [--quick]

For each workload: the primal f, the generated gradient grad(f), and the
generated HVP hvp(f) (forward mode over the generated gradient, both as
source). Each time is the median over repeats of an adaptive number of
calls (time.perf_counter), the three interleaved so machine noise hits
them alike. The interesting column is hvp / grad: forward over reverse
should cost a small constant times one gradient (theory: about 2-3x, the
tangent of every gradient statement costs about as much as the statement).
For reference, "2 grads" is what an HVP by central differences of the
gradient would cost.
"""
import argparse
import math
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

import s2s  # noqa: E402


# ---------------------------------------------------------------- workloads

def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def logreg(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)) + 1e-3 * np.sum(w * w)


def mlp(W1, W2, X, T):
    h = np.tanh(X @ W1)
    out = h @ W2
    return 0.5 * np.sum((out - T) ** 2) / X.shape[0]


def scalar_loop(x, a):
    y = a
    for i in range(300):
        u = math.sin(x * y)
        v = np.tanh(y) * 0.5
        y = y * 0.9 + u * 0.1 + math.exp(-v * v) * 0.01
    return y


def rnn(W, U, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t] @ U)
    return np.sum(h * h)


def workloads():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 40))
    y = (rng.random(500) < 0.5) * 1.0
    Xm, T = rng.standard_normal((128, 32)), rng.standard_normal((128, 10))
    xs = rng.standard_normal((20, 16, 8))
    return [
        ("rosenbrock n=1000", rosenbrock, (rng.standard_normal(1000),), 0),
        ("logreg 500x40", logreg, (rng.standard_normal(40) * 0.1, X, y), 0),
        ("mlp 128x32x16x10", mlp, (rng.standard_normal((32, 16)) * 0.3, rng.standard_normal((16, 10)) * 0.3, Xm, T), (0, 1)),
        ("scalar loop x300", scalar_loop, (0.7, 0.3), (0, 1)),
        ("rnn T=20 16x8->12", rnn, (rng.standard_normal((12, 12)) * 0.3, rng.standard_normal((8, 12)) * 0.3, xs,
                                    np.zeros((16, 12))), (0, 1)),
    ]


# ---------------------------------------------------------------- timing

def _loops_for(fn, budget):
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt > budget or n > 1e6:
            return max(1, int(n * budget / max(dt, 1e-9)))
        n *= 2


def measure(calls, repeats, budget):
    """Median seconds per call of each of ``calls`` (interleaved repeats)."""
    loops = [_loops_for(c, budget) for c in calls]
    samples = [[] for _ in calls]
    for _ in range(repeats):
        for i, (c, n) in enumerate(zip(calls, loops)):
            t0 = time.perf_counter()
            for _ in range(n):
                c()
            samples[i].append((time.perf_counter() - t0) / n)
    return [statistics.median(s) for s in samples]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    args = ap.parse_args(argv)
    repeats, budget = (5, 0.02) if args.quick else (15, 0.1)
    rng = np.random.default_rng(1)
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}, medians of {repeats} repeats, one process")
    print(f"{'workload':20s} {'primal':>10s} {'grad':>10s} {'hvp':>10s} {'grad/primal':>12s} {'hvp/grad':>9s}")
    ratios = []
    for name, f, fargs, wrt in workloads():
        idx = list(wrt) if isinstance(wrt, tuple) else [wrt]
        g = s2s.grad(f, wrt=wrt)
        h = s2s.hvp(f, wrt=wrt)
        vs = [rng.standard_normal(np.shape(fargs[i])) if np.ndim(fargs[i]) else 0.5 for i in idx]
        # the HVP agrees with central differences of the gradient before it is timed
        eps = 1e-6
        plus = [a + eps * vs[idx.index(i)] if i in idx else a for i, a in enumerate(fargs)]
        minus = [a - eps * vs[idx.index(i)] if i in idx else a for i, a in enumerate(fargs)]
        gp, gm, hv = g(*plus), g(*minus), h(*fargs, *vs)
        gp, gm, hv = (list(t) if isinstance(t, tuple) else [t] for t in (gp, gm, hv))
        for a, b, c in zip(gp, gm, hv):
            assert np.allclose((np.asarray(a) - np.asarray(b)) / (2 * eps), c, rtol=1e-4, atol=1e-6), name
        tp, tg, th = measure([lambda: f(*fargs), lambda: g(*fargs), lambda: h(*fargs, *vs)], repeats, budget)
        ratios.append(th / tg)
        print(f"{name:20s} {tp * 1e6:8.1f}us {tg * 1e6:8.1f}us {th * 1e6:8.1f}us {tg / tp:12.2f} {th / tg:9.2f}")
    print(f"hvp/grad: median {statistics.median(ratios):.2f}, range {min(ratios):.2f}-{max(ratios):.2f}"
          " (central differences of the gradient: 2 grads)")


if __name__ == "__main__":
    main()
