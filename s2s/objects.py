"""Source-level lowering of objects whose state changes after construction (issue 11).

``_Objects``: a local object of a plain class of the user's, whose state a method or the function
itself changes after construction and that never leaves the function, is taken apart (``__init__`` and
its methods inlined with ``self`` renamed to it, each attribute a variable). ``_GlobalObjects``: objects
in a global list whose attributes the function sets and reads back (``LAYERS[0].W = ...; for layer in
LAYERS: h = layer.forward(h)``) are unrolled over the list (``same_items`` refuses at run time if the list
changed). ``lower`` (s2s/lowering.py) runs both first.
"""
import copy
import inspect
import types

import gast

from .anno import setanno
from .control import _assign, _at, _call, _jumps, _name, _obj_name, _rename, _stored, _walk_own, same_items


_DUNDERS = ("__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__new__")


def _plain_class(cls):
    """A class of the user's whose attributes are plain storage (no metaclass, no attribute hooks)."""
    if not isinstance(cls, type) or type(cls) is not type or cls.__module__ in ("builtins",) \
            or cls.__module__.split(".")[0] in ("numpy", "s2s", "templates", "scipy"):
        return False
    if any(getattr(cls, d, None) is not getattr(object, d, None) for d in _DUNDERS):
        return False
    return "__slots__" not in vars(cls)


class _Objects:
    """Scalar replacement of local objects (``m = Ridge(0.1); m.set_coef(w); m.loss(X, y)``).

    An object created in the function from a plain class of the user's, whose state a method or
    the function itself changes after construction, and that never leaves the function (it is
    only read and written through attributes and its own methods, never passed, returned or
    stored), is taken apart: ``__init__`` and its methods are inlined with ``self`` renamed to it,
    and each attribute becomes a local variable (``m.coef_`` -> ``coef_``). What the object did is
    then plain code with variables, which every later pass follows. Anything else is left as is.
    """

    def __init__(self, lw):
        self.lw = lw
        self.ctx = lw.ctx

    def run(self, body):
        flat = self.flatten(copy.deepcopy(body))
        done = False
        for _ in range(4):   # rounds: taking an object apart can leave objects it held (self.act = Tanh())
            new = self.round(flat)
            if new is None:
                break
            flat, done = new, True
        return flat if done else body

    def round(self, flat):
        lists = _LocalLists(self)
        for name in self.factory_calls(flat, lists=True):   # layers = build(W1, b1) returning [Dense(W1, b1), ...]
            new = self.inline_factory(copy.deepcopy(flat), name)
            if new is not None:
                unrolled, names = lists.run(new[0])
                if names:
                    new = self.run_flat(unrolled)
                    if new is not None and not any(isinstance(n, gast.Name) and n.id in names for n in _walk_own(new)):
                        return new
        unrolled, names = lists.run(flat)
        if names:   # a list of objects built here (layers = [Dense(W1, b1), ...]): taken apart, or left as written
            new = self.run_flat(unrolled)
            if new is not None and not any(isinstance(n, gast.Name) and n.id in names for n in _walk_own(new)):
                return new
        return self.run_flat(flat)

    def run_flat(self, flat):
        done = False
        for name, cls in self.candidates(flat).items():
            new = self.replace(copy.deepcopy(flat), name, cls)
            if new is not None:
                flat, done = new, True
        for name in self.factory_calls(flat):   # o = make(W) where make returns Holder(np.sin(W), ...)
            new = self.inline_factory(copy.deepcopy(flat), name)
            if new is not None:
                new_flat, cls = new
                new = self.replace(new_flat, name, cls)
                if new is not None:
                    flat, done = new, True
        return flat if done else None

    def _factory(self, call, lists=False):
        """(function, class) when ``call`` calls a function of the user's whose one return, its last
        statement, builds an object of a plain class of the user's (``return Holder(np.sin(W), W ** 2)``)."""
        from . import effects
        from .parse import parse_function
        if not isinstance(call, gast.Call) or not isinstance(call.func, (gast.Name, gast.Attribute)):
            return None
        fn = self.ctx.resolve(call.func)
        if not isinstance(fn, types.FunctionType) or inspect.isgeneratorfunction(fn) or not effects.user_function(fn):
            return None
        if not any(_plain_class(fn.__globals__.get(n)) for n in fn.__code__.co_names):
            return None   # (cheap: no class of the user's named in it)
        try:
            node = parse_function(fn).node
        except Exception:
            return None
        body = node.body
        returns = [n for n in _walk_own(body) if isinstance(n, gast.Return)]
        if len(returns) != 1 or body[-1] is not returns[0]:
            return None
        value = returns[0].value
        if isinstance(value, (gast.List, gast.Tuple)) and lists and 0 < len(value.elts) <= 16 \
                and all(isinstance(e, gast.Call) for e in value.elts):   # return [Dense(W1, b1), Dense(W2, b2)]
            classes = [parse_function(fn).resolve(e.func) for e in value.elts]
            return (fn, list) if all(_plain_class(c) for c in classes) else None
        if not isinstance(value, gast.Call) or lists:
            return None
        cls = parse_function(fn).resolve(value.func)
        return (fn, cls) if _plain_class(cls) else None

    def factory_calls(self, body, lists=False):
        binds = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                binds[n.id] = binds.get(n.id, 0) + 1
        return [n.targets[0].id for n in _walk_own(body)
                if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)
                and binds.get(n.targets[0].id) == 1 and n.targets[0].id not in self.lw._params
                and self._factory(n.value, lists) is not None]

    def inline_factory(self, body, name):
        """``body`` with ``name = make(W)`` replaced by make's body, ending ``name = Holder(...)``."""
        out = []
        found = []
        for st in body:
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) and st.targets[0].id == name \
                    and len(st.targets) == 1:
                fn, cls = self._factory(st.value) or self._factory(st.value, True)
                hit = self.lw._inlinable(fn)
                if hit is None:
                    return None
                fn, sub = hit
                inner = list(sub.node.body)
                if inner and isinstance(inner[0], gast.Expr) and isinstance(inner[0].value, gast.Constant):
                    inner = inner[1:]   # the docstring
                bound = self.lw._bind(fn, sub, st.value, inner)
                if bound is None:
                    return None
                prologue, inner = bound
                ret = inner.pop()
                new = _at(prologue + inner + [_assign(_name(name, gast.Store()), ret.value)], st)
                out.extend(new)
                found.append(cls)
                continue
            for field in ("body", "orelse"):
                sub_ = getattr(st, field, None)
                if isinstance(sub_, list) and sub_ and isinstance(sub_[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    new = self.inline_factory(sub_, name)
                    if new is None:
                        return None
                    sub_new, cls = new
                    if cls is not None:
                        found.append(cls)
                    setattr(st, field, sub_new)
            out.append(st)
        return out, (found[0] if found else None)

    # chains: Ridge(0.1).set_coef(w).loss(X, y) -> t = Ridge(0.1); t_1 = t.set_coef(w); ... = t_1.loss(X, y)
    def _chain(self, v):
        if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute):
            return self._ctor(v.func.value) or self._chain(v.func.value)
        return False

    def _ctor(self, v):
        return isinstance(v, gast.Call) and _plain_class(self.ctx.resolve(v.func))

    def flatten(self, body):
        out = []
        for st in body:
            if isinstance(st, (gast.Return, gast.Assign, gast.Expr)) and st.value is not None \
                    and self._chain(st.value) \
                    and (not isinstance(st, gast.Assign) or len(st.targets) == 1):
                pre, value = [], st.value

                def hoist(v):
                    if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) \
                            and isinstance(v.func.value, gast.Call):
                        inner = hoist(v.func.value)
                        t = self.lw.fresh("obj")
                        pre.append(gast.copy_location(_assign(_name(t, gast.Store()), inner), st))
                        v.func.value = _name(t)
                    return v
                st.value = hoist(value)
                out.extend(pre)
            elif isinstance(st, (gast.Return, gast.Assign, gast.Expr)) and st.value is not None:
                out.extend(self.hoist_arguments(st))   # apply(Dense(W, b), x): t = Dense(W, b); apply(t, x)
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    setattr(st, field, self.flatten(sub))
            out.append(st)
        return out

    def hoist_arguments(self, st):
        """``o = Cls(...)`` before ``st`` for each object built as an argument of a function of the user's in
        ``st``, when every other call in ``st`` is pure (the order of evaluation cannot matter)."""
        from .purity import Purity
        calls = [n for n in gast.walk(st.value) if isinstance(n, gast.Call)]
        hits = [a for c in calls if isinstance(c.func, gast.Name) for a in c.args
                if self._ctor(a) and not isinstance(self.ctx.resolve(c.func), type)]
        if not hits:
            return []
        inside = {id(n) for a in hits for n in gast.walk(a)}
        pure = Purity(self.ctx.resolve)
        for c in calls:
            if id(c) in inside:
                continue
            fn = self.ctx.resolve(c.func)
            if not (pure.callee_pure(c.func) or isinstance(fn, types.FunctionType) and any(a in c.args for a in hits)):
                return []
        pre = []
        for a in hits:
            t = self.lw.fresh(self.ctx.resolve(a.func).__name__.lower())
            pre.append(gast.copy_location(_assign(_name(t, gast.Store()), copy.deepcopy(a)), st))
            st.value = _replace_node(st.value, a, _name(t))
        return pre

    def candidates(self, body):
        binds = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                binds[n.id] = binds.get(n.id, 0) + 1
        out = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                    and binds.get(n.targets[0].id) == 1 and self._ctor(n.value) \
                    and n.targets[0].id not in self.lw._params:
                out[n.targets[0].id] = self.ctx.resolve(n.value.func)
        return out

    def _method(self, cls, attr):
        f = inspect.getattr_static(cls, attr, None)
        return f if isinstance(f, types.FunctionType) else None

    def _changes_state(self, body, name, cls):
        """The object's state is written after construction: by the function or by a method it calls."""
        from . import effects
        names = {name} | {n.targets[0].id for n in _walk_own(body)   # and its aliases (act_1 = act)
                          if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)
                          and isinstance(n.value, gast.Name) and n.value.id == name}
        for n in _walk_own(body):
            if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, gast.Store) \
                    and _root_name(n) in names:
                return True
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and isinstance(n.func.value, gast.Name) \
                    and n.func.value.id in names:
                m = self._method(cls, n.func.attr)
                if m is not None and m.__code__.co_varnames[:1] and \
                        m.__code__.co_varnames[0] in effects.params_changed(m):
                    return True
        return False

    def _built_from_locals(self, body, name):
        """``name = Cls(...)`` is given a value of the function's (which may carry a derivative: the object is
        then taken apart, as s2s differentiates variables, not objects built from them)."""
        for n in _walk_own(body):
            if isinstance(n, gast.Assign) and isinstance(n.targets[0], gast.Name) and n.targets[0].id == name \
                    and isinstance(n.value, gast.Call):
                args = list(n.value.args) + [k.value for k in n.value.keywords]
                return any(isinstance(m, gast.Name) and m.id in self.ctx.locals for a in args for m in gast.walk(a))
        return False

    def replace(self, body, name, cls):
        if not (self._changes_state(body, name, cls) or self._built_from_locals(body, name)):
            return None
        if self._method(cls, "__call__") is not None:   # layer(x): layer.__call__(x)
            for n in _walk_own(body):
                if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == name:
                    n.func = gast.copy_location(gast.Attribute(value=_name(name), attr="__call__", ctx=gast.Load()),
                                                n.func)
        self.count = 0
        body = self.inline(body, name, cls)
        if body is None:
            return None
        # aliases made by `return self`: y = name (bound once) reads as name
        binds = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                binds[n.id] = binds.get(n.id, 0) + 1
        alias = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                    and isinstance(n.value, gast.Name) and n.value.id == name and binds.get(n.targets[0].id) == 1:
                alias[n.targets[0].id] = name
        if alias:
            body = _drop_assigns(body, set(alias))
            _rename(body, alias)
            body = self.inline(body, name, cls)   # methods called on the alias
            if body is None:
                return None
        body = _fold_is_none(body, name)   # `if self.act is not None:` on an object built here: it is not None
        # every remaining use is an attribute of the object
        attrs = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name:
                if self._method(cls, n.attr) is not None or isinstance(inspect.getattr_static(cls, n.attr, None),
                                                                         (property, staticmethod, classmethod)):
                    return None
                attrs.setdefault(n.attr, None)
        uses = [n for n in _walk_own(body) if isinstance(n, gast.Name) and n.id == name]
        parents = {id(n.value) for n in _walk_own(body) if isinstance(n, gast.Attribute)}
        if any(id(u) not in parents for u in uses):
            return None   # the object itself is used (passed, returned, stored): it leaves the function
        stored = {n.attr for n in _walk_own(body) if isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store)
                  and isinstance(n.value, gast.Name) and n.value.id == name}
        for a in attrs:
            attrs[a] = self.lw.fresh(a)
            if (a not in stored) != hasattr(cls, a):
                return None   # read but never set, or a class attribute that an instance attribute shadows
        lw = self.lw

        class Sub(gast.NodeTransformer):
            def visit_Attribute(self, node):
                self.generic_visit(node)
                if isinstance(node.value, gast.Name) and node.value.id == name:
                    if node.attr not in stored:   # a class attribute
                        return gast.copy_location(gast.Attribute(value=_obj_name(cls.__name__, cls), attr=node.attr,
                                                                 ctx=node.ctx), node)
                    return gast.copy_location(_name(attrs[node.attr], node.ctx), node)
                return node
        del lw
        return [Sub().visit(st) for st in body]

    def inline(self, body, name, cls):
        """Inline ``__init__`` at ``name = cls(...)`` and every method called on ``name`` (statements only)."""
        out = []
        for st in body:
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    new = self.inline(sub, name, cls)
                    if new is None:
                        return None
                    setattr(st, field, new)
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) and st.targets[0].id == name:
                init = self._method(cls, "__init__")
                if init is None:
                    if st.value.args or st.value.keywords or cls.__init__ is not object.__init__:
                        return None
                    continue
                new = self.call(init, st.value, name, None, st)
                if new is None:
                    return None
                out.extend(new)
                continue
            simple = isinstance(st, (gast.Expr, gast.Assign, gast.Return, gast.AugAssign))
            calls = [n for n in _walk_own([st]) if simple and isinstance(n, gast.Call)
                     and isinstance(n.func, gast.Attribute)
                     and isinstance(n.func.value, gast.Name) and n.func.value.id == name]
            helper = None
            if simple and not calls:   # apply(layer, x): a function of the user's given the object, inlined
                calls = [n for n in _walk_own([st]) if isinstance(n, gast.Call) and self._helper(n, name)]
                helper = calls[0] if calls else None
            if calls:
                call = calls[0]
                inside = {id(n) for n in _walk_own(list(call.args) + [k.value for k in call.keywords])}
                others = [n for n in _walk_own([st])
                          if isinstance(n, gast.Call) and n is not call and id(n) not in inside]
                from .purity import Purity
                pure = Purity(self.ctx.resolve)
                if any(not pure.callee_pure(n.func) for n in others) \
                        or not isinstance(st, (gast.Expr, gast.Assign, gast.Return)) \
                        or any(isinstance(n, gast.Call) and n.func is not call.func and _root_name(n.func) == name
                               for n in _walk_own(list(call.args))):
                    return None   # one call of a method per statement, nothing impure called there
                m = self._helper(call, name) if helper is not None else self._method(cls, call.func.attr)
                if m is None:
                    return None
                target = None
                if isinstance(st, gast.Assign) and st.value is call and len(st.targets) == 1 \
                        and isinstance(st.targets[0], gast.Name):
                    target = st.targets[0].id
                elif not (isinstance(st, gast.Expr) and st.value is call):   # inside an expression: hoisted
                    target = self.lw.fresh("result")
                    st = _replace_node(st, call, _name(target))
                    rest = [st]
                else:
                    rest = []
                if isinstance(st, gast.Assign) and st.value is call:
                    rest = []
                self.count += 1
                if self.count > 50:
                    return None
                new = self.call(m, call, name, target, st, helper=helper is not None)
                if new is None:
                    return None
                new = self.inline(new, name, cls)   # methods calling methods of self
                if new is None:
                    return None
                out.extend(new + rest)
                continue
            out.append(st)
        return out

    def _helper(self, call, name):
        """The function of the user's that ``call`` calls with the object ``name`` as an argument, or None."""
        from . import effects
        if not any(isinstance(a, gast.Name) and a.id == name for a in list(call.args) + [k.value for k in call.keywords]):
            return None
        if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        fn = self.ctx.resolve(call.func)
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

    def call(self, fn, call, name, target, st, helper=False):
        hit = self.lw._inlinable(fn)
        if hit is None:
            return None
        fn, sub = hit
        body = list(sub.node.body)
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
            body = body[1:]
        returns = [n for n in _walk_own(body) if isinstance(n, gast.Return)]
        exits = None
        if returns and not (len(returns) == 1 and body[-1] is returns[0]):
            exits = _tail_returns(body)   # `if self.act is None: return z` then `return self.act(z)`
            if exits is None:
                return None
            body = exits
        params = [a.id for a in sub.node.args.args]
        if not params:
            return None
        if helper:   # the parameters the object is bound to keep its name
            try:
                bound_ = inspect.signature(fn).bind(*call.args, **{k.arg: k.value for k in call.keywords})
            except TypeError:
                return None
            these = {p for p, a in bound_.arguments.items() if isinstance(a, gast.Name) and a.id == name}
            fake = call
        else:
            these = {params[0]}
            fake = gast.Call(func=call.func, args=[_name(name)] + list(call.args), keywords=call.keywords)
        if these & {n.id for n in _walk_own(body) if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)}:
            return None
        bound = self.lw._bind(fn, sub, fake, body, keep_names=these)
        if bound is None:
            return None
        prologue, body = bound
        if exits is not None:
            return _at(prologue + _results(body, target), st)
        if body and isinstance(body[-1], gast.Return):
            ret = body.pop()
            value = ret.value if ret.value is not None else gast.Constant(value=None, kind=None)
        else:
            value = gast.Constant(value=None, kind=None)
        if target is not None:
            body.append(_assign(_name(target, gast.Store()), value))
        elif any(isinstance(n, gast.Call) for n in gast.walk(value)):
            body.append(gast.Expr(value=value))
        return _at(prologue + body, st)


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
        elif any(isinstance(n, gast.Call) for n in gast.walk(value)):
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


def _root_name(n):
    while isinstance(n, (gast.Attribute, gast.Subscript)):
        n = n.value
    return n.id if isinstance(n, gast.Name) else None


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


def _replace_node(tree, old, new):
    class R(gast.NodeTransformer):
        def visit(self, node):
            if node is old:
                return new
            return super().visit(node)
    return R().visit(tree)


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
        return body

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
        """Reads of ``name.a`` after ``name.a`` is first set (at the top level) read a variable instead."""
        first = {}
        for i, st in enumerate(body):
            for n in _walk_own([st]):
                if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name \
                        and isinstance(n.ctx, gast.Store):
                    if not (isinstance(st, gast.Assign) and len(st.targets) == 1 and st.targets[0] is n):
                        first.setdefault(n.attr, None)   # set inside a block, or in a complex statement
                    else:
                        first.setdefault(n.attr, i)
        if any(v is None for v in first.values()):
            return None
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name \
                    and isinstance(n.ctx, gast.Load) and isinstance(inspect.getattr_static(type(obj), n.attr, None),
                                                                    (property, types.FunctionType)):
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


def _split_tuple_stores(body):
    """``a.W, a.b = e1, e2`` -> ``t = e1; t_1 = e2; a.W = t; a.b = t_1`` is left to the caller: here
    only ``G[k].W, G[k].b = e1, e2`` with attribute targets is split into single stores (values first)."""
    out = []
    for st in body:
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Tuple) \
                and isinstance(st.value, gast.Tuple) and len(st.value.elts) == len(st.targets[0].elts) \
                and all(isinstance(t, gast.Attribute) for t in st.targets[0].elts) \
                and all(isinstance(v, (gast.Name, gast.Constant, gast.Subscript)) for v in st.value.elts) \
                and not any(isinstance(n, gast.Call) for n in gast.walk(st.value)):
            targets = {_root_name(t) for t in st.targets[0].elts}
            reads = {n.id for n in gast.walk(st.value) if isinstance(n, gast.Name)}
            if not targets & reads:
                out.extend(gast.copy_location(_assign(t, v), st) for t, v in zip(st.targets[0].elts, st.value.elts))
                continue
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
        alias = {n.targets[0].id: n.value.id for n in _walk_own(body)   # layers_1 = layers (self.layers = layers)
                 if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)
                 and isinstance(n.value, gast.Name) and n.value.id in lists and binds.get(n.targets[0].id) == 1
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
                        and not any(isinstance(n, gast.Name) and n.id == g for n in gast.walk(s_.value.args[0])):
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
            inside = {id(n) for n in _walk_own(loop.body)} | {id(n) for n in gast.walk(loop.target)}
            return all(id(n) in inside
                       for n in _walk_own(body) if isinstance(n, gast.Name) and n.id == v) \
                and v not in _stored(loop.body)
        for n in _walk_own(body):
            if isinstance(n, gast.For) and not n.orelse and not any(_jumps(n.body)) \
                    and not any(isinstance(m, (gast.FunctionDef, gast.Lambda, gast.ClassDef)) for m in gast.walk(n)):
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
