"""Python objects that see later changes of another (review 14, rows 3 and 4), on the user's FunctionDef:

- a dict view bound to a name (``vals = d.values()``) is live: ``d["a"] = v`` afterwards changes what
  ``sum(vals)`` sums. Where ``d`` and ``vals`` are each bound once, every read of ``vals`` becomes
  ``d.values()`` (what the view shows when it is read); otherwise, when ``d`` is changed in place, refused;
- a ``for`` loop over a list sees the items appended to it in its body (``for node in queue:
  queue.extend(...)``); s2s takes the length once, so such a loop is refused.
"""
import gast

from . import astutil

_VIEWS = ("items", "values", "keys")
_GROWING = frozenset({"append", "extend", "insert", "pop", "remove", "clear"})
_CHANGING = _GROWING | {"update", "setdefault", "popitem", "__setitem__", "__delitem__"}


def _stores(fn):
    out = {}
    for n in astutil.walk_bfs(fn):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            out[n.id] = out.get(n.id, 0) + 1
    return out


def _view(value):
    """``d`` for ``d.values()`` (``d`` a name), else None."""
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and value.func.attr in _VIEWS \
            and not value.args and not value.keywords and isinstance(value.func.value, gast.Name):
        return value.func.value.id
    return None


def _changes(node, name):
    """True if ``node`` (a statement or expression) changes the list or dict ``name`` in place."""
    for n in astutil.walk_bfs(node):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr in _CHANGING \
                and isinstance(n.func.value, gast.Name) and n.func.value.id == name:
            return True
        if isinstance(n, (gast.Subscript,)) and isinstance(n.ctx, (gast.Store, gast.Del)) \
                and isinstance(n.value, gast.Name) and n.value.id == name:
            return True
        if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name) and n.target.id == name:
            return True
    return False


def _grows(node, name):
    for n in astutil.walk_bfs(node):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr in _GROWING \
                and isinstance(n.func.value, gast.Name) and n.func.value.id == name:
            return n
        if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name) and n.target.id == name \
                and isinstance(n.op, (gast.Add, gast.Mult)) and isinstance(n.value, (gast.List, gast.ListComp)):
            return n
        if isinstance(n, gast.Delete) and any(isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name)
                                              and t.value.id == name for t in n.targets):
            return n
    return None


def live_views(fn, ctx):
    """Rewrite or refuse, in place on ``fn`` (see the module docstring)."""
    from .codegen import expr_source
    for loop in astutil.walk_bfs(fn):
        if isinstance(loop, gast.For) and isinstance(loop.iter, gast.Name):
            hit = _grows(gast.Module(body=loop.body, type_ignores=[]), loop.iter.id)
            if hit is not None:
                name = loop.iter.id
                raise ctx.error(hit, f"this changes the length of `{name}` while the `for` loop on line "
                                f"{getattr(loop, 'lineno', 0) + ctx.line_offset} iterates over it (Python's loop "
                                "sees the new items); s2s takes the length once when the loop starts.",
                                f"Loop with an index instead: `i = 0`, `while i < len({name}):`, "
                                f"`item = {name}[i]`, ..., `i += 1`.")
    views = [st for st in astutil.walk_bfs(fn) if isinstance(st, gast.Assign) and len(st.targets) == 1
             and isinstance(st.targets[0], gast.Name) and _view(st.value) is not None]
    if not views:
        return
    stores = _stores(fn)
    for st in views:
        var, d = st.targets[0].id, _view(st.value)
        if not _changes(fn, d):
            continue
        top = {t.id for s in fn.body if isinstance(s, gast.Assign) for t in s.targets if isinstance(t, gast.Name)}
        if stores.get(var) == 1 and stores.get(d, 0) <= 1 and d in ctx.locals and any(s is st for s in fn.body) \
                and (stores.get(d, 0) == 0 or d in top):   # (bound once, not in a loop: the view's dict is `d`)
            for n in astutil.walk_bfs(fn):
                for field, value in gast.iter_fields(n):
                    if isinstance(value, gast.Name) and value.id == var and isinstance(value.ctx, gast.Load):
                        setattr(n, field, gast.copy_location(astutil.clone(st.value), value))
                    elif isinstance(value, list):
                        value[:] = [gast.copy_location(astutil.clone(st.value), v)
                                    if isinstance(v, gast.Name) and v.id == var and isinstance(v.ctx, gast.Load)
                                    else v for v in value]
            continue
        raise ctx.error(st, f"`{var}` is a view of the dict `{d}` (`{expr_source(st.value)}`), which shows later "
                        f"changes of `{d}`, and `{d}` is changed in this function; s2s does not follow a view.",
                        f"Call `{expr_source(st.value)}` where the values are used, or take a copy "
                        f"(`list({expr_source(st.value)})`).")
