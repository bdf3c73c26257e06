"""Pass 5: the passes over a generated function, as a declared pipeline per mode.

The driver (s2s/compiler.py) builds the generated FunctionDef with the mode's
transform, then runs ``run(mode, fdef, job)``: the steps of ``PIPELINES[mode]``
in order. A step is a pass ``fn(fdef, job)`` (it changes ``fdef`` in place)
with two conditions: ``optimized`` (run only when the request asks for
optimized code) and ``then`` (a pass to run when this one reports a change).

The modules of this package:

- ``classic``: constant folding and algebraic simplification, copy
  propagation, common subexpressions, dead code, single-use temporaries
  (``optimize``, to a fixed point), asking s2s/purity.py what may be
  removed or moved;
- ``saves``: reverse mode, what the forward sweep keeps for the backward sweep;
- ``dead``: forward mode, flow-sensitive dead stores;
- ``zeros``: forward mode, the zero tangent and its folding (used while the
  transform fills templates, before the pipeline runs).

Two more passes live with the feature they belong to: ``checkpointing.apply``
(long loops in bounded memory) and ``split.unsplit_unused`` (a helper's split
call whose residuals nobody reads goes back to a plain call).

Reverse mode's function is ``forward sweep + [marker] + backward sweep`` while
the passes run: ``job.marker`` is that statement, carried as a value (passes
keep it; ``job.backward_start(fdef)`` is its index), removed before emit.

To add a pass: write ``fn(fdef, job)`` (return True when it changed something
if a ``then`` pass should follow), and put a ``Step`` in the pipeline where it
belongs; ``Job`` has what a pass may read besides the function.
"""
import dataclasses

import gast

from .classic import (Purity, Simplify, copy_propagate,  # noqa: F401
                      eliminate_common, eliminate_dead, inline_temporaries, local_copy_propagate, optimize)
from .. import checkpointing, split
from ..anno import getanno
from .aliases import check_method_alias, fold_aliases  # noqa: F401
from . import dead, saves


@dataclasses.dataclass
class Job:
    """What the passes of one generated function may read besides the function itself."""
    ns: object                  # codegen.Namespace: resolve names, bind new helpers (ns.ref)
    optimized: bool = True      # the request's ``optimized``
    temps: frozenset = frozenset()   # the normalizer's temporaries (inlined back by the last optimization)
    marker: object = None       # reverse: the statement between the forward and the backward sweep
    checkpoints: object = None  # reverse: the request's checkpointing options
    memory: object = None
    error: object = None        # ctx.error: a refusal naming the user's line
    adjoints: frozenset = frozenset()   # reverse: the adjoints of ``temps`` (folded back too, more carefully)

    @property
    def resolve(self):
        return self.ns.resolve

    def backward_start(self, fdef):
        """The index of the marker in ``fdef.body``: the backward sweep follows it."""
        return next(i for i, s in enumerate(fdef.body) if s is self.marker)


@dataclasses.dataclass(frozen=True)
class Step:
    run: object                 # fn(fdef, job) -> changed (or None)
    optimized: bool = False     # only when the request asks for optimized code
    then: object = None         # fn(fdef, job), run when ``run`` reports a change


def simplify(fdef, job):
    """``classic.optimize``: to a fixed point."""
    optimize(fdef, job.resolve)


def simplify_final(fdef, job):
    """``classic.optimize`` with common subexpressions and the normalizer's temporaries folded back."""
    optimize(fdef, job.resolve, temps=job.temps | job.adjoints, strict=job.adjoints)


def simplify_and_prune(fdef, job):
    """After ``prune_saves`` dropped code: simplify again and prune what lost its last reader (optimized
    code only). When it dropped nothing, both would find the function as they left it: skipped."""
    if job.optimized:
        simplify(fdef, job)
        saves.prune_saves(fdef, job)


def checkpoint(fdef, job):
    """Loops in bounded memory where the request asks for it (s2s/checkpointing.py)."""
    checkpointing.apply(fdef, job.ns, job.marker, job.checkpoints, job.memory, job.error)


def unsplit(fdef, job):
    """A helper's split call whose residuals nobody reads: back to a plain call (s2s/split.py); only
    where there is a split call (an assignment, so a statement: no need to walk expressions)."""
    if any(isinstance(s, gast.Assign) and getanno(s.value, "split") is not None for s in _statements(fdef)):
        split.unsplit_unused(fdef)


def _statements(node):
    """Every statement under ``node`` (expressions hold none: they are not walked)."""
    stack = [node]
    while stack:
        n = stack.pop()
        for f in n._fields:
            v = getattr(n, f, None)
            for e in v if isinstance(v, list) else (v,):
                if isinstance(e, gast.AST) and not isinstance(e, gast.expr):
                    if isinstance(e, gast.stmt):
                        yield e
                    stack.append(e)


def simplify_saving(fdef, job):
    """``simplify`` before the pruning of saves, which reads what dead code is gone; code that saves
    nothing (straight-line code) has nothing to prune: ``simplify_final`` does it all at once."""
    if saves.saves_anything(fdef):
        simplify(fdef, job)


PIPELINES = {
    "reverse": (   # also "split" mode: a helper's halves are cut after these passes (s2s/split.py)
        Step(simplify_saving, optimized=True),
        Step(saves.prune_saves, then=simplify_and_prune),   # dead code gone: saves may lose their last reader
        Step(simplify_final, optimized=True),
        Step(saves.save_shapes_only),
        Step(saves.shapes_from_operands, optimized=True, then=simplify),
        Step(saves.fold_into_backward, optimized=True, then=simplify),
        Step(dead.prune_unread_containers, optimized=True, then=simplify),
        Step(dead.prune_backward, optimized=True, then=simplify),
        Step(checkpoint),
        Step(unsplit),
    ),
    "forward": (
        Step(simplify_final, optimized=True),
        Step(dead.prune_unread_containers, optimized=True),
        Step(dead.prune_dead, optimized=True, then=simplify_final),
    ),
}


def run(mode, fdef, job):
    """Run ``PIPELINES[mode]`` ("split" runs the reverse pipeline) over ``fdef`` in place."""
    for step in PIPELINES["reverse" if mode == "split" else mode]:
        if step.optimized and not job.optimized:
            continue
        if step.run(fdef, job) and step.then is not None:
            step.then(fdef, job)
