"""A constant written into part of an item (``xs[t][inputs[t]] = 1``, the one-hot encoding of Karpathy's
min-char-rnn; ``A[0][1] = 3.0``; ``grid[i][j] = 0``) where no gradient flows through the target. It was refused
("an assignment to this kind of target"); it is now kept in the forward sweep and, when the backward sweep reads
the array it changes, its old value is saved and put back, as for ``x[i] = v``. A value carrying a gradient
written that way is still refused (the adjoint of ``xs[t]`` would not follow)."""
import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all

VOCAB, HIDDEN = 5, 6
rng = np.random.default_rng(77)
Wxh = rng.normal(size=(HIDDEN, VOCAB)) * 0.3
Whh = rng.normal(size=(HIDDEN, HIDDEN)) * 0.3
Why = rng.normal(size=(VOCAB, HIDDEN)) * 0.3
bh, by = rng.normal(size=(HIDDEN, 1)) * 0.1, rng.normal(size=(VOCAB, 1)) * 0.1
INPUTS, TARGETS = [0, 1, 2, 3, 1, 4], [1, 2, 3, 1, 4, 0]
HPREV = rng.normal(size=(HIDDEN, 1)) * 0.1


def char_rnn_loss(Wxh, Whh, Why, bh, by, inputs, targets, hprev):   # min-char-rnn's forward pass, unchanged
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    for t in range(len(inputs)):
        xs[t] = np.zeros((VOCAB, 1))  # encode in 1-of-k representation
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)  # hidden state
        ys[t] = np.dot(Why, hs[t]) + by  # unnormalized log probabilities for next chars
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))  # probabilities for next chars
        loss += -np.log(ps[t][targets[t], 0])  # softmax (cross-entropy loss)
    return loss


@pytest.mark.parametrize("wrt", [0, 1, 2, 3, 4, 7])
def test_min_char_rnn(wrt):
    check_all(char_rnn_loss, Wxh, Whh, Why, bh, by, INPUTS, TARGETS, HPREV, wrt=wrt)


W = rng.normal(size=(2, 3))


def written_after_a_read(W):   # the backward sweep must see the value the forward read, not the later one
    xs = {}
    xs[0] = np.ones(3)
    h = np.tanh(W @ xs[0])
    xs[0][1] = 5.0
    h2 = np.tanh(W @ xs[0])
    return np.sum(h * h2)


def rows_of_a_list_in_a_loop(W):
    rows = [np.zeros(3) for _ in range(2)]
    out = 0.0
    for i in range(2):
        rows[i][i] = 1.0
        out = out + np.sum(np.sin(W @ rows[i]))
        rows[i][i] = 2.0
    return out + np.sum(W @ rows[0])


def row_of_a_matrix_twice(W):
    A = np.zeros((2, 3))
    A[0][1] = 3.0
    y = W @ A[0]
    A[0][1] = 7.0
    return np.sum(np.exp(y)) + np.sum(W @ A[0])


def mask_from_nested_lists(W):
    mask = [[0.0] * 3 for _ in range(2)]
    for i in range(2):
        mask[i][(i + 1) % 3] = 1.0
    return np.sum(np.tanh(W) * np.array(mask))


@pytest.mark.parametrize("f", [written_after_a_read, rows_of_a_list_in_a_loop, row_of_a_matrix_twice,
                               mask_from_nested_lists])
def test_a_constant_written_into_part_of_an_item(f):
    check_all(f, W)


def active_value_into_part_of_an_item(W):
    xs = {0: np.zeros(3)}
    xs[0][1] = W[0, 0] * 2.0
    return np.sum(W @ xs[0])


def test_a_value_with_a_gradient_is_still_refused():
    with pytest.raises(s2s.DifferentiationError, match="xs\\[0\\]\\[1\\] = W\\[0, 0\\] \\* 2.0"):
        s2s.grad(active_value_into_part_of_an_item)(W)
