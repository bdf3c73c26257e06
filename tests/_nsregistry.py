"""The rule registry over other array namespaces: Dask arrays and array_api_strict arrays (issue 16).

Every reverse case of the registry test (tests/test_rules_compiled.py: one small user function per
rule case, written by tests/_rulegen.py) is run again with its float array arguments given as Dask
arrays (two chunks along each axis) and as array_api_strict arrays. A case's outcome:

- ``ok``: the gradient of every differentiated array has that namespace's array type, its shape,
  and the values of the NumPy gradient (which the registry test checks against finite differences);
- ``refused``: s2s raised DifferentiationError (at the user's line, saying why);
- ``primal``: the function itself does not run on that namespace (not a rule's fault: excluded);
- ``n/a``: the case differentiates no array (Python floats only);
- ``fail: ...``: anything else (an exception from a rule, a NumPy gradient, a wrong value).

A rule is namespace-generic when all its applicable cases are ``ok``. The measured table is kept in
s2s/_namespaces.py (docs/rules.md's section "Array namespaces" is generated from it); the slow test
tests/test_namespaces.py::test_registry_namespaces_recorded checks it is current. Rewrite it with

    python tests/_nsregistry.py --write
"""
import os
import sys
import tempfile
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

NAMESPACES = ("dask", "array_api_strict")


def entries():
    """(pid, key, case) of every case with a reverse mode, as the registry test writes them."""
    import test_rules_compiled as trc
    return [(pid, key, c) for pid, key, c in trc.ENTRIES if "reverse" in c.mode_list], trc


def _convert(ns, a):
    if not isinstance(a, np.ndarray) or not np.issubdtype(a.dtype, np.floating):
        return a
    if ns == "dask":
        import dask.array as da
        return da.from_array(a, chunks=tuple(max(1, (n + 1) // 2) for n in a.shape) or ())
    import array_api_strict as xps
    return xps.asarray(a)


def _is_ns(ns, g):
    if ns == "dask":
        import dask.array as da
        return isinstance(g, da.Array)
    import array_api_strict as xps
    if hasattr(xps, "_array_object"):
        return isinstance(g, xps._array_object.Array)
    return type(g).__module__.startswith("array_api_strict")


def _to_numpy(ns, g):
    if ns == "dask":
        return np.asarray(g.compute() if hasattr(g, "compute") else g)
    return np.asarray(g)


def run_case(ns, rec, trc):
    """The outcome of one case in namespace ``ns`` (see the module docstring)."""
    import s2s
    args = rec.args()
    arrays = [w for w in rec.wrt if isinstance(rec.inputs[w], np.ndarray)]
    if not arrays:
        return "n/a"
    wrt = tuple(rec.wrt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = s2s.grad(rec.fn, wrt=wrt)(*args)
        except Exception as e:   # the registry test reports it
            return f"n/a: NumPy gradient raises {type(e).__name__}"
        expected = (expected,) if len(wrt) == 1 else expected
        nargs = [_convert(ns, a) for a in args]
        try:
            v = rec.fn(*nargs)
            if ns == "dask" and hasattr(v, "compute"):
                v.compute()
        except Exception:
            return "primal"
        try:
            g = s2s.grad(rec.fn, wrt=wrt)(*nargs)
            g = (g,) if len(wrt) == 1 else g
            for name, gi, ei in zip(wrt, g, expected):
                x = rec.inputs[name]
                if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
                    continue
                if not _is_ns(ns, gi):
                    return f"fail: a {type(gi).__name__} gradient"
                if tuple(gi.shape) != x.shape:
                    return f"fail: shape {tuple(gi.shape)}"
                gn = _to_numpy(ns, gi)
                if gn.dtype != x.dtype:
                    return f"fail: dtype {gn.dtype}"
                if not np.allclose(gn, np.asarray(ei, dtype=float), rtol=max(rec.case.rtol, 1e-6),
                                   atol=max(rec.case.atol, 1e-9), equal_nan=True):
                    return "fail: value"
        except s2s.DifferentiationError:
            return "refused"
        except Exception as e:
            return f"fail: {type(e).__name__}"
    return "ok"


def run(namespaces=NAMESPACES, keep=None):
    """{namespace: {rule name: {case pid: outcome}}}; ``keep(pid)`` selects cases (all by default)."""
    from _rulegen import build
    from s2s.rules_doc import key_name
    ents, trc = entries()
    if keep is not None:
        ents = [e for e in ents if keep(e[0])]
    directory = tempfile.mkdtemp(prefix="s2s-ns-")
    records, _ = build(ents, directory, modname="ns_rule_cases")
    out = {}
    for ns in namespaces:
        table = out.setdefault(ns, {})
        for pid, key, case in ents:
            rec = records[pid]
            if rec.error is not None or trc._name(key) in trc.DIRECT_ONLY:
                continue
            table.setdefault(key_name(key), {})[pid] = run_case(ns, rec, trc)
    return out


def summarize(results):
    """{namespace: {rule: "generic" | "refused" | "not generic: <first failure>" | "primal" | "n/a"}}."""
    out = {}
    for ns, table in results.items():
        rules = out.setdefault(ns, {})
        for rule, cases in sorted(table.items()):
            vals = [v for v in cases.values() if not v.startswith("n/a")]
            if not vals:
                rules[rule] = "n/a"
            elif all(v == "primal" for v in vals):
                rules[rule] = "primal"
            elif any(v.startswith("fail") for v in vals):
                rules[rule] = "not generic: " + next(v for v in vals if v.startswith("fail"))[6:]
            elif any(v == "refused" for v in vals):
                rules[rule] = "refused"
            else:
                rules[rule] = "generic"
    return out


def versions():
    out = {}
    for mod in ("dask", "array_api_strict", "array_api_compat", "numpy"):
        try:
            out[mod] = __import__(mod).__version__
        except ImportError:
            pass
    return out


def _packed(summary, width=118):
    """``summary`` as Python source, several entries a line (the module stays under the size limit)."""
    out = ["{"]
    for ns in sorted(summary):
        out.append(f"    {ns!r}: {{")
        line = "        "
        for key in sorted(summary[ns]):
            item = f"{key!r}: {summary[ns][key]!r}, "
            if len(line) + len(item.rstrip()) > width:
                out.append(line.rstrip())
                line = "        "
            line += item
        out.append(line.rstrip())
        out.append("    },")
    out.append("}")
    return "\n".join(out)


def write(summary, path=os.path.join(os.path.dirname(HERE), "s2s", "_namespaces.py"), versions_=None):
    versions_ = versions_ or versions()
    with open(path, "w") as fh:
        fh.write('"""The rule registry over other array namespaces, as measured by tests/_nsregistry.py (do not edit:\n'
                 'rewrite it with `python tests/_nsregistry.py --write`; docs/rules.md\'s section "Array namespaces"\n'
                 'is generated from it). rule -> "generic" | "refused" | "not generic: why" | "primal" | "n/a"."""\n\n')
        fh.write(f"VERSIONS = {versions_!r}\n\n")
        fh.write("RESULTS = " + _packed(summary) + "\n")


if __name__ == "__main__":
    res = summarize(run())
    for ns, rules in res.items():
        counts = {}
        for v in rules.values():
            counts[v.split(":")[0]] = counts.get(v.split(":")[0], 0) + 1
        print(ns, counts)
    if "--write" in sys.argv:
        write(res)
