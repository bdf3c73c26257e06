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
    """The function generated for ``fn`` under ``key``, or None (the cached path: kept short)."""
    try:
        h = fn.__dict__[_SLOT]
    except (AttributeError, KeyError, TypeError):
        return None
    if h.epoch != _epoch or h.owner() is not fn:
        return None
    return h.entries.get(key)


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
    template.__dict__.update({k: v for k, v in gen.__dict__.items() if k not in ("s2s_primal", "s2s_origin", _SLOT)})
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
