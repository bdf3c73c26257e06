"""A generated function as a standalone module (``python -m s2s FILE.py:FUNC -o OUT.py``).

The module runs where only NumPy (and SciPy, when the function uses it) is
installed: the s2s runtime helpers the generated code calls are emitted into
it with their own dependencies (only those used), and so are the user's
functions and classes it calls and the constants they read. What cannot be
written as source (a callable instance, an array, ...) is imported from the
user's file by its path, which the header states.
"""
import ast
import builtins
import inspect
import math
import os
import sys
import textwrap
import types

from .explain import getsource

_LIBRARIES = ("numpy", "scipy", "math", "cmath")


class _Unexportable(Exception):
    pass


def _is_library(obj):
    mod = getattr(obj, "__module__", None) or ""
    top = mod.split(".")[0] if isinstance(mod, str) else ""
    return top in _LIBRARIES or top in getattr(sys, "stdlib_module_names", ()) or top == "builtins"


class Module:
    """Collects the definitions a standalone module needs, dependencies first."""

    def __init__(self, user_module=None):
        self.user_module = user_module
        self.names = {}        # name in the module -> object
        self.imports = []      # import lines
        self.consts = []       # name = value lines
        self.defs = []         # sources, dependencies before their users
        self.by_path = {}      # name -> (module name, attribute) imported from the user's file
        self.files = {}        # module name -> path
        self.visiting = set()
        self.aliases = []      # name = definition, for a definition bound again under another name

    # -------------------------------------------------------------- naming
    def bind(self, name, obj):
        """Make ``name`` refer to ``obj`` in the module."""
        if name in self.names:
            if self.names[name] is obj or _same_value(self.names[name], obj):
                return
            raise _Unexportable(f"two different objects are both called {name!r}")
        if hasattr(builtins, name) and getattr(builtins, name) is obj:
            return
        self.names[name] = obj
        try:
            self._bind(name, obj)
        except _Unexportable:
            self._by_path(name, obj)

    def _bind(self, name, obj):
        if isinstance(obj, types.ModuleType):
            if not _is_library(types.SimpleNamespace(__module__=obj.__name__)):
                raise _Unexportable(f"the module {obj.__name__}")
            line = f"import {obj.__name__}" if obj.__name__ == name else f"import {obj.__name__} as {name}"
            if "." in obj.__name__ and obj.__name__ == name:
                raise _Unexportable("dotted module name")
            self.imports.append(line)
            return
        value = _literal(obj)
        if value is not None:
            self.consts.append(f"{name} = {value}")
            return
        if getattr(obj, "s2s_generated", False) and hasattr(obj, "s2s_source"):
            self.generated(name, obj)
            return
        if _is_library(obj) or type(obj).__name__ == "ufunc":
            self.imports.append(_library_import(name, obj))
            return
        from .errors import DifferentiationError
        if obj is DifferentiationError:   # raised by the runtime helpers on complex inputs
            self.defs.append(f"class {name}(Exception):\n    \"\"\"{obj.__doc__.strip().splitlines()[0]}\"\"\"\n")
            return
        if isinstance(obj, (types.FunctionType, type)):
            self.source(name, obj)
            return
        if type(obj) is object:
            self.consts.append(f"{name} = object()")
            return
        if type(obj) is tuple and obj and all(isinstance(o, type) and _is_library(o) for o in obj):
            items = []   # (np.ndarray, numbers.Number, str, types.FunctionType, ...): the runtime's type tests
            for o in obj:
                item = _builtin_name(o) or _type_source(o)
                if item is not None and item.startswith("types."):
                    self.bind("types", types)
                if item is None:
                    item = f"_{name.strip('_')}_{o.__name__}"
                    self.bind(item, o)
                    if item in self.by_path:
                        raise _Unexportable(f"{name}: the type {o.__name__}")
                items.append(item)
            self.consts.append(f"{name} = ({', '.join(items)}{',' if len(items) == 1 else ''})")
            return
        raise _Unexportable(f"{name} = {type(obj).__name__} object")

    def _by_path(self, name, obj):
        """Import ``obj`` from the user's file by path (it has no source of its own)."""
        path = getattr(obj, "__file__", None) if isinstance(obj, types.ModuleType) else None
        if path is not None:   # one of the user's modules: loaded from its file
            key = obj.__name__.replace(".", "_")
            self.files[key] = os.path.abspath(path)
            self.by_path[name] = (key, None)
            return
        for mod_name in (getattr(obj, "__module__", None), self.user_module, "__main__"):
            module = sys.modules.get(mod_name) if mod_name else None
            path = getattr(module, "__file__", None)
            if path is None:
                continue
            for attr, value in vars(module).items():
                if value is obj:
                    key = os.path.splitext(os.path.basename(path))[0]
                    self.files[key] = os.path.abspath(path)
                    self.by_path[name] = (key, attr)
                    return
        self.consts.append(f"{name} = None  # s2s cannot write {type(obj).__name__} objects as source: set it here")
        self.by_path[name] = None

    # -------------------------------------------------------------- sources
    def generated(self, name, g):
        if id(g) in self.visiting:
            return
        self.visiting.add(id(g))
        used = {n.id for n in ast.walk(ast.parse(g.s2s_source)) if isinstance(n, ast.Name)}
        for dep, obj in sorted(g.s2s_namespace.items()):
            if dep in used:   # the optimizer may have removed the code that used it
                self.bind(dep, obj)
        for dep in sorted(g.s2s_globals):
            if dep in g.__globals__ and dep in used:
                self.bind(dep, g.__globals__[dep])
        self.defs.append(g.s2s_source.rstrip() + "\n")
        if g.__name__ != name:
            self.defs.append(f"{name} = {g.__name__}\n")

    def source(self, name, obj):
        if id(obj) in self.visiting:
            if name != getattr(obj, "__name__", name):   # bound before under its own name (is_record), now
                self.aliases.append(f"{name} = {obj.__name__}")   # as _is_record: after every definition
            return
        self.visiting.add(id(obj))
        try:
            src = textwrap.dedent(getsource(obj) if isinstance(obj, types.FunctionType) else inspect.getsource(obj))
        except (OSError, TypeError):
            raise _Unexportable(f"no source for {name}") from None
        tree = ast.parse(src)
        node = tree.body[0]
        if getattr(obj, "__name__", name) != node.name or "<" in getattr(obj, "__qualname__", ""):
            raise _Unexportable(f"{name} is not a top-level definition")
        if isinstance(obj, types.FunctionType) and obj.__closure__:
            raise _Unexportable(f"{name} is a closure")
        namespace = getattr(obj, "__globals__", None) or vars(sys.modules.get(obj.__module__, types.ModuleType("_")))
        src, relative = _drop_relative_imports(src, tree, obj)
        for dep_name, dep in relative:
            self.bind(dep_name, dep)
        if isinstance(obj, type):
            for base in obj.__bases__:
                if base is not object:
                    self.bind(base.__name__, base)
        for dep in sorted(_free_names(tree)):
            if dep in namespace and dep != node.name:
                self.bind(dep, namespace[dep])
        self.defs.append(src.rstrip() + "\n")
        if node.name != name:
            self.defs.append(f"{name} = {node.name}\n")

    # -------------------------------------------------------------- text
    def text(self, title):
        out = [f'"""{title}\n\nGenerated by s2s (source-to-source automatic differentiation).']
        if self.files:
            out.append("It imports names from these files by their path, so it runs where they are:\n" +
                       "\n".join(f"    {p}" for p in self.files.values()))
        else:
            out.append("It needs only the libraries it imports below.")
        out.append('"""')
        body = ["\n".join(out) + "\n" + "\n".join(sorted(set(self.imports)))]
        if self.files:
            loader = ["import importlib.util as _importlib_util", "", "",
                      "def _load(name, path):",
                      "    spec = _importlib_util.spec_from_file_location(name, path)",
                      "    module = _importlib_util.module_from_spec(spec)",
                      "    spec.loader.exec_module(module)",
                      "    return module", "", ""]
            for key, path in self.files.items():
                loader.append(f"_{key} = _load({key!r}, {path!r})")
            for name, where in self.by_path.items():
                if where is not None:
                    loader.append(f"{name} = _{where[0]}" + (f".{where[1]}" if where[1] else ""))
            body.append("\n".join(loader))
        if self.consts:
            body[-1] += "\n\n" + "\n".join(self.consts)
        aliases = ["\n".join(self.aliases)] if self.aliases else []
        parts = [b for b in body if b] + [d.rstrip() for d in self.defs] + aliases
        return "\n\n\n".join(parts) + "\n"


def _same_value(a, b):
    try:
        return type(a) is type(b) and _literal(a) is not None and _literal(a) == _literal(b)
    except Exception:   # noqa: BLE001
        return False


def _literal(obj):
    """Python source for a plain value, or None."""
    if obj is None or isinstance(obj, (bool, int, str, bytes)):
        return repr(obj)
    if type(obj) is float:
        return repr(obj) if math.isfinite(obj) else f"float({repr(obj)!r})"
    if type(obj) is complex:
        return repr(obj)
    if type(obj) in (tuple, list) and all(_literal(o) is not None or _builtin_name(o) for o in obj):
        items = [_literal(o) or _builtin_name(o) for o in obj]
        if type(obj) is tuple:
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        return "[" + ", ".join(items) + "]"
    return None


def _type_source(cls):
    """``types.FunctionType`` for the types the ``types`` module names (their __module__ is builtins)."""
    if any(getattr(types, a) is cls for a in dir(types) if a.endswith("Type")):
        return "types." + next(a for a in dir(types) if a.endswith("Type") and getattr(types, a) is cls)
    return None


def _builtin_name(obj):
    name = getattr(obj, "__name__", None)
    if isinstance(name, str) and getattr(builtins, name, None) is obj:
        return name
    return None


def _public_modules(obj):
    """The public modules that may export a library object, most specific first: for
    scipy.stats._continuous_distns.norm, scipy.stats then scipy (a private module such as
    _continuous_distns cannot be imported by path, and its name is not an API)."""
    if type(obj).__name__ == "ufunc":
        mods = ["numpy", "scipy.special"]
    else:
        mod = getattr(obj, "__module__", None)
        parts = mod.split(".") if isinstance(mod, str) else []
        public = []
        for part in parts:
            if part.startswith("_"):
                break
            public.append(part)
        mods = [".".join(public[:k]) for k in range(len(public), 0, -1)]
    return [m for m in mods if m in sys.modules]


def _public_import(name, obj):
    """``from <public module> import <attr>`` for ``obj``, or None."""
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    for cand in _public_modules(obj):
        module = sys.modules[cand]
        attrs = [qual] if isinstance(qual, str) and "." not in qual else []
        attrs += [a for a, v in vars(module).items() if v is obj and not a.startswith("_")]
        for attr in attrs:
            if getattr(module, attr, None) is obj:
                return f"from {cand} import {attr}" + ("" if attr == name else f" as {name}")
    owner = getattr(obj, "__self__", None)   # a bound method of a library object: norm.cdf
    if owner is not None and not isinstance(owner, types.ModuleType) and _is_library(owner):
        meth = getattr(obj, "__name__", None)
        head = _public_import(f"_{name}_owner", owner)
        if head is not None and isinstance(meth, str) and getattr(owner, meth, None) == obj:
            return f"{head}; {name} = _{name}_owner.{meth}"
    return None


def _library_import(name, obj):
    public = _public_import(name, obj)
    if public is not None:
        return public
    if type(obj).__name__ == "ufunc":
        mod, qual = "numpy", obj.__name__
    else:
        mod = getattr(obj, "__module__", None)
        qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if mod in sys.modules and isinstance(qual, str):
        found = sys.modules[mod]
        for part in qual.split("."):
            found = getattr(found, part, None)
        if found is obj:
            if "." not in qual:
                return f"from {mod} import {qual}" + ("" if qual == name else f" as {name}")
            head = qual.split(".")[0]
            return f"from {mod} import {head} as _{head}; {name} = _{qual}"
        # a public alias: numpy.linalg.norm lives in numpy.linalg._linalg
        public = mod.split(".")[0]
        for cand in (public, ".".join(mod.split(".")[:2])):
            module = sys.modules.get(cand)
            if module is not None and getattr(module, qual, None) is obj:
                return f"from {cand} import {qual}" + ("" if qual == name else f" as {name}")
    if mod in sys.modules:   # a private module's object no public one exports: imported, not loaded by path
        for attr, value in vars(sys.modules[mod]).items():
            if value is obj:
                return f"from {mod} import {attr}" + ("" if attr == name else f" as {name}")
    raise _Unexportable(f"no import path for {name}")


def _free_names(tree):
    """Names a definition reads that it does not bind itself (a superset is fine)."""
    loads, stores = set(), set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            (loads if isinstance(n.ctx, ast.Load) else stores).add(n.id)
        elif isinstance(n, ast.arg):
            stores.add(n.arg)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names:
                stores.add((a.asname or a.name).split(".")[0])
    defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))
               and n is not tree.body[0]}
    return loads - (stores - {tree.body[0].name}) - defined


def _drop_relative_imports(src, tree, obj):
    """Remove ``from .x import y`` lines from a helper's source; y becomes a module-level name."""
    package = (getattr(obj, "__module__", "") or "").rpartition(".")[0]
    lines = src.splitlines(True)
    deps = []
    drop = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom) and n.level:
            base = package
            for _ in range(n.level - 1):
                base = base.rpartition(".")[0]
            mod_name = base + ("." + n.module if n.module else "")
            module = sys.modules.get(mod_name)
            if module is None:
                raise _Unexportable(f"relative import of {mod_name}")
            for a in n.names:
                deps.append((a.asname or a.name, getattr(module, a.name)))
            drop.update(range(n.lineno - 1, n.end_lineno))
    if not drop:
        return src, deps
    return "".join(line for i, line in enumerate(lines) if i not in drop), deps


def module_source(fn, user_module=None):
    """A standalone module defining generated function ``fn`` and everything it calls."""
    from .signature import for_hints
    fn = for_hints(getattr(fn, "__func__", fn))   # the code for the primal's type hints (x: float), else generic
    m = Module(user_module)
    m.generated(fn.__name__, fn)
    primal = getattr(fn, "s2s_primal", None)
    where = ""
    if primal is not None and getattr(primal, "__code__", None) is not None:
        where = f" of {os.path.basename(primal.__code__.co_filename)}:{primal.__qualname__}"
    return m.text(f"{fn.__name__}: the derivative{where}.")
