"""Pass 5, optimize: make generated code read like a careful hand-written gradient.

Passes (each AST in, AST out, repeated to a fixed point): constant folding
and algebraic simplification, copy propagation, dead code elimination, and
inlining of single-use temporaries.
"""
import collections
import math
import operator

import gast

from .. import astutil

from ..anno import getanno
from ..purity import Purity

_FOLD = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
         gast.Div: operator.truediv, gast.Pow: operator.pow, gast.FloorDiv: operator.floordiv,
         gast.Mod: operator.mod}


def _const(v):
    return gast.Constant(value=v, kind=None)


def _num(node):
    return isinstance(node, gast.Constant) and type(node.value) in (int, float)


def _boolean(node):
    """Comparisons give booleans: `(x > 0) * 1.0` is a conversion, not a no-op."""
    return isinstance(node, (gast.Compare, gast.BoolOp)) \
        or (isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not))


def _is(node, value):
    return _num(node) and node.value == value


def _constant_slope(node):
    """(x, c) for ``power_slope(x, c)`` with a number c >= 1, else None."""
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.func.id == "power_slope" \
            and len(node.args) == 2 and not node.keywords and _num(node.args[1]) and node.args[1].value >= 1:
        return node.args[0], node.args[1].value
    return None


def _leading_negation(node):
    """(parent, field) of the ``-a`` that leads a product or quotient chain ``-a * b / c`` (of the backward
    sweep's: none of the primal's operations), else None."""
    parent = None
    while isinstance(node, gast.BinOp) and isinstance(node.op, (gast.Mult, gast.Div)) \
            and not getanno(node, "primal", False):
        parent, node = node, node.left
    if parent is not None and isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        return parent, "left"
    return None


class Simplify(astutil.Transformer):
    """Constant folding and the identities 0*a, 1*a, a+0, a-0, a/1, a**1, --a."""

    def visit_BinOp(self, node):
        hit = _constant_slope(node.right) if isinstance(node.op, gast.Mult) else None
        if hit is not None:   # g * power_slope(x, 2) reads g * 2 * x, as the rule wrote it before power_slope
            x, c = hit
            node = gast.BinOp(left=gast.BinOp(left=node.left, op=gast.Mult(), right=_const(c)), op=gast.Mult(),
                              right=gast.BinOp(left=x, op=gast.Pow(), right=_const(c - 1)))
        self.generic_visit(node)
        l, r, op = node.left, node.right, type(node.op)
        if _num(l) and _num(r) and op in _FOLD:
            try:
                v = _FOLD[op](l.value, r.value)
                if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) < 1e15:
                    return _const(v)
            except (ZeroDivisionError, OverflowError, ValueError):
                pass
        if getanno(node, "primal", False):
            return node
        if op is gast.Mult:
            if _is(l, 1) and not _boolean(r):
                return r
            if _is(r, 1) and not _boolean(l):
                return l
            if _is(l, 0) or _is(r, 0):
                return _const(0.0)
            if _is(l, -1):
                return self.visit_UnaryOp(gast.UnaryOp(op=gast.USub(), operand=r))
            if _is(r, -1):
                return self.visit_UnaryOp(gast.UnaryOp(op=gast.USub(), operand=l))
        if op is gast.Add:
            if _is(l, 0):
                return r
            if _is(r, 0):
                return l
        if op is gast.Sub:
            if _is(r, 0):
                return l
            if _is(l, 0):
                return self.visit_UnaryOp(gast.UnaryOp(op=gast.USub(), operand=r))
            if isinstance(r, gast.UnaryOp) and isinstance(r.op, gast.USub):
                return gast.BinOp(left=l, op=gast.Add(), right=r.operand)
        if op is gast.Add and isinstance(r, gast.UnaryOp) and isinstance(r.op, gast.USub):
            return gast.BinOp(left=l, op=gast.Sub(), right=r.operand)
        if op is gast.Div and _is(r, 1):
            return l
        if op is gast.Div and _is(l, 0):
            return _const(0.0)
        if op is gast.Pow and _is(r, 1):
            return l
        if op in (gast.Mult, gast.Div) and isinstance(l, gast.UnaryOp) and isinstance(l.op, gast.USub) \
                and isinstance(r, gast.UnaryOp) and isinstance(r.op, gast.USub):
            return gast.BinOp(left=l.operand, op=node.op, right=r.operand)
        return node

    def visit_Call(self, node):
        """``power_slope(x, c)`` (the power rules' slope) with a constant ``c >= 1`` is ``c * x ** (c - 1)``:
        no nan to avoid there (it is 0 * inf at x = 0 only for c = 0), and ``x ** 2`` reads ``2 * x``."""
        self.generic_visit(node)
        hit = _constant_slope(node)
        if hit is not None:
            x, c = hit
            return self.visit_BinOp(gast.BinOp(left=_const(c), op=gast.Mult(),
                                               right=gast.BinOp(left=x, op=gast.Pow(), right=_const(c - 1))))
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        x = node.operand
        if isinstance(node.op, gast.USub):
            if _num(x):
                return _const(-x.value)
            if isinstance(x, gast.UnaryOp) and isinstance(x.op, gast.USub):
                return x.operand
            inner = _leading_negation(x)
            if inner is not None:   # -(-a * b / c) is a * b / c, bit for bit (rounding is symmetric in sign)
                parent, field = inner
                setattr(parent, field, getattr(parent, field).operand)
                return x
        if isinstance(node.op, gast.UAdd):
            return x
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.left, gast.Constant) \
                and isinstance(node.comparators[0], gast.Constant):
            a, b, op = node.left.value, node.comparators[0].value, node.ops[0]
            table = {gast.Is: operator.is_, gast.IsNot: operator.is_not, gast.Eq: operator.eq, gast.NotEq: operator.ne}
            if type(op) in table:
                return _const(table[type(op)](a, b))
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        if isinstance(node.test, gast.Constant):
            return node.body if node.test.value else node.orelse
        return node


_LEAVES = astutil._LEAVES - {gast.Name}   # (contexts, operators, constants, aliases: no names under them)


def _stores(tree):
    c = collections.Counter()
    for n in astutil.walk(tree):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            c[n.id] += 1
    return c


class Uses:
    """One walk's count of a function's names: ``stores`` (stores and deletions of each name), ``loads``,
    ``in_loop`` (names stored inside a loop) and ``has_loop``. The passes of one round share it: it is
    made again only after a pass changed the function (what ``_stores`` and ``_loads`` give, and the
    names stored inside loops, in one walk instead of three)."""

    __slots__ = ("stores", "loads", "in_loop", "has_loop")

    def __init__(self, tree):
        stores, loads, in_loop = collections.Counter(), collections.Counter(), set()
        has_loop = False
        Name, Load, Store, Del, AST = gast.Name, gast.Load, gast.Store, gast.Del, gast.AST
        Loops = (gast.For, gast.While)
        leaves = _LEAVES   # nothing to count under them: not pushed
        fields_of = astutil._NODE_FIELDS
        stack = [(tree, False)]
        pop, push = stack.pop, stack.append
        while stack:
            n, looped = pop()
            if type(n) is Name:
                ctx = type(n.ctx)
                if ctx is Load:
                    loads[n.id] += 1
                elif ctx is Store:
                    stores[n.id] += 1
                    if looped:
                        in_loop.add(n.id)
                elif ctx is Del:
                    stores[n.id] += 1
                if n.annotation is not None:   # (a parameter's annotation)
                    push((n.annotation, looped))
                continue
            if isinstance(n, Loops):
                has_loop = looped = True
            fields = fields_of.get(n.__class__) or astutil._node_fields(n.__class__)
            for f in fields:
                v = getattr(n, f, None)
                if v.__class__ is list:
                    for e in v:
                        if isinstance(e, AST) and e.__class__ not in leaves:
                            push((e, looped))
                elif isinstance(v, AST) and v.__class__ not in leaves:
                    push((v, looped))
        self.stores, self.loads, self.in_loop, self.has_loop = stores, loads, in_loop, has_loop


def _loads(tree):
    c = collections.Counter()
    for n in astutil.walk(tree):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
            c[n.id] += 1
    return c


def _blocks(tree):
    """Every statement list in the tree (statements only hold blocks: no need to walk expressions)."""
    stack = [tree]
    while stack:
        n = stack.pop()
        for field in ("body", "orelse"):
            b = getattr(n, field, None)
            if isinstance(b, list) and b and isinstance(b[0], gast.stmt):
                yield n, field, b
                stack.extend(b)


def _params(fn):
    a = fn.args
    star = ([a.vararg] if a.vararg else []) + ([a.kwarg] if a.kwarg else [])
    return {x.id for x in a.posonlyargs + a.args + a.kwonlyargs + star}


def copy_propagate(fn, uses=None):
    """Replace ``a`` by ``b`` after ``a = b`` when both are bound exactly once, outside loops. ``uses``
    stays exact: the counts of the statements dropped and of the names replaced are moved."""
    uses = uses or Uses(fn)
    stores, loads, in_loop, params = uses.stores, uses.loads, uses.in_loop, _params(fn)
    consts, copies, dropped = {}, {}, []
    for parent, field, block in list(_blocks(fn)):
        keep = []
        for s in block:
            if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name) and getanno(s, "save") is None:
                a = s.targets[0].id
                if stores[a] == 1 and a not in params and a not in in_loop:
                    if _num(s.value):                      # a = 2: constant propagation
                        consts[a] = s.value.value
                        dropped.append((a, None))
                        continue
                    if isinstance(s.value, gast.Name):
                        b = s.value.id
                        if b not in in_loop and (stores[b] == 1 and b not in params or b in params and stores[b] == 0):
                            # (a parameter stored once more is bound twice: `d = dy; dy = d * t; g = d * y`,
                            # dy the seed, kept the seed's value in `g` only as long as dy is not rebound)
                            copies[a] = b
                            dropped.append((a, b))
                            continue
            keep.append(s)
        block[:] = keep or [gast.Pass()]
    if not consts and not copies:
        return False
    for a, b in dropped:   # (each statement dropped, as often as the function held it)
        stores[a] -= 1
        if b is not None:
            loads[b] -= 1

    def final(name):
        seen = set()
        while name in copies and name not in seen:
            seen.add(name)
            name = copies[name]
        return name

    renamed = {}   # id(Name) -> its name before: a node the function holds twice (the transforms share an
    # `if` test between the sweeps) is visited twice, and each occurrence counts

    class Sub(astutil.Transformer):
        def visit_Name(self, node):
            if isinstance(node.ctx, gast.Load):
                name = renamed.get(id(node), node.id)
                target = final(name)
                if target in consts:
                    loads[name] -= 1
                    return _const(consts[target])
                if target != name:
                    loads[name] -= 1
                    loads[target] += 1
                    renamed[id(node)] = name
                node.id = target
            return node

    Sub().visit(fn)
    return True


def local_copy_propagate(fn, uses=None):
    """``a = b`` inside one block (a loop body, say): use b for a where a's every use follows in that block.
    (It changes ``uses.loads``; ``uses`` is stale once it returns True.)"""
    uses = uses or Uses(fn)
    stores, load_counts = uses.stores, uses.loads
    changed = False
    for parent, field, block in list(_blocks(fn)):
        i = 0
        while i < len(block):
            s = block[i]
            if _is_copy(s) and _undoes_copy(block, i):   # a = b; ...; b = a  (b still equals a)
                del block[i]
                changed = True
                continue
            if (isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)
                    and getanno(s, "save") is None and stores[s.targets[0].id] == 1):
                a, b = s.targets[0].id, s.value.id
                rest = block[i + 1:]
                reads = _reads_in(rest, a, load_counts[a])
                if reads and load_counts[a] == sum(c for _, c in reads):
                    last = reads[-1][0]
                    # b must keep its value until a's last use (a store of b inside the last statement is fine
                    # only if it comes after the read, as in `b = f(a)`)
                    span = rest[:last]
                    if not any(isinstance(n, gast.Name) and n.id == b and isinstance(n.ctx, gast.Store)
                               for st in span for n in astutil.walk(st)) and _reads_before_store(rest[last], a, b):
                        for st in rest[:last + 1]:
                            for n in astutil.walk(st):
                                if isinstance(n, gast.Name) and n.id == a and isinstance(n.ctx, gast.Load):
                                    n.id = b
                        load_counts[b] += load_counts[a]
                        load_counts[a] = 0
                        del block[i]
                        if not block:
                            block.append(gast.Pass())
                        changed = True
                        continue
            i += 1
    return changed


def _reads_in(stmts, a, total):
    """[(k, n)]: the statements of ``stmts`` that read ``a``, n times. It stops once it has seen ``total``
    reads: a's count of loads in the function, never less than the reads left in ``stmts``."""
    out, seen = [], 0
    if total <= 0:
        return out
    for k, st in enumerate(stmts):
        if seen >= total > 0:
            break
        c = sum(1 for n in astutil.walk(st) if type(n) is gast.Name and n.id == a and type(n.ctx) is gast.Load)
        if c:
            out.append((k, c))
            seen += c
    return out


def _is_copy(s):
    return (isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)
            and getanno(s, "save") is None)


def _undoes_copy(block, i):
    """block[i] is `b = a` and the last statement of the block binding a or b was `a = b`."""
    b, a = block[i].targets[0].id, block[i].value.id
    for prev in reversed(block[:i]):
        stored = {n.id for n in astutil.walk(prev) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        if stored & {a, b}:
            return _is_copy(prev) and prev.targets[0].id == a and prev.value.id == b and len(stored) == 1
    return False


def _reads_before_store(stmt, a, b):
    """In ``stmt``, every read of a happens before any store to b (simple statements only)."""
    if isinstance(stmt, (gast.Assign, gast.Expr, gast.Return, gast.AugAssign)):
        return True  # the value is computed before the target is bound
    return not any(isinstance(n, gast.Name) and n.id == b and isinstance(n.ctx, gast.Store) for n in astutil.walk(stmt))


def eliminate_common(fn, purity, uses=None):
    """``a = e; ...; b = e`` in one block, nothing e reads rebound between: ``b = a``."""
    if not _repeated_keys(fn):
        return False   # (most functions: no expression assigned twice in a block, nothing to merge)
    stores = (uses or Uses(fn)).stores
    changed = False
    # a name changed in place anywhere (y[0] = v, y += v, y.fill(0)) must not become another name's alias:
    # dy5 = t * dx after dt4 = t * dx, then dy5[0] = ... would change dt4 too
    mutated = set()
    for n in astutil.walk(fn):
        if isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store):
            mutated |= _names(n.value)
        elif isinstance(n, gast.AugAssign):
            mutated |= _names(n.target)
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
            mutated |= _names(n.func.value)
    for parent, field, block in list(_blocks(fn)):
        seen = {}   # dump of a pure expression -> (name holding it, names it reads)
        deps = collections.defaultdict(list)   # name -> [(key, entry)]: the entries of seen that hold or read it
        for s in block:
            # an assignment of a pure expression (None: not one; its purity and key found once)
            pure = key = None
            if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name) \
                    and isinstance(s.value, (gast.BinOp, gast.Call, gast.UnaryOp, gast.Subscript)):
                pure = purity.pure(s.value)
                key = _key(s.value) if pure else None
            if pure and not getanno(s.value, "primal", False):
                hit = seen.get(key) if key is not None else None
                if hit is not None and stores[hit[0]] == 1 and not {hit[0], s.targets[0].id} & mutated:
                    s.value = gast.Name(id=hit[0], ctx=gast.Load(), annotation=None, type_comment=None)
                    changed = True
                    pure, key = None, None   # (s is `b = a` now: pure, and no expression to remember)
            bound, written = set(), False   # x[i] = v changes x in place, and every view of x (bound to any name)
            for n in astutil.walk(s):   # x[i] = v and x.method(...) change x in place
                if type(n) is gast.Name:
                    if type(n.ctx) is gast.Store:
                        bound.add(n.id)
                elif isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store):
                    bound |= _names(n.value)
                    written = True
                elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
                    bound |= _names(n.func.value)
            if written or not isinstance(s, (gast.Assign, gast.AugAssign, gast.Expr)) \
                    or not (pure if pure is not None else purity.pure(s)):
                seen.clear()   # a compound statement or a call that may change anything: keep it simple
                deps.clear()
            else:   # forget what reads or holds a name s binds
                for name in bound:
                    for k, entry in deps.pop(name, ()):
                        if seen.get(k) is entry:
                            del seen[k]
            if key is not None:
                target, reads = s.targets[0].id, _names(s.value)
                if target not in reads and key not in seen:
                    seen[key] = entry = (target, reads)
                    for name in reads | {target}:
                        deps[name].append((key, entry))
    return changed


def _repeated_keys(fn):
    """Whether some block assigns the same expression (by ``_key``) to a name twice."""
    for parent, field, block in _blocks(fn):
        seen = set()
        for s in block:
            if type(s) is gast.Assign and type(s.targets[0]) is gast.Name \
                    and isinstance(s.value, (gast.BinOp, gast.Call, gast.UnaryOp, gast.Subscript)):
                key = _key(s.value)
                if key is not None:
                    if key in seen:
                        return True
                    seen.add(key)
    return False


def _key(node):
    """A hashable structural key for simple expressions (None for anything else)."""
    if isinstance(node, gast.Name):
        return ("N", node.id)
    if isinstance(node, gast.Constant):
        return ("C", type(node.value).__name__, repr(node.value))
    if isinstance(node, gast.Attribute):
        v = _key(node.value)
        return None if v is None else ("A", v, node.attr)
    if isinstance(node, gast.BinOp):
        l, r = _key(node.left), _key(node.right)
        return None if l is None or r is None else ("B", type(node.op).__name__, l, r)
    if isinstance(node, gast.UnaryOp):
        o = _key(node.operand)
        return None if o is None else ("U", type(node.op).__name__, o)
    if isinstance(node, gast.Call):
        parts = [_key(node.func)] + [_key(a) for a in node.args] + [_key(k.value) for k in node.keywords]
        if any(p is None for p in parts):
            return None
        return ("F", tuple(parts), tuple(k.arg for k in node.keywords))
    if isinstance(node, gast.Subscript):
        v, i = _key(node.value), _key(node.slice)
        return None if v is None or i is None else ("S", v, i)
    if isinstance(node, gast.Tuple):
        parts = [_key(e) for e in node.elts]
        return None if any(p is None for p in parts) else ("T", tuple(parts))
    if isinstance(node, gast.Slice):
        parts = [None if p is None else _key(p) for p in (node.lower, node.upper, node.step)]
        return ("SL",) + tuple(parts)
    return None


def _names(node):
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name)}


def eliminate_dead(fn, purity, keep=(), uses=None):
    """Drop assignments nobody reads, empty branches and empty loops; to a fixed point."""
    changed_any = False
    uses = uses or Uses(fn)
    counted, has_loop = collections.Counter(uses.loads), uses.has_loop   # (kept up to date below)
    while True:
        loads = counted
        if has_loop:   # s_1 = s + v; s = s_1 in a loop, s read nowhere else
            loads = collections.Counter(counted)
            for name in _dead_names(fn, purity, keep):
                loads[name] = 0
        dropped = []
        for parent, field, block in list(_blocks(fn)):
            keep_stmts = []
            for s in block:
                if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name):
                    name = s.targets[0].id
                    if loads[name] == 0 and name not in keep and purity.removable(s.value):
                        dropped.append(s)
                        continue
                if isinstance(s, gast.AugAssign) and isinstance(s.target, gast.Name):
                    # only gradient accumulators are augmented (normalize rewrites the user's), and
                    # they accumulate into private arrays: nobody reads it, nobody sees the write
                    if loads[s.target.id] == 0 and s.target.id not in keep and purity.removable(s.value):
                        dropped.append(s)
                        continue
                if isinstance(s, gast.Pass) and len(block) > 1:
                    dropped.append(s)
                    continue
                if isinstance(s, gast.If) and _empty(s.body) and _empty(s.orelse) and purity.pure(s.test):
                    dropped.append(s)
                    continue
                if isinstance(s, gast.For) and _empty(s.body) and purity.pure(s.iter):
                    dropped.append(s)
                    continue
                keep_stmts.append(s)
            if not keep_stmts:
                keep_stmts = [gast.Pass()]
            block[:] = keep_stmts
        if not dropped:
            return changed_any
        changed_any = True
        for s in dropped:   # the loads left: those of the function less those of the statements dropped
            for n in astutil.walk(s):
                if type(n) is gast.Name and type(n.ctx) is gast.Load:
                    counted[n.id] -= 1


def _dead_names(fn, purity, keep):
    """Names nothing needs: read only by pure assignments of names nothing needs (``s_1 = s + t; s = s_1``
    in a loop whose ``s`` is read nowhere else). Flow-insensitive: a name read anywhere else (a condition,
    a return, a call kept for its effect, ``s[i] = v``) is needed, and so is every name its assignments read.
    Only a loop makes such a cycle (elsewhere, counting loads finds dead names): without one, nothing to do."""
    nodes = list(astutil.walk(fn))
    if not any(isinstance(n, (gast.For, gast.While)) for n in nodes):   # (eliminate_dead asks Uses.has_loop first)
        return set()
    deps, inside, defined = collections.defaultdict(set), set(), set()
    for n in nodes:
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            t, value = n.targets[0].id, n.value
        elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
            t, value = n.target.id, n.value
            deps[t].add(t)
        else:
            continue
        if not purity.removable(value):   # (math.sqrt(t) kept: so is t)
            continue
        defined.add(t)
        for m in astutil.walk(value):
            if isinstance(m, gast.Name) and isinstance(m.ctx, gast.Load):
                deps[t].add(m.id)
                inside.add(id(m))
    live = set(keep) | {n.id for n in nodes
                        if isinstance(n, gast.Name) and (isinstance(n.ctx, gast.Del)
                                                         or isinstance(n.ctx, gast.Load) and id(n) not in inside)}
    todo = list(live)
    while todo:
        for m in deps.get(todo.pop(), ()):
            if m not in live:
                live.add(m)
                todo.append(m)
    return defined - live


def _empty(block):
    return all(isinstance(s, gast.Pass) for s in block)


def inline_temporaries(fn, purity, temps, strict=(), uses=None):
    """Fold single-use temporaries (``temps``: the normalizer's, and in reverse mode their adjoints) back
    into their one use in the next statement, while it stays short (``_FOLD_TERMS``). Besides reading like
    the user's code, one expression lets NumPy reuse an intermediate array's buffer for the next operation
    (``-(a / b)`` computes in place what ``t = a / b; -t`` allocates twice). ``uses``: an exact count, if
    the caller has one (it is changed)."""
    uses = uses or Uses(fn)
    loads, stores = uses.loads, uses.stores
    changed = False
    for parent, field, block in list(_blocks(fn)):
        i = 0
        while i < len(block):
            s = block[i]
            if (isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name) and s.targets[0].id in temps
                    and loads[s.targets[0].id] == 1 and stores[s.targets[0].id] == 1 and i + 1 < len(block)
                    and purity.pure(s.value)):
                t = s.targets[0].id
                nxt = block[i + 1]
                target = _single_use(nxt, t)
                if target is not None and _terms(s.value) + _terms(nxt) <= _FOLD_TERMS \
                        and _moves_safely(nxt, t, purity, t in strict):
                    _replace(nxt, t, s.value)   # the names s.value reads move: load counts are unchanged
                    del block[i]
                    loads[t] = 0
                    changed = True
                    continue
            i += 1
    return changed


def _single_use(stmt, name):
    """The statement if it reads ``name`` once in a plain expression position (evaluated once: not a
    ``while`` test, which runs again after the loop's body may have changed what the value read)."""
    if isinstance(stmt, (gast.For, gast.If)):
        expr = stmt.iter if isinstance(stmt, gast.For) else stmt.test
        return stmt if any(isinstance(n, gast.Name) and n.id == name for n in astutil.walk(expr)) and \
            sum(1 for n in astutil.walk(expr) if isinstance(n, gast.Name) and n.id == name) == 1 else None
    if isinstance(stmt, (gast.Assign, gast.Expr, gast.Return)):
        hits = [n for n in astutil.walk(stmt)
                if isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Load)]
        return stmt if len(hits) == 1 else None
    return None


def _replace(stmt, name, expr):
    class R(gast.NodeTransformer):
        def visit_Name(self, node):
            if node.id == name and isinstance(node.ctx, gast.Load):
                return astutil.clone(expr)
            return node
    fields = ["iter"] if isinstance(stmt, gast.For) else ["test"] if isinstance(stmt, (gast.While, gast.If)) else None
    if fields is None:
        R().visit(stmt)
    else:
        for f in fields:
            setattr(stmt, f, R().visit(getattr(stmt, f)))


_FOLD_TERMS = 20   # the most terms (see _terms) a statement and the temporary folded into it may hold together
_NOT_TERMS = (gast.expr_context, gast.operator, gast.unaryop, gast.cmpop, gast.boolop, gast.keyword)


def _terms(node):
    """The names, constants, calls and operations under ``node`` (not contexts, operators, keywords)."""
    return sum(1 for n in astutil.walk(node) if not isinstance(n, _NOT_TERMS))


def _moves_safely(stmt, name, purity, strict=False):
    """Computing ``name``'s value at its one read in ``stmt`` instead of just before ``stmt`` changes nothing:
    every call ``stmt`` makes that may have an effect holds the read in its arguments (which are computed
    before it runs), so nothing that runs before the read can change what the value reads. ``strict``
    (an adjoint): no call with an effect at all, ``add_at(dx, i, dt)`` keeps its operand a name, as the
    transforms that read generated code (forward over reverse) expect of such a call."""
    for n in astutil.walk(stmt):
        if isinstance(n, gast.Call) and not purity.callee_pure(n.func):
            inside = n.args + [k.value for k in n.keywords]
            if strict or not any(type(m) is gast.Name and m.id == name for a in inside for m in astutil.walk(a)):
                return False
        elif isinstance(n, (gast.Yield, gast.YieldFrom, gast.Await, gast.NamedExpr)):
            return False
    return True


def optimize(fn, resolve, keep=(), temps=(), strict=()):
    """Run the passes on FunctionDef ``fn`` in place until nothing changes."""
    purity = Purity(resolve)
    for rnd in range(10):
        Simplify().visit(fn)
        uses = Uses(fn)   # one count of the names for the passes below, made again after a change
        changed = copy_propagate(fn, uses)   # (it keeps the count exact)
        stale = rnd == 0 and bool(temps) and eliminate_common(fn, purity, uses)   # once, in the final optimization
        if local_copy_propagate(fn, None if stale else uses):
            stale = True
        changed |= stale
        changed |= eliminate_dead(fn, purity, keep, None if stale else uses)
        if not changed:
            break
    exact = uses if not changed else None   # (nothing changed it since it was counted)
    if temps:
        while inline_temporaries(fn, purity, temps, strict, exact):
            exact = None
    return fn
