"""Functions whose source is not in a file, and ``s2s.explain``.

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
import inspect
import sys
import textwrap
import weakref
from ._typing import Any, Function, Optional, Wrt  # the public API's types (s2s ships py.typed)

_SOURCES = weakref.WeakKeyDictionary()   # function -> (source lines, first line number)


def set_source(fn, source):
    """Use ``source`` (the text of fn's ``def``) when s2s reads ``fn``."""
    fn = getattr(fn, "__func__", fn)
    text = textwrap.dedent(source)
    if not text.endswith("\n"):
        text += "\n"
    lines = text.splitlines(True)
    name = getattr(fn, "__name__", None)
    start = 1
    for i, line in enumerate(lines):   # the def (or its decorators) of fn within a longer text
        if line.lstrip().startswith((f"def {name}(", f"async def {name}(")):
            j = i
            while j > 0 and lines[j - 1].lstrip().startswith("@"):
                j -= 1
            block = inspect.getblock(lines[j:])
            lines, start = lines[j:j + len(block)], j + 1
            break
    code = getattr(fn, "__code__", None)
    if code is not None and code.co_filename.startswith("<"):
        start = code.co_firstlineno   # errors then name the line of the exec'd string / prompt entry
    _SOURCES[fn] = (lines, start)
    return fn


def with_source(fn, source):
    """fn, with ``source`` (when given) as the text s2s reads for it."""
    return fn if source is None else set_source(fn, source)


def getsourcelines(fn):
    """``inspect.getsourcelines``, knowing sources given with ``source=`` or ``@s2s.function``."""
    try:
        hit = _SOURCES.get(fn)
    except TypeError:
        hit = None
    if hit is not None:
        return list(hit[0]), hit[1]
    return inspect.getsourcelines(fn)


def getsource(fn):
    return "".join(getsourcelines(fn)[0])


def function(f: Optional[Function] = None, *, source: Optional[str] = None) -> Function:
    """Decorator: capture ``f``'s source where ``inspect`` cannot find it (exec, the REPL).

    ``source=`` gives it explicitly. Functions in files and notebook cells need no
    decorator; it leaves them unchanged (for example, code a framework runs with
    ``exec``).

    Examples:
        >>> import s2s
        >>> code = "@s2s.function\\ndef cube(x):\\n    return x ** 3\\n"
        >>> ns = {"s2s": s2s}
        >>> exec(code, ns)                  # no file: inspect alone cannot find cube's source
        >>> s2s.grad(ns["cube"])(2.0)
        12.0
    """
    def capture(fn):
        if source is not None:
            return set_source(fn, source)
        try:
            inspect.getsourcelines(fn)
            return fn
        except (OSError, TypeError):
            pass
        text = _from_exec(fn) or _from_history(fn)
        if text is None:
            from .errors import DifferentiationError
            raise DifferentiationError(
                f"s2s cannot find the source of {fn.__name__!r} (defined in {fn.__code__.co_filename}). "
                f"Give it: @s2s.function(source=...) or s2s.grad({fn.__name__}, source=...).")
        return set_source(fn, text)
    return capture if f is None else capture(f)


def _from_exec(fn):
    """The string an ``exec`` running fn's definition was given, found on the stack."""
    name, filename = fn.__name__, fn.__code__.co_filename
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename == filename:   # the exec'd code: its caller holds the string
            caller = frame.f_back
            for scope in (caller.f_locals, caller.f_globals) if caller is not None else ():
                for value in scope.values():
                    if isinstance(value, str) and f"def {name}(" in value:
                        lines = value.splitlines(True)
                        first = fn.__code__.co_firstlineno
                        if first <= len(lines) and name in "".join(lines[first - 1:first + 5]):
                            return "".join(lines[first - 1:])
                        return value
            # exec(compile(...)) or a literal argument: the caller's source line holds it
        frame = frame.f_back
    return None


def _from_history(fn):
    """The prompt's history holds the lines typed at the plain REPL."""
    if fn.__code__.co_filename != "<stdin>":
        return None
    try:
        import readline
    except ImportError:
        return None
    n = readline.get_current_history_length()
    lines = [readline.get_history_item(i) or "" for i in range(1, n + 1)]
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].lstrip().startswith(f"def {fn.__name__}("):
            j = i
            while j > 0 and lines[j - 1].lstrip().startswith("@"):
                j -= 1
            block = []
            for k, line in enumerate(lines[j:]):
                if k > i - j and line and not line[0].isspace():
                    break
                block.append(line + "\n")
            return "".join(block)
    return None


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
    return np.ravel(np.asarray(x, dtype=float))


def cannot_affect(fn):
    """Parameters of fn from which no data flows to its output (s2s's activity analysis)."""
    import gast

    from . import analyze
    from .normalize import normalize
    from .parse import param_names, parse_function
    ctx = parse_function(fn)
    core, _ = normalize(ctx)
    params = param_names(core)
    last = core.body[-1] if core.body else None
    if not (isinstance(last, gast.Return) and isinstance(last.value, gast.Name)):
        return []
    active, _ = analyze.varied_and_useful(core, tuple(params), last.value.id, ctx)
    return [p for p in params if p not in active]
