"""The benchmark workloads, written as ordinary Python/NumPy a user writes.

These are the functions s2s differentiates: plain ``np.*`` calls, ``@``,
``math.*`` on floats, loops. Nothing here is written for s2s's benefit.
The hand-written gradients live in ``hand.py``; the peers' versions
(autograd, JAX, PyTorch) in ``peers.py``.
"""
import math

import numpy as np

from s2s import stop_gradient


# 1. A scalar loop: 1000 iterations of a few float operations.
def scalar_loop(x, a):
    y = a
    for i in range(1000):
        u = math.sin(x * y)
        v = np.tanh(y) * 0.5
        y = y * 0.9 + u * 0.1 + math.exp(-v * v) * 0.01
    return y


# 2. Logistic regression: mean binary cross-entropy of a linear model.
def logreg_loss(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    loss = -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    return loss


# 3. A 2-layer tanh MLP with softmax cross-entropy (labels one-hot in Y).
def mlp_loss(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    m = np.max(logits, axis=1, keepdims=True)
    shifted = logits - m
    lse = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.sum(Y * (shifted - lse)) / X.shape[0]
    return loss


# 3b. The same MLP with the max shift wrapped in s2s.stop_gradient (a
#     fallback measured only when s2s cannot differentiate mlp_loss; the
#     value and the gradient are identical, since the shift cancels).
def mlp_loss_stopmax(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    m = stop_gradient(np.max(logits, axis=1, keepdims=True))
    shifted = logits - m
    lse = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.sum(Y * (shifted - lse)) / X.shape[0]
    return loss


# 4. A vanilla RNN over the steps of xs (T, batch, n_in), squared loss on
#    the final state.
def rnn_loss(Wxh, Whh, bh, xs, h0, target):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wxh + h @ Whh + bh)
    loss = 0.5 * np.sum((h - target) ** 2)
    return loss


# 5. A loop with in-place writes into an array (a damped recurrence).
def inplace_loop(x):
    y = np.zeros_like(x)
    y[0] = x[0]
    for i in range(1, x.shape[0]):
        y[i] = 0.9 * y[i - 1] + np.sin(x[i])
    loss = np.sum(y * y)
    return loss


# 6. A 30-line function (two GRU steps and a loss), used only to time how
#    long s2s takes to generate a gradient.
def gru_loss(Wz, Wr, Wh, Uz, Ur, Uh, x1, x2, h0, target):
    a1 = x1 @ Wz
    b1 = h0 @ Uz
    z1 = 1.0 / (1.0 + np.exp(-(a1 + b1)))
    c1 = x1 @ Wr
    d1 = h0 @ Ur
    r1 = 1.0 / (1.0 + np.exp(-(c1 + d1)))
    e1 = x1 @ Wh
    f1 = (r1 * h0) @ Uh
    n1 = np.tanh(e1 + f1)
    h1 = (1.0 - z1) * n1 + z1 * h0
    a2 = x2 @ Wz
    b2 = h1 @ Uz
    z2 = 1.0 / (1.0 + np.exp(-(a2 + b2)))
    c2 = x2 @ Wr
    d2 = h1 @ Ur
    r2 = 1.0 / (1.0 + np.exp(-(c2 + d2)))
    e2 = x2 @ Wh
    f2 = (r2 * h1) @ Uh
    n2 = np.tanh(e2 + f2)
    h2 = (1.0 - z2) * n2 + z2 * h1
    diff = h2 - target
    sq = diff * diff
    per_row = np.sum(sq, axis=1)
    penalty = np.sum(Wz * Wz) + np.sum(Wr * Wr) + np.sum(Wh * Wh)
    reg = 1e-4 * penalty
    data_term = np.mean(per_row)
    loss = data_term + reg
    return loss


GRU_WRT = (0, 1, 2, 3, 4, 5)


# 7. Helpers called in a loop: the scalar loop and the RNN again, each step a
#    call of a user function (s2s differentiates the helper from its source).
def scalar_step(x, y):
    u = math.sin(x * y)
    v = np.tanh(y) * 0.5
    return y * 0.9 + u * 0.1 + math.exp(-v * v) * 0.01


def scalar_helper_loop(x, a):
    y = a
    for i in range(1000):
        y = scalar_step(x, y)
    return y


def rnn_cell(h, x, Wxh, Whh, bh):
    return np.tanh(x @ Wxh + h @ Whh + bh)


def rnn_helper_loss(Wxh, Whh, bh, xs, h0, target):
    h = h0
    for t in range(xs.shape[0]):
        h = rnn_cell(h, xs[t], Wxh, Whh, bh)
    loss = 0.5 * np.sum((h - target) ** 2)
    return loss


# The arguments each workload is differentiated with respect to.
WRT = {"scalar_loop": (0,), "logreg": (0,), "mlp": (0, 1, 2, 3), "rnn": (0, 1, 2), "inplace": (0,),
       "scalar_helper": (0,), "rnn_helper": (0, 1, 2)}


def make_data(seed=0):
    """Inputs for every workload: {name: (args, wrt)}; float64 throughout."""
    r = np.random.default_rng(seed)
    data = {}
    data["scalar_loop"] = ((0.7, 0.3), WRT["scalar_loop"])
    n, k = 200_000, 20
    X = r.standard_normal((n, k))
    w_true = r.standard_normal(k)
    y = (X @ w_true + r.standard_normal(n) > 0).astype(np.float64)
    data["logreg"] = ((r.standard_normal(k) * 0.1, X, y), WRT["logreg"])
    B, D, H, C = 256, 784, 256, 10
    X = r.standard_normal((B, D))
    Y = np.eye(C)[r.integers(0, C, B)]
    W1 = r.standard_normal((D, H)) / np.sqrt(D)
    b1 = np.zeros(H)
    W2 = r.standard_normal((H, C)) / np.sqrt(H)
    b2 = np.zeros(C)
    data["mlp"] = ((W1, b1, W2, b2, X, Y), WRT["mlp"])
    T, B, I, H = 50, 32, 64, 128
    xs = r.standard_normal((T, B, I))
    Wxh = r.standard_normal((I, H)) / np.sqrt(I)
    Whh = r.standard_normal((H, H)) / np.sqrt(H) * 0.9
    bh = np.zeros(H)
    h0 = np.zeros((B, H))
    target = r.standard_normal((B, H)) * 0.5
    data["rnn"] = ((Wxh, Whh, bh, xs, h0, target), WRT["rnn"])
    data["inplace"] = ((r.standard_normal(1000),), WRT["inplace"])
    data["scalar_helper"] = (data["scalar_loop"][0], WRT["scalar_helper"])
    data["rnn_helper"] = (data["rnn"][0], WRT["rnn_helper"])
    return data
