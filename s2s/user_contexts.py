"""Context managers of the user's around differentiated code (``with Timer():``, a ``@contextlib.contextmanager``
generator that yields, ``with section("fwd"):``), lowered as ``np.errstate`` is (s2s/lowering.py ``lower_with``):
entered and exited in the generated code around the body, which is differentiated as straight-line code.

That is right when the manager changes nothing the body computes with, and no value carrying a derivative
goes through it: its arguments name no local of the function (so what ``__enter__`` gives ``as t`` carries
none), and its code (``__init__``, ``__enter__``, ``__exit__``; the generator function) stores nothing but
attributes of the manager itself (s2s/state_writes.py: no global, no argument, nothing of unknown origin
changed). Anything else is left as it is, and refused as before."""
import contextlib
import inspect
import types

import gast

from . import astutil, state_writes


def plain(ctx, call):
    """True when ``with call:`` may be lowered as a context that changes nothing the body computes with."""
    if not isinstance(call, gast.Call) or any(isinstance(a, gast.Starred) for a in call.args) \
            or any(k.arg is None for k in call.keywords):
        return False
    if any(isinstance(n, gast.Name) and n.id in ctx.locals
           for a in list(call.args) + [k.value for k in call.keywords] for n in astutil.walk_bfs(a)):
        return False
    try:
        obj = ctx.resolve(call.func)
    except Exception:  # noqa: BLE001 - not known where the code is written
        return False
    if isinstance(obj, types.FunctionType) and isinstance(getattr(obj, "__wrapped__", None), types.FunctionType) \
            and inspect.isgeneratorfunction(obj.__wrapped__) and obj.__code__ is _CM_CODE:
        return _changes_nothing(obj.__wrapped__, None)
    if not isinstance(obj, type) or type(obj) is not type or state_writes.library(obj.__init__ if isinstance(
            obj.__init__, types.FunctionType) else obj.__enter__):
        return False
    for name in ("__init__", "__enter__", "__exit__"):
        f = inspect.getattr_static(obj, name, None)
        if f is getattr(object, name, None) and name == "__init__":
            continue
        if not isinstance(f, types.FunctionType) or state_writes.library(f):
            return False
        params = list(inspect.signature(f).parameters)
        if not params or not _changes_nothing(f, params[0]):
            return False
    return True


def _changes_nothing(fn, self_name):
    """``fn`` stores nothing but attributes of its parameter ``self_name`` (None: nothing at all)."""
    try:
        writes = state_writes.Analysis().summary(fn).writes
    except (state_writes.ANYTHING, RecursionError):
        return False
    except Exception:  # noqa: BLE001 - a source the analysis cannot read: not known
        return False
    if not all(token == ("p", self_name) for token, attr in writes):
        return False
    node = state_writes._source(fn)   # and those stores are `self.t0 = v`, not into what an attribute holds
    for n in astutil.walk_bfs(node) if node is not None else ():
        if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, (gast.Store, gast.Del)) \
                and not (isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == self_name):
            return False
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) \
                and n.func.attr in state_writes._WRITES_FIRST and isinstance(n.func.value, (gast.Attribute,
                                                                                          gast.Subscript)):
            return False   # self.log.append(v)
    return node is not None


@contextlib.contextmanager
def _probe():
    yield


_CM_CODE = _probe.__code__   # the wrapper contextlib.contextmanager makes (its helper's code)
