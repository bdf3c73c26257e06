"""Which attributes of an object a statement stores into or reads, and what a method stores on ``self``.

A method that caches on its object (``self.out = z``, ``self.cache["X"] = X``, as plain-NumPy layer
libraries write ``forward``) does that as an effect of the call; the generated code performs the store
as the primal does. The gradient is wrong only if the differentiated code reads that state back (the
value read back carries no gradient). So the question is asked per attribute path and in statement
order. A path is a tuple of attribute names under a variable (``("self", "layers", "out")`` for
``layer.out`` with ``for layer in self.layers``: the items of a list or dict are one path); ``STAR`` stands
for anything below.

- ``stores_of(fn, self_type)``: the paths under each parameter that ``fn`` (or a method of ``self`` it
  calls, or a method it calls on an object it holds) may store a value computed from its arguments into
  (``{"self": {("out",), ("cache",)}}``);
- ``reads_summary(fn, self_type)``: the paths under ``self`` a method may read;
- ``Paths``: for one function's core-form body, what a statement reads and what a call may store;
  an object whose class is known only at run time (``layer.forward(x)``) counts with the union over
  the user's classes that define the method.

effect_checks.check_state refuses a read, after such a store, of a path it may have written.
``follow_own_stores`` lets ``self.out = np.tanh(x); return self.out`` read the value just stored.
"""
import copy
import inspect
import types

import gast

from . import astutil

STAR = "*"
_DEPTH = 4


def _path(node):
    """(root name, attribute path) of ``a.b[i].c`` -> ("a", ("b", "c")) (items are merged); ``a`` -> ("a", ())."""
    attrs = []
    while isinstance(node, (gast.Subscript, gast.Attribute)):
        if isinstance(node, gast.Attribute):
            attrs.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return None, None
    return node.id, tuple(reversed(attrs))[:_DEPTH]


def _alias_source(st):
    """(alias name, source expression) for ``t = o.a``, ``t = o[i]``, ``for t in o.a`` (else (None, None))."""
    if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
            and isinstance(st.value, (gast.Name, gast.Attribute, gast.Subscript)):
        return st.targets[0].id, st.value
    if isinstance(st, (gast.For, gast.comprehension)) and isinstance(st.target, gast.Name) \
            and isinstance(st.iter, (gast.Name, gast.Attribute, gast.Subscript)):
        return st.target.id, st.iter
    return None, None


def owners(body):
    """{t: (o, path)} for ``t = o.a``, ``t = o.a[i]``, ``for t in o.a`` (transitively: ``u = t.b``)."""
    out = {}
    for _ in range(3):
        for s in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
            t, v = _alias_source(s)
            if t is None:
                continue
            root, path = _path(v)
            if root is None or root == t or t in out:
                continue
            if root in out:
                out[t] = (out[root][0], (out[root][1] + path)[:_DEPTH])
            elif path or isinstance(v, gast.Subscript):
                out[t] = (root, path)
    return out


def _self_param(fn):
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return None
    return params[0] if params else None


def _resolver(ctx):
    from .parse import _MISSING

    def resolve(node):
        v = ctx.resolve(node)
        return None if v is _MISSING else v
    return resolve


def user_classes(fn_globals):
    """The user's classes ``fn_globals`` names, and their subclasses."""
    classes, todo = set(), [v for v in fn_globals.values() if isinstance(v, type)]
    while todo:
        c = todo.pop()
        if c in classes or c.__module__ in ("builtins",) or c.__module__.split(".")[0] in ("numpy", "scipy", "s2s"):
            continue
        classes.add(c)
        try:
            todo.extend(c.__subclasses__())
        except TypeError:
            pass
    return classes


def property_getter(cls, name):
    """The getter function of ``cls``'s property or functools.cached_property ``name`` (None if not one)."""
    import functools
    prop = None
    for c in getattr(cls, "__mro__", ()):
        if name in vars(c):
            prop = vars(c)[name]
            break
    if isinstance(prop, property):
        return prop.fget if isinstance(prop.fget, types.FunctionType) else None
    if isinstance(prop, functools.cached_property):
        return prop.func if isinstance(prop.func, types.FunctionType) else None
    return None


def _users(fn):
    """A Python function of the user's (not the standard library's, NumPy's or SciPy's)."""
    import sys
    from .effects import user_function
    fn = getattr(fn, "__func__", fn)
    mod = (getattr(fn, "__module__", None) or "").split(".")[0]
    return user_function(fn) and mod not in sys.stdlib_module_names and mod not in ("numpy", "scipy")


def _user_methods(fn_globals, name):
    """[(method, class)] of the user's classes ``fn_globals`` names that define method ``name``."""
    out = []
    for c in user_classes(fn_globals):
        if isinstance(inspect.getattr_static(c, name, None), (staticmethod, classmethod)):
            continue
        m = getattr(c, name, None)
        if isinstance(m, types.FunctionType) and _users(m):
            out.append((m, c))
    return out


_STORES, _READS, _IN_PROGRESS = {}, {}, set()


def stores_of(fn, self_type=None):
    """{parameter: paths} ``fn`` may store a value computed from its arguments into (see the module doc);
    None when s2s cannot read ``fn``."""
    key = ("stores", fn, self_type)
    if key in _STORES:
        return _STORES[key]
    if key in _IN_PROGRESS:
        return {}
    _IN_PROGRESS.add(key)
    try:
        out = _stores_of(fn, self_type)
    finally:
        _IN_PROGRESS.discard(key)
    _STORES[key] = out
    return out


def class_method_stores(fn_globals, name):
    """The union of the paths under ``self`` that the user's methods called ``name`` store into
    ({(STAR,)} when none is known)."""
    methods = _user_methods(fn_globals, name)
    if not methods:
        return {(STAR,)}
    out = set()
    for m, c in methods:
        s = stores_of(m, c)
        if s is None:
            return {(STAR,)}
        out |= s.get(_self_param(m), set())
    return out


def _stores_of(fn, self_type):
    from . import analyze
    from .effects import MUTATING_METHODS
    from .parse import parse_function
    try:
        ctx = parse_function(fn)
    except Exception:
        return None
    node = ctx.node
    a = node.args
    params = [p.id for p in a.posonlyargs + a.args + a.kwonlyargs]
    self_name = params[0] if self_type is not None and params else None
    own = owners(node.body)
    varied = set(params) - ({self_name} if self_name else set())
    for p in (a.vararg, a.kwarg):
        if p is not None:
            varied.add(p.id)
            params.append(p.id)
    pairs = []   # names computed from the arguments (flow-insensitive)
    for n in astutil.walk_bfs(node):
        if isinstance(n, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.For)):
            src = n.iter if isinstance(n, gast.For) else n.value
            if src is not None:
                targets = [n.target] if not isinstance(n, gast.Assign) else n.targets
                pairs.append(({e.id for t in targets for e in astutil.walk_bfs(t) if isinstance(e, gast.Name)},
                              analyze.names_in(src)))
    astutil.spread(pairs, varied)
    out = {}
    fn_globals = getattr(fn, "__globals__", {})

    def add(name, path):
        if name in own:
            name, path = own[name][0], own[name][1] + path
        if name in params and path:   # (x[i] = v on an argument is a change to it: effects.params_changed's)
            out.setdefault(name, set()).add(path[:_DEPTH])

    def add_under(x, paths):   # a callee's stores on the object ``x`` (a name or o.a)
        root, p = _path(x)
        if root is not None:
            for q in paths:
                add(root, p + q)

    for n in astutil.walk_bfs(node):
        if isinstance(n, (gast.Assign, gast.AugAssign)):
            if not analyze.names_in(n.value) & varied:
                continue
            targets = n.targets if isinstance(n, gast.Assign) else [n.target]
            for t in targets:
                for e in ([t] if not isinstance(t, (gast.Tuple, gast.List)) else t.elts):
                    if isinstance(e, (gast.Attribute, gast.Subscript)):
                        root, p = _path(e)
                        if root is not None:
                            add(root, p)
            continue
        if not isinstance(n, gast.Call):
            continue
        carried = set()
        for x in n.args + [k.value for k in n.keywords]:
            carried |= analyze.names_in(x)
        if not carried & varied:
            continue
        f = n.func
        if isinstance(f, gast.Attribute) and f.attr in MUTATING_METHODS:
            root, p = _path(f.value)
            if root is not None:
                add(root, p)
            continue
        kind, obj = analyze.callee(n, ctx)
        sub, pos, sub_self = None, None, None
        if kind == "global" and isinstance(obj, types.MethodType) and _users(obj.__func__):
            sub, pos, sub_self = obj.__func__, [f.value] + list(n.args), type(obj.__self__)
        elif kind == "global" and isinstance(obj, types.FunctionType) and _users(obj):
            sub, pos = obj, list(n.args)
        elif kind == "global":
            continue   # NumPy and other library functions: they do not keep what they are given
        elif kind == "method" and isinstance(f.value, gast.Name) and f.value.id == self_name:
            m = inspect.getattr_static(self_type, f.attr, None)
            if isinstance(m, (staticmethod, classmethod)):
                continue   # (a static or class method gets no `self`)
            if isinstance(m, types.FunctionType):
                sub, pos, sub_self = m, [f.value] + list(n.args), self_type
        if sub is not None:
            try:
                bound = inspect.signature(sub).bind(*pos, **{k.arg: k.value for k in n.keywords if k.arg})
            except TypeError:
                bound = None
            sub_out = stores_of(sub, sub_self) if bound is not None else None
            if sub_out is None:
                for x in pos:
                    add_under(x, {()})
                continue
            for q, paths in sub_out.items():
                v = bound.arguments.get(q)
                if isinstance(v, gast.AST):
                    add_under(v, paths)
            continue
        # known only at run time: a method of the user's classes called that (the union of what they
        # store), a callable object (it may keep anything in itself)
        if kind == "method":
            if not _user_methods(fn_globals, f.attr):
                continue   # (rng.rand(n), a library object's method: it does not keep what it is given)
            add_under(f.value, class_method_stores(fn_globals, f.attr))
        elif kind == "unknown" and _user_methods(fn_globals, "__call__"):   # a callable object of the user's
            add_under(f, class_method_stores(fn_globals, "__call__"))
    return out


def reads_summary(fn, self_type):
    """The paths under ``self`` that method ``fn`` may read ({(STAR,)}: anything, it passes ``self`` on)."""
    key = ("reads", fn, self_type)
    if key in _READS:
        return _READS[key]
    if key in _IN_PROGRESS:
        return set()
    _IN_PROGRESS.add(key)
    try:
        out = _reads_summary(fn, self_type)
    finally:
        _IN_PROGRESS.discard(key)
    _READS[key] = out
    return out


def class_method_reads(fn_globals, name):
    """The union of ``reads_summary`` over the user's methods called ``name`` ({(STAR,)} when none is known)."""
    methods = _user_methods(fn_globals, name)
    if not methods:
        return {(STAR,)}
    out = set()
    for m, c in methods:
        out |= reads_summary(m, c)
    return out


def _reads_summary(fn, self_type):
    from .parse import parse_function
    try:
        ctx = parse_function(fn)
    except Exception:
        return {(STAR,)}
    a = ctx.node.args
    params = [p.id for p in a.posonlyargs + a.args]
    if not params:
        return set()
    me = params[0]
    counter = iter(range(10 ** 6))
    body, _ = follow_own_stores(ctx.node.body, _resolver(ctx), lambda hint: f"_s2s_{hint}_{next(counter)}")
    shim = types.SimpleNamespace(resolve=ctx.resolve, self_type=self_type, self_name=me)
    paths = Paths(gast.FunctionDef(name="f", args=a, body=body, decorator_list=[], returns=None,
                                   type_comment=None, type_params=[]), shim, getattr(fn, "__globals__", {}))
    out = set()
    for st in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if isinstance(st, gast.stmt):
            out |= {p[1:] or (STAR,) for p in paths.reads(st, shallow=True) if p[0] == me}
    return out


def reads_of(stmt, skip_call=None, shallow=False):
    """(name, attribute path) pairs ``stmt`` reads: ``o.a.b`` -> (o, (a, b)); a bare use of ``o`` ->
    (o, ()). Storing into ``o.a`` / ``o.a[k]`` is not a read. ``skip_call(call)``: a method call whose
    receiver's reads the caller accounts for. ``shallow``: for a compound statement, its head only."""
    if shallow and isinstance(stmt, (gast.If, gast.While)):
        stmt = stmt.test
    elif shallow and isinstance(stmt, gast.For):
        stmt = stmt.iter
    elif shallow and isinstance(stmt, (gast.With, gast.Try)) or isinstance(stmt, (gast.FunctionDef, gast.ClassDef)):
        return set()
    out, skip = set(), set()
    for n in astutil.walk_bfs(stmt):
        if isinstance(n, gast.Compare) and all(isinstance(o, (gast.Is, gast.IsNot)) for o in n.ops):
            for v in [n.left] + n.comparators:   # `self.act is None` tests the reference, not what it holds
                while isinstance(v, gast.Attribute):
                    skip.add(id(v))
                    v = v.value
                skip.add(id(v))
        if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, (gast.Store, gast.Del)):
            v = n.value
            while isinstance(v, (gast.Attribute, gast.Subscript)):   # o.a[k] = v: o.a is not read
                skip.add(id(v))
                v = v.value
            skip.add(id(v))
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr in _APPENDS \
                and isinstance(n.func.value, (gast.Attribute, gast.Subscript)):
            v = n.func   # self.X.append(X), self.cache["Z"].append(Z): a store into o.X, not a read of what it holds
            while isinstance(v, (gast.Attribute, gast.Subscript)):
                skip.add(id(v))
                v = v.value
            skip.add(id(v))
        if isinstance(n, gast.Call) and skip_call is not None and skip_call(n):
            v = n.func
            while isinstance(v, (gast.Attribute, gast.Subscript)):
                skip.add(id(v))
                v = v.value
            skip.add(id(v))
    for n in astutil.walk_bfs(stmt):   # outermost attribute chains first (gast.walk is breadth-first)
        if isinstance(n, gast.Attribute) and id(n) not in skip and isinstance(n.ctx, gast.Load):
            root, p = _path(n)
            if root is not None:
                out.add((root, p))
                v = n.value
                while isinstance(v, (gast.Attribute, gast.Subscript)):
                    skip.add(id(v))
                    v = v.value
                skip.add(id(v))
    for n in astutil.walk_bfs(stmt):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) and id(n) not in skip:
            out.add((n.id, ()))
    return out


_APPENDS = ("append", "extend", "insert")


def overlap(p, q):
    """True when attribute paths ``p`` and ``q`` (tuples, STAR matching anything below) may share state."""
    for a, b in zip(p, q):
        if a == STAR or b == STAR:
            return True
        if a != b:
            return False
    return True


class Paths:
    """Attribute paths of one function's body (see the module doc)."""

    def __init__(self, fn_node, ctx, fn_globals=None):
        self.ctx = ctx
        self.own = owners(fn_node.body)
        if fn_globals is None:
            fn_globals = getattr(getattr(ctx, "fn", None), "__globals__", {}) or {}
        self.globals = fn_globals

    def path(self, name, path=()):
        if name in self.own:
            o, p = self.own[name]
            return ((o,) + p + path)[:_DEPTH + 1]
        return ((name,) + path)[:_DEPTH + 1]

    def _method_of(self, call):
        """(function, class) of ``o.m(...)`` for a user method s2s reads, ("any", name) for a method of
        an object whose class is only known at run time that a class of the user's defines, else None."""
        from . import analyze
        f = call.func
        if isinstance(f, gast.Name) and analyze.callee(call, self.ctx)[0] == "unknown" \
                and _user_methods(self.globals, "__call__"):
            return "any", "__call__"
        if not isinstance(f, gast.Attribute) or not isinstance(f.value, gast.Name):
            return None
        kind, obj = analyze.callee(call, self.ctx)
        if kind == "global" and isinstance(obj, types.MethodType) and _users(obj.__func__):
            return obj.__func__, type(obj.__self__)
        if kind != "method":
            return None
        st = getattr(self.ctx, "self_type", None)
        if st is not None and f.value.id == getattr(self.ctx, "self_name", None):
            m = inspect.getattr_static(st, f.attr, None)
            return (m, st) if isinstance(m, types.FunctionType) else None
        if _user_methods(self.globals, f.attr):
            return "any", f.attr
        return None

    def reads(self, stmt, shallow=False):
        """The paths ``stmt`` reads (a user method called on an object reads what that method reads);
        nothing for an alias (``t = self.cache``, ``for layer in self.layers``: the alias's uses count)."""
        t, _ = _alias_source(stmt)
        if t is not None and t in self.own:
            return set()
        out, known = set(), {}
        for n in astutil.walk_bfs(stmt.iter if shallow and isinstance(stmt, gast.For) else stmt):
            if isinstance(n, gast.Call):
                m = self._method_of(n)
                if m is not None:
                    known[id(n)] = m
        for n in astutil.walk_bfs(stmt):
            if id(n) in known:
                m, o = known[id(n)], (n.func.value.id if isinstance(n.func, gast.Attribute) else n.func.id)
                paths = class_method_reads(self.globals, m[1]) if m[0] == "any" else reads_summary(m[0], m[1])
                out |= {self.path(o, p) for p in paths}
        for name, p in reads_of(stmt, skip_call=lambda c: id(c) in known, shallow=shallow):
            out.add(self.path(name, p or (STAR,)) if not p else self.path(name, p))
        for q in list(out):   # o.prop (also through an alias t = o.prop): a call of the getter, reading what it reads
            for i in range(1, len(q)):
                if q[i] != STAR:
                    out |= {(q[:i] + r)[:_DEPTH + 1] for g, c in self._getters(q[i]) for r in reads_summary(g, c)}
        return out

    def _getters(self, name):
        """[(getter, class)] of a property or functools.cached_property ``name`` of the user's classes."""
        if not hasattr(self, "_getter_cache"):
            self._getter_cache = {}
        if name not in self._getter_cache:
            classes = set(user_classes(self.globals))
            st = getattr(self.ctx, "self_type", None)
            if isinstance(st, type):
                classes.add(st)
            self._getter_cache[name] = [(g, c) for c in classes for g in [property_getter(c, name)] if g is not None]
        return self._getter_cache[name]

    def call_stores(self, call, carried):
        """The paths a call may store a value carrying a derivative into (``carried``: the names among its
        arguments that carry one)."""
        from . import analyze
        if not carried:
            return set()
        f = call.func
        m = self._method_of(call)
        out = set()
        fn, pos, self_type = None, None, None
        if m is not None and m[0] == "any":
            o = f.value.id if isinstance(f, gast.Attribute) else f.id
            return {self.path(o, p) for p in class_method_stores(self.globals, m[1])}
        if m is not None:
            fn, pos, self_type = m[0], [f.value] + list(call.args), m[1]
        else:
            kind, obj = analyze.callee(call, self.ctx)
            if kind == "global" and isinstance(obj, types.FunctionType) and _users(obj):
                fn, pos = obj, list(call.args)
            elif kind == "unknown" and isinstance(f, gast.Name) and _user_methods(self.globals, "__call__"):
                return {self.path(f.id, p) for p in class_method_stores(self.globals, "__call__")}
        if fn is None:
            return out
        s = stores_of(fn, self_type)
        stars = [i for i, x in enumerate(pos) if isinstance(x, gast.Starred)]
        spread = bool(stars) or any(k.arg is None for k in call.keywords)
        named = {k.arg: k.value for k in call.keywords if k.arg}
        try:   # model(w, *args): what comes before the first * binds as written (the rest: when it runs)
            sig = inspect.signature(fn)
            bound = sig.bind_partial(*pos[:stars[0] if stars else len(pos)], **named) if spread \
                else sig.bind(*pos, **named)
        except (TypeError, ValueError):
            bound = None
        if s is not None and bound is not None and spread \
                and any(paths for q, paths in s.items() if q not in bound.arguments):
            bound = None   # a parameter the spread fills may be stored into: any of the arguments' state
        if s is None or bound is None:
            for x in pos:
                x = x.value if isinstance(x, gast.Starred) else x
                root, p = _path(x)
                if root is not None:
                    out.add(self.path(root, p + (STAR,)))
            return out
        for q, paths in s.items():
            v = bound.arguments.get(q)
            if not isinstance(v, gast.AST):
                continue
            root, p = _path(v)
            if root is not None:
                out |= {self.path(root, p + x) for x in paths}
        return out


def _clears(st, resolve):
    """True when ``st`` may change an object's attributes behind a name: a compound statement, or a call of
    a function that is not a library's (``resolve(func)``: the callee, or None when unknown)."""
    if not isinstance(st, (gast.Assign, gast.Expr, gast.Return, gast.AugAssign, gast.AnnAssign)):
        return True
    for n in astutil.walk_bfs(st):
        if isinstance(n, gast.Call):
            f = resolve(n.func)
            if f is None or _users(getattr(f, "__func__", f)):
                return True
    return False


def follow_own_stores(body, resolve, fresh):
    """``self.out = np.tanh(x); return self.out``: a read of an attribute the same straight-line code just
    stored reads the stored value (``out = np.tanh(x); self.out = out; return out``), so a derivative
    follows it. Stops at the first statement that may change the object otherwise (``_clears``).
    ``resolve(node)``: the callee or None; ``fresh(hint)``: a new local name. Returns (body, changed)."""
    known = {}   # (object, attribute) -> the name holding the value stored
    out, changed, used, split = [], False, set(), {}

    class Sub(gast.NodeTransformer):
        def visit_Attribute(self, node):
            self.generic_visit(node)
            if isinstance(node.ctx, gast.Load) and isinstance(node.value, gast.Name) \
                    and (node.value.id, node.attr) in known:
                used.add(known[(node.value.id, node.attr)])
                return gast.copy_location(gast.Name(id=known[(node.value.id, node.attr)], ctx=gast.Load(),
                                                    annotation=None, type_comment=None), node)
            return node

    for st in body:
        if known and isinstance(st, (gast.Assign, gast.Expr, gast.Return, gast.AugAssign, gast.AnnAssign)):
            before = gast.dump(st)
            st = Sub().visit(copy.deepcopy(st))
            changed |= gast.dump(st) != before
        if _clears(st, resolve):
            known = {}
        rebound = {n.id for n in astutil.walk_bfs(st) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        known = {k: v for k, v in known.items() if k[0] not in rebound and v not in rebound}
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Attribute) \
                and isinstance(st.targets[0].value, gast.Name):
            t = st.targets[0]
            known = {k: v for k, v in known.items() if k[0] != t.value.id or k[1] != t.attr}
            name = fresh(t.attr)
            split[name] = (len(out), st)
            out.append(gast.copy_location(gast.Assign(targets=[gast.Name(id=name, ctx=gast.Store(), annotation=None,
                                                                          type_comment=None)],
                                                      value=st.value, type_comment=None), st))
            out.append(gast.copy_location(gast.Assign(targets=[t], value=gast.Name(
                id=name, ctx=gast.Load(), annotation=None, type_comment=None), type_comment=None), st))
            known[(t.value.id, t.attr)] = name
            continue
        if isinstance(st, (gast.Assign, gast.AugAssign)):   # o.a[k] = v, o.a.b = v: o.a is no longer known
            for t in (st.targets if isinstance(st, gast.Assign) else [st.target]):
                root, p = _path(t)
                if root is not None and p:
                    known.pop((root, p[0]), None)
        out.append(st)
    for name, (i, orig) in sorted(split.items(), key=lambda kv: -kv[1][0]):
        if name not in used:   # nothing read it back: the store stays as written
            out[i:i + 2] = [orig]
    return out, changed
