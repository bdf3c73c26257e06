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
import abc
import dataclasses
import functools
import inspect
import types

from .errors import DifferentiationError
from .registry import adjoint, d, tangent, zero_if
from .record_types import _numeric, as_record, fields, get_field, is_namedtuple, is_record  # noqa: F401  (get_field is a rule's callee)
from .runtime import GradDict, GradList


def _refuse(obj, name):
    from .runtime import _user_line
    return DifferentiationError(
        _user_line() + f"s2s has no derivative rule for attribute .{name} of a {type(obj).__name__} value (it knows "
        "array attributes such as .T and .real, and the fields of namedtuples, dataclasses and plain objects). "
        "Register one with @s2s.adjoint, or rewrite this line.")


def _computed(obj, name):
    """True when ``obj.<name>`` is not one of obj's fields but computed from them by its class (a property,
    a cached_property, another descriptor): its derivative flows into the fields the getter reads, which a
    field access cannot say."""
    found = inspect.getattr_static(type(obj), name, None)
    if isinstance(found, functools.cached_property):   # its value lands in obj.__dict__: a field only in looks
        return True
    if name in fields(obj):
        return False
    return hasattr(type(found), "__get__") and not isinstance(found, (types.FunctionType, staticmethod, classmethod))


def _refuse_computed(obj, name):
    if isinstance(inspect.getattr_static(type(obj), name, None), functools.cached_property):
        return DifferentiationError(
            f"`.{name}` of this {type(obj).__name__} is a functools.cached_property: computed by its class from the "
            "object's fields once, then kept in the object, so s2s cannot tell which fields its derivative flows into. "
            f"Make it a @property, or call its function: `{type(obj).__name__}.{name}.func(obj)`.")
    return DifferentiationError(
        f"`.{name}` of this {type(obj).__name__} is computed by its class (a property or another descriptor), "
        f"not one of its fields; s2s cannot tell which fields its derivative flows into here (the type of the "
        "object is not known where this code was generated). Call the getter as a function of the object "
        f"(`{type(obj).__name__}.{name}.fget(obj)` for a property), or pass the object as a top-level argument "
        "of the function you differentiate (its properties are then followed).")


def _set_outside_fields(obj, name):
    """True when ``obj`` is a dataclass instance and ``.<name>`` one of its attributes that is not a field (set in
    ``__post_init__`` or later): its gradient would have no field to go to."""
    return dataclasses.is_dataclass(obj) and not isinstance(obj, type) and name not in fields(obj) \
        and name in getattr(obj, "__dict__", {})


def _refuse_outside_fields(obj, name):
    from .runtime import _user_line
    cls = type(obj).__name__
    return DifferentiationError(
        _user_line() + f"`.{name}` of this {cls} is not one of its dataclass fields ({', '.join(fields(obj))}): it was "
        "set on the object (in `__post_init__` or later), so s2s cannot tell which fields its derivative flows into "
        "(a gradient or tangent of the object has one entry per field).\n"
        f"Make `{name}` a @property of {cls} computed from the fields (s2s follows properties), or compute it in "
        "the function you differentiate.")


def field_grad(g, obj, name):
    """The gradient of ``obj`` from the gradient ``g`` of ``obj.<name>`` (sparse: only that field)."""
    if is_record(obj) and _computed(obj, name):
        raise _refuse_computed(obj, name)
    if _set_outside_fields(obj, name):
        raise _refuse_outside_fields(obj, name)
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
    if _computed(obj, name):
        raise _refuse_computed(obj, name)
    if _set_outside_fields(obj, name):
        raise _refuse_outside_fields(obj, name)
    out = get_field(t, obj, name)
    if type(out) in (int, float) and out == 0:   # the placeholder zero of a field holding a list (c.scale[0])
        value = getattr(obj, name, None)
        if isinstance(value, (list, tuple, dict)):
            from .runtime import zeros_like
            return zeros_like(value)
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
    """True for a namedtuple class, a dataclass whose __init__ is the generated one (it stores each
    argument in its field unchanged) and that has no __post_init__, or a plain class of the user's whose
    ``__init__`` only stores its parameters in attributes of their names, in order (``self.a, self.b = a, b``)
    and whose other methods never store on ``self`` (``plain_fields``): building one is packing values."""
    if not isinstance(cls, type):
        return False
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):
        return True
    if not dataclasses.is_dataclass(cls):
        return plain_fields(cls) is not None
    if hasattr(cls, "__post_init__"):
        return False
    init = cls.__dict__.get("__init__")
    code = getattr(init, "__code__", None)
    return code is not None and code.co_filename.startswith("<") and \
        all(f.init for f in dataclasses.fields(cls)) and not getattr(cls, "__slots__", None)


@functools.lru_cache(maxsize=256)
def plain_fields(cls):
    """The parameters of a plain class's ``__init__`` when it only stores each in the attribute of its name,
    in order (so ``vars(obj)`` lists them in that order), and no method of the class stores on ``self``; or
    None."""
    import ast
    import textwrap

    from .objects import _plain_class
    init = cls.__dict__.get("__init__")
    # bases: plain classes of the user's without an __init__ or slots of their own (an abstract base's
    # methods are checked below like the class's own), or abc.ABC
    bases = [k for k in cls.__mro__[1:] if k not in (object, abc.ABC)]
    if not _plain_class(cls) or not isinstance(init, types.FunctionType) \
            or "__slots__" in cls.__dict__ or "__post_init__" in cls.__dict__ \
            or any(not _plain_class(k) or {"__init__", "__slots__", "__post_init__"} & set(vars(k)) for k in bases):
        return None
    try:
        node = ast.parse(textwrap.dedent(inspect.getsource(init))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(node, ast.FunctionDef):
        return None
    a = node.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs or len(a.args) < 2:
        return None
    self_name, params = a.args[0].arg, [p.arg for p in a.args[1:]]
    stored = []
    body = node.body[1:] if node.body and isinstance(node.body[0], ast.Expr) \
        and isinstance(node.body[0].value, ast.Constant) else node.body
    for st in body:
        if not (isinstance(st, ast.Assign) and len(st.targets) == 1):
            return None
        t, v = st.targets[0], st.value
        pairs = list(zip(t.elts, v.elts)) if isinstance(t, ast.Tuple) and isinstance(v, ast.Tuple) \
            and len(t.elts) == len(v.elts) else [(t, v)]
        for tt, vv in pairs:
            if not (isinstance(tt, ast.Attribute) and isinstance(tt.value, ast.Name) and tt.value.id == self_name
                    and isinstance(vv, ast.Name) and vv.id == tt.attr):
                return None
            stored.append(tt.attr)
    if stored != params:
        return None
    for name, fn in [kv for k in [cls] + bases for kv in vars(k).items()]:   # no other method stores on self
        if name == "__init__" or not isinstance(fn, types.FunctionType):
            continue
        try:
            m = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
        except (OSError, TypeError, SyntaxError, IndexError):
            return None
        if not isinstance(m, ast.FunctionDef):
            return None
        me = m.args.args[0].arg if m.args.args else None
        for n in ast.walk(m):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target] \
                if isinstance(n, (ast.AugAssign, ast.AnnAssign)) else []
            for t in targets:
                for e in ast.walk(t):
                    if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == me:
                        return None
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("setattr", "delattr"):
                return None
    return tuple(params)


def field_names(cls):
    if issubclass(cls, tuple):
        return list(cls._fields)
    if not dataclasses.is_dataclass(cls):
        return list(plain_fields(cls))
    return [f.name for f in dataclasses.fields(cls)]


def literal_defaults(cls):
    """The fields of ``cls`` whose default is a number, string, bool or None."""
    if issubclass(cls, tuple):
        found = dict(getattr(cls, "_field_defaults", {}))
    elif not dataclasses.is_dataclass(cls):
        sig = inspect.signature(cls.__init__)
        found = {k: p.default for k, p in sig.parameters.items() if p.default is not inspect.Parameter.empty}
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


# ---------------------------------------------------------------- dataclasses.replace(p, W=v), p._replace(W=v)
def replace_field(obj, name, value, kind):
    """A copy of record ``obj`` with field ``name`` set to ``value``: ``dataclasses.replace`` (kind
    "dataclass") or ``obj._replace`` (kind "namedtuple"), one field at a time (s2s/desugar.py)."""
    if kind == "namedtuple" and is_namedtuple(obj) or kind == "dataclass" and dataclasses.is_dataclass(obj) \
            and not isinstance(obj, type):
        return obj._replace(**{name: value}) if kind == "namedtuple" else dataclasses.replace(obj, **{name: value})
    what = "a namedtuple" if kind == "namedtuple" else "a dataclass instance"
    raise DifferentiationError(
        f"s2s follows {'p._replace(...)' if kind == 'namedtuple' else 'dataclasses.replace(p, ...)'} on {what}; "
        f"this is a {type(obj).__name__}. Build the new value explicitly instead.")


def _per_field(g, obj):
    """``g``, a gradient of record ``obj`` in any form, as a GradList (namedtuple) or GradDict of its fields."""
    names = fields(obj)
    if is_namedtuple(obj):
        return GradList([get_field(g, obj, f) for f in names])
    return GradDict({f: get_field(g, obj, f) for f in names if _numeric(getattr(obj, f))})   # not `name: str`


def drop_field(g, obj, name):
    """The gradient of ``obj`` in ``replace_field(obj, name, v)`` from the result's gradient ``g``: every field
    but ``name`` (the new value replaced it)."""
    out = _per_field(g, obj)
    if isinstance(out, GradList):
        out[obj._fields.index(name)] = 0.0
    else:
        out.pop(name, None)
    return out


def replace_tangent(t, obj, name, tv):
    """The tangent of ``replace_field(obj, name, v, kind)`` from the tangents ``t`` of obj and ``tv`` of v."""
    out = _per_field(t, obj)
    if isinstance(out, GradList):
        out[obj._fields.index(name)] = tv
    else:
        out[name] = tv
    return out


@adjoint(replace_field, constant=("name", "kind"))
def _replace_field_adj(z, obj, name, value, kind):
    d[obj] = drop_field(d[z], obj, name)
    d[value] = get_field(d[z], obj, name)


@tangent(replace_field, constant=("name", "kind"))
def _replace_field_fwd(z, obj, name, value, kind):
    d[z] = replace_tangent(d[obj], obj, name, d[value])


@adjoint(drop_field, constant=("obj", "name"))
def _drop_field_adj(z, g, obj, name):
    d[g] = drop_field(d[z], obj, name)


@tangent(drop_field, constant=("obj", "name"))
def _drop_field_fwd(z, g, obj, name):
    d[z] = drop_field(d[g], obj, name)


@adjoint(replace_tangent, constant=("obj", "name"))
def _replace_tangent_adj(z, t, obj, name, tv):
    d[t] = drop_field(d[z], obj, name)
    d[tv] = get_field(d[z], obj, name)


@tangent(replace_tangent, constant=("obj", "name"))
def _replace_tangent_fwd(z, t, obj, name, tv):
    d[z] = replace_tangent(d[t], obj, name, d[tv])

