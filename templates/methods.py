"""ndarray methods and attributes: ``x.sum(axis)``, ``x.T``, ``x.reshape(...)``...

The first parameter after the result is the array the method is called on
(``self``); the rest mirror the method's own signature. Each rule reuses the
helper of the matching NumPy function.
"""
import numpy as np

from s2s.registry import adjoint, tangent, d, method, attr, nondifferentiable
from s2s.runtime import unbroadcast, zeros_like
from s2s.rule_helpers import (fill_zero, float_dtype, grad_reduce, is_zero, real_only, refuse_object_dtype,
                              tangent_like)
from .numpy_core import dot_grad_x, dot_grad_y
from .reductions import (prod_grad, extremum_grad, var_grad, std_grad, cumsum_grad,
                                  cumprod_grad, cumprod_tangent, reduce_tangent, trace_grad)
from .shapes import scatter_back, source_index, diagonal_grad, ravel_back, ravel_source
from .ufuncs import clip_inside, clip_below, clip_above
from .linalg import bilinear_tangent
from .structures import grad_to_sequence

# --- reductions
@adjoint(method("sum"))
def sum_(z, self, axis=None, dtype=None, out=None, keepdims=False): d[self] = grad_reduce(d[z], self, axis, keepdims)
@tangent(method("sum"))
def sum_fwd(z, self, axis=None, dtype=None, out=None, keepdims=False):
    d[z] = tangent_like(np.sum(d[self], axis=axis, keepdims=keepdims), z)
@adjoint(method("mean"))
def mean(z, self, axis=None, dtype=None, out=None, keepdims=False):
    d[self] = grad_reduce(d[z] * (np.size(z) / np.size(self)), self, axis, keepdims)
@tangent(method("mean"))
def mean_fwd(z, self, axis=None, dtype=None, out=None, keepdims=False):
    d[z] = tangent_like(np.mean(d[self], axis=axis, keepdims=keepdims), z)
@adjoint(method("prod"))
def prod(z, self, axis=None, dtype=None, out=None, keepdims=False): d[self] = prod_grad(d[z], self, axis, keepdims)
@tangent(method("prod"))
def prod_fwd(z, self, axis=None, dtype=None, out=None, keepdims=False):
    d[z] = reduce_tangent(d[self], prod_grad(1.0, self, axis, keepdims), axis, keepdims, z)
@adjoint(method("max"), method("min"))
def max_(z, self, axis=None, out=None, keepdims=False, initial=None):
    d[self] = extremum_grad(d[z], self, z, axis, keepdims)
@tangent(method("max"), method("min"))
def max_fwd(z, self, axis=None, out=None, keepdims=False, initial=None):
    d[z] = reduce_tangent(d[self], extremum_grad(1.0, self, z, axis, keepdims), axis, keepdims, z)
@adjoint(method("var"))
def var(z, self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[self] = var_grad(d[z], self, axis, ddof, keepdims)
@tangent(method("var"))
def var_fwd(z, self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[z] = reduce_tangent(d[self], var_grad(1.0, self, axis, ddof, keepdims), axis, keepdims, z)
@adjoint(method("std"))
def std(z, self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[self] = std_grad(d[z], self, z, axis, ddof, keepdims)
@tangent(method("std"))
def std_fwd(z, self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[z] = reduce_tangent(d[self], std_grad(1.0, self, z, axis, ddof, keepdims), axis, keepdims, z)
@adjoint(method("cumsum"))
def cumsum(z, self, axis=None, dtype=None, out=None): d[self] = cumsum_grad(d[z], self, axis)
@tangent(method("cumsum"))
def cumsum_fwd(z, self, axis=None, dtype=None, out=None): d[z] = np.cumsum(d[self], axis=axis)
@adjoint(method("cumprod"))
def cumprod(z, self, axis=None, dtype=None, out=None): d[self] = cumprod_grad(d[z], self, z, axis)
@tangent(method("cumprod"))
def cumprod_fwd(z, self, axis=None, dtype=None, out=None): d[z] = cumprod_tangent(d[self], self, z, axis)
@adjoint(method("trace"))
def trace(z, self, offset=0, axis1=0, axis2=1, dtype=None, out=None): d[self] = trace_grad(d[z], self, offset, axis1, axis2)
@tangent(method("trace"))
def trace_fwd(z, self, offset=0, axis1=0, axis2=1, dtype=None, out=None): d[z] = np.trace(d[self], offset, axis1, axis2)

# --- shape
@adjoint(method("reshape"))
def reshape(z, self, *shape, order="C"): d[self] = np.reshape(d[z], np.shape(self), order=order)
@tangent(method("reshape"))
def reshape_fwd(z, self, *shape, order="C"): d[z] = np.reshape(d[self], np.shape(z), order=order)
@adjoint(method("transpose"))
def transpose(z, self, *axes): d[self] = np.transpose(d[z], inverse_axes(axes, self))
@tangent(method("transpose"))
def transpose_fwd(z, self, *axes): d[z] = np.transpose(d[self], method_axes(axes))
@adjoint(method("ravel"), method("flatten"))
def ravel(z, self, order="C"): d[self] = np.reshape(np.ravel(d[z])[ravel_back(self, order)], np.shape(self))
@tangent(method("ravel"), method("flatten"))
def ravel_fwd(z, self, order="C"): d[z] = np.ravel(d[self])[ravel_source(self, order)]
@adjoint(method("squeeze"))
def squeeze(z, self, axis=None): d[self] = np.reshape(d[z], np.shape(self))
@tangent(method("squeeze"))
def squeeze_fwd(z, self, axis=None): d[z] = np.squeeze(d[self], axis)
@adjoint(method("swapaxes"))
def swapaxes(z, self, axis1, axis2): d[self] = np.swapaxes(d[z], axis1, axis2)
@tangent(method("swapaxes"))
def swapaxes_fwd(z, self, axis1, axis2): d[z] = np.swapaxes(d[self], axis1, axis2)
@adjoint(attr("T"))
def T(z, self): d[self] = np.transpose(d[z])
@tangent(attr("T"))
def T_fwd(z, self): d[z] = np.transpose(d[self])
@adjoint(attr("mT"))
def mT(z, self): d[self] = np.swapaxes(d[z], -1, -2)
@tangent(attr("mT"))
def mT_fwd(z, self): d[z] = np.swapaxes(d[self], -1, -2)

# --- products and elementwise
@adjoint(method("dot"))
def dot(z, self, b, out=None):
    d[self] = dot_grad_x(d[z], self, b)
    d[b] = dot_grad_y(d[z], self, b)
@tangent(method("dot"))
def dot_fwd(z, self, b, out=None): d[z] = bilinear_tangent(np.dot, d[self], d[b], self, b, z)
@adjoint(method("clip"))
def clip(z, self, min=None, max=None, out=None):
    d[self] = d[z] * clip_inside(self, min, max)
    d[min] = unbroadcast(d[z] * clip_below(self, min, max), min)
    d[max] = unbroadcast(d[z] * clip_above(self, min, max), max)
@tangent(method("clip"))
def clip_fwd(z, self, min=None, max=None, out=None):
    d[z] = tangent_like(d[self] * clip_inside(self, min, max) + d[min] * clip_below(self, min, max) + d[max] * clip_above(self, min, max), z)
@adjoint(method("conj"), method("conjugate"), method("copy"))
def conj(z, self): d[self] = d[z]
@adjoint(attr("real"))
def real(z, self): d[self] = real_only(d[z], self)
@tangent(method("conj"), method("conjugate"), method("copy"))
def conj_fwd(z, self): d[z] = d[self]
@tangent(attr("real"))
def real_fwd(z, self): d[z] = real_only(d[self], self)
# the imaginary part of a real array is a constant (of a complex one: refused, as np.imag)
@adjoint(attr("imag"))
def imag(z, self): d[self] = real_only(zeros_like(self), self)
@tangent(attr("imag"))
def imag_fwd(z, self): d[z] = real_only(zeros_like(d[self]), self)
@adjoint(method("astype"))
def astype(z, self, dtype, order="K", casting="unsafe", subok=True, copy=True): d[self] = astype_grad(d[z], self, dtype)
@tangent(method("astype"))
def astype_fwd(z, self, dtype, order="K", casting="unsafe", subok=True, copy=True): d[z] = astype_grad(d[self], z, dtype)
@adjoint(method("tolist"))
def tolist(z, self): d[self] = tolist_grad(d[z], self)
@tangent(method("tolist"))
def tolist_fwd(z, self): d[z] = np.broadcast_to(d[self], np.shape(self)).tolist()
@adjoint(method("item"), constant=('args',))
def item(z, self, *args): d[self] = item_grad(d[z], self, args)
@tangent(method("item"), constant=('args',))
def item_fwd(z, self, *args): d[z] = float(np.ravel(fill_zero(d[self], self))[item_index(self, args)])

# --- selection
@adjoint(method("diagonal"))
def diagonal(z, self, offset=0, axis1=0, axis2=1): d[self] = diagonal_grad(d[z], self, offset, axis1, axis2)
@tangent(method("diagonal"))
def diagonal_fwd(z, self, offset=0, axis1=0, axis2=1): d[z] = np.diagonal(d[self], offset, axis1, axis2)
@adjoint(method("repeat"))
def repeat(z, self, repeats, axis=None): d[self] = scatter_back(d[z], self, np.repeat(source_index(self), repeats, axis))
@tangent(method("repeat"))
def repeat_fwd(z, self, repeats, axis=None): d[z] = np.repeat(d[self], repeats, axis)
@adjoint(method("take"))
def take(z, self, indices, axis=None, out=None, mode="raise"):
    d[self] = scatter_back(d[z], self, np.take(source_index(self), indices, axis, mode=mode))
@tangent(method("take"))
def take_fwd(z, self, indices, axis=None, out=None, mode="raise"): d[z] = np.take(d[self], indices, axis, mode=mode)
@adjoint(method("compress"))
def compress(z, self, condition, axis=None, out=None):
    d[self] = scatter_back(d[z], self, np.compress(condition, source_index(self), axis))
@tangent(method("compress"))
def compress_fwd(z, self, condition, axis=None, out=None): d[z] = np.compress(condition, d[self], axis)

nondifferentiable(method("argmax"), method("argmin"), method("argsort"), method("nonzero"), method("all"),
                  method("any"), method("round"), method("searchsorted"), method("argpartition"),
                  attr("shape"), attr("size"), attr("ndim"), attr("dtype"), attr("itemsize"),
                  attr("nbytes"), attr("strides"))


# ---------------------------------------------------------------- helpers

def method_axes(axes):
    """x.transpose(*axes) accepts (), (None,), ((1, 0),) or (1, 0): the axes tuple or None."""
    if len(axes) == 0 or (len(axes) == 1 and axes[0] is None):
        return None
    if len(axes) == 1 and np.ndim(axes[0]) == 1:
        return tuple(axes[0])
    return tuple(axes)


def inverse_axes(axes, x):
    """The axes that undo x.transpose(*axes)."""
    ax = method_axes(axes)
    if ax is None:
        return None
    return tuple(np.argsort([a % np.ndim(x) for a in ax]))


def astype_grad(g, x, dtype):
    """Gradient (or tangent) through x.astype(dtype): passes for float dtypes, zero for integer/bool."""
    refuse_object_dtype(dtype)
    if not np.issubdtype(np.dtype(dtype), np.inexact):
        return np.zeros(np.shape(x), dtype=float_dtype(x))
    return np.asarray(g).astype(float_dtype(x))


def item_index(x, args):
    """The flat index x.item(*args) reads."""
    if len(args) == 0:
        if np.size(x) != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return 0
    if len(args) == 1 and np.ndim(args[0]) == 0:
        return int(args[0]) % np.size(x)
    idx = args[0] if len(args) == 1 else args
    return int(np.ravel_multi_index(tuple(int(i) for i in idx), np.shape(x)))


def item_grad(g, x, args):
    """Gradient of x.item(*args): g at the element read, zeros elsewhere."""
    out = np.zeros(np.size(x), dtype=float_dtype(x))
    out[item_index(x, args)] = g
    return out.reshape(np.shape(x))


def tolist_grad(g, x):
    """Gradient of x.tolist(): the nested list gradient (placeholder zeros allowed) as an array like x."""
    out = np.zeros(np.shape(x), dtype=float_dtype(x))

    def fill(gs, idx):
        if is_zero(gs):
            return
        if len(idx) == out.ndim:
            out[idx] = gs
            return
        for i, e in enumerate(gs):
            fill(e, idx + (i,))
    fill(g, ())
    return out


# tolist's gradient helper, differentiated again (Hessian-vector products): linear in g
@adjoint(tolist_grad, constant=('x',))
def tolist_grad_adj(z, g, x): d[g] = grad_to_sequence(d[z], g)
@tangent(tolist_grad, constant=('x',))
def tolist_grad_fwd(z, g, x): d[z] = tolist_grad(d[g], x)
