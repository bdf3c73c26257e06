"""scipy.integrate.odeint: derivatives in the initial state, the time grid and the extra ``args``.

Loaded on first use of scipy.integrate (s2s.registry.LAZY). The user's
dynamics ``func(y, t, *args)`` is differentiated by s2s itself, at run time,
the first time the rule runs (``s2s.grad`` / ``s2s.jvp`` of func, cached):

- reverse, by the adjoint ODE: from the last time back to the first,
  odeint solves ``y' = f``, ``a' = -a f_y``, ``a_t' = -a f_t``,
  ``a_args' = -a f_args`` backwards between consecutive output times, the
  output gradient added to the adjoint ``a`` at each output time; the
  gradient of output time ``t_i`` (i > 0) is ``g_i . f(y_i, t_i)``, that of
  ``t_0`` comes out of the integration;
- forward, by the sensitivity ODE: odeint solves ``y' = f``,
  ``s' = f_y s + f_args dargs`` from ``s(t_0) = dy0 - f(y0, t0) dt_0``; the
  output tangent is ``s(t_i) + f(y_i, t_i) dt_i``.

Both integrate with the call's rtol/atol (odeint's defaults otherwise), so
the derivatives are as accurate as the solution. ``full_output=True`` and a
``Dfun`` are not supported (runtime NotImplementedError).
"""
import inspect

import numpy as np

from s2s.registry import adjoint, tangent, d, no_derivative
from s2s.rule_helpers import is_zero, like

try:
    from scipy.integrate import odeint as _odeint
except ImportError:  # SciPy is optional
    _odeint = None

if _odeint is not None:
    @adjoint(_odeint)
    def odeint(z, func, y0, t, args=(), Dfun=None, col_deriv=0, full_output=0, ml=None, mu=None, rtol=None,
               atol=None, tcrit=None, h0=0.0, hmax=0.0, hmin=0.0, ixpr=0, mxstep=0, mxhnil=0, mxordn=12,
               mxords=5, printmessg=0, tfirst=False):
        g = odeint_vjp(d[z], z, func, y0, t, args, rtol, atol, tfirst, full_output, Dfun)
        d[y0] = like(g[0], y0)
        d[t] = like(g[1], t)
        d[args] = like(g[2], args)
    @tangent(_odeint)
    def odeint_fwd(z, func, y0, t, args=(), Dfun=None, col_deriv=0, full_output=0, ml=None, mu=None, rtol=None,
                   atol=None, tcrit=None, h0=0.0, hmax=0.0, hmin=0.0, ixpr=0, mxstep=0, mxhnil=0, mxordn=12,
                   mxords=5, printmessg=0, tfirst=False):
        d[z] = odeint_jvp(d[y0], d[t], d[args], z, func, y0, t, args, rtol, atol, tfirst, full_output, Dfun)
    no_derivative(_odeint, func="the dynamics is a function (differentiate through its parameters via args=)")


class _Dynamics:
    """func(y, t, *args) (or func(t, y, *args) with tfirst), its vjp and jvp through s2s."""

    def __init__(self, func, args, tfirst):
        self.func, self.tfirst = func, tfirst
        self.args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
        self.n = len(self.args)
        self.container = None   # list or tuple when func returns one (SciPy's own examples return lists)

    def _order(self, y, t, rest):
        return (t, y) + tuple(rest) if self.tfirst else (y, t) + tuple(rest)

    def __call__(self, y, t, args):
        return np.asarray(self.func(*self._order(y, t, args)), dtype=float)

    def vjp(self, y, t, args, v):
        """(v f_y, v f_t, (v f_arg, ...)) at (y, t, args)."""
        import s2s
        gen = s2s.grad(self.func, wrt=tuple(range(2 + self.n)))
        seed = list(inspect.signature(gen).parameters)[-1]
        if self.container is None:   # the seed has the output's structure: a list of numbers for a list
            out = self.func(*self._order(y, t, args))
            self.container = type(out) if type(out) in (list, tuple) else False
        if self.container:
            v = self.container(np.asarray(v, dtype=float).reshape(-1))
        gs = gen(*self._order(y, t, args), **{seed: v})
        gy, gt = (gs[1], gs[0]) if self.tfirst else (gs[0], gs[1])
        return gy, gt, tuple(gs[2:])

    def jvp(self, y, t, args, ty, targs):
        """f_y ty + f_args targs at (y, t, args) (targs: one tangent or None per argument)."""
        import s2s
        active = [i for i, ta in enumerate(targs) if ta is not None]
        ypos = 1 if self.tfirst else 0
        wrt = (ypos,) + tuple(2 + i for i in active)
        gen = s2s.jvp(self.func, wrt=wrt)
        names = list(inspect.signature(gen).parameters)[-len(wrt):]
        tangents = dict(zip(names, [ty] + [targs[i] for i in active]))
        return np.asarray(gen(*self._order(y, t, args), **tangents), dtype=float)


def _flat(parts):
    return np.concatenate([np.ravel(np.asarray(p, dtype=float)) for p in parts]) if parts else np.zeros(0)


def _unflat(flat, like_args):
    out, i = [], 0
    for a in like_args:
        k = int(np.size(a))
        piece = flat[i:i + k]
        out.append(float(piece[0]) if isinstance(a, (float, int)) else np.reshape(piece, np.shape(a)))
        i += k
    return tuple(out)


def _check(full_output, Dfun):
    if full_output:
        raise NotImplementedError("s2s: odeint(..., full_output=True) has no derivative rule")
    if Dfun is not None:
        raise NotImplementedError("s2s: odeint(..., Dfun=...) has no derivative rule (s2s differentiates func itself)")


def _tolerances(rtol, atol):
    kw = {}
    if rtol is not None:
        kw["rtol"] = rtol
    if atol is not None:
        kw["atol"] = atol
    return kw


def odeint_vjp(g, yt, func, y0, t, args=(), rtol=None, atol=None, tfirst=False, full_output=0, Dfun=None):
    """(gradient of y0, of t, of each of args) of yt = odeint(func, y0, t, args), by the adjoint ODE."""
    _check(full_output, Dfun)
    f = _Dynamics(func, args, tfirst)
    t = np.asarray(t, dtype=float)
    yt = np.asarray(yt, dtype=float)
    T, D = yt.shape
    g = np.broadcast_to(np.asarray(g, dtype=float), yt.shape)
    kw = _tolerances(rtol, atol)

    def augmented(state, tau):
        y, a = state[:D], state[D:2 * D]
        gy, gt, ga = f.vjp(y, tau, f.args, -a)
        return np.concatenate([f(y, tau, f.args), np.ravel(gy), [float(np.sum(gt))], _flat(ga)])

    adj = g[-1].copy()
    adj_t0 = 0.0
    adj_args = np.zeros(_flat(f.args).size)
    times = []
    for i in range(T - 1, 0, -1):
        here = float(np.dot(f(yt[i], t[i], f.args), g[i]))
        times.append(here)
        adj_t0 = adj_t0 - here
        state = np.concatenate([yt[i], adj, [adj_t0], adj_args])
        state = _odeint(augmented, state, np.array([t[i], t[i - 1]]), **kw)[1]
        adj = state[D:2 * D] + g[i - 1]
        adj_t0 = state[2 * D]
        adj_args = state[2 * D + 1:]
    times.append(adj_t0)
    gargs = _unflat(adj_args, f.args)
    return np.reshape(adj, np.shape(y0)), np.array(times[::-1]), gargs if isinstance(args, (tuple, list)) else gargs[0]


def odeint_jvp(ty0, tt, targs, yt, func, y0, t, args=(), rtol=None, atol=None, tfirst=False, full_output=0, Dfun=None):
    """Tangent of yt = odeint(func, y0, t, args), by the sensitivity ODE."""
    _check(full_output, Dfun)
    f = _Dynamics(func, args, tfirst)
    t = np.asarray(t, dtype=float)
    yt = np.asarray(yt, dtype=float)
    T, D = yt.shape
    if not isinstance(args, (tuple, list)):
        targs = (targs,)
    elif is_zero(targs) or targs is None:
        targs = (None,) * f.n
    targs = tuple(None if is_zero(ta) else np.broadcast_to(ta, np.shape(a)) for ta, a in zip(targs, f.args))
    s0 = np.zeros(D) if is_zero(ty0) else np.ravel(np.broadcast_to(ty0, np.shape(y0))).astype(float)
    tt = np.zeros(T) if is_zero(tt) else np.broadcast_to(tt, (T,)).astype(float)
    s0 = s0 - f(yt[0], t[0], f.args) * tt[0]

    def augmented(state, tau):
        y, s = state[:D], state[D:]
        return np.concatenate([f(y, tau, f.args), f.jvp(y, tau, f.args, s, targs)])

    sol = _odeint(augmented, np.concatenate([yt[0], s0]), t, **_tolerances(rtol, atol))
    out = sol[:, D:] + np.stack([f(yt[i], t[i], f.args) * tt[i] for i in range(T)])
    return like(out, yt)
