"""Command line: ``s2s FILE.py:FUNCTION [--wrt 0,1] [--mode forward] [-o OUT.py]`` (or ``python -m s2s ...``).

Mistakes on the command line (a bad ``--wrt``, a file that is not Python,
an unwritable ``-o``, a closed pipe) print one line, ``s2s: error: ...``,
and exit with status 2. A function s2s cannot differentiate prints the
``DifferentiationError`` (your file, line and source, and what to do) and
exits with status 1.
"""
import argparse
import importlib.util
import inspect
import os
import sys
import traceback

from . import __version__
from .errors import DifferentiationError

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake on the command line: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)")


def _prog():
    argv0 = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m s2s" if argv0 in ("__main__.py", "-m", "") else "s2s"


def load_function(spec):
    """The function named by ``path/to/file.py:name`` (dotted names reach methods), and its module's name."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        raise UsageError(f"expected FILE.py:FUNCTION, got {spec!r}")
    if not os.path.exists(path):
        raise UsageError(f"no such file: {path}")
    if os.path.isdir(path):
        raise UsageError(f"{path} is a directory, not a Python file")
    ext = os.path.splitext(path)[1]
    if ext not in (".py", ".pyw", ""):
        raise UsageError(f"{path} is not a Python file (expected FILE.py, got a {ext} file)")
    try:
        with open(path, "rb") as fh:
            source = fh.read()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        compile(source, path, "exec")
    except (SyntaxError, ValueError) as e:   # ValueError: null bytes (a binary file)
        where = f" (line {e.lineno}: {e.msg})" if isinstance(e, SyntaxError) and e.lineno else ""
        raise UsageError(f"{path} is not a Python file{where}") from None
    modname = os.path.splitext(os.path.basename(path))[0]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    module_spec = importlib.util.spec_from_file_location(modname, path)
    if module_spec is None or module_spec.loader is None:   # a name without .py: load it as source anyway
        from importlib.machinery import SourceFileLoader
        module_spec = importlib.util.spec_from_loader(modname, SourceFileLoader(modname, path))
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[modname] = module
    try:
        module_spec.loader.exec_module(module)
    except Exception as e:
        # The user's module failed while it was imported: show where, in their code.
        tb = traceback.extract_tb(e.__traceback__)
        user = [fr for fr in tb if os.path.abspath(fr.filename) == os.path.abspath(path)]
        at = f" (line {user[-1].lineno})" if user else ""
        raise UsageError(f"running {path} raised {type(e).__name__}: {e}{at}") from None
    obj = module
    for part in name.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise UsageError(f"{path} has no {name!r}") from None
    if not callable(obj):
        raise UsageError(f"{path}:{name} is not a function (it is a {type(obj).__name__} object)")
    return obj, modname


def parse_wrt(text):
    """``"0,y"`` -> ``(0, "y")``; one item comes back bare."""
    items = [w.strip() for w in text.split(",")]
    if not text.strip() or any(not w for w in items):
        raise UsageError(f"--wrt {text!r}: give parameter indices or names separated by commas, e.g. --wrt 0,1")
    out = []
    for w in items:
        if w.lstrip("-").isdigit():
            out.append(int(w))
        elif w.isidentifier():
            out.append(w)
        else:
            raise UsageError(f"--wrt {text!r}: {w!r} is neither a parameter index nor a parameter name")
    return out[0] if len(out) == 1 else tuple(out)


def check_wrt(fn, wrt, text):
    """Refuse a ``--wrt`` that does not name parameters of ``fn`` (one line, not a traceback)."""
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return
    names = []
    for w in wrt if isinstance(wrt, tuple) else (wrt,):
        if isinstance(w, int):
            if not -len(params) <= w < len(params):
                raise UsageError(f"--wrt {text}: {fn.__name__} has {len(params)} parameter"
                                 f"{'s' if len(params) != 1 else ''} ({', '.join(params)}), so there is no index {w}")
            w = params[w]
        elif w not in params:
            raise UsageError(f"--wrt {text}: {w!r} is not a parameter of {fn.__name__} ({', '.join(params)})")
        if w in names:
            raise UsageError(f"--wrt {text}: {w!r} is named twice")
        names.append(w)


def standalone(fn, modname):
    """The module written by ``-o`` (and printed): the generated code with the helpers it calls."""
    from .export import module_source
    return module_source(fn, modname)


def build_parser():
    prog = _prog()
    parser = _Parser(
        prog=prog,
        description="Print (or save) the derivative s2s generates for a Python function.",
        epilog=f"examples:\n  {prog} model.py:loss --wrt 0,1\n  {prog} model.py:loss --mode forward -o dloss.py\n"
               f"  {prog} --rules",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", nargs="?", metavar="FILE.py:FUNCTION",
                        help="the function to differentiate: a Python file and a function in it "
                             "(a dotted name such as Model.loss reaches a method)")
    parser.add_argument("--wrt", default="0", metavar="ARGS",
                        help="the parameters to differentiate with respect to: indices or names, comma separated "
                             "(default: 0, the first parameter)")
    parser.add_argument("--mode", choices=["reverse", "forward"], default="reverse",
                        help="reverse: the gradient, as s2s.grad (default); forward: the Jacobian-vector "
                             "product, as s2s.jvp")
    parser.add_argument("-o", "--output", metavar="OUT.py",
                        help="write the generated code to OUT.py as a module instead of printing it")
    parser.add_argument("--rules", action="store_true",
                        help="print the table of every function s2s has derivative rules for (Markdown) "
                             "instead of differentiating a function")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="print the s2s version and exit")
    return parser


def run(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.rules:
        if args.target or args.output:
            raise UsageError("--rules prints the rule table; it takes no FILE.py:FUNCTION and no -o")
        from .rules_doc import rules_table
        _write(rules_table() + "\n")
        return 0
    if not args.target:
        raise UsageError(f"a FILE.py:FUNCTION target is required (see {parser.prog} --help)")
    wrt = parse_wrt(args.wrt)
    fn, modname = load_function(args.target)
    check_wrt(fn, wrt, args.wrt)
    from . import api
    try:
        gen = api.autodiff(fn, wrt=wrt, mode=args.mode)
    except DifferentiationError as e:
        print(f"s2s: {e}", file=sys.stderr)
        return 1
    gen = getattr(gen, "__func__", gen)
    if args.output:
        text = standalone(gen, modname)
        try:
            with open(args.output, "w") as f:
                f.write(text)
        except OSError as e:
            raise UsageError(f"cannot write {args.output}: {e.strerror or e}") from None
        print(f"wrote {args.output}", file=sys.stderr)
        return 0
    src = standalone(gen, modname)   # the whole module: the helpers it calls too
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        try:
            from pygments import highlight
            from pygments.formatters import TerminalFormatter
            from pygments.lexers import PythonLexer
            src = highlight(src, PythonLexer(), TerminalFormatter())
        except ImportError:
            pass
    _write(src)
    return 0


def _write(text):
    sys.stdout.write(text)
    sys.stdout.flush()


def main(argv=None):
    """Entry point of the ``s2s`` command (and ``python -m s2s``); returns the exit status."""
    try:
        return run(argv)
    except UsageError as e:
        print(f"{_prog()}: error: {e}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        # The reader went away (`s2s --rules | head`): stop quietly, without a traceback, and
        # keep Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        print(f"{_prog()}: error: the output pipe was closed before everything was written", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
