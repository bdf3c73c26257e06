"""What the reverse transform's forward sweep keeps for the backward sweep: ``SavePolicy``.

The backward sweep reads the values the forward sweep computed. Where a later statement overwrites
one (a name bound again, a loop, ``x[i] = v``, a call that changes an array in place), the forward
sweep either saves it first and the backward sweep restores it (in a named slot, or on the stack
inside loops), or, for a cheap value at the top of a loop body, the backward sweep recomputes it.
``SavePolicy`` makes that choice for ``Reverse`` (s2s/reverse.py), which asks it at each statement;
a different policy (checkpointing: store some loop trips, recompute the others) replaces it by
subclassing and setting ``Reverse.policy_class``. The passes in s2s/saves.py then drop the saves
nobody reads.
"""
import gast
import numpy as np

from . import aliasing, analyze, astutil, effects, shapes, state_reads
from .anno import setanno
from .coreform import _name
from .transform_util import _assign, _attr, _call, _mark, index_expr


class SavePolicy:
    """Store or recompute, per statement of the forward sweep (see the module docstring)."""

    def __init__(self, rev):
        self.rev = rev             # the Reverse transform: its facts, names, loop depth and stack
        self.saves = {}            # id(stmt) -> (kind, var, slot)
        self.changed_saves = {}    # id(stmt) -> [(kind, var, slot)]: what a call changes in place (save_changed)
        self.none_init = set()     # saved before their first binding: start as None
        self.recompute = {}        # id(loop) -> statements the backward body redoes instead of saving
        self._shares = None        # aliasing.views of the function's body (computed when first needed)
        self._state = None         # whether the function may change global state (when first needed)

    def save_before(self, var, stmt, assigned):
        """Statements saving var's old value before stmt overwrites it.

        ``assigned`` is the pair (may be bound here, must be bound here).
        """
        may, must = assigned
        if var not in self.rev.overwritten or var not in may:
            return []
        if var not in must:
            self.none_init.add(var)
        if self.rev.loop_depth:
            self.saves[id(stmt)] = ("stack", var, None)
            push = gast.Expr(value=_call(_attr(self.rev.stack_name(), "append"), _name(var)))
            return [_mark(push, var)]
        slot = self.rev.namer.name(var + "_old")
        self.saves[id(stmt)] = ("slot", var, slot)
        return [_mark(_assign(slot, _name(var)), var)]

    def restore_after(self, stmt):
        """Backward statements restoring what save_before saved."""
        info = self.saves.get(id(stmt))
        if info is None:
            return []
        kind, var, slot = info
        value = _call(_attr(self.rev.stack_name(), "pop")) if kind.startswith("stack") else _name(slot)
        if kind.endswith("item"):
            idx = index_expr(stmt.targets[0].slice)
            return [_mark(gast.Expr(value=_call(self.rev.helper("set_item"), _container(stmt), idx, value)), var)]
        return [_mark(_assign(var, value), var)]

    def changed_by(self, s):
        """Names of arrays, lists and dicts the call in statement ``s`` changes in place, other than by
        ``x[i] = v`` (a function of the user's changing its arguments, ``x.fill(0)``, ``np.copyto(x, y)``)."""
        call = s.value
        if not isinstance(call, gast.Call) or self.rev._append(s):
            return set()
        out = set()
        _, changed = effects.changed_arguments(call, self.rev.ctx, self.rev.local_types)
        out |= {effects._root(v) for v in changed.values()}
        f = call.func
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and f.attr in effects.MUTATING_METHODS \
                and analyze.callee(call, self.rev.ctx)[0] == "method":
            out.add(f.value.id)
        target = aliasing.in_place_target(call, self.rev.ctx)
        if target is not None:
            out.add(effects._root(target))
        return {n for n in out if n is not None and n in self.rev.ctx.locals}

    def save_changed(self, s):
        """Save, before statement ``s``, the arrays, lists and dicts its call changes in place that the
        backward sweep reads (restore_changed puts their contents back at s's adjoint): the backward
        sweep must see the values the forward sweep computed with, not the changed ones."""
        names = sorted(self.changed_by(s) & (self.rev.backward_reads | self.rev.active))
        saves = []
        out = []
        for var in names:
            copy = _call(self.rev.helper("copy_deep"), _name(var))
            if self.rev.loop_depth:
                saves.append(("stack", var, None))
                out.append(_mark(gast.Expr(value=_call(_attr(self.rev.stack_name(), "append"), copy)), var))
            else:
                slot = self.rev.namer.name(var + "_old")
                saves.append(("slot", var, slot))
                out.append(_mark(_assign(slot, copy), var))
        if saves:
            self.changed_saves[id(s)] = saves
        return out

    def restore_changed(self, s):
        """Backward statements putting back what save_changed saved (in the reverse order)."""
        out = []
        for kind, var, slot in reversed(self.changed_saves.get(id(s), [])):
            value = _call(_attr(self.rev.stack_name(), "pop")) if kind == "stack" else _name(slot)
            out.append(_mark(gast.Expr(value=_call(self.rev.helper("restore_deep"), _name(var), value)), var))
        return out

    def recomputable(self, s):
        """A scalar computed at the top of a loop body from the loop index, constants and loop invariants."""
        loop = self.rev.loop_stack[-1]
        var = s.targets[0].id
        if not any(st is s for st in loop.body) or self.rev.assign_count.get(var, 0) != 1:
            return False
        value = s.value
        # (a write through a name sharing memory with x changes x: b = x; b -= 1)
        stored = analyze.stored_names(gast.Module(body=loop.body, type_ignores=[])) \
            | aliasing.changed_with(effects.mutated_names(loop.body), self._views())
        index = loop.target.id if isinstance(loop, gast.For) else None
        redone = {st.targets[0].id for st in self.recompute[id(loop)]} | {index}
        if isinstance(value, gast.Subscript):   # x[i] of an array the loop does not change: a cheap view
            parts = [value.value] + [n for n in astutil.walk(value.slice) if isinstance(n, gast.Name)]
            if any(isinstance(n, gast.Name) and n.id not in self.rev.ctx.locals for n in parts) \
                    and self._changes_state():   # (CONFIG["s"], set by a helper the loop calls: read it once)
                return False
            return all(n.id not in stored or n.id in redone for n in parts if isinstance(n, gast.Name))
        if isinstance(value, gast.Compare) and len(value.ops) == 1:   # a branch condition
            operands = [value.left] + value.comparators
            return all(isinstance(o, gast.Constant)
                       or isinstance(o, gast.Name) and (o.id not in stored or o.id in redone)
                       for o in operands)
        if var not in self.rev.scalars:
            return False
        if isinstance(value, gast.Call):
            obj = self.rev.ns.resolve(value.func) if isinstance(value.func, (gast.Name, gast.Attribute)) else None
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

    def _changes_state(self):
        if self._state is None:
            self._state = state_reads.changes_state(self.rev.fn.body, self.rev.ctx)
        return self._state

    def _views(self):
        """aliasing.views of the function's body: {name: names it may share memory with}."""
        if self._shares is None:
            self._shares = aliasing.views(self.rev.fn.body)
        return self._shares

    def save_item(self, s, arr):
        """Statements saving the part of ``arr`` that ``arr[idx] = v`` (statement ``s``) overwrites."""
        idx = index_expr(s.targets[0].slice)
        old = _call(self.rev.helper("get_item"), _container(s), idx)
        if self.rev.loop_depth:
            self.saves[id(s)] = ("stack-item", arr, None)
            save = gast.Expr(value=_call(_attr(self.rev.stack_name(), "append"), old))
        else:
            slot = self.rev.namer.name(arr + "_old")
            self.saves[id(s)] = ("slot-item", arr, slot)
            save = _assign(slot, old)
        return [_mark(save, arr)]

    def recompute_in(self, loop, s):
        """Redo ``s`` (in ``loop``'s body) in the backward sweep instead of saving its value, if that is cheaper."""
        if self.rev.loop_depth and self.recomputable(s):
            self.recompute[id(loop)].append(s)
            return True
        return False

    def enter_loop(self, loop):
        self.recompute[id(loop)] = []

    def redo(self, loop):
        """Copies of the statements the backward body of ``loop`` recomputes, marked for saves.py."""
        redo = [astutil.clone(st) for st in self.recompute.get(id(loop), [])]
        for st in redo:
            setanno(st, "recompute", st.targets[0].id)
        return redo

    def inits(self):
        """The forward sweep's first statements: names saved before their first binding start as None."""
        return [_mark(_assign(v, gast.Constant(value=None, kind=None)), v) for v in sorted(self.none_init)]


def _container(s):
    """What ``s`` (``x[i] = v`` or ``xs[t][k] = v``) writes into: ``x``, or a copy of the expression ``xs[t]``."""
    target = s.targets[0].value
    if isinstance(target, gast.Name):
        return _name(target.id)
    return _load(astutil.clone(target))


def _load(node):
    for n in astutil.walk_bfs(node):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()
    return node
