"""``dataclasses.asdict(p)`` and ``dataclasses.astuple(p)``: a deep copy of a dataclass's fields into
dicts (tuples), recursively through nested dataclasses, lists, tuples and dicts.

Followed as written, the dataclasses module's recursion over ``fields()`` (``getattr`` by a name known
only at run time) is refused, after seconds of analysis, at a line of dataclasses.py. These rules
give the gradient back field by field: the gradient of ``asdict(p)`` (a dict of gradients) becomes the
gradient of ``p`` (a GradDict of its fields, s2s/records.py), and the tangent of ``p`` becomes the
tangent of the copy (a dict of the fields' tangents, each array copied as the primal is).
"""
import copy
import dataclasses

import numpy as np

from .record_types import get_field
from .registry import adjoint, d, tangent, zero_if
from .rule_helpers import is_zero
from .runtime import GradDict, GradList


def _dataclass(x):
    return dataclasses.is_dataclass(x) and not isinstance(x, type)


def _part(g, k):
    """Entry ``k`` (a key or a position) of the gradient ``g`` of a dict or a sequence; 0.0 where it has none."""
    if is_zero(g):
        return 0.0
    if isinstance(g, dict):
        return g.get(k, 0.0)
    return g[k]


def unpack_grad(g, x, kind):
    """The gradient of ``x`` from the gradient ``g`` of ``dataclasses.asdict(x)`` (kind "dict") or
    ``astuple(x)`` (kind "tuple"): the copy's walk, a dataclass given a GradDict of its fields."""
    if _dataclass(x):
        names = [f.name for f in dataclasses.fields(x)]
        parts = ((n, _part(g, n if kind == "dict" else i)) for i, n in enumerate(names))
        return GradDict((n, unpack_grad(gn, getattr(x, n), kind)) for n, gn in parts if not is_zero(gn))
    if isinstance(x, (list, tuple)):
        return GradList(unpack_grad(_part(g, i), e, kind) for i, e in enumerate(x))
    if isinstance(x, dict):
        return GradDict((k, unpack_grad(_part(g, k), v, kind)) for k, v in x.items())
    return g


def pack_tangent(t, x, kind):
    """The tangent of ``dataclasses.asdict(x)`` (kind "dict") or ``astuple(x)`` (kind "tuple") from the
    tangent ``t`` of ``x``: the copy's walk, each array's tangent copied too."""
    if _dataclass(x):
        names = [f.name for f in dataclasses.fields(x)]
        parts = [pack_tangent(0.0 if is_zero(t) else get_field(t, x, n), getattr(x, n), kind) for n in names]
        return dict(zip(names, parts)) if kind == "dict" else tuple(parts)
    if isinstance(x, (list, tuple)):
        parts = [pack_tangent(_part(t, i), e, kind) for i, e in enumerate(x)]
        return type(x)(*parts) if hasattr(type(x), "_fields") else type(x)(parts)
    if isinstance(x, dict):
        return {k: pack_tangent(_part(t, k), v, kind) for k, v in x.items()}
    return np.copy(t) if isinstance(t, np.ndarray) else t


@adjoint(dataclasses.asdict, constant=("dict_factory",))
def _asdict_adj(z, obj, *, dict_factory=dict):
    d[obj] = unpack_grad(d[z], obj, "dict")


@tangent(dataclasses.asdict, constant=("dict_factory",))
def _asdict_fwd(z, obj, *, dict_factory=dict):
    d[z] = pack_tangent(d[obj], obj, "dict")


@adjoint(dataclasses.astuple, constant=("tuple_factory",))
def _astuple_adj(z, obj, *, tuple_factory=tuple):
    d[obj] = unpack_grad(d[z], obj, "tuple")


@tangent(dataclasses.astuple, constant=("tuple_factory",))
def _astuple_fwd(z, obj, *, tuple_factory=tuple):
    d[z] = pack_tangent(d[obj], obj, "tuple")


# ---------------------------------------------------------------- the helpers: linear, transposes of each other
@adjoint(unpack_grad, constant=("x", "kind"))
def _unpack_grad_adj(z, g, x, kind):
    d[g] = pack_tangent(d[z], x, kind)


@tangent(unpack_grad, constant=("x", "kind"))
def _unpack_grad_fwd(z, g, x, kind):
    d[z] = unpack_grad(d[g], x, kind)


@adjoint(pack_tangent, constant=("x", "kind"))
def _pack_tangent_adj(z, t, x, kind):
    d[t] = unpack_grad(d[z], x, kind)


@tangent(pack_tangent, constant=("x", "kind"))
def _pack_tangent_fwd(z, t, x, kind):
    d[z] = pack_tangent(d[t], x, kind)


zero_if(unpack_grad, pack_tangent, any_of=(0,))


# ---------------------------------------------------------------- copy.deepcopy
# a deep copy has its argument's structure: the gradient goes back as it is, the tangent is copied as the value
# is (copy.copy is left to its source: its copy shares the items, which a write through may change)
@adjoint(copy.deepcopy, constant=("memo",))
def _deepcopy_adj(z, x, memo=None):
    d[x] = d[z]


@tangent(copy.deepcopy, constant=("memo",))
def _deepcopy_fwd(z, x, memo=None):
    d[z] = copy.deepcopy(d[x])
