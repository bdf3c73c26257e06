"""Newton-CG on a small logistic regression, with Hessian-vector products only.

    loss(w) = mean(log(1 + exp(-y * (X @ w)))) + lam/2 |w|^2

A Newton step solves H p = -g. Conjugate gradients needs only products
H·v, never H itself: s2s.hvp(loss) generates them as forward mode over the
generated reverse-mode gradient, at a small constant times the cost of one
gradient. The first step is compared with a direct solve using the full
s2s.hessian; then a few Newton-CG steps drive the gradient to zero.

    python examples/hvp_cg_logreg.py
"""
import sys

import numpy as np

import s2s


def loss(w, X, y, lam):
    margins = y * (X @ w)
    return np.mean(np.log(1.0 + np.exp(-margins))) + 0.5 * lam * np.sum(w * w)


def check(name, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not ok:
        sys.exit(f"{name} failed {detail}")


def conjugate_gradient(matvec, b, tol=1e-10, max_iter=100):
    """Solve A x = b for symmetric positive definite A given only x -> A x."""
    x = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rr = r @ r
    for k in range(max_iter):
        Ap = matvec(p)
        alpha = rr / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rr_new = r @ r
        if np.sqrt(rr_new) < tol:
            return x, k + 1
        p = r + (rr_new / rr) * p
        rr = rr_new
    return x, max_iter


def main():
    rng = np.random.default_rng(0)
    n, d = 200, 6
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = np.where(X @ w_true + 0.3 * rng.standard_normal(n) > 0, 1.0, -1.0)
    lam = 1e-2

    grad = s2s.grad(loss)
    hvp = s2s.hvp(loss)          # hvp(w, X, y, lam, v) = H(w) v
    w = np.zeros(d)

    # one Newton-CG step against the direct solve with the full Hessian
    g = grad(w, X, y, lam)
    p_cg, iters = conjugate_gradient(lambda v: hvp(w, X, y, lam, v), -g)
    H = s2s.hessian(loss)(w, X, y, lam)
    check("the Hessian is symmetric positive definite", np.allclose(H, H.T) and np.all(np.linalg.eigvalsh(H) > 0))
    p_direct = np.linalg.solve(H, -g)
    check("CG with generated HVPs matches the direct Newton step", np.allclose(p_cg, p_direct, rtol=1e-8, atol=1e-10),
          f"{iters} HVPs, |p| = {np.linalg.norm(p_cg):.6f}")
    v = rng.standard_normal(d)
    check("hvp(w, ..., v) == hessian(w, ...) @ v", np.allclose(hvp(w, X, y, lam, v), H @ v, rtol=1e-12))

    print("Newton-CG:")
    for step in range(8):
        g = grad(w, X, y, lam)
        gnorm = np.linalg.norm(g)
        print(f"  step {step}  loss = {loss(w, X, y, lam):.12f}  |g| = {gnorm:.3e}")
        if gnorm < 1e-12:
            break
        p, iters = conjugate_gradient(lambda v: hvp(w, X, y, lam, v), -g, tol=1e-14)
        w = w + p
    check("the gradient vanished (quadratic convergence)", np.linalg.norm(grad(w, X, y, lam)) < 1e-12,
          f"after {step} steps")
    acc = np.mean(np.sign(X @ w) == y)
    check("the fitted model classifies the training data", acc > 0.85, f"accuracy {acc:.3f}")

    print()
    print("generated source of s2s.hvp(loss):")
    print(s2s.source(hvp))


if __name__ == "__main__":
    main()
