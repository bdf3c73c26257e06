"""Code specialized on the argument signature (issue 14 item 1, s2s/signature.py).

``grad(f)`` returns a dispatcher that runs, for each call, the code generated
for the types of its positional arguments: a Python float is a scalar from
the start, so the scalar machinery (s2s/shapes.py) drops shape saves,
``unbroadcast`` and ``init_grad``. Everything else stays generic. These tests
check the numbers (against finite differences) for each kind of argument, in
reverse mode, forward mode and hvp, a function called with floats then
arrays then floats again, what the specialized code looks like, and that the
public behaviour of what ``grad`` returns is unchanged.
"""
import inspect
import math
import os
import re
import subprocess
import sys
import textwrap
import types

import numpy as np
import pytest

import s2s

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def scalar_loop(x, a):
    y = a
    for i in range(20):
        u = math.sin(x * y)
        v = np.tanh(y) * 0.5
        y = y * 0.9 + u * 0.1 + math.exp(-v * v) * 0.01
    return y


def mixed(x, w):
    """A float or an array for x, an array w: the output is a scalar either way."""
    s = 0.0
    for i in range(3):
        s = s + np.sum(np.sin(x * w) * x)
    return s * x


def elementwise(x, y):
    return x * y + np.exp(x) * 0.5


def rebinds(x, w):
    x = x * w            # x was a float; here it becomes an array
    return np.sum(x * x)


def rebinds_in_loop(x, w):
    for i in range(2):
        x = x * w + 1.0   # a float on the first trip, an array after
    return np.sum(x)


def unpacks(x, w):
    x, y = w, 2.0        # x rebound by a tuple target
    return np.sum(x * y)


def hinted(x: float, a: float):
    y = a
    for i in range(5):
        y = y * 0.5 + x * y
    return y


def _close(got, want, rtol=1e-6, atol=1e-8):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            _close(g, w, rtol, atol)
        return
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=rtol, atol=atol)


def _float_key(g, *args):
    """The generated function a call of dispatcher ``g`` with ``args`` runs."""
    return g.s2s_for_args(*args)


# ---------------------------------------------------------------- the specialized code

def test_scalar_loop_specialized_code_has_no_broadcasting_bookkeeping():
    g = s2s.grad(scalar_loop)
    generic = s2s.source(g)
    special = s2s.source(g, 0.7, 0.3)
    assert "shape_of" in generic and "unbroadcast" in generic and "init_grad" in generic
    for helper in ("shape_of", "unbroadcast", "init_grad", "as_grad", "zeros_like"):
        assert helper not in special, helper
    assert special.count("stack.append") < generic.count("stack.append")
    assert g.source(0.7, 0.3) == special


def test_signature_pins_only_python_floats():
    g = s2s.grad(scalar_loop)
    generic = g.__wrapped__
    assert _float_key(g, 0.7, 0.3) is not generic
    assert _float_key(g, 0.7, 0.3).s2s_request.sig == (("x", "float"), ("a", "float"))
    # x alone: x's adjoint is kept a Python float where y (not pinned) may be a NumPy scalar
    only_x = _float_key(g, 0.7, np.float64(0.3))
    assert only_x is not generic and only_x.s2s_request.sig == (("x", "float"),)
    assert "float(" in only_x.s2s_source and "float(" not in generic.s2s_source
    assert only_x(0.7, np.float64(0.3)) == pytest.approx(generic(0.7, np.float64(0.3)), rel=1e-12)
    for args in [(np.float64(0.7), np.float64(0.3)), (1, 2), (True, 0), ()]:
        assert _float_key(g, *args) is generic, args
    # a 0-d array differentiated: the generic code's facts, with its gradient given back as a 0-d array
    zero_d = _float_key(g, np.array(0.7), np.array(0.3))
    assert zero_d is not generic and ("x", "0-d") in zero_d.s2s_request.sig
    assert "as_grad(dx, x)" in zero_d.s2s_source and "as_grad" not in generic.s2s_source


@pytest.mark.parametrize("fn", [rebinds, rebinds_in_loop, unpacks])
def test_a_pinned_parameter_rebound_to_an_array_is_not_a_scalar(fn):
    w = np.array([0.5, -1.5, 2.0])
    _close(s2s.grad(fn)(1.5, w), s2s.numeric_grad(fn)(1.5, w))
    _close(s2s.grad(fn, wrt=1)(1.5, w), s2s.numeric_grad(fn, wrt=1)(1.5, w))


def elem_loop(x, w):
    y = np.zeros_like(x)
    for i in range(1, x.shape[0]):
        y[i] = x[i] * w[i] + np.sin(x[i - 1]) + 0.5 * y[i - 1]
    return np.sum(y * y)


def elem2d(A):
    s = 0.0
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            s = s + A[i, j] * A[j, i] * math.cos(A[i, j])
    return s


def rows(X, w):
    s = 0.0
    for i in range(X.shape[0]):
        s = s + np.sum(X[i] * w)   # a row of a 2-d array: not a scalar
    return s * s


def row_fill(x):
    Y = np.zeros((x.shape[0], 3))
    for i in range(x.shape[0]):
        Y[i] = x[i] * x[i]          # a number into a row of a 2-d array: its adjoint is the row's sum
        Y[i, 1] = Y[i, 1] + x[i]    # a number into one element
    return np.sum(Y * Y)


def slots(x):
    y = np.zeros(x.shape[0])
    k = 0
    for i in range(x.shape[0] - 1):
        k = i + 1
        y[0:2] = y[0:2] + x[k]      # a scalar into a slice
        y[-1] = y[-1] + x[i] * x[k]
    return np.sum(y ** 2)


def test_inplace_loop_specialized_on_a_1d_array():
    from benchmarks.workloads import inplace_loop
    g = s2s.grad(inplace_loop)
    x = np.random.default_rng(0).standard_normal(30)
    special = s2s.source(g, x)
    assert g.s2s_for_args(x).s2s_request.sig == (("x", ("ndarray", 1)),)
    assert "shape_of" in s2s.source(g) and "unbroadcast" in s2s.source(g)
    # y = np.zeros_like(x) is a 1-d array: y[i] = v writes a number, whose adjoint is dy[i] as it is (a float
    # read is a copy already): no unbroadcast, no copy_grad of an element, no shape saved, no stack at all
    assert "unbroadcast" not in special and "shape_of" not in special and "stack" not in special
    assert "copy_grad(dy[" not in special and re.search(r"\bdt_\d+ = dy\[i\]\s", special)
    _close(g(x), s2s.numeric_grad(inplace_loop)(x))
    assert g.s2s_for_args(x.astype(np.float32)) is g.s2s_for_args(x)   # the dtype changes no fact
    assert g.s2s_for_args(x.reshape(5, 6)) is not g.s2s_for_args(x)


@pytest.mark.parametrize("fn,shapes", [(elem_loop, [(7,), (7,)]), (elem2d, [(4, 4)]), (rows, [(5, 3), (3,)]),
                                       (slots, [(6,)]), (row_fill, [(5,)])],
                         ids=["elem_loop", "elem2d", "rows", "slots", "row_fill"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, object])
def test_array_signatures(fn, shapes, dtype):
    r = np.random.default_rng(1)
    args = [r.standard_normal(s) for s in shapes]
    if dtype is np.int64:
        args = [(a * 3).astype(np.int64) for a in args]
    elif dtype is not np.float64:
        args = [a.astype(dtype) for a in args]
    wrt = tuple(range(len(args)))
    g = s2s.grad(fn, wrt=wrt)
    if dtype in (np.float64, np.float32):
        got = g(*args)
        want = s2s.numeric_grad(fn, wrt=wrt)(*[a.astype(np.float64) for a in args])
        rtol = 2e-3 if dtype is np.float32 else 1e-6
        _close(got, want, rtol=rtol, atol=1e-4 if dtype is np.float32 else 1e-8)
    else:   # the primal computes in ints (y = np.zeros_like(x) truncates) or objects: as the generic code does
        try:
            want = g.__wrapped__(*args)
        except Exception as e:
            with pytest.raises(type(e)):
                g(*args)
        else:
            _close(g(*args), want, rtol=1e-12, atol=0)
    if dtype is object:
        assert g.s2s_for_args(*args) is g.__wrapped__   # object arrays are not pinned


def step(x, y):
    u = math.sin(x * y)
    v = np.tanh(y) * 0.5
    return y * 0.9 + u * 0.1 + math.exp(-v * v) * 0.01


def helper_loop(x, a):
    y = a
    for i in range(10):
        y = step(x, y)
    return y


def scale(x, w):
    return x * w            # an array for an array w, whatever x is


def array_helper_loop(x, w):
    y = x
    for i in range(3):
        y = scale(y, w) + 0.5
    return np.sum(y * y)


def rec(x, n):
    if n <= 0:
        return x
    return math.sin(rec(x, n - 1)) * x


def calls_rec(x, a):
    return rec(x * a, 3) + a


def test_a_helper_called_with_scalars_is_specialized_too():
    g = s2s.grad(helper_loop)
    special = g.s2s_for_args(0.7, 0.3)
    assert "init_grad" not in special.s2s_source and "add_grad" not in special.s2s_source
    halves = [o for o in special.s2s_namespace.values() if getattr(o, "s2s_source", None)]
    assert len(halves) == 2 and all("unbroadcast" not in h.s2s_source for h in halves)
    # (step's math.sin(x * y) makes x and y scalars in its generic code already: the halves are its generic ones)
    _close(g(0.7, 0.3), s2s.numeric_grad(helper_loop)(0.7, 0.3))
    _close(g(1, 0.3), s2s.numeric_grad(helper_loop)(1, 0.3))   # an int x: the generic code


def test_the_adjoints_of_python_floats_stay_python_floats():
    """np.tanh(y) of a Python float y is a NumPy scalar: its contribution to dy is made a float again, so
    the rest of the backward sweep runs on Python floats (NumPy scalar arithmetic is several times slower);
    in a helper called with Python floats too."""
    g = s2s.grad(scalar_loop)
    special = s2s.source(g, 0.7, 0.3)
    assert "float(dt_1 * (1 - t_1 * t_1))" in special
    assert type(g(0.7, 0.3)) is float
    _close(g(0.7, 0.3), s2s.numeric_grad(scalar_loop)(0.7, 0.3))
    h = s2s.grad(helper_loop)
    halves = [o for o in h.s2s_for_args(0.7, 0.3).s2s_namespace.values() if getattr(o, "s2s_source", None)]
    assert any("float(" in half.s2s_source for half in halves)
    assert type(h(0.7, 0.3)) is float
    _close(h(0.7, 0.3), s2s.numeric_grad(helper_loop)(0.7, 0.3))
    assert "float(" not in s2s.source(g)   # the generic code keeps the adjoints' types as they come


def numbers_and_not(x, a):
    k = 0
    s = a
    for i in range(4):
        k = math.floor(x * 3.0) + i        # an int
        p = (x * x) ** 0.5                 # ** of floats may be complex: not known a Python number
        q = np.tanh(s) * 0.5               # a NumPy scalar
        s = s * 0.5 + math.sin(p * q) + k * x + abs(s - x) + float(q)
    return s


def test_python_numbers_edge_cases():
    for wrt in (0, 1):
        _close(s2s.grad(numbers_and_not, wrt=wrt)(0.7, 0.3), s2s.numeric_grad(numbers_and_not, wrt=wrt)(0.7, 0.3))


@pytest.mark.parametrize("fn,args", [(array_helper_loop, (0.7, np.array([0.5, -1.0, 2.0]))),
                                     (calls_rec, (0.7, 0.3))], ids=["array_helper", "recursive"])
def test_a_helper_that_is_not_known_to_return_a_scalar(fn, args):
    for wrt in (0, 1):
        _close(s2s.grad(fn, wrt=wrt)(*args), s2s.numeric_grad(fn, wrt=wrt)(*args))


def test_a_chain_of_helpers_is_analysed_once_per_helper(tmp_path, monkeypatch):
    """Whether a helper returns a scalar is worked out once per (helper, scalar parameters), not again at
    every level of a chain of helpers (quadratic: a chain of 200 took minutes)."""
    from s2s import facts
    src = "".join(f"def h{i}(x):\n    return h{i + 1}(x) * 1.0\n\n" for i in range(30))
    src += "def h30(x):\n    return x * x\n\ndef f(x):\n    return h0(x)\n"
    mod = _load(tmp_path, "chain30", src)
    seen = []
    analyse = facts.ScalarCalls._analyse
    monkeypatch.setattr(facts.ScalarCalls, "_analyse",
                        lambda self, f, known, kind: seen.append((f, kind)) or analyse(self, f, known, kind))
    s2s.compiler.clear_cache()
    assert s2s.grad(mod.f)(1.5) == pytest.approx(3.0)
    assert len(seen) == len(set(seen)) <= 2 * 31   # (a scalar? a Python number?)


def test_a_helper_rebound_deeper_in_the_chain_is_analysed_again(tmp_path):
    """The answer for g (which calls h) depends on h: rebinding h makes it stale (an array h: no longer a scalar)."""
    mod = _load(tmp_path, "rebind", textwrap.dedent("""
        import numpy as np
        def h(x):
            return x * x
        def g(x):
            return h(x) * 2.0
        def f(x):
            y = x
            for i in range(2):
                y = g(y) + y
            return np.sum(y)
    """))
    g = s2s.grad(mod.f)
    _close(g(0.7), s2s.numeric_grad(mod.f)(0.7))
    mod.h = lambda x: np.ones(3) * x   # a different function object, returning an array
    want = s2s.numeric_grad(mod.f)(0.7)
    _close(s2s.grad(mod.f)(0.7), want)   # (a new grad(f): the one made before keeps the code it ran)


def _load(tmp_path, name, src):
    import importlib.util
    path = tmp_path / (name + ".py")
    path.write_text(src)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------- numbers, every kind of signature

KINDS = [
    ("float", lambda: (0.7, 0.3)),
    ("int", lambda: (1, 2)),
    ("np.float64", lambda: (np.float64(0.7), np.float64(0.3))),
    ("float32 scalar", lambda: (np.float32(0.7), 0.3)),
    ("0-d array", lambda: (np.array(0.7), np.array(0.3))),
    ("1-d array", lambda: (np.array([0.7, -0.2]), np.array([0.3, 0.1]))),
    ("2-d array", lambda: (np.array([[0.7, -0.2], [0.1, 0.4]]), 0.3)),
]


@pytest.mark.parametrize("kind,args", KINDS, ids=[k for k, _ in KINDS])
def test_reverse_forward_hvp_for_each_kind(kind, args):
    args = args()
    g = s2s.grad(elementwise, wrt=(0, 1))(*args)
    if kind == "float32 scalar":   # finite differences in float32 are too coarse: the derivative itself
        _close(g, (args[1] + np.exp(args[0]) * 0.5, args[0]), rtol=1e-6)
    else:
        _close(g, s2s.numeric_grad(elementwise, wrt=(0, 1))(*args))
    for a, d in zip(args, g):   # a gradient has its argument's type and shape
        assert np.shape(d) == np.shape(a)
        if type(a) in (float, int):
            assert isinstance(d, float)
    x, y = args
    jv = s2s.jvp(elementwise)(x, y, 1.0)
    _close(jv, y + np.exp(x) * 0.5 * np.ones_like(np.asarray(x, dtype=float)))
    if np.ndim(x) == 0 and np.ndim(y) == 0:
        _close(s2s.hvp(elementwise)(x, y, 1.0), np.exp(float(x)) * 0.5)


# (0-d arrays are left out here: their gradient is an np.float64, not a 0-d array, which check_grad
#  reports as a type mismatch; that is so on main before signatures too, and not about them)
@pytest.mark.parametrize("kind,args", [k for k in KINDS if k[0] != "0-d array"],
                         ids=[k for k, _ in KINDS if k != "0-d array"])
def test_check_grad_for_each_kind(kind, args):
    x, y = args()
    if kind == "float32 scalar":
        x = float(x)
    numbers = not isinstance(x, np.ndarray) and not isinstance(y, np.ndarray)
    s2s.check_grad(scalar_loop if numbers else elementwise, x, y, wrt=(0, 1))


def test_float_then_array_then_float():
    g = s2s.grad(mixed, wrt=(0, 1))
    num = s2s.numeric_grad(mixed, wrt=(0, 1))
    w = np.array([0.3, -1.2, 0.8])
    for x in [0.7, np.array([0.5, 0.1, -0.4]), -1.3, np.array([0.2, 0.2, 0.9]), 0.25]:
        got = g(x, w)
        _close(got, num(x, w))
        assert np.shape(got[0]) == np.shape(x)
    assert g.s2s_for_args(0.7, w) is not g.s2s_for_args(np.ones(3), w)


def test_value_and_grad_vjp_has_aux_keywords_defaults():
    def f(x, a=0.5):
        y = x
        for i in range(4):
            y = y * a + math.sin(y)
        return y

    def with_aux(x, a):
        y = f(x, a)
        return y, {"y": y}

    num = s2s.numeric_grad(f)
    v, d = s2s.value_and_grad(f)(0.4, 0.3)
    assert v == f(0.4, 0.3)
    _close(d, num(0.4, 0.3))
    _close(s2s.grad(f)(0.4), num(0.4))               # a default: generic for a
    _close(s2s.grad(f)(x=0.4, a=0.3), num(0.4, 0.3))  # by keyword: generic
    _close(s2s.grad(f)(0.4, dy=2.0), 2 * num(0.4))  # the seed
    value, pullback = s2s.vjp(f)(0.4, 0.3)
    _close(pullback(3.0), 3 * num(0.4, 0.3))
    d, aux = s2s.grad(with_aux, has_aux=True)(0.4, 0.3)
    _close(d, num(0.4, 0.3))
    assert aux == {"y": f(0.4, 0.3)}


def test_grad_of_grad_and_hvp_of_floats():
    def f(x, a):
        return x * x * x * a + math.sin(x * a)

    d2 = s2s.grad(s2s.grad(f))
    assert math.isclose(d2(0.7, 0.3), 6 * 0.7 * 0.3 - 0.09 * math.sin(0.21), rel_tol=1e-9)
    assert math.isclose(s2s.hvp(f)(0.7, 0.3, 2.0), 2 * (6 * 0.7 * 0.3 - 0.09 * math.sin(0.21)), rel_tol=1e-9)
    d2y = s2s.grad(s2s.grad(f), wrt=1)
    _close(d2y(0.7, 0.3), s2s.numeric_grad(s2s.grad(f), wrt=1)(0.7, 0.3))


def test_methods():
    class Model:
        def __init__(self, k):
            self.k = k

        def loss(self, x, a):
            y = a
            for i in range(3):
                y = y * 0.5 + x * y
            return y * self.k

    m = Model(0.5)
    g = s2s.grad(m.loss)
    assert isinstance(g, types.MethodType)
    _close(g(0.7, 0.3), s2s.numeric_grad(m.loss)(0.7, 0.3))
    _close(g(np.array([0.7]), 0.3), s2s.numeric_grad(m.loss)(np.array([0.7]), 0.3))
    assert "shape_of" not in s2s.source(g, 0.7, 0.3) and "shape_of" in s2s.source(g)


# ---------------------------------------------------------------- what grad returns is unchanged

def test_grad_returns_a_plain_function_with_the_generic_source():
    g = s2s.grad(scalar_loop)
    assert isinstance(g, types.FunctionType)
    assert g is s2s.grad(scalar_loop) is s2s.grad(scalar_loop, wrt=[0])
    assert str(inspect.signature(g)) == "(x, a, *, dy=1.0)"
    assert textwrap.dedent(inspect.getsource(g)) == s2s.source(g) == g.__wrapped__.s2s_source
    assert inspect.getsourcefile(g) == inspect.getsourcefile(g.__wrapped__)
    assert g.__name__ == "dscalar_loop_dx" and g.s2s_seed == "dy"
    with pytest.raises(TypeError):
        g(0.7, 0.3, 1.0)   # an extra positional argument


def test_a_traceback_through_the_dispatcher_names_the_generated_function():
    def f(x, y):
        return x * y

    g = s2s.grad(f)
    with pytest.raises(TypeError) as info:
        g(np.ones(2), "a")
    names = [e.name for e in info.traceback]
    assert "dispatch" not in names and names.count("df_dx") >= 1


def test_verbose_prints_generic_code_unless_the_primal_has_type_hints(capsys):
    s2s.compiler.clear_cache()
    s2s.grad(scalar_loop, verbose=1)
    assert "unbroadcast" in capsys.readouterr().out
    s2s.grad(hinted, verbose=1)
    out = capsys.readouterr().out
    assert "def dhinted_dx" in out and "unbroadcast" not in out and "init_grad" not in out
    g = s2s.grad(hinted)
    assert "init_grad" in s2s.source(g)   # the generic code is what the function's source is
    _close(g(0.7, 0.3), s2s.numeric_grad(hinted)(0.7, 0.3))
    _close(g(np.array([0.7, 0.1]), 0.3), s2s.numeric_grad(hinted)(np.array([0.7, 0.1]), 0.3))


def test_cli_prints_code_for_type_hints(tmp_path):
    (tmp_path / "m.py").write_text(textwrap.dedent('''
        import numpy as np
        def hinted(x: float, a: float):
            y = a
            for i in range(5):
                y = y * 0.5 + np.tanh(x * y)
            return y
        def plain(x, a):
            y = a
            for i in range(5):
                y = y * 0.5 + np.tanh(x * y)
            return y
    '''))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, str(tmp_path)]), S2S_CACHE="0")
    out = {}
    for name in ("hinted", "plain"):
        run = subprocess.run([sys.executable, "-m", "s2s", f"{tmp_path / 'm.py'}:{name}"], capture_output=True,
                             text=True, env=env, check=False)
        assert run.returncode == 0, run.stderr
        out[name] = run.stdout
    assert "unbroadcast" not in out["hinted"] and "init_grad" not in out["hinted"]
    assert "init_grad" in out["plain"]


def test_the_signature_is_part_of_the_disk_cache_key():
    # in a fresh process: rules other tests register in this one cannot be named, which makes every key None
    script = textwrap.dedent('''
        import sys
        sys.path.insert(0, "tests")
        import test_specialize as t
        from s2s import cache, compiler
        generic = compiler.Request(t.scalar_loop, ("x",))
        special = compiler.Request(t.scalar_loop, ("x",), sig=(("x", "float"), ("a", "float")))
        print(cache.request_key(generic), cache.request_key(special))
    ''')
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False,
                         env=dict(os.environ, PYTHONPATH=ROOT))
    assert run.returncode == 0, run.stderr
    k1, k2 = run.stdout.split()
    assert k1 != "None" and k2 != "None" and k1 != k2


def test_a_second_process_loads_the_specialized_code(tmp_path):
    (tmp_path / "m.py").write_text(textwrap.dedent('''
        import numpy as np
        def loop(x, a):
            y = a
            for i in range(10):
                y = y * 0.9 + np.sin(x * y) * 0.1
            return y
    '''))
    run_py = textwrap.dedent('''
        import json, numpy as np, s2s
        from s2s import cache
        import m
        g = s2s.grad(m.loop)
        out = {"float": g(0.7, 0.3), "array": g(np.array([0.7, 0.2]), 0.3).tolist(),
               "float_src": s2s.source(g, 0.7, 0.3), "stats": cache.stats}
        print(json.dumps(out))
    ''')
    (tmp_path / "run.py").write_text(run_py)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), ROOT]), S2S_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("S2S_CACHE", None)
    import json
    outs = []
    for _ in range(2):
        run = subprocess.run([sys.executable, "run.py"], cwd=tmp_path, capture_output=True, text=True, env=env,
                             check=False)
        assert run.returncode == 0, run.stderr
        outs.append(json.loads(run.stdout.strip().splitlines()[-1]))
    first, second = outs
    assert first["stats"]["stores"] >= 2 and second["stats"]["stores"] == 0 and second["stats"]["hits"] >= 2
    assert first["float"] == second["float"] and first["array"] == second["array"]
    assert "unbroadcast" not in second["float_src"] and first["float_src"] == second["float_src"]
