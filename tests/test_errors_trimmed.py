"""A DifferentiationError reaches the user without s2s's internal frames (S2S_DEBUG=1 keeps them)."""
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent('''\
    import numpy as np
    import s2s


    class Thing:
        __call__ = staticmethod(np.frexp)   # no Python source and no rule: refused
        pass


    thing = Thing()


    def helper(x):
        return thing(x) * 2.0


    def f(x):
        y = helper(x) + 1.0
        return y


    ENTRY
''')

ENTRIES = {
    "grad": "s2s.grad(f)(1.0)",
    "decorator": "@s2s.grad(wrt=0)\ndef g(x):\n    return helper(x)\n",
    "jvp": "s2s.jvp(f)(1.0)",
    "hessian": "s2s.hessian(f)",
    "value_and_grad": "s2s.value_and_grad(f)",
}


def _run(tmp_path, entry, debug=False):
    path = tmp_path / "model.py"
    path.write_text(SCRIPT.replace("ENTRY", ENTRIES[entry]))
    env = dict(os.environ)
    env.pop("S2S_DEBUG", None)
    if debug:
        env["S2S_DEBUG"] = "1"
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env)
    assert run.returncode == 1
    return run.stderr


@pytest.mark.parametrize("entry", [e if e == "grad" else pytest.param(e, marks=pytest.mark.slow) for e in sorted(ENTRIES)])
def test_error_output_is_short_and_names_the_user_line(tmp_path, entry):
    err = _run(tmp_path, entry)
    lines = err.splitlines()
    assert len(lines) <= 16, err   # was 73 lines with a dozen s2s frames
    frames = [ln for ln in lines if ln.startswith('  File "')]
    assert len(frames) == 2, err   # the user's call and the one s2s frame that re-raises
    assert frames[0].startswith(f'  File "{tmp_path / "model.py"}"')
    assert "During handling" not in err and "direct cause" not in err
    assert 'File "' + str(tmp_path / "model.py") + '", line 14, in helper' in err
    assert "return thing(x) * 2.0" in err and "s2s.DifferentiationError" in err


@pytest.mark.slow   # a subprocess: the exhaustive tier
def test_debug_variable_keeps_the_internal_frames(tmp_path):
    err = _run(tmp_path, "grad", debug=True)
    assert "reverse.py" in err and len([ln for ln in err.splitlines() if ln.startswith('  File "')]) > 5
