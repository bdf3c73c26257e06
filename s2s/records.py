"""Objects with fields as differentiable containers: ``p.W`` where ``p`` is a namedtuple, a dataclass
instance or a plain object of the user's.

The gradient of such an argument has its type (as JAX pytrees and DESIGN.md section 1 say): a
namedtuple of gradients, a dataclass instance of gradients (a copy with every field replaced), a
copy of a plain object with its numeric attributes replaced by their gradients.

Inside a generated gradient the gradient of a record is built sparsely, one field access at a
time: ``dp = field_grad(dW, p, 'W')`` is a GradList for a namedtuple (zeros elsewhere, so it adds
to the gradient of ``p[0]``), a GradDict {field: gradient} otherwise (``add_grad`` merges them);
``as_grad(dp, p)`` gives the finished gradient its type (``as_record``). Forward mode reads the
field of the tangent: ``dt = field_tangent(dp, p, 'W')``, which is ``dp.W`` for a tangent of p's type.

The attribute of an array, a number or anything else s2s knows no rule for is refused, at run
time (the type of ``p`` is only known then), naming the attribute.
"""
import dataclasses
import numbers

import numpy as np

from .errors import DifferentiationError
from .registry import adjoint, d, tangent, zero_if
from .runtime import GradDict, GradList

_NOT_RECORDS = (np.ndarray, np.generic, numbers.Number, str, bytes, list, dict, set, frozenset, type)


def is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_record(x):
    """True for a dataclass instance or a plain object of the user's with attributes (not an array,
    a number, a container, a class, a module, a function)."""
    if is_namedtuple(x):
        return True
    if isinstance(x, _NOT_RECORDS) or isinstance(x, tuple) or callable(x):
        return False
    if dataclasses.is_dataclass(x):
        return True
    if not hasattr(x, "__dict__") or type(x).__module__ in ("builtins", "numpy") \
            or hasattr(x, "__array__") or hasattr(x, "__array_namespace__") or hasattr(x, "shape"):
        return False   # array types of other libraries (Dask, CuPy, ...) have attributes too
    return True


def _refuse(obj, name):
    return DifferentiationError(
        f"s2s has no derivative rule for attribute .{name} of a {type(obj).__name__} value (it knows array "
        "attributes such as .T and .real, and the fields of namedtuples, dataclasses and plain objects).",
        "Register one with @s2s.adjoint, or rewrite this line.")


def fields(x):
    """The names of x's differentiable fields, in order."""
    if is_namedtuple(x):
        return list(x._fields)
    if dataclasses.is_dataclass(x):
        return [f.name for f in dataclasses.fields(x)]
    return list(vars(x))


def field_grad(g, obj, name):
    """The gradient of ``obj`` from the gradient ``g`` of ``obj.<name>`` (sparse: only that field)."""
    if is_namedtuple(obj):
        out = GradList([0.0] * len(obj))
        out[obj._fields.index(name)] = g
        return out
    if not is_record(obj):
        raise _refuse(obj, name)
    return GradDict({name: g})


def field_tangent(t, obj, name):
    """The tangent of ``obj.<name>`` from the tangent ``t`` of ``obj``."""
    if not is_record(obj):
        raise _refuse(obj, name)
    return get_field(t, obj, name)


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


# ---------------------------------------------------------------- rules: the helpers are linear in g / t
@adjoint(field_grad, constant=("obj", "name"))
def _field_grad_adj(z, g, obj, name):
    d[g] = get_field(d[z], obj, name)


@tangent(field_grad, constant=("obj", "name"))
def _field_grad_fwd(z, g, obj, name):
    d[z] = field_grad(d[g], obj, name)


@adjoint(field_tangent, constant=("obj", "name"))
def _field_tangent_adj(z, t, obj, name):
    d[t] = field_grad(d[z], obj, name)


@tangent(field_tangent, constant=("obj", "name"))
def _field_tangent_fwd(z, t, obj, name):
    d[z] = field_tangent(d[t], obj, name)


@adjoint(get_field, constant=("obj", "name"))
def _get_field_adj(z, g, obj, name):
    d[g] = field_grad(d[z], obj, name)


@tangent(get_field, constant=("obj", "name"))
def _get_field_fwd(z, g, obj, name):
    d[z] = get_field(d[g], obj, name)


# literal-zero folding in forward mode (s2s/forward.py): each is zero when its first argument is
zero_if(field_grad, field_tangent, get_field, any_of=(0,))


# ---------------------------------------------------------------- building a record from values that carry gradients
def buildable(cls):
    """True for a namedtuple class, or a dataclass whose __init__ is the generated one (it stores each
    argument in its field unchanged) and that has no __post_init__: building one is packing values."""
    if not isinstance(cls, type):
        return False
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):
        return True
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return False
    init = cls.__dict__.get("__init__")
    code = getattr(init, "__code__", None)
    return code is not None and code.co_filename.startswith("<") and \
        all(f.init for f in dataclasses.fields(cls)) and not getattr(cls, "__slots__", None)


def field_names(cls):
    return list(cls._fields) if issubclass(cls, tuple) else [f.name for f in dataclasses.fields(cls)]


def literal_defaults(cls):
    """The fields of ``cls`` whose default is a number, string, bool or None."""
    if issubclass(cls, tuple):
        found = dict(getattr(cls, "_field_defaults", {}))
    else:
        found = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    return {k: v for k, v in found.items() if v is None or type(v) in (int, float, str, bool)}


def make_record(cls, *values):
    """``cls(*values)`` for a namedtuple or dataclass class (see buildable): its fields are the values."""
    return cls(*values)


def record_parts(g, z):
    """The gradients of the fields of record ``z`` (in order) from its gradient ``g``."""
    return tuple(get_field(g, z, f) for f in fields(z))


@adjoint(make_record, constant=("cls",))
def _make_record_adj(z, cls, *values):
    d[values] = record_parts(d[z], z)


@tangent(make_record, constant=("cls",))
def _make_record_fwd(z, cls, *values):
    d[z] = make_record(cls, *d[values])


@adjoint(record_parts, constant=("z",))
def _record_parts_adj(r, g, z):
    d[g] = field_grads(d[r], z)


@tangent(record_parts, constant=("z",))
def _record_parts_fwd(r, g, z):
    d[r] = record_parts(d[g], z)


def field_grads(parts, z):
    """A gradient of record ``z`` whose fields are ``parts`` (in field order)."""
    if is_namedtuple(z):
        return GradList(parts)
    return GradDict(zip(fields(z), parts))


@adjoint(field_grads, constant=("z",))
def _field_grads_adj(r, parts, z):
    d[parts] = record_parts(d[r], z)


@tangent(field_grads, constant=("z",))
def _field_grads_fwd(r, parts, z):
    d[r] = field_grads(d[parts], z)


zero_if(record_parts, field_grads, any_of=(0,))
