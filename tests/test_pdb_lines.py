"""pdb shows the generated code's own lines (the reviewer's p28_pdb3.py): with the persistent cache off,
a generated function is compiled under an in-memory name in angle brackets, which pdb keeps as it is;
`<s2s-generated>/f.py` was made a path under the working directory, and pdb showed the lines of the
user's file (found through the module's loader) at the generated line numbers."""
import linecache
import os
import pdb
import subprocess
import sys
import textwrap

import s2s

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def loss(w, x):
    z = w * x
    return z ** 2


def test_pdb_reads_the_generated_lines(monkeypatch):
    monkeypatch.setenv("S2S_CACHE", "0")
    s2s.grad(loss)(1.5, 2.0)
    fname = next(k for k in reversed(list(linecache.cache)) if isinstance(k, str) and "s2s-generated" in k
                 and "dloss_dw" in k)
    assert pdb.Pdb().canonic(fname) == fname   # (pdb made `<s2s-generated>/f.py` a path under the cwd)
    lines = linecache.getlines(pdb.Pdb().canonic(fname))
    assert any(line.startswith("    def dloss_dw(") or line.startswith("def dloss_dw(") for line in lines), lines


def test_pdb_session_shows_generated_lines(tmp_path):
    prog = tmp_path / "prog.py"
    prog.write_text(textwrap.dedent('''
        import numpy as np
        import s2s

        def loss2(w, X):
            z = np.tanh(X @ w)
            return np.mean(z ** 2)

        g = s2s.grad(loss2)
        X = np.ones((3, 2)); w = np.array([0.1, 0.2])
        g(w, X)
        import pdb
        pdb.runcall(g, w, X)
    '''))
    env = dict(os.environ, S2S_CACHE="0", PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, str(prog)], input="s\n" * 12 + "c\n",
                         capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=120).stdout.splitlines()
    # the line pdb shows after each stop in the generated function is that function's line
    shown = [out[i + 1] for i, line in enumerate(out[:-1]) if "s2s-generated" in line and "dloss2_dw" in line]
    assert shown, "\n".join(out[-40:])
    assert shown[0].startswith("-> def dloss2_dw("), shown
    assert any("-> z = np.tanh(X @ w)" in s for s in shown), shown
