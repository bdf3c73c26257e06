"""The declared pass pipeline (s2s/optimize/), the AST annotations (s2s/anno.py), rules declared once."""
import math
import os

import gast
import numpy as np
import pytest

import s2s
from s2s import anno, optimize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_pipelines_are_declared_per_mode():
    assert set(optimize.PIPELINES) == {"reverse", "forward"}
    for steps in optimize.PIPELINES.values():
        assert steps and all(isinstance(s, optimize.Step) and callable(s.run) for s in steps)
    reverse = [s.run for s in optimize.PIPELINES["reverse"]]
    assert reverse.index(optimize.saves.prune_saves) < reverse.index(optimize.checkpoint)
    assert optimize.dead.prune_dead in [s.run for s in optimize.PIPELINES["forward"]]


def test_unoptimized_requests_skip_the_optimizing_steps():
    ran = []
    steps = (optimize.Step(lambda f, j: ran.append("always")),
             optimize.Step(lambda f, j: ran.append("optimized"), optimized=True))
    saved = optimize.PIPELINES["forward"]
    optimize.PIPELINES["forward"] = steps
    try:
        optimize.run("forward", None, optimize.Job(ns=None, optimized=False))
        optimize.run("forward", None, optimize.Job(ns=None, optimized=True))
    finally:
        optimize.PIPELINES["forward"] = saved
    assert ran == ["always", "always", "optimized"]


def test_the_split_between_the_sweeps_is_a_value():
    """The passes find the backward sweep by the marker statement itself, not by searching for its text."""
    marker = gast.Expr(value=gast.Constant(value="s2s: backward sweep", kind=None))
    decoy = gast.Expr(value=gast.Constant(value="s2s: backward sweep", kind=None))
    fdef = gast.FunctionDef(name="f", args=None, body=[decoy, gast.Pass(), marker, gast.Pass()], decorator_list=[],
                            returns=None, type_comment=None, type_params=[])
    assert optimize.Job(ns=None, marker=marker).backward_start(fdef) == 2
    for dirpath, _, files in os.walk(os.path.join(ROOT, "s2s")):
        for name in files:
            if name.endswith(".py") and name != "compiler.py":
                with open(os.path.join(dirpath, name)) as f:
                    assert "backward sweep\"" not in f.read(), name


def test_annotations_are_declared():
    node = gast.Pass()
    anno.setanno(node, "save", "x")
    assert anno.getanno(node, "save") == "x" and anno.hasanno(node, "save")
    assert anno.getanno(node, "recompute") is None
    with pytest.raises(KeyError, match="undeclared"):
        anno.setanno(node, "no_such_key", 1)


def test_gradient_through_the_pipeline_in_both_modes():
    def f(x):
        y = np.sin(x) * x
        return np.sum(y * y)

    x = np.linspace(0.1, 1.0, 4)
    g = s2s.grad(f)(x)
    exact = 2 * (np.sin(x) * x) * (np.cos(x) * x + np.sin(x))
    assert np.allclose(g, exact)
    v = np.ones(4)
    assert np.allclose(s2s.jvp(f)(x, v), exact @ v)


def test_linearity_is_declared_in_the_registry():
    """Forward mode's zero folding reads what the rules declare (registry.zero_if), not a table of its own."""
    from s2s import registry, runtime
    from s2s.optimize import zeros
    table = zeros.zero_rules()
    assert table is registry.ZERO_IF
    assert table[np.dot] == ("any", (0, 1)) and table[np.where] == ("all", (1, 2))
    assert table[runtime.add_at] == ("same:0", (2,))
    with pytest.raises(ValueError):
        registry.zero_if(np.dot, any_of=(0,), all_of=(1,))
    with pytest.raises(ValueError):
        registry.zero_if(np.dot, any_of=(0,), keeps=0)


def test_an_elementwise_rule_is_written_once_for_both_modes():
    import inspect
    from s2s import registry
    adj, tan = registry.ADJOINTS[math.log2], registry.TANGENTS[math.log2]
    assert inspect.getsource(adj).strip() == "def log2(z, x): d[x] = d[z] / (x * LN2)"
    assert inspect.getsource(tan).strip() == "def log2_fwd(z, x): d[z] = d[x] / (x * LN2)"
    assert adj.__module__ == tan.__module__ == "s2s.templates.pymath"

    sinh_u = np.frompyfunc(math.sinh, 1, 1)   # no Python source: only a rule differentiates it

    @registry.elementwise(sinh_u)
    def _sinh_u(z, x, g): return g * math.cosh(x)

    def f(x):
        return sinh_u(x) * 2.0

    assert np.isclose(s2s.grad(f)(0.3), 2 * math.cosh(0.3))
    assert np.isclose(s2s.jvp(f)(0.3, 0.5), math.cosh(0.3))


def test_an_elementwise_rule_must_return_an_expression_of_g():
    from s2s import registry

    def noop(z, x, g):
        pass

    with pytest.raises(registry.RuleError, match="elementwise"):
        registry.elementwise(np.frompyfunc(abs, 1, 1))(noop)


def test_the_passes_the_pipeline_runs_do_not_import_it():
    """optimize/ runs checkpointing.apply and split.unsplit_unused; they must not import the optimizer
    back (an import cycle): what may be removed or moved is s2s/purity.py's."""
    import ast
    for name in ("checkpointing.py", "split.py", "purity.py"):
        with open(os.path.join(ROOT, "s2s", name)) as f:
            tree = ast.parse(f.read())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level and not n.module
                     for a in n.names}
        assert not any(m and m.split(".")[0] == "optimize" for m in imported), (name, imported)


def test_ast_annotations_go_through_anno():
    """No module sets an AST annotation's attribute itself (s2s/anno.py declares them). "primal" and
    "split" are left out: ``gen.s2s_primal = fn`` and ``fwd.s2s_split = "fwd"`` mark generated functions."""
    import re
    keys = "|".join(set(anno.KEYS) - {"primal", "split"})
    for dirpath, _, files in os.walk(os.path.join(ROOT, "s2s")):
        for name in files:
            if name.endswith(".py") and name != "anno.py":
                with open(os.path.join(dirpath, name)) as f:
                    text = f.read()
                setters = {m.group(1) for m in re.finditer(r"(\w+)\.s2s_(?:%s) = " % keys, text)}
                assert not setters, (name, setters)
                assert not re.search(r"setattr\([^)]*\"s2s_(?:%s)\"" % keys, text), name
