"""Review 14 gaps: the forward calling convention with the primal's arguments by name (jvp and hvp take
their tangents under the same names), gradients in the argument's type, user rules' shapes, objects."""
import functools
import inspect

import numpy as np
import pytest

import s2s
from s2s.registry import d
from tests.test_real_programs import check_all, fd_grad

rng = np.random.default_rng(14)
W0, X0, V0 = rng.normal(size=3), rng.normal(size=(4, 3)), rng.normal(size=3)


def tanh_loss(w, X):
    return np.sum(np.tanh(X @ w))


def reg_loss(w, X, lam=0.1):
    return np.sum(np.tanh(X @ w)) + lam * np.sum(w ** 2)


def two_loss(w, b, X):
    return np.sum(np.tanh(X @ w + b) ** 2)


def shadow_loss(w, X):   # a local named as w's tangent would be: both modes name it d_w
    dw = w * 2.0
    return np.sum(np.tanh(X @ dw))


def hv_fd(f, args, v, wrt=0, h=1e-5):
    g = s2s.grad(f, wrt=wrt)

    def at(s):
        a = list(args)
        a[wrt] = args[wrt] + s * h * v
        return g(*a)
    return (at(1) - at(-1)) / (2 * h)


# ---------------------------------------------------------------- gap 1: the primal's arguments by name

@pytest.mark.parametrize("f", [tanh_loss, reg_loss])
def test_jvp_tangent_positional_primal_by_name(f):
    want = fd_grad(f, (W0, X0), 0) @ V0
    for make in (s2s.jvp, s2s.hvp):
        expect = want if make is s2s.jvp else hv_fd(f, (W0, X0), V0)
        d = make(f, wrt="w")
        for got in (d(V0, w=W0, X=X0), d(W0, V0, X=X0), d(W0, X0, V0), d(w=W0, X=X0, dw=V0)):
            np.testing.assert_allclose(got, expect, rtol=1e-5, atol=1e-6)


def test_jvp_by_name_with_default_given():
    want = fd_grad(lambda w, X: reg_loss(w, X, 0.3), (W0, X0), 0) @ V0
    np.testing.assert_allclose(s2s.jvp(reg_loss)(V0, w=W0, X=X0, lam=0.3), want, rtol=1e-5)
    np.testing.assert_allclose(s2s.jvp(reg_loss)(W0, X0, 0.3, V0), want, rtol=1e-5)


def test_jvp_partial_tangent_positional_primal_by_name():
    p = functools.partial(tanh_loss, X=X0)
    want = fd_grad(tanh_loss, (W0, X0), 0) @ V0
    np.testing.assert_allclose(s2s.jvp(p)(V0, w=W0), want, rtol=1e-5)
    np.testing.assert_allclose(s2s.jvp(p)(W0, V0), want, rtol=1e-5)


def test_jvp_positional_after_named_is_a_clear_type_error():
    with pytest.raises(TypeError, match="w is given by name"):
        s2s.jvp(tanh_loss)(V0, V0, w=W0, X=X0)
    with pytest.raises(TypeError, match="every tangent"):   # one of two tangents positional, the primal by name
        s2s.jvp(two_loss, wrt=(0, 1))(V0, w=W0, b=0.5, X=X0)
    with pytest.raises(TypeError, match="multiple values for the tangent dw"):
        s2s.jvp(tanh_loss)(V0, w=W0, X=X0, dw=V0)


_J_SIN = s2s.jvp(lambda x: np.sum(np.sin(x) ** 2))


def _through_jvp(x):
    return _J_SIN(x, x)


def _through_jvp_named(x):
    return _J_SIN(x=x, dx=x)


@pytest.mark.parametrize("g", [_through_jvp, _through_jvp_named])
def test_a_jvp_called_in_a_differentiated_function(g):
    x = np.array([0.3, 0.7])   # jvp's wrapper passes these calls on as they are: s2s reads the generated code
    np.testing.assert_allclose(s2s.grad(g)(x), s2s.numeric_grad(g)(x), rtol=1e-6)


# ---------------------------------------------------------------- gap 2: one name for a tangent in jvp and hvp

@pytest.mark.parametrize("f, wrt", [(tanh_loss, 0), (two_loss, (0, 1)), (shadow_loss, 0)])
def test_tangent_names_jvp_equal_hvp(f, wrt):
    j, h = s2s.jvp(f, wrt=wrt), s2s.hvp(f, wrt=wrt)
    assert list(inspect.signature(j).parameters) == list(inspect.signature(h).parameters)


def test_hvp_tangents_by_name():
    h = s2s.hvp(two_loss, wrt=(0, 1))
    assert list(inspect.signature(h).parameters)[-2:] == ["dw", "db"]
    want = h(W0, 0.5, X0, V0, 1.0)
    got = h(w=W0, b=0.5, X=X0, dw=V0, db=1.0)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b)
    fd = (s2s.grad(two_loss, wrt=(0, 1))(W0 + 1e-5 * V0, 0.5 + 1e-5, X0)[0]
          - s2s.grad(two_loss, wrt=(0, 1))(W0 - 1e-5 * V0, 0.5 - 1e-5, X0)[0]) / 2e-5
    np.testing.assert_allclose(got[0], fd, rtol=1e-4, atol=1e-6)
    assert "def hvp_two_loss_dw_db(w, b, X, dw=1.0, db=1.0)" in s2s.source(h, W0, 0.5, X0, V0, 1.0)


def test_shadowed_tangent_name_is_d_():
    assert list(inspect.signature(s2s.hvp(shadow_loss)).parameters) == ["w", "X", "d_w"]
    np.testing.assert_allclose(s2s.hvp(shadow_loss)(W0, X0, d_w=V0), hv_fd(shadow_loss, (W0, X0), V0),
                               rtol=1e-4, atol=1e-6)
    check_all(shadow_loss, W0, X0)


# ---------------------------------------------------------------- gap 3: a list's gradient is a list

def list_times_array(p, x):
    return np.sum(np.sin(p * x))


def list_dot(p, x):
    return np.dot(p, x) ** 2


def list_through_array(p, x):
    return np.sum(np.array(p) * x)


@pytest.mark.parametrize("f", [list_times_array, list_dot, list_through_array])
@pytest.mark.parametrize("kind", [list, tuple])
def test_sequence_argument_gradient_has_its_type(f, kind):
    p, x = kind([0.5, 1.0, 2.0]), np.array([1.0, 2.0, 3.0])
    check_all(f, p, x)   # same_type: reverse and hvp give the argument's type
    for got in (s2s.value_and_grad(f)(p, x)[1], s2s.vjp(f)(p, x)[1](1.0), s2s.grad(f, wrt=(0, 1))(p, x)[0]):
        assert type(got) is kind and all(type(e) is float for e in got)
    if f is not list_times_array:   # (a list times a list is no product)
        gx = s2s.grad(f, wrt=1)(p, [1.0, 2.0, 3.0])   # the other argument a list too
        assert type(gx) is list


def test_sequence_gradient_of_ints_and_arrays_unchanged():
    x = np.array([1.0, 2.0, 3.0])
    assert s2s.grad(list_times_array)([1, 2, 3], x) == pytest.approx(list(np.cos(np.arange(1, 4) * x) * x))
    got = s2s.grad(list_times_array)(np.array([0.5, 1.0, 2.0]), x)
    assert type(got) is np.ndarray


def test_sequence_of_arrays_reuses_the_generic_code():
    def loss(params, X):
        W, b = params
        return np.sum(np.tanh(X @ W + b))
    d = s2s.grad(loss)
    args = ([np.full((3, 2), 0.1), np.zeros(2)], np.ones((2, 3)))
    assert d.s2s_for_args(*args) is d.s2s_generic   # its generic code already gives a list: no second compile
    assert type(d(*args)) is list


# -------------------------------------------------------- gap 4: a user rule's gradient has its argument's shape

def _sum_sq(x):
    return np.sum(x ** 2)


@s2s.adjoint(_sum_sq)
def _sum_sq_wrong(result, x):
    d[x] = d[result] * 2 * np.sum(x)   # a number where x is a vector


def _row_sums(A):
    return A.sum(axis=1)


@s2s.adjoint(_row_sums)
def _row_sums_wrong(result, A):
    d[A] = d[result][:, None]   # a column where A is a matrix (broadcast, it gives a wrong gradient)


def _cube(x):
    return x ** 3


@s2s.adjoint(_cube)
def _cube_adj(result, x):
    d[x] = d[result] * 3 * x * x


@s2s.tangent(_cube)
def _cube_fwd(result, x):
    d[result] = 3 * x * x * d[x]


def _cube2(x):
    return x ** 3


@s2s.tangent(_cube2)
def _cube2_wrong(result, x):
    d[result] = np.sum(3 * x * x * d[x])


def _zero_rule(x):
    return np.floor(x)


@s2s.adjoint(_zero_rule)
def _zero_rule_adj(result, x):
    d[x] = 0.0   # a scalar zero: no gradient, of any shape


@pytest.mark.parametrize("f, arg, shapes", [
    (lambda x: _sum_sq(x) + np.sum(np.sin(x)), np.array([1.0, 2.0, 3.0]), "`d[x]` of shape (), but `x` has shape (3,)"),
    (lambda A: np.sum(_row_sums(A) ** 2), np.ones((3, 3)), "`d[A]` of shape (3, 1), but `A` has shape (3, 3)"),
])
def test_user_adjoint_of_the_wrong_shape_is_refused(f, arg, shapes):
    with pytest.raises(s2s.DifferentiationError, match="@s2s.adjoint rule of _") as e:
        s2s.grad(f)(arg)
    assert shapes in str(e.value) and "test_review14_gaps.py" in str(e.value)


def test_user_tangent_of_the_wrong_shape_is_refused():
    with pytest.raises(s2s.DifferentiationError, match=r"@s2s.tangent rule of _cube2 .*`d\[result\]` of shape \(\)"):
        s2s.jvp(lambda x: np.sum(_cube2(x)))(np.array([0.3, 0.5]), np.ones(2))


def _cube_loop(x):
    for _ in range(3):
        x = _cube(x) * 0.5
    return np.sum(x * np.sin(x))


def test_user_rules_of_the_right_shape_unchanged():
    x = np.array([0.3, 0.5, 0.9])
    check_all(_cube_loop, x)
    check_all(lambda x: np.sum(_cube(x) * np.sin(x)), 0.7)
    check_all(lambda x: np.sum(_zero_rule(x) + x ** 2), x)


# ---------------------------------------------------------------- gap 5: objects as ML code in plain NumPy writes them

class _Counted:
    def __init__(self, W):
        self.W = W
        self.calls = 0

    def forward(self, X):
        self.calls += 1   # a counter on self: a number, rebound (an array there would change in place)
        return np.tanh(X @ self.W)


class _Accumulates:
    def __init__(self, total):
        self.total = total

    def add(self, x):
        self.total += 1.0   # a number: rebound; an array shared with the caller: changed in place
        return np.sum(self.total * x ** 2)


_COUNTED = _Counted(rng.normal(size=(3, 2)))
_ACC_NUMBER, _ACC_ARRAY = _Accumulates(0.0), _Accumulates(np.zeros(3))


def _counted_global(X):
    return np.sum(_COUNTED.forward(X) ** 2)


def _counted_argument(X, m):
    return np.sum(m.forward(X) ** 2)


def _counted_local(W, X):
    m = _Counted(W)
    return np.sum(m.forward(X) ** 2) + m.calls


def test_counter_on_self_in_a_method():
    calls = _COUNTED.calls
    check_all(_counted_global, X0)
    assert _COUNTED.calls > calls   # the primal ran, and counted
    check_all(_counted_argument, X0, _Counted(rng.normal(size=(3, 2))))
    check_all(_counted_local, rng.normal(size=(3, 2)), X0)


def test_number_attribute_updated_in_place_syntax():
    f = lambda x: _ACC_NUMBER.add(x)   # noqa: E731
    x = np.array([0.3, 0.6, 0.9])
    before = _ACC_NUMBER.total
    g = s2s.grad(f)(x)
    np.testing.assert_allclose(g, 2 * (before + 1.0) * x)


def test_array_attribute_updated_in_place_on_a_shared_object_is_refused():
    with pytest.raises(s2s.DifferentiationError, match="in place"):
        s2s.grad(lambda x: _ACC_ARRAY.add(x))(np.array([0.3, 0.6, 0.9]))


def _pair(a, b):
    return a * b, a + b


def _prod3(a, b, c=1.0):
    return a * b * c


def _star_lambda(x, y):
    h = lambda *a: _pair(*a)[0]   # noqa: E731
    return np.sum(h(x, y) ** 2)


def _star_keyword_only(x, y):
    def h(*a, scale=2.0):
        return _pair(*a)[1] * scale
    return np.sum(h(x, y) ** 2) + np.sum(h(x, y, scale=0.5))


def _star_items(x, y):
    def h(*a):
        t = 0.0
        for e in a:
            t = t + e ** 2
        return t + a[0] * a[-1] * len(a)
    return np.sum(h(x, y, x))


def _kwargs_twice(x, y):   # the first call's keywords must not stay in the nested function's body
    def h(x, **kw):
        return _prod3(x, y, **kw)
    return np.sum(h(x, c=3.0) + h(x))


def _star_and_kwargs(x, y):
    def h(*a, **kw):
        return _prod3(*a, **kw)
    return np.sum(h(x, y, c=2.0) ** 2) + np.sum(h(*(x, y)))


@pytest.mark.parametrize("f", [_star_lambda, _star_keyword_only, _star_items, _kwargs_twice, _star_and_kwargs])
def test_nested_functions_with_star_parameters(f):
    x = np.array([0.3, 0.6, 0.9])
    check_all(f, x, x + 1.0)
    check_all(f, x, x + 1.0, wrt=1)


def test_property_and_staticmethod_with_a_lambda():
    class Lin:
        def __init__(self, W, b):
            self.W, self.b = W, b

        @property
        def scaled(self):
            return self.W * 2.0 + self.b

        def __call__(self, X):
            return X @ self.scaled

    class Ops:
        @staticmethod
        def apply(fn, x):
            return fn(x) * 2.0

    def prop(W, X):
        return np.sum(np.tanh(Lin(W, 0.5)(X))) + np.sum(Lin(W, 0.1).scaled ** 2)

    def static(x, c):
        return np.sum(Ops.apply(lambda t: np.sin(t * c), x))
    check_all(prop, rng.normal(size=(3, 2)), X0)
    check_all(static, np.array([0.3, 0.6, 0.9]), 0.7)


# ------------------------------------------------------ gap 6: writes into A.diagonal(), NumPy's read-only view

def _diag_one(A):
    d = A.diagonal()
    d[0] = 5.0
    return np.sum(A ** 2)


def _diag_all(A):
    B = A * 2.0
    B.diagonal()[:] = 1.0
    return np.sum(B ** 2)


def _diag_aug(A):
    B = A * 2.0
    d = np.diagonal(B)
    d += 1.0
    return np.sum(B ** 2)


def _diag_slice(A):
    B = A * 2.0
    d = B.diagonal()
    d[1:] = 3.0
    return np.sum(B ** 2)


@pytest.mark.parametrize("f, fix", [
    (_diag_one, "`A[0, 0] = 5.0`"), (_diag_all, "`np.fill_diagonal(B, 1.0)`"),
    (_diag_aug, "`np.fill_diagonal(B, B.diagonal() + 1.0)`"),
    (_diag_slice, "`i = np.arange(min(B.shape))[1:]; B[i, i] = 3.0`")])
def test_write_into_a_diagonal_view(f, fix):
    A = np.arange(9.0).reshape(3, 3) / 10
    with pytest.raises(ValueError, match="read-only"):
        f(A.copy())   # NumPy itself refuses the program
    for make in (s2s.grad, s2s.jvp):
        with pytest.raises(s2s.DifferentiationError, match="read-only view") as e:
            make(f)(A)
        assert fix in str(e.value) and "test_review14_gaps.py" in str(e.value)


def _diag_fixed(A):   # the fixes the messages give, differentiated
    A = A * 1.0
    A[0, 0] = 5.0
    B = A * 2.0
    np.fill_diagonal(B, B.diagonal() + 1.0)
    i = np.arange(min(B.shape))[1:]
    B[i, i] = np.sin(A[0, 1:])
    return np.sum(B ** 2) + np.sum(A.diagonal() ** 2)


class _Banded:
    def __init__(self, n):
        self.d = np.zeros(n)

    def diagonal(self):
        return self.d   # writable: the user's own method


def _own_diagonal(x):
    m = _Banded(3)
    d = m.diagonal()
    d[0] = 1.0
    return np.sum(x * d)


def test_diagonal_fixes_and_reads_differentiate():
    check_all(_diag_fixed, np.arange(9.0).reshape(3, 3) / 10 + 0.05)
    np.testing.assert_allclose(s2s.grad(_own_diagonal)(np.ones(3)), [1.0, 0.0, 0.0])


# ---------------------------------------------------------------- forward mode: a list argument's tangent is a list

def _np_add_lists(p, q):
    return np.exp(np.add(p, q))


def _np_multiply_list(p):
    return np.multiply(p, 2)


def _np_sin_list(p):
    return np.sum(np.sin(p) * np.cos(p))


def _concat_lists(p, q):   # list concatenation: the tangents concatenate
    return np.sum(np.array(p + q) ** 2)


def _repeat_list(p):   # list repetition: the tangent repeats
    return np.sum(np.array(p * 2) * np.arange(6.0))


@pytest.mark.parametrize("f, args", [
    (_np_add_lists, ([0.5], [1.0])), (_np_add_lists, ([0.5, 0.2], (1.0, 0.3))), (_np_multiply_list, ([0.5, 1.0, 2.0],)),
    (_np_sin_list, ([0.5, 1.0, 2.0],)), (_concat_lists, ([0.5, 1.0], [2.0])), (_repeat_list, ([0.5, 1.0, 2.0],))])
def test_jvp_of_numpy_functions_of_lists(f, args):
    t = [list(np.linspace(0.3, 1.0, len(a))) for a in args]
    got = s2s.jvp(f, wrt=tuple(range(len(args))))(*args, *t)
    h = 1e-6
    plus = [list(np.add(a, h * np.array(v))) for a, v in zip(args, t)]
    minus = [list(np.subtract(a, h * np.array(v))) for a, v in zip(args, t)]
    want = (np.asarray(f(*plus)) - np.asarray(f(*minus))) / (2 * h)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_hvp_of_a_list_argument():
    p, v = [0.5, 1.0, 2.0], [1.0, 0.0, 0.5]
    got = s2s.hvp(_np_sin_list)(p, v)
    assert type(got) is list
    g = s2s.grad(_np_sin_list)
    step = 1e-5 * np.array(v)
    want = (np.array(g(list(np.add(p, step)))) - np.array(g(list(np.subtract(p, step))))) / 2e-5
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_an_array_tangent_for_a_list_of_numbers():
    p = [0.5, 1.0, 2.0]
    np.testing.assert_allclose(s2s.jvp(_np_sin_list)(p, np.array([1.0, 0.0, 0.5])),
                               s2s.jvp(_np_sin_list)(p, [1.0, 0.0, 0.5]))
    with pytest.raises(s2s.DifferentiationError, match="the tangent dp of argument `p` is an array of shape \\(2,\\)"):
        s2s.jvp(_np_sin_list)(p, np.array([1.0, 0.0]))


def _slice_of_list(p):
    q = p[1:]
    return np.add(q, q) * p[0]


def _ragged_concatenate(xs):   # a list of arrays stays a list: np.concatenate's sequence
    return np.sum(np.concatenate(xs) ** 2) + np.sum(np.hstack(xs))


def test_jvp_of_a_slice_of_a_list_and_of_a_ragged_list():
    got = s2s.jvp(_slice_of_list)([0.5, 1.0, 2.0], [1.0, 0.5, 0.25])
    np.testing.assert_allclose(got, 2 * np.array([0.5, 0.25]) * 0.5 + 2 * np.array([1.0, 2.0]) * 1.0)
    xs, ts = [np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])], [np.ones(2), np.ones(3)]
    assert s2s.jvp(_ragged_concatenate)(xs, ts) == pytest.approx(2 * 15.0 + 5.0)
    hv = s2s.hvp(_ragged_concatenate)(xs, ts)
    assert type(hv) is list and all(np.allclose(h, 2.0) for h in hv)
