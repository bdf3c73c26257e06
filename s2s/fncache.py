"""The caches of generated functions: thread-safe, bounded, and per function object.

Generated functions are kept in a holder stored on the function they were
generated for (in its ``__dict__``), so they die with it: no module-level
dict keeps a user's function, or what it generated, alive. A holder knows
its owner (a weak reference: ``functools.wraps`` copies ``__dict__`` into a
wrapper, whose holder then does not count) and the cache epoch
(``clear_cache`` starts a new one, which empties every holder at once).

A fresh closure of the same code object (``make(3.0)``, ``make(4.0)``)
reuses what was generated for an earlier one when that is safe: the closure
variables the generated code reads as data are the new closure's own cells
(read when the code runs, see codegen.Namespace.bind_closure), and every
other closure variable (a function, class or module that calls were
differentiated for), the globals and the defaults are the very same objects.
That table is bounded (least recently used entries go first).

Compiling happens under one re-entrant lock (a compile compiles its helpers
in the same thread), so threads racing on a first call compile once: the
loser finds the winner's function when it gets the lock. A cached call is a
lock-free dictionary lookup.
"""
import collections
import threading
import types
import weakref
from . import astutil

lock = threading.RLock()
_epoch = 0
_SLOT = "__s2s_generated__"
_BY_CODE_MAX = 512
_by_code = collections.OrderedDict()   # (code, key) -> a generated function to share with fresh closures
_EMPTY = object()


class _Holder:
    __slots__ = ("owner", "epoch", "entries")

    def __init__(self, fn):
        self.owner = weakref.ref(fn)
        self.epoch = _epoch
        self.entries = {}


def _entries(fn, create):
    d = getattr(fn, "__dict__", None)
    if not isinstance(d, dict) or isinstance(fn, types.MethodType):
        return None
    h = d.get(_SLOT)
    if h is not None and h.epoch == _epoch and h.owner() is fn:
        return h.entries
    if not create:
        return None
    try:
        h = _Holder(fn)
    except TypeError:   # not weakly referenceable: not cached
        return None
    d[_SLOT] = h
    return h.entries


def get(fn, key):
    """The function generated for ``fn`` under ``key``, or None (the cached path: kept short).

    An entry whose dependencies changed (see ``Dependencies``) is stale: None."""
    try:
        h = fn.__dict__[_SLOT]
    except (AttributeError, KeyError, TypeError):
        return None
    if h.epoch != _epoch or h.owner() is not fn:
        return None
    hit = h.entries.get(key)
    if hit is None:
        return None
    deps = getattr(hit[0] if type(hit) is tuple else hit, "s2s_deps", None)
    if deps is not None and not deps.fresh():
        return None
    return hit


# ---------------------------------------------------------------- dependencies

from . import registry as _registry  # noqa: E402  (registry imports nothing of s2s's compiler)

_MISSING = object()
_collecting = threading.local()


class Dependencies:
    """What a generated function was compiled against, checked on every cached lookup (cheaply:
    identity tests): the objects the free names of the function and of every helper it calls
    resolved to in their modules' globals and closure cells (a function, class or module by
    identity; data by type, since its value is read when the code runs), and the version of the
    user's derivative rules (``registry.VERSION``). Redefining a helper in a notebook, rebinding
    a closure cell to another function, or registering ``@s2s.adjoint`` after the first ``grad``
    makes the entry stale, and the next request compiles afresh."""
    __slots__ = ("rules", "same", "typed", "cells", "_check")

    def __init__(self, same, typed, cells):
        self.rules = _registry.VERSION
        self.same, self.typed, self.cells = same, typed, cells
        self._check = None

    def fresh(self):
        return self.checker()()

    def checker(self):
        """``fresh`` as one function (of any arguments, which it ignores): a single expression of identity tests,
        made once (a generated function's cached call runs it: a loop over the three tables costs several times
        more)."""
        check = self._check
        if check is None:
            env = {"R": _registry, "M": _MISSING, "C": _contents}
            parts = [f"R.VERSION == {int(self.rules)}"]
            for i, (d, name, obj) in enumerate(self.same):
                env[f"d{i}"], env[f"n{i}"], env[f"o{i}"] = d, name, obj
                parts.append(f"d{i}.get(n{i}, M) is o{i}")
            for i, (d, name, t) in enumerate(self.typed):
                env[f"e{i}"], env[f"m{i}"], env[f"t{i}"] = d, name, t
                parts.append(f"type(e{i}.get(m{i}, M)) is t{i}")
            for i, (cell, obj) in enumerate(self.cells):
                env[f"c{i}"], env[f"k{i}"] = cell, obj
                parts.append(f"C(c{i}) is k{i}")
            check = eval("lambda *_: " + " and ".join(parts), env)   # (any arguments: the dispatcher passes its own)
            if _filled(self):   # (not while its compile still collects: kept once complete)
                self._check = check
        return check


def _filled(deps):
    """True when ``deps`` is complete (no compile in progress in this thread is still collecting it)."""
    return not any(c.deps is deps for c in getattr(_collecting, "stack", None) or ())


def _code_like(obj):
    return callable(obj) or isinstance(obj, types.ModuleType)


def note(ctx):
    """Record, for the compile in progress, what the free names of ``ctx``'s function resolve to."""
    stack = getattr(_collecting, "stack", None)
    if not stack:
        return
    import builtins
    import gast
    same, typed, cells = stack[-1].parts
    g = ctx.globals
    for n in astutil.walk_bfs(ctx.node):
        if not isinstance(n, gast.Name) or not isinstance(n.ctx, gast.Load) or n.id in ctx.locals:
            continue
        name = n.id
        if name in ctx.cells:
            obj = _contents(ctx.cells[name])
            if _code_like(obj):
                cells[id(ctx.cells[name])] = (ctx.cells[name], obj)
        elif name in ctx.closure:
            continue   # an import inside the function (parse._bind_imports)
        elif name in g or not hasattr(builtins, name):
            obj = g.get(name, _MISSING)
            if obj is _MISSING or _code_like(obj):
                same[(id(g), name)] = (g, name, obj)
                _note_instance(obj, same)
            else:
                typed[(id(g), name)] = (g, name, type(obj))
        else:   # a builtin: stale when the module defines the name later
            same[(id(g), name)] = (g, name, _MISSING)
    for n in astutil.walk_bfs(ctx.node):   # mylib.helper, mylib.SCALE, pkg.mod.fn: rebinding the attribute is seen too
        if isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Load):
            _note_attribute(n, ctx, same, typed)


# Modules users do not rebind attributes of (and whose attributes every gradient reads: not worth a check).
_LIBRARIES = frozenset({"numpy", "scipy", "math", "cmath", "builtins", "operator", "functools", "itertools",
                        "collections", "s2s", "templates", "random", "typing", "dataclasses"})


def _note_attribute(node, ctx, same, typed):
    import gast
    chain = []
    while isinstance(node, gast.Attribute):
        chain.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return
    if node.id == getattr(ctx, "self_name", None) and ctx.self_type is not None:
        obj = _INSTANCE, ctx.self_type   # self.method(x) in a method: looked up on the class
    elif node.id in (getattr(ctx, "param_types", None) or {}):
        obj = _INSTANCE, ctx.param_types[node.id]   # m.predict(x), m's class pinned (s2s/typed_params.py)
    elif node.id in ctx.locals:
        return
    elif node.id in ctx.cells:
        obj = _contents(ctx.cells[node.id])
    else:
        obj = ctx.globals.get(node.id, _MISSING)
    for attr in reversed(chain):
        found = _where(obj, attr)
        if found is None:
            return
        d, obj = found
        if obj is _MISSING or _code_like(obj):
            same[(id(d), attr)] = (d, attr, obj)
            _note_instance(obj, same)
        else:
            typed[(id(d), attr)] = (d, attr, type(obj))


def _note_instance(obj, same):
    """For an object of the user's class whose methods code is compiled for (``model.predict(x)``, ``model(x)``,
    ``model`` a global): the names of its class's methods stay unset on the instance (``model.act = np.sin`` after
    the compile would run sin where the code differentiates the class's ``act``)."""
    if isinstance(obj, types.MethodType):
        obj = obj.__self__
    if isinstance(obj, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)):
        return
    d = getattr(obj, "__dict__", None)
    if type(d) is not dict or (getattr(type(obj), "__module__", None) or "").split(".")[0] in _LIBRARIES:
        return
    from .signature import _methods
    try:
        names = _methods(type(obj))
    except TypeError:
        return
    for name in names:
        same[(id(d), name)] = (d, name, d.get(name, _MISSING))


_INSTANCE = object()


def _where(obj, attr):
    """(the namespace ``obj.attr`` is read from, its value) for a user module, a user class or an instance
    of one whose class defines ``attr`` (a method); None for anything else (data attributes of instances
    are read when the code runs, library modules are not followed)."""
    if isinstance(obj, tuple) and len(obj) == 2 and obj[0] is _INSTANCE:
        cls, inst = obj[1], None
    elif isinstance(obj, types.ModuleType):
        if obj.__name__.split(".")[0] in _LIBRARIES:
            return None
        return obj.__dict__, obj.__dict__.get(attr, _MISSING)
    elif isinstance(obj, type):
        cls, inst = obj, None
    elif obj is _MISSING or _code_like(obj) or not hasattr(type(obj), "__mro__"):
        return None
    else:
        cls, inst = type(obj), obj
    if (getattr(cls, "__module__", None) or "").split(".")[0] in _LIBRARIES | {"builtins"}:
        return None
    if inst is not None and attr in (getattr(inst, "__dict__", None) or {}):
        return None   # an instance attribute: data read at run time
    for klass in cls.__mro__:
        if attr in klass.__dict__:
            return klass.__dict__, klass.__dict__[attr]
    return None



def add(gen):
    """Count ``gen``'s dependencies (a helper found or compiled) in the compile in progress."""
    stack = getattr(_collecting, "stack", None)
    if not stack:
        return
    deps = getattr(gen[0] if type(gen) is tuple else gen, "s2s_deps", None)
    if deps is None:
        return
    same, typed, cells = stack[-1].parts
    for d, name, obj in deps.same:
        same[(id(d), name)] = (d, name, obj)
    for d, name, t in deps.typed:
        typed[(id(d), name)] = (d, name, t)
    for cell, obj in deps.cells:
        cells[id(cell)] = (cell, obj)


def current():
    """The Dependencies of the compile in progress (filled when it ends), or None."""
    stack = getattr(_collecting, "stack", None)
    return stack[-1].deps if stack else None


class collect:
    """``with collect() as c:`` around one compile; then ``c.deps`` are its Dependencies."""

    def __enter__(self):
        stack = getattr(_collecting, "stack", None)
        if stack is None:
            stack = _collecting.stack = []
        self.parts = ({}, {}, {})
        self.deps = Dependencies((), (), ())   # filled on exit; attached (shared) before that
        stack.append(self)
        return self

    def __exit__(self, *exc):
        _collecting.stack.pop()
        same, typed, cells = self.parts
        self.deps.same, self.deps.typed, self.deps.cells = \
            tuple(same.values()), tuple(typed.values()), tuple(cells.values())
        return False

    def attach(self, gen):
        for g in (gen if type(gen) is tuple else (gen,)):
            try:
                g.s2s_deps = self.deps
            except AttributeError:
                pass


def put(fn, key, gen):
    e = _entries(fn, True)
    if e is not None:
        e[key] = gen


def _cells(fn):
    code = getattr(fn, "__code__", None)
    if code is None or not code.co_freevars:
        return {}
    return dict(zip(code.co_freevars, fn.__closure__ or ()))


def _contents(cell):
    try:
        return cell.cell_contents
    except ValueError:
        return _EMPTY


def remember(fn, key, gen, shared):
    """Offer ``gen`` (generated for ``fn`` under ``key``) to later closures of fn's code.

    ``shared``: the closure variables gen reads from fn's cells at call time.
    """
    code = getattr(fn, "__code__", None)
    if code is None or not code.co_freevars:
        return
    fixed = {name: _contents(cell) for name, cell in _cells(fn).items() if name not in shared}
    kinds = {name: _kind(_contents(cell)) for name, cell in _cells(fn).items() if name in shared}
    sharing = (frozenset(shared), fixed, kinds, fn.__globals__, fn.__defaults__, fn.__kwdefaults__)
    template = types.FunctionType(gen.__code__, gen.__globals__, gen.__name__, gen.__defaults__, gen.__closure__)
    template.__kwdefaults__ = gen.__kwdefaults__
    template.__dict__.update({k: v for k, v in gen.__dict__.items()
                              if k not in ("s2s_primal", "s2s_origin", "s2s_dispatcher", _SLOT)})
    if getattr(gen, "s2s_origin", None) is not None:
        template.s2s_origin_wrt = gen.s2s_origin[1]
    template.__qualname__, template.__module__ = gen.__qualname__, gen.__module__
    template.s2s_sharing = sharing
    try:   # the table holds the template, not fn: fn still dies when its last user reference goes
        with lock:
            _by_code[(code, key)] = template
            _by_code.move_to_end((code, key))
            while len(_by_code) > _BY_CODE_MAX:
                _by_code.popitem(last=False)
    except TypeError:   # an unhashable key: not shared
        pass


def share(fn, key):
    """A function generated for an earlier closure of fn's code, rebuilt on fn's cells; or None."""
    code = getattr(fn, "__code__", None)
    if code is None or not code.co_freevars:
        return None
    try:
        gen = _by_code.get((code, key))
    except TypeError:
        return None
    if gen is None:
        return None
    deps = getattr(gen, "s2s_deps", None)
    if deps is not None and not deps.fresh():   # generated against what has changed since: compile afresh
        return None
    shared, fixed, kinds, globals_, defaults, kwdefaults = gen.s2s_sharing
    cells = _cells(fn)
    if any(name not in cells or _kind(_contents(cells[name])) != kind for name, kind in kinds.items()):
        return None   # data of another type or shape: compile for it
    if fn.__globals__ is not globals_ or not _same(fn.__defaults__, defaults) \
            or not _same_kw(fn.__kwdefaults__, kwdefaults):
        return None
    for name, value in fixed.items():
        if name not in cells or _contents(cells[name]) is not value:
            return None
    gcode = gen.__code__
    closure = tuple(cells[name] if name in shared else cell
                    for name, cell in zip(gcode.co_freevars, gen.__closure__ or ()))
    new = types.FunctionType(gcode, gen.__globals__, gen.__name__, gen.__defaults__, closure or None)
    new.__kwdefaults__ = dict(gen.__kwdefaults__) if gen.__kwdefaults__ else None
    new.__dict__.update({k: v for k, v in gen.__dict__.items() if k not in (_SLOT, "s2s_sharing")})
    new.__qualname__ = gen.__qualname__
    new.__module__ = gen.__module__
    new.s2s_primal = fn
    if getattr(gen, "s2s_origin_wrt", None) is not None:
        new.s2s_origin = (fn, gen.s2s_origin_wrt)
        del new.s2s_origin_wrt
    return new


def _kind(value):
    """What the compiler may have assumed of a data closure variable: its type and shape."""
    import numpy as np
    return (type(value), np.shape(value) if isinstance(value, np.ndarray) else None,
            getattr(value, "dtype", None), len(value) if isinstance(value, (list, tuple, dict)) else None)


def _same(a, b):
    if a is b:
        return True
    if a is None or b is None or len(a) != len(b):
        return False
    return all(x is y for x, y in zip(a, b))


def _same_kw(a, b):
    if a is b:
        return True
    if not a or not b:
        return not a and not b
    return a.keys() == b.keys() and all(a[k] is b[k] for k in a)


def clear():
    """Forget every generated function (a new epoch empties every holder)."""
    global _epoch
    with lock:
        _epoch += 1
        _by_code.clear()
