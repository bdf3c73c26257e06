"""The shape of generated gradients: properties that make them fast.

Passing tests pin what the generated code does today. ``xfail`` tests
(non-strict) name optimizations the benchmarks show are worth having
(benchmarks/README.md, "Where the time goes"); when one lands, its test
starts passing and the marker can go.
"""
import ast

import numpy as np
import pytest

import s2s


def logreg(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    loss = -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    return loss


def mlp(W1, b1, W2, X):
    h = np.tanh(X @ W1 + b1)
    out = h @ W2
    loss = np.sum(out * out)
    return loss


def rnn(Wxh, Whh, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wxh + h @ Whh)
    loss = np.sum(h * h)
    return loss


def _tree(g):
    return ast.parse(s2s.source(g))


def _assigned(tree):
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _calls(tree, attr):
    """Calls of ``something.attr(...)`` or ``attr(...)``."""
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            f = n.func
            if (isinstance(f, ast.Attribute) and f.attr == attr) or (isinstance(f, ast.Name) and f.id == attr):
                out.append(n)
    return out


def _loop_pushes(tree):
    return [c for loop in ast.walk(tree) if isinstance(loop, ast.For)
            for c in _calls(loop, "append")]


def test_straight_line_code_has_no_stack():
    tree = _tree(s2s.grad(logreg))
    assert not _calls(tree, "append") and not _calls(tree, "pop")
    assert not any(n.startswith("stack") for n in _assigned(tree))


def test_no_adjoints_for_arguments_not_in_wrt():
    assigned = _assigned(_tree(s2s.grad(logreg)))
    assert "dw" in assigned
    assert "dX" not in assigned and "dy" not in assigned
    assigned = _assigned(_tree(s2s.grad(mlp, wrt=(0, 2))))
    assert {"dW1", "dW2"} <= assigned
    assert "db1" not in assigned and "dX" not in assigned


def test_tanh_adjoint_reuses_the_saved_output():
    tree = _tree(s2s.grad(mlp, wrt=(0, 1, 2)))
    assert len(_calls(tree, "tanh")) == 1          # the forward call only
    assert not _calls(tree, "cosh")


def test_loop_saves_the_state_it_overwrites():
    pushes = _loop_pushes(_tree(s2s.grad(rnn, wrt=(0, 1))))
    assert any(isinstance(a, ast.Name) and a.id == "h" for c in pushes for a in c.args)


@pytest.mark.xfail(reason="unbroadcast(dt, t) reads t only for its shape, so t_4, t_5, t_6 are pushed "
                          "(3 x 32 KB a step in the RNN benchmark, about 20% of its gradient time)", strict=False)
def test_loop_pushes_only_what_the_backward_sweep_reads():
    tree = _tree(s2s.grad(rnn, wrt=(0, 1)))
    assert len(_loop_pushes(tree)) <= 2               # h, and at most xs[t]


@pytest.mark.xfail(reason="init_grad(loss, dloss) and unbroadcast/grad_reduce of the loss terms keep the "
                          "loss value (two np.log over 200000 values) alive: 24% of logreg's gradient time",
                   strict=False)
def test_gradient_does_not_compute_the_unused_loss_value():
    tree = _tree(s2s.grad(logreg))
    assert not _calls(tree, "log")


@pytest.mark.xfail(reason="array gradients accumulate as dW = dW + e (a new array each step)", strict=False)
def test_loop_accumulates_array_gradients_in_place():
    tree = _tree(s2s.grad(rnn, wrt=(0, 1)))
    loops = [n for n in ast.walk(tree) if isinstance(n, ast.For)]
    assert any(isinstance(s, ast.AugAssign) for loop in loops for s in ast.walk(loop))
