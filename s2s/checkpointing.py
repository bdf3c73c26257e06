"""Checkpointed loops: reverse mode in bounded memory (binomial checkpointing).

The backward sweep of a loop needs what every iteration overwrote. By
default the forward sweep pushes it on a stack, so memory grows with the trip
count. With checkpointing the forward sweep runs the loop as the primal does,
keeping only a snapshot of the loop's state at its entry; the backward sweep
then follows a schedule (Griewank's binomial "revolve"): from a snapshot it
*advances* some iterations without saving anything, *takes* a snapshot,
and at the end of each chain runs one *step*: the iteration's forward sweep
(pushing what it overwrites) immediately followed by its backward sweep.
With ``c`` snapshot slots and ``n`` iterations the state is stored at most
``c`` times, and each iteration is recomputed about ``t`` times, where ``t``
is the smallest number with ``C(c + t, c) >= n``.

Recomputation runs the same operations on the same values, so the gradient is
bit-for-bit the one the store-everything policy gives.

This module holds both halves:

* the pass (``apply``) that rewrites a generated gradient: a top-level
  ``for i in r`` of the forward sweep with ``r = range(...)`` and its
  ``for i in reversed(r)`` in the backward sweep become the plain loops of
  the schedule (readable in ``verbose=1``);
* the runtime (``checkpoint`` for the user's ``with`` block, ``schedule``
  and ``plan``) that the generated code calls.

Which loops: ``s2s.grad(f, checkpoints=c)`` applies to every eligible
top-level loop; ``checkpoints="auto"`` too, but decides at run time, from
the trip count and the size of the loop's state, whether the loop would
need more than ``memory`` bytes stored (then it checkpoints with as many
snapshots as fit); ``with s2s.checkpoint(snapshots=c):`` around one loop in
the primal applies to that loop, whatever ``checkpoints`` says.
"""
import ast
import builtins
import inspect
import itertools
import math
import textwrap
import types

import gast
import numpy as np

from . import astutil
from .anno import getanno, setanno
from .purity import RANDOM_METHODS, Purity

MARK = "checkpoint"      # annotation (s2s/anno.py) on a loop's ``iter`` node: the snapshots expression (or "auto")
DEFAULT_MEMORY = 2 ** 30     # "auto": checkpoint loops that would store more than this


# ----------------------------------------------------------------------------- runtime

class checkpoint:
    """``with s2s.checkpoint(snapshots=c):`` around a loop: differentiate it in bounded memory.

    In the primal it does nothing. In reverse mode the loop inside is
    differentiated with binomial checkpointing: at most ``snapshots`` copies of
    the loop's state are kept, the rest is recomputed in the backward sweep.

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     y = x
        ...     with s2s.checkpoint(snapshots=3):
        ...         for i in range(100):
        ...             y = y * 0.99 + 0.01 * x * x
        ...     return y
        >>> def store_all(x):
        ...     y = x
        ...     for i in range(100):
        ...         y = y * 0.99 + 0.01 * x * x
        ...     return y
        >>> s2s.grad(f)(0.5) == s2s.grad(store_all)(0.5)    # with at most 3 copies of y kept
        True
    """

    def __init__(self, snapshots=None, memory=None):
        self.snapshots = snapshots
        self.memory = memory

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _beta(c, t):
    return math.comb(c + t, c)


def schedule(n, snapshots):
    """The binomial checkpointing schedule for reversing ``n`` iterations with ``snapshots`` slots.

    Yields ``(action, j, k)``: ``"restore"`` the state at iteration j from the
    newest snapshot, ``"advance"`` from iteration j to k without saving,
    ``"take"`` a snapshot (of the state at iteration j), ``"free"`` the newest
    snapshot, ``"step"`` iteration j forward then backward. The state at
    iteration 0 is the first snapshot, taken by the forward sweep.
    """
    snapshots = int(snapshots)
    if snapshots < 1:
        raise ValueError(f"checkpointing needs at least one snapshot, got {snapshots}")
    # Reversing iterations a..b-1 with the state at a on top of the snapshots and `free` slots left:
    # advance a -> m, take a snapshot at m, reverse m..b-1 with one slot less, free it, reverse a..m-1.
    # The split m is binomial: with t the smallest number of recomputations such that C(free + t, free)
    # covers the iterations, the right part gets C(free - 1 + t, free - 1) of them. An explicit stack of
    # tasks (not recursion) keeps every action O(1).
    tasks = [("reverse", 0, n, snapshots - 1)]
    while tasks:
        task = tasks.pop()
        if task[0] == "free":
            yield "free", task[1], task[1]
            continue
        _, a, b, free = task
        if b - a <= 0:
            continue
        if b - a == 1:
            yield "restore", a, a
            yield "step", a, a + 1
            continue
        if free == 0:   # no slot left: recompute from a for every iteration
            for j in range(b - 1, a - 1, -1):
                yield "restore", a, a
                if j > a:
                    yield "advance", a, j
                yield "step", j, j + 1
            continue
        t = 1
        while _beta(free, t) < b - a:
            t += 1
        m = b - min(b - a - 1, _beta(free - 1, t))
        yield "restore", a, a
        yield "advance", a, m
        yield "take", m, m
        tasks += [("reverse", a, m, free), ("free", m), ("reverse", m, b, free - 1)]


def split_schedule(r, snapshots):
    """(the loop values before which the forward sweep snapshots the state, the rest of the schedule).

    The schedule begins with a chain of advances and snapshots from the
    loop's entry; the forward sweep runs those iterations anyway, so it
    takes those snapshots on its way and the backward sweep starts after
    them (with a restore of the newest).
    """
    actions = schedule(len(r), snapshots)
    head = []
    for a in actions:
        head.append(a)
        if a[0] == "step":
            break
    last = max((n for n, a in enumerate(head) if a[0] == "take"), default=-1)
    takes = {r[a[1]] for a in head[:last + 1] if a[0] == "take"}
    return takes, Schedule(len(r), snapshots, skip=last + 1)


class Schedule:
    """The actions of ``schedule(n, snapshots)`` after the first ``skip``, computed as they are read.

    A sequence (``len`` and in-order indexing, as the generated code of a
    loop over it needs when it is differentiated again), without holding
    the O(n) actions in memory.
    """

    def __init__(self, n, snapshots, skip=0):
        self.n, self.snapshots, self.skip = n, snapshots, skip
        self._len = None
        self._it, self._pos = None, 0

    def __iter__(self):
        return itertools.islice(schedule(self.n, self.snapshots), self.skip, None)

    def __len__(self):
        if self._len is None:
            self._len = sum(1 for _ in self)
        return self._len

    def __getitem__(self, k):
        if k < 0:
            k += len(self)
        if self._it is None or k < self._pos:
            self._it, self._pos = iter(self), 0
        for _ in range(k - self._pos):
            next(self._it)
        self._pos = k + 1
        try:
            return next(self._it)
        except StopIteration:
            raise IndexError(k) from None


def _nbytes(v):
    if isinstance(v, (list, tuple)):
        return sum(_nbytes(e) for e in v)
    if isinstance(v, dict):
        return sum(_nbytes(e) for e in v.values())
    return int(getattr(v, "nbytes", 8))


def plan(r, state, snapshots, memory):
    """Snapshots to use for a loop over ``r`` with ``state``, or None to store every iteration.

    ``snapshots``: an int (always checkpoint) or "auto": checkpoint only when
    storing every iteration's state would take more than ``memory`` bytes,
    with as many snapshots as fit in it.
    """
    if snapshots != "auto":
        return int(snapshots)
    per = max(_nbytes(state), 1)
    budget = DEFAULT_MEMORY if memory is None else parse_memory(memory)
    if len(r) * per <= budget:
        return None
    return max(2, min(len(r), budget // per))


def parse_memory(memory):
    """Bytes from an int or a string such as ``"1GB"``, ``"512 MB"``, ``"2GiB"``."""
    if isinstance(memory, (int, float)):
        return int(memory)
    text = str(memory).strip().upper().replace(" ", "")
    units = {"TIB": 2 ** 40, "GIB": 2 ** 30, "MIB": 2 ** 20, "KIB": 2 ** 10,
             "TB": 10 ** 12, "GB": 10 ** 9, "MB": 10 ** 6, "KB": 10 ** 3, "B": 1}
    for unit, scale in units.items():
        if text.endswith(unit):
            try:
                return int(float(text[: -len(unit)]) * scale)
            except ValueError:
                break
    raise ValueError(f"memory={memory!r}: write a number of bytes or a string such as '1GB' or '512MB'")


# ----------------------------------------------------------------------------- transform time

def mark_blocks(fn, ctx):
    """Unwrap the ``with s2s.checkpoint(...)`` blocks of the user's function (before normalizing it).

    The loop inside is marked; the normalizer carries the mark to the core
    loop's ``iter`` (``MARK``), where ``apply`` finds it.
    """

    def constant(call, name, pos):
        node = next((k.value for k in call.keywords if k.arg == name), call.args[pos] if len(call.args) > pos else None)
        if node is None:
            return None
        if not isinstance(node, gast.Constant):
            raise ctx.error(call, f"`s2s.checkpoint({name}=...)` must be a number written in the code.",
                            f"Write the number itself, e.g. `with s2s.checkpoint({name}=50):`.")
        return node.value

    def visit(block):
        out = []
        for s in block:
            if isinstance(s, gast.With) and len(s.items) == 1 and isinstance(s.items[0].context_expr, gast.Call) \
                    and ctx.resolve(s.items[0].context_expr.func) is checkpoint:
                call = s.items[0].context_expr
                if s.items[0].optional_vars is not None or len(s.body) != 1 or not isinstance(s.body[0], gast.For):
                    raise ctx.error(s,
                                    "`with s2s.checkpoint(...)` must hold exactly one `for` loop, with no `as` name.",
                                    "Put the `with` block directly around the loop to checkpoint.")
                snaps = constant(call, "snapshots", 0)
                memory = constant(call, "memory", 1)
                if snaps is None:
                    snaps = "auto"
                if snaps != "auto" and (isinstance(snaps, bool) or not isinstance(snaps, int) or snaps < 1):
                    raise ctx.error(call, f"`snapshots={snaps!r}`: write a positive number of snapshots or 'auto'.")
                setanno(s.body[0], MARK, (snaps, memory))
                s = s.body[0]
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(s, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    setattr(s, field, visit(sub))
            out.append(s)
        return out

    fn.body = visit(fn.body)


def _names(node, ctx_type):
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, ctx_type)}


def _strip_saves(stmts):
    """A copy of ``stmts`` without the pushes of the store-everything policy."""
    out = []
    for s in stmts:
        if getanno(s, "save") is not None and isinstance(s, gast.Expr):
            continue
        s = astutil.clone(s)
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                setattr(s, field, _strip_saves(sub) or [gast.Pass()])
        out.append(s)
    return out


def _call(fn, *args):
    return gast.Call(func=fn, args=list(args), keywords=[])


def _n(name, ctx=None):
    return gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _assign(target, value):
    return gast.Assign(targets=[target], value=value, type_comment=None)


def _const(v):
    return gast.Constant(value=v, kind=None)


def _has_jump(stmts):
    """A jump other than the loop's own lowered ``break`` (jumps.py leaves only that one)."""
    return any(isinstance(n, (gast.Continue, gast.Return)) for s in stmts for n in astutil.walk(s))


def _no_break(stmts):
    """``stmts`` with the loop's own ``break`` made a ``pass`` (a step runs one iteration, outside a loop)."""
    class Drop(gast.NodeTransformer):
        def visit_For(self, node):
            return node      # an inner loop's break stays
        visit_While = visit_For

        def visit_Break(self, node):
            return gast.Pass()
    return [Drop().visit(s) for s in stmts]


def apply(fdef, ns, marker, checkpoints=None, memory=None, error=None):
    """Rewrite the eligible loops of the generated gradient ``fdef`` (see the module docstring).

    ``marker``: the statement separating the forward and backward sweeps.
    ``error(node, message, hint)``: builds a located DifferentiationError.
    """
    idx = next(i for i, s in enumerate(fdef.body) if s is marker)
    fwd, bwd = fdef.body[:idx], fdef.body[idx + 1:]
    ranges = {s.targets[0].id for s in fwd if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name)
              and isinstance(s.value, gast.Call) and isinstance(s.value.func, gast.Name)
              and ns.resolve(s.value.func) is range}
    new_fwd, new_bwd = list(fwd), list(bwd)
    for i, loop in enumerate(fwd):
        if not isinstance(loop, gast.For):
            continue
        marked = getanno(loop.iter, MARK)
        if marked is None and checkpoints is None:
            continue
        why = _ineligible(loop, fwd[i + 1:], bwd, ranges, ns)
        back = None if why else _backward_loop(loop, bwd)
        if back is None and not why:
            why = "its backward loop was not found"
        if why:
            if marked is not None:   # the user asked for this loop: say why it cannot be done
                if getattr(loop, "lineno", None) is None and getanno(loop, "line"):
                    loop.lineno, loop.col_offset = getanno(loop, "line"), 0   # the user's line, for the message
                raise error(loop, f"this loop cannot be checkpointed: {why}.",
                            "Remove the `with s2s.checkpoint(...)` block (the loop then stores every iteration).")
            continue
        snaps, mem = marked if marked is not None else (checkpoints, memory)
        after_back = new_bwd[new_bwd.index(back) + 1:]
        read_after = set().union(*[_names(st, gast.Load) for st in after_back]) if after_back else set()
        fwd_new, bwd_new = _rewrite(loop, back, _const(snaps), mem, ns, read_after)
        new_fwd[new_fwd.index(loop)] = fwd_new
        new_bwd[new_bwd.index(back)] = bwd_new
    flat_fwd, flat_bwd = [], []
    for s in new_fwd:
        flat_fwd += s if isinstance(s, list) else [s]
    for s in new_bwd:
        flat_bwd += s if isinstance(s, list) else [s]
    fdef.body[:] = flat_fwd + [marker] + flat_bwd


_IO_METHODS = {"write", "writelines", "read", "readline", "readlines", "flush", "close", "seek", "send"}


def _draws():
    return RANDOM_METHODS - set(dir(np.ndarray))


def _resolve_in(fn, node):
    """The object a Name/Attribute chain in ``fn``'s code refers to, or None (a local value)."""
    if isinstance(node, ast.Name):
        cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
        if node.id in cells:
            try:
                return cells[node.id].cell_contents
            except ValueError:
                return None
        if node.id in fn.__globals__:
            return fn.__globals__[node.id]
        return getattr(builtins, node.id, None)
    if isinstance(node, ast.Attribute):
        base = _resolve_in(fn, node.value)
        return None if base is None else getattr(base, node.attr, None)
    return None


def _replayable_function(fn, seen):
    """Whether running ``fn`` again gives the same values and no second effect (no draws, no I/O),
    judged from its source and, recursively, its callees'; unknown code is not replayable."""
    if id(fn) in seen:
        return True
    seen.add(id(fn))
    if getattr(fn, "s2s_impure", False) and getattr(fn, "s2s_split", None) != "fwd":
        return False   # a trampoline or a pullback: the callee is only known at run time
    try:
        src = getattr(fn, "s2s_source", None) or textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(src)
    except (OSError, TypeError, SyntaxError):
        return False
    for node in astutil.walk_bfs(tree):
        if isinstance(node, ast.Call):
            obj = _resolve_in(fn, node.func)
            if not _replayable(obj, node.func.attr if isinstance(node.func, ast.Attribute) else None, seen):
                return False
        if isinstance(node, (ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await)):
            return False
        if _stores_state(node, ast):
            return False   # self.n = ...: a second run would store again (and snapshots do not hold objects)
    return True


def _stores_state(node, tree):
    """True for a store into an object's attribute (``p.n = ...``, ``self.cache["X"] = X``) in ``tree``'s
    (``ast`` or ``gast``) nodes."""
    if not isinstance(node, (tree.Attribute, tree.Subscript)) or not isinstance(node.ctx, tree.Store):
        return False
    while isinstance(node, tree.Subscript):
        node = node.value
    return isinstance(node, tree.Attribute)


def _replayable(obj, attr, seen):
    if obj is None:   # a method of a local value: list.append replays on the restored copy; a draw does not
        return attr is not None and attr not in _draws() and attr not in _IO_METHODS
    if getattr(obj, "s2s_split", None) == "fwd" or (isinstance(obj, types.FunctionType)
                                                    and not (obj.__module__ or "").startswith(
                                                        ("s2s", "numpy", "scipy"))):
        return _replayable_function(obj, seen)
    return Purity.obj_pure(obj)


def _impure_call(loop, ns):
    """The source of a call in the loop that recomputing would repeat with a different result or effect, or None."""
    seen = set()
    for n in astutil.walk(loop):
        if isinstance(n, gast.Call):
            obj = ns.resolve(n.func)
            if not _replayable(obj, n.func.attr if isinstance(n.func, gast.Attribute) else None, seen):
                from .codegen import expr_source
                return expr_source(n.func)
    return None


def _ineligible(loop, after, bwd, ranges, ns=None):
    if not isinstance(loop.iter, gast.Name) or loop.iter.id not in ranges:
        return "it does not run over a `range(...)`"
    if not isinstance(loop.target, gast.Name):
        return "its loop variable is not a plain name"
    if _has_jump(loop.body):
        return "it leaves early (`break`, `continue` or `return`)"
    if any(isinstance(n, gast.While) for n in astutil.walk(loop)):
        return "it holds a `while` loop"
    reads = _names(loop, gast.Load) - _names(loop, gast.Store)
    later = set()
    for s in after:
        later |= _names(s, gast.Store)
        for n in astutil.walk(s):
            if isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, gast.Store) \
                    and isinstance(n.value, gast.Name):
                later.add(n.value.id)
    changed = reads & later
    if changed:
        return f"the forward sweep changes {', '.join(sorted(changed))} after it, which recomputing it would read"
    stores = next((n for n in astutil.walk(loop) if _stores_state(n, gast)), None)
    if stores is not None:
        from .codegen import expr_source
        return (f"it stores into `{expr_source(stores)}`, which recomputing it would do again (and a snapshot does "
                "not hold an object's attributes)")
    impure = _impure_call(loop, ns) if ns is not None else None
    if impure is not None:
        return (f"recomputing it would call `{impure}` again, which may draw new random numbers or repeat an "
                "effect (or s2s cannot tell that it does not)")
    return None


def _backward_loop(loop, bwd):
    """The backward sweep's ``for i in reversed(r)`` (``reversed(r[:n_iter])`` after a ``break``) of ``loop``."""
    for s in bwd:
        if not (isinstance(s, gast.For) and isinstance(s.iter, gast.Call) and isinstance(s.iter.func, gast.Name)
                and s.iter.func.id == "reversed" and len(s.iter.args) == 1
                and isinstance(s.target, gast.Name) and s.target.id == loop.target.id):
            continue
        seq = s.iter.args[0]
        if isinstance(seq, gast.Subscript) and isinstance(seq.slice, gast.Slice) and seq.slice.lower is None \
                and seq.slice.step is None and isinstance(seq.slice.upper, gast.Name):
            seq = seq.value   # r[:n_iter]: the loop may have stopped early
        if isinstance(seq, gast.Name) and seq.id == loop.iter.id:
            return s
    return None


def _live_in(body, defined=frozenset()):
    """(names an iteration may read before writing them, names it surely writes): a forward dataflow walk."""
    defined, live = set(defined), set()
    for st in body:
        if getanno(st, "save") is not None and isinstance(st, gast.Expr):
            continue   # a push reads the old value only to restore it after the iteration's backward sweep
        if isinstance(st, gast.For):
            live |= _names(st.iter, gast.Load) - defined
            inner, _ = _live_in(st.body, defined | _names(st.target, gast.Store))
            live |= inner
        elif isinstance(st, gast.If):
            live |= _names(st.test, gast.Load) - defined
            l1, d1 = _live_in(st.body, defined)
            l2, d2 = _live_in(st.orelse, defined)
            live |= l1 | l2
            defined |= d1 & d2
        elif isinstance(st, gast.While):
            live |= _names(st.test, gast.Load) - defined
            live |= _live_in(st.body, defined)[0]
        else:
            live |= _names(st, gast.Load) - defined
            if isinstance(st, gast.Assign):
                defined |= _names(st, gast.Store)
    return live, defined


def _state(loop):
    """(the loop's state: what an iteration reads from the previous one; the part changed in place)."""
    inplace = set()
    for n in astutil.walk(loop):
        if isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, gast.Store) \
                and isinstance(n.value, gast.Name):
            inplace.add(n.value.id)
        if isinstance(n, gast.Expr) and isinstance(n.value, gast.Call) and getanno(n, "save") is None:
            f = n.value.func
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
                inplace.add(f.value.id)          # x.append(...), x.sort() ...: may change x
            if n.value.args and isinstance(n.value.args[0], gast.Name):
                inplace.add(n.value.args[0].id)  # set_item(x, ...), np.copyto(x, ...) ...
        if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
            inplace.add(n.target.id)
    stored = _names(gast.Module(body=loop.body, type_ignores=[]), gast.Store)
    carried = (_live_in(loop.body)[0] & stored) | inplace
    return sorted(carried - {loop.target.id}), inplace


def _pop_target(st):
    """``v`` for ``v = <stack>.pop()``, else None."""
    if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) and isinstance(st.value, gast.Call) \
            and isinstance(st.value.func, gast.Attribute) and st.value.func.attr == "pop" and not st.value.args:
        return st.targets[0].id
    return None


def _drop_unread_restores(fwd, bwd, keep):
    """A step runs one iteration's forward sweep, then its backward sweep: a value it pushes only to put back
    (``v = stack.pop()``) with nobody reading ``v`` afterwards need not be pushed. ``keep``: names read later."""
    def pops(st):
        return sum(1 for n in astutil.walk(st) if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute)
                   and n.func.attr == "pop" and not n.args and isinstance(n.func.value, gast.Name))
    pushes = [st for st in fwd if getanno(st, "save") is not None and isinstance(st, gast.Expr)]
    if any(getanno(n, "save") is not None for st in fwd if not isinstance(st, gast.Expr)
           for n in astutil.walk(st)) or any(pops(st) for st in bwd if isinstance(st, (gast.For, gast.While, gast.If))):
        return fwd, bwd   # saves inside nested statements: leave the step as it is
    popping = [st for st in bwd if pops(st)]
    if len(popping) != len(pushes) or any(pops(st) != 1 for st in popping):
        return fwd, bwd
    drop = set()
    for push, pop in zip(reversed(pushes), popping):
        v = _pop_target(pop)
        if v is None or v in keep:
            continue
        later = bwd[bwd.index(pop) + 1:]
        if any(v in _names(st, gast.Load) for st in later):
            continue
        drop |= {id(push), id(pop)}
    return [s for s in fwd if id(s) not in drop], [s for s in bwd if id(s) not in drop]


def _rewrite(loop, back, snaps, memory, ns, read_after):
    r, i = loop.iter.id, loop.target.id
    namer = ns.namer
    names, inplace = _state(loop)
    copy = ns.ref("copy_deep", __import__("s2s.runtime", fromlist=["copy_deep"]).copy_deep)

    def state_value():
        elts = [_call(_n(copy), _n(v)) if v in inplace else _n(v) for v in names]
        return gast.Tuple(elts=elts, ctx=gast.Load())

    def restore(src):
        target = gast.Tuple(elts=[_n(v, gast.Store()) for v in names], ctx=gast.Store())
        value = src
        if inplace:
            value = _call(_n(copy), src)
        return _assign(target, value)

    snapshots = namer.name("snapshots")
    plan_name = namer.name("n_snapshots")
    action, j, k = namer.name("action"), namer.name("j"), namer.name("k")
    counted = isinstance(back.iter.args[0], gast.Subscript)   # a loop that may stop early: r[:n_iter]
    snaps_expr = _n(plan_name) if _is_auto(snaps) or not isinstance(snaps, gast.Constant) else snaps

    def method(obj, name, *args):
        return gast.Expr(value=_call(gast.Attribute(value=_n(obj), attr=name, ctx=gast.Load()), *args))

    # the forward sweep: the primal loop, snapshotting its state at the entry, and (when the trip count is
    # known up front) on its way at the iterations where the schedule's first chain of advances takes them
    take0 = _assign(_n(snapshots, gast.Store()), gast.List(elts=[state_value()], ctx=gast.Load()))
    primal_body = _strip_saves(loop.body) or [gast.Pass()]
    if counted:
        fwd_ck = [take0,
                  gast.For(target=_n(i, gast.Store()), iter=_n(r), body=primal_body, orelse=[], type_comment=None)]
        sched_iter = _call(_n(ns.ref("checkpoint_schedule", schedule)),
                           _call(_n(ns.ref("len", len)), astutil.clone(back.iter.args[0])), snaps_expr)
    else:
        takes, rest = namer.name("takes"), namer.name("schedule")
        split = _assign(gast.Tuple(elts=[_n(takes, gast.Store()), _n(rest, gast.Store())], ctx=gast.Store()),
                        _call(_n(ns.ref("checkpoint_split", split_schedule)), _n(r), snaps_expr))
        take = gast.If(test=gast.Compare(left=_n(i), ops=[gast.In()], comparators=[_n(takes)]),
                       body=[method(snapshots, "append", state_value())], orelse=[])
        fwd_ck = [take0, split,
                  gast.For(target=_n(i, gast.Store()), iter=_n(r), body=[take] + primal_body, orelse=[],
                           type_comment=None)]
        sched_iter = _n(rest)

    # the backward sweep: the rest of the schedule
    advance = gast.For(target=_n(i, gast.Store()),
                       iter=gast.Subscript(value=_n(r), slice=gast.Slice(lower=_n(j), upper=_n(k), step=None),
                                           ctx=gast.Load()),
                       body=_strip_saves(loop.body) or [gast.Pass()], orelse=[], type_comment=None)
    step_fwd, step_bwd = _no_break([astutil.clone(s) for s in loop.body]), [astutil.clone(s) for s in back.body]
    step_fwd, step_bwd = _drop_unread_restores(step_fwd, step_bwd, keep=set(names) | read_after)
    step = [_assign(_n(i, gast.Store()),
                    gast.Subscript(value=_n(r), slice=_n(j), ctx=gast.Load()))] + step_fwd + step_bwd
    last = gast.Subscript(value=_n(snapshots), slice=gast.UnaryOp(op=gast.USub(), operand=_const(1)), ctx=gast.Load())

    def is_(word):
        return gast.Compare(left=_n(action), ops=[gast.Eq()], comparators=[_const(word)])

    chain = gast.If(test=is_("restore"), body=[restore(last)], orelse=[
        gast.If(test=is_("advance"), body=[advance], orelse=[
            gast.If(test=is_("take"), body=[method(snapshots, "append", state_value())], orelse=[
                gast.If(test=is_("free"), body=[method(snapshots, "pop")], orelse=step)])])])
    loop_target = gast.Tuple(elts=[_n(action, gast.Store()), _n(j, gast.Store()), _n(k, gast.Store())],
                             ctx=gast.Store())
    bwd_ck = gast.For(target=loop_target, iter=sched_iter, body=[chain], orelse=[], type_comment=None)

    if _is_auto(snaps):   # decided at run time: store everything, or checkpoint
        decide = _assign(_n(plan_name, gast.Store()),
                         _call(_n(ns.ref("checkpoint_plan", plan)), _n(r), state_value(), snaps, _const(memory)))
        return ([decide, gast.If(test=_is_none(plan_name), body=[loop], orelse=fwd_ck)],
                [gast.If(test=_is_none(plan_name), body=[back], orelse=[bwd_ck])])
    if snaps_expr is not snaps:
        fwd_ck.insert(0, _assign(_n(plan_name, gast.Store()), snaps))
    return fwd_ck, [bwd_ck]


def _is_auto(snaps):
    return isinstance(snaps, gast.Constant) and snaps.value == "auto"


def _is_none(name):
    return gast.Compare(left=_n(name), ops=[gast.Is()], comparators=[_const(None)])


def check_option(checkpoints, memory):
    """Validate ``grad(..., checkpoints=, memory=)``."""
    if checkpoints is not None and checkpoints != "auto" and (isinstance(checkpoints, bool)
                                                             or not isinstance(checkpoints, int) or checkpoints < 1):
        raise ValueError(f"checkpoints must be None, a positive int or 'auto', got {checkpoints!r}")
    if memory is not None:
        parse_memory(memory)
    if memory is not None and checkpoints is None:
        raise ValueError("memory= sets the budget of checkpoints='auto'; pass checkpoints='auto' too")
