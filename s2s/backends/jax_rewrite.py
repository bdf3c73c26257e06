"""The rewriting behind ``backend="jax"`` (s2s/backends/jax.py): the generated Python gradient made into
code that ``jax.jit`` traces (NumPy and ``math`` calls on ``jax.numpy``, s2s's helpers on their jax versions,
in-place writes into arrays s2s allocated as ``.at[...]`` updates), and jax's errors turned into
DifferentiationErrors at the user's line.

In-place writes. jax arrays are immutable, so ``a[i] = v`` becomes ``a = a.at[i].set(v)`` (``a[i] += v``:
``a = a.at[i].add(v)``, ``a += v``: ``a = a + v``). That is the same computation only where no other name,
container or tape holds that array (NumPy would change what they see; jax would not). The rewriting
makes that sure from the code, for the whole function: every binding of ``a`` is a fresh value (an
arithmetic result, a number, s2s's ``zeros_like``/``zero_grad``/``copy_grad``/``copy_value``: the adjoint
arrays s2s allocates and its copy of an argument written into, one of s2s's helpers of such a value, or a
new array of the user's: ``np.zeros``/``ones``/``full``(``_like``), ``np.copy``, ``np.array``, ``.copy()``),
and every read of ``a`` is an element read ``a[i]`` (an integer index: checked to be a number while jax
traces, ``s2s_element``; a slice, a view in NumPy, is refused), an operand of arithmetic, ``a`` handed to
``copy_grad``, ``get_item``/``set_item`` (the element saved and put back), a later argument of one of
s2s's helpers (which give back a new array or their first argument), or returned. Any other in-place write
(into ``np.empty``, whose garbage jax would make zeros, or an array another name may hold) is a
DifferentiationError at the user's line.
"""
import ast
import builtins
import copy
import itertools
import linecache
import math
import re
import threading
import types

import numpy as np

from .jax_helpers import as_float, element, version_of
from .numba_rewrite import _COMPOUND, _mark_lines, _resolver, _statements, _user_location, emit, where_def

_lock = threading.RLock()
_FILES = {}   # generated file name -> {line: "file.py:17"}
_counter = itertools.count()


class Refusal(Exception):
    """Something this pass does not translate: (statement or None, reason)."""

    def __init__(self, node, reason):
        super().__init__(reason)
        self.node, self.reason = node, reason


HINT = 'Use backend="python" for this function (s2s never falls back to another backend silently).'


def refusal(e, py):
    where = getattr(e.node, "s2s_where", None) if e.node is not None else None
    loc = _user_location(where, py) + "\n" if where else where_def(getattr(py, "s2s_primal", None))
    return f'{loc}backend="jax" cannot run this: {e.reason}\n{HINT}'


def located(tb, py):
    """'File "f.py", line 17\n    text\n' for the innermost frame of traceback ``tb`` in code this module
    generated (its ``# f.py:17`` comment), or the primal's ``def`` line."""
    where, inner = None, None
    while tb is not None:
        code = tb.tb_frame.f_code
        lines = _FILES.get(code.co_filename)
        if lines is not None:
            where, inner = _test_line(code.co_filename, tb.tb_lineno, lines) or where, None
        elif where and _users(code.co_filename):
            inner = (code.co_filename, tb.tb_lineno, code.co_name)
        tb = tb.tb_next
    if not where:
        return where_def(getattr(py, "s2s_primal", None))
    out = _user_location(where, py) + "\n"
    if inner is not None:   # a function of the user's that the code calls, where jax stopped
        text = linecache.getline(inner[0], inner[1]).strip()
        out += f'in a function it calls: File "{inner[0]}", line {inner[1]}, in {inner[2]}\n' + \
            (f"    {text}\n" if text else "")
    return out


def _users(filename):
    """Whether ``filename`` is the user's code (not jax's, NumPy's, s2s's or Python's own)."""
    import os
    import sys
    if not os.path.exists(filename):
        return False
    path = os.path.abspath(filename)
    own = [os.path.dirname(os.path.dirname(os.path.abspath(__file__))), os.path.dirname(os.__file__)]
    for name in ("jax", "jaxlib", "numpy"):
        mod = sys.modules.get(name)
        if mod is not None and getattr(mod, "__file__", None):
            own.append(os.path.dirname(os.path.abspath(mod.__file__)))
    return not any(path.startswith(d + os.sep) for d in own) and "site-packages" not in path


def _test_line(filename, lineno, lines):
    """The user's line of generated line ``lineno``; for an ``if``/``while`` on a name, the line of the
    statement that computed that name (the user's condition)."""
    text = linecache.getline(filename, lineno)
    m = re.match(r"\s*(?:if|while)\s+(?:not\s+)?(\w+)\s*:", text)
    if m:
        for k in range(lineno - 1, 0, -1):
            if re.match(rf"\s*{m.group(1)}\s*=[^=]", linecache.getline(filename, k)) and lines.get(k):
                return lines[k]
    return lines.get(lineno)


# ---------------------------------------------------------------- what the code calls

_SAFE_CALLS = {"range", "reversed", "len", "zip", "enumerate", "isinstance", "tuple", "list", "dict", "min",
               "max", "abs", "sum", "slice", "type", "print"}


def _bind(name, obj, py, node, translated):
    """What the jax code calls (or reads) for the generated code's global ``name`` (bound to ``obj``)."""
    import jax.numpy as jnp
    if obj is np:
        return jnp
    if obj is math:
        return math   # its calls are rewritten to jnp's (_Calls); its constants stay
    if isinstance(obj, types.ModuleType):
        if obj.__name__.split(".")[0] in ("numpy", "scipy"):
            raise Refusal(node, f"the code calls the module {obj.__name__} (`{name}`), which has no jax version "
                          "here (only NumPy's main namespace and math are translated to jax.numpy).")
        return obj
    hit = version_of(obj)
    if hit is not None:
        return hit
    if getattr(obj, "s2s_generated", False) and hasattr(obj, "s2s_source"):
        return translated(obj)
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)) or callable(obj):
        mod = getattr(obj, "__module__", "") or ""
        if mod == "s2s" or mod.startswith("s2s."):
            raise Refusal(node, f"the gradient s2s generates for this line calls s2s's own runtime helper "
                          f"{mod}.{getattr(obj, '__qualname__', name)}, which has no jax version yet. This is a "
                          "limit of s2s's jax backend, not of your code.")
        if mod.split(".")[0] in ("numpy", "scipy"):
            raise Refusal(node, f"the code calls {mod}.{getattr(obj, '__name__', name)}, which has no jax "
                          "version in this backend yet.")
        if getattr(builtins, name, None) is obj and name not in _SAFE_CALLS:
            raise Refusal(node, f"the code calls `{name}`, which does not run on traced jax arrays.")
        return obj   # the user's own function: traced by jax as it is (NumPy inside it is an error, located)
    if isinstance(obj, np.ndarray):
        return jnp.asarray(obj)
    return obj


# ---------------------------------------------------------------- in-place writes

_FRESH_HELPERS = ("zeros_like", "zero_grad", "copy_grad", "copy_value")


def _parents(fdef):
    par = {}
    for n in ast.walk(fdef):
        for c in ast.iter_child_nodes(n):
            par[id(c)] = n
    return par


def _set_item(s, resolve):
    """Whether ``s`` is ``set_item(a, index, value)`` (runtime.set_item: the undo of a write ``a[index] = ...``)."""
    from .. import runtime
    v = getattr(s, "value", None)
    return isinstance(s, ast.Expr) and isinstance(v, ast.Call) and isinstance(v.func, ast.Name) \
        and resolve(v.func.id) is runtime.set_item and len(v.args) == 3 and not v.keywords \
        and isinstance(v.args[0], ast.Name)


def _written(fdef, resolve):
    """The names the code writes into in place: {name: [statement]}."""
    out = {}
    for s in _statements(fdef.body):
        if _set_item(s, resolve):
            out.setdefault(s.value.args[0].id, []).append(s)
            continue
        t = s.target if isinstance(s, ast.AugAssign) else s.targets[0] if isinstance(s, ast.Assign) and \
            len(s.targets) == 1 else None
        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
            out.setdefault(t.value.id, []).append(s)
        elif isinstance(s, ast.AugAssign) and isinstance(t, ast.Name):
            out.setdefault(t.id, []).append(s)
        elif isinstance(s, (ast.Assign, ast.AugAssign)) and any(
                isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store) for n in ast.walk(t or s.targets[0])):
            raise Refusal(s, "the code writes into an element of something other than a named array.")
    return out


def _private(name, fdef, par, resolve, stmts, guarded=None):
    """Why the in-place writes into ``name`` are not provably the same on jax arrays (None: they are)."""
    runtime_fresh = {id(o) for o in _fresh_objects()}
    if name in {a.arg for a in ast.walk(fdef.args) if isinstance(a, ast.arg)}:
        return f"`{name}` is a parameter: the caller's array"
    if not any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) and
               isinstance(par.get(id(n)), ast.Assign) for n in ast.walk(fdef)):
        return f"`{name}` is not an array the function makes"
    for n in ast.walk(fdef):
        if not isinstance(n, ast.Name) or n.id != name:
            continue
        p = par.get(id(n))
        if isinstance(n.ctx, ast.Store):
            if isinstance(p, ast.Subscript) or isinstance(p, ast.AugAssign) and p.target is n:
                continue
            if isinstance(p, ast.Assign) and p.targets == [n]:
                v = p.value
                if isinstance(v, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.Compare)):
                    continue
                if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and id(resolve(v.func.id)) in runtime_fresh:
                    continue
                if _fresh_value(v, resolve) or _new_array(v, resolve):
                    continue
                return f"`{name}` is not an array s2s made for the gradient nor a new one (np.zeros, np.ones, " \
                    f"np.full, np.copy, .copy()...) (`{name} = {ast.unparse(v)}`)"
            return f"`{name}` is bound by `{ast.unparse(p) if p is not None else name}`"
        if isinstance(n.ctx, ast.Del):
            return f"`{name}` is deleted"
        # a read
        if isinstance(p, ast.Subscript) and p.value is n:
            q = par.get(id(p))
            if isinstance(p.ctx, ast.Store) or isinstance(q, (ast.BinOp, ast.UnaryOp, ast.Compare)) \
                    or isinstance(q, ast.AugAssign) and q.value is p:
                continue
            if isinstance(q, ast.Call) and isinstance(q.func, ast.Name) and resolve(q.func.id) is _copy_grad():
                continue
            if isinstance(q, ast.Attribute) and q.attr == "copy" and isinstance(par.get(id(q)), ast.Call) \
                    and not par[id(q)].args:   # a[i].copy()
                continue
            if guarded is not None and not any(isinstance(k, (ast.Slice, ast.Starred)) or isinstance(k, ast.Constant)
                                               and k.value in (None, Ellipsis) for k in ast.walk(p.slice)):
                guarded.add(id(p))   # a number, or refused while jax traces (element())
                continue
            return f"an element `{ast.unparse(p)}` of `{name}` is read where it may be a view into it"
        if isinstance(p, (ast.BinOp, ast.UnaryOp, ast.Compare)) or isinstance(p, ast.AugAssign) and p.value is n:
            continue
        if isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and resolve(p.func.id) is _copy_grad():
            continue
        if isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and p.args and p.args[0] is n and \
                resolve(p.func.id) in _item_helpers():   # get_item(a, i) copies an element, set_item writes
            continue
        if isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and n in p.args[1:] and \
                _helper(resolve(p.func.id), _FIRST_ONLY):   # what they return is not their later arguments
            continue
        if isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and _helper(resolve(p.func.id), _SHAPE_ONLY):
            continue
        if _in_return(n, par):
            continue
        return f"`{name}` is read by `{ast.unparse(p) if p is not None else name}`, which may keep its array"
    return None


def _fresh_objects():
    from .. import runtime
    return [getattr(runtime, n) for n in _FRESH_HELPERS]


# s2s helpers whose result is a new array or, at most, their first argument itself (or a view of it)
_FIRST_ONLY = ("unbroadcast", "grad_reduce", "as_grad", "like", "real_only", "real_sign", "safe_div", "power_slope",
               "matmul_grad_x", "matmul_grad_y", "extremum_grad", "diag_grad", "cholesky_grad", "solve_grad_a",
               "solve_grad_b", "mT", "dot_grad_x", "dot_grad_y", "trace_grad", "cumsum_grad")


def _fresh_value(v, resolve):
    """Whether the expression ``v`` is a value no other name can hold: arithmetic, or one of s2s's helpers
    (with a jax version) of such a value, which can only hand back (a view of) their first argument or a
    new array. (``dA = unbroadcast(dt * t, A)``, then ``dA += ...``: the adjoint s2s accumulates into.)"""
    if isinstance(v, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.Compare)):
        return True
    if not (isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.args and not
            any(isinstance(a, ast.Starred) for a in v.args)):
        return False
    obj = resolve(v.func.id)
    if any(obj is o for o in _fresh_objects()):
        return True
    return _helper(obj, _ALWAYS_NEW) or _helper(obj, _FIRST_ONLY) and _fresh_value(v.args[0], resolve)


# of those, the ones that compute a new array whatever their arguments (NumPy's versions in templates/)
_ALWAYS_NEW = ("matmul_grad_x", "matmul_grad_y", "extremum_grad", "diag_grad", "cholesky_grad", "solve_grad_a",
               "solve_grad_b", "dot_grad_x", "dot_grad_y", "trace_grad", "cumsum_grad", "safe_div", "power_slope",
               "real_sign")


_SHAPE_ONLY = ("shape_of", "reduced_count", "broadcast_shape")   # they keep no array
_NEW_ARRAYS = ("zeros", "ones", "full", "zeros_like", "ones_like", "full_like", "copy", "array")


def _helper(obj, names):
    return getattr(obj, "__name__", None) in names and version_of(obj) is not None \
        and (getattr(obj, "__module__", None) or "").startswith("s2s.")


def _new_array(v, resolve):
    """Whether ``v`` makes a new array: ``np.zeros(...)``, ``np.copy(a)``, ``a.copy()``... (not np.empty: its
    garbage would be jax's zeros)."""
    if not isinstance(v, ast.Call) or not isinstance(v.func, ast.Attribute):
        return False
    f = v.func
    if f.attr == "copy" and not v.args and not v.keywords:
        return True
    return isinstance(f.value, ast.Name) and resolve(f.value.id) is np and f.attr in _NEW_ARRAYS \
        and all(k.arg in ("dtype", "fill_value", "shape") for k in v.keywords)


def _item_helpers():
    from .. import runtime
    return (runtime.get_item, runtime.set_item)


def _copy_grad():
    from .. import runtime
    return runtime.copy_grad


def _in_return(n, par):
    p = par.get(id(n))
    while p is not None and not isinstance(p, ast.stmt):
        if not isinstance(p, (ast.Tuple, ast.Call)):
            return False
        p = par.get(id(p))
    return isinstance(p, ast.Return)


def _at(target, method, value):
    """``a = a.at[index].method(value)`` for the write ``target`` (a[index])."""
    a = target.value.id
    call = ast.Call(func=ast.Attribute(value=ast.Subscript(value=ast.Attribute(
        value=ast.Name(id=a, ctx=ast.Load()), attr="at", ctx=ast.Load()), slice=copy.deepcopy(target.slice),
        ctx=ast.Load()), attr=method, ctx=ast.Load()), args=[value], keywords=[])
    return ast.Assign(targets=[ast.Name(id=a, ctx=ast.Store())], value=call)


def _rewrite_writes(fdef, resolve):
    written = _written(fdef, resolve)
    if not written:
        return
    par = _parents(fdef)
    guarded = set()
    for name, stmts in written.items():
        why = _private(name, fdef, par, resolve, stmts, guarded)
        if why is not None:
            user = any(isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Subscript) for s in stmts)
            what = "an in-place write into an array" if user else "an in-place update of an array"
            raise Refusal(stmts[0], f"{what} (`{ast.unparse(stmts[0]).strip()}`), and jax arrays are immutable: "
                          f"s2s rewrites such a write into a new array only where no other name can see the old "
                          f"one, and here {why}. Build the array without writing into it (np.concatenate, "
                          "np.stack, np.where, or a list turned into an array once it is complete).")
    repl = {}
    for name, stmts in written.items():
        for s in stmts:
            if _set_item(s, resolve):
                a, index, value = s.value.args
                new = _at(ast.Subscript(value=a, slice=index, ctx=ast.Store()), "set", value)
            elif isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name):
                new = ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())],
                                 value=ast.BinOp(left=ast.Name(id=name, ctx=ast.Load()), op=s.op, right=s.value))
            elif isinstance(s, ast.AugAssign):
                if not isinstance(s.op, ast.Add):
                    raise Refusal(s, f"an in-place `{ast.unparse(s).strip()}` into an element, which this backend "
                                  "translates for `+=` only")
                new = _at(s.target, "add", s.value)
            else:
                new = _at(s.targets[0], "set", s.value)
            new.s2s_where = getattr(s, "s2s_where", None)
            repl[id(s)] = new

    def rebuild(body):
        out = []
        for s in body:
            if isinstance(s, _COMPOUND):
                s.body = rebuild(s.body)
                s.orelse = rebuild(s.orelse)
            out.append(repl.get(id(s), s))
        return out
    fdef.body = rebuild(fdef.body)
    if guarded:
        _Guard(guarded).visit(fdef)


class _Guard(ast.NodeTransformer):
    """``a[i]`` read from an array written in place, as ``s2s_element(a[i])``: a number, or refused while jax
    traces (in NumPy an array there is a view the later writes change; in jax it would keep the old values)."""

    def __init__(self, ids):
        self.ids = ids

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if id(node) in self.ids:
            return ast.copy_location(ast.Call(func=ast.Name(id="s2s_element", ctx=ast.Load()), args=[node],
                                              keywords=[]), node)
        return node


# ---------------------------------------------------------------- calls on jax.numpy

class _Calls(ast.NodeTransformer):
    """``np.f`` / ``math.f`` (NumPy or math however imported) as ``jnp.f``; a name jax.numpy lacks is refused.
    ``float(e)`` (a traced value has no Python float) as ``as_float(e)``, a float64 0-d array."""

    def __init__(self, resolve, locals_, stmt_of):
        self.resolve, self.locals, self.stmt_of = resolve, locals_, stmt_of

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if isinstance(f, ast.Name) and f.id == "float" and f.id not in self.locals and \
                self.resolve("float") is builtins.float and len(node.args) == 1 and not node.keywords:
            node.func = ast.copy_location(ast.Name(id="as_float", ctx=ast.Load()), f)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id not in self.locals:
            import jax.numpy as jnp
            mod = self.resolve(node.value.id)
            if mod is np or mod is math:
                if mod is math and not callable(getattr(math, node.attr, None)):
                    return node   # math.pi
                if not hasattr(jnp, node.attr):
                    raise Refusal(self.stmt_of(node), f"jax.numpy has no `{node.attr}` "
                                  f"(`{ast.unparse(node)}`).")
                return ast.copy_location(ast.Attribute(value=ast.Name(id="jnp", ctx=ast.Load()), attr=node.attr,
                                                       ctx=node.ctx), node)
        return node


def _positional(fdef):
    args = fdef.args
    args.args = args.posonlyargs + args.args + args.kwonlyargs
    args.posonlyargs, args.kwonlyargs, args.kw_defaults, args.defaults = [], [], [], []


# ---------------------------------------------------------------- the translation

_TRANSLATED = {}


def translate(py, top=False):
    """(function, source): the jax rewriting of the generated Python function ``py`` (cached); ``top``: the
    gradient itself, whose keyword-only seed becomes its last positional parameter."""
    with _lock:
        hit = _TRANSLATED.get((py, top))
        if hit is None:
            hit = _TRANSLATED[(py, top)] = _translate(py, top)
        return hit


def _translate(py, top):
    src = py.s2s_source
    fdef = ast.parse(src).body[0]
    if not isinstance(fdef, ast.FunctionDef):
        raise Refusal(None, "the generated code is not a single function.")
    _mark_lines(fdef, src)
    resolve = _resolver(py)
    stmt_of = {}
    for s in _statements(fdef.body):
        for n in ast.walk(s):
            stmt_of.setdefault(id(n), s)
    for s in _statements(fdef.body):
        if not isinstance(s, (ast.Expr, ast.Assign, ast.AugAssign, ast.Return, ast.Pass, ast.Break, ast.Continue)
                          + _COMPOUND):
            raise Refusal(s, f"the generated code has a `{type(s).__name__.lower()}` statement, which this "
                          "backend does not translate.")
    stores = {n.id for n in ast.walk(fdef) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    stores |= {a.arg for a in ast.walk(fdef.args) if isinstance(a, ast.arg)}
    for taken in ("jnp", "as_float", "s2s_element"):
        if taken in stores:
            raise Refusal(None, f"the code has a variable named `{taken}`, a name the jax code gives to jax's own.")
    import jax.numpy as jnp
    glob = {"__name__": "s2s_jax_generated", "jnp": jnp, "as_float": as_float, "s2s_element": element}
    loads = {}
    undone = {id(s.value.func) for s in _statements(fdef.body) if _set_item(s, resolve)}
    for n in ast.walk(fdef):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in stores and id(n) not in undone:
            loads.setdefault(n.id, stmt_of.get(id(n)))   # (set_item(a, i, v) statements: a = a.at[i].set(v))
    for name, node in sorted(loads.items()):
        if name in glob:
            continue
        obj = resolve(name)
        if obj is resolve.missing:
            continue
        if getattr(builtins, name, None) is obj and name in _SAFE_CALLS | {"True", "False", "None", "float"}:
            continue   # (a call float(e) becomes as_float(e))
        glob[name] = _bind(name, obj, py, node, _translated_helper)
    _rewrite_writes(fdef, resolve)
    fdef = _Calls(resolve, stores, lambda n: stmt_of.get(id(n))).visit(fdef)
    if top:
        _positional(fdef)
    out, where = emit(fdef)
    out = f"def {fdef.name}({ast.unparse(fdef.args)}):" + out[out.index("\n"):]   # keywords and defaults kept
    filename = f"<s2s-jax {fdef.name} #{next(_counter)}>"
    _FILES[filename] = where
    linecache.cache[filename] = (len(out), None, out.splitlines(True), filename)
    exec(compile(out, filename, "exec"), glob)
    return glob[fdef.name], out


def _translated_helper(gen):
    """The jax version of a generated helper (``helper_fwd``, ``helper_bwd``) the code calls."""
    fn, _ = translate(gen)
    return fn
