"""Run generated programs through s2s.grad and classify the outcome.

``check(program)`` writes the program to a real file (s2s reads source with
``inspect``), imports it and compares ``s2s.grad(f, wrt)`` with
``s2s.numeric_grad(f, wrt)`` at the program's arguments. Outcomes:

  ok            the gradients agree (type, shape and values)
  rejected      s2s raised DifferentiationError (allowed: it said why)
  WRONG         s2s answered and the answer is wrong: values disagree with
                central differences (confirmed at two other step sizes),
                wrong type/shape, the caller's arguments were changed, two
                calls disagree, or value_and_grad's value is not f's value
  CRASH         s2s raised anything else (while transforming or running)
  HANG          s2s took longer than the time limit
  primal error  the program itself fails: a generator bug
  illcond       central differences are unstable here (not counted as a
                failure; the generator should make these rare)

``shrink(program, result)`` deletes statements and simplifies expressions
while the failure persists; ``save_finding`` writes a runnable repro.
"""
import ast
import collections
import contextlib
import copy
import importlib.util
import io
import itertools
import os
import pathlib
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings

import numpy as np

from . import conditioning
from .generator import Program, fmt_value

OK, REJECTED, WRONG, CRASH, HANG, PRIMAL, ILLCOND = (
    "ok", "rejected", "WRONG", "CRASH", "HANG", "primal error", "illcond")
FAILURES = (WRONG, CRASH, HANG, PRIMAL)
ORDER = [OK, REJECTED, WRONG, CRASH, HANG, PRIMAL, ILLCOND]

RTOL = 1e-4
ATOL = 1e-5
TIME_LIMIT = 20.0

_tmpdir = None
_counter = itertools.count()


class Result:
    def __init__(self, status, detail="", phase="", signature=""):
        self.status = status
        self.detail = detail
        self.phase = phase            # transform / run / compare / primal
        self.signature = signature    # for grouping failures into distinct bugs
        self.program = None
        self.seconds = 0.0
        self.located = None           # DifferentiationError names file and line?

    def __repr__(self):
        return f"<Result {self.status} {self.signature!r}>"


class _Timeout(BaseException):
    pass


@contextlib.contextmanager
def _time_limit(seconds):
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _workdir():
    global _tmpdir
    if _tmpdir is None:
        _tmpdir = tempfile.TemporaryDirectory(prefix="s2s-fuzz-")
    return pathlib.Path(_tmpdir.name)


def load(source, tag="prog"):
    """Write ``source`` to a fresh file and import it as a module."""
    name = f"fz_{re.sub(r'[^0-9a-zA-Z_]', '_', str(tag))}_{os.getpid()}_{next(_counter)}"
    path = _workdir() / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            spec.loader.exec_module(mod)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return mod


def unload(mod):
    sys.modules.pop(mod.__name__, None)


# ---------------------------------------------------------------------------
# comparing gradients

def _is_scalar_number(x):
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def compare(a, n, x, where, rtol=RTOL, atol=ATOL):
    """Problems (strings) between analytic ``a`` and numeric ``n`` for argument ``x``."""
    if isinstance(x, (list, tuple, dict)):
        # a list/dict subclass (s2s's GradList, GradDict) is a list/dict; a
        # tuple argument needs a tuple gradient
        if not isinstance(a, type(x)) or len(a) != len(x) or (isinstance(x, dict) and set(a) != set(x)):
            return [f"{where}: type: gradient is {_describe(a)}, argument is {_describe(x)}"]
        keys = list(x) if isinstance(x, dict) else range(len(x))
        return [p for k in keys for p in compare(a[k], n[k], x[k], f"{where}[{k!r}]", rtol, atol)]
    if isinstance(x, np.ndarray):
        if not isinstance(a, np.ndarray) or a.shape != x.shape:
            return [f"{where}: type: gradient is {_describe(a)}, argument is {_describe(x)}"]
    elif not _is_scalar_number(a):
        return [f"{where}: type: gradient is {_describe(a)}, argument is {_describe(x)}"]
    try:
        av = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        return [f"{where}: type: gradient is {_describe(a)}"]
    nv = np.asarray(n, dtype=np.float64)
    err = np.abs(av - nv)
    bad = ~(err <= atol + rtol * np.abs(nv))
    if bad.any():
        return [f"{where}: value: s2s {np.array2string(av, precision=8)} vs numeric "
                f"{np.array2string(nv, precision=8)} (max error {float(np.nanmax(np.where(np.isnan(err), np.inf, err))):.3g})"]
    return []


def _describe(x):
    if isinstance(x, np.ndarray):
        return f"ndarray{x.shape}"
    if isinstance(x, (list, tuple, dict)):
        return f"{type(x).__name__} of {len(x)}"
    return type(x).__name__


def _same(a, b):
    """Exact structural equality of two values (arguments, gradients)."""
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape \
            and np.array_equal(a, b, equal_nan=True)
    try:
        return a == b or (a != a and b != b)
    except Exception:  # noqa: BLE001
        return False


def _close_all(a, n, x):
    return not compare(a, n, x, "")


# ---------------------------------------------------------------------------
# one program

def _params(fn):
    import inspect
    return list(inspect.signature(fn).parameters)


def _wrt_list(wrt):
    return list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]


def _slot_values(program, params):
    """The argument values of the wrt parameters, in wrt order."""
    out = []
    for w in _wrt_list(program.wrt):
        i = w if isinstance(w, int) else params.index(w)
        out.append(program.args[i])
    return out


def _s2s_frame(tb):
    """Where an exception came from: the innermost frame in s2s/ or templates/,
    or 'generated code' when it was raised in a gradient function s2s made."""
    best = ""
    frames = traceback.extract_tb(tb)
    for fs in frames:
        parts = pathlib.Path(fs.filename).parts
        if "s2s" in parts or "templates" in parts:
            best = f"{pathlib.Path(fs.filename).name}:{fs.name}"
    generated = [fs for fs in frames if pathlib.Path(fs.filename).parent != _workdir()
                 and not any(p in pathlib.Path(fs.filename).parts for p in ("s2s", "templates", "fuzz", "numpy"))
                 and fs.filename != __file__ and "site-packages" not in fs.filename
                 and fs.name.startswith(("d", "value_and_d"))]
    if generated and (not best or frames.index(generated[-1]) > max(
            i for i, fs in enumerate(frames) if "s2s" in pathlib.Path(fs.filename).parts or
            "templates" in pathlib.Path(fs.filename).parts)):
        return "generated code"
    return best or "outside s2s"


def _norm_msg(msg):
    msg = str(msg).splitlines()[0] if str(msg) else ""
    msg = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", msg)
    msg = re.sub(r"\b[a-z]+\d+\b|\b\d+\b", "#", msg)
    return msg[:80]


def check(program, time_limit=TIME_LIMIT, value_check=None, mode="reverse"):
    """Classify one program (see the module docstring).

    ``mode``: "reverse" (s2s.grad against numeric_grad), "forward" (s2s.jvp
    against directional central differences) or "both" (the first failure).
    """
    t0 = time.perf_counter()
    try:
        with _time_limit(time_limit):
            if mode == "both":
                res = _check(program, value_check, "reverse")
                if res.status not in FAILURES:
                    res2 = _check(program, value_check, "forward")
                    if res2.status in FAILURES or res.status == REJECTED and res2.status == OK:
                        res = res2
            else:
                res = _check(program, value_check, mode)
    except _Timeout:
        res = Result(HANG, f"more than {time_limit:g} s", "run", "HANG")
    res.program = program
    res.seconds = time.perf_counter() - t0
    return res


def _check(program, value_check, mode="reverse"):
    import s2s

    if program.primal_error:
        return Result(PRIMAL, program.primal_error, "primal", "PRIMAL")
    try:
        mod = load(program.source, program.seed)
    except Exception as e:  # noqa: BLE001
        return Result(PRIMAL, f"import: {type(e).__name__}: {e}", "primal", "PRIMAL")
    if not callable(getattr(mod, program.fname, None)):   # a shrink step made a decorator return 1.0
        unload(mod)
        return Result(PRIMAL, f"{program.fname} is not a function", "primal", "PRIMAL")
    try:
        if mode == "forward":
            return _check_forward(program, mod, s2s)
        return _check_loaded(program, mod, value_check, s2s)
    finally:
        unload(mod)


def _check_loaded(program, mod, value_check, s2s):
    f = getattr(mod, program.fname)
    params = _params(f)
    pos, kw = program.call_args(params)
    wrt = program.wrt
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        # --- transform
        try:
            g = s2s.grad(f, wrt=wrt)
        except s2s.DifferentiationError as e:
            if _internal(e):
                return Result(CRASH, _first_lines(e), "transform", f"CRASH internal error: {_norm_msg(_internal(e))}")
            r = Result(REJECTED, _first_lines(e), "transform", "rejected")
            r.located = mod.__file__ in str(e) and "line" in str(e)
            return r
        except Exception as e:  # noqa: BLE001
            return Result(CRASH, _exc(e), "transform",
                          f"CRASH transform {type(e).__name__} @ {_s2s_frame(e.__traceback__)}: {_norm_msg(e)}")
        # --- run
        before = copy.deepcopy(program.args)
        passed = copy.deepcopy(program.args)
        call_pos, call_kw = program.call_args(params, args=passed)
        try:
            ga = g(*call_pos, **_seed_kw(g, call_kw))
        except s2s.DifferentiationError as e:
            r = Result(REJECTED, _first_lines(e), "run", "rejected at run time")
            r.located = mod.__file__ in str(e)
            return r
        except Exception as e:  # noqa: BLE001
            return Result(CRASH, _exc(e), "run",
                          f"CRASH run {type(e).__name__} @ {_s2s_frame(e.__traceback__)}: {_norm_msg(e)}")
        problems = []
        # the gradient function must not change the caller's arguments (even
        # when the primal writes into its own argument)
        if not _same(passed, before):
            if _primal_mutates(f, program, params):
                problems.append("mutation: calling the gradient changed the caller's arguments "
                                "(the primal writes into its arguments too)")
            else:
                problems.append("mutation: calling the gradient changed the caller's arguments "
                                "(the primal does not)")
        # --- numeric
        try:
            num = s2s.numeric_grad(f, wrt=wrt)(*copy.deepcopy(pos), **copy.deepcopy(kw))
        except Exception as e:  # noqa: BLE001
            return Result(PRIMAL, f"numeric_grad: {_exc(e)}", "primal", "PRIMAL")
        single = not isinstance(wrt, (list, tuple)) or len(wrt) == 1
        xs = _slot_values(program, params)
        a_list = [ga] if single else (list(ga) if isinstance(ga, tuple) and len(ga) == len(xs) else None)
        n_list = [num] if single else list(num)
        if a_list is None:
            problems.append(f"type: expected a tuple of {len(xs)} gradients, got {_describe(ga)}")
            value_problems = []
        else:
            value_problems = []
            for i, (a, n, x) in enumerate(zip(a_list, n_list, xs)):
                value_problems += compare(a, n, x, f"wrt[{i}]")
            if any(": value:" in p for p in value_problems):
                verdict = _confirm(f, wrt, pos, kw, a_list, xs, single, s2s)
                if verdict == "unstable":
                    return Result(ILLCOND, "; ".join(value_problems), "compare", "illcond")
                if verdict == "fd-noise":   # another step size agrees with s2s: the default step was too coarse
                    value_problems = [p for p in value_problems if ": value:" not in p]
            problems += value_problems
        # --- a second call gives the same answer
        if a_list is not None and not problems:
            try:
                gb = g(*copy.deepcopy(pos), **_seed_kw(g, copy.deepcopy(kw)))
            except Exception as e:  # noqa: BLE001
                return Result(CRASH, "second call: " + _exc(e), "run",
                              f"CRASH second call {type(e).__name__} @ {_s2s_frame(e.__traceback__)}")
            if not _same(gb, ga):
                problems.append("nondeterministic: a second call of the gradient gave a different answer")
        # --- value_and_grad
        if value_check is None:
            value_check = program.seed % 10 == 3 if isinstance(program.seed, int) else True
        if value_check and not problems:
            fpos, fkw = program.call_args(params, args=copy.deepcopy(program.args), with_seed=False)
            problems += _check_value_and_grad(f, wrt, pos, kw, fpos, fkw, ga, s2s)
    if problems:
        kinds = sorted({_kind(p) for p in problems})
        return Result(WRONG, "\n".join(problems), "compare", "WRONG " + "/".join(kinds))
    return Result(OK)


def _tangent_like(rng, x):
    if isinstance(x, np.ndarray):
        return np.array([round(rng.uniform(-1, 1), 3) for _ in range(x.size)]).reshape(x.shape)
    if isinstance(x, list):
        return [_tangent_like(rng, e) for e in x]
    if isinstance(x, tuple):
        return tuple(_tangent_like(rng, e) for e in x)
    if isinstance(x, dict):
        return {k: _tangent_like(rng, v) for k, v in x.items()}
    return round(rng.uniform(-1, 1), 3)


def _axpy(x, h, t):
    if isinstance(x, np.ndarray):
        return x.astype(np.float64) + h * t
    if isinstance(x, (list, tuple)):
        return type(x)(_axpy(a, h, b) for a, b in zip(x, t))
    if isinstance(x, dict):
        return {k: _axpy(x[k], h, t[k]) for k in x}
    return float(x) + h * t


def _fd_jvp(f, args, slots, tangents, h):
    """(f(x + h t) - f(x - h t)) / 2h, structure by structure."""
    def shifted(sign):
        a = copy.deepcopy(list(args))
        for i, t in zip(slots, tangents):
            a[i] = _axpy(a[i], sign * h, t)
        return f(*a)

    def diff(p, m):
        if isinstance(p, (list, tuple)):
            return type(p)(diff(a, b) for a, b in zip(p, m))
        if isinstance(p, dict):
            return {k: diff(p[k], m[k]) for k in p}
        return (np.asarray(p, dtype=np.float64) - np.asarray(m, dtype=np.float64)) / (2 * h)
    return diff(shifted(1), shifted(-1))


def _check_forward(program, mod, s2s):
    """s2s.jvp(f, wrt)(*args, *tangents) against directional central differences."""
    import random as _random
    f = getattr(mod, program.fname)
    params = _params(f)
    wl = _wrt_list(program.wrt)
    slots = [w if isinstance(w, int) else params.index(w) for w in wl]
    rng = _random.Random(f"s2s-fuzz-tangent:{program.seed}")
    tangents = [_tangent_like(rng, program.args[i]) for i in slots]
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            jv = s2s.jvp(f, wrt=program.wrt)
        except s2s.DifferentiationError as e:
            if _internal(e):
                return Result(CRASH, _first_lines(e), "transform", f"CRASH fwd internal error: {_norm_msg(_internal(e))}")
            r = Result(REJECTED, _first_lines(e), "transform", "rejected")
            r.located = mod.__file__ in str(e) and "line" in str(e)
            return r
        except Exception as e:  # noqa: BLE001
            return Result(CRASH, _exc(e), "transform",
                          f"CRASH fwd transform {type(e).__name__} @ {_s2s_frame(e.__traceback__)}: {_norm_msg(e)}")
        before = copy.deepcopy(program.args)
        passed = copy.deepcopy(program.args)
        try:
            out = jv(*passed, *copy.deepcopy(tangents))
        except s2s.DifferentiationError as e:
            return Result(REJECTED, _first_lines(e), "run", "rejected at run time")
        except Exception as e:  # noqa: BLE001
            return Result(CRASH, _exc(e), "run",
                          f"CRASH fwd run {type(e).__name__} @ {_s2s_frame(e.__traceback__)}: {_norm_msg(e)}")
        problems = []
        if not _same(passed, before):
            problems.append("mutation: calling the jvp changed the caller's arguments")
        expect = f(*copy.deepcopy(program.args))
        problems += _compare_out(out, _fd_jvp(f, program.args, slots, tangents, 1e-6), expect, "jvp")
        if any(": value:" in p for p in problems):
            alt = [_fd_jvp(f, program.args, slots, tangents, h) for h in (1e-5, 1e-7)]
            if any(not _compare_out(out, a, expect, "jvp") for a in alt):
                problems = [p for p in problems if ": value:" not in p]
            elif _compare_out(alt[0], alt[1], expect, "jvp", rtol=1e-3, atol=1e-4):
                return Result(ILLCOND, "; ".join(problems), "compare", "illcond")
    if problems:
        return Result(WRONG, "\n".join(problems), "compare", "WRONG fwd " + "/".join(sorted({_kind(p) for p in problems})))
    return Result(OK)


def _compare_out(a, n, like, where, rtol=RTOL, atol=ATOL):
    """compare() for outputs: the tangent has the structure of the output."""
    if isinstance(like, (list, tuple)):
        if not isinstance(a, (list, tuple)) or len(a) != len(like):
            return [f"{where}: type: tangent is {_describe(a)}, output is {_describe(like)}"]
        return [p for i in range(len(like)) for p in _compare_out(a[i], n[i], like[i], f"{where}[{i}]", rtol, atol)]
    if isinstance(like, np.ndarray) and like.ndim:
        like_ = np.asarray(like, dtype=np.float64)
        return compare(a, n, like_, where, rtol, atol)
    return compare(a, n, 0.0, where, rtol, atol)


def _kind(problem):
    if problem.startswith(("wrt[", "jvp")):
        return problem.split(": ")[1].split(":")[0]
    if problem.startswith("mutation"):
        return "mutation" + ("" if "does not" in problem else " (primal mutates too)")
    return problem.split(":")[0]


def _primal_mutates(f, program, params):
    passed = copy.deepcopy(program.args)
    fpos, fkw = program.call_args(params, args=passed, with_seed=False)
    try:
        f(*fpos, **fkw)
    except Exception:  # noqa: BLE001
        return False
    return not _same(passed, program.args)


def _seed_kw(g, kw):
    """kw with the output seed (``seed=``, numeric_grad's name) under the generated gradient's seed name."""
    if "seed" in kw:
        kw = dict(kw)
        kw[g.s2s_seed] = kw.pop("seed")
    return kw


def _check_value_and_grad(f, wrt, pos, kw, fpos, fkw, ga, s2s):
    try:
        vg = s2s.value_and_grad(f, wrt=wrt)
        value, gv = vg(*copy.deepcopy(pos), **_seed_kw(vg, copy.deepcopy(kw)))
    except s2s.DifferentiationError:
        return ["value_and_grad: rejects what grad accepts"]
    except Exception as e:  # noqa: BLE001
        return [f"value_and_grad: crashed: {_exc(e)}"]
    expect = f(*fpos, **fkw)
    out = []
    if not _allclose(value, expect):
        out.append(f"value_and_grad: value {value!r} is not f's value {expect!r}")
    if not _allclose(gv, ga):
        out.append("value_and_grad: gradient differs from grad's")
    return out


def _allclose(a, b):
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(_allclose(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and set(a) == set(b) and all(_allclose(a[k], b[k]) for k in a)
    try:
        return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-10, atol=1e-12, equal_nan=True)
    except TypeError:
        return False


def _confirm(f, wrt, pos, kw, a_list, xs, single, s2s):
    """'wrong' if the analytic gradient disagrees with two more step sizes that agree."""
    ests = []
    for eps in (1e-5, 1e-7):
        num = s2s.numeric_grad(f, wrt=wrt, eps=eps)(*copy.deepcopy(pos), **copy.deepcopy(kw))
        ests.append([num] if single else list(num))
    if any(all(_close_all(a, n, x) for a, n, x in zip(a_list, est, xs)) for est in ests):
        return "fd-noise"
    agree = all(not compare(n1, n2, x, "", rtol=1e-3, atol=1e-4) for n1, n2, x in zip(ests[0], ests[1], xs))
    return "wrong" if agree else "unstable"


def _internal(e):
    """The message line of a DifferentiationError that reports an s2s bug, else ''."""
    for line in str(e).splitlines():
        if "please report" in line or "generated invalid code" in line:
            return line
    return ""


def _first_lines(e, n=4):
    return "\n".join(str(e).splitlines()[:n])


def _exc(e):
    tb = traceback.extract_tb(e.__traceback__)
    where = f" at {pathlib.Path(tb[-1].filename).name}:{tb[-1].lineno} in {tb[-1].name}" if tb else ""
    return f"{type(e).__name__}: {_first_lines(e, 3)}{where}"


# ---------------------------------------------------------------------------
# shrinking

def _stmt_lists(tree):
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody", "handlers"):
            lst = getattr(node, field, None)
            if isinstance(lst, list) and lst and isinstance(lst[0], ast.stmt):
                yield node, field, lst


def _edits(tree, fname):
    """Candidate edits, biggest first: (kind, k, choice)."""
    sites = []
    for node, field, lst in _stmt_lists(tree):
        for i, s in enumerate(lst):
            sites.append((node, field, i, s))
    out = []
    for k, (node, field, i, s) in enumerate(sites):
        if isinstance(node, ast.FunctionDef) and node.name == fname and isinstance(s, ast.Return) \
                and i == len(node.body) - 1:
            continue
        out.append(("del", k, 0))
    for k, (node, field, i, s) in enumerate(sites):
        if isinstance(s, ast.If):
            out.append(("unwrap", k, "body"))
            if s.orelse:
                out.append(("unwrap", k, "orelse"))
                out.append(("drop_else", k, 0))
        elif isinstance(s, (ast.For, ast.While)):
            out.append(("unwrap", k, "body"))
    exprs = [n for n in ast.walk(tree) if isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Call, ast.IfExp, ast.BoolOp))]
    for k, e in enumerate(exprs):
        nchild = {ast.BinOp: 2, ast.UnaryOp: 1, ast.IfExp: 2, ast.BoolOp: len(getattr(e, "values", []))}.get(
            type(e), len(getattr(e, "args", [])))
        for c in range(nchild):
            out.append(("expr", k, c))
    consts = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)
              and n.value not in (0.0, 1.0)]
    for k, _ in enumerate(consts):
        out.append(("const", k, 0))
    for k, _ in enumerate(_replaceable(tree)):
        out.append(("one", k, 0))
    return out


def _replaceable(tree):
    """Value expressions that could become the constant 1.0 (cuts dependencies)."""
    out = []
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if field in ("targets", "target", "func", "slice", "iter", "test") or isinstance(node, ast.Assign) is False \
                    and field != "value" and not isinstance(node, (ast.BinOp, ast.Call, ast.Tuple, ast.List, ast.Return)):
                continue
            items = value if isinstance(value, list) else [value]
            for v in items:
                if isinstance(v, (ast.Name, ast.Subscript, ast.Attribute, ast.BinOp, ast.Call)) \
                        and isinstance(getattr(v, "ctx", ast.Load()), ast.Load) \
                        and not (isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name) and v.value.id in ("np", "math")):
                    out.append(v)
    return out


def _apply(tree, edit, fname):
    tree = copy.deepcopy(tree)
    kind, k, choice = edit
    if kind in ("del", "unwrap", "drop_else"):
        sites = [(node, field, lst, i) for node, field, lst in _stmt_lists(tree) for i in range(len(lst))]
        node, field, lst, i = sites[k]
        s = lst[i]
        if kind == "del":
            del lst[i]
        elif kind == "unwrap":
            lst[i:i + 1] = getattr(s, choice) or [ast.Pass()]
        else:
            s.orelse = []
        if not lst:
            lst.append(ast.Pass())
    elif kind == "expr":
        exprs = [n for n in ast.walk(tree) if isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Call, ast.IfExp, ast.BoolOp))]
        target = exprs[k]
        if isinstance(target, ast.BinOp):
            repl = [target.left, target.right][choice]
        elif isinstance(target, ast.UnaryOp):
            repl = target.operand
        elif isinstance(target, ast.IfExp):
            repl = [target.body, target.orelse][choice]
        elif isinstance(target, ast.BoolOp):
            repl = target.values[choice]
        else:
            repl = target.args[choice]
            if isinstance(repl, ast.Starred):
                return None
        _replace(tree, target, repl)
    elif kind == "const":
        consts = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)
                  and n.value not in (0.0, 1.0)]
        consts[k].value = 1.0
    elif kind == "one":
        target = _replaceable(tree)[k]
        _replace(tree, target, ast.Constant(1.0))
    ast.fix_missing_locations(tree)
    return tree


def _replace(tree, old, new):
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if value is old:
                setattr(node, field, new)
                return
            if isinstance(value, list):
                for i, v in enumerate(value):
                    if v is old:
                        value[i] = new
                        return


def _drop_params(program):
    """Candidates without one parameter of f that its body never reads."""
    tree = ast.parse(program.source)
    fdef = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == program.fname)
    if fdef.args.defaults or fdef.args.kwonlyargs or fdef.args.vararg or fdef.args.kwarg:
        return
    params = [a.arg for a in fdef.args.args]
    read = {n.id for n in ast.walk(fdef) if isinstance(n, ast.Name)}
    wl = _wrt_list(program.wrt)
    wnames = {params[w] if isinstance(w, int) else w for w in wl}
    for i, p in enumerate(params):
        if p in read or p in wnames or len(params) == 1:
            continue
        new_tree = copy.deepcopy(tree)
        fd = next(n for n in new_tree.body if isinstance(n, ast.FunctionDef) and n.name == program.fname)
        del fd.args.args[i]
        fix = lambda w: w - 1 if isinstance(w, int) and w > i else w  # noqa: E731
        wrt = type(program.wrt)(fix(w) for w in program.wrt) if isinstance(program.wrt, (list, tuple)) \
            else fix(program.wrt)
        cand = Program(program.seed, ast.unparse(new_tree) + "\n", tuple(a for j, a in enumerate(program.args) if j != i),
                       wrt, program.features, out_seed=program.out_seed,
                       kwnames=tuple(k for k in program.kwnames if k != p), fname=program.fname)
        yield cand


def _with_source(program, source, wrt=None):
    p = Program(program.seed, source, program.args, program.wrt if wrt is None else wrt, program.features,
                out_seed=program.out_seed, kwnames=program.kwnames, fname=program.fname)
    return p


def _still_fails(program, result, candidate, time_limit, mode="reverse"):
    try:
        out = conditioning.check_program(candidate.source, candidate.fname, *_primal_call(candidate))
    except BaseException:  # noqa: BLE001 - ill-conditioned or broken: not a valid candidate
        return None
    if not _numeric(out):   # e.g. a generator object: not a program to differentiate
        return None
    if "primal does not" in str(result.detail) and _primal_mutates_src(candidate):
        return None
    r = check(candidate, time_limit=time_limit, value_check=("value_and_grad" in result.signature) or None,
              mode=mode)
    if r.status != result.status:
        return None
    if result.status == CRASH and r.signature.split(":")[0] != result.signature.split(":")[0]:
        return None
    if result.status == WRONG and r.signature != result.signature:
        return None
    return r


def _numeric(x, depth=0):
    """Is x a number, a numeric array, or a list/tuple/dict of those?"""
    if depth > 5:
        return False
    if isinstance(x, (list, tuple)):
        return all(_numeric(e, depth + 1) for e in x)
    if isinstance(x, dict):
        return all(_numeric(e, depth + 1) for e in x.values())
    if isinstance(x, np.ndarray):
        return np.issubdtype(x.dtype, np.number)
    return _is_scalar_number(x)


def _primal_mutates_src(program):
    args, kwargs = copy.deepcopy(_primal_call(program))
    before = copy.deepcopy((args, kwargs))
    ns = {"__name__": "fuzz_shrink"}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(program.source, "<shrink>", "exec"), ns)
            ns[program.fname](*args, **kwargs)
    except Exception:  # noqa: BLE001
        return True
    return not _same((args, kwargs), before)


def _primal_call(program):
    """(args, kwargs) for calling the primal of a program (seed excluded)."""
    import inspect
    tree = ast.parse(program.source)
    fdef = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == program.fname)
    params = [a.arg for a in fdef.args.args]
    args = [a for p, a in zip(params, program.args) if p not in program.kwnames]
    kwargs = {p: a for p, a in zip(params, program.args) if p in program.kwnames}
    del inspect
    return args, kwargs


def shrink(program, result, budget=600, seconds=150.0, time_limit=10.0, mode="reverse"):
    """A smaller program failing the same way (greedy statement/expression deletion)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _shrink(program, result, budget, seconds, time_limit, mode)


def _shrink(program, result, budget, seconds, time_limit, mode):
    if result.status not in (WRONG, CRASH, HANG):
        return program, result
    best, best_res = program, result
    tree = ast.parse(program.source)
    tries = 0
    t0 = time.perf_counter()
    # fewer wrt parameters first
    wl = _wrt_list(program.wrt)
    if len(wl) > 1:
        for w in wl:
            cand = _with_source(best, best.source, wrt=w)
            r = _still_fails(best, best_res, cand, time_limit, mode)
            tries += 1
            if r is not None:
                best, best_res = cand, r
                break
    changed = True
    while changed and tries < budget and time.perf_counter() - t0 < seconds:
        changed = False
        # unused parameters (and their arguments) go first
        for cand in _drop_params(best):
            tries += 1
            r = _still_fails(best, best_res, cand, time_limit, mode)
            if r is not None:
                best, best_res, tree = cand, r, ast.parse(cand.source)
                changed = True
                break
        pos = 0
        edits = _edits(tree, program.fname)
        while pos < len(edits) and tries < budget and time.perf_counter() - t0 < seconds:
            edit = edits[pos]
            pos += 1
            new_tree = _apply(tree, edit, program.fname)
            if new_tree is None:
                continue
            try:
                src = ast.unparse(new_tree) + "\n"
                compile(src, "<shrink>", "exec")
            except (SyntaxError, ValueError):
                continue
            if src == best.source:
                continue
            tries += 1
            cand = _with_source(best, src)
            r = _still_fails(best, best_res, cand, time_limit, mode)
            if r is not None:
                best, best_res, tree = cand, r, new_tree
                changed = True
                # the edit list changed: carry on from about the same place
                edits = _edits(tree, program.fname)
                pos = max(0, pos - 1) if edit[0] != "del" else max(0, pos - 1)
    best_res.program = best
    return best, best_res


# ---------------------------------------------------------------------------
# findings

def finding_source(program, result, original=None):
    """A runnable repro: the program, its arguments, and the check."""
    head = [f'"""s2s fuzz finding: {result.status} ({result.signature})', "",
            f"Generator seed {program.seed}; features {sorted(program.features)}.", "",
            "What went wrong:"]
    head += ["    " + ln for ln in str(result.detail).splitlines()]
    head += ['', 'Run: python THIS_FILE.py  (raises when the bug is present)', '"""']
    body = program.source.rstrip() + "\n"
    tail = ["", "",
            "import numpy as np  # noqa: E402 (for the arguments)",
            "",
            f"ARGS = {fmt_value(tuple(program.args))}",
            f"WRT = {program.wrt!r}",
            f"KWNAMES = {program.kwnames!r}",
            f"OUT_SEED = {fmt_value(program.out_seed) if program.out_seed is not None else None}",
            "",
            "",
            'if __name__ == "__main__":',
            "    import sys",
            "    from pathlib import Path",
            "    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))",
            "    from tests.fuzz.runner import replay",
            "    replay(__file__)",
            ""]
    return "\n".join(head) + "\n" + body + "\n".join(tail)


def save_finding(program, result, directory):
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    kind = result.status.replace(" ", "_").lower()
    path = directory / f"{kind}_seed{program.seed}.py"
    path.write_text(finding_source(program, result))
    return path


def program_from_file(path):
    """A Program from a repro file written by save_finding (or by hand, same names)."""
    text = pathlib.Path(path).read_text()
    tree = ast.parse(text)
    ns = {"__name__": "fuzz_repro", "np": np}
    exec(compile(text, str(path), "exec"), ns)
    first_def = min((n.lineno for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))), default=0)
    keep = [n for n in tree.body if not (isinstance(n, ast.If) and "__main__" in ast.unparse(n.test))
            and not (isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
                     and n.targets[0].id in ("ARGS", "WRT", "KWNAMES", "OUT_SEED"))
            and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
            and not (isinstance(n, ast.Import) and n.lineno > first_def)]
    source = ast.unparse(ast.Module(body=keep, type_ignores=[])) + "\n"
    return Program(pathlib.Path(path).stem, source, ns["ARGS"], ns["WRT"], frozenset(),
                   out_seed=ns.get("OUT_SEED"), kwnames=ns.get("KWNAMES", ()))


def replay(path, quiet=False, mode=None):
    """Check a repro file; raise AssertionError if it still fails.

    The mode defaults to the one the finding was made in (its signature
    says "fwd" for forward mode)."""
    program = program_from_file(path)
    if mode is None:
        mode = "forward" if " fwd " in pathlib.Path(path).read_text().split("\n")[0] else "reverse"
    res = check(program, value_check=True, mode=mode)
    if not quiet:
        print(f"{path}: {res.status} {res.signature}\n{res.detail}")
    if res.status in FAILURES:
        raise AssertionError(f"{res.status}: {res.signature}\n{res.detail}")
    return res


# ---------------------------------------------------------------------------
# many programs

def run_seeds(seeds, features=None, jobs=1, shrink_failures=False, findings=None, progress=None,
              time_limit=TIME_LIMIT, shrink_per_signature=3, size=1.0, mode="reverse"):
    """Results for many seeds (in seed order).

    With ``shrink_failures``, up to ``shrink_per_signature`` failures of each
    signature (the shortest programs) are shrunk; their results carry the
    shrunk program and the unshrunk one as ``original``. With ``findings``
    (a directory), the shrunk repros are saved there with a SUMMARY.txt.
    """
    from .generator import ALL
    features = frozenset(features or ALL)
    work = [(s, features, time_limit, size, mode) for s in seeds]
    results = _map(_work, work, jobs, progress)
    results.sort(key=lambda r: r.program.seed)
    if shrink_failures:
        groups = collections.defaultdict(list)
        for r in results:
            if r.status in (WRONG, CRASH, HANG):
                groups[r.signature].append(r)
        chosen = []
        for sig, rs in groups.items():
            chosen += sorted(rs, key=lambda r: len(r.program.source))[:shrink_per_signature]
        shrunk = _map(_shrink_work, [(r.program, r, mode) for r in chosen], jobs, None)
        by_seed = {r.program.seed: r for r in shrunk}
        results = [by_seed.get(r.program.seed, r) for r in results]
    if findings:
        directory = pathlib.Path(findings)
        directory.mkdir(parents=True, exist_ok=True)
        for r in results:
            if r.status in FAILURES and (getattr(r, "original", None) is not None or not shrink_failures):
                save_finding(r.program, r, directory)
        (directory / "SUMMARY.txt").write_text(summary(results) + "\n")
    return results


def _map(fn, items, jobs, progress):
    out = []
    if jobs > 1 and len(items) > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(jobs) as pool:
            for r in pool.imap_unordered(fn, items, chunksize=2):
                out.append(r)
                if progress:
                    progress(r)
    else:
        for a in items:
            r = fn(a)
            out.append(r)
            if progress:
                progress(r)
    return out


def _work(a):
    from .generator import generate
    seed, features, time_limit, size, mode = a
    return check(generate(seed, features, size=size), time_limit=time_limit, mode=mode)


def _shrink_work(a):
    program, res, mode = a
    try:
        with _time_limit(300):
            _, new = shrink(program, res, mode=mode)
    except _Timeout:
        return res
    new.original = program
    new.seconds = res.seconds
    return new


def summary(results):
    """A text table: counts by outcome, failures grouped by signature."""
    counts = collections.Counter(r.status for r in results)
    total = len(results)
    lines = [f"s2s fuzz: {total} programs"]
    for st in ORDER:
        if counts.get(st):
            lines.append(f"  {st:13s} {counts[st]:6d}  {100.0 * counts[st] / total:5.1f}%")
    rej = [r for r in results if r.status == REJECTED]
    if rej:
        reasons = collections.Counter(_reason(r.detail) for r in rej)
        lines.append("  rejections by reason:")
        for reason, c in reasons.most_common(12):
            lines.append(f"    {c:5d}  {reason}")
        unlocated = [r for r in rej if r.located is False]
        if unlocated:
            lines.append(f"    ({len(unlocated)} DifferentiationErrors did not name the program's file and line, "
                         f"e.g. seeds {', '.join(str(r.program.seed) for r in unlocated[:6])})")
    fails = [r for r in results if r.status in FAILURES]
    if fails:
        lines.append("  failures by signature:")
        groups = collections.defaultdict(list)
        for r in fails:
            groups[r.signature].append(r.program.seed)
        for sig, seeds in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"    {len(seeds):5d}  {sig}  (seeds {', '.join(map(str, seeds[:8]))}{' …' if len(seeds) > 8 else ''})")
        # issue 9's patterns (open bugs of other areas while they are being fixed): which ones
        # each failing program uses; a failure using none of them is a bug of the core
        from .generator import ISSUE9
        by_feat = collections.Counter(f for r in fails for f in r.program.features & ISSUE9)
        if by_feat:
            lines.append("  failing programs using issue 9's patterns: "
                         + ", ".join(f"{f} {c}" for f, c in by_feat.most_common()))
        core = sorted(r.program.seed for r in fails if not r.program.features & ISSUE9)
        lines.append(f"  failing programs using none of them: {len(core)}"
                     + (f" (seeds {', '.join(map(str, core))})" if core else ""))
        lines.append("  all failing seeds: " + ", ".join(str(r.program.seed) for r in sorted(fails, key=lambda r: r.program.seed)))
    shrunk = [r for r in fails if getattr(r, "original", None) is not None]
    if shrunk:
        lines.append("  shrunk repros (distinct shapes):")
        shapes = collections.defaultdict(list)
        for r in shrunk:
            shapes[(r.signature, shape_key(r.program.source))].append(r.program.seed)
        for (sig, _), seeds in sorted(shapes.items()):
            lines.append(f"    {sig}: seeds {', '.join(map(str, seeds))}")
    secs = sum(r.seconds for r in results)
    lines.append(f"  time in checks: {secs:.1f} s")
    return "\n".join(lines)


def shape_key(source):
    """The program with names made canonical and float constants elided: equal
    keys for shrunk repros usually mean the same bug."""
    import builtins
    tree = ast.parse(source)
    names = {}

    def canon(n):
        if n in ("np", "math") or hasattr(builtins, n):
            return n
        return names.setdefault(n, f"v{len(names)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = canon(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            node.name = canon(node.name)
        elif isinstance(node, ast.arg):
            node.arg = canon(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, float):
            node.value = 0.5
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            pass
    tree.body = [b for b in tree.body if not isinstance(b, (ast.Import, ast.ImportFrom))]
    return ast.unparse(tree)


def _reason(detail):
    lines = str(detail).splitlines()
    msg = lines[2] if len(lines) > 2 and lines[0].startswith("File ") else (lines[0] if lines else "")
    msg = re.sub(r"`[^`]*`", "`…`", msg)
    return msg[:90]
