"""Bugs found by the differential fuzzer (tests/fuzz), one minimal program each.

Every case is the shrunk repro of one distinct bug: s2s.grad (or s2s.jvp) on
the program must agree with central differences, return gradients of the
arguments' types, leave the caller's arguments alone, and raise nothing but
DifferentiationError. ``check`` runs the same checks as the fuzzer
(tests/fuzz/runner.py) and fails with its report.

Open bugs are marked ``xfail(strict=True)``: when a fix lands the test
XPASSes, which fails the run -- then delete the mark (the case stays as a
regression test).
"""
import pathlib
import sys
import textwrap

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz import runner  # noqa: E402
from tests.fuzz.generator import Program  # noqa: E402

OK_OR_REJECTED = (runner.OK, runner.REJECTED)


def check(source, args, wrt=0, out_seed=None, kwnames=(), mode="reverse", allow_reject=False):
    """Assert that s2s differentiates ``f`` in ``source`` correctly at ``args``."""
    prog = Program("regression", "import math\nimport numpy as np\n\n" + textwrap.dedent(source), tuple(args), wrt,
                   frozenset(), out_seed=out_seed, kwnames=kwnames)
    res = runner.check(prog, value_check=True, mode=mode)
    allowed = OK_OR_REJECTED if allow_reject else (runner.OK,)
    assert res.status in allowed, f"{res.status}: {res.signature}\n{res.detail}"


def bug(n, reason):
    """Mark an open bug (numbered as in the fuzzer's report)."""
    return pytest.mark.xfail(strict=True, reason=f"fuzz bug #{n}: {reason}")


CASES = []


_WHAT = {}


def case(n, what, source, args, wrt=0, out_seed=None, kwnames=(), mode="reverse", open_=False, allow_reject=False):
    _WHAT.setdefault(n, what)
    marks = (bug(n, what),) if open_ else ()
    ident = f"bug{n}" + ("-fwd" if mode == "forward" else "")
    CASES.append(pytest.param(source, args, wrt, out_seed, kwnames, mode, allow_reject, id=ident, marks=marks))


# ---------------------------------------------------------------------------
# Found in the first runs (bugs 1-5) and the long runs (6-18). Cases without
# an xfail mark are fixed; ``allow_reject`` cases were fixed by making s2s
# refuse the program with DifferentiationError (still never wrong numbers).

case(1, "in-place write into `x * 1.0` changed the caller's x", """
def f(x, y):
    y4 = x * 1.0
    y4[2] = y
    return 0.5 * np.sum(y4 ** 2)
""", (np.array([1.3627, 0.3328, 0.935]), -0.1795), wrt=(0, 1))

case(2, "abs(x[0]) crashed: numpy boolean subtract", """
def f(x):
    t3 = abs(x[0])
    return t3
""", (np.array([1.2501, -0.3903, -0.7119, -0.3498]),))

case(3, "`x = x` gave a zero gradient", """
def f(x):
    x = x
    return x
""", (0.5093,), out_seed=0.452)

case(4, "break in a nested enumerate loop: TypeError 'bool' object is not subscriptable", """
def f(x):
    for e6 in x:
        for i8, e7 in enumerate(x):
            if e6 > 1.0:
                break
            t10 = 1.0
    return x * 2.0
""", (np.array([0.2443, 1.0173, 1.4949, 0.153]),), wrt=[0], out_seed=np.array([-0.723, 0.737, -0.024, 0.243]))

case(5, "a branch left empty by the optimizer: 's2s generated invalid code'", """
def f(x, y):
    if np.sum(x) < 1.0:
        t6 = x
    else:
        y = y - x
        if y < 0.5:
            y = y * 2.0
        else:
            t7 = y ** 2
    return y
""", (0.9, 0.3), wrt=(0, 1))

case(6, "a loop over a sequence that the body rebinds iterates the new value", """
def f(x):
    for i, e in enumerate(x):
        x = e * x
    return x
""", (np.array([1.3866, 0.791, -0.9371]),))

case(7, "an inner while loop's trip count is not saved per outer iteration", """
def f(x):
    w = 1.0
    for i in range(2):
        k = 0
        while w < 2.0 and k < 5:
            k = k + 1
            w = w + x
    return w
""", (0.4,))

case(8, "an inner for loop left by break: trip count not saved per outer iteration", """
def f(x):
    for i in range(2):
        for j in range(3):
            if x > 2.0:
                break
            x = x * 2.0
    return x
""", (0.6,))

case(9, "`.T` of a parameter the function reassigns is treated as a constant", """
def f(x):
    w = x.T @ x
    x = 1.0
    return w
""", (np.array([0.3128, 0.2522, 0.2151]),))

case(10, "a row read (a view) and then written: the backward sweep reads the new row", """
def f(x, y):
    y = y * 1.0
    y[1] = x * y[1]
    return y
""", (-1.0338, np.array([[-1.1008, 0.2982, 0.6299], [0.643, 1.3139, -0.3346]])))

case(11, "an in-place write through one name is missed by an alias (`u = t; t[1] *= y`)", """
def f(x, y):
    t = x * 1.0
    u = t
    t[1] *= y
    return u
""", (np.array([1.0, 2.0, 3.0]), 0.7), wrt=(0, 1), allow_reject=True)

case(12, "a helper writing into its array argument: the write is missed", """
def h(a, b):
    a[1] = b
    return 0.0

def f(x, y):
    z = x * 1.0
    h(z, y)
    return z
""", (np.array([1.0, 2.0, 3.0]), 0.7), wrt=(0, 1), allow_reject=True)

case(13, "a helper updating the caller's argument in place: wrong gradient, caller's array changed", """
def h(b):
    b += 1.0
    return b ** 2

def f(x):
    return h(x)
""", (np.array([0.7206, -1.5319, -0.721]),), allow_reject=True)

case(14, "value_and_grad's value is undone by the backward sweep's restore of in-place writes", """
def f(x):
    z = np.zeros(3)
    z[1] = x
    return z
""", (0.5,))

case(15, "gradient of an array argument is a float when the body rebinds it to a float", """
def f(x, y):
    if np.sum(x) > 1.0:
        return y
    y = 1.0
    return 1.0
""", (np.array([1.4916, -1.2661, -0.5952]), np.array([0.3903, 0.977, 0.2398])), wrt=1)

case(16, "returns of an array and of a float on different paths, wrt a list: IndexError", """
def f(xs):
    t = np.array([1.0, xs[1]])
    if t @ t <= 1.0:
        return t
    return 1.0
""", ([0.9869, 1.0528, -1.4278],), wrt="xs")

case(17, "a write through a view of an argument (`v = y[::1]; v[1] = 1.0`) changes the caller's array", """
def f(x, y):
    v = y[::1]
    v[1] = 1.0
    return x * 2.0
""", (np.array([1.1676, -0.3486, 0.7441]), np.array([-1.4459, 1.5799, -1.078])))

case("9b", "`.T` of an argument written in place is treated as a constant", """
def f(x, y):
    y[1] += x
    return np.sum(y.T)
""", (0.3, np.array([-0.1662, -0.7768, -1.4312])))

case(18, "forward mode: a call of a helper with *rest crashes (got multiple values for argument 'da')", """
def h(a, *rest):
    return a * 2.0

def f(x):
    return h(x, 1.0, 1.0)
""", (0.3,), mode="forward")

case("15b", "gradient of an array argument is a float when a loop rebinds it to a float", """
def f(x, z):
    for e in x:
        z = 1.0
    return z
""", (np.array([0.4345, -1.453, -0.7774]), np.array([1.3812, -1.152, -0.324])), wrt=1)

case(19, "an array written in place, then rebound: TypeError 'Shape' object does not support item assignment", """
def f(z):
    y = np.zeros(3)
    y[1] = 1.0
    y = y + z
    return y * 2.0
""", (np.array([-1.2428, -1.2277, 1.4966]),))

case(20, "sum over a generator of an inactive argument later rebound: UnboundLocalError (dy_)", """
def f(x, y):
    w = sum(y for e in x)
    y = x * 2.0
    return w
""", (np.array([-0.1775, -1.0476, -0.3633]), 0.1881))

case(21, "forward mode: np.maximum of floats gives a 0-d array tangent, not a float", """
def f(x):
    return np.maximum(1.0, x)
""", (0.6013,), mode="forward")

case(22, "forward mode: writing into an argument after using it changes the earlier value's tangent", """
def f(x):
    t = x + 1.0
    x[0] = 1.0
    return t
""", (np.array([-0.7478, -1.3302, -1.5661]),), mode="forward")

case(23, "an alias of an argument, then an augmented assignment to the argument (`t = y; y -= 1.0`)", """
def f(x, y):
    t = y
    y -= 1.0
    return t * x
""", (0.3644, np.array([0.7347, -1.2783, -1.5156])), allow_reject=True)

case(24, "a helper changes an array that carries no gradient but that the backward sweep reads", """
def h(b):
    b -= 1.0
    return 0.0

def f(x, z):
    x = x * z
    h(z)
    return x
""", (np.array([0.8104, 0.9285, 1.3143]), np.array([0.2922, -1.1894, -0.5707])), allow_reject=True)

case("16b", "an array rebound to a float in a loop over it, then returned: IndexError", """
def f(y):
    t7 = np.array([e8 for e8 in y])
    for e9 in t7:
        t7 = 1.0
    return t7
""", (np.array([-0.68, 1.0085, 0.6661, 1.2678]),), wrt="y")

case(25, "early return from an enumerate loop nested in a loop that rebinds the array: IndexError in add_at", """
def f(y):
    for i2 in range(len(y)):
        y = y + y[[0, 1, 0]]
        for i4, e3 in enumerate(y):
            if e3 - 1.0 >= 1.0:
                return e3
    return 1.0
""", (np.array([-0.9769, 0.7334, 0.5922]),), out_seed=1.455)

case(26, "a constant the while loop adds, rebound after the loop: UnboundLocalError", """
def f(x):
    t = 1.0
    w = x
    while w < 3.0:
        w = w + t
    t = w
    return w
""", (0.7483,))

case(27, "matmul's operand gradient from a placeholder 0.0 (the product overwritten in a loop): ValueError in matmul_grad_y", """
def f(x):
    t6 = x @ x[-2]
    if x[1, -1] ** 2 < 0.5:
        for e9 in x:
            t6 = x[:, -2] - e9
    return np.mean(t6)
""", (np.array([[-1.5834, 1.2558, -0.2664], [-0.418, -1.4363, 0.6205], [-0.5178, -1.5018, 0.79]]),))

case(28, "a loop with break nested in a loop: the trip count and the loop variable were restored in the wrong order", """
def f(x):
    s = 0.0
    for i in range(3):
        for j in range(3):
            if x[j] * i > 1.0:
                break
            s = s + x[j] * i
    return s
""", (np.array([0.3, 0.9, 0.2]),))

case(29, "np.stack of arrays returned on one path only: the other path's 0.0 gradient crashed grad_stack", """
def f(x):
    t = np.stack([x, x * 2.0])
    if np.sum(x) > 10.0:
        return t
    return 1.0
""", (np.array([0.3, 0.9, 0.2]),))

case(30, "a helper that changes its argument, called inside a condition (`if h(t) > 0.0`): the change was missed", """
def h(c):
    c[0] *= 2.0
    return 1.0

def f(a):
    t = np.minimum(np.ones(3) * 0.7, a)
    if h(t) > 0.0:
        t = t * 1.0
    return np.sum(t)
""", (0.2,), allow_reject=True)

case(31, "np.sum over a list comprehension: the list's gradient was an array, and the backward sweep popped from it", """
def f(x):
    return np.sum([e * 2.0 for e in x]) + np.mean([x * e for e in x])
""", (np.array([0.3, 0.5, 0.7]),))

case(32, "a write into an element of a list element (`xs[0][0] = ...`): AttributeError 'Subscript' object has no attribute 'id'", """
def f(x):
    xs = [x * 1.0, x * 2.0]
    xs[0][0] = xs[1][0] * 3.0
    return np.sum(xs[0])
""", (np.array([0.3, 0.5, 0.7]),), allow_reject=True)

case(33, "lambdas and nested functions with default arguments bound to enclosing locals: NameError in generated code", """
def f(x):
    a = x * 2.0
    def inner(y, a=a):
        return y * a
    k = 3.0
    g = lambda y, k=k: y * k
    s = 0.0
    for j in range(3):
        h = lambda y, j=j: y * j
        s = s + h(x)
    return inner(x) + g(x) + s
""", (0.7,))

case(34, "a list of lambdas with default arguments (`[lambda x, k=k: x * k for k in ...]`)", """
def f(x):
    fs = [lambda y, k=k: y * k for k in range(3)]
    return fs[1](x) + fs[2](x)
""", (0.7,), allow_reject=True)

# Issue 9's patterns, as the extended generator produces them (features random, views,
# alias, indextricks, decorated, tuplearg). Open ones name the engineer's area that owns them.
case(35, "[split] a helper drawing from a RandomState was re-run in the backward sweep: other draws (fixed by split mode)", """
def sample(mean, rs):
    return rs.randn(3) * np.exp(0.5 * np.tanh(mean[0])) + mean

def f(x):
    rs = np.random.RandomState(3)
    t = sample(x * 2.0, rs)
    return np.sum(t ** 2)
""", (np.array([0.3, -0.5, 0.8]),))

case(36, "[effects] a slice kept as a view, then the array written: the view's value changes", """
def f(x):
    y = x * 1.0
    v = y[0:2]
    y[1] = x[2] * 3.0
    return np.sum(v ** 2)
""", (np.array([0.3, -0.5, 0.8]),), allow_reject=True)

case(37, "[effects] an alias, then an in-place operation through the other name (`b = y; y *= 0.9`)", """
def f(x):
    y = x * 1.0
    b = y
    y *= x[0]
    return np.sum(b * x)
""", (np.array([0.3, -0.5, 0.8]),), allow_reject=True)

case(38, "[rules] np.r_ index-trick object: zero gradient", """
def f(x):
    return np.sum(np.r_[x, 2.0 * x] ** 2)
""", (np.array([0.3, -0.5]),))

case(39, "[rules] np.einsum's sublist form: zero gradient for the first operand", """
def f(a, b):
    return np.einsum(a, [0], b, [0], [])
""", (np.array([0.3, -0.5]), np.array([1.5, 0.7])))

case(40, "[api] a functools.wraps decorator that scales the result is ignored", """
import functools

def double(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs) * 2.0
    return wrapper

@double
def h(a):
    return a * a

def f(x):
    return h(x) + x
""", (1.5,), allow_reject=True)

case(41, "a tuple argument nothing flows to: its gradient was a GradList, not a tuple", """
def f(x, q):
    return np.sum(x ** 2)
""", (np.array([0.3, -0.5]), (np.array([1.0, 2.0]), 0.5)), wrt=(0, 1))

case(42, "a slice assigned from its own array (`y[0:3] = y`): zero gradient (acceptance run, seed 97000779)", """
def f(x, p):
    y = np.ones(3) * (x * p["b"])
    y[0:3] = y
    return np.sum(y ** 2)
""", (0.7, {"w": np.array([1.0]), "b": -1.47}), wrt=(0, 1))

# Session 3 (fuzz2): shrunk from seeds 40000038..99201967 (see tests/fuzz/RUNS.md).
case(43, "forward: a view or alias bound while the array's tangent was still a lazy zero, then the array written "
     "in place: the view kept a zero tangent (seeds 40000407, 99201193, 99201225, 99201384, 40000096)", """
def f(x, b):
    y = x * 1.0
    v = y[::2]
    t = y
    y[0] += b
    return np.sum(v) + 2.0 * t[0]
""", (np.array([1.0, 2.0, 3.0, 4.0]), 0.5), wrt=1, mode="forward")

case(44, "`b = y; b -= e` (or `v = y[::2]; y += e`): the normalizer rebound `b` instead of changing the shared "
     "array, so `y`/`v` kept the old value (wrong value; seeds 99201883, 99201825, 99200191, 40000793, 99100013)", """
def f(x, y):
    y5 = (y * y) * 1.0
    b6 = y5
    b6 -= b6 * 0.5
    v = y5[::2]
    y5 += 1.0
    return x[0] * b6[2] + 0.5 * y5[1] + np.sum(v) * x[1]
""", (np.array([0.7883, -0.6111]), np.array([1.2808, -1.4429, -1.3691])))

case(45, "a comprehension's loop recomputes `e = y[k]` in the backward sweep, after `y` was written (seed 99200321)", """
def f(x, b):
    y = x * 1.0
    t = np.array([e * b for e in y])
    y[0:1] = 5.0
    return t[0] + y[1]
""", (np.array([-1.2751, 0.209, 0.6462]), 1.5), wrt=1)

case(46, "a helper's residuals hold the array passed in, which the caller then writes into (seed 32700088)", """
def h(a, depth):
    if depth == 0:
        return a
    return h(a ** 2, depth - 1)

def f(y):
    y4 = y * 1.0
    t5 = np.sum(h(y4, depth=1))
    y4[3] = 2.0
    return t5
""", (np.array([0.7158, 0.866, -1.4341, 1.563]),))

case(47, "a helper changes an array the backward sweep reads (not carrying a gradient) (seed 40000038)", """
def h(a, b):
    a += b
    return a

def f(y, x):
    y1 = np.ones(2) * x
    t2 = np.sum(y1 * y)
    h(y1, 1.0)
    return t2 + np.sum(y1 ** 2)
""", (2.0, 0.5))

case(48, "forward: a tangent rule returning its argument's tangent itself (`tangent_like(dy, z)`), then `y` "
     "written in place: the write changed the other tangent too (seed 41001225)", """
def f(x, b):
    y1 = (x * b) * 1.0
    t2 = y1 - (b + 1.2)
    y1[0] = 1.5
    return np.sum(t2 * y1)
""", (np.array([0.5872, -1.1387, -0.1693]), 0.6482), mode="forward")

case(49, "forward: `h(*args)` inside a helper whose *args carry a derivative: the Starred argument was bound as "
     "inactive, a zero tangent (seeds 41001170, 41001195; now refused, as in reverse mode)", """
def h9(a, *rest):
    t = a
    for r in rest:
        t = t * 0.7 + np.sin(r)
    return t

def h10(*args):
    return h9(*args) * 2.0

def f(y, xs):
    return h10(y, xs[1]) + y
""", (1.2781, [-0.4103, -0.3508, 1.1461]), wrt=1, mode="forward", allow_reject=True)

case(50, "forward: `y = y + x` (tangent `tangent_like(dx, y)`, x's tangent itself) kept under a copy `y_` while x is "
     "written in place: the write changed y's tangent (seed 41003140)", """
def f(x, y):
    y = y + x
    x[2:3] = np.square(y[1])
    return np.sum(y * y) + x[2]
""", (np.array([-0.186, -0.7826, -0.6103, 0.4513]), np.array([-0.555, -0.962, 0.2836, -0.4803])), mode="forward")

case(51, "forward: `v = y[::2]` read as `v[0]` before and after `y[0:3] += ...`: common-subexpression elimination "
     "reused the value read before the write (the view changed with its base) (seed 43000037)", """
def f(x, y):
    y10 = (np.ones(3) * x - np.ones(3) * x) * 1.0
    v11 = y10[::2]
    y10[1] = 0.7
    y10[0:3] += (v11[0] + x)
    return 0.5 * v11[0] + 2.0 * y10[2] + 0.5 * x
""", (-0.3507, 1.4166), mode="forward")

case(52, "a helper wrapped by a functools.wraps decorator writes into its argument: the caller's arguments were not "
     "copied first, so calling the gradient changed them (the wrapper's source was read, not the wrapped "
     "function's) (seed 99201720)", """
import functools

def deco3(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs) * 2.0
    return wrapper

@deco3
def h1(a, b):
    t2 = np.clip((b[[0, 0, 1]] * b), -0.5, 0.8)
    b[1] += np.einsum('i,i->', np.where(t2 > 0.25, t2, b), (t2 + t2))
    return 2.0 * t2[2] + b[0]

def f(x, q, n):
    for i7 in range(n):
        y8 = np.where(q[0] > 0.3, q[0], q[0]) * 1.0
        t9 = (y8[2] / (1.5 + h1(y8[2], q[0])))
    return 0.5 * x
""", (-0.9864, (np.array([-1.3659, 0.8938, -0.7726]), -0.4949), 3), wrt="q", allow_reject=True)

case(53, "reverse: an index array that repeats an element (`y[idx] = v` with idx = [1, 1, 2], and `+=`): the "
     "overwritten values of v got the gradient too (found by the nprules engineer)", """
def f(v, y):
    y = y * 1.0
    idx = np.array([1, 1, 2, 1])
    y[idx] = v * v
    y[[0, 3, 0]] += np.sin(v[:3])
    return np.sum(y * np.arange(4.0) * y)
""", (np.array([0.9, -1.3, 0.4, 1.7]), np.array([0.3, -0.2, 1.1, 0.6])), wrt=0)

case(54, "a try body with a generator expression: the values kept alive after the try named the comprehension's "
     "variable, which the normalizer renames when it writes the comprehension as a loop (NameError in generated "
     "code, seed 50004585)", """
def f(x, y):
    try:
        t2 = y[0] + sum(e3 * x for e3 in y)
    except ZeroDivisionError:
        t2 = 0.0
    return np.sum(y * (x + t2))
""", (-1.43, np.array([-0.5606, 1.3437, -0.8584])), wrt=(0, 1))

case(55, "a helper writes into an argument that carries no gradient and the caller reads it afterwards: the "
     "helper's forward half (split mode) wrote into a copy, so the gradient saw the old value (seed 50005893)", """
def h1(a, b):
    a[2] = np.sin(np.sum(a))
    return b - a

def f(y, z):
    t8 = y * 2.0
    return h1(z, t8) @ ((t8 - z) ** 2)
""", (np.array([-0.5258, 1.4955, 0.1951]), np.array([-1.0067, 0.1901, -0.196])), wrt=0)

case(56, "forward: a tangent passed through twice (dt_20 = tangent_like(dy4, t_20), dt5 = tangent_like(dt_20, t5)) "
     "was the tangent of an array written in place afterwards (y4[0] = ...) while t5 was still read: the write "
     "changed dt5 too (only one step of pass-through was followed; seed 50007826)", """
def f(x, y, q):
    t3 = (y * x) / (1.0 + q * q)
    y4 = t3 * 1.0
    t5 = (y4 + q[0]) + np.sqrt(x * x + 0.5)
    y4[0] = np.sum(np.r_[t3, q] ** 2)
    return np.sum(t5 * x) + y4[1]
""", (1.3208, 0.6643, np.array([-0.8334, -1.2065, 1.3904])), wrt=1)

case(57, "a view taken before a write into its array (t = y.T; then y[1] = ..., here inside an inlined helper): "
     "the backward sweep reads the view, but the restore of y was pruned since y itself was not read after it "
     "(only y[...] counted as a view of y; seed 60000079)", """
def h12(a, b):
    a[1] = b

def f(x):
    y14 = 1.0 + x[1, :]
    h12(y14, y14.T @ (1.0 + y14))
    return y14 * np.array([1.0, 2.0, 3.0])
""", (np.array([[0.3422, 0.7871, -0.4262], [-0.9916, 0.9601, 1.118], [0.7941, 0.4875, 0.997]]),), wrt=0)

case(58, "forward: common-subexpression elimination made dy5 = t * dx an alias of dt4 = t * dx (same "
     "expression), then dy5[0] = ... changed dt4 too, which was read later (seed 62003464)", """
def f(x, n):
    t4 = np.ones(3) * x
    y5 = np.ones(3) * x
    y5[0] = (math.pow(y5[1] * y5[1] + 1.0, 1.5) ** 3)
    y5 -= np.exp(-(t4 ** 2) * (t4 ** 2))
    t6 = ((t4[0] ** 2) / (1.0 + np.tanh(x) * np.tanh(x)))
    return 0.5 * t6 + y5[2]
""", (0.2471, 3), wrt=0)

case(59, "reverse: a write through an alias of an array (b = x; b -= ...) inside a loop, and the backward sweep "
     "recomputed x[2] at the top of the loop body instead of saving it: it read the changed x (only writes "
     "under x's own name counted; seed 62000873)", """
def f(x, y):
    for k in range(2):
        y = y * x[2]
        b = x
        b -= b ** 2
    return y
""", (np.array([-0.6903, 1.5818, -0.68, -0.9524, -1.0835]), -1.3692), wrt=1)

case(60, "reverse: a write into a view made by a method (b = x.reshape(9), b = x.T) was not seen as a write into x: "
     "a zero gradient for the values written, and the caller's x was changed (now refused, as for b = x[0])", """
def f(x):
    b = x.reshape(9)
    t = x[1]
    b[3:6] = b[0:3] ** 2
    return np.sum(t) + np.sum(x[1])
""", (np.array([[0.3, -0.5, 0.9], [1.1, 0.2, -0.7], [0.4, 0.8, -1.2]]),), wrt=0, allow_reject=True)

case(61, "an array inside a tuple argument written through an element alias (x = q[0]; x[0:4] = ...): the "
     "argument was copied shallowly (a tuple: not at all), so the gradient changed the caller's array "
     "(seeds 33102183, 62008249; reverse mode refuses the write into an alias)", """
def f(x, y, q):
    x = q[0]
    x[0:4] = -y
    return y * x[3] + x[4] * q[1]
""", (np.array([-1.1681, 0.2902, -0.2756, 0.8064, -0.402]), 0.9411,
      (np.array([-1.4554, -1.2726, -0.8922, 0.5779, -1.438]), -0.2331)), wrt=1, allow_reject=True)

case(62, "a write into an array inside a list argument through a loop variable (for row in xs: row[0] = ...) "
     "changed the caller's arrays (the copy was shallow) and reverse mode gave a zero gradient (now refused)", """
def f(xs, y):
    for row in xs:
        row[0] = y * row[1]
    return xs[0][0] * xs[1][0]
""", ([np.array([0.3, -0.5]), np.array([1.1, 0.2])], 0.7), wrt=1, allow_reject=True)

case(63, "reverse: a view read by the backward sweep (t = z[::-1] in y * z[::-1]) of an array written in place "
     "later (z[i] *= ...), where z itself carries no gradient: the write was not undone before the backward sweep "
     "read t; then the undo's index (i5 = k of an enumerate loop) was pruned (seed 62004906)", """
def f(x, y, z, xs):
    t3 = (y * z[::-1])
    for i5, e4 in enumerate(t3):
        z[i5] *= xs[-1 - i5]
    return np.mean(t3) + 0.5 * np.mean(z) - y + x
""", (-1.0835, 0.9186, np.array([-0.1576, 0.2304, -0.9032]), [0.9002, 0.8266, 0.3041]), wrt=1)

case(64, "reverse: an array written through an alias after a loop (b = x; b -= 1.2) that the backward sweep of the "
     "loop reads (e = x[k], recomputed there): the write through b was not undone (seed 62006189)", """
def f(x, y):
    t20 = sum([e * y[2, 0] for e in x])
    b23 = x
    b23 -= 1.2
    return t20 * np.sum(y[2])
""", (np.array([-0.1507, 0.7143, 1.3585]),
      np.array([[0.3384, 0.4942, 0.8494], [-1.4136, 1.0108, -0.645], [1.245, 0.1833, -0.9569]])), wrt=1)

case(65, "`for i, e in enumerate(x)` with the body indexing x[i]: x was taken for a dict (indexed by a loop "
     "variable) and the loop walked list(x), a snapshot, so writes into x in the body were not seen by later "
     "items (wrong in both modes; seed 62007653)", """
def f(x, w):
    for i3, e2 in enumerate(x):
        x[2 - i3] = np.dot(x, w) + e2
        e2 = e2 - x[i3] * e2
    return np.mean(x)
""", (np.array([-0.9936, 1.0474, -0.4664]), np.array([-1.3603, 1.0312, -0.8136])), wrt=1, allow_reject=True)

case(66, "reverse: a list or tuple parameter repeated with `*` (lst * 2, 2 * q, lst * n: not known to be a list when "
     "the code is generated) went through the product's rule: its gradient repeated the copies again (a list "
     "of 8 for 2 items, or a crash in unbroadcast); GradList * n now sums the copies' gradients (issue 9, "
     "session 4's open class)", """
def f(lst, q, y, n):
    z = lst * 2
    w = 2 * q
    v = lst * n
    return z[0] * y + z[3] * z[1] + w[0] * w[3] + v[0] * v[5]
""", ([0.5, 1.5], (0.3, -1.1), 0.7, 3), wrt=(0, 1))

case(67, "a helper writing into its argument through np.ravel(a) (a view): aliasing.view_base took np.ravel(a) "
     "for a method of `np`, so the caller's array was not copied and the gradient changed it", """
def h(a):
    b = np.ravel(a)
    b[1] = 0.0

def f(x, w):
    h(x)
    return np.sum(x * w)
""", (np.array([[0.3, -0.5], [1.1, 0.2]]), np.array([[0.6, -1.0], [2.2, 0.4]])), wrt=1)

case(68, "a helper that returns its argument (w = ident(z)), then a write into w: w is z, but the write was not "
     "seen as a write into z (wrong numbers in both modes; now refused: s2s does not track that alias)", """
def ident(a):
    return a

def f(x, y):
    z = x * 1.0
    w = ident(z)
    t = np.sum(z * y)
    w[0] = y[1] * 3.0
    return t + np.sum(z * z)
""", (np.array([0.3, -0.5, 0.9, 1.1]), np.array([0.6, -1.0, 1.8, 2.2])), wrt=(0, 1), allow_reject=True)

case(69, "a write into an array held by a tuple argument, reached through a helper's result (a = first(q) with "
     "first returning q[0]): the caller's array was changed (the argument was not copied)", """
def first(q):
    return q[0]

def f(q, y):
    a = first(q)
    a[1] = 2.0
    return np.sum(q[0] * y)
""", ((np.array([0.3, -0.5, 0.9]), np.array([0.6, -1.0, 1.8])), 0.7), wrt=1)

case(70, "forward: a write into an item of a list item (zs[1][0] = v, zs = list(xs)) with a value carrying a "
     "derivative: the tangent of zs[1] did not follow (reverse mode refused it already; now both do)", """
def f(xs, y):
    zs = list(xs)
    zs[1][0] = y * 3.0
    return np.sum(xs[1] * y)
""", ([np.array([0.3, -0.5, 0.9]), np.array([0.6, -1.0, 1.8])], 0.7), wrt=1, allow_reject=True)

case(71, "a temporary of the forward sweep (a lambda's result, inlined) read for its value once by the backward "
     "sweep, inside the `if` of an early return: optimize.saves.fold_into_backward looked the reading statement up "
     "among the function's top-level statements (KeyError in saves._between; fuzz seed 95001109)", """
def f(x):
    g = lambda z: np.cos(z) * np.sin(z)
    t = g(x)
    if x > 0.5:
        return 3.0 * t
    return np.exp(t * t) + x
""", (0.3,))

# The same programs in forward mode (s2s.jvp against directional differences).
for _n, _open in ((6, False), (9, False), ("9b", False), (12, False), (23, False), (30, False), (31, False), (32, False), (33, False), (34, False), (35, False), (36, False), (37, False), (38, False), (39, False), (40, False), (42, False), (44, False), (45, False), (46, False), (47, False), (53, False), (54, False), (55, False), (56, False), (57, False), (58, False), (59, False), (60, False), (61, False),
                   (62, False), (63, False), (64, False), (65, False), (66, False), (67, False), (68, False),
                   (69, False), (70, False), (71, False)):
    _c = next(c for c in CASES if c.id == f"bug{_n}")
    _src, _args, _wrt, _seed, _kw, _mode, _rej = _c.values
    case(_n, _WHAT[_n] + " (forward mode)", _src, _args, _wrt, None, _kw, mode="forward", open_=_open,
         allow_reject=_rej)


@pytest.mark.parametrize("source,args,wrt,out_seed,kwnames,mode,allow_reject", CASES)
def test_fuzz_regression(source, args, wrt, out_seed, kwnames, mode, allow_reject):
    check(source, args, wrt, out_seed, kwnames, mode, allow_reject)


# ---------------------------------------------------------------------------
# Deep input and error messages (issue 9, "Crashes and races"): each must give the
# right number or a DifferentiationError naming the user's file and line.

def _module(tmp_path, name, source):
    """Import ``source`` as a real module file (s2s reads functions' source from their files)."""
    import importlib.util
    path = tmp_path / f"{name}.py"
    path.write_text("import functools, dataclasses, collections\nimport numpy as np\n\n" + textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod, str(path)


def _refusal(fn, *args, mode="grad"):
    import s2s
    with pytest.raises(s2s.DifferentiationError) as e:
        getattr(s2s, mode)(fn)(*args)
    return str(e.value)


def test_deep_sum_300_terms(tmp_path):
    import s2s
    mod, _ = _module(tmp_path, "deep_sum", "def f(x):\n    return " + " + ".join(["x"] * 300) + "\n")
    assert s2s.grad(mod.f)(0.5) == pytest.approx(300.0)
    assert s2s.jvp(mod.f)(0.5, 1.0) == pytest.approx(300.0)


def test_deep_chain_of_200_helpers(tmp_path):
    import s2s
    src = "".join(f"def h{i}(x):\n    return h{i + 1}(x) * 1.0\n\n" for i in range(200))
    src += "def h200(x):\n    return x * x\n\ndef f(x):\n    return h0(x)\n"
    mod, _ = _module(tmp_path, "deep_chain", src)
    assert s2s.grad(mod.f)(1.5) == pytest.approx(3.0)
    assert sys.getrecursionlimit() < 10000   # put back after the transform


MESSAGES = """
def f_lambdas(x):
    g, h = (lambda y: y.foo(), lambda y: y * 2.0)
    return g(x) + h(x)

@functools.lru_cache(maxsize=None)
def cached(k):
    return k * 2.0

def f_lru(x):
    return cached(3.0) * x + cached(x)

class Scale:
    def __call__(self, y):
        return y * 3.0

SC = Scale()

def f_callable(x):
    return SC(x)

class Box:
    def __init__(self, a):
        self.a = a * 2.0

def f_ctor(x):
    b = Box(x)
    y = x * 3.0
    return b.a + y

@dataclasses.dataclass
class DC:
    a: float

def f_dataclass(x):
    d = DC(x)
    y = x * 3.0
    return d.a * y

NT = collections.namedtuple("NT", "a b")

def f_namedtuple(x):
    n = NT(x, 2.0)
    y = x * 3.0
    return n.a * y

def f_complex(x):
    c = 1.0 + 2.0j
    z = x * c
    return np.abs(z)

def f_complex_runtime(x):
    z = x.astype(np.complex128)
    return np.abs(z * 2.0)
"""


@pytest.mark.parametrize("name,line,words", [
    ("f_lambdas", "g, h = (lambda y: y.foo(), lambda y: y * 2.0)", ["lambda y: y.foo()", "column 13"]),
    ("f_lru", "return cached(3.0) * x + cached(x)", ["lru_cache"]),
    ("f_callable", "return SC(x)", ["callable `Scale` object", "__call__"]),
    ("f_ctor", "b = Box(x)", ["`Box` object"]),
    ("f_dataclass", "d = DC(x)", ["`DC` object"]),
    ("f_namedtuple", "n = NT(x, 2.0)", ["`NT` object"]),
    ("f_complex", "z = x * c", ["real-valued"]),
])
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_refusal_names_the_line(tmp_path, name, line, words, mode):
    mod, path = _module(tmp_path, "messages_" + name, MESSAGES)
    fn = getattr(mod, name)
    if name == "f_callable":   # both modes differentiate a known callable object through __call__ (s2s/calls.py)
        import s2s
        assert (s2s.grad(fn)(0.7) if mode == "grad" else s2s.jvp(fn)(0.7, 1.0)) == 3.0
        return
    if name in ("f_dataclass", "f_namedtuple"):   # built from values with gradients: differentiated (s2s/records.py)
        import s2s
        got = s2s.grad(fn)(0.7) if mode == "grad" else s2s.jvp(fn)(0.7, 1.0)
        assert got == pytest.approx(6 * 0.7)
        return
    if name == "f_ctor":   # an object of a plain class that stays in the function: taken apart (s2s/objects.py)
        import s2s
        assert (s2s.grad(fn)(0.7) if mode == "grad" else s2s.jvp(fn)(0.7, 1.0)) == pytest.approx(5.0)
        return
    msg = _refusal(fn, 0.7, mode=mode) if mode == "grad" else _refusal(fn, 0.7, 1.0, mode=mode)
    lineno = next(i for i, t in enumerate(open(path).read().splitlines(), 1) if t.strip() == line)
    assert f'File "{path}", line {lineno}' in msg, msg
    assert line in msg, msg
    for w in words:
        assert w in msg, msg


def test_complex_at_run_time_names_the_line(tmp_path):
    mod, path = _module(tmp_path, "messages_cx", MESSAGES)
    msg = _refusal(mod.f_complex_runtime, np.array([0.3, 0.5]))
    assert f'File "{path}", line ' in msg and "complex128" in msg, msg


def test_shrink_candidate_whose_f_is_not_a_function():
    """A shrink step can make a decorator return 1.0 (`return wrapper` -> `return 1.0`), so that `f` is
    a float: the check says so (an invalid candidate) instead of crashing the shrinker in _params."""
    src = "import numpy as np\n\ndef deco(fn):\n    return 1.0\n\n@deco\ndef f(x):\n    return x * 2.0\n"
    prog = Program(1, src, (0.5,), 0, frozenset())
    for mode in ("reverse", "forward"):
        assert runner.check(prog, value_check=True, mode=mode).status == runner.PRIMAL


def test_numpy_scalar_arguments_keep_their_type(tmp_path):
    """A NumPy scalar argument (np.float32, np.float64) gets a gradient of its type and dtype in both modes
    (DESIGN.md: a gradient has its argument's type); a Python float came back (issue 9, open class (a))."""
    import s2s
    mod, _ = _module(tmp_path, "npscalars", """
    def scale(x):
        return 3.0 * x

    def square(x, y):
        return x * x * y
    """)
    for x in (np.float32(1.5), np.float64(1.5)):
        for g in (s2s.grad(mod.scale)(x), s2s.jvp(mod.scale)(x)):
            assert type(g) is type(x) and g == 3.0, (type(x), type(g), g)
        g = s2s.grad(mod.square)(x, x)
        assert type(g) is type(x) and np.isclose(g, 2 * 1.5 * 1.5), (type(x), type(g), g)
    g = s2s.grad(mod.scale)(np.array(1.5, dtype=np.float32))   # a 0-d array: its dtype at least
    assert np.asarray(g).dtype == np.float32 and g == 3.0
    assert type(s2s.grad(mod.scale)(1.5)) is float and type(s2s.grad(mod.scale)(2)) is float
