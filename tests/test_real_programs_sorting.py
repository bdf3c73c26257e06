"""Real programs, session 6 of issue 11: ``sorted(xs, key=...)``, ``max(xs, key=...)`` and
``min(xs, key=...)`` on values that carry a gradient (s2s/lowered_calls.py: the keys only choose the
order; the items carry the gradient). Checked against central finite differences in reverse mode,
forward mode and hvp (``check_all``)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(613)
W = rng.normal(size=(4, 3))
x = rng.normal(size=3)


def norm(v):
    return np.sqrt(np.sum(v ** 2))


def sorted_by_a_lambda(W, x):   # the two largest rows by their sum, weighted by rank
    rows = [W[0] * x, W[1] + x, np.sin(W[2]), W[3] ** 2]
    ranked = sorted(rows, key=lambda r: np.sum(r), reverse=True)
    return np.sum(ranked[0] * 3.0 + ranked[1] * 2.0 + ranked[2])


def sorted_by_a_function(W, x):
    pts = [W[i] - x for i in range(4)]
    total = 0.0
    for k, p in enumerate(sorted(pts, key=norm)):
        total = total + (k + 1) * norm(p)
    return total


def sorted_pairs_by_their_second_item(W, x):
    pairs = [(W[i] @ x, float(i)) for i in range(4)]
    first = sorted(pairs, key=lambda t: -t[1])[0]
    return first[0] ** 2 + np.sum([a * b for a, b in pairs])


def best_and_worst(W, x):   # a model selection, as hyperparameter code writes it
    candidates = [W[i] * x for i in range(4)]
    best = max(candidates, key=lambda c: np.sum(c ** 2))
    worst = min(candidates, key=norm)
    return np.sum(best * np.tanh(worst))


@pytest.mark.parametrize("f", [sorted_by_a_lambda, sorted_by_a_function, sorted_pairs_by_their_second_item,
                               best_and_worst])
@pytest.mark.parametrize("wrt", [0, 1])
def test_sorting_by_a_key(f, wrt):
    check_all(f, W, x, wrt=wrt)


def test_keys_carry_no_gradient_in_the_generated_code():
    src = s2s.source(s2s.grad(sorted_by_a_lambda))
    assert "sort_order(" in src and "pullback" not in src, src
