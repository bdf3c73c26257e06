"""Helpers that generated gradient code calls.

Each is small and has templates of its own (see templates/runtime_rules.py) so
that generated code can itself be differentiated.
"""
import collections
import functools

import numpy as np

from .tree import dict_like as _dict_like
from .errors import DifferentiationError
from .seed_errors import ContainerSeedError, _seed_error, _seed_shape_error  # noqa: F401 (runtime's names)
from .record_types import _numeric, as_record as _as_record, fields as _fields, is_record as _is_record
from .namespaces import (Shape, _astype, _dask_chunks, _float_dtype, _is_complex, _kind, _lib,  # noqa: F401
                         _np_dtype, as_array, broadcast_like, is_dask, is_foreign, namespace)

_SCALARS = (float, int)
_Module = type(np)


def _scalar_type(x):
    """The NumPy scalar type of x's float dtype (np.float32 for an np.float32, np.float64 for an int)."""
    return np.dtype(_float_dtype(x)).type


def _user_line():
    """'File "f.py", line 12\n    text\n' for the user's line that the innermost generated statement
    running now comes from (its ``# f.py:12`` comment), or ''."""
    import linecache
    import os
    import re
    import sys
    f = sys._getframe(1)
    while f is not None:
        if "s2s-generated" in f.f_code.co_filename:
            text = linecache.getline(f.f_code.co_filename, f.f_lineno)
            m = re.search(r"#\s*(\S+):(\d+)\s*$", text)
            if m is None:
                return ""
            label, line = m.group(1), int(m.group(2))
            path = f.f_globals.get("__file__") or label
            if os.path.basename(path) != label:
                path = label
            src = linecache.getline(path, line).strip()
            return f'File "{path}", line {line}\n' + (f"    {src}\n" if src else "")
        f = f.f_back
    return ""


def complex_error(x):
    """The error for a complex value on the derivative's path (s2s differentiates real code only)."""
    from .errors import DifferentiationError
    what = f"a {x.dtype} array" if hasattr(x, "dtype") else "a Python complex number"
    return DifferentiationError(
        _user_line() + f"s2s differentiates real-valued code only, and a value on the derivative's path is {what}. "
        "Complex numbers are not supported yet: pass the real and imaginary parts as two real arrays "
        "and differentiate with respect to those.")


def _as_dtype(g, dt):
    """A gradient in its argument's float dtype (float32 stays float32 when float64 flowed in)."""
    gdt = getattr(g, "dtype", None)
    if gdt is not None and gdt != dt and _kind(dt) == "f" and (_kind(gdt) or "") in "fiub":
        return _astype(g, dt)
    return g


def _concatenated(x):
    """The refusal of a gradient ``g`` of a longer list or tuple flowing into the list or tuple ``x`` through
    ``+`` (or a NumPy rule): ``x`` was concatenated where the code took it for a number or an array."""
    return DifferentiationError(
        _user_line() + f"a {type(x).__name__} of {len(x)} items here is concatenated with `+` (or "
        "operator.add), which s2s took for arithmetic: it did not know the operands to be lists or tuples when it "
        "generated the code.\nWrite the concatenation where the operands are visibly lists (`[a] + [b]`, "
        "`list(p) + list(q)`), or build the list in one piece (`[*p, *q]`).")


_concatenated.s2s_pure = True   # (effects.callees_mutate need not read _user_line's callees: it changes nothing)


def unbroadcast(g, x):
    """Sum ``g`` down to (or broadcast it up to) the shape (and float dtype) of ``x``."""
    tx = type(x)
    if type(g) is np.ndarray and (tx is np.ndarray and x.dtype.kind == "f" or tx is Shape and x.xp is None
                                  and not x.number) and g.dtype == x.dtype:
        # the common cases, float NumPy arrays of one dtype, without the general machinery: the same shape,
        # or x's shape after leading axes (a bias added to a batch)
        gs, xs = g.shape, x.shape if tx is np.ndarray else x
        if gs == xs:
            return g
        k = len(gs) - len(xs)
        if k > 0 and gs[k:] == xs:
            return g.sum(axis=tuple(range(k)))
    if isinstance(x, (list, tuple)) and isinstance(g, (list, tuple)) and len(g) != len(x):
        raise _concatenated(x)
    if isinstance(x, np.generic) and not isinstance(x, np.bool_):   # NumPy scalars keep their type and dtype
        return _scalar_type(x)(np.sum(g) if np.ndim(g) else g)
    if isinstance(x, (float, int)):   # Python numbers
        return g if isinstance(g, float) else float(np.sum(g))
    if type(x) is Shape:
        if x.number:
            return g if isinstance(g, float) else float(np.sum(g))
        xs = x
        dt = x.dtype
    else:
        dt = getattr(x, "dtype", None)
        if dt is not None and _kind(dt) == "c" or type(x) is complex:
            raise complex_error(x)
        xs = tuple(x.shape) if is_foreign(x) else np.shape(x)
    if is_foreign(g) or type(x) is not Shape and is_foreign(x) or type(x) is Shape and x.xp is not None:
        return _unbroadcast_ns(g, x, tuple(xs), dt)
    gs = np.shape(g)
    if gs == xs:
        return g if dt is None else _as_dtype(g, dt)
    if len(gs) > len(xs):
        g = np.sum(g, axis=tuple(range(len(gs) - len(xs))))
        gs = np.shape(g)
    if len(gs) == len(xs):
        axes = tuple(i for i, (n, m) in enumerate(zip(xs, gs)) if n == 1 and m != 1)
        if axes:
            g = np.sum(g, axis=axes, keepdims=True)
    if np.shape(g) != xs:
        g = np.broadcast_to(g, xs).astype(x.dtype if type(x) is Shape else _float_dtype(x))
    return g if dt is None else _as_dtype(g, dt)


def _unbroadcast_ns(g, x, xs, dt):
    """unbroadcast for a foreign array (or a gradient that is one): in its namespace, never through NumPy."""
    xp = namespace(g, x)
    gs = tuple(np.shape(g)) if not is_foreign(g) else tuple(g.shape)
    if len(gs) > len(xs):
        g = xp.sum(g, axis=tuple(range(len(gs) - len(xs))))
        gs = tuple(g.shape)
    if len(gs) == len(xs):
        axes = tuple(i for i, (n, m) in enumerate(zip(xs, gs)) if n == 1 and m != 1)
        if axes:
            g = xp.sum(g, axis=axes, keepdims=True)
            gs = tuple(g.shape)
    fdt = x.dtype if type(x) is Shape else _float_dtype(x)
    if gs != xs:
        g = broadcast_like(xp.reshape(g, (1,) * (len(xs) - len(gs)) + gs) if is_foreign(g) else g, xs, x, fdt)
    elif not is_foreign(g) and (type(x) is Shape and x.xp is not None or is_foreign(x)):
        g = broadcast_like(g, xs, x, fdt)   # a NumPy gradient of a foreign argument: in its namespace
    return g if dt is None else _as_dtype(g, dt)


def shape_of(x):
    """x's shape, dtype and kind, without keeping x alive (saved instead of x when only unbroadcast reads it)."""
    if type(x) is np.ndarray and x.dtype.kind == "f":   # the common case: a float NumPy array
        s = Shape(x.shape)
        s.dtype = x.dtype
        return s
    if x is None or isinstance(x, float):   # a number is as cheap to keep as its shape
        return x
    if _is_complex(x):
        raise complex_error(x)
    if is_foreign(x):
        s = Shape(tuple(x.shape))
        s.xp, s.chunks, s.dtype = namespace(x), getattr(x, "chunks", None), _float_dtype(x)
        return s
    s = Shape(np.shape(x))
    s.number = isinstance(x, (float, int))
    s.dtype = _float_dtype(x)
    return s


DEFAULT_SEED = float("1.0")   # the default seed of a generated gradient: this very object, never a literal


def init_grad(z, dz):
    """The seed ``dz`` shaped like the output ``z`` (a scalar seed means ones). The default seed of a generated
    gradient (DEFAULT_SEED) on a tuple, list or dict output is refused: DESIGN.md section 1 (a tuple seed, has_aux).
    """
    if type(dz) is float and type(z) is float or type(z) is _Module:   # (a module, xp of (np, False): no gradient)
        return dz
    if dz is DEFAULT_SEED and isinstance(z, (tuple, list, dict)):
        raise _seed_error(z, dz)
    if isinstance(z, (np.matrix, np.ma.MaskedArray)):   # (signature.check_array_types says more, for grad)
        raise DifferentiationError(f"s2s does not differentiate an np.{type(z).__name__}: its operators and reductions "
                                   "are not an array's (matrix products, masks), so derivatives would be wrong. "
                                   "Pass np.asarray(x) (and a weight array for a mask).")
    # d.values() kept for the backward sweep has a list tangent (a name test: an export copies this source)
    view = isinstance(dz, list) and type(z).__name__ in ("dict_values", "dict_keys", "dict_items")
    if isinstance(z, (tuple, list)) or view:
        if isinstance(dz, (tuple, list)):
            if len(dz) != len(z):
                raise _seed_shape_error(z, dz, got=True)
            out = [init_grad(a, b) for a, b in zip(z, dz)]
        elif isinstance(dz, dict) or isinstance(dz, np.ndarray) and dz.ndim and len(dz) != len(z):
            raise _seed_shape_error(z, dz, got=True)
        elif isinstance(dz, np.ndarray) and dz.ndim:   # an array for a list of numbers (or of rows): its rows
            out = [init_grad(a, b) for a, b in zip(z, dz)]
        else:
            out = [init_grad(a, dz) for a in z]
        return out if view else type(z)(*out) if hasattr(z, "_fields") else type(z)(out)   # (EighResult, SVDResult)
    if isinstance(z, dict):
        if isinstance(dz, dict):
            if type(dz) is dict and dz.keys() != z.keys():   # the user's (a sparse GradDict leaves keys out)
                raise _seed_shape_error(z, dz, got=True)
            return {k: init_grad(z[k], dz[k]) for k in z}
        if isinstance(dz, (list, tuple)):
            raise _seed_shape_error(z, dz, got=True)
        return {k: init_grad(v, dz) for k, v in z.items()}
    if dz is not DEFAULT_SEED and _is_record(z) and isinstance(dz, (float, int, np.generic)) and np.ndim(dz) == 0:
        # a scalar tangent (or seed) of a dataclass or object: each numeric field's, as for a namedtuple
        return _as_record({f: init_grad(getattr(z, f), dz) for f in _fields(z) if _numeric(getattr(z, f))}, z,
                          lambda g, v: g, lambda v: v)
    if isinstance(dz, dict) and (isinstance(z, (np.ndarray, np.generic, float, int)) or is_foreign(z)):
        raise _seed_shape_error(z, dz, got=True)
    if isinstance(dz, (list, tuple)):   # a list seed of an array output: the array it spells (`*` repeats a list)
        dz = _array_seed(z, dz)
    if _is_complex(z) or _is_complex(dz):
        raise complex_error(z if _is_complex(z) else dz)
    if is_foreign(z) and not is_foreign(dz):
        return broadcast_like(dz, tuple(z.shape), z, _float_dtype(z))   # the seed in the output's namespace
    if np.ndim(dz) == 0 and np.ndim(z) > 0:
        return np.full(np.shape(z), dz, dtype=_float_dtype(z))
    if isinstance(z, (np.generic, np.ndarray)) and type(dz) in (float, int):
        # a NumPy scalar or 0-d array: its seed or tangent has its type and float dtype (np.float32 stays)
        return np.asarray(dz, dtype=_float_dtype(z)) if isinstance(z, np.ndarray) else _scalar_type(z)(dz)
    if np.ndim(dz) and np.shape(dz) != np.shape(z) and isinstance(z, (np.ndarray, np.generic, float, int)) \
            and isinstance(dz, np.ndarray):
        raise _seed_shape_error(z, dz)
    return dz


def _array_seed(z, dz):
    """The list (or tuple) seed ``dz`` of the array or number output ``z`` as an array of z's shape."""
    try:
        arr = np.asarray(dz, dtype=_float_dtype(z))
    except (TypeError, ValueError):
        raise _seed_shape_error(z, dz, got=True) from None
    if arr.shape != np.shape(z):
        raise _seed_shape_error(z, dz)
    return arr if arr.ndim else arr[()]


class GradList(list):
    """The gradient of a list or tuple: ``+`` adds elementwise (never concatenates)."""

    __array_ufunc__ = None  # ndarray + GradList defers to GradList.__radd__

    def __add__(self, other):
        if isinstance(other, (list, tuple)):
            return GradList(add_grad(a, b) for a, b in zip(self, other))
        if isinstance(other, np.ndarray) and other.ndim:
            return GradList(add_grad(a, b) for a, b in zip(self, other))
        if isinstance(other, (int, float)) and other == 0:
            return GradList(self)
        return GradList(add_grad(a, other) for a in self)

    __radd__ = __add__

    def __iadd__(self, other):  # `dx += g` adds elementwise too (list's += would extend)
        return self.__add__(other)

    def __mul__(self, other):
        """``d[z] * n`` in the product's adjoint, where ``z = lst * n`` repeated a list that was not known to
        be one when the code was generated (a parameter): ``lst``'s gradient is the sum of the n copies'
        gradients (as containers.repeat_grad), and the count ``n`` gets none (``d[z] * lst``)."""
        if isinstance(other, (list, tuple)):
            return 0.0
        if not isinstance(other, (int, np.integer)) or isinstance(other, (bool, np.bool_)):
            return NotImplemented
        n = int(other)
        if n <= 0 or len(self) % n:
            raise DifferentiationError(
                f"s2s cannot differentiate repeating a list or tuple {n} times with `*` here (the copies' "
                "gradients cannot be summed back). Build the list explicitly, e.g. `[e for _ in range(n) for e in "
                "lst]`, or write it as `list(lst) * n`.")
        m = len(self) // n
        return GradList(functools.reduce(add_grad, (self[j * m + i] for j in range(n))) for i in range(m))

    __rmul__ = __mul__


class GradDict(dict):
    """The gradient of a dict: ``+`` adds values key by key."""

    def __add__(self, other):
        if _record(other):   # a record of gradients (a helper's gradient of its record argument): its fields
            other = _field_dict(other)
        if isinstance(other, dict):
            out = GradDict(self)
            for k, v in other.items():
                out[k] = add_grad(out[k], v) if k in out else v
            return out
        if isinstance(other, (int, float)) and other == 0:
            return GradDict(self)
        return NotImplemented

    __radd__ = __add__


class GradDefaultDict(GradDict):
    """The derivative of a ``collections.defaultdict`` ``x``: a missing key reads the zero of its default value."""
    def __init__(self, x):
        super().__init__((k, zeros_like(v)) for k, v in x.items())
        self.factory = x.default_factory

    def __missing__(self, key):   # (x's own read of the key raised first when x has no factory)
        return self.setdefault(key, zeros_like(self.factory()))


def zeros_like(x):
    """A zero gradient with the structure of ``x`` (lists and tuples give a GradList)."""
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape, dtype=_float_dtype(x))
    if is_foreign(x):
        xp = namespace(x)
        return xp.zeros_like(x, dtype=_float_dtype(x))   # lazy, with x's chunks, for Dask
    if isinstance(x, collections.defaultdict):
        return GradDefaultDict(x)
    if isinstance(x, collections.deque):   # appends drop the oldest item as x's do
        return collections.deque((zeros_like(e) for e in x), x.maxlen)
    if isinstance(x, (list, tuple)):
        return GradList(zeros_like(e) for e in x)
    if isinstance(x, dict):
        return GradDict((k, zeros_like(v)) for k, v in x.items())
    if isinstance(x, np.generic):
        return np.zeros((), dtype=_float_dtype(x))[()]
    return 0.0


def zero_grad(x):
    """The gradient of an argument nothing flows to: zeros of x's type (a tuple for a tuple)."""
    if isinstance(x, (list, tuple, dict)) or _record(x):
        return as_grad(zeros_like(x), x)
    return zeros_like(x)


def _record(x):
    """A dataclass instance or plain object whose fields carry gradients (s2s/record_types.py)."""
    if isinstance(x, (np.ndarray, float, int, list, tuple, dict)) or x is None:
        return False
    return _is_record(x)


def copy_value(x):
    """A private (shallow) copy of a value the function will change in place."""
    if isinstance(x, np.ndarray):
        return x.copy()
    if is_foreign(x):
        return _copy_foreign(x)
    if isinstance(x, list):
        return list(x)
    if isinstance(x, dict):
        return dict(x)
    return x


def _copy_foreign(x):
    return x.copy() if hasattr(x, "copy") else namespace(x).asarray(x, copy=True)


def _repeats(index):
    """True if the index has an integer-array part that names an element more than once (or cannot tell)."""
    parts = index if isinstance(index, tuple) else (index,)
    arrays = [p for p in parts if isinstance(p, list) or (hasattr(p, "dtype") and _kind(p.dtype) in "iu")]
    if not arrays:
        return False
    if len(arrays) > 1 or any(is_foreign(a) for a in arrays):
        return True   # several index arrays (broadcast together), or a lazy one: not checked here
    a = np.asarray(arrays[0])
    return a.ndim > 0 and np.unique(a).size != a.size


def add_at(g, index, v):
    """``g[index] += v`` in place, correct for repeated fancy indices; returns g."""
    if is_foreign(g):
        # Dask and array-API arrays have no np.add.at (an unbuffered scatter-add); a write of the sum is
        # exact when no element is named twice, and a repeated index is refused (never a wrong sum).
        if _repeats(index):
            raise DifferentiationError(
                _user_line() + f"the gradient of this indexing of a {type(g).__module__.split('.')[0]} array "
                "needs a scatter-add (np.add.at) over an index that names an element more than once, and "
                f"{type(g).__module__.split('.')[0]} arrays have none. Index with a slice or with indices that do "
                "not repeat, or make the array a NumPy array first (np.asarray(x) / x.compute()).")
        g[index] = g[index] + v
        return g
    if isinstance(g, np.ndarray):
        if np.ndim(g[index]) == np.ndim(v) or np.ndim(v) == 0:
            np.add.at(g, index, v)
        else:
            np.add.at(g, index, np.reshape(v, np.shape(g[index])))
        return g
    if isinstance(index, slice):
        idx = range(*index.indices(len(g)))
        for k, i in enumerate(idx):
            g[i] = add_grad(g[i], v[k])
        return g
    g[index] = add_grad(g[index], v)
    return g


def add_grad(a, b):
    """a + b for gradients, elementwise through lists, tuples and dicts."""
    if isinstance(a, (list, tuple)) and not isinstance(a, GradList):
        a = GradList(a)
    elif isinstance(a, dict) and not isinstance(a, GradDict):
        a = GradDict(a)
    elif _record(a) and (_record(b) or isinstance(b, dict)):
        a = _field_dict(a)
    elif _record(b) and isinstance(a, (int, float)) and a == 0:   # nothing yet + a helper's record gradient
        return b
    elif _record(a) and isinstance(b, (int, float)) and b == 0:
        return a
    return a + b


def _field_dict(r):
    """A record of gradients (not a namedtuple) as the GradDict of its numeric fields."""
    return GradDict((f, getattr(r, f)) for f in _fields(r) if _numeric(getattr(r, f)))


def as_grad(g, x):
    """Give a finished gradient the type and shape of its argument ``x``."""
    if isinstance(x, tuple) and hasattr(type(x), "_fields") or _record(x):   # namedtuples, dataclasses, objects
        return _as_record(g, x, as_grad, zero_grad)
    if isinstance(x, tuple):
        parts = [as_grad(a, b) for a, b in zip(_seq(g, len(x)), x)]
        return type(x)(*parts) if hasattr(x, "_fields") else tuple(parts)   # a namedtuple keeps its type
    if isinstance(x, list):
        return [as_grad(a, b) for a, b in zip(_seq(g, len(x)), x)]
    if isinstance(x, dict):   # of x's type: an OrderedDict, a defaultdict, another dict subclass (tree.dict_like)
        g = g if isinstance(g, dict) else {}   # (a literal zero: nothing flowed to x)
        return _dict_like(x, [(k, as_grad(g[k], v) if k in g else zero_grad(v)) for k, v in x.items()])
    if _is_complex(x):
        raise complex_error(x)
    if is_foreign(x):   # a gradient has its argument's array type (a NumPy or scalar one is converted)
        dt = _float_dtype(x)
        if is_foreign(g) and tuple(g.shape) == tuple(x.shape):
            return g if g.dtype == dt else _astype(g, dt)
        if is_foreign(g):
            return unbroadcast(g, x)
        return broadcast_like(g, tuple(x.shape), x, dt)
    if isinstance(x, np.ndarray):
        if isinstance(g, np.ndarray) and g.shape == x.shape and g.dtype == _float_dtype(x):
            return g
        return np.broadcast_to(np.asarray(g, dtype=_float_dtype(x)), x.shape).copy()
    if isinstance(x, np.generic) and not isinstance(x, np.bool_):   # np.float32(1.5): an np.float32 gradient
        return _scalar_type(x)(np.sum(g) if np.ndim(g) else g)
    if isinstance(x, (float, int)):
        return float(g)
    return g


def _seq(g, n):
    if isinstance(g, (list, tuple)):
        return g
    if isinstance(g, np.ndarray) and g.ndim > 0:
        return list(g)
    return [g] * n


def stop_gradient(x):
    """x's value; no gradient flows through it.

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     return x * s2s.stop_gradient(x)
        >>> s2s.grad(f)(3.0)
        3.0
    """
    return x


class insert_grad_of:
    """``with insert_grad_of(x) as dx:`` runs its body in the backward pass.

    Differentiated, the body sees (and may change) the gradient of ``x``
    flowing back from later uses: print it, clip it, or set a breakpoint
    there. Run as ordinary Python, the body runs once with a zero gradient
    and changes nothing.

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> def f(x):
        ...     y = x * 10.0
        ...     with s2s.insert_grad_of(y) as dy:
        ...         dy = np.clip(dy, -1.0, 1.0)
        ...     return y * y
        >>> print(s2s.grad(f)(0.5))     # dy = 10.0 is clipped to 1.0, then times dy/dx = 10
        10.0
    """

    def __init__(self, x):
        self.x = x

    def __enter__(self):
        return zeros_like(self.x)

    def __exit__(self, *exc):
        return False


def copy_grad(g):
    """A private copy of a gradient, so it can be updated in place."""
    if isinstance(g, np.ndarray):
        return g.copy()
    if is_foreign(g):
        return _copy_foreign(g)
    if isinstance(g, (list, tuple)):
        return GradList(copy_grad(e) for e in g)
    if isinstance(g, dict):
        return GradDict((k, copy_grad(v)) for k, v in g.items())
    return g


def _advanced(index):
    """True if ``index`` has an integer array or list part (an index that may repeat an element)."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, list) or (isinstance(p, np.ndarray) and p.dtype != bool) for p in parts)


def written_part(g, index):
    """``g[index]`` as a private copy, for the backward of ``x[index] = v``: where the index repeats an
    element (``x[[1, 1, 2]] = v``), only the write that stayed (NumPy's, the last) gets the gradient."""
    part = copy_grad(g[index])
    if not isinstance(g, np.ndarray) or not _advanced(index):
        return part
    ids = np.arange(np.size(part)).reshape(np.shape(part))
    owner = np.full(np.shape(g), -1)
    owner[index] = ids   # the same assignment as the primal's: each element keeps the id of the write that stayed
    part = np.asarray(part)
    part[owner[index] != ids] = 0.0
    return part


def written_part_back(dz, g, index):
    """The adjoint of ``written_part`` (linear in its gradient): ``dz`` where the write stayed, zero elsewhere."""
    out = np.zeros(np.shape(g), dtype=np.result_type(g, dz))
    if not _advanced(index):
        out[index] = dz
        return out
    ids = np.arange(np.size(dz)).reshape(np.shape(dz))
    owner = np.full(np.shape(g), -1)
    owner[index] = ids
    out[index] = np.where(owner[index] == ids, dz, 0.0)   # the writes that stayed land last, as in the primal
    return out


def copy_grad_list(g, x):
    """copy_grad of the adjoint of the list ``x``, as a list the backward sweep can pop from.

    A NumPy function of the list (``np.sum(lst)``) gives its gradient as an array (one
    row per element), and a path that did not use the list leaves a scalar 0.0."""
    if isinstance(g, (list, tuple)):
        return copy_grad(g)
    if np.ndim(g) == 0:
        return GradList(g for _ in x)
    return GradList(copy_grad(e) if isinstance(e, np.ndarray) else e for e in np.asarray(g))


MISSING = object()


def copy_deep(x):
    """A copy of x that shares no arrays, lists or dicts with it."""
    if isinstance(x, np.ndarray):
        return x.copy()
    if is_foreign(x):
        return _copy_foreign(x)
    if isinstance(x, tuple) and hasattr(x, "_fields"):   # a namedtuple takes its fields positionally
        return type(x)(*(copy_deep(e) for e in x))
    if isinstance(x, (list, tuple)):
        return type(x)(copy_deep(e) for e in x)
    if isinstance(x, dict):   # of its type: an OrderedDict, a defaultdict keeps its factory
        return _dict_like(x, [(k, copy_deep(v)) for k, v in x.items()])
    return x


def get_item(x, index):
    """A private copy of ``x[index]`` (MISSING for a dict key not yet set)."""
    if (isinstance(x, dict) or getattr(type(x), "s2s_keyed", False)) and index not in x:
        return MISSING   # (a global not bound yet: ``global T; T = 1.0``, desugar.ModuleGlobals)
    return copy_value(x[index])


def set_item(x, index, value):
    """Undo a write: put back what get_item saved."""
    if value is MISSING:
        del x[index]
    else:
        x[index] = value


def restore_deep(x, old):
    """Undo in-place changes to ``x`` (an array, list or dict): put back, in place, the contents
    copy_deep saved (arrays inside lists and dicts are written into, so names bound to them see it too)."""
    if isinstance(x, np.ndarray) and isinstance(old, np.ndarray) and x.shape == old.shape:
        x[...] = old
    elif is_foreign(x) and is_foreign(old) and tuple(x.shape) == tuple(old.shape):
        x[...] = old
    elif isinstance(x, list) and isinstance(old, list):
        if len(x) == len(old):
            for i, (a, b) in enumerate(zip(x, old)):
                if type(a) is type(b) and isinstance(a, (np.ndarray, list, dict)) \
                        and (not isinstance(a, np.ndarray) or a.shape == b.shape):
                    restore_deep(a, b)
                else:
                    x[i] = b
        else:
            x[:] = old
    elif isinstance(x, dict) and isinstance(old, dict):
        for k in [k for k in x if k not in old]:
            del x[k]
        for k, b in old.items():
            a = x.get(k, MISSING)
            if type(a) is type(b) and isinstance(a, (np.ndarray, list, dict)) \
                    and (not isinstance(a, np.ndarray) or a.shape == b.shape):
                restore_deep(a, b)
            else:
                x[k] = b


def broadcast_shape(*xs):
    """The shape (and kind) of an elementwise result of xs, without computing it."""
    foreign = [x for x in xs if is_foreign(x) or type(x) is Shape and x.xp is not None]
    if foreign:
        shape = np.broadcast_shapes(*[tuple(x) if type(x) is Shape else tuple(np.shape(x)) if not is_foreign(x)
                                      else tuple(x.shape) for x in xs])
        s = Shape(shape)
        s.xp = namespace(*foreign)
        s.dtype = s.xp.result_type(*[_float_dtype(x) for x in foreign])
        dask = [x for x in foreign if is_dask(x)]
        s.chunks = _dask_chunks(shape, dask) if dask else None
        return s
    s = Shape(np.broadcast_shapes(*[tuple(x) if type(x) is Shape else np.shape(x) for x in xs]))
    s.number = all(isinstance(x, (float, int)) or getattr(x, "number", False) for x in xs)
    s.dtype = np.result_type(*[_float_dtype(x) for x in xs])
    return s


def index_concat(maker, *items):
    """``maker[items]`` for NumPy's index-trick concatenators np.r_ and np.c_ (the normalizer turns
    ``np.r_[a, 0:3, b]`` into ``index_concat(np.r_, a, slice(0, 3, None), b)``, which has rules)."""
    return maker[items if len(items) != 1 else items[0]]


# np.put_along_axis(arr, indices, values, axis) is arr[fancy] = values (NumPy's definition), where
# fancy may name an element more than once (the last write wins). The normalizer writes it as
# arr[along_axis_index(...)] = along_axis_values(values, ...): each element once, with its last value,
# so that the subscript write's gradient goes to the values that were kept.
def _along_axis_last(arr, indices, axis):
    """(flat positions written, in write order; mask of the last write to each) for put_along_axis."""
    shape = np.shape(arr)
    indices = np.asarray(indices)
    if not np.issubdtype(indices.dtype, np.integer):
        raise IndexError("`indices` must be an integer array")
    size = int(np.prod(shape))
    if axis is None:
        if indices.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        flat = np.where(indices < 0, indices + size, indices)
        if np.any((flat < 0) | (flat >= size)):
            raise IndexError(f"index out of bounds for an array of size {size}")
    else:
        if indices.ndim != len(shape):
            raise ValueError("`indices` and `arr` must have the same number of dimensions")
        axis = int(axis) % len(shape)
        index = [indices if dim == axis else np.arange(n).reshape([n if i == dim else 1 for i in range(len(shape))])
                 for dim, n in enumerate(shape)]
        flat = np.ravel_multi_index(np.broadcast_arrays(*index), shape, mode="raise") if len(shape) else indices
    flat = np.asarray(flat).reshape(-1), np.shape(flat)
    positions, bshape = flat
    _, first_from_end = np.unique(positions[::-1], return_index=True)
    keep = np.zeros(positions.size, dtype=bool)
    keep[positions.size - 1 - first_from_end] = True
    return positions, keep, bshape


def along_axis_index(arr, indices, axis):
    """The elements np.put_along_axis(arr, indices, values, axis) writes, each once (an index for arr)."""
    positions, keep, _ = _along_axis_last(arr, indices, axis)
    return np.unravel_index(positions[keep], np.shape(arr))


def along_axis_values(values, arr, indices, axis):
    """The values np.put_along_axis leaves at along_axis_index's elements (the last written to each)."""
    _, keep, bshape = _along_axis_last(arr, indices, axis)
    return np.broadcast_to(values, bshape).reshape(-1)[keep]


def along_axis_values_grad(g, values, arr, indices, axis):
    """along_axis_values' adjoint: g at the kept writes, zero at the overwritten ones (the broadcast
    shape of the writes; the rule sums it down to ``values``' shape)."""
    _, keep, bshape = _along_axis_last(arr, indices, axis)
    out = np.zeros(keep.shape, dtype=np.result_type(g, np.float32) if np.ndim(g) else _float_dtype(values))
    out[keep] = g
    return out.reshape(bshape)

