"""User helpers whose result is a constant of their module: ``def my_namespace(*arrays): return np, False``.

scikit-learn-style code gets its array namespace from a helper (``xp, _ = my_namespace(y, p)``). When every
``return`` of the helper returns module-level names bound to modules, or literals (``np``, ``False``, ``None``,
``(np, True)``), always the same ones, and the helper changes nothing (no write into an object, no ``global``,
only calls that write nothing), its result is known now and carries no derivative: the call is
non-differentiable (registry.is_nondiff asks ``is_constant``) and a local bound to its module is that module
(parse.static_namespaces), so ``xp.mean(t)`` is ``np.mean(t)``.
"""
import builtins
import sys
import textwrap
import types
import weakref

import gast

_CACHE = weakref.WeakKeyDictionary()   # function -> (True, value) or (False, None)
_LIBRARIES = frozenset(sys.stdlib_module_names) | {"s2s", "numpy", "scipy"}
_LITERALS = (type(None), bool, int, float, str)


def result(fn):
    """``(True, value)`` when every call of the user function ``fn`` returns ``value``, a constant built from
    modules and literals, and changes nothing; else ``(False, None)``."""
    if not isinstance(fn, types.FunctionType) or getattr(fn, "s2s_generated", False) \
            or len(fn.__code__.co_code) > 600 or (fn.__module__ or "").split(".")[0] in _LIBRARIES:
        return False, None   # (a helper like this is short; the standard library's and NumPy's are not read)
    try:
        return _CACHE[fn]
    except KeyError:
        pass
    if parser is None:
        return False, None
    try:
        out = _evaluate(fn)
    except Exception:   # noqa: BLE001 (no source, or code s2s does not follow: not known to be constant)
        out = (False, None)
    _CACHE[fn] = out
    return out


def is_constant(fn):
    return result(fn)[0]


parser = None   # (getsourcelines, local_names, harmless_call), set by s2s/parse.py (which imports this module)


def _evaluate(fn):
    getsourcelines, local_names, _harmless_call = parser
    lines, _ = getsourcelines(fn)
    node = gast.parse(textwrap.dedent("".join(lines))).body[0]   # (the source only: no Context, no callee read)
    if not isinstance(node, gast.FunctionDef) or node.name != fn.__name__ or node.decorator_list:
        return False, None
    local = local_names(node)
    cells = dict(zip(fn.__code__.co_freevars, (c.cell_contents for c in (fn.__closure__ or ()))))
    returns = []
    stack = list(node.body)
    while stack:
        n = stack.pop()
        if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef, gast.Yield,
                          gast.YieldFrom, gast.Await, gast.Global, gast.Nonlocal, gast.Delete, gast.NamedExpr)):
            return False, None   # (nested code, a generator, a global write: not followed)
        if isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, (gast.Store, gast.Del)):
            return False, None   # a write into an object
        if isinstance(n, gast.AugAssign) and not isinstance(n.target, gast.Name):
            return False, None
        if isinstance(n, gast.Call) and not _harmless_call(n.func, fn, cells, local):
            return False, None   # a call that may change an argument
        if isinstance(n, gast.Return):
            returns.append(n.value)
        stack.extend(gast.iter_child_nodes(n))
    if not returns or not isinstance(node.body[-1], gast.Return):
        return False, None   # (falling off the end returns None: not followed)
    values = [_const(v, fn, cells, local) for v in returns]
    first = values[0]
    if any(v is _NOT for v in values) or any(not _same(v, first) for v in values[1:]):
        return False, None
    return True, first


_NOT = object()


def _const(node, fn, cells, local):
    if node is None:
        return None
    if isinstance(node, gast.Constant):
        return node.value if isinstance(node.value, _LITERALS) else _NOT
    if isinstance(node, gast.Tuple):
        parts = tuple(_const(e, fn, cells, local) for e in node.elts)
        return _NOT if any(p is _NOT for p in parts) else parts
    if isinstance(node, gast.Name):
        if node.id in local:
            return _NOT
        v = cells.get(node.id, fn.__globals__.get(node.id, getattr(builtins, node.id, _NOT)))
        return v if isinstance(v, (types.ModuleType,) + _LITERALS) else _NOT
    if isinstance(node, gast.Attribute):
        base = _const(node.value, fn, cells, local)
        if not isinstance(base, types.ModuleType):
            return _NOT
        v = getattr(base, node.attr, _NOT)
        return v if isinstance(v, (types.ModuleType,) + _LITERALS) else _NOT
    return _NOT


def _same(a, b):
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, types.ModuleType) or isinstance(b, types.ModuleType):
        return a is b
    return type(a) is type(b) and a == b
