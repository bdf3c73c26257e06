"""s2s fuzz finding: CRASH (CRASH run UnboundLocalError @ generated code: cannot access local variable '…' where it is not associated with a value)

fuzz bug #26: a constant the while loop adds, rebound after the loop: UnboundLocalError
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug26].

What went wrong:
    UnboundLocalError: cannot access local variable 'dt' where it is not associated with a value at df_dx_ca21f88ecf.py:20 in df_dx

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(x):
    t = 1.0
    w = x
    while w < 3.0:
        w = w + t
    t = w
    return w


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (0.7483,)
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
