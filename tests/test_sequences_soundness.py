"""Lists repeated with ``*`` and loops over set literals. ``[w] * 3`` and ``lst *= 2`` went through the
multiplication rule, whose gradient of a list is the gradient list repeated again: the copies' gradients
were dropped (silently wrong: lst *= 2 gave 1 where 4 was right). Now, as ``a + [b]`` is a concatenation,
``*`` with a list or tuple written as one is ``repeat`` (s2s/containers.py), whose gradient sums the copies.
``for i in {0, 2}`` indexed the set (a crash in generated code)."""
import numpy as np
import pytest

import s2s


def aug_list(x):
    lst = [x[0]]
    lst += [x[1]]
    lst *= 2
    return sum(e * (i + 1) for i, e in enumerate(lst))


def repeated(x):
    ws = [x[0]] * 3
    out = 0.0
    for i, w in enumerate(ws):
        out += w * (i + 1)
    return out + sum([x[1], x[2]] * 2)


def repeated_tuple(x):
    t = (x[0], x[1] * 2) * 2
    return t[0] * t[3] + t[2]


def set_loop(x):
    total = 0.0
    for i in {0, 2}:
        total += x[i] ** 2
    return total


X = np.array([0.7, 1.3, -0.4])
V = np.array([0.5, -0.3, 0.2])


@pytest.mark.parametrize("f", [aug_list, repeated, repeated_tuple, set_loop])
def test_against_differences(f):
    expected = s2s.numeric_grad(f)(X)
    assert np.allclose(s2s.grad(f)(X), expected, rtol=1e-6)
    assert np.allclose(s2s.jvp(f)(X, V), expected @ V, rtol=1e-6)
    h = 1e-5
    fd_hvp = (s2s.grad(f)(X + h * V) - s2s.grad(f)(X - h * V)) / (2 * h)
    assert np.allclose(s2s.hvp(f)(X, V), fd_hvp, rtol=1e-5, atol=1e-8)


def slice_assign_list(x):
    lst = [x[0], x[1], 1.0]
    lst[1:] = [x[1] * 3, x[0]]
    return lst[0] * lst[1] + lst[2]


def test_slice_assignment_into_a_list_is_differentiated():
    """lst[1:] = [...] may change the list's length; the backward sweep zeroed dlst[1:] with a number (a
    crash in generated code), then it was refused. Since session 15 (s2s/list_edits.py) it is written as the
    new list it makes (lst = lst[:1] + [...]) and differentiated in every mode."""
    from tests.test_real_programs import check_all
    check_all(slice_assign_list, X)
