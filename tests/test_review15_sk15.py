"""Review 15 (helper sk15): library code as libraries write it (issue 11, item 9).

1. A global number or array is read once into a local (s2s/state_reads.py) only when a call the function makes
   may change it (s2s/state_writes.py): a helper that changes nothing outside (a validating decorator whose
   checks count into a global list) leaves the read as written; one that changes it (through a parameter, a
   local alias, a view, ``out=``, a method of the object passed) still gets the snapshot and right numbers.
"""
import numpy as np

import s2s
from tests.test_real_programs import check_all

X = np.array([0.61, 0.83, 1.37])


# ---------------------------------------------------------------- 1. what a helper changes
W = np.array([1.5, -0.5, 2.0])
BUF = np.ones(3)
LOG = []


class Box:
    def __init__(self):
        self.buf = np.ones(3)
        self.temp = 1.0

    def step(self):
        self.temp = self.temp * 2.0

    def rewind(self):
        self.temp = 1.0


BOX = Box()


def pure_helper(v):
    LOG.append(len(v))   # changes a global list, which the function does not read as data
    return np.sum(v * 2.0)


def reads_w_pure(x):
    a = np.sum(np.sin(x * W))
    b = pure_helper(x)
    return a * b + np.sum(x * W)


def test_a_helper_changing_nothing_read_leaves_the_read_as_written():
    src = s2s.grad(reads_w_pure).source(X)
    assert "copy_value" not in src, src
    check_all(reads_w_pure, X.copy())


def fill(a, v):
    a[:] = v


def through_parameter(x):   # the helper changes the global array it is given
    fill(BUF, 1.0)
    a = np.sum(np.sin(x * BUF))
    fill(BUF, 3.0)
    b = np.sum(np.sin(x * BUF))
    fill(BUF, 1.0)
    return a * b


def _set_alias(v):
    t = BOX.buf
    t[:] = v


def through_local_alias(x):   # the helper writes through a local bound to the global object's array
    _set_alias(1.0)
    a = np.sum(np.sin(x * BOX.buf))
    _set_alias(3.0)
    b = np.sum(np.sin(x * BOX.buf))
    _set_alias(1.0)
    return a * b


VIEW = BUF[:2]


def _set_view(v):
    np.multiply(np.ones(3), v, out=BUF)


def through_out_and_view(x):   # the helper fills BUF with out=; the function reads a view of it
    _set_view(1.0)
    a = np.sum(np.sin(x[:2] * VIEW))
    _set_view(3.0)
    b = np.sum(np.sin(x[:2] * VIEW))
    _set_view(1.0)
    return a * b


def _advance(s):
    s.step()


def _rewind(s):
    s.rewind()


def through_a_method_of_the_object_passed(x):   # only methods of the object a helper is given change it
    total = 0.0
    for i in range(3):
        total = total + np.sum(np.tanh(x / BOX.temp))
        _advance(BOX)
    _rewind(BOX)
    return total


def test_a_helper_changing_what_is_read_keeps_the_snapshot():
    for f in (through_parameter, through_local_alias, through_out_and_view, through_a_method_of_the_object_passed):
        assert "copy_value" in s2s.grad(f).source(X.copy()), f.__name__
        check_all(f, X.copy())
    assert np.all(BUF == 1.0) and np.all(BOX.buf == 1.0)


class Named:
    def __init__(self):
        self.t = 1.0

    def copy(self):   # methods changing the object, named like builtin ones
        self.t = self.t * 2.0

    def mean(self):
        self.t = 1.0


NAMED = Named()


def _double(o):
    o.copy()


def _reset(o):
    o.mean()


def through_methods_named_like_builtin_ones(x):   # (a silently wrong gradient while x.copy() counted as a read)
    a = np.sum(x / NAMED.t)
    _double(NAMED)
    b = np.sum(np.sin(x / NAMED.t))
    _reset(NAMED)
    return a + b


def test_a_method_named_like_a_builtin_one_may_change_its_object():
    assert "copy_value" in s2s.grad(through_methods_named_like_builtin_ones).source(X.copy())
    check_all(through_methods_named_like_builtin_ones, X.copy())


def global_fill_method(x):   # the snapshot replaced BUF in `BUF.fill(v)`: BUF never changed, wrong gradient
    _advance(BOX)
    BUF.fill(1.0)
    a = np.sum(np.sin(x * BUF))
    BUF.fill(3.0)
    b = np.sum(np.sin(x * BUF))
    BUF.fill(1.0)
    return a * b


def global_copyto(x):   # np.copyto(BUF, v): a copy was filled, and the optimizer merged the reads around it
    _advance(BOX)
    np.copyto(BUF, 1.0)
    a = np.sum(np.sin(x * BUF))
    np.copyto(BUF, 3.0)
    b = np.sum(np.sin(x * BUF))
    np.copyto(BUF, 1.0)
    return a * b


def global_out(x):
    _advance(BOX)
    np.multiply(np.ones(3), 1.0, out=BUF)
    a = np.sum(np.sin(x * BUF))
    np.multiply(np.ones(3), 3.0, BUF)
    b = np.sum(np.sin(x * BUF))
    np.multiply(np.ones(3), 1.0, out=BUF)
    return a * b


def test_a_global_written_by_the_function_is_written_not_a_copy_of_it():
    for f in (global_fill_method, global_copyto, global_out, through_parameter):
        check_all(f, X.copy())
        assert np.all(BUF == 1.0), f.__name__
        BUF[:] = 1.0
        BOX.temp = 1.0


# ---------------------------------------------------------------- 3. np.vectorize with options
import pytest  # noqa: E402


def _g(a):
    return np.sin(a) * a


def _g2(a, k):
    return np.sin(a) * k


VF_FLOAT = np.vectorize(_g, otypes=[float])
VF_INT = np.vectorize(_g, otypes=[int])


def vec_otypes_float(x):
    return np.sum(np.vectorize(_g, otypes=[float])(x))


def vec_otypes_string(x):
    return np.sum(np.vectorize(_g, otypes="d", cache=True)(x) * x)


def vec_excluded_position(x):
    return np.sum(np.vectorize(_g2, excluded={1})(x, 3.0))


def vec_excluded_name(x):
    vf = np.vectorize(_g2, excluded=["k"])
    return np.sum(vf(x, k=x[0]))   # (an excluded argument carrying a gradient: given to each call as it is)


def vec_signature(x):
    return np.sum(np.vectorize(_g, signature=None)(x)) + np.sum(np.vectorize(_g, signature="() -> ()")(x))


def vec_global(x):
    return np.sum(VF_FLOAT(x.reshape(3, 1)))


@pytest.mark.parametrize("f", [vec_otypes_float, vec_otypes_string, vec_excluded_position, vec_excluded_name,
                               vec_signature, vec_global])
def test_vectorize_options_with_the_same_meaning_are_followed(f):
    check_all(f, X.copy())


def vec_otypes_int(x):
    return np.sum(np.vectorize(_g, otypes=[int])(x))


def vec_global_int(x):
    return np.sum(VF_INT(x))


def vec_two_arguments(x):
    return np.sum(np.vectorize(_g2)(x, x))


def vec_core_signature(x):
    return np.sum(np.vectorize(np.sum, signature="(n)->()")(x))


@pytest.mark.parametrize("f, text, why", [
    (vec_otypes_int, "np.vectorize(_g, otypes=[int])(x)", "casts f's values to int64 (no derivative)"),
    (vec_global_int, "VF_INT(x)", "casts f's values to int64"),
    (vec_two_arguments, "np.vectorize(_g2)(x, x)", "more than one argument to run over"),
    (vec_core_signature, "signature=\"(n)->()\"", "core dimensions")])
def test_vectorize_options_with_another_meaning_are_refused_naming_the_line(f, text, why):
    for make in (s2s.grad, s2s.jvp):
        with pytest.raises(s2s.DifferentiationError) as e:
            make(f)(X.copy())
        msg = str(e.value)
        assert "test_review15_sk15.py" in msg and text in msg and why in msg, msg
        assert "<numpy.vectorize object" not in msg, msg


# ---------------------------------------------------------------- 4. SciPy called as libraries' users call it
def sp_rosen(x):
    from scipy.optimize import rosen
    return rosen(x)


def sp_special(x):
    from scipy import special
    return np.sum(special.gammaln(x) + special.expit(x) + special.xlogy(x, x)) + special.logsumexp(x)


def sp_norm_logpdf(x):   # loc and scale carry the gradient too
    from scipy import stats
    return np.sum(stats.norm.logpdf(x[:2], loc=x[2], scale=x[3])) + np.sum(stats.norm.logpdf(x, x[0], x[1]))


@pytest.mark.parametrize("f", [sp_rosen, sp_special, sp_norm_logpdf])
def test_scipy_functions_through_their_python_wrappers(f):
    check_all(f, np.array([0.3, 0.8, 1.4, 0.9]))


def test_rosen_unchanged_gives_rosen_der():
    from scipy.optimize import rosen_der
    x = np.array([0.3, 0.8, 1.4, 0.9])
    np.testing.assert_allclose(s2s.grad(sp_rosen)(x), rosen_der(x), rtol=1e-12)


# ---------------------------------------------------------------- 2. library code as libraries write it
def _alloc(n):
    return np.zeros((n, 2))


def fills_a_new_array(X):   # n = X.shape[0] is a number: out (made from it) shares nothing with X
    n = X.shape[0]
    out = _alloc(n)
    out[:, 0] = X[:, 0] * 2
    out[:, 1] = np.sin(X[:, 1])
    return out


def calls_a_filler(X):
    Y = X * 1.0
    return np.sum(fills_a_new_array(Y) ** 2) + np.sum(Y)


def test_a_shape_read_is_not_an_alias_of_the_array():
    # (refused before: "fills_a_new_array changes its argument `X` in place"; scikit-learn's
    # _euclidean_distances_upcast, `n_samples_X = X.shape[0]; distances = xp.empty((n_samples_X, ...))`)
    check_all(calls_a_filler, np.arange(6.0).reshape(3, 2) / 7)


def _shuffle_rows(A, B):
    out = A
    for i in range(A.shape[0]):
        for j in range(B.shape[0]):
            t = [A, B, out]
            out = t[(i + j) % 3]
    return out


def through_an_unknown_summary(x):
    y = x * 2.0
    z = _shuffle_rows(y, y)   # (y itself: the callee's summary, beyond the budget, is unknown)
    z[0] = 0.0
    return np.sum(y * x)


def test_a_callee_summary_too_large_is_unknown_and_stays_sound(monkeypatch):
    from s2s import alias_guard
    monkeypatch.setattr(alias_guard, "SUMMARY_SIZE", 3)   # every callee's summary: too large
    s2s.clear_cache() if hasattr(s2s, "clear_cache") else None
    try:
        check_all(through_an_unknown_summary, np.array([0.3, 0.5, 1.2]))
    except s2s.DifferentiationError as e:   # or refused, naming the line: never a wrong number
        assert "test_review15_sk15.py" in str(e), str(e)
