"""s2s fuzz finding: WRONG (WRONG value)

fuzz bug #24: a helper changes an array that carries no gradient but that the backward sweep reads
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug24].

What went wrong:
    wrt[0]: value: s2s [-0.7078 -2.1894 -1.5707] vs numeric [ 0.2922 -1.1894 -0.5707] (max error 1)

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def h(b):
    b -= 1.0
    return 0.0

def f(x, z):
    x = x * z
    h(z)
    return x


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([0.8104, 0.9285, 1.3143]), np.array([0.2922, -1.1894, -0.5707]))
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
