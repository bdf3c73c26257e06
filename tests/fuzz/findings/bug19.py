"""s2s fuzz finding: CRASH (CRASH run TypeError @ runtime.py:set_item: '…' object does not support item assignment)

fuzz bug #19: an array written in place, then rebound: TypeError 'Shape' object does not support item assignment
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug19].

What went wrong:
    TypeError: 'Shape' object does not support item assignment at runtime.py:282 in set_item

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(z):
    y = np.zeros(3)
    y[1] = 1.0
    y = y + z
    return y * 2.0


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([-1.2428, -1.2277, 1.4966]),)
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
