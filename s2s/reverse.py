"""Pass 4, reverse mode: core-form primal -> forward sweep + backward sweep.

The forward sweep is the primal, saving values that get overwritten (on a
stack inside loops, in a named slot elsewhere). The backward sweep walks the
statements in reverse, filling in each statement's template. Adjoints are
tracked statically: an adjoint that is not *defined* at a point is zero, so
its first contribution assigns (``dx = ...``) and later ones accumulate
(``dx = dx + ...``); after a statement that binds ``y`` is processed, ``dy``
is undefined again (the earlier ``y`` is a different value). Branches and
loops reconcile the defined sets with explicit zeros only where needed.

``Reverse`` is split by job:

- this module: the driver (``transform``), names, and the forward sweep;
- s2s/savepolicy.py: ``SavePolicy``, the choice of what the forward sweep
  saves and what the backward sweep recomputes (replaceable: ``policy_class``);
- s2s/backward.py: the backward sweep and its adjoint bookkeeping;
- s2s/reverse_calls.py: calls (rules, user functions' split pairs, callees
  known at run time), classified by s2s/calls.py;
- s2s/refusals.py: what the forward sweep refuses, at the user's line.

The facts it reads (activity, scalars, ...) come from the driver (s2s/facts.py).
"""
import gast

from . import aliasing, analyze, astutil, codegen, effect_checks, effects, registry, rule_helpers, runtime
from . import runtime_writes
from .anno import getanno, setanno
from .backward import BackwardSweep
from .coreform import _name
from .jumps import BREAKS, EXIT
from .optimize.aliases import check_method_alias
from .refusals import ReverseRefusals
from .reverse_calls import ReverseCalls
from .savepolicy import SavePolicy
from .transform_util import SAVE, _assign, _call, runtime_like  # noqa: F401


class Reverse(BackwardSweep, ReverseCalls, ReverseRefusals):
    """Reverse-mode transform of one core-form function (see the module docstring)."""

    policy_class = SavePolicy   # store or recompute (checkpointing plugs in here)

    def __init__(self, ctx, fn, namer, ns, facts, compile_helper):
        self.ctx = ctx
        self.fn = fn
        self.namer = namer
        self.ns = ns
        self.facts = facts         # what the driver knows about fn (s2s/facts.py)
        self.wrt = facts.wrt
        self.output = facts.output
        self.compile_helper = compile_helper   # (fn, wrt_names, self_type) -> names of its (forward, backward) halves
        self.split = {}            # id(stmt) -> (residual name, backward half's name, saved on the stack)
        self.grad_names = {}       # id(stmt) -> name of the gradients a backward half returns
        self.active, self.varied = facts.active, facts.varied
        self.overwritten = facts.overwritten
        self.index_vars = facts.index_vars
        self.scalars = facts.scalars
        self.receivers = set()   # objects whose method is called through pullback_self (reverse_calls.py)
        self.facts_sig = facts.sig
        self.must_scalar = facts.must_scalar
        self.adj = {}
        self.defined = set()
        self.owned = set()
        self.placeholder = set()   # adjoints that may still be a bare 0.0
        self.records = set()       # read by field (p.W): the adjoint is built field by field (s2s/records.py)
        self.popped = set()        # lists whose adjoints the backward sweep pops from
        self.complex = facts.complex   # bound to complex values (refused on the gradient's path)
        self.int_names = set()
        self.stack = None
        self.loop_depth = 0
        self.loop_stack = []
        self.assign_count = facts.assign_count
        self.local_types = facts.local_types   # k = Model(...): k's class
        self.backward_reads = set()   # values adjoints may read (set by transform, once activity is known)
        self.policy = self.policy_class(self)   # what the forward sweep saves or the backward sweep recomputes

    # ----- names
    def dname(self, var):
        if var not in self.adj:
            self.adj[var] = self.namer.grad(var)
        return self.adj[var]

    def dref(self, var, ctx=None):
        return _name(self.dname(var), ctx or gast.Load())

    def stack_name(self):
        if self.stack is None:
            self.stack = self.namer.name("stack")
        return _name(self.stack)

    def helper(self, name):
        return _name(self.ns.ref(name, getattr(runtime, name, None) or getattr(runtime_writes, name)))

    # ----- forward sweep
    def forward(self, stmts, assigned):
        out = []
        for s in stmts:
            out.extend(codegen.from_line(self.fwd_stmt(s, assigned), s))
        return out

    def fwd_stmt(self, s, assigned):
        may, must = assigned
        if isinstance(s, (gast.Assign, gast.Expr)):
            self.check_mutating_call(s)
            effect_checks.check_in_place_call(s, self.ctx, self.varied, "gradient")
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name):
            var = s.targets[0].id
            self.check_assign(s, var)
            split = self.split_call(s)
            if split is None:
                split = self.dynamic_call(s)
            if split is not None:
                out = self.policy.save_before(var, s, assigned) + self.policy.save_changed(s) + split
            elif self.loop_depth and self.policy.recompute_in(self.loop_stack[-1], s):
                out = [s]   # cheaper to redo in the backward than to save
            else:
                out = self.policy.save_before(var, s, assigned) + self.policy.save_changed(s) + [s]
            may.add(var)
            must.add(var)
            return out
        self.check_item_write(s)
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript) \
                and isinstance(s.targets[0].value, gast.Name):
            arr = s.targets[0].value.id
            # (an inactive array the backward sweep reads is saved and restored too, and so is one written
            # through another name sharing its memory: b = x; b -= 1 writes b[...] = ...)
            if not aliasing.changed_with({arr}, self.policy._views()) & (self.active | self.backward_reads):
                return [s]
            return self.policy.save_item(s, arr) + [s]
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript):   # xs[t][k] = 1, no gradient
            root = effects._root(s.targets[0])
            if root is None or not aliasing.changed_with({root}, self.policy._views()) & (self.active
                                                                                        | self.backward_reads):
                return [s]
            return self.policy.save_item(s, root) + [s]
        if isinstance(s, gast.If):
            a1 = (set(may), set(must))
            a2 = (set(may), set(must))
            node = gast.If(test=s.test, body=self.forward(s.body, a1) or [gast.Pass()],
                           orelse=self.forward(s.orelse, a2))
            may |= a1[0] | a2[0]
            must |= a1[1] & a2[1]
            return [node]
        if isinstance(s, (gast.For, gast.While)):
            pre = []
            counted = isinstance(s, gast.While) or getanno(s, BREAKS, False)
            if isinstance(s, gast.For):
                var = s.target.id
                self.int_names.add(var)
                pre = self.policy.save_before(var, s, assigned)
            if counted:
                counter = self.facts.counters[id(s)]   # (nested in a loop: overwritten, saved per trip)
                setanno(s, "counter", counter)
                init = _assign(counter, gast.Constant(value=0, kind=None))
                setanno(s, "init", init)
                if self.loop_depth:
                    may.add(counter)
                pre += self.policy.save_before(counter, init, assigned) + [init]
                may.add(counter)
                must.add(counter)
            body_may = may | analyze.stored_names(gast.Module(body=s.body, type_ignores=[]))
            body_must = set(must) | ({s.target.id} if isinstance(s, gast.For) else set())
            self.loop_depth += 1
            self.loop_stack.append(s)
            self.policy.enter_loop(s)
            body = self.forward(s.body, (body_may, body_must))
            self.loop_stack.pop()
            self.loop_depth -= 1
            may |= body_may
            if counted:
                inc = _assign(counter, gast.BinOp(left=_name(counter), op=gast.Add(),
                                                  right=gast.Constant(value=1, kind=None)))
                body = [inc] + body
            if isinstance(s, gast.For):
                may.add(s.target.id)
                return pre + [gast.For(target=s.target, iter=s.iter, body=body, orelse=[], type_comment=None)]
            return pre + [gast.While(test=s.test, body=body, orelse=[])]
        if isinstance(s, gast.Return):
            return []
        if isinstance(s, gast.Break) and getanno(s, EXIT, False):
            return [s]
        if isinstance(s, (gast.Break, gast.Continue)):
            raise self.ctx.error(s, f"`{type(s).__name__.lower()}` is not supported by s2s yet.",
                                 "Use a flag or restructure the loop.")
        if isinstance(s, gast.With):
            if self._grad_of(s) is None:
                raise self.ctx.error(s, "`with` blocks are not supported by s2s (except "
                                     "`with s2s.insert_grad_of(x) as dx:`).")
            return []
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call):
            effect_checks.check_discarded_call(s.value, s, self.ctx, self.varied)
            check_method_alias(s.value, s, self.ctx, self.fn, self.varied, self.__dict__.setdefault("_aliases", {}))
            f = s.value.func
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and f.value.id in self.active \
                    and not analyze.is_nondiff_call(s.value, self.ctx) and not self._append(s):
                raise self.ctx.error(s, f"in-place `.{f.attr}(...)` on a value that carries a gradient is not "
                                     "supported by s2s yet.",
                                     "Build a new value instead of changing this one in place.")
            return self.policy.save_changed(s) + [effect_checks.checked_discard(s, self.ctx, self.varied, self.ns)]
        return [s]

    def _grad_of(self, s):
        item = s.items[0] if len(s.items) == 1 else None
        if item is None or not isinstance(item.context_expr, gast.Call):
            return None
        if self.ctx.resolve(item.context_expr.func) is not runtime.insert_grad_of:
            return None
        return item

    # ----- driver
    def transform(self):
        """(forward statements, backward statements, seed name)."""
        params = [a.id for a in self.fn.args.posonlyargs + self.fn.args.args]
        body = self.fn.body
        if not body or not isinstance(body[-1], gast.Return):
            raise self.ctx.error(self.fn, "s2s needs the function to end with a `return` statement.")
        for s in body[:-1]:
            for n in astutil.statements([s]):
                if isinstance(n, gast.Return):
                    raise self.ctx.error(n, "early `return` is not supported by s2s yet.",
                                         "Assign the result to a variable and return it at the end.")
        ret = body[-1].value
        effect_checks.check_state(self.fn, self.ctx, self.varied, "gradient")
        self.backward_reads = {n for st in astutil.statements(self.fn.body) if isinstance(st, gast.Assign)
                               and isinstance(st.targets[0], gast.Name) and st.targets[0].id in self.active
                               for n in analyze.names_in(st.value)}
        # a value the backward sweep reads may be recomputed there (`e = y[k]` in a loop, see recomputable),
        # reading what it was computed from: those arrays must be restored before, as the backward reads them
        in_loops = [st for loop in astutil.statements(self.fn.body) if isinstance(loop, (gast.For, gast.While))
                    for st in loop.body if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name)]
        grew = True
        while grew:
            grew = False
            for st in in_loops:
                if st.targets[0].id in self.backward_reads and not analyze.names_in(st.value) <= self.backward_reads:
                    self.backward_reads |= analyze.names_in(st.value)
                    grew = True
        # reading a view (t = z[::-1], t = z.T) reads its array: a write into z must be undone before
        shares = self.policy._views()
        self.backward_reads |= {b for v in self.backward_reads if v not in self.scalars for b in shares.get(v, ())}
        fwd = self.forward(body, (set(params), set(params)))
        seed = self.dname(ret.id)
        bwd = [] if ret.id in self.scalars \
            else [_assign(seed, _call(self.helper("init_grad"), _name(ret.id), _name(seed)))]
        self.defined = {ret.id}
        bwd += self.backward(body[:-1])
        self.bwd = bwd
        inits = self.policy.inits()
        if self.stack is not None:
            inits.insert(0, _assign(self.stack, gast.List(elts=[], ctx=gast.Load())))
        return inits + fwd, bwd, seed

    def result_grads(self):
        """Expressions for the gradient of each wrt parameter."""
        out, defs = [], None
        for p in self.wrt:
            if p not in self.defined:
                out.append(_call(self.helper("zero_grad"), _name(p)))
            elif p in self.scalars and not self.zero_d(p):
                out.append(self.dref(p))
            elif p in self.placeholder or p in self.index_vars or p in self.records or self.zero_d(p) \
                    or self.may_be_container(p, defs := self._backward_defs() if defs is None else defs):
                out.append(_call(self.helper("as_grad"), self.dref(p), _name(p)))
            else:
                out.append(self.dref(p))
        return out

    def zero_d(self, p):
        """Whether the code is generated for a call passing a 0-d array, a list or a tuple for p, whose gradient
        as_grad gives that type (s2s/signature.py)."""
        from .signature import SEQUENCE, ZERO_D
        return self.facts_sig.get(p) in (ZERO_D, SEQUENCE)

    def _backward_defs(self):
        """name -> the values the backward sweep assigns it (or adds to it)."""
        defs = {}
        for s in self.bwd:
            for n in astutil.statements([s]):   # (in the order of a walk: the order of defs[name] matters)
                if isinstance(n, gast.Assign):
                    for t in n.targets:
                        if isinstance(t, gast.Name):
                            defs.setdefault(t.id, []).append(n.value)
                elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
                    defs.setdefault(n.target.id, []).append(n.value)
        return defs

    def may_be_container(self, p, defs):
        """Whether p's gradient may come back as an internal GradList/GradDict (a list, tuple or dict
        argument, or a 1-d array passed where a sequence is expected): as_grad then gives it the
        argument's type. Arithmetic, NumPy functions and the array-valued gradient helpers
        (registry.array_valued) cannot; a copy of another adjoint is what that one is. ``defs``:
        ``_backward_defs()``."""
        seen = set()

        def container(name):
            if name in seen:
                return False
            seen.add(name)
            if name not in defs:
                return True
            return any(container(v.id) if isinstance(v, gast.Name) else mult(v) or not self._array_valued(v)
                       for v in defs[name])

        def count(o):   # may be an int: a constant int or a primal name
            return isinstance(o, gast.Constant) and type(o.value) is int \
                or isinstance(o, gast.Name) and o.id not in defs

        def mult(v):   # d[z] * n for z = lst * n, a list parameter repeated: a GradList (runtime.GradList.__mul__)
            return isinstance(v, gast.BinOp) and isinstance(v.op, gast.Mult) and any(
                isinstance(a, gast.Name) and a.id in defs and count(b) and container(a.id)
                for a, b in ((v.left, v.right), (v.right, v.left)))
        return container(self.dname(p))

    def _array_valued(self, v):
        if isinstance(v, (gast.BinOp, gast.UnaryOp, gast.Constant)):
            return True
        if isinstance(v, gast.Call):
            obj = self.ns.resolve(v.func)
            if obj is not None and obj in (runtime_like(), rule_helpers.rule_grad) and v.args:   # like(g, x): g's kind
                return self._array_valued(v.args[0])
            return obj in registry.ARRAY_VALUED or (getattr(obj, "__module__", None) or "").split(".")[0] == "numpy"
        return False
