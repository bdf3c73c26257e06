"""scipy.spatial.distance: ``cdist``, ``pdist`` and ``squareform``, as kernel and Gaussian-process code uses them
(``K = exp(-cdist(X / ell, Y / ell, "sqeuclidean") / 2)``).

Loaded on first use of scipy.spatial (s2s.registry.LAZY). ``squareform`` is linear (a condensed vector to a
symmetric matrix, or the upper triangle of a matrix back to a vector). ``cdist``/``pdist`` have rules for the
metrics ``"euclidean"`` (the gradient of a zero distance is taken as 0, as for ``np.linalg.norm``) and
``"sqeuclidean"``; another metric (or a callable) is refused when the gradient or tangent runs, naming the metric.
"""
import numpy as np

from s2s.registry import adjoint, tangent, d
from s2s.rule_helpers import is_zero

try:
    import scipy.spatial.distance as ssd
except ImportError:  # SciPy is optional
    ssd = None

METRICS = ("euclidean", "sqeuclidean")


def _check_metric(metric, fn):
    if not (isinstance(metric, str) and metric in METRICS):
        from s2s.errors import DifferentiationError
        from s2s.runtime import _user_line
        raise DifferentiationError(
            _user_line() + f"s2s differentiates scipy.spatial.distance.{fn} with metric 'euclidean' or 'sqeuclidean' "
            f"only, not {metric!r}.\nWrite the distance with NumPy (e.g. np.abs(XA[:, None] - XB[None]).sum(-1) for "
            "'cityblock') and s2s differentiates that.")


def _weights(g, D, metric):
    """The pair weights W with d/dXA_i = sum_j W_ij (XA_i - XB_j): g / D (0 where D == 0), or 2 g."""
    if metric == "sqeuclidean":
        return 2 * g
    return np.where(D > 0, g / np.where(D > 0, D, 1), 0)


def cdist_grad(g, XA, XB, D, metric="euclidean", which="XA"):
    """Gradient of cdist(XA, XB, metric) for XA (which="XA") or XB."""
    _check_metric(metric, "cdist")
    W = _weights(g, D, metric)
    if which == "XA":
        return np.sum(W, axis=1)[:, None] * XA - W @ XB
    return np.sum(W, axis=0)[:, None] * XB - W.T @ XA


def cdist_tangent(dXA, dXB, XA, XB, D, metric="euclidean"):
    """Tangent of cdist: <XA_i - XB_j, dXA_i - dXB_j>, divided by D_ij (euclidean) or times 2 (sqeuclidean)."""
    _check_metric(metric, "cdist")
    inner = np.zeros(np.shape(D))
    if not is_zero(dXA):
        inner = inner + np.sum(XA * dXA, axis=1)[:, None] - dXA @ XB.T
    if not is_zero(dXB):
        inner = inner + np.sum(XB * dXB, axis=1)[None, :] - XA @ dXB.T
    if metric == "sqeuclidean":
        return 2 * inner
    return np.where(D > 0, inner / np.where(D > 0, D, 1), 0)


def pdist_grad(g, X, y, metric="euclidean"):
    """Gradient of pdist(X, metric) (y: the condensed distances)."""
    _check_metric(metric, "pdist")
    G = ssd.squareform(g, checks=False)
    D = ssd.squareform(y, checks=False)
    W = _weights(G, D, metric)
    return np.sum(W, axis=1)[:, None] * X - W @ X


def pdist_tangent(dX, X, y, metric="euclidean"):
    _check_metric(metric, "pdist")
    D = ssd.squareform(y, checks=False)
    return ssd.squareform(cdist_tangent(dX, dX, X, X, D, metric), checks=False)


def squareform_grad(g, X):
    """squareform is linear: a vector's gradient is the upper triangle of g + g.T, a matrix's is g's upper
    triangle (squareform reads only the entries above the diagonal)."""
    g = np.asarray(g)
    if np.ndim(X) == 1:
        return ssd.squareform(g + g.T, checks=False)
    return np.triu(ssd.squareform(g, checks=False), 1)


if ssd is not None:
    @adjoint(ssd.cdist, nondiff=('metric',))
    def cdist(z, XA, XB, metric="euclidean"):
        d[XA] = cdist_grad(d[z], XA, XB, z, metric, "XA")
        d[XB] = cdist_grad(d[z], XA, XB, z, metric, "XB")
    @tangent(ssd.cdist, nondiff=('metric',))
    def cdist_fwd(z, XA, XB, metric="euclidean"): d[z] = cdist_tangent(d[XA], d[XB], XA, XB, z, metric)
    @adjoint(ssd.pdist, nondiff=('metric',))
    def pdist(z, X, metric="euclidean"): d[X] = pdist_grad(d[z], X, z, metric)
    @tangent(ssd.pdist, nondiff=('metric',))
    def pdist_fwd(z, X, metric="euclidean"): d[z] = pdist_tangent(d[X], X, z, metric)
    @adjoint(ssd.squareform, nondiff=('force', 'checks'))
    def squareform(z, X, force="no", checks=True): d[X] = squareform_grad(d[z], X)
    @tangent(ssd.squareform, nondiff=('force', 'checks'))
    def squareform_fwd(z, X, force="no", checks=True): d[z] = ssd.squareform(d[X], force=force, checks=False)
