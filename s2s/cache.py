"""The persistent cache: a gradient generated once is reused by the next process.

Generated sources live in memory and in ``linecache`` (tracebacks, pdb and
``inspect.getsource`` read them there). A generated function whose inputs
can all be named is also written to a per-user cache directory
(``~/.cache/s2s``, or ``$XDG_CACHE_HOME/s2s``, ``%LOCALAPPDATA%\\s2s\\Cache``,
``~/Library/Caches/s2s``; ``S2S_CACHE_DIR`` moves it, ``S2S_CACHE=0`` turns
it off), next to an index entry keyed by everything generation reads:

- the request (mode, ``wrt``, options) and the s2s, Python, NumPy, gast and
  astor versions (s2s's version is a digest of its own sources and rules);
- the function's source, file and line, its defaults, and every object its
  free names and attribute chains resolve to: a user function by its source
  (recursively: callees, their globals, ...), a user class by its source and
  its methods, a library object by its import path and library version, a
  number or string by its value, an array by its bytes;
- the derivative rules users registered (key and template source).

Anything that cannot be named this way (a callable instance, a function
without source, a generated function, ...) makes the request uncacheable: it
is generated in every process, as before. ``numba``'s ``cache=True`` is the
model; the cache can be deleted at any time.
"""
import hashlib
import json
import linecache
import os
import sys
import types

import gast
import numpy as np
from . import astutil

stats = {"hits": 0, "stores": 0, "misses": 0}   # counts for this process (tests, benchmarks)

_LIBRARIES = ("numpy", "scipy", "math", "cmath", "builtins", "operator", "functools", "itertools",
              "collections", "typing", "dataclasses", "s2s", "abc", "enum", "_operator", "_functools")
_SOURCES = "s2s-generated"   # the sources' folder in the cache (runtime._user_line looks for this name)
_MAX_FILES = 4000   # past this many generated sources, the oldest half is deleted


class Uncacheable(Exception):
    """Something generation reads cannot be named across processes."""


def directory():
    """The cache directory, or None when the persistent cache is off."""
    if os.environ.get("S2S_CACHE", "1").strip().lower() in ("0", "off", "no", "false"):
        return None
    d = os.environ.get("S2S_CACHE_DIR")
    if d:
        return os.path.abspath(os.path.expanduser(d))
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "s2s", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/s2s")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "s2s")


_version = None


def _own_sources():
    """(name, path) of every source of s2s: the package, its subpackages (optimize/, ...) and the rules."""
    root = os.path.dirname(os.path.abspath(__file__))
    folders = [""] + sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "__init__.py")))
    for folder in folders:
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if name.endswith(".py"):
                yield (name if not folder else folder + "/" + name), os.path.join(root, folder, name)


def version():
    """A digest of s2s's own sources and rules plus the versions of what it runs on."""
    global _version
    if _version is None:
        import astor
        h = hashlib.sha1()
        for name, path in _own_sources():
            with open(path, "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
        h.update(repr((sys.version, np.__version__, gast.__version__ if hasattr(gast, "__version__") else "",
                       getattr(astor, "__version__", ""))).encode())
        _version = h.hexdigest()
    return _version


# ---------------------------------------------------------------- naming objects

def _library(obj):
    """True for objects of numpy, scipy, the standard library, s2s and installed packages
    (named by import path and package version)."""
    mod = getattr(obj, "__module__", None) or getattr(type(obj), "__module__", None) or ""
    if not isinstance(mod, str):
        return False
    top = mod.split(".")[0]
    if top in _LIBRARIES or top in getattr(sys, "stdlib_module_names", ()):
        return True
    path = getattr(sys.modules.get(top), "__file__", None) or ""
    return "site-packages" in path or "dist-packages" in path


def _package_version(obj):
    """The package's version and its module file's modification time (a reinstall changes it)."""
    mod = getattr(obj, "__module__", None) or getattr(type(obj), "__module__", None) or ""
    top = sys.modules.get(mod.split(".")[0])
    path = getattr(sys.modules.get(mod), "__file__", None)
    try:
        stamp = os.path.getmtime(path) if path else None
    except OSError:
        stamp = None
    return [str(getattr(top, "__version__", "")), stamp]


def import_path(obj):
    """(module, qualified name) under which ``obj`` can be found again, or None."""
    if isinstance(obj, types.ModuleType):
        return None
    candidates = []
    for mod in (getattr(obj, "__module__", None), getattr(type(obj), "__module__", None)):
        if isinstance(mod, str) and mod in sys.modules:
            candidates.append(mod)
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    for mod in candidates:
        module = sys.modules[mod]
        if isinstance(qual, str) and "<" not in qual:
            found = module
            for part in qual.split("."):
                found = getattr(found, part, None)
            if found is obj:
                return mod, qual
        for name, value in vars(module).items():   # an instance such as scipy.stats.norm
            if value is obj and not name.startswith("__"):
                return mod, name
    return None


def find(mod, qual):
    found = sys.modules.get(mod)
    if found is None:
        import importlib
        found = importlib.import_module(mod)
    for part in qual.split("."):
        found = getattr(found, part)
    return found


class Fingerprint:
    """Everything generation could read from a function and what its names resolve to."""

    def __init__(self):
        self.seen = {}

    def value(self, obj, depth=0):
        if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes)):
            return [type(obj).__name__, repr(obj)]
        if isinstance(obj, (tuple, list)):
            return [type(obj).__name__] + [self.value(o, depth) for o in obj]
        if isinstance(obj, dict) and type(obj) is dict:
            return ["dict"] + [[self.value(k, depth), self.value(v, depth)] for k, v in obj.items()]
        if isinstance(obj, np.ndarray):   # generation reads no array values; small ones are hashed anyway
            if obj.dtype.hasobject:
                raise Uncacheable("an object array")
            data = hashlib.sha1(np.ascontiguousarray(obj).tobytes()).hexdigest() if obj.nbytes <= 1 << 20 else ""
            return ["ndarray", str(obj.dtype), list(obj.shape), data]
        if isinstance(obj, np.generic):
            return ["npscalar", str(obj.dtype), repr(obj.item())]
        if isinstance(obj, types.ModuleType):
            return ["module", obj.__name__]
        if getattr(obj, "s2s_generated", False):
            raise Uncacheable("a generated function")
        if _library(obj):
            path = import_path(obj)
            if path is None:
                raise Uncacheable(f"{obj!r} has no import path")
            return ["lib", path[0], path[1], _package_version(obj)]
        if isinstance(obj, (types.FunctionType, types.MethodType)):
            return self.function(obj.__func__ if isinstance(obj, types.MethodType) else obj, depth)
        if isinstance(obj, type):
            return self.cls(obj, depth)
        raise Uncacheable(f"{type(obj).__name__} objects are not named across processes")

    def function(self, fn, depth=0):
        if id(fn) in self.seen:
            return ["ref", self.seen[id(fn)]]
        self.seen[id(fn)] = len(self.seen)
        if depth > 50 or len(self.seen) > 500:
            raise Uncacheable("too much code to fingerprint")
        code = getattr(fn, "__code__", None)
        if code is None:
            raise Uncacheable("no code")
        source = self.source(fn)
        out = ["fn", getattr(fn, "__module__", None), fn.__qualname__, code.co_filename, code.co_firstlineno,
               source, self.value(fn.__defaults__, depth), self.value(fn.__kwdefaults__, depth)]
        free = {}
        cells = dict(zip(code.co_freevars, fn.__closure__ or ()))
        for chain in _free_chains(source):
            head = chain[0]
            if head in cells:
                try:
                    obj = cells[head].cell_contents
                except ValueError:
                    continue
            elif head in fn.__globals__:
                obj = fn.__globals__[head]
            else:
                continue   # a builtin or a local
            key = ".".join(chain)
            parts = [self.value(obj, depth + 1)]
            for attr in chain[1:]:
                if not isinstance(obj, (types.ModuleType, type)) and not _library(obj):
                    break   # attributes of values are read when the code runs
                obj = getattr(obj, attr, _ABSENT)
                if obj is _ABSENT:
                    break
                parts.append(self.value(obj, depth + 1))
            free[key] = parts
        out.append(sorted(free.items()))
        return out

    def cls(self, c, depth=0):
        if id(c) in self.seen:
            return ["ref", self.seen[id(c)]]
        self.seen[id(c)] = len(self.seen)
        out = ["class", c.__module__, c.__qualname__, self.source(c)]
        for base in c.__mro__[1:]:
            if base is not object:
                out.append(self.value(base, depth + 1))
        for name, member in sorted(vars(c).items()):
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, types.FunctionType):
                out.append([name, self.function(member, depth + 1)])
        return out

    @staticmethod
    def source(obj):
        import inspect
        try:
            return inspect.getsource(obj)
        except (OSError, TypeError):
            raise Uncacheable("no source") from None


_ABSENT = object()


def _free_chains(source):
    """Name.attr.attr chains read in ``source`` (the name at their head may be free)."""
    import textwrap
    try:
        tree = gast.parse(textwrap.dedent(source))
    except SyntaxError:
        try:
            tree = gast.parse("(" + textwrap.dedent(source).strip().rstrip(",") + ")")
        except SyntaxError:
            raise Uncacheable("unparsable source") from None
    chains = set()
    for node in astutil.walk_bfs(tree):
        if isinstance(node, gast.Attribute):
            parts = []
            n = node
            while isinstance(n, gast.Attribute):
                parts.append(n.attr)
                n = n.value
            if isinstance(n, gast.Name):
                chains.add(tuple([n.id] + parts[::-1]))
        elif isinstance(node, gast.Name):
            chains.add((node.id,))
    return sorted(chains)


def _user_rules(fp):
    from . import registry
    out = []
    for table in ("ADJOINTS", "TANGENTS"):
        for key, template in getattr(registry, table).items():
            if getattr(template, "__module__", "").startswith("s2s."):
                continue
            out.append([table, fp.value(key) if not isinstance(key, tuple) else list(key),
                        fp.function(template)])
    for key in getattr(registry, "NONDIFF", ()):
        if isinstance(key, tuple):
            out.append(["nondiff", list(key)])
        elif not _library(key):
            out.append(["nondiff", fp.value(key)])
    out.sort(key=repr)
    return out


def _has_class(v):
    return isinstance(v, type) or isinstance(v, tuple) and any(_has_class(x) for x in v)


def _option(fp, v):
    """A Request option as key material: a class (``self_type``, a record class in ``sig``) by its fingerprint."""
    if isinstance(v, type):
        return fp.value(v)
    if isinstance(v, tuple) and _has_class(v):
        return [_option(fp, x) for x in v]
    return repr(v)


def request_key(req, half=None):
    """The digest naming a cache entry for the Request ``req`` (s2s/compiler.py; ``half``: 0 or 1 for
    the halves of a split pair), or None when something generation reads cannot be named across
    processes."""
    fn = req.fn
    if not isinstance(fn, types.FunctionType) or getattr(fn, "s2s_generated", False):
        return None
    try:
        fp = Fingerprint()
        options = [[k, _option(fp, v)] for k, v in sorted(req.options().items())]
        material = [version(), fp.function(fn), options, half, _user_rules(fp)]
        text = json.dumps(material, default=repr)
    except (Uncacheable, RecursionError):
        return None
    except Exception:   # never let the cache break differentiation
        return None
    return hashlib.sha1(text.encode()).hexdigest()


# ---------------------------------------------------------------- storing and loading

_pending = {}   # (Request, half) -> digest, computed by load() before generating


def _describe_bound(name, obj, fn):
    """How to find factory parameter ``obj`` again in another process."""
    code = getattr(fn, "__code__", None)
    if code is not None and name in code.co_freevars:
        cell = fn.__closure__[code.co_freevars.index(name)]
        try:
            if cell.cell_contents is obj:
                return ["closure", name]
        except ValueError:
            pass
    if getattr(obj, "s2s_generated", False):
        req = getattr(obj, "s2s_request", None)
        if req is None:
            raise Uncacheable("a helper without a request")
        callee = import_path(req.fn) if isinstance(req.fn, types.FunctionType) else None
        if callee is None:
            raise Uncacheable("a helper whose primal cannot be found again")
        return ["generated", callee[0], callee[1], {k: _plain(v) for k, v in req.options().items()},
                getattr(obj, "s2s_half", None)]
    if isinstance(obj, types.ModuleType):
        return ["module", obj.__name__]
    if obj is None or isinstance(obj, (bool, int, float, complex, str)):
        return ["const", type(obj).__name__, repr(obj)]
    path = import_path(obj)
    if path is None:
        raise Uncacheable(f"{name} has no import path")
    return ["import", path[0], path[1]]


def _plain(r):
    if isinstance(r, tuple):
        return ["tuple"] + [_plain(x) for x in r]
    if r is None or isinstance(r, (bool, int, float, str)):
        return r
    if isinstance(r, type):
        path = import_path(r)
        if path is None:
            raise Uncacheable("a class without an import path")
        return ["class", path[0], path[1]]
    raise Uncacheable("an option that is not plain data")


def _unplain(r):
    if isinstance(r, list):
        if r and r[0] == "tuple":
            return tuple(_unplain(x) for x in r[1:])
        if r and r[0] == "class":
            return find(r[1], r[2])
    return r


def _find_bound(desc, fn, helper=None):
    kind = desc[0]
    if kind == "closure":
        code = fn.__code__
        return fn.__closure__[code.co_freevars.index(desc[1])].cell_contents
    if kind == "module":
        import importlib
        return importlib.import_module(desc[1])
    if kind == "const":
        t = {"NoneType": lambda s: None, "bool": lambda s: s == "True", "int": int, "float": float,
             "complex": complex, "str": lambda s: __import__("ast").literal_eval(s)}[desc[1]]
        return t(desc[2])
    if kind == "import":
        return find(desc[1], desc[2])
    if kind == "generated" and helper is not None:   # a helper: the driver finds or generates it from its request
        gen = helper(find(desc[1], desc[2]), {k: _unplain(v) for k, v in desc[3].items()})
        return gen if desc[4] is None else gen[desc[4]]
    raise Uncacheable(kind)


def source_file(name, full, primal=None):
    """The filename generated source ``full`` is compiled under; registered in linecache.

    A path in the cache directory when the function will be stored there, else a name
    that is only in memory.
    """
    digest = hashlib.sha1(full.encode()).hexdigest()[:12]
    d = directory()
    # (one name in angle brackets: pdb takes it as is, where it made `<s2s-generated>/f.py` a path under the
    # working directory and showed the lines of the user's file of that name instead)
    filename = f"<s2s-generated/{name}_{digest}.py>"
    if d is not None:   # on disk even when not indexed: Python's own traceback printer reads the file
        path = os.path.join(d, _SOURCES, f"{name}_{digest}.py")
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _write(path, full)
            filename = path
        except OSError:
            pass
    linecache.cache[filename] = (len(full), None, full.splitlines(True), filename)
    if filename.startswith("<"):
        _print_tracebacks_from_linecache()
    return filename


def _excepthook(kind, value, tb):
    import traceback
    traceback.print_exception(kind, value, tb)


def _print_tracebacks_from_linecache():
    """Before Python 3.13 the interpreter prints an uncaught exception's traceback in C, reading each
    line from its file on disk: a generated source kept only in memory (the cache off) would show no
    line, not even its ``# f.py:12`` comment naming the user's. The traceback module prints the same
    text and reads linecache, where the sources are: use it, unless the program set its own hook."""
    if sys.version_info < (3, 13) and sys.excepthook is sys.__excepthook__:
        sys.excepthook = _excepthook


def load(req, half=None, helper=None):
    """The generated function an earlier process stored for the Request ``req`` (``half`` of a split
    pair), or None. ``helper(fn, options)``: the driver's function for a helper it calls."""
    d = directory()
    if d is None:
        return None
    digest = request_key(req, half)
    if digest is None:
        return None
    _pending[(req, half)] = digest
    entry = os.path.join(d, "index", digest + ".json")
    try:
        with open(entry) as f:
            meta = json.load(f)
        with open(meta["file"]) as f:
            full = f.read()
    except (OSError, ValueError, KeyError):
        stats["misses"] += 1
        return None
    if meta.get("sha256") != hashlib.sha256(full.encode()).hexdigest():   # a file cut short or edited
        stats["misses"] += 1
        return None
    fn = req.fn
    try:
        for name, desc in meta["live"].items():   # module globals the generated code reads (rules' names too)
            if name not in fn.__globals__ or _describe_bound(name, fn.__globals__[name], None) != desc:
                raise Uncacheable(name)
        bound = {n: _find_bound(desc, fn, helper) for n, desc in meta["params"].items()}
        defaults = tuple(_find_bound(desc, fn) for desc in meta["defaults"]) if meta["defaults"] is not None else None
        kwdefaults = {k: _find_bound(desc, fn) for k, desc in meta["kwdefaults"].items()} \
            if meta["kwdefaults"] is not None else None
    except Exception:   # the entry no longer matches this process: generate afresh
        stats["misses"] += 1
        return None
    filename = meta["file"]
    _touch(entry, filename)   # recently used: pruning keeps it
    linecache.cache[filename] = (len(full), None, full.splitlines(True), filename)
    scope = {}
    try:
        exec(compile(full, filename, "exec"), fn.__globals__, scope)
        gen = scope["__s2s_factory__"](*[bound[p] for p in sorted(bound)])
        gen.__qualname__ = gen.__name__   # as codegen.compile_function names it
    except Exception:   # an entry that does not load (damaged on disk): generate afresh
        stats["misses"] += 1
        return None
    gen.__defaults__ = defaults
    gen.__kwdefaults__ = kwdefaults
    for k, v in meta["attrs"].items():
        setattr(gen, k, tuple(v["tuple"]) if isinstance(v, dict) else v)
    gen.s2s_generated = True
    gen.s2s_namespace = dict(bound)
    gen.s2s_globals = set(meta["globals"])
    gen.s2s_primal = fn
    gen.s2s_request = req
    gen.s2s_half = half
    gen.__module__ = getattr(fn, "__module__", None)
    stats["hits"] += 1
    return gen


def forget(req=None):
    """Drop the digests ``load`` computed for ``req`` (every request: None) that no ``store`` took."""
    if req is None:
        _pending.clear()
    for half in (None, 0, 1):
        _pending.pop((req, half), None)


def store(req, gen, half=None):
    """Remember ``gen`` (generated for the Request ``req``; ``half`` of a split pair) for later
    processes, when it can be named."""
    gen.s2s_request = req
    gen.s2s_half = half
    digest = _pending.pop((req, half), None)
    d = directory()
    if digest is None or d is None:
        return
    fn = req.fn
    try:
        params = {n: _describe_bound(n, o, fn) for n, o in gen.s2s_namespace.items()}
        defaults = [_describe_bound("", v, None) for v in gen.__defaults__] if gen.__defaults__ is not None else None
        kwdefaults = {k: _describe_bound("", v, None) for k, v in gen.__kwdefaults__.items()} \
            if gen.__kwdefaults__ is not None else None
        live = _live_globals(gen, fn)
    except Uncacheable:
        return
    attrs = {}
    for k, v in vars(gen).items():
        if k in ("s2s_namespace", "s2s_globals", "s2s_primal", "s2s_request", "s2s_half", "s2s_generated",
                 "s2s_origin", "s2s_self_type", "s2s_deps", "__s2s_generated__"):
            continue   # the compiler sets these again on load
        if isinstance(v, (str, int, float, bool)) or (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            attrs[k] = v
        elif isinstance(v, tuple) and all(isinstance(x, str) for x in v):
            attrs[k] = {"tuple": list(v)}
        else:
            return   # an attribute this cache does not know how to keep
    code = gen.__code__
    filename = code.co_filename
    try:
        full = "".join(linecache.cache[filename][2])
        os.makedirs(os.path.join(d, _SOURCES), exist_ok=True)
        os.makedirs(os.path.join(d, "index"), exist_ok=True)
        if filename.startswith("<"):
            return
        _write(filename, full)
        meta = {"file": filename, "sha256": hashlib.sha256(full.encode()).hexdigest(),
                "params": params, "defaults": defaults, "kwdefaults": kwdefaults,
                "attrs": attrs, "globals": sorted(gen.s2s_globals), "live": live, "version": version()}
        _write(os.path.join(d, "index", digest + ".json"), json.dumps(meta, indent=1))
    except (OSError, KeyError, TypeError, ValueError):
        return
    stats["stores"] += 1
    _prune(d)


def _live_globals(gen, fn):
    """Descriptions of the module globals ``gen`` reads that the user's source does not name
    (a rule's ``np`` resolved through the user's module): checked again when loading."""
    named = {chain[0] for chain in _free_chains(Fingerprint.source(fn))}
    out = {}
    for name in sorted(gen.s2s_globals):
        if name in named:
            continue   # part of the key already
        out[name] = _describe_bound(name, fn.__globals__.get(name), None)
    return out


def _write(path, text):
    if os.path.exists(path):
        with open(path) as f:
            if f.read() == text:
                return
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


_pruned = False
_KEEP_SECONDS = 3600   # a source used this recently is never pruned (a live process may show it)
_PRUNE_EVERY = 3600    # one process in this many seconds looks at the cache's size (a scan of every file)
_HARD_FILES = 4 * _MAX_FILES   # past this many, sources are pruned even when recently used


def _touch(*paths):
    for p in paths:
        try:
            os.utime(p)
        except OSError:
            pass


def _prune(d):
    """Keep the cache bounded: past _MAX_FILES generated sources, delete the least recently used half
    (by modification time: storing or loading a source touches it, and its index entry), except sources
    used in the last _KEEP_SECONDS, which a running process's traceback may still read, unless there are
    more than _HARD_FILES; then the index entries not used since the oldest source kept. One process an
    hour does this (the ``pruned`` stamp file): a scan of a large cache takes seconds."""
    global _pruned
    if _pruned:
        return
    _pruned = True
    import time
    now = time.time()
    stamp = os.path.join(d, "pruned")
    try:
        if now - os.stat(stamp).st_mtime < _PRUNE_EVERY:
            return
    except OSError:
        pass
    try:
        with open(stamp, "w"):
            pass   # (before the scan: other processes starting now skip it)
        folder = os.path.join(d, _SOURCES)
        sources = [e for e in os.scandir(folder) if e.name.endswith(".py")]
        if len(sources) <= _MAX_FILES:
            return
        dated = []
        for e in sources:
            try:
                dated.append((e.stat().st_mtime, e.path))
            except OSError:
                pass
        dated.sort()
        recent = now - _KEEP_SECONDS if len(dated) <= _HARD_FILES else now
        cut = dated[len(dated) // 2][0]
        for mtime, path in dated[:len(dated) // 2]:
            if mtime >= recent:
                cut = mtime
                break
            try:
                os.remove(path)
            except OSError:
                pass
        for e in os.scandir(os.path.join(d, "index")):   # an entry whose source is gone only misses
            try:
                if e.name.endswith(".json") and e.stat().st_mtime < cut:
                    os.remove(e.path)
            except OSError:
                pass
    except OSError:
        pass
