"""Random small Python programs for differential testing of s2s.grad.

``generate(seed, features)`` returns a :class:`Program`: the source of a
module (helpers and a function ``f``), the arguments to call ``f`` with, the
``wrt`` to differentiate for and the features the program uses. The result
depends only on the seed and the feature set.

Every program is checked before it is returned: it is run once, instrumented
(see :mod:`tests.fuzz.conditioning`), at its arguments, and rejected when it
is badly conditioned for central differences there: a branch condition, an
``abs``/``maximum``/``where`` kink, a ``floor`` or an ``argmax`` tie within
about 1e-3 of its switching point, a ``log``/``sqrt``/division too near its
singularity, a value that is not finite or very large. The arguments are then
resampled, and after a few tries the program itself. A program whose primal
raises anything else is returned with ``primal_error`` set: that is a bug in
this generator.

Features (the ``features`` argument is the set a program may draw from; each
program uses a random subset of them):
"""
import random
import textwrap

import numpy as np

from .conditioning import IllConditioned, check_program

# name -> what it adds (documented here, listed in the module docstring too)
FEATURES = {
    "numpy": "np.sin/cos/tanh/exp/log/sqrt/square... elementwise calls",
    "math": "math.sin/exp/log... on scalars",
    "kinks": "abs, np.maximum/minimum, np.where, np.clip on values kept off their kinks",
    "domain": "raw log/sqrt/division/non-integer powers (arguments kept inside the domain)",
    "reduce": "np.sum/np.mean/np.dot/@ reductions",
    "matrix": "2-d arguments, rows/columns, matrix-vector products",
    "if": "if/else on computed values",
    "elif": "if/elif/else chains",
    "ifexp": "conditional expressions `a if c else b`",
    "for": "for loops over range(...)",
    "iter": "for over arrays, enumerate, zip, reversed, lists",
    "nested": "nested loops (and triangular `np.arange(i, n)` loops)",
    "while": "while loops with value-dependent trip counts",
    "subscript": "constant/negative indices, slices with steps, x[:, 0]",
    "fancy": "fancy (integer list) indexing and boolean masks",
    "inplace": "in-place writes y[i] = e, y[i] += e, slice assignment",
    "argwrite": "in-place writes into argument arrays",
    "aug": "augmented assignment on names (s += e)",
    "overwrite": "reassigning variables and parameters",
    "helper": "calls of helper functions (which may call helpers)",
    "kwargs": "helper parameters with defaults, keyword arguments, *args (and forwarding)",
    "recursion": "recursive helpers with an integer depth",
    "list": "lists: literals, append in loops, np.array(list), sum(list)",
    "tuple": "tuple packing/unpacking, swaps, helpers returning tuples",
    "dict": "dict literals and reads",
    "listarg": "a list-of-floats argument (gradient is a list)",
    "dictarg": "a dict argument (gradient is a dict)",
    "break": "break inside loops",
    "continue": "continue inside loops",
    "early_return": "return inside branches and loops",
    "closure": "nested def reading outer variables",
    "lambda": "lambdas assigned and called",
    "comprehension": "list comprehensions and generator expressions",
    "methods": "ndarray methods and attributes: .sum(), .T, .dot(), .reshape()",
    "classes": "user classes: methods calling methods, attributes read as values",
    "nondiff": "print, assert, len, int, np.floor, np.argmax as an index, .shape",
    "exotic": "numpy functions s2s may have no rule for (must be rejected, not wrong)",
    "unsupported": "try/except, global, yield...: must raise DifferentiationError",
    "intparam": "an integer argument used as a loop bound",
    "vector_out": "an array output (default seed: ones)",
    "tuple_out": "a tuple output",
    "seed": "an explicit output seed passed to the gradient",
    "kwcall": "the gradient called with keyword arguments",
    # issue 9's patterns: each must give the right number or a located DifferentiationError
    "random": "helpers drawing random numbers from a RandomState/Generator made in f with a fixed seed",
    "mutation": "helpers that change their list or array argument (append, item writes, +=)",
    "writeafter": "writing into an array (or argument) after a value was computed from it",
    "views": "a slice or row of an array kept, then the array written",
    "alias": "an alias of an array, then an in-place operation through either name",
    "indextricks": "np.r_/np.c_ index-trick objects and np.einsum's sublist form",
    "decorated": "helpers (and f) decorated with functools.wraps wrappers",
    "tuplearg": "a tuple argument (vector, scalar) (gradient is a tuple)",
}
ALL = frozenset(FEATURES)
# Issue 9's patterns (added later): programs drawn without them are the programs the
# seeds gave before (tests/test_fuzz.py's fixed seeds keep their programs).
ISSUE9 = frozenset({"random", "mutation", "writeafter", "views", "alias", "indextricks", "decorated", "tuplearg"})
CORE = ALL - ISSUE9
__doc__ += "\n".join(f"  {k:13s} {v}" for k, v in FEATURES.items()) + "\n"

# Features whose programs s2s is expected to reject (so a subset drawn without
# them exercises the supported core more often).
REJECTY = {"exotic", "unsupported"}


class Program:
    """A generated program and how to call it."""

    def __init__(self, seed, source, args, wrt, features, out_seed=None, kwnames=(), fname="f"):
        self.seed = seed
        self.source = source
        self.args = args
        self.wrt = wrt
        self.features = features
        self.out_seed = out_seed          # None: use the default seed
        self.kwnames = tuple(kwnames)     # parameters passed by keyword
        self.fname = fname
        self.primal_error = None          # a generator bug: the primal itself fails
        self.attempts = 0

    def call_args(self, params, args=None, with_seed=True):
        """(positional, keyword) arguments for calling f or its gradient."""
        args = self.args if args is None else args
        pos = [a for p, a in zip(params, args) if p not in self.kwnames]
        kw = {p: a for p, a in zip(params, args) if p in self.kwnames}
        if with_seed and self.out_seed is not None:
            kw["seed"] = self.out_seed  # keyword-only: numeric_grad takes seed=, s2s.grad its own name (see runner)
        return pos, kw

    def __repr__(self):
        return f"<Program seed={self.seed} features={sorted(self.features)}>"


# ---------------------------------------------------------------------------
# types: ("S",) scalar, ("V", n) vector, ("M", r, c) matrix, ("I", lo, hi) int
# index in [lo, hi), ("LS", n) list argument of floats, ("D", keys) dict arg.

S = ("S",)


def V(n):
    return ("V", n)


class Scope:
    def __init__(self):
        self.vars = {}        # name -> type
        self.owned = set()    # arrays this function created (safe to write into)
        self.params = set()
        self.noassign = set()  # names not to reassign (loop indices, containers)

    def copy(self):
        s = Scope()
        s.vars = dict(self.vars)
        s.owned = set(self.owned)
        s.params = set(self.params)
        s.noassign = set(self.noassign)
        return s

    def of(self, pred):
        return [n for n, t in self.vars.items() if pred(t)]

    def merge_branches(self, a, b):
        """The scope after an if/else whose branches ended with a and b."""
        self.vars = {k: t for k, t in a.vars.items() if b.vars.get(k) == t}
        self.owned = (a.owned & b.owned) & set(self.vars)

    def after_loop(self, body):
        self.owned &= body.owned


CONSTS = ["0.5", "1.5", "2.0", "0.3", "0.7", "1.2", "3.0", "0.25", "0.1", "1.0"]

UFUNCS = [  # (template, weight); {} is the argument; all smooth and total
    ("np.sin({})", 4), ("np.cos({})", 3), ("np.tanh({})", 4), ("np.exp(np.tanh({}))", 2),
    ("np.exp(-{0} * {0})", 1), ("np.log(1.0 + {0} * {0})", 2), ("np.sqrt({0} * {0} + 0.5)", 2),
    ("np.square({})", 2), ("np.negative({})", 1), ("np.tan(0.5 * np.tanh({}))", 1),
    ("np.exp({})", 1),
]
EXOTIC = [  # functions the core may not know; arguments inside their domains
    ("np.arctan({})", 1), ("np.sinh({})", 1), ("np.cosh({})", 1), ("np.log1p({0} * {0})", 1),
    ("np.expm1({})", 1), ("np.arcsin(0.5 * np.tanh({}))", 1), ("np.cbrt({0} * {0} + 1.0)", 1),
    ("np.log2(2.0 + np.sin({}))", 1), ("np.reciprocal(2.0 + np.sin({}))", 1),
    ("np.sinc({})", 1), ("np.hypot({0}, 1.5)", 1), ("np.arctan2({0}, 2.0)", 1),
    ("np.float_power({0} * {0} + 1.0, 1.5)", 1), ("np.logaddexp({0}, 0.5)", 1),
]
MATHS = [("math.sin({})", 2), ("math.cos({})", 2), ("math.tanh({})", 2), ("math.exp(math.tanh({}))", 1),
         ("math.log(1.0 + {0} * {0})", 1), ("math.sqrt({0} * {0} + 1.0)", 1), ("math.atan({})", 1),
         ("math.pow({0} * {0} + 1.0, 1.5)", 1)]


def wchoice(rng, items):
    """Weighted choice among (item, weight) pairs with weight > 0."""
    items = [(x, w) for x, w in items if w > 0]
    total = sum(w for _, w in items)
    r = rng.uniform(0, total)
    for x, w in items:
        r -= w
        if r <= 0:
            return x
    return items[-1][0]


class _Gen:
    def __init__(self, rng, features, size=1.0):
        self.size = size
        self.r = rng
        self.f = features
        self.n = rng.choice([3, 3, 4, 5])     # the vector length
        self.rows = rng.choice([2, 3])
        self.counter = 0
        self.helpers = []    # (name, [param types], return type, n_required)
        self.module_lines = []
        self.used = set()    # features actually used
        self.loop_depth = 0
        self.in_helper = False
        self.out_type = S
        self.budget = 0      # statements left in the current function
        self.globals_used = False

    # --- small utilities
    def on(self, feat, p=1.0):
        return feat in self.f and self.r.random() < p

    def use(self, feat):
        self.used.add(feat)

    def fresh(self, base="t"):
        self.counter += 1
        return f"{base}{self.counter}"

    def const(self):
        return self.r.choice(CONSTS)

    # --- leaves
    def index_exprs(self, sc, length):
        """Index expressions valid for a sequence of ``length``."""
        out = []
        for name, t in sc.vars.items():
            if t[0] == "I":
                lo, hi = t[1], t[2]
                if hi <= length and lo >= 0:
                    out.append(name)
                    if lo >= 1:
                        out.append(f"{name} - 1")
                    if hi + 1 <= length:
                        out.append(f"{name} + 1")
                    if "subscript" in self.f:
                        out.append(f"-1 - {name}")
                        out.append(f"{length - 1} - {name}")
        return out

    def const_index(self, length):
        if "subscript" in self.f and self.r.random() < 0.3:
            self.use("subscript")
            return str(self.r.randint(-length, -1))
        return str(self.r.randrange(length))

    def any_index(self, sc, length):
        idx = self.index_exprs(sc, length)
        if idx and self.r.random() < 0.7:
            return self.r.choice(idx)
        return self.const_index(length)

    def sleaf(self, sc):
        opts = []
        scal = sc.of(lambda t: t == S)
        vecs = sc.of(lambda t: t[0] == "V")
        mats = sc.of(lambda t: t[0] == "M")
        lists = sc.of(lambda t: t[0] == "LS")
        dicts = sc.of(lambda t: t[0] == "D")
        if scal:
            opts.append(("scalar", 6))
        if vecs:
            opts.append(("vindex", 3))
        if mats:
            opts.append(("mindex", 1))
        if lists:
            opts.append(("lindex", 2))
        if dicts:
            opts.append(("dscalar", 2))
        tups = sc.of(lambda t: t[0] == "TP")
        if tups:
            opts.append(("tscalar", 2))
        opts.append(("const", 1))
        k = wchoice(self.r, opts)
        if k == "scalar":
            return self.r.choice(scal)
        if k == "vindex":
            v = self.r.choice(vecs)
            return f"{v}[{self.any_index(sc, sc.vars[v][1])}]"
        if k == "mindex":
            m = self.r.choice(mats)
            _, r, c = sc.vars[m]
            return f"{m}[{self.any_index(sc, r)}, {self.any_index(sc, c)}]"
        if k == "lindex":
            v = self.r.choice(lists)
            return f"{v}[{self.any_index(sc, sc.vars[v][1])}]"
        if k == "tscalar":
            q = self.r.choice(tups)
            i = next(j for j, t in enumerate(sc.vars[q][1]) if t == S)
            return self.r.choice([f"{q}[{i}]", f"{q}[0][{self.const_index(sc.vars[q][1][0][1])}]"])
        if k == "dscalar":
            d = self.r.choice(dicts)
            keys = [k for k, t in sc.vars[d][1] if t == S]
            if keys:
                return f'{d}["{self.r.choice(keys)}"]'
        return self.const()

    def vleaf(self, sc, n):
        opts = []
        same = sc.of(lambda t: t == V(n))
        if same:
            opts.append(("var", 8))
        longer = sc.of(lambda t: t[0] == "V" and t[1] > n)
        if longer and "subscript" in self.f:
            opts.append(("slice", 2))
        step2 = sc.of(lambda t: t[0] == "V" and (t[1] + 1) // 2 == n and t[1] > n)
        if step2 and "subscript" in self.f:
            opts.append(("step", 1))
        if same and "subscript" in self.f:
            opts.append(("rev", 1))
        rows = sc.of(lambda t: t[0] == "M" and t[2] == n)
        cols = sc.of(lambda t: t[0] == "M" and t[1] == n)
        if rows:
            opts.append(("row", 2))
        if cols:
            opts.append(("col", 2))
        anyv = sc.of(lambda t: t[0] == "V")
        if anyv and "fancy" in self.f:
            opts.append(("fancy", 1))
        tv = [q for q in sc.of(lambda t: t[0] == "TP") if sc.vars[q][1][0] == V(n)]
        if tv:
            opts.append(("tuple", 2))
        dv = [(d, k) for d in sc.of(lambda t: t[0] == "D") for k, t in sc.vars[d][1] if t == V(n)]
        if dv:
            opts.append(("dict", 2))
        if not opts:
            opts.append(("ones", 1))
        k = wchoice(self.r, opts)
        if k == "var":
            return self.r.choice(same)
        if k == "slice":
            self.use("subscript")
            v = self.r.choice(longer)
            m = sc.vars[v][1]
            a = self.r.randint(0, m - n)
            forms = [f"{v}[{a}:{a + n}]"]
            if a == 0:
                forms.append(f"{v}[:{n}]")
            if a + n == m:
                forms += [f"{v}[{a}:]", f"{v}[-{n}:]"]
            else:
                forms.append(f"{v}[{a - m}:{a + n - m}]")
            return self.r.choice(forms)
        if k == "step":
            self.use("subscript")
            return f"{self.r.choice(step2)}[::2]"
        if k == "rev":
            self.use("subscript")
            return f"{self.r.choice(same)}[::-1]"
        if k == "row":
            m = self.r.choice(rows)
            i = self.any_index(sc, sc.vars[m][1])
            return self.r.choice([f"{m}[{i}]", f"{m}[{i}, :]"])
        if k == "col":
            self.use("subscript")
            m = self.r.choice(cols)
            return f"{m}[:, {self.any_index(sc, sc.vars[m][2])}]"
        if k == "fancy":
            self.use("fancy")
            v = self.r.choice(anyv)
            m = sc.vars[v][1]
            idx = [self.r.randrange(m) for _ in range(n)]
            return f"{v}[{idx}]"
        if k == "dict":
            d, key = self.r.choice(dv)
            return f'{d}["{key}"]'
        if k == "tuple":
            return f"{self.r.choice(tv)}[0]"
        return f"np.ones({n}) * {self.sleaf(sc)}"

    # --- expressions
    def expr(self, sc, t, d):
        if t == S:
            return self.sexpr(sc, d)
        if t[0] == "V":
            return self.vexpr(sc, t[1], d)
        if t[0] == "M":
            return self.mexpr(sc, t[1], t[2], d)
        raise AssertionError(t)

    def unary(self, arg):
        """An elementwise smooth function applied to arg (a string)."""
        table = list(UFUNCS)
        if "exotic" in self.f:
            table += [(x, w * 0.5) for x, w in EXOTIC]
        tpl = wchoice(self.r, table)
        if (tpl, 1) in EXOTIC or any(tpl == x for x, _ in EXOTIC):
            self.use("exotic")
        self.use("numpy")
        return tpl.format(arg)

    def binop(self, a, b):
        op = wchoice(self.r, [("+", 4), ("-", 3), ("*", 4), ("/", 1)])
        if op == "/":
            # a safe denominator unless raw domain programs are on
            if self.on("domain", 0.5):
                self.use("domain")
                return f"({a} / {b})"
            return f"({a} / (1.0 + {b} * {b}))"
        return f"({a} {op} {b})"

    def sexpr(self, sc, d):
        if d <= 0:
            return self.sleaf(sc)
        vecs = sc.of(lambda t: t[0] == "V")
        opts = [("leaf", 2), ("bin", 5), ("unary", 3 if "numpy" in self.f else 0),
                ("math", 1 if "math" in self.f else 0), ("pow", 1),
                ("reduce", 3 if vecs and "reduce" in self.f else 0),
                ("kink", 1 if "kinks" in self.f else 0),
                ("domain", 1 if "domain" in self.f else 0),
                ("helper", 2 if self.helpers_for(S) else 0),
                ("ifexp", 1 if "ifexp" in self.f else 0),
                ("lambda", 1 if sc.of(lambda t: t[0] == "FN") else 0),
                ("compr", 1 if vecs and "comprehension" in self.f else 0),
                ("methods", 1 if vecs and "methods" in self.f else 0),
                ("nondiff", 0.5 if "nondiff" in self.f else 0),
                ("classes", 1.5 if getattr(self, "classes", None) else 0),
                ("indextricks", 1 if vecs and "indextricks" in self.f else 0),
                ("neg", 0.5)]
        k = wchoice(self.r, opts)
        sub = lambda: self.sexpr(sc, d - 1)  # noqa: E731
        if k == "indextricks":
            self.use("indextricks")
            v = self.r.choice(vecs)
            n = sc.vars[v][1]
            a, b = self.vexpr(sc, n, d - 1), self.vexpr(sc, n, d - 1)
            mats = sc.of(lambda t: t[0] == "M" and t[2] == n)
            forms = [f"np.sum(np.r_[{a}, {b}] ** 2)", f"np.sum(np.r_[{a}, {sub()}] * 0.5)",
                     f"np.sum(np.c_[{a}, {b}] ** 2)", f"np.einsum({a}, [0], {b}, [0], [])",
                     f"np.einsum({a}, [0], [])", f"np.einsum('i,i->', {a}, {b})"]
            if mats:
                m = self.r.choice(mats)
                forms.append(f"np.sum(np.einsum({m}, [0, 1], {a}, [1], [0]) ** 2)")
            return self.r.choice(forms)
        if k == "leaf":
            return self.sleaf(sc)
        if k == "bin":
            return self.binop(sub(), sub())
        if k == "neg":
            return f"(-{sub()})"
        if k == "unary":
            return self.unary(sub())
        if k == "math":
            self.use("math")
            return wchoice(self.r, MATHS).format(sub())
        if k == "pow":
            e = self.r.choice(["2", "2", "3"])
            return f"({sub()} ** {e})"
        if k == "reduce":
            self.use("reduce")
            v = self.r.choice(vecs)
            n = sc.vars[v][1]
            a = self.vexpr(sc, n, d - 1)
            b = self.vexpr(sc, n, d - 1)
            mats = sc.of(lambda t: t[0] == "M" and t[2] == n)
            choices = [f"np.sum({a})", f"np.mean({a})", f"np.dot({a}, {b})", f"({a} @ {b})",
                       f"np.sum({a} * {b})"]
            if mats:
                m = self.r.choice(mats)
                rr = sc.vars[m][1]
                choices.append(f"np.sum({m} @ {a})")
                choices.append(f"(np.sum({m} * {a}) / {rr})")
            if "fancy" in self.f and self.r.random() < 0.3:
                self.use("fancy")
                return self.r.choice([f"np.sum({v}[{v} > {self.const()}])", f"np.sum({a}[{v} < 0.0] ** 2)"])
            return self.r.choice(choices)
        if k == "kink":
            self.use("kinks")
            a, b = sub(), sub()
            return self.r.choice([f"np.abs({a})", f"abs({a})", f"np.maximum({a}, {b})", f"np.minimum({a}, {b})",
                                  f"max({a}, {b})", f"min({a}, {b})", f"np.clip({a}, -0.5, 0.5)",
                                  f"np.where({a} > {b}, {a}, {b} * 0.5)"])
        if k == "domain":
            self.use("domain")
            a, b = sub(), sub()
            return self.r.choice([f"np.log({a})", f"np.sqrt({a})", f"({a} / {b})", f"({a} ** 0.5)",
                                  f"({a} ** {b})", f"np.power({a}, 1.5)", f"math.log({a})"])
        if k == "helper":
            return self.helper_call(sc, S, d)
        if k == "ifexp":
            self.use("ifexp")
            return f"({sub()} if {self.cond(sc, d - 1)} else {sub()})"
        if k == "lambda":
            self.use("lambda")
            fn = self.r.choice(sc.of(lambda t: t[0] == "FN"))
            return f"{fn}({sub()})"
        if k == "compr":
            self.use("comprehension")
            v = self.r.choice(vecs)
            e = self.fresh("e")
            inner = sc.copy()
            inner.vars[e] = S
            body = self.sexpr(inner, min(d - 1, 1))
            if e not in body:
                body = f"{e} * {body}"
            return self.r.choice([f"sum([{body} for {e} in {v}])", f"sum({body} for {e} in {v})",
                                  f"np.sum(np.array([{body} for {e} in {v}]))"])
        if k == "methods":
            self.use("methods")
            v = self.r.choice(vecs)
            n = sc.vars[v][1]
            w = self.vexpr(sc, n, d - 1)
            return self.r.choice([f"{v}.sum()", f"{v}.mean()", f"{v}.dot({w})", f"({w}).sum()",
                                  f"np.sum({v}.reshape(1, {n}))", f"({v}.T @ {w})", f"np.sum({v}.T)"])
        if k == "classes":
            return self.method_call(sc, d)
        if k == "nondiff":
            self.use("nondiff")
            a = sub()
            return self.r.choice([f"(np.floor({a}) * {sub()})", f"(np.sign({a}) * {sub()})",
                                  f"({sub()} * len({self.r.choice(vecs)}))" if vecs else f"(round({a}) * 0.5)",
                                  f"(int({a} * 2.0) * {sub()})"])
        raise AssertionError(k)

    def vexpr(self, sc, n, d):
        if d <= 0:
            return self.vleaf(sc, n)
        mats = sc.of(lambda t: t[0] == "M" and t[1] == n)
        opts = [("leaf", 2), ("bin", 4), ("sbin", 3), ("unary", 3 if "numpy" in self.f else 0),
                ("kink", 1 if "kinks" in self.f else 0), ("pow", 1),
                ("helper", 2 if self.helpers_for(V(n)) else 0),
                ("matvec", 2 if mats and "matrix" in self.f else 0),
                ("compr", 1 if "comprehension" in self.f else 0),
                ("where", 1 if "kinks" in self.f else 0),
                ("domain", 0.5 if "domain" in self.f else 0)]
        k = wchoice(self.r, opts)
        sub = lambda: self.vexpr(sc, n, d - 1)  # noqa: E731
        if k == "leaf":
            return self.vleaf(sc, n)
        if k == "bin":
            return self.binop(sub(), sub())
        if k == "sbin":
            s = self.sexpr(sc, d - 1)
            return self.binop(s, sub()) if self.r.random() < 0.5 else self.binop(sub(), s)
        if k == "unary":
            return self.unary(sub())
        if k == "pow":
            return f"({sub()} ** 2)"
        if k == "kink":
            self.use("kinks")
            a = sub()
            b = self.r.choice([sub(), self.sexpr(sc, d - 1)])
            return self.r.choice([f"np.abs({a})", f"np.maximum({a}, {b})", f"np.minimum({a}, {b})",
                                  f"np.clip({a}, -0.5, 0.8)"])
        if k == "where":
            self.use("kinks")
            a, b = sub(), sub()
            return f"np.where({sub()} > {self.const()}, {a}, {b})"
        if k == "domain":
            self.use("domain")
            return self.r.choice([f"np.log({sub()})", f"np.sqrt({sub()})", f"({sub()} / {sub()})"])
        if k == "helper":
            return self.helper_call(sc, V(n), d)
        if k == "matvec":
            self.use("matrix")
            m = self.r.choice(mats)
            c = sc.vars[m][2]
            u = self.vexpr(sc, c, d - 1)
            return self.r.choice([f"({m} @ {u})", f"np.dot({m}, {u})"])
        if k == "compr":
            self.use("comprehension")
            src = sc.of(lambda t: t == V(n))
            if not src:
                return self.vleaf(sc, n)
            v = self.r.choice(src)
            e = self.fresh("e")
            inner = sc.copy()
            inner.vars[e] = S
            body = self.sexpr(inner, 1)
            if e not in body:
                body = f"{e} * {body}"
            return f"np.array([{body} for {e} in {v}])"
        raise AssertionError(k)

    def mexpr(self, sc, r, c, d):
        mats = sc.of(lambda t: t == ("M", r, c))
        if d <= 0 or not mats:
            if mats:
                return self.r.choice(mats)
            return f"np.ones(({r}, {c})) * {self.sleaf(sc)}"
        k = self.r.choice(["leaf", "bin", "sbin", "vbin", "unary"])
        sub = lambda: self.mexpr(sc, r, c, d - 1)  # noqa: E731
        if k == "leaf":
            return self.r.choice(mats)
        if k == "bin":
            return self.binop(sub(), sub())
        if k == "sbin":
            return self.binop(self.sexpr(sc, d - 1), sub())
        if k == "vbin":
            return self.binop(sub(), self.vexpr(sc, c, d - 1))
        return self.unary(sub())

    def cond(self, sc, d):
        """A boolean expression (on computed values, usually active ones)."""
        ints = sc.of(lambda t: t[0] == "I")
        opts = [("cmpc", 5), ("cmp", 2), ("sum", 1 if sc.of(lambda t: t[0] == "V") else 0),
                ("int", 1 if ints else 0), ("and", 0.5 if d > 0 else 0), ("not", 0.3 if d > 0 else 0)]
        k = wchoice(self.r, opts)
        op = self.r.choice([">", "<", ">=", "<="])
        if k == "cmpc":
            return f"{self.sexpr(sc, max(d, 1))} {op} {self.r.choice(['0.0', '0.5', '-0.3', '1.0', '0.2'])}"
        if k == "cmp":
            return f"{self.sexpr(sc, d)} {op} {self.sexpr(sc, d)}"
        if k == "sum":
            v = self.r.choice(sc.of(lambda t: t[0] == "V"))
            return f"np.sum({v}) {op} {self.r.choice(['0.0', '0.5', '1.0'])}"
        if k == "int":
            i = self.r.choice(ints)
            return self.r.choice([f"{i} % 2 == 0", f"{i} < {sc.vars[i][1] + 1}", f"{i} != {sc.vars[i][1]}"])
        if k == "and":
            return f"{self.cond(sc, d - 1)} {self.r.choice(['and', 'or'])} {self.cond(sc, d - 1)}"
        return f"not {self.cond(sc, d - 1)}"

    # --- helpers
    def helpers_for(self, ret):
        return [h for h in self.helpers if h[2] == ret] if "helper" in self.f else []

    def helper_call(self, sc, ret, d):
        self.use("helper")
        name, ptypes, _, nreq, pnames = self.r.choice(self.helpers_for(ret))
        if pnames is None:   # def h(a, *rest): positional only, one or more
            self.use("kwargs")
            return f"{name}({', '.join(self.sexpr(sc, d - 1) for _ in range(self.r.randint(1, 3)))})"
        pos, kw = [], []
        by_keyword = False
        for i, (p, t) in enumerate(zip(pnames, ptypes)):
            if i >= nreq and self.r.random() < 0.4:
                continue  # leave the default
            a = str(self.r.randint(t[1], t[2] - 1)) if t[0] == "I" else self.expr(sc, t, d - 1)
            if i >= nreq or (i > 0 and "kwargs" in self.f and self.r.random() < 0.3):
                by_keyword = True
            if by_keyword:
                self.use("kwargs")
                kw.append(f"{p}={a}")
            else:
                pos.append(a)
        return f"{name}({', '.join(pos + kw)})"

    def make_helper(self):
        """Emit one module-level helper function."""
        name = self.fresh("h")
        if self.on("recursion", 0.25):
            self.use("recursion")
            ret = self.r.choice([S, S, V(self.n)])
            self.module_lines += self.recursive_helper(name, ret)
            self.helpers.append((name, [ret, ("I", 0, 4)], ret, 2, ["a", "depth"]))
            return
        nparams = self.r.choice([1, 2, 2, 3])
        ptypes = [self.r.choice([S, S, V(self.n)]) for _ in range(nparams)]
        pnames = ["a", "b", "c"][:nparams]
        ret = self.r.choice([S, S, V(self.n)]) if V(self.n) in ptypes else S
        ndefault = 1 if nparams > 1 and ptypes[-1] == S and self.on("kwargs", 0.5) else 0
        sc = Scope()
        for p, t in zip(pnames, ptypes):
            sc.vars[p] = t
            sc.params.add(p)
        header = ", ".join(pnames[: nparams - ndefault] + [f"{p}={self.const()}" for p in pnames[nparams - ndefault:]])
        saved = (self.in_helper, self.out_type, self.budget)
        self.in_helper, self.out_type, self.budget = True, ret, self.r.randint(1, 4)
        body = self.block(sc, 1, top=True)
        body.append(f"return {self.final_expr(sc, ret)}")
        self.in_helper, self.out_type, self.budget = saved
        if self.on("decorated", 0.4):
            self.module_lines.append(f"@{self.decorator()}")
        self.module_lines.append(f"def {name}({header}):")
        self.module_lines += ["    " + ln for ln in body]
        self.module_lines.append("")
        self.module_lines.append("")
        self.helpers.append((name, ptypes, ret, nparams - ndefault, pnames))

    def decorator(self, tuple_out=False):
        """A functools.wraps decorator (defined once per kind): transparent, scaling the
        result, or changing the first argument. s2s must follow it or refuse."""
        self.use("decorated")
        kind = self.r.choice(["transparent", "shift"] if tuple_out else ["transparent", "scale", "shift"])
        made = getattr(self, "decorators", {})
        self.decorators = made
        if kind not in made:
            name = self.fresh("deco")
            call = {"transparent": "fn(*args, **kwargs)", "scale": "fn(*args, **kwargs) * 2.0",
                    "shift": "fn(args[0] * 0.5, *args[1:], **kwargs)"}[kind]
            self.module_lines += [f"def {name}(fn):", "    @functools.wraps(fn)",
                                  "    def wrapper(*args, **kwargs):", f"        return {call}",
                                  "    return wrapper", "", ""]
            made[kind] = name
        return made[kind]

    def make_class(self):
        cname = self.fresh("K")
        obj = self.fresh("OBJ")
        hs = Scope()
        hs.vars["a"] = S
        hs.vars["self.c"] = S
        body = self.sexpr(hs, 2)
        if "a" not in body:
            body = f"a * {body}"
        self.module_lines += [f"class {cname}:", "    def __init__(self, c):", "        self.c = c", "",
                              "    def apply(self, a):", f"        return {body}", "",
                              "    def twice(self, a):", "        return self.apply(self.apply(a) * 0.5)", "", "",
                              f"{obj} = {cname}({self.const()})", "", ""]
        self.classes = getattr(self, "classes", []) + [(cname, obj)]

    def method_call(self, sc, d):
        self.use("classes")
        cname, obj = self.r.choice(self.classes)
        meth = self.r.choice(["apply", "apply", "twice"])
        arg = self.sexpr(sc, d - 1)
        form = self.r.choice(["global", "fresh", "active"])
        if form == "global":
            return f"{obj}.{meth}({arg})"
        if form == "fresh":
            return f"{cname}({self.const()}).{meth}({arg})"
        return f"{cname}({self.sexpr(sc, d - 1)}).{meth}({arg})"

    def recursive_helper(self, name, ret):
        sc = Scope()
        sc.vars["a"] = ret
        step = self.expr(sc, ret, 1)
        if "a" not in step:
            step = f"a * 0.5 + {step}"
        if self.on("early_return", 0.5):
            self.use("early_return")
            lines = [f"def {name}(a, depth):", "    if depth == 0:", "        return a",
                     f"    return {name}({step}, depth - 1)"]
        else:
            lines = [f"def {name}(a, depth):", "    out = a", "    if depth > 0:",
                     f"        out = {name}({step}, depth - 1)", "    return out"]
        return lines + ["", ""]

    # --- statements
    def block(self, sc, depth, top=False):
        """A list of source lines (relative indentation) for a statement block."""
        lines = []
        count = self.r.randint(2, 5) if top else self.r.randint(1, 3)
        for _ in range(count):
            if self.budget <= 0 and lines:
                break
            self.budget -= 1
            lines += self.statement(sc, depth)
        return lines or ["pass"]

    def assignable(self, sc, t=None):
        out = []
        for n, ty in sc.vars.items():
            if n in sc.noassign or ty[0] not in ("S", "V", "M"):
                continue
            if n in sc.params and "overwrite" not in self.f:
                continue
            if t is None or ty == t:
                out.append(n)
        return out

    def new_type(self, sc):
        ts = [(S, 5), (V(self.n), 3)]
        if sc.of(lambda t: t[0] == "M"):
            m = sc.vars[sc.of(lambda t: t[0] == "M")[0]]
            ts.append((m, 1))
        return wchoice(self.r, ts)

    def statement(self, sc, depth):
        loops_ok = depth < (3 if "nested" in self.f else 2) and self.loop_depth < (2 if "nested" in self.f else 1)
        opts = [("assign", 6), ("reassign", 3 if self.assignable(sc) else 0),
                ("aug", 2 if "aug" in self.f and self.assignable(sc) else 0),
                ("if", 3 if "if" in self.f and depth < 3 else 0),
                ("for", 3 if "for" in self.f and loops_ok else 0),
                ("iter", 2 if "iter" in self.f and loops_ok else 0),
                ("while", 2 if "while" in self.f and loops_ok else 0),
                ("inplace", 2 if "inplace" in self.f else 0),
                ("argwrite", 1 if "argwrite" in self.f and self.writable_args(sc) else 0),
                ("tuple", 1 if "tuple" in self.f else 0),
                ("list", 1 if "list" in self.f else 0),
                ("dict", 1 if "dict" in self.f else 0),
                ("lambda", 1 if "lambda" in self.f else 0),
                ("closure", 1 if "closure" in self.f and not self.in_helper else 0),
                ("nondiff", 1 if "nondiff" in self.f else 0),
                ("break", 2 if self.loop_depth and ("break" in self.f or "continue" in self.f) else 0),
                ("return", 1 if "early_return" in self.f else 0),
                ("unsupported", 0.5 if "unsupported" in self.f else 0),
                ("random", 1.5 if "random" in self.f else 0),
                ("mutation", 1.5 if "mutation" in self.f else 0),
                ("writeafter", 1.5 if "writeafter" in self.f else 0),
                ("views", 1.5 if "views" in self.f else 0),
                ("alias", 1.5 if "alias" in self.f else 0)]
        k = wchoice(self.r, opts)
        return getattr(self, "st_" + k)(sc, depth)

    def st_assign(self, sc, depth):
        t = self.new_type(sc)
        name = self.fresh()
        e = self.expr(sc, t, self.r.randint(1, 3))
        sc.vars[name] = t
        if t[0] in ("V", "M"):
            sc.owned.discard(name)
        return [f"{name} = {e}"]

    def st_reassign(self, sc, depth):
        name = self.r.choice(self.assignable(sc))
        if name in sc.params:
            self.use("overwrite")
        t = sc.vars[name]
        e = self.expr(sc, t, self.r.randint(1, 3))
        if name not in e and self.r.random() < 0.6:
            e = self.binop(name, e)
        sc.owned.discard(name)
        return [f"{name} = {e}"]

    def st_aug(self, sc, depth):
        self.use("aug")
        cands = [n for n in self.assignable(sc) if sc.vars[n] == S or n in sc.owned or
                 ("argwrite" in self.f and n in sc.params)]
        if not cands:
            return self.st_assign(sc, depth)
        name = self.r.choice(cands)
        t = sc.vars[name]
        if name in sc.params and t != S:
            self.use("argwrite")
        op = self.r.choice(["+=", "-=", "*="])
        e = self.expr(sc, t if self.r.random() < 0.6 else S, self.r.randint(0, 2))
        if op == "*=":
            e = f"(1.0 + 0.5 * np.tanh({e}))" if "numpy" in self.f else "0.9"
        return [f"{name} {op} {e}"]

    def st_if(self, sc, depth):
        self.use("if")
        c = self.cond(sc, 1)
        a = sc.copy()
        lines = [f"if {c}:"] + self.indent(self.block(a, depth + 1))
        branches = [a]
        while "elif" in self.f and self.r.random() < 0.35:
            self.use("elif")
            b = sc.copy()
            lines += [f"elif {self.cond(sc, 1)}:"] + self.indent(self.block(b, depth + 1))
            branches.append(b)
        if self.r.random() < 0.7:
            b = sc.copy()
            lines += ["else:"] + self.indent(self.block(b, depth + 1))
            branches.append(b)
        else:
            branches.append(sc.copy())
        merged = branches[0]
        for b in branches[1:]:
            m = sc.copy()
            m.merge_branches(merged, b)
            merged = m
        sc.vars, sc.owned = merged.vars, merged.owned
        return lines

    def indent(self, lines):
        return ["    " + ln for ln in lines]

    def loop_body(self, sc, depth, header, pre=(), first=()):
        body_sc = sc.copy()
        self.loop_depth += 1
        body = list(first) + self.block(body_sc, depth + 1)
        self.loop_depth -= 1
        sc.after_loop(body_sc)
        return list(pre) + [header] + self.indent(body)

    def st_for(self, sc, depth):
        self.use("for")
        i = self.fresh("i")
        n = self.n
        vecs = sc.of(lambda t: t[0] == "V")
        outer = [(v, t) for v, t in sc.vars.items() if t[0] == "I" and t[1] >= 0]
        forms = [("range(N)", 3), ("range(1, N)", 1), ("range(len)", 2 if vecs else 0),
                 ("range(n)", 2 if "n" in sc.vars and sc.vars["n"][0] == "INT" else 0),
                 ("arange", 1 if outer and "nested" in self.f else 0), ("range(3)", 1)]
        form = wchoice(self.r, forms)
        if form == "range(N)":
            hdr, lo, hi = f"for {i} in range({n}):", 0, n
        elif form == "range(1, N)":
            hdr, lo, hi = f"for {i} in range(1, {n}):", 1, n
        elif form == "range(len)":
            v = self.r.choice(vecs)
            m = sc.vars[v][1]
            hdr, lo, hi = f"for {i} in range(len({v})):", 0, m
        elif form == "range(n)":
            hdr, lo, hi = f"for {i} in range(n):", 0, sc.vars["n"][1]
            self.use("intparam")
        elif form == "arange":
            self.use("nested")
            o, ot = self.r.choice(outer)
            hdr, lo, hi = f"for {i} in np.arange({o}, {n}):", 0, n
            if ot[2] > n:
                hdr, lo, hi = f"for {i} in range(3):", 0, 3
        else:
            hdr, lo, hi = f"for {i} in range(3):", 0, 3
        if self.loop_depth:
            self.use("nested")
        inner = sc.copy()
        inner.vars[i] = ("I", lo, hi)
        inner.noassign.add(i)
        pre, first = [], []
        acc = None
        if "list" in self.f and self.r.random() < 0.3:
            self.use("list")
            acc = self.fresh("acc")
            pre.append(f"{acc} = []")
            first.append(f"{acc}.append({self.sexpr(inner, 2)})")
        lines = self.loop_body(sc, depth, hdr, pre, first)
        if acc is not None:
            # the loop body may break/continue: only sum() is safe for any length
            tname = self.fresh()
            if any(ln.strip() in ("break", "continue") or "return" in ln for ln in lines):
                lines.append(f"{tname} = sum({acc})")
                sc.vars[tname] = S
            else:
                trips = hi - lo
                choice = self.r.choice(["array", "sum", "last"])
                if choice == "array":
                    lines.append(f"{tname} = np.array({acc})")
                    sc.vars[tname] = V(trips)
                elif choice == "sum":
                    lines.append(f"{tname} = sum({acc})")
                    sc.vars[tname] = S
                else:
                    lines.append(f"{tname} = {acc}[-1] * {acc}[0]")
                    sc.vars[tname] = S
        return lines

    def st_iter(self, sc, depth):
        self.use("iter")
        vecs = sc.of(lambda t: t[0] == "V")
        lists = sc.of(lambda t: t[0] == "LS")
        mats = sc.of(lambda t: t[0] == "M")
        forms = [("elems", 3 if vecs else 0), ("enumerate", 2 if vecs else 0),
                 ("zip", 2 if len(vecs) >= 1 else 0), ("reversed", 1 if vecs else 0),
                 ("list", 2 if lists else 0), ("rows", 1 if mats else 0), ("literal", 1)]
        form = wchoice(self.r, forms)
        inner = sc.copy()
        e = self.fresh("e")
        if form == "elems":
            v = self.r.choice(vecs)
            hdr = f"for {e} in {v}:"
            inner.vars[e] = S
        elif form == "enumerate":
            v = self.r.choice(vecs)
            i = self.fresh("i")
            hdr = f"for {i}, {e} in enumerate({v}):"
            inner.vars[e] = S
            inner.vars[i] = ("I", 0, sc.vars[v][1])
            inner.noassign.add(i)
        elif form == "zip":
            v = self.r.choice(vecs)
            same = sc.of(lambda t: t == sc.vars[v])
            w = self.r.choice(same)
            e2 = self.fresh("e")
            hdr = f"for {e}, {e2} in zip({v}, {w}):"
            inner.vars[e] = S
            inner.vars[e2] = S
        elif form == "reversed":
            v = self.r.choice(vecs)
            hdr = f"for {e} in reversed({v}):"
            inner.vars[e] = S
        elif form == "list":
            v = self.r.choice(lists)
            hdr = f"for {e} in {v}:"
            inner.vars[e] = S
        elif form == "rows":
            m = self.r.choice(mats)
            hdr = f"for {e} in {m}:"
            inner.vars[e] = V(sc.vars[m][2])
        else:
            items = [self.sleaf(sc) for _ in range(self.r.randint(2, 3))]
            hdr = f"for {e} in {self.r.choice(['[', '('])}{', '.join(items)}{',' if len(items) == 1 else ''}"
            hdr += ("]" if "[" in hdr.split(" in ")[1][:1] else ")") + ":"
            inner.vars[e] = S
        if self.loop_depth:
            self.use("nested")
        self.loop_depth += 1
        body = self.block(inner, depth + 1)
        self.loop_depth -= 1
        sc.after_loop(inner)
        return [hdr] + self.indent(body)

    def st_while(self, sc, depth):
        self.use("while")
        scal = [n for n in self.assignable(sc, S)]
        s = self.fresh("w")
        lines = [f"{s} = {self.sexpr(sc, 1)}"]
        sc.vars[s] = S
        k = self.fresh("k")
        lines.append(f"{k} = 0")
        limit = self.r.choice(["1.0", "2.0", "3.0", "0.5"])
        inner = sc.copy()
        inner.noassign.add(k)
        inner.noassign.add(s)
        inner.vars[k] = ("I", 0, 6)
        progress = f"{s} = {s} + {self.r.choice(['0.3', '0.5', '0.7'])} + {self.sexpr(inner, 1)} ** 2"
        form = self.r.choice(["bounded", "progress", "counter"])
        if form == "bounded":
            hdr = f"while {s} < {limit} and {k} < 6:"
        elif form == "progress":
            hdr = f"while {s} < {limit}:"
        else:
            hdr = f"while {k} < {self.r.randint(1, 4)}:"
        first = [progress, f"{k} = {k} + 1"]
        if scal and self.r.random() < 0.5:
            # a value that carries derivatives through the loop
            t = self.r.choice(scal)
            if t not in inner.noassign:
                first.append(f"{t} = {t} * 0.8 + {self.sexpr(inner, 1)}")
        self.loop_depth += 1
        body = first + self.block(inner, depth + 1)
        self.loop_depth -= 1
        sc.after_loop(inner)
        return lines + [hdr] + self.indent(body)

    def writable_args(self, sc):
        return [p for p in sorted(sc.params) if sc.vars.get(p, S)[0] in ("V", "M")]

    def st_inplace(self, sc, depth):
        self.use("inplace")
        owned = [v for v in sorted(sc.owned) if sc.vars.get(v, S)[0] in ("V", "M") and v not in sc.noassign]
        lines = []
        if "matrix" in self.f and self.r.random() < 0.2:
            self.use("matrix")
            y = self.fresh("Y")
            r = self.rows
            lines.append(f"{y} = np.zeros(({r}, {self.n}))")
            sc.vars[y] = ("M", r, self.n)
            sc.owned.add(y)
        elif not owned or self.r.random() < 0.3:
            y = self.fresh("y")
            n = self.n
            init = self.r.choice([f"np.zeros({n})", f"np.ones({n}) * {self.sleaf(sc)}",
                                  f"{self.vexpr(sc, n, 1)} * 1.0", f"np.zeros({n}) + {self.vexpr(sc, n, 1)}"])
            lines.append(f"{y} = {init}")
            sc.vars[y] = V(n)
            sc.owned.add(y)
        else:
            y = self.r.choice(owned)
        return lines + self.write_into(sc, y)

    def st_argwrite(self, sc, depth):
        self.use("argwrite")
        y = self.r.choice(self.writable_args(sc))
        return self.write_into(sc, y)

    def write_into(self, sc, y):
        t = sc.vars[y]
        if t[0] == "M":
            r, c = t[1], t[2]
            i = self.any_index(sc, r)
            form = self.r.choice(["elem", "row", "aug"])
            if form == "elem":
                return [f"{y}[{i}, {self.any_index(sc, c)}] = {self.sexpr(sc, 2)}"]
            if form == "row":
                return [f"{y}[{i}] = {self.vexpr(sc, c, 1)}"]
            return [f"{y}[{i}, {self.any_index(sc, c)}] += {self.sexpr(sc, 2)}"]
        n = t[1]
        form = self.r.choice(["elem", "elem", "aug", "slice", "const", "mul"])
        i = self.any_index(sc, n)
        if form == "elem":
            return [f"{y}[{i}] = {self.sexpr(sc, 2)}"]
        if form == "aug":
            return [f"{y}[{i}] += {self.sexpr(sc, 2)}"]
        if form == "mul":
            return [f"{y}[{i}] *= {self.sexpr(sc, 1)}"]
        if form == "const":
            return [f"{y}[{i}] = {self.const()}"]
        a = self.r.randint(0, n - 2)
        b = self.r.randint(a + 1, n)
        if self.r.random() < 0.5:
            return [f"{y}[{a}:{b}] = {self.vexpr(sc, b - a, 1)}" if sc.of(lambda t: t == V(b - a))
                    else f"{y}[{a}:{b}] = {self.sexpr(sc, 1)}"]
        return [f"{y}[{a}:{b}] += {self.sexpr(sc, 1)}"]

    # --- issue 9's patterns
    def vec_targets(self, sc):
        """Vectors a statement may write into: arrays f made, and (with argwrite) f's own arguments."""
        out = [v for v in sc.owned if sc.vars.get(v) == V(self.n) and v not in sc.noassign]
        if "argwrite" in self.f and not self.in_helper:
            out += [p for p in sc.params if sc.vars.get(p) == V(self.n) and p not in sc.noassign]
        return sorted(set(out))

    def fresh_owned_vector(self, sc):
        y = self.fresh("y")
        line = f"{y} = {self.vexpr(sc, self.n, 1)} * 1.0"
        sc.vars[y] = V(self.n)
        sc.owned.add(y)
        return y, [line]

    def target_vector(self, sc):
        cands = self.vec_targets(sc)
        if cands and self.r.random() < 0.7:
            y = self.r.choice(cands)
            if y in sc.params:
                self.use("argwrite")
            return y, []
        return self.fresh_owned_vector(sc)

    def st_random(self, sc, depth):
        """rs = np.random.RandomState(k) made in f (so every evaluation draws the same numbers),
        passed to a helper that draws from it, or drawn from directly."""
        self.use("random")
        n = self.n
        kind = self.r.choice(["RandomState", "RandomState", "Generator"])
        rs = self.fresh("rs")
        lines = [f"{rs} = np.random.RandomState({self.r.randint(0, 99)})" if kind == "RandomState"
                 else f"{rs} = np.random.default_rng({self.r.randint(0, 99)})"]
        vdraw = f"{rs}.randn({n})" if kind == "RandomState" else self.r.choice(
            [f"{rs}.standard_normal({n})", f"{rs}.normal(0.0, 1.0, {n})"])
        sdraw = f"{rs}.randn()" if kind == "RandomState" else f"{rs}.standard_normal()"
        t = self.fresh()
        ty = self.r.choice([S, V(n)])
        if self.in_helper or self.r.random() < 0.4:
            e = self.expr(sc, ty, 1)
            lines.append(f"{t} = {(vdraw if ty != S else sdraw)} * {e} + {e}")
        else:
            h = self.fresh("sample")
            hs = Scope()
            hs.vars["mean"] = ty
            scale = self.sexpr(hs, 1)
            draw = (vdraw if ty != S else sdraw).replace(rs, "rs")
            self.module_lines += [f"def {h}(mean, rs):", f"    return {draw} * np.exp(0.5 * np.tanh({scale})) + mean",
                                  "", ""]
            lines.append(f"{t} = {h}({self.expr(sc, ty, 1)}, {rs})")
        sc.vars[t] = ty
        if ty != S:
            sc.owned.discard(t)
        return lines

    def st_mutation(self, sc, depth):
        """A helper that changes its argument: appends to a list, writes an item, adds in place."""
        self.use("mutation")
        form = self.r.choice(["push", "setitem", "iadd"])
        h = self.fresh("h")
        t = self.fresh()
        if form == "push":
            self.module_lines += [f"def {h}(s, v):", "    s.append(v)", "", ""]
            lst = self.fresh("l")
            e = self.sexpr(sc, 2)
            take = self.r.choice([f"{lst}.pop()", f"{lst}[0]", f"{lst}[-1]"])
            line = f"{t} = {take} * {self.sleaf(sc)}"
            sc.vars[t] = S
            return [f"{lst} = []", f"{h}({lst}, {e})", line]
        y, lines = self.target_vector(sc)
        if form == "setitem":
            i = self.r.randrange(self.n)
            self.module_lines += [f"def {h}(a, b):", f"    a[{i}] = b", "    return 0.0", "", ""]
            lines.append(f"{h}({y}, {self.sexpr(sc, 2)})")
        else:
            self.module_lines += [f"def {h}(a, b):", "    a += b", "    return a", "", ""]
            lines.append(f"{h}({y}, {self.expr(sc, self.r.choice([S, V(self.n)]), 1)})")
        return lines

    def st_writeafter(self, sc, depth):
        """t = <uses y>; then y is written in place: t must keep the old value."""
        self.use("writeafter")
        y, lines = self.target_vector(sc)
        t = self.fresh()
        ty = self.r.choice([S, V(self.n)])
        e = self.expr(sc, ty, 2)
        if y not in e:
            e = f"{e} * {y}[{self.r.randrange(self.n)}]" if ty == S else f"{e} * {y}"
        lines.append(f"{t} = {e}")
        sc.vars[t] = ty
        if ty != S:
            sc.owned.discard(t)
        return lines + self.write_into(sc, y)

    def st_views(self, sc, depth):
        """v = y[a:b] (a view): y is then written, and v (which sees the write) is used later."""
        self.use("views")
        y, lines = self.target_vector(sc)
        v = self.fresh("v")
        n = self.n
        a = self.r.randint(0, n - 2)
        b = self.r.randint(a + 1, n)
        form = self.r.choice(["slice", "step", "full"])
        if form == "slice":
            lines.append(f"{v} = {y}[{a}:{b}]")
            sc.vars[v] = V(b - a)
        elif form == "step":
            lines.append(f"{v} = {y}[::2]")
            sc.vars[v] = V((n + 1) // 2)
        else:
            lines.append(f"{v} = {y}[:]")
            sc.vars[v] = V(n)
        sc.noassign.add(v)
        return lines + self.write_into(sc, y)

    def st_alias(self, sc, depth):
        """b = y, then an in-place operation through one of the names; both see it."""
        self.use("alias")
        y, lines = self.target_vector(sc)
        b = self.fresh("b")
        lines.append(f"{b} = {y}")
        sc.vars[b] = V(self.n)
        sc.noassign.add(b)
        through = self.r.choice([y, b])
        op = self.r.choice(["+=", "-=", "*="])
        e = self.r.choice([self.const(), self.sexpr(sc, 1), self.vexpr(sc, self.n, 1)])
        lines.append(f"{through} {op} {e}")
        return lines

    def st_tuple(self, sc, depth):
        self.use("tuple")
        scal = self.assignable(sc, S)
        tuple_helpers = [h for h in self.helpers if h[2] == ("T",)] if "helper" in self.f else []
        form = self.r.choice(["pack", "swap" if len(scal) >= 2 else "pack", "helper" if tuple_helpers else "pack",
                              "index"])
        if form == "swap":
            a, b = self.r.sample(scal, 2)
            return [f"{a}, {b} = {b}, {self.binop(a, self.sexpr(sc, 1))}"]
        if form == "helper":
            name, ptypes, _, _, _ = self.r.choice(tuple_helpers)
            p, q = self.fresh(), self.fresh()
            args = ", ".join(self.expr(sc, t, 1) for t in ptypes)
            sc.vars[p] = S
            sc.vars[q] = S
            self.use("helper")
            return [f"{p}, {q} = {name}({args})"]
        if form == "index":
            tp = self.fresh("tp")
            a = self.fresh()
            e1, e2 = self.sexpr(sc, 1), self.sexpr(sc, 1)
            sc.vars[a] = S
            return [f"{tp} = ({e1}, {e2})", f"{a} = {tp}[0] * {tp}[1] + {tp}[-1]"]
        p, q = self.fresh(), self.fresh()
        line = f"{p}, {q} = {self.sexpr(sc, 2)}, {self.sexpr(sc, 2)}"
        sc.vars[p] = S
        sc.vars[q] = S
        return [line]

    def st_list(self, sc, depth):
        self.use("list")
        lst = self.fresh("lst")
        k = self.r.randint(2, 4)
        items = [self.sexpr(sc, 1) for _ in range(k)]
        t = self.fresh()
        use = self.r.choice(["array", "sum", "index", "stack"])
        lines = [f"{lst} = [{', '.join(items)}]"]
        if use == "array":
            lines.append(f"{t} = np.array({lst})")
            sc.vars[t] = V(k)
            sc.owned.add(t)
        elif use == "stack":
            lines.append(f"{t} = np.stack({lst})")
            sc.vars[t] = V(k)
            sc.owned.add(t)
        elif use == "sum":
            lines.append(f"{t} = sum({lst})")
            sc.vars[t] = S
        else:
            lines.append(f"{t} = {lst}[{self.r.randrange(k)}] * {lst}[-1]")
            sc.vars[t] = S
        return lines

    def st_dict(self, sc, depth):
        self.use("dict")
        dn = self.fresh("dct")
        t = self.fresh()
        a, b = self.sexpr(sc, 1), self.vexpr(sc, self.n, 1)
        sc.vars[t] = S
        return [f'{dn} = {{"a": {a}, "b": {b}}}',
                f'{t} = {dn}["a"] * np.sum({dn}["b"])' if "reduce" in self.f else f'{t} = {dn}["a"] * {dn}["b"][0]']

    def st_lambda(self, sc, depth):
        self.use("lambda")
        g = self.fresh("g")
        inner = sc.copy()
        inner.vars["z"] = S
        body = self.sexpr(inner, 2)
        if "z" not in body:
            body = f"z * {body}"
        sc.vars[g] = ("FN",)
        sc.noassign.add(g)
        t = self.fresh()
        call = f"{t} = {g}({self.sexpr(sc, 1)})"
        sc.vars[t] = S
        return [f"{g} = lambda z: {body}", call]

    def st_closure(self, sc, depth):
        self.use("closure")
        g = self.fresh("inner")
        inner = sc.copy()
        inner.vars["z"] = S
        saved_f = self.f
        self.f = self.f - {"early_return", "break", "continue", "closure", "while", "for", "iter", "inplace",
                           "argwrite", "unsupported"}
        body = self.sexpr(inner, 2)
        self.f = saved_f
        if "z" not in body:
            body = f"z * {body}"
        t = self.fresh()
        arg = self.sexpr(sc, 1)
        sc.vars[t] = S
        return [f"def {g}(z):", f"    return {body}", f"{t} = {g}({arg})"]

    def st_nondiff(self, sc, depth):
        self.use("nondiff")
        vecs = sc.of(lambda t: t[0] == "V")
        forms = ["print", "assert", "floor", "isinstance"]
        if vecs:
            forms += ["argmax", "len", "shape"]
        form = self.r.choice(forms)
        if form == "print":
            return [f"print('value', {self.sexpr(sc, 1)})"]
        if form == "assert":
            return [f"assert {self.sexpr(sc, 1)} == {self.sexpr(sc, 0)} or True"]
        if form == "isinstance":
            t = self.fresh()
            a, b = self.sexpr(sc, 1), self.sexpr(sc, 1)
            v = self.r.choice(vecs) if vecs else a
            sc.vars[t] = S
            return [f"{t} = {a} * (2.0 if isinstance({v}, np.ndarray) else 1.0) + {b}"]
        t = self.fresh()
        if form == "floor":
            line = [f"{t} = np.floor({self.sexpr(sc, 1)}) + {self.sexpr(sc, 1)}"]
        else:
            v = self.r.choice(vecs)
            if form == "argmax":
                j = self.fresh("j")
                line = [f"{j} = int(np.{self.r.choice(['argmax', 'argmin'])}({v}))",
                        f"{t} = {v}[{j}] * {self.sexpr(sc, 1)}"]
            elif form == "len":
                line = [f"{t} = {self.sexpr(sc, 1)} / len({v})"]
            else:
                line = [f"{t} = {self.sexpr(sc, 1)} * {v}.shape[0]"]
        sc.vars[t] = S
        return line

    def st_break(self, sc, depth):
        kinds = [k for k in ("break", "continue") if k in self.f]
        k = self.r.choice(kinds)
        self.use(k)
        return [f"if {self.cond(sc, 1)}:", f"    {k}"]

    def st_return(self, sc, depth):
        self.use("early_return")
        return [f"if {self.cond(sc, 1)}:", f"    return {self.final_expr(sc, self.out_type)}"]

    def st_unsupported(self, sc, depth):
        self.use("unsupported")
        form = self.r.choice(["try", "global", "yield_helper", "exec"])
        t = self.fresh()
        e1, e2 = self.sexpr(sc, 2), self.sexpr(sc, 1)
        sc.vars[t] = S
        if form == "try":
            return ["try:", f"    {t} = {e1}", "except ZeroDivisionError:", f"    {t} = 0.0"]
        if form == "global" and not self.globals_used:
            self.globals_used = True
            return ["global G", f"G = {e2}", f"{t} = G * 2.0"]
        if form == "yield_helper" and not self.in_helper:
            gname = self.fresh("gen")
            self.module_lines += [f"def {gname}(a):", "    yield a", "    yield a * 2.0", "", ""]
            return [f"{t} = sum({gname}({e2}))"]
        return [f"{t} = eval('1.0') * {e2}"]

    # --- the output
    def final_expr(self, sc, t):
        """An expression of type t that uses several live variables."""
        if t == ("T",):
            return f"{self.final_expr(sc, S)}, {self.final_expr(sc, S)}"
        live = [n for n, ty in sc.vars.items() if ty[0] in ("S", "V", "M")]
        recent = live[::-1][:2]          # the latest values, so most statements matter
        rest = [n for n in live if n not in recent]
        self.r.shuffle(rest)
        parts = []
        for n in recent + rest[:self.r.randint(0, 2)]:
            ty = sc.vars[n]
            if t == S:
                if ty == S:
                    parts.append(n)
                elif ty[0] == "V":
                    parts.append(self.r.choice([f"np.sum({n})", f"np.sum({n} ** 2)", f"np.mean({n})"])
                                 if "reduce" in self.f else f"{n}[{self.r.randrange(ty[1])}]")
                else:
                    parts.append(f"np.sum({n})" if "reduce" in self.f else f"{n}[0, 0]")
            else:  # V(n)
                if ty == t or ty == S:
                    parts.append(n)
        if not parts or (t != S and not any(sc.vars.get(p) == t for p in parts)):
            parts.append(self.expr(sc, t, 1))
        coef = [self.r.choice(["", "0.5 * ", "2.0 * ", "-"]) for _ in parts]
        return " + ".join(c + p for c, p in zip(coef, parts)).replace("+ -", "- ")

    # --- the whole module
    def module(self):
        n = self.n
        sc = Scope()
        params = []
        argspecs = []   # (name, kind)
        nparams = self.r.choice([1, 2, 2, 3])
        for k in range(nparams):
            kind = wchoice(self.r, [("S", 3), ("V", 4), ("M", 1.5 if "matrix" in self.f else 0)])
            name = ["x", "y", "z"][k]
            if kind == "S":
                sc.vars[name] = S
            elif kind == "V":
                sc.vars[name] = V(n)
            else:
                self.use("matrix")
                sc.vars[name] = ("M", self.rows, n)
            params.append(name)
            argspecs.append((name, sc.vars[name]))
        if self.on("listarg", 0.5):
            self.use("listarg")
            sc.vars["xs"] = ("LS", 3)
            sc.noassign.add("xs")
            params.append("xs")
            argspecs.append(("xs", ("LS", 3)))
        if self.on("dictarg", 0.5):
            self.use("dictarg")
            sc.vars["p"] = ("D", (("w", V(n)), ("b", S)))
            sc.noassign.add("p")
            params.append("p")
            argspecs.append(("p", sc.vars["p"]))
        if self.on("tuplearg", 0.5):
            self.use("tuplearg")
            sc.vars["q"] = ("TP", (V(n), S))
            sc.noassign.add("q")
            params.append("q")
            argspecs.append(("q", sc.vars["q"]))
        if self.on("intparam", 0.5):
            sc.vars["n"] = ("INT", n)
            sc.noassign.add("n")
            params.append("n")
            argspecs.append(("n", ("INT", n)))
        sc.params = set(params)
        if self.on("vector_out", 0.25):
            self.use("vector_out")
            self.out_type = V(n)
        elif self.on("tuple_out", 0.2):
            self.use("tuple_out")
            self.out_type = ("T",)
        if "helper" in self.f:
            for _ in range(max(1, round(self.size * self.r.choice([1, 1, 2, 3])))):
                self.make_helper()
            if "kwargs" in self.f and self.r.random() < 0.4:
                name = self.fresh("h")
                self.module_lines += [f"def {name}(a, *rest):", "    t = a", "    for r in rest:",
                                      f"        t = t * {self.const()} + np.sin(r)", "    return t", "", ""]
                self.helpers.append((name, [S], S, 1, None))
                if self.r.random() < 0.5:
                    fwd = self.fresh("h")
                    self.module_lines += [f"def {fwd}(*args):", f"    return {name}(*args) * 2.0", "", ""]
                    self.helpers.append((fwd, [S], S, 1, None))
            if "tuple" in self.f and self.r.random() < 0.5:
                name = self.fresh("h")
                hs = Scope()
                hs.vars["a"] = S
                hs.vars["b"] = S
                self.module_lines += [f"def {name}(a, b):",
                                      f"    return {self.sexpr(hs, 2)}, {self.sexpr(hs, 2)}", "", ""]
                self.helpers.append((name, [S, S], ("T",), 2, ["a", "b"]))
        if "classes" in self.f:
            self.make_class()
        self.budget = max(2, round(self.size * self.r.randint(3, 9)))
        body = self.block(sc, 0, top=True)
        body.append(f"return {self.final_expr(sc, self.out_type)}")
        fdeco = self.decorator(self.out_type == ("T",)) if self.on("decorated", 0.3) else None
        lines = ["import functools", "import math", "", "import numpy as np", "", ""]
        if self.globals_used:
            lines += ["G = 0.0", "", ""]
        lines += self.module_lines
        if fdeco:
            lines.append(f"@{fdeco}")
        lines.append(f"def f({', '.join(params)}):")
        lines += self.indent(body)
        src = "\n".join(lines) + "\n"
        return src, params, argspecs


def sample_arg(rng, spec):
    """A random argument value for a parameter type (rounded for readable repros)."""
    def num():
        x = rng.uniform(0.15, 1.6) * rng.choice([-1, 1])
        return round(x, 4)
    if spec == S:
        return num()
    if spec[0] == "V":
        return np.array([num() for _ in range(spec[1])])
    if spec[0] == "M":
        return np.array([[num() for _ in range(spec[2])] for _ in range(spec[1])])
    if spec[0] == "LS":
        return [num() for _ in range(spec[1])]
    if spec[0] == "D":
        return {k: sample_arg(rng, t) for k, t in spec[1]}
    if spec[0] == "TP":
        return tuple(sample_arg(rng, t) for t in spec[1])
    if spec[0] == "INT":
        return spec[1]
    raise AssertionError(spec)


def choose_features(rng, features):
    """The random subset of ``features`` one program uses."""
    chosen = set()
    for feat in sorted(features):
        p = 0.15 if feat in REJECTY else 0.5
        if rng.random() < p:
            chosen.add(feat)
    return chosen


def generate(seed, features=ALL, size=1.0, max_programs=30, max_args=8):
    """A well-conditioned random program for ``seed`` (deterministic).

    ``size`` scales the number of statements (and helpers).
    """
    features = frozenset(features)
    unknown = features - ALL
    if unknown:
        raise ValueError(f"unknown fuzz features {sorted(unknown)}; known: {sorted(ALL)}")
    last = None
    for attempt in range(max_programs):
        rng = random.Random(f"s2s-fuzz:{seed}:{attempt}")
        chosen = choose_features(rng, features)
        g = _Gen(rng, chosen, size)
        src, params, specs = g.module()
        wrt_params = [p for p, t in specs if t[0] != "INT"]
        k = rng.choice([1, 1, 1, 2, len(wrt_params)])
        wrt_names = sorted(rng.sample(wrt_params, min(k, len(wrt_params))), key=params.index)
        style = rng.choice(["int", "name", "list"])
        if len(wrt_names) == 1:
            wrt = params.index(wrt_names[0]) if style == "int" else wrt_names[0] if style == "name" \
                else [params.index(wrt_names[0])]
        else:
            wrt = tuple(params.index(w) if style == "int" else w for w in wrt_names)
        kwnames = ()
        if "kwcall" in features and rng.random() < 0.3:
            g.use("kwcall")
            cut = rng.randrange(len(params))
            kwnames = tuple(params[cut:])
        arng = random.Random(f"s2s-fuzz-args:{seed}:{attempt}")
        for _ in range(max_args):
            args = tuple(sample_arg(arng, spec) for _, spec in specs)
            prog = Program(seed, src, args, wrt, frozenset(g.used), kwnames=kwnames)
            prog.attempts = attempt
            if "seed" in features and not kwnames and arng.random() < 0.3:
                prog.features = prog.features | {"seed"}
            try:
                out = check_program(src, "f", args)
            except IllConditioned as e:
                last = (prog, e)
                continue
            except Exception as e:  # noqa: BLE001 - a generator bug
                prog.primal_error = f"{type(e).__name__}: {e}"
                return prog
            if "seed" in prog.features:
                prog.out_seed = _seed_like(arng, out)
            return prog
    prog, e = last
    prog.primal_error = f"no well-conditioned program after {max_programs} tries (last: {e})"
    return prog


def _seed_like(rng, out):
    if isinstance(out, tuple):
        return tuple(_seed_like(rng, o) for o in out)
    if isinstance(out, np.ndarray) and out.ndim:
        return np.array([round(rng.uniform(-1.5, 1.5), 3) for _ in range(out.size)]).reshape(out.shape)
    return round(rng.uniform(-1.5, 1.5), 3)


def fmt_value(v):
    """Python source for an argument value."""
    if isinstance(v, np.ndarray):
        return f"np.array({v.tolist()!r})"
    if isinstance(v, list):
        return "[" + ", ".join(fmt_value(e) for e in v) + "]"
    if isinstance(v, tuple):
        return "(" + ", ".join(fmt_value(e) for e in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k!r}: {fmt_value(e)}" for k, e in v.items()) + "}"
    return repr(v)


if __name__ == "__main__":  # pragma: no cover - eyeballing
    import sys
    for s in map(int, sys.argv[1:] or ["0"]):
        p = generate(s)
        print(f"# seed {s}: wrt={p.wrt!r} features={sorted(p.features)} error={p.primal_error}")
        print(textwrap.indent(p.source, ""))
        print("# args:", fmt_value(p.args))
