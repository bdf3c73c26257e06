"""Split mode: a user function called from differentiated code becomes a pair of generated functions.

``h_fwd(args)`` runs h's primal once and returns ``(value, residuals)``: the
value, and every local the backward sweep reads (the live values at the
boundary between the sweeps, stacks included). ``h_bwd(residuals, dvalue)``
is the backward sweep alone and returns the gradients of the active
arguments. The caller's forward sweep runs ``y, h_res = h_fwd(a, b)`` where
the primal had ``y = h(a, b)``, and its backward sweep ``da, db =
h_bwd(h_res, dy)``: the callee's primal, with its random draws and other
effects, runs exactly once per call (JAX's custom_vjp ``f_fwd``/``f_bwd``
have the same shape).

Both halves are cut from the one generated gradient of h (compiler.py
builds and optimizes it as a whole, with the value kept), at the marker
between its sweeps.
"""
import gast

from . import astutil, codegen, runtime
from .anno import getanno
from .normalize import _name


def label(fn):
    """A readable name for generated code about ``fn``: ``sigmoid``, ``lambda``, ``RBF_call`` for RBF.__call__."""
    name = fn.__name__.replace("<lambda>", "lambda")
    if name.startswith("__") and name.endswith("__"):
        parts = getattr(fn, "__qualname__", name).split(".")
        name = (parts[-2] + "_" if len(parts) > 1 else "") + name.strip("_")
    return name


def _stored(node):
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name)
            and isinstance(n.ctx, (gast.Store, gast.Param))}


def _loaded(node):
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def _kills(st):
    """Names a simple statement certainly binds (a plain or tuple-unpacking assignment)."""
    if isinstance(st, gast.Assign):
        out = set()
        for t in st.targets:
            for e in (t.elts if isinstance(t, (gast.Tuple, gast.List)) else [t]):
                if isinstance(e, gast.Name):
                    out.add(e.id)
        return out
    return set()


def live_in(stmts, live_out):
    """Names that may be read before being bound when ``stmts`` run, with ``live_out`` read afterwards."""
    live = set(live_out)
    for st in reversed(stmts):
        if isinstance(st, gast.If):
            live = _loaded(st.test) | live_in(st.body, live) | live_in(st.orelse, live)
        elif isinstance(st, (gast.For, gast.While)):
            head = _loaded(st.iter) if isinstance(st, gast.For) else _loaded(st.test)
            target = _stored(st.target) if isinstance(st, gast.For) else set()
            loop = set(live)   # zero trips, or any number: iterate to a fixed point
            while True:
                new = live | ((live_in(st.body, loop) - target) if isinstance(st, gast.For) else live_in(st.body, loop))
                new |= head
                if new <= loop:
                    break
                loop |= new
            live = loop | head
        else:
            live = (live - _kills(st)) | _loaded(st)
    return live


def must_bound(stmts, bound):
    """Names certainly bound after ``stmts`` run, given ``bound`` before."""
    out = set(bound)
    for st in stmts:
        if isinstance(st, gast.If):
            out |= must_bound(st.body, out) & must_bound(st.orelse, out)
        elif isinstance(st, (gast.For, gast.While)):
            pass   # may run zero times
        else:
            out |= _kills(st)
    return out


def _read_for_shape_only(stmts, names, ns):
    """Those of ``names`` that ``stmts`` read only for their shapes (unbroadcast(g, x), broadcast_shape(x, y), ...)
    and never rebind."""
    from . import rule_helpers as helpers
    positions = {runtime.unbroadcast: (1,), helpers.grad_reduce: (1,), helpers.reduced_count: (0,)}
    module = gast.Module(body=stmts, type_ignores=[])
    shape_reads = set()
    for n in astutil.walk(module):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
            obj = ns.bound.get(n.func.id)
            if obj is runtime.broadcast_shape:
                idx = range(len(n.args))
            else:
                try:
                    idx = positions.get(obj, ())
                except TypeError:   # an unhashable object
                    idx = ()
            shape_reads |= {id(n.args[k]) for k in idx if k < len(n.args) and isinstance(n.args[k], gast.Name)}
    out = set(names) - _stored(module)
    for n in astutil.walk(module):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) and n.id in out and id(n) not in shape_reads:
            out.discard(n.id)
    return out


def _ordered(stmts, params, names):
    """``names`` in the order the forward sweep first binds them (parameters first)."""
    order = list(params)

    def visit(block):
        for st in block:
            if isinstance(st, (gast.If, gast.For, gast.While)):
                if isinstance(st, gast.For):
                    order.extend(sorted(_stored(st.target)))
                visit(st.body)
                visit(st.orelse)
            else:
                order.extend(n.id for n in astutil.walk(st) if isinstance(n, gast.Name)
                             and isinstance(n.ctx, gast.Store))
    visit(stmts)
    return [n for n in dict.fromkeys(order) if n in names]


def _namespace_for(ns, fdef):
    """A copy of ``ns`` binding only the names ``fdef`` reads (so each half imports what it uses)."""
    used = _loaded(fdef)
    sub = codegen.Namespace(ns.ctx, ns.namer)
    sub.bound = {k: v for k, v in ns.bound.items() if k in used}
    return sub


def split_function(fdef, marker, seed, namer, ns, fn):
    """Cut optimized generated gradient ``fdef`` (built with its value, ``return (value, grads)``) at
    ``marker`` into a forward half and a backward half; compile both. Returns (fwd, bwd) functions."""
    idx = next(i for i, s in enumerate(fdef.body) if s is marker)
    fwd_body, bwd_body = fdef.body[:idx], fdef.body[idx + 1:]
    ret = bwd_body.pop()
    assert isinstance(ret, gast.Return) and isinstance(ret.value, gast.Tuple) and len(ret.value.elts) == 2
    value, grads = ret.value.elts
    a = fdef.args
    params = [p.id for p in a.posonlyargs + a.args + a.kwonlyargs] + \
        ([a.vararg.id] if a.vararg else []) + ([a.kwarg.id] if a.kwarg else [])
    params = [p for p in params if p != seed]
    locals_ = set(params) | _stored(gast.Module(body=fwd_body, type_ignores=[]))
    needed = live_in(bwd_body + [gast.Return(value=grads)], set()) - {seed}
    residuals = _ordered(fwd_body, params, needed & locals_)
    unsure = [r for r in residuals if r not in must_bound(fwd_body, params)]
    inits = [gast.Assign(targets=[_name(r, gast.Store())], value=gast.Constant(value=None, kind=None),
                         type_comment=None)
             for r in unsure]   # bound only on some paths: the backward half reads them only on those paths

    shapes_only = _read_for_shape_only(bwd_body + [gast.Return(value=grads)], residuals, ns) - set(params)
    last = fwd_body[-1] if fwd_body else None
    if isinstance(value, gast.Name) and isinstance(last, gast.Assign) and isinstance(last.targets[0], gast.Name) \
            and last.targets[0].id == value.id and value.id not in residuals \
            and value.id not in _loaded(gast.Module(body=fwd_body + bwd_body, type_ignores=[])):
        value = fwd_body.pop().value   # `value = s; return value, ...` reads better as `return s, ...`
    base = label(fn)

    def pack(r):   # a residual the backward half needs only the shape of: keep its shape, not the array
        if r not in shapes_only:
            return _name(r)
        return gast.Call(func=_name(ns.ref("shape_of", runtime.shape_of)), args=[_name(r)], keywords=[])
    if len(residuals) == 1:
        packed = pack(residuals[0])
        res_param, unpack = residuals[0], []
    else:
        packed = gast.Tuple(elts=[pack(r) for r in residuals], ctx=gast.Load())
        res_param = namer.name("res")
        unpack = [gast.Assign(targets=[gast.Tuple(elts=[_name(r, gast.Store()) for r in residuals], ctx=gast.Store())],
                              value=_name(res_param), type_comment=None)] if residuals else []

    fwd_args = astutil.clone(a)
    keep = [i for i, p in enumerate(fwd_args.args) if p.id != seed]
    n_def = len(fwd_args.defaults)
    first_default = len(fwd_args.args) - n_def
    fwd_args.defaults = [d for j, d in enumerate(fwd_args.defaults) if fwd_args.args[first_default + j].id != seed]
    fwd_args.args = [fwd_args.args[i] for i in keep]
    drop = [i for i, p in enumerate(fwd_args.kwonlyargs) if p.id == seed]
    for i in reversed(drop):
        del fwd_args.kwonlyargs[i]
        del fwd_args.kw_defaults[i]
    fwd_def = gast.FunctionDef(name=namer.name(base + "_fwd"), args=fwd_args,
                               body=inits + fwd_body + [gast.Return(value=gast.Tuple(elts=[value, packed],
                                                                                     ctx=gast.Load()))],
                               decorator_list=[], returns=None, type_comment=None, type_params=[])
    bwd_args = gast.arguments(args=[_name(res_param, gast.Param()), _name(seed, gast.Param())], posonlyargs=[],
                              vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    bwd_def = gast.FunctionDef(name=namer.name(base + "_bwd"), args=bwd_args,
                               body=unpack + bwd_body + [gast.Return(value=grads)],
                               decorator_list=[], returns=None, type_comment=None, type_params=[])
    out = []
    for d in (fwd_def, bwd_def):
        gast.fix_missing_locations(d)
        gen, src = codegen.compile_function(d, _namespace_for(ns, d), fn)
        gen.s2s_source = src
        gen.s2s_primal = fn
        out.append(gen)
    fwd, bwd = out
    fwd.__defaults__ = fn.__defaults__
    fwd.__kwdefaults__ = fn.__kwdefaults__
    fwd.s2s_impure = True   # it runs the user's primal: never removed, repeated or merged
    fwd.s2s_split = "fwd"
    bwd.s2s_split = "bwd"
    return fwd, bwd


def trampolines(lookup, fn):
    """Stand-ins for the halves of a pair still being generated (recursion): each calls through
    ``lookup()`` (the finished pair) at run time."""
    base = label(fn)
    fwd = lambda *a, **k: lookup()[0](*a, **k)  # noqa: E731
    bwd = lambda *a, **k: lookup()[1](*a, **k)  # noqa: E731
    for i, (t, suffix) in enumerate(((fwd, "_fwd"), (bwd, "_bwd"))):
        t.s2s_generated = True
        t.s2s_target = (lambda i=i: lookup()[i])
        t.__name__ = base + suffix
    fwd.s2s_impure = True
    return fwd, bwd


def unsplit_unused(fdef):
    """``y, h_res = h_fwd(a)`` whose residuals nobody reads (the gradient of y is never needed):
    back to the plain ``y = h(a)``."""
    loads = _loaded(fdef)

    class Undo(gast.NodeTransformer):
        def visit_Assign(self, node):
            call = node.value
            plain = getanno(call, "split")
            t = node.targets[0]
            if plain is not None and isinstance(t, gast.Tuple) and len(t.elts) == 2 \
                    and isinstance(t.elts[1], gast.Name) and t.elts[1].id not in loads:
                func, how = plain
                args = list(call.args)
                # obj.method(x): the receiver was passed first
                if how == "method" and isinstance(func, gast.Attribute):
                    func = gast.Attribute(value=args.pop(0), attr=func.attr, ctx=gast.Load())
                elif how == "method":   # kernel(x) on a callable object: the object was passed first
                    func = args.pop(0)
                elif how == "pullback":   # pullback(fn, x)
                    func = args.pop(0)
                elif how == "pullback_self":   # pullback_self(layer, "forward", x): the call as written
                    func, args = astutil.clone(func), args[2:]
                else:
                    func = astutil.clone(func)
                value = gast.Call(func=func, args=args, keywords=call.keywords)
                return gast.copy_location(gast.Assign(targets=[t.elts[0]], value=value, type_comment=None), node)
            return node

    Undo().visit(fdef)
