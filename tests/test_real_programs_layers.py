"""Real programs, session 6 of issue 11: lists of layer objects built inside the differentiated function
(`layers = [Dense(W1, b1), Dense(W2, b2)]; for layer in layers: x = layer.forward(x)`), objects holding
objects (an activation object, a model holding its list of layers), objects passed to a helper, a helper
returning a list of layers, methods with several returns. s2s takes the objects apart (s2s/objects.py):
the generated code is plain code over the layers' arrays, with no pullback. Every program is checked
against central finite differences in reverse mode, forward mode and hvp (``check_all``)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(611)
W1, b1 = rng.normal(size=(3, 4)) * 0.7, rng.normal(size=4) * 0.3
W2, b2 = rng.normal(size=(4, 2)) * 0.7, rng.normal(size=2) * 0.3
X = rng.normal(size=(5, 3))


class Tanh:
    def forward(self, z):
        self.out = np.tanh(z)   # caches on self, as layer classes do
        return self.out


class Dense:
    def __init__(self, W, b, act=None):
        self.W = W
        self.b = b
        self.act = act
        self.cache = {}

    def forward(self, x):
        self.cache["x"] = x
        z = x @ self.W + self.b
        self.cache["z"] = z
        if self.act is None:
            return z
        return self.act.forward(z)

    def __call__(self, x):
        return self.forward(x)


class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x


def list_of_layers(W1, b1, W2, b2, x):
    layers = [Dense(W1, b1), Dense(W2, b2)]
    for layer in layers:
        x = np.tanh(layer.forward(x))
    return np.sum(x ** 2)


def enumerate_index_and_len(W1, b1, W2, b2, x):
    layers = (Dense(W1, b1), Dense(W2, b2))
    total = 0.0
    for i, layer in enumerate(layers):
        x = np.tanh(layer(x))
        total = total + (i + 1) / len(layers) * np.sum(x)
    return total + np.sum(layers[-1].cache["z"] ** 2) + np.sum(layers[0].W)


def activation_objects(W1, b1, W2, b2, x):
    layers = [Dense(W1, b1, Tanh()), Dense(W2, b2, Tanh())]
    for layer in layers:
        x = layer.forward(x)
    return np.sum(x ** 2) + np.sum(layers[0].act.out)


def model_holding_its_layers(W1, b1, W2, b2, x):
    model = Sequential([Dense(W1, b1, Tanh()), Dense(W2, b2)])
    return np.sum(model.forward(x) ** 2)


def build_layers(W1, b1, W2, b2):
    return [Dense(W1, b1, Tanh()), Dense(W2, b2)]


def layers_from_a_helper(W1, b1, W2, b2, x):
    layers = build_layers(W1, b1, W2, b2)
    for layer in layers:
        x = layer.forward(x)
    return np.sum(np.sin(x))


def appended_layers(W1, b1, W2, b2, x):
    layers = []
    layers.append(Dense(W1 * 0.5, b1))
    layers.append(Dense(W2, b2, Tanh()))
    for layer in layers:
        x = layer.forward(x)
    return np.sum(x ** 2)


def apply_layer(layer, x):
    return np.tanh(layer.forward(x))


def object_passed_to_a_helper(W1, b1, W2, b2, x):
    first = Dense(W1, b1)
    h = apply_layer(first, x)
    return np.sum(apply_layer(Dense(W2, b2), h))


class ReLU:   # stateless: no __init__, nothing stored on self
    def forward(self, x):
        return np.maximum(x, 0.0)

    def __call__(self, x):
        return self.forward(x)


class Chain:   # nn.Sequential's idiom: the layers given as *args, kept as a list copy
    def __init__(self, *layers):
        self.layers = list(layers)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def star_args_model(W1, b1, W2, b2, x):
    net = Chain(Dense(W1, b1), ReLU(), Dense(W2, b2, Tanh()))
    return np.sum(net(x) ** 2)


def mixed_layers(W1, b1, W2, b2, x):
    layers = [Dense(W1, b1), ReLU(), Dense(W2, b2)]   # a stateless layer beside layers with weights
    for layer in layers:
        x = layer.forward(x)
    return np.sum(x ** 2)


def mixed_layers_called(W1, b1, W2, b2, x):
    net = [Dense(W1, b1), ReLU(), Dense(W2, b2), ReLU()]
    h = x
    for layer in net:
        h = layer(h)
    return np.sum(np.sin(h))


def mixed_model_holding_its_layers(W1, b1, W2, b2, x):
    model = Sequential([Dense(W1, b1), ReLU(), Dense(W2, b2, Tanh())])
    return np.sum(model.forward(x) ** 2)


@pytest.mark.parametrize("f", [list_of_layers, enumerate_index_and_len, activation_objects, model_holding_its_layers,
                               layers_from_a_helper, appended_layers, object_passed_to_a_helper,
                               mixed_layers, mixed_layers_called, mixed_model_holding_its_layers,
                               star_args_model])
@pytest.mark.parametrize("wrt", [0, 1, 3, 4])
def test_layer_objects_built_inside(f, wrt):
    check_all(f, W1, b1, W2, b2, X, wrt=wrt)


def test_layers_are_taken_apart_in_the_generated_code():
    src = s2s.source(s2s.grad(activation_objects))
    assert "pullback" not in src and "Dense" not in src and "Tanh" not in src, src


def layers_in_a_comprehension(params, x):
    layers = [Dense(W, b) for W, b in params]   # how many: known only when it runs
    for layer in layers:
        x = np.tanh(layer.forward(x))
    return np.sum(x)


def last_layer_used_after_the_loop(W1, b1, W2, b2, x):
    layers = [Dense(W1, b1), Dense(W2, b2)]
    for layer in layers:
        x = np.tanh(layer.forward(x))
    return np.sum(x) + np.sum(layer.W)


def layers_passed_on(W1, b1, W2, b2, x):
    layers = [Dense(W1, b1), Dense(W2, b2)]
    return np.sum(run_all(layers, x))


def run_all(layers, x):
    for layer in layers:
        x = np.tanh(layer.forward(x))
    return x


@pytest.mark.parametrize("f, args", [
    (layers_in_a_comprehension, ([(W1, b1), (W2, b2)], X)),
    (last_layer_used_after_the_loop, (W1, b1, W2, b2, X)),
    (layers_passed_on, (W1, b1, W2, b2, X)),
])
def test_layers_s2s_cannot_take_apart_refuse_naming_the_line(f, args):
    with pytest.raises(s2s.DifferentiationError, match=r"layers = \[Dense") as e:
        s2s.grad(f)(*args)
    assert "a list of them written out" in str(e.value)   # the advice says what s2s follows


# ------------------------------------------------ a method caching on its object, read back by the caller
class Cached:
    def forward(self, x):
        z = np.tanh(x)
        self.out = z   # nothing reads it here; the caller does
        return z


def reads_back_the_cache(x, layer):
    y = layer.forward(x)
    return np.sum(y) + np.sum(layer.out)


def reads_back_through_a_list(x, layers):
    y = layers[0].forward(x)
    return np.sum(y) + np.sum(layers[0].out)


def reads_back_a_local_layer(x):
    layer = Cached()
    y = layer.forward(x)
    return np.sum(y) + np.sum(layer.out)


@pytest.mark.parametrize("f, args", [(reads_back_the_cache, (X[0], Cached())),
                                     (reads_back_through_a_list, (X[0], [Cached()]))])
def test_a_method_storing_on_its_object_refuses(f, args):
    """The caller's read of layer.out was a constant: half the gradient (wrong numbers before). The
    method's store is fine (an effect of the call); the read back is refused, at its line."""
    read = r"np\.sum\(layers?(\[0\])?\.out\)\nthis reads state of an object that the call on line \d+ " \
           r"\(`y = layers?(\[0\])?\.forward\(x\)`\) may have set to a value carrying a "
    with pytest.raises(s2s.DifferentiationError, match=read + "gradient"):
        s2s.grad(f)(*args)
    with pytest.raises(s2s.DifferentiationError, match=read + "derivative"):
        s2s.jvp(f)(*args, np.ones(3))


def test_a_local_layer_caching_on_itself_is_followed():
    check_all(reads_back_a_local_layer, X[0])
