"""Generator expressions, ``map(...)`` and ``filter(...)`` that are not consumed where they are made.

s2s evaluates these where they are written (a generator expression becomes a list comprehension, ``map``
and ``filter`` comprehensions, s2s/desugar.py), while Python evaluates them lazily, item by item, where they
are consumed. The two agree when nothing they read changes in between and they are consumed once; this
pass checks that, before the lowering, and refuses the rest at the user's line:

- ``terms = (v * w for v in x)`` followed by ``w = 5.0`` (or ``x[0] = ...``) before ``sum(terms)``;
- a generator consumed twice (``sum(g)`` then ``sum(g)``: Python's second is empty);
- a generator stored into a container (``[(v * i for v in x) for i in ...]``,
  ``gens.append(v * i for v in x)``), whose consumption s2s does not follow. (A helper's ``return`` of one
  is let through: its own variables change no more.)
"""
import gast

from . import astutil, effects
from .aliasing import view_base

_LAZY_CALLS = (map, filter, reversed, iter)
_ESCAPE_METHODS = frozenset({"append", "insert", "add", "appendleft", "setdefault", "put", "__setitem__"})
_SCOPES = (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)
_ADVICE = ("Consume it where it is made (`total = sum(v * w for v in x)`), or build a list (`[v * w for v in x]`) "
           "if you meant the values as they are now.")


def _is_lazy(node, ctx):
    if isinstance(node, gast.GeneratorExp):
        return True
    if isinstance(node, gast.Call) and node.args:
        try:
            fn = ctx.resolve(node.func)
        except Exception:   # (an unresolvable name: not one of the builtins)
            return False
        return any(fn is f for f in _LAZY_CALLS)
    return False


def _describe(node):
    if isinstance(node, gast.GeneratorExp):
        return "a generator expression"
    return f"`{getattr(node.func, 'id', 'map')}(...)`"


def _parents(fn):
    out = {}
    for n in gast.walk(fn):
        for c in gast.iter_child_nodes(n):
            out[c] = n
    return out


def _bound_inside(node):
    """Names bound inside ``node``'s own scopes (comprehension targets, lambda parameters)."""
    out = set()
    for n in gast.walk(node):
        if isinstance(n, gast.comprehension):
            out |= {m.id for m in gast.walk(n.target) if isinstance(m, gast.Name)}
        elif isinstance(n, gast.Lambda):
            out |= {a.id for a in n.args.args + n.args.kwonlyargs if isinstance(a, gast.Name)}
    return out


def _reads(node, fn):
    """The names ``node`` reads when it runs (what a lambda or nested def it names reads, too)."""
    names = {n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}
    names -= _bound_inside(node)
    defs = {}
    for n in gast.walk(fn):
        if isinstance(n, gast.FunctionDef) and n is not fn:
            defs[n.name] = n
        elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                and isinstance(n.value, gast.Lambda):
            defs[n.targets[0].id] = n.value
    for name in list(names):
        d = defs.get(name)
        if d is not None:
            inner = {n.id for n in gast.walk(d) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}
            own = {n.id for n in gast.walk(d) if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)}
            names |= inner - own - _bound_inside(d)
    # names sharing memory with one read (z = y; z[0] = v changes what a generator over y yields)
    changed = True
    while changed:
        changed = False
        for n in gast.walk(fn):
            if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
                base = view_base(n.value)
                t = n.targets[0].id
                if base is not None and (base in names) != (t in names):
                    names |= {base, t}
                    changed = True
    return names


def _block_of(st, parents):
    p = parents.get(st)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(p, field, None)
        if isinstance(block, list) and any(s is st for s in block):
            return block
    return None


def _in_loop(st, parents, fn):
    p = parents.get(st)
    while p is not None and p is not fn:
        if isinstance(p, (gast.For, gast.While, gast.AsyncFor)):
            return True
        if isinstance(p, (gast.FunctionDef, gast.Lambda)):
            return False
        p = parents.get(p)
    return False


def _stored(stmts, skip_targets=None):
    """Names (re)bound by ``stmts`` -> the first node binding each."""
    out = {}
    for s in stmts:
        for n in gast.walk(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)) \
                    and (skip_targets is None or n not in skip_targets):
                out.setdefault(n.id, n)
            elif isinstance(n, (gast.FunctionDef, gast.ClassDef)):
                out.setdefault(n.name, n)
    return out


def _changed(stmts, reads, skip_targets=None):
    """The first name of ``reads`` that ``stmts`` rebind or change in place, or None."""
    stored = _stored(stmts, skip_targets)
    for r in sorted(reads):
        if r in stored:
            return r
    for r in sorted(reads):
        if effects.mutates(stmts, r, attributes=True):
            return r
    return None


class _Check:
    def __init__(self, fn, ctx):
        self.fn, self.ctx = fn, ctx
        self.parents = _parents(fn)

    def run(self):
        for n in list(gast.walk(self.fn)):
            if _is_lazy(n, self.ctx) and not self._inner(n):
                self.position(n, n)

    def _inner(self, n):
        """True when ``n`` feeds another lazy value (its iterable), which is checked instead."""
        p = self.parents.get(n)
        if isinstance(p, gast.Call) and _is_lazy(p, self.ctx) and any(a is n for a in p.args):
            return True
        if isinstance(p, gast.comprehension) and p.iter is n:
            owner = self.parents.get(p)
            return isinstance(owner, gast.GeneratorExp)
        return False

    def _outer(self, n):
        while True:
            p = self.parents.get(n)
            if isinstance(p, gast.Call) and _is_lazy(p, self.ctx) and any(a is n for a in p.args):
                n = p
            elif isinstance(p, gast.comprehension) and p.iter is n \
                    and isinstance(self.parents.get(p), gast.GeneratorExp):
                n = self.parents.get(p)
            else:
                return n

    def position(self, lazy, shown, named=True):
        """Check where the value of ``lazy`` (the outermost lazy expression) goes."""
        lazy = self._outer(lazy)
        p = self.parents.get(lazy)
        if isinstance(p, gast.keyword):
            p = self.parents.get(p)
        if isinstance(p, gast.Call) and lazy is not p.func:
            f = p.func
            if isinstance(f, gast.Attribute) and f.attr in _ESCAPE_METHODS:
                self.escape(lazy, shown)
            return   # a call consumes it (sum, list, np.array, ...)
        if isinstance(p, gast.comprehension) and p.iter is lazy:
            return   # (a list, set or dict comprehension consumes it at once)
        if isinstance(p, (gast.For, gast.AsyncFor)) and p.iter is lazy:
            r = _changed(p.body + p.orelse, _reads(lazy, self.fn))
            if r is not None:
                self.refuse_changed(shown, r, p, p.body + p.orelse)
            return
        if isinstance(p, gast.Expr):
            return
        if isinstance(p, gast.Return) and named:
            return   # a helper's `return (v * w for v in x)`: its locals change no more (a caller changing what
            #          it reads before consuming it is not checked: the call is no generator expression there)
        if named and isinstance(p, gast.Assign) and p.value is lazy and len(p.targets) == 1 \
                and isinstance(p.targets[0], gast.Name):
            self.named(p, lazy, shown)
            return
        self.escape(lazy, shown)

    def escape(self, lazy, shown):
        raise self.ctx.error(shown, f"{_describe(shown)} is stored here (in a container, or returned) and "
                             "consumed later: Python evaluates it lazily, when it is consumed, with the values "
                             "its variables have then, while s2s evaluates it where it is written, so the two "
                             "may differ.", _ADVICE)

    def refuse_changed(self, shown, name, where, stmts):
        from .effect_checks import user_line
        node = _stored(stmts).get(name)
        if node is None:   # changed in place: the first statement by which it is
            node = next((st for k, st in enumerate(stmts) if effects.mutates(stmts[:k + 1], name, attributes=True)),
                        None)
        node = node if getattr(node, "lineno", None) else where
        line, text = getattr(node, "lineno", None), user_line(node, self.ctx).split("  #")[0].strip()
        at = f" on line {getattr(self.ctx, 'line_offset', 0) + line}" if line else ""
        at += f" (`{text}`)" if text else ""
        raise self.ctx.error(shown, f"{_describe(shown)} reads `{name}`, which changes{at} before it is consumed: "
                             "Python evaluates it lazily, when it is consumed, and sees the new value; s2s "
                             "evaluates it where it is written.", _ADVICE)

    def named(self, s, lazy, shown):
        name = s.targets[0].id
        block = _block_of(s, self.parents)
        if block is None:
            self.escape(lazy, shown)
        i = next(k for k, b in enumerate(block) if b is s)
        end = len(block)
        for k in range(i + 1, len(block)):
            b = block[k]
            if isinstance(b, gast.Assign) and any(isinstance(t, gast.Name) and t.id == name for t in b.targets):
                end = k + 1   # (the statement rebinding it may still read it: g = sum(g))
                break
        ignored = set()
        for k, b in enumerate(block):
            if (k < i and not _in_loop(s, self.parents, self.fn)) or k >= end or k == i:
                ignored |= {id(n) for n in gast.walk(b)}
        loads = [n for n in gast.walk(self.fn) if isinstance(n, gast.Name) and n.id == name
                 and isinstance(n.ctx, gast.Load) and id(n) not in ignored]
        if not loads:
            return
        if len(loads) > 1:
            raise self.ctx.error(shown, f"{_describe(shown)} stored in `{name}` is read more than once (or on "
                                 "another path): Python's generator is used up by the first, s2s evaluates it once "
                                 "into a list.", "Build a list (`[...]`) if you read it more than once; else "
                                 "consume it where it is made.")
        use = loads[0]
        c = next((b for b in block[i + 1:end] if any(n is use for n in gast.walk(b))), None)
        if c is None:
            raise self.ctx.error(shown, f"{_describe(shown)} stored in `{name}` is consumed in another block "
                                 "(after a branch or in a loop): s2s evaluates it where it is written, Python "
                                 "lazily where it is consumed.", _ADVICE)
        between = block[i + 1:next(k for k, b in enumerate(block) if b is c)]
        reads = _reads(lazy, self.fn)
        r = _changed(between, reads)
        if r is not None:
            self.refuse_changed(shown, r, s, between)
        # where the statement consuming it reads it
        n, p = use, self.parents.get(use)
        while p is not None and p is not c:
            if isinstance(p, gast.Lambda) or isinstance(p, (gast.ListComp, gast.SetComp, gast.DictComp,
                                                             gast.GeneratorExp)) \
                    and not any(n is m for m in gast.walk(p.generators[0].iter)):
                self.escape(lazy, shown)
            n, p = p, self.parents.get(p)
        if isinstance(c, (gast.For, gast.AsyncFor)) and any(m is use for m in gast.walk(c.iter)):
            r = _changed(c.body + c.orelse, reads)
            if r is not None:
                self.refuse_changed(shown, r, c, c.body + c.orelse)
        elif isinstance(c, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Expr, gast.Return)):
            value = c.value if c.value is not None else gast.Constant(value=None, kind=None)
            r = _changed([gast.Expr(value=value)], reads)   # (its targets are bound after it is consumed)
            if r is not None:
                self.refuse_changed(shown, r, c, [c])
        else:
            raise self.ctx.error(shown, f"{_describe(shown)} stored in `{name}` is consumed by a compound "
                                 "statement s2s does not check (Python evaluates it lazily there).", _ADVICE)
        # the consuming use itself: a call's argument, a loop's or comprehension's iterable
        self.position(use, shown, named=False)


def check(fn, ctx):
    """Refuse the lazy values of ``fn`` whose eager evaluation (s2s's) may differ from Python's."""
    if not any(isinstance(n, (gast.GeneratorExp, gast.Call)) for n in astutil.walk(fn)):
        return
    _Check(fn, ctx).run()



def _needs_binding(d):
    return d is not None and not isinstance(d, gast.Constant)


def bind_defaults(fn, namer):
    """Default values of a nested ``def`` or of a lambda written as a statement's value are evaluated where
    the function is defined (``g = lambda t, w=w: t * w`` then ``w = ...``: g keeps the old ``w``), while
    s2s inlines the function where it is called: each default that is not a constant is bound to a fresh
    name first (``w_default = w``) and the default reads that name."""
    def lambdas(st):
        out, skip = [], set()
        for n in gast.walk(st):
            if id(n) in skip:
                continue
            if isinstance(n, gast.Lambda):
                out.append(n)
            if isinstance(n, (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)) \
                    or n is not st and isinstance(n, gast.FunctionDef):
                skip |= {id(m) for m in gast.walk(n) if m is not n}
        return out

    def block(stmts):
        out = []
        for st in stmts:
            args = [st.args] if isinstance(st, gast.FunctionDef) else \
                [lm.args for lm in lambdas(st)] if not isinstance(st, (gast.For, gast.While, gast.If, gast.With,
                                                                       gast.Try)) else []
            for a in args:
                for k, d in enumerate(a.defaults):
                    if _needs_binding(d):
                        out.append(_bind(d, namer, st))
                        a.defaults[k] = gast.Name(id=out[-1].targets[0].id, ctx=gast.Load(), annotation=None,
                                                  type_comment=None)
                for k, d in enumerate(a.kw_defaults):
                    if _needs_binding(d):
                        out.append(_bind(d, namer, st))
                        a.kw_defaults[k] = gast.Name(id=out[-1].targets[0].id, ctx=gast.Load(), annotation=None,
                                                     type_comment=None)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(st, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                    setattr(st, field, block(inner))
            for h in getattr(st, "handlers", []) or []:
                h.body = block(h.body)
            out.append(st)
        return out

    fn.body = block(fn.body)


def _bind(value, namer, at):
    base = value.id if isinstance(value, gast.Name) else "default"
    t = namer.local(base + "_default")
    st = gast.Assign(targets=[gast.Name(id=t, ctx=gast.Store(), annotation=None, type_comment=None)], value=value,
                     type_comment=None)
    return gast.copy_location(st, at)
