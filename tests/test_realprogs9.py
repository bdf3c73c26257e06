"""Real programs, session 9 of issue 11: what an outside reviewer's programs wrote that s2s did not take
unchanged (partials and bound methods as the differentiated function, ``enumerate(start=)`` and
``zip(strict=)``, pass-through decorators, helpers that change their argument in place, ``*params`` with
``wrt=``, ``dataclasses.replace`` and ``_replace``, effects that carry no gradient, internal parameter
names that clash with the user's keywords, ...). Each program is checked against central finite
differences in reverse, forward and hvp (``check_all``), or its refusal's message is checked."""
import functools

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(901)
X = rng.normal(size=(5, 3))
Y = rng.normal(size=5)
W0 = rng.normal(size=3)


# ---------------------------------------------------------------- item 12: the user's keywords named like s2s's own
CHECKED = []


def checking(func):   # a functools.wraps decorator whose checks run: s2s runs them through wrappers.validated
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        CHECKED.append(func.__name__)
        return func(*args, **kwargs)
    return wrapper


@checking
def scaled(x, wrapper=1.0, args=0.0, kwargs=0.0):
    return np.tanh(x) * wrapper + args + kwargs


def loss_keyword_wrapper(x):
    return np.sum(scaled(x, wrapper=2.0, args=1.0, kwargs=3.0) ** 2)


def shifted(x, fn=0.0):
    return np.sin(x) + fn


def loss_keyword_fn(x, ops):
    op = ops[0]   # a function known only at run time: a pullback / pushforward call
    return np.sum(op(x, fn=0.5) ** 2)


def test_keyword_named_wrapper():
    del CHECKED[:]
    check_all(loss_keyword_wrapper, W0)
    assert CHECKED and set(CHECKED) == {"scaled"}


def test_keyword_named_fn_through_a_pullback():
    check_all(loss_keyword_fn, W0, [shifted])   # hvp: forward over the pullback (s2s/pullback_dual.py)


# ---------------------------------------------------------------- item 1: partials, bound methods, callable objects
def loss(w, X, y, lam=0.1):
    return np.sum(np.tanh(X @ w - y) ** 2) + lam * np.sum(w ** 2)


def loss_data_first(X, w, y):
    return np.sum(np.sin(X @ w) * y)


class Model:
    def __init__(self, X, y):
        self.X = X
        self.y = y

    def loss(self, w, lam=0.1):
        return np.sum(np.tanh(self.X @ w - self.y) ** 2) + lam * np.sum(w ** 2)

    def __call__(self, w):
        return self.loss(w, lam=0.3)


def test_partial_with_keywords():
    check_all(functools.partial(loss, X=X, y=Y), W0)
    check_all(functools.partial(loss, X=X, y=Y, lam=0.7), W0)
    check_all(functools.partial(functools.partial(loss, y=Y), X=X), W0)   # partial of a partial


def test_partial_positional():
    check_all(functools.partial(loss_data_first, X), W0, Y)
    check_all(functools.partial(loss_data_first, X), W0, Y, wrt=1)   # wrt counts the partial's own parameters


def test_partial_wrt_list_and_names():
    p = functools.partial(loss, X=X, y=Y)
    g = s2s.grad(p, wrt=[0])(W0)
    np.testing.assert_allclose(g, s2s.numeric_grad(loss)(W0, X, Y), rtol=1e-6, atol=1e-8)
    gw, gy = s2s.grad(p, wrt=("w", "y"))(W0)   # a keyword the partial binds is still a parameter
    np.testing.assert_allclose(gy, s2s.numeric_grad(loss, wrt=2)(W0, X, Y), rtol=1e-6, atol=1e-8)
    value, gl = s2s.value_and_grad(p, wrt="lam")(W0, lam=0.2)
    assert value == pytest.approx(loss(W0, X, Y, 0.2))
    assert gl == pytest.approx(np.sum(W0 ** 2))
    v = np.arange(3.0)
    np.testing.assert_allclose(s2s.hessian(p)(W0) @ v, s2s.hvp(p)(W0, v), rtol=1e-8)
    np.testing.assert_allclose(s2s.jacobian(p)(W0), g, rtol=1e-8)
    with pytest.raises(ValueError, match="wrt=4"):
        s2s.grad(p, wrt=4)   # (w, *, X, y, lam): four parameters


def test_partial_reads_as_generated_source():
    import inspect
    src = inspect.getsource(s2s.grad(functools.partial(loss, X=X, y=Y)))
    assert src.strip().startswith("def dloss_dw(w, X, y, lam=0.1, *, dresult=1.0):")


def test_bound_method_and_callable_object():
    model = Model(X, Y)
    check_all(model.loss, W0)
    check_all(functools.partial(model.loss, lam=0.5), W0)
    check_all(model, W0)   # grad(model) is grad(model.__call__)
    assert not [k for k in vars(model) if "s2s" in k]   # nothing cached on the user's object


# ---------------------------------------------------------------- item 2: enumerate(start=), zip(strict=)
def weighted_by_position(xs):
    total = 0.0
    for i, x in enumerate(xs, start=1):
        total = total + np.sin(x) / i
    return total


def paired(a, b):
    total = 0.0
    for u, v in zip(a, b, strict=True):
        total = total + u * np.cos(v)
    return total


def paired_comprehension(a, b, first):
    terms = [k * u * v for k, (u, v) in enumerate(zip(a, b, strict=True), start=first)]
    return sum(terms)


def layers_loss(Ws, x):
    for depth, W in enumerate(Ws, start=1):
        x = np.tanh(W @ x) * depth
    return np.sum(x ** 2)


def test_enumerate_start():
    check_all(weighted_by_position, W0)
    check_all(layers_loss, [rng.normal(size=(3, 3)) * 0.5, rng.normal(size=(3, 3)) * 0.5], W0)
    check_all(layers_loss, [rng.normal(size=(3, 3)) * 0.5, rng.normal(size=(3, 3)) * 0.5], W0, wrt=1)


def test_zip_strict():
    check_all(paired, W0, W0[::-1] + 1.0)
    check_all(paired, W0, W0[::-1] + 1.0, wrt=1)
    check_all(paired_comprehension, W0, np.cos(W0), 2)
    check_all(paired_comprehension, W0, np.cos(W0), 2, wrt=1)


def test_zip_strict_still_checks_lengths():
    with pytest.raises(ValueError, match="zip"):
        s2s.grad(paired)(W0, W0[:2])
    with pytest.raises(ValueError, match="zip"):
        s2s.jvp(paired)(W0, W0[:2], W0)
    s2s.grad(lambda a, b: paired(a, b))(W0, W0[::-1])   # equal lengths: no error


# ---------------------------------------------------------------- item 3: a pass-through decorator without functools.wraps
def passing(f):
    def inner(*a, **k):
        """Calls f."""
        return f(*a, **k)
    return inner


def doubling(f):   # not a pass-through: the wrapper changes the value
    def inner(*a, **k):
        return 2.0 * f(*a, **k)
    return inner


@passing
def decorated_loss(w, scale=1.0):
    return np.sum(np.sin(X @ w) ** 2) * scale


@passing
def decorated_helper(w, s):
    return np.tanh(w) * s


@passing
@passing
def twice_decorated(w):
    return np.cos(w) * w


@doubling
def doubled_helper(w):
    return np.exp(w)


def uses_decorated_helper(w):
    total = 0.0
    for s in (1.0, 2.0):
        total = total + np.sum(decorated_helper(w, s=s) ** 2)
    return total + np.sum(twice_decorated(w))


class Net:
    def __init__(self, X):
        self.X = X

    @passing
    def loss(self, w):
        return np.sum(np.tanh(self.X @ w) ** 2)

    def total(self, w):
        return self.loss(w) + self.loss(2.0 * w)   # a decorated method called on self


def uses_doubled_helper(w):
    return np.sum(doubled_helper(w))


def test_passthrough_decorator_on_the_differentiated_function():
    check_all(decorated_loss, W0)
    check_all(decorated_loss, W0, 3.0, wrt=1)
    check_all(Net(X).loss, W0)
    check_all(Net(X).total, W0)
    net = Net(X)
    check_all(lambda w: net.loss(w) * 2.0, W0)   # a decorated method of an object of the module


def test_passthrough_decorator_on_a_helper():
    check_all(uses_decorated_helper, W0)


def test_a_decorator_that_changes_the_value_is_not_seen_through():
    with pytest.raises(s2s.DifferentiationError, match="line"):   # refused (as before), never the undecorated value
        s2s.grad(uses_doubled_helper)(W0)


# ---------------------------------------------------------------- item 5: wrt= over *params
W2 = rng.normal(size=(3, 2))
B2 = rng.normal(size=2)


def star_params(*ps):
    W, b = ps
    return np.sum(np.tanh(X @ W + b) ** 2)


def star_layers(x, *Ws, scale=1.0):
    for W in Ws:
        x = np.tanh(x @ W)
    return np.sum(x ** 2) * scale


def test_wrt_over_star_params():
    from tests.test_real_programs import fd_grad
    gW, gb = s2s.grad(star_params, wrt=[0, 1])(W2, B2)
    np.testing.assert_allclose(gW, fd_grad(star_params, (W2, B2), 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gb, fd_grad(star_params, (W2, B2), 1), rtol=1e-5, atol=1e-6)
    check_all(star_params, W2, B2, wrt=0)
    check_all(star_params, W2, B2, wrt=1)
    A = rng.normal(size=(3, 3)) * 0.5
    check_all(star_layers, X, A, W2, wrt=2)
    check_all(star_layers, X, A, W2, wrt=1)
    g = s2s.grad(star_layers, wrt=[1, 2])(X, A, W2, scale=2.0)   # a keyword-only parameter passes through
    np.testing.assert_allclose(g[1], 2.0 * fd_grad(star_layers, (X, A, W2), 2), rtol=1e-5, atol=1e-6)
    ngW, ngb = s2s.numeric_grad(star_params, wrt=[0, 1])(W2, B2)   # finite differences count the same way
    np.testing.assert_allclose(ngW, gW, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ngb, gb, rtol=1e-5, atol=1e-6)
    s2s.check_grad(star_layers, X, A, W2, wrt=[1, 2], scale=2.0)
    jv = s2s.jvp(star_params, wrt=[0, 1])(W2, B2, W2, B2)   # tangents last
    want = np.sum(fd_grad(star_params, (W2, B2), 0) * W2) + np.sum(fd_grad(star_params, (W2, B2), 1) * B2)
    assert jv == pytest.approx(want, rel=1e-6)


# ---------------------------------------------------------------- item 7: effects that carry no gradient
n_calls = 0
LOG = []
total_seen = 0.0


class Counter:
    def __init__(self):
        self.n = 0


counter = Counter()


def counted(w):
    global n_calls
    n_calls += 1
    return np.sum(np.sin(w) ** 2)


def logged(w):
    loss_value = np.sum(np.tanh(X @ w) ** 2)
    LOG.append(float(loss_value))
    return loss_value


def counted_on_object(w):
    counter.n += 1
    return np.sum(np.cos(w) * w)


def stores_a_gradient_globally(w):
    global total_seen
    total_seen = np.sum(w ** 2)
    return total_seen * 2.0


def test_global_counter_runs_once_per_call():
    global n_calls
    check_all(counted, W0)
    n_calls = 0
    s2s.grad(counted)(W0)
    s2s.value_and_grad(counted)(W0)
    s2s.jvp(counted)(W0, W0)
    s2s.hvp(counted)(W0, W0)
    assert n_calls == 4   # once per call of each generated function, as the primal


def test_module_history_and_counter_object():
    check_all(logged, W0)
    del LOG[:]
    s2s.grad(logged)(W0)
    assert LOG == [pytest.approx(float(np.sum(np.tanh(X @ W0) ** 2)))]   # once, the primal's value
    check_all(counted_on_object, W0)
    counter.n = 0
    s2s.grad(counted_on_object)(W0)
    s2s.jvp(counted_on_object)(W0, W0)
    assert counter.n == 2


def test_a_gradient_stored_in_a_global_is_refused():
    with pytest.raises(s2s.DifferentiationError, match="total_seen = np.sum"):
        s2s.grad(stores_a_gradient_globally)(W0)


# ---------------------------------------------------------------- item 11: an object with a .forward method as wrt
class Dense:
    def __init__(self, W):
        self.W = W

    def forward(self, X):
        return np.tanh(X @ self.W)


def model_loss(model, X):
    return np.sum(model.forward(X) ** 2)


def test_object_with_forward_as_wrt_is_differentiated():
    # refused (with advice) until the code was made for the argument's class (s2s/typed_params.py): now
    # model.forward(X) is differentiated from Dense.forward's source, in reverse, forward and hvp
    check_all(model_loss, Dense(W2), X)
    g = s2s.grad(model_loss)(Dense(W2), X)
    assert type(g) is Dense and g.W.shape == W2.shape


def test_object_with_forward_not_differentiated_still_works():
    check_all(model_loss, Dense(W2), X, wrt=1)   # a static call of Dense.forward: hvp too (was a pullback)


# ---------------------------------------------------------------- item 9: += on an object whose class has only __iadd__
class Accumulator:
    def __init__(self):
        self.total = 0.0

    def __iadd__(self, value):
        self.total = self.total + value
        return self


class Both:   # __add__ and __iadd__ differ: Python's += calls __iadd__
    def __init__(self):
        self.total = 0.0

    def __add__(self, value):
        raise AssertionError("+= must call __iadd__")

    def __iadd__(self, value):
        self.total = self.total + 2.0 * value
        return self


def accumulate(w):
    acc = Accumulator()
    for x in w:
        acc += np.sin(x) * x
    return acc.total


def accumulate_both(w):
    acc = Both()
    acc += np.sum(w ** 2)
    return acc.total


def test_iadd_only_object_is_followed():
    check_all(accumulate, W0)
    check_all(accumulate_both, W0)


# ---------------------------------------------------------------- item 4: a helper that changes its argument in place
def softmax_(z):
    z -= z.max()
    np.exp(z, out=z)
    z /= z.sum()
    return z


def normalize_(v):
    v /= np.linalg.norm(v)
    return v


def softmax_loss(w):
    s = X @ w
    s = softmax_(s)
    return np.sum(s * Y)


def normalized_loss(w):
    s = w * 2.0
    s = normalize_(s)
    return np.sum(s * np.arange(3.0))


def test_helpers_changing_their_argument_in_place():
    check_all(softmax_loss, W0)
    check_all(normalized_loss, W0)
    w = W0.copy()
    s2s.grad(softmax_loss)(w)
    np.testing.assert_array_equal(w, W0)   # the input is not changed


# ---------------------------------------------------------------- item 10: odeint of a right-hand side returning a list
def oscillator(y, t, k):   # as SciPy's own odeint example writes it: a list
    return [y[1], -k * y[0] - 0.1 * y[1]]


def oscillator_tuple(y, t):
    return (y[1], -np.sin(y[0]))


def final_energy(k):
    import scipy.integrate
    sol = scipy.integrate.odeint(oscillator, np.array([1.0, 0.0]), np.linspace(0.0, 1.0, 5), args=(k,),
                                 rtol=1e-10, atol=1e-10)
    return np.sum(sol[-1] ** 2)


def pendulum_end(y0):
    import scipy.integrate
    sol = scipy.integrate.odeint(oscillator_tuple, y0, np.linspace(0.0, 1.0, 4), rtol=1e-10, atol=1e-10)
    return np.sum(sol[-1] * np.array([1.0, 2.0]))


def test_odeint_of_a_list_valued_rhs():
    check_all(final_energy, 2.0, hvp="refuses")   # hvp: forward over the adjoint ODE is refused
    check_all(pendulum_end, np.array([0.5, 0.1]), hvp="refuses")


# ---------------------------------------------------------------- item 6: dataclasses.replace, namedtuple._replace
import collections  # noqa: E402
import dataclasses  # noqa: E402


@dataclasses.dataclass
class LayerParams:
    W: np.ndarray
    b: np.ndarray
    name: str = "dense"


NTParams = collections.namedtuple("NTParams", "W b")


def scaled_dataclass(p):
    q = dataclasses.replace(p, W=p.W * 2.0)
    return np.sum(np.tanh(X @ q.W + q.b) ** 2)


def two_fields_dataclass(p):
    q = dataclasses.replace(p, W=np.sin(p.W), b=p.b * p.b)
    return np.sum(np.tanh(X @ q.W + q.b) ** 2) + np.sum(q.W * p.W)


def sgd_namedtuple(p):
    for _ in range(2):
        g = np.tanh(p.W)
        p = p._replace(W=p.W - 0.1 * g)   # an update step, as optimizers write it
    return np.sum(np.tanh(X @ p.W + p.b) ** 2)


def test_dataclasses_replace():
    p = LayerParams(W2, B2)
    check_all(scaled_dataclass, p)
    check_all(two_fields_dataclass, p)
    g = s2s.grad(two_fields_dataclass)(p)
    assert isinstance(g, LayerParams) and g.name == "dense"


def test_namedtuple_replace():
    p = NTParams(W2, B2)
    check_all(sgd_namedtuple, p)
    assert isinstance(s2s.grad(sgd_namedtuple)(p), NTParams)


def test_replace_on_something_else_is_refused():
    with pytest.raises(s2s.DifferentiationError, match="namedtuple"):
        s2s.grad(sgd_namedtuple)(LayerParams(W2, B2))   # a dataclass has no _replace


# ---------------------------------------------------------------- item 8: an element of a parameter, rebound then augmented
def running_total(x, vs):
    total = x[0]
    for v in vs:
        total += v * x[1]
    return total * x[2]


def running_total_copied(x, vs):   # the fix the refusal gives
    total = x[0].copy()
    for v in vs:
        total += v * x[1]
    return total * x[2]


def test_element_rebound_then_augmented():
    x = np.array([0.3, -0.2, 0.5])
    from tests.test_real_programs import fd_grad
    t = np.array([1.0, 0.5, -1.0])
    assert s2s.jvp(running_total)(x, [1.0, 2.0], t) == pytest.approx(np.sum(fd_grad(running_total, (x, [1.0, 2.0]), 0)
                                                                            * t), rel=1e-7)
    with pytest.raises(s2s.DifferentiationError) as e:   # reverse: x[0] may be a row that total += changes in place
        s2s.grad(running_total)(x, [1.0, 2.0])
    assert "total += v * x[1]" in str(e.value) and "total = x[0].copy()" in str(e.value)
    check_all(running_total_copied, x, [1.0, 2.0])


def accumulate_into(w, acc):   # acc's class is not known when the code is generated
    acc += np.sum(np.sin(w))
    return acc.total


def test_iadd_only_parameter_is_refused_not_crashed():
    for make in (s2s.grad, s2s.jvp):
        with pytest.raises(s2s.DifferentiationError) as e:
            make(accumulate_into)(W0, Accumulator())
        msg = str(e.value)
        assert "acc += np.sum(np.sin(w))" in msg and "Accumulator" in msg and "acc = acc + (np.sum(np.sin(w)))" in msg


# ---------------------------------------------------------------- fuzz seed 87000143: an object built inside a lambda
class Scale:
    def __init__(self, c):
        self.c = c

    def apply(self, a):
        return a * self.c


def object_in_a_lambda(x, p):
    g = lambda z: Scale(z * z).apply(0.5)   # noqa: E731  (z is the lambda's: nothing to hoist before the line)
    return g(2.0 - p) * Scale(g(p)).apply(x)


def object_in_a_comprehension(x):
    return sum([Scale(e).apply(x[0]) for e in x])


def test_an_object_built_in_a_lambda_or_comprehension_is_not_hoisted_out_of_it():
    check_all(object_in_a_lambda, 2.0, 3.0)
    for f, args, wrt in ((object_in_a_lambda, (2.0, 3.0), 1), (object_in_a_comprehension, (np.array([2.0, 3.0]),), 0)):
        try:   # followed or refused at the user's line, never a NameError from code hoisted out of a scope
            check_all(f, *args, wrt=wrt)
        except s2s.DifferentiationError as e:
            assert f.__name__ in str(e) and "Scale(" in str(e)
