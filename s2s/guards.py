"""Deep input: Python runs a 300-term sum or a chain of 200 helpers, so s2s must too.

s2s's transform recurses over the syntax tree (gast, ast and its own passes)
and, through the helpers a function calls, over the call chain: each level
costs many Python frames, far more than running the function does. While
s2s transforms (the outermost ``reverse_function``/``forward_function`` call
on any thread), the recursion limit is raised to ``LIMIT``; it is put back
when the last transform finishes. What is still too deep becomes a clean
DifferentiationError instead of a RecursionError from inside gast or ast.
(On Python 3.11+ Python-to-Python calls do not use the C stack, so the
higher limit does not risk it.)
"""
import functools
import sys
import threading

from .errors import DifferentiationError
from . import astutil

LIMIT = 12000

_lock = threading.Lock()
_active = 0          # transforms running, on all threads
_saved = None        # the limit before the first of them
_local = threading.local()


def deep_recursion(fn):
    """Decorate a transform entry point: a raised recursion limit while it runs."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        global _active, _saved
        with _lock:
            if _active == 0:
                _saved = sys.getrecursionlimit()
                if _saved < LIMIT:
                    sys.setrecursionlimit(LIMIT)
            _active += 1
        outer = not getattr(_local, "depth", 0)
        _local.depth = getattr(_local, "depth", 0) + 1
        try:
            return fn(*args, **kwargs)
        except RecursionError:
            if not outer:
                raise
            name = (getattr(args[0], "__qualname__", None) or getattr(args[0], "__name__", repr(args[0]))) \
                if args else "?"
            code = getattr(args[0], "__code__", None) if args else None
            loc = f'File "{code.co_filename}", line {code.co_firstlineno}, in {name}\n' if code is not None else ""
            raise DifferentiationError(
                f"{loc}{name} is nested too deeply for s2s (an expression or a chain of calls of more than a few "
                "thousand levels).\nSplit the expression into several statements, or the chain of calls into "
                "loops.") from None
        finally:
            _local.depth -= 1
            with _lock:
                _active -= 1
                if _active == 0 and _saved is not None and _saved < LIMIT and sys.getrecursionlimit() == LIMIT:
                    sys.setrecursionlimit(_saved)
    return wrapper


_PASS_THROUGH = {"array", "asarray", "asanyarray", "complex", "complex64", "complex128", "conj", "conjugate"}


def _complex_parts(node, names):
    """True when ``node`` computes a complex value from a complex literal or one of ``names``
    (through arithmetic, containers and np.array; a call such as np.abs may make it real)."""
    import gast
    if isinstance(node, gast.Constant):
        return isinstance(node.value, complex)
    if isinstance(node, gast.Name):
        return node.id in names
    if isinstance(node, gast.BinOp):
        return _complex_parts(node.left, names) or _complex_parts(node.right, names)
    if isinstance(node, gast.UnaryOp):
        return _complex_parts(node.operand, names)
    if isinstance(node, (gast.List, gast.Tuple)):
        return any(_complex_parts(e, names) for e in node.elts)
    if isinstance(node, gast.Call):
        f = node.func
        name = f.attr if isinstance(f, gast.Attribute) else f.id if isinstance(f, gast.Name) else None
        return name in _PASS_THROUGH and any(_complex_parts(a, names) for a in node.args)
    return False


def complex_names(fn):
    """Names of ``fn`` (core form) bound to complex values built from complex literals
    (``c = 1.0 + 2.0j``, ``z = x * c``), to a fixed point: s2s differentiates real code only."""
    import gast
    found = set()
    while True:
        before = len(found)
        for s in astutil.walk_bfs(fn):
            if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name) and s.targets[0].id not in found:
                if _complex_parts(s.value, found):
                    found.add(s.targets[0].id)
        if len(found) == before:
            return found


def reads_complex(value, names):
    """True when the expression ``value`` computes a complex value from a literal or one of ``names``."""
    return _complex_parts(value, names)


COMPLEX_MESSAGE = ("s2s differentiates real-valued code only, and this line computes a complex value from one "
                   "that carries a derivative.")
COMPLEX_HINT = "Pass the real and imaginary parts as two real arrays and differentiate with respect to those."


def describe_callable(obj):
    """How an error names a callee that is not a plain function: an lru_cache wrapper or a
    callable instance (None for anything else)."""
    import types
    if hasattr(obj, "cache_info") and hasattr(obj, "__wrapped__"):
        return (f"`{getattr(obj, '__qualname__', getattr(obj, '__name__', '?'))}` (wrapped by functools.lru_cache, "
                "whose cache s2s cannot differentiate)")
    if callable(obj) and not isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                                              types.BuiltinMethodType, functools.partial)) \
            and type(obj).__name__ != "ufunc" and not hasattr(obj, "__name__"):
        return f"a callable `{type(obj).__qualname__}` object (s2s does not differentiate through `__call__`)"
    return None
