"""Passes over the generated reverse-mode function that decide what the forward sweep keeps for the
backward sweep (steps of ``PIPELINES["reverse"]``, s2s/optimize/__init__.py):

- ``prune_saves``: drop saves and restores whose restored value no later backward code reads,
  and recomputations in the backward sweep nobody reads;
- ``save_shapes_only``: save ``shape_of(v)`` instead of ``v`` when the backward sweep reads v only
  for its shape (``unbroadcast(g, v)``);
- ``shapes_from_operands``: read the shape of a temporary's operands instead, so the forward sweep
  need not keep the temporary at all.

The body of the function is ``forward sweep + [marker] + backward sweep``; ``job.marker`` is that
statement (the driver removes it before emitting the code).
"""
import gast
import numpy as np

from .. import aliasing, astutil, effects, runtime
from ..anno import getanno
from .classic import _stores


def _saved(st):
    """The variable a save or restore statement keeps: its "save" note, or for a write into an item
    (``get_item(xs[t], k)``, ``set_item(xs[t], k, v)``) the name at the root of the container as the code now
    spells it (copy propagation may have renamed it since the note was made)."""
    var = getanno(st, "save")
    if var is None:
        return None
    for n in astutil.walk(st):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.args \
                and n.func.id.startswith(("get_item", "set_item")) and not isinstance(n.args[0], gast.Name):
            return effects._root(n.args[0]) or var
    return var


def saves_anything(fdef):
    """Whether the function saves or recomputes values for its backward sweep (loops do)."""
    return any(getanno(st, "save") is not None or getanno(st, "recompute") is not None for st in _walk(fdef.body))


def prune_saves(fdef, job):
    """Drop saves/restores whose restored value no later backward code reads; True if it dropped any."""
    idx = job.backward_start(fdef)
    needed = set()   # variables whose restores are read afterwards
    if not saves_anything(fdef):
        return False   # straight-line code: nothing saved
    changed = False
    cache = {}
    views = {}   # t = y[...], t = y.T, t = y.reshape(...) may be a view of y: reading t reads y
    held = {}    # h_res -> the arguments of the split call that made it
    for st in _walk(fdef.body):
        base = aliasing.view_base(st.value) if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) \
            and not isinstance(st.value, gast.Name) else None
        if base is not None:
            views.setdefault(st.targets[0].id, set()).add(base)
        elif isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Tuple) and len(st.targets[0].elts) == 2 \
                and isinstance(st.targets[0].elts[1], gast.Name) and getanno(st.value, "split") is not None:
            # y, h_res = h_fwd(a, b): the residuals may hold the arrays a and b themselves (h's backward reads
            # them), so an in-place restore of a or b is needed where h_res is read
            held.setdefault(st.targets[0].elts[1].id, set()).update(
                {n.id for n in astutil.walk(st.value) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}
                - {st.value.func.id if isinstance(st.value.func, gast.Name) else None})

    shares = aliasing.views(fdef.body)

    def undone_through(var):
        """Other names whose value an in-place restore of var (set_item(var, i, v)) puts back."""
        return aliasing.changed_with({var}, shares) - {var}

    def with_views(names):
        out = set(names)
        for n in names:
            out |= views.get(n, set())
        return out

    def stmt_reads(st):
        """Names st reads (restores themselves, e.g. set_item(x, ...), do not count as reading x)."""
        hit = cache.get(id(st))
        if hit is None:
            if isinstance(st, (gast.For, gast.While, gast.If)):
                hit = {n.id for n in astutil.walk(st.iter if isinstance(st, gast.For) else st.test)
                       if isinstance(n, gast.Name)}
                for sub in st.body + st.orelse:
                    hit |= stmt_reads(sub)
            elif getanno(st, "save") is not None:   # (but the index of set_item(x, i, v) is read)
                hit = {n.id for n in astutil.walk(st) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)
                       and n.id != _saved(st)} - {n.id for n in astutil.walk(st)
                                                        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
            else:
                hit = with_views({n.id for n in astutil.walk(st)
                                  if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)})
            cache[id(st)] = hit
        return hit

    def reads(stmts):
        out = set()
        for st in stmts:
            out |= stmt_reads(st)
        return out

    def suffixes(block, after):
        """later[i]: names read after block[i] (in this block, then ``after``)."""
        out = [None] * len(block)
        acc = set(after)
        for i in range(len(block) - 1, -1, -1):
            out[i] = set(acc)
            acc |= stmt_reads(block[i])
        return out

    def visit(block, after):
        """after: names read by code that may run after this block finishes."""
        for s, later in zip(block, suffixes(block, after)):
            var = _saved(s)
            if var is not None and (var in later or (isinstance(s, gast.Expr)
                                                     and (any(var in held.get(n, ()) for n in later)
                                                          or undone_through(var) & later))):
                needed.add(id(s))
            if isinstance(s, (gast.For, gast.While)):
                visit(s.body, later | stmt_reads(s))
            elif isinstance(s, gast.If):
                visit(s.body, later)
                visit(s.orelse, later)

    while True:   # recomputations in the backward sweep nobody reads afterwards
        dead = set()

        def visit_redo(block, after):
            for s, later in zip(block, suffixes(block, after)):
                var = getanno(s, "recompute")
                if var is not None and var not in later:
                    dead.add(id(s))
                if isinstance(s, (gast.For, gast.While)):
                    visit_redo(s.body, later | reads(s.body))
                elif isinstance(s, gast.If):
                    visit_redo(s.body, later)
                    visit_redo(s.orelse, later)

        visit_redo(fdef.body[idx + 1:], set())
        if not dead:
            break
        changed = True
        cache.clear()
        for st in _walk(fdef.body[idx + 1:]):
            for field in ("body", "orelse"):
                block = getattr(st, field, None)
                if isinstance(block, list) and block:
                    block[:] = [b for b in block if id(b) not in dead] or [gast.Pass()]
        fdef.body[idx + 1:] = [b for b in fdef.body[idx + 1:] if id(b) not in dead]

    visit(fdef.body[idx + 1:], set())
    restored = {_saved(s) for s in _walk(fdef.body[idx + 1:]) if id(s) in needed}

    class Prune(gast.NodeTransformer):
        dropped = False

        def generic_visit(self, node):
            for field in ("body", "orelse"):
                block = getattr(node, field, None)
                if isinstance(block, list) and block and isinstance(block[0], gast.stmt):
                    new = [s for s in block if getanno(s, "save") is None or _saved(s) in restored]
                    if len(new) < len(block):
                        self.dropped = True
                    block[:] = new or [gast.Pass()]
            return super().generic_visit(node)

    prune = Prune()
    prune.visit(fdef)
    return changed or prune.dropped


def save_shapes_only(fdef, job):
    """Save ``shape_of(v)`` instead of ``v`` when the backward sweep reads v only in ``unbroadcast(g, v)``."""
    idx, ns = job.backward_start(fdef), job.ns
    shape_reads, other_reads = set(), set()
    for s in _walk(fdef.body[idx + 1:]):
        if getanno(s, "save") is not None or isinstance(s, (gast.For, gast.While, gast.If)):
            if isinstance(s, gast.Expr):   # set_item(y, i, y_old) undoes a write into y: it needs y itself
                other_reads |= {n.id for n in astutil.walk(s) if isinstance(n, gast.Name)}
            if isinstance(s, (gast.For, gast.While, gast.If)):
                other_reads |= {n.id for n in astutil.walk(s.iter if isinstance(s, gast.For) else s.test)
                                if isinstance(n, gast.Name)}
            continue
        shape_args, loads = set(), []
        for n in astutil.walk(s):
            if type(n) is gast.Name:
                if isinstance(n.ctx, gast.Load):
                    loads.append(n)
            elif isinstance(n, gast.Call) and len(n.args) == 2 and isinstance(n.args[1], gast.Name) \
                    and ns.resolve(n.func) is runtime.unbroadcast:
                shape_args.add(id(n.args[1]))
                shape_reads.add(n.args[1].id)
        other_reads |= {n.id for n in loads if id(n) not in shape_args}
    only = shape_reads - other_reads
    if not only:
        return
    name = None
    for s in _walk(fdef.body[:idx]):
        var = getanno(s, "save")
        if var not in only:
            continue
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call) and isinstance(s.value.func, gast.Attribute) \
                and s.value.func.attr == "append" and isinstance(s.value.args[0], gast.Name):
            holder = s.value.args
        elif isinstance(s, gast.Assign) and isinstance(s.value, gast.Name):
            holder = None
        else:
            continue
        name = name or ns.ref("shape_of", runtime.shape_of)
        call = gast.Call(func=gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None),
                         args=[gast.Name(id=var, ctx=gast.Load(), annotation=None, type_comment=None)], keywords=[])
        if holder is not None:
            holder[0] = call
        else:
            s.value = call


def shapes_from_operands(fdef, job):
    """Where the backward sweep reads a straight-line temporary only for its shape (in
    unbroadcast), read the shape of its operands instead, so the forward sweep need
    not compute it: ``t = np.log(p)`` has p's shape, ``t = y * p`` the broadcast of y's and p's."""
    idx, ns = job.backward_start(fdef), job.ns
    from .. import rule_helpers as helpers
    position = {runtime.unbroadcast: 1, helpers.grad_reduce: 1, helpers.reduced_count: 0}
    shape_nodes, other = {}, set()
    for st in _walk(fdef.body[idx + 1:]):
        if isinstance(st, (gast.For, gast.While, gast.If)):
            other |= {n.id for n in gast.walk(st.iter if isinstance(st, gast.For) else st.test)
                      if isinstance(n, gast.Name)}
            continue
        marked, loads = set(), []
        for n in astutil.walk(st):
            if type(n) is gast.Name:
                if isinstance(n.ctx, gast.Load):
                    loads.append(n)
            elif isinstance(n, gast.Call):
                k = position.get(ns.resolve(n.func)) if isinstance(n.func, gast.Name) else None
                if k is not None and len(n.args) > k and isinstance(n.args[k], gast.Name):
                    shape_nodes.setdefault(n.args[k].id, []).append((n, k))
                    marked.add(id(n.args[k]))
        other |= {n.id for n in loads if id(n) not in marked}
    stores = _stores(fdef)
    defs = {st.targets[0].id: st.value for st in fdef.body[:idx]
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) and stores[st.targets[0].id] == 1}

    def operands(v):
        value = defs.get(v)
        if isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow)):
            parts = [value.left, value.right]
        elif isinstance(value, gast.UnaryOp) and isinstance(value.op, (gast.USub, gast.UAdd)):
            parts = [value.operand]
        elif isinstance(value, gast.Call) and not value.keywords and isinstance(ns.resolve(value.func), np.ufunc) \
                and ns.resolve(value.func).nout == 1 and ns.resolve(value.func).signature is None:  # elementwise only
            parts = list(value.args)
        else:
            return None
        if not all(isinstance(p, (gast.Name, gast.Constant)) for p in parts):
            return None
        return [p.id for p in parts if isinstance(p, gast.Name)]

    def shape_expr(v, depth=0):
        ops = operands(v) if v not in other and depth < 8 else None
        if not ops:
            return gast.Name(id=v, ctx=gast.Load(), annotation=None, type_comment=None)
        exprs = [shape_expr(o, depth + 1) for o in dict.fromkeys(ops)]
        if len(exprs) == 1:
            return exprs[0]
        name = ns.ref("broadcast_shape", runtime.broadcast_shape)
        return gast.Call(func=gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None), args=exprs,
                         keywords=[])

    changed = False
    for v, uses in shape_nodes.items():
        if v in other or operands(v) is None:
            continue
        for call, k in uses:
            call.args[k] = shape_expr(v)
            changed = True
    return changed


def _walk(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list):
                yield from _walk(sub)
