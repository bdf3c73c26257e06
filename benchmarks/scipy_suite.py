"""The SciPy half of issue #12, measured: each call of a peer AD library's SciPy test suite through s2s.

Every case is a small user function ``f(a0, a1, ...) = sum(call(...) * W)``; for each differentiated
argument, ``s2s.grad`` (reverse) and ``s2s.jvp`` (forward) are compared with central differences.
Each (case, argument, mode) is counted as

  ok       agrees with finite differences
  refused  a DifferentiationError (or an "s2s: ..." NotImplementedError) -- a clean refusal
  crash    any other exception (an internal error)
  wrong    a number that disagrees

Run: ``python -m benchmarks.scipy_suite [-v]`` (``-v`` lists every non-ok entry).
"""
import importlib.util
import os
import sys
import tempfile
import traceback

import numpy as np

import s2s
from s2s.errors import DifferentiationError

R = np.random.default_rng(1)


def r(*shape):
    return R.standard_normal(shape)


def pos(*shape, lo=1.1):
    return r(*shape) ** 2 + lo


def u(lo, hi, *shape):
    return R.uniform(lo, hi, shape)


def psd(n):
    m = r(n, n)
    return m.T @ m + np.eye(n)


def rows():
    c = np.zeros((4, 4))
    c[0, 0] = c[1, 1] = 1.0
    return c


ALPHA = pos(4, lo=1.2)
XD = np.random.default_rng(2).dirichlet(ALPHA)

# (family, call expression over a0, a1, ..., [argument values], differentiated argument positions)
CASES = [
    # scipy.stats
    ("stats", "norm.pdf(a0, a1, a2)", [r(4), r(4), pos(4)], [0, 1, 2]),
    ("stats", "norm.cdf(a0, a1, a2)", [r(4), r(4), pos(4)], [0, 1, 2]),
    ("stats", "norm.logpdf(a0, a1, a2)", [r(4), r(4), pos(4)], [0, 1, 2]),
    ("stats", "norm.logcdf(a0, a1, a2)", [r(4), r(4), pos(4)], [0, 1, 2]),
    ("stats", "norm.pdf(a0, a1, a2)", [r(4, 3), r(1, 3), pos(4, 1)], [0, 1, 2]),
    ("stats", "norm.logcdf(a0, a1, a2)", [r(4, 3), r(1, 3), pos(4, 1)], [0, 1, 2]),
    ("stats", "t.pdf(a0, a1, a2, a3)", [r(4), pos(4, lo=2.1), r(4), pos(4, lo=2.1)], [0, 1, 2, 3]),
    ("stats", "t.logpdf(a0, a1, a2, a3)", [r(4), pos(4, lo=2.1), r(4), pos(4, lo=2.1)], [0, 1, 2, 3]),
    ("stats", "t.cdf(a0, a1, a2, a3)", [r(4), pos(4, lo=2.1), r(4), pos(4, lo=2.1)], [0, 2, 3]),
    ("stats", "t.logcdf(a0, a1, a2, a3)", [r(4), pos(4, lo=2.1), r(4), pos(4, lo=2.1)], [0, 2, 3]),
    ("stats", "t.logpdf(a0, a1, a2, a3)", [r(4, 3), pos(1, 3, lo=2.1), r(4, 1), pos(1, 3, lo=2.1)], [0, 1, 2, 3]),
    ("stats", "t.cdf(a0, a1, a2, a3)", [r(4, 3), pos(1, 3, lo=2.1), r(4, 1), pos(1, 3, lo=2.1)], [0, 2, 3]),
    ("stats", "chi2.pdf(a0, a1)", [pos(4), 3.0], [0]),
    ("stats", "chi2.cdf(a0, a1)", [pos(4), 2.0], [0]),
    ("stats", "chi2.logpdf(a0, a1)", [pos(4), 1.0], [0]),
    ("stats", "chi2.logpdf(a0, a1)", [pos(4), pos(4)], [0, 1]),
    ("stats", "beta.cdf(a0, a1, a2)", [u(0.1, 0.9, 4), pos(4), pos(4)], [0]),
    ("stats", "beta.pdf(a0, a1, a2)", [u(0.1, 0.9, 4), pos(4), pos(4)], [0, 1, 2]),
    ("stats", "beta.logpdf(a0, a1, a2)", [u(0.1, 0.9, 4), pos(4), pos(4)], [0, 1, 2]),
    ("stats", "gamma.cdf(a0, a1)", [pos(4), pos(4)], [0]),
    ("stats", "gamma.pdf(a0, a1)", [pos(4), pos(4)], [0, 1]),
    ("stats", "gamma.logpdf(a0, a1)", [pos(4), pos(4)], [0, 1]),
    ("stats", "poisson.cdf(a0, a1)", [np.round(r(4) ** 2), pos(4)], [1]),
    ("stats", "poisson.logpmf(a0, a1)", [np.round(r(4) ** 2), pos(4)], [1]),
    ("stats", "poisson.pmf(a0, a1)", [np.round(r(4) ** 2), pos(4)], [1]),
    ("stats", "poisson.cdf(a0, a1)", [np.round(r(4, 3) ** 2), pos(4, 1)], [1]),
    ("stats", "poisson.logpmf(a0, a1)", [np.round(r(4, 3) ** 2), pos(4, 1)], [1]),
    ("stats", "multivariate_normal.pdf(a0, a1, a2)", [r(4), r(4), psd(4)], [0, 1, 2]),
    ("stats", "multivariate_normal.logpdf(a0, a1, a2)", [r(4), r(4), psd(4)], [0, 1, 2]),
    ("stats", "multivariate_normal.entropy(a0, a1)", [r(4), psd(4)], [0, 1]),
    # a singular cov: x and mean move inside the support (off it the density is 0)
    ("stats", "multivariate_normal.pdf(np.concatenate((a0, np.zeros(2))), np.concatenate((a1, np.zeros(2))), a2, True)",
     [r(2), r(2), rows()], [0, 1]),
    ("stats", "multivariate_normal.logpdf(np.concatenate((a0, np.zeros(2))), np.concatenate((a1, np.zeros(2))), a2, True)",
     [r(2), r(2), rows()], [0, 1]),
    ("stats", "multivariate_normal.pdf(a0, a1, a2)", [r(5, 4), r(4), psd(4)], [0, 1, 2]),
    ("stats", "multivariate_normal.logpdf(a0, a1, a2)", [r(5, 4), r(4), psd(4)], [0, 1, 2]),
    ("stats", "dirichlet.pdf(a0 / np.sum(a0), a1)", [XD, ALPHA], [0, 1]),
    ("stats", "dirichlet.logpdf(a0 / np.sum(a0), a1)", [XD, ALPHA], [0, 1]),
    # scipy.special
    ("special", "special.logsumexp(a0)", [r(4)], [0]),
    ("special", "special.logsumexp(a0, axis=0, keepdims=True)", [r(3, 4)], [0]),
    ("special", "special.logsumexp(a0, axis=1)", [r(4, 5, 6)], [0]),
    ("special", "special.logsumexp(a0, axis=(0, 2), keepdims=True)", [r(4, 5, 6)], [0]),
    ("special", "special.logsumexp(a0, b=a1)", [r(4), np.exp(r(4))], [0]),
    ("special", "special.logsumexp(a0, axis=0, b=a1)", [r(3, 4), np.exp(r(3, 4))], [0, 1]),
    ("special", "special.logsumexp(a0, axis=1, b=a1, keepdims=True)", [r(2, 3, 4), np.exp(r(2, 3, 4))], [0, 1]),
    ("special", "special.logsumexp(a0, axis=0, b=a1, return_sign=True)[0]", [r(3, 4), r(3, 4)], [0, 1]),
    ("special", "special.beta(a0, a1)", [pos(4), pos(4)], [0, 1]),
    ("special", "special.betaln(a0, a1)", [pos(4), pos(4)], [0, 1]),
    ("special", "special.betainc(a0, a1, a2)", [pos(4), pos(4), u(0.1, 0.9, 4)], [2]),
    ("special", "special.gammainc(1, a0)", [pos(4, lo=1.3)], [0]),
    ("special", "special.gammaincc(1, a0)", [pos(4, lo=1.3)], [0]),
    ("special", "special.gammainc(a0, a1)", [pos(4), pos(4, lo=1.3)], [1]),
    ("special", "special.polygamma(0, a0)", [pos(4, lo=1.3)], [0]),
    ("special", "special.jn(2, a0)", [pos(4, lo=1.3)], [0]),
    ("special", "special.jv(a0, a1)", [u(0.5, 3.0, 4), pos(4, lo=1.3)], [1]),
    ("special", "special.yn(2, a0)", [pos(4, lo=1.3)], [0]),
    ("special", "special.psi(a0)", [u(0.3, 2.0, 4)], [0]),
    ("special", "special.digamma(a0)", [u(0.3, 2.0, 4)], [0]),
    ("special", "special.gamma(a0)", [u(0.3, 2.0, 4)], [0]),
    ("special", "special.gammaln(a0)", [u(0.3, 2.0, 4)], [0]),
    ("special", "special.gammasgn(a0)", [u(0.3, 2.0, 4)], [0]),
    ("special", "special.rgamma(a0)", [u(0.3, 2.0, 4)], [0]),
    ("special", "special.multigammaln(a0, 1)", [u(4.0, 5.0)], [0]),
    ("special", "special.multigammaln(a0, 3)", [u(4.0, 5.0, 2, 3)], [0]),
    ("special", "special.j0(a0)", [u(0.2, 20.0, 4)], [0]),
    ("special", "special.j1(a0)", [u(0.2, 20.0, 4)], [0]),
    ("special", "special.y0(a0)", [u(0.2, 20.0, 4)], [0]),
    ("special", "special.y1(a0)", [u(0.2, 20.0, 4)], [0]),
    ("special", "special.i0(a0)", [u(0.2, 20.0, 4)], [0]),
    ("special", "special.i1(a0)", [u(0.2, 20.0, 4)], [0]),
    ("special", "special.iv(a0, a1)", [u(1.0, 50.0, 4), pos(4, lo=1.3)], [1]),
    ("special", "special.ive(a0, a1)", [u(1.0, 50.0, 4), pos(4, lo=1.3)], [1]),
    ("special", "special.erf(a0)", [u(-3.0, 3.0, 4)], [0]),
    ("special", "special.erfc(a0)", [u(-3.0, 3.0, 4)], [0]),
    ("special", "special.erfinv(a0)", [u(-0.95, 0.95, 4)], [0]),
    ("special", "special.erfcinv(a0)", [u(0.05, 1.95, 4)], [0]),
    ("special", "special.logit(a0)", [u(0.05, 0.95, 4)], [0]),
    ("special", "special.expit(a0)", [r(4)], [0]),
    # scipy.signal
    ("signal", "signal.convolve(a0, a1, mode='full')", [r(4), r(2)], [0, 1]),
    ("signal", "signal.convolve(a0, a1, mode='valid')", [r(5), r(3)], [0, 1]),
    ("signal", "signal.convolve(a0, a1, mode='same')", [r(6), r(4)], [0, 1]),
    ("signal", "signal.convolve(a0, a1, mode='full')", [r(4, 3), r(2, 3)], [0, 1]),
    ("signal", "signal.convolve(a0, a1, mode='valid')", [r(6, 7), r(4, 3)], [0, 1]),
    ("signal", "signal.convolve(a0, a1, mode='same')", [r(5, 4), r(3, 2)], [0, 1]),
    ("signal", "signal.convolve(a0, a1)", [r(3, 4, 2), r(2, 2, 2)], [0, 1]),
    # scipy.linalg
    ("linalg", "sla.sqrtm(a0 + a0.T)", [psd(3)], [0]),
    ("linalg", "sla.solve_sylvester(a0, a1, a2)", [r(3, 3), r(3, 3), r(3, 3)], [0, 1, 2]),
    ("linalg", "sla.solve_banded((1, 1), a0, a1)", [r(3, 5) + np.array([[0], [4], [0]]), r(5)], [0, 1]),
    ("linalg", "sla.solve_triangular(a0, a1)", [r(3, 3) + 3 * np.eye(3), r(3)], [0, 1]),
    ("linalg", "sla.solve_triangular(a0, a1, lower=True, trans='T')", [r(3, 3) + 3 * np.eye(3), r(3, 2)], [0, 1]),
    ("linalg", "sla.cho_solve((a0, True), a1)", [np.linalg.cholesky(psd(3)), r(3)], [0, 1]),
    ("linalg", "sla.cho_solve(sla.cho_factor(a0), a1)", [psd(3), r(3)], [0, 1]),
    ("linalg", "sla.expm(a0)", [r(3, 3)], [0]),
    # scipy.integrate
    ("integrate", "integrate.odeint(ode_func, a0, a1, args=(a2, a3))", [r(3), np.linspace(0.1, 0.2, 4), r(3), r(3)], [0, 1, 2, 3]),
    ("integrate", "integrate.odeint(decay, a0, a1)", [r(2), np.linspace(0.0, 1.0, 5)], [0, 1]),
]

HEADER = '''import numpy as np
import scipy.special as special
import scipy.signal as signal
import scipy.linalg as sla
import scipy.integrate as integrate
from scipy.stats import norm, t, chi2, beta, gamma, poisson, multivariate_normal, dirichlet


def ode_func(y, t, arg1, arg2):
    return -np.sqrt(t) - y + arg1 - np.mean((y + arg2) ** 2)


def decay(y, t):
    return -0.5 * y + np.sin(t)
'''


def build():
    src = [HEADER]
    weights = {}
    for i, (fam, expr, args, wrt) in enumerate(CASES):
        params = ", ".join(f"a{j}" for j in range(len(args)))
        src.append(f"\ndef case_{i}({params}):\n    z = {expr}\n    return np.sum(z * W[{i}])\n")
    d = tempfile.mkdtemp()
    path = os.path.join(d, "scipy_suite_cases.py")
    with open(path, "w") as fh:
        fh.write("\n".join(src))
    spec = importlib.util.spec_from_file_location("scipy_suite_cases", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["scipy_suite_cases"] = mod
    spec.loader.exec_module(mod)
    mod.W = {}
    rng = np.random.default_rng(3)
    for i, (fam, expr, args, wrt) in enumerate(CASES):
        ns = dict(vars(mod))
        ns.update({f"a{j}": a for j, a in enumerate(args)})
        try:
            z = eval(expr, ns)
            mod.W[i] = rng.standard_normal(np.shape(z))
        except Exception as e:  # noqa: BLE001
            mod.W[i] = 1.0
            print(f"case {i} {expr}: primal fails: {e}")
    return mod


def classify(e):
    if isinstance(e, DifferentiationError):
        return "refused"
    if isinstance(e, NotImplementedError) and "s2s" in str(e):
        return "refused"
    return "crash"


def numeric(f, args, j, v=None, h=1e-6):
    a = [np.array(x, dtype=float) if isinstance(x, np.ndarray) else x for x in args]
    x = a[j]
    if v is not None:
        ap, am = list(a), list(a)
        ap[j], am[j] = x + h * v, x - h * v
        return (f(*ap) - f(*am)) / (2 * h)
    g = np.zeros(np.shape(x))
    for idx in np.ndindex(*np.shape(x)):
        e = np.zeros(np.shape(x))
        e[idx] = h
        ap, am = list(a), list(a)
        ap[j], am[j] = x + e, x - e
        if np.ndim(x) == 0:
            ap[j], am[j] = float(ap[j]), float(am[j])
        g[idx] = (f(*ap) - f(*am)) / (2 * h)
    return g


def close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.max(np.abs(b)) if b.size else 1.0
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-4, atol=1e-5 + 1e-7 * scale)


def run(verbose=False, only=None):
    mod = build()
    counts = {}
    notes = []
    for i, (fam, expr, args, wrt) in enumerate(CASES):
        if only and fam not in only:
            continue
        f = getattr(mod, f"case_{i}")
        for j in wrt:
            for mode in ("reverse", "forward"):
                try:
                    if mode == "reverse":
                        an = s2s.grad(f, wrt=j)(*args)
                        num = numeric(f, args, j)
                    else:
                        v = np.random.default_rng(i).standard_normal(np.shape(args[j]))
                        v = float(v) if isinstance(args[j], float) else v
                        an = s2s.jvp(f, wrt=j)(*args, v)
                        num = numeric(f, args, j, v)
                    res = "ok" if close(an, num) else "wrong"
                    msg = "" if res == "ok" else f"s2s {np.round(np.asarray(an, dtype=float), 4)} vs {np.round(num, 4)}"
                except Exception as e:  # noqa: BLE001
                    res = classify(e)
                    tb = traceback.extract_tb(e.__traceback__)
                    last = tb[-1] if tb else None
                    msg = f"{type(e).__name__}: {str(e).splitlines()[-1] if str(e) else ''}"[:200]
                    if res == "crash" and last is not None:
                        msg += f"  [{os.path.basename(last.filename)}:{last.lineno}]"
                c = counts.setdefault(fam, {"ok": 0, "refused": 0, "crash": 0, "wrong": 0})
                c[res] += 1
                if res != "ok":
                    notes.append(f"{res:8s} {mode:8s} {expr} wrt a{j}: {msg}")
    print(f"{'family':10s} {'ok':>4s} {'refused':>8s} {'crash':>6s} {'wrong':>6s}")
    tot = {"ok": 0, "refused": 0, "crash": 0, "wrong": 0}
    for fam, c in counts.items():
        print(f"{fam:10s} {c['ok']:4d} {c['refused']:8d} {c['crash']:6d} {c['wrong']:6d}")
        for k in tot:
            tot[k] += c[k]
    print(f"{'total':10s} {tot['ok']:4d} {tot['refused']:8d} {tot['crash']:6d} {tot['wrong']:6d}")
    if verbose:
        print("\n".join(notes))
    return counts


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    run(verbose="-v" in sys.argv, only=[a for a in sys.argv[1:] if not a.startswith("-")])
