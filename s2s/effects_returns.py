"""Aliases made by calls: which arguments a function of the user's may return (``def h(a): return a``,
``return a[0]``), and so which variables may share memory with an argument after ``w = h(z)``.

normalize copies an argument written through such a result (effects.mutates with ``returned``), and
both transforms refuse a write through one name while the other is read afterwards (s2s/refusals.py).
"""
import inspect

import gast

from .aliasing import view_base, views
from .effects import _user_callee, _walk
from . import astutil

_RETURNED = {}


def returned_params(fn):
    """The parameters of user function ``fn`` whose value (or part or view of it) it may return:
    ``return a``, ``return a[0]``, ``return a.T``, ``b = a; return b`` (cached)."""
    if fn in _RETURNED:
        return _RETURNED[fn]
    from .parse import param_names, parse_function
    try:
        node = parse_function(fn).node
    except Exception:   # no source to read: it may return any of them
        try:
            out = set(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            out = set()
        _RETURNED[fn] = out
        return out
    params = set(param_names(node))
    base = views(node.body)
    out = set()
    for n in _walk(node):
        if isinstance(n, gast.Return) and n.value is not None:
            for v in (n.value.elts if isinstance(n.value, (gast.Tuple, gast.List)) else [n.value]):
                b = view_base(v)
                if b is not None:
                    out |= ({b} | base.get(b, set())) & params
    _RETURNED[fn] = out
    return out


def call_aliases(body, ctx):
    """{w: names of the arguments} for the bindings ``w = h(..., z, ...)`` in ``body`` of a user function h
    that may return its argument (``def h(a): return a``): w may be z itself, or part of it."""
    out = {}
    for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if not (isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.value, gast.Call)):
            continue
        hit = _user_callee(n.value, ctx)
        if hit is None:
            continue
        fn, pos = hit
        returned = returned_params(fn)
        if not returned:
            continue
        try:
            bound = inspect.signature(fn).bind(*pos, **{k.arg: k.value for k in n.value.keywords if k.arg})
        except (TypeError, ValueError):
            continue
        args = {v.id for q, v in bound.arguments.items() if q in returned and isinstance(v, gast.Name)}
        if args:
            for t in astutil.walk_bfs(n.targets[0]):
                if isinstance(t, gast.Name):
                    out.setdefault(t.id, set()).update(args)
    return out
