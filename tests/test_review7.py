"""Session 7's soundness list from the new-user review (issues 11 and 14): each test failed before its fix."""
import numpy as np
import pytest

import s2s
from s2s import DifferentiationError


def _fd(f, x, t, h=1e-6):
    return (f(x + h * t) - f(x - h * t)) / (2 * h)


SINGULAR = [np.array([[1.0, 2.0], [2.0, 4.0]]), np.outer([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
            np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]), np.zeros((3, 3)),
            np.array([[0.0, 1.0], [0.0, 0.0]])]


def det2(a):
    return 2.0 * np.linalg.det(a)


def det_sla(a):
    import scipy.linalg
    return scipy.linalg.det(a)


# --- 1. det of a singular matrix: the gradient is the cofactor matrix (it raised LinAlgError)
@pytest.mark.parametrize("i", range(len(SINGULAR)))
@pytest.mark.parametrize("fn", [det2, det_sla])
def test_det_singular_reverse_forward_hvp(fn, i):
    a = SINGULAR[i]
    rng = np.random.default_rng(i)
    t = rng.standard_normal(a.shape)
    g = s2s.grad(fn)(a)
    assert np.isfinite(g).all()
    np.testing.assert_allclose(np.sum(g * t), _fd(fn, a, t), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(s2s.jvp(fn)(a, t), _fd(fn, a, t), rtol=1e-6, atol=1e-6)
    if fn is det2:
        np.testing.assert_allclose(s2s.hvp(fn)(a, t), _fd(s2s.grad(fn), a, t), rtol=1e-5, atol=1e-6)


def test_det_gradient_is_the_cofactor_matrix():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    np.testing.assert_allclose(s2s.grad(det2)(a), [[8.0, -4.0], [-4.0, 2.0]], atol=1e-12)


def test_det_hvp_at_repeated_singular_values():
    # the identity: the SVD the cofactor is computed with has no derivative there; cofactor's own rule does
    a, t = np.eye(3), np.arange(9.0).reshape(3, 3)
    np.testing.assert_allclose(s2s.hvp(det2)(a, t), _fd(s2s.grad(det2), a, t), atol=1e-6)
    np.testing.assert_allclose(s2s.hessian(det2)(a).reshape(9, 9) @ t.ravel(),
                               _fd(s2s.grad(det2), a, t).ravel(), atol=1e-6)


def test_det_batched_with_a_singular_member():
    a = np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[2.0, 1.0], [0.5, 3.0]])])

    def f(x):
        return np.sum(np.linalg.det(x) ** 2)
    t = np.random.default_rng(3).standard_normal(a.shape)
    np.testing.assert_allclose(np.sum(s2s.grad(f)(a) * t), _fd(f, a, t), rtol=1e-6)
    np.testing.assert_allclose(s2s.hvp(f)(a, t), _fd(s2s.grad(f), a, t), rtol=1e-5, atol=1e-6)


def third(a, t):
    return s2s.hvp(det2)(a, t)


def test_det_third_derivative_is_refused():
    with pytest.raises(DifferentiationError, match="third derivative"):
        s2s.jvp(third)(np.eye(3), np.ones((3, 3)), np.ones((3, 3)))


def slog(a):
    return np.linalg.slogdet(a)[1]


def test_slogdet_singular_is_infinite_like_log_at_zero():
    # logabsdet is -inf there; its derivative diverges (JAX: inf/nan); s2s raised LinAlgError from inside the rule
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    with np.errstate(divide="ignore"):
        g = s2s.grad(slog)(a)
        assert np.all(np.isinf(g))
        np.testing.assert_array_equal(np.sign(g), np.sign([[4.0, -2.0], [-2.0, 1.0]]))
        assert np.isinf(s2s.jvp(slog)(a, np.ones((2, 2))))
    b = np.array([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(s2s.grad(slog)(b), np.linalg.inv(b).T)


def inv_sum(a):
    return np.sum(np.linalg.inv(a))


def test_inv_singular_raises_as_the_primal():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(np.linalg.LinAlgError):
        s2s.grad(inv_sum)(a)
