"""Dict displays that spread other dicts, ``{**p, "k": v, **q}``, written as the comprehension s2s follows.

The display's adjoint knows the keys it writes, not those a spread brings (the generated code read
``dr[]``); ``{k: v for d in (p, {"k": v}, q) for k, v in d.items()}`` is the same dict (the later
keys win, the operands are evaluated left to right) and is differentiated through its loops.
"""
import gast
from . import astutil


def _fresh(taken, base):
    name, i = base, 1
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def rewrite(node):
    """Rewrite every ``{**a, ...}`` display in ``node`` (a FunctionDef or Lambda) in place."""
    spreads = [n for n in astutil.walk_bfs(node) if isinstance(n, gast.Dict) and any(k is None for k in n.keys)]
    if not spreads:
        return
    taken = {n.id for n in astutil.walk_bfs(node) if isinstance(n, gast.Name)}
    for d in spreads:
        parts, keys, values = [], [], []
        for k, v in zip(d.keys, d.values):
            if k is None:
                if keys:
                    parts.append(gast.Dict(keys=keys, values=values))
                    keys, values = [], []
                parts.append(v)
            else:
                keys.append(k)
                values.append(v)
        if keys:
            parts.append(gast.Dict(keys=keys, values=values))
        k, v, each = _fresh(taken, "key"), _fresh(taken, "value"), _fresh(taken, "part")
        items = gast.Call(func=gast.Attribute(value=_name(each), attr="items", ctx=gast.Load()), args=[], keywords=[])
        comp = gast.DictComp(key=_name(k), value=_name(v), generators=[
            gast.comprehension(target=_name(each, gast.Store()), iter=gast.Tuple(elts=parts, ctx=gast.Load()),
                               ifs=[], is_async=0),
            gast.comprehension(target=gast.Tuple(elts=[_name(k, gast.Store()), _name(v, gast.Store())],
                                                 ctx=gast.Store()), iter=items, ifs=[], is_async=0)])
        # the display becomes the comprehension (same node object: parents keep pointing at it)
        d.__class__ = gast.DictComp
        for field in gast.Dict._fields:
            delattr(d, field)
        for field in gast.DictComp._fields:
            setattr(d, field, getattr(comp, field))
        _locate(d)


def _locate(node):
    for n in astutil.walk_bfs(node):
        for child in gast.iter_child_nodes(n):
            if isinstance(child, (gast.expr, gast.stmt)) and getattr(child, "lineno", None) is None \
                    and getattr(n, "lineno", None) is not None:
                gast.copy_location(child, n)
