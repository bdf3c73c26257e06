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


# math functions that take sequences (their result is a number, their arguments are not)
_MATH_ON_SEQUENCES = {getattr(math, n) for n in ("fsum", "prod", "dist", "sumprod") if hasattr(math, n)}


def _scalar_args(obj):
    """Whether every argument of a call of ``obj`` must be a number (a math function's)."""
    return _is_math(obj) and obj not in _MATH_ON_SEQUENCES


def _scalar_number(node):
    return isinstance(node, gast.Constant) and type(node.value) in (int, float, bool)


def scalar_names(fn, ctx, known=frozenset(), arrays=None, returns_scalar=None, arrays_too=False, floats=frozenset()):
    """(scalars, must): names of ``fn`` (core form) that always hold Python or NumPy scalars, and the
    results that must be scalars where they are computed (an argument of a ``math`` function).

    ``known``: parameters the caller's argument signature pins as Python numbers (a function
    generated for ``float`` arguments, s2s/signature.py): scalar on entry, so scalar wherever every
    binding of them in the body is. ``arrays``: {parameter: ndim} of the parameters it pins as
    NumPy arrays of a numeric dtype: an element ``x[i]`` (an int index per dimension) of those, and
    of the arrays made from them (``np.zeros_like(x)``...), is a scalar. ``returns_scalar(f, flags)``:
    whether the user function ``f`` returns a scalar when called with positional arguments that are
    scalars where ``flags`` says True (s2s/facts.py ``ScalarCalls``); None: a call of a user function
    is not known to return a scalar. ``arrays_too``: (scalars, must, ndims, ints, numbers), with {name:
    ndim} of the names known to hold NumPy arrays of that ndim, the names known to hold Python ints, and
    the names known to hold Python numbers (int, float or bool, not NumPy scalars): ``floats`` (parameters
    pinned as Python numbers among ``known``), and what ``python_numbers`` derives from them (with
    ``returns_scalar(f, flags, "number")``: whether the user function f returns a Python number)."""
    defs = collections.defaultdict(list)     # name -> assigned values (None: unknown binding)
    item_stores = collections.Counter()      # name -> its ``name[...] = v`` bindings (among the None above)
    for s in astutil.walk(fn):
        if isinstance(s, gast.Assign):
            t = s.targets[0]
            if isinstance(t, gast.Name):
                defs[t.id].append(s.value)
            elif isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
                defs[t.value.id].append(None)   # changed in place: an array or a list
                item_stores[t.value.id] += 1
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
                if kind == "global" and _scalar_args(obj):
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
    ints = _int_names(defs, params, fn)
    ndims = _array_ndims(fn, ctx, defs, item_stores, params, arrays or {}, ints)
    scalar = {n for n in defs if n not in params} | must | known
    changed = True
    while changed:   # forward: optimistic, remove what cannot be shown scalar
        changed = False
        for name in list(scalar):
            if name in must:
                continue
            if not all(_produces_scalar(v, scalar, ctx, ndims, ints, returns_scalar)
                       for v in defs.get(name, [] if name in known else [None])):
                scalar.discard(name)
                changed = True
    if arrays_too:
        floats = {p for p in floats if p in known}
        # (only for code generated for Python numbers: the generic code keeps the adjoints' types as they come)
        numbers = python_numbers(defs, params, floats, ints, ctx, returns_scalar) if floats else set()
        return scalar, must, ndims, ints, numbers
    return scalar, must


_INT_OPS = (gast.Add, gast.Sub, gast.Mult, gast.FloorDiv, gast.Mod)
_MATH_NOT_NUMBER = {getattr(math, n) for n in ("prod", "sumprod", "fsum") if hasattr(math, n)}   # (of NumPy scalars)
_NUMBER_OPS = (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.FloorDiv, gast.Mod)   # (not **: (-8.0) ** 0.5 is complex)


def python_numbers(defs, params, floats, ints, ctx, returns=None):
    """Names that always hold Python numbers (int, float, bool; never a NumPy scalar): the parameters
    ``floats``, ``ints``, and names every binding of which is a number constant, a ``math`` function's
    result, ``len``/``int``/``float`` of anything, or + - * / // % and unary minus of Python numbers.
    (A NumPy function's result is a NumPy scalar, as is arithmetic with one.)"""
    def number(n, nums):
        return _scalar_number(n) or isinstance(n, gast.Name) and n.id in nums

    def produces(v, nums):
        if v == "index":
            return True
        if v is None or not isinstance(v, gast.AST):
            return False
        if isinstance(v, (gast.Constant, gast.Name)):
            return number(v, nums)
        if isinstance(v, gast.BinOp):
            return isinstance(v.op, _NUMBER_OPS) and number(v.left, nums) and number(v.right, nums)
        if isinstance(v, gast.UnaryOp):
            return isinstance(v.op, (gast.USub, gast.UAdd)) and number(v.operand, nums)
        if isinstance(v, gast.Call) and not v.keywords and not any(isinstance(a, gast.Starred) for a in v.args):
            kind, obj = callee(v, ctx)
            if kind != "global":
                return False
            if obj in (len, int, float) or (_is_math(obj) and obj not in _MATH_NOT_NUMBER):
                return obj is not float or len(v.args) == 1
            if obj is abs:
                return len(v.args) == 1 and number(v.args[0], nums)
            if returns is not None and isinstance(obj, types.FunctionType):
                return returns(obj, tuple(number(a, nums) for a in v.args), "number")
        return False

    nums = {n for n in defs if n not in params} | set(floats) | set(ints)
    changed = True
    while changed:   # optimistic: remove what cannot be shown a Python number
        changed = False
        for name in list(nums):
            if name in floats and name not in defs or name in ints:
                continue
            if not all(produces(v, nums) for v in defs.get(name, [None])):
                nums.discard(name)
                changed = True
    return nums


def _int_atom(node, ints):
    """A Python int: an int constant (not a bool) or a name of ``ints``."""
    return isinstance(node, gast.Constant) and type(node.value) is int \
        or isinstance(node, gast.Name) and node.id in ints


def _int_names(defs, params, fn):
    """Names that always hold Python ints: range loop indices and int arithmetic on them and int constants
    (not parameters, and only names every binding of which is recorded in ``defs``)."""
    stores = collections.Counter(n.id for n in astutil.walk(fn) if isinstance(n, gast.Name)
                                 and isinstance(n.ctx, gast.Store))
    ints = {n for n, vs in defs.items() if n not in params and stores[n] == len(vs)
            and all(isinstance(v, gast.AST) or v == "index" for v in vs)}
    changed = True
    while changed:
        changed = False
        for name in list(ints):
            for v in defs[name]:
                ok = v == "index" or _int_atom(v, ints) \
                    or isinstance(v, gast.BinOp) and isinstance(v.op, _INT_OPS) and _int_atom(v.left, ints) \
                    and _int_atom(v.right, ints) \
                    or isinstance(v, gast.UnaryOp) and isinstance(v.op, (gast.USub, gast.UAdd)) \
                    and _int_atom(v.operand, ints)
                if not ok:
                    ints.discard(name)
                    changed = True
                    break
    return ints


_LIKE = ("zeros_like", "ones_like", "empty_like", "copy", "asarray", "array")
_NEW = ("zeros", "ones", "empty")


def _array_ndims(fn, ctx, defs, item_stores, params, arrays, ints):
    """{name: ndim} for names that always hold a NumPy array of a numeric dtype and that ndim: the
    parameters ``arrays`` pins, and names bound only to ``np.zeros_like(a)`` (ones_like, empty_like,
    copy, asarray, array: no keywords) or ``a`` of such a name ``a``, or to ``np.zeros(n)`` (ones,
    empty) for an int n; writes of elements (``a[i] = v``) keep an array's ndim and dtype."""
    if not arrays:
        return {}
    like = {getattr(np, n) for n in _LIKE}
    new = {getattr(np, n) for n in _NEW}
    stores = collections.Counter(n.id for n in astutil.walk(fn) if isinstance(n, gast.Name)
                                 and isinstance(n.ctx, gast.Store))

    def ndim_of(v, nd):
        if isinstance(v, gast.Name):
            return nd.get(v.id)
        if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) and v.func.attr == "copy" \
                and not v.args and not v.keywords and isinstance(v.func.value, gast.Name):
            return nd.get(v.func.value.id)   # y = x.copy()
        if isinstance(v, gast.Call) and not v.keywords and len(v.args) == 1 \
                and not isinstance(v.args[0], gast.Starred):
            kind, obj = callee(v, ctx)
            if kind != "global":
                return None
            try:
                if obj in like and isinstance(v.args[0], gast.Name):
                    return nd.get(v.args[0].id)
                if obj in new and _int_atom(v.args[0], ints):
                    return 1
            except TypeError:   # an unhashable callee
                return None
        return None

    todo = {}   # name -> the values bound to it (a pinned parameter: also its ndim on entry)
    for name, vs in defs.items():
        values = [v for v in vs if v is not None]
        # every binding is a value or an element write, and no other statement stores the name
        if len(values) + item_stores[name] != len(vs) or stores[name] != len(values):
            continue
        if (name in arrays) if name in params else values:
            todo[name] = values
    nd = {p: k for p, k in arrays.items() if p in params and p not in defs}
    changed = True
    while changed:   # pessimistic: a name is known once every value bound to it is
        changed = False
        for name, values in list(todo.items()):
            ks = {ndim_of(v, nd) for v in values} | ({arrays[name]} if name in params else set())
            if None in ks or len(ks) != 1:
                continue
            nd[name] = ks.pop()
            del todo[name]
            changed = True
    return nd


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
                                 or _scalar_args(obj)):
            return [a.id for a in value.args if isinstance(a, gast.Name)]
    return []


def _produces_scalar(value, scalar, ctx, ndims=None, ints=(), returns_scalar=None):
    def element(n):   # an element of an array of known ndim: an int per dimension
        k = (ndims or {}).get(n.value.id) if isinstance(n.value, gast.Name) else None
        index = n.slice.elts if isinstance(n.slice, gast.Tuple) else [n.slice]
        return bool(k) and len(index) == k and all(_int_atom(i, ints) for i in index)

    def atom(n):   # (core form keeps a subscript as an operand: ``0.9 * y[t_3]``)
        return _scalar_number(n) or (isinstance(n, gast.Name) and n.id in scalar) \
            or (isinstance(n, gast.Subscript) and element(n))

    if value == "index":
        return True
    if value is None:
        return False
    if isinstance(value, gast.Subscript):
        return element(value)
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
        if full:
            return len(value.args) == 1 and not value.keywords
        if returns_scalar is not None and isinstance(obj, types.FunctionType) and not value.keywords:
            return returns_scalar(obj, tuple(atom(a) for a in value.args))
        return False
    return False
