"""Partial derivatives of x**2 + 3xy + y**2, one at a time, together, and by keyword.

    f(x, y) = x**2 + 3*x*y + y**2
    df/dx = 2x + 3y        df/dy = 3x + 2y

and SymPy's z = x**2 + y**2, dz/dy = 2y = 12 at y = 6.

    python examples/partials.py
    python -m s2s examples/partials.py:fun --wrt 0,1
"""
import inspect
import sys

import numpy as np

import s2s


def fun(x, y):
    z = x ** 2 + 3 * x * y + y ** 2
    return z


def z2(x, y):
    return x ** 2 + y ** 2


def check(name, got, want, tol=1e-10):
    ok = np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=tol, atol=tol)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {got!r} (want {want!r})")
    if not ok:
        sys.exit(f"{name}: got {got!r}, want {want!r}")


def main():
    # autograd: grad(fun)(2., 1.) == 7.0   (df/dx = 2*2 + 3*1)
    fun_grad = s2s.grad(fun)
    check("df/dx at (2, 1)", fun_grad(2.0, 1.0), 7.0)

    # at x=1, y=2: df/dx = 2 + 6 = 8 and df/dy = 3 + 4 = 7
    check("(df/dx, df/dy) at (1, 2)", s2s.grad(fun, wrt=(0, 1))(1.0, 2.0), (8.0, 7.0))

    # Tangent: grad(fun, wrt=[1]), called with keywords; one wrt gives a bare value
    df = s2s.grad(fun, wrt=[1])
    d = df(x=0, y=5)
    check("df/dy at x=0, y=5 (keywords)", d, 10.0)
    if type(d) is not float:
        sys.exit(f"the gradient of an int argument should be a float, got {type(d).__name__}")
    check("the same, wrt given by name", s2s.grad(fun, wrt="y")(0.0, 5.0), 10.0)

    # SymPy: z = x**2 + y**2, dz/dy at y = 6
    check("dz/dy at y=6", s2s.grad(z2, wrt=[1])(0.0, 6.0), 12.0)

    # the keyword-only seed (named after the output, as the printed source shows) scales the gradient
    check("seed 2.0", fun_grad(2.0, 1.0, dz=2.0), 14.0)

    print()
    print("generated source of s2s.grad(fun, wrt=(0, 1)):")
    print(inspect.getsource(s2s.grad(fun, wrt=(0, 1))))


if __name__ == "__main__":
    main()
