"""Out-of-core, distributed gradients: logistic regression and least squares over Dask arrays.

The loss functions below are ordinary NumPy code. Called with Dask arrays, NumPy's functions dispatch
to Dask (``__array_function__``), and so does the gradient s2s generates from them: it is one lazy
Dask graph, computed chunk by chunk on a ``dask.distributed`` cluster when asked, so the data never
has to fit in memory. This script starts its own LocalCluster (2 workers, each with a memory limit
far below the data size), then

1. prints the generated gradient and checks that it stays lazy until ``.compute()``;
2. checks it against the NumPy gradient (and finite differences) on a sample small enough to hold;
3. fits the logistic regression with ``scipy.optimize.minimize(..., jac=True)``, the value and the
   gradient of each step coming from a single ``dask.compute`` (one pass over the data);
4. fits a small least-squares problem the same way and compares it with the normal equations;
5. reports the peak memory of each worker process.

    pip install -e ".[dask]"
    python examples/dask_logreg.py                       # 10^8 rows (about 8 GB of features)
    python examples/dask_logreg.py --rows 200000         # seconds
"""
import argparse
import inspect
import resource
import sys
import time

import numpy as np

import s2s


def logistic_loss(w, X, y):
    """Mean negative log-likelihood of a logistic regression (labels y in {0, 1})."""
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z)


def least_squares(w, X, y):
    """Half the mean squared residual of a linear model."""
    r = X @ w - y
    return 0.5 * np.mean(r * r)


def make_data(rows, features, chunk_rows, seed=0):
    """Features and labels generated lazily, chunk by chunk, on the workers (never on the client)."""
    import dask.array as da
    rng = da.random.default_rng(seed)
    X = rng.standard_normal((rows, features), chunks=(chunk_rows, features))
    w_true = np.linspace(-1.0, 1.0, features)
    z = X @ w_true
    y_cls = (rng.random(rows, chunks=chunk_rows) < 1.0 / (1.0 + np.exp(-z))).astype(np.float64)
    y_reg = z + 0.5 * rng.standard_normal(rows, chunks=chunk_rows)
    return X, y_cls, y_reg, w_true


def peak_rss_mib():
    """This process's peak resident memory (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fit(loss, X, y, w0, maxiter):
    """scipy.optimize.minimize with s2s's value_and_grad: one dask.compute per step."""
    import dask
    import dask.array as da
    from scipy.optimize import minimize
    value_and_grad = s2s.value_and_grad(loss)
    passes = []

    def fun(w):
        value, grad = value_and_grad(da.from_array(w), X, y)   # lazy: a graph, nothing computed yet
        t = time.perf_counter()
        value, grad = dask.compute(value, grad)                # one pass over the data for both
        passes.append(time.perf_counter() - t)
        return float(value), np.asarray(grad)

    res = minimize(fun, w0, jac=True, method="L-BFGS-B", options={"maxiter": maxiter})
    return res, passes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000_000, help="data rows (default 10^8)")
    ap.add_argument("--features", type=int, default=10)
    ap.add_argument("--chunk-rows", type=int, default=None, help="rows per chunk (default: rows/100, at most 10^6)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="1GiB", help="per worker (default 1GiB)")
    ap.add_argument("--maxiter", type=int, default=15, help="L-BFGS iterations per fit")
    args = ap.parse_args(argv)
    chunk_rows = args.chunk_rows or max(1, min(1_000_000, args.rows // 100))

    import dask
    import dask.array as da
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, memory_limit=args.memory_limit,
                           processes=True, dashboard_address=None)
    client = Client(cluster)
    ok = True
    try:
        X, y_cls, y_reg, w_true = make_data(args.rows, args.features, chunk_rows)
        data_gib = X.nbytes / 2**30
        print(f"data: X {X.shape} float64 = {data_gib:.2f} GiB in {X.numblocks[0]} chunks of {chunk_rows} rows; "
              f"{args.workers} workers with memory_limit={args.memory_limit} each")

        # 1. the generated gradient, and what it returns for Dask arrays: a lazy graph
        grad = s2s.grad(logistic_loss)
        print(inspect.getsource(grad))
        w0 = np.zeros(args.features)
        g = grad(da.from_array(w0), X, y_cls)
        print(f"gradient: {type(g).__module__}.{type(g).__name__}, shape {g.shape}, "
              f"a lazy graph of {len(g.__dask_graph__())} tasks (nothing computed yet)")

        # 2. the same gradient on a sample that fits in memory: Dask vs NumPy vs finite differences
        m = min(args.rows, 20_000)
        Xs, ys = X[:m].compute(), y_cls[:m].compute()
        ws = np.linspace(0.3, -0.2, args.features)
        g_dask = grad(da.from_array(ws), da.from_array(Xs, chunks=(max(1, m // 4), args.features)),
                      da.from_array(ys, chunks=max(1, m // 4))).compute()
        g_np = grad(ws, Xs, ys)
        g_fd = s2s.numeric_grad(logistic_loss)(ws, Xs, ys)
        err_np, err_fd = np.max(np.abs(g_dask - g_np)), np.max(np.abs(g_np - g_fd))
        good = err_np < 1e-12 and err_fd < 1e-7
        ok &= good
        print(f"sample of {m} rows: |dask - numpy| = {err_np:.1e}, |numpy - finite differences| = {err_fd:.1e}  "
              f"{'ok' if good else 'FAIL'}")

        # 3. logistic regression: value and gradient from one dask.compute per step
        t = time.perf_counter()
        res, passes = fit(logistic_loss, X, y_cls, w0, args.maxiter)
        err = np.max(np.abs(res.x - w_true))
        tol = max(0.05, 20 / np.sqrt(args.rows))
        good = err < tol
        ok &= good
        print(f"logistic regression: {res.nfev} passes over the data in {time.perf_counter() - t:.1f} s "
              f"({np.mean(passes):.1f} s each), loss {res.fun:.6f}, |grad| {np.max(np.abs(res.jac)):.1e}")
        print(f"  w      = {np.array2string(res.x, precision=3)}")
        print(f"  w_true = {np.array2string(w_true, precision=3)}   max |w - w_true| = {err:.3f}  "
              f"{'ok' if good else 'FAIL'} (< {tol:.3f})")

        # 4. least squares, checked against the normal equations (X'X w = X'y, computed by Dask too)
        t = time.perf_counter()
        res, passes = fit(least_squares, X, y_reg, w0, args.maxiter)
        XtX, Xty = dask.compute(X.T @ X, X.T @ y_reg)
        w_star = np.linalg.solve(XtX, Xty)
        err = np.max(np.abs(res.x - w_star))
        good = err < 1e-4
        ok &= good
        print(f"least squares: {res.nfev} passes in {time.perf_counter() - t:.1f} s, "
              f"max |w - w_normal_equations| = {err:.1e}  {'ok' if good else 'FAIL'}")

        # 5. memory: every worker's peak resident set, against its limit
        peaks = client.run(peak_rss_mib)
        limit = dask.utils.parse_bytes(args.memory_limit) / 2**20
        good = all(p < limit for p in peaks.values())
        ok &= good
        print("peak worker memory: " + ", ".join(f"{p:.0f} MiB" for p in peaks.values())
              + f" (limit {limit:.0f} MiB each; data {data_gib * 1024:.0f} MiB)  {'ok' if good else 'FAIL'}")
        print(f"client peak memory: {peak_rss_mib():.0f} MiB")
    finally:
        client.close()
        cluster.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
