"""scipy.stats through s2s (issue #12): what the registry test cannot express.

dirichlet's x lives on the simplex (checked through a normalization, as users write it), derivatives
that do not exist are refused at the user's line (a cdf in its shape parameter, poisson's count), a
SciPy method without a rule is refused at the user's line instead of s2s reading SciPy's source, and
a singular multivariate normal differentiates in x and mean inside its support.
"""
import numpy as np
import pytest

import s2s
from s2s.errors import DifferentiationError

st = pytest.importorskip("scipy.stats")
from scipy.stats import t, poisson, dirichlet, multivariate_normal  # noqa: E402

ALPHA = np.array([1.5, 2.2, 3.1, 1.8])
X = np.array([0.1, 0.3, 0.4, 0.2])


def dir_pdf(x, alpha):
    return dirichlet.pdf(x / np.sum(x), alpha)


def dir_logpdf(x, alpha):
    return dirichlet.logpdf(x / np.sum(x), alpha)


@pytest.mark.parametrize("f", [dir_pdf, dir_logpdf])
@pytest.mark.parametrize("wrt", [0, 1])
def test_dirichlet_on_the_simplex(f, wrt):
    s2s.check_grad(f, X, ALPHA, wrt=wrt, rtol=1e-5, atol=1e-6)
    v = np.array([0.3, -0.2, 0.5, 0.1])
    h = 1e-6
    args = [X, ALPHA]
    plus, minus = list(args), list(args)
    plus[wrt], minus[wrt] = args[wrt] + h * v, args[wrt] - h * v
    assert np.isclose(s2s.jvp(f, wrt=wrt)(X, ALPHA, v), (f(*plus) - f(*minus)) / (2 * h), rtol=1e-5, atol=1e-6)


def t_cdf_df(x, df):
    return np.sum(t.cdf(x, df))


def poisson_k(k, mu):
    return np.sum(poisson.logpmf(k, mu))


@pytest.mark.parametrize("f,wrt,what", [(t_cdf_df, 1, "`df`"), (poisson_k, 0, "`k`")])
def test_no_derivative_is_refused_at_the_users_line(f, wrt, what):
    for build in (s2s.grad, s2s.jvp):
        with pytest.raises(DifferentiationError) as e:
            build(f, wrt=wrt)
        msg = str(e.value)
        assert "test_scipy_stats.py" in msg and what in msg and "return np.sum(" in msg, msg


def t_cdf_x(x, df):
    return np.sum(t.cdf(x, df))


def test_cdf_in_x_with_a_shape_parameter_passed():
    x, df = np.array([-0.5, 0.2, 1.3]), np.array([2.5, 3.0, 4.5])
    s2s.check_grad(t_cdf_x, x, df)


def t_ppf(q):
    return np.sum(t.ppf(q, 3.0))


def t_entropy(df):
    return t.entropy(df)


def lgamma_frozen(x):
    return np.sum(st.gamma(2.0).logpdf(x))


@pytest.mark.parametrize("f,name", [(t_ppf, "`t.ppf`"), (t_entropy, "`t.entropy`")])
def test_scipy_method_without_rule_is_refused_at_the_users_line(f, name):
    """Before: s2s read SciPy's own source and crashed inside it ('map' object is not subscriptable)."""
    for build in (s2s.grad, s2s.jvp):
        with pytest.raises(DifferentiationError) as e:
            build(f)
        msg = str(e.value)
        assert "test_scipy_stats.py" in msg and name in msg and "_distn_infrastructure" not in msg.splitlines()[0], msg


def t_logpdf(x, df, loc, scale):
    return np.sum(t.logpdf(x, df, loc, scale) * np.array([1.0, -2.0, 0.5]))


@pytest.mark.parametrize("wrt", [0, 1, 2, 3])
def test_t_logpdf_every_argument(wrt):
    """Before: TypeError: 'map' object is not subscriptable, from inside s2s's copy of SciPy's logpdf."""
    args = (np.array([-0.5, 0.2, 1.3]), np.array([2.5, 3.0, 4.5]), np.array([0.1, -0.3, 0.2]), np.array([1.2, 0.7, 2.0]))
    s2s.check_grad(t_logpdf, *args, wrt=wrt)


C = np.diag([1.0, 1.0, 0.0, 0.0])


def mvn_singular(x, mean):
    z = np.concatenate((x, np.zeros(2)))
    m = np.concatenate((mean, np.zeros(2)))
    return multivariate_normal.logpdf(z, m, C, True) + multivariate_normal.pdf(z, m, C, True)


def mvn_singular_cov(cov):
    return multivariate_normal.logpdf(np.array([0.3, -0.2, 0.0, 0.0]), np.zeros(4), cov, True)


@pytest.mark.parametrize("wrt", [0, 1])
def test_mvn_singular_in_its_support(wrt):
    s2s.check_grad(mvn_singular, np.array([0.4, -1.1]), np.array([0.2, 0.3]), wrt=wrt)


def test_mvn_singular_cov_has_no_derivative():
    with pytest.raises(NotImplementedError, match="singular cov"):
        s2s.grad(mvn_singular_cov)(C)
