"""The rewriting behind ``backend="numba"`` (s2s/backends/numba.py): the generated Python gradient made
into what ``numba.njit`` compiles (typed tapes, typed zeros, counting ranges, a namespace of what numba
can call), and numba's errors turned into DifferentiationErrors at the user's line."""
import ast
import builtins
import copy
import inspect
import itertools
import linecache
import os
import re
import threading
import types

import numpy as np

from .. import runtime
from ..errors import DifferentiationError
from .numba_helpers import helpers, infer, is_own, version_of

local = threading.local()   # an error found while numba types a helper (raised once numba gives up)


class Refusal(Exception):
    """Something this pass does not translate: (statement or None, reason)."""

    def __init__(self, node, reason):
        super().__init__(reason)
        self.node, self.reason = node, reason


def where_def(fn):
    code = getattr(fn, "__code__", None)
    if code is None:
        return ""
    return f'File "{code.co_filename}", line {code.co_firstlineno}, in {code.co_name}\n'


# ---------------------------------------------------------------- errors

_FILES = {}   # generated file name -> {line: "file.py:17"}


def _user_location(where, py):
    """'File "/abs/file.py", line 17\n    text' for a ``file.py:17`` comment of generated code."""
    label, _, line = where.rpartition(":")
    path = label
    primal = py
    while getattr(primal, "s2s_primal", None) is not None:
        primal = primal.s2s_primal
    code = getattr(primal, "__code__", None)
    if code is not None and os.path.basename(code.co_filename) == label:
        path = code.co_filename
    else:
        for mod in list(__import__("sys").modules.values()):
            f = getattr(mod, "__file__", None)
            if f and os.path.basename(f) == label:
                path = f
                break
    text = linecache.getline(path, int(line)).strip()
    return f'File "{path}", line {line}' + (f"\n    {text}" if text else "")


def _reason(message):
    """The lines of a numba error that say what went wrong (without numba's banners and colours)."""
    keep = []
    lines = [raw.strip() for raw in re.sub(r"\x1b\[[0-9;]*m", "", message).splitlines()]
    for i, s in enumerate(lines):
        if not s or s.startswith(("Failed in ", "During:", "File ", "^", "- Resolution", "Rewrite",
                                  "Enable logging", "Unsupported functionality", "There are ")):
            if keep and not s:
                break
            continue
        if s.startswith("This error may have been caused") or s.startswith("[1]"):
            break
        if s.endswith("found for signature:"):
            s += " " + next((t for t in lines[i + 1:] if t), "")
        keep.append(s)
        if len(keep) >= 2:
            break
    return " ".join(keep)[:400]


def numba_error(e, py):
    msg = str(e)
    where = None
    for m in re.finditer(r'File "([^"]+)", line (\d+)', msg):
        lines = _FILES.get(m.group(1))
        if lines is not None and lines.get(int(m.group(2))):
            where = lines[int(m.group(2))]
            break
    if where is None:   # a user's function numba compiled: numba names its own file and line
        for m in re.finditer(r'File "([^"]+)", line (\d+)', msg):
            if os.path.exists(m.group(1)):
                where = f"{m.group(1)}:{m.group(2)}"
                break
    loc = _user_location(where, py) + "\n" if where else where_def(getattr(py, "s2s_primal", None))
    own = re.search(r"No implementation of function Function\(<function (\w+) at", msg)
    if own and own.group(1) in helpers():
        return DifferentiationError(
            f'{loc}backend="numba" cannot compile this: the gradient s2s generates for this line calls s2s\'s '
            f'own runtime helper `{own.group(1)}`, whose numba version does not take these types '
            f'({_reason(msg).partition(">>> ")[2] or _reason(msg)}). This is a limit of s2s\'s numba backend, '
            'not of your code: use backend="python" for this function (s2s never falls back silently).')
    return DifferentiationError(
        f'{loc}backend="numba" cannot compile this: {_reason(msg)}\n'
        'numba compiles numbers, NumPy arrays and the math/NumPy functions it supports; rewrite the line '
        'with those, or use backend="python" for this function (s2s never falls back silently).')


def refusal(e, tr, py):
    where = getattr(e.node, "s2s_where", None) if e.node is not None else None
    loc = _user_location(where, py) + "\n" if where else where_def(getattr(py, "s2s_primal", None))
    return DifferentiationError(f'{loc}backend="numba" cannot compile this: {e.reason}\n'
                                'Use backend="python" for this function (s2s never falls back silently).')


# ---------------------------------------------------------------- the rewriting

class Translation:
    """The rewritten function: ``function`` (plain Python, compiled by numba), ``source``."""

    def __init__(self, function, source):
        self.function, self.source = function, source


_COMPOUND = (ast.For, ast.While, ast.If)


def _statements(body):
    for s in body:
        yield s
        if isinstance(s, _COMPOUND):
            yield from _statements(s.body)
            yield from _statements(s.orelse)


def _mark_lines(fdef, src):
    """Each statement's ``# file.py:17`` comment, as ``stmt.s2s_where``."""
    lines = src.splitlines()
    for s in _statements(fdef.body):
        at = (s.body[0].lineno - 2) if isinstance(s, _COMPOUND) else s.end_lineno - 1
        m = re.search(r"#\s*(\S+:\d+)\s*$", lines[at]) if 0 <= at < len(lines) else None
        s.s2s_where = m.group(1) if m else None


def _is_call(node, name, nargs=None):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name \
        and not node.keywords and (nargs is None or len(node.args) == nargs)


def _method_call(node, obj, method):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method \
        and isinstance(node.func.value, ast.Name) and node.func.value.id in obj


class _Names:
    def __init__(self, fdef):
        self.taken = {n.id for n in ast.walk(fdef) if isinstance(n, ast.Name)}
        self.taken |= {a.arg for a in ast.walk(fdef) if isinstance(a, ast.arg)}

    def fresh(self, base):
        name = base
        for i in itertools.count(1):
            if name not in self.taken:
                break
            name = f"{base}_{i}"
        self.taken.add(name)
        return name


def _resolver(py):
    ns = dict(getattr(py, "s2s_namespace", {}) or {})
    glob = getattr(py, "__globals__", {})
    closure = {}
    if py.__closure__:
        for name, cell in zip(py.__code__.co_freevars, py.__closure__):
            try:
                closure[name] = cell.cell_contents
            except ValueError:
                pass
    missing = object()

    def resolve(name):
        for scope in (closure, ns, glob):
            if name in scope:
                return scope[name]
        return getattr(builtins, name, missing)
    resolve.missing = missing
    return resolve


def _assign_counts(fdef):
    counts = {}
    for n in ast.walk(fdef):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            counts[n.id] = counts.get(n.id, 0) + 1
    return counts


def _stable(expr, counts, params):
    for n in ast.walk(expr):
        if isinstance(n, ast.Name) and counts.get(n.id, 0) > (0 if n.id in params else 1):
            return False
        if isinstance(n, (ast.Call,)) and not (isinstance(n.func, ast.Name) and n.func.id == "len"):
            return False
    return True


def _reversed_range(it, fdef, counts, params, top):
    """``range(...)`` counting down over ``it``: a name bound to a range, or its first items ``r[:n]``."""
    c = lambda v: ast.Constant(value=v)   # noqa: E731
    count = None
    if isinstance(it, ast.Subscript) and isinstance(it.slice, ast.Slice) and it.slice.lower is None \
            and it.slice.step is None and it.slice.upper is not None:   # a loop that may break: r[:n_iter]
        it, count = it.value, it.slice.upper

    def plus(e, k):
        if isinstance(e, ast.Constant) and type(e.value) is int:
            return c(e.value + k)
        return ast.BinOp(left=copy.deepcopy(e), op=ast.Add() if k > 0 else ast.Sub(), right=c(abs(k))) if k else e

    if isinstance(it, ast.Name) and counts.get(it.id) == 1:
        for s in top:
            if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name) \
                    and s.targets[0].id == it.id and _is_call(s.value, "range") and 1 <= len(s.value.args) <= 2 \
                    and all(_stable(a, counts, params) for a in s.value.args):
                a = s.value.args
                start, stop = (c(0), a[0]) if len(a) == 1 else (a[0], a[1])
                if count is None:
                    first = plus(stop, -1)
                elif isinstance(start, ast.Constant) and start.value == 0:
                    first = plus(count, -1)
                else:
                    first = plus(ast.BinOp(left=copy.deepcopy(start), op=ast.Add(), right=copy.deepcopy(count)), -1)
                return ast.Call(func=ast.Name(id="range", ctx=ast.Load()), args=[first, plus(start, -1), c(-1)],
                                keywords=[])
    r = lambda: copy.deepcopy(it)   # noqa: E731
    attr = lambda a: ast.Attribute(value=r(), attr=a, ctx=ast.Load())   # noqa: E731
    length = copy.deepcopy(count) if count is not None else \
        ast.Call(func=ast.Name(id="len", ctx=ast.Load()), args=[r()], keywords=[])
    first = ast.BinOp(left=attr("start"), op=ast.Add(),
                      right=ast.BinOp(left=ast.BinOp(left=length, op=ast.Sub(), right=c(1)), op=ast.Mult(),
                                      right=attr("step")))
    return ast.Call(func=ast.Name(id="range", ctx=ast.Load()),
                    args=[first, ast.BinOp(left=attr("start"), op=ast.Sub(), right=attr("step")),
                          ast.UnaryOp(op=ast.USub(), operand=attr("step"))], keywords=[])


class _Plan:
    """What the rewriting found in the generated function."""

    def __init__(self, fdef, resolve):
        self.fdef = fdef
        self.stacks = set()
        self.stack_inits = []   # top-level `stack = []`
        self.pushes = {}        # var -> [stmt]
        self.pops = {}          # var -> [stmt]
        self.nones = {}         # var -> top-level `var = None`
        for s in fdef.body:
            if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
                if isinstance(s.value, ast.List) and not s.value.elts:
                    self.stacks.add(s.targets[0].id)
                    self.stack_inits.append(s)
                elif isinstance(s.value, ast.Constant) and s.value.value is None:
                    self.nones[s.targets[0].id] = s
        uses = 0
        for s in _statements(fdef.body):
            if not isinstance(s, (ast.Expr, ast.Assign)):
                if not isinstance(s, (_COMPOUND + (ast.Return, ast.AugAssign, ast.Pass, ast.Break, ast.Continue))):
                    raise Refusal(s, f"the generated code has a `{type(s).__name__.lower()}` statement, which "
                                  "this backend does not translate.")
                continue
            if isinstance(s, ast.Expr) and _method_call(s.value, self.stacks, "append") and len(s.value.args) == 1:
                a = s.value.args[0]
                if _is_call(a, "shape_of", 1) and resolve("shape_of") is runtime.shape_of:
                    a = a.args[0]
                if not isinstance(a, ast.Name):
                    raise Refusal(s, "the generated code saves an expression on its stack.")
                self.pushes.setdefault(a.id, []).append(s)
                s.s2s_saved = a.id
                uses += 1
            elif isinstance(s, ast.Assign) and _method_call(s.value, self.stacks, "pop") and not s.value.args:
                if len(s.targets) != 1 or not isinstance(s.targets[0], ast.Name):
                    raise Refusal(s, "the generated code restores a value from its stack into an expression.")
                self.pops.setdefault(s.targets[0].id, []).append(s)
                uses += 1
        total = sum(1 for n in ast.walk(fdef) if isinstance(n, ast.Name) and n.id in self.stacks)
        if total != uses + len(self.stack_inits):
            raise Refusal(None, "the generated code uses its stack in a way this backend does not translate "
                          "(checkpointing, or a stack passed to a helper).")
        if set(self.pushes) != set(self.pops):
            raise Refusal(None, "the generated code restores values from its stack that it did not save "
                          "under the same name.")


def _positional(fdef):
    """The function's keyword-only parameters (the seed) made positional, without defaults."""
    args = fdef.args
    args.args = args.posonlyargs + args.args + args.kwonlyargs
    args.posonlyargs, args.kwonlyargs, args.kw_defaults, args.defaults = [], [], [], []


def _drop(body, dropped):
    out = []
    for s in body:
        if id(s) in dropped:
            continue
        if isinstance(s, _COMPOUND):
            s.body = _drop(s.body, dropped) or [ast.Pass()]
            s.orelse = _drop(s.orelse, dropped)
        out.append(s)
    return out


def _rewrite_reversed(fdef, resolve):
    counts = _assign_counts(fdef)
    params = {a.arg for a in fdef.args.args + fdef.args.kwonlyargs + fdef.args.posonlyargs}
    for s in _statements(fdef.body):
        if isinstance(s, ast.For) and _is_call(s.iter, "reversed", 1) and resolve("reversed") is builtins.reversed:
            s.iter = _reversed_range(s.iter.args[0], fdef, counts, params, fdef.body)


def _numba_types():
    from numba.core import types as nt
    return nt


def _zero(t, np_name):
    """A typed zero of numba type ``t`` (an expression), or None."""
    nt = _numba_types()
    if isinstance(t, nt.Boolean):
        return ast.Constant(value=False)
    if isinstance(t, nt.Integer):
        return ast.Constant(value=0)
    if isinstance(t, nt.Float):
        return ast.Constant(value=0.0) if t.bitwidth == 64 else ast.parse(f"{np_name}.{t}(0.0)", mode="eval").body
    if isinstance(t, nt.Complex):
        return ast.Constant(value=0j)
    if isinstance(t, nt.Array) and isinstance(t.dtype, (nt.Number, nt.Boolean)):
        shape = "(" + ", ".join(["0"] * t.ndim) + ("," if t.ndim == 1 else "") + ")"
        return ast.parse(f"{np_name}.empty({shape}, {np_name}.{_dtype_name(t.dtype)})", mode="eval").body
    if isinstance(t, nt.RangeType):
        return ast.parse("range(0)", mode="eval").body
    return None


def _dtype_name(t):
    nt = _numba_types()
    return "bool_" if isinstance(t, nt.Boolean) else str(t)


def _in_loop(stmt, top):
    """Whether ``stmt`` is inside a loop nested in the top-level statement ``top`` (below its own body)."""
    def walk(body, depth):
        for s in body:
            if s is stmt:
                return depth
            if isinstance(s, (ast.For, ast.While)):
                d = walk(s.body, depth + 1)
            elif isinstance(s, ast.If):
                d = walk(s.body, depth)
                if d is None:
                    d = walk(s.orelse, depth)
            else:
                d = None
            if d is not None:
                return d
        return None
    if stmt is top:
        return 0
    if isinstance(top, (ast.For, ast.While)):
        return walk(top.body, 1)
    if isinstance(top, ast.If):
        return walk(top.body, 0) if walk(top.body, 0) is not None else walk(top.orelse, 0)
    return None


def _contains(top, stmt):
    return any(s is stmt for s in _statements([top]))


def translate(py, argtypes):
    """The numba-compilable rewriting of the generated Python function ``py`` for ``argtypes``."""
    src = py.s2s_source
    tree = ast.parse(src)
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        raise Refusal(None, "the generated code is not a single function.")
    _mark_lines(fdef, src)
    resolve = _resolver(py)
    _refuse_own_helpers(fdef, resolve)
    names = _Names(fdef)
    _name_saved_items(fdef, resolve, names)
    plan = _Plan(fdef, resolve)
    np_name = "np" if resolve("np") in (np, resolve.missing) and "np" not in {
        n.id for n in ast.walk(fdef) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)} \
        else names.fresh("np")
    _positional(fdef)
    _rewrite_reversed(fdef, resolve)

    # 1. numba's types for the names the tapes and the typed zeros need: type the function without them
    probe = copy.deepcopy(fdef)
    dropped = {id(s) for s in _statements(probe.body)
               if getattr(s, "s2s_saved", None) or _method_call(getattr(s, "value", None), plan.stacks, "pop")
               or (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                   and (s.targets[0].id in plan.stacks or s.targets[0].id in plan.nones)
                   and s in probe.body)}
    probe.body = _drop(probe.body, dropped) or [ast.Pass()]
    probe.name = fdef.name
    wanted = set(plan.pushes) | set(plan.nones)
    fn, _ = _build(probe, py, resolve, np_name, "probe")
    typemap = infer(fn, argtypes)
    found = {}
    for key, t in typemap.items():
        base = key.split(".")[0]
        if base in wanted and not key.startswith(("$", "arg.")):
            found.setdefault(base, []).append(t)
    tys = {}
    nt = _numba_types()
    from numba.core.registry import cpu_target
    for name, ts in found.items():
        ts = [nt.unliteral(t) for t in ts if not isinstance(t, (nt.NoneType, nt.Omitted)) and t is not nt.undefined]
        if ts:
            u = ts[0]
            for t in ts[1:]:
                u = cpu_target.typing_context.unify_pairs(u, t) or u
            tys[name] = u

    # 2. tapes and typed zeros
    replace = {}   # id(stmt) -> [new stmts]
    for name, init in plan.nones.items():
        t = tys.get(name)
        zero = _zero(t, np_name) if t is not None else None
        if zero is None:
            if name in plan.pushes or any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
                                          for n in ast.walk(fdef)):
                raise Refusal(init, f"s2s cannot tell the type of `{name}` (numba types it as {t}).")
            replace[id(init)] = []
        else:
            replace[id(init)] = [_located(ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=zero),
                                          init)]
    for s in plan.stack_inits:
        replace[id(s)] = []
    inits = {}   # id(top-level stmt) -> [init stmts before it]
    for name, sites in plan.pushes.items():
        t = tys.get(name)
        if t is None:
            raise Refusal(sites[0], f"s2s cannot tell the type of `{name}`, which the gradient saves.")
        tape, count = names.fresh("tape_" + name), None
        tops = [i for i, top in enumerate(fdef.body) if any(_contains(top, s) for s in sites)]
        top = fdef.body[tops[0]]
        scalar = isinstance(t, (nt.Number, nt.Boolean))
        if scalar:
            count = names.fresh("n_" + name)
            exact = len(set(tops)) == 1 and isinstance(top, ast.For) and isinstance(top.iter, ast.Name) \
                and all(_in_loop(s, top) == 1 for s in sites)
            cap = f"len({top.iter.id})" if exact else "16"
            if exact and len(sites) > 1:
                cap += f" * {len(sites)}"
            new = [f"{tape} = {np_name}.empty({cap}, {np_name}.{_dtype_name(t)})", f"{count} = 0"]
            push = ([] if exact else [f"if {count} == len({tape}):\n    {tape} = grow_tape({tape})"]) + \
                [f"{tape}[{count}] = {name}", f"{count} += 1"]
            pop = [f"{count} -= 1", f"{name} = {tape}[{count}]"]
        elif isinstance(t, nt.RangeType):
            new = [f"{tape} = [(0, 0, 0) for _ in range(0)]"]
            push = [f"{tape}.append(({name}.start, {name}.stop, {name}.step))"]
            pop = [f"{name} = range(*{tape}.pop())"]
        else:
            new = [f"{tape} = []"]
            push = [f"{tape}.append({name})"]
            pop = [f"{name} = {tape}.pop()"]
        inits.setdefault(id(top), []).extend(_located(s, top) for s in _stmts("\n".join(new)))
        for s in sites:
            replace[id(s)] = [_located(n, s) for n in _stmts("\n".join(push))]
        for s in plan.pops[name]:
            replace[id(s)] = [_located(n, s) for n in _stmts("\n".join(pop))]

    def rebuild(body):
        out = []
        for s in body:
            out.extend(inits.get(id(s), []))
            if id(s) in replace:
                out.extend(replace[id(s)])
                continue
            if isinstance(s, _COMPOUND):
                s.body = rebuild(s.body) or [ast.Pass()]
                s.orelse = rebuild(s.orelse)
            out.append(s)
        return out
    fdef.body = rebuild(fdef.body)
    fn, source = _build(fdef, py, resolve, np_name, "numba")
    return Translation(fn, source)


def _refuse_own_helpers(fdef, resolve):
    """A Refusal at the first statement that calls a helper of s2s's own that has no numba version."""
    for s in _statements(fdef.body):
        for n in ast.walk(s if not isinstance(s, _COMPOUND) else (s.iter if isinstance(s, ast.For) else s.test)):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                obj = resolve(n.id)
                if obj is not resolve.missing and is_own(obj) and version_of(obj) is None:
                    raise Refusal(s, f"the gradient s2s generates for this line calls s2s's own runtime helper "
                                  f"`{obj.__module__}.{obj.__qualname__}`, which has no numba version yet. This "
                                  "is a limit of s2s's numba backend, not of your code.")


def _name_saved_items(fdef, resolve, names):
    """``stack.append(get_item(a, i))`` (the element an in-place write ``a[i] = ...`` overwrites, saved) and
    ``set_item(a, i, stack.pop())`` (put back) with the element bound to a name, one per array and index
    (``item_a = get_item(a, i)``, ``stack.append(item_a)``): the tapes are kept by name. Each name's saves
    and restores are a subsequence of the stack's, so they pair the same way."""
    stacks = {s.targets[0].id for s in fdef.body if isinstance(s, ast.Assign) and len(s.targets) == 1
              and isinstance(s.targets[0], ast.Name) and isinstance(s.value, ast.List) and not s.value.elts}
    if not stacks or resolve("get_item") is not runtime.get_item or resolve("set_item") is not runtime.set_item:
        return
    keys = {}

    def key(call):
        a, index = call.args[0], call.args[1]
        if not isinstance(a, ast.Name) or any(isinstance(n, ast.Call) for n in ast.walk(index)):
            return None
        k = (a.id, ast.dump(index))
        if k not in keys:
            keys[k] = names.fresh("item_" + a.id)
        return keys[k]

    def split(s):
        v = getattr(s, "value", None)
        if isinstance(s, ast.Expr) and _method_call(v, stacks, "append") and len(v.args) == 1 \
                and _is_call(v.args[0], "get_item", 2) and key(v.args[0]):
            name = key(v.args[0])
            out = [ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=v.args[0]),
                   ast.Expr(value=ast.Call(func=v.func, args=[ast.Name(id=name, ctx=ast.Load())], keywords=[]))]
        elif isinstance(s, ast.Expr) and _is_call(v, "set_item", 3) and _method_call(v.args[2], stacks, "pop") \
                and not v.args[2].args and key(v):
            name = key(v)
            out = [ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=v.args[2]),
                   ast.Expr(value=ast.Call(func=v.func, args=v.args[:2] + [ast.Name(id=name, ctx=ast.Load())],
                                           keywords=[]))]
        else:
            return [s]
        return [_located(n, s) for n in out]

    def rebuild(body):
        out = []
        for s in body:
            if isinstance(s, _COMPOUND):
                s.body = rebuild(s.body)
                s.orelse = rebuild(s.orelse)
            out.extend(split(s))
        return out
    fdef.body = rebuild(fdef.body)


def _stmts(text):
    return ast.parse(text).body


def _located(node, origin):
    for s in _statements([node]):
        s.s2s_where = getattr(origin, "s2s_where", None)
    return node


# ---------------------------------------------------------------- source and namespace

_COLUMN = 40


def emit(fdef):
    """Source of ``fdef`` with each statement's ``# file.py:line`` comment; (source, {line: where})."""
    ast.fix_missing_locations(fdef)
    rows = []   # (text, where)
    args = ", ".join(a.arg for a in fdef.args.args)
    rows.append((f"def {fdef.name}({args}):", None))

    def block(body, ind):
        pad = "    " * ind
        for s in body:
            w = getattr(s, "s2s_where", None)
            if isinstance(s, ast.For):
                rows.append((f"{pad}for {ast.unparse(s.target)} in {ast.unparse(s.iter)}:", w))
            elif isinstance(s, ast.While):
                rows.append((f"{pad}while {ast.unparse(s.test)}:", w))
            elif isinstance(s, ast.If):
                rows.append((f"{pad}if {ast.unparse(s.test)}:", w))
            else:
                for i, line in enumerate(ast.unparse(s).splitlines()):
                    rows.append((pad + line, w if i == 0 else None))
                continue
            block(s.body, ind + 1)
            if s.orelse:
                rows.append((f"{pad}else:", None))
                block(s.orelse, ind + 1)
    block(fdef.body, 1)
    noted = [len(t) for t, w in rows if w]
    width = min(max(noted, default=0), max(_COLUMN, min(noted, default=0)))
    lines, where = [], {}
    for i, (text, w) in enumerate(rows, 1):
        if w:
            text = f"{text.ljust(width)}  # {w}"
            where[i] = w
        lines.append(text)
    return "\n".join(lines) + "\n", where


_counter = itertools.count()


def _build(fdef, py, resolve, np_name, kind):
    """Compile ``fdef`` (plain Python) in a namespace of what numba can call; (function, source)."""
    src, where = emit(fdef)
    filename = f"<s2s-{kind} {fdef.name} #{next(_counter)}>"
    _FILES[filename] = where
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    glob = {"__name__": "s2s_numba_generated", "grow_tape": helpers()["grow_tape"]}
    if np_name != "np" or resolve("np") is resolve.missing:
        glob[np_name] = np
    loads = {n.id for n in ast.walk(fdef) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    stores = {n.id for n in ast.walk(fdef) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    stores |= {a.arg for a in fdef.args.args}
    for name in sorted(loads - stores - set(glob)):
        obj = resolve(name)
        if obj is resolve.missing:
            continue
        if getattr(builtins, name, None) is obj:
            continue
        glob[name] = _jit_value(obj)
    code = compile(src, filename, "exec")
    exec(code, glob)
    return glob[fdef.name], src


# ---------------------------------------------------------------- what the code calls

_JITTED = {}
_lock = threading.RLock()


def _jit_value(obj):
    """What numba-compiled code calls in place of ``obj``."""
    if isinstance(obj, types.ModuleType):
        return obj
    stub = version_of(obj)
    if stub is not None:
        return stub
    if isinstance(obj, types.FunctionType):
        with _lock:
            hit = _JITTED.get(obj)
            if hit is None:
                import numba
                hit = _generated_stub(obj) if getattr(obj, "s2s_generated", False) and hasattr(obj, "s2s_source") \
                    else numba.njit(cache=False)(obj)
                _JITTED[obj] = hit
            return hit
    return obj


def _generated_stub(gen):
    """A function numba types by rewriting the generated helper ``gen`` for the types it is called with."""
    from numba.extending import overload
    params = [p.name for p in inspect.signature(gen).parameters.values()]
    ns = {}
    exec(f"def {gen.__name__}({', '.join(params)}):\n    raise NotImplementedError\n", ns)
    stub = ns[gen.__name__]
    exec(f"def typer({', '.join(params)}):\n    return implement(({', '.join(params)}{',' if params else ''}))\n",
         ns)

    def implement(argtypes):
        try:
            return translate(gen, argtypes).function
        except Refusal as e:
            local.error = refusal(e, None, gen)
            raise
    ns["implement"] = implement
    overload(stub, jit_options={"cache": False})(ns["typer"])
    return stub


