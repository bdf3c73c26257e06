"""Calls that change a list, dict or array in place, written inside an expression (review 14, row 2).

s2s follows ``acc.append(v)``, ``y.sort()``, ``y.fill(v)`` and ``y[k] = v`` as statements. Written inside an
expression (``[acc.append(v ** 2) for v in x]``, ``_ = y.sort()``, ``y.fill(v) if c else None``,
``ok = acc.append(v) or True``, ``list(map(acc.append, xs))``) the change was silently not seen. Before
anything else reads the function (``effect_statements``, in place on the user's FunctionDef):

- a list comprehension or ``list(map(m, xs))`` evaluated as a statement only for the effect of its item's
  call becomes the ``for`` loop it runs (its variables renamed, as a comprehension's are its own);
- ``t = y.sort()`` (``t`` never read) becomes the statement ``y.sort()``;
- ``y.__setitem__(k, v)`` and ``operator.setitem(y, k, v)`` as statements become ``y[k] = v``;
- any other such call inside an expression is refused, naming the line.
"""
import heapq
import operator
import random

import gast
import numpy as np

from . import astutil

# methods of lists, dicts, sets and arrays that change their object and return None
NONE_METHODS = frozenset({
    "append", "extend", "insert", "remove", "clear", "sort", "reverse", "update", "add", "discard",
    "difference_update", "intersection_update", "symmetric_difference_update",
    "fill", "resize", "put", "itemset", "partition", "setfield", "setflags", "__setitem__", "__delitem__",
})
_SETITEM = (operator.setitem, operator.__setitem__)
WRITERS = frozenset({operator.setitem, operator.delitem, operator.__setitem__, operator.__delitem__,
                     np.copyto, np.put, np.place, np.putmask, np.fill_diagonal, np.put_along_axis,
                     heapq.heapify, heapq.heappush, random.shuffle, np.random.shuffle, setattr, delattr})


# names a class of the user's may well give a method returning a value (``opt.update(g)``): refused inside an
# expression only on a global list, dict, set or array
_COMMON = frozenset({"add", "update", "put", "partition", "resize", "remove", "clear", "reverse"})


def _receiver_is_container(recv, ctx, attr=None):
    """False for a module, a class or a global object of a class of the user's (``np.add``, ``opt.update``)."""
    from .parse import _MISSING
    root = recv
    while isinstance(root, (gast.Attribute, gast.Subscript)):
        root = root.value
    if isinstance(root, gast.Name) and root.id in ctx.locals:
        return attr not in _COMMON and root.id != getattr(ctx, "self_name", None)
    obj = ctx.resolve(recv) if isinstance(recv, (gast.Name, gast.Attribute)) else _MISSING
    if obj is _MISSING:
        return True
    return isinstance(obj, (list, dict, set, np.ndarray))


def _mutating_method(node, ctx, strict=True):
    """True for ``acc.append`` (an attribute naming a method that changes a container in place); not
    ``strict``: any such name on a local (``_ = opt.update(p)``, whose result is unused, is a statement)."""
    return isinstance(node, gast.Attribute) and node.attr in NONE_METHODS and isinstance(node.ctx, gast.Load) \
        and _receiver_is_container(node.value, ctx, node.attr if strict else None)


def _writer(call, ctx, strict=True):
    if not isinstance(call, gast.Call):
        return False
    if _mutating_method(call.func, ctx, strict):
        return True
    if isinstance(call.func, (gast.Name, gast.Attribute)):
        try:
            return ctx.resolve(call.func) in WRITERS
        except TypeError:   # (an unhashable object)
            return False
    return False


def _loads(fn):
    return {n.id for n in astutil.walk_bfs(fn) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def effect_statements(fn, ctx, namer):
    """Rewrite and refuse, in place on ``fn`` (see the module docstring)."""
    if not any(isinstance(n, gast.Call) and _writer(n, ctx) or isinstance(n, gast.Attribute) and n.attr in NONE_METHODS
               or isinstance(n, gast.Expr) and isinstance(n.value, (gast.ListComp, gast.Call, gast.IfExp))
               for n in astutil.walk_bfs(fn)):
        return
    loads = _loads(fn)
    for parent in list(astutil.walk_bfs(fn)):
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(parent, field, None)
            if isinstance(stmts, list) and stmts and isinstance(stmts[0], gast.stmt):
                stmts[:] = [new for st in stmts for new in _statement(st, ctx, namer, loads)]
    statement_calls = {id(st.value) for st in astutil.walk_bfs(fn) if isinstance(st, gast.Expr)}
    called = {id(n.func) for n in astutil.walk_bfs(fn) if isinstance(n, gast.Call)}
    from .codegen import expr_source
    for n in astutil.walk_bfs(fn):
        if isinstance(n, gast.Call) and id(n) not in statement_calls and _writer(n, ctx):
            raise ctx.error(n, f"`{expr_source(n)}` changes its object or argument in place inside an expression; "
                            "s2s follows such a change only as a statement of its own.",
                            "Write the call as its own statement: a `for` loop with `acc.append(v)` for a list "
                            "comprehension of appends, `y.sort()` on its own line for `_ = y.sort()`, an `if` "
                            "statement for a conditional expression.")
        if _mutating_method(n, ctx) and id(n) not in called:
            raise ctx.error(n, f"the method `{expr_source(n)}`, which changes its object in place, is used as a "
                            "value here; s2s follows such a change only where it is called as a statement.",
                            f"Call it in a `for` loop instead (`for v in ...: {expr_source(n)}(v)`).")


def _statement(st, ctx, namer, loads):
    if isinstance(st, gast.Expr):
        loop = _as_loop(st.value, ctx, namer)
        if loop is not None:
            return [gast.copy_location(loop, st)]
        if isinstance(st.value, gast.IfExp) or _as_item_write(st.value, ctx) is not None:
            return [_copy_lines(_effect(st.value, st, ctx, namer), st)]
    if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
            and st.targets[0].id not in loads and _writer(st.value, ctx, strict=False):
        return _statement(gast.copy_location(gast.Expr(value=st.value), st), ctx, namer, loads)
    return [st]


def _effect(expr, like, ctx, namer=None):
    """The statement evaluating ``expr`` for its effect: ``y[k] = v`` for ``y.__setitem__(k, v)``, an ``if``
    statement for a conditional expression (``y.fill(v) if c else None``)."""
    loop = _as_loop(expr, ctx, namer) if namer is not None else None
    if loop is not None:
        return loop
    item = _as_item_write(expr, ctx)
    if item is not None:
        return gast.copy_location(item, like)
    if isinstance(expr, gast.IfExp):
        return gast.copy_location(gast.If(test=expr.test, body=[_effect(expr.body, like, ctx, namer)],
                                          orelse=[_effect(expr.orelse, like, ctx, namer)]), like)
    return gast.copy_location(gast.Expr(value=expr), like)


def _as_item_write(call, ctx):
    """``y[k] = v`` for ``y.__setitem__(k, v)`` and ``operator.setitem(y, k, v)``, else None."""
    if not isinstance(call, gast.Call) or call.keywords or any(isinstance(a, gast.Starred) for a in call.args):
        return None
    if isinstance(call.func, gast.Attribute) and call.func.attr == "__setitem__" and len(call.args) == 2 \
            and _receiver_is_container(call.func.value, ctx):
        obj, (key, value) = call.func.value, call.args
    elif len(call.args) == 3 and isinstance(call.func, (gast.Name, gast.Attribute)) and _resolves(call.func, ctx):
        obj, key, value = call.args
    else:
        return None
    if not isinstance(obj, (gast.Name, gast.Attribute, gast.Subscript)):
        return None
    target = gast.Subscript(value=_load(obj), slice=key, ctx=gast.Store())
    return gast.Assign(targets=[target], value=value, type_comment=None)


def _resolves(func, ctx):
    try:
        return ctx.resolve(func) in _SETITEM
    except TypeError:
        return False


def _load(node):
    return node


def _as_loop(value, ctx, namer):
    """The ``for`` loop a comprehension statement runs for its item's effect, or None."""
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and value.func.id == "list" \
            and ctx.resolve(value.func) is list and len(value.args) == 1 and not value.keywords:
        inner = value.args[0]
        if isinstance(inner, gast.ListComp):
            value = inner
        elif isinstance(inner, gast.Call) and isinstance(inner.func, gast.Name) and inner.func.id == "map" \
                and ctx.resolve(inner.func) is map and len(inner.args) >= 2 and not inner.keywords \
                and isinstance(inner.args[0], (gast.Name, gast.Attribute)) \
                and not any(isinstance(a, gast.Starred) for a in inner.args):
            names = [namer.local("item") for _ in inner.args[1:]]
            call = gast.Call(func=inner.args[0], args=[_n(v) for v in names], keywords=[])
            if len(names) == 1:
                target, it = _n(names[0], gast.Store()), inner.args[1]
            else:
                target = gast.Tuple(elts=[_n(v, gast.Store()) for v in names], ctx=gast.Store())
                it = gast.Call(func=_builtin("zip"), args=list(inner.args[1:]), keywords=[])
            return _copy_lines(gast.For(target=target, iter=it, body=[_effect(call, value, ctx)], orelse=[],
                                        type_comment=None), value)
    if not isinstance(value, gast.ListComp):   # (a list built only for its items' effects: any call)
        return None
    bound = {n.id for g in value.generators for n in astutil.walk_bfs(g.target) if isinstance(n, gast.Name)}
    inner_bound = {n.id for c in astutil.walk_bfs(value.elt)
                   if isinstance(c, (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp, gast.Lambda))
                   for n in astutil.walk_bfs(c) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    if bound & inner_bound or any(g.is_async for g in value.generators):
        return None
    fresh = {v: namer.local(v) for v in sorted(bound)}

    def rename(node):
        if node is value.generators[0].iter:
            return node   # (evaluated in the enclosing scope)
        for n in astutil.walk_bfs(node):
            if isinstance(n, gast.Name) and n.id in fresh:
                n.id = fresh[n.id]
        return node
    body = [_effect(rename(value.elt), value, ctx, namer)]
    for g in reversed(value.generators):
        for cond in reversed(g.ifs):
            body = [gast.copy_location(gast.If(test=rename(cond), body=body, orelse=[]), value)]
        body = [gast.copy_location(gast.For(target=rename(g.target), iter=rename(g.iter), body=body, orelse=[],
                                            type_comment=None), value)]
    return _copy_lines(body[0], value)


def _n(name, ctx=None):
    return gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _builtin(name):
    from .coreform import runtime_name
    return runtime_name(name)


def _copy_lines(node, like):
    for n in astutil.walk_bfs(node):
        if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
            gast.copy_location(n, like)
    return node


