"""The documentation (docs/, built by MkDocs) shows code that runs and output that is current.

Each page's ```python blocks run, in order, as one script in a subprocess
(s2s reads functions' source, so they must live in a file); every ```text
block that shows a generated function (starts with ``def``) must appear in
what the script printed (compared without the ``# file.py:N`` comments
that name the user's line, since the page's script is not the file the
page pretends). ``mkdocs build --strict`` (in
.ci/run) checks links and the API reference.
"""
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p.name for p in DOCS.glob("*.md"))
RUNNABLE = [p for p in PAGES if "```python" in (DOCS / p).read_text()]


def test_every_page_is_in_the_nav():
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in PAGES:
        assert re.search(rf":\s*{re.escape(page)}\s*$", nav, re.M), f"docs/{page} is not in mkdocs.yml's nav"


@pytest.mark.parametrize("page", RUNNABLE)
def test_page_code_runs_and_shows_current_output(page, tmp_path):
    text = (DOCS / page).read_text()
    script = tmp_path / (page[:-3].replace("-", "_") + "_page.py")
    script.write_text("\n".join(re.findall(r"```python\n(.*?)```", text, re.S)))
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"docs/{page}: the code blocks fail\n{proc.stderr}"
    printed = _plain(proc.stdout)
    for shown in re.findall(r"```text\n(def .*?)```", text, re.S):
        assert _plain(shown).strip() in printed, f"docs/{page} shows generated code that s2s no longer prints:\n{shown}"


def _plain(text):
    """Generated source without the trailing ``# file.py:N`` comments."""
    return "\n".join(re.sub(r"\s+# [\w.<>-]+:\d+$", "", line) for line in text.splitlines())
