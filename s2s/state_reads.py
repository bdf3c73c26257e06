"""Module-level numbers and arrays read by a function whose calls may change them (review 14, row 1).

The reverse sweep runs after the forward sweep, so an operand it needs that is a global name
(``x * SCALE``) or an attribute of a global object or module (``x / sched.temp``, ``cfg.scale``) is read
again at the end, after any change the function made meanwhile: a helper's ``global SCALE; SCALE = v``,
a scheduler's ``sched.step()``, ``BUF[:] = s``. Such a read is made once, where the primal makes it, into
a local (``SCALE_1 = copy_value(SCALE)``: arrays copied; an item of a global container likewise,
``w_1 = D["w"]; w = copy_value(w_1)``), which the reverse sweep then saves and reads like any other local.

Done for the values the function's stores and calls may change (s2s/state_writes.py: a store into anything
but a local, what a user function called changes, transitively; everything when that is not known) and
always for a helper's split halves (its backward half runs when the caller's reverse sweep reaches it,
after whatever the caller did since). Forward mode reads each value when it runs and needs none of it.
"""
import inspect
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
    """True if the function or a call it makes may change module-level state (s2s/state_writes.py)."""
    return bool(_changed(body, ctx))


def _changed(body, ctx):
    """state_writes.Changed for ``body``: what its calls may change (everything when unknown)."""
    from . import state_writes
    found = state_writes.summarize(body, ctx)
    if found is None:
        changed = state_writes.Changed(state_writes.Analysis(), set())
        changed.everything = True
        return changed
    return state_writes.Changed(*found)


def _path(node, ctx):
    """[(container, key, value)] from a read's root name to ``node`` (``SCALE``, ``cfg.a.b``, ``D["w"]``)."""
    from .parse import _MISSING
    from .state_writes import _MISSING as missing
    if isinstance(node, gast.Name):
        value = ctx.resolve_name(node.id)
        box = ctx.globals if node.id not in ctx.closure and node.id in ctx.globals else None
        return [(box, node.id, missing if value is _MISSING else value)]
    path = _path(node.value, ctx)
    base = path[-1][2]
    if isinstance(node, gast.Attribute) and base is not missing:
        try:
            value = getattr(base, node.attr)
        except Exception:   # noqa: BLE001
            value = missing
        return path + [(base, node.attr, value)]
    return path + [(None if base is missing else base, None, missing)]


def snapshot_reads(body, ctx, namer, always=False):
    """``body`` (core form) with each global number or array an assignment reads bound first to a local
    (``SCALE_1 = copy_value(SCALE)``), when the function may change state or ``always``."""
    changed = None
    if not always:
        changed = _changed(body, ctx)
        if not changed:
            return body
    return _stmts(body, ctx, namer, changed)


def _stmts(stmts, ctx, namer, changed):
    out = []
    for st in stmts:
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(st, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                setattr(st, field, _stmts(inner, ctx, namer, changed))
        if isinstance(st, (gast.Assign, gast.AugAssign, gast.Return, gast.Expr)):
            out.extend(_snapshots(st, ctx, namer, changed))
        out.append(st)
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                and _global_item(st.value, ctx) and _touched(st.value, ctx, changed):
            # t = D["w"], an array a helper may fill in place: a copy
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


def _touched(node, ctx, changed):
    return changed is None or changed.touches(_path(node, ctx))


def _snapshots(st, ctx, namer, changed):
    found = []

    class _Swap(gast.NodeTransformer):
        def visit_Name(self, node):
            return self._read(node)

        def visit_Attribute(self, node):
            if _global_read(node, ctx) and _touched(node, ctx, changed):
                return self._read(node)
            return self.generic_visit(node)

        def visit_Lambda(self, node):
            return node

        def visit_Call(self, node):
            kept = _written(node, ctx)   # the value a call writes into is the global itself, never a copy
            node.func = node.func if id(node.func) in kept or isinstance(node.func, gast.Attribute) \
                and id(node.func.value) in kept else self.visit(node.func)
            node.args = [a if id(a) in kept else self.visit(a) for a in node.args]
            for k in node.keywords:
                k.value = k.value if id(k.value) in kept else self.visit(k.value)
            return node

        @staticmethod
        def _read(node):
            if not _global_read(node, ctx) or not _touched(node, ctx, changed):
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


def _written(call, ctx):
    """ids of the nodes of ``call`` that it changes in place: a mutating method's receiver (``BUF.fill(v)``),
    ``out=``, a ufunc's outputs, a writing function's first argument (``np.copyto(BUF, v)``), the arguments
    a user function changes (``fill(BUF, v)``): a copy of a global there would be changed instead of it."""
    from . import effects, state_writes
    from .parse import _MISSING
    func, out = call.func, []
    if isinstance(func, gast.Attribute) and func.attr in state_writes._WRITES_FIRST:
        out.append(func.value)
    out += [k.value for k in call.keywords if k.arg == "out"]
    callee = ctx.resolve(func) if isinstance(func, (gast.Name, gast.Attribute)) else _MISSING
    if isinstance(callee, np.ufunc) and len(call.args) > callee.nin:
        out += call.args[callee.nin:]
    if callee is not _MISSING and getattr(callee, "__name__", None) in state_writes._WRITES_FIRST and call.args:
        out.append(call.args[0])
    fn = getattr(callee, "__func__", callee)
    if isinstance(fn, types.FunctionType) and effects.user_function(fn) and not state_writes.library(fn):
        try:
            changed = effects.params_changed(fn)
        except Exception:   # noqa: BLE001 (no source: any argument)
            changed = None
        if changed is None or changed:
            pos = ([func.value] if isinstance(callee, types.MethodType) else []) + list(call.args)
            try:
                bound = inspect.signature(fn).bind(*pos, **{k.arg: k.value for k in call.keywords if k.arg})
                out += [v for p, v in bound.arguments.items() if changed is None or p in changed]
            except (TypeError, ValueError):
                out += list(call.args) + [k.value for k in call.keywords]
    ids = set()
    for o in out:
        for e in (o.elts if isinstance(o, gast.Tuple) else o if isinstance(o, (tuple, list)) else
                  o.values() if isinstance(o, dict) else [o]):
            if isinstance(e, gast.AST):
                ids.add(id(e))
    return ids
