"""Lambdas and nested defs held in a list or tuple inside the differentiated function (issue 11)::

    fs = [lambda v: 2 * v, np.sin, act]
    t = sum(g(x) for g in fs)        # or: for g in fs: t = t + g(x)
    y = fs[0](x)

The functions of such a list are known where it is written, so nothing about them waits for run time: a
loop over the list is unrolled, one copy of its body per function, with the loop variable standing for that
function; ``fs[0](x)`` is a call of the function itself. A lambda or nested def is then inlined where it is
called (``Expressions.inline``), a module-level function or one with a rule called by its own name, so the
generated code reads as direct calls (no pullback) and forward mode and hvp differentiate it as any code.
A closure over the function's variables reads them where it is called, as Python does, so their
gradients flow as in inlined code.

A name is such a list (``FunctionValues.function_lists``) when it is bound once, to a list or tuple display
whose items are lambdas, nested defs or functions known where the code is written (at least one a lambda
or nested def, with no default value computed at run time), and is only iterated over (``for``,
comprehensions, ``enumerate(fs)``) or indexed by an int constant that is called or bound to a name. Any
other use leaves it as it was: a lambda used as a value otherwise is refused, naming the line
(s2s/normalize.py). A loop's variable read after the loop is bound to the last function, as in Python.
"""
import copy

import gast
import numpy as np

from .coreform import _name, _renamed


def _constant_defaults(fn):
    a = fn.args
    return all(d is None or isinstance(d, gast.Constant) for d in list(a.defaults) + list(a.kw_defaults))


class FunctionValues:
    """Normalizer mixin (the state lives on the normalizer: ``local_fns``, ``ctx``)."""

    # --- which names are static lists of functions
    def _static_list_names(self):
        hit = getattr(self, "_static_lists", None)
        if hit is not None:
            return hit
        node = self.ctx.node
        params = {a.id for a in list(node.args.args) + list(node.args.posonlyargs) + list(node.args.kwonlyargs)}
        stores, displays = {}, {}
        for n in gast.walk(node):
            if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
                stores[n.id] = stores.get(n.id, 0) + 1
            if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                    and isinstance(n.value, (gast.List, gast.Tuple)):
                displays[n.targets[0].id] = n.value
        allowed = set()   # ids of the Name nodes used as a static list allows
        for n in gast.walk(node):
            if isinstance(n, (gast.For, gast.comprehension)) and isinstance(n.iter, gast.Name):
                allowed.add(id(n.iter))
            elif isinstance(n, (gast.For, gast.comprehension)) and isinstance(n.iter, gast.Call) \
                    and self.ctx.resolve(n.iter.func) is enumerate and len(n.iter.args) == 1:
                allowed.add(id(n.iter.args[0]))   # for i, g in enumerate(fs)
            elif isinstance(n, gast.Call) and _constant_index(n.func) is not None:
                allowed.add(id(n.func.value))
            elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                    and _constant_index(n.value) is not None:
                allowed.add(id(n.value.value))
        out = set()
        for name, value in displays.items():
            if stores.get(name) != 1 or name in params or any(isinstance(e, gast.Starred) for e in value.elts):
                continue
            if not any(isinstance(e, gast.Lambda) or isinstance(e, gast.Name) and e.id in self._defs()
                       for e in value.elts):
                continue
            if all(id(n) in allowed for n in gast.walk(node)
                   if isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Load)):
                out.add(name)
        self._static_lists = out
        return out

    def _defs(self):
        return {n.name for n in gast.walk(self.ctx.node) if isinstance(n, gast.FunctionDef) and n is not self.ctx.node}

    def _function_items(self, display):
        """[(kind, value)] for the items of a display of functions: ("local", alias) for a lambda or nested
        def (the alias a fresh name in ``local_fns``, bound now: a def of the same name later is another
        function), ("global", node) for a function known where it is written; None if an item is neither."""
        items = []
        for e in display.elts:
            if isinstance(e, gast.Lambda) or isinstance(e, gast.Name) and e.id in self.local_fns:
                fn = e if isinstance(e, gast.Lambda) else self.local_fns[e.id]
                if not _constant_defaults(fn):
                    return None   # (a default computed when the function is made, not when it is called)
                items.append(("local", fn))
                continue
            root = e
            while isinstance(root, gast.Attribute):
                root = root.value
            obj = self.ctx.resolve(e) if isinstance(root, gast.Name) and root.id not in self.ctx.locals else None
            if obj is None or not callable(obj) or isinstance(obj, (np.ndarray, type)):
                return None
            items.append(("global", e))
        if not any(kind == "local" for kind, _ in items):
            return None
        out = []
        for kind, v in items:
            if kind == "local":
                alias = self.fresh("fn")
                self.local_fns[alias] = v
                v = alias
            out.append((kind, v))
        return out

    # --- the uses
    def function_list_assign(self, target, value):
        """``fs = [lambda v: ..., np.sin]`` of a static list: remembered, nothing emitted. True if so."""
        if not (isinstance(target, gast.Name) and isinstance(value, (gast.List, gast.Tuple))
                and target.id in self._static_list_names()):
            return False
        items = self._function_items(value)
        if items is None:
            return False
        self.function_lists[target.id] = items
        return True

    def function_list_item(self, node):
        """The function ``fs[0]`` stands for, as a node (a Name in ``local_fns`` or the function's own
        expression), or None when ``node`` is not an item of a static list of functions."""
        i = _constant_index(node)
        items = self.function_lists.get(node.value.id) if i is not None else None
        if items is None or not -len(items) <= i < len(items):
            return None
        kind, v = items[i]
        return _name(v) if kind == "local" else copy.deepcopy(v)

    def unrolled(self, node):
        """The statements of ``for g in fs: body`` over a static list of functions (or a display of them):
        the body once per function, ``g`` standing for it; None when the loop is not one of those."""
        it, target, counter = node.iter, node.target, None
        if isinstance(it, gast.Call) and self.ctx.resolve(it.func) is enumerate and len(it.args) == 1 \
                and not it.keywords and isinstance(target, gast.Tuple) and len(target.elts) == 2 \
                and all(isinstance(e, gast.Name) for e in target.elts):   # for i, g in enumerate(fs)
            it, counter, target = it.args[0], target.elts[0].id, target.elts[1]
        if node.orelse or not isinstance(target, gast.Name):
            return None
        if isinstance(it, gast.Name) and it.id in self.function_lists:
            items = self.function_lists[it.id]
        elif isinstance(it, (gast.List, gast.Tuple)) and not any(isinstance(e, gast.Starred) for e in it.elts) \
                and any(isinstance(e, gast.Lambda) or isinstance(e, gast.Name) and e.id in self.local_fns
                        for e in it.elts):
            items = self._function_items(it)
        else:
            return None
        g = target.id
        body = gast.Module(body=node.body, type_ignores=[])
        if items is None or len(items) > 32 or any(isinstance(n, (gast.Break, gast.Continue))
                                                   for n in gast.walk(body)) \
                or any(isinstance(n, gast.Name) and n.id in (g, counter) and not isinstance(n.ctx, gast.Load)
                       for n in gast.walk(body)):
            return None
        after = []   # g and i read elsewhere (after the loop): bound to the last function and index, as Python does
        for name in (g, counter):
            inside = sum(1 for n in gast.walk(body) if isinstance(n, gast.Name) and n.id == name)
            if name is not None and sum(1 for n in gast.walk(self.ctx.node) if isinstance(n, gast.Name)
                                        and n.id == name and isinstance(n.ctx, gast.Load)) > inside:
                after.append(name)
        out = []
        for i, (kind, v) in enumerate(items):
            copies = [_substituted(st, counter, gast.Constant(value=i, kind=None)) for st in node.body] \
                if counter is not None else node.body
            if kind == "local":
                out.extend(_renamed(st, {g: v}) for st in copies)
            else:
                out.extend(_substituted(st, g, v) for st in copies)
        if counter in after:
            out.append(gast.Assign(targets=[_name(counter, gast.Store())],
                                   value=gast.Constant(value=len(items) - 1, kind=None), type_comment=None))
        if g in after:
            kind, v = items[-1]
            out.append(gast.Assign(targets=[_name(g, gast.Store())],
                                   value=_name(v) if kind == "local" else copy.deepcopy(v), type_comment=None))
        for st in out:
            for n in gast.walk(st):
                if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
                    gast.copy_location(n, node)
        return out


def _constant_index(node):
    """``i`` of ``name[i]`` with ``i`` an int constant, else None."""
    if isinstance(node, gast.Subscript) and isinstance(node.value, gast.Name) \
            and isinstance(node.slice, gast.Constant) and type(node.slice.value) is int:
        return node.slice.value
    return None


def _substituted(st, name, expr):
    """A copy of ``st`` with each read of ``name`` replaced by a copy of ``expr``."""
    class Sub(gast.NodeTransformer):
        def visit_Name(self, n):
            if n.id == name and isinstance(n.ctx, gast.Load):
                return gast.copy_location(copy.deepcopy(expr), n)
            return n
    return Sub().visit(copy.deepcopy(st))
