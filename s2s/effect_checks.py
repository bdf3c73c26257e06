"""Refusals about effects: what s2s cannot differentiate correctly when code changes values in place.

Each check raises ``DifferentiationError`` at the user's line (s2s/errors.py), from the analyses in
s2s/effects.py: a call of a user function that changes an argument carrying a derivative
(``check_changed_arguments``), object state set and read back (``check_state``), a NumPy function
writing into its argument (``check_in_place_call``). Both transforms call them.
"""
import collections
import inspect
import os
import types

import gast

from . import aliasing, effects, state_advice
from .state_advice import shown, user_name  # noqa: F401 (effect_checks' names, used by other modules)
from .anno import getanno
from . import astutil


def check_changed_arguments(call, stmt, ctx, carries, what="gradient", self_types=None, useful=None):
    """Refuse a call of a user function that changes an argument in place when a value carrying a
    derivative may end up in the changed argument: ``push(s, a)`` appends ``a`` to ``s``, ``h(x)``
    changes ``x`` itself. s2s does not follow such changes (yet)."""
    if not isinstance(call, gast.Call):
        return
    fn, changed = effects.changed_arguments(call, ctx, self_types)
    if not changed:
        return
    import types

    from . import analyze
    kind, obj = analyze.callee(call, ctx)
    receiver = isinstance(call.func, gast.Attribute) and (isinstance(obj, types.MethodType) or kind == "method")
    pos = ([call.func.value] if receiver else []) + list(call.args)
    try:
        bound = inspect.signature(fn).bind(*pos, **{k.arg: k.value for k in call.keywords if k.arg})
    except (TypeError, ValueError):
        return
    carrying = {q: analyze.names_in(v) & carries for q, v in bound.arguments.items() if isinstance(v, gast.AST)}
    carrying = {q: c for q, c in carrying.items() if c}
    if not carrying:
        return
    tainted = effects.tainted_params(fn, set(carrying))
    if useful is not None:   # a local list/array that never reaches the output: its derivative does not matter
        tainted = {p for p in tainted if not isinstance(bound.arguments.get(p), gast.AST)
                   or not (roots := effects._targets(bound.arguments[p])) or roots - ctx.locals or roots & useful}
    if not tainted:
        return
    p = sorted(tainted)[0]
    src = carrying.get(p) or set().union(*carrying.values())
    from .codegen import expr_source
    arg = bound.arguments.get(p)
    here = f" (here `{expr_source(arg)}`)" if isinstance(arg, gast.AST) and expr_source(arg) != p \
        and not (isinstance(arg, gast.Name) and user_name({arg.id}, ctx) is None) else ""
    source = user_name(src, ctx)
    source = f"`{source}` carries" if source else f"the value passed for `{p}` carries"
    name = getattr(fn, "__qualname__", fn.__name__)
    if _library(fn):
        called = expr_source(call.func)
        if getattr(fn, "__wrapped__", None) is not None or not _reads_as_changing(fn, p):
            # what s2s knows: it could not show that the call leaves `p` alone (a wrapper, code it does not read)
            via = ", called through a decorator's wrapper," if getattr(fn, "__wrapped__", None) else ""
            raise ctx.error(stmt, f"s2s cannot tell what {name} does to its argument `{p}`: it is library code{via} "
                            f"and s2s does not follow the library's code far enough to show that {name} leaves "
                            f"`{p}` unchanged; {source} a {what} into this call.",
                            f"Compute the value with NumPy in your function, or register a derivative rule for "
                            f"it (`@s2s.adjoint({called})`, docs/rules.md), which s2s then uses instead of "
                            f"reading {name}.")
        fix = (f"`{called}` is library code: call it on something that carries no {what} and build the new value "
               f"from that instead (to shuffle a list `lst`: `idx = list(range(len(lst))); {called}(idx); "
               "lst = [lst[i] for i in idx]`).")
    else:
        fix = f"Have {fn.__name__} return the new value instead of changing `{p}`."
    raise ctx.error(stmt, f"{name} changes its argument `{p}`{here} in place, and "
                    f"{source} a {what} into this call; s2s does not follow changes a "
                    "function makes to its arguments.", fix)


def _reads_as_changing(fn, p):
    """True when fn's own source, read, changes parameter ``p`` in place (not a callee's, not unread)."""
    try:
        return p in effects.mutated_params(fn) and bool(inspect.getsource(fn))
    except (OSError, TypeError):
        return False


def _library(fn):
    """True for a function of the standard library or an installed package (not the user's to change)."""
    import sys
    import sysconfig
    mod = (getattr(fn, "__module__", None) or "").split(".")[0]
    if mod in sys.stdlib_module_names:
        return True
    try:
        path = os.path.realpath(inspect.getsourcefile(fn) or "")
    except TypeError:
        return False
    roots = {sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")}
    return "site-packages" in path.split(os.sep) or any(path.startswith(os.path.realpath(r) + os.sep) for r in roots)



# Called for their effect with a value that carries a derivative, these change nothing s2s differentiates.
_EFFECT_ONLY = {"builtins": {"print"}, "warnings": {"warn"}, "_warnings": {"warn"}, "logging": None,
                "numpy.testing": None}


def _effect_only(fn):
    mod = getattr(fn, "__module__", None) or ""
    if isinstance(fn, types.MethodType) or type(fn).__name__ == "builtin_function_or_method":
        owner = getattr(fn, "__self__", None)
        if owner is not None and not isinstance(owner, types.ModuleType):
            mod = type(owner).__module__ or ""   # a bound method: its class's module (logging.Logger.info)
    for m, names in _EFFECT_ONLY.items():
        if mod == m or mod.startswith(m + "."):
            return names is None or getattr(fn, "__name__", None) in names
    return False


def check_discarded_call(call, stmt, ctx, carries, what="gradient"):
    """Refuse ``f(y)`` as a statement (its result dropped), ``y`` carrying a derivative, when s2s knows
    nothing of ``f``: no rule, no source it reads (a user function's own effects are followed by
    ``check_changed_arguments``). Called for its effect, ``f`` may change ``y`` in place (``heapq.heapify(l)``,
    ``np.ndarray.sort(y)``, ``rng.shuffle(y)``), which s2s would not see: a wrong derivative. The methods
    of lists, dicts, sets and arrays called on a local variable (``lst.append(v)``) are the transforms' own
    business; any other method of a local object (``rng.shuffle(y)`` with ``rng = np.random.default_rng()``)
    is not."""
    from . import analyze, registry, runtime
    if not isinstance(call, gast.Call):
        return
    args = list(call.args) + [k.value for k in call.keywords]
    src = set().union(*(analyze.names_in(a) for a in args)) & carries if args else set()
    if not src:
        return
    kind, key = analyze.callee(call, ctx)
    if kind == "method":
        if registry.is_nondiff(registry.method(key)):
            return
        if isinstance(call.func.value, gast.Name) and key in effects.IMPURE_METHODS:
            return   # a container's own method (lst.append(v), d.update(e), f.write(s)): the transforms' business
        if key in ("append", "extend", "insert") and isinstance(call.func.value, (gast.Attribute, gast.Subscript)):
            raise state_advice.refuse_kept(call, stmt, ctx, src, what)
        from .codegen import expr_source
        what_call = f"`{expr_source(call.func)}(...)`"
    elif kind == "global":
        owner = getattr(key, "__self__", None)
        if isinstance(owner, (list, dict, set, collections.deque)) and getattr(key, "__name__", "") in \
                effects.MUTATING_METHODS:
            return   # a global container's method (history.append(val)) changes the container, not val (whether
            # the function reads the value back is check_state's business)
        fn = getattr(key, "__func__", key)
        if key is runtime.stop_gradient or registry.is_nondiff(key) or registry.lookup_adjoint(key) is not None \
                or registry.lookup_tangent(key) is not None or effects.user_function(fn) or effects._own(fn) \
                or _effect_only(key):
            return
        from .codegen import expr_source
        what_call = f"`{expr_source(call.func)}`"
    else:
        return
    name = shown(src, ctx)
    changes = f"`{name}` in place"
    if kind == "method" and isinstance(call.func.value, gast.Name):
        changes = f"`{name}` in place or the state of `{shown({call.func.value.id}, ctx)}`"
    raise ctx.error(stmt, f"{what_call} is called for its effect (its result is dropped) with `{name}`, which "
                    f"carries a {what}; s2s cannot see whether it changes {changes}, so it would miss "
                    "that change.",
                    "Use a function that returns the new value instead (`y = np.sort(y)` for `np.ndarray.sort(y)`, "
                    "`idx = rng.permutation(len(y)); y = y[idx]` for `rng.shuffle(y)`, "
                    "`lst = sorted(lst)` for `heapq.heapify(lst)`, a method that returns what it computes "
                    "instead of storing it on its object), or a function of yours whose source s2s reads.")


def checked_discard(stmt, ctx, carries, ns):
    """``act(Z)`` as a statement, ``act`` known only at run time and ``Z`` carrying a derivative: called for its
    effect, ``act`` may write into ``Z`` (``def act(X): X *= 3``), which s2s would miss. The statement becomes
    ``call_unchanged(act, Z)`` (s2s/pullback.py), which refuses such a function, naming the line, when it runs;
    any other statement is returned as it is."""
    from . import analyze
    call = stmt.value
    if not isinstance(call, gast.Call) or analyze.callee(call, ctx)[0] != "unknown" \
            or isinstance(call.func, gast.Attribute):
        return stmt
    args = list(call.args) + [k.value for k in call.keywords]
    if not (set().union(*(analyze.names_in(a) for a in args)) & carries if args else set()):
        return stmt
    from .pullback import call_unchanged
    from .coreform import _name
    new = gast.Call(func=_name(ns.ref("call_unchanged", call_unchanged)), args=[call.func] + list(call.args),
                    keywords=call.keywords)
    return gast.copy_location(gast.Expr(value=new), stmt)


def binding(fn, var, ctx):
    """(line text, value text) of the user's line that bound ``var`` to another variable or part of one
    (``row = x[0]``: ("row = x[0]", "x[0]")), read from the user's source; (None, None) if not found."""
    import ast
    import linecache
    for n in astutil.walk_bfs(fn):
        if isinstance(n, gast.Assign) and any(isinstance(t, gast.Name) and t.id == var for t in n.targets) \
                and getattr(n, "lineno", None) and not getattr(n, "s2s_inlined", None):
            line = ctx.line_offset + n.lineno
            text = linecache.getline(ctx.filename, line).strip()
            if not text and ctx.source_lines and 0 < n.lineno <= len(ctx.source_lines):
                text = ctx.source_lines[n.lineno - 1].strip()
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            st = tree.body[0] if len(tree.body) == 1 else None
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name) \
                    and st.targets[0].id == var and _may_share(st.value):
                return text, ast.unparse(st.value)
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Tuple) \
                    and isinstance(st.value, ast.Tuple) and len(st.value.elts) == len(st.targets[0].elts):
                for t, v in zip(st.targets[0].elts, st.value.elts):   # a, b = y, y
                    if isinstance(t, ast.Name) and t.id == var and _may_share(v):
                        return text, ast.unparse(v)
    return None, None


def _may_share(v):
    """True if the value of (Python ``ast``) expression ``v`` may share memory with a variable: a name, an
    item, a slice, a view (``x.T``, ``x.reshape(...)``, ``np.ravel(x)``), or either of ``a if c else b``."""
    import ast
    if isinstance(v, ast.IfExp):
        return _may_share(v.body) or _may_share(v.orelse)
    if isinstance(v, ast.BoolOp):
        return any(_may_share(e) for e in v.values)
    if isinstance(v, (ast.Name, ast.Subscript)):
        return True
    if isinstance(v, ast.Attribute):
        return v.attr in aliasing.VIEW_METHODS
    if isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute):
        return v.func.attr in aliasing.VIEW_METHODS or v.func.attr in {f.__name__ for f in aliasing.VIEW_FUNCTIONS}
    return False


def alias_fix(fn, var, ctx, kind):
    """The ready-to-paste fix for a write that reaches ``var`` while it may share its array with another
    variable. ``kind``: "aug" (``var += v``), "item" (``var[i] = v``), "view" (a write into the array
    ``var`` views, ``var`` read afterwards)."""
    import ast
    line, value = binding(fn, var, ctx)
    if value is None:
        loop = loop_fix(fn, var, ctx, kind)
        if loop:
            return loop
        tail = f", or write `{var} = {var} + ...` (a new array)" if kind == "aug" else ""
        return (f"Make `{var}` a copy of what it is bound to where it is bound (`.copy()`){tail}.")
    copy = f"`{var} = ({value}).copy()`" if isinstance(ast.parse(value, mode="eval").body, (ast.IfExp, ast.BoolOp)) \
        else f"`{var} = {value}.copy()`"
    if kind == "view":
        return (f"`{var}` was bound by `{line}`. If `{var}` should keep the values it had, make it a copy: {copy}; "
                f"if it should see the write, read `{value}` after the write instead of `{var}`.")
    root = next((n.id for n in astutil.walk_bfs(ast.parse(value, mode="eval")) if isinstance(n, ast.Name)), None)
    plain = isinstance(ast.parse(value, mode="eval").body, (ast.Name, ast.Subscript))
    into = f"`{value} += ...`" if kind == "aug" and plain else f"into `{root or value}`"
    return (f"`{var}` was bound by `{line}`. If you mean to change `{root or value}` too, write {into} directly; "
            f"if not, make `{var}` a copy: {copy}.")


def loop_fix(fn, var, ctx, kind):
    """The fix for a write into ``var`` bound by a loop over another value (``for i, row in enumerate(P)``),
    or None when ``var`` is not bound by a loop of the user's."""
    import ast
    for n in astutil.walk_bfs(fn):
        if not (isinstance(n, gast.Assign)
                and any(isinstance(t, gast.Name) and t.id == var for t in astutil.walk_bfs(n.targets[0]))):
            continue
        text = user_line(n, ctx)
        if not text.startswith("for "):
            continue
        try:
            loop = ast.parse(text.rstrip(":") + ": pass").body[0]
        except SyntaxError:
            continue
        it, target = loop.iter, loop.target
        new = f"`{var} = {var} * ...`, not `{var} *= ...`" if kind == "aug" else \
            f"`new = np.where(...)` or arithmetic, not a write into `{var}`"
        if isinstance(it, (ast.Tuple, ast.List)):   # for e in (x, y): e is x, then y
            items = ", ".join(f"`{ast.unparse(e)}`" for e in it.elts)
            return (f"`{var}` is in turn each of {items} (bound by `{text}`), so changing it in place changes them. "
                    f"Change them by their own names, or build a new value instead ({new}).")
        call = ast.unparse(it.func) if isinstance(it, ast.Call) else None
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) \
                and it.func.attr not in ("items", "values", "keys", "copy"):   # for w in model.params()
            owner = ast.unparse(it.func.value)
            return (f"`{var}` is a value that `{ast.unparse(it)}` yields (bound by `{text}`), so changing it in place "
                    f"changes what `{owner}` holds. Build a new value instead ({new}).")
        seq = it.args[0] if call in ("enumerate", "reversed", "sorted", "zip") and it.args else \
            it.func.value if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) else it
        seq = ast.unparse(seq)
        if call == "enumerate" and isinstance(target, ast.Tuple) and len(target.elts) == 2 \
                and isinstance(target.elts[0], ast.Name):
            i = target.elts[0].id
            by_index = f"`{seq}[{i}] *= ...` in this loop" if kind == "aug" else \
                f"`{seq}[{i}] = ...` in this loop"
        elif call and call.endswith(".items") and isinstance(target, ast.Tuple) \
                and isinstance(target.elts[0], ast.Name):
            k = target.elts[0].id
            by_index = f"`{seq}[{k}] *= ...` in this loop" if kind == "aug" else \
                f"`{seq}[{k}] = ...` in this loop"
        elif call and call.endswith(".values"):
            by_index = f"`for k in {seq}: {seq}[k] *= ...`" if kind == "aug" else \
                f"`for k in {seq}: {seq}[k] = ...`"
        else:
            by_index = f"`for i in range(len({seq})): {seq}[i] *= ...`" if kind == "aug" else \
                f"`for i in range(len({seq})): {seq}[i] = ...`"
        return (f"`{var}` is an item of `{seq}` (bound by `{text}`), so changing it in place changes `{seq}`. To "
                f"change `{seq}`, write into it by index: {by_index}; if `{seq}` should keep its values, build a "
                f"new array instead ({new}).")
    return None


def held_fix(stmt, lst, ctx):
    """The fix for ``lst[i] += v`` changing an array held in ``lst`` that another name shares."""
    import ast
    text = user_line(stmt, ctx)
    try:
        st = ast.parse(text).body[0]
    except (SyntaxError, IndexError):
        st = None
    if isinstance(st, ast.AugAssign):
        target = ast.unparse(st.target)
        new = f"`{target} = {target} {ast.unparse(ast.BinOp(left=ast.Name('x'), op=st.op, right=st.value))[2:]}`"
        return (f"To put a new array into `{lst}` and leave the other variable as it is, write {new}; to change "
                f"the other variable too, change it by its own name and build `{lst}` after.")
    return (f"Put a new array into `{lst}` (`{lst}[i] = {lst}[i] + v`) instead of changing the one it holds, or "
            f"change the other variable by its own name and build `{lst}` after.")


def written_name(var, stmt, ctx):
    """How to call ``var``, written into at ``stmt``, to the user: the user's name for it (``shown``), or,
    when the core made it up (``v_1`` for ``s.v``), the target the user's line writes (``s.v``)."""
    import ast
    if user_name({var}, ctx) is not None:
        return shown({var}, ctx)
    inlined = getanno(stmt, "inlined", None)   # (a callee's line inlined in the caller: s2s/helper_writes.py)
    try:
        st = ast.parse(user_line(stmt, ctx) if inlined is None else _line_of(*inlined[:2])).body[0]
    except (SyntaxError, IndexError):
        return shown({var}, ctx)
    target = st.target if isinstance(st, ast.AugAssign) else st.targets[0] if isinstance(st, ast.Assign) \
        and len(st.targets) == 1 else None
    if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):   # np.add.at(W, i, v), np.tanh(W, out=W)
        written = effects._written_argument(gast.ast_to_gast(st.value), _Everything())
        target = gast.gast_to_ast(written) if written is not None else None
    while isinstance(target, ast.Subscript):
        target = target.value
    return ast.unparse(target) if isinstance(target, (ast.Name, ast.Attribute)) else shown({var}, ctx)


class _Everything:
    def __contains__(self, name):
        return True


def _line_of(filename, line):
    import linecache
    return linecache.getline(filename, line).strip()


def user_line(node, ctx):
    """The text of the user's line of ``node`` ("" when it cannot be read)."""
    import linecache
    line = getattr(node, "lineno", None)
    if not line:
        return ""
    text = linecache.getline(ctx.filename, ctx.line_offset + line).strip()
    if not text and ctx.source_lines and 0 < line <= len(ctx.source_lines):
        text = ctx.source_lines[line - 1].strip()
    return text


def later_reads(body, ctx=None):
    """{id(stmt): names read by statements that may run after stmt} over a core-form body
    (the rest of each enclosing block, and the whole body and test of each enclosing loop).
    With ``ctx``, setting an attribute of a global object of a plain class (``layer.x = h``) does
    not read the object."""
    from . import analyze
    out = {}

    def names(s):
        if ctx is not None and isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Attribute) and isinstance(s.targets[0].value, gast.Name) \
                and _plain_global(s.targets[0].value.id, ctx):
            return analyze.names_in(s.value)
        return analyze.names_in(s)

    def visit(stmts, after):
        read = [names(s) for s in stmts]   # once a statement: the suffixes are unions of these (linear, not quadratic)
        suffix, later_of = set(after), [None] * len(stmts)
        for i in range(len(stmts) - 1, -1, -1):
            later_of[i] = suffix
            suffix = suffix | read[i]
        for s, later, r in zip(stmts, later_of, read):
            out[id(s)] = later
            if isinstance(s, gast.If):
                visit(s.body, later)
                visit(s.orelse, later)
            elif isinstance(s, (gast.For, gast.While)):
                visit(s.body, later | r)
    visit(body, set())
    return out


def _plain_global(name, ctx):
    """True if ``name`` is a global object of a plain class of the user's (attributes are plain storage)."""
    if name in ctx.locals:
        return False
    from .objects import _plain_class
    from .parse import _MISSING
    obj = ctx.resolve_name(name)
    return obj is not _MISSING and _plain_class(type(obj))


def _owners(body):
    """{name: the object it is part of} for ``t = o.attr``, ``t = o[i]``, ``t = o`` (transitively)."""
    owner = {}
    for s in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if isinstance(s, gast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Name) \
                and isinstance(s.value, (gast.Name, gast.Attribute, gast.Subscript)):
            r = effects._root(s.value)
            if r and r != s.targets[0].id and isinstance(s.value, gast.Attribute) or (r and r in owner):
                owner[s.targets[0].id] = r
    for _ in range(len(owner)):
        owner = {k: owner.get(v, v) for k, v in owner.items()}
    return owner


def _writes_into_active_state(target, obj, varied):
    """True for a write into part of an object's array (``p.W[0, 0] = v``) when the object carries a
    derivative: the write changes what the derivative of ``p.W`` is, whatever the value written."""
    return isinstance(target, gast.Subscript) and isinstance(target.value, gast.Attribute) and obj in varied


def _bare(text):
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def _copy_fix(target, obj, shown_obj):
    """``W = p.W.copy(); W[0, 0] = ...`` for the target ``p.W[0, 0]`` (``obj`` shown as ``shown_obj``)."""
    from .codegen import expr_source
    try:
        holder = expr_source(target.value)
        parts = target.slice.elts if isinstance(target.slice, gast.Tuple) else [target.slice]
        index = ", ".join(_bare(expr_source(e)) for e in parts)
    except Exception:
        return "W = p.W.copy(); W[i] = v"
    holder = shown_obj + holder[len(obj):] if holder.startswith(obj) else holder
    name = target.value.attr if isinstance(target.value, gast.Attribute) else "a"
    return f"{name} = {holder}.copy(); {name}[{index}] = ..."


def check_state(fn, ctx, varied, what="gradient"):
    """Refuse storing a value that carries a derivative into object state that is read afterwards.

    ``box.a = t``, ``layer.params["W"] = W``, ``setattr(box, "a", t)``, ``G.append(t)`` on a
    global, or ``t1 = o.items; t1.append(t)``: s2s follows derivatives through variables,
    items of local lists/arrays/dicts and calls, not through attributes of objects or globals.
    When the object is read again in the function (or any function is called afterwards, for
    a global object), the value read back would silently carry no derivative.
    """
    from . import analyze
    later = later_reads(fn.body, ctx)
    owner = _owners(fn.body)
    locals_ = ctx.locals

    def stored(s):
        """(object name, target text, value) for a statement storing into object state."""
        if isinstance(s, gast.Assign):
            t = s.targets[0]
            if isinstance(t, gast.Attribute) or (isinstance(t, gast.Subscript) and not isinstance(t.value, gast.Name)):
                return effects._root(t), t, s.value
            if isinstance(t, gast.Subscript) and t.value.id in owner and t.value.id in locals_:
                return owner[t.value.id], t, s.value
            if isinstance(t, gast.Subscript) and t.value.id not in locals_:
                return t.value.id, t, s.value
            return None
        call = s.value if isinstance(s, (gast.Expr, gast.Assign)) else None
        if not isinstance(call, gast.Call):
            return None
        hit = effects._user_callee(call, ctx)
        if hit is not None:   # a function of the user's storing a value we pass it into a global object
            sub, pos = hit
            try:
                bound = inspect.signature(sub).bind(*pos, **{k.arg: k.value for k in call.keywords if k.arg})
                carrying = frozenset(q for q, v in bound.arguments.items()
                                     if isinstance(v, gast.AST) and analyze.names_in(v) & varied)
                glob = effects.tainted_globals(sub, carrying)
            except (TypeError, ValueError):
                glob = set()
            if glob:
                return sorted(glob)[0], call, call
        f = call.func
        if isinstance(f, gast.Name) and f.id == "setattr" and ctx.resolve(f) is setattr and call.args:
            return effects._root(call.args[0]), call, call
        if isinstance(f, gast.Attribute) and f.attr in effects.MUTATING_METHODS and isinstance(f.value, gast.Name) \
                and not isinstance(ctx.resolve(f.value), types.ModuleType):   # np.put(y, ...), np.add: functions
            r = f.value.id
            if r not in locals_:
                return r, f.value, call
            if r in owner:
                return owner[r], f.value, call
        return None

    def reads_later(obj, s):
        names = later.get(id(s), set())
        parts = {obj} | {n for n, o in owner.items() if o == obj}
        if names & parts:
            return True
        return obj not in locals_ and _calls_after(s)

    calls_after = {}

    def _calls_after(s):
        return calls_after.get(id(s), False)

    # a call of any user function after s may read a global object's state
    flat = []

    def collect(stmts, loops):
        for s in stmts:
            flat.append((s, loops))
            if isinstance(s, gast.If):
                collect(s.body, loops)
                collect(s.orelse, loops)
            elif isinstance(s, (gast.For, gast.While)):
                collect(s.body, loops + (s,))
    collect(fn.body, ())

    def has_user_call(node):
        for n in astutil.walk_bfs(node):
            if isinstance(n, gast.Call):
                obj = ctx.resolve(n.func)
                obj = getattr(obj, "__func__", obj)
                if effects.user_function(obj) or (isinstance(n.func, gast.Attribute) and obj is None):
                    return True
        return False
    seen_call = False
    for s, loops in reversed(flat):
        calls_after[id(s)] = seen_call or any(has_user_call(l) for l in loops)
        if not isinstance(s, (gast.If, gast.For, gast.While)) and has_user_call(s):
            seen_call = True

    from . import state_paths
    paths = state_paths.Paths(fn, ctx)
    # (s2s's generated code, differentiated again: the user's code it runs was checked when it was generated)
    generated = getattr(getattr(ctx, "fn", None), "s2s_generated", False)
    order = {id(s): i for i, (s, _) in enumerate(flat)}
    read_paths = {}

    def reads_of(st):
        if id(st) not in read_paths:
            read_paths[id(st)] = paths.reads(st, shallow=True)
        return read_paths[id(st)]

    def read_after(s, loops, stored_paths):
        """The first statement that may run after ``s`` and read one of ``stored_paths`` (None if none does)."""
        later = [st for st, _ in flat[order[id(s)] + 1:]]
        for loop in loops:   # the next trip runs the loop's statements before s again
            later += [st for st, _ in flat if st is loop or any(st is x for x in astutil.walk_bfs(loop))]
        for st in later:
            if any(state_paths.overlap(p, q) for p in stored_paths for q in reads_of(st)):
                return st
        return None

    for s, loops in flat:
        hit = stored(s)
        call = s.value if isinstance(s, (gast.Expr, gast.Assign)) and isinstance(s.value, gast.Call) else None
        if hit is None and call is not None and not generated and not (isinstance(call.func, gast.Attribute)
                                                                       and call.func.attr in effects.MUTATING_METHODS):
            # a method or function of the user's that stores on its arguments
            carried = set().union(*(analyze.names_in(x) for x in call.args + [k.value for k in call.keywords])) \
                if (call.args or call.keywords) else set()
            stored_paths = {p for p in paths.call_stores(call, carried & varied) if p[0] in locals_}
            if stored_paths:
                st = read_after(s, loops, stored_paths)
                if st is not None:
                    import linecache
                    line = getattr(s, "lineno", None)
                    line = ctx.line_offset + line if line else None
                    text = linecache.getline(ctx.filename, line).strip() if line else ""
                    said = f"the call on line {line} (`{text}`)" if text else "a call before it"
                    raise ctx.error(st, f"this reads state of an object that {said}"
                                    + f" may have set to a value carrying a {what}; s2s does not follow {what}s "
                                    "through object attributes, so the value read here would silently carry none.",
                                    "Use the value the call returns instead of reading it back from the object, or "
                                    "read it outside the function you differentiate.")
            continue
        if hit is None:
            continue
        obj, target, value = hit
        carried = analyze.names_in(value) & varied
        if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute):
            carried -= {value.func.value.id} if isinstance(value.func.value, gast.Name) else set()
        if getanno(target, "state_store", False):   # s2s/objects.py: the function reads it back as a variable
            if not carried or obj is None or not _calls_after(s):
                continue
        elif obj is None or not carried and not _writes_into_active_state(target, obj, varied):
            continue
        elif obj in locals_:   # an argument's or a local object's state: refused only when read back here
            root, p = state_paths._path(target) if isinstance(target, (gast.Attribute, gast.Subscript)) \
                else (None, None)
            stored_paths = {paths.path(root, p)} if root is not None else {(obj, state_paths.STAR)}
            if read_after(s, loops, stored_paths) is None:
                continue   # (the store happens as in the primal; the caller checks its own reads)
        elif not reads_later(obj, s):
            continue
        from .codegen import expr_source
        try:
            text = expr_source(target)
        except Exception:
            text = obj
        value_name = user_name(carried, ctx)
        value_text = f" (`{value_name}`)" if value_name else ""
        obj_text = shown({obj}, ctx)
        text = obj_text + text[len(obj):] if text.startswith(obj) else text   # (the user's name, not p_ or self_)
        if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name) and target.value.id in owner \
                and reads_later(obj, s) and not getanno(target, "state_store", False):
            var = target.value.id
            temp = state_advice.temp_text(fn, var, ctx, obj, obj_text)
            if temp is not None:   # self.W -= v: the core's item = self.W; item[...] = ...
                raise ctx.error(s, f"this line writes a value carrying a {what}{value_text} into `{temp}` in place, "
                                f"which is part of `{obj_text}`; s2s does not follow {what}s through writes into "
                                f"another value's array or state, so what is read back afterwards would silently "
                                f"carry none.", state_advice.new_array_fix(s, ctx, temp))
            line, _ = binding(fn, var, ctx)
            bound = f" (bound by `{line}`)" if line else ""
            raise ctx.error(s, f"this line writes a value carrying a {what}{value_text} into `{shown({var}, ctx)}`"
                            f"{bound}, which is part of `{obj_text}`: an attribute of it, or a view that shares its "
                            f"array (`.T`); s2s does not follow {what}s through writes into another value's array or "
                            f"state, so what is read back afterwards would silently carry none.",
                            alias_fix(fn, var, ctx, "item"))
        if not carried:   # a constant written into an array of an object that carries one: p.W[0, 0] = 0.0
            raise ctx.error(s, f"this writes into `{text}`, an array held by `{obj_text}`, which carries a {what} and "
                            f"is read again afterwards; s2s does not follow {what}s through writes into an object's "
                            f"arrays, so the {what} would silently be wrong.",
                            f"Take the array out and change a copy instead: `{_copy_fix(target, obj, obj_text)}`, "
                            "then use the copy.")
        if isinstance(target, gast.Call):
            head = f"`{text}` stores a value carrying a {what}{value_text} into the object `{obj_text}`, which"
        else:
            head = (f"a value carrying a {what}{value_text} is stored into `{text}`, state of the "
                    f"object `{obj_text}` that")
        raise ctx.error(s, f"{head} is read again afterwards; s2s does not follow {what}s through "
                        "object attributes or global state, so the value read back would silently carry none.",
                        state_advice.global_object_fix(fn, ctx, obj, target, value) or
                        state_advice.aug_fix(s, ctx, text) or   # self.W -= v: self.W = self.W - v
                        "Pass the value along as a variable or an argument (and return it) instead of storing it "
                        "on an object.")


# ndarray attributes whose assignment changes the array in place (``z.shape = (3, 1)`` reshapes z)
_ARRAY_SETTERS = frozenset({"shape", "dtype", "strides", "real", "imag", "flat", "data"})


def check_in_place_call(stmt, ctx, varied, what="gradient"):
    """Refuse a NumPy call that writes into an array in place when a value carrying a derivative is involved,
    and an assignment to an array attribute that changes the array in place (``z.shape = (3, 1)``) of one."""
    from . import analyze
    target = stmt.targets[0] if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 else None
    if isinstance(target, gast.Attribute) and target.attr in _ARRAY_SETTERS and effects._root(target.value) in varied:
        attr = target.attr
        fix = ("Assign a reshaped array instead: `z = z.reshape(...)` for `z.shape = ...`." if attr == "shape" else
               "Build a new array instead (arithmetic, np.where, or an index assignment, which s2s differentiates).")
        raise ctx.error(stmt, f"assigning `.{attr}` changes an array in place, and this array carries a {what}; "
                        f"s2s does not differentiate that.", fix)
    call = getattr(stmt, "value", None)
    if not isinstance(call, gast.Call):
        return
    target = aliasing.in_place_target(call, ctx)
    if target is None:
        return
    carried = analyze.names_in(call) & varied
    if carried:
        from .codegen import expr_source
        func = expr_source(call.func)
        into = shown({target.id}, ctx) if isinstance(target, gast.Name) else expr_source(target)
        if any(k.arg == "out" for k in call.keywords):
            fix = f"Drop `out=` and assign the result: `{into} = {func}(...)` (a new array)."
        else:
            fix = (f"Build a new array instead: an index assignment (`{into}[idx] = v`, which s2s differentiates), "
                   "np.where, or arithmetic on a copy.")
        raise ctx.error(stmt, f"`{func}` writes into `{into}` in place, and `{shown(carried, ctx)}` carries a "
                        f"{what}; s2s does not differentiate NumPy functions that write into an array.", fix)
