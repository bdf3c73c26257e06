#!/usr/bin/env python
"""Where the generated gradients lose time: ablations of the generated code.

    python benchmarks/ablate.py [--workloads rnn,logreg] [--quick]

For each workload s2s compiles, this takes the generated source and
applies, cumulatively, the rewrites an optimizing pass would make, checks
that every variant still gives the same gradient, and times each variant
against the hand-written gradient (interleaved repeats, medians). The
difference between two consecutive rows is what that optimization is worth
on that workload. The rewrites use facts observed on one run ("oracle"
shape facts: which ``unbroadcast`` calls were identities, which
``matmul_grad_*`` calls saw 2-d operands), i.e. what static shape
inference or shape specialisation would know. They are diagnostics, not
code s2s runs.

Variants (each includes the previous ones):
  generated        the code s2s emits today
  -unbroadcast     unbroadcast(g, x) -> g at call sites where shapes always
                   matched (floats, equal-shape arrays)
  direct matmul    matmul_grad_x(g, x, y) -> g @ y.T, matmul_grad_y -> x.T @ g
                   (and the 1-d cases), grad_reduce(g, x, None, False) -> g
                   when g is a scalar that later broadcasts anyway
  -dead saves      stack pushes/pops (and slot saves) of values the backward
                   sweep no longer reads after the rewrites above
  in-place acc     dW = dW + e -> dW += e for loop accumulators of arrays
                   that start at 0.0 (fresh arrays, no alias)
  bound push/pop   stack.append / stack.pop bound once to locals
"""
import argparse
import ast
import copy
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks.run import CLOCKS, THREADS, Timer, close, fmt_time, fmt_ratio, wrt_arg, WORKLOADS  # noqa: E402,F401
import numpy as np  # noqa: E402

import s2s  # noqa: E402
from benchmarks import hand as H  # noqa: E402
from benchmarks import workloads as W  # noqa: E402


def namespace(g):
    ns = dict(g.__globals__)
    for var, cell in zip(g.__code__.co_freevars, g.__closure__ or ()):
        ns[var] = cell.cell_contents
    ns["np"] = np
    return ns


def build(tree, ns, name):
    tree = ast.fix_missing_locations(tree)
    src = ast.unparse(tree)
    scope = dict(ns)
    exec(compile(src, f"<ablation {name}>", "exec"), scope)
    return scope[tree.body[0].name], src


def calls_named(tree, name):
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name]


# ---------------------------------------------------------------- oracles
def observe(tree, ns, inputs, helpers):
    """Run once with each call of ``helpers`` wrapped; returns {site: [records]}."""
    tree = copy.deepcopy(tree)
    log = {}
    sites = []
    for h in helpers:
        for i, c in enumerate(calls_named(tree, h)):
            key = f"{h}#{i}"
            c.func = ast.Call(func=ast.Name("_observe", ast.Load()), args=[ast.Constant(key), ast.Name(h, ast.Load())],
                              keywords=[])
            sites.append(key)

    def _observe(key, fn):
        def wrapped(*a):
            log.setdefault(key, []).append(tuple((type(x), np.shape(x)) for x in a))
            return fn(*a)
        return wrapped

    for i, c in enumerate(_np_calls(tree, "size")):
        key = f"np.size#{i}"
        c.func = ast.Call(func=ast.Name("_observe_value", ast.Load()), args=[ast.Constant(key)], keywords=[])

    def _observe_value(key):
        def wrapped(x):
            v = np.size(x)
            log.setdefault(key, []).append(int(v))
            return v
        return wrapped

    ns = dict(ns, _observe=_observe, _observe_value=_observe_value)
    f, _ = build(tree, ns, "observe")
    f(*inputs)
    return log


def drop_unbroadcast(tree, log):
    n = 0
    for i, c in enumerate(calls_named(tree, "unbroadcast")):
        recs = log.get(f"unbroadcast#{i}", [])
        if recs and all(r[0][1] == r[1][1] for r in recs):
            _replace_node(tree, c, c.args[0])
            n += 1
    return n


def direct_matmul(tree, log):
    n = 0

    def T(e):
        return ast.Attribute(value=e, attr="T", ctx=ast.Load())

    def mm(a, b):
        return ast.BinOp(left=a, op=ast.MatMult(), right=b)

    for h in ("matmul_grad_x", "matmul_grad_y"):
        for i, c in enumerate(calls_named(tree, h)):
            recs = log.get(f"{h}#{i}", [])
            shapes = {tuple(len(s) for _, s in r) for r in recs}
            if len(shapes) != 1:
                continue
            gd, xd, yd = shapes.pop()
            g, x, y = c.args
            new = None
            if xd == 2 and yd == 2:
                new = mm(g, T(y)) if h == "matmul_grad_x" else mm(T(x), g)
            elif xd == 2 and yd == 1:
                new = (ast.Call(func=ast.Attribute(ast.Name("np", ast.Load()), "outer", ast.Load()), args=[g, y], keywords=[])
                       if h == "matmul_grad_x" else mm(T(x), g))
            if new is not None:
                _replace_node(tree, c, new)
                n += 1
    for i, c in enumerate(calls_named(tree, "grad_reduce")):
        recs = log.get(f"grad_reduce#{i}", [])
        # grad_reduce(scalar g, x, None, False) is a broadcast of a scalar; a
        # following elementwise op broadcasts it anyway.
        if recs and all(r[0][1] == () for r in recs) and len(c.args) >= 3 and \
                isinstance(c.args[2], ast.Constant) and c.args[2].value is None:
            _replace_node(tree, c, c.args[0])
            n += 1
    return n


def scalar_index(tree, log):
    """add_at(g, i, v) -> g[i] += v where i was always an int; copy_grad(e) -> e where e was a scalar."""
    n = 0
    for i, c in enumerate(calls_named(tree, "add_at")):
        recs = log.get(f"add_at#{i}", [])
        if recs and all(r[1][0] in (int, np.int64) for r in recs):
            for parent in ast.walk(tree):
                for field in ("body", "orelse"):
                    block = getattr(parent, field, None)
                    if isinstance(block, list):
                        for k, st in enumerate(block):
                            if isinstance(st, ast.Expr) and st.value is c:
                                g, idx, v = c.args
                                block[k] = ast.AugAssign(target=ast.Subscript(value=g, slice=idx, ctx=ast.Store()),
                                                         op=ast.Add(), value=v)
                                n += 1
    for i, c in enumerate(calls_named(tree, "copy_grad")):
        recs = log.get(f"copy_grad#{i}", [])
        if recs and all(r[0][1] == () and r[0][0] is not np.ndarray for r in recs):
            _replace_node(tree, c, c.args[0])
            n += 1
    return n


def specialise_seed(tree, log):
    """init_grad(z, dz) -> dz where z and dz were scalars; np.size(v) -> the observed constant.

    What knowing the output is a scalar, and the shapes, at generation time gives."""
    n = 0
    for i, c in enumerate(calls_named(tree, "init_grad")):
        recs = log.get(f"init_grad#{i}", [])
        if recs and all(r[0][1] == () and r[1][1] == () for r in recs):
            _replace_node(tree, c, c.args[1])
            n += 1
    for i, c in enumerate(_np_calls(tree, "size")):
        vals = {r for r in log.get(f"np.size#{i}", [])}
        if len(vals) == 1:
            _replace_node(tree, c, ast.Constant(vals.pop()))
            n += 1
    return n


def _np_calls(tree, attr):
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == attr and isinstance(n.func.value, ast.Name) and n.func.value.id == "np"]


PURE_HELPERS = {"unbroadcast", "grad_reduce", "matmul_grad_x", "matmul_grad_y", "init_grad", "copy_grad",
                "as_grad", "zeros_like", "range", "reversed", "len"}


def _pure(e):
    for n in ast.walk(e):
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Name) and f.id in PURE_HELPERS:
                continue
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("np", "math"):
                continue
            return False
    return True


def dead_code(tree):
    """Drop assignments to names nobody reads (pure right-hand sides), to a fixed point."""
    fn = tree.body[0]
    n = 0
    while True:
        loads = {x.id for x in ast.walk(fn) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Load)}
        changed = False
        for parent in list(ast.walk(fn)):
            for field in ("body", "orelse"):
                block = getattr(parent, field, None)
                if not isinstance(block, list) or not block or not isinstance(block[0], ast.stmt):
                    continue
                keep = [st for st in block if not (isinstance(st, ast.Assign) and isinstance(st.targets[0], ast.Name)
                                                   and st.targets[0].id not in loads and _pure(st.value))]
                if len(keep) != len(block):
                    n += len(block) - len(keep)
                    changed = True
                    block[:] = keep or [ast.Pass()]
        if not changed:
            return n


def _replace_node(tree, old, new):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for k, v in enumerate(value):
                    if v is old:
                        value[k] = new
                        return
    raise ValueError("node not found")


def _backward_start(fn):
    """Index in fn.body of the statement seeding the output gradient (init_grad) or the first
    statement reading the seed parameter."""
    seed = fn.args.args[-1].arg
    for k, s in enumerate(fn.body):
        if any(isinstance(n, ast.Name) and n.id == seed for n in ast.walk(s)):
            return k
    return len(fn.body)


def drop_dead_saves(tree):
    fn = tree.body[0]
    k = _backward_start(fn)
    bwd_reads = set()
    for s in fn.body[k:]:
        for n in ast.walk(s):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                bwd_reads.add(n.id)
    dropped = set()

    class Prune(ast.NodeTransformer):
        def generic_visit(self, node):
            super().generic_visit(node)
            for field in ("body", "orelse"):
                block = getattr(node, field, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    keep = []
                    for s in block:
                        if _is_push(s) and s.value.args[0].id not in bwd_reads:
                            dropped.add(s.value.args[0].id)
                            continue
                        if _is_pop(s) and s.targets[0].id not in bwd_reads:
                            continue
                        keep.append(s)
                    block[:] = keep or [ast.Pass()]
            return node

    Prune().visit(tree)
    # placeholders `v = None` for dropped saves are dead too
    fn.body = [s for s in fn.body if not (isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
                                          and s.value.value is None and isinstance(s.targets[0], ast.Name)
                                          and s.targets[0].id in dropped)]
    return len(dropped)


def _is_push(s):
    return (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute)
            and s.value.func.attr == "append" and isinstance(s.value.func.value, ast.Name)
            and s.value.func.value.id.startswith("stack") and isinstance(s.value.args[0], ast.Name))


def _is_pop(s):
    return (isinstance(s, ast.Assign) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute)
            and s.value.func.attr == "pop" and isinstance(s.value.func.value, ast.Name)
            and s.value.func.value.id.startswith("stack") and isinstance(s.targets[0], ast.Name))


def inplace_accumulate(tree):
    fn = tree.body[0]
    zero_init = {s.targets[0].id for s in fn.body if isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Name)
                 and isinstance(s.value, ast.Constant) and s.value.value == 0.0 and s.targets[0].id.startswith("d")}
    n = 0
    for loop in [s for s in fn.body if isinstance(s, ast.For)]:
        for parent in ast.walk(loop):
            for field in ("body", "orelse"):
                block = getattr(parent, field, None)
                if not isinstance(block, list):
                    continue
                for k, s in enumerate(block):
                    if (isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Name) and s.targets[0].id in zero_init
                            and isinstance(s.value, ast.BinOp) and isinstance(s.value.op, ast.Add)
                            and isinstance(s.value.left, ast.Name) and s.value.left.id == s.targets[0].id):
                        block[k] = ast.AugAssign(target=ast.Name(s.targets[0].id, ast.Store()), op=ast.Add(),
                                                 value=s.value.right)
                        n += 1
    return n


def bind_stack_methods(tree):
    fn = tree.body[0]
    names = set()

    class R(ast.NodeTransformer):
        def visit_Attribute(self, node):
            self.generic_visit(node)
            if isinstance(node.value, ast.Name) and node.value.id.startswith("stack") and node.attr in ("append", "pop"):
                nm = f"{node.value.id}_{node.attr}"
                names.add((nm, node.value.id, node.attr))
                return ast.Name(nm, ast.Load())
            return node

    R().visit(fn)
    for k, s in enumerate(fn.body):
        if isinstance(s, ast.Assign) and isinstance(s.value, ast.List) and isinstance(s.targets[0], ast.Name) \
                and s.targets[0].id.startswith("stack"):
            binds = [ast.Assign(targets=[ast.Name(nm, ast.Store())],
                                value=ast.Attribute(ast.Name(st, ast.Load()), attr, ast.Load()))
                     for nm, st, attr in sorted(names) if st == s.targets[0].id]
            fn.body[k + 1:k + 1] = binds
            break
    return len(names)


# ---------------------------------------------------------------- driver
def variants(fn, inputs, wrt):
    g = s2s.grad(fn, wrt=wrt_arg(wrt))
    ns = namespace(g)
    tree = ast.parse(g.s2s_source)
    log = observe(tree, ns, inputs, ["unbroadcast", "matmul_grad_x", "matmul_grad_y", "grad_reduce", "add_at",
                                     "copy_grad", "init_grad"])
    out = [("generated", g, g.s2s_source, "")]
    steps = [("-unbroadcast", lambda t: drop_unbroadcast(t, log), "call sites dropped"),
             ("direct matmul", lambda t: direct_matmul(t, log), "helper calls inlined"),
             ("scalar index", lambda t: scalar_index(t, log), "add_at/copy_grad calls simplified"),
             ("seed, sizes", lambda t: specialise_seed(t, log), "init_grad/np.size calls specialised"),
             ("dead code", dead_code, "dead assignments removed"),
             ("-dead saves", drop_dead_saves, "saved variables dropped"),
             ("in-place acc", inplace_accumulate, "accumulations made in-place"),
             ("bound push/pop", bind_stack_methods, "methods bound")]
    for label, step, what in steps:
        tree = copy.deepcopy(tree)
        n = step(tree)
        f, src = build(tree, ns, label)
        out.append((label, f, src, f"{n} {what}"))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workloads", default="")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--show", action="store_true", help="print the final variant's source")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = ap.parse_args(argv)
    clock = CLOCKS[args.clock]
    timer = Timer(0.05, 3, 2.0, clock) if args.quick else Timer(0.2, 9, 6.0, clock)
    data = W.make_data()
    wanted = [w for w in args.workloads.split(",") if w]
    print(f"clock: {clock.__name__}; threads: {THREADS}; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for key, label, fn, fallback in WORKLOADS:
        if wanted and key not in wanted:
            continue
        inputs, wrt = data[key]
        try:
            vs = variants(fn, inputs, wrt)
        except Exception as e:
            if fallback is None:
                print(f"\n{label}: s2s failed: {type(e).__name__}: {str(e).splitlines()[-1]}")
                continue
            fn = fallback
            vs = variants(fn, inputs, wrt)
        expect = H.HAND[key](*inputs)
        cells = {"primal": lambda: fn(*inputs), "hand": lambda: H.HAND[key](*inputs)}
        notes = {}
        for name, f, src, what in vs:
            res = f(*inputs)
            notes[name] = what + ("" if close(res, expect) else "  WRONG GRADIENT")
            cells[name] = lambda f=f: f(*inputs)
        res = timer.measure_all(cells)
        primal, handt = res["primal"][0], res["hand"][0]
        print(f"\n{label} ({fn.__name__}): primal {fmt_time(primal)}, hand {fmt_time(handt)} ({fmt_ratio(handt / primal)})")
        prev = None
        for name, *_ in vs:
            t = res[name][0]
            delta = "" if prev is None else f"  saves {fmt_time(prev - t)} ({(prev - t) / res['generated'][0] * 100:+.0f}% of generated)"
            print(f"  {name:<15} {fmt_time(t):>9}  {fmt_ratio(t / primal):>6} of primal  {fmt_ratio(t / handt):>6} of hand"
                  f"{delta}   [{notes[name]}]")
            prev = t
        if args.show:
            print(vs[-1][2])


if __name__ == "__main__":
    main()
