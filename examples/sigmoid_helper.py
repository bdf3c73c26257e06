"""f = (sigmoid(x * beta) - y) ** 2, through a helper function you wrote.

Differentiating an expression graph symbolically gives a long derivative
that needs simplifying (0 * a = 0, 1 * a = a). s2s differentiates sigmoid
from its own source and its optimizer applies those identities, so the
generated code is short enough to read. The closed form, with
s = sigmoid(x * beta):

    df/dx    = 2 (s - y) s (1 - s) beta
    df/dbeta = 2 (s - y) s (1 - s) x

    python examples/sigmoid_helper.py
"""
import inspect
import sys

import numpy as np

import s2s


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def f(x, y, beta):
    return (sigmoid(x * beta) - y) ** 2


def check(name, got, want, tol=1e-10):
    ok = np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=tol, atol=tol)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {got!r} (want {want!r})")
    if not ok:
        sys.exit(f"{name}: got {got!r}, want {want!r}")


def main():
    x, y, beta = 0.7, 0.2, -1.3
    s = sigmoid(x * beta)
    check("df/dx", s2s.grad(f)(x, y, beta), 2 * (s - y) * s * (1 - s) * beta)
    check("df/dbeta", s2s.grad(f, wrt=[2])(x, y, beta), 2 * (s - y) * s * (1 - s) * x)

    # the same derivative as a computer algebra system writes it:
    # beta e^(beta x) ((2 - 2y) e^(beta x) - 2y) / (1 + e^(beta x))^3
    e = np.exp(beta * x)
    check("matches the computer-algebra form", s2s.grad(f)(x, y, beta),
          beta * e * ((2 - 2 * y) * e - 2 * y) / (1 + e) ** 3)

    both = s2s.grad(f, wrt=("x", "beta"))
    xs = np.linspace(-2, 2, 5)
    dx, dbeta = both(xs, y, beta)
    sv = sigmoid(xs * beta)
    check("over an array of x: df/dx", dx, 2 * (sv - y) * sv * (1 - sv) * beta)
    check("over an array of x: df/dbeta (summed)", dbeta, np.sum(2 * (sv - y) * sv * (1 - sv) * xs))

    print()
    print("generated source of s2s.grad(f, wrt=('x', 'beta')):")
    print(inspect.getsource(both))


if __name__ == "__main__":
    main()
