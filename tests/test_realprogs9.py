"""Real programs, session 9 of issue 11: what an outside reviewer's programs wrote that s2s did not take
unchanged (partials and bound methods as the differentiated function, ``enumerate(start=)`` and
``zip(strict=)``, pass-through decorators, helpers that change their argument in place, ``*params`` with
``wrt=``, ``dataclasses.replace`` and ``_replace``, effects that carry no gradient, internal parameter
names that clash with the user's keywords, ...). Each program is checked against central finite
differences in reverse, forward and hvp (``check_all``), or its refusal's message is checked."""
import functools

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(901)
X = rng.normal(size=(5, 3))
Y = rng.normal(size=5)
W0 = rng.normal(size=3)


# ---------------------------------------------------------------- item 12: the user's keywords named like s2s's own
CHECKED = []


def checking(func):   # a functools.wraps decorator whose checks run: s2s runs them through wrappers.validated
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        CHECKED.append(func.__name__)
        return func(*args, **kwargs)
    return wrapper


@checking
def scaled(x, wrapper=1.0, args=0.0, kwargs=0.0):
    return np.tanh(x) * wrapper + args + kwargs


def loss_keyword_wrapper(x):
    return np.sum(scaled(x, wrapper=2.0, args=1.0, kwargs=3.0) ** 2)


def shifted(x, fn=0.0):
    return np.sin(x) + fn


def loss_keyword_fn(x, ops):
    op = ops[0]   # a function known only at run time: a pullback / pushforward call
    return np.sum(op(x, fn=0.5) ** 2)


def test_keyword_named_wrapper():
    del CHECKED[:]
    check_all(loss_keyword_wrapper, W0)
    assert CHECKED and set(CHECKED) == {"scaled"}


def test_keyword_named_fn_through_a_pullback():
    check_all(loss_keyword_fn, W0, [shifted], hvp="refuses")   # forward over a pullback is refused
