"""Pass 2, normalize: expressions. ``Expressions.atom`` / ``op`` put an expression in A-normal form,
emitting a temporary for each compound part (``expr_X`` per expression type); calls of functions
defined inside the differentiated one, and of module-level helpers given a lambda, are inlined.
``Normalizer`` (s2s/normalize.py) holds the state and the statements.
"""
import copy
import inspect
import types

import gast
import numpy as np

from . import containers, decorated, desugar, effect_checks, effects, lowering, wrappers
from .anno import hasanno, setanno
from .coreform import _assign, _name, _renamed, _slice_call, is_atom, runtime_name
from .jumps import JumpLowering
from .parse import local_names
from . import astutil

_CONCATENATORS = (type(np.r_), type(np.c_))   # np.r_ and np.c_ (index tricks)


class Expressions:
    """Expression normalization of ``Normalizer`` (a mixin: the state lives on the normalizer)."""

    # --- expressions
    def atom(self, node):
        """An atom equal to node, emitting temporaries for compound parts."""
        if is_atom(node, self.ctx):
            return node
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) \
                and isinstance(node.operand, gast.Constant) \
                and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
            return gast.Constant(value=-node.operand.value, kind=None)
        return self.bind(self.op(node))

    def op(self, node):
        """A one-operation expression equal to node (operands are atoms)."""
        method = getattr(self, "expr_" + type(node).__name__, None)
        return method(node) if method else node  # opaque: analyzed as a whole

    def expr_Name(self, node):
        return node

    expr_Constant = expr_Name

    def expr_BinOp(self, node):
        if isinstance(node.op, gast.Add) and (desugar.is_sequence(node.left, self.sequences, self.ctx)
                                              or desugar.is_sequence(node.right, self.sequences, self.ctx)):
            # args + (x,), [a, b] + rest: concatenation, whose gradient splits (s2s/containers.py)
            return gast.Call(func=runtime_name("concat", containers.concat),
                             args=[self.atom(node.left), self.atom(node.right)], keywords=[])
        if isinstance(node.op, gast.Mult) and (desugar.is_sequence(node.left, self.sequences, self.ctx)
                                               or desugar.is_sequence(node.right, self.sequences, self.ctx)):
            # [w] * n, lst * 2: repetition, whose gradient sums the copies (s2s/containers.py)
            return gast.Call(func=runtime_name("repeat", containers.repeat),
                             args=[self.atom(node.left), self.atom(node.right)], keywords=[])
        left, right = self.atom(node.left), self.atom(node.right)
        if isinstance(node.op, gast.Pow) and desugar.is_sequence(node.left, self.sequences, self.ctx):
            left = self.as_array(left)   # [3.0, 2.0] ** x is NumPy's power (a list has no **): the rules read an array
        if isinstance(node.op, gast.Mult) and isinstance(left, gast.Name) and isinstance(right, gast.Name) \
                and left.id == right.id:   # x * x -> x ** 2: one rule, d = 2 * x
            return gast.BinOp(left=left, op=gast.Pow(), right=gast.Constant(value=2, kind=None))
        return gast.BinOp(left=left, op=node.op, right=right)

    def as_array(self, atom):
        """``np.asarray(atom)`` bound to a temporary: a list or tuple NumPy reads as an array."""
        return self.bind(gast.Call(func=runtime_name("asarray", np.asarray), args=[atom], keywords=[]))

    def expr_UnaryOp(self, node):
        if isinstance(node.op, gast.Not):
            return node
        return gast.UnaryOp(op=node.op, operand=self.atom(node.operand))

    def expr_Call(self, node):
        loop = desugar.reduce_loop(self, node) or desugar.sum_concat_loop(self, node)   # reduce(f, xs): a loop
        if loop is not None:
            for st in self.normalize_body(loop[0]):
                self.emit(st)
            return _name(loop[1])
        new = desugar.call(self, node)   # map/filter/partial of a function known here: a comprehension, a direct call
        if new is not None:
            return self.op(new)
        func = node.func
        item = self.function_list_item(func)
        if item is not None:   # fs[0](x), fs a list of lambdas and functions: a call of that function
            return self.expr_Call(gast.copy_location(gast.Call(func=item, args=node.args, keywords=node.keywords),
                                                     node))
        if isinstance(func, gast.Name) and func.id in self.local_fns:
            return self.inline(self.local_fns[func.id], node)
        if isinstance(func, (gast.Name, gast.Attribute)) and decorated.transforms(self.ctx.resolve(func)) \
                and not any(isinstance(a, gast.Starred) for a in node.args) \
                and all(k.arg is not None for k in node.keywords):   # a decorator changing what fn computes
            return self.inline(decorated.callee(self.ctx.resolve(func), self.ctx, self.stmt), node)
        if any(isinstance(a, gast.Lambda) or isinstance(a, gast.Name) and a.id in self.local_fns
               for a in list(node.args) + [k.value for k in node.keywords]):
            return self.inline_with_functions(node)
        if self.spreads_its_varargs(node):
            hit = self.inline_with_functions(node, spread=True)
            if hit is not None:
                return hit
        if isinstance(func, gast.Attribute) and not is_atom(func, self.ctx):
            func = gast.Attribute(value=self.atom(func.value), attr=func.attr, ctx=gast.Load())
        elif not is_atom(func, self.ctx):
            func = self.atom(func)
        args = []
        for a in node.args:
            if isinstance(a, gast.Starred):
                args.append(gast.Starred(value=self.atom(a.value), ctx=gast.Load()))
            else:
                args.append(self.atom(a))
        kws = [gast.keyword(arg=k.arg, value=self.atom(k.value)) for k in node.keywords]
        callee = self.ctx.resolve(func)
        if isinstance(callee, np.ufunc) or callee is np.clip:
            # np.minimum(x, [1.0, 2.0]): an operand written as a list or tuple is an array to NumPy (and to the
            # rules, which compute with it)
            args = [self.as_array(a) if desugar.is_sequence(o, self.sequences, self.ctx) else a
                    for a, o in zip(args, node.args)]
            kws = [gast.keyword(arg=k.arg, value=self.as_array(k.value))
                   if desugar.is_sequence(o.value, self.sequences, self.ctx) else k for k, o in zip(kws, node.keywords)]
        if wrappers.is_validating(callee):   # a validating decorator: its checks run first
            wrappers.register()
            self.emit(gast.Expr(value=gast.Call(func=runtime_name("validated", wrappers.validated),
                                                args=[copy.deepcopy(func)] + copy.deepcopy(args),
                                                keywords=copy.deepcopy(kws))))
        return gast.Call(func=func, args=args, keywords=kws)

    def inline(self, fdef, call):
        """A call of a function defined inside the differentiated one, inlined in place."""
        self.depth += 1
        if self.depth > 20:
            raise self.ctx.error(self.stmt, "recursive nested functions cannot be differentiated.",
                                 "Define the function at module level (s2s differentiates recursion there).")
        args = fdef.args
        params = [a.id for a in args.args]
        values = {}
        funcs = {}   # parameters bound to a lambda or a nested function: inlined where called
        direct = {}   # parameters bound to a module-level function: called by its own name

        def arg(p, a):
            if isinstance(a, gast.Lambda):
                funcs[p] = a
            elif isinstance(a, gast.Name) and a.id in self.local_fns:
                funcs[p] = self.local_fns[a.id]
            elif getattr(fdef, "s2s_spread", False) and isinstance(a, gast.Name) and a.id not in self.ctx.locals \
                    and isinstance(self.ctx.resolve(a), types.FunctionType):
                direct[p] = a.id
            else:
                values[p] = self.atom(a)

        if any(isinstance(a, gast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise self.ctx.error(self.stmt, "a nested function called with *args or **kwargs cannot be differentiated "
                                 "by s2s yet.", "Pass the arguments one by one (`f(x, y)` instead of `f(*args)`).")
        for p, a in zip(params, call.args):
            arg(p, a)
        spread = {}   # f(a, *rest) / f(a, **kw) of a module-level helper: bound to a tuple / dict display
        if args.vararg is not None:
            spread[args.vararg.id] = gast.Tuple(elts=[self.atom(a) for a in call.args[len(params):]], ctx=gast.Load())
        kwonly = [a.id for a in args.kwonlyargs]
        extra = {}
        for k in call.keywords:
            if k.arg in params or k.arg in kwonly or args.kwarg is None:
                arg(k.arg, k.value)
            else:
                extra[k.arg] = self.atom(k.value)
        if args.kwarg is not None:
            spread[args.kwarg.id] = gast.Dict(keys=[gast.Constant(value=k, kind=None) for k in extra],
                                              values=list(extra.values()))
        for p, dflt in zip(params[len(params) - len(args.defaults):], args.defaults):
            values.setdefault(p, self.atom(dflt))
        for p, dflt in zip(kwonly, args.kw_defaults):
            if dflt is not None:
                values.setdefault(p, self.atom(dflt))
        params = params + kwonly
        if set(values) | set(funcs) | set(direct) != set(params) \
                or len(call.args) > len(params) - len(kwonly) and args.vararg is None:
            raise self.ctx.error(self.stmt, "this call does not match the parameters of the nested function it calls.")
        body = [gast.Return(value=fdef.body)] if isinstance(fdef, gast.Lambda) else fdef.body
        # `nonlocal total` in the nested def: its writes are the enclosing function's, where it is inlined
        shared = {name for st in body if isinstance(st, gast.Nonlocal) for name in st.names}
        body = [st for st in body if not isinstance(st, gast.Nonlocal)]
        if spread:   # (written out in place: on a copy, the function may be called again with other arguments)
            body = _spread_in_place(copy.deepcopy(body), spread)
        inner = gast.FunctionDef(name="inner", args=args, body=body, decorator_list=[], returns=None,
                                 type_comment=None, type_params=[])
        renames = {n: self.fresh(n) for n in local_names(inner) if n not in direct and n not in shared}
        for p, f in funcs.items():
            self.local_fns[renames[p]] = f
        self.namer.declare(renames.values())
        renames.update(direct)
        body = [_renamed(st, renames) for st in body]
        foreign = getattr(fdef, "s2s_foreign", {})   # a decorator's wrapper: its free names are its objects
        for st in body:
            for n in astutil.walk_bfs(st):
                if foreign and isinstance(n, gast.Name) and n.id in foreign and n.id not in renames:
                    setanno(n, "obj", foreign[n.id])
                if isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n.name in renames:
                    n.name = renames[n.name]
                if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
                    gast.copy_location(n, self.stmt)
        res = self.fresh("result")
        body = JumpLowering(self.namer).function(body) if body \
            else [gast.Return(value=gast.Constant(value=None, kind=None))]
        last = body[-1]
        if not isinstance(last, gast.Return):   # (falls off its end: `total += v` under `nonlocal total`)
            body = body + [gast.Return(value=None)]
            last = body[-1]
        body[-1] = gast.copy_location(_assign(res, last.value if last.value is not None
                                              else gast.Constant(value=None, kind=None), self.stmt), self.stmt)
        stmts = [gast.copy_location(_assign(renames[p], values[p], self.stmt), self.stmt)
                 for p in params if p in values] + body
        if spread:   # f(y, *args) in the helper: the display's items spread as written (s2s/lowering.py)
            stmts = [gast.copy_location(_assign(renames[p], v, self.stmt), self.stmt) for p, v in spread.items()] \
                + stmts
            stmts = lowering._spread_displays(self.ctx, stmts, set())
        for st in self.normalize_body(stmts):
            self.emit(st)
        self.depth -= 1
        return _name(res)

    def spreads_its_varargs(self, call):
        """True for a call, without ``*``/``**`` of its own, of a module-level function of this module that
        passes its ``*args`` / ``**kwargs`` on (``def rk4_step(f, y, t, dt, *args): k1 = f(y, t, *args)``):
        the number of arguments it spreads is known here, so it is inlined (``inline_with_functions``)."""
        if self.depth > 8 or any(isinstance(a, gast.Starred) for a in call.args) \
                or any(k.arg is None for k in call.keywords):
            return False
        target = self.ctx.resolve(call.func)
        code = getattr(target, "__code__", None)
        if not isinstance(target, types.FunctionType) or target.__globals__ is not self.ctx.globals \
                or not code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or target is self.ctx.fn \
                or getattr(target, "__wrapped__", None) is not None or code.co_flags & inspect.CO_GENERATOR \
                or wrappers.passthrough(target) is not None:   # a pass-through decorator: the function it wraps
            return False
        from .parse import parse_function
        try:
            node = parse_function(target).node
        except Exception:
            return False
        a = node.args if isinstance(node, gast.FunctionDef) else None
        names = {x.id for x in (a.vararg, a.kwarg) if x is not None} if a is not None else set()
        return any(isinstance(n, gast.Starred) and isinstance(n.value, gast.Name) and n.value.id in names
                   or isinstance(n, gast.keyword) and n.arg is None and isinstance(n.value, gast.Name)
                   and n.value.id in names for n in astutil.walk_bfs(node))

    def inline_with_functions(self, call, spread=False):
        """apply(lambda v: v * 2, x): a module-level helper given a function, inlined here (``spread``: one
        that passes on its ``*args`` / ``**kwargs``, see ``spreads_its_varargs``)."""
        from .parse import parse_function
        target = self.ctx.resolve(call.func)
        if isinstance(target, types.FunctionType) and target.__globals__ is not self.ctx.globals and not spread \
                and not inspect.isgeneratorfunction(target) and getattr(target, "__wrapped__", None) is None \
                and (effects.user_function(target) and not effect_checks._library(target)
                     or getattr(target, "s2s_python_version", False)):   # (s2s/pynumpy.py's apply_along_axis)
            # a helper of another module of the user's: inlined, its own names resolved in its own module
            callee = decorated.foreign(parse_function(target), self.stmt, f"{target.__name__}")
            callee.s2s_spread = False
            return self.inline(callee, call)
        if not hasattr(target, "__code__") or getattr(target, "__globals__", None) is not self.ctx.globals:
            raise self.ctx.error(self.stmt, "a lambda or nested function passed as an argument can only be "
                                 "differentiated when the callee is a Python function of yours (not a library's).",
                                 "Call the function directly instead of passing it.")
        sub = parse_function(target)
        callee = copy.deepcopy(sub.node)
        for n in astutil.walk_bfs(callee):   # an error in the callee names this call's line, then the callee's own line
            if isinstance(n, (gast.stmt, gast.expr)) and getattr(n, "lineno", None):
                if not hasanno(n, "inlined"):
                    setanno(n, "inlined", (sub.filename, sub.line_offset + n.lineno, sub.name))
                gast.copy_location(n, self.stmt)
        if any(n.id in self.ctx.locals for n in astutil.walk_bfs(callee) if isinstance(n, gast.Name)
               and n.id not in local_names(callee)):
            if spread:
                return None   # (called as it is)
            raise self.ctx.error(self.stmt, f"cannot inline {target.__name__}: it reads names this function also uses.")
        callee.s2s_spread = spread
        return self.inline(callee, call)

    def expr_Attribute(self, node):
        if is_atom(node, self.ctx):
            return node
        return gast.Attribute(value=self.atom(node.value), attr=node.attr, ctx=gast.Load())

    def expr_Subscript(self, node):
        if isinstance(self.ctx.resolve(node.value), _CONCATENATORS):
            # np.r_[a, 0:3, b] / np.c_[...]: a call of runtime.index_concat, which has rules
            items = node.slice.elts if isinstance(node.slice, gast.Tuple) else [node.slice]
            args = [self.atom(node.value)] + [self.atom(_slice_call(e) if isinstance(e, gast.Slice) else e)
                                              for e in items]
            return gast.Call(func=runtime_name("index_concat"), args=args, keywords=[])
        return gast.Subscript(value=self.atom(node.value), slice=self.index(node.slice), ctx=gast.Load())

    def index(self, node):
        if isinstance(node, gast.Slice):
            parts = [None if p is None else self.atom(p) for p in (node.lower, node.upper, node.step)]
            return gast.Slice(lower=parts[0], upper=parts[1], step=parts[2])
        if isinstance(node, gast.Tuple):
            return gast.Tuple(elts=[self.index(e) for e in node.elts], ctx=gast.Load())
        return self.atom(node)

    def expr_Tuple(self, node):
        if any(isinstance(e, gast.Starred) for e in node.elts):
            return self.op(desugar.starred_literal(node))   # [*a, b]: list(a) + [b]
        return type(node)(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())

    expr_List = expr_Tuple

    def expr_Dict(self, node):
        return gast.Dict(keys=[None if k is None else self.atom(k) for k in node.keys],   # (None: {**p})
                         values=[self.atom(v) for v in node.values])

    def expr_ListComp(self, node, kind="list"):
        """[elt for x in xs if c] -> a loop appending to a fresh list."""
        res = self.fresh("comp")
        renames = {}
        gens = []
        for g in node.generators:
            if g.is_async:
                raise self.ctx.error(self.stmt, "async comprehensions cannot be differentiated.")
            it = _renamed(g.iter, renames)
            for n in astutil.walk_bfs(g.target):
                if isinstance(n, gast.Name):
                    renames[n.id] = self.fresh(n.id)
            gens.append((_renamed(g.target, renames), it, [_renamed(c, renames) for c in g.ifs]))
        if kind == "dict":
            key, value = _renamed(node.key, renames), _renamed(node.value, renames)
            store = gast.Subscript(value=_name(res), slice=key, ctx=gast.Store())
            inner = [gast.Assign(targets=[store], value=value, type_comment=None)]
            init = gast.Dict(keys=[], values=[])
        else:
            elt = _renamed(node.elt, renames)
            append = gast.Call(func=gast.Attribute(value=_name(res), attr="append", ctx=gast.Load()), args=[elt],
                               keywords=[])
            inner = [gast.Expr(value=append)]
            init = gast.List(elts=[], ctx=gast.Load())
        for target, it, ifs in reversed(gens):
            for c in reversed(ifs):
                inner = [gast.If(test=c, body=inner, orelse=[])]
            inner = [gast.For(target=target, iter=it, body=inner, orelse=[], type_comment=None)]
        stmts = [_assign(res, init, self.stmt)] + inner
        for st in stmts:
            for n in astutil.walk_bfs(st):
                if hasattr(n, "lineno") is False and isinstance(n, (gast.stmt, gast.expr)):
                    gast.copy_location(n, self.stmt)
        self.namer.declare([res, *renames.values()])
        stmts = lowering.lower_generator_loops(self.ctx, self.namer, stmts)   # `for x in gen(a)`: inlined
        for st in self.normalize_body(stmts):
            self.emit(st)
        return _name(res)

    expr_GeneratorExp = expr_ListComp

    def expr_DictComp(self, node):
        return self.expr_ListComp(node, "dict")

    def expr_IfExp(self, node):
        t = self.fresh()
        c = self.atom(node.test)
        body = self.normalize_body([_assign(t, node.body, self.stmt)])
        orelse = self.normalize_body([_assign(t, node.orelse, self.stmt)])
        self.emit(gast.If(test=self.bind(c, "cond"), body=body, orelse=orelse))
        return _name(t)


def _spread_in_place(body, spread):
    """``body`` with ``f(y, *args)`` / ``f(**kw)`` written out with the display's items (``f(y, a, b)``), and
    the parameters so written out dropped from ``spread``, when those are their only uses."""
    for p, display in list(spread.items()):
        if isinstance(display, gast.Tuple):
            body = _items_in_place(body, p, display)
        loads = [n for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[]))
                 if isinstance(n, gast.Name) and n.id == p]
        starred = [n for n in astutil.walk_bfs(gast.Module(body=body, type_ignores=[]))
                   if isinstance(n, gast.Call) for a in list(n.args) + list(n.keywords)
                   if (isinstance(a, gast.Starred) if isinstance(display, gast.Tuple)
                       else isinstance(a, gast.keyword) and a.arg is None)
                   and isinstance(a.value, gast.Name) and a.value.id == p]
        if len(starred) != len(loads) or any(not isinstance(n.ctx, gast.Load) for n in loads):
            continue
        for call in {id(c): c for c in starred}.values():
            if isinstance(display, gast.Tuple):
                call.args = [e for a in call.args
                             for e in ([copy.deepcopy(x) for x in display.elts]
                                       if isinstance(a, gast.Starred) and isinstance(a.value, gast.Name)
                                       and a.value.id == p else [a])]
            else:
                call.keywords = [e for k in call.keywords
                                 for e in ([gast.keyword(arg=key.value, value=copy.deepcopy(v))
                                            for key, v in zip(display.keys, display.values)]
                                           if k.arg is None and isinstance(k.value, gast.Name) and k.value.id == p
                                           else [k])]
        del spread[p]
    return body


def _items_in_place(body, p, display):
    """``body`` with ``p[i]`` (an int constant in range) and ``*p[a:b]`` (constant bounds) written as the
    display's items, when every use of ``p`` is one of those or a ``*p``: a decorator's
    ``fn(args[0] * 0.5, *args[1:], **kwargs)`` reads ``fn(x * 0.5, w)``. Else ``body`` unchanged."""
    from .lowering import _constant_slice
    module = gast.Module(body=body, type_ignores=[])
    items = display.elts
    ok = set()
    for n in gast.walk(module):
        if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name) and n.value.id == p:
            i = n.slice.value if isinstance(n.slice, gast.Constant) else None
            if type(i) is int and -len(items) <= i < len(items) and isinstance(n.ctx, gast.Load) \
                    or _constant_slice(n) is not None:
                ok.add(id(n.value))
        elif isinstance(n, gast.Starred) and isinstance(n.value, gast.Name) and n.value.id == p:
            ok.add(id(n.value))
    names = [n for n in gast.walk(module) if isinstance(n, gast.Name) and n.id == p]
    sliced = [n for n in gast.walk(module) if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name)
              and n.value.id == p and _constant_slice(n) is not None]
    if not names or any(id(n) not in ok for n in names) \
            or any(not any(isinstance(a, gast.Starred) and a.value is s for c in gast.walk(module)
                           if isinstance(c, gast.Call) for a in c.args) for s in sliced):
        return body   # (a slice only as `*p[a:b]` in a call's arguments)

    class Items(gast.NodeTransformer):
        def visit_Call(self, node):
            self.generic_visit(node)
            args = []
            for a in node.args:
                v = a.value if isinstance(a, gast.Starred) else None
                if _constant_slice(v) is not None and v.value.id == p:
                    args.extend(copy.deepcopy(e) for e in items[_constant_slice(v)])
                else:
                    args.append(a)
            node.args = args
            return node

        def visit_Subscript(self, node):
            self.generic_visit(node)
            if isinstance(node.value, gast.Name) and node.value.id == p and isinstance(node.slice, gast.Constant):
                return copy.deepcopy(items[node.slice.value])
            return node
    return [Items().visit(st) for st in body]
