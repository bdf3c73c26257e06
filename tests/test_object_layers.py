"""Models made of layer objects, differentiated with respect to the model (issue 11): a dataclass holding
layers in fields (``self.l2.forward(self.l1.forward(x))``), a list of layers walked in a loop
(``for layer in self.layers: x = layer.forward(x)``), plain classes and callable layers. The object a method
is called on carries the gradient itself: the call goes through ``pullback_self`` / ``pushforward_self``
(s2s/pullback.py), which differentiate with respect to the object too, and the model's gradient comes back in
its own type. Before, each of these was refused ("the function called here is a value that carries a
gradient"). Checked against finite differences in reverse and forward mode and hvp (s2s/pullback_dual.py)
(a run-time pullback is not differentiated again)."""
from dataclasses import dataclass

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(3)
X = rng.normal(size=(5, 3))


@dataclass
class Dense:
    W: np.ndarray
    b: np.ndarray

    def forward(self, x):
        return np.tanh(x @ self.W + self.b)


@dataclass
class TwoLayer:
    l1: Dense
    l2: Dense

    def forward(self, x):
        return self.l2.forward(self.l1.forward(x))


@dataclass
class Stack:
    layers: list

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x


class PlainDense:
    def __init__(self, n_in, n_out, seed):
        r = np.random.default_rng(seed)
        self.W = r.normal(size=(n_in, n_out)) / np.sqrt(n_in)
        self.b = np.zeros(n_out)

    def __call__(self, x):
        return np.maximum(x @ self.W + self.b, 0.0) + 0.1 * (x @ self.W)


class PlainNet:
    def __init__(self, sizes):
        self.layers = [PlainDense(a, b, i) for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]
        self.scale = 0.5

    def predict(self, x):
        h = x
        for layer in self.layers:
            h = layer(h)
        return self.scale * h


def dense(n_in, n_out):
    return Dense(rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))


def two_layer_loss(m, x):
    return np.sum(m.forward(x) ** 2)


def stack_loss(m, x):
    return np.mean((m.forward(x) - 0.3) ** 2)


def plain_loss(net, x):
    return np.sum(net.predict(x) ** 2)


def test_layers_in_fields():
    m = TwoLayer(dense(3, 4), dense(4, 2))
    check_all(two_layer_loss, m, X)
    g = s2s.grad(two_layer_loss)(m, X)
    assert type(g) is TwoLayer and type(g.l1) is Dense and g.l2.W.shape == (4, 2)


def test_list_of_layers_in_a_loop():
    m = Stack([dense(3, 4), dense(4, 4), dense(4, 2)])
    check_all(stack_loss, m, X)
    g = s2s.grad(stack_loss)(m, X)
    assert type(g) is Stack and [type(g_) for g_ in g.layers] == [Dense] * 3


def test_plain_classes_with_callable_layers():
    net = PlainNet([3, 6, 2])
    W0 = net.layers[0].W.copy()
    check_all(plain_loss, net, X)
    np.testing.assert_array_equal(net.layers[0].W, W0)   # the model is not changed


def test_the_other_arguments_too():
    m = Stack([dense(3, 4), dense(4, 2)])
    check_all(stack_loss, m, X, wrt=1, hvp=False)
    gm, gx = s2s.grad(stack_loss, wrt=(0, 1))(m, X)
    assert gx.shape == X.shape and type(gm) is Stack


class Noisy:
    def __init__(self, W):
        self.W = W

    def forward(self, x):
        return np.tanh(x @ self.W) + 0.01 * np.random.normal(size=self.W.shape[1])


def test_hvp_of_a_layer_drawing_random_numbers_names_the_line():
    # hvp through a pullback runs the layer twice (s2s/pullback_dual.py): a draw would differ the second time
    m = Stack([Noisy(rng.normal(size=(3, 4)))])
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)x = layer.forward.*random"):
        s2s.hvp(stack_loss)(m, X, m)


def act(p, x):
    return np.tanh(p.W * x + p.b)


def through_a_function_value(p, x, fns):
    f = fns[0]
    return np.sum(f(p, x) ** 2)


def test_a_record_passed_to_a_function_value():
    p = Dense(rng.normal(size=3), rng.normal(size=3))
    check_all(through_a_function_value, p, X, [act])


class SelfCalling:
    """A model whose loss method calls the model itself: ``self(x)``."""

    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return np.tanh(x @ self.W)

    def loss(self, x, y):
        return np.mean((self(x) - y) ** 2)


Y = rng.normal(size=(5, 2))


def model_argument(m, x, y):
    return m.loss(x, y)


def model_built_here(W, x, y):
    m = SelfCalling(W)
    return m.loss(x, y)


def test_a_method_calling_self():
    check_all(model_argument, SelfCalling(rng.normal(size=(3, 2))), X, Y)
    check_all(model_built_here, rng.normal(size=(3, 2)), X, Y)   # was refused: building a `SelfCalling` object


# ---------------------------------------------------------------- functions and layers held in fields
class Lin:
    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return x @ self.W


class AutoEncoder:
    def __init__(self, enc, dec):
        self.enc, self.dec = enc, dec

    def loss(self, x):
        return np.sum((self.dec(self.enc(x)) - x) ** 2)


class Activated:
    def __init__(self, W, act):
        self.W, self.act = W, act

    def loss(self, x):
        return np.sum(self.act(x @ self.W) ** 2)


def ae_loss(m, x):
    return m.loss(x)


def act_direct(layer, x):
    return np.sum(layer.act(x @ layer.W) ** 2)


def test_callable_layers_in_fields():
    # was a silent zero for enc.W/dec.W (square W), or a broadcast error in add_grad (the layer's gradient was
    # added to the model's): the call self.enc(x) is the field's __call__, not a method of the model
    m = AutoEncoder(Lin(rng.normal(size=(3, 2))), Lin(rng.normal(size=(2, 3))))
    check_all(ae_loss, m, X)
    g = s2s.grad(ae_loss)(m, X)
    assert type(g.enc) is Lin and g.enc.W.shape == (3, 2) and g.dec.W.shape == (2, 3)


def test_a_function_held_in_a_field():
    # self.act = np.tanh: refused as "a closure or a partial holding a differentiated value"
    layer = Activated(rng.normal(size=(3, 2)), np.tanh)
    check_all(ae_loss, layer, X)
    check_all(act_direct, layer, X)
    check_all(act_direct, layer, X, wrt=1, hvp=False)


def test_a_closure_held_in_a_field_is_refused():
    layer = Activated(rng.normal(size=(3, 2)), None)
    layer.act = lambda z: z * layer.W[0, 0]   # reads the layer's own parameter: it would be missed
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)test_object_layers.py.*closure or a partial"):
        s2s.grad(ae_loss)(layer, X)


# ---------------------------------------------------------------- state stored on an object and read through it
class Scaler:
    def fit(self, X):
        self.s = X.sum(0)
        return self

    def transform(self, X):
        return X * self.s


def chained_on_argument(X, sc):
    return np.sum(sc.fit(X).transform(X))


def chained_on_local(X):
    return np.sum(Scaler().fit(X).transform(X))


def test_fit_returning_self_on_an_argument_is_refused():
    # was a silent wrong gradient (the path through .s was missing: 4 where 8 is right), grad and jvp
    S = np.array([[1., 2.], [3., 5.], [0., -1.]])
    for make in (lambda: s2s.grad(chained_on_argument)(S, Scaler()),
                 lambda: s2s.jvp(chained_on_argument)(S, Scaler(), np.ones_like(S))):
        with pytest.raises(s2s.DifferentiationError, match=r"(?s)line \d+.*sc.fit\(X\).transform.*returns `self`"):
            make()
    check_all(chained_on_local, S)   # built in the function: followed


# ---------------------------------------------------------------- s2s.flatten's unflatten passed as an argument
def unflat_loss(theta, unflatten, x):
    p = unflatten(theta)
    return np.sum(np.tanh(x @ p["W"] + p["b"]) ** 2)


def test_unflatten_passed_as_an_argument():
    # scipy.optimize.minimize(loss, theta0, args=(unflatten, X), jac=s2s.grad(loss)): was refused inside
    # s2s/flatten.py (builtin `next`), not naming the user's line; now unflatten's rule applies
    theta, unflatten = s2s.flatten({"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)})
    check_all(unflat_loss, theta, unflatten, X)
    other, unflatten2 = s2s.flatten({"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)})
    check_all(unflat_loss, other, unflatten2, X)   # another tree: its own structure


# ---------------------------------------------------------------- super() and generator methods, wrt the object
class Base:
    def __init__(self, W):
        self.W = W

    def forward(self, x):
        return x @ self.W


class Squashed(Base):
    def forward(self, x):
        return np.tanh(super().forward(x))


class WithParameters:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def parameters(self):
        yield self.W
        yield self.b

    def forward(self, x):
        return np.tanh(x @ self.W + self.b)


def squashed_loss(layer, x):
    return np.sum(layer.forward(x) ** 2)


def l2_loss(model, x):
    reg = 0.0
    for p in model.parameters():
        reg = reg + np.sum(p ** 2)
    return np.sum(model.forward(x) ** 2) + 0.1 * reg


def test_super_in_a_method_of_the_differentiated_object():
    check_all(squashed_loss, Squashed(rng.normal(size=(3, 2))), X)   # was refused: the builtin `super`


def test_a_generator_method_of_the_differentiated_object():
    check_all(l2_loss, WithParameters(rng.normal(size=(3, 2)), rng.normal(size=2)), X)   # was refused: `yield`
