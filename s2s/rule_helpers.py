"""Numerical helpers that the derivative rules' templates call, so that generated code calls them.

They are run-time code like s2s/runtime.py (the rules of templates/ declare derivatives and import
these; no s2s module imports a rule module): the gradient of a reduction spread back
(``grad_reduce``), the dtype policy (``like``, ``float_dtype``), the complex guards (``real_only``,
``real_sign``), a rule's run-time refusal (``refuse``), and the shape helpers of forward mode:
templates are filled in with ``0`` for the tangent of an inactive argument and then simplified, so
``d[x] * y + x * d[y]`` may come out as ``d[x] * y`` whose shape is x's broadcast with y's but not
necessarily the result's; ``tangent_like`` gives a tangent the shape of the primal result,
``fill_zeros`` turns the ``0`` placeholders of a list of gradients or tangents into zero arrays shaped
like the matching values.

Their own derivative rules are in templates/runtime_rules.py.
"""
import os

import numpy as np

from .errors import DifferentiationError
from .runtime import Shape, is_foreign, namespace, broadcast_like, complex_error, _float_dtype, _kind, _astype
from .runtime import GradList, copy_grad, _user_line   # (a function, not the module: exports copy its source)


def grad_reduce(g, x, axis=None, keepdims=False):
    """Spread the gradient of a reduction over ``axis`` back to the shape of x (x may be a runtime.Shape)."""
    if is_foreign(x) or type(x) is Shape and x.xp is not None or is_foreign(g):
        return _grad_reduce_ns(g, x, axis, keepdims)
    shape = tuple(x) if type(x) is Shape else np.shape(x)
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        g = np.expand_dims(g, tuple(a % len(shape) for a in axes))
    out = np.broadcast_to(g, shape)
    if not shape and (isinstance(x, (float, int)) or getattr(x, "number", False)):
        return float(out)
    dt = getattr(x, "dtype", None)
    if dt is not None and np.issubdtype(dt, np.floating) and out.dtype != dt:
        out = out.astype(dt)    # the gradient of a float32 array (or scalar) is float32 (a Python seed is float64)
    return out if shape else out[()]


def _grad_reduce_ns(g, x, axis, keepdims):
    """grad_reduce in a foreign array's namespace (Dask: lazily, with x's chunks)."""
    shape = tuple(x) if type(x) is Shape else tuple(x.shape)
    like_ = x if is_foreign(x) or type(x) is Shape else g
    gshape = tuple(g.shape) if is_foreign(g) else np.shape(g)
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        axes = sorted(a % len(shape) for a in axes)
        for a in axes:
            gshape = gshape[:a] + (1,) + gshape[a:]
    if is_foreign(g):
        g = namespace(g).reshape(g, gshape)
    elif np.shape(g) != gshape:
        g = np.reshape(g, gshape)
    g = g if gshape or is_foreign(g) else (float(g) if isinstance(g, (float, int)) else g)
    dt = _float_dtype(x)
    return broadcast_like(g, shape, like_, dt if _kind(getattr(x, "dtype", None)) == "f" else None)


def grad_reshape(g, x):
    """The gradient of a reshape of x, given back in x's shape (a float for a Python number)."""
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        return float(np.reshape(g, ()))
    if is_foreign(x) or is_foreign(g):
        return namespace(g, x).reshape(g, tuple(x.shape) if is_foreign(x) else np.shape(x))
    return np.reshape(g, np.shape(x))


def float_dtype(x):
    """x's dtype if it is a float one, else float64 (the dtype of x's gradient)."""
    dt = getattr(x, "dtype", None)
    if dt is not None and not isinstance(dt, np.dtype):
        return _float_dtype(x)   # a foreign array's own dtype object (array_api_strict.float32)
    return dt if dt is not None and dt.kind == "f" else np.dtype(np.float64)


def like(g, x):
    """``g`` in x's float dtype when x is a float array (float32 stays float32): the dtype policy.

    Element by element for a list or tuple of gradients of a list or tuple; a Python float
    gradient of an array becomes a 0-d array; placeholder zeros (the int 0) are left alone."""
    if type(g) is np.ndarray and type(x) is np.ndarray and g.dtype == x.dtype:
        return g   # the common case (matmul_grad_x/y of float arrays): nothing to cast
    dt = getattr(x, "dtype", None)
    if dt is None:
        if isinstance(x, (list, tuple)) and isinstance(g, (list, tuple)) and len(g) == len(x):
            return type(g)(like(a, b) for a, b in zip(g, x)) if not hasattr(g, "_fields") else g
        return g
    if _kind(dt) != "f":
        return g
    gdt = getattr(g, "dtype", None)
    if gdt is not None:
        return _astype(g, dt) if gdt != dt and (_kind(gdt) or "") in "fiub" else g
    if type(g) is float:
        return np.asarray(g, dtype=dt) if isinstance(dt, np.dtype) else namespace(x).asarray(g, dtype=dt)
    return g


def refuse_object_dtype(dtype):
    """Raise for ``dtype=object`` (or a string dtype): the values' derivatives would silently be zero."""
    if dtype is not None and np.dtype(dtype).kind in "OUS":
        what = "Python objects" if np.dtype(dtype).kind == "O" else "strings"
        raise DifferentiationError(f"an array of dtype {np.dtype(dtype)} (of {what}) is made here from values that "
                                   "carry a derivative; s2s does not follow derivatives through such arrays, so it "
                                   "would silently be zero. Use a float array (dtype=float), or a list.")


def dtype_grad(g, dtype):
    """A derivative through a call given ``dtype=``: ``g`` for a float dtype (or None), zero for an
    integer or boolean one (``np.asarray(x, dtype=int)`` truncates: piecewise constant)."""
    refuse_object_dtype(dtype)
    if dtype is None or np.issubdtype(np.dtype(dtype), np.inexact):
        return g
    return _zero_of(g)


def _zero_of(g):
    if isinstance(g, (list, tuple)):   # np.array([a, b], dtype=int): the gradient of each element
        return type(g)(_zero_of(e) for e in g) if not hasattr(g, "_fields") else type(g)(*map(_zero_of, g))
    if isinstance(g, np.ndarray):
        return np.zeros_like(g, dtype=np.result_type(g.dtype, np.float64) if g.dtype.kind != "f" else g.dtype)
    return 0.0


def reduced_count(x, axis=None):
    """How many elements of x each output of a reduction over ``axis`` averages (x may be a runtime.Shape)."""
    shape = tuple(x) if type(x) is Shape else np.shape(x)
    if axis is None:
        return max(int(np.prod(shape)), 1) if shape else 1
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return int(np.prod([shape[a] for a in axes]))


def real_only(g, x):
    """``g``, after checking that x is real: the gradient of a real part or a modulus of a complex
    value would silently be complex (s2s differentiates real-valued code only)."""
    if type(x) is complex or _kind(getattr(x, "dtype", None)) == "c":
        raise complex_error(x)
    return g


def real_sign(x):
    """np.sign(x) for real x (the derivative of |x|); complex x is refused (see real_only)."""
    return np.sign(real_only(x, x))


def safe_div(a, b):
    """a / b, and 0 where b is 0, without warnings (and without `with np.errstate`, so that code
    calling it can itself be differentiated)."""
    zero = b == 0
    if is_foreign(a) or is_foreign(b):   # array-API arrays have no __array_function__
        xp = namespace(a, b)
        return xp.where(zero, 0.0, a / xp.where(zero, 1.0, b))
    return np.where(zero, 0.0, a / np.where(zero, 1.0, b))


def power_slope(x, y, k=1):
    """The k-th derivative of ``x ** y`` in x, ``y (y - 1) ... (y - k + 1) x ** (y - k)`` (k = 1: ``y * x ** (y - 1)``),
    with 0 where that coefficient is 0: ``x ** y`` is then a polynomial of degree below k (``x ** 0`` is 1
    everywhere), also at x = 0, where the formula gives ``0 * inf`` (nan). Integer x is taken as float (an
    integer array to a negative power raises); at x = 0 a negative power gives inf, as NumPy says (Python's
    ``0.0 ** -0.5`` raises)."""
    x, y = (np.asarray(v, dtype=float) if isinstance(v, (list, tuple)) else v for v in (x, y))   # x ** [3.0, 2.0]
    coef = y
    for j in range(1, k):
        coef = coef * (y - j)
    if is_foreign(x) or is_foreign(y):
        xp = namespace(x, y)
        return xp.where(coef == 0, 0.0, coef * x ** (y - k))
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        if coef == 0:
            return 0.0
        try:
            return coef * float(x) ** (y - k)
        except ZeroDivisionError:   # 0.0 ** negative
            with np.errstate(divide="ignore", invalid="ignore"):
                return float(coef * np.power(np.float64(x), y - k))
    xf = x if np.issubdtype(np.asarray(x).dtype, np.inexact) else np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = coef * np.power(xf, y - k)
    zero = np.asarray(coef) == 0
    return np.where(zero, np.zeros_like(out), out) if np.any(zero) else out


def power_slope_dy(x, y, k=1):
    """d/dy of power_slope(x, y, k): ``(c'(y) + c(y) log x) x ** (y - k)`` with c(y) = y (y - 1) ... (y - k + 1),
    for x > 0 (0 elsewhere: the power rules take the log only where x > 0)."""
    x, y = (np.asarray(v, dtype=float) if isinstance(v, (list, tuple)) else v for v in (x, y))
    coef, dcoef = y, 1.0
    for j in range(1, k):
        coef, dcoef = coef * (y - j), dcoef * (y - j) + coef
    pos = np.asarray(x) > 0
    xs = np.where(pos, x, 1.0)
    return np.where(pos, (dcoef + coef * np.log(xs)) * np.power(xs, y - k), 0.0)


class RuleRefusal(DifferentiationError, NotImplementedError):
    """What a rule raises at run time when the derivative it was asked for does not exist or is not
    supported for these values (a complex spectrum, the arbitrary extra columns of a full SVD, ...)."""


def refuse(callee, message, hint=None):
    """A RuleRefusal (a DifferentiationError) for a rule that finds at run time that it cannot give a
    derivative. The message starts with the user's file, line and source text (the line the running
    generated statement comes from); ``callee`` names the function refused (for the message's sake)."""
    return RuleRefusal(_user_line() + "\n".join(p for p in (message, hint) if p))


def _shape_of(v):
    """The shape of a number or an array; None for anything else (a list, a dict, a record)."""
    if isinstance(v, (float, int, complex, np.generic)) and not isinstance(v, (bool, np.bool_)):
        return ()
    shape = getattr(v, "shape", None)
    return tuple(shape) if shape is not None and not isinstance(v, type) else None


def rule_grad(g, x, rule, param):
    """The gradient (reverse mode) or tangent (forward mode) ``g`` that the user's rule ``rule`` (its template)
    gives for ``x``, checked to have x's shape: a rule's ``d[param]`` of another shape would be broadcast
    silently by what adds it up (``as_grad``, ``dx = dx + ...``). A number or array of x's shape passes, as
    does a scalar zero; a list, dict or record is left to as_grad."""
    if type(g) is np.ndarray and type(x) is np.ndarray and g.shape == x.shape:
        return g   # the common case: one comparison
    xs, gs = _shape_of(x), _shape_of(g)
    if xs is None or gs is None or gs == xs or gs == () and np.all(g == 0):
        return g
    code = getattr(rule, "__code__", None)
    first = code.co_varnames[0] if code is not None and code.co_argcount else None
    kind = "tangent" if param == first and "tangent" in getattr(rule, "s2s_declared", {}) else "adjoint"
    keys = ", ".join(getattr(k, "__name__", repr(k)) for k in getattr(rule, "s2s_keys", ()))
    at = f" ({os.path.basename(code.co_filename)}:{code.co_firstlineno})" if code is not None else ""
    raise refuse(None, f"the @s2s.{kind} rule of {keys or 'a function'}{at} gives `d[{param}]` of shape {gs}, but "
                       f"`{param}` has shape {xs} here; s2s does not broadcast a rule's gradient (a wrong shape "
                       "would give a wrong gradient).",
                 f"Fix the rule so that `d[{param}]` has the shape of `{param}`"
                 + (" (the shape of the function's result)." if kind == "tangent" else
                    f" (sum over the axes the function broadcast `{param}` along, e.g. "
                    f"`s2s.runtime.unbroadcast(g, {param})`)."))


def number_array(t):
    """The tangent ``t`` of a list or tuple of numbers given to a NumPy function, as the array NumPy makes of the
    list (its ``+`` adds, where the list's would concatenate); anything else as it is (a list of arrays, as
    ``np.concatenate`` takes it)."""
    if isinstance(t, (list, tuple)) and all(isinstance(e, (float, int, np.generic)) and not isinstance(e, bool)
                                            for e in t):
        return np.asarray(t, dtype=float)
    return t


# ---------------------------------------------------------------- shapes of tangents (forward mode)


def _np_float_dtype(x):
    dt = getattr(x, "dtype", None)
    if dt is not None and np.issubdtype(dt, np.floating):
        return dt
    return np.float64


def tangent_like(t, z):
    """The tangent ``t`` broadcast to the shape of the primal value ``z``."""
    if isinstance(z, (list, tuple, dict)):   # a container (ragged: np.shape fails): its tangent is one already,
        if isinstance(z, list) and isinstance(t, np.ndarray) and t.ndim and len(t) == len(z):
            # or an array of its rows (the tangent of dvals + grad_reduce(...)): a list, as z
            return GradList(copy_grad(e) for e in t)
        return t
    zs = np.shape(z)
    if np.shape(t) == zs:
        return float(t) if not zs and isinstance(z, (float, int)) and isinstance(t, np.ndarray) else t
    if not zs and isinstance(z, (float, int)):
        return float(np.sum(t)) if np.ndim(t) else float(t)
    return np.broadcast_to(t, zs).astype(_np_float_dtype(z))


def is_zero(t):
    """True for a missing or placeholder-zero gradient (None, 0, 0.0)."""
    if t is None:
        return True
    if isinstance(t, (list, tuple, dict, np.ndarray)):   # (np.ndim of a ragged list would fail)
        return False
    return np.ndim(t) == 0 and t == 0


def zeros_of(x):
    """A float zero shaped like x (a Python float for a Python number)."""
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        return 0.0
    return np.zeros(np.shape(x), dtype=_np_float_dtype(x))


def fill_zeros(ts, xs):
    """``ts`` (gradients or tangents, one per value of ``xs``) with placeholders made zeros."""
    return [zeros_of(x) if is_zero(t) else tangent_like(t, x) for t, x in zip(ts, xs)]


def fill_zero(t, x):
    """One gradient or tangent ``t`` of ``x``, a placeholder zero made a real zero of x's shape."""
    return zeros_of(x) if is_zero(t) else t
