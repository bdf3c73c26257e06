"""Flow-sensitive dead stores: forward mode's last pass (``PIPELINES["forward"]``)."""
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
    purity = Purity(job.resolve)
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
                if not (names & live) and purity.pure(s.value):
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
            else:
                live |= loads(s)
            out.append(s)
        out.reverse()
        return out, live

    fdef.body, _ = block(fdef.body, set(), None)
    if not fdef.body:
        fdef.body = [gast.Pass()]
    return changed[0]


def _flat_targets(t):
    if isinstance(t, (gast.Tuple, gast.List)):
        return [x for e in t.elts for x in _flat_targets(e)]
    return [t]
