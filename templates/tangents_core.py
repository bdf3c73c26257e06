"""Forward-mode (tangent) rules for operators.py, numpy_core.py and math_rules.py.

``d[z] = ...`` gives the tangent of the result from the tangents of the
arguments. The compiler fills in the literal 0 for the tangent of an
inactive argument and folds it away (``0 * a``, ``np.sum(0)``), so a rule is
written for the case where every argument is active. Sums of tangents go
through ``tangent_like(..., z)``: when an operand is inactive its tangent
vanishes and the rest may have a smaller (broadcast) shape than the result;
the compiler drops the wrapper when every operand is active.
"""
import math
import operator

import numpy as np

from s2s.registry import d, tangent
from .bcast import tangent_like

# ---------------------------------------------------------------- operators
@tangent(operator.add, np.add)
def add(z, x, y): d[z] = tangent_like(d[x] + d[y], z)
@tangent(operator.sub, np.subtract)
def sub(z, x, y): d[z] = tangent_like(d[x] - d[y], z)
@tangent(operator.mul, np.multiply)
def mul(z, x, y): d[z] = d[x] * y + x * d[y]
@tangent(operator.truediv, np.divide, np.true_divide)
def truediv(z, x, y): d[z] = (d[x] - z * d[y]) / y
@tangent(operator.pow)
def pow_(z, x, y): d[z] = d[x] * y * x ** (y - 1) + d[y] * z * np.log(np.where(x > 0, x, 1.0))
@tangent(np.power)
def power(z, x, y): d[z] = d[x] * y * np.power(x, y - 1) + d[y] * z * np.log(np.where(x > 0, x, 1.0))
@tangent(operator.matmul, np.matmul)
def matmul(z, x, y): d[z] = d[x] @ y + x @ d[y]
@tangent(operator.neg, np.negative)
def neg(z, x): d[z] = -d[x]
@tangent(operator.pos)
def pos(z, x): d[z] = d[x]
@tangent(operator.mod)
def mod(z, x, y): d[z] = tangent_like(d[x] - d[y] * np.floor_divide(x, y), z)

# ---------------------------------------------------------------- numpy, elementwise
@tangent(np.exp)
def exp(z, x): d[z] = d[x] * z
@tangent(np.log)
def log(z, x): d[z] = d[x] / x
@tangent(np.sin)
def sin(z, x): d[z] = d[x] * np.cos(x)
@tangent(np.cos)
def cos(z, x): d[z] = -d[x] * np.sin(x)
@tangent(np.tan)
def tan(z, x): d[z] = d[x] * (1 + z * z)
@tangent(np.tanh)
def tanh(z, x): d[z] = d[x] * (1 - z * z)
@tangent(np.sqrt)
def sqrt(z, x): d[z] = d[x] * 0.5 / z
@tangent(np.square)
def square(z, x): d[z] = d[x] * 2 * x
@tangent(np.abs, np.absolute)
def absolute(z, x): d[z] = d[x] * np.sign(x)
@tangent(np.maximum)
def maximum(z, x, y): d[z] = tangent_like(np.where(x >= y, d[x], d[y]), z)
@tangent(np.minimum)
def minimum(z, x, y): d[z] = tangent_like(np.where(x <= y, d[x], d[y]), z)
@tangent(np.where, constant=('c',))
def where(z, c, x, y): d[z] = tangent_like(np.where(c, d[x], d[y]), z)

# ---------------------------------------------------------------- reductions, linear algebra, shape
@tangent(np.sum)
def sum_(z, x, axis=None, keepdims=False): d[z] = np.sum(d[x], axis=axis, keepdims=keepdims)
@tangent(np.mean)
def mean(z, x, axis=None, keepdims=False): d[z] = np.mean(d[x], axis=axis, keepdims=keepdims)
@tangent(np.dot)
def dot(z, x, y): d[z] = np.dot(d[x], y) + np.dot(x, d[y])
@tangent(np.reshape)
def reshape(z, a, shape=None, order="C", newshape=None, copy=None): d[z] = np.reshape(d[a], np.shape(z), order=order)
@tangent(np.transpose)
def transpose(z, a, axes=None): d[z] = np.transpose(d[a], axes)

# ---------------------------------------------------------------- math and builtins on scalars
@tangent(math.exp)
def math_exp(z, x): d[z] = d[x] * z
@tangent(math.log)
def math_log(z, x): d[z] = d[x] / x
@tangent(math.sin)
def math_sin(z, x): d[z] = d[x] * math.cos(x)
@tangent(math.cos)
def math_cos(z, x): d[z] = -d[x] * math.sin(x)
@tangent(math.tan)
def math_tan(z, x): d[z] = d[x] * (1 + z * z)
@tangent(math.tanh)
def math_tanh(z, x): d[z] = d[x] * (1 - z * z)
@tangent(math.sqrt)
def math_sqrt(z, x): d[z] = d[x] * 0.5 / z
@tangent(math.pow)
def math_pow(z, x, y): d[z] = d[x] * y * math.pow(x, y - 1) + d[y] * z * math.log(x)
@tangent(abs)
def abs_(z, x): d[z] = d[x] * ((x > 0) * 1.0 - (x < 0) * 1.0)
@tangent(float)
def float_(z, x): d[z] = float(d[x])
@tangent(list)
def list_(z, x): d[z] = list(d[x])
@tangent(tuple)
def tuple_(z, x): d[z] = tuple(d[x])

# ---------------------------------------------------------------- structures.py (arrays built from lists; builtin sum's tangent is there)
@tangent(np.array)
def array(z, object, dtype=None, copy=True, order="K", subok=False, ndmin=0): d[z] = np.array(d[object], ndmin=ndmin)
@tangent(np.asarray, np.asanyarray)
def asarray(z, a, dtype=None, order=None, copy=None): d[z] = np.asarray(d[a])
@tangent(np.stack)
def stack(z, arrays, axis=0, out=None, dtype=None, casting="same_kind"): d[z] = np.stack(d[arrays], axis)
