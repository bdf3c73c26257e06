"""``itertools`` as Python generators s2s can read: a call of ``itertools.pairwise(xs)`` in a differentiated
function becomes a call of ``pairwise`` below, a generator the lowering inlines where a ``for`` loop,
``list(...)``, a comprehension or ``zip`` consumes it, as it inlines the user's own generators.

The iterators themselves are C code without derivative rules (``for a, b in itertools.pairwise(pts)``
was refused); the values they hand out are the items of their arguments, so the derivative flows
through the items, exactly as through the generators here. Index bookkeeping (which tuples of positions
``combinations`` visits) carries no derivative: the ``_positions`` helpers compute it with the real
``itertools`` on ``range`` objects, and s2s treats those calls as constants.

Calls with several iterables (``chain(a, b)``, ``product(a, b, repeat=2)``, ``zip_longest(a, b,
fillvalue=v)``) are rewritten to pass them as one tuple (the lowering inlines no ``*args`` generator).
Not substituted (left to refuse as before): iterators that never end (``count``, ``cycle``, ``repeat``
without ``times``, ``islice`` of such an iterator); those given a function (``accumulate(xs, f)``,
``takewhile``, ``dropwhile``, ``filterfalse``, ``starmap``: the lowering inlines no generator calling a
function it is given); ``groupby``/``tee``, whose items are iterators.
"""
import copy
import itertools

import gast

from . import astutil
from .coreform import runtime_name


def accumulate(iterable, initial=None):   # accumulate(xs, initial=v): accumulate(xs, v)
    total = initial
    started = initial is not None
    if started:
        yield total
    for x in iterable:
        if started:
            total = total + x
        else:
            total = x
            started = True
        yield total


def pairwise(iterable):
    seq = list(iterable)
    for i in range(len(seq) - 1):
        yield seq[i], seq[i + 1]


def islice(iterable, start, stop, step=None):   # islice(xs, stop) is islice(xs, None, stop): rewritten
    seq = list(iterable)
    for i in _islice_positions(len(seq), start, stop, step):
        yield seq[i]


def chain(iterables):   # chain(a, b) is chain((a, b)): the calls are rewritten
    for it in iterables:
        for x in it:
            yield x


def product(iterables, repeat=1):   # product(a, b, repeat=2) is product((a, b), 2)
    seqs = _lists(iterables) * repeat
    for idx in _product_positions(_lengths(seqs)):
        yield _pick(seqs, idx)


def combinations(iterable, r):
    seq = list(iterable)
    for idx in _combinations_positions(len(seq), r):
        yield _items(seq, idx)


def combinations_with_replacement(iterable, r):
    seq = list(iterable)
    for idx in _replacement_positions(len(seq), r):
        yield _items(seq, idx)


def permutations(iterable, r=None):
    seq = list(iterable)
    for idx in _permutations_positions(len(seq), r):
        yield _items(seq, idx)


def zip_longest(iterables, fillvalue=None):   # zip_longest(a, b, fillvalue=v) is zip_longest((a, b), v)
    seqs = _lists(iterables)
    for k in range(max(_lengths(seqs) + [0])):
        row = []
        for s in seqs:
            if k < len(s):
                row.append(s[k])
            else:
                row.append(fillvalue)
        yield tuple(row)


def repeat(obj, times):
    for _ in range(times):
        yield obj


def compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d


def counted(n, start=0, step=1):   # the first n items of count(start, step)
    out = []
    for k in range(n):
        out.append(start + k * step)
    return out


def cycled(n, iterable):   # the first n items of cycle(iterable)
    seq = list(iterable)
    out = []
    for k in range(n):
        out.append(seq[k % len(seq)])
    return out


def repeated(n, obj):   # the first n items of repeat(obj)
    out = []
    for _ in range(n):
        out.append(obj)
    return out


def _lists(iterables):
    out = []
    for it in iterables:
        out.append(list(it))
    return out


def _lengths(seqs):
    out = []
    for s in seqs:
        out.append(len(s))
    return out


def _pick(seqs, idx):
    out = []
    for k in range(len(idx)):
        out.append(seqs[k][idx[k]])
    return tuple(out)


def _items(seq, idx):
    out = []
    for i in idx:
        out.append(seq[i])
    return tuple(out)


def _islice_positions(n, start, stop, step):
    return list(itertools.islice(range(n), start, stop, step))


def _product_positions(sizes):
    return list(itertools.product(*[range(m) for m in sizes]))


def _combinations_positions(n, r):
    return list(itertools.combinations(range(n), r))


def _replacement_positions(n, r):
    return list(itertools.combinations_with_replacement(range(n), r))


def _permutations_positions(n, r):
    return list(itertools.permutations(range(n), r))


EQUIVALENTS = {
    itertools.accumulate: accumulate, itertools.pairwise: pairwise, itertools.islice: islice,
    itertools.chain: chain, itertools.chain.from_iterable: chain, itertools.product: product,
    itertools.combinations: combinations, itertools.combinations_with_replacement: combinations_with_replacement,
    itertools.permutations: permutations, itertools.zip_longest: zip_longest, itertools.compress: compress,
}
_PACKED = (itertools.chain, itertools.product, itertools.zip_longest)   # f(*iterables): their tuple
_ENDLESS = (itertools.count, itertools.cycle, itertools.repeat)


def substitute(fn, ctx):
    """Calls of the ``itertools`` functions above in ``fn``: calls of their generators here (in place).
    ``repeat(v, n)`` only with its count; nothing that consumes an endless iterator."""
    if ctx.globals is globals():   # (this module's generators call the real itertools on positions)
        return
    _endless_loops(fn, ctx)
    for n in astutil.walk_bfs(fn):
        if not isinstance(n, gast.Call) or not isinstance(n.func, (gast.Name, gast.Attribute)):
            continue
        if any(_endless(a, ctx) for a in n.args) and _resolves(ctx, n.func) is zip:
            _bounded_zip(n, ctx)
            continue
        try:
            obj = ctx.resolve(n.func)
            py = EQUIVALENTS.get(obj) if _hashable(obj) else None
        except Exception:   # noqa: BLE001 (a name s2s cannot resolve: not itertools')
            continue
        if obj is itertools.repeat and (len(n.args) + len(n.keywords) == 2):
            py = repeat
        if obj is itertools.accumulate and (len(n.args) > 1 or any(k.arg != "initial" for k in n.keywords)):
            py = None   # (a function given: not followed)
        if py is None or any(_endless(a, ctx) for a in n.args) or any(isinstance(a, gast.Starred) for a in n.args):
            continue
        n.func = gast.copy_location(runtime_name(py.__name__, py), n.func)
        if obj in _PACKED:
            n.args = [gast.copy_location(gast.Tuple(elts=n.args, ctx=gast.Load()), n)]
        if obj is itertools.islice and len(n.args) == 2:
            n.args.insert(1, gast.copy_location(gast.Constant(value=None, kind=None), n))


def _hashable(obj):
    try:
        hash(obj)
    except TypeError:
        return False
    return True


def _endless(arg, ctx):
    if not isinstance(arg, gast.Call):
        return False
    try:
        obj = ctx.resolve(arg.func)
    except Exception:   # noqa: BLE001
        return False
    return obj in (itertools.count, itertools.cycle) or obj is itertools.repeat and len(arg.args) < 2


_BOUNDED = {itertools.count: counted, itertools.cycle: cycled, itertools.repeat: repeated}


def _resolves(ctx, node):
    try:
        return ctx.resolve(node)
    except Exception:   # noqa: BLE001
        return None


def _bounded_zip(call, ctx):
    """``zip(count(), xs)``, ``zip(cycle(w), xs)``, ``zip(xs, repeat(v))``: the endless iterators cut to the
    length of the shortest other argument (zip reads its arguments into lists: ``list(count())`` never
    ends). The other arguments must be names, attributes or subscripts (read twice: by ``len`` and by zip)."""
    finite = [a for a in call.args if not _endless(a, ctx)]
    if not finite or any(isinstance(a, gast.Starred) for a in call.args) or call.keywords or not all(
            isinstance(a, (gast.Name, gast.Attribute, gast.Subscript)) for a in finite) \
            or any(_endless(a, ctx) and (a.keywords or any(isinstance(b, gast.Starred) for b in a.args))
                   for a in call.args):
        raise ctx.error(call, "`zip` with an iterator that never ends (itertools.count, cycle, repeat) can be "
                              "differentiated only beside sequences named directly: s2s reads zip's arguments "
                              "into lists.", "Zip with `range(len(xs))` (or `enumerate(xs)`) instead.")
    lengths = [gast.Call(func=runtime_name("len", len), args=[copy.deepcopy(a)], keywords=[]) for a in finite]
    n = lengths[0] if len(lengths) == 1 else gast.Call(func=runtime_name("min", min), args=lengths, keywords=[])
    for i, a in enumerate(call.args):
        if _endless(a, ctx):
            py = _BOUNDED[_resolves(ctx, a.func)]
            call.args[i] = gast.copy_location(gast.Call(func=runtime_name(py.__name__, py),
                                                        args=[n] + list(a.args), keywords=[]), a)
    for m in astutil.walk_bfs(call):
        if isinstance(m, gast.expr) and not hasattr(m, "lineno"):
            gast.copy_location(m, call)


def _endless_loops(fn, ctx):
    """``for k in count(start, step):`` / ``for v in cycle(xs):`` / ``for v in repeat(v0):`` (left by a
    ``break`` or ``return``): the ``while True`` loop they are, with the item computed first in each round
    (the loop would read its iterator into a list: ``list(count())`` never ends)."""
    for node in astutil.walk_bfs(fn):
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            for i, st in enumerate(stmts):
                if isinstance(st, gast.For) and not st.orelse and _endless(st.iter, ctx) \
                        and not st.iter.keywords and not any(isinstance(a, gast.Starred) for a in st.iter.args):
                    stmts[i:i + 1] = _while_loop(st, ctx)


def _while_loop(loop, ctx):
    kind, args = _resolves(ctx, loop.iter.func), list(loop.iter.args)
    k = ctx.namer.local("k")

    def name(n, store=False):
        return gast.Name(id=n, ctx=gast.Store() if store else gast.Load(), annotation=None, type_comment=None)

    def assign(target, value):
        return gast.Assign(targets=[target], value=value, type_comment=None)

    def num(v):
        return gast.Constant(value=v, kind=None)
    pre = []
    if kind is itertools.count:
        start = args[0] if args else num(0)
        step = args[1] if len(args) > 1 else num(1)
        s = ctx.namer.local("step")
        pre = [assign(name(s, True), step),
               assign(name(k, True), gast.BinOp(left=start, op=gast.Sub(), right=name(s)))]
        head = [assign(name(k, True), gast.BinOp(left=name(k), op=gast.Add(), right=name(s))),
                assign(loop.target, name(k))]
    elif kind is itertools.cycle:
        seq = ctx.namer.local("seq")
        pre = [assign(name(seq, True), gast.Call(func=runtime_name("list", list), args=args, keywords=[])),
               assign(name(k, True), num(-1))]
        head = [assign(name(k, True), gast.BinOp(left=name(k), op=gast.Add(), right=num(1))),
                assign(loop.target, gast.Subscript(value=name(seq), slice=gast.BinOp(
                    left=name(k), op=gast.Mod(), right=gast.Call(func=runtime_name("len", len), args=[name(seq)],
                                                                 keywords=[])), ctx=gast.Load()))]
    else:   # repeat(v0)
        v = ctx.namer.local("item")
        pre = [assign(name(v, True), args[0])]
        head = [assign(loop.target, name(v))]
    out = pre + [gast.While(test=num(True), body=head + loop.body, orelse=[])]
    for st in out:
        for m in astutil.walk_bfs(st):
            if isinstance(m, (gast.expr, gast.stmt)) and not hasattr(m, "lineno"):
                gast.copy_location(m, loop)
    return out
