"""DifferentiationError: the one error users see when s2s cannot differentiate."""
import functools
import linecache
import os
from typing import Any, Callable, TypeVar


class DifferentiationError(Exception):
    """A function (or a statement in it) that s2s cannot differentiate.

    The message names the user's file, line and source text, and says what
    to do about it. It is raised when the gradient is generated, before
    any of your code runs.

    Examples:
        >>> import s2s
        >>> def f(x):
        ...     global G
        ...     G = x
        ...     return G * G
        >>> try:
        ...     s2s.grad(f)
        ... except s2s.DifferentiationError as e:
        ...     print(str(e).splitlines()[1].strip())
        G = x
    """


def where(node, ctx):
    """'File "f.py", line 12, in loss:\\n    y = foo(x)' for a node of ctx's function."""
    if ctx is None:
        return ""
    lineno = getattr(node, "lineno", None)
    if lineno is None:
        return f'File "{ctx.filename}", in {ctx.name}'
    line = ctx.line_offset + lineno
    text = linecache.getline(ctx.filename, line).strip()
    if not text and ctx.source_lines and 0 < lineno <= len(ctx.source_lines):
        text = ctx.source_lines[lineno - 1].strip()
    loc = f'File "{ctx.filename}", line {line}, in {ctx.name}'
    inlined = getattr(node, "s2s_inlined", None)   # code of a callee s2s inlined here: its own line next
    if inlined:
        file, at, name = inlined
        there = linecache.getline(file, at).strip()
        loc += (f"\n    {text}" if text else "") + f'\nFile "{file}", line {at}, in {name}'
        text = there
    return loc + (f"\n    {text}" if text else "") + _user_line(text)


def _user_line(text):
    """For a line of generated code (hvp and hessians differentiate a generated gradient), the user's line
    it came from, which its ``# file.py:17`` comment names: '\nFile "/path/file.py", line 17\n    y = f(x)'."""
    import re
    import sys
    m = re.search(r"#\s*([\w.-]+\.py):(\d+)\s*$", text or "")
    if m is None:
        return ""
    for mod in list(sys.modules.values()):
        path = getattr(mod, "__file__", None) or ""
        if path.endswith("/" + m.group(1)) or path == m.group(1):
            there = linecache.getline(path, int(m.group(2))).strip()
            return f'\nFile "{path}", line {m.group(2)}' + (f"\n    {there}" if there else "")
    return ""


def error(node, ctx, message, hint=None):
    """Build a DifferentiationError located at node."""
    parts = [where(node, ctx), message]
    if hint:
        parts.append(hint)
    e = DifferentiationError("\n".join(p for p in parts if p))
    # read by s2s/control.py (a refusal inside an if branch)
    e.s2s_where = (getattr(getattr(ctx, "fn", None), "__code__", None), getattr(node, "lineno", None))
    return e


_F = TypeVar("_F", bound=Callable[..., Any])

# keywords of JAX's and autograd's transforms that s2s spells differently or does not need: what to write
_THEIR_KEYWORDS = {
    "argnums": "s2s calls it wrt=: {name}(f, wrt=1), wrt=(0, 1), or a parameter's name, wrt=\"w\"",
    "argnum": "s2s calls it wrt=: {name}(f, wrt=1), wrt=(0, 1), or a parameter's name, wrt=\"w\"",
    "has_aux": "{name} has no has_aux; s2s.grad and s2s.value_and_grad take has_aux=True (f returns "
               "(output, aux)). Here, return only the output, or differentiate a function of f's own parameters "
               "that returns it: lambda w, X: f(w, X)[0]",
    "holomorphic": "s2s differentiates real functions (a complex input or output is refused): there is no "
                   "holomorphic mode. Drop the keyword, and split a complex value into its real and imaginary parts",
    "allow_int": "s2s needs no allow_int: an int argument is differentiated as a float (its gradient is a "
                 "float, as s2s.grad's documentation says). Drop the keyword",
    "reduce_axes": "s2s has no reduce_axes (JAX removed it too): sum the gradient yourself (np.sum(g, axis=...))",
}


def _other_libraries_keyword(name, unknown, known):
    """A TypeError, as Python's, for a keyword ``name`` does not take, saying what s2s calls it if it is one of
    JAX's or autograd's; nothing for other names (Python's own TypeError follows)."""
    for key in sorted(unknown):
        hint = _THEIR_KEYWORDS.get(key)
        if hint is not None:
            raise TypeError(f"{name}() got an unexpected keyword argument {key!r}: " + hint.format(name=f"s2s.{name}")
                            + f". Its keywords: {', '.join(k for k in known if k != 'f')}.")

DifferentiationError.__module__ = "s2s"   # tracebacks say s2s.DifferentiationError, as users import it


def debugging():
    """True when ``S2S_DEBUG`` asks for s2s's own frames in tracebacks (debugging s2s itself)."""
    return os.environ.get("S2S_DEBUG", "") not in ("", "0")


def user_facing(entry: _F) -> _F:
    """Decorate a public entry point (grad, jvp, ...): a DifferentiationError raised inside
    s2s reaches the caller without s2s's internal frames and chained exceptions (its message
    already names the user's file and line). ``S2S_DEBUG=1`` keeps the full traceback.

    Called without a function (``@s2s.grad(wrt=1)``), the returned decorator is trimmed too.
    """
    import inspect
    known = list(inspect.signature(entry).parameters)

    @functools.wraps(entry)
    def public(*args, **kwargs):
        if kwargs and not kwargs.keys() <= set(known):
            _other_libraries_keyword(entry.__name__, set(kwargs) - set(known), known)
        try:
            out = entry(*args, **kwargs)
        except DifferentiationError as e:
            if debugging():
                raise
            raise e.with_traceback(None) from None   # S2S_DEBUG=1 shows s2s's own frames
        if (args[0] if args else kwargs.get("f")) is None and callable(out):
            return user_facing(out)
        return out
    return public  # type: ignore[return-value]
