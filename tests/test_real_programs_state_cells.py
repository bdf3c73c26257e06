"""A stateful object called in a loop (each call reads what the previous call stored on ``self``): the
read back is refused, never a wrong number. In its own module: which classes a method call may reach is
the union over the module's classes (s2s/state_paths.py), and a stateful class makes every ``obj(x)`` of
the module's callable objects in a loop refuse."""
import numpy as np
import pytest

import s2s


class Cell:
    """A stateful cell: each call reads what the previous call stored."""
    def __init__(self):
        self.h = np.zeros(3)

    def __call__(self, x):
        self.h = np.tanh(self.h + x)
        return self.h


def cell_in_a_loop(x, cell):
    total = 0.0
    for t in range(3):
        total = total + np.sum(cell(x * t))
    return total


def method_in_a_loop(x, cell):
    total = 0.0
    for t in range(3):
        total = total + np.sum(cell.__call__(x * t))
    return total


@pytest.mark.parametrize("f", [cell_in_a_loop, method_in_a_loop])
def test_state_a_later_call_reads_back_is_refused(f):
    """The second call reads self.h, which the first stored carrying a gradient: refused (never a wrong
    number), at the call that reads it."""
    with pytest.raises(s2s.DifferentiationError, match=r"cell.*\(x \* t\).*\n.*this reads state of an object"):
        s2s.grad(f)(np.ones(3), Cell())
    with pytest.raises(s2s.DifferentiationError, match="this reads state of an object"):
        s2s.jvp(f)(np.ones(3), Cell(), np.ones(3))
