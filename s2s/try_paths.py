"""The path a ``try`` statement takes, differentiated (issue 11), a part of s2s/lowering.py's pass.

A ``try`` with ``except`` clauses whose body is made of simple statements (``L = np.linalg.cholesky(K)``,
``a, b = f(x)``, ``np.linalg.cholesky(S)`` as a check, a last ``return v``) free of effects (NumPy, SciPy's
linalg and special, math, builtins, raising an exception, and functions of the user's made of such) is
lowered so that the path the primal takes is the one differentiated::

    try:                                        ran, handler = try_path(try_11, K, n)
        L = np.linalg.cholesky(K)               if handler == -1:
    except np.linalg.LinAlgError:       ->          L = np.linalg.cholesky(K)
        L = np.linalg.cholesky(K + 1e-6 * I)    else:
                                                    L = np.linalg.cholesky(K + 1e-6 * I)

``try_11`` (made here from the try body's own source, see ``_probe``) runs the body as the primal does and
answers how many of its statements ran to their end (``ran``) and which handler caught the exception the
next one raised (``handler``, -1 when none was raised); an exception no handler catches goes on, from that
line, as in the primal. The ``if`` then runs, differentiated, exactly what the primal ran: the body and the
``else`` clause, or the statements of the body that ran before the one that raised, then the handler that
caught it. A simple statement that raises binds nothing (its value is computed first), and the body has no
effects, so running the statements again gives the values the primal had. The cost: the body runs twice
(once in ``try_11``, once differentiated) in the forward sweep.

A ``try`` this does not take (a compound statement or an effect in the body, ``except E as e``, a bare
``raise`` in a handler) is left to ``lower_try``: the path without an exception is differentiated, and the
except path is refused when it runs (s2s/caught.py).
"""
import ast
import builtins
import copy
import types

import gast

from . import caught
from .sources import set_source
from .anno import getanno, hasanno
from .control import _assign, _at, _call, _name, _obj_name, _walk_own

MAX_BRANCHES = 16   # statements of the body times handlers, beyond which the try is left to lower_try


def try_path(probe, *values):
    """``(ran, handler)``: how many statements of a try body ran to their end, and which handler caught the
    exception the next one raised (-1: none was raised), from running the body (``probe``) on ``values``."""
    return probe(*values)


try_path.s2s_impure = True   # run once, where it is: never dropped, moved or recomputed


_REGISTERED = []


def _register():
    if not _REGISTERED:
        from . import registry
        registry.nondifferentiable(try_path)
        _REGISTERED.append(True)


def lower_taken_path(lw, s):
    """The statements ``s`` (a try with handlers) lowers to (see the module doc), or None."""
    ctx = lw.ctx
    body = list(s.body)
    if not s.handlers or not body or len(body) * len(s.handlers) > MAX_BRANCHES:
        return None
    if not all(_simple(st, last=i == len(body) - 1) for i, st in enumerate(body)):
        return None
    for h in s.handlers:
        if h.name is not None or any(isinstance(n, gast.Raise) and n.exc is None for n in _walk_own(h.body)):
            return None   # (except E as e: the exception object; a bare raise re-raises it)
    if not _Effects(ctx).free(body):
        return None
    local = lambda n: n in ctx.locals or n in lw.new_locals   # noqa: E731
    made = _probe(ctx, s, local)
    if made is None:
        return None
    probe, params = made
    _register()
    ran, handler = lw.fresh("ran"), lw.fresh("handler")
    call = _call(_obj_name("try_path", try_path), [_obj_name(probe.__name__, probe)] + [_name(p) for p in params])
    out = _at([_assign(gast.Tuple(elts=[_name(ran, gast.Store()), _name(handler, gast.Store())], ctx=gast.Store()),
                       call)], s.body[0])   # (the body's first line: a refusal naming it names the try's work)

    def eq(name, value, op=gast.Eq):
        return gast.Compare(left=_name(name), ops=[op()], comparators=[gast.Constant(value=value, kind=None)])

    chain = lw.block(copy.deepcopy(s.handlers[-1].body)) or [gast.Pass()]
    for j in range(len(s.handlers) - 2, -1, -1):   # if handler == 0: ... elif handler == 1: ... else: last
        chain = [_located(gast.If(test=eq(handler, j), body=lw.block(copy.deepcopy(s.handlers[j].body))
                                  or [gast.Pass()], orelse=chain), s.handlers[j])]
    replay = []
    for k, st in enumerate(body[:-1]):   # the statements that ran before the one that raised
        replay.append(_located(gast.If(test=eq(ran, k, gast.Gt), body=lw.block([copy.deepcopy(st)]), orelse=[]), st))
    taken = lw.block(copy.deepcopy(body)) + lw.block(copy.deepcopy(s.orelse))
    out.append(_located(gast.If(test=eq(handler, -1), body=taken or [gast.Pass()], orelse=replay + chain), s))
    return out + lw.block(s.finalbody)


def _located(node, like):
    """``node`` (an ``if`` the lowering made) at the place of ``like``, its test too; not its body, which keeps
    the lines of the user's statements."""
    _at([gast.Expr(value=node.test)], like)
    return gast.copy_location(node, like)


def _simple(st, last):
    """A statement that binds nothing when it raises: ``x = v``, ``a, b = v``, ``f(x)``, a last ``return v``."""
    if isinstance(st, gast.Assign):
        return len(st.targets) == 1 and (isinstance(st.targets[0], gast.Name) or isinstance(
            st.targets[0], (gast.Tuple, gast.List)) and all(isinstance(e, gast.Name) for e in st.targets[0].elts))
    if isinstance(st, gast.AnnAssign):
        return isinstance(st.target, gast.Name) and st.value is not None
    if isinstance(st, gast.Return):
        return last
    return isinstance(st, (gast.Expr, gast.Pass))


_SCIPY = ("scipy.linalg", "scipy.special", "scipy._lib")


class _Effects:
    """Whether code may run twice with the same result: no draw, no I/O, no write into a value."""

    def __init__(self, ctx, depth=0):
        from .purity import Purity
        self.ctx, self.depth, self.purity = ctx, depth, Purity(lambda n: _known(ctx, n))

    def free(self, stmts):
        from . import effects
        for n in _walk_own(stmts):
            if isinstance(n, (gast.Global, gast.Nonlocal, gast.Yield, gast.YieldFrom, gast.Await, gast.NamedExpr,
                              gast.Lambda, gast.FunctionDef, gast.ClassDef, gast.Delete, gast.With, gast.Try)):
                return False
            if isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, (gast.Store, gast.Del)):
                return False
            if isinstance(n, gast.AugAssign) and not isinstance(n.target, gast.Name):
                return False
            if isinstance(n, gast.Call) and not self.call(n, effects):
                return False
        return True

    def call(self, n, effects):
        if any(k.arg == "out" for k in n.keywords):
            return False
        obj = _known(self.ctx, n.func)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            return True   # ValueError("negative"): made to be raised
        if isinstance(n.func, gast.Attribute) and n.func.attr in effects.IMPURE_METHODS:
            return False
        if obj is None:   # a method of a value: an array's
            import numpy as np
            return isinstance(n.func, gast.Attribute) and hasattr(np.ndarray, n.func.attr) \
                and n.func.attr not in effects.MUTATING_METHODS
        if isinstance(obj, types.MethodType) and isinstance(obj.__func__, types.FunctionType):
            obj = obj.__func__
        module = getattr(obj, "__module__", None) or ""
        if module.startswith(_SCIPY) or module.split(".")[0] in ("numpy", "math") and self.purity.obj_pure(obj):
            return True
        if isinstance(obj, types.FunctionType) and effects.user_function(obj):
            return self.depth < 4 and not effects.params_changed(obj) and self.user(obj)
        return self.purity.obj_pure(obj)

    def user(self, fn):
        from .parse import parse_function
        try:
            sub = parse_function(fn)
        except Exception:
            return False
        return _Effects(sub, self.depth + 1).free(sub.node.body)


def _known(ctx, node):
    """What ``node`` (a callee) names, or None when it is a local's value or unknown."""
    from .parse import _MISSING
    root = node
    while isinstance(root, gast.Attribute):
        root = root.value
    if isinstance(root, gast.Name) and root.id in getattr(ctx, "locals", ()) and not hasanno(root, "obj"):
        return None
    try:
        v = ctx.resolve(node)
    except Exception:
        return None
    return None if v is _MISSING else v


def _probe(ctx, s, local):
    """(a function running ``s``'s body as the primal does, answering ``(ran, handler)``; the names of the
    caller's variables it takes), or None when a name it reads cannot be resolved. It is the user's own
    ``try``, one statement at a time, with the user's ``except`` clauses (their classes named as the user
    names them); its globals are the user's function's own (read when it runs, as the primal reads them).
    A closure's values and the objects the lowering bound are given to it."""
    body, params, bound, given = s.body, [], set(), {}
    fn_globals = ctx.globals if isinstance(getattr(ctx, "globals", None), dict) else {}

    def reads(node, bound):
        inner = {n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        for n in gast.walk(node):   # (inner: a comprehension's variables)
            if not isinstance(n, gast.Name) or n.id in bound | inner or n.id in params or n.id in given:
                continue
            if hasanno(n, "obj"):
                given[n.id] = getanno(n, "obj")
            elif local(n.id):
                params.append(n.id)
            elif n.id in getattr(ctx, "closure", {}):
                given[n.id] = ctx.closure[n.id]
            elif n.id not in fn_globals and not hasattr(builtins, n.id):
                return False
        return True

    for st in body:
        value = st.value if isinstance(st, (gast.Assign, gast.AnnAssign, gast.Expr, gast.Return)) else None
        if value is not None and not reads(value, bound):
            return None
        bound |= {n.id for n in gast.walk(st) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    for h in s.handlers:   # (a handler's class read from a name the body binds: not followed)
        if h.type is not None and ({n.id for n in gast.walk(h.type) if isinstance(n, gast.Name)} & bound
                                   or not reads(h.type, set())):
            return None

    def text(node):
        return ast.unparse(ast.fix_missing_locations(gast.gast_to_ast(copy.deepcopy(node))))

    name = f"try_{ctx.line_offset + s.lineno}"
    lines = [f"def {name}({', '.join(params)}):",
             f'    """The try at {caught._label(ctx)}:{ctx.line_offset + s.lineno}: (statements run to their end, '
             'handler catching what the next raised; -1: none)."""']
    for k, st in enumerate(body):
        st = gast.Expr(value=st.value) if isinstance(st, gast.Return) else st
        lines += ["    try:"] + ["        " + t for t in text(gast.Module(body=[st], type_ignores=[])).splitlines()]
        for j, h in enumerate(s.handlers):
            lines += ["    except:" if h.type is None else f"    except {text(h.type)}:", f"        return {k}, {j}"]
    lines.append(f"    return {len(body)}, -1")
    source = "\n".join(lines) + "\n"
    made = {}
    label = f"<s2s: the try body of {caught._label(ctx)}:{ctx.line_offset + s.lineno}>"
    if given:   # a closure's values, objects the lowering bound: given to it (not written out by export)
        outer = sorted(given)
        wrapped = "\n".join([f"def s2s_make({', '.join(outer)}):"] + ["    " + t for t in lines]
                            + [f"    return {name}"])
        exec(compile(wrapped, label, "exec"), fn_globals, made)
        probe = made["s2s_make"](*[given[g] for g in outer])
    else:
        exec(compile(source, label, "exec"), fn_globals, made)
        probe = made[name]
    set_source(probe, source)
    return probe, params
