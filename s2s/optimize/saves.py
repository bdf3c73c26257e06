"""Passes over the generated reverse-mode function that decide what the forward sweep keeps for the
backward sweep (steps of ``PIPELINES["reverse"]``, s2s/optimize/__init__.py):

- ``prune_saves``: drop saves and restores whose restored value no later backward code reads,
  and recomputations in the backward sweep nobody reads;
- ``save_shapes_only``: save ``shape_of(v)`` instead of ``v`` when the backward sweep reads v only
  for its shape (``unbroadcast(g, v)``);
- ``shapes_from_operands``: read the shape of a temporary's operands instead, so the forward sweep
  need not keep the temporary at all;
- ``fold_into_backward``: compute a cheap elementwise temporary of the forward sweep (``t = 1.0 - y``) at its
  one read in the backward sweep instead of keeping it alive until then.

The body of the function is ``forward sweep + [marker] + backward sweep``; ``job.marker`` is that
statement (the driver removes it before emitting the code).
"""
import gast
import numpy as np

from .. import aliasing, astutil, effects, runtime
from ..anno import getanno
from .classic import _key, _stores


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
    position = {runtime.unbroadcast: (1,), helpers.grad_reduce: (1,), helpers.reduced_count: (0,)}
    shape_nodes, other = {}, set()
    for st in _walk(fdef.body[idx + 1:]):
        if isinstance(st, (gast.For, gast.While, gast.If)):
            other |= {n.id for n in astutil.walk_bfs(st.iter if isinstance(st, gast.For) else st.test)
                      if isinstance(n, gast.Name)}
            continue
        marked, loads = set(), []
        for n in astutil.walk(st):
            if type(n) is gast.Name:
                if isinstance(n.ctx, gast.Load):
                    loads.append(n)
            elif isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
                for k in _shape_positions(ns.resolve(n.func), n, position):
                    if isinstance(n.args[k], gast.Name):
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
        exprs = {}   # (one of equal shapes: broadcast_shape(y, p) twice is broadcast_shape(y, p))
        for o in dict.fromkeys(ops):
            e = shape_expr(o, depth + 1)
            exprs.setdefault(_key(e) or id(e), e)
        exprs = list(exprs.values())
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
    if changed:
        _Dedupe(ns.resolve).visit(gast.Module(body=fdef.body[idx + 1:], type_ignores=[]))
    return changed


class _Dedupe(gast.NodeTransformer):
    """``broadcast_shape(a, a)`` is ``a`` (shapes written into the arguments of one, by separate rewrites)."""

    def __init__(self, resolve):
        self.resolve = resolve

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, gast.Name) and not node.keywords \
                and self.resolve(node.func) is runtime.broadcast_shape:
            args = {}
            for a in node.args:
                args.setdefault(_key(a) or id(a), a)
            if len(args) == 1:
                return node.args[0]
            node.args = list(args.values())
        return node


def _shape_positions(obj, call, position):
    """The arguments of ``call`` (to ``obj``) read only for their shape: unbroadcast(g, x)'s x, all of
    broadcast_shape's (the shapes of a temporary's operands that ``shapes_from_operands`` wrote)."""
    if obj is runtime.broadcast_shape:
        return range(len(call.args))
    try:
        ks = position.get(obj, ())
    except TypeError:   # an unhashable object
        return ()
    return [k for k in ks if k < len(call.args)]


_CHEAP = (gast.Add, gast.Sub, gast.Mult, gast.Div)


def fold_into_backward(fdef, job):
    """A temporary (the normalizer's) of the straight-line forward sweep, ``t = a op b`` (one elementwise
    +, -, * or /, or a negation, of names and constants), that the backward sweep reads once for its value
    (outside any loop; its other reads only for its shape) and nothing else reads: compute it at that read,
    so the forward sweep does not keep a full-size array alive until the backward sweep. Only where every
    name it reads is already live there (a parameter, or a value the backward sweep reads anyway) and
    unchanged (bound once, before it, and nothing in the function may change it in place): then the fold
    costs the same arithmetic, moved, and holds one array fewer. Only where statements lie between the
    definition and the read: read on the next line, the temporary keeps its name (``t_2 = h - y`` then
    ``... * 2 * t_2`` reads better than ``h - y`` spelled inside the backward sweep's first line, and nothing
    runs meanwhile that it would be held through). The shape reads go to the operands
    (``shapes_from_operands`` runs again); True if it folded any (the forward definition is then dead:
    ``simplify`` drops it)."""
    from .classic import Uses, _moves_safely, _params
    idx = job.backward_start(fdef)
    forward, backward = fdef.body[:idx], fdef.body[idx + 1:]
    params, resolve = _params(fdef), job.ns.resolve
    candidates = {}   # (the normalizer's temporaries: the user's names stay)
    for st in forward:
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                and st.targets[0].id in job.temps and st.targets[0].id not in params \
                and getanno(st, "save") is None and getanno(st, "recompute") is None and _cheap(st.value):
            candidates[st.targets[0].id] = st
    if not candidates:
        return False
    from .. import rule_helpers as helpers
    position = {runtime.unbroadcast: (1,), helpers.grad_reduce: (1,), helpers.reduced_count: (0,)}
    value_reads, shape_reads = {}, {}   # name -> [(statement, Name node)] in the backward sweep
    backward_loads = set()
    top = {}   # id(statement) -> the statement of the function's body it is in (a read inside an `if`)

    def scan(block, looped, outer=None):
        for st in block:
            top[id(st)] = outer if outer is not None else st
            compound = isinstance(st, (gast.For, gast.While, gast.If))
            heads = ([st.iter] if isinstance(st, gast.For) else [st.test]) if compound else [st]
            for head in heads:
                shaped = set()
                for n in astutil.walk(head):
                    if type(n) is gast.Call and isinstance(n.func, gast.Name):
                        shaped.update(id(n.args[k]) for k in _shape_positions(resolve(n.func), n, position))
                    elif type(n) is gast.Name and isinstance(n.ctx, gast.Load):
                        backward_loads.add(n.id)
                        if n.id in candidates:
                            if id(n) in shaped:
                                shape_reads.setdefault(n.id, []).append(st)
                            else:   # (a loop, a while test, a comprehension: evaluated again)
                                value_reads.setdefault(n.id, []).append(
                                    None if looped or compound or _repeats(head, n) else st)
            if compound:
                scan(st.body, looped or not isinstance(st, gast.If), top[id(st)])
                scan(st.orelse, looped or not isinstance(st, gast.If), top[id(st)])

    scan(backward, False)
    candidates = {t: st for t, st in candidates.items() if len(value_reads.get(t, ())) == 1 and value_reads[t][0]}
    defs = {id(st) for st in candidates.values()}
    at = {id(st): k for k, st in enumerate(fdef.body)}
    candidates = {t: st for t, st in candidates.items()   # (a statement between the two, not another candidate)
                  if any(id(s) not in defs for s in _between(fdef.body, st, top[id(value_reads[t][0])], at,
                                                             job.marker))}
    if not candidates:
        return False
    uses = Uses(fdef)
    bound_once = {st.targets[0].id for st in forward if isinstance(st, gast.Assign) and len(st.targets) == 1
                  and isinstance(st.targets[0], gast.Name)}
    changed_names = purity = None   # (made when a candidate gets that far: most functions have none)
    folded = False
    for t, st in candidates.items():
        reads = value_reads[t]
        if uses.stores[t] != 1 or uses.loads[t] != 1 + len(shape_reads.get(t, [])):
            continue   # (a read in the forward sweep counts in uses.loads, not in the backward's reads)
        inputs = {n.id for n in astutil.walk(st.value) if isinstance(n, gast.Name)}
        if not all(x in params and uses.stores[x] == 0
                   or x in bound_once and uses.stores[x] == 1 and x in backward_loads
                   and forward.index(next(s for s in forward if _binds(s, x))) < forward.index(st) for x in inputs):
            continue
        if purity is None:
            from ..purity import Purity
            purity = Purity(resolve)
        if not _moves_safely(reads[0], t, purity, strict=True):
            continue
        if changed_names is None:
            changed_names = _maybe_changed(fdef, resolve)
        if inputs & changed_names:
            continue
        _replace_load(reads[0], t, st.value)
        backward_loads |= inputs
        folded = True
    if folded:
        shapes_from_operands(fdef, job)   # the shape reads of what was folded: its operands' shapes
    return folded


def _between(body, definition, read, at, marker):
    """The statements of ``body`` after ``definition`` and before ``read`` (both in ``body``), without the
    marker. None: the temporary dies on the line after its definition anyway, where the fold would only
    make the read harder to read (``t_2 = h - y`` read by the backward sweep's first line stays named)."""
    return [s for s in body[at[id(definition)] + 1:at[id(read)]] if s is not marker]


def _cheap(value):
    """One elementwise +, -, *, / or negation of names and constants (no call: nothing costly to repeat)."""
    if isinstance(value, gast.BinOp) and isinstance(value.op, _CHEAP):
        parts = [value.left, value.right]
    elif isinstance(value, gast.UnaryOp) and isinstance(value.op, gast.USub):
        parts = [value.operand]
    else:
        return False
    return all(isinstance(p, gast.Name) or isinstance(p, gast.Constant) and type(p.value) in (int, float)
               for p in parts) and any(isinstance(p, gast.Name) for p in parts)


def _binds(st, name):
    return isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
        and st.targets[0].id == name


def _repeats(head, node):
    """Whether ``node`` sits in a part of ``head`` that may run more than once (a comprehension, a lambda)."""
    for n in astutil.walk(head):
        if isinstance(n, (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp, gast.Lambda)) \
                and any(m is node for m in astutil.walk(n)):
            return True
    return False


def _maybe_changed(fdef, resolve):
    """Names whose value the function may change in place (conservative): stores into an item or an
    attribute, augmented assignments, the receiver and arguments of a method call (``stack.append(t)``
    may let t be changed later through the stack), every argument of a call that may have an effect or
    writes into an argument, and every name that may share memory with one of those."""
    from ..purity import Purity
    purity = Purity(resolve)
    out = set()
    returned = {id(st.value) for st in _walk(fdef.body) if isinstance(st, gast.Return)}   # (nothing runs after)
    for n in astutil.walk(fdef):
        if isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, (gast.Store, gast.Del)):
            out |= {m.id for m in astutil.walk(n) if isinstance(m, gast.Name)}
        elif isinstance(n, gast.AugAssign):
            out |= {m.id for m in astutil.walk(n.target) if isinstance(m, gast.Name)}
        elif isinstance(n, gast.Call):
            method = isinstance(n.func, gast.Attribute) and not isinstance(resolve(n.func.value), type(np))
            if method or not purity.callee_pure(n.func) or n.keywords and any(k.arg == "out" for k in n.keywords) \
                    or aliasing.in_place_target(n, purity) is not None \
                    or isinstance(n.func, gast.Name) and n.func.id.startswith(("add_at", "set_item")):
                out |= {m.id for a in [n.func] + n.args + [k.value for k in n.keywords] for m in astutil.walk(a)
                        if isinstance(m, gast.Name)}
        elif isinstance(n, (gast.List, gast.Tuple, gast.Set, gast.Dict)) and id(n) not in returned \
                and isinstance(getattr(n, "ctx", None), (gast.Load, type(None))):
            out |= {m.id for m in astutil.walk(n) if isinstance(m, gast.Name)}   # held in a container
    return aliasing.changed_with(out, aliasing.views(fdef.body))


def _replace_load(stmt, name, expr):
    """Replace the one load of ``name`` in ``stmt`` by a copy of ``expr``."""
    for n in astutil.walk(stmt):
        for field, v in gast.iter_fields(n):
            if isinstance(v, gast.Name) and v.id == name and isinstance(v.ctx, gast.Load):
                setattr(n, field, astutil.clone(expr))
                return
            if isinstance(v, list):
                for i, e in enumerate(v):
                    if isinstance(e, gast.Name) and e.id == name and isinstance(e.ctx, gast.Load):
                        v[i] = astutil.clone(expr)
                        return


def _walk(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list):
                yield from _walk(sub)
