"""A flow-sensitive "may share storage" analysis over a core-form body, refusing an in-place write into an
object that another variable, container slot, record field or a later read of the caller's argument may
also reach (where s2s would not follow the write).

Run once per compiled function (s2s/compiler.py ``build``, after normalize and fold_aliases), for every
mode. Abstract objects:

- ``("alloc", site, age, kind)``: what an expression at ``site`` made (``kind`` "array", "container" or
  "unknown"); ``age`` "new" for the latest one made there, "old" for the earlier ones (a loop's buffer
  made at the top of each step is a new object each time: ``row = np.zeros(3); row[0] = v; rows.append(row)``);
- ``("param", name)``, ``("global", name)``: the caller's objects;
- ``("part", parent, key)``: a view, element or field of ``parent`` (``key`` an attribute, a constant
  index or "*").

A container's items are its ``contents`` (``lst = [y]``: y's objects). At each in-place write (``x[i] = v``,
``x += v`` on an array, ``c[i] += v`` on an item, ``x.fill(v)``, ``np.copyto(x, v)``, ``out=x``,
``overwrite_b=True``, a view as target ``A.reshape(-1)[1] = v``, a function of yours writing into its
argument's items) the objects written are checked against every variable read afterwards (aliasing.live_after)
other than the written name itself: if one may reach an object sharing storage with them, the write is
refused, naming the user's line and giving a fix. Unknown means "may share".
"""
import ast
import inspect

import gast
import numpy as np

from . import aliasing, effect_checks
from .anno import getanno

_IMMUTABLE_CALLS = frozenset({"len", "isinstance", "float", "int", "bool", "abs", "round", "range", "print", "str",
                              "repr", "hasattr", "id", "type", "callable", "issubclass", "divmod", "pow", "complex",
                              "hash", "format", "all", "any", "sum", "ord", "chr"})
_CONTAINER_CALLS = frozenset({"list", "tuple", "dict", "sorted", "reversed", "zip", "enumerate", "iter", "map",
                              "filter", "set", "frozenset", "concat"})
_ELEMENT_CALLS = frozenset({"min", "max", "next"})
_FRESH_METHODS = aliasing._FRESH_METHODS | {"item", "tolist", "astype", "dot", "all", "any", "argmax", "argmin",
                                            "nonzero", "argsort", "count", "index", "keys", "__len__"}
_VIEW_METHODS = aliasing.VIEW_METHODS
_ELEMENT_METHODS = frozenset({"get", "setdefault", "pop", "popitem", "__getitem__"})
_CONTAINER_METHODS = frozenset({"values", "items"})
_STORE_METHODS = frozenset({"append", "insert", "add", "appendleft"})
_EXTEND_METHODS = frozenset({"extend", "update", "extendleft"})
_ARRAY_IN_PLACE_METHODS = frozenset({"fill", "sort", "put", "resize", "itemset", "partition", "setfield", "byteswap",
                                     "__iadd__", "__isub__", "__imul__", "__itruediv__"})
_NUMPY_VIEWS = {f.__name__ for f in aliasing.VIEW_FUNCTIONS} | {"split", "array_split", "hsplit", "vsplit",
                                                                "dsplit", "broadcast_arrays", "unstack"}


class Refused(Exception):
    pass


def _root(o):
    while o[0] == "part":
        o = o[1]
    return o


def _chain(o):
    keys = []
    while o[0] == "part":
        keys.append(o[2])
        o = o[1]
    return o, keys[::-1]


def overlap(a, b):
    """True if writing into object ``a`` may change what object ``b`` holds (or the other way round)."""
    ra, ka = _chain(a)
    rb, kb = _chain(b)
    if ra != rb:
        return False
    return all(x == y or x == "*" or y == "*" for x, y in zip(ka, kb))


class State:
    def __init__(self, pts=None, contents=None):
        self.pts = dict(pts or {})
        self.contents = dict(contents or {})

    def copy(self):
        return State(self.pts, self.contents)

    def join(self, other):
        out = self.copy()
        for k, v in other.pts.items():
            out.pts[k] = out.pts.get(k, frozenset()) | v
        for k, v in other.contents.items():
            out.contents[k] = out.contents.get(k, frozenset()) | v
        return out

    def key(self):
        return (frozenset(self.pts.items()), frozenset(self.contents.items()))

    def age(self, match):
        """Every object made at a site ``match`` accepts becomes "old" (a new one is being made there)."""
        def ren(o):
            if o[0] == "part":
                return ("part", ren(o[1]), o[2])
            if o[0] == "alloc" and o[2] == "new" and match(o[1]):
                return ("alloc", o[1], "old", o[3])
            return o

        def rens(s):
            return frozenset(ren(o) for o in s)
        self.pts = {k: rens(v) for k, v in self.pts.items()}
        merged = {}
        for k, v in self.contents.items():
            k2 = ren(k)
            merged[k2] = merged.get(k2, frozenset()) | rens(v)
        self.contents = merged


def keys(states):
    return frozenset(st.key() for st in states)


def merge(states, cap=8):
    """``states`` without repeats; joined into one when there are more than ``cap``."""
    seen, out = set(), []
    for st in states:
        k = st.key()
        if k not in seen:
            seen.add(k)
            out.append(st)
    if len(out) > cap:
        one = out[0]
        for st in out[1:]:
            one = one.join(st)
        out = [one]
    return out


def _loop_sequences(fn):
    """{name: ids of the statements in its loop} for names read only as ``seq[k]`` inside one loop (``k``
    its counter) and as ``len(seq)``: the snapshot normalize iterates (``for k, v in p.items()``); an item
    written in place in one step of that loop is read through it in that step only, before the write."""
    loops, bad = {}, set()

    def visit(node, loop):
        for child in gast.iter_child_nodes(node):
            if isinstance(child, gast.For) and isinstance(child.target, gast.Name):
                visit(child.iter, loop)
                for st in child.body + child.orelse:
                    visit(st, child)
                continue
            if isinstance(child, gast.Subscript) and isinstance(child.value, gast.Name) \
                    and isinstance(child.value.ctx, gast.Load):
                name = child.value.id
                if loop is None or not (isinstance(child.slice, gast.Name) and child.slice.id == loop.target.id) \
                        or loops.setdefault(name, loop) is not loop:
                    bad.add(name)
                visit(child.slice, loop)
                continue
            if isinstance(child, gast.Call) and isinstance(child.func, gast.Name) and child.func.id == "len" \
                    and len(child.args) == 1 and isinstance(child.args[0], gast.Name):
                continue
            if isinstance(child, gast.Name) and isinstance(child.ctx, gast.Load):
                bad.add(child.id)
            visit(child, loop)
    visit(fn, None)
    return {n: {id(x) for x in gast.walk(loop)} for n, loop in loops.items() if n not in bad}


def _is_container(o):
    return o[0] == "alloc" and o[3] == "container"


class Analysis:
    """The analysis of one function (``fn``: its core FunctionDef; ``ctx``: its parsed context)."""

    def __init__(self, fn, ctx, summaries=None, check=True):
        self.fn, self.ctx, self.check = fn, ctx, check
        self.summaries = summaries if summaries is not None else {}
        self.live = aliasing.live_after(fn.body) if check else {}
        self.writes = set()      # (summary) objects written in place
        self.returns = frozenset()
        self.end = None          # (summary) the join of the states at the returns
        self.aug_lines = _aug_lines(ctx)

    # ------------------------------------------------------------------ expressions

    def names(self, st, name):
        if name in st.pts:
            return st.pts[name]
        if name in self.params:
            return frozenset({("param", name)})
        return frozenset({("global", name)})

    def elems(self, st, objs):
        out = set()
        for o in objs:
            out |= st.contents.get(o, frozenset())
            if not _is_container(o):
                out.add(("part", o, "*"))
        return frozenset(out)

    def read(self, st, objs, key):
        out = set()
        for o in objs:
            out |= st.contents.get(o, frozenset())
            if not _is_container(o):
                out.add(("part", o, key))
        return frozenset(out)

    def alloc(self, st, node, kind, contents=frozenset()):
        site = node if isinstance(node, tuple) else id(node)
        st.age(lambda s: s == site)
        o = ("alloc", site, "new", kind)
        if contents:
            st.contents[o] = st.contents.get(o, frozenset()) | frozenset(contents)
        return frozenset({o})

    def eval(self, st, e):
        if e is None or isinstance(e, gast.Constant):
            return frozenset()
        if isinstance(e, gast.Name):
            return self.names(st, e.id)
        if isinstance(e, (gast.BinOp, gast.UnaryOp, gast.Compare)):
            parts = [self.eval(st, c) for c in gast.iter_child_nodes(e) if isinstance(c, gast.expr)]
            if isinstance(e, gast.BinOp) and any(_is_container(o) for p in parts for o in p):   # lst + [v]
                return self.alloc(st, e, "container", self.elems(st, frozenset().union(*parts))) \
                    | self.alloc(st, ("op", id(e)), "array")
            return self.alloc(st, e, "array")
        if isinstance(e, gast.BoolOp):
            return frozenset().union(*(self.eval(st, v) for v in e.values))
        if isinstance(e, gast.IfExp):
            self.eval(st, e.test)
            return self.eval(st, e.body) | self.eval(st, e.orelse)
        if isinstance(e, (gast.List, gast.Tuple, gast.Set)):
            held = set()
            for x in e.elts:
                held |= self.elems(st, self.eval(st, x.value)) if isinstance(x, gast.Starred) else self.eval(st, x)
            return self.alloc(st, e, "container", held)
        if isinstance(e, gast.Dict):
            held = set()
            for k, v in zip(e.keys, e.values):
                held |= self.eval(st, v) if k is not None else self.elems(st, self.eval(st, v))
            return self.alloc(st, e, "container", held)
        if isinstance(e, (gast.ListComp, gast.SetComp, gast.GeneratorExp, gast.DictComp)):
            held = set()
            for g in e.generators:
                held |= self.elems(st, self.eval(st, g.iter))
            held |= _names_objs(self, st, e)
            return self.alloc(st, e, "container", held)
        if isinstance(e, gast.Subscript):
            base = self.eval(st, e.value)
            self.eval(st, e.slice)
            key = e.slice.value if isinstance(e.slice, gast.Constant) and isinstance(e.slice.value, (int, str)) \
                else "*"
            return self.read(st, base, key)
        if isinstance(e, gast.Attribute):
            base = self.eval(st, e.value)
            if e.attr in _VIEW_METHODS:
                return frozenset(("part", o, "*") for o in base) | self.read(st, base, "*")
            return self.read(st, base, e.attr)
        if isinstance(e, gast.Call):
            return self.call(st, e)
        if isinstance(e, gast.Starred):
            return self.elems(st, self.eval(st, e.value))
        if isinstance(e, gast.Lambda):
            return self.alloc(st, e, "container", _names_objs(self, st, e))
        if isinstance(e, gast.Slice):
            for c in (e.lower, e.upper, e.step):
                self.eval(st, c)
            return frozenset()
        # anything else: whatever it reads
        return _names_objs(self, st, e)

    def resolve(self, func):
        obj = getanno(func, "obj", None)
        if obj is not None:
            return obj
        try:
            return self.ctx.resolve(func)
        except Exception:
            return None

    def call(self, st, e):
        args = [self.eval(st, a.value if isinstance(a, gast.Starred) else a) for a in e.args]
        kws = {k.arg: self.eval(st, k.value) for k in e.keywords}
        allargs = frozenset().union(*args, *kws.values()) if args or kws else frozenset()
        func = e.func
        fn = self.resolve(func)
        # writes into an argument
        target = aliasing.in_place_target(e, self.ctx)
        if target is not None:
            self.write(st, self.eval(st, target), e, _name_of(target), "call")
        for k in e.keywords:
            if k.arg and k.arg.startswith("overwrite_") and isinstance(k.value, gast.Constant) and k.value.value:
                which = k.arg[len("overwrite_"):]
                pos = {"a": 0, "b": 1}.get(which)
                expr = next((kw.value for kw in e.keywords if kw.arg == which), None)
                if expr is None and pos is not None and pos < len(e.args):
                    expr = e.args[pos]
                objs = self.eval(st, expr) if expr is not None else allargs
                self.write(st, objs, e, None, "overwrite")
        if fn is not None and getattr(fn, "__name__", None) == "shuffle" and e.args:
            self.write(st, args[0], e, None, "call")
        outs = kws.get("out")
        if isinstance(func, gast.Attribute) and not _is_module(self.resolve(func.value)):
            recv = self.eval(st, func.value)
            m = func.attr
            if m in _VIEW_METHODS:
                return frozenset(("part", o, "*") for o in recv) | self.read(st, recv, "*")
            if m == "astype" and any(k.arg == "copy" for k in e.keywords):
                return recv | self.alloc(st, e, "array")
            if m == "copy" and not e.args:
                objs = set()
                if any(_is_container(o) for o in recv):
                    objs |= self.alloc(st, e, "container", self.elems(st, recv))
                if any(not _is_container(o) for o in recv):
                    objs |= self.alloc(st, func, "array")
                return frozenset(objs)
            if m in _ELEMENT_METHODS:
                return self.elems(st, recv) | (args[1] if len(args) > 1 else frozenset())
            if m in _CONTAINER_METHODS:
                return self.alloc(st, e, "container", self.elems(st, recv))
            if m in _STORE_METHODS or m in _EXTEND_METHODS:
                held = frozenset().union(*args) if args else frozenset()
                if m in _EXTEND_METHODS:
                    held = self.elems(st, held)
                elif m == "insert" and len(args) > 1:
                    held = args[1]
                self.mutate(st, recv, _name_of(func.value))
                self.store(st, recv, held, e)
                return frozenset()
            if m in ("setdefault",):
                pass
            if m in _ARRAY_IN_PLACE_METHODS:
                arrays = frozenset(o for o in recv if not _is_container(o))
                if arrays:
                    self.write(st, arrays, e, _name_of(func.value), "method")
                return frozenset()
            if m in ("pop", "remove", "clear", "reverse", "popleft"):
                return self.elems(st, recv)
            if m in _FRESH_METHODS:
                return self.alloc(st, e, "array")
            if fn is not None and _is_numpy(fn):
                return self.alloc(st, e, "array")
            # an unknown method: its result may be (part of) its object or arguments
            return self.alloc(st, e, "unknown", self.elems(st, recv | allargs)) | self.elems(st, recv) \
                | recv | allargs
        name = getattr(fn, "__name__", None)
        if fn is None:
            return self.alloc(st, e, "unknown", allargs | self.elems(st, allargs)) | allargs
        if outs is not None:
            return outs
        if name in ("copy_deep", "deepcopy") and not _is_numpy(fn):   # nothing shared with the argument
            return self.alloc(st, e, "unknown", self.alloc(st, func, "unknown"))
        if name in ("copy_value", "copy") and not _is_numpy(fn):       # a shallow copy: the same items
            return self.alloc(st, e, "unknown", self.elems(st, allargs))
        if _is_numpy(fn) or isinstance(fn, np.ufunc):
            if fn in aliasing.VIEW_FUNCTIONS or name in _NUMPY_VIEWS:
                first = args[0] if args else frozenset()
                views = frozenset(("part", o, "*") for o in first) | first | self.elems(st, first)
                if name in _NUMPY_VIEWS - {f.__name__ for f in aliasing.VIEW_FUNCTIONS}:
                    return self.alloc(st, e, "container", views)
                return views | self.alloc(st, e, "array")
            if any(k.arg == "copy" for k in e.keywords):
                return allargs | self.alloc(st, e, "array")
            return self.alloc(st, e, "array")
        if name in _IMMUTABLE_CALLS and _is_builtin(fn):
            return self.alloc(st, e, "array") if name == "sum" else frozenset()
        if name in _CONTAINER_CALLS and (_is_builtin(fn) or name == "concat"):
            return self.alloc(st, e, "container", self.elems(st, allargs))
        if name in _ELEMENT_CALLS and _is_builtin(fn):
            return self.elems(st, allargs) | allargs
        if _is_s2s(fn) and name not in ("stop_gradient",) and getattr(fn, "s2s_pure", False):
            return self.alloc(st, e, "array")
        if isinstance(fn, type) and not _is_builtin(fn):   # a class of the user's: an object holding its arguments
            return self.alloc(st, e, "container", allargs)
        summary = self.summary(fn)
        if summary is not None:
            return self.apply(st, e, summary, args, kws)
        return self.alloc(st, e, "unknown", allargs | self.elems(st, allargs)) | allargs | self.elems(st, allargs)

    # ------------------------------------------------------------------ user functions

    def summary(self, fn):
        import types
        if not isinstance(fn, types.FunctionType) or getattr(fn, "s2s_generated", False):
            return None
        mod = (getattr(fn, "__module__", None) or "").split(".")[0]
        if mod in ("numpy", "scipy", "s2s", "templates", "builtins"):
            return None
        key = fn.__code__
        if key in self.summaries:
            return self.summaries[key]   # None while in progress: unknown
        self.summaries[key] = None
        try:
            if inspect.isgeneratorfunction(fn):
                raise Refused
            from .normalize import normalize
            from .parse import parse_function
            cctx = parse_function(fn)
            cctx.writes_through = True   # as Python runs it: writes into the caller's objects (no private copy)
            core, _ = normalize(cctx)
            sub = Analysis(core, cctx, self.summaries, check=False)
            sub.run()
            params = [a.id for a in core.args.args + core.args.posonlyargs] + \
                [a.id for a in core.args.kwonlyargs]
            s = (params, sub.returns, sub.end or State(), frozenset(sub.writes), sub.direct)
        except Exception:
            s = None
        self.summaries[key] = s
        return s

    def apply(self, st, e, summary, args, kws):
        params, returns, end, writes, direct = summary
        binding = {}
        for i, p in enumerate(params):
            if i < len(args) and not any(isinstance(a, gast.Starred) for a in e.args[:i + 1]):
                binding[p] = args[i]
            elif p in kws:
                binding[p] = kws[p]
            else:
                binding[p] = frozenset()
        site = id(e)
        st.age(lambda s: isinstance(s, tuple) and s[0] == site)

        def m(o):
            if o[0] == "param":
                return binding.get(o[1], frozenset())
            if o[0] == "alloc":
                return frozenset({("alloc", (site, o[1]), o[2], o[3])})
            if o[0] == "part":
                return self.read(st, m(o[1]), o[2])
            return frozenset({o})

        def ms(objs):
            return frozenset().union(*(m(o) for o in objs)) if objs else frozenset()
        for o, held in end.contents.items():
            for t in m(o):
                st.contents[t] = st.contents.get(t, frozenset()) | ms(held)
        written = ms(writes)
        if written:
            exempt = {a.id for p, a in zip(params, e.args) if isinstance(a, gast.Name) and p in direct}
            self.write(st, written, e, None, "helper", exempt)
        return ms(returns)

    # ------------------------------------------------------------------ statements

    def store(self, st, objs, held, node):
        for o in objs:
            st.contents[o] = st.contents.get(o, frozenset()) | frozenset(held)

    def mutate(self, st, objs, via):
        """A list or dict changed in place (``lst.append(v)``, ``d[k] = v``) through ``via``."""
        self.write(st, objs, self.stmt, via, "container", containers=True)

    def write(self, st, objs, s, via, kind, exempt=(), containers=False):
        objs = frozenset(o for o in objs if containers or not _is_container(o))
        if not objs:
            return
        if not self.check:
            self.writes |= {o for o in objs if _root(o)[0] == "param"}
            self.direct |= {o[1] for o in objs if o[0] == "param" and via == o[1]}
            return
        stmt = self.stmt
        live = self.live.get(id(stmt), set())
        if isinstance(stmt, gast.Assign):   # names this statement rebinds: their old values are not read
            live = live - {t.id for t in stmt.targets if isinstance(t, gast.Name)}
        for n in sorted(live):
            if n == via and kind not in ("overwrite", "view") or n in exempt or id(stmt) in self.seqs.get(n, ()):
                continue
            reach = self.reach(st, n)
            hit = [o for o in objs if any(overlap(o, r) for r in reach)]
            if hit:
                self.refuse(stmt, via, n, kind)

    def reach(self, st, name):
        todo = list(self.names(st, name)) if name in st.pts or name in self.params else []
        seen = set()
        while todo:
            o = todo.pop()
            if o in seen:
                continue
            seen.add(o)
            todo.extend(st.contents.get(o, ()))
            for k, v in st.contents.items():   # items of an object of which o is part
                if k[0] == "part" and overlap(k, o) and k not in seen:
                    todo.extend(v)
        return seen

    def refuse(self, stmt, via, other, kind):
        ctx = self.ctx
        text = effect_checks.user_line(stmt, ctx)
        shown_other = effect_checks.shown({other}, ctx)
        shown_via = effect_checks.written_name(via, stmt, ctx) if via else None
        what = f"`{shown_via}`" if shown_via else "this array"
        if kind == "overwrite":
            msg = (f"this call may overwrite {what} in place (`overwrite_...=True`), and `{shown_other}` is read "
                   "afterwards; s2s does not follow the change, so the gradient would be wrong.")
            fix = "Drop `overwrite_...=True` (the default keeps the argument), or pass a copy (`b.copy()`)."
        else:
            msg = (f"this changes {what} in place, and `{shown_other}`, read afterwards, may hold the same array "
                   f"(or part of it: it was stored in a container, assigned another name, or returned by a "
                   f"function that shares it); s2s does not follow the change through to `{shown_other}`, so the "
                   "gradient would be wrong.")
            fix = _fix(text, shown_via)
        raise ctx.error(stmt, msg, fix)

    def run(self):
        fn = self.fn
        self.params = {a.id for a in fn.args.args + fn.args.posonlyargs + fn.args.kwonlyargs}
        for a in (fn.args.vararg, fn.args.kwarg):
            if a is not None:
                self.params.add(a.id)
        self.direct = set()
        self.ends = []
        self.escapes = []   # per enclosing loop: the states leaving it by break or continue
        self.seqs = _loop_sequences(fn) if self.check else {}
        out = self.block(fn.body, [State()])
        self.ends.extend(out)
        self.end = merge(self.ends, cap=1)[0] if self.ends else None

    def block(self, stmts, states):
        for s in stmts:
            if not states:
                return []
            states = self.statement(s, states)
        return states

    def statement(self, s, states):
        """The states after ``s`` (a list: a disjunction, which keeps ``u, un = un, u`` two distinct arrays)."""
        self.stmt = s
        if isinstance(s, gast.If):
            for st in states:
                self.stmt = s
                self.eval(st, s.test)
            a = self.block(s.body, [st.copy() for st in states])
            b = self.block(s.orelse, [st.copy() for st in states])
            return merge(a + b)
        if isinstance(s, (gast.For, gast.While)):
            head = states
            for _ in range(60):
                body = [st.copy() for st in head]
                for st in body:
                    self.stmt = s
                    if isinstance(s, gast.For):
                        self.bind(st, s.target, self.elems(st, self.eval(st, s.iter)))
                    else:
                        self.eval(st, s.test)
                self.escapes.append([])
                out = self.block(s.body, body)
                out += self.escapes.pop()
                new = merge(head + out)
                if keys(new) == keys(head):
                    break
                head = new
            else:
                raise Refused
            return self.block(s.orelse, head) if s.orelse else head
        if isinstance(s, (gast.Break, gast.Continue)):
            if self.escapes:
                self.escapes[-1].extend(states)
            return []
        if isinstance(s, gast.Return):
            for st in states:
                self.stmt = s
                self.returns = self.returns | self.eval(st, s.value)
                self.ends.append(st)
            return []
        if isinstance(s, gast.Raise):
            return []
        if isinstance(s, gast.Try):
            a = self.block(s.body, [st.copy() for st in states])
            out = merge(states + a)
            for h in s.handlers:
                out = merge(out + self.block(h.body, [st.copy() for st in out]))
            out = self.block(s.orelse, out) if s.orelse else out
            return self.block(s.finalbody, out) if s.finalbody else out
        if isinstance(s, gast.With):
            for st in states:
                for item in s.items:
                    objs = self.eval(st, item.context_expr)
                    if item.optional_vars is not None:
                        self.bind(st, item.optional_vars, objs)
            return self.block(s.body, states)
        for st in states:
            self.stmt = s
            self.simple(s, st)
        return merge(states)

    def simple(self, s, st):
        if isinstance(s, gast.Assign):
            self.assign(s, st)
        elif isinstance(s, gast.Expr):
            self.eval(st, s.value)
        elif isinstance(s, gast.AugAssign):
            objs = self.eval(st, s.target)
            self.eval(st, s.value)
            if isinstance(s.target, gast.Name):
                self.write(st, objs, s, s.target.id, "aug")
        elif isinstance(s, (gast.FunctionDef, gast.ClassDef)):
            st.pts[s.name] = self.alloc(st, s, "container", _names_objs(self, st, s))
        elif isinstance(s, (gast.Pass, gast.Global, gast.Nonlocal, gast.Import, gast.ImportFrom, gast.Delete)):
            pass
        else:
            raise Refused   # a statement this analysis does not know: no opinion

    def bind(self, st, target, objs):
        if isinstance(target, gast.Name):
            st.pts[target.id] = frozenset(objs)
        elif isinstance(target, (gast.Tuple, gast.List)):
            items = self.elems(st, objs)
            for t in target.elts:
                self.bind(st, t.value if isinstance(t, gast.Starred) else t, items)
        elif isinstance(target, gast.Subscript):
            self.item_store(st, target, objs)
        elif isinstance(target, gast.Attribute):
            base = self.eval(st, target.value)
            self.store(st, base, objs, target)

    def item_store(self, st, target, objs):
        s = self.stmt
        base = self.eval(st, target.value)
        self.eval(st, target.slice)
        via = _root_name(target.value)
        if s is not None and getattr(s, "lineno", None) in self.aug_lines.get("item", ()) \
                and isinstance(target.value, gast.Name):
            # c[i] += v on an item: the item itself changes in place first (an array's __iadd__)
            key = target.slice.value if isinstance(target.slice, gast.Constant) \
                and isinstance(target.slice.value, (int, str)) else "*"
            items = self.read(st, base, key)
            self.write(st, items, s, via, "aug_item")
        containers = frozenset(o for o in base if _is_container(o))
        self.mutate(st, containers, via)
        self.store(st, containers, objs, target)
        arrays = base - containers
        if arrays:
            if via is None and _through_view(target.value):
                self.write(st, arrays, s, None, "view")
            else:
                self.write(st, arrays, s, via, "item")
            # an unknown object may be a list or a dict too: it may hold v afterwards
            self.store(st, frozenset(o for o in arrays if o[0] != "alloc" or o[3] != "array"), objs, target)

    def assign(self, s, st):
        target = s.targets[0]
        if isinstance(target, gast.Name) and isinstance(s.value, gast.BinOp) \
                and isinstance(s.value.left, gast.Name) and getattr(s, "lineno", None) in self.aug_lines.get(
                    "name", {}) and self.aug_lines["name"][s.lineno] in (s.value.left.id, target.id) \
                and getanno(s, "aug", False):
            # x += v, rebinding x to a new value here (normalize's form when x shares no array it knows of):
            # on an array Python changes x's array in place
            self.write(st, frozenset(o for o in self.names(st, s.value.left.id) if o[0] != "alloc"
                                     or o[3] != "container"), s, s.value.left.id, "aug")
        objs = self.eval(st, s.value)
        for t in s.targets:
            self.bind(st, t, objs)


def _through_view(e):
    """True if target base ``e`` (``A.reshape(-1)``, ``A.T``, ``np.ravel(A)``) may be a view of a variable."""
    for n in gast.walk(e):
        if isinstance(n, gast.Call) or isinstance(n, gast.Attribute) and n.attr in _VIEW_METHODS:
            return True
    return False


def _root_name(e):
    """``xs`` for ``xs``, ``xs[t]``, ``p.W`` (a target s2s follows as a write into ``xs``, ``p``); None through a
    call or a view (``A.reshape(-1)``, ``A.T``)."""
    while isinstance(e, (gast.Subscript, gast.Attribute)) and not (isinstance(e, gast.Attribute)
                                                                    and e.attr in _VIEW_METHODS):
        e = e.value
    return e.id if isinstance(e, gast.Name) else None


def _names_objs(self, st, e):
    out = set()
    for n in gast.walk(e):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
            out |= self.names(st, n.id)
    return frozenset(out)


def _name_of(e):
    return e.id if isinstance(e, gast.Name) else None


def _is_module(obj):
    import types
    return isinstance(obj, types.ModuleType)


def _is_numpy(fn):
    return (getattr(fn, "__module__", None) or "").split(".")[0] == "numpy" or isinstance(fn, np.ufunc)


def _is_builtin(fn):
    return getattr(fn, "__module__", None) == "builtins" or getattr(fn, "__name__", None) == "concat"


def _is_s2s(fn):
    return (getattr(fn, "__module__", None) or "").split(".")[0] == "s2s"


def _aug_lines(ctx):
    """{"name": {line: target name}, "item": {lines}} of the user's augmented assignments."""
    out = {"name": {}, "item": set()}
    for n in gast.walk(ctx.node):
        if isinstance(n, gast.AugAssign) and getattr(n, "lineno", None):
            if isinstance(n.target, gast.Name):
                out["name"][n.lineno] = n.target.id
            elif isinstance(n.target, gast.Subscript):
                out["item"].add(n.lineno)
    return out


def _fix(text, name):
    """A ready-to-paste fix for the user's line ``text`` writing into ``name`` in place."""
    try:
        st = ast.parse(text).body[0]
    except (SyntaxError, IndexError):
        st = None
    if isinstance(st, ast.AugAssign):
        new = ast.unparse(ast.Assign(targets=[st.target], value=ast.BinOp(
            left=ast.parse(ast.unparse(st.target), mode="eval").body, op=st.op, right=st.value), lineno=0))
        return (f"Write `{new}` instead of `{text}` (a new array instead of a change in place), or store a copy "
                f"where it is shared (`.copy()`).")
    if name:
        return (f"Copy it before changing it (`{name} = {name}.copy()` just before this line), or store a copy "
                f"where it is shared (`.copy()`).")
    return "Build a new array instead of writing into this one (e.g. `A = A.copy()` before, or `np.where`)."


def check(core, ctx):
    """The refusal (a DifferentiationError at the user's line) of an in-place write another live variable
    may see, or None. The compiler raises it after the transform, whose own refusals (more specific) come
    first."""
    if getattr(getattr(ctx, "fn", None), "s2s_generated", False):
        return None
    from .errors import DifferentiationError
    a = Analysis(core, ctx)
    try:
        a.run()
    except DifferentiationError as e:
        return e
    except Exception:   # (Refused) a form the analysis does not know: the transforms' own checks apply
        return None
    return None
