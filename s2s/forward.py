"""Pass 4 (forward flavour): core-form primal -> primal statements with tangents beside them.

Each core statement ``z = op(a, b)`` is kept and followed by its tangent
statement ``dz = ...``, filled in from the ``@tangent`` template of ``op``
(``d[z] = d[a] * b + a * d[b]``). Forward mode needs no stack and no
backward sweep, so control flow (``if``, ``for``, ``while``, ``break``,
``continue``, early ``return``) is kept as it is and the tangent statements
simply sit beside the primal ones in the same blocks.

Zeros: the tangent of an inactive value (one that does not depend on a
``wrt`` argument, or never reaches an output) is the literal ``0``. A filled
template is folded (``0 * a``, ``0 @ a``, ``np.sum(0)``, ``a + 0``, ...; see
``fold_zeros``) so inactive tangents vanish from the generated code. An
active variable assigned an inactive value gets an explicit zero tangent
(``ds = 0.0`` or ``ds = zeros_like(s)``) so every tangent that is read has
the structure and shape of its primal value.

Lists that carry a tangent are mirrored: ``lst.append(x)`` is followed by
``dlst.append(dx)``, ``x = lst.pop()`` by ``dx = dlst.pop()``. This is how
forward mode runs through the stack pushes and pops of a generated gradient
(forward over reverse): the tangents ride on a stack of their own.

In-place writes ``x[i] = v`` are mirrored as ``dx[i] = dv``. Tangents
alias as their primal values do (``y = x`` gives ``dy = dx``); a tangent
that a fold turned into an alias of another tangent where the primal is a
fresh value (``z = x + c`` -> ``dz = dx``) is copied if ``z`` is ever
written in place.
"""
import copy

import gast
import numpy as np

from . import aliasing, analyze, calls, casts, codegen, effect_checks, effects, facts, guards, registry, runtime
from . import runtime_writes
from .coreform import _name, is_atom
from .forward_calls import ForwardCalls
from .optimize import Simplify, check_method_alias
from .optimize.zeros import FoldZeros, _const, drop_default_keywords, is_zero
from .refusals import ForwardRefusals
from .tangents import Tangents
from .transform_util import _assign, _call
from . import astutil

# ---------------------------------------------------------------- the transform

def _tangent_like_safe(expr, binding, active, resolve, unread=()):
    """Drop ``tangent_like(e, z)`` when every operand is active or a plain number.

    Active operands' tangents have their operands' shapes, so the template's
    expression already has the broadcast shape of the result; only an
    inactive array operand (its tangent folded to 0) can leave it smaller.
    A number passed for a parameter whose tangent the rule does not read
    (``unread``: ``np.full(3, a)``'s shape, a count, an axis) may give the
    result its shape: the tangent_like stays.
    """
    from .rule_helpers import tangent_like
    if not (isinstance(expr, gast.Call) and resolve(expr.func) is tangent_like and len(expr.args) == 2):
        return expr
    for p, node in list(binding.items())[1:]:
        if isinstance(node, tuple) and node and node[0] == "default":
            continue
        if isinstance(node, gast.Name) and node.id in active:
            continue
        if isinstance(node, gast.Constant) and p not in unread \
                and (node.value is None or type(node.value) in (int, float, bool)):
            continue
        return expr
    if any(isinstance(n, gast.Call) for n in astutil.walk_bfs(expr.args[0])):
        return expr   # np.where(x >= y, dx, dy) of floats is a 0-d array: tangent_like makes it a float
    return expr.args[0]


class Forward(Tangents, ForwardCalls, ForwardRefusals):
    """Forward-mode transform of one core-form function.

    ``compile_helper(fn, wrt_names)`` returns ``(name, tangent_params)`` for a
    user function called with active arguments: a generated function taking
    the callee's arguments then its tangents (as keywords) and returning
    ``(value, tangent)``.

    Zero tangents are lazy: ``self.zero`` maps each active name whose tangent
    is known to be zero at this point to how to build that zero (``"num"``:
    ``0.0``, ``"like"``: ``zeros_like(x)``). Reads of it see the literal 0;
    the zero is written out (``materialize``) only where a name is needed:
    where control flow merges with a nonzero tangent, before in-place writes
    and list mutation, and at a return.
    """

    def __init__(self, ctx, fn, namer, ns, facts, compile_helper):
        self.ctx = ctx
        self.fn = fn
        self.namer = namer
        self.ns = ns
        self.facts = facts   # what the driver knows about fn (s2s/facts.py)
        self.wrt = facts.wrt
        self.compile_helper = compile_helper
        self.outputs = facts.outputs
        self.active, self.varied = facts.active, facts.varied
        self.in_place = facts.in_place
        self.complex = facts.complex   # bound to complex values (refused on the derivative's path)
        self.local_types = facts.local_types   # k = Model(...): k's class, for k.method(x) (as reverse does)
        self.tan = {}
        self._tan_alias = {}   # tangent name -> the tangent it may be itself (set by finish)
        self.zero = {}       # active name -> "num" | "like": its tangent is zero here
        # per enclosing loop: (zero at the start of a trip, [zero at each break], [at each continue])
        self.loops = []
        self.value = False   # return (value, tangent) instead of the tangent

    # ----- names
    def dname(self, var):
        if var not in self.tan:
            self.tan[var] = self.namer.grad(var)
        return self.tan[var]

    def dref(self, var, ctx=None):
        return _name(self.dname(var), ctx or gast.Load())

    def helper(self, name):
        return _name(self.ns.ref(name, getattr(runtime, name, None) or getattr(runtime_writes, name)))

    def resolve(self, node):
        return self.ns.resolve(node)

    def finish(self, var, expr, value=None, binding=None, unread=()):
        """Fold zeros and simplify a tangent expression for ``var``; None if it vanished. ``binding``,
        ``unread``: the rule's parameters bound to arguments, those whose tangent it does not read."""
        expr = FoldZeros(self.resolve).visit(expr)
        if binding is not None:
            expr = _tangent_like_safe(expr, binding, self.active - set(self.zero), self.resolve, unread)
        expr = Simplify().visit(expr)
        expr = FoldZeros(self.resolve).visit(expr)
        drop_default_keywords(expr, self.resolve)
        if is_zero(expr):
            return None
        if not isinstance(value, (gast.Name, gast.Subscript, gast.Attribute)) and aliasing.view_base(value) is None \
                and not self._fresh(expr) and (var in self.in_place or self._tangent_written(expr, var)):
            # z = x + c folds to dz = dx: z is a new array, so its tangent must be one too when either
            # is written in place later (x[0] = 1.0 changes dx, not dz)
            expr = _call(self.helper("copy_grad"), expr)
        else:
            roots = self._tangent_root(expr)
            if roots is not None and roots[0] != self.dname(var):   # dt_20 = tangent_like(dy4, t_20): may be dy4
                self._tan_alias[self.dname(var)] = roots[0]
        return expr

    # ----- statements
    def block(self, stmts):
        out = []
        for s in stmts:
            out.extend(codegen.from_line(self.stmt(s), s))
        return out

    def stmt(self, s):
        if isinstance(s, (gast.Assign, gast.Expr)):
            effect_checks.check_in_place_call(s, self.ctx, self.varied, "derivative")
        if isinstance(s, gast.Assign):
            target = s.targets[0]
            if isinstance(target, gast.Name):
                return self.assign(target.id, s.value, s)
            if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
                return self.store(target, s)
            if isinstance(target, gast.Subscript) and effects._root(target) in self.ctx.locals \
                    and not effects.object_state(target) \
                    and (analyze.names_in(s.value) & self.varied or effects._root(target) in self.active):
                # xs[0][0] = v on a local: the tangent of xs[0] would not follow (reverse mode refuses it too)
                raise self.ctx.error(s, "s2s cannot differentiate an assignment to this kind of target.",
                                     "Assign to a plain variable or to `name[index]`.")
            if isinstance(target, (gast.Attribute, gast.Subscript)):
                return [s]   # object state (box.a = t): effect_checks.check_state refused it if it is read back
            if analyze.names_in(s.value) & self.active or analyze.stored_names(target) & self.active:
                raise self.ctx.error(s, "s2s cannot differentiate an assignment to this kind of target.",
                                     "Assign to a plain variable or to `name[index]`.")
            return [s]
        if isinstance(s, gast.If):
            return self.if_(s)
        if isinstance(s, (gast.For, gast.While)):
            return self.loop(s)
        if isinstance(s, gast.Return):
            return [self.ret(s)]
        if isinstance(s, gast.Expr):
            return self.expr_stmt(s)
        if isinstance(s, gast.With):
            if self._grad_of(s):
                return []  # its body runs in a backward pass; forward mode has none
            raise self.ctx.error(s, "`with` blocks are not supported by s2s (except "
                                 "`with s2s.insert_grad_of(x) as dx:`).")
        if isinstance(s, (gast.Break, gast.Continue)) and self.loops:
            start, breaks, continues = self.loops[-1]
            out = self.materialize(set(self.zero) - set(start))   # the loop start needs these as names
            (breaks if isinstance(s, gast.Break) else continues).append(dict(self.zero))
            return out + [s]
        return [s]  # pass, assert, raise, import

    def if_(self, s):
        z0 = dict(self.zero)
        body = self.block(s.body)
        z1, self.zero = self.zero, z0
        orelse = self.block(s.orelse)
        z2 = self.zero
        both = _meet(z1, z2)
        self.zero = z1
        body += self.materialize(set(z1) - set(both))
        self.zero = z2
        orelse += self.materialize(set(z2) - set(both))
        self.zero = both
        return [gast.If(test=s.test, body=body or [gast.Pass()], orelse=orelse)]

    def loop(self, s):
        """A loop: tangents zero on every trip (a fixpoint) stay implicit, others are names."""
        before = dict(self.zero)
        start = dict(before)
        for attempt in range(12):
            if attempt == 11:  # no fixpoint (cannot happen: the sets only shrink): be conservative
                start = {v: k for v, k in before.items() if v not in _changed_in(s.body)}
            self.zero = dict(start)
            self.loops.append((start, [], []))
            body = self.block(copy.deepcopy(s.body))
            _, breaks, continues = self.loops.pop()
            end = dict(self.zero)
            for c in continues:
                end = _meet(end, c)
            if (set(start) <= set(end) and _meet(start, end) == start) or attempt == 11:
                break
            start = _meet(before, end)
        body += self.materialize(set(self.zero) - set(start))   # for the next trip
        self.zero = dict(before)
        pre = self.materialize(set(before) - set(start))
        after = start
        for b in breaks:
            after = _meet(after, b)
        self.zero = after
        if isinstance(s, gast.For):
            node = gast.For(target=s.target, iter=s.iter, body=body or [gast.Pass()], orelse=[], type_comment=None)
        else:
            node = gast.While(test=s.test, body=body or [gast.Pass()], orelse=[])
        return pre + [node]

    def _grad_of(self, s):
        if len(s.items) != 1 or not isinstance(s.items[0].context_expr, gast.Call):
            return False
        return self.ctx.resolve(s.items[0].context_expr.func) is runtime.insert_grad_of

    def ret(self, s):
        var = s.value.id
        if var in self.active and var not in self.zero:
            t = self.dref(var)
        elif self.zero.get(var, "like") == "num":
            t = self.zero_expr(var, "num")
        else:   # zeros of the output's own type (a list for a list, not the internal GradList)
            t = _call(self.helper("zero_grad"), _name(var))
        if self.value:
            return gast.Return(value=gast.Tuple(elts=[_name(var), t], ctx=gast.Load()))
        return gast.Return(value=t)

    def assign(self, var, value, s):
        self.check_aug_alias(var, s)
        # x = lst.pop(): the tangent list pops too, whether or not x is active
        if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) \
                and isinstance(value.func.value, gast.Name) and value.func.value.id in self.active \
                and value.func.attr == "pop":
            lst = value.func.value.id
            pre = self.materialize({lst})
            pop = _call(gast.Attribute(value=self.dref(lst), attr="pop", ctx=gast.Load()), *value.args)
            if var in self.active:
                return pre + [s] + self.set_tangent(var, pop)
            return pre + [s, gast.Expr(value=pop)]
        self.check_mutating_call(value, s)
        if var in self.backs() and isinstance(value, gast.Subscript):   # fn_back = tv[1]: a DualBack, no tangent
            return [s] + self.set_zero(var, gast.Constant(value=0.0, kind=None))
        if isinstance(value, gast.Call):
            dual = self.pullback_call(var, value, s)   # a gradient's pullback, differentiated again (hvp)
            if dual is not None:
                return dual
        if var not in self.active:
            return [s]
        if guards.reads_complex(value, self.complex):
            raise self.ctx.error(s, guards.COMPLEX_MESSAGE, guards.COMPLEX_HINT)
        if isinstance(value, gast.Call):
            out = self.dynamic_call(var, value, s) if calls.star_tail(value, self.active) else None
            if out is None:
                out = self.user_call(var, value, s)
            if out is None:
                out = self.dynamic_call(var, value, s)
            if out is not None:
                return out
        return self.share_tangent(var, value) + [s] + self.tangent_expr(var, value, s)

    def share_tangent(self, var, value):
        """``t = y``, ``v = y[::2]``, ``v = y.T``: the value shares memory with ``y``. When a write in
        place into either may follow, ``y``'s tangent must be an array of its own here, so that the
        tangent of ``v`` shares its memory as ``v`` shares ``y``'s (a lazy zero would give ``v`` a zero
        tangent that a later write into ``y``'s tangent does not reach)."""
        base = aliasing.view_base(value)
        if base is None or base not in self.in_place or base not in self.active or base not in self.zero:
            return []
        if (var, base) not in self.facts.views_seeing_writes:
            return []   # read only before any write (t = y[:-1]; y[:-1] = t + g): a zero tangent is right
        return self.materialize({base})

    def store(self, target, s):
        arr = target.value.id
        self.check_returned_alias(arr, s)
        if arr not in self.active:
            return [s]
        t = self.tangent_of(s.value)
        if is_zero(t):
            if arr in self.zero:
                return [s]   # a zero written into a zero tangent
            t = self.zeros_value(s.value)
        pre = self.materialize({arr})
        if not is_zero(t) and casts.may_truncate(arr, self.fn, self.ctx, self.varied):   # an int array: no derivative
            t = _call(self.helper("cast_grad"), t, _name(arr))
        sub = gast.Subscript(value=self.dref(arr), slice=copy.deepcopy(target.slice), ctx=gast.Store())
        return pre + [s, _assign(sub, t)]

    def zeros_value(self, atom):
        if isinstance(atom, gast.Name):
            return self.zero_expr(atom.id, self.zero.get(atom.id, "like"))
        return _const(0.0)

    def expr_stmt(self, s):
        call = s.value
        if not isinstance(call, gast.Call):
            return [s]
        self.check_mutating_call(call, s)
        effect_checks.check_discarded_call(call, s, self.ctx, self.varied, "derivative")
        check_method_alias(call, s, self.ctx, self.fn, self.varied, self.__dict__.setdefault("_aliases", {}),
                           "derivative")
        checked = effect_checks.checked_discard(s, self.ctx, self.varied, self.ns)
        if checked is not s:   # act(Z), act known only at run time: it may not write into Z (s2s/pullback.py)
            return [checked]
        if any(not is_atom(a, self.ctx) and not isinstance(a, gast.Starred) for a in call.args):
            # set_item(x, i, stack.pop()): one operation per statement, so an inline pop is mirrored too
            pre, args = [], []
            for a in call.args:
                if is_atom(a, self.ctx) or isinstance(a, gast.Starred):
                    args.append(a)
                    continue
                t = self.namer.name("t")
                if analyze.diff_reads(a, self.ctx) & self.active:
                    self.active.add(t)
                pre += self.stmt(gast.copy_location(_assign(t, a), s))
                args.append(_name(t))
            new = gast.copy_location(gast.Expr(value=gast.Call(func=call.func, args=args, keywords=call.keywords)), s)
            return pre + self.expr_stmt(new)
        func = call.func
        if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name) and func.value.id in self.active:
            if analyze.is_nondiff_call(call, self.ctx):
                return [s]
            if func.attr not in effects.MIRRORED_LIST_METHODS:
                raise self.ctx.error(s, f"s2s cannot differentiate the in-place call `.{func.attr}(...)` on a value "
                                     "that carries a derivative.",
                                     "Build a new value instead of changing this one in place.")
            pre = self.materialize({func.value.id})
            return pre + [s, gast.Expr(value=self.mirror_method(func.value.id, func.attr, call))]
        kind, key = analyze.callee(call, self.ctx)
        if kind == "global" and key in facts.in_place_helpers() and len(call.args) == 3 \
                and isinstance(call.args[0], gast.Name) and call.args[0].id in self.active:
            g, idx, v = call.args
            t = self.tangent_of(v)
            if key is runtime.add_at and is_zero(t):
                return [s]   # g[idx] += v: nothing to add for an inactive v
            if g.id in self.zero and is_zero(t):
                return [s]
            pre = self.materialize({g.id})
            t = t if not is_zero(t) else self.zeros_value(v)  # set_item(x, idx, v): the tangent is put back too
            return pre + [s, gast.Expr(value=_call(copy.deepcopy(func), self.dref(g.id), copy.deepcopy(idx), t))]
        return [s]

    def mirror_method(self, lst, method, call):
        """``dlst.method(...)`` mirroring ``lst.method(...)`` on the tangent list."""
        args = list(call.args)
        if method in ("append", "extend"):
            args = [self.tangent_or_zeros(args[0])]
        elif method == "insert":
            args = [args[0], self.tangent_or_zeros(args[1])]
        return _call(gast.Attribute(value=self.dref(lst), attr=method, ctx=gast.Load()), *args)

    def tangent_or_zeros(self, atom):
        t = self.tangent_of(atom)
        return self.zeros_value(atom) if is_zero(t) else t

    # ----- one statement's tangent
    def tangent_expr(self, var, value, s):
        """Statements computing the tangent of ``var = value`` (after it)."""
        if isinstance(value, gast.Name):
            t = self.tangent_of(value)
            if is_zero(t):
                self.zero[var] = self.zero.get(value.id, "like")
                return []
            return self.set_tangent(var, t)
        if isinstance(value, gast.Constant) or is_atom(value, self.ctx):
            return self.set_zero(var, value)
        if isinstance(value, (gast.Tuple, gast.List)) and not any(isinstance(e, gast.Starred) for e in value.elts):
            elts = [self.tangent_or_zeros(e) for e in value.elts]   # [] -> [], (x, 1.0) -> (dx, 0.0)
            return self.set_tangent(var, type(value)(elts=elts, ctx=gast.Load()))
        if isinstance(value, gast.Dict) and None in value.keys:
            casts.check_merge_entries(value, s, self.ctx, self.active - set(self.zero))
        if isinstance(value, gast.Dict) and all(is_atom(v, self.ctx) for v in value.values):
            vals = [self.tangent_or_zeros(v) for v in value.values]   # ({**p, **q}: {**dp, **dq})
            return self.set_tangent(var, gast.Dict(keys=copy.deepcopy(value.keys), values=vals))
        if not (analyze.diff_reads(value, self.ctx) & (self.active - set(self.zero))):
            return self.set_zero(var, value)
        if isinstance(value, gast.BinOp):
            key = registry.BINOPS.get(type(value.op).__name__)
            return self.template(var, key, [value.left, value.right], {}, s, "operator " + type(value.op).__name__,
                                 value)
        if isinstance(value, gast.UnaryOp):
            key = registry.UNARYOPS.get(type(value.op).__name__)
            return self.template(var, key, [value.operand], {}, s, "unary operator", value)
        if isinstance(value, gast.Subscript):
            if analyze.opaque_subscript(value, self.ctx):
                raise calls.opaque_error(value, s, self.ctx, "derivative")
            t = gast.Subscript(value=self.tangent_of(value.value), slice=copy.deepcopy(value.slice), ctx=gast.Load())
            return self.assign_expr(var, self.finish(var, t, value), value)
        if isinstance(value, gast.Attribute):
            key = registry.attr(value.attr)
            if registry.lookup_tangent(key) is None and not registry.is_nondiff(key) \
                    and isinstance(value.value, gast.Name) and not hasattr(np.ndarray, value.attr):
                from . import records  # p.W of a namedtuple, dataclass or object: the field of p's tangent
                t = _call(_name(self.ns.ref("field_tangent", records.field_tangent)), self.tangent_of(value.value),
                          value.value, gast.Constant(value=value.attr, kind=None))
                return self.assign_expr(var, self.finish(var, t, value), value)
            return self.template(var, registry.attr(value.attr), [value.value], {}, s, f"attribute .{value.attr}",
                                 value)
        if isinstance(value, gast.Call):
            return self.call(var, value, s)
        raise self.ctx.error(s, f"s2s cannot differentiate a `{type(value).__name__}` expression yet.",
                             "Rewrite it with plain assignments, or wrap it in a helper function with an "
                             "@s2s.tangent rule.")

    # ----- driver
    def transform(self):
        """The body: tangent set-up for the parameters, then the primal with tangents."""
        params = [a.id for a in self.fn.args.posonlyargs + self.fn.args.args + self.fn.args.kwonlyargs]
        pre = []
        copied = effects.aliases_written(self.fn, params, self.ctx) if self.in_place else set()
        for p in params:   # the caller's arrays are never changed, even through an alias
            if p in copied:
                pre.append(_assign(p, _call(self.helper("copy_deep"), _name(p))))
        for p in self.wrt:
            init = _call(self.helper("init_grad"), _name(p), self.dref(p))
            if p in copied:
                init = _call(self.helper("copy_deep"), init)
            pre.append(_assign(self.dname(p), init))
        for p in params:
            if p in self.active and p not in self.wrt:
                self.set_zero(p)
        effect_checks.check_state(self.fn, self.ctx, self.varied, "derivative")
        body = self.block(self.fn.body)
        if not body or not isinstance(body[-1], gast.Return):
            raise self.ctx.error(self.fn, "s2s needs the function to end with a `return` statement.")
        return pre + body


def _meet(a, b):
    """Zero tangents on both paths; a zero whose kind differs (0.0 vs zeros_like) is zeros_like."""
    return {v: (k if b[v] == k else "like") for v, k in a.items() if v in b}


def _changed_in(stmts):
    """Names a block may rebind or change in place."""
    mod = gast.Module(body=list(stmts), type_ignores=[])
    return analyze.stored_names(mod) | effects.written_in_place(mod)
