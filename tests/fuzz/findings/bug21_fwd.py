"""s2s fuzz finding: WRONG (WRONG fwd type)

fuzz bug #21: forward mode: np.maximum of floats gives a 0-d array tangent, not a float
Mode: forward. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug21-fwd].

What went wrong:
    jvp: type: gradient is ndarray(), argument is float

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(x):
    return np.maximum(1.0, x)


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (0.6013,)
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
