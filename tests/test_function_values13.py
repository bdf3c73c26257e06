"""Functions as values (issue 11): decorators that change what the function they wrap computes, and lambdas
and nested defs used as values inside the differentiated function. Every gradient is checked against finite
differences in reverse, forward and (where s2s supports it) hvp mode."""
import functools
import inspect

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all, fd_grad

X = np.array([0.3, -0.2, 0.5])
W = np.array([0.5, 0.1, -0.4])
M = np.array([[0.5, 0.1, 0.3], [0.2, -0.4, 0.1], [-0.3, 0.2, 0.6]])


# ---------------------------------------------------------------- decorators that transform (functools.wraps)
def halve_first(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(args[0] * 0.5, *args[1:], **kwargs)
    return wrapper


def doubled(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs) * 2.0
    return wrapper


def scaled_by(c):   # a decorator factory: the scale is a closure variable of the wrapper
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(x, *args, **kwargs):
            y = fn(np.tanh(x), *args, **kwargs)
            return c * y + np.sum(x)
        return wrapper
    return deco


@halve_first
def model(x, w):
    return np.sum(np.tanh(x * w))


@doubled
def model2(x, w):
    return np.sum(np.sin(x) * w)


@halve_first
@doubled
def stacked(x, w):
    return np.sum(x * x * w)


@scaled_by(3.0)
def squashed(x, w):
    return np.sum(x ** 2 * w)


def loss(x, w):
    return model(x, w) ** 2


def loss2(x, w):
    return model2(x, w) ** 2 + model(w, x)


def loss_keywords(x, w):
    return model(x, w=w) * model2(w=w, x=x)


def loss_stacked(x, w):
    return stacked(x, w) + squashed(x, w) ** 2


def run(f, x, w):   # the decorated function passed as a value: a pullback at run time
    return f(x, w) ** 2


@pytest.mark.parametrize("fn", [loss, loss2, loss_keywords, loss_stacked, model, model2, stacked, squashed])
@pytest.mark.parametrize("wrt", [0, 1])
def test_transforming_decorators_against_finite_differences(fn, wrt):
    check_all(fn, X, W, wrt=wrt)


def test_the_primal_is_what_the_decorator_computes():
    # (the undecorated source would give other numbers: a test that reads __wrapped__ fails here)
    assert s2s.grad(model, wrt=0)(X, W) == pytest.approx(fd_grad(model, (X, W), 0), rel=1e-6)
    assert not np.allclose(s2s.grad(model, wrt=0)(X, W), s2s.grad(model.__wrapped__, wrt=0)(X, W))
    value, _ = s2s.value_and_grad(loss2, wrt=(0, 1))(X, W)
    assert value == pytest.approx(loss2(X, W))


def test_a_decorated_function_called_by_keyword_at_the_top():
    g = s2s.grad(model, wrt=(0, 1))
    gx, gw = g(X, w=W)
    assert np.allclose(gx, fd_grad(lambda x, w: model(x, w=w), (X, W), 0), atol=1e-6)
    assert np.allclose(gw, fd_grad(lambda x, w: model(x, w=w), (X, W), 1), atol=1e-6)
    assert s2s.jvp(model, wrt=1)(X, w=W, dw=X) == pytest.approx(np.dot(gw, X))


def test_a_decorated_function_passed_as_a_value():
    for wrt in (1, 2):
        want = fd_grad(run, (model, X, W), wrt)
        assert np.allclose(s2s.grad(run, wrt=wrt)(model, X, W), want, atol=1e-6)
        assert s2s.jvp(run, wrt=wrt)(model, X, W, X) == pytest.approx(np.dot(want, X))
    with pytest.raises(s2s.DifferentiationError, match="only known at run time"):
        s2s.hvp(run, wrt=1)(model, X, W, X)


def test_the_decorator_reads_as_a_direct_call_in_the_generated_code():
    src = s2s.grad(loss, wrt=(0, 1)).source(X, W)
    assert "model_fwd(x * 0.5, w)" in src and "pullback" not in src and "wrapper" not in src
    src = s2s.grad(loss_keywords, wrt=(0, 1)).source(X, W)
    assert "model_fwd(x * 0.5, w=w)" in src


def validate(fn):   # a validating decorator: checks, then forwards unchanged (kept working)
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for a in args:
            if isinstance(a, np.ndarray) and not np.all(np.isfinite(a)):
                raise ValueError("not finite")
        return fn(*args, **kwargs)
    return wrapper


@validate
def validated_model(x, w):
    return np.sum(np.cos(x) * w)


def calls_validated(x, w):
    return validated_model(x, w) ** 2


@pytest.mark.parametrize("fn", [validated_model, calls_validated])
def test_validating_decorators_still_work(fn):
    check_all(fn, X, W, wrt=0)


def probing(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        inspect.signature(fn).bind(*args, **kwargs)
        return fn(*args, **kwargs) + 1.0
    return wrapper


@probing
def probed(x, w):
    return np.sum(x * w)


def test_a_refusal_inside_the_wrapper_names_the_wrapper_line():
    def f(x, w):
        return probed(x, w) * 2.0
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(X, W)
    msg = str(e.value)
    line = inspect.getsourcelines(probing)[1] + 3
    assert f'test_function_values13.py", line {line}, in wrapper' in msg
    assert "inspect.signature(fn).bind(*args, **kwargs)" in msg


def test_a_refusal_at_the_top_names_the_decorated_function():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(probed)(X, W)
    msg = str(e.value)
    assert "test_function_values13.py" in msg and "through its decorator" not in msg
    assert ", in probed\n    @probing" in msg and ", in wrapper" in msg
