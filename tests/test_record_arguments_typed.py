"""Records of the user's passed as arguments, whose class has properties or methods (s2s/typed_params.py):
the argument signature pins the class, a property read is a call of its getter and a method called on the
argument is differentiated from its source. Before, a property of a record argument was a silent zero in
reverse mode and was read off the tangent in forward mode (wrong numbers), and crashed for a NamedTuple.
Checked against finite differences in reverse, forward and hvp (``check_all``)."""
import math
from collections import namedtuple
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pytest

import s2s
from s2s.records import field_grad
from tests.test_real_programs import check_all


@dataclass
class Gauss:
    mu: float
    log_s: float

    @property
    def s(self):
        return math.exp(self.log_s)


class PlainGauss:
    def __init__(self, mu, log_s):
        self.mu, self.log_s = mu, log_s

    @property
    def s(self):
        return math.exp(self.log_s)


class TupleGauss(NamedTuple):
    mu: float
    log_s: float

    @property
    def s(self):
        return math.exp(self.log_s)


class OldGauss(namedtuple("OldGauss", "mu log_s")):
    @property
    def s(self):
        return math.exp(self.log_s)


def standardized(g, x):
    return (x - g.mu) / g.s


@pytest.mark.parametrize("cls", [Gauss, PlainGauss, TupleGauss, OldGauss])
def test_property_of_a_record_argument(cls):
    check_all(standardized, cls(0.2, 0.1), 0.5)
    g = s2s.grad(standardized)(cls(0.2, 0.1), 0.5)
    assert type(g) is cls and abs(g.log_s - (-(0.5 - 0.2) / math.exp(0.1))) < 1e-12


def test_property_reads_are_getter_calls_in_the_code():
    src = s2s.grad(standardized).source(Gauss(0.2, 0.1), 0.5)
    assert "field_grad" in src and "'s'" not in src and "s_fwd(g)" in src


def test_generic_code_refuses_a_property():
    # the code without the class (generic) cannot tell where a property's derivative goes: it refuses
    with pytest.raises(s2s.DifferentiationError, match=r"`\.s` of this Gauss is computed by its class"):
        field_grad(1.0, Gauss(0.2, 0.1), "s")


@dataclass
class Dense:
    W: np.ndarray
    b: np.ndarray

    @property
    def shape(self):
        return self.W.shape

    def forward(self, X):
        return np.tanh(X @ self.W + self.b)

    def __call__(self, X):
        return self.forward(X)


class Model:
    def __init__(self, W1, b1, w2):
        self.W1, self.b1, self.w2 = W1, b1, w2
        self.name = "mlp"

    def hidden(self, X):
        return np.tanh(X @ self.W1 + self.b1)

    def predict(self, X):
        return self.hidden(X) @ self.w2

    def loss(self, X, y):
        return np.mean((self.predict(X) - y) ** 2)


rng = np.random.default_rng(11)
X, y = rng.normal(size=(5, 3)), rng.normal(size=5)


def dense_loss(layer, X):
    return np.sum(layer.forward(X) ** 2) + layer.shape[0] * 0.0


def dense_called(layer, X):
    return np.sum(layer(X) ** 2)


def model_loss(model, X, y):
    return model.loss(X, y) + 0.1 * np.sum(model.w2 ** 2)


def test_method_of_a_dataclass_argument():
    layer = Dense(rng.normal(size=(3, 4)), rng.normal(size=4))
    check_all(dense_loss, layer, X)
    check_all(dense_called, layer, X)


def test_methods_of_a_plain_object_argument():
    m = Model(rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=4))
    check_all(model_loss, m, X, y)
    g = s2s.grad(model_loss)(m, X, y)
    assert type(g) is Model and g.name == "mlp" and g.W1.shape == (3, 4)
    assert m.W1 is not g.W1


def test_a_record_without_properties_or_methods_is_not_pinned():
    from s2s import signature

    @dataclass
    class P:
        a: float
    assert signature.of_args(("p",), (P(1.0),)) == ()
    assert signature.of_args(("p",), (Gauss(0.0, 0.0),)) == (("p", (signature.RECORD, Gauss)),)


class ScaledDense(Dense):
    def forward(self, X):
        return 2.0 * np.tanh(X @ self.W + self.b)


def test_code_per_class_and_gradient_in_the_other_argument():
    layer = Dense(rng.normal(size=(3, 4)), rng.normal(size=4))
    scaled = ScaledDense(layer.W, layer.b)
    check_all(dense_loss, layer, X, wrt=1)
    g = s2s.grad(dense_loss)
    a, b = g(layer, X), g(scaled, X)   # one dispatcher, code per class: the subclass's forward
    np.testing.assert_allclose(b.W, 4.0 * a.W)
    assert type(b) is ScaledDense
    check_all(dense_loss, scaled, X)


def test_a_method_on_an_argument_without_its_class_is_refused_at_the_call():
    # a callable that is not a record (a function): no class to pin, the refusal names the line at the call
    g = s2s.grad(dense_called)
    with pytest.raises(s2s.DifferentiationError, match="layer"):
        g(lambda X: X, X)


@dataclass
class Pendulum:
    g: float
    L: float

    def rhs(self, th, om):
        return om, -self.g / self.L * math.sin(th)


def simulate(p, th0):
    th, om = th0, 0.0
    for _ in range(20):
        dth, dom = p.rhs(th, om)
        th, om = th + 0.01 * dth, om + 0.01 * dom
    return th


def test_a_method_of_a_parameter_record_in_a_loop():
    check_all(simulate, Pendulum(9.81, 1.0), 0.3)           # gradient in the record: its method's fields
    check_all(simulate, Pendulum(9.81, 1.0), 0.3, wrt=1)    # the record a constant: hvp too (no pullback)


@dataclass
class Affine:
    W: np.ndarray
    b: np.ndarray

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


def local_callable_dataclass(W, b, X):
    layer = Affine(W, b)
    return np.sum(layer(X) ** 2)


def test_a_callable_dataclass_built_in_the_function():
    check_all(local_callable_dataclass, rng.normal(size=(3, 2)), rng.normal(size=2), X)
