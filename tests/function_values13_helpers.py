"""Helpers of another module that take functions (tests/test_function_values13.py): their names resolve here."""
import numpy as np

SCALE = 0.5


def apply_twice(f, x):
    return f(f(x) * SCALE)


def weighted(f, x, w=2.0):
    y = np.tanh(x)
    return w * f(y) + np.sum(y)


def scaled_rows(x):   # a generator: inlined where it is looped over
    for i in range(2):
        yield SCALE * x + i


def scale_in_place(v):   # changes its argument: inlined where it is called
    v *= SCALE
    v += np.sin(v)
