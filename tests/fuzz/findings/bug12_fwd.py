"""s2s fuzz finding: WRONG (WRONG fwd value)

fuzz bug #12: a helper writing into its array argument: the write is missed (forward mode)
Mode: forward. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug12-fwd].

What went wrong:
    jvp: value: s2s [ 0.005  0.032 -0.233] vs numeric [ 0.005 -0.619 -0.233] (max error 0.651)

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def h(a, b):
    a[1] = b
    return 0.0

def f(x, y):
    z = x * 1.0
    h(z, y)
    return z


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([1.0, 2.0, 3.0]), 0.7)
WRT = (0, 1)
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
