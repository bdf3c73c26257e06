"""Core NumPy rules (the full library grows in its own modules)."""
import numpy as np

from s2s.registry import array_valued, adjoint, tangent, d, nondifferentiable
from s2s.runtime import unbroadcast
from .operators import matmul_grad_x, matmul_grad_y
from .helpers import float_dtype, grad_reduce, grad_reshape, like, real_only, real_sign, reduced_count

# --- elementwise, one argument
@adjoint(np.exp)
def exp(z, x): d[x] = d[z] * z
@adjoint(np.log)
def log(z, x): d[x] = d[z] / x
@adjoint(np.sin)
def sin(z, x): d[x] = d[z] * np.cos(x)
@adjoint(np.cos)
def cos(z, x): d[x] = -d[z] * np.sin(x)
@adjoint(np.tan)
def tan(z, x): d[x] = d[z] * (1 + z * z)
@adjoint(np.tanh)
def tanh(z, x): d[x] = d[z] * (1 - z * z)
@adjoint(np.sqrt)
def sqrt(z, x): d[x] = d[z] * 0.5 / z
@adjoint(np.square)
def square(z, x): d[x] = d[z] * 2 * x
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
    d[x] = unbroadcast(d[z] * y * np.power(x, y - 1), x)
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
def sum(z, x, axis=None, keepdims=False):
    d[x] = grad_reduce(d[z], x, axis, keepdims)
@adjoint(np.mean)
def mean(z, x, axis=None, keepdims=False):
    d[x] = grad_reduce(d[z], x, axis, keepdims) / reduced_count(x, axis)

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

# the complex guards of abs and real (helpers.py): linear in g, and a sign
@adjoint(real_only, constant=('x',))
def real_only_(z, g, x): d[g] = real_only(d[z], x)
@tangent(real_only, constant=('x',))
def real_only_fwd(z, g, x): d[z] = real_only(d[g], x)
nondifferentiable(real_sign, float_dtype)
# the dtype policy's cast (helpers.py): linear in g
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
