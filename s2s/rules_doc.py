"""The rule reference: every function s2s differentiates, grouped by family.

``python -m s2s --rules`` prints it; docs/rules.md is the same text
(``python -m s2s --rules > docs/rules.md``; tests/test_rules_doc.py checks it
is current). Families are the modules of templates/; generated-code helpers
(``s2s.runtime.unbroadcast`` etc., whose rules make generated gradients
differentiable again) are listed last, apart from what users call.
"""
import importlib

from . import registry

# The rule modules of templates/, imported by load_all (SciPy's only when SciPy is installed).
RULE_MODULES = ["operators", "numpy_core", "structures", "runtime_rules", "ufuncs", "reductions", "shapes",
                "linalg", "methods", "pymath", "scipy_rules", "scipy_stats",
                "scipy_signal", "scipy_integrate", "scipy_optimize", "scipy_spatial", "nondiff"]


def load_all():
    """Import every rule module that can be imported (SciPy's only when SciPy is installed)."""
    from . import templates  # noqa: F401
    for name in RULE_MODULES:
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
    if mod.startswith("s2s.templates."):   # s2s.templates.linalg -> templates.linalg
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

# module of templates/ -> (section title, one-line description)
FAMILIES = {
    "operators": ("Python operators", "`+ - * / ** @ %` and unary `-`/`+`, with NumPy broadcasting"),
    "numpy_core": ("NumPy core", "the most used NumPy functions"),
    "ufuncs": ("NumPy elementwise functions", "ufuncs and their aliases; binary ones broadcast"),
    "reductions": ("NumPy reductions and scans", "`axis` (int, negative, tuple, None) and `keepdims` as NumPy"),
    "shapes": ("NumPy shape, assembly and selection", "inverse movements of elements; repeated indices accumulate"),
    "linalg": ("Linear algebra",
               "products, decompositions, inverses and norms; stacks of matrices in the last two axes"),
    "methods": ("ndarray methods and attributes", "`x.sum(axis)`, `x.T`, ..."),
    "pymath": ("math module and builtins", "Python floats; `max`/`min` over values or one iterable"),
    "structures": ("Lists, tuples and arrays built from them", "`np.array([a, b])`, builtin `sum`, `list(x)`"),
    "scipy_rules": ("scipy.special and scipy.linalg", "only when SciPy is installed (loaded on first use)"),
    "scipy_stats": ("scipy.stats distributions", "norm, t, chi2, gamma, beta (with loc and scale), poisson, dirichlet, "
                    "multivariate_normal; only when SciPy is installed (loaded on first use)"),
    "scipy_signal": ("scipy.signal", "convolve in modes full, valid and same, any number of dimensions; "
                     "only when SciPy is installed (loaded on first use)"),
    "scipy_integrate": ("scipy.integrate",
                        "odeint in y0, t and args, by the adjoint (reverse) and sensitivity (forward) "
                        "ODEs; the dynamics is differentiated by s2s at run time; only when SciPy is installed"),
    "scipy_optimize": ("scipy.optimize", "the Rosenbrock function rosen and its gradient rosen_der (hvp and "
                       "Hessians through them); only when SciPy is installed (loaded on first use)"),
    "scipy_spatial": ("scipy.spatial.distance", "cdist and pdist with the 'euclidean' and 'sqeuclidean' metrics, "
                      "squareform (kernel and Gaussian-process code); only when SciPy is installed (loaded on first "
                      "use)"),
    "internal": ("Generated-code helpers",
                 "called by generated gradients; their rules make those differentiable again"),
    "nondifferentiable": ("Non-differentiable (zero gradient, no error)",
                          "integer, boolean, index and shape results, constructors, random numbers"),
}
ORDER = ["operators", "numpy_core", "ufuncs", "reductions", "shapes", "linalg", "methods", "pymath",
         "structures", "scipy_rules", "scipy_stats", "scipy_signal", "scipy_integrate", "scipy_optimize",
         "scipy_spatial", "internal",
         "nondifferentiable"]

_TIES_SHARE = "ties share the gradient equally"
_SORTED = "ties: the elements np.sort puts there"
_JUMPS = "jumps where the quotient changes: the derivative of the smooth pieces"
_NAN = "NaNs get zero gradient"
# Notes by function name (as key_name prints it): kinks, ties, domains, what is not differentiated.
NOTES = {
    "np.absolute": "kink at 0: sign(x) (0 at 0)", "np.fabs": "kink at 0: sign(x) (0 at 0)",
    "abs": "kink at 0: sign(x) (0 at 0)", "math.fabs": "kink at 0: sign(x) (0 at 0)",
    "np.maximum": "ties: all to the first argument", "np.minimum": "ties: all to the first argument",
    "np.fmax": "ties: all to the first argument", "np.fmin": "ties: all to the first argument",
    "np.clip": "at a bound the gradient goes to x; the bounds get it outside", "ndarray.clip()": "as np.clip",
    "np.max": _TIES_SHARE, "np.amax": _TIES_SHARE, "np.min": _TIES_SHARE, "np.amin": _TIES_SHARE,
    "np.ptp": _TIES_SHARE, "ndarray.max()": _TIES_SHARE, "ndarray.min()": _TIES_SHARE,
    "np.nanmax": _TIES_SHARE + "; " + _NAN, "np.nanmin": _TIES_SHARE + "; " + _NAN,
    "max": "ties: the element Python returns (the first)", "min": "ties: the element Python returns (the first)",
    "np.sort": _SORTED, "np.median": _SORTED, "np.quantile": _SORTED + "; q differentiated (linear interpolation)",
    "np.percentile": _SORTED + "; q differentiated (linear interpolation)",
    "np.mod": _JUMPS, "np.fmod": _JUMPS, "operator.mod": _JUMPS, "math.fmod": _JUMPS, "math.remainder": _JUMPS,
    "np.copysign": "kink at x2 = 0", "math.copysign": "kink at y = 0",
    "np.power": "d/dy uses log x for x > 0 (0 elsewhere)", "operator.pow": "d/dy uses log x for x > 0 (0 elsewhere)",
    "pow": "d/dy uses log x for x > 0 (0 elsewhere)",
    "np.sinc": "exact at 0", "np.prod": "exact with zeros (no division)", "np.cumprod": "exact with zeros",
    "np.cumulative_prod": "exact with zeros", "math.prod": "exact with zeros", "ndarray.prod()": "exact with zeros",
    "np.nansum": _NAN, "np.nanmean": _NAN, "np.nanvar": _NAN, "np.nanstd": _NAN, "np.nanprod": _NAN,
    "np.nancumsum": _NAN, "np.nancumprod": _NAN,
    "np.interp": "kinks at the xp points; xp gets no gradient", "np.ldexp": "the integer exponent gets none",
    "ndarray.astype()": "float dtypes pass the gradient; integer/bool casts give zero",
    "np.linalg.eigh": "symmetric input, reads one triangle; repeated eigenvalues give inf/nan; "
                      "eigenvector signs are arbitrary",
    "np.linalg.eigvalsh": "symmetric input, reads one triangle; repeated eigenvalues give inf/nan",
    "np.linalg.cholesky": "reads one triangle: the gradient is on that triangle",
    "np.linalg.svd": "distinct singular values; full_matrices=True on a non-square matrix: reverse raises when the "
                     "extra vectors get gradient, forward gives NaN there; singular vector signs are arbitrary",
    "np.linalg.eig": "real matrices with real, distinct eigenvalues (a complex spectrum raises); "
                     "eigenvector signs are arbitrary",
    "np.linalg.eigvals": "real matrices with real, distinct eigenvalues (a complex spectrum raises)",
    "np.linalg.lstsq": "full rank: x, residuals and s (rank gets none)", "np.linalg.tensorsolve": "nonsingular",
    "np.linalg.tensorinv": "nonsingular", "np.partition": _SORTED.replace("np.sort", "np.partition"),
    "np.imag": "real input: zero", "np.angle": "real input: zero (jumps at 0)", "np.real_if_close": "real input",
    "s2s.runtime.index_concat": "np.r_[...] and np.c_[...]; slices and directive strings are constants",
    "s2s.runtime.along_axis_values": "np.put_along_axis(y, idx, v, axis) on a local array y (written as "
                                     "y[along_axis_index(y, idx, axis)] = along_axis_values(v, y, idx, axis)); "
                                     "a repeated index: the last write wins",
    "np.block": "nested lists of blocks and numbers", "np.einsum": "subscript strings and the sublist form",
    "np.linalg.svdvals": "distinct singular values", "np.linalg.pinv": "full rank",
    "np.linalg.qr": "full rank; mode='complete' on a tall matrix raises when the extra columns get gradient",
    "np.linalg.norm": "vector ord 1/inf/-inf: kinks at zeros and ties; 2, 'nuc': distinct singular values; "
                      "0 at x = 0 for the 2-norm",
    "np.linalg.vector_norm": "kinks for ord 1/inf/-inf at zeros and ties",
    "np.linalg.matrix_norm": "ord 2, -2, 'nuc': distinct singular values; 1/inf: ties",
    "np.linalg.slogdet": "the sign gets no gradient; +-inf/nan at a singular matrix (logabsdet -inf)",
    "np.linalg.det": "any matrix, singular too (the cofactor matrix, by SVD); no third derivative",
    "np.linalg.inv": "nonsingular",
    "np.linalg.solve": "nonsingular", "np.take": "repeated indices accumulate",
    "np.take_along_axis": "repeated indices accumulate",
    "np.full": "the fill value is differentiated", "np.full_like": "the fill value is differentiated",
    "math.gamma": "negative non-integers too", "math.lgamma": "negative non-integers too",
    "scipy.special.xlogy": "x = 0: d/dx = log y", "scipy.special.logit": "on (0, 1)",
    "scipy.special.erfinv": "on (-1, 1)", "scipy.special.ndtri": "on (0, 1)",
    "scipy.special.polygamma": "n (the order) is not differentiated",
    "scipy.special.rel_entr": "x > 0 where the log is taken", "scipy.special.kl_div": "x > 0 where the log is taken",
    "scipy.special.entr": "x > 0", "scipy.linalg.cholesky": "reads one triangle",
    "scipy.stats.multivariate_normal.logpdf": "rows of x; cov: lower triangle (as SciPy reads it), diagonal or "
                                              "scalar; allow_singular: x and mean only",
    "scipy.stats.multivariate_normal.pdf": "rows of x; cov: lower triangle (as SciPy reads it), diagonal or "
                                           "scalar; allow_singular: x and mean only",
    "scipy.stats.dirichlet.logpdf": "x with all K components (axis 0)",
    "scipy.stats.dirichlet.pdf": "x with all K components (axis 0)",
    "np.cov": "m and y; rowvar, bias, ddof (fweights/aweights are refused)",
    "np.corrcoef": "x and y, rowvar; away from |r| = 1 (NumPy clips there)",
    "np.logspace": "start, stop and base", "np.geomspace": "start and stop (same sign)",
    "np.select": "the choices and the default; conditions are constant", "np.insert": "arr and values",
    "np.polyval": "the coefficients (list or array) and x", "ndarray.tolist()": "the nested lists of floats",
    "np.vander": "x", "np.linalg.multi_dot": "every factor",
    "np.gradient": "f and scalar spacings (coordinate arrays raise); any axis, edge_order 1 or 2",
}

# How users write the operators
SYNTAX = {"operator.add": "a + b", "operator.sub": "a - b", "operator.mul": "a * b", "operator.truediv": "a / b",
          "operator.pow": "a ** b", "operator.matmul": "a @ b", "operator.mod": "a % b", "operator.neg": "-a",
          "operator.pos": "+a", "operator.floordiv": "a // b"}


def _display(name):
    return f"`{SYNTAX[name]}` (`{name}`)" if name in SYNTAX else f"`{name}`"


def _family(key):
    tmpl = registry.ADJOINTS.get(key) or registry.TANGENTS.get(key)
    if tmpl is None:
        return "nondifferentiable"
    name = key_name(key)
    if name.startswith(("s2s.", "templates.")):
        return "internal"
    fam = tmpl.__module__.rsplit(".", 1)[-1]
    if fam == "runtime_rules":   # a forward-only registration there
        return "numpy_core"
    return fam if fam in FAMILIES else "numpy_core"


_LIBRARY = ("np.", "math.", "operator.", "ndarray.", "scipy.", "s2s.", "templates.")


def library_keys():
    """The registry's keys that the rule library registered (not the user's own @s2s.adjoint rules)."""
    load_all()
    out = set()
    for k in set(registry.ADJOINTS) | set(registry.TANGENTS) | set(registry.NONDIFF):
        rules = [t for t in (registry.ADJOINTS.get(k), registry.TANGENTS.get(k)) if t is not None]
        if rules:
            if all(t.__module__.startswith("s2s.templates.") for t in rules):
                out.add(k)
        else:   # non-differentiable: NumPy, math, ... or a builtin (not generated-code bookkeeping)
            name = key_name(k)
            if (name.startswith(_LIBRARY) or "." not in name) and not name.startswith(("s2s.", "templates.")):
                out.add(k)
    return out


def families():
    """{family: sorted [(name, has_reverse, has_forward, note)]} over the library's keys."""
    keys = library_keys()
    out = {}
    for k in keys:
        out.setdefault(_family(k), []).append(k)
    table = {}
    for fam, ks in out.items():
        rows = {}
        for k in ks:
            name = key_name(k)
            refused = registry.lookup_no_derivative(k)
            note = "; ".join(n for n in (NOTES.get(name, ""), f"no derivative in {', '.join(refused)} (refused)"
                                         if refused else "") if n)
            row = (name, k in registry.ADJOINTS, k in registry.TANGENTS, note)
            rows[name] = row if name not in rows else (name, rows[name][1] or row[1], rows[name][2] or row[2], row[3])
        table[fam] = sorted(rows.values())
    return table


def counts():
    """{family: (functions, with reverse rule, with forward rule)}."""
    return {fam: (len(rows), sum(r[1] for r in rows), sum(r[2] for r in rows)) for fam, rows in families().items()}


def rules_table():
    """The reference as Markdown."""
    table = families()
    user = [f for f in table if f not in ("internal", "nondifferentiable")]
    n = sum(len(table[f]) for f in user)
    n_rev = sum(r[1] for f in user for r in table[f])
    n_fwd = sum(r[2] for f in user for r in table[f])
    lines = ["# Functions s2s differentiates", "",
             "Generated by `python -m s2s --rules` (s2s/rules_doc.py) from the rule registry; "
             "every rule listed here is checked against finite differences through the compiler, in both modes, "
             "by tests/test_rules_compiled.py.", "",
             f"{n} functions with rules ({n_rev} reverse, {n_fwd} forward), "
             f"{len(table.get('nondifferentiable', []))} declared non-differentiable (zero gradient), "
             f"{len(table.get('internal', []))} generated-code helpers.", "",
             "A function that is not listed and has no Python source stops `s2s.grad` with a "
             "`DifferentiationError` naming it; register a rule with `@s2s.adjoint(fn)` "
             "(and `@s2s.tangent(fn)` for forward mode).", "",
             "Dtypes: float32 inputs give float32 gradients, integer inputs float64 ones; complex inputs "
             "raise `s2s.DifferentiationError` (not supported yet).", "",
             "| family | functions | reverse | forward |", "|---|---|---|---|"]
    for fam in ORDER:
        if fam in table and fam != "nondifferentiable":
            rows = table[fam]
            fam_rev, fam_fwd = sum(r[1] for r in rows), sum(r[2] for r in rows)
            lines.append(f"| {FAMILIES[fam][0]} | {len(rows)} | {fam_rev} | {fam_fwd} |")
    lines.append("")
    for fam in ORDER:
        if fam not in table:
            continue
        title, blurb = FAMILIES[fam]
        rows = table[fam]
        lines += [f"## {title} ({len(rows)})", "", blurb[0].upper() + blurb[1:] + ".", ""]
        if fam == "nondifferentiable":
            lines.append(", ".join(_display(r[0]) for r in rows))
            lines.append("")
            continue
        lines += ["| function | reverse | forward | notes |", "|---|---|---|---|"]
        for name, rev, fwd, note in rows:
            lines.append(f"| {_display(name)} | {'yes' if rev else '**no**'} | {'yes' if fwd else '**no**'} | {note} |")
        lines.append("")
    lines += namespaces_section()
    return "\n".join(lines)


NAMESPACE_TITLES = {"dask": "Dask arrays (`dask.array`, through `__array_function__`)",
                    "array_api_strict": "`array_api_strict` arrays (the array API's reference; CuPy, PyTorch "
                                        "through array-api-compat take the same paths)"}


def namespaces_section():
    """docs/rules.md's section on other array namespaces (issue 16), from the measurement kept in
    s2s/_namespaces.py (written by tests/_nsregistry.py; tests/test_namespaces.py checks it is current)."""
    try:
        from ._namespaces import RESULTS, VERSIONS
    except ImportError:   # not measured yet
        return []
    lines = ["## Array namespaces: Dask and the array API", "",
             "Every reverse case of the registry test whose function takes a float array was run again with "
             "those arrays given as Dask arrays (two chunks per axis) and as `array_api_strict` arrays "
             "(`python tests/_nsregistry.py`, with " + ", ".join(f"{k} {v}" for k, v in sorted(VERSIONS.items()))
             + "). A rule is *namespace-generic* when every such case gives a gradient of the argument's own "
             "array type, shape and dtype with the NumPy gradient's values (which tests/test_rules_compiled.py "
             "checks against finite differences). The share counts the rules whose function itself runs on "
             "that namespace.", "",
             "| namespace | rules measured | generic | refused (DifferentiationError) | not generic | share generic |",
             "|---|---|---|---|---|---|"]
    for ns, rules in RESULTS.items():
        kinds = [v.split(":")[0] for v in rules.values()]
        gen, ref, bad = kinds.count("generic"), kinds.count("refused"), kinds.count("not generic")
        n = gen + ref + bad
        lines.append(f"| {NAMESPACE_TITLES.get(ns, ns)} | {n} | {gen} | {ref} | {bad} | "
                     f"{100.0 * gen / max(n, 1):.0f}% |")
    lines.append("")
    for ns, rules in RESULTS.items():
        bad = {k: v.split(": ", 1)[1] for k, v in rules.items() if v.startswith("not generic")}
        if not bad:
            continue
        by_reason = {}
        for name, why in sorted(bad.items()):
            by_reason.setdefault(why, []).append(name)
        lines += [f"Not generic on {ns} ({len(bad)}), by what happens:", ""]
        for why, names in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            lines.append(f"- {why} ({len(names)}): " + ", ".join(f"`{n}`" for n in names))
        lines.append("")
    lines += ["What is not generic, and why. The runtime helpers the generated code calls (`unbroadcast`, "
              "`grad_reduce`, `init_grad`, `zeros_like`, `as_grad`, `add_at`, ...) work in the argument's "
              "namespace, so rules written with operators, NumPy functions that Dask implements and those helpers "
              "are generic on Dask. Not generic are rules whose helpers convert with `np.asarray`/`np.array` or "
              "build a NumPy array and write into it (sort, partition, quantiles, the split family, softmax, "
              "...: the gradient is right but comes back as a NumPy array, computed eagerly), and rules whose "
              "templates use what Dask lacks: NumPy-only keywords (`np.reshape(..., order=)`), `np.add.at` "
              "(tile, repeat, pad, take with repeated indices), determinants and some `tensordot` axes. "
              "On `array_api_strict` only rules written with operators and the runtime helpers are generic: "
              "the other templates call `np.*` functions, which convert a strict array to NumPy, and the strict "
              "array then refuses to mix with the NumPy result (a TypeError at run time). Making those generic "
              "needs the generated code to call the argument's namespace instead of `np`. An index that repeats "
              "an element, read from a Dask or array-API array, is refused at the user's line (its gradient "
              "needs a scatter-add, which they do not have).", ""]
    return lines


if __name__ == "__main__":
    print(rules_table())
