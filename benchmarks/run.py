#!/usr/bin/env python
"""s2s benchmark: primal vs hand-written gradient vs s2s vs the peers.

    python benchmarks/run.py              # everything (about 3-4 minutes)
    python benchmarks/run.py --quick      # shorter repeats, for a smoke run
    python benchmarks/run.py --peers none --workloads rnn,mlp

Every number is a median over repeats of an adaptive number of loops
(``time.perf_counter``); ratios are gradient time / primal time, and
s2s / hand-written. See benchmarks/README.md for what is measured and why.
"""
import argparse
import gc
import inspect
import math
import os
import platform
import re
import statistics
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def _threads_from_argv(argv):
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return int(argv[i + 1])
        if a.startswith("--threads="):
            return int(a.split("=", 1)[1])
    return 1


# Thread counts must be fixed before NumPy, JAX or PyTorch load their
# thread pools. One thread each by default: the comparison is of the code
# each tool runs, and on a 2-core machine shared with other work, BLAS
# threads that spin while waiting for a busy core make timings erratic.
THREADS = _threads_from_argv(sys.argv[1:])
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)
if THREADS == 1:
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                               " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()

import numpy as np  # noqa: E402

import s2s  # noqa: E402
from s2s import cache as s2s_cache, compiler  # noqa: E402

from benchmarks import hand as H  # noqa: E402
from benchmarks import peers as P  # noqa: E402
from benchmarks import workloads as W  # noqa: E402

# (key, label, the function s2s differentiates, a fallback variant measured
#  only if s2s fails on the first)
WORKLOADS = [
    ("scalar_loop", "scalar loop (1000 it)", W.scalar_loop, None),
    ("logreg", "logreg 200000x20", W.logreg_loss, None),
    ("mlp", "MLP 784-256-10 b256", W.mlp_loss, W.mlp_loss_stopmax),
    ("rnn", "RNN 50 steps b32 64-128", W.rnn_loss, None),
    ("inplace", "in-place loop (1000)", W.inplace_loop, None),
    ("scalar_helper", "helper in a loop: scalar (1000)", W.scalar_helper_loop, None),
    ("rnn_helper", "helper in a loop: RNN cell", W.rnn_helper_loss, None),
]
PEERS = ["autograd", "jax", "jax.jit", "torch"]
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


# ------------------------------------------------------------------ timing
class Timer:
    """Adaptive loops and repeats; medians of per-call times.

    ``calibrate`` picks the number of loops so one repeat lasts at least
    ``min_time``; ``run_round`` runs one repeat of every registered
    callable in turn (repeats are interleaved across the methods of a
    workload, so drift and a busy second core hit them alike). A call
    slower than ``min_time`` runs once a repeat, and the number of repeats
    shrinks so a cell costs at most ``budget`` seconds (never below 3).
    """

    def __init__(self, min_time, repeats, budget, clock=time.perf_counter):
        self.min_time, self.repeats, self.budget, self.clock = min_time, repeats, budget, clock

    def calibrate(self, fn):
        fn()                                      # warm-up (compilation, caches)
        n = 1
        while True:
            t0 = self.clock()
            for _ in range(n):
                fn()
            dt = self.clock() - t0
            if dt >= self.min_time / 5 or n >= 10 ** 7:
                break
            n *= 5
        per = dt / n
        loops = max(1, math.ceil(self.min_time / per))
        repeats = max(3, min(self.repeats, int(self.budget / (per * loops))))
        return loops, repeats

    def one(self, fn, loops):
        t0 = self.clock()
        for _ in range(loops):
            fn()
        return (self.clock() - t0) / loops

    def measure_all(self, cells):
        """cells: {name: zero-arg callable} -> {name: (median, [times])}."""
        plan = {k: self.calibrate(f) for k, f in cells.items()}
        times = {k: [] for k in cells}
        for r in range(max(rep for _, rep in plan.values())):
            for k, f in cells.items():
                loops, rep = plan[k]
                if r < rep:
                    times[k].append(self.one(f, loops))
        return {k: (statistics.median(v), v) for k, v in times.items()}


def fmt_time(t):
    if t is None:
        return "-"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.3g} ms"
    return f"{t * 1e6:.3g} us"


def fmt_ratio(r):
    if r >= 100:
        return f"{r:.0f}x"
    if r >= 10:
        return f"{r:.1f}x"
    return f"{r:.2f}x"


# ------------------------------------------------------------------ checks
def close(a, b, rtol=1e-6, atol=1e-9):
    if isinstance(b, tuple):
        return isinstance(a, (tuple, list)) and len(a) == len(b) and all(close(x, y, rtol, atol) for x, y in zip(a, b))
    return np.allclose(np.asarray(a, dtype=np.float64), b, rtol=rtol, atol=atol)


def wrt_arg(wrt):
    return list(wrt) if len(wrt) > 1 else wrt[0]


def short_error(e):
    msg = f"{type(e).__name__}: {e}"
    return msg.strip()


# ------------------------------------------------------------------ sections
def machine_line():
    try:
        from threadpoolctl import threadpool_info
        blas = ", ".join(f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, {i.get('num_threads')} threads)"
                         for i in threadpool_info() if i.get("user_api") == "blas")
    except ImportError:
        blas = "threadpoolctl not installed"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            cpu = m.group(1) if m else cpu
    except OSError:
        pass
    vers = [f"Python {platform.python_version()}", f"NumPy {np.__version__}"]
    for mod in ("autograd", "jax", "torch"):
        try:
            from importlib.metadata import version
            vers.append(f"{mod} {version(mod)}")
        except Exception:
            pass
    try:
        import subprocess
        rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except Exception:
        rev = "?"
    return (f"s2s: {rev} (git describe --always --dirty of {ROOT})\n"
            f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}\n"
            f"software: {', '.join(vers)}\nBLAS: {blas}")


def bench_workloads(args, timer, data, peer_fns, notes):
    rows = []
    for key, label, fn, fallback in WORKLOADS:
        if args.workloads and key not in args.workloads:
            continue
        inputs, wrt = data[key]
        expect = H.HAND[key](*inputs)
        cells = {"primal": lambda fn=fn: fn(*inputs), "hand": lambda: H.HAND[key](*inputs)}
        if key in H.CHAIN:
            cells["chain"] = lambda: H.CHAIN[key](*inputs)
        status = {}

        def add_s2s(name, f):
            try:
                g = s2s.grad(f, wrt=wrt_arg(wrt))
                out = g(*inputs)
            except Exception as e:  # record precisely what failed
                status[name] = "FAILED"
                notes.append(f"[{label}] s2s on {f.__name__}: {short_error(e)}")
                return False
            if not close(out, expect):
                status[name] = "WRONG"
                notes.append(f"[{label}] s2s on {f.__name__}: gradient disagrees with the hand-written one")
            cells[name] = lambda: g(*inputs)
            return True

        ok = add_s2s("s2s", fn)
        if not ok and fallback is not None:
            if add_s2s("s2s*", fallback):
                notes.append(f"[{label}] s2s* = s2s on the fallback {fallback.__name__} "
                             f"(same value and gradient; see workloads.py)")
        for peer, fns in peer_fns.items():
            if isinstance(fns, str) or key not in fns:
                status[peer] = "n/a"
                continue
            g, conv = fns[key]
            try:
                pin = conv(inputs)
                out = g(*pin)
            except Exception as e:
                status[peer] = "FAILED"
                notes.append(f"[{label}] {peer}: {short_error(e).splitlines()[0][:200]}")
                continue
            if not close(P.to_numpy(out), expect):
                status[peer] = "WRONG"
                notes.append(f"[{label}] {peer}: gradient disagrees with the hand-written one")
            cells[peer] = lambda g=g, pin=pin: g(*pin)
        gc.collect()
        res = timer.measure_all(cells)
        rows.append((key, label, res, status))
        print(f"  measured {label}", file=sys.stderr, flush=True)
    return rows


def print_main_table(rows, peers):
    cols = ["primal", "hand", "s2s", "s2s/hand", "s2s/chain"] + peers
    head = ["workload"] + cols
    lines = []
    for key, label, res, status in rows:
        primal = res["primal"][0]
        line = [label, fmt_time(primal)]
        for c in ["hand"]:
            line.append(f"{fmt_time(res[c][0])} ({fmt_ratio(res[c][0] / primal)})")
        s2s_key = "s2s" if "s2s" in res else "s2s*" if "s2s*" in res else None
        if s2s_key:
            t = res[s2s_key][0]
            star = "*" if s2s_key == "s2s*" else ""
            bad = " WRONG" if status.get(s2s_key) == "WRONG" else ""
            line.append(f"{fmt_time(t)} ({fmt_ratio(t / primal)}){star}{bad}")
            line.append(fmt_ratio(t / res["hand"][0]) + star)
            line.append(fmt_ratio(t / res["chain"][0]) + star if "chain" in res else "-")
        else:
            line += [status.get("s2s", "FAILED"), "-", "-"]
        for p in peers:
            if p in res:
                t = res[p][0]
                bad = " WRONG" if status.get(p) == "WRONG" else ""
                line.append(f"{fmt_time(t)} ({fmt_ratio(t / primal)}){bad}")
            else:
                line.append(status.get(p, "-"))
        lines.append(line)
    widths = [max(len(str(r[i])) for r in [head] + lines) for i in range(len(head))]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths))]
    out.append("  ".join("-" * w for w in widths))
    for r in lines:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    return "\n".join(out)


NUMBA_WORKLOADS = ("scalar_loop", "inplace", "scalar_helper")


def bench_numba(args, timer, data, notes, clock=time.perf_counter):
    """backend="numba" on the loop workloads against a hand-written numba gradient (hand_numba.py);
    compile time (the first call: rewriting, numba's typing and compilation) is measured apart."""
    from benchmarks import hand_numba
    hand = hand_numba.compiled()
    if hand is None:
        return "numba is not installed (pip install numba): no numba column"
    out = ["workload                         primal     s2s python   s2s numba    hand numba   numba/hand  "
           "numba compile",
           "-------------------------------  ---------  -----------  -----------  -----------  ----------  "
           "-------------"]
    for key, label, fn, _ in WORKLOADS:
        if key not in NUMBA_WORKLOADS or (args.workloads and key not in args.workloads):
            continue
        inputs, wrt = data[key]
        try:
            g = s2s.grad(fn, wrt=wrt_arg(wrt), backend="numba")
            t0 = clock()
            out_ = g(*inputs)
            compile_time = clock() - t0
            py = s2s.grad(fn, wrt=wrt_arg(wrt))
            hand[key](*inputs)
        except Exception as e:
            notes.append(f"[{label}] numba: {short_error(e)}")
            continue
        if not close(out_, H.HAND[key](*inputs)):
            notes.append(f"[{label}] numba: gradient disagrees with the hand-written one")
        res = timer.measure_all({"primal": lambda: fn(*inputs), "python": lambda: py(*inputs),
                                 "numba": lambda: g(*inputs), "hand": lambda: hand[key](*inputs)})
        t = {k: v[0] for k, v in res.items()}
        out.append(f"{label:<31}  {fmt_time(t['primal']):>9}  {fmt_time(t['python']):>11}  "
                   f"{fmt_time(t['numba']):>11}  {fmt_time(t['hand']):>11}  {fmt_ratio(t['numba'] / t['hand']):>10}  "
                   f"{fmt_time(compile_time):>13}")
        print(f"  measured numba {label}", file=sys.stderr, flush=True)
    return "\n".join(out)


JAX_WORKLOADS = ("logreg", "mlp", "rnn")


def bench_jax(args, timer, data, notes, clock=time.perf_counter):
    """backend="jax" on the array workloads against jax.jit(jax.grad(f)) (peers.py), both on jax arrays made
    once outside the timed region; "numpy in" = the same s2s gradient called with the NumPy arrays (each call
    copies them into jax and the gradient back out). Compile time (the first call) is measured apart."""
    try:
        import jax
    except ImportError:
        return "jax is not installed (pip install jax): no jax column"
    peer = P.make("jax.jit")
    out = ["workload                         primal     s2s python   s2s jax      jax.jit(grad)  jax/jax.jit  "
           "s2s jax, numpy in  jax compile",
           "-------------------------------  ---------  -----------  -----------  -------------  -----------  "
           "-----------------  -----------"]
    for key, label, fn, _ in WORKLOADS:
        if key not in JAX_WORKLOADS or (args.workloads and key not in args.workloads):
            continue
        inputs, wrt = data[key]
        try:
            g = s2s.grad(fn, wrt=wrt_arg(wrt), backend="jax")
            jg, conv = peer[key]
            jin = conv(inputs)
            t0 = clock()
            got = jax.block_until_ready(g(*jin))
            compile_time = clock() - t0
            g(*inputs)
            py = s2s.grad(fn, wrt=wrt_arg(wrt))
        except Exception as e:
            notes.append(f"[{label}] jax backend: {short_error(e)}")
            continue
        if not close(P.to_numpy(got), H.HAND[key](*inputs)):
            notes.append(f"[{label}] jax backend: gradient disagrees with the hand-written one")
        res = timer.measure_all({"primal": lambda: fn(*inputs), "python": lambda: py(*inputs),
                                 "jax": lambda: jax.block_until_ready(g(*jin)), "jit": lambda: jg(*jin),
                                 "numpy": lambda: g(*inputs)})
        t = {k: v[0] for k, v in res.items()}
        out.append(f"{label:<31}  {fmt_time(t['primal']):>9}  {fmt_time(t['python']):>11}  {fmt_time(t['jax']):>11}  "
                   f"{fmt_time(t['jit']):>13}  {fmt_ratio(t['jax'] / t['jit']):>11}  {fmt_time(t['numpy']):>17}  "
                   f"{fmt_time(compile_time):>11}")
        print(f"  measured jax {label}", file=sys.stderr, flush=True)
    return "\n".join(out)


def bench_generation(args, notes, clock=time.perf_counter):
    """Cold generation (every cache off), generation from the persistent cache (s2s/cache.py: the
    in-memory cache cleared, the file written by an earlier process read back) and cached lookup."""
    funcs = [(f, W.WRT[k]) for k, _, f, fb in WORKLOADS] + [(W.mlp_loss_stopmax, W.WRT["mlp"]),
                                                           (W.gru_loss, W.GRU_WRT)]
    out = ["function                 lines  cold generation   from disk cache   cached grad(f) lookup",
           "-----------------------  -----  ----------------  ----------------  ---------------------"]
    for f, wrt in funcs:
        lines = len(inspect.getsource(f).splitlines())
        w = wrt_arg(wrt)
        try:
            s2s.grad(f, wrt=w)
        except Exception as e:
            out.append(f"{f.__name__:<23}  {lines:5d}  FAILED: {short_error(e).splitlines()[-1][:60]}")
            continue
        def generations():
            times = []
            for _ in range(args.gen_repeats):
                compiler.clear_cache()
                t0 = clock()
                s2s.grad(f, wrt=w)
                times.append(clock() - t0)
            return fmt_time(statistics.median(times))

        was = os.environ.get("S2S_CACHE")
        os.environ["S2S_CACHE"] = "0"   # cold: generated from the source, no cache of any kind
        try:
            cold = generations()
        finally:
            if was is None:
                del os.environ["S2S_CACHE"]
            else:
                os.environ["S2S_CACHE"] = was
        disk = generations() if s2s_cache.directory() is not None else "(cache off)"   # last: the lookups below
        n = 20000
        warm = []
        for _ in range(7):
            t0 = clock()
            for _ in range(n):
                s2s.grad(f, wrt=w)
            warm.append((clock() - t0) / n)
        out.append(f"{f.__name__:<23}  {lines:5d}  {cold:>16}  {disk:>16}  {fmt_time(statistics.median(warm)):>21}")
    return "\n".join(out)


# ------------------------------------------------------------------ memory
class TrackedStack(list):
    """A list that records what the generated forward sweep pushes."""

    def __init__(self):
        super().__init__()
        self.pushes = 0
        self.peak_len = 0
        self.snapshot = None

    def append(self, v):
        super().append(v)
        self.pushes += 1
        if len(self) > self.peak_len:
            self.peak_len = len(self)
            self.snapshot = list(self)


def _root(a):
    while isinstance(a, np.ndarray) and a.base is not None and isinstance(a.base, np.ndarray):
        a = a.base
    return a


def stack_usage(fn, wrt, inputs, optimized=True):
    """Run the generated gradient with an instrumented stack; what it held at its peak.

    Returns a dict: pushes, peak entries, None placeholders, bytes of the
    distinct array buffers the stack keeps alive (a buffer counted once,
    however many entries refer to it), bytes of views into the caller's
    inputs (held anyway, so not counted), and sys.getsizeof of Python
    scalars.
    """
    g = s2s.grad(fn, wrt=wrt_arg(wrt), optimized=optimized)
    g = getattr(g, "s2s_for_args", lambda *a: g)(*inputs)   # the code generated for these arguments' types
    src = g.s2s_source
    m = re.search(r"^\s+(stack\w*) = \[\]$", src, re.M)
    if m is None:
        return None
    name = m.group(1)
    src = src.replace(m.group(0), m.group(0).replace("[]", "_TrackedStack()"), 1)
    stacks = []

    def make():
        s = TrackedStack()
        stacks.append(s)
        return s

    ns = dict(g.__globals__)                       # the user's globals ...
    for var, cell in zip(g.__code__.co_freevars, g.__closure__ or ()):
        ns[var] = cell.cell_contents               # ... and the helpers the factory bound
    ns["_TrackedStack"] = make
    exec(compile(src, f"<instrumented {g.__name__}>", "exec"), ns)
    ns[g.__name__](*inputs)
    st = stacks[0]
    input_roots = {id(_root(a)) for a in inputs if isinstance(a, np.ndarray)}
    seen, array_bytes, view_bytes, scalar_bytes, nones = set(), 0, 0, 0, 0
    for v in st.snapshot:
        if v is None:
            nones += 1
        elif isinstance(v, np.ndarray):
            r = _root(v)
            if id(r) in input_roots:
                view_bytes += v.nbytes
            elif id(r) not in seen:
                seen.add(id(r))
                array_bytes += r.nbytes
        else:
            scalar_bytes += sys.getsizeof(v)
    return {"name": name, "pushes": st.pushes, "peak": st.peak_len, "nones": nones,
            "array_bytes": array_bytes, "view_bytes": view_bytes, "scalar_bytes": scalar_bytes}


def bench_memory(data):
    out = []
    cases = [("rnn", W.rnn_loss, data["rnn"][0][3].shape[0]), ("scalar_loop", W.scalar_loop, 1000)]
    for key, fn, iters in cases:
        inputs, wrt = data[key]
        for opt in (True, False):
            try:
                u = stack_usage(fn, wrt, inputs, optimized=opt)
            except Exception as e:
                out.append(f"{key} (optimized={opt}): FAILED {short_error(e).splitlines()[-1]}")
                continue
            if u is None:
                out.append(f"{key} (optimized={opt}): no stack")
                continue
            held = u["array_bytes"] + u["scalar_bytes"]
            out.append(f"{key:<11} optimized={str(opt):<5}  pushes/iter {u['pushes'] / iters:5.1f}  "
                       f"(None placeholders {u['nones'] / iters:.1f})  held/iter {held / iters:9,.0f} B  "
                       f"(arrays {u['array_bytes'] / iters:,.0f} B, scalars {u['scalar_bytes'] / iters:,.0f} B; "
                       f"views of inputs, not counted: {u['view_bytes'] / iters:,.0f} B)")
        if key == "rnn":
            B, Hn = data["rnn"][0][4].shape
            out.append(f"{'rnn':<11} minimum: the backward sweep needs h_t of each step: one ({B},{Hn}) float64 "
                       f"array = {B * Hn * 8:,} B/iter (hand.py's rnn_grad keeps exactly that)")
        if key == "scalar_loop":
            out.append(f"{'scalar_loop':<11} minimum: reverse mode needs 2 floats/iter (the local partials, as hand.py) "
                       f"= {2 * 24} B as Python floats, or y plus recomputation = 24 B")
    return "\n".join(out)


# ------------------------------------------------------------------ main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short repeats (a smoke run, noisier numbers)")
    ap.add_argument("--repeats", type=int, default=7, help="repeats per cell (default 7)")
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per repeat (default 0.2)")
    ap.add_argument("--budget", type=float, default=6.0, help="max seconds per cell; slow cells repeat less (min 3)")
    ap.add_argument("--peers", default="all", help="comma list of autograd,jax,jax.jit,torch, or 'none'")
    ap.add_argument("--workloads", default="", help="comma list of " + ",".join(k for k, *_ in WORKLOADS))
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="wall: time.perf_counter (default); cpu: time.process_time, steadier when other "
                         "processes compete for the cores (meaningful with --threads 1)")
    ap.add_argument("--threads", type=int, default=1,
                    help="BLAS / XLA / PyTorch threads (default 1; read before NumPy is imported)")
    ap.add_argument("--gen-repeats", type=int, default=15, help="cold generations per function")
    args = ap.parse_args(argv)
    if args.quick:
        args.repeats, args.min_time, args.budget, args.gen_repeats = 3, 0.05, 2.0, 5
    args.workloads = [w for w in args.workloads.split(",") if w]
    peers = [] if args.peers == "none" else PEERS if args.peers == "all" else args.peers.split(",")

    try:
        import torch
        torch.set_num_threads(args.threads)
    except ImportError:
        pass
    print(machine_line())
    print(f"threads: {args.threads} for BLAS, XLA and PyTorch; load average at start: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} (the machine may be shared)")
    clock = CLOCKS[args.clock]
    print(f"timing: {clock.__name__}; each cell is the median of up to {args.repeats} repeats, a repeat being "
          f">= {args.min_time} s of back-to-back calls\n(fewer repeats, min 3, for calls slower than "
          f"{args.budget / args.repeats:.2f} s); repeats interleaved across a row's cells; gc enabled.")
    print()

    data = W.make_data()
    notes = []
    peer_fns = {}
    for p in peers:
        try:
            peer_fns[p] = P.make(p)
        except ImportError as e:
            peer_fns[p] = "n/a"
            notes.append(f"{p}: not installed ({e})")
    rows = bench_workloads(args, Timer(args.min_time, args.repeats, args.budget, clock), data, peer_fns, notes)

    print("Gradient time (ratio to the primal):")
    print(print_main_table(rows, peers))
    print()
    print('backend="numba" (compile time excluded, measured apart; hand numba = hand_numba.py):')
    print(bench_numba(args, Timer(args.min_time, args.repeats, args.budget, clock), data, notes, clock))
    print()
    print('backend="jax" (compile time excluded, measured apart; both on jax arrays; numpy in = called with NumPy arrays):')
    print(bench_jax(args, Timer(args.min_time, args.repeats, args.budget, clock), data, notes, clock))
    print("hand = hand-written gradient (hand.py, closed forms where an expert uses them);"
          " chain = hand-written literal chain rule (hand.py *_chain).")
    print("JAX runs the same source but the two 1000-step loops, which use lax.fori_loop (peers.py);"
          " jax = jax.grad eager, jax.jit = jit(grad), compile time excluded.")
    if notes:
        print("\nNotes:")
        for n in notes:
            print("  " + n.replace("\n", "\n    "))
    print()
    print("Gradient generation (s2s.grad; s2s.compiler.clear_cache() before each call; cold = with S2S_CACHE=0,\n"
          "from disk cache = the persistent cache's file, written by the first call, read back):")
    print(bench_generation(args, notes, clock))
    print()
    print("Memory: the generated code's `stack` in the forward sweep, at its peak (end of the loop):")
    print(bench_memory(data))
    print()
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
