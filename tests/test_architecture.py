"""The shape of the package (issue 10): no module of s2s/ over 700 lines, no class over 400, and no
import cycle among s2s/ modules (an import inside a function counts: it is still a cycle)."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "s2s"
MODULES = sorted(p for p in PACKAGE.glob("*.py"))


def _tree(path):
    return ast.parse(path.read_text(), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
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
