"""The public API (DESIGN.md section 1): every user-facing function that makes a derivative.

grad, value_and_grad, vjp (reverse mode), jvp, value_and_jvp, derivative
(forward mode), hvp (forward over reverse), autodiff (either), source.
Each turns its arguments into a ``compiler.Request`` and asks the driver
(s2s/compiler.py) for the generated function; ``hessian`` and ``jacobian``
(s2s/matrices.py) are built on these. A repeated call with the same
arguments is one dictionary lookup on ``f`` (the driver's cache, so it is
checked for staleness and cleared with it).
"""
import functools
import inspect
import os
import sys
import types

import numpy as np

from . import checkpointing, compiler, decorated, fncache, runtime, signature, star_wrt, tree, wrappers
from .errors import DifferentiationError, user_facing
from .sources import with_source
from ._typing import Function, Optional, Union, Wrt  # the public API's types (s2s ships py.typed)


def _print_source(fn):
    src = fn.s2s_source
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):   # https://no-color.org
        try:
            from pygments import highlight
            from pygments.formatters import TerminalFormatter
            from pygments.lexers import PythonLexer
            src = highlight(src, PythonLexer(), TerminalFormatter())
        except ImportError:
            pass
    print(src)


def _decorator_or_call(f, make):
    """Support both ``grad(f, ...)`` and ``@grad(...)``."""
    if f is None:
        return make
    return make(f)


def _partial_wrt(f, wrt):
    """``wrt`` of the partial ``f`` as names of the function it wraps (its own signature: the parameters
    left after the bound ones), the same shape as ``wrt``: one name, or a list."""
    names = compiler.wrt_names(f, wrt)
    return list(names) if isinstance(wrt, (list, tuple)) else names[0]


def _with_bound(gen, f, tangents=None):
    """``gen``, the generated function of ``f.func``, called as the partial ``f`` is: with f's bound
    arguments first and its keywords. ``tangents`` (forward mode): their names; the trailing positional
    arguments beyond the partial's required ones are the tangents, as ``tangents_last`` says."""
    bound, keywords = f.args, f.keywords
    if tangents:
        sig = inspect.signature(f).parameters.values()
        params = [p for p in sig if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        varargs = any(p.kind == p.VAR_POSITIONAL for p in sig)
        names = tuple(tangents)

    @functools.wraps(gen)
    def with_bound(*args, **kwargs):
        if tangents:
            args, kwargs = _split_tangents(gen, params, varargs, names, args, dict(kwargs))
        return gen(*bound, *args, **{**keywords, **kwargs})
    for name in ("s2s_primal", "s2s_generated", "s2s_dispatcher", "s2s_for_args"):
        with_bound.__dict__.pop(name, None)   # not itself generated code: grad of it reads no source
    with_bound.__name__ = getattr(gen, "__name__", "gradient")
    return with_bound


def _build(f, wrt, value, optimized, verbose, has_aux=False, checkpoints=None, memory=None):
    """The generated function for ``f`` (cached on f itself: a cached grad(f) is one dict lookup).
    A ``functools.partial``: the generated function of the function it wraps, called with its bound
    arguments (``wrt`` counts the partial's own parameters, as ``f(w)`` for ``partial(loss, X=X)``)."""
    if wrappers.through(f) is not f:   # a decorator's wrapper that only calls the function it wraps
        return _build(wrappers.through(f), wrt, value, optimized, verbose, has_aux, checkpoints, memory)
    if isinstance(f, functools.partial):
        return _with_bound(_build(f.func, _partial_wrt(f, wrt), value, optimized, verbose, has_aux, checkpoints,
                                  memory), f)
    if decorated.transforms(f):   # a decorator changing what f computes: its wrapper, per call shape
        return decorated.reverse(f, wrt, lambda g, names: _build(g, names, value, optimized, verbose, has_aux,
                                                                 checkpoints, memory))
    if isinstance(f, types.FunctionType) and star_wrt.needed(f, wrt):   # def f(*ps), wrt=[0, 1]: per count
        return star_wrt.reverse(f, wrt, lambda g, names: _build(g, names, value, optimized, verbose, has_aux,
                                                                checkpoints, memory))
    if compiler.callable_object(f):   # not cached on the user's object (its __call__ is, by the driver)
        return _build_uncached(f, wrt, value, optimized, verbose, has_aux, checkpoints, memory)
    key = ("api", tuple(wrt) if isinstance(wrt, list) else wrt, value, optimized, has_aux, checkpoints, memory)
    try:
        hit = fncache.get(f, key)
    except TypeError:   # unhashable wrt
        key, hit = None, None
    if hit is not None:
        if verbose:
            _print_source(hit)
        return hit
    gen = _build_uncached(f, wrt, value, optimized, verbose, has_aux, checkpoints, memory)
    if key is not None:
        fncache.put(f, key, gen)   # bound methods are not cached here (their function is, below)
    return gen


def _build_uncached(f, wrt, value, optimized, verbose, has_aux=False, checkpoints=None, memory=None):
    func, self_ = compiler.bind_method(f)
    names = compiler.wrt_names(f, wrt)  # for a bound method: the parameters after self
    gen = None
    if self_ is None and not has_aux and getattr(func, "s2s_primal", None) is not None:  # grad of a generated gradient
        def forward_over_reverse(sig=()):   # (no code per signature: the reverse sweep it goes over has its own)
            return compiler.grad_of_gradient(func, names, value=value, optimized=optimized)
        if forward_over_reverse() is not None:   # behind a dispatcher: made again when f's callees change
            gen = _specializing(func, forward_over_reverse)
    if gen is None:
        self_type = type(self_) if self_ is not None else None

        def make(sig=()):
            return compiler.reverse_function(func, names, value=value, optimized=optimized, self_type=self_type,
                                             has_aux=has_aux, checkpoints=checkpoints, memory=memory, sig=sig)
        gen = _specializing(func, make)
    if verbose:
        _print_source(signature.for_hints(gen))
    if self_ is not None:
        return types.MethodType(gen, self_)
    return gen


def _specializing(func, make, records_only=False, tangents=()):
    """The generic function ``make()`` behind a dispatcher that runs ``make(sig)`` for each argument
    signature (s2s/signature.py); the generic function itself when no argument can be pinned. Forward
    mode (``records_only``) pins only the classes of records with properties or methods."""
    params, named = signature.positional_params(func), signature.named_params(func)

    def generic_code():
        try:
            return make()
        except DifferentiationError as e:
            if not (getattr(e, "needs_class", False) and named):
                raise
            return _refusing(func, e, tangents)   # model.forward(X), model an argument: code per class

    generic = generic_code()
    with fncache.lock:   # one dispatcher per generic function: grad(f) is grad(f)
        gen = generic.__dict__.get("s2s_dispatcher")
        if gen is None:
            gen = generic.s2s_dispatcher = signature.dispatcher(generic, params, make, records_only, generic_code,
                                                                named, func)
    return gen


def _refusing(func, error, tangents=()):
    """The generic function of ``func`` when only code that knows the class of an argument can be made (a
    method called on a parameter, s2s/typed_params.py): it raises ``error``, the refusal, when called with
    arguments that do not pin the class (the dispatcher calls the specialized code otherwise)."""
    def refused(*args, **kwargs):
        raise error.with_traceback(None)
    refused.s2s_primal = func
    refused.s2s_refused = True
    refused.s2s_tangents = list(tangents)
    refused.s2s_seed = "dresult"   # (grad's: each signature's code names its own, the dispatcher maps this one)
    refused.s2s_source = f"# s2s: no generic code for {getattr(func, '__name__', func)}:\n# {error}"
    return refused


BACKENDS = ("python", "numba", "jax")


def _check_backend(backend):
    if backend == "python":
        return
    if backend == "numba":   # s2s/backends/numba.py; without numba installed: how to install it
        from .backends import numba as numba_backend
        numba_backend.numba_module()
        return
    if backend == "jax":   # s2s/backends/jax.py; without jax installed: how to install it
        from .backends import jax as jax_backend
        jax_backend.jax_module()
        return
    raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, got {backend!r}")


def _on_backend(backend, fn, verbose, build):
    """``build(verbose)``, the generated Python function, compiled by ``backend`` (s2s/backends/)."""
    if backend == "python":
        return build(verbose)
    if backend == "jax":
        from .backends import jax as jax_backend
        return jax_backend.wrap(build(0), fn, verbose)
    from .backends import numba as numba_backend
    return numba_backend.wrap(build(0), fn, verbose)


@user_facing
def grad(f: Optional[Function] = None, wrt: Wrt = 0, *, has_aux: bool = False, optimized: bool = True,
         verbose: int = 0, backend: str = "python", checkpoints: Union[int, str, None] = None,
         memory: Union[int, str, None] = None, source: Optional[str] = None) -> Function:
    """The gradient of ``f`` with respect to the parameter(s) ``wrt``, as generated source.

    The result takes f's arguments exactly as f does, plus an optional
    keyword-only seed (the gradient of f's output, named as the printed
    source shows, default 1.0), and returns the gradient (a tuple for
    several ``wrt``). ``has_aux=True``: f returns ``(output, aux)`` and the
    result returns ``(gradient, aux)``, with no gradient through aux.

    ``checkpoints``: None (loops store every iteration), an int (loops keep
    at most that many snapshots of their state and recompute the rest:
    binomial checkpointing) or ``"auto"`` (checkpoint the loops that would
    store more than ``memory`` bytes, default 1 GiB; ``memory`` may be
    written ``"512MB"``). See s2s/checkpointing.py.

    ``source``: the text of f's ``def``, for functions whose source ``inspect``
    cannot find (``exec``, the plain REPL); see also ``@s2s.function``.

    Examples:
        >>> import s2s
        >>> def f(x, y):
        ...     return x * x * y
        >>> s2s.grad(f)(3.0, 2.0)                  # d f / d x = 2 x y
        12.0
        >>> s2s.grad(f, wrt=(0, 1))(3.0, 2.0)      # (d f / d x, d f / d y)
        (12.0, 9.0)
        >>> s2s.grad(f, wrt="y")(x=3.0, y=2.0)     # by name, keyword call
        9.0
        >>> @s2s.grad(wrt=1)                       # decorator form
        ... def df_dy(x, y):
        ...     return x * y
        >>> df_dy(3.0, 2.0)
        3.0
    """
    _check_backend(backend)
    checkpointing.check_option(checkpoints, memory)
    return _decorator_or_call(f, lambda fn: _on_backend(backend, fn, verbose, lambda v: _build(
        with_source(fn, source), wrt, False, optimized, v, has_aux, checkpoints, memory)))


@user_facing
def value_and_grad(f: Optional[Function] = None, wrt: Wrt = 0, *, has_aux: bool = False, optimized: bool = True,
                   verbose: int = 0, backend: str = "python", checkpoints: Union[int, str, None] = None,
                   memory: Union[int, str, None] = None, source: Optional[str] = None) -> Function:
    """Like ``grad`` but the function returns ``(f(...), gradient)``.

    With ``has_aux=True`` it returns ``((value, aux), gradient)``.

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     return x ** 3
        >>> s2s.value_and_grad(f)(2.0)
        (8.0, 12.0)
    """
    _check_backend(backend)
    checkpointing.check_option(checkpoints, memory)
    return _decorator_or_call(f, lambda fn: _on_backend(backend, fn, verbose, lambda v: _build(
        with_source(fn, source), wrt, True, optimized, v, has_aux, checkpoints, memory)))


def _scale(g, s):
    """The gradient ``g`` (any container of numbers and arrays) times the scalar ``s``."""
    if isinstance(g, dict):
        return tree.dict_like(g, [(k, _scale(v, s)) for k, v in g.items()])
    if isinstance(g, tuple) and hasattr(g, "_fields"):
        return type(g)(*(_scale(v, s) for v in g))
    if isinstance(g, (list, tuple)):
        return type(g)(_scale(v, s) for v in g)
    return g * s if not isinstance(g, float) else float(g * s)


_RERUN = "the pullback of s2s.vjp runs it again for a seed that is not a scalar"


@user_facing
def vjp(f=None, wrt=0, *, optimized=True, verbose=0):
    """``vjp(f, wrt)(*args)`` returns ``(value, pullback)``; ``pullback(seed)`` the gradient(s).

    The gradient is bare for one ``wrt`` and a tuple for several, as for
    ``grad``; the seed has the output's structure (a scalar on an array
    output means ones, as for ``grad``). ``vjp(f)(*args)`` runs the
    generated ``value_and_grad`` once (f's code runs once); the gradient is
    linear in the seed, so a pullback with a scalar seed scales that
    gradient, and only an array or container seed runs the generated
    gradient again.

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> def f(x):
        ...     return x ** 2
        >>> value, pullback = s2s.vjp(f)(np.array([1.0, 3.0]))
        >>> print(value, pullback(np.array([1.0, 0.5])))   # seed . J = seed * 2x
        [1. 9.] [2. 3.]
    """
    def make(fn):
        gen = _build(fn, wrt, True, optimized, verbose)
        seed_name = getattr(gen, "s2s_seed", None)   # (over *args: per count, s2s/star_wrt.py)
        label = getattr(fn, "__name__", "f").replace("<lambda>", "lambda")

        def primal_and_pullback(*args, **kwargs):
            try:
                value, g1 = gen(*args, **kwargs)
            except runtime.ContainerSeedError:   # a tuple output: the pullback needs the tuple seed
                signature.check_reiterable(list(args) + list(kwargs.values()), label, _RERUN)
                value, g1 = fn(*args, **kwargs), None

            def pullback(seed):
                if g1 is None or isinstance(seed, (tuple, list, dict)) or np.ndim(seed) > 0:
                    signature.check_reiterable(list(args) + list(kwargs.values()), label, _RERUN)
                    return gen(*args, **kwargs, **{seed_name or gen.s2s_seed_for(*args, **kwargs): seed})[1]
                return _scale(g1, seed)
            pullback.__name__ = "pullback_" + label
            return value, pullback
        primal_and_pullback.__name__ = "vjp_" + label
        primal_and_pullback.s2s_gradient = gen
        return primal_and_pullback
    return _decorator_or_call(f, make)


@user_facing
def autodiff(f: Optional[Function] = None, wrt: Wrt = 0, mode: str = "reverse", optimized: bool = True,
             verbose: int = 0) -> Function:
    """The general entry: ``mode="reverse"`` (as ``grad``) or ``"forward"`` (as ``jvp``).

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     return x ** 3
        >>> s2s.autodiff(f)(2.0)                            # reverse mode: the gradient
        12.0
        >>> s2s.autodiff(f, mode="forward")(2.0, 0.5)       # forward mode: f'(x) * 0.5
        6.0
    """
    if mode == "reverse":
        return grad(f, wrt, optimized=optimized, verbose=verbose)
    if mode == "forward":
        return jvp(f, wrt, optimized=optimized, verbose=verbose)
    raise ValueError(f"mode must be 'reverse' or 'forward', got {mode!r}")


def source(fn: Function, *args) -> str:
    """The generated source of a function made by s2s; with ``args``, of the code a call with those
    positional arguments runs (``grad`` generates code per argument signature: a Python float
    argument is known to be a scalar; see s2s/signature.py).

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     return x ** 3
        >>> print(s2s.source(s2s.grad(f)).splitlines()[0])
        def df_dx(x, ...dresult=1.0):
        >>> print(s2s.source(s2s.grad(f), 2.0).splitlines()[0])
        def df_dx(x, ...dresult=1.0):
    """
    self_ = getattr(fn, "__self__", None) if hasattr(fn, "__func__") else None
    fn = getattr(fn, "__func__", fn)
    if args and getattr(fn, "s2s_for_args", None) is not None:
        return fn.s2s_for_args(*(((self_,) if self_ is not None else ()) + args)).s2s_source
    try:
        return fn.s2s_source
    except AttributeError:
        raise ValueError(f"{fn!r} was not generated by s2s") from None

# ---------------------------------------------------------------- forward mode

def _names(f, wrt):
    f = wrappers.through(f)
    func, self_ = compiler.bind_method(f)
    return func, self_, compiler.wrt_names(f if self_ is not None else func, wrt)


def _self_type(self_):
    return type(self_) if self_ is not None else None


def _forward(f, wrt, key, verbose, make):
    """``make(func, names, self_type)``, the generated function for f, bound to self for a method and
    called with the tangents last (``tangents_last``); cached on f under ``key`` (the API's own
    arguments), so a repeated call is one lookup."""
    if wrappers.through(f) is not f:   # a decorator's wrapper that only calls the function it wraps
        return _forward(wrappers.through(f), wrt, key, verbose, make)
    if isinstance(f, functools.partial):   # the generated function of what it wraps, with the bound arguments
        func, self_ = compiler.bind_method(f.func)
        names = compiler.wrt_names(f.func, _partial_wrt(f, wrt))
        gen = _specializing(func, lambda sig=(): make(func, names, _self_type(self_), sig), records_only=True,
                            tangents=["d" + n for n in names])   # the bound arguments pinned as any others
        hit = _with_bound(types.MethodType(gen, self_) if self_ is not None else gen, f, gen.s2s_tangents)
        if verbose:
            _print_source(hit)
        return hit
    if decorated.transforms(f):   # a decorator changing what f computes: its wrapper, per call shape
        return decorated.forward(f, wrt, lambda g, names: _forward(g, names, key, verbose, make))
    if isinstance(f, types.FunctionType) and star_wrt.needed(f, wrt):   # def f(*ps), wrt=[0, 1]: per count
        return star_wrt.forward(f, wrt, lambda g, names: _forward(g, names, key, verbose, make))
    is_hvp = key[0] == "hvp"
    key = (key, tuple(wrt) if isinstance(wrt, list) else wrt)
    if compiler.callable_object(f):
        key = None   # not cached on the user's object (its __call__ is, by the driver)
    try:
        hit = fncache.get(f, key) if key is not None else None
    except TypeError:   # unhashable wrt
        key, hit = None, None
    if hit is None:
        func, self_, names = _names(f, wrt)
        # a list's tangent is a list (forward_calls); hvp's result is a gradient (a list too), over the gradient
        # made for the arguments' signature as grad's (y[0] of a 1-D y a number: refusals.check_views_written)
        pins = False if is_hvp else "sequences"
        gen = _specializing(func, lambda sig=(): make(func, names, _self_type(self_), sig), records_only=pins,
                            tangents=["d" + n for n in names])
        hit = tangents_last(types.MethodType(gen, self_) if self_ is not None else gen, f, gen.s2s_tangents)
        if key is not None:
            fncache.put(f, key, hit)   # bound methods are not cached here (their function is, by the driver)
    if verbose:
        _print_source(hit)
    return hit


def _user_positionals(gen):
    """The positional parameter names of the user's function a generated one was made from (a gradient
    takes exactly these, its seed is keyword-only), or None."""
    user = getattr(gen, "s2s_primal", None)
    try:
        return [p.name for p in inspect.signature(user).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)] if user is not None else None
    except (TypeError, ValueError):
        return None


def tangents_last(gen, primal, tangents):
    """``gen`` called as DESIGN.md section 1 says: the tangents are the *last* positional arguments.

    The generated function takes ``(params..., tangents...)``; when the primal has parameters with
    defaults (``def loss(w, lam=0.1)``), ``jvp(loss)(w, v)`` would bind v to ``lam``. The rule:
    when a call passes at least (the primal's required positional parameters + the number of
    tangents) positional arguments, the trailing ones are the tangents; with fewer, no tangent is
    passed positionally (each is 1.0 unless given by name) and the arguments are the primal's.
    So ``jvp(loss)(w, v)`` and ``jvp(loss)(w, 0.2, v)`` (lam=0.2) both take v as the tangent.
    The primal's arguments may be given by name, as the primal takes them: a positional argument
    then only binds the parameters before the first one given by name, so ``jvp(f, wrt="w")(v, w=w,
    X=X)`` takes v as the tangent (``_split_tangents``).
    """
    try:
        params = [p for p in inspect.signature(primal).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        varargs = any(p.kind == p.VAR_POSITIONAL for p in inspect.signature(primal).parameters.values())
    except (TypeError, ValueError):
        return gen
    if getattr(primal, "s2s_generated", False) and [p.name for p in params] != _user_positionals(primal):
        return gen   # generated code's own defaulted parameters (a jvp's tangents) are passed positionally
    try:
        gparams = inspect.signature(gen).parameters
    except (TypeError, ValueError):
        return gen
    keyword_only = any(t in gparams and gparams[t].kind == inspect.Parameter.KEYWORD_ONLY for t in tangents)
    plain = not varargs and not keyword_only and not any(p.default is not p.empty for p in params)
    names = tuple(tangents)

    @functools.wraps(gen)
    def tangents_last_(*args, **kwargs):
        if plain and not kwargs:   # a plain signature reads the trailing tangents right
            return gen(*args)
        args, kwargs = _split_tangents(gen, params, varargs, names, args, kwargs)
        return gen(*args, **kwargs)
    tangents_last_.__dict__.pop("s2s_generated", None)   # the wrapper is not generated code (grad of it is refused)

    def moved(args, kwargs):   # what gen is called with (pullback._unwrap: a call that moves none is gen's own)
        return (tuple(args), kwargs) if plain and not kwargs else _split_tangents(gen, params, varargs, names,
                                                                                 tuple(args), dict(kwargs))
    tangents_last_.s2s_moves_tangents = moved
    return tangents_last_


def _split_tangents(gen, params, varargs, names, args, kwargs):
    """``(args, kwargs)`` of a call of a forward-mode function taking the primal's positional ``params``
    (``varargs``: and ``*args``) then the tangents ``names``, with the trailing positional arguments moved
    to the tangents' names as ``tangents_last`` says. A positional argument binds the parameters before
    the first one given by name: once those that are required are given, the rest are the tangents."""
    n, label = len(names), getattr(gen, "__name__", "jvp")
    first_named = next((i for i, p in enumerate(params) if p.name in kwargs), None)
    bindable = params if first_named is None else params[:first_named]
    required = sum(1 for p in bindable if p.default is p.empty)
    if first_named is not None and len(args) > len(bindable) + n or first_named is None and not varargs \
            and len(args) > len(params) + n:   # as Python says it, with the tangents counted
        named = f" ({params[first_named].name} is given by name)" if first_named is not None else ""
        raise TypeError(f"{label}() takes from {required} to {len(bindable) + n} positional arguments but "
                        f"{len(args)} were given{named}: the primal's arguments come first, positional or by "
                        f"name, then the tangents ({', '.join(names)}), last positional or by name")
    if len(args) >= required + n and n:
        for name, t in zip(names, args[len(args) - n:]):
            if name in kwargs:
                raise TypeError(f"{label}() got multiple values for the tangent {name}")
            kwargs[name] = t
        args = args[:len(args) - n]
    if first_named is not None and len(args) > len(bindable):
        raise TypeError(f"{label}() got {len(args)} positional arguments with {params[first_named].name} given by "
                        f"name: pass every tangent ({', '.join(names)}) positionally after the primal's "
                        "positional arguments, or by name")
    return args, kwargs


@user_facing
def jvp(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True, verbose: int = 0) -> Function:
    """Forward mode: ``jvp(f)(x, v)`` is J(x)·v, as generated source.

    The result takes f's arguments followed by one tangent per ``wrt``
    argument (default 1.0) and returns the output's tangent. The tangents
    are the *last* positional arguments: once a call gives f's required
    positional arguments plus one per tangent, the trailing ones are the
    tangents, so ``jvp(f)(w, v)`` for ``def f(w, lam=0.1)`` takes v as the
    tangent (lam keeps its default; ``jvp(f)(w, 0.2, v)`` sets it).

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> def f(x):
        ...     return x ** 3
        >>> s2s.jvp(f)(2.0, 0.5)                     # J(x) v = 3 x**2 * v
        6.0
        >>> def g(x, y):
        ...     return x * y
        >>> s2s.jvp(g, wrt=(0, 1))(2.0, 3.0, 1.0, 1.0)   # tangents for x and y
        5.0
    """
    return _decorator_or_call(f, lambda fn: _forward(fn, wrt, ("jvp", optimized), verbose,
                              lambda func, names, st, sig=():
                              compiler.forward_function(func, names, optimized=optimized, self_type=st, sig=sig)))


@user_facing
def value_and_jvp(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True,
                  verbose: int = 0) -> Function:
    """Like ``jvp`` but the function returns ``(f(...), J·v)``.

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     return x ** 3
        >>> s2s.value_and_jvp(f)(2.0, 1.0)
        (8.0, 12.0)
    """
    return _decorator_or_call(f, lambda fn: _forward(fn, wrt, ("value_and_jvp", optimized), verbose,
                              lambda func, names, st, sig=(): compiler.forward_function(
                                  func, names, value=True, optimized=optimized, self_type=st, sig=sig)))


@user_facing
def derivative(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True,
               verbose: int = 0) -> Function:
    """Forward mode with tangent 1.0: ``derivative(f)(x)`` is f'(x) for scalar x.

    Examples:
        >>> import s2s
        >>> def f(t):
        ...     return t ** 3
        >>> s2s.derivative(f)(2.0)
        12.0
    """
    return jvp(f, wrt, optimized=optimized, verbose=verbose)


@user_facing
def hvp(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True, verbose: int = 0) -> Function:
    """``hvp(f)(x, v)`` is H(x)·v for scalar f: forward mode over reverse, both generated as source.

    The tangent comes last, as for ``jvp``: ``hvp(f)(x, *rest, v)``, and for
    ``def loss(w, lam=0.1)``, ``hvp(loss)(w, v)`` takes v as the tangent.

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> def f(x):
        ...     return np.sum(x ** 3)
        >>> print(s2s.hvp(f)(np.array([1.0, 2.0]), np.array([1.0, 1.0])))   # H = diag(6 x)
        [ 6. 12.]
    """
    return _decorator_or_call(f, lambda fn: _forward(fn, wrt, ("hvp", optimized), verbose,
                              lambda func, names, st, sig=(): compiler.hvp_function(func, names, optimized, st, sig)))


__all__ = ["grad", "value_and_grad", "vjp", "jvp", "value_and_jvp", "derivative", "hvp", "autodiff", "source",
           "DifferentiationError"]
