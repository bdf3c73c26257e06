"""s2s fuzz finding: CRASH (CRASH fwd run TypeError @ outside s2s: __s2s_factory__.<locals>.value_and_jvp_h_da() got multiple values for argument ')

fuzz bug #18: forward mode: a call of a helper with *rest crashes (got multiple values for argument 'da')
Mode: forward. Regression test: tests/test_fuzz_regressions.py::test_fuzz_regression[bug18-fwd].

What went wrong:
    TypeError: __s2s_factory__.<locals>.value_and_jvp_h_da() got multiple values for argument 'da' at jvp_f_dx_7a64144b55.py:4 in jvp_f_dx

Run: python THIS_FILE.py  (raises when the bug is present)
"""
import math
import numpy as np

def h(a, *rest):
    return a * 2.0

def f(x):
    return h(x, 1.0, 1.0)


import numpy as np  # noqa: E402 (for the arguments)

ARGS = (0.3,)
WRT = 0
KWNAMES = ()
OUT_SEED = None


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.fuzz.runner import replay
    replay(__file__)
