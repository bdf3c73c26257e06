"""Soundness (issue 9): every derivative s2s returns is right, or s2s refuses with a located error.

Each repro runs in reverse mode (``grad``), forward mode (``jvp``) and
``hvp``. In each mode the outcome must be either the right number (checked
against central differences) or a ``DifferentiationError`` naming this file
and the offending line. Where the answer is known (a refusal s2s must give
until it follows the effect), the test says so too.
"""
import copy

import numpy as np
import pytest

import s2s
from s2s import DifferentiationError
from s2s.registry import d  # template notation

MODES = ("reverse", "forward", "hvp")


def _fd(f, args, wrt, v, h=1e-6):
    """Central difference of f along v in argument wrt (sum of the output, for array outputs)."""
    def at(s):
        a = copy.deepcopy(list(args))
        a[wrt] = a[wrt] + s * v
        return np.sum(f(*a))
    return (at(h) - at(-h)) / (2 * h)


def _direction(x, seed=0):
    rng = np.random.RandomState(seed)
    return rng.uniform(0.5, 1.5) if np.ndim(x) == 0 else rng.uniform(0.5, 1.5, np.shape(x))


def run(mode, f, args, wrt=0):
    """The mode's result as a number to compare, and the central-difference value it must equal."""
    args = copy.deepcopy(list(args))
    v = _direction(args[wrt])
    if mode == "reverse":
        g = s2s.grad(f, wrt=wrt)(*copy.deepcopy(args))
        return np.sum(np.asarray(g) * v), _fd(f, args, wrt, v)
    if mode == "forward":
        t = s2s.jvp(f, wrt=wrt)(*copy.deepcopy(args), v)
        return np.sum(t), _fd(f, args, wrt, v)
    hv = s2s.hvp(f, wrt=wrt)(*copy.deepcopy(args), v)
    u = _direction(args[wrt], 1)
    g = s2s.grad(f, wrt=wrt)

    def gu(s):
        a = copy.deepcopy(args)
        a[wrt] = a[wrt] + s * v
        return np.sum(np.asarray(g(*a)) * u)
    return np.sum(np.asarray(hv) * u), (gu(1e-5) - gu(-1e-5)) / 2e-5


def outcome(mode, f, args, wrt=0):
    """"ok" (right number), or the refusal's message; fails on a wrong number or any other error."""
    try:
        got, want = run(mode, f, args, wrt)
    except DifferentiationError as e:
        msg = str(e)
        assert __file__ in msg and "line" in msg, f"{mode}: refusal without the user's file and line:\n{msg}"
        return msg
    assert np.allclose(got, want, rtol=1e-4, atol=1e-6), f"{mode}: wrong number {got!r}, expected {want!r}"
    return "ok"


def sound(f, args, wrt=0, refuse=None, modes=MODES):
    """Right number or located refusal in every mode; ``refuse``: the refusal required (a message part)."""
    out = {}
    for mode in modes:
        out[mode] = outcome(mode, f, args, wrt)
        if refuse is not None:
            assert refuse in out[mode], f"{mode}: expected a refusal mentioning {refuse!r}, got {out[mode]!r}"
    return out


# ---------------------------------------------------------------- 1. unknown objects are not constants

def idx_trick(x):
    return np.sum(np.r_[x, 2.0 * x] ** 2)


def idx_trick_c(x):
    return np.sum(np.c_[x, x] ** 2)


def test_index_trick_objects_are_differentiated():
    # were refused (silently zero before that); np.r_/np.c_ have rules now (runtime.index_concat)
    for f in (idx_trick, idx_trick_c):
        assert sound(f, (np.array([1.0, 2.0]),)) == dict.fromkeys(MODES, "ok")


class _Table:
    def __getitem__(self, k):
        return k * 3.0


TABLE = _Table()


def user_getitem(x):
    return TABLE[x] * x


def test_unknown_getitem_is_refused():
    sound(user_getitem, (1.5,), refuse="TABLE")


def plain_global_array(x):
    W = np.arange(6.0)
    return np.sum(W[1:4] * x)


GLOBAL_W = np.arange(6.0)


def global_array_index(x, i):
    return GLOBAL_W[i] * x


def test_plain_indexing_still_works():
    assert sound(plain_global_array, (np.array([1.0, 2.0, 3.0]),)) == {m: "ok" for m in MODES}
    assert sound(global_array_index, (1.5, 2)) == {m: "ok" for m in MODES}


class _Scaler:
    def __call__(self, x):
        return 2.0 * x


SCALER = _Scaler()


def call_unknown_object(x):
    return SCALER(x) * x


def test_unknown_call_is_refused():
    sound(call_unknown_object, (1.5,), refuse="")


# ---------------------------------------------------------------- 2. effects on arguments

def push(s, x):
    s.append(x)


def push_pop(a):
    s = []
    push(s, a)
    return s.pop() * a


def set_one(a, b):
    a[1] = b


def helper_writes(b):
    a = np.zeros(3)
    set_one(a, b)
    return np.sum(a * a)


def test_callee_changing_a_list_argument_is_followed():
    """push is inlined (s2s/control.py): the append is followed; `s.pop()` itself has no rule in reverse mode."""
    out = sound(push_pop, (1.5,))
    assert out["forward"] == "ok"
    for mode in ("reverse", "hvp"):
        assert out[mode] == "ok" or ".pop()" in out[mode], out[mode]


def test_callee_writing_an_array_argument_is_followed():
    assert sound(helper_writes, (2.0,)) == {m: "ok" for m in MODES}


def ch_append(s, x):
    s.append(x)


def ch_extend(s, x):
    s.extend([x, x])


def ch_insert(s, x):
    s.insert(0, x)


def ch_setitem(s, x):
    s[0] = x


def ch_delitem(s, x):
    s.append(x)
    del s[0]


def ch_pop(s, x):
    s.append(x)
    s.pop(0)


def ch_remove(s, x):
    s.append(x)
    s.remove(s[0])


def ch_sort(s, x):
    s.append(x)
    s.sort()


def ch_reverse(s, x):
    s.append(x)
    s.reverse()


def ch_clear(s, x):
    s.clear()
    s.append(x)


def ch_augmented(s, x):
    s += [x]


def ch_through_alias(s, x):
    t = s
    t.append(x)


def ch_nested(s, x):
    ch_append(s, x * 2.0)


def _list_mutators():
    """One callee per list mutation: each stores or moves values in its list argument."""
    return [pytest.param(fn, id=fn.__name__) for fn in (
        ch_append, ch_extend, ch_insert, ch_setitem, ch_delitem, ch_pop, ch_remove, ch_sort, ch_reverse,
        ch_clear, ch_augmented, ch_through_alias, ch_nested)]


FOLLOWED = {"ch_append", "ch_setitem", "ch_nested"}   # inlined into the caller (s2s/control.py)


@pytest.mark.parametrize("change", _list_mutators())
def test_every_list_mutation_in_a_callee_is_followed_or_caught(change):
    def f(a):
        s = [0.5, 0.25]
        change(s, a)
        return s[0] * a + s[-1]
    out = sound(f, (1.5,))   # right number or a located refusal, in every mode
    if change.__name__ in FOLLOWED:
        assert out == {m: "ok" for m in MODES}


def inner_changes_own(a, b):
    a[1:3] = a[3] * a[3] + 1.0    # only a's own values go into a
    return a[0] + 0.5 * b + 2.0 * a[1]


def outer_passes(a, b):
    return inner_changes_own(b, a + a) * a


def test_callee_changing_an_argument_with_its_own_values_is_followed():
    x = np.array([1.19, -0.61, 1.19, 0.64])

    def f(y, x):
        return outer_passes(y, x) + y
    assert s2s.jvp(f)(-0.34, x.copy(), 1.0) == pytest.approx(_fd(f, (-0.34, x), 0, 1.0), rel=1e-6)


def set_attr(o, v):
    o.value = v


class _Holder:
    value = 0.0


HOLDER = _Holder()


def callee_sets_attribute(a):
    set_attr(HOLDER, a)
    return HOLDER.value * a


def test_callee_setting_an_attribute_of_its_argument_is_refused():
    sound(callee_sets_attribute, (1.5,), refuse="set_attr changes its argument `o`")


# ---------------------------------------------------------------- 3. object state

class _Box:
    pass


BOX = _Box()


def box_roundtrip(t):
    BOX.a = t
    return BOX.a * 2.0   # the value just stored: followed (s2s/state_paths.py follow_own_stores)


def _touch():
    BOX.touched = True


def box_roundtrip_across_a_call(t):
    BOX.a = t
    _touch()   # a function of the user's runs in between: it may change BOX.a
    return BOX.a * 2.0


def local_box_roundtrip(t):
    b = _Box()
    b.a = t
    return b.a * 2.0


class _Model:
    def __init__(self):
        self.beta = 1.0

    def penalty(self, b):
        return self.beta * b


MODEL = _Model()


def method_reads_state(b):
    MODEL.beta = b
    return MODEL.penalty(b)


class _Layer:
    def __init__(self):
        self.params = {"W": np.ones((2, 2))}

    def forward(self, X):
        return np.sum(X @ self.params["W"])


LAYER = _Layer()


def dict_on_object(W, X):
    LAYER.params["W"] = W
    return LAYER.forward(X)


GLOBAL_LIST = []


def global_list_append(a):
    GLOBAL_LIST.append(a)
    return GLOBAL_LIST[-1] * a


def test_state_stored_on_objects_and_read_back_is_refused():
    sound(box_roundtrip_across_a_call, (1.5,), refuse="stored into `BOX.a`")
    sound(dict_on_object, (np.ones((2, 2)), np.arange(4.0).reshape(2, 2)), refuse="stored into `LAYER.params")
    sound(global_list_append, (1.5,), refuse="GLOBAL_LIST")


def test_a_global_object_given_a_value_then_its_method_is_followed():
    """MODEL.beta = b; return MODEL.penalty(b): the method is inlined and reads the value set (s2s/global_objects.py;
    it was refused), in every mode against finite differences; the global changes as in Python."""
    assert sound(method_reads_state, (1.5,)) == {m: "ok" for m in MODES}
    method_reads_state(2.5)
    s2s.grad(method_reads_state)(1.25)
    assert MODEL.beta == 1.25


def test_state_of_a_local_object_is_followed():
    """b never leaves the function: its attribute is a variable (s2s/control.py)."""
    assert sound(local_box_roundtrip, (1.5,)) == {m: "ok" for m in MODES}


def test_a_store_read_back_right_away_is_followed():
    """BOX.a = t; return BOX.a * 2.0: the read takes the value just stored (it was refused)."""
    assert sound(box_roundtrip, (1.5,)) == {m: "ok" for m in MODES}


def store_not_read_back(t):
    BOX.last = t          # an effect only: nothing reads it back in the function
    return t * 3.0


def test_state_stored_and_not_read_back_is_fine():
    assert sound(store_not_read_back, (1.5,)) == {m: "ok" for m in MODES}


# ---------------------------------------------------------------- 4. rules are checked when registered

def my_sq(x):
    return x * x


def test_adjoint_that_never_assigns_a_gradient_is_rejected_at_registration():
    with pytest.raises(DifferentiationError, match=r"does not assign d\[x\]") as e:
        @s2s.adjoint(my_sq)
        def _(result, x):
            z = d[result] * 2 * x   # noqa: F841 - never assigns d[x]
    assert __file__ in str(e.value) and "line" in str(e.value)
    assert my_sq not in s2s.registry.ADJOINTS


def test_tangent_that_never_assigns_the_result_is_rejected_at_registration():
    with pytest.raises(DifferentiationError, match=r"does not assign d\[result\]") as e:
        @s2s.tangent(my_sq)
        def _(result, x):
            t = d[x] * 2 * x   # noqa: F841
    assert __file__ in str(e.value)


def test_tangent_that_ignores_a_parameter_is_rejected():
    def my_mul(x, y):
        return x * y
    with pytest.raises(DifferentiationError, match=r"never reads d\[y\]"):
        @s2s.tangent(my_mul)
        def _(result, x, y):
            d[result] = d[x] * y


def my_scale(x, n):
    return x * n


def test_declared_parameters():
    @s2s.adjoint(my_scale, nondiff=("n",))
    def _(result, x, n):
        d[x] = d[result] * n

    def f(x):
        return my_scale(x, 3.0)

    def g(x):
        return my_scale(x, x)
    try:
        assert s2s.grad(f)(2.0) == pytest.approx(3.0)
        with pytest.raises(DifferentiationError, match="parameter `n`"):
            s2s.grad(g)   # x carries a gradient into n, which the rule does not differentiate
    finally:
        s2s.registry.ADJOINTS.pop(my_scale, None)


def test_every_builtin_rule_is_well_formed():
    import scipy.integrate  # noqa: F401  (loads the lazy scipy rules)
    import scipy.linalg  # noqa: F401
    import scipy.special  # noqa: F401
    import scipy.stats  # noqa: F401
    from s2s import registry
    registry._load_lazy()
    for table, kind in ((registry.ADJOINTS, "adjoint"), (registry.TANGENTS, "tangent")):
        for key, template in list(table.items()):
            registry.check_rule(template, kind)


def einsum_sublist(a, b):
    return np.sum(np.einsum(a, [0, 1], b, [1, 2], [0, 2]))


def test_einsum_sublist_form_is_differentiated():
    # was refused (the first operand's gradient was silently zero before that); differentiated now
    a, b = np.array([[0.3, -1.2, 0.5], [2.0, 0.7, -0.4]]), np.array([[1.1, -0.6], [0.2, 0.9], [-1.3, 0.4]])
    for wrt in (0, 1):
        assert sound(einsum_sublist, (a, b), wrt=wrt) == dict.fromkeys(MODES, "ok")


# ---------------------------------------------------------------- 2b. writes, views and aliases in the function

def write_after_use(y, x):
    t = x * y
    x[0] = 1.0           # the backward sweep of t = x * y needs the old x[0]
    return np.sum(t)


def write_after_use_loop(y, x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(x * y)
        x[i] = 2.0 * i
    return s


def test_write_after_use_is_followed():
    assert sound(write_after_use, (np.array([1.0, 2.0]), np.array([3.0, 4.0]))) == {m: "ok" for m in MODES}
    assert sound(write_after_use_loop, (np.array([1.0, 2.0, 0.5]), np.array([3.0, 4.0, 5.0]))) \
        == {m: "ok" for m in MODES}


def view_then_write(x):
    t = x[1]
    x[1] = 1.0           # changes t too: t is a view of x's row
    return t[2]


def test_view_then_write():
    out = sound(view_then_write, (np.arange(12.0).reshape(3, 4),))
    assert "view" in out["reverse"]   # refused in reverse (forward follows it: tangents are views too)


def loop_changes_its_sequence(x):
    for e in x:
        x += e
    return np.sum(x)


def test_loop_over_an_array_the_body_changes():
    out = sound(loop_changes_its_sequence, (np.array([1.0, 2.0, 3.0]),))
    assert out["reverse"] != "ok" and out["forward"] != "ok"


def slice_from_itself(y):
    y[0:3] = y
    return np.sum(y * y)


def shifted_slice(y):
    y[1:4] = y[0:3] * 2.0
    return np.sum(y * y)


def test_slice_assigned_from_itself():
    assert sound(slice_from_itself, (np.array([1.0, 2.0, 3.0]),)) == {m: "ok" for m in MODES}
    assert sound(shifted_slice, (np.array([1.0, 2.0, 3.0, 4.0]),)) == {m: "ok" for m in MODES}


def alias_scaled(x):
    t = x
    x *= 0.9
    return np.sum(t)


def alias_shifted(a):
    b = a
    b += 1.0
    return np.sum(a * b)


def test_augmented_assignment_through_an_alias():
    sound(alias_scaled, (np.array([1.5, 2.0]),), refuse="may share its array")
    sound(alias_shifted, (np.array([1.5, 2.0]),), refuse="may share its array")


# ---------------------------------------------------------------- 5. more unknowns that used to be constants

def np_copyto(x):
    y = np.zeros(2)
    np.copyto(y, x)
    return np.sum(y * y)


def ufunc_out(x):
    y = np.zeros(2)
    np.multiply(x, 2.0, out=y)
    return np.sum(y * y)


def ufunc_at(x):
    y = np.zeros(3)
    np.add.at(y, [0, 0], x)
    return np.sum(y * y)


def fill_diag(x):
    A = np.zeros((2, 2))
    np.fill_diagonal(A, x)
    return np.sum(A * A)


def test_numpy_functions_writing_into_a_variable_are_differentiated():   # s2s/lowered_calls.py (issue 11)
    # (np.copyto: refused until session 14, now a[...] = v)
    for f, args in ((ufunc_out, (np.array([1.0, 2.0]),)), (ufunc_at, (1.5,)), (fill_diag, (1.5,)),
                    (np_copyto, (np.array([1.0, 2.0]),))):
        assert sound(f, args) == dict.fromkeys(MODES, "ok")


def value_or(x):
    t = x or 1.0
    return t * 3.0


def cond_and(x):
    t = (x > 0) and x
    return t * 3.0


def cond_only(x):
    c = (x > 0) and (x < 2.0)
    y = x * 2.0 if c else x
    return y


def test_boolean_operators_returning_an_operand_are_refused():
    sound(value_or, (1.5,), refuse="BoolOp")
    sound(cond_and, (1.5,), refuse="BoolOp")
    assert sound(cond_only, (1.5,)) == {m: "ok" for m in MODES}


class _G:
    a = 0.0


GOBJ = _G()
GLIST = []


def set_global(v):
    GOBJ.a = v


def push_global(v):
    GLIST.append(v)


def via_global_attribute(x):
    set_global(x)
    return GOBJ.a * 2.0


def via_global_list(x):
    push_global(x * 1.0)
    return GLIST[-1] * 2.0


def test_callee_storing_into_a_global_read_back_is_refused():
    sound(via_global_attribute, (1.5,), refuse="into the object `GOBJ`")
    sound(via_global_list, (1.5,), refuse="into the object `GLIST`")
