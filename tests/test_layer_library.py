"""A plain-NumPy layer library's style (numpy-ml): layers keep their inputs on request (``retain_derived``),
parameters in a dict on the layer, an activation object in a field, a network looping over its layers, all
differentiated with respect to the network and to the input (issue 11). Its own module: s2s reads the methods
called ``forward`` of the classes a module names (s2s/state_paths.py) to tell what a call may store and read.
Checked against finite differences in reverse and forward mode (hvp refuses the calls through pullbacks)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(5)
X = rng.normal(size=(5, 3))


class Sig:
    def __call__(self, z):
        return 1 / (1 + np.exp(-z))


class Keeping:
    """A layer that keeps its inputs when asked (numpy-ml's ``retain_derived``)."""

    def __init__(self, W, act):
        self.parameters = {"W": W, "b": np.zeros((1, W.shape[1]))}
        self.act_fn = act
        self.X = []
        self.derived = {"Z": []}

    def forward(self, X, retain_derived=True):
        Z = X @ self.parameters["W"] + self.parameters["b"]
        Y = self.act_fn(Z)
        if retain_derived:
            self.X.append(X)
            self.derived["Z"].append(Z)
        return Y


class KeepingNet:
    def __init__(self, layers):
        self.layers = layers

    def loss(self, X):
        h = X
        for layer in self.layers:
            h = layer.forward(h, retain_derived=False)
        return np.sum(h ** 2)


def keeping_loss(net, X):
    return net.loss(X)


def keeping_loss_x(X, net):
    return net.loss(X)


def test_layers_that_keep_state_on_request():
    # the loop read each layer again after a call that may have appended to .X: refused as a read of that
    # state; an append into the object's list is a store, not a read of what the list holds
    net = KeepingNet([Keeping(rng.normal(size=(3, 4)), Sig()), Keeping(rng.normal(size=(4, 2)), np.tanh)])
    check_all(keeping_loss, net, X)
    check_all(keeping_loss_x, X, net)
    assert net.layers[0].X == []


def reads_back(X, layer):
    out = layer.forward(X, retain_derived=False)
    return np.sum(out) + np.sum(layer.X[-1] ** 2)


def test_reading_the_kept_state_back_is_still_refused():
    layer = Keeping(rng.normal(size=(3, 4)), Sig())
    layer.X.append(X)
    with pytest.raises(s2s.DifferentiationError, match="reads state of an object"):
        s2s.grad(reads_back)(X, layer)
