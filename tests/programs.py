"""One table of test programs, checked in both modes against finite differences.

``PROGRAMS`` is a list of ``(name, function, args, wrt)``: reverse-mode tests
compare ``s2s.grad(function, wrt)(*args)`` with ``s2s.numeric_grad``;
forward-mode tests compare ``s2s.jvp(function, wrt)(*args, *tangents)``
with the finite-difference directional derivative along random tangents.
Every function is defined in this file so s2s can read its source.

The language programs (control flow, containers, helpers, closures,
objects) come first, then NumPy-heavy numerical programs (broadcasting,
reductions, linear algebra, non-scalar and tuple outputs).
"""
import math

import numpy as np

# ---------------------------------------------------------------- control flow


def branches(x):
    if x > 1.0:
        y = x * x
    elif x > 0.0:
        y = math.sin(x)
    else:
        y = -x * 3.0
    if y > 2.0:
        if x > 3.0:
            y = y * 2.0
        y = y + x
    return y


def range_loop(x, n):
    s = 0.0
    for i in range(1, n):
        s = s + math.cos(x * i) / i
    return s


def nested_loops(x):
    s = 0.0
    for i in range(3):
        for j in range(i, 3):
            s = s + x[i] * x[j]
    return s


def triangular(x):
    n = x.shape[0]
    s = 0.0
    for i in range(n):
        for j in np.arange(i, n):
            s = s + x[i] * x[j] ** 2
    return s


def while_loop(x):
    n = 0
    while x < 50.0:
        x = x * 1.7 + 0.5
        n = n + 1
    return x * n


def break_loop(x, n):
    s = 0.0
    for i in range(n):
        if s > 5.0:
            break
        s = s + x * i
    return s


def continue_loop(x):
    s = 0.0
    for i in range(6):
        if i % 2 == 0:
            continue
        s = s + x ** i
    return s


def early_return(x):
    if x > 2.0:
        return x * x
    y = x * 3.0
    for i in range(4):
        y = y * x
        if y > 100.0:
            return y
    return -y


def loop_forms(xs):
    s = 0.0
    for i, v in enumerate(xs):
        s = s + v * i
    for a, b in zip(xs, xs[1:]):
        s = s + a * b
    for v in reversed(xs):
        s = s * 0.5 + v
    for row in xs[:, None] * xs[None, :]:
        s = s + np.sum(row ** 2)
    for w in [xs[0], xs[1]]:
        s = s + w * 2.0
    return s


def newton_sqrt(a):
    """A while loop whose trip count depends on the value: Newton's iteration for sqrt(a)."""
    x = a
    err = 1.0
    while err > 1e-12:
        x_new = 0.5 * (x + a / x)
        err = abs(x_new - x)
        x = x_new
    return x


# ---------------------------------------------------------------- subscripts and in-place writes


def subscripts(x):
    a = x[0, 1] * x[-1, -1]
    b = np.sum(x[:, 0] ** 2) + np.sum(x[1, ::2])
    c = np.sum(x[x > 0.0])
    d = np.sum(x[[0, 0, 1], [1, 1, 2]])
    e = x[np.argmax(x[:, 2]), 0]
    return a + b + c + d + e


def inplace(x):
    y = np.zeros(3)
    for i in range(3):
        y[i] = x[i] * x[i]
    y[0] += x[2]
    y[1:] = y[1:] * 2.0
    return np.sum(y * y)


def mutate_argument(x):
    x[0] = x[1] * 2.0
    x[1] *= 3.0
    return np.sum(x ** 2)


def tangent_style(x):
    n = x.shape[0]
    S = np.zeros((n, 3))
    for i in range(n):
        S[i, 0] = x[i]
        S[i, 2] = 1.0
        S[i, 1] = S[i, 0] * x[i]
    return np.sum(S ** 2)


# ---------------------------------------------------------------- containers


def lists(x):
    out = []
    for i in range(4):
        out.append(x * i)
    a = np.array(out)
    return np.sum(a ** 2) + out[1] * out[2]


def stacked(x):
    rows = [x * k for k in range(3)]
    return np.sum(np.stack(rows) ** 2)


def dicts(p, x):
    q = {"a": p["w"] * x, "b": p["b"]}
    q["c"] = q["a"] * q["b"]
    return q["c"] + p["w"] ** 2


def swap(a, b):
    for i in range(3):
        a, b = b, a + b
    return a * b


def tuple_arg(t):
    x, y = t
    return x * y ** 2


def list_arg(xs):
    s = 0.0
    for v in xs:
        s = s + v ** 2
    return s + sum(xs)


def generator_sum(x):
    return sum(x ** i for i in range(4))


# ---------------------------------------------------------------- calls, closures, objects


def helper(a, b=2.0):
    return a ** b + b


def helper2(a):
    return helper(a) * helper(a, b=3.0)


def calls_helpers(x):
    return helper2(x) + helper(x, 1.5)


def recursive(x, n):
    if n == 0:
        return x
    return recursive(x * 1.1, n - 1) * x


def nested_def(x):
    k = x * 2.0

    def inner(y, p=2):
        z = y ** p
        if z > 10.0:
            return z * k
        return z + k
    sq = lambda v: v * v  # noqa: E731
    return inner(x) + sq(k) + inner(x, p=3)


def make_closure(a):
    b = a * 2.0

    def f(x):
        return a * x ** 2 + b * x
    return f


closure = make_closure(3.0)
lam = lambda x, y: x * y ** 2  # noqa: E731


class Layer:
    def __init__(self):
        self.W = np.array([[1.0, 2.0], [3.0, 4.0]])

    def act(self, h):
        return np.tanh(h)

    def forward(self, x):
        h = self.W @ x
        return np.sum(self.act(h) ** 2)


layer = Layer()


def use_object(x):
    return layer.forward(x * 2.0)


def mixed_nondiff(x):
    """Docstrings, print, assert, len, int, shape, isinstance, floor: all fine."""
    assert x.ndim == 1
    n = len(x)
    k = int(np.floor(n / 2))
    if isinstance(n, int):
        y = x[k] * 2.0
    else:
        y = x[0]
    print("value", float(y))
    i = np.argmax(x)
    return y * x[i] + x.shape[0]


def augmented(x):
    y = x * 1.0
    y += 2.0
    y -= x * 0.5
    y *= x
    y /= 1.5 + x
    y **= 2
    return y


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_loss(beta, x, y):
    return np.sum((sigmoid(x * beta) - y) ** 2)


# ---------------------------------------------------------------- numerical programs


def logistic(x):
    return 1 / (1 + np.exp(-x))


def polynomial(x, y):
    return x ** 2 + 3 * x * y + y ** 2


def elementary(x):
    a = np.sin(x) * np.cos(x) + np.tan(x * 0.3)
    b = np.log(x * x + 1.0) + np.sqrt(x * x + 2.0)
    c = np.tanh(x) - np.abs(x) + np.square(x) / 3.0 - np.exp(-x * x)
    return a + b * c


def math_scalars(x, y):
    a = math.exp(x) * math.log(y) + math.sqrt(x * y)
    b = math.tanh(x - y) + math.pow(y, 1.5) - math.sin(x) * math.cos(y)
    return a / (1.0 + b * b) + abs(x - 2.0 * y) + float(x)


def broadcasting(x, M):
    A = M * x + x
    B = A - M / (1.0 + x * x)
    return np.sum(B ** 2, axis=0) + np.mean(A, axis=1)[0]


def scalar_plus_array(x, c):
    """A scalar wrt argument meets an inactive array: the tangent takes the array's shape."""
    y = x + c
    z = y[1] * y
    return np.sum(z) + np.sum(c - x)


def maxmin_where(x, y):
    a = np.maximum(x, y) * np.minimum(x, 0.1)
    b = np.where(x > 0.0, x * y, -x)
    return np.sum(a + b)


def powers(x, p):
    return np.sum(x ** p + np.power(x, 2.5) + 2.0 ** x)


def linear_algebra(W, x, b):
    h = np.tanh(W @ x + b)
    return np.dot(h, h) + np.sum(np.matmul(np.transpose(W), h) * x)


def shapes(x):
    M = np.reshape(x, (2, 3))
    T = np.transpose(M)
    return np.sum(T @ M) + np.sum(T * T) + np.sum(np.reshape(M, (3, 2)) ** 3)


def reductions(X):
    col = np.sum(X, axis=0)
    row = np.mean(X, axis=1, keepdims=True)
    return np.sum(col * col) + np.sum((X - row) ** 2) + np.mean(X) * np.sum(X)


def vector_output(x):
    """A non-scalar output: forward gives J·v, reverse gives Jᵀ·1."""
    return np.sin(x) * x[0] + np.dot(np.ones((3, 3)), x) + x ** 3


def tuple_output(x, y):
    return x * y, x + np.sin(y)


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def mlp_loss(W1, b1, W2, x, t):
    h = np.tanh(x @ W1 + b1)
    out = h @ W2
    return np.mean((out - t) ** 2)


def rnn(h0, W, xs):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h * h)


def lotka_volterra(y, theta):
    a, b, c, d = theta[0], theta[1], theta[2], theta[3]
    return np.array([a * y[0] - b * y[0] * y[1], c * y[0] * y[1] - d * y[1]])


def euler_ode(y0, k):
    y = y0
    for i in range(5):
        y = y + 0.1 * (-k * y + np.sin(y))
    return y


A2 = np.array([[0.5, -1.2, 0.3], [1.5, 0.7, -0.4]])
V3 = np.array([0.3, 1.2, -0.7])
V6 = np.array([0.4, -0.3, 1.1, 0.8, -1.3, 0.6])
W23 = np.array([[0.3, -0.5, 0.8], [1.1, 0.2, -0.4]])
M23 = np.array([[0.2, 1.5, -0.8], [0.9, -1.1, 0.4]])

# (name, function, args, wrt)
PROGRAMS = [
    ("branches-a", branches, (1.5,), 0), ("branches-b", branches, (0.5,), 0),
    ("branches-c", branches, (-2.0,), 0), ("branches-d", branches, (3.5,), 0),
    ("range_loop", range_loop, (0.7, 6), 0),
    ("nested_loops", nested_loops, (V3,), 0),
    ("triangular", triangular, (V3,), 0),
    ("while_loop", while_loop, (1.3,), 0),
    ("break_loop", break_loop, (1.5, 10), 0),
    ("continue_loop", continue_loop, (1.3,), 0),
    ("early_return-a", early_return, (3.0,), 0), ("early_return-b", early_return, (1.5,), 0),
    ("early_return-c", early_return, (1.01,), 0),
    ("loop_forms", loop_forms, (V3,), 0),
    ("newton_sqrt", newton_sqrt, (2.0,), 0),
    ("subscripts", subscripts, (A2,), 0),
    ("inplace", inplace, (V3,), 0),
    ("mutate_argument", mutate_argument, (V3,), 0),
    ("tangent_style", tangent_style, (V3,), 0),
    ("lists", lists, (1.5,), 0),
    ("stacked", stacked, (V3,), 0),
    ("dicts", dicts, ({"w": 2.0, "b": 3.0}, 1.5), (0, 1)),
    ("swap", swap, (1.0, 2.0), (0, 1)),
    ("tuple_arg", tuple_arg, ((2.0, 3.0),), 0),
    ("list_arg", list_arg, ([1.0, 2.0, 3.0],), 0),
    ("generator_sum", generator_sum, (1.5,), 0),
    ("calls_helpers", calls_helpers, (1.3,), 0),
    ("recursive", recursive, (1.2, 3), 0),
    ("nested_def-a", nested_def, (1.5,), 0), ("nested_def-b", nested_def, (4.0,), 0),
    ("closure", closure, (1.5,), 0),
    ("lambda", lam, (2.0, 3.0), (0, 1)),
    ("method", layer.forward, (np.array([0.3, -0.2]),), 0),
    ("use_object", use_object, (np.array([0.3, -0.2]),), 0),
    ("mixed_nondiff", mixed_nondiff, (V3,), 0),
    ("augmented", augmented, (0.8,), 0),
    ("sigmoid_loss", sigmoid_loss, (0.7, V3, np.array([0.2, 0.9, 0.4])), 0),
    ("logistic", logistic, (V3,), 0),
    ("polynomial", polynomial, (2.0, 1.0), (0, 1)),
    ("elementary", elementary, (V3,), 0),
    ("math_scalars", math_scalars, (0.8, 1.7), (0, 1)),
    ("broadcasting", broadcasting, (V3, M23), (0, 1)),
    ("scalar_plus_array", scalar_plus_array, (0.7, V3), 0),
    ("maxmin_where", maxmin_where, (V3, np.array([0.5, -0.4, 0.2])), (0, 1)),
    ("powers", powers, (np.array([0.6, 1.3, 2.1]), np.array([1.5, 0.5, 2.0])), (0, 1)),
    ("linear_algebra", linear_algebra, (W23, V3, np.array([0.1, -0.2])), (0, 1, 2)),
    ("shapes", shapes, (V6,), 0),
    ("reductions", reductions, (A2,), 0),
    ("vector_output", vector_output, (V3,), 0),
    ("tuple_output", tuple_output, (1.3, 0.4), (0, 1)),
    ("rosenbrock", rosenbrock, (np.array([1.2, 0.7, -0.3, 0.9]),), 0),
    ("mlp_loss", mlp_loss, (W23.T.copy(), np.array([0.1, -0.3]), np.array([0.5, -0.7]),
                            M23, np.array([0.3, -0.1])), (0, 1, 2)),
    ("rnn", rnn, (np.array([0.1, -0.2]), np.array([[0.5, -0.3], [0.2, 0.8]]),
                  np.array([[0.3, 0.1], [-0.2, 0.4], [0.5, -0.6]])), (0, 1, 2)),
    ("lotka_volterra", lotka_volterra, (np.array([1.2, 0.8]), np.array([1.1, 0.4, 0.3, 0.9])), (0, 1)),
    ("euler_ode", euler_ode, (np.array([0.5, -1.0, 2.0]), 0.7), (0, 1)),
]
