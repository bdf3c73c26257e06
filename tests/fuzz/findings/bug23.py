"""s2s fuzz finding: WRONG (WRONG value)

fuzz bug #23: an alias of an argument, then an augmented assignment to the argument (`t = y; y -= 1.0`)
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug23].

What went wrong:
    wrt[0]: value: s2s -2.0592 vs numeric -5.0592 (max error 3)

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(x, y):
    t = y
    y -= 1.0
    return t * x


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (0.3644, np.array([0.7347, -1.2783, -1.5156]))
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
