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
import gast
import numpy as np

from . import checkpointing, containers, control, desugar, effects
from .anno import getanno, hasanno, setanno
from .jumps import BREAKS, JumpLowering
from .naming import Namer
from .parse import _MISSING, local_names, param_names

ATOMS = (gast.Name, gast.Constant)

_CONCATENATORS = (type(np.r_), type(np.c_))   # np.r_ and np.c_ (index tricks)


def is_atom(node, ctx):
    if isinstance(node, ATOMS):
        return True
    if isinstance(node, gast.Attribute):  # np.pi, math.e: a global chain
        base = node.value
        while isinstance(base, gast.Attribute):
            base = base.value
        return isinstance(base, gast.Name) and (base.id not in ctx.locals or base.id in getattr(ctx, "static_locals", ()))
    return False


def _name(id_, ctx=gast.Load()):
    return gast.Name(id=id_, ctx=ctx, annotation=None, type_comment=None)


def _sub(seq, k):
    return gast.Subscript(value=seq, slice=_name(k), ctx=gast.Load())


def _assign(target, value, like):
    node = gast.Assign(targets=[_name(target, gast.Store())], value=value, type_comment=None)
    return gast.copy_location(node, like)


class Normalizer:
    """One ``visit_X`` a statement type; ``expr_X`` atomizes an expression type."""

    def __init__(self, ctx, namer):
        self.ctx = ctx
        self.namer = namer
        self.out = None       # statement list being filled
        self.stmt = None      # the user statement being normalized (for locations)
        self.local_fns = {}   # nested def / lambda name -> node, inlined at calls
        self.partials = {}    # h = functools.partial(g, a): h -> (g, bound atoms, keywords) (s2s/desugar.py)
        self.sequences = desugar.sequence_names(ctx.node, ctx)   # names only ever bound to lists/tuples
        self.depth = 0
        self.shared = set()   # names that may share an array with another name (see _shared)

    # --- driver
    def normalize_body(self, stmts):
        saved = self.out
        self.out = []
        for s in stmts:
            self.stmt = s
            method = getattr(self, "visit_" + type(s).__name__, None)
            if method is None:
                raise self.ctx.error(s, f"`{type(s).__name__}` statements are not supported by s2s yet.",
                                     "Rewrite this statement, or move it out of the differentiated function.")
            method(s)
        out, self.out = self.out, saved
        return out

    def emit(self, node):
        self.out.append(gast.copy_location(node, self.stmt) if not hasattr(node, "lineno") else node)

    def fresh(self, base="t"):
        return self.namer.name(base)

    def bind(self, value, base="t"):
        """Emit ``t = value`` and return the Name t."""
        t = self.fresh(base)
        self.emit(_assign(t, value, self.stmt))
        return _name(t)

    # --- expressions
    def atom(self, node):
        """An atom equal to node, emitting temporaries for compound parts."""
        if is_atom(node, self.ctx):
            return node
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and isinstance(node.operand, gast.Constant) \
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
        left, right = self.atom(node.left), self.atom(node.right)
        if isinstance(node.op, gast.Mult) and isinstance(left, gast.Name) and isinstance(right, gast.Name) \
                and left.id == right.id:   # x * x -> x ** 2: one rule, d = 2 * x
            return gast.BinOp(left=left, op=gast.Pow(), right=gast.Constant(value=2, kind=None))
        return gast.BinOp(left=left, op=node.op, right=right)

    def expr_UnaryOp(self, node):
        if isinstance(node.op, gast.Not):
            return node
        return gast.UnaryOp(op=node.op, operand=self.atom(node.operand))

    def expr_Call(self, node):
        new = desugar.call(self, node)   # map/filter/partial of a function known here: a comprehension, a direct call
        if new is not None:
            return self.op(new)
        func = node.func
        if isinstance(func, gast.Name) and func.id in self.local_fns:
            return self.inline(self.local_fns[func.id], node)
        if any(isinstance(a, gast.Lambda) or isinstance(a, gast.Name) and a.id in self.local_fns
               for a in list(node.args) + [k.value for k in node.keywords]):
            return self.inline_with_functions(node)
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
        return gast.Call(func=func, args=args, keywords=kws)

    def inline(self, fdef, call):
        """A call of a function defined inside the differentiated one, inlined in place."""
        self.depth += 1
        if self.depth > 20:
            raise self.ctx.error(self.stmt, "recursive nested functions cannot be differentiated.",
                                 "Define the function at module level (s2s differentiates recursion there).")
        args = fdef.args
        if args.vararg or args.kwarg or args.kwonlyargs:
            raise self.ctx.error(self.stmt, "nested functions with *args, **kwargs or keyword-only parameters are not supported by s2s yet.")
        params = [a.id for a in args.args]
        values = {}
        funcs = {}   # parameters bound to a lambda or a nested function: inlined where called

        def arg(p, a):
            if isinstance(a, gast.Lambda):
                funcs[p] = a
            elif isinstance(a, gast.Name) and a.id in self.local_fns:
                funcs[p] = self.local_fns[a.id]
            else:
                values[p] = self.atom(a)

        for p, a in zip(params, call.args):
            arg(p, a)
        for k in call.keywords:
            arg(k.arg, k.value)
        for p, dflt in zip(params[len(params) - len(args.defaults):], args.defaults):
            values.setdefault(p, self.atom(dflt))
        if set(values) | set(funcs) != set(params) or len(call.args) > len(params):
            raise self.ctx.error(self.stmt, "this call does not match the parameters of the nested function it calls.")
        body = [gast.Return(value=fdef.body)] if isinstance(fdef, gast.Lambda) else fdef.body
        inner = gast.FunctionDef(name="inner", args=args, body=body, decorator_list=[], returns=None,
                                 type_comment=None, type_params=[])
        renames = {n: self.fresh(n) for n in local_names(inner)}
        for p, f in funcs.items():
            self.local_fns[renames[p]] = f
        self.ctx.locals = self.ctx.locals | set(renames.values())
        body = [_renamed(st, renames) for st in body]
        for st in body:
            for n in gast.walk(st):
                if isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n.name in renames:
                    n.name = renames[n.name]
                if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
                    gast.copy_location(n, self.stmt)
        res = self.fresh("result")
        body = JumpLowering(self.namer).function(body) if body else [gast.Return(value=gast.Constant(value=None, kind=None))]
        last = body[-1]
        body[-1] = gast.copy_location(_assign(res, last.value if isinstance(last, gast.Return) and last.value is not None
                                              else gast.Constant(value=None, kind=None), self.stmt), self.stmt)
        stmts = [gast.copy_location(_assign(renames[p], values[p], self.stmt), self.stmt) for p in params if p in values] + body
        for st in self.normalize_body(stmts):
            self.emit(st)
        self.depth -= 1
        return _name(res)

    def inline_with_functions(self, call):
        """apply(lambda v: v * 2, x): a module-level helper given a function, inlined here."""
        from .parse import parse_function
        target = self.ctx.resolve(call.func)
        if not hasattr(target, "__code__") or getattr(target, "__globals__", None) is not self.ctx.globals:
            raise self.ctx.error(self.stmt, "a lambda or nested function passed as an argument can only be "
                                 "differentiated when the callee is a Python function of the same module.",
                                 "Call the function directly instead of passing it.")
        callee = parse_function(target).node
        if any(n.id in self.ctx.locals for n in gast.walk(callee) if isinstance(n, gast.Name)
               and n.id not in local_names(callee)):
            raise self.ctx.error(self.stmt, f"cannot inline {target.__name__}: it reads names this function also uses.")
        return self.inline(callee, call)

    def expr_Attribute(self, node):
        if is_atom(node, self.ctx):
            return node
        return gast.Attribute(value=self.atom(node.value), attr=node.attr, ctx=gast.Load())

    def expr_Subscript(self, node):
        if isinstance(self.ctx.resolve(node.value), _CONCATENATORS):
            # np.r_[a, 0:3, b] / np.c_[...]: a call of runtime.index_concat, which has rules
            items = node.slice.elts if isinstance(node.slice, gast.Tuple) else [node.slice]
            args = [self.atom(node.value)] + [self.atom(_slice_call(e) if isinstance(e, gast.Slice) else e) for e in items]
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
        if any(k is None for k in node.keys):
            return node
        return gast.Dict(keys=[self.atom(k) for k in node.keys], values=[self.atom(v) for v in node.values])

    def expr_ListComp(self, node, kind="list"):
        """[elt for x in xs if c] -> a loop appending to a fresh list."""
        res = self.fresh("comp")
        renames = {}
        gens = []
        for g in node.generators:
            if g.is_async:
                raise self.ctx.error(self.stmt, "async comprehensions cannot be differentiated.")
            it = _renamed(g.iter, renames)
            for n in gast.walk(g.target):
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
            append = gast.Call(func=gast.Attribute(value=_name(res), attr="append", ctx=gast.Load()), args=[elt], keywords=[])
            inner = [gast.Expr(value=append)]
            init = gast.List(elts=[], ctx=gast.Load())
        for target, it, ifs in reversed(gens):
            for c in reversed(ifs):
                inner = [gast.If(test=c, body=inner, orelse=[])]
            inner = [gast.For(target=target, iter=it, body=inner, orelse=[], type_comment=None)]
        stmts = [_assign(res, init, self.stmt)] + inner
        for st in stmts:
            for n in gast.walk(st):
                if hasattr(n, "lineno") is False and isinstance(n, (gast.stmt, gast.expr)):
                    gast.copy_location(n, self.stmt)
        self.ctx.locals = self.ctx.locals | {res} | set(renames.values())
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

    # --- statements
    def visit_Assign(self, node):
        value = node.value
        if len(node.targets) > 1:
            value = self.atom(value)
        for target in node.targets:
            self.assign(target, value)

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
        if isinstance(target, gast.Name) and desugar.partial_assignment(self, target.id, value):
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
            raise self.ctx.error(self.stmt, "starred assignment targets are not supported by s2s yet.",
                                 "Index the sequence explicitly instead.")
        if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts) \
                and not any(isinstance(e, gast.Starred) for e in value.elts):
            parts = [self.atom(e) for e in value.elts]
            parts = [self.bind(p) if isinstance(p, gast.Name) else p for p in parts]  # a, b = b, a
        else:
            seq = self.atom(value)
            parts = [gast.Subscript(value=seq, slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
                     for i in range(len(target.elts))]
        for t, p in zip(target.elts, parts):
            self.assign(t, p)

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
            rebind.s2s_aug = True
            write = gast.copy_location(gast.Assign(targets=[store], value=new, type_comment=None), self.stmt)
            write.s2s_aug = True
            self.emit(gast.If(test=cond, body=[write], orelse=[rebind]))
        elif isinstance(target, gast.Name):
            load = _name(target.id)
            start = len(self.out)
            self.assign(target, gast.BinOp(left=load, op=node.op, right=node.value))
            for st in self.out[start:]:
                st.s2s_aug = True
        elif isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            idx = self.index(target.slice)
            old = self.bind(gast.Subscript(value=target.value, slice=idx, ctx=gast.Load()))
            new = self.bind(gast.BinOp(left=old, op=node.op, right=self.atom(node.value)))
            self.emit(gast.Assign(targets=[gast.Subscript(value=target.value, slice=idx, ctx=gast.Store())],
                                  value=new, type_comment=None))
        else:
            raise self.ctx.error(node, "augmented assignment to this kind of target is not supported by s2s yet.")

    def visit_If(self, node):
        c = self.bind(node.test if isinstance(node.test, (gast.Compare, gast.BoolOp, gast.UnaryOp)) else self.op(node.test), "cond")
        self.emit(gast.If(test=c, body=self.normalize_body(node.body) or [gast.Pass()],
                          orelse=self.normalize_body(node.orelse)))

    def visit_For(self, node):
        if node.orelse:
            raise self.ctx.error(node, "`for ... else` is not supported by s2s yet.", "Use a flag variable instead.")
        it = desugar.star_zip(self, node.target, node.iter) or node.iter   # zip(*t): zip(t[0], t[1])
        fn = self.ctx.resolve(it.func) if isinstance(it, gast.Call) and not it.keywords else None
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
        fn = self.ctx.resolve(it.func) if isinstance(it, gast.Call) and not it.keywords \
            and not any(isinstance(a, gast.Starred) for a in it.args) else None
        if fn is enumerate and 1 <= len(it.args) <= 2:
            return ("enumerate", self._sequences(it.args[0], body), it.args[1:])
        if fn is zip and it.args:
            return ("zip", [self._sequences(a, body) for a in it.args])
        return ("seq", self.sequence(it, body))

    def _indexed(self, tree, k):
        if tree[0] == "enumerate":
            n, inner = self._indexed(tree[1], k)
            i = _name(k) if not tree[2] else gast.BinOp(left=_name(k), op=gast.Add(), right=tree[2][0])
            return n, gast.Tuple(elts=[i, inner], ctx=gast.Load())
        if tree[0] == "zip":
            parts = [self._indexed(t, k) for t in tree[1]]
            n = parts[0][0] if len(parts) == 1 else self.call("min", [p[0] for p in parts], "n")
            return n, gast.Tuple(elts=[p[1] for p in parts], ctx=gast.Load())
        return self.call("len", [tree[1]], "n"), _sub(tree[1], k)

    def sequence(self, it, body=()):
        """An atom holding ``it`` as an indexable sequence (the object the loop started with)."""
        if isinstance(it, gast.Name):
            if it.id not in _stored(body):
                return it
            seq = self.bind(it, "seq")   # the body rebinds the name: iterate what it held at the start
            self.ctx.copied = self.ctx.copied | {it.id, seq.id}   # ... the same object (x += e changes both)
            return seq
        value = self.op(it)
        if isinstance(value, gast.Call) and not isinstance(it, (gast.List, gast.Tuple)):
            fn = self.ctx.resolve(value.func)
            if not (isinstance(fn, type) and fn in (list, tuple)) and fn is not sorted and getattr(fn, "__module__", "") != "numpy" \
                    and type(fn).__name__ != "ufunc":
                value = gast.Call(func=runtime_name("list"), args=[self.atom(value)], keywords=[])
        return self.bind(value, "seq")

    def call(self, fname, args, base):
        return self.bind(gast.Call(func=runtime_name(fname), args=args, keywords=[]), base)

    def loop(self, target, r, prefix, node):
        body = self.normalize_body(prefix + node.body) or [gast.Pass()]
        loop = gast.copy_location(gast.For(target=target, iter=r, body=body, orelse=[], type_comment=None), node)
        setattr(loop, BREAKS, getattr(node, BREAKS, False))
        if hasanno(node, checkpointing.MARK):   # with s2s.checkpoint(...) around it
            setanno(r, checkpointing.MARK, getanno(node, checkpointing.MARK))
        self.emit(loop)

    def visit_While(self, node):
        if node.orelse:
            raise self.ctx.error(node, "`while ... else` is not supported by s2s yet.", "Use a flag variable instead.")
        loop = gast.copy_location(gast.While(test=node.test, body=self.normalize_body(node.body) or [gast.Pass()], orelse=[]), node)
        setattr(loop, BREAKS, getattr(node, BREAKS, False))
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
            return
        self.emit(node)

    def visit_Pass(self, node):
        pass

    def visit_Assert(self, node):
        self.emit(node)

    visit_Raise = visit_Assert
    visit_Import = visit_Assert
    visit_ImportFrom = visit_Assert

    def visit_With(self, node):
        self.emit(node)  # checked by the transform (only insert_grad_of is supported)

    def visit_Break(self, node):
        self.emit(node)

    visit_Continue = visit_Break

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


def normalize(ctx):
    """Return (FunctionDef in core form, Namer) for ctx's function."""
    fn = ctx.node
    namer = Namer.for_tree(fn, ctx.globals.keys() & _names_read(fn))
    control.lower(ctx, fn, namer)   # try, generators, callees changing arguments, refused branches (s2s/control.py)
    for n in gast.walk(fn):
        if isinstance(n, (gast.Yield, gast.YieldFrom)):
            raise ctx.error(n, "generators (`yield`) cannot be differentiated.",
                            "Return a list or an array instead.")
        if isinstance(n, gast.Await):
            raise ctx.error(n, "`await` cannot be differentiated.")
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id in ("exec", "eval") \
                and ctx.resolve_name(n.func.id) in (exec, eval):
            raise ctx.error(n, f"`{n.func.id}` cannot be differentiated: s2s needs to see the code as source.",
                            "Write the code out in the function instead.")
        if isinstance(n, gast.NamedExpr):
            raise ctx.error(n, "assignment expressions (`:=`) are not supported by s2s yet.",
                            "Use a separate assignment statement.")
    checkpointing.mark_blocks(fn, ctx)
    ctx.static_locals = static_namespaces(fn, ctx)
    _put_along_axis_writes(fn, ctx, namer)
    body = fn.body
    prologue = []
    # A helper called from generated code (a split pair's forward half) writes into what it is given, as its
    # primal does: the caller copied its own arguments already (fuzz seed 50005893: a copy here hid the write).
    through = getattr(ctx, "writes_through", False)
    deep = _callees_mutate(ctx, fn) and not through   # a helper writes into what it is given: copy our arguments deeply
    for p in param_names(fn):
        if deep:
            alias = namer.name(p + "_")
            _rename(body, p, alias)
            value = gast.Call(func=runtime_name("copy_deep"), args=[_name(p)], keywords=[])
            prologue.append(gast.copy_location(_assign(alias, value, fn), fn.body[0]))
            ctx.locals = ctx.locals | {alias}
            continue
        mutated = _mutated(body, p)
        if mutated or _assigned(body, p):
            alias = namer.name(p + "_")
            _rename(body, p, alias)
            value = gast.Call(func=runtime_name("copy_value"), args=[_name(p)], keywords=[]) \
                if mutated and not through else _name(p)
            prologue.append(gast.copy_location(_assign(alias, value, fn), fn.body[0]))
            ctx.locals = ctx.locals | {alias}
    ctx.copied, ctx.from_subscript = _aliases(body, ctx)
    # (generated gradients, differentiated again, accumulate into adjoints they made private)
    shared = set() if getattr(ctx.fn, "s2s_generated", False) else _shared(body)
    body = JumpLowering(namer).function(body)
    norm = Normalizer(ctx, namer)
    norm.shared = shared
    norm.stmt = fn
    new_body = prologue + norm.normalize_body(body)
    for n in gast.walk(gast.Module(body=new_body, type_ignores=[])):
        if isinstance(n, gast.Name) and (n.id in norm.local_fns or n.id in norm.partials) and isinstance(n.ctx, gast.Load):
            raise ctx.error(n if hasattr(n, "lineno") else fn, f"the nested function {n.id!r} is used as a value; s2s can only inline calls to it.",
                            "Call it directly, or define it at module level.")
        if isinstance(n, gast.Lambda):
            from .codegen import expr_source
            which = f" (`{expr_source(n)}`" + (f", column {n.col_offset + 1})" if hasattr(n, "col_offset") else ")")
            raise ctx.error(n, f"a lambda that is not assigned to a name and called cannot be differentiated{which}.",
                            "Assign it (f = lambda ...) and call it, or use a def.")
    new = gast.FunctionDef(name=fn.name, args=fn.args, body=new_body, decorator_list=[], returns=None,
                           type_comment=None, type_params=[])
    gast.copy_location(new, fn)
    ctx.locals = ctx.locals | {n.id for n in gast.walk(new) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    return new, namer


def _put_along_axis_writes(fn, ctx, namer):
    """``np.put_along_axis(y, idx, v, axis)`` on a local array is, by NumPy's definition, a subscript write
    ``y[fancy] = v``; written so (each element once: runtime.along_axis_index / along_axis_values), it is
    differentiated, copied when y is a parameter, and checked for aliases like any other write into y."""
    import inspect
    sig = inspect.signature(np.put_along_axis)
    shared = effects.views(fn.body)
    # an array another name may share (b = y, b = y[0:2]) is left to the effects checks, which refuse the
    # call: forward mode does not write such a write through to the other name's tangent
    aliased = set(shared) | set().union(*shared.values()) if shared else set()
    for node in gast.walk(fn):
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


def static_namespaces(fn, ctx):
    """Locals bound once to an array namespace: ``xp = np`` (a module), ``xp = array_namespace(x)`` or
    ``xp, _ = get_namespace(x)`` (the namespace getter's answer for NumPy arrays): name -> module, so that
    ``xp.sum(...)`` resolves to that module's function and takes its rules (not ndarray.sum's)."""
    import types
    from . import registry
    stores = {}
    for n in gast.walk(fn):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            stores[n.id] = stores.get(n.id, 0) + 1
    params = set(param_names(fn))
    out = {}
    for st in gast.walk(fn):
        if not (isinstance(st, gast.Assign) and len(st.targets) == 1):
            continue
        target, value = st.targets[0], st.value
        if isinstance(value, (gast.Name, gast.Attribute)):
            found = ctx.resolve(value)
            found = found if isinstance(found, types.ModuleType) else _MISSING
        elif isinstance(value, gast.Call) and registry.namespace_getter(ctx.resolve(value.func)):
            try:
                found = ctx.resolve(value.func)(np.zeros(1))
            except Exception:   # noqa: BLE001 (a getter that does not answer for NumPy: nothing known)
                continue
        else:
            continue
        names = [target] if isinstance(target, gast.Name) else list(getattr(target, "elts", ()))
        values = [found] if isinstance(target, gast.Name) else list(found) if isinstance(found, tuple) else []
        for t, v in zip(names, values):
            if isinstance(t, gast.Name) and isinstance(v, types.ModuleType) and stores.get(t.id) == 1 \
                    and t.id not in params:
                out[t.id] = v
    return out


def _mutated(stmts, name):
    """True if the body changes ``name`` in place (see effects.mutates)."""
    return effects.mutates(stmts, name)


def _aliases(body, ctx):
    """Names the user binds to another variable (a = b) or to an element/slice (a = b[i])."""
    copied, sub = set(), set()
    for n in gast.walk(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            v = n.value
            if isinstance(v, gast.Name) and (v.id in ctx.locals or ctx.resolve_name(v.id) is _MISSING):
                copied.add(n.targets[0].id)
                copied.add(v.id)   # both names now share one object
            elif isinstance(v, gast.Subscript):
                sub.add(n.targets[0].id)
    return copied, sub


def _shared(body):
    """Names that may share memory with another name: both sides of ``a = b``, ``a = b[...]``,
    ``a = b.T``, ``a = b.reshape(...)``, ``a = np.ravel(b)``, ``for a in b``, and names put into a
    list, tuple or dict display (``lst = [a, b]``)."""
    out = set()
    for n in gast.walk(gast.Module(body=body, type_ignores=[])):
        if isinstance(n, gast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], gast.Name):
            base = effects.view_base(n.value)
            if base is not None:
                out |= {base, n.targets[0].id}
            elif isinstance(n.value, (gast.List, gast.Tuple, gast.Dict)):
                out |= {e.id for e in (n.value.values if isinstance(n.value, gast.Dict) else n.value.elts)
                        if isinstance(e, gast.Name)}
        elif isinstance(n, gast.For) and isinstance(n.target, gast.Name) and isinstance(n.iter, gast.Name):
            out |= {n.target.id, n.iter.id}
    return out


def _callees_mutate(ctx, fn, seen=None):
    """True if a user function called (transitively) changes one of its arguments in place."""
    from .parse import parse_function
    seen = set() if seen is None else seen
    for n in gast.walk(fn):
        if not isinstance(n, gast.Call):
            continue
        obj = ctx.resolve(n.func)
        obj = getattr(obj, "__func__", obj)
        if not hasattr(obj, "__code__") or getattr(obj, "s2s_generated", False) or obj in seen \
                or getattr(obj, "__module__", None) == control.__name__:   # s2s/control.py's checks change nothing
            continue
        seen.add(obj)
        chain = [obj]   # a functools.wraps decorator: the function it wraps runs too (fuzz seed 99201720)
        while hasattr(chain[-1], "__wrapped__") and chain[-1].__wrapped__ not in chain:
            chain.append(getattr(chain[-1].__wrapped__, "__func__", chain[-1].__wrapped__))
        for one in chain:
            try:
                sub = parse_function(one)
            except Exception:
                continue
            if any(_mutated(sub.node.body, p) for p in param_names(sub.node)) or _callees_mutate(sub, sub.node, seen):
                return True
    return False


def _slice_call(node):
    """``a:b:c`` as the expression ``slice(a, b, c)``."""
    parts = [p if p is not None else gast.Constant(value=None, kind=None) for p in (node.lower, node.upper, node.step)]
    return gast.Call(func=runtime_name("slice"), args=parts, keywords=[])


def runtime_name(name, obj=None):
    """A Name for an object the normalizer introduces (bound in the generated namespace)."""
    import builtins
    from . import runtime
    node = _name(name)
    node.s2s_obj = obj if obj is not None else getattr(runtime, name, None) or getattr(builtins, name)
    return node


def _stored(stmts):
    return {n.id for s in stmts for n in gast.walk(s) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _renamed(node, renames):
    import copy
    node = copy.deepcopy(node)
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and n.id in renames:
            n.id = renames[n.id]
    return node


def _names_read(tree):
    return {n.id for n in gast.walk(tree) if isinstance(n, gast.Name)}


def _assigned(stmts, name):
    for s in stmts:
        for n in gast.walk(s):
            if isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Store):
                return True
    return False


def _rename(stmts, old, new):
    for s in stmts:
        for n in gast.walk(s):
            if isinstance(n, gast.Name) and n.id == old:
                n.id = new
