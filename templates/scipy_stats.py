"""scipy.stats distributions: norm, t, chi2, gamma, beta (pdf, logpdf, cdf, logcdf, sf, logsf, with loc
and scale), poisson (discrete), dirichlet, multivariate_normal and entropy.

Kept apart from scipy_rules.py because importing scipy.stats takes about two
seconds: import this module only when SciPy's stats are wanted (or lazily,
when a user's function refers to scipy.stats). Without SciPy it registers
nothing. Keys are the bound methods ``scipy.stats.norm.logpdf`` etc.; bound
methods compare equal across accesses, so lookups work.

Continuous distributions with shape parameters are written on the standard
variable ``y = (x - loc) / scale``: ``logpdf = L(y, theta) - log(scale)``, so
with the score ``s = dL/dy / scale`` the gradients are ``s`` for x, ``-s`` for
loc, ``-(s * y + 1 / scale)`` for scale and ``dL/dtheta`` for each shape
parameter. A cdf's derivative in x, loc and scale is the pdf; in a shape
parameter (t's df, chi2's df, gamma's a, beta's a and b) it is the derivative
of an incomplete beta or gamma function in its parameter, which has no closed
form: those are refused (``no_derivative``). Poisson's count ``k`` and ``loc``
are integers: refused too.
"""
import math

import numpy as np

from s2s.registry import adjoint, tangent, d, no_derivative
from s2s.runtime import unbroadcast
from s2s.rule_helpers import is_zero, like, tangent_like
from .linalg import _tri_grad, _tri_sym

try:
    import scipy.special as sc
    from scipy.stats import norm as _norm, t as _t, chi2 as _chi2, gamma as _gamma, beta as _beta
    from scipy.stats import poisson as _poisson, dirichlet as _dirichlet, multivariate_normal as _mvn
    from scipy.stats import entropy as _entropy
except ImportError:  # SciPy is optional
    _norm = None

SQRT_2PI = math.sqrt(2 * math.pi)
LOG_2PI_E = math.log(2 * math.pi * math.e)

INCOMPLETE = "the derivative of the incomplete beta/gamma function in its parameter has no closed form"
COUNT = "it is an integer count (the distribution is discrete)"


# ---------------------------------------------------------------- scores: d logpdf / d y and d logpdf / d shape
def t_score(y, df):
    """d/dy of Student's t log-density at the standard variable y."""
    return -(df + 1) * y / (df + y * y)


def t_score_df(y, df):
    """d/d df of Student's t log-density."""
    return 0.5 * (sc.digamma((df + 1) / 2) - sc.digamma(df / 2) - np.log1p(y * y / df) + (y * y - 1) / (df + y * y))


def chi2_score(y, df):
    return (df / 2 - 1) / y - 0.5


def chi2_score_df(y, df):
    return 0.5 * (np.log(y / 2) - sc.digamma(df / 2))


def gamma_score(y, a):
    return (a - 1) / y - 1


def gamma_score_a(y, a):
    return np.log(y) - sc.digamma(a)


def beta_score(y, a, b):
    return (a - 1) / y - (b - 1) / (1 - y)


def beta_score_a(y, a, b):
    return np.log(y) - sc.digamma(a) + sc.digamma(a + b)


def beta_score_b(y, a, b):
    return np.log1p(-y) - sc.digamma(b) + sc.digamma(a + b)


# ---------------------------------------------------------------- entropy (pk, qk)
def entropy_grads(g, pk, qk, base, axis):
    """(d pk, d qk) of scipy.stats.entropy. With p = pk / sum(pk) along axis (q likewise) and S = -sum p log p
    (or sum p log(p / q) with qk): d pk = (-log p - S) / sum(pk), with qk (log(p / q) - S) / sum(pk), and
    d qk = (1 - p / q) / sum(qk); all divided by log(base) when a base is given."""
    pk = np.asarray(pk)
    sp = np.sum(pk, axis=axis, keepdims=True)
    p = pk / sp
    ge = np.expand_dims(g, axis) if np.ndim(g) else g   # (a Python 1.0 from the tangent keeps float32)
    if base is not None:
        ge = ge / math.log(base)
    if qk is None:
        S = -np.sum(sc.xlogy(p, p), axis=axis, keepdims=True)
        return ge * (-np.log(p) - S) / sp, None
    qk = np.asarray(qk)
    if qk.shape != pk.shape:
        raise NotImplementedError("s2s: scipy.stats.entropy with pk and qk of different shapes "
                                  f"({pk.shape} and {qk.shape}) is not differentiated; broadcast them first")
    sq = np.sum(qk, axis=axis, keepdims=True)
    q = qk / sq
    S = np.sum(sc.rel_entr(p, q), axis=axis, keepdims=True)
    return ge * (np.log(p / q) - S) / sp, ge * (1 - p / q) / sq


def entropy_tangent(tpk, tqk, pk, qk, base, axis):
    dp, dq = entropy_grads(1.0, pk, qk, base, axis)
    out = 0.0
    if not is_zero(tpk):
        out = out + np.sum(dp * tpk, axis=axis)
    if dq is not None and not is_zero(tqk):
        out = out + np.sum(dq * tqk, axis=axis)
    return out


if _norm is not None:
    # ---------------------------------------------------------------- norm
    @adjoint(_norm.logpdf)
    def norm_logpdf(z, x, loc=0.0, scale=1.0):
        d[x] = unbroadcast(-d[z] * (x - loc) / (scale * scale), x)
        d[loc] = unbroadcast(d[z] * (x - loc) / (scale * scale), loc)
        d[scale] = unbroadcast(d[z] * ((x - loc) ** 2 / scale ** 3 - 1 / scale), scale)
    @tangent(_norm.logpdf)
    def norm_logpdf_fwd(z, x, loc=0.0, scale=1.0):
        d[z] = tangent_like(((d[loc] - d[x]) * (x - loc) / scale + d[scale] * ((x - loc) ** 2 / scale ** 2 - 1)) / scale, z)
    @adjoint(_norm.pdf)
    def norm_pdf(z, x, loc=0.0, scale=1.0):
        d[x] = unbroadcast(-d[z] * z * (x - loc) / (scale * scale), x)
        d[loc] = unbroadcast(d[z] * z * (x - loc) / (scale * scale), loc)
        d[scale] = unbroadcast(d[z] * z * ((x - loc) ** 2 / scale ** 3 - 1 / scale), scale)
    @tangent(_norm.pdf)
    def norm_pdf_fwd(z, x, loc=0.0, scale=1.0):
        d[z] = tangent_like(z * ((d[loc] - d[x]) * (x - loc) / scale + d[scale] * ((x - loc) ** 2 / scale ** 2 - 1)) / scale, z)
    @adjoint(_norm.cdf)
    def norm_cdf(z, x, loc=0.0, scale=1.0):
        d[x] = unbroadcast(d[z] * _norm.pdf(x, loc, scale), x)
        d[loc] = unbroadcast(-d[z] * _norm.pdf(x, loc, scale), loc)
        d[scale] = unbroadcast(-d[z] * _norm.pdf(x, loc, scale) * (x - loc) / scale, scale)
    @tangent(_norm.cdf)
    def norm_cdf_fwd(z, x, loc=0.0, scale=1.0):
        d[z] = tangent_like(_norm.pdf(x, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_norm.sf)
    def norm_sf(z, x, loc=0.0, scale=1.0):
        d[x] = unbroadcast(-d[z] * _norm.pdf(x, loc, scale), x)
        d[loc] = unbroadcast(d[z] * _norm.pdf(x, loc, scale), loc)
        d[scale] = unbroadcast(d[z] * _norm.pdf(x, loc, scale) * (x - loc) / scale, scale)
    @tangent(_norm.sf)
    def norm_sf_fwd(z, x, loc=0.0, scale=1.0):
        d[z] = tangent_like(-_norm.pdf(x, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_norm.logcdf)
    def norm_logcdf(z, x, loc=0.0, scale=1.0):
        d[x] = unbroadcast(d[z] * np.exp(_norm.logpdf(x, loc, scale) - z), x)
        d[loc] = unbroadcast(-d[z] * np.exp(_norm.logpdf(x, loc, scale) - z), loc)
        d[scale] = unbroadcast(-d[z] * np.exp(_norm.logpdf(x, loc, scale) - z) * (x - loc) / scale, scale)
    @tangent(_norm.logcdf)
    def norm_logcdf_fwd(z, x, loc=0.0, scale=1.0):
        d[z] = tangent_like(np.exp(_norm.logpdf(x, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_norm.logsf)
    def norm_logsf(z, x, loc=0.0, scale=1.0):
        d[x] = unbroadcast(-d[z] * np.exp(_norm.logpdf(x, loc, scale) - z), x)
        d[loc] = unbroadcast(d[z] * np.exp(_norm.logpdf(x, loc, scale) - z), loc)
        d[scale] = unbroadcast(d[z] * np.exp(_norm.logpdf(x, loc, scale) - z) * (x - loc) / scale, scale)
    @tangent(_norm.logsf)
    def norm_logsf_fwd(z, x, loc=0.0, scale=1.0):
        d[z] = tangent_like(-np.exp(_norm.logpdf(x, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_norm.ppf)
    def norm_ppf(z, q, loc=0.0, scale=1.0):
        d[q] = unbroadcast(d[z] * scale / _norm.pdf((z - loc) / scale), q)
        d[loc] = unbroadcast(d[z] * np.ones(np.shape(z)), loc)
        d[scale] = unbroadcast(d[z] * (z - loc) / scale, scale)
    @tangent(_norm.ppf)
    def norm_ppf_fwd(z, q, loc=0.0, scale=1.0):
        d[z] = tangent_like(d[q] * scale / _norm.pdf((z - loc) / scale) + d[loc] + d[scale] * (z - loc) / scale, z)

    # ---------------------------------------------------------------- t (df)
    @adjoint(_t.logpdf)
    def t_logpdf(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = t_score(y, df) / scale
        d[x] = unbroadcast(d[z] * s, x)
        d[df] = unbroadcast(d[z] * t_score_df(y, df), df)
        d[loc] = unbroadcast(-d[z] * s, loc)
        d[scale] = unbroadcast(-d[z] * (s * y + 1 / scale), scale)
    @tangent(_t.logpdf)
    def t_logpdf_fwd(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = t_score(y, df) / scale
        d[z] = tangent_like(s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[df] * t_score_df(y, df), z)
    @adjoint(_t.pdf)
    def t_pdf(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = t_score(y, df) / scale
        d[x] = unbroadcast(d[z] * z * s, x)
        d[df] = unbroadcast(d[z] * z * t_score_df(y, df), df)
        d[loc] = unbroadcast(-d[z] * z * s, loc)
        d[scale] = unbroadcast(-d[z] * z * (s * y + 1 / scale), scale)
    @tangent(_t.pdf)
    def t_pdf_fwd(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = t_score(y, df) / scale
        d[z] = tangent_like(z * (s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[df] * t_score_df(y, df)), z)
    @adjoint(_t.cdf)
    def t_cdf(z, x, df, loc=0.0, scale=1.0):
        p = _t.pdf(x, df, loc, scale)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_t.cdf)
    def t_cdf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(_t.pdf(x, df, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_t.logcdf)
    def t_logcdf(z, x, df, loc=0.0, scale=1.0):
        p = np.exp(_t.logpdf(x, df, loc, scale) - z)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_t.logcdf)
    def t_logcdf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(np.exp(_t.logpdf(x, df, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_t.cdf, df=INCOMPLETE)
    no_derivative(_t.logcdf, df=INCOMPLETE)
    @adjoint(_t.sf)
    def t_sf(z, x, df, loc=0.0, scale=1.0):
        p = _t.pdf(x, df, loc, scale)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_t.sf)
    def t_sf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(-_t.pdf(x, df, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_t.logsf)
    def t_logsf(z, x, df, loc=0.0, scale=1.0):
        p = np.exp(_t.logpdf(x, df, loc, scale) - z)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_t.logsf)
    def t_logsf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(-np.exp(_t.logpdf(x, df, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_t.sf, df=INCOMPLETE)
    no_derivative(_t.logsf, df=INCOMPLETE)

    # ---------------------------------------------------------------- chi2 (df)
    @adjoint(_chi2.logpdf)
    def chi2_logpdf(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = chi2_score(y, df) / scale
        d[x] = unbroadcast(d[z] * s, x)
        d[df] = unbroadcast(d[z] * chi2_score_df(y, df), df)
        d[loc] = unbroadcast(-d[z] * s, loc)
        d[scale] = unbroadcast(-d[z] * (s * y + 1 / scale), scale)
    @tangent(_chi2.logpdf)
    def chi2_logpdf_fwd(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = chi2_score(y, df) / scale
        d[z] = tangent_like(s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[df] * chi2_score_df(y, df), z)
    @adjoint(_chi2.pdf)
    def chi2_pdf(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = chi2_score(y, df) / scale
        d[x] = unbroadcast(d[z] * z * s, x)
        d[df] = unbroadcast(d[z] * z * chi2_score_df(y, df), df)
        d[loc] = unbroadcast(-d[z] * z * s, loc)
        d[scale] = unbroadcast(-d[z] * z * (s * y + 1 / scale), scale)
    @tangent(_chi2.pdf)
    def chi2_pdf_fwd(z, x, df, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = chi2_score(y, df) / scale
        d[z] = tangent_like(z * (s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[df] * chi2_score_df(y, df)), z)
    @adjoint(_chi2.cdf)
    def chi2_cdf(z, x, df, loc=0.0, scale=1.0):
        p = _chi2.pdf(x, df, loc, scale)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_chi2.cdf)
    def chi2_cdf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(_chi2.pdf(x, df, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_chi2.logcdf)
    def chi2_logcdf(z, x, df, loc=0.0, scale=1.0):
        p = np.exp(_chi2.logpdf(x, df, loc, scale) - z)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_chi2.logcdf)
    def chi2_logcdf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(np.exp(_chi2.logpdf(x, df, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_chi2.cdf, df=INCOMPLETE)
    no_derivative(_chi2.logcdf, df=INCOMPLETE)
    @adjoint(_chi2.sf)
    def chi2_sf(z, x, df, loc=0.0, scale=1.0):
        p = _chi2.pdf(x, df, loc, scale)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_chi2.sf)
    def chi2_sf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(-_chi2.pdf(x, df, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_chi2.logsf)
    def chi2_logsf(z, x, df, loc=0.0, scale=1.0):
        p = np.exp(_chi2.logpdf(x, df, loc, scale) - z)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_chi2.logsf)
    def chi2_logsf_fwd(z, x, df, loc=0.0, scale=1.0):
        d[z] = tangent_like(-np.exp(_chi2.logpdf(x, df, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_chi2.sf, df=INCOMPLETE)
    no_derivative(_chi2.logsf, df=INCOMPLETE)

    # ---------------------------------------------------------------- gamma (a)
    @adjoint(_gamma.logpdf)
    def gamma_logpdf(z, x, a, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = gamma_score(y, a) / scale
        d[x] = unbroadcast(d[z] * s, x)
        d[a] = unbroadcast(d[z] * gamma_score_a(y, a), a)
        d[loc] = unbroadcast(-d[z] * s, loc)
        d[scale] = unbroadcast(-d[z] * (s * y + 1 / scale), scale)
    @tangent(_gamma.logpdf)
    def gamma_logpdf_fwd(z, x, a, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = gamma_score(y, a) / scale
        d[z] = tangent_like(s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[a] * gamma_score_a(y, a), z)
    @adjoint(_gamma.pdf)
    def gamma_pdf(z, x, a, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = gamma_score(y, a) / scale
        d[x] = unbroadcast(d[z] * z * s, x)
        d[a] = unbroadcast(d[z] * z * gamma_score_a(y, a), a)
        d[loc] = unbroadcast(-d[z] * z * s, loc)
        d[scale] = unbroadcast(-d[z] * z * (s * y + 1 / scale), scale)
    @tangent(_gamma.pdf)
    def gamma_pdf_fwd(z, x, a, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = gamma_score(y, a) / scale
        d[z] = tangent_like(z * (s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[a] * gamma_score_a(y, a)), z)
    @adjoint(_gamma.cdf)
    def gamma_cdf(z, x, a, loc=0.0, scale=1.0):
        p = _gamma.pdf(x, a, loc, scale)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_gamma.cdf)
    def gamma_cdf_fwd(z, x, a, loc=0.0, scale=1.0):
        d[z] = tangent_like(_gamma.pdf(x, a, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_gamma.logcdf)
    def gamma_logcdf(z, x, a, loc=0.0, scale=1.0):
        p = np.exp(_gamma.logpdf(x, a, loc, scale) - z)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_gamma.logcdf)
    def gamma_logcdf_fwd(z, x, a, loc=0.0, scale=1.0):
        d[z] = tangent_like(np.exp(_gamma.logpdf(x, a, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_gamma.cdf, a=INCOMPLETE)
    no_derivative(_gamma.logcdf, a=INCOMPLETE)
    @adjoint(_gamma.sf)
    def gamma_sf(z, x, a, loc=0.0, scale=1.0):
        p = _gamma.pdf(x, a, loc, scale)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_gamma.sf)
    def gamma_sf_fwd(z, x, a, loc=0.0, scale=1.0):
        d[z] = tangent_like(-_gamma.pdf(x, a, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_gamma.logsf)
    def gamma_logsf(z, x, a, loc=0.0, scale=1.0):
        p = np.exp(_gamma.logpdf(x, a, loc, scale) - z)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_gamma.logsf)
    def gamma_logsf_fwd(z, x, a, loc=0.0, scale=1.0):
        d[z] = tangent_like(-np.exp(_gamma.logpdf(x, a, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_gamma.sf, a=INCOMPLETE)
    no_derivative(_gamma.logsf, a=INCOMPLETE)

    # ---------------------------------------------------------------- beta (a, b)
    @adjoint(_beta.logpdf)
    def beta_logpdf(z, x, a, b, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = beta_score(y, a, b) / scale
        d[x] = unbroadcast(d[z] * s, x)
        d[a] = unbroadcast(d[z] * beta_score_a(y, a, b), a)
        d[b] = unbroadcast(d[z] * beta_score_b(y, a, b), b)
        d[loc] = unbroadcast(-d[z] * s, loc)
        d[scale] = unbroadcast(-d[z] * (s * y + 1 / scale), scale)
    @tangent(_beta.logpdf)
    def beta_logpdf_fwd(z, x, a, b, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = beta_score(y, a, b) / scale
        d[z] = tangent_like(s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[a] * beta_score_a(y, a, b)
                            + d[b] * beta_score_b(y, a, b), z)
    @adjoint(_beta.pdf)
    def beta_pdf(z, x, a, b, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = beta_score(y, a, b) / scale
        d[x] = unbroadcast(d[z] * z * s, x)
        d[a] = unbroadcast(d[z] * z * beta_score_a(y, a, b), a)
        d[b] = unbroadcast(d[z] * z * beta_score_b(y, a, b), b)
        d[loc] = unbroadcast(-d[z] * z * s, loc)
        d[scale] = unbroadcast(-d[z] * z * (s * y + 1 / scale), scale)
    @tangent(_beta.pdf)
    def beta_pdf_fwd(z, x, a, b, loc=0.0, scale=1.0):
        y = (x - loc) / scale
        s = beta_score(y, a, b) / scale
        d[z] = tangent_like(z * (s * (d[x] - d[loc]) - d[scale] * (s * y + 1 / scale) + d[a] * beta_score_a(y, a, b)
                                 + d[b] * beta_score_b(y, a, b)), z)
    @adjoint(_beta.cdf)
    def beta_cdf(z, x, a, b, loc=0.0, scale=1.0):
        p = _beta.pdf(x, a, b, loc, scale)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_beta.cdf)
    def beta_cdf_fwd(z, x, a, b, loc=0.0, scale=1.0):
        d[z] = tangent_like(_beta.pdf(x, a, b, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_beta.logcdf)
    def beta_logcdf(z, x, a, b, loc=0.0, scale=1.0):
        p = np.exp(_beta.logpdf(x, a, b, loc, scale) - z)
        d[x] = unbroadcast(d[z] * p, x)
        d[loc] = unbroadcast(-d[z] * p, loc)
        d[scale] = unbroadcast(-d[z] * p * (x - loc) / scale, scale)
    @tangent(_beta.logcdf)
    def beta_logcdf_fwd(z, x, a, b, loc=0.0, scale=1.0):
        d[z] = tangent_like(np.exp(_beta.logpdf(x, a, b, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_beta.cdf, a=INCOMPLETE, b=INCOMPLETE)
    no_derivative(_beta.logcdf, a=INCOMPLETE, b=INCOMPLETE)
    @adjoint(_beta.sf)
    def beta_sf(z, x, a, b, loc=0.0, scale=1.0):
        p = _beta.pdf(x, a, b, loc, scale)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_beta.sf)
    def beta_sf_fwd(z, x, a, b, loc=0.0, scale=1.0):
        d[z] = tangent_like(-_beta.pdf(x, a, b, loc, scale) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    @adjoint(_beta.logsf)
    def beta_logsf(z, x, a, b, loc=0.0, scale=1.0):
        p = np.exp(_beta.logpdf(x, a, b, loc, scale) - z)
        d[x] = unbroadcast(-d[z] * p, x)
        d[loc] = unbroadcast(d[z] * p, loc)
        d[scale] = unbroadcast(d[z] * p * (x - loc) / scale, scale)
    @tangent(_beta.logsf)
    def beta_logsf_fwd(z, x, a, b, loc=0.0, scale=1.0):
        d[z] = tangent_like(-np.exp(_beta.logpdf(x, a, b, loc, scale) - z) * (d[x] - d[loc] - d[scale] * (x - loc) / scale), z)
    no_derivative(_beta.sf, a=INCOMPLETE, b=INCOMPLETE)
    no_derivative(_beta.logsf, a=INCOMPLETE, b=INCOMPLETE)

    # ---------------------------------------------------------------- poisson (mu; k and loc are counts)
    @adjoint(_poisson.logpmf)
    def poisson_logpmf(z, k, mu, loc=0): d[mu] = unbroadcast(d[z] * ((k - loc) / mu - 1), mu)
    @tangent(_poisson.logpmf)
    def poisson_logpmf_fwd(z, k, mu, loc=0): d[z] = tangent_like(d[mu] * ((k - loc) / mu - 1), z)
    @adjoint(_poisson.pmf)
    def poisson_pmf(z, k, mu, loc=0): d[mu] = unbroadcast(d[z] * z * ((k - loc) / mu - 1), mu)
    @tangent(_poisson.pmf)
    def poisson_pmf_fwd(z, k, mu, loc=0): d[z] = tangent_like(d[mu] * z * ((k - loc) / mu - 1), z)
    @adjoint(_poisson.cdf)
    def poisson_cdf(z, k, mu, loc=0): d[mu] = unbroadcast(-d[z] * _poisson.pmf(np.floor(k - loc) + loc, mu, loc), mu)
    @tangent(_poisson.cdf)
    def poisson_cdf_fwd(z, k, mu, loc=0): d[z] = tangent_like(-d[mu] * _poisson.pmf(np.floor(k - loc) + loc, mu, loc), z)
    @adjoint(_poisson.logcdf)
    def poisson_logcdf(z, k, mu, loc=0):
        d[mu] = unbroadcast(-d[z] * np.exp(_poisson.logpmf(np.floor(k - loc) + loc, mu, loc) - z), mu)
    @tangent(_poisson.logcdf)
    def poisson_logcdf_fwd(z, k, mu, loc=0):
        d[z] = tangent_like(-d[mu] * np.exp(_poisson.logpmf(np.floor(k - loc) + loc, mu, loc) - z), z)
    for _f in (_poisson.logpmf, _poisson.pmf, _poisson.cdf, _poisson.logcdf):
        no_derivative(_f, k=COUNT, loc=COUNT)

    # ---------------------------------------------------------------- dirichlet (x, alpha)
    @adjoint(_dirichlet.logpdf)
    def dirichlet_logpdf(z, x, alpha):
        d[x] = like(dirichlet_grad_x(d[z], x, alpha), x)
        d[alpha] = like(dirichlet_grad_alpha(d[z], x, alpha), alpha)
    @tangent(_dirichlet.logpdf)
    def dirichlet_logpdf_fwd(z, x, alpha): d[z] = tangent_like(dirichlet_tangent(d[x], d[alpha], x, alpha), z)
    @adjoint(_dirichlet.pdf)
    def dirichlet_pdf(z, x, alpha):
        d[x] = like(dirichlet_grad_x(d[z] * z, x, alpha), x)
        d[alpha] = like(dirichlet_grad_alpha(d[z] * z, x, alpha), alpha)
    @tangent(_dirichlet.pdf)
    def dirichlet_pdf_fwd(z, x, alpha): d[z] = tangent_like(z * dirichlet_tangent(d[x], d[alpha], x, alpha), z)

    # ---------------------------------------------------------------- multivariate_normal (x, mean, cov)
    @adjoint(_mvn.logpdf)
    def mvn_logpdf(z, x, mean=None, cov=1, allow_singular=False):
        d[x] = like(mvn_grad_x(d[z], z, x, mean, cov, allow_singular), x)
        d[mean] = like(mvn_grad_mean(d[z], z, x, mean, cov, allow_singular), mean)
        d[cov] = like(mvn_grad_cov(d[z], z, x, mean, cov, allow_singular), cov)
    @tangent(_mvn.logpdf)
    def mvn_logpdf_fwd(z, x, mean=None, cov=1, allow_singular=False):
        d[z] = tangent_like(mvn_tangent(d[x], d[mean], d[cov], z, x, mean, cov, allow_singular), z)
    @adjoint(_mvn.pdf)
    def mvn_pdf(z, x, mean=None, cov=1, allow_singular=False):
        d[x] = like(mvn_grad_x(d[z] * z, z, x, mean, cov, allow_singular), x)
        d[mean] = like(mvn_grad_mean(d[z] * z, z, x, mean, cov, allow_singular), mean)
        d[cov] = like(mvn_grad_cov(d[z] * z, z, x, mean, cov, allow_singular), cov)
    @tangent(_mvn.pdf)
    def mvn_pdf_fwd(z, x, mean=None, cov=1, allow_singular=False):
        d[z] = tangent_like(z * mvn_tangent(d[x], d[mean], d[cov], z, x, mean, cov, allow_singular), z)
    @adjoint(_mvn.entropy, constant=("mean",))
    def mvn_entropy(z, mean=None, cov=1): d[cov] = like(mvn_entropy_grad(d[z], mean, cov), cov)
    @tangent(_mvn.entropy, constant=("mean",))
    def mvn_entropy_fwd(z, mean=None, cov=1): d[z] = tangent_like(mvn_entropy_tangent(d[cov], mean, cov), z)

    # ---------------------------------------------------------------- entropy (pk, qk): Shannon / relative
    @adjoint(_entropy)
    def entropy(z, pk, qk=None, base=None, axis=0):
        d[pk] = like(entropy_grads(d[z], pk, qk, base, axis)[0], pk)
        d[qk] = like(entropy_grads(d[z], pk, qk, base, axis)[1], qk)
    @tangent(_entropy)
    def entropy_fwd(z, pk, qk=None, base=None, axis=0):
        d[z] = tangent_like(entropy_tangent(d[pk], d[qk], pk, qk, base, axis), z)
    no_derivative(_entropy, base="the base of the logarithm is not differentiated")


# ---------------------------------------------------------------- dirichlet helpers
def _dirichlet_alpha(x, alpha):
    """alpha shaped to broadcast against x, whose first axis holds the K components."""
    k = np.shape(alpha)[0]
    if np.shape(x)[0] != k:
        raise NotImplementedError("s2s: dirichlet with x's last component left out has no derivative rule; "
                                  "pass all K components of x")
    return np.reshape(alpha, (k,) + (1,) * (np.ndim(x) - 1))


def dirichlet_grad_x(g, x, alpha):
    """Gradient of dirichlet.logpdf in x (g: the gradient of the result, one per sample)."""
    return g * (_dirichlet_alpha(x, alpha) - 1) / x


def dirichlet_grad_alpha(g, x, alpha):
    """Gradient of dirichlet.logpdf in alpha, summed over the samples."""
    a = _dirichlet_alpha(x, alpha)
    score = sc.digamma(np.sum(alpha)) - sc.digamma(a) + np.log(x)
    return np.reshape(np.sum(np.reshape(g * score, (np.shape(alpha)[0], -1)), axis=1), np.shape(alpha))


def dirichlet_tangent(tx, talpha, x, alpha):
    """Tangent of dirichlet.logpdf."""
    a = _dirichlet_alpha(x, alpha)
    out = 0.0
    if not is_zero(tx):
        out = out + np.sum(tx * (a - 1) / x, axis=0)
    if not is_zero(talpha):
        ta = np.reshape(talpha, np.shape(a))
        out = out + np.sum(ta * (sc.digamma(np.sum(alpha)) - sc.digamma(a) + np.log(x)), axis=0)
    return out


# ---------------------------------------------------------------- multivariate_normal helpers
def _mvn_dim(x, mean, cov):
    """The dimension, as SciPy infers it: the size of mean, else the side of a 2-d cov, else 1."""
    if mean is not None:
        return int(np.size(mean))
    if np.ndim(cov) == 2:
        return np.shape(cov)[0]
    return 1


def _mvn_cov(cov, n):
    """cov as the n-by-n matrix SciPy uses: a scalar variance or a diagonal made a matrix; of a
    matrix SciPy reads the lower triangle only (its eigh), so the matrix is that triangle mirrored."""
    if np.ndim(cov) == 0:
        return cov * np.eye(n)
    if np.ndim(cov) == 1:
        return np.diag(cov)
    return _tri_sym(cov, "L")


def _mvn_back(G, cov):
    """A gradient in the n-by-n matrix, given back in the form cov was passed."""
    if np.ndim(cov) == 0:
        return np.trace(G)
    if np.ndim(cov) == 1:
        return np.diagonal(G)
    return _tri_grad(G, "L")


def _mvn_rows(x, mean, n):
    """x - mean with one sample per row: shape (..., n)."""
    r = np.asarray(x) if n > 1 else np.reshape(x, np.shape(x) + (1,))
    if mean is not None:
        r = r - mean
    return r


def _mvn_precision(C, allow_singular):
    if allow_singular:
        return np.linalg.pinv(C, hermitian=True)
    return np.linalg.inv(C)


def _mvn_seed(g, z, r):
    """The gradient of the result, one per row of r."""
    return np.reshape(np.broadcast_to(g, np.shape(z)), np.shape(r)[:-1])


def mvn_grad_x(g, z, x, mean, cov, allow_singular=False):
    """Gradient of multivariate_normal.logpdf in x: -P (x - mean) for each row."""
    n = _mvn_dim(x, mean, cov)
    r = _mvn_rows(x, mean, n)
    s = r @ _mvn_precision(_mvn_cov(cov, n), allow_singular)
    return np.reshape(-_mvn_seed(g, z, r)[..., None] * s, np.shape(x))


def mvn_grad_mean(g, z, x, mean, cov, allow_singular=False):
    """Gradient of multivariate_normal.logpdf in the mean: P (x - mean), summed over rows."""
    n = _mvn_dim(x, mean, cov)
    r = _mvn_rows(x, mean, n)
    s = r @ _mvn_precision(_mvn_cov(cov, n), allow_singular)
    return unbroadcast(_mvn_seed(g, z, r)[..., None] * s, mean)


def mvn_grad_cov(g, z, x, mean, cov, allow_singular=False):
    """Gradient of multivariate_normal.logpdf in cov: (P r r^T P - P) / 2, summed over rows."""
    n = _mvn_dim(x, mean, cov)
    C = _mvn_cov(cov, n)
    if allow_singular and np.linalg.matrix_rank(C, hermitian=True) < n:
        raise NotImplementedError("s2s: multivariate_normal with a singular cov (allow_singular=True) has no "
                                  "derivative in cov (its pseudo-determinant is not differentiable there)")
    r = _mvn_rows(x, mean, n)
    P = _mvn_precision(C, allow_singular)
    s = np.reshape(r @ P, (-1, n))
    gr = np.reshape(_mvn_seed(g, z, r), (-1,))
    G = 0.5 * ((s * gr[:, None]).T @ s) - 0.5 * np.sum(gr) * P
    return _mvn_back(G, cov)


def mvn_tangent(tx, tmean, tcov, z, x, mean, cov, allow_singular=False):
    """Tangent of multivariate_normal.logpdf, shaped like its result."""
    n = _mvn_dim(x, mean, cov)
    C = _mvn_cov(cov, n)
    r = _mvn_rows(x, mean, n)
    P = _mvn_precision(C, allow_singular)
    s = r @ P
    out = 0.0
    if not is_zero(tx):
        out = out - np.sum(s * _mvn_rows(tx, None, n), axis=-1)
    if not is_zero(tmean):
        out = out + np.sum(s * tmean, axis=-1)
    if not is_zero(tcov):
        if allow_singular and np.linalg.matrix_rank(C, hermitian=True) < n:
            raise NotImplementedError("s2s: multivariate_normal with a singular cov (allow_singular=True) has no "
                                      "derivative in cov (its pseudo-determinant is not differentiable there)")
        tC = _mvn_cov(tcov, n)
        out = out + 0.5 * np.sum((s @ tC) * s, axis=-1) - 0.5 * np.sum(P * tC)
    return np.reshape(out, np.shape(z)) if np.ndim(out) else out


def mvn_entropy_grad(g, mean, cov):
    """Gradient of multivariate_normal.entropy in cov: P / 2."""
    n = _mvn_dim(None, mean, cov)
    return _mvn_back(0.5 * g * np.linalg.inv(_mvn_cov(cov, n)), cov)


def mvn_entropy_tangent(tcov, mean, cov):
    n = _mvn_dim(None, mean, cov)
    return 0.5 * np.sum(np.linalg.inv(_mvn_cov(cov, n)) * _mvn_cov(tcov, n))
