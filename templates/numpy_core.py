"""Core NumPy rules (the full library grows in its own modules)."""
import numpy as np

from s2s.registry import array_valued, adjoint, d, elementwise, nondifferentiable, tangent, zero_if
from s2s.runtime import unbroadcast
from s2s.rule_helpers import tangent_like, power_slope
from .operators import matmul_grad_x, matmul_grad_y
from s2s.rule_helpers import float_dtype, grad_reduce, like, real_only, real_sign, reduced_count

# --- elementwise, one argument
@elementwise(np.exp)
def exp(z, x, g): return g * z
@elementwise(np.log)
def log(z, x, g): return g / x
@elementwise(np.sin)
def sin(z, x, g): return g * np.cos(x)
@elementwise(np.cos)
def cos(z, x, g): return -g * np.sin(x)
@elementwise(np.tan)
def tan(z, x, g): return g * (1 + z * z)
@elementwise(np.tanh)
def tanh(z, x, g): return g * (1 - z * z)
@elementwise(np.sqrt)
def sqrt(z, x, g): return g * 0.5 / z
@elementwise(np.square)
def square(z, x, g): return g * 2 * x
@adjoint(np.abs, np.absolute)
def abs(z, x): d[x] = d[z] * real_sign(x)
@adjoint(np.negative)
def negative(z, x): d[x] = -d[z]

# --- elementwise, two arguments (broadcasting)
@adjoint(np.add)
def add(z, x, y):
    d[x] = unbroadcast(d[z], x)
    d[y] = unbroadcast(d[z], y)
@adjoint(np.subtract)
def subtract(z, x, y):
    d[x] = unbroadcast(d[z], x)
    d[y] = unbroadcast(-d[z], y)
@adjoint(np.multiply)
def multiply(z, x, y):
    d[x] = unbroadcast(d[z] * y, x)
    d[y] = unbroadcast(d[z] * x, y)
@adjoint(np.divide, np.true_divide)
def divide(z, x, y):
    d[x] = unbroadcast(d[z] / y, x)
    d[y] = unbroadcast(-d[z] * z / y, y)
@adjoint(np.power)
def power(z, x, y):
    d[x] = unbroadcast(d[z] * power_slope(x, y), x)
    d[y] = unbroadcast(d[z] * z * np.log(np.where(x > 0, x, 1.0)), y)
@adjoint(np.maximum)
def maximum(z, x, y):
    d[x] = unbroadcast(d[z] * (x >= y), x)
    d[y] = unbroadcast(d[z] * (x < y), y)
@adjoint(np.minimum)
def minimum(z, x, y):
    d[x] = unbroadcast(d[z] * (x <= y), x)
    d[y] = unbroadcast(d[z] * (x > y), y)
@adjoint(np.where, constant=('c',))
def where(z, c, x, y):
    d[x] = unbroadcast(np.where(c, d[z], 0.0), x)
    d[y] = unbroadcast(np.where(c, 0.0, d[z]), y)

# --- reductions
@adjoint(np.sum)
def sum(z, x, axis=None, dtype=None, keepdims=False):
    d[x] = grad_reduce(d[z], x, axis, keepdims)
@adjoint(np.mean)
def mean(z, x, axis=None, dtype=None, keepdims=False):
    d[x] = grad_reduce(d[z] / reduced_count(x, axis), x, axis, keepdims)   # a view: no array of 1/n materialised

# --- linear algebra
@adjoint(np.dot)
def dot(z, x, y):
    d[x] = dot_grad_x(d[z], x, y)
    d[y] = dot_grad_y(d[z], x, y)
@adjoint(np.matmul)
def matmul(z, x, y):
    d[x] = matmul_grad_x(d[z], x, y)
    d[y] = matmul_grad_y(d[z], x, y)

# --- shape
@adjoint(np.reshape)
def reshape(z, a, shape):
    d[a] = np.reshape(d[z], np.shape(a))
@adjoint(np.transpose)
def transpose(z, a, axes=None):
    d[a] = np.transpose(d[z], None if axes is None else np.argsort(axes))

# the complex guards of abs and real (s2s/rule_helpers.py): linear in g, and a sign
@adjoint(real_only, constant=('x',))
def real_only_(z, g, x): d[g] = real_only(d[z], x)
@tangent(real_only, constant=('x',))
def real_only_fwd(z, g, x): d[z] = real_only(d[g], x)
nondifferentiable(real_sign, float_dtype)
# the dtype policy's cast (s2s/rule_helpers.py): linear in g
@adjoint(like, constant=('x',))
def like_(z, g, x): d[g] = like(d[z], g)
@tangent(like, constant=('x',))
def like_fwd(z, g, x): d[z] = like(d[g], x)

nondifferentiable(np.floor, np.ceil, np.sign, np.argmax, np.argmin, np.shape, np.size,
                  np.zeros_like, np.ones_like, np.zeros, np.ones, np.arange)


def dot_grad_x(g, x, y):
    """Gradient of np.dot(x, y) with respect to x.

    For y with more than two axes, np.dot is not matmul: it contracts x's last
    axis with y's second-to-last, and the result's axes are x's (but the last)
    followed by y's (but the contracted one): dot(x, y)[i.., j.., k] =
    sum_m x[i.., m] y[j.., m, k].
    """
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return unbroadcast(g * y, x)
    if np.ndim(y) <= 2:
        return matmul_grad_x(g, x, y)
    nx, ny = np.ndim(x), np.ndim(y)
    return np.tensordot(g, y, (tuple(range(nx - 1, np.ndim(g))), tuple(i for i in range(ny) if i != ny - 2)))


def dot_grad_y(g, x, y):
    """Gradient of np.dot(x, y) with respect to y (see dot_grad_x for y with more than two axes)."""
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return unbroadcast(g * x, y)
    if np.ndim(y) <= 2:
        return matmul_grad_y(g, x, y)
    nx = np.ndim(x)
    # sum over x's leading axes i..: (m, j.., k), then m back to y's second-to-last place
    return np.moveaxis(np.tensordot(x, g, (tuple(range(nx - 1)), tuple(range(nx - 1)))), 0, -2)


array_valued(dot_grad_x, dot_grad_y)   # gradient helpers that return arrays (no as_grad needed: s2s/reverse.py)

# --- forward mode (tangents) of the functions above
@tangent(np.abs, np.absolute)
def absolute(z, x): d[z] = d[x] * real_sign(x)
@tangent(np.maximum)
def maximum_fwd(z, x, y): d[z] = tangent_like(np.where(x >= y, d[x], d[y]), z)
@tangent(np.minimum)
def minimum_fwd(z, x, y): d[z] = tangent_like(np.where(x <= y, d[x], d[y]), z)
@tangent(np.where, constant=('c',))
def where_fwd(z, c, x, y): d[z] = tangent_like(np.where(c, d[x], d[y]), z)

# reductions, linear algebra, shape
@tangent(np.sum)
def sum_(z, x, axis=None, dtype=None, keepdims=False): d[z] = np.sum(d[x], axis=axis, keepdims=keepdims)
@tangent(np.mean)
def mean_fwd(z, x, axis=None, dtype=None, keepdims=False): d[z] = np.mean(d[x], axis=axis, keepdims=keepdims)
@tangent(np.dot)
def dot_fwd(z, x, y): d[z] = np.dot(d[x], y) + np.dot(x, d[y])
@tangent(np.reshape)
def reshape_fwd(z, a, shape=None, order="C", newshape=None, copy=None): d[z] = np.reshape(d[a], np.shape(z), order=order)
@tangent(np.transpose)
def transpose_fwd(z, a, axes=None): d[z] = np.transpose(d[a], axes)


# --- forward mode: calls that are zero when their arguments are (registry.zero_if)
zero_if(np.sum, np.mean, np.reshape, np.transpose, np.broadcast_to, np.negative, np.real, np.conjugate, np.ldexp,
        np.expand_dims, np.squeeze, np.ravel, np.swapaxes, np.moveaxis, np.cumsum, np.trace, np.diag, any_of=(0,))
zero_if(np.dot, np.matmul, np.multiply, np.tensordot, np.outer, np.inner, np.kron, any_of=(0, 1))
zero_if(np.where, all_of=(1, 2))
