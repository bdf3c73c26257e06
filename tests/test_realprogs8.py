"""Real programs, session 8 of issue 11: library functions wrapped by a validating decorator (written as
scikit-learn's ``validate_params`` is: functools.wraps, inspect.signature().bind, checks, a context manager,
try/except around ``return func(*args, **kwargs)``), ``*args`` of known length, and the remaining idioms.
Every program is checked against central finite differences in reverse, forward and hvp (``check_all``)."""
import contextlib
import functools
import inspect
import re

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(811)
XA = rng.normal(size=(4, 3))
YA = rng.normal(size=(3, 3))


# ---------------------------------------------------------------- a validating decorator, library style
_CONFIG = {"skip_parameter_validation": False}


@contextlib.contextmanager
def config_context(*, skip_parameter_validation):
    old = _CONFIG["skip_parameter_validation"]
    _CONFIG["skip_parameter_validation"] = skip_parameter_validation
    try:
        yield
    finally:
        _CONFIG["skip_parameter_validation"] = old


class InvalidParameterError(ValueError):
    pass


CHECKS = []   # what the checks saw, in order: they run once per call, on the caller's values


def validate_parameter_constraints(constraints, params, caller_name):
    CHECKS.append(caller_name)
    for name, value in params.items():
        rule = constraints.get(name)
        if rule == "array" and value is not None and not hasattr(value, "shape"):
            raise InvalidParameterError(f"The {name!r} parameter of {caller_name} must be an array.")
        if rule == "positive" and value is not None and value <= 0:
            raise InvalidParameterError(f"The {name!r} parameter of {caller_name} must be positive.")


def validate_params(parameter_constraints, *, prefer_skip_nested_validation):
    def decorator(func):
        setattr(func, "_parameter_constraints", parameter_constraints)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            global_skip_validation = _CONFIG["skip_parameter_validation"]
            if global_skip_validation:
                return func(*args, **kwargs)
            func_sig = inspect.signature(func)
            params = func_sig.bind(*args, **kwargs)
            params.apply_defaults()
            to_ignore = [p.name for p in func_sig.parameters.values() if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
            to_ignore += ["self", "cls"]
            params = {k: v for k, v in params.arguments.items() if k not in to_ignore}
            validate_parameter_constraints(parameter_constraints, params, caller_name=func.__qualname__)
            try:
                with config_context(skip_parameter_validation=(prefer_skip_nested_validation
                                                               or global_skip_validation)):
                    return func(*args, **kwargs)
            except InvalidParameterError as e:
                msg = re.sub(r"parameter of \w+ must be", f"parameter of {func.__qualname__} must be", str(e))
                raise InvalidParameterError(msg) from e
        return wrapper
    return decorator


def _row_norms_sq(X):
    return np.einsum("ij,ij->i", X, X)


@validate_params({"X": "array", "Y": "array"}, prefer_skip_nested_validation=True)
def sq_distances(X, Y):
    d = _row_norms_sq(X)[:, None] - 2 * X @ Y.T + _row_norms_sq(Y)[None, :]
    return np.maximum(d, 0.0)


@validate_params({"X": "array", "Y": "array", "gamma": "positive"}, prefer_skip_nested_validation=True)
def rbf(X, Y=None, gamma=None):
    if Y is None:
        Y = X
    if gamma is None:
        gamma = 1.0 / X.shape[1]
    K = sq_distances(X, Y)   # a decorated function calling another one
    return np.exp(-gamma * K)


@validate_params({"y_true": "array", "y_pred": "array"}, prefer_skip_nested_validation=True)
def mse(y_true, y_pred, *, weights=None):
    err = (y_true - y_pred) ** 2
    if weights is not None:
        err = err * weights
    return np.mean(err)


def kernel_sum(X):
    return np.sum(rbf(X, YA, gamma=0.3))


def kernel_default(X):
    return np.sum(rbf(X) * 0.5)


def loss_with_keywords(p):
    return mse(y_true=np.sin(XA[:, 0]), y_pred=np.tanh(p), weights=np.arange(4.0))


def loss_in_loop(X):
    total = 0.0
    for g in (0.1, 0.5):
        total = total + np.sum(rbf(X, YA, gamma=g))
    return total


@pytest.mark.parametrize("f, x", [(kernel_sum, XA), (kernel_default, XA), (loss_in_loop, XA),
                                  (loss_with_keywords, XA[:, 1])])
def test_validating_decorator_is_followed(f, x):
    check_all(f, x.copy())


def test_validating_decorator_checks_run_once_per_call():
    CHECKS.clear()
    g = s2s.grad(kernel_sum)
    CHECKS.clear()
    g(XA)
    assert CHECKS == ["rbf", "sq_distances"]   # the caller's call, then the nested one: each once
    assert re.search(r"validated\(rbf, X, (copy_value\()?YA\)?, gamma=0\.3\)", g.s2s_source)


def test_validating_decorator_call_reads_as_written():
    assert "validated(rbf, X, YA, gamma=0.3)" in s2s.grad(kernel_sum).s2s_source


def test_validating_decorator_invalid_argument_raises_its_error():
    def bad(X):
        return np.sum(rbf(X, YA, gamma=-1.0))
    with pytest.raises(InvalidParameterError, match="gamma"):
        s2s.grad(bad)(XA)
    with pytest.raises(InvalidParameterError, match="gamma"):
        s2s.jvp(bad)(XA, np.ones_like(XA))


def test_validating_decorator_through_pullback():
    def via(X, k):
        return np.sum(k(X, YA, gamma=0.3))
    CHECKS.clear()
    np.testing.assert_allclose(s2s.grad(via)(XA, rbf), s2s.grad(kernel_sum)(XA))
    assert "rbf" in CHECKS
    v = np.cos(XA)
    np.testing.assert_allclose(s2s.jvp(via)(XA, rbf, v), s2s.jvp(kernel_sum)(XA, v))


@validate_params({"X": "array"}, prefer_skip_nested_validation=True)
def refused_inside(X):
    s = 0.0
    with open(__file__) as fh:   # (something s2s refuses, in the wrapped function's own file)
        s = s + len(fh.read())
    return np.sum(X) * s


def test_validating_decorator_errors_name_the_wrapped_function():
    def f(X):
        return refused_inside(X)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(XA)
    msg = str(e.value)
    lines, start = inspect.getsourcelines(refused_inside)
    line = start + next(i for i, t in enumerate(lines) if "with open" in t)
    assert f'test_realprogs8.py", line {line}, in refused_inside' in msg, msg   # its own line, not the wrapper's


# wrappers that do not forward their arguments unchanged: refused, never a wrong gradient
def scaling(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        args = tuple(a * 2.0 for a in args)
        return func(*args, **kwargs)
    return wrapper


def kw_changing(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        inspect.signature(func).bind(*args, **kwargs)
        kwargs["scale"] = 3.0
        return func(*args, **kwargs)
    return wrapper


def writing(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        params = inspect.signature(func).bind(*args, **kwargs)
        params.arguments["x"][0] = 0.0   # a "check" that writes into the caller's array
        return func(*args, **kwargs)
    return wrapper


def post_processing(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        inspect.signature(func).bind(*args, **kwargs)
        out = func(*args, **kwargs)
        return out * 2.0
    return wrapper


@scaling
def scaled(x, scale=1.0):
    return np.sum(x ** 2) * scale


@kw_changing
def kw_changed(x, scale=1.0):
    return np.sum(x ** 2) * scale


@writing
def written(x, scale=1.0):
    return np.sum(x ** 2) * scale


@post_processing
def post_processed(x, scale=1.0):
    return np.sum(x ** 2) * scale


@pytest.mark.parametrize("fn", [scaled, kw_changed, written, post_processed])
@pytest.mark.parametrize("make", [s2s.grad, s2s.jvp])
def test_wrappers_that_change_what_they_forward_are_refused(fn, make):
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()

    def f(x):
        return fn(x, scale=1.0) + 0.0

    args = (x,) if make is s2s.grad else (x, np.ones(3))
    with pytest.raises(s2s.DifferentiationError) as e:
        make(f)(*args)
    assert "test_realprogs8.py" in str(e.value)   # refused, located (the message is cr8's to refine)
    assert np.array_equal(x, before) and x.flags.writeable


# ---------------------------------------------------------------- *args / **kwargs of a length known at the call
def lotka_volterra(state, t, alpha, beta, delta, gamma):
    x, y = state
    dxdt = alpha * x - beta * x * y
    dydt = delta * x * y - gamma * y
    return np.array([dxdt, dydt])


def rk4_step(f, y, t, dt, *args):
    k1 = f(y, t, *args)
    k2 = f(y + dt / 2 * k1, t + dt / 2, *args)
    k3 = f(y + dt / 2 * k2, t + dt / 2, *args)
    k4 = f(y + dt * k3, t + dt, *args)
    return y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def simulate(params, y0, n_steps=100, dt=0.05):
    alpha, beta, delta, gamma = params
    ys = [y0]
    y = y0
    t = 0.0
    for _ in range(n_steps):
        y = rk4_step(lotka_volterra, y, t, dt, alpha, beta, delta, gamma)
        t += dt
        ys.append(y)
    return np.stack(ys)


OBSERVED = np.abs(rng.normal(size=(6, 2)))


def ode_loss(params):
    traj = simulate(params, np.array([1.0, 0.5]), n_steps=OBSERVED.shape[0] - 1)
    return np.mean((traj - OBSERVED) ** 2)


def rhs_kw(y, t, *, decay, drive=0.0):
    return -decay * y + drive * np.sin(t)


def euler(f, y, dt, n, **kwargs):
    t = 0.0
    for _ in range(n):
        y = y + dt * f(y, t, **kwargs)
        t = t + dt
    return y


def kw_loss(p):
    return np.sum(euler(rhs_kw, np.array([1.0, 2.0]), 0.1, 4, decay=p[0], drive=p[1]) ** 2)


def counted(f, x, *args):
    n = len(args)
    return f(x, *args) / n + args[0]


def mixed_loss(p):
    return np.sum(counted(lotka_volterra, p[:2], 0.0, p[2], p[3], 0.3, 0.7))


@pytest.mark.parametrize("f, x", [(ode_loss, np.array([1.1, 0.4, 0.1, 0.4])), (kw_loss, np.array([0.7, 0.3])),
                                  (mixed_loss, np.array([0.9, 0.4, 1.3, 0.2]))])
def test_args_of_known_length(f, x):
    check_all(f, x)


def test_args_spread_reads_as_written():
    src = s2s.grad(simulate).s2s_source
    assert "lotka_volterra_fwd(y_1, t, alpha, beta, delta, gamma)" in src, src
    assert "pullback" not in src


# ---------------------------------------------------------------- with blocks that only change error reporting
import warnings  # noqa: E402


def errstate_loss(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(x ** 2 + 1.0)
    return np.sum(y * x)


def errstate_return(x):
    with np.errstate(divide="ignore"):
        if np.all(x > 0):
            return np.sum(np.log(x))
        y = np.log(np.abs(x) + 1.0)
    return np.sum(y)


def catch_loss(x):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = np.sqrt(x ** 2 + 1.0)
    return np.sum(y) * (1.0 + 0.0 * len(caught))


def suppress_loss(x):
    y = x * 2.0
    with contextlib.suppress(KeyError), np.errstate(over="ignore"):
        for i in range(2):
            y = y * np.cos(x)
    return np.sum(y)


@pytest.mark.parametrize("f, x", [(errstate_loss, XA[0]), (errstate_return, np.abs(XA[1]) + 0.1),
                                  (errstate_return, XA[1]), (catch_loss, XA[2]), (suppress_loss, XA[3])])
def test_with_blocks_of_error_reporting(f, x):
    before = np.geterr()
    check_all(f, x.copy())
    assert np.geterr() == before   # every context entered is exited


def test_with_block_reads_as_written():
    src = s2s.grad(errstate_loss).s2s_source
    assert "entered(context)" in src and "exited(context)" in src, src


def test_other_with_blocks_still_refused():
    def f(x):
        with open(__file__):
            y = x * 2.0
        return np.sum(y)
    with pytest.raises(s2s.DifferentiationError, match="with"):
        s2s.grad(f)(XA[0])


# ---------------------------------------------------------------- a generator of the user's given to sum / max / tuple
def gen_rows(W, n):
    for i in range(n):
        yield np.tanh(W[i] * 2.0)


def sum_of_generator(W):
    total = sum(gen_rows(W, 3))
    return np.sum(total * W[0])


def stack_of_generator(W):
    rows = tuple(gen_rows(W, 2))
    return np.sum(np.stack(rows) ** 2) + np.sum(max(gen_rows(W, 3), key=lambda r: r[0]))


@pytest.mark.parametrize("f", [sum_of_generator, stack_of_generator])
def test_generator_given_to_a_consumer(f):
    check_all(f, rng.normal(size=(3, 4)))


def test_generator_under_a_condition_still_refused():
    def lazy(W):
        return np.sum(W) if W[0, 0] > 100 else np.sum(sum(gen_rows(W, 2)))
    with pytest.raises(s2s.DifferentiationError, match="generator"):
        s2s.grad(lazy)(np.ones((3, 4)))


# ---------------------------------------------------------------- zip(reversed(xs), ys)
def zip_reversed_list(x):
    xs = [x[0], np.sin(x[1]), x[2] * x[0]]
    ys = [1.0, 2.0, 3.0]
    s = 0.0
    for a, b in zip(reversed(xs), ys):
        s = s + a * b * a
    return s


def zip_reversed_array(x):
    s = 0.0
    for i, (a, b) in enumerate(zip(reversed(x), x[1:])):
        s = s + a * b * (i + 1.0)
    return s


@pytest.mark.parametrize("f", [zip_reversed_list, zip_reversed_array])
def test_zip_of_reversed(f):
    check_all(f, np.array([0.3, -1.2, 0.8, 1.5]))
