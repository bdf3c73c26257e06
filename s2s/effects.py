"""What s2s knows about effects: in-place changes, aliases and views.

One place for the knowledge every pass needs about code that changes a
value instead of building a new one:

- which method names change their receiver (``lst.append(v)``,
  ``a.fill(0)``, ``d.update(...)``) and which of those forward mode can
  mirror on a tangent list;
- which method names are impure for the optimizer (the mutators, plus I/O);
- which names a block changes in place (``x[i] = v``, ``del x[i]``,
  ``x += v``, ``x.append(v)``, ``x.attr = v``), directly or through a name
  bound to it or to a view of it;
- which parameters a user function changes in place, directly or by handing
  them to another user function that does (``changed_params``);
- which parameters may be changed through an alias (``aliases_written``);
- whether a call (transitively) reaches a user function that changes its
  arguments (``callees_mutate``: the normalizer then copies the arguments);
- which names the user binds to another variable or to part of one, and
  which arrays are views of which: s2s/aliasing.py.

normalize, facts, the transforms, lowering and optimize import these; none
keeps its own list. The refusals built on them are in s2s/effect_checks.py.
"""
import inspect

import gast

from . import astutil
from .aliasing import VIEW_FUNCTIONS, view_base

# Methods that change the object they are called on (lists, dicts, sets, arrays).
MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",   # list
    "update", "setdefault", "popitem",                                          # dict
    "add", "discard", "difference_update", "intersection_update",              # set
    "symmetric_difference_update",
    "fill", "resize", "put", "itemset", "partition", "setfield", "setflags",   # ndarray
    "byteswap",
})

# Impure for the optimizer: may not be removed, moved or recomputed.
IMPURE_METHODS = MUTATING_METHODS | {"write", "writelines", "read", "readline", "readlines", "flush", "close",
                                     "send", "seek"}

# List methods forward mode mirrors on the tangent list (``dlst.append(dx)``); other
# mutators on a value that carries a derivative are refused.
MIRRORED_LIST_METHODS = frozenset({"append", "extend", "insert", "pop", "reverse", "clear"})

# NumPy functions that write into their first argument (``np.fill_diagonal(x, 0)``; ``np.add.at(x, i, v)``).
WRITING_FUNCTIONS = frozenset({"fill_diagonal", "copyto", "putmask", "place", "put", "put_along_axis", "at"})


def _written_argument(call, names):
    """The argument node of ``call`` that it writes into, when its root is one of ``names``: ``out=`` (also a
    tuple of outputs), a ufunc's positional outputs past its inputs (``np.tanh(x, x)``), the first argument of
    a NumPy writing function. None if none."""
    import numpy as np
    outs = [k.value for k in call.keywords if k.arg == "out"]
    func = call.func
    if isinstance(func, gast.Attribute):
        obj = getattr(np, func.attr, None)
        if isinstance(obj, np.ufunc) and len(call.args) > obj.nin and isinstance(func.value, gast.Name):
            outs += call.args[obj.nin:]
        numpy_function = isinstance(func.value, gast.Name) and func.value.id in ("np", "numpy") \
            or func.attr == "at" and isinstance(func.value, gast.Attribute)   # (not x.put(i, v): a method)
        if func.attr in WRITING_FUNCTIONS and call.args and numpy_function:
            outs.append(call.args[0])
    for o in outs:
        for e in (o.elts if isinstance(o, gast.Tuple) else [o]):
            if _root(e) in names:
                return e
    return None


def _walk(node):
    return astutil.walk_bfs(node)


_SHALLOW_COPIES = frozenset({"list", "tuple", "sorted", "reversed", "dict"})


def mutates(stmts, name, attributes=False, returned=None):
    """True if ``stmts`` change ``name`` in place (x[i] = v, del x[i], x[i] += v, x += v,
    x.append(v), ...), directly or through a name bound to it, to part of it or to a view of it
    (v = x[::2]; v[0] = 1, v = x.T, a, b = x, for row in x), transitively. With ``attributes``,
    also ``x.attr = v`` and ``setattr(x, ...)``; with ``returned`` ({w: names}, effects_returns.call_aliases),
    also through what a function of the user's returns (``a = first(x)``, ``def first(q): return q[0]``).

    The answer is ``"deep"`` when the change may reach a value held inside ``name`` (``a = q[0];
    a[1] = v``, ``q[0][1] = v``, ``q[0].append(v)``): a shallow copy of a list, tuple or dict ``name``
    would still share that value with the caller."""
    stores = (gast.Subscript, gast.Attribute) if attributes else (gast.Subscript,)
    names, parts = {name}, set()   # parts: bound to something held inside name (or a part of one)
    nodes = [n for s in stmts for n in _walk(s)]
    returned = returned or {}
    changed = True
    while changed:
        changed = False
        for n in nodes:
            pairs = []
            if isinstance(n, gast.Assign) and len(n.targets) == 1:
                t = n.targets[0]
                if isinstance(t, gast.Name):
                    base = view_base(n.value)
                    if base is not None:
                        pairs.append((t.id, base, not isinstance(n.value, gast.Name)))
                    elif isinstance(n.value, gast.Call) and isinstance(n.value.func, gast.Name) \
                            and n.value.func.id in _SHALLOW_COPIES and n.value.args \
                            and isinstance(n.value.args[0], gast.Name):   # zs = list(xs): zs holds xs's items
                        pairs.append((t.id, n.value.args[0].id, True))
                elif isinstance(t, (gast.Tuple, gast.List)) and isinstance(n.value, gast.Name):
                    pairs += [(e.id, n.value.id, True) for e in t.elts if isinstance(e, gast.Name)]
                elif isinstance(t, (gast.Tuple, gast.List)) and isinstance(n.value, (gast.Tuple, gast.List)) \
                        and len(t.elts) == len(n.value.elts):
                    pairs += [(e.id, view_base(v), False) for e, v in zip(t.elts, n.value.elts)
                              if isinstance(e, gast.Name) and view_base(v) is not None]
            elif isinstance(n, (gast.For, gast.comprehension)) and isinstance(n.iter, gast.Name):
                pairs += [(e.id, n.iter.id, True) for e in _walk(n.target) if isinstance(e, gast.Name)]
            if isinstance(n, gast.Assign) and isinstance(n.targets[0], gast.Name) and n.targets[0].id in returned:
                pairs += [(n.targets[0].id, b, True) for b in returned[n.targets[0].id]]
            for a, b, part in pairs:
                if b in names and (a not in names or ((part or b in parts) and a not in parts)):
                    names.add(a)
                    if part or b in parts:
                        parts.add(a)
                    changed = True
    found = False

    def hit(root_name, nested):
        return "deep" if nested or root_name in parts else True

    for n in nodes:
        if isinstance(n, stores) and isinstance(n.ctx, (gast.Store, gast.Del)) and _root(n) in names:
            r = hit(_root(n), not isinstance(n.value, gast.Name))
        elif isinstance(n, gast.AugAssign) and _root(n.target) in names and isinstance(n.target, (gast.Name,) + stores):
            # (x[i] += v is written x[i] = x[i] + v: it rebinds the item, as x[i] = v does)
            r = hit(_root(n.target), not isinstance(getattr(n.target, "value", n.target), gast.Name))
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr in MUTATING_METHODS \
                and _root(n.func.value) in names:
            r = hit(_root(n.func.value), not isinstance(n.func.value, gast.Name))
        elif attributes and isinstance(n, gast.Call) and isinstance(n.func, gast.Name) \
                and n.func.id in ("setattr", "delattr") and n.args and _root(n.args[0]) in names:
            r = hit(_root(n.args[0]), not isinstance(n.args[0], gast.Name))
        elif isinstance(n, gast.Call) and _written_argument(n, names) is not None:
            w = _written_argument(n, names)   # np.tanh(x, out=x), np.fill_diagonal(x, 0), np.add.at(x, i, v)
            r = hit(_root(w), not isinstance(w, gast.Name))
        else:
            continue
        if r == "deep":
            return r
        found = True
    return found


def mutated_names(stmts):
    """Names that may be changed in place in stmts (x[i] = v, or any method call x.f(...): conservative)."""
    out = set()
    for st in stmts:
        for n in astutil.walk(st):
            if isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store) and isinstance(n.value, gast.Name):
                out.add(n.value.id)
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and isinstance(n.func.value, gast.Name):
                out.add(n.func.value.id)
    return out


def written_in_place(fn):
    """Names whose value is changed in place (subscript stores, add_at/set_item, mutating methods)."""
    out = set()
    for n in _walk(fn):
        if isinstance(n, gast.Assign) and isinstance(n.targets[0], gast.Subscript) \
                and isinstance(n.targets[0].value, gast.Name):
            out.add(n.targets[0].value.id)
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and isinstance(n.func.value, gast.Name) \
                and n.func.attr in MUTATING_METHODS:
            out.add(n.func.value.id)
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Name) \
                and (n.func.id.startswith("add_at") or n.func.id.startswith("set_item")) \
                and n.args and isinstance(n.args[0], gast.Name):
            out.add(n.args[0].id)
    return out


def _fresh_appends(fn, ctx):
    """ids of the ``h.append(v)`` calls (statements) whose ``v`` was bound, earlier in the same block and
    unconditionally, to a new value (a call with a rule, arithmetic): ``A = np.tanh(W @ A); caches.append(A)``
    appends that new array, never what ``A`` held before (``A = X``), so ``caches`` does not hold ``X``."""
    from . import analyze, registry
    out = set()

    def new_value(v):
        if isinstance(v, (gast.BinOp, gast.UnaryOp, gast.Compare, gast.Constant)):
            return True
        if isinstance(v, gast.Call):
            kind, key = analyze.callee(v, ctx)
            try:
                return kind == "global" and key not in VIEW_FUNCTIONS and (
                    registry.lookup_adjoint(key) is not None or registry.lookup_tangent(key) is not None)
            except TypeError:
                return False
        return False

    def block(stmts):
        bound = {}   # name -> True when its latest binding in this block is a new value
        for st in stmts:
            if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name):
                bound[st.targets[0].id] = new_value(st.value)
            elif isinstance(st, gast.Expr) and isinstance(st.value, gast.Call) \
                    and isinstance(st.value.func, gast.Attribute) and st.value.func.attr == "append" \
                    and len(st.value.args) == 1 and isinstance(st.value.args[0], gast.Name) \
                    and bound.get(st.value.args[0].id):
                out.add(id(st.value))
            else:
                for n in _walk(st):   # anything else may rebind: forget what it binds
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                        bound.pop(n.id, None)
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    block(sub)
            for h in getattr(st, "handlers", ()):
                block(h.body)
    block(fn.body)
    return out


_METADATA = frozenset({"shape", "ndim", "size", "dtype", "nnz", "itemsize", "nbytes", "format"})


def _metadata(v):
    """``X.shape[0]``, ``X.ndim``, ``X.dtype``: numbers and descriptions, never sharing memory with ``X``."""
    while isinstance(v, gast.Subscript):
        v = v.value
    return isinstance(v, gast.Attribute) and v.attr in _METADATA


def aliases_written(fn, params, ctx):
    """Parameters whose value may be changed in place through another name (``y = x; y[0] = 1``).

    Alias edges: ``a = b``, ``a = b[i]``, ``a = b.T``, ``a = b.reshape(...)``,
    containers holding ``b``, NumPy view functions and user functions (which
    may return an argument). A parameter written in place under its own name
    is copied by the normalizer already.
    """
    from . import analyze, registry
    edges, holders = [], []
    for s in analyze._walk_stmts(fn.body):
        if not (isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name)):
            continue
        v = s.value
        if isinstance(v, gast.Call):
            kind, key = analyze.callee(v, ctx)
            if kind == "method" or (kind == "global" and (key in VIEW_FUNCTIONS or (
                    hasattr(key, "__code__") and registry.lookup_tangent(key) is None))):
                edges.append((s.targets[0].id, analyze.names_in(v)))
        elif isinstance(v, (gast.Tuple, gast.List, gast.Dict)):   # a new container holding b
            holders.append((s.targets[0].id, analyze.names_in(v)))
        elif isinstance(v, (gast.Name, gast.Subscript, gast.Attribute)) and not _metadata(v):
            src = analyze.names_in(v.value) if isinstance(v, (gast.Subscript, gast.Attribute)) else analyze.names_in(v)
            edges.append((s.targets[0].id, src))
    fresh = _fresh_appends(fn, ctx)
    holders += [(c.func.value.id, analyze.names_in(gast.Tuple(elts=c.args, ctx=gast.Load())))   # store.append(v)
                for c in astutil.walk_bfs(fn) if isinstance(c, gast.Call) and isinstance(c.func, gast.Attribute)
                and isinstance(c.func.value, gast.Name) and c.func.attr in ("append", "insert", "extend", "add")
                and id(c) not in fresh]
    written = written_in_place(fn)
    returned = {e.id for r in astutil.walk_bfs(fn) if isinstance(r, gast.Return) and r.value is not None
                for e in ([r.value] if isinstance(r.value, gast.Name) else getattr(r.value, "elts", []))
                if isinstance(e, gast.Name)}
    out = set()
    for p in params:
        seen, todo = {p}, [p]
        while todo:
            n = todo.pop()
            for a, srcs in edges:
                if n in srcs and a not in seen:
                    seen.add(a)
                    todo.append(a)
        # ys = [y0]; ys.append(v) changes the list, not y0: only a change inside one of its items
        # (ys[0][1] = v, for r in ys: r[0] = v) reaches y0
        held = {a for a, srcs in holders if srcs & seen}
        # (a list holding y0 that is returned reaches the caller, who may change y0 through it: ys[0] *= 3)
        if (seen - {p}) & written or held & returned or any(mutates(fn.body, h) == "deep" for h in held):
            out.add(p)
    return out


_MUTATED = {}


def mutated_params(fn):
    """Parameters a user function changes in place (items, methods, attributes) under their own
    name or a view of it (cached)."""
    from . import registry
    if registry.array_api_alias(fn) is not None:
        return set()   # array_api_compat.numpy.matmul: NumPy's function, whose rules say it changes nothing
    if fn not in _MUTATED:
        from .parse import param_names, parse_function
        try:
            node = parse_function(fn).node
        except Exception:   # no source to read: it may change any of them
            try:
                _MUTATED[fn] = set(inspect.signature(fn).parameters)
            except (TypeError, ValueError):
                _MUTATED[fn] = set()
            return _MUTATED[fn]
        fresh = rebound_fresh(node, parse_function(fn))
        _MUTATED[fn] = {p for p in param_names(node) if p not in fresh and mutates(node.body, p, attributes=True)}
    return _MUTATED[fn]


def rebound_fresh(node, ctx):
    """Parameters the function rebinds to a new array before anything else reads them (``z = z - z.max()`` as its
    first statement that names ``z``): what it writes into afterwards is that new array, never the caller's."""
    from .aliasing import _fresh_value
    out = set()
    params = set(param_names_of(node))
    seen = set()   # names read or bound by the statements so far
    for st in node.body:
        names = {n.id for n in astutil.walk_bfs(st) if isinstance(n, gast.Name)}
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                and st.targets[0].id in params and st.targets[0].id not in seen \
                and _fresh_value(st.value, ctx, False):
            out.add(st.targets[0].id)
        if not isinstance(st, (gast.Assign, gast.Expr, gast.AugAssign)) or not isinstance(st, gast.Assign) \
                and isinstance(getattr(st, "value", None), gast.Yield):
            break   # (a branch or a loop: the rest binds conditionally)
        seen |= names
    return out


def param_names_of(node):
    from .parse import param_names
    return param_names(node)


def callees_mutate(ctx, fn, seen=None):
    """True if a user function called (transitively) changes one of its arguments in place."""
    from .parse import param_names, parse_function
    seen = set() if seen is None else seen
    for n in astutil.walk_bfs(fn):
        if not isinstance(n, gast.Call):
            continue
        obj = ctx.resolve(n.func)
        obj = getattr(obj, "__func__", obj)
        if not hasattr(obj, "__code__") or getattr(obj, "s2s_generated", False) or obj in seen \
                or getattr(obj, "s2s_pure", False) and (obj.__module__ or "").startswith("s2s.") \
                or getattr(obj, "__module__", None) == "s2s.control":   # s2s/control.py's checks change nothing
            continue
        from . import registry
        if registry.namespace_getter(obj) or registry.array_api_alias(obj) is not None:
            continue   # get_namespace(x), xp.matmul (array_api_compat's): they change nothing
        seen.add(obj)
        chain = [obj]   # a functools.wraps decorator: the function it wraps runs too (fuzz seed 99201720)
        while hasattr(chain[-1], "__wrapped__") and chain[-1].__wrapped__ not in chain:
            chain.append(getattr(chain[-1].__wrapped__, "__func__", chain[-1].__wrapped__))
        for one in chain:
            try:
                sub = parse_function(one)
            except Exception:
                continue
            if any(mutates(sub.node.body, p) for p in param_names(sub.node)) or callees_mutate(sub, sub.node, seen):
                return True
    return False


_CHANGED = {}


def _own(fn):
    return (getattr(fn, "__module__", None) or "").split(".")[0] in ("s2s", "templates")


def changed_params(fn, seen=None):
    """Parameters a user function may change in place: directly, through a local alias, or by
    passing them to another user function that changes them (cached)."""
    if fn in _CHANGED:
        return _CHANGED[fn]
    seen = set() if seen is None else seen
    if fn in seen:
        return set()
    seen.add(fn)
    from . import analyze
    from .parse import param_names, parse_function
    try:
        ctx = parse_function(fn)
    except Exception:
        return set()
    node = ctx.node
    fresh = rebound_fresh(node, ctx)   # z = z - z.max() first: z's later writes change the new array
    params = [p for p in param_names(node) if p not in fresh]
    out = {p for p in params if mutates(node.body, p)}
    out |= set(params) & (written_in_place(node) | aliases_written(node, params, ctx))
    for call in astutil.walk_bfs(node):
        if not isinstance(call, gast.Call):
            continue
        kind, target = analyze.callee(call, ctx)
        callee = getattr(target, "__func__", target)
        if kind != "global" or not hasattr(callee, "__code__") or _own(callee) or _has_rule(target) \
                or _has_rule(callee) or not user_function(callee):
            # a rule says what a call does (scipy's logsumexp writes into its own copies; the rule of the
            # bound method multivariate_normal.logpdf is not found on its function), and a library s2s does
            # not read (SciPy) changes no argument of the user's that its rules do not say
            continue
        sub = changed_params(callee, seen)
        if not sub:
            continue
        pos = list(call.args)
        if callee is not target:   # a bound method: its receiver is the first parameter
            receiver = call.func.value if isinstance(call.func, gast.Attribute) else None
            pos = [receiver if receiver is not None else gast.Constant(value=None, kind=None)] + pos
        try:
            bound = inspect.signature(callee).bind(*pos, **{k.arg: k.value for k in call.keywords if k.arg})
        except TypeError:
            continue
        for q, v in bound.arguments.items():
            if q in sub and isinstance(v, gast.Name) and v.id in params:
                out.add(v.id)
    _CHANGED[fn] = out
    return out


def _has_rule(fn):
    from . import registry
    try:
        return registry.lookup_adjoint(fn) is not None or registry.lookup_tangent(fn) is not None \
            or registry.is_nondiff(fn)
    except TypeError:
        return False


def params_changed(fn):
    """Every parameter a user function may change in place: items, methods, attributes, through an alias or
    a view, or by handing it to another user function that changes it."""
    return mutated_params(fn) | changed_params(fn)


def user_function(fn):
    """True for a Python function of the user's (not s2s's own helpers or generated code)."""
    fn = getattr(fn, "__func__", fn)
    from . import registry
    if hasattr(registry, "opaque") and registry.opaque(fn):
        return False   # a library whose source s2s does not read (SciPy): its rules say what it does
    if registry.array_api_alias(fn) is not None:
        return False   # array_api_compat.numpy.matmul (scikit-learn's vendored one too): np.matmul's rules
    return hasattr(fn, "__code__") and not getattr(fn, "s2s_generated", False) and not _own(fn)


def changed_arguments(call, ctx, self_types=None):
    """(function, {parameter: argument node}) for the arguments a call of a user function changes
    in place (lists, arrays, dicts, objects); (None, {}) when it changes none or is not one.

    ``self_types`` maps local names to their class, for ``k.method(...)`` on a local instance.
    """
    import types
    from . import analyze
    kind, fn = analyze.callee(call, ctx)
    receiver = None
    if kind == "method" and self_types and isinstance(call.func.value, gast.Name):
        cls = self_types.get(call.func.value.id)
        fn = getattr(cls, fn, None) if cls is not None else None
        receiver = call.func.value
    elif kind == "global" and isinstance(fn, types.MethodType):
        receiver, fn = call.func.value if isinstance(call.func, gast.Attribute) else None, fn.__func__
        if receiver is None:
            return None, {}
    elif kind != "global":
        return None, {}
    from . import registry
    if registry.lookup_adjoint(fn) is not None or registry.lookup_tangent(fn) is not None or registry.is_nondiff(fn):
        return None, {}   # a rule says what the call does
    fn = getattr(fn, "__func__", fn)
    if fn is None or not user_function(fn):
        return None, {}
    changed = params_changed(fn)
    if not changed:
        return None, {}
    pos = ([receiver] if receiver is not None else []) + list(call.args)
    try:
        bound = inspect.signature(fn).bind(*pos, **{k.arg: k.value for k in call.keywords if k.arg})
    except (TypeError, ValueError):
        return None, {}
    return fn, {p: v for p, v in bound.arguments.items() if p in changed and isinstance(v, gast.AST)}


def _root(node):
    """The Name at the root of ``a``, ``a[i]``, ``a.b[i].c`` (None for anything else)."""
    while isinstance(node, (gast.Subscript, gast.Attribute)):
        node = node.value
    return node.id if isinstance(node, gast.Name) else None


def object_state(node):
    """True for a target inside an object's attribute (``self.cache["X"]``, ``box.d[k]``): object state,
    stored as the primal stores it (effect_checks.check_state refuses reading it back), not an item of a
    local container whose gradient s2s follows."""
    while isinstance(node, gast.Subscript):
        node = node.value
    return isinstance(node, gast.Attribute)


def _targets(t):
    if isinstance(t, (gast.Tuple, gast.List)):
        return {r for e in t.elts for r in _targets(e)}
    if isinstance(t, gast.Starred):
        return _targets(t.value)
    r = _root(t)
    return {r} if r else set()


_TAINTED = {}


def tainted_params(fn, carrying, seen=()):
    """The parameters of user function ``fn`` that it changes in place and that may receive a value
    derived from the parameters in ``carrying`` (``push(s, x)``: s.append(x) -> {"s"} for {"x"})."""
    return _taint(fn, frozenset(carrying), seen)[0]


def tainted_globals(fn, carrying):
    """Global objects ``fn`` (or a function it calls) stores a value derived from ``carrying`` into
    (``G.a = v``, ``G["k"] = v``, ``G.append(v)``)."""
    return _taint(fn, frozenset(carrying), ())[1]


def _taint(fn, carrying, seen):
    """(tainted parameters, tainted globals): a flow-insensitive pass over ``fn``'s source.

    Assignments (to names, items and attributes), augmented assignments, loops, mutating method
    calls and calls of other user functions (recursively) carry values into their targets. A
    parameter in ``carrying`` that ``fn`` changes is tainted too.
    """
    key = (fn, carrying)
    if key in _TAINTED:
        return _TAINTED[key]
    if fn in seen or not carrying:
        return set(carrying), set()
    changed = params_changed(fn)
    from . import analyze
    from .parse import local_names, parse_function
    try:
        ctx = parse_function(fn)
    except Exception:   # no source: any argument may end up anywhere
        return set(changed), set()
    own = local_names(ctx.node)
    pairs, calls, stored = [], [], set()
    for n in astutil.walk_bfs(ctx.node):
        if isinstance(n, (gast.Assign, gast.AugAssign, gast.AnnAssign)) and n.value is not None:
            targets = n.targets if isinstance(n, gast.Assign) else [n.target]
            pairs.append((set().union(*(_targets(t) for t in targets)), analyze.names_in(n.value)
                          | (_targets(n.target) if isinstance(n, gast.AugAssign) else set())))
            stored |= {_root(t) for t in targets if isinstance(t, (gast.Attribute, gast.Subscript))}
            if isinstance(n, gast.Assign) and isinstance(n.value, (gast.Name, gast.Subscript, gast.Attribute)) \
                    and _root(n.value):   # t = s / s[i] / s.a: t may share memory with s, a change to t changes s
                pairs.append(({_root(n.value)}, set().union(*(_targets(t) for t in n.targets))))
        elif isinstance(n, gast.For):
            pairs.append((_targets(n.target), analyze.names_in(n.iter)))
        elif isinstance(n, gast.Call):
            if isinstance(n.func, gast.Attribute) and _root(n.func.value) and n.func.attr in MUTATING_METHODS:
                pairs.append(({_root(n.func.value)}, analyze.names_in(n)))
                stored.add(_root(n.func.value))
            sub = _user_callee(n, ctx)
            if sub is not None:
                calls.append((n, sub))
    varied, globals_ = set(carrying), set()
    grew = True
    while grew:
        grew = astutil.spread(pairs, varied)
        for call, (sub, pos) in calls:
            try:
                bound = inspect.signature(sub).bind(*pos, **{k.arg: k.value for k in call.keywords if k.arg})
            except (TypeError, ValueError):
                continue
            sub_carrying = frozenset(q for q, v in bound.arguments.items()
                                     if isinstance(v, gast.AST) and analyze.names_in(v) & varied)
            params, glob = _taint(sub, sub_carrying, tuple(seen) + (fn,))
            globals_ |= glob
            for q in params:
                roots = _targets(bound.arguments[q]) if isinstance(bound.arguments.get(q), gast.AST) else set()
                if not roots <= varied:
                    varied |= roots
                    grew = True
    globals_ |= {r for r in stored & varied if r not in own}
    out = (changed & varied, globals_)
    _TAINTED[key] = out
    return out


def _user_callee(call, ctx):
    """(function, positional argument nodes) for a call of a user function (methods: receiver first)."""
    import types
    from . import analyze, registry
    kind, obj = analyze.callee(call, ctx)
    if kind != "global":
        return None
    try:
        if registry.lookup_adjoint(obj) is not None or registry.lookup_tangent(obj) is not None \
                or registry.is_nondiff(obj):
            return None
    except TypeError:
        return None
    pos = list(call.args)
    if isinstance(obj, types.MethodType) and isinstance(call.func, gast.Attribute):
        pos = [call.func.value] + pos
    fn = getattr(obj, "__func__", obj)
    if not user_function(fn):
        return None
    return fn, pos

