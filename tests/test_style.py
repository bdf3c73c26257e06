"""`ruff check` is clean with the project's configuration ([tool.ruff] in pyproject.toml).

ruff is in the `test` extra (`pip install -e ".[test]"`), so CI (.ci/run) runs this.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_ruff_check_is_clean():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "No module named ruff" not in proc.stderr, 'ruff is missing: pip install -e ".[test]"'
    assert proc.returncode == 0, proc.stdout + proc.stderr
