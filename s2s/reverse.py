"""Pass 4, reverse mode: core-form primal -> forward sweep + backward sweep.

The forward sweep is the primal, saving values that get overwritten (on a
stack inside loops, in a named slot elsewhere). The backward sweep walks the
statements in reverse, filling in each statement's template. Adjoints are
tracked statically: an adjoint that is not *defined* at a point is zero, so
its first contribution assigns (``dx = ...``) and later ones accumulate
(``dx = dx + ...``); after a statement that binds ``y`` is processed, ``dy``
is undefined again (the earlier ``y`` is a different value). Branches and
loops reconcile the defined sets with explicit zeros only where needed.
"""
import copy
import operator
import types

import gast

from . import astutil
import numpy as np

from . import analyze, codegen, effects, guards, registry, runtime, shapes
from .instantiate import bind_call, instantiate
from .jumps import BREAKS, EXIT
from .normalize import _name, is_atom

SAVE = "s2s_save"        # attribute on save/restore statements: the saved variable
LOOP_VAR_SAFE = "s2s_int"  # attribute on names known to be ints (range loop indices)


def _assign(target, value):
    t = target if isinstance(target, gast.AST) else _name(target, gast.Store())
    return gast.Assign(targets=[t], value=value, type_comment=None)


def _index_expr(node):
    """A subscript's index as an expression (``a:b`` parts as ``slice(a, b)``)."""
    if isinstance(node, gast.Slice):
        parts = [p if p is not None else gast.Constant(value=None, kind=None) for p in (node.lower, node.upper, node.step)]
        return gast.Call(func=_name("slice"), args=parts, keywords=[])
    if isinstance(node, gast.Tuple):
        return gast.Tuple(elts=[_index_expr(e) for e in node.elts], ctx=gast.Load())
    return node


def _call(func, *args, **kw):
    return gast.Call(func=func, args=list(args), keywords=[gast.keyword(arg=k, value=v) for k, v in kw.items()])


def _attr(obj, name):
    return gast.Attribute(value=obj, attr=name, ctx=gast.Load())


def _mark(node, var):
    setattr(node, SAVE, var)
    return node


class Reverse:
    def __init__(self, ctx, fn, namer, ns, wrt, output, compile_helper):
        self.ctx = ctx
        self.fn = fn
        self.namer = namer
        self.ns = ns
        self.wrt = wrt
        self.output = output
        self.compile_helper = compile_helper   # (fn, wrt_names, self_type) -> names of its (forward, backward) halves
        self.split = {}            # id(stmt) -> (residual name, backward half's name, saved on the stack)
        self.grad_names = {}       # id(stmt) -> name of the gradients a backward half returns
        self.active, self.varied = analyze.varied_and_useful(fn, wrt, output, ctx)
        self.overwritten = analyze.overwritten(fn)
        self.index_vars = analyze.index_targets(fn)
        self.scalars = shapes.scalar_names(fn, ctx)
        self.must_scalar = shapes.scalar_names.must
        self.adj = {}
        self.defined = set()
        self.owned = set()
        self.placeholder = set()   # adjoints that may still be a bare 0.0
        self.records = set()       # read by field (p.W): the adjoint is built field by field (s2s/records.py)
        self.popped = set()        # lists whose adjoints the backward sweep pops from
        self.complex = guards.complex_names(fn)   # bound to complex values (refused on the gradient's path)
        self.int_names = set()
        self.saves = {}            # id(stmt) -> (kind, var, slot)
        self.changed_saves = {}    # id(stmt) -> [(kind, var, slot)]: what a call changes in place (save_changed)
        self.none_init = set()
        self.stack = None
        self.loop_depth = 0
        self.loop_stack = []
        self.recompute = {}        # id(loop) -> statements the backward body redoes instead of saving
        self.assign_count = analyze.assign_counts(fn)
        self.local_types = analyze.instances(fn, ctx, self.assign_count)   # k = Model(...): k's class
        self.backward_reads = set()   # values adjoints may read (set by transform, once activity is known)

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
        return _name(self.ns.ref(name, getattr(runtime, name)))

    # ----- forward sweep
    def forward(self, stmts, assigned):
        out = []
        for s in stmts:
            out.extend(codegen.from_line(self.fwd_stmt(s, assigned), s))
        return out

    def save_before(self, var, stmt, assigned):
        """Statements saving var's old value before stmt overwrites it.

        ``assigned`` is the pair (may be bound here, must be bound here).
        """
        may, must = assigned
        if var not in self.overwritten or var not in may:
            return []
        if var not in must:
            self.none_init.add(var)
        if self.loop_depth:
            self.saves[id(stmt)] = ("stack", var, None)
            push = gast.Expr(value=_call(_attr(self.stack_name(), "append"), _name(var)))
            return [_mark(push, var)]
        slot = self.namer.name(var + "_old")
        self.saves[id(stmt)] = ("slot", var, slot)
        return [_mark(_assign(slot, _name(var)), var)]

    def restore_after(self, stmt):
        """Backward statements restoring what save_before saved."""
        info = self.saves.get(id(stmt))
        if info is None:
            return []
        kind, var, slot = info
        value = _call(_attr(self.stack_name(), "pop")) if kind.startswith("stack") else _name(slot)
        if kind.endswith("item"):
            idx = index_expr(stmt.targets[0].slice)
            return [_mark(gast.Expr(value=_call(self.helper("set_item"), _name(var), idx, value)), var)]
        return [_mark(_assign(var, value), var)]

    def check_mutating_call(self, s):
        """Refuse a call to a function of yours that changes an argument in place while a value
        carrying a gradient goes into the call (effects.check_changed_arguments)."""
        for call in astutil.walk(s.value):   # also calls inside an expression: `cond = h(t) > 0.0`
            if isinstance(call, gast.Call):
                if not hasattr(self, "_useful"):
                    self._useful = effects.sharing(analyze.useful(self.fn, {self.output}, self.ctx), self.fn.body)
                effects.check_changed_arguments(call, s, self.ctx, self.varied, "gradient", self.local_types,
                                                self._useful)

    def check_constructor(self, s):
        """Refuse ``b = Box(x)`` for x carrying a gradient here, at this line (the backward sweep,
        which walks the statements last to first, would blame the later line that reads ``b.a``)."""
        import sys
        kind, key = analyze.callee(s.value, self.ctx)
        if kind != "global" or not isinstance(key, type) or registry.lookup_adjoint(key) is not None \
                or registry.is_nondiff(key):
            return
        root = (getattr(key, "__module__", None) or "builtins").split(".")[0]
        if root in sys.stdlib_module_names or root in ("builtins", "numpy", "scipy", "s2s", "templates"):
            return   # the user's classes only (map(f, xs), np.float64(x) are handled as calls)
        args = list(s.value.args) + [k.value for k in s.value.keywords]
        if any(analyze.names_in(a) & self.active for a in args):
            var = s.targets[0].id
            later = ""
            for line in sorted({n.lineno for n in gast.walk(self.fn) if isinstance(n, gast.Name) and n.id == var
                                and isinstance(n.ctx, gast.Load) and getattr(n, "lineno", 0) > getattr(s, "lineno", 0)}):
                import linecache
                text = linecache.getline(self.ctx.filename, self.ctx.line_offset + line).strip()
                if text:
                    later = f" (`{var}` is read at line {self.ctx.line_offset + line}: `{text}`)"
                break
            raise self.ctx.error(s, f"s2s cannot differentiate through building a `{key.__name__}` object from a value "
                                 f"that carries a gradient{later}.",
                                 "Pass the value to a method or function that uses it instead of storing it in an object, "
                                 "or pass its fields as arguments.")

    def check_views_written(self, arr, s):
        """Refuse ``x[i] = v`` when a view of ``x`` bound before (``t = x[1]``) carries a gradient and is
        read afterwards: the write changes it, which the backward sweep would not see."""
        if not hasattr(self, "_views"):
            self._views = effects.views(self.fn.body)
            self._live = effects.live_after(self.fn.body)
            self._order = effects.binding_order(self.fn.body)
        later = self._live.get(id(s), set())
        hit = sorted(v for v, bases in self._views.items() if arr in bases and v != arr and v in self.varied
                     and v not in self.scalars and v in later and effects.bound_before(v, s, self._order))
        if hit:
            v = effects.shown(hit, self.ctx)
            raise self.ctx.error(s, f"writing into `{effects.shown([arr], self.ctx)}` in place changes `{v}`, which may be a "
                                 f"view of it (bound to part of it before) and is used afterwards; s2s does not follow "
                                 "a write through to the views of an array.",
                                 f"Copy the part first (`{v} = ....copy()`), or build a new array instead of writing in place.")

    def fwd_stmt(self, s, assigned):
        may, must = assigned
        if isinstance(s, (gast.Assign, gast.Expr)):
            self.check_mutating_call(s)
            effects.check_in_place_call(s, self.ctx, self.varied, "gradient")
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name):
            var = s.targets[0].id
            if var in self.active and isinstance(s.value, gast.Call):
                self.check_constructor(s)
            if var in self.active and guards.reads_complex(s.value, self.complex):
                raise self.ctx.error(s, guards.COMPLEX_MESSAGE, guards.COMPLEX_HINT)
            if getattr(s, "s2s_aug", False) and var in self.ctx.copied and var in self.varied and var not in self.scalars:
                raise self.ctx.error(s, f"`{var}` may share its array with another variable (it was assigned one), and "
                                     "an augmented assignment would change both in place; s2s does not track such aliases.",
                                     f"Write `{var} = {var} + ...` (a new array) or copy it first (`.copy()`).")
            split = self.split_call(s)
            if split is None:
                split = self.dynamic_call(s)
            if split is not None:
                out = self.save_before(var, s, assigned) + self.save_changed(s) + split
            elif self.loop_depth and self.recomputable(s):
                self.recompute[id(self.loop_stack[-1])].append(s)   # cheaper to redo in the backward than to save
                out = [s]
            else:
                out = self.save_before(var, s, assigned) + self.save_changed(s) + [s]
            may.add(var)
            must.add(var)
            return out
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript) \
                and not isinstance(s.targets[0].value, gast.Name) and effects._root(s.targets[0]) in self.ctx.locals:
            # xs[0][0] = v on a local: the backward sweep cannot undo it (object state, box.d["k"] = v, is
            # effects.check_state's)
            raise self.ctx.error(s, "s2s cannot differentiate an assignment to this kind of target.",
                                 "Assign to a plain variable or to `name[index]`.")
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript) \
                and isinstance(s.targets[0].value, gast.Name):
            arr = s.targets[0].value.id
            if arr in self.varied and (arr in self.ctx.copied or arr in self.ctx.from_subscript):
                if getattr(s, "s2s_aug", False):   # x += v on an array, written x[...] = x + v by normalize
                    shown = effects.shown([arr], self.ctx)
                    raise self.ctx.error(s, f"`{shown}` may share its array with another variable (it was assigned one, "
                                         "or part of one), and an augmented assignment changes both in place; s2s "
                                         "does not track such aliases.",
                                         f"Write `{shown} = {shown} + ...` (a new array) or copy it first (`.copy()`).")
                raise self.ctx.error(s, f"writing into `{arr}` in place, when it may share memory with another variable "
                                     "(it was assigned another variable or an element/slice of one), is not supported by s2s.",
                                     f"Copy it first: `{arr} = ....copy()`.")
            self.check_views_written(arr, s)
            if arr not in self.active and arr not in self.backward_reads:
                return [s]   # (an inactive array the backward sweep reads is saved and restored too)
            idx = index_expr(s.targets[0].slice)
            old = _call(self.helper("get_item"), _name(arr), idx)
            if self.loop_depth:
                self.saves[id(s)] = ("stack-item", arr, None)
                save = gast.Expr(value=_call(_attr(self.stack_name(), "append"), old))
            else:
                slot = self.namer.name(arr + "_old")
                self.saves[id(s)] = ("slot-item", arr, slot)
                save = _assign(slot, old)
            return [_mark(save, arr), s]
        if isinstance(s, gast.If):
            a1 = (set(may), set(must))
            a2 = (set(may), set(must))
            node = gast.If(test=s.test, body=self.forward(s.body, a1) or [gast.Pass()], orelse=self.forward(s.orelse, a2))
            may |= a1[0] | a2[0]
            must |= a1[1] & a2[1]
            return [node]
        if isinstance(s, (gast.For, gast.While)):
            pre = []
            counted = isinstance(s, gast.While) or getattr(s, BREAKS, False)
            if isinstance(s, gast.For):
                var = s.target.id
                self.int_names.add(var)
                pre = self.save_before(var, s, assigned)
            if counted:
                counter = self.namer.name("n_iter")
                s.s2s_counter = counter
                init = _assign(counter, gast.Constant(value=0, kind=None))
                s.s2s_init = init
                if self.loop_depth:   # one count per trip of the enclosing loop: save it like any overwritten value
                    self.overwritten.add(counter)
                    may.add(counter)
                pre += self.save_before(counter, init, assigned) + [init]
                may.add(counter)
                must.add(counter)
            body_may = may | analyze.stored_names(gast.Module(body=s.body, type_ignores=[]))
            body_must = set(must) | ({s.target.id} if isinstance(s, gast.For) else set())
            self.loop_depth += 1
            self.loop_stack.append(s)
            self.recompute[id(s)] = []
            body = self.forward(s.body, (body_may, body_must))
            self.loop_stack.pop()
            self.loop_depth -= 1
            may |= body_may
            if counted:
                inc = _assign(counter, gast.BinOp(left=_name(counter), op=gast.Add(), right=gast.Constant(value=1, kind=None)))
                body = [inc] + body
            if isinstance(s, gast.For):
                may.add(s.target.id)
                return pre + [gast.For(target=s.target, iter=s.iter, body=body, orelse=[], type_comment=None)]
            return pre + [gast.While(test=s.test, body=body, orelse=[])]
        if isinstance(s, gast.Return):
            return []
        if isinstance(s, gast.Break) and getattr(s, EXIT, False):
            return [s]
        if isinstance(s, (gast.Break, gast.Continue)):
            raise self.ctx.error(s, f"`{type(s).__name__.lower()}` is not supported by s2s yet.",
                                 "Use a flag or restructure the loop.")
        if isinstance(s, gast.With):
            if self._grad_of(s) is None:
                raise self.ctx.error(s, "`with` blocks are not supported by s2s (except `with s2s.insert_grad_of(x) as dx:`).")
            return []
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call):
            f = s.value.func
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and f.value.id in self.active \
                    and not analyze.is_nondiff_call(s.value, self.ctx) and not self._append(s):
                raise self.ctx.error(s, f"in-place `.{f.attr}(...)` on a value that carries a gradient is not supported by s2s yet.",
                                     "Build a new value instead of changing this one in place.")
            return self.save_changed(s) + [s]
        return [s]

    def changed_by(self, s):
        """Names of arrays, lists and dicts the call in statement ``s`` changes in place, other than by
        ``x[i] = v`` (a function of the user's changing its arguments, ``x.fill(0)``, ``np.copyto(x, y)``)."""
        call = s.value
        if not isinstance(call, gast.Call) or self._append(s):
            return set()
        out = set()
        _, changed = effects.changed_arguments(call, self.ctx, self.local_types)
        out |= {effects._root(v) for v in changed.values()}
        f = call.func
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and f.attr in effects.MUTATING_METHODS \
                and analyze.callee(call, self.ctx)[0] == "method":
            out.add(f.value.id)
        target = effects.in_place_target(call, self.ctx)
        if target is not None:
            out.add(effects._root(target))
        return {n for n in out if n is not None and n in self.ctx.locals}

    def save_changed(self, s):
        """Save, before statement ``s``, the arrays, lists and dicts its call changes in place that the
        backward sweep reads (restore_changed puts their contents back at s's adjoint): the backward
        sweep must see the values the forward sweep computed with, not the changed ones."""
        names = sorted(self.changed_by(s) & (self.backward_reads | self.active))
        saves = []
        out = []
        for var in names:
            copy = _call(self.helper("copy_deep"), _name(var))
            if self.loop_depth:
                saves.append(("stack", var, None))
                out.append(_mark(gast.Expr(value=_call(_attr(self.stack_name(), "append"), copy)), var))
            else:
                slot = self.namer.name(var + "_old")
                saves.append(("slot", var, slot))
                out.append(_mark(_assign(slot, copy), var))
        if saves:
            self.changed_saves[id(s)] = saves
        return out

    def restore_changed(self, s):
        """Backward statements putting back what save_changed saved (in the reverse order)."""
        out = []
        for kind, var, slot in reversed(self.changed_saves.get(id(s), [])):
            value = _call(_attr(self.stack_name(), "pop")) if kind == "stack" else _name(slot)
            out.append(_mark(gast.Expr(value=_call(self.helper("restore_deep"), _name(var), value)), var))
        return out

    def _grad_of(self, s):
        item = s.items[0] if len(s.items) == 1 else None
        if item is None or not isinstance(item.context_expr, gast.Call):
            return None
        if self.ctx.resolve(item.context_expr.func) is not runtime.insert_grad_of:
            return None
        return item

    # ----- backward sweep
    def backward(self, stmts):
        out = []
        for s in reversed(stmts):
            out.extend(codegen.from_line(self.bwd_stmt(s), s))
        return out

    def bwd_stmt(self, s):
        method = getattr(self, "bwd_" + type(s).__name__, None)
        return method(s) if method else []

    def bwd_Assign(self, s):
        target = s.targets[0]
        if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            return self.write_adjoint(s) + self.restore_after(s)
        if not isinstance(target, gast.Name):
            return []
        var = target.id
        out = self.restore_split(s)
        if var in self.active and var in self.defined:
            out += self.adjoint_of(var, s.value, s)
            self.defined.discard(var)
            self.owned.discard(var)
            self.placeholder.discard(var)
        return out + self.restore_changed(s) + self.restore_after(s)

    def bwd_Expr(self, s):
        call = self._append(s)
        if call is None:
            return self.restore_changed(s)
        lst = call.func.value.id
        out = []
        if lst in self.defined:
            out += self.make_owned(lst, popped=True)
            pop = _call(_attr(self.dref(lst), "pop"))
            v = call.args[0]
            if isinstance(v, gast.Name) and v.id in self.active:
                g = self.namer.name("d" + v.id + "_item")
                out.append(_assign(g, pop))
                out += self.accumulate(v.id, _name(g))
            else:
                out.append(gast.Expr(value=pop))
        out.append(_mark(gast.Expr(value=_call(_attr(_name(lst), "pop"))), lst))
        return out

    def _append(self, s):
        """The call if s is ``lst.append(v)`` on a list that carries a gradient."""
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call):
            f = s.value.func
            if isinstance(f, gast.Attribute) and f.attr == "append" and isinstance(f.value, gast.Name) \
                    and f.value.id in self.active and len(s.value.args) == 1 and not s.value.keywords:
                return s.value
        return None

    def make_owned(self, var, popped=False):
        """Make the adjoint of var private before an in-place update.

        ``popped``: var is a list the backward sweep pops from; its adjoint may be an
        array (``np.sum(lst)``) or a scalar, which copy_grad_list makes a list."""
        if popped:
            self.popped.add(var)
        if var in self.owned:
            return []
        self.owned.add(var)
        if popped:
            return [_assign(self.dname(var), _call(self.helper("copy_grad_list"), self.dref(var), _name(var)))]
        return [_assign(self.dname(var), _call(self.helper("copy_grad"), self.dref(var)))]

    def _basic_index(self, node):
        """An index that cannot repeat an element: numbers, slices, names known to be scalars or loop indices."""
        if isinstance(node, (gast.Constant, gast.Slice)):
            return True
        if isinstance(node, gast.Name):
            return node.id in self.scalars or node.id in self.index_vars
        if isinstance(node, gast.Tuple):
            return all(self._basic_index(e) for e in node.elts)
        if isinstance(node, gast.BinOp):
            return self._basic_index(node.left) and self._basic_index(node.right)
        if isinstance(node, gast.UnaryOp):
            return self._basic_index(node.operand)
        return False

    def write_adjoint(self, s):
        """Backward of ``x[idx] = v``: v gets dx[idx], which is then zeroed."""
        target = s.targets[0]
        arr = target.value.id
        if arr not in self.active or arr not in self.defined:
            return []
        out = []
        v = s.value
        if isinstance(v, gast.Name) and v.id == arr:   # y[0:3] = y: zero y's slot first, then add to all of y
            part = gast.Subscript(value=self.dref(arr), slice=target.slice, ctx=gast.Load())
            g = self.namer.name("d" + arr + "_part")
            out.append(_assign(g, _call(self.helper("copy_grad"), part)))
            out += self.make_owned(arr)
            zero = gast.Subscript(value=self.dref(arr), slice=target.slice, ctx=gast.Store())
            out.append(_assign(zero, gast.Constant(value=0.0, kind=None)))
            return out + self.accumulate(arr, _call(self.helper("unbroadcast"), _name(g), _name(arr)))
        if isinstance(v, gast.Name) and v.id in self.active:
            if self._basic_index(target.slice):
                part = gast.Subscript(value=self.dref(arr), slice=target.slice, ctx=gast.Load())
                g = _call(self.helper("copy_grad"), part)
            else:   # an index array may repeat an element (x[[1, 1]] = v): only the write that stayed gets dx
                g = _call(self.helper("written_part"), self.dref(arr), _index_expr(target.slice))
            out += self.accumulate(v.id, _call(self.helper("unbroadcast"), g, _name(v.id)))
        out += self.make_owned(arr)
        zero = gast.Subscript(value=self.dref(arr), slice=target.slice, ctx=gast.Store())
        out.append(_assign(zero, gast.Constant(value=0.0, kind=None)))
        return out

    def bwd_If(self, s):
        orig = getattr(s, "s2s_orig", s)
        d0, o0, p0 = set(self.defined), set(self.owned), set(self.placeholder)
        body = self.backward(s.body)
        d1, o1, p1 = self.defined, self.owned, self.placeholder
        self.defined, self.owned, self.placeholder = set(d0), set(o0), set(p0)
        orelse = self.backward(s.orelse)
        d2, o2, p2 = self.defined, self.owned, self.placeholder
        after = d1 | d2
        body += self.zeros(after - d1, o1, p1)
        orelse += self.zeros(after - d2, o2, p2)
        self.defined, self.owned, self.placeholder = after, o1 & o2, p1 | p2
        if not body and not orelse:
            return self.restore_after(orig)
        node = gast.If(test=s.test, body=body or [gast.Pass()], orelse=orelse)
        return [node] + self.restore_after(orig)

    def zeros(self, names, owned, placeholder, arrays=()):
        """Zero adjoints for ``names`` (added to the owned/placeholder sets).

        Index-updated adjoints, and ``arrays`` (non-scalar loop invariants, whose
        gradients a loop accumulates in place), get a real zero array.
        """
        out = []
        for v in sorted(names):
            if v in self.index_vars or v in arrays:
                out.append(_assign(self.dref(v, gast.Store()), _call(self.helper("zeros_like"), _name(v))))
                owned.add(v)
            else:
                out.append(_assign(self.dref(v, gast.Store()), gast.Constant(value=0.0, kind=None)))
                placeholder.add(v)
        return out

    def recomputable(self, s):
        """A scalar computed at the top of a loop body from the loop index, constants and loop invariants."""
        loop = self.loop_stack[-1]
        var = s.targets[0].id
        if not any(st is s for st in loop.body) or self.assign_count.get(var, 0) != 1:
            return False
        value = s.value
        stored = analyze.stored_names(gast.Module(body=loop.body, type_ignores=[])) | analyze.mutated_names(loop.body)
        index = loop.target.id if isinstance(loop, gast.For) else None
        redone = {st.targets[0].id for st in self.recompute[id(loop)]} | {index}
        if isinstance(value, gast.Subscript):   # x[i] of an array the loop does not change: a cheap view
            parts = [value.value] + [n for n in astutil.walk(value.slice) if isinstance(n, gast.Name)]
            return all(n.id not in stored or n.id in redone for n in parts if isinstance(n, gast.Name))
        if isinstance(value, gast.Compare) and len(value.ops) == 1:   # a branch condition
            operands = [value.left] + value.comparators
            return all(isinstance(o, gast.Constant) or isinstance(o, gast.Name) and (o.id not in stored or o.id in redone)
                       for o in operands)
        if var not in self.scalars:
            return False
        if isinstance(value, gast.Call):
            obj = self.ns.resolve(value.func) if isinstance(value.func, (gast.Name, gast.Attribute)) else None
            if not (shapes._is_math(obj) or isinstance(obj, np.ufunc)) or value.keywords:
                return False
            operands = value.args
        elif isinstance(value, gast.BinOp):
            operands = [value.left, value.right]
        elif isinstance(value, gast.UnaryOp):
            operands = [value.operand]
        else:
            return False
        for o in operands:
            if isinstance(o, gast.Constant):
                continue
            if not isinstance(o, gast.Name) or (o.id in stored and o.id not in redone):
                return False
        return True

    def loop_body(self, body_stmts, loop=None):
        """Backward of a loop body with consistent adjoint state on every trip."""
        d0, o0, p0 = set(self.defined), set(self.owned), set(self.placeholder)
        start_d, start_o = set(d0), set(o0)
        hoisted = []
        changed_in_loop = analyze.stored_names(gast.Module(body=body_stmts, type_ignores=[])) | \
            analyze.mutated_names(body_stmts)
        arrays = {v for v in self.active if v not in changed_in_loop and v not in self.scalars}
        fresh = self.index_vars | arrays   # adjoints the loop gets as private zero arrays
        for _ in range(20):
            self.defined, self.owned, self.placeholder = set(start_d), set(start_o), set(p0)
            self.owned |= (start_d - d0) & fresh
            code = self.backward(body_stmts)
            end_d, end_o = self.defined, self.owned
            end_o_full = end_o | ((start_d - end_d) & fresh)
            hoist = (end_o_full & start_d & d0 & self.index_vars) - start_o - o0
            if hoist:  # copied in every trip: copy once before the loop instead
                for v in sorted(hoist):
                    hoisted.append(_assign(self.dname(v), _call(self.helper("copy_grad_list"), self.dref(v), _name(v))
                                           if v in self.popped else _call(self.helper("copy_grad"), self.dref(v))))
                o0 = o0 | hoist
                start_o = start_o | hoist
                continue
            if end_d <= start_d and (start_o | ((start_d - d0) & fresh)) <= end_o_full:
                break
            start_d = start_d | end_d
            start_o = (start_o | ((start_d - d0) & fresh)) & end_o_full
        p_end = set(self.placeholder)
        code += self.zeros(start_d - end_d, set(), p_end, fresh)
        if loop is not None:
            redo = [astutil.clone(st) for st in self.recompute.get(id(loop), [])]
            for st in redo:
                st.s2s_recompute = st.targets[0].id
            code = redo + code
        pre = hoisted + self.zeros(start_d - d0, set(), set(), fresh)
        owned_after = (o0 | ((start_d - d0) & fresh)) & end_o_full
        self.defined, self.owned = start_d, owned_after
        self.placeholder = p0 | p_end | {v for v in start_d - d0 if v not in fresh}
        return pre, code or [gast.Pass()]

    def bwd_For(self, s):
        pre, body = self.loop_body(s.body, s)
        trips = s.iter
        if getattr(s, BREAKS, False):  # replay only the iterations that ran
            trips = gast.Subscript(value=s.iter, slice=gast.Slice(lower=None, upper=_name(s.s2s_counter), step=None),
                                   ctx=gast.Load())
        rev = _call(_name(self.ns.ref("reversed", reversed)), trips)
        loop = gast.For(target=_name(s.target.id, gast.Store()), iter=rev, body=body, orelse=[], type_comment=None)
        out = pre + [loop] if body != [gast.Pass()] or pre else []
        if getattr(s, BREAKS, False):   # saved after the loop variable: restored before it
            out += self.restore_after(s.s2s_init)
        out += self.restore_after(s)
        return out

    def bwd_While(self, s):
        counter = s.s2s_counter
        pre, body = self.loop_body(s.body, s)
        it = self.namer.name("_")
        loop = gast.For(target=_name(it, gast.Store()), iter=_call(_name(self.ns.ref("range", range)), _name(counter)),
                        body=body, orelse=[], type_comment=None)
        out = pre + [loop] if body != [gast.Pass()] or pre else []
        return out + self.restore_after(s.s2s_init)

    def bwd_With(self, s):
        item = self._grad_of(s)
        x = item.context_expr.args[0]
        if not isinstance(x, gast.Name) or x.id not in self.active:
            return []
        var = x.id
        out = []
        if var not in self.defined:
            out += self.zeros({var}, self.owned, self.placeholder)
            self.defined.add(var)
        body = [_rename_tree(b, item.optional_vars.id, self.dname(var)) for b in s.body] if item.optional_vars else s.body
        self.owned.discard(var)
        return out + body

    # ----- one statement's adjoint
    def adjoint_of(self, var, value, stmt):
        if isinstance(value, gast.Name):
            fresh = value.id not in self.defined
            out = self.accumulate(value.id, self.dref(var))
            if fresh and var in self.placeholder and value.id in self.defined:
                self.placeholder.add(value.id)   # `a = b`: b's adjoint is a's, maybe a bare 0.0 (a path set it)
            return out
        if isinstance(value, gast.Constant) or is_atom(value, self.ctx):
            return []
        if isinstance(value, gast.BinOp):
            key = registry.BINOPS.get(type(value.op).__name__)
            return self.call_template(var, key, [value.left, value.right], {}, stmt, "operator " + type(value.op).__name__)
        if isinstance(value, gast.UnaryOp):
            key = registry.UNARYOPS.get(type(value.op).__name__)
            return self.call_template(var, key, [value.operand], {}, stmt, "unary operator")
        if isinstance(value, gast.Subscript):
            return self.subscript_adjoint(var, value, stmt)
        if isinstance(value, (gast.Tuple, gast.List)):
            out = []
            for i, e in enumerate(value.elts):
                g = gast.Subscript(value=self.dref(var), slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
                if isinstance(e, gast.Name) and e.id in self.active:
                    out += self.accumulate(e.id, g)
            return out
        if isinstance(value, gast.Dict):
            out = []
            for k, e in zip(value.keys, value.values):
                if isinstance(e, gast.Name) and e.id in self.active:
                    out += self.accumulate(e.id, gast.Subscript(value=self.dref(var), slice=k, ctx=gast.Load()))
            return out
        if isinstance(value, gast.Attribute):
            key = registry.attr(value.attr)
            if registry.lookup_adjoint(key) is None and not registry.is_nondiff(key) \
                    and isinstance(value.value, gast.Name) and not hasattr(np.ndarray, value.attr):
                from . import records   # p.W of a namedtuple, dataclass or object: its gradient has p's type
                g = _call(_name(self.ns.ref("field_grad", records.field_grad)), self.dref(var), value.value,
                          gast.Constant(value=value.attr, kind=None))
                self.records.add(value.value.id)
                return self.accumulate(value.value.id, g, container=True)
            return self.call_template(var, key, [value.value], {}, stmt, f"attribute .{value.attr}")
        if isinstance(value, gast.Call):
            return self.call_adjoint(var, value, stmt)
        raise self.ctx.error(stmt, f"s2s cannot differentiate a `{type(value).__name__}` expression yet.",
                             "Rewrite it with plain assignments, or wrap it in a helper function with an @s2s.adjoint rule.")

    def user_callee(self, call):
        """(function, receiver node or None, class of self or None) when ``call`` calls a function of the
        user's that s2s differentiates from its source (no rule), else None."""
        kind, key = analyze.callee(call, self.ctx)
        if kind == "method" and isinstance(call.func.value, gast.Name):
            receiver = call.func.value.id
            cls = self.ctx.self_type if receiver == self.ctx.self_name else self.local_types.get(receiver)
            method = getattr(cls, key, None) if cls is not None else None
            if callable(method) and hasattr(method, "__code__"):   # self.helper(x), obj.method(x) on the user's class
                return method, call.func.value, cls
            return None
        if kind != "global" or key is runtime.stop_gradient or registry.is_nondiff(key) \
                or registry.lookup_adjoint(key) is not None or registry.opaque(key):
            return None
        if isinstance(key, types.MethodType) and hasattr(key.__func__, "__code__"):  # obj.method(x) on a global obj
            return key.__func__, call.func.value, type(key.__self__)
        if callable(key) and hasattr(key, "__code__"):
            return key, None, None
        if not isinstance(key, (types.BuiltinFunctionType, type, np.ufunc)) \
                and isinstance(getattr(type(key), "__call__", None), types.FunctionType):
            return type(key).__call__, call.func, type(key)   # kernel(x) on a callable object of the user's class
        return None

    def dynamic_callee(self, call):
        """True when ``call``'s callee is known only at run time (a function held in a local variable or a
        parameter): it goes through ``pullback`` (s2s/pullback.py)."""
        kind, key = analyze.callee(call, self.ctx)
        return kind == "unknown" and isinstance(call.func, gast.Name) and call.func.id in self.ctx.locals

    def dynamic_call(self, s):
        """Forward sweep of ``y = fn(a, b)`` with a callee known only at run time: ``y, fn_back = pullback(fn, a, b)``;
        the backward sweep calls ``fn_back(dy)`` (one gradient per argument). None when not such a call."""
        var, call = s.targets[0].id, s.value
        if var not in self.active or not isinstance(call, gast.Call) \
                or any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        if not self.dynamic_callee(call):
            return None
        args = list(call.args) + [k.value for k in call.keywords]
        active = [i for i, a in enumerate(args) if isinstance(a, gast.Name) and a.id in self.active]
        if not active:
            return None
        carried = analyze.names_in(call.func) & self.varied
        if carried:
            raise self.ctx.error(s, f"the function called here is a value that carries a gradient (it depends on "
                                 f"`{sorted(carried)[0]}`: a closure, partial or object holding a differentiated value); "
                                 "s2s does not differentiate through such function values yet.",
                                 "Pass the differentiated value as an argument of the call instead.")
        label = call.func.attr if isinstance(call.func, gast.Attribute) else call.func.id
        back = self.namer.name(label.strip("_") + "_back")
        self.split[id(s)] = (back, None, bool(self.loop_depth), active)
        from . import pullback as pb
        target = gast.Tuple(elts=[_name(var, gast.Store()), _name(back, gast.Store())], ctx=gast.Store())
        value = gast.Call(func=_name(self.ns.ref("pullback", pb.pullback)),
                          args=[astutil.clone(call.func)] + [astutil.clone(a) for a in call.args],
                          keywords=[gast.keyword(arg=k.arg, value=astutil.clone(k.value)) for k in call.keywords])
        value.s2s_split = (astutil.clone(call.func), "pullback")
        out = [_assign(target, value)]
        if self.loop_depth:
            out.append(_mark(gast.Expr(value=_call(_attr(self.stack_name(), "append"), _name(back))), back))
        return out

    def dynamic_adjoint(self, var, call, stmt):
        back, _, _, active = self.split[id(stmt)]
        args = list(call.args) + [k.value for k in call.keywords]
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
        kind, key = analyze.callee(call, self.ctx)
        if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise self.ctx.error(stmt, "calls with *args or **kwargs on values that carry a gradient are not supported by s2s yet.",
                                 "Pass the arguments explicitly.")
        kws = {k.arg: k.value for k in call.keywords}
        info = self.split.get(id(stmt))
        if info is not None and info[1] is None:
            return self.dynamic_adjoint(var, call, stmt)
        user = self.user_callee(call)
        if user is not None:
            fn, receiver, self_type = user
            return self.user_call(var, fn, call, kws, stmt, receiver=receiver, self_type=self_type)
        if kind == "method":
            return self.call_template(var, registry.method(key), [call.func.value] + list(call.args), kws, stmt,
                                      f"method .{key}()")
        if kind == "global":
            if key is runtime.stop_gradient or registry.is_nondiff(key):
                return []
            if registry.lookup_adjoint(key) is not None:
                return self.call_template(var, key, call.args, kws, stmt, _describe(key))
            if registry.opaque(key):
                raise self.ctx.error(stmt, f"s2s has no derivative rule for `{_source(call.func)}` ({_describe(key)[1:-1]}), "
                                     "and it does not differentiate SciPy's own source.",
                                     "Register one with @s2s.adjoint, or compute this value with NumPy.")
            self.no_rule_check(stmt, key)
            raise self.ctx.error(stmt, f"s2s has no derivative rule for {_describe(key)}, and it has no Python source to differentiate.",
                                 f"Register one:\n    @s2s.adjoint({_source(call.func)})\n    def _(result, x):\n        d[x] = d[result] * ...")
        raise self.ctx.error(stmt, "s2s cannot tell which function this call refers to.",
                             "Call a module-level function, a closure variable or a method of an array.")

    def no_rule_check(self, stmt, key):
        """Raise the real cause when a call has no rule: the library is not loaded, or ``key`` is map-like."""
        problem = registry.library_problem()
        if problem:
            raise self.ctx.error(stmt, problem, registry.LIBRARY_ADVICE)
        advice = registry.higher_order_advice(key)
        if advice:
            raise self.ctx.error(stmt, f"s2s does not differentiate through {_describe(key)}: it calls a function "
                                 "passed as a value, which s2s cannot see.", advice)

    def call_template(self, var, key, args, kws, stmt, what):
        template = registry.lookup_adjoint(key)
        if template is None:
            if key is not None and registry.is_nondiff(key):
                return []
            self.no_rule_check(stmt, key)
            if what.startswith("attribute ."):
                raise self.ctx.error(stmt, f"s2s has no derivative rule for {what} on this value (it knows array "
                                     "attributes such as .T and .real, not the fields of your objects).",
                                     "Pass the field as its own argument, or unpack the tuple (`a, b = p`).")
            raise self.ctx.error(stmt, f"s2s has no derivative rule for {what}.",
                                 "Register one with @s2s.adjoint(fn), or rewrite this line.")
        binding = bind_call(template, _name(var), args, kws, lambda m: self.ctx.error(stmt, m))
        for p, why in registry.lookup_no_derivative(key).items():
            if isinstance(binding.get(p), gast.Name) and binding[p].id in self.active:
                raise self.ctx.error(stmt, f"s2s has no derivative of {what} with respect to `{p}`: {why}.",
                                     f"Pass a constant for `{p}` (or wrap it in s2s.stop_gradient).")
        _check_undifferentiated(template, "adjoint", binding, self.active, what, stmt, self.ctx, "gradient")
        params = [p for p in binding]
        result_param = params[0]

        def grad_name(p):
            if p == result_param:
                return self.dref(var)
            node = binding[p]
            if isinstance(node, gast.Name):
                return self.dref(node.id)
            if isinstance(node, gast.Tuple):
                return gast.Tuple(elts=[self.dref(e.id) if isinstance(e, gast.Name) else gast.Constant(value=0.0, kind=None)
                                        for e in node.elts], ctx=gast.Load())
            raise self.ctx.error(stmt, f"the rule for {what} reads the gradient of a non-variable argument")

        items = instantiate(template, binding, grad_name, self.namer, self.ns)
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
                        out += self.accumulate(e.id, gast.Subscript(value=_name(g), slice=gast.Constant(value=i, kind=None),
                                                                    ctx=gast.Load()))
                continue
            if not isinstance(node, gast.Name) or node.id not in self.active:
                continue
            others = [binding[q] for q in params[1:] if q != p and isinstance(binding[q], gast.AST)]
            if others and _elementwise(key) \
                    and all(_is_number(o) or (isinstance(o, gast.Name) and o.id == node.id) for o in others) \
                    or (node.id in self.scalars and var in self.scalars) \
                    or (var in self.must_scalar and _elementwise(key)):   # a scalar result: its operands were scalars
                expr = _drop_unbroadcast(expr, node.id)   # shapes provably match
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
        user = self.user_callee(call)
        if user is None:
            return None
        fn, receiver, self_type = user
        kws = {k.arg: k.value for k in call.keywords}
        pos, bound, active = self.bind_user_call(fn, call, kws, s, receiver)
        if not active:
            return None
        fwd_name, bwd_name = self.compile_helper(fn, tuple(active), self_type)
        from .split import label
        res = self.namer.name(label(fn) + "_res")
        self.split[id(s)] = (res, bwd_name, bool(self.loop_depth), None)
        target = gast.Tuple(elts=[_name(var, gast.Store()), _name(res, gast.Store())], ctx=gast.Store())
        value = gast.Call(func=_name(fwd_name), args=[astutil.clone(a) for a in pos],
                          keywords=[gast.keyword(arg=k, value=astutil.clone(v)) for k, v in kws.items()])
        value.s2s_split = (astutil.clone(call.func), "method" if receiver is not None else "plain")   # to undo, if unused
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
            part = _name(g) if len(active) == 1 else gast.Subscript(value=_name(g), slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
            v = bound.arguments[p]
            if isinstance(v, (tuple, dict)):   # *args / **kwargs: the callee's gradient is a tuple / dict of parts
                for key, e in (v.items() if isinstance(v, dict) else enumerate(v)):
                    if isinstance(e, gast.Name) and e.id in self.active:
                        out += self.accumulate(e.id, gast.Subscript(value=astutil.clone(part), slice=gast.Constant(
                            value=key, kind=None), ctx=gast.Load()), container=True)
                continue
            out += self.accumulate(v.id, part, container=True)
        return out

    def restore_split(self, s):
        """Backward sweep, before a split call's adjoint: pop its residuals saved inside a loop."""
        info = self.split.get(id(s))
        if info is None or not info[2]:
            return []
        res = info[0]
        return [_mark(_assign(res, _call(_attr(self.stack_name(), "pop"))), res)]

    def subscript_adjoint(self, var, value, stmt):
        if analyze.opaque_subscript(value, self.ctx) and analyze.names_in(value.slice) & self.active:
            raise _opaque_error(value, stmt, self.ctx, "gradient")
        arr = value.value
        if not isinstance(arr, gast.Name) or arr.id not in self.active:
            return []
        return self.accumulate(arr.id, self.dref(var), index=value.slice)

    # ----- accumulation
    def accumulate(self, var, expr, index=None, container=False):
        """Statements adding ``expr`` to the adjoint of ``var`` (at ``index``)."""
        if var not in self.active:
            return []
        d = self.dname(var)
        if index is None:
            if var in self.defined:
                if var in self.owned and not container and var not in self.scalars:
                    self.placeholder.discard(var)   # a private array: accumulate in place
                    return [gast.AugAssign(target=_name(d, gast.Store()), op=gast.Add(), value=expr)]
                add = _call(self.helper("add_grad"), _name(d), expr) if container \
                    else gast.BinOp(left=_name(d), op=gast.Add(), right=expr)
                self.placeholder.discard(var)
                stmt = _assign(d, add)
                self.owned.discard(var) if container else self.owned.add(var)
                return [stmt]
            self.defined.add(var)
            self.owned.discard(var)
            if container:
                self.placeholder.add(var)  # may be a list for a tuple argument: fixed up on return
            return [_assign(d, expr)]
        out = []
        if var not in self.defined:
            out.append(_assign(d, _call(self.helper("zeros_like"), _name(var))))
            self.defined.add(var)
            self.owned.add(var)
            self.placeholder.add(var)
        elif var not in self.owned:
            out.append(_assign(d, _call(self.helper("copy_grad"), _name(d))))
            self.owned.add(var)
        if self._basic_index(index):
            tgt = gast.Subscript(value=_name(d), slice=index, ctx=gast.Store())
            cur = gast.Subscript(value=_name(d), slice=index, ctx=gast.Load())
            out.append(_assign(tgt, gast.BinOp(left=cur, op=gast.Add(), right=expr)))
        else:
            out.append(gast.Expr(value=_call(self.helper("add_at"), _name(d), index_expr(index), expr)))
        return out

    def _basic_index(self, index):
        """Indices with no repeats: ints, slices, range loop indices (and tuples of those)."""
        if isinstance(index, gast.Tuple):
            return all(self._basic_index(e) for e in index.elts)
        if isinstance(index, gast.Slice):
            return True
        if isinstance(index, gast.Constant):
            return isinstance(index.value, (int, str)) or index.value is None or index.value is Ellipsis
        # loop indices, and scalars (an index that is a number cannot repeat)
        return isinstance(index, gast.Name) and (index.id in self.int_names or index.id in self.scalars)

    # ----- driver
    def transform(self):
        """(forward statements, backward statements, seed name)."""
        params = [a.id for a in self.fn.args.posonlyargs + self.fn.args.args]
        body = self.fn.body
        if not body or not isinstance(body[-1], gast.Return):
            raise self.ctx.error(self.fn, "s2s needs the function to end with a `return` statement.")
        for s in body[:-1]:
            for n in astutil.walk(s):
                if isinstance(n, gast.Return):
                    raise self.ctx.error(n, "early `return` is not supported by s2s yet.",
                                         "Assign the result to a variable and return it at the end.")
        ret = body[-1].value
        effects.check_state(self.fn, self.ctx, self.varied, "gradient")
        self.backward_reads = {n for st in astutil.walk(self.fn) if isinstance(st, gast.Assign)
                               and isinstance(st.targets[0], gast.Name) and st.targets[0].id in self.active
                               for n in analyze.names_in(st.value)}
        # a value the backward sweep reads may be recomputed there (`e = y[k]` in a loop, see recomputable),
        # reading what it was computed from: those arrays must be restored before, as the backward reads them
        in_loops = [st for loop in astutil.walk(self.fn) if isinstance(loop, (gast.For, gast.While))
                    for st in loop.body if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name)]
        grew = True
        while grew:
            grew = False
            for st in in_loops:
                if st.targets[0].id in self.backward_reads and not analyze.names_in(st.value) <= self.backward_reads:
                    self.backward_reads |= analyze.names_in(st.value)
                    grew = True
        fwd = self.forward(body, (set(params), set(params)))
        seed = self.dname(ret.id)
        bwd = [] if ret.id in self.scalars else [_assign(seed, _call(self.helper("init_grad"), _name(ret.id), _name(seed)))]
        self.defined = {ret.id}
        bwd += self.backward(body[:-1])
        self.bwd = bwd
        inits = [_mark(_assign(v, gast.Constant(value=None, kind=None)), v) for v in sorted(self.none_init)]
        if self.stack is not None:
            inits.insert(0, _assign(self.stack, gast.List(elts=[], ctx=gast.Load())))
        return inits + fwd, bwd, seed

    def result_grads(self):
        """Expressions for the gradient of each wrt parameter."""
        out = []
        for p in self.wrt:
            if p not in self.defined:
                out.append(_call(self.helper("zero_grad"), _name(p)))
            elif p in self.scalars:
                out.append(self.dref(p))
            elif p in self.placeholder or p in self.index_vars or p in self.records or self.may_be_container(p):
                out.append(_call(self.helper("as_grad"), self.dref(p), _name(p)))
            else:
                out.append(self.dref(p))
        return out

    def may_be_container(self, p):
        """Whether p's gradient may come back as an internal GradList/GradDict (a list, tuple or dict
        argument, or a 1-d array passed where a sequence is expected): as_grad then gives it the
        argument's type. Arithmetic, NumPy functions and the array-valued gradient helpers
        (registry.array_valued) cannot; a copy of another adjoint is what that one is."""
        defs = {}
        for s in self.bwd:
            for n in astutil.walk(s):
                if isinstance(n, gast.Assign):
                    for t in n.targets:
                        if isinstance(t, gast.Name):
                            defs.setdefault(t.id, []).append(n.value)
                elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
                    defs.setdefault(n.target.id, []).append(n.value)
        seen = set()

        def container(name):
            if name in seen:
                return False
            seen.add(name)
            if name not in defs:
                return True
            return any(container(v.id) if isinstance(v, gast.Name) else not self._array_valued(v) for v in defs[name])
        return container(self.dname(p))

    def _array_valued(self, v):
        if isinstance(v, (gast.BinOp, gast.UnaryOp, gast.Constant)):
            return True
        if isinstance(v, gast.Call):
            obj = self.ns.resolve(v.func)
            if obj is not None and obj is runtime_like() and v.args:   # like(g, x): g's kind
                return self._array_valued(v.args[0])
            return obj in registry.ARRAY_VALUED or (getattr(obj, "__module__", None) or "").split(".")[0] == "numpy"
        return False


def runtime_like():
    """templates.helpers.like (it keeps its first argument's kind), None without the rule library."""
    try:
        from .templates.helpers import like
    except ImportError:
        return None
    return like


def index_expr(index):
    """A subscript's index as an ordinary expression (slices become slice(...) calls)."""
    if isinstance(index, gast.Slice):
        parts = [p if p is not None else gast.Constant(value=None, kind=None) for p in (index.lower, index.upper, index.step)]
        return _call(_name("slice"), *parts)
    if isinstance(index, gast.Tuple):
        return gast.Tuple(elts=[index_expr(e) for e in index.elts], ctx=gast.Load())
    return index


def _mutated_params(fn):
    """Parameters a user function changes in place (see effects.py)."""
    from . import effects
    return effects.mutated_params(fn) | effects.changed_params(fn)


def _check_undifferentiated(template, kind, binding, active, what, stmt, ctx, word):
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
                    from .codegen import expr_source
                    obj = expr_source(receiver) if isinstance(receiver, gast.AST) else "the receiver"
                    raise ctx.error(stmt, f"s2s reads this call as the array {what} of `{obj}`, and the argument for its "
                                    f"parameter `{p}` carries a {word}, which that parameter does not take; `{obj}` is probably not "
                                    "an array (a module or an array namespace passed in as a value).",
                                    f"Call the NumPy function directly (np.{what[len('method .'):-2]}), or bind the namespace "
                                    f"once in this function (`{obj} = array_namespace(x)`).")
    for p in undiff:
        node = binding.get(p)
        elts = node.elts if isinstance(node, gast.Tuple) else [node]
        hit = sorted(e.id for e in elts if isinstance(e, gast.Name) and e.id in active)
        if hit:
            from . import effects
            raise ctx.error(stmt, f"`{effects.shown(hit, ctx)}` carries a {word} into the parameter `{p}` of {what}, "
                            f"which its derivative rule does not differentiate.",
                            f"Pass a constant as `{p}`, or register a rule that differentiates it "
                            f"(@s2s.{kind} assigning d[{p}]).")


def _opaque_error(value, stmt, ctx, what):
    """The refusal for ``np.r_[x, y]`` and other objects whose indexing s2s does not know."""
    from .codegen import expr_source
    text = expr_source(value.value)
    return ctx.error(stmt, f"s2s does not know how `{text}[...]` uses its index, and the index carries a {what} here "
                     f"(`{text}` is not an array, list, tuple or dict; its `__getitem__` computes with the values).",
                     "Use np.concatenate / np.stack / np.column_stack instead, or wrap the expression in a function "
                     "with an @s2s.adjoint rule.")


def _elementwise(key):
    """Operators, ufuncs and math functions: a scalar result means scalar operands."""
    import math
    if key in registry.BINOPS.values() or key in registry.UNARYOPS.values():
        return key is not operator.matmul
    return (isinstance(key, np.ufunc) and key.signature is None) or shapes._is_math(key)   # not matmul/vecdot


def _is_number(node):
    return isinstance(node, gast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def _drop_unbroadcast(expr, var):
    """unbroadcast(e, x) -> e when the other operands are plain numbers (shapes match)."""
    if isinstance(expr, gast.Call) and isinstance(expr.func, gast.Name) and expr.func.id.startswith("unbroadcast") \
            and len(expr.args) == 2 and isinstance(expr.args[1], gast.Name) and expr.args[1].id == var:
        return expr.args[0]
    return expr


def _rename_tree(node, old, new):
    import copy
    node = astutil.clone(node)
    for n in astutil.walk(node):
        if isinstance(n, gast.Name) and n.id == old:
            n.id = new
    return node


def _describe(obj):
    special = guards.describe_callable(obj)
    if special:
        return special
    mod = getattr(obj, "__module__", None) or ("numpy" if type(obj).__name__ == "ufunc" else None)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"`{mod}.{name}`" if mod else f"`{name}`"


def _source(node):
    from .codegen import expr_source
    return expr_source(node)


def _short(obj):
    """How a user would spell ``obj`` in an @s2s.adjoint(...) hint."""
    name = getattr(obj, "__name__", "fn")
    mod = getattr(obj, "__module__", "") or ""
    if mod.startswith("numpy") or type(obj).__name__ == "ufunc":
        return "np." + name
    return name
