"""The vocabulary of tests/_cases.py: how to describe a test call of a rule.

A *case* is one example call of a registered function: its positional
arguments, its keyword arguments, and a little metadata for the checker::

    case((2, 3), axis=0)                       # np.sum(x, axis=0), x ~ N(0, 1), shape (2, 3)
    case(pos((3,)))                            # np.log(x), x in [0.5, 2]
    case((2, 3), (3,))                         # a broadcasting pair
    case(spd(3))                               # np.linalg.cholesky: symmetric positive definite
    case(sym(3)).post("id", "sq")              # eigh: check w and v*v (v's signs are arbitrary)
    case(arrays((2, 3), (4, 3)), axis=0)       # np.concatenate([x, y], axis=0)
    case(scalar("pos"))                        # math.log(x), x a Python float
    case((3, 4), ints((2,), 0, 3), axis=1)     # np.take(x, idx, axis=1), idx constant

Positional tuples of ints are shapes (wrap a constant tuple, such as
transpose's axes, in ``const((1, 0))``); keyword values are taken as they
are, so ``axis=(0, 2)`` is an axis tuple. Arguments are *specs*: ``A`` (an array or Python float of a shape, drawn
from a domain), ``ListSpec`` (a list, tuple or dict of specs: differentiated
elementwise; ``arrays(...)``, ``tuple_of(...)``, ``dict_of(k=...)``) or any other value, passed as is and not differentiated
(axis, shape, ddof, strings, index arrays made with ``ints``).

Domains (``A.domain``):
  real      standard normal
  nans      standard normal with about a quarter NaNs (the nan* family)
  pos       uniform [0.5, 2]         (log, sqrt, power bases, gamma, ...)
  unit      uniform [-0.9, 0.9]      (arcsin, arctanh, erfinv, ...)
  prob      uniform [0.1, 0.9]       (logit, ndtri, ...)
  gt1       uniform [1.2, 3]         (arccosh)
  nonzero   +-uniform [0.5, 2]       (reciprocal, cbrt, division)
  distinct  values at least 0.2 apart, no ties (max, sort, median, ...)
  spd       symmetric positive definite matrices (last two axes)
  sym       symmetric, eigenvalues at least 0.5 apart (eigh)
  square    well-conditioned square matrices (inv, det, solve, ...)
  fullrank  rectangular, singular values 1..3 and distinct (svd, pinv, qr)
  int       small integers in an integer dtype (not differentiated)
Fixed points: ``at([0.0, 0.5])`` differentiates at given values.
Kinks: ``A(shape, kinks=(0,))`` redraws values closer than 0.1 to a kink.
``A.symmetric`` (set for spd and sym) tells the checker the function reads
only one triangle: compare gradients symmetrized, and perturb forward-mode
tangents symmetrically.

Case metadata (chained methods; they do not collide with call kwargs):
  .wrt(i, ...)        only these arguments (positions or kwarg names) are checked
                      (default: every A / ListSpec with a float domain)
  .post(p0, p1, ...)  for tuple/list results: "id" checks that output, "sq"
                      checks output**2 (sign-invariant: eigenvectors, singular
                      vectors), None ignores it
  .modes("reverse")   which modes apply (default both)
  .tol(rtol, atol)    tolerance for the finite-difference comparison
  .step(h)            the finite-difference step (default: the checker's, 1e-6 for float64), for a
                      function whose own rounding a float64-sized step would see (say why in .note)
  .note("...")        why the case is shaped as it is (kinks, ties, ...)

``make(spec, rng)`` draws a value for a spec; ``materialize(case, rng)``
returns ``(args, kwargs)``; ``call(key, args, kwargs)`` calls a registry key
(function, ``method(name)`` or ``attr(name)``) with them.
"""
import numpy as np

DOMAINS = ("real", "nans", "pos", "unit", "prob", "gt1", "nonzero", "distinct",
           "spd", "sym", "square", "fullrank", "int")


class A:
    """An argument: an array of ``shape`` (or a Python float, ``py=True``) from ``domain``."""

    def __init__(self, shape=(), domain="real", dtype="float64", py=False, kinks=(), value=None):
        assert domain in DOMAINS, domain
        self.value = value
        self.shape = tuple(shape) if value is None else np.shape(value)
        self.domain = domain
        self.dtype = dtype
        self.py = py
        self.kinks = tuple(kinks)

    @property
    def differentiable(self):
        return self.domain != "int"

    @property
    def symmetric(self):
        return self.domain in ("spd", "sym")

    def __repr__(self):
        extra = "" if self.domain == "real" else f", {self.domain!r}"
        if self.py:
            return f"scalar({self.domain!r})"
        return f"A({self.shape}{extra})"


class ListSpec:
    """A list, tuple (or dict, with ``keys``) of argument specs: ``np.concatenate([x, y])``."""

    def __init__(self, items, kind=list, keys=None):
        self.items = [as_spec(i) for i in items]
        self.kind = kind
        self.keys = list(keys) if keys is not None else list(range(len(self.items)))

    differentiable = True
    symmetric = False

    def build(self, values):
        return dict(zip(self.keys, values)) if self.kind is dict else self.kind(values)

    def __repr__(self):
        if self.kind is dict:
            return "dict(" + ", ".join(f"{k}={s!r}" for k, s in zip(self.keys, self.items)) + ")"
        return f"{self.kind.__name__}{self.items!r}"


class Const:
    """A constant argument, made at materialize time by ``fn(rng)`` (index arrays)."""

    def __init__(self, fn, text):
        self.fn, self.text = fn, text

    differentiable = False

    def __repr__(self):
        return self.text


def const(value):
    """A constant argument that would otherwise read as a spec (a positional tuple of ints)."""
    return Const(lambda rng: value, repr(value))


def as_spec(x):
    """Positional tuples of ints are array shapes; specs stay; anything else is a constant."""
    if isinstance(x, (A, ListSpec, Const)):
        return x
    if isinstance(x, tuple) and all(isinstance(i, int) for i in x):
        return A(x)
    return x


# --- shorthands
def arr(shape, domain="real", **kw): return A(shape, domain, **kw)
def pos(shape=()): return A(shape, "pos")
def unit(shape=()): return A(shape, "unit")
def prob(shape=()): return A(shape, "prob")
def gt1(shape=()): return A(shape, "gt1")
def nonzero(shape=()): return A(shape, "nonzero")
def distinct(shape): return A(shape, "distinct")
def away(shape, *kinks): return A(shape, "real", kinks=kinks or (0.0,))
def spd(n, batch=()): return A(tuple(batch) + (n, n), "spd")
def sym(n, batch=()): return A(tuple(batch) + (n, n), "sym")
def square(n, batch=()): return A(tuple(batch) + (n, n), "square")
def fullrank(m, n, batch=()): return A(tuple(batch) + (m, n), "fullrank")
def at(values):
    """A differentiated argument with fixed values (a point of interest, e.g. sinc at 0)."""
    return A(domain="real", value=np.asarray(values, dtype=float))
def f32(shape, domain="real"): return A(shape, domain, dtype="float32")
def scalar(domain="real", kinks=()): return A((), domain, py=True, kinks=kinks)
def arrays(*specs): return ListSpec(specs, list)
def tuple_of(*specs): return ListSpec(specs, tuple)
def dict_of(**specs): return ListSpec(specs.values(), dict, specs.keys())
def ints(shape, low, high):
    """A constant integer index array with values in [low, high)."""
    return Const(lambda rng: rng.integers(low, high, size=shape), f"ints({shape}, {low}, {high})")


class Case:
    def __init__(self, args, kwargs):
        self.args = [as_spec(a) for a in args]
        self.kwargs = dict(kwargs)  # keyword values are never shape shorthands
        self._wrt = None
        self.outputs = None
        self.mode_list = ("reverse", "forward")
        self.rtol, self.atol = 1e-5, 1e-6
        self.fd_step = None
        self.why = ""

    def wrt(self, *which):
        self._wrt = which
        return self

    def post(self, *outs):
        self.outputs = outs
        return self

    def modes(self, *modes):
        self.mode_list = modes
        return self

    def tol(self, rtol, atol=None):
        self.rtol = rtol
        self.atol = rtol if atol is None else atol
        return self

    def step(self, h):
        self.fd_step = h
        return self

    def note(self, text):
        self.why = text
        return self

    def active(self):
        """Positions and names of the arguments to check."""
        if self._wrt is not None:
            return list(self._wrt)
        out = [i for i, a in enumerate(self.args) if isinstance(a, (A, ListSpec)) and a.differentiable]
        out += [k for k, a in self.kwargs.items() if isinstance(a, (A, ListSpec)) and a.differentiable]
        return out

    def __repr__(self):
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return "case(" + ", ".join(parts) + ")"


def case(*args, **kwargs):
    """One example call; see the module docstring."""
    return Case(args, kwargs)


# --- drawing values
def _draw(spec, rng):
    shape, dom = spec.shape, spec.domain
    if spec.value is not None:
        return spec.value.copy()
    if dom == "real":
        x = rng.standard_normal(shape)
        for k in spec.kinks:
            bad = np.abs(x - k) < 0.1
            x = np.where(bad, x + np.where(x >= k, 0.2, -0.2), x)
        return x
    if dom == "nans":
        x = rng.standard_normal(shape)
        x[rng.uniform(size=shape) < 0.25] = np.nan
        return x
    if dom == "pos":
        return rng.uniform(0.5, 2.0, shape)
    if dom == "unit":
        return rng.uniform(-0.9, 0.9, shape)
    if dom == "prob":
        return rng.uniform(0.1, 0.9, shape)
    if dom == "gt1":
        return rng.uniform(1.2, 3.0, shape)
    if dom == "nonzero":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2.0, shape)
    if dom == "distinct":
        n = int(np.prod(shape))
        v = (rng.permutation(n) + rng.uniform(0.0, 0.6, n)) * (2.0 / max(n, 1)) * 1.5
        return (v - v.mean()).reshape(shape) if shape else float(v[0])
    if dom == "int":
        return rng.integers(-3, 4, shape)
    *batch, m, n = shape
    batch = tuple(batch)
    if dom in ("spd", "sym", "square"):
        assert m == n, shape
    if dom == "spd":
        b = rng.standard_normal(batch + (n, n))
        return b @ np.swapaxes(b, -1, -2) / n + np.eye(n)
    if dom == "sym":
        q = np.linalg.qr(rng.standard_normal(batch + (n, n)))[0]
        w = np.arange(n) * 0.7 + rng.uniform(-0.1, 0.1, batch + (n,)) - 0.3 * n
        return (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)
    if dom == "square":
        return rng.standard_normal(batch + (n, n)) * 0.5 + 2.0 * np.eye(n)
    if dom == "fullrank":
        k = min(m, n)
        u = np.linalg.qr(rng.standard_normal(batch + (m, k)))[0]
        v = np.linalg.qr(rng.standard_normal(batch + (n, k)))[0]
        s = 1.0 + np.arange(k)[::-1] * (2.0 / max(k, 1)) + rng.uniform(0, 0.1, batch + (k,))
        return (u * s[..., None, :]) @ np.swapaxes(v, -1, -2)
    raise ValueError(dom)


def make(spec, rng):
    """A value for one spec (constants pass through)."""
    if isinstance(spec, A):
        x = _draw(spec, rng)
        if spec.py:
            return float(x)
        if spec.domain == "int":
            return np.asarray(x)
        return np.asarray(x, dtype=spec.dtype)
    if isinstance(spec, ListSpec):
        return spec.build([make(s, rng) for s in spec.items])
    if isinstance(spec, Const):
        return spec.fn(rng)
    return spec


def materialize(c, rng):
    """``(args, kwargs)`` for one case."""
    return [make(a, rng) for a in c.args], {k: make(v, rng) for k, v in c.kwargs.items()}


MUTATES = set()   # keys of functions that change their first argument in place (called on a copy)


def call(key, args, kwargs):
    """Call a registry key: a function, ``("method", name)`` or ``("attr", name)``."""
    if key in MUTATES:
        args = [np.array(args[0], copy=True)] + list(args[1:])
    if isinstance(key, tuple) and len(key) == 2 and key[0] in ("method", "attr"):
        obj = getattr(args[0], key[1])
        return obj(*args[1:], **kwargs) if key[0] == "method" else obj
    return key(*args, **kwargs)
