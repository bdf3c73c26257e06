"""The math module and Python builtins on scalars."""
import math

import numpy as np

from s2s.registry import adjoint, d, nondifferentiable
from .helpers import like, real_sign

@adjoint(math.exp)
def exp(z, x): d[x] = d[z] * z
@adjoint(math.log)
def log(z, x): d[x] = d[z] / x
@adjoint(math.sin)
def sin(z, x): d[x] = d[z] * math.cos(x)
@adjoint(math.cos)
def cos(z, x): d[x] = -d[z] * math.sin(x)
@adjoint(math.tan)
def tan(z, x): d[x] = d[z] * (1 + z * z)
@adjoint(math.tanh)
def tanh(z, x): d[x] = d[z] * (1 - z * z)
@adjoint(math.sqrt)
def sqrt(z, x): d[x] = d[z] * 0.5 / z
@adjoint(math.pow)
def pow(z, x, y):
    d[x] = d[z] * y * math.pow(x, y - 1)
    d[y] = d[z] * z * math.log(x)
@adjoint(abs)
def abs_(z, x): d[x] = d[z] * real_sign(x)
@adjoint(float)
def float_(z, x): d[x] = like(d[z], x)

nondifferentiable(math.floor, math.ceil, math.trunc, int, len, range, round, bool, isinstance)
