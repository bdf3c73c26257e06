"""The class a function of the user's returns, read from its source: every ``return`` builds it (``return
Vec(...)``; ``return self``, ``return type(self)(...)`` or ``self.__class__(...)`` in a method of ``cls``).
Used to know the class of ``v = f(...)`` where the code is generated (s2s/analyze.py ``instances``,
s2s/user_operators.py)."""
import ast
import functools
import inspect
import textwrap
import types


def returned_class(fn, cls=None):
    """The class of the user's every ``return`` of function ``fn`` builds (``Vec(...)``; ``cls`` for ``self`` and
    ``type(self)(...)`` of a method of ``cls``), or None."""
    try:
        return _returned_class(fn, cls)
    except TypeError:   # (an unhashable callee)
        return None


@functools.lru_cache(maxsize=512)
def _returned_class(fn, cls):
    if not isinstance(fn, types.FunctionType):
        return None
    try:
        node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(node, ast.FunctionDef) or node.name != fn.__name__:   # (a lambda, a decorated def's source)
        return None
    me = node.args.args[0].arg if node.args.args else None
    if any(isinstance(n, ast.Name) and n.id == "NotImplemented" for n in ast.walk(node)):
        return None
    found = set()
    for r in ast.walk(node):
        if not isinstance(r, ast.Return):
            continue
        v = r.value
        if isinstance(v, ast.Name) and v.id == me and cls is not None:
            found.add(cls)
        elif isinstance(v, ast.Call) and isinstance(v.func, ast.Call) and isinstance(v.func.func, ast.Name) \
                and v.func.func.id == "type" and len(v.func.args) == 1 and isinstance(v.func.args[0], ast.Name) \
                and v.func.args[0].id == me and cls is not None:
            found.add(cls)
        elif isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) and v.func.attr == "__class__" \
                and isinstance(v.func.value, ast.Name) and v.func.value.id == me and cls is not None:
            found.add(cls)
        elif isinstance(v, ast.Call) and isinstance(v.func, ast.Name):
            found.add(fn.__globals__.get(v.func.id))
        else:
            return None
    cls = found.pop() if len(found) == 1 else None
    return cls if isinstance(cls, type) and (cls.__module__ or "builtins").split(".")[0] not in ("builtins", "numpy") \
        else None
