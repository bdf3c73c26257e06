"""Source-level lowering of objects whose state changes after construction (issue 11).

``_Objects``: a local object of a plain class of the user's, whose state a method or the function
itself changes after construction and that never leaves the function, is taken apart (``__init__`` and
its methods inlined with ``self`` renamed to it, each attribute a variable). Global objects whose attributes
the function sets and reads back: s2s/global_objects.py. ``lower`` (s2s/lowering.py) runs both first.
"""
import abc
import copy
import dataclasses
import inspect
import types

import gast

from .anno import getanno, hasanno
from .dataclass_init import field_set_by_init, generated_init, init_for_call, lower_record_calls
from .control import _assign, _at, _name, _obj_name, _rename, _walk_own
from .object_lists import (_LocalLists, _drop_assigns, _fold_is_none, _replace_node, _results, _tail_returns,
                           helper_callee, hoist_arguments, COMPUTED)
from . import astutil


_DUNDERS = ("__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__new__")


def _plain_class(cls):
    """A class of the user's whose attributes are plain storage (no metaclass but ABCMeta, which only checks
    abstract methods when it builds an object; no attribute hooks)."""
    if not isinstance(cls, type) or type(cls) not in (type, abc.ABCMeta) or cls.__module__ in ("builtins",) \
            or cls.__module__.split(".")[0] in ("numpy", "s2s", "templates", "scipy"):
        return False
    if any(getattr(cls, d, None) is not getattr(object, d, None) for d in _DUNDERS):
        return False
    return all(isinstance(inspect.getattr_static(cls, a, None), types.MemberDescriptorType)
               for k in cls.__mro__ for a in _slot_names(k))   # __slots__: storage too (not __dict__)


def _slot_names(cls):
    slots = vars(cls).get("__slots__", ())
    return (slots,) if isinstance(slots, str) else tuple(slots)


def _field_call(cls, attr):
    """True when ``obj.attr(...)`` calls a value stored in the object (``self.act_fn = act_fn``), not a method:
    the class has no attribute ``attr``."""
    return inspect.getattr_static(cls, attr, None) is None


def _class_attribute(cls, a):
    """True when ``a`` is an attribute of the class itself (not an instance's slot)."""
    return hasattr(cls, a) and not isinstance(inspect.getattr_static(cls, a, None), types.MemberDescriptorType)


def _instance_dicts(body, name, cls, ctx):
    """``name.__dict__["w"]`` and ``vars(name)["w"]`` written as ``name.w`` (the same storage: ``cls`` is a plain
    class, s2s/objects._plain_class, and ``w`` is no attribute of the class, so no descriptor sits in between)."""
    import builtins

    class Sub(gast.NodeTransformer):
        def visit_Subscript(self, node):
            self.generic_visit(node)
            v, key = node.value, node.slice
            if not (isinstance(key, gast.Constant) and isinstance(key.value, str) and key.value.isidentifier()
                    and not hasattr(cls, key.value)):
                return node
            if isinstance(v, gast.Attribute) and v.attr == "__dict__" and isinstance(v.value, gast.Name) \
                    and v.value.id == name or isinstance(v, gast.Call) and len(v.args) == 1 and not v.keywords \
                    and isinstance(v.args[0], gast.Name) and v.args[0].id == name \
                    and isinstance(v.func, gast.Name) and v.func.id not in ctx.locals \
                    and ctx.resolve(v.func) is builtins.vars:
                return gast.copy_location(gast.Attribute(value=_name(name), attr=key.value, ctx=node.ctx), node)
            return node
    return [Sub().visit(st) for st in body]


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
                    new = self.run_flat(unrolled, names)
                    if new is not None and not any(isinstance(n, gast.Name) and n.id in names for n in _walk_own(new)):
                        return new
        unrolled, names = lists.run(flat)
        if names:   # a list of objects built here (layers = [Dense(W1, b1), ...]): taken apart, or left as written
            new = self.run_flat(unrolled, names)
            if new is not None and not any(isinstance(n, gast.Name) and n.id in names for n in _walk_own(new)):
                return new
        return self.run_flat(flat)

    def run_flat(self, flat, unrolled=()):
        """Objects taken apart; a list's items (``unrolled``) even when stateless (``ReLU()``): all or none."""
        done = False
        for name, cls in self.candidates(flat).items():
            new = self.replace(copy.deepcopy(flat), name, cls, force=name in unrolled)
            if new is not None:
                flat, done = new, True
        for name in self.factory_calls(flat):   # o = make(W) where make returns Holder(np.sin(W), ...)
            self.classmethod_inlined = False
            new = self.inline_factory(copy.deepcopy(flat), name)
            if new is not None:
                new_flat, cls = new
                new = self.replace(new_flat, name, cls)
                if new is not None:
                    flat, done = new, True
                elif self.classmethod_inlined:   # p = Params.from_vector(v): `p = Params(...)` (a record) stays
                    flat, done = new_flat, True
        return flat if done else None

    def _factory(self, call, lists=False):
        return _factory(self.ctx, call, lists)

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
                call = st.value
                owner = _classmethod_owner(self.ctx.resolve(call.func))
                if owner is not None:   # a classmethod: its `cls` is the class it is called on
                    self.classmethod_inlined = True
                    inner = _bind_class(inner, sub.node.args.args[0].id, owner)
                    if inner is None:
                        return None
                    call = gast.Call(func=call.func, args=[gast.Constant(value=None, kind=None)] + list(call.args),
                                     keywords=call.keywords)
                bound = self.lw._bind(fn, sub, call, inner)
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
        return isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) \
            and bool(self._ctor(v.func.value) or self._chain(v.func.value))

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
                out.extend(hoist_arguments(self, st))   # apply(Dense(W, b), x): t = Dense(W, b); apply(t, x)
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    setattr(st, field, self.flatten(sub))
            out.append(st)
        return out

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
            if isinstance(n, gast.Call) and n.args and isinstance(n.args[0], gast.Name) and n.args[0].id in names \
                    and isinstance(n.func, gast.Attribute):   # Cls.add(h, v): a method called on the class
                m = self._method(cls, n.func.attr)
                if m is not None and self.ctx.resolve(n.func) is m and m.__code__.co_varnames[:1] and \
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
                return any(isinstance(m, gast.Name) and (m.id in self.ctx.locals or m.id in self.lw.new_locals)
                           for a in args for m in astutil.walk(a))   # (new: an inlined factory's parameters)
        return False

    def replace(self, body, name, cls, force=False):
        body = _instance_dicts(body, name, cls, self.ctx)   # p.__dict__["w"] = v is p.w = v
        if not (force or self._changes_state(body, name, cls) or self._built_from_locals(body, name)):
            return None
        self.record_calls = _dataclass_uses(body, name, cls, self.ctx.resolve)
        _dunder_call(body, name, cls)
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
                if n.attr in ("__dict__", "__class__") or self._method(cls, n.attr) is not None \
                        or isinstance(inspect.getattr_static(cls, n.attr, None), (*COMPUTED, staticmethod,
                                                                                  classmethod)):
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
            if (a not in stored) != (_class_attribute(cls, a) and not field_set_by_init(cls, a)):
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
            _unsuper(st, name, cls)
            st = _read_properties(st, name, cls)
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
                if generated_init(cls):   # a dataclass: its generated __init__ written out as source
                    init = init_for_call(cls, st.value, getattr(self, "record_calls", 0))
                    if init is None:
                        return None
                if init is None:
                    if st.value.args or st.value.keywords or cls.__init__ is not object.__init__:
                        return None
                    continue
                new = self.call(init, st.value, name, None, st)
                if new is not None and any(isinstance(n, gast.Call) for n in _walk_own(new)):
                    new = self.inline(new, name, cls)   # super().__init__(...), self.reset()
                if new is None:
                    return None
                out.extend(new)
                continue
            simple = isinstance(st, (gast.Expr, gast.Assign, gast.Return, gast.AugAssign))
            calls = [n for n in _walk_own([st]) if simple and isinstance(n, gast.Call)
                     and isinstance(n.func, gast.Attribute)
                     and isinstance(n.func.value, gast.Name) and n.func.value.id == name
                     and not _field_call(cls, n.func.attr)]   # (self.act_fn(z): a field's value called)
            helper = None
            if simple and not calls:   # apply(layer, x): a function of the user's given the object, inlined
                calls = [n for n in _walk_own([st]) if isinstance(n, gast.Call) and helper_callee(self, n, name)]
                helper = calls[0] if calls else None
            call = _innermost(calls, name, st)   # self.out(self.act(z)): act first, as Python calls them
            if call is not None:
                inside = {id(n) for n in _walk_own(list(call.args) + [k.value for k in call.keywords])}
                others = [n for n in _walk_own([st]) if isinstance(n, gast.Call) and n is not call and id(n) not in
                          inside and not (helper is None and n in calls) and not any(m is call for m in _walk_own(
                              list(n.args) + [k.value for k in n.keywords]))]   # (called after `call` anyway)
                from .purity import Purity
                pure = Purity(self.ctx.resolve)
                order = [id(n) for n in _evaluation_order(st)]   # calls Python makes after `call` stay after it
                others = [n for n in others if id(n) not in order or order.index(id(n)) < order.index(id(call))]
                if any(not pure.callee_pure(n.func) for n in others) or _conditional(st, call) \
                        or not isinstance(st, (gast.Expr, gast.Assign, gast.Return)):
                    return None   # nothing impure called in the statement besides the object's methods
                m = helper_callee(self, call, name) if helper is not None else self._method(cls, call.func.attr)
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
                _dunder_call(new, name, cls)
                new = self.inline(new, name, cls)   # methods calling methods of self
                rest = self.inline(rest, name, cls) if new is not None else None   # the statement's other calls
                if rest is None:
                    return None
                out.extend(new + rest)
                continue
            out.append(st)
        return out

    def call(self, fn, call, name, target, st, helper=False):
        hit = self.lw._inlinable(fn, varargs=not helper)   # (a method's *args: bound to a tuple display)
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
        elif any(isinstance(n, gast.Call) for n in astutil.walk_bfs(value)):
            body.append(gast.Expr(value=value))
        return _at(prologue + body, st)


def _factory(ctx, call, lists=False):
    """(function, class) when ``call`` calls a function of the user's whose one return, its last
    statement, builds an object of a plain class of the user's (``return Holder(np.sin(W), W ** 2)``)."""
    from . import effects
    from .parse import parse_function
    if not isinstance(call, gast.Call) or not isinstance(call.func, (gast.Name, gast.Attribute)):
        return None
    fn = ctx.resolve(call.func)
    owner = _classmethod_owner(fn)   # Params.from_vector(v), a classmethod returning cls(...)
    fn = fn.__func__ if owner is not None else fn
    if not isinstance(fn, types.FunctionType) or inspect.isgeneratorfunction(fn) or not effects.user_function(fn):
        return None
    if owner is None and not any(_plain_class(fn.__globals__.get(n)) for n in fn.__code__.co_names):
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
    if owner is not None and isinstance(value.func, gast.Name) and node.args.args \
            and value.func.id == node.args.args[0].id:
        cls = owner   # return cls(...)
    return (fn, cls) if _plain_class(cls) else None


def _dataclass_uses(body, name, cls, resolve):
    """How many uses of dataclass object ``name`` in ``body`` are more than a field read: dataclasses.astuple /
    asdict / replace of it (rewritten to field reads here), its methods and properties. Such an object is taken
    apart, with its ``__init__`` written out, rather than built as a record (s2s/dataclass_init.py)."""
    count = lower_record_calls(body, name, cls, resolve)
    if generated_init(cls):
        own = {f.name for f in dataclasses.fields(cls)}
        count += sum(1 for n in _walk_own(body) if isinstance(n, gast.Attribute)
                     and isinstance(n.value, gast.Name) and n.value.id == name and n.attr not in own)
    return count


def _classmethod_owner(fn):
    """The class of the user's a classmethod ``fn`` (``Params.from_vector``) is bound to, or None."""
    if isinstance(fn, types.MethodType) and isinstance(fn.__self__, type) and _plain_class(fn.__self__) \
            and isinstance(fn.__func__, types.FunctionType):
        return fn.__self__
    return None


def _bind_class(body, param, owner):
    """``body`` (a classmethod's) with its class parameter ``param`` read as the class ``owner``; None when the
    body rebinds it."""
    if any(isinstance(n, gast.Name) and n.id == param and not isinstance(n.ctx, gast.Load) for n in _walk_own(body)):
        return None

    class Sub(gast.NodeTransformer):
        def visit_Name(self, node):
            if node.id == param:
                return gast.copy_location(_obj_name(owner.__name__, owner), node)
            return node
    return [Sub().visit(st) for st in body]


def _dunder_call(body, name, cls):
    """``layer(x)`` reads ``layer.__call__(x)`` (also in a method's body: ``self(x)``)."""
    if isinstance(inspect.getattr_static(cls, "__call__", None), types.FunctionType):
        for n in _walk_own(body):
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == name:
                n.func = gast.copy_location(gast.Attribute(value=_name(name), attr="__call__", ctx=gast.Load()), n.func)


def _conditional(st, call):
    """``call`` runs only sometimes, or more than once, in ``st``: in a branch of ``a if c else b``, after
    the first operand of ``and``/``or``, in a comprehension or a lambda (it cannot be hoisted before ``st``)."""
    def within(nodes):
        return any(m is call for n in nodes for m in astutil.walk_bfs(n))
    for n in astutil.walk_bfs(st):
        if isinstance(n, gast.IfExp) and within([n.body, n.orelse]) or isinstance(n, gast.BoolOp) \
                and within(n.values[1:]) or isinstance(n, (gast.ListComp, gast.SetComp, gast.DictComp,
                                                           gast.GeneratorExp, gast.Lambda)) and within([n]):
            return True
    return False


def _evaluation_order(n):
    """The nodes of ``n`` in evaluation order: operands left to right, then the node; an assignment's value
    first."""
    kids = [n.value] + n.targets if isinstance(n, gast.Assign) else list(gast.iter_child_nodes(n))
    for k in kids:
        yield from _evaluation_order(k)
    yield n


def _innermost(calls, name, st):
    """The one of ``calls`` (calls of ``name``'s methods in ``st``) Python makes first, or None when one of the
    object's calls is in its arguments (``self.f(self.W.sum())``, a call on the object's field)."""
    first = next((n for n in _evaluation_order(st) if any(n is c for c in calls)), None)
    if first is None or any(isinstance(n, gast.Call) and _root_name(n.func) == name
                            for n in _walk_own(list(first.args) + [k.value for k in first.keywords])):
        return None
    return first


def _read_properties(st, name, cls):
    """``name.p`` read, p a read-only property of cls -> ``Cls_p(name)`` (its getter, which the helper inliner
    follows) in ``st``; a property with a setter is left (the object is then not taken apart). ``name.f`` of a
    staticmethod or classmethod ``f`` -> the function (``self.sq(z)``: ``Cls_sq(z)``), which needs no object."""
    class Props(gast.NodeTransformer):
        def visit_Attribute(self, node):
            self.generic_visit(node)
            prop = inspect.getattr_static(cls, node.attr, None)
            mine = isinstance(node.ctx, gast.Load) and isinstance(node.value, gast.Name) and node.value.id == name
            if mine and isinstance(prop, property) and prop.fset is None and prop.fdel is None \
                    and isinstance(prop.fget, types.FunctionType):
                getter = _obj_name(f"{cls.__name__}_{node.attr}", prop.fget)
                return gast.copy_location(gast.Call(func=getter, args=[_name(name)], keywords=[]), node)
            if mine and isinstance(prop, staticmethod) and isinstance(prop.__func__, types.FunctionType):
                return gast.copy_location(_obj_name(f"{cls.__name__}_{node.attr}", prop.__func__), node)
            if mine and isinstance(prop, classmethod) and isinstance(prop.__func__, types.FunctionType):   # Cls.f
                return gast.copy_location(gast.Attribute(value=_obj_name(cls.__name__, cls), attr=node.attr,
                                                         ctx=gast.Load()), node)
            return node
    return Props().visit(st)


def _unsuper(st, name, cls):
    """``super(C, name).m(...)`` (an inlined ``super().m(...)``) -> ``C_base_m(name, ...)``: the function the
    method resolution order finds after C, called with the object, which the helper inliner follows."""
    for n in _walk_own([st]):
        f = n.func if isinstance(n, gast.Call) else None
        if not (isinstance(f, gast.Attribute) and isinstance(f.value, gast.Call) and isinstance(f.value.func, gast.Name)
                and f.value.func.id == "super" and len(f.value.args) == 2 and not f.value.keywords
                and isinstance(f.value.args[1], gast.Name) and f.value.args[1].id == name):
            continue
        start = f.value.args[0]
        start = getanno(start, "obj") if hasanno(start, "obj") else None
        mro = cls.__mro__
        if start not in mro:
            continue
        found = next((vars(k)[f.attr] for k in mro[mro.index(start) + 1:] if f.attr in vars(k)), None)
        if isinstance(found, types.FunctionType):
            n.func = gast.copy_location(_obj_name(f"{found.__qualname__.replace('.', '_')}", found), f)
            n.args = [_name(name)] + list(n.args)


def _root_name(n):
    while isinstance(n, (gast.Attribute, gast.Subscript)):
        n = n.value
    return n.id if isinstance(n, gast.Name) else None
