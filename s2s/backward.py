"""The reverse transform's backward sweep: adjoint bookkeeping.

``BackwardSweep`` walks the core statements last to first and writes each one's adjoint statements.
Adjoints are tracked statically: ``self.defined`` holds the names whose adjoint is defined at this
point (an undefined adjoint is zero, so the first contribution assigns, ``dx = ...``, and later ones
accumulate, ``dx = dx + ...``); ``self.owned`` the adjoints that are private arrays (safe to update in
place); ``self.placeholder`` those that may still be a bare ``0.0``. Branches and loops reconcile these
sets with explicit zeros only where needed (``zeros``, ``loop_body``). A call's adjoint comes from
s2s/reverse_calls.py; the values the forward sweep saved come back through the save policy
(s2s/savepolicy.py). ``Reverse`` (s2s/reverse.py) holds the state these methods use.
"""
import gast
import numpy as np

from . import analyze, calls, casts, codegen, effects, registry
from .anno import getanno
from .coreform import _name, is_atom
from .jumps import BREAKS
from .transform_util import _assign, _attr, _call, _mark, _rename_tree, index_expr
from . import astutil


class BackwardSweep:
    """The backward half of ``Reverse`` (a mixin: the state lives on the transform)."""

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
            return self.write_adjoint(s) + self.policy.restore_after(s)
        if not isinstance(target, gast.Name):
            return self.policy.restore_after(s)   # xs[t][k] = 1 with no gradient: undone if it was saved
        var = target.id
        out = self.restore_split(s)
        if var in self.active and var in self.defined:
            out += self.adjoint_of(var, s.value, s)
            self.defined.discard(var)
            self.owned.discard(var)
            self.placeholder.discard(var)
        return out + self.policy.restore_changed(s) + self.policy.restore_after(s)

    def bwd_Expr(self, s):
        call = self._append(s)
        if call is None:
            return self.policy.restore_changed(s)
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

    def appended_lists(self):
        """Names of the lists ``lst.append(v)`` grows in the function (the backward sweep pops their adjoints)."""
        if getattr(self, "_appended", None) is None:
            self._appended = {n.value.func.value.id for n in astutil.walk_bfs(self.fn)
                              if isinstance(n, gast.Expr) and isinstance(n.value, gast.Call)
                              and isinstance(n.value.func, gast.Attribute) and n.value.func.attr == "append"
                              and isinstance(n.value.func.value, gast.Name)}
        return self._appended

    def make_owned(self, var, popped=False):
        """Make the adjoint of var private before an in-place update.

        ``popped``: var is a list the backward sweep pops from; its adjoint may be an
        array (``np.sum(lst)``) or a scalar, which copy_grad_list makes a list."""
        popped = popped or var in self.appended_lists()   # (dvals[-1] += ... before the pops: a list too)
        if popped:
            self.popped.add(var)
        if var in self.owned:
            return []
        self.owned.add(var)
        if popped:
            return [_assign(self.dname(var), _call(self.helper("copy_grad_list"), self.dref(var), _name(var)))]
        return [_assign(self.dname(var), _call(self.helper("copy_grad"), self.dref(var)))]

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
            cast = casts.may_truncate(arr, self.fn, self.ctx, self.varied)   # an int array: no derivative through
            if v.id in self.scalars and self._element(target):   # a number written: its adjoint is one, read as is
                g = gast.Subscript(value=self.dref(arr), slice=target.slice, ctx=gast.Load())
                out += self.accumulate(v.id, _call(self.helper("cast_grad"), g, _name(arr)) if cast else g)
            else:
                if self._basic_index(target.slice):
                    part = gast.Subscript(value=self.dref(arr), slice=target.slice, ctx=gast.Load())
                    g = _call(self.helper("copy_grad"), part)
                else:   # an index array may repeat an element (x[[1, 1]] = v): only the write that stayed gets dx
                    g = _call(self.helper("written_part"), self.dref(arr), index_expr(target.slice))
                if cast:
                    g = _call(self.helper("cast_grad"), g, _name(arr))
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
            return self.policy.restore_after(orig)
        node = gast.If(test=s.test, body=body or [gast.Pass()], orelse=orelse)
        return [node] + self.policy.restore_after(orig)

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

    def loop_body(self, body_stmts, loop=None):
        """Backward of a loop body with consistent adjoint state on every trip."""
        d0, o0, p0 = set(self.defined), set(self.owned), set(self.placeholder)
        start_d, start_o = set(d0), set(o0)
        hoisted = []
        changed_in_loop = analyze.stored_names(gast.Module(body=body_stmts, type_ignores=[])) | \
            effects.mutated_names(body_stmts)
        arrays = {v for v in self.active if v not in changed_in_loop and v not in self.scalars}
        fresh = self.index_vars | arrays   # adjoints the loop gets as private zero arrays
        lost = set()   # fresh adjoints a trip leaves not private (dstate = dstep[1], a tuple): copied before a write
        for _ in range(20):
            self.defined, self.owned, self.placeholder = set(start_d), set(start_o), set(p0)
            self.owned |= ((start_d - d0) & fresh) - lost
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
            if end_d <= start_d and (start_o | (((start_d - d0) & fresh) - lost)) <= end_o_full:
                break
            lost |= ((start_d - d0) & fresh) - end_o_full   # (those the trip started with as private zeros)
            start_d = start_d | end_d
            start_o = (start_o | ((start_d - d0) & fresh)) & end_o_full
        p_end = set(self.placeholder)
        code += self.zeros(start_d - end_d, set(), p_end, fresh)
        if loop is not None:
            code = self.policy.redo(loop) + code
        pre = hoisted + self.zeros(start_d - d0, set(), set(), fresh)
        owned_after = (o0 | ((start_d - d0) & fresh)) & end_o_full
        self.defined, self.owned = start_d, owned_after
        self.placeholder = p0 | p_end | {v for v in start_d - d0 if v not in fresh}
        return pre, code or [gast.Pass()]

    def bwd_For(self, s):
        pre, body = self.loop_body(s.body, s)
        trips = s.iter
        if getanno(s, BREAKS, False):  # replay only the iterations that ran
            upper = _name(getanno(s, "counter"))
            trips = gast.Subscript(value=s.iter, slice=gast.Slice(lower=None, upper=upper, step=None),
                                   ctx=gast.Load())
        rev = _call(_name(self.ns.ref("reversed", reversed)), trips)
        loop = gast.For(target=_name(s.target.id, gast.Store()), iter=rev, body=body, orelse=[], type_comment=None)
        out = pre + [loop] if body != [gast.Pass()] or pre else []
        if getanno(s, BREAKS, False):   # saved after the loop variable: restored before it
            out += self.policy.restore_after(getanno(s, "init"))
        out += self.policy.restore_after(s)
        return out

    def bwd_While(self, s):
        counter = getanno(s, "counter")
        pre, body = self.loop_body(s.body, s)
        it = self.namer.name("_")
        loop = gast.For(target=_name(it, gast.Store()), iter=_call(_name(self.ns.ref("range", range)), _name(counter)),
                        body=body, orelse=[], type_comment=None)
        out = pre + [loop] if body != [gast.Pass()] or pre else []
        return out + self.policy.restore_after(getanno(s, "init"))

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
        body = [_rename_tree(b, item.optional_vars.id, self.dname(var)) for b in s.body] if item.optional_vars \
            else s.body
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
            return self.call_template(var, key, [value.left, value.right], {}, stmt,
                                      "operator " + type(value.op).__name__)
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
            if None in value.keys:   # {**p, "k": v, **q}: each entry's gradient, where no later one wrote over it
                casts.check_merge_entries(value, stmt, self.ctx, self.active)
                return self.merge_adjoint(var, value)
            out = []
            for k, e in zip(value.keys, value.values):
                if isinstance(e, gast.Name) and e.id in self.active:
                    out += self.accumulate(e.id, gast.Subscript(value=self.dref(var), slice=k, ctx=gast.Load()))
            return out
        if isinstance(value, gast.Attribute):
            key = registry.attr(value.attr)
            if registry.lookup_adjoint(key) is None and not registry.is_nondiff(key) \
                    and isinstance(value.value, gast.Name) and not hasattr(np.ndarray, value.attr):
                from . import records  # p.W of a namedtuple, dataclass or object: its gradient has p's type
                g = _call(_name(self.ns.ref("field_grad", records.field_grad)), self.dref(var), value.value,
                          gast.Constant(value=value.attr, kind=None))
                self.records.add(value.value.id)
                return self.accumulate(value.value.id, g, container=True)
            return self.call_template(var, key, [value.value], {}, stmt, f"attribute .{value.attr}")
        if isinstance(value, gast.Call):
            return self.call_adjoint(var, value, stmt)
        raise self.ctx.error(stmt, f"s2s cannot differentiate a `{type(value).__name__}` expression yet.",
                             "Rewrite it with plain assignments, or wrap it in a helper function with an "
                             "@s2s.adjoint rule.")

    def merge_adjoint(self, var, value):
        """The adjoint of ``var = {**p, "k": v, **q}``: p's gradient is var's at p's keys that no later entry
        wrote over (runtime_writes.merged_grad), and so on for each entry."""
        out, keys, values = [], value.keys, value.values
        for j, (k, e) in enumerate(zip(keys, values)):
            if not (isinstance(e, gast.Name) and e.id in self.active):
                continue
            later = [v for kk, v in zip(keys[j + 1:], values[j + 1:]) if kk is None]
            plain = [kk for kk in keys[j + 1:] if kk is not None]
            if plain:
                later.append(gast.Tuple(elts=plain, ctx=gast.Load()))
            if k is not None and not later:   # the last entry for its key: var's gradient there
                g = gast.Subscript(value=self.dref(var), slice=k, ctx=gast.Load())
            else:
                part = _name(e.id) if k is None else gast.Dict(keys=[k], values=[_name(e.id)])
                g = _call(self.helper("merged_grad"), self.dref(var), part, gast.Tuple(elts=later, ctx=gast.Load()))
                if k is not None:
                    g = gast.Subscript(value=g, slice=k, ctx=gast.Load())
            out += self.accumulate(e.id, g, container=k is None)
        return out

    def subscript_adjoint(self, var, value, stmt):
        if analyze.opaque_subscript(value, self.ctx) and analyze.names_in(value.slice) & self.active:
            raise calls.opaque_error(value, stmt, self.ctx, "gradient")
        arr = value.value
        if not isinstance(arr, gast.Name) or arr.id not in self.active:
            return []
        return self.accumulate(arr.id, self.dref(var), index=value.slice, container=var in self.receivers)

    # ----- accumulation
    def accumulate(self, var, expr, index=None, container=False):
        """Statements adding ``expr`` to the adjoint of ``var`` (at ``index``)."""
        if var not in self.active:
            return []
        container = container or var in self.facts.local_types   # (an object of the user's: its gradient a record's)
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
            out += self.make_owned(var)
        if self._basic_index(index):
            tgt = gast.Subscript(value=_name(d), slice=index, ctx=gast.Store())
            cur = gast.Subscript(value=_name(d), slice=index, ctx=gast.Load())
            add = _call(self.helper("add_grad"), cur, expr) if container \
                else gast.BinOp(left=cur, op=gast.Add(), right=expr)   # (an object's gradient: a record)
            out.append(_assign(tgt, add))
        else:
            out.append(gast.Expr(value=_call(self.helper("add_at"), _name(d), index_expr(index), expr)))
        return out

    def _element(self, target):
        """``a[i, j]`` is one element of an array of known ndim (an int per dimension): reading it from the
        adjoint gives a number, immutable (no copy) and of the shape of a scalar written there."""
        k = self.facts.ndims.get(target.value.id)
        index = target.slice.elts if isinstance(target.slice, gast.Tuple) else [target.slice]
        ints = self.facts.ints | self.int_names
        return bool(k) and len(index) == k and all(
            isinstance(i, gast.Constant) and type(i.value) is int or isinstance(i, gast.Name) and i.id in ints
            for i in index)

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
