"""``python -m s2s FILE.py:FUNC -o OUT.py`` writes a module that runs without s2s."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import s2s
from s2s.export import module_source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODEL = textwrap.dedent('''\
    import math

    import numpy as np


    def helper(u):
        return np.sin(u) * u


    def loss(x, w):
        y = x * w
        z = np.tanh(y) + helper(y)
        s = 0.0
        for i in range(3):
            s = s + z * i
        return np.sum(s ** 2)


    def scalar(x):
        s = 0.0
        for i in range(1, 5):
            s = s + math.sin(x * i) / i
        return s
''')

# The exported module runs in an isolated interpreter (-I) where s2s cannot be imported.
RUNNER = textwrap.dedent('''\
    import json, runpy, sys
    sys.modules["s2s"] = None
    sys.modules["templates"] = None
    import numpy as np
    ns = runpy.run_path(sys.argv[1])
    args = [np.asarray(a) if isinstance(a, list) else a for a in json.loads(sys.argv[3])]
    out = ns[sys.argv[2]](*args)
    print(json.dumps([np.asarray(o).tolist() for o in out] if isinstance(out, tuple) else np.asarray(out).tolist()))
''')


def _run_exported(tmp_path, module_text, name, args):
    path = tmp_path / "exported.py"
    path.write_text(module_text)
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    run = subprocess.run([sys.executable, "-I", str(runner), str(path), name,
                          json.dumps([np.asarray(a).tolist() for a in args])],
                         capture_output=True, text=True, cwd=str(tmp_path), check=False)
    assert run.returncode == 0, run.stderr + module_text
    out = json.loads(run.stdout)
    return tuple(np.asarray(o) for o in out) if len(args) > 1 and isinstance(out, list) and len(out) == 2 \
        and np.ndim(out[1]) == 0 and np.ndim(out[0]) == 1 else np.asarray(out)


@pytest.fixture
def model(tmp_path, monkeypatch):
    (tmp_path / "model_exp.py").write_text(MODEL)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    return importlib.import_module("model_exp")


def test_cli_output_runs_without_s2s(tmp_path, model):
    out = tmp_path / "dloss.py"
    run = subprocess.run([sys.executable, "-m", "s2s", f"{tmp_path / 'model_exp.py'}:loss", "-o", str(out)],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr
    text = out.read_text()
    assert "import s2s" not in text and "from s2s" not in text and "templates" not in text
    assert "model_exp" not in text.replace("model_exp.py", "")   # the user's helper is emitted, not imported
    # split mode: the helper's forward half runs its primal once, its backward half reads what it saved
    assert "def helper_fwd(u):" in text and "def helper_bwd(" in text and "def unbroadcast(" in text
    x = np.array([0.3, -0.2])
    got = _run_exported(tmp_path, text, "dloss_dx", [x, 2.0])
    np.testing.assert_allclose(got, s2s.grad(model.loss)(x, 2.0), rtol=1e-12)


def test_only_the_helpers_used_are_emitted(model):
    text = module_source(s2s.grad(model.scalar))
    assert "def unbroadcast" not in text and "def init_grad" not in text
    assert "import math" in text and "numpy" not in text


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
@pytest.mark.parametrize("wrt", [0, (0, 1)])
def test_forward_and_several_wrt(tmp_path, model, wrt):
    x = np.array([0.3, -0.2])
    tangents = [np.ones(2)] + ([1.0] if wrt != 0 else [])
    for gen, extra in [(s2s.grad(model.loss, wrt=wrt), []), (s2s.jvp(model.loss, wrt=wrt), tangents)]:
        got = _run_exported(tmp_path, module_source(gen), gen.__name__, [x, 2.0] + extra)
        want = gen(x, 2.0, *extra)
        if isinstance(want, tuple):
            assert isinstance(got, tuple) and len(got) == len(want)
            for g, w in zip(got, want):
                np.testing.assert_allclose(g, w, rtol=1e-12)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12)


def test_cli_prints_the_whole_module(tmp_path):
    run = subprocess.run([sys.executable, "-m", "s2s", "examples/sigmoid_helper.py:f"], capture_output=True,
                         text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr
    assert "def sigmoid_fwd(" in run.stdout and "def sigmoid_bwd(" in run.stdout and "def df_dx(" in run.stdout   # the helper it calls is shown
    x = 0.7
    got = _run_exported(tmp_path, run.stdout, "df_dx", [x, 0.2, 1.5])
    s = 1 / (1 + np.exp(-x * 1.5))
    np.testing.assert_allclose(got, 2 * (s - 0.2) * s * (1 - s) * 1.5, rtol=1e-12)


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
def test_a_user_module_is_imported_by_path(tmp_path, monkeypatch):
    (tmp_path / "consts_exp.py").write_text("SCALE = 3.0\n")
    (tmp_path / "user_exp.py").write_text(textwrap.dedent('''\
        import numpy as np
        import consts_exp


        def f(x):
            return np.sin(x) * consts_exp.SCALE
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    user = importlib.import_module("user_exp")
    text = module_source(s2s.grad(user.f))
    assert str(tmp_path / "consts_exp.py") in text.split('"""')[1]   # named in the header
    other = tmp_path / "elsewhere"
    other.mkdir()
    got = _run_exported(other, text, "df_dx", [0.4])
    np.testing.assert_allclose(got, 3.0 * np.cos(0.4))
