"""Numerical helpers that several templates share."""
import numpy as np


def grad_reduce(g, x, axis=None, keepdims=False):
    """Spread the gradient of a reduction over ``axis`` back to the shape of x."""
    shape = np.shape(x)
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        g = np.expand_dims(g, tuple(a % len(shape) for a in axes))
    out = np.broadcast_to(g, shape)
    if not shape:
        return float(out) if isinstance(x, (float, int)) else out[()]
    return out


def grad_reshape(g, x):
    """The gradient of a reshape of x, given back in x's shape."""
    return np.reshape(g, np.shape(x))
