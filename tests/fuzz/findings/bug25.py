"""s2s fuzz finding: CRASH (CRASH run IndexError @ runtime.py:add_at: invalid index to scalar variable.)

fuzz bug #25: early return from an enumerate loop nested in a loop that rebinds the array: IndexError in add_at
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug25].

What went wrong:
    IndexError: invalid index to scalar variable. at runtime.py:182 in add_at

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(y):
    for i2 in range(len(y)):
        y = y + y[[0, 1, 0]]
        for i4, e3 in enumerate(y):
            if e3 - 1.0 >= 1.0:
                return e3
    return 1.0


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([-0.9769, 0.7334, 0.5922]),)
WRT = 0
KWNAMES = ()
OUT_SEED = 1.455


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
