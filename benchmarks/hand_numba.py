"""Hand-written numba gradients of the loop workloads (the reference for ``backend="numba"``).

Written as a careful person writes them for ``numba.njit``: preallocated arrays of exactly what the
backward loop reads, no lists, the local partials folded right to left. Compiled on first call.
"""
import math

import numpy as np


def _scalar_loop_grad(x, a):
    y = a
    dy_dy = np.empty(1000)
    dy_dx = np.empty(1000)
    for i in range(1000):
        xy = x * y
        u = math.sin(xy)
        th = math.tanh(y)
        v = th * 0.5
        e = math.exp(-v * v)
        c = math.cos(xy) * 0.1
        dy_dy[i] = 0.9 + c * x - 0.01 * e * v * (1.0 - th * th)
        dy_dx[i] = c * y
        y = y * 0.9 + u * 0.1 + e * 0.01
    g = 1.0
    dx = 0.0
    for i in range(999, -1, -1):
        dx += g * dy_dx[i]
        g *= dy_dy[i]
    return dx


def _inplace_grad(x):
    n = x.shape[0]
    y = np.zeros_like(x)
    y[0] = x[0]
    for i in range(1, n):
        y[i] = 0.9 * y[i - 1] + math.sin(x[i])
    g = 2.0 * y
    for i in range(n - 1, 0, -1):
        g[i - 1] += 0.9 * g[i]
    for i in range(1, n):
        g[i] *= math.cos(x[i])
    return g


def compiled():
    """{workload: njit-compiled hand gradient} (None without numba)."""
    try:
        import numba
    except ImportError:
        return None
    sl = numba.njit(cache=False)(_scalar_loop_grad)
    return {"scalar_loop": sl, "inplace": numba.njit(cache=False)(_inplace_grad), "scalar_helper": sl}
