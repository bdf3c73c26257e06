"""The errors of a seed (or a tangent) that does not fit its value, located at the user's function
(``runtime.init_grad`` raises them; the jax backend's ``init_grad`` too)."""
import numpy as np

from .errors import DifferentiationError


class ContainerSeedError(DifferentiationError):
    """The default seed on a tuple (list, dict) output: see init_grad."""




def _primal_place(code):
    """('File "f.py", line 3, in loss\n', "loss") for the user's function whose generated gradient runs ``code``
    (through hvp and grad of grad: the first primal); ("", the generated function's name) when none is found."""
    import gc
    import types
    for g in gc.get_referrers(code):
        primal = getattr(g, "s2s_primal", None) if isinstance(g, types.FunctionType) else None
        while getattr(primal, "s2s_primal", None) is not None:   # hvp, grad of grad: the user's function
            primal = primal.s2s_primal
        pcode = getattr(primal, "__code__", None)
        if pcode is not None:
            return f'File "{pcode.co_filename}", line {pcode.co_firstlineno}, in {pcode.co_name}\n', pcode.co_name
    return "", code.co_name


def _seed_error(z, dz):
    """The error for a scalar seed on a container output, located at the user's function."""
    import sys
    frame = sys._getframe(2)   # the generated gradient (init_grad's caller)
    code = frame.f_code
    seed = code.co_varnames[code.co_argcount + code.co_kwonlyargcount - 1] + "=" if code.co_kwonlyargcount else ""
    where, name = _primal_place(code)
    n = len(z)
    example = f"({', '.join(['1.0'] + ['0.0'] * (n - 1))}{',' if n == 1 else ''})" if not isinstance(z, dict) \
        else "{key: 1.0, ...}"   # (1.0,): a tuple of one ((1.0) is the number)
    return ContainerSeedError(
        f"{where}{name} returns a {type(z).__name__} of {n} value{'s' if n != 1 else ''}, so its gradient needs to "
        f"know what to differentiate (s2s never sums the parts silently). Either pass a seed of the same structure by "
        f"keyword, e.g. {seed}{example}, or, when the function returns (output, aux), use "
        f"s2s.grad(f, has_aux=True): the gradient of output, with aux returned beside it and no gradient "
        f"through it.")


def _seed_shape_error(z, dz, got=None):
    """The error for a seed (or tangent) array whose shape (or structure: ``got``) is not its value's,
    naming the user's function."""
    import sys
    frame = sys._getframe(1)
    while frame.f_code.co_name in ("init_grad", "_seed_shape_error", "_array_seed"):
        frame = frame.f_back
    code, names = frame.f_code, frame.f_code.co_varnames[:frame.f_code.co_argcount + frame.f_code.co_kwonlyargcount]
    param = next((n for n in names if frame.f_locals.get(n) is dz), None)
    arg = next((n for n in names if frame.f_locals.get(n) is z), None)
    where, name = _primal_place(code)
    if got is not None:   # a container where the value is not one, or another container
        def kind(v):
            return f"an array of shape {np.shape(v)}" if hasattr(v, "shape") and np.ndim(v) else \
                "a number" if isinstance(v, (float, int, np.generic, np.ndarray)) else \
                f"a {type(v).__name__}" + (f" of {len(v)}" if isinstance(v, (list, tuple)) else "") \
                + (f" with keys {sorted(map(str, v))}" if isinstance(v, dict) else "")
        what = f"the tangent {param or ''} of argument `{arg}`" if arg is not None else \
            f"the seed {param + '=' if param else ''} (the gradient of {name}'s output)"
        return DifferentiationError(
            f"{where}{what.replace('  ', ' ')} is {kind(dz)}, but {f'`{arg}`' if arg is not None else 'the output'} is "
            f"{kind(z)}: a seed or tangent has the structure of its value (as jax.jvp and jax.vjp require). "
            "Give it the same containers, keys and array shapes (np.asarray(v) for a list of numbers), or a scalar "
            "for one array (1.0 means ones of its shape).")
    shape = tuple(np.shape(z))
    if arg is not None:   # forward mode: a tangent of an argument
        what = f"the tangent {param or ''} of argument `{arg}`".replace("  ", " ")
        of = f"`{arg}` has shape {shape}"
    else:
        what = f"the seed {param + '=' if param else ''} (the gradient of {name}'s output)".replace("  ", " ")
        of = f"{name} returns {'a number' if not shape else f'an array of shape {shape}'}"
    return DifferentiationError(
        f"{where}{what} has shape {tuple(np.shape(dz))}, but {of}. Give it the shape {shape}, or a scalar (1.0 "
        f"means ones of that shape); s2s does not broadcast a seed or tangent.")
