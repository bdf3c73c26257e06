"""Operators on objects of the user's classes, written as the calls Python makes::

    v = Vec(x[0], x[1]) + Vec(x[1], x[2]) * 2.0     v = Vec.__add__(Vec(x[0], x[1]), Vec.__mul__(Vec(x[1], x[2]), 2.0))
    w = 0.5 * v                                     w = Vec.__rmul__(v, 0.5)
    u = -w                                          u = Vec.__neg__(w)

s2s otherwise reads ``a + b`` as arithmetic on numbers and arrays. The rewrite happens only where the class of
the left operand (of the right one for ``0.5 * v``, a number on the left) is known where the function is
written: a call of the class (``Vec(...)``), a local name every assignment of which gives that class
(``p = Vec(...)`` then ``p = p * 0.9 + Vec(...)``), or the result of an operator method whose every ``return``
builds that class (``return Vec(...)``, ``return type(self)(...)``, ``return self``). A method called on such an
object becomes a call of the class's function too (``p.norm2()``: ``Vec.norm2(p)``). A method that may return
``NotImplemented`` is left alone (Python would then try the other operand). The dunder is called on the class,
as Python looks it up: a call of a function known here, differentiated as any (s2s/records.py builds the
objects).
"""
import inspect
import types

import gast

from . import astutil
from .class_returns import returned_class

_BINARY = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "truediv", gast.MatMult: "matmul",
           gast.Pow: "pow", gast.FloorDiv: "floordiv", gast.Mod: "mod"}
_UNARY = {gast.USub: "__neg__", gast.UAdd: "__pos__"}


def _user_class(cls):
    from .objects import _plain_class
    from .records import buildable
    return isinstance(cls, type) and buildable(cls) and not issubclass(cls, tuple) and (
        _plain_class(cls) or hasattr(cls, "__dataclass_fields__"))


def _returns(cls, method):
    """The class every ``return`` of ``cls.<method>`` builds (``cls`` for ``self`` and ``type(self)(...)``), or
    None (unknown, several, or ``NotImplemented`` somewhere)."""
    fn = inspect.getattr_static(cls, method, None)
    found = returned_class(fn, cls) if isinstance(fn, types.FunctionType) else None
    return found if _user_class(found) else None


def _method(cls, name):
    return cls is not None and _user_class(cls) and isinstance(inspect.getattr_static(cls, name, None),
                                                               types.FunctionType) and _returns(cls, name)


class _Types:
    """The user class an expression of the function surely has, or None."""

    def __init__(self, fn, ctx):
        self.ctx = ctx
        self.names = {}
        assigns, unknown = {}, set()
        params = {a.id for a in astutil.walk_bfs(fn.args) if isinstance(a, gast.Name)}
        for n in astutil.walk_bfs(fn):
            if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
                assigns.setdefault(n.targets[0].id, []).append(n.value)
            elif isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                if not any(isinstance(a, gast.Assign) and len(a.targets) == 1 and a.targets[0] is n
                           for a in astutil.walk_bfs(fn)):
                    unknown.add(n.id)   # a loop target, an unpacking, an augmented assignment
        candidates = {k: v for k, v in assigns.items() if k not in unknown and k not in params}
        self.assigns = candidates
        # optimistic: a name has the class one of its values surely has, until a value says otherwise
        for k, values in candidates.items():
            for v in values:
                c = self.of(v)
                if c is not None:
                    self.names[k] = c
                    break
        changed = True
        while changed:
            changed = False
            for k in list(self.names):
                if any(self.of(v) is not self.names[k] for v in candidates[k]):
                    del self.names[k]
                    changed = True

    def number(self, e, seen=()):
        """True when ``e`` surely is a Python number (then ``e * v`` runs ``v.__rmul__(e)``; an array would not)."""
        if isinstance(e, gast.Constant):
            return isinstance(e.value, (int, float)) and not isinstance(e.value, bool)
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, (gast.USub, gast.UAdd)):
            return self.number(e.operand, seen)
        if isinstance(e, gast.BinOp):
            return self.number(e.left, seen) and self.number(e.right, seen)
        if isinstance(e, gast.Name) and e.id in self.assigns and e.id not in seen:
            return all(self.number(v, seen + (e.id,)) for v in self.assigns[e.id])
        return False

    def of(self, e):
        if isinstance(e, gast.Name):
            return self.names.get(e.id)
        if isinstance(e, gast.Call) and not any(isinstance(a, gast.Starred) for a in e.args):
            if isinstance(e.func, (gast.Name, gast.Attribute)):
                from .desugar import resolved, _Resolver
                cls = resolved(_Resolver(self.ctx), e.func)
                if _user_class(cls):
                    return cls
            if isinstance(e.func, gast.Attribute):   # v.__add__(w) as written, Vec.__add__(v, w) as rewritten
                from .desugar import resolved, _Resolver
                c = resolved(_Resolver(self.ctx), e.func.value)
                c = c if isinstance(c, type) else self.of(e.func.value)   # (c may be an array: no truth value)
                return _returns(c, e.func.attr) if _user_class(c) else None
            return None
        if isinstance(e, gast.BinOp) and type(e.op) in _BINARY:
            op = _BINARY[type(e.op)]
            left = self.of(e.left)
            if left is not None:
                return _method(left, f"__{op}__") or None
            right = self.of(e.right)
            if right is not None and self.number(e.left):
                return _method(right, f"__r{op}__") or None
            return None
        if isinstance(e, gast.UnaryOp) and type(e.op) in _UNARY:
            c = self.of(e.operand)
            return _method(c, _UNARY[type(e.op)]) or None if c is not None else None
        return None


def _fields(cls):
    from .records import field_names
    return set(field_names(cls))


def _class_name(cls):
    from .coreform import runtime_name
    return runtime_name(cls.__name__, cls)


def _call(cls, method, args, at):
    """``Cls.__add__(a, b)``: what Python runs for ``a + b`` (a dunder is looked up on the type), a call of a
    function known here."""
    out = gast.Call(func=gast.Attribute(value=_class_name(cls), attr=method, ctx=gast.Load()),
                    args=args, keywords=[])
    for n in gast.walk(out):
        if isinstance(n, gast.expr) and not hasattr(n, "lineno"):
            gast.copy_location(n, at)
    return out


def user_operators(fn, ctx):
    """Rewrite (in place) the operators of ``fn`` applied to objects of the user's classes (see the module doc)."""
    if not any(isinstance(n, (gast.BinOp, gast.UnaryOp)) for n in astutil.walk_bfs(fn)) or not any(
            _user_class(v) for v in list(ctx.globals.values()) + list(getattr(ctx, "closure", {}).values())):
        return
    types_ = _Types(fn, ctx)

    class Rewrite(gast.NodeTransformer):
        def visit_BinOp(self, node):
            found, left = types_.of(node), types_.of(node.left)   # (typed before the operands are rewritten)
            self.generic_visit(node)
            if found is None:
                return node
            op = _BINARY[type(node.op)]
            if left is not None:
                return _call(left, f"__{op}__", [node.left, node.right], node)
            return _call(types_.of(node.right), f"__r{op}__", [node.right, node.left], node)

        def visit_Call(self, node):   # p.norm2() with p's class known here: Vec.norm2(p), as for operators
            cls = types_.of(node.func.value) if isinstance(node.func, gast.Attribute) else None
            self.generic_visit(node)
            if cls is None or not isinstance(inspect.getattr_static(cls, node.func.attr, None), types.FunctionType) \
                    or node.func.attr in _fields(cls):
                return node
            return gast.copy_location(gast.Call(func=gast.Attribute(value=_class_name(cls), attr=node.func.attr,
                                                                    ctx=gast.Load()),
                                                args=[node.func.value] + node.args, keywords=node.keywords), node)

        def visit_UnaryOp(self, node):
            found, operand = types_.of(node), types_.of(node.operand)
            self.generic_visit(node)
            return node if found is None else _call(operand, _UNARY[type(node.op)], [node.operand], node)
    Rewrite().visit(fn)
