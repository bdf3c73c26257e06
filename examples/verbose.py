"""verbose=1 shows the generated gradient (as Tangent's verbose mode did).

verbose=1 prints the generated function when it is made; inspect.getsource
returns the same text later, and the function's lines are in linecache, so
tracebacks and pdb show them. The decorator form turns a function into its
gradient.

    python examples/verbose.py
"""
import inspect
import linecache
import sys

import numpy as np

import s2s


def f(x):
    z = x ** 2
    return z


def check(name, got, want, tol=1e-10):
    ok = np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=tol, atol=tol)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {got!r} (want {want!r})")
    if not ok:
        sys.exit(f"{name}: got {got!r}, want {want!r}")


def main():
    print("s2s.grad(f, verbose=1) prints:")
    df = s2s.grad(f, verbose=1)
    print()
    check("df(x=2)", df(x=2), 4.0)   # z' = 2 * x

    source = inspect.getsource(df)
    print("inspect.getsource(df):")
    print(source)
    filename = df.__code__.co_filename
    print("the generated code lives in", filename)
    if not linecache.getlines(filename):
        sys.exit("the generated source is not registered in linecache")
    if "def " not in source:
        sys.exit("inspect.getsource(df) gave no function definition")

    @s2s.grad
    def cube(x):
        return x * x * x

    check("@s2s.grad decorator: d/dx x**3 at 2", cube(2.0), 12.0)


if __name__ == "__main__":
    main()
