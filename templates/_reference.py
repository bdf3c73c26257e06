"""The rule reference: every registered function, grouped by family, with
whether it has a reverse rule, a forward rule, or is non-differentiable.

``rules_markdown()`` returns the table (for ``python -m s2s --rules`` or
docs/rules.md); ``python -m s2s.templates._reference`` prints it.
"""
import importlib

from s2s import registry

FAMILIES = ["operators", "numpy_core", "tangents_core", "math_rules", "structures", "runtime_rules",
            "ufuncs", "reductions", "shapes", "linalg", "methods", "pymath", "scipy_rules", "scipy_stats", "scipy_signal", "scipy_integrate", "nondiff"]


def load_all():
    """Import every rule module that can be imported (SciPy's only when SciPy is installed)."""
    from s2s import templates  # noqa: F401
    for name in FAMILIES:
        try:
            importlib.import_module("s2s.templates." + name)
        except ImportError:
            pass


def key_name(key):
    """A readable name for a registry key: np.linalg.norm, math.log, x.sum(), x.T, operator.add ..."""
    if isinstance(key, tuple) and len(key) == 2 and key[0] in ("method", "attr"):
        return f"ndarray.{key[1]}()" if key[0] == "method" else f"ndarray.{key[1]}"
    self_ = getattr(key, "__self__", None)
    name = getattr(key, "__name__", repr(key))
    if self_ is not None and type(self_).__module__.startswith("scipy.stats"):
        return f"scipy.stats.{type(self_).__name__.removesuffix('_gen')}.{name}"
    if self_ is not None and type(self_).__name__ == "RandomState":
        return f"np.random.{name}"
    mod = getattr(key, "__module__", None) or type(key).__module__
    if mod.startswith("s2s.templates."):   # s2s.templates.helpers -> templates.helpers
        mod = mod.removeprefix("s2s.")
    if type(key).__name__ == "ufunc":
        mod = "numpy"
    mod = {"builtins": "", "_operator": "operator", "numpy": "np"}.get(mod, mod)
    for prefix, short in (("numpy.linalg", "np.linalg"), ("numpy", "np"), ("scipy.special", "scipy.special"),
                          ("scipy.linalg", "scipy.linalg")):
        if mod.startswith(prefix):
            mod = short
            break
    return f"{mod}.{name}" if mod else name


def _family(key):
    tmpl = registry.ADJOINTS.get(key) or registry.TANGENTS.get(key)
    if tmpl is None:
        return "nondifferentiable"
    return tmpl.__module__.rsplit(".", 1)[-1]


def rules_markdown():
    """The reference table as Markdown."""
    load_all()
    keys = set(registry.ADJOINTS) | set(registry.TANGENTS) | set(registry.NONDIFF)
    groups = {}
    for k in keys:
        groups.setdefault(_family(k), []).append(k)
    n_rev = len(registry.ADJOINTS)
    n_fwd = len(registry.TANGENTS)
    lines = ["# Supported functions", "",
             f"{n_rev} functions with a reverse rule, {n_fwd} with a forward rule, "
             f"{len(registry.NONDIFF)} declared non-differentiable (zero gradient).", ""]
    for fam in sorted(groups, key=lambda f: (f == "nondifferentiable", f)):
        ks = sorted(groups[fam], key=key_name)
        lines += [f"## {fam} ({len(ks)})", "", "| function | reverse | forward |", "|---|---|---|"]
        for k in ks:
            if fam == "nondifferentiable":
                lines.append(f"| `{key_name(k)}` | zero | zero |")
            else:
                lines.append(f"| `{key_name(k)}` | {'yes' if k in registry.ADJOINTS else '**no**'} | "
                             f"{'yes' if k in registry.TANGENTS else '**no**'} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(rules_markdown())
