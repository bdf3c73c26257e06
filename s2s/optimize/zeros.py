"""Zeros in forward mode: the literal ``0`` that stands for an inactive tangent, and its folding.

The forward transform (s2s/forward.py) fills each statement's ``@tangent``
template and folds it here before writing it down: ``FoldZeros`` propagates
zero tangents through operators and through callees linear in the listed
arguments (``zero_rules``), ``fold_zero_tangents`` folds any part of a filled
template whose tangent leaves are all zero, and ``drop_default_keywords``
drops keywords equal to the callee's defaults.
"""
import inspect

import gast
import numpy as np

from .. import registry
from ..anno import getanno, setanno
from .. import astutil


def _const(v):
    return gast.Constant(value=v, kind=None)


def is_zero(node):
    """The literal zero that stands for an inactive tangent."""
    return isinstance(node, gast.Constant) and type(node.value) in (int, float) and node.value == 0


# ---------------------------------------------------------------- zero folding

def zero_rules():
    """callee -> (kind, positions), as the rules declare them (``registry.zero_if``): "any" = zero if
    any listed argument is zero, "all" = zero if all of them are (additive), "same:k" = returns
    argument k unchanged when the listed arguments are zero (in-place accumulation); ``import s2s``
    loaded the rules."""
    return registry.ZERO_IF


class FoldZeros(gast.NodeTransformer):
    """Propagate literal-zero tangents: ``0 * a -> 0``, ``np.sum(0) -> 0``, ``a + 0 -> a``."""

    def __init__(self, resolve):
        self.resolve = resolve

    def visit_BinOp(self, node):
        self.generic_visit(node)
        l, r, op = node.left, node.right, node.op
        if isinstance(op, (gast.Mult, gast.MatMult)) and (is_zero(l) or is_zero(r)):
            return _const(0)
        if isinstance(op, (gast.Div, gast.FloorDiv, gast.Mod)) and is_zero(l):
            return _const(0)
        if isinstance(op, gast.Add):
            if is_zero(l):
                return r
            if is_zero(r):
                return l
        if isinstance(op, gast.Sub):
            if is_zero(r):
                return l
            if is_zero(l):
                return gast.UnaryOp(op=gast.USub(), operand=r)
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (gast.USub, gast.UAdd)) and is_zero(node.operand):
            return _const(0)
        return node

    def visit_Subscript(self, node):
        self.generic_visit(node)
        return _const(0) if is_zero(node.value) and isinstance(node.ctx, gast.Load) else node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        return _const(0) if is_zero(node.value) else node

    def visit_Call(self, node):
        self.generic_visit(node)
        if is_zero(node.func):  # a method of a zero tangent: (0).sum(), (0).reshape(...)
            return _const(0)
        try:
            rule = zero_rules().get(self.resolve(node.func))
        except TypeError:
            rule = None
        if rule is None:
            return node
        kind, positions = rule
        args = node.args
        zeros = [p < len(args) and is_zero(args[p]) for p in positions]
        if kind == "any" and any(zeros):
            return _const(0)
        if kind == "all" and all(zeros):
            return _const(0)
        if kind.startswith("same:") and all(zeros):
            return args[int(kind[5:])]
        return node


def fold_zero_tangents(expr):
    """A subexpression whose tangent leaves are all zero is zero.

    A tangent rule is linear in the tangents of the arguments (``d[x]``), so
    any part of it that mentions tangents, all of them zero, is zero: this
    folds calls of helpers the rule modules add (``like(0, x)``,
    ``choice_tangent((0, 0), z, args)``) without a table of linear functions.
    Parts without tangents (primal values) are left alone.
    """
    def visit(node):
        if getanno(node, "zero_tangent", False):
            return node, "zero"
        if getanno(node, "tangent", False):
            return node, "live"
        status = "none"
        for field, value in gast.iter_fields(node):
            if isinstance(value, list):
                new = []
                for v in value:
                    if isinstance(v, gast.AST):
                        v, st = visit(v)
                        status = _join(status, st)
                    new.append(v)
                setattr(node, field, new)
            elif isinstance(value, gast.AST):
                v, st = visit(value)
                setattr(node, field, v)
                status = _join(status, st)
        if status == "zero" and isinstance(node, gast.expr) and not isinstance(node, (gast.Tuple, gast.List)):
            z = _const(0)
            setanno(z, "zero_tangent")
            return z, "zero"
        return node, status
    return visit(expr)[0]


def _join(a, b):
    if "live" in (a, b):
        return "live"
    if "zero" in (a, b):
        return "zero"
    return "none"



def drop_default_keywords(expr, resolve):
    """``np.sum(dx, axis=None, keepdims=False)`` -> ``np.sum(dx)``: keywords equal to the callee's defaults."""
    for n in astutil.walk_bfs(expr):
        if not (isinstance(n, gast.Call) and n.keywords):
            continue
        obj = resolve(n.func)
        if obj is None:
            continue
        try:
            params = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            continue
        keep = []
        for k in n.keywords:
            p = params.get(k.arg)
            if p is not None and p.default is not inspect.Parameter.empty and isinstance(k.value, gast.Constant) \
                    and type(k.value.value) is type(p.default) and k.value.value == p.default:
                continue
            if p is not None and p.default is None and isinstance(k.value, gast.Constant) and k.value.value is None:
                continue
            if p is not None and k.arg == "keepdims" and p.default is getattr(np, "_NoValue", None) \
                    and isinstance(k.value, gast.Constant) and k.value.value is False:
                continue
            keep.append(k)
        n.keywords = keep

