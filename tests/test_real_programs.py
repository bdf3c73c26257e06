"""Real programs (issue 11): Python written the way NumPy code is written in the wild, differentiated
unchanged. Every program is checked by numbers against central finite differences in reverse mode
(the gradient, of the argument's own type), forward mode (jvp) and hvp (against differences of the
gradient)."""
import dataclasses
import functools
from collections import namedtuple

import numpy as np
import pytest

import s2s

rng = np.random.default_rng(11)
X = rng.standard_normal((5, 3))
Y = rng.standard_normal((5, 2))


# ---------------------------------------------------------------- trees of floats and arrays
def _function(t):
    """A function value (not a callable object of the user's with fields: a layer with __call__ is a record;
    s2s's own test, record_types.is_record, so that a library's function object with a __dict__, np.sum's
    dispatcher given a __signature__, stays a function)."""
    from s2s.record_types import is_record
    return callable(t) and not is_record(t)


def _attrs(t):
    """The attribute names of a plain object (its __dict__ and its __slots__), sorted; None for anything else."""
    if isinstance(t, (np.ndarray, np.generic, float, int, str, bytes, type(None))):
        return None
    slots = {s for k in type(t).__mro__ for s in ((vars(k).get("__slots__", ()),) if isinstance(
        vars(k).get("__slots__", ()), str) else vars(k).get("__slots__", ())) if hasattr(t, s)} - {"__dict__", "__weakref__"}
    if not hasattr(t, "__dict__") and not slots:
        return None
    return sorted(set(getattr(t, "__dict__", {})) | slots)


def leaves(t):
    if isinstance(t, dict):
        return [l for k in t for l in leaves(t[k])]   # insertion order: programs may depend on it
    if isinstance(t, (list, tuple)):
        return [l for e in t for l in leaves(e)]
    if dataclasses.is_dataclass(t):
        return [l for f in dataclasses.fields(t) for l in leaves(getattr(t, f.name))]
    if _function(t):   # a function held by a record (Cell.act = np.tanh) is not a leaf, as for s2s.flatten
        return []
    if _attrs(t) is not None:
        return [l for k in _attrs(t) for l in leaves(getattr(t, k))]
    return [] if isinstance(t, str) or t is None else [t]


def rebuild(t, it):
    if isinstance(t, dict):
        return type(t)({k: rebuild(t[k], it) for k in t})
    if isinstance(t, tuple) and hasattr(t, "_fields"):
        return type(t)(*[rebuild(e, it) for e in t])
    if isinstance(t, (list, tuple)):
        return type(t)(rebuild(e, it) for e in t)
    if dataclasses.is_dataclass(t):
        return dataclasses.replace(t, **{f.name: rebuild(getattr(t, f.name), it) for f in dataclasses.fields(t)})
    if _function(t):   # a function held by a record (Cell.act = np.tanh): kept as it is
        return t
    if _attrs(t) is not None:
        import copy
        out = copy.copy(t)
        for k in _attrs(t):
            setattr(out, k, rebuild(getattr(t, k), it))
        return out
    if isinstance(t, str) or t is None:
        return t
    v = next(it)
    return float(v) if isinstance(t, float) else v


def tmap(fn, *ts):
    """fn applied leaf by leaf (as float arrays) to trees of one structure."""
    ls = [leaves(t) for t in ts]
    return rebuild(ts[0], iter(fn(*[np.asarray(l[i], dtype=float) for l in ls]) for i in range(len(ls[0]))))


def tdot(a, b):
    return sum(float(np.sum(np.asarray(x) * np.asarray(y))) for x, y in zip(leaves(a), leaves(b)))


def same_type(got, want):
    """got has want's structure: the same container types all the way down, leaves of the same shape."""
    assert type(got) is type(want) or isinstance(want, (float, np.ndarray)) and isinstance(got, (float, np.floating, np.ndarray)), \
        f"{type(got).__name__}, want {type(want).__name__}"
    gl, wl = leaves(got), leaves(want)
    assert len(gl) == len(wl)
    for g, w in zip(gl, wl):
        assert np.shape(g) == np.shape(w)


def fd_grad(f, args, wrt, eps=1e-6):
    x = args[wrt]
    ls = [np.array(l, dtype=float) for l in leaves(x)]
    out = []
    for i, leaf in enumerate(ls):
        g = np.zeros_like(leaf)
        for idx in np.ndindex(leaf.shape):
            vals = []
            for s in (1, -1):
                pert = [l.copy() for l in ls]
                pert[i][idx] += s * eps
                a = list(args)
                a[wrt] = rebuild(x, iter(p if p.shape else float(p) for p in pert))
                vals.append(float(f(*a)))
            g[idx] = (vals[0] - vals[1]) / (2 * eps)
        out.append(g if leaf.shape else float(g))
    return rebuild(x, iter(out))


def check_all(f, *args, wrt=0, hvp=True, tol=1e-5):
    """Reverse, forward and hvp of f at args with respect to args[wrt], against finite differences.
    hvp="refuses": hvp must refuse with a DifferentiationError."""
    want = fd_grad(f, args, wrt)
    got = s2s.grad(f, wrt=wrt)(*args)
    same_type(got, args[wrt])
    for g, w in zip(leaves(got), leaves(want)):
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol)
    v = tmap(lambda l: np.sin(np.arange(l.size).reshape(l.shape) + 1.0) if l.shape else 0.7, args[wrt])
    rest = [a for i, a in enumerate(args) if i != wrt]
    jv = s2s.jvp(f, wrt=wrt)(*args, v)
    np.testing.assert_allclose(jv, tdot(want, v), rtol=tol, atol=tol)
    if hvp == "refuses":
        with pytest.raises(s2s.DifferentiationError):
            s2s.hvp(f, wrt=wrt)(*args, v)
        return
    if not hvp:
        return
    hv = s2s.hvp(f, wrt=wrt)(*args, v)
    same_type(hv, args[wrt])
    h = 1e-5
    g = s2s.grad(f, wrt=wrt)

    def at(s):
        a = list(args)
        a[wrt] = tmap(lambda x, t: x + s * h * t, args[wrt], v)
        return g(*a)
    want_hv = tmap(lambda p, m: (p - m) / (2 * h), at(1), at(-1))
    for a, b in zip(leaves(hv), leaves(want_hv)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
    assert rest is not None


# ---------------------------------------------------------------- namedtuples, dataclasses, objects as parameters
Params = namedtuple("Params", ["W", "b"])


def nt_loss(p):
    return np.sum(np.tanh(X @ p.W + p.b) ** 2)


def nt_mixed(p):   # fields and indices of one namedtuple
    W, b = p
    return np.sum(np.sin(X @ p.W) * b) + np.sum(p[1] ** 2) * p.b[0]


@dataclasses.dataclass
class Affine:
    W: np.ndarray
    b: np.ndarray
    name: str = "affine"


def dc_loss(p, X, Y):
    return np.sum((X @ p.W + p.b - Y) ** 2)


class Layer:   # a plain object
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.act = "tanh"


def obj_loss(layer):
    return np.sum(np.tanh(X @ layer.W + layer.b) ** 2)


@dataclasses.dataclass
class Net:
    first: Params
    scale: float


def nested_loss(net):
    h = np.tanh(X @ net.first.W + net.first.b)
    return net.scale * np.sum(h ** 2)


def unused_field(p):
    return np.sum(p.W ** 2)


def test_namedtuple_parameters():
    check_all(nt_loss, Params(rng.standard_normal((3, 2)), rng.standard_normal(2)))


def test_namedtuple_fields_and_indices_mixed():
    check_all(nt_mixed, Params(rng.standard_normal((3, 2)), rng.standard_normal(2)))


def test_dataclass_parameters_with_data_arguments():
    p = Affine(rng.standard_normal((3, 2)), rng.standard_normal(2))
    check_all(dc_loss, p, X, Y)
    g = s2s.grad(dc_loss)(p, X, Y)
    assert g.name == "affine"   # a string field is kept as it is


def test_plain_object_parameters():
    layer = Layer(rng.standard_normal((3, 2)), rng.standard_normal(2))
    g = s2s.grad(obj_loss)(layer)
    assert isinstance(g, Layer) and g.act == "tanh" and g is not layer
    check_all(obj_loss, layer)


def test_nested_records():
    check_all(nested_loss, Net(Params(rng.standard_normal((3, 2)), rng.standard_normal(2)), 1.5))


def test_a_field_nothing_flows_to_gets_zeros():
    p = Params(rng.standard_normal((3, 2)), rng.standard_normal(2))
    g = s2s.grad(unused_field)(p)
    assert isinstance(g, Params)
    np.testing.assert_array_equal(g.b, np.zeros(2))
    np.testing.assert_allclose(g.W, 2 * p.W)


def test_the_attribute_of_an_array_without_a_rule_is_refused():
    def f(x):
        return np.sum(x.flat[0] * x)
    with pytest.raises(s2s.DifferentiationError, match="attribute .flat"):
        s2s.grad(f)(np.ones(3))


# ---------------------------------------------------------------- dicts: items, values, get, sorted
P = {"W0": rng.standard_normal((3, 4)) * 0.5, "b0": rng.standard_normal(4) * 0.1,
     "W1": rng.standard_normal((4, 2)) * 0.5, "b1": rng.standard_normal(2) * 0.1}


def dict_items_sorted(p):
    total = 0.0
    for name, value in sorted(p.items()):
        total = total + np.sum(np.cos(value)) * len(name)
    return total


def dict_items_plain(p):
    total = 0.0
    for k, v in p.items():
        total = total + np.sum(v ** 2) * (2.0 if k.startswith("W") else 1.0)
    return total


def dict_values(p):
    return sum(np.sum(np.tanh(v)) for v in p.values())


def dict_zip_keys_values(p):
    out = 0.0
    for i, (k, v) in enumerate(zip(p.keys(), p.values())):
        out = out + (i + 1) * np.sum(v * v)
    return out


def dict_get(p):
    scale = p.get("scale", 2.0)
    return np.sum(p.get("W0") ** 2) * scale + np.sum(p.get("missing", p["b0"]) ** 3)


def sorted_numbers(x):
    ys = sorted([x[0] * 2.0, x[1] - 1.0, x[2] ** 2])
    return ys[0] * 1.0 + ys[1] * 3.0 + ys[2] * 5.0


def test_dict_items_sorted():
    check_all(dict_items_sorted, P)


def test_dict_items():
    check_all(dict_items_plain, P)


def test_dict_values():
    check_all(dict_values, P)


def test_dict_keys_and_values_zipped():
    check_all(dict_zip_keys_values, P)


def test_dict_get():
    check_all(dict_get, P)


def test_sorted_list_of_numbers():
    check_all(sorted_numbers, np.array([0.3, 1.9, -0.8]))


# ---------------------------------------------------------------- map, filter, functools.partial
def point_logp(theta, x):
    return -0.5 * np.sum((x - theta) ** 2) - 0.1 * np.sum(theta ** 2)


def total_logp(theta, data):
    return sum(map(functools.partial(point_logp, theta), data))


def map_lambda(x):
    return sum(list(map(lambda v: np.sin(v) * v, x)))


def map_two_sequences(x):
    return np.sum(np.array(list(map(lambda a, b: a * b, x, x[::-1]))))


def filter_lambda(x):
    return sum(filter(lambda v: v > 0, x * x - 0.5)) + sum(map(np.tanh, x))


def scale(a, v, p=2):
    return a * v ** p


def partial_by_name(x):
    h = functools.partial(scale, x[0])
    cube = functools.partial(scale, p=3)
    return sum(map(h, x)) + h(x[1]) + cube(2.0, x[2])


def test_sum_map_partial():
    check_all(total_logp, rng.standard_normal(3), X)


def test_map_lambda():
    check_all(map_lambda, np.array([0.5, -0.3, 1.2]))


def test_map_over_two_sequences():
    check_all(map_two_sequences, np.array([0.5, -0.3, 1.2]))


def test_filter_and_map_of_a_ufunc():
    check_all(filter_lambda, np.array([0.9, -0.3, 1.2]))


def test_partial_assigned_to_a_name():
    check_all(partial_by_name, np.array([0.9, -0.3, 1.2]))


def test_map_reads_as_a_loop():
    src = s2s.grad(total_logp).__doc__ or ""
    import inspect
    src = inspect.getsource(s2s.grad(total_logp))
    assert "point_logp_fwd(theta, data[k])" in src and "partial" not in src and "map" not in src


def test_a_partial_used_as_a_value_is_refused():
    def f(x):
        h = functools.partial(scale, x)
        return apply_twice(h, 1.0)
    with pytest.raises(s2s.DifferentiationError):
        s2s.grad(f)(0.5)


def apply_twice(fn, v):
    return fn(fn(v))


# ---------------------------------------------------------------- *args and **kwargs carrying gradients
def concat_and_multiply(W, *args):
    cat = np.hstack(args + (np.ones((args[0].shape[0], 1)),))
    return cat @ W


def rnn_loss(W, xs):
    h = np.zeros((xs.shape[1], 4))
    for t in range(xs.shape[0]):
        h = np.tanh(concat_and_multiply(W, xs[t], h))
    return np.sum(h ** 2)


def weighted(x, **terms):
    return sum(w * np.sum(v ** 2) for w, v in zip((1.0, 2.0), (terms["a"], terms["b"]))) * np.sum(x)


def kwargs_loss(x):
    return weighted(x, a=np.sin(x), b=x * 3.0)


def list_concat(a):
    xs = [a, a * 2.0] + [np.sin(a)]
    ys = (a,) + tuple(xs)
    return np.sum(np.stack(xs) ** 2) + np.sum(ys[3] * ys[0])


XS = rng.standard_normal((3, 5, 2))


def test_rnn_cell_with_star_args():
    check_all(rnn_loss, rng.standard_normal((7, 4)) * 0.4, XS)


def test_rnn_star_args_inputs_gradient():
    check_all(rnn_loss, rng.standard_normal((7, 4)) * 0.4, XS, wrt=1)


def test_kwargs_carrying_gradients():
    check_all(kwargs_loss, np.array([0.3, -0.7]))


def test_list_and_tuple_concatenation():
    check_all(list_concat, np.array([0.3, -0.7, 1.1]))


# ---------------------------------------------------------------- functions as values, shapes spread out, recursion
def reshape_spread(x):
    shape = (2, 3)
    return np.sum(np.sin(x.reshape(*shape)) * np.arange(6.0).reshape(2, 3))


def pool(x, mode="max"):
    pool_fn = np.max if mode == "max" else np.mean
    return pool_fn(x * x) + np.sum(x)


ACTS = {"tanh": np.tanh, "sin": np.sin}
FNS = [np.tanh, np.sin, lambda v: v ** 2]


def dict_of_functions(x):
    return sum(np.sum(ACTS[k](x)) for k in ("tanh", "sin"))


def list_of_functions(x):
    total = 0.0
    for fn in FNS:
        total = total + np.sum(fn(x))
    return total


def flatten_rec(t):
    if isinstance(t, (list, tuple)):
        out = []
        for e in t:
            out = out + flatten_rec(e)
        return out
    return [t]


def nested_params_loss(p):
    return sum(np.sum(v ** 2) * (i + 1) for i, v in enumerate(flatten_rec(p)))


X6 = np.arange(6.0) * 0.1 + 0.2


def test_reshape_with_a_spread_shape():
    check_all(reshape_spread, X6)


# a callee known only at run time: a pullback in reverse mode, a pushforward in forward mode; hvp: forward over
# the pullback (s2s/pullback_dual.py)
def test_a_function_chosen_at_run_time():
    check_all(pool, X6, "max")
    check_all(pool, X6, "mean")


def test_dict_and_list_of_functions():
    check_all(dict_of_functions, X6)
    check_all(list_of_functions, X6)


def apply_with_keyword(fn, v):
    return fn(v, p=3)


def partial_passed_to_a_helper(x):
    return np.sum(apply_with_keyword(functools.partial(scale, 3.0), x)) + np.sum(apply_with_keyword(scale3, x))


def scale3(v, p=1):
    return np.sin(v) * p


def test_functions_passed_as_values_forward_mode():
    check_all(partial_passed_to_a_helper, X6, hvp="refuses")   # a partial of a nested def passed to a helper


def test_forward_mode_reads_the_pushforward():
    import inspect
    src = inspect.getsource(s2s.jvp(pool))
    assert "pushforward(t, (x ** 2,), (dx * 2 * x,))" in src and src.count("t(x ** 2)") == 0


def test_recursive_flatten_of_nested_lists_and_tuples():
    check_all(nested_params_loss, [X6[:2], (X6[2:4], [X6[4:]])])


# ---------------------------------------------------------------- namedtuples and dataclasses built inside
def built_inside(x):
    p = Params(x[:2].reshape(2, 1) * 2.0, x[2:3])
    q = Params(b=np.sin(p.b), W=p.W)
    layer = Affine(q.W.T, q.b + 1.0)
    return np.sum(np.tanh(X[:, :2] @ layer.W.T + layer.b) ** 2) + np.sum(p.W * q.b)


def test_namedtuples_and_dataclasses_built_from_values_with_gradients():
    check_all(built_inside, np.array([0.3, -0.4, 0.8]))
