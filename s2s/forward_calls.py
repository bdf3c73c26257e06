"""Forward mode's calls: a rule's tangent, a user function's value-and-tangent function, a callee known
at run time.

``calls.classify`` (s2s/calls.py) says which kind of call a statement makes; these methods write its
tangent in forward mode:

- a rule (``template``): the @tangent template filled in by ``calls.fill_rule``, its zero tangents folded;
- a user function called with arguments that carry a derivative (``user_call``): ``z, dz = f_jvp(args...,
  dargs...)``, the callee's generated forward function;
- a callee known only at run time (``dynamic_call``): ``y, dy = pushforward(fn, (a, b), (da, 0.0))``.
"""
import copy
import inspect
import re

import gast

from . import analyze, calls, effects, registry, typed_params
from .anno import setanno
from .rule_helpers import number_array
from .coreform import _name
from .optimize.zeros import _const, fold_zero_tangents, is_zero
from .transform_util import _assign, _call


class ForwardCalls:
    """Call handling of ``Forward`` (a mixin: the state lives on the transform)."""

    def packed(self, args, keywords):
        """``(a, b, *rest)``, the tangents of the arguments before the first ``*`` (``(da, 0.0)``) and, for
        keywords, ``[{"k": v, **kw}, {"k": dv}]``: the arguments of ``pushforward`` and its kin."""
        stars = [i for i, a in enumerate(args) if isinstance(a, gast.Starred)]
        lead = args[:stars[0]] if stars else args
        values = gast.Tuple(elts=[copy.deepcopy(a) for a in args], ctx=gast.Load())
        tans = gast.Tuple(elts=[self.tangent_of(a) for a in lead], ctx=gast.Load())
        if not keywords:
            return values, tans, []
        named = [k for k in keywords if k.arg is not None]
        keys = [gast.Constant(value=k.arg, kind=None) if k.arg is not None else None for k in keywords]
        return values, tans, [gast.Dict(keys=keys, values=[copy.deepcopy(k.value) for k in keywords]),
                              gast.Dict(keys=[gast.Constant(value=k.arg, kind=None) for k in named],
                                        values=[self.tangent_of(k.value) for k in named])]

    def call(self, var, call, s):
        if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise calls.refuse_starred(self.ctx, s, "derivative")
        kind = calls.classify(call, self.ctx, self.facts)
        if isinstance(kind, calls.NonDiff):   # (stop_gradient's tangent rule gives its zero)
            return self.template(var, kind.key, list(call.args), {k.arg: k.value for k in call.keywords}, s,
                                 calls.describe(kind.key), call)
        if isinstance(kind, calls.RuleCall):
            return self.template(var, kind.key, kind.args, kind.kws, s, kind.what, call)
        raise calls.unknown_callee(self.ctx, s)   # (user_call and dynamic_call took the others)

    def dynamic_call(self, var, call, s):
        """``y, dy = pushforward(fn, (a, b), (da, 0.0))`` for a callee known only at run time (s2s/pushforward.py);
        None for any other call."""
        from . import pushforward as pf
        from .pullback import dynamic_method
        live = self.active - set(self.zero)
        star = calls.star_tail(call, live)   # model(w, *args): bound when it runs
        unsure = not star and isinstance(call.func, gast.Attribute) \
            and calls.unsure_receiver(call, self.ctx, live, self.fn,
                                      self.facts.known_arrays)   # xp.mean(t): xp may be a module
        if not (star or calls.is_dynamic(call, self.ctx) or dynamic_method(call, self.ctx) or unsure) \
                or not star and (any(isinstance(a, gast.Starred) for a in call.args)
                                 or any(k.arg is None for k in call.keywords)):
            return None
        if isinstance(call.func, gast.Name) and call.func.id in self.backs():   # fn_back(dy): s2s/pullback_dual.py
            live = live - {call.func.id}
            from . import pullback_dual as pd
            if len(call.args) != 1 or call.keywords:
                raise calls.unknown_callee(self.ctx, s)
            value = _call(_name(self.ns.ref("pushforward_back", pd.pushforward_back)), copy.deepcopy(call.func),
                          copy.deepcopy(call.args[0]), self.tangent_of(call.args[0]))
            self.zero.pop(var, None)
            target = gast.Tuple(elts=[_name(var, gast.Store()), self.dref(var, gast.Store())], ctx=gast.Store())
            return [gast.copy_location(_assign(target, value), s)]
        carried = analyze.names_in(call.func) & live
        if carried and not unsure and calls.object_receiver(call, self.ctx, carried) is not None \
                and not calls.typed_field_call(call, self.ctx):   # model.forward(X), model wrt
            raise calls.object_method(self.ctx, s, calls.object_receiver(call, self.ctx, carried), call.func.attr)
        own = calls.carried_receiver(call, carried, self.fn, self.ctx, unsure)   # layer.forward(x), layer wrt
        if carried and own is None:
            raise calls.carried_callee(self.ctx, s, call, carried, "derivative")
        if not own and not any(isinstance(a, gast.Name) and a.id in live
                               for a in list(call.args) + [k.value for k in call.keywords]):
            return [s] + self.set_zero(var, call)
        args, tans, extra = self.packed(call.args, call.keywords)
        if own:
            attr = call.func.attr if isinstance(call.func, gast.Attribute) else None
            value = _call(_name(self.ns.ref("pushforward_self", pf.pushforward_self)), _name(own),
                          gast.Constant(value=attr, kind=None), self.tangent_of(_name(own)), args, tans, *extra)
        else:
            value = _call(_name(self.ns.ref("pushforward", pf.pushforward)), copy.deepcopy(call.func), args, tans,
                          *extra)
        self.zero.pop(var, None)
        target = gast.Tuple(elts=[_name(var, gast.Store()), self.dref(var, gast.Store())], ctx=gast.Store())
        return [gast.copy_location(_assign(target, value), s)]

    def pullback_call(self, var, call, s):
        """Forward mode over a gradient (hvp) meeting ``var = pullback(fn, a, b)`` (``pullback_self(obj, name,
        a)``): ``var, dvar = pushforward_pullback(fn, (a, b), (da, 0.0))``, the pair (value, ``DualBack``) and its
        tangent (s2s/pullback_dual.py); None for any other statement. Written whether or not the arguments carry
        a tangent: ``back(dy)`` has one whenever ``dy`` has."""
        from . import pullback as pb
        from . import pullback_dual as pd
        kind, key = analyze.callee(call, self.ctx)
        if kind != "global" or key not in (pb.pullback, pb.pullback_self):
            return None
        front = 1 if key is pb.pullback else 2
        args, tans, extra = self.packed(call.args[front:], call.keywords)   # (model, w, *args: reverse_calls)
        head = [copy.deepcopy(a) for a in call.args[:front]]
        if key is pb.pullback:
            value = _call(_name(self.ns.ref("pushforward_pullback", pd.pushforward_pullback)), *head, args, tans,
                          *extra)
        else:
            value = _call(_name(self.ns.ref("pushforward_pullback_self", pd.pushforward_pullback_self)), *head,
                          self.tangent_of(call.args[0]), args, tans, *extra)
        if var not in self.active:
            return [gast.copy_location(_assign(_name(var, gast.Store()), gast.Subscript(
                value=value, slice=gast.Constant(value=0, kind=None), ctx=gast.Load())), s)]
        self.zero.pop(var, None)
        target = gast.Tuple(elts=[_name(var, gast.Store()), self.dref(var, gast.Store())], ctx=gast.Store())
        return [gast.copy_location(_assign(target, value), s)]

    def backs(self):
        """The names the gradient being differentiated binds a pullback's backward half to (``y, fn_back =
        pullback(fn, x)``, or unpacked from a split forward half's residuals, ``fn_back_1``): calling one
        (``fn_back(dy)``) is ``pushforward_back``, checked when it runs (s2s/pullback_dual.py)."""
        if getattr(self, "_backs", None) is None:
            from . import pullback as pb
            self._backs = {n.targets[0].elts[1].id for n in gast.walk(self.ctx.node)
                           if isinstance(n, gast.Assign) and isinstance(n.value, gast.Call)
                           and isinstance(n.targets[0], gast.Tuple) and len(n.targets[0].elts) == 2
                           and isinstance(n.targets[0].elts[1], gast.Name)
                           and analyze.callee(n.value, self.ctx) in (("global", pb.pullback),
                                                                    ("global", pb.pullback_self))}
            if getattr(self.ctx.fn, "s2s_generated", False):   # a split backward half: from its residuals
                self._backs |= {n.id for n in gast.walk(self.ctx.node)
                                if isinstance(n, gast.Name) and re.fullmatch(r"\w+_back(_\d+)?", n.id)}
        return self._backs

    def sequence_names(self):
        """The parameters pinned as lists or tuples and the names bound to a slice or copy of one
        (calls.sequence_names, computed once): their tangents are lists."""
        seqs = self.__dict__.get("_sequences")
        if seqs is None:
            seqs = self._sequences = calls.sequence_names(self.fn, self.ctx, self.resolve)
        return seqs

    def template(self, var, key, args, kws, s, what, value):
        """The tangent statements of ``var = key(*args, **kws)`` from key's @tangent rule (s2s/calls.py)."""
        def carries(node):
            return not is_zero(self.tangent_of(node))

        def mark(t):
            setanno(t, "zero_tangent" if is_zero(t) else "tangent")
            return t

        def grad_name(p, binding):
            if p == next(iter(binding)):
                raise self.ctx.error(s, f"the tangent rule for {what} reads the tangent of its own result")
            node = binding.get(p)
            if isinstance(node, gast.Tuple):   # *args: the tuple of the arguments' tangents
                ts = [mark(self.tangent_of(e)) for e in node.elts]
                return mark(_const(0)) if all(is_zero(t) for t in ts) else gast.Tuple(elts=ts, ctx=gast.Load())
            t = mark(self.tangent_of(node) if isinstance(node, gast.AST) else _const(0))
            if numpy_fn and isinstance(node, gast.Name) and node.id in sequences and not is_zero(t):
                # np.add(p, q), p a list: NumPy reads it as an array, and so is its tangent (a list, whose
                # + would concatenate and * repeat)
                t = mark(gast.Call(func=_name(self.ns.ref("number_array", number_array)), args=[t], keywords=[]))
            return t

        sequences = self.sequence_names()
        numpy_fn = bool(sequences) and calls.numpy_function(key)
        filled = calls.fill_rule(key, what, var, args, kws, s, self.ctx, "forward", carries,
                                 self.active - set(self.zero), grad_name, self.namer, self.ns,
                                 value if isinstance(value, gast.Call) else None, sequences)
        if filled is None:
            return self.set_zero(var, value)
        binding, items = filled
        result_param = next(iter(binding))
        out = []
        expr = None
        for item in items:
            if item[0] == "stmt":
                out.append(item[1])
            elif item[1] == result_param:
                expr = item[2]
        if expr is None:
            raise self.ctx.error(s, f"the tangent rule for {what} does not assign d[{result_param}]")
        expr = fold_zero_tangents(expr)
        unread = frozenset().union(*registry.rule_params(calls.lookup(key, "forward"), "tangent"))
        return out + self.assign_expr(var, self.finish(var, expr, value, binding, unread), value)

    def user_call(self, var, call, s):
        """``z, dz = f_jvp(args..., dargs...)`` for a user function with active arguments, else None.

        User functions are plain functions with source, methods of the class
        being differentiated (``self.helper(x)``) and methods of global
        objects (``layer.forward(x)``).
        """
        user = calls.user_callee(call, self.ctx, self.facts)
        if user is None:
            return None
        fn, receiver, self_type = user.fn, user.receiver, user.self_type
        fn = fn.s2s_target() if getattr(fn, "s2s_target", None) is not None else fn   # a recursion trampoline's target
        live = self.active - set(self.zero)
        if (any(isinstance(a, gast.Starred) and analyze.names_in(a) & live for a in call.args)
                or any(k.arg is None and analyze.names_in(k.value) & live for k in call.keywords)):
            # h(*args) with args carrying a derivative: which parameter each lands in is known only at
            # run time (binding the Starred node would leave it inactive: a zero tangent)
            raise calls.refuse_starred(self.ctx, s, "derivative")
        pos = ([receiver] if receiver is not None else []) + list(call.args)
        kws = {k.arg: k.value for k in call.keywords if k.arg is not None}
        try:
            sig = inspect.signature(fn)
            bound = sig.bind(*pos, **kws)
        except (TypeError, ValueError) as e:
            raise self.ctx.error(s, f"cannot match this call to {fn.__name__}'s parameters ({e}).")
        live = self.active - set(self.zero)

        def carries(v):   # a name, or the tuple/dict of names bound to *args/**kwargs
            packed = v.values() if isinstance(v, dict) else v if isinstance(v, tuple) else (v,)
            return any(isinstance(e, gast.Name) and e.id in live for e in packed)

        def tangent(v):   # *args / **kwargs: the tuple / dict of the arguments' tangents (0.0 for the others)
            if isinstance(v, tuple):
                return gast.Tuple(elts=[self.tangent_of(e) if isinstance(e, gast.Name) and e.id in live
                                        else _const(0.0) for e in v], ctx=gast.Load())
            if isinstance(v, dict):
                return gast.Dict(keys=[gast.Constant(value=k, kind=None) for k in v],
                                 values=[tangent((e,)).elts[0] for e in v.values()])
            return self.dref(v.id)
        active = [p for p, v in bound.arguments.items() if carries(v)]
        if not active:
            return [s] + self.set_zero(var, call)
        sig = typed_params.loader_args(bound, self.ctx)   # for xb in loader, loader a data loader
        sig += tuple(e for e in typed_params.method_args(fn, bound, self.ctx, getattr(self, "local_types", None))
                     if e not in sig)   # v.dot(w) in the callee, v of a class of the user's known here
        name, tparams = calls.compile_callee(lambda f, a, st: self.compile_helper(f, a, st, sig), fn, tuple(active),
                                             self_type, s, self.ctx)
        keywords = [gast.keyword(arg=k.arg, value=k.value) for k in call.keywords]
        keywords += [gast.keyword(arg=tp, value=tangent(bound.arguments[p])) for p, tp in zip(active, tparams)]
        self.zero.pop(var, None)
        target = gast.Tuple(elts=[_name(var, gast.Store()), self.dref(var, gast.Store())], ctx=gast.Store())
        value = gast.Call(func=_name(name), args=copy.deepcopy(pos), keywords=keywords)
        out = [gast.copy_location(_assign(target, value), s)]
        changed = effects.changed_params(fn) & {p for p, v in bound.arguments.items() if isinstance(v, gast.Name)}
        if changed:
            # the generated function works on copies of the arguments it changes; the caller's values
            # (which carry no derivative, or the call was refused) change as in Python: call it for that
            out.append(gast.copy_location(gast.Expr(value=copy.deepcopy(call)), s))
        return out
