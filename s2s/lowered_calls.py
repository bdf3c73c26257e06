"""NumPy calls that write into an array, lowered to index assignments s2s differentiates (issue 11).

A statement (its result dropped or bound to a name) that calls

- a NumPy function with ``out=y`` (``np.add(x, y, out=y)``, ``np.exp(z, out=z)``, or a ufunc given y
  as its last positional argument: ``np.exp(z, z)``) becomes
  ``y[...] = np.add(x, y)`` (and ``r = y`` when the result is bound);
- ``np.add.at(a, idx, v)`` becomes ``a[...] = scatter_add(a, idx, v)`` (NumPy's unbuffered
  scatter-add into a copy: repeated indices add up; its rules are in templates/runtime_rules.py);
- ``np.fill_diagonal(A, val)`` (``wrap`` not given) becomes
  ``A[np.diag_indices(min(np.shape(A)), np.ndim(A))] = val``;
- ``np.copyto(a, v)`` becomes ``a[...] = v`` (``where=m``: ``a[...] = np.where(m, v, a)``; ``casting=`` not
  given: the assignment casts as NumPy's assignment does, where copyto would refuse a cast across kinds).

The target must be a variable: the write is then an index assignment, which s2s follows as if the user
had written it (an argument written into is copied first; a variable that may share memory with another
is refused, naming the line, as for ``y[i] = v``). Anything else is left as written (and refused).
"""
import gast
import numpy as np

from .anno import getanno, hasanno, setanno
from .control import _assign, _at, _call, _name, _obj_name
from . import astutil


def scatter_add(a, index, v, like=None):
    """``np.add.at`` on a copy of ``a``: ``v`` added at ``index``, an index named twice adding twice.
    (``like``: the primal array, whose shape a zero tangent ``a`` takes in forward mode.)"""
    if like is not None and np.ndim(a) == 0 and np.ndim(like) > 0:
        a = np.full(np.shape(like), a, dtype=np.result_type(like, v, float))
    out = np.array(a, dtype=np.result_type(a, v))
    np.add.at(out, index, v)
    return out


def _numpy_function(obj):
    return isinstance(obj, np.ufunc) or (callable(obj) and (getattr(obj, "__module__", None) or "").split(".")[0]
                                         == "numpy")


def _ellipsis():
    return gast.Constant(value=Ellipsis, kind=None)


def _write(target, index, value):
    return _assign(gast.Subscript(value=_name(target.id), slice=index, ctx=gast.Store()), value)


def lower_numpy_write(ctx, s, local=None):
    """The statements ``s`` lowers to (see the module doc), or None."""
    call = s.value
    local = local or (lambda n: n in ctx.locals)
    if isinstance(s, gast.Assign) and not (len(s.targets) == 1 and isinstance(s.targets[0], gast.Name)):
        return None
    if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    obj = ctx.resolve(call.func)
    out = [k for k in call.keywords if k.arg == "out"]
    if not out and isinstance(obj, np.ufunc) and obj.nout == 1 and len(call.args) == obj.nin + 1:
        # a ufunc's out given by position (`np.exp(p, p)`, as scikit-learn writes it) is its out=
        out = [gast.keyword(arg="out", value=call.args[-1])]
        call = gast.Call(func=call.func, args=call.args[:-1], keywords=call.keywords + out)
    if out and isinstance(out[0].value, gast.Name) and local(out[0].value.id) and _numpy_function(obj):
        y = out[0].value
        pure = gast.Call(func=call.func, args=list(call.args),
                         keywords=[k for k in call.keywords if k.arg != "out"])
        new = [_write(y, _ellipsis(), pure)]
        target = y
    elif isinstance(getattr(obj, "__self__", None), np.ufunc) and obj.__self__ is np.add \
            and getattr(obj, "__name__", None) == "at" and len(call.args) == 3 and not call.keywords \
            and isinstance(call.args[0], gast.Name) and local(call.args[0].id):
        a, idx, v = call.args
        new = [_write(a, _ellipsis(), _call(_obj_name("scatter_add", scatter_add), [_name(a.id), idx, v]))]
        target = gast.Constant(value=None, kind=None)
    elif obj is np.fill_diagonal and len(call.args) == 2 and not call.keywords \
            and isinstance(call.args[0], gast.Name) and local(call.args[0].id):
        a, val = call.args
        np_ = _obj_name("np", np)
        index = gast.Call(func=gast.Attribute(value=np_, attr="diag_indices", ctx=gast.Load()), args=[
            gast.Call(func=_name("min"), args=[gast.Call(func=gast.Attribute(value=_obj_name("np", np), attr="shape",
                                                                           ctx=gast.Load()),
                                                         args=[_name(a.id)], keywords=[])], keywords=[]),
            gast.Call(func=gast.Attribute(value=_obj_name("np", np), attr="ndim", ctx=gast.Load()),
                      args=[_name(a.id)], keywords=[])], keywords=[])
        new = [_write(a, index, val)]
        target = gast.Constant(value=None, kind=None)
    elif obj is np.copyto and len(call.args) == 2 and {k.arg for k in call.keywords} <= {"where"} \
            and isinstance(call.args[0], gast.Name) and local(call.args[0].id):
        a, src = call.args
        where = [k.value for k in call.keywords]
        if where:   # np.copyto(a, v, where=m): a[...] = np.where(m, v, a)
            src = gast.Call(func=gast.Attribute(value=_obj_name("np", np), attr="where", ctx=gast.Load()),
                            args=[where[0], src, _name(a.id)], keywords=[])
        new = [_write(a, _ellipsis(), src)]
        target = gast.Constant(value=None, kind=None)
    else:
        return None
    if isinstance(s, gast.Assign):
        new.append(_assign(s.targets[0], _name(target.id) if isinstance(target, gast.Name) else target))
    if hasanno(s, "inlined"):   # a callee's line inlined (s2s/helper_writes.py): refusals name it
        for st in new:
            for n in gast.walk(st):
                if isinstance(n, (gast.stmt, gast.expr)) and not hasanno(n, "inlined"):
                    setanno(n, "inlined", getanno(s, "inlined"))
    return _at(new, s)


def sort_order(keys, reverse=False):
    """The positions of ``keys`` in the order ``sorted(..., key=...)`` puts their items (stable)."""
    return sorted(range(len(keys)), key=keys.__getitem__, reverse=bool(reverse))


def max_index(keys):
    """The position of the item ``max(..., key=...)`` returns (the first of the largest keys)."""
    return max(range(len(keys)), key=keys.__getitem__)


def min_index(keys):
    """The position of the item ``min(..., key=...)`` returns (the first of the smallest keys)."""
    return min(range(len(keys)), key=keys.__getitem__)


def _key_call(ctx, call):
    """(builtin, sequence, key, reverse) for ``sorted(xs, key=k[, reverse=r])``, ``max(xs, key=k)`` or
    ``min(xs, key=k)``; None for any other call."""
    if not isinstance(call, gast.Call) or not isinstance(call.func, gast.Name):
        return None
    fn = ctx.resolve(call.func)
    if fn not in (sorted, max, min) or len(call.args) != 1 or isinstance(call.args[0], gast.Starred):
        return None
    kw = {k.arg: k.value for k in call.keywords}
    if None in kw or "key" not in kw or set(kw) - ({"key", "reverse"} if fn is sorted else {"key"}) \
            or isinstance(kw["key"], gast.Constant):
        return None
    key = kw["key"]
    if isinstance(key, gast.Lambda):
        a = key.args
        if len(a.args) != 1 or a.defaults or a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
            return None
    return fn, call.args[0], key, kw.get("reverse")


def lower_sorted(ctx, s, fresh):
    """``ys = sorted(xs, key=lambda v: f(v))`` (or ``max``/``min`` with a key) as code s2s differentiates:

        items = list(xs)
        keys = [f(v) for v in items]            (the keys only order the items: no gradient flows there)
        ys = [items[i] for i in sort_order(keys, reverse)]      (max: items[max_index(keys)])

    Statements before ``s`` (it keeps its place, reading the result); None when ``s`` has no such call
    or another call in it would run in another order."""
    from .purity import Purity
    if isinstance(s, gast.For):
        where = [s.iter]
    elif isinstance(s, (gast.Assign, gast.Expr, gast.Return, gast.AugAssign)) and s.value is not None:
        where = [s.value]
    else:
        return None
    calls = [n for w in where for n in astutil.walk_bfs(w) if _key_call(ctx, n) is not None]
    if not calls:
        return None
    call = calls[0]
    inside = {id(n) for n in astutil.walk_bfs(call)}
    pure = Purity(ctx.resolve)
    if not isinstance(s, gast.For) and any(isinstance(n, gast.Call) and id(n) not in inside
                                           and not pure.callee_pure(n.func) for w in where for n in astutil.walk(w)):
        return None   # another call of the statement might run first in Python
    fn, seq, key, reverse = _key_call(ctx, call)
    items, keys, out = fresh("items"), fresh("keys"), fresh(fn.__name__ if fn is not sorted else "in_order")
    if isinstance(key, gast.Lambda):
        target, element = key.args.args[0], key.body
        target = gast.Name(id=target.id, ctx=gast.Store(), annotation=None, type_comment=None)
    else:
        v = fresh("item")
        target = _name(v, gast.Store())
        element = gast.Call(func=key, args=[_name(v)], keywords=[])
    comp = gast.ListComp(elt=element, generators=[gast.comprehension(target=target, iter=_name(items), ifs=[],
                                                                     is_async=0)])
    new = [_assign(_name(items, gast.Store()), gast.Call(func=_obj_name("list", list), args=[seq], keywords=[])),
           _assign(_name(keys, gast.Store()), comp)]
    if fn is sorted:
        i = fresh("i")
        order = _call(_obj_name("sort_order", sort_order),
                      [_name(keys)] + ([reverse] if reverse is not None else []))
        value = gast.ListComp(elt=gast.Subscript(value=_name(items), slice=_name(i), ctx=gast.Load()),
                              generators=[gast.comprehension(target=_name(i, gast.Store()), iter=order, ifs=[],
                                                             is_async=0)])
    else:
        pick = _call(_obj_name(f"{fn.__name__}_index", max_index if fn is max else min_index), [_name(keys)])
        value = gast.Subscript(value=_name(items), slice=pick, ctx=gast.Load())
    new.append(_assign(_name(out, gast.Store()), value))

    class Put(gast.NodeTransformer):
        def visit_Call(self, node):
            if node is call:
                return gast.copy_location(_name(out), node)
            self.generic_visit(node)
            return node
    s = Put().visit(s)
    return _at(new, s) + [s]
