"""The hard parts of the rule library, tested directly (no compiler).

Each helper is compared with central finite differences of the NumPy/SciPy
function it differentiates, on random inputs of several shapes, with the
axis/keepdims/ord/mode variants the helper handles. Linear operations
(selection, padding, splitting, convolution) are checked with the exact
adjoint identity <g, A x> = <A^T g, x> instead.
"""

import numpy as np
import pytest

from s2s.templates import linalg as L
from s2s.templates import reductions as R
from s2s.templates import shapes as S

EPS = 1e-6


def rng(seed=0):
    return np.random.default_rng(seed)


def numgrad(f, x, g):
    """d <g, f(x)> / dx by central differences."""
    x = np.array(x, dtype=float)
    out = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + EPS
        hi = np.sum(g * f(x.copy()))
        x[idx] = old - EPS
        lo = np.sum(g * f(x.copy()))
        x[idx] = old
        out[idx] = (hi - lo) / (2 * EPS)
    return out


def numjvp(f, x, t):
    return (np.asarray(f(x + EPS * t)) - np.asarray(f(x - EPS * t))) / (2 * EPS)


def close(a, b, tol=1e-5):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


AXES = [(None, (2, 3, 4)), (0, (2, 3, 4)), (-1, (2, 3, 4)), ((0, 2), (2, 3, 4)), ((-1, 0), (3, 2, 2)),
        (None, (5,)), (0, (5,)), (1, (3, 4))]


def distinct(r, shape):
    n = int(np.prod(shape))
    return ((r.permutation(n) + r.uniform(0, 0.5, n)) * 0.3).reshape(shape)


# ---------------------------------------------------------------- reductions
@pytest.mark.parametrize("axis,shape", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod_grad_with_zeros(axis, shape, keepdims):
    r = rng(1)
    x = r.standard_normal(shape)
    x.flat[r.choice(x.size, size=min(2, x.size - 1), replace=False)] = 0.0  # one or two zeros
    f = lambda a: np.prod(a, axis=axis, keepdims=keepdims)
    g = r.standard_normal(np.shape(f(x)))
    close(R.prod_grad(g, x, axis, keepdims), numgrad(f, x, g))
    t = r.standard_normal(shape)
    close(R.reduce_tangent(t, R.prod_grad(1.0, x, axis, keepdims), axis, keepdims, f(x)), numjvp(f, x, t))


@pytest.mark.parametrize("fn", [np.max, np.min, np.ptp])
@pytest.mark.parametrize("axis,shape", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_extremum_grad(fn, axis, shape, keepdims):
    r = rng(2)
    x = distinct(r, shape)
    f = lambda a: fn(a, axis=axis, keepdims=keepdims)
    g = r.standard_normal(np.shape(f(x)))
    if fn is np.ptp:
        got = R.ptp_grad(g, x, axis, keepdims)
    else:
        got = R.extremum_grad(g, x, f(x), axis, keepdims)
    close(got, numgrad(f, x, g))


def test_extremum_ties_share():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    close(R.extremum_grad(np.ones(2), x, x.max(1), 1), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


@pytest.mark.parametrize("fn,gradf", [(np.var, "var"), (np.std, "std")])
@pytest.mark.parametrize("axis,shape", AXES)
@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_var_std_grad(fn, gradf, axis, shape, ddof, keepdims):
    r = rng(3)
    x = r.standard_normal(shape)
    f = lambda a: fn(a, axis=axis, ddof=ddof, keepdims=keepdims)
    g = r.standard_normal(np.shape(f(x)))
    got = R.var_grad(g, x, axis, ddof, keepdims) if gradf == "var" else R.std_grad(g, x, f(x), axis, ddof, keepdims)
    close(got, numgrad(f, x, g))


@pytest.mark.parametrize("fn", [np.nanvar, np.nanstd, np.nanmean])
def test_nan_moments(fn):
    r = rng(4)
    x = r.standard_normal((4, 5))
    x[r.uniform(size=x.shape) < 0.3] = np.nan
    x[:, 0] = [np.nan, np.nan, np.nan, 1.0]  # a column with one value
    for axis in (None, 0, 1):
        f = lambda a: fn(a, axis=axis)
        z = f(x)
        g = r.standard_normal(np.shape(z))
        if fn is np.nanmean:
            got = R.nanmean_grad(g, x, axis)
        elif fn is np.nanvar:
            got = R.var_grad(g, x, axis, 0, False, None, True)
        else:
            got = R.std_grad(g, x, z, axis, 0, False, None, True)
        num = np.nan_to_num(numgrad(lambda a: np.nan_to_num(f(a)), x, np.nan_to_num(g)))
        close(np.nan_to_num(got), num)


@pytest.mark.parametrize("axis,shape", [(None, (5,)), (None, (2, 3)), (0, (3, 2)), (1, (2, 4)), (-1, (2, 2, 3))])
@pytest.mark.parametrize("zeros", [0, 1, 2])
def test_cumsum_cumprod(axis, shape, zeros):
    r = rng(5)
    x = r.standard_normal(shape)
    if zeros:
        x.flat[r.choice(x.size, size=zeros, replace=False)] = 0.0
    for fn in (np.cumsum, np.cumprod):
        f = lambda a: fn(a, axis=axis)
        z = f(x)
        g = r.standard_normal(z.shape)
        got = R.cumsum_grad(g, x, axis) if fn is np.cumsum else R.cumprod_grad(g, x, z, axis)
        close(got, numgrad(f, x, g))
        if fn is np.cumprod:
            t = r.standard_normal(shape)
            close(R.cumprod_tangent(t, x, z, axis), numjvp(f, x, t))


@pytest.mark.parametrize("q", [0.0, 0.25, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("axis,shape", [(None, (7,)), (None, (2, 4)), (1, (3, 5)), (0, (4, 3)), ((0, 2), (2, 3, 2))])
def test_quantile_weights(q, axis, shape):
    r = rng(6)
    x = distinct(r, shape)
    f = lambda a: np.quantile(a, q, axis=axis)
    g = r.standard_normal(np.shape(f(x)))
    got = R.expand_to(g, x, axis) * R.quantile_weights(x, q, axis)
    close(got, numgrad(f, x, g))


def test_quantile_slope():
    x = distinct(rng(7), (3, 6))
    for q in (0.1, 0.37, 0.9):
        num = (np.quantile(x, q + EPS, axis=1) - np.quantile(x, q - EPS, axis=1)) / (2 * EPS)
        close(R.quantile_slope(x, q, 1), num)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("axis", [0, -1])
def test_diff_adjoint(n, axis):
    r = rng(8)
    x = r.standard_normal((5, 6))
    g = r.standard_normal(np.diff(x, n=n, axis=axis).shape)
    close(np.sum(g * np.diff(x, n=n, axis=axis)), np.sum(R.diff_grad(g, x, n, axis) * x))


@pytest.mark.parametrize("weights_shape,axis", [(None, None), ((2, 3, 4), None), ((4,), -1), ((3,), 1), ((2, 3, 4), 0)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_average(weights_shape, axis, keepdims):
    r = rng(9)
    a = r.standard_normal((2, 3, 4))
    w = None if weights_shape is None else r.uniform(0.5, 2, weights_shape)
    f = lambda a_, w_=w: np.average(a_, axis=axis, weights=w_, keepdims=keepdims)
    z = f(a)
    g = r.standard_normal(np.shape(z))
    close(R.average_grad_a(g, a, axis, w, False, keepdims), numgrad(f, a, g))
    if w is not None:
        close(R.average_grad_w(g, a, z, axis, w, keepdims), numgrad(lambda w_: f(a, w_), w, g))


def test_trapezoid():
    r = rng(10)
    y, x = r.standard_normal((3, 5)), np.sort(r.standard_normal(5))
    g = r.standard_normal(3)
    close(R.trapezoid_grad_y(g, y, x, 1.0, -1), numgrad(lambda y_: np.trapezoid(y_, x), y, g))
    close(R.trapezoid_grad_x(g, y, x, -1), numgrad(lambda x_: np.trapezoid(y, x_), x, g))


# ---------------------------------------------------------------- linear shape operations: exact adjoints
LINEAR = [
    ("pad const", (3, 4), lambda x: np.pad(x, ((1, 2), (0, 3))), lambda g, x: S.scatter_back(g, x, S.pad_source(x, ((1, 2), (0, 3))))),
    ("pad reflect", (4, 5), lambda x: np.pad(x, 3, "reflect"), lambda g, x: S.scatter_back(g, x, S.pad_source(x, 3, "reflect"))),
    ("pad symmetric", (4,), lambda x: np.pad(x, (2, 6), "symmetric"), lambda g, x: S.scatter_back(g, x, S.pad_source(x, (2, 6), "symmetric"))),
    ("pad wrap", (2, 3), lambda x: np.pad(x, 4, "wrap"), lambda g, x: S.scatter_back(g, x, S.pad_source(x, 4, "wrap"))),
    ("pad edge", (2, 3), lambda x: np.pad(x, ((0, 2), (3, 1)), "edge"), lambda g, x: S.scatter_back(g, x, S.pad_source(x, ((0, 2), (3, 1)), "edge"))),
    ("roll", (3, 4), lambda x: np.roll(x, (1, -5), (0, 1)), lambda g, x: np.roll(g, np.negative((1, -5)), (0, 1))),
    ("roll flat", (3, 4), lambda x: np.roll(x, 7), lambda g, x: np.roll(g, -7)),
    ("rot90", (2, 3, 4), lambda x: np.rot90(x, 3, (2, 0)), lambda g, x: np.rot90(g, -3, (2, 0))),
    ("tile", (2, 3), lambda x: np.tile(x, (2, 1, 3)), lambda g, x: S.scatter_back(g, x, np.tile(S.source_index(x), (2, 1, 3)))),
    ("repeat", (2, 3), lambda x: np.repeat(x, [2, 0, 3], axis=1), lambda g, x: S.scatter_back(g, x, np.repeat(S.source_index(x), [2, 0, 3], axis=1))),
    ("take wrap", (3, 4), lambda x: np.take(x, [[5, -1], [0, 0]], axis=1, mode="wrap"),
     lambda g, x: S.scatter_back(g, x, np.take(S.source_index(x), [[5, -1], [0, 0]], axis=1, mode="wrap"))),
    ("sort", (3, 5), lambda x: np.sort(x, axis=0), None),
    ("sort flat", (3, 5), lambda x: np.sort(x, axis=None), None),
    ("diag 2d", (3, 5), lambda x: np.diag(x, 2), lambda g, x: S.diag_grad(g, x, 2)),
    ("diag 2d neg", (5, 3), lambda x: np.diag(x, -1), lambda g, x: S.diag_grad(g, x, -1)),
    ("diagonal", (3, 4, 5), lambda x: np.diagonal(x, 1, 2, 0), lambda g, x: S.diagonal_grad(g, x, 1, 2, 0)),
    ("trace", (3, 4, 5), lambda x: np.trace(x, -1, 0, 2), lambda g, x: R.trace_grad(g, x, -1, 0, 2)),
    ("rollaxis", (2, 3, 4, 5), lambda x: np.rollaxis(x, 3, 1), lambda g, x: S.rollaxis_grad(g, x, 3, 1)),
    ("rollaxis fwd", (2, 3, 4, 5), lambda x: np.rollaxis(x, 0, 3), lambda g, x: S.rollaxis_grad(g, x, 0, 3)),
    ("ediff1d", (2, 3), lambda x: np.ediff1d(x, to_begin=[0.0]), lambda g, x: R.ediff1d_grad(g, x, None, [0.0], "ary")),
    ("cumsum flat", (2, 3), lambda x: np.cumsum(x), lambda g, x: R.cumsum_grad(g, x, None)),
]


@pytest.mark.parametrize("name,shape,f,adj", LINEAR, ids=[n for n, *_ in LINEAR])
def test_linear_adjoint(name, shape, f, adj):
    r = rng(11)
    x = distinct(r, shape) if name.startswith("sort") else r.standard_normal(shape)
    g = r.standard_normal(np.shape(f(x)))
    if adj is None:  # sort: the permutation found at x is fixed in a neighbourhood
        axis = None if "flat" in name else 0
        got = S.scatter_back(g, x, S.sort_source(x, axis))
        close(got, numgrad(f, x, g))
        return
    got = adj(g, x)
    assert np.shape(got) == x.shape
    close(np.sum(g * f(x)), np.sum(got * x))


@pytest.mark.parametrize("fn,ios,axis", [(np.split, 3, 0), (np.split, [1, 4], 1), (np.array_split, 4, 1)])
def test_split_concat(fn, ios, axis):
    r = rng(12)
    x = r.standard_normal((6, 5))
    parts = fn(x, ios, axis)
    gs = [r.standard_normal(p.shape) for p in parts]
    gs[0] = 0  # a piece without gradient
    got = np.concatenate(S.fill_zeros(gs, parts), axis)
    close(sum(np.sum(g * p) for g, p in zip(gs, parts) if not np.isscalar(g)), np.sum(got * x))
    arrays = [r.standard_normal((2, k)) for k in (1, 3, 2)]
    g = r.standard_normal((2, 6))
    pieces = S.unconcatenate(g, arrays, 1)
    close(np.sum(g * np.concatenate(arrays, 1)), sum(np.sum(p * a) for p, a in zip(pieces, arrays)))


def test_convolve_modes():
    r = rng(13)
    for na, nv in [(5, 3), (3, 5), (4, 4), (6, 1)]:
        a, v = r.standard_normal(na), r.standard_normal(nv)
        for mode in ("full", "same", "valid"):
            g = r.standard_normal(np.convolve(a, v, mode).shape)
            close(L.convolve_grad(g, a, v, mode, 0), numgrad(lambda a_: np.convolve(a_, v, mode), a, g))
            close(L.convolve_grad(g, a, v, mode, 1), numgrad(lambda v_: np.convolve(a, v_, mode), v, g))


# ---------------------------------------------------------------- products
EINSUMS = [("ij,jk->ik", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]), ("iij->j", [(2, 2, 3)]),
           ("i,i,i->", [(4,), (4,), (4,)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]), ("ij->", [(2, 3)]),
           ("...ij,...jk->...ik", [(5, 2, 3), (1, 3, 4)]), ("...i,...i", [(2, 3), (3,)]), ("ji", [(2, 3)]),
           ("ij,kl->ijkl", [(2, 2), (3, 1)]), ("i...->...", [(2, 3, 4)]), ("ijk,jil->kl", [(2, 3, 4), (3, 2, 5)])]


@pytest.mark.parametrize("subs,shapes", EINSUMS, ids=[s for s, _ in EINSUMS])
def test_einsum(subs, shapes):
    r = rng(14)
    ops = [r.standard_normal(s) for s in shapes]
    z = np.einsum(subs, *ops)
    g = r.standard_normal(np.shape(z))
    grads = L.einsum_grads(g, subs, ops)
    for i, op in enumerate(ops):
        def f(x, i=i):
            o = list(ops)
            o[i] = x
            return np.einsum(subs, *o)
        close(grads[i], numgrad(f, op, g))
    ts = [r.standard_normal(s) for s in shapes]
    ts[0] = 0
    num = sum(numjvp(lambda x, i=i: np.einsum(subs, *[x if j == i else o for j, o in enumerate(ops)]), ops[i], ts[i])
              for i in range(1, len(ops))) if len(ops) > 1 else np.zeros(np.shape(z))
    close(L.einsum_tangent(ts, subs, ops, z), num)


@pytest.mark.parametrize("sa,sb,axes", [((2, 3), (3, 4), 1), ((2, 3, 4), (3, 4, 5), 2), ((3, 2, 4), (4, 3), ([0, 2], [1, 0])),
                                        ((2, 3), (4,), 0), ((2, 3), (2, 3), ([1, 0], [1, 0])), ((4, 3), (3, 2), (-1, 0))])
def test_tensordot(sa, sb, axes):
    r = rng(15)
    a, b = r.standard_normal(sa), r.standard_normal(sb)
    g = r.standard_normal(np.tensordot(a, b, axes).shape)
    close(L.tensordot_grad_a(g, a, b, axes), numgrad(lambda x: np.tensordot(x, b, axes), a, g))
    close(L.tensordot_grad_b(g, a, b, axes), numgrad(lambda x: np.tensordot(a, x, axes), b, g))


@pytest.mark.parametrize("sa,sb", [((2,), (3,)), ((2, 2), (3, 2)), ((2,), (2, 3)), ((2, 1, 2), (3, 2)), ((3, 2), (2,))])
def test_kron(sa, sb):
    r = rng(16)
    a, b = r.standard_normal(sa), r.standard_normal(sb)
    g = r.standard_normal(np.kron(a, b).shape)
    close(L.kron_grad(g, a, b, 0), numgrad(lambda x: np.kron(x, b), a, g))
    close(L.kron_grad(g, a, b, 1), numgrad(lambda x: np.kron(a, x), b, g))


@pytest.mark.parametrize("sa,sb,kw", [((3,), (3,), {}), ((4, 3), (3,), {}), ((3, 2), (3, 2), {"axis": 0}),
                                      ((3, 4), (4, 3), {"axisa": 0, "axisb": 1, "axisc": 0}), ((2, 1, 3), (4, 3), {})])
def test_cross(sa, sb, kw):
    r = rng(17)
    a, b = r.standard_normal(sa), r.standard_normal(sb)
    g = r.standard_normal(np.cross(a, b, **kw).shape)
    args = [kw.get(k, -1) for k in ("axisa", "axisb", "axisc")] + [kw.get("axis")]
    close(L.cross_grad(g, a, b, *args, 0), numgrad(lambda x: np.cross(x, b, **kw), a, g))
    close(L.cross_grad(g, a, b, *args, 1), numgrad(lambda x: np.cross(a, x, **kw), b, g))


# ---------------------------------------------------------------- np.linalg
def square(r, n, batch=()):
    return r.standard_normal(batch + (n, n)) * 0.5 + 2 * np.eye(n)


def spd(r, n, batch=()):
    b = r.standard_normal(batch + (n, n))
    return b @ np.swapaxes(b, -1, -2) / n + np.eye(n)


def fullrank(r, m, n, batch=()):
    k = min(m, n)
    u = np.linalg.qr(r.standard_normal(batch + (m, k)))[0]
    v = np.linalg.qr(r.standard_normal(batch + (n, k)))[0]
    s = 1 + np.arange(k)[::-1] * 0.8
    return (u * s) @ np.swapaxes(v, -1, -2)


@pytest.mark.parametrize("batch", [(), (3,)])
def test_inv_det_slogdet_solve(batch):
    r = rng(18)
    a = square(r, 3, batch)
    g = r.standard_normal(a.shape)
    z = np.linalg.inv(a)
    close(-L.mT(z) @ g @ L.mT(z), numgrad(np.linalg.inv, a, g))
    gd = r.standard_normal(batch)
    close((gd * np.linalg.det(a))[..., None, None] * L.mT(np.linalg.inv(a)), numgrad(np.linalg.det, a, gd))
    close(L.slogdet_grad((0, gd), a), numgrad(lambda x: np.linalg.slogdet(x)[1], a, gd))
    for bshape in [(3,) if not batch else batch + (3, 1), batch + (3, 2)]:
        b = r.standard_normal(bshape)
        x = np.linalg.solve(a, b)
        gx = r.standard_normal(x.shape)
        close(L.solve_grad_a(gx, a, b, x), numgrad(lambda a_: np.linalg.solve(a_, b), a, gx))
        close(L.solve_grad_b(gx, a, b), numgrad(lambda b_: np.linalg.solve(a, b_), b, gx))
        ta, tb = r.standard_normal(a.shape), r.standard_normal(b.shape)
        num = numjvp(lambda a_: np.linalg.solve(a_, b), a, ta) + numjvp(lambda b_: np.linalg.solve(a, b_), b, tb)
        close(L.solve_tangent(ta, tb, a, b, x), num)


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("batch", [(), (2,)])
def test_cholesky_exact_triangle(upper, batch):
    """Unsymmetrized finite differences: the gradient lives on the triangle NumPy reads."""
    r = rng(19)
    a = spd(r, 4, batch)
    z = np.linalg.cholesky(a, upper=upper)
    g = r.standard_normal(z.shape)
    f = lambda x: np.linalg.cholesky(x, upper=upper)
    close(L.cholesky_grad(g, z, upper), numgrad(f, a, g))
    t = r.standard_normal(a.shape)  # not symmetric: only the read triangle matters
    close(L.cholesky_tangent(t, z, upper), numjvp(f, a, t))


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_exact_triangle(uplo):
    r = rng(20)
    q = np.linalg.qr(r.standard_normal((4, 4)))[0]
    a = (q * np.array([-1.0, 0.2, 1.1, 2.5])) @ q.T
    w, v = np.linalg.eigh(a, uplo)
    gw, gv = r.standard_normal(4), r.standard_normal((4, 4))
    f = lambda x: np.sum(gw * np.linalg.eigh(x, uplo)[0]) + np.sum(gv * np.linalg.eigh(x, uplo)[1] ** 2)
    got = L.eigh_grad((gw, 2 * v * gv), (w, v), uplo)
    close(got, numgrad(lambda x: np.array(f(x)), a, 1.0))
    t = r.standard_normal((4, 4))
    dw, dv = L.eigh_tangent(t, (w, v), uplo)
    close(dw, numjvp(lambda x: np.linalg.eigh(x, uplo)[0], a, t))
    close(2 * v * dv, numjvp(lambda x: np.linalg.eigh(x, uplo)[1] ** 2, a, t))


@pytest.mark.parametrize("m,n,batch", [(3, 3, ()), (4, 2, ()), (2, 4, ()), (3, 2, (2,))])
def test_svd(m, n, batch):
    r = rng(21)
    a = fullrank(r, m, n, batch)
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    gu, gs, gvh = r.standard_normal(u.shape), r.standard_normal(s.shape), r.standard_normal(vh.shape)

    def loss(x):
        u_, s_, vh_ = np.linalg.svd(x, full_matrices=False)
        return np.array(np.sum(gu * u_ ** 2) + np.sum(gs * s_) + np.sum(gvh * vh_ ** 2))
    got = L.svd_grad((2 * u * gu, gs, 2 * vh * gvh), a, (u, s, vh), False, True)
    close(got, numgrad(loss, a, 1.0))
    close(L.svd_grad(gs, a, s, False, False), numgrad(lambda x: np.linalg.svd(x, compute_uv=False), a, gs))
    t = r.standard_normal(a.shape)
    du, ds, dvh = L.svd_tangent(t, a, (u, s, vh), False, True)
    close(ds, numjvp(lambda x: np.linalg.svd(x, full_matrices=False)[1], a, t))
    close(2 * u * du, numjvp(lambda x: np.linalg.svd(x, full_matrices=False)[0] ** 2, a, t))
    close(2 * vh * dvh, numjvp(lambda x: np.linalg.svd(x, full_matrices=False)[2] ** 2, a, t))


def test_svd_full_matrices_extra_columns_raise():
    a = fullrank(rng(22), 4, 2)
    u, s, vh = np.linalg.svd(a)
    with pytest.raises(NotImplementedError):
        L.svd_grad((np.ones(u.shape), 0, 0), a, (u, s, vh), True, True)


@pytest.mark.parametrize("m,n,batch", [(3, 3, ()), (5, 3, ()), (2, 4, ()), (4, 2, (2,))])
@pytest.mark.parametrize("mode", ["reduced", "r"])
def test_qr(m, n, batch, mode):
    r = rng(23)
    a = fullrank(r, m, n, batch)
    z = np.linalg.qr(a, mode=mode)
    if mode == "r":
        g = r.standard_normal(z.shape)
        close(L.qr_grad(g, a, z, mode), numgrad(lambda x: np.linalg.qr(x, mode="r"), a, g))
        t = r.standard_normal(a.shape)
        close(L.qr_tangent(t, a, z, mode), numjvp(lambda x: np.linalg.qr(x, mode="r"), a, t))
        return
    q, rr = z
    gq, gr = r.standard_normal(q.shape), r.standard_normal(rr.shape)
    loss = lambda x: np.array(np.sum(gq * np.linalg.qr(x)[0]) + np.sum(gr * np.linalg.qr(x)[1]))
    close(L.qr_grad((gq, gr), a, z, mode), numgrad(loss, a, 1.0))
    t = r.standard_normal(a.shape)
    dq, dr = L.qr_tangent(t, a, z, mode)
    close(dq, numjvp(lambda x: np.linalg.qr(x)[0], a, t))
    close(dr, numjvp(lambda x: np.linalg.qr(x)[1], a, t))


@pytest.mark.parametrize("m,n", [(3, 2), (2, 4), (3, 3)])
def test_pinv(m, n):
    r = rng(24)
    a = fullrank(r, m, n)
    p = np.linalg.pinv(a)
    g = r.standard_normal(p.shape)
    close(L.pinv_grad(g, a, p), numgrad(np.linalg.pinv, a, g))
    t = r.standard_normal(a.shape)
    close(L.pinv_tangent(t, a, p), numjvp(np.linalg.pinv, a, t))


@pytest.mark.parametrize("n", [-3, -1, 0, 1, 2, 5])
def test_matrix_power(n):
    r = rng(25)
    a = square(r, 3) * 0.6
    f = lambda x: np.linalg.matrix_power(x, n)
    g = r.standard_normal((3, 3))
    close(L.matrix_power_grad(g, a, n), numgrad(f, a, g))
    t = r.standard_normal((3, 3))
    close(L.matrix_power_tangent(t, a, n), numjvp(f, a, t))


VECTOR_ORDS = [None, 1, 2, 3, 0.5, np.inf, -np.inf]
MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("shape,axis", [((5,), None), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norms(ord, shape, axis, keepdims):
    r = rng(26)
    x = distinct(r, shape) + 0.05
    f = lambda a: np.linalg.norm(a, ord, axis, keepdims)
    z = f(x)
    g = r.standard_normal(np.shape(z))
    close(L.norm_grad(g, x, z, ord, axis, keepdims), numgrad(f, x, g))


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("shape,axis", [((3, 4), None), ((4, 3), (1, 0)), ((2, 3, 4), (1, 2)), ((3, 2, 4), (2, 0))])
@pytest.mark.parametrize("keepdims", [False, True])
def test_matrix_norms(ord, shape, axis, keepdims):
    r = rng(27)
    x = distinct(r, shape)
    f = lambda a: np.linalg.norm(a, ord, axis, keepdims)
    z = f(x)
    g = r.standard_normal(np.shape(z))
    close(L.norm_grad(g, x, z, ord, axis, keepdims), numgrad(f, x, g))


def test_multi_dot():
    r = rng(28)
    for shapes in [[(2, 3), (3, 4), (4, 2)], [(3,), (3, 4), (4,)], [(3,), (3, 2)], [(2, 3), (3, 3), (3, 3), (3,)]]:
        arrs = [r.standard_normal(s) for s in shapes]
        z = np.linalg.multi_dot(arrs)
        g = r.standard_normal(np.shape(z))
        grads = L.multi_dot_grads(g, arrs)
        for i in range(len(arrs)):
            f = lambda x, i=i: np.linalg.multi_dot([x if j == i else a for j, a in enumerate(arrs)])
            close(grads[i], numgrad(f, arrs[i], g))


# ---------------------------------------------------------------- scipy
sc = pytest.importorskip("scipy.special")


@pytest.mark.parametrize("axis,shape,bshape", [(None, (5,), None), (1, (2, 3), None), ((0, 2), (2, 3, 4), None),
                                               (None, (2, 3), (2, 3)), (0, (2, 3), (3,)), (-1, (2, 3), (2, 1))])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp(axis, shape, bshape, keepdims):
    from s2s.templates.scipy_rules import logsumexp_grad
    r = rng(29)
    a = r.standard_normal(shape)
    b = None if bshape is None else r.uniform(0.5, 2, bshape)
    f = lambda a_, b_=b: sc.logsumexp(a_, axis=axis, b=b_, keepdims=keepdims)
    z = f(a)
    g = r.standard_normal(np.shape(z))
    close(logsumexp_grad(g, a, z, axis, b, keepdims, False, "a"), numgrad(f, a, g))
    if b is not None:
        close(logsumexp_grad(g, a, z, axis, b, keepdims, False, "b"), numgrad(lambda b_: f(a, b_), b, g))


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_softmax_formulas(axis):
    r = rng(30)
    x = r.standard_normal((3, 4))
    z = sc.softmax(x, axis=axis)
    g = r.standard_normal(z.shape)
    close(z * (g - np.sum(g * z, axis=axis, keepdims=True)), numgrad(lambda a: sc.softmax(a, axis=axis), x, g))
    lz = sc.log_softmax(x, axis=axis)
    close(g - np.exp(lz) * np.sum(g, axis=axis, keepdims=True), numgrad(lambda a: sc.log_softmax(a, axis=axis), x, g))


def test_expm_frechet_gradient():
    import scipy.linalg as sla
    from s2s.templates.scipy_rules import expm_grad
    r = rng(31)
    a = r.standard_normal((3, 3)) * 0.5
    g = r.standard_normal((3, 3))
    close(expm_grad(g, a), numgrad(sla.expm, a, g))


def test_digamma_pure_python():
    from s2s.templates.pymath import digamma
    for x in [-2.5, -0.3, 0.1, 0.5, 1.0, 3.7, 12.0, 150.0]:
        assert abs(digamma(x) - sc.digamma(x)) < 1e-12 * max(1.0, abs(sc.digamma(x)))
