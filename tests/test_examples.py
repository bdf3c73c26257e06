"""Every script in examples/ runs to completion (each checks its own numbers)."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))

# One script per example of the seed documents; a missing one is a failure.
EXPECTED = {
    "logistic.py",           # seed 000: logistic derivative, elementwise
    "fit_line.py",           # seed 000: scipy.optimize.minimize(..., jac=True) with value_and_grad
    "partials.py",           # seed 001: partials of x**2 + 3xy + y**2, wrt=[1], keywords
    "verbose.py",            # seed 001: verbose printing of the generated gradient
    "sigmoid_helper.py",     # seed 002: (sigmoid(x * beta) - y) ** 2 through a helper
    "linear_regression.py",  # seed 003: loss and gradient, vectorised and with loops
    "elementwise.py",        # seed 004: elementwise derivative of x**2 + 2x + 1
}


def test_every_seed_example_has_a_script():
    assert EXPECTED <= {p.name for p in EXAMPLES}


# Scripts whose default is a full-size run (the one README.md reports) are run small here, and
# scripts that need an optional extra are skipped without it (CI installs it: .ci/run).
ARGS = {"dask_logreg.py": ["--rows", "20000", "--chunk-rows", "5000"]}   # LocalCluster, 2 workers: ~15 s
NEEDS = {"dask_logreg.py": "distributed"}                                  # pip install -e ".[dask]"


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script):
    if script.name in NEEDS:
        pytest.importorskip(NEEDS[script.name], reason=f"{script.name} needs the [dask] extra")
    proc = subprocess.run([sys.executable, str(script), *ARGS.get(script.name, [])], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    report = f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    assert proc.returncode == 0, f"{script.name} exited with {proc.returncode}\n{report}"
    assert "FAIL" not in proc.stdout, report
    assert "def " in proc.stdout, f"{script.name} printed no generated source\n{report}"
