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

from .. import runtime
from ..anno import getanno, setanno


def _const(v):
    return gast.Constant(value=v, kind=None)


def is_zero(node):
    """The literal zero that stands for an inactive tangent."""
    return isinstance(node, gast.Constant) and type(node.value) in (int, float) and node.value == 0


# ---------------------------------------------------------------- zero folding

def _zero_rules():
    """callee -> (kind, positions): "any" = zero if any listed argument is zero,
    "all" = zero if all of them are (additive), "same:k" = returns argument k
    unchanged when the listed argument is zero (in-place accumulation)."""
    from ..templates import bcast, helpers, numpy_core, operators
    rules = {
        runtime.unbroadcast: ("any", (0,)), runtime.init_grad: ("any", (1,)),
        runtime.as_grad: ("any", (0,)), runtime.copy_grad: ("any", (0,)),
        runtime.add_at: ("same:0", (2,)), runtime.add_grad: ("all", (0, 1)),
        helpers.grad_reduce: ("any", (0,)), helpers.grad_reshape: ("any", (0,)),
        operators.matmul_grad_x: ("any", (0, 2)), operators.matmul_grad_y: ("any", (0, 1)),
        numpy_core.dot_grad_x: ("any", (0, 2)), numpy_core.dot_grad_y: ("any", (0, 1)),
        np.sum: ("any", (0,)), np.mean: ("any", (0,)), np.reshape: ("any", (0,)),
        np.transpose: ("any", (0,)), np.broadcast_to: ("any", (0,)), np.dot: ("any", (0, 1)),
        np.matmul: ("any", (0, 1)), np.multiply: ("any", (0, 1)), np.negative: ("any", (0,)),
        np.real: ("any", (0,)), np.conjugate: ("any", (0,)), np.ldexp: ("any", (0,)),
        np.expand_dims: ("any", (0,)), np.squeeze: ("any", (0,)), np.ravel: ("any", (0,)),
        np.swapaxes: ("any", (0,)), np.moveaxis: ("any", (0,)), np.tensordot: ("any", (0, 1)),
        np.cumsum: ("any", (0,)), np.trace: ("any", (0,)), np.diag: ("any", (0,)),
        np.outer: ("any", (0, 1)), np.inner: ("any", (0, 1)), np.kron: ("any", (0, 1)),
        np.where: ("all", (1, 2)), float: ("any", (0,)), list: ("any", (0,)),
    }
    rules[bcast.tangent_like] = ("any", (0,))
    from ..templates import runtime_rules
    rules.update(runtime_rules.ZERO_RULES)
    from .. import containers, records
    rules.update(records.ZERO_RULES)
    rules.update(containers.ZERO_RULES)
    return rules


_ZERO_RULES = None


def zero_rules():
    global _ZERO_RULES
    if _ZERO_RULES is None:
        _ZERO_RULES = _zero_rules()
    return _ZERO_RULES


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
    for n in gast.walk(expr):
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

