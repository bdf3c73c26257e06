"""Review 13: gradients made before a global, a helper or a method changed, instance attributes shadowing
methods, ``*args`` lambdas, list seeds, and two messages (s2s/signature.py dispatcher, s2s/fncache.py).

A gradient function keeps the code it generated; that code resolved the user's free names (a function, a
class, a module attribute) when it was generated. Each call checks they still resolve to the same objects
and generates again when one changed: never the old function's derivative with the new function's values.
Every number is checked against finite differences (tests/test_real_programs.py's ``fd_grad``)."""
import functools
import sys
import types

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all, fd_grad

X3 = np.array([0.3, -0.8, 1.1])
V3 = np.array([0.5, -1.0, 2.0])


def _made(f, wrt=0):
    """The derivatives of f made (and called once) before a change: reverse, value_and_grad, vjp, jvp, hvp."""
    return {"grad": s2s.grad(f, wrt=wrt), "vg": s2s.value_and_grad(f, wrt=wrt), "vjp": s2s.vjp(f, wrt=wrt),
            "jvp": s2s.jvp(f, wrt=wrt), "hvp": s2s.hvp(f, wrt=wrt)}


def _check_made(made, f, args, wrt=0, v=None, scalar=True):
    """The derivatives made before (``_made``) agree with finite differences of f as it is now."""
    want = fd_grad(f, args, wrt)
    np.testing.assert_allclose(made["grad"](*args), want, rtol=1e-5, atol=1e-6)
    val, g = made["vg"](*args)
    np.testing.assert_allclose(val, f(*args), rtol=1e-12)
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    val, back = made["vjp"](*args)
    np.testing.assert_allclose(back(1.0), want, rtol=1e-5, atol=1e-6)
    v = np.ones(np.shape(args[wrt])) if v is None else v
    np.testing.assert_allclose(made["jvp"](*args, v), np.sum(np.asarray(want) * v), rtol=1e-5, atol=1e-6)
    if scalar:
        h = 1e-5
        at = lambda s: s2s.grad(f, wrt=wrt)(*[a + s * h * v if i == wrt else a for i, a in enumerate(args)])  # noqa
        np.testing.assert_allclose(made["hvp"](*args, v), (at(1) - at(-1)) / (2 * h), rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------- a global bound to a function, rebound

ACT = np.tanh


def act_loss(x):
    return np.sum(ACT(x) * x)


def act_scalar(x):
    return ACT(x) * 2.0


def test_global_function_rebound_after_the_gradient_was_made():
    global ACT
    ACT = np.tanh
    made, made_s = _made(act_loss), _made(act_scalar)
    _check_made(made, act_loss, [X3])
    _check_made(made_s, act_scalar, [0.5], v=1.0)
    try:
        ACT = np.sin   # the gradients made with tanh's rule must now differentiate sin
        _check_made(made, act_loss, [X3])
        _check_made(made_s, act_scalar, [0.5], v=1.0)
        np.testing.assert_allclose(made_s["grad"](0.5), 2 * np.cos(0.5), rtol=1e-12)
        np.testing.assert_allclose(s2s.grad(act_scalar)(0.5), 2 * np.cos(0.5), rtol=1e-12)   # made again: fresh
        check_all(act_loss, X3)
        ACT = np.tanh   # and back
        _check_made(made, act_loss, [X3])
        np.testing.assert_allclose(made_s["grad"](0.5), 2 * (1 - np.tanh(0.5) ** 2), rtol=1e-12)
    finally:
        ACT = np.tanh


# ---------------------------------------------------------------- a helper redefined (a notebook's cell run again)

def helper(x):
    return x * 2.0


def helper_loss(x):
    return np.sum(helper(x) ** 2)


def outer_loss(x):   # through two levels of user functions
    return helper_loss(x) + np.sum(x)


def test_helper_redefined_after_the_gradient_was_made():
    global helper
    old = helper
    made, made_outer = _made(helper_loss), _made(outer_loss)
    _check_made(made, helper_loss, [X3])
    _check_made(made_outer, outer_loss, [X3])
    np.testing.assert_allclose(made["grad"](1.0), 8.0)
    try:
        def helper(x):   # noqa: F811 (the redefinition is the test)
            return np.sin(x) * 3.0
        _check_made(made, helper_loss, [X3])
        _check_made(made_outer, outer_loss, [X3])
        np.testing.assert_allclose(made["grad"](1.0), 18 * np.sin(1.0) * np.cos(1.0), rtol=1e-12)
        check_all(outer_loss, X3)
    finally:
        helper = old


def passthrough(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


@passthrough
def decorated(x):
    return x ** 2


def decorated_loss(x):
    return np.sum(decorated(x))


def test_decorated_helper_redefined():
    global decorated
    old = decorated
    made = _made(decorated_loss)
    _check_made(made, decorated_loss, [X3])
    try:
        @passthrough
        def decorated(x):   # noqa: F811
            return x ** 3
        _check_made(made, decorated_loss, [X3])
    finally:
        decorated = old


# ---------------------------------------------------------------- a module attribute, a class, rebound

r13lib = types.ModuleType("r13lib")   # a user module (not a library s2s trusts never to change)
r13lib.act = np.tanh
sys.modules.setdefault("r13lib", r13lib)


def module_loss(x):
    return np.sum(r13lib.act(x) ** 2)


def test_module_attribute_rebound():
    r13lib.act = np.tanh
    made = _made(module_loss)
    _check_made(made, module_loss, [X3])
    try:
        r13lib.act = np.sin
        _check_made(made, module_loss, [X3])
    finally:
        r13lib.act = np.tanh


class Scale:
    def __init__(self, x):
        self.x = x

    def value(self):
        return self.x * 2.0


def class_loss(x):
    return np.sum(Scale(x).value() ** 2)


def test_class_redefined():
    global Scale
    old = Scale
    made = _made(class_loss)
    _check_made(made, class_loss, [X3])
    try:
        class Scale:   # noqa: F811
            def __init__(self, x):
                self.x = x

            def value(self):
                return np.sin(self.x)
        _check_made(made, class_loss, [X3])
    finally:
        Scale = old


# ---------------------------------------------------------------- methods: the class's, the instance's

class Model:
    def __init__(self, w):
        self.w = w

    def act(self, z):
        return np.tanh(z)

    def predict(self, x):
        return self.act(self.w * x)

    def __call__(self, x):
        return np.sum(self.predict(x))


def model_loss(m, x):
    return np.sum(m.predict(x))


W3 = np.array([0.5, 1.0, -2.0])


def test_method_patched_on_the_class_after_the_gradient_was_made():
    old = Model.act
    m = Model(W3.copy())
    made = _made(model_loss, wrt=1)
    _check_made(made, model_loss, [m, X3], wrt=1)
    try:
        Model.act = lambda self, z: np.sin(z)
        _check_made(made, model_loss, [m, X3], wrt=1)
    finally:
        Model.act = old


def test_instance_attribute_shadowing_a_method_is_refused():
    m = Model(W3.copy())
    m.act = np.sin   # the primal calls sin; the class's act is tanh
    for wrt in (0, 1):
        with pytest.raises(s2s.DifferentiationError, match="holds act = sin on the instance"):
            s2s.grad(model_loss, wrt=wrt)(m, X3)
    with pytest.raises(s2s.DifferentiationError, match="defines a method act"):
        s2s.jvp(model_loss, wrt=1)(m, X3, np.ones(3))
    with pytest.raises(s2s.DifferentiationError, match="holds act = sin"):
        s2s.grad(m.predict)(X3)
    with pytest.raises(s2s.DifferentiationError, match="holds act = sin"):
        s2s.grad(m)(X3)
    with pytest.raises(s2s.DifferentiationError, match="holds act = sin"):
        s2s.hvp(m)(X3, np.ones(3))


def test_instance_attribute_set_after_the_gradient_was_made():
    m = Model(W3.copy())
    made = [s2s.grad(model_loss, wrt=1), s2s.grad(m.predict), s2s.grad(m), s2s.jvp(model_loss, wrt=1)]
    args = [(m, X3), (X3,), (X3,), (m, X3, np.ones(3))]
    for g, a in zip(made, args):
        g(*a)
    check_all(lambda x: model_loss(m, x), X3, hvp=False)   # (hvp: m.predict is a run-time pullback there)
    m.act = np.sin
    for g, a in zip(made, args):
        with pytest.raises(s2s.DifferentiationError, match="holds act = sin"):
            g(*a)
    del m.act   # the class's method again: the same gradients give its numbers
    np.testing.assert_allclose(made[0](m, X3), fd_grad(lambda x: model_loss(m, x), [X3], 0), rtol=1e-5, atol=1e-6)


GLOBAL_MODEL = Model(W3.copy())


def global_model_loss(x):
    return np.sum(GLOBAL_MODEL.predict(x)) + GLOBAL_MODEL(x)


def test_global_instance_shadowing():
    made = _made(global_model_loss)
    _check_made(made, global_model_loss, [X3])
    try:
        GLOBAL_MODEL.act = np.sin
        with pytest.raises(s2s.DifferentiationError, match="GLOBAL_MODEL"):
            made["grad"](X3)
        with pytest.raises(s2s.DifferentiationError, match="holds act = sin"):
            s2s.jvp(global_model_loss)(X3, np.ones(3))
    finally:
        del GLOBAL_MODEL.act
    _check_made(made, global_model_loss, [X3])


class FieldModel:   # the supported spelling: a function stored under a name the class does not define
    def __init__(self, w, act):
        self.w = w
        self.act_fn = act

    def predict(self, x):
        return self.act_fn(self.w * x)


def field_loss(m, x):
    return np.sum(m.predict(x))


def test_function_held_in_a_field_is_differentiated():
    m = FieldModel(W3.copy(), np.sin)
    check_all(lambda x: field_loss(m, x), X3, hvp=False)   # (hvp: m.predict is a run-time pullback there)
    np.testing.assert_allclose(s2s.grad(field_loss, wrt=1)(m, X3), np.cos(W3 * X3) * W3, rtol=1e-12)
    np.testing.assert_allclose(s2s.grad(field_loss)(m, X3).w, np.cos(W3 * X3) * X3, rtol=1e-12)


def test_class_attribute_data_shadowed_by_the_instance_is_not_refused():
    class Counter:
        n = 1.0   # data on the class, set on the instance: not a method

        def __init__(self):
            self.n = 3.0

        def times(self, x):
            return self.n * x

    c = Counter()
    np.testing.assert_allclose(s2s.grad(lambda x: np.sum(c.times(x) ** 2))(X3), 18.0 * X3)


# ---------------------------------------------------------------- *args lambdas, list seeds, messages

def aux_f(w, X):
    return np.sum(np.tanh(X @ w) ** 2), {"n": 1}


def test_lambda_star_args():
    h = lambda *a: np.sum(a[0] ** 2) * np.sum(a[1])  # noqa: E731
    w, y = X3, np.array([1.0, 2.0])
    want = fd_grad(h, [w, y], 0)
    np.testing.assert_allclose(s2s.grad(h)(w, y), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s2s.vjp(h)(w, y)[1](1.0), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s2s.vjp(h)(w, y)[1](np.float64(2.0)), 2 * want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s2s.jvp(h)(w, y, V3), want @ V3, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s2s.hvp(h)(w, y, V3), 2 * np.sum(y) * V3, rtol=1e-5, atol=1e-6)


def test_lambda_star_args_spreading_into_a_call_refuses_cleanly():
    g = lambda *a: aux_f(*a)[0]  # noqa: E731
    X = np.random.RandomState(0).randn(4, 3)
    for make in (lambda: s2s.grad(g)(X3, X), lambda: s2s.jvp(g)(X3, X, V3), lambda: s2s.hvp(g)(X3, X, V3),
                 lambda: s2s.vjp(g)(X3, X)[1](1.0)):
        with pytest.raises(s2s.DifferentiationError, match="test_review13_cache_and_methods.py"):
            make()
    with pytest.raises(TypeError) as e:
        s2s.hvp(aux_f, has_aux=True)
    assert "lambda *a" not in str(e.value) and "f(w, X)[0]" in str(e.value)
    check_all(lambda w, X: aux_f(w, X)[0], X3, X)   # what the advice says works


def square(x):
    return x ** 2


def test_list_seed_of_an_array_output():
    want = 2 * X3 * np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(s2s.grad(square)(X3, dresult=[1.0, 2.0, 3.0]), want)
    np.testing.assert_allclose(s2s.grad(square)(X3, dresult=(1.0, 2.0, 3.0)), want)
    np.testing.assert_allclose(s2s.vjp(square)(X3)[1]([1.0, 2.0, 3.0]), want)
    np.testing.assert_allclose(s2s.value_and_grad(square)(X3, dresult=[1.0, 2.0, 3.0])[1], want)
    with pytest.raises(s2s.DifferentiationError, match=r"shape \(2,\)"):
        s2s.grad(square)(X3, dresult=[1.0, 2.0])
    with pytest.raises(s2s.DifferentiationError, match="structure"):
        s2s.grad(square)(X3, dresult=["a", "b", "c"])


def one_tuple(x):
    return (np.sum(x ** 2),)


def test_one_tuple_seed_advice_is_a_tuple():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(one_tuple)(X3)
    assert "dresult=(1.0,)" in str(e.value) and "1 value," in str(e.value)
    np.testing.assert_allclose(s2s.grad(one_tuple)(X3, dresult=(1.0,)), 2 * X3)


posonly = lambda v, /, k=2: np.sum(v ** k)  # noqa: E731
posonly2 = lambda a, b, /, c=1.5: np.sum(a * b * c)  # noqa: E731


def test_lambda_with_positional_only_parameters():
    check_all(posonly, X3)
    check_all(posonly2, X3, V3, wrt=1)


def test_numba_backend_recompiles_after_a_rebinding():
    pytest.importorskip("numba")
    global ACT
    df = s2s.grad(act_loss, backend="numba")
    try:
        ACT = np.tanh
        np.testing.assert_allclose(df(X3), fd_grad(act_loss, [X3], 0), rtol=1e-5, atol=1e-6)
        ACT = np.sin
        np.testing.assert_allclose(df(X3), fd_grad(act_loss, [X3], 0), rtol=1e-5, atol=1e-6)
    finally:
        ACT = np.tanh


def act_vec(x):
    return ACT(x) * x[0]


def _fd_jacobian(f, x, eps=1e-6):
    cols = [(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)]
    return np.stack(cols, axis=-1)


def test_second_order_and_matrices_made_before_a_rebinding():
    global ACT
    ACT = np.tanh
    d2 = s2s.grad(s2s.grad(act_scalar))
    vg = s2s.value_and_grad(act_scalar)
    d2v = s2s.grad(lambda x: vg(x)[1])
    H = s2s.hessian(act_loss)
    J = {m: s2s.jacobian(act_vec, mode=m) for m in ("forward", "reverse")}
    x2 = np.array([0.3, 0.5])
    for _ in range(2):   # tanh, then sin
        want2 = fd_grad(lambda x: 2.0 * (1 - np.tanh(x) ** 2) if ACT is np.tanh else 2.0 * np.cos(x), [0.5], 0)
        np.testing.assert_allclose(d2(0.5), want2, rtol=1e-5)
        np.testing.assert_allclose(d2v(0.5), want2, rtol=1e-5)
        np.testing.assert_allclose(H(x2), _fd_jacobian(s2s.grad(act_loss), x2), rtol=1e-5, atol=1e-6)
        for m, jac in J.items():
            np.testing.assert_allclose(jac(x2), _fd_jacobian(act_vec, x2), rtol=1e-5, atol=1e-6)
        ACT = np.sin
    ACT = np.tanh
