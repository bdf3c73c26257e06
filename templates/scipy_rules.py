"""scipy.special and scipy.linalg rules. SciPy is optional: without it this
module registers nothing (scipy.stats, slow to import, is in scipy_stats.py).

Kinks and domains: logit/erfinv/ndtri on (0, 1) or (-1, 1); entr, rel_entr,
kl_div and xlogy need positive arguments where the log is taken. Their derivative
in y is x / y where x is not 0 and 0 where it is (the function is 0 there for
every y), so a Poisson deviance or a cross-entropy with zero counts at zero
rates gets finite gradients, not nan.
"""
import math

import numpy as np

from s2s.registry import adjoint, tangent, d, no_derivative, nondifferentiable
from s2s.runtime import unbroadcast
from s2s.rule_helpers import is_zero, like, real_only, refuse, tangent_like
from .reductions import norm_axes, expand_to
from .linalg import (mT, cofactor, det_tangent, cholesky_grad, cholesky_tangent, solve_grad_a, solve_grad_b, solve_tangent,
                              _tri_grad, _tri_sym, eigh_grad, eigh_tangent, svd_grad, svd_tangent)

try:
    import scipy.special as sc
    import scipy.linalg as sla
except ImportError:  # SciPy is optional
    sc = sla = None

SQRT_PI = math.sqrt(math.pi)   # Python floats keep float32 float32
SQRT_2PI = math.sqrt(2 * math.pi)
LN10 = math.log(10.0)
LN2 = math.log(2.0)
ORDER = "the order of a Bessel function is not differentiated"
INCOMPLETE = "the derivative of the incomplete gamma/beta function in its parameter has no closed form"

if sc is not None:
    # --- logistic and softmax family
    @adjoint(sc.expit)
    def expit(z, x): d[x] = d[z] * z * (1 - z)
    @tangent(sc.expit)
    def expit_fwd(z, x): d[z] = d[x] * z * (1 - z)
    @adjoint(sc.logit)
    def logit(z, x): d[x] = d[z] / (x * (1 - x))
    @tangent(sc.logit)
    def logit_fwd(z, x): d[z] = d[x] / (x * (1 - x))
    @adjoint(sc.log_expit)
    def log_expit(z, x): d[x] = d[z] * sc.expit(-x)
    @tangent(sc.log_expit)
    def log_expit_fwd(z, x): d[z] = d[x] * sc.expit(-x)
    @adjoint(sc.softplus)
    def softplus(z, x): d[x] = d[z] * sc.expit(x)
    @tangent(sc.softplus)
    def softplus_fwd(z, x): d[z] = d[x] * sc.expit(x)
    @adjoint(sc.logsumexp)
    def logsumexp(z, a, axis=None, b=None, keepdims=False, return_sign=False):
        d[a] = logsumexp_grad(d[z], a, z, axis, b, keepdims, return_sign, "a")
        d[b] = logsumexp_grad(d[z], a, z, axis, b, keepdims, return_sign, "b")
    @tangent(sc.logsumexp)
    def logsumexp_fwd(z, a, axis=None, b=None, keepdims=False, return_sign=False):
        d[z] = like(logsumexp_tangent(d[a], d[b], a, z, axis, b, keepdims, return_sign), z)
    @adjoint(sc.softmax)
    def softmax(z, x, axis=None): d[x] = z * (d[z] - np.sum(d[z] * z, axis=axis, keepdims=True))
    @tangent(sc.softmax)
    def softmax_fwd(z, x, axis=None): d[z] = z * (d[x] - np.sum(d[x] * z, axis=axis, keepdims=True))
    @adjoint(sc.log_softmax)
    def log_softmax(z, x, axis=None): d[x] = d[z] - np.exp(z) * np.sum(d[z], axis=axis, keepdims=True)
    @tangent(sc.log_softmax)
    def log_softmax_fwd(z, x, axis=None): d[z] = d[x] - np.sum(np.exp(z) * d[x], axis=axis, keepdims=True)

    # --- gamma family
    @adjoint(sc.gammaln)
    def gammaln(z, x): d[x] = d[z] * sc.digamma(x)
    @tangent(sc.gammaln)
    def gammaln_fwd(z, x): d[z] = d[x] * sc.digamma(x)
    @adjoint(sc.loggamma)
    def loggamma(z, x): d[x] = d[z] * sc.digamma(x)
    @tangent(sc.loggamma)
    def loggamma_fwd(z, x): d[z] = d[x] * sc.digamma(x)
    @adjoint(sc.gamma)
    def gamma(z, x): d[x] = d[z] * z * sc.digamma(x)
    @tangent(sc.gamma)
    def gamma_fwd(z, x): d[z] = d[x] * z * sc.digamma(x)
    @adjoint(sc.digamma)
    def digamma(z, x): d[x] = like(d[z] * sc.polygamma(1, x), x)
    @tangent(sc.digamma)
    def digamma_fwd(z, x): d[z] = like(d[x] * sc.polygamma(1, x), z)
    @adjoint(sc.polygamma)
    def polygamma(z, n, x): d[x] = like(unbroadcast(d[z] * sc.polygamma(n + 1, x), x), x)
    @tangent(sc.polygamma)
    def polygamma_fwd(z, n, x): d[z] = like(tangent_like(d[x] * sc.polygamma(n + 1, x), z), z)
    @adjoint(sc.beta)
    def beta(z, a, b):
        d[a] = unbroadcast(d[z] * z * (sc.digamma(a) - sc.digamma(a + b)), a)
        d[b] = unbroadcast(d[z] * z * (sc.digamma(b) - sc.digamma(a + b)), b)
    @tangent(sc.beta)
    def beta_fwd(z, a, b):
        d[z] = tangent_like(z * (d[a] * (sc.digamma(a) - sc.digamma(a + b)) + d[b] * (sc.digamma(b) - sc.digamma(a + b))), z)
    @adjoint(sc.betaln)
    def betaln(z, a, b):
        d[a] = unbroadcast(d[z] * (sc.digamma(a) - sc.digamma(a + b)), a)
        d[b] = unbroadcast(d[z] * (sc.digamma(b) - sc.digamma(a + b)), b)
    @tangent(sc.betaln)
    def betaln_fwd(z, a, b):
        d[z] = tangent_like(d[a] * (sc.digamma(a) - sc.digamma(a + b)) + d[b] * (sc.digamma(b) - sc.digamma(a + b)), z)

    # --- error function and normal distribution
    @adjoint(sc.erf)
    def erf(z, x): d[x] = d[z] * (2 / SQRT_PI) * np.exp(-x * x)
    @tangent(sc.erf)
    def erf_fwd(z, x): d[z] = d[x] * (2 / SQRT_PI) * np.exp(-x * x)
    @adjoint(sc.erfc)
    def erfc(z, x): d[x] = -d[z] * (2 / SQRT_PI) * np.exp(-x * x)
    @tangent(sc.erfc)
    def erfc_fwd(z, x): d[z] = -d[x] * (2 / SQRT_PI) * np.exp(-x * x)
    @adjoint(sc.erfinv)
    def erfinv(z, y): d[y] = d[z] * (SQRT_PI / 2) * np.exp(z * z)
    @tangent(sc.erfinv)
    def erfinv_fwd(z, y): d[z] = d[y] * (SQRT_PI / 2) * np.exp(z * z)
    @adjoint(sc.erfcinv)
    def erfcinv(z, y): d[y] = -d[z] * (SQRT_PI / 2) * np.exp(z * z)
    @tangent(sc.erfcinv)
    def erfcinv_fwd(z, y): d[z] = -d[y] * (SQRT_PI / 2) * np.exp(z * z)
    @adjoint(sc.erfcx)
    def erfcx(z, x): d[x] = d[z] * (2 * x * z - 2 / SQRT_PI)
    @tangent(sc.erfcx)
    def erfcx_fwd(z, x): d[z] = d[x] * (2 * x * z - 2 / SQRT_PI)
    @adjoint(sc.ndtr)
    def ndtr(z, x): d[x] = d[z] * np.exp(-0.5 * x * x) / SQRT_2PI
    @tangent(sc.ndtr)
    def ndtr_fwd(z, x): d[z] = d[x] * np.exp(-0.5 * x * x) / SQRT_2PI
    @adjoint(sc.log_ndtr)
    def log_ndtr(z, x): d[x] = d[z] * np.exp(-0.5 * x * x - z) / SQRT_2PI
    @tangent(sc.log_ndtr)
    def log_ndtr_fwd(z, x): d[z] = d[x] * np.exp(-0.5 * x * x - z) / SQRT_2PI
    @adjoint(sc.ndtri)
    def ndtri(z, y): d[y] = d[z] * SQRT_2PI * np.exp(0.5 * z * z)
    @tangent(sc.ndtri)
    def ndtri_fwd(z, y): d[z] = d[y] * SQRT_2PI * np.exp(0.5 * z * z)

    # --- x log y family and entropies
    @adjoint(sc.xlogy)
    def xlogy(z, x, y):
        d[x] = unbroadcast(d[z] * np.log(y), x)
        d[y] = unbroadcast(d[z] * x / np.where(x == 0, 1.0, y), y)
    @tangent(sc.xlogy)
    def xlogy_fwd(z, x, y): d[z] = tangent_like(d[x] * np.log(y) + d[y] * x / np.where(x == 0, 1.0, y), z)
    @adjoint(sc.xlog1py)
    def xlog1py(z, x, y):
        d[x] = unbroadcast(d[z] * np.log1p(y), x)
        d[y] = unbroadcast(d[z] * x / np.where(x == 0, 1.0, 1 + y), y)
    @tangent(sc.xlog1py)
    def xlog1py_fwd(z, x, y): d[z] = tangent_like(d[x] * np.log1p(y) + d[y] * x / np.where(x == 0, 1.0, 1 + y), z)
    @adjoint(sc.entr)
    def entr(z, x): d[x] = -d[z] * (np.log(x) + 1)
    @tangent(sc.entr)
    def entr_fwd(z, x): d[z] = -d[x] * (np.log(x) + 1)
    @adjoint(sc.rel_entr)
    def rel_entr(z, x, y):
        d[x] = unbroadcast(d[z] * (np.log(x / y) + 1), x)
        d[y] = unbroadcast(-d[z] * x / np.where(x == 0, 1.0, y), y)
    @tangent(sc.rel_entr)
    def rel_entr_fwd(z, x, y): d[z] = tangent_like(d[x] * (np.log(x / y) + 1) - d[y] * x / np.where(x == 0, 1.0, y), z)
    @adjoint(sc.kl_div)
    def kl_div(z, x, y):
        d[x] = unbroadcast(d[z] * np.log(x / y), x)
        d[y] = unbroadcast(d[z] * (1 - x / np.where(x == 0, 1.0, y)), y)
    @tangent(sc.kl_div)
    def kl_div_fwd(z, x, y): d[z] = tangent_like(d[x] * np.log(x / y) + d[y] * (1 - x / np.where(x == 0, 1.0, y)), z)

    # --- Bessel functions of order 0 and 1
    @adjoint(sc.i0)
    def i0(z, x): d[x] = d[z] * sc.i1(x)
    @tangent(sc.i0)
    def i0_fwd(z, x): d[z] = d[x] * sc.i1(x)
    @adjoint(sc.i1)
    def i1(z, x): d[x] = like(d[z] * i1_deriv(x, z), x)
    @tangent(sc.i1)
    def i1_fwd(z, x): d[z] = like(d[x] * i1_deriv(x, z), z)
    @adjoint(sc.i0e)
    def i0e(z, x): d[x] = d[z] * (sc.i1e(x) - np.sign(x) * z)
    @tangent(sc.i0e)
    def i0e_fwd(z, x): d[z] = d[x] * (sc.i1e(x) - np.sign(x) * z)
    @adjoint(sc.i1e)
    def i1e(z, x): d[x] = like(d[z] * (i1_deriv(x, z, sc.i0e(x)) - np.sign(x) * z), x)
    @tangent(sc.i1e)
    def i1e_fwd(z, x): d[z] = like(d[x] * (i1_deriv(x, z, sc.i0e(x)) - np.sign(x) * z), z)

    # --- Bessel functions of any order (the order is not differentiated) and of order 0 and 1
    @adjoint(sc.j0)
    def j0(z, x): d[x] = -d[z] * sc.j1(x)
    @tangent(sc.j0)
    def j0_fwd(z, x): d[z] = -d[x] * sc.j1(x)
    @adjoint(sc.j1)
    def j1(z, x): d[x] = d[z] * 0.5 * (sc.j0(x) - sc.jv(2, x))
    @tangent(sc.j1)
    def j1_fwd(z, x): d[z] = d[x] * 0.5 * (sc.j0(x) - sc.jv(2, x))
    @adjoint(sc.y0)
    def y0(z, x): d[x] = -d[z] * sc.y1(x)
    @tangent(sc.y0)
    def y0_fwd(z, x): d[z] = -d[x] * sc.y1(x)
    @adjoint(sc.y1)
    def y1(z, x): d[x] = like(d[z] * 0.5 * (sc.y0(x) - sc.yn(2, x)), x)
    @tangent(sc.y1)
    def y1_fwd(z, x): d[z] = like(d[x] * 0.5 * (sc.y0(x) - sc.yn(2, x)), z)
    @adjoint(sc.jv)
    def jv(z, v, x): d[x] = unbroadcast(d[z] * 0.5 * (sc.jv(v - 1, x) - sc.jv(v + 1, x)), x)
    @tangent(sc.jv)
    def jv_fwd(z, v, x): d[z] = tangent_like(d[x] * 0.5 * (sc.jv(v - 1, x) - sc.jv(v + 1, x)), z)
    @adjoint(sc.yv)
    def yv(z, v, x): d[x] = unbroadcast(d[z] * 0.5 * (sc.yv(v - 1, x) - sc.yv(v + 1, x)), x)
    @tangent(sc.yv)
    def yv_fwd(z, v, x): d[z] = tangent_like(d[x] * 0.5 * (sc.yv(v - 1, x) - sc.yv(v + 1, x)), z)
    @adjoint(sc.yn)
    def yn(z, n, x): d[x] = like(unbroadcast(d[z] * 0.5 * (sc.yn(n - 1, x) - sc.yn(n + 1, x)), x), x)
    @tangent(sc.yn)
    def yn_fwd(z, n, x): d[z] = like(tangent_like(d[x] * 0.5 * (sc.yn(n - 1, x) - sc.yn(n + 1, x)), z), z)
    @adjoint(sc.iv)
    def iv(z, v, x): d[x] = unbroadcast(d[z] * 0.5 * (sc.iv(v - 1, x) + sc.iv(v + 1, x)), x)
    @tangent(sc.iv)
    def iv_fwd(z, v, x): d[z] = tangent_like(d[x] * 0.5 * (sc.iv(v - 1, x) + sc.iv(v + 1, x)), z)
    @adjoint(sc.ive)
    def ive(z, v, x): d[x] = unbroadcast(d[z] * (0.5 * (sc.ive(v - 1, x) + sc.ive(v + 1, x)) - np.sign(x) * z), x)
    @tangent(sc.ive)
    def ive_fwd(z, v, x): d[z] = tangent_like(d[x] * (0.5 * (sc.ive(v - 1, x) + sc.ive(v + 1, x)) - np.sign(x) * z), z)
    for _f in (sc.jv, sc.yv, sc.yn, sc.iv, sc.ive):
        no_derivative(_f, **{"n" if _f is sc.yn else "v": ORDER})

    # --- incomplete gamma and beta functions (in x; their parameters are refused)
    @adjoint(sc.gammainc)
    def gammainc(z, a, x): d[x] = like(unbroadcast(d[z] * np.exp((a - 1) * np.log(x) - x - sc.gammaln(a)), x), x)
    @tangent(sc.gammainc)
    def gammainc_fwd(z, a, x): d[z] = like(tangent_like(d[x] * np.exp((a - 1) * np.log(x) - x - sc.gammaln(a)), z), z)
    @adjoint(sc.gammaincc)
    def gammaincc(z, a, x): d[x] = like(unbroadcast(-d[z] * np.exp((a - 1) * np.log(x) - x - sc.gammaln(a)), x), x)
    @tangent(sc.gammaincc)
    def gammaincc_fwd(z, a, x): d[z] = like(tangent_like(-d[x] * np.exp((a - 1) * np.log(x) - x - sc.gammaln(a)), z), z)
    @adjoint(sc.betainc)
    def betainc(z, a, b, x):
        d[x] = like(unbroadcast(d[z] * np.exp((a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - sc.betaln(a, b)), x), x)
    @tangent(sc.betainc)
    def betainc_fwd(z, a, b, x):
        d[z] = like(tangent_like(d[x] * np.exp((a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - sc.betaln(a, b)), z), z)
    no_derivative(sc.gammainc, a=INCOMPLETE)
    no_derivative(sc.gammaincc, a=INCOMPLETE)
    no_derivative(sc.betainc, a=INCOMPLETE, b=INCOMPLETE)

    # --- more of the gamma family
    @adjoint(sc.rgamma)
    def rgamma(z, x): d[x] = -d[z] * z * sc.digamma(x)
    @tangent(sc.rgamma)
    def rgamma_fwd(z, x): d[z] = -d[x] * z * sc.digamma(x)
    @adjoint(sc.multigammaln)
    def multigammaln(z, a, dim): d[a] = like(unbroadcast(d[z] * multigammaln_deriv(a, dim), a), a)
    @tangent(sc.multigammaln)
    def multigammaln_fwd(z, a, dim): d[z] = like(tangent_like(d[a] * multigammaln_deriv(a, dim), z), z)
    no_derivative(sc.multigammaln, dim="the dimension is an integer")   # (SciPy's d: d[...] is template notation)
    nondifferentiable(sc.gammasgn)   # the sign of gamma(x): piecewise constant

    # --- elementary functions scipy.special also has
    @adjoint(sc.expm1)
    def sc_expm1(z, x): d[x] = d[z] * (z + 1)
    @tangent(sc.expm1)
    def sc_expm1_fwd(z, x): d[z] = d[x] * (z + 1)
    @adjoint(sc.log1p)
    def sc_log1p(z, x): d[x] = d[z] / (1 + x)
    @tangent(sc.log1p)
    def sc_log1p_fwd(z, x): d[z] = d[x] / (1 + x)
    @adjoint(sc.exp2)
    def sc_exp2(z, x): d[x] = d[z] * z * LN2
    @tangent(sc.exp2)
    def sc_exp2_fwd(z, x): d[z] = d[x] * z * LN2
    @adjoint(sc.exp10)
    def exp10(z, x): d[x] = d[z] * z * LN10
    @tangent(sc.exp10)
    def exp10_fwd(z, x): d[z] = d[x] * z * LN10
    @adjoint(sc.cbrt)
    def sc_cbrt(z, x): d[x] = d[z] / (3 * z * z)
    @tangent(sc.cbrt)
    def sc_cbrt_fwd(z, x): d[z] = d[x] / (3 * z * z)

    # --- scipy.linalg
    @adjoint(sla.expm)
    def expm(z, A): d[A] = like(expm_grad(d[z], A), A)
    @tangent(sla.expm)
    def expm_fwd(z, A): d[z] = like(expm_frechet_batched(A, d[A]), z)
    @adjoint(sla.inv)
    def sla_inv(z, a, overwrite_a=False, check_finite=True): d[a] = -mT(z) @ d[z] @ mT(z)
    @tangent(sla.inv)
    def sla_inv_fwd(z, a, overwrite_a=False, check_finite=True): d[z] = -z @ d[a] @ z
    @adjoint(sla.det)
    def sla_det(z, a, overwrite_a=False, check_finite=True): d[a] = like(np.asarray(d[z])[..., None, None] * cofactor(a), a)
    @tangent(sla.det)
    def sla_det_fwd(z, a, overwrite_a=False, check_finite=True): d[z] = like(det_tangent(d[a], a), z)
    @adjoint(sla.cholesky)
    def sla_cholesky(z, a, lower=False, overwrite_a=False, check_finite=True): d[a] = like(cholesky_grad(d[z], z, not lower), a)
    @tangent(sla.cholesky)
    def sla_cholesky_fwd(z, a, lower=False, overwrite_a=False, check_finite=True): d[z] = like(cholesky_tangent(d[a], z, not lower), z)
    @adjoint(sla.solve)
    def sla_solve(z, a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True, assume_a=None, transposed=False):
        d[a] = sla_solve_grad_a(d[z], a, b, z, lower, assume_a, transposed)
        d[b] = solve_grad_b(d[z], sla_solve_matrix(a, lower, assume_a, transposed), b)
    @tangent(sla.solve)
    def sla_solve_fwd(z, a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True, assume_a=None, transposed=False):
        d[z] = solve_tangent(sla_solve_tangent_a(d[a], lower, assume_a, transposed), d[b], sla_solve_matrix(a, lower, assume_a, transposed), b, z)
    @adjoint(sla.solve_triangular)
    def solve_triangular(z, a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False, check_finite=True):
        d[a] = like(solve_triangular_grad_a(d[z], a, b, z, trans, lower, unit_diagonal), a)
        d[b] = like(sla.solve_triangular(a, d[z], trans=transposed_trans(trans), lower=lower, unit_diagonal=unit_diagonal), b)
    @tangent(sla.solve_triangular)
    def solve_triangular_fwd(z, a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False, check_finite=True):
        d[z] = like(solve_triangular_tangent(d[a], d[b], a, b, z, trans, lower, unit_diagonal), z)

    @adjoint(sla.solve_sylvester)
    def solve_sylvester(z, a, b, q):
        y = sla.solve_sylvester(mT(a), mT(b), d[z])
        d[a] = -y @ mT(z)
        d[b] = -mT(z) @ y
        d[q] = y
    @tangent(sla.solve_sylvester)
    def solve_sylvester_fwd(z, a, b, q): d[z] = sla.solve_sylvester(a, b, d[q] - d[a] @ z - z @ d[b])
    @adjoint(sla.sqrtm)
    def sqrtm(z, A, disp=True, blocksize=64): d[A] = like(sla.solve_sylvester(mT(z), mT(z), real_only(d[z], z)), A)
    @tangent(sla.sqrtm)
    def sqrtm_fwd(z, A, disp=True, blocksize=64): d[z] = sla.solve_sylvester(z, z, real_only(d[A], z))
    @adjoint(sla.solve_banded)
    def solve_banded(z, l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True):
        y = solve_banded_transposed(l_and_u, ab, d[z])
        d[ab] = like(dense_to_banded(l_and_u, -outer_rows(y, z)), ab)
        d[b] = like(y, b)
    @tangent(sla.solve_banded)
    def solve_banded_fwd(z, l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True):
        d[z] = solve_banded_tangent(d[ab], d[b], l_and_u, ab, z)
    @adjoint(sla.cho_factor)
    def cho_factor(z, a, lower=False, overwrite_a=False, check_finite=True): d[a] = like(cho_factor_grad(d[z], z), a)
    @tangent(sla.cho_factor)
    def cho_factor_fwd(z, a, lower=False, overwrite_a=False, check_finite=True): d[z] = like(cho_factor_tangent(d[a], z), z)
    @adjoint(sla.cho_solve)
    def cho_solve(z, c_and_lower, b, overwrite_b=False, check_finite=True):
        y = sla.cho_solve(c_and_lower, d[z])
        d[c_and_lower] = cho_solve_grad_c(y, z, c_and_lower)
        d[b] = like(y, b)
    @tangent(sla.cho_solve)
    def cho_solve_fwd(z, c_and_lower, b, overwrite_b=False, check_finite=True):
        d[z] = cho_solve_tangent(d[c_and_lower], d[b], c_and_lower, z)

    # scipy.linalg.eigh / eigvalsh / svd / svdvals: the np.linalg rules (the same factorizations); the
    # generalized problem (b=), subsets and the eigvals_only flag are checked by sla_eigh_options
    @adjoint(sla.eigh, nondiff=("b",), constant=("eigvals_only", "type", "subset_by_index", "subset_by_value", "driver"))
    def sla_eigh(z, a, b=None, *, lower=True, eigvals_only=False, overwrite_a=False, overwrite_b=False, type=1,
                 check_finite=True, subset_by_index=None, subset_by_value=None, driver=None):
        d[a] = like(eigh_grad(sla_eigh_parts(d[z], eigvals_only), sla_eigh_pair(z, a, lower, eigvals_only, b, subset_by_index, subset_by_value), "L" if lower else "U"), a)
    @tangent(sla.eigh, nondiff=("b",), constant=("eigvals_only", "type", "subset_by_index", "subset_by_value", "driver"))
    def sla_eigh_fwd(z, a, b=None, *, lower=True, eigvals_only=False, overwrite_a=False, overwrite_b=False, type=1,
                     check_finite=True, subset_by_index=None, subset_by_value=None, driver=None):
        d[z] = like(sla_eigh_result(eigh_tangent(d[a], sla_eigh_pair(z, a, lower, eigvals_only, b, subset_by_index, subset_by_value), "L" if lower else "U"), eigvals_only), z)
    @adjoint(sla.eigvalsh, nondiff=("b",), constant=("type", "subset_by_index", "subset_by_value", "driver"))
    def sla_eigvalsh(z, a, b=None, *, lower=True, overwrite_a=False, overwrite_b=False, type=1, check_finite=True,
                     subset_by_index=None, subset_by_value=None, driver=None):
        d[a] = like(eigh_grad((d[z], 0), sla_eigh_pair(z, a, lower, True, b, subset_by_index, subset_by_value), "L" if lower else "U"), a)
    @tangent(sla.eigvalsh, nondiff=("b",), constant=("type", "subset_by_index", "subset_by_value", "driver"))
    def sla_eigvalsh_fwd(z, a, b=None, *, lower=True, overwrite_a=False, overwrite_b=False, type=1, check_finite=True,
                         subset_by_index=None, subset_by_value=None, driver=None):
        d[z] = like(eigh_tangent(d[a], sla_eigh_pair(z, a, lower, True, b, subset_by_index, subset_by_value), "L" if lower else "U")[0], z)
    @adjoint(sla.svd, constant=("lapack_driver",))
    def sla_svd(z, a, full_matrices=True, compute_uv=True, overwrite_a=False, check_finite=True, lapack_driver="gesdd"):
        d[a] = like(svd_grad(d[z], a, z, full_matrices, compute_uv), a)
    @tangent(sla.svd, constant=("lapack_driver",))
    def sla_svd_fwd(z, a, full_matrices=True, compute_uv=True, overwrite_a=False, check_finite=True, lapack_driver="gesdd"):
        d[z] = like(svd_tangent(d[a], a, z, full_matrices, compute_uv), z)
    @adjoint(sla.svdvals)
    def sla_svdvals(z, a, overwrite_a=False, check_finite=True): d[a] = like(svd_grad(d[z], a, z, False, False), a)
    @tangent(sla.svdvals)
    def sla_svdvals_fwd(z, a, overwrite_a=False, check_finite=True): d[z] = like(svd_tangent(d[a], a, z, False, False), z)


# ---------------------------------------------------------------- helpers
def outer_rows(y, x):
    """y x^T for vectors, y @ x^T for matrices of right-hand sides (the gradient of a solve's matrix)."""
    return np.outer(y, x) if np.ndim(x) == 1 else y @ mT(x)


def _band_index(l_and_u, n):
    """(rows, mask): the dense matrix's entry A[i, j] is ab[rows[i, j], j] where mask holds."""
    lo, up = l_and_u
    i, j = np.indices((n, n))
    return np.clip(up + i - j, 0, lo + up), (i - j <= lo) & (j - i <= up)


def banded_to_dense(l_and_u, ab):
    """The n-by-n matrix of solve_banded's band storage ab[u + i - j, j] = A[i, j]."""
    n = np.shape(ab)[-1]
    rows, mask = _band_index(l_and_u, n)
    return np.where(mask, np.asarray(ab)[rows, np.arange(n)], 0.0)


def dense_to_banded(l_and_u, A):
    """The band storage of A's band (the inverse of banded_to_dense; unused corners are 0)."""
    lo, up = l_and_u
    n = np.shape(A)[-1]
    r, j = np.indices((lo + up + 1, n))
    i = r - up + j
    inside = (i >= 0) & (i < n)
    return np.where(inside, np.asarray(A)[np.clip(i, 0, n - 1), j], 0.0)


def solve_banded_tangent(tab, tb, l_and_u, ab, x):
    """Tangent of x = solve_banded(l_and_u, ab, b): A^-1 (tb - dA x)."""
    rhs = 0.0 if is_zero(tb) else tb
    if not is_zero(tab):
        rhs = rhs - banded_to_dense(l_and_u, tab) @ x
    return sla.solve_banded(l_and_u, ab, np.broadcast_to(rhs, np.shape(x)))


def solve_banded_transposed(l_and_u, ab, g):
    """A^-T g for the banded A of (l_and_u, ab)."""
    lo, up = l_and_u
    return sla.solve_banded((up, lo), dense_to_banded((up, lo), mT(banded_to_dense(l_and_u, ab))), g)


def _factor(c, lower):
    """The lower-triangular L with L L^T = A, from cho_factor's c (only one triangle of c is the factor)."""
    return np.tril(c) if lower else mT(np.triu(c))


def cho_factor_grad(gz, z):
    """Gradient of (c, lower) = cho_factor(a): the factor's triangle through Cholesky's gradient; the
    other triangle of c is a's own entries (LAPACK leaves them), so its gradient passes through."""
    g, _ = gz
    c, lower = z
    if is_zero(g):
        return 0.0 * c
    if lower:
        return cholesky_grad(np.tril(g), np.tril(c), False) + np.triu(g, 1)
    return cholesky_grad(np.triu(g), np.triu(c), True) + np.tril(g, -1)


def cho_factor_tangent(t, z):
    """Tangent of (c, lower) = cho_factor(a): (the factor's tangent plus a's other triangle, 0)."""
    c, lower = z
    if lower:
        return cholesky_tangent(t, np.tril(c), False) + np.triu(t, 1), 0.0
    return cholesky_tangent(t, np.triu(c), True) + np.tril(t, -1), 0.0


def cho_solve_grad_c(y, x, c_and_lower):
    """Gradient of x = cho_solve((c, lower), b) in c, with y = A^-1 g: dA = -y x^T, and A = L L^T
    gives dL = (dA + dA^T) L on L's triangle (c's other triangle is not read: zero)."""
    c, lower = c_and_lower
    L = _factor(c, lower)
    gA = -outer_rows(y, x)
    gL = np.tril((gA + mT(gA)) @ L)
    return (gL if lower else mT(gL)), 0.0


def cho_solve_tangent(tc, tb, c_and_lower, x):
    """Tangent of x = cho_solve((c, lower), b): A^-1 (tb - dA x), dA = dL L^T + L dL^T."""
    c, lower = c_and_lower
    rhs = 0.0 if is_zero(tb) else tb
    tcc = tc[0] if isinstance(tc, (tuple, list)) else tc
    if not is_zero(tcc):
        L = _factor(c, lower)
        dL = _factor(tcc, lower)
        rhs = rhs - (dL @ mT(L) + L @ mT(dL)) @ x
    return sla.cho_solve(c_and_lower, np.broadcast_to(rhs, np.shape(x)))

def _logsumexp_weights(a, z, axis, b, keepdims, return_sign):
    """exp(a - logsumexp) broadcast over a and b (times the sign of the sum with return_sign), and z's value."""
    a = np.asarray(a)
    shape = np.broadcast_shapes(a.shape, np.shape(b)) if b is not None else a.shape
    ref = np.zeros(shape)
    if return_sign:
        z, sign = z
        return np.exp(a - expand_to(z, ref, axis, keepdims)) * expand_to(sign, ref, axis, keepdims), shape
    return np.exp(a - expand_to(z, ref, axis, keepdims)), shape


def logsumexp_grad(g, a, z, axis=None, b=None, keepdims=False, return_sign=False, which="a"):
    """Gradient of scipy.special.logsumexp for a (softmax weights, times b) or for b.

    With return_sign the result is (log|sum|, sign): the sign carries no gradient."""
    if return_sign:
        g = g[0]
        if is_zero(g):
            return 0.0 * np.asarray(a if which == "a" else b, dtype=float)
    w, shape = _logsumexp_weights(a, z, axis, b, keepdims, return_sign)
    ge = expand_to(g, np.zeros(shape), axis, keepdims)
    if which == "a":
        return unbroadcast(ge * w * (1.0 if b is None else b), a)
    return unbroadcast(ge * w, b)


def logsumexp_tangent(ta, tb, a, z, axis=None, b=None, keepdims=False, return_sign=False):
    """Tangent of scipy.special.logsumexp (with return_sign: of log|sum|, and zero for the sign)."""
    w, shape = _logsumexp_weights(a, z, axis, b, keepdims, return_sign)
    axes = norm_axes(axis, len(shape))
    out = 0.0
    if not is_zero(ta):
        out = out + np.sum(ta * w * (1.0 if b is None else b), axis=axes, keepdims=keepdims)
    if b is not None and not is_zero(tb):
        out = out + np.sum(tb * w, axis=axes, keepdims=keepdims)
    if return_sign:
        return tangent_like(out, z[0]), np.zeros(np.shape(z[1]))
    return tangent_like(out, z)


def multigammaln_deriv(a, d):
    """d/da of the multivariate log-gamma function: the sum of digamma(a - j/2), j < d."""
    return np.sum(sc.digamma(np.expand_dims(a, -1) - 0.5 * np.arange(d)), axis=-1)


def i1_deriv(x, z, i0=None):
    """d I1(x)/dx = I0(x) - I1(x)/x (1/2 at 0); with exponential scaling pass i0 = i0e(x), z = i1e(x)."""
    if i0 is None:
        i0 = sc.i0(x)
    x = np.asarray(x, dtype=float)
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 0.5, i0 - z / safe)


def expm_frechet_batched(A, E):
    """The Frechet derivative of expm at A in direction E, for stacks of matrices."""
    A = np.asarray(A, dtype=float)
    E = np.broadcast_to(E, A.shape)
    if A.ndim == 2:
        return sla.expm_frechet(A, E, compute_expm=False)
    out = np.empty(A.shape)
    for idx in np.ndindex(*A.shape[:-2]):
        out[idx] = sla.expm_frechet(A[idx], E[idx], compute_expm=False)
    return out


def expm_grad(g, A):
    """Gradient of scipy.linalg.expm: the Frechet derivative at A^T applied to g."""
    return expm_frechet_batched(mT(np.asarray(A, dtype=float)), g)


def _sla_sym(assume_a):
    if assume_a in (None, "gen", "general"):
        return False
    if assume_a in ("sym", "symmetric", "her", "hermitian", "pos", "positive definite"):
        return True
    raise NotImplementedError(f"s2s: scipy.linalg.solve(assume_a={assume_a!r}) has no gradient rule")


def sla_solve_matrix(a, lower=False, assume_a=None, transposed=False):
    """The matrix scipy.linalg.solve actually inverts (one triangle for sym/pos, transposed)."""
    m = _tri_sym(a, "L" if lower else "U") if _sla_sym(assume_a) else np.asarray(a)
    return mT(m) if transposed else m


def sla_solve_grad_a(g, a, b, x, lower=False, assume_a=None, transposed=False):
    """Gradient of scipy.linalg.solve with respect to a (on the triangle read, for sym/pos)."""
    full = solve_grad_a(g, sla_solve_matrix(a, lower, assume_a, transposed), b, x)
    full = mT(full) if transposed else full
    return _tri_grad(full, "L" if lower else "U") if _sla_sym(assume_a) else full


def sla_solve_tangent_a(t, lower=False, assume_a=None, transposed=False):
    """The tangent of the matrix scipy.linalg.solve inverts."""
    if is_zero(t):
        return t
    m = _tri_sym(t, "L" if lower else "U") if _sla_sym(assume_a) else t
    return mT(m) if transposed else m


def transposed_trans(trans):
    """solve_triangular's trans for the transposed system."""
    return {0: 1, "N": 1, 1: 0, "T": 0, 2: 0, "C": 0}[trans]


def _tri_mask(n, lower, unit_diagonal):
    m = np.tril(np.ones((n, n))) if lower else np.triu(np.ones((n, n)))
    if unit_diagonal:
        m = m - np.eye(n)
    return m


def solve_triangular_grad_a(g, a, b, x, trans=0, lower=False, unit_diagonal=False):
    """Gradient of x = solve_triangular(a, b) with respect to a (its triangle only)."""
    gb = sla.solve_triangular(a, g, trans=transposed_trans(trans), lower=lower, unit_diagonal=unit_diagonal)
    gb2 = gb[:, None] if np.ndim(gb) == 1 else gb
    x2 = np.asarray(x)[:, None] if np.ndim(x) == 1 else x
    full = -gb2 @ x2.T if transposed_trans(trans) == 1 else -x2 @ gb2.T
    return full * _tri_mask(np.shape(a)[-1], lower, unit_diagonal)


def solve_triangular_tangent(ta, tb, a, b, x, trans=0, lower=False, unit_diagonal=False):
    """Tangent of x = solve_triangular(a, b): solve(op(a), tb - op(ta_tri) x)."""
    rhs = 0.0 if is_zero(tb) else np.broadcast_to(tb, np.shape(b))
    if not is_zero(ta):
        tt = ta * _tri_mask(np.shape(a)[-1], lower, unit_diagonal)
        op = tt if transposed_trans(trans) == 1 else tt.T
        rhs = rhs - op @ x
    rhs = np.broadcast_to(rhs, np.shape(x))
    return sla.solve_triangular(a, rhs, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


if sc is not None:   # sparse-matrix predicates (a bool), as scikit-learn's dense/sparse dispatch calls them
    import scipy.sparse as _sparse
    nondifferentiable(*[getattr(_sparse, n) for n in ("issparse", "isspmatrix", "isspmatrix_csr", "isspmatrix_csc",
                                                      "isspmatrix_coo", "isspmatrix_lil", "isspmatrix_dok",
                                                      "isspmatrix_bsr", "isspmatrix_dia") if hasattr(_sparse, n)])


def sla_eigh_pair(z, a, lower, eigvals_only, b, subset_by_index, subset_by_value):
    """(w, V) of scipy.linalg.eigh's standard problem: its result, or (for eigvals_only / eigvalsh) the
    eigenvectors computed again. The generalized problem (b=) and subsets are refused."""
    if b is not None or subset_by_index is not None or subset_by_value is not None:
        what = "b= (the generalized problem)" if b is not None else "subset_by_index= / subset_by_value="
        raise refuse(sla.eigh, f"s2s differentiates scipy.linalg.eigh / eigvalsh of the standard problem; {what} "
                     "has no rule.", "Reduce a generalized problem with a Cholesky factor of b "
                     "(L = cholesky(b); eigh(solve_triangular(L, solve_triangular(L, a, lower=True).T, lower=True))), "
                     "or take the eigenvalues you need from the full result (w[:k]).")
    if eigvals_only:
        return np.linalg.eigh(np.asarray(a), "L" if lower else "U")
    return z


def sla_eigh_parts(g, eigvals_only):
    """The gradient of (w, V) from scipy.linalg.eigh's result's gradient (w only for eigvals_only)."""
    return (g, 0) if eigvals_only else g


def sla_eigh_result(t, eigvals_only):
    """The tangent of scipy.linalg.eigh's result from the tangent (dw, dV)."""
    return t[0] if eigvals_only else t
