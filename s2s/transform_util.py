"""Small helpers shared by the transforms' modules (reverse.py, backward.py, reverse_calls.py,
savepolicy.py, forward.py, forward_calls.py, tangents.py): AST builders, the reverse sweep's save marker,
and the shape facts a rule's gradient uses."""
import operator

import gast
import numpy as np

from . import astutil, registry, shapes
from .anno import setanno
from .coreform import _name

SAVE = "save"        # annotation (s2s/anno.py) on save/restore statements: the saved variable
LOOP_VAR_SAFE = "int"  # annotation on names known to be ints (range loop indices)


def _assign(target, value):
    t = target if isinstance(target, gast.AST) else _name(target, gast.Store())
    return gast.Assign(targets=[t], value=value, type_comment=None)


def _call(func, *args, **kw):
    return gast.Call(func=func, args=list(args), keywords=[gast.keyword(arg=k, value=v) for k, v in kw.items()])


def _attr(obj, name):
    return gast.Attribute(value=obj, attr=name, ctx=gast.Load())


def _mark(node, var):
    setanno(node, SAVE, var)
    return node


def index_expr(index):
    """A subscript's index as an ordinary expression (``a:b`` parts become ``slice(a, b)`` calls)."""
    if isinstance(index, gast.Slice):
        parts = [p if p is not None else gast.Constant(value=None, kind=None)
                 for p in (index.lower, index.upper, index.step)]
        return _call(_name("slice"), *parts)
    if isinstance(index, gast.Tuple):
        return gast.Tuple(elts=[index_expr(e) for e in index.elts], ctx=gast.Load())
    return index


def runtime_like():
    """rule_helpers.like (it keeps its first argument's kind)."""
    from .rule_helpers import like
    return like


def _elementwise(key):
    """Operators, ufuncs and math functions: a scalar result means scalar operands."""
    if key in registry.BINOPS.values() or key in registry.UNARYOPS.values():
        return key is not operator.matmul
    return (isinstance(key, np.ufunc) and key.signature is None) or shapes._is_math(key)   # not matmul/vecdot


def _is_number(node):
    return isinstance(node, gast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def _drop_unbroadcast(expr, var):
    """unbroadcast(e, x) -> e when the other operands are plain numbers (shapes match)."""
    if isinstance(expr, gast.Call) and isinstance(expr.func, gast.Name) and expr.func.id.startswith("unbroadcast") \
            and len(expr.args) == 2 and isinstance(expr.args[1], gast.Name) and expr.args[1].id == var:
        return expr.args[0]
    return expr


def _rename_tree(node, old, new):
    node = astutil.clone(node)
    for n in astutil.walk(node):
        if isinstance(n, gast.Name) and n.id == old:
            n.id = new
    return node
