"""Finite-difference gradients, for checking the generated ones.

``numeric_grad(f, wrt)`` has the calling convention of ``s2s.grad(f, wrt)``
(DESIGN.md, section 1): the returned function takes f's arguments exactly as
f does (positionally or by keyword, defaults honoured), plus an optional
keyword-only seed ``seed=`` (default 1.0), and returns the gradient of ``sum(seed * f(...))``
with the type and shape of each ``wrt`` argument. It uses central
differences, one pair of calls of f per scalar element of the ``wrt``
arguments, so it is meant for tests and small inputs.

``check_grad(f, *args, wrt=...)`` compares ``s2s.grad`` with it and raises an
AssertionError with a readable report when they disagree.
"""
import inspect
import numbers

import numpy as np
from . import tree as _tree
from ._typing import Any, Function, Optional, Wrt  # the public API's types (s2s ships py.typed)

__all__ = ["numeric_grad", "check_grad"]

# Relative step for float64 (and Python numbers): the step for an element x
# is eps * max(1, |x|). Other float dtypes use about cbrt(machine epsilon),
# the step that balances truncation and rounding error in central differences.
_EPS64 = 1e-6

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_VAR = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def default_eps(dtype):
    """The default relative step for values of ``dtype``."""
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating) or dtype == np.float64:
        return _EPS64
    return float(np.finfo(dtype).eps) ** (1.0 / 3.0)


# ---------------------------------------------------------------------------
# Resolving the call: which arguments, how the seed is passed

class _Call:
    """How to call f and where its ``wrt`` arguments are."""

    def __init__(self, f, wrt):
        self.f = f
        self.name = getattr(f, "__name__", type(f).__name__)
        try:
            self.sig = inspect.signature(f)
        except (TypeError, ValueError):  # builtins without a signature
            self.sig = None
        if self.sig is not None:
            params = list(self.sig.parameters.values())
            self.named = [p for p in params if p.kind not in _VAR]
            self.npos = sum(p.kind in _POSITIONAL for p in params)
            self.varargs = any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in params)
            self.varkw = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params)
        else:
            self.named, self.npos, self.varargs, self.varkw = [], None, True, True
        if isinstance(f, np.ufunc):  # (x, y, /, out=None, ...): the seed is not `out`
            self.npos, self.varargs = f.nin, False

        if isinstance(wrt, (list, tuple)):
            if not wrt:
                raise ValueError("wrt is empty: name at least one argument")
            self.single = len(wrt) == 1
            items = list(wrt)
        else:
            self.single = True
            items = [wrt]
        self.slots = [self._slot(w) for w in items]  # int (position) or str (name)

    def _slot(self, w):
        if isinstance(w, bool) or not isinstance(w, (numbers.Integral, str)):
            raise TypeError(f"wrt must be an int, a parameter name or a list/tuple of them, not {w!r}")
        if self.sig is None:
            if isinstance(w, str):
                raise TypeError(f"{self.name} has no inspectable signature: give wrt as a position, not {w!r}")
            if w < 0:
                raise ValueError(f"wrt={w} is not an argument position of {self.name}")
            return int(w)
        if isinstance(w, str):
            if w not in self.sig.parameters or self.sig.parameters[w].kind in _VAR:
                raise ValueError(f"{self.name} has no parameter named {w!r}")
            return w
        if self.varargs and w >= self.npos:   # an item of *args: (its name, its index there)
            return (next(p.name for p in self.sig.parameters.values() if p.kind == inspect.Parameter.VAR_POSITIONAL),
                    int(w) - self.npos)
        if not 0 <= w < len(self.named):
            names = ", ".join(p.name for p in self.named)
            raise ValueError(f"wrt={w} is out of range: {self.name}({names}) has {len(self.named)} parameters")
        return self.named[w].name

    def label(self, i):
        """'argument 0 (x)' for the i-th wrt slot."""
        slot = self.slots[i]
        if isinstance(slot, str):
            pos = [p.name for p in self.named].index(slot)
            return f"argument {pos} ({slot})"
        if isinstance(slot, tuple):
            return f"argument {self.npos + slot[1]} ({slot[0]}[{slot[1]}])"
        return f"argument {slot}"

    def bind(self, args, kwargs):
        """Split off the seed and bind f's arguments: (Bound, seed)."""
        seed = 1.0
        kwargs = dict(kwargs)
        if "seed" in kwargs and (self.sig is None or ("seed" not in self.sig.parameters and not self.varkw)):
            seed = kwargs.pop("seed")
        return _Bound(self, args, kwargs), seed


class _Bound:
    """f's arguments for one call, with the wrt values replaceable."""

    def __init__(self, call, args, kwargs):
        self.call = call
        if call.sig is None:
            self.args, self.kwargs, self.ba = list(args), kwargs, None
            for slot in call.slots:
                if slot >= len(self.args):
                    raise TypeError(f"wrt={slot} but {call.name} was given {len(self.args)} positional arguments")
        else:
            try:
                self.ba = call.sig.bind(*args, **kwargs)
            except TypeError as e:
                raise TypeError(f"{call.name}{call.sig}: {e}") from None
            if any(not isinstance(slot, tuple) and slot not in self.ba.arguments for slot in call.slots):
                self.ba.apply_defaults()
            for slot in call.slots:
                if isinstance(slot, tuple) and slot[1] >= len(self.ba.arguments.get(slot[0], ())):
                    raise TypeError(f"wrt={call.npos + slot[1]} but {call.name} was given "
                                    f"{call.npos + len(self.ba.arguments.get(slot[0], ()))} positional arguments")

    def get(self, slot):
        if self.ba is None:
            return self.args[slot]
        if isinstance(slot, tuple):
            return self.ba.arguments[slot[0]][slot[1]]
        return self.ba.arguments[slot]

    def evaluate(self, replace):
        """f(...) with the values in ``replace`` (slot -> value) substituted.

        Every argument is passed as a fresh copy, so f can't change (and we
        never change) the caller's arrays, lists or dicts.
        """
        if self.ba is None:
            args = [_copy(replace.get(i, a)) for i, a in enumerate(self.args)]
            kwargs = {k: _copy(v) for k, v in self.kwargs.items()}
            return self.call.f(*args, **kwargs)
        ba = inspect.BoundArguments(self.ba.signature, dict(self.ba.arguments))
        for name, value in list(ba.arguments.items()):
            items = {k[1]: v for k, v in replace.items() if isinstance(k, tuple) and k[0] == name}
            if items:   # items of *args
                value = tuple(items.get(i, e) for i, e in enumerate(value))
            ba.arguments[name] = _copy(replace.get(name, value))
        return self.call.f(*ba.args, **ba.kwargs)


# ---------------------------------------------------------------------------
# Structures: copying, and walking the numeric leaves of an argument

class _Attr(str):
    """A path step that is an attribute (a dataclass field, a plain object's attribute), not a key."""


def _fields(x):
    """{name: value} of a record (a dataclass instance or a plain object of the user's: record_types.is_record,
    the same test grad uses), or None for anything else. Namedtuples are tuples here."""
    from .record_types import fields, is_namedtuple, is_record
    if is_namedtuple(x) or not is_record(x):
        return None
    return {name: getattr(x, name) for name in fields(x)}


def _with_fields(x, values):
    """A shallow copy of object ``x`` with ``values`` set on it (frozen dataclasses too)."""
    import copy
    out = copy.copy(x)
    for k, v in values.items():
        object.__setattr__(out, k, v)
    return out


def _copy(x):
    if isinstance(x, np.ndarray):
        return x.copy()
    if isinstance(x, list):
        return [_copy(e) for e in x]
    if isinstance(x, tuple):
        items = [_copy(e) for e in x]
        return type(x)(*items) if hasattr(x, "_fields") else type(x)(items)
    if isinstance(x, dict):
        out = _tree.dict_like(x, x.items())  # keeps the dict's type (OrderedDict, a subclass)
        for k, v in x.items():
            out[k] = _copy(v)
        return out
    return x


def _rebuild(x, path, leaf):
    """A copy of structure x with the element at ``path`` replaced by ``leaf``."""
    if not path:
        return leaf
    key, rest = path[0], path[1:]
    if isinstance(x, list):
        out = list(x)
        out[key] = _rebuild(x[key], rest, leaf)
        return out
    if isinstance(x, tuple):
        items = list(x)
        items[key] = _rebuild(x[key], rest, leaf)
        return type(x)(*items) if hasattr(x, "_fields") else type(x)(items)
    if isinstance(key, _Attr):
        return _with_fields(x, {key: _rebuild(getattr(x, key), rest, leaf)})
    out = _tree.dict_like(x, x.items())
    out[key] = _rebuild(x[key], rest, leaf)
    return out


def _is_number(x):
    return isinstance(x, numbers.Number) and not isinstance(x, (bool, np.bool_))


def _grad_dtype(x):
    dt = getattr(x, "dtype", None)
    if dt is not None and np.issubdtype(dt, np.floating):
        return dt
    return np.dtype(np.float64)


def _check_real(x, where):
    if isinstance(x, (complex, np.complexfloating)) or (
            isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.complexfloating)):
        raise TypeError(f"numeric_grad: {where} is complex; only real inputs are supported")
    if isinstance(x, np.ndarray) and x.dtype == object:
        raise TypeError(f"numeric_grad: {where} is an object array; use a numeric dtype or a list")


# ---------------------------------------------------------------------------
# The contraction sum(seed * (f(x + h) - f(x - h))), structure by structure

def _contract(seed, plus, minus, where="the output"):
    if isinstance(plus, (list, tuple)):
        if not isinstance(minus, (list, tuple)) or len(minus) != len(plus):
            raise ValueError(f"{where} changed structure between calls")
        if isinstance(seed, (list, tuple)):
            if len(seed) != len(plus):
                raise ValueError(f"the seed has {len(seed)} elements but {where} has {len(plus)}")
            seeds = seed
        else:
            seeds = [seed] * len(plus)
        return sum(_contract(s, p, m, f"{where}[{i}]") for i, (s, p, m) in enumerate(zip(seeds, plus, minus)))
    if isinstance(plus, dict):
        total = 0.0
        for k in plus:
            s = seed[k] if isinstance(seed, dict) else seed
            total += _contract(s, plus[k], minus[k], f"{where}[{k!r}]")
        return total
    p = np.asarray(plus)
    m = np.asarray(minus)
    if p.dtype == object or not (np.issubdtype(p.dtype, np.number) or p.dtype == bool):
        raise TypeError(f"numeric_grad: {where} is {type(plus).__name__}, not a number or an array of numbers")
    if np.issubdtype(p.dtype, np.complexfloating):
        raise TypeError(f"numeric_grad: {where} is complex; only real outputs are supported")
    if isinstance(seed, (list, tuple, dict)):
        raise ValueError(f"the seed for {where} is a {type(seed).__name__} but {where} is not")
    s = np.asarray(seed, dtype=np.float64)
    if s.ndim and s.shape != p.shape:
        raise ValueError(f"the seed has shape {s.shape} but {where} has shape {p.shape}")
    return float(np.sum(s * (p.astype(np.float64) - m.astype(np.float64))))


# ---------------------------------------------------------------------------
# numeric_grad

def numeric_grad(f: Function, wrt: Wrt = 0, eps: Optional[float] = None) -> Function:
    """The gradient of ``f`` by central finite differences.

    Same calling convention as ``s2s.grad(f, wrt)``: the result takes f's
    arguments (positionally or by keyword), plus an optional keyword-only
    seed ``seed=`` (when f has no parameter of that name; an extra positional
    argument is a TypeError, as for ``grad``), default 1.0, and returns the gradient of ``sum(seed * f(...))``. A scalar
    seed on an array output means ones; a tuple output takes a tuple seed.

    ``wrt`` is an int, a parameter name, or a list/tuple of them (one gives
    the bare gradient, two or more a tuple). A gradient has the type and
    shape of its argument: a float for a Python number (int included), an
    ndarray of floats for an array (float32 stays float32, integer arrays
    give float64), lists, tuples and dicts of those for lists, tuples and
    dicts; 0.0 for values that are not numbers (bools, strings, None).

    ``eps`` is a relative step: element x is moved by ``eps * max(1, |x|)``.
    By default 1e-6 for float64 and Python numbers, about cbrt(machine
    epsilon) for other float dtypes (5e-3 for float32). The argument keeps
    its dtype when perturbed; the difference is divided by the step actually
    taken, and accumulated in float64.

    Examples:
        >>> import s2s
        >>> def f(x, y):
        ...     return x * x * y
        >>> round(s2s.numeric_grad(f)(3.0, 2.0), 6)
        12.0
        >>> [round(g, 6) for g in s2s.numeric_grad(f, wrt=(0, 1))(3.0, 2.0)]
        [12.0, 9.0]
    """
    call = _Call(f, wrt)

    def gradient(*args, **kwargs):
        bound, seed = call.bind(args, kwargs)
        grads = []
        for i, slot in enumerate(call.slots):
            value = bound.get(slot)
            grads.append(_grad_of(bound, slot, value, seed, eps, call.label(i)))
        return grads[0] if call.single else tuple(grads)

    gradient.__name__ = f"numeric_grad_{call.name}"
    gradient.__qualname__ = gradient.__name__
    gradient.__doc__ = f"Central-difference gradient of {call.name} (wrt={wrt!r})."
    return gradient


def _grad_of(bound, slot, value, seed, eps, label):
    """The gradient of the objective with respect to one wrt argument."""

    def derivative(path, plus, minus, step):
        """(J(arg with plus at path) - J(arg with minus at path)) / step"""
        fp = bound.evaluate({slot: _rebuild(value, path, plus)})
        fm = bound.evaluate({slot: _rebuild(value, path, minus)})
        return _contract(seed, fp, fm) / step

    def walk(x, path):
        where = label + "".join(f"[{k!r}]" for k in path)
        _check_real(x, where)
        if isinstance(x, np.ndarray):
            return _array_grad(x, path, derivative, eps)
        if isinstance(x, (list, tuple)):
            items = [walk(e, path + (i,)) for i, e in enumerate(x)]
            if isinstance(x, list):
                return items
            return type(x)(*items) if hasattr(x, "_fields") else type(x)(items)
        if isinstance(x, dict):
            out = _tree.dict_like(x, x.items())
            for k, v in x.items():
                out[k] = walk(v, path + (k,))
            return out
        fields = _fields(x)
        if fields is not None:   # a dataclass or plain object: its fields' gradients in one of its type, as grad
            return _with_fields(x, {k: walk(v, path + (_Attr(k),)) if _is_number(v) or not isinstance(
                v, (str, bytes, bool, type(None))) else v for k, v in fields.items()})
        if isinstance(x, np.generic):
            if not _is_number(x):
                return _grad_dtype(x).type(0.0)
            dt = _grad_dtype(x)
            h = (default_eps(dt) if eps is None else eps) * max(1.0, abs(float(x)))
            plus, minus = dt.type(float(x) + h), dt.type(float(x) - h)
            return dt.type(derivative(path, plus, minus, float(plus) - float(minus)))
        if _is_number(x):
            x = float(x)
            h = (_EPS64 if eps is None else eps) * max(1.0, abs(x))
            plus, minus = x + h, x - h
            return derivative(path, plus, minus, plus - minus)
        return 0.0  # not differentiable: bool, str, None, objects

    return walk(value, ())


def _array_grad(x, path, derivative, eps):
    dt = _grad_dtype(x)
    out = np.zeros(x.shape, dtype=dt)
    if x.dtype == bool:
        return out
    base = x.astype(dt)  # a private copy; integer arrays become float64
    rel = default_eps(dt) if eps is None else eps
    flat_out = out.reshape(-1)
    for i, xi in enumerate(base.reshape(-1)):
        xi = float(xi)
        h = rel * max(1.0, abs(xi))
        plus, minus = base.copy(), base.copy()
        plus.reshape(-1)[i] = xi + h
        minus.reshape(-1)[i] = xi - h
        step = float(plus.reshape(-1)[i]) - float(minus.reshape(-1)[i])  # the step dtype allowed
        flat_out[i] = derivative(path, plus, minus, step)
    return out


# ---------------------------------------------------------------------------
# check_grad

def check_grad(f: Function, *args: Any, wrt: Wrt = 0, rtol: Optional[float] = None, atol: Optional[float] = None,
               **kwargs: Any) -> Any:
    """Check ``s2s.grad(f, wrt)`` against ``numeric_grad(f, wrt)`` at ``args``.

    ``args`` and ``kwargs`` are passed to both gradient functions exactly as
    to f; an output seed is given as ``seed=`` (passed to ``grad``'s
    gradient under its own seed name). Returns the analytic gradient; raises
    AssertionError with a per-argument report when a value is not within
    ``atol + rtol * |numeric|``, or when the analytic gradient has not the
    type or shape of its argument.

    The finite differences run in float64: float32 (and float16) arrays and
    NumPy scalars among the arguments are given to them as float64 copies
    (differences of float32 values lose half their digits). ``s2s.grad``
    runs on the arguments as they are, so its float32 rounding is compared
    with a float32 tolerance: the defaults are rtol 1e-5 and atol 1e-6, and
    2e-3 for both (1e-2 for float16) when an argument differentiated is
    float32 (the tolerances of JAX's ``check_grads``).

    Examples:
        >>> import numpy as np
        >>> import s2s
        >>> def f(w, x):
        ...     return np.sum(np.tanh(x @ w))
        >>> w, x = np.array([0.5, -0.2]), np.array([[1.0, 2.0], [3.0, 4.0]])
        >>> g = s2s.check_grad(f, w, x)       # raises AssertionError with a report on disagreement
        >>> g.shape
        (2,)
    """
    from s2s.api import grad

    call = _Call(f, wrt)
    g = grad(f, wrt)
    g_kwargs = dict(kwargs)
    if "seed" in g_kwargs and "seed" not in inspect.signature(g).parameters:
        g_kwargs[g.s2s_seed] = g_kwargs.pop("seed")
    analytic = g(*args, **g_kwargs)
    bound, _ = call.bind(args, kwargs)
    low = [_low_precision(bound.get(slot)) for slot in call.slots]
    worst = max((np.finfo(dt).eps for dt in low if dt is not None), default=None)
    if rtol is None:
        rtol = 1e-5 if worst is None else 2e-3 if worst < 1e-4 else 1e-2   # float32, float16
    if atol is None:
        atol = 1e-6 if worst is None else rtol
    numeric = numeric_grad(f, wrt)(*_float64(args), **_float64(kwargs))

    a_list = [analytic] if call.single else list(analytic) if isinstance(analytic, tuple) else None
    n_list = [numeric] if call.single else list(numeric)
    lines, ok = [], True
    if a_list is None or len(a_list) != len(n_list):
        ok = False
        lines.append(f"  expected a tuple of {len(n_list)} gradients, got {_describe(analytic)}")
    else:
        for i, (a, n) in enumerate(zip(a_list, n_list)):
            arg_ok, arg_lines = _compare(a, n, bound.get(call.slots[i]), call.label(i), rtol, atol)
            ok &= arg_ok
            lines += arg_lines
    if not ok:
        head = (f"check_grad: s2s.grad({call.name}, wrt={wrt!r}) disagrees with central differences "
                f"(rtol={rtol:g}, atol={atol:g})")
        raise AssertionError("\n".join([head] + lines))
    return analytic


def _low_precision(x):
    """The narrowest float dtype below float64 in argument ``x`` (a tree), or None."""
    if isinstance(x, (np.ndarray, np.generic)):
        dt = x.dtype
        return dt if np.issubdtype(dt, np.floating) and dt.itemsize < 8 else None
    if isinstance(x, dict):
        parts = list(x.values())
    elif isinstance(x, (list, tuple)):
        parts = list(x)
    else:
        fields = _fields(x)
        parts = list(fields.values()) if fields is not None else []
    found = [dt for dt in map(_low_precision, parts) if dt is not None]
    return min(found, key=lambda dt: dt.itemsize) if found else None


def _float64(x):
    """A copy of ``x`` (a tree) with float32/float16 arrays and scalars as float64 (the finite differences')."""
    if isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating) and x.dtype.itemsize < 8:
        return x.astype(np.float64)
    if isinstance(x, np.generic) and np.issubdtype(x.dtype, np.floating) and x.dtype.itemsize < 8:
        return np.float64(x)
    if isinstance(x, dict):
        out = _tree.dict_like(x, x.items())
        for k, v in x.items():
            out[k] = _float64(v)
        return out
    if isinstance(x, (list, tuple)):
        items = [_float64(e) for e in x]
        if isinstance(x, list):
            return items
        return type(x)(*items) if hasattr(x, "_fields") else type(x)(items)
    fields = _fields(x)
    if fields is not None:
        changed = {k: _float64(v) for k, v in fields.items()}
        if any(changed[k] is not v for k, v in fields.items()):
            return _with_fields(x, changed)
    return x


def _describe(x):
    if isinstance(x, np.ndarray):
        return f"ndarray {x.dtype} shape {x.shape}"
    if isinstance(x, (list, tuple, dict)):
        return f"{type(x).__name__} of length {len(x)}"
    return type(x).__name__


def _compare(a, n, x, where, rtol, atol):
    """(ok, report lines) for analytic ``a`` vs numeric ``n`` of argument ``x``."""
    if isinstance(x, (list, tuple, dict)):
        if type(a) is not type(x) or len(a) != len(x) or (isinstance(x, dict) and set(a) != set(x)):
            return False, [f"  {where}: MISMATCH: gradient is {_describe(a)}, argument is {_describe(x)}"]
        keys = list(x) if isinstance(x, dict) else range(len(x))
        ok, lines = True, []
        for k in keys:
            k_ok, k_lines = _compare(a[k], n[k], x[k], f"{where}[{k!r}]", rtol, atol)
            ok &= k_ok
            lines += k_lines
        return ok, lines
    fields = _fields(x)
    if fields is not None:
        if type(a) is not type(x):
            return False, [f"  {where}: MISMATCH: gradient is {_describe(a)}, argument is {_describe(x)}"]
        ok, lines = True, []
        for k, v in fields.items():
            if isinstance(v, (str, bytes, bool, type(None))):
                continue   # not differentiable: kept as it is
            k_ok, k_lines = _compare(getattr(a, k), getattr(n, k), v, f"{where}.{k}", rtol, atol)
            ok &= k_ok
            lines += k_lines
        return ok, lines
    if isinstance(x, np.ndarray):
        if not isinstance(a, np.ndarray) or a.shape != x.shape:
            return False, [f"  {where}: MISMATCH: gradient is {_describe(a)}, argument is {_describe(x)}"]
    elif np.ndim(a) != 0 or isinstance(a, (list, tuple, dict, np.ndarray)):
        return False, [f"  {where}: MISMATCH: gradient is {_describe(a)}, argument is {_describe(x)}"]
    try:
        av = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        return False, [f"  {where}: MISMATCH: gradient is {_describe(a)}, not numbers"]
    nv = np.asarray(n, dtype=np.float64)
    err = np.abs(av - nv)
    bad = ~(err <= atol + rtol * np.abs(nv))  # NaN counts as bad
    ok = not bad.any()
    max_err = float(np.nanmax(err)) if err.size and not np.isnan(err).all() else float("nan")
    line = f"  {where}, {_describe(x)}: max abs error {max_err:.3g}"
    if av.ndim and bad.any():
        idx = np.unravel_index(int(np.argmax(np.where(np.isnan(err), np.inf, err))), err.shape)
        line += f" at index {tuple(int(i) for i in idx)}, {int(bad.sum())} of {bad.size} elements off"
    lines = [line + ("" if ok else "  MISMATCH")]
    if not ok and av.size <= 12:
        with np.printoptions(precision=8, suppress=False):
            lines.append(f"      s2s.grad:     {a!r}" if av.ndim == 0 else f"      s2s.grad:     {av}")
            lines.append(f"      numeric_grad: {n!r}" if av.ndim == 0 else f"      numeric_grad: {nv}")
    return ok, lines
