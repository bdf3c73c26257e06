"""``backend="numba"``: the generated gradient, rewritten into what ``numba.njit`` compiles, and compiled.

``grad(f, backend="numba")`` returns a dispatcher. On the first call with an argument signature it takes
the Python gradient s2s generated for that signature (s2s/signature.py: floats are scalars, arrays have
a known ndim), rewrites it (s2s/backends/numba_rewrite.py), and compiles it with
``numba.njit(cache=False)`` for the arguments' numba types; later calls with the same types run the
compiled code. The rewriting:

- the list ``stack`` (``stack.append(t)`` in the forward sweep, ``t = stack.pop()`` in the backward
  one) becomes one typed tape per saved name: a preallocated array ``tape_t`` with a counter ``n_t``
  for numbers (sized by the loop's trip count ``len(r)`` for a ``for`` over a range, else a buffer
  that grows), a list for arrays and tuples. ``stack.append(shape_of(t))`` saves ``t`` itself (numba
  keeps a reference, not a copy);
- ``t = None`` before a loop becomes a typed zero (``0.0``, ``0``, ``False``, an empty array);
- ``for i in reversed(r)`` becomes ``for i in range(n - 1, -1, -1)`` (``r = range(n)``);
- the seed becomes a positional parameter (numba has no keyword-only ones; a small Python wrapper
  keeps the public signature);
- the helpers the code calls are compiled too: s2s's runtime helpers (``unbroadcast``, ``init_grad``,
  ``as_grad``...) through ``numba.extending.overload`` implementations for numbers and arrays
  (s2s/backends/numba_helpers.py), the generated halves of a user's helper (``helper_fwd``,
  ``helper_bwd``) rewritten by the same pass for the types they are called with, and the user's own
  functions with ``numba.njit``.

The types of the saved names come from numba itself: the rewritten function without its tapes is run
through numba's type inference first (no machine code). ``verbose=1`` and ``s2s.source(df, *args)``
print the Python that numba compiles. What numba cannot compile (a dict, a list of arrays, an object,
a call it does not know) is a DifferentiationError naming the user's line (the ``# file.py:line``
comment of the generated statement numba stopped at) and numba's reason: never a silent fall back.
Numba freezes the globals and closure variables the function reads when it compiles (an array in the
module is a constant once compiled; the Python backend reads them when it runs).
"""
import inspect
import types

import numpy as np

from .. import runtime, signature
from ..errors import DifferentiationError
from .numba_rewrite import Refusal, local, numba_error, refusal, translate, where_def

INSTALL = ('backend="numba" needs numba, which is not installed: pip install numba '
           '(or pip install "s2s[numba]"). s2s never falls back to another backend silently; '
           'call without backend= for the Python one.')


def numba_module():
    """numba, or the DifferentiationError saying how to install it."""
    try:
        import numba
    except ImportError:
        raise DifferentiationError(INSTALL) from None
    from .numba_helpers import register
    register()
    return numba


# ---------------------------------------------------------------- the public entry

def wrap(gen, primal, verbose=0):
    """The numba-compiled counterpart of the generated Python gradient ``gen`` (a signature dispatcher
    or a generated function) of the user's ``primal``. ``verbose``: print the code numba compiles (now
    for the primal's type hints ``x: float`` if they pin every parameter, else on each first call
    with new argument types)."""
    numba_module()
    if isinstance(gen, types.MethodType):
        raise DifferentiationError(where_def(primal) + 'backend="numba" compiles plain functions, not '
                                   'methods. Use backend="python" for this one.')
    for_args = getattr(gen, "s2s_for_args", None) or (lambda *a: gen)
    try:
        sig = inspect.signature(gen)
    except (TypeError, ValueError):
        sig = None
    params = [p for p in (sig.parameters.values() if sig else ())]
    if sig is None or any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        raise DifferentiationError(where_def(primal) + 'backend="numba" compiles functions with named '
                                   'parameters only (no *args or **kwargs). Use backend="python" for this one.')
    seed = gen.s2s_seed
    positional = [p.name for p in params if p.kind != p.KEYWORD_ONLY]
    table = {}
    fresh = {}

    def compiled_for(args):
        key = tuple(_key(a) for a in args)
        hit = table.get(key)
        if hit is None or not fresh[key]():   # compiled against a helper or global since rebound: compile again
            py = for_args(*args[:len(positional)])
            fresh[key] = signature.freshness(py)
            hit = table[key] = _compile(py, args, primal)
            if verbose:
                print(hit.s2s_source)
        return hit

    def call(*args, **kwargs):
        if kwargs or len(args) != len(positional):
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            args = tuple(bound.arguments[n] for n in positional) + (bound.arguments[seed],)
        else:
            args = args + (1.0,)
        if args[-1] is runtime.DEFAULT_SEED:
            args = args[:-1] + (1.0,)
        return compiled_for(args)(*args)

    call.__name__ = gen.__name__
    call.__qualname__ = gen.__name__
    call.__doc__ = gen.__doc__
    call.__signature__ = sig
    call.__wrapped__ = gen
    call.s2s_seed = seed
    call.s2s_primal = primal
    call.s2s_backend = "numba"

    def for_args_numba(*args):
        full = tuple(args) + tuple(p.default for p in params[len(args):] if p.kind != p.KEYWORD_ONLY)
        full = full + (1.0,)
        return compiled_for(full)

    call.s2s_for_args = for_args_numba
    call.source = lambda *args: for_args_numba(*args).s2s_source
    call.s2s_source = getattr(gen, "s2s_source", "")   # the generic Python code (s2s.source(df, *args): numba's)
    if verbose:   # the primal's type hints (x: float) pin the types: compile (and print) now
        hints = getattr(primal, "__annotations__", None) or {}
        if positional and all(hints.get(p) in (float, "float") for p in positional):
            call.source(*[1.0] * len(positional))
    return call


def _key(a):
    if type(a) is np.ndarray:
        return (np.ndarray, a.ndim, a.dtype, a.flags.c_contiguous)
    return type(a)


def _compile(py, args, primal):
    """The compiled function for the generated Python ``py`` called with ``args`` (seed last)."""
    numba = numba_module()
    from numba.core.errors import NumbaError
    argtypes = []
    names = [p for p in inspect.signature(py).parameters]
    for name, a in zip(names, args):
        try:
            argtypes.append(numba.typeof(a))
        except (ValueError, TypeError, NumbaError):
            raise DifferentiationError(
                where_def(primal) + f'backend="numba" cannot compile for the argument {name} (a '
                f'{type(a).__name__}): numba compiles numbers, NumPy arrays and tuples of them. '
                'Use backend="python" for this function.') from None
    argtypes = tuple(argtypes)
    for name, t in zip(names, argtypes):
        if isinstance(getattr(t, "dtype", t), numba.core.types.Complex):
            raise DifferentiationError(
                where_def(primal) + f"s2s differentiates real-valued code only, and the argument {name} is "
                f"complex ({t}). Pass the real and imaginary parts as two real arrays.")
    cache = py.__dict__.setdefault("s2s_numba", {})
    hit = cache.get(argtypes)
    if hit is not None:
        return hit
    local.error = None
    try:
        tr = translate(py, argtypes)
        disp = numba.njit(cache=False)(tr.function)
        disp.compile(argtypes)
    except Refusal as e:
        raise refusal(e, tr=None, py=py) from None
    except NumbaError as e:
        pending, local.error = getattr(local, "error", None), None
        if pending is not None:
            raise pending from None
        raise numba_error(e, py) from None
    disp.s2s_translation = tr
    disp.s2s_source = tr.source
    cache[argtypes] = disp
    return disp


