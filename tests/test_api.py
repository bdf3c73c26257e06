"""The public API of DESIGN.md section 1 (reverse mode)."""
import inspect
import math
import subprocess
import sys
import textwrap
import traceback

import numpy as np
import pytest

import s2s
from s2s import compiler


def fun(x, y):
    z = x ** 2 + 3 * x * y + y ** 2
    return z


def poly(a):
    return a ** 2 + 2 * a + 1


def with_default(x, scale=3.0):
    return scale * x * x


def two_out(x, y):
    return x * y, x + y


def elementwise(x):
    return np.sin(x) * x


def test_grad_wrt_forms():
    assert s2s.grad(fun)(2.0, 1.0) == pytest.approx(7.0)
    assert s2s.grad(fun, wrt=0)(2.0, 1.0) == pytest.approx(7.0)
    assert s2s.grad(fun, wrt=[1])(0.0, 5.0) == pytest.approx(10.0)
    assert s2s.grad(fun, wrt="y")(0.0, 5.0) == pytest.approx(10.0)
    assert s2s.grad(fun, wrt=(0, 1))(1.0, 2.0) == pytest.approx((8.0, 7.0))
    assert s2s.grad(fun, wrt=["y", "x"])(1.0, 2.0) == pytest.approx((7.0, 8.0))
    assert s2s.grad(fun, wrt=-1)(0.0, 5.0) == pytest.approx(10.0)


def test_keyword_call_and_defaults():
    g = s2s.grad(fun, wrt=[1])
    assert g(x=0.0, y=5.0) == pytest.approx(10.0)
    dw = s2s.grad(with_default)
    assert dw(2.0) == pytest.approx(12.0)
    assert dw(2.0, 1.0) == pytest.approx(4.0)
    assert dw(2.0, scale=1.0) == pytest.approx(4.0)


def test_seed_argument():
    g = s2s.grad(fun)
    assert g(2.0, 1.0, dz=2.0) == pytest.approx(14.0)
    x = np.array([1.0, 2.0, 3.0])
    de = s2s.grad(elementwise)
    want = np.cos(x) * x + np.sin(x)
    np.testing.assert_allclose(de(x), want)              # scalar seed -> ones
    seed = np.array([1.0, 0.0, 2.0])
    np.testing.assert_allclose(de(x, **{de.s2s_seed: seed}), want * seed)


def test_seed_is_keyword_only():
    """issue 9 item 6: an extra positional argument is a TypeError, never the seed."""
    def sq(x):
        return x ** 2

    g = s2s.grad(sq)
    assert g(3.0) == pytest.approx(6.0)
    with pytest.raises(TypeError):
        g(3.0, 5.0)
    assert "*, " in inspect.getsource(g).splitlines()[0]
    assert g(3.0, **{g.s2s_seed: 5.0}) == pytest.approx(30.0)
    with pytest.raises(TypeError):
        s2s.value_and_grad(sq)(3.0, 5.0)
    with pytest.raises(TypeError):
        s2s.grad(with_default)(2.0, 1.0, 5.0)
    dd = s2s.grad(s2s.grad(sq))          # grad of a gradient: its outer seed is keyword-only too
    assert dd(3.0) == pytest.approx(2.0)
    with pytest.raises(TypeError):
        dd(3.0, 1.0)


def test_tuple_output_seed():
    g = s2s.grad(two_out, wrt=(0, 1))
    with pytest.raises(s2s.DifferentiationError, match="has_aux"):   # never summed silently
        g(2.0, 3.0)
    assert g(2.0, 3.0, dresult=(1.0, 1.0)) == pytest.approx((3.0 + 1.0, 2.0 + 1.0))
    assert g(2.0, 3.0, dresult=(1.0, 0.0)) == pytest.approx((3.0, 2.0))
    assert g(2.0, 3.0, dresult=(0.0, 2.0)) == pytest.approx((2.0, 2.0))


def test_decorator_forms():
    @s2s.grad
    def cube(x):
        return x * x * x

    assert cube(2.0) == pytest.approx(12.0)

    @s2s.grad(wrt=(0, 1))
    def loss(w, b, x):
        return (w * x + b) ** 2

    assert loss(1.0, 0.5, 2.0) == pytest.approx((2 * 2.5 * 2.0, 2 * 2.5))


def test_value_and_grad():
    vg = s2s.value_and_grad(fun, wrt=(0, 1))
    value, (gx, gy) = vg(1.0, 2.0)
    assert value == pytest.approx(fun(1.0, 2.0))
    assert (gx, gy) == pytest.approx((8.0, 7.0))
    v, g = s2s.value_and_grad(poly)(3.0)
    assert (v, g) == pytest.approx((16.0, 8.0))


def test_autodiff_reverse():
    assert s2s.autodiff(fun, wrt=1, mode="reverse")(0.0, 5.0) == pytest.approx(10.0)
    with pytest.raises(ValueError):
        s2s.autodiff(fun, mode="sideways")


def test_gradient_type_and_shape():
    g = s2s.grad(poly)
    assert type(g(3)) is float or isinstance(g(3), float)
    assert g(3) == pytest.approx(8.0)
    x = np.arange(6.0).reshape(2, 3)
    out = g(x)
    assert isinstance(out, np.ndarray) and out.shape == (2, 3)
    out32 = s2s.grad(elementwise)(x.astype(np.float32))
    assert out32.dtype == np.float32


def sum_sq(x):
    return np.sum(x ** 2)


def test_array_argument_not_mutated():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    s2s.grad(sum_sq)(x)
    np.testing.assert_array_equal(x, before)


def test_cache_returns_same_function():
    assert s2s.grad(fun, wrt=1) is s2s.grad(fun, wrt=[1])
    assert s2s.grad(fun) is not s2s.grad(fun, wrt=1)


def test_getsource_and_verbose(capsys):
    g = s2s.grad(poly, verbose=1)
    printed = capsys.readouterr().out
    assert "def dpoly_da" in printed
    src = textwrap.dedent(inspect.getsource(g))
    assert src.strip() == printed.strip()
    compile(src, "<check>", "exec")
    assert s2s.source(g) == g.s2s_source


def failing_log(x):
    y = x * 2.0
    return np.sum(np.log(y))


def test_traceback_points_into_generated_source():
    g = s2s.grad(failing_log)
    with np.errstate(all="raise"):
        with pytest.raises(FloatingPointError) as info:
            g(np.array([0.0, 1.0]))
    frames = traceback.extract_tb(info.tb)
    gen = [f for f in frames if f.name == g.__name__]
    assert gen, frames
    assert gen[-1].line  # the generated line text is shown in tracebacks


def cube_fn(x):
    return x ** 3


@s2s.adjoint(cube_fn)
def _cube_rule(result, x):
    d[x] = d[result] * 3 * x * x  # noqa: F821


def uses_cube(x):
    return cube_fn(x) * 2.0


def test_user_adjoint_is_used():
    g = s2s.grad(uses_cube)
    assert g(2.0) == pytest.approx(24.0)
    assert "3 * x * x" in g.s2s_source
    assert "dcube" not in g.s2s_source  # the rule, not a differentiated copy of cube_fn


def clipped(x):
    y = x * 3.0
    with s2s.insert_grad_of(y) as dy:
        dy = np.clip(dy, -1.0, 1.0)
    return y * 5.0


def test_insert_grad_of_runs_in_backward():
    assert s2s.grad(clipped)(2.0) == pytest.approx(3.0)        # clip(5) * 3
    assert clipped(2.0) == pytest.approx(30.0)                  # plain call unaffected


def stopped(x):
    return s2s.stop_gradient(x * 2) * x


def test_stop_gradient():
    assert s2s.grad(stopped)(3.0) == pytest.approx(6.0)
    assert stopped(3.0) == pytest.approx(18.0)


def test_numeric_and_check_grad():
    assert s2s.numeric_grad(fun, wrt=(0, 1))(1.0, 2.0) == pytest.approx((8.0, 7.0), rel=1e-5)
    s2s.check_grad(fun, 1.0, 2.0, wrt=(0, 1))


class Model:
    def __init__(self):
        self.w = 3.0

    def loss(self, x):
        return self.w * x * x


def test_bound_method():
    m = Model()
    g = s2s.grad(m.loss)
    assert g(2.0) == pytest.approx(12.0)


def test_cli_prints_and_writes(tmp_path):
    src = tmp_path / "prog.py"
    src.write_text("import numpy as np\n\ndef f(x, y):\n    return np.sin(x) * y\n")
    out = subprocess.run([sys.executable, "-m", "s2s", f"{src}:f", "--wrt", "0,1"],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith('"""df_dx_dy: the derivative of prog.py:f.') and "\ndef df_dx_dy(x, y" in out  # a whole module
    target = tmp_path / "gen.py"
    subprocess.run([sys.executable, "-m", "s2s", f"{src}:f", "-o", str(target)], check=True,
                   capture_output=True, text=True, cwd=tmp_path)
    ns = {}
    sys.path.insert(0, str(tmp_path))
    try:
        exec(compile(target.read_text(), str(target), "exec"), ns)
    finally:
        sys.path.remove(str(tmp_path))
    assert ns["df_dx"](0.0, 2.0) == pytest.approx(2.0)


def test_cli_reports_errors(tmp_path):
    src = tmp_path / "bad.py"
    src.write_text("def f(x):\n    global G\n    G = x\n    return G\n")   # a gradient through a global: refused
    r = subprocess.run([sys.executable, "-m", "s2s", f"{src}:f"], capture_output=True, text=True)
    assert r.returncode != 0
    assert "line 3" in r.stderr and "global" in r.stderr


def test_readme_tour_output_is_current():
    """The README shows real output: the CLI block must match what s2s prints today."""
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text()
    block = re.search(r"\$ python -m s2s examples/loops_and_branches.py:series\n(.*?)```", readme, re.S).group(1)
    out = subprocess.run([sys.executable, "-m", "s2s", "examples/loops_and_branches.py:series"], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    assert out == block


# ---------------------------------------------------------------- issue 9: API defects

def _loss_with_default(w, lam=0.1):
    return np.sum(w ** 2) + lam * np.sum(w ** 4)


def test_tangent_is_the_last_argument_with_a_defaulted_parameter():
    """hvp(loss)(w, v) with ``def loss(w, lam=0.1)``: v is the tangent, not lam (DESIGN.md: the tangent
    comes last). The trailing positional arguments are the tangents once the required ones are given."""
    w, v = np.array([1.0, 2.0]), np.array([1.0, 0.0])
    hess = lambda lam: np.diag(2 + 12 * lam * w ** 2)   # noqa: E731
    np.testing.assert_allclose(s2s.hvp(_loss_with_default)(w, v), hess(0.1) @ v)
    np.testing.assert_allclose(s2s.hvp(_loss_with_default)(w, 0.5, v), hess(0.5) @ v)
    np.testing.assert_allclose(s2s.hvp(_loss_with_default)(w, v, lam=0.5), hess(0.5) @ v)
    grad = lambda lam: 2 * w + 4 * lam * w ** 3   # noqa: E731
    assert s2s.jvp(_loss_with_default)(w, v) == pytest.approx(grad(0.1) @ v)
    assert s2s.jvp(_loss_with_default)(w, 0.5, v) == pytest.approx(grad(0.5) @ v)
    assert s2s.jvp(_loss_with_default)(w) == pytest.approx(np.sum(grad(0.1)))   # tangent 1.0
    value, t = s2s.value_and_jvp(_loss_with_default)(w, v)
    assert value == pytest.approx(_loss_with_default(w)) and t == pytest.approx(grad(0.1) @ v)
    assert s2s.autodiff(_loss_with_default, mode="forward")(w, v) == pytest.approx(grad(0.1) @ v)
    assert "def hvp_" in inspect.getsource(s2s.hvp(_loss_with_default))   # still the generated source
    with pytest.raises(TypeError):
        s2s.jvp(_loss_with_default)(w, v, dw=v)


def test_lambdas_with_defaults_made_in_a_comprehension():
    """``[s2s.grad(lambda x, k=k: x ** k) for k in ...]`` raised NameError inside generated code."""
    grads = [s2s.grad(lambda x, k=k: x ** k) for k in (2, 3)]
    assert [g(2.0) for g in grads] == [4.0, 12.0]
    jvps = [s2s.jvp(lambda x, k=k: x ** k) for k in (2, 3)]
    assert [g(2.0) for g in jvps] == [4.0, 12.0]
    hvps = [s2s.hvp(lambda x, k=k: x ** k) for k in (2, 3)]
    assert [g(2.0, 1.0) for g in hvps] == [2.0, 12.0]
    scale = np.array([1.0, 3.0])
    fs = [lambda x, c=c, s=scale: np.sum(x * s) * c for c in (2.0, np.float64(5.0))]
    assert [s2s.grad(f)(np.ones(2)).tolist() for f in fs] == [[2.0, 6.0], [5.0, 15.0]]


def _imports_numpy(x):
    import numpy as npl
    from math import pi
    return npl.sum(npl.sin(x)) * pi


def _imports_and_assigns(x):
    import numpy as npl
    npl = np
    return npl.sum(x)


def test_import_inside_the_function():
    """``import numpy as npl`` inside the function gave zero gradients: the alias names the module."""
    x, v = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    np.testing.assert_allclose(s2s.grad(_imports_numpy)(x), np.cos(x) * np.pi)
    assert s2s.jvp(_imports_numpy)(x, v) == pytest.approx(np.cos(x) @ v * np.pi)
    np.testing.assert_allclose(s2s.hvp(_imports_numpy)(x, v), -np.sin(x) * v * np.pi)
    with pytest.raises(s2s.DifferentiationError, match="both imported and assigned"):
        s2s.grad(_imports_and_assigns)(x)
