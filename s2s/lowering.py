"""Source-level lowering of control flow and effects, before normalization (issue 11): the pass.

normalize() calls ``lower(ctx, fn, namer)`` first, on the function's own
syntax tree. What it rewrites is then seen by every later pass as if the
user had written it so, which keeps the later passes unchanged and the
generated code readable:

- ``try``/``except``/``else``/``finally``: when the try body is simple statements without effects, the
  path the primal takes is differentiated (s2s/try_paths.py: the body is run first to see which handler,
  if any, catches what it raises). Otherwise the path without an exception is differentiated as
  straight-line code (try body, then else, then finally). Each value the try body computes is handed to
  ``kept(...)``, an impure call the optimizer never removes, so every statement of the try body runs
  in the generated code as in the primal. When the try body raises at run
  time an exception a handler catches, the generated code raises a
  DifferentiationError naming the line (s2s/caught.py; the except path is
  not differentiated); another exception goes on as in the primal.
- generators of the user's consumed by ``for``, ``list(...)``, comprehensions, ``zip`` and ``next``:
  s2s/generators.py (a mixin of this pass);
- ``f(*xs)`` / ``f(**kw)`` where ``xs`` is a list or tuple display bound once: spread as written;
- a statement calling a user function that changes an argument in place
  (``step(s, dt)`` with ``state += dt * ...`` or ``np.add.at(s, i, v)`` in ``step``): the callee is
  inlined, its parameter renamed to the caller's variable, so the change is
  followed as if written in the caller; also such a call inside an expression (s2s/helper_writes.py).
- a statement in an ``if`` branch that s2s refuses (no rule for
  ``ret.toarray()``): ``compile_retrying`` (s2s/control.py) compiles again
  with that branch replaced by ``raise DifferentiationError(...)`` naming
  the user's line, so the refusal happens only if the branch runs;
- local objects whose state changes or that are built from the function's values, and objects in a
  global list: s2s/objects.py.

What cannot be inlined soundly is left as it is (and later passes refuse
it as before, naming the line).
"""
import contextlib
import copy
import inspect

import gast

from . import astutil, caught, list_edits, nested_index, readonly_views, typed_params, user_contexts
from .anno import hasanno, setanno
from .control import (_PRUNED, _aliased_updates, _assign, _at, _bound_here, _call, _jumps, _key, _name,
                      _obj_name, _prune, _register, _rename, _stored, _substitute, _walk_own, kept)
from .generators import GeneratorLowering, _expand_yield_from, _NamedGenerators
from .helper_writes import HelperWrites
from .lowered_calls import lower_numpy_write, lower_sorted
from .object_lists import may_build
from .try_paths import lower_taken_path
from .global_objects import _GlobalObjects
from .objects import _Objects, _plain_class


def lower(ctx, fn, namer):
    """Rewrite ``fn``'s body in place (see the module doc); the locals it adds are declared on ``namer``."""
    _register()
    readonly_views.check(ctx, fn)   # A.diagonal()[0] = v: NumPy refuses it (a read-only view); the fix, at the line
    if not getattr(ctx.fn, "s2s_generated", False):   # (the user's code: a gradient's own stack.pop() stays)
        nested_index.rewrite(ctx, fn)   # Y[i][j] = v into a new array: Y[i, j] = v
        list_edits.rewrite(ctx, fn, namer)   # v = xs.pop(), xs.insert(i, v), del xs[i], xs[a:b] = ys: the new list
    pruned = _PRUNED.get().get(_key(ctx.fn))
    if pruned:
        _prune(ctx, fn, pruned)
    typed_params.read_properties(ctx, fn)   # p.s, s a property of p's pinned class: its getter's call
    lw = _Lower(ctx, namer)
    fn.body = _follow_own_stores(ctx, fn.body, lw)
    fn.body = _spread_displays(ctx, fn.body, lw._params)
    fn.body = _NamedGenerators(lw).run(fn.body)
    fn.body = _GlobalObjects(lw).run(fn.body)
    if may_build(fn.body, ctx.resolve, _plain_class):   # (else no object to take apart: no copy, no rounds)
        fn.body = _Objects(lw).run(fn.body)
    fn.body = lw.block(fn.body) or [gast.Pass()]
    namer.declare(lw.new_locals)
    fn.body = _aliased_updates(ctx, fn.body, dict(pruned or ()))
    for n in gast.walk(fn):   # names the inlined code reads (a callee's globals) are not free for temporaries
        if isinstance(n, gast.Name) and not hasanno(n, "obj"):
            namer.reserve(n.id)


def lower_generator_loops(ctx, namer, stmts):
    """``stmts`` (a comprehension written as a loop by the normalizer: ``sum(f(x) for x in gen(a))``)
    with the loops over a generator of the user's inlined, as ``lower`` does for the function's own loops."""
    if not any(isinstance(n, gast.For) and isinstance(n.iter, gast.Call) for n in _walk_own(stmts)):
        return stmts
    lw = _Lower(ctx, namer)
    out = lw.block(stmts)
    namer.declare(lw.new_locals)
    for n in _walk_own(out):
        if isinstance(n, gast.Name) and not hasanno(n, "obj"):
            namer.reserve(n.id)
    return out


class _Lower(HelperWrites, GeneratorLowering):
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
        if isinstance(s, gast.With):
            hit = self.lower_with(s)
            if hit is not None:
                return hit
        if isinstance(s, gast.For):
            hit = self.zip_of_generator(s)
            if hit is not None:
                return hit
            hit = self.generator_loop(s)
            if hit is not None:
                return hit
        if isinstance(s, gast.Assign):
            hit = self.generator_list(s)
            if hit is not None:
                return hit
        hit = self.consumed_generators(s)   # sum(gen(x)), max(gen(x))
        if hit is not None:
            return hit
        hit = lower_sorted(self.ctx, s, self.fresh)   # sorted(xs, key=...), max/min with a key
        if hit is not None:
            return self.block(hit)
        hit = self.hoist_changing_calls(s)   # r = 2.0 * step(A, i, v): `result = step(A, i, v)` first
        if hit is not None:
            return hit
        if isinstance(s, (gast.Expr, gast.Assign)) and isinstance(s.value, gast.Call):
            # np.add(x, y, out=y), np.add.at, np.fill_diagonal
            hit = lower_numpy_write(self.ctx, s, lambda n: n in self.ctx.locals or n in self.new_locals)
            if hit is not None:
                return hit
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
        if s.handlers and caught.is_wrapper(self.ctx, s):   # the wrapper codegen put around generated code (hvp)
            caught.record(self.ctx, s)   # (its regions kept)
            return self.block(s.body)
        if s.finalbody:
            _, ret = _jumps(s.body + s.orelse + [h for h in s.handlers])
            brk, ret2 = _jumps(s.finalbody)
            if ret or ret2 or brk or _jumps(s.body)[0]:
                raise self.ctx.error(s, "a `try` with a `finally` clause and a `return`, `break` or `continue` "
                                     "inside is not supported by s2s.",
                                     "Move the return after the try statement.")
        if s.handlers:
            hit = lower_taken_path(self, s)   # the path the primal takes, differentiated (s2s/try_paths.py)
            if hit is not None:
                return hit
            caught.record(self.ctx, s)   # else the path without an exception; the except path refused
        body = self.keep_block(self.block(s.body), s)
        return body + self.block(s.orelse) + self.block(s.finalbody)

    # ------------------------------------------------------------ with
    def lower_with(self, s):
        """``with np.errstate(...):`` (and warnings.catch_warnings, contextlib.suppress, np.printoptions,
        contextlib.nullcontext): the context is entered and exited in the generated code around the
        body, which is differentiated as straight-line code, its ``return``s exiting first. A body that
        raises raises in the generated code too; an exception ``contextlib.suppress`` suppresses is refused
        there, naming the line (s2s/caught.py; its body's values are kept, as a try body's). Other
        context managers, and a ``break``/``continue`` out of the body, are left as they are (refused)."""
        if not all(isinstance(it.context_expr, gast.Call) and (_context_manager(self.ctx.resolve(
                it.context_expr.func)) or user_contexts.plain(self.ctx, it.context_expr)) for it in s.items) \
                or _jumps(s.body)[0]:
            return None
        _register_contexts()
        out, names = [], []
        for it in s.items:
            cm = self.fresh("context")
            out.append(_assign(_name(cm, gast.Store()), it.context_expr))
            enter = _call(_obj_name("entered", entered), [_name(cm)])
            out.append(_assign(it.optional_vars, enter) if it.optional_vars is not None else gast.Expr(value=enter))
            names.append(cm)

        def exits():
            return [gast.Expr(value=_call(_obj_name("exited", exited), [_name(cm)])) for cm in reversed(names)]
        body = self.block(s.body)
        suppress = [it.context_expr for it in s.items if self.ctx.resolve(it.context_expr.func) is contextlib.suppress]
        if suppress:   # its body's values kept (they may raise), and an exception it suppresses refused (caught.py)
            caught.add(self.ctx, s, [c for call in suppress for c in caught.suppressed(self.ctx, call)])
            body = self.keep_block(body, s)
        body = _exit_before_returns(body, exits, self.fresh)
        return _at(out, s) + body + _at(exits(), s)

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
                if isinstance(st, gast.Return) and st.value is not None \
                        and not isinstance(st.value, (gast.Name, gast.Constant)):
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
    def _inlinable(self, fn, generator=False, varargs=False):
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
        if generator:   # `yield from inner(a)` as a statement: `for v in inner(a): yield v`
            node = sub.node = _expand_yield_from(copy.deepcopy(node), sub)
        a = node.args
        if a.vararg and not varargs or a.kwarg or a.kwonlyargs or a.posonlyargs:
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
            stmts = [n.value for n in _walk_own(node.body)
                     if isinstance(n, gast.Expr) and isinstance(n.value, gast.Yield)]
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
        sub.s2s_data = set()   # numbers and arrays of another module: read there when the code runs
        if sub.globals is not self.ctx.globals:
            from .decorated import data_module, module_data
            free = {n.id for n in _walk_own(node.body) if isinstance(n, gast.Name) and n.id not in own}
            sub.s2s_data = module_data(sub, free)
            if sub.s2s_data:
                try:
                    sub.s2s_module = data_module(sub, node, sub.name, sub.s2s_data)
                except Exception:
                    return None
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
            elif p not in stored and isinstance(arg, gast.Name) and not hasanno(arg, "obj") \
                    and arg.id not in self._rebound_after:
                renames[p] = arg.id
            else:
                new = self.fresh(p)
                renames[p] = new
                prologue.append(_assign(_name(new, gast.Store()), copy.deepcopy(arg)))
        va = node.args.vararg
        if va is not None:   # def __init__(self, *layers): layers = (a, b, c), the call's extra arguments
            if any(isinstance(a, gast.Starred) for a in call.args):
                return None
            renames[va.id] = self.fresh(va.id)
            prologue.append(_assign(_name(renames[va.id], gast.Store()), gast.Tuple(
                elts=[copy.deepcopy(e) for e in bound.arguments.get(va.id, ())], ctx=gast.Load())))
        for n in sub.locals - set(params) - ({va.id} if va is not None else set()):
            renames[n] = self.fresh(n)
        body = _rename(copy.deepcopy(body), renames)
        body = _substitute(body, values)
        for n in gast.walk(gast.Module(body=body, type_ignores=[])):   # errors name the callee's line too
            if isinstance(n, (gast.stmt, gast.expr)) and getattr(n, "lineno", None) and not hasanno(n, "inlined"):
                setanno(n, "inlined", (sub.filename, sub.line_offset + n.lineno, sub.name))
        data = getattr(sub, "s2s_data", set()) - set(renames)
        if data:   # `K * x` in a helper of module m: `m.K * x`, so rebinding m.K later is seen
            from .decorated import read_through
            module = sub.s2s_module
            alias = module.__name__.rsplit(".", 1)[-1]
            if self.ctx.resolve_name(alias) is not module or alias in self.ctx.locals:
                alias = self.fresh(alias)
                self.new_locals.discard(alias)
            body = [read_through(st, data, lambda: _obj_name(alias, module)) for st in body]
        for n in gast.walk(gast.Module(body=body, type_ignores=[])):
            if isinstance(n, gast.Name) and n.id in getattr(sub, "s2s_foreign", {}) and not hasanno(n, "obj") \
                    and n.id not in renames:
                setanno(n, "obj", sub.s2s_foreign[n.id])
        return prologue, body

    _rebound_after = frozenset()


def _follow_own_stores(ctx, body, lw):
    """``self.out = np.tanh(x); return self.out``: the read takes the value just stored (s2s/state_paths.py)."""
    from .parse import _MISSING
    from .state_paths import follow_own_stores
    if not any(isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Attribute) for st in body):
        return body

    def resolve(node):
        v = ctx.resolve(node)
        return None if v is _MISSING else v
    new, changed = follow_own_stores(body, resolve, lw.fresh)
    return new if changed else body


def _spread_displays(ctx, body, params):
    """``f(*xs)`` / ``f(**kw)`` where ``xs`` is bound once to a list or tuple display (``xs = [W, np.sin(W)]``)
    and ``kw`` to a dict display with string keys, neither changed afterwards: the items spread as written
    (``f(xs[0], xs[1])``, ``f(a=kw["a"])``), so the arguments that carry a gradient are plain ones. Also
    ``f(*[a, b])`` and ``f(**{"a": v})``. Anything else is left as it is."""
    from . import effects
    if not any(isinstance(n, gast.Starred) or isinstance(n, gast.keyword) and n.arg is None
               for st in body for n in astutil.walk(st)):
        return body   # (no `f(*xs)`, no `f(**kw)`: nothing to spread)
    binds, displays = {}, {}
    for n in _walk_own(body):
        if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
            binds[n.id] = binds.get(n.id, 0) + 1
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            v = n.value
            if isinstance(v, (gast.List, gast.Tuple)) and not any(isinstance(e, gast.Starred) for e in v.elts):
                displays[n.targets[0].id] = len(v.elts)
            elif isinstance(v, gast.Dict) and all(isinstance(k, gast.Constant) and isinstance(k.value, str)
                                                  for k in v.keys):
                displays[n.targets[0].id] = [k.value for k in v.keys]
    plain_uses = set()   # ids of the uses that cannot change a list's length: *xs, xs[i], len(xs), for v in xs
    for n in gast.walk(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Starred) or isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Load) \
                or isinstance(n, gast.For):
            plain_uses.add(id(n.iter if isinstance(n, gast.For) else n.value))
        elif isinstance(n, gast.keyword) and n.arg is None:
            plain_uses.add(id(n.value))
        elif isinstance(n, gast.Call) and ctx.resolve(n.func) is len and len(n.args) == 1:
            plain_uses.add(id(n.args[0]))
    only_plain = {x for x in displays
                  if all(id(n) in plain_uses for n in gast.walk(gast.Module(body=body, type_ignores=[]))
                         if isinstance(n, gast.Name) and n.id == x and isinstance(n.ctx, gast.Load))}
    fixed = {x: d for x, d in displays.items() if binds.get(x) == 1 and x not in params
             and not effects.mutates(body, x, attributes=True) and x in only_plain
             and (isinstance(d, int) or len(set(d)) == len(d))}
    changed = []

    class Spread(gast.NodeTransformer):
        def visit_FunctionDef(self, node):   # (a nested function's names are its own)
            return node

        visit_Lambda = visit_ClassDef = visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Call(self, node):
            self.generic_visit(node)
            args = []
            for a in node.args:
                v = a.value if isinstance(a, gast.Starred) else None
                if isinstance(v, (gast.List, gast.Tuple)) and not any(isinstance(e, gast.Starred) for e in v.elts):
                    args.extend(v.elts)
                elif isinstance(v, gast.Name) and isinstance(fixed.get(v.id), int):
                    args.extend(gast.copy_location(gast.Subscript(value=_name(v.id), slice=gast.Constant(
                        value=i, kind=None), ctx=gast.Load()), a) for i in range(fixed[v.id]))
                elif _constant_slice(v) is not None and isinstance(fixed.get(v.value.id), int):
                    # f(*args[1:]) (a decorator passing on the rest): the items the slice takes
                    args.extend(gast.copy_location(gast.Subscript(value=_name(v.value.id), slice=gast.Constant(
                        value=i, kind=None), ctx=gast.Load()), a)
                        for i in range(fixed[v.value.id])[_constant_slice(v)])
                else:
                    args.append(a)
                    continue
                changed.append(node)
            kws = []
            for k in node.keywords:
                v = k.value if k.arg is None else None
                if isinstance(v, gast.Dict) and all(isinstance(c, gast.Constant) and isinstance(c.value, str)
                                                    for c in v.keys) and len({c.value for c in v.keys}) == len(v.keys):
                    kws.extend(gast.keyword(arg=c.value, value=e) for c, e in zip(v.keys, v.values))
                elif isinstance(v, gast.Name) and isinstance(fixed.get(v.id), list):
                    kws.extend(gast.keyword(arg=c, value=gast.copy_location(gast.Subscript(
                        value=_name(v.id), slice=gast.Constant(value=c, kind=None), ctx=gast.Load()), node))
                               for c in fixed[v.id])
                else:
                    kws.append(k)
                    continue
                changed.append(node)
            node.args, node.keywords = args, kws
            return node
    new = [Spread().visit(copy.deepcopy(st)) for st in body]
    return new if changed else body


def _constant_slice(v):
    """The slice of ``xs[a:b]`` (``xs`` a name; a, b, the step: int constants or left out), else None."""
    if not (isinstance(v, gast.Subscript) and isinstance(v.value, gast.Name) and isinstance(v.slice, gast.Slice)):
        return None
    parts = [v.slice.lower, v.slice.upper, v.slice.step]
    if not all(p is None or isinstance(p, gast.Constant) and type(p.value) is int for p in parts):
        return None
    return slice(*(None if p is None else p.value for p in parts))


def entered(cm):
    """``cm.__enter__()``: a ``with`` block's context entered in the generated code (s2s/lowering.py)."""
    return cm.__enter__()


def exited(cm):
    """``cm.__exit__(None, None, None)``: the block's context exited."""
    cm.__exit__(None, None, None)


entered.s2s_impure = exited.s2s_impure = True   # never dropped or moved by the optimizer


def _context_manager(obj):
    """A context manager whose block s2s differentiates as straight-line code: it changes how errors and
    warnings are reported (or nothing), never a value the block computes."""
    import contextlib
    import warnings

    import numpy as np
    return obj in (np.errstate, np.printoptions, warnings.catch_warnings, contextlib.suppress,
                   contextlib.nullcontext)


_CONTEXTS_REGISTERED = []


def _register_contexts():
    if not _CONTEXTS_REGISTERED:
        from . import registry
        registry.nondifferentiable(entered, exited)
        _CONTEXTS_REGISTERED.append(True)


def _exit_before_returns(stmts, exits, fresh):
    """``stmts`` with each ``return v`` (outside nested functions) preceded by ``exits()``, ``v`` computed
    first."""
    out = []
    for st in stmts:
        if isinstance(st, gast.Return):
            if st.value is not None and not isinstance(st.value, (gast.Name, gast.Constant)):
                t = fresh("result")
                out.append(gast.copy_location(_assign(_name(t, gast.Store()), st.value), st))
                st = gast.copy_location(gast.Return(value=_name(t)), st)
            out += _at(exits(), st) + [st]
            continue
        if not isinstance(st, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                    setattr(st, field, _exit_before_returns(sub, exits, fresh))
            for h in getattr(st, "handlers", None) or []:
                h.body = _exit_before_returns(h.body, exits, fresh)
        out.append(st)
    return out
