"""s2s fuzz finding: WRONG (WRONG type)

fuzz bug #15b: gradient of an array argument is a float when a loop rebinds it to a float
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug15b].

What went wrong:
    wrt[0]: type: gradient is float, argument is ndarray(3,)

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(x, z):
    for e in x:
        z = 1.0
    return z


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([0.4345, -1.453, -0.7774]), np.array([1.3812, -1.152, -0.324]))
WRT = 1
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
