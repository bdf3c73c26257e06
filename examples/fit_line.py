"""Fit a line with scipy.optimize.minimize(..., jac=True), using s2s.value_and_grad.

Minimising a mean squared error with approx_grad=True (finite
differences) costs one evaluation per parameter per step and loses
accuracy; s2s.value_and_grad gives the value and the exact gradient
together, which is what minimize(..., jac=True) takes. The result is
compared with the least-squares answer from np.polyfit.

    python examples/fit_line.py
"""
import inspect
import sys

import numpy as np
from scipy import optimize

import s2s


def mse(params, y, x):
    w, b = params[0], params[1]
    y_hat = x * w + b
    return np.mean((y_hat - y) ** 2)


def main():
    rng = np.random.default_rng(0)
    x = np.arange(10.0)
    y = x * 20 + 9 + rng.standard_normal(10)

    vg = s2s.value_and_grad(mse)
    value, grad = vg(np.array([0.001, 0.001]), y, x)
    print("loss and gradient at (0.001, 0.001):", value, grad)
    want = (np.mean((x * 0.001 + 0.001 - y) ** 2),
            [np.mean(2 * (x * 0.001 + 0.001 - y) * x), np.mean(2 * (x * 0.001 + 0.001 - y))])
    if not (np.isclose(value, want[0]) and np.allclose(grad, want[1])):
        sys.exit(f"value_and_grad gave {(value, grad)!r}, want {want!r}")

    res = optimize.minimize(vg, np.array([0.001, 0.001]), args=(y, x), jac=True, method="L-BFGS-B")
    w, b = res.x
    w_ls, b_ls = np.polyfit(x, y, 1)
    print(f"L-BFGS-B with s2s gradients: w = {w:.6f}, b = {b:.6f}  ({res.nit} iterations, {res.nfev} evaluations)")
    print(f"least squares (np.polyfit):  w = {w_ls:.6f}, b = {b_ls:.6f}")
    if not np.allclose(res.x, [w_ls, b_ls], rtol=1e-4, atol=1e-4):
        sys.exit("the fit does not match least squares")
    print("ok   the fit matches least squares")

    print()
    print("generated source of s2s.grad(mse):")
    print(inspect.getsource(s2s.grad(mse)))


if __name__ == "__main__":
    main()
