"""``wrt`` over a function's ``*args``: ``s2s.grad(f, wrt=[0, 1])(W, b)`` for ``def f(*ps)`` (issue 11).

An int ``wrt`` counts the call's positional arguments, as for any function; past the named parameters it
points into ``*ps``. How many arguments ``*ps`` gets is known when the gradient is called, so the result
is a small dispatcher: for each count it writes a fixed-arity adapter, ``def f(ps_0, ps_1): return
f(ps_0, ps_1)`` (the named parameters first, the keyword-only ones after), whose gradient s2s generates
as for any function (it calls f's own generated code), once per count. In forward mode (``jvp``,
``hvp``) the tangents are the last ``len(wrt)`` positional arguments, or given by name (``dps_0``).
"""
import functools
import inspect
import itertools

from .sources import set_source

_COUNTER = itertools.count()


def needed(fn, wrt):
    """True when ``wrt`` has an int pointing past ``fn``'s named positional parameters into its ``*args``."""
    if not fn.__code__.co_flags & inspect.CO_VARARGS and not hasattr(fn, "__wrapped__"):
        return False   # (the usual case, without inspect.signature: grad(f)'s cached lookup stays a few us)
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    if not any(p.kind == p.VAR_POSITIONAL for p in params):
        return False
    n = sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    items = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    return any(isinstance(w, int) and not isinstance(w, bool) and w >= n for w in items)


def _extra(fn, kwargs, star):
    """The keywords of a call that go into ``fn``'s ``**kwargs`` (not its parameters, not tangents by name)."""
    params = inspect.signature(fn).parameters.values()
    if not any(p.kind == p.VAR_KEYWORD for p in params):
        return ()
    named = {p.name for p in params if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
    return tuple(sorted(k for k in kwargs if k not in named and k.isidentifier()
                        and not (k[:1] == "d" and (k[1:] in named or k[1:].startswith(star + "_")))))


def _adapter(fn, count, extra=()):
    """(adapter, the names of its parameters in call order): ``fn`` called with ``count`` arguments in its
    ``*args`` (and the keywords ``extra`` in its ``**kwargs``), as a function with one named parameter each."""
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    star = next(p.name for p in params if p.kind == p.VAR_POSITIONAL)
    named = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    spread = [f"{star}_{i}" for i in range(count)]
    kwonly = [p for p in params if p.kind == p.KEYWORD_ONLY]
    name = fn.__name__ if fn.__name__.isidentifier() else "star_adapter"   # a lambda's name is <lambda>
    target = f"{name}_"
    ns = {target: fn}
    heads = []
    for p in params:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is not p.empty:
            raise ValueError(f"wrt past the named parameters of {fn.__name__}{sig} needs them without defaults")
    for p in kwonly:
        if p.default is p.empty:
            heads.append(p.name)
        else:
            ns[f"{p.name}_default"] = p.default
            heads.append(f"{p.name}={p.name}_default")
    heads += [k for k in extra if k not in ns]
    args = ", ".join(named + spread + (["*"] + heads if heads else []))
    call = ", ".join(named + spread + [f"{p.name}={p.name}" for p in kwonly] + [f"{k}={k}" for k in extra])
    src = f"def {name}({args}):\n    return {target}({call})\n"
    code = compile(src, f"<s2s: {fn.__name__} with {count} arguments in *{star} #{next(_COUNTER)}>", "exec")
    exec(code, ns)
    adapter = set_source(ns[name], src)
    return adapter, named + spread


def _names(wrt, order, star_name):
    items = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    out = []
    for w in items:
        if isinstance(w, int) and not isinstance(w, bool):
            if not -len(order) <= w < len(order):
                raise ValueError(f"wrt={w} but the call passes {len(order)} positional arguments")
            out.append(order[w])
        elif w == star_name:
            raise ValueError(f"wrt={w!r} names the *{w} tuple; give the positions of its items (wrt=[0, 1])")
        else:
            out.append(w)
    return out if isinstance(wrt, (list, tuple)) else out[0]


def reverse(fn, wrt, build):
    """The gradient of ``fn`` over items of its ``*args``: ``build(adapter, wrt_names)`` per count."""
    star = next(p.name for p in inspect.signature(fn).parameters.values() if p.kind == p.VAR_POSITIONAL)
    n_named = sum(1 for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    made = {}

    @functools.wraps(fn)
    def star_gradient(*args, **kwargs):
        key = (max(0, len(args) - n_named), _extra(fn, kwargs, star))
        gen = made.get(key)
        if gen is None:
            adapter, order = _adapter(fn, *key)
            gen = made[key] = build(adapter, _names(wrt, order, star))
        return gen(*args, **kwargs)
    del star_gradient.__wrapped__   # not fn's source: inspect.getsource(grad) shows a count's generated code
    star_gradient.s2s_for_count = made
    # the seed's name (vjp passes it by name): that of the code made for the count of a call made before
    star_gradient.s2s_seed_for = lambda *args, **kw: made[(max(0, len(args) - n_named), _extra(fn, kw, star))].s2s_seed
    return star_gradient


def forward(fn, wrt, build):
    """Forward mode (jvp, hvp) of ``fn`` over items of its ``*args``: the last ``len(wrt)`` positional
    arguments are the tangents unless a tangent is given by name."""
    params = list(inspect.signature(fn).parameters.values())
    star = next(p.name for p in params if p.kind == p.VAR_POSITIONAL)
    n_named = sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    n_t = len(wrt) if isinstance(wrt, (list, tuple)) else 1
    names = set(inspect.signature(fn).parameters)
    made = {}

    @functools.wraps(fn)
    def star_tangent(*args, **kwargs):
        by_name = any(k[:1] == "d" and (k[1:] in names or k[1:].startswith(star + "_")) for k in kwargs)
        key = (max(0, len(args) - n_named - (0 if by_name else n_t)), _extra(fn, kwargs, star))
        gen = made.get(key)
        if gen is None:
            adapter, order = _adapter(fn, *key)
            gen = made[key] = build(adapter, _names(wrt, order, star))
        return gen(*args, **kwargs)
    del star_tangent.__wrapped__
    star_tangent.s2s_for_count = made
    return star_tangent
