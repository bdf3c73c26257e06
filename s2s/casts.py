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
from . import astutil

# NumPy constructors whose result is float without a ``dtype=`` keyword.
_FLOAT_DEFAULT = frozenset({"zeros", "ones", "empty", "eye", "identity", "linspace", "logspace", "geomspace",
                            "rand", "randn", "random", "standard_normal", "normal", "uniform"})


# Constructors taking the dtype of their first argument.
_LIKE = frozenset({"zeros_like", "ones_like", "empty_like", "full_like"})


def _inexact(node, ctx):
    """True if the dtype written by ``node`` (``float``, ``np.float32``, ``"complex128"``) is a float or complex."""
    try:
        obj = node.value if isinstance(node, gast.Constant) else ctx.resolve(node)
        return obj is not None and np.issubdtype(np.dtype(obj), np.inexact)
    except Exception:
        return False


def _bindings(fn, name):
    return [n.value for n in astutil.walk_bfs(fn) if isinstance(n, gast.Assign) and len(n.targets) == 1
            and isinstance(n.targets[0], gast.Name) and n.targets[0].id == name]


def may_truncate(arr, fn, ctx, varied, seen=None):
    """True unless the array ``arr`` of the core-form function ``fn`` surely holds floats: every binding
    of it is a NumPy constructor that makes floats (``np.zeros(n)``, ``dtype=float``), arithmetic or a
    differentiable call on values that carry a derivative (``x * 1.0``), ``.astype(float)``, or another
    such name. Anything else may hold integers or bools (``dtype=int``, ``np.zeros_like(i_arr)``,
    ``np.arange(3)``, ``np.argsort(x)``, ``np.isfinite(x)``, a parameter that carries no derivative)."""
    from . import analyze, runtime
    seen = set() if seen is None else seen
    if arr in seen:
        return False
    seen.add(arr)
    args = fn.args
    if arr in {a.id for a in args.args + args.posonlyargs + args.kwonlyargs}:
        return arr not in varied
    values = _bindings(fn, arr)
    if not values:
        return True
    for v in values:
        if isinstance(v, gast.Name):
            if may_truncate(v.id, fn, ctx, varied, seen):
                return True
            continue
        if isinstance(v, gast.Constant) and isinstance(v.value, (float, complex)) \
                or isinstance(v, (gast.List, gast.Tuple, gast.Dict, gast.ListComp, gast.DictComp)):
            continue   # (a list or dict holds what is written as it is)
        if isinstance(v, (gast.Compare, gast.BoolOp)) or not isinstance(v, (gast.Call, gast.BinOp, gast.UnaryOp)):
            return True   # (a subscript of another array, a display, a constant: not known here)
        if isinstance(v, gast.UnaryOp) and isinstance(v.op, (gast.Not, gast.Invert)) \
                or isinstance(v, gast.BinOp) and isinstance(v.op, analyze.NONDIFF_BINOPS + (gast.BitOr,)):
            return True
        if isinstance(v, gast.Call):
            kw = {k.arg: k.value for k in v.keywords if k.arg}
            name = v.func.attr if isinstance(v.func, gast.Attribute) else getattr(v.func, "id", "")
            if "dtype" in kw:
                if _inexact(kw["dtype"], ctx):
                    continue
                return True
            if name == "astype":
                if v.args and _inexact(v.args[0], ctx):
                    continue
                return True
            if ctx.resolve(v.func) in (runtime.copy_value, runtime.copy_deep) and v.args \
                    and isinstance(v.args[0], gast.Name):   # a parameter's private copy
                if may_truncate(v.args[0].id, fn, ctx, varied, seen):
                    return True
                continue
            if name in _FLOAT_DEFAULT and isinstance(v.func, gast.Attribute):
                continue
            if (getattr(ctx.resolve(v.func), "__module__", None) or "").startswith("s2s."):
                continue   # a gradient's helper in generated code (zeros_like(x), copy_grad(g)): floats
            if name in _LIKE and v.args and analyze.names_in(v.args[0]) & varied:
                continue   # np.zeros_like(x), x carrying a derivative: x's float dtype
            if analyze.is_nondiff_call(v, ctx):
                return True
        if not analyze.names_in(v) & varied:
            return True   # (built from values that carry no derivative: their dtype is not known here)
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
