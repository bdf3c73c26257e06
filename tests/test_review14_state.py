"""Review 14, state a call changes during the function (rows 1 and 5 of /work/notes/review14/FINDINGS.md):
a number or array read from module-level state (a global, a class attribute, an attribute of a global
object or a module, a module array filled in place) that a method or helper called by the function
changes is used by the reverse sweep as the forward sweep read it, not as it is at the end."""
import sys
import types

import numpy as np

import s2s
from tests.test_real_programs import check_all

X = np.array([0.61, 0.83, 1.37])


class Scheduler:
    def __init__(self):
        self.temp = 1.0

    def step(self):
        self.temp = self.temp * 2.0

    def reset(self):
        self.temp = 1.0


sched = Scheduler()


def annealed_loss(x):   # a scheduler stepped inside the loss
    sched.reset()
    total = 0.0
    for i in range(3):
        total = total + np.sum(np.tanh(x / sched.temp))
        sched.step()
    return total


def annealed_inline(x):
    sched.temp = 1.0
    total = 0.0
    for i in range(3):
        total = total + np.sum(np.tanh(x / sched.temp))
        sched.temp = sched.temp * 2.0
    return total


SCALE = 1.0
BUF = np.ones(3)
CONFIG = {"s": 1.0}


def set_scale(v):
    global SCALE
    SCALE = v
    BUF[:] = v


def set_cfg(v):
    CONFIG["s"] = v


class Cfg:
    s = 1.0


def set_cls(v):
    Cfg.s = v


def global_mid(x):
    a = np.sum(x) * SCALE
    set_scale(3.0)
    b = np.sum(np.sin(x * SCALE)) + np.sum(x * BUF * x)
    set_scale(1.0)
    return a + b


def class_attr_mid(x):
    a = np.sum(np.sin(x * Cfg.s))
    set_cls(3.0)
    b = np.sum(np.sin(x * Cfg.s))
    set_cls(1.0)
    return a + b


def loop_schedule(x):   # a dict item set by a helper in a loop, read after it
    s = 0.0
    for i in range(3):
        set_cfg(1.0 + i)
        s = s + np.sum(np.sin(x * CONFIG["s"]))
    set_cfg(1.0)
    return s


D = {"w": np.ones(3)}


def set_w(v):
    D["w"][:] = v


def dict_array_filled(x):   # an array in a global dict, filled in place by a helper
    set_w(1.0)
    a = np.sum(np.sin(x * D["w"]))
    set_w(3.0)
    b = np.sum(np.sin(x * D["w"]))
    set_w(1.0)
    return a + b


def helper_reads(x):   # the helper's backward half runs after the caller changed SCALE back
    return np.sum(np.sin(x * SCALE)) + np.sum(x * BUF * x)


def calls_helper(x):
    total = 0.0
    for i in range(3):
        set_scale(1.0 + i)
        total = total + helper_reads(x) * SCALE
    set_scale(1.0)
    return total


cfgmod = types.ModuleType("s2s_review14_cfg")
exec("scale = 1.0\ndef set_scale(v):\n    global scale\n    scale = v\n", cfgmod.__dict__)
sys.modules[cfgmod.__name__] = cfgmod


def module_setter(x):
    a = np.sum(np.sin(x * cfgmod.scale))
    cfgmod.set_scale(3.0)
    b = np.sum(np.sin(x * cfgmod.scale))
    cfgmod.set_scale(1.0)
    return a + b


def test_scheduler_stepped_inside_the_loss():
    check_all(annealed_loss, X.copy())
    check_all(annealed_inline, X.copy())
    assert sched.temp == 8.0


def test_global_and_array_changed_by_a_helper():
    check_all(global_mid, X.copy())
    assert SCALE == 1.0 and np.all(BUF == 1.0)


def test_class_attribute_and_dict_item_changed_by_a_helper():
    check_all(class_attr_mid, X.copy())
    check_all(loop_schedule, X.copy())
    check_all(dict_array_filled, X.copy())


def test_a_helper_reading_state_the_caller_changes():
    check_all(calls_helper, X.copy())


def test_a_module_setter():
    check_all(module_setter, X.copy())


def annealed_global(x):
    global TEMP14
    TEMP14 = 1.0
    s = 0.0
    for i in range(3):
        s = s + np.sum(np.tanh(x / TEMP14))
        TEMP14 = TEMP14 * 2.0
    return s


def test_global_statement_binding_a_new_global():
    # TEMP14 does not exist before the first call (the gradient's save of its old value raised KeyError)
    globals().pop("TEMP14", None)
    g = s2s.grad(annealed_global)(X.copy())
    assert np.all(np.isfinite(g))
    globals().pop("TEMP14", None)
    check_all(annealed_global, X.copy())


# Review 14 row 2: a call changing a list, dict or array in place, written inside an expression, was
# silently not seen (gradient 0 for `[acc.append(v ** 2) for v in x]; sum(acc)`).
W4 = np.arange(1.0, 5.0)
X4 = np.array([0.31, 0.83, 1.37, 0.2])


def comp_append(x):
    acc = []
    [acc.append(v ** 2) for v in x]
    return sum(acc)


def comp_append_filtered(x):
    acc, v = [], 2.0   # (the comprehension's `v` is its own)
    [acc.append(t * v) for t in x if t > 0.3]
    return sum(acc) * v


def nested_comp_append(x):
    acc = []
    [[acc.append(v * w) for w in x[:2]] for v in x]
    return sum(acc)


def map_append(x):
    acc = []
    list(map(acc.append, x * 3))
    return sum(acc)


def comp_setitem(x):
    d = {}
    [d.__setitem__(i, v * 2) for i, v in enumerate(x)]
    return d[0] * d[1] + d[3]


def setitem_call(x):
    import operator
    y = x * 1.0
    _ = operator.setitem(y, 0, x[1] * 3.0)
    return np.sum(y * W4)


def dict_update_assigned(x):
    d = {"a": x[0]}
    _ = d.update({"a": x[1] * 3})
    return d["a"] * x[2]


def test_comprehensions_and_calls_for_their_effect_are_followed():
    for f in (comp_append, comp_append_filtered, nested_comp_append, map_append, comp_setitem, setitem_call, dict_update_assigned):
        check_all(f, X4.copy())


def fill_ternary(x):
    y = x * 1.0
    y.fill(x[0]) if x[0] > 0 else None
    return np.sum(y * W4)


def append_or(x):
    acc = [x[0]]
    ok = acc.append(x[1] * 2) or True
    return sum(acc) if ok else 0.0


def sort_assigned(x):
    y = x * 1.0
    _ = y.sort()
    return np.sum(y * W4)


class Particle:
    def __init__(self, pos):
        self.pos = pos
        self.vel = 0.0

    def step(self, f, dt):
        self.vel = self.vel + f * dt
        self.pos = self.pos + self.vel * dt


def particles_comp(k, x0):
    ps = [Particle(x0[0]), Particle(x0[1])]
    for t in range(3):
        f = -k * (ps[0].pos - ps[1].pos)
        [p.step(s * f, 0.05) for p, s in zip(ps, (1.0, -1.0))]
    return ps[0].pos ** 2 + ps[1].pos


def test_changes_inside_expressions_are_refused():
    import pytest
    for f, where in ((fill_ternary, "y.fill(x[0]) if x[0] > 0 else None"),
                     (append_or, "ok = acc.append(x[1] * 2) or True"),
                     (sort_assigned, "_ = y.sort()")):
        for make in (s2s.grad, s2s.jvp):
            with pytest.raises(s2s.DifferentiationError) as e:
                make(f)(X4.copy(), *([X4.copy()] if make is s2s.jvp else []))
            assert where in str(e.value) and "place" in str(e.value)
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(particles_comp)(1.3, np.array([0.5, -0.2]))
    assert "p.step(s * f, 0.05)" in str(e.value)


# Review 14 rows 3 and 4: a list grown while a `for` loop iterates over it (refused), dict views are live.
def grow_while_iter(x):
    xs = [x[0], x[1]]
    total = 0.0
    for v in xs:
        total = total + v
        if len(xs) < 5:
            xs.append(v * 0.5)
    return total


def bfs_queue(x):
    queue = [x[0]]
    out = 0.0
    for node in queue:
        out = out + node ** 2
        if len(queue) < 4:
            queue.extend([node * x[1], node + x[2]])
    return out


def test_a_list_grown_while_iterated_is_refused():
    import pytest
    for f, where in ((grow_while_iter, "xs.append(v * 0.5)"), (bfs_queue, "queue.extend([node * x[1], node + x[2]])")):
        for make in (s2s.grad, s2s.jvp):
            with pytest.raises(s2s.DifferentiationError) as e:
                make(f)(X.copy(), *([X.copy()] if make is s2s.jvp else []))
            assert where in str(e.value) and "while the `for` loop" in str(e.value)


def dict_view_live(x):
    d = {"a": x[0], "b": x[1]}
    vals = d.values()
    d["a"] = x[2] * 10
    return sum(vals)


def dict_items_live(x):
    d = {"a": x[0]}
    items = d.items()
    d["a"] = x[1] ** 2
    return sum(v * x[2] for k, v in items)


def dict_view_in_loop(x):
    out = 0.0
    for i in range(2):
        d = {"a": x[0] * i}
        vals = d.values()
        d["a"] = x[2] * 10
        out = out + sum(vals)
    return out


def test_dict_views_are_live():
    import pytest
    check_all(dict_view_live, X.copy())
    check_all(dict_items_live, X.copy())
    with pytest.raises(s2s.DifferentiationError) as e:
        s2s.grad(dict_view_in_loop)(X.copy())
    assert "vals = d.values()" in str(e.value) and "view" in str(e.value)
