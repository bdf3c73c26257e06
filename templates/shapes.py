"""Shape, assembly and selection: every function here only moves, copies or
drops elements, so each rule is the inverse movement (reverse) or the same
movement applied to the tangent (forward).

Functions that select elements (take, take_along_axis, repeat, tile, pad,
sort, delete, compress, extract) share one device: apply the function to an
array of *flat source indices* (``np.arange(a.size).reshape(a.shape)``); the
result says where every output element came from, and the gradient is a
scatter-add of ``g`` to those places (``scatter_back``). That is correct by
construction for every mode NumPy supports (wrap/clip indices, reflect/edge/
wrap padding, repeated indices).

Functions taking a list of arrays (concatenate, stack, hstack, ...) get a
list of gradients back; functions returning a list (split, unstack, ...)
receive a list of gradients, where ``0`` (no gradient) entries are allowed.
"""
import numpy as np

from s2s.registry import array_valued, adjoint, tangent, d, nondifferentiable
from s2s.runtime import unbroadcast
from s2s.runtime import GradList
from s2s.rule_helpers import (fill_zero, fill_zeros, grad_reshape, is_zero, like, refuse_object_dtype, tangent_like,
                              zeros_of)

# --- reshaping
@adjoint(np.ravel)
def ravel(z, a, order="C"): d[a] = np.reshape(np.ravel(d[z])[ravel_back(a, order)], np.shape(a))
@tangent(np.ravel)
def ravel_fwd(z, a, order="C"): d[z] = np.ravel(d[a])[ravel_source(a, order)]
@adjoint(np.squeeze)
def squeeze(z, a, axis=None): d[a] = np.reshape(d[z], np.shape(a))
@tangent(np.squeeze)
def squeeze_fwd(z, a, axis=None): d[z] = np.squeeze(d[a], axis)
@adjoint(np.expand_dims)
def expand_dims(z, a, axis): d[a] = np.reshape(d[z], np.shape(a))
@tangent(np.expand_dims)
def expand_dims_fwd(z, a, axis): d[z] = np.expand_dims(d[a], axis)
@adjoint(np.atleast_1d, np.atleast_2d, np.atleast_3d)
def atleast_nd(z, ary): d[ary] = grad_reshape(d[z], ary)
@tangent(np.atleast_1d, np.atleast_2d, np.atleast_3d)
def atleast_nd_fwd(z, ary): d[z] = np.reshape(d[ary], np.shape(z))
@adjoint(np.broadcast_to)
def broadcast_to(z, array, shape, subok=False): d[array] = unbroadcast(d[z], array)
@tangent(np.broadcast_to)
def broadcast_to_fwd(z, array, shape, subok=False): d[z] = np.broadcast_to(d[array], shape)
@adjoint(np.broadcast_arrays)
def broadcast_arrays(z, *args): d[args] = unbroadcast_each(d[z], z, args)
@tangent(np.broadcast_arrays)
def broadcast_arrays_fwd(z, *args): d[z] = broadcast_each(d[args], args, z)

# --- axis permutations
@adjoint(np.swapaxes)
def swapaxes(z, a, axis1, axis2): d[a] = np.swapaxes(d[z], axis1, axis2)
@tangent(np.swapaxes)
def swapaxes_fwd(z, a, axis1, axis2): d[z] = np.swapaxes(d[a], axis1, axis2)
@adjoint(np.moveaxis)
def moveaxis(z, a, source, destination): d[a] = np.moveaxis(d[z], destination, source)
@tangent(np.moveaxis)
def moveaxis_fwd(z, a, source, destination): d[z] = np.moveaxis(d[a], source, destination)
@adjoint(np.rollaxis)
def rollaxis(z, a, axis, start=0): d[a] = rollaxis_grad(d[z], a, axis, start)
@tangent(np.rollaxis)
def rollaxis_fwd(z, a, axis, start=0): d[z] = np.rollaxis(d[a], axis, start)
@adjoint(np.matrix_transpose, np.linalg.matrix_transpose)
def matrix_transpose(z, x): d[x] = np.swapaxes(d[z], -1, -2)
@tangent(np.matrix_transpose, np.linalg.matrix_transpose)
def matrix_transpose_fwd(z, x): d[z] = np.swapaxes(d[x], -1, -2)

# --- joining (a list in, a list of gradients out)
@adjoint(np.concatenate)
def concatenate(z, arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    d[arrays] = unconcatenate(d[z], arrays, axis)
@tangent(np.concatenate)
def concatenate_fwd(z, arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    d[z] = np.concatenate(fill_zeros(d[arrays], arrays), axis)
@adjoint(np.hstack)
def hstack(z, tup, dtype=None, casting="same_kind"): d[tup] = unstack_joined(d[z], tup, "h")
@tangent(np.hstack)
def hstack_fwd(z, tup, dtype=None, casting="same_kind"): d[z] = np.hstack(fill_zeros(d[tup], tup))
@adjoint(np.vstack, np.row_stack)
def vstack(z, tup, dtype=None, casting="same_kind"): d[tup] = unstack_joined(d[z], tup, "v")
@tangent(np.vstack, np.row_stack)
def vstack_fwd(z, tup, dtype=None, casting="same_kind"): d[z] = np.vstack(fill_zeros(d[tup], tup))
@adjoint(np.dstack)
def dstack(z, tup): d[tup] = unstack_joined(d[z], tup, "d")
@tangent(np.dstack)
def dstack_fwd(z, tup): d[z] = np.dstack(fill_zeros(d[tup], tup))
@adjoint(np.column_stack)
def column_stack(z, tup): d[tup] = unstack_joined(d[z], tup, "column")
@tangent(np.column_stack)
def column_stack_fwd(z, tup): d[z] = np.column_stack(fill_zeros(d[tup], tup))
@adjoint(np.append)
def append(z, arr, values, axis=None):
    d[arr] = append_grad(d[z], arr, values, axis, 0)
    d[values] = append_grad(d[z], arr, values, axis, 1)
@tangent(np.append)
def append_fwd(z, arr, values, axis=None):
    d[z] = like(append_tangent(d[arr], d[values], arr, values, axis), z)

# --- splitting (a list out, a list of gradients in)
@adjoint(np.split, np.array_split)
def split(z, ary, indices_or_sections, axis=0): d[ary] = np.concatenate(fill_zeros(d[z], z), axis)
@tangent(np.split)
def split_fwd(z, ary, indices_or_sections, axis=0): d[z] = GradList(np.split(d[ary], indices_or_sections, axis))
@tangent(np.array_split)
def array_split_fwd(z, ary, indices_or_sections, axis=0): d[z] = GradList(np.array_split(d[ary], indices_or_sections, axis))
@adjoint(np.hsplit)
def hsplit(z, ary, indices_or_sections): d[ary] = np.concatenate(fill_zeros(d[z], z), 1 if np.ndim(ary) > 1 else 0)
@tangent(np.hsplit)
def hsplit_fwd(z, ary, indices_or_sections): d[z] = GradList(np.hsplit(d[ary], indices_or_sections))
@adjoint(np.vsplit)
def vsplit(z, ary, indices_or_sections): d[ary] = np.concatenate(fill_zeros(d[z], z), 0)
@tangent(np.vsplit)
def vsplit_fwd(z, ary, indices_or_sections): d[z] = GradList(np.vsplit(d[ary], indices_or_sections))
@adjoint(np.dsplit)
def dsplit(z, ary, indices_or_sections): d[ary] = np.concatenate(fill_zeros(d[z], z), 2)
@tangent(np.dsplit)
def dsplit_fwd(z, ary, indices_or_sections): d[z] = GradList(np.dsplit(d[ary], indices_or_sections))
@adjoint(np.unstack)
def unstack(z, x, axis=0): d[x] = np.stack(fill_zeros(d[z], z), axis)
@tangent(np.unstack)
def unstack_fwd(z, x, axis=0): d[z] = GradList(np.unstack(d[x], axis=axis))

# --- copies and repetitions
@adjoint(np.tile)
def tile(z, A, reps): d[A] = scatter_back(d[z], A, np.tile(source_index(A), reps))
@tangent(np.tile)
def tile_fwd(z, A, reps): d[z] = np.tile(d[A], reps)
@adjoint(np.repeat)
def repeat(z, a, repeats, axis=None): d[a] = scatter_back(d[z], a, np.repeat(source_index(a), repeats, axis))
@tangent(np.repeat)
def repeat_fwd(z, a, repeats, axis=None): d[z] = np.repeat(d[a], repeats, axis)
@adjoint(np.flip)
def flip(z, m, axis=None): d[m] = np.flip(d[z], axis)
@tangent(np.flip)
def flip_fwd(z, m, axis=None): d[z] = np.flip(d[m], axis)
@adjoint(np.fliplr)
def fliplr(z, m): d[m] = np.fliplr(d[z])
@tangent(np.fliplr)
def fliplr_fwd(z, m): d[z] = np.fliplr(d[m])
@adjoint(np.flipud)
def flipud(z, m): d[m] = np.flipud(d[z])
@tangent(np.flipud)
def flipud_fwd(z, m): d[z] = np.flipud(d[m])
@adjoint(np.roll)
def roll(z, a, shift, axis=None): d[a] = np.roll(d[z], np.negative(shift), axis)
@tangent(np.roll)
def roll_fwd(z, a, shift, axis=None): d[z] = np.roll(d[a], shift, axis)
@adjoint(np.rot90)
def rot90(z, m, k=1, axes=(0, 1)): d[m] = np.rot90(d[z], -k, axes)
@tangent(np.rot90)
def rot90_fwd(z, m, k=1, axes=(0, 1)): d[z] = np.rot90(d[m], k, axes)
@adjoint(np.pad)
def pad(z, array, pad_width, mode="constant", constant_values=0, reflect_type="even"):
    d[array] = scatter_back(d[z], array, pad_source(array, pad_width, mode, reflect_type))
    d[constant_values] = pad_grad_constant(d[z], array, pad_width, constant_values)
@tangent(np.pad)
def pad_fwd(z, array, pad_width, mode="constant", constant_values=0, reflect_type="even"):
    d[z] = like(gather(d[array], array, pad_source(array, pad_width, mode, reflect_type)) + pad_fill(d[constant_values], array, pad_width, mode), z)

# --- diagonals and triangles
@adjoint(np.diag)
def diag(z, v, k=0): d[v] = diag_grad(d[z], v, k)
@tangent(np.diag)
def diag_fwd(z, v, k=0): d[z] = np.diag(d[v], k)
@adjoint(np.diagflat)
def diagflat(z, v, k=0): d[v] = np.reshape(np.diagonal(d[z], k), np.shape(v))
@tangent(np.diagflat)
def diagflat_fwd(z, v, k=0): d[z] = np.diagflat(d[v], k)
@adjoint(np.diagonal)
def diagonal(z, a, offset=0, axis1=0, axis2=1): d[a] = diagonal_grad(d[z], a, offset, axis1, axis2)
@tangent(np.diagonal)
def diagonal_fwd(z, a, offset=0, axis1=0, axis2=1): d[z] = np.diagonal(d[a], offset, axis1, axis2)
@adjoint(np.linalg.diagonal)
def linalg_diagonal(z, x, offset=0): d[x] = diagonal_grad(d[z], x, offset, -2, -1)
@tangent(np.linalg.diagonal)
def linalg_diagonal_fwd(z, x, offset=0): d[z] = np.linalg.diagonal(d[x], offset=offset)
@adjoint(np.triu)
def triu(z, m, k=0): d[m] = np.triu(d[z], k)
@tangent(np.triu)
def triu_fwd(z, m, k=0): d[z] = np.triu(d[m], k)
@adjoint(np.tril)
def tril(z, m, k=0): d[m] = np.tril(d[z], k)
@tangent(np.tril)
def tril_fwd(z, m, k=0): d[z] = np.tril(d[m], k)

# --- selection
@adjoint(np.take)
def take(z, a, indices, axis=None, out=None, mode="raise"):
    d[a] = scatter_back(d[z], a, np.take(source_index(a), indices, axis, mode=mode))
@tangent(np.take)
def take_fwd(z, a, indices, axis=None, out=None, mode="raise"): d[z] = np.take(d[a], indices, axis, mode=mode)
@adjoint(np.take_along_axis)
def take_along_axis(z, arr, indices, axis=-1):
    d[arr] = scatter_back(d[z], arr, np.take_along_axis(source_index(arr), indices, axis))
@tangent(np.take_along_axis)
def take_along_axis_fwd(z, arr, indices, axis=-1): d[z] = np.take_along_axis(d[arr], indices, axis)
@adjoint(np.sort)
def sort(z, a, axis=-1, kind=None, order=None, stable=None):
    d[a] = scatter_back(d[z], a, sort_source(a, axis))
@tangent(np.sort)
def sort_fwd(z, a, axis=-1, kind=None, order=None, stable=None): d[z] = gather(d[a], a, sort_source(a, axis))
@adjoint(np.partition, constant=("kth",))
def partition(z, a, kth, axis=-1, kind="introselect", order=None):
    d[a] = scatter_back(d[z], a, partition_source(a, z, axis))
@tangent(np.partition, constant=("kth",))
def partition_fwd(z, a, kth, axis=-1, kind="introselect", order=None):
    d[z] = gather(d[a], a, partition_source(a, z, axis))
@adjoint(np.delete)
def delete(z, arr, obj, axis=None): d[arr] = scatter_back(d[z], arr, np.delete(source_index(arr), obj, axis))
@tangent(np.delete)
def delete_fwd(z, arr, obj, axis=None): d[z] = np.delete(d[arr], obj, axis)
@adjoint(np.insert)
def insert(z, arr, obj, values, axis=None):
    d[arr] = scatter_back(d[z], arr, np.insert(source_index(arr), obj, -1, axis))
    d[values] = scatter_back(d[z], values, np.insert(np.full(np.shape(arr), -1), obj, source_index(values), axis))
@tangent(np.insert)
def insert_fwd(z, arr, obj, values, axis=None):
    d[z] = like(insert_tangent(d[arr], d[values], arr, obj, values, axis), z)
@adjoint(np.resize)
def resize(z, a, new_shape): d[a] = scatter_back(d[z], a, np.resize(source_index(a), new_shape))
@tangent(np.resize)
def resize_fwd(z, a, new_shape): d[z] = np.resize(d[a], new_shape)
@adjoint(np.select)
def select(z, condlist, choicelist, default=0):
    d[choicelist] = select_grads(d[z], condlist, choicelist)
    d[default] = unbroadcast(np.where(np.any(np.broadcast_arrays(*condlist), axis=0), 0.0, d[z]), default)
@tangent(np.select)
def select_fwd(z, condlist, choicelist, default=0): d[z] = like(select_tangent(d[choicelist], d[default], condlist, z), z)
@adjoint(np.compress)
def compress(z, condition, a, axis=None, out=None):
    d[a] = scatter_back(d[z], a, np.compress(condition, source_index(a), axis))
@tangent(np.compress)
def compress_fwd(z, condition, a, axis=None, out=None): d[z] = np.compress(condition, d[a], axis)
@adjoint(np.extract)
def extract(z, condition, arr): d[arr] = scatter_back(d[z], arr, np.extract(condition, source_index(arr)))
@tangent(np.extract)
def extract_fwd(z, condition, arr): d[z] = np.extract(condition, fill_zero(d[arr], arr))

# --- making arrays from values (np.array, np.asarray, np.asanyarray, np.stack: structures.py)
@adjoint(np.ascontiguousarray, np.asfortranarray)
def ascontiguousarray(z, a, dtype=None): d[a] = array_grad(d[z], a, dtype)
@tangent(np.ascontiguousarray, np.asfortranarray)
def ascontiguousarray_fwd(z, a, dtype=None): d[z] = same_array_tangent(d[a], a, z, dtype)
@adjoint(np.copy)
def copy(z, a, order="K", subok=False): d[a] = array_grad(d[z], a, None)
@tangent(np.copy)
def copy_fwd(z, a, order="K", subok=False): d[z] = array_tangent(d[a], a, z, None)
@adjoint(np.full)
def full(z, shape, fill_value, dtype=None, order="C"): d[fill_value] = unbroadcast(d[z], fill_value)
@tangent(np.full)
def full_fwd(z, shape, fill_value, dtype=None, order="C"): d[z] = tangent_like(d[fill_value], z)
@adjoint(np.full_like, constant=('a',))
def full_like(z, a, fill_value, dtype=None, order="K", subok=True, shape=None): d[fill_value] = unbroadcast(d[z], fill_value)
@tangent(np.full_like, constant=('a',))
def full_like_fwd(z, a, fill_value, dtype=None, order="K", subok=True, shape=None): d[z] = tangent_like(d[fill_value], z)
@adjoint(np.linspace)
def linspace(z, start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    d[start] = linspace_grad(d[z], start, stop, num, endpoint, retstep, axis, "start")
    d[stop] = linspace_grad(d[z], start, stop, num, endpoint, retstep, axis, "stop")
@tangent(np.linspace)
def linspace_fwd(z, start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    d[z] = like(linspace_tangent(d[start], d[stop], start, stop, z, num, endpoint, retstep, axis), z)
@adjoint(np.logspace)
def logspace(z, start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    d[start] = linspace_grad(d[z] * z * np.log(expand_base(base, axis)), start, stop, num, endpoint, False, axis, "start")
    d[stop] = linspace_grad(d[z] * z * np.log(expand_base(base, axis)), start, stop, num, endpoint, False, axis, "stop")
    d[base] = logspace_grad_base(d[z], z, start, stop, num, endpoint, base, axis)
@tangent(np.logspace)
def logspace_fwd(z, start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    d[z] = like(tangent_like(z * (np.log(expand_base(base, axis)) * linspace_tangent(d[start], d[stop], start, stop, z, num, endpoint, False, axis)
                                  + np.linspace(start, stop, num, endpoint, axis=axis) * d[base] / expand_base(base, axis)), z), z)
@adjoint(np.geomspace)
def geomspace(z, start, stop, num=50, endpoint=True, dtype=None, axis=0):
    d[start] = linspace_grad(d[z] * z, start, stop, num, endpoint, False, axis, "start") / start
    d[stop] = linspace_grad(d[z] * z, start, stop, num, endpoint, False, axis, "stop") / stop
@tangent(np.geomspace)
def geomspace_fwd(z, start, stop, num=50, endpoint=True, dtype=None, axis=0):
    d[z] = like(z * linspace_tangent(d[start] / start, d[stop] / stop, start, stop, z, num, endpoint, False, axis), z)
@adjoint(np.meshgrid)
def meshgrid(z, *xi, copy=True, sparse=False, indexing="xy"): d[xi] = meshgrid_grad(d[z], xi, z, indexing)
@tangent(np.meshgrid)
def meshgrid_fwd(z, *xi, copy=True, sparse=False, indexing="xy"):
    d[z] = meshgrid_tangent(d[xi], xi, sparse, indexing)


# ---------------------------------------------------------------- helpers

def source_index(a):
    """Flat source indices shaped like ``a``: f(source_index(a)) says where f's output came from."""
    return np.arange(np.size(a)).reshape(np.shape(a))


def scatter_back(g, a, src):
    """Gradient for a selection: add each g element to a's element src names (-1: none)."""
    src = np.asarray(src)
    g = np.broadcast_to(g, src.shape)
    ok = src >= 0
    out = np.zeros(np.size(a), dtype=_float(a))
    np.add.at(out, src[ok], g[ok])
    out = out.reshape(np.shape(a))
    return float(out) if isinstance(a, (float, int)) else out


def gather(t, a, src):
    """Tangent of a selection: the tangent elements src names (0 where src is -1)."""
    src = np.asarray(src)
    t = np.ravel(np.broadcast_to(t, np.shape(a)))
    return np.where(src >= 0, t[np.maximum(src, 0)], 0.0)


# scatter_back and gather are each other's adjoints and linear in g / t (src holds integer indices): rules,
# so that hvp through np.sort, np.take, np.pad, ... differentiates them (their np.add.at bodies are refused)
@adjoint(scatter_back, constant=("a", "src"))
def scatter_back_adj(z, g, a, src): d[g] = unbroadcast(gather(d[z], a, src), g)
@tangent(scatter_back, constant=("a", "src"))
def scatter_back_fwd(z, g, a, src): d[z] = scatter_back(d[g], a, src)
@adjoint(gather, constant=("a", "src"))
def gather_adj(z, t, a, src): d[t] = unbroadcast(scatter_back(d[z], a, src), t)
@tangent(gather, constant=("a", "src"))
def gather_fwd(z, t, a, src): d[z] = gather(d[t], a, src)


def _float(a):
    dt = getattr(a, "dtype", None)
    return dt if dt is not None and np.issubdtype(dt, np.floating) else np.float64


def rollaxis_grad(g, a, axis, start=0):
    """Gradient of np.rollaxis: the inverse axis move."""
    n = np.ndim(a)
    axis = axis % n
    start = start + n if start < 0 else start
    dest = start - 1 if axis < start else start
    return np.moveaxis(g, dest, axis) if dest != axis else g


def unconcatenate(g, arrays, axis=0):
    """Gradient of np.concatenate: g cut back into pieces shaped like the inputs."""
    if axis is None:
        g = np.ravel(g)
        sizes = [np.size(a) for a in arrays]
        return GradList(p.reshape(np.shape(a)) for p, a in zip(np.split(g, np.cumsum(sizes)[:-1]), arrays))
    sizes = [np.shape(a)[axis] for a in arrays]
    return GradList(np.split(g, np.cumsum(sizes)[:-1], axis=axis))


def unstack_joined(g, tup, kind):
    """Gradient of hstack / vstack / dstack / column_stack: pieces reshaped to the inputs."""
    if kind == "h":
        arrs = [np.atleast_1d(a) for a in tup]
        axis = 0 if arrs[0].ndim == 1 else 1
    elif kind == "v":
        arrs, axis = [np.atleast_2d(a) for a in tup], 0
    elif kind == "d":
        arrs, axis = [np.atleast_3d(a) for a in tup], 2
    else:
        arrs = [np.asarray(a).reshape(-1, 1) if np.ndim(a) < 2 else np.asarray(a) for a in tup]
        axis = 1
    pieces = unconcatenate(g, arrs, axis)
    return GradList(np.reshape(p, np.shape(a)) for p, a in zip(pieces, tup))


def append_grad(g, arr, values, axis=None, which=0):
    """Gradient of np.append for arr (which=0) or values (which=1)."""
    if axis is None:
        g = np.ravel(g)
        n = np.size(arr)
        part = g[:n] if which == 0 else g[n:]
        target = arr if which == 0 else values
        return np.reshape(part, np.shape(target))
    n = np.shape(arr)[axis]
    idx = np.arange(n) if which == 0 else np.arange(n, np.shape(g)[axis])
    return np.take(g, idx, axis=axis)


def append_tangent(ta, tv, arr, values, axis=None):
    """Tangent of np.append."""
    return np.append(np.broadcast_to(fill_zero(ta, arr), np.shape(arr)),
                     np.broadcast_to(fill_zero(tv, values), np.shape(values)), axis).astype(float)


def pad_source(array, pad_width, mode="constant", reflect_type="even"):
    """np.pad applied to flat source indices: -1 marks constant padding."""
    if reflect_type != "even":
        raise NotImplementedError("s2s: np.pad with reflect_type='odd' has no gradient rule")
    src = source_index(array)
    if mode == "constant":
        return np.pad(src, pad_width, mode, constant_values=-1)
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        return np.pad(src, pad_width, mode)
    raise NotImplementedError(f"s2s: np.pad mode {mode!r} has no gradient rule "
                              "(constant, edge, reflect, symmetric and wrap do)")


def pad_grad_constant(g, array, pad_width, constant_values=0):
    """Gradient of np.pad(mode='constant') with respect to a scalar constant_values."""
    if np.ndim(constant_values) != 0:
        raise NotImplementedError("s2s: gradient for per-axis constant_values is not supported")
    src = pad_source(array, pad_width, "constant")
    return np.sum(np.where(src < 0, g, 0.0))


def pad_fill(tc, array, pad_width, mode="constant"):
    """Tangent contribution of constant_values to np.pad(mode='constant')."""
    if mode != "constant":
        return 0.0
    return (pad_source(array, pad_width, "constant") < 0) * tc


def diag_grad(g, v, k=0):
    """Gradient of np.diag: diagonal of g (v 1-d) or g placed on the k-th diagonal (v 2-d)."""
    if np.ndim(v) == 1:
        if np.ndim(g) < 2:   # a number (a gradient folded to 0.0: np.diag(v) * 0.0): the same on every entry
            n = np.shape(v)[0] + abs(k)
            g = np.broadcast_to(g, (n, n))
        return np.diagonal(g, k).copy()
    out = np.zeros(np.shape(v), dtype=_float(v))
    n, m = out.shape
    i = np.arange(max(0, -k), min(n, m - k))
    out[i, i + k] = g
    return out


def diagonal_grad(g, a, offset=0, axis1=0, axis2=1):
    """Gradient of np.diagonal: g written back onto the diagonal of the axis1/axis2 planes."""
    out = np.zeros(np.shape(a), dtype=_float(a))
    view = np.moveaxis(out, (axis1, axis2), (-2, -1))
    n, m = view.shape[-2:]
    i = np.arange(max(0, -offset), min(n, m - offset))
    view[..., i, i + offset] = g
    return out


def sort_source(a, axis=-1):
    """np.sort applied to flat source indices (the permutation np.sort performs)."""
    src = source_index(a)
    if axis is None:
        return np.ravel(src)[np.argsort(a, axis=None, kind="stable")]
    return np.take_along_axis(src, np.argsort(a, axis=axis, kind="stable"), axis)


def partition_source(a, z, axis=-1):
    """Flat source indices of np.partition's result z: z sorted equals a sorted, so the element at
    z's position j is a's element at argsort(a)[rank of j in z] (ties: equal values, either one)."""
    src = source_index(a)
    if axis is None:
        a, z, src, axis = np.ravel(a), np.ravel(z), np.ravel(src), -1
    oa = np.argsort(a, axis=axis, kind="stable")
    rank = np.argsort(np.argsort(z, axis=axis, kind="stable"), axis=axis, kind="stable")
    return np.take_along_axis(src, np.take_along_axis(oa, rank, axis), axis)


nondifferentiable(partition_source)   # integer indices (hvp through np.partition)


def ravel_source(a, order="C"):
    """Index ``i`` with np.ravel(a, order) == np.ravel(a)[i] (C order: a slice, no copy). 'A' and 'K'
    depend on a's memory layout, which a reshape cannot take and a tangent or gradient need not share:
    'A' reads in F order when a is Fortran-contiguous, 'K' in the order of a's strides (largest first;
    negative ones read forward)."""
    order = "C" if order is None else order
    if order == "C" or np.ndim(a) < 2:
        return slice(None)
    idx = np.arange(np.size(a)).reshape(np.shape(a))
    if order == "A":
        return np.ravel(idx, order="F" if isinstance(a, np.ndarray) and np.isfortran(a) else "C")
    if order == "K":
        strides = a.strides if isinstance(a, np.ndarray) else None
        perm = list(range(idx.ndim)) if strides is None else sorted(range(idx.ndim), key=lambda i: -abs(strides[i]))
        return np.ravel(np.transpose(idx, perm))
    return np.ravel(idx, order=order)


def ravel_back(a, order="C"):
    """The inverse of ravel_source: puts the gradient of np.ravel(a, order) back in a's C order."""
    src = ravel_source(a, order)
    return src if isinstance(src, slice) else np.argsort(src)


nondifferentiable(ravel_source, ravel_back)   # integer indices


def array_grad(g, obj, dtype=None):
    """Gradient of np.array / np.asarray: g given back in the structure of ``obj``.

    Nested lists and tuples of values get nested lists of gradients; an
    integer dtype (truncation) passes no gradient."""
    refuse_object_dtype(dtype)
    if dtype is not None and not np.issubdtype(np.dtype(dtype), np.inexact):
        return zeros_like_structure(obj)
    if isinstance(obj, (list, tuple)):
        g = np.reshape(g, np.shape(obj)) if np.ndim(g) != len(np.shape(obj)) else g
        return GradList(array_grad(g[i], o) for i, o in enumerate(obj))
    if isinstance(obj, (float, int)) and not isinstance(obj, bool):
        return float(np.sum(g))
    return np.reshape(g, np.shape(obj))


def zeros_like_structure(obj):
    if isinstance(obj, (list, tuple)):
        return GradList(zeros_like_structure(o) for o in obj)
    return zeros_of(obj)


def same_array_tangent(t, obj, z, dtype=None):
    """Tangent of np.ascontiguousarray / np.asfortranarray: ``a`` itself when already laid out so (``z is a``),
    then the tangent is ``a``'s own, so that a write into ``z`` reaches ``a``'s tangent too."""
    if z is obj and isinstance(t, np.ndarray) and t.shape == np.shape(z):
        return t
    return array_tangent(t, obj, z, dtype)


def array_tangent(t, obj, z, dtype=None):
    """Tangent of np.array / np.asarray of (nested lists of) values with tangents ``t``."""
    refuse_object_dtype(dtype)
    if dtype is not None and not np.issubdtype(np.dtype(dtype), np.inexact):
        return np.zeros(np.shape(z))
    if isinstance(obj, (list, tuple)):
        if isinstance(t, (list, tuple)):
            t = [array_tangent(ti, oi, np.asarray(oi), None) for ti, oi in zip(t, obj)]
        return tangent_like(np.array(t, dtype=float) if isinstance(t, list) else t, z)
    return tangent_like(np.array(fill_zero(t, obj), dtype=_float(z)), z)


def _linspace_steps(num, endpoint, retstep):
    if retstep:
        raise NotImplementedError("s2s: np.linspace(..., retstep=True) has no gradient rule")
    div = (num - 1) if endpoint else num
    return np.arange(num) / div if div > 0 else np.zeros(num)


def linspace_grad(g, start, stop, num=50, endpoint=True, retstep=False, axis=0, which="start"):
    """Gradient of np.linspace for start or stop: z = start + t (stop - start)."""
    t = _linspace_steps(num, endpoint, retstep)
    g = np.moveaxis(np.asarray(g), axis, 0)
    w = (1 - t) if which == "start" else t
    contrib = np.tensordot(w, g, axes=(0, 0))
    target = start if which == "start" else stop
    return unbroadcast(contrib, target)


def linspace_tangent(ts, te, start, stop, z, num=50, endpoint=True, retstep=False, axis=0):
    """Tangent of np.linspace along the tangents of start and stop."""
    t = _linspace_steps(num, endpoint, retstep)
    shape = np.broadcast_shapes(np.shape(start), np.shape(stop))
    ts = np.broadcast_to(ts, shape)
    te = np.broadcast_to(te, shape)
    tshape = [1] * (len(shape) + 1)
    tshape[axis] = num
    t = t.reshape(tshape)
    return tangent_like(np.expand_dims(ts, axis) * (1 - t) + np.expand_dims(te, axis) * t, z)


def meshgrid_grad(gs, xi, z, indexing="xy"):
    """Gradient of np.meshgrid: each output's gradient summed over the axes its input is repeated on."""
    gs = fill_zeros(gs, z)
    out = []
    n = len(xi)
    for i in range(n):   # (indexing, not zip: the gradient itself is differentiated for hvp)
        x = xi[i]
        g = gs[i]
        ax = i
        if indexing == "xy" and n > 1 and i < 2:
            ax = 1 - i
        other = tuple(j for j in range(np.ndim(g)) if j != ax)
        out.append(np.reshape(np.sum(g, axis=other), np.shape(x)))
    return GradList(out)


def unbroadcast_each(gs, z, args):
    """Gradient of np.broadcast_arrays: each output's gradient summed back to its input."""
    return GradList(unbroadcast(g, a) for g, a in zip(fill_zeros(gs, z), args))


def broadcast_each(ts, args, z):
    """Tangent of np.broadcast_arrays."""
    return GradList(np.broadcast_to(t, np.shape(r)) for t, r in zip(fill_zeros(ts, args), z))


def unstack_grad(g, arrays, axis=0):
    """Gradient of np.stack: the slices of g along the new axis."""
    return GradList(np.take(g, i, axis) for i in range(len(arrays)))


def meshgrid_tangent(ts, xi, sparse=False, indexing="xy"):
    """Tangent of np.meshgrid (linear: the meshgrid of the tangents)."""
    return GradList(np.array(t) for t in np.meshgrid(*fill_zeros(ts, xi), sparse=sparse, indexing=indexing))


def expand_base(base, axis):
    """np.logspace's base, given the axis of the samples (as NumPy does for an array base)."""
    return np.expand_dims(base, axis) if np.ndim(base) else base


def logspace_grad_base(g, z, start, stop, num, endpoint, base, axis):
    """Gradient of np.logspace for the base: z * y / base, y the exponents."""
    y = np.linspace(start, stop, num, endpoint, axis=axis)
    gb = np.asarray(g) * z * y / expand_base(base, axis)
    if not np.ndim(base):
        return unbroadcast(gb, base)
    return unbroadcast(np.sum(gb, axis=axis), base)


def select_grads(g, condlist, choicelist):
    """Gradients of np.select for each choice: g where that choice is the first true condition."""
    conds = np.broadcast_arrays(*condlist)
    taken = np.zeros(np.shape(conds[0]), dtype=bool)
    out = []
    for c, x in zip(conds, choicelist):
        first = c & ~taken
        taken = taken | c
        out.append(unbroadcast(np.where(first, g, 0.0), x))
    return GradList(out)


def select_tangent(tc, td, condlist, z):
    """Tangent of np.select: the same selection of the choices' tangents (placeholders are zero)."""
    tcs = [0.0 if is_zero(tc) or is_zero(t) else t for t in (tc if not is_zero(tc) else [0.0] * len(condlist))]
    return tangent_like(np.select(condlist, tcs, 0.0 if is_zero(td) else td), z)


def insert_tangent(ta, tv, arr, obj, values, axis=None):
    """Tangent of np.insert: the tangents inserted the same way (an inactive side is zeros)."""
    return np.insert(fill_zero(ta, arr), obj, fill_zero(tv, values), axis)


array_valued(scatter_back, gather)   # gradient helpers that return arrays (no as_grad needed: s2s/reverse.py)


# --- np.unique: the sorted distinct values are a gather of the first occurrence of each (the index
# and inverse arrays and the counts it may also return are integers). Ties are kinks, as for np.sort.
@adjoint(np.unique, constant=('return_index', 'return_inverse', 'return_counts'))
def unique(z, ar, return_index=False, return_inverse=False, return_counts=False, axis=None):
    d[ar] = unique_grad(d[z], ar, return_index or return_inverse or return_counts, axis)
@tangent(np.unique, constant=('return_index', 'return_inverse', 'return_counts'))
def unique_fwd(z, ar, return_index=False, return_inverse=False, return_counts=False, axis=None):
    d[z] = unique_tangent(d[ar], ar, z, return_index or return_inverse or return_counts, axis)
@adjoint(np.unique_values)
def unique_values(z, x): d[x] = unique_grad(d[z], x, False, None)
@tangent(np.unique_values)
def unique_values_fwd(z, x): d[z] = unique_tangent(d[x], x, z, False, None)


def _unique_first(ar, axis):
    """Where each distinct value (or slice along ``axis``) of ``ar`` first occurs, in np.unique's order."""
    return np.unique(np.ravel(ar) if axis is None else ar, return_index=True, axis=axis)[1]


def _unique_take(t, idx, axis):
    return np.ravel(t)[idx] if axis is None else np.take(t, idx, axis=axis)


def unique_grad(g, ar, several, axis):
    """The gradient of np.unique's values ``g`` (the first item when it returns several) put back at the
    first occurrence of each value in ``ar``."""
    if several:
        g = g[0]
    idx = _unique_first(ar, axis)
    dt = np.result_type(getattr(ar, "dtype", np.float64), np.float64) if np.asarray(ar).dtype.kind != "f" \
        else np.asarray(ar).dtype
    if axis is None:   # (a fresh flat array written, then reshaped: no write through a view, as hvp reads this)
        flat = np.zeros(np.size(ar), dtype=dt)
        flat[idx] = g
        return flat.reshape(np.shape(ar))
    out = np.zeros(np.shape(ar), dtype=dt)
    sl = [slice(None)] * out.ndim
    sl[axis] = idx
    out[tuple(sl)] = g
    return out


def unique_tangent(t, ar, z, several, axis):
    """The tangent of np.unique's values (with zeros for the integer arrays it may also return)."""
    tv = _unique_take(fill_zero(t, ar), _unique_first(ar, axis), axis)
    if several:
        return (tv,) + tuple(np.zeros(np.shape(e)) for e in z[1:])
    return tv


array_valued(unique_grad)
