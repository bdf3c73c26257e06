"""Crashes found in review 12 (exceptions out of generated code that were not a DifferentiationError), and
one wrong tangent; each checked against central finite differences in reverse, forward and hvp
(``check_all``), or refused with a DifferentiationError naming the user's line.

1. jvp of np.nanmean (nansum, nanmax, nanmin, nanprod, nanvar, nanstd, nancumsum, nancumprod) over values
   with NaNs was nan: the tangent at a NaN element (0 * nan = nan) was not masked (nan_masked in
   s2s/templates/reductions.py); the gradient was right.
2. np.quantile / np.percentile with an array q: grad raised ValueError (cannot reshape), jvp
   NotImplementedError; now one row of weights per q (quantile_grad_a, quantile_grad_q, quantile_tangent).
3. Forward mode (and hvp) refused ``print(f"loss={loss:.3f}")`` ("cannot differentiate a JoinedStr
   expression") and ``print("{:.2f}".format(loss))``; text carries no derivative (s2s/analyze.py: f-strings,
   methods of a string, ``"%.3f" % loss``; str, repr, format and NumPy's array-to-string functions are
   non-differentiable), as in reverse mode.
4. A tuple state returned by a helper and indexed in a loop (``state = step(w, state); s = s + state[0]``):
   the gradient wrote into the helper's tuple gradient (TypeError: 'tuple' object does not support item
   assignment). The loop's adjoint state (s2s/backward.py loop_body) took a fresh zero adjoint as private
   on every trip, though a trip left it bound to the helper's gradient; now it is copied before the write.
5. A list built with append and used both whole by NumPy (np.mean(vals): an array gradient) and by element
   (vals[-1]): the element's accumulation made the array gradient private with copy_grad, so the pops of
   the append loop found an array (AttributeError: no attribute 'pop'); an appended list's adjoint is made a
   list (copy_grad_list, s2s/backward.py). Its hvp failed the same way where the tangent of
   ``dvals + grad_reduce(...)`` was an array (rule_helpers.tangent_like makes it a list, as the primal).
6. A for loop (or comprehension) over an object of the user's that iterates (``__iter__``, a data loader
   yielding batches) but has no ``__len__`` / ``__getitem__``: the generated code indexed it by position
   (TypeError: object has no len()). Its class is pinned (signature.needs_class counts ``__iter__``) and the
   loop walks ``iter(loader)`` (s2s/typed_params.py), the list of the batches; where the loader itself
   carries the derivative (wrt the loader) it is refused at the loop's line, and the dispatcher does not fall
   back to the generic code (which would index it).
"""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X4 = np.array([0.5, -1.3, 2.2, 1.5])


# ---------------------------------------------------------------- 1. nan* tangents at NaN elements
def nanmean_sq(x):
    y = np.where(x > 0, x, np.nan)
    return np.nanmean(y ** 2)


def test_nanmean_tangent_masks_nan_elements():
    assert s2s.jvp(nanmean_sq)(X4, np.ones(4)) == pytest.approx(2 * (0.5 + 2.2 + 1.5) / 3)
    check_all(nanmean_sq, X4)


@pytest.mark.parametrize("red", [np.nansum, np.nanmax, np.nanmin, np.nanprod, np.nanvar, np.nanstd,
                                 np.nanmean])
def test_nan_reductions_tangent(red):
    def f(x):
        y = np.where(x > 0, x, np.nan)
        return red(y ** 2) * 1.0
    check_all(f, X4)


@pytest.mark.parametrize("red", [np.nansum, np.nanmax, np.nanmean, np.nanstd])
def test_nan_reductions_axis(red):
    def f(x):
        y = np.where(x > 0, x, np.nan)
        return np.sum(red(np.sin(y), axis=1) ** 2)
    x = np.array([[0.5, -1.3, 2.2], [1.5, 0.7, -0.2]])
    check_all(f, x)


@pytest.mark.parametrize("scan", [np.nancumsum, np.nancumprod])
def test_nan_scans_tangent(scan):
    def f(x):
        y = np.where(x > 0, x, np.nan)
        return np.sum(scan(y * 1.5) ** 2)
    check_all(f, X4)


# ---------------------------------------------------------------- 2. quantile with an array q
A6 = np.array([0.5, -2.6, 6.6, 1.2, 3.3, -0.7])


def quantile_vec(x):
    return np.sum(np.quantile(x, [0.2, 0.9]) ** 2)


def test_quantile_vector_q():
    check_all(quantile_vec, A6)


def test_quantile_vector_q_axis():
    def f(x):
        return np.sum(np.sin(np.quantile(x, np.array([0.3, 0.5, 0.75]), axis=1, keepdims=True)))
    x = np.array([[0.5, -2.6, 6.6, 1.2], [3.3, -0.7, 0.1, 2.9]])
    check_all(f, x)


def test_percentile_vector_q():
    def f(x):
        return np.sum(np.percentile(x * x, [10.0, 60.0]) * np.array([1.0, 2.0]))
    check_all(f, A6)


def test_quantile_gradient_wrt_q():
    def f(q, x):
        return np.sum(np.quantile(x, q) ** 2)
    check_all(f, np.array([0.25, 0.7]), A6)
    check_all(f, 0.35, A6)


# ---------------------------------------------------------------- 3. text in forward mode and hvp
FMT = "g={:.1f}"
FMT2 = "%.4f"


def printing_loss(x):
    loss = np.sum(x ** 2) * np.sin(x[0])
    print(f"loss={loss:.3f}")
    print("{:.2f}".format(loss))
    print(FMT.format(loss), FMT2 % loss, "%.3f" % loss, str(loss), repr(loss), format(loss, ".2f"))
    msg = f"{loss!r} {x[0]:>8.2f}"
    print(msg, ", ".join([str(v) for v in x]), np.array2string(x, precision=2))
    return loss * 2


def test_print_of_formatted_text(capsys):
    check_all(printing_loss, np.array([1.0, 2.0, -0.5]))
    out = capsys.readouterr().out
    assert "loss=" in out and "g=" in out


# ---------------------------------------------------------------- 4. a tuple state from a helper, indexed in a loop
def lstm_like_step(w, state):
    h, c = state
    return w * h + c, c + w


def tuple_state_loop(w):
    state = (1.0, 0.5)
    s = 0.0
    for t in range(3):
        state = lstm_like_step(w, state)
        s = s + state[0]
    return s


def test_tuple_state_from_helper_indexed_in_loop():
    assert s2s.grad(tuple_state_loop)(0.3) == pytest.approx(6.77)
    check_all(tuple_state_loop, 0.3)


def tuple_state_loop_arrays(w):
    state = (np.ones(3), 0.5 * np.ones(3))
    s = 0.0
    for t in range(4):
        state = lstm_like_step(w, state)
        s = s + np.sum(state[0] * state[1]) + state[1][0]
    return s


def test_tuple_array_state_from_helper_indexed_in_loop():
    check_all(tuple_state_loop_arrays, np.array([0.3, -0.2, 0.5]))


# ---------------------------------------------------------------- 5. an appended list used whole and by element
def list_mean_last(x):
    vals = []
    for k in range(3):
        vals.append(x * k)
    return vals[-1] + np.mean(vals)


def list_written_sum(x):
    vals = []
    for k in range(3):
        vals.append(x * k)
    vals[0] = x ** 2
    return np.sum(vals[-1] * np.sum(vals) + vals[1])


def list_then_array(x):
    vals = []
    for k in range(3):
        vals.append(np.sin(x * k))
    vals = np.array(vals)
    return np.sum(vals[-1] + np.mean(vals))


def list_mixed(x):
    vals = [x, 2 * x]
    for k in range(3):
        vals.append(np.sin(x * k))
    s = 0.0
    for v in vals:
        s = s + v * vals[-1]
    return np.sum(s + np.mean(vals) * vals[0])


def test_appended_list_mean_and_last():
    assert s2s.grad(list_mean_last)(1.5) == pytest.approx(3.0)
    check_all(list_mean_last, 1.5)
    check_all(list_mean_last_sum, np.array([0.3, 1.2]))


def list_mean_last_sum(x):
    vals = []
    for k in range(3):
        vals.append(np.sin(x) * k)
    return np.sum(vals[-1] * np.mean(vals))


@pytest.mark.parametrize("f", [list_written_sum, list_then_array, list_mixed])
@pytest.mark.parametrize("x", [1.5, np.array([0.3, 1.2])])
def test_appended_list_used_whole_and_by_element(f, x):
    check_all(f, x)


# ---------------------------------------------------------------- 6. a loop over an iterable object of the user's
class Batches:
    def __init__(self, X):
        self.X = X

    def __iter__(self):
        for i in range(0, len(self.X), 2):
            yield self.X[i:i + 2]


XB = np.arange(8.0).reshape(4, 2) / 4.0
WB = np.array([0.5, -1.0])


def loader_loss(w, loader):
    tot = 0.0
    for xb in loader:
        tot = tot + np.sum((xb @ w) ** 2)
    return tot


def loader_comprehensions(w, loader):
    return sum(np.sum(np.tanh(xb @ w)) for xb in loader) + np.sum([np.sum(xb * w) ** 2 for xb in loader])


def test_loop_over_an_iterable_object():
    np.testing.assert_allclose(s2s.grad(loader_loss)(WB, Batches(XB)), 2 * XB.T @ XB @ WB)
    check_all(loader_loss, WB, Batches(XB))
    check_all(loader_comprehensions, WB, Batches(XB))


def loader_enumerate(w, loader):
    tot = 0.0
    for i, xb in enumerate(loader):
        tot = tot + (i + 1.0) * np.sum((xb @ w) ** 2)
    return tot


def loader_zip(w, loader, ys):
    tot = 0.0
    for xb, y in zip(loader, ys):
        tot = tot + np.sum(np.tanh(xb @ w - y) ** 2)
    return tot


def test_enumerate_and_zip_over_an_iterable_object():
    check_all(loader_enumerate, WB, Batches(XB))
    check_all(loader_zip, WB, Batches(XB), [np.array([0.1, 0.2]), np.array([0.3, -0.4])])
    with pytest.raises(s2s.DifferentiationError, match="enumerate"):
        s2s.grad(loader_enumerate, wrt=1)(WB, Batches(XB))


def test_loop_over_an_iterable_object_wrt_it_refused():
    with pytest.raises(s2s.DifferentiationError, match="for xb in loader"):
        s2s.grad(loader_loss, wrt=1)(WB, Batches(XB))
