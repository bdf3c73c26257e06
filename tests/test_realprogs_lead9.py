"""Real programs, session 9 (lead): dict(...) built from keywords, as code that packs parameters does
(``params = dict(W=W, b=b)``, ``helper(dict(a=a, b=b))``). Checked against finite differences in reverse,
forward and hvp (``check_all``)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(909)
W, b, X = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 3))


def predict(params, x):
    return np.tanh(x @ params["W"] + params["b"])


def packed_with_dict_keywords(W, b, x):
    params = dict(W=W, b=b * 2.0)
    return np.sum(predict(params, x) ** 2)


def dict_keywords_passed_directly(W, b, x):
    return np.sum(predict(dict(W=W * 0.5, b=b), x))


def scalars_in_a_dict(a, c):
    d = dict(a=a, b=a * c, c=c)
    return d["a"] * d["b"] + np.sin(d["c"])


@pytest.mark.parametrize("f", [packed_with_dict_keywords, dict_keywords_passed_directly])
@pytest.mark.parametrize("wrt", [0, 1])
def test_dict_from_keywords(f, wrt):
    check_all(f, W, b, X, wrt=wrt)


@pytest.mark.parametrize("wrt", [0, 1])
def test_dict_of_scalars_from_keywords(wrt):
    check_all(scalars_in_a_dict, 1.3, 0.4, wrt=wrt)


def test_dict_from_keywords_reads_as_a_display():
    src = s2s.source(s2s.grad(packed_with_dict_keywords))
    assert "dict(" not in src, src


# ------------------------------------------------ objects built and used in one expression; static methods

class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    @staticmethod
    def act(z):
        return np.tanh(z)

    @classmethod
    def square(cls, z):
        return z * z

    def forward(self, x):
        return self.square(self.act(x @ self.W + self.b))


class Scaled:
    def __init__(self, scale):
        self.scale = scale

    def out(self, z):
        return z * self.scale


class ScaledAffine(Scaled):
    def __init__(self, W, b, scale):
        super().__init__(scale)
        self.W, self.b = W, b

    @property
    def weight_t(self):
        return self.W.T

    def forward(self, x):
        return self.out(np.sin(x @ self.weight_t.T + self.b))


def built_inside_an_expression(W, b, x):
    return np.sum(Affine(W, b).forward(x))


def static_and_class_methods_through_self(W, b, x):
    layer = Affine(W, b)
    h = layer.forward(x)
    return np.sum(h) + np.sum(Affine.act(h))


def subclass_with_super_and_property(W, b, x):
    return np.sum(ScaledAffine(W, b, 1.5).forward(x) ** 2)


@pytest.mark.parametrize("f", [built_inside_an_expression, static_and_class_methods_through_self,
                               subclass_with_super_and_property])
@pytest.mark.parametrize("wrt", [0, 1])
def test_objects_with_static_methods_and_subclasses(f, wrt):
    check_all(f, W, b, X, wrt=wrt)


def test_objects_built_inside_an_expression_are_taken_apart():
    src = s2s.source(s2s.grad(built_inside_an_expression))
    assert "Affine(" not in src and "pullback" not in src, src   # (Affine.square, a classmethod, is called)


# ------------------------------------------------ a generator unpacked by an assignment

def unflatten(flat, shapes):
    i = 0
    for shape in shapes:
        n = int(np.prod(shape))
        yield flat[i:i + n].reshape(shape)
        i += n


def mlp_of_a_flat_vector(flat, x):
    W1, b1, W2 = unflatten(flat, [(3, 4), (4,), (4, 1)])
    return np.sum(np.tanh(x @ W1 + b1) @ W2)


def test_generator_unpacked_by_an_assignment():
    check_all(mlp_of_a_flat_vector, rng.normal(size=20), X)


# ------------------------------------------------ methods called inside expressions: order and conditions

class Counter:
    def __init__(self, W):
        self.W = W
        self.k = 1.0

    def bump(self, z):   # changes the object: how often it runs matters
        self.k = self.k * 3.0
        return z * self.W

    def act(self, z):
        return np.tanh(z)

    def out(self, z):
        return z * 2.0 + self.k

    def nested(self, x):
        return self.out(self.act(x * self.W))

    def summed(self, x):
        return self.bump(x) + self.out(x) * self.k


def method_in_a_conditional_expression(W, x):
    m = Counter(W)
    y = m.bump(x) if x > 5.0 else x   # bump must not run: x is 2.0
    return y * m.k


def method_in_a_comprehension(W, x):
    m = Counter(W)
    ys = [m.bump(v) for v in (x, x * 2.0)]   # runs twice
    return ys[0] * m.k + ys[1]


def nested_method_calls(W, x):
    return np.sum(Counter(W).nested(x))


def methods_summed_in_order(W, x):
    m = Counter(W)
    return m.summed(x) + m.k   # bump runs before out reads k


@pytest.mark.parametrize("f, wrt", [(method_in_a_conditional_expression, 1), (method_in_a_comprehension, 1),
                                    (nested_method_calls, 0), (nested_method_calls, 1),
                                    (methods_summed_in_order, 0), (methods_summed_in_order, 1)])
def test_methods_called_inside_expressions(f, wrt):
    assert s2s.value_and_grad(f, wrt=wrt)(1.5, 2.0)[0] == pytest.approx(f(1.5, 2.0))
    check_all(f, 1.5, 2.0, wrt=wrt)


@pytest.mark.parametrize("f", [method_in_a_conditional_expression, method_in_a_comprehension])
def test_a_method_run_sometimes_or_twice_on_an_object_built_from_the_gradient_is_refused(f):
    # W carries the gradient: the object would be taken apart, and its method cannot be moved out of the
    # expression (it would run when Python does not run it, or once for two runs); it was a wrong value before
    with pytest.raises(s2s.DifferentiationError, match="m = Counter"):
        s2s.grad(f, wrt=0)(1.5, 2.0)
