"""A linear-regression loss and its gradient, vectorised and with Python loops.

    h(x) = theta0 + theta1 * x
    J(theta0, theta1) = 1/(2m) * sum_i (h(x_i) - y_i)**2
    dJ/dtheta0 = 1/m * sum_i (h(x_i) - y_i)
    dJ/dtheta1 = 1/m * sum_i (h(x_i) - y_i) * x_i

On the data below at theta = (0, 0): loss 227.58333333333334, gradient
(-20.5, -81.66666666666666). Written out by hand it is SG() below; s2s
generates it from the loss, whether the loss is vectorised or a Python
loop over lists.

    python examples/linear_regression.py
"""
import inspect
import sys

import numpy as np

import s2s

X = [1, 2, 3, 4, 5, 6]
Y = [13, 14, 20, 21, 25, 30]


def h_x(theta0, theta1, x):
    return theta0 + theta1 * x


# vectorised with NumPy
def loss(theta0, theta1, X, Y):
    y_pre = h_x(theta0, theta1, X)
    return np.mean((y_pre - Y) ** 2 / 2)


# with a Python loop over lists
def loss_loop(m, theta0, theta1, X, Y):
    result = 0.0
    for i in range(0, m):
        result += (h_x(theta0, theta1, X[i]) - Y[i]) ** 2
    return result / (2 * m)


def hand_gradient(m, theta0, theta1, X, Y):
    """The gradient written out by hand, to compare with."""
    total = 0.0
    for i in range(0, m):
        total += h_x(theta0, theta1, X[i]) - Y[i]
    theta0_grad = 1.0 / m * total
    total = 0.0
    for i in range(0, m):
        total += (h_x(theta0, theta1, X[i]) - Y[i]) * X[i]
    theta1_grad = 1.0 / m * total
    return theta0_grad, theta1_grad


def check(name, got, want, tol=1e-10):
    ok = np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=tol, atol=tol)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {got!r} (want {want!r})")
    if not ok:
        sys.exit(f"{name}: got {got!r}, want {want!r}")


def main():
    m, theta0, theta1 = 6, 0.0, 0.0
    want_loss = loss_loop(m, theta0, theta1, X, Y)
    want_grad = hand_gradient(m, theta0, theta1, X, Y)
    print("loss by hand:", want_loss, "  gradient by hand:", want_grad)

    vg = s2s.value_and_grad(loss, wrt=(0, 1))
    value, grad = vg(theta0, theta1, np.array(X), np.array(Y))
    check("vectorised loss", value, 227.58333333333334)
    check("vectorised gradient", grad, (-20.5, -81.66666666666666))
    check("agrees with the hand-written gradient", grad, want_grad)

    dloss_loop = s2s.grad(loss_loop, wrt=(1, 2))
    check("loop version over lists", dloss_loop(m, theta0, theta1, X, Y), want_grad)
    check("loop version away from zero", dloss_loop(m, 1.5, 3.0, X, Y), hand_gradient(m, 1.5, 3.0, X, Y))

    print()
    print("generated source (vectorised):")
    print(inspect.getsource(s2s.grad(loss, wrt=(0, 1))))
    print("generated source (loops):")
    print(inspect.getsource(dloss_loop))


if __name__ == "__main__":
    main()
