"""DifferentiationError: the one error users see when s2s cannot differentiate."""
import linecache


class DifferentiationError(Exception):
    """A function (or a statement in it) that s2s cannot differentiate.

    The message names the user's file, line and source text, and says what
    to do about it.
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
    return loc + (f"\n    {text}" if text else "")


def error(node, ctx, message, hint=None):
    """Build a DifferentiationError located at node."""
    parts = [where(node, ctx), message]
    if hint:
        parts.append(hint)
    return DifferentiationError("\n".join(p for p in parts if p))
