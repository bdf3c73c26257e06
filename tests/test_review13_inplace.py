"""Writes into an argument that the analysis of effects did not see (review 13b: silent wrong gradients).

- A function known only at run time (``ACTIVATIONS[name](Z)``, a callable parameter) that writes into its array
  argument: the gradient missed the write. Now refused when the call runs, naming the line (pullback.check_writes;
  a call whose result is dropped goes through ``call_unchanged``); a callback that only reads (a logger) runs.
- A helper of the user's writing through ``out=`` (``np.tanh(X, out=X)``, scikit-learn's ``inplace_tanh``), a
  ufunc's positional output, ``np.fill_diagonal``: ``effects.mutates`` saw only index stores, ``+=`` and list
  methods, so the helper was not inlined and its write was missed. Now followed (inlined), or refused where the
  function itself is refused (``np.copyto(where=)``, ``np.putmask``)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

rng = np.random.default_rng(11)
X = rng.normal(size=(4, 3))
W = rng.normal(size=3) * 0.5


def scale_inplace(Z):
    Z *= 3.0


def relu_inplace(Z):
    Z[Z < 0] = 0.0


def scale_and_return(Z):
    Z *= 3.0
    return Z * 2


ACTIVATIONS = {"scale": scale_inplace, "relu": relu_inplace}


def through_table(w, X):
    Z = X * w
    ACTIVATIONS["scale"](Z)
    return np.sum(Z ** 2 + np.sin(Z))


def through_parameter(w, X, act):
    Z = X * w
    act(Z)
    return np.sum(Z ** 2 + np.sin(Z))


def result_used(w, X, act):
    Z = X * w
    Y = act(Z)
    return np.sum(Y ** 2 + np.sin(Z))


def test_a_function_known_at_run_time_writing_into_its_argument_is_refused():
    for make in (lambda: s2s.grad(through_table)(W, X),
                 lambda: s2s.grad(through_parameter)(W, X, relu_inplace),
                 lambda: s2s.jvp(through_parameter)(W, X, scale_inplace, np.ones(3)),
                 lambda: s2s.hvp(through_parameter)(W, X, scale_inplace, np.ones(3)),
                 lambda: s2s.grad(result_used)(W, X, scale_and_return),
                 lambda: s2s.jvp(result_used)(W, X, scale_and_return, np.ones(3))):
        with pytest.raises(s2s.DifferentiationError, match=r"(?s)test_review13_inplace.py.*changes its argument"):
            make()


seen = []


def logger(Z):
    seen.append(float(np.sum(Z)))


def test_a_callback_that_only_reads_runs():
    seen.clear()
    check_all(through_parameter, W, X, logger)
    assert seen


def inplace_tanh(Z):   # scikit-learn's neural_network._base
    np.tanh(Z, out=Z)


def inplace_exp_positional(Z):
    np.exp(Z, Z)


def zero_diagonal(A):
    np.fill_diagonal(A, 0.0)


def add_at(A):
    np.add.at(A, [0, 0], 1.5)



def with_tanh(w, X):
    Z = X * w
    inplace_tanh(Z)
    return np.sum(Z ** 2 + np.sin(Z))


def with_exp(w, X):
    Z = X * w
    inplace_exp_positional(Z)
    return np.sum(Z ** 2)


def with_diagonal(w, X):
    Z = np.outer(X[:3] @ w, w)
    zero_diagonal(Z)
    return np.sum(Z ** 2 + np.sin(Z))


def with_add_at(w, X):
    Z = X * w
    add_at(Z)
    return np.sum(Z ** 3)


@pytest.mark.parametrize("f", [with_tanh, with_exp, with_diagonal, with_add_at])
def test_a_helper_writing_through_numpy_is_followed(f):
    check_all(f, W, X)
