"""Forward mode and higher-order derivatives (DESIGN.md section 1).

``jvp``/``derivative`` generate forward-mode source (s2s/forward.py);
``hvp`` generates forward mode over the generated reverse-mode gradient;
``hessian`` and ``jacobian`` assemble full matrices from those generated
functions. Generated functions are cached per (function, wrt, options).
"""
import copy
import inspect
import types

import gast
import numpy as np

from . import codegen, compiler, fncache, optimize, runtime, tree
from .guards import deep_recursion
from .errors import DifferentiationError
from .forward import Forward, prune_dead
from .normalize import _name, normalize
from .parse import check_returns, parse_function, unwrap

_in_progress = {}   # (fn, key) -> (Forward, box) while fn compiles (under fncache.lock): recursion


def _user_names(node):
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}


def _generated_self_type(fn):
    """The class of ``self`` a generated function of a method was compiled for (else None)."""
    if not getattr(fn, "s2s_generated", False):
        return None
    return getattr(fn, "s2s_self_type", None)


@deep_recursion
def forward_function(fn, wrt, value=False, optimized=True, fixed=(), name=None, self_type=None, kwonly=False):
    """The generated forward-mode function of ``fn`` for parameter names ``wrt`` (cached).

    It takes fn's arguments, then one tangent per ``wrt`` parameter (default
    1.0), and returns the output's tangent (``(value, tangent)`` with
    ``value=True``). ``fixed`` maps trailing parameters to constants that are
    bound inside instead of taken (used for the seed of a gradient in hvp).
    ``self_type``: the class of ``self`` when ``fn`` is a method.
    ``kwonly``: the tangents are keyword-only parameters (the outer seed of
    ``grad(grad(f))``, which DESIGN.md makes keyword-only as every seed).
    """
    fixed = tuple(fixed)
    fn = unwrap(fn)   # a transparent functools.wraps wrapper runs fn's code; any other is refused
    if self_type is None:
        self_type = _generated_self_type(fn)
    key = ("forward", tuple(wrt), value, optimized, fixed, name, kwonly, self_type)
    hit = fncache.get(fn, key)   # the cached path: one lock-free lookup
    if hit is not None:
        return hit
    with fncache.lock:   # first calls racing in threads: one compiles, the others find its result
        hit = fncache.get(fn, key)
        if hit is not None:
            return hit
        pending = _in_progress.get((fn, key))
        if pending is not None:   # recursion: call what is being compiled, once it exists
            fwd, box = pending
            trampoline = lambda *a, **k: box[0](*a, **k)  # noqa: E731
            trampoline.s2s_generated = True
            trampoline.s2s_target = lambda: box[0]
            trampoline.s2s_tangents = [fwd.dname(p) for p in wrt]
            trampoline.__name__ = "jvp_" + fn.__name__
            return trampoline
        gen = fncache.share(fn, key)   # a fresh closure of code compiled before
        if gen is None:
            gen = _forward_uncached(fn, key, wrt, value, optimized, fixed, name, self_type, kwonly)
        fncache.put(fn, key, gen)
        return gen


def _forward_uncached(fn, key, wrt, value, optimized, fixed, name, self_type, kwonly):
    ctx = parse_function(fn)
    check_returns(ctx, strict=compiler._top_level())
    if self_type is not None:
        ctx.self_type = self_type
        ctx.self_name = next(iter(inspect.signature(fn).parameters))
    core, namer = normalize(ctx)
    temps = set(namer.taken) - _user_names(ctx.node)
    ns = codegen.Namespace(ctx, namer)
    for n in gast.walk(core):   # objects the normalizer introduced (as compiler.reverse_function does)
        if isinstance(n, gast.Name) and hasattr(n, "s2s_obj"):
            n.id = ns.ref(n.id, n.s2s_obj)
        elif isinstance(n, gast.Name) and n.id in ctx.closure and n.id not in ctx.locals:
            ns.bind_closure(n.id)   # a closure variable of the user's function

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
        ctx.locals = ctx.locals | {pname}

    def helper(callee, callee_wrt, callee_self=None):
        g = forward_function(callee, callee_wrt, True, optimized, self_type=callee_self)
        return ns.ref(g.__name__, g), g.s2s_tangents

    for n in gast.walk(core):   # the primal's own code: no algebraic rewriting (x * 1.0 may be a copy or a cast)
        if isinstance(n, gast.BinOp):
            n.s2s_primal = True
    fwd = Forward(ctx, core, namer, ns, wrt, helper)
    fwd.value = value
    tparams = [fwd.dname(p) for p in wrt]
    box = []   # the finished function, for recursion trampolines
    _in_progress[(fn, key)] = (fwd, box)
    try:
        body = fwd.transform()
    finally:
        del _in_progress[(fn, key)]
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
    if optimized:
        optimize.optimize(fdef, ns.resolve, temps=temps)
        if prune_dead(fdef, ns.resolve):
            optimize.optimize(fdef, ns.resolve, temps=temps)
    try:
        gen, src = codegen.compile_function(fdef, ns, fn)
    except SyntaxError as e:  # a compiler bug: say so clearly
        raise DifferentiationError(f"s2s generated invalid code for {fn.__name__} ({e}); please report this.") from None
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
    gen.s2s_self_type = self_type
    box.append(gen)
    fncache.remember(fn, key, gen, ns.cells)
    return gen


# ---------------------------------------------------------------- API

def _print_source(fn):
    from .api import _print_source as p
    p(fn)


def _names(f, wrt):
    func, self_ = compiler.bind_method(f)
    return func, self_, compiler.wrt_names(f if self_ is not None else func, wrt)


def _self_type(self_):
    return type(self_) if self_ is not None else None


def _bind(gen, self_, verbose):
    if verbose:
        _print_source(gen)
    return types.MethodType(gen, self_) if self_ is not None else gen


def _decorator_or_call(f, make):
    return make if f is None else make(f)


def jvp(f=None, wrt=0, *, optimized=True, verbose=0):
    """Forward mode: ``jvp(f)(x, v)`` is J(x)·v, as generated source.

    The result takes f's arguments followed by one tangent per ``wrt``
    argument (default 1.0) and returns the output's tangent.
    """
    def make(fn):
        func, self_, names = _names(fn, wrt)
        return _bind(forward_function(func, names, optimized=optimized, self_type=_self_type(self_)), self_, verbose)
    return _decorator_or_call(f, make)


def value_and_jvp(f=None, wrt=0, *, optimized=True, verbose=0):
    """Like ``jvp`` but the function returns ``(f(...), J·v)``."""
    def make(fn):
        func, self_, names = _names(fn, wrt)
        return _bind(forward_function(func, names, value=True, optimized=optimized, self_type=_self_type(self_)),
                     self_, verbose)
    return _decorator_or_call(f, make)


def derivative(f=None, wrt=0, *, optimized=True, verbose=0):
    """Forward mode with tangent 1.0: ``derivative(f)(x)`` is f'(x) for scalar x."""
    return jvp(f, wrt, optimized=optimized, verbose=verbose)


def hvp_function(fn, names, optimized=True, self_type=None):
    """Forward mode over the generated gradient: (args..., v...) -> H·v (cached)."""
    g = compiler.reverse_function(fn, names, optimized=optimized, self_type=self_type)
    base = fn.__name__.replace("<lambda>", "lambda")
    return forward_function(g, names, optimized=optimized, fixed=((g.s2s_seed, runtime.DEFAULT_SEED),),
                            name="hvp_" + base + "_" + "_".join("d" + w for w in names), self_type=self_type)


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
    rev = compiler.reverse_function(f, tuple(wrt), optimized=optimized)
    base = f.__name__.replace("<lambda>", "lambda")
    name = ("value_and_" if value else "") + "d2" + base + "_d" + inner[0] + "_" + "_".join("d" + w for w in wrt)
    return forward_function(rev, tuple(inner), value=value, optimized=optimized, name=name, kwonly=True)


def hvp(f=None, wrt=0, *, optimized=True, verbose=0):
    """``hvp(f)(x, v)`` is H(x)·v for scalar f: forward mode over reverse, both generated as source."""
    def make(fn):
        func, self_, names = _names(fn, wrt)
        return _bind(hvp_function(func, names, optimized, _self_type(self_)), self_, verbose)
    return _decorator_or_call(f, make)


def _basis(x):
    """Unit tangents for x, one per scalar element, each shaped like x."""
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        yield 1.0
        return
    x = np.asarray(x)
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    for i in range(x.size):
        e = np.zeros(x.size, dtype=dtype)
        e[i] = 1.0
        yield e.reshape(x.shape)


def _shape(x):
    return () if isinstance(x, (float, int)) else np.shape(x)


def _stack(parts, inner_shape, outer_shape):
    """Assemble a matrix of shape ``outer_shape + inner_shape`` from per-element parts.

    ``parts[j]`` has ``outer_shape`` and belongs to inner element j.
    """
    if not inner_shape:
        p = parts[0]
        return float(p) if not outer_shape and np.ndim(p) == 0 else np.asarray(p, dtype=float)
    n = int(np.prod(inner_shape))
    arr = np.stack([np.asarray(p, dtype=float).reshape(outer_shape) for p in parts], axis=-1)
    return arr.reshape(tuple(outer_shape) + (n,)).reshape(tuple(outer_shape) + tuple(inner_shape))


def _bound_args(fn, self_, args, kwargs):
    import inspect
    sig = inspect.signature(fn)
    full = (self_,) + tuple(args) if self_ is not None else tuple(args)
    ba = sig.bind(*full, **kwargs)
    ba.apply_defaults()
    return ba


def _fill(row, part, leaf, where):
    """``part`` (a gradient or tangent of ``leaf``) flattened into ``row``."""
    arr = np.asarray(part, dtype=float)
    if arr.shape != tuple(tree.shape(leaf)):
        if arr.ndim:
            raise DifferentiationError(f"{where}: a derivative has shape {arr.shape} but its value has shape "
                                       f"{tree.shape(leaf)}; please report this.")
        arr = np.broadcast_to(arr, tree.shape(leaf))   # a literal zero for an inactive part
    row[...] = arr.reshape(-1)


def _leaves_like(t, like, where):
    """The leaves of derivative ``t``, one per leaf of ``like`` (its value)."""
    if not tree.is_node(like):
        return [t]
    parts = tree.leaves(t) if tree.is_node(t) else [t] * len(tree.leaves(like))
    if len(parts) != len(tree.leaves(like)):
        raise DifferentiationError(f"{where}: a derivative has {len(parts)} parts but its value has "
                                   f"{len(tree.leaves(like))}; please report this.")
    return parts


def hessian(f=None, wrt=0, *, optimized=True, verbose=0):
    """The Hessian of scalar f, shape ``x.shape + x.shape``, built from generated HVPs.

    For several ``wrt`` arguments, returns the blocks as a tuple of tuples
    (``H[i][j]`` of shape ``xi.shape + xj.shape``). A container argument
    (list, tuple, dict) gives nested containers of blocks: ``H[a][b]`` for
    leaves ``a`` and ``b``, of shape ``a.shape + b.shape`` (JAX's convention).
    """
    def make(fn):
        func, self_, names = _names(fn, wrt)
        h = hvp_function(func, names, optimized, _self_type(self_))
        if verbose:
            _print_source(h)
        where = "hessian of " + func.__name__

        def hess(*args, **kwargs):
            ba = _bound_args(func, self_, args, kwargs)
            xs = [ba.arguments[n] for n in names]
            ins = [tree.leaves(x) for x in xs]
            blocks = [[[[tree.block(la, lb) for lb in ins[j]] for j in range(len(xs))] for la in ins[i]]
                      for i in range(len(xs))]
            zeros = [tree.zeros(x) for x in xs]
            for j, x in enumerate(xs):
                for b, e, hot in tree.one_hots(x):
                    v = list(zeros)
                    v[j] = hot
                    out = h(*ba.args, *v, **ba.kwargs)
                    out = out if len(names) > 1 else (out,)
                    for i in range(len(xs)):
                        for a, part in enumerate(_leaves_like(out[i], xs[i], where)):
                            _fill(blocks[i][a][j][b][:, e], part, ins[i][a], where)
            H = tuple(tuple(tree.rebuild(xs[i], [tree.rebuild(xs[j], [tree.finish(blocks[i][a][j][b], ins[i][a], ins[j][b])
                                                                      for b in range(len(ins[j]))])
                                                 for a in range(len(ins[i]))])
                            for j in range(len(xs))) for i in range(len(xs)))
            return H[0][0] if len(names) == 1 else H
        hess.__name__ = "hessian_" + func.__name__
        hess.s2s_hvp = h
        return hess
    return _decorator_or_call(f, make)


def jacobian(f=None, wrt=0, *, optimized=True, verbose=0, mode="auto"):
    """The Jacobian of f, shape ``out.shape + x.shape``.

    ``mode="auto"`` uses forward mode (one generated jvp per input element)
    when the ``wrt`` inputs have fewer elements than the output, reverse mode
    (one generated gradient per output element) otherwise. For several
    ``wrt`` arguments, returns a tuple of blocks, one per argument.
    Containers (lists, tuples, dicts) as inputs or outputs give nested
    containers of blocks, JAX's ``jacrev`` convention: the output's
    structure, holding at each output leaf (of shape ``o``) the input's
    structure (a tuple of them for several ``wrt``) of blocks ``o + s``.
    """
    if mode not in ("auto", "forward", "reverse"):
        raise ValueError(f"mode must be 'auto', 'forward' or 'reverse', got {mode!r}")

    def make(fn):
        func, self_, names = _names(fn, wrt)
        state = {}
        where = "jacobian of " + func.__name__

        def fwd():
            if "fwd" not in state:
                state["fwd"] = forward_function(func, names, value=True, optimized=optimized,
                                                self_type=_self_type(self_))
                if verbose:
                    _print_source(state["fwd"])
            return state["fwd"]

        def rev():
            if "rev" not in state:
                state["rev"] = compiler.reverse_function(func, names, optimized=optimized,
                                                         self_type=_self_type(self_))
                if verbose:
                    _print_source(state["rev"])
            return state["rev"]

        def jac(*args, **kwargs):
            ba = _bound_args(func, self_, args, kwargs)
            xs = [ba.arguments[n] for n in names]
            ins = [tree.leaves(x) for x in xs]
            n_in = sum(tree.size(leaf) for leaves in ins for leaf in leaves)
            use, out = mode, None
            if use != "forward" or n_in == 0:
                out = func(*ba.args, **ba.kwargs)
            if use == "auto":
                use = "forward" if n_in < sum(tree.size(leaf) for leaf in tree.leaves(out)) else "reverse"

            def empty(value):
                return [[[tree.block(o, leaf) for leaf in ins[j]] for j in range(len(xs))] for o in tree.leaves(value)]

            blocks = empty(out) if out is not None else None
            if use == "forward":
                g = fwd()
                zeros = [tree.zeros(x) for x in xs]
                for j, x in enumerate(xs):
                    for b, e, hot in tree.one_hots(x):
                        v = list(zeros)
                        v[j] = hot
                        value, t = g(*ba.args, *v, **ba.kwargs)
                        if out is None:
                            out, blocks = value, empty(value)
                        for k, part in enumerate(_leaves_like(t, out, where)):
                            _fill(blocks[k][j][b][:, e], part, tree.leaves(out)[k], where)
            else:
                g = rev()
                for k, e, hot in tree.one_hots(out):
                    r = g(*ba.args, **ba.kwargs, **{g.s2s_seed: hot})
                    r = r if len(names) > 1 else (r,)
                    for j in range(len(xs)):
                        for b, part in enumerate(_leaves_like(r[j], xs[j], where)):
                            _fill(blocks[k][j][b][e, :], part, ins[j][b], where)
            outs = tree.leaves(out)
            per_out = []
            for k, o in enumerate(outs):
                parts = tuple(tree.rebuild(xs[j], [tree.finish(blocks[k][j][b], o, ins[j][b]) for b in range(len(ins[j]))])
                              for j in range(len(xs)))
                per_out.append(parts[0] if len(names) == 1 else parts)
            return tree.rebuild(out, per_out)
        jac.__name__ = "jacobian_" + func.__name__
        return jac
    return _decorator_or_call(f, make)


__all__ = ["jvp", "value_and_jvp", "derivative", "hvp", "hessian", "jacobian", "forward_function"]
