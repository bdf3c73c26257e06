"""Arguments forwarded with ``*args`` / ``**kw`` that carry no derivative (the scipy objective wrapper).

``def objective(w, *args): return model(w, *args)`` is what ``scipy.optimize.minimize(objective, w0,
args=(X, y, lam), jac=s2s.grad(objective))`` calls. It was refused ("s2s cannot tell how many arguments it
spreads") in grad and, in jvp, with a wrong "missing a required argument". The call is now bound when it runs
(``calls.star_tail``: a pullback / pushforward), as long as what is spread carries no derivative and every
argument that does comes before the first ``*``. Checked against finite differences in reverse, forward and
hvp."""
import numpy as np
import pytest
import scipy.optimize

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(7)
X, Y = rng.normal(size=(6, 3)), rng.normal(size=6)
W = np.array([0.3, -0.2, 0.5])


def model(w, X, y, lam=0.0):
    r = np.tanh(X @ w) - y
    return r @ r + lam * w @ w


def objective(w, *args):
    return model(w, *args)


def objective_kw(w, **kw):
    return model(w, **kw)


def objective_mixed(w, *args, **kw):
    return 0.5 * model(w, *args, **kw) + np.sum(w ** 4)


def objective_scaled(w, scale, *data):
    return model(scale * w, *data, lam=0.2)


def test_positional_forwarding():
    check_all(objective, W, X, Y, 0.1)
    check_all(objective, W, X, Y)


def test_keyword_forwarding():   # (check_all passes its arguments positionally)
    g = s2s.grad(objective_kw)(W, X=X, y=Y, lam=0.1)
    np.testing.assert_allclose(g, s2s.grad(model)(W, X, Y, 0.1), rtol=1e-12)
    t = s2s.jvp(objective_kw)(W, np.ones(3), X=X, y=Y, lam=0.1)
    assert t == pytest.approx(float(np.sum(g)), rel=1e-10)


def test_mixed_and_scaled_forwarding():
    check_all(objective_mixed, W, X, Y)
    check_all(objective_scaled, W, 1.5, X, Y)
    g = s2s.grad(objective_scaled, wrt=1)(W, 1.5, X, Y)
    e = 1e-6
    assert g == pytest.approx((objective_scaled(W, 1.5 + e, X, Y) - objective_scaled(W, 1.5 - e, X, Y)) / (2 * e),
                              rel=1e-6)


def test_scipy_minimize_with_args():
    res = scipy.optimize.minimize(objective, np.zeros(3), args=(X, Y, 0.1), jac=s2s.grad(objective),
                                  method="BFGS")
    assert res.success
    np.testing.assert_allclose(s2s.grad(model)(res.x, X, Y, 0.1), 0.0, atol=1e-5)


def spread_carrying(w):
    ps = [w] * 2 if w.size else []
    return np.sum(np.multiply(*ps))


def test_a_spread_that_carries_a_derivative_is_still_refused():
    with pytest.raises(s2s.DifferentiationError, match="np.multiply"):
        s2s.grad(spread_carrying)(W)
