"""Hand-written gradients of the workloads in ``workloads.py``.

Written as a careful person writes a backward pass in NumPy: the forward
pass keeps exactly what the backward pass reads, array gradients
accumulate in place, shapes are known so nothing is summed back to a
shape at run time, and the well-known closed forms are used where an
expert would use them (sigmoid + cross-entropy gives ``p - y``, softmax +
cross-entropy gives ``p - Y``). ``*_chain`` variants apply the chain rule
literally to the primal as written (no closed-form cancellation): they
separate what AD can reach by generating better code from what only a
symbolic simplification would reach.

Every function returns the gradients for the workload's ``wrt`` (a bare
array / float for one argument, a tuple for several).
"""
import math

import numpy as np


def scalar_loop_grad(x, a):
    # Reverse mode, as by hand: the forward loop records the two local
    # partials of each step, the backward loop folds them.
    y = a
    dy_dy = []
    dy_dx = []
    for i in range(1000):
        xy = x * y
        u = math.sin(xy)
        th = np.tanh(y)
        v = th * 0.5
        e = math.exp(-v * v)
        c = math.cos(xy) * 0.1
        dy_dy.append(0.9 + c * x - 0.01 * e * v * (1.0 - th * th))
        dy_dx.append(c * y)
        y = y * 0.9 + u * 0.1 + e * 0.01
    g = 1.0
    dx = 0.0
    for i in range(999, -1, -1):
        dx += g * dy_dx[i]
        g *= dy_dy[i]
    return float(dx)


def logreg_grad(w, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return X.T @ (p - y) / X.shape[0]


def logreg_grad_chain(w, X, y):
    z = X @ w
    e = np.exp(-z)
    p = 1.0 / (1.0 + e)
    q = 1.0 - p
    # d/dp of -mean(y log p + (1-y) log(1-p)), times dp/dz = e * p * p
    dz = ((1.0 - y) / q - y / p) * (e * p * p) / z.shape[0]
    return X.T @ dz


def mlp_grad(W1, b1, W2, b2, X, Y):
    B = X.shape[0]
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    dlogits = (p - Y) / B                    # Y is one-hot
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(axis=0)
    dz = dlogits @ W2.T
    dz *= 1.0 - h * h
    dW1 = X.T @ dz
    db1 = dz.sum(axis=0)
    return dW1, db1, dW2, db2


def mlp_grad_chain(W1, b1, W2, b2, X, Y):
    B = X.shape[0]
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    # loss = -sum(Y * (shifted - log s)) / B, literally
    dshifted = -Y / B
    ds = -dshifted.sum(axis=1, keepdims=True) / s
    dlogits = dshifted + ds * e              # the max shift's gradient cancels
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(axis=0)
    dz = dlogits @ W2.T
    dz *= 1.0 - h * h
    dW1 = X.T @ dz
    db1 = dz.sum(axis=0)
    return dW1, db1, dW2, db2


def rnn_grad(Wxh, Whh, bh, xs, h0, target):
    T = xs.shape[0]
    hs = [h0]
    h = h0
    for t in range(T):
        h = np.tanh(xs[t] @ Wxh + h @ Whh + bh)
        hs.append(h)
    dh = h - target
    dWxh = np.zeros_like(Wxh)
    dWhh = np.zeros_like(Whh)
    dbh = np.zeros_like(bh)
    WhhT = Whh.T
    for t in range(T - 1, -1, -1):
        h = hs[t + 1]
        dz = dh * (1.0 - h * h)
        dWxh += xs[t].T @ dz
        dWhh += hs[t].T @ dz
        dbh += dz.sum(axis=0)
        dh = dz @ WhhT
    return dWxh, dWhh, dbh


def inplace_grad(x):
    n = x.shape[0]
    y = np.zeros_like(x)
    y[0] = x[0]
    for i in range(1, n):
        y[i] = 0.9 * y[i - 1] + np.sin(x[i])
    # dloss/dy = 2y, then y[i-1] also feeds y[i]: fold right to left
    g = (2.0 * y).tolist()
    for i in range(n - 1, 0, -1):
        g[i - 1] += 0.9 * g[i]
    dx = np.asarray(g)
    dx[1:] *= np.cos(x[1:])
    return dx


HAND = {
    "scalar_loop": scalar_loop_grad,
    "logreg": logreg_grad,
    "mlp": mlp_grad,
    "rnn": rnn_grad,
    "inplace": inplace_grad,
    "scalar_helper": scalar_loop_grad,   # the same computations, through a helper
    "rnn_helper": rnn_grad,
}

CHAIN = {
    "logreg": logreg_grad_chain,
    "mlp": mlp_grad_chain,
}
