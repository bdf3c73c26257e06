"""Is a program well conditioned for central differences at its arguments?

``check_program(source, fname, args)`` runs an instrumented copy of the
module's function at ``args`` and raises :class:`IllConditioned` when some
operation sits too near a point where the function is not smooth (or not
defined), so that finite differences (relative step 1e-6) could straddle it:

- comparisons ``a < b`` (branch conditions, masks, ``np.where`` conditions)
  with ``|a - b|`` below MARGIN (relative to the operands' size);
- kinks: ``abs``, ``np.sign``, ``np.maximum``/``np.minimum``/``max``/``min``,
  ``np.clip`` bounds, ``np.argmax``/``np.argmin`` ties;
- steps: ``np.floor``/``int``/``round``, ``%``/``//``;
- domains: ``log``/``sqrt`` of values below DOMAIN, division by values
  smaller than DOMAIN in magnitude, non-integer powers of small or negative
  bases, ``arcsin`` near +-1, ``tan`` near its poles;
- values that are not finite or larger than BIG (every assignment and return
  is checked), and floating point errors (overflow, invalid, divide by zero).

Integer comparisons (loop counters, ``i % 2 == 0``) are exact and unchecked.
The instrumentation is an AST rewrite of the whole module (helpers too), so
it applies to hand-written programs (the regression repros) as well.
"""
import ast
import numbers
import operator

import numpy as np

MARGIN = 1e-3
DOMAIN = 0.05
BIG = 1e4
MAX_EVENTS = 200_000   # a runaway loop is ill-conditioned, not a hang


class IllConditioned(BaseException):
    """The program is too near a kink, a branch switch or a singularity.

    A BaseException so that a generated ``try/except Exception`` cannot
    swallow it.
    """


def _isint(x):
    if isinstance(x, (bool, np.bool_)):
        return True
    if isinstance(x, numbers.Integral):
        return True
    if isinstance(x, np.ndarray) and (np.issubdtype(x.dtype, np.integer) or x.dtype == bool):
        return True
    return False


def _arr(x):
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return a


class Recorder:
    def __init__(self):
        self.events = 0

    def tick(self):
        self.events += 1
        if self.events > MAX_EVENTS:
            raise IllConditioned("too many loop iterations")

    def fail(self, what, detail):
        raise IllConditioned(f"{what}: {detail}")

    def near(self, a, b, what):
        """Require |a - b| >= MARGIN * max(1, |a|, |b|) elementwise."""
        if _isint(a) and _isint(b):
            return
        x, y = _arr(a), _arr(b)
        if x is None or y is None or x.size == 0 or y.size == 0:
            return
        gap = np.abs(x - y)
        scale = np.maximum(1.0, np.maximum(np.abs(x), np.abs(y)))
        if np.any(gap < MARGIN * scale):
            self.fail(what, f"gap {float(np.min(gap)):.3g}")

    # --- hooks called by the instrumented code
    def cmp(self, a, b, op):
        self.tick()
        if op in ("is", "is not", "in", "not in"):
            return _OPS[op](a, b)
        self.near(a, b, f"comparison {op}")
        return _OPS[op](a, b)

    def binop(self, op, a, b):
        if op == "/":
            if not _isint(b) or np.any(np.asarray(b) == 0):
                d = _arr(b)
                if d is not None and np.any(np.abs(d) < DOMAIN):
                    self.fail("division", f"by {float(np.min(np.abs(d))):.3g}")
            return a / b
        if op in ("%", "//"):
            if not (_isint(a) and _isint(b)):
                x, y = _arr(a), _arr(b)
                if y is not None and np.any(np.abs(y) < DOMAIN):
                    self.fail(op, "small divisor")
                if x is not None and y is not None:
                    q = x / y
                    self.near(q, np.round(q), f"{op} step")
            return a % b if op == "%" else a // b
        if op == "**":
            if not (isinstance(b, numbers.Integral) and not isinstance(b, bool)):
                fb = _arr(b)
                fa = _arr(a)
                integral_const = fb is not None and fb.ndim == 0 and float(fb).is_integer() and isinstance(b, float)
                # a float exponent that happens to be integral is perturbed by
                # finite differences only when it is a variable; be safe: any
                # non-int exponent needs a positive base
                if fa is not None and np.any(fa < DOMAIN) and not (integral_const and _isint(a)):
                    self.fail("power", f"base {float(np.min(fa)):.3g} with exponent {b!r}")
            return a ** b
        raise AssertionError(op)

    def call(self, name, fn, *args, **kwargs):
        self.tick()
        check = _CHECKS.get(name)
        if check is not None:
            check(self, name, *args, **kwargs)
        return fn(*args, **kwargs)

    def val(self, x):
        self._val(x, 0)
        return x

    def _val(self, x, depth):
        if depth > 4:
            return
        if isinstance(x, (list, tuple)):
            for e in x:
                self._val(e, depth + 1)
            return
        if isinstance(x, dict):
            for e in x.values():
                self._val(e, depth + 1)
            return
        if isinstance(x, (numbers.Number, np.ndarray, np.generic)) and not isinstance(x, (bool, np.bool_)):
            a = _arr(x)
            if a is None or a.dtype == object:
                return
            if not np.all(np.isfinite(a)):
                self.fail("value", "not finite")
            if a.size and np.max(np.abs(a)) > BIG:
                self.fail("value", f"too large ({float(np.max(np.abs(a))):.3g})")


_OPS = {">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le, "==": operator.eq,
        "!=": operator.ne, "is": operator.is_, "is not": operator.is_not,
        "in": lambda a, b: a in b, "not in": lambda a, b: a not in b}
_OPNAMES = {ast.Gt: ">", ast.Lt: "<", ast.GtE: ">=", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!=",
            ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


def _kink0(rec, name, x, *a, **k):
    rec.near(x, 0.0, name)


def _kink2(rec, name, *args, **k):
    if len(args) >= 2:
        rec.near(args[0], args[1], name)
    elif len(args) == 1:
        _ties(rec, name, args[0])


def _ties(rec, name, x, *a, **k):
    v = _arr(x)
    if v is None or v.size < 2:
        return
    s = np.sort(v.ravel())
    rec.near(s[1:], s[:-1], name + " tie")


def _positive(rec, name, x, *a, **k):
    v = _arr(x)
    if v is not None and np.any(v < DOMAIN):
        rec.fail(name, f"argument {float(np.min(v)):.3g}")


def _step(rec, name, x, *a, **k):
    if _isint(x):
        return
    v = _arr(x)
    if v is None:
        return
    if name in ("round", "np.round", "np.rint", "np.around"):
        rec.near(v - 0.5, np.floor(v), name)
    else:
        rec.near(v, np.round(v), name)


def _clip(rec, name, x, lo=None, hi=None, *a, **k):
    for b in (lo, hi):
        if b is not None:
            rec.near(x, b, name)


def _unit(rec, name, x, *a, **k):
    v = _arr(x)
    if v is not None and np.any(np.abs(v) > 1 - DOMAIN):
        rec.fail(name, "argument near +-1")


def _tan(rec, name, x, *a, **k):
    v = _arr(x)
    if v is not None and np.any(np.abs(np.cos(v)) < DOMAIN):
        rec.fail(name, "near a pole")


def _power(rec, name, x, y, *a, **k):
    rec.binop("**", x, y)


def _divide(rec, name, x, y, *a, **k):
    rec.binop("/", x, y)


def _mod(rec, name, x, y, *a, **k):
    rec.binop("%", x, y)


_CHECKS = {}
for _n in ("abs", "np.abs", "np.absolute", "np.fabs", "np.sign", "math.fabs"):
    _CHECKS[_n] = _kink0
for _n in ("np.maximum", "np.minimum", "np.fmax", "np.fmin", "max", "min"):
    _CHECKS[_n] = _kink2
for _n in ("np.max", "np.min", "np.amax", "np.amin", "np.argmax", "np.argmin", "np.sort", "np.median"):
    _CHECKS[_n] = _ties
for _n in ("np.log", "np.log2", "np.log10", "math.log", "math.log2", "math.log10", "np.sqrt", "math.sqrt"):
    _CHECKS[_n] = _positive
for _n in ("np.floor", "np.ceil", "np.trunc", "np.fix", "math.floor", "math.ceil", "math.trunc", "int",
           "round", "np.round", "np.rint", "np.around"):
    _CHECKS[_n] = _step
for _n in ("np.arcsin", "np.arccos", "np.arctanh", "math.asin", "math.acos", "math.atanh"):
    _CHECKS[_n] = _unit
_CHECKS["np.clip"] = _clip
_CHECKS["np.tan"] = _tan
_CHECKS["math.tan"] = _tan
_CHECKS["np.power"] = _power
_CHECKS["math.pow"] = _power
_CHECKS["np.float_power"] = _power
_CHECKS["np.divide"] = _divide
_CHECKS["np.true_divide"] = _divide
_CHECKS["np.mod"] = _mod
_CHECKS["np.fmod"] = _mod
_CHECKS["np.remainder"] = _mod
_CHECKS["np.floor_divide"] = _mod

_BINOPS = {ast.Div: "/", ast.Mod: "%", ast.FloorDiv: "//", ast.Pow: "**"}
REC = "_fz_rec"


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else base + "." + node.attr
    return None


def _hook(name, args, keywords=()):
    return ast.Call(func=ast.Attribute(value=ast.Name(id=REC, ctx=ast.Load()), attr=name, ctx=ast.Load()),
                    args=list(args), keywords=list(keywords))


class Instrument(ast.NodeTransformer):
    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) != 1:
            return node
        return _hook("cmp", [node.left, node.comparators[0], ast.Constant(_OPNAMES[type(node.ops[0])])])

    def visit_BinOp(self, node):
        self.generic_visit(node)
        op = _BINOPS.get(type(node.op))
        if op is None:
            return node
        return _hook("binop", [ast.Constant(op), node.left, node.right])

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        op = _BINOPS.get(type(node.op))
        if op is not None:   # x /= y -> x = rec.binop('/', x, y) would change semantics for arrays: check only
            load = _as_load(node.target)
            check = ast.Expr(value=_hook("binop", [ast.Constant(op), load, node.value]))
            return [check, node]
        node.value = _hook("val", [node.value])
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        name = _dotted(node.func)
        if name in _CHECKS:
            return _hook("call", [ast.Constant(name), node.func] + node.args, node.keywords)
        return node

    def visit_Assign(self, node):
        self.generic_visit(node)
        node.value = _hook("val", [node.value])
        return node

    def visit_Return(self, node):
        self.generic_visit(node)
        if node.value is not None:
            node.value = _hook("val", [node.value])
        return node

    def _loop(self, node):
        self.generic_visit(node)
        node.body.insert(0, ast.Expr(value=_hook("tick", [])))
        return node

    visit_For = _loop
    visit_While = _loop


def _as_load(target):
    import copy
    t = copy.deepcopy(target)
    for n in ast.walk(t):
        if hasattr(n, "ctx"):
            n.ctx = ast.Load()
    return t


def instrument(source):
    tree = ast.parse(source)
    tree = Instrument().visit(tree)
    ast.fix_missing_locations(tree)
    return tree


def check_program(source, fname, args, kwargs=None):
    """Run the instrumented program; return its output or raise IllConditioned.

    Any other exception is the program's own (a generator bug, or a bad repro).
    """
    import contextlib
    import io
    import copy

    tree = instrument(source)
    code = compile(tree, "<fuzz-instrumented>", "exec")
    rec = Recorder()
    ns = {REC: rec, "__name__": "fuzz_instrumented"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(code, ns)
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            try:
                out = ns[fname](*copy.deepcopy(list(args)), **copy.deepcopy(kwargs or {}))
            except FloatingPointError as e:
                raise IllConditioned(f"floating point error: {e}") from None
            except (OverflowError, ZeroDivisionError) as e:
                raise IllConditioned(f"{type(e).__name__}: {e}") from None
    rec.val(out)
    return out
