"""Array namespaces for the runtime helpers: NumPy, Dask (through __array_function__) and array-API
arrays (array-api-compat). s2s/runtime.py imports these; a value that is an array of another library keeps
its type through the helpers (issue 16)."""
import numpy as np

from .errors import DifferentiationError

# ---- array namespaces: NumPy, Dask (through __array_function__), array-API arrays (array-api-compat).
# The helpers below keep a NumPy path exactly as it was; a value that is an array of another library
# ("foreign": a Dask array, an array_api_strict, CuPy or PyTorch array) takes the namespace path, which
# never converts it to NumPy, so that a gradient has the array type of its argument (issue 16).

def _lib(name):
    """The module ``name``, imported on first use. Library functions are reached through it (not through an
    import the compiler could follow) so that s2s's analyses of these helpers never read Dask's sources."""
    import importlib
    return importlib.import_module(name)


def is_foreign(x):
    """True for an array that is not NumPy's: a Dask array, or an array-API array (array_api_strict, CuPy, ...)."""
    if x is None or isinstance(x, (np.ndarray, np.generic, float, int, complex, tuple, list, dict, type)):
        return False
    return hasattr(x, "shape") and hasattr(x, "dtype") and (
        hasattr(x, "__array_namespace__") or hasattr(x, "__array_function__"))


def is_dask(x):
    """True for a dask.array.Array (or a Shape recorded from one)."""
    return getattr(x, "chunks", None) is not None and (type(x) is Shape or type(x).__module__.startswith("dask."))


def namespace(*xs):
    """The array namespace of the first foreign array among ``xs`` (array_api_compat's), else numpy."""
    for x in xs:
        if type(x) is Shape and x.xp is not None:
            return x.xp
        if is_foreign(x):
            try:
                compat = _lib("array_api_compat")
            except ImportError as e:   # pragma: no cover - the [dask] extra installs it
                raise DifferentiationError(
                    f"a {type(x).__module__}.{type(x).__name__} array needs array-api-compat to be differentiated: "
                    "pip install 's2s[dask]' (or array-api-compat)") from e
            return compat.array_namespace(x)
    return np


def as_array(x):
    """np.asarray(x) for NumPy values; a foreign array (Dask, array-API) as it is (never converted)."""
    return x if is_foreign(x) else np.asarray(x)


def _np_dtype(dt):
    """The NumPy dtype of a dtype of any namespace (array_api_strict.float32 -> float32), or None."""
    if dt is None or isinstance(dt, np.dtype):
        return dt
    try:
        return np.dtype(getattr(dt, "_np_dtype", None) or str(dt).rsplit(".", 1)[-1])
    except TypeError:
        return None


def _kind(dt):
    nd = _np_dtype(dt)
    return nd.kind if nd is not None else None


def _float_dtype(x):
    dt = getattr(x, "dtype", None)
    if dt is not None and not isinstance(dt, np.dtype) and type(x) is not Shape and is_foreign(x):
        return dt if _kind(dt) == "f" else namespace(x).float64
    if dt is not None and isinstance(dt, np.dtype) and np.issubdtype(dt, np.floating):
        return dt
    if type(x) is Shape and x.xp is not None and _kind(dt) == "f":
        return dt
    return np.float64


def _is_complex(x):
    return type(x) is complex or _kind(getattr(x, "dtype", None)) == "c"


def _astype(g, dt):
    return g.astype(dt) if hasattr(g, "astype") else namespace(g).astype(g, dt)


def _dask_chunks(shape, operands):
    """Chunks for an array of ``shape`` that the Dask arrays among ``operands`` broadcast to: each
    dimension takes the chunks of an operand that spans it (a dimension none spans is one chunk)."""
    out = []
    n = len(shape)
    for i, size in enumerate(shape):
        pick = (size,)
        for x in operands:
            chunks = getattr(x, "chunks", None)
            if chunks is None:
                continue
            j = len(chunks) - (n - i)
            if j >= 0 and sum(chunks[j]) == size:
                pick = tuple(chunks[j])
                break
        out.append(pick)
    return tuple(out)


def broadcast_like(g, shape, like, dtype=None):
    """``g`` broadcast to ``shape`` as an array of ``like``'s namespace (a foreign array or a Shape of
    one): lazily, with ``like``'s chunks, for Dask. ``g``'s dimensions are aligned already (keepdims)."""
    xp = namespace(like)
    shape = tuple(shape)
    if is_dask(like):
        da = _lib("dask.array")
        g = g if is_dask(g) else da.asarray(g)
        target = like.chunks if tuple(like.shape if type(like) is not Shape else like) == shape \
            else _dask_chunks(shape, [like])
        gc = (None,) * (len(shape) - g.ndim) + tuple(g.chunks)
        chunks = tuple(t if c is None or (len(c) == 1 and c[0] == 1 and t != (1,)) else c for t, c in zip(target, gc))
        out = da.broadcast_to(g, shape, chunks=chunks)
    else:
        if not is_foreign(g):
            g = xp.asarray(g, dtype=dtype if dtype is not None else _float_dtype(like))
        out = xp.broadcast_to(g, shape)
    if dtype is not None and out.dtype != dtype:
        out = _astype(out, dtype)
    return out


class Shape(tuple):
    """What the backward sweep keeps of a value it needs only the shape of (see shape_of).

    For a foreign array (Dask, array-API) it also keeps its namespace (``xp``) and, for Dask, its
    chunks, so that a gradient broadcast to this shape is built lazily in that namespace."""

    number = False
    dtype = np.dtype(np.float64)
    xp = None
    chunks = None
