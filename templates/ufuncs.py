"""Elementwise NumPy functions (ufuncs and friends) beyond numpy_core.

One line per rule: the reverse template scales the incoming gradient by the
local derivative, the forward template scales the incoming tangent by it.
Binary rules sum their reverse contributions back to each operand's shape
(``unbroadcast``) and give their forward result the output's shape
(``tangent_like``).

Kinks: fabs at 0, fmax/fmin and clip at ties or bounds, mod/fmod where the
quotient jumps. The subgradient used there is the one of the matching
``np.where`` expression; tests keep away from the kinks.
"""
import math

import numpy as np

from s2s.registry import adjoint, d, elementwise, tangent
from s2s.runtime import GradList, unbroadcast, zeros_like
from s2s.rule_helpers import float_dtype, is_zero, like, real_only, tangent_like

LN2 = math.log(2.0)     # Python floats: they keep float32 float32 (NumPy scalars would promote)
LN10 = math.log(10.0)
DEG = np.pi / 180.0

# --- exponentials and logarithms
@elementwise(np.exp2)
def exp2(z, x, g): return g * z * LN2
@elementwise(np.expm1)
def expm1(z, x, g): return g * (z + 1)
@elementwise(np.log2)
def log2(z, x, g): return g / (x * LN2)
@elementwise(np.log10)
def log10(z, x, g): return g / (x * LN10)
@elementwise(np.log1p)
def log1p(z, x, g): return g / (1 + x)

# --- powers and roots
@elementwise(np.cbrt)
def cbrt(z, x, g): return g / (3 * z * z)
@elementwise(np.reciprocal)
def reciprocal(z, x, g): return -g * z * z
@elementwise(np.fabs)
def fabs(z, x, g): return g * np.sign(x)
@elementwise(np.positive)
def positive(z, x, g): return g

# --- inverse trigonometric
@elementwise(np.arcsin)
def arcsin(z, x, g): return g / np.sqrt(1 - x * x)
@elementwise(np.arccos)
def arccos(z, x, g): return -g / np.sqrt(1 - x * x)
@elementwise(np.arctan)
def arctan(z, x, g): return g / (1 + x * x)

# --- hyperbolic and inverse hyperbolic
@elementwise(np.sinh)
def sinh(z, x, g): return g * np.cosh(x)
@elementwise(np.cosh)
def cosh(z, x, g): return g * np.sinh(x)
@elementwise(np.arcsinh)
def arcsinh(z, x, g): return g / np.sqrt(x * x + 1)
@elementwise(np.arccosh)
def arccosh(z, x, g): return g / np.sqrt(x * x - 1)
@elementwise(np.arctanh)
def arctanh(z, x, g): return g / (1 - x * x)

# --- angles, sinc, identities on real input
@elementwise(np.deg2rad, np.radians)
def deg2rad(z, x, g): return g * DEG
@elementwise(np.rad2deg, np.degrees)
def rad2deg(z, x, g): return g / DEG
@elementwise(np.sinc)
def sinc(z, x, g): return g * sinc_deriv(x)
@adjoint(np.conjugate)
def conjugate(z, x): d[x] = d[z]
@adjoint(np.real)
def real(z, val): d[val] = real_only(d[z], val)
@tangent(np.conjugate)
def conjugate_fwd(z, x): d[z] = d[x]
@tangent(np.real)
def real_fwd(z, val): d[z] = real_only(d[val], val)
@adjoint(np.real_if_close, constant=("tol",))
def real_if_close(z, a, tol=100): d[a] = real_only(d[z], a)
@tangent(np.real_if_close, constant=("tol",))
def real_if_close_fwd(z, a, tol=100): d[z] = real_only(d[a], a)
# the imaginary part and the angle of a real number are constants (the angle jumps from 0 to pi at 0)
@adjoint(np.imag)
def imag(z, val): d[val] = real_only(zeros_like(val), val)
@tangent(np.imag)
def imag_fwd(z, val): d[z] = real_only(zeros_like(d[val]), val)
@adjoint(np.angle, constant=("deg",))
def angle(r, z, deg=False): d[z] = real_only(zeros_like(z), z)
@tangent(np.angle, constant=("deg",))
def angle_fwd(r, z, deg=False): d[r] = real_only(zeros_like(d[z]), z)
@adjoint(np.nan_to_num)
def nan_to_num(z, x, copy=True, nan=0.0, posinf=None, neginf=None): d[x] = d[z] * np.isfinite(x)
@tangent(np.nan_to_num)
def nan_to_num_fwd(z, x, copy=True, nan=0.0, posinf=None, neginf=None): d[z] = d[x] * np.isfinite(x)

# --- binary, broadcasting
@adjoint(np.logaddexp)
def logaddexp(z, x1, x2):
    d[x1] = unbroadcast(d[z] * np.exp(x1 - z), x1)
    d[x2] = unbroadcast(d[z] * np.exp(x2 - z), x2)
@tangent(np.logaddexp)
def logaddexp_fwd(z, x1, x2): d[z] = tangent_like(d[x1] * np.exp(x1 - z) + d[x2] * np.exp(x2 - z), z)
@adjoint(np.logaddexp2)
def logaddexp2(z, x1, x2):
    d[x1] = unbroadcast(d[z] * np.exp2(x1 - z), x1)
    d[x2] = unbroadcast(d[z] * np.exp2(x2 - z), x2)
@tangent(np.logaddexp2)
def logaddexp2_fwd(z, x1, x2): d[z] = tangent_like(d[x1] * np.exp2(x1 - z) + d[x2] * np.exp2(x2 - z), z)
@adjoint(np.arctan2)
def arctan2(z, x1, x2):
    d[x1] = unbroadcast(d[z] * x2 / (x1 * x1 + x2 * x2), x1)
    d[x2] = unbroadcast(-d[z] * x1 / (x1 * x1 + x2 * x2), x2)
@tangent(np.arctan2)
def arctan2_fwd(z, x1, x2): d[z] = tangent_like((d[x1] * x2 - d[x2] * x1) / (x1 * x1 + x2 * x2), z)
@adjoint(np.hypot)
def hypot(z, x1, x2):
    d[x1] = unbroadcast(d[z] * x1 / z, x1)
    d[x2] = unbroadcast(d[z] * x2 / z, x2)
@tangent(np.hypot)
def hypot_fwd(z, x1, x2): d[z] = tangent_like((d[x1] * x1 + d[x2] * x2) / z, z)
@adjoint(np.float_power)
def float_power(z, x1, x2):
    d[x1] = unbroadcast(d[z] * x2 * np.float_power(x1, x2 - 1), x1)
    d[x2] = unbroadcast(d[z] * z * np.log(np.where(x1 > 0, x1, 1.0)), x2)
@tangent(np.float_power)
def float_power_fwd(z, x1, x2):
    d[z] = tangent_like(d[x1] * x2 * np.float_power(x1, x2 - 1) + d[x2] * z * np.log(np.where(x1 > 0, x1, 1.0)), z)
@adjoint(np.fmax)
def fmax(z, x1, x2):
    d[x1] = unbroadcast(d[z] * pick_first(x1, x2, np.greater_equal), x1)
    d[x2] = unbroadcast(d[z] * (1 - pick_first(x1, x2, np.greater_equal)), x2)
@tangent(np.fmax)
def fmax_fwd(z, x1, x2): d[z] = tangent_like(np.where(pick_first(x1, x2, np.greater_equal), d[x1], d[x2]), z)
@adjoint(np.fmin)
def fmin(z, x1, x2):
    d[x1] = unbroadcast(d[z] * pick_first(x1, x2, np.less_equal), x1)
    d[x2] = unbroadcast(d[z] * (1 - pick_first(x1, x2, np.less_equal)), x2)
@tangent(np.fmin)
def fmin_fwd(z, x1, x2): d[z] = tangent_like(np.where(pick_first(x1, x2, np.less_equal), d[x1], d[x2]), z)
@adjoint(np.mod)
def mod(z, x1, x2):
    d[x1] = unbroadcast(d[z], x1)
    d[x2] = unbroadcast(-d[z] * np.floor_divide(x1, x2), x2)
@tangent(np.mod)
def mod_fwd(z, x1, x2): d[z] = tangent_like(d[x1] - d[x2] * np.floor_divide(x1, x2), z)
@adjoint(np.fmod)
def fmod(z, x1, x2):
    d[x1] = unbroadcast(d[z], x1)
    d[x2] = unbroadcast(-d[z] * np.trunc(x1 / x2), x2)
@tangent(np.fmod)
def fmod_fwd(z, x1, x2): d[z] = tangent_like(d[x1] - d[x2] * np.trunc(x1 / x2), z)
@adjoint(np.copysign, constant=('x2',))
def copysign(z, x1, x2):
    d[x1] = unbroadcast(d[z] * np.sign(x1) * np.copysign(1.0, x2), x1)
@tangent(np.copysign, constant=('x2',))
def copysign_fwd(z, x1, x2): d[z] = tangent_like(d[x1] * np.sign(x1) * np.copysign(1.0, x2), z)
# nextafter(x1, x2): x1 moved by one ulp toward x2: derivative 1 in x1 (almost everywhere), none in x2
@adjoint(np.nextafter, constant=('x2',))
def nextafter(z, x1, x2): d[x1] = unbroadcast(d[z] * np.ones_like(z), x1)
@tangent(np.nextafter, constant=('x2',))
def nextafter_fwd(z, x1, x2): d[z] = tangent_like(d[x1] * np.ones_like(z), z)
@adjoint(np.ldexp, constant=('x2',))
def ldexp(z, x1, x2):
    d[x1] = unbroadcast(np.ldexp(d[z], x2), x1)
@tangent(np.ldexp, constant=('x2',))
def ldexp_fwd(z, x1, x2): d[z] = tangent_like(np.ldexp(d[x1], x2), z)

# --- clip: numpy 2 spells the bounds a_min/a_max or min/max
@adjoint(np.clip)
def clip(z, a, a_min=None, a_max=None, out=None, min=None, max=None):
    d[a] = unbroadcast(d[z] * clip_inside(a, a_min, a_max, min, max), a)
    d[a_min] = unbroadcast(d[z] * clip_below(a, a_min, a_max, min, max), a_min)
    d[a_max] = unbroadcast(d[z] * clip_above(a, a_min, a_max, min, max), a_max)
    d[min] = unbroadcast(d[z] * clip_below(a, a_min, a_max, min, max), min)
    d[max] = unbroadcast(d[z] * clip_above(a, a_min, a_max, min, max), max)
@tangent(np.clip)
def clip_fwd(z, a, a_min=None, a_max=None, out=None, min=None, max=None):
    d[z] = tangent_like(d[a] * clip_inside(a, a_min, a_max, min, max) + (d[a_min] + d[min]) * clip_below(a, a_min, a_max, min, max) + (d[a_max] + d[max]) * clip_above(a, a_min, a_max, min, max), z)

# --- interp: piecewise linear in x and in fp (xp is the grid, kept constant)
@adjoint(np.interp)
def interp(z, x, xp, fp, left=None, right=None, period=None):
    d[x] = like(d[z] * interp_slope(x, xp, fp, left, right, period), x)
    d[fp] = like(interp_grad_fp(d[z], x, xp, fp, left, right, period), fp)
@tangent(np.interp)
def interp_fwd(z, x, xp, fp, left=None, right=None, period=None):
    d[z] = tangent_like(d[x] * interp_slope(x, xp, fp, left, right, period) + interp_tangent_fp(d[fp], x, xp, fp, left, right, period), z)

# --- polynomials: np.polyval(p, x) in p (a list or an array of coefficients) and x; np.vander(x)
@adjoint(np.polyval)
def polyval(z, p, x):
    d[p] = polyval_grad_p(d[z], p, x)
    d[x] = unbroadcast(d[z] * np.polyval(np.polyder(p), x), x)
@tangent(np.polyval)
def polyval_fwd(z, p, x): d[z] = like(tangent_like(polyval_tangent_p(d[p], p, x) + d[x] * np.polyval(np.polyder(p), x), z), z)
@adjoint(np.vander)
def vander(z, x, N=None, increasing=False): d[x] = like(np.sum(d[z] * vander_deriv(x, N, increasing), axis=-1), x)
@tangent(np.vander)
def vander_fwd(z, x, N=None, increasing=False): d[z] = like(np.expand_dims(d[x], -1) * vander_deriv(x, N, increasing), z)


# ---------------------------------------------------------------- helpers

def sinc_deriv(x):
    """d/dx sinc(x) = (cos(pi x) - sinc(x)) / x, which is 0 at x = 0."""
    x = np.asarray(x, dtype=float) if not hasattr(x, "dtype") else x
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 0.0, (np.cos(np.pi * safe) - np.sinc(safe)) / safe)


def pick_first(x1, x2, cmp):
    """fmax/fmin: 1.0 where the result is x1 (cmp holds, or x2 is NaN), else 0.0."""
    return np.logical_or(cmp(x1, x2), np.isnan(x2)) * 1.0


def _bounds(lo, hi, lo2, hi2):
    return (lo if lo is not None else lo2), (hi if hi is not None else hi2)


def clip_inside(a, a_min, a_max, lo=None, hi=None):
    """1.0 where clip passes ``a`` through (strictly inside the bounds counts, ties go to a)."""
    lo, hi = _bounds(a_min, a_max, lo, hi)
    m = np.ones(np.shape(a), dtype=bool)
    if lo is not None:
        m = m & (a >= lo)
    if hi is not None:
        m = m & (a <= hi)
    return m.astype(float_dtype(a))


def clip_below(a, a_min, a_max, lo=None, hi=None):
    """1.0 where the result is the lower bound."""
    lo, hi = _bounds(a_min, a_max, lo, hi)
    if lo is None:
        return 0.0
    m = a < lo
    if hi is not None:
        m = m & (lo <= hi)
    return m.astype(float_dtype(a))


def clip_above(a, a_min, a_max, lo=None, hi=None):
    """1.0 where the result is the upper bound (numpy applies the upper bound last)."""
    lo, hi = _bounds(a_min, a_max, lo, hi)
    if hi is None:
        return 0.0
    m = a > hi
    if lo is not None:
        m = m | (lo > hi)
    return m.astype(float_dtype(a))


def _interp_cell(x, xp):
    """Index i with xp[i] <= x < xp[i+1] (clamped), and whether x is inside [xp[0], xp[-1]]."""
    xp = np.asarray(xp)
    i = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(xp) - 2)
    inside = (np.asarray(x) >= xp[0]) & (np.asarray(x) <= xp[-1])
    return i, inside


def interp_slope(x, xp, fp, left=None, right=None, period=None):
    """d np.interp(x, xp, fp) / dx: the slope of the segment x falls in (0 outside)."""
    if period is not None:
        raise NotImplementedError("s2s: gradient of np.interp with period is not supported")
    xp, fp = np.asarray(xp, dtype=float), np.asarray(fp, dtype=float)
    i, inside = _interp_cell(x, xp)
    slope = (fp[i + 1] - fp[i]) / (xp[i + 1] - xp[i])
    return np.where(inside, slope, 0.0)


def interp_grad_fp(g, x, xp, fp, left=None, right=None, period=None):
    """Gradient of sum(g * np.interp(x, xp, fp)) with respect to fp."""
    if period is not None:
        raise NotImplementedError("s2s: gradient of np.interp with period is not supported")
    xp = np.asarray(xp, dtype=float)
    x = np.asarray(x, dtype=float)
    i, inside = _interp_cell(x, xp)
    t = (x - xp[i]) / (xp[i + 1] - xp[i])
    g = np.broadcast_to(g, x.shape)
    out = np.zeros(np.shape(fp))
    np.add.at(out, i[inside], (g * (1 - t))[inside])
    np.add.at(out, i[inside] + 1, (g * t)[inside])
    if left is None:
        np.add.at(out, 0, np.sum(g[x < xp[0]]))
    if right is None:
        np.add.at(out, len(xp) - 1, np.sum(g[x > xp[-1]]))
    return out


def interp_grad_fp_x(s, x, xp, fp):
    """Tangent of interp_grad_fp(g, x, ...) along x's tangent, for s = g * (x's tangent): inside the grid
    each weight moves from fp[i] to fp[i + 1] at the rate 1 / (xp[i + 1] - xp[i])."""
    xp = np.asarray(xp, dtype=float)
    x = np.asarray(x, dtype=float)
    i, inside = _interp_cell(x, xp)
    w = (np.broadcast_to(s, x.shape) / (xp[i + 1] - xp[i]))[inside]
    out = np.zeros(np.shape(fp))
    np.add.at(out, i[inside] + 1, w)
    np.add.at(out, i[inside], -w)
    return out


# interp_grad_fp (np.interp's gradient in fp) is linear in g and piecewise linear in x; fp gives only its
# shape. Rules, so that hvp through np.interp in fp differentiates it (its np.add.at body is refused):
# its adjoint in g is interp_tangent_fp, and in x the slope of interp through the incoming gradient
@adjoint(interp_grad_fp, constant=("xp", "fp", "left", "right", "period"))
def interp_grad_fp_adj(z, g, x, xp, fp, left=None, right=None, period=None):
    d[g] = unbroadcast(interp_tangent_fp(d[z], x, xp, fp, left, right, period), g)
    d[x] = like(np.broadcast_to(g, np.shape(x)) * interp_slope(x, xp, d[z], None, None, period), x)
@tangent(interp_grad_fp, constant=("xp", "fp", "left", "right", "period"))
def interp_grad_fp_fwd(z, g, x, xp, fp, left=None, right=None, period=None):
    d[z] = interp_grad_fp(d[g], x, xp, fp, left, right, period) + interp_grad_fp_x(g * d[x], x, xp, fp)


def interp_tangent_fp(t, x, xp, fp, left=None, right=None, period=None):
    """Tangent of np.interp(x, xp, fp) along the tangent ``t`` of fp (linear in fp)."""
    if period is not None:
        raise NotImplementedError("s2s: derivative of np.interp with period is not supported")
    t = np.broadcast_to(t, np.shape(fp)).astype(float)
    return np.interp(x, xp, t, None if left is None else 0.0, None if right is None else 0.0)


def polyval_grad_p(g, p, x):
    """Gradient of np.polyval(p, x) for the coefficients: sum of g * x**(n-1-k) (a list for a list)."""
    n = len(p)
    powers = np.asarray(x)[..., None] ** np.arange(n - 1, -1, -1)
    gp = np.sum(np.asarray(g)[..., None] * powers, axis=tuple(range(np.ndim(powers) - 1)))
    if isinstance(p, (list, tuple)):
        return GradList(float(v) for v in gp)
    return like(gp, p)


def polyval_tangent_p(tp, p, x):
    """Tangent of np.polyval along the coefficients' tangent (placeholder zeros allowed)."""
    if is_zero(tp):
        return 0.0
    return np.polyval([0.0 if is_zero(t) else t for t in tp], x)


def vander_deriv(x, N=None, increasing=False):
    """d vander(x)[i, k] / d x[i]: p_k x**(p_k - 1) (0 for the constant column)."""
    n = len(x) if N is None else N
    p = np.arange(n) if increasing else np.arange(n - 1, -1, -1)
    return p * np.asarray(x)[:, None] ** np.maximum(p - 1, 0)
