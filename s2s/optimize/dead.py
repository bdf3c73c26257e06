"""Flow-sensitive dead stores: forward mode's last pass, and reverse mode's over the backward sweep."""
import copy

import gast

from .classic import Purity
from .. import astutil


def prune_dead(fdef, job):
    """Drop assignments whose value is never read afterwards (liveness over the block structure).

    Name-based dead code elimination keeps ``dw = dw + t`` when ``dw`` is read
    only by itself; forward mode over a gradient produces many of those (the
    primal gradient accumulations feeding nothing but the tangent's shapes).
    Subscript stores, impure calls and anything the purity test rejects are
    kept. Returns True if anything was removed.
    """
    fdef.body, changed = prune_block(fdef.body, set(), Purity(job.resolve))
    if not fdef.body:
        fdef.body = [gast.Pass()]
    return changed


def prune_backward(fdef, job):
    """Reverse mode: the same pruning over the backward sweep only (after ``job.marker``).

    The adjoint of data not in ``wrt`` computed last (``dh = matmul_grad_x(dt, h, W1)`` when ``h`` is
    the input ``X``) is read by earlier statements of the sweep, so name-based elimination keeps it.
    The forward sweep is left alone: what it stores (flags, saves, the user's effects) is read by the
    backward sweep or by the caller, and the split mode cuts the function at the marker afterwards.
    """
    i = job.backward_start(fdef)
    tail, changed = prune_block(fdef.body[i + 1:], set(), Purity(job.resolve))
    fdef.body[i + 1:] = tail
    return changed


def prune_block(stmts, live_after, purity):
    """(statements without the dead assignments, whether any was removed); ``live_after``: the names read
    after ``stmts``."""
    changed = [False]

    def loads(node):
        return {n.id for n in astutil.walk_bfs(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}

    def block(stmts, live, loop):
        """(new statements, names live before them); ``loop`` = (live at loop head, live after loop)."""
        live = set(live)
        out = []
        for s in reversed(stmts):
            if isinstance(s, gast.Assign) and all(isinstance(t, gast.Name) for t in _flat_targets(s.targets[0])) \
                    and isinstance(s.targets[0], (gast.Name, gast.Tuple)):
                names = {t.id for t in _flat_targets(s.targets[0])}
                same = isinstance(s.value, gast.Name) and isinstance(s.targets[0], gast.Name) \
                    and s.value.id == s.targets[0].id   # ``dy = dy``
                if same or not (names & live) and purity.removable(s.value):
                    changed[0] = True
                    continue
                live = (live - names) | loads(s.value)
            elif isinstance(s, gast.If):
                body, lb = block(s.body, live, loop)
                orelse, lo = block(s.orelse, live, loop)
                if not body and not orelse and purity.pure(s.test):
                    changed[0] = True
                    continue
                s.body, s.orelse = body or [gast.Pass()], orelse
                live = lb | lo | loads(s.test)
            elif isinstance(s, (gast.For, gast.While)):
                head_extra = loads(s.iter) if isinstance(s, gast.For) else loads(s.test)
                after = set(live)
                head = after | head_extra
                while True:
                    _, lin = block(copy.deepcopy(s.body), head, (head, after))
                    new = head | lin
                    if new <= head:
                        break
                    head = new
                body, _ = block(s.body, head, (head, after))
                s.body = body or [gast.Pass()]
                live = head
            elif isinstance(s, gast.Break) and loop is not None:
                live = set(loop[1])
            elif isinstance(s, gast.Continue) and loop is not None:
                live = set(loop[0])
            elif isinstance(s, gast.Return):
                live = loads(s)
            elif isinstance(s, gast.Pass):
                continue
            else:   # every name it mentions: ``dx += t`` reads dx (a Store), ``del t`` needs t bound
                live |= {n.id for n in astutil.walk_bfs(s) if isinstance(n, gast.Name)}
            out.append(s)
        out.reverse()
        return out, live

    out, _ = block(stmts, live_after, None)
    return out, changed[0]


def _flat_targets(t):
    if isinstance(t, (gast.Tuple, gast.List)):
        return [x for e in t.elts for x in _flat_targets(e)]
    return [t]


def prune_unread_containers(fdef, job):
    """Drop a local dict or list that is only ever created empty and written into, never read.

    A layer class caching on itself (``self.cache["z"] = z``) inlined into the gradient leaves
    ``cache_1 = {}`` and ``cache_1["z"] = z`` behind when nothing reads the cache: the container
    dies with the call. Kept when the name is read anywhere (including by a nested function), or a
    write's key or value is not pure.
    """
    purity = Purity(job.resolve)
    made, writes = {}, {}
    for s in astutil.walk_bfs(fdef):
        if isinstance(s, gast.Assign) and len(s.targets) == 1:
            t = s.targets[0]
            if isinstance(t, gast.Name) and _empty_container(s.value):
                made.setdefault(t.id, []).append(s)
                continue
            if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name) \
                    and purity.pure(t.slice) and purity.pure(s.value):
                writes.setdefault(t.value.id, []).append(s)
    declared = {n for s in astutil.walk_bfs(fdef) if isinstance(s, (gast.Global, gast.Nonlocal)) for n in s.names}
    seen = {}
    for n in astutil.walk_bfs(fdef):
        if isinstance(n, gast.Name):
            seen[n.id] = seen.get(n.id, 0) + 1
    dead = set()
    for name, stmts in made.items():
        ws = [w for w in writes.get(name, [])
              if not _mentions(w.value, name) and not _mentions(w.targets[0].slice, name)]
        if name not in declared and seen.get(name, 0) == len(stmts) + len(ws):   # no other mention: never read
            dead.update(map(id, stmts + ws))
    if not dead:
        return False

    def strip(stmts):
        out = []
        for s in stmts:
            if id(s) in dead:
                continue
            for f in ("body", "orelse", "finalbody"):
                if isinstance(getattr(s, f, None), list) and getattr(s, f):
                    setattr(s, f, strip(getattr(s, f)) or ([gast.Pass()] if f == "body" else []))
            if isinstance(s, gast.Try):
                for h in s.handlers:
                    h.body = strip(h.body) or [gast.Pass()]
            out.append(s)
        return out

    fdef.body = strip(fdef.body) or [gast.Pass()]
    return True


def _empty_container(node):
    return isinstance(node, gast.Dict) and not node.keys or isinstance(node, gast.List) and not node.elts


def _mentions(node, name):
    return sum(1 for n in astutil.walk_bfs(node) if isinstance(n, gast.Name) and n.id == name)

