"""``s2s.explain``, and (from s2s/sources.py) functions whose source is not in a file.

s2s reads a function's source. ``inspect`` finds it for functions defined in
files and in notebook cells, but not for code run by ``exec`` or typed at the
plain Python prompt. There, give the source yourself::

    df = s2s.grad(f, source="def f(x):\\n    return x * x\\n")

or decorate the function where it is defined; the decorator captures its
source (from the string ``exec`` runs, or from the prompt's history)::

    @s2s.function
    def f(x):
        return x * x

``s2s.explain(f, *args)`` prints what a puzzled user wants to see first: the
primal, the generated gradient, a finite-difference check at ``args``, and
the inputs that cannot affect the output.
"""
import sys
import textwrap
from ._typing import Any, Function, Wrt  # the public API's types (s2s ships py.typed)

# the sources given with source= / @s2s.function live in s2s/sources.py (parse reads them there)
from .sources import _SOURCES, _from_exec, _from_history, function, getsource, getsourcelines, set_source, \
    with_source  # noqa: F401,E402


# ---------------------------------------------------------------- explain

def explain(f: Function, *args: Any, wrt: Wrt = 0, file: Any = None, **kwargs: Any) -> dict:
    """Print f's source, its generated gradient, a finite-difference check at ``args``, and
    the inputs that cannot affect the output. Returns the check as a dict (``ok``,
    ``gradient``, ``numeric``, ``inactive``). ``file``: where to print (default stdout).

    Examples:
        >>> import s2s
        >>> def f(x, y):
        ...     return x * x
        >>> report = s2s.explain(f, 3.0, 2.0)     # doctest: +ELLIPSIS
        == f (...)
        ...
        == inputs that cannot affect the output
        y
        >>> report["ok"]
        True
    """
    import numpy as np

    from .api import grad
    from .compiler import bind_method, wrt_names
    from .numeric import numeric_grad

    out = file or sys.stdout

    def say(*parts):
        print(*parts, file=out)

    func, _ = bind_method(f)
    names = wrt_names(f, wrt)
    code = getattr(func, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code is not None else "?"
    say(f"== {getattr(func, '__qualname__', func)} ({where})")
    try:
        say(textwrap.dedent(getsource(func)).rstrip())
    except (OSError, TypeError) as e:
        say(f"(source not found: {e})")
    g = grad(f, wrt)
    say(f"\n== the gradient s2s generates ({', '.join('d/d' + n for n in names)})")
    say(getattr(getattr(g, "__func__", g), "s2s_source", "").rstrip())
    report = {"wrt": names}
    if args or kwargs:
        analytic = g(*args, **kwargs)
        numeric = numeric_grad(f, wrt)(*args, **kwargs)
        single = len(names) == 1
        pairs = [(names[0], analytic, numeric)] if single else list(zip(names, analytic, numeric))
        say("\n== finite-difference check")
        ok = True
        for name, a, n in pairs:
            a_flat, n_flat = _flat(a), _flat(n)
            if a_flat.shape != n_flat.shape:
                say(f"d/d{name}: shapes differ: s2s {np.shape(a)}, finite differences {np.shape(n)}")
                ok = False
                continue
            err = float(np.max(np.abs(a_flat - n_flat))) if a_flat.size else 0.0
            scale = float(np.max(np.abs(n_flat))) if n_flat.size else 0.0
            good = bool(np.allclose(a_flat, n_flat, rtol=1e-5, atol=1e-6))
            ok &= good
            say(f"d/d{name}: max |s2s - finite differences| = {err:.3g} (largest entry {scale:.3g}): "
                + ("agree" if good else "DISAGREE"))
        report.update(gradient=analytic, numeric=numeric, ok=ok)
    inactive = cannot_affect(func)
    say("\n== inputs that cannot affect the output")
    say(", ".join(inactive) if inactive else "(none: every input can)")
    report["inactive"] = inactive
    return report


def _flat(x):
    import numpy as np
    if isinstance(x, dict):
        return np.concatenate([_flat(x[k]) for k in sorted(x)]) if x else np.zeros(0)
    if isinstance(x, (list, tuple)):
        return np.concatenate([_flat(v) for v in x]) if len(x) else np.zeros(0)
    from .numeric import _fields
    fields = _fields(x)
    if fields is not None:   # a dataclass or plain object: its numeric fields
        vals = [_flat(v) for v in fields.values() if not isinstance(v, (str, bytes, bool, type(None)))]
        return np.concatenate(vals) if vals else np.zeros(0)
    return np.ravel(np.asarray(x, dtype=float))


def cannot_affect(fn):
    """Parameters of fn from which no data flows to its output (s2s's activity analysis, s2s/facts.py)."""
    from . import facts
    from .normalize import normalize
    from .parse import param_names, parse_function
    ctx = parse_function(fn)
    core, _ = normalize(ctx)
    return facts.cannot_affect(core, ctx, param_names(core))
