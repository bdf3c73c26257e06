"""Issue 12 (NumPy half): call each function of the issue through s2s.grad (reverse) and s2s.jvp
(forward) and count ok / refused / crash / wrong per family.

    python -m benchmarks.np12_measure [-v]

ok: the gradient (tangent) matches central differences and has the argument's container type;
refused: s2s.DifferentiationError; crash: any other exception; wrong: numbers or types differ.
The cases follow the shape of autograd's tests (test_numpy.py, test_linalg.py, test_systematic.py).
"""
import sys
import traceback
from collections import defaultdict

import numpy as np

import s2s

R = np.random.RandomState(0)


def rn(*shape):
    return R.randn(*shape)


def spd(n, *batch):
    a = R.randn(*batch, n, n)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def sym(n, *batch):
    a = R.randn(*batch, n, n)
    return a + np.swapaxes(a, -1, -2)


def realspec(n):
    """A non-symmetric matrix with real, distinct eigenvalues."""
    p = R.randn(n, n) + 3 * np.eye(n)
    return p @ np.diag(np.arange(1.0, n + 1)) @ np.linalg.inv(p)


CASES = defaultdict(list)   # family -> [(name, f, args, wrt)]


def case(family, name, *args, wrt=0):
    def put(f):
        CASES[family].append((name, f, args, wrt))
        return f
    return put


# --- 1. containers
@case("containers", "vstack tuple", (rn(3), rn(3)))
def c1(t): return np.sum(np.vstack(t) ** 2)
@case("containers", "vstack list", [rn(3), rn(3)])
def c2(t): return np.sum(np.sin(np.vstack(t)))
@case("containers", "vstack 1d array", rn(2))
def c3(x): return np.sum(np.vstack(x) ** 2)
@case("containers", "concatenate tuple", (rn(3), rn(2)))
def c4(t): return np.sum(np.concatenate(t) ** 3)
@case("containers", "concatenate list axis 1", [rn(2, 3), rn(2, 1)])
def c5(t): return np.sum(np.concatenate(t, axis=1) ** 2)
@case("containers", "stack tuple", (rn(3), rn(3)))
def c6(t): return np.sum(np.stack(t) ** 2)
@case("containers", "stack list axis 1", [rn(3), rn(3), rn(3)])
def c7(t): return np.sum(np.stack(t, axis=1) ** 2)
@case("containers", "hstack tuple", (rn(3), rn(2)))
def c8(t): return np.sum(np.hstack(t) ** 2)
@case("containers", "column_stack list", [rn(3), rn(3)])
def c9(t): return np.sum(np.column_stack(t) ** 2)
@case("containers", "row_stack tuple", (rn(3), rn(3)))
def c10(t): return np.sum(np.vstack(t) ** 2)
@case("containers", "dstack tuple", (rn(2, 3), rn(2, 3)))
def c11(t): return np.sum(np.dstack(t) ** 2)
@case("containers", "nested tuple in list", [(rn(2), rn(2)), rn(2)])
def c12(t): return np.sum(np.vstack(t[0]) ** 2) + np.sum(t[1] ** 3)
@case("containers", "dict", {"a": rn(3), "b": rn(3)})
def c13(d): return np.sum(d["a"] * d["b"])
@case("containers", "dict unused key", {"a": rn(3), "b": rn(3)})
def c14(d): return np.sum(d["a"] ** 2)
@case("containers", "tuple index", (rn(3), rn(3)))
def c15(t): return np.sum(t[0] * t[1])
@case("containers", "list of scalars", [1.0, 2.0, 3.0])
def c16(t): return np.sum(np.array(t) ** 2)
@case("containers", "tuple passed to array", (rn(2), rn(2)))
def c17(t): return np.sum(np.array(t) ** 2)
@case("containers", "vstack tuple of 2d", (rn(2, 3), rn(1, 3)))
def c18(t): return np.sum(np.vstack(t) ** 2)
@case("containers", "vstack (a, b) wrt a", rn(3), rn(3))
def c19(a, b): return np.sum(np.vstack((a, b)) ** 2)
@case("containers", "block list of lists", [[rn(2, 2), rn(2, 2)], [rn(2, 2), rn(2, 2)]])
def c20(t): return np.sum(np.block(t) ** 2)


# --- 2. numpy.linalg
@case("linalg", "eig vals", realspec(3))
def l1(a): return np.sum(np.linalg.eig(a)[0] ** 2)
@case("linalg", "eig vecs", realspec(3))
def l2(a):
    w, v = np.linalg.eig(a)
    return np.sum(v[0] ** 2 * np.arange(3.0)) + np.sum(w * v[1] ** 2)
@case("linalg", "eigvals", realspec(3))
def l3(a): return np.sum(np.linalg.eigvals(a) ** 3)
@case("linalg", "eigh", sym(3))
def l4(a):
    w, v = np.linalg.eigh(a)
    return np.sum(w ** 2) + np.sum(v ** 2 * np.arange(3.0))
@case("linalg", "eigh UPLO=U", sym(3))
def l5(a):
    w, v = np.linalg.eigh(a, UPLO="U")
    return np.sum(w * np.arange(3.0)) + np.sum(v ** 4)
@case("linalg", "eigh stacked", sym(3, 2))
def l6(a):
    w, v = np.linalg.eigh(a)
    return np.sum(w ** 2) + np.sum(v ** 4)
@case("linalg", "eigvalsh", sym(3))
def l7(a): return np.sum(np.linalg.eigvalsh(a) ** 2)
@case("linalg", "eigvalsh U stacked", sym(3, 2))
def l8(a): return np.sum(np.linalg.eigvalsh(a, UPLO="U") ** 2)
@case("linalg", "svd square", rn(3, 3))
def l9(a):
    u, s, vt = np.linalg.svd(a)
    return np.sum(s ** 2) + np.sum(u ** 4) + np.sum(vt ** 4)
@case("linalg", "svd wide reduced", rn(2, 4))
def l10(a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return np.sum(s) + np.sum(u ** 4) + np.sum(vt ** 4)
@case("linalg", "svd tall reduced", rn(4, 2))
def l11(a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return np.sum(s) + np.sum(u ** 4) + np.sum(vt ** 4)
@case("linalg", "svd compute_uv=False", rn(4, 3))
def l12(a): return np.sum(np.linalg.svd(a, compute_uv=False))
@case("linalg", "svd stacked", rn(2, 3, 4))
def l13(a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return np.sum(s ** 2) + np.sum(u ** 4) + np.sum(vt ** 4)
@case("linalg", "svd stacked s only", rn(2, 4, 3))
def l14(a): return np.sum(np.linalg.svd(a, compute_uv=False) ** 2)
@case("linalg", "svd full tall s only", rn(4, 2))
def l15(a):
    u, s, vt = np.linalg.svd(a)
    return np.sum(s ** 2)
@case("linalg", "cholesky", spd(3))
def l16(a): return np.sum(np.linalg.cholesky(a) ** 2)
@case("linalg", "cholesky stacked", spd(3, 2))
def l17(a): return np.sum(np.sin(np.linalg.cholesky(a)))
@case("linalg", "lstsq", rn(4, 3), rn(4))
def l18(a, b): return np.sum(np.linalg.lstsq(a, b, rcond=None)[0] ** 2)
@case("linalg", "lstsq wrt b", rn(4, 3), rn(4, 2), wrt=1)
def l19(a, b): return np.sum(np.linalg.lstsq(a, b)[0] ** 2)
@case("linalg", "pinv", rn(3, 4))
def l20(a): return np.sum(np.linalg.pinv(a) ** 2)
@case("linalg", "pinv stacked", rn(2, 4, 3))
def l21(a): return np.sum(np.linalg.pinv(a) ** 2)
@case("linalg", "tensorsolve", rn(6, 2, 3) + 0, rn(6))
def l22(a, b): return np.sum(np.linalg.tensorsolve(a, b) ** 2)
@case("linalg", "tensorinv", rn(4, 6, 8, 3) + 0)
def l23(a): return np.sum(np.linalg.tensorinv(a, ind=2) ** 2)
@case("linalg", "matrix_power 3", rn(3, 3))
def l24(a): return np.sum(np.linalg.matrix_power(a, 3))
@case("linalg", "matrix_power -2", np.eye(3) * 2 + 0.3 * rn(3, 3))
def l25(a): return np.sum(np.linalg.matrix_power(a, -2))
@case("linalg", "matrix_power 0", rn(3, 3))
def l26(a): return np.sum(np.linalg.matrix_power(a, 0) * a)
@case("linalg", "slogdet", rn(3, 3))
def l27(a): return np.linalg.slogdet(a)[1]
@case("linalg", "slogdet stacked", rn(2, 3, 3))
def l28(a): return np.sum(np.linalg.slogdet(a)[1])
@case("linalg", "slogdet unpack", rn(3, 3))
def l29(a):
    sign, logdet = np.linalg.slogdet(a)
    return sign * logdet
@case("linalg", "det stacked", rn(2, 3, 3))
def l30(a): return np.sum(np.linalg.det(a))
@case("linalg", "inv stacked", rn(2, 3, 3) + 3 * np.eye(3))
def l31(a): return np.sum(np.linalg.inv(a))
@case("linalg", "solve", rn(3, 3) + 3 * np.eye(3), rn(3))
def l32(a, b): return np.sum(np.linalg.solve(a, b) ** 2)
@case("linalg", "norm fro", rn(3, 3))
def l33(a): return np.linalg.norm(a)
@case("linalg", "norm axis", rn(3, 4))
def l34(a): return np.sum(np.linalg.norm(a, axis=1))
@case("linalg", "qr", rn(4, 3))
def l35(a):
    q, r = np.linalg.qr(a)
    return np.sum(q ** 4) + np.sum(r ** 3)


# --- 3. numpy
@case("numpy", "real", rn(3))
def n1(x): return np.sum(np.real(x) ** 2)
@case("numpy", "imag", rn(3))
def n2(x): return np.sum(np.imag(x) * x)
@case("numpy", "angle", rn(3))
def n3(x): return np.sum(np.angle(x) + x)
@case("numpy", "real_if_close", rn(3))
def n4(x): return np.sum(np.real_if_close(x) ** 2)
@case("numpy", "partition", rn(6))
def n5(x): return np.sum(np.partition(x, 2)[:3] ** 2)
@case("numpy", "partition axis", rn(3, 5))
def n6(x): return np.sum(np.partition(x, 1, axis=1)[:, 0] ** 2)
@case("numpy", "r_", rn(3), rn(2))
def n7(x, y): return np.sum(np.r_[x, y] ** 2)
@case("numpy", "r_ scalar", rn(3))
def n8(x): return np.sum(np.r_[x, 2.0, x] ** 2)
@case("numpy", "c_", rn(3), rn(3))
def n9(x, y): return np.sum(np.c_[x, y] ** 2)
@case("numpy", "c_ 2d", rn(3, 2), rn(3))
def n10(x, y): return np.sum(np.c_[x, y] ** 3)
@case("numpy", "einsum sublist", rn(2, 3), rn(3, 4))
def n11(a, b): return np.sum(np.einsum(a, [0, 1], b, [1, 2], [0, 2]) ** 2)
@case("numpy", "einsum sublist wrt b", rn(2, 3), rn(3, 4), wrt=1)
def n12(a, b): return np.sum(np.einsum(a, [0, 1], b, [1, 2], [0, 2]) ** 2)
@case("numpy", "einsum sublist trace", rn(3, 3))
def n13(a): return np.einsum(a, [0, 0])
@case("numpy", "einsum string", rn(2, 3), rn(3, 4))
def n14(a, b): return np.sum(np.einsum("ij,jk->ik", a, b) ** 2)
@case("numpy", "append", rn(3), rn(2))
def n15(x, y): return np.sum(np.append(x, y) ** 2)
@case("numpy", "append axis", rn(2, 3), rn(1, 3))
def n16(x, y): return np.sum(np.append(x, y, axis=0) ** 2)
@case("numpy", "delete", rn(5))
def n17(x): return np.sum(np.delete(x, [1, 3]) ** 2)
@case("numpy", "delete axis", rn(3, 4))
def n18(x): return np.sum(np.delete(x, 1, axis=1) ** 2)
@case("numpy", "take_along_axis", rn(3, 4))
def n19(x): return np.sum(np.take_along_axis(x, np.argsort(x, axis=1), axis=1) * np.arange(4.0))
@case("numpy", "put_along_axis", rn(3, 4), rn(3, 1))
def n20(x, v):
    y = x.copy()
    np.put_along_axis(y, np.array([[0], [2], [1]]), v, axis=1)
    return np.sum(y ** 2 * np.arange(4.0))
@case("numpy", "put_along_axis wrt v", rn(3, 4), rn(3, 1), wrt=1)
def n21(x, v):
    y = x.copy()
    np.put_along_axis(y, np.array([[0], [2], [1]]), v, axis=1)
    return np.sum(y ** 2 * np.arange(4.0))
@case("numpy", "diff", rn(5))
def n22(x): return np.sum(np.diff(x) ** 2)
@case("numpy", "diff n=2 axis", rn(3, 5))
def n23(x): return np.sum(np.diff(x, n=2, axis=1) ** 2)
@case("numpy", "diff prepend", rn(5))
def n24(x): return np.sum(np.diff(x, prepend=0.0) ** 2)
@case("numpy", "diff append array", rn(5), rn(1))
def n25(x, a): return np.sum(np.diff(x, append=a) ** 2)
@case("numpy", "diff append wrt append", rn(5), rn(1), wrt=1)
def n26(x, a): return np.sum(np.diff(x, append=a) ** 2)
@case("numpy", "interp x", np.array([0.15, 0.55, 0.8]))
def n27(x): return np.sum(np.interp(x, np.array([0.0, 0.5, 1.0]), np.array([1.0, 3.0, 2.0])) ** 2)
@case("numpy", "interp fp", np.array([1.0, 3.0, 2.0]))
def n28(fp): return np.sum(np.interp(np.array([0.15, 0.55, 0.8]), np.array([0.0, 0.5, 1.0]), fp) ** 2)
@case("numpy", "convolve full", rn(5), rn(3))
def n29(a, v): return np.sum(np.convolve(a, v) ** 2)
@case("numpy", "convolve valid wrt v", rn(5), rn(3), wrt=1)
def n30(a, v): return np.sum(np.convolve(a, v, mode="valid") ** 2)
@case("numpy", "convolve same", rn(5), rn(3))
def n31(a, v): return np.sum(np.convolve(a, v, "same") ** 2)
@case("numpy", "correlate", rn(5), rn(3))
def n32(a, v): return np.sum(np.correlate(a, v, "full") ** 2)
@case("numpy", "correlate wrt v", rn(5), rn(3), wrt=1)
def n33(a, v): return np.sum(np.correlate(a, v) ** 2)
@case("numpy", "cumprod", rn(5))
def n34(x): return np.sum(np.cumprod(x))
@case("numpy", "cumprod axis", rn(3, 4))
def n35(x): return np.sum(np.cumprod(x, axis=1) ** 2)
@case("numpy", "nansum", np.array([1.0, np.nan, 2.0]))
def n36(x): return np.nansum(x ** 2)
@case("numpy", "nanmean axis", np.array([[1.0, np.nan, 2.0], [0.5, 0.3, np.nan]]))
def n37(x): return np.sum(np.nanmean(x, axis=1) ** 2)
@case("numpy", "nanvar", np.array([1.0, np.nan, 2.0, 0.3]))
def n38(x): return np.nanvar(x)
@case("numpy", "nanstd axis", np.array([[1.0, np.nan, 2.0], [0.5, 0.3, np.nan]]))
def n39(x): return np.sum(np.nanstd(x, axis=1))
@case("numpy", "nanmax", np.array([1.0, np.nan, 2.0]))
def n40(x): return np.nanmax(x)
@case("numpy", "nanmin", np.array([1.0, np.nan, 2.0]))
def n41(x): return np.nanmin(x)
@case("numpy", "nanprod", np.array([1.5, np.nan, 2.0]))
def n42(x): return np.nanprod(x)
@case("numpy", "nancumsum", np.array([1.5, np.nan, 2.0]))
def n43(x): return np.sum(np.nancumsum(x) ** 2)
@case("numpy", "ptp", rn(5))
def n44(x): return np.ptp(x)
@case("numpy", "ptp axis", rn(3, 4))
def n45(x): return np.sum(np.ptp(x, axis=0) ** 2)
@case("numpy", "trace", rn(3, 3))
def n46(x): return np.trace(x)
@case("numpy", "trace offset", rn(3, 4))
def n47(x): return np.trace(x, offset=1) ** 2
@case("numpy", "trace axes", rn(2, 3, 3))
def n48(x): return np.sum(np.trace(x, axis1=1, axis2=2) ** 2)
@case("numpy", "trace neg offset axes", rn(3, 2, 3))
def n49(x): return np.sum(np.trace(x, -1, 0, 2) ** 2)
@case("numpy", "method trace", rn(3, 3))
def n50(x): return x.trace(offset=1)
@case("numpy", "method cumprod", rn(2, 3))
def n51(x): return np.sum(x.cumprod(axis=0))
@case("numpy", "method ptp", rn(2, 3))
def n52(x): return np.sum(np.ptp(x, 1))
@case("numpy", "x.real", rn(3))
def n53(x): return np.sum(x.real ** 2)
@case("numpy", "conj", rn(3))
def n54(x): return np.sum(np.conj(x) * x)


# --- 4. array-API namespaces
try:
    import array_api_compat.numpy as xp
    from array_api_compat import array_namespace
except ImportError:   # pragma: no cover
    xp = None
if xp is not None:
    @case("array-api", "xp.sum axis", rn(3, 4))
    def a1(x): return xp.sum(xp.sum(x, axis=1) ** 2)
    @case("array-api", "xp.square", rn(3))
    def a2(x): return xp.sum(xp.square(x))
    @case("array-api", "xp.linalg.inv", rn(3, 3) + 3 * np.eye(3))
    def a3(x): return xp.sum(xp.linalg.inv(x))
    @case("array-api", "get_namespace sum", rn(3, 4))
    def a4(x):
        ns = array_namespace(x)
        return ns.sum(ns.exp(x), axis=None)
    @case("array-api", "xp.mean keepdims", rn(3, 4))
    def a5(x): return xp.sum(xp.mean(x, axis=0, keepdims=True) ** 2)
    @case("array-api", "xp.matmul", rn(3, 4))
    def a6(x): return xp.sum(xp.matmul(x, x.T))
    @case("array-api", "xp.linalg.cholesky", spd(3))
    def a7(x): return xp.sum(xp.linalg.cholesky(x))
    @case("array-api", "xp.concat", rn(3), rn(2))
    def a8(x, y): return xp.sum(xp.concat([x, y]) ** 2)
    @case("array-api", "xp.max axis", rn(3, 4))
    def a9(x): return xp.sum(xp.max(x, axis=1))
    @case("array-api", "xp.std", rn(3, 4))
    def a10(x): return xp.sum(xp.std(x, axis=0))
    @case("array-api", "xp.linalg.vector_norm", rn(3, 4))
    def a11(x): return xp.sum(xp.linalg.vector_norm(x, axis=-1))
    @case("array-api", "xp.pow", rn(3) ** 2 + 0.5)
    def a12(x): return xp.sum(xp.pow(x, 3.0))
    @case("array-api", "xp.where", rn(3))
    def a13(x): return xp.sum(xp.where(x > 0, x, 2 * x))
    @case("array-api", "xp.asarray", rn(3))
    def a14(x): return xp.sum(xp.asarray(x) ** 2)
    @case("array-api", "xp.cumulative_sum", rn(3))
    def a15(x): return xp.sum(xp.cumulative_sum(x) ** 2)
    @case("array-api", "xp.linalg.solve", rn(3, 3) + 3 * np.eye(3), rn(3))
    def a16(a, b): return xp.sum(xp.linalg.solve(a, b))
    @case("array-api", "xp.prod axis", rn(3, 4))
    def a17(x): return xp.sum(xp.prod(x, axis=1))
    @case("array-api", "xp.reshape", rn(3, 4))
    def a18(x): return xp.sum(xp.reshape(x, (4, 3))[0] ** 2)
    @case("array-api", "xp.permute_dims", rn(3, 4))
    def a19(x): return xp.sum(xp.permute_dims(x, (1, 0))[0] ** 2)


# --- 5. power at zero
@case("power", "0 ** 2 dx", 0.0)
def p1(x): return x ** 2.0
@case("power", "array zeros ** 2 dx", np.array([0.0, 1.0, 2.0]))
def p2(x): return np.sum(x ** 2.0)
@case("power", "x ** y dy at 0", np.array([0.0, 1.5]), wrt=0)
def p3(x): return np.sum(2.0 ** x)
@case("power", "0 ** y dy", np.array([0.0, 1.0]), np.array([2.0, 3.0]), wrt=1)
def p4(x, y): return np.sum(x ** y)
@case("power", "0 ** y dx", np.array([0.0, 1.0]), np.array([2.0, 3.0]), wrt=0)
def p5(x, y): return np.sum(x ** y)
@case("power", "np.power zero", np.array([0.0, 1.0]), np.array([2.0, 1.0]), wrt=0)
def p6(x, y): return np.sum(np.power(x, y))
@case("power", "0 ** 1", np.array([0.0, 1.0]))
def p7(x): return np.sum(x ** 1.0)
@case("power", "0 ** 3 second order via sq", np.array([0.0, 1.0]))
def p8(x): return np.sum((x ** 3.0) * 2)


# --------------------------------------------------------------------------- checking
def tree_map(fn, *ts):
    t = ts[0]
    if isinstance(t, dict):
        return {k: tree_map(fn, *[u[k] for u in ts]) for k in t}
    if isinstance(t, (list, tuple)):
        return type(t)(tree_map(fn, *u) for u in zip(*ts))
    return fn(*ts)


def tree_leaves(t):
    if isinstance(t, dict):
        return [x for k in t for x in tree_leaves(t[k])]
    if isinstance(t, (list, tuple)):
        return [x for e in t for x in tree_leaves(e)]
    return [t]


def rand_like(x):
    return float(R.randn()) if isinstance(x, float) else R.randn(*np.shape(x))


def check_forward(f, args, wrt):
    v = tree_map(rand_like, args[wrt])
    out = s2s.jvp(f, wrt=wrt)(*args, v)
    eps = 1e-6

    def at(s):
        a = list(args)
        a[wrt] = tree_map(lambda x, t: x + s * t, args[wrt], v)
        return np.asarray(f(*a), dtype=float)
    num = (at(eps) - at(-eps)) / (2 * eps)
    got = np.asarray(out, dtype=float)
    if got.shape != num.shape and not (got.size == 1 and num.size == 1):
        raise AssertionError(f"tangent shape {got.shape} vs {num.shape}")
    if not np.allclose(got, num, rtol=1e-4, atol=1e-5):
        raise AssertionError(f"tangent {got} vs {num}")


def check_reverse(f, args, wrt):
    """s2s.check_grad, except that NaN inputs (the nan* reductions) are not compared."""
    if not any(np.isnan(x).any() for x in tree_leaves(args[wrt]) if isinstance(x, np.ndarray)):
        s2s.check_grad(f, *args, wrt=wrt, rtol=1e-4, atol=1e-5)
        return
    got = s2s.grad(f, wrt=wrt)(*args)
    num = s2s.numeric_grad(f, wrt=wrt)(*args)
    x = args[wrt]
    if type(got) is not type(x) or np.shape(got) != np.shape(x):
        raise AssertionError(f"gradient {type(got).__name__} {np.shape(got)} for {type(x).__name__} {np.shape(x)}")
    ok = ~np.isnan(x)
    if not np.allclose(got[ok], num[ok], rtol=1e-4, atol=1e-5):
        raise AssertionError(f"gradient {got} vs {num}")


def classify(fn):
    try:
        fn()
        return "ok", ""
    except s2s.DifferentiationError as e:
        return "refused", " | ".join(str(e).splitlines()[2:4])
    except AssertionError as e:
        return "wrong", str(e).splitlines()[0] + " " + " ".join(str(e).splitlines()[1:3])
    except Exception as e:   # noqa: BLE001
        tb = traceback.extract_tb(e.__traceback__)[-1]
        return "crash", f"{type(e).__name__}: {e} ({tb.filename.split('/')[-1]}:{tb.lineno})"


def main(verbose=False):
    import warnings
    warnings.simplefilter("ignore")
    totals = defaultdict(lambda: defaultdict(int))
    for family, items in CASES.items():
        for name, f, args, wrt in items:
            for mode, run in (("reverse", lambda: check_reverse(f, args, wrt)),
                              ("forward", lambda: check_forward(f, args, wrt))):
                status, why = classify(run)
                totals[family][(mode, status)] += 1
                if verbose and status != "ok":
                    print(f"  {family:10s} {mode:7s} {status:7s} {name}: {why[:200]}")
    print(f"{'family':12s} {'mode':8s} {'ok':>4s} {'refused':>8s} {'crash':>6s} {'wrong':>6s}")
    for family in CASES:
        for mode in ("reverse", "forward"):
            t = totals[family]
            print(f"{family:12s} {mode:8s} {t[(mode, 'ok')]:4d} {t[(mode, 'refused')]:8d} "
                  f"{t[(mode, 'crash')]:6d} {t[(mode, 'wrong')]:6d}")


if __name__ == "__main__":
    main("-v" in sys.argv)
