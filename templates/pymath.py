"""The ``math`` module and Python's builtins on scalars (``abs``, ``float``, ``pow``, ``max``,
``min``, ...; structures.py has the builtin sum), reverse and forward rules side by side.

Kinks: fabs at 0; copysign at x = 0; fmod/remainder where the quotient
jumps; max/min at ties (the gradient goes to the element Python returns,
the first of the tied ones).
"""
import heapq
import math
import statistics

import numpy as np

from s2s.registry import adjoint, d, elementwise, nondifferentiable, tangent, zero_if
from s2s.runtime import GradList, unbroadcast
from s2s.rule_helpers import is_zero, like, real_sign, refuse, tangent_like, power_slope
from .structures import keys_free

LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

# --- core: exp, log, sin, cos, tan, tanh, sqrt, pow, abs, float (reverse, then forward)
@elementwise(math.exp)
def exp(z, x, g): return g * z
@adjoint(math.log)
def log(z, x, base=None):
    d[x] = d[z] / x if base is None else d[z] / (x * math.log(base))
    d[base] = -d[z] * z / (base * math.log(base))   # log(x, b) = ln x / ln b
@tangent(math.log)
def log_fwd(z, x, base=None):
    d[z] = (d[x] / x if base is None else d[x] / (x * math.log(base))) - d[base] * z / (base * math.log(base))
@elementwise(math.sin)
def sin(z, x, g): return g * math.cos(x)
@elementwise(math.cos)
def cos(z, x, g): return -g * math.sin(x)
@elementwise(math.tan)
def tan(z, x, g): return g * (1 + z * z)
@elementwise(math.tanh)
def tanh(z, x, g): return g * (1 - z * z)
@elementwise(math.sqrt)
def sqrt(z, x, g): return g * 0.5 / z
@adjoint(math.pow)
def math_pow(z, x, y):
    d[x] = d[z] * y * math.pow(x, y - 1)
    d[y] = d[z] * z * math.log(x)
@adjoint(abs)
def abs_(z, x): d[x] = d[z] * real_sign(x)
@adjoint(float)
def float_(z, x): d[x] = like(d[z], x)


nondifferentiable(math.floor, math.ceil, math.trunc, int, len, range, round, bool, isinstance)
# text: a string carries no derivative (print(f"{loss:.3f}"), str(loss), format(loss, ".2f"))
nondifferentiable(str, repr, ascii, format, np.array2string, np.array_repr, np.array_str,
                  np.format_float_positional, np.format_float_scientific)

@tangent(math.pow)
def math_pow_fwd(z, x, y): d[z] = d[x] * y * math.pow(x, y - 1) + d[y] * z * math.log(x)
@tangent(abs)
def abs_fwd(z, x): d[z] = d[x] * real_sign(x)
@tangent(float)
def float_fwd(z, x): d[z] = float(d[x])
zero_if(float, any_of=(0,))
@tangent(list)
def list_(z, x): d[z] = list(keys_free(d[x], x))
@tangent(tuple)
def tuple_(z, x): d[z] = tuple(keys_free(d[x], x))

# --- exponentials and logarithms
@elementwise(math.log2)
def log2(z, x, g): return g / (x * LN2)
@elementwise(math.log10)
def log10(z, x, g): return g / (x * LN10)
@elementwise(math.log1p)
def log1p(z, x, g): return g / (1.0 + x)
@elementwise(math.expm1)
def expm1(z, x, g): return g * (z + 1.0)
@elementwise(math.exp2)
def exp2(z, x, g): return g * z * LN2
@elementwise(math.cbrt)
def cbrt(z, x, g): return g / (3.0 * z * z)
@adjoint(math.ldexp, constant=('i',))
def ldexp(z, x, i): d[x] = math.ldexp(d[z], i)
@tangent(math.ldexp, constant=('i',))
def ldexp_fwd(z, x, i): d[z] = math.ldexp(d[x], i)

# --- trigonometric and hyperbolic
@elementwise(math.asin)
def asin(z, x, g): return g / math.sqrt(1.0 - x * x)
@elementwise(math.acos)
def acos(z, x, g): return -g / math.sqrt(1.0 - x * x)
@elementwise(math.atan)
def atan(z, x, g): return g / (1.0 + x * x)
@adjoint(math.atan2)
def atan2(z, y, x):
    d[y] = d[z] * x / (x * x + y * y)
    d[x] = -d[z] * y / (x * x + y * y)
@tangent(math.atan2)
def atan2_fwd(z, y, x): d[z] = (d[y] * x - d[x] * y) / (x * x + y * y)
@elementwise(math.sinh)
def sinh(z, x, g): return g * math.cosh(x)
@elementwise(math.cosh)
def cosh(z, x, g): return g * math.sinh(x)
@elementwise(math.asinh)
def asinh(z, x, g): return g / math.sqrt(x * x + 1.0)
@elementwise(math.acosh)
def acosh(z, x, g): return g / math.sqrt(x * x - 1.0)
@elementwise(math.atanh)
def atanh(z, x, g): return g / (1.0 - x * x)
@elementwise(math.degrees)
def degrees(z, x, g): return g * (180.0 / math.pi)
@elementwise(math.radians)
def radians(z, x, g): return g * (math.pi / 180.0)
@adjoint(math.hypot)
def hypot(z, *coordinates): d[coordinates] = scaled_each(d[z] / z, coordinates)
@tangent(math.hypot)
def hypot_fwd(z, *coordinates): d[z] = dot_tangents(d[coordinates], coordinates) / z

# --- special functions
@elementwise(math.erf)
def erf(z, x, g): return g * TWO_OVER_SQRT_PI * math.exp(-x * x)
@elementwise(math.erfc)
def erfc(z, x, g): return -g * TWO_OVER_SQRT_PI * math.exp(-x * x)
@elementwise(math.gamma)
def gamma(z, x, g): return g * z * digamma(x)
@elementwise(math.lgamma)
def lgamma(z, x, g): return g * digamma(x)

# --- piecewise
@elementwise(math.fabs)
def fabs(z, x, g): return g * (float(x > 0) - float(x < 0))
@adjoint(math.copysign, constant=('y',))
def copysign(z, x, y): d[x] = d[z] * (float(x > 0) - float(x < 0)) * math.copysign(1.0, y)
@tangent(math.copysign, constant=('y',))
def copysign_fwd(z, x, y): d[z] = d[x] * (float(x > 0) - float(x < 0)) * math.copysign(1.0, y)
@adjoint(math.fmod)
def fmod(z, x, y):
    d[x] = d[z]
    d[y] = -d[z] * math.trunc(x / y)
@tangent(math.fmod)
def fmod_fwd(z, x, y): d[z] = d[x] - d[y] * math.trunc(x / y)
@adjoint(math.remainder)
def remainder(z, x, y):
    d[x] = d[z]
    d[y] = -d[z] * round((x - z) / y)
@tangent(math.remainder)
def remainder_fwd(z, x, y): d[z] = d[x] - d[y] * round((x - z) / y)

# --- sequences
@adjoint(math.fsum)
def fsum(z, seq): d[seq] = spread(d[z], seq)
@tangent(math.fsum)
def fsum_fwd(z, seq): d[z] = sum_tangents(d[seq], seq)
@adjoint(math.prod)
def prod(z, iterable, start=1):
    d[iterable] = prod_grads(d[z], iterable, start)
    d[start] = d[z] * math.prod(iterable)
@tangent(math.prod)
def prod_fwd(z, iterable, start=1): d[z] = prod_tangent(d[iterable], d[start], iterable, start)
@adjoint(math.dist)
def dist(z, p, q):
    d[p] = scaled_each(d[z] / z, np.subtract(p, q), p)
    d[q] = scaled_each(-d[z] / z, np.subtract(p, q), q)
@tangent(math.dist)
def dist_fwd(z, p, q): d[z] = dist_tangent(d[p], d[q], p, q, z)

# --- builtins
@adjoint(pow)
def pow_(z, base, exp, mod=None):
    d[base] = unbroadcast(d[z] * power_slope(base, exp), base)
    d[exp] = unbroadcast(d[z] * z * np.log(np.where(base > 0, base, 1.0)), exp)
@tangent(pow)
def pow_fwd(z, base, exp, mod=None):
    d[z] = tangent_like(d[base] * power_slope(base, exp) + d[exp] * z * np.log(np.where(base > 0, base, 1.0)), z)
@adjoint(max, min)
def max_(z, *args, key=None, default=None): d[args] = like(choice_grads(d[z], z, args), args)
@tangent(max, min)
def max_fwd(z, *args, key=None, default=None): d[z] = choice_tangent(d[args], z, args)

nondifferentiable(math.isfinite, math.isnan, math.isinf, math.isclose, math.factorial, math.gcd, math.lcm,
                  math.comb, math.perm, math.isqrt, math.ulp, hash, id)
# math.nextafter(x, y): x moved by one ulp toward y: derivative 1 in x (almost everywhere), none in y
@adjoint(math.nextafter, constant=('y',))
def math_nextafter(z, x, y): d[x] = d[z]
@tangent(math.nextafter, constant=('y',))
def math_nextafter_fwd(z, x, y): d[z] = d[x]


# --- statistics on a sequence of floats (median: a selection, followed as the module's source)
@adjoint(statistics.mean)
def stat_mean(z, data): d[data] = per_item(d[z] * mean_weights(data), data)
@tangent(statistics.mean)
def stat_mean_fwd(z, data): d[z] = item_dot(d[data], mean_weights(data))
@adjoint(statistics.fmean, nondiff=("weights",))
def stat_fmean(z, data, weights=None): d[data] = per_item(d[z] * mean_weights(data, weights), data)
@tangent(statistics.fmean, nondiff=("weights",))
def stat_fmean_fwd(z, data, weights=None): d[z] = item_dot(d[data], mean_weights(data, weights))
@adjoint(statistics.variance)
def stat_variance(z, data, xbar=None):
    d[data] = per_item(d[z] * var_weights(data, 1, xbar), data)
    d[xbar] = d[z] * var_center_slope(data, 1, xbar)
@tangent(statistics.variance)
def stat_variance_fwd(z, data, xbar=None):
    d[z] = item_dot(d[data], var_weights(data, 1, xbar)) + d[xbar] * var_center_slope(data, 1, xbar)
@adjoint(statistics.pvariance)
def stat_pvariance(z, data, mu=None):
    d[data] = per_item(d[z] * var_weights(data, 0, mu), data)
    d[mu] = d[z] * var_center_slope(data, 0, mu)
@tangent(statistics.pvariance)
def stat_pvariance_fwd(z, data, mu=None):
    d[z] = item_dot(d[data], var_weights(data, 0, mu)) + d[mu] * var_center_slope(data, 0, mu)
@adjoint(statistics.stdev)
def stat_stdev(z, data, xbar=None):
    d[data] = per_item(d[z] * var_weights(data, 1, xbar) / (2 * z), data)
    d[xbar] = d[z] * var_center_slope(data, 1, xbar) / (2 * z)
@tangent(statistics.stdev)
def stat_stdev_fwd(z, data, xbar=None):
    d[z] = (item_dot(d[data], var_weights(data, 1, xbar)) + d[xbar] * var_center_slope(data, 1, xbar)) / (2 * z)
@adjoint(statistics.pstdev)
def stat_pstdev(z, data, mu=None):
    d[data] = per_item(d[z] * var_weights(data, 0, mu) / (2 * z), data)
    d[mu] = d[z] * var_center_slope(data, 0, mu) / (2 * z)
@tangent(statistics.pstdev)
def stat_pstdev_fwd(z, data, mu=None):
    d[z] = (item_dot(d[data], var_weights(data, 0, mu)) + d[mu] * var_center_slope(data, 0, mu)) / (2 * z)
zero_if(statistics.mean, statistics.fmean, any_of=(0,))

# --- heapq.nsmallest / nlargest: a selection (the gradient goes to the items returned; ties: the first ones,
# as sorted(iterable, key=key)[:n] picks them)
@adjoint(heapq.nsmallest, constant=("n", "key"))
def nsmallest(z, n, iterable, key=None): d[iterable] = selected_grad(d[z], iterable, n, key, False)
@tangent(heapq.nsmallest, constant=("n", "key"))
def nsmallest_fwd(z, n, iterable, key=None): d[z] = selected_tangent(d[iterable], iterable, n, key, False)
@adjoint(heapq.nlargest, constant=("n", "key"))
def nlargest(z, n, iterable, key=None): d[iterable] = selected_grad(d[z], iterable, n, key, True)
@tangent(heapq.nlargest, constant=("n", "key"))
def nlargest_fwd(z, n, iterable, key=None): d[z] = selected_tangent(d[iterable], iterable, n, key, True)


# ---------------------------------------------------------------- helpers

def digamma(x):
    """The digamma function psi(x) = d lgamma(x) / dx, for real x (no SciPy needed).

    Reflection for x < 1/2, recurrence up to x >= 10, then the asymptotic series."""
    x = float(x)
    if x <= 0 and x == math.floor(x):
        return math.nan
    if x < 0.5:
        return digamma(1.0 - x) - math.pi / math.tan(math.pi * x)
    acc = 0.0
    while x < 10.0:
        acc -= 1.0 / x
        x += 1.0
    f = 1.0 / (x * x)
    series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132)))))
    return acc + math.log(x) - 0.5 / x - series


def scaled_each(c, xs, like=None):
    """c * x for every element x of a sequence, as a list gradient (an array when ``like`` is one)."""
    if isinstance(like, np.ndarray):
        return np.asarray(c * xs, dtype=like.dtype if np.issubdtype(like.dtype, np.floating) else float)
    return GradList(float(c * x) for x in xs)


def dot_tangents(ts, xs):
    """sum_i t_i x_i over a sequence of tangents (placeholder zeros skipped)."""
    return sum(t * x for t, x in zip(ts, xs) if not is_zero(t)) if isinstance(ts, (list, tuple)) else 0.0


def spread(g, seq):
    """Gradient of a plain sum over ``seq``: g for every element."""
    if isinstance(seq, np.ndarray):
        return np.broadcast_to(g, seq.shape).astype(float)
    return GradList(g for _ in seq)


def sum_tangents(ts, seq):
    """Tangent of a plain sum over ``seq``."""
    if isinstance(ts, np.ndarray):
        return float(np.sum(ts))
    return float(sum(t for t in ts if not is_zero(t)))


def _exclusive_products(xs):
    n = len(xs)
    left = [1.0] * n
    right = [1.0] * n
    for i in range(1, n):
        left[i] = left[i - 1] * xs[i - 1]
        right[n - 1 - i] = right[n - i] * xs[n - i]
    return [lo * hi for lo, hi in zip(left, right)]


def prod_grads(g, iterable, start=1):
    """Gradient of math.prod: start times the product of the other elements (exact with zeros)."""
    xs = list(iterable)
    out = [g * start * p for p in _exclusive_products(xs)]
    return np.asarray(out, dtype=float).reshape(np.shape(iterable)) if isinstance(iterable, np.ndarray) else GradList(out)


def prod_tangent(ts, tstart, iterable, start=1):
    """Tangent of math.prod."""
    xs = list(iterable)
    out = 0.0
    if not is_zero(ts):
        out = sum(t * start * p for t, p in zip(ts, _exclusive_products(xs)) if not is_zero(t))
    if not is_zero(tstart):
        out = out + tstart * math.prod(xs)
    return out


def dist_tangent(tp, tq, p, q, z):
    """Tangent of math.dist(p, q)."""
    out = 0.0
    for i, (a, b) in enumerate(zip(p, q)):
        dp = 0.0 if is_zero(tp) or is_zero(tp[i]) else tp[i]
        dq = 0.0 if is_zero(tq) or is_zero(tq[i]) else tq[i]
        out = out + (a - b) * (dp - dq)
    return out / z


def _chosen(z, args):
    """Which argument (or element of the one iterable) builtin max/min returned: the first equal."""
    items = list(args[0]) if len(args) == 1 else list(args)
    for i, v in enumerate(items):
        if v is z or v == z:
            return i, items
    raise ValueError("s2s: could not find the value max/min returned")


def choice_grads(g, z, args):
    """Gradient of builtin max/min: all of it to the chosen argument or element."""
    i, items = _chosen(z, args)
    if len(args) == 1:
        seq = args[0]
        if isinstance(seq, np.ndarray):
            out = np.zeros(seq.shape)
            out[i] = g
            return GradList([out])
        return GradList([GradList(g if j == i else 0.0 for j in range(len(items)))])
    return GradList(g if j == i else 0.0 for j in range(len(items)))


def choice_tangent(ts, z, args):
    """Tangent of builtin max/min: the chosen argument's tangent."""
    i, _ = _chosen(z, args)
    if len(args) == 1:
        t = ts[0] if isinstance(ts, (list, tuple)) else ts
        if is_zero(t):
            return 0.0
        return t[i]
    t = ts[i] if isinstance(ts, (list, tuple)) else 0.0
    return 0.0 if is_zero(t) else t


def per_item(ws, data):
    """Per-item gradients ``ws`` (a float array) in the structure of the sequence ``data``: an array for an array,
    a list of floats otherwise."""
    if isinstance(data, np.ndarray):
        return np.asarray(ws, dtype=data.dtype if np.issubdtype(data.dtype, np.floating) else float)
    return GradList(float(w) for w in ws)


def item_dot(ts, ws):
    """sum_i t_i w_i over the tangents of a sequence's items (placeholder zeros skipped)."""
    if is_zero(ts):
        return 0.0
    if isinstance(ts, np.ndarray):
        return float(np.sum(ts * ws))
    return float(sum(t * w for t, w in zip(ts, ws) if not is_zero(t)))


def _floats(data):
    return np.array([float(v) for v in data], dtype=float)


def mean_weights(data, weights=None):
    """d mean / d x_i: 1/n, or w_i / sum(w) for statistics.fmean(data, weights) (constant weights)."""
    x = _floats(data)
    if weights is None:
        return np.full(len(x), 1.0 / len(x))
    w = _floats(weights)
    return w / np.sum(w)


def var_weights(data, ddof, center=None):
    """d variance / d x_i: 2 (x_i - c) / (n - ddof), c the mean (or the given center, a constant there)."""
    x = _floats(data)
    c = np.mean(x) if center is None else float(center)
    return 2.0 * (x - c) / (len(x) - ddof)


def var_center_slope(data, ddof, center):
    """d variance / d center for statistics.variance(data, xbar) / pvariance(data, mu)."""
    if center is None:
        return 0.0
    x = _floats(data)
    return -2.0 * float(np.sum(x - float(center))) / (len(x) - ddof)


def _selected(data, n, key, largest):
    items = list(data)
    k = (lambda v: v) if key is None else key
    order = sorted(range(len(items)), key=lambda i: k(items[i]), reverse=largest)   # stable: ties in order
    return order[:max(int(n), 0)]


def selected_grad(g, data, n, key, largest):
    """Gradient of heapq.nsmallest / nlargest(n, data, key): the k-th result's gradient to the item it is."""
    idx = _selected(data, n, key, largest)
    if isinstance(data, np.ndarray):
        if data.ndim != 1:
            raise refuse(heapq.nsmallest, "s2s follows heapq.nsmallest / nlargest over a list of numbers or a 1-D "
                         f"array; this is an array of shape {data.shape} (its items are rows).",
                         "Use np.sort / np.argsort, or pass a list of numbers.")
        out = np.zeros(data.shape, dtype=data.dtype if np.issubdtype(data.dtype, np.floating) else float)
    else:
        out = [0.0] * len(data)
    gs = list(g) if isinstance(g, (list, tuple, np.ndarray)) else [g] * len(idx)
    for i, gi in zip(idx, gs):
        if not is_zero(gi):
            out[i] = out[i] + gi
    return out if isinstance(out, np.ndarray) else GradList(out)


def selected_tangent(t, data, n, key, largest):
    """Tangent of heapq.nsmallest / nlargest: the selected items' tangents, in the result's order."""
    idx = _selected(data, n, key, largest)
    if is_zero(t):
        return GradList(0.0 for _ in idx)
    return GradList(t[i] for i in idx)
