"""Which elements of the tuple a user function returns carry no derivative from its arguments.

scikit-learn-style code gets its array namespace from a helper that decides it when it runs
(``xp, _ = get_namespace(y, p)``, with ``def get_namespace(*arrays): ... return np_compat, False``).
The call's result carries a derivative (its arguments do), but its element 0 never does: every
``return`` gives there a global, a constant, or the result of a non-differentiable call. analyze.flows
reads ``xp = t[0]`` after ``t = get_namespace(y, p)`` as carrying none, so ``xp`` is not a value to
differentiate (and ``xp.finfo(...)``, ``xp.clip(...)`` are not read through a derivative-carrying object).
"""
import gast

from . import astutil

_CACHE = {}


def inactive_elements(fn, passed, reads):
    """The indices ``k`` such that element ``k`` of the tuple display every ``return`` of the user function
    ``fn`` gives reads nothing computed from the parameters ``passed`` (those the call gives an argument: the
    others keep their defaults, constants) (cached; empty when s2s cannot tell). ``reads``: analyze's
    ``(diff_reads, names_in)`` (analyze imports this module)."""
    try:
        return _CACHE[fn, passed]
    except KeyError:
        pass
    except TypeError:   # unhashable
        return frozenset()
    try:
        out = _inactive(fn, passed, *reads)
    except Exception:   # noqa: BLE001 (no source, or code this does not follow: nothing known)
        out = frozenset()
    _CACHE[fn, passed] = out
    return out


def passed_params(fn, call):
    """The parameters of ``fn`` that ``call`` gives an argument (None when s2s cannot tell)."""
    import inspect
    if any(k.arg is None for k in call.keywords):
        return None
    try:
        bound = inspect.signature(fn).bind_partial(*[None] * len(call.args), **{k.arg: None for k in call.keywords})
    except (TypeError, ValueError):
        return None
    return frozenset(bound.arguments)


_BAIL = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef, gast.Yield, gast.YieldFrom,
         gast.Await, gast.Global, gast.Nonlocal, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp,
         gast.NamedExpr, gast.Try, gast.With)


def _inactive(fn, passed, diff_reads, names_in):
    from .parse import parse_function
    ctx = parse_function(fn)
    node = ctx.node
    a = node.args
    varied = {p.id for p in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg]
              if p is not None and p.id in passed}
    body = list(gast.walk(node))[1:]
    if any(isinstance(n, _BAIL) for n in body):
        return frozenset()
    pairs = []   # (bound names, the names a derivative may come from), flow-insensitive
    for n in body:
        if isinstance(n, gast.Assign):
            simple = len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)
            pairs.append(({e.id for t in n.targets for e in gast.walk(t) if isinstance(e, gast.Name)},
                          diff_reads(n.value, ctx) if simple else names_in(n.value)))
        elif isinstance(n, (gast.AugAssign, gast.AnnAssign)):
            pairs.append(({e.id for e in gast.walk(n.target) if isinstance(e, gast.Name)},
                          names_in(n.value) if n.value is not None else set()))
        elif isinstance(n, gast.For):
            pairs.append(({e.id for e in gast.walk(n.target) if isinstance(e, gast.Name)}, names_in(n.iter)))
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):   # lst.append(x), o.update(x)
            root = n.func.value
            while isinstance(root, (gast.Attribute, gast.Subscript)):
                root = root.value
            if isinstance(root, gast.Name):
                pairs.append(({root.id}, names_in(n)))
    astutil.spread(pairs, varied)
    returns = [n for n in body if isinstance(n, gast.Return)]
    if not returns or any(not isinstance(r.value, gast.Tuple) or len(r.value.elts) != len(returns[0].value.elts)
                          or any(isinstance(e, gast.Starred) for e in r.value.elts) for r in returns):
        return frozenset()
    size = len(returns[0].value.elts)
    return frozenset(k for k in range(size) if not any(diff_reads(r.value.elts[k], ctx) & varied for r in returns))
