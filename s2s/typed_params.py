"""Arguments whose class is known where the code is generated: property reads become calls of the getter.

The argument signature (s2s/signature.py, kind ``("record", cls)``) pins the class of an argument that is
a record of the user's with a property or a method; for a method, ``self`` has its class too
(``compiler.Request.self_type``). For such a name, never rebound in the function, a read ``p.s`` of a
read-only property ``s`` becomes ``Cls_s(p)``, a call of its getter, which s2s differentiates as any other
function of the user's (the derivative flows into the fields the getter reads); ``p.f`` of a staticmethod
is the function. Method calls ``p.m(x)`` (and ``p(x)``) on a differentiated ``p`` need no rewriting:
``facts.local_types`` gives ``p``'s class to the call classifier (s2s/calls.py), which differentiates the
method's source with ``p`` as ``self`` (the run-time dispatch of ``pullback`` cannot differentiate with
respect to the object it calls).

Without the class (the generic code), a property of a record is refused at run time by
``records.field_grad`` / ``field_tangent``: it is not a field, and its derivative has nowhere to go.
"""
import inspect
import types

import gast

from .objects import _read_properties, _unsuper


def typed_names(ctx, fn, types_=None):
    """{name: class} for the parameters of ``fn`` whose class is pinned and that the function never rebinds
    (``types_``: {parameter: class} to filter, default the pinned record classes and ``self``'s)."""
    if types_ is None:
        types_ = dict(getattr(ctx, "param_types", None) or {})
        if getattr(ctx, "self_type", None) is not None and getattr(ctx, "self_name", None):
            types_.setdefault(ctx.self_name, ctx.self_type)
    if not types_:
        return {}
    bound, own = set(), fn.args.args + fn.args.posonlyargs + fn.args.kwonlyargs
    for n in gast.walk(fn):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            bound.add(n.id)
        elif isinstance(n, gast.Name) and isinstance(n.ctx, gast.Param) and n not in own:
            bound.add(n.id)   # a nested function's or lambda's parameter of the same name
    return {p: c for p, c in types_.items() if p not in bound}


def read_properties(ctx, fn):
    """Rewrite, in place, ``p.s`` (``s`` a read-only property of the pinned class of ``p``) to the getter's call;
    ``ctx.typed``: {name: class} of the names whose class is known (``static_receiver`` says which calls
    use it)."""
    ctx.typed = typed_names(ctx, fn)
    rebuild_arguments(ctx, fn)
    for p, cls in ctx.typed.items():
        fn.body = [_read_properties(st, p, cls) for st in fn.body]
    me, cls = getattr(ctx, "self_name", None), getattr(ctx, "self_type", None)
    if me in ctx.typed and cls is not None:   # super().m(x) (parse made it super(C, self)): the base's function
        for st in fn.body:
            _unsuper(st, me, cls)
    for p, c in ctx.typed.items():   # type(self)(...), self.__class__(...): the class, known here
        fn.body = [_ClassOf(p, c).visit(st) for st in fn.body]
    _generator_methods(ctx, fn)
    ctx.iterated = typed_names(ctx, fn, dict(getattr(ctx, "param_iterators", None) or {}))   # a generator, map(...)
    _iterate_objects(fn, {**ctx.typed, **ctx.iterated})


class _ClassOf(gast.NodeTransformer):
    """``type(p)`` and ``p.__class__`` as the class of ``p`` pinned here (a name bound to it)."""

    def __init__(self, name, cls):
        self.name, self.cls = name, cls

    def _cls(self, at):
        from .coreform import runtime_name
        return gast.copy_location(runtime_name(self.cls.__name__, self.cls), at)

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, gast.Name) and node.func.id == "type" and len(node.args) == 1 \
                and not node.keywords and isinstance(node.args[0], gast.Name) and node.args[0].id == self.name:
            return self._cls(node)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr == "__class__" and isinstance(node.value, gast.Name) and node.value.id == self.name \
                and isinstance(node.ctx, gast.Load):
            return self._cls(node)
        return node


def unindexable(cls):
    """True for a class whose instances iterate (``__iter__``, or ``__getitem__`` by the old protocol) but cannot
    be indexed by position (not both ``__len__`` and ``__getitem__``)."""
    iterates = callable(getattr(cls, "__iter__", None)) or callable(getattr(cls, "__getitem__", None))
    return iterates and not (hasattr(cls, "__len__") and hasattr(cls, "__getitem__"))


def loader_args(bound, ctx):
    """The argument signature entries of a call of a user function (``bound``: its parameters' argument nodes)
    for the arguments that are names of an ``unindexable`` class known here (a pinned parameter, or a local
    ``loader = Loader(X)``): the callee's code is made for that class, so its loops over the loader iterate it
    (its generic code would index it by position)."""
    typed, iterated = getattr(ctx, "typed", None) or {}, getattr(ctx, "iterated", None) or {}
    return tuple((p, ("record", typed[v.id])) for p, v in bound.arguments.items()
                 if isinstance(v, gast.Name) and v.id in typed and unindexable(typed[v.id])) \
        + tuple((p, ("iterator", iterated[v.id])) for p, v in bound.arguments.items()
                if isinstance(v, gast.Name) and v.id in iterated)


def method_args(fn, bound, ctx, local_types=None):
    """The argument signature entries ``(p, ("record", cls))`` of a call of the user's function ``fn`` for the
    arguments that are names whose class ``cls`` (a class of the user's) is known here and on which ``fn`` calls
    one of ``cls``'s methods (``def kinetic(v): return v.dot(v)``) or whose class it takes (``type(v)(...)``): the
    callee's code is made for that class, so ``v.dot`` is ``cls.dot`` (its generic code would take it for an
    array's method)."""
    import ast
    import textwrap
    known = {**(local_types or {}), **(getattr(ctx, "typed", None) or {})}
    cand = {p: known[v.id] for p, v in bound.arguments.items() if isinstance(v, gast.Name) and v.id in known
            and isinstance(known[v.id], type) and known[v.id].__module__.split(".")[0] not in ("builtins", "numpy")}
    if not cand:
        return ()
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return ()
    out = []
    for p, cls in cand.items():
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)
               and n.func.value.id == p and isinstance(inspect.getattr_static(cls, n.func.attr, None),
                                                       types.FunctionType)
               or isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "type"
               and len(n.args) == 1 and isinstance(n.args[0], ast.Name) and n.args[0].id == p   # type(p)(...)
               or isinstance(n, ast.Attribute) and n.attr == "__class__" and isinstance(n.value, ast.Name)
               and n.value.id == p
               or isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == p   # model(X)
               and isinstance(inspect.getattr_static(cls, "__call__", None), types.FunctionType)
               for n in ast.walk(tree)):
            out.append((p, ("record", cls)))
    return tuple(out)


def iterates_unindexable(sig, primal):
    """True when ``primal`` loops over a parameter that ``sig`` pins to an ``unindexable`` class: only the code
    made for that class can run it (the generic code indexes the loop by position)."""
    import ast
    import textwrap
    names = {p for p, k in sig
             if isinstance(k, tuple) and (k[0] == "record" and unindexable(k[1]) or k[0] == "iterator")}
    if not names or primal is None:
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(primal)))
    except (OSError, TypeError, SyntaxError):
        return False
    return any(isinstance(n, (ast.For, ast.comprehension)) and any(a.id in names for a in _walked(n.iter, ast))
               for n in ast.walk(tree))


def _walked(it, mod):
    """The names a loop over ``it`` walks: ``it`` itself, or the arguments of ``enumerate(...)`` / ``zip(...)``
    (nested), in ``mod``'s syntax tree (ast or gast)."""
    if isinstance(it, mod.Name):
        return [it]
    if isinstance(it, mod.Call) and isinstance(it.func, mod.Name) and it.func.id in ("enumerate", "zip"):
        return [n for a in it.args[:1 if it.func.id == "enumerate" else None] for n in _walked(a, mod)]
    return []


def _iterate_objects(fn, typed):
    """``for xb in loader``, ``loader`` of a pinned class that defines ``__iter__`` but cannot be indexed by
    position (no ``__len__`` and ``__getitem__``: a data loader): ``for xb in iter(loader)``, which the loop
    walks as the list of what the iterator yields (s2s/normalize.py; refused where ``loader`` carries a
    derivative). A loop over a name is otherwise indexed by position (``len(loader)``, ``loader[k]``)."""
    from .control import _obj_name
    names = {p for p, cls in typed.items() if unindexable(cls)}
    if not names:
        return
    def wrapped(it):
        call = gast.Call(func=_obj_name("iter", iter), args=[it], keywords=[])
        return gast.copy_location(call, it) if hasattr(it, "lineno") else call

    for n in gast.walk(fn):
        if not isinstance(n, (gast.For, gast.comprehension)):
            continue
        if isinstance(n.iter, gast.Name) and n.iter.id in names:
            n.iter = wrapped(n.iter)
            continue
        for call in [c for c in gast.walk(n.iter) if isinstance(c, gast.Call) and isinstance(c.func, gast.Name)
                     and c.func.id in ("enumerate", "zip")]:   # enumerate(loader), zip(loader, ys)
            k = 1 if call.func.id == "enumerate" else len(call.args)
            call.args = [wrapped(a) if i < k and isinstance(a, gast.Name) and a.id in names else a
                         for i, a in enumerate(call.args)]


def _generator_methods(ctx, fn):
    """``p.parameters()``, a generator method of ``p``'s pinned class: ``Cls_parameters(p)``, a call of the
    function, which the generator lowering inlines where a loop or ``list(...)`` consumes it."""
    from .control import _name, _obj_name
    for n in gast.walk(fn):
        f = n.func if isinstance(n, gast.Call) else None
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and f.value.id in ctx.typed:
            m = inspect.getattr_static(ctx.typed[f.value.id], f.attr, None)
            if inspect.isgeneratorfunction(m):
                n.func = gast.copy_location(_obj_name(m.__qualname__.replace(".", "_"), m), f)
                n.args = [_name(f.value.id)] + list(n.args)


def static_receiver(ctx, name, method):
    """The class of ``name`` when ``name.method(...)`` (``method`` "__call__" for ``name(...)``) is differentiated
    from the method's source, statically; None when the call keeps its run-time dispatch (``pullback``): the
    class is not pinned, or the object is a constant (not differentiated) whose method changes it in place
    (``self.cache["X"] = X``: the run-time dispatch performs such changes as the primal does)."""
    from .effects import params_changed
    cls = (getattr(ctx, "typed", None) or {}).get(name)
    fn = getattr(cls, method, None) if cls is not None else None
    if not isinstance(fn, types.FunctionType):
        return None
    if name in getattr(ctx, "pinned_wrt", ()):
        return cls
    self_name = fn.__code__.co_varnames[0] if fn.__code__.co_argcount else None
    return None if self_name in params_changed(fn) else cls


def user_class_method(ctx, name):
    """True when a class of the user's among the globals and closure of ``ctx``'s function has a method
    ``name`` written in Python (not NumPy's, nor a class of an array library: a Dask array's methods are Python)."""
    fn = getattr(ctx, "fn", None)
    if fn is None or getattr(fn, "s2s_generated", False):
        return False
    values = list(getattr(fn, "__globals__", {}).values())
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:
            pass
    for v in values:
        if isinstance(v, type) and (getattr(v, "__module__", "") or "").partition(".")[0] not in _ARRAY_LIBRARIES:
            try:
                method = inspect.getattr_static(v, name, None)
            except Exception:   # noqa: BLE001 (a class whose attribute lookup fails: not the user's vector)
                continue
            if isinstance(method, (types.FunctionType, staticmethod, classmethod, property)):
                return True
    return False


_ARRAY_LIBRARIES = {"numpy", "builtins", "dask", "jax", "jaxlib", "cupy", "torch", "scipy", "pandas", "xarray",
                    "array_api_compat", "array_api_strict", "sparse", "numba", "s2s", "abc", "typing", "collections"}


def rebuild_arguments(ctx, fn):
    """A pinned dataclass argument ``p`` whose class computes attributes in ``__post_init__``
    (s2s/dataclass_init.py ``rebuildable``), only read in the function: ``check_rebuilt(p)`` then
    ``p_1 = Cls(a=p.a, ...)`` first and ``p_1`` for ``p`` after, an object built in the function (taken apart by
    s2s/objects.py, its ``__post_init__`` inlined): the derivative of what ``__post_init__`` computes flows into
    the fields. ``ctx.typed`` loses ``p``."""
    from .control import _assign, _name, _obj_name
    from .dataclass_init import check_rebuilt, rebuildable
    import dataclasses
    for p, cls in list(ctx.typed.items()):
        if not rebuildable(cls) or _written(fn, p):
            continue
        new = ctx.namer.local(p)
        for n in gast.walk(fn):
            if isinstance(n, gast.Name) and n.id == p and isinstance(n.ctx, gast.Load):
                n.id = new
        check = gast.Expr(value=gast.Call(func=_obj_name("check_rebuilt", check_rebuilt), args=[_name(p)], keywords=[]))
        build = _assign(_name(new, gast.Store()), gast.Call(func=_obj_name(cls.__name__, cls), args=[], keywords=[
            gast.keyword(arg=f.name, value=gast.Attribute(value=_name(p), attr=f.name, ctx=gast.Load()))
            for f in dataclasses.fields(cls)]))
        at = fn.body[0]
        for st in (check, build):
            for n in gast.walk(st):
                if isinstance(n, (gast.stmt, gast.expr)):
                    gast.copy_location(n, at)
        fn.body[:0] = [check, build]
        del ctx.typed[p]


def _written(fn, p):
    """``p.a = v``, ``p.a[i] = v``, ``del p.a`` or a method call that may change ``p``: the object is more than read."""
    for n in gast.walk(fn):
        if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, (gast.Store, gast.Del)):
            root = n
            while isinstance(root, (gast.Attribute, gast.Subscript)):
                root = root.value
            if isinstance(root, gast.Name) and root.id == p:
                return True
    return False
