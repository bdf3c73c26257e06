"""What the calls a function makes may change among module-level state (review 15), asked by
s2s/state_reads.py before it reads a global number or array once into a local.

A user function's summary is read from its source (flow-insensitive) and, transitively, from the user
functions it calls: the objects it may change (an item, an attribute, in place: ``G.a = v``, ``D[k] = v``,
``CHECKS.append(v)``, ``BUF[:] = v``), the globals it rebinds (``global SCALE``) and the parameters it may
change, which each call maps to the arguments it gives. Each local has "origins": the parameters and
global objects its value may be or hold (``t = G.buf; t[:] = 0`` changes G.buf, a new array of
``np.zeros`` or ``x * 2`` nothing outside). What the analysis cannot follow (a callee not known when the
gradient is made, a function without source, recursion, ``nonlocal``, a value of unknown origin changed, a
parameter of the differentiated function changed by a helper) answers ANY: anything may change, as before.
"""
import builtins
import dataclasses
import inspect
import sys
import textwrap
import types

import gast
import numpy as np

from . import astutil, wrappers
from .effects import MUTATING_METHODS, WRITING_FUNCTIONS

UNK = ("?",)
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"numpy", "scipy", "s2s", "jax", "torch", "sklearn"}
# library functions that change their first argument (besides MUTATING_METHODS and NumPy's writers)
_WRITES_FIRST = MUTATING_METHODS | WRITING_FUNCTIONS | {
    "shuffle", "heappush", "heappop", "heapify", "heapreplace", "heappushpop", "insort", "insort_left",
    "insort_right", "setitem", "delitem", "setattr", "delattr", "iadd", "isub", "imul", "itruediv", "iconcat",
    "ior", "iand", "__setattr__", "__setitem__", "__delitem__", "__delattr__", "__iadd__", "__imul__", "__isub__",
    "__itruediv__", "__ior__", "apply_defaults", "copyto"}
# library functions returning a new value that shares nothing with their arguments
_FRESH = frozenset({"zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
                    "arange", "linspace", "logspace", "eye", "identity", "copy", "deepcopy", "copy_value",
                    "copy_deep", "concatenate", "stack", "vstack", "hstack", "column_stack", "len", "isinstance",
                    "hasattr", "signature", "repr", "str", "format", "sub", "tolist", "sum", "mean", "max", "min",
                    "abs", "exp", "log", "sqrt", "dot", "matmul", "einsum", "outer", "float", "int", "bool"})


class ANYTHING(Exception):
    """Raised inside the analysis: anything may change."""


class Summary:
    """writes: {(token, attr or None)}; returns: {token}. A token is ("p", name), ("g", id) or UNK."""

    def __init__(self, writes, returns):
        self.writes, self.returns = writes, returns


def library(fn):
    """A function of a library (NumPy, the standard library, s2s...): its code changes nothing of the user's but
    what its name says (_WRITES_FIRST, ``out=``)."""
    g = getattr(fn, "__globals__", None)
    mod = g.get("__name__") if isinstance(g, dict) else getattr(fn, "__module__", None)
    if not isinstance(mod, str):
        mod = getattr(getattr(fn, "__func__", None), "__module__", None)
    return not isinstance(mod, str) or mod.split(".")[0] in _STDLIB


class Analysis:
    """Summaries of the functions one gradient's function calls (made once per gradient: globals are read now)."""

    def __init__(self):
        self.objs = {}    # id -> object, for ("g", id) tokens
        self.memo = {}
        self.busy = set()

    def token(self, obj):
        if isinstance(obj, types.ModuleType):
            obj = obj.__dict__
        self.objs[id(obj)] = obj
        return ("g", id(obj))

    def summary(self, fn):
        key = id(fn)
        if key in self.memo:
            return self.memo[key]
        if key in self.busy:   # recursion
            raise ANYTHING
        self.busy.add(key)
        try:
            node = _source(fn)
            if node is None:
                raise ANYTHING
            body = _Body(self, node.body, _params(node), _resolver(fn), fn)
            out = body.run()
        finally:
            self.busy.discard(key)
        self.memo[key] = out
        return out


def _source(fn):
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    if getattr(fn, "__wrapped__", None) is None:
        from .parse import parse_function
        try:
            return parse_function(fn).node
        except Exception:   # noqa: BLE001 (no source: unknown)
            return None
    try:
        lines, _ = inspect.getsourcelines(code)   # the wrapper's own code, not the function it wraps
        module = gast.parse(textwrap.dedent("".join(lines)))
    except Exception:   # noqa: BLE001
        return None
    return next((n for n in module.body if isinstance(n, gast.FunctionDef) and n.name == code.co_name), None)


def _params(node):
    a = node.args
    out = [p.id for p in a.posonlyargs + a.args + a.kwonlyargs]
    out += [p.id for p in (a.vararg, a.kwarg) if p is not None]
    return out


def _resolver(fn):
    g = getattr(fn, "__globals__", {})
    code = fn.__code__
    cells = dict(zip(code.co_freevars, fn.__closure__ or ()))

    def resolve(name):
        if name in cells:
            try:
                return cells[name].cell_contents
            except ValueError:
                return _MISSING
        if name in g:
            return g[name]
        return getattr(builtins, name, _MISSING)
    resolve.globals = g
    return resolve


_MISSING = object()


def _targets(t):
    if isinstance(t, gast.Name):
        return [t.id]
    if isinstance(t, (gast.Tuple, gast.List)):
        return [n for e in t.elts for n in _targets(e)]
    if isinstance(t, gast.Starred):
        return _targets(t.value)
    return []


class _Body:
    """One function's body: its locals' origins (a fixpoint), then what it changes."""

    def __init__(self, an, body, params, resolve, fn, top=None):
        self.an, self.body, self.params, self.resolve, self.fn = an, body, params, resolve, fn
        self.top = top   # the differentiated function's ctx (its own stores into locals are followed elsewhere)
        self.origins = {p: {("p", p)} for p in params}
        self.statics, self.local_fns, self.globals_, self.binds = {}, set(), set(), []
        module = gast.Module(body=body, type_ignores=[])
        self.nodes = list(astutil.walk_bfs(module))
        for n in self.nodes:
            if isinstance(n, gast.Global):
                self.globals_.update(n.names)
            elif isinstance(n, gast.Nonlocal):
                raise ANYTHING
        self.locals = set(params)
        for n in self.nodes:
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                self.locals.add(n.id)
            elif isinstance(n, (gast.FunctionDef, gast.ClassDef)):
                self.locals.add(n.name)
                self.local_fns.add(n.name)
            elif isinstance(n, (gast.Import, gast.ImportFrom)):
                self._import(n)
        if top is not None:
            self.locals |= set(top.locals)
        self.locals -= self.globals_
        for n in self.nodes:
            self._collect(n)

    def _import(self, n):
        for a in n.names:
            name = (a.asname or a.name).split(".")[0]
            self.locals.add(name)
            if isinstance(n, gast.Import):
                obj = sys.modules.get(a.name if a.asname else a.name.split(".")[0], _MISSING)
            else:
                pkg = getattr(self.resolve, "globals", {}).get("__package__") or ""
                base = n.module or ""
                if n.level:
                    parts = pkg.split(".")
                    base = ".".join(parts[:len(parts) - n.level + 1] + ([base] if base else []))
                obj = getattr(sys.modules.get(base), a.name, _MISSING) if base in sys.modules else _MISSING
            self.statics[name] = obj

    def _collect(self, n):
        if isinstance(n, gast.Assign):
            for t in n.targets:
                self.binds += [(name, n.value) for name in _targets(t)]
        elif isinstance(n, (gast.AugAssign, gast.AnnAssign, gast.NamedExpr)) and n.value is not None:
            self.binds += [(name, n.value) for name in _targets(n.target)]
        elif isinstance(n, (gast.For, gast.comprehension)):
            self.binds += [(name, n.iter) for name in _targets(n.target)]
        elif isinstance(n, gast.withitem) and n.optional_vars is not None:
            self.binds += [(name, n.context_expr) for name in _targets(n.optional_vars)]
        elif isinstance(n, (gast.FunctionDef, gast.Lambda)):
            for p in _params(n):
                self.binds.append((p, None))   # a nested function's parameters: unknown

    def run(self):
        changed = True
        while changed:
            changed = False
            for name, value in self.binds:
                new = {UNK} if value is None else self.value(value)
                old = self.origins.setdefault(name, set())
                if not new <= old:
                    old |= new
                    changed = True
        writes, returns = set(), set()
        for n in self.nodes:
            writes |= self._writes(n)
            if isinstance(n, gast.Return) and n.value is not None:
                returns |= self.value(n.value)
        return Summary(frozenset(writes), frozenset(returns))

    # ---------------------------------------------------------------- values
    def static(self, node):
        """The object a global name or attribute chain refers to now, or _MISSING."""
        if isinstance(node, gast.Name):
            if node.id in self.statics:
                return self.statics[node.id]
            if self.top is not None:
                from .anno import getanno, hasanno
                if hasanno(node, "obj"):
                    return getanno(node, "obj")
            if node.id in self.locals:
                return _MISSING
            return self.resolve(node.id)
        if isinstance(node, gast.Attribute):
            base = self.static(node.value)
            if base is _MISSING:
                return _MISSING
            try:
                return getattr(base, node.attr)
            except Exception:   # noqa: BLE001 (a property that raises)
                return _MISSING
        return _MISSING

    def value(self, node):
        """The origins of an expression's value."""
        if isinstance(node, (gast.Name, gast.Attribute)):
            obj = self.static(node)
            if obj is not _MISSING:
                return {self.an.token(obj)}
            if isinstance(node, gast.Name):
                if node.id in self.locals:
                    return set(self.origins.get(node.id, ()))
                return {UNK}
            return self.value(node.value)
        if isinstance(node, gast.Subscript):
            return self.value(node.value)
        if isinstance(node, (gast.Constant, gast.JoinedStr, gast.Lambda, gast.BinOp, gast.UnaryOp, gast.Compare)):
            return set()
        if isinstance(node, gast.Call):
            return self.call(node)[0]
        if isinstance(node, (gast.Yield, gast.YieldFrom, gast.Await)):
            return {UNK}
        out = set()
        for child in gast.iter_child_nodes(node):
            if isinstance(child, gast.expr) and not isinstance(child, gast.Name) or isinstance(child, gast.Name) \
                    and isinstance(child.ctx, gast.Load):
                out |= self.value(child)
            elif isinstance(child, gast.comprehension):
                out |= self.value(child.iter)
        return out

    def args_of(self, call):
        return set().union(*([self.value(a) for a in call.args] + [self.value(k.value) for k in call.keywords]))

    # ---------------------------------------------------------------- calls
    def call(self, call):
        """(origins of the result, {(token, attr)} it changes)."""
        func = call.func
        obj = self.static(func)
        if obj is _MISSING:
            if isinstance(func, gast.Name) and func.id in self.local_fns:
                return {UNK}, set()   # a nested function: its body is part of this one's
            if isinstance(func, gast.Attribute):
                return self._method(call, func)
            raise ANYTHING
        return self.callee(obj, call)

    def _method(self, call, func):
        recv = self.value(func.value)
        res = recv | self.args_of(call)
        if func.attr in _WRITES_FIRST:
            return res, {(t, None) for t in recv}
        # (a parameter's or an unknown value's method, even one named like a builtin one: x.copy() may be a
        # method of the user's changing x; a new value's changes nothing outside)
        writes = set()
        for t in recv:
            if t[0] == "g":   # a method of a global object: its class's
                owner = self.an.objs[t[1]]
                m = getattr(type(owner), func.attr, None)
                if isinstance(m, types.FunctionType) and not library(m):
                    sub = self._bound(m, call, [owner])
                    writes |= sub[1]
                    res |= sub[0]
                    continue
                if library(type(owner)) and not isinstance(m, types.FunctionType):
                    continue   # a method of a library's object (rng.normal, a compiled pattern's sub)
            writes.add((t, None))
        return res, writes

    def callee(self, obj, call):
        if isinstance(obj, type):
            return self._class(obj, call)
        if isinstance(obj, types.MethodType):
            owner = obj.__self__
            fn = obj.__func__
            if library(fn):
                return self._library(fn, call, owner)
            return self._bound(fn, call, [owner])
        if isinstance(obj, types.FunctionType):
            if library(obj):
                wrapped = getattr(obj, "__wrapped__", None)   # contextlib.contextmanager's helper, lru_cache
                if isinstance(wrapped, types.FunctionType) and not library(wrapped):
                    return self.callee(wrapped, call)
                return self._library(obj, call, None)
            if wrappers.is_validating(obj):   # its checks (validated), then the function it wraps
                res, writes = self._bound(obj.__wrapped__, call, [])
                return res, writes | self._checks_of(obj)
            return self._bound(obj, call, [])
        if isinstance(obj, types.BuiltinFunctionType) or isinstance(obj, np.ufunc) or callable(obj) and library(obj) \
                or library(type(obj)):
            wrapped = getattr(obj, "__wrapped__", None)
            if isinstance(wrapped, types.FunctionType) and not library(wrapped):
                return self.callee(wrapped, call)
            owner = getattr(obj, "__self__", None)
            return self._library(obj, call, None if isinstance(owner, types.ModuleType) else owner)
        m = getattr(type(obj), "__call__", None)   # a callable object of the user's
        if isinstance(m, types.FunctionType):
            return self._bound(m, call, [obj])
        raise ANYTHING

    def _library(self, fn, call, owner):
        name = getattr(fn, "__name__", "")
        res = self.args_of(call) | ({self.an.token(owner)} if owner is not None else set())
        writes = set()
        for k in call.keywords:
            if k.arg == "out":
                writes |= {(t, None) for t in self.value(k.value)}
        if isinstance(fn, np.ufunc) and len(call.args) > fn.nin:
            writes |= {(t, None) for a in call.args[fn.nin:] for t in self.value(a)}
        if name in _WRITES_FIRST:
            if owner is not None and not isinstance(owner, (type, types.ModuleType)):
                writes.add((self.an.token(owner), None))
            elif call.args:
                attr = call.args[1].value if name in ("setattr", "delattr") and len(call.args) > 1 \
                    and isinstance(call.args[1], gast.Constant) and isinstance(call.args[1].value, str) else None
                writes |= {(t, attr) for t in self.value(call.args[0])}
        for a in list(call.args) + [k.value for k in call.keywords]:   # map(f, ...), sorted(key=f): f runs
            f = self.static(a) if isinstance(a, (gast.Name, gast.Attribute)) else _MISSING
            if isinstance(f, (types.FunctionType, types.MethodType)) and not library(f):
                writes |= self._opaque_call(f)
        if name in _FRESH or name.endswith("_like"):
            res = set()
        return res, writes

    def _opaque_call(self, f):
        """A user function a library calls with arguments s2s does not see: it may change only globals."""
        fn = getattr(f, "__func__", f)
        sub = self.an.summary(fn)
        if any(t[0] != "g" for t, _ in sub.writes):
            raise ANYTHING
        return set(sub.writes)

    def _class(self, cls, call):
        res = self.args_of(call)   # the new object may hold its arguments
        if library(cls):
            return res, set()
        writes = set()
        for name in ("__new__", "__init__", "__post_init__"):
            m = inspect.getattr_static(cls, name, None)
            m = getattr(m, "__func__", m)
            if not isinstance(m, types.FunctionType) or library(m):
                continue
            if dataclasses.is_dataclass(cls) and name == "__init__" and m.__code__.co_filename.startswith("<"):
                continue   # the generated __init__ sets the new object's fields
            sub = self._bound(m, call, [_NEW] if name != "__new__" else [cls])
            writes |= sub[1]
        return res, writes

    def _bound(self, fn, call, first):
        """A user function called with ``first`` (objects) before the call's arguments: its summary mapped."""
        sub = self.an.summary(fn)
        node_params = list(inspect.signature(fn, follow_wrapped=False).parameters.values())
        table = {}
        for p, obj in zip(node_params, first):
            table[p.name] = {self.an.token(obj)} if obj is not _NEW else set()
        rest = node_params[len(first):]
        if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            every = self.args_of(call)
            for p in rest:
                table[p.name] = every
        else:
            try:
                sig = inspect.Signature(rest)
                bound = sig.bind(*call.args, **{k.arg: k.value for k in call.keywords})
            except (TypeError, ValueError):
                raise ANYTHING from None
            for p in rest:
                v = bound.arguments.get(p.name)
                if v is None:
                    table[p.name] = set()
                elif p.kind is p.VAR_POSITIONAL:
                    table[p.name] = set().union(*(self.value(a) for a in v)) if v else set()
                elif p.kind is p.VAR_KEYWORD:
                    table[p.name] = set().union(*(self.value(a) for a in v.values())) if v else set()
                else:
                    table[p.name] = self.value(v)

        def mapped(tokens):
            out = set()
            for t in tokens:
                out |= table.get(t[1], {UNK}) if t[0] == "p" else {t}
            return out
        writes = {(t, attr) for tok, attr in sub.writes for t in mapped({tok})}
        return mapped(sub.returns), writes

    # ---------------------------------------------------------------- changes
    def _writes(self, n):
        out = set()
        if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, (gast.Store, gast.Del)):
            root = n.value
            if self._own_local(root):
                return out
            obj = self.static(root)
            attr = n.attr if isinstance(n, gast.Attribute) else None
            if obj is not _MISSING:
                out.add((self.an.token(obj), attr))
            else:
                out |= {(t, None) for t in self.value(root)}
        elif isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)) and n.id in self.globals_:
            out.add((self.an.token(self.resolve.globals), n.id))
        elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name) and n.target.id in self.locals \
                and not self._own_local(n.target):
            out |= {(t, None) for t in self.origins.get(n.target.id, ())}   # lst += [...]: in place
        elif isinstance(n, gast.Call):
            if self.top is not None and isinstance(n.func, gast.Attribute) and self._own_local(n.func.value):
                return out   # a method of a local of the differentiated function (objects of the user's: inlined)
            if self.top is not None and self._validated(n):
                return self._checks(n)
            out |= self.call(n)[1]
        return out

    def _own_local(self, node):
        """A local of the differentiated function (its own stores and methods are followed by other passes)."""
        while isinstance(node, (gast.Attribute, gast.Subscript)):
            node = node.value
        return self.top is not None and isinstance(node, gast.Name) and node.id in self.top.locals

    def _validated(self, call):
        return self.static(call.func) is wrappers.validated and call.args

    def _checks(self, call):
        """``validated(wrapper, *args)``: the decorator's checks run on arguments s2s makes read-only (arrays) or
        compares after (lists, dicts): what they change of those is refused at run time; the rest counts."""
        wrapper = self.static(call.args[0])
        if not isinstance(wrapper, types.FunctionType):
            raise ANYTHING
        return self._checks_of(wrapper)

    def _checks_of(self, wrapper):
        return {(t, a) for t, a in self.an.summary(wrapper).writes if t[0] != "p"}


_NEW = object()


def summarize(body, ctx):
    """(Analysis, {(token, attr)}) for the differentiated function's core-form ``body``, or None for ANY."""
    an = Analysis()

    def resolve(name):
        from .parse import _MISSING as missing
        v = ctx.resolve_name(name)
        return _MISSING if v is missing else v
    resolve.globals = ctx.globals
    try:
        writes = _Body(an, body, _params(ctx.node), resolve, ctx.fn, top=ctx).run().writes
    except ANYTHING:
        return None
    except RecursionError:
        return None
    if any(t[0] != "g" for t, _ in writes):
        return None   # a parameter of the function (the caller's value, maybe a global) or unknown
    return an, writes


class Changed:
    """What a function's calls may change (``summarize``), asked of each global value it reads."""

    LIMIT = 20000   # objects looked through for what a changed object holds; beyond it: anything

    def __init__(self, an, writes):
        self.attrs = {(t[1], attr) for t, attr in writes if attr is not None}
        deep = [an.objs[t[1]] for t, attr in writes if attr is None]
        self.ids, self.arrays = set(), []
        self.everything = False
        todo, depth = deep, 0
        while todo and depth <= 3:
            nxt = []
            for o in todo:
                if id(o) in self.ids:
                    continue
                self.ids.add(id(o))
                if isinstance(o, np.ndarray):
                    self.arrays.append(o)
                    continue
                nxt.extend(_held(o))
            if len(self.ids) > self.LIMIT:
                self.everything = True
                return
            todo, depth = nxt, depth + 1

    def __bool__(self):
        return self.everything or bool(self.attrs or self.ids)

    def touches(self, path):
        """True if a read along ``path`` ([(container or None, key, value)], from the root) may see a change."""
        if self.everything:
            return True
        for container, key, value in path:
            if container is not None:
                box = container.__dict__ if isinstance(container, types.ModuleType) else container
                if id(box) in self.ids or key is not None and (id(box), key) in self.attrs:
                    return True
                if key is not None and not isinstance(container, (type, types.ModuleType, dict)) \
                        and key not in getattr(container, "__dict__", {}):
                    if any((id(c), key) in self.attrs for c in type(container).__mro__):
                        return True   # a class attribute read through an instance
            if value is _MISSING:
                return container is None or id(container) in self.ids
            if id(value) in self.ids or isinstance(value, types.ModuleType) and id(value.__dict__) in self.ids:
                return True
            if isinstance(value, np.ndarray) and any(np.may_share_memory(value, a) for a in self.arrays):
                return True
        return False


def _held(o):
    """The objects ``o`` holds (items, attributes), to look through for what a change of ``o`` may reach."""
    if isinstance(o, dict):
        return list(o.values())
    if isinstance(o, (list, tuple, set, frozenset)):
        return list(o)
    if isinstance(o, (types.FunctionType, types.BuiltinFunctionType, types.ModuleType, str, bytes, int, float,
                      complex)):
        return []
    d = getattr(o, "__dict__", None)
    return list(d.values()) if isinstance(d, dict) else []
