"""Derivative rules, as tables of short Python templates (``d[x]`` notation).

Importing this package registers every rule in ``s2s.registry``. Each module
is one family; see s2s/registry.py for the template conventions.
"""
from . import operators, numpy_core, math_rules, structures, tangents_core, runtime_rules  # noqa: F401
