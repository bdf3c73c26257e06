"""What may share memory with what: aliases and views, over a core-form body.

Which names the user binds to another variable or to part of one (``aliases``, ``shared_names``),
which arrays are views of which (``views``, ``view_base``, ``sharing``, ``changed_with``), where names
are bound and live (``binding_order``, ``bound_before``, ``live_after``), and which argument a NumPy
call writes into (``in_place_target``). s2s/effects.py builds on these (what changes in place); the
refusals are in s2s/effect_checks.py and s2s/refusals.py.
"""
import gast
import numpy as np

from .anno import getanno
from . import astutil

# NumPy functions whose result may share memory with their first argument.
VIEW_FUNCTIONS = {np.asarray, np.asanyarray, np.reshape, np.transpose, np.ravel, np.squeeze, np.expand_dims,
                  np.swapaxes, np.moveaxis, np.broadcast_to, np.atleast_1d, np.atleast_2d, np.atleast_3d,
                  np.diagonal, np.real, np.imag, np.flip, np.fliplr, np.flipud, np.rot90, np.ascontiguousarray,
                  np.asfortranarray, np.require,
                  np.float64, np.float32}   # np.float64(a) of a float64 array is `a` itself

# NumPy functions that return a list of views of their first argument (``a, b = np.split(y, 2)``).
SPLIT_FUNCTIONS = frozenset({"split", "array_split", "hsplit", "vsplit", "dsplit", "broadcast_arrays", "unstack"})


def split_base(v):
    """``y`` for ``np.split(y, ...)`` and the like (a list of views of y), else None."""
    if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) and v.func.attr in SPLIT_FUNCTIONS \
            and isinstance(v.func.value, gast.Name) and v.func.value.id in _NUMPY_NAMES and v.args \
            and isinstance(v.args[0], gast.Name):
        return v.args[0].id
    return None

VIEW_METHODS = frozenset({"reshape", "view", "ravel", "transpose", "swapaxes", "squeeze", "diagonal", "T", "real",
                          "imag", "flat", "mT"})

# Methods of a dict that return an item it holds (``w = d.get("k")``: w is part of d). (Not ``pop``: the
# item leaves the container, and a gradient's own stack pops are not views.)
ELEMENT_METHODS = frozenset({"get", "setdefault"})

_NUMPY_NAMES = frozenset({"np", "numpy"})   # np.reshape(x, ...) is a view of x, not of np


def view_base(v):
    """The name whose memory the value of expression ``v`` may share: ``x`` for ``x``, ``x[...]``,
    ``x.T``, ``x.reshape(...)``, ``np.reshape(x, ...)``; None for anything else."""
    if isinstance(v, gast.Name):
        return v.id
    if isinstance(v, gast.Subscript):
        return _inner_base(v.value)
    if isinstance(v, gast.Attribute) and v.attr in VIEW_METHODS:
        return _inner_base(v.value)
    if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) \
            and v.func.attr in VIEW_METHODS | ELEMENT_METHODS \
            and not (isinstance(v.func.value, gast.Name) and v.func.value.id in _NUMPY_NAMES):   # (np.ravel(x): below)
        return _inner_base(v.func.value)
    if isinstance(v, gast.Call) and v.args and isinstance(v.func, gast.Attribute) \
            and v.func.attr in {f.__name__ for f in VIEW_FUNCTIONS}:
        return _inner_base(v.args[0])
    return None


def _inner_base(v):
    """``view_base`` of the value a view is taken of: a name, or itself a view of one written in the same
    expression (``y.reshape(2, 2)[1]``, ``y[None][0]``, ``np.expand_dims(y, 0)[0]``: views of ``y``)."""
    return v.id if isinstance(v, gast.Name) else view_base(v)


def view_bases(v):
    """The names whose memory the value of expression ``v`` may share: ``view_base`` of ``v``, or of
    either branch of ``a if c else b`` and of every operand of ``a or b`` (which return one of them)."""
    if isinstance(v, gast.IfExp):
        return view_bases(v.body) | view_bases(v.orelse)
    if isinstance(v, gast.BoolOp):
        return set().union(*(view_bases(e) for e in v.values))
    base = view_base(v)
    return {base} if base is not None else set()


_FRESH_ITEMS = frozenset({"range"})   # for i in range(n): numbers, sharing nothing


def loop_sources(it):
    """The names whose memory the items of a loop's iterable ``it`` may share: every name it reads as a
    value (``P`` for ``enumerate(P)``, ``zip(B, w)``, ``p.values()``, ``reversed(P)``, ``sorted(ps)``), not
    the functions it calls (``enumerate``, ``np``); none for ``range(...)``."""
    if isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.func.id in _FRESH_ITEMS:
        return set()
    out = set()

    def visit(e):
        if isinstance(e, gast.Name):
            out.add(e.id)
        elif isinstance(e, gast.Call):
            if isinstance(e.func, gast.Attribute) and not (isinstance(e.func.value, gast.Name)
                                                           and e.func.value.id in _NUMPY_NAMES):
                visit(e.func.value)   # p.values(): p (np.nditer(x): x, not np)
            for a in e.args + [k.value for k in e.keywords]:
                visit(a)
        elif isinstance(e, (gast.Lambda, gast.Constant)):
            return
        else:
            for c in gast.iter_child_nodes(e):
                visit(c)
    visit(it)
    return out


def views(body):
    """{name: names it may share memory with} for ``t = x``, ``t = x[...]``, ``t = x.T``,
    ``t = x.reshape(...)``, ``t = np.reshape(x, ...)`` (transitively), over a core-form body."""
    base, swaps = {}, []
    for s in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Name)):
            continue
        if getanno(s, "swap", None) and isinstance(s.value, gast.Name):
            # u = t of `u, un = un, u` (t = un before it): u shares what un shared, not un, which is rebound
            swaps.append((s.targets[0].id, s.value.id, getanno(s, "swap")))
            continue
        for src in view_bases(s.value) - {s.targets[0].id}:
            base.setdefault(s.targets[0].id, set()).add(src)

    def close():
        changed = True
        while changed:
            changed = False
            for t, srcs in base.items():
                more = set().union(*(base.get(b, set()) for b in srcs)) - srcs - {t}
                if more:
                    srcs |= more
                    changed = True
    close()
    for t, tmp, names in swaps:
        more = base.get(tmp, set()) - names - {t}
        if more:
            base.setdefault(t, set()).update(more)
    for t, tmp, names in swaps:   # b = u before the swap: b is now un's array (b may share any of them)
        for v, srcs in base.items():
            if v not in names and srcs & names:
                srcs |= names
    if swaps:
        close()
    return base


def sharing(names, body):
    """``names`` plus every name that may share memory with one of them (``t = q[0]``: changing t in place
    changes q), over a core-form body."""
    base = views(body)
    return set(names) | {t for t, bases in base.items() if bases & set(names)}


def changed_with(names, base):
    """``names`` plus every name whose value changes when one of them is changed in place: the names
    they may share memory with (``b = x; b -= 1`` changes x) and the other views of those (``t = x[0]``);
    ``base`` is ``views(body)`` of the core-form body."""
    out = set(names)
    for n in names:
        out |= base.get(n, set())
    return out | {t for t, bases in base.items() if bases & out}


def binding_order(body):
    """({id(stmt): (position, enclosing loops)}, {name: [(position, enclosing loops)] of its bindings})
    over a core-form body, positions in program order."""
    pos, binds = {}, {}

    def visit(stmts, loops):
        for st in stmts:
            here = (len(pos), loops)
            pos[id(st)] = here
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name):
                binds.setdefault(st.targets[0].id, []).append(here)
            if isinstance(st, gast.If):
                visit(st.body, loops)
                visit(st.orelse, loops)
            elif isinstance(st, (gast.For, gast.While)):
                visit(st.body, loops + (id(st),))
    visit(body, ())
    return pos, binds


def bound_before(name, stmt, order):
    """True if a binding of ``name`` may run before ``stmt`` (earlier in the code, or in a loop with it)."""
    pos, binds = order
    p, loops = pos.get(id(stmt), (None, ()))
    if p is None:
        return True
    return any(q < p or set(l) & set(loops) for q, l in binds.get(name, ()))


def live_after(body):
    """{id(stmt): names live after stmt} (read later before being rebound) over a core-form body."""
    from . import analyze
    out = {}

    def gen_kill(st):
        if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name):
            return analyze.names_in(st.value), {st.targets[0].id}
        return analyze.names_in(st), set()

    def block(stmts, live):
        """Live before stmts, given live after them (records live-after of each statement)."""
        for st in reversed(stmts):
            out[id(st)] = set(live)
            if isinstance(st, gast.If):
                live = block(st.body, live) | block(st.orelse, live) | analyze.names_in(st.test)
            elif isinstance(st, (gast.For, gast.While)):
                head = set(live) | analyze.names_in(st.iter if isinstance(st, gast.For) else st.test)
                while True:
                    new = head | block(st.body, head)
                    if new <= head:
                        break
                    head = new
                live = head
            else:
                g, k = gen_kill(st)
                live = (live - k) | g
        return live
    block(body, set())
    return out


# NumPy functions that write into their first argument.
IN_PLACE_FUNCTIONS = {np.copyto, np.put, np.place, np.putmask, np.fill_diagonal, np.put_along_axis}


def in_place_target(call, ctx):
    """The argument a NumPy call writes into (``np.copyto(y, x)``, ``np.add.at(y, i, x)``,
    ``np.multiply(x, 2, out=y)``), or None."""
    for k in call.keywords:
        if k.arg == "out" and not (isinstance(k.value, gast.Constant) and k.value.value is None):
            return k.value
    obj = ctx.resolve(call.func)
    try:
        hit = obj in IN_PLACE_FUNCTIONS
    except TypeError:
        hit = False
    if not hit and getattr(obj, "__name__", None) in ("at",) and isinstance(getattr(obj, "__self__", None), np.ufunc):
        hit = True
    return call.args[0] if hit and call.args else None


def aliases(body, ctx):
    """(copied, from_subscript): names the user binds to another variable (``a = b``: both) or to an
    element, a slice or a view of one (``a = b[i]``, ``a = b.T``, ``a = b.reshape(...)``, ``a, c = b``,
    ``for a in b``, ``for i, a in enumerate(b)``, ``for a in d.values()``), also through a conditional
    expression (``a = b if c else b.copy()``, ``a = b or w``) and tuple unpacking (``a, c = b, b``)."""
    from .parse import _MISSING

    def local(name):   # a variable of the function's (not a global function or module)
        return name in ctx.locals or ctx.resolve_name(name) is _MISSING

    def named(e):
        return isinstance(e, gast.Name) and local(e.id)

    copied, sub = set(), set()
    for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            t = n.targets[0].id
            for v in _leaves(n.value):
                if named(v):
                    if v.id != t:
                        copied |= {t, v.id}   # both names now share one object
                elif view_base(v) is not None:   # a = b[i], a = b.T, a = b.reshape(...), a = np.ravel(b)
                    sub.add(t)
        elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], (gast.Tuple, gast.List)) \
                and (isinstance(n.value, gast.Name) or split_base(n.value) or view_base(n.value)):
            # a, b = q / np.split(y, 2) / y.reshape(2, 2): items (views) of q, y
            sub |= {e.id for e in astutil.walk_bfs(n.targets[0]) if isinstance(e, gast.Name)}
        elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], (gast.Tuple, gast.List)) \
                and isinstance(n.value, (gast.Tuple, gast.List)) and len(n.targets[0].elts) == len(n.value.elts) \
                and not getanno(n, "result_binding", False):
            targets = {e.id for e in n.targets[0].elts if isinstance(e, gast.Name)}
            values = [v.id for v in n.value.elts if named(v)]
            for t, v in zip(n.targets[0].elts, n.value.elts):
                if not isinstance(t, gast.Name):
                    continue
                if named(v) and t.id != v.id:
                    if values.count(v.id) > 1:   # a, b = y, y: a, b and y are one array
                        copied |= {t.id, v.id}
                    elif v.id in targets:   # u, un = un, u: the names exchange their arrays, none shares
                        continue
                    elif _used_elsewhere(body, t.id, n) and _used_elsewhere(body, v.id, n):
                        copied |= {t.id, v.id}   # a, b = y, x: a and y share one object, as for a = y
                elif not named(v) and view_bases(v):   # a, b = y[0], y.T
                    sub.add(t.id)
        elif isinstance(n, (gast.For, gast.comprehension)) \
                and (isinstance(n.iter, gast.Name) or any(local(s) for s in loop_sources(n.iter))):
            # for row in x, for i, row in enumerate(x), for v in d.values(): the items of x, d
            sub |= {e.id for e in astutil.walk_bfs(n.target) if isinstance(e, gast.Name)}
    return copied, sub


def _leaves(v):
    """The expressions whose value ``v`` may be: both branches of ``a if c else b``, each operand of
    ``a or b``, else ``v``."""
    if isinstance(v, gast.IfExp):
        return _leaves(v.body) + _leaves(v.orelse)
    if isinstance(v, gast.BoolOp):
        return [x for e in v.values for x in _leaves(e)]
    return [v]


def _used_elsewhere(body, name, stmt):
    """True if ``name`` is read, or changed in place (``name += v``), outside statement ``stmt``."""
    inside = {id(m) for m in astutil.walk_bfs(stmt)}
    for m in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if id(m) in inside:
            continue
        if isinstance(m, gast.Name) and m.id == name and isinstance(m.ctx, gast.Load):
            return True
        if isinstance(m, gast.AugAssign) and isinstance(m.target, gast.Name) and m.target.id == name:
            return True
    return False


def shared_names(body):
    """Names that may share memory with another name: both sides of ``a = b``, ``a = b[...]``,
    ``a = b.T``, ``a = b.reshape(...)``, ``a = np.ravel(b)``, ``a = b if c else d``, ``a, c = b, d``,
    ``for a in b``, ``for i, a in enumerate(b)`` (and any loop over something that is not ``range``), and
    names put into a list, tuple or dict display (``lst = [a, b]``)."""
    out = set()
    for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            bases = view_bases(n.value)
            if bases:
                out |= bases | {n.targets[0].id}
            elif isinstance(n.value, (gast.List, gast.Tuple, gast.Dict)):
                out |= {e.id for e in (n.value.values if isinstance(n.value, gast.Dict) else n.value.elts)
                        if isinstance(e, gast.Name)}
        elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], (gast.Tuple, gast.List)) \
                and isinstance(n.value, (gast.Tuple, gast.List)) and len(n.targets[0].elts) == len(n.value.elts):
            for t, v in zip(n.targets[0].elts, n.value.elts):
                bases = view_bases(v)
                if isinstance(t, gast.Name) and bases - {t.id}:
                    out |= bases | {t.id}
        elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], (gast.Tuple, gast.List)) \
                and (split_base(n.value) or view_bases(n.value)):   # pos, vel = state; a, b = np.split(y, 2)
            out |= ({split_base(n.value)} - {None}) | view_bases(n.value) \
                | {e.id for e in astutil.walk_bfs(n.targets[0]) if isinstance(e, gast.Name)}
        elif isinstance(n, gast.For):
            sources = loop_sources(n.iter)
            if sources:
                out |= sources | {e.id for e in astutil.walk_bfs(n.target) if isinstance(e, gast.Name)}
    return out


_HOLDING_METHODS = frozenset({"append", "insert", "extend", "setdefault", "update"})


def holders(body):
    """Lists, tuples and dicts whose items may be an array another name shares (so that ``lst[i] += v``
    changes that array in place): bound to a display or comprehension with such an item (``lst = [y]``,
    ``d = {"h": y}``, ``[q for q in ps]``), given one (``lst.append(y)``), or bound to such a container."""
    out, same = set(), []
    containers = {t.id for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])) if isinstance(n, gast.Assign)
                  for t in n.targets if isinstance(t, gast.Name)
                  and (isinstance(n.value, (gast.List, gast.Tuple, gast.Dict, gast.ListComp, gast.DictComp))
                       or isinstance(n.value, gast.Call) and isinstance(n.value.func, gast.Name)
                       and n.value.func.id in ("list", "dict", "tuple"))}

    def shares(e):
        return bool(view_bases(e)) or isinstance(e, gast.Starred)

    def shallow_copy(v):
        """``c`` for ``list(c)``, ``dict(c)``, ``c.copy()``, ``c[:]``, ``copy.copy(c)`` of a list or dict ``c``
        (the copy holds c's very items)."""
        if isinstance(v, gast.Call) and isinstance(v.func, gast.Name) and v.func.id in ("list", "dict", "tuple") \
                and len(v.args) == 1 and isinstance(v.args[0], gast.Name):
            return v.args[0].id
        if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) and isinstance(v.func.value, gast.Name) \
                and not v.args:
            if v.func.attr == "copy" and v.func.value.id in containers:
                return v.func.value.id
        if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) and v.func.attr == "copy" \
                and isinstance(v.func.value, gast.Name) and v.func.value.id == "copy" and len(v.args) == 1 \
                and isinstance(v.args[0], gast.Name) and v.args[0].id in containers:
            return v.args[0].id
        if isinstance(v, gast.Subscript) and isinstance(v.value, gast.Name) and v.value.id in containers \
                and isinstance(v.slice, gast.Slice):
            return v.value.id
        return None

    for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            v, t = n.value, n.targets[0].id
            if isinstance(v, (gast.List, gast.Tuple, gast.Set)) and any(shares(e) for e in v.elts) \
                    or isinstance(v, gast.Dict) and any(shares(e) for e in v.values) \
                    or isinstance(v, (gast.ListComp, gast.SetComp, gast.GeneratorExp)) and shares(v.elt) \
                    or isinstance(v, gast.DictComp) and shares(v.value):
                out.add(t)
            if split_base(v):   # parts = np.split(y, 2): views of y
                out.add(t)
            c = shallow_copy(v)
            if c is not None:   # b = list(a): b[0] += v changes a[0], and a[0] += v changes b[0]
                out |= {t, c}
            for b in view_bases(v) - {t}:
                same.append((t, b))
            if isinstance(v, gast.Call) and isinstance(v.func, gast.Name) and v.func.id in ("list", "tuple", "dict") \
                    and v.args:
                same += [(t, b) for b in view_bases(v.args[0])]
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and isinstance(n.func.value, gast.Name) \
                and n.func.attr in _HOLDING_METHODS and any(shares(a) for a in n.args):
            out.add(n.func.value.id)
    grew = True
    while grew:
        grew = False
        for t, b in same:
            if (b in out) != (t in out):
                out |= {t, b}
                grew = True
    return out


# ---------------------------------------------------------------- a fresh object at a write

# Methods of an array (or a value) whose result shares no memory with it.
_FRESH_METHODS = frozenset({"copy", "sum", "mean", "prod", "max", "min", "std", "var", "dot", "cumsum", "cumprod",
                            "round", "clip", "conj", "conjugate", "flatten", "repeat", "take", "trace", "outer"})


def _fresh_value(v, ctx, aug):
    """True if expression ``v`` (core form) makes a new array or value: arithmetic, a NumPy function that is
    no view, ``.copy()`` and the like. (``aug``: the write changes items in place, ``lst[0] += v``; a list's
    ``.copy()`` shares its items, so only arithmetic and NumPy calls count.)"""
    if isinstance(v, (gast.BinOp, gast.UnaryOp)):
        return not isinstance(v, gast.BinOp) \
            or not any(isinstance(o, (gast.List, gast.Tuple)) for o in (v.left, v.right))
    if isinstance(v, (gast.Dict, gast.List)) and not (v.keys if isinstance(v, gast.Dict) else v.elts):
        return True   # {} and []: a new empty container
    if not isinstance(v, gast.Call) or any(isinstance(a, gast.Starred) for a in v.args):
        return False
    if any(k.arg in ("out", "copy") for k in v.keywords):
        return False
    if isinstance(v.func, gast.Attribute) and v.func.attr in _FRESH_METHODS and not aug:
        obj = ctx.resolve(v.func)
        from .parse import _MISSING
        return obj is _MISSING   # a method of a value (not np.copy's module function resolved: below)
    fn = ctx.resolve(v.func)
    if not callable(fn) or fn in VIEW_FUNCTIONS or fn in IN_PLACE_FUNCTIONS:
        return False
    name = getattr(fn, "__name__", "")
    if name in ("asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "require", "atleast_1d",
                "atleast_2d", "atleast_3d", "broadcast_to", "broadcast_arrays", "split", "array_split", "hsplit",
                "vsplit", "dsplit", "flip", "fliplr", "flipud", "rot90", "unstack", "diagonal", "squeeze"):
        return False
    return (getattr(fn, "__module__", None) or "").split(".")[0] == "numpy" or isinstance(fn, np.ufunc)


def _leaks(st, arr, ctx):
    """True if simple statement ``st`` (core form, not binding ``arr``) may make another name or container
    refer to ``arr``'s object: ``b = arr``, ``lst.append(arr)``, ``c[i] = arr``, ``o.a = arr``, a display
    or an unknown call holding it. Operands of arithmetic and comparisons, subscripts and attributes read
    (views: the views checks follow those), and NumPy calls do not."""
    for n in astutil.walk_bfs(st):
        if not (isinstance(n, gast.Name) and n.id == arr and isinstance(n.ctx, gast.Load)):
            continue
        parent = _parent(st, n)
        if isinstance(parent, (gast.BinOp, gast.UnaryOp, gast.Compare)):
            continue
        if isinstance(parent, (gast.Subscript, gast.Attribute)) and parent.value is n:
            continue   # arr[...], arr.T: views, followed by the views checks; arr[i] = v: a write into arr
        if isinstance(parent, gast.Call) and n in parent.args and (
                isinstance(parent.func, gast.Name) and parent.func.id in ("len", "isinstance", "float", "int",
                                                                           "immutable")
                or _fresh_value(parent, ctx, True)):
            continue   # np.sum(arr), np.tanh(arr): a new value
        return True
    return False


def _parent(root, node):
    for p in astutil.walk_bfs(root):
        for child in gast.iter_child_nodes(p):
            if child is node:
                return p
    return None


def _block_of(body, s):
    """(statement list holding ``s``, index, enclosing statement or None, its own list and index). Forward
    mode walks deep copies of loop bodies: a statement not found as itself is found by its line and text,
    when one statement only has them."""
    hit = _find_block(body, lambda st: st is s)
    if hit is None:
        key = (getattr(s, "lineno", None), gast.dump(s))
        same = [st for st in _statements(body) if (getattr(st, "lineno", None), gast.dump(st)) == key]
        if len(same) == 1:
            hit = _find_block(body, lambda st: st is same[0])
    return hit


def _statements(body):
    for st in body:
        yield st
        for field in ("body", "orelse", "finalbody"):
            sub = getattr(st, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                yield from _statements(sub)


def _find_block(body, match):
    def find(stmts, outer):
        for i, st in enumerate(stmts):
            if match(st):
                return stmts, i, outer
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    hit = find(sub, (st, stmts, i))
                    if hit:
                        return hit
        return None
    return find(body, None)


def fresh_since(fn, arr, s, ctx):
    """True if at statement ``s`` (core form) ``arr`` surely holds an object no other name refers to: the
    nearest binding before ``s`` (in the same block, or before the ``if`` holding ``s``; never across a
    loop's start) is arithmetic or a NumPy call making a new array, and nothing between them lets another
    name or container refer to it. ``h = X; h = h @ W + b; h[h < 0] = 0`` and ``un = u.copy()`` or
    ``un = np.zeros_like(u)`` at the top of a time step, then ``un[1:-1] = ...``, write into a new array,
    whatever ``h`` or ``un`` were bound to elsewhere (flow-insensitively, they are aliases). Returns the
    statements between the binding and ``s`` (where a view of the new array may be bound), or None."""
    aug = bool(getanno(s, "aug", False))
    walked = []
    hit = _block_of(fn.body, s)
    while hit is not None:
        stmts, i, outer = hit
        for st in reversed(stmts[:i]):
            if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                    and st.targets[0].id == arr:
                if isinstance(st.value, gast.Name) and st.value.id != arr \
                        and _uses(fn, st.value.id) == 2:
                    # x_1 = x * y; x = x_1 (normalize's split of x = x * y): follow x_1, a name used nowhere
                    # else (so not read after the write), which must not reach another name either
                    arr = st.value.id
                    if any(_leaks(w, arr, ctx) for w in walked):
                        return None
                    walked.append(st)
                    continue
                return walked if _fresh_value(st.value, ctx, aug) else None
            if isinstance(st, (gast.Assign, gast.Expr, gast.AugAssign)) and not _binds(st, arr):
                if _leaks(st, arr, ctx):
                    return None
                walked.append(st)
                continue
            if isinstance(st, gast.If) and not _binds(st.test, arr):   # a branch that neither binds arr nor
                inner = list(_statements(st.body + st.orelse))   # lets another name refer to it
                if all(isinstance(i, (gast.Assign, gast.Expr, gast.AugAssign, gast.Pass)) and not _binds(i, arr)
                       and not _leaks(i, arr, ctx) for i in inner):
                    walked.extend(inner)
                    continue
            return None   # a loop, a branch, or another binding of arr: not followed here
        if outer is None or not isinstance(outer[0], (gast.If, gast.For, gast.While)):
            return None
        if isinstance(outer[0], (gast.For, gast.While)) and not _loop_keeps_fresh(outer[0], arr, ctx):
            return None   # (a loop whose steps neither rebind arr nor let another name refer to it: `new = {}`
        hit = (outer[1], outer[2], _enclosing(fn.body, outer[0]))   # before `for k in p: new[k] = ...`)
    return None


def _loop_keeps_fresh(loop, arr, ctx):
    """True when no statement of ``loop`` (its target, test and body included) binds ``arr`` or lets another
    name or container refer to it: what ``arr`` held when the loop started stays its own in every step."""
    if isinstance(loop, gast.For) and (_binds(loop.target, arr) or _binds(loop.iter, arr)
                                       or any(isinstance(n, gast.Name) and n.id == arr for n in astutil.walk_bfs(
                                           loop.iter))):
        return False
    for st in _statements(loop.body + loop.orelse):
        if isinstance(st, (gast.For, gast.While, gast.If)):
            if _binds(st.target if isinstance(st, gast.For) else st.test, arr):
                return False
            if isinstance(st, gast.For) and any(isinstance(n, gast.Name) and n.id == arr
                                                for n in astutil.walk_bfs(st.iter)):
                return False   # (for v in arr: v a view of a row)
            continue
        if not isinstance(st, (gast.Assign, gast.Expr, gast.AugAssign, gast.Pass, gast.Break, gast.Continue)):
            return False
        if _binds(st, arr) or _leaks(st, arr, ctx):
            return False
    return True


def fresh_at(fn, arr, s, ctx):
    """True if at write ``s`` ``arr`` surely holds a new array no other name refers to (fresh_since)."""
    return fresh_since(fn, arr, s, ctx) is not None


def _uses(fn, name):
    return sum(1 for n in astutil.walk_bfs(fn) if isinstance(n, gast.Name) and n.id == name)


def _binds(st, name):
    return any(isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, (gast.Store, gast.Del))
               for n in astutil.walk_bfs(st))


def _enclosing(body, stmt):
    hit = _block_of(body, stmt)
    return hit[2] if hit else None
