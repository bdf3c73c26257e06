"""Test tiers: ``pytest`` runs the fast tier; ``pytest -m "slow or not slow"`` runs everything.

The exhaustive sweeps (every rule of the registry through the compiler in
every mode, every rule's mathematics, the registry in float32, hvp over every
program, the fixed fuzzer batch, every example script) are marked ``slow``
here, in one place, except for a fixed sample of each that stays in the fast
tier, so that the default run still touches every module and every kind of
check. The sample is chosen by a hash of the test id, so it is the same on
every machine and in every order (pytest-randomly, xdist workers).

``addopts = "-m 'not slow'"`` in pyproject.toml deselects the slow tier by
default; a later ``-m`` on the command line replaces it:

    pytest                              # fast tier (under 90 s on 2 cores)
    pytest -m "slow or not slow" -n 2   # everything (what .ci/run does)
    pytest -m slow                      # only the exhaustive tier
"""
import atexit
import os
import shutil
import tempfile
import zlib

import pytest

# The tests' generated code goes to a cache of their own (each process, removed at exit), not to the
# user's ~/.cache/s2s: thousands of test and fuzz programs there grew it to a million files.
if "S2S_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="s2s-test-cache-")
    os.environ["S2S_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, True)

# test function (file::name) -> keep one test in N in the fast tier (1: all fast, None: all slow)
SAMPLED = {
    "test_rules_compiled.py::test_rule_compiled": 12,
    "test_rule_templates.py::test_rule": 4,
    "test_dtypes.py::test_registry_float32": 8,
    "test_higher_order.py::test_hvp_matches_finite_differences_of_grad": 4,
}
# the fuzzer's fixed batch: the first FAST_FUZZ_SEEDS seeds are fast (none when S2S_FUZZ asks for a long run)
FAST_FUZZ_SEEDS = 20
# example scripts: the ones written for the seed documents are fast, the others slow
FAST_EXAMPLES = {"logistic.py", "fit_line.py", "partials.py", "verbose.py", "sigmoid_helper.py",
                 "linear_regression.py", "elementwise.py"}


def _is_slow(item):
    path = os.path.basename(str(item.fspath))
    func = getattr(item, "originalname", None) or item.name.split("[")[0]
    key = f"{path}::{func}"
    param = item.name[len(func):].strip("[]")
    if key == "test_rules_compiled.py::test_rule_compiled" and param.endswith("-nocases"):
        return False                     # a rule without cases must fail fast
    if key in SAMPLED:
        n = SAMPLED[key]
        return n is None or zlib.crc32(param.encode()) % n != 0
    if key == "test_fuzz.py::test_fuzz_program":
        if os.environ.get("S2S_FUZZ"):   # an explicit long run: every seed it asked for
            return False
        return not (param.startswith("seed") and int(param[4:]) < FAST_FUZZ_SEEDS)
    if key == "test_examples.py::test_example_runs":
        return param not in FAST_EXAMPLES
    return False


def _has(module):
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.hookimpl(tryfirst=True)   # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)
    # backend="numba" / "jax" tests need the [numba] / [jax] extra: deselected (not skipped) only where it is missing
    for extra in ("numba", "jax"):
        needs = [item for item in items if item.get_closest_marker(extra) is not None]
        if needs and not _has(extra):
            config.hook.pytest_deselected(items=needs)
            items[:] = [item for item in items if item.get_closest_marker(extra) is None]


def pytest_report_header(config):
    expr = config.getoption("markexpr", "")
    if expr == "not slow":
        return "fast tier (slow tests deselected); everything: pytest -m \"slow or not slow\" -n 2"
    return None
