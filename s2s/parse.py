"""Pass 1, parse: a function object -> its gast FunctionDef plus a name resolver."""
import builtins
import functools
import inspect
import textwrap

import gast
import numpy as np

from . import astutil, class_scope, constant_returns, spreads, wrappers
from .anno import getanno, hasanno
from .errors import DifferentiationError, error
from .naming import Namer
from .sources import getsourcelines

_MISSING = object()


class Context:
    """What the compiler knows about one user function: source, location, names.

    Parse fills it; the passes after it read it and never write it. The names they introduce are
    declared on ``namer`` (the function's Namer), which ``locals`` reads.
    """

    def __init__(self, fn, node, filename, line_offset, source_lines):
        self.fn = fn
        self.node = node
        self.name = getattr(fn, "__name__", "<lambda>")
        self.filename = filename
        self.line_offset = line_offset
        self.source_lines = source_lines
        self.globals = getattr(fn, "__globals__", {})
        code = getattr(fn, "__code__", None)
        cells = getattr(fn, "__closure__", None) or ()
        self.closure = {}
        self.cells = dict(zip(code.co_freevars, cells)) if code is not None else {}   # the cells themselves
        if code is not None:
            for name, cell in zip(code.co_freevars, cells):
                try:
                    self.closure[name] = cell.cell_contents
                except ValueError:  # empty cell
                    pass
        self._parsed_locals = frozenset(local_names(node))
        self._locals, self._declared = self._parsed_locals, 0
        self.self_type = None    # the class, when differentiating a bound method
        self.self_name = None
        self.static_locals = {}
        self.static_locals = static_namespaces(node, self)   # xp = np: name -> module (resolve_name reads it)

    @functools.cached_property
    def namer(self):
        """The function's Namer: fresh names that never collide with the function's own (built from the
        function as parse read it, on first use: normalize's first step). Every pass hands out names
        through it, and declares there the locals it introduces (``namer.local``, ``namer.declare``)."""
        return Namer.for_tree(self.node)

    @property
    def locals(self):
        """The function's local names: parse's (parameters, every name the body binds, nested
        functions and classes) and those the compiler's passes declared on ``namer`` (temporaries, a
        parameter's private copy, an inlined callee's locals). Read-only: a pass declares a local on
        the Namer, never here."""
        namer = self.__dict__.get("namer")
        if namer is not None and len(namer.locals) != self._declared:   # (locals are only ever added)
            self._locals, self._declared = self._parsed_locals | namer.locals, len(namer.locals)
        return self._locals

    def resolve_name(self, name):
        """The object a free name refers to, or _MISSING for locals/unknowns."""
        if name in self.locals:   # a local bound once to a module (xp = array_namespace(x)) is known
            return self.static_locals.get(name, _MISSING)
        if name in self.closure:
            return self.closure[name]
        if name in self.globals:
            return self.globals[name]
        return getattr(builtins, name, _MISSING)

    def resolve(self, node):
        """Resolve a Name or an attribute chain on a global (np.linalg.norm)."""
        if isinstance(node, gast.Name):
            if hasanno(node, "obj"):
                return getanno(node, "obj")
            return self.resolve_name(node.id)
        if isinstance(node, gast.Attribute):
            base = self.resolve(node.value)
            if base is _MISSING:
                return _MISSING
            return getattr(base, node.attr, _MISSING)
        return _MISSING

    def error(self, node, message, hint=None):
        return error(node, self, message, hint)


def static_namespaces(fn, ctx):
    """Locals bound once to an array namespace: ``xp = np`` (a module), ``xp = array_namespace(x)`` or
    ``xp, _ = get_namespace(x)`` (the namespace getter's answer for NumPy arrays): name -> module, so that
    ``xp.sum(...)`` resolves to that module's function and takes its rules (not ndarray.sum's)."""
    import types
    from . import registry
    stores, assigns = {}, []
    for n in astutil.walk(fn):
        if type(n) is gast.Name and isinstance(n.ctx, (gast.Store, gast.Del)):
            stores[n.id] = stores.get(n.id, 0) + 1
        elif type(n) is gast.Assign and len(n.targets) == 1:
            assigns.append(n)
    params = set(param_names(fn))
    out, tuples = {}, {}
    for st in assigns + assigns:   # (twice: `xp = t[0]` may come before `t = get_namespace(x)` in the walk)
        target, value = st.targets[0], st.value
        if isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name) and value.value.id in tuples \
                and isinstance(value.slice, gast.Constant) and type(value.slice.value) is int:
            try:   # t = get_namespace(x); xp = t[0] (the normalized form: a generated gradient, under hvp)
                found = tuples[value.value.id][value.slice.value]
            except IndexError:
                continue
        elif isinstance(value, (gast.Name, gast.Attribute)):
            found = ctx.resolve(value)
            found = found if isinstance(found, types.ModuleType) else _MISSING
        elif isinstance(value, gast.Call) and registry.namespace_getter(ctx.resolve(value.func)):
            try:
                found = ctx.resolve(value.func)(np.zeros(1))
            except Exception:   # noqa: BLE001 (a getter that does not answer for NumPy: nothing known)
                continue
        elif isinstance(value, gast.Call) and constant_returns.is_constant(ctx.resolve(value.func)):
            found = constant_returns.result(ctx.resolve(value.func))[1]   # def my_namespace(*a): return np, 0
        else:
            continue
        if isinstance(target, gast.Name) and isinstance(found, tuple) and stores.get(target.id) == 1 \
                and target.id not in params:
            tuples[target.id] = found
        names = [target] if isinstance(target, gast.Name) else list(getattr(target, "elts", ()))
        values = [found] if isinstance(target, gast.Name) else list(found) if isinstance(found, tuple) else []
        for t, v in zip(names, values):
            if isinstance(t, gast.Name) and isinstance(v, types.ModuleType) and stores.get(t.id) == 1 \
                    and t.id not in params:
                out[t.id] = v
    return out


def local_names(fn_node):
    """Parameters and every name the function body binds."""
    names = {a.id for a in _all_args(fn_node.args)}
    for n in astutil.walk(fn_node):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            names.add(n.id)
        elif isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n is not fn_node:
            names.add(n.name)
    return names


def _all_args(args):
    out = list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
    if args.vararg:
        out.append(args.vararg)
    if args.kwarg:
        out.append(args.kwarg)
    return out


def param_names(fn_node):
    args = fn_node.args
    return [a.id for a in list(args.posonlyargs) + list(args.args)]


def _located(code, fallback_name):
    """'File "f.py", line 12, in f\n    def f(x):' for a code object (or '' without one)."""
    import linecache
    if code is None:
        return ""
    text = linecache.getline(code.co_filename, code.co_firstlineno).strip()
    return f'File "{code.co_filename}", line {code.co_firstlineno}, in {code.co_name or fallback_name}' + \
        (f"\n    {text}" if text else "")


def _transparent(wrapper, inner):
    """None if ``wrapper`` (made with functools.wraps around ``inner``) provably returns
    ``inner(*args, **kwargs)`` with its arguments untouched, else the reason it is not.

    Transparent: the wrapper takes ``(*args, **kwargs)``, ends with ``return inner(*args,
    **kwargs)`` (inner read from its closure), has no other ``return``/``yield``, never
    rebinds or writes into anything (only plain local names are assigned), and calls
    only functions that are not methods of its locals (checks, logging, warnings).
    Its checks then run in the primal, never changing the value being differentiated.
    """
    code = getattr(wrapper, "__code__", None)
    if code is None:
        return f"{type(wrapper).__name__} objects are not Python functions whose code s2s can read"
    try:
        lines, _ = inspect.getsourcelines(code)
        tree = gast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return "the source of the wrapper cannot be read"
    node = next((n for n in tree.body if isinstance(n, gast.FunctionDef)), None)
    if node is None or node.name != code.co_name:
        return "the source of the wrapper cannot be read"
    a = node.args
    if a.posonlyargs or a.args or a.kwonlyargs or a.vararg is None or a.kwarg is None:
        return "the wrapper does not take exactly (*args, **kwargs)"
    va, kw = a.vararg.id, a.kwarg.id
    last = node.body[-1]
    call = last.value if isinstance(last, gast.Return) else None
    cells = dict(zip(code.co_freevars, (c.cell_contents for c in (wrapper.__closure__ or ()))))
    if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name) and cells.get(call.func.id) is inner
            and len(call.args) == 1 and isinstance(call.args[0], gast.Starred)
            and isinstance(call.args[0].value, gast.Name) and call.args[0].value.id == va
            and len(call.keywords) == 1 and call.keywords[0].arg is None
            and isinstance(call.keywords[0].value, gast.Name) and call.keywords[0].value.id == kw):
        return f"the wrapper does not end with `return {getattr(inner, '__name__', 'fn')}(*{va}, **{kw})`"
    local = {va, kw} | {n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    for st in node.body[:-1]:
        for n in gast.walk(st):
            if isinstance(n, (gast.Return, gast.Yield, gast.YieldFrom, gast.Nonlocal, gast.Global, gast.AugAssign,
                              gast.Delete, gast.FunctionDef, gast.Lambda, gast.ClassDef, gast.NamedExpr)):
                return f"the wrapper has a `{type(n).__name__}` before its return"
            if isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, (gast.Store, gast.Del)):
                return "the wrapper writes into an object"
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store) and n.id in (va, kw):
                return f"the wrapper rebinds {n.id}"
            if isinstance(n, gast.Call) and not _harmless_call(n.func, wrapper, cells, local):
                return "the wrapper calls something that may change its arguments"
    return None


wrappers.transparent = _transparent


_WRITES = {"copyto", "put", "place", "putmask", "fill_diagonal", "shuffle", "put_along_axis", "seed", "set_state"}


def _harmless_call(func, wrapper, cells, local):
    """A call a transparent wrapper may make: builtins, NumPy functions that write nothing, warnings, logging."""
    import builtins
    import logging
    import warnings
    chain = []
    base = func
    while isinstance(base, gast.Attribute):
        chain.append(base.attr)
        base = base.value
    if not isinstance(base, gast.Name) or base.id in local:
        return False
    obj = cells.get(base.id, wrapper.__globals__.get(base.id, getattr(builtins, base.id, _MISSING)))
    for attr in reversed(chain):
        obj = getattr(obj, attr, _MISSING)
    if obj is _MISSING or getattr(obj, "__name__", None) in _WRITES:
        return False
    module = getattr(obj, "__module__", None) or ""
    if isinstance(obj, type) and issubclass(obj, BaseException):
        return True
    return getattr(builtins, getattr(obj, "__name__", ""), None) is obj and obj not in (exec, eval, setattr, delattr) \
        or module == "numpy" or module.startswith("numpy.") and not module.startswith("numpy.random") \
        or isinstance(obj, np.ufunc) or obj in (warnings.warn,) or module.startswith("logging") \
        or isinstance(obj, logging.Logger)


def _wrapper_name(fn):
    code = getattr(fn, "__code__", None)
    return getattr(code, "co_qualname", code.co_name) if code is not None else type(fn).__name__


def unwrap(fn):
    """The function whose code runs: ``fn`` itself, or what a transparent ``functools.wraps``
    wrapper calls (see _transparent). Any other wrapper is refused with a located message."""
    from . import registry
    fn = wrappers.through(fn)   # def inner(*a, **k): return f(*a, **k), without functools.wraps
    while getattr(fn, "__wrapped__", None) is not None:
        if registry.lookup_adjoint(fn) is not None or registry.lookup_tangent(fn) is not None:
            return fn   # a library function s2s has a rule for (np.linalg.inv): parse_function says so
        inner = fn.__wrapped__
        why = _transparent(fn, inner)
        if why is not None and wrappers.forwards(fn, inner) is None:
            why = None   # it checks, then forwards unchanged: its checks run where it is called (s2s/wrappers.py)
        if why is not None:
            name = getattr(inner, "__name__", repr(inner))
            loc = _located(getattr(inner, "__code__", None), name) or _located(getattr(fn, "__code__", None), name)
            raise DifferentiationError(
                (loc + "\n" if loc else "") +
                f"{name} is wrapped by a decorator (functools.wraps: {_wrapper_name(fn)}) "
                f"whose effect s2s cannot see through: {why}. s2s differentiates the code that runs, and "
                f"differentiating the undecorated source could give a wrong gradient.\n"
                f"Differentiate the undecorated function ({name}.__wrapped__), write what the decorator does "
                "into the function, or register a rule for it with @s2s.adjoint.")
        fn = wrappers.through(inner)
    return fn


def parse_function(fn):
    """Return a Context holding fn's FunctionDef (decorators stripped).

    ``fn`` must not be a functools.wraps wrapper (call ``unwrap`` first); its
    source must match its code object (a file edited after import is refused).
    """
    name = getattr(fn, "__name__", repr(fn))
    if getattr(fn, "__wrapped__", None) is not None:
        fn = unwrap(fn)
        name = getattr(fn, "__name__", repr(fn))
    code = getattr(fn, "__code__", None)
    from . import registry
    opaque = code is not None and registry.opaque(fn)   # a library function s2s does not read (SciPy's rosen)
    if code is None or getattr(fn, "__wrapped__", None) is not None or opaque:
        if registry.lookup_adjoint(fn) is not None or registry.lookup_tangent(fn) is not None:
            mod = "numpy" if type(fn).__name__ == "ufunc" else (getattr(fn, "__module__", "") or "")
            mod = "" if mod == "builtins" else "np" + mod[5:] if mod.startswith("numpy") else mod
            mod = ".".join(mod.split(".")[:next((i for i, p in enumerate(mod.split(".")) if p.startswith("_")),
                                                 None)])   # scipy.optimize._optimize -> scipy.optimize
            short = f"{mod}.{name}" if mod else name
            what = "a library function whose source s2s does not read" if opaque else "not a Python function"
            raise DifferentiationError(
                f"{short} is {what}, but s2s has a derivative rule for it: s2s differentiates "
                f"Python functions that call it. Wrap it in a function: `s2s.grad(lambda x: {short}(x))`.")
    if code is None or getattr(fn, "__wrapped__", None) is not None:
        raise DifferentiationError(
            f"{name!r} is not a Python function (no source to differentiate). "
            "Register a rule for it with @s2s.adjoint(fn).")
    filename = code.co_filename
    try:
        lines, start = getsourcelines(fn)   # inspect's, or a source given with source= / @s2s.function
    except (OSError, TypeError) as e:
        raise DifferentiationError(
            f'File "{filename}", in {name}\nThe source of {name!r} cannot be found ({e}); '
            "s2s reads a function's source. Define it in a file, give its source "
            "(s2s.grad(f, source=...) or @s2s.function where it is defined), or register a rule "
            "with @s2s.adjoint(fn).") from None
    source = textwrap.dedent("".join(lines))
    line_offset = max(start, 1) - 1
    if name == "<lambda>":
        node = _find_lambda(source, code, line_offset)
    else:
        try:
            module = gast.parse(source)
        except SyntaxError as e:
            raise DifferentiationError(
                f'File "{filename}", line {start}: cannot parse the source of {name}: {e}') from None
        node = next((n for n in module.body if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef))), None)
        if node is None:
            raise DifferentiationError(f'File "{filename}", line {start}: no function definition found for {name}')
        if isinstance(node, gast.AsyncFunctionDef):
            ctx = Context(fn, node, filename, line_offset, source.splitlines())
            raise ctx.error(node, f"async function {name!r} cannot be differentiated.",
                            "Differentiate a plain (synchronous) function.")
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) if name != "<lambda>" else 1
    node.decorator_list = []
    class_scope.rewrite(fn, node)   # super() and self.__k as the compiled method has them
    spreads.rewrite(node)           # {**p, **q}: a comprehension
    ctx = Context(fn, node, filename, line_offset, source.splitlines())
    stale = _stale(fn, code, node, source, start + first - 1, len(lines))
    if stale:
        raise DifferentiationError(
            f'File "{filename}", line {code.co_firstlineno}, in {name}\n'
            f"The source s2s reads for {name} is not the code that runs ({stale}): the file was probably "
            "edited after it was imported. s2s differentiates the code that runs, so it refuses to "
            "differentiate the source as it now reads.\nReload the module (or restart Python) and try again.")
    _bind_imports(ctx)
    return ctx


def _bind_imports(ctx):
    """``import numpy as npl`` (or ``from math import sin``) inside the function: the alias names
    the module (or object) it imports, as a closure variable would. The statement is taken out of
    the body (the module is imported now; the generated code receives the object), so every later
    pass sees a known name instead of an unknown local (which would carry no derivative). Imports
    s2s cannot resolve to one object now (relative, ``*``, in a nested function or class, or an
    alias the function also assigns) are refused."""
    import importlib

    def visit_block(block, nested, branch=False):
        kept = []
        for st in block:
            if isinstance(st, (gast.Import, gast.ImportFrom)):
                if nested:
                    raise ctx.error(st, "s2s cannot differentiate an `import` inside a nested function or class.",
                                    "Move the import to the top of the module.")
                failed = _bind_import(ctx, st, importlib, lazy=branch)
                if failed is not None:   # (in a branch: it fails where it runs, as in the primal)
                    kept.append(gast.copy_location(gast.Raise(exc=gast.Call(
                        func=gast.Name(id="ImportError", ctx=gast.Load(), annotation=None, type_comment=None),
                        args=[gast.Constant(value=failed, kind=None)], keywords=[]), cause=None), st))
                continue
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    inner = nested or isinstance(st, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef))
                    setattr(st, field, visit_block(sub, inner, branch or isinstance(st, gast.If)) or [gast.Pass()])
            for h in getattr(st, "handlers", None) or ():
                h.body = visit_block(h.body, nested, branch) or [gast.Pass()]
            kept.append(st)
        return kept

    if not any(isinstance(n, (gast.Import, gast.ImportFrom)) for n in astutil.walk(ctx.node)):
        return
    ctx.node.body = visit_block(ctx.node.body, False) or [gast.Pass()]


def _bind_import(ctx, st, importlib, lazy=False):
    """Bind the names ``st`` imports (None); ``lazy`` (inside an ``if`` branch): the message of an import that
    fails, which the branch raises where it runs (``from pandas import SparseDtype`` for a DataFrame input)."""
    if isinstance(st, gast.ImportFrom) and (st.level or any(a.name == "*" for a in st.names)):
        raise ctx.error(st, "s2s cannot differentiate a relative or `*` import inside the function.",
                        "Move the import to the top of the module.")
    for alias in st.names:
        try:
            if isinstance(st, gast.Import):
                module = importlib.import_module(alias.name)
                local = alias.asname or alias.name.split(".")[0]
                obj = module if alias.asname else importlib.import_module(alias.name.split(".")[0])
            else:
                local = alias.asname or alias.name
                module = importlib.import_module(st.module)
                obj = getattr(module, alias.name, _MISSING)
                if obj is _MISSING:
                    obj = importlib.import_module(st.module + "." + alias.name)
        except ImportError as e:
            if lazy:
                return str(e)
            raise ctx.error(st, f"this import fails when s2s runs it ({e}).", "Check the module's name.") from None
        if local in ctx.locals:
            raise ctx.error(st, f"`{local}` is both imported and assigned in {ctx.name}; s2s cannot tell which "
                            "object it names.", "Give the import its own name, or move it to the top of the module.")
        ctx.closure[local] = obj   # a known object the generated code receives, as a closure variable
    return None


def _stale(fn, code, node, source, start, nlines):
    """Why ``source`` (read from fn's file) is not fn's code, or '' when it matches."""
    if code.co_name == "<lambda>":
        return "" if start <= code.co_firstlineno < start + nlines else \
            f"the lambda of line {code.co_firstlineno} is not in lines {start}-{start + nlines - 1}"
    if start != code.co_firstlineno:
        return f"the function starts on line {code.co_firstlineno}, but the file has it on line {start}"
    if node.name != code.co_name:
        return f"line {start} now defines {node.name!r}, not {code.co_name!r}"
    want = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    got = [a.id for a in list(node.args.posonlyargs) + list(node.args.args) + list(node.args.kwonlyargs)]
    if got != want:
        return f"its parameters are ({', '.join(want)}), the source has ({', '.join(got)})"
    loader = getattr(fn, "__globals__", {}).get("__loader__")
    if loader is not None and not type(loader).__module__.startswith(("importlib", "_frozen_importlib")):
        return ""   # an import hook may rewrite the code (pytest rewrites asserts): the checks above passed
    frees = code.co_freevars
    text = source
    if frees:   # compile inside a function that binds the free variables, as where fn was defined
        text = "def __s2s_outer__():\n" + "".join(f"    {v} = None\n" for v in frees) \
            + textwrap.indent(source, "    ") \
            + "".join(f"    {v}\n" for v in frees)
    try:
        compiled = compile(text, code.co_filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return ""   # cannot tell: the checks above passed
    found = _find_code(compiled, code.co_name)
    if found is not None and _fingerprint(found) != _fingerprint(code):
        return "its body differs from the source"
    return ""


def _find_code(code, name, depth=0):
    for c in code.co_consts:
        if isinstance(c, type(code)):
            if c.co_name == name:
                return c
    if depth < 1:
        for c in code.co_consts:
            if isinstance(c, type(code)):
                hit = _find_code(c, name, depth + 1)
                if hit is not None:
                    return hit
    return None


def _unmangle(name):
    import re
    return re.sub(r"^_[A-Za-z0-9]\w*?(__\w+)$", r"\1", name) if not name.endswith("__") else name


def _fingerprint(code):
    """What must agree between a function's code and its source compiled afresh: the instructions
    with their arguments (not line numbers, caches, or the LOAD_METHOD/LOAD_ATTR choice, which
    depends on the module the source was compiled in), and nested code the same way."""
    import dis
    skip = {"CACHE", "RESUME", "NOP", "EXTENDED_ARG", "PRECALL", "PUSH_NULL", "COPY_FREE_VARS", "MAKE_CELL"}
    instrs = [i for i in dis.get_instructions(code) if i.opname not in skip]
    offsets = sorted(i.offset for i in instrs)
    index = {off: k for k, off in enumerate(offsets)}
    jumps = set(dis.hasjrel) | set(dis.hasjabs)
    out = []
    for i in instrs:
        op = {"LOAD_METHOD": "LOAD_ATTR"}.get(i.opname, i.opname)
        arg = i.argval
        if i.opcode in jumps and isinstance(arg, int):
            arg = index.get(arg, next((k for off, k in index.items() if off >= arg), -1))
        elif isinstance(arg, type(code)):
            arg = _fingerprint(arg)
        elif isinstance(arg, str):
            arg = _unmangle(arg)
        else:
            arg = (type(arg).__name__, repr(arg))
        out.append((op, arg))
    return (tuple(out), code.co_argcount, code.co_kwonlyargcount)


def _lambda_in_file(code, want, line_offset):
    """The lambda of ``code`` found in its whole file (line numbers made relative to ``line_offset``),
    told apart from others on its line by where its instructions are; None if not found or ambiguous."""
    import linecache
    lines = linecache.getlines(code.co_filename)
    if not lines:
        return None
    try:
        tree = gast.parse("".join(lines))
    except SyntaxError:
        return None
    spots = [(ln, col) for ln, _, col, end in code.co_positions()
             if ln is not None and col is not None and end is not None and end > col]   # (not RESUME's 0, 0)
    found = []
    for n in gast.walk(tree):
        if isinstance(n, gast.Lambda) and n.lineno == code.co_firstlineno \
                and _positional(n) == tuple(want):
            start, end = (n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)
            if not spots or all(start <= p <= end for p in spots):
                found.append(n)
    found = [n for n in found if not any(m is not n and (m.lineno, m.col_offset) > (n.lineno, n.col_offset)
                                         for m in found)]   # the innermost one
    if len(found) != 1:
        return None
    lam = found[0]
    for n in gast.walk(lam):
        for attr in ("lineno", "end_lineno"):
            if getattr(n, attr, None) is not None:
                setattr(n, attr, getattr(n, attr) - line_offset)
    return lam


def check_returns(ctx, strict=True):
    """Refuse ``return None`` and a bare ``return``, as a missing ``return`` is refused: None has no derivative.

    ``strict`` (the function being differentiated): any such return is refused. Otherwise (a helper
    it calls) only a function all of whose returns are None, as a helper may return None on a path
    whose value nothing differentiates.
    """
    found, valued = [], []

    def visit(node):
        for child in gast.iter_child_nodes(node):
            if isinstance(child, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)):
                continue   # a nested function's returns are its own
            if isinstance(child, gast.Return):
                none = child.value is None or (isinstance(child.value, gast.Constant) and child.value.value is None)
                (found if none else valued).append(child)
            visit(child)
    visit(ctx.node)
    if found and (strict or not valued):
        raise ctx.error(found[0], f"{ctx.name} returns None here; None has no derivative.",
                        "Return the value to differentiate (s2s needs every `return` to return one).")


def _positional(lam):
    """The names of a lambda's positional parameters, the positional-only ones (before ``/``) first, as the
    code object's ``co_varnames[:co_argcount]`` lists them."""
    return tuple(a.id for a in list(lam.args.posonlyargs) + list(lam.args.args))


def _find_lambda(source, code, line_offset=0):
    """The lambda in ``source`` whose position matches ``code``, as a FunctionDef. Its line alone may
    not parse (a lambda inside a dict literal written over several lines): then the whole file is
    read. Several lambdas on one line are told apart by the columns of the code's instructions."""
    text = source.strip()
    tree = None
    for candidate in (text, "(" + text + ")", text.rstrip(",);"),
                      "(" + text.split("=", 1)[-1].strip().rstrip(",") + ")"):
        try:
            tree = gast.parse(candidate)
            break
        except SyntaxError:
            continue
    want = code.co_varnames[:code.co_argcount]
    match = []
    if tree is not None:
        lambdas = [n for n in gast.walk(tree) if isinstance(n, gast.Lambda)]
        match = [lam for lam in lambdas if _positional(lam) == tuple(want)]
    if len(match) != 1:
        found = _lambda_in_file(code, want, line_offset)
        if found is not None:
            match = [found]
        elif tree is None:
            raise DifferentiationError(f"cannot parse the source of the lambda on line {code.co_firstlineno}")
    if not match:
        raise DifferentiationError(f"cannot find the lambda of line {code.co_firstlineno} in its source")
    if len(match) > 1:
        raise DifferentiationError(
            f"line {code.co_firstlineno} has several lambdas with arguments {want}; s2s cannot tell "
            "which one to differentiate. Give it its own line or a def.")
    lam = match[0]
    ret = gast.Return(value=lam.body)
    gast.copy_location(ret, lam.body)
    fdef = gast.FunctionDef(name="lambda_", args=lam.args, body=[ret], decorator_list=[],
                            returns=None, type_comment=None, type_params=[])
    gast.copy_location(fdef, lam)
    return fdef


constant_returns.parser = (getsourcelines, local_names, _harmless_call)
