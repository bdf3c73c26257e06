"""The command line (``s2s FILE.py:FUNC`` / ``python -m s2s``): output, options, and one-line errors.

Mistakes on the command line print exactly one line on stderr and exit 2;
a function s2s cannot differentiate prints the DifferentiationError and
exits 1. Nothing prints a Python traceback.
"""
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

from s2s import __main__ as cli
from s2s import __version__

ROOT = pathlib.Path(__file__).resolve().parent.parent

MODULE = textwrap.dedent("""\
    import numpy as np

    def f(x, y):
        return x * y + np.sin(x)

    def bad(x):
        return np.linalg.cond(x)

    class Model:
        def loss(self, w):
            return w * w

    value = 3
    """)


@pytest.fixture
def module(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(MODULE)
    return path


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def one_line_error(capsys, *argv):
    status, out, err = run(capsys, *argv)
    assert status == 2, (status, out, err)
    assert out == ""
    assert err.count("\n") == 1 and "error: " in err and "Traceback" not in err, err
    return err


def test_prints_the_gradient(capsys, module):
    status, out, err = run(capsys, f"{module}:f")
    assert status == 0 and err == ""
    assert out.startswith('"""df_dx: the derivative of') and "\ndef df_dx(x, y" in out   # the whole module
    ns = {}
    exec(out, ns)   # it runs as printed


def test_wrt_names_and_forward_mode(capsys, module):
    status, out, _ = run(capsys, f"{module}:f", "--wrt", "0,y")
    assert status == 0 and "return dx, dy" in out
    status, out, _ = run(capsys, f"{module}:f", "--wrt", "1", "--mode", "forward")
    assert status == 0 and "\ndef jvp_f_dy(" in out


def test_method_by_dotted_name(capsys, module):
    status, out, _ = run(capsys, f"{module}:Model.loss", "--wrt", "w")
    assert status == 0 and "dw" in out


@pytest.mark.parametrize("wrt,says", [("5", "no index 5"), ("-3", "no index -3"), ("z", "'z' is not a parameter"),
                                      ("0,0", "named twice"), ("", "give parameter indices"),
                                      ("1.5", "neither a parameter index"), ("0,,1", "give parameter indices")])
def test_bad_wrt_is_one_line(capsys, module, wrt, says):
    err = one_line_error(capsys, f"{module}:f", "--wrt", wrt)
    assert says in err


def test_a_file_that_is_not_python(capsys, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("a,b\n1,2\n")
    assert "is not a Python file" in one_line_error(capsys, f"{data}:f")
    text = tmp_path / "notes.py"
    text.write_text("These are my notes: not code.\n")
    assert "is not a Python file (line 1" in one_line_error(capsys, f"{text}:f")
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"\x00\x01\x02")
    assert "is not a Python file" in one_line_error(capsys, f"{binary}:f")


def test_a_module_that_fails_to_run(capsys, tmp_path):
    boom = tmp_path / "boom.py"
    boom.write_text("x = 1\ny = x / 0\n")
    err = one_line_error(capsys, f"{boom}:f")
    assert "ZeroDivisionError" in err and "line 2" in err


@pytest.mark.parametrize("target,says", [("{dir}/nope.py:f", "no such file"), ("{module}", "expected FILE.py:FUNCTION"),
                                         ("{module}:g", "has no 'g'"), ("{module}:value", "is not a function"),
                                         ("{dir}:f", "is a directory")])
def test_bad_targets(capsys, module, target, says):
    err = one_line_error(capsys, target.format(module=module, dir=module.parent))
    assert says in err


def test_unwritable_output(capsys, module, tmp_path):
    # a path under a regular file cannot be created, even by root
    assert "cannot write" in one_line_error(capsys, f"{module}:f", "-o", module / "out.py")
    assert "cannot write" in one_line_error(capsys, f"{module}:f", "-o", tmp_path)


def test_output_file(capsys, module, tmp_path):
    out_path = tmp_path / "dmodel.py"
    status, out, err = run(capsys, f"{module}:f", "-o", out_path)
    assert status == 0 and out == "" and err == f"wrote {out_path}\n"
    assert "def df_dx(" in out_path.read_text()


def test_rules_with_a_target_is_an_error(capsys, module):
    assert "--rules" in one_line_error(capsys, "--rules", f"{module}:f")
    assert "--rules" in one_line_error(capsys, "--rules", "-o", module.parent / "rules.md")


def test_missing_target_and_bad_option(capsys):
    assert "FILE.py:FUNCTION target is required" in one_line_error(capsys)
    assert "invalid choice" in one_line_error(capsys, "x.py:f", "--mode", "sideways")
    assert "unrecognized arguments" in one_line_error(capsys, "x.py:f", "--frobnicate")


def test_differentiation_error_exits_1_with_the_users_line(capsys, module):
    status, out, err = run(capsys, f"{module}:bad")
    assert status == 1 and out == ""
    assert f'File "{module}", line 7, in bad' in err and "np.linalg.cond(x)" in err
    assert "Traceback" not in err


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip().endswith(f" {__version__}")


def test_every_option_has_help():
    parser = cli.build_parser()
    for action in parser._actions:
        assert action.help and action.help.strip(), action.option_strings or action.dest
    text = parser.format_help()
    for option in ("--wrt", "--mode", "--output", "--rules", "--version", "FILE.py:FUNCTION"):
        assert option in text


def _subprocess(*argv, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-m", "s2s", *argv], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


def test_broken_pipe_is_one_line():
    """`s2s --rules | head`: the reader goes away; no traceback, one line, status 2."""
    proc = _subprocess("--rules")
    proc.stdout.close()          # the reader closes the pipe before s2s writes
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 2
    assert err.count("\n") == 1 and "Traceback" not in err and "pipe" in err, err

