"""Session 15 (lead): generated code without dead adjoints or dead caches (issue 14, readability)."""
import numpy as np

import s2s
from tests.test_real_programs import check_all


class Dense:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.cache = {}

    def forward(self, x):
        self.cache["x"] = x
        z = x @ self.W + self.b
        self.cache["z"] = z
        return z


class Tanh:
    def forward(self, x):
        return np.tanh(x)


def mlp_loss(W1, b1, W2, b2, X, y):
    layers = [Dense(W1, b1), Tanh(), Dense(W2, b2)]
    h = X
    for layer in layers:
        h = layer.forward(h)
    diff = h - y
    return 0.5 * np.mean(diff ** 2)


def _data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 3))
    y = rng.standard_normal((5, 2))
    return [rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((4, 2)),
            rng.standard_normal(2), X, y]


def test_a_layer_class_mlp_has_no_adjoint_of_its_data_and_no_dead_cache():
    args = _data()
    src = s2s.source(s2s.grad(mlp_loss, wrt=(0, 1, 2, 3)), *args)
    # the adjoint of X (not in wrt) was computed last: an extra matmul per call
    assert src.count("matmul_grad_x") == 1, src
    # the layers' caches die with the call: no dict built, no stores into it
    assert "cache" not in src, src
    for i in range(4):
        check_all(mlp_loss, *args, wrt=i)


def augmented(x):
    y = x * 1.0
    y += 2.0
    y -= x * 0.5
    return y * y


def test_no_self_assignment_or_dead_restore_in_the_backward_sweep():
    src = s2s.source(s2s.grad(augmented), 1.5)
    lines = [ln.split("#")[0].strip() for ln in src.splitlines()]
    assert not any(ln.startswith("dy = dy") or ln == "y = y_old" for ln in lines), src
    check_all(augmented, 1.5)


def test_a_cache_that_is_read_is_kept():
    def f(x):
        cache = {}
        cache["a"] = np.sin(x)
        return np.sum(cache["a"] * x)
    x = np.linspace(0.1, 1.0, 4)
    src = s2s.source(s2s.grad(f), x)
    assert "cache" in src
    check_all(f, x)


def test_a_global_dict_written_is_kept():
    def f(x):
        LOG["last"] = 2.0
        return np.sum(x * x)
    LOG.clear()
    s2s.grad(f)(np.ones(3))
    assert LOG == {"last": 2.0}


LOG = {}


# itertools (s2s/pyitertools.py): the derivative flows through the items the iterators hand out

import itertools  # noqa: E402
import math  # noqa: E402

import pytest  # noqa: E402


def path_length(pts):
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(pts))


def running_sums(x):
    return sum(c ** 2 for c in itertools.accumulate(x)) + sum(itertools.accumulate(x, initial=1.0))


def pair_energy(x):
    return sum(a * b ** 2 for a, b in itertools.combinations(x, 2))


def grid(x):
    s = 0.0
    for p, q in itertools.product(x[:2], x[1:], repeat=1):
        s += np.sin(p) * q
    for t in itertools.product(x[:2], repeat=2):
        s += t[0] * t[1]
    return s


def chained(x):
    s = 0.0
    for v in itertools.chain(x[:2], [x[2] * 2.0]):
        s += v ** 3
    for v in itertools.chain.from_iterable([x[1:], x[:1]]):
        s += np.tanh(v)
    return s


def sliced(x):
    return sum(v ** 2 for v in itertools.islice(x, 2)) + sum(v ** 3 for v in itertools.islice(x, 1, None, 2))


def padded(x):
    return sum(a * b for a, b in itertools.zip_longest(x, x[:2], fillvalue=0.5))


def ordered_pairs(x):
    s = 0.0
    for a, b in itertools.permutations(x, 2):
        s += a * b ** 2
    for a, b in itertools.combinations_with_replacement(x, 2):
        s += a * np.exp(b)
    return s


def kept(x):
    return sum(v ** 2 for v in itertools.compress(x, [1, 0, 1])) + sum(itertools.repeat(x[0] ** 2, 3))


@pytest.mark.parametrize("f", [path_length, running_sums, pair_energy, grid, chained, sliced, padded, ordered_pairs,
                               kept])
def test_itertools(f):
    x = np.array([0.3, -1.2, 0.8])
    check_all(f, np.stack([x, x ** 2], axis=1) if f is path_length else x)


def test_zip_with_an_endless_iterator():
    # zip read its arguments into lists: list(itertools.count()) filled the memory (a MemoryError, on main
    # before session 15, after minutes of swapping)
    def f(x):
        s = 0.0
        for k, v, c, r in zip(itertools.count(1, 2), x, itertools.cycle([1.0, -1.0]), itertools.repeat(0.5)):
            s += k * v ** 2 * c + r * v
        return s
    check_all(f, np.array([1.0, 2.0, 3.0]))


def test_zip_with_an_endless_iterator_and_a_call_is_refused():
    def f(x):
        return sum(k * v for k, v in zip(itertools.count(), np.sin(x)))
    with pytest.raises(s2s.DifferentiationError, match="never ends"):
        s2s.grad(f)(np.array([1.0, 2.0]))


def _count(x):
    s = x
    for k in itertools.count(2, 3):
        s = s * 0.5 + k * s ** 2 * 0.01
        if s < 0.05:
            break
    return s


def _cycle(x):
    s = x
    for k in itertools.cycle([0.5, 2.0]):
        s = s * 0.5 + k * s ** 2 * 0.01
        if s < 0.05:
            return s * 2.0
    return s


def _repeat(x):
    s = x
    for k in itertools.repeat(0.5):
        s = s * 0.5 + k * s ** 2 * 0.01
        if s < 0.05:
            break
    return s


def _count0(x):
    s = x
    for k in itertools.count():
        if k % 2:
            continue
        s = s * 0.5 + k * s ** 2 * 0.01
        if s < 0.05:
            break
    return s


@pytest.mark.parametrize("f", [_count, _cycle, _repeat, _count0])
def test_a_loop_over_an_endless_iterator_left_by_break(f):
    check_all(f, 1.0)


def test_an_endless_iterator_sliced_is_still_refused():
    def g(x):
        return sum(itertools.islice(itertools.cycle(x), 5))
    with pytest.raises(s2s.DifferentiationError):
        s2s.grad(g)(np.array([1.0, 2.0]))


def pairs_of(xs):
    for i in range(len(xs) - 1):
        yield xs[i] * xs[i + 1]


def test_a_for_loop_over_list_of_a_generator():
    def f(x):
        s = 0.0
        for c in list(pairs_of(x)):
            s += c
        return s
    check_all(f, np.array([1.0, 2.0, 3.0]))


def test_hvp_with_a_string_method_on_dict_keys():
    def f(W1, X):
        params = {"W1": W1, "W2": np.ones((4, 1)) * 0.3}
        h = np.tanh(X @ params["W1"])
        reg = sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W"))
        return np.sum(h @ params["W2"]) + 1e-2 * reg
    rng = np.random.default_rng(1)
    check_all(f, rng.standard_normal((3, 4)), rng.standard_normal((6, 3)))


# np.apply_along_axis (s2s/pynumpy.py) and classes with an abc.ABC base


def _row_norms(X):
    return np.sum(np.apply_along_axis(lambda r: np.sqrt(np.sum(r ** 2)), 1, X))


def _col_softmax(X):
    return np.sum(np.apply_along_axis(lambda c: np.exp(c) / np.sum(np.exp(c)), 0, X) * np.arange(12.0).reshape(3, 4))


def _scaled_cumsum(v):
    return np.cumsum(v) * v


def _last_axis(X):
    return np.sum(np.apply_along_axis(_scaled_cumsum, -1, X) ** 2)


@pytest.mark.parametrize("f, shape", [(_row_norms, (3, 4)), (_col_softmax, (3, 4)), (_last_axis, (2, 3, 4))])
def test_apply_along_axis(f, shape):
    check_all(f, np.random.default_rng(3).standard_normal(shape))


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_apply_along_axis_python_version_is_numpys(axis):
    from s2s.pynumpy import apply_along_axis
    X = np.random.default_rng(4).standard_normal((2, 3, 4))
    for f in (lambda r: np.sum(r ** 2), lambda r: r * 2, lambda r: np.outer(r, r)):
        np.testing.assert_allclose(apply_along_axis(f, axis, X), np.apply_along_axis(f, axis, X))


import abc  # noqa: E402


class _Module(abc.ABC):
    @abc.abstractmethod
    def __call__(self, x):
        ...


class _Scale(_Module):
    def __init__(self, a):
        self.a = a

    def __call__(self, x):
        return self.a * x


class _Sin(_Module):
    def __call__(self, x):
        return np.sin(x)


def _abc_model(a, x):
    for m in [_Scale(a), _Sin(), _Scale(2.0)]:
        x = m(x)
    return np.sum(x)


def test_objects_of_a_class_with_an_abc_base():
    # (refused: "cannot differentiate through building a `_Scale` object": ABCMeta was taken for a metaclass
    # changing attribute access)
    check_all(_abc_model, 0.7, np.array([0.1, 0.5]))
    check_all(_abc_model, 0.7, np.array([0.1, 0.5]), wrt=1)


def _tree_sum(t):
    if isinstance(t, dict):
        total = 0.0
        for v in t.values():
            total = total + _tree_sum(v)
        return total
    return np.sum(np.sin(t) * t)


def _tree_gen(t):
    if isinstance(t, dict):
        return sum(_tree_gen(v) for v in t.values())
    return np.sum(t ** 3)


@pytest.mark.parametrize("tree", [_tree_sum, _tree_gen])
def test_hvp_of_a_recursive_function_over_nested_dict_values(tree):
    # the forward half keeps d.values() for the backward sweep; forward mode over it gave a list tangent that
    # init_grad refused ("the seed (the gradient of <listcomp>'s output) has shape (1, 2)")
    def f(w):
        return tree({"a": w, "b": {"c": 2.0 * w, "d": {"e": w ** 2}}})
    check_all(f, np.array([0.5, -1.0]))


# an object built in the function whose field holds a function or an object that a method calls
# (numpy-ml's FullyConnected: self.act_fn = act_fn ... Y = self.act_fn(Z)); refused before: "this reads state
# of an object that the call on line ... may have set" (objects.py took the object apart only when every
# obj.attr(...) was a method)


class _Sigmoid:
    def __call__(self, z):
        return 1 / (1 + np.exp(-z))


class _FullyConnected:
    def __init__(self, n_out, act_fn=None):
        self.n_out = n_out
        self.act_fn = act_fn if act_fn is not None else np.tanh
        self.parameters = {"W": None, "b": None}
        self.is_initialized = False

    def _init_params(self, W, b):
        self.parameters = {"W": W, "b": b}
        self.is_initialized = True

    def forward(self, X):
        Z = X @ self.parameters["W"] + self.parameters["b"]
        self.X = X
        return self.act_fn(Z)


def _two_layer(W1, X, y):
    l1 = _FullyConnected(4, act_fn=_Sigmoid())
    l1._init_params(W1, np.zeros((1, 4)))
    l2 = _FullyConnected(2)
    l2._init_params(np.ones((4, 2)) * 0.3, np.zeros((1, 2)))
    out = l2.forward(l1.forward(X))
    return 0.5 * np.linalg.norm(out - y) ** 2


def test_a_layer_calling_the_activation_object_it_holds():
    rng = np.random.default_rng(6)
    args = (rng.standard_normal((3, 4)), rng.standard_normal((5, 3)), rng.standard_normal((5, 2)))
    check_all(_two_layer, *args)


def _log_in_else(x):
    y = x * 2.0
    y = math.log(y) * y
    return y


def test_hvp_raises_where_the_primal_raises():
    # hvp made per argument signature (71e1440) dropped math.log(y), whose value its code does not need: no
    # ValueError, and a number where the function is undefined (tests/test_review12_findings.py caught it)
    for mode, args in (("grad", (-1.0,)), ("jvp", (-1.0, 1.0)), ("hvp", (-1.0, 1.0))):
        with pytest.raises(ValueError, match="math domain error"):
            getattr(s2s, mode)(_log_in_else)(*args)
    check_all(_log_in_else, 1.5)


def _writes_kwonly(x, *, w):
    w[1] = x * 2
    return np.sum(w) * x


def _helper_writes(c, b):
    c[1] = b * 2
    return np.sum(c)


def _kwonly_to_helper(x, *, w):
    return _helper_writes(w, x) * x


@pytest.mark.parametrize("f", [_writes_kwonly, _kwonly_to_helper])
def test_a_keyword_only_argument_written_is_copied_first(f):
    # keyword-only parameters were not copied (normalize's prologue read posonlyargs + args only): the gradient
    # changed the caller's array (fuzz seed 95720004: a functools.wraps decorator called with keywords, whose
    # adapter has keyword-only parameters)
    for mode in ("grad", "jvp", "hvp"):
        w = np.array([1.0, 2.0, 3.0])
        fn = getattr(s2s, mode)(f)
        out = fn(0.5, w=w) if mode == "grad" else fn(0.5, 1.0, w=w)
        np.testing.assert_array_equal(w, [1.0, 2.0, 3.0])
        if mode == "grad":
            assert out == pytest.approx(6.0)


def _swapped_times(x, y):
    z = x.copy()
    z[0], z[1] = z[1], z[0]   # (an element read of a 1-D array: code per argument signature, gaps15's 71e1440)
    return z * x - y


def test_the_seed_by_name_when_only_code_per_signature_can_be_made():
    # the dispatcher had no s2s_seed when no generic code could be made: vjp crashed looking for one
    # (AttributeError), and so did tests/test_fuzz.py seed 77's runner
    x, y = np.array([-1.1, 0.5, 0.4, 0.4]), np.array([-0.3, -0.9, -0.4, 0.6])
    seed = np.array([1.0, -2.0, 0.5, 3.0])
    g = s2s.grad(_swapped_times)
    want = s2s.numeric_grad(_swapped_times)(x, y, seed=seed)
    np.testing.assert_allclose(g(x, y, **{g.s2s_seed: seed}), want, rtol=1e-6, atol=1e-8)
    value, pullback = s2s.vjp(_swapped_times)(x, y)
    np.testing.assert_allclose(pullback(seed), want, rtol=1e-6, atol=1e-8)


def _dead_sqrt_in_loop(x, y):
    for e8, e9 in zip(y, y):
        t12 = math.sqrt(x * x + 1.0)   # unread, kept (it may raise); what it reads must be kept too
        e9 = e9 * 2.0
    return y[1] + x


def test_an_unread_math_call_keeps_what_it_reads():
    # (NameError in generated code: the dead-names analysis dropped `t = x * x + 1.0` as read only by a
    # dead assignment, which dead-code elimination then kept; tests/test_fuzz.py seed 0)
    check_all(_dead_sqrt_in_loop, -1.5, np.array([-1.3, 1.2, -1.0]))
