"""The public API (DESIGN.md section 1): grad, value_and_grad, autodiff, ..."""
import functools
import os
import sys
import types

import numpy as np

from . import checkpointing, compiler, fncache, runtime
from .errors import DifferentiationError, user_facing
from .explain import with_source
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


def _build(f, wrt, value, optimized, verbose, has_aux=False, checkpoints=None, memory=None):
    """The generated function for ``f`` (cached on f itself: a cached grad(f) is one dict lookup)."""
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
        from . import forward_api
        gen = forward_api.grad_of_gradient(func, names, value=value, optimized=optimized)
    if gen is None:
        gen = compiler.reverse_function(func, names, value=value, optimized=optimized,
                                        self_type=type(self_) if self_ is not None else None, has_aux=has_aux,
                                        checkpoints=checkpoints, memory=memory)
    if verbose:
        _print_source(gen)
    if self_ is not None:
        return types.MethodType(gen, self_)
    return gen


BACKENDS = ("python", "numba", "jax")


def _check_backend(backend):
    if backend == "python":
        return
    if backend in BACKENDS:
        raise DifferentiationError(
            f'backend="{backend}" is not built yet: s2s generates plain Python (backend="python") only. '
            "s2s never falls back to another backend silently; call without backend= for the Python one.")
    raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, got {backend!r}")


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
    return _decorator_or_call(f, lambda fn: _build(with_source(fn, source), wrt, False, optimized, verbose, has_aux,
                                                   checkpoints, memory))


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
    return _decorator_or_call(f, lambda fn: _build(with_source(fn, source), wrt, True, optimized, verbose, has_aux,
                                                   checkpoints, memory))


def _scale(g, s):
    """The gradient ``g`` (any container of numbers and arrays) times the scalar ``s``."""
    if isinstance(g, dict):
        return type(g)((k, _scale(v, s)) for k, v in g.items())
    if isinstance(g, tuple) and hasattr(g, "_fields"):
        return type(g)(*(_scale(v, s) for v in g))
    if isinstance(g, (list, tuple)):
        return type(g)(_scale(v, s) for v in g)
    return g * s if not isinstance(g, float) else float(g * s)


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
    """
    def make(fn):
        gen = _build(fn, wrt, True, optimized, verbose)
        seed_name = gen.s2s_seed
        label = getattr(fn, "__name__", "f").replace("<lambda>", "lambda")

        def primal_and_pullback(*args, **kwargs):
            try:
                value, g1 = gen(*args, **kwargs)
            except runtime.ContainerSeedError:   # a tuple output: the pullback needs the tuple seed
                value, g1 = fn(*args, **kwargs), None

            def pullback(seed):
                if g1 is None or isinstance(seed, (tuple, list, dict)) or np.ndim(seed) > 0:
                    return gen(*args, **kwargs, **{seed_name: seed})[1]
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
        from . import forward_api
        return forward_api.jvp(f, wrt, optimized=optimized, verbose=verbose)
    raise ValueError(f"mode must be 'reverse' or 'forward', got {mode!r}")


def source(fn: Function) -> str:
    """The generated source of a function made by s2s.

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     return x ** 3
        >>> print(s2s.source(s2s.grad(f)).splitlines()[0])
        def df_dx(x, ...dresult=1.0):
    """
    fn = getattr(fn, "__func__", fn)
    try:
        return fn.s2s_source
    except AttributeError:
        raise ValueError(f"{fn!r} was not generated by s2s") from None


__all__ = ["grad", "value_and_grad", "vjp", "autodiff", "source", "DifferentiationError"]
