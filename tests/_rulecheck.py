"""Check a derivative template directly, without the compiler.

A template's body is parsed (as the compiler does), ``d[name]`` is replaced
by plain variables, and each ``d[arg] = expr`` is evaluated with the
template's parameters bound to a real call's result and arguments. The
reverse contributions are compared with central finite differences of
``sum(seed * f(args))``, the forward result with the finite-difference
directional derivative. Inactive tangents are the literal 0, as the
compiler substitutes them.
"""
import ast
import inspect
import textwrap

import numpy as np

from _casespec import A, ListSpec, call, materialize

EPS = 1e-6


class _Rename(ast.NodeTransformer):
    def visit_Subscript(self, node):
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id == "d" and isinstance(node.slice, ast.Name):
            return ast.copy_location(ast.Name(id="__d_" + node.slice.id, ctx=node.ctx), node)
        return node


def _parse(template):
    src = textwrap.dedent(inspect.getsource(template))
    fn = ast.parse(src).body[0]
    return fn.body


def _fold(expr, env, zeros):
    """Put literal 0 for the inactive tangents and fold as the compiler does (when it can)."""
    class Zero(ast.NodeTransformer):
        def visit_Subscript(self, node):
            self.generic_visit(node)
            if (isinstance(node.value, ast.Name) and node.value.id == "d" and isinstance(node.slice, ast.Name)
                    and node.slice.id in zeros):
                return ast.copy_location(ast.Constant(value=0), node)
            return node
    expr = Zero().visit(expr)
    try:
        import gast
        from s2s.optimize.zeros import FoldZeros
    except ImportError:
        return expr

    def resolve(node):
        try:
            return eval(compile(ast.Expression(gast.gast_to_ast(node)), "<fold>", "eval"), env)
        except Exception:
            return None
    g = gast.ast_to_gast(expr)
    g = FoldZeros(resolve).visit(g)
    return gast.gast_to_ast(g)


def _run(template, bound, dvals, zeros=()):
    """Evaluate a template body; returns {param: value assigned to d[param]} (summed)."""
    env = dict(template.__globals__)
    env.update(bound)
    for k, v in dvals.items():
        env["__d_" + k] = v
    out = {}
    for stmt in _parse(template):
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Subscript)
                and isinstance(stmt.targets[0].value, ast.Name) and stmt.targets[0].value.id == "d"):
            name = stmt.targets[0].slice.id
            value = _fold(stmt.value, env, zeros) if zeros else stmt.value
            expr = ast.Expression(_Rename().visit(value))
            ast.fix_missing_locations(expr)
            out.setdefault(name, []).append((stmt, expr))
        else:
            mod = ast.Module(body=[_Rename().visit(stmt)], type_ignores=[])
            ast.fix_missing_locations(mod)
            exec(compile(mod, "<template>", "exec"), env)
    return env, out


def _evaluate(env, expr):
    return eval(compile(expr, "<template>", "eval"), env)


def _bind(template, result, args, kwargs):
    sig = inspect.signature(template)
    ba = sig.bind(result, *args, **kwargs)
    ba.apply_defaults()
    return dict(ba.arguments), next(iter(sig.parameters))


def _locate(bound, value):
    """The template parameter (and index inside *args) bound to ``value``."""
    for name, v in list(bound.items())[1:]:
        if v is value:
            return name, None
        if isinstance(v, tuple):
            for i, e in enumerate(v):
                if e is value:
                    return name, i
    raise AssertionError("argument not bound to any template parameter")


def _seed(z, rng):
    if isinstance(z, dict):
        return {k: _seed(e, rng) for k, e in z.items()}
    if isinstance(z, (tuple, list)):
        return [_seed(e, rng) for e in z]
    if isinstance(z, float):
        return float(rng.standard_normal())
    return rng.standard_normal(np.shape(z))


def _post_value(z, posts):
    if posts is None:
        return z
    out = []
    for e, p in zip(z, posts):
        if p == "id":
            out.append(e)
        elif p == "sq":
            out.append(np.asarray(e) ** 2)
        else:
            out.append(np.zeros(np.shape(e)))
    return out


def _loss(z, seed, posts):
    zp = _post_value(z, posts)
    if isinstance(zp, dict):
        return sum(float(np.sum(np.asarray(seed[k]) * np.asarray(e))) for k, e in zp.items())
    if isinstance(zp, (tuple, list)):
        return sum(float(np.sum(np.asarray(s) * np.asarray(e))) for s, e in zip(seed, zp))
    return float(np.sum(np.asarray(seed) * np.asarray(zp)))


def _reverse_seed(z, seed, posts):
    """The gradient of the loss with respect to the raw output z."""
    if posts is None:
        return seed
    out = []
    for e, s, p in zip(z, seed, posts):
        if p == "id":
            out.append(s)
        elif p == "sq":
            out.append(2 * np.asarray(e) * s)
        else:
            out.append(np.zeros(np.shape(e)))
    return type(z)(out) if isinstance(z, tuple) and not hasattr(z, "_fields") else out


def _leaves(value, spec):
    """(getter, setter) pairs over the float leaves of an argument (arrays in a list)."""
    if isinstance(spec, ListSpec):
        return [(k, s) for k, s in zip(spec.keys, spec.items) if isinstance(s, A) and s.differentiable]
    return [(None, spec)]


def _sym(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * (x + np.swapaxes(x, -1, -2))


def _numeric_grad(f, x, seedloss, step=EPS):
    """d seedloss(f(x)) / dx for an array or Python float x (central differences, step ``step``)."""
    if isinstance(x, float):
        return (seedloss(f(x + step)) - seedloss(f(x - step))) / (2 * step)
    x = np.array(x, dtype=float)
    g = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + step
        hi = seedloss(f(x.copy()))
        x[idx] = old - step
        lo = seedloss(f(x.copy()))
        x[idx] = old
        g[idx] = (hi - lo) / (2 * step)
    return g


def _with(args, kwargs, where, sub, value):
    args = list(args)
    kwargs = dict(kwargs)
    if isinstance(where, int):
        container, key = args, where
    else:
        container, key = kwargs, where
    if sub is None:
        container[key] = value
    elif isinstance(container[key], dict):
        container[key] = {**container[key], sub: value}
    else:
        lst = list(container[key])
        lst[sub] = value
        container[key] = type(container[key])(lst)
    return args, kwargs


def _get(args, kwargs, where):
    return args[where] if isinstance(where, int) else kwargs[where]


def _spec(c, where):
    return c.args[where] if isinstance(where, int) else c.kwargs[where]


def _assert_close(an, num, c, what):
    an = np.asarray(an, dtype=float)
    num = np.asarray(num, dtype=float)
    assert an.shape == num.shape, f"{what}: shape {an.shape} != {num.shape}"
    ok = np.allclose(an, num, rtol=c.rtol, atol=c.atol)
    assert ok, f"{what}: max abs err {np.max(np.abs(an - num)) if an.size else 0}\nanalytic={an}\nnumeric={num}"


def check_reverse(key, template, c, seed=0):
    rng = np.random.default_rng(seed)
    args, kwargs = materialize(c, rng)
    z = call(key, args, kwargs)
    s = _seed(z, rng)
    g = _reverse_seed(z, s, c.outputs)
    bound, zname = _bind(template, z, args, kwargs)
    env, stmts = _run(template, bound, {zname: g})
    for where in c.active():
        spec = _spec(c, where)
        value = _get(args, kwargs, where)
        for sub, leafspec in _leaves(value, spec):
            leaf = value if sub is None else value[sub]
            if isinstance(spec, ListSpec):
                name, idx = _locate(bound, value)
            else:
                name, idx = _locate(bound, leaf)
            total = None if name in stmts else np.zeros(np.shape(leaf))  # no rule: zero gradient
            for _, expr in stmts.get(name, ()):
                contrib = _evaluate(env, expr)
                if idx is not None:
                    contrib = contrib[idx]
                if sub is not None:
                    contrib = contrib[sub]
                total = contrib if total is None else total + contrib
            assert np.shape(total) == np.shape(leaf), f"d[{name}] shape {np.shape(total)} != {np.shape(leaf)}"

            def f(x, where=where, sub=sub):
                a2, k2 = _with(args, kwargs, where, sub, x)
                return call(key, a2, k2)
            num = _numeric_grad(f, leaf, lambda out: _loss(out, s, c.outputs), c.fd_step or EPS)
            if leafspec.symmetric:
                total, num = _sym(total), _sym(num)
            _assert_close(total, num, c, f"reverse d[{name}]" + ("" if sub is None else f"[{sub}]"))


def _tangent_of(v, spec, rng):
    t = rng.standard_normal(np.shape(v))
    if spec.symmetric:
        t = _sym(t)
    return float(t) if isinstance(v, float) else t


def check_forward(key, template, c, seed=0):
    rng = np.random.default_rng(seed)
    step = c.fd_step or EPS
    args, kwargs = materialize(c, rng)
    z = call(key, args, kwargs)
    bound, zname = _bind(template, z, args, kwargs)
    params = [p for p in inspect.signature(template).parameters][1:]
    for where in c.active():
        spec = _spec(c, where)
        value = _get(args, kwargs, where)
        for sub, leafspec in _leaves(value, spec):
            leaf = value if sub is None else value[sub]
            t = _tangent_of(leaf, leafspec, rng)
            dvals = {p: 0 for p in params}
            if isinstance(spec, ListSpec):
                name, idx = _locate(bound, value)
                # the compiler gives inactive list elements explicit zero tangents
                zero = lambda e: np.zeros(np.shape(e)) if isinstance(e, np.ndarray) else 0.0  # noqa: E731
                if isinstance(value, dict):
                    tv = {k: (t if k == sub else zero(e)) for k, e in value.items()}
                else:
                    tv = [zero(e) for e in value]
                    tv[sub] = t
                    tv = type(value)(tv)
            else:
                name, idx = _locate(bound, leaf)
                tv = t
            if idx is not None:
                lst = [0] * len(bound[name])
                lst[idx] = tv
                dvals[name] = tuple(lst)
            else:
                dvals[name] = tv
            zeros = {p for p, v in dvals.items() if isinstance(v, int) and v == 0}
            env, stmts = _run(template, bound, dvals, zeros)
            assert zname in stmts, f"forward template has no d[{zname}]"
            dz = _evaluate(env, stmts[zname][-1][1])
            if isinstance(dz, int) and dz == 0:  # folded to the zero tangent
                dz = type(z)(np.zeros(np.shape(e)) for e in z) if isinstance(z, (tuple, list)) else np.zeros(np.shape(z))
            a_hi, k_hi = _with(args, kwargs, where, sub, leaf + step * t)
            a_lo, k_lo = _with(args, kwargs, where, sub, leaf - step * t)
            hi, lo = call(key, a_hi, k_hi), call(key, a_lo, k_lo)
            posts = c.outputs
            if isinstance(z, dict):   # dict outputs: key by key
                for k in z:
                    assert np.shape(dz[k]) == np.shape(z[k]), f"tangent[{k!r}] shape {np.shape(dz[k])} != {np.shape(z[k])}"
                    num = (np.asarray(hi[k], float) - np.asarray(lo[k], float)) / (2 * step)
                    _assert_close(dz[k], num, c, f"forward d[{zname}][{k!r}] along d[{name}]")
            elif isinstance(z, (tuple, list)):
                for i, (zi, h, l_, ti) in enumerate(zip(z, hi, lo, dz)):
                    p = "id" if posts is None else posts[i]
                    if p is None:
                        continue
                    num = (np.asarray(h, float) - np.asarray(l_, float)) / (2 * step)
                    an = ti
                    if p == "sq":
                        num = (np.asarray(h, float) ** 2 - np.asarray(l_, float) ** 2) / (2 * step)
                        an = 2 * np.asarray(zi) * ti
                    assert np.shape(ti) == np.shape(zi), f"tangent[{i}] shape {np.shape(ti)} != {np.shape(zi)}"
                    _assert_close(an, num, c, f"forward d[{zname}][{i}] along d[{name}]")
            else:
                assert np.shape(dz) == np.shape(z), f"tangent shape {np.shape(dz)} != {np.shape(z)}"
                num = (np.asarray(hi, float) - np.asarray(lo, float)) / (2 * step)
                _assert_close(dz, num, c, f"forward d[{zname}] along d[{name}]")
