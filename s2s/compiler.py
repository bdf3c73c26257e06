"""The pipeline driver: function -> parse -> normalize -> reverse -> optimize -> codegen."""
import copy
import inspect
import types

import gast
import numpy as np

from . import astutil

from . import analyze, checkpointing, codegen, fncache, optimize, runtime
from .guards import deep_recursion
from .errors import DifferentiationError
from .normalize import _name, normalize
from .parse import check_returns, parse_function, unwrap
from .reverse import SAVE, Reverse

_in_progress = {}   # (fn, key) -> (Reverse, box) while fn compiles (under fncache.lock): recursion
BACKWARD = "s2s: backward sweep"


def wrt_names(fn, wrt):
    """Normalize ``wrt`` (int, name, or list/tuple of them) to a tuple of parameter names."""
    params = list(inspect.signature(fn).parameters)
    items = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    if not items:
        raise ValueError("wrt must name at least one parameter")
    out = []
    for w in items:
        if isinstance(w, bool) or not isinstance(w, (int, str)):
            raise TypeError(f"wrt must be ints or parameter names, got {w!r}")
        if isinstance(w, int):
            if not -len(params) <= w < len(params):
                raise ValueError(f"wrt={w} but {fn.__name__} has {len(params)} parameters {params}")
            out.append(params[w])
        else:
            if w not in params:
                raise ValueError(f"wrt={w!r} is not a parameter of {fn.__name__} {params}")
            out.append(w)
    return tuple(out)


@deep_recursion
def reverse_function(fn, wrt, value=False, optimized=True, self_type=None, has_aux=False, checkpoints=None,
                     memory=None):
    """The generated gradient function of ``fn`` for parameter names ``wrt`` (cached).

    ``self_type``: the class of ``self`` when ``fn`` is a method, so that
    ``self.helper(x)`` calls can be differentiated too. ``has_aux``: fn
    returns ``(output, aux)``; the result returns ``(gradient, aux)`` (with
    ``value``: ``((value, aux), gradient)``), no gradient through aux.
    """
    fn = unwrap(fn)   # a transparent functools.wraps wrapper runs fn's code; any other is refused
    key = ("reverse", wrt, value, optimized, self_type, has_aux) + \
        ((checkpoints, memory) if checkpoints is not None else ())
    hit = fncache.get(fn, key)   # the cached path: one lock-free lookup
    if hit is not None:
        return hit
    with fncache.lock:   # first calls racing in threads: one compiles, the others find its result
        hit = fncache.get(fn, key)
        if hit is not None:
            return hit
        pending = _in_progress.get((fn, key))
        if pending is not None:   # recursion: call what is being compiled, once it exists
            rev, box = pending
            trampoline = lambda *a, **k: box[0](*a, **k)  # noqa: E731
            trampoline.s2s_generated = True
            trampoline.s2s_target = lambda: box[0]
            trampoline.s2s_seed = rev.dname(rev.fn.body[-1].value.id)
            trampoline.__name__ = "d" + fn.__name__
            return trampoline
        gen = fncache.share(fn, key)   # a fresh closure of code compiled before
        if gen is None:
            gen = _reverse_uncached(fn, key, wrt, value, optimized, self_type, has_aux, checkpoints, memory)
        fncache.put(fn, key, gen)
        return gen


def _top_level():
    """True unless a compile is in progress in this thread (then fn is a helper of the function differentiated)."""
    from . import forward_api
    return not _in_progress and not forward_api._in_progress


def _reverse_uncached(fn, key, wrt, value, optimized, self_type, has_aux, checkpoints, memory):
    ctx = parse_function(fn)
    check_returns(ctx, strict=_top_level())
    if self_type is not None:
        ctx.self_type = self_type
        ctx.self_name = next(iter(inspect.signature(fn).parameters))
    core, namer = normalize(ctx)
    temps = set(namer.taken) - _user_names(ctx.node)
    aux = _split_aux(core, namer, ctx) if has_aux else None
    ns = codegen.Namespace(ctx, namer)
    for n in astutil.walk(core):   # objects the normalizer introduced
        if isinstance(n, gast.Name) and hasattr(n, "s2s_obj"):
            n.id = ns.ref(n.id, n.s2s_obj)
        elif isinstance(n, gast.Name) and n.id in ctx.closure and n.id not in ctx.locals:
            ns.bind_closure(n.id)   # a closure variable of the user's function

    def helper(callee, callee_wrt, callee_self=None):
        g = reverse_function(callee, callee_wrt, False, optimized, callee_self)
        return ns.ref(g.__name__, g), g.s2s_seed

    rev = Reverse(ctx, core, namer, ns, wrt, None, helper)
    output = core.body[-1].value.id if core.body and isinstance(core.body[-1], gast.Return) \
        and isinstance(core.body[-1].value, gast.Name) else None
    if output is None:
        raise ctx.error(ctx.node, "s2s needs the function to end with a `return` statement.")
    rev.output = output
    rev.active, rev.varied = analyze.varied_and_useful(core, wrt, output, ctx)
    box = []   # the finished function, for recursion trampolines
    _in_progress[(fn, key)] = (rev, box)
    try:
        fwd, bwd, seed = rev.transform()
        grads = rev.result_grads()
    finally:
        del _in_progress[(fn, key)]
    for s in fwd:   # the primal's own code: no algebraic rewriting (x * 1.0 may be a copy or a cast)
        for n in astutil.walk(s):
            if isinstance(n, gast.BinOp):
                n.s2s_primal = True
    copied = {st.value.args[0].id for st in core.body if isinstance(st, gast.Assign) and isinstance(st.value, gast.Call)
              and getattr(st.value.func, "s2s_obj", None) in (runtime.copy_value, runtime.copy_deep)
              and st.value.args and isinstance(st.value.args[0], gast.Name)}
    for i, p in enumerate(wrt):   # a copied (written) argument: its gradient has the caller's structure, not the copy's
        g = grads[i]
        if p in copied and not (isinstance(g, gast.Call) and ns.resolve(g.func) is runtime.as_grad):
            grads[i] = gast.Call(func=_name(ns.ref("as_grad", runtime.as_grad)), args=[g, _name(p)], keywords=[])
    ret_value = grads[0] if len(grads) == 1 else gast.Tuple(elts=grads, ctx=gast.Load())

    def hold(var, base):
        """The forward sweep's final value of ``var``, kept under a new name."""
        v = namer.name(base)
        held = _name(var)
        if var in rev.index_vars:   # the backward sweep undoes writes into it: keep a copy
            held = gast.Call(func=_name(ns.ref("copy_deep", runtime.copy_deep)), args=[held], keywords=[])
        fwd.append(gast.Assign(targets=[_name(v, gast.Store())], value=held, type_comment=None))
        return _name(v)

    aux_value = hold(aux, "aux") if aux is not None else None
    if value:
        v = hold(output, "value")
        if aux_value is not None:
            v = gast.Tuple(elts=[v, aux_value], ctx=gast.Load())
        ret_value = gast.Tuple(elts=[v, ret_value], ctx=gast.Load())
    elif aux_value is not None:
        ret_value = gast.Tuple(elts=[ret_value, aux_value], ctx=gast.Load())
    args = astutil.clone(core.args)
    args.kwonlyargs.append(_name(seed, gast.Param()))   # the seed is keyword-only (DESIGN.md section 1)
    args.kw_defaults = list(args.kw_defaults) + [gast.Constant(value=1.0, kind=None)]
    suffix = "_".join("d" + w for w in wrt)
    name = namer.name(("value_and_d" if value else "d") + fn.__name__.replace("<lambda>", "lambda") + "_" + suffix)
    marker = gast.Expr(value=gast.Constant(value=BACKWARD, kind=None))
    body = fwd + [marker] + bwd + [gast.Return(value=ret_value)]
    fdef = gast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                            type_comment=None, type_params=[])
    keep = {seed} if not optimized else ()
    if optimized:
        optimize.optimize(fdef, ns.resolve)
    _prune_saves(fdef)
    if optimized:
        optimize.optimize(fdef, ns.resolve)
        _prune_saves(fdef)   # dead code gone: some saves may have lost their last reader
        optimize.optimize(fdef, ns.resolve, temps=temps)
    _save_shapes_only(fdef, ns)
    if optimized and _shapes_from_operands(fdef, ns):
        optimize.optimize(fdef, ns.resolve)
    checkpointing.apply(fdef, ns, marker, checkpoints, memory, ctx.error)   # loops in bounded memory, where asked
    fdef.body = [s for s in fdef.body if s is not marker]
    gast.fix_missing_locations(fdef) if hasattr(gast, "fix_missing_locations") else None
    try:
        gen, src = codegen.compile_function(fdef, ns, fn)
    except SyntaxError as e:  # a compiler bug: say so clearly
        raise DifferentiationError(f"s2s generated invalid code for {fn.__name__} ({e}); please report this.") from None
    gen.__defaults__ = fn.__defaults__
    gen.__kwdefaults__ = dict(fn.__kwdefaults__ or {}, **{seed: runtime.DEFAULT_SEED})   # a tuple output refuses it
    gen.s2s_seed = seed
    gen.s2s_source = src
    gen.s2s_primal = fn
    gen.s2s_self_type = self_type
    if value is False and self_type is None and not has_aux and checkpoints is None:
        gen.s2s_origin = (fn, wrt)   # a plain gradient: grad of it may go forward over reverse
    box.append(gen)
    fncache.remember(fn, key, gen, ns.cells)
    del keep
    return gen


def _split_aux(core, namer, ctx):
    """``has_aux=True``: make the core return ``output`` of its ``(output, aux)`` pair; returns aux's name."""
    ret = core.body[-1] if core.body else None
    if not isinstance(ret, gast.Return) or not isinstance(ret.value, gast.Name):
        raise ctx.error(ctx.node, "s2s needs the function to end with a `return` statement.")
    r = ret.value.id
    prev = core.body[-2] if len(core.body) > 1 else None
    uses = sum(1 for n in astutil.walk(core) if isinstance(n, gast.Name) and n.id == r)
    if isinstance(prev, gast.Assign) and len(prev.targets) == 1 and isinstance(prev.targets[0], gast.Name) \
            and prev.targets[0].id == r and isinstance(prev.value, gast.Tuple) and uses == 2:
        if len(prev.value.elts) != 2:
            raise ctx.error(prev, f"has_aux=True needs the function to return a pair (output, aux); "
                            f"this returns {len(prev.value.elts)} values.",
                            "Return (output, aux), with aux itself a tuple or dict if it holds several values.")
        stmts, names = [], []
        for e, base in zip(prev.value.elts, ("out", "aux")):
            if isinstance(e, gast.Name):
                names.append(e.id)
            else:
                names.append(namer.name(base))
                stmts.append(gast.copy_location(
                    gast.Assign(targets=[_name(names[-1], gast.Store())], value=e, type_comment=None), prev))
        core.body[-2:-1] = stmts
    else:   # a pair known only at run time: take it apart
        names = [namer.name("out"), namer.name("aux")]
        core.body[-1:-1] = [gast.copy_location(gast.Assign(
            targets=[_name(n, gast.Store())],
            value=gast.Subscript(value=_name(r), slice=gast.Constant(value=i, kind=None), ctx=gast.Load()),
            type_comment=None), ret) for i, n in enumerate(names)]
    ret.value = _name(names[0])
    return names[1]


def _user_names(node):
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name)}


def _prune_saves(fdef):
    """Drop saves/restores whose restored value no later backward code reads."""
    idx = next(i for i, s in enumerate(fdef.body) if isinstance(s, gast.Expr)
               and isinstance(s.value, gast.Constant) and s.value.value == BACKWARD)
    needed = set()   # variables whose restores are read afterwards
    if not any(getattr(st, SAVE, None) is not None or getattr(st, "s2s_recompute", None) is not None
               for st in _walk(fdef.body)):
        return   # straight-line code: nothing saved
    cache = {}
    views = {}   # t = y[...] may be a view of y: reading t reads y
    for st in _walk(fdef.body):
        if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) and isinstance(st.value, gast.Subscript) \
                and isinstance(st.value.value, gast.Name):
            views.setdefault(st.targets[0].id, set()).add(st.value.value.id)

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
                hit = {n.id for n in astutil.walk(st.iter if isinstance(st, gast.For) else st.test) if isinstance(n, gast.Name)}
                for sub in st.body + st.orelse:
                    hit |= stmt_reads(sub)
            elif getattr(st, SAVE, None) is not None:
                hit = set()
            else:
                hit = with_views({n.id for n in astutil.walk(st) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)})
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
            var = getattr(s, SAVE, None)
            if var is not None and var in later:
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
                var = getattr(s, "s2s_recompute", None)
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
        cache.clear()
        for st in _walk(fdef.body[idx + 1:]):
            for field in ("body", "orelse"):
                block = getattr(st, field, None)
                if isinstance(block, list) and block:
                    block[:] = [b for b in block if id(b) not in dead] or [gast.Pass()]
        fdef.body[idx + 1:] = [b for b in fdef.body[idx + 1:] if id(b) not in dead]

    visit(fdef.body[idx + 1:], set())
    restored = {getattr(s, SAVE) for s in _walk(fdef.body[idx + 1:]) if id(s) in needed}

    class Prune(gast.NodeTransformer):
        def generic_visit(self, node):
            for field in ("body", "orelse"):
                block = getattr(node, field, None)
                if isinstance(block, list) and block and isinstance(block[0], gast.stmt):
                    new = [s for s in block if getattr(s, SAVE, None) is None or getattr(s, SAVE) in restored]
                    block[:] = new or [gast.Pass()]
            return super().generic_visit(node)

    Prune().visit(fdef)


def _save_shapes_only(fdef, ns):
    """Save ``shape_of(v)`` instead of ``v`` when the backward sweep reads v only in ``unbroadcast(g, v)``."""
    idx = next(i for i, s in enumerate(fdef.body) if isinstance(s, gast.Expr)
               and isinstance(s.value, gast.Constant) and s.value.value == BACKWARD)
    shape_reads, other_reads = set(), set()
    for s in _walk(fdef.body[idx + 1:]):
        if getattr(s, SAVE, None) is not None or isinstance(s, (gast.For, gast.While, gast.If)):
            if isinstance(s, gast.Expr):   # set_item(y, i, y_old) undoes a write into y: it needs y itself
                other_reads |= {n.id for n in astutil.walk(s) if isinstance(n, gast.Name)}
            if isinstance(s, (gast.For, gast.While, gast.If)):
                other_reads |= {n.id for n in astutil.walk(s.iter if isinstance(s, gast.For) else s.test)
                                if isinstance(n, gast.Name)}
            continue
        shape_args = set()
        for n in astutil.walk(s):
            if isinstance(n, gast.Call) and len(n.args) == 2 and isinstance(n.args[1], gast.Name) \
                    and ns.resolve(n.func) is runtime.unbroadcast:
                shape_args.add(id(n.args[1]))
                shape_reads.add(n.args[1].id)
        other_reads |= {n.id for n in astutil.walk(s) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)
                        and id(n) not in shape_args}
    only = shape_reads - other_reads
    if not only:
        return
    name = None
    for s in _walk(fdef.body[:idx]):
        var = getattr(s, SAVE, None)
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


def _shapes_from_operands(fdef, ns):
    """Where the backward sweep reads a straight-line temporary only for its shape (in
    unbroadcast), read the shape of its operands instead, so the forward sweep need
    not compute it: ``t = np.log(p)`` has p's shape, ``t = y * p`` the broadcast of y's and p's."""
    idx = next(i for i, s in enumerate(fdef.body) if isinstance(s, gast.Expr)
               and isinstance(s.value, gast.Constant) and s.value.value == BACKWARD)
    from .templates import helpers
    position = {runtime.unbroadcast: 1, helpers.grad_reduce: 1, helpers.reduced_count: 0}
    shape_nodes, other = {}, set()
    for st in _walk(fdef.body[idx + 1:]):
        if isinstance(st, (gast.For, gast.While, gast.If)):
            other |= {n.id for n in gast.walk(st.iter if isinstance(st, gast.For) else st.test) if isinstance(n, gast.Name)}
            continue
        marked = set()
        for n in astutil.walk(st):
            if isinstance(n, gast.Call):
                k = position.get(ns.resolve(n.func)) if isinstance(n.func, gast.Name) else None
                if k is not None and len(n.args) > k and isinstance(n.args[k], gast.Name):
                    shape_nodes.setdefault(n.args[k].id, []).append((n, k))
                    marked.add(id(n.args[k]))
        other |= {n.id for n in astutil.walk(st) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)
                  and id(n) not in marked}
    stores = optimize._stores(fdef)
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
        return gast.Call(func=gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None), args=exprs, keywords=[])

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


def bind_method(fn):
    """(function, bound self or None) for plain functions and bound methods."""
    if isinstance(fn, types.MethodType):
        return fn.__func__, fn.__self__
    return fn, None


def clear_cache():
    """Forget every generated function, reverse and forward (they are regenerated on the next request)."""
    fncache.clear()
