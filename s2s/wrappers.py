"""Validating decorators (issue 11, item 9): a ``functools.wraps`` wrapper that checks its arguments and
forwards them unchanged, as scikit-learn's ``validate_params`` does::

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        params = signature(func).bind(*args, **kwargs)
        validate_parameter_constraints(constraints, params, ...)
        try:
            with config_context(...):
                return func(*args, **kwargs)
        except InvalidParameterError as e:
            raise InvalidParameterError(...) from e

s2s differentiates the function it wraps (``__wrapped__``: its names resolve in its own module, its errors
name its own file and line), and the generated code runs the wrapper's checks first, for their effects:
``validated(rbf_kernel, X, Y, gamma=0.3)``. That is sound when the wrapper gives the wrapped function the
very arguments it got. What the wrapper's source shows is checked when the gradient is generated
(``forwards``); what it does not show is checked each time the checks run (``validated``):

- at transform time: the wrapper takes ``(*args, **kwargs)``; each of its ``return`` statements is
  ``return func(*args, **kwargs)`` with ``func`` the wrapped function from its closure, and it calls ``func``
  nowhere else; it never rebinds ``args``, ``kwargs`` or ``func`` and has no ``yield``;
- at run time, ``validated`` runs the wrapper's own code with ``func`` standing in for a probe that records
  what it is given: the probe must be called exactly once, with the same objects (``is``) under the same
  keywords; arrays among the arguments are read-only while the checks run, and lists and dicts must hold
  the same items after them. Anything else raises ``DifferentiationError`` naming the user's line.

Choice: the wrapper's ``with`` blocks (``config_context``) are entered for its checks, not around the
differentiated code; a wrapper whose context changes what the wrapped function computes would differ.
Today's known wrappers (validation, skipping nested validation) only change which checks run.
"""
import functools
import inspect
import textwrap
import types

import gast
import numpy as np

from .errors import DifferentiationError
from . import astutil

_FORWARDS = {}


def _source(wrapper):
    code = wrapper.__code__
    try:
        lines, _ = inspect.getsourcelines(code)
        tree = gast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    node = next((n for n in tree.body if isinstance(n, gast.FunctionDef)), None)
    return node if node is not None and node.name == code.co_name else None


def passthrough(fn):
    """The function a pass-through decorator's wrapper calls, written without functools.wraps::

        def deco(f):
            def inner(*args, **kwargs):
                return f(*args, **kwargs)
            return inner

    (a docstring allowed, nothing else: the wrapper then runs exactly ``f``'s code), else None. Cached."""
    if not isinstance(fn, types.FunctionType) or getattr(fn, "__wrapped__", None) is not None or not fn.__closure__:
        return None
    code = fn.__code__
    if code.co_argcount or code.co_kwonlyargcount or code.co_posonlyargcount \
            or (code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS)) != (inspect.CO_VARARGS
                                                                               | inspect.CO_VARKEYWORDS) \
            or code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return None
    try:
        if fn in _PASSTHROUGH:
            name = _PASSTHROUGH[fn]
        else:
            name = _PASSTHROUGH[fn] = _passthrough_name(fn)
    except TypeError:
        return None
    if name is None:
        return None
    inner = _contents(dict(zip(code.co_freevars, fn.__closure__))[name])
    return inner if isinstance(inner, (types.FunctionType, types.MethodType)) else None


_PASSTHROUGH = {}


def through(fn):
    """``fn`` with every pass-through wrapper around it taken off (``passthrough``); a bound method of
    such a wrapper: the wrapped function bound to the same object."""
    if isinstance(fn, types.MethodType) and passthrough(fn.__func__) is not None:
        return types.MethodType(through(fn.__func__), fn.__self__)
    seen = 0
    while passthrough(fn) is not None and seen < 50:
        fn, seen = passthrough(fn), seen + 1
    return fn


def _passthrough_name(fn):
    """The closure variable ``fn``'s body is ``return name(*args, **kwargs)`` of, or None."""
    node = _source(fn)
    if node is None:
        return None
    body = node.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]   # a docstring
    a = node.args
    call = body[0].value if len(body) == 1 and isinstance(body[0], gast.Return) else None
    if a.vararg is None or a.kwarg is None or not (
            isinstance(call, gast.Call) and isinstance(call.func, gast.Name) and call.func.id in fn.__code__.co_freevars
            and len(call.args) == 1 and isinstance(call.args[0], gast.Starred)
            and isinstance(call.args[0].value, gast.Name) and call.args[0].value.id == a.vararg.id
            and len(call.keywords) == 1 and call.keywords[0].arg is None
            and isinstance(call.keywords[0].value, gast.Name) and call.keywords[0].value.id == a.kwarg.id):
        return None
    return call.func.id


def forwards(wrapper, inner):
    """None if ``wrapper``'s source shows it forwards its arguments to ``inner`` unchanged (see the module
    doc), else the reason it does not; cached."""
    key = (wrapper, inner)
    try:
        if key in _FORWARDS:
            return _FORWARDS[key][0]
    except TypeError:
        return "the wrapper cannot be looked up"
    why, cell = _forwards(wrapper, inner)
    _FORWARDS[key] = (why, cell)
    return why


def _forwards(wrapper, inner):
    code = getattr(wrapper, "__code__", None)
    if not isinstance(wrapper, types.FunctionType) or code is None:
        return "it is not a Python function", None
    cells = [n for n, c in zip(code.co_freevars, wrapper.__closure__ or ()) if _contents(c) is inner]
    if len(cells) != 1:
        return "the function it wraps is not one variable of its closure", None
    fname = cells[0]
    node = _source(wrapper)
    if node is None:
        return "the source of the wrapper cannot be read", None
    a = node.args
    if a.posonlyargs or a.args or a.kwonlyargs or a.vararg is None or a.kwarg is None:
        return "the wrapper does not take exactly (*args, **kwargs)", None
    va, kw = a.vararg.id, a.kwarg.id
    forwarded = set()
    returns = 0
    for n in astutil.walk_bfs(node):
        if n is node:
            continue
        if isinstance(n, (gast.Yield, gast.YieldFrom, gast.Await)):
            return "the wrapper is a generator", None
        if isinstance(n, (gast.Nonlocal, gast.Global)) and set(n.names) & {fname, va, kw}:
            return f"the wrapper rebinds {sorted(set(n.names) & {fname, va, kw})[0]}", None
        if isinstance(n, gast.Name) and n.id in (fname, va, kw) and not isinstance(n.ctx, gast.Load) \
                and n not in (a.vararg, a.kwarg):
            return f"the wrapper rebinds {n.id}", None
        if isinstance(n, gast.Return):
            call = n.value
            if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name) and call.func.id == fname
                    and len(call.args) == 1 and isinstance(call.args[0], gast.Starred)
                    and isinstance(call.args[0].value, gast.Name) and call.args[0].value.id == va
                    and len(call.keywords) == 1 and call.keywords[0].arg is None
                    and isinstance(call.keywords[0].value, gast.Name) and call.keywords[0].value.id == kw):
                return (f"it has a return that is not `return {fname}(*{va}, **{kw})`", None)
            forwarded.add(id(call))
            returns += 1
    if not returns:
        return f"it never returns {fname}(*{va}, **{kw})", None
    for n in astutil.walk_bfs(node):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == fname \
                and id(n) not in forwarded:
            return f"it calls {fname} other than in `return {fname}(*{va}, **{kw})`", None
    for n in astutil.walk_bfs(node):   # (params named like fname in nested lambdas were refused above)
        if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)) and n is not node:
            return "it defines a function or class", None
    return None, fname


def _contents(cell):
    try:
        return cell.cell_contents
    except ValueError:
        return None


_FORWARDED = object()
transparent = None   # parse._transparent, set by s2s/parse.py (which imports this module, not back)
located = None   # pullback._where, the user's line running a generated call; set by s2s/pullback.py


def is_validating(fn):
    """True for a functools.wraps wrapper that forwards unchanged but is not transparent (parse._transparent):
    its checks must run (``validated``) where a call of it is differentiated."""
    inner = getattr(fn, "__wrapped__", None)
    if inner is None or not isinstance(fn, types.FunctionType):
        return False
    if fn not in _VALIDATING:   # (pullback asks at each call: the wrapper's source is read once)
        _VALIDATING[fn] = transparent(fn, inner) is not None and forwards(fn, inner) is None
    return _VALIDATING[fn]


_VALIDATING = {}


def _refuse(wrapper, why):
    where = located(2)
    name = getattr(getattr(wrapper, "__wrapped__", None), "__qualname__", repr(wrapper))
    raise DifferentiationError((where + "\n" if where else "") +
                               f"the decorator of {name} ({getattr(wrapper, '__qualname__', '')}) {why}, so the "
                               "function it wraps, which s2s differentiates, would not see the values this call "
                               "gives.\nDifferentiate the undecorated function "
                               f"({name.rsplit('.', 1)[-1]}.__wrapped__), or register a rule with @s2s.adjoint.")


def _freeze(values, frozen, shapes):
    """Make the arrays among ``values`` read-only (remembered in ``frozen``); lists and dicts: their items
    as they are now, in ``shapes``."""
    for v in values:
        if isinstance(v, np.ndarray):
            if v.flags.writeable:
                v.flags.writeable = False
                frozen.append(v)
        elif isinstance(v, (list, tuple)):
            if isinstance(v, list):
                shapes.append((v, [id(e) for e in v]))
            _freeze(v, frozen, shapes)
        elif isinstance(v, dict):
            shapes.append((v, [(k, id(e)) for k, e in v.items()]))
            _freeze(list(v.values()), frozen, shapes)


def validated(wrapper, /, *args, **kwargs):
    """Run ``wrapper``'s checks for ``wrapper(*args, **kwargs)`` (see the module doc); returns None."""
    why = forwards(wrapper, wrapper.__wrapped__)
    if why is not None:
        _refuse(wrapper, why)
    cell = _FORWARDS[(wrapper, wrapper.__wrapped__)][1]
    inner = wrapper.__wrapped__
    seen = []

    def probe(*a, **k):
        seen.append((a, k))
        return _FORWARDED

    functools.update_wrapper(probe, inner)   # signature(func), func.__qualname__: the wrapped function's
    closure = tuple(types.CellType(probe) if name == cell else c
                    for name, c in zip(wrapper.__code__.co_freevars, wrapper.__closure__))
    run = types.FunctionType(wrapper.__code__, wrapper.__globals__, wrapper.__name__, wrapper.__defaults__, closure)
    run.__kwdefaults__ = wrapper.__kwdefaults__
    frozen, shapes = [], []
    _freeze(list(args) + list(kwargs.values()), frozen, shapes)
    try:
        out = run(*args, **kwargs)
    except ValueError as e:
        if "read-only" in str(e):
            _refuse(wrapper, f"writes into an array it is given ({e})")
        raise
    finally:
        for v in frozen:
            v.flags.writeable = True
    if len(seen) != 1 or out is not _FORWARDED:
        _refuse(wrapper, "did not call it exactly once and return its value")
    a, k = seen[0]
    if len(a) != len(args) or any(x is not y for x, y in zip(a, args)) or set(k) != set(kwargs) \
            or any(k[n] is not kwargs[n] for n in k):
        _refuse(wrapper, "changed the arguments it passes on")
    for v, items in shapes:
        now = [id(e) for e in v] if isinstance(v, list) else [(n, id(e)) for n, e in v.items()]
        if now != items:
            _refuse(wrapper, "changed a list or dict it is given")
    return None


validated.s2s_impure = True   # it runs the decorator's checks: never dropped by the optimizer
_REGISTERED = []


def register():
    """Declare ``validated`` non-differentiable (once: each registration is a new registry version)."""
    if not _REGISTERED:
        from . import registry
        registry.nondifferentiable(validated)
        _REGISTERED.append(True)
