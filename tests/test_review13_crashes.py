"""Crashes and bad messages found in session 13 (issue 11, real programs).

Arguments passed by keyword are specialized as positional ones are (s2s/signature.py): a data loader passed
``loss(w, loader=Loader(X))`` is walked by its ``__iter__`` (it crashed with ``TypeError: no len()`` inside the
generated code), and so is any argument that iterates but cannot be indexed by position (a generator, ``map``,
``iter(xs)``, ``itertools.islice``, a class with ``__getitem__`` alone), passed either way, to the function or
to a function it calls. Every case is checked against finite differences in reverse, forward and hvp."""
import dataclasses
import functools
import itertools
from collections import namedtuple

import numpy as np
import pytest

import s2s
from tests.test_real_programs import fd_grad, leaves, same_type, tdot, tmap

rng = np.random.default_rng(1300)
X = rng.normal(size=(6, 3))
W0 = rng.normal(size=3)


class Loader:
    def __init__(self, X):
        self.X = X

    def __iter__(self):
        for i in range(0, len(self.X), 2):
            yield self.X[i:i + 2]


class OldProtocol:   # iterable through __getitem__ alone (no __len__)
    def __init__(self, X):
        self.X = X

    def __getitem__(self, i):
        if 2 * i >= len(self.X):
            raise IndexError(i)
        return self.X[2 * i:2 * i + 2]


def batches(X):
    for i in range(0, len(X), 2):
        yield X[i:i + 2]


def loss(w, loader=None):
    t = 0.0
    for xb in loader:
        t = t + np.sum(np.tanh(xb @ w))
    return t


def loss_kwonly(w, *, loader, scale=1.0):
    t = 0.0
    for i, xb in enumerate(loader):
        t = t + scale * (i + 1.0) * np.sum(np.sin(xb @ w) * w[0])
    return t


def calls_with_keyword(w, L):
    return loss(w, loader=L)


def builds_loader(w, X):
    return loss(w, loader=Loader(X)) + 0.5 * loss_kwonly(w, loader=Loader(X))


class Fresh:
    """A positional argument made afresh for each call (a one-shot iterator is consumed by a call)."""
    def __init__(self, make):
        self.make = make


def check(f, args, kwargs, wrt, tol=1e-5):
    """Reverse, forward and hvp of ``f(*args, **kwargs)`` with respect to ``wrt`` (an index into args or a
    keyword's name), against finite differences; the tangent is passed by its name for a keyword ``wrt``.
    ``kwargs`` values are made afresh for each call by calling them, as ``Fresh`` positional arguments."""
    def call_args(x=None):
        a = [v.make() if isinstance(v, Fresh) else v for v in args]
        kw = {k: v() for k, v in kwargs.items()}
        if x is not None:
            if isinstance(wrt, str):
                kw[wrt] = x
            else:
                a[wrt] = x
        return a, kw
    a, kw = call_args()
    x = kw[wrt] if isinstance(wrt, str) else a[wrt]

    def at(x_):
        a_, kw_ = call_args(x_)
        return f(*a_, **kw_)
    want = fd_grad(at, [x], 0)
    got = s2s.grad(f, wrt=wrt)(*a, **kw)
    same_type(got, x)
    for g, w_ in zip(leaves(got), leaves(want)):
        np.testing.assert_allclose(g, w_, rtol=tol, atol=tol)
    v = tmap(lambda l: np.sin(np.arange(l.size).reshape(l.shape) + 1.0) if l.shape else 0.7, x)
    for make, check_ in ((s2s.jvp, "jvp"), (s2s.hvp, "hvp")):
        d = make(f, wrt=wrt)
        a, kw = call_args()
        if isinstance(wrt, str):
            out = d(*a, **kw, **{d.s2s_tangents[0]: v})
        else:
            out = d(*a, v, **kw)
        if check_ == "jvp":
            np.testing.assert_allclose(out, tdot(want, v), rtol=tol, atol=tol)
            continue
        same_type(out, x)
        g = s2s.grad(f, wrt=wrt)
        h = 1e-5

        def grad_at(s):
            a_, kw_ = call_args(tmap(lambda p, t: p + s * h * t, x, v))
            return g(*a_, **kw_)
        want_hv = tmap(lambda p, m: (p - m) / (2 * h), grad_at(1), grad_at(-1))
        for p, q in zip(leaves(out), leaves(want_hv)):
            np.testing.assert_allclose(p, q, rtol=1e-4, atol=1e-4)


ITERABLES = {
    "loader": lambda: Loader(X),
    "generator": lambda: batches(X),
    "map": lambda: map(lambda i: X[i:i + 2], (0, 2, 4)),
    "iter(list)": lambda: iter([X[0:2], X[2:4], X[4:6]]),
    "islice": lambda: itertools.islice(batches(X), 3),
    "__getitem__ alone": lambda: OldProtocol(X),
}


@pytest.mark.parametrize("kind", sorted(ITERABLES))
def test_an_iterable_passed_by_keyword(kind):
    check(loss, (W0,), {"loader": ITERABLES[kind]}, 0)


@pytest.mark.parametrize("kind", sorted(ITERABLES))
def test_an_iterable_passed_positionally(kind):
    check(loss, (W0, Fresh(ITERABLES[kind])), {}, 0)
    check(calls_with_keyword, (W0, Fresh(ITERABLES[kind])), {}, 0)   # and on, by keyword, to a helper


@pytest.mark.parametrize("kind", ["loader", "generator"])
def test_keyword_only_loader_and_every_argument_by_keyword(kind):
    check(loss_kwonly, (W0,), {"loader": ITERABLES[kind]}, 0)
    check(loss_kwonly, (), {"w": lambda: W0, "loader": ITERABLES[kind]}, "w")
    check(loss_kwonly, (W0,), {"loader": ITERABLES[kind], "scale": lambda: 0.3}, 0)


def test_a_loader_built_inside_and_passed_by_keyword_to_a_helper():
    check(builds_loader, (W0, X), {}, 0)


def test_a_partial_binding_the_loader():
    check(functools.partial(loss, loader=Loader(X)), (W0,), {}, 0)


def test_a_method_given_the_loader_by_keyword():
    class Model:
        def __init__(self, c):
            self.c = c

        def loss(self, w, loader=None):
            t = 0.0
            for xb in loader:
                t = t + self.c * np.sum(np.tanh(xb @ w))
            return t
    m = Model(0.7)
    check(m.loss, (W0,), {"loader": ITERABLES["loader"]}, 0)


def test_the_generated_code_walks_the_loader():
    src = s2s.grad(loss).source(W0, loader=Loader(X))
    assert "iter(loader)" in src and "len(loader)" not in src
    assert "len(loader)" in s2s.grad(loss).source(W0, loader=[X[:2], X[2:]])   # a list: indexed, as before


# ---------------------------------------------------------------- records and objects passed by keyword
P = namedtuple("P", "W b")


class PT(P):   # a namedtuple with a property: its class is pinned
    __slots__ = ()

    @property
    def Wt(self):
        return self.W.T


@dataclasses.dataclass
class Dense:
    W: np.ndarray
    b: float

    def forward(self, x):
        return np.tanh(x @ self.W + self.b)


class Plain:
    def __init__(self, W):
        self.W = W

    def forward(self, x):
        return np.sin(x @ self.W)


def nt_loss(x, p=None):
    return np.sum(np.tanh(X @ p.W + p.b) * x)


def pt_loss(x, p=None):
    return np.sum(np.tanh(X @ p.Wt + p.b) * x)


def dense_loss(x, *, layer):
    return np.sum(layer.forward(X) * x ** 2)


def plain_loss(x, model=None):
    return np.sum(model.forward(X) * x)


RECORDS = {
    "namedtuple": (nt_loss, "p", lambda: P(rng.normal(size=(3, 2)), rng.normal(size=2))),
    "namedtuple with a property": (pt_loss, "p", lambda: PT(rng.normal(size=(2, 3)), rng.normal(size=2))),
    "dataclass with a method": (dense_loss, "layer", lambda: Dense(rng.normal(size=(3, 2)), 0.3)),
    "plain object with a method": (plain_loss, "model", lambda: Plain(rng.normal(size=(3, 2)))),
}


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_a_record_passed_by_keyword(kind):
    f, name, make = RECORDS[kind]
    value = make()
    check(f, (np.array([0.3, -0.8]),), {name: lambda: value}, 0)         # with respect to x
    check(f, (np.array([0.3, -0.8]),), {name: lambda: value}, name)      # with respect to the record, wrt="p"


# ---------------------------------------------------------------- refusals that name the loader
def test_differentiating_with_respect_to_the_loader_refuses_naming_it():
    for make in (s2s.grad, s2s.jvp, s2s.hvp):
        with pytest.raises(s2s.DifferentiationError) as e:
            d = make(loss, wrt="loader")
            d(W0, loader=Loader(X)) if make is s2s.grad else d(W0, loader=Loader(X), **{d.s2s_tangents[0]: 1.0})
        msg = str(e.value)
        assert "for xb in loader:" in msg and "`loader`, a `Loader` object" in msg, msg
        assert "builtin" not in msg and "iter`" not in msg, msg


# ---------------------------------------------------------------- a global object given its parameters
class GNet:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def act(self, z):
        return np.tanh(z)

    def forward(self, X):
        self.cache = X @ self.W + self.b   # cached on the object, as layer libraries do
        return self.act(self.cache)


class Counting(GNet):
    def forward(self, X):
        self.calls += 1
        return np.tanh(X @ self.W + self.b)


NET = GNet(np.zeros((3, 2)), rng.normal(size=2))
NET2 = GNet(np.zeros((3, 2)), np.zeros(2))
COUNTING = Counting(np.zeros((3, 2)), np.zeros(2))
COUNTING.calls = 0
LAYERS = [GNet(np.zeros((3, 2)), np.zeros(2))]
W1 = rng.normal(size=(3, 2))


def global_loss(W):
    NET.W = W
    return np.sum(NET.forward(X) ** 2)


def global_twice(W):
    NET.W = W
    a = np.sum(NET.forward(X))
    NET.W = np.sin(W)
    return a * np.sum(NET.forward(X) ** 2)


def global_pair(W, b):
    NET2.W, NET2.b = W, b
    return np.sum(NET2.forward(X) ** 2)


def test_a_global_object_given_its_parameters():
    from tests.test_real_programs import check_all
    check_all(global_loss, W1)
    check_all(global_twice, W1)
    check_all(global_pair, W1, rng.normal(size=2), wrt=0)
    check_all(global_pair, W1, rng.normal(size=2), wrt=1)


def test_a_global_object_changes_as_in_python():
    W = rng.normal(size=(3, 2))
    s2s.grad(global_loss)(W)
    assert NET.W is W
    np.testing.assert_array_equal(NET.cache, X @ W + NET.b)
    src = s2s.grad(global_loss).source(W)
    assert "NET.W = W" in src and "NET.cache = " in src, src


def test_a_global_object_rebound_after_differentiating():
    global NET
    g = s2s.grad(global_loss)
    before = g(W1)
    old, NET = NET, GNet(np.zeros((3, 2)), -NET.b)
    try:
        W = W1.copy()
        after = g(W)
        assert NET.W is W and old.W is not W   # the object NET names now is the one set
        np.testing.assert_allclose(after, fd_grad(global_loss, [W1], 0), rtol=1e-5, atol=1e-5)
        assert not np.allclose(before, after)
    finally:
        NET = old


def global_branch(W, c):
    LAYERS[0].W = W
    if c > 0:
        LAYERS[0].W = 2.0 * W
    h = X
    for layer in LAYERS:
        h = layer.forward(h)
    return np.sum(h ** 2)


def global_alias(W):
    NET.W = W
    m = NET
    m.W = 3.0 * W
    return np.sum(NET.forward(X) ** 2)


def _reset():
    NET.W = np.ones((3, 2))


def global_reset(W):
    NET.W = W
    _reset()
    return np.sum(NET.forward(X) ** 2)


def global_counting(W):
    COUNTING.W = W
    return np.sum(COUNTING.forward(X) ** 2)


def test_global_branch_is_refused():
    for make in (s2s.grad, s2s.jvp):
        with pytest.raises(s2s.DifferentiationError) as e:
            make(global_branch)(W1, 1.0)
        msg = str(e.value)   # the global-object advice (record_aliases took the field's old value W for a sharer)
        assert "`LAYERS[0]` is a global object" in msg and "not in a loop or a branch" in msg, msg
        assert "may also refer to" not in msg, msg


@pytest.mark.parametrize("f", [global_branch, global_alias, global_reset,
                               global_counting])
def test_a_global_object_changed_where_s2s_cannot_follow_refuses(f):
    """A setting in a branch (it gave wrong numbers for an object of a global list: a later read took the
    first setting), through an alias, or by a function that reaches the object: refused, naming the line."""
    args = (W1, 1.0) if f is global_branch else (W1,)
    for make in (s2s.grad, s2s.jvp):
        with pytest.raises(s2s.DifferentiationError) as e:
            make(f)(*args)
        msg = str(e.value)
        assert ".W = W" in msg and "is read again afterwards" in msg, msg
        assert "_0" not in msg and "W_2" not in msg, msg   # the user's names


def test_the_refusal_for_a_global_object_says_what_is_followed_and_gives_the_call():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(global_counting)(W1)
    msg = str(e.value)
    assert "`COUNTING` is a global object" in msg and "`COUNTING.forward(X, W=W)`" in msg, msg
    assert "`W = self.W if W is None else W`" in msg, msg


# ---------------------------------------------------------------- the user's names in messages
class Cached:
    def __init__(self, W):
        self.W = W
        self.cache = {}

    def loss(self, x):
        self.cache["h"] = x @ self.W
        return np.sum(self.cache["h"])

    def params(self):
        yield self.W


@dataclasses.dataclass
class Stepper:
    W: np.ndarray

    def step(self, x):
        self.W -= 0.1 * x
        return np.sum(self.W ** 2)


class FixedStepper:
    def __init__(self, W):
        self.W = W

    def step(self, x):
        self.W = self.W - 0.1 * x
        return np.sum(self.W ** 2)


def cached_loss(m, x):
    return m.loss(x)


def stepper_loss(p, x):
    return p.step(x)


def yielded_write(m, x):
    t = 0.0
    for w in m.params():
        w[0] = x[0]
        t = t + np.sum(w)
    return t


def _message(f, *args, wrt=0, make=s2s.grad):
    with pytest.raises(s2s.DifferentiationError) as e:
        make(f, wrt=wrt)(*args)
    return str(e.value)


@pytest.mark.parametrize("make", [s2s.grad, s2s.jvp])
def test_messages_about_methods_show_self_not_the_copy(make):
    W = rng.normal(size=(3, 3))
    msg = _message(cached_loss, Cached(W), X[:2], make=make)
    assert "`self.cache['h']`" in msg and "self_" not in msg, msg
    msg = _message(Cached(W).loss, X[:2], make=make)
    assert "`self.cache['h']`" in msg and "self_" not in msg, msg


@pytest.mark.parametrize("wrt", [0, 1])
def test_an_augmented_write_into_a_field_names_it(wrt):
    W = rng.normal(size=(3, 3))
    msg = _message(stepper_loss, Stepper(W.copy()), W, wrt=wrt)
    assert "`self.W`" in msg and "`item`" not in msg, msg
    g = s2s.grad(stepper_loss, wrt=1)(FixedStepper(W.copy()), W)   # the fix works
    np.testing.assert_allclose(g, -0.2 * (W - 0.1 * W), rtol=1e-12)


@pytest.mark.parametrize("wrt", [0, 1])
def test_an_augmented_write_into_a_field_gives_the_new_array(wrt):
    msg = _message(stepper_loss, Stepper(rng.normal(size=(3, 3))), rng.normal(size=(3, 3)), wrt=wrt)
    assert "`self.W = self.W - 0.1 * x`" in msg, msg


def test_a_write_into_what_a_generator_method_yields_names_the_call():
    msg = _message(yielded_write, Cached(rng.normal(size=3)), rng.normal(size=3), wrt=1)
    assert "`m.params()` yields" in msg and "range(len(m))" not in msg, msg


def test_a_global_list_object_refused_shows_the_list_item():
    msg = _message(global_branch, W1, 1.0)
    assert "`LAYERS[0].W`" in msg and "layers_0" not in msg, msg


# ---------------------------------------------------------------- a scalar tangent for a dataclass or an object
@dataclasses.dataclass
class DW:
    W: np.ndarray
    name: str = "dense"


class OW:
    def __init__(self, W):
        self.W = W

    def forward(self, x):
        return x @ self.W


def dw_loss(p, x):
    return np.sum(np.sin(x @ p.W))


def ow_loss(p, x):
    return np.sum(np.sin(p.forward(x)))


@pytest.mark.parametrize("f, make", [(dw_loss, DW), (ow_loss, OW)])
def test_a_scalar_tangent_of_a_record_means_ones(f, make):
    """jvp(f)(p, x) and jvp(f)(p, x, 0.5) for a dataclass or object p crashed in the generated code (``x @ 1.0``):
    the scalar tangent now means ones in every numeric field, as it does for a namedtuple, a dict or a list."""
    W = rng.normal(size=(3, 2))
    p, x = make(W), X[:2]
    g = s2s.grad(f)(p, x)
    np.testing.assert_allclose(s2s.jvp(f)(p, x), np.sum(g.W), rtol=1e-10)
    np.testing.assert_allclose(s2s.jvp(f)(p, x, 0.5), 0.5 * np.sum(g.W), rtol=1e-10)
    hv = s2s.hvp(f)(p, x, 1.0)
    h = 1e-5
    want = (s2s.grad(f)(make(W + h), x).W - s2s.grad(f)(make(W - h), x).W) / (2 * h)
    np.testing.assert_allclose(hv.W, want, rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------- a layer keeping its input (retain_derived)
class Keeps:
    def __init__(self, W):
        self.W = W
        self.X = []

    def forward(self, X, retain_derived=True):
        if retain_derived:
            self.X.append(X)
        return np.tanh(X @ self.W)


class KeepsAlways(Keeps):
    def forward(self, X):
        self.X.append(X)
        return np.tanh(X @ self.W)


def keeps_loss(X, layer):
    return np.sum(layer.forward(X) ** 2)


def keeps_loss_skipping(X, layer):
    return np.sum(layer.forward(X, retain_derived=False) ** 2)


@pytest.mark.parametrize("make", [s2s.grad, s2s.jvp])
def test_a_kept_input_names_the_flag_that_skips_it(make):
    layer = Keeps(rng.normal(size=(3, 2)))
    msg = _message(keeps_loss, X, layer, make=make)
    assert "`self.X.append(X)` keeps `X`" in msg and "self_" not in msg, msg
    assert "call `forward` with `retain_derived=False`" in msg, msg
    msg = _message(keeps_loss, X, KeepsAlways(layer.W), make=make)
    assert "append it to `self.X` after the call" in msg, msg
    assert layer.X == []   # refused before running: the list is as it was
    # the advice works
    from tests.test_real_programs import check_all
    check_all(keeps_loss_skipping, X, layer)
    assert layer.X == []


# ---------------------------------------------------------------- hessian and jacobian; loaders in *args / **kwargs
@pytest.mark.parametrize("kind", ["loader", "__getitem__ alone"])
def test_hessian_and_jacobian_of_a_function_given_a_loader(kind):
    """s2s.hessian and s2s.jacobian called the generic code (no argument signature), which indexes the loader."""
    H = s2s.hessian(loss)(W0, loader=ITERABLES[kind]())
    v = np.array([0.3, -1.0, 0.5])
    np.testing.assert_allclose(H @ v, s2s.hvp(loss)(W0, v, loader=ITERABLES[kind]()), rtol=1e-10)
    np.testing.assert_allclose(H, H.T, atol=1e-10)
    for mode in ("forward", "reverse"):
        J = s2s.jacobian(loss, mode=mode)(W0, loader=ITERABLES[kind]())
        np.testing.assert_allclose(J, fd_grad(lambda w: loss(w, loader=ITERABLES[kind]()), [W0], 0), rtol=1e-6)
    H2 = s2s.hessian(loss)(W0, ITERABLES[kind]())   # positionally too
    np.testing.assert_allclose(H2, H, rtol=1e-12)


def kwargs_loss(w, **kw):
    t = 0.0
    for xb in kw["loader"]:
        t = t + np.sum(np.tanh(xb @ w))
    return t


def args_loss(w, *args):
    t = 0.0
    for xb in args[0]:
        t = t + np.sum(np.tanh(xb @ w))
    return t


@pytest.mark.parametrize("make", [s2s.grad, s2s.jvp, s2s.hvp])
def test_a_loader_in_star_arguments_refuses_naming_the_loop(make):
    for f, call in ((kwargs_loss, lambda d: d(W0, loader=Loader(X))), (args_loss, lambda d: d(W0, Loader(X)))):
        with pytest.raises(s2s.DifferentiationError) as e:
            call(make(f))
        msg = str(e.value)
        assert "for xb in " in msg and "a `Loader` passed through" in msg and "named parameter" in msg, msg
    # a list through them still works
    np.testing.assert_allclose(s2s.grad(kwargs_loss)(W0, loader=[X[0:2], X[2:4], X[4:6]]),
                               s2s.grad(loss)(W0, loader=Loader(X)), rtol=1e-12)


def test_running_again_with_an_iterator_refuses():
    """hessian and jacobian run the function once per element, vjp's pullback again for an array seed: a
    generator given to them would be empty from the second run on (wrong numbers), so they refuse."""
    for call in (lambda: s2s.hessian(loss)(W0, loader=batches(X)),
                 lambda: s2s.jacobian(loss)(W0, loader=batches(X)),
                 lambda: s2s.jacobian(loss, mode="reverse")(W0, batches(X))):
        with pytest.raises(s2s.DifferentiationError, match="an iterator: s2s.hessian and s2s.jacobian run it"):
            call()
    value, back = s2s.vjp(vector_loss)(W0, loader=batches(X))
    want = s2s.grad(lambda w, loader: np.sum(vector_loss(w, loader)))(W0, Loader(X))
    np.testing.assert_allclose(back(1.0), want, rtol=1e-12)   # a scalar seed: no second run
    with pytest.raises(s2s.DifferentiationError, match="the pullback of s2s.vjp runs it again"):
        back(np.ones(2))
    value, back = s2s.vjp(vector_loss)(W0, loader=Loader(X))
    np.testing.assert_allclose(back(np.ones(2)), want, rtol=1e-12)   # a loader starts again


def vector_loss(w, loader=None):
    t = np.zeros(2)
    for xb in loader:
        t = t + np.tanh(xb @ w)
    return t
