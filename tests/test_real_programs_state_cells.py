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


def _reads_back(x, layers):
    y = layers[0].forward(x)
    return np.sum(y) + np.sum(layers[0].out)


def test_a_class_the_caller_cannot_see_is_refused_when_it_runs():
    """A class made inside a function is not among the classes the caller's module names: s2s cannot check
    the reads after the call at transform time, so the pullback refuses when it meets such an object that
    caches on itself (the caller reads layers[0].out back: a wrong gradient otherwise)."""
    class Hidden:
        def forward(self, x):
            self.out = np.tanh(x)
            return np.sin(x)
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)line \d+\n    y = layers\[0\]\.forward\(x\)\n.*Hidden\.forward stores a value computed "
                       r"from its arguments on `self` \(\.out\), an object of class Hidden"):
        s2s.grad(_reads_back)(np.ones(3), [Hidden()])
