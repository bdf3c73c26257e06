"""NumPy functions that take a function, as Python s2s can read: ``np.apply_along_axis(f, 1, X)`` in a
differentiated function becomes a call of ``apply_along_axis`` below, which the normalizer inlines with
``f`` (a lambda, a nested function or a function of the user's) like any function of the user's given a
function. NumPy's own is C-level iteration s2s cannot see into (it was refused: "a lambda passed as an
argument can only be differentiated when the callee is a Python function of yours").

Only the plain form is substituted: no extra ``*args``/``**kwargs`` for the function.
"""
import gast
import numpy as np

from . import astutil
from .coreform import runtime_name


def apply_along_axis(func1d, axis, arr):
    moved = np.moveaxis(arr, axis, -1)
    rows = np.reshape(moved, (-1, moved.shape[-1]))
    out = []
    for i in range(rows.shape[0]):
        out.append(np.asarray(func1d(rows[i])))
    res = np.stack(out)
    res = np.reshape(res, moved.shape[:-1] + res.shape[1:])
    k = res.ndim - (moved.ndim - 1)   # the dimensions of one result: NumPy puts them where the axis was
    if k == 0:
        return res
    at = axis % arr.ndim
    return np.moveaxis(res, tuple(range(res.ndim - k, res.ndim)), tuple(range(at, at + k)))


EQUIVALENTS = {np.apply_along_axis: apply_along_axis}
for _f in EQUIVALENTS.values():
    _f.s2s_python_version = True   # inlined with the function it is given, as a helper of the user's


def substitute(fn, ctx):
    """Calls of the NumPy functions above in ``fn`` with exactly their three arguments: calls of the Python
    versions here (in place)."""
    if ctx.globals is globals():
        return
    for n in astutil.walk_bfs(fn):
        if not isinstance(n, gast.Call) or not isinstance(n.func, (gast.Name, gast.Attribute)) \
                or len(n.args) + len(n.keywords) != 3 or any(isinstance(a, gast.Starred) for a in n.args):
            continue
        try:
            py = EQUIVALENTS.get(ctx.resolve(n.func))
        except Exception:   # noqa: BLE001 (unhashable, or a name s2s cannot resolve)
            continue
        if py is not None:
            n.func = gast.copy_location(runtime_name(py.__name__, py), n.func)
