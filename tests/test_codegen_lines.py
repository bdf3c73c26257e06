"""Generated statements name the user's line (``# file.py:17``), so runtime errors do too."""
import importlib.util
import os
import subprocess
import sys
import textwrap
import traceback

import numpy as np
import pytest

import s2s

SOURCE = textwrap.dedent('''\
    import numpy as np


    def typo(x):
        y = x * 2.0
        z = np.sin(y) * yy
        return z


    def shapes(x, w):
        h = np.tanh(x)
        y = h @ w
        return np.sum(y)


    def loop(x):
        s = 0.0
        for i in range(3):
            s = s + np.sin(x * i)
        return s
''')


@pytest.fixture
def user_module(tmp_path):
    path = tmp_path / "mymodel.py"
    path.write_text(SOURCE)
    spec = importlib.util.spec_from_file_location("mymodel", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _line(text):
    return SOURCE.splitlines().index(text) + 1


def _traceback_of(fn, *args):
    with pytest.raises(Exception) as info:
        fn(*args)
    return "".join(traceback.format_exception(info.value))


@pytest.mark.parametrize("transform", [s2s.grad, s2s.jvp])
def test_typo_traceback_names_the_user_line(user_module, transform):
    text = _traceback_of(transform(user_module.typo), 1.0)
    assert "NameError" in text and "yy" in text
    assert f"mymodel.py:{_line('    z = np.sin(y) * yy')}" in text


@pytest.mark.parametrize("transform", [s2s.grad, s2s.jvp])
def test_shape_mismatch_names_the_user_line(user_module, transform):
    text = _traceback_of(transform(user_module.shapes), np.ones((2, 3)), np.ones((4, 2)))
    assert "ValueError" in text
    assert f"mymodel.py:{_line('    y = h @ w')}" in text


def test_every_statement_from_a_user_line_names_it(user_module):
    src = s2s.source(s2s.grad(user_module.loop))
    loop, body = _line("    for i in range(3):"), _line("        s = s + np.sin(x * i)")
    for text in src.splitlines():
        if text.strip().startswith("for "):
            assert text.endswith(f"# mymodel.py:{loop}"), text
        if "np.sin" in text or "np.cos" in text:
            assert text.endswith(f"# mymodel.py:{body}"), text
    assert s2s.grad(user_module.loop)(0.3) == pytest.approx(sum(i * np.cos(0.3 * i) for i in range(3)))


def test_uncaught_error_in_a_script_names_the_user_line(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SOURCE + "\n\nimport s2s\ns2s.grad(typo)(1.0)\n")
    # a cache of its own: the shared one may be pruned by other processes while this one runs
    # (pruning deletes the oldest sources on disk; see the closing note of session 2)
    env = dict(os.environ, S2S_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("S2S_CACHE", None)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert f"train.py:{_line('    z = np.sin(y) * yy')}" in run.stderr
    assert "NameError" in run.stderr.splitlines()[-1]


def test_no_color_is_honoured(monkeypatch, capsys):
    pytest.importorskip("pygments")
    from s2s import api

    def sq(x):
        return x * x
    g = s2s.grad(sq)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    api._print_source(g)
    assert "\x1b[" in capsys.readouterr().out    # a terminal gets colours
    monkeypatch.setenv("NO_COLOR", "1")
    api._print_source(g)
    assert "\x1b[" not in capsys.readouterr().out
