"""python -m tests.fuzz: run many generated programs, summarize, save repros.

Examples:
  python -m tests.fuzz --n 2000                  # seeds 0..1999, all features
  python -m tests.fuzz --n 500 --start 10000 --jobs 4
  python -m tests.fuzz --n 300 --only for,while,inplace,numpy
  python -m tests.fuzz --n 300 --without exotic,unsupported
  python -m tests.fuzz --show 123                # print the program for seed 123
  python -m tests.fuzz --replay tests/fuzz/findings/wrong_seed57.py
"""
import argparse
import os
import pathlib
import sys
import time

from . import generator, runner

HERE = pathlib.Path(__file__).resolve().parent


def _features(args):
    feats = set(generator.ALL)
    if args.only:
        feats = set(args.only.split(","))
    if args.without:
        feats -= set(args.without.split(","))
    unknown = feats - generator.ALL
    if unknown:
        sys.exit(f"unknown features: {sorted(unknown)}\nknown: {', '.join(sorted(generator.ALL))}")
    return feats


def main(argv=None):
    if "S2S_CACHE_DIR" not in os.environ:   # the programs' generated code: not kept in the user's cache
        import atexit
        import shutil
        import tempfile
        os.environ["S2S_CACHE_DIR"] = tempfile.mkdtemp(prefix="s2s-fuzz-cache-")
        atexit.register(shutil.rmtree, os.environ["S2S_CACHE_DIR"], True)
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="number of programs (default 1000)")
    ap.add_argument("--start", type=int, default=0, help="first seed (default 0)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--only", help="comma-separated features to draw from (default: all)")
    ap.add_argument("--without", help="comma-separated features to leave out")
    ap.add_argument("--no-shrink", action="store_true", help="save failures unshrunk")
    ap.add_argument("--shrink-per-signature", type=int, default=5,
                    help="how many failures of each signature to shrink and save (default 5)")
    ap.add_argument("--findings", default=str(HERE / "findings"), help="where to save repros")
    ap.add_argument("--no-save", action="store_true", help="do not write repro files")
    ap.add_argument("--size", type=float, default=1.0, help="program size scale (default 1.0)")
    ap.add_argument("--mode", default="reverse", choices=["reverse", "forward", "both"],
                    help="check s2s.grad (reverse), s2s.jvp (forward) or both")
    ap.add_argument("--time-limit", type=float, default=runner.TIME_LIMIT, help="seconds per program")
    ap.add_argument("--show", type=int, nargs="*", help="print the programs for these seeds and exit")
    ap.add_argument("--replay", nargs="*", help="check repro files and exit")
    ap.add_argument("--list-features", action="store_true")
    args = ap.parse_args(argv)

    if args.list_features:
        for k, v in generator.FEATURES.items():
            print(f"{k:14s} {v}")
        return 0
    if args.show is not None:
        for s in args.show:
            p = generator.generate(s, _features(args), size=args.size)
            print(f"# seed {s}: wrt={p.wrt!r} kwnames={p.kwnames!r} features={sorted(p.features)}")
            if p.primal_error:
                print(f"# primal error: {p.primal_error}")
            print(p.source)
            print(f"# args = {generator.fmt_value(p.args)}")
            if p.out_seed is not None:
                print(f"# output seed = {generator.fmt_value(p.out_seed)}")
            r = runner.check(p, value_check=True, mode=args.mode)
            print(f"# -> {r.status} {r.signature}\n# " + str(r.detail).replace("\n", "\n# "))
        return 0
    if args.replay is not None:
        bad = 0
        for path in args.replay:
            try:
                runner.replay(path, mode=None if args.mode == "reverse" else args.mode)
            except AssertionError:
                bad += 1
        return 1 if bad else 0

    feats = _features(args)
    seeds = range(args.start, args.start + args.n)
    t0 = time.time()
    done = [0]

    def progress(r):
        done[0] += 1
        mark = {"ok": ".", "rejected": "r", "WRONG": "W", "CRASH": "C", "HANG": "H",
                "primal error": "P", "illcond": "i"}[r.status]
        sys.stdout.write(mark)
        if done[0] % 100 == 0:
            sys.stdout.write(f" {done[0]}/{args.n} {time.time() - t0:.0f}s\n")
        sys.stdout.flush()

    results = runner.run_seeds(seeds, feats, jobs=args.jobs, shrink_failures=not args.no_shrink,
                               findings=None if args.no_save else args.findings, progress=progress,
                               time_limit=args.time_limit, size=args.size, mode=args.mode,
                               shrink_per_signature=args.shrink_per_signature)
    print()
    print(runner.summary(results))
    print(f"  wall time: {time.time() - t0:.0f} s with {args.jobs} job(s)")
    fails = [r for r in results if r.status in runner.FAILURES]
    if fails and not args.no_save:
        print(f"  repros saved in {args.findings}/")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
