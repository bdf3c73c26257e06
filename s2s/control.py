"""Source-level lowering of control flow and effects, before normalization (issue 11).

normalize() calls ``lower(ctx, fn, namer)`` first, on the function's own
syntax tree. What it rewrites is then seen by every later pass as if the
user had written it so, which keeps the later passes unchanged and the
generated code readable:

- ``try``/``except``/``else``/``finally``: the path without an exception is
  differentiated as straight-line code (try body, then else, then finally).
  Each value the try body computes is handed to ``kept(...)``, an impure
  call the optimizer never removes, so every statement of the try body runs
  in the generated code as in the primal. When the try body raises at run
  time, the generated code raises that same exception (the except path is
  not differentiated): never a wrong number.
- ``for x in gen(a):`` where ``gen`` is a generator function of the user's:
  the generator's body is inlined into the loop, each ``yield v`` becoming
  ``x = v`` followed by the loop body (the interleaving of the generator
  and the loop is Python's own). ``list(gen(a))``, ``[... for x in gen(a)]``
  as the value of an assignment: the same, appending.
- a statement calling a user function that changes an argument in place
  (``step(s, dt)`` with ``state += dt * ...`` in ``step``): the callee is
  inlined, its parameter renamed to the caller's variable, so the change is
  followed as if written in the caller.
- a statement in an ``if`` branch that s2s refuses (no rule for
  ``ret.toarray()``): ``compile_retrying`` compiles again with that branch
  replaced by ``raise DifferentiationError(...)`` naming the user's line, so
  the refusal happens only if the branch runs.

What cannot be inlined soundly is left as it is (and later passes refuse
it as before, naming the line).
"""
import contextvars
import copy
import inspect
import types

import gast
import numpy as np

from .errors import DifferentiationError


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
        registry.nondifferentiable(kept, updated_in_place, immutable, same_items)
        _REGISTERED.append(True)


# ---------------------------------------------------------------- small AST tools

def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _obj_name(id_, obj):
    n = _name(id_)
    n.s2s_obj = obj
    return n


def _call(func, args):
    return gast.Call(func=func, args=args, keywords=[])


def _assign(target, value):
    return gast.Assign(targets=[target], value=value, type_comment=None)


def _at(nodes, like):
    """Give every node in ``nodes`` the location of ``like`` (inlined code names the call's line)."""
    for st in nodes:
        for n in gast.walk(st):
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
        for n in gast.walk(st):
            if isinstance(n, gast.Name) and n.id in renames and not hasattr(n, "s2s_obj"):
                new = renames[n.id]
                if isinstance(new, str):
                    n.id = new
    return nodes


def _substitute(nodes, values):
    """Replace loads of names in ``values`` by copies of the given expressions (constants, s2s_obj names)."""
    class Sub(gast.NodeTransformer):
        def visit_Name(self, node):
            if node.id in values and isinstance(node.ctx, gast.Load) and not hasattr(node, "s2s_obj"):
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


# ---------------------------------------------------------------- the pass

def lower(ctx, fn, namer):
    """Rewrite ``fn``'s body in place (see the module doc); updates ``ctx.locals``."""
    _register()
    pruned = _PRUNED.get().get(_key(ctx.fn))
    if pruned:
        _prune(ctx, fn, pruned)
    lw = _Lower(ctx, namer)
    fn.body = _GlobalObjects(lw).run(fn.body)
    fn.body = _Objects(lw).run(fn.body)
    fn.body = lw.block(fn.body) or [gast.Pass()]
    ctx.locals = ctx.locals | lw.new_locals
    fn.body = _aliased_updates(ctx, fn.body, dict(pruned or ()))
    for n in gast.walk(fn):   # names the inlined code reads (a callee's globals) are not free for temporaries
        if isinstance(n, gast.Name) and not hasattr(n, "s2s_obj"):
            namer.reserve(n.id)


class _Lower:
    def __init__(self, ctx, namer):
        self.ctx = ctx
        self.namer = namer
        self.new_locals = set()
        self.depth = 0
        from .parse import param_names
        self._params = set(param_names(ctx.node))

    def fresh(self, base):
        n = self.namer.name(base)
        self.new_locals.add(n)
        return n

    def block(self, stmts):
        out = []
        for s in stmts:
            out.extend(self.stmt(s))
        return out

    def stmt(self, s):
        if isinstance(s, (gast.Try, getattr(gast, "TryStar", gast.Try))):
            return self.lower_try(s)
        if isinstance(s, gast.For):
            hit = self.generator_loop(s)
            if hit is not None:
                return hit
        if isinstance(s, gast.Assign):
            hit = self.generator_list(s)
            if hit is not None:
                return hit
        if isinstance(s, (gast.Expr, gast.Assign)) and isinstance(s.value, gast.Call):
            hit = self.mutating_call(s)
            if hit is not None:
                return hit
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                    and not isinstance(s, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
                setattr(s, field, self.block(sub) or ([gast.Pass()] if field == "body" else []))
        return [s]

    # ------------------------------------------------------------ try
    def lower_try(self, s):
        if s.finalbody:
            _, ret = _jumps(s.body + s.orelse + [h for h in s.handlers])
            brk, ret2 = _jumps(s.finalbody)
            if ret or ret2 or brk or _jumps(s.body)[0]:
                raise self.ctx.error(s, "a `try` with a `finally` clause and a `return`, `break` or `continue` "
                                     "inside is not supported by s2s.",
                                     "Move the return after the try statement.")
        body = self.keep_block(self.block(s.body), s)
        return body + self.block(s.orelse) + self.block(s.finalbody)

    def keep_block(self, stmts, like):
        """``stmts`` with ``kept(a, b)`` calls so that no value they compute is optimized away."""
        out, pending = [], []

        def flush(at):
            if pending:
                call = _call(_obj_name("kept", kept), [_name(p) for p in pending])
                out.append(_at([gast.Expr(value=call)], at)[0])
                pending.clear()

        for st in stmts:
            if isinstance(st, gast.Expr) and isinstance(st.value, gast.Call):   # np.linalg.cholesky(S): a check
                t = self.fresh("checked")
                st = gast.copy_location(_assign(_name(t, gast.Store()), st.value), st)
            if isinstance(st, (gast.Return, gast.Break, gast.Continue, gast.Raise)):
                if isinstance(st, gast.Return) and st.value is not None and not isinstance(st.value, (gast.Name, gast.Constant)):
                    t = self.fresh("result")
                    out_st = gast.copy_location(_assign(_name(t, gast.Store()), st.value), st)
                    out.append(out_st)
                    pending.append(t)
                    st = gast.copy_location(gast.Return(value=_name(t)), st)
                flush(st)
                out.append(st)
                continue
            binds = _bound_here([st]) if isinstance(st, (gast.Assign, gast.AugAssign, gast.AnnAssign)) else set()
            if binds & set(pending):
                flush(st)
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    setattr(st, field, self.keep_block(sub, st))
            out.append(st)
            if isinstance(st, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
                pending.extend(sorted(b for b in binds if b not in pending))
        if stmts:
            flush(stmts[-1])
        return out

    # ------------------------------------------------------------ generators
    def _generator(self, call):
        """(function, its Context) if ``call`` calls a generator function s2s can inline here, else None."""
        if not isinstance(call, gast.Call) or any(isinstance(a, gast.Starred) for a in call.args) \
                or any(k.arg is None for k in call.keywords):
            return None
        fn = self.ctx.resolve(call.func)
        if not (isinstance(fn, types.FunctionType) and inspect.isgeneratorfunction(fn)):
            return None
        return self._inlinable(fn, generator=True)

    def _inlinable(self, fn, generator=False):
        from .parse import parse_function
        if self.depth > 10:
            return None
        try:
            sub = parse_function(fn)
        except Exception:
            return None
        node = sub.node
        if not isinstance(node, gast.FunctionDef):
            return None
        a = node.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
            return None
        for n in _walk_own(node.body):
            if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda, gast.Global,
                              gast.Nonlocal, gast.YieldFrom, gast.Await, gast.NamedExpr, gast.Try,
                              getattr(gast, "TryStar", gast.Try))):
                return None
            if isinstance(n, gast.Yield) and not generator:
                return None
            if isinstance(n, gast.Return) and generator and n.value is not None:
                return None
            if isinstance(n, (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)):
                return None
        if generator:   # yields only as statements
            yields = [n for n in _walk_own(node.body) if isinstance(n, gast.Yield)]
            stmts = [n.value for n in _walk_own(node.body) if isinstance(n, gast.Expr) and isinstance(n.value, gast.Yield)]
            if len(yields) != len(stmts) or any(y.value is None for y in yields):
                return None
        own = sub.locals
        sub.s2s_foreign = {}   # free names meaning something else here: bound to the callee's objects
        for n in _walk_own(node.body):
            if isinstance(n, gast.Name) and n.id not in own:
                if n.id in self.ctx.locals:
                    return None
                mine, theirs = self.ctx.resolve_name(n.id), sub.resolve_name(n.id)
                if mine is not theirs:
                    from .parse import _MISSING
                    if theirs is _MISSING or not isinstance(n.ctx, gast.Load):
                        return None
                    sub.s2s_foreign[n.id] = theirs
        return fn, sub

    def _bind(self, fn, sub, call, body, keep_names=()):
        """(prologue, renamed body) binding ``fn``'s parameters to the call's arguments."""
        node = sub.node
        try:
            bound = inspect.signature(fn).bind(*call.args, **{k.arg: k.value for k in call.keywords})
        except TypeError:
            return None
        params = [p.id for p in node.args.args]
        stored = _stored(body)
        renames, values, prologue = {}, {}, []
        defaults = fn.__defaults__ or ()
        for i, p in enumerate(params):
            if p in bound.arguments:
                arg = bound.arguments[p]
            else:
                j = i - (len(params) - len(defaults))
                obj = defaults[j]
                if isinstance(obj, (int, float, str, bool, type(None))):
                    arg = gast.Constant(value=obj, kind=None)
                else:
                    arg = _obj_name(self.fresh(p + "_default"), obj)
                    self.new_locals.discard(arg.id)
            if p in keep_names:
                renames[p] = arg.id
            elif p not in stored and isinstance(arg, gast.Constant):
                values[p] = arg
            elif p not in stored and isinstance(arg, gast.Name) and not hasattr(arg, "s2s_obj") \
                    and arg.id not in self._rebound_after:
                renames[p] = arg.id
            else:
                new = self.fresh(p)
                renames[p] = new
                prologue.append(_assign(_name(new, gast.Store()), copy.deepcopy(arg)))
        for n in sub.locals - set(params):
            renames[n] = self.fresh(n)
        body = _rename(copy.deepcopy(body), renames)
        body = _substitute(body, values)
        for n in gast.walk(gast.Module(body=body, type_ignores=[])):
            if isinstance(n, gast.Name) and n.id in getattr(sub, "s2s_foreign", {}) and not hasattr(n, "s2s_obj") \
                    and n.id not in renames:
                n.s2s_obj = sub.s2s_foreign[n.id]
        return prologue, body

    _rebound_after = frozenset()

    def generator_loop(self, s):
        hit = self._generator(s.iter)
        if hit is None or s.orelse or _jumps(s.body, ())[1]:
            return None   # (a return inside the loop body: not inlined)
        fn, sub = hit
        if any(effect_on_param(sub.node, p) for p in [a.id for a in sub.node.args.args]):
            return None
        pre = []
        if _jumps(s.body)[0]:   # break / continue in the loop: flags and guards (s2s/jumps.py)
            from .jumps import EXIT, JumpLowering
            lowered = JumpLowering(self.namer).block([copy.deepcopy(s)], None)
            pre, loop = lowered[:-1], lowered[-1]
            body = loop.body
            last = body[-1] if body else None
            if isinstance(last, gast.If) and len(last.body) == 1 and getattr(last.body[0], EXIT, False):
                # `if broke: break` ends the generator: `if broke: return` in its body
                last.body = [gast.copy_location(gast.Return(value=None), last)]
            s = gast.For(target=s.target, iter=s.iter, body=body, orelse=[], type_comment=None,
                         lineno=s.lineno, col_offset=s.col_offset)
            self.new_locals |= (_stored(pre) | _stored(s.body)) - self.ctx.locals
        self._rebound_after = frozenset(_stored(s.body))
        try:
            bound = self._bind(fn, sub, s.iter, sub.node.body)
        finally:
            self._rebound_after = frozenset()
        if bound is None:
            return None
        prologue, body = bound
        _at(pre + prologue + body, s)

        def each(v):
            return [gast.copy_location(_assign(copy.deepcopy(s.target), v), s)] + copy.deepcopy(s.body)
        body = _replace_yields(body, each)
        if any(isinstance(n, gast.Return) for n in _walk_own(body)):   # the generator stops: a flag and guards
            lowering = _StopLowering(self.namer)
            lowering.ret, lowering.done = "", self.fresh("stopped")
            from .jumps import _set
            body = [_set(lowering.done, False, s)] + lowering.block(body, None)
        self.depth += 1
        try:
            return self.block(pre + prologue + body)
        finally:
            self.depth -= 1

    def generator_list(self, s):
        """``xs = list(gen(a))`` / ``xs = [e for x in gen(a)]``: a loop appending, inlined."""
        if len(s.targets) != 1 or not isinstance(s.targets[0], gast.Name):
            return None
        v, t = s.value, s.targets[0].id
        if isinstance(v, gast.Call) and len(v.args) == 1 and not v.keywords and self.ctx.resolve(v.func) is list \
                and self._generator(v.args[0]) is not None:
            item = self.fresh("item")
            elt, target, it, ifs = _name(item), _name(item, gast.Store()), v.args[0], []
        elif isinstance(v, gast.ListComp) and len(v.generators) == 1 and self._generator(v.generators[0].iter) is not None \
                and not v.generators[0].is_async:
            g = v.generators[0]
            if _stored([g.target]) & self.ctx.locals - _stored([g.target]) or any(
                    isinstance(n, gast.Name) and n.id == t for n in gast.walk(v)):
                return None
            elt, target, it, ifs = v.elt, g.target, g.iter, g.ifs
        else:
            return None
        append = gast.Expr(value=_call(gast.Attribute(value=_name(t), attr="append", ctx=gast.Load()), [elt]))
        inner = [append]
        for c in reversed(ifs):
            inner = [gast.If(test=c, body=inner, orelse=[])]
        loop = gast.For(target=target, iter=it, body=inner, orelse=[], type_comment=None)
        init = _assign(_name(t, gast.Store()), gast.List(elts=[], ctx=gast.Load()))
        _at([init, loop], s)
        out = self.generator_loop(loop)
        return None if out is None else [init] + out

    # ------------------------------------------------------------ callees changing their arguments
    def mutating_call(self, s):
        from . import effects
        call = s.value
        if isinstance(s, gast.Assign) and (len(s.targets) != 1 or not isinstance(s.targets[0], gast.Name)):
            return None
        if not isinstance(call.func, gast.Name) or any(isinstance(a, gast.Starred) for a in call.args) \
                or any(k.arg is None for k in call.keywords):
            return None
        fn = self.ctx.resolve(call.func)
        if not isinstance(fn, types.FunctionType) or inspect.isgeneratorfunction(fn) or not effects.user_function(fn):
            return None
        try:
            changed = effects.mutated_params(fn) | effects.changed_params(fn)
        except Exception:
            return None
        if not changed:
            return None
        hit = self._inlinable(fn)
        if hit is None:
            return None
        fn, sub = hit
        node = sub.node
        body = list(node.body)
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
            body = body[1:]   # the docstring
        returns = [n for n in _walk_own(body) if isinstance(n, gast.Return)]
        if returns and not (len(returns) == 1 and body[-1] is returns[0]):
            return None
        try:
            bound = inspect.signature(fn).bind(*call.args, **{k.arg: k.value for k in call.keywords})
        except TypeError:
            return None
        params = [a.id for a in node.args.args]
        aug = {}   # parameter -> in-place operators applied to it by name
        for n in _walk_own(body):
            if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name) and n.target.id in params:
                aug.setdefault(n.target.id, set()).add(_OPS.get(type(n.op), "+="))
        plain = {n.id for n in _walk_own(body) if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))}
        plain -= {n.target.id for n in _walk_own(body) if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name)}
        for p in changed & set(params):
            arg = bound.arguments.get(p)
            if not isinstance(arg, gast.Name) or arg.id not in self.ctx.locals or p in plain:
                return None   # changed, but not a variable of ours under one name: not followed here
            if sum(isinstance(a, gast.Name) and a.id == arg.id for a in bound.arguments.values()) > 1:
                return None   # the same object under two parameters
        for n in _walk_own(body):   # the callee's own aliases of a changed parameter: not inlined
            if isinstance(n, gast.Assign) and isinstance(n.value, (gast.Name, gast.Subscript, gast.Attribute)):
                root = n.value
                while isinstance(root, (gast.Subscript, gast.Attribute)):
                    root = root.value
                if isinstance(root, gast.Name) and root.id in changed:
                    return None
        keep = changed & set(params)
        bound_ = self._bind(fn, sub, call, body, keep_names=keep)
        if bound_ is None:
            return None
        prologue, body = bound_
        guards = []
        for p in sorted(aug):
            if p in keep:
                for op in sorted(aug[p]):
                    guards.append(gast.Expr(value=_call(_obj_name("updated_in_place", updated_in_place),
                                                        [_name(bound.arguments[p].id), gast.Constant(value=op, kind=None)])))
        if body and isinstance(body[-1], gast.Return):
            ret = body.pop()
            value = ret.value if ret.value is not None else gast.Constant(value=None, kind=None)
        else:
            value = gast.Constant(value=None, kind=None)
        if isinstance(s, gast.Assign):
            body.append(_assign(_name(s.targets[0].id, gast.Store()), value))
        elif any(isinstance(n, gast.Call) for n in gast.walk(value)):
            body.append(gast.Expr(value=value))
        out = _at(prologue + guards + body, s)
        self.depth += 1
        try:
            return self.block(out)
        finally:
            self.depth -= 1


class _StopLowering(__import__("s2s.jumps", fromlist=["JumpLowering"]).JumpLowering):
    """Returns of an inlined generator (and a break of the loop consuming it): set a flag, guard what follows."""

    def stmt(self, s, loop):
        if isinstance(s, gast.Return):
            from .jumps import _set
            return [_set(self.done, True, s)], {self.done}
        return super().stmt(s, loop)


def effect_on_param(node, p):
    from . import effects
    return effects.mutates(node.body, p, attributes=True)


def _replace_yields(stmts, each):
    out = []
    for st in stmts:
        if isinstance(st, gast.Expr) and isinstance(st.value, gast.Yield):
            out.extend(each(st.value.value))
            continue
        for field in ("body", "orelse"):
            sub = getattr(st, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                setattr(st, field, _replace_yields(sub, each))
        out.append(st)
    return out


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
    """Lines of ``x op= v`` statements on a name (see _aliased_updates: the array case may be refused alone)."""
    return {n.lineno for n in _walk_own(fn_node.body) if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name)}


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


# ---------------------------------------------------------------- objects whose state changes after construction

_DUNDERS = ("__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__new__")


def _plain_class(cls):
    """A class of the user's whose attributes are plain storage (no metaclass, no attribute hooks)."""
    if not isinstance(cls, type) or type(cls) is not type or cls.__module__ in ("builtins",) \
            or cls.__module__.split(".")[0] in ("numpy", "s2s", "templates", "scipy"):
        return False
    if any(getattr(cls, d, None) is not getattr(object, d, None) for d in _DUNDERS):
        return False
    return "__slots__" not in vars(cls)


class _Objects:
    """Scalar replacement of local objects (``m = Ridge(0.1); m.set_coef(w); m.loss(X, y)``).

    An object created in the function from a plain class of the user's, whose state a method or
    the function itself changes after construction, and that never leaves the function (it is
    only read and written through attributes and its own methods, never passed, returned or
    stored), is taken apart: ``__init__`` and its methods are inlined with ``self`` renamed to it,
    and each attribute becomes a local variable (``m.coef_`` -> ``coef_``). What the object did is
    then plain code with variables, which every later pass follows. Anything else is left as is.
    """

    def __init__(self, lw):
        self.lw = lw
        self.ctx = lw.ctx

    def run(self, body):
        flat = self.flatten(copy.deepcopy(body))
        done = False
        for name, cls in self.candidates(flat).items():
            new = self.replace(copy.deepcopy(flat), name, cls)
            if new is not None:
                flat, done = new, True
        return flat if done else body

    # chains: Ridge(0.1).set_coef(w).loss(X, y) -> t = Ridge(0.1); t_1 = t.set_coef(w); ... = t_1.loss(X, y)
    def _chain(self, v):
        if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute):
            return self._ctor(v.func.value) or self._chain(v.func.value)
        return False

    def _ctor(self, v):
        return isinstance(v, gast.Call) and _plain_class(self.ctx.resolve(v.func))

    def flatten(self, body):
        out = []
        for st in body:
            if isinstance(st, (gast.Return, gast.Assign, gast.Expr)) and st.value is not None and self._chain(st.value) \
                    and (not isinstance(st, gast.Assign) or len(st.targets) == 1):
                pre, value = [], st.value

                def hoist(v):
                    if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) and isinstance(v.func.value, gast.Call):
                        inner = hoist(v.func.value)
                        t = self.lw.fresh("obj")
                        pre.append(gast.copy_location(_assign(_name(t, gast.Store()), inner), st))
                        v.func.value = _name(t)
                    return v
                st.value = hoist(value)
                out.extend(pre)
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    setattr(st, field, self.flatten(sub))
            out.append(st)
        return out

    def candidates(self, body):
        binds = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                binds[n.id] = binds.get(n.id, 0) + 1
        out = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                    and binds.get(n.targets[0].id) == 1 and self._ctor(n.value) and n.targets[0].id not in self.lw._params:
                out[n.targets[0].id] = self.ctx.resolve(n.value.func)
        return out

    def _method(self, cls, attr):
        f = inspect.getattr_static(cls, attr, None)
        return f if isinstance(f, types.FunctionType) else None

    def _changes_state(self, body, name, cls):
        """The object's state is written after construction: by the function or by a method it calls."""
        from . import effects
        for n in _walk_own(body):
            if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, gast.Store) \
                    and _root_name(n) == name:
                return True
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and isinstance(n.func.value, gast.Name) \
                    and n.func.value.id == name:
                m = self._method(cls, n.func.attr)
                if m is not None and m.__code__.co_varnames[:1] and \
                        m.__code__.co_varnames[0] in (effects.mutated_params(m) | effects.changed_params(m)):
                    return True
        return False

    def replace(self, body, name, cls):
        if not self._changes_state(body, name, cls):
            return None
        self.count = 0
        body = self.inline(body, name, cls)
        if body is None:
            return None
        # aliases made by `return self`: y = name (bound once) reads as name
        binds = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                binds[n.id] = binds.get(n.id, 0) + 1
        alias = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name) \
                    and isinstance(n.value, gast.Name) and n.value.id == name and binds.get(n.targets[0].id) == 1:
                alias[n.targets[0].id] = name
        if alias:
            body = _drop_assigns(body, set(alias))
            _rename(body, alias)
            body = self.inline(body, name, cls)   # methods called on the alias
            if body is None:
                return None
        # every remaining use is an attribute of the object
        attrs = {}
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name:
                if self._method(cls, n.attr) is not None or isinstance(inspect.getattr_static(cls, n.attr, None),
                                                                         (property, staticmethod, classmethod)):
                    return None
                attrs.setdefault(n.attr, None)
        uses = [n for n in _walk_own(body) if isinstance(n, gast.Name) and n.id == name]
        parents = {id(n.value) for n in _walk_own(body) if isinstance(n, gast.Attribute)}
        if any(id(u) not in parents for u in uses):
            return None   # the object itself is used (passed, returned, stored): it leaves the function
        stored = {n.attr for n in _walk_own(body) if isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store)
                  and isinstance(n.value, gast.Name) and n.value.id == name}
        for a in attrs:
            attrs[a] = self.lw.fresh(a)
            if (a not in stored) != hasattr(cls, a):
                return None   # read but never set, or a class attribute that an instance attribute shadows
        lw = self.lw

        class Sub(gast.NodeTransformer):
            def visit_Attribute(self, node):
                self.generic_visit(node)
                if isinstance(node.value, gast.Name) and node.value.id == name:
                    if node.attr not in stored:   # a class attribute
                        return gast.copy_location(gast.Attribute(value=_obj_name(cls.__name__, cls), attr=node.attr,
                                                                 ctx=node.ctx), node)
                    return gast.copy_location(_name(attrs[node.attr], node.ctx), node)
                return node
        del lw
        return [Sub().visit(st) for st in body]

    def inline(self, body, name, cls):
        """Inline ``__init__`` at ``name = cls(...)`` and every method called on ``name`` (statements only)."""
        out = []
        for st in body:
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    new = self.inline(sub, name, cls)
                    if new is None:
                        return None
                    setattr(st, field, new)
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) and st.targets[0].id == name:
                init = self._method(cls, "__init__")
                if init is None:
                    if st.value.args or st.value.keywords or cls.__init__ is not object.__init__:
                        return None
                    continue
                new = self.call(init, st.value, name, None, st)
                if new is None:
                    return None
                out.extend(new)
                continue
            simple = isinstance(st, (gast.Expr, gast.Assign, gast.Return, gast.AugAssign))
            calls = [n for n in _walk_own([st]) if simple and isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute)
                     and isinstance(n.func.value, gast.Name) and n.func.value.id == name]
            if calls:
                call = calls[0]
                inside = {id(n) for n in _walk_own(list(call.args) + [k.value for k in call.keywords])}
                others = [n for n in _walk_own([st]) if isinstance(n, gast.Call) and n is not call and id(n) not in inside]
                if others or not isinstance(st, (gast.Expr, gast.Assign, gast.Return)) \
                        or any(isinstance(n, gast.Call) and n.func is not call.func and _root_name(n.func) == name
                               for n in _walk_own(list(call.args))):
                    return None   # one call of a method per statement, nothing else called there
                m = self._method(cls, call.func.attr)
                if m is None:
                    return None
                target = None
                if isinstance(st, gast.Assign) and st.value is call and len(st.targets) == 1 \
                        and isinstance(st.targets[0], gast.Name):
                    target = st.targets[0].id
                elif not (isinstance(st, gast.Expr) and st.value is call):   # inside an expression: hoisted
                    target = self.lw.fresh("result")
                    st = _replace_node(st, call, _name(target))
                    rest = [st]
                else:
                    rest = []
                if isinstance(st, gast.Assign) and st.value is call:
                    rest = []
                self.count += 1
                if self.count > 50:
                    return None
                new = self.call(m, call, name, target, st)
                if new is None:
                    return None
                new = self.inline(new, name, cls)   # methods calling methods of self
                if new is None:
                    return None
                out.extend(new + rest)
                continue
            out.append(st)
        return out

    def call(self, fn, call, name, target, st):
        hit = self.lw._inlinable(fn)
        if hit is None:
            return None
        fn, sub = hit
        body = list(sub.node.body)
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
            body = body[1:]
        returns = [n for n in _walk_own(body) if isinstance(n, gast.Return)]
        if returns and not (len(returns) == 1 and body[-1] is returns[0]):
            return None
        params = [a.id for a in sub.node.args.args]
        if not params:
            return None
        this = params[0]
        if this in {n.id for n in _walk_own(body) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}:
            return None
        fake = gast.Call(func=call.func, args=[_name(name)] + list(call.args), keywords=call.keywords)
        bound = self.lw._bind(fn, sub, fake, body, keep_names={this})
        if bound is None:
            return None
        prologue, body = bound
        if body and isinstance(body[-1], gast.Return):
            ret = body.pop()
            value = ret.value if ret.value is not None else gast.Constant(value=None, kind=None)
        else:
            value = gast.Constant(value=None, kind=None)
        if target is not None:
            body.append(_assign(_name(target, gast.Store()), value))
        elif any(isinstance(n, gast.Call) for n in gast.walk(value)):
            body.append(gast.Expr(value=value))
        return _at(prologue + body, st)


def _root_name(n):
    while isinstance(n, (gast.Attribute, gast.Subscript)):
        n = n.value
    return n.id if isinstance(n, gast.Name) else None


def _drop_assigns(body, names):
    out = []
    for st in body:
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Name) \
                and st.targets[0].id in names:
            continue
        for field in ("body", "orelse"):
            sub = getattr(st, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                setattr(st, field, _drop_assigns(sub, names) or [gast.Pass()])
        out.append(st)
    return out


def _replace_node(tree, old, new):
    class R(gast.NodeTransformer):
        def visit(self, node):
            if node is old:
                return new
            return super().visit(node)
    return R().visit(tree)


class _GlobalObjects:
    """Objects held in a global list, their attributes set and read in the function (layers of a network):

        LAYERS[0].W = params["W0"]          layer_0.W = W   (W = params["W0"]: a variable)
        for layer in LAYERS:          ->    h = h @ W + b   (layer_0.forward inlined, self.W read as W)
            h = layer.forward(h)            ...

    The loop over the list is unrolled over the objects it holds when the gradient is generated (a
    check at the top, ``same_items(LAYERS, ...)``, refuses if the list changed since), their methods
    are inlined, and an attribute set by the function is a variable from its first setting on; the
    settings themselves stay (the objects change as in Python). Used only when the function sets an
    attribute of one of the objects that it reads back, and everything else about them is plain.
    """

    def __init__(self, lw):
        self.lw = lw
        self.ctx = lw.ctx

    def _global_list(self, node):
        if not isinstance(node, gast.Name) or node.id in self.ctx.locals:
            return None
        from .parse import _MISSING
        seq = self.ctx.resolve_name(node.id)
        if seq is _MISSING or not isinstance(seq, (list, tuple)) or not 0 < len(seq) <= 16 \
                or not all(_plain_class(type(o)) for o in seq):
            return None
        return seq

    def run(self, body):
        # only when an attribute of an element is set in this function: G[k].a = v
        lists = set()
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store) and isinstance(n.value, gast.Subscript) \
                    and self._global_list(n.value.value) is not None:
                lists.add(n.value.value.id)
        for g in sorted(lists):
            new = self.one(copy.deepcopy(body), g)
            if new is not None:
                body = new
        return body

    def one(self, body, g):
        seq = self.ctx.resolve_name(g)
        names = [f"{g.lower()}_{k}" for k in range(len(seq))]   # (bound in the namespace, which makes them unique)

        def ref(k):
            n = _name(names[k])
            n.s2s_obj = seq[k]
            return n

        class Index(gast.NodeTransformer):   # G[k] -> the k-th object
            def visit_Subscript(self, node):
                self.generic_visit(node)
                if isinstance(node.value, gast.Name) and node.value.id == g and isinstance(node.slice, gast.Constant) \
                        and type(node.slice.value) is int and -len(seq) <= node.slice.value < len(seq):
                    return gast.copy_location(ref(node.slice.value % len(seq)), node)
                return node
        body = [Index().visit(st) for st in _split_tuple_stores(body)]
        body = self.unroll(body, g, ref)
        if body is None or any(isinstance(n, gast.Name) and n.id == g for n in _walk_own(body)):
            return None   # the list itself is still used: not followed
        for k, name in enumerate(names):
            objs = _Objects(self.lw)
            objs.count = 0
            new = objs.inline(body, name, type(seq[k]))
            if new is None:
                return None
            for n in _walk_own(new):
                if isinstance(n, gast.Name) and n.id == name:
                    n.s2s_obj = seq[k]
            new = self.attributes(new, name, seq[k])
            if new is None:
                return None
            body = new
        guard = gast.Expr(value=_call(_obj_name("same_items", same_items), [_obj_name(g, seq)] + [ref(k) for k in range(len(seq))]))
        return _at([guard], body[0]) + body

    def unroll(self, body, g, ref):
        out = []
        for st in body:
            if isinstance(st, gast.For) and isinstance(st.iter, gast.Name) and st.iter.id == g \
                    and isinstance(st.target, gast.Name) and not st.orelse and not any(_jumps(st.body)):
                v = st.target.id
                if v in _stored(st.body):
                    return None
                for k in range(len(self.ctx.resolve_name(g))):
                    class Sub(gast.NodeTransformer):
                        def visit_Name(self, node):
                            return gast.copy_location(ref(k), node) if node.id == v else node
                    out.extend(Sub().visit(copy.deepcopy(s)) for s in st.body)
                continue
            for field in ("body", "orelse"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt) \
                        and not isinstance(st, (gast.FunctionDef, gast.ClassDef)):
                    new = self.unroll(sub, g, ref)
                    if new is None:
                        return None
                    setattr(st, field, new)
            out.append(st)
        return out

    def attributes(self, body, name, obj):
        """Reads of ``name.a`` after ``name.a`` is first set (at the top level) read a variable instead."""
        first = {}
        for i, st in enumerate(body):
            for n in _walk_own([st]):
                if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name \
                        and isinstance(n.ctx, gast.Store):
                    if not (isinstance(st, gast.Assign) and len(st.targets) == 1 and st.targets[0] is n):
                        first.setdefault(n.attr, None)   # set inside a block, or in a complex statement
                    else:
                        first.setdefault(n.attr, i)
        if any(v is None for v in first.values()):
            return None
        for n in _walk_own(body):
            if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name) and n.value.id == name \
                    and isinstance(n.ctx, gast.Load) and isinstance(inspect.getattr_static(type(obj), n.attr, None),
                                                                    (property, types.FunctionType)):
                return None
        var = {a: self.lw.fresh(a) for a in first}
        out = []
        for i, st in enumerate(body):
            class Reads(gast.NodeTransformer):
                def visit_Attribute(self, node):
                    self.generic_visit(node)
                    if isinstance(node.value, gast.Name) and node.value.id == name and isinstance(node.ctx, gast.Load) \
                            and node.attr in first and first[node.attr] < i:
                        return gast.copy_location(_name(var[node.attr]), node)
                    return node
            if i in first.values() and isinstance(st, gast.Assign):
                t = st.targets[0]
                if isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name) and t.value.id == name:
                    value = Reads().visit(st.value)
                    out.append(gast.copy_location(_assign(_name(var[t.attr], gast.Store()), value), st))
                    store = gast.copy_location(_assign(t, _name(var[t.attr])), st)
                    t.s2s_state_store = True   # the object changes as in Python; nothing reads it back here
                    out.append(store)
                    continue
            st = Reads().visit(st)
            if isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Attribute) \
                    and isinstance(st.targets[0].value, gast.Name) and st.targets[0].value.id == name:
                a = st.targets[0].attr
                if a in first and first[a] < i:   # a later setting: the variable follows it
                    out.append(gast.copy_location(_assign(_name(var[a], gast.Store()), st.value), st))
                    store = gast.copy_location(_assign(st.targets[0], _name(var[a])), st)
                    st.targets[0].s2s_state_store = True
                    out.append(store)
                    continue
            out.append(st)
        return out


def _split_tuple_stores(body):
    """``a.W, a.b = e1, e2`` -> ``t = e1; t_1 = e2; a.W = t; a.b = t_1`` is left to the caller: here
    only ``G[k].W, G[k].b = e1, e2`` with attribute targets is split into single stores (values first)."""
    out = []
    for st in body:
        if isinstance(st, gast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], gast.Tuple) \
                and isinstance(st.value, gast.Tuple) and len(st.value.elts) == len(st.targets[0].elts) \
                and all(isinstance(t, gast.Attribute) for t in st.targets[0].elts) \
                and all(isinstance(v, (gast.Name, gast.Constant, gast.Subscript)) for v in st.value.elts) \
                and not any(isinstance(n, gast.Call) for n in gast.walk(st.value)):
            targets = {_root_name(t) for t in st.targets[0].elts}
            reads = {n.id for n in gast.walk(st.value) if isinstance(n, gast.Name)}
            if not targets & reads:
                out.extend(gast.copy_location(_assign(t, v), st) for t, v in zip(st.targets[0].elts, st.value.elts))
                continue
        out.append(st)
    return out


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
                and isinstance(n.value, gast.Name) and not hasattr(n.value, "s2s_obj") \
                and (n.value.id in ctx.locals or ctx.resolve_name(n.value.id) is _MISSING):
            shared |= {n.targets[0].id, n.value.id}
    if not shared:
        return body

    def block(stmts):
        out = []
        for st in stmts:
            if isinstance(st, gast.AugAssign) and isinstance(st.target, gast.Name) and st.target.id in shared:
                x = st.target.id
                rebind = _assign(_name(x, gast.Store()), gast.BinOp(left=_name(x), op=st.op, right=copy.deepcopy(st.value)))
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
