"""Command line: ``python -m s2s FILE.py:FUNCTION [--wrt 0,1] [--mode forward] [-o OUT.py]``."""
import argparse
import importlib.util
import os
import sys

from .errors import DifferentiationError


def load_function(spec):
    """The function named by ``path/to/file.py:name`` (dotted names reach methods)."""
    if ":" not in spec:
        raise SystemExit(f"expected FILE.py:FUNCTION, got {spec!r}")
    path, name = spec.rsplit(":", 1)
    if not os.path.exists(path):
        raise SystemExit(f"no such file: {path}")
    modname = os.path.splitext(os.path.basename(path))[0]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    module_spec = importlib.util.spec_from_file_location(modname, path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[modname] = module
    module_spec.loader.exec_module(module)
    obj = module
    for part in name.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise SystemExit(f"{path} has no {name!r}") from None
    return obj, modname


def parse_wrt(text):
    items = [w.strip() for w in text.split(",") if w.strip()]
    out = [int(w) if w.lstrip("-").isdigit() else w for w in items]
    return out[0] if len(out) == 1 else tuple(out)


def standalone(fn, modname):
    """A self-contained module: imports for every object the generated code uses."""
    from .codegen import module_source
    return module_source(fn, modname)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m s2s", description="Print the derivative s2s generates for a function.")
    parser.add_argument("target", nargs="?", help="FILE.py:FUNCTION")
    parser.add_argument("--wrt", default="0", help="parameters to differentiate with respect to (indices or names, comma separated)")
    parser.add_argument("--mode", choices=["reverse", "forward"], default="reverse")
    parser.add_argument("-o", "--output", help="write a standalone module to this file instead of printing")
    parser.add_argument("--rules", action="store_true", help="list every function s2s has derivative rules for")
    args = parser.parse_args(argv)
    if args.rules:
        from .rules_doc import rules_table
        print(rules_table())
        return 0
    if not args.target:
        parser.error("a FILE.py:FUNCTION target is required")
    fn, modname = load_function(args.target)
    from . import api
    try:
        gen = api.autodiff(fn, wrt=parse_wrt(args.wrt), mode=args.mode)
    except DifferentiationError as e:
        print(f"s2s: {e}", file=sys.stderr)
        return 1
    gen = getattr(gen, "__func__", gen)
    if args.output:
        with open(args.output, "w") as f:
            f.write(standalone(gen, modname))
        print(f"wrote {args.output}", file=sys.stderr)
        return 0
    src = gen.s2s_source
    if sys.stdout.isatty():
        try:
            from pygments import highlight
            from pygments.formatters import TerminalFormatter
            from pygments.lexers import PythonLexer
            src = highlight(src, PythonLexer(), TerminalFormatter())
        except ImportError:
            pass
    print(src, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
