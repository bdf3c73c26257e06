"""Which values are records (namedtuples, dataclass instances, plain objects of the user's) and how a
finished gradient takes a record's type.

These few functions need nothing of the rest of s2s: ``runtime.as_grad`` asks them (so the runtime
helpers do not import the record rules of ``records.py``, which in turn build their sparse gradients
with ``runtime.GradList``/``GradDict``: the imports run one way, records -> runtime -> record_types).
"""
import dataclasses
import functools
import types
import numbers

import numpy as np

_NOT_RECORDS = (np.ndarray, np.generic, numbers.Number, str, bytes, list, dict, set, frozenset, type)


def is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


_CALLABLES = (type, types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType,
              functools.partial)


def is_record(x):
    """True for a dataclass instance or a plain object of the user's with attributes (not an array,
    a number, a container, a class, a module, a function)."""
    if is_namedtuple(x):
        return True
    if isinstance(x, _NOT_RECORDS) or isinstance(x, tuple) or isinstance(x, _CALLABLES):
        return False   # (an instance of a user's class with __call__, a callable layer, is a record)
    if dataclasses.is_dataclass(x):
        return True
    if not (hasattr(x, "__dict__") or _slots(type(x))) or type(x).__module__ in ("builtins", "numpy") \
            or hasattr(x, "__array__") or hasattr(x, "__array_namespace__") or hasattr(x, "shape"):
        return False   # array types of other libraries (Dask, CuPy, ...) have attributes too
    return True


def _slots(cls):
    """The instance slots ``cls`` and its bases declare (``__slots__ = ("W", "b")``), in order."""
    out = []
    for k in reversed(cls.__mro__):
        slots = vars(k).get("__slots__", ())
        for s in (slots,) if isinstance(slots, str) else slots:
            if s not in ("__dict__", "__weakref__") and s not in out:
                out.append(s)
    return out


def fields(x):
    """The names of x's differentiable fields, in order."""
    if is_namedtuple(x):
        return list(x._fields)
    if dataclasses.is_dataclass(x):
        return [f.name for f in dataclasses.fields(x)]
    slots = [s for s in _slots(type(x)) if hasattr(x, s)]   # a class with __slots__: its slots that are set
    return slots + [k for k in getattr(x, "__dict__", {}) if k not in slots]


def get_field(g, obj, name):
    """Field ``name`` of ``g``, a gradient or tangent of ``obj`` in any of its forms (the record type,
    a GradList for a namedtuple, a GradDict, or a zero)."""
    if isinstance(g, dict):
        return g.get(name, 0.0)
    if isinstance(g, (list, tuple)) and not hasattr(type(g), "_fields") and is_namedtuple(obj):
        return g[obj._fields.index(name)]
    if isinstance(g, numbers.Number) and not isinstance(g, bool):
        return g   # a scalar zero (or seed) for the whole record
    return getattr(g, name)


def _numeric(v):
    return isinstance(v, (numbers.Number, np.ndarray, np.generic, list, tuple, dict)) and not isinstance(v, bool) \
        or is_record(v)


def _shallow_copy(x):
    """copy.copy for a record (written out: the effect analysis follows copy.copy into the copy module)."""
    cls = type(x)
    out = cls.__new__(cls)
    if hasattr(x, "__dict__"):
        out.__dict__.update(vars(x))
    for slot in getattr(cls, "__slots__", ()):
        if hasattr(x, slot):
            object.__setattr__(out, slot, getattr(x, slot))
    return out


def as_record(g, x, as_grad, zero_grad):
    """The finished gradient of record ``x`` from ``g`` (a GradList, GradDict, record of x's type, or 0)."""
    if is_namedtuple(x):
        parts = [get_field(g, x, f) for f in x._fields]
        return type(x)(*(as_grad(p, v) for p, v in zip(parts, x)))
    if not isinstance(g, dict) and type(g) is type(x):   # already of the record's type: finish each field
        g = {f: getattr(g, f) for f in fields(x)}
    elif not isinstance(g, dict):
        g = {}
    out = _shallow_copy(x)
    for f in fields(x):
        v = getattr(x, f)
        if f in g:
            new = as_grad(g[f], v)
        elif _numeric(v):
            new = zero_grad(v)
        else:
            continue   # a string, a function, a flag: kept as it is
        object.__setattr__(out, f, new)
    return out
