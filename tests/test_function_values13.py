"""Functions as values (issue 11): decorators that change what the function they wrap computes, and lambdas
and nested defs used as values inside the differentiated function. Every gradient is checked against finite
differences in reverse, forward and (where s2s supports it) hvp mode."""
import functools
import inspect
import re

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
    for wrt in (1, 2):   # (a pullback / pushforward at run time, through the adapter for the call's shape)
        check_all(run, model, X, W, wrt=wrt)


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


def test_the_seed_of_a_decorated_function_has_one_name():
    g = s2s.grad(model2, wrt=0)
    assert np.allclose(g(X, W, **{g.s2s_seed: 3.0}), 3.0 * g(X, W))
    value, back = s2s.vjp(model2)(X, W)
    assert value == pytest.approx(model2(X, W)) and np.allclose(back(2.0), 2.0 * g(X, W))



def memoized(fn):   # a cache keyed by the arguments: a hit would carry no gradient
    cache = {}

    @functools.wraps(fn)
    def wrapper(*args):
        key = tuple(id(a) for a in args)
        if key not in cache:
            cache[key] = fn(*args)
        return cache[key]
    return wrapper


def counted(fn):   # an effect carrying no gradient: runs once per call of the generated code
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return fn(*args, **kwargs) * 1.5
    wrapper.calls = 0
    return wrapper


@memoized
def memo_square(x):
    return np.sum(x ** 2)


@counted
def counted_cube(x):
    return np.sum(x ** 3)


def test_a_caching_wrapper_is_refused_at_its_line():
    def f(x):
        return memo_square(x) + memo_square(x)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(X)
    line = inspect.getsourcelines(memoized)[1] + 7
    assert f'test_function_values13.py", line {line}, in wrapper' in str(e.value)


def test_a_counting_wrapper_counts_and_differentiates():
    def f(x):
        return counted_cube(x) * 2.0
    before = counted_cube.calls
    assert np.allclose(s2s.grad(f)(X), 9.0 * X ** 2)
    assert counted_cube.calls == before + 1
    check_all(f, X)


# ---------------------------------------------------------------- lambdas and nested defs as values
def sum_of_functions(x):
    fs = [lambda v: 2 * v, np.sin]
    return sum(g(x) for g in fs)


def loop_over_functions(x):
    fs = [lambda v: 2 * v, np.sin]
    t = 0.0
    for g in fs:
        t = t + g(x)
    return np.sum(t)


def mapped_closure(x, W):   # a nested def closing over W (differentiated), called and mapped
    def act(z):
        return np.tanh(z) * W
    h = act(x @ W)
    return np.sum(list(map(act, [x, h]))[1])


def lambda_called_by_name(x):
    sq = lambda v: v ** 2   # noqa: E731
    return np.sum(sq(x) + sq(2 * x))


def layers_of_functions(x, W):   # a tuple of a def, a closure lambda and a NumPy function, as layers
    def act(z):
        return np.tanh(z @ W)
    layers = (act, lambda z: z * W[0], np.cos)
    h = x
    for layer in layers:
        h = layer(h)
    return np.sum(h) + np.sum(layers[1](x))


def indexed_functions(x, W):
    fs = [lambda v: v * W[0], np.exp]
    g = fs[0]
    return np.sum(g(x) * fs[1](x))


def literal_list_of_closures(x, W):
    out = 0.0
    for f in [lambda v: np.sum(v @ W), lambda v: np.sum(W * v) ** 2]:
        out = out + f(x) * f(2.0 * x)
    return out


def closure_over_a_local(x, W):   # the closure reads a variable of the function assigned before and after
    s = np.sum(W)
    fs = [lambda v: v * s, np.tanh]
    s = s * 2.0
    return np.sum(fs[0](x) + fs[1](x * s))


CASES = [(sum_of_functions, (1.3,)), (loop_over_functions, (X,)), (mapped_closure, (X, M)),
         (lambda_called_by_name, (X,)), (layers_of_functions, (X, M)), (indexed_functions, (X, M)),
         (literal_list_of_closures, (X, M)), (closure_over_a_local, (X, M))]


@pytest.mark.parametrize("fn,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_functions_as_values_against_finite_differences(fn, args):
    for wrt in range(len(args)):   # (wrt=1: the closures' captured W gets its gradient)
        check_all(fn, *args, wrt=wrt)


def test_functions_of_a_list_read_as_direct_calls():
    src = s2s.grad(sum_of_functions).source(1.3)
    assert "pullback" not in src and "np.sin(x)" in src and "2 * x" in src
    src = s2s.grad(layers_of_functions, wrt=(0, 1)).source(X, M)
    assert "pullback" not in src and "np.tanh(" in src and "np.cos(" in src
    src = s2s.jvp(indexed_functions, wrt=1).source(X, M, M)
    assert "pushforward" not in src and "np.exp(x)" in src


def returns_a_lambda(x):
    return lambda v: v * x


def lambda_to_an_unknown_callee(x):
    fs = [lambda v: v * x, np.sin]
    return np.sum(np.apply_along_axis(fs[0], 0, x))


def list_changed_later(x):
    fs = [lambda v: v * x]
    fs.append(np.sin)
    return sum(g(x) for g in fs)


@pytest.mark.parametrize("fn", [returns_a_lambda, lambda_to_an_unknown_callee, list_changed_later])
def test_functions_used_as_other_values_are_refused_with_the_line(fn):
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(fn)(X)
    assert "test_function_values13.py" in str(e.value)


def enumerated_layers(x, W):
    layers = [lambda z: np.tanh(z @ W), np.sin, lambda z: z * W[1]]
    h = x
    for i, layer in enumerate(layers):
        h = layer(h) * (i + 1.0)
    return np.sum(h) + sum(np.sum(f(x)) * i for i, f in enumerate(layers))


def test_enumerate_over_functions_against_finite_differences():
    for wrt in (0, 1):
        check_all(enumerated_layers, X, M, wrt=wrt)
    assert "pullback" not in s2s.grad(enumerated_layers).source(X, M)


def last_function_after_the_loop(x, W):
    fs = [np.sin, lambda v: v @ W]
    t = 0.0
    for i, g in enumerate(fs):
        t = t + np.sum(g(x))
    return t + np.sum(g(2.0 * x)) * i   # g is the last function, i the last index, as in Python


def aliased_def(x, W):
    def act(z):
        return np.tanh(z * W[0])
    g = act
    return np.sum(g(x) + g(g(x)))


@pytest.mark.parametrize("fn", [last_function_after_the_loop, aliased_def])
def test_loop_variables_and_aliases_against_finite_differences(fn):
    for wrt in (0, 1):
        check_all(fn, X, M, wrt=wrt)


def indexed_at_run_time(x, k):
    fs = [lambda v: v * 2.0, np.sin]
    return np.sum(fs[k](x))


def test_a_list_of_functions_indexed_at_run_time_is_refused_with_the_line():
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(indexed_at_run_time)(X, 1)
    assert "test_function_values13.py" in str(e.value) and "fs = [lambda v: v * 2.0, np.sin]" in str(e.value)



from tests import function_values13_helpers as helpers  # noqa: E402

SCALE = 100.0   # (not the helpers' SCALE: their names resolve in their own module)


def passed_to_another_module(x, W):
    def act(z):
        return np.sin(z @ W)
    return np.sum(helpers.apply_twice(lambda v: v * W[0], x)) + np.sum(helpers.weighted(act, x)) \
        + np.sum(helpers.apply_twice(act, x))


def test_functions_passed_to_a_helper_of_another_module_against_finite_differences():
    for wrt in (0, 1):
        check_all(passed_to_another_module, X, M, wrt=wrt)
    assert "pullback" not in s2s.grad(passed_to_another_module).source(X, M)


def test_a_global_of_the_helpers_module_is_read_when_the_code_runs():
    def f(x):
        return helpers.apply_twice(lambda v: v * 2.0, x)
    g = s2s.grad(f)
    assert g(1.0) == pytest.approx(4.0 * helpers.SCALE)
    old = helpers.SCALE
    try:
        helpers.SCALE = 3.0
        assert g(1.0) == pytest.approx(12.0)
    finally:
        helpers.SCALE = old


def test_a_lambda_passed_to_a_library_function_is_refused_with_the_line():
    def f(x):
        return np.sum(np.piecewise(x, [x > 0], [lambda v: v * 2.0, 0.0]))   # (apply_along_axis works now)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(X)
    assert "test_function_values13.py" in str(e.value)


# ------------------------------------- a helper of another module inlined: its number globals read at run time
def _rows_loss(x):
    from tests import function_values13_helpers as h
    s = 0.0
    for r in h.scaled_rows(x):
        s = s + np.sum(r * r)
    return s


def _in_place_loss(x):
    from tests.function_values13_helpers import scale_in_place
    v = x * 1.0
    scale_in_place(v)
    return np.sum(v ** 2)


@pytest.mark.parametrize("f", [_rows_loss, _in_place_loss])
def test_inlined_helper_reads_its_module_number_when_it_runs(f, monkeypatch):
    """A generator or an argument-changing helper of another module is inlined into the gradient; the number
    it reads from its module (SCALE) is read there when the gradient runs, not frozen when it is made:
    rebinding it afterwards (a notebook cell, a config change) changes the gradient as it changes f."""
    from tests import function_values13_helpers as h
    check_all(f, X)
    g, jv = s2s.grad(f), s2s.jvp(f)
    g(X), jv(X, W)
    monkeypatch.setattr(h, "SCALE", 1.7)
    np.testing.assert_allclose(g(X), fd_grad(f, (X,), 0), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(jv(X, W), fd_grad(f, (X,), 0) @ W, rtol=1e-6, atol=1e-6)
    check_all(f, X)
    assert re.search(r"\bfunction_values13_helpers\w*\.SCALE\b", g.source(X))
