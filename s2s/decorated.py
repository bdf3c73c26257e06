"""Decorators that change what the function they wrap computes (issue 11, item 9)::

    def halve_first(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return fn(args[0] * 0.5, *args[1:], **kwargs)
        return wrapper

The code that runs for ``model(x, w)`` is the wrapper's, so s2s differentiates the wrapper's own source
(read from its code object, not from ``__wrapped__``), with ``fn`` and its other free names resolved in
the wrapper's closure and module. A call of such a wrapper whose arguments are known where it is written is
inlined there (``Expressions.inline``, s2s/normalize_expr.py): ``args`` is the tuple of the call's
arguments, ``kwargs`` the dict of its keywords, so the generated code reads ``model_fwd(x * 0.5, w)``;
the call of ``fn`` inside is an ordinary call of the user's function. Errors name the call's line, then
the wrapper's file and line; those inside ``fn`` name ``fn``'s own.

``grad(model)`` itself, and a call known only at run time (``pullback(model, x, w)``), go through an
adapter written for the call's shape (how many positional arguments, which keywords):
``def model(x, w): return wrapper(x, w)``, so the wrapper sees exactly the ``args`` and ``kwargs`` the
user's call gives it. ``reverse`` / ``forward`` make one per shape, as s2s/star_wrt.py does per count.

Wrappers that only check and then forward unchanged (``parse._transparent``, ``wrappers.forwards``) keep
their own path: s2s differentiates the function they wrap (its errors name its own line).
"""
import contextlib
import functools
import inspect
import itertools
import linecache
import os
import re
import sys
import types

import gast

from .errors import DifferentiationError
from .sources import set_source

_COUNTER = itertools.count()
_ADAPTER = "through its decorator"   # (in the adapters' file names: _located finds them in messages)
SEED = "dresult"   # the seed's keyword for every call shape (reverse)
_PLAIN = {}   # wrapper -> (its clone without __wrapped__, adapters by shape)
_OWN = os.path.dirname(os.path.abspath(__file__)) + os.sep


def transforms(fn):
    """True for a ``functools.wraps`` wrapper whose effect on its arguments or result s2s must differentiate
    itself: a plain Python function (not a generator), with no rule, that neither forwards unchanged
    (``wrappers.forwards``) nor is transparent (``parse._transparent``)."""
    if not isinstance(fn, types.FunctionType) or getattr(fn, "__wrapped__", None) is None \
            or fn.__code__.co_filename.startswith(_OWN) or getattr(fn, "s2s_generated", False):
        return False   # (s2s's own wrappers: a generated gradient's dispatcher is differentiated as its code)
    hit = _PLAIN.get(fn)
    if hit is not None:
        return hit[0] is not None
    from . import registry, wrappers
    code = fn.__code__
    try:
        ruled = registry.lookup_adjoint(fn) is not None or registry.lookup_tangent(fn) is not None \
            or registry.is_nondiff(fn)
    except TypeError:
        ruled = True
    yes = not ruled and not code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE
                                             | inspect.CO_ASYNC_GENERATOR) \
        and wrappers.through(fn) is fn and wrappers.transparent(fn, fn.__wrapped__) is not None \
        and wrappers.forwards(fn, fn.__wrapped__) is not None and wrappers._source(fn) is not None
    _PLAIN[fn] = (plain(fn) if yes else None, {})
    return yes


def plain(fn):
    """``fn``'s code, closure and globals as a function without ``__wrapped__``: what s2s reads and the
    generated code calls is the wrapper itself, not the function it wraps."""
    new = types.FunctionType(fn.__code__, fn.__globals__, fn.__code__.co_name, fn.__defaults__, fn.__closure__)
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__qualname__ = fn.__code__.co_qualname if hasattr(fn.__code__, "co_qualname") else fn.__qualname__
    new.__module__ = fn.__module__
    return new


def callee(fn, ctx, stmt):
    """The wrapper's FunctionDef, ready to inline at ``stmt`` of ``ctx``'s function (see ``foreign``)."""
    from .parse import parse_function
    transforms(fn)
    node = foreign(parse_function(_PLAIN[fn][0]), stmt,
                   f"the decorator's wrapper around {fn.__wrapped__.__name__}",
                   f"Write what the decorator does into the function, or differentiate "
                   f"{fn.__wrapped__.__name__}.__wrapped__.")
    node.s2s_spread = True
    return node


def foreign(sub, stmt, what, fix="Define it at module level."):
    """A copy of the FunctionDef of ``sub`` (a parsed function of another scope: a decorator's wrapper, a
    helper of another module), ready to inline at ``stmt``: its free names bound to its own objects (they
    become anno ``obj`` once ``Expressions.inline`` has copied it), its lines noted for errors (anno
    ``inlined``: the call's line, then its own)."""
    import copy

    from .anno import hasanno, setanno
    from .parse import _MISSING, local_names
    node = copy.deepcopy(sub.node)
    own = local_names(node) | {n.id for n in gast.walk(node) if isinstance(n, gast.Name)
                               and isinstance(n.ctx, gast.Param)}
    node.s2s_foreign = {}
    for n in gast.walk(node):
        if isinstance(n, (gast.Global, gast.Nonlocal, gast.Yield, gast.YieldFrom, gast.Await)):
            raise sub.error(n, f"s2s cannot differentiate {what}: it has a `{type(n).__name__.lower()}`.", fix)
        if isinstance(n, gast.Name) and n.id not in own and not hasanno(n, "obj"):
            obj = sub.resolve_name(n.id)
            if obj is _MISSING or not isinstance(n.ctx, gast.Load):
                raise sub.error(n, f"s2s cannot tell what `{n.id}` is in {what}.", "Define it at module level.")
            node.s2s_foreign[n.id] = obj
        if isinstance(n, (gast.stmt, gast.expr)) and getattr(n, "lineno", None):
            if not hasanno(n, "inlined"):
                setanno(n, "inlined", (sub.filename, sub.line_offset + n.lineno, sub.name))
            gast.copy_location(n, stmt)
    data = module_data(sub, node.s2s_foreign)
    if data:   # a number or an array of its module: read there when the code runs (rebinding it is seen)
        module = data_module(sub, node, what, data)
        alias = next(a for a in (f"{module.__name__.rsplit('.', 1)[-1]}{'_' * i}" for i in range(len(own) + 2))
                     if a not in own)
        node.s2s_foreign[alias] = module
        for k in data:
            del node.s2s_foreign[k]
        node = read_through(node, data, lambda: gast.Name(id=alias, ctx=gast.Load(), annotation=None,
                                                          type_comment=None))
    return node


def module_data(sub, names):
    """Of ``names`` (free names of ``sub``, a parsed function), those that are numbers or arrays of its own
    module (not its closure's, not functions, classes or modules): generated code reads them through the
    module when it runs, so rebinding one after the gradient was made is seen."""
    return {k for k in names if k not in sub.closure and k in sub.globals
            and not (callable(sub.globals[k]) or isinstance(sub.globals[k], (types.ModuleType, type)))}


def data_module(sub, node, what, data):
    """The module whose globals ``sub`` reads ``data`` from (a ``DifferentiationError`` at ``node`` if none)."""
    module = sys.modules.get(sub.globals.get("__name__"))
    if module is None or vars(module) is not sub.globals:
        raise sub.error(node, f"s2s cannot tell which module {what} reads `{sorted(data)[0]}` from.",
                        "Pass the value as an argument.")
    return module


def read_through(node, data, module_name):
    """``node`` with each load of a name in ``data`` made ``<module_name()>.name``."""
    class Read(gast.NodeTransformer):
        def visit_Name(self, n):
            if n.id in data and isinstance(n.ctx, gast.Load):
                return gast.copy_location(gast.Attribute(value=module_name(), attr=n.id, ctx=gast.Load()), n)
            return n
    return Read().visit(node)


def adapter(fn, npos, kwnames):
    """A function ``def model(x, w, *, k): return wrapper(x, w, k=k)`` calling the wrapper with ``npos``
    positional arguments and the keywords ``kwnames`` (named after the wrapped function's parameters), with
    source; cached per shape."""
    transforms(fn)
    made = _PLAIN[fn][1]
    key = (npos, tuple(kwnames))
    if key in made:
        return made[key]
    params = list(inspect.signature(fn.__wrapped__).parameters.values())
    named = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    star = next((p.name for p in params if p.kind == p.VAR_POSITIONAL), "args")
    pos = named[:npos] + [f"{star}_{i}" for i in range(npos - len(named))]
    kws = [k for k in kwnames if k.isidentifier() and k not in pos]
    if len(kws) != len(kwnames):
        raise DifferentiationError(f"{fn.__wrapped__.__name__} is called with the keywords {sorted(kwnames)}, "
                                   "which s2s cannot write as parameters.")
    name = fn.__wrapped__.__name__ if fn.__wrapped__.__name__.isidentifier() else "wrapped"
    target = f"{name}_wrapper"
    head = ", ".join(pos + (["*"] + kws if kws else []))
    call = ", ".join(pos + [f"{k}={k}" for k in kws])
    src = f"def {name}({head}):\n    return {target}({call})\n"
    ns = {target: fn, "__name__": getattr(fn, "__module__", None) or "s2s.decorated"}
    exec(compile(src, f"<s2s: {name} {_ADAPTER} #{next(_COUNTER)}>", "exec"), ns)
    out = made[key] = set_source(ns[name], src)
    return out


def _wrt_names(fn, wrt):
    """``wrt`` as names of the wrapped function's parameters (an int counts its positional ones)."""
    params = [p.name for p in inspect.signature(fn.__wrapped__).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    out = []
    for w in (list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]):
        if isinstance(w, bool) or not isinstance(w, (int, str)):
            raise TypeError(f"wrt must be ints or parameter names, got {w!r}")
        if isinstance(w, int) and not -len(params) <= w < len(params) or isinstance(w, str) and w not in params:
            raise ValueError(f"wrt={w!r} is not a parameter of {fn.__wrapped__.__name__} {params}")
        out.append(params[w] if isinstance(w, int) else w)
    return out if isinstance(wrt, (list, tuple)) else out[0]


def _shape(fn, args, kwargs):
    """(number of positional arguments, the keywords meant for the function: not a gradient's seed)."""
    params = inspect.signature(fn.__wrapped__).parameters
    named = {p.name for p in params.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    spare = any(p.kind == p.VAR_KEYWORD for p in params.values())
    return len(args), tuple(k for k in kwargs if k in named or spare and not k.startswith("dresult"))


def _check(fn, adapted, wrt):
    names = set(inspect.signature(adapted).parameters)
    for w in (wrt if isinstance(wrt, list) else [wrt]):
        if w not in names:
            raise DifferentiationError(f"{fn.__wrapped__.__name__} is differentiated with respect to `{w}`, which "
                                       "this call leaves to its default; s2s differentiates the decorator's "
                                       "wrapper with the arguments the call gives it.\n"
                                       f"Pass `{w}` in the call.")


@contextlib.contextmanager
def _located(fn):
    """A DifferentiationError naming the adapter's line (``File "<s2s: f through its decorator #0>", line 2``)
    names the decorated function's own first line instead: the user's file, where the decorator is written."""
    try:
        yield
    except DifferentiationError as e:
        text = str(e)
        if _ADAPTER not in text:
            raise
        code = getattr(inspect.unwrap(fn), "__code__", None)
        if code is None:
            raise
        line = linecache.getline(code.co_filename, code.co_firstlineno).strip()
        here = f'File "{code.co_filename}", line {code.co_firstlineno}, in {code.co_name}' + \
            (f"\n    {line}" if line else "")
        e.args = (re.sub(r'File "<s2s: [^>]*through its decorator #\d+>", line \d+, in \w+(\n    [^\n]*)?',
                         lambda m: here, text, count=1),) + e.args[1:]
        raise


def reverse(fn, wrt, build):
    """The gradient of the wrapper ``fn``: ``build(adapter, wrt_names)`` per call shape."""
    names = _wrt_names(fn, wrt)
    made = {}

    @functools.wraps(fn)
    def decorated_gradient(*args, **kwargs):
        shape = _shape(fn, args, kwargs)
        with _located(fn):
            gen = _for_shape(fn, made, shape, names, build)
            if SEED in kwargs and getattr(gen, "s2s_seed", SEED) != SEED:
                kwargs[gen.s2s_seed] = kwargs.pop(SEED)   # (each shape's code names its seed itself)
            return gen(*args, **kwargs)
    del decorated_gradient.__wrapped__
    decorated_gradient.s2s_seed = SEED
    decorated_gradient.s2s_for_shape = made
    return decorated_gradient


def _for_shape(fn, made, shape, names, build):
    """The generated function of the wrapper ``fn`` for one call shape, made once (``made``: shape -> it)."""
    gen = made.get(shape)
    if gen is None:
        adapted = adapter(fn, *shape)
        _check(fn, adapted, names)
        gen = made[shape] = build(adapted, names)
    return gen


def forward(fn, wrt, build):
    """Forward mode (jvp, hvp) of the wrapper ``fn``: the tangents are the last ``len(wrt)`` positional
    arguments unless given by name (``dx``)."""
    names = _wrt_names(fn, wrt)
    n_t = len(names) if isinstance(names, list) else 1
    tangents = {"d" + n for n in (names if isinstance(names, list) else [names])}
    params = inspect.signature(fn.__wrapped__).parameters.values()
    required = sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                   and p.default is p.empty)
    made = {}

    @functools.wraps(fn)
    def decorated_tangent(*args, **kwargs):
        # the tangents: given by name, or the last ones once the required arguments are there (as for jvp)
        by_name = bool(tangents & set(kwargs)) or len(args) < required + n_t
        primal = args if by_name else args[:len(args) - n_t]
        shape = _shape(fn, primal, {k: v for k, v in kwargs.items() if k not in tangents})
        with _located(fn):
            return _for_shape(fn, made, shape, names, build)(*args, **kwargs)
    del decorated_tangent.__wrapped__
    decorated_tangent.s2s_for_shape = made
    return decorated_tangent

