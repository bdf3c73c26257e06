"""Registry-test cases for the SciPy rules of issue #12 (scipy_stats.py, scipy_rules.py, scipy_extra.py).

Kept apart from _cases.py (which imports this module last) so the SciPy families can grow without
touching the NumPy ones. Same vocabulary: see _casespec.py.
"""
import numpy as np

from ._casespec import case, arr, pos, prob, spd, scalar, Const, A  # noqa: F401


def simplex(k, n=None, alpha=(1.5, 2.0, 2.5, 3.0)):
    """A constant point of the simplex (dirichlet's x: components along axis 0), drawn per case."""
    a = np.asarray(alpha[:k])
    if n is None:
        return Const(lambda rng: rng.dirichlet(a), f"simplex({k})")
    return Const(lambda rng: rng.dirichlet(a, n).T, f"simplex({k}, {n})")


def counts(shape, low=0, high=6):
    """A constant array of counts (poisson's k) in [low, high), as floats the way users pass them."""
    return Const(lambda rng: rng.integers(low, high, size=shape).astype(float), f"counts({shape})")


def add_scipy_cases(CASES):
    try:
        import scipy.stats as st
    except ImportError:  # SciPy is optional
        return
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
        for f in (dist.cdf, dist.logcdf):   # no derivative in the shape parameters (refused: tests/test_scipy_stats.py)
            CASES[f] = [case(A((4,), xdom), *shapes).wrt(0),
                        case(A((2, 3), xdom), *[2.5] * nshape, loc=-0.1, scale=A((2, 1), sdom)).wrt(0, "scale"),
                        case(A((3,), xdom), *bshapes[:nshape], scale=scalar(sdom)).wrt(0, "scale")]
        if xdom == "real":
            for f in (dist.cdf, dist.logcdf):
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
