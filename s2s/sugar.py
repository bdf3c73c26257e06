"""Source-level rewrites of expressions s2s follows as another form, run by normalize() on the user's function
before lowering: assignment expressions hoisted (``n := v``), ``getattr`` with a constant name, the dict methods
``update`` / ``setdefault`` and ``dict(...)`` on dicts built in the function."""
import copy

import gast
from . import astutil


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


# ---------------------------------------------------------------- n := v (assignment expressions)
_DEFERRED = (gast.BoolOp, gast.IfExp, gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def hoist_walrus(fn, ctx):
    """``y = (n := x * 2) + n * n`` and ``if (n := f(x)) > 0:`` as ``n = x * 2`` before the statement: an
    assignment expression that is evaluated first in its statement (no call and no read of its name before it,
    not inside ``and``/``or``, a conditional expression, a comprehension or a lambda, not in a ``while`` test).
    Any other is refused, naming the line."""
    for parent in list(astutil.walk_bfs(fn)):
        for field, stmts in gast.iter_fields(parent):
            if not (isinstance(stmts, list) and stmts and isinstance(stmts[0], gast.stmt)):
                continue
            out = []
            for st in stmts:
                out.extend(_hoisted(st, ctx))
            stmts[:] = out


def _hoisted(st, ctx):
    if isinstance(st, (gast.Assign, gast.Expr, gast.Return, gast.AnnAssign)):
        roots = [st.value] if st.value is not None else []
    elif isinstance(st, gast.If):
        roots = [st.test]
    elif isinstance(st, gast.For):
        roots = [st.iter]
    else:
        roots = []
    own = {id(n) for r in roots for n in astutil.walk_bfs(r) if isinstance(n, gast.NamedExpr)}
    exprs = [v for _, v in gast.iter_fields(st) if isinstance(v, gast.AST) and not isinstance(v, gast.stmt)]
    exprs += [e for _, v in gast.iter_fields(st) if isinstance(v, list) for e in v if isinstance(e, gast.expr)]
    for n in (n for e in exprs for n in astutil.walk_bfs(e)):   # (the statements it holds are hoisted on their own)
        if isinstance(n, gast.NamedExpr) and id(n) not in own:
            raise _walrus_error(ctx, n)
    if not own:
        return [st]
    pre = []
    for root in roots:
        _check_first(root, ctx)
    for root in roots:
        setattr(st, {gast.If: "test", gast.For: "iter"}.get(type(st), "value"), _Hoist(pre).visit(root))
    return pre + [st]


def _check_first(root, ctx):
    """Refuse an assignment expression of ``root`` that would move ahead of something evaluated before it (a call,
    a read of a name an assignment expression binds), or that is evaluated conditionally or repeatedly."""
    targets = {n.target.id for n in astutil.walk_bfs(root) if isinstance(n, gast.NamedExpr)}
    before = []   # what is evaluated, outside assignment expressions, before the one being reached

    def visit(n, deferred):
        if isinstance(n, gast.NamedExpr):
            if deferred or any(isinstance(b, gast.Call) or isinstance(b, gast.Name) and b.id in targets
                               for b in before):
                raise _walrus_error(ctx, n)
            return
        for child in gast.iter_child_nodes(n):
            visit(child, deferred or isinstance(n, _DEFERRED))
        before.append(n)   # (post-order: a node is evaluated after its operands)
    visit(root, False)


class _Hoist(gast.NodeTransformer):
    def __init__(self, pre):
        self.pre = pre

    def visit_NamedExpr(self, node):
        value = self.visit(node.value)
        self.pre.append(gast.copy_location(
            gast.Assign(targets=[_name(node.target.id, gast.Store())], value=value, type_comment=None), node))
        return gast.copy_location(_name(node.target.id), node)


def _walrus_error(ctx, node):
    return ctx.error(node, "s2s follows an assignment expression (`:=`) only where it is evaluated first in its "
                     "statement (not after a call or a read of its name, inside `and`/`or`, a conditional expression, "
                     "a comprehension or a lambda, nor in a `while` test).",
                     "Use a separate assignment statement.")


# ---------------------------------------------------------------- getattr(p, "name") with a constant name
class _ConstantGetattr(gast.NodeTransformer):
    def __init__(self, ctx):
        self.ctx = ctx

    def visit_Call(self, node):
        self.generic_visit(node)
        args = node.args
        if not (isinstance(node.func, gast.Name) and node.func.id == "getattr" and len(args) in (2, 3)
                and not node.keywords and isinstance(args[1], gast.Constant) and isinstance(args[1].value, str)
                and args[1].value.isidentifier() and not any(isinstance(a, gast.Starred) for a in args)
                and self.ctx.resolve_name("getattr") is getattr):
            return node
        attr = gast.copy_location(gast.Attribute(value=args[0], attr=args[1].value, ctx=gast.Load()), node)
        if len(args) == 2:
            return attr
        test = gast.Call(func=_name("hasattr"), args=[copy.deepcopy(args[0]), args[1]], keywords=[])
        return gast.copy_location(gast.IfExp(test=gast.copy_location(test, node), body=attr, orelse=args[2]), node)


def constant_getattr(fn, ctx):
    """``getattr(p, "W")`` as ``p.W`` (``getattr(p, "W", d)`` as ``p.W if hasattr(p, "W") else d``): the field of a
    record, followed as the attribute is."""
    _ConstantGetattr(ctx).visit(fn)


# ---------------------------------------------------------------- dicts: update, setdefault, dict(...)
def _is_dict_value(v, ctx):
    return isinstance(v, (gast.Dict, gast.DictComp)) or isinstance(v, gast.Call) and isinstance(v.func, gast.Name) \
        and v.func.id == "dict" and ctx.resolve_name("dict") is dict


def _dict_locals(fn, ctx):
    """Locals that surely hold a dict of the function's own: every binding assigns a dict display, a dict
    comprehension or a ``dict(...)`` call (not a parameter, not a loop or ``with`` target)."""
    params = {a.id for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    for a in (fn.args.vararg, fn.args.kwarg):
        if a is not None:
            params.add(a.id)
    good, bad = set(), set(params)
    for n in astutil.walk_bfs(fn):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            (good if _is_dict_value(n.value, ctx) else bad).add(n.targets[0].id)
    assigned = {n.targets[0].id for n in astutil.walk_bfs(fn) if isinstance(n, gast.Assign) and len(n.targets) == 1
                and isinstance(n.targets[0], gast.Name)}
    # tuple targets, loops, walrus, augmented assignments, ...
    bad |= {n.id for n in astutil.walk_bfs(fn) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)} - assigned
    return good - bad


def _dict_of(arg, namer):
    """``{**x} if isinstance(x, dict) else {k: v for k, v in x}``: what ``dict(x)`` builds, for a name ``x`` (a
    mapping, or pairs); a display of pairs, a comprehension or ``zip(...)``: the comprehension alone."""
    k, v = namer.local("key"), namer.local("value")
    comp = gast.DictComp(key=_name(k), value=_name(v), generators=[gast.comprehension(
        target=gast.Tuple(elts=[_name(k, gast.Store()), _name(v, gast.Store())], ctx=gast.Store()), iter=arg,
        ifs=[], is_async=0)])
    if not isinstance(arg, gast.Name):
        return comp
    test = gast.Call(func=_name("isinstance"), args=[_name(arg.id), _name("dict")], keywords=[])
    return gast.IfExp(test=test, body=gast.Dict(keys=[None], values=[_name(arg.id)]), orelse=comp)


def _pairs_arg(a):
    return isinstance(a, gast.Name) or isinstance(a, (gast.List, gast.Tuple, gast.ListComp, gast.GeneratorExp)) \
        or isinstance(a, gast.Call) and isinstance(a.func, gast.Name) and a.func.id == "zip"


class _Dicts(gast.NodeTransformer):
    """``dict(x, k=v)`` as a display or a comprehension (see _dict_of)."""

    def __init__(self, ctx, namer):
        self.ctx, self.namer = ctx, namer

    def visit_Call(self, node):
        self.generic_visit(node)
        if not (isinstance(node.func, gast.Name) and node.func.id == "dict" and self.ctx.resolve_name("dict") is dict
                and len(node.args) <= 1 and all(k.arg for k in node.keywords)
                and (not node.args or _pairs_arg(node.args[0]))):
            return node
        keys = [gast.Constant(value=k.arg, kind=None) for k in node.keywords]
        values = [k.value for k in node.keywords]
        if node.args:
            first = _dict_of(node.args[0], self.namer)
            if not keys and not isinstance(first, gast.IfExp):
                return gast.copy_location(first, node)
            keys, values = [None] + keys, [first] + values
        return gast.copy_location(gast.Dict(keys=keys, values=values), node)


def _located(stmts, at):
    for st in stmts:
        for n in astutil.walk_bfs(st):
            if isinstance(n, (gast.expr, gast.stmt)):
                gast.copy_location(n, at)
    return stmts


def _store(d, key, value):
    return gast.Assign(targets=[gast.Subscript(value=_name(d), slice=key, ctx=gast.Store())], value=value,
                       type_comment=None)


def _method_stmt(st, dicts):
    """(target or None, dict name, method, call) for ``d.update(...)`` / ``x = d.setdefault(...)`` on a dict local."""
    value = st.value if isinstance(st, gast.Expr) or isinstance(st, gast.Assign) and len(st.targets) == 1 \
        and isinstance(st.targets[0], gast.Name) else None
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
            and isinstance(value.func.value, gast.Name) and value.func.value.id in dicts
            and value.func.attr in ("update", "setdefault")):
        return None
    return (st.targets[0] if isinstance(st, gast.Assign) else None), value.func.value.id, value.func.attr, value


def _rewrite_method(target, d, method, call, namer):
    """The statements of ``d.update(...)`` / ``target = d.setdefault(k, v)``, or None to leave the call as it is."""
    if method == "setdefault":
        if not 1 <= len(call.args) <= 2 or call.keywords or not isinstance(call.args[0], (gast.Constant, gast.Name)):
            return None
        key = call.args[0]
        t = namer.local("default")
        out = [gast.Assign(targets=[_name(t, gast.Store())], type_comment=None,
                           value=call.args[1] if len(call.args) == 2 else gast.Constant(value=None, kind=None)),
               gast.If(test=gast.Compare(left=copy.deepcopy(key), ops=[gast.NotIn()], comparators=[_name(d)]),
                       body=[_store(d, copy.deepcopy(key), _name(t))], orelse=[])]
        if target is not None:
            out.append(gast.Assign(targets=[target], type_comment=None,
                                   value=gast.Subscript(value=_name(d), slice=copy.deepcopy(key), ctx=gast.Load())))
        return out
    if target is not None or len(call.args) > 1 or any(k.arg is None for k in call.keywords) \
            or call.args and not _pairs_arg(call.args[0]) and not isinstance(call.args[0], gast.Dict):
        return None
    items = []   # (key, value) pairs in the order update stores them
    if call.args and isinstance(call.args[0], gast.Dict) and None not in call.args[0].keys:
        items += list(zip(call.args[0].keys, call.args[0].values))
    elif call.args:
        src = namer.local("update")
        k, v = namer.local("key"), namer.local("value")
        loop = gast.For(target=gast.Tuple(elts=[_name(k, gast.Store()), _name(v, gast.Store())], ctx=gast.Store()),
                        iter=gast.Call(func=gast.Attribute(value=_name(src), attr="items", ctx=gast.Load()), args=[],
                                       keywords=[]),
                        body=[gast.Assign(targets=[gast.Subscript(value=_name(d), slice=_name(k), ctx=gast.Store())],
                                          value=_name(v), type_comment=None)], orelse=[], type_comment=None)
        first = [gast.Assign(targets=[_name(src, gast.Store())], value=_dict_of(call.args[0], namer),
                             type_comment=None), loop]
        rest = _rewrite_method(None, d, method, gast.Call(func=call.func, args=[], keywords=call.keywords), namer)
        return first + (rest or [])
    items += [(gast.Constant(value=k.arg, kind=None), k.value) for k in call.keywords]
    temps = [namer.local("item") for _ in items]   # every value is computed before the dict changes
    out = [gast.Assign(targets=[_name(t, gast.Store())], value=v, type_comment=None) for t, (_, v) in zip(temps, items)]
    keys = [namer.local("k") if not isinstance(k, gast.Constant) else None for k, _ in items]
    out = [gast.Assign(targets=[_name(kt, gast.Store())], value=k, type_comment=None)
           for kt, (k, _) in zip(keys, items) if kt] + out
    return out + [gast.Assign(targets=[gast.Subscript(value=_name(d), slice=_name(kt) if kt else k, ctx=gast.Store())],
                              value=_name(t), type_comment=None) for kt, t, (k, _) in zip(keys, temps, items)]


def dict_methods(fn, ctx, namer):
    """``d.update(...)`` and ``x = d.setdefault(k, v)`` on a dict the function builds itself (``d = {...}`` or
    ``dict(...)``, its only bindings), as the item writes they make; ``dict(x, k=v)`` as a display."""
    dicts = _dict_locals(fn, ctx)
    for parent in list(astutil.walk_bfs(fn)):
        for field, stmts in gast.iter_fields(parent):
            if not (isinstance(stmts, list) and stmts and isinstance(stmts[0], gast.stmt)):
                continue
            out = []
            for st in stmts:
                hit = _method_stmt(st, dicts) if dicts else None
                new = _rewrite_method(*hit, namer) if hit else None
                out.extend(_located(new, st) if new is not None else [st])
            stmts[:] = out
    _Dicts(ctx, namer).visit(fn)


# ---------------------------------------------------------------- for/while ... else
def loop_else(fn, ctx, namer):
    """``for v in xs: ... break ... else: E`` (and ``while``) as a flag (in place): ``broke = False``, each
    ``break`` of that loop preceded by ``broke = True``, and ``if not broke: E`` after the loop."""
    def breaks(stmts, flag):
        out = []
        for st in stmts:
            if isinstance(st, gast.Break):
                out.append(gast.copy_location(gast.Assign(targets=[_name(flag, gast.Store())], value=gast.Constant(
                    value=True, kind=None), type_comment=None), st))
            elif not isinstance(st, (gast.For, gast.While, gast.AsyncFor, gast.FunctionDef, gast.ClassDef,
                                     gast.AsyncFunctionDef)):   # (a nested loop's break is its own)
                for field in ("body", "orelse", "finalbody"):
                    sub = getattr(st, field, None)
                    if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                        setattr(st, field, breaks(sub, flag))
                for h in getattr(st, "handlers", ()):
                    h.body = breaks(h.body, flag)
                for case in getattr(st, "cases", ()):
                    case.body = breaks(case.body, flag)
            out.append(st)
        return out

    def block(stmts):
        out = []
        for st in stmts:
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    setattr(st, field, block(sub))
            for h in getattr(st, "handlers", ()):
                h.body = block(h.body)
            if isinstance(st, (gast.For, gast.While)) and st.orelse:
                flag = namer.local("broke")
                orelse, st.orelse = st.orelse, []
                st.body = breaks(st.body, flag)
                out.append(gast.copy_location(gast.Assign(targets=[_name(flag, gast.Store())], value=gast.Constant(
                    value=False, kind=None), type_comment=None), st))
                out.append(st)
                test = gast.UnaryOp(op=gast.Not(), operand=_name(flag))
                out.append(gast.copy_location(gast.If(test=gast.copy_location(test, st), body=orelse, orelse=[]),
                                              orelse[0]))
                for n in gast.walk(out[-1]):
                    if isinstance(n, (gast.expr, gast.stmt)) and not hasattr(n, "lineno"):
                        gast.copy_location(n, st)
                for n in gast.walk(out[-3]):
                    if isinstance(n, (gast.expr, gast.stmt)) and not hasattr(n, "lineno"):
                        gast.copy_location(n, st)
            else:
                out.append(st)
        return out
    if any(isinstance(n, (gast.For, gast.While)) and n.orelse for n in gast.walk(fn)):
        fn.body = block(fn.body)
