"""Pass 3, analyze: activity, definitions and the small facts later passes need."""
import collections

import gast
import numpy as np

from . import astutil

from . import registry
from .runtime import stop_gradient

NONDIFF_ATTRS = {"shape", "ndim", "size", "dtype", "itemsize", "nbytes", "strides"}
NONDIFF_BINOPS = (gast.FloorDiv, gast.BitAnd, gast.BitXor, gast.LShift, gast.RShift)   # (| merges dicts)


def names_in(node):
    """Every Name read in node."""
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def stored_names(node):
    return {n.id for n in astutil.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def callee(call, ctx):
    """(kind, key): ('global', obj) for resolvable functions, ('method', name) for x.name(...)."""
    func = call.func
    obj = ctx.resolve(func)
    from .parse import _MISSING
    if obj is not _MISSING and not (isinstance(func, gast.Attribute) and _array_method(obj)):
        if getattr(obj, "s2s_moves_tangents", None) is not None and _passes_on(obj, call):
            return "global", obj.__wrapped__   # jvp's tangents-last wrapper (api.tangents_last): the generated code
        return "global", obj
    if isinstance(func, gast.Attribute):   # x.dot(v), also on a module-level array X (X.dot(v), X.T.dot(v))
        return "method", func.attr
    return "unknown", None


def _passes_on(wrapper, call):
    """True when jvp's tangents-last ``wrapper`` gives ``call``'s arguments to the generated function as they are
    (which depends only on how many are positional and which are named)."""
    if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return False
    args, kwargs = tuple(object() for _ in call.args), {k.arg: object() for k in call.keywords}
    try:
        return wrapper.s2s_moves_tangents(args, kwargs) == (args, kwargs)
    except TypeError:
        return False


def _array_method(obj):
    """True for a bound method of an array (``X.dot`` for a module-level ``X``): its rule is the method's."""
    return isinstance(getattr(obj, "__self__", None), (np.ndarray, np.generic)) and callable(obj)


def _is_text(node, ctx):
    """True for a string constant, or a name of the module bound to a string."""
    if isinstance(node, gast.Constant):
        return isinstance(node.value, (str, bytes))
    return isinstance(node, (gast.Name, gast.Attribute)) and isinstance(ctx.resolve(node), (str, bytes))


def _string_method(call, key):
    """True for a method of a string constant (``"{:.2f}".format(loss)``): its result is a string."""
    func = call.func
    if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Constant):
        return isinstance(func.value.value, (str, bytes))
    return isinstance(getattr(key, "__self__", None), (str, bytes)) and callable(key)


def is_nondiff_call(call, ctx):
    kind, key = callee(call, ctx)
    if _string_method(call, key):
        return True   # "{:.2f}".format(loss), ", ".join(...): a string, no derivative
    if kind == "global":
        return key is stop_gradient or registry.is_nondiff(key)
    if kind == "method":
        return registry.is_nondiff(registry.method(key))
    return False


def diff_reads(value, ctx):
    """Names through which a derivative can flow into ``value``."""
    if isinstance(value, gast.Name):
        return {value.id}
    if isinstance(value, gast.Constant):
        return set()
    if isinstance(value, gast.BinOp):
        if isinstance(value.op, gast.Mod) and _is_text(value.left, ctx):
            return set()   # "%.3f" % loss: a string
        return set() if isinstance(value.op, NONDIFF_BINOPS) else names_in(value)
    if isinstance(value, gast.UnaryOp):
        return set() if isinstance(value.op, (gast.Not, gast.Invert)) else names_in(value)
    if isinstance(value, (gast.Compare, gast.JoinedStr, gast.FormattedValue)):
        return set()   # a comparison or an f-string: no derivative
    if isinstance(value, gast.BoolOp):   # `x or y` is one of its operands
        return set().union(*(diff_reads(v, ctx) for v in value.values))
    if isinstance(value, gast.Call):
        return set() if is_nondiff_call(value, ctx) else names_in(value)
    if isinstance(value, gast.Subscript):
        if opaque_subscript(value, ctx):
            return names_in(value)   # np.r_[x, y]: the index is the data
        return names_in(value.value)
    if isinstance(value, gast.Attribute):
        if value.attr in NONDIFF_ATTRS or registry.is_nondiff(registry.attr(value.attr)):
            return set()
        return names_in(value.value)
    return names_in(value)


# Objects whose ``obj[index]`` is plain indexing: the index selects, it carries no derivative.
INDEXABLE = (np.ndarray, np.generic, list, tuple, dict, str, bytes, range)


def opaque_subscript(value, ctx):
    """True for ``obj[index]`` on a global object whose ``__getitem__`` is not plain indexing
    (``np.r_[x, y]``, ``np.c_[...]``, ``np.s_[...]``, a user object): its result may depend on the
    index's values, which s2s cannot follow."""
    base = value.value
    if not isinstance(base, (gast.Name, gast.Attribute)):
        return False
    root = base
    while isinstance(root, gast.Attribute):
        root = root.value
    if not isinstance(root, gast.Name) or root.id in ctx.locals:
        return False
    from .parse import _MISSING
    obj = ctx.resolve(base)
    return obj is not _MISSING and not isinstance(obj, INDEXABLE)


def flows(stmts, ctx):
    """(targets, sources) pairs: derivatives may flow from sources into targets."""
    out = []
    results = _user_results(stmts, ctx)
    for s in _walk_stmts(stmts):
        if isinstance(s, gast.Assign):
            t = s.targets[0]
            if isinstance(t, gast.Name) and _inactive_element(s.value, results):
                out.append(({t.id}, set()))   # xp = t[0] of t = get_namespace(y, p) (s2s/return_activity.py)
            elif isinstance(t, gast.Name):
                out.append(({t.id}, diff_reads(s.value, ctx)))
            elif isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
                out.append(({t.value.id}, diff_reads(s.value, ctx) | {t.value.id}))
            else:
                out.append((stored_names(t), names_in(s.value)))
        elif isinstance(s, gast.Expr) and isinstance(s.value, gast.Call):
            f = s.value.func
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and not is_nondiff_call(s.value, ctx):
                out.append(({f.value.id}, names_in(s.value)))  # lst.append(x) changes lst
    return out


def _user_results(stmts, ctx):
    """{name: user function} for the names bound once, by ``name = h(...)``, to the result of a user function's
    call (a function with neither rule nor non-differentiable mark)."""
    import types
    counts, calls = collections.Counter(), {}
    for s in _walk_stmts(stmts):
        if isinstance(s, gast.Assign):
            for n in gast.walk(s.targets[0]) if len(s.targets) == 1 else ():
                if isinstance(n, gast.Name):
                    counts[n.id] += 1
            t = s.targets[0]
            if isinstance(t, gast.Name) and isinstance(s.value, gast.Call):
                kind, fn = callee(s.value, ctx)
                if kind == "global" and isinstance(fn, types.FunctionType) and not registry.is_nondiff(fn) \
                        and registry.lookup_adjoint(fn) is None and registry.lookup_tangent(fn) is None:
                    calls[t.id] = (fn, s.value)
        elif isinstance(s, (gast.For, gast.AugAssign)):
            for n in gast.walk(s.target):
                if isinstance(n, gast.Name):
                    counts[n.id] += 2
    return {n: fn for n, fn in calls.items() if counts[n] == 1}


def _inactive_element(value, results):
    """True for ``t[k]`` where ``t`` holds a user function's result whose element ``k`` carries no derivative."""
    if not (isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name) and value.value.id in results
            and isinstance(value.slice, gast.Constant) and type(value.slice.value) is int):
        return False
    from .return_activity import inactive_elements, passed_params
    fn, call = results[value.value.id]
    passed = passed_params(fn, call)
    return passed is not None and value.slice.value in inactive_elements(fn, passed, (diff_reads, names_in))


def useful(fn, outputs, ctx, pairs=None):
    """Names through which a value may reach one of ``outputs``."""
    pairs = flows(fn.body, ctx) if pairs is None else pairs
    out = set(outputs)
    changed = True
    while changed:
        changed = False
        for targets, sources in pairs:
            if targets & out and not sources <= out:
                out |= sources
                changed = True
    return out


def _walk_stmts(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and not isinstance(s, (gast.FunctionDef, gast.ClassDef, gast.With)):
                yield from _walk_stmts(sub)


def overwritten(fn):
    """Names bound more than once, or bound inside a loop: values the backward may need to restore."""
    counts = collections.Counter()
    in_loop = set()

    def visit(stmts, loop):
        for s in stmts:
            if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name):
                counts[s.targets[0].id] += 1
                if loop:
                    in_loop.add(s.targets[0].id)
            if isinstance(s, gast.For):
                counts[s.target.id] += 1
                if loop:
                    in_loop.add(s.target.id)
                visit(s.body, True)
            elif isinstance(s, gast.While):
                visit(s.body, True)
            elif isinstance(s, gast.If):
                visit(s.body, loop)
                visit(s.orelse, loop)

    visit(fn.body, False)
    for a in fn.args.args + fn.args.posonlyargs + fn.args.kwonlyargs:
        counts[a.id] += 1
    return {n for n, c in counts.items() if c > 1} | in_loop


def index_targets(fn):
    """Names read by subscript anywhere: their gradients are built by index accumulation."""
    out = set()
    for n in astutil.walk(fn):
        if isinstance(n, gast.Assign) and isinstance(n.value, gast.Subscript) and isinstance(n.value.value, gast.Name):
            out.add(n.value.value.id)
        if isinstance(n, gast.Assign) and isinstance(n.targets[0], gast.Subscript) \
                and isinstance(n.targets[0].value, gast.Name):
            out.add(n.targets[0].value.id)
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr == "append" \
                and isinstance(n.func.value, gast.Name):
            out.add(n.func.value.id)
    return out


def assign_counts(fn):
    """How many statements bind each name (assignments and loop targets)."""
    counts = collections.Counter()
    for n in astutil.walk(fn):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
            counts[n.id] += 1
    return counts


def instances(fn, ctx, counts):
    """{name: class} for names every binding of which gives one class of the user's: ``SomeUserClass(...)``, a
    record built from its fields (``vel = make_record(V2, a, b)``, before a loop and in it), a call of a function
    of the user's whose every ``return`` builds that class (s2s/user_operators.py), or another such name."""
    from .class_returns import returned_class
    values = {}
    for n in astutil.walk(fn):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            values.setdefault(n.targets[0].id, []).append(n.value)

    def class_of(v, out):
        if isinstance(v, gast.Name):
            return out.get(v.id)
        if not isinstance(v, gast.Call):
            return None
        kind, obj = callee(v, ctx)
        if kind != "global":
            return None
        if getattr(obj, "__name__", None) == "make_record" and v.args \
                and getattr(obj, "__module__", None) == "s2s.records":   # a dataclass built from its fields
            obj = ctx.resolve(v.args[0])
        if isinstance(obj, type):
            return obj if obj.__module__ not in ("builtins", "numpy") else None
        return returned_class(obj)
    out = {}
    for _ in range(3):   # (a name bound to another such name: a few rounds)
        new = {}
        for name, vs in values.items():
            if len(vs) != counts.get(name):
                continue
            found = {class_of(v, out) for v in vs}
            if len(found) == 1 and None not in found:
                new[name] = found.pop()
        if new == out:
            break
        out = new
    return out
