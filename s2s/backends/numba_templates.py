"""numba implementations of the gradient helpers of s2s's rules (templates/) and of the runtime helpers that
save and restore an element an in-place write overwrites (``backend="numba"``, s2s/backends/numba_helpers.py).

Each is a ``numba.extending.overload`` of a stub named like the NumPy helper; its typing function picks an
implementation for the argument types numba sees (numbers, arrays of up to two dimensions), and returns
None for the others: numba then stops with "No implementation of function ...", which
s2s/backends/numba_rewrite.py reports as a limit of s2s's own helper at the user's line (never a fall back).
They compute what the NumPy helpers compute for those types (the same formulas, the same dtypes).
"""
# the helpers implemented here: (module, qualname) -> the stub's parameters
TABLE = {
    ("s2s.templates.operators", "matmul_grad_x"): "g, x, y",
    ("s2s.templates.operators", "matmul_grad_y"): "g, x, y",
    ("s2s.templates.reductions", "extremum_grad"): "g, a, z, axis=None, keepdims=False",
    ("s2s.templates.shapes", "diag_grad"): "g, v, k=0",
    ("s2s.templates.linalg", "cholesky_grad"): "g, z, upper=False",
    ("s2s.templates.linalg", "solve_grad_a"): "g, a, b, x",
    ("s2s.templates.linalg", "solve_grad_b"): "g, a, b",
    ("s2s.templates.linalg", "mT"): "x",
    ("s2s.templates.numpy_core", "dot_grad_x"): "g, x, y",
    ("s2s.templates.numpy_core", "dot_grad_y"): "g, x, y",
    ("s2s.templates.reductions", "trace_grad"): "g, a, offset=0, axis1=0, axis2=1",
    ("s2s.templates.reductions", "cumsum_grad"): "g, a, axis=None",
    ("s2s.rule_helpers", "like"): "g, x",
    ("s2s.runtime", "get_item"): "x, index",
    ("s2s.runtime", "set_item"): "x, index, value",
}


def implement(stubs, numba):
    """Register the overloads of ``stubs`` ({qualname: stub function}) for the helpers of TABLE."""
    import numpy as np
    from numba.core import types as nt
    from numba.extending import overload

    def scalar(t):
        return isinstance(t, (nt.Number, nt.Boolean))

    def array(t, *ndims):
        return isinstance(t, nt.Array) and (not ndims or t.ndim in ndims)

    def floats(*ts):
        return all(isinstance(getattr(t, "dtype", t), nt.Float) for t in ts)

    def absent(t):
        return t is None or isinstance(t, (nt.NoneType, nt.Omitted))

    def ov(name):
        return overload(stubs[name], jit_options={"cache": False})

    like, copy_value = stubs["like"], stubs["copy_value"]

    @ov("like")
    def _like(g, x):   # g in x's float dtype when x is a float array (rule_helpers.like)
        if array(x) and isinstance(x.dtype, nt.Float):
            if array(g):
                if g.dtype == x.dtype or not isinstance(g.dtype, (nt.Float, nt.Integer, nt.Boolean)):
                    return lambda g, x: g
                return lambda g, x: g.astype(x.dtype)
            if scalar(g):
                if x.dtype == nt.float32:
                    return lambda g, x: np.float32(g)
                return lambda g, x: np.float64(g)
        if array(x) or scalar(x):
            return lambda g, x: g

    @ov("copy_value")
    def _copy_value(v):
        if scalar(v):
            return lambda v: v
        if array(v):
            return lambda v: v.copy()

    @ov("get_item")
    def _get_item(x, index):   # a private copy of x[index] (runtime.get_item)
        if array(x):
            return lambda x, index: copy_value(x[index])

    @ov("set_item")
    def _set_item(x, index, value):   # put back what get_item saved (runtime.set_item)
        if array(x):
            def impl(x, index, value):
                x[index] = value
            return impl

    # ------------------------------------------------------------ x @ y (templates/operators.py)

    @numba.njit(cache=False)
    def c(a):
        return np.ascontiguousarray(a)

    def matmul_grad(wrt_x):
        def typer(g, x, y):
            if not (array(x, 1, 2) and array(y, 1, 2) and floats(x, y) and (scalar(g) or array(g) and floats(g))):
                return None
            nx, ny = x.ndim, y.ndim
            if array(g) and g.ndim != nx + ny - 2:
                return None
            if nx == 1 and ny == 1:   # x @ y is a number
                if not scalar(g):
                    return None
                if wrt_x:
                    return lambda g, x, y: like(g * y, x)
                return lambda g, x, y: like(g * x, y)   # (NumPy's promotion: a float64 g gives float64)
            if scalar(g):
                if nx == 2 and ny == 2:
                    def full(g, x, y):
                        return np.full((x.shape[0], y.shape[1]), g)
                elif nx == 2:
                    def full(g, x, y):
                        return np.full(x.shape[0], g)
                else:
                    def full(g, x, y):
                        return np.full(y.shape[1], g)
            else:
                def full(g, x, y):
                    return g
            full = numba.njit(cache=False)(full)
            if len({t.dtype for t in (g, x, y) if array(t)} | ({nt.float64} if scalar(g) else set())) > 1:
                def cc(a):   # float32 with float64: computed in float64, as NumPy promotes
                    return np.ascontiguousarray(a).astype(np.float64)
            else:
                def cc(a):
                    return np.ascontiguousarray(a)
            cc = numba.njit(cache=False)(cc)
            if wrt_x:
                if nx == 2 and ny == 2:
                    return lambda g, x, y: like(cc(full(g, x, y)) @ cc(y.T), x)
                if nx == 2:
                    return lambda g, x, y: like(np.outer(cc(full(g, x, y)), cc(y)), x)
                return lambda g, x, y: like(cc(y) @ cc(full(g, x, y)), x)
            if nx == 2:
                return lambda g, x, y: like(cc(x.T) @ cc(full(g, x, y)), y)
            return lambda g, x, y: like(np.outer(cc(x), cc(full(g, x, y))), y)
        return typer

    ov("matmul_grad_x")(matmul_grad(True))
    ov("matmul_grad_y")(matmul_grad(False))
    matmul_grad_x, matmul_grad_y = stubs["matmul_grad_x"], stubs["matmul_grad_y"]

    @ov("dot_grad_x")
    def _dot_grad_x(g, x, y):   # np.dot of 1-d and 2-d arrays is x @ y
        if array(x, 1, 2) and array(y, 1, 2):
            return lambda g, x, y: matmul_grad_x(g, x, y)

    @ov("dot_grad_y")
    def _dot_grad_y(g, x, y):
        if array(x, 1, 2) and array(y, 1, 2):
            return lambda g, x, y: matmul_grad_y(g, x, y)

    @ov("mT")
    def _mT(x):   # the transpose of a matrix (a view, as NumPy's swapaxes)
        if array(x, 2):
            return lambda x: x.T

    @ov("trace_grad")
    def _trace_grad(g, a, offset=0, axis1=0, axis2=1):   # a matrix's trace: g on its offset diagonal
        if array(a, 2) and scalar(g) and (absent(offset) or isinstance(offset, nt.Integer)) and \
                all(absent(t) or isinstance(t, nt.IntegerLiteral) and t.literal_value == v
                    for t, v in ((axis1, 0), (axis2, 1))):
            return lambda g, a, offset=0, axis1=0, axis2=1: g * np.eye(a.shape[0], a.shape[1], offset)

    @ov("cumsum_grad")
    def _cumsum_grad(g, a, axis=None):   # the flattened cumsum's: a reversed cumulative sum of g
        if absent(axis) and array(g, 1) and array(a):
            return lambda g, a, axis=None: np.cumsum(g[::-1])[::-1].copy().reshape(a.shape)

    # ------------------------------------------------------------ max / min, np.diag (reductions, shapes)

    @ov("extremum_grad")
    def _extremum_grad(g, a, z, axis=None, keepdims=False):   # over the whole array only
        if array(a) and scalar(g) and scalar(z) and absent(axis) and (absent(keepdims) or
                                                                      isinstance(keepdims, nt.Boolean)):
            def impl(g, a, z, axis=None, keepdims=False):
                mask = a == z
                return like(g * mask / max(mask.sum(), 1), a)
            return impl

    @ov("diag_grad")
    def _diag_grad(g, v, k=0):
        if not (absent(k) or isinstance(k, nt.Integer)):
            return None
        if array(v, 1) and array(g, 2):   # v made a matrix: its gradient is g's k-th diagonal
            return lambda g, v, k=0: np.diag(g, k)
        if array(v, 2) and (scalar(g) or array(g, 1)):   # v's diagonal taken: g put back on it
            if isinstance(v.dtype, nt.Float):
                def zeros(v):
                    return np.zeros(v.shape, v.dtype)
            else:
                def zeros(v):
                    return np.zeros(v.shape)
            zeros = numba.njit(cache=False)(zeros)

            def impl(g, v, k=0):
                out = zeros(v)
                n, m = v.shape
                lo = max(0, -k)
                for j in range(lo, min(n, m - k)):
                    out[j, j + k] = g[j - lo]
                return out

            def impl_number(g, v, k=0):
                out = zeros(v)
                n, m = v.shape
                for j in range(max(0, -k), min(n, m - k)):
                    out[j, j + k] = g
                return out
            return impl_number if scalar(g) else impl

    # ------------------------------------------------------------ np.linalg (templates/linalg.py)

    def square(*ts):
        return all(array(t, 2) for t in ts) and floats(*ts)

    @ov("cholesky_grad")
    def _cholesky_grad(g, z, upper=False):   # Murray 2016: S = L^-T Phi(L^T G) L^-1, on the triangle read
        if not (square(g, z) and (absent(upper) or isinstance(upper, nt.Boolean))):
            return None

        def impl(g, z, upper=False):
            L = c(z.T) if upper else c(z)
            gl = c(g.T) if upper else c(g)
            n = L.shape[0]
            eye = np.eye(n)
            p = c(L.T) @ gl
            p = np.tril(p) - 0.5 * p * eye
            lt = c(L.T)
            s = np.linalg.solve(lt, c(np.linalg.solve(lt, c(p.T)).T))
            x = 0.5 * (s + s.T)
            strict = np.triu(np.ones((n, n)), 1) if upper else np.tril(np.ones((n, n)), -1)
            return x * eye + (x + x.T) * strict
        return impl

    @ov("solve_grad_a")
    def _solve_grad_a(g, a, b, x):   # -solve(a^T, g) x^T
        if square(a) and array(b, 1) and array(g, 1) and array(x, 1) and floats(g, b, x):
            return lambda g, a, b, x: -np.outer(np.linalg.solve(c(a.T), c(g)), x)
        if square(a, b, g, x):
            return lambda g, a, b, x: -(np.linalg.solve(c(a.T), c(g)) @ c(x.T))

    @ov("solve_grad_b")
    def _solve_grad_b(g, a, b):   # solve(a^T, g)
        if square(a) and (array(b, 1) and array(g, 1) or array(b, 2) and array(g, 2)) and floats(g, b):
            return lambda g, a, b: np.linalg.solve(c(a.T), c(g))
