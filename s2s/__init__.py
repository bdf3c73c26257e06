"""s2s: source-to-source automatic differentiation for Python and NumPy.

``s2s.grad(f)`` reads f's source and generates a new, readable Python
function that computes its gradient. See DESIGN.md section 1 for the API.
"""
from .errors import DifferentiationError
from .registry import adjoint, tangent, nondifferentiable
from .runtime import insert_grad_of, stop_gradient
from .checkpointing import checkpoint
from .api import grad, value_and_grad, autodiff, source
from .forward_api import jvp, value_and_jvp, derivative, hvp, hessian, jacobian

try:
    from .numeric import numeric_grad, check_grad
except ImportError:  # pragma: no cover - written alongside
    pass

from . import templates as _templates  # noqa: F401,E402  (registers the rules)

__version__ = "0.1.0"
