"""scipy.stats.norm: logpdf, pdf, cdf, logcdf, sf, logsf, ppf, with loc and scale.

Kept apart from scipy_rules.py because importing scipy.stats takes about two
seconds: import this module only when SciPy's stats are wanted (or lazily,
when a user's function refers to scipy.stats). Without SciPy it registers
nothing. Keys are the bound methods ``scipy.stats.norm.logpdf`` etc.; bound
methods compare equal across accesses, so lookups work.
"""
import math

import numpy as np

from s2s.registry import adjoint, tangent, d
from s2s.runtime import unbroadcast
from .bcast import tangent_like

try:
    from scipy.stats import norm as _norm
except ImportError:  # SciPy is optional
    _norm = None

SQRT_2PI = math.sqrt(2 * math.pi)

if _norm is not None:
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
