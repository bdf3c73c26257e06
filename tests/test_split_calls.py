"""Split mode: a call of a user function runs its primal exactly once (issue 9 item 2, DESIGN.md section 2).

The callee is generated as a pair: ``h_fwd(args) -> (value, residuals)`` runs
the primal once, ``h_bwd(residuals, dvalue) -> gradients`` is its backward
sweep alone. Random draws and other effects of a helper therefore happen
once, and the gradient sees the same draws as the value. Every case is
checked against central differences in reverse mode, forward mode and hvp,
with the random state re-created for each evaluation.
"""
import ast
import subprocess
import sys

import numpy as np
import pytest

import s2s
from s2s import compiler

EPS = 1e-6


def _shift(x, v, eps):
    return x + eps * v if np.ndim(x) else float(x + eps * v)


def numeric_grad(f, make, wrt):
    """Central differences of f at make()'s arguments (make is called afresh for every evaluation)."""
    x = np.asarray(make()[wrt], dtype=float)
    g = np.zeros(x.shape)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = 1.0
        e = e.reshape(x.shape)
        hi, lo = make(), make()
        hi[wrt], lo[wrt] = _shift(hi[wrt], e, EPS), _shift(lo[wrt], e, -EPS)
        g.flat[i] = (f(*hi) - f(*lo)) / (2 * EPS)
    return g if x.ndim else float(g)


def check_all_modes(f, make, wrt=0):
    """Reverse, forward and hvp of scalar f against finite differences."""
    want = numeric_grad(f, make, wrt)
    got = s2s.grad(f, wrt=wrt)(*make())
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg="reverse")
    x = make()[wrt]
    v = np.random.default_rng(7).standard_normal(np.shape(x))
    v = v if np.ndim(x) else float(v)
    np.testing.assert_allclose(s2s.jvp(f, wrt=wrt)(*make(), v), np.sum(want * v), rtol=1e-5, atol=1e-6,
                               err_msg="forward")
    g = s2s.grad(f, wrt=wrt)

    def grad_at(eps):
        a = make()
        a[wrt] = _shift(a[wrt], v, eps)
        return np.asarray(g(*a), dtype=float)
    np.testing.assert_allclose(s2s.hvp(f, wrt=wrt)(*make(), v), (grad_at(EPS) - grad_at(-EPS)) / (2 * EPS),
                               rtol=1e-4, atol=1e-5, err_msg="hvp")


# ---------------------------------------------------------------- a helper that draws random numbers

def sample(mean, log_std, rs):
    return rs.randn(*mean.shape) * np.exp(log_std) + mean


def stochastic(log_std, rs):
    return np.sum(sample(np.zeros(3), log_std, rs) ** 2)


def test_random_draws_in_a_helper_are_the_draws_of_the_value():
    check_all_modes(stochastic, lambda: [np.array([0.1, -0.2, 0.3]), np.random.RandomState(0)])


def test_random_draws_in_a_helper_called_in_a_loop():
    def objective(log_std, rs):
        total = 0.0
        for i in range(4):
            total = total + np.sum(sample(np.ones(3) * i, log_std, rs) ** 2)
        return total
    check_all_modes(objective, lambda: [np.array([0.1, -0.2, 0.3]), np.random.RandomState(3)])


def test_generator_draws_in_a_helper():
    def noisy(w, rng):
        return w * rng.normal(size=w.shape) + rng.standard_normal(w.shape) * w * w

    def objective(w, rng):
        return np.sum(noisy(w, rng) ** 2)
    check_all_modes(objective, lambda: [np.array([0.5, -1.0]), np.random.default_rng(11)])


# ---------------------------------------------------------------- effects run once

CALLS = []


def counted(a, b):
    CALLS.append(1)
    return a * np.sin(b)


def uses_counted(x, y):
    return counted(x, y) * counted(y, x)


@pytest.mark.parametrize("make", [
    lambda: s2s.grad(uses_counted),
    lambda: s2s.grad(uses_counted, wrt=(0, 1)),
    lambda: s2s.value_and_grad(uses_counted),
    lambda: s2s.jvp(uses_counted),
    lambda: s2s.hvp(uses_counted),
], ids=["grad", "grad-both", "value_and_grad", "jvp", "hvp"])
def test_a_helper_runs_once_per_call(make):
    g = make()
    args = (0.3, 1.2, 1.0) if "hvp" in g.__name__ or "jvp" in g.__name__ else (0.3, 1.2)
    del CALLS[:]
    g(*args)
    assert len(CALLS) == 2     # two calls in uses_counted, each run once


def test_a_helper_in_a_loop_runs_once_per_trip():
    def looped(x):
        s = 0.0
        for i in range(5):
            s = s + counted(x, i * 0.5)
        return s
    g = s2s.grad(looped)
    del CALLS[:]
    got = g(0.7)
    assert len(CALLS) == 5
    assert np.isclose(got, sum(np.sin(i * 0.5) for i in range(5)))


def test_generated_code_calls_the_pair():
    g = s2s.grad(uses_counted)
    src = s2s.source(g)
    assert "counted_fwd(" in src and "counted_bwd(" in src
    assert "counted(" not in src.replace("counted_fwd(", "").replace("counted_bwd(", "")


# ---------------------------------------------------------------- shapes of calls

def step(h, w):
    return np.tanh(h * w + 0.1)


def rnn_like(w, h0):
    h = h0
    for i in range(5):
        h = step(h, w)
    return np.sum(h * h)


@pytest.mark.parametrize("wrt", [0, 1])
def test_helper_in_a_loop(wrt):
    check_all_modes(rnn_like, lambda: [np.array([0.5, -0.4]), np.array([0.3, 0.2])], wrt)


def test_helper_in_a_loop_saves_its_residuals_not_its_inputs():
    src = s2s.source(s2s.grad(rnn_like))
    assert "step_res = step_fwd(h, w)" in src and "stack.append(step_res)" in src
    assert "step_res = stack.pop()" in src and "step_bwd(step_res, dh)" in src


def inner(a):
    return np.exp(a) * a


def middle(a, b):
    return inner(a * b) + inner(b)


def nested(x, y):
    return np.sum(middle(x, y) ** 2)


@pytest.mark.parametrize("wrt", [0, 1])
def test_nested_helpers(wrt):
    check_all_modes(nested, lambda: [np.array([0.1, 0.2]), 0.7], wrt)


def power(x, n):
    if n == 0:
        r = 1.0
    else:
        r = x * power(x, n - 1)
    return r


def test_recursion():
    check_all_modes(lambda x: power(x, 4) + 0.0, lambda: [1.3])
    assert np.isclose(s2s.grad(power)(1.3, 4), 4 * 1.3 ** 3)


class Model:
    def __init__(self, k):
        self.k = k

    def act(self, z):
        return np.tanh(z) * self.k

    def loss(self, w, X):
        return np.sum(self.act(X @ w) ** 2)


def test_method_helper():
    m = Model(1.5)
    X = np.arange(6.0).reshape(3, 2) / 5
    check_all_modes(m.loss, lambda: [np.array([0.2, -0.3]), X])


def with_defaults(a, b=2.0, *, c=3.0):
    return a * b + c * a * a


def keywords(x):
    return with_defaults(x, c=0.5) + with_defaults(b=x, a=1.5) + with_defaults(x)


def test_keyword_arguments_and_defaults():
    check_all_modes(keywords, lambda: [0.8])


def linear(a, b):
    return a * b


def some_inactive(x, y):
    return linear(x, y) + linear(y, 2.0)


def test_helper_with_inactive_arguments():
    check_all_modes(some_inactive, lambda: [0.8, 1.1])
    src = s2s.source(s2s.grad(some_inactive))
    assert "linear(y, 2.0)" in src    # no argument carries a gradient: the plain call


def pair(a):
    return a * 2.0, np.sin(a)


def tuple_result(x):
    p, q = pair(x)
    return np.sum(p * q)


def test_helper_returning_a_tuple():
    check_all_modes(tuple_result, lambda: [np.array([0.3, 0.4])])


def branchy(a, flag):
    if flag:
        t = a * a
        r = t * 3.0
    else:
        r = a
    return r


@pytest.mark.parametrize("flag", [True, False])
def test_helper_with_branches(flag):
    check_all_modes(lambda x, fl: branchy(x, fl) * 2.0, lambda: [0.5, flag])


def filled(a):
    out = np.zeros(3)
    out[0] = a * 2.0
    out[1] = a * a
    return out


def uses_filled(x):
    y = filled(x)
    return np.sum(y * y)


def test_helper_writing_into_its_result():
    check_all_modes(uses_filled, lambda: [0.7])
    value, grad = s2s.value_and_grad(lambda x: filled(x) * 1.0 + 0.0)(0.7)
    np.testing.assert_allclose(value, [1.4, 0.49, 0.0])


def loopy(a, n):
    s = a
    for i in range(n):
        s = np.sin(s) + a
    return s


def test_helper_with_a_loop():
    check_all_modes(lambda x: loopy(x, 3) * loopy(x * 2.0, 2), lambda: [0.4])


def test_value_and_grad_through_a_helper():
    v, g = s2s.value_and_grad(nested, wrt=(0, 1))(np.array([0.1, 0.2]), 0.7)
    assert np.isclose(v, nested(np.array([0.1, 0.2]), 0.7))
    np.testing.assert_allclose(g[0], numeric_grad(nested, lambda: [np.array([0.1, 0.2]), 0.7], 0), rtol=1e-5)


def test_grad_of_grad_through_a_helper():
    f = lambda x: inner(x) * x  # noqa: E731
    gg = s2s.grad(s2s.grad(f))
    g = s2s.grad(f)
    assert np.isclose(gg(0.4), (g(0.4 + EPS) - g(0.4 - EPS)) / (2 * EPS), rtol=1e-5)
    gg2 = compiler.reverse_function(g, ("x",))   # plain reverse mode over the generated code (halves included)
    assert np.isclose(gg2(0.4), (g(0.4 + EPS) - g(0.4 - EPS)) / (2 * EPS), rtol=1e-5)


# ---------------------------------------------------------------- the optimizer and impure calls

def test_random_draws_are_never_merged_or_dropped():
    def f(x, rs):
        a = rs.randn(3)
        b = rs.randn(3)
        rs.randn(3)
        c = np.random.randn(3)
        d = np.random.randn(3)
        unused = np.random.randn(3)  # noqa: F841  (still advances the global generator)
        return np.sum(x * a + x * b + x * c * np.random.randn(3) + d)
    for g in (s2s.grad(f), s2s.jvp(f)):
        np.random.seed(0)
        got = g(1.0, np.random.RandomState(0))
        rs = np.random.RandomState(0)
        a, b = rs.randn(3), rs.randn(3)
        np.random.seed(0)
        c, d, unused, e = (np.random.randn(3) for _ in range(4))
        assert np.isclose(got, np.sum(a + b + c * e))


def test_cli_export_includes_the_pair(tmp_path):
    mod = tmp_path / "userprog.py"
    mod.write_text("import numpy as np\n\n\ndef inner(a):\n    return np.exp(a) * a\n\n\n"
                   "def middle(a, b):\n    return inner(a * b) + inner(b)\n\n\n"
                   "def f(x, y):\n    return np.sum(middle(x, y) ** 2)\n")
    out = tmp_path / "dprog.py"
    subprocess.run([sys.executable, "-m", "s2s", f"{mod}:f", "-o", str(out)], check=True, cwd=tmp_path)
    text = out.read_text()
    names = {n.name for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)}
    assert {"middle_fwd", "middle_bwd", "inner_fwd", "inner_bwd", "df_dx"} <= names
    run = subprocess.run([sys.executable, "-c", "import dprog, numpy as np; print(float(np.sum(dprog.df_dx(np.array([0.1, 0.2]), 0.7))))"],
                         check=True, cwd=tmp_path, capture_output=True, text=True)
    want = np.sum(s2s.grad(nested)(np.array([0.1, 0.2]), 0.7))
    assert np.isclose(float(run.stdout), want)
