"""Runtime helpers for writes that change what a value is: a float stored into an array of integers
(``cast_grad``), and dicts merged into a new one (``merged_grad``, ``merged_grad_back``,
``merged_tangent``: ``p | q``, ``{**p, "k": v, **q}``), beside s2s/runtime.py (which it imports). The generated
code calls them by name (s2s/backward.py, s2s/forward.py, templates/operators.py)."""
import collections.abc

from .runtime import GradDict, zero_grad, zeros_like


def merged_grad(g, part, later):
    """The gradient of ``part`` merged into a new dict (``part | q``) from ``g``, the result's: each key's
    gradient, zero where a later dict in the tuple ``later`` (or a tuple of keys: ``{**part, "k": v}``) wrote
    over the key. Anything but a dict (``a | b`` on ints, bools, sets) has no gradient through ``|``."""
    if not isinstance(part, collections.abc.Mapping):
        return zero_grad(part)
    hidden = set().union(*(set(m) for m in later if isinstance(m, (collections.abc.Mapping, tuple))))   # (keys)
    have = isinstance(g, collections.abc.Mapping)
    return GradDict((k, zeros_like(v) if k in hidden or not have or k not in g else g[k]) for k, v in part.items())


def merged_grad_back(dz, g, part, later):
    """The adjoint of ``merged_grad`` (linear in its gradient ``g``): ``dz`` at part's keys that no later entry
    wrote over, zero at g's other keys."""
    if not isinstance(g, collections.abc.Mapping):
        return zeros_like(g)
    hidden = set().union(*(set(m) for m in later if isinstance(m, (collections.abc.Mapping, tuple))))
    have = isinstance(dz, collections.abc.Mapping)
    return GradDict((k, dz[k] if have and k in part and k not in hidden and k in dz else zeros_like(v))
                    for k, v in g.items())


def merged_tangent(z, x, y, dx, dy):
    """The tangent of ``z = x | y``: for a dict, each key's tangent from the dict it came from (``y`` wins);
    zero for anything else (ints, bools, sets)."""
    if not isinstance(z, collections.abc.Mapping):
        return zeros_like(z)

    def pick(k):
        d = dy if k in y else dx
        return d[k] if isinstance(d, collections.abc.Mapping) and k in d else zeros_like(z[k])
    return GradDict((k, pick(k)) for k in z)


def cast_grad(g, arr):
    """The derivative of a value written into ``arr`` (``arr[i] = v``): ``g``, or zero when ``arr`` holds
    integers or bools (NumPy casts the value to them: its derivative through the write is zero)."""
    dtype = getattr(arr, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", "f") in "biu":
        return zeros_like(g)
    return g
