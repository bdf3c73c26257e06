"""Before the transforms: one object under two names becomes one name.

``b = a`` binds a second name to the same object. When the code then changes that object in place
through a method (``b.append(v)``, ``b.extend(vs)``, ``d2.update(e)``), the change is visible
through ``a`` too, but the transforms follow values by name: the appended item would get no
gradient through ``sum(a)`` (review 7: ``a = [x, x * 2]; b = a; b.append(x ** 2); return sum(a)``
gave 3.0 for 6.0). ``fold_aliases`` rewrites the core form so that such an object has one name:
``b = a`` is dropped and ``b`` is read as ``a`` afterwards, when that is exactly what the program
means: ``b`` is bound once, by that statement, at the top level of the function (not in a loop or
a branch), and ``a`` is not rebound after it. Then every later read of ``b`` is a read of the object
``a`` names, and the transforms see the change where it happens.

An alias this pass cannot fold (bound in a branch or a loop, or ``a`` rebound later) and changed in
place while the other name is read afterwards is refused by ``check_method_alias`` (reverse and
forward mode call it at the mutating call).
"""
import gast

from .. import effects
from .. import astutil


def _stores(node, name):
    """The Name nodes that bind or delete ``name`` under ``node``."""
    return [n for n in astutil.walk_bfs(node) if isinstance(n, gast.Name) and n.id == name
            and isinstance(n.ctx, (gast.Store, gast.Del, gast.Param))]


def _loads(node, name):
    return [n for n in astutil.walk_bfs(node)
            if isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Load)]


def _method_changed(stmts, names):
    """True if ``stmts`` call a method that changes its receiver on one of ``names`` (``b.append(v)``)."""
    for s in stmts:
        for n in astutil.walk_bfs(s):
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) \
                    and n.func.attr in effects.MUTATING_METHODS and isinstance(n.func.value, gast.Name) \
                    and n.func.value.id in names:
                return True
    return False


def fold_aliases(fn, ctx):
    """Rewrite ``b = a`` ... ``b.append(v)`` ... into ``a.append(v)`` (see the module's docstring) in the
    core-form FunctionDef ``fn``, in place. Returns True when it folded one. (Not in a generated gradient,
    differentiated again for hvp: its copies and pops are s2s's own, and say what they mean.)"""
    if getattr(ctx.fn, "s2s_generated", False):
        return False
    declared = {x for n in astutil.walk_bfs(fn) if isinstance(n, (gast.Global, gast.Nonlocal)) for x in n.names}
    params = {a.id for a in fn.args.args + fn.args.posonlyargs + fn.args.kwonlyargs
              + [x for x in (fn.args.vararg, fn.args.kwarg) if x is not None]}
    folded = False
    i = 0
    while i < len(fn.body):   # (after a fold, from the top again: c = b; b = a; c.append(v) folds c, then b)
        s = fn.body[i]
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Name)
                and isinstance(s.value, gast.Name) and s.targets[0].id != s.value.id):
            i += 1
            continue
        b, a = s.targets[0].id, s.value.id
        rest = fn.body[i + 1:]
        if b in params or b in declared or a in declared or (a not in params and a not in ctx.locals) \
                or len(_stores(fn, b)) != 1 or any(_loads(st, b) for st in fn.body[:i]) \
                or any(_stores(st, a) for st in rest) or not _method_changed(rest, {a, b}):
            i += 1
            continue
        for st in rest:
            for n in _loads(st, b):
                n.id = a
        del fn.body[i]
        folded = True
        i = 0
    return folded


def _copy_groups(fn):
    """{name: the names bound to the same object by ``a = b`` anywhere in ``fn`` (itself included)}."""
    group = {}
    for n in astutil.walk_bfs(fn):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                and isinstance(n.value, gast.Name) and n.targets[0].id != n.value.id:
            a, b = n.targets[0].id, n.value.id
            merged = group.get(a, {a}) | group.get(b, {b})
            for m in merged:
                group[m] = merged
    return group


def check_method_alias(call, stmt, ctx, fn, varied, cache, what="gradient"):
    """Refuse ``b.append(v)`` (any method that changes its receiver) when ``b`` may be the object of
    another name (``b = a`` in a branch or a loop, where ``fold_aliases`` cannot make them one) that is
    read afterwards, and a derivative is involved: the change would not reach the other name's
    derivative. ``cache`` is a dict the caller keeps for one function."""
    if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute)
            and call.func.attr in effects.MUTATING_METHODS and isinstance(call.func.value, gast.Name)) \
            or getattr(ctx.fn, "s2s_generated", False):   # (a gradient restores what it changed: by design)
        return
    from .. import aliasing, analyze, effect_checks
    if "groups" not in cache:
        cache["groups"] = _copy_groups(fn)
        cache["live"] = aliasing.live_after(fn.body) if cache["groups"] else {}
        cache["order"] = aliasing.binding_order(fn.body)
        cache["copies"] = [n for n in astutil.walk_bfs(fn) if isinstance(n, gast.Assign) and len(n.targets) == 1
                           and isinstance(n.targets[0], gast.Name) and isinstance(n.value, gast.Name)]
    r = call.func.value.id
    group = cache["groups"].get(r, {r})
    others = (group - {r}) & cache["live"].get(id(stmt), set())
    if not others or not ((group | analyze.names_in(call)) & varied):
        return
    pos, _ = cache["order"]
    here, loops = pos.get(id(stmt), (None, ()))
    if here is not None and not any(c.targets[0].id in group and id(c) in pos
                                    and (pos[id(c)][0] < here or set(pos[id(c)][1]) & set(loops))
                                    for c in cache["copies"]):
        return   # (lst = [f(v) for v in lst]: the names are bound to each other only after the call)
    shown = effect_checks.shown([r], ctx)
    other = effect_checks.shown(others, ctx)
    raise ctx.error(stmt, f"`.{call.func.attr}(...)` changes `{shown}` in place, and `{shown}` may be the same object "
                    f"as `{other}` (one was bound to the other in a branch or a loop, or one is rebound later), "
                    "which is read afterwards; "
                    f"s2s does not follow a change through a second name, so the {what} of `{other}` would miss it.",
                    f"Change the object through the name you read afterwards, or make `{shown}` a copy where it is "
                    f"bound (`{shown} = list(...)` for a list, `dict(...)` for a dict).")
