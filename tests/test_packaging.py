"""Packaging: the rules ship as s2s.templates, one version number, a license, typing, the `s2s` command.

pyproject.toml is read as text here (tomllib), not through an installed
distribution's metadata: the editable install of a development machine may
predate the checkout being tested.
"""
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

import s2s
from s2s import registry

try:
    import tomllib
except ImportError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


# ---------------------------------------------------------------- a user's own templates/ package

USER_SCRIPT = textwrap.dedent("""\
    import numpy as np
    import templates            # the user's own package, from the working directory
    import s2s

    assert templates.MINE == "the user's templates", templates.__file__

    def f(x, y):
        return x * y + np.sin(x)

    print(s2s.grad(f)(0.5, 2.0), s2s.grad(f, wrt=1)(0.5, 2.0), s2s.jvp(f)(0.5, 2.0, 1.0))
    """)


def test_a_users_templates_package_does_not_shadow_the_rules(tmp_path):
    """Every Flask/Django project has a templates/ folder: s2s's rules live in s2s.templates instead."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "__init__.py").write_text('MINE = "the user\'s templates"\n')
    (tmp_path / "app.py").write_text(USER_SCRIPT)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    proc = subprocess.run([sys.executable, "app.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    import numpy as np
    expect = (2.0 + np.cos(0.5), 0.5, 2.0 + np.cos(0.5))
    assert [float(v) for v in proc.stdout.split()] == pytest.approx(expect)


def test_missing_rules_name_the_real_cause(monkeypatch):
    """Without the rule library, the error says so (not "no derivative rule for operator Mult")."""
    monkeypatch.setattr(registry, "ADJOINTS", {})
    monkeypatch.setattr(registry, "TANGENTS", {})

    def product_without_rules(x, y):
        return x * y

    for make in (lambda: s2s.grad(product_without_rules)(2.0, 3.0),
                 lambda: s2s.jvp(product_without_rules)(2.0, 3.0, 1.0)):
        with pytest.raises(s2s.DifferentiationError) as e:
            make()
        msg = str(e.value)
        assert "s2s.templates" in msg and "Reinstall s2s" in msg, msg
        assert "x * y" in msg     # still on the user's line


def test_a_failed_import_of_the_rules_says_so():
    code = "import sys; sys.modules['s2s.templates'] = None\nimport s2s\n"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "s2s cannot load its derivative rules (the package s2s.templates)" in proc.stderr.splitlines()[-1]


def test_every_subpackage_is_packaged():
    """A subpackage of s2s missing from [tool.setuptools] packages would be missing from the wheel."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    subpackages = {"s2s." + d.name for d in (ROOT / "s2s").iterdir() if (d / "__init__.py").is_file()}
    assert subpackages <= listed, subpackages - listed


def test_rules_package_mapping():
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert "s2s.templates" in setuptools["packages"]
    assert setuptools["package-dir"]["s2s.templates"] == "templates"
    assert (ROOT / "s2s" / "templates").resolve() == (ROOT / "templates").resolve()
    import s2s.templates
    assert pathlib.Path(s2s.templates.__file__).resolve().parent == (ROOT / "templates").resolve()


# ---------------------------------------------------------------- metadata

def test_one_version_number():
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "s2s.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.dev\d+)?", s2s.__version__)
    # the one literal setuptools reads without importing s2s
    assert re.search(r'^__version__ = "([^"]+)"', (ROOT / "s2s" / "__init__.py").read_text(), re.M).group(1) \
        == s2s.__version__


def test_license():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    # PEP 639: with a license expression, setuptools refuses "License ::" classifiers
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]


def test_classifiers():
    cls = set(PROJECT["classifiers"])
    assert any(c.startswith("Development Status ::") for c in cls)
    assert "Typing :: Typed" in cls
    low = tuple(int(v) for v in re.match(r">=(\d+)\.(\d+)", PROJECT["requires-python"]).groups())
    versions = {tuple(int(v) for v in c.rsplit(" ", 1)[1].split("."))
                for c in cls if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)}
    assert min(versions) == low
    assert sys.version_info[:2] in versions or sys.version_info[:2] > max(versions)


def test_typed_package():
    assert (ROOT / "s2s" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["s2s"]


def test_console_script():
    target = PROJECT["scripts"]["s2s"]
    module, func = target.split(":")
    import importlib
    main = getattr(importlib.import_module(module), func)
    assert main is s2s.__main__.main


def test_extras():
    extras = PROJECT["optional-dependencies"]
    assert {"pytest", "pytest-xdist", "scipy", "hypothesis"} <= set(extras["test"])
    assert {"mkdocs", "mkdocs-material", "mkdocstrings[python]"} <= set(extras["docs"])
    # issue 16: Dask and array-API arrays are optional; the core needs only numpy, gast and astor,
    # and CI installs the extra so that tests/test_namespaces.py runs there (it skips without it)
    assert {"dask[array,distributed]", "array-api-compat"} <= set(extras["dask"])
    assert "array-api-strict" in extras["test"]
    assert sorted(PROJECT["dependencies"]) == ["astor", "gast", "numpy"]
    # backend="numba" is optional too; CI installs the extra so tests/test_backend_numba.py runs there
    assert extras["numba"] == ["numba"]
    # backend="jax" likewise: CI installs the extra so tests/test_backend_jax.py runs there
    assert extras["jax"] == ["jax"]
    assert 'pip install -e ".[test,docs,dask,numba,jax]"' in (ROOT / ".ci" / "run").read_text()


def test_pytest_runs_the_fast_tier_by_default():
    opts = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert opts["addopts"] == "-m 'not slow'"
    assert any(m.startswith("slow:") for m in opts["markers"])
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pytest -m "slow or not slow"' in ci and "mkdocs build --strict" in ci and "seeds_check.py" in ci


def test_readme_does_not_point_at_missing_files():
    readme = (ROOT / "README.md").read_text()
    assert "DESIGN.md" not in readme
    for rel in re.findall(r"`((?:examples|docs|tests|benchmarks|templates)/[\w./-]+)`", readme):
        assert (ROOT / rel.rstrip("/")).exists(), rel


TRANSFORMS = ["grad", "value_and_grad", "autodiff", "jvp", "value_and_jvp", "derivative", "hvp", "hessian", "jacobian",
              "numeric_grad"]


@pytest.mark.parametrize("name", TRANSFORMS + ["source", "check_grad", "explain", "function"])
def test_public_api_is_typed(name):
    """py.typed promises types: type checkers see that grad & co. return functions."""
    import inspect
    import typing
    fn = getattr(s2s, name)
    hints = typing.get_type_hints(inspect.unwrap(fn))
    assert "return" in hints, f"s2s.{name} has no return annotation"
    if name in TRANSFORMS:
        assert hints["return"] == typing.Callable[..., typing.Any]
        assert "wrt" in hints and "f" in hints
