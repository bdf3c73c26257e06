"""Values that pass through text: ``float(str(v))``, ``float(f"{v}")``, ``np.float64("%f" % v)``.

A string carries no derivative (s2s/analyze.py ``diff_reads``: an f-string, ``str(v)``, ``"%f" % v`` and
``"{}".format(v)`` read no derivative), which is right for printing and logging. But when such a string,
made from a value that carries a derivative, is turned back into a number that reaches the output, the
number's derivative is lost: the gradient would be silently wrong (zero through that path). ``check``
refuses that at the user's line, in every mode (both transforms build their ``Facts``, s2s/facts.py, which
calls it).

How: the activity is computed a second time with strings carrying derivatives (``relaxed``). The names that
depend on a ``wrt`` parameter only then, and reach an output, lost their derivative in a string. Those that
are text (the strings, and what string operations make of them: ``s.strip()``, ``s.split(",")``,
``parts[1]``, ``s + "0"``) only carry the number on; the first that is not text is where the string became a
number again, which is refused. A lost string that is itself an output (a helper returning ``str(v)`` to a
caller that converts it) is refused too.
"""
import gast
import numpy as np

from . import analyze

# functions whose result is the text of their argument (their rules say: no derivative, s2s/templates/pymath.py)
TEXT_FUNCTIONS = (str, repr, ascii, format, np.array2string, np.array_repr, np.array_str,
                  np.format_float_positional, np.format_float_scientific)
# functions that keep text text (a list of strings is text here: its items are strings)
KEEP_TEXT = (str, list, tuple, sorted, reversed, set, frozenset)
# methods of str and bytes whose result is text again (a string or a list of strings)
TEXT_METHODS = frozenset({
    "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "partition", "rpartition", "replace",
    "upper", "lower", "title", "capitalize", "casefold", "swapcase", "center", "ljust", "rjust", "zfill",
    "expandtabs", "removeprefix", "removesuffix", "translate", "format", "format_map", "join", "encode",
    "decode", "copy"})


def _text_function(obj):
    try:
        return any(obj is f for f in TEXT_FUNCTIONS)
    except TypeError:
        return False


def makes_text(value, ctx):
    """True for an expression that makes a string of the values it reads (an f-string, ``str(v)``,
    ``repr(v)``, ``format(v)``, ``"%f" % v``, ``"{}".format(v)``, ``np.array2string(x)``)."""
    if isinstance(value, (gast.JoinedStr, gast.FormattedValue)):
        return True
    if isinstance(value, gast.BinOp) and isinstance(value.op, gast.Mod):
        return analyze._is_text(value.left, ctx)
    if isinstance(value, gast.Call):
        kind, key = analyze.callee(value, ctx)
        if analyze._string_method(value, key):
            return True
        return kind == "global" and _text_function(key)
    return False


TEXT = "text"   # the kind of a string (or a list of strings); a container holding some is a dict {key: kind}
_DEPTH = 3


def _S2S_HELPERS():
    """The helpers normalize calls that keep what their arguments hold: ``concat(a, b)`` (``a + b`` of lists,
    first) and the copies of a value."""
    from . import containers, runtime
    return (containers.concat, runtime.copy_value, runtime.copy_deep)


def _join(a, b, depth=0):
    if a is None or a == b:
        return b
    if b is None:
        return a
    if a == TEXT or b == TEXT or depth >= _DEPTH:
        return TEXT
    return {k: _join(a.get(k), b.get(k), depth + 1) for k in set(a) | set(b)}


def _item(kind, key):
    """The kind of ``x[key]`` for ``x`` of ``kind`` (``key``: a constant, or None when not known)."""
    if kind is None or kind == TEXT:
        return kind
    if key is not None and key in kind:
        return _join(kind[key], kind.get("*"))
    out = kind.get("*")
    if key is None or not isinstance(key, (int, str)) or isinstance(key, int) and "*" in kind:
        for v in kind.values():
            out = _join(out, v)
    return out


def _holds(items):
    kind = {k: v for k, v in items if v is not None}
    return kind or None


class _Kinds:
    """Which names hold text made from a value that lost its derivative, or containers holding such text."""

    def __init__(self, ctx, varied):
        self.ctx, self.varied, self.kinds = ctx, varied, {}

    def of(self, value):
        """The kind of ``value``, or "convert": it makes something else of text (a number, say)."""
        kinds = self.kinds
        if isinstance(value, gast.Name):
            return kinds.get(value.id)
        if isinstance(value, gast.Constant):
            return None
        reads = analyze.names_in(value)
        if makes_text(value, self.ctx):
            return TEXT if reads & self.varied or any(kinds.get(n) is not None for n in reads) else None
        if not any(kinds.get(n) is not None for n in reads):
            return None
        if isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name):
            key = value.slice.value if isinstance(value.slice, gast.Constant) else None
            return _item(kinds.get(value.value.id), key)
        if isinstance(value, (gast.Tuple, gast.List, gast.Set)):
            return _holds((i, self.of(e)) for i, e in enumerate(value.elts))
        if isinstance(value, gast.Dict):
            return _holds((k.value if isinstance(k, gast.Constant) else "*", self.of(v))
                          for k, v in zip(value.keys, value.values))
        if isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Add, gast.Mult, gast.Mod)):
            left, right = self.of(value.left), self.of(value.right)
            if TEXT in (left, right):
                return TEXT
            if isinstance(left, dict) or isinstance(right, dict):   # [a, b] + [c]: one list
                return {"*": _join(_item(left, None), _item(right, None))}
        if isinstance(value, gast.Call):
            func = value.func
            if isinstance(func, gast.Attribute) and func.attr in TEXT_METHODS \
                    and isinstance(func.value, gast.Name) and kinds.get(func.value.id) == TEXT:
                return TEXT
            kind, key = analyze.callee(value, self.ctx)
            if kind == "global" and key in _S2S_HELPERS():   # lists + lists, copies (normalize's helpers)
                parts = [self.of(a) for a in value.args]
                if "convert" not in parts:
                    out = None
                    for p in parts:
                        out = _join(out, p)
                    return out if out in (None, TEXT) or key is not _S2S_HELPERS()[0] else {"*": _item(out, None)}
            try:
                keeps = kind == "global" and any(key is f for f in KEEP_TEXT)
            except TypeError:
                keeps = False
            if keeps and len(value.args) == 1 and not value.keywords:
                arg = self.of(value.args[0])
                return arg if arg == TEXT or arg is None else {"*": _item(arg, None)}
        if not any(kinds.get(n) is not None for n in analyze.diff_reads(value, self.ctx)):
            return None   # len(s), s == "1.0": no derivative flows from the text
        return "convert"

    def bind(self, name, kind):
        new = _join(self.kinds.get(name), kind)
        if new != self.kinds.get(name):
            self.kinds[name] = new
            return True
        return False


def _propagate(pairs, start):
    out = set(start)
    changed = True
    while changed:
        changed = False
        for targets, sources in pairs:
            if sources & out and not targets <= out:
                out |= targets
                changed = True
    return out



def check(fn, ctx, pairs, wrt, outputs, varied):
    """Refuse (DifferentiationError at the user's line) a string made from a value carrying a derivative that
    becomes a number reaching one of ``outputs`` again. ``pairs``: the mode's data flow (analyze.flows),
    ``varied``: the names depending on a ``wrt`` parameter over it."""
    stmts = list(analyze._walk_stmts(fn.body))
    makers = [s for s in stmts if isinstance(s, gast.Assign) and len(s.targets) == 1
              and isinstance(s.targets[0], gast.Name) and makes_text(s.value, ctx)]
    if not makers:
        return
    relaxed = list(pairs) + [({s.targets[0].id}, analyze.names_in(s.value)) for s in makers]
    relaxed_varied = _propagate(relaxed, wrt)
    lost = relaxed_varied - set(varied)
    if not lost:
        return
    useful = analyze.useful(fn, set(outputs), ctx, relaxed)
    if not lost & useful:
        return
    kinds = _Kinds(ctx, relaxed_varied)
    origin, convert = {}, []
    changed = True
    while changed:   # (a fixpoint: the statements of a loop see what later ones bind)
        changed = False
        for s in stmts:
            found = _binding(s, kinds)
            if found is None:
                continue
            name, kind = found
            if kind == "convert":
                if name in useful and s not in convert:
                    convert.append(s)
            elif kind is not None and kinds.bind(name, kind):
                changed = True
                if name not in origin or makes_text(getattr(s, "value", None), ctx):
                    origin[name] = s
    first = min(origin.values(), key=_position, default=None)
    for s in sorted(convert, key=_position):
        read = sorted(n for n in analyze.names_in(s.value) if kinds.kinds.get(n) is not None)
        raise _refusal(s, _made(read, origin, ctx) or first, ctx, relaxed_varied)
    for name in outputs:
        if kinds.kinds.get(name) == TEXT and name in lost:
            raise _refusal(None, _made([name], origin, ctx) or first, ctx, relaxed_varied)


def _binding(s, kinds):
    """(name, kind) a statement binds: an assignment, an item's (``d["s"] = t``), a list's ``append``."""
    if isinstance(s, gast.Assign) and len(s.targets) == 1:
        t, kind = s.targets[0], kinds.of(s.value)
        if isinstance(t, gast.Name):
            return t.id, kind
        if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name) and kind != "convert":
            key = t.slice.value if isinstance(t.slice, gast.Constant) else "*"
            return t.value.id, _holds([(key, kind)])
        return None
    if isinstance(s, gast.Expr) and isinstance(s.value, gast.Call) and isinstance(s.value.func, gast.Attribute) \
            and isinstance(s.value.func.value, gast.Name) and s.value.args \
            and s.value.func.attr in ("append", "extend", "insert", "add"):
        item = kinds.of(s.value.args[-1])
        if item == "convert":
            return None
        if s.value.func.attr == "extend" and item not in (None, TEXT):
            item = _item(item, None)
        return s.value.func.value.id, _holds([("*", item)])
    return None


def _made(names, origin, ctx):
    """The statement that made the text the names hold (following copies back to a maker)."""
    seen, todo, first = set(), list(names), None
    while todo:
        n = todo.pop(0)
        s = origin.get(n)
        if n in seen or s is None:
            continue
        seen.add(n)
        value = getattr(s, "value", None)
        reads = sorted(analyze.names_in(value))
        if makes_text(value, ctx):
            first = first or s
            if not any(r in origin for r in reads):   # ("".join(parts): the text parts holds was made before)
                return s
        todo.extend(reads)
    return first


def _position(s):
    return getattr(s, "lineno", 0) or 0, getattr(s, "col_offset", 0) or 0


def _line(node, ctx):
    lineno = getattr(node, "lineno", None)
    if lineno is None:
        return "", ""
    text = ctx.source_lines[lineno - 1].strip() if ctx.source_lines and 0 < lineno <= len(ctx.source_lines) else ""
    return f"line {ctx.line_offset + lineno}", text


def _reads(value):
    """The names whose values ``value`` reads (not a called function's name)."""
    if isinstance(value, gast.Call):
        parts = list(value.args) + [k.value for k in value.keywords]
        if isinstance(value.func, gast.Attribute):
            parts.append(value.func.value)
        return set().union(set(), *(analyze.names_in(p) for p in parts))
    return analyze.names_in(value)


def _refusal(stmt, made, ctx, varied):
    """The error for the string ``made`` (its statement) turned back into a number at ``stmt`` (None: returned)."""
    from .parse import local_names
    try:
        users = local_names(ctx.node)
    except Exception:
        users = set()
    source = "".join(ctx.source_lines or ())
    reads = sorted(n for n in _reads(made.value) & varied if n in users and n in source) if made is not None else []
    value = reads[0] if reads else None
    what = f"`{value}`" if value else "a value that carries a derivative"
    at, src = _line(made, ctx) if made is not None else ("", "")
    same = stmt is not None and getattr(stmt, "lineno", None) == getattr(made, "lineno", None)
    where_made = f" (made at {at}: `{src}`)" if at and src and stmt is not None and not same else ""
    if stmt is None:
        message = (f"a string made from {what} here is turned back into a number (or returned to a caller that does "
                   "so): a value that passes through a string (str, repr, format, an f-string, %) loses its "
                   "derivative, so the gradient would be wrong (zero through the string).")
    else:
        message = (f"this turns a string made from {what}{where_made} back into a number: a value that passes "
                   "through a string (str, repr, format, an f-string, %) loses its derivative, so the gradient "
                   "would be wrong (zero through the string).")
    number = value or "v"
    hint = (f"Use the number itself: `float({number})` instead of `float(str({number}))` or `float(f\"{{{number}}}\")`"
            "; a string is fine for printing and logging. To use the value without its derivative on purpose, "
            f"write `s2s.stop_gradient({number})`.")
    return ctx.error(made if stmt is None else stmt, message, hint)
