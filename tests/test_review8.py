"""Crashes and misleading messages a new-user reviewer found (session 7), each checked by value or message.

- Zero-argument ``super()`` in a method s2s reads: the generated code, compiled outside the class, had no
  ``__class__`` cell (RuntimeError). Parse writes it as ``super(Cls, self)``, as the compiled method means.
- Private names ``self.__k`` / ``self.__helper(x)`` in a class are stored as ``_Cls__k``: the generated
  code, outside the class, read ``self.__k`` (AttributeError). Parse mangles them as Python did.
- ``python -m s2s FILE.py:f -o out.py`` of a function taking a dataclass: out.py had ``_CALLABLES = None``
  (a tuple of types it could not write) and no ``_is_record`` (a helper bound twice under two names).
- Calling a gradient with wrong arguments said ``__s2s_factory__.<locals>.df_dx()``; jvp with one argument
  too many said "multiple values for argument 'dx'"; jacobian's bind error named nothing.
- jvp accepted a tangent of another structure (a list for an array, a dict with other keys, a shorter
  list: zip dropped the rest); it is checked now as jax.jvp checks it (structure and shape; real dtypes
  other than the primal's are accepted, as s2s computes in the primal's float dtype).
- ``argnums=`` / ``argnum=`` / ``holomorphic`` / ``allow_int`` / ``reduce_axes`` (JAX's and autograd's
  keywords) were a bare TypeError; ``has_aux`` where s2s does not define it too: each says what to write.
- ``{**p, **q}`` generated invalid code (``dr[]``); ``p | q`` on dicts gave a zero gradient (``|`` passes
  no derivative): the display is written as a comprehension; ``|`` on dicts has a rule (it was refused).
- A masked array gave wrong numbers (np.mean divides by the unmasked count; the rule by the size), an
  np.matrix crashed inside (``*`` is a matrix product on it), an array of an unknown library (torch,
  pandas) crashed in the generated code, and array_api_strict arguments failed inside the array library:
  each is a DifferentiationError saying what s2s supports (the last at the user's line).
- ``zip(*pairs)`` / ``enumerate(x, start=1)`` were told to register an @s2s.adjoint rule for the builtin.
- A library function behind a decorator's wrapper (scikit-learn's validate_params) was said to change its
  argument in place "(to shuffle a list ...)": s2s only could not show that it does not; the message says so.
"""
import numpy as np
import pytest

import s2s


def _check(f, x, v=None):
    """Reverse, forward and hvp against finite differences."""
    num = s2s.numeric_grad(f)(x)
    np.testing.assert_allclose(s2s.grad(f)(x), num, rtol=1e-6, atol=1e-7)
    v = np.ones_like(np.asarray(x, dtype=float)) if v is None else v
    np.testing.assert_allclose(s2s.jvp(f)(x, v), np.sum(num * v), rtol=1e-6, atol=1e-7)


# ------------------------------------------------------------------ 1. super()
class Base:
    def __init__(self, scale):
        self.scale = scale

    def forward(self, x):
        return np.sin(x) * self.scale

    def __call__(self, x):
        return self.forward(x) + x


class Child(Base):
    def __init__(self, scale):
        super().__init__(scale * 2.0)

    def forward(self, x):
        return super().forward(x) * 2 + x

    def __call__(self, x):
        return super().__call__(x) * 3.0


class Child2(Base):
    def forward(self, x):
        return super(Child2, self).forward(x) * 2 + x


class Grand(Child):
    def forward(self, x):
        return super().forward(x) + np.cos(x)


OUTSIDE = Child(1.5)


def super_inside(x):
    return Child(1.5).forward(x)


def super_outside(x):
    return OUTSIDE.forward(x)


def super_call(x):
    return OUTSIDE(x)


def super_call_inside(x):
    c = Child(0.5)
    return c(x)


def super_two_args(x):
    return Child2(1.0).forward(x)


def super_grand(x):
    return np.sum(Grand(1.0).forward(x))


@pytest.mark.parametrize("f", [super_inside, super_outside, super_call, super_call_inside, super_two_args,
                               super_grand])
def test_super(f):
    _check(f, 0.7)


def test_super_arrays_and_bound_method():
    _check(super_grand, np.array([0.1, 0.4, 0.9]))
    _check(OUTSIDE.forward, 0.3)


def test_super_object_built_from_active_value():
    def f(x):
        c = Child(x)
        return c.forward(2.0)
    _check(f, 0.7)


def test_super_generated_code_names_the_class():
    import inspect
    text = inspect.getsource(s2s.grad(OUTSIDE.forward))
    # the code made for Child calls the function super() finds (Base.forward's split pair), not a bare super()
    assert "super()" not in text and "forward_fwd(self, x)" in text


# ------------------------------------------------------------------ 2. name mangling
class Private:
    def __init__(self, k):
        self.__k = k

    def __helper(self, x):
        return np.sin(x) * self.__k

    def f(self, x):
        return self.__helper(x) + self.__k * x

    def g(self, x):
        self.__k = self.__k * 2.0
        return self.__helper(x)


PRIVATE = Private(3.0)


def private_outside(x):
    return PRIVATE.f(x)


def private_inside(x):
    p = Private(x)
    return p.f(2.0)


def private_written(x):
    p = Private(1.5)
    return p.g(x)


def private_array(x):
    p = Private(np.array([1.0, 2.0]))
    return np.sum(p.g(x) * p.f(x))


@pytest.mark.parametrize("f", [private_outside, private_inside, private_written, PRIVATE.f])
def test_name_mangling(f):
    _check(f, 0.7)


def test_name_mangling_arrays():
    _check(private_array, np.array([0.3, -0.2]))
    assert PRIVATE._Private__k == 3.0   # the object outside is not changed


# ------------------------------------------------------------------ 3. CLI export of record arguments
CLI_MODEL = '''\
from collections import namedtuple
from dataclasses import dataclass

import numpy as np


@dataclass
class Net:
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray


Params = namedtuple("Params", "W b")


def dc_loss(net, X, y):
    h = np.tanh(X @ net.W1 + net.b1)
    return np.sum((h @ net.W2 - y) ** 2)


def nt_loss(p, X, y):
    return np.mean((X @ p.W + p.b - y) ** 2)


def dict_loss(d, X, y):
    return np.sum((np.tanh(X @ d["W"]) * d["s"] - y) ** 2)


def list_loss(params, X, y):
    h = X
    for W in params:
        h = np.tanh(h @ W)
    return np.sum((h[:, 0] - y) ** 2)


def make():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 3)), rng.standard_normal(5)
    return {
        "dc_loss": Net(rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(4)),
        "nt_loss": Params(rng.standard_normal(3), 0.5),
        "dict_loss": {"W": rng.standard_normal(3), "s": 1.5},
        "list_loss": [rng.standard_normal((3, 3)), rng.standard_normal((3, 2))],
    }, X, y
'''

CLI_RUNNER = '''\
import json, runpy, sys
sys.modules["s2s"] = None
sys.modules["templates"] = None
sys.path.insert(0, ".")   # -I leaves the script's directory off the path: the user's model is there
import numpy as np
import clim8
args, X, y = clim8.make()
ns = runpy.run_path(sys.argv[1])
g = ns[sys.argv[2]](args[sys.argv[3]], X, y)
def flat(g):
    if isinstance(g, dict):
        return [flat(g[k]) for k in sorted(g)]
    if isinstance(g, (list, tuple)):
        return [flat(v) for v in g]
    if hasattr(g, "__dataclass_fields__"):
        return [flat(getattr(g, k)) for k in g.__dataclass_fields__]
    return np.asarray(g).tolist()
print(type(g).__name__, json.dumps(flat(g)))
'''


@pytest.mark.parametrize("name", ["dc_loss"] + [pytest.param(n, marks=pytest.mark.slow)   # a subprocess each
                                                for n in ("nt_loss", "dict_loss", "list_loss")])
def test_cli_export_of_record_arguments_runs_without_s2s(tmp_path, monkeypatch, name):
    import json
    import os
    import subprocess
    import sys
    (tmp_path / "clim8.py").write_text(CLI_MODEL)
    (tmp_path / "runner.py").write_text(CLI_RUNNER)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = tmp_path / f"d_{name}.py"
    run = subprocess.run([sys.executable, "-m", "s2s", f"{tmp_path / 'clim8.py'}:{name}", "-o", str(out)],
                         capture_output=True, text=True, cwd=root, check=False)
    assert run.returncode == 0, run.stderr
    text = out.read_text()
    assert "= None  # s2s cannot write" not in text
    run = subprocess.run([sys.executable, "-I", "runner.py", str(out), f"d{name}_d" + text.split(f"def d{name}_d")[1]
                          .split("(")[0], name], capture_output=True, text=True, cwd=str(tmp_path), check=False)
    assert run.returncode == 0, run.stderr
    kind, got = run.stdout.split(" ", 1)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    mod = importlib.import_module("clim8")
    args, X, y = mod.make()
    want = s2s.grad(getattr(mod, name))(args[name], X, y)
    assert kind == type(want).__name__
    flat = [np.ravel(v) for v in (want.values() if isinstance(want, dict) else
                                  [getattr(want, k) for k in want.__dataclass_fields__]
                                  if hasattr(want, "__dataclass_fields__") else want)]
    got = json.loads(got)
    got = [got[k] for k in range(len(got))] if not isinstance(want, dict) else \
        [got[sorted(want).index(k)] for k in want]
    for g, w in zip(got, flat):
        np.testing.assert_allclose(np.ravel(g), w, rtol=1e-10)


# ------------------------------------------------------------------ 5. a wrong call names the user's signature
def two(x, y=2.0):
    return x * y


@pytest.mark.parametrize("make, call, says", [
    (lambda: s2s.grad(two), lambda g: g(), "df_dx() missing 1 required positional argument: 'x'"),
    (lambda: s2s.grad(two), lambda g: g(1.0, 2.0, 3.0), "df_dx() takes from 1 to 2 positional arguments but 3"),
    (lambda: s2s.grad(two), lambda g: g(1.0, z=1.0), "df_dx() got an unexpected keyword argument 'z'"),
    (lambda: s2s.jvp(two), lambda g: g(), "jvp_two_dx() missing 1 required positional argument: 'x'"),
    (lambda: s2s.jvp(two), lambda g: g(1.0, 2.0, 3.0, 4.0), "jvp_two_dx() takes from 1 to 3 positional arguments"),
    (lambda: s2s.jacobian(two), lambda g: g(), "two() missing a required argument: 'x'"),
])
def test_wrong_calls_name_the_gradient_not_the_factory(make, call, says):
    with pytest.raises(TypeError) as e:
        call(make())
    assert says.replace("df_dx", "dtwo_dx") in str(e.value) and "__s2s_factory__" not in str(e.value)


# ------------------------------------------------------------------ 7. tangents and seeds of the wrong structure
def sum_sin(x):
    return np.sum(np.sin(x))


def of_dict(d):
    return d["a"] * 2.0


@pytest.mark.parametrize("f, x, v, says", [
    (sum_sin, np.array([0.1, 0.2, 0.3]), {"a": 1.0}, "is a dict with keys ['a'], but `x` is an array"),
    (sum_sin, np.array([0.1, 0.2, 0.3]), np.ones(2), "has shape (2,), but `x` has shape (3,)"),
    (of_dict, {"a": 0.5}, {"b": 1.0}, "is a dict with keys ['b'], but `d` is a dict with keys ['a']"),
    (of_dict, {"a": 0.5}, {"a": 1.0, "b": 1.0}, "is a dict with keys ['a', 'b'], but `d` is a dict with keys"),
    (of_dict, {"a": 0.5}, [1.0], "is a list of 1, but `d` is a dict with keys ['a']"),
])
def test_jvp_checks_the_tangent_structure(f, x, v, says):
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.jvp(f)(x, v)
    assert says in str(e.value) and "in " + f.__name__ in str(e.value)


def test_jvp_tangent_of_a_list_argument_checks_its_length():
    def f(xs):
        return xs[0] * xs[1]
    assert s2s.jvp(f)([2.0, 3.0], [1.0, 0.0]) == 3.0
    with pytest.raises(s2s.DifferentiationError, match="is a list of 1, but `xs` is a list of 2"):
        s2s.jvp(f)([2.0, 3.0], [1.0])


def test_jvp_right_tangents_still_work():
    x = np.array([0.1, 0.2, 0.3])
    want = np.sum(np.cos(x))
    assert np.isclose(s2s.jvp(sum_sin)(x, np.ones(3)), want) and np.isclose(s2s.jvp(sum_sin)(x, 1.0), want)
    assert s2s.jvp(of_dict)({"a": 0.5}, {"a": 1.0}) == 2.0 and s2s.jvp(of_dict)({"a": 0.5}, 1.0) == 2.0


# ------------------------------------------------------------------ 8. JAX's and autograd's keywords
@pytest.mark.parametrize("entry", [s2s.grad, s2s.value_and_grad, s2s.jacobian, s2s.jvp, s2s.vjp, s2s.hessian])
@pytest.mark.parametrize("kw, says", [("argnums", "s2s calls it wrt="), ("argnum", "s2s calls it wrt="),
                                      ("holomorphic", "no holomorphic mode"), ("allow_int", "needs no allow_int"),
                                      ("reduce_axes", "no reduce_axes")])
def test_jax_keywords_get_a_hint(entry, kw, says):
    with pytest.raises(TypeError, match=says):
        entry(two, **{kw: 1})


def test_has_aux_where_it_is_not_defined_gets_a_hint_and_argnums_hint_works():
    with pytest.raises(TypeError, match="s2s.grad and s2s.value_and_grad take has_aux=True"):
        s2s.jvp(two, has_aux=True)
    assert s2s.grad(two, wrt=1)(3.0, 2.0) == 3.0   # what the argnums hint says to write
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'$"):
        s2s.grad(two, bogus=1)


# ------------------------------------------------------------------ dict merges: {**p} crashed, p | q was zero
def merge_spread(p, q):
    r = {**p, "c": 3.0, **q}
    return np.sum(r["a"] * r["b"]) * r["c"]


def merge_or(p, q):
    r = p | q
    return np.sum(r["a"] * r["b"])


P = {"a": np.array([1.0, 2.0])}
Q = {"b": np.array([3.0, 4.0]), "a": np.array([5.0, 6.0])}


def test_dict_spread_display():
    for wrt in (0, 1):
        got, num = s2s.grad(merge_spread, wrt=wrt)(P, Q), s2s.numeric_grad(merge_spread, wrt=wrt)(P, Q)
        for k in num:
            np.testing.assert_allclose(got[k], num[k], rtol=1e-6, atol=1e-8)
    v = {"b": np.ones(2), "a": np.array([1.0, -1.0])}
    want = sum(np.sum(s2s.numeric_grad(merge_spread, wrt=1)(P, Q)[k] * v[k]) for k in v)
    np.testing.assert_allclose(s2s.jvp(merge_spread, wrt=1)(P, Q, v), want, rtol=1e-6)


def test_dict_merge_operator_differentiates_not_zero():
    # (it was refused here; operator.or_ now has a rule for dicts: templates/operators.py, sb8)
    for wrt in (0, 1):
        got, num = s2s.grad(merge_or, wrt=wrt)(P, Q), s2s.numeric_grad(merge_or, wrt=wrt)(P, Q)
        assert set(got) == set(num)
        for k in num:
            np.testing.assert_allclose(got[k], num[k], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(s2s.grad(merge_or)(P, Q)["a"], 0.0)   # Q's "a" wins: P's gets nothing
    v = {"b": np.ones(2), "a": np.array([1.0, -1.0])}
    want = sum(np.sum(s2s.numeric_grad(merge_or, wrt=1)(P, Q)[k] * v[k]) for k in v)
    np.testing.assert_allclose(s2s.jvp(merge_or, wrt=1)(P, Q, v), want, rtol=1e-6)

    def fixed(p, q):   # the comprehension the refusal suggested still works
        r = {k: v for d in (p, q) for k, v in d.items()}
        return np.sum(r["a"] * r["b"])
    assert set(s2s.grad(fixed)(P, Q)) == {"a"}
    np.testing.assert_allclose(s2s.grad(fixed, wrt=1)(P, Q)["a"], Q["b"])


def test_bitwise_or_of_masks_still_differentiates():
    def f(x):
        m = (x > 0.2) | (x < -0.5)
        return np.sum(np.where(m, x ** 2, x))
    _check(f, np.array([0.1, 0.4, -0.7]))


# ------------------------------------------------------------------ 4. arrays s2s does not differentiate
def mean_sq(x):
    return np.mean(x * x)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")   # np.matrix
@pytest.mark.parametrize("make, says", [
    (lambda: np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]), "masked array"),   # was 0.667 where 1 is right
    (lambda: np.matrix([[1.0, 2.0]]), "np.matrix"),                                    # was a ValueError inside
])
def test_masked_arrays_and_matrices_are_refused(make, says):
    x = make()
    with pytest.raises(s2s.DifferentiationError, match=says):
        s2s.grad(mean_sq)(x)
    with pytest.raises(s2s.DifferentiationError, match=says):   # forward mode checks the arguments as grad does
        s2s.jvp(mean_sq)(x, 1.0)


class TensorLike:
    """An array of a library s2s knows nothing of (torch, pandas, xarray): shape and dtype, no NumPy protocol."""
    def __init__(self, a):
        self.a = np.asarray(a)
        self.shape, self.dtype = self.a.shape, "float64"


def test_unknown_array_types_are_refused_naming_what_is_supported():
    with pytest.raises(s2s.DifferentiationError, match="TensorLike, an array type s2s does not differentiate") as e:
        s2s.grad(mean_sq)(TensorLike([1.0, 2.0]))
    assert "NumPy arrays" in str(e.value) and "np.asarray(x)" in str(e.value)


# ------------------------------------------------------------------ 6. builtins: no rule to register
def zip_star(x):
    pairs = [(x[0], x[1]), (x[2], x[0])]
    firsts, seconds = zip(*pairs)
    return sum(firsts) * sum(seconds)


def enumerate_start(x):
    return sum(i * v for i, v in enumerate(x, start=1))


def list_of_enumerate_start(x):   # enumerate(x, start=1) outside a loop or comprehension
    return sum(i * v for i, v in list(enumerate(x, start=1)))


@pytest.mark.parametrize("f, name", [(zip_star, "zip"), (list_of_enumerate_start, "enumerate")])
def test_builtins_are_not_told_to_register_a_rule(f, name):
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(f)(np.array([0.5, 1.5, 2.5]))
    assert f"the builtin `{name}`" in str(e.value) and "@s2s.adjoint" not in str(e.value)


def test_enumerate_start_is_followed():   # issue 11 (session 9): enumerate(x, start=1) in a comprehension
    x = np.array([0.5, 1.5, 2.5])
    np.testing.assert_allclose(s2s.grad(enumerate_start)(x), [1.0, 2.0, 3.0])


def test_builtin_fixes_work_when_pasted():
    def zip_fixed(x):
        pairs = [(x[0], x[1]), (x[2], x[0])]
        firsts = [p[0] for p in pairs]
        seconds = [p[1] for p in pairs]
        return sum(firsts) * sum(seconds)

    def enumerate_fixed(x):
        return sum((i + 1) * v for i, v in enumerate(x))
    _check(zip_fixed, np.array([0.5, 1.5, 2.5]))
    _check(enumerate_fixed, np.array([0.5, 1.5, 2.5]))


# ------------------------------------------------------------------ 9. a library call through a wrapper
FAKELIB = '''\
import functools
import numpy as np


def validate_params(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        for a in args:
            _validate(a)
        return f(*args, **kwargs)
    return wrapper


def _validate(a):
    if isinstance(a, list):
        a.sort()


@validate_params
def kernel(X, gamma=1.0):
    return np.exp(-gamma * X ** 2)
'''


def test_library_wrapper_message_says_what_is_known(tmp_path, monkeypatch):
    lib = tmp_path / "site-packages"   # (a package's path: s2s treats it as library code)
    lib.mkdir()
    (lib / "fakelib8.py").write_text(FAKELIB)
    monkeypatch.syspath_prepend(str(lib))
    import fakelib8

    def f(X):
        return np.sum(fakelib8.kernel(X, gamma=0.5))
    # the wrapper checks its arguments, then forwards them unchanged: s2s follows it (s2s/wrappers.py, issue 11
    # item 9), its checks running on the caller's values (an array given to it is read-only while they run)
    x = np.array([0.1, -0.4, 0.7])
    np.testing.assert_allclose(s2s.grad(f)(x), s2s.numeric_grad(f)(x), rtol=1e-6)

    @s2s.adjoint(fakelib8.kernel, nondiff=("gamma",))   # the message's fix
    def _(result, X, gamma=1.0):
        d[X] = d[result] * result * (-2.0 * gamma * X)   # noqa: F821 (d is the template's notation)
    x = np.array([0.1, -0.4, 0.7])
    np.testing.assert_allclose(s2s.grad(f)(x), s2s.numeric_grad(f)(x), rtol=1e-6)


# ------------------------------------------------------------------ first-day programs: classes
class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a, self.b = a, b

    def f(self, x):
        return self.a * x + self.b


class SlottedChild(Slotted):
    __slots__ = "c"

    def __init__(self, a, b):
        super().__init__(a, b)
        self.c = a * b


def slots_read(x):
    p = Slotted(x, 2.0)
    return p.a * p.b


def slots_written(x):
    p = Slotted(x, 2.0)
    p.b = p.b * x
    return p.f(3.0)


def slots_child(x):
    q = SlottedChild(x, 2.0)
    return q.c + q.f(x)


class Scaled:
    def __init__(self, w):
        self.w = w

    @property
    def scale(self):
        return np.sum(self.w ** 2)

    def __call__(self, x):
        return np.tanh(x * self.w) * self.scale


class ScaledPlus(Scaled):
    def __call__(self, x):
        return super().__call__(x) + 1.0


def property_read(w):
    s = Scaled(w)
    return s.scale * w


def property_in_call(w):
    return np.sum(ScaledPlus(w)(2.0))   # an object built and called in one expression


@pytest.mark.parametrize("f", [slots_read, slots_written, slots_child, property_read, property_in_call])
def test_slots_properties_and_called_objects_built_from_active_values(f):
    _check(f, 0.7)
    _check(f, np.array([0.3, -0.8]) if f in (property_in_call,) else 0.4)
