"""The Jacobian of a vector ODE right-hand side, used by an implicit (stiff) solver.

Robertson's chemical kinetics problem is the classic stiff system:

    y1' = -0.04 y1 + 1e4 y2 y3
    y2' =  0.04 y1 - 1e4 y2 y3 - 3e7 y2^2
    y3' =  3e7 y2^2

Explicit methods need absurdly small steps; backward Euler with Newton's
method takes large ones, but needs the Jacobian of the right-hand side.
s2s.jacobian(rhs) gives it with shape out.shape + y.shape = (3, 3): forward
mode (one generated jvp per input) when there are fewer inputs than
outputs, reverse mode (one generated gradient per output) otherwise; both
are checked against the analytic Jacobian here. The Jacobian with respect
to the rate constants (3 x 3 as well) is the sensitivity matrix.

    python examples/jacobian_ode.py
"""
import sys

import numpy as np

import s2s


def robertson(y, k):
    r1 = k[0] * y[0]
    r2 = k[1] * y[1] * y[2]
    r3 = k[2] * y[1] * y[1]
    return np.array([-r1 + r2, r1 - r2 - r3, r3])


def analytic_jacobian(y, k):
    return np.array([[-k[0], k[1] * y[2], k[1] * y[1]],
                     [k[0], -k[1] * y[2] - 2 * k[2] * y[1], -k[1] * y[1]],
                     [0.0, 2 * k[2] * y[1], 0.0]])


def check(name, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not ok:
        sys.exit(f"{name} failed {detail}")


def backward_euler(rhs, jac, y, k, t_end, h, h_max=0.05):
    """Backward Euler with Newton iterations; the step doubles (up to h_max) while Newton converges fast."""
    t, steps, newton_iters = 0.0, 0, 0
    while t < t_end - 1e-12:
        h = min(h, t_end - t)
        z = y.copy()
        for it in range(20):                   # solve z - y - h f(z) = 0
            F = z - y - h * rhs(z, k)
            J = np.eye(len(y)) - h * jac(z, k)
            dz = np.linalg.solve(J, -F)
            z = z + dz
            newton_iters += 1
            if np.linalg.norm(dz) < 1e-12 * (1 + np.linalg.norm(z)):
                break
        y, t, steps = z, t + h, steps + 1
        if it < 4:
            h = min(2.0 * h, h_max)
    return y, steps, newton_iters


def main():
    k = np.array([0.04, 1e4, 3e7])
    y = np.array([0.9, 1e-5, 0.1])

    J_auto = s2s.jacobian(robertson)(y, k)
    J_fwd = s2s.jacobian(robertson, mode="forward")(y, k)
    J_rev = s2s.jacobian(robertson, mode="reverse")(y, k)
    J = analytic_jacobian(y, k)
    check("jacobian has shape out.shape + y.shape", J_auto.shape == (3, 3), str(J_auto.shape))
    check("forward-mode Jacobian equals the analytic one", np.allclose(J_fwd, J, rtol=1e-13))
    check("reverse-mode Jacobian equals the analytic one", np.allclose(J_rev, J, rtol=1e-13))
    check("jacobian(mode='auto') equals both", np.allclose(J_auto, J, rtol=1e-13))
    check("mass is conserved: the columns of J sum to zero", np.allclose(J.sum(axis=0), 0.0))

    S = s2s.jacobian(robertson, wrt=1)(y, k)     # sensitivity to the rate constants
    check("sensitivity d rhs / d k", np.allclose(S, [[-y[0], y[1] * y[2], 0], [y[0], -y[1] * y[2], -y[1] ** 2],
                                                   [0, 0, y[1] ** 2]], rtol=1e-13))

    jac = s2s.jacobian(robertson)
    y0 = np.array([1.0, 0.0, 0.0])
    y40, steps, iters = backward_euler(robertson, jac, y0, k, 40.0, 1e-4)
    print(f"backward Euler to t = 40: {steps} steps, {iters} Newton iterations, y = {y40}")
    check("mass conserved along the solution", abs(y40.sum() - 1.0) < 1e-10, f"sum = {y40.sum():.15f}")
    ref = np.array([0.7158270687, 9.185534764e-6, 0.2841637457])   # reference solution at t = 40
    check("close to the reference solution at t = 40 (first-order method)",
          np.allclose(y40, ref, rtol=2e-2), f"rel. error {np.max(np.abs(y40 - ref) / ref):.2e}")

    print()
    print("generated source of the forward-mode function the Jacobian uses:")
    print(s2s.source(s2s.value_and_jvp(robertson)))


if __name__ == "__main__":
    main()
