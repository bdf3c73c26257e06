"""The user's names in refusals (``shown``, ``user_name``), and the advice of s2s/effect_checks.py's refusals
about an object's state: the user's text for what the core renamed (``self.W`` for the core's
``item = self_.W``), the new-array form of an in-place update, a value kept in an object's list (numpy-ml's
``retain_derived``), and what s2s follows of a global object given a value."""
import types

import gast

from . import effects


def user_name(names, ctx):
    """The name among ``names`` that the user wrote (``shown``'s choice), or None when every one is a
    name the core made up (``t_1`` for the value of ``Y[0] * 2``)."""
    import re
    lines = getattr(ctx, "source_lines", None)
    if not names or not lines:
        return None
    name = shown(names, ctx)
    return name if name in set(re.findall(r"[A-Za-z_]\w*", "".join(lines))) else None


def shown(names, ctx):
    """The name to show the user among ``names``: a local the user wrote first (``x`` for its copy ``x_``:
    the user's names are the locals written in the function's source text; the core renames some)."""
    import re
    from .parse import local_names
    try:
        local = local_names(ctx.node)
    except Exception:
        local = set()
    lines = getattr(ctx, "source_lines", None)
    written = set(re.findall(r"[A-Za-z_]\w*", "".join(lines))) if lines else local
    names = sorted(names)
    for n in names:
        if n in local and n in written:
            return n
    for n in names:
        stem = n.rstrip("_")
        if stem != n and stem in local and stem in written:
            return stem
    for n in names:
        if n in local:
            return n
    return names[0]


def refuse_kept(call, stmt, ctx, src, what):
    """The refusal for ``self.X.append(X)``, ``X`` carrying a derivative: a value kept in a list an object holds
    (numpy-ml's ``retain_derived``); when a flag parameter guards it (``if retain_derived:``), the call that
    skips it."""
    from .codegen import expr_source
    recv = expr_source(call.func.value)
    root = effects._root(call.func.value)
    if root is not None and recv.startswith(root):
        recv = shown({root}, ctx) + recv[len(root):]
    name = shown(src, ctx)
    node = getattr(ctx, "node", None)
    params = {a.id for a in node.args.args + node.args.kwonlyargs} if isinstance(node, gast.FunctionDef) else set()
    flag = next((n.test.id for n in gast.walk(node) if isinstance(n, gast.If) and isinstance(n.test, gast.Name)
                 and n.test.id in params and any(getattr(b, "lineno", None) == getattr(stmt, "lineno", -1)
                                                 for b in gast.walk(gast.Module(body=n.body, type_ignores=[])))),
                None) if params else None
    fix = (f"This runs because `{flag}` is true: call `{node.name}` with `{flag}=False` in the function you "
           f"differentiate (keep `{flag}=True` where you run it without s2s)." if flag else
           f"Keep the value outside the function you differentiate: return it, and append it to `{recv}` after "
           "the call.")
    return ctx.error(stmt, f"`{recv}.{call.func.attr}({name})` keeps `{name}`, which carries a {what}, in a list "
                     f"held by an object; s2s does not follow {what}s through an object's lists, and it cannot "
                     "tell here that nothing reads the list back.", fix)


def temp_text(fn, var, ctx, obj, obj_text):
    """The source of what ``var``, a name the core made up (not in the user's source), is bound to, with the user's
    name for ``obj`` (``self.W`` for ``item = self_.W``); None for a name of the user's."""
    from .codegen import expr_source
    if user_name({var}, ctx):
        return None
    for n in gast.walk(fn):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                and n.targets[0].id == var:
            try:
                text = expr_source(n.value)
            except Exception:
                return None
            return obj_text + text[len(obj):] if text.startswith(obj) else text
    return None


def new_array_fix(s, ctx, temp):
    """``self.W = self.W - v`` for the user's line ``self.W -= v`` at ``s``; a general advice otherwise."""
    return aug_fix(s, ctx, temp) or f"Make a new array instead of changing `{temp}` in place (`{temp} = ...`, not a " \
        "write into it)."


def aug_fix(s, ctx, temp):
    """``self.W = self.W - v`` for the user's line ``self.W -= v`` at ``s``; None for another line."""
    import ast
    import linecache
    line = getattr(s, "lineno", None)
    text = linecache.getline(ctx.filename, ctx.line_offset + line).strip() if line else ""
    try:
        st = ast.parse(text).body[0]
    except (SyntaxError, IndexError):
        st = None
    if isinstance(st, ast.AugAssign):
        op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}.get(
            type(st.op))
        if op:
            t = ast.unparse(st.target)
            return f"Make a new array instead of changing `{temp}` in place: `{t} = {t} {op} {ast.unparse(st.value)}`."
    return None


def global_object_fix(fn, ctx, obj, target, value):
    """The advice for ``G.a = v`` refused, ``G`` a global object of the user's whose method the function calls
    (``NET.W = W; NET.forward(X)``): what s2s follows (s2s/global_objects.py), and the method given the value."""
    from .codegen import expr_source
    from .parse import _MISSING
    if obj in ctx.locals or not isinstance(target, gast.Attribute):
        return None
    owner, item = target.value, None
    if isinstance(owner, gast.Subscript) and isinstance(owner.slice, gast.Constant) \
            and type(owner.slice.value) is int:   # LAYERS[0].W = W: an object of a global list
        owner, item = owner.value, owner.slice.value
    if not (isinstance(owner, gast.Name) and owner.id == obj):
        return None
    g = ctx.resolve_name(obj)
    if item is not None and isinstance(g, (list, tuple)) and -len(g) <= item < len(g):
        g, obj = g[item], f"{obj}[{item}]"
    elif item is not None:
        return None
    if g is _MISSING or isinstance(g, (type, types.FunctionType, types.ModuleType)):
        return None
    calls = [n for n in gast.walk(fn) if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute)
             and isinstance(n.func.value, gast.Name) and n.func.value.id == obj
             and isinstance(getattr(type(g), n.func.attr, None), types.FunctionType)]
    try:
        v, a = expr_source(value), target.attr
    except Exception:
        return None
    if v.startswith("(") and v.endswith(")"):
        v = v[1:-1]
    if isinstance(value, gast.Name) and user_name({value.id}, ctx) != value.id:
        v = "..."   # a temporary of the core (NET.W, NET.b = W, b)
    out = (f"`{obj}` is a global object: s2s follows `{obj}.{a} = {v}` when every setting of `{obj}`'s attributes, "
           f"here or in the methods called on it, is a plain `{obj}.a = ...` at the top level of the function (not in "
           f"a loop or a branch, not `+=`), `{obj}` is used only through its attributes and methods, and no function "
           f"of yours called in between can reach `{obj}`.")
    if calls:
        m = _as_written(calls[0], fn, ctx)
        call = expr_source(m)
        with_arg = call[:-1] + (", " if m.args or m.keywords else "") + f"{a}={v})"
        out += (f" Otherwise give the method the value as an argument: add a parameter `{a}=None` to "
                f"`{type(g).__name__}.{m.func.attr}` reading `{a} = self.{a} if {a} is None else {a}`, and call "
                f"`{with_arg}`.")
    return out


def _as_written(call, fn, ctx):
    """``call`` with the names the core made for snapshots of globals (``X_1 = copy_value(X)``) given back as the
    user wrote them (``COUNTING.forward(X)``)."""
    from . import runtime
    from .astutil import clone
    bound = {}
    for n in gast.walk(fn):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                and isinstance(n.value, gast.Call) and len(n.value.args) == 1 and not n.value.keywords \
                and ctx.resolve(n.value.func) in (runtime.copy_value, runtime.copy_deep):
            bound.setdefault(n.targets[0].id, []).append(n.value.args[0])
    call = clone(call)
    for n in gast.walk(call):
        for field, value in gast.iter_fields(n):
            items = value if isinstance(value, list) else [value]
            for k, item in enumerate(items):
                if isinstance(item, gast.Name) and len(bound.get(item.id, ())) == 1 \
                        and user_name({item.id}, ctx) is None:
                    new = clone(bound[item.id][0])
                    if isinstance(value, list):
                        value[k] = new
                    else:
                        setattr(n, field, new)
    return call
