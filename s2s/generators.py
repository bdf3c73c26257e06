"""Source-level lowering of generators (issue 11), a part of s2s/lowering.py's pass.

- ``for x in gen(a):`` where ``gen`` is a generator function of the user's: the generator's body is
  inlined into the loop, each ``yield v`` becoming ``x = v`` followed by the loop body (the
  interleaving of the generator and the loop is Python's own); ``list(gen(a))`` and
  ``[... for x in gen(a)]`` as the value of an assignment: the same, appending; ``yield from inner(a)``
  is a loop yielding inner's items (``_expand_yield_from``).
- ``for a, w in zip(gen(p), ws):``: a loop over the generator counting its items, the other sequences
  read by index (``indexable`` checks them when it runs).
- ``g = gen(a)`` consumed by ``next(g)``: ``_NamedGenerators`` runs a finite, pure generator ahead.

``GeneratorLowering`` is a mixin of ``lowering._Lower`` (its ``_inlinable`` / ``_bind`` / ``block`` are the
pass's own).
"""
import copy
import inspect
import types

import gast

from .anno import getanno, hasanno, setanno
from .control import _assign, _at, _call, _jumps, _name, _obj_name, _stored, _walk_own, indexable, not_exhausted
from .jumps import JumpLowering
from . import astutil


class GeneratorLowering:
    """The generator part of ``lowering._Lower`` (a mixin: the state lives on the pass)."""

    def _generator(self, call):
        """(function, its Context) if ``call`` calls a generator function s2s can inline here, else None."""
        if not isinstance(call, gast.Call) or any(isinstance(a, gast.Starred) for a in call.args) \
                or any(k.arg is None for k in call.keywords):
            return None
        fn = self.ctx.resolve(call.func)
        if not (isinstance(fn, types.FunctionType) and inspect.isgeneratorfunction(fn)):
            return None
        return self._inlinable(fn, generator=True)

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
            bind = gast.copy_location(_assign(copy.deepcopy(s.target), v), s)
            if hasanno(v, "inlined"):   # `x = v` for `yield v`: an error there names the yield's line too
                setanno(bind, "inlined", getanno(v, "inlined"))
            return [bind] + copy.deepcopy(s.body)
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

    def consumed_generators(self, s):
        """``total = sum(gen(x))``, ``max(gen(x))``, ``for v in list(gen(x)):``: a generator of the user's that a
        function reading all of its items is given (not under ``if``/``and``/``or``/a lambda or a
        comprehension, which may not run it), and that is finite and pure, is run first into a list
        (``items = list(gen(x))``, inlined by ``generator_list``) and the list is given instead. None when
        the statement has none."""
        value = s.iter if isinstance(s, gast.For) else getattr(s, "value", None)   # for c in list(gen(x)):
        if not isinstance(s, (gast.Assign, gast.Expr, gast.Return, gast.AugAssign, gast.For)) or value is None:
            return None
        lazy = set()
        for n in astutil.walk_bfs(value):
            if isinstance(n, (gast.IfExp, gast.BoolOp, gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp,
                              gast.GeneratorExp)):
                lazy |= {id(m) for m in astutil.walk_bfs(n) if m is not n}
        found = [n for n in astutil.walk_bfs(value) if isinstance(n, gast.Call) and id(n) not in lazy and n.args
                 and _consumer(self.ctx.resolve(n.func)) and self._generator(n.args[0]) is not None
                 and _NamedGenerators(self)._pure(self.ctx.resolve(n.args[0].func))]
        if not found:
            return None
        out = []
        for n in found:
            t = self.fresh("items")
            out.append(_at([_assign(_name(t, gast.Store()), _call(_obj_name("list", list), [n.args[0]]))], s)[0])
            n.args[0] = _name(t)
        return self.block(out) + self.stmt(s)

    def generator_list(self, s):
        """``xs = list(gen(a))`` / ``xs = [e for x in gen(a)]``: a loop appending, inlined. ``W, b = gen(a)``
        unpacks what ``list(gen(a))`` holds."""
        if len(s.targets) == 1 and isinstance(s.targets[0], (gast.Tuple, gast.List)) \
                and self._generator(s.value) is not None:
            items = self.fresh("items")
            first = _at([_assign(_name(items, gast.Store()), _call(_obj_name("list", list), [s.value]))], s)[0]
            out = self.generator_list(first)
            if out is None:
                return None
            return out + self.block(_at([_assign(s.targets[0], _name(items))], s))
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
                    isinstance(n, gast.Name) and n.id == t for n in astutil.walk_bfs(v)):
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


_INFINITE = ("count", "cycle", "repeat")


def _consumer(fn):
    """A function that reads every item of the iterable it is given first, and keeps none of it lazy."""
    import builtins
    return any(fn is f for f in (builtins.sum, builtins.max, builtins.min, builtins.list, builtins.tuple,
                                 builtins.sorted))   # (np.stack refuses a generator; np.array makes an object)


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
        read = {n.id for a in list(call.args) + [k.value for k in call.keywords] for n in astutil.walk_bfs(a)
                if isinstance(n, gast.Name)}
        read |= {n.id for n in astutil.walk_bfs(parse_function(fn).node) if isinstance(n, gast.Name)} - self.ctx.locals
        if any(effects.mutates(body, n, attributes=True) for n in read):
            return None   # what the generator reads (its arguments, globals) changes afterwards: run lazily only
        items, pos = self.lw.fresh(g + "_items"), self.lw.fresh(g + "_pos")
        uses = [n for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[]))   # (a lambda's too: not rewritten)
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
                    for m in astutil.walk_bfs(n)}

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


class _StopLowering(JumpLowering):
    """Returns of an inlined generator (and a break of the loop consuming it): set a flag, guard what follows."""

    def stmt(self, s, loop):
        if isinstance(s, gast.Return):
            from .jumps import _set
            return [_set(self.done, True, s)], {self.done}
        return super().stmt(s, loop)


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
    sub.namer.declare(taken - sub.locals)   # (the yielded_i loop variables)
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
