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
    dt = getattr(x, "dtype", None)
    if dt is not None and np.issubdtype(dt, np.floating) and out.dtype != dt:
        out = out.astype(dt)    # the gradient of a float32 array is float32 (a Python seed is float64)
    return out


def grad_reshape(g, x):
    """The gradient of a reshape of x, given back in x's shape (a float for a Python number)."""
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        return float(np.reshape(g, ()))
    return np.reshape(g, np.shape(x))


def like(g, x):
    """``g`` in x's float dtype, when x is a float array of another one (float32 stays float32)."""
    dt = getattr(x, "dtype", None)
    if dt is not None and np.issubdtype(dt, np.floating) and getattr(g, "dtype", dt) != dt:
        return np.asarray(g).astype(dt)
    return g


def reduced_count(x, axis=None):
    """How many elements of x each output of a reduction over ``axis`` averages."""
    shape = np.shape(x)
    if axis is None:
        return max(int(np.prod(shape)), 1) if shape else 1
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return int(np.prod([shape[a] for a in axes]))
