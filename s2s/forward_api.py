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

from . import codegen, compiler, optimize
from .guards import deep_recursion
from .errors import DifferentiationError, user_facing
from .forward import Forward, prune_dead
from .normalize import _name, normalize
from .parse import parse_function

_cache = {}
_in_progress = {}


def _user_names(node):
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}


def _generated_self_type(fn):
    """The class of ``self`` a generated function of a method was compiled for (else None)."""
    if not getattr(fn, "s2s_generated", False):
        return None
    for cache in (compiler._cache, _cache):
        for key, value in list(cache.items()):
            if value is fn:
                return key[5] if cache is compiler._cache and len(key) > 5 else (key[-1] if cache is _cache else None)
    return None


@deep_recursion
def forward_function(fn, wrt, value=False, optimized=True, fixed=(), name=None, self_type=None):
    """The generated forward-mode function of ``fn`` for parameter names ``wrt`` (cached).

    It takes fn's arguments, then one tangent per ``wrt`` parameter (default
    1.0), and returns the output's tangent (``(value, tangent)`` with
    ``value=True``). ``fixed`` maps trailing parameters to constants that are
    bound inside instead of taken (used for the seed of a gradient in hvp).
    ``self_type``: the class of ``self`` when ``fn`` is a method.
    """
    fixed = tuple(fixed)
    if self_type is None:
        self_type = _generated_self_type(fn)
    key = (fn, tuple(wrt), "forward", value, optimized, fixed, name, self_type)
    hit = _cache.get(key)
    if hit is not None:
        return hit
    if key in _in_progress:  # recursion: call through the cache once it is filled
        fwd = _in_progress[key]
        trampoline = lambda *a, **k: _cache[key](*a, **k)  # noqa: E731
        trampoline.s2s_generated = True
        trampoline.s2s_target = lambda: _cache[key]
        trampoline.s2s_tangents = [fwd.dname(p) for p in wrt]
        trampoline.__name__ = "jvp_" + fn.__name__
        return trampoline
    ctx = parse_function(fn)
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
            ns.bound[n.id] = ctx.closure[n.id]   # a closure variable of the user's function

    # bind fixed trailing parameters as constants
    fixed_names = []
    for pname, pvalue in fixed:
        args = core.args.args
        if not args or args[-1].id != pname:
            raise ValueError(f"can only fix the last parameter, not {pname!r}")
        args.pop()
        if core.args.defaults:
            core.args.defaults = core.args.defaults[:-1]
        core.body.insert(0, gast.Assign(targets=[_name(pname, gast.Store())],
                                        value=gast.Constant(value=pvalue, kind=None), type_comment=None))
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
    _in_progress[key] = fwd
    try:
        body = fwd.transform()
    finally:
        del _in_progress[key]
    temps |= {fwd.tan[v] for v in fwd.tan if v in temps}   # tangents of temporaries are temporaries
    args = copy.deepcopy(core.args)
    if args.vararg is None:
        for tp in tparams:
            args.args.append(_name(tp, gast.Param()))
        args.defaults = list(args.defaults) + [gast.Constant(value=1.0, kind=None)] * len(tparams)
    else:  # h(a, *rest): the tangents can only be passed by keyword
        args.kwonlyargs += [_name(tp, gast.Param()) for tp in tparams]
        args.kw_defaults = list(args.kw_defaults) + [gast.Constant(value=1.0, kind=None)] * len(tparams)
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
    if fixed_names:
        defaults = defaults[:max(0, len(defaults) - len(fixed_names))]
    if core.args.vararg is None:
        gen.__defaults__ = defaults + (1.0,) * len(tparams)
        gen.__kwdefaults__ = fn.__kwdefaults__
    else:
        gen.__defaults__ = defaults or None
        gen.__kwdefaults__ = dict(fn.__kwdefaults__ or {}, **{tp: 1.0 for tp in tparams})
    gen.s2s_tangents = tparams
    gen.s2s_source = src
    gen.s2s_primal = fn
    gen.s2s_mode = "forward"
    _cache[key] = gen
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


@user_facing
def jvp(f=None, wrt=0, *, optimized=True, verbose=0):
    """Forward mode: ``jvp(f)(x, v)`` is J(x)·v, as generated source.

    The result takes f's arguments followed by one tangent per ``wrt``
    argument (default 1.0) and returns the output's tangent.
    """
    def make(fn):
        func, self_, names = _names(fn, wrt)
        return _bind(forward_function(func, names, optimized=optimized, self_type=_self_type(self_)), self_, verbose)
    return _decorator_or_call(f, make)


@user_facing
def value_and_jvp(f=None, wrt=0, *, optimized=True, verbose=0):
    """Like ``jvp`` but the function returns ``(f(...), J·v)``."""
    def make(fn):
        func, self_, names = _names(fn, wrt)
        return _bind(forward_function(func, names, value=True, optimized=optimized, self_type=_self_type(self_)),
                     self_, verbose)
    return _decorator_or_call(f, make)


@user_facing
def derivative(f=None, wrt=0, *, optimized=True, verbose=0):
    """Forward mode with tangent 1.0: ``derivative(f)(x)`` is f'(x) for scalar x."""
    return jvp(f, wrt, optimized=optimized, verbose=verbose)


def hvp_function(fn, names, optimized=True, self_type=None):
    """Forward mode over the generated gradient: (args..., v...) -> H·v (cached)."""
    g = compiler.reverse_function(fn, names, optimized=optimized, self_type=self_type)
    base = fn.__name__.replace("<lambda>", "lambda")
    return forward_function(g, names, optimized=optimized, fixed=((g.s2s_seed, 1.0),),
                            name="hvp_" + base + "_" + "_".join("d" + w for w in names), self_type=self_type)


def _reverse_origin(g):
    """(primal, wrt) if ``g`` is a plain generated reverse-mode gradient, else None."""
    for key, value in list(compiler._cache.items()):
        if value is g and key[2] == "reverse" and not key[3] and (len(key) < 6 or key[5] is None):
            return key[0], key[1]
    return None


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
    return forward_function(rev, tuple(inner), value=value, optimized=optimized, name=name)


@user_facing
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


@user_facing
def hessian(f=None, wrt=0, *, optimized=True, verbose=0):
    """The Hessian of scalar f, shape ``x.shape + x.shape``, built from generated HVPs.

    For several ``wrt`` arguments, returns the blocks as a tuple of tuples
    (``H[i][j]`` of shape ``xi.shape + xj.shape``).
    """
    def make(fn):
        func, self_, names = _names(fn, wrt)
        h = hvp_function(func, names, optimized, _self_type(self_))
        if verbose:
            _print_source(h)

        def hess(*args, **kwargs):
            ba = _bound_args(func, self_, args, kwargs)
            xs = [ba.arguments[n] for n in names]
            zeros = [0.0 if isinstance(x, (float, int)) else np.zeros(np.shape(x)) for x in xs]
            cols = [[] for _ in names]   # cols[j]: H·e for each element e of x_j
            for j, x in enumerate(xs):
                for e in _basis(x):
                    v = list(zeros)
                    v[j] = e
                    out = h(*ba.args, *v, **ba.kwargs)
                    cols[j].append(out if len(names) > 1 else (out,))
            blocks = tuple(tuple(_stack([c[i] for c in cols[j]], _shape(xs[j]), _shape(xs[i]))
                                 for j in range(len(names))) for i in range(len(names)))
            return blocks[0][0] if len(names) == 1 else blocks
        hess.__name__ = "hessian_" + func.__name__
        hess.s2s_hvp = h
        return hess
    return _decorator_or_call(f, make)


@user_facing
def jacobian(f=None, wrt=0, *, optimized=True, verbose=0, mode="auto"):
    """The Jacobian of f, shape ``out.shape + x.shape``.

    ``mode="auto"`` uses forward mode (one generated jvp per input element)
    when the ``wrt`` inputs have fewer elements than the output, reverse mode
    (one generated gradient per output element) otherwise. For several
    ``wrt`` arguments, returns a tuple of blocks, one per argument.
    """
    if mode not in ("auto", "forward", "reverse"):
        raise ValueError(f"mode must be 'auto', 'forward' or 'reverse', got {mode!r}")

    def make(fn):
        func, self_, names = _names(fn, wrt)
        state = {}

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
            n_in = sum(int(np.prod(_shape(x))) for x in xs)
            use = mode
            if use == "auto":
                out = func(*ba.args, **ba.kwargs)
                if isinstance(out, (tuple, list)):
                    raise TypeError("jacobian: f must return one number or array")
                use = "forward" if n_in < int(np.prod(_shape(out))) else "reverse"
            zeros = [0.0 if isinstance(x, (float, int)) else np.zeros(np.shape(x)) for x in xs]
            blocks = []
            if use == "forward":
                g = fwd()
                for j, x in enumerate(xs):
                    parts, out_shape = [], None
                    for e in _basis(x):
                        v = list(zeros)
                        v[j] = e
                        value, t = g(*ba.args, *v, **ba.kwargs)
                        out_shape = _shape(value)
                        parts.append(t)
                    blocks.append(_stack(parts, _shape(x), out_shape))
            else:
                g = rev()
                out = func(*ba.args, **ba.kwargs)
                rows = [[] for _ in names]
                for e in _basis(out):
                    r = g(*ba.args, e, **ba.kwargs)
                    r = r if len(names) > 1 else (r,)
                    for j in range(len(names)):
                        rows[j].append(np.asarray(r[j], dtype=float))
                for j, x in enumerate(xs):
                    # rows[j][k] has x's shape and belongs to output element k
                    if not _shape(out):
                        blocks.append(rows[j][0] if _shape(x) else float(rows[j][0]))
                    else:
                        arr = np.stack([r.reshape(-1) for r in rows[j]], axis=0)
                        blocks.append(arr.reshape(tuple(_shape(out)) + tuple(_shape(x))))
            return blocks[0] if len(names) == 1 else tuple(blocks)
        jac.__name__ = "jacobian_" + func.__name__
        return jac
    return _decorator_or_call(f, make)


__all__ = ["jvp", "value_and_jvp", "derivative", "hvp", "hessian", "jacobian", "forward_function"]
