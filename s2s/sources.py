"""Functions whose source is not in a file: ``source=`` and ``@s2s.function``.

s2s reads a function's source. ``inspect`` finds it for functions defined in
files and in notebook cells, but not for code run by ``exec`` or typed at the
plain Python prompt. There, give the source yourself::

    df = s2s.grad(f, source="def f(x):\\n    return x * x\\n")

or decorate the function where it is defined; the decorator captures its
source (from the string ``exec`` runs, or from the prompt's history)::

    @s2s.function
    def f(x):
        return x * x

parse (s2s/parse.py) reads every source through ``getsourcelines`` here.
"""
import inspect
import sys
import textwrap
import weakref

from ._typing import Function, Optional  # the public API's types (s2s ships py.typed)

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
