"""s2s: source-to-source automatic differentiation for Python and NumPy.

``s2s.grad(f)`` reads f's source and generates a new, readable Python
function that computes its gradient. The documentation (docs/, built with
MkDocs) describes the API.
"""
__version__ = "0.1.0"  # the one version number (pyproject.toml reads it)

from .errors import DifferentiationError
from .registry import adjoint, tangent, nondifferentiable
from .runtime import insert_grad_of, stop_gradient
from .checkpointing import checkpoint
from .api import grad, value_and_grad, vjp, jvp, value_and_jvp, derivative, hvp, autodiff, source
from .matrices import hessian, jacobian
from .flatten import flatten
from . import record_copies as _record_copies  # noqa: F401,E402  (registers the rules of dataclasses.asdict)
from .explain import explain
from .sources import function

from .numeric import numeric_grad, check_grad

try:
    from . import templates as _templates  # noqa: F401,E402  (registers the rules)
except ImportError as _e:  # pragma: no cover - a broken installation
    raise ImportError(
        f"s2s cannot load its derivative rules (the package s2s.templates): {_e}. In a source checkout, "
        "s2s/templates must be a symlink to ../templates (git clone with core.symlinks=true); otherwise "
        "reinstall s2s.") from _e
