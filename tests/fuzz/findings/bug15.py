"""s2s fuzz finding: WRONG (WRONG type)

fuzz bug #15: gradient of an array argument is a float when the body rebinds it to a float
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug15].

What went wrong:
    wrt[0]: type: gradient is float, argument is ndarray(3,)

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(x, y):
    if np.sum(x) > 1.0:
        return y
    y = 1.0
    return 1.0


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([1.4916, -1.2661, -0.5952]), np.array([0.3903, 0.977, 0.2398]))
WRT = 1
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
