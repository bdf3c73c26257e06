"""Registry-test cases for the SciPy rules of issue #12 (scipy_stats.py, scipy_rules.py, scipy_extra.py).

Kept apart from _cases.py (which imports this module last) so the SciPy families can grow without
touching the NumPy ones. Same vocabulary: see _casespec.py.
"""
import numpy as np

from _casespec import case, arr, pos, prob, spd, square, scalar, Const, A, at, const, nonzero, gt1, tuple_of  # noqa: F401


def simplex(k, n=None, alpha=(1.5, 2.0, 2.5, 3.0)):
    """A constant point of the simplex (dirichlet's x: components along axis 0), drawn per case."""
    a = np.asarray(alpha[:k])
    if n is None:
        return Const(lambda rng: rng.dirichlet(a), f"simplex({k})")
    return Const(lambda rng: rng.dirichlet(a, n).T, f"simplex({k}, {n})")


def counts(shape, low=0, high=6):
    """A constant array of counts (poisson's k) in [low, high), as floats the way users pass them."""
    return Const(lambda rng: rng.integers(low, high, size=shape).astype(float), f"counts({shape})")


def ode_func(y, t, arg1, arg2):
    """The peer suite's dynamics."""
    return -np.sqrt(t) - y + arg1 - np.mean((y + arg2) ** 2)


def ode_decay(y, t, k):
    return -k * y + np.sin(t) * y[::-1]


def ode_tfirst(t, y, arg1, arg2):
    return -np.sqrt(t) * y + arg1 * np.tanh(y + arg2)


def add_scipy_cases(CASES):
    try:
        import scipy.stats as st
        import scipy.special as sc
    except ImportError:  # SciPy is optional
        return
    add_special_cases(CASES, sc)
    add_linalg_cases(CASES)
    import scipy.integrate as integrate
    ode, decay = Const(lambda rng: ode_func, "ode_func"), Const(lambda rng: ode_decay, "ode_decay")
    grid = at(np.linspace(0.1, 0.2, 4))
    tight = dict(rtol=1e-11, atol=1e-11)
    CASES[integrate.odeint] = [
        case(ode, (3,), grid, args=tuple_of((3,), (3,)), **tight).note("the peer suite's case: y0, t, args"),
        case(decay, (2,), at(np.linspace(0.0, 1.0, 5)), args=tuple_of(scalar("pos")), **tight),
        case(decay, (2,), const(np.linspace(0.0, 2.0, 3)), (0.7,), **tight).note("a constant grid, constant args"),
        case(ode_tfirst, (3,), at(np.array([0.2, 0.5, 0.6])), args=tuple_of((3,), (3,)), tfirst=True, **tight),
    ]
    import scipy.signal as signal
    CASES[signal.convolve] = [case((4,), (2,)), case((3,), (5,), mode="valid").note("in2 the longer: SciPy swaps"),
                              case((6,), (4,), mode="same"), case((5,), (2,), "valid"), case((4,), (6,), mode="same"),
                              case((4, 3), (2, 3)), case((6, 7), (4, 3), mode="valid"), case((5, 4), (3, 2), mode="same"),
                              case((3, 4, 2), (2, 2, 2), method="direct"), case((2, 3), (3, 2), "same", "fft")]
    # --- continuous distributions with a shape parameter, loc and scale
    for dist, xdom, nshape in ((st.t, "real", 1), (st.chi2, "pos", 1), (st.gamma, "pos", 1), (st.beta, "prob", 2)):
        shapes = [pos((4,))] * nshape
        bshapes = [pos((3,))] + [pos((2, 1))] * (nshape - 1)
        sdom = "gt1" if dist is st.beta else "pos"   # beta: (x - loc) / scale stays inside (0, 1)
        for f in (dist.logpdf, dist.pdf):
            CASES[f] = [case(A((4,), xdom), *shapes),
                        case(A((2, 3), xdom), *bshapes).note("broadcasting shape parameters"),
                        case(A((3,), xdom), *[2.5] * nshape, loc=-0.1 if xdom != "real" else scalar(),
                             scale=scalar(sdom)).note("loc, scale as keywords"),
                        case(A((2, 3), xdom), *bshapes, 0.0, A((2, 1), sdom)).note("positional scale, broadcasting")]
        for f in (dist.cdf, dist.logcdf, dist.sf, dist.logsf):   # no derivative in the shape parameters (refused)
            CASES[f] = [case(A((4,), xdom), *shapes).wrt(0),
                        case(A((2, 3), xdom), *[2.5] * nshape, loc=-0.1, scale=A((2, 1), sdom)).wrt(0, "scale"),
                        case(A((3,), xdom), *bshapes[:nshape], scale=scalar(sdom)).wrt(0, "scale")]
        if xdom == "real":
            for f in (dist.cdf, dist.logcdf, dist.sf, dist.logsf):
                CASES[f].append(case(A((2, 3), "real"), 3.0, arr((3,)), pos((2, 1))).wrt(0, 2, 3))
    # --- poisson: mu only (k and loc are counts)
    for f in (st.poisson.logpmf, st.poisson.pmf, st.poisson.cdf, st.poisson.logcdf):
        CASES[f] = [case(counts((4,)), pos((4,))), case(counts((4, 3)), pos((4, 1))),
                    case(counts((3,)), scalar("pos")), case(counts((3,), 1), pos((3,)), loc=1)]
    # --- dirichlet: x on the simplex is a constant here (finite differences would leave the simplex);
    # the gradient in x is checked through a normalization in tests/test_scipy_stats.py
    for f in (st.dirichlet.logpdf, st.dirichlet.pdf):
        CASES[f] = [case(simplex(4), pos((4,))), case(simplex(3, 5), pos((3,))).note("several samples: x is (K, N)")]
    # --- multivariate_normal
    for f in (st.multivariate_normal.logpdf, st.multivariate_normal.pdf):
        CASES[f] = [case((3,), (3,), spd(3)), case((5, 3), (3,), spd(3)).note("one sample per row"),
                    case((4, 2, 3), mean=arr((3,)), cov=spd(3)).note("rows of a 3-d x, keywords"),
                    case((3,), (3,), pos((3,))).note("a diagonal cov"), case((4,), None, scalar("pos")).note("a scalar variance, x of dimension 1"),
                    case((2, 3), (3,), spd(3), allow_singular=True).note("pinv path with a nonsingular cov")]
    CASES[st.multivariate_normal.entropy] = [case((3,), spd(3)), case(None, spd(4)), case(mean=arr((3,)), cov=pos((3,))),
                                             case(mean=arr((2,)), cov=scalar("pos"))]


def banded(lu, n, seed=0):
    """A fixed, diagonally dominant band matrix in solve_banded's storage (l_and_u = lu), differentiated."""
    lo, up = lu
    ab = np.random.default_rng(seed).standard_normal((lo + up + 1, n)) * 0.5
    ab[up] += 3.0
    return at(ab)


def factor(n, lower, seed=0):
    """A fixed Cholesky factor (of an SPD matrix) as cho_factor gives it, differentiated."""
    b = np.random.default_rng(seed).standard_normal((n, n))
    L = np.linalg.cholesky(b @ b.T / n + np.eye(n))
    return at(L if lower else L.T)


def add_linalg_cases(CASES):
    import scipy.linalg as sla
    CASES[sla.solve_sylvester] = [case(square(3), square(3), (3, 3)), case(square(2), square(3), (2, 3)),
                                  case(square(3), (3, 3), square(3)).note("generic b: A and -B share no eigenvalue")]
    CASES[sla.sqrtm] = [case(spd(3)), case(square(3)).note("eigenvalues near 2: a real square root")]
    CASES[sla.cho_factor] = [case(spd(3)).post("id", None), case(spd(3), lower=True).post("id", None),
                             case(spd(4), True).post("id", None)]
    CASES[sla.cho_solve] = [case(tuple_of(factor(3, True), True), (3,)), case(tuple_of(factor(3, False), False), (3, 2)),
                            case(tuple_of(factor(4, False, 1), False), (4,))]
    CASES[sla.solve_banded] = [case(const((1, 1)), banded((1, 1), 5), (5,)), case(const((2, 1)), banded((2, 1), 4, 1), (4, 2)),
                               case(const((0, 2)), banded((0, 2), 4, 2), (4,)).note("upper triangular band")]


def add_special_cases(CASES, sc):
    """scipy.special: Bessel functions, incomplete gamma/beta, rgamma, multigammaln, logsumexp(return_sign)."""
    for f, dom in ((sc.j0, "real"), (sc.j1, "real"), (sc.y0, "pos"), (sc.y1, "pos"), (sc.rgamma, "pos")):
        CASES[f] = [case(A((4,), dom)), case(A((2, 3), dom)), case(scalar(dom))]
    CASES[sc.j1] = CASES[sc.j1] + [case(A(value=np.array([0.0, 1.0])))]
    orders = const(np.array([[0.5], [1.5]]))
    for f in (sc.jv, sc.yv, sc.iv, sc.ive):
        CASES[f] = [case(2, pos((4,))), case(orders, pos((3,))).note("orders broadcast against x"),
                    case(1.5, A((2, 3), "pos")), case(0, scalar("pos"))]
    CASES[sc.ive] = CASES[sc.ive] + [case(1, nonzero((4,))).note("x < 0 (an integer order): the scaling exp(-|x|) turns")]
    CASES[sc.yn] = [case(2, pos((4,))), case(const(np.array([[0], [3]])), pos((3,))), case(0, scalar("pos"))]
    for f in (sc.gammainc, sc.gammaincc):
        CASES[f] = [case(1.5, pos((4,))), case(const(np.array([0.5, 1.0, 2.5])), pos((2, 3))), case(2.0, scalar("pos"))]
    CASES[sc.betainc] = [case(2.0, 3.0, prob((4,))), case(const(np.array([0.5, 1.5, 3.0])), 1.5, prob((2, 3))),
                         case(1.2, 0.8, scalar("prob"))]
    CASES[sc.multigammaln] = [case(gt1((4,)), 3), case(gt1((2, 3)), 2), case(scalar("gt1"), 1)]
    CASES[sc.logsumexp] = CASES.get(sc.logsumexp, []) + [
        case((2, 3), axis=1, return_sign=True).post("id", None).note("the sign carries no gradient"),
        case((2, 3), axis=0, b=pos((2, 3)), return_sign=True).post("id", None),
        case((3, 4), axis=(0, 1), b=const(np.array([2.0, -0.5, 1.0, 3.0])), keepdims=True, return_sign=True).post("id", None)
        .note("negative weights, a positive sum"),
        case(scalar()).note("a Python float"),
        case((3, 4, 5), axis=(0, 2), b=pos((3, 1, 5)), keepdims=True)]
