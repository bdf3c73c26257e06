"""Shape helpers shared by the rule modules.

Forward-mode templates are filled in with ``0`` for the tangent of an
inactive argument and then simplified, so ``d[x] * y + x * d[y]`` may come
out as ``d[x] * y`` whose shape is x's broadcast with y's but not
necessarily the result's. ``tangent_like`` gives a tangent the shape of
the primal result; ``fill_zeros`` turns the ``0`` placeholders in a list
of gradients or tangents into zero arrays shaped like the matching values.
"""
import numpy as np


def _float_dtype(x):
    dt = getattr(x, "dtype", None)
    if dt is not None and np.issubdtype(dt, np.floating):
        return dt
    return np.float64


def tangent_like(t, z):
    """The tangent ``t`` broadcast to the shape of the primal value ``z``."""
    if isinstance(z, (list, tuple, dict)):   # a container (ragged: np.shape fails): its tangent is one already
        return t
    zs = np.shape(z)
    if np.shape(t) == zs:
        return float(t) if not zs and isinstance(z, (float, int)) and isinstance(t, np.ndarray) else t
    if not zs and isinstance(z, (float, int)):
        return float(np.sum(t)) if np.ndim(t) else float(t)
    return np.broadcast_to(t, zs).astype(_float_dtype(z))


def is_zero(t):
    """True for a missing or placeholder-zero gradient (None, 0, 0.0)."""
    if t is None:
        return True
    if isinstance(t, (list, tuple, dict, np.ndarray)):   # (np.ndim of a ragged list would fail)
        return False
    return np.ndim(t) == 0 and t == 0


def zeros_of(x):
    """A float zero shaped like x (a Python float for a Python number)."""
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        return 0.0
    return np.zeros(np.shape(x), dtype=_float_dtype(x))


def fill_zeros(ts, xs):
    """``ts`` (gradients or tangents, one per value of ``xs``) with placeholders made zeros."""
    return [zeros_of(x) if is_zero(t) else tangent_like(t, x) for t, x in zip(ts, xs)]


def fill_zero(t, x):
    """One gradient or tangent ``t`` of ``x``, a placeholder zero made a real zero of x's shape."""
    return zeros_of(x) if is_zero(t) else t
