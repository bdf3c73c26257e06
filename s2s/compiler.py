"""The driver: one ``Request`` in, one generated function out.

``function(req)`` is the only way generated code is made or found. A
``Request`` (frozen, hashable) names everything generation depends on
besides the source: the function, the ``wrt`` parameter names, the mode
(``"reverse"``, ``"split"``: a helper's forward and backward halves, or
``"forward"``), and the options. It is the key of the one in-process cache
(s2s/fncache.py: a holder on the function itself, thread-safe, never stale)
and of the persistent cache (s2s/cache.py); every generated function carries
its request as ``gen.s2s_request``.

``build(req)`` runs the pipeline (docs/architecture.md draws it):

    parse -> normalize -> transform[mode] (with analyze's facts) -> passes[mode] -> emit (codegen)

- parse (s2s/parse.py): the function's source as a gast FunctionDef and a
  resolver of its free names;
- normalize (s2s/normalize.py): the core language (A-normal form, desugared
  loops, returns, containers);
- transform: ``Reverse`` (s2s/reverse.py) writes the forward and backward
  sweeps, ``Forward`` (s2s/forward.py) the primal with tangents; a call of a
  user function asks ``function()`` for the callee's split pair (reverse) or
  value-and-tangent function (forward);
- passes: ``optimize.PIPELINES[mode]`` (s2s/optimize/): reverse mode
  optimizes, decides what the forward sweep keeps (s2s/optimize/saves.py),
  checkpoints loops (s2s/checkpointing.py) and undoes unused split calls;
  forward mode optimizes and drops dead tangents; a "split" request's
  function is then cut in halves (s2s/split.py);
- emit (s2s/codegen.py): source, a live function, line comments naming the
  user's lines.

The user-facing functions (s2s/api.py) only build requests.
"""
import copy
import dataclasses
import functools
import inspect
import types

import gast
import numpy as np

from . import alias_guard, aliasing, astutil, cache, calls, codegen, control, fncache, naming, optimize, pullback
from . import pullback_dual, pushforward, runtime, signature
from . import facts as facts_mod
from . import split as split_mod
from .anno import getanno, hasanno, setanno
from .errors import DifferentiationError
from .forward import Forward
from .guards import deep_recursion
from .normalize import _name, normalize
from .parse import check_returns, parse_function, unwrap
from .reverse import Reverse

BACKWARD = "s2s: backward sweep"   # the marker statement's text (only a reader of the tree sees it)
_in_progress = {}   # Request -> (transform, box) while it compiles (under fncache.lock): recursion


@dataclasses.dataclass(frozen=True)
class Request:
    """What to generate: the one cache key (in memory and on disk).

    ``mode``: "reverse", "split" (a helper's pair of halves) or "forward".
    ``wrt`` is a tuple of parameter names. Reverse and split modes use
    ``has_aux``, ``checkpoints`` and ``memory``; forward mode uses ``fixed``
    (trailing parameters bound to constants inside: the seed of a gradient in
    hvp), ``name`` (the generated function's name) and ``kwonly`` (tangents
    as keyword-only parameters: the outer seed of ``grad(grad(f))``).
    ``value``: return the primal's value too. ``self_type``: the class of
    ``self`` when ``fn`` is a method (``self.helper(x)`` calls are then
    differentiated too). ``sig``: the argument signature the code is generated
    for, ``((param, kind), ...)`` with kind ``"float"`` (a Python float) for
    the parameters it pins, and () for the generic code (s2s/signature.py);
    a helper's halves also get ``"number"`` (a Python int or float) and
    ``"scalar"`` (any scalar) for the arguments its caller knows to be such.
    """
    fn: object
    wrt: tuple
    mode: str = "reverse"
    value: bool = False
    optimized: bool = True
    self_type: type = None
    has_aux: bool = False
    checkpoints: object = None
    memory: object = None
    fixed: tuple = ()
    name: str = None
    kwonly: bool = False
    sig: tuple = ()

    def options(self):
        """Every field but ``fn``, by name (s2s/cache.py writes them down)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "fn"}


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
                raise ValueError(f"wrt={w} but {getattr(fn, '__name__', fn)} has {len(params)} parameters {params}")
            out.append(params[w])
        else:
            if w not in params:
                raise ValueError(f"wrt={w!r} is not a parameter of {getattr(fn, '__name__', fn)} {params}")
            out.append(w)
    return tuple(out)


def reverse_function(fn, wrt, value=False, optimized=True, self_type=None, has_aux=False, checkpoints=None,
                     memory=None, split=False, sig=()):
    """The generated gradient of ``fn`` for parameter names ``wrt``: ``function(Request(...))``.

    ``has_aux``: fn returns ``(output, aux)``; the result returns ``(gradient, aux)`` (with ``value``:
    ``((value, aux), gradient)``), no gradient through aux. ``split=True``: the pair (forward half,
    backward half) that calls of ``fn`` from generated code use (s2s/split.py). ``sig``: the
    argument signature to generate for (see Request).
    """
    fn = unwrap(signature.generic(fn))   # a transparent functools.wraps wrapper runs fn's code; any other is refused
    return function(Request(fn, tuple(wrt), "split" if split else "reverse", value, optimized, self_type, has_aux,
                            checkpoints, memory if checkpoints is not None else None, sig=tuple(sig)))


def forward_function(fn, wrt, value=False, optimized=True, fixed=(), name=None, self_type=None, kwonly=False,
                     sig=()):
    """The generated forward-mode function of ``fn`` for parameter names ``wrt``: ``function(Request(...))``.

    It takes fn's arguments, then one tangent per ``wrt`` parameter (default 1.0), and returns the
    output's tangent (``(value, tangent)`` with ``value=True``).
    """
    fn = unwrap(signature.generic(fn))
    if self_type is None:
        self_type = _generated_self_type(fn)
    return function(Request(fn, tuple(wrt), "forward", value, optimized, self_type, fixed=tuple(fixed), name=name,
                            kwonly=kwonly, sig=tuple(sig)))


def _generated_self_type(fn):
    """The class of ``self`` a generated function of a method was compiled for (else None)."""
    if not getattr(fn, "s2s_generated", False):
        return None
    return getattr(fn, "s2s_self_type", None)


@deep_recursion
def function(req):
    """The generated function for ``req`` (for mode "split": the pair of halves), cached.

    The cached path is one lock-free lookup. A miss compiles under fncache.lock (threads racing on
    a first call compile once): a recursion trampoline when ``req`` is being compiled in this
    thread, else a function shared with an earlier closure of the same code, one stored by an
    earlier process, or ``build(req)``.
    """
    fn = req.fn
    hit = fncache.get(fn, req)
    if hit is not None:
        fncache.add(hit)   # a helper of a compile in progress: its dependencies are the caller's too
        return hit
    with fncache.lock:
        hit = fncache.get(fn, req)
        if hit is not None:
            fncache.add(hit)
            return hit
        pending = _in_progress.get(req)
        if pending is not None:
            return _trampoline(req, *pending)
        with fncache.collect() as deps:
            try:
                gen = _reuse(req)
                if gen is None:   # a refusal in an if branch: compiled again, that branch raising it (s2s/control.py)
                    gen = control.compile_retrying(fn, lambda: build(req))
            finally:
                cache.forget(req)   # a refused request's pending digest would keep fn alive
        if getattr(gen[0] if type(gen) is tuple else gen, "s2s_deps", None) is None:
            deps.attach(gen)
        fncache.put(fn, req, gen)
        fncache.add(gen)
        return gen


def _trampoline(req, transform, box):
    """A stand-in for the function being compiled (recursion): it calls it, once it exists."""
    fn = req.fn
    if req.mode == "split":
        return split_mod.trampolines(lambda: box[0], fn)
    trampoline = lambda *a, **k: box[0](*a, **k)  # noqa: E731
    trampoline.s2s_generated = True
    trampoline.s2s_target = lambda: box[0]
    if req.mode == "forward":
        trampoline.s2s_tangents = [transform.dname(p) for p in req.wrt]
        trampoline.__name__ = "jvp_" + fn.__name__
    else:
        trampoline.s2s_seed = transform.dname(transform.fn.body[-1].value.id)
        trampoline.__name__ = "d" + fn.__name__
    return trampoline


def _reuse(req):
    """A function generated before for ``req``: for an earlier closure of fn's code, or by an earlier
    process (s2s/cache.py); None if there is none."""
    fn = req.fn
    if req.mode == "split":   # each half is kept in the persistent cache on its own
        pair = tuple(cache.load(req, half, _helper) for half in (0, 1))
        if any(h is None for h in pair):
            return None
        gen = tuple(after_load(h, fn, req.self_type, req.sig) for h in pair)
    else:
        gen = fncache.share(fn, dataclasses.replace(req, fn=None))   # a fresh closure of code compiled before
        if gen is not None:
            return gen
        gen = cache.load(req, helper=_helper)
        if gen is None:
            return None
        gen = after_load(gen, fn, req.self_type, req.sig)
        if _plain_gradient(req):
            gen.s2s_origin = (fn, req.wrt)
    for g in (gen if type(gen) is tuple else (gen,)):
        g.s2s_self_type = req.self_type
    return gen


def _helper(fn, options):
    """A generated helper that a function loaded from the persistent cache calls (s2s/cache.py)."""
    return function(Request(fn, **options))


def _plain_gradient(req):
    """A gradient grad of which may go forward over reverse (s2s/api.py)."""
    return req.mode == "reverse" and req.value is False and req.self_type is None and not req.has_aux \
        and req.checkpoints is None


def _with_self(ctx, fn, self_type):
    """``ctx`` (fn's parsed context) knowing, for a method, its class (``self.act(z)`` is looked up on it)."""
    if self_type is not None:
        ctx.self_type = self_type
        ctx.self_name = next(iter(inspect.signature(fn).parameters))
    return ctx


def build(req):
    """Run the pipeline for ``req``: parse, normalize, then the mode's transform, passes and emit."""
    fn = req.fn
    ctx = _with_self(parse_function(fn), fn, req.self_type)
    ctx.param_types = {p: k[1] for p, k in req.sig if isinstance(k, tuple) and k[0] == signature.RECORD}
    ctx.param_iterators = {p: k[1] for p, k in req.sig if isinstance(k, tuple) and k[0] == signature.ITERATOR}
    ctx.param_sequences = frozenset(p for p, k in req.sig if k == signature.SEQUENCE)   # forward_calls reads it
    ctx.pinned_wrt = set(req.wrt)
    fncache.note(ctx)   # what its free names resolve to: the cached function is stale when they change
    fncache.add(fn)     # code made from generated code (hvp, grad of grad): stale with it
    check_returns(ctx, strict=_top_level())
    ctx.writes_through = req.mode == "split"   # a helper's forward half changes the caller's (private) arguments
    ctx.mode = req.mode
    core, namer = normalize(ctx)
    optimize.fold_aliases(core, ctx)   # b = a; b.append(v): one name for the object (s2s/optimize/aliases.py)
    ctx.alias_refusal = alias_guard.check(core, ctx)   # a write another live variable may see (s2s/alias_guard.py)
    temps = set(namer.taken) - _user_names(ctx.node)
    if req.mode == "forward":
        return _build_forward(req, ctx, core, namer, temps)
    return _build_reverse(req, ctx, core, namer, temps)


def _bind_objects(core, ctx, ns, walk):
    """Names for the objects the normalizer introduced and for the user's closure variables."""
    for n in walk(core):
        if isinstance(n, gast.Name) and hasanno(n, "obj"):
            n.id = ns.ref(n.id, getanno(n, "obj"))
        elif isinstance(n, gast.Name) and n.id in ctx.closure and n.id not in ctx.locals:
            ns.bind_closure(n.id)   # a closure variable of the user's function


def _lists_into_numpy(core, ctx, ns):
    """Whether a list or tuple the caller passed reaches a NumPy function, whose rule then reads it as an array
    (calls.fill_rule): code of its own."""
    seqs = calls.sequence_names(core, ctx, ns.resolve) if ctx.param_sequences else ()
    return bool(seqs) and any(isinstance(n, gast.Call) and calls.numpy_function(ns.resolve(n.func))
                              and any(isinstance(a, gast.Name) and a.id in seqs
                                      for a in n.args + [k.value for k in n.keywords])
                              for n in astutil.walk(core))


def _emit(fdef, ns, fn):
    """Source and a live function for ``fdef`` (s2s/codegen.py)."""
    try:
        return codegen.compile_function(fdef, ns, fn)
    except SyntaxError as e:  # a compiler bug: say so clearly
        raise DifferentiationError(f"s2s generated invalid code for {fn.__name__} ({e}); please report this.") from None


def _build_reverse(req, ctx, core, namer, temps):
    fn, wrt, value, optimized = req.fn, req.wrt, req.value, req.optimized
    aux = _split_aux(core, namer, ctx) if req.has_aux else None
    ns = codegen.Namespace(ctx, namer)
    _bind_objects(core, ctx, ns, astutil.walk)
    bind_defaults(core.args, fn, ns)

    def helper(callee, callee_wrt, callee_self=None, sig=()):   # a call of a user function: its split pair
        f, b = reverse_function(callee, callee_wrt, False, optimized, callee_self, split=True, sig=sig)
        return ns.ref(f.__name__, f), ns.ref(b.__name__, b)

    facts = facts_mod.for_reverse(core, ctx, wrt, namer, req.sig)
    if req.sig and facts.specialized == facts_mod.specialized(core, ctx) \
            and not ctx.param_types and not ctx.param_iterators \
            and not any(k == signature.ZERO_D and p in wrt for p, k in req.sig) \
            and not _lists_into_numpy(core, ctx, ns):   # (a 0-d array's gradient: as_grad)
        generic = function(dataclasses.replace(req, sig=()))   # the signature changes no fact: the generic code,
        if all(p in (getattr(generic, "s2s_as_grad", None) or ()) for p, k in req.sig   # unless a list's gradient
               if k == signature.SEQUENCE and p in wrt):   # would come back as an array (as_grad: its type)
            return generic
    rev = Reverse(ctx, core, namer, ns, facts, helper)
    output = rev.output
    box = []   # the finished function, for recursion trampolines
    _in_progress[req] = (rev, box)
    try:
        fwd, bwd, seed = rev.transform()
        grads = rev.result_grads()
        if getattr(ctx, "alias_refusal", None) is not None:   # after the transform's own (more specific) refusals
            raise ctx.alias_refusal
    finally:
        del _in_progress[req]
    for s in fwd:   # the primal's own code: no algebraic rewriting (x * 1.0 may be a copy or a cast)
        for n in astutil.walk(s):
            if isinstance(n, gast.BinOp):
                setanno(n, "primal")
    copied = {st.value.args[0].id for st in core.body if isinstance(st, gast.Assign) and isinstance(st.value, gast.Call)
              and getanno(st.value.func, "obj") in (runtime.copy_value, runtime.copy_deep)
              and st.value.args and isinstance(st.value.args[0], gast.Name)}
    for i, p in enumerate(wrt):   # a copied (written) argument: its gradient has the caller's structure, not the copy's
        g = grads[i]
        if p in copied and not (isinstance(g, gast.Call) and ns.resolve(g.func) is runtime.as_grad):
            grads[i] = gast.Call(func=_name(ns.ref("as_grad", runtime.as_grad)), args=[g, _name(p)], keywords=[])
    as_grads = [p for p, g in zip(wrt, grads) if isinstance(g, gast.Call) and ns.resolve(g.func) is runtime.as_grad]
    ret_value = grads[0] if len(grads) == 1 else gast.Tuple(elts=grads, ctx=gast.Load())

    def hold(var, base):
        """The forward sweep's final value of ``var``, kept under a new name."""
        v = namer.name(base)
        held = _name(var)
        undone = aliasing.changed_with(set(rev.index_vars), aliasing.views(fwd)) if rev.index_vars else set()
        if var in undone:   # the backward sweep undoes writes into it (or into what it shares: retval = y11)
            held = gast.Call(func=_name(ns.ref("copy_deep", runtime.copy_deep)), args=[held], keywords=[])
        fwd.append(gast.Assign(targets=[_name(v, gast.Store())], value=held, type_comment=None))
        return _name(v)

    aux_value = hold(aux, "aux") if aux is not None else None
    if value or req.mode == "split":   # a forward half returns the value
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
    adjoints = frozenset(rev.adj[v] for v in rev.adj if v in temps)   # adjoints of temporaries: temporaries
    optimize.run(req.mode, fdef, optimize.Job(ns, req.optimized, frozenset(temps), marker, req.checkpoints,
                                              req.memory, ctx.error, adjoints))
    if req.mode == "split":
        pair = split_mod.split_function(fdef, marker, seed, namer, ns, fn)
        for half, gen in enumerate(pair):
            gen.s2s_self_type = req.self_type
            cache.store(req, gen, half)
        box.append(pair)
        return pair
    fdef.body = [s for s in fdef.body if s is not marker]
    gen, src = _emit(fdef, ns, fn)
    gen.__defaults__ = fn.__defaults__
    gen.__kwdefaults__ = dict(fn.__kwdefaults__ or {}, **{seed: runtime.DEFAULT_SEED})   # a tuple output refuses it
    gen.s2s_seed = seed
    gen.s2s_as_grad = as_grads   # the parameters whose gradient as_grad gives their type (lists: signature.SEQUENCE)
    gen.s2s_source = src
    gen.s2s_primal = fn
    gen.s2s_self_type = req.self_type
    if _plain_gradient(req):
        gen.s2s_origin = (fn, wrt)   # a plain gradient: grad of it may go forward over reverse
    box.append(gen)
    gen.s2s_deps = fncache.current()
    fncache.remember(fn, dataclasses.replace(req, fn=None), gen, ns.cells)   # fn's code's key
    cache.store(req, gen)
    return gen


def _build_forward(req, ctx, core, namer, temps):
    fn, wrt, value, optimized, fixed, name, kwonly = req.fn, req.wrt, req.value, req.optimized, req.fixed, \
        req.name, req.kwonly
    ns = codegen.Namespace(ctx, namer)
    _bind_objects(core, ctx, ns, astutil.walk_bfs)
    bind_defaults(core.args, fn, ns)

    # bind fixed trailing parameters as constants
    fixed_names = []
    for pname, pvalue in fixed:
        args, kwonly = core.args.args, core.args.kwonlyargs
        if kwonly and kwonly[-1].id == pname:   # the keyword-only seed of a generated gradient
            kwonly.pop()
            core.args.kw_defaults = core.args.kw_defaults[:-1]
        elif args and args[-1].id == pname:
            args.pop()
            if core.args.defaults:
                core.args.defaults = core.args.defaults[:-1]
        else:
            raise ValueError(f"can only fix the last parameter, not {pname!r}")
        const = _name(ns.ref("seed", pvalue)) if pvalue is runtime.DEFAULT_SEED \
            else gast.Constant(value=pvalue, kind=None)   # the default seed: a tuple output refuses it
        core.body.insert(0, gast.Assign(targets=[_name(pname, gast.Store())], value=const, type_comment=None))
        fixed_names.append(pname)

    def helper(callee, callee_wrt, callee_self=None, sig=()):
        g = forward_function(callee, callee_wrt, True, optimized, self_type=callee_self, sig=sig)
        return ns.ref(g.__name__, g), g.s2s_tangents

    for n in astutil.walk_bfs(core):   # the primal's own code: no algebraic rewriting (x * 1.0 may be a copy or a cast)
        if isinstance(n, gast.BinOp):
            setanno(n, "primal")
    fwd = Forward(ctx, core, namer, ns, facts_mod.for_forward(core, ctx, wrt), helper)
    fwd.value = value
    tparams = [fwd.dname(p) for p in wrt]
    box = []   # the finished function, for recursion trampolines
    _in_progress[req] = (fwd, box)
    try:
        body = fwd.transform()
        if getattr(ctx, "alias_refusal", None) is not None:   # after the transform's own (more specific) refusals
            raise ctx.alias_refusal
    finally:
        del _in_progress[req]
    temps |= {fwd.tan[v] for v in fwd.tan if v in temps}   # tangents of temporaries are temporaries
    args = copy.deepcopy(core.args)
    if kwonly or args.vararg is not None:   # grad(grad(f))'s outer seed; h(a, *rest): by keyword only
        args.kwonlyargs += [_name(tp, gast.Param()) for tp in tparams]
        args.kw_defaults = list(args.kw_defaults) + [gast.Constant(value=1.0, kind=None)] * len(tparams)
    else:
        args.args += [_name(tp, gast.Param()) for tp in tparams]
        args.defaults = list(args.defaults) + [gast.Constant(value=1.0, kind=None)] * len(tparams)
    suffix = "_".join("d" + w for w in wrt)
    base = fn.__name__.replace("<lambda>", "lambda")
    fname = namer.name(name or (("value_and_jvp_" if value else "jvp_") + base + "_" + suffix))
    fdef = gast.FunctionDef(name=fname, args=args, body=body, decorator_list=[], returns=None,
                            type_comment=None, type_params=[])
    optimize.run("forward", fdef, optimize.Job(ns, optimized, frozenset(temps)))
    if getattr(fn, "s2s_generated", False) and not kwonly:   # over a gradient: the tangents named as jvp's
        tparams = naming.rename_tangents(fdef, tparams, _jvp_tangent_names(fn, wrt), namer)
    gen, src = _emit(fdef, ns, fn)
    defaults = tuple(fn.__defaults__ or ())
    kwdefaults = dict(fn.__kwdefaults__ or {})
    for pname in fixed_names:
        if pname in kwdefaults:
            del kwdefaults[pname]
        else:
            defaults = defaults[:max(0, len(defaults) - 1)]
    if kwonly or core.args.vararg is not None:
        gen.__defaults__ = defaults or None
        kwdefaults.update((tp, 1.0) for tp in tparams)
    else:
        gen.__defaults__ = defaults + (1.0,) * len(tparams)
    gen.__kwdefaults__ = kwdefaults or None
    gen.s2s_tangents = tparams
    gen.s2s_source = src
    gen.s2s_primal = fn
    gen.s2s_mode = "forward"
    gen.s2s_self_type = req.self_type
    box.append(gen)
    gen.s2s_deps = fncache.current()
    fncache.remember(fn, dataclasses.replace(req, fn=None), gen, ns.cells)   # fn's code's key
    # it runs fn's primal: the optimizer never drops or merges calls of it, unless fn is s2s's own pure code
    gen.s2s_impure = getattr(fn, "s2s_impure", False) or not getattr(fn, "s2s_generated", False)
    cache.store(req, gen)
    return gen


def _jvp_tangent_names(gen, wrt):
    """The names jvp gives the tangents of ``wrt`` in the user's function ``gen`` was generated from (None
    each when not known)."""
    primal = getattr(gen, "s2s_primal", None)
    try:
        namer = naming.Namer.for_tree(parse_function(primal).node)
    except (DifferentiationError, OSError, TypeError, AttributeError):
        return [None] * len(wrt)
    return [namer.grad(p) for p in wrt]


def after_load(gen, fn, self_type=None, sig=()):
    """A function loaded from the persistent cache, given what the in-process compiler gives: the
    default seed object (a tuple output refuses it) and the user's own closure cells for data."""
    import types
    from . import parse
    # checks the source still is the code that runs; names what it reads (a method's self.x on its class)
    ctx = _with_self(parse.parse_function(fn), fn, self_type)
    ctx.param_types = {p: k[1] for p, k in sig if isinstance(k, tuple) and k[0] == signature.RECORD}
    fncache.note(ctx)
    kw = gen.__kwdefaults__
    seed = getattr(gen, "s2s_seed", None)
    if kw and seed in kw and kw[seed] == 1.0:
        kw[seed] = runtime.DEFAULT_SEED
    cells = {}
    user = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ())) if getattr(fn, "__code__", None) else {}
    for name, obj in getattr(gen, "s2s_namespace", {}).items():
        if name in user and not (callable(obj) or isinstance(obj, types.ModuleType)):
            cells[name] = user[name]
        elif name.startswith("seed") and type(obj) is float and obj == 1.0:   # hvp's fixed seed
            cells[name] = types.CellType(runtime.DEFAULT_SEED)
    if cells and gen.__closure__:
        gen = codegen.rebind_cells(gen, cells)
    return gen


def _top_level():
    """True unless a compile is in progress in this thread (then fn is a helper of the function differentiated)."""
    return not _in_progress


def hvp_function(fn, names, optimized=True, self_type=None, sig=()):
    """Forward mode over the generated gradient: (args..., v...) -> H·v (cached). ``sig``: the argument
    signature of the gradient (record classes: the forward sweep over it needs none)."""
    g = reverse_function(fn, names, optimized=optimized, self_type=self_type, sig=sig)
    base = fn.__name__.replace("<lambda>", "lambda")
    lists = tuple((p, k) for p, k in sig if k == signature.SEQUENCE)   # their tangents: lists (forward_calls)
    return forward_function(g, names, optimized=optimized, fixed=((g.s2s_seed, runtime.DEFAULT_SEED),),
                            name="hvp_" + base + "_" + "_".join("d" + w for w in names), self_type=self_type,
                            sig=lists)


def _reverse_origin(g):
    """(primal, wrt) if ``g`` is a plain generated reverse-mode gradient, else None."""
    return getattr(g, "s2s_origin", None) if getattr(g, "s2s_generated", False) else None


def grad_of_gradient(g, wrt, value=False, optimized=True):
    """``grad(g, wrt)`` for a generated gradient ``g = grad(f, wrt=a)``, by forward over reverse.

    The Hessian is symmetric, so the gradient of ``s · df/da`` with respect to
    ``b`` along the outer seed ``s2`` is the tangent, along ``a`` in the
    direction ``s2``, of the gradient of ``s · f`` with respect to ``b``:
    ``grad(grad(f, a), b)(args, s, s2) == jvp(grad(f, b), a)(args, s, s2)``.
    One forward sweep over one reverse sweep (no second stack), and the
    generated stack pushes and pops are mirrored on a tangent stack. Returns
    None when this does not apply (``g`` is not a plain gradient, ``a`` is
    several parameters, or ``wrt`` includes the seed); the caller then
    differentiates ``g``'s source in reverse mode as any other function.
    """
    origin = _reverse_origin(g)
    if origin is None:
        return None
    f, inner = origin
    if len(inner) != 1 or g.s2s_seed in wrt or (value and tuple(wrt) != tuple(inner)):
        return None
    rev = reverse_function(f, tuple(wrt), optimized=optimized)
    base = f.__name__.replace("<lambda>", "lambda")
    name = ("value_and_" if value else "") + "d2" + base + "_d" + inner[0] + "_" + "_".join("d" + w for w in wrt)
    return forward_function(rev, tuple(inner), value=value, optimized=optimized, name=name, kwonly=True)


def bind_defaults(args, fn, ns):
    """Default values in the generated signature that evaluate where it is compiled: the default's
    value itself (a literal, or a name bound to the object), never the user's expression, which may
    read names of the scope that made ``fn`` (``[lambda x, k=k: x ** k for k in ...]``).
    The generated function's ``__defaults__`` are fn's own objects in any case."""
    pos = list(args.posonlyargs) + list(args.args)
    values = list(getattr(fn, "__defaults__", None) or ())
    kw = getattr(fn, "__kwdefaults__", None) or {}

    def value_node(param, node, value):
        if isinstance(node, gast.Constant):
            return node
        if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, np.generic):
            if not isinstance(value, float) or np.isfinite(value):
                return gast.Constant(value=value, kind=None)
        return _name(ns.ref(node.id if isinstance(node, gast.Name) else param, value))

    if len(args.defaults) == len(values):
        for i, (node, value) in enumerate(zip(args.defaults, values)):
            args.defaults[i] = value_node(pos[len(pos) - len(values) + i].id, node, value)
    for i, (a, node) in enumerate(zip(args.kwonlyargs, args.kw_defaults)):
        if node is not None and a.id in kw:
            args.kw_defaults[i] = value_node(a.id, node, kw[a.id])


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
        if isinstance(prev, gast.Assign) and len(prev.targets) == 1 and isinstance(prev.targets[0], gast.Name) \
                and prev.targets[0].id == r and isinstance(prev.value, (gast.Dict, gast.List, gast.Set,
                                                                         gast.Constant, gast.DictComp)):
            kind = {gast.Dict: "a dict", gast.DictComp: "a dict", gast.List: "a list", gast.Set: "a set"}.get(
                type(prev.value), "a constant")
            raise ctx.error(prev, f"has_aux=True needs the function to return a pair (output, aux); this returns "
                            f"{kind}.", "Return (output, aux): for a dict of results, `return d['loss'], d`.")
        names = [namer.name("out"), namer.name("aux")]
        core.body[-1:-1] = [gast.copy_location(gast.Assign(
            targets=[_name(n, gast.Store())],
            value=gast.Subscript(value=_name(r), slice=gast.Constant(value=i, kind=None), ctx=gast.Load()),
            type_comment=None), ret) for i, n in enumerate(names)]
    ret.value = _name(names[0])
    return names[1]


def _user_names(node):
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name)}


def bind_method(fn):
    """(function, bound self or None) for plain functions, bound methods and callable objects (an instance
    of a class whose ``__call__`` is a Python function: ``grad(model)`` is ``grad(model.__call__)``)."""
    if isinstance(fn, types.MethodType):
        return fn.__func__, fn.__self__
    if callable_object(fn):
        return type(fn).__call__, fn
    return fn, None


def callable_object(fn):
    """True for an instance of a user class with a Python ``__call__`` (not a function, class or partial)."""
    return not isinstance(fn, (type, types.FunctionType, types.BuiltinFunctionType, functools.partial)) \
        and isinstance(getattr(type(fn), "__call__", None), types.FunctionType)


def clear_cache():
    """Forget every generated function, every mode (they are generated again on the next request)."""
    fncache.clear()
    cache.forget()


pullback.driver = reverse_function   # run-time pullbacks compile through the driver (s2s/pullback.py)
pushforward.driver = forward_function   # and run-time pushforwards (s2s/pushforward.py)
pullback_dual.driver = (reverse_function, forward_function)   # and their second order (s2s/pullback_dual.py)
