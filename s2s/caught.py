"""A ``try`` whose ``except`` clause runs: refused at run time, naming the user's line (issue 11 item 9).

A try whose body is simple statements without effects is differentiated along the path it takes
(s2s/try_paths.py) and has no region here. For the others, s2s differentiates
``try``/``except``/``else``/``finally`` along the path where the try body does not
raise (s2s/lowering.py ``lower_try``: the body, then ``else``, then ``finally``, every value of the body
kept so that it runs, and may raise, in the generated code as in the primal). When the body raises an
exception one of its handlers catches, the primal runs that handler, which the generated code has not
differentiated: that exception must not leave the generated code as it is (a caller may catch it and
take another path) nor be taken for an error of the user's program. So:

- ``record`` (called by the lowering) keeps, on the function's context, each try body's lines and the
  classes its handlers catch: ``(file label, first line, last line, try line, classes)``; the body of a
  ``with contextlib.suppress(E):`` is such a region too (the lowering keeps its values, as a try body's);
- ``wrap`` (called by codegen) puts the body of a generated function that has such regions into
  ``try: ... except Exception as exc: refuse_caught(exc, <the regions>); raise``;
- ``refuse_caught`` raises a DifferentiationError naming the line that raised (and the ``try``) when the
  exception passes through the generated function at a statement of one of those try bodies (its
  ``# file.py:12`` comment names the user's line) and a handler of that try catches it; any other
  exception goes on unchanged.

Code generated from generated code (hvp: forward mode over a gradient) keeps the regions of the code it
comes from: ``record`` reads them back from that code's wrapper, and its comments name the user's lines.
The except path itself is not differentiated.
"""
import ast
import copy
import linecache
import os
import re

import gast

from .control import _place
from .errors import DifferentiationError
from . import astutil

_COMMENT = r"#\s*(\S+):(\d+)\s*$"   # the ``# file.py:12`` comment of a generated statement


def _label(ctx):
    return os.path.basename(ctx.filename) if not ctx.filename.startswith("<") else ctx.filename


def _classes(ctx, t):
    """The exception classes handler type ``t`` names (BaseException for a bare ``except`` or one s2s
    cannot resolve: refusing more often, never less)."""
    if t is None:
        return [BaseException]
    if isinstance(t, gast.Tuple):
        return [c for e in t.elts for c in _classes(ctx, e)]
    obj = ctx.resolve(t)
    return [obj] if isinstance(obj, type) and issubclass(obj, BaseException) else [BaseException]


def _regions(ctx):
    regions = getattr(ctx, "try_regions", None)
    if regions is None:
        regions = []
        ctx.try_regions = regions
    return regions


def record(ctx, s):
    """Keep the region of try statement ``s`` (with handlers) on ``ctx`` (``add``); True when ``s`` is the wrapper
    ``wrap`` put around generated code (its regions are kept and the wrapper itself is dropped)."""
    regions = _regions(ctx)
    copied = _wrapper_regions(ctx, s)
    if copied is not None:
        regions.extend(r for r in copied if r not in regions)
        return True
    add(ctx, s, [c for h in s.handlers for c in _classes(ctx, h.type)])
    return False


def is_wrapper(ctx, s):
    """True when try statement ``s`` is the wrapper ``wrap`` put around generated code."""
    return _wrapper_regions(ctx, s) is not None


def add(ctx, s, classes):
    """Keep the region of statement ``s`` (a ``try``, or a ``with contextlib.suppress(...)``): the lines of
    its body, where an exception of one of ``classes`` runs a path s2s has not differentiated."""
    regions = _regions(ctx)
    last = max(getattr(st, "end_lineno", None) or st.lineno for st in s.body)
    region = (_label(ctx), ctx.line_offset + s.body[0].lineno, ctx.line_offset + last, ctx.line_offset + s.lineno,
              tuple(classes))
    if region not in regions:
        regions.append(region)


def suppressed(ctx, call):
    """The exception classes ``contextlib.suppress(...)`` call ``call`` suppresses."""
    return [c for a in call.args for c in _classes(ctx, a)]


def _wrapper_regions(ctx, s):
    """The regions of ``wrap``'s ``try`` statement ``s`` in generated code, or None for another try."""
    if len(s.handlers) != 1 or not s.handlers[0].body:
        return None
    first = s.handlers[0].body[0]
    if not (isinstance(first, gast.Expr) and isinstance(first.value, gast.Call)
            and ctx.resolve(first.value.func) is refuse_caught and len(first.value.args) == 2):
        return None
    out = []
    for r in first.value.args[1].elts:
        label, lo, hi, at, classes = r.elts
        classes = tuple(c for e in classes.elts for c in _classes(ctx, e))
        out.append((label.value, lo.value, hi.value, at.value, classes))
    return out


def wrap(fn_node, ns):
    """``fn_node`` (a generated FunctionDef) with its body in the ``try`` that calls ``refuse_caught``, when
    its function has try regions; else ``fn_node`` itself."""
    ctx = ns.ctx
    regions = getattr(ctx, "try_regions", None) if ctx is not None else None
    if not regions:
        return fn_node

    def name(id_, store=False):
        return gast.Name(id=id_, ctx=gast.Store() if store else gast.Load(), annotation=None, type_comment=None)

    def const(v):
        return gast.Constant(value=v, kind=None)

    literal = gast.Tuple(elts=[gast.Tuple(elts=[const(label), const(lo), const(hi), const(at), gast.Tuple(
        elts=[name(ns.ref(c.__name__, c)) for c in classes], ctx=gast.Load())], ctx=gast.Load())
        for label, lo, hi, at, classes in regions], ctx=gast.Load())
    exc = ns.namer.name("exc")
    call = gast.Call(func=name(ns.ref("refuse_caught", refuse_caught)), args=[name(exc), literal], keywords=[])
    handler = gast.ExceptHandler(type=name("Exception"), name=name(exc, True),
                                 body=[gast.Expr(value=call), gast.Raise(exc=None, cause=None)])
    out = copy.copy(fn_node)
    out.body = [gast.Try(body=fn_node.body, handlers=[handler], orelse=[], finalbody=[])]
    return out


def refuse_caught(exc, regions):
    """Raise a DifferentiationError when ``exc``, passing through the generated function that caught it,
    comes from a statement of a try body in ``regions`` whose handlers catch it; else return (the
    generated code re-raises ``exc``)."""
    if isinstance(exc, DifferentiationError) or exc.__traceback__ is None:
        return
    tb = exc.__traceback__
    where = _user_place(tb.tb_frame.f_code.co_filename, tb.tb_lineno)
    if where is None:
        return
    label, line = where
    hits = [r for r in regions if r[0] == label and r[1] <= line <= r[2] and isinstance(exc, r[4])]
    if not hits:
        return
    _, _, _, at, _ = min(hits, key=lambda r: r[2] - r[1])   # the innermost try: the one that catches it
    raise DifferentiationError(
        _place(label, line) + f"this line raised {type(exc).__name__} ({exc}) in the generated code, which line {at} "
        "catches (an `except` clause of its `try`, or its `contextlib.suppress`): your function takes its except "
        "path here. s2s differentiates a `try` only along the path where its body does not raise; the except "
        "path is not differentiated.\n"
        "Avoid the exception for these inputs (test the condition with an `if` before the call instead of "
        "catching the error), or move the try/except outside the differentiated function.") from exc


def _user_place(filename, lineno):
    """(file label, user line) that the generated statement running at ``lineno`` of ``filename`` names in
    its ``# file.py:12`` comment, or None."""
    lines = linecache.getlines(filename)
    if not lines:
        return None
    try:
        tree = ast.parse("".join(lines))
    except SyntaxError:
        return None
    best = None
    for node in astutil.walk_bfs(tree):
        if isinstance(node, ast.stmt) and node.lineno <= lineno <= (node.end_lineno or node.lineno):
            if best is None or (node.end_lineno - node.lineno) < (best.end_lineno - best.lineno):
                best = node
    if best is None:
        return None
    body = getattr(best, "body", None)
    last = body[0].lineno - 1 if isinstance(body, list) and body and isinstance(body[0], ast.stmt) \
        else best.end_lineno
    for at in range(last, best.lineno - 1, -1):
        m = re.search(_COMMENT, lines[at - 1]) if 0 < at <= len(lines) else None
        if m is not None:
            return m.group(1), int(m.group(2))
    return None
