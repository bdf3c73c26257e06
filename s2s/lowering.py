"""Source-level lowering of control flow and effects, before normalization (issue 11): the pass.

normalize() calls ``lower(ctx, fn, namer)`` first, on the function's own
syntax tree. What it rewrites is then seen by every later pass as if the
user had written it so, which keeps the later passes unchanged and the
generated code readable:

- ``try``/``except``/``else``/``finally``: the path without an exception is
  differentiated as straight-line code (try body, then else, then finally).
  Each value the try body computes is handed to ``kept(...)``, an impure
  call the optimizer never removes, so every statement of the try body runs
  in the generated code as in the primal. When the try body raises at run
  time, the generated code raises that same exception (the except path is
  not differentiated): never a wrong number.
- ``for x in gen(a):`` where ``gen`` is a generator function of the user's:
  the generator's body is inlined into the loop, each ``yield v`` becoming
  ``x = v`` followed by the loop body (the interleaving of the generator
  and the loop is Python's own). ``list(gen(a))``, ``[... for x in gen(a)]``
  as the value of an assignment: the same, appending.
- a statement calling a user function that changes an argument in place
  (``step(s, dt)`` with ``state += dt * ...`` in ``step``): the callee is
  inlined, its parameter renamed to the caller's variable, so the change is
  followed as if written in the caller.
- a statement in an ``if`` branch that s2s refuses (no rule for
  ``ret.toarray()``): ``compile_retrying`` (s2s/control.py) compiles again
  with that branch replaced by ``raise DifferentiationError(...)`` naming
  the user's line, so the refusal happens only if the branch runs;
- local objects whose state changes, and objects in a global list: s2s/objects.py.

What cannot be inlined soundly is left as it is (and later passes refuse
it as before, naming the line).
"""
import copy
import inspect
import types

import gast

from .anno import getanno, hasanno, setanno
from .control import (_OPS, _PRUNED, _aliased_updates, _assign, _at, _bound_here, _call, _jumps, _key, _name,
                      _obj_name, _prune, _register, _rename, _stored, _substitute, _walk_own, indexable, kept,
                      not_exhausted, updated_in_place)
from .objects import _GlobalObjects, _Objects


def lower(ctx, fn, namer):
    """Rewrite ``fn``'s body in place (see the module doc); updates ``ctx.locals``."""
    _register()
    pruned = _PRUNED.get().get(_key(ctx.fn))
    if pruned:
        _prune(ctx, fn, pruned)
    lw = _Lower(ctx, namer)
    fn.body = _spread_displays(ctx, fn.body, lw._params)
    fn.body = _NamedGenerators(lw).run(fn.body)
    fn.body = _GlobalObjects(lw).run(fn.body)
    fn.body = _Objects(lw).run(fn.body)
    fn.body = lw.block(fn.body) or [gast.Pass()]
    ctx.locals = ctx.locals | lw.new_locals
    fn.body = _aliased_updates(ctx, fn.body, dict(pruned or ()))
    for n in gast.walk(fn):   # names the inlined code reads (a callee's globals) are not free for temporaries
        if isinstance(n, gast.Name) and not hasanno(n, "obj"):
            namer.reserve(n.id)


def lower_generator_loops(ctx, namer, stmts):
    """``stmts`` (a comprehension written as a loop by the normalizer: ``sum(f(x) for x in gen(a))``)
    with the loops over a generator of the user's inlined, as ``lower`` does for the function's own loops."""
    if not any(isinstance(n, gast.For) and isinstance(n.iter, gast.Call) for n in _walk_own(stmts)):
        return stmts
    lw = _Lower(ctx, namer)
    out = lw.block(stmts)
    ctx.locals = ctx.locals | lw.new_locals
    for n in _walk_own(out):
        if isinstance(n, gast.Name) and not hasanno(n, "obj"):
            namer.reserve(n.id)
    return out


class _Lower:
    def __init__(self, ctx, namer):
        self.ctx = ctx
        self.namer = namer
        self.new_locals = set()
        self.depth = 0
        from .parse import param_names
        self._params = set(param_names(ctx.node))

    def fresh(self, base):
        n = self.namer.name(base)
        self.new_locals.add(n)
        return n

    def block(self, stmts):
        out = []
        for s in stmts:
            out.extend(self.stmt(s))
        return out

    def stmt(self, s):
        if isinstance(s, (gast.Try, getattr(gast, "TryStar", gast.Try))):
            return self.lower_try(s)
        if isinstance(s, gast.For):
            hit = self.zip_of_generator(s)
            if hit is not None:
                return hit
            hit = self.generator_loop(s)
            if hit is not None:
                return hit
        if isinstance(s, gast.Assign):
            hit = self.generator_list(s)
            if hit is not None:
                return hit
        if isinstance(s, (gast.Expr, gast.Assign)) and isinstance(s.value, gast.Call):
            hit = self.mutating_call(s)
            if hit is not None:
                return hit
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                    and not isinstance(s, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
                setattr(s, field, self.block(sub) or ([gast.Pass()] if field == "body" else []))
        return [s]

    # ------------------------------------------------------------ try
    def lower_try(self, s):
        if s.finalbody:
            _, ret = _jumps(s.body + s.orelse + [h for h in s.handlers])
            brk, ret2 = _jumps(s.finalbody)
            if ret or ret2 or brk or _jumps(s.body)[0]:
                raise self.ctx.error(s, "a `try` with a `finally` clause and a `return`, `break` or `continue` "
                                     "inside is not supported by s2s.",
                                     "Move the return after the try statement.")
        body = self.keep_block(self.block(s.body), s)
        return body + self.block(s.orelse) + self.block(s.finalbody)

    def keep_block(self, stmts, like):
        """``stmts`` with ``kept(a, b)`` calls so that no value they compute is optimized away."""
        out, pending = [], []

        def flush(at):
            if pending:
                call = _call(_obj_name("kept", kept), [_name(p) for p in pending])
                out.append(_at([gast.Expr(value=call)], at)[0])
                pending.clear()

        for st in stmts:
            if isinstance(st, gast.Expr) and isinstance(st.value, gast.Call):   # np.linalg.cholesky(S): a check
                t = self.fresh("checked")
                st = gast.copy_location(_assign(_name(t, gast.Store()), st.value), st)
            if isinstance(st, (gast.Return, gast.Break, gast.Continue, gast.Raise)):
                if isinstance(st, gast.Return) and st.value is not None \
                        and not isinstance(st.value, (gast.Name, gast.Constant)):
                    t = self.fresh("result")
                    out_st = gast.copy_location(_assign(_name(t, gast.Store()), st.value), st)
                    out.append(out_st)
                    pending.append(t)
                    st = gast.copy_location(gast.Return(value=_name(t)), st)
                flush(st)
                out.append(st)
                continue
            binds = _bound_here([st]) if isinstance(st, (gast.Assign, gast.AugAssign, gast.AnnAssign)) else set()
            if binds & set(pending):
                flush(st)
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    setattr(st, field, self.keep_block(sub, st))
            out.append(st)
            if isinstance(st, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
                pending.extend(sorted(b for b in binds if b not in pending))
        if stmts:
            flush(stmts[-1])
        return out

    # ------------------------------------------------------------ generators
    def _generator(self, call):
        """(function, its Context) if ``call`` calls a generator function s2s can inline here, else None."""
        if not isinstance(call, gast.Call) or any(isinstance(a, gast.Starred) for a in call.args) \
                or any(k.arg is None for k in call.keywords):
            return None
        fn = self.ctx.resolve(call.func)
        if not (isinstance(fn, types.FunctionType) and inspect.isgeneratorfunction(fn)):
            return None
        return self._inlinable(fn, generator=True)

    def _inlinable(self, fn, generator=False):
        from .parse import parse_function
        if self.depth > 10:
            return None
        try:
            sub = parse_function(fn)
        except Exception:
            return None
        node = sub.node
        if not isinstance(node, gast.FunctionDef):
            return None
        if generator:   # `yield from inner(a)` as a statement: `for v in inner(a): yield v`
            node = sub.node = _expand_yield_from(copy.deepcopy(node), sub)
        a = node.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
            return None
        for n in _walk_own(node.body):
            if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda, gast.Global,
                              gast.Nonlocal, gast.YieldFrom, gast.Await, gast.NamedExpr, gast.Try,
                              getattr(gast, "TryStar", gast.Try))):
                return None
            if isinstance(n, gast.Yield) and not generator:
                return None
            if isinstance(n, gast.Return) and generator and n.value is not None:
                return None
            if isinstance(n, (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)):
                return None
        if generator:   # yields only as statements
            yields = [n for n in _walk_own(node.body) if isinstance(n, gast.Yield)]
            stmts = [n.value for n in _walk_own(node.body)
                     if isinstance(n, gast.Expr) and isinstance(n.value, gast.Yield)]
            if len(yields) != len(stmts) or any(y.value is None for y in yields):
                return None
        own = sub.locals
        sub.s2s_foreign = {}   # free names meaning something else here: bound to the callee's objects
        for n in _walk_own(node.body):
            if isinstance(n, gast.Name) and n.id not in own:
                if n.id in self.ctx.locals:
                    return None
                mine, theirs = self.ctx.resolve_name(n.id), sub.resolve_name(n.id)
                if mine is not theirs:
                    from .parse import _MISSING
                    if theirs is _MISSING or not isinstance(n.ctx, gast.Load):
                        return None
                    sub.s2s_foreign[n.id] = theirs
        return fn, sub

    def _bind(self, fn, sub, call, body, keep_names=()):
        """(prologue, renamed body) binding ``fn``'s parameters to the call's arguments."""
        node = sub.node
        try:
            bound = inspect.signature(fn).bind(*call.args, **{k.arg: k.value for k in call.keywords})
        except TypeError:
            return None
        params = [p.id for p in node.args.args]
        stored = _stored(body)
        renames, values, prologue = {}, {}, []
        defaults = fn.__defaults__ or ()
        for i, p in enumerate(params):
            if p in bound.arguments:
                arg = bound.arguments[p]
            else:
                j = i - (len(params) - len(defaults))
                obj = defaults[j]
                if isinstance(obj, (int, float, str, bool, type(None))):
                    arg = gast.Constant(value=obj, kind=None)
                else:
                    arg = _obj_name(self.fresh(p + "_default"), obj)
                    self.new_locals.discard(arg.id)
            if p in keep_names:
                renames[p] = arg.id
            elif p not in stored and isinstance(arg, gast.Constant):
                values[p] = arg
            elif p not in stored and isinstance(arg, gast.Name) and not hasanno(arg, "obj") \
                    and arg.id not in self._rebound_after:
                renames[p] = arg.id
            else:
                new = self.fresh(p)
                renames[p] = new
                prologue.append(_assign(_name(new, gast.Store()), copy.deepcopy(arg)))
        for n in sub.locals - set(params):
            renames[n] = self.fresh(n)
        body = _rename(copy.deepcopy(body), renames)
        body = _substitute(body, values)
        for n in gast.walk(gast.Module(body=body, type_ignores=[])):
            if isinstance(n, gast.Name) and n.id in getattr(sub, "s2s_foreign", {}) and not hasanno(n, "obj") \
                    and n.id not in renames:
                setanno(n, "obj", sub.s2s_foreign[n.id])
        return prologue, body

    _rebound_after = frozenset()

    def generator_loop(self, s):
        hit = self._generator(s.iter)
        if hit is None or s.orelse or _jumps(s.body, ())[1]:
            return None   # (a return inside the loop body: not inlined)
        fn, sub = hit
        if any(effect_on_param(sub.node, p) for p in [a.id for a in sub.node.args.args]):
            return None
        pre = []
        if _jumps(s.body)[0]:   # break / continue in the loop: flags and guards (s2s/jumps.py)
            from .jumps import EXIT, JumpLowering
            lowered = JumpLowering(self.namer).block([copy.deepcopy(s)], None)
            pre, loop = lowered[:-1], lowered[-1]
            body = loop.body
            last = body[-1] if body else None
            if isinstance(last, gast.If) and len(last.body) == 1 and getanno(last.body[0], EXIT, False):
                # `if broke: break` ends the generator: `if broke: return` in its body
                last.body = [gast.copy_location(gast.Return(value=None), last)]
            s = gast.For(target=s.target, iter=s.iter, body=body, orelse=[], type_comment=None,
                         lineno=s.lineno, col_offset=s.col_offset)
            self.new_locals |= (_stored(pre) | _stored(s.body)) - self.ctx.locals
        self._rebound_after = frozenset(_stored(s.body))
        try:
            bound = self._bind(fn, sub, s.iter, sub.node.body)
        finally:
            self._rebound_after = frozenset()
        if bound is None:
            return None
        prologue, body = bound
        _at(pre + prologue + body, s)

        def each(v):
            return [gast.copy_location(_assign(copy.deepcopy(s.target), v), s)] + copy.deepcopy(s.body)
        body = _replace_yields(body, each)
        if any(isinstance(n, gast.Return) for n in _walk_own(body)):   # the generator stops: a flag and guards
            lowering = _StopLowering(self.namer)
            lowering.ret, lowering.done = "", self.fresh("stopped")
            from .jumps import _set
            body = [_set(lowering.done, False, s)] + lowering.block(body, None)
        self.depth += 1
        try:
            return self.block(pre + prologue + body)
        finally:
            self.depth -= 1

    def zip_of_generator(self, s):
        """``for a, w in zip(gen(ws), ws):``: a loop over the generator (inlined by ``generator_loop``) that
        counts its items and reads the other sequences by index, stopping at the shortest as zip does."""
        from .purity import Purity
        it = s.iter
        if not (isinstance(it, gast.Call) and not it.keywords and len(it.args) >= 2 and not s.orelse
                and self.ctx.resolve(it.func) is zip and not any(isinstance(a, gast.Starred) for a in it.args)):
            return None
        gens = [i for i, a in enumerate(it.args) if self._generator(a) is not None]
        if len(gens) != 1:
            return None
        k = gens[0]
        pure = Purity(self.ctx.resolve)
        if not all(pure.pure(a) for i, a in enumerate(it.args) if i != k):
            return None   # (evaluated before the generator's arguments here)
        pre, others = [], {}
        for i, a in enumerate(it.args):
            if i != k:
                others[i] = a.id if isinstance(a, gast.Name) and a.id not in _stored(s.body) else self.fresh("zipped")
                if others[i] != getattr(a, "id", None):
                    pre.append(_assign(_name(others[i], gast.Store()), a))
        count, item = self.fresh("count"), self.fresh("item")
        pre.append(gast.Expr(value=_call(_obj_name("indexable", indexable),
                                         [_name(others[i]) for i in sorted(others)])))
        pre.append(_assign(_name(count, gast.Store()), gast.Constant(value=-1, kind=None)))
        ended = gast.BoolOp(op=gast.Or(), values=[
            gast.Compare(left=_name(count), ops=[gast.GtE()],
                         comparators=[_call(_obj_name("len", len), [_name(others[i])])]) for i in sorted(others)]) \
            if len(others) > 1 else gast.Compare(left=_name(count), ops=[gast.GtE()],
                                                 comparators=[_call(_obj_name("len", len), [_name(others[i])])
                                                              for i in others])
        mine = _name(item)
        unpack = []
        if isinstance(s.target, gast.Tuple) and len(s.target.elts) == len(it.args) \
                and isinstance(s.target.elts[k], (gast.Tuple, gast.List)) \
                and all(isinstance(e, gast.Name) for e in s.target.elts[k].elts):
            # `for row, (W, b) in zip(xs, gen(p))`: the generator's item unpacked before the check (into
            # fresh names: the loop's own are bound after it, as zip binds them)
            parts = [self.fresh(e.id) for e in s.target.elts[k].elts]
            unpack = [_assign(gast.Tuple(elts=[_name(p_, gast.Store()) for p_ in parts], ctx=gast.Store()),
                              _name(item))]
            mine = gast.Tuple(elts=[_name(p_) for p_ in parts], ctx=gast.Load())
        elts = [mine if i == k else gast.Subscript(value=_name(others[i]), slice=_name(count),
                                                   ctx=gast.Load()) for i in range(len(it.args))]
        body = unpack + [_assign(_name(count, gast.Store()), gast.BinOp(left=_name(count), op=gast.Add(),
                                                                         right=gast.Constant(value=1, kind=None))),
                gast.If(test=ended, body=[gast.Break()], orelse=[]),
                _assign(copy.deepcopy(s.target), gast.Tuple(elts=elts, ctx=gast.Load()))]
        loop = gast.For(target=_name(item, gast.Store()), iter=it.args[k], body=body, orelse=[], type_comment=None)
        _at(pre + [loop], s)
        loop.body += s.body   # (the user's statements keep their own lines)
        out = self.generator_loop(loop)
        if out is None:
            return None
        return self.block(pre) + out

    def generator_list(self, s):
        """``xs = list(gen(a))`` / ``xs = [e for x in gen(a)]``: a loop appending, inlined."""
        if len(s.targets) != 1 or not isinstance(s.targets[0], gast.Name):
            return None
        v, t = s.value, s.targets[0].id
        if isinstance(v, gast.Call) and len(v.args) == 1 and not v.keywords and self.ctx.resolve(v.func) is list \
                and self._generator(v.args[0]) is not None:
            item = self.fresh("item")
            elt, target, it, ifs = _name(item), _name(item, gast.Store()), v.args[0], []
        elif isinstance(v, gast.ListComp) and len(v.generators) == 1 \
                and self._generator(v.generators[0].iter) is not None \
                and not v.generators[0].is_async:
            g = v.generators[0]
            if _stored([g.target]) & self.ctx.locals - _stored([g.target]) or any(
                    isinstance(n, gast.Name) and n.id == t for n in gast.walk(v)):
                return None
            elt, target, it, ifs = v.elt, g.target, g.iter, g.ifs
        else:
            return None
        append = gast.Expr(value=_call(gast.Attribute(value=_name(t), attr="append", ctx=gast.Load()), [elt]))
        inner = [append]
        for c in reversed(ifs):
            inner = [gast.If(test=c, body=inner, orelse=[])]
        loop = gast.For(target=target, iter=it, body=inner, orelse=[], type_comment=None)
        init = _assign(_name(t, gast.Store()), gast.List(elts=[], ctx=gast.Load()))
        _at([init, loop], s)
        out = self.generator_loop(loop)
        return None if out is None else [init] + out

    # ------------------------------------------------------------ callees changing their arguments
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
        for p in changed & set(params):
            arg = bound.arguments.get(p)
            if not isinstance(arg, gast.Name) or arg.id not in self.ctx.locals or p in plain:
                return None   # changed, but not a variable of ours under one name: not followed here
            if sum(isinstance(a, gast.Name) and a.id == arg.id for a in bound.arguments.values()) > 1:
                return None   # the same object under two parameters
        for n in _walk_own(body):   # the callee's own aliases of a changed parameter: not inlined
            if isinstance(n, gast.Assign) and isinstance(n.value, (gast.Name, gast.Subscript, gast.Attribute)):
                root = n.value
                while isinstance(root, (gast.Subscript, gast.Attribute)):
                    root = root.value
                if isinstance(root, gast.Name) and root.id in changed:
                    return None
        keep = changed & set(params)
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


def _spread_displays(ctx, body, params):
    """``f(*xs)`` / ``f(**kw)`` where ``xs`` is bound once to a list or tuple display (``xs = [W, np.sin(W)]``)
    and ``kw`` to a dict display with string keys, neither changed afterwards: the items spread as written
    (``f(xs[0], xs[1])``, ``f(a=kw["a"])``), so the arguments that carry a gradient are plain ones. Also
    ``f(*[a, b])`` and ``f(**{"a": v})``. Anything else is left as it is."""
    from . import effects
    binds, displays = {}, {}
    for n in _walk_own(body):
        if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
            binds[n.id] = binds.get(n.id, 0) + 1
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            v = n.value
            if isinstance(v, (gast.List, gast.Tuple)) and not any(isinstance(e, gast.Starred) for e in v.elts):
                displays[n.targets[0].id] = len(v.elts)
            elif isinstance(v, gast.Dict) and all(isinstance(k, gast.Constant) and isinstance(k.value, str)
                                                  for k in v.keys):
                displays[n.targets[0].id] = [k.value for k in v.keys]
    plain_uses = set()   # ids of the uses that cannot change a list's length: *xs, xs[i], len(xs), for v in xs
    for n in gast.walk(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Starred) or isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Load) \
                or isinstance(n, gast.For):
            plain_uses.add(id(n.iter if isinstance(n, gast.For) else n.value))
        elif isinstance(n, gast.keyword) and n.arg is None:
            plain_uses.add(id(n.value))
        elif isinstance(n, gast.Call) and ctx.resolve(n.func) is len and len(n.args) == 1:
            plain_uses.add(id(n.args[0]))
    only_plain = {x for x in displays
                  if all(id(n) in plain_uses for n in gast.walk(gast.Module(body=body, type_ignores=[]))
                         if isinstance(n, gast.Name) and n.id == x and isinstance(n.ctx, gast.Load))}
    fixed = {x: d for x, d in displays.items() if binds.get(x) == 1 and x not in params
             and not effects.mutates(body, x, attributes=True) and x in only_plain
             and (isinstance(d, int) or len(set(d)) == len(d))}
    changed = []

    class Spread(gast.NodeTransformer):
        def visit_FunctionDef(self, node):   # (a nested function's names are its own)
            return node

        visit_Lambda = visit_ClassDef = visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Call(self, node):
            self.generic_visit(node)
            args = []
            for a in node.args:
                v = a.value if isinstance(a, gast.Starred) else None
                if isinstance(v, (gast.List, gast.Tuple)) and not any(isinstance(e, gast.Starred) for e in v.elts):
                    args.extend(v.elts)
                elif isinstance(v, gast.Name) and isinstance(fixed.get(v.id), int):
                    args.extend(gast.copy_location(gast.Subscript(value=_name(v.id), slice=gast.Constant(
                        value=i, kind=None), ctx=gast.Load()), a) for i in range(fixed[v.id]))
                else:
                    args.append(a)
                    continue
                changed.append(node)
            kws = []
            for k in node.keywords:
                v = k.value if k.arg is None else None
                if isinstance(v, gast.Dict) and all(isinstance(c, gast.Constant) and isinstance(c.value, str)
                                                    for c in v.keys) and len({c.value for c in v.keys}) == len(v.keys):
                    kws.extend(gast.keyword(arg=c.value, value=e) for c, e in zip(v.keys, v.values))
                elif isinstance(v, gast.Name) and isinstance(fixed.get(v.id), list):
                    kws.extend(gast.keyword(arg=c, value=gast.copy_location(gast.Subscript(
                        value=_name(v.id), slice=gast.Constant(value=c, kind=None), ctx=gast.Load()), node))
                               for c in fixed[v.id])
                else:
                    kws.append(k)
                    continue
                changed.append(node)
            node.args, node.keywords = args, kws
            return node
    new = [Spread().visit(copy.deepcopy(st)) for st in body]
    return new if changed else body


_INFINITE = ("count", "cycle", "repeat")


class _NamedGenerators:
    """A generator of the user's bound to a name and consumed by ``next`` (``g = layers(params)``, then
    ``W, b = next(g)``, ``for W, b in g:``) is run ahead into a list when it is finite and pure: no
    ``while`` loop, no random draw, print or change of state, its arguments not changed afterwards, so
    running it first gives the items a lazy run would. Then ``g = layers(params)`` is
    ``g_items = list(layers(params))`` (inlined, s2s/lowering.py) with a position ``g_pos``, ``next(g)`` reads
    ``g_items[g_pos]`` (``next(g, d)``: ``d`` past the end), and ``for x in g`` runs over the rest.
    Anything else about the name (passed on, returned, ``send``) leaves it as it is (and refused)."""

    def __init__(self, lw):
        self.lw = lw
        self.ctx = lw.ctx

    def run(self, body):
        for st in list(_walk_own(body)):
            if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                    and self.lw._generator(st.value) is not None:
                new = self.materialize(copy.deepcopy(body), st.targets[0].id)
                if new is not None:
                    body = new
        return body

    def _pure(self, fn, depth=0):
        """The generator (or a function it calls) is finite and free of effects."""
        from . import effects
        from .parse import parse_function
        from .purity import Purity
        import itertools
        if depth > 4:
            return False
        try:
            sub = parse_function(fn)
        except Exception:
            return False
        pure = Purity(sub.resolve)
        for n in _walk_own(sub.node.body):
            if isinstance(n, (gast.While, gast.Global, gast.Nonlocal)):
                return False
            if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, gast.Store):
                return False
            if isinstance(n, gast.Call):
                callee = sub.resolve(n.func)
                if callee is not None and getattr(callee, "__module__", None) == "itertools" \
                        and getattr(callee, "__name__", "") in _INFINITE or callee is itertools.count:
                    return False
                if pure.callee_pure(n.func):
                    if isinstance(n.func, gast.Attribute) and n.func.attr in effects.IMPURE_METHODS:
                        return False
                    continue
                if isinstance(callee, types.FunctionType) and effects.user_function(callee) \
                        and not effects.params_changed(callee) and self._pure(callee, depth + 1):
                    continue
                return False
        return True

    def materialize(self, body, g):
        from . import effects
        made = [st for st in _walk_own(body) if isinstance(st, gast.Assign) and len(st.targets) == 1
                and isinstance(st.targets[0], gast.Name) and st.targets[0].id == g]
        stores = [n for n in _walk_own(body) if isinstance(n, gast.Name) and n.id == g
                  and not isinstance(n.ctx, gast.Load)]
        if len(made) != 1 or len(stores) != 1 or g in self.lw._params:
            return None
        call = made[0].value
        fn = self.ctx.resolve(call.func)
        if not self._pure(fn):
            return None
        from .parse import parse_function
        read = {n.id for a in list(call.args) + [k.value for k in call.keywords] for n in gast.walk(a)
                if isinstance(n, gast.Name)}
        read |= {n.id for n in gast.walk(parse_function(fn).node) if isinstance(n, gast.Name)} - self.ctx.locals
        if any(effects.mutates(body, n, attributes=True) for n in read):
            return None   # what the generator reads (its arguments, globals) changes afterwards: run lazily only
        items, pos = self.lw.fresh(g + "_items"), self.lw.fresh(g + "_pos")
        uses = [n for n in gast.walk(gast.Module(body=body, type_ignores=[]))   # (a lambda's too: not rewritten)
                if isinstance(n, gast.Name) and n.id == g and isinstance(n.ctx, gast.Load)]
        ok = set()   # ids of the uses this rewrites
        repl = {}    # id of a next(g) call -> the variable read ahead
        self.count = 0

        def nxt(call_):
            return isinstance(call_, gast.Call) and self.ctx.resolve(call_.func) is next and not call_.keywords \
                and 1 <= len(call_.args) <= 2 and isinstance(call_.args[0], gast.Name) and call_.args[0].id == g

        def lazy(st):   # expressions evaluated conditionally or repeatedly: next(g) is not hoisted from them
            return {id(m) for n in _walk_own([st]) if isinstance(n, (gast.BoolOp, gast.IfExp, gast.ListComp,
                                                                      gast.SetComp, gast.DictComp, gast.GeneratorExp))
                    for m in gast.walk(n)}

        def block(stmts):
            out = []
            for st in stmts:
                pre = []
                heads = [st.value] if isinstance(st, (gast.Assign, gast.AugAssign, gast.Expr, gast.Return)) \
                    and st.value is not None else [st.test] if isinstance(st, gast.If) \
                    else [st.iter] if isinstance(st, gast.For) else []
                skip = lazy(st)
                for head in heads:
                    for n in list(_walk_own([head])):
                        if nxt(n) and id(n) not in skip:
                            v = self.lw.fresh(g + "_next")
                            read = _assign(_name(v, gast.Store()), gast.Subscript(value=_name(items), slice=_name(pos),
                                                                                   ctx=gast.Load()))
                            step = _assign(_name(pos, gast.Store()), gast.BinOp(
                                left=_name(pos), op=gast.Add(), right=gast.Constant(value=1, kind=None)))
                            if len(n.args) == 1:
                                pre += [gast.Expr(value=_call(_obj_name("not_exhausted", not_exhausted),
                                                              [_name(items), _name(pos)])), read, step]
                            else:
                                more = gast.Compare(left=_name(pos), ops=[gast.Lt()],
                                                    comparators=[_call(_obj_name("len", len), [_name(items)])])
                                pre.append(gast.If(test=more, body=[read, step],
                                                   orelse=[_assign(_name(v, gast.Store()), n.args[1])]))
                            ok.add(id(n.args[0]))
                            repl[id(n)] = v
                if isinstance(st, gast.For) and isinstance(st.iter, gast.Name) and st.iter.id == g and not st.orelse:
                    ok.add(id(st.iter))   # for x in g: for k in range(g_pos, len(g_items)): x = g_items[k]
                    k = self.lw.fresh("k")
                    st.iter = _call(_obj_name("range", range), [_name(pos), _call(_obj_name("len", len),
                                                                                  [_name(items)])])
                    head = _at([_assign(st.target, gast.Subscript(value=_name(items), slice=_name(k),
                                                                  ctx=gast.Load())),
                                _assign(_name(pos, gast.Store()), gast.BinOp(
                                    left=_name(pos), op=gast.Add(), right=gast.Constant(value=1, kind=None)))], st)
                    st.target = _at([_name(k, gast.Store())], st)[0]
                    st.body = head + st.body
                for field in ("body", "orelse"):
                    sub_ = getattr(st, field, None)
                    if isinstance(sub_, list) and sub_ and isinstance(sub_[0], gast.stmt) \
                            and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                        setattr(st, field, block(sub_))
                if st is made_now:
                    st = [_assign(_name(items, gast.Store()), _call(_obj_name("list", list), [st.value])),
                          _assign(_name(pos, gast.Store()), gast.Constant(value=0, kind=None))]
                    out.extend(_at(st, made_now))
                    continue
                out.extend(_at(pre, st) + [_replaced(st, repl)])
            return out

        made_now = made[0]
        body = block(body)
        if any(id(u) not in ok for u in uses):
            return None   # g used otherwise: left as it is
        return body


def _replaced(st, repl):
    """``st`` with each call whose id is in ``repl`` (a ``next(g)`` read ahead) replaced by its variable."""
    class R(gast.NodeTransformer):
        def visit_Call(self, node):
            self.generic_visit(node)
            if id(node) in repl:
                return gast.copy_location(_name(repl[id(node)]), node)
            return node
    return R().visit(st) if repl else st


class _StopLowering(__import__("s2s.jumps", fromlist=["JumpLowering"]).JumpLowering):
    """Returns of an inlined generator (and a break of the loop consuming it): set a flag, guard what follows."""

    def stmt(self, s, loop):
        if isinstance(s, gast.Return):
            from .jumps import _set
            return [_set(self.done, True, s)], {self.done}
        return super().stmt(s, loop)


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
    return [_assign(target, value)]


def _names_target(t):
    """``y`` or ``a, b`` / ``[a, b]`` (names only)."""
    if isinstance(t, gast.Name):
        return True
    return isinstance(t, (gast.Tuple, gast.List)) and all(isinstance(e, gast.Name) for e in t.elts)


def effect_on_param(node, p):
    from . import effects
    return effects.mutates(node.body, p, attributes=True)


def _expand_yield_from(node, sub):
    """``node`` with each statement ``yield from it`` written ``for v in it: yield v`` (the loop is then
    inlined like any other; a ``yield from`` whose value is used is left, and refused)."""
    from .parse import local_names
    taken = set(local_names(node))

    def fresh():
        i = 0
        while f"yielded_{i}" in taken:
            i += 1
        taken.add(f"yielded_{i}")
        return f"yielded_{i}"

    def block(stmts):
        out = []
        for st in stmts:
            if isinstance(st, gast.Expr) and isinstance(st.value, gast.YieldFrom):
                v = fresh()
                loop = gast.For(target=_name(v, gast.Store()), iter=st.value.value,
                                body=[gast.Expr(value=gast.Yield(value=_name(v)))], orelse=[], type_comment=None)
                out.append(_at([loop], st)[0])
                continue
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(st, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
                    setattr(st, field, block(inner))
            out.append(st)
        return out
    node.body = block(node.body)
    sub.locals = set(sub.locals) | taken
    return node


def _replace_yields(stmts, each):
    out = []
    for st in stmts:
        if isinstance(st, gast.Expr) and isinstance(st.value, gast.Yield):
            out.extend(each(st.value.value))
            continue
        for field in ("body", "orelse"):
            sub = getattr(st, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                setattr(st, field, _replace_yields(sub, each))
        out.append(st)
    return out
