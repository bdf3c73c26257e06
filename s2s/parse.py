"""Pass 1, parse: a function object -> its gast FunctionDef plus a name resolver."""
import builtins
import inspect
import textwrap

import gast

from .errors import DifferentiationError, error
from .explain import getsourcelines

_MISSING = object()


class Context:
    """What the compiler knows about one user function: source, location, names."""

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
        if code is not None:
            for name, cell in zip(code.co_freevars, cells):
                try:
                    self.closure[name] = cell.cell_contents
                except ValueError:  # empty cell
                    pass
        self.locals = local_names(node)
        self.copied = set()      # names bound by `a = b` in the user's code (possible aliases)
        self.from_subscript = set()
        self.self_type = None    # the class, when differentiating a bound method
        self.self_name = None

    def resolve_name(self, name):
        """The object a free name refers to, or _MISSING for locals/unknowns."""
        if name in self.locals:
            return _MISSING
        if name in self.closure:
            return self.closure[name]
        if name in self.globals:
            return self.globals[name]
        return getattr(builtins, name, _MISSING)

    def resolve(self, node):
        """Resolve a Name or an attribute chain on a global (np.linalg.norm)."""
        if isinstance(node, gast.Name):
            if hasattr(node, "s2s_obj"):
                return node.s2s_obj
            return self.resolve_name(node.id)
        if isinstance(node, gast.Attribute):
            base = self.resolve(node.value)
            if base is _MISSING:
                return _MISSING
            return getattr(base, node.attr, _MISSING)
        return _MISSING

    def error(self, node, message, hint=None):
        return error(node, self, message, hint)


def local_names(fn_node):
    """Parameters and every name the function body binds."""
    names = {a.id for a in _all_args(fn_node.args)}
    for n in gast.walk(fn_node):
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


def parse_function(fn):
    """Return a Context holding fn's FunctionDef (decorators stripped)."""
    name = getattr(fn, "__name__", repr(fn))
    code = getattr(fn, "__code__", None)
    if code is None:
        from . import registry
        if registry.lookup_adjoint(fn) is not None or registry.lookup_tangent(fn) is not None:
            mod = "numpy" if type(fn).__name__ == "ufunc" else (getattr(fn, "__module__", "") or "")
            mod = "" if mod == "builtins" else "np" + mod[5:] if mod.startswith("numpy") else mod
            short = f"{mod}.{name}" if mod else name
            raise DifferentiationError(
                f"{short} is not a Python function, but s2s has a derivative rule for it: s2s differentiates "
                f"Python functions that call it. Wrap it in a function: `s2s.grad(lambda x: {short}(x))`.")
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
        node = _find_lambda(source, code)
    else:
        try:
            module = gast.parse(source)
        except SyntaxError as e:
            raise DifferentiationError(f'File "{filename}", line {start}: cannot parse the source of {name}: {e}') from None
        node = next((n for n in module.body if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef))), None)
        if node is None:
            raise DifferentiationError(f'File "{filename}", line {start}: no function definition found for {name}')
        if isinstance(node, gast.AsyncFunctionDef):
            ctx = Context(fn, node, filename, line_offset, source.splitlines())
            raise ctx.error(node, f"async function {name!r} cannot be differentiated.",
                            "Differentiate a plain (synchronous) function.")
    node.decorator_list = []
    return Context(fn, node, filename, line_offset, source.splitlines())


def _find_lambda(source, code):
    """The lambda in ``source`` whose position matches ``code``, as a FunctionDef."""
    text = source.strip()
    tree = None
    for candidate in (text, "(" + text + ")", text.rstrip(",);"), "(" + text.split("=", 1)[-1].strip().rstrip(",") + ")"):
        try:
            tree = gast.parse(candidate)
            break
        except SyntaxError:
            continue
    if tree is None:
        raise DifferentiationError(f"cannot parse the source of the lambda on line {code.co_firstlineno}")
    lambdas = [n for n in gast.walk(tree) if isinstance(n, gast.Lambda)]
    want = code.co_varnames[:code.co_argcount]
    match = [lam for lam in lambdas if tuple(a.id for a in lam.args.args) == tuple(want)]
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
