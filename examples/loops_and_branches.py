"""Loops, branches and in-place writes: what the generated gradients look like.

    python examples/loops_and_branches.py
    python -m s2s examples/loops_and_branches.py:series
"""
import math

import numpy as np

import s2s


def series(x):
    s = 0.0
    for i in range(1, 50):
        s = s + math.sin(x * i) / i
    return s


def piecewise(x):
    if x > 1.0:
        y = x * x
    else:
        y = 2.0 * x - 1.0
    return y


def running_product(x):
    p = 1.0
    for v in x:
        if v > 0.0:
            p = p * v
    return p


def fill(x):
    n = x.shape[0]
    S = np.zeros((n, 3))
    for i in range(n):
        S[i, 0] = x[i]
        S[i, 2] = 1.0
        S[i, 1] = S[i, 0] * x[i]
    return np.sum(S ** 2)


if __name__ == "__main__":
    x = np.array([0.5, -1.0, 2.0])
    for f, arg in [(series, 0.3), (piecewise, 1.5), (running_product, x), (fill, x)]:
        df = s2s.grad(f, verbose=1)
        s2s.check_grad(f, arg)          # raises if s2s disagrees with finite differences
        print(f"{f.__name__}: gradient at {arg!r} = {df(arg)!r}\n")
