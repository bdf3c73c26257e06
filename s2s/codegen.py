"""Pass 6, codegen: gast -> ast -> source -> a live function with findable source.

Generated functions are built by a small factory whose parameters carry the
objects templates refer to (numpy, runtime helpers, helper gradients), so
the user's module is never touched; the user's own globals stay live. The
source is kept in memory and registered in ``linecache`` (so
``inspect.getsource``, tracebacks and pdb show it); s2s/cache.py writes it
to the per-user cache directory when it can be reused by later processes.
"""
import ast
import math
import os
import re
import textwrap

import astor
import astor.code_gen
import gast

from . import astutil, cache, caught
from .anno import getanno, ownanno, setanno


class Namespace:
    """Names the generated code uses for objects, never clashing with the user's names."""

    def __init__(self, ctx, namer):
        self.ctx = ctx
        self.namer = namer
        self.bound = {}      # name -> object (factory parameters)
        self.cells = {}      # name -> the user's closure cell, read when the generated code runs

    def bind_closure(self, name):
        """Refer to the user's closure variable ``name``. Data (numbers, arrays, containers) is read
        from the user's own cell when the generated code runs, so rebinding it later (``nonlocal k;
        k = 7``) is seen; a function, class or module stays the object the code was compiled for
        (calls are differentiated for their target)."""
        import types
        value = self.ctx.closure[name]
        self.bound[name] = value
        if not (callable(value) or isinstance(value, types.ModuleType)) and name in self.ctx.cells:
            self.cells[name] = self.ctx.cells[name]

    def ref(self, name, obj):
        """The name under which generated code can refer to ``obj``."""
        for n, o in self.bound.items():
            if o is obj and (n == name or n.startswith(name + "_")):
                return n
        user = self.ctx.resolve_name(name) if name not in self.ctx.locals else None
        if user is obj and name not in self.ctx.closure and name not in self.bound:
            return name      # the user's own (live) global
        if name in self.bound or name in self.ctx.locals or name in self.namer.taken \
                or (name in self.ctx.globals and self.ctx.globals[name] is not obj):
            name = self.namer.name(name)
        else:
            self.namer.reserve(name)
        self.bound[name] = obj
        return name

    def resolve(self, node):
        """The object a Name/Attribute chain in generated code refers to, or None."""
        if isinstance(node, gast.Name):
            if node.id in self.bound:
                return self.bound[node.id]
            obj = self.ctx.resolve_name(node.id)
            return None if obj is _missing() else obj
        if isinstance(node, gast.Attribute):
            base = self.resolve(node.value)
            return None if base is None else getattr(base, node.attr, None)
        return None


def _missing():
    from .parse import _MISSING
    return _MISSING


class _Printer(astor.code_gen.SourceGenerator):
    """astor's printer, with a negative number constant printed at the precedence of the unary minus
    it reads as: ``Constant(-1) ** k`` is ``(-1) ** k`` (astor writes ``-1 ** k``, which Python reads
    as ``-(1 ** k)``). Constant folding and the normalizer make such constants (``-1``, ``-c`` with a
    known ``c``) wherever the user wrote ``(-1)``."""

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, (int, float, complex)) and not isinstance(value, bool) and _signed(value):
            with self.delimit(node, ast.USub()):
                self._handle_numeric_constant(value)
            return
        super().visit_Constant(node)


def _signed(value):
    """Whether astor prints the number ``value`` with a leading minus sign."""
    if isinstance(value, complex):   # astor parenthesizes one with a real part itself
        return value.real == 0 and math.copysign(1.0, value.imag) < 0
    return value < 0 or isinstance(value, float) and math.copysign(1.0, value) < 0


def to_source(fn_node):
    """Python source for a gast FunctionDef."""
    tree = to_ast(gast.Module(body=[fn_node], type_ignores=[]))
    return astor.to_source(tree, pretty_source=lambda parts: "".join(parts),  # no mid-expression line breaks
                           source_generator_class=_Printer)


def to_ast(node):
    """The ``ast`` tree of a gast tree, for astor: what ``gast.gast_to_ast`` gives, without source locations
    (the source is printed, then parsed), about three times faster (it copies every node of the function
    through a NodeTransformer; this is one table lookup a node). gast differs from ``ast`` (Python 3.10+) in
    a parameter (a Name, ``ast.arg`` here), an except handler's name (a Name, a string here) and the
    ``type_params`` of definitions (3.12): the rest is the same classes with the same fields."""
    cls = node.__class__
    special = _TO_AST.get(cls)
    if special is not None:
        return special(node)
    target = _AST_TARGET.get(cls)
    if target is None:
        target = _AST_TARGET[cls] = (getattr(ast, cls.__name__), getattr(ast, cls.__name__)._fields)
    new = target[0]()
    for f in target[1]:
        v = getattr(node, f, None)
        if v.__class__ is list:
            v = [to_ast(e) if isinstance(e, gast.AST) else e for e in v]
        elif isinstance(v, gast.AST):
            v = to_ast(v)
        setattr(new, f, v)
    return new


def _ast_arg(node):
    return None if node is None else ast.arg(arg=node.id, annotation=None if node.annotation is None
                                             else to_ast(node.annotation), type_comment=node.type_comment)


def _ast_arguments(node):
    return ast.arguments(posonlyargs=[_ast_arg(a) for a in node.posonlyargs], args=[_ast_arg(a) for a in node.args],
                         vararg=_ast_arg(node.vararg), kwonlyargs=[_ast_arg(a) for a in node.kwonlyargs],
                         kw_defaults=[None if d is None else to_ast(d) for d in node.kw_defaults],
                         kwarg=_ast_arg(node.kwarg), defaults=[to_ast(d) for d in node.defaults])


def _ast_handler(node):
    return ast.ExceptHandler(type=None if node.type is None else to_ast(node.type),
                             name=node.name.id if node.name else None, body=[to_ast(s) for s in node.body])


_AST_TARGET = {}   # gast class -> (ast class, its fields)
_TO_AST = {gast.arguments: _ast_arguments, gast.ExceptHandler: _ast_handler,
           gast.Name: lambda node: ast.Name(id=node.id, ctx=to_ast(node.ctx))}


def expr_source(node):
    """Python source for a gast expression."""
    return astor.to_source(to_ast(gast.Expression(body=node)), source_generator_class=_Printer).strip()


def from_line(stmts, origin):
    """Mark generated statements ``stmts`` (and the statements nested in them) as coming
    from the user's statement ``origin``, unless they already name a line; returns stmts."""
    line = getanno(origin, "line") or getattr(origin, "lineno", None)
    if line:
        for s in _statements(stmts):
            if ownanno(s, "line") is None:
                setanno(s, "line", line)
    return stmts


def _statements(body):
    for s in body:
        yield s
        for field in ("body", "orelse", "finalbody"):
            sub = getattr(s, field, None)
            if isinstance(sub, list):
                yield from _statements(sub)
        for h in getattr(s, "handlers", None) or ():
            yield from _statements(h.body)


_COMMENT_COLUMN = 40   # comments line up at this column (or after the longest shorter line)


def line_comments(src, fn_node, ctx, parsed=None, offset=0):
    """``src`` (the source of ``fn_node``) with ``# file.py:17`` after each statement that
    comes from a line of the user's function: a traceback through generated code shows it. ``parsed``:
    the ``ast`` FunctionDef of ``src`` if parsed already, its lines ``offset`` lines further down."""
    if ctx is None or not getattr(ctx, "filename", None):
        return src
    if parsed is None:
        try:
            parsed, offset = ast.parse(src).body[0], 0
        except SyntaxError:
            return src
    generated = list(_statements(parsed.body))
    ours = list(_statements(fn_node.body))
    if len(generated) != len(ours):   # astor did not round-trip the statements one to one
        return src
    label = os.path.basename(ctx.filename) if not ctx.filename.startswith("<") else ctx.filename
    of_generated = getattr(getattr(ctx, "fn", None), "s2s_generated", False)
    lines = src.splitlines(True)
    notes = {}
    for g, a in zip(ours, generated):
        line = ownanno(g, "line")
        if line:
            at = (a.body[0].lineno - 1 if getattr(a, "body", None) and isinstance(a.body, list) else a.end_lineno) \
                - 1 - offset
            if of_generated:   # code made from generated code (hvp): the user's line its line names, if any
                text = ctx.source_lines[line - 1] if 0 < line <= len(ctx.source_lines) else ""
                m = re.search(r"#\s*(\S+:\d+)\s*$", text)
                if m is not None:
                    notes.setdefault(at, m.group(1))
            else:
                notes.setdefault(at, f"{label}:{ctx.line_offset + line}")
    if not notes:
        return src
    width = max(len(lines[at].rstrip()) for at in notes)
    width = min(width, max(_COMMENT_COLUMN, min(len(lines[at].rstrip()) for at in notes)))
    for at, where in notes.items():
        lines[at] = f"{lines[at].rstrip().ljust(width)}  # {where}\n"
    return "".join(lines)


def compile_function(fn_node, ns, primal=None):
    """Compile ``fn_node`` into a function object; returns (function, source)."""
    fn_node = caught.wrap(fn_node, ns)   # a try whose except clause runs: refused, naming the line (s2s/caught.py)
    src = to_source(fn_node)
    params = sorted(ns.bound)
    header = f"def __s2s_factory__({', '.join(params)}):\n"
    footer = f"    return {fn_node.name}\n"
    tree = ast.parse(header + textwrap.indent(src, "    ") + footer)   # parsed once: the line comments and compile
    src = line_comments(src, fn_node, ns.ctx, tree.body[0].body[0], 1)   # (comments: same lines, same columns)
    full = header + textwrap.indent(src, "    ") + footer
    filename = cache.source_file(fn_node.name, full, primal)   # in memory + linecache; on disk once cached
    code = compile(tree, filename, "exec")
    globals_ = primal.__globals__ if primal is not None and hasattr(primal, "__globals__") else {}
    scope = {}
    exec(code, globals_, scope)
    fn = scope["__s2s_factory__"](*[ns.bound[p] for p in params])
    fn.__qualname__ = fn.__name__   # a wrong call's TypeError names df_dx(), not __s2s_factory__.<locals>.df_dx()
    if ns.cells and fn.__closure__:   # share the user's cells: closure variables are read at call time
        fn = rebind_cells(fn, ns.cells)
    fn.s2s_generated = True
    fn.s2s_namespace = dict(ns.bound)
    fn.s2s_globals = free_globals(fn_node, ns)
    fn.__module__ = getattr(primal, "__module__", None)
    return fn, src


def rebind_cells(fn, cells):
    """``fn`` with its closure cells for the names in ``cells`` replaced by those cells."""
    import types
    closure = tuple(cells.get(name, cell) for name, cell in zip(fn.__code__.co_freevars, fn.__closure__))
    new = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, closure)
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__dict__.update(fn.__dict__)
    new.__qualname__ = fn.__qualname__
    new.__module__ = fn.__module__
    return new


def free_globals(fn_node, ns):
    """Names the generated function reads from its module's globals."""
    bound = set(ns.bound)
    local, reads = set(), set()
    for n in astutil.walk(fn_node):
        if type(n) is gast.Name:
            if isinstance(n.ctx, gast.Load):
                reads.add(n.id)
            elif isinstance(n.ctx, (gast.Store, gast.Param)):
                local.add(n.id)
    local |= {a.id for a in fn_node.args.args + fn_node.args.kwonlyargs + fn_node.args.posonlyargs}
    import builtins
    return {r for r in reads - bound - local if r in ns.ctx.globals and not hasattr(builtins, r)}
