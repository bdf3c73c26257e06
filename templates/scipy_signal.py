"""scipy.signal.convolve (modes full, valid, same; any number of dimensions).

Loaded on first use of scipy.signal (s2s.registry.LAZY). Convolution is
bilinear: the tangent is ``convolve(da, b) + convolve(a, db)`` in the same
mode. The gradient of a full convolution is a valid correlation of the
output gradient with the other operand (``convolve(g, flip(b), 'valid')``);
for 'valid' and 'same' the output gradient is first placed where that part
sits inside the full output (zeros elsewhere).
"""
import numpy as np

from s2s.registry import adjoint, tangent, d
from s2s.rule_helpers import is_zero, like

try:
    import scipy.signal as _signal
except ImportError:  # SciPy is optional
    _signal = None

if _signal is not None:
    @adjoint(_signal.convolve)
    def convolve(z, in1, in2, mode="full", method="auto"):
        d[in1] = like(convolve_grad(d[z], in1, in2, mode, 1), in1)
        d[in2] = like(convolve_grad(d[z], in1, in2, mode, 2), in2)
    @tangent(_signal.convolve)
    def convolve_fwd(z, in1, in2, mode="full", method="auto"):
        d[z] = like(convolve_tangent(d[in1], d[in2], in1, in2, mode), z)


def _check_mode(mode):
    if mode not in ("full", "valid", "same"):
        raise ValueError(f"acceptable mode flags are 'valid', 'same', or 'full' (got {mode!r})")


def full_gradient(g, shape1, shape2, mode):
    """The gradient of the full convolution of arrays of shapes shape1 and shape2, given the gradient
    g of its ``mode`` part ('valid': the middle; 'same': the centered part of in1's shape)."""
    _check_mode(mode)
    full = [n1 + n2 - 1 for n1, n2 in zip(shape1, shape2)]
    if mode == "full":
        return np.broadcast_to(g, full)
    part = [abs(n1 - n2) + 1 if mode == "valid" else n1 for n1, n2 in zip(shape1, shape2)]
    starts = [min(n1, n2) - 1 if mode == "valid" else (nf - n1) // 2 for n1, n2, nf in zip(shape1, shape2, full)]
    return np.pad(np.broadcast_to(g, part), [(s, nf - s - n) for s, nf, n in zip(starts, full, part)])


def convolve_grad(g, in1, in2, mode="full", wrt=1):
    """Gradient of scipy.signal.convolve(in1, in2, mode) with respect to in1 (wrt=1) or in2 (wrt=2)."""
    gf = full_gradient(g, np.shape(in1), np.shape(in2), mode)
    return _signal.convolve(gf, np.flip(in2 if wrt == 1 else in1), "valid")


def convolve_tangent(t1, t2, in1, in2, mode="full"):
    """Tangent of scipy.signal.convolve(in1, in2, mode)."""
    out = 0.0
    if not is_zero(t1):
        out = out + _signal.convolve(np.broadcast_to(t1, np.shape(in1)), in2, mode)
    if not is_zero(t2):
        out = out + _signal.convolve(in1, np.broadcast_to(t2, np.shape(in2)), mode)
    return out
