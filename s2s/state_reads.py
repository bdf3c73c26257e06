"""Module-level numbers and arrays read by a function whose calls may change them (review 14, row 1).

The reverse sweep runs after the forward sweep, so an operand it needs that is a global name
(``x * SCALE``) or an attribute of a global object or module (``x / sched.temp``, ``cfg.scale``) is read
again at the end, after any change the function made meanwhile: a helper's ``global SCALE; SCALE = v``,
a scheduler's ``sched.step()``, ``BUF[:] = s``. Such a read is made once, where the primal makes it, into
a local (``SCALE_1 = copy_value(SCALE)``: arrays copied; an item of a global container likewise,
``w_1 = D["w"]; w = copy_value(w_1)``), which the reverse sweep then saves and reads like any other local.

Done when the function may change state (a store into anything but a local name or a call of a
function that is not a library's) and always for a helper's split halves (its backward half runs
when the caller's reverse sweep reaches it, after whatever the caller did since). Forward mode reads
each value when it runs and needs none of it.
"""
import numbers
import types

import gast
import numpy as np

from . import astutil
from .anno import hasanno
from .coreform import _name, runtime_name

_LIBRARIES = frozenset(("numpy", "scipy", "math", "cmath", "builtins", "s2s", "jax", "torch", "operator",
                        "functools", "itertools", "collections", "statistics", "random", "numbers", "typing",
                        "dataclasses", "copy", "warnings", "logging", "time", "sys", "os"))


def _library(obj):
    mod = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", None)
    if not isinstance(mod, str):
        fn = getattr(obj, "__func__", None)
        mod = getattr(fn, "__module__", None)
    return isinstance(mod, str) and mod.split(".")[0] in _LIBRARIES


def _data(value):
    return isinstance(value, (numbers.Number, np.ndarray)) and not isinstance(value, bool)


def _root(node):
    while isinstance(node, gast.Attribute):
        node = node.value
    return node


def _global_read(node, ctx):
    """True for ``SCALE`` or ``obj.a.b`` (the root a global name, not a library module) read as data."""
    from .parse import _MISSING
    if not isinstance(node, (gast.Name, gast.Attribute)) or not isinstance(node.ctx, gast.Load):
        return False
    root = _root(node)
    if not isinstance(root, gast.Name) or root.id in ctx.locals or hasanno(root, "obj"):
        return False
    base = ctx.resolve_name(root.id)
    if base is _MISSING or (isinstance(base, types.ModuleType) and _library(base)) or isinstance(base, type) \
            and _library(base):
        return False
    try:
        value = ctx.resolve(node)
    except Exception:   # noqa: BLE001 (a property that raises: not a plain read)
        return False
    return value is not _MISSING and _data(value)


def changes_state(body, ctx):
    from .parse import _MISSING
    for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, gast.Store):
            root = _root(n.value) if isinstance(n, gast.Attribute) else n.value
            while isinstance(root, (gast.Subscript, gast.Attribute)):
                root = root.value
            if not (isinstance(root, gast.Name) and root.id in ctx.locals):
                return True
        elif isinstance(n, gast.Call):
            func = n.func
            if isinstance(func, gast.Attribute) and isinstance(_root(func), gast.Name) \
                    and _root(func).id in ctx.locals:
                continue   # a method of a local value (arrays, lists, dicts; objects of the user's are inlined)
            callee = getanno_obj(func) if isinstance(func, gast.Name) else _MISSING
            if callee is _MISSING:
                callee = ctx.resolve(func)
            if callee is _MISSING or not _library(callee):
                return True
    return False


def getanno_obj(node):
    from .anno import getanno
    from .parse import _MISSING
    return getanno(node, "obj") if hasanno(node, "obj") else _MISSING


def snapshot_reads(body, ctx, namer, always=False):
    """``body`` (core form) with each global number or array an assignment reads bound first to a local
    (``SCALE_1 = copy_value(SCALE)``), when the function may change state or ``always``."""
    if not always and not changes_state(body, ctx):
        return body
    return _stmts(body, ctx, namer)


def _stmts(stmts, ctx, namer):
    out = []
    for st in stmts:
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(st, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                setattr(st, field, _stmts(inner, ctx, namer))
        if isinstance(st, (gast.Assign, gast.AugAssign, gast.Return, gast.Expr)):
            out.extend(_snapshots(st, ctx, namer))
        out.append(st)
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                and _global_item(st.value, ctx):   # t = D["w"], an array a helper may fill in place: a copy
            target = st.targets[0].id
            held = namer.local(target)
            st.targets = [gast.copy_location(_name(held, gast.Store()), st.targets[0])]
            value = gast.Call(func=runtime_name("copy_value"), args=[_name(held)], keywords=[])
            out.append(gast.copy_location(
                gast.Assign(targets=[_name(target, gast.Store())], value=value, type_comment=None), st))
    return out


def _global_item(node, ctx):
    """True for ``D["w"]`` (an item of a container that is not a local: a global dict, list or array)."""
    if not isinstance(node, gast.Subscript):
        return False
    root = node
    while isinstance(root, (gast.Subscript, gast.Attribute)):
        root = root.value
    if not (isinstance(root, gast.Name) and root.id not in ctx.locals):
        return False
    from .parse import _MISSING
    return ctx.resolve(root) is not _MISSING   # (a temporary of normalize's, `t` of `a, b = f(h)`: a local)


def _snapshots(st, ctx, namer):
    found = []

    class _Swap(gast.NodeTransformer):
        def visit_Name(self, node):
            return self._read(node)

        def visit_Attribute(self, node):
            if _global_read(node, ctx):
                return self._read(node)
            return self.generic_visit(node)

        def visit_Lambda(self, node):
            return node

        @staticmethod
        def _read(node):
            if not _global_read(node, ctx):
                return node
            base = node.id if isinstance(node, gast.Name) else node.attr
            local = namer.local(base)
            value = gast.Call(func=runtime_name("copy_value"), args=[node], keywords=[])
            found.append(gast.copy_location(
                gast.Assign(targets=[_name(local, gast.Store())], value=value, type_comment=None), st))
            return gast.copy_location(_name(local), node)

    swap = _Swap()
    if isinstance(st, gast.Assign):
        st.value = swap.visit(st.value)
        for t in st.targets:
            for n in astutil.walk_bfs(t):
                if isinstance(n, gast.Subscript):
                    n.slice = swap.visit(n.slice)
    elif isinstance(st, gast.AugAssign):
        st.value = swap.visit(st.value)
    elif st.value is not None:
        st.value = swap.visit(st.value)
    return found
