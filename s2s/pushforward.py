"""Forward mode of calls whose callee is known only at run time (the counterpart of s2s/pullback.py).

``y = fn(x, c)`` with ``fn`` a value (a parameter, ``np.max if mode == "max" else np.mean``, an
element of a list or dict of functions, a partial, a callable object) compiles in forward mode to
``y, dy = pushforward(fn, (x, c), (dx, 0.0))``. ``pushforward`` unwraps the callee as ``pullback``
does and calls its generated forward-mode function (cached per function), a one-line wrapper for a
function with a rule, nothing for a non-differentiable one; anything else is a
``DifferentiationError`` naming the user's line.
"""
import inspect
import types

from . import decorated, registry, wrappers
from .pullback import (_differentiable, _refuse, _rule_of, _unwrap, _wrapper, check_returned_state, check_shadowing,
                       check_unseen_state, check_writes, is_callable_object, method_of)
from .record_types import get_field


def _zero(t):
    return type(t) in (int, float) and t == 0


driver = None   # compiler.forward_function, set by s2s/compiler.py (the driver imports this module, not back)


def pushforward(fn, args, tangents, kwargs=None, ktangents=None):
    """``(fn(*args, **kwargs), its tangent)`` given the tangents of the arguments (0 for none)."""
    return _pushforward(fn, args, tangents, kwargs, ktangents, None)


def pushforward_self(obj, name, tangent, args, tangents, kwargs=None, ktangents=None):
    """``pushforward`` of ``obj.name(*args)`` (``obj(*args)`` for ``name`` None) where the object carries a
    derivative itself, ``tangent`` (a layer of a model being differentiated; s2s/pullback.py ``pullback_self``)."""
    fn, field = method_of(obj, name, 2)
    if field is None:
        return _pushforward(fn, args, tangents, kwargs, ktangents, tangent)
    if is_callable_object(fn):   # a callable object in obj's field: its tangent is that field's
        return _pushforward(fn, args, tangents, kwargs, ktangents, get_field(tangent, obj, field))
    return _pushforward(fn, args, tangents, kwargs, ktangents, None)


def _pushforward(fn, args, tangents, kwargs, ktangents, own):
    kwargs = dict(kwargs or {})
    ktangents = dict(ktangents or {})
    target, full, kw, self_type, front = _unwrap(fn, args, kwargs)
    if self_type is not None:
        check_shadowing(full[0], 2)
    if not isinstance(target, types.FunctionType) or _rule_of(registry.lookup_tangent, target):   # (xp.matmul)
        try:
            rule = registry.lookup_tangent(target) is not None
            nondiff = target is not None and registry.is_nondiff(target)
        except TypeError:   # unhashable
            rule = nondiff = False
        if nondiff:
            return target(*full, **kw), 0.0
        if not rule:
            _refuse(fn, "it has no derivative rule and no Python source.", 2)
        target = _wrapper(target, len(full), tuple(kw))
    elif decorated.transforms(target):   # a decorator changing what it computes: its wrapper, for this call
        target = decorated.adapter(target, len(full), tuple(kw))
    try:
        bound = inspect.signature(target).bind(*full, **kw)
    except TypeError as e:
        _refuse(fn, f"its arguments do not match its parameters ({e}).", 2)
    params = inspect.signature(target).parameters
    positional = [p for p, q in params.items()
                  if q.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    given = {positional[front - 1]: own} if own is not None else {}   # parameter -> the tangent of its argument
    for i, t in enumerate(tangents):
        if front + i < len(positional):
            given[positional[front + i]] = t
    for k, t in ktangents.items():
        if k in params:
            given[k] = t
    wrt = []
    for p, v in bound.arguments.items():
        t = given.get(p, 0.0)
        if params[p].kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            if any(not _zero(e) for e in tangents[max(0, len(positional) - front):]) and _differentiable(v):
                _refuse(fn, f"a value carrying a derivative goes into its *{p} or **{p}.", 2)
            continue
        if not _zero(t) and _differentiable(v):
            wrt.append(p)
    if not wrt:
        return target(*full, **kw), 0.0
    check_writes(fn, target, bound, wrt, 2)
    stores = check_unseen_state(fn, target, self_type, front, bound, wrt, 2)
    if wrappers.is_validating(target):   # a validating decorator: its checks, then the function it wraps
        wrappers.validated(target, *full, **kw)
    gen = driver(target, tuple(wrt), True, self_type=self_type)
    out = gen(*full, **kw, **{tp: given[p] for tp, p in zip(gen.s2s_tangents, wrt)})
    check_returned_state(stores, target, bound, out[0], 2)
    return out


pushforward.s2s_impure = True   # it runs the user's function: never dropped or merged by the optimizer
