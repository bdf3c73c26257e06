"""Source-level lowering, before normalization (issue 11): what generated code calls, and shared pieces.

The lowering pass itself is s2s/lowering.py (``lower``: try blocks, generators, callees that change
their arguments) and s2s/objects.py (objects whose state changes after construction). This module
holds what they share and what outlives them:

- the helpers generated code calls (``kept``, ``updated_in_place``, ``same_items``, ``immutable``),
  registered with the rule registry at import;
- small syntax-tree builders and walkers of the lowering;
- ``compile_retrying``: a statement in an ``if`` branch that s2s refuses (no rule for
  ``ret.toarray()``) is compiled again with that branch replaced by ``raise DifferentiationError(...)``
  naming the user's line, so the refusal happens only if the branch runs;
- ``x op= v`` where ``x`` may share its value with another variable (``_aliased_updates``).
"""
import contextvars
import copy

import gast
import numpy as np

from .anno import hasanno, setanno
from .errors import DifferentiationError
from . import astutil


# ---------------------------------------------------------------- helpers the generated code calls

def kept(*values):
    """Marks the values a ``try`` body computed as used: the statements computing them run (and may raise)
    in the generated code as in the primal, so the optimizer never drops them. Returns None."""
    return None


kept.s2s_impure = True


def updated_in_place(x, op):
    """Check that ``x op= v`` in a function s2s inlined changes the array ``x`` in place, as its caller
    sees it; raise DifferentiationError otherwise (a number would change only in the callee, and s2s
    does not follow ``+=`` on lists)."""
    if not (isinstance(x, np.ndarray) and hasattr(type(x), _INPLACE[op])):
        raise DifferentiationError(
            _user_line() + f"s2s inlined a function that updates an argument with `{op}`, which s2s follows "
            f"for NumPy arrays only, but here it is a {type(x).__name__}.\n"
            "Have the function return the new value instead.")


updated_in_place.s2s_impure = True


def _user_line():
    """'File "/path/f.py", line 12\n    text\n' for the user's line the generated statement running now
    comes from (its ``# f.py:12`` comment), with the module's full path when one loaded module has that name."""
    import linecache
    import os
    import re
    import sys
    f = sys._getframe(1)
    while f is not None and "s2s-generated" not in f.f_code.co_filename:
        f = f.f_back
    if f is None:
        return ""
    here, line = f.f_code.co_filename, f.f_lineno
    for _ in range(5):   # hvp's code names a line of the generated gradient, which names the user's line
        m = re.search(r"#\s*(\S+):(\d+)\s*$", linecache.getline(here, line))
        if m is None:
            return ""
        label, line = m.group(1), int(m.group(2))
        nested = [k for k in list(linecache.cache) if isinstance(k, str) and "s2s-generated" in k
                  and os.path.basename(k) == label]
        if not nested or nested[0] == here:
            break
        here = nested[0]
    return _place(label, line)


def _place(label, line):
    """'File "/path/f.py", line 12\n    text\n' for line ``line`` of the file ``label`` names (its full
    path when one loaded module has that name)."""
    import linecache
    import os
    import sys
    paths = {os.path.abspath(p) for mod in list(sys.modules.values())
             if isinstance(p := getattr(mod, "__file__", None), str) and os.path.basename(p) == label}
    path = paths.pop() if len(paths) == 1 else label
    text = linecache.getline(path, line).strip()
    return f'File "{path}", line {line}\n' + (f"    {text}\n" if text else "")

def same_items(seq, *items):
    """Check that the global list ``seq`` still holds ``items`` (the objects s2s unrolled a loop over and
    followed the state of, when it generated this code); raise DifferentiationError otherwise."""
    if len(seq) != len(items) or any(a is not b for a, b in zip(seq, items)):
        raise DifferentiationError(
            _user_line() + "this gradient was generated for the objects the list held then; the list has changed "
            "since. Call s2s.clear_cache() (or differentiate again) after changing it.")


same_items.s2s_impure = True


def indexable(*seqs):
    """Check that the sequences zipped with a generator s2s inlined (``zip(gen(ws), ws)``, whose other
    items are read by index) are lists, tuples, arrays or ranges; raise DifferentiationError otherwise
    (a dict would give its keys, another iterator its own items)."""
    for x in seqs:
        if not isinstance(x, (list, tuple, np.ndarray, range, str)):
            raise DifferentiationError(
                _user_line() + f"s2s reads the other sequences of a `zip` with a generator by index, but here one is "
                f"a {type(x).__name__}.\nPass a list (`list(...)`) to zip instead.")


indexable.s2s_impure = True


def not_exhausted(items, pos):
    """``next(g)`` on a generator s2s ran ahead into the list ``items``: StopIteration when ``pos`` is past
    its end, as ``next`` raises."""
    if pos >= len(items):
        raise StopIteration


not_exhausted.s2s_impure = True


def reduce_started(started):
    """``functools.reduce(f, xs)`` written as a loop: the TypeError reduce raises for an empty ``xs``."""
    if not started:
        raise TypeError("reduce() of empty iterable with no initial value")


reduce_started.s2s_impure = True


def immutable(x):
    """True for a value that ``x += v`` rebinds rather than changes (a number, a NumPy scalar, a tuple, a
    string): then no other variable bound to the same value sees the change."""
    return x is None or isinstance(x, (int, float, complex, str, bytes, tuple, frozenset, np.generic))


_INPLACE = {"+=": "__iadd__", "-=": "__isub__", "*=": "__imul__", "/=": "__itruediv__", "//=": "__ifloordiv__",
            "%=": "__imod__", "**=": "__ipow__", "@=": "__imatmul__", "&=": "__iand__", "|=": "__ior__",
            "^=": "__ixor__", "<<=": "__ilshift__", ">>=": "__irshift__"}
_OPS = {gast.Add: "+=", gast.Sub: "-=", gast.Mult: "*=", gast.Div: "/=", gast.FloorDiv: "//=", gast.Mod: "%=",
        gast.Pow: "**=", gast.MatMult: "@=", gast.BitAnd: "&=", gast.BitOr: "|=", gast.BitXor: "^=",
        gast.LShift: "<<=", gast.RShift: ">>="}


_REGISTERED = []


def _register():
    if not _REGISTERED:   # once: each registration is a new registry version (cached gradients recompile)
        from . import registry
        registry.nondifferentiable(kept, updated_in_place, immutable, same_items, indexable, not_exhausted,
                                    reduce_started)
        _REGISTERED.append(True)


# ---------------------------------------------------------------- small AST tools

def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _obj_name(id_, obj):
    n = _name(id_)
    setanno(n, "obj", obj)
    return n


def _call(func, args):
    return gast.Call(func=func, args=args, keywords=[])


def _assign(target, value):
    return gast.Assign(targets=[target], value=value, type_comment=None)


def _at(nodes, like):
    """Give every node in ``nodes`` the location of ``like`` (inlined code names the call's line)."""
    for st in nodes:
        for n in astutil.walk_bfs(st):
            if isinstance(n, (gast.stmt, gast.expr)):
                n.lineno = getattr(like, "lineno", 1)
                n.col_offset = getattr(like, "col_offset", 0)
                n.end_lineno = getattr(like, "end_lineno", n.lineno)
                n.end_col_offset = getattr(like, "end_col_offset", 0)
    return nodes


def _raise(message):
    """``raise DifferentiationError("\\n".join((line, ...)))``: the refusal, raised where it runs (one string a line:
    generated code is indented as a whole, which would change the lines of a multi-line string)."""
    lines = gast.Tuple(elts=[gast.Constant(value=l, kind=None) for l in message.split("\n")], ctx=gast.Load())
    text = _call(gast.Attribute(value=gast.Constant(value="\n", kind=None), attr="join", ctx=gast.Load()), [lines])
    exc = _call(_obj_name("DifferentiationError", DifferentiationError), [text])
    return gast.Raise(exc=exc, cause=None)


def _walk_own(stmts):
    """Nodes of these statements, not entering nested functions, classes or lambdas."""
    todo = list(stmts)
    while todo:
        n = todo.pop()
        yield n
        if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda)):
            continue
        todo.extend(gast.iter_child_nodes(n))


def _stored(stmts):
    return {n.id for n in _walk_own(stmts) if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))}


_COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _bound_here(stmts):
    """Names these statements bind in the function's own scope (not a comprehension's variables, which the
    normalizer renames when it writes the comprehension as a loop)."""
    todo, out = list(stmts), set()
    while todo:
        n = todo.pop()
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            out.add(n.id)
        if not isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda) + _COMPREHENSIONS):
            todo.extend(gast.iter_child_nodes(n))
    return out


def _rename(nodes, renames):
    for st in nodes:
        for n in astutil.walk_bfs(st):
            if isinstance(n, gast.Name) and n.id in renames and not hasanno(n, "obj"):
                new = renames[n.id]
                if isinstance(new, str):
                    n.id = new
    return nodes


def _substitute(nodes, values):
    """Replace loads of names in ``values`` by copies of the given expressions (constants, names annotated ``obj``)."""
    class Sub(gast.NodeTransformer):
        def visit_Name(self, node):
            if node.id in values and isinstance(node.ctx, gast.Load) and not hasanno(node, "obj"):
                return gast.copy_location(copy.deepcopy(values[node.id]), node)
            return node
    return [Sub().visit(st) for st in nodes]


def _jumps(stmts, kinds=(gast.Break, gast.Continue)):
    """(break/continue at this loop's level, return anywhere) in stmts."""
    brk, ret = False, False
    todo = [(s, True) for s in stmts]
    while todo:
        n, here = todo.pop()
        if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda)):
            continue
        if isinstance(n, kinds) and here:
            brk = True
        if isinstance(n, gast.Return):
            ret = True
        inner = here and not isinstance(n, (gast.For, gast.While))
        todo.extend((c, inner) for c in gast.iter_child_nodes(n))
    return brk, ret


# ---------------------------------------------------------------- lazy refusal of branches

_PRUNED = contextvars.ContextVar("s2s_pruned", default={})


def _key(fn):
    return getattr(fn, "__code__", fn)


def _branches(stmts, path=()):
    """(statement, enclosing (If, field) pairs innermost last) over a source body."""
    for s in stmts:
        yield s, path
        if isinstance(s, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                here = path + ((s, field),) if isinstance(s, gast.If) else path
                yield from _branches(sub, here)
        for h in getattr(s, "handlers", None) or ():
            yield from _branches(h.body, path)


def _branch_of(fn_node, line):
    """The innermost (If, field) holding a statement on ``line`` of the function's source, or None."""
    best = None
    for s, path in _branches(fn_node.body):
        if getattr(s, "lineno", None) == line and path:
            if best is None or len(path) > len(best):
                best = path
    return best[-1] if best else None


def _prune(ctx, fn_node, pruned):
    for line, message in pruned:
        hit = _branch_of(fn_node, line)
        if hit is None:
            continue
        node, field = hit
        like = getattr(node, field)[0]
        setattr(node, field, _at([_raise(message)], like))


def _aug_lines(fn_node):
    """Lines of ``x op= v`` statements on a name (see _aliased_updates: the array case may be refused alone) or
    an attribute (``self.calls += 1``: normalize's ``isinstance(item, ndarray)`` branch, ``pruned_line``)."""
    return {n.lineno for n in _walk_own(fn_node.body)
            if isinstance(n, gast.AugAssign) and isinstance(n.target, (gast.Name, gast.Attribute))}


def pruned_line(fn, line):
    """The refusal of the array case of the augmented assignment at ``line`` of ``fn``, raised where it runs
    (``compile_retrying``), or None: a counter ``self.calls += 1`` on an object others see is a rebinding of
    a number, which s2s follows; only an array attribute would change in place."""
    return dict(_PRUNED.get().get(_key(fn), ())).get(line)


def raise_stmt(message):
    """The statement raising ``message`` as a DifferentiationError where it runs."""
    return _raise(message)


def compile_retrying(fn, compile_once):
    """``compile_once()``, compiled again while it refuses a statement inside an ``if`` branch of ``fn``'s
    own code: that branch becomes ``raise DifferentiationError(...)`` (the refusal, when it runs)."""
    from .parse import parse_function
    pruned = []
    for _ in range(50):
        token = _PRUNED.set({**_PRUNED.get(), _key(fn): tuple(pruned)})
        try:
            return compile_once()
        except DifferentiationError as e:
            where = getattr(e, "s2s_where", None)
            if where is None or where[0] is not _key(fn) or where[1] is None:
                raise
            line = where[1]
            if any(line == l for l, _ in pruned):
                raise
            try:
                node = parse_function(fn).node
            except Exception:
                raise e from None
            if _branch_of(node, line) is None and line not in _aug_lines(node):
                raise
            pruned.append((line, str(e)))
        finally:
            _PRUNED.reset(token)
    raise DifferentiationError(f"s2s refused too many branches of {getattr(fn, '__name__', fn)}")


_register()   # at import, before any compilation (a registration bumps the registry version)


# ---------------------------------------------------------------- x += v where x may share its value

def _aliased_updates(ctx, body, pruned):
    """``t = x; x += v``: in place for an array (``t`` changes too), a rebinding for a number. When ``x``
    may share its value with another variable, the update becomes ``if immutable(x): x = x + v`` with
    ``else: x += v`` (an array, which the later passes change in place or refuse; a refusal there is
    raised where it runs, ``pruned``: {line: message}), so numbers are followed whatever the arrays do."""
    from .parse import _MISSING
    if getattr(ctx.fn, "s2s_generated", False):
        return body   # a generated gradient makes an adjoint private before it adds to it in place
    shared = set()
    for n in _walk_own(body):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                and isinstance(n.value, gast.Name) and not hasanno(n.value, "obj") \
                and (n.value.id in ctx.locals or ctx.resolve_name(n.value.id) is _MISSING):
            shared |= {n.targets[0].id, n.value.id}
    if not shared:
        return body

    def block(stmts):
        out = []
        for st in stmts:
            if isinstance(st, gast.AugAssign) and isinstance(st.target, gast.Name) and st.target.id in shared:
                x = st.target.id
                rebind = _assign(_name(x, gast.Store()),
                                 gast.BinOp(left=_name(x), op=st.op, right=copy.deepcopy(st.value)))
                other = _raise(pruned[st.lineno]) if st.lineno in pruned else st
                node = gast.If(test=_call(_obj_name("immutable", immutable), [_name(x)]), body=[rebind],
                               orelse=[other])
                out.extend(_at([node], st))
                continue
            if not isinstance(st, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
                for field in ("body", "orelse", "finalbody"):
                    sub = getattr(st, field, None)
                    if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                        setattr(st, field, block(sub))
            out.append(st)
        return out
    return block(body)
