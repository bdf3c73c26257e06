"""``np.vectorize(f)(x)``, a part of s2s/desugar.py: f over x's elements, written as a loop s2s differentiates.

``np.vectorize(f, ...)(x)`` (or ``vf(x)`` with ``vf = np.vectorize(f, ...)`` bound once, or a global
vectorize object) with f static becomes ``np.reshape(np.array([f(v) for v in np.ravel(x)]), np.shape(x))``.
Options whose meaning is the same are followed: ``otypes=[float]`` (``"d"``, ``np.float64``: the values are
float64 already; the result is cast as NumPy does), ``excluded=`` (those arguments are given to f as they
are: one argument left to run over), ``signature=None`` or ``"()->()"``, ``cache=``, ``doc=``. Any other
(``otypes=[int]`` rounds the values, a core signature, two arguments to run over) refuses, naming the line.
"""
import ast
import types

import gast
import numpy as np

from . import astutil

_DOC = ("s2s follows np.vectorize(f)(x) with one argument to run over (others named in excluded=), "
        "otypes=[float], signature=None or '()->()'")


class _Options:
    def __init__(self, otypes=None, excluded=(), signature=None):
        if otypes is not None and not isinstance(otypes, str):
            otypes = "".join(np.dtype(t).char for t in otypes)
        self.otypes, self.excluded, self.signature = otypes, set(excluded), signature
        self.text = str([np.dtype(c).name for c in otypes]) if otypes else repr(otypes)   # (the user's, if known)

    def why_not(self):
        """Why these options mean something else than np.vectorize(f) (None if they do not)."""
        if self.otypes is not None and self.otypes != "d":
            return (f"otypes={self.text} casts f's values to {np.dtype(self.otypes[0]).name}"
                    + (" (no derivative)" if self.otypes[:1] not in ("f", "e", "g") else "")
                    if len(self.otypes) == 1 else f"otypes={self.text} makes {len(self.otypes)} outputs")
        if self.signature is not None and self.signature.replace(" ", "") != "()->()":
            return f"signature={self.signature!r} runs f over core dimensions"
        return None


def _constant(node):
    """The value of a literal option (None, a number, a string, a set/list/tuple of them, a type); raises
    ValueError if it is not one."""
    if isinstance(node, gast.Constant):
        return node.value
    if isinstance(node, (gast.List, gast.Tuple, gast.Set)):
        return [_constant(e) for e in node.elts]
    raise ValueError


def _options_of(norm, call, d):
    """_Options of ``np.vectorize(f, **options)`` written in the function; raises ValueError if not literal."""
    out = _Options()
    for k in call.keywords:
        if k.arg == "otypes":
            if isinstance(k.value, (gast.List, gast.Tuple)):
                types_ = [resolved_type(norm, e, d) for e in k.value.elts]
            else:
                types_ = _constant(k.value)
            out.otypes = None if types_ is None else "".join(np.dtype(t).char for t in types_)
            out.text = ast.unparse(gast.gast_to_ast(k.value))
        elif k.arg == "excluded":
            out.excluded = set(_constant(k.value) or ())
        elif k.arg == "signature":
            out.signature = _constant(k.value)
        elif k.arg in ("cache", "doc"):
            _constant(k.value)
        else:
            raise ValueError
    return out


def resolved_type(norm, node, d):
    if isinstance(node, gast.Constant) and isinstance(node.value, str):
        return node.value
    obj = d.resolved(norm, node)
    if isinstance(obj, type) or isinstance(obj, np.dtype):
        return obj
    raise ValueError


def refusal(vf):
    """The message for a call of the vectorize object ``vf`` that s2s does not follow
    (pullback's and pushforward's refusals, where the call runs: the user's line is named before it)."""
    name = getattr(vf.pyfunc, "__name__", repr(vf.pyfunc))
    opts = _Options(vf.otypes or None, vf.excluded, vf.signature)
    shown = "".join(f", {k}={v!r}" for k, v in (("otypes", [np.dtype(c).name for c in opts.otypes or ""]),
                                                 ("excluded", vf.excluded), ("signature", vf.signature)) if v)
    why = opts.why_not() or (f"{name} is not a Python function s2s reads"
                             if not isinstance(vf.pyfunc, types.FunctionType) else
                             "the call gives it more than one argument to run over (broadcast together), or the "
                             "vectorize object is passed on as a value or bound more than once")
    return (f"s2s cannot differentiate this call of np.vectorize({name}{shown}): {why}.\n{_DOC}. Write the loop "
            "over the elements yourself (a list comprehension over np.ravel(x)), or give the other arguments with "
            "excluded=.")


def vectorize_call(norm, node, d):
    """``np.vectorize(f, ...)(x, *excluded)``: the loop, or None if ``node`` is no such call (``d``: s2s/desugar.py,
    whose helpers this uses)."""
    from .coreform import runtime_name
    resolved, static_function = d.resolved, d.static_function
    func = node.func
    held = resolved(norm, func) if isinstance(func, (gast.Name, gast.Attribute)) else None
    if isinstance(func, gast.Name) and func.id in getattr(norm, "vectorized", {}):
        g, opts = norm.vectorized[func.id]
    elif isinstance(held, np.vectorize) and isinstance(held.pyfunc, types.FunctionType):   # vsq, a global one
        g = runtime_name(held.pyfunc.__name__ if held.pyfunc.__name__.isidentifier() else "vectorized", held.pyfunc)
        opts = _Options(held.otypes or None, held.excluded, held.signature)
    elif isinstance(func, gast.Call) and resolved(norm, func.func) is np.vectorize and len(func.args) == 1:
        try:
            opts = _options_of(norm, func, d)
        except ValueError:
            return None
        g = static_function(norm, func.args[0])
    else:
        return None
    if g is None or any(isinstance(a, gast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        return None
    over = [i for i in range(len(node.args)) if i not in opts.excluded] \
        + [k.arg for k in node.keywords if k.arg not in opts.excluded]
    why = opts.why_not() or (None if len(over) == 1 else "it runs f over no argument" if not over else
                             f"it runs f over {len(over)} arguments (broadcast together)")
    if why is not None:
        return None   # (refused where the call runs with a value carrying a derivative: ``refusal``)
    x = norm.atom(node.args[over[0]] if isinstance(over[0], int) else
                  next(k.value for k in node.keywords if k.arg == over[0]))
    v = norm.fresh("v")
    norm.namer.declare([v])
    _fresh_copy, _name = d._fresh_copy, d._name

    def npf(attr, *args, **kw):
        return gast.Call(func=gast.Attribute(value=runtime_name("np", np), attr=attr, ctx=gast.Load()),
                         args=list(args), keywords=[gast.keyword(arg=a, value=b) for a, b in kw.items()])
    args = [_name(v) if i == over[0] else norm.atom(a) for i, a in enumerate(node.args)]
    kws = [gast.keyword(arg=k.arg, value=_name(v) if k.arg == over[0] else norm.atom(k.value)) for k in node.keywords]
    comp = gast.ListComp(elt=gast.Call(func=_fresh_copy(g), args=args, keywords=kws), generators=[
        gast.comprehension(target=_name(v, gast.Store()), iter=npf("ravel", _fresh_copy(x)), ifs=[], is_async=0)])
    values = npf("array", comp)
    if opts.otypes == "d":   # (an empty x: float64, as np.vectorize makes it)
        values = npf("asarray", values, dtype=gast.Attribute(value=runtime_name("np", np), attr="float64",
                                                               ctx=gast.Load()))
    out = npf("reshape", values, npf("shape", _fresh_copy(x)))
    for n in astutil.walk_bfs(out):
        if isinstance(n, gast.expr) and not hasattr(n, "lineno"):
            gast.copy_location(n, node)
    return out


def vectorize_assignment(norm, target, value, d):
    """``vf = np.vectorize(f, ...)`` with f static, literal options and vf assigned nowhere else: remembered, not
    emitted (calls of vf become loops, see ``vectorize_call``). True when done."""
    resolved, static_function = d.resolved, d.static_function
    if not (isinstance(value, gast.Call) and resolved(norm, value.func) is np.vectorize and len(value.args) == 1):
        return False
    try:
        opts = _options_of(norm, value, d)
    except ValueError:
        return False
    stores = sum(1 for n in astutil.walk_bfs(norm.ctx.node) if isinstance(n, gast.Name) and n.id == target
                 and isinstance(n.ctx, gast.Store))
    uses = [n for n in astutil.walk_bfs(norm.ctx.node) if isinstance(n, gast.Name) and n.id == target
            and isinstance(n.ctx, gast.Load)]
    calls = {id(c.func) for c in astutil.walk_bfs(norm.ctx.node) if isinstance(c, gast.Call)}
    if stores != 1 or any(id(u) not in calls for u in uses):
        return False   # (vf passed on or rebound: left as it is)
    g = static_function(norm, value.args[0])
    if g is None:
        return False
    if not hasattr(norm, "vectorized"):
        norm.vectorized = {}
    norm.vectorized[target] = (g, opts)
    return True
