"""Writes through a name that shares memory with another, which the alias analysis did not see (review 7):
loop targets bound by enumerate / zip / .values() / ..., tuple unpacking, conditional expressions, and
arrays held in a list or dict changed by ``lst[0] += v``. Each program is either differentiated correctly
(reverse, forward, hvp and value_and_grad's value against finite differences) or refused at its line."""
import copy

import numpy as np
import pytest

import s2s
from s2s import DifferentiationError

A = np.array([[0.1, 0.5, -0.3], [1.0, 0.2, 0.4]])
W = np.array([2.0, 3.0])
X = np.array([0.5, -1.2, 2.0])
_rng = np.random.default_rng(0)
_X = _rng.standard_normal((4, 3))
_P = {"W": _rng.standard_normal((3, 2)), "b": _rng.standard_normal(2)}


def _flat(g):
    if isinstance(g, dict):
        return np.concatenate([np.ravel(g[k]) for k in sorted(g)])
    if isinstance(g, (list, tuple)):
        return np.concatenate([np.ravel(q) for q in g])
    return np.ravel(np.asarray(g, float))


def correct_or_refused(f, args, wrt=0, line=None):
    """``f`` is differentiated right in every mode, or refused (at ``line``, when given) in that mode.
    Returns the modes refused."""
    fresh = lambda: copy.deepcopy(args)   # noqa: E731
    refused = []
    before = fresh()
    num = s2s.numeric_grad(f, wrt=wrt)(*fresh())
    try:
        g = s2s.grad(f, wrt=wrt)(*fresh())
    except DifferentiationError as e:
        if line:
            assert line in str(e), str(e)
        refused.append("reverse")
    else:
        np.testing.assert_allclose(_flat(g), _flat(num), rtol=1e-5, atol=1e-6)
        v, _ = s2s.value_and_grad(f, wrt=wrt)(*fresh())
        np.testing.assert_allclose(v, f(*fresh()), rtol=1e-12)
        a = fresh()
        s2s.grad(f, wrt=wrt)(*a)
        for p, q in zip(a, before):   # the gradient changes no argument
            np.testing.assert_array_equal(_flat(p), _flat(q))
    x = fresh()[wrt]
    if isinstance(x, np.ndarray):
        t = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
        try:
            j = s2s.jvp(f, wrt=wrt)(*fresh(), t)
        except DifferentiationError as e:
            if line:
                assert line in str(e), str(e)
            refused.append("forward")
        else:
            np.testing.assert_allclose(j, np.sum(_flat(num) * t.ravel()), rtol=1e-5, atol=1e-6)
        if "reverse" not in refused:
            try:
                h = s2s.hvp(f, wrt=wrt)(*fresh(), t)
            except DifferentiationError:
                refused.append("hvp")
            else:
                gr = s2s.grad(f, wrt=wrt)
                eps = 1e-5

                def at(s):
                    a = fresh()
                    a = list(a)
                    a[wrt] = a[wrt] + s * t
                    return gr(*a)
                np.testing.assert_allclose(h, (at(eps) - at(-eps)) / (2 * eps), rtol=1e-4, atol=1e-5)
    return refused


# --- 1. in-place writes through a loop target bound by enumerate, zip, .values(), reversed, sorted
def normalize_rows_enum(A):
    P = np.exp(A)
    for i, row in enumerate(P):
        row /= np.sum(row)
    return np.sum(P * np.arange(P.size).reshape(P.shape))


def zip_rows(A, w):
    B = A * 1.0
    for row, wi in zip(B, w):
        row *= wi
    return np.sum(B ** 2)


def zero_first_enum(A):
    B = A * 1.0
    for i, row in enumerate(B):
        row[0] = 0.0
    return np.sum(B * A)


def reversed_rows(A):
    B = A * 1.0
    for row in reversed(B):
        row *= 2.0
    return np.sum(B * A)


def decay_dict_values(params, X):
    p = {k: v * 1.0 for k, v in params.items()}
    for v in p.values():
        v *= 0.5
    return np.sum(np.tanh(X @ p["W"]) + p["b"])


def decay_dict_items(params, X):
    p = {k: v * 1.0 for k, v in params.items()}
    for k, v in p.items():
        v *= 0.5
    return np.sum(np.tanh(X @ p["W"]) + p["b"])


def decay_list_enum(params, X):
    ps = [q * 1.0 for q in params]
    for i, q in enumerate(ps):
        q *= 0.5
    return np.sum(np.tanh(X @ ps[0]) + ps[1])


def comprehension_target(A):
    B = A * 1.0
    s = [np.sum(r) for i, r in enumerate(B)]
    for i, r in enumerate(B):
        r += s[i]
    return np.sum(B * A)


@pytest.mark.parametrize("f, args, wrt, line", [
    (normalize_rows_enum, (A,), 0, "row /= np.sum(row)"),
    (zip_rows, (A, W), 0, "row *= wi"),
    (zip_rows, (A, W), 1, "row *= wi"),
    (zero_first_enum, (A,), 0, "row[0] = 0.0"),
    (reversed_rows, (A,), 0, "row *= 2.0"),
    (decay_dict_values, (_P, _X), 0, "v *= 0.5"),
    (decay_dict_items, (_P, _X), 0, "v *= 0.5"),
    (decay_list_enum, ([_P["W"], _P["b"]], _X), 0, "q *= 0.5"),
    (comprehension_target, (A,), 0, "r += s[i]"),
])
def test_writes_through_loop_targets(f, args, wrt, line):
    correct_or_refused(f, args, wrt, line)


# --- 2. aliases made by tuple unpacking and conditional expressions
def via_tuple_unpack(x):
    y = x * 1.0
    a, b = y, y
    a[0] = 0.0
    return np.sum(b * x)


def via_ternary(x):
    y = x * 1.0
    z = y if x[0] > 0 else y.copy()
    z[0] = 0.0
    return np.sum(y * x)


def via_or(x):
    y = x * 1.0
    w = x * 2.0
    z = y if x[1] > 0 else w
    z *= 3.0
    return np.sum(y * x) + np.sum(w)


def via_boolop(x, flag=None):
    y = x * 1.0
    z = flag or y
    z[1] = 0.0
    return np.sum(y * x)


@pytest.mark.parametrize("f, args, line", [
    (via_tuple_unpack, (X,), "a[0] = 0.0"),
    (via_ternary, (X,), "z[0] = 0.0"),
    (via_ternary, (-X,), "z[0] = 0.0"),
    (via_or, (X,), "z *= 3.0"),
    (via_boolop, (X,), "z = flag or y"),   # (`or` on a value carrying a gradient is refused where it is)
])
def test_writes_through_unpacked_and_conditional_aliases(f, args, line):
    correct_or_refused(f, args, 0, line)


def swap(u0):
    u = u0 * 1.0
    un = np.empty_like(u)
    for _ in range(3):
        un[1:-1] = u[1:-1] + 0.1 * (u[2:] - 2 * u[1:-1] + u[:-2])
        un[0] = u[0]
        un[-1] = u[-1]
        u, un = un, u
    return np.sum(u ** 2)


def test_a_swap_is_no_alias():
    """``u, un = un, u`` exchanges two arrays: neither name shares the other's memory afterwards."""
    assert correct_or_refused(swap, (X,)) == []


# --- 3. an array held in a list or dict, changed in place by `+=` on the item
def arr_in_list_alias(x):
    y = x * 1.0
    lst = [y]
    lst[0] += 1.0
    return np.sum(y * x)


def via_dict_array(x):
    y = x * 1.0
    d = {"h": y}
    d["h"] += 1.0
    return np.sum(y * x)


def list_item_times(x):
    y = x * 1.0
    lst = [y, x]
    lst[0] *= 2.0
    return np.sum(y * x)


def list_item_item(x):
    y = x * 1.0
    lst = [y]
    lst[0][1] = 0.0
    return np.sum(y * x)


def appended_item(x):
    y = x * 1.0
    lst = []
    lst.append(y)
    lst[0] += 1.0
    return np.sum(y * x)


@pytest.mark.parametrize("f, line", [
    (arr_in_list_alias, "lst[0] += 1.0"),
    (via_dict_array, 'd["h"] += 1.0'),
    (list_item_times, "lst[0] *= 2.0"),
    (list_item_item, "lst[0][1] = 0.0"),
    (appended_item, "lst[0] += 1.0"),
])
def test_augmented_writes_into_an_array_held_in_a_container(f, line):
    correct_or_refused(f, (X,), 0, line)


def grads_list(x):
    gs = [np.zeros(3) for _ in range(2)]
    gs[0] += x * 2.0
    gs[1] += x ** 2
    return np.sum(gs[0] * gs[1])


def running_list(x):
    acc = [0.0, 0.0]
    acc[0] += np.sum(x)
    acc[1] *= 2.0
    return acc[0] * 3.0 + acc[1]


def test_augmented_writes_into_fresh_items_are_followed():
    """A list of fresh arrays or numbers: ``gs[0] += v`` changes nothing else, and is differentiated."""
    assert correct_or_refused(grads_list, (X,)) == []
    assert correct_or_refused(running_list, (X,)) == []


def swap_with_a_third_name(u0):
    u = u0 * 1.0
    un = u0 * 2.0
    b = u
    u, un = un, u
    un[0] = 0.0   # un is b's array now
    return np.sum(b * u0) + np.sum(u)


def test_a_swap_keeps_the_aliases_of_the_names_it_exchanges():
    correct_or_refused(swap_with_a_third_name, (X,), 0, "un[0] = 0.0")


# --- the fixes the refusals suggest are differentiated
def rows_by_index(A):
    P = np.exp(A)
    for i, row in enumerate(P):
        P[i] /= np.sum(row)
    return np.sum(P * np.arange(P.size).reshape(P.shape))


def rows_new_array(A):
    P = np.exp(A)
    out = []
    for i, row in enumerate(P):
        row = row / np.sum(row)
        out.append(row)
    return np.sum(np.stack(out) * np.arange(P.size).reshape(P.shape)) + np.sum(P)


def dict_by_key(params, X):
    p = {k: v * 1.0 for k, v in params.items()}
    for k, v in p.items():
        p[k] *= 0.5
    return np.sum(np.tanh(X @ p["W"]) + p["b"])


def list_new_item(x):
    y = x * 1.0
    lst = [y]
    lst[0] = lst[0] + 1.0
    return np.sum(y * x) + np.sum(lst[0] ** 2)


def ternary_copy(x):
    y = x * 1.0
    z = (y if x[0] > 0 else y.copy()).copy()
    z[0] = 0.0
    return np.sum(y * x) + np.sum(z * x)


@pytest.mark.parametrize("f, args", [
    (rows_by_index, (A,)), (rows_new_array, (A,)), (dict_by_key, (_P, _X)), (list_new_item, (X,)),
    (ternary_copy, (X,)),
])
def test_the_suggested_fixes_are_differentiated(f, args):
    assert correct_or_refused(f, args) == []


@pytest.mark.parametrize("f, args, fix", [
    (normalize_rows_enum, (A,), "`P[i] *= ...` in this loop"),
    (decay_dict_items, (_P, _X), "`p[k] *= ...` in this loop"),
    (arr_in_list_alias, (X,), "`lst[0] = lst[0] + 1.0`"),
    (via_ternary, (X,), "`z = (y if x[0] > 0 else y.copy()).copy()`"),
    (swap_with_a_third_name, (X,), "`b = u.copy()`"),
])
def test_alias_refusals_give_a_fix_that_works(f, args, fix):
    with pytest.raises(DifferentiationError) as e:
        s2s.grad(f)(*copy.deepcopy(args))
    assert fix in str(e.value), str(e.value)
    assert "<" not in str(e.value).splitlines()[-1], str(e.value)


# --- 4. more writes of the same class: through names bound by loops, unpacking, containers, helpers
# returning a part of their argument, NumPy iterators and views
def nditer_write(x):
    y = x * 1.0
    for v in np.nditer(y, op_flags=["readwrite"]):
        v[...] = v * 2.0
    return np.sum(y * x)


def flat_write(x):
    y = x * 1.0
    f = y.flat
    f[0] = 0.0
    return np.sum(y * x)


def strided_view(x):
    y = x * 1.0
    z = y[::2]
    z *= 3.0
    return np.sum(y * x)


def transposed(A):
    B = A * 1.0
    C = B.T
    C[0] = 0.0
    return np.sum(B * A)


def raveled(A):
    B = A * 1.0
    r = np.ravel(B)
    r += 1.0
    return np.sum(B * A)


def real_part(x):
    y = x * 1.0
    r = y.real
    r[1] = 0.0
    return np.sum(y * x)


def flipped(x):
    y = x * 1.0
    z = np.flip(y)
    z[0] = 0.0
    return np.sum(y * x)


def _first_row(M):
    return M[0]


def helper_part(A):
    B = A * 1.0
    r = _first_row(B)
    r *= 2.0
    return np.sum(B * A)


def unpacked_views(A):
    B = A * 1.0
    a, b = B[0], B[1]
    a *= 2.0
    return np.sum(B * A)


def split_views(x):
    y = np.concatenate([x, x]) * 1.0
    a, b = np.split(y, 2)
    a *= 2.0
    return np.sum(y * np.concatenate([x, x]))


def split_list_item(x):
    y = np.concatenate([x, x]) * 1.0
    parts = np.split(y, 2)
    parts[0] += 1.0
    return np.sum(y * np.concatenate([x, x]))


def list_of_rows_loop(x):
    y = x * 1.0
    w = x * 2.0
    rows = [y, w]
    for q in rows:
        q *= 2.0
    return np.sum(y * x) + np.sum(w)


def sorted_loop(params):
    ps = [q * 1.0 for q in params]
    for q in sorted(ps, key=len):
        q *= 0.5
    return np.sum(ps[0] ** 2) + np.sum(ps[1])


def reshaped_write(A):
    B = A * 1.0
    v = B.reshape(-1)
    v[0] = 5.0
    return np.sum(B * A)


@pytest.mark.parametrize("f, args", [
    (nditer_write, (X,)), (flat_write, (X,)), (strided_view, (X,)), (transposed, (A,)), (raveled, (A,)),
    (real_part, (X,)), (flipped, (X,)), (helper_part, (A,)), (unpacked_views, (A,)), (split_views, (X,)),
    (split_list_item, (X,)), (list_of_rows_loop, (X,)), (sorted_loop, ([A[0], A[1, :2]],)),
    (reshaped_write, (A,)),
])
def test_writes_through_other_names_of_an_array(f, args):
    correct_or_refused(f, args)


def rows_loop_read(x):
    y = x * 1.0
    w = x * 2.0
    rows = [y, w]
    tot = 0.0
    for q in rows:
        q *= 2.0
        tot = tot + np.sum(q * x)
    return tot + np.sum(y * x) + np.sum(w)


def split_read(x):
    y = np.concatenate([x, x]) * 1.0
    a, b = np.split(y, 2)
    a *= 2.0
    return np.sum(a * x) + np.sum(y * np.concatenate([x, x]))


def view_read(x):
    y = x * 1.0
    z = y[::2]
    z *= 3.0
    return np.sum(z) + np.sum(y * x)


@pytest.mark.parametrize("f", [rows_loop_read, split_read, view_read])
def test_writes_through_a_name_read_afterwards(f):
    correct_or_refused(f, (X,))



# --- 5. the cases the README names: unpacking a list of arrays, shallow copies of lists and dicts, a value
# stored in a tuple, a helper returning its argument, a loop over a list of arrays
def unpack_state(x):
    state = [x * 1.0, x * 2.0]
    pos, vel = state
    pos += vel
    return np.sum(state[0] * x)


def unpack_tuple_state(x):
    state = (x * 1.0, x * 2.0)
    pos, vel = state
    pos[0] = 0.0
    return np.sum(state[0] * x)


def list_copy(x):
    a = [x * 1.0, x * 2.0]
    b = list(a)
    b[0] += 1.0
    return np.sum(a[0] * x)


def dict_copy(x):
    d = {"h": x * 1.0}
    e = d.copy()
    e["h"] += 1.0
    return np.sum(d["h"] * x)


def stored_then_written(x):
    y = x * 1.0
    t = (y, 2)
    y += 1.0
    return np.sum(t[0] * x)


def _ident(a):
    return a


def helper_returns_arg(x):
    y = x * 1.0
    z = _ident(y)
    z += 1.0
    return np.sum(y * x)


def helper_returns_arg_item(x):
    y = x * 1.0
    z = _ident(y)
    z[0] = 5.0
    return np.sum(y * x)


def list_item_loop_write(x):
    ys = [x * 1.0, x * 2.0]
    for y in ys:
        y[0] = 0.0
    return np.sum(ys[0] * x)


def rows_comprehension(A):
    B = A * 1.0
    rows = [r for r in B]
    rows[0] *= 2.0
    return np.sum(B * A)


@pytest.mark.parametrize("f, args", [
    (unpack_state, (X,)), (unpack_tuple_state, (X,)), (list_copy, (X,)), (dict_copy, (X,)),
    (stored_then_written, (X,)), (helper_returns_arg, (X,)), (helper_returns_arg_item, (X,)),
    (list_item_loop_write, (X,)), (rows_comprehension, (A,)),
])
def test_writes_through_unpacked_copied_and_stored_arrays(f, args):
    correct_or_refused(f, args)
