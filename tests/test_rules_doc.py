"""docs/rules.md is the output of ``python -m s2s --rules``, and that lists the whole registry."""
import os

import pytest

from s2s import registry
from s2s.rules_doc import families, library_keys, rules_table

DOC = os.path.join(os.path.dirname(__file__), os.pardir, "docs", "rules.md")


def test_every_library_key_is_listed():
    listed = {name for rows in families().values() for name, *_ in rows}
    from s2s.rules_doc import key_name
    assert {key_name(k) for k in library_keys()} == listed
    import s2s.templates.scipy_rules  # noqa: F401  (loaded lazily otherwise)
    mine = {k for k in set(registry.ADJOINTS) | set(registry.TANGENTS)
            if any(t is not None and t.__module__.startswith("s2s.templates.")
                   for t in (registry.ADJOINTS.get(k), registry.TANGENTS.get(k)))}
    assert mine <= library_keys()


def test_users_rules_are_not_listed():
    import s2s

    def my_fn(x):
        return x

    @s2s.adjoint(my_fn)
    def _(z, x):
        d[x] = d[z]  # noqa: F821
    try:
        assert my_fn not in library_keys()
        assert "my_fn" not in rules_table()
    finally:
        del registry.ADJOINTS[my_fn]


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
