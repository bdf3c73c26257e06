"""Pass 2, normalize: desugar a FunctionDef into the small core later passes see.

The core (A-normal form):
  - ``x = op`` where op is an atom (Name, constant, global like np.pi), a
    BinOp/UnaryOp/Call/Subscript/Attribute/Tuple/List/Dict whose operands are
    atoms, or an inactive-only expression (comparisons, boolean ops);
  - ``x[idx] = atom`` (in-place write);
  - ``if c:`` on a fresh name ``c``; ``for i in r:`` over a name bound to a
    ``range`` (other iterables become index loops); ``while test:``;
  - ``return x`` as the last statement; side-effect statements kept verbatim.
Parameters that the body reassigns are copied to a fresh name first, so a
parameter always holds its argument.
"""
import copy

import gast
import numpy as np

from . import (aliasing, astutil, checkpointing, control, desugar, effect_exprs, effects, effects_returns, lazy_values,
               live_views, lowering, match_stmt, pyitertools, pynumpy, record_aliases, state_reads, sugar,
               user_operators)
from .anno import getanno, hasanno, setanno
from .jumps import BREAKS, JumpLowering
from .coreform import ATOMS, _assign, _name, _renamed, _slice_call, _sub, is_atom, runtime_name  # noqa: F401
from .function_values import FunctionValues
from .normalize_expr import Expressions
from .parse import param_names



# How a user spells the statements s2s refuses (the AST's class names are not the user's words).
_KEYWORDS = {"Delete": "del", "Match": "match", "Global": "global", "Nonlocal": "nonlocal", "Try": "try",
             "TryStar": "try/except*", "AsyncFor": "async for", "AsyncWith": "async with",
             "AsyncFunctionDef": "async def", "ClassDef": "class", "Import": "import", "ImportFrom": "from ... import",
             "TypeAlias": "type"}

class Normalizer(Expressions, FunctionValues):
    """One ``visit_X`` a statement type; ``expr_X`` (s2s/normalize_expr.py) atomizes an expression type."""

    def __init__(self, ctx, namer):
        self.ctx = ctx
        self.namer = namer
        self.out = None       # statement list being filled
        self.stmt = None      # the user statement being normalized (for locations)
        self.local_fns = {}   # nested def / lambda name -> node, inlined at calls
        self.function_lists = {}   # fs = [lambda v: ..., np.sin]: fs -> its functions (s2s/function_values.py)
        self.partials = {}    # h = functools.partial(g, a): h -> (g, bound atoms, keywords) (s2s/desugar.py)
        self.sequences = desugar.sequence_names(ctx.node, ctx)   # names only ever bound to lists/tuples
        self.depth = 0
        self.shared = set()   # names that may share an array with another name (see aliasing.shared_names)
        self.copied = set()   # loop sequences bound to a fresh name, and that name (see sequence)
        self.holders = set()   # lists/dicts whose items may be arrays another name shares (aliasing.holders)
        self.from_subscript = set()   # items taken out of those by `lst[i] += v` (see visit_AugAssign)
        self.attribute_items = set()   # items taken out of an attribute by `obj.n += v` (see visit_AugAssign)

    # --- driver
    def normalize_body(self, stmts):
        saved = self.out
        self.out = []
        for s in stmts:
            self.stmt = s
            method = getattr(self, "visit_" + type(s).__name__, None)
            if method is None:
                raise self.ctx.error(s, f"`{_KEYWORDS.get(type(s).__name__, type(s).__name__)}` statements are not "
                                     "supported by s2s yet.",
                                     "Rewrite this statement, or move it out of the differentiated function.")
            method(s)
        out, self.out = self.out, saved
        return out

    def emit(self, node):
        if hasanno(self.stmt, "inlined") and not hasanno(node, "inlined"):   # (a callee's line, for errors)
            setanno(node, "inlined", getanno(self.stmt, "inlined"))
        self.out.append(gast.copy_location(node, self.stmt) if not hasattr(node, "lineno") else node)

    def fresh(self, base="t"):
        return self.namer.name(base)

    def bind(self, value, base="t"):
        """Emit ``t = value`` and return the Name t."""
        t = self.fresh(base)
        self.emit(_assign(t, value, self.stmt))
        return _name(t)

    # --- statements
    def visit_Assign(self, node):
        value = node.value
        if len(node.targets) > 1:
            value = self.atom(value)
        for target in node.targets:
            if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name) \
                    and isinstance(target.slice, gast.Slice) and self._list_name(target.value.id):
                raise self.ctx.error(node, f"assigning a slice of the list `{target.value.id}` (which may change its "
                                     "length) is not supported by s2s.",
                                     f"Build a new list instead: `{target.value.id} = "
                                     f"{target.value.id}[:i] + [...] + {target.value.id}[j:]`.")
            self.assign(target, value)

    def _list_name(self, name):
        """Every binding of ``name`` in the function is a list display, comprehension or list(...) call."""
        values = [n.value for n in astutil.walk_bfs(self.ctx.node) if isinstance(n, gast.Assign)
                  and any(isinstance(t, gast.Name) and t.id == name for t in n.targets)]
        args = self.ctx.node.args
        params = {a.id for a in args.args + args.posonlyargs + args.kwonlyargs}
        return bool(values) and name not in params and all(
            isinstance(v, (gast.List, gast.ListComp)) or isinstance(v, gast.Call) and self.ctx.resolve(v.func) is list
            for v in values)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.assign(node.target, node.value)

    def visit_FunctionDef(self, node):
        if node.decorator_list:
            raise self.ctx.error(node, "decorated nested functions are not supported by s2s.",
                                 "Define the function at module level.")
        self.local_fns[node.name] = node  # inlined where it is called

    def assign(self, target, value):
        if isinstance(target, gast.Name) and isinstance(value, gast.Lambda):
            self.local_fns[target.id] = value
            return
        if self.function_list_assign(target, value):   # fs = [lambda v: 2 * v, np.sin]: s2s/function_values.py
            return
        if isinstance(target, gast.Name) and isinstance(value, gast.Name) and value.id in self.local_fns:
            self.local_fns[target.id] = self.local_fns[value.id]   # g = act: the same function, inlined where called
            return
        item = self.function_list_item(value) if isinstance(target, gast.Name) else None
        if item is not None:   # g = fs[0]
            if isinstance(item, gast.Name) and item.id in self.local_fns:
                self.local_fns[target.id] = self.local_fns[item.id]
                return
            value = item
        if isinstance(target, gast.Name) and (desugar.partial_assignment(self, target.id, value)
                                              or desugar.vectorize_assignment(self, target.id, value)):
            return
        if isinstance(target, gast.Name):
            value = self.op(value)
            if isinstance(value, gast.Name) and value.id == target.id:
                return  # x = x
            if not isinstance(value, gast.Name) and target.id in _names_read(value):
                value = self.bind(value, target.id)  # x = x * y -> x_1 = x * y; x = x_1
            self.emit(_assign(target.id, value, self.stmt))
        elif isinstance(target, (gast.Tuple, gast.List)):
            self.unpack(target, value)
        elif isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            v = self.atom(value)
            sub = gast.Subscript(value=target.value, slice=self.index(target.slice), ctx=gast.Store())
            self.emit(gast.Assign(targets=[sub], value=v, type_comment=None))
        else:
            self.emit(gast.Assign(targets=[target], value=value, type_comment=None))  # opaque write

    def unpack(self, target, value):
        if any(isinstance(e, gast.Starred) for e in target.elts):
            return self.unpack_starred(target, value)
        if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts) \
                and not any(isinstance(e, gast.Starred) for e in value.elts):
            parts = [self.atom(e) for e in value.elts]
            parts = [self.bind(p) if isinstance(p, gast.Name) else p for p in parts]  # a, b = b, a
        else:
            if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) \
                    and value.func.attr in ("values", "items", "keys") and not value.args:
                # W, b = params.values(): a dict view is not indexable; list(...) of it is what unpacking walks
                value = gast.Call(func=runtime_name("list"), args=[self.atom(value)], keywords=[])
            seq = self.atom(value)
            parts = [gast.Subscript(value=seq, slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
                     for i in range(len(target.elts))]
        names = [e.id for e in target.elts if isinstance(e, gast.Name)]
        # u, un = un, u: the names exchange their values, and neither shares the other's afterwards
        swap = isinstance(value, (gast.Tuple, gast.List)) and len(set(names)) == len(target.elts) \
            and all(isinstance(e, gast.Name) for e in value.elts) and sorted(e.id for e in value.elts) == sorted(names)
        for t, p in zip(target.elts, parts):
            start = len(self.out)
            self.assign(t, p)
            for st in self.out[start:] if swap else ():
                setanno(st, "swap", frozenset(names))

    def unpack_starred(self, target, value):
        """``m, *rest, z = xs``: ``m = s[0]``, ``rest = list(s[1:-1])``, ``z = s[-1]`` (a list, as Python makes
        it)."""
        star = next(i for i, e in enumerate(target.elts) if isinstance(e, gast.Starred))
        after = len(target.elts) - star - 1
        if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) \
                and value.func.attr in ("values", "items", "keys") and not value.args:
            value = gast.Call(func=runtime_name("list"), args=[self.atom(value)], keywords=[])
        seq = self.atom(value)

        def item(i):
            return gast.Subscript(value=seq, slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
        rest = gast.Slice(lower=gast.Constant(value=star, kind=None),
                          upper=gast.Constant(value=-after, kind=None) if after else None, step=None)
        parts = [item(i) for i in range(star)] + \
            [gast.Call(func=runtime_name("list"), args=[gast.Subscript(value=seq, slice=rest, ctx=gast.Load())],
                       keywords=[])] + [item(j - after) for j in range(after)]
        for t, p in zip(target.elts, parts):
            self.assign(t.value if isinstance(t, gast.Starred) else t, p)

    def visit_AugAssign(self, node):
        target = node.target
        if isinstance(target, gast.Name) and target.id in self.shared:
            # x += v changes an array in place, and with it every name sharing its memory (b = x,
            # v = x[::2]): x[...] = x + v for an array, x = x + v for a number (isinstance decides)
            value = self.op(gast.BinOp(left=_name(target.id), op=node.op, right=node.value))
            new = self.bind(value, target.id)
            isarray = gast.Call(func=runtime_name("isinstance", isinstance),
                                args=[_name(target.id), runtime_name("ndarray", np.ndarray)], keywords=[])
            cond = self.bind(isarray, "cond")
            store = gast.Subscript(value=_name(target.id), slice=gast.Constant(value=Ellipsis, kind=None),
                                   ctx=gast.Store())
            rebind = _assign(target.id, new, self.stmt)
            setanno(rebind, "aug")
            write = gast.copy_location(gast.Assign(targets=[store], value=new, type_comment=None), self.stmt)
            setanno(write, "aug")
            write = _array_case(self, target.id, write)
            self.emit(gast.If(test=cond, body=[write], orelse=[rebind]))
        elif isinstance(target, gast.Name):
            load = _name(target.id)
            start = len(self.out)
            self.assign(target, gast.BinOp(left=load, op=node.op, right=node.value))
            for st in self.out[start:]:
                setanno(st, "aug")
        elif isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name) \
                and target.value.id in self.holders:
            # lst[i] += v, when the item may be an array another name shares (lst = [y]): Python changes the
            # item in place (y.__iadd__), so y changes too. Written as Python runs it: item = lst[i]; item += v
            # (in place on an array: refused by the transforms when a derivative flows, see refusals.py);
            # lst[i] = item
            idx = self.index(target.slice)
            item = self.bind(gast.Subscript(value=target.value, slice=idx, ctx=gast.Load()), "item")
            self.shared.add(item.id)
            self.from_subscript.add(item.id)
            self.visit_AugAssign(gast.AugAssign(target=_name(item.id, gast.Store()), op=node.op, value=node.value))
            for st in self.out[-1].body + self.out[-1].orelse:
                setanno(st, "held", target.value.id)
            self.emit(gast.Assign(targets=[gast.Subscript(value=target.value, slice=idx, ctx=gast.Store())],
                                  value=item, type_comment=None))
        elif isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            idx = self.index(target.slice)
            old = self.bind(gast.Subscript(value=target.value, slice=idx, ctx=gast.Load()))
            new = self.bind(gast.BinOp(left=old, op=node.op, right=self.atom(node.value)))
            self.emit(gast.Assign(targets=[gast.Subscript(value=target.value, slice=idx, ctx=gast.Store())],
                                  value=new, type_comment=None))
        elif isinstance(target, gast.Attribute):
            # counter.n += 1, as Python runs it: item = counter.n; item += 1 (in place on an array, which any
            # name sharing it sees); counter.n = item
            obj = target.value if is_atom(target.value, self.ctx) else self.atom(target.value)
            item = self.bind(gast.Attribute(value=obj, attr=target.attr, ctx=gast.Load()), "item")
            self.shared.add(item.id)
            self.attribute_items.add(item.id)
            self.from_subscript.add(item.id)
            self.visit_AugAssign(gast.AugAssign(target=_name(item.id, gast.Store()), op=node.op, value=node.value))
            self.emit(gast.Assign(targets=[gast.Attribute(value=copy.deepcopy(obj), attr=target.attr,
                                                          ctx=gast.Store())], value=item, type_comment=None))
        else:
            raise self.ctx.error(node, "augmented assignment to this kind of target is not supported by s2s yet.")

    def visit_If(self, node):
        c = self.bind(node.test if isinstance(node.test, (gast.Compare, gast.BoolOp, gast.UnaryOp))
                      else self.op(node.test), "cond")
        self.emit(gast.If(test=c, body=self.normalize_body(node.body) or [gast.Pass()],
                          orelse=self.normalize_body(node.orelse)))

    def visit_For(self, node):
        unrolled = self.unrolled(node)   # over a list of lambdas / nested defs: once per function
        if unrolled is not None:
            for st in self.normalize_body(unrolled):
                self.emit(st)
            return
        if node.orelse:
            raise self.ctx.error(node, "`for ... else` is not supported by s2s yet.", "Use a flag variable instead.")
        it = desugar.star_zip(self, node.target, node.iter) or node.iter   # zip(*t): zip(t[0], t[1])
        plain = desugar.loop_keywords(self, it)[0]   # enumerate(xs, start=1), zip(a, b, strict=True)
        fn = self.ctx.resolve(plain.func) if isinstance(plain, gast.Call) and not plain.keywords else None
        # names bound to the items (`for i, e in enumerate(x)`: e; indexing x by the counter i is positional)
        items = node.target.elts[1] if fn is enumerate and isinstance(node.target, gast.Tuple) \
            and len(node.target.elts) == 2 else node.target
        self._loop_targets = {n.id for n in astutil.walk_bfs(items) if isinstance(n, gast.Name)}
        if fn is range and isinstance(node.target, gast.Name):
            r = self.bind(self.op(it), "r")
            self.loop(node.target, r, [], node)
            return
        # any other iterable becomes an index loop: for k in range(n): target = seq[k]
        k = self.fresh("k")
        if fn is reversed and len(it.args) == 1:
            seq = self.sequence(it.args[0], node.body)
            n = self.call("len", [seq], "n")
            last = self.bind(gast.BinOp(left=n, op=gast.Sub(), right=gast.Constant(value=1, kind=None)))
            item = _sub(seq, k)
            r = self.call("range", [last, gast.Constant(value=-1, kind=None), gast.Constant(value=-1, kind=None)], "r")
        else:   # enumerate and zip, nested as in enumerate(zip(a, b)), index their sequences in step
            n, item = self.indexed(it, k, node.body)
            r = self.call("range", [n], "r")
        first = gast.copy_location(gast.Assign(targets=[node.target], value=item, type_comment=None), node)
        self.loop(_name(k, gast.Store()), r, [first], node)

    def indexed(self, it, k, body):
        """(length, item at index k) of the iterable ``it`` of a for loop: enumerate(...) and zip(...)
        give tuples of the items of their arguments (recursively), anything else ``seq[k]``."""
        return self._indexed(self._sequences(it, body), k)

    def _sequences(self, it, body):
        it, strict = desugar.loop_keywords(self, it)
        fn = self.ctx.resolve(it.func) if isinstance(it, gast.Call) and not it.keywords \
            and not any(isinstance(a, gast.Starred) for a in it.args) else None
        if fn is enumerate and 1 <= len(it.args) <= 2:
            return ("enumerate", self._sequences(it.args[0], body), it.args[1:])
        if fn is zip and it.args:
            return ("zip", [self._sequences(a, body) for a in it.args], strict)
        if fn is reversed and len(it.args) == 1:   # zip(reversed(xs), ys): xs read from its end
            seq = self.sequence(it.args[0], body)
            n = self.call("len", [seq], "n")
            return ("reversed", seq, n, self.bind(gast.BinOp(left=n, op=gast.Sub(),
                                                             right=gast.Constant(value=1, kind=None))))
        return ("seq", self.sequence(it, body))

    def _indexed(self, tree, k):
        if tree[0] == "enumerate":
            n, inner = self._indexed(tree[1], k)
            i = _name(k) if not tree[2] else gast.BinOp(left=_name(k), op=gast.Add(), right=tree[2][0])
            return n, gast.Tuple(elts=[i, inner], ctx=gast.Load())
        if tree[0] == "zip":
            parts = [self._indexed(t, k) for t in tree[1]]
            n = parts[0][0] if len(parts) == 1 else self.call("min", [p[0] for p in parts], "n")
            if tree[2] is not None and len(parts) > 1:   # zip(..., strict=s): ValueError on unequal lengths
                n = self.bind(gast.Call(func=runtime_name("strict_length", desugar.strict_length),
                                        args=[self.atom(tree[2])] + [p[0] for p in parts], keywords=[]), "n")
            return n, gast.Tuple(elts=[p[1] for p in parts], ctx=gast.Load())
        if tree[0] == "reversed":
            return tree[2], gast.Subscript(value=tree[1], slice=gast.BinOp(left=tree[3], op=gast.Sub(),
                                                                           right=_name(k)), ctx=gast.Load())
        return self.call("len", [tree[1]], "n"), _sub(tree[1], k)

    def sequence(self, it, body=()):
        """An atom holding ``it`` as an indexable sequence (the object the loop started with)."""
        if isinstance(it, (gast.Set, gast.SetComp, gast.Dict, gast.DictComp)):   # for i in {0, 2}: no indexing
            return self.bind(gast.Call(func=runtime_name("list"), args=[self.atom(it)], keywords=[]), "seq")
        if isinstance(it, gast.Name) and self._mapping_like(it.id, body):
            # for k in d (a dict, a set, or a name the body indexes by what it yields: params[k]):
            # iterating yields keys, not d[0], d[1], ...; list(d) is what the loop walks
            return self.bind(gast.Call(func=runtime_name("list"), args=[it], keywords=[]), "seq")
        if isinstance(it, gast.Name):
            if it.id not in _stored(body):
                return it
            seq = self.bind(it, "seq")   # the body rebinds the name: iterate what it held at the start
            self.copied |= {it.id, seq.id}   # ... the same object (x += e changes both)
            return seq
        value = self.op(it)
        if isinstance(value, gast.Call) and not isinstance(it, (gast.List, gast.Tuple)):
            fn = self.ctx.resolve(value.func)
            if not (isinstance(fn, type) and fn in (list, tuple)) and fn is not sorted \
                    and (getattr(fn, "__module__", "") != "numpy" or fn is np.ndindex) \
                    and type(fn).__name__ != "ufunc":   # (np.ndindex(shape): an iterator of index tuples)
                value = gast.Call(func=runtime_name("list"), args=[self.atom(value)], keywords=[])
        return self.bind(value, "seq")

    def _mapping_like(self, name, body):
        """``name`` surely or probably is a mapping or a set: assigned a dict or set display, comprehension
        or dict()/set() call in this function, or indexed by a name in the loop ``body`` (``params[k]``)."""
        for n in astutil.walk_bfs(self.ctx.node):
            if isinstance(n, gast.Assign) and any(isinstance(t, gast.Name) and t.id == name for t in n.targets):
                for v in (n.value.body, n.value.orelse) if isinstance(n.value, gast.IfExp) else (n.value,):
                    if isinstance(v, (gast.Dict, gast.DictComp, gast.Set, gast.SetComp)) or isinstance(v, gast.Call) \
                            and self.ctx.resolve(v.func) in (dict, set, frozenset) or _dict_view(v):
                        return True   # (it = d.items(): a view, not indexable; list(it) is what the loop walks)
        return any(isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name) and n.value.id == name
                   and isinstance(n.slice, gast.Name) and n.slice.id in getattr(self, "_loop_targets", ())
                   for st in body for n in astutil.walk_bfs(st))

    def call(self, fname, args, base):
        return self.bind(gast.Call(func=runtime_name(fname), args=args, keywords=[]), base)

    def loop(self, target, r, prefix, node):
        body = self.normalize_body(prefix + node.body) or [gast.Pass()]
        loop = gast.copy_location(gast.For(target=target, iter=r, body=body, orelse=[], type_comment=None), node)
        setanno(loop, BREAKS, getanno(node, BREAKS, False))
        if hasanno(node, checkpointing.MARK):   # with s2s.checkpoint(...) around it
            setanno(r, checkpointing.MARK, getanno(node, checkpointing.MARK))
        self.emit(loop)

    def visit_While(self, node):
        if node.orelse:
            raise self.ctx.error(node, "`while ... else` is not supported by s2s yet.", "Use a flag variable instead.")
        loop = gast.copy_location(gast.While(test=node.test, body=self.normalize_body(node.body) or [gast.Pass()],
                                             orelse=[]), node)
        setanno(loop, BREAKS, getanno(node, BREAKS, False))
        self.emit(loop)

    def visit_Return(self, node):
        value = node.value if node.value is not None else gast.Constant(value=None, kind=None)
        if isinstance(value, gast.Name):
            self.emit(gast.Return(value=value))
        else:
            self.emit(gast.Return(value=self.bind(self.op(value), "result")))

    def visit_Expr(self, node):
        if isinstance(node.value, gast.Constant):
            return  # docstring or bare constant
        call = node.value
        if isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) \
                and isinstance(call.func.value, gast.Name) and call.func.value.id in self.ctx.locals:
            self.emit(gast.Expr(value=self.expr_Call(call)))  # lst.append(x * 2) -> t = x * 2; lst.append(t)
        elif not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name) and call.func.id in self.local_fns):
            self.emit(node)
        else:   # add(v): a nested def called for its effect (nonlocal total), inlined
            self.expr_Call(call)

    def visit_Pass(self, node):
        pass

    def visit_Assert(self, node):
        self.emit(node)

    visit_Raise = visit_Assert
    visit_Import = visit_Assert
    visit_ImportFrom = visit_Assert

    visit_With = visit_Assert   # checked by the transform (only insert_grad_of is supported)
    visit_Break = visit_Continue = visit_Assert

    def visit_Global(self, node):
        raise self.ctx.error(node, "`global` writes are not supported by s2s.",
                             "Pass the value in as an argument and return the new value.")

    def visit_Nonlocal(self, node):
        raise self.ctx.error(node, "`nonlocal` writes are not supported by s2s.",
                             "Pass the value in as an argument and return the new value.")

    def visit_Try(self, node):
        raise self.ctx.error(node, "`try` statements are not supported by s2s.",
                             "Move the try/except outside the differentiated function.")

    visit_TryStar = visit_Try


def _dict_view(v):
    return isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) and not v.args and not v.keywords \
        and v.func.attr in ("items", "values", "keys")


def normalize(ctx):
    """Return (FunctionDef in core form, Namer) for ctx's function."""
    fn = ctx.node
    namer = ctx.namer   # (built here, from the function as parsed: its names, and the globals it reads)
    live_views.live_views(fn, ctx)   # vals = d.values(): d.values() where read; for v in xs: xs.append(..) refused
    effect_exprs.effect_statements(fn, ctx, namer)   # [acc.append(v) for v in x]: a for loop; y.fill(v) if c: refused
    desugar.module_globals(fn, ctx)   # global n; n += 1: module_globals["n"] += 1
    desugar.inplace_operators(fn, ctx)   # acc += v, acc an object of the user's with __iadd__: acc.__iadd__(v)
    match_stmt.match_statements(fn, ctx, namer)   # match/case: the if chain it means
    sugar.loop_else(fn, ctx, namer)   # for ... else: a flag set before each break
    user_operators.user_operators(fn, ctx)   # Vec(a, b) + w, an object of the user's: Vec(a, b).__add__(w)
    sugar.hoist_walrus(fn, ctx)   # y = (n := v) + n: n = v first
    lazy_values.bind_defaults(fn, namer)   # def g(t, w=w): w read where g is defined (w_default = w first)
    record_aliases.check(fn, ctx)   # q = p; p.w = v; q.w: refused (the write is followed through p only)
    lazy_values.check(fn, ctx)   # terms = (v * w for v in x); w = 5.0; sum(terms): refused (s2s is eager)
    sugar.constant_getattr(fn, ctx)   # getattr(p, "W"): p.W
    sugar.dict_methods(fn, ctx, namer)   # d.update(p), d.setdefault(k, v), dict(p): item writes, displays
    pyitertools.substitute(fn, ctx)   # itertools.pairwise(xs): a generator of s2s/pyitertools.py, inlined below
    pynumpy.substitute(fn, ctx)   # np.apply_along_axis(f, 1, X): Python s2s reads, inlined with f
    lowering.lower(ctx, fn, namer)   # try, generators, callees changing arguments, refused branches (s2s/lowering.py)
    for n in astutil.walk_bfs(fn):
        if isinstance(n, (gast.Yield, gast.YieldFrom)):
            sent = any(isinstance(a, (gast.Assign, gast.AugAssign)) and a.value is n for a in astutil.walk_bfs(fn))
            raise ctx.error(n, "values sent into a generator (`x = yield`, `.send`) cannot be differentiated."
                            if sent else
                            "generators (`yield`) cannot be differentiated here: s2s inlines a generator of yours "
                            "where a `for` loop, `list(...)`, a comprehension, `zip(...)` or `next(...)` consumes it, "
                            "when it is finite and draws no random numbers (this one is called some other way).",
                            "Pass the values in as arguments instead." if sent else
                            "Append the items to a list and return it (`out.append(v)` for `yield v`, then "
                            "`return out`).")
        if isinstance(n, gast.Await):
            raise ctx.error(n, "`await` cannot be differentiated.")
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id in ("exec", "eval") \
                and ctx.resolve_name(n.func.id) in (exec, eval):
            raise ctx.error(n, f"`{n.func.id}` cannot be differentiated: s2s needs to see the code as source.",
                            "Write the code out in the function instead.")
    checkpointing.mark_blocks(fn, ctx)
    _put_along_axis_writes(fn, ctx, namer)
    body = fn.body
    prologue = []
    # A helper called from generated code (a split pair's forward half) writes into what it is given, as its
    # primal does: the caller copied its own arguments already (fuzz seed 50005893: a copy here hid the write).
    through = getattr(ctx, "writes_through", False)
    # a helper writes into what it is given: copy our arguments deeply
    deep = not through and effects.callees_mutate(ctx, fn)   # (helpers: no walk of their callees)
    returned = effects_returns.call_aliases(body, ctx)   # a = first(q): a may be part of q
    assigned = _stored(body)   # (renaming one parameter below leaves the others' stores as they are)
    in_place = _writes_in_place(body)   # without any, no parameter is changed in place
    # keyword-only parameters too (a decorator's adapter has them), except a generated gradient's seeds
    kwonly = [] if getattr(ctx.fn, "s2s_generated", False) else [a.id for a in fn.args.kwonlyargs]
    for p in param_names(fn) + kwonly:
        if deep:
            alias = namer.local(p + "_")
            _rename(body, p, alias)
            value = gast.Call(func=runtime_name("copy_deep"), args=[_name(p)], keywords=[])
            prologue.append(gast.copy_location(_assign(alias, value, fn), fn.body[0]))
            continue
        mutated = in_place and effects.mutates(body, p, returned=returned)
        if mutated or p in assigned:
            alias = namer.local(p + "_")
            _rename(body, p, alias)
            # (a write into a value held inside p, `a = q[0]; a[1] = v`, needs a deep copy)
            copier = "copy_deep" if mutated == "deep" else "copy_value"
            value = gast.Call(func=runtime_name(copier), args=[_name(p)], keywords=[]) \
                if mutated and not through else _name(p)
            prologue.append(gast.copy_location(_assign(alias, value, fn), fn.body[0]))
    copied, from_subscript = aliasing.aliases(body, ctx)
    # (generated gradients, differentiated again, accumulate into adjoints they made private)
    shared = set() if getattr(ctx.fn, "s2s_generated", False) else aliasing.shared_names(body)
    if not getattr(ctx.fn, "s2s_generated", False):   # w = first(q), def first(a): return a[0]: w += v changes q
        shared |= {n for w, args in returned.items() for n in {w} | set(args)}
    body = JumpLowering(namer).function(body)
    norm = Normalizer(ctx, namer)
    norm.shared = shared
    norm.holders = aliasing.holders(body)
    norm.stmt = fn
    new_body = prologue + norm.normalize_body(body)
    mode = getattr(ctx, "mode", None)   # global numbers/arrays a call may change, read once (s2s/state_reads.py)
    if mode in ("reverse", "split"):
        new_body = state_reads.snapshot_reads(new_body, ctx, namer, always=mode == "split")
    for n in astutil.walk_bfs(gast.Module(body=new_body, type_ignores=[])):
        if isinstance(n, gast.Name) and (n.id in norm.local_fns or n.id in norm.partials) \
                and isinstance(n.ctx, gast.Load):
            raise ctx.error(n if hasattr(n, "lineno") else fn, f"the nested function {n.id!r} is used as a value; s2s "
                            f"differentiates a nested function where it is called: by name, through map, filter, "
                            f"functools.reduce or a function of this module it is passed to, or as an item of a list "
                            f"or tuple that is only looped over or indexed by a constant and called.",
                            "Call it directly, or define it at module level (a function value there is "
                            "differentiated when the call runs).")
        if isinstance(n, gast.Name) and n.id in norm.function_lists and isinstance(n.ctx, gast.Load):
            raise ctx.error(n if hasattr(n, "lineno") else fn, f"the list of functions `{n.id}` is used here in a way "
                            "s2s cannot write as direct calls of its functions.",
                            f"Loop over `{n.id}` (`for g in {n.id}:`), or call its items by a constant index "
                            f"(`{n.id}[0](x)`).")
        if isinstance(n, gast.Lambda):
            from .codegen import expr_source
            which = f" (`{expr_source(n)}`" + (f", column {n.col_offset + 1})" if hasattr(n, "col_offset") else ")")
            raise ctx.error(n, f"a lambda used as a value here cannot be differentiated{which}: s2s differentiates "
                            "a lambda where it is called: assigned to a name and called, passed to map, filter, "
                            "functools.reduce or a function of this module, or as an item of a list or tuple that "
                            "is only looped over or indexed by a constant and called.",
                            "Call it where it is defined, or define the function at module level (a function value "
                            "there is differentiated when the call runs).")
    new = gast.FunctionDef(name=fn.name, args=fn.args, body=new_body, decorator_list=[], returns=None,
                           type_comment=None, type_params=[])
    gast.copy_location(new, fn)
    setanno(new, "aliases", (frozenset(copied | norm.copied), frozenset(from_subscript | norm.from_subscript)))
    namer.declare(n.id for n in astutil.walk_bfs(new) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store))
    return new, namer


def _put_along_axis_writes(fn, ctx, namer):
    """``np.put_along_axis(y, idx, v, axis)`` on a local array is, by NumPy's definition, a subscript write
    ``y[fancy] = v``; written so (each element once: runtime.along_axis_index / along_axis_values), it is
    differentiated, copied when y is a parameter, and checked for aliases like any other write into y."""
    import inspect
    sig = inspect.signature(np.put_along_axis)
    aliased = None   # (found at the first call: most functions make none)
    for node in astutil.walk_bfs(fn):
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            out = []
            for st in stmts:
                call = st.value if isinstance(st, gast.Expr) else None
                try:
                    bound = sig.bind(*call.args, **{k.arg: k.value for k in call.keywords}) \
                        if isinstance(call, gast.Call) and ctx.resolve(call.func) is np.put_along_axis \
                        and not any(isinstance(a, gast.Starred) for a in call.args) else None
                except TypeError:
                    bound = None
                arr = bound.arguments["arr"] if bound is not None else None
                if aliased is None and isinstance(arr, gast.Name) and arr.id in ctx.locals:
                    # an array another name may share (b = y, b = y[0:2]) is left to the effects checks, which
                    # refuse the call: forward mode does not write such a write through to the other name's tangent
                    shared = aliasing.views(fn.body)
                    aliased = set(shared) | set().union(*shared.values()) if shared else set()
                if not (isinstance(arr, gast.Name) and arr.id in ctx.locals) or arr.id in aliased:
                    out.append(st)
                    continue
                where = []
                for key in ("indices", "axis"):
                    e = bound.arguments[key]
                    if not isinstance(e, ATOMS):
                        t = namer.name(key)
                        out.append(gast.copy_location(_assign(t, e, st), st))
                        e = _name(t)
                    where.append(e)
                index = gast.Call(func=runtime_name("along_axis_index"), args=[_name(arr.id)] + where, keywords=[])
                values = gast.Call(func=runtime_name("along_axis_values"),
                                   args=[bound.arguments["values"], _name(arr.id)] + where, keywords=[])
                target = gast.Subscript(value=_name(arr.id), slice=index, ctx=gast.Store())
                out.append(gast.copy_location(gast.Assign(targets=[target], value=values, type_comment=None), st))
            stmts[:] = out


def _writes_in_place(stmts):
    """Whether ``stmts`` hold any statement that effects.mutates counts as a write in place (``x[i] = v``,
    ``del x[i]``, ``x += v``, ``x.append(v)``): without one, it finds no name changed."""
    for s in stmts:
        for n in astutil.walk(s):
            if isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, (gast.Store, gast.Del)) \
                    or isinstance(n, gast.AugAssign) or isinstance(n, gast.Call) \
                    and isinstance(n.func, gast.Attribute) and n.func.attr in effects.MUTATING_METHODS:
                return True
    return False


def _stored(stmts):
    return {n.id for s in stmts for n in astutil.walk(s) if type(n) is gast.Name and isinstance(n.ctx, gast.Store)}


def _names_read(tree):
    return {n.id for n in astutil.walk_bfs(tree) if isinstance(n, gast.Name)}


def _rename(stmts, old, new):
    for s in stmts:
        for n in astutil.walk_bfs(s):
            if isinstance(n, gast.Name) and n.id == old:
                n.id = new


def _array_case(norm, name, write):
    """``write`` (``item[...] = new``, the array case of ``obj.n += v``), or the refusal raised where it runs when
    compile_retrying pruned it (``self.calls += 1`` on an object others see: a number is rebound, which s2s
    follows; only an array there changes in place)."""
    refused = control.pruned_line(norm.ctx.fn, getattr(norm.stmt, "lineno", None)) \
        if name in norm.attribute_items else None
    return gast.copy_location(control.raise_stmt(refused), norm.stmt) if refused is not None else write
