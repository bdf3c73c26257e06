"""s2s fuzz finding: WRONG (WRONG fwd value)

fuzz bug #22: forward mode: writing into an argument after using it changes the earlier value's tangent
Mode: forward. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug22-fwd].

What went wrong:
    jvp: value: s2s [ 0.    -0.842  0.386] vs numeric [ 0.69  -0.842  0.386] (max error 0.69)

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(x):
    t = x + 1.0
    x[0] = 1.0
    return t


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([-0.7478, -1.3302, -1.5661]),)
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
