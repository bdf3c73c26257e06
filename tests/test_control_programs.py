"""Real programs with try/except, generators, callees changing their arguments, and branches that
hold code s2s refuses (s2s/control.py, issue 11). Each is checked against finite differences in
reverse mode, forward mode and hvp."""
import numpy as np
import pytest

import s2s
from s2s import DifferentiationError

from test_forward import _copy, _random_tangent, _wrt, close, numeric_jvp
from test_higher_order import numeric_hvp

RNG = np.random.default_rng(11)
X = RNG.standard_normal((6, 3))


# ---------------------------------------------------------------- try / except

def chol_logdet(S):
    try:
        L = np.linalg.cholesky(S)
        return 2.0 * np.sum(np.log(np.diag(L)))
    except np.linalg.LinAlgError:
        return np.linalg.slogdet(S)[1]


def logdet_loss(A):
    return chol_logdet(A @ A.T + 3.0 * np.eye(3))


def try_else_finally(x):
    y = 0.0
    try:
        t = np.sin(x)
    except ValueError:
        t = 0.0
    else:
        y = y + t * x
    finally:
        y = y + np.cos(x)
    return y + t


def try_check_only(x):
    try:
        np.linalg.cholesky(np.outer(x, x) + np.eye(3))   # a check: its value is not used
        scale = 2.0
    except np.linalg.LinAlgError:
        scale = 3.0
    return scale * np.sum(x ** 2)


def try_in_loop(x):
    s = 0.0
    for i in range(3):
        try:
            v = np.log(x + i + 1.0)
            s = s + np.sum(v * v)
        except FloatingPointError:
            s = s - 1.0
    return s


# ---------------------------------------------------------------- generators

def unpack(params):
    for i in range(0, len(params), 2):
        yield params[i], params[i + 1]


def gen_loss(params, x):
    for W, b in unpack(params):
        x = np.tanh(x @ W + b)
    return np.sum(x)


def powers(x, n):
    p = x
    for _ in range(n):
        yield p
        p = p * x


def gen_sum(x):
    total = 0.0
    for k, v in enumerate([1.0, 2.0]):
        total = total + v * k
    for p in powers(x, 3):
        if np.sum(p) > -100.0:
            total = total + np.sum(np.sin(p))
    return total


def gen_list(x):
    ps = list(powers(x, 3))
    qs = [np.cos(q) * 2.0 for q in powers(x, 2)]
    return np.sum(ps[2]) + np.sum(ps[0] * ps[1]) + np.sum(qs[1])


def two_yields(a):
    yield a * 2.0
    for j in range(2):
        yield a + j


def gen_two(x):
    out = 1.0
    for v in two_yields(x):
        out = out * v
    return out


def gen_continue(x):
    total = 0.0
    for p in powers(x, 4):
        if p > 2.0:
            continue
        total = total + p * 3.0
    return total


def infinite():
    i = 0.0
    while True:
        yield i
        i = i + 1.0


def breaks_out(x):
    s = 0.0
    for v in infinite():
        if v > 2.0:
            break
        s = s + v * x
    return s


def until(x, n):
    for i in range(10):
        if i >= n:
            return
        yield x * i


def gen_return(x):
    out = 0.0
    for v in until(x, 3):
        out = out + np.sin(v)
        if out > 10.0:
            break
    return out


# ---------------------------------------------------------------- callees changing their arguments

def step(state, dt):
    state += dt * np.tanh(state)


def integrate(x0):
    s = x0.copy()
    for _ in range(5):
        step(s, 0.1)
    return np.sum(s ** 2)


def set_first(v, value):
    v[0] = value * 2.0
    return v[1] * value


def write_through(x, y):
    a = np.zeros(3)
    r = set_first(a, x)
    return np.sum(a * y) + r + a[0] * x


def push(stack, v):
    stack.append(v * 2.0)


def pushes(x):
    s = []
    push(s, x)
    push(s, np.sin(x))
    return s[0] * s[1] + s[1]


def bump(state, lr, g):
    state -= lr * g


def sgd(w, x):
    w = w.copy()
    for _ in range(3):
        g = np.cos(w * x)
        bump(w, 0.1, g)
    return np.sum(w ** 2)


# ---------------------------------------------------------------- branches never taken

def maybe_sparse_dot(a, b):
    ret = a @ b
    if hasattr(ret, "toarray") and not isinstance(ret, np.ndarray):
        return ret.toarray()
    return ret


def dot_loss(w):
    return np.sum(maybe_sparse_dot(X, w) ** 2)


def branch_refused_own(w, flag):
    y = np.sin(w)
    if flag:
        y = y.toarray()
    return np.sum(y * w)


# ---------------------------------------------------------------- objects whose state methods change

Y = RNG.standard_normal(6)


class Ridge:
    def __init__(self, alpha):
        self.alpha = alpha

    def set_coef(self, w):
        self.coef_ = w
        return self

    def loss(self, A, y):
        r = A @ self.coef_ - y
        return 0.5 * np.mean(r ** 2) + self.alpha * np.sum(self.coef_ ** 2)


def ridge_objective(w):
    return Ridge(0.1).set_coef(w).loss(X, Y)


class Scaler:
    offset = 0.5   # a class attribute

    def fit(self, x):
        self.mean = np.mean(x)
        self.scale = np.std(x) + 1.0
        self.history = [self.mean]
        return self

    def transform(self, x):
        self.history.append(np.sum(x))
        return (x - self.mean) / self.scale + self.offset

    def loss(self, x):
        z = self.transform(x)
        return np.sum(np.sin(z)) + self.history[-1] * 0.1


def scaled_loss(x):
    sc = Scaler()
    sc.fit(x * 2.0)
    total = 0.0
    for i in range(2):
        sc.scale = sc.scale * 1.5
        total = total + sc.loss(x + i)
    return total


class Accumulator:
    def __init__(self, start):
        self.total = start
        self.count = 0

    def add(self, v):
        self.total = self.total + v
        self.count += 1


def accumulate(x):
    acc = Accumulator(0.0)
    for v in x:
        acc.add(np.sin(v) * v)
    return acc.total / acc.count


# ---------------------------------------------------------------- objects in a global list (layers)

class Dense:
    def __init__(self, n_in, n_out):
        self.W = np.zeros((n_in, n_out))
        self.b = np.zeros(n_out)

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b


class Tanh:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out


LAYERS = [Dense(3, 4), Tanh(), Dense(4, 2)]
Y2 = RNG.standard_normal((6, 2))


def mlp_loss(params):
    LAYERS[0].W, LAYERS[0].b = params["W0"], params["b0"]
    LAYERS[2].W, LAYERS[2].b = params["W1"], params["b1"]
    h = X
    for layer in LAYERS:
        h = layer.forward(h)
    return np.mean((h - Y2) ** 2)


P = {"W0": RNG.standard_normal((3, 4)) * 0.5, "b0": RNG.standard_normal(4) * 0.1,
     "W1": RNG.standard_normal((4, 2)) * 0.5, "b1": RNG.standard_normal(2) * 0.1}


# ---------------------------------------------------------------- x += v where x shares its value (issue 9)

def alias_float(x, v):
    t = x
    x += v
    x *= 0.9
    return t * x


def alias_float_loop(x):
    y = x
    for i in range(3):
        x += y * i
    return x * y


W3 = RNG.standard_normal(3)
POS = np.abs(RNG.standard_normal(3)) + 0.5
PL = [RNG.standard_normal((3, 3)) * 0.5, RNG.standard_normal(3), RNG.standard_normal((3, 2)) * 0.5,
      RNG.standard_normal(2)]

PROGRAMS = [
    ("logdet_loss", logdet_loss, (RNG.standard_normal((3, 3)),), 0),
    ("try_else_finally", try_else_finally, (0.7,), 0),
    ("try_check_only", try_check_only, (W3,), 0),
    ("try_in_loop", try_in_loop, (POS,), 0),
    ("gen_loss", gen_loss, (PL, X), 0),
    ("gen_loss_x", gen_loss, (PL, X), 1),
    ("gen_sum", gen_sum, (W3,), 0),
    ("gen_list", gen_list, (W3,), 0),
    ("gen_two", gen_two, (1.3,), 0),
    ("gen_continue", gen_continue, (1.2,), 0),
    ("breaks_out", breaks_out, (1.5,), 0),
    ("gen_return", gen_return, (0.4,), 0),
    ("integrate", integrate, (W3,), 0),
    ("write_through", write_through, (0.8, W3), (0, 1)),
    ("pushes", pushes, (0.9,), 0),
    ("sgd", sgd, (W3, 0.7), (0, 1)),
    ("dot_loss", dot_loss, (W3,), 0),
    ("alias_float", alias_float, (1.5, 0.5), (0, 1)),
    ("alias_float_loop", alias_float_loop, (0.7,), 0),
    ("ridge_objective", ridge_objective, (W3,), 0),
    ("mlp_loss", mlp_loss, (P,), 0),
    ("scaled_loss", scaled_loss, (W3,), 0),
    ("accumulate", accumulate, (W3,), 0),
    ("branch_refused_own", branch_refused_own, (W3, False), 0),
]
IDS = [p[0] for p in PROGRAMS]


def _grad_fd(fn, args, wrt, eps=1e-6):
    idx = _wrt(fn, wrt)
    if any(isinstance(args[i], dict) for i in idx):   # central differences over a dict's leaves
        return s2s.numeric_grad(fn, wrt=wrt)(*[_copy(a) for a in args])
    out = []
    for i in idx:
        def leafwise(x, setter):
            if isinstance(x, (list, tuple)):
                return type(x)(leafwise(e, lambda v, j=j: setter(type(x)(
                    v if k == j else x[k] for k in range(len(x))))) for j, e in enumerate(x))
            if isinstance(x, np.ndarray):
                g = np.zeros_like(x)
                for ix in np.ndindex(x.shape):
                    vals = []
                    for s in (1, -1):
                        y = x.copy()
                        y[ix] += s * eps
                        vals.append(setter(y))
                    g[ix] = (vals[0] - vals[1]) / (2 * eps)
                return g
            return (setter(x + eps) - setter(x - eps)) / (2 * eps)

        def call(v, i=i):
            a = [_copy(x) for x in args]
            a[i] = v
            return float(fn(*a))
        out.append(leafwise(args[i], call))
    return out[0] if len(out) == 1 else tuple(out)


@pytest.mark.parametrize("name,fn,args,wrt", PROGRAMS, ids=IDS)
def test_reverse(name, fn, args, wrt):
    before = [_copy(a) for a in args]
    got = s2s.grad(fn, wrt=wrt)(*[_copy(a) for a in args])
    close(list(args), before)
    close(got, _grad_fd(fn, args, wrt), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,fn,args,wrt", PROGRAMS, ids=IDS)
def test_forward(name, fn, args, wrt):
    rng = np.random.default_rng(abs(hash(name)) % 2 ** 32)
    tangents = [_random_tangent(args[i], rng) for i in _wrt(fn, wrt)]
    got = s2s.jvp(fn, wrt=wrt)(*[_copy(a) for a in args], *tangents)
    close(got, numeric_jvp(fn, args, wrt, tangents), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,fn,args,wrt", PROGRAMS, ids=IDS)
def test_hvp(name, fn, args, wrt):
    rng = np.random.default_rng(1 + abs(hash(name)) % 2 ** 31)
    vs = [_random_tangent(args[i], rng) for i in _wrt(fn, wrt)]
    got = s2s.hvp(fn, wrt=wrt)(*[_copy(a) for a in args], *vs)
    close(got, numeric_hvp(fn, args, wrt, vs), rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- what still refuses, and when

def test_except_path_taken_is_differentiated():
    # since session 14 the path the primal takes is the one differentiated (s2s/try_paths.py); it was refused
    from tests.test_real_programs import check_all
    bad = -np.eye(3) + 0.1 * np.arange(9.0).reshape(3, 3) / 9   # not positive definite: the except path
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(bad)
    check_all(chol_logdet, bad)
    np.testing.assert_allclose(s2s.grad(chol_logdet)(bad), np.linalg.inv(bad).T, rtol=1e-10)
    src = s2s.source(s2s.grad(chol_logdet))
    assert "try_path(" in src and "slogdet" in src and "refuse_caught" not in src, src


def test_refused_branch_raises_when_it_runs():
    g = s2s.grad(branch_refused_own)
    with pytest.raises(DifferentiationError, match=r"(?s)line \d+.*y = y.toarray\(\).*toarray"):
        g(W3, True)
    with pytest.raises(DifferentiationError, match="toarray"):
        s2s.jvp(branch_refused_own)(W3, True, W3)


def test_refused_branch_code_is_readable():
    src = s2s.grad(maybe_sparse_dot).s2s_source if hasattr(s2s.grad(maybe_sparse_dot), "s2s_source") else ""
    assert "raise DifferentiationError(" in src and "toarray" in src


def test_try_code_keeps_the_check():
    # since session 14 the check runs in the try's probe (s2s/try_paths.py), which chooses the path
    src = s2s.grad(try_check_only).s2s_source
    assert "try_path(try_" in src, src
    from s2s.export import module_source
    out = module_source(s2s.grad(try_check_only))
    assert "np.linalg.cholesky(" in out and "except np.linalg.LinAlgError:" in out, out


def test_refusal_outside_a_branch_still_at_transform_time():
    def f(w):
        y = np.sin(w).toarray()
        return np.sum(y)
    with pytest.raises(DifferentiationError, match="toarray"):
        s2s.grad(f)


def bump_number(x, dt):
    x += dt   # a number: the caller's value does not change


def number_callee(x):
    y = x * 2.0
    bump_number(y, 1.0)
    return y * x


def test_in_place_update_of_a_number_refuses_at_run_time():
    assert number_callee(1.5) == 4.5
    with pytest.raises(DifferentiationError, match=r"\+="):
        s2s.grad(number_callee)(1.5)


def rebinding(state, v):
    state = state * 2.0
    state[0] = v


def calls_rebinding(x):
    a = np.ones(3)
    rebinding(a, x)
    return np.sum(a) * x


def test_callee_that_rebinds_its_parameter_first_leaves_the_argument():
    # state = state * 2.0 makes a new array before anything reads state: the write goes there, the caller's
    # `a` never changes (effects.rebound_fresh), so f is 3 x
    assert calls_rebinding(1.5) == pytest.approx(4.5)
    assert s2s.grad(calls_rebinding)(1.5) == pytest.approx(3.0)
    assert s2s.jvp(calls_rebinding)(1.5, 1.0) == pytest.approx(3.0)


def test_generator_consumed_with_break_stops_it():
    assert breaks_out(1.5) == pytest.approx(4.5)
    assert s2s.grad(breaks_out)(1.5) == pytest.approx(3.0)
    assert "while True" in s2s.grad(breaks_out).s2s_source


def test_objects_are_taken_apart_into_variables():
    src = s2s.grad(ridge_objective).s2s_source
    assert "Ridge" not in src and "coef_" in src and "alpha" not in src.split("def ")[1].split(":")[0]


class Kept:
    def set(self, v):
        self.v = v


KEPT = []


def escapes(x):
    k = Kept()
    k.set(x * 2.0)
    KEPT.append(k)   # the object leaves the function: not taken apart
    return k.v * x


def test_object_that_leaves_the_function_is_not_taken_apart():
    try:
        g = s2s.grad(escapes)(1.5)
    except DifferentiationError as e:
        assert "line" in str(e)
    else:
        assert g == pytest.approx(6.0)


def alias_array(w, x):
    t = x
    x += 1.0   # changes t too: an inactive array the gradient reads
    return np.sum(t * w)


def test_update_of_a_shared_array_is_followed_or_refused_never_wrong():
    """Python changes t with x; the gradient with respect to w reads t (this used to give x's old values).
    An inactive shared array is changed in place (normalizer); a number is rebound (s2s/control.py)."""
    x = np.array([1.0, 2.0])
    w = W3[:2]
    close(s2s.grad(alias_array)(w, x.copy()), x + 1.0)
    close(s2s.jvp(alias_array)(w, x.copy(), np.ones(2)), float(np.sum(x + 1.0)))
    assert s2s.grad(alias_array)(w, 2.0) == pytest.approx(np.full(2, 2.0))   # a number: rebound, t unchanged
    assert s2s.jvp(alias_array)(w, 2.0, np.ones(2)) == pytest.approx(4.0)


def shifted_active(x):
    b = x
    b += 1.0   # an active array shared with x: refused where it runs; a number: followed
    return np.sum(b * x)


def test_update_of_a_shared_active_array_refuses_when_it_runs():
    assert s2s.grad(shifted_active)(1.5) == pytest.approx(2 * 1.5 + 1.0)
    with pytest.raises(DifferentiationError, match="may share its array"):
        s2s.grad(shifted_active)(np.array([1.5, 2.0]))
    with pytest.raises(DifferentiationError, match="may share its array"):
        s2s.jvp(shifted_active)(np.array([1.5, 2.0]), np.ones(2))


def test_layers_change_as_in_python_and_a_changed_list_is_refused():
    g = s2s.grad(mlp_loss)
    p = {k: v + 0.25 for k, v in P.items()}
    g(p)
    assert LAYERS[0].W is not None and np.allclose(LAYERS[0].W, p["W0"]) and np.allclose(LAYERS[2].b, p["b1"])
    assert np.allclose(LAYERS[1].out, np.tanh(X @ p["W0"] + p["b0"]))   # the cache the forward pass keeps
    old = LAYERS[1]
    LAYERS[1] = Tanh()
    try:
        with pytest.raises(DifferentiationError, match="list has changed"):
            g(P)
    finally:
        LAYERS[1] = old
    close(g(P), _grad_fd(mlp_loss, (P,), 0))


def scales(a, b):
    a *= 0.9   # changes the caller's q[0]
    return b


def element_changed_by_callee(x, q):
    for e in [x, x]:
        y = np.zeros(3)
        y[2] *= scales(q[0], e)
    return q[0][0] * x


def test_callee_changing_an_element_of_an_argument_is_refused():
    """q[0] goes to the callee as a temporary that shares its array (fuzz seed 43000360): refused, it used to
    give the gradient of the unchanged q[0] in both modes."""
    q = (np.array([0.6, -1.2, 1.2]), -0.97)
    out = element_changed_by_callee(0.886, (q[0].copy(), q[1]))
    assert out == pytest.approx(0.6 * 0.81 * 0.886)
    with pytest.raises(DifferentiationError, match="scales changes its argument `a`"):
        s2s.grad(element_changed_by_callee, wrt=1)(0.886, (q[0].copy(), q[1]))
    with pytest.raises(DifferentiationError, match="scales changes its argument `a`"):
        s2s.jvp(element_changed_by_callee, wrt=1)(0.886, (q[0].copy(), q[1]), (np.ones(3), 1.0))
