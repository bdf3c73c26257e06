"""Second order through calls known only at run time: forward mode over ``pullback`` (hvp, hessian).

A gradient whose function calls a callee known only at run time holds
``y, fn_back = pullback(fn, x)`` in its forward sweep and ``dx = fn_back(dy)``
in its backward sweep (s2s/pullback.py). Forward mode over that gradient
(``hvp``: forward over reverse) compiles them to

    (y, fn_back), (dy_, _) = pushforward_pullback(fn, (x,), (dx_,))
    dx, ddx = pushforward(fn_back, (dy,), (ddy,))

``pushforward_pullback`` runs the callee once in forward mode (its value and
tangent) and returns a ``DualBack`` holding the arguments and their
tangents. ``pushforward`` of a ``DualBack`` (s2s/pushforward.py) is the
tangent of the callee's gradient: s2s generates the callee's gradient with
respect to its arguments, then that gradient's forward mode with respect to
the arguments *and* the seed (``dy``), and runs it at the saved arguments
with their tangents and ``dy``'s. That second run repeats the callee, so a
callee whose second run could differ (a random draw, I/O, ``global``, a
callee of its own known only at run time) is refused, naming the user's
line; the arguments are copied before the first run, so that the second
sees what the first saw and changes nothing of the caller's.
"""
import ast
import copy
import functools
import inspect
import textwrap
import types

import numpy as np

from . import registry
from .errors import DifferentiationError
from .pullback import _field_first, _plan, is_callable_object, method_of, place
from .runtime import copy_deep

driver = None   # (reverse_function, forward_function), set by s2s/compiler.py


class DualBack:
    """The backward half of ``pullback(fn, *args)`` with the arguments' tangents: ``pushforward`` of it gives the
    gradients ``back(dy)`` would and their tangents."""
    __slots__ = ("fn", "args", "tangents", "kwargs", "ktangents", "own", "otangent", "field")

    def __init__(self, fn, args, tangents, kwargs, ktangents, own, otangent, field=None):
        self.fn, self.args, self.tangents, self.kwargs, self.ktangents = fn, args, tangents, kwargs, ktangents
        self.own, self.otangent = own, otangent
        self.field = field   # pullback_self of a callable held in this field of the object ("": a function there)

    def jvp(self, dy, tdy, depth):
        """``(back(dy), its tangent)``: one gradient per argument of the call, as ``back`` gives them."""
        plan = _plan(self.fn, self.args, self.kwargs, self.own, registry.lookup_adjoint, depth + 1)
        if not plan.wrt:
            zeros = (0.0,) * (self.own + plan.n_call)
            return self._outer(zeros), self._outer(zeros)
        reverse, forward = driver
        g = reverse(plan.target, tuple(plan.wrt), self_type=plan.self_type)
        h = forward(g, tuple(plan.wrt) + (g.s2s_seed,), value=True, self_type=plan.self_type)
        given = _given(plan, self.own, self.otangent, self.tangents, self.ktangents)
        tangents = [given.get(p, 0.0) for p in plan.wrt] + [0.0 if tdy is None else tdy]
        grads, tgrads = h(*plan.full, **plan.kw, **{g.s2s_seed: dy}, **dict(zip(h.s2s_tangents, tangents)))
        one = len(plan.wrt) == 1
        out = place(plan, self.own, (grads,) if one else grads, 0.0)
        tout = place(plan, self.own, (tgrads,) if one else tgrads, 0.0)
        return self._outer(out), self._outer(tout)

    def _outer(self, grads):
        """The gradients as ``pullback_self`` gives them: the object's first (s2s/pullback.py)."""
        if self.field is None:
            return grads
        if self.field == "":
            return (0.0,) + grads
        return _field_first(grads, self.field)

    def __call__(self, dy):
        return self.jvp(dy, 0.0, 1)[0]


def _snapshot(x):
    """A copy of the arguments for the second run: arrays, containers and objects (a layer) copied, so that the
    second run sees what the first saw and changes nothing of the caller's."""
    try:
        return copy.deepcopy(x)
    except Exception:
        return copy_deep(x)


def _given(plan, own, otangent, tangents, ktangents):
    """parameter -> the tangent of its argument."""
    by_slot = {i: t for i, t in enumerate(tangents)}
    by_slot.update({len(tangents) + j: t for j, t in enumerate((ktangents or {}).values())})
    if own:
        by_slot[-1] = otangent
    return {p: by_slot.get(i, 0.0) for p, i in plan.slots.items()}


def _function_values(fn, args, kwargs):
    """{parameter: function} for the arguments of ``fn(*args, **kwargs)`` that are functions (``act`` of
    ``def apply(act, z): return act(z)`` given np.tanh): the calls of them are judged by what they are."""
    if not args and not kwargs or not isinstance(fn, types.FunctionType):
        return {}
    try:
        bound = inspect.signature(fn).bind_partial(*args, **(kwargs or {}))
    except (TypeError, ValueError):
        return {}
    plain = (types.FunctionType, types.BuiltinFunctionType, np.ufunc, functools.partial)
    return {p: v for p, v in bound.arguments.items()
            if isinstance(v, plain) or type(v).__name__ == "_ArrayFunctionDispatcher"}


def _runs_alike(fn, seen, args=(), kwargs=None):
    """Whether running ``fn`` (a function, a bound method, a callable object) a second time, on a copy of its
    arguments, gives the same values and no second effect outside them: judged from its source and its callees'
    (checkpointing's ``_replayable``), with ``self`` in a method resolved to the object itself (``self(x)``,
    ``self.act(z)``, ``self.inner.forward(x)``). Unknown code does not."""
    from .checkpointing import _IO_METHODS, _draws, _replayable, _resolve_in
    from .pullback import _has_rule, array_method
    local = {}
    if isinstance(fn, functools.partial):   # its bound arguments are the caller's: copied with the others
        return _runs_alike(fn.func, seen)
    if _has_rule(fn) or array_method(fn):   # through its rule (s2s.flatten's unflatten, a.mean: ndarray.mean's)
        return True
    if isinstance(fn, types.MethodType):
        fn, obj = fn.__func__, fn.__self__
        args = (obj,) + tuple(args)
        if fn.__code__.co_argcount:
            local[fn.__code__.co_varnames[0]] = obj
    elif not isinstance(fn, types.FunctionType) and isinstance(getattr(type(fn), "__call__", None), types.FunctionType):
        return _runs_alike(types.MethodType(type(fn).__call__, fn), seen, args, kwargs)
    if not isinstance(fn, types.FunctionType):
        return _replayable(fn, None, seen)
    local.update(_function_values(fn, args, kwargs))
    if (id(fn), tuple(map(id, local.values()))) in seen:
        return True
    seen.add((id(fn), tuple(map(id, local.values()))))
    if fn.__module__ and fn.__module__.startswith(("s2s.", "numpy", "scipy")) and not local:
        return _replayable(fn, None, seen)

    def resolve(node):
        if isinstance(node, ast.Name) and node.id in local:
            return local[node.id]
        if isinstance(node, ast.Attribute):
            base = resolve(node.value)
            return None if base is None else getattr(base, node.attr, None)
        return _resolve_in(fn, node)
    try:
        if fn.__name__ == "<lambda>":   # its own node, not the whole line holding it ([lambda z: ..., Tanh()])
            import gast
            from .parse import parse_function
            tree = gast.gast_to_ast(parse_function(fn).node)
        else:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except Exception:   # (no source, or a lambda s2s cannot single out: unknown code does not run alike)
        return False
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await)):
            return False
        if isinstance(node, ast.Call):
            attr = node.func.attr if isinstance(node.func, ast.Attribute) else None
            obj = resolve(node.func)
            root = node.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in local and isinstance(obj, types.BuiltinMethodType):
                obj = None   # self.X.append(v): a method of the object's own state, which the second run copies
            if obj is None:   # a method of a local value: list.append on the copy; a draw or I/O is not
                if attr is None or attr in _draws() or attr in _IO_METHODS:
                    return False
            elif isinstance(obj, types.MethodType) or callable(obj) and not isinstance(
                    obj, (types.FunctionType, types.BuiltinFunctionType, type, np.ufunc)) \
                    and isinstance(getattr(type(obj), "__call__", None), types.FunctionType):
                if not _runs_alike(obj, seen):   # self.forward, self(x), self.inner(x): the object's own code
                    return False
            elif not _replayable(obj, attr, seen):
                return False
    return True


def _replayable(fn, depth, args=(), kwargs=None):
    from .pullback import _where
    if not _runs_alike(fn, set(), args, kwargs):
        where = _where(depth + 1)
        raise DifferentiationError((where + "\n" if where else "") +
                                   f"s2s cannot take the second order (hvp, hessian) through this call of {fn!r}, a "
                                   "function known only when the call runs: that runs it twice, and running it again "
                                   "may not give the same values or may repeat an effect (it draws random numbers, "
                                   "does I/O, changes a global, or calls a function s2s cannot see).\n"
                                   "Use grad or jvp (first order), or call a function known where the call is "
                                   "written (a module-level function), which s2s differentiates from its source.")


def pushforward_pullback(fn, args, tangents, kwargs=None, ktangents=None):
    """Forward mode of ``y, back = pullback(fn, *args, **kwargs)``: ``((y, DualBack), (tangent of y, 0.0))``."""
    from .pushforward import _pushforward
    _replayable(fn, 1, args, kwargs)
    kwargs = dict(kwargs or {})
    saved_fn, saved, ksaved = _snapshot((fn, tuple(args), kwargs))   # (a bound method: its object copied too)
    y, ty = _pushforward(fn, args, tangents, kwargs, ktangents, None)
    return (y, DualBack(saved_fn, saved, tuple(tangents), ksaved, dict(ktangents or {}), 0, None)), (ty, 0.0)


def pushforward_pullback_self(obj, name, tangent, args, tangents, kwargs=None, ktangents=None):
    """Forward mode of ``y, back = pullback_self(obj, name, *args, **kwargs)``: the object's tangent is ``tangent``."""
    from .pushforward import _pushforward
    from .record_types import get_field
    fn, field = method_of(obj, name, 2)
    _replayable(fn, 1, args, kwargs)
    kwargs = dict(kwargs or {})
    saved_obj, saved, ksaved = _snapshot((obj, tuple(args), kwargs))
    own = tangent if field is None else get_field(tangent, obj, field) if is_callable_object(fn) else None
    y, ty = _pushforward(fn, args, tangents, kwargs, ktangents, own)   # (as pushforward_self)
    kept = (tuple(tangents), ksaved, dict(ktangents or {}))
    if field is None:   # a method of obj, or obj itself called
        back = DualBack(getattr(saved_obj, name) if name is not None else saved_obj, saved, kept[0], *kept[1:],
                        1, tangent)
    elif is_callable_object(fn):   # a callable object in obj's field: its gradient is that field's
        back = DualBack(getattr(saved_obj, field), saved, kept[0], *kept[1:], 1, own, field)
    else:   # a function in obj's field holding nothing of obj: nothing flows into obj
        back = DualBack(fn, saved, kept[0], *kept[1:], 0, None, "")
    return (y, back), (ty, 0.0)


def pushforward_back(back, dy, tdy):
    """Forward mode of ``back(dy)``, ``back`` the backward half ``pushforward_pullback`` gave: ``(back(dy), its
    tangent)``."""
    if not isinstance(back, DualBack):
        raise DifferentiationError(f"s2s expected the backward half of a pullback here and met {back!r}: forward mode "
                                   "over this gradient (hvp, hessian) is not supported. Please report this.")
    return back.jvp(dy, tdy, 1)


pushforward_pullback.s2s_impure = True   # it runs the user's function: never dropped or merged by the optimizer
pushforward_pullback_self.s2s_impure = True
