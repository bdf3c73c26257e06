"""s2s fuzz finding: CRASH (CRASH run UnboundLocalError @ generated code: cannot access local variable '…' where it is not associated with a value)

fuzz bug #20: sum over a generator of an inactive argument later rebound: UnboundLocalError (dy_)
Mode: reverse. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug20].

What went wrong:
    UnboundLocalError: cannot access local variable 'dy_' where it is not associated with a value at df_dx_6f6932a762.py:16 in df_dx

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def f(x, y):
    w = sum(y for e in x)
    y = x * 2.0
    return w


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (np.array([-0.1775, -1.0476, -0.3633]), 0.1881)
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
