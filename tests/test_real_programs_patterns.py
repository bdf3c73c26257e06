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


def simulate(vx, vy, smoke, num_time_steps, ax=None, render=False):
    for t in range(num_time_steps):
        if ax:
            print(ax, smoke, t, render)
        vx_updated = advect(vx, vx, vy)
        vy_updated = advect(vy, vx, vy)
        vx, vy = project(vx_updated, vy_updated)
        smoke = advect(smoke, vx, vy)
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
