"""Lists of objects built in the function, and methods inlined with several returns (issue 11).

``_LocalLists``: ``layers = [Dense(W1, b1), Dense(W2, b2)]`` (or appended one by one, or returned by a
helper), only looped over, indexed by constants or measured, is unrolled into one variable an object, which
``_Objects`` (s2s/objects.py) then takes apart. ``_tail_returns`` / ``_results``: a method whose returns are
in ``if`` branches is inlined with each return binding the result. ``_fold_is_none``: ``self.act is None``
on an object built in the function.
"""
import copy
import functools
import inspect
import types

import gast

from .control import _assign, _at, _jumps, _name, _rename, _stored, _walk_own
from . import astutil

COMPUTED = (property, functools.cached_property)   # attributes a class computes from the object's state


def _tail_returns(body):
    """``body`` with every ``return`` last in its branch (the statements after an ``if`` holding a return
    copied into its branches that go on), or None when a return is in a loop or another block."""
    for i, st in enumerate(body):
        if isinstance(st, gast.Return):
            return body[:i + 1]
        if not any(isinstance(n, gast.Return) for n in _walk_own([st])):
            continue
        if not isinstance(st, gast.If):
            return None
        rest = body[i + 1:]
        if sum(1 for n in _walk_own(rest) if isinstance(n, gast.Return)) > 4:
            return None   # (copies grow with the number of exits)
        new_body = _tail_returns(list(st.body) + copy.deepcopy(rest))
        new_else = _tail_returns(list(st.orelse) + copy.deepcopy(rest))
        if new_body is None or new_else is None:
            return None
        st = gast.If(test=st.test, body=new_body or [gast.Pass()], orelse=new_else)
        return body[:i] + [gast.copy_location(st, body[i])]
    return body


def _results(body, target):
    """``body`` (from ``_tail_returns``) with each ``return v`` binding ``target = v`` (None when a branch
    ends without one)."""
    none = gast.Constant(value=None, kind=None)
    out = list(body)
    last = out[-1] if out else None
    if isinstance(last, gast.Return):
        value = last.value if last.value is not None else none
        out.pop()
        if target is not None:
            out.append(gast.copy_location(_assign(_name(target, gast.Store()), value), last))
        elif any(isinstance(n, gast.Call) for n in astutil.walk_bfs(value)):
            out.append(gast.copy_location(gast.Expr(value=value), last))
    elif isinstance(last, gast.If) and any(isinstance(n, gast.Return) for n in _walk_own([last])):
        last.body = _results(last.body, target) or [gast.Pass()]
        last.orelse = _results(last.orelse, target)
    elif target is not None:
        out.append(_assign(_name(target, gast.Store()), none))
    return out


def _fold_is_none(body, name):
    """``name is None`` / ``name is not None`` -> False / True (``name`` is an object built in the function)."""
    class Fold(gast.NodeTransformer):
        def visit_Compare(self, node):
            self.generic_visit(node)
            if len(node.ops) == 1 and isinstance(node.ops[0], (gast.Is, gast.IsNot)) \
                    and isinstance(node.left, gast.Name) and node.left.id == name \
                    and isinstance(node.comparators[0], gast.Constant) and node.comparators[0].value is None:
                return gast.copy_location(gast.Constant(value=isinstance(node.ops[0], gast.IsNot), kind=None), node)
            return node

        def visit_FunctionDef(self, node):
            return node
        visit_Lambda = visit_ClassDef = visit_FunctionDef
    return [Fold().visit(st) for st in body]


def _drop_assigns(body, names):
    out = []
    for st in body:
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                and st.targets[0].id in names:
            continue
        for field in ("body", "orelse"):
            sub = getattr(st, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                setattr(st, field, _drop_assigns(sub, names) or [gast.Pass()])
        out.append(st)
    return out


class _LocalLists:
    """A list or tuple of objects built in the function and only looped over or indexed by constants:

        layers = [Dense(W1, b1), Dense(W2, b2)]       layers_0 = Dense(W1, b1)
        for layer in layers:                    ->    layers_1 = Dense(W2, b2)
            x = layer.forward(x)                      x = layers_0.forward(x)
                                                      x = layers_1.forward(x)

    (``enumerate(layers)`` binds the index as a constant, ``layers[k]`` reads ``layers_k``, ``len(layers)``
    is the length), after which each object is one ``_Objects`` takes apart. ``run`` gives the unrolled body
    and the new names; ``_Objects.run`` keeps the unrolled body only if every one of them was taken apart.
    """

    def __init__(self, objs):
        self.objs = objs
        self.ctx = objs.ctx

    def run(self, body):
        original = body
        body = self.appends(body)
        binds = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
                binds[n.id] = binds.get(n.id, 0) + 1
        ctors = {n.targets[0].id for n in _walk_own(body)   # o = Dense(W, b), bound once
                 if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)
                 and binds.get(n.targets[0].id) == 1 and self.objs._ctor(n.value)}
        lists = {}
        for st in body:   # top-level displays, bound once
            if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                    and isinstance(st.value, (gast.List, gast.Tuple)) and 0 < len(st.value.elts) <= 16 \
                    and all(self.objs._ctor(e) or isinstance(e, gast.Name) and e.id in ctors for e in st.value.elts) \
                    and binds.get(st.targets[0].id) == 1 and st.targets[0].id not in self.objs.lw._params:
                lists[st.targets[0].id] = len(st.value.elts)
        alias = {n.targets[0].id: self._listed(n.value) for n in _walk_own(body)   # layers_1 = layers
                 if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)
                 and self._listed(n.value) in lists and binds.get(n.targets[0].id) == 1
                 and n.targets[0].id not in self.objs.lw._params}
        if alias:
            body = _drop_assigns(copy.deepcopy(body), set(alias))
            _rename(body, alias)
        lists = {g: k for g, k in lists.items() if self._plain_uses(body, g, k)}
        if not lists:
            return original, set()
        names = {g: [self.objs.lw.fresh(f"{g}_{k}") for k in range(n)] for g, n in lists.items()}
        out = self.rewrite(copy.deepcopy(body), names)
        if out is None:
            return original, set()
        return out, {n for ns in names.values() for n in ns}

    def _listed(self, v):
        """The name ``v`` reads as a sequence of the same objects: ``layers``, ``list(layers)``, ``tuple(layers)``
        (``self.layers = list(layers)`` in ``__init__``: a copy of a list only looped over reads the same objects)."""
        if isinstance(v, gast.Call) and len(v.args) == 1 and not v.keywords \
                and self.ctx.resolve(v.func) in (list, tuple):
            v = v.args[0]
        return v.id if isinstance(v, gast.Name) else None

    def appends(self, body):
        """``g = []`` then ``g.append(Dense(W1, b1))`` statements in the same block, nothing else using ``g`` in
        between: ``o = Dense(W1, b1)`` at each append, and ``g = [o, ...]`` at the last one."""
        out = list(body)
        for i, st in enumerate(body):
            if not (isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name)
                    and isinstance(st.value, gast.List) and not st.value.elts):
                continue
            g = st.targets[0].id
            hits = []
            for j in range(i + 1, len(body)):
                s_ = body[j]
                if isinstance(s_, gast.Expr) and isinstance(s_.value, gast.Call) \
                        and isinstance(s_.value.func, gast.Attribute) and s_.value.func.attr == "append" \
                        and isinstance(s_.value.func.value, gast.Name) and s_.value.func.value.id == g \
                        and len(s_.value.args) == 1 and not s_.value.keywords and self.objs._ctor(s_.value.args[0]) \
                        and not any(isinstance(n, gast.Name) and n.id == g for n in astutil.walk_bfs(s_.value.args[0])):
                    hits.append(j)
                elif any(isinstance(n, gast.Name) and n.id == g for n in _walk_own([s_])):
                    break
            if not hits or len(hits) > 16:
                continue
            temps = []
            for j in hits:
                t = self.objs.lw.fresh(f"{g}_item")
                temps.append(t)
                out[j] = gast.copy_location(_assign(_name(t, gast.Store()), body[j].value.args[0]), body[j])
            last = out[hits[-1]]
            out[hits[-1]] = [last, gast.copy_location(_assign(_name(g, gast.Store()), gast.List(
                elts=[_name(t) for t in temps], ctx=gast.Load())), st)]
            out[i] = []
            flat = []
            for x in out:
                flat.extend(x if isinstance(x, list) else [x])
            return self.appends(flat)
        return out

    def _plain_uses(self, body, g, size):
        """Every read of ``g`` is ``for v in g``, ``for i, v in enumerate(g)`` (``v`` used only in the loop),
        ``g[k]`` (a constant in range) or ``len(g)``."""
        ok = set()

        def local_to(loop, v):
            inside = {id(n) for n in _walk_own(loop.body)} | {id(n) for n in astutil.walk_bfs(loop.target)}
            return all(id(n) in inside
                       for n in _walk_own(body) if isinstance(n, gast.Name) and n.id == v) \
                and v not in _stored(loop.body)
        for n in _walk_own(body):
            if isinstance(n, gast.For) and not n.orelse and not any(_jumps(n.body)) \
                    and not any(isinstance(m, (gast.FunctionDef, gast.Lambda, gast.ClassDef)) for m in astutil.walk(n)):
                it = n.iter
                if isinstance(it, gast.Name) and it.id == g and isinstance(n.target, gast.Name) \
                        and local_to(n, n.target.id):
                    ok.add(id(it))
                elif isinstance(it, gast.Call) and self.ctx.resolve(it.func) is enumerate and len(it.args) == 1 \
                        and not it.keywords and isinstance(it.args[0], gast.Name) and it.args[0].id == g \
                        and isinstance(n.target, gast.Tuple) and len(n.target.elts) == 2 \
                        and all(isinstance(e, gast.Name) for e in n.target.elts) \
                        and n.target.elts[0].id not in _stored(n.body) and local_to(n, n.target.elts[1].id):
                    ok.add(id(it.args[0]))
            elif isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Load) and _const_int(n.slice) is not None \
                    and -size <= _const_int(n.slice) < size:
                ok.add(id(n.value))
            elif isinstance(n, gast.Call) and self.ctx.resolve(n.func) is len and len(n.args) == 1:
                ok.add(id(n.args[0]))
        uses = [n for n in _walk_own(body) if isinstance(n, gast.Name) and n.id == g and isinstance(n.ctx, gast.Load)]
        return bool(uses) and all(id(u) in ok for u in uses)

    def rewrite(self, body, names):
        ctx = self.ctx
        out = []
        for st in body:
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) and st.targets[0].id in names \
                    and isinstance(st.value, (gast.List, gast.Tuple)):
                out.extend(_at([_assign(_name(m, gast.Store()), e) for m, e in
                                zip(names[st.targets[0].id], st.value.elts)], st))
                continue
            if isinstance(st, gast.For):
                it, index = st.iter, None
                if isinstance(it, gast.Call) and ctx.resolve(it.func) is enumerate and len(it.args) == 1 \
                        and isinstance(it.args[0], gast.Name) and it.args[0].id in names:
                    index, v, g = st.target.elts[0].id, st.target.elts[1].id, it.args[0].id
                elif isinstance(it, gast.Name) and it.id in names:
                    v, g = st.target.id, it.id
                else:
                    g = None
                if g is not None:
                    for k, m in enumerate(names[g]):
                        class Sub(gast.NodeTransformer):
                            def visit_Name(self, node):
                                return gast.copy_location(_name(m, node.ctx), node) if node.id == v else node
                        if index is not None:
                            out.extend(_at([_assign(_name(index, gast.Store()), gast.Constant(value=k, kind=None))],
                                           st))
                        out.extend(self.rewrite([Sub().visit(copy.deepcopy(s)) for s in st.body], names))
                    continue
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    setattr(st, field, self.rewrite(sub, names))
            out.append(st)

        class Reads(gast.NodeTransformer):
            def visit_Subscript(self, node):
                self.generic_visit(node)
                k = _const_int(node.slice)
                if isinstance(node.value, gast.Name) and node.value.id in names and k is not None:
                    ms = names[node.value.id]
                    if -len(ms) <= k < len(ms):
                        return gast.copy_location(_name(ms[k % len(ms)]), node)
                return node

            def visit_Call(self, node):
                self.generic_visit(node)
                if ctx.resolve(node.func) is len and len(node.args) == 1 and isinstance(node.args[0], gast.Name) \
                        and node.args[0].id in names:
                    return gast.copy_location(gast.Constant(value=len(names[node.args[0].id]), kind=None), node)
                return node

            def visit_FunctionDef(self, node):
                return node
            visit_Lambda = visit_ClassDef = visit_FunctionDef
        return [Reads().visit(st) for st in out]


def _const_int(node):
    """The int a constant subscript is (``2``, ``-1``), or None."""
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        k = _const_int(node.operand)
        return None if k is None else -k
    return node.value if isinstance(node, gast.Constant) and type(node.value) is int else None


def hoist_arguments(objs, st):
    """``o = Cls(...)`` before ``st`` for each object built as an argument of a function of the user's in
    ``st``, when every other call in ``st`` is pure (the order of evaluation cannot matter)."""
    from .purity import Purity
    scoped = {id(n) for s in astutil.walk_bfs(st.value)   # a lambda's or comprehension's names are not bound before st
              if isinstance(s, (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp))
              for n in astutil.walk_bfs(s)}
    every = [n for n in astutil.walk_bfs(st.value) if isinstance(n, gast.Call)]
    calls = [n for n in every if id(n) not in scoped]
    hits = [a for c in calls if isinstance(c.func, gast.Name) for a in c.args
            if objs._ctor(a) and not isinstance(objs.ctx.resolve(c.func), type)]
    hits += [c.func for c in calls if objs._ctor(c.func)]   # Dense(W)(x): the object is called
    hits += [c.func.value for c in calls if isinstance(c.func, gast.Attribute) and objs._ctor(c.func.value)]
    hits += [n.value for n in astutil.walk_bfs(st.value)   # Lin(W, b).scaled: a field or property read
             if isinstance(n, gast.Attribute) and id(n) not in scoped and objs._ctor(n.value)]
    hits = list({id(a): a for a in hits}.values())
    if not hits:
        return []
    inside = {id(n) for a in hits for n in astutil.walk_bfs(a)}
    chained = _chained(calls, hits)   # Scaler().fit(X).transform(X): the calls on what a method returned
    pure = Purity(objs.ctx.resolve)
    for c in every:
        if id(c) in inside or any(c is m for m in chained):
            continue
        fn = objs.ctx.resolve(c.func)
        if not (pure.callee_pure(c.func) or isinstance(fn, types.FunctionType) and any(a in c.args for a in hits)
                or any(c.func is a or getattr(c.func, "value", None) is a for a in hits)):   # Dense(W).forward(x)
            return []
    pre = []
    for a in hits:
        t = objs.lw.fresh(objs.ctx.resolve(a.func).__name__.lower())
        pre.append(gast.copy_location(_assign(_name(t, gast.Store()), copy.deepcopy(a)), st))
        st.value = _replace_node(st.value, a, _name(t))
    for c in chained:   # innermost first: o = scaler.fit(X), then o.transform(X) (a method may return self)
        v = c.func.value
        t = objs.lw.fresh("obj")
        pre.append(gast.copy_location(_assign(_name(t, gast.Store()), copy.deepcopy(v)), st))
        st.value = _replace_node(st.value, v, _name(t))
    return pre


def _chained(calls, hits):
    """The calls ``r.m(...)`` whose receiver ``r`` is a call of a method of an object in ``hits`` (or of such a
    call, and so on), innermost first."""
    out, heads = [], {id(c) for c in calls if isinstance(c.func, gast.Attribute) and any(c.func.value is a
                                                                                        for a in hits)}
    grew = True
    while grew:
        grew = False
        for c in calls:
            if isinstance(c.func, gast.Attribute) and id(c.func.value) in heads and id(c) not in heads:
                heads.add(id(c))
                out.append(c)
                grew = True
    return out


def helper_callee(objs, call, name):
    """The function of the user's that ``call`` calls with the object ``name`` as an argument, or None."""
    from . import effects
    given = list(call.args) + [k.value for k in call.keywords]
    if not any(isinstance(a, gast.Name) and a.id == name for a in given):
        return None
    if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    fn = objs.ctx.resolve(call.func)
    if not isinstance(fn, types.FunctionType) or inspect.isgeneratorfunction(fn) or not effects.user_function(fn):
        return None
    try:
        bound = inspect.signature(fn).bind(*call.args, **{k.arg: k.value for k in call.keywords})
        changed = effects.params_changed(fn)
    except Exception:
        return None
    if any(not (isinstance(a, gast.Name) and a.id == name) for p, a in bound.arguments.items() if p in changed):
        return None   # it changes another argument in place: left to the pass for such callees
    return fn


def _replace_node(tree, old, new):
    class R(gast.NodeTransformer):
        def visit(self, node):
            if node is old:
                return new
            return super().visit(node)
    return R().visit(tree)


def may_build(body, resolve, plain_class):
    """Whether ``body`` calls what may build an object _Objects takes apart: a plain class of the user's
    (``plain_class``), or a function of the user's that names one (a factory, or a list of objects)."""
    from . import effects
    for n in _walk_own(body):
        fn = resolve(n.func) if isinstance(n, gast.Call) else None
        if isinstance(fn, types.MethodType) and isinstance(fn.__self__, type) and plain_class(fn.__self__):
            return True   # Params.from_vector(v): a classmethod (objects._classmethod_owner)
        if plain_class(fn) or isinstance(fn, types.FunctionType) and effects.user_function(fn) \
                and any(plain_class(fn.__globals__.get(k)) for k in fn.__code__.co_names):
            return True
    return False
