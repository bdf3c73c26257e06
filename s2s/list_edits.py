"""Edits of a local list (or dict) that change its length, written as the new list they make (issue 11).

``v = xs.pop()``, ``v = xs.pop(i)``, ``xs.insert(i, v)``, ``del xs[i]``, ``del xs[a:b]`` and ``xs[a:b] = ys``
on a list built in the function (``v = d.pop(k)`` on a dict: ``v = d[k]; d = {k_: v_ for ... if k_ != k}``)
become ``v = xs[-1]; xs = xs[:-1]``, ``xs = xs[:i] + [v] + xs[i:]``, ...:
slices and concatenations, which both transforms follow. Rebinding ``xs`` is the same as changing it only
where nothing else holds the list, so the rewrite is made only when every binding of ``xs`` is a list display,
comprehension or ``list(...)``, and every other use of ``xs`` reads it on the spot (an index or slice, a
method call on it, ``len``/``sum``/``min``/``max``/``sorted``/``list``/``tuple`` or a NumPy function of it,
the sequence a ``for`` loop walks when no edit sits in that loop, ``return xs``; a dict's ``.items()`` view
only walked or read where it is made); anything else (``b = xs``, ``f(xs)``, an iterator or a dict view kept)
stays as written, and is refused as before."""
import builtins

import gast
import numpy as np

from . import astutil

_READERS = {builtins.len, builtins.sum, builtins.min, builtins.max, builtins.sorted, builtins.list, builtins.tuple,
            builtins.any, builtins.all}
_ITERS = {builtins.enumerate, builtins.zip, builtins.reversed}


def _name(i, ctx=None):
    return gast.Name(id=i, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _slice(xs, lower=None, upper=None):
    return gast.Subscript(value=_name(xs), slice=gast.Slice(lower=lower, upper=upper, step=None), ctx=gast.Load())


def _cat(*parts):
    out = parts[0]
    for p in parts[1:]:
        out = gast.BinOp(left=out, op=gast.Add(), right=p)
    return out


def _rest(xs, i):
    """``xs[i:][1:]``: what follows item ``i`` (also for a negative ``i``)."""
    return gast.Subscript(value=_slice(xs, i), slice=gast.Slice(lower=gast.Constant(value=1, kind=None), upper=None,
                                                                step=None), ctx=gast.Load())


def _simple(e):
    return isinstance(e, (gast.Name, gast.Constant)) or isinstance(e, gast.UnaryOp) and _simple(e.operand) \
        or isinstance(e, gast.BinOp) and _simple(e.left) and _simple(e.right)


class _Lists:
    def __init__(self, ctx, fn, namer):
        self.ctx, self.fn, self.namer = ctx, fn, namer

    def resolved(self, node):
        if isinstance(node, gast.Name) and node.id in self.ctx.locals:
            return None
        try:
            return self.ctx.resolve(node)
        except Exception:  # noqa: BLE001 - not resolvable: not known
            return None

    def fresh_list(self, v):
        if isinstance(v, (gast.Dict, gast.DictComp)) or isinstance(v, gast.Call) \
                and self.resolved(v.func) is builtins.dict and len(v.args) <= 1 and not v.keywords:
            return "dict"
        return isinstance(v, (gast.List, gast.ListComp)) or isinstance(v, gast.Call) \
            and self.resolved(v.func) is builtins.list and len(v.args) <= 1 and not v.keywords \
            or isinstance(v, gast.BinOp) and isinstance(v.op, gast.Add) and (self.fresh_list(v.left)
                                                                            or self.fresh_list(v.right))

    def candidates(self):
        """Local names every binding of which is a new list, with every use read on the spot."""
        parents = {}
        for n in astutil.walk_bfs(self.fn):
            for c in gast.iter_child_nodes(n):
                parents[id(c)] = n
        names = {}
        for n in astutil.walk_bfs(self.fn):
            if isinstance(n, gast.Name):
                names.setdefault(n.id, []).append(n)
        params = {a.id for a in astutil.walk_bfs(self.fn.args) if isinstance(a, gast.Name)}
        out, self.dicts = set(), set()
        for name, uses in names.items():
            if name in params:
                continue
            ok, kinds = True, set()
            for u in uses:
                p = parents.get(id(u))
                if isinstance(u.ctx, gast.Store):
                    ok = isinstance(p, gast.Assign) and p.targets == [u] and self.fresh_list(p.value)
                    kinds.add(ok)
                elif isinstance(u.ctx, gast.Del):
                    ok = False
                else:
                    ok = self.read_on_the_spot(u, p, parents)
                if not ok:
                    break
            if ok and any(isinstance(u.ctx, gast.Store) for u in uses) and len(kinds) == 1:
                out.add(name)
                if kinds == {"dict"}:
                    self.dicts.add(name)
        return out, parents

    def read_on_the_spot(self, u, p, parents):
        if isinstance(p, gast.Subscript) and p.value is u:
            return True
        if isinstance(p, gast.Attribute) and p.value is u:
            call = parents.get(id(p))
            if not (isinstance(call, gast.Call) and call.func is p):
                return False
            if p.attr not in ("items", "values", "keys"):
                return True
            q = parents.get(id(call))   # a dict's view is live: only walked or read where it is made
            return isinstance(q, (gast.For, gast.comprehension)) and q.iter is call \
                or isinstance(q, gast.Call) and call in q.args and self.resolved(q.func) in _READERS
        if isinstance(p, gast.Call) and u in p.args:
            f = self.resolved(p.func)
            if f in _READERS or isinstance(f, np.ufunc) or (getattr(f, "__module__", None) or "").startswith("numpy"):
                return True
            if f in _ITERS:
                q = parents.get(id(p))
                return isinstance(q, (gast.For, gast.comprehension)) and q.iter is p
            return False
        if isinstance(p, (gast.For, gast.comprehension)) and p.iter is u:
            return True
        if isinstance(p, gast.Compare) or isinstance(p, (gast.If, gast.While)) and p.test is u:
            return True
        return isinstance(p, gast.Return)   # (the list as it is then: nothing else holds it)

    def run(self):
        names, parents = self.candidates()
        if not names:
            return
        self.names = names
        self.parents = parents
        self.fn.body = self.block(self.fn.body, ())

    def block(self, stmts, loops):
        out = []
        for s in stmts:
            inner = loops + ((s,) if isinstance(s, (gast.For, gast.While)) else ())
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(s, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(s, (gast.FunctionDef, gast.ClassDef)):
                    setattr(s, field, self.block(sub, inner))
            if isinstance(s, gast.Try):
                for h in s.handlers:
                    h.body = self.block(h.body, loops)
            new = self.edit(s, loops)
            out.extend(new if new is not None else [s])
        return out

    def walks(self, xs, loops):
        """A loop around the edit walks ``xs`` (its iterator would see the edit)."""
        return any(isinstance(lp, gast.For) and any(isinstance(n, gast.Name) and n.id == xs
                                                   for n in astutil.walk_bfs(lp.iter)) for lp in loops)

    def edit(self, s, loops):
        def assign(target, value):
            return gast.copy_location(gast.Assign(targets=[target], value=value, type_comment=None), s)

        def rebind(xs, value):
            return assign(_name(xs, gast.Store()), value)

        call = s.value if isinstance(s, (gast.Expr, gast.Assign)) else None
        if isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) \
                and isinstance(call.func.value, gast.Name) and call.func.value.id in self.names and not call.keywords \
                and (isinstance(s, gast.Expr) or len(s.targets) == 1) and not self.walks(call.func.value.id, loops):
            xs, method, args = call.func.value.id, call.func.attr, call.args
            if any(isinstance(a, gast.Starred) for a in args) or not all(_simple(a) for a in args[:1]):
                return None
            got = (lambda v: [assign(s.targets[0], v)]) if isinstance(s, gast.Assign) else (lambda v: [])
            if xs in self.dicts:
                if method != "pop" or len(args) != 1:
                    return None
                k, v = self.namer.local("k"), self.namer.local("v")   # {k: v for k, v in d.items() if k != key}
                items = gast.Call(func=gast.Attribute(value=_name(xs), attr="items", ctx=gast.Load()), args=[],
                                  keywords=[])
                keep = gast.Compare(left=_name(k), ops=[gast.NotEq()], comparators=[astutil.clone(args[0])])
                rest = gast.DictComp(key=_name(k), value=_name(v), generators=[gast.comprehension(
                    target=gast.Tuple(elts=[_name(k, gast.Store()), _name(v, gast.Store())], ctx=gast.Store()),
                    iter=items, ifs=[keep], is_async=0)])
                item = gast.Subscript(value=_name(xs), slice=astutil.clone(args[0]), ctx=gast.Load())
                return got(item) + [rebind(xs, rest)]
            if method == "pop" and len(args) == 0:
                last = gast.Subscript(value=_name(xs), slice=gast.Constant(value=-1, kind=None), ctx=gast.Load())
                return got(last) + [rebind(xs, _slice(xs, None, gast.UnaryOp(op=gast.USub(), operand=gast.Constant(
                    value=1, kind=None))))]
            if method == "pop" and len(args) == 1:
                item = gast.Subscript(value=_name(xs), slice=astutil.clone(args[0]), ctx=gast.Load())
                return got(item) + [rebind(xs, _cat(_slice(xs, None, astutil.clone(args[0])),
                                                    _rest(xs, astutil.clone(args[0]))))]
            if method == "insert" and len(args) == 2 and isinstance(s, gast.Expr):
                i = args[0]
                return [rebind(xs, _cat(_slice(xs, None, astutil.clone(i)),
                                        gast.List(elts=[args[1]], ctx=gast.Load()), _slice(xs, astutil.clone(i))))]
            return None
        if isinstance(s, gast.Delete) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Subscript):
            t = s.targets[0]
            if not (isinstance(t.value, gast.Name) and t.value.id in self.names) or self.walks(t.value.id, loops):
                return None
            xs, i = t.value.id, t.slice
            if isinstance(i, gast.Slice):
                if i.step is not None or not all(e is None or _simple(e) for e in (i.lower, i.upper)):
                    return None
                return [rebind(xs, _cat(_slice(xs, None, i.lower), _slice(xs, i.upper)))]
            if not _simple(i):
                return None
            return [rebind(xs, _cat(_slice(xs, None, astutil.clone(i)), _rest(xs, astutil.clone(i))))]
        if isinstance(s, gast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Subscript) \
                and isinstance(s.targets[0].slice, gast.Slice) and isinstance(s.targets[0].value, gast.Name) \
                and s.targets[0].value.id in self.names and not self.walks(s.targets[0].value.id, loops):
            xs, i = s.targets[0].value.id, s.targets[0].slice
            if i.step is not None or not all(e is None or _simple(e) for e in (i.lower, i.upper)):
                return None
            value = s.value if isinstance(s.value, (gast.List, gast.ListComp)) else gast.Call(
                func=_name("list"), args=[s.value], keywords=[])
            if not isinstance(s.value, (gast.List, gast.ListComp)) \
                    and self.resolved(_name("list")) is not builtins.list:
                return None
            return [rebind(xs, _cat(_slice(xs, None, i.lower), value, _slice(xs, i.upper)))]
        return None


def rewrite(ctx, fn, namer):
    """Length-changing edits of local lists in ``fn`` (the user's FunctionDef) as the lists they make."""
    if not any(isinstance(n, gast.Delete) or isinstance(n, gast.Attribute) and n.attr in ("pop", "insert")
               or isinstance(n, gast.Subscript) and isinstance(n.slice, gast.Slice) and isinstance(n.ctx, gast.Store)
               for n in astutil.walk_bfs(fn)):
        return
    _Lists(ctx, fn, namer).run()
