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

# NumPy functions whose result may share memory with their first argument.
VIEW_FUNCTIONS = {np.asarray, np.asanyarray, np.reshape, np.transpose, np.ravel, np.squeeze, np.expand_dims,
                  np.swapaxes, np.moveaxis, np.broadcast_to, np.atleast_1d, np.atleast_2d, np.diagonal, np.real}

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
    if isinstance(v, gast.Subscript) and isinstance(v.value, gast.Name):
        return v.value.id
    if isinstance(v, gast.Attribute) and isinstance(v.value, gast.Name) and v.attr in VIEW_METHODS:
        return v.value.id
    if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) and isinstance(v.func.value, gast.Name) \
            and v.func.attr in VIEW_METHODS | ELEMENT_METHODS and v.func.value.id not in _NUMPY_NAMES:   # (np.ravel(x):
        return v.func.value.id                                                                       # below)
    if isinstance(v, gast.Call) and v.args and isinstance(v.args[0], gast.Name) and isinstance(v.func, gast.Attribute) \
            and v.func.attr in {f.__name__ for f in VIEW_FUNCTIONS}:
        return v.args[0].id
    return None


def views(body):
    """{name: names it may share memory with} for ``t = x``, ``t = x[...]``, ``t = x.T``,
    ``t = x.reshape(...)``, ``t = np.reshape(x, ...)`` (transitively), over a core-form body."""
    base = {}
    for s in gast.walk(gast.Module(body=body, type_ignores=[])):
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Name)):
            continue
        src = view_base(s.value)
        if src is not None and src != s.targets[0].id:
            base.setdefault(s.targets[0].id, set()).add(src)
    changed = True
    while changed:
        changed = False
        for t, srcs in base.items():
            more = set().union(*(base.get(b, set()) for b in srcs)) - srcs - {t}
            if more:
                srcs |= more
                changed = True
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
    ``for a in b``)."""
    from .parse import _MISSING
    copied, sub = set(), set()
    for n in gast.walk(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            v = n.value
            if isinstance(v, gast.Name) and (v.id in ctx.locals or ctx.resolve_name(v.id) is _MISSING):
                copied.add(n.targets[0].id)
                copied.add(v.id)   # both names now share one object
            elif view_base(v) is not None:   # a = b[i], a = b.T, a = b.reshape(...), a = np.ravel(b)
                sub.add(n.targets[0].id)
        elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], (gast.Tuple, gast.List)) \
                and isinstance(n.value, gast.Name):   # a, b = q: the items of q
            sub |= {e.id for e in gast.walk(n.targets[0]) if isinstance(e, gast.Name)}
        elif isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], (gast.Tuple, gast.List)) \
                and isinstance(n.value, (gast.Tuple, gast.List)) and len(n.targets[0].elts) == len(n.value.elts) \
                and not getanno(n, "result_binding", False):
            # a, b = y, x: a and y share one object, as for a = y, when both are used elsewhere
            for t, v in zip(n.targets[0].elts, n.value.elts):
                if isinstance(t, gast.Name) and isinstance(v, gast.Name) and t.id != v.id \
                        and (v.id in ctx.locals or ctx.resolve_name(v.id) is _MISSING) \
                        and _used_elsewhere(body, t.id, n) and _used_elsewhere(body, v.id, n):
                    copied |= {t.id, v.id}
        elif isinstance(n, (gast.For, gast.comprehension)) and isinstance(n.iter, gast.Name):   # for row in x
            sub |= {e.id for e in gast.walk(n.target) if isinstance(e, gast.Name)}
    return copied, sub


def _used_elsewhere(body, name, stmt):
    """True if ``name`` is read, or changed in place (``name += v``), outside statement ``stmt``."""
    inside = {id(m) for m in gast.walk(stmt)}
    for m in gast.walk(gast.Module(body=body, type_ignores=[])):
        if id(m) in inside:
            continue
        if isinstance(m, gast.Name) and m.id == name and isinstance(m.ctx, gast.Load):
            return True
        if isinstance(m, gast.AugAssign) and isinstance(m.target, gast.Name) and m.target.id == name:
            return True
    return False


def shared_names(body):
    """Names that may share memory with another name: both sides of ``a = b``, ``a = b[...]``,
    ``a = b.T``, ``a = b.reshape(...)``, ``a = np.ravel(b)``, ``for a in b``, and names put into a
    list, tuple or dict display (``lst = [a, b]``)."""
    out = set()
    for n in gast.walk(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            base = view_base(n.value)
            if base is not None:
                out |= {base, n.targets[0].id}
            elif isinstance(n.value, (gast.List, gast.Tuple, gast.Dict)):
                out |= {e.id for e in (n.value.values if isinstance(n.value, gast.Dict) else n.value.elts)
                        if isinstance(e, gast.Name)}
        elif isinstance(n, gast.For) and isinstance(n.target, gast.Name) and isinstance(n.iter, gast.Name):
            out |= {n.target.id, n.iter.id}
    return out
