"""Every public function's docstring has an example, and the example runs as shown.

The API reference (docs/api.md, rendered by mkdocstrings) shows these
docstrings; doctest runs their ``>>>`` examples here. doctest serves each
example's source to ``inspect``, so s2s can read functions defined in them.
"""
import doctest

import pytest

import s2s

PUBLIC = ["grad", "value_and_grad", "vjp", "autodiff", "source", "jvp", "value_and_jvp", "derivative", "hvp", "hessian",
          "jacobian", "check_grad", "numeric_grad", "adjoint", "tangent", "nondifferentiable", "stop_gradient",
          "insert_grad_of", "checkpoint", "DifferentiationError", "explain", "function", "flatten"]


def test_the_list_is_the_reference():
    import pathlib
    api = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text()
    assert {line[len("::: s2s."):].strip() for line in api.splitlines() if line.startswith("::: s2s.")} == set(PUBLIC)


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_example(name):
    obj = getattr(s2s, name)
    finder = doctest.DocTestFinder(recurse=False)
    tests = [t for t in finder.find(obj, f"s2s.{name}", globs={"__name__": f"s2s_doc_{name}"}) if t.examples]
    assert tests, f"s2s.{name} has no >>> example in its docstring"
    out = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t, out=out.append)
    assert runner.failures == 0, "".join(out)
