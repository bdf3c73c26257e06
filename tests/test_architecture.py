"""The shape of the package (issue 10): no module of s2s/ over 700 lines, no class over 400, no
import cycle among s2s/ modules (an import inside a function counts: it is still a cycle), and arrows
one way between the core and the rules: templates/ (installed as s2s.templates) imports the core,
no core module imports a rule module."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "s2s"
MODULES = sorted(p for p in PACKAGE.glob("*.py"))
CORE = MODULES + sorted(PACKAGE.glob("optimize/*.py"))
# The two modules that load the rules: ``import s2s`` registers them, ``rules_doc.load_all`` lists them.
LOADS_RULES = {"__init__.py", "rules_doc.py"}


def _tree(path):
    return ast.parse(path.read_text(), filename=str(path))


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_class_sizes(path):
    lines = len(path.read_text().splitlines())
    assert lines <= 700, f"{path.name} has {lines} lines (at most 700: split it by job)"
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            assert size <= 400, f"{path.name}: class {node.name} has {size} lines (at most 400)"


def _imports(path):
    """The s2s modules ``path`` imports (at module level or inside a function)."""
    names = {p.stem for p in MODULES}
    out = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                out.add(node.module.split(".")[0])
            elif node.level == 1:
                out |= {a.name for a in node.names}
            elif node.level == 0 and (node.module or "").startswith("s2s."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("s2s.")}
    return (out & names) - {path.stem}


def _cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    graph = {p.stem: _imports(p) for p in MODULES}
    found = set(_cycles(graph))
    assert not found, f"import cycles among s2s modules: {sorted(map(sorted, found))}"


def test_cycle_finder_sees_a_lazy_import():
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [frozenset({"a", "b"})]


def _rule_imports(path):
    """The imports in ``path`` of a rule module (``s2s.templates`` or one of its modules)."""
    package = ["s2s"] + list(path.relative_to(PACKAGE).parent.parts)
    out = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            targets = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        out += [f"line {node.lineno}: {t}" for t in targets if t.split(".")[:2] == ["s2s", "templates"]
                or t.split(".")[0] == "templates"]
    return out


@pytest.mark.parametrize("path", [p for p in CORE if p.name not in LOADS_RULES], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_imports_no_rule_module(path):
    """Rules declare (templates/ imports s2s.registry, s2s.runtime, s2s.rule_helpers); the core asks the
    registry. A helper that both the core and the rules need belongs in s2s/ (rule_helpers.py, runtime.py)."""
    assert not _rule_imports(path), f"{path.name} imports rule modules: {_rule_imports(path)}"


def test_rule_import_finder():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        sub = pathlib.Path(d) / "optimize"
        sub.mkdir()
        f = sub / "x.py"
        f.write_text("from .. import templates\nfrom ..templates.helpers import like\nfrom .. import runtime\n")
        global PACKAGE
        saved, PACKAGE = PACKAGE, pathlib.Path(d)
        try:
            assert _rule_imports(f) == ["line 1: s2s.templates", "line 2: s2s.templates.helpers"]
        finally:
            PACKAGE = saved


def _locals_writes(path):
    """Assignments to a ``.locals`` attribute other than an object's own (``self.locals = ...``)."""
    out = []
    for node in ast.walk(_tree(path)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for t in targets:
            if isinstance(t, ast.Attribute) and t.attr == "locals" \
                    and not (isinstance(t.value, ast.Name) and t.value.id == "self"):
                out.append(f"line {node.lineno}: {ast.unparse(t)}")
    return out


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_pass_writes_the_locals_of_a_context(path):
    """A function's local names are one declared fact: parse's, plus those the passes declare on the
    Namer (``namer.local``, ``namer.declare``); ``Context.locals`` reads both and nothing writes it."""
    assert not _locals_writes(path), f"{path.name} writes a context's locals: {_locals_writes(path)}"


def _with_temporaries(x, ys):
    total = 0.0
    for y in ys:
        total = total + (x * y) ** 2
    return sum(v * x for v in ys) + total


def test_locals_are_parses_plus_the_namers():
    from s2s.normalize import normalize
    from s2s.parse import local_names, parse_function
    ctx = parse_function(_with_temporaries)
    parsed = set(local_names(ctx.node))
    assert set(ctx.locals) == parsed
    with pytest.raises(AttributeError):
        ctx.locals = parsed | {"t"}
    core, namer = normalize(ctx)
    assert namer is ctx.namer
    from s2s.codegen import to_source
    stored = {n.id for n in ast.walk(ast.parse(to_source(core)))
              if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    assert stored - parsed, "the core has temporaries"
    assert set(ctx.locals) == parsed | namer.locals and stored <= set(ctx.locals)
