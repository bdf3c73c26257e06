"""Real programs, session 5 of issue 11: callees that change their arguments and return them
(autograd's fluidsim.py), generators consumed by next()/zip/`yield from`, objects of plain classes
built from values that carry gradients, functools.reduce, f(*xs). Every program is checked against
central finite differences in reverse mode, forward mode and hvp (``check_all``)."""
import functools

import numpy as np
import pytest

import s2s
from tests.test_real_programs import check_all
import tests.test_real_programs as _trp

rng = np.random.default_rng(511)


def check_all_copying(f, *args, **kw):
    """check_all for a program that changes its arguments in place, as the primal does in Python: the
    finite differences call it on copies (s2s's gradient never changes the caller's arrays)."""
    before = [a.copy() for a in args]
    orig = _trp.fd_grad

    def fd(g, a, wrt, eps=1e-6):
        return orig(lambda *xs: g(*[x.copy() for x in xs]), a, wrt, eps)
    _trp.fd_grad = fd
    try:
        check_all(f, *args, **kw)
    finally:
        _trp.fd_grad = orig
    for a, b in zip(args, before):
        assert np.array_equal(a, b), "the gradient changed its argument"


# ---------------------------------------------------------------- autograd's fluidsim.py, unchanged
ROWS, COLS = 6, 6


def project(vx, vy):
    """Project the velocity field to be approximately mass-conserving,
       using a few iterations of Gauss-Seidel."""
    p = np.zeros(vx.shape)
    h = 1.0/vx.shape[0]
    div = -0.5 * h * (np.roll(vx, -1, axis=0) - np.roll(vx, 1, axis=0)
                      + np.roll(vy, -1, axis=1) - np.roll(vy, 1, axis=1))

    for k in range(10):
        p = (div + np.roll(p, 1, axis=0) + np.roll(p, -1, axis=0)
             + np.roll(p, 1, axis=1) + np.roll(p, -1, axis=1))/4.0

    vx -= 0.5*(np.roll(p, -1, axis=0) - np.roll(p, 1, axis=0))/h
    vy -= 0.5*(np.roll(p, -1, axis=1) - np.roll(p, 1, axis=1))/h
    return vx, vy


def advect(f, vx, vy):
    """Move field f according to x and y velocities (u and v)
       using an implicit Euler integrator."""
    rows, cols = f.shape
    cell_ys, cell_xs = np.meshgrid(np.arange(rows), np.arange(cols))
    center_xs = (cell_xs - vx).ravel()
    center_ys = (cell_ys - vy).ravel()

    # Compute indices of source cells.
    left_ix = np.floor(center_xs).astype(int)
    top_ix = np.floor(center_ys).astype(int)
    rw = center_xs - left_ix              # Relative weight of right-hand cells.
    bw = center_ys - top_ix               # Relative weight of bottom cells.
    left_ix = np.mod(left_ix, rows)       # Wrap around edges of simulation.
    right_ix = np.mod(left_ix + 1, rows)
    top_ix = np.mod(top_ix, cols)
    bot_ix = np.mod(top_ix + 1, cols)

    # A linearly-weighted sum of the 4 surrounding cells.
    flat_f = (1 - rw) * ((1 - bw)*f[left_ix, top_ix] + bw*f[left_ix, bot_ix]) \
        + rw * ((1 - bw)*f[right_ix, top_ix] + bw*f[right_ix, bot_ix])
    return np.reshape(flat_f, (rows, cols))


def plot_matrix(ax, mat, t, render=False):   # matplotlib's: in a branch that never runs here
    ax.clear()
    ax.imshow(mat, interpolation="nearest")
    ax.set_title(str(t))
    if render:
        ax.figure.canvas.draw()


def simulate(vx, vy, smoke, num_time_steps, ax=None, render=False):
    for t in range(num_time_steps):
        if ax: plot_matrix(ax, smoke, t, render)   # noqa: E701
        vx_updated = advect(vx, vx, vy)
        vy_updated = advect(vy, vx, vy)
        vx, vy = project(vx_updated, vy_updated)
        smoke = advect(smoke, vx, vy)
    if ax: plot_matrix(ax, smoke, num_time_steps, render)   # noqa: E701
    return smoke


INIT_SMOKE = rng.random((ROWS, COLS))
TARGET = rng.random((ROWS, COLS))


def distance_from_target_image(smoke):
    return np.mean((TARGET - smoke)**2)


def convert_param_vector_to_matrices(params):
    vx = np.reshape(params[:(ROWS*COLS)], (ROWS, COLS))
    vy = np.reshape(params[(ROWS*COLS):], (ROWS, COLS))
    return vx, vy


def fluid_objective(params):
    init_vx, init_vy = convert_param_vector_to_matrices(params)
    final_smoke = simulate(init_vx, init_vy, INIT_SMOKE, 3)
    return distance_from_target_image(final_smoke)


def project_own_arrays(v):
    vx = np.sin(v)
    vy = np.cos(v)
    vx, vy = project(vx, vy)
    return np.sum(vx * vy)


def project_parameters(vx, vy):   # the caller's arrays: copied first, never changed
    vx, vy = project(vx, vy)
    return np.sum(vx * vy ** 2)


def project_into_new_names(vx, vy):   # vx and a are one array after the call, as in Python
    a, b = project(vx, vy)
    return np.sum(a * vy + vx)


def project_as_a_statement(v):
    vx = v * 1.0
    vy = v ** 2
    project(vx, vy)
    return np.sum(vx ** 2 + vy)


def project_of_an_alias(v):
    vx = v * 1.0
    vy = v * 2.0
    keep = vx
    vx2, vy2 = project(vx, vy)
    return np.sum(keep * vy2 + vx2)


def test_fluidsim_objective():
    check_all(fluid_objective, rng.standard_normal(2 * ROWS * COLS) * 0.1)


@pytest.mark.parametrize("f", [project_own_arrays, project_as_a_statement])
def test_callee_changing_its_arguments_and_returning_them(f):
    check_all_copying(f, rng.standard_normal((ROWS, COLS)))


@pytest.mark.parametrize("f", [project_parameters, project_into_new_names])
@pytest.mark.parametrize("wrt", [0, 1])
def test_callee_changing_the_callers_parameters(f, wrt):
    check_all_copying(f, rng.standard_normal((ROWS, COLS)), rng.standard_normal((ROWS, COLS)), wrt=wrt)


def test_callee_changing_an_array_with_another_name_refuses():
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)line \d+, in project_of_an_alias.*vx2, vy2 = project"):
        s2s.grad(project_of_an_alias)(np.ones((3, 3)))


def test_project_is_inlined_readably():
    """The callee's body is inlined on the caller's arrays: no `vx = vx` for the returned arguments."""
    src = s2s.source(s2s.grad(project_own_arrays))
    assert "project(" not in src
    assert not any(l.split("#")[0].strip() in ("vx = vx", "vy = vy") for l in src.splitlines())


# ---------------------------------------------------------------- generators: next(), zip(), yield from
def unpack_layers(params):   # autograd's bayesian_neural_net.py style
    for W, b in params:
        yield W, b


def layer_products(params):
    for W, b in params:
        yield np.tanh(W) * b


def all_layers(params):
    yield from unpack_layers(params)
    yield params[0][0].T, params[0][1] * 2.0


def mlp_first_by_next(params, x):   # the first layer taken with next(), the rest by a for loop
    layers = unpack_layers(params)
    W, b = next(layers)
    h = np.tanh(x @ W + b)
    for W, b in layers:
        h = np.tanh(h @ W + b)
    return np.sum(h ** 2)


def next_with_default(params, x):
    g = unpack_layers(params)
    first = next(g)
    second = next(g, None)
    s = np.sum(first[0] @ x.T)
    if second is not None:
        s = s + np.sum(second[0] * second[1][0])
    third = next(g, (x[0], x[1]))
    fourth = next(g, (x[0], x[1]))   # past the end: the default
    return s * np.sum(third[0]) + np.sum(fourth[1] ** 2)


def next_in_a_loop(params, x):   # an RNN stepping through its layers one next() per step
    g = layer_products(params)
    h = x[0]
    for t in range(len(params)):
        h = np.tanh(h @ next(g) + x[t % 2])
    return np.sum(h ** 2)


def zip_of_a_generator(params, x):
    s = 0.0
    for P, (W, b) in zip(layer_products(params), params):
        s = s + np.sum(np.sin(P @ W) * b)
    return s


def zip_with_the_generator_second(params, x):
    s = 0.0
    for row, (W, b) in zip(x, unpack_layers(params)):   # x has 2 rows: zip stops after two layers
        s = s + np.sum(np.tanh(row @ W + b))
    return s


def yield_from_a_generator(params, x):
    h = x
    for W, b in all_layers(params):
        h = np.tanh(h @ W + b)
    return np.sum(h ** 2)


def generator_expression_in_a_sum(params, x):
    return sum(np.sum(P ** 2) for P in layer_products(params))


PARAMS = [(rng.standard_normal((3, 3)) * 0.5, rng.standard_normal(3) * 0.5) for _ in range(3)]
XS = rng.standard_normal((2, 3))


@pytest.mark.parametrize("f", [mlp_first_by_next, next_with_default, next_in_a_loop, zip_of_a_generator,
                               zip_with_the_generator_second, yield_from_a_generator,
                               generator_expression_in_a_sum])
@pytest.mark.parametrize("wrt", [0, 1])
def test_generators(f, wrt):
    check_all(f, PARAMS, XS, wrt=wrt)


def next_past_the_end(params, x):
    g = unpack_layers(params)
    for _ in range(5):
        W, b = next(g)
    return np.sum(W * x)


def test_next_past_the_end_raises_stop_iteration_as_python_does():
    with pytest.raises(StopIteration):
        next_past_the_end(PARAMS, XS)
    with pytest.raises(StopIteration):
        s2s.grad(next_past_the_end)(PARAMS, XS)


def test_zip_with_a_generator_and_a_dict_refuses_when_it_runs():
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)zip\(layer_products\(params\), params\).*dict"):
        s2s.grad(zip_of_a_generator)({0: PARAMS[0], 1: PARAMS[1]}, XS)


def noisy_layers(params):
    for W, b in params:
        yield W + 0.1 * np.random.randn(*W.shape), b


def next_of_a_noisy_generator(params, x):   # running it ahead would change the order of the draws
    g = noisy_layers(params)
    W, b = next(g)
    return np.sum(W * b)


def running_total():
    total = 0.0
    while True:
        v = yield total
        total = total + v


def sent_into_a_generator(x):
    g = running_total()
    next(g)
    return g.send(x * 2.0)


def test_generators_s2s_cannot_run_ahead_refuse_naming_the_call_and_the_yield():
    with pytest.raises(s2s.DifferentiationError,
                       match=r"(?s)in next_of_a_noisy_generator\n    g = noisy_layers\(params\)\n.*in noisy_layers\n"
                             r"    yield .*Append the items to a list"):
        s2s.grad(next_of_a_noisy_generator)(PARAMS, XS)
    for run in (lambda: s2s.grad(sent_into_a_generator)(1.5), lambda: s2s.jvp(sent_into_a_generator)(1.5, 1.0)):
        with pytest.raises(s2s.DifferentiationError,
                           match=r"(?s)return g.send\(x \* 2.0\)\nvalues sent into a generator.*as arguments"):
            run()


def test_next_reads_a_list_the_generator_filled():
    src = s2s.source(s2s.grad(mlp_first_by_next, wrt=1))
    assert "layers_items[layers_pos]" in src and "unpack_layers(" not in src


# ---------------------------------------------------------------- objects built from values carrying gradients
class Dense:
    def __init__(self, W, b):
        self.W = W * 2.0      # derived from the parameters
        self.b = b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


class Holder:
    def __init__(self, a, b):
        self.a = a
        self.b = b


def make_holder(W):
    return Holder(np.sin(W), W ** 2)


def layer_built_inside(W, b):
    layer = Dense(W, b)
    return np.sum(layer(XS) ** 2)


def two_layers_built_inside(W, b):
    first = Dense(W, b)
    second = Dense(W.T, -b)
    return np.sum(second(first(XS)) ** 2)


def object_returned_by_a_helper(W, b):
    o = make_holder(W)
    return np.sum(o.a * o.b + b)


@pytest.mark.parametrize("f", [layer_built_inside, two_layers_built_inside, object_returned_by_a_helper])
@pytest.mark.parametrize("wrt", [0, 1])
def test_objects_built_from_values_carrying_gradients(f, wrt):
    check_all(f, rng.standard_normal((3, 3)) * 0.5, rng.standard_normal(3) * 0.5, wrt=wrt)


def test_an_object_built_inside_is_taken_apart():
    src = s2s.source(s2s.grad(layer_built_inside))
    assert "Dense" not in src and "__call__" not in src


# ---------------------------------------------------------------- a refusal inside a callee names the call site
def helper_with_exec(x):
    exec("pass")
    return x * 2.0


def calls_a_refused_helper(x):
    y = np.sin(x)
    return helper_with_exec(y)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_refusal_in_a_callee_names_the_call_site_then_the_callee(mode):
    run = (lambda: s2s.grad(calls_a_refused_helper)(1.0)) if mode == "reverse" \
        else (lambda: s2s.jvp(calls_a_refused_helper)(1.0, 1.0))
    with pytest.raises(s2s.DifferentiationError,
                       match=r"(?s)line \d+, in calls_a_refused_helper\n    return helper_with_exec\(y\)\n"
                             r"File .*line \d+, in helper_with_exec\n    exec\(\"pass\"\)"):
        run()


# ---------------------------------------------------------------- hvp of a loop over part of a list of (W, b)
def loop_over_a_slice(params, x):
    s = 0.0
    for W, b in params[1:]:
        s = s + np.sum(np.tanh(x @ W + b))
    return s


def test_hvp_of_a_loop_over_a_slice_of_a_list_of_tuples():   # tangent_like of a ragged list crashed
    check_all(loop_over_a_slice, PARAMS, XS)


# ---------------------------------------------------------------- functools.reduce
import operator  # noqa: E402


def chain_product(ws):   # a matrix chain, as written with reduce
    return np.sum(functools.reduce(lambda a, b: a @ b, ws))


def _scaled_sum(acc, w):
    return acc + np.tanh(w) * 0.5


def reduce_of_a_function_with_initial(ws):
    return np.sum(functools.reduce(_scaled_sum, ws, np.zeros((3, 3))) ** 2)


def reduce_of_an_operator(ws):
    return np.sum(functools.reduce(operator.mul, ws))


def reduce_inside_a_loop(ws):
    total = 0.0
    for k in range(1, len(ws) + 1):
        total = total + np.sum(functools.reduce(np.dot, ws[:k]))
    return total


def reduce_of_a_parameter(f, ws):
    return np.sum(functools.reduce(f, ws))


WS = [rng.standard_normal((3, 3)) * 0.5 for _ in range(3)]


@pytest.mark.parametrize("f", [chain_product, reduce_of_a_function_with_initial, reduce_of_an_operator,
                               reduce_inside_a_loop])
def test_functools_reduce(f):
    check_all(f, WS)


def test_reduce_of_a_function_parameter_goes_through_a_pullback():
    f = lambda ws: reduce_of_a_parameter(_scaled_sum, ws)   # noqa: E731
    want = s2s.grad(lambda ws: np.sum(functools.reduce(_scaled_sum, ws)))(WS)
    got = s2s.grad(reduce_of_a_parameter, wrt=1)(_scaled_sum, WS)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    check_all(f, WS)


def test_reduce_of_nothing_raises_as_python_does():
    with pytest.raises(TypeError, match="empty"):
        s2s.grad(chain_product)([])


# ---------------------------------------------------------------- f(*xs) with xs built in the function
def rnn_cell(W, h, x, b):
    return np.tanh(np.hstack((h, x)) @ W + b)


def rnn_with_spread_arguments(W, b):   # the cell's arguments gathered in a list, spread into the call
    h = np.zeros(2)
    for x in XS[:2]:
        args = [W, h, x[:1]]
        h = rnn_cell(*args, b)
    return np.sum(h ** 2)


def add3(a, b, c):
    return a * b + c


def spread_tuple_and_dict(W, b):
    xs = (W, np.sin(W))
    kw = {"c": b ** 2}
    return np.sum(add3(*xs, **kw)) + np.sum(add3(*[b, b], **{"c": W}))


def spread_of_a_display_changed_later(W, b):
    xs = [W, b]
    xs.append(W)
    return np.sum(add3(*xs))


@pytest.mark.parametrize("f", [rnn_with_spread_arguments, spread_tuple_and_dict])
@pytest.mark.parametrize("wrt", [0, 1])
def test_spread_arguments_carrying_gradients(f, wrt):
    W = rng.standard_normal((3, 2)) * 0.5 if f is rnn_with_spread_arguments else rng.standard_normal((2, 2))
    check_all(f, W, rng.standard_normal(2) * 0.5, wrt=wrt)


def test_spread_of_a_list_that_changes_refuses_with_the_fix():
    with pytest.raises(s2s.DifferentiationError,
                       match=r"(?s)add3\(\*xs\).*cannot tell how many.*f\(xs\[0\], xs\[1\]\)"):
        s2s.grad(spread_of_a_display_changed_later)(np.ones((2, 2)), np.ones(2))


def _grow(xs, v):
    xs.append(v)


def _add_all(*a):
    return sum(a)


def spread_of_a_list_a_helper_grows(W, b):   # three items by the time of the call, not the display's two
    xs = [W, np.sin(W)]
    _grow(xs, W ** 2)
    return np.sum(_add_all(*xs))


def test_spread_of_a_list_passed_to_a_helper_is_not_taken_for_the_display():
    with pytest.raises(s2s.DifferentiationError, match="cannot tell how many"):
        s2s.grad(spread_of_a_list_a_helper_grows)(np.ones((2, 2)), np.ones(2))


def next_inside_a_lambda(params, x):   # g used where s2s does not rewrite it: not run ahead
    g = layer_products(params)
    take = lambda: next(g)   # noqa: E731
    return np.sum(take() * take())


def test_a_generator_used_inside_a_lambda_is_refused():
    with pytest.raises(s2s.DifferentiationError, match=r"(?s)g = layer_products\(params\).*yield"):
        s2s.grad(next_inside_a_lambda)(PARAMS, XS)


# ---------------------------------------------------------------- refusals in code s2s inlined name both lines
def _step_with_exec(state, dt):
    state += dt * np.tanh(state)
    exec("pass")


def inlined_step_refused(x):
    s = np.sin(x)
    _step_with_exec(s, 0.1)
    return np.sum(s)


def _frexp_layers(ws):
    for w in ws:
        yield np.frexp(w)[0]


def inlined_generator_refused(ws):
    t = 0.0
    for v in _frexp_layers(ws):
        t = t + np.sum(v)
    return t


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_refusal_in_inlined_code_names_the_call_then_the_callees_line(mode):
    cases = [(inlined_step_refused, np.ones(3), r"in inlined_step_refused\n    _step_with_exec\(s, 0.1\)\n"
              r"File .*line \d+, in _step_with_exec\n    exec\(\"pass\"\)\n`exec` cannot"),
             (inlined_generator_refused, [np.ones(2)], r"in inlined_generator_refused\n    for v in _frexp_layers\(ws\):\n"
              r"File .*line \d+, in _frexp_layers\n    yield np.frexp\(w\)\[0\]\ns2s has no")]
    for f, a, pattern in cases:
        with pytest.raises(s2s.DifferentiationError, match=pattern):
            s2s.grad(f)(a) if mode == "reverse" else s2s.jvp(f)(a, a)
