"""The reverse transform's calls: a rule's adjoint, a user function's split pair, a callee known at run time.

``calls.classify`` (s2s/calls.py) says which kind of call a statement makes; these methods write its
forward-sweep and backward-sweep code in reverse mode:

- a rule (``call_template``): the @adjoint template filled in by ``calls.fill_rule``, each gradient
  added to its argument's adjoint;
- a user function called with arguments that carry a gradient (``split_call`` / ``user_call``):
  ``y, h_res = h_fwd(a, b)`` in the forward sweep, ``dh = h_bwd(h_res, dy)`` in the backward sweep;
- a callee known only at run time (``dynamic_call`` / ``dynamic_adjoint``): ``y, fn_back = pullback(fn, a, b)``.
"""
import gast

from . import analyze, astutil, calls, typed_params
from .anno import setanno
from .coreform import _name
from .transform_util import _assign, _attr, _call, _drop_unbroadcast, _elementwise, _is_number, _mark


class ReverseCalls:
    """Call handling of ``Reverse`` (a mixin: the state lives on the transform)."""

    def dynamic_call(self, s):
        """Forward sweep of ``y = fn(a, b)`` with a callee known only at run time: ``y, fn_back = pullback(fn, a, b)``;
        the backward sweep calls ``fn_back(dy)`` (one gradient per argument). None when not such a call."""
        var, call = s.targets[0].id, s.value
        if var not in self.active or not isinstance(call, gast.Call):
            return None
        star = calls.star_tail(call, self.active)   # model(w, *args): bound when it runs
        if not star and (any(isinstance(a, gast.Starred) for a in call.args)
                         or any(k.arg is None for k in call.keywords)):
            return None
        from .pullback import dynamic_method
        unsure = not star and isinstance(call.func, gast.Attribute) \
            and calls.unsure_receiver(call, self.ctx, self.active, self.fn,
                                      self.facts.known_arrays)   # xp.mean(t): xp may be a module
        if not (star or calls.is_dynamic(call, self.ctx) or dynamic_method(call, self.ctx) or unsure):
            return None   # (dynamic_method: layer.forward(x) on an object of a class known only at run time)
        args = list(call.args) + [k.value for k in call.keywords]
        active = [i for i, a in enumerate(args) if isinstance(a, gast.Name) and a.id in self.active]
        carried_ = analyze.names_in(call.func) & self.varied
        if not active and calls.carried_receiver(call, carried_, self.fn, self.ctx, unsure) is None:
            return None   # (layer.forward(x) with only the layer differentiated: its pullback_self)
        carried = analyze.names_in(call.func) & self.varied
        if carried and not unsure and calls.object_receiver(call, self.ctx, carried) is not None \
                and not calls.typed_field_call(call, self.ctx):   # model.forward(X), model wrt
            raise calls.object_method(self.ctx, s, calls.object_receiver(call, self.ctx, carried), call.func.attr)
        own = calls.carried_receiver(call, carried, self.fn, self.ctx, unsure)   # layer.forward(x), layer wrt
        if carried and own is None:
            raise calls.carried_callee(self.ctx, s, call, carried, "gradient")
        if own:   # its gradient is a record's: added with add_grad where it is an element (also under the
            self.receivers |= _copied_from(self.fn, own)   # names it was copied from: `l = t_2; t_2 = layers[k]`)
        if unsure:   # a.dot(b) dispatched on a user's vector: b may be one too (its gradient: the record's)
            for i in active:
                self.receivers |= _copied_from(self.fn, args[i].id)
        label = call.func.attr if isinstance(call.func, gast.Attribute) else call.func.id
        back = self.namer.name(label.strip("_") + "_back")
        self.split[id(s)] = (back, None, bool(self.loop_depth), active, own)
        from . import pullback as pb
        fn = ("pullback_self", pb.pullback_self) if own else ("pullback", pb.pullback)
        target = gast.Tuple(elts=[_name(var, gast.Store()), _name(back, gast.Store())], ctx=gast.Store())
        head = [astutil.clone(call.func)]
        if own:   # pullback_self(layer, "forward", x): the object, and the method's (or field's) name
            head = [_name(own), gast.Constant(value=call.func.attr if isinstance(call.func, gast.Attribute) else None,
                                              kind=None)]
        value = gast.Call(func=_name(self.ns.ref(*fn)),
                          args=head + [astutil.clone(a) for a in call.args],
                          keywords=[gast.keyword(arg=k.arg, value=astutil.clone(k.value)) for k in call.keywords])
        setanno(value, "split", (astutil.clone(call.func), "pullback_self" if own else "pullback"))
        out = [_assign(target, value)]
        if self.loop_depth:
            out.append(_mark(gast.Expr(value=_call(_attr(self.stack_name(), "append"), _name(back))), back))
        return out

    def dynamic_adjoint(self, var, call, stmt):
        back, _, _, active, own = self.split[id(stmt)]
        args = list(call.args) + [k.value for k in call.keywords]
        if own:   # pullback_self: the object's gradient comes first
            args, active = [_name(own)] + args, [0] + [i + 1 for i in active]
        label = call.func.attr if isinstance(call.func, gast.Attribute) else call.func.id
        g = self.grad_names.get(id(stmt))
        if g is None:
            g = self.grad_names[id(stmt)] = self.namer.name("d" + label.strip("_"))
        out = [_assign(g, _call(_name(back), self.dref(var)))]
        for i in active:
            part = gast.Subscript(value=_name(g), slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
            out += self.accumulate(args[i].id, part, container=True)
        return out

    def call_adjoint(self, var, call, stmt):
        info = self.split.get(id(stmt))
        if info is not None and info[1] is None:   # (also model(w, *args): calls.star_tail)
            return self.dynamic_adjoint(var, call, stmt)
        if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise calls.refuse_starred(self.ctx, stmt, "gradient")
        kind = calls.classify(call, self.ctx, self.facts)
        if isinstance(kind, calls.UserCall):
            kws = {k.arg: k.value for k in call.keywords}
            return self.user_call(var, kind.fn, call, kws, stmt, receiver=kind.receiver, self_type=kind.self_type)
        if isinstance(kind, calls.NonDiff):
            return []
        if isinstance(kind, calls.RuleCall):
            return self.call_template(var, kind.key, kind.args, kind.kws, stmt, kind.what, kind.call)
        raise calls.unknown_callee(self.ctx, stmt)

    def call_template(self, var, key, args, kws, stmt, what, call=None):
        """The adjoint statements of ``var = key(*args, **kws)`` from key's @adjoint rule (s2s/calls.py)."""
        def carries(node):
            return isinstance(node, gast.Name) and node.id in self.active

        def grad_name(p, binding):
            if p == next(iter(binding)):   # the result
                return self.dref(var)
            node = binding[p]
            if isinstance(node, gast.Name):
                return self.dref(node.id)
            if isinstance(node, gast.Tuple):
                return gast.Tuple(elts=[self.dref(e.id) if isinstance(e, gast.Name)
                                        else gast.Constant(value=0.0, kind=None) for e in node.elts], ctx=gast.Load())
            raise self.ctx.error(stmt, f"the rule for {what} reads the gradient of a non-variable argument")

        seqs = self.__dict__.get("_sequences")
        if seqs is None:   # lists the caller passed (pinned), read by NumPy as arrays (calls.sequence_names)
            seqs = self._sequences = calls.sequence_names(self.fn, self.ctx, self.ns.resolve)
        filled = calls.fill_rule(key, what, var, args, kws, stmt, self.ctx, "reverse", carries, self.active,
                                 grad_name, self.namer, self.ns, call, seqs)
        if filled is None:
            return []
        binding, items = filled
        params = [p for p in binding]
        out = []
        for item in items:
            if item[0] == "stmt":
                out.append(item[1])
                continue
            _, p, expr = item
            node = binding.get(p)
            if isinstance(node, gast.Tuple):   # d[operands] for a *operands parameter: one part per argument
                parts = [e for e in node.elts if isinstance(e, gast.Name) and e.id in self.active]
                if not parts:
                    continue
                g = self.namer.name("d" + p)
                out.append(_assign(g, expr))
                for i, e in enumerate(node.elts):
                    if isinstance(e, gast.Name) and e.id in self.active:
                        part = gast.Subscript(value=_name(g), slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
                        out += self.accumulate(e.id, part)
                continue
            if not isinstance(node, gast.Name) or node.id not in self.active:
                continue
            others = [binding[q] for q in params[1:] if q != p and isinstance(binding[q], gast.AST)]
            if others and _elementwise(key) \
                    and all(_is_number(o) or (isinstance(o, gast.Name) and o.id == node.id) for o in others) \
                    or (node.id in self.scalars and var in self.scalars) \
                    or (var in self.must_scalar and _elementwise(key)):   # a scalar result: its operands were scalars
                expr = _drop_unbroadcast(expr, node.id)   # shapes provably match
            if node.id in self.facts.numbers and var in self.scalars and not (var in self.facts.numbers and all(
                    _is_number(o) or isinstance(o, gast.Name) and o.id in self.facts.numbers for o in others)):
                # a NumPy scalar (np.tanh(y) of a float y) feeding a Python float's adjoint: a float again, so
                # the adjoints of the Python floats stay Python floats (NumPy scalar arithmetic is 5x slower)
                expr = _call(_name(self.ns.ref("float", float)), expr)
            out += self.accumulate(node.id, expr)
        return out

    def bind_user_call(self, fn, call, kws, stmt, receiver=None):
        """(positional argument nodes, bound arguments, active parameter names) of a call of user function fn."""
        import inspect
        pos = ([receiver] if receiver is not None else []) + list(call.args)
        try:
            sig = inspect.signature(fn)
            bound = sig.bind(*pos, **kws)
        except (TypeError, ValueError) as e:
            raise self.ctx.error(stmt, f"cannot match this call to {fn.__name__}'s parameters ({e}).")
        def carries(v):   # a name, or the tuple/dict of names bound to *args/**kwargs
            packed = v.values() if isinstance(v, dict) else v if isinstance(v, tuple) else (v,)
            return any(isinstance(e, gast.Name) and e.id in self.active for e in packed)
        active = [p for p, v in bound.arguments.items() if carries(v)]
        return pos, bound, active

    def split_call(self, s):
        """Forward sweep of ``y = h(a, b)``, h a user function called with arguments that carry a gradient:
        ``y, h_res = h_fwd(a, b)`` (split mode). h's forward half runs its primal once and returns
        what its backward half needs; the backward sweep calls ``h_bwd(h_res, dy)`` (see user_call).
        Inside loops, h_res is pushed on the stack after the call and popped before the backward call.
        Returns the forward statements, or None when the statement is not such a call."""
        var, call = s.targets[0].id, s.value
        if var not in self.active or not isinstance(call, gast.Call) \
                or any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        user = calls.user_callee(call, self.ctx, self.facts)
        if user is None:
            return None
        fn, receiver, self_type = user.fn, user.receiver, user.self_type
        kws = {k.arg: k.value for k in call.keywords}
        pos, bound, active = self.bind_user_call(fn, call, kws, s, receiver)
        if not active:
            return None
        # the halves generated for the arguments known to be scalars here (s2s/signature.py)
        # ("number": a Python int or float, never a NumPy scalar)
        sig = tuple((p, "number" if v.id in self.facts.numbers else "scalar") for p, v in bound.arguments.items()
                    if isinstance(v, gast.Name) and v.id in self.scalars)
        sig += typed_params.loader_args(bound, self.ctx)   # for xb in loader, loader a data loader
        sig += tuple(e for e in typed_params.method_args(fn, bound, self.ctx, self.facts.local_types)
                     if e not in sig)   # v.dot(w) in the callee, v of a class of the user's known here
        fwd_name, bwd_name = calls.compile_callee(lambda f, a, st: self.compile_helper(f, a, st, sig), fn,
                                                  tuple(active), self_type, s, self.ctx)
        from .split import label
        res = self.namer.name(label(fn) + "_res")
        self.split[id(s)] = (res, bwd_name, bool(self.loop_depth), None)
        target = gast.Tuple(elts=[_name(var, gast.Store()), _name(res, gast.Store())], ctx=gast.Store())
        value = gast.Call(func=_name(fwd_name), args=[astutil.clone(a) for a in pos],
                          keywords=[gast.keyword(arg=k, value=astutil.clone(v)) for k, v in kws.items()])
        # to undo, if unused
        setanno(value, "split", (astutil.clone(call.func), "method" if receiver is not None else "plain"))
        out = [_assign(target, value)]
        if self.loop_depth:
            out.append(_mark(gast.Expr(value=_call(_attr(self.stack_name(), "append"), _name(res))), res))
        return out

    def user_call(self, var, fn, call, kws, stmt, receiver=None, self_type=None):
        info = self.split.get(id(stmt))
        if info is None:   # no argument carries a gradient (split_call made the same decision)
            pos, bound, active = self.bind_user_call(fn, call, kws, stmt, receiver)
            assert not active, "a call with active arguments that the forward sweep did not split"
            return []
        res, bwd_name = info[:2]
        pos, bound, active = self.bind_user_call(fn, call, kws, stmt, receiver)
        g = self.grad_names.get(id(stmt))   # one name however often a loop's backward body is rebuilt
        if g is None:
            from .split import label
            g = self.grad_names[id(stmt)] = self.namer.name("d" + label(fn))
        out = [_assign(g, gast.Call(func=_name(bwd_name), args=[_name(res), self.dref(var)], keywords=[]))]
        for i, p in enumerate(active):
            part = _name(g) if len(active) == 1 \
                else gast.Subscript(value=_name(g), slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
            v = bound.arguments[p]
            if isinstance(v, (tuple, dict)):   # *args / **kwargs: the callee's gradient is a tuple / dict of parts
                for key, e in (v.items() if isinstance(v, dict) else enumerate(v)):
                    if isinstance(e, gast.Name) and e.id in self.active:
                        out += self.accumulate(e.id, gast.Subscript(value=astutil.clone(part), slice=gast.Constant(
                            value=key, kind=None), ctx=gast.Load()), container=True)
                continue
            out += self.accumulate(v.id, part, container=v.id not in self.scalars)
        return out

    def restore_split(self, s):
        """Backward sweep, before a split call's adjoint: pop its residuals saved inside a loop."""
        info = self.split.get(id(s))
        if info is None or not info[2]:
            return []
        res = info[0]
        return [_mark(_assign(res, _call(_attr(self.stack_name(), "pop"))), res)]


def _copied_from(fn, name):
    """``name`` and the names it was bound to by plain copies (``name = other``), transitively."""
    out, todo = {name}, [name]
    copies = [(n.targets[0].id, n.value.id) for n in astutil.walk(fn) if isinstance(n, gast.Assign)
              and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) and isinstance(n.value, gast.Name)]
    while todo:
        cur = todo.pop()
        for t, v in copies:
            if t == cur and v not in out:
                out.add(v)
                todo.append(v)
    return out
