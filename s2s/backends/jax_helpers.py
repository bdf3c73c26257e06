"""jax.numpy versions of the s2s helpers generated code calls (``backend="jax"``, s2s/backends/jax.py).

Each takes what the NumPy helper of the same name takes (jax arrays, which are tracers under
``jax.jit``, Python numbers, and the ``Shape`` this module's ``shape_of`` and ``broadcast_shape``
give) and returns a jax array (or a Python number where the NumPy one returns one for numbers). They
run at trace time: their Python branches on shapes and dtypes are resolved once per compilation.
A helper of s2s's that is not here is refused by the rewriting (a located DifferentiationError),
never run on jax arrays.
"""
import numpy as np

from .. import runtime
from ..errors import DifferentiationError


def _jnp():
    import jax.numpy as jnp
    return jnp


class Shape(tuple):
    """The shape (a tuple) and dtype of a value the backward sweep needs only the shape of."""

    number = False
    dtype = np.dtype(np.float64)

    @property
    def shape(self):
        return tuple(self)

    @property
    def ndim(self):
        return len(self)


def _is_number(x):
    return isinstance(x, (float, int)) and not isinstance(x, bool)


def _shape(x):
    if type(x) is Shape:
        return tuple(x)
    return tuple(np.shape(x)) if not hasattr(x, "shape") else tuple(x.shape)


def _number(x):
    return _is_number(x) or getattr(x, "number", False)


def _float_dtype(x):
    """x's dtype if it is a float one, else float64 (the dtype of x's gradient)."""
    dt = getattr(x, "dtype", None)
    if dt is not None and np.issubdtype(np.dtype(dt), np.complexfloating):
        raise runtime.complex_error(x)
    if dt is not None and np.issubdtype(np.dtype(dt), np.floating):
        return np.dtype(dt)
    return np.dtype(np.float64)


def _as_dtype(g, dt):
    gdt = getattr(g, "dtype", None)
    if gdt is not None and np.dtype(gdt) != dt:
        return g.astype(dt)
    return g


def as_float(x):
    """``float(x)`` on jax: a float64 0-d array (a Python float cannot hold a traced value); like float(), an
    array of more than one element is refused."""
    if _is_number(x):
        return float(x)
    if int(np.prod(_shape(x))) != 1:
        raise TypeError(f"float() of an array of shape {_shape(x)}: only one element converts to a float")
    return _jnp().reshape(x, ()).astype(np.float64)


class ViewRead(Exception):
    """An element read ``a[i]`` of an array the code writes into in place is an array (see element)."""


def element(v):
    """``a[i]`` read from an array the code writes into in place: a number passes; an array (a view into
    ``a`` in NumPy, which a later write would change, where jax's copy would not) is refused as jax traces."""
    if getattr(v, "ndim", 0) != 0:
        raise ViewRead("an element read from an array that is written in place afterwards is itself an array "
                       f"(shape {tuple(v.shape)}): in NumPy a view the later writes change, in jax a copy that "
                       "keeps the old values. Index it down to numbers (a[i, j]), copy it (a[i].copy()),")
    return v


def shape_of(x):
    """x's shape and float dtype (a Python number is kept itself, as the NumPy helper does)."""
    if x is None or _is_number(x):
        return x
    s = Shape(_shape(x))
    s.dtype = _float_dtype(x)
    return s


def broadcast_shape(*xs):
    """The shape and dtype of an elementwise result of xs, without computing it."""
    s = Shape(np.broadcast_shapes(*[_shape(x) for x in xs]))
    s.number = all(_number(x) for x in xs)
    s.dtype = np.result_type(*[_float_dtype(x) for x in xs])
    return s


def unbroadcast(g, x):
    """Sum ``g`` down to (or broadcast it up to) the shape of ``x``, in x's float dtype."""
    jnp = _jnp()
    xs = _shape(x)
    dt = _float_dtype(x)
    g = jnp.asarray(g)
    if g.ndim > len(xs):
        g = jnp.sum(g, axis=tuple(range(g.ndim - len(xs))))
    if g.ndim == len(xs):
        axes = tuple(i for i, (n, m) in enumerate(zip(xs, g.shape)) if n == 1 and m != 1)
        if axes:
            g = jnp.sum(g, axis=axes, keepdims=True)
    if g.shape != xs:
        g = jnp.broadcast_to(g, xs)
    return _as_dtype(g, dt)


def grad_reduce(g, x, axis=None, keepdims=False):
    """Spread the gradient of a reduction over ``axis`` back to the shape of x."""
    jnp = _jnp()
    shape = _shape(x)
    g = jnp.asarray(g)
    if axis is not None and not keepdims:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        g = jnp.expand_dims(g, tuple(a % len(shape) for a in axes))
    return _as_dtype(jnp.broadcast_to(g, shape), _float_dtype(x))


def reduced_count(x, axis=None):
    """How many elements of x each output of a reduction over ``axis`` averages (a Python int)."""
    shape = _shape(x)
    if axis is None:
        return max(int(np.prod(shape)), 1) if shape else 1
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return int(np.prod([shape[a] for a in axes]))


def init_grad(z, dz):
    """The seed ``dz`` shaped like the output ``z`` (a scalar seed means ones)."""
    if isinstance(z, (tuple, list, dict)):
        if dz is runtime.DEFAULT_SEED:
            raise runtime._seed_error(z, dz)
        raise DifferentiationError('backend="jax" takes a number as the seed of a function that returns a '
                                   'tuple, list or dict only through has_aux=True; use backend="python" for a '
                                   'seed per output.')
    jnp = _jnp()
    dt = _float_dtype(z)
    if np.ndim(dz) == 0 and np.ndim(z) > 0:
        return jnp.full(_shape(z), dz, dtype=dt)
    if np.ndim(dz) and _shape(dz) != _shape(z):
        raise runtime._seed_shape_error(z, dz)
    return jnp.asarray(dz, dtype=dt)


def zeros_like(x):
    """A zero gradient of x's shape in its float dtype (lists and tuples: a list of them)."""
    if isinstance(x, (list, tuple)):
        return runtime.GradList(zeros_like(e) for e in x)
    if isinstance(x, dict):
        return runtime.GradDict((k, zeros_like(v)) for k, v in x.items())
    return _jnp().zeros(_shape(x), dtype=_float_dtype(x))


def zero_grad(x):
    """The gradient of an argument nothing flows to: zeros of x's shape (a tuple for a tuple)."""
    if isinstance(x, (list, tuple, dict)):
        return as_grad(zeros_like(x), x)
    return zeros_like(x)


def copy_grad(g):
    """jax arrays are immutable, and every in-place write the rewriting lets through has become an
    ``.at[...]`` update that makes a new array: there is nothing to copy."""
    if isinstance(g, (list, tuple)):
        return runtime.GradList(copy_grad(e) for e in g)
    if isinstance(g, dict):
        return runtime.GradDict((k, copy_grad(v)) for k, v in g.items())
    return g


def add_grad(a, b):
    """a + b for gradients, elementwise through lists, tuples and dicts."""
    return runtime.add_grad(a, b)


def as_grad(g, x):
    """A finished gradient with the shape (and float dtype) of its argument ``x``."""
    if isinstance(x, tuple) and not hasattr(x, "_fields"):
        return tuple(as_grad(a, b) for a, b in zip(_seq(g, len(x)), x))
    if isinstance(x, list):
        return [as_grad(a, b) for a, b in zip(_seq(g, len(x)), x)]
    if isinstance(x, dict) and type(x) is dict:
        if not isinstance(g, dict):
            return {k: zeros_like(v) for k, v in x.items()}
        return {k: as_grad(g[k], v) if k in g else zeros_like(v) for k, v in x.items()}
    if isinstance(x, (tuple, dict)) or not (hasattr(x, "shape") or _is_number(x)):
        raise DifferentiationError(f'backend="jax" gives gradients of arrays, numbers, tuples, lists and dicts; '
                                   f'this argument is a {type(x).__name__}. Use backend="python" for it.')
    jnp = _jnp()
    dt = _float_dtype(x)
    g = jnp.asarray(g)
    if g.shape != _shape(x):
        g = jnp.broadcast_to(g, _shape(x))
    return _as_dtype(g, dt)


def _seq(g, n):
    if isinstance(g, (list, tuple)):
        return g
    if getattr(g, "ndim", 0):
        return list(g)
    return [g] * n


def safe_div(a, b):
    """a / b, and 0 where b is 0."""
    jnp = _jnp()
    zero = b == 0
    return jnp.where(zero, 0.0, a / jnp.where(zero, 1.0, b))


def power_slope(x, y, k=1):
    """The k-th derivative of ``x ** y`` in x, with 0 where its coefficient is 0 (see rule_helpers)."""
    jnp = _jnp()
    coef = y
    for j in range(1, k):
        coef = coef * (y - j)
    if _is_number(coef) and coef == 0:
        return 0.0
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(np.float64)
    return jnp.where(jnp.asarray(coef) == 0, 0.0, coef * x ** (y - k))


def real_only(g, x):
    _float_dtype(x)   # refuses a complex x
    if type(x) is complex:
        raise runtime.complex_error(x)
    return g


def real_sign(x):
    return _jnp().sign(real_only(x, x))


def _full(g, x, y):
    jnp = _jnp()
    if np.ndim(g) == 0:
        return jnp.broadcast_to(jnp.asarray(g), jnp.matmul(jnp.zeros(_shape(x)), jnp.zeros(_shape(y))).shape)
    return g


def _contract(a, b, i, j):
    """The sum over axis i of a and axis j of b (a matrix product with a transposed operand, not copied)."""
    import jax
    dt = _jnp().result_type(a, b)   # (dot_general does not promote)
    return jax.lax.dot_general(a.astype(dt), b.astype(dt), (((i,), (j,)), ((), ())))


def matmul_grad_x(g, x, y):
    """Gradient of x @ y with respect to x, for 1-d, 2-d and batched operands."""
    jnp = _jnp()
    g, x, y = jnp.asarray(_full(g, x, y)), jnp.asarray(x), jnp.asarray(y)
    if x.ndim == 1 and y.ndim == 1:
        return _as_dtype(g * y, _float_dtype(x))
    if x.ndim == 2 and y.ndim == 2:   # g @ y.T, contracted in place (XLA would copy y.T)
        return _as_dtype(_contract(g, y, 1, 1), _float_dtype(x))
    if x.ndim == 1:
        return unbroadcast((y @ g[..., None])[..., 0], x)
    if y.ndim == 1:
        return unbroadcast(g[..., None] * y, x)
    return unbroadcast(g @ jnp.swapaxes(y, -1, -2), x)


def matmul_grad_y(g, x, y):
    """Gradient of x @ y with respect to y, for 1-d, 2-d and batched operands."""
    jnp = _jnp()
    g, x, y = jnp.asarray(_full(g, x, y)), jnp.asarray(x), jnp.asarray(y)
    if x.ndim == 1 and y.ndim == 1:
        return _as_dtype(g * x, _float_dtype(y))
    if x.ndim == 2 and y.ndim in (1, 2):   # x.T @ g, contracted in place (XLA would copy x.T: 2.4x slower)
        return _as_dtype(_contract(x, g, 0, 0), _float_dtype(y))
    if x.ndim == 1:
        return unbroadcast(x[:, None] * g[..., None, :], y)
    if y.ndim == 1:
        return unbroadcast((jnp.swapaxes(x, -1, -2) @ g[..., None])[..., 0], y)
    return unbroadcast(jnp.swapaxes(x, -1, -2) @ g, y)


def _norm_axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if np.ndim(axis) == 0:
        axis = (int(axis),)
    return tuple(sorted(int(a) % ndim if ndim else 0 for a in axis))


def _expand_to(g, a, axis, keepdims):
    jnp = _jnp()
    shape = a.shape
    g = _as_dtype(jnp.asarray(g), _float_dtype(a))
    if not keepdims and shape and g.ndim:
        axes = _norm_axes(axis, len(shape))
        g = jnp.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return jnp.broadcast_to(g, shape)


def extremum_grad(g, a, z, axis=None, keepdims=False):
    """Gradient of max/min: to the extremal elements, ties share it (as the NumPy helper)."""
    jnp = _jnp()
    a = jnp.asarray(a)
    mask = a == _expand_to(z, a, axis, keepdims)
    n = jnp.sum(mask, axis=_norm_axes(axis, a.ndim), keepdims=True)
    return _as_dtype(_expand_to(g, a, axis, keepdims) * mask / jnp.maximum(n, 1), _float_dtype(a))


def like(g, x):
    """``g`` in x's float dtype when x is a float array (rule_helpers.like): float32 stays float32."""
    dt = getattr(x, "dtype", None)
    if dt is None:
        if isinstance(x, (list, tuple)) and isinstance(g, (list, tuple)) and len(g) == len(x):
            return type(g)(like(a, b) for a, b in zip(g, x)) if not hasattr(g, "_fields") else g
        return g
    if not np.issubdtype(np.dtype(dt), np.floating):
        return g
    gdt = getattr(g, "dtype", None)
    if gdt is not None:
        return g.astype(dt) if np.dtype(gdt) != np.dtype(dt) and np.dtype(gdt).kind in "fiub" else g
    if type(g) is float:
        return _jnp().asarray(g, dtype=dt)
    return g


def copy_value(x):
    """A private copy of a value the function changes in place (runtime.copy_value): a jax array is immutable,
    and every write into it the rewriting lets through makes a new one, so it is its own copy."""
    if _is_number(x) or isinstance(x, (list, dict)) or type(x) is np.ndarray:
        return runtime.copy_value(x)
    return x


def get_item(x, index):
    """x[index] (a jax array is immutable: the element is its own copy); lists and dicts as runtime.get_item."""
    if _is_number(x) or isinstance(x, (list, tuple, dict)):
        return runtime.get_item(x, index)
    return x[index]


def diag_grad(g, v, k=0):
    """Gradient of np.diag: the k-th diagonal of g (v 1-d), or g put on the k-th diagonal (v 2-d)."""
    jnp = _jnp()
    if len(_shape(v)) == 1:
        return jnp.diagonal(jnp.asarray(g), k)
    n, m = _shape(v)
    i = np.arange(max(0, -k), min(n, m - k))
    return jnp.zeros((n, m), dtype=_float_dtype(v)).at[i, i + k].set(g)


def _mT(x):
    return _jnp().swapaxes(x, -1, -2)


def cholesky_grad(g, z, upper=False):
    """Gradient of L = cholesky(A) (Murray 2016): S = L^-T Phi(L^T G) L^-1, on the triangle read."""
    jnp = _jnp()
    z, g = jnp.asarray(z), jnp.asarray(g)
    L = _mT(z) if upper else z
    gl = _mT(g) if upper else g
    n = L.shape[-1]
    eye = jnp.eye(n)
    p = _mT(L) @ gl
    p = jnp.tril(p) - 0.5 * p * eye
    s = jnp.linalg.solve(_mT(L), _mT(jnp.linalg.solve(_mT(L), _mT(p))))
    x = 0.5 * (s + _mT(s))
    strict = jnp.triu(jnp.ones((n, n)), 1) if upper else jnp.tril(jnp.ones((n, n)), -1)
    return x * eye + (x + _mT(x)) * strict


def solve_grad_b(g, a, b):
    """Gradient of x = solve(a, b) with respect to b: solve(a^T, g)."""
    jnp = _jnp()
    a = jnp.asarray(a)
    if len(_shape(b)) == 1:
        return unbroadcast(jnp.linalg.solve(_mT(a), jnp.asarray(g)[..., None])[..., 0], b)
    return unbroadcast(jnp.linalg.solve(_mT(a), jnp.asarray(g)), b)


def solve_grad_a(g, a, b, x):
    """Gradient of x = solve(a, b) with respect to a: -solve(a^T, g) x^T."""
    jnp = _jnp()
    a, g, x = jnp.asarray(a), jnp.asarray(g), jnp.asarray(x)
    vec = len(_shape(b)) == 1
    gb = jnp.linalg.solve(_mT(a), g[..., None] if vec else g)
    return unbroadcast(-gb @ _mT(x[..., None] if vec else x), a)


def mT(x):
    """Transpose of the last two axes (templates/linalg.py)."""
    return _mT(_jnp().asarray(x))


def dot_grad_x(g, x, y):
    """Gradient of np.dot(x, y) with respect to x (templates/numpy_core.py: y with more than two axes is
    contracted on its second-to-last)."""
    jnp = _jnp()
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return unbroadcast(g * y, x)
    if np.ndim(y) <= 2:
        return matmul_grad_x(g, x, y)
    nx, ny = np.ndim(x), np.ndim(y)
    return jnp.tensordot(g, y, (tuple(range(nx - 1, np.ndim(g))), tuple(i for i in range(ny) if i != ny - 2)))


def dot_grad_y(g, x, y):
    """Gradient of np.dot(x, y) with respect to y."""
    jnp = _jnp()
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return unbroadcast(g * x, y)
    if np.ndim(y) <= 2:
        return matmul_grad_y(g, x, y)
    nx = np.ndim(x)
    return jnp.moveaxis(jnp.tensordot(x, g, (tuple(range(nx - 1)), tuple(range(nx - 1)))), 0, -2)


def trace_grad(g, a, offset=0, axis1=0, axis2=1):
    """Gradient of np.trace: g placed on the (offset) diagonal of the axis1/axis2 planes."""
    jnp = _jnp()
    a = jnp.asarray(a)
    moved = jnp.moveaxis(jnp.zeros(a.shape), (axis1, axis2), (-2, -1)).shape
    n, m = moved[-2:]
    plane = jnp.asarray(g)[..., None, None] * jnp.eye(n, m, k=offset)
    out = jnp.broadcast_to(plane, moved)
    return jnp.moveaxis(out, (-2, -1), (axis1, axis2)).astype(jnp.result_type(a, 1.0))


def cumsum_grad(g, a, axis=None):
    """Gradient of np.cumsum: a reversed cumulative sum of g (flattened if axis is None)."""
    jnp = _jnp()
    g = jnp.asarray(g)
    if axis is None:
        return jnp.cumsum(jnp.ravel(g)[::-1])[::-1].reshape(_shape(a))
    return jnp.flip(jnp.cumsum(jnp.flip(g, axis), axis), axis)


# the s2s helpers that have a version here: runtime.py's and rule_helpers.py's, and three rule helpers of
# templates/ (named by module and name: the core imports no rule module)
_RUNTIME = ("unbroadcast", "shape_of", "init_grad", "as_grad", "zeros_like", "zero_grad", "copy_grad", "add_grad",
            "broadcast_shape", "get_item", "copy_value")
_RULE_HELPERS = ("grad_reduce", "reduced_count", "real_only", "real_sign", "safe_div", "power_slope", "like")
_TEMPLATES = {("s2s.templates.operators", "matmul_grad_x"), ("s2s.templates.operators", "matmul_grad_y"),
              ("s2s.templates.reductions", "extremum_grad"), ("s2s.templates.shapes", "diag_grad"),
              ("s2s.templates.linalg", "cholesky_grad"), ("s2s.templates.linalg", "solve_grad_a"),
              ("s2s.templates.linalg", "solve_grad_b"), ("s2s.templates.linalg", "mT"),
              ("s2s.templates.numpy_core", "dot_grad_x"), ("s2s.templates.numpy_core", "dot_grad_y"),
              ("s2s.templates.reductions", "trace_grad"), ("s2s.templates.reductions", "cumsum_grad")}


def version_of(obj):
    """The jax version of the s2s helper ``obj``, or None."""
    from .. import rule_helpers
    name = getattr(obj, "__name__", None)
    for mod, names in ((runtime, _RUNTIME), (rule_helpers, _RULE_HELPERS)):
        if name in names and getattr(mod, name) is obj:
            return globals()[name]
    if (getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)) in _TEMPLATES:
        return globals()[name]
    return None
