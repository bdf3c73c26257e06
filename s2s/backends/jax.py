"""``backend="jax"``: the generated gradient, rewritten onto ``jax.numpy`` and run under ``jax.jit``.

``grad(f, backend="jax")`` returns a dispatcher. On the first call with an argument signature (the
types of the arguments, and the ndim and dtype of arrays, NumPy or jax) it takes the Python gradient
s2s generated for that signature (s2s/signature.py), rewrites it (s2s/backends/jax_rewrite.py: ``np.``
and ``math.`` calls on ``jnp.``, s2s's helpers on their jax versions in jax_helpers.py, the in-place
updates of the adjoint arrays s2s allocates as ``.at[...]`` updates) and wraps it in ``jax.jit``; jax
then compiles it once per argument shapes. The tape (``stack.append`` / ``stack.pop``) is plain Python
that runs while jax traces: a loop is unrolled into the compiled code (a long loop compiles slowly).

- Python ints, bools, None and strings are static (part of jax's compilation key: a loop bound
  ``range(n)`` is known while tracing); floats and arrays are traced. A seed left to its default is
  static too; a seed given is traced.
- float64: every call runs under ``jax.enable_x64(True)``, so float64 inputs stay float64 and the
  numbers are the NumPy primal's (float32 stays float32). The user's global jax configuration is left
  as it is.
- Results: a call with jax arrays among its arguments gets jax arrays back. A call with NumPy arrays and
  Python numbers only gets what the Python backend gives: writable NumPy arrays (a copy out of jax's
  buffer) and Python floats for 0-d results (np.float32 for float32 ones).
- What jax cannot trace is a DifferentiationError at the user's line (the ``# file.py:line`` comment of
  the generated statement jax stopped at): an ``if`` or ``while`` on a traced value, NumPy called on a
  traced array in a function of the user's, an in-place write into an array jax could not update
  the same way (jax_rewrite.py). Never a silent fall back to another backend.

``verbose=1`` and ``s2s.source(df, *args)`` print the code jax traces; ``df.s2s_trace_count()`` counts
the traces (a second call with the same shapes and static values does not trace again). As under
``jax.jit`` anywhere, what the code reads from its module (a global array, a rebound name) and what the
user's own functions it calls do (a print, a counter) happen while jax traces, not on every call.
"""
import inspect
import types

import numpy as np

from .. import runtime, signature
from ..errors import DifferentiationError
from .jax_helpers import ViewRead
from .jax_rewrite import HINT, Refusal, located, refusal, translate, where_def

INSTALL = ('backend="jax" needs jax, which is not installed: pip install jax '
           '(or pip install "s2s[jax]"). s2s never falls back to another backend silently; '
           'call without backend= for the Python one.')


def jax_module():
    """jax, or the DifferentiationError saying how to install it."""
    try:
        import jax
    except ImportError:
        raise DifferentiationError(INSTALL) from None
    return jax


class _DefaultSeed:
    """The static stand-in for runtime.DEFAULT_SEED (a float, which jax would compare by value)."""

    def __repr__(self):
        return "DEFAULT_SEED"


_DEFAULT = _DefaultSeed()
_STATIC = (int, bool, str, type(None))


# ---------------------------------------------------------------- the public entry

def wrap(gen, primal, verbose=0):
    """The jax counterpart of the generated Python gradient ``gen`` (a signature dispatcher or a
    generated function) of the user's ``primal``; ``verbose``: print the code jax traces on each first
    call with new argument types."""
    jax = jax_module()
    if isinstance(gen, types.MethodType):
        raise DifferentiationError(where_def(primal) + 'backend="jax" compiles plain functions, not methods. '
                                   'Use backend="python" for this one.')
    for_args = getattr(gen, "s2s_for_args", None) or (lambda *a: gen)
    try:
        sig = inspect.signature(gen)
    except (TypeError, ValueError):
        sig = None
    params = list(sig.parameters.values()) if sig else []
    if sig is None or any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        raise DifferentiationError(where_def(primal) + 'backend="jax" compiles functions with named parameters '
                                   'only (no *args or **kwargs). Use backend="python" for this one.')
    seed = gen.s2s_seed
    positional = [p.name for p in params if p.kind != p.KEYWORD_ONLY]
    table = {}
    fresh = {}
    counter = [0]

    def entry(args):
        key = tuple(map(_key, args))
        hit = table.get(key)
        if hit is None or not fresh[key]():   # traced against a helper or global since rebound: trace again
            py = for_args(*map(_stand_in, args[:-1]))
            fresh[key] = signature.freshness(py)
            hit = table[key] = _Entry(jax, py, args, primal, counter)
            if verbose:
                print(hit.s2s_source)
        return hit

    def call(*args, **kwargs):
        if kwargs or len(args) != len(positional):
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            args = tuple(bound.arguments[n] for n in positional) + (bound.arguments[seed],)
        else:
            args = args + (runtime.DEFAULT_SEED,)
        return entry(args).run(args)

    call.__name__ = gen.__name__
    call.__qualname__ = gen.__name__
    call.__doc__ = gen.__doc__
    call.__signature__ = sig
    call.__wrapped__ = gen
    call.s2s_seed = seed
    call.s2s_primal = primal
    call.s2s_backend = "jax"

    def for_args_jax(*args):
        full = tuple(args) + tuple(p.default for p in params[len(args):] if p.kind != p.KEYWORD_ONLY)
        return entry(full + (runtime.DEFAULT_SEED,))

    call.s2s_for_args = for_args_jax
    call.source = lambda *args: for_args_jax(*args).s2s_source
    call.s2s_source = getattr(gen, "s2s_source", "")   # the generic Python code (s2s.source(df, *args): jax's)
    call.s2s_trace_count = lambda: counter[0]
    if verbose:   # the primal's type hints (x: float) pin the types: print the code now
        hints = getattr(primal, "__annotations__", None) or {}
        if positional and all(hints.get(p) in (float, "float") for p in positional):
            call.source(*[1.0] * len(positional))
    return call


def _is_jax(a):
    return type(a).__module__.startswith("jax") and hasattr(a, "shape") and hasattr(a, "dtype")


def _key(a):
    if a is runtime.DEFAULT_SEED:   # static, unlike a seed given
        return "default"
    if type(a) is np.ndarray:
        return ("np", a.ndim, a.dtype)
    if _is_jax(a):
        return ("jax", a.ndim, a.dtype)
    if isinstance(a, (list, tuple, dict)):
        import jax
        return (type(a), any(_is_jax(x) for x in jax.tree_util.tree_leaves(a)))
    return type(a)


def _stand_in(a):
    """What the Python dispatcher chooses its code by: a NumPy array of a jax array's ndim and dtype."""
    if _is_jax(a):
        return np.zeros((1,) * a.ndim, dtype=a.dtype)
    return a


def _check_arg(name, a, primal):
    import jax
    for leaf in jax.tree_util.tree_leaves(a):
        if isinstance(leaf, (np.ndarray, np.generic, float, int, bool)) or _is_jax(leaf):
            if np.iscomplexobj(leaf):
                raise DifferentiationError(
                    where_def(primal) + f"s2s differentiates real-valued code only, and the argument {name} is "
                    "complex. Pass the real and imaginary parts as two real arrays.")
            continue
        raise DifferentiationError(
            where_def(primal) + f'backend="jax" runs functions of arrays, numbers and lists, tuples and dicts of '
            f'them; the argument {name} holds a {type(leaf).__name__}. Use backend="python" for this function.')


class _Entry:
    """The jitted jax code for one argument signature."""

    def __init__(self, jax, py, args, primal, counter):
        self.jax, self.primal, self.py = jax, primal, py
        try:
            fn, self.s2s_source = translate(py, top=True)
        except Refusal as e:
            raise DifferentiationError(refusal(e, py)) from None
        names = list(inspect.signature(fn).parameters)
        self.static = tuple(i for i, a in enumerate(args) if isinstance(a, _STATIC) or
                            (i == len(args) - 1 and a is runtime.DEFAULT_SEED))
        for i, (name, a) in enumerate(zip(names, args)):
            if i not in self.static and i < len(args) - 1:
                _check_arg(name, a, primal)
        self.numpy_out = not any(isinstance(k, tuple) and (k[0] == "jax" or k[1] is True) for k in map(_key, args))

        def traced(*a):
            counter[0] += 1
            if a[-1] is _DEFAULT:
                a = a[:-1] + (runtime.DEFAULT_SEED,)
            return fn(*a)
        traced.__name__ = fn.__name__
        self.jitted = jax.jit(traced, static_argnums=self.static)

    def run(self, args):
        if args[-1] is runtime.DEFAULT_SEED:
            args = args[:-1] + (_DEFAULT,)
        try:
            with self.jax.enable_x64(True):
                out = self.jitted(*args)
        except DifferentiationError:
            raise
        except Exception as e:   # noqa: BLE001 -- what jax cannot trace, at the user's line
            raise self._error(e) from None
        return self._numpy(out) if self.numpy_out else out

    def _numpy(self, out):
        def conv(x):
            if not _is_jax(x):
                return x
            if x.ndim == 0:
                return float(x) if x.dtype == np.float64 else np.asarray(x)[()]
            return np.array(x)
        return self.jax.tree_util.tree_map(conv, out)

    def _error(self, e):
        errors = self.jax.errors
        loc = located(e.__traceback__, self.py)
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if isinstance(e, errors.TracerArrayConversionError):
            why = ("NumPy (or something that converts to a NumPy array) is called on a traced jax array, "
                   "in a function this code calls. jax traces the user's functions as they are: write them "
                   "with numpy names s2s translates (np.* in the differentiated function), or")
        elif isinstance(e, (errors.ConcretizationTypeError, errors.TracerIntegerConversionError)):
            why = ("this depends on the value of a traced array (an `if` or `while` on it, or int()/float()/"
                   "range() of it), and jax.jit traces the function once for all values of the same shapes. "
                   "Write the branch with np.where(cond, a, b), pass the number that decides it as a Python "
                   "int (ints are static: one compilation per value), or")
        elif isinstance(e, ViewRead):
            why = str(e)
        else:
            why = f"jax stopped with {type(e).__name__}: {first[:300]}. Rewrite the line, or"
        return DifferentiationError(f'{loc}backend="jax" cannot run this: {why} use backend="python" for this '
                                    "function (s2s never falls back silently).")


__all__ = ["wrap", "jax_module", "INSTALL", "HINT"]
