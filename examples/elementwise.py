"""The derivative of f(a) = a**2 + 2a + 1 at every element of an array.

f'(a) = 2a + 2, so at [1, 2, 3, 4, 5] it is [4, 6, 8, 10, 12]. This is the
derivative of the function itself, exactly, not np.gradient's estimate
from sampled values; a scalar seed on an array output means ones, so
s2s.grad(f) gives it elementwise. Then a function of two variables,
f(x, y) = x**2 + y**2 on a grid, whose gradient is (2x, 2y).

    python examples/elementwise.py
"""
import inspect
import sys

import numpy as np

import s2s


def f(a):
    return a ** 2 + 2 * a + 1


def total(a):
    """PyTorch's f(x).sum(): a scalar, whose gradient is the same array."""
    return np.sum(f(a))


def f2(x, y):
    return x ** 2 + y ** 2


def check(name, got, want, tol=1e-10):
    ok = np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=tol, atol=tol)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {np.asarray(got)!r}")
    if not ok:
        sys.exit(f"{name}: got {got!r}, want {want!r}")


def main():
    x = np.array([1.0, 2, 3, 4, 5])
    df = s2s.grad(f)
    check("elementwise f'(x)", df(x), [4, 6, 8, 10, 12])
    check("an integer array gives float derivatives", df(np.array([1, 2, 3, 4, 5])), [4, 6, 8, 10, 12])
    check("gradient of f(x).sum()", s2s.grad(total)(x), 2 * x + 2)

    xx, yy = np.meshgrid(np.linspace(-5, 5, 10), np.linspace(-5, 5, 10))
    gx, gy = s2s.grad(f2, wrt=(0, 1))(xx, yy)
    check("d/dx of x**2 + y**2 on a grid", gx, 2 * xx)
    check("d/dy of x**2 + y**2 on a grid", gy, 2 * yy)

    print()
    print("generated source:")
    print(inspect.getsource(df))


if __name__ == "__main__":
    main()
