"""Bad input raises DifferentiationError at transform time, naming file, line and source."""
import numpy as np
import pytest

import s2s
from s2s import DifferentiationError

no_source_ufunc = np.frompyfunc(lambda v: v * 2.0, 1, 1)


def uses_generator(x):
    for i in range(3):
        yield x * i


async def uses_async(x):
    return x


counter = 0


def writes_global(x):   # the gradient would flow through the global: refused (a counter is followed)
    global counter
    counter = x
    return counter * 2


def uses_try(x):
    try:
        y = np.log(x)
        return y
    finally:   # a finally clause with a return in the try: not supported
        x = 0.0


def calls_unknown(x):
    y = no_source_ufunc(x)
    return y * 2.0


def calls_nonlocal(x):
    total = 0.0

    def inner():
        nonlocal total
        total = total + x
    inner()
    return total


def _raises(fn, *fragments, **kw):
    with pytest.raises(DifferentiationError) as info:
        s2s.grad(fn, **kw)
    msg = str(info.value)
    assert __file__ in msg, msg
    for f in fragments:
        assert f in msg, msg
    return msg


def test_yield():
    _raises(uses_generator, "yield x * i", "line ")


def test_async():
    _raises(uses_async, "async")


def test_global_write():
    _raises(writes_global, "counter = x", "global")


def test_try():
    _raises(uses_try, "try:", "try")


def test_call_without_rule_or_source():
    msg = _raises(calls_unknown, "y = no_source_ufunc(x)", "@s2s.adjoint(no_source_ufunc)")
    import inspect
    line = inspect.getsourcelines(calls_unknown)[1] + 1
    assert f"line {line}," in msg


def test_function_without_source():
    ns = {}
    exec("def f(x):\n    return x * 2\n", ns)
    with pytest.raises(DifferentiationError) as info:
        s2s.grad(ns["f"])
    assert "source" in str(info.value)


def test_builtin_without_source():
    with pytest.raises(DifferentiationError) as info:
        s2s.grad(no_source_ufunc)
    assert "adjoint" in str(info.value)


def test_bad_wrt():
    def f(x):
        return x
    with pytest.raises(ValueError):
        s2s.grad(f, wrt=3)
    with pytest.raises(ValueError):
        s2s.grad(f, wrt="nope")
