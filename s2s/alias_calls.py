"""The calls of s2s/alias_guard.py's analysis: what a call's result may share (NumPy views and new arrays,
containers built from their arguments, methods of arrays, lists and dicts), which arguments it writes into
(``out=``, ``overwrite_b=True``, ``np.copyto``, in-place methods), and summaries of the user's own functions
(what they return, hold and write, in terms of their parameters, mapped onto the caller's objects)."""
import inspect

import gast
import numpy as np

from . import aliasing
from .alias_domain import Refused, State, _is_container, overlap, part
from .anno import getanno

_IMMUTABLE_CALLS = frozenset({"len", "isinstance", "float", "int", "bool", "abs", "round", "range", "print", "str",
                              "repr", "hasattr", "id", "type", "callable", "issubclass", "divmod", "pow", "complex",
                              "hash", "format", "all", "any", "sum", "ord", "chr"})
_CONTAINER_CALLS = frozenset({"list", "tuple", "dict", "sorted", "reversed", "zip", "enumerate", "iter", "map",
                              "filter", "set", "frozenset", "concat"})
_ELEMENT_CALLS = frozenset({"min", "max", "next"})
_FRESH_METHODS = aliasing._FRESH_METHODS | {"item", "tolist", "astype", "dot", "all", "any", "argmax", "argmin",
                                            "nonzero", "argsort", "count", "index", "keys", "__len__"}
_VIEW_METHODS = aliasing.VIEW_METHODS
_ELEMENT_METHODS = frozenset({"get", "setdefault", "pop", "popitem", "__getitem__"})
_CONTAINER_METHODS = frozenset({"values", "items"})
_STORE_METHODS = frozenset({"append", "insert", "add", "appendleft"})
_EXTEND_METHODS = frozenset({"extend", "update", "extendleft"})
_ARRAY_IN_PLACE_METHODS = frozenset({"fill", "sort", "put", "resize", "itemset", "partition", "setfield", "byteswap",
                                     "__iadd__", "__isub__", "__imul__", "__itruediv__"})
_NUMPY_VIEWS = {f.__name__ for f in aliasing.VIEW_FUNCTIONS} | {"split", "array_split", "hsplit", "vsplit",
                                                                "dsplit", "broadcast_arrays", "unstack"}


class Calls:
    """The call rules of ``alias_guard.Analysis`` (a mixin: the state lives on the analysis)."""

    def resolve(self, func):
        obj = getanno(func, "obj", None)
        if obj is not None:
            return obj
        try:
            return self.ctx.resolve(func)
        except Exception:
            return None

    def call(self, st, e):
        args = [self.eval(st, a.value if isinstance(a, gast.Starred) else a) for a in e.args]
        kws = {k.arg: self.eval(st, k.value) for k in e.keywords}
        allargs = frozenset().union(*args, *kws.values()) if args or kws else frozenset()
        func = e.func
        fn = self.resolve(func)
        # writes into an argument
        target = aliasing.in_place_target(e, self.ctx)
        if target is not None:
            self.write(st, self.eval(st, target), e, _name_of(target), "call")
        for k in e.keywords:
            if k.arg and k.arg.startswith("overwrite_") and isinstance(k.value, gast.Constant) and k.value.value:
                which = k.arg[len("overwrite_"):]
                pos = {"a": 0, "b": 1}.get(which)
                expr = next((kw.value for kw in e.keywords if kw.arg == which), None)
                if expr is None and pos is not None and pos < len(e.args):
                    expr = e.args[pos]
                objs = self.eval(st, expr) if expr is not None else allargs
                self.write(st, objs, e, None, "overwrite")
        if fn is not None and getattr(fn, "__name__", None) == "shuffle" and e.args:
            self.write(st, args[0], e, None, "call")
        outs = kws.get("out")
        if isinstance(func, gast.Attribute) and not _is_module(self.resolve(func.value)):
            recv = self.eval(st, func.value)
            m = func.attr
            if m in _VIEW_METHODS:
                return frozenset(part(o, "*") for o in recv) | self.read(st, recv, "*")
            if m == "astype" and any(k.arg == "copy" for k in e.keywords):
                return recv | self.alloc(st, e, "array")
            if m == "copy" and not e.args:
                objs = set()
                if any(_is_container(o) for o in recv):
                    objs |= self.alloc(st, e, "container", self.elems(st, recv))
                if any(not _is_container(o) for o in recv):
                    objs |= self.alloc(st, func, "array")
                return frozenset(objs)
            if m in _ELEMENT_METHODS:
                return self.elems(st, recv) | (args[1] if len(args) > 1 else frozenset())
            if m in _CONTAINER_METHODS:
                return self.alloc(st, e, "container", self.elems(st, recv))
            if m in _STORE_METHODS or m in _EXTEND_METHODS:
                held = frozenset().union(*args) if args else frozenset()
                if m in _EXTEND_METHODS:
                    held = self.elems(st, held)
                elif m == "insert" and len(args) > 1:
                    held = args[1]
                self.mutate(st, recv, _name_of(func.value))
                self.store(st, recv, held, e)
                return frozenset()
            if m in ("setdefault",):
                pass
            if m in _ARRAY_IN_PLACE_METHODS:
                arrays = frozenset(o for o in recv if not _is_container(o))
                if arrays:
                    self.write(st, arrays, e, _name_of(func.value), "method")
                return frozenset()
            if m in ("pop", "remove", "clear", "reverse", "popleft"):
                return self.elems(st, recv)
            if m in _FRESH_METHODS:
                return self.alloc(st, e, "array")
            if fn is not None and _is_numpy(fn):
                return self.alloc(st, e, "array")
            # an unknown method: its result may be (part of) its object or arguments
            return self.alloc(st, e, "unknown", self.elems(st, recv | allargs)) | self.elems(st, recv) \
                | recv | allargs
        name = getattr(fn, "__name__", None)
        if fn is None:
            return self.alloc(st, e, "unknown", allargs | self.elems(st, allargs)) | allargs
        if outs is not None:
            return outs
        if name in ("copy_deep", "deepcopy") and not _is_numpy(fn):   # nothing shared with the argument
            return self.alloc(st, e, "unknown")
        if name in ("copy_value", "copy") and not _is_numpy(fn):       # a shallow copy: the same items
            return self.alloc(st, e, "unknown", self.elems(st, allargs))
        if _is_numpy(fn) or isinstance(fn, np.ufunc):
            if fn in aliasing.VIEW_FUNCTIONS or name in _NUMPY_VIEWS:
                first = args[0] if args else frozenset()
                views = frozenset(part(o, "*") for o in first) | first | self.elems(st, first)
                if name in _NUMPY_VIEWS - {f.__name__ for f in aliasing.VIEW_FUNCTIONS}:
                    return self.alloc(st, e, "container", views)
                return views | self.alloc(st, e, "array")
            if any(k.arg == "copy" for k in e.keywords):
                return allargs | self.alloc(st, e, "array")
            return self.alloc(st, e, "array")
        if name in _IMMUTABLE_CALLS and _is_builtin(fn):
            return self.alloc(st, e, "array") if name == "sum" else frozenset()
        if name in _CONTAINER_CALLS and (_is_builtin(fn) or name == "concat"):
            return self.alloc(st, e, "container", self.elems(st, allargs))
        if name in _ELEMENT_CALLS and _is_builtin(fn):
            return self.elems(st, allargs) | allargs
        if _is_s2s(fn) and name not in ("stop_gradient",) and getattr(fn, "s2s_pure", False):
            return self.alloc(st, e, "array")
        if isinstance(fn, type) and not _is_builtin(fn):   # a class of the user's: an object holding its arguments
            return self.alloc(st, e, "container", allargs)
        summary = self.summary(fn)
        if summary is not None:
            return self.apply(st, e, summary, args, kws)
        return self.alloc(st, e, "unknown", allargs | self.elems(st, allargs)) | allargs | self.elems(st, allargs)

    # ------------------------------------------------------------------ user functions

    def summary(self, fn):
        import types
        if not isinstance(fn, types.FunctionType) or getattr(fn, "s2s_generated", False):
            return None
        mod = (getattr(fn, "__module__", None) or "").split(".")[0]
        if mod in ("numpy", "scipy", "s2s", "templates", "builtins"):
            return None
        key = fn.__code__
        if key in self.summaries:
            return self.summaries[key]   # None while in progress: unknown
        self.summaries[key] = None
        try:
            if inspect.isgeneratorfunction(fn):
                raise Refused
            from .normalize import normalize
            from .parse import parse_function
            cctx = parse_function(fn)
            cctx.writes_through = True   # as Python runs it: writes into the caller's objects (no private copy)
            core, _ = normalize(cctx)
            sub = type(self)(core, cctx, self.summaries, check=False)
            sub.run()
            params = [a.id for a in core.args.args + core.args.posonlyargs] + \
                [a.id for a in core.args.kwonlyargs]
            s = (params, sub.returns, sub.end or State(), frozenset(sub.writes), sub.direct)
        except Exception:
            s = None
        self.summaries[key] = s
        return s

    def apply(self, st, e, summary, args, kws):
        params, returns, end, writes, direct = summary
        binding = {}
        for i, p in enumerate(params):
            if i < len(args) and not any(isinstance(a, gast.Starred) for a in e.args[:i + 1]):
                binding[p] = args[i]
            elif p in kws:
                binding[p] = kws[p]
            else:
                binding[p] = frozenset()
        site = id(e)
        st.age(lambda s: isinstance(s, tuple) and s[0] == site)

        def m(o):
            if o[0] == "param":
                return binding.get(o[1], frozenset())
            if o[0] == "alloc":
                return frozenset({("alloc", (site, o[1]), o[2], o[3])})
            if o[0] == "part":
                return self.read(st, m(o[1]), o[2])
            return frozenset({o})

        def ms(objs):
            return frozenset().union(*(m(o) for o in objs)) if objs else frozenset()
        for o, held in end.contents.items():
            for t in m(o):
                st.contents[t] = st.contents.get(t, frozenset()) | ms(held)
        written = ms(writes)
        if written:
            # an argument holding the written array itself (not as an item): s2s follows a helper's writes into
            # its argument's own array (or a view of it) through to the caller's variable
            direct = {a.id for a in e.args if isinstance(a, gast.Name)
                      and any(overlap(o, r) for o in written for r in self.names(st, a.id))}
            self.write(st, written, e, None, "helper", related=direct)
        return ms(returns)

    # ------------------------------------------------------------------ statements


def _name_of(e):
    return e.id if isinstance(e, gast.Name) else None


def _is_module(obj):
    import types
    return isinstance(obj, types.ModuleType)


def _is_numpy(fn):
    return (getattr(fn, "__module__", None) or "").split(".")[0] == "numpy" or isinstance(fn, np.ufunc)


def _is_builtin(fn):
    return getattr(fn, "__module__", None) == "builtins" or getattr(fn, "__name__", None) == "concat"


def _is_s2s(fn):
    return (getattr(fn, "__module__", None) or "").split(".")[0] == "s2s"
