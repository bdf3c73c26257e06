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
import inspect
import sys
import types

import gast
import numpy as np

from . import analyze, codegen, effects, guards, registry, runtime
from .anno import setanno
from .instantiate import bind_call, instantiate
from .normalize import _name, is_atom
from .optimize import Simplify
from .optimize.zeros import FoldZeros, drop_default_keywords, fold_zero_tangents, is_zero

# List methods mirrored on the tangent list (effects.py holds what s2s knows about effects).
LIST_MUTATORS = effects.MIRRORED_LIST_METHODS


def _assign(target, value):
    t = target if isinstance(target, gast.AST) else _name(target, gast.Store())
    return gast.Assign(targets=[t], value=value, type_comment=None)


def _call(func, *args, **kw):
    return gast.Call(func=func, args=list(args), keywords=[gast.keyword(arg=k, value=v) for k, v in kw.items()])


def _const(v):
    return gast.Constant(value=v, kind=None)


def _tangent_like_safe(expr, binding, active, resolve):
    """Drop ``tangent_like(e, z)`` when every operand is active or a plain number.

    Active operands' tangents have their operands' shapes, so the template's
    expression already has the broadcast shape of the result; only an
    inactive array operand (its tangent folded to 0) can leave it smaller.
    """
    try:
        from .templates.bcast import tangent_like
    except ImportError:  # pragma: no cover
        return expr
    if not (isinstance(expr, gast.Call) and resolve(expr.func) is tangent_like and len(expr.args) == 2):
        return expr
    for p, node in list(binding.items())[1:]:
        if isinstance(node, tuple) and node and node[0] == "default":
            continue
        if isinstance(node, gast.Name) and node.id in active:
            continue
        if isinstance(node, gast.Constant) and (node.value is None or type(node.value) in (int, float, bool)):
            continue
        return expr
    if any(isinstance(n, gast.Call) for n in gast.walk(expr.args[0])):
        return expr   # np.where(x >= y, dx, dy) of floats is a 0-d array: tangent_like makes it a float
    return expr.args[0]


# ---------------------------------------------------------------- activity

def returned_names(fn):
    return [n.value.id for n in gast.walk(fn) if isinstance(n, gast.Return) and isinstance(n.value, gast.Name)]


def in_place_helpers():
    """Runtime helpers of generated code that change their first argument in place."""
    out = {runtime.add_at}
    if hasattr(runtime, "set_item"):
        out.add(runtime.set_item)
    return out


def forward_flows(fn, ctx):
    """analyze.flows, plus in-place helper calls of generated code (add_at(g, i, v) changes g), plus
    writes through a view or an alias into what it shares memory with (``v = y[::2]; v[0] = x``
    changes ``y``)."""
    pairs = analyze.flows(fn.body, ctx)
    helpers = in_place_helpers()
    for s in analyze._walk_stmts(fn.body):
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call) and s.value.args \
                and isinstance(s.value.args[0], gast.Name):
            kind, key = analyze.callee(s.value, ctx)
            if kind == "global" and key in helpers:
                pairs.append(({s.value.args[0].id}, analyze.names_in(s.value)))
    written = written_in_place(fn)
    for v, bases in effects.views(fn.body).items():
        if v in written:
            pairs.append((set(bases), {v}))
    return pairs


def activity(fn, wrt, outputs, ctx):
    """Names that depend on a ``wrt`` parameter and reach an output."""
    return varied_and_useful(fn, wrt, outputs, ctx)[0]


def varied_and_useful(fn, wrt, outputs, ctx):
    """(active, varied): names that depend on ``wrt`` and reach an output; names that depend on ``wrt``."""
    pairs = forward_flows(fn, ctx)
    varied = set(wrt)
    changed = True
    while changed:
        changed = False
        for targets, sources in pairs:
            if sources & varied and not targets <= varied:
                varied |= targets
                changed = True
    useful = set(outputs)
    changed = True
    while changed:
        changed = False
        for targets, sources in pairs:
            if targets & useful and not sources <= useful:
                useful |= sources
                changed = True
    return varied & useful, varied


def written_in_place_closure(fn):
    """written_in_place, plus names whose value is handed on by ``a = b`` to a name written in place,
    plus the names a view written in place shares memory with (``v = y[::2]; v[0] = x``: y)."""
    out = written_in_place(fn)
    for v, bases in effects.views(fn.body).items():
        if v in out:
            out |= bases
    copies = [(s.targets[0].id, s.value.id) for s in gast.walk(fn) if isinstance(s, gast.Assign)
              and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)]
    changed = True
    while changed:
        changed = False
        for a, b in copies:
            if a in out and b not in out:
                out.add(b)
                changed = True
    return out


written_in_place = effects.written_in_place


# ---------------------------------------------------------------- the transform

class Forward:
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

    def __init__(self, ctx, fn, namer, ns, wrt, compile_helper):
        self.ctx = ctx
        self.fn = fn
        self.namer = namer
        self.ns = ns
        self.wrt = tuple(wrt)
        self.compile_helper = compile_helper
        self.outputs = returned_names(fn)
        self.active, self.varied = varied_and_useful(fn, self.wrt, self.outputs, ctx)
        self.in_place = written_in_place_closure(fn)
        self.complex = guards.complex_names(fn)   # bound to complex values (refused on the derivative's path)
        try:   # k = Model(...): k's class, for k.method(x) (as the reverse transform does)
            self.local_types = analyze.instances(fn, ctx, analyze.assign_counts(fn))
        except AttributeError:  # pragma: no cover - older analyze
            self.local_types = {}
        self.tan = {}
        self.zero = {}       # active name -> "num" | "like": its tangent is zero here
        self.loops = []      # per enclosing loop: (zero at the start of a trip, [zero at each break], [at each continue])
        self.value = False   # return (value, tangent) instead of the tangent

    # ----- names
    def dname(self, var):
        if var not in self.tan:
            self.tan[var] = self.namer.grad(var)
        return self.tan[var]

    def dref(self, var, ctx=None):
        return _name(self.dname(var), ctx or gast.Load())

    def helper(self, name):
        return _name(self.ns.ref(name, getattr(runtime, name)))

    def resolve(self, node):
        return self.ns.resolve(node)

    # ----- zeros
    def tangent_of(self, node):
        """The tangent of an atom: ``dx`` for an active name, else the literal 0."""
        if isinstance(node, gast.Name) and node.id in self.active and node.id not in self.zero:
            return self.dref(node.id)
        return _const(0)

    def zero_expr(self, var, kind="like"):
        if kind == "num":
            return _const(0.0)
        return _call(self.helper("zeros_like"), _name(var))

    def zero_kind(self, value):
        numeric = isinstance(value, gast.Constant) and (value.value is None or type(value.value) in (int, float, bool))
        return "num" if numeric else "like"

    def set_zero(self, var, value=None):
        """The tangent of ``var`` is zero from here on (written out only if needed)."""
        self.zero[var] = self.zero_kind(value)
        return []

    def set_tangent(self, var, expr):
        self.zero.pop(var, None)
        return [_assign(self.dname(var), expr)]

    def materialize(self, names):
        """``dv = 0.0`` / ``dv = zeros_like(v)`` for the zero tangents among ``names``."""
        out = []
        for v in sorted(names):
            kind = self.zero.pop(v, None)
            if kind is not None:
                out.append(_assign(self.dname(v), self.zero_expr(v, kind)))
        return out

    def finish(self, var, expr, value=None, binding=None):
        """Fold zeros and simplify a tangent expression for ``var``; None if it vanished."""
        expr = FoldZeros(self.resolve).visit(expr)
        if binding is not None:
            expr = _tangent_like_safe(expr, binding, self.active - set(self.zero), self.resolve)
        expr = Simplify().visit(expr)
        expr = FoldZeros(self.resolve).visit(expr)
        drop_default_keywords(expr, self.resolve)
        if is_zero(expr):
            return None
        if not isinstance(value, (gast.Name, gast.Subscript, gast.Attribute)) and effects.view_base(value) is None \
                and not self._fresh(expr) and (var in self.in_place or self._tangent_written(expr, var)):
            # z = x + c folds to dz = dx: z is a new array, so its tangent must be one too when either
            # is written in place later (x[0] = 1.0 changes dx, not dz)
            expr = _call(self.helper("copy_grad"), expr)
        return expr

    def _tangent_written(self, expr, var):
        """True when ``expr`` may be (a part of) the tangent of a name written in place while ``var`` is
        still to be read: ``dy``, ``dy[0]``, ``dy.T``, ``tangent_like(dy, z)``, ``unbroadcast(dy, z)``,
        ``np.reshape(dy, s)`` (these may return their argument itself)."""
        while True:
            if isinstance(expr, (gast.Subscript, gast.Attribute)):
                expr = expr.value
            elif isinstance(expr, gast.Call) and expr.args and self._passes_through(expr.func):
                expr = expr.args[0]
            elif isinstance(expr, gast.Call) and isinstance(expr.func, gast.Attribute) \
                    and expr.func.attr in effects.VIEW_METHODS and self.resolve(expr.func) is None:
                expr = expr.func.value   # dy.reshape(3), dy.ravel()
            else:
                break
        if not isinstance(expr, gast.Name):
            return False
        if not hasattr(self, "_live_at_write"):   # {name written in place: names live after such a write}
            live = effects.live_after(self.fn.body)
            self._live_at_write = {}
            for st in analyze._walk_stmts(self.fn.body):
                if not isinstance(st, (gast.If, gast.For, gast.While)):
                    for n in written_in_place(gast.Module(body=[st], type_ignores=[])):
                        self._live_at_write.setdefault(n, set()).update(live.get(id(st), ()))
        if not hasattr(self, "_copies_of"):   # y_ = y__1: y_ holds var's value (and its tangent) too
            self._copies_of = {}
            for n, bases in effects.views(self.fn.body).items():
                for b in bases:
                    self._copies_of.setdefault(b, set()).add(n)
        holders = {var} | self._copies_of.get(var, set())
        return any(self.tan.get(v) == expr.id and holders & self._live_at_write.get(v, set()) for v in self.in_place)

    def _passes_through(self, func):
        """Functions that may return their first argument itself (or a view of it)."""
        obj = self.resolve(func)
        if obj is None:
            return False
        try:
            from .templates.bcast import tangent_like
        except ImportError:  # pragma: no cover
            tangent_like = None
        from .templates import helpers
        known = {tangent_like, runtime.unbroadcast, runtime.as_grad, runtime.init_grad, helpers.grad_reshape,
                 np.asarray, np.asanyarray, np.real, np.conjugate} | set(effects.VIEW_FUNCTIONS)
        try:
            return obj in known
        except TypeError:
            return False

    def assign_expr(self, var, expr, value):
        """``dvar = expr``, or a (lazy) zero tangent when the expression vanished."""
        return self.set_zero(var, value) if expr is None else self.set_tangent(var, expr)

    def _fresh(self, expr):
        """True when ``expr`` surely builds a new value (safe to write into)."""
        if isinstance(expr, (gast.BinOp, gast.UnaryOp, gast.List, gast.Dict)):
            return True
        if isinstance(expr, gast.Call):
            obj = self.resolve(expr.func)
            return obj in (runtime.zeros_like, runtime.copy_grad, getattr(runtime, "copy_value", None),
                           getattr(runtime, "copy_deep", None), np.zeros, np.array)
        return False

    # ----- statements
    def block(self, stmts):
        out = []
        for s in stmts:
            out.extend(codegen.from_line(self.stmt(s), s))
        return out

    def stmt(self, s):
        if isinstance(s, (gast.Assign, gast.Expr)):
            effects.check_in_place_call(s, self.ctx, self.varied, "derivative")
        if isinstance(s, gast.Assign):
            target = s.targets[0]
            if isinstance(target, gast.Name):
                return self.assign(target.id, s.value, s)
            if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
                return self.store(target, s)
            if isinstance(target, (gast.Attribute, gast.Subscript)):
                return [s]   # object state (box.a = t): effects.check_state refused it if it is read back
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
            raise self.ctx.error(s, "`with` blocks are not supported by s2s (except `with s2s.insert_grad_of(x) as dx:`).")
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

    def check_mutating_call(self, call, s):
        """Refuse a call to a function of yours that changes an argument in place while a value
        carrying a derivative goes into the call (as the reverse transform does)."""
        for n in gast.walk(call):   # also calls inside an expression: `cond = h(t) > 0.0`
            if isinstance(n, gast.Call):
                if not hasattr(self, "_useful"):
                    self._useful = effects.sharing(analyze.useful(self.fn, set(self.outputs), self.ctx,
                                                                  forward_flows(self.fn, self.ctx)), self.fn.body)
                effects.check_changed_arguments(n, s, self.ctx, self.varied, "derivative", self.local_types,
                                                self._useful)

    def check_aug_alias(self, var, s):
        """Refuse ``x += v`` (in place for arrays) when ``x`` may share its array with another variable
        (``t = x``), as the reverse transform does: the other variable's tangent would not follow."""
        if not getattr(s, "s2s_aug", False) or var not in self.ctx.copied or var not in self.varied \
                or getattr(self.ctx.fn, "s2s_generated", False):
            return   # (a generated gradient makes an adjoint private before it adds to it in place)
        if not hasattr(self, "_scalars"):
            from . import shapes
            self._scalars = shapes.scalar_names(self.fn, self.ctx)
        if var in self._scalars:
            return
        shown = effects.shown([var], self.ctx)
        raise self.ctx.error(s, f"`{shown}` may share its array with another variable (it was assigned one), and an "
                             "augmented assignment would change both in place; s2s does not track such aliases.",
                             f"Write `{shown} = {shown} + ...` (a new array) or copy it first (`.copy()`).")

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
        if var not in self.active:
            return [s]
        if guards.reads_complex(value, self.complex):
            raise self.ctx.error(s, guards.COMPLEX_MESSAGE, guards.COMPLEX_HINT)
        if isinstance(value, gast.Call):
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
        base = effects.view_base(value)
        if base is None or base not in self.in_place or base not in self.active or base not in self.zero:
            return []
        if not hasattr(self, "_shared_views"):
            self._shared_views = _views_seeing_writes(self.fn)
        if (var, base) not in self._shared_views:
            return []   # read only before any write (t = y[:-1]; y[:-1] = t + g): a zero tangent is right
        return self.materialize({base})

    def store(self, target, s):
        arr = target.value.id
        if arr not in self.active:
            return [s]
        t = self.tangent_of(s.value)
        if is_zero(t):
            if arr in self.zero:
                return [s]   # a zero written into a zero tangent
            t = self.zeros_value(s.value)
        pre = self.materialize({arr})
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
            if func.attr not in LIST_MUTATORS:
                raise self.ctx.error(s, f"s2s cannot differentiate the in-place call `.{func.attr}(...)` on a value that carries a derivative.",
                                     "Build a new value instead of changing this one in place.")
            pre = self.materialize({func.value.id})
            return pre + [s, gast.Expr(value=self.mirror_method(func.value.id, func.attr, call))]
        kind, key = analyze.callee(call, self.ctx)
        if kind == "global" and key in in_place_helpers() and len(call.args) == 3 \
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
        if isinstance(value, gast.Dict) and None not in value.keys:
            vals = [self.tangent_or_zeros(v) for v in value.values]
            return self.set_tangent(var, gast.Dict(keys=copy.deepcopy(value.keys), values=vals))
        if not (analyze.diff_reads(value, self.ctx) & (self.active - set(self.zero))):
            return self.set_zero(var, value)
        if isinstance(value, gast.BinOp):
            key = registry.BINOPS.get(type(value.op).__name__)
            return self.template(var, key, [value.left, value.right], {}, s, "operator " + type(value.op).__name__, value)
        if isinstance(value, gast.UnaryOp):
            key = registry.UNARYOPS.get(type(value.op).__name__)
            return self.template(var, key, [value.operand], {}, s, "unary operator", value)
        if isinstance(value, gast.Subscript):
            if analyze.opaque_subscript(value, self.ctx):
                from .reverse import _opaque_error
                raise _opaque_error(value, s, self.ctx, "derivative")
            t = gast.Subscript(value=self.tangent_of(value.value), slice=copy.deepcopy(value.slice), ctx=gast.Load())
            return self.assign_expr(var, self.finish(var, t, value), value)
        if isinstance(value, gast.Attribute):
            key = registry.attr(value.attr)
            if registry.lookup_tangent(key) is None and not registry.is_nondiff(key) \
                    and isinstance(value.value, gast.Name) and not hasattr(np.ndarray, value.attr):
                from . import records   # p.W of a namedtuple, dataclass or object: the field of p's tangent
                t = _call(_name(self.ns.ref("field_tangent", records.field_tangent)), self.tangent_of(value.value),
                          value.value, gast.Constant(value=value.attr, kind=None))
                return self.assign_expr(var, self.finish(var, t, value), value)
            return self.template(var, registry.attr(value.attr), [value.value], {}, s, f"attribute .{value.attr}", value)
        if isinstance(value, gast.Call):
            return self.call(var, value, s)
        raise self.ctx.error(s, f"s2s cannot differentiate a `{type(value).__name__}` expression yet.",
                             "Rewrite it with plain assignments, or wrap it in a helper function with an @s2s.tangent rule.")

    def call(self, var, call, s):
        if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise self.ctx.error(s, "calls with *args or **kwargs on values that carry a derivative are not supported by s2s yet.",
                                 "Pass the arguments explicitly.")
        kind, key = analyze.callee(call, self.ctx)
        kws = {k.arg: k.value for k in call.keywords}
        if kind == "method":
            return self.template(var, registry.method(key), [call.func.value] + list(call.args), kws, s,
                                 f"method .{key}()", call)
        if kind == "global":
            what = _describe(key)
            if registry.opaque(key):   # SciPy's t.logpdf is rv_continuous.logpdf: name it as the user wrote it
                from .codegen import expr_source
                what = f"`{expr_source(call.func)}` ({what[1:-1]})"
            return self.template(var, key, call.args, kws, s, what, call)
        raise self.ctx.error(s, "s2s cannot tell which function this call refers to.",
                             "Call a module-level function, a closure variable or a method of an array.")

    def dynamic_call(self, var, call, s):
        """``y, dy = pushforward(fn, (a, b), (da, 0.0))`` for a callee known only at run time (s2s/pushforward.py);
        None for any other call."""
        from . import pushforward as pf
        kind, _ = analyze.callee(call, self.ctx)
        if kind != "unknown" or not isinstance(call.func, gast.Name) or call.func.id not in self.ctx.locals \
                or any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        live = self.active - set(self.zero)
        carried = analyze.names_in(call.func) & live
        if carried:
            raise self.ctx.error(s, f"the function called here is a value that carries a derivative (it depends on "
                                 f"`{sorted(carried)[0]}`); s2s does not differentiate through such function values yet.",
                                 "Pass the differentiated value as an argument of the call instead.")
        if not any(isinstance(a, gast.Name) and a.id in live for a in list(call.args) + [k.value for k in call.keywords]):
            return [s] + self.set_zero(var, call)
        args = gast.Tuple(elts=[copy.deepcopy(a) for a in call.args], ctx=gast.Load())
        tans = gast.Tuple(elts=[self.tangent_of(a) for a in call.args], ctx=gast.Load())
        extra = []
        if call.keywords:
            keys = [gast.Constant(value=k.arg, kind=None) for k in call.keywords]
            extra = [gast.Dict(keys=keys, values=[copy.deepcopy(k.value) for k in call.keywords]),
                     gast.Dict(keys=copy.deepcopy(keys), values=[self.tangent_of(k.value) for k in call.keywords])]
        value = _call(_name(self.ns.ref("pushforward", pf.pushforward)), copy.deepcopy(call.func), args, tans, *extra)
        self.zero.pop(var, None)
        target = gast.Tuple(elts=[_name(var, gast.Store()), self.dref(var, gast.Store())], ctx=gast.Store())
        return [gast.copy_location(_assign(target, value), s)]

    def template(self, var, key, args, kws, s, what, value):
        template = registry.lookup_tangent(key)
        if template is None:
            if key is not None and registry.is_nondiff(key):
                return self.set_zero(var, value)
            problem = registry.library_problem()
            if problem:
                raise self.ctx.error(s, problem, registry.LIBRARY_ADVICE)
            advice = registry.higher_order_advice(key)
            if advice:
                raise self.ctx.error(s, f"s2s does not differentiate through {_describe(key)}: it calls a function "
                                     "passed as a value, which s2s cannot see.", advice)
            if isinstance(key, tuple) and key[0] == "attr":
                raise self.ctx.error(s, f"s2s has no forward-mode rule for {what} on this value (it knows array "
                                     "attributes such as .T and .real, not the fields of your objects).",
                                     "Pass the field as its own argument, or unpack the tuple (`a, b = p`).")
            if isinstance(key, type) and (getattr(key, "__module__", None) or "builtins").split(".")[0] not in \
                    set(sys.stdlib_module_names) | {"builtins", "numpy", "scipy"}:   # the user's classes (as reverse.py)
                raise self.ctx.error(s, f"s2s cannot differentiate through building a `{key.__name__}` object from a value that carries a derivative.",
                                     "Pass the value to a method or function that uses it instead of storing it in an object.")
            raise self.ctx.error(s, f"s2s has no forward-mode (tangent) rule for {what}.",
                                 f"Register one:\n    @s2s.tangent({_short(key)})\n    def _(result, x):\n"
                                 "        d[result] = d[x] * ...")
        binding = bind_call(template, _name(var), args, kws, lambda m: self.ctx.error(s, m))
        for p, why in registry.lookup_no_derivative(key).items():
            if isinstance(binding.get(p), gast.AST) and not is_zero(self.tangent_of(binding[p])):
                raise self.ctx.error(s, f"s2s has no derivative of {what} with respect to `{p}`: {why}.",
                                     f"Pass a constant for `{p}` (or wrap it in s2s.stop_gradient).")
        from .reverse import _check_undifferentiated
        _check_undifferentiated(template, "tangent", binding, self.active - set(self.zero), what, s, self.ctx,
                                "derivative")
        result_param = next(iter(binding))

        def mark(t):
            setanno(t, "zero_tangent" if is_zero(t) else "tangent")
            return t

        def grad_name(p):
            if p == result_param:
                raise self.ctx.error(s, f"the tangent rule for {what} reads the tangent of its own result")
            node = binding.get(p)
            if isinstance(node, gast.Tuple):   # *args: the tuple of the arguments' tangents
                ts = [mark(self.tangent_of(e)) for e in node.elts]
                return mark(_const(0)) if all(is_zero(t) for t in ts) else gast.Tuple(elts=ts, ctx=gast.Load())
            return mark(self.tangent_of(node) if isinstance(node, gast.AST) else _const(0))

        items = instantiate(template, binding, grad_name, self.namer, self.ns)
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
        return out + self.assign_expr(var, self.finish(var, expr, value, binding), value)

    def user_call(self, var, call, s):
        """``z, dz = f_jvp(args..., dargs...)`` for a user function with active arguments, else None.

        User functions are plain functions with source, methods of the class
        being differentiated (``self.helper(x)``) and methods of global
        objects (``layer.forward(x)``).
        """
        kind, key = analyze.callee(call, self.ctx)
        fn, receiver, self_type = None, None, None
        if kind == "method" and isinstance(call.func.value, gast.Name):
            recv = call.func.value.id
            cls = self.ctx.self_type if recv == getattr(self.ctx, "self_name", None) and recv is not None \
                else self.local_types.get(recv)
            m = getattr(cls, key, None) if cls is not None else None
            if callable(m) and hasattr(m, "__code__"):   # self.helper(x), obj.method(x) on the user's class
                fn, receiver, self_type = m, call.func.value, cls
        elif kind == "global":
            if key is runtime.stop_gradient or registry.lookup_tangent(key) is not None or registry.is_nondiff(key):
                return None
            if registry.opaque(key):
                return None   # SciPy's own source is not differentiated: refused as a missing rule
            if isinstance(key, types.MethodType) and hasattr(key.__func__, "__code__"):
                fn, receiver, self_type = key.__func__, call.func.value, type(key.__self__)
            elif callable(key) and hasattr(key, "__code__"):
                fn = key
        if fn is None:
            return None
        fn = fn.s2s_target() if getattr(fn, "s2s_target", None) is not None else fn   # a recursion trampoline's target
        live = self.active - set(self.zero)
        if (any(isinstance(a, gast.Starred) and analyze.names_in(a) & live for a in call.args)
                or any(k.arg is None and analyze.names_in(k.value) & live for k in call.keywords)):
            # h(*args) with args carrying a derivative: which parameter each lands in is known only at
            # run time (binding the Starred node would leave it inactive: a zero tangent)
            raise self.ctx.error(s, "calls with *args or **kwargs on values that carry a derivative are not "
                                 "supported by s2s yet.", "Pass the arguments explicitly.")
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
        name, tparams = self.compile_helper(fn, tuple(active), self_type)
        keywords = [gast.keyword(arg=k.arg, value=k.value) for k in call.keywords]
        keywords += [gast.keyword(arg=tp, value=tangent(bound.arguments[p])) for p, tp in zip(active, tparams)]
        self.zero.pop(var, None)
        target = gast.Tuple(elts=[_name(var, gast.Store()), self.dref(var, gast.Store())], ctx=gast.Store())
        value = gast.Call(func=_name(name), args=copy.deepcopy(pos), keywords=keywords)
        out = [gast.copy_location(_assign(target, value), s)]
        changed = changed_params(fn) & {p for p, v in bound.arguments.items() if isinstance(v, gast.Name)}
        if changed:
            # the generated function works on copies of the arguments it changes; the caller's values
            # (which carry no derivative, or the call was refused) change as in Python: call it for that
            out.append(gast.copy_location(gast.Expr(value=copy.deepcopy(call)), s))
        return out

    # ----- driver
    def transform(self):
        """The body: tangent set-up for the parameters, then the primal with tangents."""
        params = [a.id for a in self.fn.args.posonlyargs + self.fn.args.args + self.fn.args.kwonlyargs]
        pre = []
        copied = aliases_written(self.fn, params, self.ctx) if self.in_place else set()
        copy_fn = "copy_deep" if hasattr(runtime, "copy_deep") else "copy_value"
        for p in params:   # the caller's arrays are never changed, even through an alias
            if p in copied:
                pre.append(_assign(p, _call(self.helper(copy_fn), _name(p))))
        for p in self.wrt:
            init = _call(self.helper("init_grad"), _name(p), self.dref(p))
            if p in copied:
                init = _call(self.helper(copy_fn), init)
            pre.append(_assign(self.dname(p), init))
        for p in params:
            if p in self.active and p not in self.wrt:
                self.set_zero(p)
        effects.check_state(self.fn, self.ctx, self.varied, "derivative")
        body = self.block(self.fn.body)
        if not body or not isinstance(body[-1], gast.Return):
            raise self.ctx.error(self.fn, "s2s needs the function to end with a `return` statement.")
        return pre + body


def _mutated_params(fn):
    """Parameters a user function changes in place (items, methods, attributes)."""
    return effects.mutated_params(fn)


changed_params = effects.changed_params




def _views_seeing_writes(fn):
    """{(v, y)} for the bindings ``v = y``, ``v = y[...]``, ``v = y.T`` ... (core form) whose value may be
    written in place through ``v`` (which changes ``y``), or through ``y`` or another name sharing its
    memory while ``v`` is still to be read: there the tangents must share memory as the values do."""
    pos = effects.binding_order(fn.body)[0]
    live = effects.live_after(fn.body)
    shares = effects.views(fn.body)
    block_of, jumpy = {}, set()

    def visit(stmts):
        if any(isinstance(n, (gast.Break, gast.Continue)) for st in stmts for n in gast.walk(st)):
            jumpy.add(id(stmts))
        for st in stmts:
            block_of[id(st)] = id(stmts)
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    visit(sub)
    visit(fn.body)
    stmts = list(analyze._walk_stmts(fn.body))

    def writes(st):
        return set() if isinstance(st, (gast.If, gast.While, gast.For)) else \
            written_in_place(gast.Module(body=[st], type_ignores=[]))

    written = [(st, writes(st)) for st in stmts]
    binds = {}
    for st in stmts:
        if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name):
            binds.setdefault(st.targets[0].id, []).append(st)

    def reaches(st, v, w):
        """The value ``st`` binds to ``v`` may still be bound when ``w`` runs."""
        p, loops = pos[id(st)]
        q, wloops = pos[id(w)]
        if q <= p:
            return bool(set(loops) & set(wloops))   # only through a loop's next trip
        block = block_of[id(st)]
        return block in jumpy or not any(block_of[id(b)] == block and p < pos[id(b)][0] < q
                                         for b in binds.get(v, ()) if b is not st)

    out = set()
    for st in stmts:
        if not (isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name)):
            continue
        v, y = st.targets[0].id, effects.view_base(st.value)
        if y is None or v == y:
            continue
        group = {v, y} | shares.get(y, set())
        group |= {n for n, bs in shares.items() if bs & group}
        for w, ws in written:   # a write through one name, read through another afterwards
            if ws & group and (live.get(id(w), set()) & group) - ws and reaches(st, v, w):
                out.add((v, y))
                break
    return out


def _meet(a, b):
    """Zero tangents on both paths; a zero whose kind differs (0.0 vs zeros_like) is zeros_like."""
    return {v: (k if b[v] == k else "like") for v, k in a.items() if v in b}


VIEW_FUNCTIONS = effects.VIEW_FUNCTIONS
aliases_written = effects.aliases_written


def _changed_in(stmts):
    """Names a block may rebind or change in place."""
    mod = gast.Module(body=list(stmts), type_ignores=[])
    return analyze.stored_names(mod) | written_in_place(mod)


def _describe(obj):
    special = guards.describe_callable(obj)
    if special:
        return special
    mod = getattr(obj, "__module__", None) or ("numpy" if type(obj).__name__ == "ufunc" else None)
    if isinstance(obj, tuple) and len(obj) == 2:
        return f"`.{obj[1]}`"
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"`{mod}.{name}`" if mod else f"`{name}`"


def _short(obj):
    name = getattr(obj, "__name__", "fn")
    mod = getattr(obj, "__module__", "") or ""
    if mod.startswith("numpy") or type(obj).__name__ == "ufunc":
        return "np." + name
    return name
