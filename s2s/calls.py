"""Calls: what kind of call a core statement makes, and filling a rule's template for it.

Both transforms ask the same two questions of ``y = f(a, b)``:

- ``classify(call, ctx, facts)``: which kind of call it is:
  ``UserCall`` (a function or method of the user's that s2s differentiates
  from its source: reverse mode calls its split pair, forward mode its
  value-and-tangent function), ``Dynamic`` (the callee is a value known
  only at run time: ``pullback`` / ``pushforward``), ``NonDiff`` (no
  derivative flows through it: ``stop_gradient``, rules declared
  non-differentiable), or ``RuleCall`` (everything else: a NumPy function,
  an operator, an array method, whose rule the registry holds, or which is
  refused for want of one). ``None`` means s2s cannot tell which function
  the call refers to (``unknown_callee`` is the refusal).
- ``fill_rule(...)``: the rule's statements for one call: look the
  template up in the mode's table (``@adjoint`` for reverse, ``@tangent``
  for forward), bind the call's arguments to its parameters (``bind_call``),
  refuse a derivative the rule does not give, and fill it in
  (``instantiate``). A missing rule is refused with a ready-to-paste
  ``@s2s.adjoint`` / ``@s2s.tangent`` hint.

``facts.mode`` (s2s/facts.py) says which table a rule comes from. Pullbacks
and pushforwards of callees known only at run time plug in at ``Dynamic``.
"""
import builtins
import collections
import dataclasses
import functools
import inspect
import sys
import types

import gast
import numpy as np

from . import analyze, effect_checks, guards, registry, runtime, signature, typed_params, wrappers
from .coreform import _name
from .instantiate import bind_call, instantiate
from . import astutil


@dataclasses.dataclass
class RuleCall:
    """A call differentiated by a registered rule: ``key`` is the registry's key, ``args``/``kws`` the
    arguments (a method's receiver first), ``what`` how messages name it; ``call`` the call of a function
    (not a method), for a refusal naming it as written."""
    key: object
    args: list
    kws: dict
    what: str
    call: object = None


@dataclasses.dataclass
class UserCall:
    """A call of the user's function ``fn`` (differentiated from its source); ``receiver`` is the node bound
    to ``self`` for a method, ``self_type`` its class."""
    fn: object
    receiver: object = None
    self_type: object = None


@dataclasses.dataclass
class NonDiff:
    """No derivative flows through the call (``stop_gradient``, a rule declared non-differentiable)."""
    key: object


@dataclasses.dataclass
class Dynamic:
    """The callee is a value known only at run time (a function in a local variable or a parameter)."""
    func: object


def lookup(key, mode):
    """The mode's template for ``key`` (None without one)."""
    return registry.lookup_tangent(key) if mode == "forward" else registry.lookup_adjoint(key)


def is_dynamic(call, ctx):
    """True when ``call``'s callee is known only at run time: a function held in a local variable or a
    parameter (it goes through ``pullback`` / ``pushforward``)."""
    kind, _ = analyze.callee(call, ctx)
    return kind == "unknown" and isinstance(call.func, gast.Name) and call.func.id in ctx.locals \
        and typed_params.static_receiver(ctx, call.func.id, "__call__") is None   # (else: its class's __call__)


def star_tail(call, active):
    """True for ``f(w, *args)`` / ``f(w, **kw)`` whose spread values carry no derivative, every argument that
    does coming before the first ``*`` (so its position is known) and none passed by keyword (the scipy-style
    ``def objective(w, *args): return model(w, *args)``): called through ``pullback`` / ``pushforward``, which
    bind the arguments when the call runs."""
    stars = [i for i, a in enumerate(call.args) if isinstance(a, gast.Starred)]
    spread = [a.value for a in call.args if isinstance(a, gast.Starred)] + [k.value for k in call.keywords
                                                                           if k.arg is None]
    if not spread or any(analyze.names_in(v) & active for v in spread):
        return False
    first = stars[0] if stars else len(call.args)
    late = [a for a in call.args[first:] if not isinstance(a, gast.Starred)] + [k.value for k in call.keywords]
    return not any(analyze.names_in(v) & active for v in late)


def user_callee(call, ctx, facts):
    """A ``UserCall`` when ``call`` calls a function of the user's that s2s differentiates from its source
    (one without a rule), else None."""
    kind, key = analyze.callee(call, ctx)
    if kind == "method" and isinstance(call.func.value, gast.Name):
        receiver = call.func.value.id
        cls = ctx.self_type if receiver == ctx.self_name else facts.local_types.get(receiver) \
            or typed_params.static_receiver(ctx, receiver, key)
        method = getattr(cls, key, None) if cls is not None else None
        if callable(method) and hasattr(method, "__code__"):   # self.helper(x), obj.method(x) on the user's class
            return UserCall(wrappers.through(method), call.func.value, cls)
        return None
    cls = typed_params.static_receiver(ctx, call.func.id, "__call__") if isinstance(call.func, gast.Name) else None
    if cls is not None:   # layer(X), layer an argument of a known class (s2s/typed_params.py)
        return UserCall(cls.__call__, call.func, cls)
    if kind != "global" or key is runtime.stop_gradient or registry.is_nondiff(key) \
            or lookup(key, facts.mode) is not None or registry.opaque(key):
        return None   # (SciPy's own source is not differentiated: refused as a missing rule)
    if isinstance(key, types.MethodType) and hasattr(key.__func__, "__code__"):  # obj.method(x) on a global obj
        _check_shadowing(key.__self__, call, ctx)
        return UserCall(wrappers.through(key.__func__), call.func.value, type(key.__self__))
    if callable(key) and hasattr(key, "__code__"):
        return UserCall(wrappers.through(key))   # a pass-through decorator's wrapper: the function it calls
    if not isinstance(key, (types.BuiltinFunctionType, type, np.ufunc, np.vectorize)) \
            and isinstance(getattr(type(key), "__call__", None), types.FunctionType):   # (vectorize: vectorized.py)
        _check_shadowing(key, call, ctx)
        return UserCall(type(key).__call__, call.func, type(key))   # kernel(x) on a callable object of the user's class
    return None


def _check_shadowing(obj, call, ctx):
    """Refuse a method call on ``obj`` (differentiated for its class) when the instance holds a value under the name
    of one of its class's methods (``model.act = np.sin``): the class's method would be differentiated instead."""
    names = signature.shadowing(obj)
    if names:
        f = call.func.value if isinstance(call.func, gast.Attribute) else call.func
        label = f"`{f.id}`" if isinstance(f, gast.Name) else "the object called"
        here = gast.dump(call.func)
        written = next((n for n in gast.walk(getattr(ctx, "node", None) or call)   # the user's line of the call
                        if isinstance(n, gast.Call) and hasattr(n, "lineno") and gast.dump(n.func) == here), call)
        raise ctx.error(written, signature.shadow_message(obj, names, label))


def classify(call, ctx, facts):
    """``UserCall``, ``Dynamic``, ``NonDiff`` or ``RuleCall`` for ``call`` (see the module docstring);
    None when s2s cannot tell which function it calls."""
    if is_dynamic(call, ctx):
        return Dynamic(call.func)
    user = user_callee(call, ctx, facts)
    if user is not None:
        return user
    kind, key = analyze.callee(call, ctx)
    kws = {k.arg: k.value for k in call.keywords}
    if kind == "method":
        return RuleCall(registry.method(key), [call.func.value] + list(call.args), kws, f"method .{key}()")
    if kind != "global":
        return None
    if key is runtime.stop_gradient or registry.is_nondiff(key) or _empty_defaultdict(call, key, ctx):
        return NonDiff(key)
    what = describe(key)
    if registry.opaque(key):   # SciPy's t.logpdf is rv_continuous.logpdf: name it as the user wrote it
        what = f"`{source(call.func)}` ({what[1:-1]})"
    return RuleCall(key, list(call.args), kws, what, call)


def _empty_defaultdict(call, key, ctx):
    """``collections.defaultdict(float)``: an empty dict whose missing keys read a constant (the entries written
    into it carry the derivatives; the derivative's own missing keys read zeros: runtime.GradDefaultDict). Not with
    initial items or a factory that may close over a differentiated value."""
    if key is not collections.defaultdict or call.keywords or len(call.args) > 1:
        return False
    if not call.args:
        return True
    try:
        return ctx.resolve(call.args[0]) in (float, int, complex, list, dict, set, tuple)
    except Exception:  # noqa: BLE001 - a local or something unresolvable: not known to be constant
        return False


def unknown_callee(ctx, stmt):
    """The refusal for a call whose function s2s cannot tell (``needs_class`` when it calls a parameter: the
    code made for the class of a callable object passed there calls its ``__call__``, s2s/typed_params.py)."""
    err = ctx.error(stmt, "s2s cannot tell which function this call refers to.",
                    "Call a module-level function, a closure variable or a method of an array.")
    params = _params(ctx)
    err.needs_class = any(isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id in params
                          for n in astutil.walk_bfs(stmt))
    return err


def _params(ctx):
    args = getattr(getattr(ctx, "node", None), "args", None)
    return {a.id for a in list(getattr(args, "posonlyargs", []) or []) + list(getattr(args, "args", []) or [])
            + list(getattr(args, "kwonlyargs", []) or []) if isinstance(a, gast.Name)}


def carried_callee(ctx, stmt, call, carried, word):
    """The refusal for a call of a function value that carries a ``word`` ("gradient", "derivative"):
    ``needs_class`` when it is a parameter called directly (a callable object passed in: the code made
    for its class calls its ``__call__``)."""
    import re
    names = [n for n in sorted(carried) if re.search(rf"\b{re.escape(n)}\b", "\n".join(ctx.source_lines or ()))]
    on = f"it depends on `{names[0]}`: " if names else ""   # (not a name s2s made: the user never wrote it)
    err = ctx.error(stmt, f"the function called here is a value that carries a {word} ({on}a closure, partial or "
                    "object holding a differentiated value); s2s does not differentiate through such function values "
                    "yet.",
                    "Pass the differentiated value as an argument of the call instead.")
    err.needs_class = isinstance(call.func, gast.Name) and call.func.id in _params(ctx)
    return err


def carried_receiver(call, carried, fn=None, ctx=None, unsure=False):
    """The local ``layer`` of ``layer.forward(x)`` or ``layer(x)`` when the object itself carries the derivative
    (among ``carried``): the run-time dispatch differentiates with respect to it too (``pullback_self``). None
    for a container's method (``stack.pop()``) and for a value a rule or an operator made (an array:
    ``y = np.sin(w); y.toarray()`` is refused as a missing rule, where the branch runs). ``unsure``: the call is
    ``xp.mean(t)`` on a receiver that may not be an array (``unsure_receiver``): dispatched on it at run time."""
    f = call.func.value if isinstance(call.func, gast.Attribute) else call.func
    if unsure:
        return f.id if isinstance(f, gast.Name) and carried == {f.id} else None
    if isinstance(call.func, gast.Attribute) and any(hasattr(t, call.func.attr) for t in (list, dict, set, np.ndarray)):
        return None   # stack.pop(): a container's method (refused as before: no rule), not a layer's
    if not (isinstance(f, gast.Name) and carried == {f.id}):
        return None
    for st in (astutil.walk_bfs(fn) if fn is not None else ()):
        if isinstance(st, gast.Assign) and any(isinstance(t, gast.Name) and t.id == f.id for t in st.targets):
            v = st.value
            if isinstance(v, (gast.BinOp, gast.UnaryOp, gast.Compare)):
                return None
            if isinstance(v, gast.Call) and ctx is not None:
                kind, key = analyze.callee(v, ctx)
                rule = registry.method(key) if kind == "method" else key if kind == "global" else None
                if key in (runtime.copy_deep, runtime.copy_value):
                    continue   # self_ = copy_deep(self): the object, copied
                try:
                    if rule is not None and (registry.lookup_adjoint(rule) or registry.lookup_tangent(rule)):
                        return None
                except TypeError:   # an unhashable callee
                    pass
    return f.id


def unsure_receiver(call, ctx, active, fn, known=()):
    """True for ``r.name(...)``, ``name`` an array method with a rule, when a value carrying a derivative (among
    ``active``) lands in a parameter that rule does not differentiate and ``r``, a local, may not be an array:
    ``xp, _ = my_namespace(y, p)`` then ``xp.mean(t)`` (``t`` would be the axis of the array method: xp is
    probably a module, an array namespace), ``parser.get(vect, "W")``. Such a call is dispatched on ``r`` when it
    runs (``pullback_self``/``pullback``: a module's function, or the array's method with its rule). Not for
    ``r`` made by an operator or a NumPy function (``a = np.asarray(a)``: ``a.reshape(n, -1)``), which is an
    array, nor inside the wrapper that calls an array's method (s2s/pullback.py ``_method_wrapper``), nor for
    ``known`` names (arrays and numbers: the argument signature pins them). Also when a class of the user's that
    the function can see has a method of that name (``def energy(a, b): return a.dot(b)`` given elements of a list
    of the user's vectors: its ``dot`` may not be a dot product)."""
    from .typed_params import static_receiver
    kind, key = analyze.callee(call, ctx)
    if kind != "method" or not isinstance(call.func.value, gast.Name) or call.func.value.id not in ctx.locals \
            or static_receiver(ctx, call.func.value.id, key) is not None:   # its class is known (typed_params)
        return False
    recv = call.func.value.id
    template = registry.lookup_adjoint(registry.method(key)) or registry.lookup_tangent(registry.method(key))
    if template is None or getattr(getattr(ctx, "fn", None), "s2s_method_wrapper", False) \
            or made_array(recv, fn, ctx) or recv in known:
        return False
    if typed_params.user_class_method(ctx, key):   # a.dot(b) on an element of a list of the user's vectors with a `dot`
        return True

    def fail(msg):
        raise TypeError(msg)
    try:
        binding = bind_call(template, gast.Name(id="r", ctx=gast.Load(), annotation=None, type_comment=None),
                            [call.func.value] + list(call.args), {k.arg: k.value for k in call.keywords if k.arg}, fail)
    except Exception:   # noqa: BLE001 (arguments the rule does not take: refused where the rule is filled in)
        return False
    kind = "adjoint" if registry.lookup_adjoint(registry.method(call.func.attr)) is not None else "tangent"
    undiff, zero = registry.rule_params(template, kind)
    for p in (set(undiff) | set(zero)) - {next(iter(binding), None)}:
        node = binding.get(p)
        if any(isinstance(e, gast.Name) and e.id in active
               for e in (node.elts if isinstance(node, gast.Tuple) else [node])):
            return True
    # xp.clip(p, lo, hi): the arguments also fit NumPy's function of that name (np.clip(p, lo, hi)), and one
    # carries a derivative: which of the two runs depends on what xp is (X.dot(w) does not fit np.dot)
    function = getattr(np, call.func.attr, None)
    if function is None or not any(isinstance(a, gast.Name) and a.id in active for a in call.args) \
            or recv in active and fn is not None \
            and recv in {a.id for a in fn.args.args + fn.args.posonlyargs + fn.args.kwonlyargs}:
        return False   # (a parameter carrying a derivative is an array: x.clip(lo, hi))
    try:
        inspect.signature(function).bind(*call.args, **{k.arg: k.value for k in call.keywords if k.arg})
    except (TypeError, ValueError):
        return False
    return True


def made_array(name, fn, ctx, seen=None):
    """True when the local ``name`` is an array (or a number) wherever ``fn`` binds it: every binding is
    ``name = <operator>``, a call of a function with a rule (``np.asarray(a)``), or an index, attribute or
    array method of such a value. False for a parameter, a user function's result and anything else."""
    if fn is None or name in _params(ctx) or name in {a.id for a in fn.args.args + fn.args.posonlyargs
                                                      + fn.args.kwonlyargs if isinstance(a, gast.Name)}:
        return False
    seen = set() if seen is None else seen
    if name in seen:
        return False
    seen.add(name)
    stores = [n for n in astutil.walk(fn) if type(n) is gast.Name and n.id == name
              and isinstance(n.ctx, (gast.Store, gast.Del))]
    values = [st.value for st in astutil.walk(fn) if type(st) is gast.Assign and len(st.targets) == 1
              and type(st.targets[0]) is gast.Name and st.targets[0].id == name]
    if not values or len(values) != len(stores):
        return False
    for v in values:
        if isinstance(v, (gast.BinOp, gast.UnaryOp, gast.Compare)):
            continue
        if isinstance(v, gast.Constant) and isinstance(v.value, (int, float, complex)):
            continue
        base = v.value if isinstance(v, (gast.Subscript, gast.Attribute)) else \
            v.func.value if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) else None
        if isinstance(v, gast.Call):
            kind, key = analyze.callee(v, ctx)
            if key in (runtime.copy_value, runtime.copy_deep) and len(v.args) == 1:
                base = v.args[0]   # xp = copy_value(t_1): what it copies (s2s/state_reads.py)
            elif kind == "global":
                try:
                    if registry.lookup_adjoint(key) is not None or registry.lookup_tangent(key) is not None:
                        continue
                except TypeError:   # unhashable
                    pass
                return False
            elif kind != "method" or lookup(registry.method(key), "reverse") is None:
                return False
        if not (isinstance(base, gast.Name) and made_array(base.id, fn, ctx, seen)):
            return False
    return True


def typed_field_call(call, ctx):
    """``layer.act(x)`` where ``layer``'s class is pinned (s2s/typed_params.py) and has no attribute ``act``: a
    function or callable object held in a field of the object, dispatched at run time (``pullback_self``)."""
    if not (isinstance(call.func, gast.Attribute) and isinstance(call.func.value, gast.Name)):
        return False
    cls = (getattr(ctx, "typed", None) or {}).get(call.func.value.id)
    return cls is not None and not hasattr(cls, call.func.attr)


def refuse_starred(ctx, stmt, word):
    """The refusal for ``f(*args)`` / ``f(**kw)`` on values that carry a derivative."""
    return ctx.error(stmt, f"calls with *args or **kwargs on values that carry a {word} are supported when the "
                     "sequence is a list or tuple display bound once and not changed afterwards (`xs = [a, b]`, then "
                     "`f(*xs)`); here s2s cannot tell how many arguments it spreads.",
                     "Pass the arguments explicitly (`f(xs[0], xs[1])`), or build `xs` in one assignment "
                     "(`xs = [a, b]`).")


def refuse_loader(ctx, stmt, name, cls, mode):
    """The refusal for a loop over a data loader (an object iterated by its ``__iter__``) that carries a derivative."""
    word = "derivative" if mode == "forward" else "gradient"
    return ctx.error(stmt, f"this loop walks `{name}`, a `{cls.__name__}` object, through its `__iter__`, and `{name}` "
                     f"carries a {word} here (it is differentiated, or built from a value that is); s2s does not "
                     "differentiate with respect to what an iterator object yields.",
                     f"Differentiate with respect to the other arguments (wrt=...), leaving `{name}` a constant, or "
                     f"loop over the arrays themselves (`for i in range(0, len(X), b): xb = X[i:i + b]`).")


_BUILTIN_FIX = {
    "zip": "Index the items instead: `firsts = [p[0] for p in pairs]`, or loop `for a, b in zip(xs, ys):`.",
    "enumerate": "Loop `for i, v in enumerate(xs):` and shift i yourself (`i + 1` for start=1), or index "
                 "`for i in range(len(xs)):` with `v = xs[i]`.",
}


def missing_rule(key, what, stmt, ctx, mode, call=None):
    """The refusal for a call without a rule in ``mode``'s table: the rule library failed to load, a
    function that calls a function passed as a value, a field of the user's object, a user class, or a
    rule to register (a ready-to-paste hint when the call names a function)."""
    if call is not None and isinstance(key, np.vectorize):   # VF(x), VF = np.vectorize(f, otypes=[int])
        from .vectorized import refusal
        text, _, hint = refusal(key).partition("\n")
        raise ctx.error(stmt, text, hint)
    walked = {**(getattr(ctx, "typed", None) or {}), **(getattr(ctx, "iterated", None) or {})}
    if key is iter and call is not None and len(call.args) == 1 and isinstance(call.args[0], gast.Name) \
            and walked.get(call.args[0].id) is not None:   # for xb in loader (typed_params)
        raise refuse_loader(ctx, stmt, call.args[0].id, walked[call.args[0].id], mode)
    if mode != "forward" and call is not None and registry.opaque(key):
        lib = "SciPy" if (getattr(key, "__module__", None) or "").startswith("scipy") else "NumPy"
        raise ctx.error(stmt, f"s2s has no derivative rule for `{source(call.func)}` ({describe(key)[1:-1]}), "
                        f"and it does not differentiate {lib}'s own source.",
                        "Register one with @s2s.adjoint, or compute this value with NumPy.")
    problem = registry.library_problem()
    if problem:
        raise ctx.error(stmt, problem, registry.LIBRARY_ADVICE)
    advice = registry.higher_order_advice(key)
    if advice:
        raise ctx.error(stmt, f"s2s does not differentiate through {describe(key)}: it calls a function "
                        "passed as a value, which s2s cannot see.", advice)
    receiver = _object_parameter(what, stmt, ctx)
    if receiver is not None:   # grad(loss, wrt=[0])(model, X) with loss calling model.forward(X)
        raise object_method(ctx, stmt, receiver, what[len("method ."):].rstrip("()"))
    if mode == "forward":
        if isinstance(key, tuple) and key[0] == "attr":
            raise ctx.error(stmt, f"s2s has no forward-mode rule for {what} on this value (it knows array "
                            "attributes such as .T and .real, not the fields of your objects).",
                            "Pass the field as its own argument, or unpack the tuple (`a, b = p`).")
        if isinstance(key, type) and (getattr(key, "__module__", None) or "builtins").split(".")[0] not in \
                set(sys.stdlib_module_names) | {"builtins", "numpy", "scipy"}:   # the user's classes
            raise ctx.error(stmt, f"s2s cannot differentiate through building a `{key.__name__}` object from a value "
                            "that carries a derivative.",
                            "Pass the value to a method or function that uses it instead of storing it in an object.")
        if not (call is not None and getattr(key, "__module__", None) == "builtins"
                and getattr(builtins, getattr(key, "__name__", ""), None) is key):   # (zip, iter: below)
            spelled = source(call.func) if call is not None else short(key)   # np.add.reduce, not reduce
            raise ctx.error(stmt, f"s2s has no forward-mode (tangent) rule for {what}.",
                            f"Register one:\n    @s2s.tangent({spelled})\n    def _(result, x):\n"
                            "        d[result] = d[x] * ...")
    if what.startswith("attribute ."):
        raise ctx.error(stmt, f"s2s has no derivative rule for {what} on this value (it knows array "
                        "attributes such as .T and .real, not the fields of your objects).",
                        "Pass the field as its own argument, or unpack the tuple (`a, b = p`).")
    if call is not None and getattr(key, "__module__", None) == "builtins" and getattr(builtins, getattr(
            key, "__name__", ""), None) is key:   # zip(*pairs), enumerate(x, start=1): no rule to register
        raise ctx.error(stmt, f"s2s does not follow this use of the builtin `{key.__name__}` on values that carry a "
                        "derivative (it follows `for a, b in zip(xs, ys)`, `for i, v in enumerate(xs)`, "
                        "comprehensions, and list, tuple and dict displays).", _BUILTIN_FIX.get(
                            key.__name__, "Build the value with a comprehension or a display instead "
                            "(`[f(v) for v in xs]`, `{k: v for k, v in pairs}`)."))
    if key is functools.partial and call is not None:   # fs = [partial(f, w)] then fs[0](x): not followed
        word = "derivative" if mode == "forward" else "gradient"
        raise ctx.error(stmt, f"`{source(call)}` makes a function value that holds a value carrying a {word}; "
                        "s2s does not differentiate through such function values when it cannot see where they "
                        "are called (here, they are stored or passed on).",
                        "Pass the differentiated value as an argument of the call instead "
                        "(`f(w, x)` rather than `partial(f, w)(x)`).")
    if call is not None:   # a function call (not an operator or a method)
        raise ctx.error(stmt, f"s2s has no derivative rule for {describe(key)}, and it has no Python source to "
                        f"differentiate.", f"Register one:\n    @s2s.adjoint({source(call.func)})\n"
                        "    def _(result, x):\n        d[x] = d[result] * ...")
    raise ctx.error(stmt, f"s2s has no derivative rule for {what}.",
                    "Register one with @s2s.adjoint(fn), or rewrite this line.")


def object_method(ctx, stmt, receiver, method):
    """The refusal for ``model.forward(X)`` where ``model``, a parameter, is differentiated: say what to do.
    It has ``needs_class``: the code made for the class of ``model`` (s2s/typed_params.py) may differentiate
    it, so the API defers it to a call whose arguments do not pin that class."""
    err = ctx.error(stmt, f"`{receiver}.{method}(...)` calls a method of `{receiver}`, which is differentiated: an "
                     "object s2s cannot differentiate as a whole (s2s differentiates arrays, numbers and containers of "
                     "them: lists, tuples, dicts, namedtuples, dataclasses).",
                     f"Differentiate the arrays the object holds: pass them as a namedtuple, dataclass or dict of "
                     f"parameters and differentiate with respect to that, for example\n"
                     f"    params = {{'W': {receiver}.W, 'b': {receiver}.b}}   # the arrays .{method} uses\n"
                     f"    def loss(params, X): ...   # .{method}'s body, reading params['W']\n"
                     f"    s2s.grad(loss)(params, X)   # a dict of gradients, one per array\n"
                     f"or differentiate a method with respect to its array arguments (`s2s.grad({receiver}.loss)`: "
                     "self's attributes are constants there).")
    err.needs_class = True
    return err


def object_receiver(call, ctx, carried):
    """The parameter ``p`` of ``p.method(...)`` when ``p`` carries a derivative (among ``carried``), else None."""
    node = getattr(ctx, "node", None)
    args = getattr(node, "args", None)
    params = {a.id for a in list(getattr(args, "posonlyargs", []) or []) + list(getattr(args, "args", []) or [])
              + list(getattr(args, "kwonlyargs", []) or []) if isinstance(a, gast.Name)}
    if isinstance(call.func, gast.Attribute) and isinstance(call.func.value, gast.Name) \
            and call.func.value.id in carried:
        name = call.func.value.id
        base = name[:-1] if name.endswith("_") and name[:-1] in params else name   # (a renamed parameter)
        if base in params and base != getattr(ctx, "self_name", None):
            return base
    return None


def _object_parameter(what, stmt, ctx):
    """The parameter name ``p`` when ``what`` is a method s2s has no rule for, called as ``p.method(...)`` on
    a parameter of the differentiated function (an object of the user's passed in), else None."""
    if not what.startswith("method ."):
        return None
    method = what[len("method ."):].rstrip("()")
    node = getattr(ctx, "node", None)
    args = getattr(node, "args", None)
    params = {a.id for a in list(getattr(args, "posonlyargs", []) or []) + list(getattr(args, "args", []) or [])
              + list(getattr(args, "kwonlyargs", []) or []) if isinstance(a, gast.Name)}
    for n in astutil.walk_bfs(stmt):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr == method \
                and isinstance(n.func.value, gast.Name):
            name = n.func.value.id
            base = name[:-1] if name.endswith("_") and name[:-1] in params else name   # (a renamed parameter)
            if base in params and base != getattr(ctx, "self_name", None):
                return base
    return None


def fill_rule(key, what, var, args, kws, stmt, ctx, mode, carries, active, grad_name, namer, ns, call=None,
              sequences=()):
    """(binding, items) of ``key``'s rule filled in for ``var = key(*args, **kws)``: ``binding`` maps the
    template's parameters to argument nodes (the result first), ``items`` are instantiate's
    ``("stmt", s)`` / ``("grad", param, expr)``. None when ``key`` is declared non-differentiable.

    ``carries(node)``: whether an argument carries a derivative (a rule without the derivative for its
    parameter refuses it); ``active``: the names carrying one; ``grad_name(param)``: the derivative
    node the template's ``d[param]`` reads, given the binding; ``call``: the call node, for a refusal naming
    the function; ``sequences``: the names holding a list or tuple the caller passed (sequence_names), which a
    NumPy function's rule reads as the array NumPy makes of it (``p >= 0.7`` in np.maximum's rule)."""
    template = lookup(key, mode)
    if template is None:
        if key is not None and registry.is_nondiff(key):
            return None
        missing_rule(key, what, stmt, ctx, mode, call)
    binding = bind_call(template, _name(var), args, kws, lambda m: ctx.error(stmt, m))
    for p, why in registry.lookup_no_derivative(key).items():
        if isinstance(binding.get(p), gast.AST) and carries(binding[p]):
            raise ctx.error(stmt, f"s2s has no derivative of {what} with respect to `{p}`: {why}.",
                            f"Pass a constant for `{p}` (or wrap it in s2s.stop_gradient).")
    word = "derivative" if mode == "forward" else "gradient"
    check_undifferentiated(template, "tangent" if mode == "forward" else "adjoint", binding, active, what, stmt, ctx,
                           word)
    values = binding
    if sequences and numpy_function(key):
        values = {p: _as_array(v, ns) if i and isinstance(v, gast.Name) and v.id in sequences else v
                  for i, (p, v) in enumerate(binding.items())}
    items = instantiate(template, values, lambda p: grad_name(p, binding), namer, ns)
    if not (getattr(template, "__module__", "") or "").startswith(("templates", "s2s.")):
        items = _checked_shapes(items, template, binding, var, mode, key, ns)   # a user's rule
    return binding, items


def numpy_function(key):
    """Whether ``key`` is a ufunc or a function of NumPy's (which reads a list argument as an array)."""
    return isinstance(key, np.ufunc) or (getattr(key, "__module__", None) or "").split(".")[0] == "numpy"


def _as_array(node, ns):
    from .rule_helpers import number_array   # a list of numbers as NumPy's array; a list of arrays as it is
    return gast.Call(func=_name(ns.ref("number_array", number_array)), args=[_name(node.id)], keywords=[])


def sequence_names(fn, ctx, resolve):
    """The parameters pinned as lists or tuples (signature.SEQUENCE) and the names bound to a slice or copy of
    one (``q = p[1:]``, ``q = list(p)``) in the core function ``fn``."""
    seqs = set(getattr(ctx, "param_sequences", ()))
    grown = bool(seqs)
    while grown:
        grown = False
        for n in astutil.walk(fn):
            if not (isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)) \
                    or n.targets[0].id in seqs:
                continue
            v = n.value
            if isinstance(v, gast.Call) and resolve(v.func) in (list, tuple) and len(v.args) == 1:
                v = v.args[0]
            if isinstance(v, gast.Subscript) and isinstance(v.slice, gast.Slice):
                v = v.value
            if isinstance(v, gast.Name) and v.id in seqs:
                seqs.add(n.targets[0].id)
                grown = True
    return frozenset(seqs)


def _checked_shapes(items, template, binding, var, mode, key, ns):
    """A user's rule's ``d[...]`` checked at run time to have the shape of its value (rule_helpers.rule_grad):
    each argument's gradient in reverse mode, the result's tangent in forward mode."""
    from .rule_helpers import rule_grad
    kind = "tangent" if mode == "forward" else "adjoint"
    name = getattr(key, "__name__", "user")   # (a ufunc's name may be 'sinh (vectorized)')
    rule = ns.ref(f"{name if str(name).isidentifier() else 'user'}_{kind}", template)
    params = list(binding)
    out = []
    for it in items:
        if it[0] == "grad":
            p = it[1]
            value = _name(var) if mode == "forward" and params and p == params[0] else binding.get(p)
            if isinstance(value, gast.Name):
                check = gast.Call(func=_name(ns.ref("rule_grad", rule_grad)),
                                  args=[it[2], _name(value.id), _name(rule), gast.Constant(value=p, kind=None)],
                                  keywords=[])
                it = ("grad", p, check)
        out.append(it)
    return out


def check_undifferentiated(template, kind, binding, active, what, stmt, ctx, word):
    """Refuse a value carrying a derivative bound to a parameter the rule does not differentiate
    (``np.einsum(a, [0, 1], b, [1, 2])``: ``a`` lands in ``subscripts``)."""
    undiff, zero = registry.rule_params(template, kind)
    params = list(binding)
    if what.startswith("method .") and len(params) > 1:
        # x.sum(t) with a receiver that carries no derivative and t landing in a constant parameter (axis,
        # shape, ...): x is not an array (a namespace passed in, xp.sum(t)); the derivative would be lost
        receiver = binding[params[1]]
        if not (isinstance(receiver, gast.Name) and receiver.id in active):
            for p in params[2:]:
                node = binding[p]
                hit = sorted(e.id for e in (node.elts if isinstance(node, gast.Tuple) else [node])
                             if isinstance(e, gast.Name) and e.id in active)
                if p in zero and hit:
                    obj = source(receiver) if isinstance(receiver, gast.AST) else "the receiver"
                    raise ctx.error(stmt, f"s2s reads this call as the array {what} of `{obj}`, and the argument "
                                    f"for its parameter `{p}` carries a {word}, which that parameter does not take; "
                                    f"`{obj}` is probably not an array (a module or an array namespace passed in as a "
                                    "value).",
                                    f"Call the NumPy function directly (np.{what[len('method .'):-2]}), or bind the "
                                    f"namespace once in this function (`{obj} = array_namespace(x)`).")
    for p in undiff:
        node = binding.get(p)
        elts = node.elts if isinstance(node, gast.Tuple) else [node]
        hit = sorted(e.id for e in elts if isinstance(e, gast.Name) and e.id in active)
        if hit:
            raise ctx.error(stmt, f"`{effect_checks.shown(hit, ctx)}` carries a {word} into the parameter `{p}` of "
                            f"{what}, which its derivative rule does not differentiate.",
                            f"Pass a constant as `{p}`, or register a rule that differentiates it "
                            f"(@s2s.{kind} assigning d[{p}]).")


def opaque_error(value, stmt, ctx, what):
    """The refusal for ``np.r_[x, y]`` and other objects whose indexing s2s does not know."""
    text = source(value.value)
    return ctx.error(stmt, f"s2s does not know how `{text}[...]` uses its index, and the index carries a {what} here "
                     f"(`{text}` is not an array, list, tuple or dict; its `__getitem__` computes with the values).",
                     "Use np.concatenate / np.stack / np.column_stack instead, or wrap the expression in a function "
                     "with an @s2s.adjoint rule.")


def describe(obj):
    """How messages name a callee (```numpy.exp```)."""
    special = guards.describe_callable(obj)
    if special:
        return special
    mod = getattr(obj, "__module__", None) or _ufunc_module(obj)
    if isinstance(obj, tuple) and len(obj) == 2:
        return f"`.{obj[1]}`"
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"`{mod}.{name}`" if mod else f"`{name}`"


def source(node):
    from .codegen import expr_source
    return expr_source(node)


def _ufunc_module(obj):
    """The module a ufunc (whose ``__module__`` is None) comes from: numpy's own, or scipy.special's."""
    if type(obj).__name__ != "ufunc":
        return None
    name = getattr(obj, "__name__", None)
    if getattr(np, name or "", None) is obj:
        return "numpy"
    special = sys.modules.get("scipy.special")
    return "scipy.special" if special is not None and getattr(special, name or "", None) is obj else None


def short(obj):
    """How a user would spell ``obj`` in an @s2s.tangent(...) hint."""
    name = getattr(obj, "__name__", "fn")
    mod = getattr(obj, "__module__", "") or _ufunc_module(obj) or ""
    if mod.startswith("numpy"):
        return "np." + name
    return f"{mod}.{name}" if mod == "scipy.special" else name


def compile_callee(compile_helper, fn, active, self_type, s, ctx):
    """``compile_helper(fn, active, self_type)`` for the call of a user function at ``s``; a refusal inside
    the callee names the call site in this function first, then the callee's line (as a traceback lists
    its frames), and is located at the call (a call in an ``if`` branch that never runs refuses lazily)."""
    from .errors import DifferentiationError, where
    try:
        return compile_helper(fn, active, self_type)
    except DifferentiationError as e:
        here = where(s, ctx)
        if not here or str(e).startswith(here):
            raise
        new = DifferentiationError(here + "\n" + str(e))
        new.s2s_where = (getattr(getattr(ctx, "fn", None), "__code__", None), getattr(s, "lineno", None))
        raise new.with_traceback(e.__traceback__) from None

