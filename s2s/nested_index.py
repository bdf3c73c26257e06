"""C-style element writes into an array, ``Y[i][j] = v`` (and ``Y[i][j] += v``), written as ``Y[i, j] = v``.

For a NumPy array ``Y`` and an integer ``i``, ``Y[i]`` is a view of the row and ``Y[i][j] = v`` writes into
``Y``: it is ``Y[i, j] = v``, which every later pass follows. Rewritten only where that is sure from the
source: ``Y`` is a local bound only to a new NumPy array (``np.zeros(...)``, ``np.ones_like(x)``, ...), and
each index but the last is an integer (a constant, a ``for`` variable over ``range(...)`` bound nowhere else,
integer arithmetic on those, ``len(...)``). A slice or an index array there (``Y[1:][0]``, ``Y[idx][0]``: a
view with other rows, a copy) and anything else stay as written."""
import builtins

import gast
import numpy as np

from . import astutil

_NEW = {getattr(np, n) for n in ("zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like",
                                 "full_like", "eye", "identity")}
_INT_OPS = (gast.Add, gast.Sub, gast.Mult, gast.FloorDiv, gast.Mod)


def rewrite(ctx, fn):
    """``fn`` (the user's FunctionDef) with ``Y[i][j]`` element writes into new arrays written ``Y[i, j]``."""
    binds = {}
    for n in astutil.walk_bfs(fn):
        if isinstance(n, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.For, gast.comprehension)):
            targets = n.targets if isinstance(n, gast.Assign) else [n.target]
            for t in targets:
                for e in astutil.walk_bfs(t):
                    if isinstance(e, gast.Name) and isinstance(e.ctx, gast.Store):
                        binds.setdefault(e.id, []).append(n)
        elif isinstance(n, (gast.With, gast.NamedExpr, gast.Global, gast.Nonlocal, gast.FunctionDef)) and n is not fn:
            for e in astutil.walk_bfs(n):
                if isinstance(e, gast.Name) and isinstance(e.ctx, gast.Store):
                    binds.setdefault(e.id, []).append(None)   # bound another way: not known
            if isinstance(n, (gast.Global, gast.Nonlocal)):
                for name in n.names:
                    binds.setdefault(name, []).append(None)
    params = {a.id for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs if isinstance(a, gast.Name)}

    def resolved(node):
        try:
            return ctx.resolve(node)
        except Exception:  # noqa: BLE001 - not resolvable: not known
            return None

    def new_array(name):
        bs = binds.get(name, [None])
        return name not in params and all(
            isinstance(b, gast.Assign) and len(b.targets) == 1 and isinstance(b.targets[0], gast.Name)
            and isinstance(b.value, gast.Call) and not _local_callee(b.value, ctx)
            and resolved(b.value.func) in _NEW for b in bs)

    def range_var(name):
        bs = binds.get(name, [None])
        return name not in params and len(bs) == 1 and isinstance(bs[0], gast.For) \
            and isinstance(bs[0].target, gast.Name) and isinstance(bs[0].iter, gast.Call) \
            and not _local_callee(bs[0].iter, ctx) and resolved(bs[0].iter.func) is builtins.range

    def is_int(e):
        if isinstance(e, gast.Constant):
            return type(e.value) is int
        if isinstance(e, gast.Name):
            return range_var(e.id)
        if isinstance(e, gast.BinOp) and isinstance(e.op, _INT_OPS):
            return is_int(e.left) and is_int(e.right)
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub):
            return is_int(e.operand)
        return isinstance(e, gast.Call) and not _local_callee(e, ctx) and resolved(e.func) is builtins.len \
            and len(e.args) == 1 and not e.keywords

    def flatten(target):
        """``Y[i][j]`` -> ``Y[i, j]`` when it is sure to be the same element, else None."""
        indices = []
        node = target
        while isinstance(node, gast.Subscript):
            indices.append(node.slice)
            node = node.value
        if len(indices) < 2 or not isinstance(node, gast.Name) or not new_array(node.id):
            return None
        indices.reverse()
        if not all(is_int(i) for i in indices[:-1]) or isinstance(indices[-1], gast.Tuple):
            return None
        return gast.copy_location(gast.Subscript(value=gast.Name(id=node.id, ctx=gast.Load(), annotation=None,
                                                                 type_comment=None),
                                                 slice=gast.Tuple(elts=indices, ctx=gast.Load()), ctx=gast.Store()),
                                  target)

    for n in astutil.walk_bfs(fn):
        if isinstance(n, gast.Assign):
            n.targets = [flatten(t) or t if isinstance(t, gast.Subscript) else t for t in n.targets]
        elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Subscript):
            n.target = flatten(n.target) or n.target


def _local_callee(call, ctx):
    return isinstance(call.func, gast.Name) and call.func.id in ctx.locals
