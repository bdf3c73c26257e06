"""scipy.optimize's test function: the Rosenbrock function and its gradient.

Loaded on first use of scipy.optimize (s2s.registry.LAZY). ``rosen(x)`` sums
``100 (x[i+1] - x[i]**2)**2 + (1 - x[i])**2`` along axis 0 (any number of
dimensions); its gradient is SciPy's own ``rosen_der``, and ``rosen_der``'s
derivative, the Hessian (symmetric), is applied as a Hessian-vector product
(``rosen_hess_prod`` below, along axis 0 as ``rosen`` is), so hvp and
Hessians of code that calls ``rosen`` work. ``rosen_hess`` (a matrix) has
no rule: its derivative is a third-order tensor.
"""
import numpy as np

from s2s.registry import adjoint, tangent, d

try:
    import scipy.optimize as so
except ImportError:  # SciPy is optional
    so = None


def rosen_hess_prod(x, p):
    """H(x) @ p for the Rosenbrock function, along axis 0 (SciPy's rosen_hess_prod is 1-D only)."""
    x = np.asarray(x)
    p = np.asarray(p)
    hp = np.zeros(np.broadcast_shapes(x.shape, p.shape), dtype=np.result_type(x, p, 1.0))
    a = x[1:] - x[:-1] ** 2
    hp[:-1] += (-400 * a + 800 * x[:-1] ** 2 + 2) * p[:-1] - 400 * x[:-1] * p[1:]
    hp[1:] += 200 * (p[1:] - 2 * x[:-1] * p[:-1])
    return hp


if so is not None:
    @adjoint(so.rosen)
    def rosen(z, x): d[x] = d[z] * so.rosen_der(x)
    @tangent(so.rosen)
    def rosen_fwd(z, x): d[z] = np.sum(so.rosen_der(x) * d[x], axis=0)
    @adjoint(so.rosen_der)
    def rosen_der(z, x): d[x] = rosen_hess_prod(x, d[z])
    @tangent(so.rosen_der)
    def rosen_der_fwd(z, x): d[z] = rosen_hess_prod(x, d[x])
