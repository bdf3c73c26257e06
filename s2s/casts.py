"""Writes that change a value's type (``out[i] = v`` into an array of integers or bools), and dict merges.

NumPy casts what it writes to the array's dtype: ``out = np.zeros(3, dtype=int); out[0] = x * 2.5``
stores ``int(x * 2.5)``, whose derivative is zero (review 7: s2s gave 3.5 for 1.0). The transforms
cannot always know an array's dtype when they write the derivative of a store, so where the array
may hold integers or bools, the derivative of the written value goes through ``runtime_writes.cast_grad``,
which is zero when the array holds them and the derivative itself otherwise. ``may_truncate`` says
where: a float array (made from values carrying a derivative, ``np.zeros(n)``, ``x * 1.0``) gets
no check, so the usual code reads as before.
"""
import gast
import numpy as np

# Constructors whose dtype, without a ``dtype=`` keyword, comes from their arguments (may be integers).
_DTYPE_FROM_ARGS = frozenset({"array", "asarray", "asanyarray", "ascontiguousarray", "copy", "arange", "full",
                              "zeros_like", "ones_like", "empty_like", "full_like", "fromiter", "frombuffer",
                              "astype", "tile", "repeat", "concatenate", "stack", "hstack", "vstack",
                              "column_stack", "diag", "where", "round", "rint", "floor", "ceil", "trunc", "sign"})


def _inexact(node, ctx):
    """True if the dtype written by ``node`` (``float``, ``np.float32``, ``"complex128"``) is a float or complex."""
    try:
        obj = node.value if isinstance(node, gast.Constant) else ctx.resolve(node)
        return obj is not None and np.issubdtype(np.dtype(obj), np.inexact)
    except Exception:
        return False


def _bindings(fn, name):
    return [n.value for n in gast.walk(fn) if isinstance(n, gast.Assign) and len(n.targets) == 1
            and isinstance(n.targets[0], gast.Name) and n.targets[0].id == name]


def may_truncate(arr, fn, ctx, varied, seen=None):
    """True if the array ``arr`` of the core-form function ``fn`` may hold integers or bools: bound by a
    call with a ``dtype=`` that is not a float or complex dtype, by ``.astype(...)`` of one, by a
    constructor taking its dtype from arguments that carry no derivative (``np.zeros_like(i_arr)``,
    ``np.array([1, 2])``, ``np.arange(3)``), or a parameter that carries no derivative."""
    seen = set() if seen is None else seen
    if arr in seen:
        return False
    seen.add(arr)
    args = fn.args
    params = {a.id for a in args.args + args.posonlyargs + args.kwonlyargs}
    if arr in params and arr not in varied:
        return True
    for v in _bindings(fn, arr):
        if isinstance(v, gast.Name):
            if may_truncate(v.id, fn, ctx, varied, seen):
                return True
            continue
        if not isinstance(v, gast.Call):
            continue
        kw = {k.arg: k.value for k in v.keywords if k.arg}
        if "dtype" in kw:
            if not _inexact(kw["dtype"], ctx):
                return True
            continue
        name = v.func.attr if isinstance(v.func, gast.Attribute) else getattr(v.func, "id", "")
        if name == "astype":
            if not (v.args and _inexact(v.args[0], ctx)):
                return True
            continue
        from . import runtime
        if ctx.resolve(v.func) in (runtime.copy_value, runtime.copy_deep) and v.args \
                and isinstance(v.args[0], gast.Name):   # a parameter's private copy
            if may_truncate(v.args[0].id, fn, ctx, varied, seen):
                return True
            continue
        if name in _DTYPE_FROM_ARGS:
            from . import analyze
            if not set().union(*(analyze.names_in(a) for a in v.args)) & varied:
                return True
    return False


def check_merge_entries(value, stmt, ctx, active):
    """Refuse ``{**p, "k": x * 2}`` when an entry that is not a name or a constant reads a value carrying a
    derivative: the transforms differentiate a dict display entry by entry, each a name."""
    from . import analyze
    from .coreform import is_atom
    for v in value.values:
        if not is_atom(v, ctx) and analyze.names_in(v) & active:
            from .codegen import expr_source
            raise ctx.error(stmt, f"s2s differentiates a dict display with `**` when each entry is a name or a "
                            f"constant; `{expr_source(v)}` is neither.",
                            f"Bind it to a name first (`v = {expr_source(v)}`), then write the display with `v`.")
