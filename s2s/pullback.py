"""Pullbacks of calls whose callee is known only at run time (issue 11, as Zygote.jl does).

A call ``y = fn(x, c)`` where ``fn`` is a value (a parameter, a closure a
factory returned, an element of a list, a method of an object of unknown
class) compiles to ``y, fn_back = pullback(fn, x, c)`` in the forward sweep
and ``dfn = fn_back(dy)`` in the backward sweep. ``pullback`` dispatches on
the callee it meets:

- a Python function (closures and lambdas included): its split pair
  (s2s/split.py), generated once per function object and cached;
- ``functools.partial``, a bound method, an object with a Python
  ``__call__``: unwrapped to the function underneath;
- a function with a derivative rule (``np.tanh`` passed as a value): a
  one-line wrapper calling it, differentiated like any function;
- a function marked non-differentiable: no gradient;
- anything else: ``DifferentiationError`` naming the user's line.

``fn_back(dy)`` returns one gradient per argument of the call, positional
arguments then keywords in call order (0.0 for an argument that is not a
float, an array of floats, or a container of them, and for every argument of a
function marked non-differentiable, ``np.floor`` passed as a value).
"""
import functools
import inspect
import linecache
import re
import sys
import types

import numpy as np

from . import decorated, registry, signature, wrappers
from .errors import DifferentiationError

_WRAPPERS = {}


def _differentiable(v):
    """A value that gets a gradient: floats, float arrays, and lists/tuples/dicts holding one."""
    if isinstance(v, bool):
        return False
    if isinstance(v, (float, np.floating)):
        return True
    if isinstance(v, np.ndarray):
        return v.dtype.kind == "f"
    if isinstance(v, (list, tuple)):
        return any(_differentiable(e) for e in v)
    if isinstance(v, dict):
        return any(_differentiable(e) for e in v.values())
    from .record_types import fields, is_record
    if is_record(v):   # a dataclass, a plain object of the user's (a layer): through its fields
        return any(_differentiable(getattr(v, f, None)) for f in fields(v))
    return False


def _where(depth):
    """The user's file and line of the call being run, from the generated line's ``# file.py:17`` comment."""
    try:
        frame = sys._getframe(depth + 1)
    except ValueError:
        return None
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).rstrip()
    m = re.search(r"#\s*(\S+):(\d+)\s*$", line)
    if m is None:
        return None
    text = ""
    path = frame.f_globals.get("__file__")
    if path and path.endswith(m.group(1)):
        text = linecache.getline(path, int(m.group(2))).strip()
    return f'File "{path or m.group(1)}", line {m.group(2)}' + (f"\n    {text}" if text else "")


wrappers.located = _where


def _refuse(fn, why, depth):
    where = _where(depth + 1)
    if isinstance(getattr(fn, "__self__", None), types.GeneratorType):   # g.send(x), g.throw(...)
        raise DifferentiationError((where + "\n" if where else "") +
                                   "values sent into a generator (`x = yield`, `.send`) cannot be differentiated."
                                   "\nPass the values in as arguments instead.")
    if isinstance(fn, np.vectorize):   # np.vectorize(f, otypes=[int])(x): which options s2s follows
        from .vectorized import refusal
        raise DifferentiationError((where + "\n" if where else "") + refusal(fn))
    msg = f"s2s cannot differentiate this call of {fn!r}: {why}"
    raise DifferentiationError((where + "\n" if where else "") + msg +
                               "\nRegister a rule with @s2s.adjoint(fn), or call a Python function s2s can read.")


def check_shadowing(obj, depth):
    """Refuse a call of a method of ``obj`` (compiled for its class) when ``obj`` holds, on the instance, a value
    under the name of one of its class's methods (``self.act = np.sin``): the method's code would be
    differentiated for the class's ``act``, where the call runs the instance's value."""
    names = signature.shadowing(obj)
    if names:
        where = _where(depth + 1)
        raise DifferentiationError((where + "\n" if where else "") +
                                   signature.shadow_message(obj, names, "the object whose method this calls"))


def _caller_globals(depth):
    """The globals of the user's module whose line the generated code running the call names (None if unknown)."""
    try:
        frame = sys._getframe(depth + 1)
    except ValueError:
        return None
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).rstrip()
    m = re.search(r"#\s*(\S+):(\d+)\s*$", line)
    if m is None:
        return None
    for mod in list(sys.modules.values()):
        path = getattr(mod, "__file__", None)
        if path and (path == m.group(1) or path.endswith("/" + m.group(1))):
            return vars(mod)
    return None


def check_unseen_state(fn, target, self_type, front, bound, wrt, depth):
    """Refuse, naming the user's line, a call known only at run time whose function stores a value carrying
    a derivative on an object it is given, when the code calling it was not checked for reading that state
    back: s2s checks ``obj.method(x)`` / ``obj(x)`` against the methods of the classes the caller's module
    can see (s2s/state_paths.py); an object of another class, or an object passed as a plain argument, is
    refused here rather than risk a read that carries no derivative."""
    from . import state_paths
    if not wrt:
        return None
    try:
        stores = state_paths.stores_of(target, self_type)
    except Exception:
        stores = None
    if not stores:
        return None
    names = list(bound.arguments)
    mine = names[0] if front and self_type is not None and names else None
    for q, paths in stores.items():
        if not paths or q not in bound.arguments:
            continue
        v = bound.arguments[q]
        if q == mine:
            seen = _caller_globals(depth + 1)
            if seen is not None and type(v) in state_paths.user_classes(seen):
                continue
        what = ", ".join("." + ".".join(p) for p in sorted(paths))
        where = _where(depth + 1)
        raise DifferentiationError((where + "\n" if where else "") +
                                   f"{getattr(target, '__qualname__', target)} stores a value computed from its "
                                   f"arguments on `{q}` ({what}), an object of class {type(v).__name__} that s2s could "
                                   "not see where this call is written, so it cannot tell whether the code after the "
                                   "call reads that state back (the value read would carry no gradient).\n"
                                   "Import the class into the module that makes this call (s2s checks the methods of "
                                   "the classes it can see there), or return the value instead of storing it on "
                                   "the object.")
    return stores


def check_returned_state(stores, target, bound, y, depth):
    """Refuse, naming the user's line, a call that stores a value computed from its arguments on an object it
    is given and returns that object (``sc.fit(X).transform(X)``, ``fit`` ending ``return self``): the code
    after the call reads the state through the returned object, a path the call's gradient does not follow."""
    for q, paths in (stores or {}).items():
        if paths and q in bound.arguments and bound.arguments[q] is y:
            what = ", ".join("." + ".".join(p) for p in sorted(paths))
            where = _where(depth + 1)
            name = getattr(target, "__name__", "the method")
            raise DifferentiationError((where + "\n" if where else "") +
                                       f"{getattr(target, '__qualname__', target)} stores a value computed from its "
                                       f"arguments on `{q}` ({what}) and returns `{q}`: s2s does not follow that value "
                                       "through the object the call returns (its gradient would be missing).\n"
                                       f"Build the object in the function being differentiated (`{type(y).__name__}()."
                                       f"{name}(X)...`: s2s follows objects made there), or return the value from "
                                       f".{name} and pass it on as an argument.")


def check_writes(fn, target, bound, wrt, depth):
    """Refuse, naming the user's line, a call known only at run time whose function writes into an argument
    that carries a derivative (``act(Z)`` with ``def act(X): X *= 3``): s2s follows such writes for a function
    called by name (it inlines it), not through a pullback, whose gradient would miss them."""
    from . import effects
    if not isinstance(target, types.FunctionType) or getattr(target, "s2s_generated", False) \
            or (getattr(target, "__module__", None) or "").startswith("s2s"):
        return   # (s2s's own generated code: differentiated again, it is followed as written)
    containers = {p for p in wrt if isinstance(bound.arguments.get(p), (np.ndarray, list, dict))}   # (an object's
    written = sorted(containers & effects.mutated_params(target))   # state: check_unseen_state / state_paths)
    if written:
        where = _where(depth + 1)
        raise DifferentiationError((where + "\n" if where else "") +
                                   f"{getattr(target, '__qualname__', target)} changes its argument "
                                   f"`{written[0]}` in place, and that argument carries a derivative here; s2s "
                                   "follows such changes for a function called by its name (it inlines it), not for "
                                   "one known only when the call runs (a parameter, an element of a list or dict).\n"
                                   f"Call {getattr(target, '__name__', 'it')} by its name, or have it return the new "
                                   "value (`Z = act(Z)`) instead of changing its argument.")


def call_unchanged(fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)`` for a call known only at run time whose result is dropped (``act(Z)``), called
    for its effect: refused, naming the line, if the function writes into an argument that carries a derivative
    (``check_writes``)."""
    target, full, kw, _, _ = _unwrap(fn, args, kwargs)
    if isinstance(target, types.FunctionType):
        try:
            bound = inspect.signature(target).bind(*full, **kw)
        except TypeError:
            bound = None
        if bound is not None:
            check_writes(fn, target, bound, [p for p, v in bound.arguments.items() if _differentiable(v)], 1)
    return fn(*args, **kwargs)


call_unchanged.s2s_impure = True


def _unwrap(fn, args, kwargs):
    """(function, args, kwargs, class of self or None, number of arguments put in front of the call's own)."""
    front = 0
    self_type = None
    for _ in range(20):
        if isinstance(fn, functools.partial):
            args = fn.args + tuple(args)
            kwargs = {**fn.keywords, **kwargs}
            front += len(fn.args)
            fn = fn.func
        elif array_method(fn):   # arr.mean passed on (xp.mean(t) where xp is an array at run time): its rule
            args = (fn.__self__,) + tuple(args)
            front += 1
            fn = _method_wrapper(fn.__name__, len(args), tuple(kwargs))
        elif isinstance(fn, types.MethodType):
            args = (fn.__self__,) + tuple(args)
            self_type = type(fn.__self__)
            front += 1
            fn = fn.__func__
        elif getattr(fn, "s2s_moves_tangents", None) is not None \
                and fn.s2s_moves_tangents(args, kwargs) == (tuple(args), kwargs):
            fn = fn.__wrapped__   # jvp's tangents-last wrapper (api.tangents_last), for a call it passes on as it is
        elif not isinstance(fn, (types.FunctionType, types.BuiltinFunctionType, np.ufunc, type, np.vectorize)) \
                and isinstance(getattr(type(fn), "__call__", None), types.FunctionType) and not _has_rule(fn):
            args = (fn,) + tuple(args)
            self_type = type(fn)
            front += 1
            fn = type(fn).__call__
        else:
            break
    return fn, tuple(args), kwargs, self_type, front


def _rule_of(rule_of, fn):
    """``rule_of(fn)`` (registry.lookup_adjoint or lookup_tangent), None for an unhashable ``fn``."""
    try:
        return rule_of(fn)
    except TypeError:
        return None


def _has_rule(fn):
    """A callable object with a rule of its own (s2s.flatten's ``unflatten``): called through the rule, not
    differentiated through its ``__call__``."""
    try:
        return registry.lookup_adjoint(fn) is not None or registry.lookup_tangent(fn) is not None
    except TypeError:   # unhashable
        return False


def array_method(fn):
    """True for a method of an array (``a.mean``: an ndarray's, a Dask array's) that s2s has a rule for."""
    from .namespaces import is_foreign
    obj = getattr(fn, "__self__", None)
    if not callable(fn) or not isinstance(getattr(fn, "__name__", None), str) \
            or not (isinstance(obj, (np.ndarray, np.generic)) or is_foreign(obj)):
        return False
    from .effects import MUTATING_METHODS
    m = registry.method(fn.__name__)
    return fn.__name__ not in MUTATING_METHODS and (registry.lookup_adjoint(m) is not None
                                                    or registry.lookup_tangent(m) is not None)


def _method_wrapper(name, nargs, kwnames):
    """A Python function ``def mean_method(x0, x1): return x0.mean(x1)``, with source: the array method ``name``
    called on its first argument, differentiated by the method's rule (its receiver is an array here)."""
    key = ("method", name, nargs, kwnames)
    hit = _WRAPPERS.get(key)
    if hit is not None:
        return hit[1]
    params = [f"x{i}" for i in range(nargs)] + list(kwnames)
    call = ", ".join([f"x{i}" for i in range(1, nargs)] + [f"{k}={k}" for k in kwnames])
    src = f"def {name}_method({', '.join(params)}):\n    return x0.{name}({call})\n"
    filename = f"<s2s pullback of the array method {name} {len(_WRAPPERS)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    scope = {"__name__": "s2s.pullback"}
    exec(compile(src, filename, "exec"), scope)
    out = scope[name + "_method"]
    out.s2s_method_wrapper = True   # (calls.unsure_receiver: its receiver is an array, read by the rule)
    _WRAPPERS[key] = (None, out)
    return out


def _wrapper(fn, nargs, kwnames):
    """A Python function ``def tanh_call(x0): return tanh(x0)`` calling ``fn`` (which has a rule), with source."""
    key = (id(fn), nargs, kwnames)   # by identity: objects with a rule may compare equal (every unflatten does)
    hit = _WRAPPERS.get(key)
    if hit is not None and hit[0] is fn:
        return hit[1]
    name = re.sub(r"\W", "_", getattr(fn, "__name__", type(fn).__name__.lower())) or "fn"
    params = [f"x{i}" for i in range(nargs)] + list(kwnames)
    call = ", ".join([f"x{i}" for i in range(nargs)] + [f"{k}={k}" for k in kwnames])
    src = f"def {name}_call({', '.join(params)}):\n    return {name}({call})\n"
    filename = f"<s2s pullback of {name} {len(_WRAPPERS)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    scope = {name: fn, "__name__": "s2s.pullback"}
    exec(compile(src, filename, "exec"), scope)
    out = scope[name + "_call"]
    _WRAPPERS[key] = (fn, out)   # (fn kept alive: its id is not reused while the entry stands)
    return out


def dynamic_method(call, ctx):
    """True for ``obj.method(x)`` on a local ``obj`` whose class is not known at transform time (an
    element of a list of layer objects) and a method no rule covers: it goes through ``pullback`` /
    ``pushforward``, which dispatch on the object's class at run time (and refuse, naming the line,
    a method with neither source nor rule, such as an array method s2s has no rule for). (``xp.mean(t)``
    on a local that may not be an array: calls.unsure_receiver.)"""
    import gast
    from . import analyze
    from .typed_params import static_receiver
    kind, key = analyze.callee(call, ctx)
    if kind != "method" or not isinstance(call.func.value, gast.Name) or call.func.value.id not in ctx.locals \
            or static_receiver(ctx, call.func.value.id, key) is not None:   # its class is known (typed_params)
        return False
    m = registry.method(key)
    return registry.lookup_adjoint(m) is None and registry.lookup_tangent(m) is None and not registry.is_nondiff(m)


driver = None   # compiler.reverse_function, set by s2s/compiler.py (the driver imports this module, not back)


def pullback(fn, /, *args, **kwargs):
    """``(fn(*args, **kwargs), back)``: ``back(dy)`` gives the gradients of the arguments (see the module doc)."""
    return _pullback(fn, args, kwargs, False)


def pullback_self(obj, name, /, *args, **kwargs):
    """``pullback`` of ``obj.name(*args)`` (``obj(*args)`` for ``name`` None) where the object ``obj`` carries a
    gradient itself (a layer of a model being differentiated, ``for layer in self.layers: x = layer.forward(x)``):
    ``back(dy)`` gives ``obj``'s gradient first, then the arguments'. ``obj.name`` may be a method of ``obj``, or a
    value stored in its field ``name``: a callable object (its gradient is that field's), or a function that
    holds nothing of ``obj`` (``self.act = np.tanh``)."""
    fn, field = method_of(obj, name, 2)
    if field is None:
        return _pullback(fn, args, kwargs, True)
    if is_callable_object(fn):
        y, back = _pullback(fn, args, kwargs, True)
        return y, lambda dy: _field_first(back(dy), field)
    y, back = _pullback(fn, args, kwargs, False)
    return y, lambda dy: (0.0,) + back(dy)   # (nothing flows into obj: a zero, added to its gradient)


def _field_first(grads, field):
    from .runtime import GradDict
    none = grads[0] is None or type(grads[0]) is float and grads[0] == 0.0
    return (0.0 if none else GradDict({field: grads[0]}),) + tuple(grads[1:])


def is_callable_object(fn):
    """An object of the user's class with a Python ``__call__`` (a layer), not a function value."""
    plain = (types.FunctionType, types.BuiltinFunctionType, np.ufunc, type, functools.partial, types.MethodType)
    return not isinstance(fn, plain) and isinstance(getattr(type(fn), "__call__", None), types.FunctionType)


def method_of(obj, name, depth):
    """``(function, None)`` for a method of ``obj`` (or ``obj`` itself, ``name`` None); ``(value, name)`` for a value
    stored in ``obj``'s field ``name``: a callable object, or a function holding no value (refused, naming the
    user's line, for a closure or a partial, which may hold a differentiated value of ``obj``)."""
    if name is None:
        if not is_callable_object(obj):
            _refuse(obj, "it is a function value that holds a differentiated value (a closure or a partial); s2s "
                    "differentiates through the object of a method or a callable object, not through these.", depth)
        return obj, None
    fn = getattr(obj, name)
    if (isinstance(fn, types.MethodType) or array_method(fn)) and fn.__self__ is obj:
        return fn, None   # (an array's method with a rule: s2s/calls.py namespace_call, xp.mean(t) on an array)
    if isinstance(obj, types.ModuleType):   # xp.mean(t) with xp a module (an array namespace): its function;
        return fn, name                     # a module carries no derivative
    if is_callable_object(fn) or getattr(fn, "__closure__", None) is None and not isinstance(fn, functools.partial):
        return fn, name
    _refuse(fn, f"it is a function value held in the field .{name} of an object that carries a gradient, and it may "
            "hold a differentiated value itself (a closure or a partial).", depth)


class _Plan:
    """What a call known only at run time differentiates: the function underneath (``target``, called as
    ``target(*full, **kw)``), the parameters that get a gradient (``wrt``) and where each one's gradient goes
    among the call's own arguments (``slots``; -1 for the object of ``pullback_self``)."""
    __slots__ = ("target", "full", "kw", "self_type", "front", "bound", "wrt", "slots", "n_call", "nondiff")


def _plan(fn, args, kwargs, own, rule_of, depth):
    """The ``_Plan`` of ``fn(*args, **kwargs)`` (``rule_of``: registry.lookup_adjoint or lookup_tangent)."""
    plan = _Plan()
    plan.n_call = len(args) + len(kwargs)
    target, full, kw, self_type, front = _unwrap(fn, args, kwargs)
    plan.full, plan.kw, plan.self_type, plan.front, plan.nondiff = full, kw, self_type, front, False
    if self_type is not None:
        check_shadowing(full[0], depth + 1)
    if not isinstance(target, types.FunctionType) or _rule_of(rule_of, target):   # (xp.matmul of array_api_compat)
        try:
            rule = rule_of(target) is not None
            plan.nondiff = target is not None and registry.is_nondiff(target)
        except TypeError:   # unhashable
            rule = False
        if plan.nondiff:
            plan.target, plan.wrt = target, []
            return plan
        if not rule:
            _refuse(fn, "it has no derivative rule and no Python source.", depth + 1)
        target = _wrapper(target, len(full), tuple(kw))
    elif decorated.transforms(target):   # a decorator changing what it computes: its wrapper, for this call
        target = decorated.adapter(target, len(full), tuple(kw))
    plan.target = target
    try:
        plan.bound = bound = inspect.signature(target).bind(*full, **kw)
    except TypeError as e:
        _refuse(fn, f"its arguments do not match its parameters ({e}).", depth + 1)
    params = inspect.signature(target).parameters
    positional = [p for p, q in params.items()
                  if q.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    # parameter -> index among the call's own arguments (not those a partial or a bound self put in front);
    # pullback_self: the object's gradient goes first (-1)
    plan.slots = slots = {positional[front - 1]: -1} if own else {}
    for i in range(len(args)):
        if front + i < len(positional):
            slots[positional[front + i]] = i
    for j, k in enumerate(kwargs):
        if k in params:
            slots[k] = len(args) + j
    plan.wrt = []
    for p, v in bound.arguments.items():
        if params[p].kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            if _differentiable(v):
                _refuse(fn, f"a value carrying a gradient goes into its *{p} or **{p}.", depth + 1)
            continue
        if p in slots and _differentiable(v):
            plan.wrt.append(p)
    return plan


def _pullback(fn, args, kwargs, own):
    plan = _plan(fn, args, kwargs, own, registry.lookup_adjoint, 2)
    target, full, kw, wrt, n_call = plan.target, plan.full, plan.kw, plan.wrt, plan.n_call
    if not wrt:   # (np.floor passed as a value: zeros, which the caller adds to its gradients)
        return target(*full, **kw), lambda dy: (0.0,) * (own + n_call)
    check_writes(fn, target, plan.bound, wrt, 2)
    stores = check_unseen_state(fn, target, plan.self_type, plan.front, plan.bound, wrt, 2)
    if wrappers.is_validating(target):   # a validating decorator: its checks, then the function it wraps
        wrappers.validated(target, *full, **kw)
    fwd, bwd = driver(target, tuple(wrt), split=True, self_type=plan.self_type)
    y, res = fwd(*full, **kw)
    check_returned_state(stores, target, plan.bound, y, 2)

    def back(dy):
        grads = bwd(res, dy)
        return place(plan, own, grads if len(wrt) > 1 else (grads,), 0.0)
    return y, back


def place(plan, own, grads, zero):
    """One gradient per argument of the call (``zero`` for the object's when nothing flows into it and for an
    argument that gets none), from the gradients of ``plan.wrt``."""
    out = [zero] * (own + plan.n_call)
    for p, g in zip(plan.wrt, grads):
        out[plan.slots[p] + own] = g
    return tuple(out)


pullback.s2s_impure = True   # it runs the user's function: never dropped or merged by the optimizer
