"""Newton's method on the Rosenbrock function, with s2s.grad and s2s.hessian.

    f(x) = sum(100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2),  minimum f(1, ..., 1) = 0

Each Newton step solves H(x) p = -g(x). The gradient is reverse mode; the
Hessian is built column by column from a Hessian-vector product generated
as forward mode over the generated gradient (s2s.hvp), so every derivative
here is generated Python source. A backtracking line search keeps the
steps safe from the classic starting point (-1.2, 1), then the same code
runs in six dimensions.

    python examples/newton_rosenbrock.py
"""
import sys

import numpy as np

import s2s


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def analytic_hessian(x):
    n = len(x)
    H = np.zeros((n, n))
    for i in range(n - 1):
        H[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
        H[i + 1, i + 1] += 200
        H[i, i + 1] = H[i + 1, i] = -400 * x[i]
    return H


def check(name, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not ok:
        sys.exit(f"{name} failed {detail}")


def newton(f, x, tol=1e-10, max_iter=100):
    grad, hess = s2s.grad(f), s2s.hessian(f)
    for it in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) < tol:
            return x, it
        H = hess(x)
        p = np.linalg.solve(H, -g)
        if g @ p >= 0:             # not a descent direction (H indefinite): use steepest descent
            p = -g
        t, fx = 1.0, f(x)
        while f(x + t * p) > fx + 1e-4 * t * (g @ p):
            t *= 0.5
        x = x + t * p
        print(f"  iter {it:2d}  f = {f(x):.3e}  |g| = {np.linalg.norm(grad(x)):.3e}  step = {t:g}")
    return x, max_iter


def main():
    for x0 in (np.array([-1.2, 1.0]), np.array([0.2, -0.4, 1.3, 0.8, 1.6, 0.5])):
        H = s2s.hessian(rosenbrock)(x0)
        check(f"hessian equals the analytic Hessian at x0 (n = {len(x0)})",
              np.allclose(H, analytic_hessian(x0), rtol=1e-12), f"shape {H.shape}")
        print("Newton's method from", x0)
        x, iters = newton(rosenbrock, x0)
        check("converged to the minimum (1, ..., 1)", np.allclose(x, 1.0, atol=1e-8),
              f"{iters} iterations, x = {np.round(x, 10)}")
        check("fewer than 50 Newton iterations", iters < 50, str(iters))
        print()

    print("generated source of the Hessian-vector product s2s.hvp(rosenbrock):")
    print(s2s.source(s2s.hvp(rosenbrock)))


if __name__ == "__main__":
    main()
