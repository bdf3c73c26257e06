"""Source that is not in a file (source=, @s2s.function) and s2s.explain."""
import io
import linecache
import textwrap

import numpy as np
import pytest

import s2s

EXEC_SOURCE = textwrap.dedent('''\
    import numpy as np
    import s2s


    @s2s.function
    def f(x, y, unused):
        z = np.sin(x) * y
        return z * 2.0


    def helper(u):
        return np.exp(u) * u


    @s2s.function
    def uses_helper(x):
        return helper(x) + x
''')


def _exec(source):
    ns = {}
    exec(source, ns)   # noqa: S102 - what a user's framework does
    return ns


def test_exec_defined_function_without_help_is_refused_with_advice():
    ns = _exec("import numpy as np\ndef g(x):\n    return np.exp(x) * x\n")
    with pytest.raises(s2s.DifferentiationError, match="source="):
        s2s.grad(ns["g"])


def test_source_argument():
    text = "import numpy as np\ndef g(x):\n    return np.exp(x) * x\n"
    ns = _exec(text)
    dg = s2s.grad(ns["g"], source=text)
    assert dg(1.0) == pytest.approx(2 * np.e)
    assert s2s.value_and_grad(ns["g"], source=text)(1.0)[1] == pytest.approx(2 * np.e)


def test_function_decorator_captures_exec_source():
    ns = _exec(EXEC_SOURCE)
    s2s.check_grad(ns["f"], 0.3, 2.0, 5.0)
    s2s.check_grad(ns["f"], 0.3, 2.0, 5.0, wrt=1)
    assert s2s.grad(ns["f"])(0.3, 2.0, 5.0) == pytest.approx(4 * np.cos(0.3))
    # a helper without the decorator has no source either: the error says what to do
    with pytest.raises(s2s.DifferentiationError, match="helper"):
        s2s.grad(ns["uses_helper"])
    ns2 = _exec(EXEC_SOURCE.replace("def helper", "@s2s.function\ndef helper"))
    s2s.check_grad(ns2["uses_helper"], 0.4)


def test_generated_code_names_the_exec_line():
    ns = _exec(EXEC_SOURCE)
    src = s2s.source(s2s.grad(ns["f"]))
    assert "# <string>:7" in src


def test_notebook_cells_keep_working():
    """IPython registers each cell in linecache under its own filename; inspect finds the source."""
    cell = "import numpy as np\n\ndef cellf(x):\n    return np.tanh(x) * x\n"
    filename = "/tmp/ipykernel_123/456789.py"
    linecache.cache[filename] = (len(cell), None, cell.splitlines(True), filename)
    ns = {}
    exec(compile(cell, filename, "exec"), ns)   # noqa: S102
    s2s.check_grad(ns["cellf"], 0.7)


def test_explain_prints_everything_a_puzzled_user_wants():
    ns = _exec(EXEC_SOURCE)
    out = io.StringIO()
    report = s2s.explain(ns["f"], 0.3, 2.0, 5.0, file=out)
    text = out.getvalue()
    assert "def f(x, y, unused):" in text                      # the primal
    assert "def df_dx(x, y, unused, *, dresult=1.0):" in text  # the generated gradient (keyword-only seed)
    assert "d/dx:" in text and "agree" in text                 # the finite-difference check
    assert text.strip().endswith("unused")                     # inputs that cannot affect the output
    assert report["ok"] and report["inactive"] == ["unused"]


def test_explain_reports_a_disagreement():
    from s2s.registry import d

    def cube(x):
        return x ** 3

    @s2s.adjoint(cube)
    def _(result, x):
        d[x] = d[result] * 2.0 * x * x   # wrong on purpose: the check must say so

    def uses(x):
        return cube(x)
    out = io.StringIO()
    report = s2s.explain(uses, 1.5, file=out)
    assert not report["ok"] and "DISAGREE" in out.getvalue()


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
def test_function_decorator_at_the_plain_prompt():
    """The plain REPL: @s2s.function reads the lines typed from the prompt's history."""
    import os
    import sys
    import time
    pty = pytest.importorskip("pty")
    select = pytest.importorskip("select")
    pytest.importorskip("readline")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pid, fd = pty.fork()
    if pid == 0:   # the child: an interactive interpreter on a terminal
        os.environ["PYTHONPATH"] = root
        os.environ["S2S_CACHE"] = "0"
        os.execv(sys.executable, [sys.executable, "-q", "-i"])
    seen = b""

    def until(marker, timeout=60.0):
        nonlocal seen
        end = time.time() + timeout
        while marker not in seen and time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
        return marker in seen

    try:
        assert until(b">>> ")
        for line in ["import s2s, numpy as np", "@s2s.function", "def f(x):", "    return np.sin(x) * x", "",
                     "print('GRAD', repr(s2s.grad(f)(0.5) - (np.sin(0.5) + 0.5 * np.cos(0.5))), 'END')"]:
            os.write(fd, (line + "\n").encode())
            time.sleep(0.05)
        assert until(b"END'"), seen.decode(errors="replace")   # the echo of the typed line
        assert until(b" END\r\n"), seen.decode(errors="replace")
        text = seen.decode(errors="replace")
        value = text.rsplit("GRAD ", 1)[1].split(" END")[0]
        assert abs(float(value.split("(")[-1].rstrip(")"))) < 1e-12, text
    finally:
        os.write(fd, b"exit()\n")
        os.waitpid(pid, 0)
