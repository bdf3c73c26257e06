"""Full derivative matrices, assembled from generated functions (DESIGN.md section 1).

``hessian(f)`` runs the generated Hessian-vector product (s2s/compiler.py's
``hvp_function``: forward over reverse) once per input element;
``jacobian(f)`` runs the generated forward-mode function once per input
element or the generated gradient once per output element, whichever is
fewer. Containers give nested containers of blocks (JAX's convention).
"""
import functools

import numpy as np

from . import compiler, signature, tree
from .api import _decorator_or_call, _names, _partial_wrt, _print_source, _self_type, _specializing, _with_bound
from .errors import DifferentiationError, user_facing
from ._typing import Function, Optional, Wrt  # the public API's types (s2s ships py.typed)


def _basis(x):
    """Unit tangents for x, one per scalar element, each shaped like x."""
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        yield 1.0
        return
    x = np.asarray(x)
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    for i in range(x.size):
        e = np.zeros(x.size, dtype=dtype)
        e[i] = 1.0
        yield e.reshape(x.shape)


def _shape(x):
    return () if isinstance(x, (float, int)) else np.shape(x)


def _stack(parts, inner_shape, outer_shape):
    """Assemble a matrix of shape ``outer_shape + inner_shape`` from per-element parts.

    ``parts[j]`` has ``outer_shape`` and belongs to inner element j.
    """
    if not inner_shape:
        p = parts[0]
        return float(p) if not outer_shape and np.ndim(p) == 0 else np.asarray(p, dtype=float)
    n = int(np.prod(inner_shape))
    arr = np.stack([np.asarray(p, dtype=float).reshape(outer_shape) for p in parts], axis=-1)
    return arr.reshape(tuple(outer_shape) + (n,)).reshape(tuple(outer_shape) + tuple(inner_shape))


def _bound_args(fn, self_, args, kwargs):
    import inspect
    sig = inspect.signature(fn)
    full = (self_,) + tuple(args) if self_ is not None else tuple(args)
    try:
        ba = sig.bind(*full, **kwargs)
    except TypeError as e:   # as calling fn would say it: with fn's name
        raise TypeError(f"{getattr(fn, '__name__', 'f')}() {e}") from None
    ba.apply_defaults()
    signature.check_reiterable(list(ba.arguments.values()), getattr(fn, "__name__", "f"),
                               "s2s.hessian and s2s.jacobian run it once per element of the input or the output")
    return ba


def _fill(row, part, leaf, where):
    """``part`` (a gradient or tangent of ``leaf``) flattened into ``row``."""
    arr = np.asarray(part, dtype=float)
    if arr.shape != tuple(tree.shape(leaf)):
        if arr.ndim:
            raise DifferentiationError(f"{where}: a derivative has shape {arr.shape} but its value has shape "
                                       f"{tree.shape(leaf)}; please report this.")
        arr = np.broadcast_to(arr, tree.shape(leaf))   # a literal zero for an inactive part
    row[...] = arr.reshape(-1)


def _leaves_like(t, like, where):
    """The leaves of derivative ``t``, one per leaf of ``like`` (its value)."""
    if not tree.is_node(like):
        return [t]
    parts = tree.leaves(t) if tree.is_node(t) else [t] * len(tree.leaves(like))
    if len(parts) != len(tree.leaves(like)):
        raise DifferentiationError(f"{where}: a derivative has {len(parts)} parts but its value has "
                                   f"{len(tree.leaves(like))}; please report this.")
    return parts


def _fresh(state, key, func, self_, build, verbose=0):
    """``state[key]``, the generated function ``build()`` makes, made again when what it was compiled against
    changed (a helper redefined, a global rebound: ``fncache.Dependencies``); for a method, its object must not
    shadow a method of its class on the instance (s2s/signature.py ``shadowing``)."""
    if self_ is not None:
        signature.check_shadowing([("the object of the method", self_)], func)
    g = state.get(key)
    if g is None or not signature.freshness(g)():
        g = state[key] = build()
        if verbose:
            _print_source(g)
    return g


@user_facing
def hessian(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True, verbose: int = 0) -> Function:
    """The Hessian of scalar f, shape ``x.shape + x.shape``, built from generated HVPs.

    For several ``wrt`` arguments, returns the blocks as a tuple of tuples
    (``H[i][j]`` of shape ``xi.shape + xj.shape``). A container argument
    (list, tuple, dict) gives nested containers of blocks: ``H[a][b]`` for
    leaves ``a`` and ``b``, of shape ``a.shape + b.shape`` (JAX's convention).
    (``H[i][j]`` of shape ``xi.shape + xj.shape``).

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> def f(x):
        ...     return x[0] ** 2 * x[1]
        >>> print(s2s.hessian(f)(np.array([1.0, 3.0])))
        [[6. 2.]
         [2. 0.]]
    """
    def make(fn):
        if isinstance(fn, functools.partial):   # the Hessian of what it wraps, with its bound arguments
            return _with_bound(hessian(fn.func, _partial_wrt(fn, wrt), optimized=optimized, verbose=verbose), fn)
        func, self_, names = _names(fn, wrt)
        state = {}

        def hvp():
            return _fresh(state, "hvp", func, self_, lambda: _specializing(   # code per argument signature
                func, lambda sig=(): compiler.hvp_function(func, names, optimized, _self_type(self_), sig),
                records_only=True, tangents=["d" + n for n in names]))
        h = hvp()
        if verbose:
            _print_source(h)
        where = "hessian of " + func.__name__

        def hess(*args, **kwargs):
            h = hvp()
            ba = _bound_args(func, self_, args, kwargs)
            xs = [ba.arguments[n] for n in names]
            ins = [tree.leaves(x) for x in xs]
            blocks = [[[[tree.block(la, lb) for lb in ins[j]] for j in range(len(xs))] for la in ins[i]]
                      for i in range(len(xs))]
            zeros = [tree.zeros(x) for x in xs]
            for j, x in enumerate(xs):
                for b, e, hot in tree.one_hots(x):
                    v = list(zeros)
                    v[j] = hot
                    out = h(*ba.args, **ba.kwargs, **dict(zip(h.s2s_tangents, v)))   # by name: after *args or kw-only
                    out = out if len(names) > 1 else (out,)
                    for i in range(len(xs)):
                        for a, part in enumerate(_leaves_like(out[i], xs[i], where)):
                            _fill(blocks[i][a][j][b][:, e], part, ins[i][a], where)
            H = tuple(tuple(tree.rebuild(xs[i], [tree.rebuild(xs[j], [tree.finish(blocks[i][a][j][b], ins[i][a],
                                                                                  ins[j][b])
                                                                      for b in range(len(ins[j]))])
                                                 for a in range(len(ins[i]))])
                            for j in range(len(xs))) for i in range(len(xs)))
            return H[0][0] if len(names) == 1 else H
        hess.__name__ = "hessian_" + func.__name__
        hess.s2s_hvp = h
        return hess
    return _decorator_or_call(f, make)


@user_facing
def jacobian(f: Optional[Function] = None, wrt: Wrt = 0, *, optimized: bool = True, verbose: int = 0,
             mode: str = "auto") -> Function:
    """The Jacobian of f, shape ``out.shape + x.shape``.

    ``mode="auto"`` uses forward mode (one generated jvp per input element)
    when the ``wrt`` inputs have fewer elements than the output, reverse mode
    (one generated gradient per output element) otherwise. For several
    ``wrt`` arguments, returns a tuple of blocks, one per argument.
    Containers (lists, tuples, dicts) as inputs or outputs give nested
    containers of blocks, JAX's ``jacrev`` convention: the output's
    structure, holding at each output leaf (of shape ``o``) the input's
    structure (a tuple of them for several ``wrt``) of blocks ``o + s``.

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> def f(v):
        ...     return v * v[0]
        >>> print(s2s.jacobian(f)(np.array([1.0, 2.0])))
        [[2. 0.]
         [2. 1.]]
        >>> print(s2s.jacobian(f, mode="reverse")(np.array([1.0, 2.0])))
        [[2. 0.]
         [2. 1.]]
    """
    if mode not in ("auto", "forward", "reverse"):
        raise ValueError(f"mode must be 'auto', 'forward' or 'reverse', got {mode!r}")

    def make(fn):
        if isinstance(fn, functools.partial):   # the Jacobian of what it wraps, with its bound arguments
            return _with_bound(jacobian(fn.func, _partial_wrt(fn, wrt), optimized=optimized, verbose=verbose,
                                        mode=mode), fn)
        func, self_, names = _names(fn, wrt)
        state = {}
        where = "jacobian of " + func.__name__

        def fwd():
            return _fresh(state, "fwd", func, self_, lambda: _specializing(
                func, lambda sig=(): compiler.forward_function(
                    func, names, value=True, optimized=optimized, self_type=_self_type(self_), sig=sig),
                records_only=True, tangents=["d" + n for n in names]), verbose)

        def rev():
            return _fresh(state, "rev", func, self_, lambda: _specializing(
                func, lambda sig=(): compiler.reverse_function(
                    func, names, optimized=optimized, self_type=_self_type(self_), sig=sig)), verbose)

        def jac(*args, **kwargs):
            ba = _bound_args(func, self_, args, kwargs)
            xs = [ba.arguments[n] for n in names]
            ins = [tree.leaves(x) for x in xs]
            n_in = sum(tree.size(leaf) for leaves in ins for leaf in leaves)
            use, out = mode, None
            if use != "forward" or n_in == 0:
                out = func(*ba.args, **ba.kwargs)
            if use == "auto":
                use = "forward" if n_in < sum(tree.size(leaf) for leaf in tree.leaves(out)) else "reverse"

            def empty(value):
                return [[[tree.block(o, leaf) for leaf in ins[j]] for j in range(len(xs))] for o in tree.leaves(value)]

            blocks = empty(out) if out is not None else None
            if use == "forward":
                g = fwd()
                zeros = [tree.zeros(x) for x in xs]
                for j, x in enumerate(xs):
                    for b, e, hot in tree.one_hots(x):
                        v = list(zeros)
                        v[j] = hot
                        value, t = g(*ba.args, **ba.kwargs, **dict(zip(g.s2s_tangents, v)))
                        if out is None:
                            out, blocks = value, empty(value)
                        for k, part in enumerate(_leaves_like(t, out, where)):
                            _fill(blocks[k][j][b][:, e], part, tree.leaves(out)[k], where)
            else:
                g = rev()
                for k, e, hot in tree.one_hots(out):
                    r = g(*ba.args, **ba.kwargs, **{g.s2s_seed: hot})
                    r = r if len(names) > 1 else (r,)
                    for j in range(len(xs)):
                        for b, part in enumerate(_leaves_like(r[j], xs[j], where)):
                            _fill(blocks[k][j][b][e, :], part, ins[j][b], where)
            outs = tree.leaves(out)
            per_out = []
            for k, o in enumerate(outs):
                parts = tuple(tree.rebuild(xs[j], [tree.finish(blocks[k][j][b], o, ins[j][b])
                                                   for b in range(len(ins[j]))])
                              for j in range(len(xs)))
                per_out.append(parts[0] if len(names) == 1 else parts)
            return tree.rebuild(out, per_out)
        jac.__name__ = "jacobian_" + func.__name__
        return jac
    return _decorator_or_call(f, make)


__all__ = ["hessian", "jacobian"]
