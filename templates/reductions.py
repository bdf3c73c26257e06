"""Reductions and scans: prod, max/min, var/std, cumsum/cumprod, average, the
nan* family, trace, ptp, median/quantile, diff, trapezoid (sum and mean are
in numpy_core).

Every rule takes ``axis`` (None, an int, negative, or a tuple) and
``keepdims`` as NumPy does. Arguments NumPy has but the rules do not
support (``where=``, ``out=`` with a target) are left out of the template
signatures on purpose, so a call using them fails at transform time
instead of giving wrong numbers.

Ties: max/min/ptp share the gradient equally among tied maxima (as
autograd does); median/quantile use the elements ``np.sort`` puts at the
middle positions. prod and cumprod are exact with zeros in the input.
"""
import numpy as np

from s2s.registry import adjoint, tangent, d, nondifferentiable
from s2s.runtime import GradList, unbroadcast
from s2s.rule_helpers import fill_zero, float_dtype, is_zero, like, safe_div, tangent_like


# --- products
@adjoint(np.prod)
def prod(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[a] = prod_grad(d[z], a, axis, keepdims)
@tangent(np.prod)
def prod_fwd(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[z] = reduce_tangent(d[a], prod_grad(1.0, a, axis, keepdims), axis, keepdims, z)
@adjoint(np.nanprod)
def nanprod(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[a] = prod_grad(d[z], nan_to(a, 1.0), axis, keepdims) * ~np.isnan(a)
@tangent(np.nanprod)
def nanprod_fwd(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[z] = reduce_tangent(nan_masked(d[a], a), prod_grad(1.0, nan_to(a, 1.0), axis, keepdims) * ~np.isnan(a), axis, keepdims, z)

# --- extrema (ties share the gradient)
@adjoint(np.max, np.amax, np.nanmax)
def max_(z, a, axis=None, out=None, keepdims=False, initial=None):
    d[a] = extremum_grad(d[z], a, z, axis, keepdims)
@tangent(np.max, np.amax)
def max_fwd(z, a, axis=None, out=None, keepdims=False, initial=None):
    d[z] = reduce_tangent(d[a], extremum_grad(1.0, a, z, axis, keepdims), axis, keepdims, z)
@tangent(np.nanmax)
def nanmax_fwd(z, a, axis=None, out=None, keepdims=False, initial=None):
    d[z] = reduce_tangent(nan_masked(d[a], a), extremum_grad(1.0, a, z, axis, keepdims), axis, keepdims, z)
@adjoint(np.min, np.amin, np.nanmin)
def min_(z, a, axis=None, out=None, keepdims=False, initial=None):
    d[a] = extremum_grad(d[z], a, z, axis, keepdims)
@tangent(np.min, np.amin)
def min_fwd(z, a, axis=None, out=None, keepdims=False, initial=None):
    d[z] = reduce_tangent(d[a], extremum_grad(1.0, a, z, axis, keepdims), axis, keepdims, z)
@tangent(np.nanmin)
def nanmin_fwd(z, a, axis=None, out=None, keepdims=False, initial=None):
    d[z] = reduce_tangent(nan_masked(d[a], a), extremum_grad(1.0, a, z, axis, keepdims), axis, keepdims, z)
@adjoint(np.ptp)
def ptp(z, a, axis=None, out=None, keepdims=False):
    d[a] = ptp_grad(d[z], a, axis, keepdims)
@tangent(np.ptp)
def ptp_fwd(z, a, axis=None, out=None, keepdims=False):
    d[z] = reduce_tangent(d[a], ptp_grad(1.0, a, axis, keepdims), axis, keepdims, z)

# --- moments
@adjoint(np.var)
def var(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, correction=None):
    d[a] = var_grad(d[z], a, axis, ddof, keepdims, correction)
@tangent(np.var)
def var_fwd(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, correction=None):
    d[z] = reduce_tangent(d[a], var_grad(1.0, a, axis, ddof, keepdims, correction), axis, keepdims, z)
@adjoint(np.std)
def std(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, correction=None):
    d[a] = std_grad(d[z], a, z, axis, ddof, keepdims, correction)
@tangent(np.std)
def std_fwd(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, correction=None):
    d[z] = reduce_tangent(d[a], std_grad(1.0, a, z, axis, ddof, keepdims, correction), axis, keepdims, z)
@adjoint(np.average)
def average(z, a, axis=None, weights=None, returned=False, keepdims=False):
    d[a] = average_grad_a(d[z], a, axis, weights, returned, keepdims)
    d[weights] = average_grad_w(d[z], a, z, axis, weights, keepdims)
@tangent(np.average)
def average_fwd(z, a, axis=None, weights=None, returned=False, keepdims=False):
    d[z] = average_tangent(d[a], d[weights], a, z, axis, weights, returned, keepdims)

# --- nan-ignoring sums and moments (a NaN entry gets no gradient)
@adjoint(np.nansum)
def nansum(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[a] = expand_to(d[z], a, axis, keepdims) * ~np.isnan(a)
@tangent(np.nansum)
def nansum_fwd(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[z] = tangent_like(np.sum(nan_masked(d[a], a), axis=axis, keepdims=keepdims), z)
@adjoint(np.nanmean)
def nanmean(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[a] = nanmean_grad(d[z], a, axis, keepdims)
@tangent(np.nanmean)
def nanmean_fwd(z, a, axis=None, dtype=None, out=None, keepdims=False):
    d[z] = reduce_tangent(nan_masked(d[a], a), nanmean_grad(1.0, a, axis, keepdims), axis, keepdims, z)
@adjoint(np.nanvar)
def nanvar(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[a] = like(var_grad(d[z], a, axis, ddof, keepdims, None, True), a)
@tangent(np.nanvar)
def nanvar_fwd(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[z] = reduce_tangent(nan_masked(d[a], a), var_grad(1.0, a, axis, ddof, keepdims, None, True), axis, keepdims, z)
@adjoint(np.nanstd)
def nanstd(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[a] = like(std_grad(d[z], a, z, axis, ddof, keepdims, None, True), a)
@tangent(np.nanstd)
def nanstd_fwd(z, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[z] = reduce_tangent(nan_masked(d[a], a), std_grad(1.0, a, z, axis, ddof, keepdims, None, True), axis, keepdims, z)

# --- scans
@adjoint(np.cumsum)
def cumsum(z, a, axis=None, dtype=None, out=None):
    d[a] = cumsum_grad(d[z], a, axis)
@tangent(np.cumsum)
def cumsum_fwd(z, a, axis=None, dtype=None, out=None):
    d[z] = np.cumsum(fill_zero(d[a], a), axis=axis)
@adjoint(np.nancumsum)
def nancumsum(z, a, axis=None, dtype=None, out=None):
    d[a] = cumsum_grad(d[z], a, axis) * ~np.isnan(a)
@tangent(np.nancumsum)
def nancumsum_fwd(z, a, axis=None, dtype=None, out=None):
    d[z] = np.cumsum(nan_masked(d[a], a), axis=axis)
@adjoint(np.cumprod)
def cumprod(z, a, axis=None, dtype=None, out=None):
    d[a] = cumprod_grad(d[z], a, z, axis)
@tangent(np.cumprod)
def cumprod_fwd(z, a, axis=None, dtype=None, out=None):
    d[z] = cumprod_tangent(d[a], a, z, axis)
@adjoint(np.nancumprod)
def nancumprod(z, a, axis=None, dtype=None, out=None):
    d[a] = cumprod_grad(d[z], nan_to(a, 1.0), z, axis) * ~np.isnan(a)
@tangent(np.nancumprod)
def nancumprod_fwd(z, a, axis=None, dtype=None, out=None):
    d[z] = cumprod_tangent(nan_masked(d[a], a), nan_to(a, 1.0), z, axis)
@adjoint(np.cumulative_sum)
def cumulative_sum(z, x, axis=None, dtype=None, out=None, include_initial=False):
    d[x] = cumsum_grad(drop_initial(d[z], x, axis, include_initial), x, axis)
@tangent(np.cumulative_sum)
def cumulative_sum_fwd(z, x, axis=None, dtype=None, out=None, include_initial=False):
    d[z] = np.cumulative_sum(fill_zero(d[x], x), axis=axis, include_initial=include_initial)
@adjoint(np.cumulative_prod)
def cumulative_prod(z, x, axis=None, dtype=None, out=None, include_initial=False):
    d[x] = cumprod_grad(drop_initial(d[z], x, axis, include_initial), x, drop_initial(z, x, axis, include_initial), axis)
@tangent(np.cumulative_prod)
def cumulative_prod_fwd(z, x, axis=None, dtype=None, out=None, include_initial=False):
    d[z] = add_initial(cumprod_tangent(d[x], x, drop_initial(z, x, axis, include_initial), axis), x, axis, include_initial)

# --- trace, order statistics, differences, integration
@adjoint(np.trace)
def trace(z, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    d[a] = trace_grad(d[z], a, offset, axis1, axis2)
@tangent(np.trace)
def trace_fwd(z, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    d[z] = tangent_like(np.trace(fill_zero(d[a], a), offset, axis1, axis2), z)
@adjoint(np.median)
def median(z, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    d[a] = like(expand_to(d[z], a, axis, keepdims) * quantile_weights(a, 0.5, axis), a)
@tangent(np.median)
def median_fwd(z, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    d[z] = reduce_tangent(d[a], quantile_weights(a, 0.5, axis), axis, keepdims, z)
@adjoint(np.quantile)
def quantile(z, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    d[a] = quantile_grad_a(d[z], a, q, z, axis, keepdims, method)
    d[q] = quantile_grad_q(d[z], a, q, z, axis, keepdims, method)
@tangent(np.quantile)
def quantile_fwd(z, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    d[z] = quantile_tangent(d[a], d[q], a, q, z, axis, keepdims, method)
@adjoint(np.percentile)
def percentile(z, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    d[a] = quantile_grad_a(d[z], a, np.divide(q, 100), z, axis, keepdims, method)
    d[q] = quantile_grad_q(d[z], a, np.divide(q, 100), z, axis, keepdims, method) / 100
@tangent(np.percentile)
def percentile_fwd(z, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    d[z] = quantile_tangent(d[a], d[q] / 100, a, np.divide(q, 100), z, axis, keepdims, method)
@adjoint(np.diff)
def diff(z, a, n=1, axis=-1, prepend=None, append=None):
    d[a] = like(diff_grad(d[z], a, n, axis, prepend, append, "a"), a)
    d[prepend] = like(diff_grad(d[z], a, n, axis, prepend, append, "prepend"), prepend)
    d[append] = like(diff_grad(d[z], a, n, axis, prepend, append, "append"), append)
@tangent(np.diff)
def diff_fwd(z, a, n=1, axis=-1, prepend=None, append=None):
    d[z] = diff_tangent(d[a], d[prepend], d[append], a, n, axis, prepend, append)
@adjoint(np.ediff1d)
def ediff1d(z, ary, to_end=None, to_begin=None):
    d[ary] = like(ediff1d_grad(d[z], ary, to_end, to_begin, "ary"), ary)
    d[to_end] = like(ediff1d_grad(d[z], ary, to_end, to_begin, "to_end"), to_end)
    d[to_begin] = like(ediff1d_grad(d[z], ary, to_end, to_begin, "to_begin"), to_begin)
@tangent(np.ediff1d)
def ediff1d_fwd(z, ary, to_end=None, to_begin=None):
    d[z] = like(ediff1d_tangent(d[ary], d[to_end], d[to_begin], ary, to_end, to_begin), z)
@adjoint(np.trapezoid)
def trapezoid(z, y, x=None, dx=1.0, axis=-1):
    d[y] = trapezoid_grad_y(d[z], y, x, dx, axis)
    d[x] = trapezoid_grad_x(d[z], y, x, axis)
    d[dx] = trapezoid_grad_dx(d[z], y, x, axis)
@tangent(np.trapezoid)
def trapezoid_fwd(z, y, x=None, dx=1.0, axis=-1):
    d[z] = tangent_like(np.trapezoid(fill_zero(d[y], y), x, dx, axis) + trapezoid_tangent_x(d[x], y, x, axis) + d[dx] * trapezoid_unit(y, x, axis), z)


# --- np.gradient: linear in f; scalar spacings h scale it by 1/h (coordinate arrays: no rule, an error)
@adjoint(np.gradient)
def gradient(z, f, *varargs, axis=None, edge_order=1):
    d[f] = like(gradient_grad(d[z], f, varargs, axis, edge_order), f)
    d[varargs] = gradient_grad_spacing(d[z], z, f, varargs, axis)
@tangent(np.gradient)
def gradient_fwd(z, f, *varargs, axis=None, edge_order=1):
    d[z] = gradient_tangent(d[f], d[varargs], z, f, varargs, axis, edge_order)


# --- covariance and correlation (weights, fweights/aweights, are not supported: left out on purpose)
@adjoint(np.cov)
def cov(z, m, y=None, rowvar=True, bias=False, ddof=None, *, dtype=None):
    d[m] = like(cov_grad(d[z], m, y, rowvar, bias, ddof, "m"), m)
    d[y] = like(cov_grad(d[z], m, y, rowvar, bias, ddof, "y"), y)
@tangent(np.cov)
def cov_fwd(z, m, y=None, rowvar=True, bias=False, ddof=None, *, dtype=None):
    d[z] = like(cov_tangent(d[m], d[y], m, y, rowvar, bias, ddof), z)
@adjoint(np.corrcoef)
def corrcoef(z, x, y=None, rowvar=True, *, dtype=None):
    d[x] = like(cov_grad(corrcoef_to_cov(d[z], x, y, rowvar), x, y, rowvar, False, None, "m"), x)
    d[y] = like(cov_grad(corrcoef_to_cov(d[z], x, y, rowvar), x, y, rowvar, False, None, "y"), y)
@tangent(np.corrcoef)
def corrcoef_fwd(z, x, y=None, rowvar=True, *, dtype=None):
    d[z] = like(corrcoef_tangent(cov_tangent(d[x], d[y], x, y, rowvar, False, None), x, y, rowvar), z)


# ---------------------------------------------------------------- helpers

def norm_axes(axis, ndim):
    """``axis`` (None, int, negative, tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if np.ndim(axis) == 0:
        axis = (int(axis),)
    return tuple(sorted(int(a) % ndim if ndim else 0 for a in axis))


def expand_to(g, x, axis=None, keepdims=False):
    """The gradient ``g`` of a reduction of x over ``axis``, broadcast to x's shape."""
    shape = np.shape(x)
    g = like(np.asarray(g), x)
    if not keepdims and shape and g.ndim:
        g = np.reshape(g, tuple(1 if i in norm_axes(axis, len(shape)) else n for i, n in enumerate(shape)))
    return np.broadcast_to(g, shape)


def reduce_tangent(t, weights, axis, keepdims, z):
    """Tangent of a reduction whose local derivative (per input element) is ``weights``."""
    nd = np.ndim(weights)
    return like(tangent_like(np.sum(t * weights, axis=norm_axes(axis, nd) if nd else None, keepdims=keepdims), z), z)


def count(x, axis):
    """Number of elements a reduction over ``axis`` combines."""
    shape = np.shape(x)
    return int(np.prod([shape[i] for i in norm_axes(axis, len(shape))]))


def nan_to(x, value):
    """x with NaNs replaced by ``value``."""
    return np.where(np.isnan(x), value, x)


def nan_masked(t, a):
    """The tangent ``t`` of ``a`` made 0 where ``a`` is NaN (a nan* reduction ignores those elements, and
    their tangent may be NaN itself: 0 * nan), in a's shape."""
    return like(np.where(np.isnan(a), 0.0, fill_zero(t, a)), a)


def _to_last(x, axes):
    """Move ``axes`` to the end and flatten them: (rest..., n), plus what _from_last needs to undo it.

    (Module-level functions, no closures: generated gradients that call these helpers can be
    differentiated again, for Hessian-vector products.)"""
    x = np.asarray(x)
    rest = [i for i in range(x.ndim) if i not in axes]
    perm = rest + list(axes)
    moved = np.transpose(x, perm)
    flat = moved.reshape(moved.shape[:len(rest)] + (-1,))
    return flat, (moved.shape, perm)


def _from_last(y, undo):
    """The inverse of _to_last."""
    shape, perm = undo
    return np.transpose(np.reshape(y, shape), np.argsort(perm))


def prod_grad(g, a, axis=None, keepdims=False):
    """Gradient of np.prod: the product of all the *other* reduced elements.

    Computed with exclusive products from the left and from the right, so
    zeros in the input are handled exactly (no division)."""
    a = np.asarray(a)
    axes = norm_axes(axis, a.ndim)
    flat, undo = _to_last(a, axes)
    ones = np.ones(flat.shape[:-1] + (1,), dtype=np.result_type(flat, 1.0))
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], -1), -1)[..., ::-1]
    return expand_to(g, a, axis, keepdims) * _from_last(left * right, undo)


def extremum_grad(g, a, z, axis=None, keepdims=False):
    """Gradient of max/min (and nanmax/nanmin): to the extremal elements, ties share it."""
    a = np.asarray(a)
    ze = expand_to(z, a, axis, keepdims)
    mask = (a == ze)
    n = np.sum(mask, axis=norm_axes(axis, a.ndim), keepdims=True)
    return like(expand_to(g, a, axis, keepdims) * mask / np.maximum(n, 1), a)


def ptp_grad(g, a, axis=None, keepdims=False):
    """Gradient of np.ptp = max - min."""
    hi = np.max(a, axis=axis, keepdims=keepdims)
    lo = np.min(a, axis=axis, keepdims=keepdims)
    return extremum_grad(g, a, hi, axis, keepdims) - extremum_grad(g, a, lo, axis, keepdims)


def var_grad(g, a, axis=None, ddof=0, keepdims=False, correction=None, nan=False):
    """Gradient of np.var (nan=True: np.nanvar): 2 (a - mean) / (N - ddof)."""
    a = np.asarray(a)
    ddof = ddof if correction is None else correction
    axes = norm_axes(axis, a.ndim)
    if nan:
        ok = ~np.isnan(a)
        n = np.sum(ok, axis=axes, keepdims=True)
        centered = np.where(ok, a - np.nanmean(a, axis=axes, keepdims=True), 0.0)
        return np.where(ok, safe_div(expand_to(g, a, axis, keepdims) * 2.0 * centered, n - ddof), 0.0)
    n = count(a, axis)
    centered = a - np.mean(a, axis=axes, keepdims=True)
    return expand_to(g, a, axis, keepdims) * 2.0 * centered / (n - ddof)


def std_grad(g, a, z, axis=None, ddof=0, keepdims=False, correction=None, nan=False):
    """Gradient of np.std = sqrt(var): var's gradient over 2 std (0 where std is 0,
    e.g. a single element, whose std is constant)."""
    a = np.asarray(a)
    vg = var_grad(g, a, axis, ddof, keepdims, correction, nan)
    ze = expand_to(z, a, axis, keepdims)
    out = safe_div(vg, 2.0 * ze)
    return np.where(np.isnan(a), 0.0, out) if nan else out


def nanmean_grad(g, a, axis=None, keepdims=False):
    """Gradient of np.nanmean: 1 / (number of non-NaN elements), 0 at NaNs."""
    ok = ~np.isnan(a)
    n = np.sum(ok, axis=norm_axes(axis, np.ndim(a)), keepdims=True)
    return like(expand_to(g, a, axis, keepdims) * ok / np.maximum(n, 1), a)


def _weights_full(a, axis, weights):
    """np.average's weights broadcast to a's shape (1-d weights lie along ``axis``)."""
    a = np.asarray(a)
    w = np.asarray(weights, dtype=float)
    if w.shape == a.shape:
        return w
    if axis is None or np.ndim(axis) != 0:
        raise ValueError("s2s: 1-d weights for np.average need an int axis")
    shape = [1] * a.ndim
    shape[int(axis) % a.ndim] = -1
    return np.broadcast_to(w.reshape(shape), a.shape)


def average_grad_a(g, a, axis=None, weights=None, returned=False, keepdims=False):
    """Gradient of np.average with respect to a: w / sum(w) (1 / N unweighted)."""
    if returned:
        raise NotImplementedError("s2s: np.average(..., returned=True) has no gradient rule")
    if weights is None:
        return expand_to(g, a, axis, keepdims) / count(a, axis)
    w = _weights_full(a, axis, weights)
    s = np.sum(w, axis=norm_axes(axis, np.ndim(a)), keepdims=True)
    return expand_to(g, a, axis, keepdims) * w / s


def average_grad_w(g, a, z, axis=None, weights=None, keepdims=False):
    """Gradient of np.average with respect to the weights: (a - average) / sum(w)."""
    w = _weights_full(a, axis, weights)
    s = np.sum(w, axis=norm_axes(axis, np.ndim(a)), keepdims=True)
    full = expand_to(g, a, axis, keepdims) * (a - expand_to(z, a, axis, keepdims)) / s
    if np.shape(weights) == np.shape(a):
        return full
    ax = int(axis) % np.ndim(a)
    return np.sum(full, axis=tuple(i for i in range(np.ndim(a)) if i != ax))


def average_tangent(ta, tw, a, z, axis=None, weights=None, returned=False, keepdims=False):
    """Tangent of np.average along the tangents of a and of the weights."""
    out = np.sum(ta * average_grad_a(1.0, a, axis, weights, returned, keepdims),
                 axis=norm_axes(axis, np.ndim(a)), keepdims=keepdims)
    if weights is not None:
        axes = norm_axes(axis, np.ndim(a))
        w = _weights_full(a, axis, weights)
        tw = _weights_full(a, axis, np.broadcast_to(tw, np.shape(weights)))
        centered = a - expand_to(z, a, axis, keepdims)
        out = out + np.sum(tw * centered, axis=axes, keepdims=keepdims) / np.sum(w, axis=axes, keepdims=keepdims)
    return tangent_like(out, z)


def cumsum_grad(g, a, axis=None):
    """Gradient of np.cumsum: a reversed cumulative sum of g (flattened if axis is None)."""
    if axis is None:
        g = np.ravel(g)
        return np.cumsum(g[::-1])[::-1].reshape(np.shape(a))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


def _scan_last(x, axis):
    """x with the scan axis last (flattened first if axis is None), and what _scan_back needs."""
    x = np.asarray(x)
    if axis is None:
        return x.ravel(), (x.shape, None)
    return np.moveaxis(x, axis, -1), (None, axis)


def _scan_back(y, undo):
    """The inverse of _scan_last."""
    shape, axis = undo
    return np.reshape(y, shape) if axis is None else np.moveaxis(y, -1, axis)


def _exclusive_cumprods(x):
    """P[..., i, j] = prod_{k <= j, k != i} x[..., k] (O(n^2), used when x has zeros)."""
    n = x.shape[-1]
    rep = np.broadcast_to(x[..., None, :], x.shape[:-1] + (n, n)).copy()
    idx = np.arange(n)
    rep[..., idx, idx] = 1.0
    return np.cumprod(rep, -1)


def cumprod_grad(g, a, z, axis=None):
    """Gradient of np.cumprod: sum_{j >= i} g_j prod_{k <= j, k != i} a_k.

    Without zeros that is revcumsum(g z) / a; with zeros in the input the
    exclusive products are formed explicitly."""
    x, undo = _scan_last(a, axis)
    gz, _ = _scan_last(np.broadcast_to(g, np.shape(z)), axis)
    zz, _ = _scan_last(z, axis)
    if np.all(x != 0):
        return _scan_back(np.flip(np.cumsum(np.flip(gz * zz, -1), -1), -1) / x, undo)
    p = _exclusive_cumprods(x.astype(float))
    n = x.shape[-1]
    upper = np.triu(np.ones((n, n)))
    return _scan_back(np.sum(gz[..., None, :] * p * upper, -1), undo)


def cumprod_tangent(t, a, z, axis=None):
    """Tangent of np.cumprod: sum_{i <= j} t_i prod_{k <= j, k != i} a_k."""
    x, undo = _scan_last(a, axis)
    tt, _ = _scan_last(np.broadcast_to(t, np.shape(a)), axis)
    zz, _ = _scan_last(z, axis)
    if np.all(x != 0):
        return np.reshape(_scan_back(zz * np.cumsum(tt / x, -1), undo), np.shape(z))
    p = _exclusive_cumprods(x.astype(float))
    n = x.shape[-1]
    upper = np.triu(np.ones((n, n)))
    return np.reshape(_scan_back(np.sum(tt[..., :, None] * p * upper, -2), undo), np.shape(z))


def drop_initial(g, x, axis, include_initial):
    """The part of a cumulative_* output (or its gradient) past the initial element."""
    if not include_initial:
        return g
    ax = 0 if axis is None else axis
    return np.take(g, np.arange(1, np.shape(g)[ax]), axis=ax)


def add_initial(t, x, axis, include_initial):
    """A cumulative_* tangent with the (constant) initial element's zero tangent put back."""
    if not include_initial:
        return t
    ax = 0 if axis is None else axis
    shape = list(np.shape(t))
    shape[ax] = 1
    return np.concatenate([np.zeros(shape), t], axis=ax)


def trace_grad(g, a, offset=0, axis1=0, axis2=1):
    """Gradient of np.trace: g placed on the (offset) diagonal of the axis1/axis2 planes."""
    a = np.asarray(a)
    out = np.zeros(a.shape, dtype=np.result_type(a, 1.0))
    view = np.moveaxis(out, (axis1, axis2), (-2, -1))
    n, m = view.shape[-2:]
    eye = np.eye(n, m, k=offset)
    view[...] = np.asarray(g)[..., None, None] * eye
    return out


def quantile_weights(a, q, axis=None, method="linear"):
    """Weights w with quantile(a, q, axis) = sum(w * a, axis): the interpolated order statistics."""
    if method != "linear":
        raise NotImplementedError(f"s2s: quantile method {method!r} has no gradient rule (use 'linear')")
    a = np.asarray(a)
    axes = norm_axes(axis, a.ndim)
    flat, undo = _to_last(a, axes)
    n = flat.shape[-1]
    h = (n - 1) * float(q)
    lo = int(np.floor(h))
    hi = min(lo + 1, n - 1)
    frac = h - lo
    order = np.argsort(flat, axis=-1, kind="stable")
    w = np.zeros(flat.shape)
    np.put_along_axis(w, order[..., lo:lo + 1], 1.0 - frac, -1)
    wh = np.zeros(flat.shape)
    np.put_along_axis(wh, order[..., hi:hi + 1], frac, -1)
    return _from_last(w + wh, undo)


def _q_rows(t, q, z):
    """``t`` (a gradient or tangent of quantile(a, q) for an array q: q's axes first) as one row per q."""
    zs = np.shape(z)
    return np.reshape(np.broadcast_to(t, zs), (int(np.size(q)),) + zs[np.ndim(q):])


def quantile_grad_a(g, a, q, z, axis=None, keepdims=False, method="linear"):
    """Gradient of np.quantile(a, q) with respect to a, for a scalar q or an array of them."""
    if np.ndim(q) == 0:
        return like(expand_to(g, a, axis, keepdims) * quantile_weights(a, q, axis, method), a)
    qs = np.ravel(q)
    gs = _q_rows(g, q, z)
    out = np.zeros(np.shape(a))
    for k in range(len(qs)):
        out = out + expand_to(gs[k], a, axis, keepdims) * quantile_weights(a, qs[k], axis, method)
    return like(out, a)


def quantile_grad_q(g, a, q, z, axis=None, keepdims=False, method="linear"):
    """Gradient of np.quantile(a, q) with respect to q (q's shape)."""
    if np.ndim(q) == 0:
        return np.sum(g * quantile_slope(a, q, axis, keepdims, method))
    qs = np.ravel(q)
    gs = _q_rows(g, q, z)
    parts = []
    for k in range(len(qs)):
        parts.append(np.sum(gs[k] * quantile_slope(a, qs[k], axis, keepdims, method)))
    return np.reshape(np.stack(parts), np.shape(q))


def quantile_tangent(ta, tq, a, q, z, axis=None, keepdims=False, method="linear"):
    """Tangent of np.quantile(a, q) for a scalar q or an array of them (q's axes first in the result)."""
    if np.ndim(q) == 0:
        return tangent_like(reduce_tangent(ta, quantile_weights(a, q, axis, method), axis, keepdims, z)
                            + tq * quantile_slope(a, q, axis, keepdims, method), z)
    qs = np.ravel(q)
    zrow = _q_rows(z, q, z)[0]
    tqs = np.ravel(np.broadcast_to(tq, np.shape(q)))
    parts = []
    for k in range(len(qs)):
        parts.append(reduce_tangent(ta, quantile_weights(a, qs[k], axis, method), axis, keepdims, zrow)
                     + tqs[k] * quantile_slope(a, qs[k], axis, keepdims, method))
    return tangent_like(np.reshape(np.stack(parts), np.shape(z)), z)


def quantile_slope(a, q, axis=None, keepdims=False, method="linear"):
    """d quantile(a, q) / dq: (n - 1) (a_(hi) - a_(lo)) for the bracketing order statistics."""
    a = np.asarray(a)
    axes = norm_axes(axis, a.ndim)
    flat, _ = _to_last(a, axes)
    n = flat.shape[-1]
    s = np.sort(flat, -1)
    h = (n - 1) * float(q)
    lo = int(np.floor(h))
    hi = min(lo + 1, n - 1)
    slope = (s[..., hi] - s[..., lo]) * (n - 1)
    if keepdims:
        slope = np.reshape(slope, tuple(1 if i in axes else k for i, k in enumerate(a.shape)))
    return slope


def _diff_parts(a, axis, prepend, append):
    """The array np.diff differences (prepend/append concatenated) and the part sizes."""
    a = np.asarray(a)
    ax = axis % a.ndim
    def shaped(p):
        p = np.asarray(p, dtype=float)
        if p.ndim == 0:
            shape = list(a.shape)
            shape[ax] = 1
            p = np.broadcast_to(p, shape)
        return p
    pre = shaped(prepend) if prepend is not None else None
    app = shaped(append) if append is not None else None
    pieces = [x for x in (pre, a, app) if x is not None]
    sizes = [0 if pre is None else pre.shape[ax], a.shape[ax], 0 if app is None else app.shape[ax]]
    return np.concatenate(pieces, axis=ax) if len(pieces) > 1 else a, sizes, ax


def diff_grad(g, a, n=1, axis=-1, prepend=None, append=None, part="a"):
    """Gradient of np.diff for the part ``a``, ``prepend`` or ``append``: n adjoint differences."""
    full, sizes, ax = _diff_parts(a, axis, prepend, append)
    for _ in range(n):
        g = -np.diff(g, axis=ax, prepend=0.0, append=0.0)
    i = {"prepend": 0, "a": 1, "append": 2}[part]
    lo = sum(sizes[:i])
    piece = np.take(g, np.arange(lo, lo + sizes[i]), axis=ax)
    target = {"prepend": prepend, "a": a, "append": append}[part]
    return unbroadcast(piece, target) if np.ndim(target) == 0 else piece


def diff_tangent(ta, tp, tap, a, n=1, axis=-1, prepend=None, append=None):
    """Tangent of np.diff along the tangents of a, prepend and append."""
    ax = axis % np.ndim(a)
    ta = np.broadcast_to(ta, np.shape(a))
    tp = None if prepend is None else np.broadcast_to(tp, np.shape(prepend))
    tap = None if append is None else np.broadcast_to(tap, np.shape(append))
    full, _, _ = _diff_parts(ta, ax, tp, tap)
    return np.diff(full, n=n, axis=ax)


def _ediff_core_len(ary):
    return max(np.size(ary) - 1, 0)


def ediff1d_grad(g, ary, to_end=None, to_begin=None, part="ary"):
    """Gradient of np.ediff1d (flattened differences with optional ends)."""
    g = np.ravel(g)
    nb = 0 if to_begin is None else np.size(to_begin)
    core = g[nb:nb + _ediff_core_len(ary)]
    if part == "ary":
        return (-np.diff(core, prepend=0.0, append=0.0)).reshape(np.shape(ary))
    if part == "to_begin":
        return g[:nb].reshape(np.shape(to_begin))
    return g[nb + _ediff_core_len(ary):].reshape(np.shape(to_end))


def ediff1d_tangent(ta, te, tb, ary, to_end=None, to_begin=None):
    """Tangent of np.ediff1d."""
    ta = np.broadcast_to(ta, np.shape(ary)).astype(float)
    return np.ediff1d(ta, None if to_end is None else np.broadcast_to(te, np.shape(to_end)),
                      None if to_begin is None else np.broadcast_to(tb, np.shape(to_begin))).astype(float)


def _trapz_weights(n, x, dx, ndim, ax):
    """Per-sample weights of the trapezoid rule along ``ax`` (shaped to broadcast)."""
    if x is None:
        w = np.full(n, float(dx))
        w[0] = w[-1] = 0.5 * dx
        shape = [1] * ndim
        shape[ax] = n
        return w.reshape(shape)
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        h = np.diff(x)
        w = 0.5 * (np.concatenate([[0.0], h]) + np.concatenate([h, [0.0]]))
        shape = [1] * ndim
        shape[ax] = n
        return w.reshape(shape)
    h = np.diff(x, axis=ax)
    return 0.5 * _pad_sum(h, ax)


def _pad_sum(h, ax):
    z = np.zeros_like(np.take(h, [0], axis=ax))
    return np.concatenate([z, h], axis=ax) + np.concatenate([h, z], axis=ax)


def trapezoid_grad_y(g, y, x=None, dx=1.0, axis=-1):
    """Gradient of np.trapezoid with respect to the samples y."""
    y = np.asarray(y)
    ax = axis % y.ndim
    w = _trapz_weights(y.shape[ax], x, dx, y.ndim, ax)
    return unbroadcast(np.expand_dims(g, ax) * w, y)


def trapezoid_grad_x(g, y, x, axis=-1):
    """Gradient of np.trapezoid with respect to the sample points x (1-d or y-shaped)."""
    y = np.asarray(y, dtype=float)
    ax = axis % y.ndim
    s = np.take(y, np.arange(1, y.shape[ax]), axis=ax) + np.take(y, np.arange(y.shape[ax] - 1), axis=ax)
    # z = sum_i 0.5 (x[i+1] - x[i]) s[i]  =>  dz/dx = 0.5 * (pad(s, before) - pad(s, after))
    zero = np.zeros_like(np.take(s, [0], axis=ax))
    dx_full = 0.5 * (np.concatenate([zero, s], axis=ax) - np.concatenate([s, zero], axis=ax))
    full = np.expand_dims(g, ax) * dx_full
    if np.ndim(x) == 1 and y.ndim > 1:
        return np.sum(full, axis=tuple(i for i in range(y.ndim) if i != ax))
    return unbroadcast(full, x)


def trapezoid_tangent_x(t, y, x, axis=-1):
    """Tangent of np.trapezoid along the tangent t of the sample points x."""
    if x is None:
        return 0.0
    y = np.asarray(y, dtype=float)
    ax = axis % y.ndim
    t = np.broadcast_to(t, np.shape(x))
    if np.ndim(x) == 1 and y.ndim > 1:
        shape = [1] * y.ndim
        shape[ax] = -1
        t = t.reshape(shape)
    s = np.take(y, np.arange(1, y.shape[ax]), axis=ax) + np.take(y, np.arange(y.shape[ax] - 1), axis=ax)
    return np.sum(0.5 * np.diff(t, axis=ax) * s, axis=ax)


def trapezoid_grad_dx(g, y, x=None, axis=-1):
    """Gradient of np.trapezoid with respect to the spacing dx (unused when x is given)."""
    if x is not None:
        return 0.0
    return np.sum(g * np.trapezoid(y, axis=axis))


def trapezoid_unit(y, x=None, axis=-1):
    """d np.trapezoid(y, dx=dx) / d dx (unused when x is given)."""
    return 0.0 if x is not None else np.trapezoid(y, axis=axis)


# --- np.cov / np.corrcoef: C = Xc Xc^T / (N - ddof), X the variables as rows (m's, then y's)
def _cov_rows(a, rowvar):
    x = np.array(a, ndmin=2, dtype=float_dtype(a))
    return x.T if not rowvar and x.shape[0] != 1 else x


def _cov_design(m, y, rowvar):
    x = _cov_rows(m, rowvar)
    if y is not None:
        x = np.concatenate([x, _cov_rows(y, rowvar)], axis=0)
    return x


def _cov_factor(n, bias, ddof):
    return n - (ddof if ddof is not None else (0 if bias else 1))


def _cov_back(gx, a, rowvar):
    """A gradient with respect to the design rows of ``a`` given back in a's shape."""
    x = np.array(a, ndmin=2)
    if not rowvar and x.shape[0] != 1:
        gx = gx.T
    return np.reshape(gx, np.shape(a)) if np.ndim(a) else float(np.sum(gx))


def cov_grad(g, m, y, rowvar=True, bias=False, ddof=None, which="m"):
    """Gradient of np.cov for m or y: (G + G^T) Xc / (N - ddof), split back into m's and y's rows."""
    if which == "y" and y is None:
        return 0.0
    x = _cov_design(m, y, rowvar)
    n = x.shape[0]
    xc = x - x.mean(axis=1, keepdims=True)
    gm = np.reshape(np.asarray(g), (n, n))
    gx = (gm + gm.T) @ xc / _cov_factor(x.shape[1], bias, ddof)
    rows = _cov_rows(m, rowvar).shape[0]
    return _cov_back(gx[:rows], m, rowvar) if which == "m" else _cov_back(gx[rows:], y, rowvar)


def cov_tangent(tm, ty, m, y, rowvar=True, bias=False, ddof=None):
    """Tangent of np.cov: (dXc Xc^T + Xc dXc^T) / (N - ddof)."""
    x = _cov_design(m, y, rowvar)
    tm = np.zeros(np.shape(m)) if is_zero(tm) else np.broadcast_to(tm, np.shape(m))
    t = _cov_rows(tm, rowvar)
    if y is not None:
        ty = np.zeros(np.shape(y)) if is_zero(ty) else np.broadcast_to(ty, np.shape(y))
        t = np.concatenate([t, _cov_rows(ty, rowvar)], axis=0)
    xc = x - x.mean(axis=1, keepdims=True)
    tc = t - t.mean(axis=1, keepdims=True)
    out = (tc @ xc.T + xc @ tc.T) / _cov_factor(x.shape[1], bias, ddof)
    return out.squeeze()


def _corr_parts(x, y, rowvar):
    c = np.atleast_2d(np.cov(x, y, rowvar))
    s = np.sqrt(np.diag(c))
    return c, s, c / np.outer(s, s)


def corrcoef_to_cov(g, x, y, rowvar=True):
    """The gradient of np.corrcoef's R = C / (s s^T), s = sqrt(diag C), as a gradient for C."""
    c, s, r = _corr_parts(x, y, rowvar)
    g = np.reshape(np.asarray(g, dtype=float), r.shape)
    gc = g / np.outer(s, s)
    gr = g * r
    gs = -(gr.sum(axis=1) + gr.sum(axis=0)) / s
    return gc + np.diag(gs / (2 * s))


def corrcoef_tangent(tc, x, y, rowvar=True):
    """Tangent of np.corrcoef from the tangent of the covariance."""
    c, s, r = _corr_parts(x, y, rowvar)
    tc = np.reshape(tc, c.shape)
    ts = np.diag(tc) / (2 * s)
    out = tc / np.outer(s, s) - r * (ts / s)[:, None] - r * (ts / s)[None, :]
    return out.squeeze()


# --- np.gradient's adjoint: each axis's finite-difference operator M is banded (|j - i| <= 2, for every
# spacing and edge order), so M^T g is computed from M's five diagonals, read off with five
# np.gradient calls on combs (ones at every fifth point): O(n), not the O(n^2) of the full matrix.
def _gradient_band(n, spacing, edge_order):
    """B[o + 2, i] = M[i, i + o] for the operator out = np.gradient(f, *spacing) along one axis."""
    i = np.arange(n)
    band = np.zeros((5, n))
    for r in range(5):
        out = np.gradient((i % 5 == r).astype(float), *spacing, edge_order=edge_order)
        o = (r - i + 2) % 5 - 2
        band[o + 2, i] = out
    return band


def _gradient_axes(f, axis):
    if axis is None:
        return list(range(np.ndim(f)))
    axes = [axis] if np.ndim(axis) == 0 else list(axis)
    return [a % np.ndim(f) for a in axes]


def gradient_grad(g, f, varargs=(), axis=None, edge_order=1):
    """Gradient of np.gradient(f, *varargs, axis=, edge_order=) with respect to f."""
    f = np.asarray(f)
    axes = _gradient_axes(f, axis)
    gs = list(g) if len(axes) > 1 else [g]
    if len(varargs) == 0:
        spacing = [()] * len(axes)
    elif len(varargs) == 1:
        spacing = [tuple(varargs)] * len(axes)
    else:
        spacing = [(v,) for v in varargs]
    total = np.zeros(f.shape, dtype=float_dtype(f))
    for ax, gk, sp in zip(axes, gs, spacing):
        if is_zero(gk):
            continue
        n = f.shape[ax]
        band = _gradient_band(n, sp, edge_order)
        gk = np.moveaxis(np.broadcast_to(gk, f.shape), ax, 0)
        out = np.zeros(gk.shape)
        extra = (slice(None),) + (None,) * (gk.ndim - 1)
        for o in range(-2, 3):     # out[j] += M[j - o, j] g[j - o]
            c = band[o + 2][extra] * gk
            if o >= 0:
                out[o:] += c[:n - o]
            else:
                out[:n + o] += c[-o:]
        total += np.moveaxis(out, 0, ax)
    return total


def _gradient_spacing_of(varargs, axes):
    """For each differentiated axis, the index into varargs of its spacing (None: the default 1)."""
    if len(varargs) == 0:
        return [None] * len(axes)
    if len(varargs) == 1:
        return [0] * len(axes)
    return list(range(len(axes)))


def gradient_grad_spacing(g, z, f, varargs, axis=None):
    """Gradients of np.gradient for scalar spacings h: -sum(g * z) / h over the axes h applies to."""
    axes = _gradient_axes(np.asarray(f), axis)
    gs, zs = (list(g), list(z)) if len(axes) > 1 else ([g], [z])
    out = [0.0] * len(varargs)
    for k, (gk, zk) in zip(_gradient_spacing_of(varargs, axes), zip(gs, zs)):
        if k is None or is_zero(gk):
            continue
        h = varargs[k]
        if np.ndim(h) != 0:
            raise NotImplementedError("s2s: no derivative of np.gradient with respect to coordinate arrays "
                                      "(scalar spacings and f are differentiated)")
        out[k] = out[k] - float(np.sum(np.asarray(gk) * zk)) / h
    return GradList(out)


def gradient_tangent(tf, tv, z, f, varargs=(), axis=None, edge_order=1):
    """Tangent of np.gradient: np.gradient(tf, ...) - z dh / h for scalar spacings."""
    axes = _gradient_axes(np.asarray(f), axis)
    zs = list(z) if len(axes) > 1 else [z]
    parts = [np.zeros(np.shape(e)) for e in zs]
    if not is_zero(tf):
        t = np.gradient(np.broadcast_to(tf, np.shape(f)), *varargs, axis=axis, edge_order=edge_order)
        parts = list(t) if len(axes) > 1 else [t]
    if not is_zero(tv):
        for i, k in enumerate(_gradient_spacing_of(varargs, axes)):
            if k is None or is_zero(tv[k]):
                continue
            if np.ndim(varargs[k]) != 0:
                raise NotImplementedError("s2s: no derivative of np.gradient with respect to coordinate arrays")
            parts[i] = parts[i] - zs[i] * tv[k] / varargs[k]
    return tuple(parts) if len(axes) > 1 else parts[0]


# piecewise constant in a (which elements sit at the quantile): no derivative of its own
nondifferentiable(quantile_weights)


# np.bincount / np.histogram are linear in weights= (a sum of the weights falling in each bin); the
# indices, values and edges carry no derivative (they choose bins).
@adjoint(np.bincount, nondiff=("x", "minlength"))
def bincount(z, x, weights=None, minlength=0):
    d[weights] = like(np.asarray(d[z])[x], weights)
@tangent(np.bincount, nondiff=("x", "minlength"))
def bincount_fwd(z, x, weights=None, minlength=0): d[z] = np.bincount(x, d[weights], minlength)
@adjoint(np.histogram, nondiff=("a", "bins", "range", "density"))
def histogram(z, a, bins=10, range=None, density=None, weights=None):
    d[weights] = like(histogram_weights_grad(d[z], a, z, density, weights), weights)
@tangent(np.histogram, nondiff=("a", "bins", "range", "density"))
def histogram_fwd(z, a, bins=10, range=None, density=None, weights=None):
    d[z] = histogram_tangent(d[weights], a, z, density, weights)


@adjoint(np.histogram2d, nondiff=("x", "y", "bins", "range", "density"))
def histogram2d(z, x, y, bins=10, range=None, density=None, weights=None):
    d[weights] = like(histogramdd_weights_grad(d[z], [x, y], list(z[1:]), density, weights), weights)
@tangent(np.histogram2d, nondiff=("x", "y", "bins", "range", "density"))
def histogram2d_fwd(z, x, y, bins=10, range=None, density=None, weights=None):
    d[z] = histogramdd_tangent(d[weights], [x, y], list(z[1:]), density, weights, z, True)
@adjoint(np.histogramdd, nondiff=("sample", "bins", "range", "density"))
def histogramdd(z, sample, bins=10, range=None, density=None, weights=None):
    d[weights] = like(histogramdd_weights_grad(d[z], sample, z[1], density, weights), weights)
@tangent(np.histogramdd, nondiff=("sample", "bins", "range", "density"))
def histogramdd_fwd(z, sample, bins=10, range=None, density=None, weights=None):
    d[z] = histogramdd_tangent(d[weights], sample, z[1], density, weights, z, False)
# the edges np.histogram_bin_edges computes depend on the data (its range, the rule for bins="auto"): refused
# when the data carries a derivative, else a constant; weights= never moves them (NumPy refuses weighted data
# for the automated bin rules): their derivative is zero
@adjoint(np.histogram_bin_edges, nondiff=("a", "bins", "range"))
def histogram_bin_edges(z, a, bins=10, range=None, weights=None): d[weights] = np.zeros_like(weights, dtype=np.result_type(weights, np.float16))
@tangent(np.histogram_bin_edges, nondiff=("a", "bins", "range"))
def histogram_bin_edges_fwd(z, a, bins=10, range=None, weights=None): d[z] = np.zeros_like(z) * np.sum(d[weights])


def _histogramdd_bins(sample, edges):
    """Each point's bin of ``np.histogramdd(sample)`` as a flat index into the histogram, -1 outside."""
    if isinstance(sample, np.ndarray) and sample.ndim == 2:
        cols = sample.T
    else:
        cols = np.atleast_2d(sample)   # (numpy: np.atleast_2d(sample).T, points by row)
    per = [_histogram_bins(c, e) for c, e in zip(cols, edges)]
    shape = tuple(len(e) - 1 for e in edges)
    outside = np.zeros(len(per[0]), dtype=bool)
    for i in per:
        outside |= i < 0
    flat = np.ravel_multi_index(tuple(np.maximum(i, 0) for i in per), shape)
    return np.where(outside, -1, flat), shape


def histogramdd_weights_grad(g, sample, edges, density, weights):
    """d weights of ``np.histogramdd`` / ``np.histogram2d``: each weight's bin's adjoint (0 outside)."""
    _refuse_density(density)
    i, _ = _histogramdd_bins(sample, edges)
    gh = np.asarray(g[0]).ravel()
    return np.where(i >= 0, gh[np.maximum(i, 0)], 0.0).reshape(np.shape(weights))


def histogramdd_tangent(t, sample, edges, density, weights, z, flat):
    """The tangent of ``(hist, *edges)`` (histogram2d, ``flat``) or ``(hist, edges)``: the tangent weights
    summed per bin; the edges are constant."""
    _refuse_density(density)
    i, shape = _histogramdd_bins(sample, edges)
    inside = i >= 0
    hist = np.bincount(i[inside], np.broadcast_to(t, np.shape(weights)).ravel()[inside], int(np.prod(shape)))
    hist = hist.reshape(shape).astype(np.result_type(z[0], np.float32), copy=False)
    zeros = [np.zeros_like(e) for e in edges]
    return (hist, *zeros) if flat else (hist, zeros)


def _histogram_bins(a, edges):
    """Each value's bin as np.histogram counts it (the last bin includes its right edge), -1 outside."""
    a = np.asarray(a).ravel()
    i = np.searchsorted(edges, a, side="right") - 1
    i = np.where(a == edges[-1], len(edges) - 2, i)
    return np.where((a < edges[0]) | (a > edges[-1]), -1, i)


def _refuse_density(density):
    if density:
        from s2s.errors import DifferentiationError
        raise DifferentiationError("np.histogram(..., weights=w, density=True): s2s has no derivative for the "
                                   "normalised histogram. Normalise it yourself: `h, e = np.histogram(a, bins, "
                                   "weights=w); h = h / (np.sum(h) * np.diff(e))`.")


def histogram_weights_grad(g, a, z, density, weights):
    """d weights of ``np.histogram(a, ..., weights=weights)``: each weight's bin's adjoint (0 outside)."""
    _refuse_density(density)
    gh = np.asarray(g[0])
    i = _histogram_bins(a, z[1])
    return np.where(i >= 0, gh[np.maximum(i, 0)], 0.0).reshape(np.shape(weights))


def histogram_tangent(t, a, z, density, weights):
    """The tangent of ``(hist, edges)``: the tangent weights summed per bin; the edges are constant."""
    _refuse_density(density)
    i = _histogram_bins(a, z[1])
    inside = i >= 0
    hist = np.bincount(i[inside], np.broadcast_to(t, np.shape(weights)).ravel()[inside], len(z[1]) - 1)
    return (hist.astype(np.result_type(z[0], np.float32), copy=False), np.zeros_like(z[1]))
