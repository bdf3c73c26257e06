"""Code specialized on the types of the arguments a generated function is called with.

The generic generated code cannot know whether ``x`` is a float or an array,
so it keeps broadcasting bookkeeping (``unbroadcast``, saved shapes,
``init_grad``) that a float never needs. ``grad(f)`` therefore returns a
small dispatcher: each call computes a cheap key from the types of its
positional arguments, and calls the function generated for that key's
**argument signature** (generated on the first call with it, then one
dictionary lookup).

The signature (``compiler.Request.sig``, part of the cache key in memory and
on disk) is a tuple ``((param, kind), ...)`` naming only what it pins:

- ``"float"``: the argument is a Python ``float`` (``type(a) is float``,
  subclasses such as ``np.float64`` excluded); the parameter is a scalar from
  the start (s2s/shapes.py), so no ``unbroadcast``, no shape saves, no
  ``init_grad`` of a scalar output.
- ``("ndarray", ndim)``: the argument is a NumPy array (``type(a) is
  np.ndarray``) of that ndim (at least 1) and a numeric dtype; an element
  ``x[i]`` (``x[i, j]``...: one Python int per dimension) of it, or of an
  array made from it (``np.zeros_like(x)``), is a scalar. The dtype itself
  changes no fact, so float32 and float64 arrays share their code.

- ``"0-d"``: the argument is a 0-d NumPy array of a numeric dtype. No fact
  changes (the code is the generic code), but its gradient is given back as
  a 0-d array (``as_grad``): NumPy arithmetic on 0-d arrays returns NumPy
  scalars, and a gradient has its argument's type.

- ``"sequence"``: the argument is a plain list or tuple. No fact changes, but a gradient with respect to it
  is given back as a list or tuple (``as_grad``) where the generic code gives the array NumPy made of it
  (``np.sum(p * x)``, ``np.dot(p, x)``: a gradient has its argument's type). ``hvp`` pins these too.

- ``("record", cls)``: the argument is a record of the user's (s2s/record_types.py ``is_record``)
  whose class has a property or a method of its own (``needs_class``). The code knows its class: a
  read of a property is a call of its getter, and a method called on it is differentiated from its
  source (s2s/typed_params.py). Forward mode and ``hvp`` pin these too (and only these).

- ``("iterator", cls)``: the argument can be iterated but not indexed by position (a generator, ``map(...)``,
  ``iter(xs)``, a set, a dict view: no ``__len__`` and ``__getitem__`` both): a loop over it walks it
  (``for xb in iter(batches)``, s2s/typed_params.py), where the generic code would index it. Forward mode
  and ``hvp`` pin these too.

An argument passed by keyword is pinned as a positional one is (``loss(w, loader=Loader(X))``: the code
knows the loader's class); the key of a call with keywords has their names and types after the
positional ones. Everything else (ints and bools, whose gradient is a float as always, NumPy
scalars, other array types, containers, objects, arguments left to their defaults) stays generic:
the code for it is the code ``grad`` made before signatures existed. A call whose arguments pin
nothing runs the generic function itself.

The dispatcher is a plain Python function: ``inspect.signature`` and
``inspect.getsource`` see the generic function (its ``__wrapped__``), it
carries the generic function's attributes (``s2s_source``, ``s2s_seed``...),
and s2s itself differentiates it as the generic function (grad of grad, hvp).
``dispatcher.source(*args)`` (and ``s2s.source(df, *args)``) is the code a
call with those arguments runs.
"""
import functools
import inspect

import numpy as np

from .errors import DifferentiationError

FLOAT = "float"
SEQUENCE = "sequence"   # a list or tuple: its gradient is one too (as_grad)
ZERO_D = "0-d"   # a 0-d NumPy array: its gradient is a 0-d array too (NumPy arithmetic on it gives scalars)
NDARRAY = "ndarray"
NUMERIC = "biufc"   # dtype kinds whose elements are numbers
RECORD = "record"
ITERATOR = "iterator"
ndarray = np.ndarray


def named_params(fn):
    """fn's parameters that a keyword argument can bind (positional-or-keyword and keyword-only; empty if unknown)."""
    try:
        ps = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in ps if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))


def positional_params(fn):
    """fn's parameters that a positional argument can bind, in order (empty if unknown)."""
    try:
        ps = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in ps if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


@functools.lru_cache(maxsize=256)
def needs_class(cls):
    """True when code made for an instance of ``cls`` (a record class) is better knowing the class: it has a
    property (or another computed attribute) or a method defined in the user's code."""
    import types
    for k in cls.__mro__:
        if k.__module__ in ("builtins", "collections", "typing", "abc") or k is tuple:
            continue
        for name, v in vars(k).items():
            if name.startswith("__") and name not in ("__call__", "__iter__", "__post_init__") \
                    or name in ("_make", "_replace", "_asdict"):
                continue
            if isinstance(v, (staticmethod, classmethod)):
                v = v.__func__
            if isinstance(v, types.FunctionType) and not v.__code__.co_filename.startswith("<"):
                return True
            if not isinstance(v, types.FunctionType) and hasattr(type(v), "__get__") \
                    and not isinstance(v, types.MemberDescriptorType) and type(v).__module__ != "_collections":
                return True   # a property, a cached_property, a descriptor of the user's
    return False


def _record_kind(a):
    from .record_types import is_record
    cls = type(a)
    try:
        return (RECORD, cls) if is_record(a) and needs_class(cls) else None
    except TypeError:   # an unhashable class
        return None


def _iterator_kind(a):
    """``(ITERATOR, type(a))`` for an argument that is iterable (``__iter__``, or ``__getitem__`` alone: the old
    protocol) but not indexable by position; else None. (A record of the user's with a method of its own, as a
    data loader's ``__iter__``, is pinned by class first: ``_record_kind``.)"""
    cls = type(a)
    if isinstance(a, (float, int, complex, ndarray, list, tuple, dict, str, bytes, np.generic)) \
            or not (callable(getattr(cls, "__iter__", None)) or callable(getattr(cls, "__getitem__", None))) \
            or hasattr(cls, "__len__") and hasattr(cls, "__getitem__"):
        return None
    return ITERATOR, cls


def of_args(params, args, records_only=False):
    """The argument signature of a call with positional ``args`` (see the module docstring); with
    ``records_only``, only the record and iterator kinds (forward mode: nothing else changes its code), and
    the sequence kind when it is ``"sequences"`` (hvp: its result is a gradient)."""
    out = []
    for p, a in zip(params, args):
        rec = _record_kind(a) if not isinstance(a, (float, int, ndarray, list, tuple, dict)) or hasattr(a, "_fields") \
            else None
        rec = rec or _iterator_kind(a)
        if rec is not None:
            out.append((p, rec))
        elif type(a) is list or type(a) is tuple:
            if records_only is not True:   # (records_only may be "sequences": hvp)
                out.append((p, SEQUENCE))
        elif records_only:
            continue
        elif type(a) is float:
            out.append((p, FLOAT))
        elif type(a) is np.ndarray and a.ndim and a.dtype.kind in NUMERIC:
            out.append((p, (NDARRAY, a.ndim)))
        elif type(a) is np.ndarray and a.dtype.kind in NUMERIC:
            out.append((p, ZERO_D))
    return tuple(out)


def of_call(params, named, args, kwargs, records_only=False):
    """The argument signature of a call with positional ``args`` and keyword ``kwargs``: ``of_args`` of both,
    a keyword counted when it names one of ``named`` (the primal's parameters; not a seed or a tangent)."""
    sig = of_args(params, args, records_only)
    if kwargs:
        kw = [(k, a) for k, a in kwargs.items() if k in named and k not in params[:len(args)]]
        sig += of_args([k for k, _ in kw], [a for _, a in kw], records_only)
    return sig


def key(args, kwargs=None):
    """What a call's signature depends on: the types of the positional arguments, and the ndim and
    dtype of those that are NumPy arrays (the dispatcher computes it inline); then, for a call with
    keywords, each keyword's name and the same of its value."""
    k = tuple([(a.ndim, a.dtype) if type(a) is ndarray else type(a) for a in args])
    if kwargs:
        k += tuple([(n, (a.ndim, a.dtype) if type(a) is ndarray else type(a)) for n, a in kwargs.items()])
    return k


def of_hints(fn, params):
    """The signature the type hints of ``fn``'s parameters pin (``x: float``); () without any."""
    hints = getattr(fn, "__annotations__", None) or {}
    return tuple((p, FLOAT) for p in params if hints.get(p) in (float, "float"))


@functools.lru_cache(maxsize=512)
def _located(dispatch, code):
    """The dispatcher's code ``dispatch`` placed on generated code ``code``'s first line (shared by the
    dispatchers of fresh closures that share ``code``)."""
    where = dict(co_filename=code.co_filename, co_firstlineno=code.co_firstlineno, co_name=code.co_name)
    if hasattr(code, "co_qualname"):   # Python 3.11+
        where["co_qualname"] = code.co_qualname
    return dispatch.replace(**where)


def _seed_renamed(gen, name):
    """``gen`` taking its seed under ``name`` too (the dispatcher's ``s2s_seed`` when there is no generic code to
    name it: each signature's code names its seed itself)."""
    own = gen.s2s_seed

    @functools.wraps(gen)
    def seeded(*args, **kwargs):
        if name in kwargs and own not in kwargs:
            kwargs[own] = kwargs.pop(name)
        return gen(*args, **kwargs)
    return seeded


def dispatcher(generic, params, make, records_only=False, remake=None, named=None, primal=None):
    """A function taking what ``generic`` takes and running ``make(sig)`` for its arguments' signature.

    ``params``: the primal's positional parameter names (a bound method's ``self`` included);
    ``make(sig)``: the generated function for ``sig`` (cached by the driver). A refusal to
    generate for a signature (DifferentiationError) runs the generic code, which is correct
    for every argument (the specialized code only leaves out what the types make useless).
    ``remake()``: the generic function made again, once what it was compiled against changed.
    ``named``: the parameters a keyword can bind (default ``params``): a keyword argument is pinned as a positional
    one; ``primal``: the user's function (default ``generic``'s ``s2s_primal``; an hvp's is the gradient).

    Each call checks that the function it runs is still fresh (``fncache.Dependencies``: the free
    names of the user's code, and of every helper it calls, still resolve to the objects they were
    compiled against: one identity test each) and that no object whose class the code was made for
    holds, on the instance, a function under the name of one of its class's methods (``shadowing``).
    A stale function is made again: a helper redefined in a notebook, ``ACT = np.sin`` after
    ``ACT = np.tanh``, are honoured by a gradient made before.
    """
    table = {}
    state = [generic]
    named = frozenset(params if named is None else named)
    primal = getattr(generic, "s2s_primal", None) if primal is None else primal

    def current():
        """The generic function, made again when what it was compiled against changed."""
        g = state[0]
        deps = getattr(g, "s2s_deps", None)
        if deps is not None and remake is not None and not deps.fresh():
            g = state[0] = remake()
            _wrap(dispatch, g)
        return g

    def miss(args, kwargs=None):
        gen = generic = current()
        users = {k: a for k, a in (kwargs or {}).items() if k in named}   # not the seed nor the tangents
        check_array_types(list(args) + list(users.values()), primal)
        sig = of_call(params, named, args, kwargs, records_only)
        if len(args) > len(params) or kwargs and not kwargs.keys() <= named:   # f(w, loader) into *args / **kw
            refuse_packed_iterators(primal, params, named, args, kwargs)
        if sig:
            try:
                gen = make(sig)
            except DifferentiationError:
                if getattr(generic, "s2s_refused", False):
                    raise   # no generic code either: this refusal says more (it knew the classes)
                from .typed_params import iterates_unindexable
                if iterates_unindexable(sig, primal):
                    raise   # for xb in loader: the generic code would index the loader by position
                gen = generic
        if getattr(generic, "s2s_refused", False) and getattr(gen, "s2s_seed", None) not in (None, generic.s2s_seed):
            gen = _seed_renamed(gen, generic.s2s_seed)   # the seed by the dispatcher's name too (no generic code)
        objects = _pinned_objects(params, sig, gen)
        keywords = tuple(k for k in users if (k, (RECORD, type(users[k]))) in sig)   # records pinned by keyword
        check_shadowing([(f"the argument {params[i]}" if i < len(params) else "an argument", args[i])
                         for i in objects if i < len(args)] + [(f"the argument {k}", users[k]) for k in keywords],
                        primal)
        table[key(args, kwargs)] = (gen, _checker(gen, objects, keywords))
        return gen

    # one line, moved to the generic function's first line (its file and name): a traceback or pdb
    # through the dispatcher shows the generated function's `def` line, and inspect.getsourcefile
    # names the generated code's file
    def dispatch(*args, **kwargs): return ((e[0] if (e := table.get(key(args, kwargs) if kwargs else tuple([(a.ndim, a.dtype) if type(a) is ndarray else type(a) for a in args]))) is not None and e[1](args, kwargs) else None) or miss(args, kwargs))(*args, **kwargs)  # noqa: E704,E501

    dispatch.s2s_code = dispatch.__code__
    _wrap(dispatch, generic)

    def for_args(*args, **kwargs):
        """The generated function a call with ``args`` (and keyword ``kwargs``) runs."""
        e = table.get(key(args, kwargs))
        return e[0] if e is not None and e[1](args, kwargs) else miss(args, kwargs)

    def source(*args, **kwargs):
        """The source of the code a call with ``args`` runs (the generic code without)."""
        return for_args(*args, **kwargs).s2s_source

    dispatch.s2s_for_args = for_args
    dispatch.s2s_current = current
    dispatch.source = source
    return dispatch


def _wrap(dispatch, generic):
    """``dispatch`` made to look like ``generic`` (its attributes, its code's place, ``__wrapped__``)."""
    code = getattr(generic, "__code__", None)
    if code is not None:
        dispatch.__code__ = _located(dispatch.s2s_code, code)
    keep = {k: dispatch.__dict__[k] for k in ("s2s_code", "s2s_for_args", "s2s_current", "source")
            if k in dispatch.__dict__}
    dispatch.__dict__.clear()
    functools.update_wrapper(dispatch, generic)
    for k in ("__s2s_generated__", "s2s_dispatcher"):   # fncache's holder and this belong to generic
        dispatch.__dict__.pop(k, None)
    dispatch.__dict__.update(keep)
    dispatch.s2s_generic = generic


def _always(args=None, kwargs=None):
    return True


def freshness(gen):
    """A function of no arguments telling whether ``gen`` is still fresh (``fncache.Dependencies``)."""
    deps = getattr(gen, "s2s_deps", None)
    return deps.checker() if deps is not None else _always


def _checker(gen, objects, keywords=()):
    """What a cached call checks before running ``gen``: its dependencies are fresh, and the objects at
    positions ``objects`` and under the keywords ``keywords`` (whose class ``gen`` was made for) shadow none of
    their class's methods."""
    deps = getattr(gen, "s2s_deps", None)
    fresh = deps.checker() if deps is not None else None
    if not objects and not keywords:
        return _always if fresh is None else fresh   # (fresh ignores the arguments it is given)

    def check(args, kwargs=None):
        if fresh is not None and not fresh():
            return False
        for i in objects:
            if i < len(args) and shadowing(args[i]):
                return False
        for k in keywords:
            if kwargs and k in kwargs and shadowing(kwargs[k]):
                return False
        return True
    return check


def _pinned_objects(params, sig, gen):
    """The positions of the arguments whose class ``gen`` was made for: the records ``sig`` pins, and
    ``self`` of a method compiled for its class."""
    pinned = {p for p, k in sig if isinstance(k, tuple) and k[0] == RECORD}
    out = [i for i, p in enumerate(params) if p in pinned]
    if getattr(gen, "s2s_self_type", None) is not None and 0 not in out:
        out.insert(0, 0)
    return tuple(out)


@functools.lru_cache(maxsize=256)
def _methods(cls):
    """The names under which ``cls`` (a user class) defines a function an instance attribute can shadow:
    methods, static and class methods, and callables stored on the class; frozenset()."""
    out = set()
    for k in getattr(cls, "__mro__", ()):
        if k is object or k.__module__ == "builtins":
            continue
        for name, v in vars(k).items():
            if name.startswith("__") and name.endswith("__"):
                continue   # special methods are looked up on the class, never on the instance
            if isinstance(v, (property, functools.cached_property)) or hasattr(type(v), "__set__"):
                continue   # a data descriptor wins over the instance; a cached property's value is its own
            if callable(v) or isinstance(v, (staticmethod, classmethod)) or hasattr(type(v), "__get__"):
                out.add(name)
    return frozenset(out)


def shadowing(obj):
    """The names of ``obj``'s class's methods that ``obj`` holds a value under on the instance (``m.act =
    np.sin`` where the class defines ``def act(self, z)``): the call ``obj.act(z)`` runs that value, not the
    method; empty for anything else."""
    d = getattr(obj, "__dict__", None)
    if not d or type(d) is not dict:
        return ()
    try:
        names = _methods(type(obj))
    except TypeError:   # an unhashable class
        return ()
    if not names or names.isdisjoint(d):
        return ()
    return sorted(names.intersection(d))


def check_shadowing(objs, primal=None):
    """Refuse an object whose instance attribute shadows a method of its class (``objs``: (label, object)
    pairs): s2s differentiates a method from its class's source, so it would differentiate the method, not
    the value the instance holds (wrong numbers)."""
    for label, obj in objs:
        names = shadowing(obj)
        if names:
            where = ""
            code = getattr(primal, "__code__", None)
            if code is not None:
                where = f'File "{code.co_filename}", line {code.co_firstlineno}, in {primal.__name__}\n'
            raise DifferentiationError(where + shadow_message(obj, names, label))


def shadow_message(obj, names, label):
    """Why an object whose instance attribute shadows a method of its class is refused, and what to do."""
    cls = type(obj).__qualname__
    name = names[0]
    return (f"{label} is a {cls} object that holds {name} = {_short(obj.__dict__[name])} on the instance, while "
            f"the class {cls} defines a method {name}: a call .{name}(...) runs the instance's value, and s2s "
            f"differentiates methods from their class's source, so it would differentiate {cls}.{name} instead "
            "(wrong numbers).\n"
            f"Store the function under a name the class does not define (`self.{name}_fn = np.sin`, called as "
            f"`self.{name}_fn(z)`: s2s then differentiates the value held), or delete the instance attribute "
            f"(`del obj.{name}`).")


def _short(v):
    r = getattr(v, "__qualname__", None) or repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def refuse_packed_iterators(primal, params, named, args, kwargs):
    """Refuse a call passing an argument that iterates but cannot be indexed (a data loader, a generator) through
    ``*args`` or ``**kwargs`` when ``primal`` loops over such an item (``for xb in kw["loader"]``): the code walks
    only a named parameter as an iterator (its generic code indexes the item and would fail inside it)."""
    import ast
    import inspect
    import textwrap
    from .typed_params import unindexable
    extra = list(args[len(params):]) + [a for k, a in (kwargs or {}).items() if k not in named]
    bad = [a for a in extra if _iterator_kind(a) is not None or unindexable(type(a)) and not isinstance(
        a, (list, tuple, dict, str, bytes)) and hasattr(a, "__dict__")]
    if not bad or primal is None:
        return
    try:
        lines, start = inspect.getsourcelines(primal)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return
    fn = tree.body[0] if tree.body and isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    packs = {a.arg for a in (fn.args.vararg, fn.args.kwarg) if a is not None} if fn is not None else set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.For, ast.comprehension)) and isinstance(n.iter, ast.Subscript) \
                and isinstance(n.iter.value, ast.Name) and n.iter.value.id in packs:
            line = start + getattr(n, "lineno", n.iter.lineno) - 1
            what = ast.unparse(n.iter)
            raise DifferentiationError(
                f'File "{inspect.getsourcefile(primal)}", line {line}, in {primal.__name__}\n'
                f"    {lines[line - start].strip()}\n"
                f"this loop walks `{what}`, a `{type(bad[0]).__name__}` passed through `*`/`**` arguments: it can be "
                "iterated but not indexed by position, and s2s walks such a value only when it is a named parameter."
                f"\nMake it a parameter of {primal.__name__} (`def {primal.__name__}(..., loader=None, **kw)`, then "
                "`for xb in loader:`), or pass a list (`list(loader)`).")


def for_hints(fn):
    """What ``verbose=1`` and the command line print for the generated ``fn``: the code for the
    signature its primal's type hints pin (``x: float``), else the generic code."""
    for_args = getattr(fn, "s2s_for_args", None)
    if for_args is None:
        return fn
    params = positional_params(fn.s2s_primal)
    sig = of_hints(fn.s2s_primal, params)
    if not sig:
        return generic(fn)
    return for_args(*[1.0 if (p, FLOAT) in sig else None for p in params])


def generic(fn):
    """The generic generated function behind a dispatcher, made again if what it was compiled against changed
    (fn itself otherwise)."""
    current = getattr(fn, "s2s_current", None)
    return current() if current is not None else getattr(fn, "s2s_generic", fn)


SUPPORTED = ("s2s differentiates NumPy arrays (np.ndarray of a real dtype), Python numbers, Dask arrays, and "
             "lists, tuples, dicts, namedtuples and dataclasses of them; array-API arrays (array_api_strict, "
             "CuPy, JAX) where every function called on them has a namespace-generic rule (docs/rules.md, "
             "\"Array namespaces\")")


def check_reiterable(values, name, what):
    """Refuse running ``name`` again (``what``: why, as "s2s.hessian runs f once per input element") with an argument
    that a first run consumes: an iterator (a generator, ``map(...)``, ``iter(xs)``), which is its own iterator."""
    for a in values:
        if not isinstance(a, (ndarray, list, tuple, dict, str)) and hasattr(type(a), "__next__") \
                and callable(getattr(type(a), "__iter__", None)):
            try:
                own = iter(a) is a
            except TypeError:
                continue
            if own:
                raise DifferentiationError(
                    f"{name} was given a {_type_name(a)}, an iterator: {what}, and the first run consumes it (the "
                    f"others would see it empty, giving wrong numbers). Pass a list (`list(batches)`) or an object "
                    "whose __iter__ starts again each time (a data loader class).")


def _type_name(a):
    return f"{type(a).__module__.split('.')[0]}.{type(a).__qualname__}"


def check_array_types(args, primal=None):
    """Refuse an argument of an array type s2s would give wrong numbers for or crash on; return the first
    array-API (non-NumPy, non-Dask) array among ``args`` (its failures are explained by ``_guarded``)."""
    from .namespaces import is_dask, is_foreign
    foreign = None
    name = getattr(primal, "__name__", "f")
    for a in args:
        if isinstance(a, ndarray) and type(a) is not ndarray:
            if isinstance(a, np.matrix):
                raise DifferentiationError(
                    f"{name} was given an np.matrix: on it `*` and `**` are matrix products, and s2s's rules "
                    "are those of arrays (elementwise), so its derivatives would be wrong. Pass np.asarray(m) "
                    "and write matrix products with `@`.")
            if isinstance(a, np.ma.MaskedArray):
                raise DifferentiationError(
                    f"{name} was given a masked array (np.ma): s2s's rules are NumPy's, which do not know masks "
                    "(np.mean of a masked array divides by the count of unmasked values), so its derivatives "
                    "would be wrong. Pass the data with a weight array instead: "
                    "`x.filled(0.0)` and `w = (~np.ma.getmaskarray(x)).astype(float)`, and write the sums "
                    "with w (np.sum(w * v) / np.sum(w) for a mean).")
        elif foreign is None and is_foreign(a) and not is_dask(a):
            foreign = a
        elif not isinstance(a, (ndarray, np.generic, float, int, complex, list, tuple, dict, str)) \
                and hasattr(a, "shape") and hasattr(a, "dtype") and not is_foreign(a) and not callable(a) \
                and type(a) is not type(np):   # (numpy itself, passed as an array namespace, has np.shape)
            raise DifferentiationError(
                f"{name} was given a {_type_name(a)}, an array type s2s does not differentiate. {SUPPORTED}. "
                "Convert it (np.asarray(x), for a pandas object x.to_numpy(), for a torch tensor "
                "x.detach().numpy()), and convert the gradient back if you need to.")
    return foreign
