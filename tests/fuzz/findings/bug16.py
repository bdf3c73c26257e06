"""s2s fuzz finding: CRASH (CRASH run IndexError @ structures.py:<genexpr>: too many indices for array: array is #-dimensional, but # were indexed)

fuzz bug #16: returns of an array and of a float on different paths, wrt a list: IndexError
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug16].

What went wrong:
    IndexError: too many indices for array: array is 0-dimensional, but 1 were indexed at structures.py:38 in <genexpr>

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(xs):
    t = np.array([1.0, xs[1]])
    if t @ t <= 1.0:
        return t
    return 1.0


import numpy as np  # noqa: E402 (for the arguments)

ARGS = ([0.9869, 1.0528, -1.4278],)
WRT = 'xs'
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
