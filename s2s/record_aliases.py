"""Field writes into an object that another variable also refers to.

s2s follows ``p.w = v`` through the name written (``p``): a later ``p.w`` reads ``v`` and its derivative.
Read through another name bound to the same object (``q = p``, ``objs = [p]``, a branch's ``q = p``), the
read took the field's old derivative (review 14, 26_object_alias_field_write.py), for a dataclass, a
namedtuple or a plain class built as a record (records.plain_fields) in the function and for an argument of
any class. Such a write is refused at its line
(``check``); a plain object built in the function is taken apart by s2s/objects.py, which follows it.
"""
import dataclasses

import gast

from . import astutil
from .aliasing import loop_sources

_ADDS = frozenset({"append", "insert", "add", "extend", "appendleft", "setdefault"})


def _names(node):
    return [n.id for n in gast.walk(node) if isinstance(n, gast.Name)]


def _leaves(v):
    if isinstance(v, gast.IfExp):
        return _leaves(v.body) + _leaves(v.orelse)
    if isinstance(v, gast.BoolOp):
        return [x for e in v.values for x in _leaves(e)]
    return [v]


def _root(node):
    while isinstance(node, (gast.Attribute, gast.Subscript)):
        node = node.value
    return node.id if isinstance(node, gast.Name) else None


def _leaf_roots(v):
    """(same, inside, holds) for a value ``v``: names it may be (``p``, ``a if c else b``), names it is taken
    out of (``objs[0]``, ``p.sub``), names it holds (``[p, r]``)."""
    same, inside, holds = [], [], []
    for leaf in _leaves(v):
        if isinstance(leaf, gast.Name):
            same.append(leaf.id)
        elif isinstance(leaf, (gast.Subscript, gast.Attribute)):
            r = _root(leaf)
            inside += [r] if r else []
        elif isinstance(leaf, (gast.List, gast.Tuple, gast.Set, gast.Dict)):
            for e in (leaf.values if isinstance(leaf, gast.Dict) else leaf.elts):
                a, b, c = _leaf_roots(e.value if isinstance(e, gast.Starred) else e)
                holds += a + b + c
    return same, inside, holds


class _Sharing:
    """Names bound to one object (``q = p``) and which names' objects hold which (``objs = [p]``)."""

    def __init__(self):
        self.parent = {}
        self.held = {}   # container name -> names of what it holds

    def find(self, a):
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a, b):
        self.parent[self.find(a)] = self.find(b)

    def contains(self, c, e):
        self.held.setdefault(c, set()).add(e)

    def same(self, a):
        root = self.find(a)
        return {n for n in list(self.parent) if self.find(n) == root} | {a}

    def bind(self, t, v):
        same, inside, holds = _leaf_roots(v)
        for n in same:
            self.union(t, n)
        for n in inside:
            self.contains(n, t)
        for n in holds:
            self.contains(t, n)

    def _closure(self, names, step):
        out, todo = set(), list(names)
        while todo:
            n = todo.pop()
            for m in self.same(n):
                if m not in out:
                    out.add(m)
                    todo += step(m)
        return out

    def down(self, names):
        return self._closure(names, lambda m: list(self.held.get(m, ())))

    def up(self, names):
        return self._closure(names, lambda m: [c for c, es in self.held.items() if m in es])

    def sharing(self, r, through):
        """Names that may refer to the object a field write ``r.w = v`` changes (``through``: written as
        ``r[i].w`` or ``r.a.w``, into an object ``r`` holds)."""
        up = self.up({r}) - self.same(r)   # (the containers holding r's object, and what else they hold)
        out = self.same(r) | up | self.down(up)
        if through:
            out |= self.down({r})
        return out


def _record_class(cls):
    """A class whose instances s2s builds as records: a dataclass, a namedtuple, or a plain class whose
    ``__init__`` only stores its parameters (records.plain_fields)."""
    if not isinstance(cls, type):
        return False
    if dataclasses.is_dataclass(cls) or issubclass(cls, tuple) and hasattr(cls, "_fields"):
        return True
    from .records import plain_fields
    try:
        return plain_fields(cls) is not None
    except Exception:   # (a class s2s cannot read: not one it builds as a record)
        return False


def check(fn, ctx):
    """Refuse ``p.w = v`` when another variable may refer to the object ``p`` (see the module doc)."""
    stores = [n for n in astutil.walk(fn) if isinstance(n, gast.Assign)
              and any(isinstance(t, gast.Attribute) for t in n.targets)]
    if not stores:
        return
    share = _Sharing()
    records = set()
    field_values = {}   # name -> the fields it was stored into (`LAYERS[0].W = W`: W, the old value of the field)
    for n in astutil.walk(fn):
        if isinstance(n, gast.Assign):
            for t in n.targets:
                if isinstance(t, gast.Name):
                    share.bind(t.id, n.value)
                    if isinstance(n.value, gast.Call):
                        try:
                            made = ctx.resolve(n.value.func)
                        except Exception:
                            made = None
                        if _record_class(made):
                            records.add(t.id)
                elif isinstance(t, (gast.Tuple, gast.List)):
                    same, inside, holds = _leaf_roots(n.value)
                    for e in _names(t):
                        for h in same + inside + holds:
                            share.contains(h, e)
                elif isinstance(t, (gast.Subscript, gast.Attribute)):   # objs[0] = p, self.p = p
                    r = _root(t)
                    if r:
                        same, inside, holds = _leaf_roots(n.value)
                        for h in same + holds:
                            share.contains(r, h)
                            if isinstance(t, gast.Attribute):
                                field_values.setdefault(h, set()).add(gast.dump(t))
        elif isinstance(n, (gast.For, gast.comprehension)):
            for e in _names(n.target):
                for src in loop_sources(n.iter):
                    share.contains(src, e)
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr in _ADDS:
            r = _root(n.func.value)
            for a in n.args if r else []:
                same, inside, holds = _leaf_roots(a)
                for h in same + holds:
                    share.contains(r, h)
    params = {a.id for a in fn.args.args + fn.args.kwonlyargs + [fn.args.vararg, fn.args.kwarg]
              if isinstance(a, gast.Name)}
    for st in stores:
        for t in st.targets:
            if not isinstance(t, gast.Attribute):
                continue
            r = _root(t)
            if r is None:
                continue
            group = {n for n in share.sharing(r, not isinstance(t.value, gast.Name))
                     if n == r or not _only_replaced(n, t, field_values, share, fn)}
            if len(group) < 2 or not group & (params | records):
                continue
            others = sorted(n for n in group - {r} if _read(fn, n, st))
            if not others:
                continue
            from .codegen import expr_source
            text = expr_source(t)
            raise ctx.error(st, f"this writes the field `{text}` of an object that another variable (`{others[0]}`) "
                            "may also refer to (it was assigned to it, put into a container with it, or taken out "
                            "of one); s2s follows the write through the name written only, so reading the field "
                            "through the other name would silently carry the old derivative.",
                            "Read and write the field through one name, or build a new object "
                            "(`dataclasses.replace(p, w=...)`) instead of writing into a shared one.")


def _read(fn, name, at):
    """``name`` is read somewhere in ``fn`` other than statement ``at`` and a loop's iterable (``for l in ls``
    binds ``l``, it reads no field)."""
    inside = {id(n) for n in gast.walk(at)}
    inside |= {id(m) for n in astutil.walk(fn) if isinstance(n, (gast.For, gast.comprehension))
               for m in gast.walk(n.iter)}
    return any(isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Load) and id(n) not in inside
               for n in astutil.walk(fn))


def _only_replaced(name, target, field_values, share, fn):
    """True when ``name`` is among the names sharing the object written by ``target`` (``LAYERS[0].W = 2.0 * W``)
    only as the value stored before into that same field (``LAYERS[0].W = W``): the value a field held is not
    the object whose field is written. False when ``name`` is held some other way (``objs = [p]``, ``q = p``)."""
    key = gast.dump(target)
    if field_values.get(name) != {key} or share.same(name) != {name}:
        return False
    held = sum(1 for es in share.held.values() if name in es)
    stores = sum(1 for n in astutil.walk(fn) if isinstance(n, gast.Assign)
                 and any(isinstance(t, gast.Attribute) and gast.dump(t) == key for t in n.targets)
                 and name in sum(_leaf_roots(n.value)[::2], []))
    return held <= stores
