"""What Python's compiler does to a method's source that a copy of it outside its class loses.

A method's source means something only inside its class: ``super()`` with no arguments reads the
method's ``__class__`` cell and its first argument, and a private name ``self.__k`` is stored as
``self._Cls__k`` (name mangling). The generated code is compiled outside the class (and the method
is inlined into other functions), so parse writes both out as the compiled code has them:
``super(Cls, self)`` and ``self._Cls__k``.
"""
import gast

from .anno import setanno
from . import astutil


def _private(name):
    return name.startswith("__") and not name.endswith("__") and "." not in name


def _code_names(code, out):
    out.update(code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars)
    for c in code.co_consts:
        if isinstance(c, type(code)):
            _code_names(c, out)
    return out


def _class_name(qualname):
    """The innermost class whose body encloses the function named ``qualname`` (``A.m.<locals>.g``: A)."""
    parts = qualname.split(".")[:-1]
    i = len(parts) - 1
    while i >= 0:
        if parts[i] == "<locals>":
            i -= 2   # the function owning these locals
            continue
        return parts[i]
    return None


def _mangled_names(fn, code):
    """{'__k': '_Cls__k'} for the private names fn's compiled code has mangled."""
    cls = _class_name(getattr(fn, "__qualname__", "") or "")
    if not cls or not cls.lstrip("_"):
        return {}
    prefix = "_" + cls.lstrip("_")
    return {name[len(prefix):]: name for name in _code_names(code, set())
            if name.startswith(prefix + "__") and _private(name[len(prefix):])}


def rewrite(fn, node):
    """Rewrite ``node`` (fn's FunctionDef or Lambda) in place: zero-argument ``super()`` and mangled
    private names as fn's compiled code has them."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return
    mangled = _mangled_names(fn, code)
    cls = None
    if "__class__" in code.co_freevars and fn.__closure__:
        try:
            cls = fn.__closure__[code.co_freevars.index("__class__")].cell_contents
        except ValueError:   # an empty cell (the class body has not finished)
            cls = None
    args = getattr(node, "args", None)
    first = (list(args.posonlyargs) + list(args.args))[:1] if args is not None else []
    if mangled:
        for n in astutil.walk_bfs(node):
            if isinstance(n, gast.Name) and n.id in mangled:
                n.id = mangled[n.id]
            elif isinstance(n, gast.Attribute) and n.attr in mangled:
                n.attr = mangled[n.attr]
            elif isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n is not node and n.name in mangled:
                n.name = mangled[n.name]
            elif isinstance(n, (gast.Global, gast.Nonlocal)):
                n.names = [mangled.get(x, x) for x in n.names]
    if isinstance(cls, type) and first and "super" not in code.co_varnames \
            and getattr(fn, "__globals__", {}).get("super", super) is super:
        for n in _own(node):
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == "super" \
                    and not n.args and not n.keywords:
                ref = gast.Name(id=cls.__name__, ctx=gast.Load(), annotation=None, type_comment=None)
                setanno(ref, "obj", cls)
                n.args = [ref, gast.Name(id=first[0].id, ctx=gast.Load(), annotation=None, type_comment=None)]


def _own(node):
    """The nodes of ``node``'s own scope (not those of nested functions and lambdas)."""
    todo = list(gast.iter_child_nodes(node))
    while todo:
        n = todo.pop()
        yield n
        if not isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)):
            todo.extend(gast.iter_child_nodes(n))
