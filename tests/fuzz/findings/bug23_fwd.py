"""s2s fuzz finding: WRONG (WRONG fwd value)

fuzz bug #23: an alias of an argument, then an augmented assignment to the argument (`t = y; y -= 1.0`) (forward mode)
Mode: forward. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug23-fwd].

What went wrong:
    jvp: value: s2s [-0.014694  0.025566  0.030312] vs numeric [0.005306 0.045566 0.050312] (max error 0.02)

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
