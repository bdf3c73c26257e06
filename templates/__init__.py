"""Derivative rules, as tables of short Python templates (``d[x]`` notation).

Importing this package registers every rule in ``s2s.registry``. Each module
is one family; see s2s/registry.py for the template conventions.
"""
from . import operators, numpy_core, runtime_rules  # noqa: F401
from . import ufuncs, reductions, shapes, linalg, methods, pymath, nondiff  # noqa: F401
from . import structures  # noqa: F401  (last: its list/array rules take precedence)
# scipy_rules and scipy_stats load on first use (s2s.registry.LAZY): importing SciPy is slow.

from s2s import runtime as _runtime  # noqa: E402
from s2s.registry import nondifferentiable as _nondifferentiable  # noqa: E402

_nondifferentiable(_runtime.broadcast_shape)   # shape bookkeeping in generated code
