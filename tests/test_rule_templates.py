"""Every rule in tests/_cases.py, checked directly against finite differences.

The compiler is not involved: tests/_rulecheck.py evaluates each template's
``d[...]`` statements with a real call's values bound (see there). The
registry-wide test through the compiler lives elsewhere; this one pins down
the rules' mathematics.
"""
import pytest

import s2s.templates  # noqa: F401  (registers the core rules)
from s2s.templates import ufuncs, reductions, shapes, linalg, methods, pymath  # noqa: F401
from s2s.rules_doc import load_all

load_all()  # the SciPy rules too (scipy_rules, scipy_stats, scipy_signal, ...), when SciPy is installed
from _cases import CASES
from s2s.registry import ADJOINTS, TANGENTS
from _rulecheck import check_forward, check_reverse


def _name(key):
    if isinstance(key, tuple):
        return f"{key[0]}:{key[1]}"
    if type(getattr(key, "__self__", None)).__module__.startswith("scipy.stats"):   # t.logpdf, not rv_continuous.logpdf
        from s2s.rules_doc import key_name
        return key_name(key)
    mod = getattr(key, "__module__", None) or ""
    return f"{mod}.{getattr(key, '__qualname__', getattr(key, '__name__', repr(key)))}".lstrip(".")


# Rules (outside the rule library's modules) that these cases show wrong; strict, so a fix must remove them.
KNOWN = {
    f"s2s.runtime.add_at-{i}-forward": "runtime_rules.add_at_fwd: add_at(d[g], index, d[v]) fails when only v is "
    "active (g's tangent is the literal 0); generated code never does that (its accumulators get zeros_like "
    "tangents), so only this direct check sees it" for i in range(3)}

PARAMS = []
for key, lst in CASES.items():
    for i, c in enumerate(lst):
        for mode in c.mode_list:
            pid = f"{_name(key)}-{i}-{mode}"
            marks = [pytest.mark.xfail(reason=KNOWN[pid], strict=True)] if pid in KNOWN else []
            PARAMS.append(pytest.param(key, c, mode, id=pid, marks=marks))


@pytest.mark.parametrize("key,c,mode", PARAMS)
def test_rule(key, c, mode):
    table = ADJOINTS if mode == "reverse" else TANGENTS
    template = table.get(key)
    if template is None:
        pytest.skip(f"no {mode} rule registered")
    (check_reverse if mode == "reverse" else check_forward)(key, template, c)
