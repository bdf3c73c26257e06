"""Lists, tuples and dicts: building arrays from them and the builtins that read them."""
import numpy as np

from s2s.registry import adjoint, tangent, d, zero_if
from s2s.runtime import (GradList, along_axis_values, along_axis_values_grad, copy_deep, copy_value, index_concat,
                         unbroadcast, zeros_like)
from s2s.containers import no_concatenation
from s2s.rule_helpers import float_dtype, is_zero, tangent_like

# --- forward mode of np.array, np.asarray, np.stack (rules below for the same functions supersede these)
@tangent(np.array)
def array(z, object, dtype=None, copy=True, order="K", subok=False, ndmin=0): d[z] = np.array(d[object], ndmin=ndmin)
@tangent(np.asarray, np.asanyarray, constant=("device",))
def asarray(z, a, dtype=None, order=None, copy=None, device=None): d[z] = asarray_tangent(d[a], a, z)
@tangent(np.stack)
def stack(z, arrays, axis=0, out=None, dtype=None, casting="same_kind"): d[z] = np.stack(d[arrays], axis)



def asarray_tangent(t, a, z):
    """Tangent of np.asarray(a): ``a``'s own tangent when ``z`` shares ``a``'s memory (a write into ``z``
    changes ``a``), else a copy of it (``np.asarray(y, dtype=np.float32)`` is a new array: a write into it
    leaves ``a`` and its tangent alone)."""
    if isinstance(a, np.ndarray) and isinstance(t, np.ndarray) and np.may_share_memory(z, a):
        return np.asarray(t)
    return np.array(t)


@adjoint(copy_value, copy_deep)
def copy_value_(z, x): d[x] = d[z]
@adjoint(list, tuple)
def list_(z, x): d[x] = grad_to_sequence(d[z], x)
@adjoint(sum)
def sum_(z, x, start=0):
    d[x] = grad_builtin_sum(d[z], x)
    d[start] = unbroadcast(d[z], start)
# (supersedes a plain ``sum(d[x]) + d[start]``: an inactive x has the
# literal tangent 0, and sum(0) fails; start may also be smaller than the result)
@tangent(sum)
def sum_fwd(z, x, start=0): d[z] = tangent_like(builtin_sum_tangent(d[x], x) + d[start], z)
@adjoint(np.array)
def array_fwd(z, object, dtype=None, copy=True, order="K", subok=False, ndmin=0):
    d[object] = grad_to_sequence(d[z], object)
@adjoint(np.asarray, np.asanyarray, constant=("device",))
def asarray_fwd(z, a, dtype=None, order=None, copy=None, device=None): d[a] = grad_to_sequence(d[z], a)
# np.float64(v) / np.float32(v) (np.double, np.single): a cast like float(v); an array or a list gives an
# array (np.float64 of a float64 array returns that array itself: aliasing.VIEW_FUNCTIONS lists the two)
@adjoint(np.float64, np.float32)
def float_scalar_type(z, x): d[x] = grad_to_sequence(d[z], x)
@tangent(np.float64)
def float64_fwd(z, x): d[z] = np.float64(d[x])
@tangent(np.float32)
def float32_fwd(z, x): d[z] = np.float32(d[x])
zero_if(np.float64, np.float32, any_of=(0,))
@adjoint(np.stack)
def stack_fwd(z, arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    d[arrays] = grad_stack(d[z], arrays, axis)

# np.r_[...] / np.c_[...]: the normalizer writes index_concat(np.r_, *items); slices and directive
# strings among the items are constants
@adjoint(index_concat, constant=("maker",))
def index_concat_(z, maker, *items): d[items] = index_concat_grads(d[z], maker, items)
@tangent(index_concat, constant=("maker",))
def index_concat_fwd(z, maker, *items): d[z] = index_concat_tangent(d[items], maker, items, z)

# np.put_along_axis(y, idx, v, axis): the normalizer writes y[along_axis_index(y, idx, axis)] =
# along_axis_values(v, y, idx, axis); the values are linear in v (overwritten writes get no gradient)
@adjoint(along_axis_values, constant=("arr", "indices", "axis"))
def along_axis_values_(z, values, arr, indices, axis):
    d[values] = unbroadcast(along_axis_values_grad(d[z], values, arr, indices, axis), values)
@tangent(along_axis_values, constant=("arr", "indices", "axis"))
def along_axis_values_fwd(z, values, arr, indices, axis): d[z] = along_axis_values(d[values], arr, indices, axis)
@adjoint(along_axis_values_grad, constant=("values", "arr", "indices", "axis"))
def along_axis_values_grad_(z, g, values, arr, indices, axis): d[g] = along_axis_values(d[z], arr, indices, axis)
@tangent(along_axis_values_grad, constant=("values", "arr", "indices", "axis"))
def along_axis_values_grad_fwd(z, g, values, arr, indices, axis):
    d[z] = along_axis_values_grad(d[g], values, arr, indices, axis)


def _index_concat_map(maker, items):
    """Where each element of ``maker[items]`` comes from: the same call on probes holding element ids
    (2**40 + a running count, far from anything a slice item makes), and each item's first id (None for
    slices and directive strings)."""
    probes, offsets, off = [], [], 2.0 ** 40
    for it in items:
        if isinstance(it, (str, slice)):
            probes.append(it)
            offsets.append(None)
            continue
        n = int(np.size(it))
        probes.append(off if np.ndim(it) == 0 and not isinstance(it, np.ndarray)
                      else np.arange(off, off + n).reshape(np.shape(it)))
        offsets.append(off)
        off += n
    return np.asarray(index_concat(maker, *probes)), offsets


def index_concat_grads(g, maker, items):
    """Gradients of ``maker[items]`` (np.r_ / np.c_) for every item: g gathered back through the id map."""
    ids, offsets = _index_concat_map(maker, items)
    g = np.broadcast_to(g, ids.shape)
    out = []
    for it, off in zip(items, offsets):
        if off is None:
            out.append(0.0)
            continue
        n = int(np.size(it))
        mask = (ids >= off) & (ids < off + n)
        gi = np.zeros(n, dtype=float_dtype(it))
        np.add.at(gi, (ids[mask] - off).astype(np.intp), g[mask])
        out.append(float(gi[0]) if isinstance(it, (float, int)) else gi.reshape(np.shape(it)))
    return GradList(out)


def index_concat_tangent(ts, maker, items, z):
    """Tangent of ``maker[items]``: each item's tangent scattered where its elements went."""
    ids, offsets = _index_concat_map(maker, items)
    ts = list(ts) if isinstance(ts, (list, tuple)) else [ts] * len(items)
    out = np.zeros(np.shape(z), dtype=float_dtype(z))
    for t, it, off in zip(ts, items, offsets):
        if off is None or is_zero(t):
            continue
        mask = (ids >= off) & (ids < off + int(np.size(it)))
        out[mask] = np.ravel(np.broadcast_to(t, np.shape(it)))[(ids[mask] - off).astype(np.intp)]
    return out

@adjoint(np.block)
def block(z, arrays): d[arrays] = block_grad(d[z], arrays)
@tangent(np.block)
def block_fwd(z, arrays): d[z] = block_tangent(d[arrays], arrays, z)


def _block_map(arrays):
    """np.block on probes holding element ids (as _index_concat_map), and each leaf's first id, in order."""
    offsets = []

    def probe(x):
        if isinstance(x, list):
            return [probe(e) for e in x]
        off = 2.0 ** 40 + sum(np.size(o[1]) for o in offsets)
        offsets.append((off, x))
        if np.ndim(x) == 0 and not isinstance(x, np.ndarray):
            return off
        return np.arange(off, off + np.size(x)).reshape(np.shape(x))
    return np.asarray(np.block(probe(arrays))), offsets


def block_grad(g, arrays):
    """Gradient of np.block(arrays): the nested lists of each block's share of g."""
    ids, offsets = _block_map(arrays)
    g = np.broadcast_to(g, ids.shape)
    leaves = iter(offsets)

    def back(x):
        if isinstance(x, list):
            return GradList(back(e) for e in x)
        off, leaf = next(leaves)
        n = int(np.size(leaf))
        mask = (ids >= off) & (ids < off + n)
        gi = np.zeros(n, dtype=float_dtype(leaf))
        np.add.at(gi, (ids[mask] - off).astype(np.intp), g[mask])
        return float(gi[0]) if isinstance(leaf, (float, int)) else gi.reshape(np.shape(leaf))
    return back(arrays)


def block_tangent(ts, arrays, z):
    """Tangent of np.block(arrays): each block's tangent where its elements went."""
    ids, offsets = _block_map(arrays)
    out = np.zeros(np.shape(z), dtype=float_dtype(z))
    leaves = iter(offsets)

    def put(t, x):
        if isinstance(x, list):
            for k, e in enumerate(x):
                put(t[k] if isinstance(t, (list, tuple)) else t, e)
            return
        off, leaf = next(leaves)
        if is_zero(t):
            return
        mask = (ids >= off) & (ids < off + int(np.size(leaf)))
        out[mask] = np.ravel(np.broadcast_to(t, np.shape(leaf)))[(ids[mask] - off).astype(np.intp)]
    put(ts, arrays)
    return out


def grad_to_sequence(g, x):
    """The gradient of ``np.array(x)`` (or ``list(x)``) given back in x's structure."""
    if isinstance(x, (dict, type({}.keys()))):   # list(d): its keys, which carry no gradient
        return zeros_like(x) if isinstance(x, dict) else GradList([0.0] * len(x))
    return _item_grad(g, x)


def _item_grad(g, x):
    """grad_to_sequence's walk of the items: an item that is a dict (a dict of layer dicts walked by
    ``params.values()``) has its own gradient, a dict (only ``list(d)`` of the dict itself gives its keys)."""
    if isinstance(x, dict):
        return g if isinstance(g, dict) else zeros_like(x)
    if isinstance(g, (list, tuple)) and not isinstance(x, np.ndarray) and hasattr(x, "__len__") and len(g) == len(x):
        # a list of gradients (of arrays, tuples, ...) for a list, a tuple or a dict view
        return GradList(_item_grad(gi, e) for gi, e in zip(g, x if isinstance(x, (list, tuple)) else list(x)))
    if isinstance(x, (list, tuple)):
        g = np.asarray(g)
        if g.ndim == 0:   # a scalar gradient of the whole array (0.0 from a path that did not return it)
            return GradList(_item_grad(g, e) for e in x)
        if g.ndim > np.ndim(x) and g.shape[-np.ndim(x):] == np.shape(x):  # ndmin added leading axes
            g = g.reshape(np.shape(x))
        return GradList(_item_grad(g[i], e) for i, e in enumerate(x))
    if isinstance(x, np.ndarray):
        g = np.asarray(g, dtype=x.dtype if np.issubdtype(x.dtype, np.floating) else float)
        return np.broadcast_to(g, x.shape).copy() if g.ndim == 0 else g.reshape(x.shape)
    if np.ndim(g) > 0 and np.size(g) == 1:
        g = np.reshape(g, ())
    return float(g) if np.ndim(g) == 0 and isinstance(x, (int, float)) else g


def keys_free(t, x):
    """What list(x) / tuple(x) walk of x's tangent ``t``: zeros for a dict or its keys view (list(d) gives
    the keys, which carry no derivative), ``t`` itself for anything else."""
    if isinstance(x, (dict, type({}.keys()))):
        return [0.0] * len(x)
    return t


def grad_builtin_sum(g, x):
    """The gradient of Python's ``sum(x)`` over a list or the first axis of an array."""
    no_concatenation(x)
    if isinstance(x, np.ndarray):
        return np.broadcast_to(g, x.shape).astype(float_dtype(x))
    return GradList(unbroadcast(g, e) for e in x)   # items that broadcast against each other: each its own shape


def builtin_sum_tangent(t, x):
    """The tangent of Python's ``sum(x)`` (without start) from x's tangent ``t`` (0 when x is inactive)."""
    no_concatenation(x)
    if is_zero(t):
        return 0.0
    if isinstance(x, np.ndarray):
        return np.sum(t, axis=0)
    return sum((e for e in t if not is_zero(e)), 0.0)


def grad_stack(g, arrays, axis):
    """The gradient of ``np.stack(arrays, axis)``: one slice of g per input."""
    g = np.asarray(g)
    if g.ndim == 0:   # a scalar gradient of the whole stack (0.0 from a path that did not return it)
        return GradList(grad_to_sequence(g, a) for a in arrays)
    g = np.moveaxis(g, axis, 0)
    return GradList(g[i] for i in range(len(arrays)))


zero_if(list, any_of=(0,))   # forward mode: list(0) is a zero tangent (registry.zero_if)


@adjoint(keys_free, constant=("x",))
def keys_free_adj(z, t, x): d[t] = grad_to_sequence(d[z], x) if isinstance(x, (dict, type({}.keys()))) else d[z]
@tangent(keys_free, constant=("x",))
def keys_free_fwd(z, t, x): d[z] = keys_free(d[t], x)
