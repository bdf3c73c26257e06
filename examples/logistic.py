"""The derivative of the logistic function, elementwise over an array.

The derivative is generated from the function's source (no finite
differences, as scipy.misc.derivative used, and no tape, as PyTorch's
y.backward(torch.ones(10))); a scalar seed on an array output means
ones, so s2s.grad gives the elementwise derivative, y * (1 - y).

    python examples/logistic.py
"""
import inspect
import sys

import numpy as np

import s2s


def logistic(x):
    return 1 / (1 + np.exp(-x))


def logistic_derivative(y):
    """The closed form: d/dx logistic(x) = y * (1 - y), where y = logistic(x)."""
    return y * (1 - y)


def check(name, got, want, tol=1e-10):
    ok = np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=tol, atol=tol)
    print(f"{'ok  ' if ok else 'FAIL'} {name}")
    if not ok:
        sys.exit(f"{name}: got {got!r}, want {want!r}")


def main():
    dlogistic = s2s.grad(logistic)

    x = np.arange(10.0)
    y = logistic(x)
    got = dlogistic(x)
    want = logistic_derivative(y)
    print("x                    :", x)
    print("s2s.grad(logistic)(x):", got)
    print("y * (1 - y)          :", want)
    print("central differences  :", s2s.numeric_grad(logistic)(x))
    print("max abs difference   :", np.max(np.abs(got - want)))
    check("elementwise derivative equals y * (1 - y)", got, want)

    # x = np.arange(10) holds integers; the gradient is still floats.
    g_int = dlogistic(np.arange(10))
    print("dtype for an integer array:", g_int.dtype)
    check("integer array input", g_int, want)
    check("a float gives a float", dlogistic(0.0), 0.25)

    print()
    print("generated source:")
    print(inspect.getsource(dlogistic))


if __name__ == "__main__":
    main()
