"""The rule registry: derivative templates keyed by the primal they differentiate.

A template is a plain Python function written with ``d[x]`` for "the
gradient (reverse) or tangent (forward) of x"::

    @adjoint(np.exp)
    def exp(z, x):
        d[x] = d[z] * z

Its first parameter is the call's result, the rest are the call's
parameters (with defaults, bound as Python binds a call). Reverse templates
assign ``d[arg]`` (a contribution, accumulated by the compiler); forward
templates assign ``d[z]``. Keys are the primal callables themselves, or
``("method", name)`` / ``("attr", name)`` for ndarray methods and attributes.
"""
import operator
import types
from typing import Any, Callable, TypeVar

from .errors import DifferentiationError
from . import astutil, constant_returns

_Template = TypeVar("_Template", bound=Callable[..., Any])

ADJOINTS = {}     # key -> reverse template function
TANGENTS = {}     # key -> forward template function
NONDIFF = set()   # keys of functions whose result carries no gradient
ZERO_IF = {}      # key -> (kind, positions): when a call's result is a zero tangent (zero_if)


class _D:
    """The ``d`` of templates: only ever read as source, never executed."""

    def __getitem__(self, x):
        raise RuntimeError("d[...] is template notation; templates are not called directly")

    __setitem__ = __getitem__


d = _D()


def method(name):
    """Key for the ndarray method ``x.name(...)``."""
    return ("method", name)


def attr(name):
    """Key for the ndarray attribute ``x.name``."""
    return ("attr", name)


def _key(fn):
    return fn


# Parameters that select, shape or configure (integers, strings, flags, shapes, indices): a rule
# need not differentiate them, and their derivative is zero, so a value that carries a
# derivative may go into one.
STRUCTURAL_PARAMS = frozenset({
    "axis", "axes", "axis1", "axis2", "axisa", "axisb", "axisc", "source", "destination", "start",
    "dtype", "out", "keepdims", "order", "copy", "subok", "casting", "ndmin", "like",
    "shape", "newshape", "new_shape", "reps", "repeats", "shift", "pad_width", "mode", "reflect_type",
    "k", "n", "N", "num", "offset", "indices", "indices_or_sections", "obj", "index", "condition", "condlist",
    "endpoint", "retstep", "sparse", "indexing", "increasing", "returned", "rowvar", "bias", "edge_order",
    "hermitian", "UPLO", "upper", "full_matrices", "compute_uv", "overwrite_input", "include_initial",
    "method", "kind", "stable", "optimize",
    "return_sign", "overwrite_a", "overwrite_b", "check_finite", "lower", "assume_a", "transposed", "trans",
    "unit_diagonal", "disp", "blocksize", "l_and_u", "overwrite_ab", "allow_singular",
    "Dfun", "col_deriv", "full_output", "ml", "mu", "ixpr", "mxstep", "mxhnil", "mxordn", "mxords", "printmessg",
    "tfirst",
})

# Value parameters that rules conventionally do not differentiate: a call that passes a value
# carrying a derivative into one is refused (DifferentiationError), never a silent zero.
UNDIFFERENTIATED_PARAMS = frozenset({
    "subscripts", "initial", "default", "key", "nan", "posinf", "neginf", "left", "right", "xp", "period",
    "mod", "ord", "ddof", "correction", "rcond", "rtol", "atol", "tcrit", "h0", "hmax", "hmin",
})


class RuleError(DifferentiationError):
    """A derivative rule that is not well formed (raised when it is registered)."""


VERSION = 0   # counts the user's registrations: generated code cached in memory before one is stale


def _changed():
    global VERSION
    VERSION += 1


def _register(table, fns, template, kind, nondiff=(), constant=()):
    nondiff, constant = frozenset(nondiff), frozenset(constant)
    if not hasattr(template, "s2s_declared"):
        template.s2s_declared = {}
    template.s2s_declared[kind] = (nondiff, constant)
    template.s2s_keys = getattr(template, "s2s_keys", ()) + tuple(fns)
    if not (getattr(template, "__module__", "") or "").startswith(("templates", "s2s.")):
        check_rule(template, kind)   # a user's rule: checked now; s2s's own are checked when first used
        _changed()
    for fn in fns:
        table[_key(fn)] = template
    return template


def adjoint(*fns: Any, nondiff=(), constant=()) -> Callable[[_Template], _Template]:
    """Register a reverse-mode rule (a template) for each of ``fns``.

    The template's first parameter is the call's result, the others are the
    function's parameters (same names and defaults). Its body assigns
    ``d[arg]``, the gradient contribution to each argument, from
    ``d[result]``, the gradient of the result. s2s copies the body into
    the generated code; it never calls the template. A rule wins over the
    function's own source. See the "Writing rules" page.

    The template must assign ``d[p]`` for each of its parameters ``p`` except the
    ones it declares: ``nondiff`` (not differentiated: a call passing a value that
    carries a gradient into one is refused) and ``constant`` (the result does not
    depend on the value: shapes, integers, flags; a gradient-carrying value may go
    in and gets zero). Conventional names (``axis``, ``dtype``, ``shape``, ...:
    ``STRUCTURAL_PARAMS``) count as constant without a declaration. A rule that
    breaks this is rejected with a ``RuleError`` naming its file and line.

    Examples:
        >>> import s2s
        >>> from s2s.registry import d
        >>> def cube(x):
        ...     return x ** 3
        >>> @s2s.adjoint(cube)
        ... def _(result, x):
        ...     d[x] = d[result] * 3 * x * x
        >>> def f(x):
        ...     return cube(x) + x
        >>> s2s.grad(f)(2.0)
        13.0
    """
    return lambda template: _register(ADJOINTS, fns, template, "adjoint", nondiff, constant)


def tangent(*fns: Any, nondiff=(), constant=()) -> Callable[[_Template], _Template]:
    """Register a forward-mode rule (a template) for each of ``fns``.

    The notation of :func:`adjoint` with the roles swapped: ``d[arg]`` is an
    argument's tangent, and the body assigns ``d[result]``, the tangent of
    the result. Used by ``jvp``, ``derivative``, ``hvp``, ``hessian`` and
    forward-mode ``jacobian``. The template must assign ``d[result]`` and read
    ``d[p]`` for each parameter it does not declare (see :func:`adjoint`).

    Examples:
        >>> import s2s
        >>> from s2s.registry import d
        >>> def square(x):
        ...     return x * x
        >>> @s2s.tangent(square)
        ... def _(result, x):
        ...     d[result] = 2 * x * d[x]
        >>> def f(x):
        ...     return square(x) + x
        >>> s2s.jvp(f)(3.0, 1.0)
        7.0
    """
    return lambda template: _register(TANGENTS, fns, template, "tangent", nondiff, constant)

_CHECKED = {}


def rule_params(template, kind):
    """(undifferentiated, constant): the parameters the rule does not differentiate and that must
    carry no derivative; those whose derivative is zero anyway. Checks the rule (once)."""
    key = (template, kind)
    if key not in _CHECKED:
        _CHECKED[key] = check_rule(template, kind)
    return _CHECKED[key]


def check_rule(template, kind):
    """Check a template's ``d[...]`` use against its parameters; RuleError naming its file and line."""
    import inspect
    import gast
    from .instantiate import parse_template
    try:
        params, body = parse_template(template)
    except (OSError, TypeError) as e:
        name = getattr(template, '__name__', template)
        raise RuleError(f"the {kind} rule {name!r} has no source s2s can read ({e}); define it in a file.") from None
    sig = inspect.signature(template)
    names = [p.name for p in sig.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    result, args = names[0], names[1:]
    assigned, read = set(), set()
    for st in body:
        for n in astutil.walk_bfs(st):
            if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name) and n.value.id == "d" \
                    and isinstance(n.slice, gast.Name):
                (assigned if isinstance(n.ctx, gast.Store) else read).add(n.slice.id)
    nondiff, constant = getattr(template, "s2s_declared", {}).get(kind, (frozenset(), frozenset()))
    for key in getattr(template, "s2s_keys", ()):   # no_derivative(fn, p="why") declares p too
        try:
            nondiff = nondiff | (set(NO_DERIVATIVE.get(key) or ()) & set(names))
        except TypeError:
            pass
    where = _rule_where(template)
    unknown = (nondiff | constant) - set(args)
    if unknown:
        raise RuleError(f"{where}: the {kind} rule declares {sorted(unknown)} as nondiff/constant, "
                        f"which are not among its parameters {args}.")
    zero = constant | (STRUCTURAL_PARAMS - nondiff)
    if kind == "adjoint":
        done = assigned
        missing = [p for p in args if p not in done and p not in nondiff and p not in zero
                   and p not in UNDIFFERENTIATED_PARAMS]
        if missing:
            raise RuleError(f"{where}: the adjoint rule does not assign d[{missing[0]}]"
                            + (f" (nor d[{'], d['.join(missing[1:])}])" if missing[1:] else "")
                            + f"; its gradient would silently be zero. Assign it, or declare the parameter: "
                            f"@adjoint(..., nondiff=({missing[0]!r},)) if the rule does not differentiate it, "
                            f"constant=({missing[0]!r},) if the result does not depend on its value.")
    else:
        if result not in assigned:
            raise RuleError(f"{where}: the tangent rule does not assign d[{result}] (the tangent of the result).")
        done = read
        missing = [p for p in args if p not in done and p not in nondiff and p not in zero
                   and p not in UNDIFFERENTIATED_PARAMS]
        if missing:
            raise RuleError(f"{where}: the tangent rule never reads d[{missing[0]}]; the tangent flowing in "
                            f"through `{missing[0]}` would silently be dropped. Use it, or declare the parameter: "
                            f"@tangent(..., nondiff=({missing[0]!r},)) or constant=({missing[0]!r},).")
    undiff = frozenset(p for p in args if p not in done and p not in zero)
    return undiff, frozenset(p for p in args if p not in done and p in zero)


def elementwise(*fns: Any, constant=()) -> Callable[[_Template], _Template]:
    """Register one rule, for both modes, for each of ``fns``: a function whose derivative multiplies.

    The rule is written once, as what the derivative does to an incoming derivative ``g``::

        @elementwise(math.log2)
        def log2(z, x, g): return g / (x * LN2)

    and expanded into the reverse rule ``d[x] = d[z] / (x * LN2)`` (``g`` is ``d[z]``) and the
    forward rule ``d[z] = d[x] / (x * LN2)`` (``g`` is ``d[x]``), named ``log2`` and ``log2_fwd``.
    The parameters are the result, the one differentiated argument, any further arguments
    (declared ``constant``: shapes, flags), then ``g``. This is right where the derivative is a
    multiplication by a real number (real elementwise functions): the two modes cannot drift apart.
    For a complex value the tangent is still the chain rule, but the adjoint would need the conjugate:
    s2s differentiates real code only, and every exit from complex to real (np.real, .imag, np.abs, ...)
    refuses a complex value in both modes (tests/test_complex_exits.py).
    """
    def register(template):
        import ast
        import inspect
        import linecache
        import textwrap
        fdef = ast.parse(textwrap.dedent(inspect.getsource(template))).body[0]
        params = [a.arg for a in fdef.args.args]
        body = [s for s in fdef.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if len(params) < 3 or len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            raise RuleError(f"{_rule_where(template)}: an @elementwise rule is `def f(z, x, g): return <expression "
                            "of g>` (the result, the argument, then the incoming derivative g).")
        z, x, g = params[0], params[1], params[-1]
        expr = body[0].value

        def with_g(target):
            class Put(ast.NodeTransformer):
                def visit_Name(self, node):
                    if node.id != g:
                        return node
                    return ast.Subscript(value=ast.Name(id="d", ctx=ast.Load()),
                                         slice=ast.Name(id=target, ctx=ast.Load()), ctx=ast.Load())
            import copy
            return ast.unparse(Put().visit(copy.deepcopy(expr)))

        args = ast.unparse(fdef.args).rsplit(",", 1)[0]   # without g (it may not have a default)
        name = template.__name__
        filename = f"<{template.__module__} @elementwise {name}>"
        text = (f"def {name}({args}): d[{x}] = {with_g(z)}\n"
                f"def {name}_fwd({args}): d[{z}] = {with_g(x)}\n")
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)   # inspect.getsource reads it
        made = {}
        exec(compile(text, filename, "exec"), template.__globals__, made)   # the rule module's names
        for fn in made.values():
            fn.__module__ = template.__module__
        adjoint(*fns, constant=constant)(made[name])
        tangent(*fns, constant=constant)(made[name + "_fwd"])
        template.s2s_elementwise = (made[name], made[name + "_fwd"])
        return template
    return register


def _rule_where(template):
    import inspect
    fn = inspect.unwrap(template)
    code = getattr(fn, "__code__", None)
    if code is None:
        return f"rule {template!r}"
    return f'File "{code.co_filename}", line {code.co_firstlineno}, in {fn.__name__}'


NO_DERIVATIVE = {}   # key -> {parameter: why}: arguments a rule cannot differentiate (refused at transform time)


def no_derivative(fn, **why):
    """Declare parameters of ``fn`` its rules give no derivative for (``t.cdf``'s ``df``): a call
    whose such argument carries a gradient is refused at the user's line, with ``why``."""
    NO_DERIVATIVE.setdefault(_key(fn), {}).update(why)


def lookup_no_derivative(key):
    try:
        return NO_DERIVATIVE.get(key) or {}
    except TypeError:
        return {}


# Libraries whose own Python source s2s does not differentiate: their functions are differentiated
# through rules only, and one without a rule is refused at the user's line (SciPy's source is full
# of validation, caching and in-place work on private arrays).
OPAQUE = ("scipy",)
OPAQUE_MODULES = ("numpy.rec", "numpy._core.records", "numpy.core.records")   # record arrays (structured dtypes)


def opaque(fn):
    """True for a function or bound method defined in a library of ``OPAQUE``."""
    f = getattr(fn, "__func__", fn)
    mod = getattr(f, "__module__", None) or ""
    return isinstance(mod, str) and (mod.split(".")[0] in OPAQUE or mod in OPAQUE_MODULES)


ARRAY_VALUED = set()   # gradient helpers that return arrays or numbers, never a GradList (see array_valued)


def array_valued(*fns):
    """Declare gradient helpers whose result is an array or a number (never a list of gradients): a
    parameter's gradient made by one needs no conversion to the argument's type (s2s/reverse.py)."""
    ARRAY_VALUED.update(fns)


def nondifferentiable(*fns: Any) -> None:
    """Declare that ``fns`` pass no gradient (floor, argmax, shape, ...).

    Calls to them run in the generated code as written; their results
    carry no gradient, and no error is raised for them.

    Examples:
        >>> import s2s
        >>> def bucket(x):
        ...     return int(x * 10)
        >>> s2s.nondifferentiable(bucket)
        >>> def f(x):
        ...     return x * bucket(x)
        >>> s2s.grad(f)(0.55)
        5.0
    """
    for fn in fns:
        NONDIFF.add(_key(fn))
    _changed()


def zero_if(*fns, any_of=None, all_of=None, keeps=None):
    """Declare when a call of each of ``fns`` is zero because some of its arguments are.

    Forward mode writes the literal ``0`` for an inactive tangent and folds what it
    makes zero (s2s/optimize/zeros.py): a call is folded to ``0`` when

    - ``any_of=(0, 1)``: any of these arguments is zero (the function is linear in
      each of them: ``np.dot``, ``np.sum``, ``unbroadcast``);
    - ``all_of=(1, 2)``: all of them are (additive: ``np.where``'s two branches);

    and with ``keeps=k`` (and ``all_of``) the call is replaced by its argument ``k``
    instead (an in-place accumulation of a zero: ``add_at(x, idx, 0)`` is ``x``).
    A forward rule's own ``d[...]`` leaves need no declaration: a part of a
    filled template whose tangents are all zero is folded anyway.
    """
    if (any_of is None) == (all_of is None) or (keeps is not None and all_of is None):
        raise ValueError("zero_if takes any_of=(...) or all_of=(...) (keeps=k only with all_of)")
    rule = ("any", tuple(any_of)) if any_of is not None else \
        ("all" if keeps is None else f"same:{keeps}", tuple(all_of))
    for fn in fns:
        ZERO_IF[_key(fn)] = rule


# Rule modules for optional, slow-to-import libraries: loaded the first time a
# lookup misses while the library is in use (in sys.modules).
LAZY = {"scipy": ["s2s.templates.scipy_rules"], "scipy.stats": ["s2s.templates.scipy_stats"],
        "scipy.signal": ["s2s.templates.scipy_signal"], "scipy.integrate": ["s2s.templates.scipy_integrate"],
        "scipy.optimize": ["s2s.templates.scipy_optimize"], "scipy.spatial": ["s2s.templates.scipy_spatial"]}
_loaded = set()


def _load_lazy():
    import importlib
    import sys
    found = False
    for lib, modules in LAZY.items():
        if lib in sys.modules and lib not in _loaded:
            _loaded.add(lib)
            for m in modules:
                importlib.import_module(m)
            found = True
    return found


def _get(table, key):
    try:
        hit = table.get(key)
        if hit is None and _load_lazy():
            hit = table.get(key)
        if hit is None:
            alias = array_api_alias(key)
            hit = table.get(alias) if alias is not None else None
        return hit
    except TypeError:  # unhashable callable
        return None


# Array-API namespaces (array_api_compat.numpy, what scipy's and scikit-learn's get_namespace return for
# NumPy arrays): their functions are NumPy's own or thin wrappers with NumPy 2's array-API names and
# signatures, so they take the rules of the NumPy function of the same name (linalg functions: np.linalg's).
ARRAY_API_MODULES = ("array_api_compat.", "scipy._lib.array_api_compat.", "sklearn.externals.array_api_compat.")
ARRAY_API_NONDIFF = {"array_namespace", "get_namespace", "is_array_api_obj", "device", "is_numpy_array",
                     "is_numpy_namespace", "size", "to_device"}


def array_api_alias(key):
    """The NumPy function whose rules an array-API namespace function ``key`` takes (None if none)."""
    mod = getattr(key, "__module__", None)
    name = getattr(key, "__name__", None)
    if not isinstance(mod, str) or not mod.startswith(ARRAY_API_MODULES) or not isinstance(name, str):
        return None
    import numpy as np
    ns = np.linalg if "linalg" in mod else np
    target = getattr(ns, name, None)
    return target if callable(target) and target is not key else None


def lookup_adjoint(key):
    return _get(ADJOINTS, key)


def lookup_tangent(key):
    return _get(TANGENTS, key)


# Functions returning the array namespace of their arguments (scipy's and scikit-learn's internals:
# ``xp = array_namespace(x)``). No derivative flows through them; a local bound to one's result is
# the namespace NumPy arrays give (s2s/normalize.py: static_namespaces), whose functions take NumPy's rules.
NAMESPACE_GETTERS = {"array_namespace", "get_namespace", "get_namespace_and_device"}   # (scikit-learn: xp, _, device)
NAMESPACE_GETTER_MODULES = ("array_api_compat", "scipy._lib.", "sklearn.utils._array_api", "sklearn.externals.")


def namespace_getter(fn):
    """True for an array-API namespace getter (array_api_compat.array_namespace, scipy's, sklearn's)."""
    mod = getattr(fn, "__module__", None) or ""
    return getattr(fn, "__name__", None) in NAMESPACE_GETTERS and isinstance(mod, str) \
        and (mod + ".").startswith(NAMESPACE_GETTER_MODULES)


_TEXT = (str, bytes, bytearray)


def is_nondiff(key):
    if isinstance(key, types.BuiltinMethodType) and isinstance(getattr(key, "__self__", None), _TEXT):
        return True   # "W1".startswith, a key's method met at run time (a str's methods give no derivative)
    try:
        if key in NONDIFF:
            return True
        if namespace_getter(key):
            return True
        if (getattr(key, "__module__", None) or "").startswith(ARRAY_API_MODULES):
            alias = array_api_alias(key)
            return getattr(key, "__name__", None) in ARRAY_API_NONDIFF or (alias is not None and alias in NONDIFF)
        return _load_lazy() and key in NONDIFF or constant_returns.is_constant(key)   # (return np, False)
    except TypeError:
        return False


def library_problem():
    """Why s2s's own rule library is missing, or None when it is loaded.

    ``import s2s`` registers the rules of ``s2s.templates``; without them
    every call, even ``x * y``, would look like a function with no rule.
    """
    if operator.mul in ADJOINTS and operator.mul in TANGENTS:
        return None
    import sys
    if "s2s.templates" not in sys.modules:
        return ("s2s's rule library `s2s.templates` is not loaded (it failed to import or was removed from "
                "sys.modules), so s2s has no derivative rules at all.")
    return ("s2s's rule library `s2s.templates` is loaded but registered no rule for `*` "
            "(s2s.registry.ADJOINTS/TANGENTS were cleared or replaced).")


LIBRARY_ADVICE = "Reinstall s2s (`pip install s2s`, or `pip install -e .` in a checkout) and import it again."


# Functions that call a function passed as a value: s2s differentiates calls it
# can see in the source, so these are refused with advice to write the loop.
def higher_order_advice(key):
    """Advice for a call of map/filter/reduce-like ``key``, or None."""
    import functools
    import itertools
    if key is map or key is itertools.starmap:
        return "Write a list comprehension or a loop instead: `[f(v) for v in xs]`."
    if key is filter:
        return "Write a list comprehension instead: `[v for v in xs if cond(v)]`."
    if key is functools.reduce:
        return "Write the loop instead: `acc = xs[0]` then `for v in xs[1:]: acc = f(acc, v)`."
    return None


# Operators: the normalizer turns `a + b` into a call of operator.add etc.
BINOPS = {
    "Add": operator.add, "Sub": operator.sub, "Mult": operator.mul,
    "Div": operator.truediv, "FloorDiv": operator.floordiv, "Mod": operator.mod,
    "Pow": operator.pow, "MatMult": operator.matmul,
    "BitAnd": operator.and_, "BitOr": operator.or_, "BitXor": operator.xor,
    "LShift": operator.lshift, "RShift": operator.rshift,
}
UNARYOPS = {"USub": operator.neg, "UAdd": operator.pos, "Not": operator.not_, "Invert": operator.invert}
