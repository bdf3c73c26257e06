"""Source-level lowering of calls to user functions that change an argument in place (issue 11), a part of
s2s/lowering.py's pass (``HelperWrites`` is a mixin of ``lowering._Lower``).

- ``step(s, dt)`` / ``r = step(W, idx, v)`` where ``step`` changes ``s`` in place (``s += ...``,
  ``s[i] = v``, ``np.add.at(s, i, v)``, ``np.tanh(s, out=s)``, ``np.copyto(s, v)``): the callee is inlined,
  its parameter renamed to the caller's variable, so the change is followed as if written in the caller (the
  NumPy writes inside are then lowered to index assignments: s2s/lowered_calls.py). An argument that makes a
  new value (``step(W.copy(), ...)``, ``step(2 * W, ...)``) is bound to a new local first, which the callee
  changes; one that may share memory with a variable (``step(q[0], ...)``, ``step(W.T, ...)``) is not followed.
- such a call inside an expression (``r = 2.0 * step(A, i, v)``, ``return step(W.copy(), i, v)``,
  ``step(A, i, v) + step(A, i, v)``): hoisted into ``t = step(...)`` before its statement, in Python's order
  of evaluation, when nothing the statement evaluates before it calls a function or reads a variable passed
  to it (the order of effects is then the primal's); otherwise it is left as written (and refused, naming the
  line). One whose statement's value is ``a if c else b`` makes it an ``if`` statement first.

What cannot be inlined soundly is left as it is; the later passes refuse it as before.
"""
import copy
import inspect
import types

import gast

from .anno import hasanno, setanno
from .control import _OPS, _assign, _at, _call, _name, _obj_name, _walk_own, updated_in_place


class HelperWrites:
    """The part of ``lowering._Lower`` that follows user functions changing their arguments."""

    def changes_arguments(self, call):
        """True if ``call`` calls a function of the user's that changes one of its parameters in place."""
        from . import effects
        if not isinstance(call, gast.Call) or not isinstance(call.func, gast.Name):
            return False
        fn = self.ctx.resolve(call.func)
        if not isinstance(fn, types.FunctionType) or inspect.isgeneratorfunction(fn) or not effects.user_function(fn):
            return False
        try:
            return bool(effects.params_changed(fn))
        except Exception:
            return False

    def _fresh(self, arg):
        """``arg`` makes a new value no variable shares: ``W.copy()``, ``np.array(v)``, ``2 * W``, a display."""
        import numpy as np
        if isinstance(arg, (gast.BinOp, gast.UnaryOp, gast.List, gast.Tuple, gast.Dict)):
            return not isinstance(arg, (gast.List, gast.Tuple)) or all(isinstance(e, gast.Constant) for e in arg.elts)
        if not isinstance(arg, gast.Call):
            return False
        if isinstance(arg.func, gast.Attribute) and arg.func.attr == "copy" and not arg.args:
            return True
        return self.ctx.resolve(arg.func) in (np.array, np.copy)

    def hoist_changing_calls(self, s):
        """``s`` with the calls of the user's that change an argument, inside its expression, hoisted before it
        (see the module doc), lowered; None if there is none or hoisting would change the order of effects."""
        if not isinstance(s, (gast.Expr, gast.Assign, gast.AugAssign, gast.Return)) or s.value is None:
            return None
        if isinstance(s, (gast.Expr, gast.Assign)) and self.changes_arguments(s.value):
            return None   # the call is the statement: mutating_call takes it as it is
        if not any(isinstance(n, gast.Call) and self.changes_arguments(n) for n in gast.walk(s.value)):
            return None
        if isinstance(s.value, gast.IfExp) and isinstance(s, (gast.Return, gast.Assign, gast.Expr)):
            # return step(A) if c else 0.0: an if statement, each branch its own line
            branches = []
            for e in (s.value.body, s.value.orelse):
                st = copy.copy(s)
                st.value = e
                if isinstance(s, gast.Assign):
                    st.targets = copy.deepcopy(s.targets)
                branches.append([st])
            return self.block(_at([gast.If(test=s.value.test, body=branches[0], orelse=branches[1])], s))
        events = []
        if isinstance(s, gast.AugAssign):   # (x[i] += step(x): x[i] is read before step runs)
            _opaque(s.target, events, self.ctx.locals)
        if not _in_order(s.value, events, self.changes_arguments, self.ctx.locals):
            return None
        hoisted = [n for kind, n in events if kind == "hoist"]
        for k, (kind, n) in enumerate(events):
            later = [h for what, h in events[k + 1:] if what == "hoist"]
            if kind == "hoist" or not later:
                continue
            passed = {a.id for h in later for a in gast.walk(h) if isinstance(a, gast.Name)}
            if kind in ("call", "read") or n in passed:
                return None   # evaluated before a hoisted call: hoisting would run it after (B[0] + step(A):
                # B may be a view of A, which the alias checks see only for the write)
        names = {}
        pre = []
        for h in hoisted:
            whole = isinstance(s, gast.Return) and s.value is h   # return step(...): named as the normalizer would
            t = self.fresh("result" if whole else f"{h.func.id}_result")   # (not taking the seed's name, dresult)
            names[id(h)] = t
            pre.append(_assign(_name(t, gast.Store()), h))

        class Replace(gast.NodeTransformer):
            def visit_Call(self, node):
                if id(node) in names:
                    return gast.copy_location(_name(names[id(node)]), node)
                return self.generic_visit(node)
        s.value = Replace().visit(s.value)
        return self.block(_at(pre, s) + [s])

    def mutating_call(self, s):
        from . import effects
        call = s.value
        if isinstance(s, gast.Assign) and (len(s.targets) != 1 or not _names_target(s.targets[0])):
            return None   # (`y = f(a)` and `vx, vy = project(vx, vy)` are followed)
        if not isinstance(call.func, gast.Name) or any(isinstance(a, gast.Starred) for a in call.args) \
                or any(k.arg is None for k in call.keywords):
            return None
        fn = self.ctx.resolve(call.func)
        if not isinstance(fn, types.FunctionType) or inspect.isgeneratorfunction(fn) or not effects.user_function(fn):
            return None
        try:
            changed = effects.params_changed(fn)
        except Exception:
            return None
        if not changed:
            return None
        hit = self._inlinable(fn)
        if hit is None:
            return None
        fn, sub = hit
        node = sub.node
        body = list(node.body)
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
            body = body[1:]   # the docstring
        returns = [n for n in _walk_own(body) if isinstance(n, gast.Return)]
        if returns and not (len(returns) == 1 and body[-1] is returns[0]):
            return None
        try:
            bound = inspect.signature(fn).bind(*call.args, **{k.arg: k.value for k in call.keywords})
        except TypeError:
            return None
        params = [a.id for a in node.args.args]
        aug = {}   # parameter -> in-place operators applied to it by name
        for n in _walk_own(body):
            if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name) and n.target.id in params:
                aug.setdefault(n.target.id, set()).add(_OPS.get(type(n.op), "+="))
        plain = {n.id for n in _walk_own(body)
                 if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))}
        plain -= {n.target.id for n in _walk_own(body)
                  if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name)}
        keep = set()   # changed parameters bound to a variable of the caller's (renamed to it)
        for p in changed & set(params):
            arg = bound.arguments.get(p)
            if arg is None or p in plain or isinstance(arg, gast.Starred):
                return None   # (a default changed in place; a parameter also rebound)
            if not isinstance(arg, gast.Name):
                if not self._fresh(arg):
                    return None   # step(q[0], ...), step(W.T, ...): the change would reach q, W
                continue   # step(W.copy(), i, v): bound to a new local by _bind, its change seen by nobody else
            if arg.id not in self.ctx.locals and arg.id not in self.new_locals or hasanno(arg, "obj"):
                return None   # changed, but not a variable of ours: not followed here
            if sum(isinstance(a, gast.Name) and a.id == arg.id for a in bound.arguments.values()) > 1:
                return None   # the same object under two parameters
            keep.add(p)
        for n in _walk_own(body):   # the callee's own aliases of a changed parameter: not inlined
            if isinstance(n, gast.Assign) and isinstance(n.value, (gast.Name, gast.Subscript, gast.Attribute)):
                root = n.value
                while isinstance(root, (gast.Subscript, gast.Attribute)):
                    root = root.value
                if isinstance(root, gast.Name) and root.id in changed:
                    return None
        bound_ = self._bind(fn, sub, call, body, keep_names=keep)
        if bound_ is None:
            return None
        prologue, body = bound_
        guards = []
        for p in sorted(aug):
            if p in keep:
                for op in sorted(aug[p]):
                    args = [_name(bound.arguments[p].id), gast.Constant(value=op, kind=None)]
                    guards.append(gast.Expr(value=_call(_obj_name("updated_in_place", updated_in_place), args)))
        if body and isinstance(body[-1], gast.Return):
            ret = body.pop()
            value = ret.value if ret.value is not None else gast.Constant(value=None, kind=None)
        else:
            value = gast.Constant(value=None, kind=None)
        if isinstance(s, gast.Assign):
            body.extend(_assign_result(copy.deepcopy(s.targets[0]), value))
        elif any(isinstance(n, gast.Call) for n in gast.walk(value)):
            body.append(gast.Expr(value=value))
        out = _at(prologue + guards + body, s)
        self.depth += 1
        try:
            return self.block(out)
        finally:
            self.depth -= 1


def _opaque(node, events, local):
    """Events for code whose order inside does not matter (no hoisted call in it): its calls and reads."""
    for n in gast.walk(node):
        if isinstance(n, gast.Call):
            events.append(("call", n))
        elif isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
            events.append(("load", n.id))
        elif _part_read(n, local):
            events.append(("read", n))


def _part_read(n, local):
    """``B[0]``, ``p.W`` (p a local): a read of part of a value another name may share."""
    if not isinstance(n, (gast.Subscript, gast.Attribute)) or not isinstance(n.ctx, gast.Load):
        return False
    root = n
    while isinstance(root, (gast.Subscript, gast.Attribute)):
        root = root.value
    return isinstance(n, gast.Subscript) or not isinstance(root, gast.Name) or root.id in local


def _in_order(node, events, hoistable, local):
    """Append to ``events`` what evaluating ``node`` does, in Python's order: ("load", name), ("call", node),
    ("read", part) (``_part_read``), ("hoist", call) for a call ``hoistable`` accepts (its arguments move
    with it). False if such a call sits where it may not run or may run more than once (and/or, if/else, a
    lambda, a comprehension)."""
    if isinstance(node, gast.Call) and hoistable(node):
        events.append(("hoist", node))
        return True
    conditional = {gast.BoolOp: lambda n: (n.values[:1], n.values[1:]),
                   gast.IfExp: lambda n: ([n.test], [n.body, n.orelse])}
    for kind, split in conditional.items():
        if isinstance(node, kind):
            first, rest = split(node)
            if not all(_in_order(e, events, hoistable, local) for e in first):
                return False
            if any(isinstance(n, gast.Call) and hoistable(n) for e in rest for n in gast.walk(e)):
                return False
            for e in rest:
                _opaque(e, events, local)
            return True
    if isinstance(node, (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)):
        if any(isinstance(n, gast.Call) and hoistable(n) for n in gast.walk(node)):
            return False
        _opaque(node, events, local)
        return True
    if isinstance(node, gast.Name):
        if isinstance(node.ctx, gast.Load):
            events.append(("load", node.id))
        return True
    if isinstance(node, gast.Dict):
        children = [c for k, v in zip(node.keys, node.values) for c in (k, v) if c is not None]
    else:
        children = list(gast.iter_child_nodes(node))
    if not all(_in_order(c, events, hoistable, local) for c in children):
        return False
    if isinstance(node, gast.Call):
        events.append(("call", node))
    elif _part_read(node, local):
        events.append(("read", node))
    return True


def _assign_result(target, value):
    """``target = value`` for an inlined callee's result; ``vx, vy = vx, vy`` (project returning the
    arguments it changed, bound to the caller's names) leaves out the pairs that bind a name to itself."""
    if isinstance(target, (gast.Tuple, gast.List)) and isinstance(value, (gast.Tuple, gast.List)) \
            and len(target.elts) == len(value.elts) and not any(isinstance(e, gast.Starred) for e in value.elts):
        pairs = [(t, v) for t, v in zip(target.elts, value.elts)
                 if not (isinstance(v, gast.Name) and v.id == t.id)]
        if not pairs:
            return []
        if len(pairs) == 1:
            return [_assign(*pairs[0])]
        target = type(target)(elts=[t for t, _ in pairs], ctx=gast.Store())
        value = gast.Tuple(elts=[v for _, v in pairs], ctx=gast.Load())
    out = _assign(target, value)
    setanno(out, "result_binding", True)
    return [out]


def _names_target(t):
    """``y`` or ``a, b`` / ``[a, b]`` (names only)."""
    if isinstance(t, gast.Name):
        return True
    return isinstance(t, (gast.Tuple, gast.List)) and all(isinstance(e, gast.Name) for e in t.elts)
