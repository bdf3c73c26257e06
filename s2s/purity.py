"""Purity: whether an expression may be removed, merged or moved (it has no side effects).

The optimizer (s2s/optimize/) asks before it drops or merges code; checkpointing asks whether a
loop body may be run again. What changes its arguments is effects.py's (``IMPURE_METHODS``);
this adds random draws, I/O and the functions that run the user's code.
"""
import heapq
import math
import statistics
import types

import gast
import numpy as np

from . import astutil, runtime
from .effects import IMPURE_METHODS as _EFFECT_METHODS, WRITING_FUNCTIONS as _WRITING

# Methods of NumPy's random generators (rs.randn(3), rng.normal(...) on a generator passed in): each call
# draws new numbers, so it is never removed, merged with another or repeated.
RANDOM_METHODS = {m for cls in (np.random.RandomState, np.random.Generator) for m in dir(cls) if not m.startswith("_")}
IMPURE_METHODS = _EFFECT_METHODS | (RANDOM_METHODS - set(dir(np.ndarray)))   # effects.py: mutators and I/O
_RANDOM_TYPES = (np.random.RandomState, np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)
PURE_BUILTINS = {len, range, reversed, float, int, abs, min, max, sum, list, tuple, dict, zip, enumerate,
                 isinstance, bool, round, pow, divmod, type,
                 heapq.nsmallest, heapq.nlargest, statistics.mean, statistics.fmean, statistics.median,
                 statistics.variance, statistics.pvariance, statistics.stdev, statistics.pstdev}


_DOMAIN = frozenset({"log", "log2", "log10", "log1p", "sqrt", "acos", "asin", "acosh", "atanh", "pow", "fmod",
                     "gamma", "lgamma", "factorial", "comb", "perm", "isqrt", "remainder"})


class Purity:
    """Decides whether an expression can be removed or moved (no side effects)."""

    def __init__(self, resolve):
        self.resolve = resolve

    def removable(self, node):
        """Pure, and raises nothing the primal would: a ``math`` function defined on part of the line
        (``math.log(-2.0)``, ``math.sqrt``, ``math.acos``) raises on a domain error; the gradient's code raises
        there too rather than give a number where the function is undefined (dead-code elimination keeps it)."""
        if not self.pure(node):
            return False
        for n in astutil.walk_bfs(node):
            if isinstance(n, gast.Call) and isinstance(n.func, (gast.Name, gast.Attribute)):
                obj = self.resolve(n.func)
                if getattr(obj, "__module__", None) == "math" and getattr(obj, "__name__", None) in _DOMAIN:
                    return False
        return True

    def callee_pure(self, func):
        if isinstance(func, gast.Attribute):
            obj = self.resolve(func)
            if obj is None:
                return func.attr not in IMPURE_METHODS  # a method of a local value
            return self.obj_pure(obj)
        if isinstance(func, gast.Name):
            obj = self.resolve(func)
            return obj is not None and self.obj_pure(obj)
        return False

    def writes(self, call):
        """A NumPy call that writes into an array it is given: ``out=``, a ufunc's outputs, ``np.copyto(a, v)``."""
        if any(k.arg == "out" for k in call.keywords):
            return True
        if not isinstance(call.func, (gast.Name, gast.Attribute)):
            return False
        name = call.func.attr if isinstance(call.func, gast.Attribute) else call.func.id
        if name not in _WRITING and not call.args[1:]:
            return False
        obj = self.resolve(call.func)
        return name in _WRITING and (getattr(obj, "__module__", None) or "").startswith("numpy") \
            or isinstance(obj, np.ufunc) and len(call.args) > obj.nin

    @staticmethod
    def obj_pure(obj):
        if getattr(obj, "s2s_impure", False):   # s2s's pullback runs the user's function
            return False
        if getattr(obj, "s2s_generated", False):
            return not getattr(obj, "s2s_impure", False)   # a forward half runs the user's primal
        if obj is runtime.add_at or obj is print:
            return False
        if isinstance(getattr(obj, "__self__", None), _RANDOM_TYPES) or isinstance(obj, _RANDOM_TYPES):
            return False   # np.random.randn, rng.normal: a draw
        if (getattr(obj, "__module__", None) or "").startswith("numpy.random"):
            return False   # np.random.seed, default_rng, ...
        try:
            if obj in PURE_BUILTINS:
                return True
        except TypeError:
            pass
        mod = getattr(obj, "__module__", None) or ""
        if isinstance(obj, np.ufunc) or mod.startswith("numpy") or mod in ("math", "_operator", "operator"):
            return True
        if mod.startswith("s2s"):
            return True
        return isinstance(obj, types.BuiltinFunctionType) and getattr(obj, "__self__", None) is math

    def pure(self, expr):
        for n in astutil.walk(expr):
            if isinstance(n, gast.Call) and (not self.callee_pure(n.func) or self.writes(n)):
                return False
            if isinstance(n, (gast.Yield, gast.Await, gast.NamedExpr, gast.Lambda)):
                return False
        return True
