"""s2s fuzz finding: CRASH (CRASH run IndexError @ structures.py:<genexpr>: too many indices for array: array is #-dimensional, but # were indexed)

fuzz bug #16b: an array rebound to a float in a loop over it, then returned: IndexError
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug16b].

What went wrong:
    IndexError: too many indices for array: array is 0-dimensional, but 1 were indexed at structures.py:38 in <genexpr>

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(y):
    t7 = np.array([e8 for e8 in y])
    for e9 in t7:
        t7 = 1.0
    return t7


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([-0.68, 1.0085, 0.6661, 1.2678]),)
WRT = 'y'
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
