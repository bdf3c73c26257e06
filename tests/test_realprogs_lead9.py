"""Real programs, session 9 (lead): dict(...) built from keywords, as code that packs parameters does
(``params = dict(W=W, b=b)``, ``helper(dict(a=a, b=b))``). Checked against finite differences in reverse,
forward and hvp (``check_all``)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(909)
W, b, X = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 3))


def predict(params, x):
    return np.tanh(x @ params["W"] + params["b"])


def packed_with_dict_keywords(W, b, x):
    params = dict(W=W, b=b * 2.0)
    return np.sum(predict(params, x) ** 2)


def dict_keywords_passed_directly(W, b, x):
    return np.sum(predict(dict(W=W * 0.5, b=b), x))


def scalars_in_a_dict(a, c):
    d = dict(a=a, b=a * c, c=c)
    return d["a"] * d["b"] + np.sin(d["c"])


@pytest.mark.parametrize("f", [packed_with_dict_keywords, dict_keywords_passed_directly])
@pytest.mark.parametrize("wrt", [0, 1])
def test_dict_from_keywords(f, wrt):
    check_all(f, W, b, X, wrt=wrt)


@pytest.mark.parametrize("wrt", [0, 1])
def test_dict_of_scalars_from_keywords(wrt):
    check_all(scalars_in_a_dict, 1.3, 0.4, wrt=wrt)


def test_dict_from_keywords_reads_as_a_display():
    src = s2s.source(s2s.grad(packed_with_dict_keywords))
    assert "dict(" not in src, src
