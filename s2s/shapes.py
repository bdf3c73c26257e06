"""Scalar inference: which variables of a core-form function are always plain numbers.

For those, broadcasting cannot happen, so the reverse pass drops
``unbroadcast`` (and with it the saving of values that were kept only for
their shapes), ``init_grad`` and ``as_grad``. The analysis is flow-insensitive
and sound:

- forward: a variable is scalar if every assignment to it produces a scalar
  from scalars (constants, arithmetic, ``math`` functions, ``len``/``int``/
  ``float``, full reductions like ``np.sum(x)``, ``range`` loop indices);
- backward: arguments of ``math`` functions must be scalars (the program
  would fail otherwise), and so must the operands of arithmetic whose result
  must be a scalar. This is applied only to parameters and variables bound
  once, whose value at every use is the same.
"""
import collections
import math
import types

import gast

from . import astutil
import numpy as np

from .analyze import callee

ARITH = (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow, gast.FloorDiv, gast.Mod)
FULL_REDUCTIONS = {np.sum, np.mean, np.prod, np.max, np.min, np.amax, np.amin, np.var, np.std, np.median,
                   np.linalg.norm}


def _is_math(obj):
    return isinstance(obj, types.BuiltinFunctionType) and getattr(obj, "__self__", None) is math


def _scalar_number(node):
    return isinstance(node, gast.Constant) and type(node.value) in (int, float, bool)


def scalar_names(fn, ctx, known=frozenset()):
    """(scalars, must): names of ``fn`` (core form) that always hold Python or NumPy scalars, and the
    results that must be scalars where they are computed (an argument of a ``math`` function).

    ``known``: parameters the caller's argument signature pins as Python numbers (a function
    generated for ``float`` arguments, s2s/signature.py): scalar on entry, so scalar wherever every
    binding of them in the body is."""
    defs = collections.defaultdict(list)     # name -> assigned values (None: unknown binding)
    for s in astutil.walk(fn):
        if isinstance(s, gast.Assign):
            t = s.targets[0]
            if isinstance(t, gast.Name):
                defs[t.id].append(s.value)
            elif isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
                defs[t.value.id].append(None)   # changed in place: an array or a list
        elif isinstance(s, gast.For):
            defs[s.target.id].append("index")   # normalize leaves only loops over range objects
        elif isinstance(s, gast.Expr) and isinstance(s.value, gast.Call) and isinstance(s.value.func, gast.Attribute) \
                and isinstance(s.value.func.value, gast.Name):
            defs[s.value.func.value.id].append(None)
        elif isinstance(s, gast.With):
            for item in s.items:
                if item.optional_vars is not None:
                    for n in astutil.walk(item.optional_vars):
                        if isinstance(n, gast.Name):
                            defs[n.id].append(None)
    params = {a.id for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    single = {n for n, vs in defs.items() if len(vs) == 1} | (params - set(defs))

    must = set()
    changed = True
    while changed:   # backward: what must be scalar for the program to run
        changed = False
        for s in astutil.walk(fn):
            if isinstance(s, gast.Call):
                kind, obj = callee(s, ctx)
                if kind == "global" and _is_math(obj):
                    for a in s.args:
                        if isinstance(a, gast.Name) and a.id in single and a.id not in must:
                            must.add(a.id)
                            changed = True
        for name in list(must):
            for v in defs.get(name, []):
                for operand in _elementwise_operands(v, ctx):
                    if operand in single and operand not in must:
                        must.add(operand)
                        changed = True

    if known:   # a parameter bound again in a way not recorded above (a tuple target...) is not pinned
        stores = collections.Counter(n.id for n in astutil.walk(fn) if isinstance(n, gast.Name)
                                     and isinstance(n.ctx, gast.Store) and n.id in known)
        known = {p for p in known if p in params and stores[p] == len(defs.get(p, ()))}
    scalar = {n for n in defs if n not in params} | must | known
    changed = True
    while changed:   # forward: optimistic, remove what cannot be shown scalar
        changed = False
        for name in list(scalar):
            if name in must:
                continue
            if not all(_produces_scalar(v, scalar, ctx) for v in defs.get(name, [] if name in known else [None])):
                scalar.discard(name)
                changed = True
    return scalar, must


def _elementwise_operands(value, ctx):
    """Names whose shape equals the result's when the result is a scalar."""
    if isinstance(value, gast.BinOp) and isinstance(value.op, ARITH):
        return [o.id for o in (value.left, value.right) if isinstance(o, gast.Name)]
    if isinstance(value, gast.UnaryOp) and isinstance(value.op, (gast.USub, gast.UAdd)):
        return [value.operand.id] if isinstance(value.operand, gast.Name) else []
    if isinstance(value, gast.Name):
        return [value.id]
    if isinstance(value, gast.Call) and not value.keywords:
        kind, obj = callee(value, ctx)
        if kind == "global" and (isinstance(obj, np.ufunc) and obj.nout == 1 and obj.signature is None
                                 or _is_math(obj)):
            return [a.id for a in value.args if isinstance(a, gast.Name)]
    return []


def _produces_scalar(value, scalar, ctx):
    def atom(n):
        return _scalar_number(n) or (isinstance(n, gast.Name) and n.id in scalar)

    if value == "index":
        return True
    if value is None:
        return False
    if isinstance(value, gast.Constant):
        return _scalar_number(value)
    if isinstance(value, gast.Name):
        return value.id in scalar
    if isinstance(value, gast.BinOp):
        return isinstance(value.op, ARITH) and atom(value.left) and atom(value.right)
    if isinstance(value, gast.UnaryOp):
        return isinstance(value.op, (gast.USub, gast.UAdd)) and atom(value.operand)
    if isinstance(value, gast.Call):
        kind, obj = callee(value, ctx)
        if kind != "global" or any(isinstance(a, gast.Starred) for a in value.args):
            return False
        if _is_math(obj) or obj in (len, int, float, bool):
            return True
        if obj is round:
            return len(value.args) == 1 and not value.keywords
        if obj in (abs, pow) or (isinstance(obj, np.ufunc) and obj.nout == 1 and obj.signature is None):
            return all(atom(a) for a in value.args) and not value.keywords
        try:
            full = obj in FULL_REDUCTIONS
        except TypeError:
            full = False
        return full and len(value.args) == 1 and not value.keywords
    return False
