"""docs/rules.md is the output of ``python -m s2s --rules``, and that lists the whole registry."""
import os

import pytest

from s2s import registry
from s2s.rules_doc import families, rules_table

DOC = os.path.join(os.path.dirname(__file__), os.pardir, "docs", "rules.md")


def test_every_registered_key_is_listed():
    listed = {name for rows in families().values() for name, *_ in rows}
    from templates._reference import key_name
    keys = set(registry.ADJOINTS) | set(registry.TANGENTS) | set(registry.NONDIFF)
    assert {key_name(k) for k in keys} == listed


def test_docs_rules_md_is_current():
    pytest.importorskip("scipy")   # the committed reference includes the SciPy rules
    with open(DOC) as f:
        doc = f.read()
    assert doc == rules_table() + "\n", "docs/rules.md is stale: run `python -m s2s --rules > docs/rules.md`"


def test_cli_prints_the_table(capsys):
    from s2s.__main__ import main
    assert main(["--rules"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Functions s2s differentiates") and "`np.einsum`" in out and "ndarray.sum()" in out
