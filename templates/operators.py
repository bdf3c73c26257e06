"""Python's arithmetic operators (the normalizer turns `a + b` into operator.add)."""
import operator

from s2s.registry import array_valued, adjoint, d, nondifferentiable, tangent
from s2s.runtime import unbroadcast, as_array, is_foreign, namespace, broadcast_like
from s2s.runtime_writes import merged_grad, merged_tangent
from s2s.rule_helpers import like, tangent_like, power_slope
import numpy as np

# --- binary arithmetic: contributions are summed back to each operand's shape
@adjoint(operator.add)
def add(z, x, y):
    d[x] = unbroadcast(d[z], x)
    d[y] = unbroadcast(d[z], y)


@adjoint(operator.sub)
def sub(z, x, y):
    d[x] = unbroadcast(d[z], x)
    d[y] = unbroadcast(-d[z], y)


@adjoint(operator.mul)
def mul(z, x, y):
    d[x] = unbroadcast(d[z] * y, x)
    d[y] = unbroadcast(d[z] * x, y)


@adjoint(operator.truediv)
def truediv(z, x, y):
    d[x] = unbroadcast(d[z] / y, x)
    d[y] = unbroadcast(-d[z] * z / y, y)


@adjoint(operator.pow)
def pow(z, x, y):
    d[x] = unbroadcast(d[z] * power_slope(x, y), x)
    d[y] = unbroadcast(d[z] * z * np.log(np.where(x > 0, x, 1.0)), y)


@adjoint(operator.matmul)
def matmul(z, x, y):
    d[x] = matmul_grad_x(d[z], x, y)
    d[y] = matmul_grad_y(d[z], x, y)


@adjoint(operator.neg)
def neg(z, x):
    d[x] = -d[z]


@adjoint(operator.pos)
def pos(z, x):
    d[x] = d[z]


@adjoint(operator.mod)
def mod(z, x, y):
    d[x] = unbroadcast(d[z], x)
    d[y] = unbroadcast(-d[z] * np.floor_divide(x, y), y)


nondifferentiable(operator.floordiv, operator.not_, operator.invert, operator.and_,
                  operator.xor, operator.lshift, operator.rshift)


# `p | q` merges dicts (later keys win): each entry's gradient goes back to the dict it came from. On ints,
# bools and sets `|` has no derivative (merged_grad and merged_tangent give zeros).
@adjoint(operator.or_)
def or_(z, x, y):
    d[x] = merged_grad(d[z], x, (y,))
    d[y] = merged_grad(d[z], y, ())


@tangent(operator.or_)
def or_fwd(z, x, y): d[z] = merged_tangent(z, x, y, d[x], d[y])


def _matmul_shape(x, y):
    """The shape of ``x @ y``, without computing it."""
    sx, sy = np.shape(x), np.shape(y)
    if len(sx) == 1 and len(sy) == 1:
        return ()
    if len(sx) == 1:
        return sy[:-2] + sy[-1:]
    if len(sy) == 1:
        return sx[:-1]
    return np.broadcast_shapes(sx[:-2], sy[:-2]) + (sx[-2], sy[-1])


def _full_grad(g, x, y):
    """A scalar gradient of ``x @ y`` (a placeholder 0.0, or a scalar seed) as an array of its shape."""
    if np.ndim(g) == 0 and (is_foreign(x) or is_foreign(y)):
        return broadcast_like(g, _matmul_shape(x, y), x if is_foreign(x) else y)
    return np.broadcast_to(g, _matmul_shape(x, y)) if np.ndim(g) == 0 else g


def _mT(a):
    """a with its last two axes swapped, in its own namespace (array-API arrays: matrix_transpose)."""
    return namespace(a).matrix_transpose(a) if is_foreign(a) and not hasattr(a, "__array_function__") \
        else np.swapaxes(a, -1, -2)


def _sparse(a):
    """True for a scipy.sparse matrix or array (without importing scipy)."""
    return type(a).__module__.startswith("scipy.sparse")


def matmul_grad_x(g, x, y):
    """Gradient of x @ y with respect to x, for 1-d, 2-d and batched operands."""
    g = _full_grad(g, x, y)
    if type(x) is np.ndarray and type(y) is np.ndarray and x.ndim == 2 and y.ndim == 2:
        return like(g @ y.T, x)   # the common case, without the general machinery
    if _sparse(y):   # x @ L, L a constant scipy.sparse matrix
        return unbroadcast(np.asarray(g @ y.T), x)
    x, y, g = as_array(x), as_array(y), as_array(g)   # Dask, array-API arrays stay as they are
    if x.ndim == 1 and y.ndim == 1:
        return g * y
    if x.ndim == 1:
        return unbroadcast((y @ g[..., None])[..., 0], x)
    if y.ndim == 1:
        return unbroadcast(g[..., None] * y, x)
    return unbroadcast(g @ _mT(y), x)


def matmul_grad_y(g, x, y):
    """Gradient of x @ y with respect to y, for 1-d, 2-d and batched operands."""
    g = _full_grad(g, x, y)
    if type(x) is np.ndarray and type(y) is np.ndarray and x.ndim == 2 and y.ndim == 2:
        return like(x.T @ g, y)
    if type(x) is np.ndarray and type(y) is np.ndarray and x.ndim == 2 and y.ndim == 1:
        return like(x.T @ g, y)   # X @ w: the gradient of w is X.T @ g
    if _sparse(x):   # L @ x, L a constant scipy.sparse matrix (a graph Laplacian, a finite-difference stencil)
        return unbroadcast(np.asarray(x.T @ g), y)
    x, y, g = as_array(x), as_array(y), as_array(g)   # Dask, array-API arrays stay as they are
    if x.ndim == 1 and y.ndim == 1:
        return g * x
    if x.ndim == 1:
        return unbroadcast(x[:, None] * g[..., None, :], y)
    if y.ndim == 1:
        return unbroadcast((_mT(x) @ g[..., None])[..., 0], y)
    return unbroadcast(_mT(x) @ g, y)


array_valued(matmul_grad_x, matmul_grad_y)   # gradient helpers that return arrays (no as_grad needed: s2s/reverse.py)

# --- forward mode (tangents): d[z] from the arguments' tangents
@tangent(operator.add, np.add)
def add_fwd(z, x, y): d[z] = tangent_like(d[x] + d[y], z)
@tangent(operator.sub, np.subtract)
def sub_fwd(z, x, y): d[z] = tangent_like(d[x] - d[y], z)
@tangent(operator.mul, np.multiply)
def mul_fwd(z, x, y): d[z] = d[x] * y + x * d[y]
@tangent(operator.truediv, np.divide, np.true_divide)
def truediv_fwd(z, x, y): d[z] = (d[x] - z * d[y]) / y
@tangent(operator.pow)
def pow_(z, x, y): d[z] = d[x] * power_slope(x, y) + d[y] * z * np.log(np.where(x > 0, x, 1.0))
@tangent(np.power)
def power(z, x, y): d[z] = d[x] * power_slope(x, y) + d[y] * z * np.log(np.where(x > 0, x, 1.0))
@tangent(operator.matmul, np.matmul)
def matmul_fwd(z, x, y): d[z] = d[x] @ y + x @ d[y]
@tangent(operator.neg, np.negative)
def neg_fwd(z, x): d[z] = -d[x]
@tangent(operator.pos)
def pos_fwd(z, x): d[z] = d[x]
@tangent(operator.mod)
def mod_fwd(z, x, y): d[z] = tangent_like(d[x] - d[y] * np.floor_divide(x, y), z)
