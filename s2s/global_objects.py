"""Global objects whose attributes the function sets and reads back (issue 11): objects in a global list
(``LAYERS[0].W = ...; for layer in LAYERS: h = layer.forward(h)``), unrolled over the list (``same_items``
refuses at run time if the list changed), and a global object itself (``NET.W = W; return NET.forward(X)``).
Their methods are inlined (s2s/objects.py ``_Objects.inline``) and an attribute the function sets is a
variable from its first setting on; the settings stay, so the objects change as in Python.
"""
import copy
import inspect
import types

import gast

from . import astutil
from .anno import setanno
from .effects import MUTATING_METHODS
from .control import _assign, _at, _call, _jumps, _name, _obj_name, _stored, _walk_own, same_items
from .objects import _Objects, _plain_class, _root_name
from .object_lists import COMPUTED


class _GlobalObjects:
    """Objects held in a global list, their attributes set and read in the function (layers of a network):

        LAYERS[0].W = params["W0"]          layer_0.W = W   (W = params["W0"]: a variable)
        for layer in LAYERS:          ->    h = h @ W + b   (layer_0.forward inlined, self.W read as W)
            h = layer.forward(h)            ...

    The loop over the list is unrolled over the objects it holds when the gradient is generated (a
    check at the top, ``same_items(LAYERS, ...)``, refuses if the list changed since), their methods
    are inlined, and an attribute set by the function is a variable from its first setting on; the
    settings themselves stay (the objects change as in Python). Used only when the function sets an
    attribute of one of the objects that it reads back, and everything else about them is plain.
    """

    def __init__(self, lw):
        self.lw = lw
        self.ctx = lw.ctx

    def _global_list(self, node):
        if not isinstance(node, gast.Name) or node.id in self.ctx.locals:
            return None
        from .parse import _MISSING
        seq = self.ctx.resolve_name(node.id)
        if seq is _MISSING or not isinstance(seq, (list, tuple)) or not 0 < len(seq) <= 16 \
                or not all(_plain_class(type(o)) for o in seq):
            return None
        return seq

    def run(self, body):
        # only when an attribute of an element is set in this function: G[k].a = v
        lists = set()
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store) and isinstance(n.value, gast.Subscript) \
                    and self._global_list(n.value.value) is not None:
                lists.add(n.value.value.id)
        for g in sorted(lists):
            new = self.one(copy.deepcopy(body), g)
            if new is not None:
                body = new
        # G.a = v, G a global object of a plain class of the user's (NET.W = W; return NET.forward(X))
        objects = set()
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store) and self._global_object(n.value):
                objects.add(n.value.id)
        for g in sorted(objects):
            new = self.single(copy.deepcopy(body), g)
            if new is not None:
                body = new
        return body

    def _global_object(self, node):
        """True for a global name bound to an object of a plain class of the user's (not a class or a function)."""
        if not isinstance(node, gast.Name) or node.id in self.ctx.locals:
            return False
        from .parse import _MISSING
        obj = self.ctx.resolve_name(node.id)
        return obj is not _MISSING and not isinstance(obj, (type, types.FunctionType, types.ModuleType)) \
            and _plain_class(type(obj))

    def _calls_reaching(self, body, obj):
        """True when a call left in ``body`` (a function of the user's not inlined) may reach ``obj`` through the
        globals it reads: it could change the attributes this rewrite reads from variables."""
        from .parse import _MISSING
        for n in _walk_own(body):
            if isinstance(n, gast.Call):
                f = self.ctx.resolve(n.func)
                if f is _MISSING and isinstance(n.func, gast.Name) or f is not _MISSING and _reaches(f, obj):
                    return True
        return False

    def single(self, body, g):
        """The global object ``g`` as an object of the list case: its methods inlined, the attributes the function
        sets variables from their first setting on (the settings stay: the global changes as in Python). The code
        refers to the object ``g`` held when it was generated; rebinding ``g`` makes it stale (fncache)."""
        obj, name = self.ctx.resolve_name(g), g   # (messages show the user's name)
        if any(isinstance(n, gast.Name) and n.id == g and not isinstance(n.ctx, gast.Load) for n in _walk_own(body)):
            return None   # global G; G = ...: the name itself changes
        body = _split_tuple_stores(body)
        new = _Objects(self.lw)
        new.count = 0
        new = new.inline(body, name, type(obj))
        if new is None:
            return None
        for n in _walk_own(new):
            if isinstance(n, gast.Name) and n.id == name:
                setanno(n, "obj", obj)
        return self.attributes(new, name, obj)

    def one(self, body, g):
        seq = self.ctx.resolve_name(g)
        names = [f"{g.lower()}_{k}" for k in range(len(seq))]   # (bound in the namespace, which makes them unique)

        def ref(k):
            n = _name(names[k])
            setanno(n, "obj", seq[k])
            return n

        class Index(gast.NodeTransformer):   # G[k] -> the k-th object
            def visit_Subscript(self, node):
                self.generic_visit(node)
                if isinstance(node.value, gast.Name) and node.value.id == g and isinstance(node.slice, gast.Constant) \
                        and type(node.slice.value) is int and -len(seq) <= node.slice.value < len(seq):
                    return gast.copy_location(ref(node.slice.value % len(seq)), node)
                return node
        body = [Index().visit(st) for st in _split_tuple_stores(body)]
        body = self.unroll(body, g, ref)
        if body is None or any(isinstance(n, gast.Name) and n.id == g for n in _walk_own(body)):
            return None   # the list itself is still used: not followed
        for k, name in enumerate(names):
            objs = _Objects(self.lw)
            objs.count = 0
            new = objs.inline(body, name, type(seq[k]))
            if new is None:
                return None
            for n in _walk_own(new):
                if isinstance(n, gast.Name) and n.id == name:
                    setanno(n, "obj", seq[k])
            new = self.attributes(new, name, seq[k])
            if new is None:
                return None
            body = new
        guard = gast.Expr(value=_call(_obj_name("same_items", same_items),
                                      [_obj_name(g, seq)] + [ref(k) for k in range(len(seq))]))
        return _at([guard], body[0]) + body

    def unroll(self, body, g, ref):
        out = []
        for st in body:
            if isinstance(st, gast.For) and isinstance(st.iter, gast.Name) and st.iter.id == g \
                    and isinstance(st.target, gast.Name) and not st.orelse and not any(_jumps(st.body)):
                v = st.target.id
                if v in _stored(st.body):
                    return None
                for k in range(len(self.ctx.resolve_name(g))):
                    class Sub(gast.NodeTransformer):
                        def visit_Name(self, node):
                            return gast.copy_location(ref(k), node) if node.id == v else node
                    out.extend(Sub().visit(copy.deepcopy(s)) for s in st.body)
                continue
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    new = self.unroll(sub, g, ref)
                    if new is None:
                        return None
                    setattr(st, field, new)
            out.append(st)
        return out

    def attributes(self, body, name, obj):
        """Reads of ``name.a`` after ``name.a`` is first set (at the top level) read a variable instead, when every
        setting of every attribute is such a plain top-level ``name.a = v``; None (not followed) when one is set
        inside a block (``if c: name.a = 2 * W``: a later read may see either), by ``+=``, or deleted."""
        first, other = {}, set()
        for i, st in enumerate(body):
            for n in _walk_own([st]):
                if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name \
                        and isinstance(n.ctx, (gast.Store, gast.Del)):
                    if isinstance(st, gast.Assign) and len(st.targets) == 1 and st.targets[0] is n:
                        first.setdefault(n.attr, i)
                    else:
                        other.add(n.attr)   # set inside a block, or in a complex statement
            for n in gast.walk(st):   # name.a[k] = v, name.a.b = v, name.a.append(v): name.a changes otherwise
                if isinstance(n, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Delete)):
                    targets = n.targets if isinstance(n, (gast.Assign, gast.Delete)) else [n.target]
                elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) \
                        and n.func.attr in MUTATING_METHODS:
                    targets = [n.func]   # name.a.append(v), name.a.fill(0)
                else:
                    continue
                for t in targets:
                    depth = 0
                    while isinstance(t, (gast.Subscript, gast.Attribute)) and not isinstance(t.value, gast.Name):
                        t, depth = t.value, depth + 1
                    if depth and isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name) \
                            and t.value.id == name:
                        other.add(t.attr)
        if other or _escapes(body, name) or self._calls_reaching(body, obj):
            return None
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name \
                    and isinstance(n.ctx, gast.Load) and isinstance(inspect.getattr_static(type(obj), n.attr, None),
                                                                    (*COMPUTED, types.FunctionType)):
                return None
        var = {a: self.lw.fresh(a) for a in first}
        out = []
        for i, st in enumerate(body):
            class Reads(gast.NodeTransformer):
                def visit_Attribute(self, node):
                    self.generic_visit(node)
                    if isinstance(node.value, gast.Name) and node.value.id == name and isinstance(node.ctx, gast.Load) \
                            and node.attr in first and first[node.attr] < i:
                        return gast.copy_location(_name(var[node.attr]), node)
                    return node
            if i in first.values() and isinstance(st, gast.Assign):
                t = st.targets[0]
                if isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name) and t.value.id == name:
                    value = Reads().visit(st.value)
                    out.append(gast.copy_location(_assign(_name(var[t.attr], gast.Store()), value), st))
                    store = gast.copy_location(_assign(t, _name(var[t.attr])), st)
                    setanno(t, "state_store")   # the object changes as in Python; nothing reads it back here
                    out.append(store)
                    continue
            st = Reads().visit(st)
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Attribute) \
                    and isinstance(st.targets[0].value, gast.Name) and st.targets[0].value.id == name:
                a = st.targets[0].attr
                if a in first and first[a] < i:   # a later setting: the variable follows it
                    out.append(gast.copy_location(_assign(_name(var[a], gast.Store()), st.value), st))
                    store = gast.copy_location(_assign(st.targets[0], _name(var[a])), st)
                    setanno(st.targets[0], "state_store")
                    out.append(store)
                    continue
            out.append(st)
        return out


def _reaches(f, obj, depth=4, seen=None):
    """True when the function (or class) ``f`` of the user's may reach ``obj`` through the globals its code reads
    (itself, a container or an object of the user's that may hold it, or such a function in turn)."""
    from .state_paths import _users
    seen = set() if seen is None else seen
    if id(f) in seen:
        return False
    seen.add(id(f))
    if isinstance(f, type):   # a class: its methods
        return f.__module__ not in ("builtins",) and any(
            _reaches(v, obj, depth, seen) for k in f.__mro__ if k is not object for v in vars(k).values()
            if isinstance(v, (types.FunctionType, staticmethod, classmethod, property)))
    f = getattr(f, "__func__", getattr(f, "fget", f))
    if not isinstance(f, types.FunctionType) or not _users(f):
        return False
    if depth <= 0:
        return True
    codes, names = [f.__code__], set()
    while codes:
        c = codes.pop()
        names |= set(c.co_names)
        codes += [k for k in c.co_consts if isinstance(k, types.CodeType)]
    cells = [c.cell_contents for c in (f.__closure__ or ()) if _filled(c)]
    for v in [f.__globals__[k] for k in names if k in f.__globals__] + cells:
        if v is obj or isinstance(v, (list, dict, set, tuple)) and v or _plain_class(type(v)) \
                or isinstance(v, (type, types.FunctionType, types.MethodType)) and _reaches(v, obj, depth - 1, seen):
            return True
    return False


def _filled(cell):
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _escapes(body, name):
    """True when the object ``name`` is used other than through its attributes (``m = NET``, ``f(NET)``,
    ``setattr(NET, ...)``, ``NET.__dict__``): what it holds may change where these rewrites cannot see."""
    parents = {id(n.value) for n in _walk_own(body) if isinstance(n, gast.Attribute) and not n.attr.startswith("__")}
    return any(isinstance(n, gast.Name) and n.id == name and id(n) not in parents for n in _walk_own(body))


def _split_tuple_stores(body):
    """``a.W, a.b = e1, e2`` -> ``t = e1; t_1 = e2; a.W = t; a.b = t_1`` is left to the caller: here
    only ``G[k].W, G[k].b = e1, e2`` with attribute targets is split into single stores (values first)."""
    out = []
    for st in body:
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Tuple) \
                and isinstance(st.value, gast.Tuple) and len(st.value.elts) == len(st.targets[0].elts) \
                and all(isinstance(t, gast.Attribute) for t in st.targets[0].elts) \
                and all(isinstance(v, (gast.Name, gast.Constant, gast.Subscript)) for v in st.value.elts) \
                and not any(isinstance(n, gast.Call) for n in astutil.walk_bfs(st.value)):
            targets = {_root_name(t) for t in st.targets[0].elts}
            reads = {n.id for n in astutil.walk_bfs(st.value) if isinstance(n, gast.Name)}
            if not targets & reads:
                out.extend(gast.copy_location(_assign(t, v), st) for t, v in zip(st.targets[0].elts, st.value.elts))
                continue
        out.append(st)
    return out
