"""The public API (DESIGN.md section 1): grad, value_and_grad, autodiff, ..."""
import functools
import os
import sys
import types

from . import checkpointing, compiler
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


_front = {}   # (f, wrt, value, optimized) -> generated function: a cached grad(f) is one dict lookup


def _build(f, wrt, value, optimized, verbose, checkpoints=None, memory=None):
    try:
        key = (f, wrt if not isinstance(wrt, list) else tuple(wrt), value, optimized, checkpoints, memory)
        hit = _front.get(key)
    except TypeError:   # unhashable wrt or f
        key, hit = None, None
    if hit is not None and not isinstance(f, types.MethodType):
        if verbose:
            _print_source(hit)
        return hit
    gen = _build_uncached(f, wrt, value, optimized, verbose, checkpoints, memory)
    if key is not None and not isinstance(f, types.MethodType) and len(_front) < 10000:
        _front[key] = gen
    return gen


def _build_uncached(f, wrt, value, optimized, verbose, checkpoints=None, memory=None):
    func, self_ = compiler.bind_method(f)
    names = compiler.wrt_names(f, wrt)  # for a bound method: the parameters after self
    gen = None
    if self_ is None and getattr(func, "s2s_primal", None) is not None:  # grad of a generated gradient
        from . import forward_api
        gen = forward_api.grad_of_gradient(func, names, value=value, optimized=optimized)
    if gen is None:
        gen = compiler.reverse_function(func, names, value=value, optimized=optimized,
                                        self_type=type(self_) if self_ is not None else None,
                                        checkpoints=checkpoints, memory=memory)
    if verbose:
        _print_source(gen)
    if self_ is not None:
        return types.MethodType(gen, self_)
    return gen


@user_facing
def grad(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True, verbose: int = 0,
         checkpoints: Union[int, str, None] = None, memory: Union[int, str, None] = None,
         source: Optional[str] = None) -> Function:
    """The gradient of ``f`` with respect to the parameter(s) ``wrt``, as generated source.

    The result takes f's arguments plus an optional trailing seed (the
    gradient of f's output, default 1.0) and returns the gradient (a tuple
    for several ``wrt``).

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
    checkpointing.check_option(checkpoints, memory)
    return _decorator_or_call(f, lambda fn: _build(with_source(fn, source), wrt, False, optimized, verbose,
                                                   checkpoints, memory))


@user_facing
def value_and_grad(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True, verbose: int = 0,
                   checkpoints: Union[int, str, None] = None, memory: Union[int, str, None] = None,
                   source: Optional[str] = None) -> Function:
    """Like ``grad`` but the function returns ``(f(...), gradient)``.

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     return x ** 3
        >>> s2s.value_and_grad(f)(2.0)
        (8.0, 12.0)
    """
    checkpointing.check_option(checkpoints, memory)
    return _decorator_or_call(f, lambda fn: _build(with_source(fn, source), wrt, True, optimized, verbose,
                                                   checkpoints, memory))


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


__all__ = ["grad", "value_and_grad", "autodiff", "source", "DifferentiationError"]
