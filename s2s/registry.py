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
from typing import Any, Callable, TypeVar

_Template = TypeVar("_Template", bound=Callable[..., Any])

ADJOINTS = {}     # key -> reverse template function
TANGENTS = {}     # key -> forward template function
NONDIFF = set()   # keys of functions whose result carries no gradient


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


def _register(table, fns, template):
    for fn in fns:
        table[_key(fn)] = template
    return template


def adjoint(*fns: Any) -> Callable[[_Template], _Template]:
    """Register a reverse-mode rule (a template) for each of ``fns``.

    The template's first parameter is the call's result, the others are the
    function's parameters (same names and defaults). Its body assigns
    ``d[arg]``, the gradient contribution to each argument, from
    ``d[result]``, the gradient of the result. s2s copies the body into
    the generated code; it never calls the template. A rule wins over the
    function's own source. See the "Writing rules" page.

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
    return lambda template: _register(ADJOINTS, fns, template)


def tangent(*fns: Any) -> Callable[[_Template], _Template]:
    """Register a forward-mode rule (a template) for each of ``fns``.

    The notation of :func:`adjoint` with the roles swapped: ``d[arg]`` is an
    argument's tangent, and the body assigns ``d[result]``, the tangent of
    the result. Used by ``jvp``, ``derivative``, ``hvp``, ``hessian`` and
    forward-mode ``jacobian``.

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
    return lambda template: _register(TANGENTS, fns, template)


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


def opaque(fn):
    """True for a function or bound method defined in a library of ``OPAQUE``."""
    f = getattr(fn, "__func__", fn)
    mod = getattr(f, "__module__", None) or ""
    return isinstance(mod, str) and mod.split(".")[0] in OPAQUE


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


# Rule modules for optional, slow-to-import libraries: loaded the first time a
# lookup misses while the library is in use (in sys.modules).
LAZY = {"scipy": ["s2s.templates.scipy_rules"], "scipy.stats": ["s2s.templates.scipy_stats"],
        "scipy.signal": ["s2s.templates.scipy_signal"], "scipy.integrate": ["s2s.templates.scipy_integrate"]}
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
        return hit
    except TypeError:  # unhashable callable
        return None


def lookup_adjoint(key):
    return _get(ADJOINTS, key)


def lookup_tangent(key):
    return _get(TANGENTS, key)


def is_nondiff(key):
    try:
        if key in NONDIFF:
            return True
        return _load_lazy() and key in NONDIFF
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
