"""Issue 12, NumPy half: gradients keep their argument's container type, np.linalg.eig and friends,
np.r_ / np.c_, and clean run-time refusals."""
import numpy as np
import pytest

import s2s
from s2s import DifferentiationError


def vstack_tuple(t):
    return np.sum(np.vstack(t) ** 2)


def concat_list(t):
    return np.sum(np.concatenate(t, axis=1) ** 3)


def stack_then_hstack(t):
    return np.sum(np.stack(t, axis=1) ** 2) + np.sum(np.hstack(t))


def dict_one_key(d):
    return np.sum(d["a"] ** 2)


def nested(t):
    return np.sum(np.vstack(t[0]) ** 2) + np.sum(t[1] ** 3)


@pytest.mark.parametrize("f, arg", [
    (vstack_tuple, (np.arange(3.0), np.ones(3))),
    (vstack_tuple, [np.arange(3.0), np.ones(3)]),
    (vstack_tuple, np.array([0.5, -1.5])),    # a 1-d array where a sequence is expected
    (concat_list, [np.ones((2, 3)), np.arange(2.0).reshape(2, 1)]),
    (concat_list, (np.ones((2, 3)), np.arange(2.0).reshape(2, 1))),
    (stack_then_hstack, (np.arange(3.0), np.ones(3))),
    (dict_one_key, {"a": np.arange(3.0), "b": np.ones(3)}),
    (nested, [(np.arange(2.0), np.ones(2)), np.arange(2.0)]),
])
def test_gradient_has_the_argument_container_type(f, arg):
    g = s2s.check_grad(f, arg)       # checks values, and types and shapes against the argument
    assert type(g) is type(arg)
    assert "GradList" not in repr(type(g)) and "GradDict" not in repr(type(g))
    if isinstance(arg, dict):
        assert set(g) == set(arg)


def r_concat(x, y):
    return np.sum(np.r_[x, 2.0, y] ** 2)


def c_concat(x, y):
    return np.sum(np.c_[x, y] ** 3)


def r_directive(x, y):
    return np.sum(np.sin(np.r_["0,2", x, y]))


@pytest.mark.parametrize("f, args", [(r_concat, (np.arange(3.0), np.ones(2))),
                                     (c_concat, (np.arange(3.0), np.ones((3, 2)))),
                                     (r_directive, (np.arange(3.0), np.ones(3)))])
def test_index_tricks_are_differentiated(f, args):
    # np.r_ / np.c_ used to give zero gradients (their items were read as an index)
    s2s.check_grad(f, *args, wrt=(0, 1))
    v = np.linspace(0.1, 0.3, 3)
    eps = 1e-6
    num = (f(args[0] + eps * v, args[1]) - f(args[0] - eps * v, args[1])) / (2 * eps)
    assert np.allclose(s2s.jvp(f)(*args, v), num, rtol=1e-5, atol=1e-6)


def eig_loss(a):
    w, v = np.linalg.eig(a)
    return np.sum(w ** 2) + np.sum(v[0] ** 2 * np.arange(3.0))


def test_eig_real_spectrum():
    rng = np.random.default_rng(0)
    p = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    a = p @ np.diag([1.0, 2.0, 3.0]) @ np.linalg.inv(p)
    s2s.check_grad(eig_loss, a, rtol=1e-4)


def eigvals_loss(a):
    w = np.linalg.eigvals(a)
    return np.sum(np.real(w))


def test_eig_complex_spectrum_refuses_with_the_user_line():
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(DifferentiationError) as e:    # the backward sweep meets the complex values first
        s2s.grad(eigvals_loss)(rot)
    assert "complex" in str(e.value)
    with pytest.raises(DifferentiationError) as e:
        s2s.jvp(eigvals_loss)(rot, np.eye(2))
    assert "w = np.linalg.eigvals(a)" in str(e.value) and "complex eigenvalues" in str(e.value)


def svd_s_only(a):
    u, s, vh = np.linalg.svd(a)
    return np.sum(s ** 2)


def svd_extra_columns(a):
    u, s, vh = np.linalg.svd(a)
    return np.sum(u ** 3)


def test_full_svd_of_a_tall_matrix():
    a = np.arange(8.0).reshape(4, 2) ** 1.5 / 3 + np.eye(4, 2)
    s2s.check_grad(svd_s_only, a)
    assert np.isclose(s2s.jvp(svd_s_only)(a, np.ones((4, 2))), np.sum(2 * a))   # forward: no crash
    with pytest.raises(DifferentiationError) as e:
        s2s.grad(svd_extra_columns)(a)
    assert "u, s, vh = np.linalg.svd(a)" in str(e.value)


def einsum_sublist(a, b):
    return np.sum(np.einsum(a, [0, 1], b, [1, 2], [0, 2]) ** 2)


def einsum_sublist_trace(a):
    return np.einsum(a, [0, 0]) ** 2


def test_einsum_sublist_form():
    # the sublist form used to give zero gradients (the first operand was read as the subscripts)
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    s2s.check_grad(einsum_sublist, a, b, wrt=(0, 1))
    s2s.check_grad(einsum_sublist_trace, rng.standard_normal((3, 3)))
    v = rng.standard_normal((2, 3))
    num = (einsum_sublist(a + 1e-6 * v, b) - einsum_sublist(a - 1e-6 * v, b)) / 2e-6
    assert np.isclose(s2s.jvp(einsum_sublist)(a, b, v), num, rtol=1e-5)
    hv = s2s.hvp(einsum_sublist)(a, b, v)
    g = s2s.grad(einsum_sublist)
    assert np.allclose(hv, (g(a + 1e-5 * v, b) - g(a - 1e-5 * v, b)) / 2e-5, rtol=1e-4, atol=1e-6)


try:
    import array_api_compat.numpy as xp
except ImportError:   # the test below is skipped
    xp = None


def xp_loss(x):
    return xp.sum(xp.sum(xp.square(x), axis=1) ** 2) + xp.sum(xp.linalg.inv(x + 3 * xp.eye(3)))


def test_array_api_namespace_takes_numpy_rules():
    pytest.importorskip("array_api_compat")
    x = np.random.default_rng(2).standard_normal((3, 3))
    s2s.check_grad(xp_loss, x)
    v = np.ones((3, 3))
    num = (xp_loss(x + 1e-6 * v) - xp_loss(x - 1e-6 * v)) / 2e-6
    assert np.isclose(s2s.jvp(xp_loss)(x, v), num, rtol=1e-5)


def sort_cubed(x):
    return np.sum(np.sort(x) ** 3 * np.arange(5.0))


def take_cubed(x):
    return np.sum(np.take(x, [0, 2, 2]) ** 3)


def partition_cubed(x):
    return np.sum(np.partition(x, 2) ** 3 * np.arange(5.0))


@pytest.mark.parametrize("f", [sort_cubed, take_cubed, partition_cubed])
def test_hvp_through_selections(f):
    # hvp through np.sort/np.take/... was zero: the gradient helper's in-place np.add.at was
    # differentiated to nothing (scatter_back and gather have rules now)
    x = np.array([0.3, -1.2, 0.8, 1.9, -0.4])
    v = np.linspace(0.5, 1.5, 5)
    g = s2s.grad(f)
    num = (g(x + 1e-5 * v) - g(x - 1e-5 * v)) / 2e-5
    assert np.abs(num).max() > 1
    assert np.allclose(s2s.hvp(f)(x, v), num, rtol=1e-5, atol=1e-6)


def block_nested(blocks):
    return np.sum(np.block(blocks) ** 3)


def test_block_gradient_is_nested_lists():
    blocks = [[np.ones((2, 2)), np.arange(2.0).reshape(2, 1)], [np.full((1, 2), 0.5), np.array([[2.0]])]]
    g = s2s.check_grad(block_nested, blocks)
    assert type(g) is list and all(type(row) is list for row in g)


# ---- an array namespace held in a local variable (scipy / scikit-learn internals)

from scipy._lib._array_api import array_namespace  # noqa: E402

try:
    import array_api_compat
except ImportError:   # ns_compat's case is skipped
    array_api_compat = None

def _all_modes(f, x, rtol=1e-5):
    """Reverse, forward and hvp of f at x against central differences."""
    v = np.linspace(0.5, 1.5, x.size).reshape(x.shape)
    fd = lambda fn, h=1e-6: (fn(x + h * v) - fn(x - h * v)) / (2 * h)   # noqa: E731
    g = s2s.grad(f)
    assert np.isclose(np.sum(g(x) * v), fd(f), rtol=rtol)
    assert np.isclose(s2s.jvp(f)(x, v), fd(f), rtol=rtol)
    assert np.allclose(s2s.hvp(f)(x, v), fd(g, 1e-5), rtol=1e-4, atol=1e-6)


def ns_getter(x):
    ns = array_namespace(x)
    return ns.sum(ns.exp(x) ** 2, axis=None) + ns.sum(ns.mean(x * x, axis=1))


def ns_compat(x):
    xp = array_api_compat.array_namespace(x)
    return xp.sum(xp.linalg.inv(x + 3 * xp.eye(3)) ** 2)


def ns_module(x):
    xp = np
    return xp.sum(xp.sin(x)) + xp.linalg.norm(x)


@pytest.mark.parametrize("f", [ns_getter, ns_compat, ns_module])
def test_namespace_in_a_local_takes_numpy_rules(f):
    # `ns = array_namespace(x)` then `ns.sum(t, axis=None)` was read as the array method t.sum:
    # refused ("multiple values for argument 'axis'"), or silently zero with one argument
    if f is ns_compat:
        pytest.importorskip("array_api_compat")
    _all_modes(f, np.array([[0.3, -0.2, 1.1], [0.5, 0.1, -0.7], [0.2, 0.9, 0.4]]))


def _ns_helper(a, xp):
    return xp.mean(a)


def ns_passed_in(x):
    xp = array_namespace(x)
    return _ns_helper(x * x, xp)


def np_passed_in(x):
    return _ns_helper(x * x, np)


def ns_rebound(x):
    xp = array_namespace(x)
    if x[0] > 0:
        xp = np
    return xp.sum(x ** 2)


@pytest.mark.parametrize("f", [ns_passed_in, np_passed_in, ns_rebound])
def test_namespace_s2s_cannot_see_is_dispatched_when_it_runs(f):
    # a namespace passed in as a value, or bound twice: xp.mean(a) read as the array method a.mean of `xp` with
    # `a` as the axis gave a silently zero derivative, then was refused; it is now dispatched on `xp` when the
    # call runs (pullback / pullback_self: a module's function takes its rule; s2s/calls.py unsure_receiver)
    _all_modes(f, np.array([0.3, -0.2, 1.1]))


# ---- np.put_along_axis (was refused: it writes into its first argument)

def put_rows(x, v):
    y = x * 1.0
    np.put_along_axis(y, np.array([[0], [2], [1]]), v, axis=1)
    return np.sum(np.sin(y) * np.arange(4.0))


def put_repeated(x, v):
    y = x * 1.0
    np.put_along_axis(y, np.array([[0, 0], [2, 3], [1, 1]]), v, 1)   # the later write wins
    return np.sum(y ** 3 * np.arange(1.0, 5.0))


def put_flat(x, v):
    y = x * 2.0
    np.put_along_axis(y, np.array([5, 0, -1]), v, axis=None)   # -1 is 5 again
    return np.sum(y ** 3)


def put_into_argument(x, v):
    np.put_along_axis(x, np.array([0, 2]), v, axis=0)
    return np.sum(x ** 3)


R12 = np.random.RandomState(12)


@pytest.mark.parametrize("f, args", [(put_rows, (R12.randn(3, 4), R12.randn(3, 1))),
                                     (put_repeated, (R12.randn(3, 4), R12.randn(3, 2))),
                                     (put_flat, (R12.randn(2, 3), R12.randn(3))),
                                     (put_into_argument, (R12.randn(3), R12.randn(2)))])
@pytest.mark.parametrize("wrt", [0, 1])
def test_put_along_axis(f, args, wrt):
    before = [a.copy() for a in args]
    v = np.linspace(0.5, 1.5, args[wrt].size).reshape(args[wrt].shape)

    def at(fn, s):
        a = [b.copy() for b in before]
        a[wrt] = a[wrt] + s * v
        return fn(*a)
    g = s2s.grad(f, wrt=wrt)
    got = g(*args)
    assert np.allclose(np.sum(got * v), (at(f, 1e-6) - at(f, -1e-6)) / 2e-6, rtol=1e-5)
    assert np.isclose(s2s.jvp(f, wrt=wrt)(*args, v), (at(f, 1e-6) - at(f, -1e-6)) / 2e-6, rtol=1e-5)
    hv = s2s.hvp(f, wrt=wrt)(*args, v)
    assert np.allclose(hv, (at(g, 1e-5) - at(g, -1e-5)) / 2e-5, rtol=1e-4, atol=1e-6)
    for a, b in zip(args, before):
        assert np.array_equal(a, b)   # the caller's arrays are not changed


def put_through_alias(x, v):
    y = x * 1.0
    b = y
    np.put_along_axis(y, np.array([0, 2]), v, axis=0)
    return np.sum(b ** 2)


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_put_along_axis_into_a_shared_array_is_refused(mode):
    x, v = np.array([0.3, -0.2, 1.1]), np.array([0.5, 0.7])
    with pytest.raises(DifferentiationError) as e:
        s2s.grad(put_through_alias, wrt=1)(x, v) if mode == "grad" else s2s.jvp(put_through_alias, wrt=1)(x, v, np.ones(2))
    assert __file__ in str(e.value) and "put_along_axis" in str(e.value)


# ---- hvp through np.interp in fp (was refused: the fp-gradient helper's np.add.at body) and np.kron

XP12 = np.array([0.0, 1.0, 2.5, 4.0])


def interp_in_fp(fp):
    return np.sum(np.interp(np.array([0.3, 1.7, 2.2, 3.9, 0.9, -0.5, 4.5]), XP12, fp) ** 3)


def interp_in_x_and_fp(x, fp):
    return np.sum(np.interp(x, XP12, fp * fp, left=0.5) ** 2)


def kron_cubed(a, b):
    return np.sum(np.kron(a, b) ** 3)


def kron_self(a):
    return np.sum(np.sin(np.kron(a, a)))


@pytest.mark.parametrize("f, args", [(interp_in_fp, (np.array([0.4, -1.1, 0.8, 1.3]),)),
                                     (interp_in_x_and_fp, (np.array([0.3, 1.7, 2.2, -0.4]), np.array([0.4, -1.1, 0.8, 1.3]))),
                                     (kron_cubed, (np.array([0.4, -1.1]), np.array([[0.3, 0.8, -0.6], [1.2, -0.2, 0.5]]))),
                                     (kron_cubed, (np.array([[[0.4, -1.1]], [[0.7, 0.2]]]), np.array([[0.3, 0.8], [-0.6, 1.2], [-0.2, 0.5]]))),
                                     (kron_self, (np.array([[0.4, -1.1], [0.7, 0.2]]),))])
def test_hvp_interp_and_kron(f, args):
    wrt = tuple(range(len(args)))
    vs = [np.linspace(0.5, 1.5, a.size).reshape(a.shape) for a in args]
    parts = (lambda r: r) if len(args) > 1 else (lambda r: (r,))   # noqa: E731 (one argument: not a tuple)
    grad = s2s.grad(f, wrt=wrt if len(args) > 1 else 0)
    g = lambda *a: parts(grad(*a))   # noqa: E731
    up, down = g(*[a + 1e-5 * v for a, v in zip(args, vs)]), g(*[a - 1e-5 * v for a, v in zip(args, vs)])
    hv = parts(s2s.hvp(f, wrt=wrt if len(args) > 1 else 0)(*args, *vs))
    for h, p, q in zip(hv, up, down):
        assert np.allclose(h, (p - q) / 2e-5, rtol=1e-4, atol=1e-6)
    num = (f(*[a + 1e-6 * v for a, v in zip(args, vs)]) - f(*[a - 1e-6 * v for a, v in zip(args, vs)])) / 2e-6
    assert np.isclose(s2s.jvp(f, wrt=wrt if len(args) > 1 else 0)(*args, *vs), num, rtol=1e-5)
    assert np.isclose(sum(np.sum(gi * v) for gi, v in zip(g(*args), vs)), num, rtol=1e-5)
