"""Desugaring of calls whose function argument is known statically (issue 11, functions as values).

The normalizer (s2s/normalize.py) calls ``call(norm, node)`` on every call expression first; a
non-None result replaces the call and is normalized in its place:

- ``map(f, xs)`` becomes ``[f(x) for x in xs]``, ``map(f, xs, ys)`` ``[f(x, y) for x, y in zip(xs, ys)]``;
- ``filter(f, xs)`` becomes ``[x for x in xs if f(x)]`` (``filter(None, xs)``: ``if x``);
- ``x.reshape(*shape)`` and ``x.transpose(*axes)`` become ``x.reshape(shape)``, ``x.transpose(axes)``;
- ``functools.partial(g, a, k=v)(x)`` becomes ``g(a, x, k=v)``, also through a name it is assigned to
  (``h = partial(g, a)`` then ``h(x)``); the bound arguments are evaluated once, where the partial is
  made, as Python does.

``f`` is static when it is a lambda, a function defined in the differentiated function, a name or
attribute chain that resolves at transform time (a module-level function, ``np.tanh``), or such a
partial. The comprehensions are then differentiated like any other loop, and the calls in them as
direct, readable calls. Anything else is left alone (and refused or called through a pullback as
before).
"""
import dataclasses
import functools
import inspect
import sys
import textwrap
import types

import gast
from . import astutil, vectorized

_TUPLE_METHODS = ("reshape", "transpose")   # ndarray methods taking the shape/axes as one tuple or spread out


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def resolved(norm, node):
    """The object a Name/Attribute chain refers to at transform time, or None (a local, unknown)."""
    if isinstance(node, gast.Name) and (node.id in norm.ctx.locals or node.id in norm.local_fns):
        return None
    if not isinstance(node, (gast.Name, gast.Attribute)):
        return None
    try:
        return norm.ctx.resolve(node)
    except Exception:
        return None


def static_function(norm, node):
    """A callee expression equal to the function value ``node``, usable in a call, or None."""
    if isinstance(node, gast.Lambda):
        name = norm.fresh("fn")
        norm.local_fns[name] = node   # inlined where the comprehension calls it
        return _name(name)
    if isinstance(node, gast.Name) and node.id in norm.local_fns:
        return node
    if isinstance(node, gast.Name) and node.id in norm.partials:
        return node
    if isinstance(node, gast.Call) and resolved(norm, node.func) is functools.partial and node.args \
            and not any(isinstance(a, gast.Starred) for a in node.args) and all(k.arg for k in node.keywords):
        inner = static_function(norm, node.args[0])
        if inner is None:
            return None
        name = norm.fresh("partial")
        norm.partials[name] = (inner, [norm.atom(a) for a in node.args[1:]],
                               [gast.keyword(arg=k.arg, value=norm.atom(k.value)) for k in node.keywords])
        return _name(name)
    obj = resolved(norm, node)
    if obj is not None and callable(obj) and not isinstance(obj, type):
        return node
    return None


def call(norm, node):
    """The replacement of call ``node``, or None to normalize it as it is."""
    func = node.func
    if isinstance(func, gast.Name) and func.id in norm.partials:   # h(x) with h = partial(g, a)
        g, args, kws = norm.partials[func.id]
        return gast.Call(func=_fresh_copy(g), args=[_fresh_copy(a) for a in args] + list(node.args),
                         keywords=[gast.keyword(arg=k.arg, value=_fresh_copy(k.value)) for k in kws] + list(node.keywords))
    if isinstance(func, gast.Call) and resolved(norm, func.func) is functools.partial:   # partial(g, a)(x)
        g = static_function(norm, func)
        if g is not None:
            return call(norm, gast.Call(func=g, args=node.args, keywords=node.keywords))
        return None
    bound = _global_partial(norm, node)   # pl(w) with pl = functools.partial(loss, reg=0.7) a global
    if bound is not None:
        return bound
    vec = vectorized.vectorize_call(norm, node, sys.modules[__name__])   # np.vectorize(f)(x): f over x's elements
    if vec is not None:
        return vec
    replaced = _record_replace(norm, node)   # dataclasses.replace(p, W=v), p._replace(W=v)
    if replaced is not None:
        return replaced
    if isinstance(func, gast.Attribute) and func.attr in _TUPLE_METHODS and len(node.args) == 1 \
            and isinstance(node.args[0], gast.Starred) and not node.keywords:   # x.reshape(*shape): x.reshape(shape)
        return gast.Call(func=func, args=[node.args[0].value], keywords=[])
    fn = resolved(norm, func)
    if fn is dict and not node.args and node.keywords and all(k.arg for k in node.keywords):   # dict(a=x): {'a': x}
        return gast.Dict(keys=[gast.Constant(value=k.arg, kind=None) for k in node.keywords],
                         values=[k.value for k in node.keywords])
    if isinstance(fn, type) and not any(isinstance(a, gast.Starred) for a in node.args) \
            and all(k.arg for k in node.keywords) and (node.args or node.keywords):
        from . import records
        if records.buildable(fn):   # P(x, b=y) of a namedtuple/dataclass: make_record(P, x, y)
            names = records.field_names(fn)
            given = dict(zip(names, node.args))
            given.update({k.arg: k.value for k in node.keywords})
            for f, v in records.literal_defaults(fn).items():
                given.setdefault(f, gast.Constant(value=v, kind=None))
            if len(node.args) <= len(names) and set(given) <= set(names) and len(given) == len(names):
                from .coreform import runtime_name
                return gast.Call(func=runtime_name("make_record", records.make_record),
                                 args=[func] + [given[f] for f in names], keywords=[])
    if fn not in (map, filter) or node.keywords or len(node.args) < 2 \
            or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    if fn is filter and len(node.args) != 2:
        return None
    f = node.args[0]
    if fn is filter and isinstance(f, gast.Constant) and f.value is None:
        g = None
    else:
        g = static_function(norm, f)
        if g is None and isinstance(f, gast.Name) and f.id in norm.ctx.locals:
            g = f   # a function parameter or local: f(v) is called through a pullback (a pushforward)
        if g is None:
            return None
    items = [norm.fresh("v") for _ in node.args[1:]]
    norm.namer.declare(items)
    if len(items) == 1:
        target, it = _name(items[0], gast.Store()), node.args[1]
    else:
        target = gast.Tuple(elts=[_name(v, gast.Store()) for v in items], ctx=gast.Store())
        it = gast.Call(func=_zip_name(norm), args=list(node.args[1:]), keywords=[])
    loads = [_name(v) for v in items]
    if fn is map:
        elt = gast.Call(func=g, args=loads, keywords=[])
        ifs = []
    else:
        elt = loads[0]
        ifs = [loads[0] if g is None else gast.Call(func=g, args=loads, keywords=[])]
    comp = gast.ListComp(elt=elt, generators=[gast.comprehension(target=target, iter=it, ifs=ifs, is_async=0)])
    for n in astutil.walk_bfs(comp):
        if isinstance(n, (gast.expr,)) and not hasattr(n, "lineno"):
            gast.copy_location(n, node)
    return comp


def starred_literal(node):
    """``[*a, b, *c]`` (or a tuple) as ``concat(concat(list(a), [b]), list(c))``: a concatenation,
    whose gradient splits (s2s/containers.py). Left as a literal, the starred parts carried no gradient."""
    from . import containers
    from .coreform import runtime_name
    seq = "list" if isinstance(node, gast.List) else "tuple"
    parts, plain = [], []
    for e in node.elts:
        if isinstance(e, gast.Starred):
            if plain:
                parts.append(type(node)(elts=plain, ctx=gast.Load()))
                plain = []
            parts.append(gast.Call(func=runtime_name(seq), args=[e.value], keywords=[]))
        else:
            plain.append(e)
    if plain:
        parts.append(type(node)(elts=plain, ctx=gast.Load()))
    out = parts[0]
    for p in parts[1:]:
        out = gast.Call(func=runtime_name("concat", containers.concat), args=[out, p], keywords=[])
    for n in astutil.walk_bfs(out):
        if isinstance(n, gast.expr) and not hasattr(n, "lineno"):
            gast.copy_location(n, node)
    return out


def _record_replace(norm, node):
    """``dataclasses.replace(p, W=v, b=u)`` and ``p._replace(W=v, b=u)`` as
    ``replace_field(replace_field(p, "W", v), "b", u)`` (s2s/records.py: a rule per field), or None."""
    func = node.func
    if not node.keywords or not all(k.arg for k in node.keywords):
        return None
    if isinstance(func, gast.Attribute) and func.attr == "_replace" and not node.args:
        out, kind = func.value, "namedtuple"
    elif len(node.args) == 1 and not isinstance(node.args[0], gast.Starred) \
            and resolved(norm, func) is dataclasses.replace:
        out, kind = node.args[0], "dataclass"
    else:
        return None
    from . import records
    from .coreform import runtime_name
    for k in node.keywords:
        out = gast.Call(func=runtime_name("replace_field", records.replace_field),
                        args=[out, gast.Constant(value=k.arg, kind=None), k.value,
                              gast.Constant(value=kind, kind=None)], keywords=[])
    for n in astutil.walk_bfs(out):
        if isinstance(n, gast.expr) and not hasattr(n, "lineno"):
            gast.copy_location(n, node)
    return out


def star_zip(norm, target, it):
    """The iterable of ``for a, b, c in zip(*t)`` as ``zip(u[0], u[1], u[2])`` with
    ``u = unpacked(t, 3)``: the loop's targets say how many sequences ``t`` holds (a starred call
    carries no gradient otherwise). None when ``it`` is not such a call."""
    if not (isinstance(it, gast.Call) and len(it.args) == 1 and isinstance(it.args[0], gast.Starred)
            and not it.keywords and isinstance(target, gast.Tuple) and target.elts
            and not any(isinstance(e, gast.Starred) for e in target.elts) and resolved(norm, it.func) is zip):
        return None
    from . import containers
    from .coreform import runtime_name
    n = len(target.elts)
    u = norm.atom(gast.Call(func=runtime_name("unpacked", containers.unpacked),
                            args=[it.args[0].value, gast.Constant(value=n, kind=None)], keywords=[]))
    out = gast.Call(func=it.func, args=[gast.Subscript(value=_name(u.id), slice=gast.Constant(value=i, kind=None),
                                                       ctx=gast.Load()) for i in range(n)], keywords=[])
    for e in astutil.walk_bfs(out):
        if isinstance(e, gast.expr) and not hasattr(e, "lineno"):
            gast.copy_location(e, it)
    return out


def loop_keywords(norm, it):
    """``(call, strict)`` for the iterable of a loop: ``enumerate(xs, start=s)`` as ``enumerate(xs, s)``,
    ``zip(a, b, strict=s)`` as ``zip(a, b)`` with ``s`` returned (the loop checks the lengths, see
    ``strict_length``); any other iterable as it is, strict None."""
    if not (isinstance(it, gast.Call) and it.keywords and all(k.arg for k in it.keywords)):
        return it, None
    fn = resolved(norm, it.func)
    names = [k.arg for k in it.keywords]
    if fn is enumerate and names == ["start"] and len(it.args) == 1:
        return gast.copy_location(gast.Call(func=it.func, args=it.args + [it.keywords[0].value], keywords=[]),
                                  it), None
    if fn is zip and names == ["strict"]:
        return gast.copy_location(gast.Call(func=it.func, args=it.args, keywords=[]), it), it.keywords[0].value
    return it, None


def strict_length(strict, *lengths):
    """The number of items ``zip(..., strict=strict)`` gives for sequences of these lengths; raises
    ValueError as zip does when ``strict`` and they differ."""
    if strict and len(set(lengths)) > 1:
        i = next(i for i, n in enumerate(lengths) if n != lengths[0])
        raise ValueError(f"zip() argument {i + 1} is {'shorter' if lengths[i] < lengths[0] else 'longer'} "
                         f"than argument{' 1' if i == 1 else 's 1-' + str(i)}")
    return min(lengths)


class ModuleGlobals:
    """A module's namespace as generated code reads and writes it (``module_globals["n"]``); one per
    module, never copied (the ASTs holding it are). A name not bound yet reads as a missing key does
    (``runtime.get_item`` saves it as MISSING, ``set_item`` unbinds it again)."""
    _made = {}
    s2s_keyed = True

    def __init__(self, namespace):
        self.namespace = namespace

    @classmethod
    def of(cls, namespace):
        key = id(namespace)
        hit = cls._made.get(key)
        if hit is None or hit.namespace is not namespace:
            hit = cls._made[key] = cls(namespace)
        return hit

    def __getitem__(self, name):
        return self.namespace[name]

    def __setitem__(self, name, value):
        self.namespace[name] = value

    def __contains__(self, name):
        return name in self.namespace

    def __delitem__(self, name):
        del self.namespace[name]

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def __repr__(self):
        return f"<the globals of module {self.namespace.get('__name__')}>"


def module_globals(fn, ctx):
    """``global n; n += 1`` in ``fn`` (a FunctionDef, in place): every use of a name declared ``global``
    becomes an item of the function's module namespace, ``G["n"] += 1``, so generated code (which runs in
    its own namespace) reads and writes the user's module, once per run as the primal does. The
    ``global`` statements go. A value carrying a gradient stored there is followed as any store into a
    module-level container is."""
    from .coreform import runtime_name
    names = {n for st in astutil.walk_bfs(fn) if isinstance(st, gast.Global) for n in st.names}
    if not names:
        return
    for st in astutil.walk_bfs(fn):
        if isinstance(st, (gast.FunctionDef, gast.Lambda, gast.ClassDef)) and st is not fn \
                and any(isinstance(n, gast.Name) and n.id in names for n in astutil.walk_bfs(st)):
            raise ctx.error(st, f"`global {sorted(names)[0]}` is used inside a nested function or class here; "
                            "s2s does not follow that.", "Pass the value in as an argument and return the new value.")
    for parent in astutil.walk_bfs(fn):
        for field, value in gast.iter_fields(parent):
            items = value if isinstance(value, list) else [value]
            new = []
            for v in items:
                if isinstance(v, gast.Global):
                    continue
                if isinstance(v, gast.Name) and v.id in names:
                    if isinstance(v.ctx, gast.Del):
                        raise ctx.error(parent, f"`del {v.id}` of a global is not supported by s2s.")
                    sub = gast.Subscript(value=runtime_name("module_globals", ModuleGlobals.of(ctx.globals)),
                                         slice=gast.Constant(value=v.id, kind=None), ctx=v.ctx)
                    v = gast.copy_location(sub, v) if hasattr(v, "lineno") else sub
                    for e in astutil.walk_bfs(sub):
                        if hasattr(v, "lineno") and not hasattr(e, "lineno"):
                            gast.copy_location(e, v)
                new.append(v)
            if isinstance(value, list):
                value[:] = new or ([gast.Pass()] if field in ("body",) else [])
            elif new and new[0] is not value:
                setattr(parent, field, new[0])


_INPLACE = {gast.Add: "__iadd__", gast.Sub: "__isub__", gast.Mult: "__imul__", gast.Div: "__itruediv__",
            gast.MatMult: "__imatmul__", gast.Pow: "__ipow__", gast.FloorDiv: "__ifloordiv__", gast.Mod: "__imod__"}


class _Resolver:   # what ``resolved`` needs, before the Normalizer exists
    def __init__(self, ctx):
        self.ctx, self.local_fns = ctx, {}


def inplace_operators(fn, ctx):
    """Rewrite ``acc += v`` in ``fn`` (in place) as Python runs it when ``acc`` is an object of the user's
    class with ``__iadd__`` (``inplace_method``): ``acc.__iadd__(v)`` when that returns self, else
    ``acc = acc.__iadd__(v)``; s2s otherwise writes ``acc = acc + v``, which needs ``__add__``."""
    norm = _Resolver(ctx)
    for parent in list(astutil.walk_bfs(fn)):
        for field, value in gast.iter_fields(parent):
            if not isinstance(value, list):
                continue
            for i, st in enumerate(value):
                if not (isinstance(st, gast.AugAssign) and isinstance(st.target, gast.Name)):
                    continue
                hit = inplace_method(norm, st.target.id, st.op)
                if hit is None:
                    _refuse_unknown_inplace(ctx, fn, st)
                    continue
                call = gast.Call(func=gast.Attribute(value=_name(st.target.id), attr=hit[0], ctx=gast.Load()),
                                 args=[st.value], keywords=[])
                new = gast.Expr(value=call) if hit[1] else \
                    gast.Assign(targets=[_name(st.target.id, gast.Store())], value=call, type_comment=None)
                for n in astutil.walk_bfs(new):
                    if not hasattr(n, "lineno") and isinstance(n, (gast.expr, gast.stmt)):
                        gast.copy_location(n, st)
                value[i] = new


def _refuse_unknown_inplace(ctx, fn, st):
    """``acc += v`` on a parameter ``acc`` (its class is not known here) in a module that names a class with
    the in-place operator but not the plain one (``__iadd__`` without ``__add__``): s2s would write
    ``acc = acc + v``, which such an object does not support. Refused, saying what to write."""
    method = _INPLACE.get(type(st.op))
    params = {a.id for a in astutil.walk_bfs(fn.args) if isinstance(a, gast.Name)}
    if method is None or st.target.id not in params:
        return
    plain = "__" + method[3:]
    suspects = sorted({v.__name__ for v in list(ctx.globals.values()) if isinstance(v, type)
                       and isinstance(v.__dict__.get(method), types.FunctionType) and not hasattr(v, plain)})
    if suspects:
        from .codegen import expr_source
        name, value = st.target.id, expr_source(st.value)
        raise ctx.error(st, f"`{name}` is a parameter, and its class is not known when s2s generates code: s2s "
                        f"writes this as `{name} = {name} {_OP_TEXT.get(type(st.op), '+')} ...`, which an object of "
                        f"{', '.join(suspects)} (it has {method} but no {plain}) does not support.",
                        f"If `{name}` is a number or an array, write `{name} = {name} "
                        f"{_OP_TEXT.get(type(st.op), '+')} ({value})`; if it is such an object, make it in the "
                        f"function (`{name} = {suspects[0]}(...)`: then `{name} {_OP_TEXT.get(type(st.op), '+')}= "
                        f"...` is followed through {method}) or keep the running value in a local variable.")


_OP_TEXT = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.MatMult: "@", gast.Pow: "**",
            gast.FloorDiv: "//", gast.Mod: "%"}


def inplace_method(norm, name, op):
    """``(method, returns_self)`` when ``name`` is bound in the function only by calls of one class of the
    user's (``acc = Accumulator()``) that defines the in-place operator of ``op`` (``__iadd__`` for ``+=``):
    Python runs ``acc += v`` as ``acc = acc.__iadd__(v)``, not ``acc = acc + v``. ``returns_self``: every
    ``return`` of the method is ``return self``. None otherwise."""
    method = _INPLACE.get(type(op))
    if method is None:
        return None
    classes = set()
    for n in astutil.walk_bfs(norm.ctx.node):
        if isinstance(n, (gast.Assign, gast.AnnAssign)):
            targets = n.targets if isinstance(n, gast.Assign) else [n.target]
            if any(isinstance(t, gast.Name) and t.id == name for t in targets):
                if len(targets) != 1 or not isinstance(n.value, gast.Call):
                    return None
                cls = resolved(norm, n.value.func)
                if not isinstance(cls, type):
                    return None
                classes.add(cls)
        elif isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, (gast.Store, gast.Param)) \
                and not any(isinstance(a, gast.Assign) and n in a.targets or isinstance(a, gast.AugAssign)
                            and a.target is n for a in astutil.walk_bfs(norm.ctx.node)):
            return None   # a parameter, a loop target, an unpacking: its class is not known here
    if len(classes) != 1:
        return None
    cls = classes.pop()
    if (getattr(cls, "__module__", None) or "builtins").split(".")[0] in ("builtins", "numpy", "scipy"):
        return None
    fn = getattr(cls, method, None)
    if not isinstance(fn, types.FunctionType):
        return None
    try:
        node = gast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError, SyntaxError):
        return method, False
    self_name = node.args.args[0].id if node.args.args else None
    returns = [r for r in astutil.walk_bfs(node) if isinstance(r, gast.Return)]
    ok = bool(returns) and all(isinstance(r.value, gast.Name) and r.value.id == self_name for r in returns) \
        and isinstance(node.body[-1], gast.Return)
    return method, ok


def _fresh_copy(node):
    """A copy of ``node`` without source locations (it takes those of the statement it is used in)."""
    import copy
    node = copy.deepcopy(node)
    for n in astutil.walk_bfs(node):
        for attr in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
            if attr in n.__dict__:
                delattr(n, attr)
    return node


def _zip_name(norm):
    from .coreform import runtime_name
    return runtime_name("zip", zip)


def _global_partial(norm, node):
    """``pl(w, X)`` where ``pl`` resolves (a global, a closure variable) to a ``functools.partial`` of a function
    or a NumPy function: the call of that function with the partial's arguments first, its keywords after the
    call's own (``wloss(w, X, reg=0.7, p=3)``), the bound values named as objects (numbers as constants)."""
    from .coreform import runtime_name
    if not isinstance(node.func, (gast.Name, gast.Attribute)) or any(k.arg is None for k in node.keywords):
        return None
    p = resolved(norm, node.func)
    if not isinstance(p, functools.partial) or isinstance(p.func, functools.partial) \
            or not callable(p.func) or isinstance(p.func, type):
        return None

    def value(v, hint):
        if v is None or isinstance(v, (bool, int, float, str)):
            return gast.Constant(value=v, kind=None)
        return runtime_name(norm.fresh(hint), v)
    name = getattr(p.func, "__name__", "partial_fn")
    func = runtime_name(name if name.isidentifier() else "partial_fn", p.func)
    given = {k.arg for k in node.keywords}
    out = gast.Call(func=func, args=[value(a, "bound") for a in p.args] + list(node.args),
                    keywords=[gast.keyword(arg=k, value=value(v, k)) for k, v in p.keywords.items() if k not in given]
                    + list(node.keywords))
    for n in astutil.walk_bfs(out):
        if isinstance(n, gast.expr) and not hasattr(n, "lineno"):
            gast.copy_location(n, node)
    return out


def vectorize_assignment(norm, target, value):
    """``vf = np.vectorize(f, ...)`` bound once: s2s/vectorized.py."""
    return vectorized.vectorize_assignment(norm, target, value, sys.modules[__name__])


def partial_assignment(norm, target, value):
    """``h = functools.partial(g, a)`` with g static and h assigned nowhere else: remembered, not
    emitted (calls of h become calls of g). True when done."""
    if not (isinstance(value, gast.Call) and resolved(norm, value.func) is functools.partial):
        return False
    stores = sum(1 for n in astutil.walk_bfs(norm.ctx.node) if isinstance(n, gast.Name) and n.id == target
                 and isinstance(n.ctx, gast.Store))
    if stores != 1:
        return False
    g = static_function(norm, value)
    if g is None:
        return False
    norm.partials[target] = norm.partials.pop(g.id)
    return True


_SEQ_BUILDERS = (list, tuple, sorted)


def is_sequence(node, names, ctx=None):
    """True when expression ``node`` surely is a list or tuple: a literal, a comprehension, a name of
    ``names``, list(...)/tuple(...)/sorted(...), or ``a + b`` of such."""
    if isinstance(node, (gast.Tuple, gast.List, gast.ListComp)):
        return True
    if isinstance(node, gast.Name):
        return node.id in names
    if isinstance(node, gast.BinOp) and isinstance(node.op, (gast.Add, gast.Mult)):   # a + [b], [w] * n
        return is_sequence(node.left, names, ctx) or is_sequence(node.right, names, ctx)
    if isinstance(node, gast.Subscript) and isinstance(node.slice, gast.Slice):   # xs[:i] of a list: a list
        return is_sequence(node.value, names, ctx)
    if isinstance(node, gast.Call) and ctx is not None and isinstance(node.func, gast.Name) \
            and node.func.id not in ctx.locals:
        try:
            return ctx.resolve(node.func) in _SEQ_BUILDERS
        except Exception:
            return False
    return False


def sequence_names(fn, ctx):
    """The local names every assignment of which (in ``fn``) binds a list or tuple (see is_sequence);
    ``out = out + rec(e)`` after ``out = []`` is a concatenation."""
    values = {}
    for n in astutil.walk_bfs(fn):
        if isinstance(n, gast.Assign):
            for t in n.targets:
                if isinstance(t, gast.Name):
                    values.setdefault(t.id, []).append(n.value)
                else:
                    for e in astutil.walk_bfs(t):
                        if isinstance(e, gast.Name):
                            values.setdefault(e.id, []).append(None)   # unpacked: unknown
        elif isinstance(n, (gast.AugAssign, gast.AnnAssign)) and isinstance(n.target, gast.Name):
            values.setdefault(n.target.id, []).append(
                gast.BinOp(left=n.target, op=n.op, right=n.value) if isinstance(n, gast.AugAssign) else n.value)
        elif isinstance(n, (gast.For, gast.comprehension)) or isinstance(n, gast.arguments):
            targets = [n.target] if not isinstance(n, gast.arguments) else n.args + n.posonlyargs + n.kwonlyargs
            for t in targets:
                for e in astutil.walk_bfs(t):
                    if isinstance(e, gast.Name):
                        values.setdefault(e.id, []).append(None)
    # a name needs one assignment that is a sequence by itself (`out = []`): a cycle such as
    # `x_ = x_ + t` alone (a parameter renamed by the normalizer) says nothing
    names = {n for n, vs in values.items() if any(v is not None and is_sequence(v, (), ctx) for v in vs)}
    changed = True
    while changed:   # the largest set consistent with every assignment
        changed = False
        for name in list(names):
            if not all(v is not None and is_sequence(v, names, ctx) for v in values[name]):
                names.discard(name)
                changed = True
    return names


def sum_concat_loop(norm, node):
    """``sum(parts, start)`` with ``start`` written as a list or tuple (``sum([[a], [b]], [])``): a
    concatenation, as a loop ``acc = concat(acc, part)`` (s2s/containers.py) over ``parts``; (statements,
    name of the result), None otherwise."""
    import builtins
    if resolved(norm, node.func) is not builtins.sum or any(isinstance(a, gast.Starred) for a in node.args) \
            or any(k.arg not in ("start",) for k in node.keywords):
        return None
    start = node.args[1] if len(node.args) == 2 else next((k.value for k in node.keywords), None)
    if start is None or len(node.args) not in (1, 2) or not is_sequence(start, norm.sequences, norm.ctx):
        return None
    from . import containers
    from .coreform import runtime_name
    acc, v = norm.fresh("acc"), norm.fresh("v")
    norm.namer.declare((acc, v))
    step = gast.Assign(targets=[_name(acc, gast.Store())],
                       value=gast.Call(func=runtime_name("concat", containers.concat), args=[_name(acc), _name(v)],
                                       keywords=[]), type_comment=None)
    stmts = [gast.Assign(targets=[_name(acc, gast.Store())], value=start, type_comment=None),
             gast.For(target=_name(v, gast.Store()), iter=node.args[0], body=[step], orelse=[], type_comment=None)]
    for st in stmts:
        for n in gast.walk(st):
            if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
                gast.copy_location(n, node)
    return stmts, acc


def reduce_loop(norm, node):
    """``functools.reduce(f, xs[, initial])`` with ``f`` known where it is written (a lambda, a nested def, a
    function, a partial) or a function parameter: (statements, name of the result): a loop
    ``acc = f(acc, v)`` over ``xs``, started with ``initial`` or the first item. None otherwise."""
    if resolved(norm, node.func) is not functools.reduce or node.keywords or not 2 <= len(node.args) <= 3 \
            or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    f = node.args[0]
    g = static_function(norm, f)
    if g is None and isinstance(f, gast.Name) and f.id in norm.ctx.locals:
        g = f   # a function parameter: called through a pullback (a pushforward)
    if g is None:
        return None
    from .control import reduce_started
    from .coreform import runtime_name
    acc, v = norm.fresh("acc"), norm.fresh("v")
    norm.namer.declare((acc, v))

    def step():
        return gast.Assign(targets=[_name(acc, gast.Store())],
                           value=gast.Call(func=_fresh_copy(g), args=[_name(acc), _name(v)], keywords=[]),
                           type_comment=None)
    if len(node.args) == 3:
        stmts = [gast.Assign(targets=[_name(acc, gast.Store())], value=node.args[2], type_comment=None),
                 gast.For(target=_name(v, gast.Store()), iter=node.args[1], body=[step()], orelse=[],
                          type_comment=None)]
    else:
        started = norm.fresh("started")
        norm.namer.declare((started,))
        first = [gast.Assign(targets=[_name(acc, gast.Store())], value=_name(v), type_comment=None),
                 gast.Assign(targets=[_name(started, gast.Store())], value=gast.Constant(value=True, kind=None),
                             type_comment=None)]
        stmts = [gast.Assign(targets=[_name(started, gast.Store())], value=gast.Constant(value=False, kind=None),
                             type_comment=None),
                 gast.Assign(targets=[_name(acc, gast.Store())], value=gast.Constant(value=None, kind=None),
                             type_comment=None),
                 gast.For(target=_name(v, gast.Store()), iter=node.args[1],
                          body=[gast.If(test=_name(started), body=[step()], orelse=first)], orelse=[],
                          type_comment=None),
                 gast.Expr(value=gast.Call(func=runtime_name("reduce_started", reduce_started),
                                           args=[_name(started)], keywords=[]))]
    for st in stmts:
        for n in astutil.walk_bfs(st):
            if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
                gast.copy_location(n, node)
    return stmts, acc

