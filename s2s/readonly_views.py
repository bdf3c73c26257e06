"""Writes into the read-only views NumPy returns (``A.diagonal()``, ``np.diagonal(A)``): NumPy raises
``ValueError: assignment destination is read-only`` when such a write runs, with or without s2s. s2s says so
at transform time, at the user's line, with a ready-to-paste fix: ``np.fill_diagonal(A, v)`` for the whole
diagonal, ``A[k, k] = v`` for one element, ``d = A.diagonal().copy()`` for a copy.

Checked on the user's own source (s2s/lowering.py ``lower`` calls ``check`` first), before any other pass
reads the write as a write into a view another variable shares.
"""
import gast
import numpy as np

from . import astutil


def _diagonal_call(node, ctx):
    """(array expression, offset node or None, has other arguments) for ``X.diagonal(...)`` or
    ``np.diagonal(X, ...)``; None for anything else."""
    if not isinstance(node, gast.Call):
        return None
    func = node.func
    if isinstance(func, gast.Attribute) and func.attr == "diagonal" and ctx.resolve(func) is not np.diagonal:
        base, rest = func.value, list(node.args)
        if not _may_be_array(base, ctx):
            return None   # m.diagonal() of an object of the user's: its own method
    elif ctx.resolve(func) is np.diagonal and node.args:
        base, rest = node.args[0], list(node.args[1:])
    else:
        return None
    offset = rest[0] if rest else next((k.value for k in node.keywords if k.arg == "offset"), None)
    others = len(rest) > 1 or any(k.arg != "offset" for k in node.keywords)
    return base, offset, others


def _may_be_array(node, ctx):
    """False when ``node`` (the receiver of ``.diagonal()``) is known to be something else than an array: a
    module-level object, a parameter of a pinned class, a local bound to an instance of a class of the user's."""
    from .parse import _MISSING
    root = node
    while isinstance(root, (gast.Attribute, gast.Subscript)):
        root = root.value
    if not isinstance(root, gast.Name):
        return True
    if root is node:
        obj = ctx.resolve_name(root.id) if root.id not in ctx.locals else _MISSING
        if obj is not _MISSING and not isinstance(obj, np.ndarray):
            return False
        cls = (getattr(ctx, "param_types", None) or {}).get(root.id)
        if cls is not None and not issubclass(cls, np.ndarray):
            return False
    for n in astutil.walk(ctx.node):
        if isinstance(n, gast.Assign) and any(isinstance(t, gast.Name) and t.id == root.id for t in n.targets) \
                and isinstance(n.value, gast.Call):
            made = ctx.resolve(n.value.func)
            if isinstance(made, type) and not issubclass(made, np.ndarray):
                return False
    return True


def _zero(node):
    return node is None or isinstance(node, gast.Constant) and node.value == 0


def check(ctx, fn):
    """Refuse a write into a diagonal view (see the module doc)."""
    from .codegen import expr_source
    stores, augmented = {}, {id(n.target) for n in astutil.walk(fn) if isinstance(n, gast.AugAssign)}
    for n in astutil.walk(fn):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store) and id(n) not in augmented:
            stores[n.id] = stores.get(n.id, 0) + 1   # (d += v writes into d's array: not a new binding)
    views = {}
    for n in astutil.walk(fn):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                and stores.get(n.targets[0].id) == 1:
            hit = _diagonal_call(n.value, ctx)
            if hit is not None:
                views[n.targets[0].id] = (hit, expr_source(n.value))
    for n in astutil.walk(fn):
        target = n.targets[0] if isinstance(n, gast.Assign) and len(n.targets) == 1 else \
            n.target if isinstance(n, gast.AugAssign) else None
        if target is None:
            continue
        view = target.value if isinstance(target, gast.Subscript) else target
        if isinstance(view, gast.Name) and view.id in views:
            (base, offset, others), text = views[view.id]
            name = view.id
        elif isinstance(target, gast.Subscript) and _diagonal_call(view, ctx) is not None:
            (base, offset, others), text, name = _diagonal_call(view, ctx), expr_source(view), None
        else:
            continue
        if isinstance(n, gast.Assign) and target is view:
            continue   # d = ... rebinds the name (counted above: not a view then)
        raise _refusal(ctx, n, target, view, expr_source(base), text, name, _zero(offset) and not others)


def _refusal(ctx, stmt, target, view, base, text, name, main):
    """The DifferentiationError for ``stmt`` writing into the view ``text`` of ``base`` (bound to ``name``, or
    written directly); ``main``: the main diagonal of a 2-D array, which np.fill_diagonal writes."""
    what = f"`{name}` is `{text}`" if name else f"`{text}`"
    value = _source(stmt.value, ctx, stmt)
    index = target.slice if isinstance(target, gast.Subscript) else None
    whole = index is None or isinstance(index, gast.Slice) and index.lower is None and index.upper is None \
        and index.step is None or isinstance(index, gast.Constant) and index.value is Ellipsis
    op = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/"}.get(type(getattr(stmt, "op", None)))
    if not main:
        fix = (f"Build the new values and write them through indices of `{base}` (for offset k: "
               f"`i = np.arange(n - k); {base}[i, i + k] = new`)")
    elif isinstance(stmt, gast.AugAssign) and whole and op:
        fix = f"Write `np.fill_diagonal({base}, {base}.diagonal() {op} {value})`"
    elif isinstance(stmt, gast.Assign) and whole:
        fix = f"Write `np.fill_diagonal({base}, {value})`"
    elif isinstance(index, gast.Constant) and isinstance(index.value, int) and not isinstance(index.value, bool):
        k = index.value
        fix = f"Write `{base}[{k}, {k}] {op + '=' if op else '='} {value}`"
    elif isinstance(index, gast.Slice):
        i = _source(index, ctx, stmt)
        fix = (f"Write `i = np.arange(min({base}.shape))[{i}]; {base}[i, i] {op + '=' if op else '='} {value}` "
               "(two statements)")
    else:
        fix = f"Build the new diagonal `new` and write `np.fill_diagonal({base}, new)`"
    copy = f"`{name} = {text}.copy()`" if name else f"`{text}.copy()`"
    return ctx.error(stmt, f"{what}, which NumPy returns as a read-only view: this write raises `ValueError: "
                     "assignment destination is read-only` when it runs, with or without s2s.",
                     f"{fix} to change `{base}`'s diagonal; to change a copy instead, take {copy}.")


def _source(node, ctx, stmt):
    """The user's text for ``node``, a part of the statement ``stmt`` (read from the user's line: the generated
    form would add parentheses), else the generated form."""
    import ast
    from .codegen import expr_source
    from .effect_checks import user_line
    try:
        mine = ast.parse(user_line(stmt, ctx)).body[0]
    except (SyntaxError, IndexError, TypeError):
        mine = None
    target = getattr(mine, "targets", [getattr(mine, "target", None)])[0]
    if node is getattr(stmt, "value", None) and hasattr(mine, "value"):
        return ast.unparse(mine.value)
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Slice) and isinstance(node, gast.Slice):
        return ast.unparse(target.slice)
    return expr_source(node)
