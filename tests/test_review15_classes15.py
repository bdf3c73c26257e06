"""Review 15 (helper classes15): false refusals of everyday Python idioms on outside programs (issue 11):
NumPy scalar casts, dataclass idioms, __slots__ records, the statistics/math/heapq helpers on lists of
floats, scipy.linalg's decompositions and solves. Each program is checked against finite differences in
reverse, forward (jvp) and hvp (tests/test_real_programs.py::check_all)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

X3 = np.array([0.5, 1.5, -0.7])


# ---------------------------------------------------------------- a. NumPy scalar casts (np.float64(v), ...)
def cast_f64(x):
    return np.float64(x[0]) * x[1] + float(x[1]) ** 2


def cast_double_sin(x):
    return np.double(x[0] * 2.0) * np.sin(x[1]) + np.float64(x[2]) ** 3


def cast_f64_array(x):
    return np.sum(np.float64(x) ** 2 * np.cos(x))


def cast_f64_list(x):
    v = np.float64([x[0] * x[1], x[2]])
    return np.sum(v ** 2)


def cast_asarray_dtype(x):
    return np.asarray(x[0] * x[1], dtype=float) * x[2] + np.array(x[2], dtype=np.float64) ** 2


@pytest.mark.parametrize("f", [cast_f64, cast_double_sin, cast_f64_array, cast_f64_list, cast_asarray_dtype])
def test_numpy_scalar_casts(f):
    check_all(f, X3)


def cast_f32(x):
    return np.float64(np.float32(x[0] * x[2])) * x[1]


def test_float32_cast_rounds_but_differentiates():
    """np.float32(v): the derivative of the rounding cast is 1 (finite differences see float32 steps)."""
    g = s2s.grad(cast_f32)(X3)
    want = [X3[2] * X3[1], np.float32(X3[0] * X3[2]), X3[0] * X3[1]]
    np.testing.assert_allclose(g, want, rtol=1e-6)
    assert s2s.jvp(cast_f32)(X3, np.array([1.0, 0.0, 0.0])) == pytest.approx(X3[2] * X3[1], rel=1e-6)


def f64_alias_write(x):
    y = x * 2.0
    v = np.float64(y)   # the same array as y (NumPy returns a float64 array itself)
    v[0] = x[1] * 5.0
    return np.sum(y * np.array([1.0, 2.0, 3.0]))


def test_float64_of_array_aliases():
    """np.float64(y) of a float64 array is y itself: a write through it is a write into y."""
    try:
        check_all(f64_alias_write, X3)
    except s2s.DifferentiationError:
        pass   # refusing is sound too; a wrong gradient is not


# ---------------------------------------------------------------- b. dataclass idioms
import dataclasses   # noqa: E402
from dataclasses import dataclass, field, InitVar   # noqa: E402

D0 = np.array([0.1, 0.2])


@dataclass
class Gauss:
    mu: np.ndarray
    log_sigma: np.ndarray

    def __post_init__(self):
        self.sigma = np.exp(self.log_sigma)

    def logpdf(self, x):
        return np.sum(-0.5 * ((x - self.mu) / self.sigma) ** 2 - np.log(self.sigma))


@dataclass
class Cfg:
    a: float
    b: float = 2.0
    scale: list = field(default_factory=lambda: [1.0, 3.0])
    tags: list = field(default_factory=list)


@dataclass
class Params:
    w: np.ndarray
    b: float

    @classmethod
    def from_vector(cls, v):
        return cls(v[:2], v[2])

    @staticmethod
    def act(t):
        return np.tanh(t)

    @property
    def norm2(self):
        return np.sum(self.w ** 2) + self.b ** 2

    def predict(self, X):
        return self.act(X @ self.w + self.b)


@dataclass
class Scaled:
    w: np.ndarray
    k: InitVar[float] = 2.0

    def __post_init__(self, k):
        self.w2 = self.w * k


XB = np.array([[0.3, -1.2], [0.8, 0.5], [-0.4, 0.9]])


def dc_post_init(x):
    g = Gauss(x[:2], x[2:4] * 0.5)
    return g.logpdf(D0)


def dc_default_factory(x):
    c = Cfg(x[0])
    return c.a * c.b * c.scale[1] + x[1] + len(c.tags)


def dc_replace(x):
    c = Cfg(x[0], x[1])
    d = dataclasses.replace(c, b=x[2] ** 2)
    return c.a * c.b + d.a * d.b * 10 + d.scale[0]


def dc_replace_post_init(x):
    g = Gauss(x[:2], x[2:4])
    h = dataclasses.replace(g, log_sigma=x[2:4] * 0.3)
    return g.logpdf(D0) + h.logpdf(D0) * 2.0


def dc_astuple_asdict(x):
    c = Cfg(x[0], x[1])
    t = dataclasses.astuple(c)
    d = dataclasses.asdict(c)
    return t[0] * t[1] + d["a"] * 5 + d["b"] ** 2 + t[2][1]


def dc_classmethod(x):
    p = Params.from_vector(x)
    return np.sum(p.predict(XB) ** 2) + 0.1 * p.norm2 + Params.act(x[3])


def dc_initvar(x):
    s = Scaled(x[:2], k=x[3])
    return np.sum(s.w2 ** 2)


@pytest.mark.parametrize("f", [dc_post_init, dc_default_factory, dc_replace, dc_replace_post_init, dc_astuple_asdict,
                               dc_classmethod, dc_initvar])
def test_dataclass_built_in_the_function(f):
    check_all(f, np.array([0.3, -0.8, 1.3, 0.4]))


def params_loss(p, X):
    return np.sum(p.predict(X) ** 2) + 0.1 * p.norm2


def gauss_loss(g):
    return -g.logpdf(D0) + np.sum(dataclasses.astuple(g)[0] ** 2)


def cfg_loss(c):
    d = dataclasses.asdict(c)
    e = dataclasses.replace(c, a=c.a * 3.0)
    return d["a"] * d["b"] + e.a * c.scale[1] ** 2


def classmethod_of_argument(v):
    p = Params.from_vector(v)
    return params_loss(p, XB)


@pytest.mark.parametrize("f, arg", [
    (params_loss, lambda: Params(np.array([0.4, -0.3]), 0.2)),
    (cfg_loss, lambda: Cfg(0.7, 1.5, [1.0, 0.5])),
    (classmethod_of_argument, lambda: np.array([0.4, -0.3, 0.2])),
])
def test_dataclass_as_the_argument(f, arg):
    a = arg()
    if f is params_loss:
        check_all(f, a, XB)
    else:
        check_all(f, a)
    if dataclasses.is_dataclass(a):
        assert type(s2s.grad(f)(*((a, XB) if f is params_loss else (a,)))) is type(a)


def gauss_nll(g):
    return -g.logpdf(D0) + np.sum(g.sigma)


def test_dataclass_argument_with_post_init_differentiates_through_it():
    """A dataclass argument whose __post_init__ derives attributes (sigma = exp(log_sigma)): the derivative of the
    derived attribute flows into the fields (it was silently dropped: d/dlog_sigma = 0)."""
    g = Gauss(np.array([0.3, -0.2]), np.array([0.1, 0.25]))
    check_all(gauss_nll, g)
    check_all(gauss_loss, g)
    assert type(s2s.grad(gauss_nll)(g)) is Gauss


def test_dataclass_argument_changed_after_post_init_is_refused_at_the_line():
    g = Gauss(np.array([0.3, -0.2]), np.array([0.1, 0.25]))
    g.sigma = np.array([1.0, 2.0])   # no longer exp(log_sigma)
    for make in (lambda: s2s.grad(gauss_nll)(g), lambda: s2s.jvp(gauss_nll)(g, g)):
        with pytest.raises(s2s.DifferentiationError) as e:
            make()
        msg = str(e.value)
        assert "line" in msg and "sigma" in msg and "__post_init__" in msg, msg


def gauss_write(g):
    g.mu = g.mu * 2.0
    return np.sum(g.sigma * g.mu)


def test_dataclass_argument_with_post_init_written_in_the_function_is_refused():
    """Written in the function, the argument is not rebuilt: reading its derived attribute is refused at the line
    (its gradient had nowhere to go)."""
    g = Gauss(np.array([0.3, -0.2]), np.array([0.1, 0.25]))
    with pytest.raises(s2s.DifferentiationError):
        s2s.grad(gauss_write)(g)


# ---------------------------------------------------------------- c. __slots__ records
class Slotted:
    __slots__ = ("W", "b")

    def __init__(self, W, b):
        self.W = W
        self.b = b


class SlottedChild(Slotted):
    __slots__ = ("scale",)

    def __init__(self, W, b, scale):
        super().__init__(W, b)
        self.scale = scale


_rs = np.random.default_rng(15)
XS = _rs.standard_normal((2, 3))


def slotted_loss(m, X):
    return np.sum(np.tanh(X @ m.W + m.b) ** 2)


def slotted_child_loss(m, X):
    return np.sum(np.tanh(X @ m.W + m.b) ** 2) * m.scale


def test_slotted_object_as_the_argument():
    m = Slotted(_rs.standard_normal((3, 2)), _rs.standard_normal(2))
    check_all(slotted_loss, m, XS)
    g = s2s.grad(slotted_loss)(m, XS)
    assert type(g) is Slotted and g.W.shape == (3, 2) and g.b.shape == (2,)


def test_slotted_subclass_as_the_argument():
    m = SlottedChild(_rs.standard_normal((3, 2)), _rs.standard_normal(2), 0.7)
    check_all(slotted_child_loss, m, XS)


# ---------------------------------------------------------------- d. statistics, math and heapq on lists of floats
import heapq   # noqa: E402
import math   # noqa: E402
import statistics   # noqa: E402

X4 = np.array([0.3, -0.8, 1.3, 0.45])


def st_mean(x):
    return statistics.mean(list(x)) * 3.0 + statistics.mean(x ** 2)


def st_fmean(x):
    return statistics.fmean(list(x * x)) + statistics.fmean(list(x), [1.0, 2.0, 0.5, 1.0])


def st_variance(x):
    return statistics.variance(list(x)) + statistics.pvariance([v * v for v in x]) + statistics.variance(list(x), x[0])


def st_stdev(x):
    return statistics.stdev(list(x)) * statistics.pstdev(list(x[1:]), x[0] * 0.3) + statistics.stdev(x)


def st_math(x):
    return math.fsum([v * v for v in x]) + math.prod(list(x)) + math.hypot(x[0], x[1]) + math.dist(list(x[:2]), list(x[2:]))


def heap_select(x):
    top = heapq.nlargest(2, list(x))
    low = heapq.nsmallest(2, (x[0] * 2, x[1], x[2] ** 2))
    return sum(top) * x[3] + low[1] * 3 + sum(heapq.nlargest(2, list(x), key=abs))


def minmax_key(x):
    return min(list(x), key=abs) * 2 + max(list(x), key=lambda v: v * v) + sum(heapq.nsmallest(3, x))


@pytest.mark.parametrize("f", [st_mean, st_fmean, st_variance, st_stdev, st_math, heap_select, minmax_key])
def test_statistics_math_heapq(f):
    check_all(f, X4)


def test_fmean_with_weights_that_carry_a_gradient_is_refused():
    with pytest.raises(s2s.DifferentiationError):
        s2s.grad(lambda x: statistics.fmean([1.0, 2.0], list(x[:2])))(X4)


# ---------------------------------------------------------------- e. scipy.linalg decompositions in user code
sla = pytest.importorskip("scipy.linalg")
A3 = np.array([[2.0, 0.3, 0.1], [0.2, 1.5, -0.4], [0.1, 0.6, 1.8]])
B32 = np.array([[2.0, 0.3], [0.2, 1.5], [0.1, 0.6]])
W3 = np.array([1.0, 2.0, 3.0])


def sla_eigh_vals(A):
    return np.sum(sla.eigh(A + A.T, eigvals_only=True) ** 2)


def sla_eigh_vecs(A):
    w, V = sla.eigh(A + A.T)
    return np.sum(V[:, 0] ** 2 * W3) + w[2]


def sla_eigh_upper(A):   # reads the upper triangle of a non-symmetric matrix, as SciPy does
    return np.sum(sla.eigh(A, lower=False, eigvals_only=True) * W3) + np.sum(sla.eigvalsh(A @ A.T) ** 0.5)


def sla_svd_sum(A):
    U, s, Vt = sla.svd(A)
    return np.sum(s) + np.sum(U ** 2 * A) + np.sum(sla.svdvals(A) ** 3)


def sla_svd_thin(B):
    return np.sum(sla.svd(B, full_matrices=False)[0] ** 3) + np.sum(sla.svd(B, compute_uv=False) ** 2)


def sla_solves(A):
    S = A @ A.T + np.eye(3)
    return np.sum(sla.solve(A, W3)) + np.sum(sla.solve(S, W3, assume_a="pos")) + \
        np.sum(sla.cho_solve(sla.cho_factor(S), W3) ** 2)


@pytest.mark.parametrize("f, a", [(sla_eigh_vals, A3), (sla_eigh_vecs, A3), (sla_eigh_upper, A3), (sla_svd_sum, A3),
                                  (sla_svd_thin, B32), (sla_solves, A3)])
def test_scipy_linalg_in_user_code(f, a):
    check_all(f, a)


def test_scipy_eigh_generalized_and_subsets_are_refused_at_the_line():
    with pytest.raises(s2s.DifferentiationError, match="generalized"):
        s2s.grad(lambda A: np.sum(sla.eigh(A + A.T, np.eye(3) * 2.0, eigvals_only=True)))(A3)
    with pytest.raises(s2s.DifferentiationError, match="subset_by_index"):
        s2s.grad(lambda A: np.sum(sla.eigh(A + A.T, subset_by_index=[0, 1], eigvals_only=True)))(A3)
    with pytest.raises(s2s.DifferentiationError):   # b carrying a gradient
        s2s.grad(lambda A: np.sum(sla.eigh(np.eye(3), A @ A.T + np.eye(3), eigvals_only=True)))(A3)


# ---------------------------------------------------------------- b (more). dataclasses as layers, in loops, from factories

@dataclass
class Layer:
    W: np.ndarray
    b: np.ndarray
    scale: float = 1.0
    def __post_init__(self):
        self.Wn = self.W / np.sqrt(np.sum(self.W ** 2))
    def __call__(self, x):
        return np.tanh(x @ self.Wn + self.b) * self.scale

@dataclass
class Hist:
    vals: list = field(default_factory=list)
    def add(self, v):
        self.vals.append(v)

def make_layer(W, b):
    return Layer(W, b, scale=2.0)

XL = np.array([[0.3, -0.2], [0.5, 0.1]])

def in_loop(v):
    tot = 0.0
    for k in range(2):
        L = Layer(v[:4].reshape(2, 2) * (k + 1), v[4:])
        tot = tot + np.sum(L(XL))
    return tot

def via_factory(v):
    L = make_layer(v[:4].reshape(2, 2), v[4:])
    return np.sum(L(XL) ** 2)

def history(v):
    h = Hist()
    for i in range(3):
        h.add(v[i] ** 2)
    return sum(h.vals)

def nested(v):
    L1 = Layer(v[:4].reshape(2, 2), v[4:])
    L2 = dataclasses.replace(L1, scale=3.0)
    return np.sum(L2(L1(XL)))

def layer_arg(L):
    return np.sum(L(XL) ** 2)


V6 = np.array([0.3, -0.8, 1.3, 0.4, 0.1, -0.2])


@pytest.mark.parametrize("f", [in_loop, via_factory, history, nested])
def test_dataclass_layers_built_in_the_function(f):
    check_all(f, V6)


def test_dataclass_layer_with_post_init_as_the_argument():
    check_all(layer_arg, Layer(V6[:4].reshape(2, 2), V6[4:]))
