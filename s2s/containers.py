"""Rules for the builtins real code runs on containers of values that carry gradients: a dict's
``items()``, ``values()``, ``keys()`` and ``get``, and ``sorted``.

``for name, value in sorted(p.items()):`` then differentiates as written: the gradient of
``p.items()`` goes back to the dict key by key, the gradient of ``sorted(xs)`` goes back through
the permutation the sort applied (recomputed from ``xs``: Python's sort is stable, so it is the
same permutation).
"""
import numpy as np

from .registry import adjoint, d, method, nondifferentiable, tangent, zero_if
from .runtime import GradDict, GradList, zeros_like

nondifferentiable(method("keys"))


def _part(g, i):
    """Part ``i`` of a gradient of a sequence (a scalar zero stands for zeros everywhere)."""
    if isinstance(g, (list, tuple)):
        return g[i]
    if isinstance(g, np.ndarray) and g.ndim:
        return g[i]
    return 0.0 * g if np.ndim(g) == 0 else g


def _check_dict(x, what):
    if not isinstance(x, dict):
        from .errors import DifferentiationError
        raise DifferentiationError(f"s2s differentiates .{what}() of a dict, not of a {type(x).__name__}.",
                                   "Register a rule for this method with @s2s.adjoint.")


# ---------------------------------------------------------------- dict views
def items_grad(g, x):
    """The gradient of dict ``x`` from the gradient of ``list(x.items())`` (one (key, value) pair each)."""
    _check_dict(x, "items")
    return GradDict((k, _part(_part(g, i), 1)) for i, k in enumerate(x))


def items_tangent(t, x):
    """The tangent of ``x.items()``: (key, tangent) pairs in x's order."""
    _check_dict(x, "items")
    return [(0.0, t[k] if isinstance(t, dict) else t) for k in x]


def values_grad(g, x):
    """The gradient of dict ``x`` from the gradient of ``list(x.values())``."""
    _check_dict(x, "values")
    return GradDict((k, _part(g, i)) for i, k in enumerate(x))


def values_tangent(t, x):
    _check_dict(x, "values")
    return [t[k] if isinstance(t, dict) else t for k in x]


def get_grad(g, x, key):
    """The gradient of dict ``x`` from the gradient of ``x.get(key, default)``."""
    _check_dict(x, "get")
    out = zeros_like(x)
    if key in x:
        out[key] = g
    return out


def get_default_grad(g, x, key):
    """The gradient of ``default`` in ``x.get(key, default)``: all of it when the key is missing."""
    return 0.0 * g if key in x else g


def get_tangent(t, x, key, t_default):
    if key in x:
        return t[key] if isinstance(t, dict) else t
    return t_default


@adjoint(method("items"))
def _items_adj(z, self):
    d[self] = items_grad(d[z], self)


@tangent(method("items"))
def _items_fwd(z, self):
    d[z] = items_tangent(d[self], self)


@adjoint(method("values"))
def _values_adj(z, self):
    d[self] = values_grad(d[z], self)


@tangent(method("values"))
def _values_fwd(z, self):
    d[z] = values_tangent(d[self], self)


@adjoint(method("get"), constant=("key",))
def _get_adj(z, self, key, default=None):
    d[self] = get_grad(d[z], self, key)
    d[default] = get_default_grad(d[z], self, key)


@tangent(method("get"), constant=("key",))
def _get_fwd(z, self, key, default=None):
    d[z] = get_tangent(d[self], self, key, d[default])


# ---------------------------------------------------------------- sorted, reversed
def sort_order(xs, key=None, reverse=False):
    """The positions of ``sorted(xs, key=key, reverse=reverse)``'s elements in ``xs``."""
    xs = list(xs)
    return sorted(range(len(xs)), key=(lambda i: xs[i]) if key is None else (lambda i: key(xs[i])), reverse=reverse)


def sorted_grad(g, xs, key=None, reverse=False):
    """The gradient of ``xs`` (a list, tuple or dict view) from that of ``sorted(xs)``: un-permuted."""
    if isinstance(xs, (dict, type({}.keys()))):   # sorted(d): the keys, which carry no gradient
        return zeros_like(xs) if isinstance(xs, dict) else GradList([0.0] * len(xs))
    order = sort_order(xs, key, reverse)
    if isinstance(xs, np.ndarray):   # sorted(x) of an array: its rows; the gradient is an array of x's shape
        res = np.zeros(xs.shape, dtype=np.result_type(xs.dtype, float))
        for j, i in enumerate(order):
            res[i] = _part(g, j)
        return res
    out = [0.0] * len(order)
    for j, i in enumerate(order):
        out[i] = _part(g, j)
    return GradList(out)


def sorted_tangent(t, xs, key=None, reverse=False):
    """The tangent of ``sorted(xs)``: xs's tangent permuted as the sort permutes xs."""
    if isinstance(xs, (dict, type({}.keys()))):   # the keys
        return [0.0] * len(xs)
    return [_part(t, i) for i in sort_order(xs, key, reverse)]


@adjoint(sorted, constant=("key", "reverse"))
def _sorted_adj(z, iterable, key=None, reverse=False):
    d[iterable] = sorted_grad(d[z], iterable, key, reverse)


@tangent(sorted, constant=("key", "reverse"))
def _sorted_fwd(z, iterable, key=None, reverse=False):
    d[z] = sorted_tangent(d[iterable], iterable, key, reverse)


# ---------------------------------------------------------------- the helpers above are linear in g / t
@adjoint(items_grad, constant=("x",))
def _items_grad_adj(z, g, x):
    d[g] = items_tangent(d[z], x)


@tangent(items_grad, constant=("x",))
def _items_grad_fwd(z, g, x):
    d[z] = items_grad(d[g], x)


@adjoint(items_tangent, constant=("x",))
def _items_tangent_adj(z, t, x):
    d[t] = items_grad(d[z], x)


@tangent(items_tangent, constant=("x",))
def _items_tangent_fwd(z, t, x):
    d[z] = items_tangent(d[t], x)


@adjoint(values_grad, constant=("x",))
def _values_grad_adj(z, g, x):
    d[g] = values_tangent(d[z], x)


@tangent(values_grad, constant=("x",))
def _values_grad_fwd(z, g, x):
    d[z] = values_grad(d[g], x)


@adjoint(values_tangent, constant=("x",))
def _values_tangent_adj(z, t, x):
    d[t] = values_grad(d[z], x)


@tangent(values_tangent, constant=("x",))
def _values_tangent_fwd(z, t, x):
    d[z] = values_tangent(d[t], x)


@adjoint(sorted_grad, constant=("xs", "key", "reverse"))
def _sorted_grad_adj(z, g, xs, key=None, reverse=False):
    d[g] = sorted_tangent(d[z], xs, key, reverse)


@tangent(sorted_grad, constant=("xs", "key", "reverse"))
def _sorted_grad_fwd(z, g, xs, key=None, reverse=False):
    d[z] = sorted_grad(d[g], xs, key, reverse)


@adjoint(sorted_tangent, constant=("xs", "key", "reverse"))
def _sorted_tangent_adj(z, t, xs, key=None, reverse=False):
    d[t] = sorted_grad(d[z], xs, key, reverse)


@tangent(sorted_tangent, constant=("xs", "key", "reverse"))
def _sorted_tangent_fwd(z, t, xs, key=None, reverse=False):
    d[z] = sorted_tangent(d[t], xs, key, reverse)


@adjoint(get_grad, constant=("x", "key"))
def _get_grad_adj(z, g, x, key):
    d[g] = get_tangent(d[z], x, key, 0.0)


@tangent(get_grad, constant=("x", "key"))
def _get_grad_fwd(z, g, x, key):
    d[z] = get_grad(d[g], x, key)


@adjoint(get_default_grad, constant=("x", "key"))
def _get_default_grad_adj(z, g, x, key):
    d[g] = get_default_grad(d[z], x, key)


@tangent(get_default_grad, constant=("x", "key"))
def _get_default_grad_fwd(z, g, x, key):
    d[z] = get_default_grad(d[g], x, key)


zero_if(items_grad, items_tangent, values_grad, values_tangent, sorted_grad, sorted_tangent, get_grad,
        get_default_grad, any_of=(0,))


# ---------------------------------------------------------------- lst * n with a list or tuple literal
def repeat(a, b):
    """``a * b`` where one side is written as a list or tuple: repetition (``[w] * 3``) when the other side
    is an integer at run time, else (an array or NumPy number times a list: ``x * [3.0, 2.0]``) NumPy's
    elementwise product, as ``*`` does."""
    return a * b


def repeats(a, b):
    """Whether ``a * b`` repeats a list or tuple: one side is one and the other a Python or NumPy integer
    (a bool counts). An array (of any dtype, 0-d too) or a NumPy float times a list multiplies elementwise."""
    if _is_seq(a):
        n = b
    elif _is_seq(b):
        n = a
    else:
        return False
    return isinstance(n, (int, np.integer)) and not isinstance(n, np.ndarray)


def _operand(v):
    """An operand of an elementwise product as NumPy reads it (a list or tuple of numbers is an array)."""
    return np.asarray(v, dtype=float) if _is_seq(v) else v


def repeat_grad(g, x, other):
    """The gradient of ``x`` in ``repeat(x, other)`` or ``repeat(other, x)``: for a repeated sequence x,
    the sum of the copies' gradients; none for the count; the product's for an elementwise product."""
    if repeats(x, other):
        if not _is_seq(x):
            return 0.0
        n = len(x)
        return GradList(sum((_part(g, j * n + i) for j in range(len(g) // n if n else 0)), 0.0)
                        for i in range(n))
    from .runtime import unbroadcast
    return _as_seq_grad(unbroadcast(_operand(g) * _operand(other), _operand(x)), x)


def _as_seq_grad(g, x):
    """The gradient ``g`` (an array) of a list or tuple ``x`` as the gradient of a sequence, part by part."""
    if not _is_seq(x):
        return g
    return GradList(_part(g, i) for i in range(len(x)))


def repeat_tangent(ta, tb, a, b):
    """The tangent of ``repeat(a, b)``: the copies' tangents for a repeated sequence, the product's for an
    elementwise product."""
    if repeats(a, b):
        if _is_seq(a):
            return (list(ta) if _is_seq(ta) else [0.0 * ta] * len(a)) * b
        return a * (list(tb) if _is_seq(tb) else [0.0 * tb] * len(b))
    return _operand(ta) * _operand(b) + _operand(a) * _operand(tb)


def repeat_grad_tangent(tg, tother, g, x, other):
    """The tangent of ``repeat_grad(g, x, other)`` (in g and other; x gives a shape only)."""
    if repeats(x, other):
        return repeat_grad(tg, x, other)
    from .runtime import unbroadcast
    return _as_seq_grad(unbroadcast(_operand(tg) * _operand(other) + _operand(g) * _operand(tother),
                                    _operand(x)), x)


def repeat_spread(g, x, other):
    """The adjoint of repeat_grad in its g (linear): x's gradient copied as ``repeat`` copied x; for an
    elementwise product, x's gradient broadcast to the product's shape times the other factor."""
    if repeats(x, other):
        if _is_seq(x):
            return GradList(list(g) * int(other))
        return GradList([0.0] * (len(other) * int(x)))
    return _spread(g, x, other, other)


def repeat_grad_other(g, dz, x, other):
    """The adjoint of repeat_grad in its other (``g`` there): none for a repetition (the count is an integer),
    ``dz`` broadcast to the product's shape times g, summed down to other's shape, for a product."""
    if repeats(x, other):
        return 0.0
    from .runtime import unbroadcast
    return _as_seq_grad(unbroadcast(_spread(dz, x, other, g), _operand(other)), other)


def _spread(dz, x, other, factor):
    shape = np.broadcast_shapes(np.shape(x), np.shape(other))
    out = _operand(dz) * _operand(factor)
    return np.broadcast_to(out, shape) if np.shape(out) != shape else out


@adjoint(repeat)
def _repeat_adj(z, a, b):
    d[a] = repeat_grad(d[z], a, b)
    d[b] = repeat_grad(d[z], b, a)


@tangent(repeat)
def _repeat_fwd(z, a, b):
    d[z] = repeat_tangent(d[a], d[b], a, b)


@adjoint(repeat_grad, constant=("x",))
def _repeat_grad_adj(z, g, x, other):
    d[g] = repeat_spread(d[z], x, other)
    d[other] = repeat_grad_other(g, d[z], x, other)


@tangent(repeat_grad, constant=("x",))
def _repeat_grad_fwd(z, g, x, other):
    d[z] = repeat_grad_tangent(d[g], d[other], g, x, other)


def no_concatenation(x):
    """Refuse ``sum(parts, start)`` that concatenated lists or tuples (a start not written as one, which the
    normalizer turns into a loop of concatenations): its gradient is not the sum's (templates/structures.py)."""
    if isinstance(x, (list, tuple)) and any(isinstance(e, (list, tuple)) for e in x):
        from .rule_helpers import refuse
        raise refuse(sum, "`sum(parts, start)` here concatenates lists or tuples (its start is one at run time), "
                     "which s2s differentiates only when the start is written as a list or tuple in the call.",
                     "Write `sum(parts, [])` with the literal `[]`, or `[e for part in parts for e in part]`.")


no_concatenation.s2s_pure = True   # a check (effects.callees_mutate need not read refuse's callees)


# ---------------------------------------------------------------- a + b with a tuple or list literal
def concat(a, b):
    """``a + b`` where one side is written as a tuple or list: a concatenation, unless both are
    arrays or numbers (then it adds, as ``+`` does)."""
    return a + b


def _is_seq(x):
    return isinstance(x, (list, tuple))


def concat_grad_left(g, a, b):
    """The gradient of ``a`` in ``concat(a, b)``."""
    if _is_seq(a) and _is_seq(b):
        return GradList(_part(g, i) for i in range(len(a)))
    from .runtime import unbroadcast
    return unbroadcast(g, a)


def concat_grad_right(g, a, b):
    """The gradient of ``b`` in ``concat(a, b)``."""
    if _is_seq(a) and _is_seq(b):
        return GradList(_part(g, len(a) + i) for i in range(len(b)))
    from .runtime import unbroadcast
    return unbroadcast(g, b)


def concat_tangent(ta, tb, a, b):
    """The tangent of ``concat(a, b)`` from the tangents of a and b (zeros where one is a literal 0)."""
    if _is_seq(a) and _is_seq(b):
        left = list(ta) if _is_seq(ta) else [0.0 * ta] * len(a)
        right = list(tb) if _is_seq(tb) else [0.0 * tb] * len(b)
        return type(a)(left + right) if isinstance(a, tuple) else left + right
    return ta + tb


@adjoint(concat)
def _concat_adj(z, a, b):
    d[a] = concat_grad_left(d[z], a, b)
    d[b] = concat_grad_right(d[z], a, b)


@tangent(concat)
def _concat_fwd(z, a, b):
    d[z] = concat_tangent(d[a], d[b], a, b)


@adjoint(concat_grad_left, constant=("a", "b"))
def _concat_grad_left_adj(z, g, a, b):
    d[g] = concat_tangent(d[z], 0.0, a, b)


@tangent(concat_grad_left, constant=("a", "b"))
def _concat_grad_left_fwd(z, g, a, b):
    d[z] = concat_grad_left(d[g], a, b)


@adjoint(concat_grad_right, constant=("a", "b"))
def _concat_grad_right_adj(z, g, a, b):
    d[g] = concat_tangent(0.0, d[z], a, b)


@tangent(concat_grad_right, constant=("a", "b"))
def _concat_grad_right_fwd(z, g, a, b):
    d[z] = concat_grad_right(d[g], a, b)


@adjoint(concat_tangent, constant=("a", "b"))
def _concat_tangent_adj(z, ta, tb, a, b):
    d[ta] = concat_grad_left(d[z], a, b)
    d[tb] = concat_grad_right(d[z], a, b)


@tangent(concat_tangent, constant=("a", "b"))
def _concat_tangent_fwd(z, ta, tb, a, b):
    d[z] = concat_tangent(d[ta], d[tb], a, b)


zero_if(concat_grad_left, concat_grad_right, any_of=(0,))
zero_if(concat_tangent, all_of=(0, 1))


# ---------------------------------------------------------------- zip(*t) unpacked by a for loop's targets
def unpacked(seq, n):
    """``seq`` itself, after checking that it has ``n`` items: ``for a, b in zip(*t)`` is
    ``for a, b in zip(t[0], t[1])`` when t has two items, and Python's unpacking error otherwise."""
    if len(seq) != n:
        raise ValueError(f"too many values to unpack (expected {n})" if len(seq) > n
                         else f"not enough values to unpack (expected {n}, got {len(seq)})")
    return seq


@adjoint(unpacked, constant=("n",))
def _unpacked_adj(r, seq, n):
    d[seq] = d[r]


@tangent(unpacked, constant=("n",))
def _unpacked_fwd(r, seq, n):
    d[r] = d[seq]
