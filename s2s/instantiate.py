"""Fill in a ``d[x]`` template for one call site.

``instantiate`` parses a template function (once), binds its parameters to
the call's atoms, renames its locals, routes its free names through the
generated function's namespace, and returns a list of items:
``("stmt", node)`` for helper statements and ``("grad", param_atom, expr)``
for each ``d[arg] = expr`` (reverse) / ``d[z] = expr`` (forward).
"""
import functools
import inspect
import textwrap

import gast

from . import astutil

_LITERALS = (type(None), bool, int, float, complex, str)


@functools.lru_cache(maxsize=None)
def parse_template(template):
    """(params, body) of a template function, from its source."""
    src = textwrap.dedent(inspect.getsource(template))
    mod = gast.parse(src)
    fdef = next(n for n in mod.body if isinstance(n, gast.FunctionDef))
    params = [a.id for a in fdef.args.posonlyargs + fdef.args.args]
    return params, fdef.body


@functools.lru_cache(maxsize=None)
def _template_names(template):
    """(the template's parameters, the names its body assigns): read once per template."""
    _, body = parse_template(template)
    assigned = {n.id for s in body for n in astutil.walk(s) if isinstance(n, gast.Name)
                and isinstance(n.ctx, gast.Store)}
    return list(inspect.signature(template).parameters), assigned


@functools.lru_cache(maxsize=None)
def _signature(template):
    """(inspect.signature(template), its parameters' kinds): read once per template (a template is bound
    for every call the transform differentiates)."""
    sig = inspect.signature(template)
    return sig, {n: p.kind for n, p in sig.parameters.items()}


def bind_call(template, result, args, keywords, describe):
    """Map template parameter -> AST atom (or default object) for a call."""
    params, _ = parse_template(template)
    sig, kinds = _signature(template)
    tokens = {}

    def tok(node):
        t = object()
        tokens[id(t)] = node
        return t

    try:
        bound = sig.bind(result, *[tok(a) for a in args], **{k: tok(v) for k, v in keywords.items()})
    except TypeError as e:
        raise describe(f"the rule for this call does not accept its arguments ({e}).") from None
    bound.apply_defaults()
    out = {}
    for name, value in bound.arguments.items():
        if name == params[0]:
            out[name] = result
        elif kinds[name] == inspect.Parameter.VAR_POSITIONAL:   # *operands: a tuple of the extra arguments
            out[name] = gast.Tuple(elts=[tokens[id(v)] for v in value], ctx=gast.Load())
        elif kinds[name] == inspect.Parameter.VAR_KEYWORD:
            out[name] = gast.Dict(keys=[gast.Constant(value=k, kind=None) for k in value],
                                  values=[tokens[id(v)] for v in value.values()])
        elif id(value) in tokens:
            out[name] = tokens[id(value)]
        else:
            out[name] = ("default", value)
    return out


def default_node(value, ns):
    """An expression for a template default value."""
    if isinstance(value, _LITERALS) or (isinstance(value, tuple) and all(isinstance(v, _LITERALS) for v in value)):
        return astutil.clone(_literal(repr(value)))
    return gast.Name(id=ns.ref("default", value), ctx=gast.Load(), annotation=None, type_comment=None)


@functools.lru_cache(maxsize=256)
def _literal(text):
    """The expression ``text`` (a literal's repr) parsed once (callers get a clone)."""
    return gast.parse(text).body[0].value


class _Substitute(astutil.Transformer):
    def __init__(self, binding, grad_name, locals_, ns, template):
        self.binding = binding      # param -> AST node
        self.grad_name = grad_name  # param -> adjoint/tangent Name (or None)
        self.locals = locals_       # template local -> fresh name
        self.ns = ns
        self.template = template

    def visit_Subscript(self, node):
        if isinstance(node.value, gast.Name) and node.value.id == "d" and isinstance(node.slice, gast.Name):
            param = node.slice.id
            if isinstance(node.ctx, gast.Store):
                return gast.Name(id="__grad__" + param, ctx=gast.Store(), annotation=None, type_comment=None)
            g = self.grad_name(param)
            return astutil.clone(g)
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in self.binding:
            return astutil.clone(self.binding[node.id])
        if node.id in self.locals:
            return gast.Name(id=self.locals[node.id], ctx=node.ctx, annotation=None, type_comment=None)
        g = self.template.__globals__
        obj = g[node.id] if node.id in g else _builtin(node.id)
        new = self.ns.ref(node.id, obj)
        return gast.Name(id=new, ctx=node.ctx, annotation=None, type_comment=None)


    def copy(self, node):
        """``self.visit(astutil.clone(node))`` in one pass: a copy of the template's node with the
        substitutions made (every Name and ``d[x]`` is replaced by a new node; nothing else changes)."""
        if isinstance(node, list):
            return [self.copy(e) for e in node]
        t = type(node)
        if t is gast.Name:
            return self.visit_Name(node)
        if t is gast.Subscript and isinstance(node.value, gast.Name) and node.value.id == "d" \
                and isinstance(node.slice, gast.Name):
            return self.visit_Subscript(node)
        if not isinstance(node, gast.AST):
            return node
        new = t.__new__(t)
        d = new.__dict__
        for k, v in node.__dict__.items():
            d[k] = self.copy(v) if isinstance(v, (gast.AST, list)) else v
        return new


def _builtin(name):
    import builtins
    return getattr(builtins, name)


def instantiate(template, binding, grad_name, namer, ns):
    """Items ("stmt", node) / ("grad", param, expr) for a template bound to a call."""
    _, body = parse_template(template)
    params, assigned = _template_names(template)
    nodes = {}
    for p, v in binding.items():
        nodes[p] = default_node(v[1], ns) if isinstance(v, tuple) and v and v[0] == "default" else v
    locals_ = {name: namer.name(name) for name in assigned if name not in params}
    sub = _Substitute(nodes, grad_name, locals_, ns, template)
    items = []
    for stmt in body:
        stmt = sub.copy(stmt)
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) \
                and stmt.targets[0].id.startswith("__grad__"):
            items.append(("grad", stmt.targets[0].id[len("__grad__"):], stmt.value))
        elif isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Constant):
            continue  # docstring
        else:
            items.append(("stmt", stmt))
    dtype = nodes.get("dtype")
    if dtype is not None and not isinstance(binding["dtype"], tuple) and not _mentions(body, "dtype") \
            and not _float_dtype(dtype, ns):
        # np.asarray(x, dtype=int), np.sum(x, dtype=D), np.cumsum(x, dtype=D): a rule that does not read
        # dtype is right for float dtypes; an integer or boolean one makes the result piecewise constant
        from .rule_helpers import dtype_grad
        wrap = ns.ref("dtype_grad", dtype_grad)
        items = [("grad", it[1], gast.Call(func=gast.Name(id=wrap, ctx=gast.Load(), annotation=None, type_comment=None),
                                           args=[it[2], astutil.clone(dtype)], keywords=[]))
                 if it[0] == "grad" else it for it in items]
    return items


def _float_dtype(node, ns):
    """True when ``node`` surely names a float dtype (float, np.float32, "float64"): nothing to wrap."""
    import numpy as np
    if isinstance(node, gast.Constant):
        value = node.value
    else:
        try:
            value = ns.resolve(node)
        except Exception:  # noqa: BLE001 - not resolvable at transform time: wrapped
            return False
    try:
        return value is not None and np.issubdtype(np.dtype(value), np.floating)
    except TypeError:
        return False


def _mentions(body, name):
    return any(isinstance(n, gast.Name) and n.id == name for s in body for n in astutil.walk(s))
