"""Session 16 (ag16): found running autograd's published examples through s2s (gplvm.py).

``sum([log_marginal_likelihood(gp_params[i], latents, data[:, i]) for i in range(2)])``, where the
helper calls ``scipy.stats.multivariate_normal.logpdf``: s2s took the helper for one that changes its
argument ``data[:, i]`` in place (effects.changed_params read SciPy's source of the bound method, whose
rule it looked up on the plain function, and bound the call's arguments one place off, without the
receiver). The backward sweep then "put back" the saved column into whatever the name held at the end
of the forward sweep, the last column: a gradient call overwrote the module's array (data[:, 1] became
data[:, 0]) and every later evaluation, the optimizer's next step included, used corrupted data.
"""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

mvn = pytest.importorskip("scipy.stats").multivariate_normal

DATA = np.random.RandomState(0).randn(4, 2)


def gp_term(x, y):
    return mvn.logpdf(y, np.zeros(len(y)), x @ x.T + np.eye(len(y)))


def sum_over_columns(x):
    return sum([gp_term(x, DATA[:, i]) for i in range(2)])


def loop_over_columns(x):
    s = 0.0
    for i in range(2):
        t = DATA[:, i]
        s = s + gp_term(x, t)
    return s


MODE = "exp"


def branchy_term(x, y):       # the SciPy call in a branch not taken is enough
    if MODE == "mvn":
        return mvn.logpdf(y, np.zeros(len(y)), x @ x.T + np.eye(len(y)))
    return np.sum(np.exp(x[:, 0]) * y)


def sum_of_branchy(x):
    return sum([branchy_term(x, DATA[:, i]) for i in range(2)])


@pytest.mark.parametrize("f", [sum_over_columns, loop_over_columns, sum_of_branchy])
def test_a_scipy_method_in_a_helper_changes_no_argument(f):
    before = DATA.copy()
    x = np.random.RandomState(1).randn(4, 2) * 0.5
    src = s2s.source(s2s.grad(f), x)
    assert "restore_deep" not in src and "copy_deep(t" not in src, src   # nothing to save: nothing changes
    s2s.grad(f)(x)
    np.testing.assert_array_equal(DATA, before)     # the gradient call overwrote a column of DATA
    check_all(f, x)
    np.testing.assert_array_equal(DATA, before)


class Scaler:
    def apply(self, v):
        scale_into(v)
        return v


def scale_into(v):
    v *= 2.0


SCALER = Scaler()


def helper(x, y):
    SCALER.apply(y)                   # a bound method changing its argument: y is its `v`, not its `self`
    return np.sum(np.exp(x[:, 0]) * y)


def test_a_bound_method_changing_its_argument_is_seen():
    from s2s import effects
    assert effects.changed_params(helper) == {"y"}
    assert effects.changed_params(gp_term) == set()
    assert effects.changed_params(branchy_term) == set()


# ---- mixture_variational_inference.py: hvp of a stochastic objective drew its random numbers twice
# The same misreading (a library's bound method taken for a user function changing its arguments) made
# forward mode over the split forward half of `draw` call it a second time "for its effect on the caller's
# arguments": the RandomState advanced twice, and every later draw (the next component's samples) differed
# from the primal's. grad and jvp were right; H.v was off by 57 here (4% to 45% in the example).
RS = np.random.RandomState(0)


def unpack(params):
    D = np.shape(params)[0] // 2
    mean, log_std = params[:D], params[D:]
    return mean, log_std


def draw(params, n, rs):
    mean, log_std = unpack(params)
    return rs.randn(n, len(mean)) * np.exp(log_std) + mean


def component(params):
    s = draw(params, 4, RS)
    return np.mean(np.sum(s ** 3, axis=1))


def two_components(p):
    return component(p[:4]) + component(p[4:])


def test_hvp_of_a_stochastic_objective_draws_as_the_primal_does():
    x = np.array([0.1, 0.2, 0.3, -0.2, 0.5, -0.1, 0.2, 0.1])
    v = np.linspace(-1, 1, 8)
    RS.seed(0)
    two_components(x)
    want_next = RS.randn()
    for op in (s2s.grad(two_components), lambda z: s2s.jvp(two_components)(z, v),
               lambda z: s2s.hvp(two_components)(z, v)):
        RS.seed(0)
        op(x)
        assert RS.randn() == want_next        # the generated code drew more numbers than the primal

    def g(z):
        RS.seed(0)
        return s2s.grad(two_components)(z)

    def f(z):
        RS.seed(0)
        return two_components(z)
    h = 1e-5
    RS.seed(0)
    hv = s2s.hvp(two_components)(x, v)
    np.testing.assert_allclose(hv, (g(x + h * v) - g(x - h * v)) / (2 * h), rtol=1e-5, atol=1e-6)
    RS.seed(0)
    jv = s2s.jvp(two_components)(x, v)
    np.testing.assert_allclose(jv, (f(x + h * v) - f(x - h * v)) / (2 * h), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(g(x) @ v, jv, rtol=1e-5)
