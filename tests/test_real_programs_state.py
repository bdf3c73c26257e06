"""Real programs, session 7 of issue 11: layer objects built OUTSIDE the differentiated function and passed
in, whose methods cache on ``self`` (``self.cache["X"] = X``, ``self.out = z``) as plain-NumPy ML libraries
write every layer's ``forward``. The stores are effects of the call (the generated code performs them as
the primal does); the gradient is right as long as the differentiated code does not read that state back,
and a read back is refused at its line (s2s/state_paths.py, effect_checks.check_state). Checked against
central finite differences in reverse, forward and hvp mode (hvp refuses a method whose class is known only
at run time: it goes through a pullback)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(7011)
W1, b1 = rng.normal(size=(3, 4)) * 0.7, rng.normal(size=4) * 0.3
W2, b2 = rng.normal(size=(4, 2)) * 0.7, rng.normal(size=2) * 0.3
X = rng.normal(size=(5, 3))
Y = rng.normal(size=(5, 2))


class Layer:
    def __init__(self):
        self.cache = {}
        self.trainable = True

    def __call__(self, X):
        return self.forward(X)


class Dense(Layer):
    def __init__(self, W, b):
        super().__init__()
        self.W = W
        self.b = b

    def forward(self, X):
        self.cache["X"] = X
        Z = X @ self.W + self.b
        self.out = Z
        return Z


class ReLU(Layer):
    def forward(self, X):
        self.mask = X > 0
        return X * self.mask


class Tanh(Layer):
    def forward(self, X):
        self.out = np.tanh(X)   # stored, then read back right away: the read takes the value stored
        return self.out


class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X


class MSE:
    def loss(self, y, y_pred):
        self.diff = y_pred - y
        return np.mean(self.diff ** 2)


DENSE = Dense(W1, b1)
MODEL = Sequential([Dense(W1, b1), Tanh(), Dense(W2, b2), ReLU()])


def dense_passed_in(x, layer):
    return np.sum(np.tanh(layer.forward(x)) ** 2)


def callable_layer_passed_in(x, layer):
    return np.sum(np.tanh(layer(x)) ** 2)


def model_passed_in(x, model):
    return MSE().loss(Y, model.forward(x))


def list_of_layers_passed_in(x, layers):
    for layer in layers:
        x = layer(x)
    return np.sum(x ** 2)


def reads_other_attributes_afterwards(x, layer):
    y = layer.forward(x)
    return np.sum(y ** 2) + np.sum(layer.W ** 2)   # W is not what forward stored


@pytest.mark.parametrize("f, obj", [(dense_passed_in, DENSE), (callable_layer_passed_in, DENSE),
                                    (model_passed_in, MODEL),
                                    (list_of_layers_passed_in, [Dense(W1, b1), Tanh(), Dense(W2, b2)]),
                                    (reads_other_attributes_afterwards, DENSE)])
def test_objects_passed_in_caching_on_self(f, obj):
    # (the method is looked up at run time: a pullback, differentiated again for hvp by s2s/pullback_dual.py) but
    # for `layer(x)`: the class of a layer passed in is pinned by the argument signature and its __call__ does not
    # change it, so the call is differentiated from the source (s2s/typed_params.py)
    check_all(f, X, obj)


def test_the_stores_happen_as_in_the_primal():
    layer = Dense(W1, b1)
    s2s.grad(dense_passed_in)(X, layer)
    np.testing.assert_allclose(layer.out, X @ W1 + b1)
    assert layer.cache["X"] is not None and np.allclose(layer.cache["X"], X)
