"""Operators on objects of the user's classes (s2s/user_operators.py): ``a + b`` with ``a`` a ``Vec`` is
``Vec.__add__(a, b)``, as Python runs it; plain classes whose ``__init__`` stores its parameters are built as
records (s2s/records.py ``plain_fields``); a helper given such an object is made for its class (``v.dot(v)`` is
the class's method, not an array's). Checked against finite differences in reverse, forward and hvp mode."""
import dataclasses
import math

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all


class V2:
    """A 2-D vector as physics tutorials write it."""

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return V2(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return V2(self.x - o.x, self.y - o.y)

    def __mul__(self, k):
        return V2(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __truediv__(self, k):
        return V2(self.x / k, self.y / k)

    def __neg__(self):
        return V2(-self.x, -self.y)

    def dot(self, o):
        return self.x * o.x + self.y * o.y

    def norm(self):
        return math.sqrt(self.dot(self))


@dataclasses.dataclass
class Complex:
    re: float
    im: float

    def __mul__(self, o):
        return type(self)(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    def __add__(self, o):
        return Complex(self.re + o.re, self.im + o.im)

    def abs2(self):
        return self.re ** 2 + self.im ** 2


class Weighted:
    """``dot`` and ``sum`` are not an array's: a rule for ndarray.dot would be wrong here."""

    def __init__(self, a, b):
        self.a = a
        self.b = b

    def dot(self, o):
        return self.a * o.a + 2.0 * self.b * o.b

    def sum(self):
        return self.a + 3.0 * self.b


def projectile(p):
    pos = V2(0.0, 0.0)
    vel = V2(p[0], p[1])
    g = V2(0.0, -9.81)
    dt = 0.01
    for _ in range(40):
        drag = vel * (-p[2] * vel.norm())
        vel = vel + (g + drag) * dt
        pos = pos + dt * vel
    return (pos - V2(3.0, 1.0)).norm() + (-pos).dot(V2(0.1, 0.2)) / 2.0


def mandelbrot_like(p):
    c = Complex(p[0], p[1])
    z = Complex(0.0, 0.0)
    for _ in range(4):
        z = z * z + c
    return z.abs2()


def energy(v):
    return 0.5 * v.dot(v) + v.sum()


def helper_of_object(p):
    w = Weighted(p[0], p[1] * p[2])
    return energy(w) * p[2]


P = np.array([3.0, 4.0, 0.05])
Q = np.array([0.3, -0.4, 0.7])


@pytest.mark.parametrize("f, x", [(projectile, P), (mandelbrot_like, Q), (helper_of_object, Q)],
                         ids=["projectile", "complex", "helper"])
def test_operators_on_objects(f, x):
    check_all(f, x)


def test_operators_read_as_method_calls():
    src = s2s.grad(projectile).source(P)
    assert "V2_add" in src or "__add__" in src
    assert "make_record(V2" in src


def test_gradient_with_respect_to_an_object_passed_to_a_helper():
    w = Weighted(1.0, 2.0)

    def outer(v, k):
        return energy(v) * k
    g = s2s.grad(outer)(w, 2.0)
    assert isinstance(g, Weighted)
    assert (g.a, g.b) == (2.0 * (1.0 + 1.0), 2.0 * (4.0 + 3.0))   # d/da = a + 1, d/db = 2b + 3, times k
    assert s2s.jvp(outer)(w, 2.0, Weighted(0.0, 1.0)) == pytest.approx(14.0)


square_rows = lambda t: t * t   # noqa: E731  (a module-level lambda helper: not a class, no operator)


def uses_module_lambda(p):
    return np.sum(square_rows(p) * 2.0)


def test_module_level_lambda_helper():
    check_all(uses_module_lambda, Q)


class Dense:
    def __init__(self, W):
        self.W = W

    def __call__(self, x):
        return np.tanh(x @ self.W)


@dataclasses.dataclass
class DenseRecord:
    W: np.ndarray

    def __call__(self, x):
        return np.tanh(x @ self.W)


_rng = np.random.default_rng(2)
W1, W2 = (_rng.standard_normal((3, 3)) * 0.6 for _ in range(2))
XB = _rng.standard_normal((2, 3))


def programs(cls):
    def zip_layers(W1, W2):
        layers = [cls(W1), cls(W2)]
        scales = [1.0, 2.0]
        h = XB
        for layer, s in zip(layers, scales):
            h = layer(h) * s
        return np.sum(h ** 2)

    def shared_layer(W1, W2):
        d = cls(W1)
        layers = [d, cls(W2), d]
        h = XB
        for layer in layers:
            h = layer(h)
        return np.sum(h ** 2)
    return zip_layers, shared_layer


@pytest.mark.parametrize("cls", [Dense, DenseRecord])
@pytest.mark.parametrize("which", [0, 1], ids=["zip", "shared"])
def test_lists_of_layers_zip_and_shared(which, cls):
    """Gradients of layer objects taken from a list (zip, the same layer twice) add as records (they crashed:
    `float + Dense`)."""
    f = programs(cls)[which]
    check_all(f, W1, W2, wrt=0)
    check_all(f, W1, W2, wrt=1)


W4 = np.array([1.0, 2.0, 3.0, 4.0])


def method_of_a_global_array(x):   # W4.reshape(...) in an expression: W4 is an array, not a class (crashed)
    y = x.reshape(2, 2) * 1.0
    return np.sum(y * W4.reshape(2, 2)) + np.sum(-y * 2.0)


def test_method_call_on_a_global_array_next_to_operators():
    check_all(method_of_a_global_array, np.array([0.3, -0.2, 0.5, 0.1]))
