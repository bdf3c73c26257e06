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

import gast

from . import aliasing, effect_checks
from .alias_calls import _VIEW_METHODS, Calls
from .alias_domain import Refused, State, _is_container, _root, keys, merge, overlap, part
from .anno import getanno
from . import astutil


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
    return {n: {id(x) for x in astutil.walk_bfs(loop)} for n, loop in loops.items() if n not in bad}


# The objects a callee's summary may track (in all its states at one statement): beyond it the callee is unknown
# (what it returns may share memory with its arguments), as for code s2s cannot read. scikit-learn's
# _euclidean_distances_upcast (two nested loops) reached 260,000 and took minutes; the user's helpers and the rest
# of scikit-learn's stay under 10,000.
SUMMARY_SIZE = 50000

class Analysis(Calls):
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
                out.add(part(o, "*"))
        return frozenset(out)

    def read(self, st, objs, key):
        out = set()
        for o in objs:
            out |= st.contents.get(o, frozenset())
            if not _is_container(o):
                out.add(part(o, key))
        return frozenset(out)

    def alloc(self, st, node, kind, contents=frozenset(), dups=frozenset()):
        site = node if isinstance(node, tuple) else id(node)
        st.age(lambda s: s == site)
        o = ("alloc", site, "new", kind)
        if contents:
            st.contents[o] = st.contents.get(o, frozenset()) | frozenset(contents)
        if dups:
            st.contents[("dup", o)] = frozenset(dups)
        return frozenset({o})

    def eval(self, st, e):
        if e is None or isinstance(e, gast.Constant):
            return frozenset()
        if isinstance(e, gast.Name):
            return self.names(st, e.id)
        if isinstance(e, (gast.BinOp, gast.UnaryOp, gast.Compare)):
            parts = [self.eval(st, c) for c in gast.iter_child_nodes(e) if isinstance(c, gast.expr)]
            if not any(parts):   # numbers only (t = 0.0; t += 0.5): an immutable number
                return frozenset()
            if isinstance(e, gast.BinOp) and isinstance(e.op, (gast.Add, gast.Mult)) \
                    and any(_is_container(o) for p in parts for o in p):   # lst + [v], [h] * 2
                return self.alloc(st, e, "container", self.elems(st, frozenset().union(*parts))) \
                    | self.alloc(st, ("op", id(e)), "array")
            return self.alloc(st, e, "array")
        if isinstance(e, gast.BoolOp):
            return frozenset().union(*(self.eval(st, v) for v in e.values))
        if isinstance(e, gast.IfExp):
            self.eval(st, e.test)
            return self.eval(st, e.body) | self.eval(st, e.orelse)
        if isinstance(e, (gast.List, gast.Tuple, gast.Set)):
            held, dups = set(), set()
            for x in e.elts:
                objs = self.elems(st, self.eval(st, x.value)) if isinstance(x, gast.Starred) else self.eval(st, x)
                dups |= held & objs   # [y, y]: one array in two slots
                held |= objs
            return self.alloc(st, e, "container", held, dups)
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
            if e.attr in ("ndim", "shape", "size", "dtype"):   # an array's int, tuple or dtype: shares nothing
                return frozenset()
            if e.attr in _VIEW_METHODS:
                return frozenset(part(o, "*") for o in base) | self.read(st, base, "*")
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

    def store(self, st, objs, held, node):
        for o in objs:
            before = st.contents.get(o, frozenset())
            twice = before & frozenset(held)
            if twice:   # (lst.append(h) twice: one array in two slots; a write through one slot changes both)
                st.contents[("dup", o)] = st.contents.get(("dup", o), frozenset()) | twice
            st.contents[o] = before | frozenset(held)

    def mutate(self, st, objs, via):
        """A list or dict changed in place (``lst.append(v)``, ``d[k] = v``) through ``via``."""
        self.write(st, objs, self.stmt, via, "container", containers=True)

    def write(self, st, objs, s, via, kind, related=(), containers=False):
        objs = frozenset(o for o in objs if containers or not _is_container(o))
        if not objs:
            return
        if not self.check:
            self.writes |= {o for o in objs if _root(o)[0] == "param"}
            self.direct |= {o[1] for o in objs if o[0] == "param" and via == o[1]}
            return
        stmt = self.stmt
        if via is not None:   # c[0] += v when c holds that array in two slots: c[1] changes too
            for c in self.reach(st, via) | self.names(st, via):
                if objs & st.contents.get(("dup", c), frozenset()):
                    self.refuse(stmt, via, via, kind)
        live = self.live.get(id(stmt), set())
        if isinstance(stmt, gast.Assign):   # names this statement rebinds: their old values are not read
            live = live - {t.id for t in stmt.targets if isinstance(t, gast.Name)}
        for n in sorted(live):
            if n == via and kind not in ("overwrite", "view") or id(stmt) in self.seqs.get(n, ()):
                continue
            reach = self.reach(st, n)
            if n in related or via is not None and kind not in ("overwrite", "view") and self.bound(n, via):
                # n = via, n = via[::2] (or the other way round): the transforms follow the write (or refuse it
                # themselves) as long as n holds the array itself, not as an item of a container
                reach = self.reach(st, n, direct=False)
            hit = [o for o in objs if any(overlap(o, r) for r in reach)]
            if hit:
                self.refuse(stmt, via, n, kind)

    def bound(self, a, b):
        """True if ``a`` is bound to ``b`` or part of it, or ``b`` to ``a`` (``t = y``, ``v = y[::2]``,
        ``b = np.ravel(a)``, transitively, anywhere in the function: aliasing.views), not siblings (``a = t``
        and ``b = t``, which the transforms do not follow)."""
        if self.views is None:
            from .effects_returns import call_aliases
            self.views = aliasing.views(self.fn.body)
            for w, args in call_aliases(self.fn.body, self.ctx).items():   # w = h(z) with h returning its argument
                self.views.setdefault(w, set()).update(args)                  # (check_returned_alias's)
        return b in self.views.get(a, ()) or a in self.views.get(b, ())

    def reach(self, st, name, direct=True):
        """The objects ``name`` may reach: its own (``direct``) and what containers among them hold."""
        todo = list(self.names(st, name)) if name in st.pts or name in self.params else []
        if not direct:
            todo = [h for o in todo for h in st.contents.get(o, ())]
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
        elif other == via:
            msg = (f"this changes an array `{shown_via}` holds in place, and `{shown_via}` may hold that same array in "
                   "another slot too (it was stored twice); s2s does not follow the change to the other slot, so the "
                   "gradient would be wrong.")
            fix = _fix(text, None)
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
        self.views = None
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
        if not self.check and sum(st.size() for st in states) > SUMMARY_SIZE:
            raise Refused   # a callee's summary that grows too large (nested loops of library code): unknown
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
        elif isinstance(s, gast.AnnAssign):
            objs = self.eval(st, s.value)
            if s.value is not None:
                self.bind(st, s.target, objs)
        elif isinstance(s, (gast.Pass, gast.Global, gast.Nonlocal, gast.Import, gast.ImportFrom, gast.Delete)):
            pass
        else:   # (assert, ...): what it reads
            for c in gast.iter_child_nodes(s):
                if isinstance(c, gast.expr):
                    self.eval(st, c)

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
    for n in astutil.walk_bfs(e):
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
    for n in astutil.walk_bfs(e):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
            out |= self.names(st, n.id)
    return frozenset(out)


def _aug_lines(ctx):
    """{"name": {line: target name}, "item": {lines}} of the user's augmented assignments."""
    out = {"name": {}, "item": set()}
    for n in astutil.walk_bfs(ctx.node):
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
