"""The persistent cache: a second process reuses generated gradients; a changed source regenerates."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LIB = textwrap.dedent('''\
    import numpy as np

    SCALE = 3.0


    def helper(u):
        return np.sin(u) * u
''')

MODEL = textwrap.dedent('''\
    import numpy as np
    import mylib
    from mylib import helper


    def loss(x, w):
        y = x * w
        z = np.tanh(y) + helper(y) * mylib.SCALE
        s = 0.0
        for i in range(3):
            s = s + z * i
        return np.sum(s ** 2)
''')

RUN = textwrap.dedent('''\
    import inspect, json, sys, textwrap
    import numpy as np
    import s2s
    from s2s import cache, compiler
    generated = []
    parse = compiler.parse_function
    compiler.parse_function = lambda fn, _p=parse: generated.append(fn.__name__) or _p(fn)
    import model
    x = np.array([0.3, -0.2])
    g = s2s.grad(model.loss)
    out = {"grad": g(x, 2.0).tolist(), "jvp": s2s.jvp(model.loss)(x, 2.0, np.ones(2)).tolist(),
           "numeric": s2s.numeric_grad(model.loss)(x, 2.0).tolist(),
           "generated": generated, "stats": cache.stats, "file": inspect.getsourcefile(g),
           "source_ok": textwrap.dedent(inspect.getsource(g)) == s2s.source(g)}
    print(json.dumps(out))
''')


def _run(tmp_path, env_extra=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), ROOT]), S2S_CACHE_DIR=str(tmp_path / "cache"),
               TMPDIR=str(tmp_path / "tmp"))
    env.pop("S2S_CACHE", None)
    env.update(env_extra or {})
    (tmp_path / "tmp").mkdir(exist_ok=True)
    run = subprocess.run([sys.executable, str(tmp_path / "run.py")], capture_output=True, text=True, env=env,
                         cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "mylib.py").write_text(LIB)
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "run.py").write_text(RUN)
    return tmp_path


def _close(a, b):
    import numpy as np
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)


def test_second_process_generates_nothing(project):
    first = _run(project)
    assert sorted(set(first["generated"])) == ["helper", "loss"]
    assert first["stats"]["stores"] >= 4 and first["stats"]["hits"] == 0
    second = _run(project)
    assert second["generated"] == [] and second["stats"]["hits"] >= 2 and second["stats"]["stores"] == 0
    assert second["grad"] == first["grad"] and second["jvp"] == first["jvp"]
    _close(second["grad"], second["numeric"])
    assert second["file"].startswith(str(project / "cache")) and second["source_ok"]
    assert not os.listdir(project / "tmp")   # nothing written to the temporary directory


def test_a_changed_callee_regenerates(project):
    first = _run(project)
    (project / "mylib.py").write_text(LIB.replace("np.sin(u) * u", "np.cos(u) * u * u"))
    second = _run(project)
    assert "helper" in second["generated"] and "loss" in second["generated"]
    assert second["grad"] != first["grad"]
    _close(second["grad"], second["numeric"])


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
def test_a_changed_global_regenerates(project):
    first = _run(project)
    (project / "mylib.py").write_text(LIB.replace("SCALE = 3.0", "SCALE = 5.0"))
    second = _run(project)
    assert "loss" in second["generated"]
    _close(second["grad"], second["numeric"])
    assert second["grad"] != first["grad"]


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
def test_a_user_rule_is_part_of_the_key(project):
    first = _run(project)
    rule = textwrap.dedent('''\
        import s2s
        from s2s.registry import d
        import mylib

        @s2s.adjoint(mylib.helper)
        def _(result, u):
            d[u] = d[result] * 0.0
    ''')
    (project / "run.py").write_text(RUN.replace("import model\n", rule + "import model\n"))
    second = _run(project)
    assert "loss" in second["generated"] and second["grad"] != first["grad"]


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
def test_uncacheable_functions_still_work(project):
    (project / "model.py").write_text(MODEL + textwrap.dedent('''\


        class Scale:
            def __call__(self, v):
                return v * 2.0


        scale = Scale()
        old_loss = loss


        def loss(x, w):
            return old_loss(scale(x), w)
    '''))
    rule = ("from s2s.registry import d\n@s2s.adjoint(model.scale)\ndef _(result, v):\n    d[v] = d[result] * 2.0\n"
            "@s2s.tangent(model.scale)\ndef _(result, v):\n    d[result] = d[v] * 2.0\n")
    (project / "run.py").write_text(RUN.replace("x = np.array", rule + "x = np.array"))
    _run(project)
    second = _run(project)
    assert "loss" in second["generated"]       # a callable instance cannot be named: generated again
    _close(second["grad"], second["numeric"])


def test_cache_can_be_turned_off(project):
    out = _run(project, {"S2S_CACHE": "0"})
    assert out["stats"]["stores"] == 0 and not (project / "cache").exists()
    assert out["file"].startswith("<s2s-generated/") and out["source_ok"]
    assert not os.listdir(project / "tmp")


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
def test_cache_entries_name_their_source_file(project):
    _run(project)
    index = project / "cache" / "index"
    entries = [json.loads(p.read_text()) for p in index.iterdir()]
    assert entries and all(os.path.exists(e["file"]) for e in entries)


@pytest.mark.slow   # a subprocess per case: the exhaustive tier
def test_a_global_the_rules_read_is_checked(project):
    """The gradient of sin reads the module's ``np`` though f never names it: removing that
    import from the module must not reuse code that reads it."""
    module = "import numpy as np\nfrom numpy import sin\n\n\ndef loss(x, w):\n    return sin(x) * w\n"
    (project / "model.py").write_text(module)
    (project / "run.py").write_text(RUN.replace('"jvp": s2s.jvp(model.loss)(x, 2.0, np.ones(2)).tolist(),', ""))
    first = _run(project)
    assert first["stats"]["stores"] == 2   # the generic gradient, and the one for a float w (s2s/signature.py)
    (project / "model.py").write_text(module.replace("import numpy as np\n", "import numpy\n"))
    second = _run(project)
    assert second["generated"] == ["loss", "loss"]   # neither is reused
    _close(second["grad"], second["numeric"])


def test_a_damaged_entry_is_regenerated(tmp_path, monkeypatch):
    """A cache file cut short (a full disk, a killed process) is not loaded: the gradient is generated afresh."""
    import importlib
    import subprocess
    import sys
    import textwrap
    src = tmp_path / "damaged_mod.py"
    src.write_text(textwrap.dedent("""
        import numpy as np
        def loss(x):
            y = np.sin(x) * x
            return np.sum(y ** 2)
    """))
    code = textwrap.dedent(f"""
        import sys, numpy as np, s2s
        sys.path.insert(0, {str(tmp_path)!r})
        from damaged_mod import loss
        print(repr(float(s2s.grad(loss)(np.array([0.3, 1.2]))[1])))
    """)
    env = dict(__import__("os").environ, S2S_CACHE_DIR=str(tmp_path / "cache"))
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    gen_dir = tmp_path / "cache" / "s2s-generated"
    files = list(gen_dir.glob("*.py"))
    assert files
    for f in files:
        text = f.read_text()
        f.write_text(text[: len(text) // 2])
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first


# ---------------------------------------------------------------- the in-process cache is never stale

def _double(x):
    return x * 2.0


def _square(x):
    return x * x


_h = _double


def _uses_h(x):
    return _h(x) * x


def test_redefined_helper_is_seen(monkeypatch):
    """Notebook style: redefine the helper a function calls, then ask for its gradient again."""
    import s2s
    assert (s2s.grad(_uses_h)(3.0), s2s.jvp(_uses_h)(3.0, 1.0), s2s.hvp(_uses_h)(3.0, 1.0)) == (12.0, 12.0, 4.0)
    monkeypatch.setitem(globals(), "_h", _square)
    assert (s2s.grad(_uses_h)(3.0), s2s.jvp(_uses_h)(3.0, 1.0), s2s.hvp(_uses_h)(3.0, 1.0)) == (27.0, 27.0, 18.0)
    wrapper = lambda x: _uses_h(x) + 0.0   # noqa: E731  (the helper's helper changes)
    assert s2s.grad(wrapper)(3.0) == 27.0
    monkeypatch.setitem(globals(), "_h", _double)
    assert s2s.grad(wrapper)(3.0) == 12.0


_this = sys.modules[__name__]   # a module whose attributes the functions below read: mylib.helper style
_scale = np.array([1.0, 2.0])


def _uses_module_attribute(x):
    return np.sum(_this._h(x) * _this._scale)


def test_rebound_module_attribute_is_seen(monkeypatch):
    """mylib.helper = other (monkeypatching, a notebook reloading one name) after the first gradient:
    the cached gradient read the old helper's source and gave its derivative (a wrong number)."""
    import s2s
    x = np.array([1.0, 3.0])
    assert np.allclose(s2s.grad(_uses_module_attribute)(x), [2.0, 4.0])
    monkeypatch.setattr(_this, "_h", _square)
    assert np.allclose(s2s.grad(_uses_module_attribute)(x), 2 * x * _scale)
    assert np.allclose(s2s.jvp(_uses_module_attribute)(x, np.ones(2)), np.sum(2 * x * _scale))
    monkeypatch.setattr(_this, "_scale", 3.0)   # data of another type: compiled for it
    assert np.allclose(s2s.grad(_uses_module_attribute)(x), 2 * x * 3.0)


def test_rebound_closure_function_is_seen():
    import s2s

    def make():
        h = _double

        def f(x):
            return h(x) * x

        def rebind():
            nonlocal h
            h = _square
        return f, rebind
    f, rebind = make()
    assert s2s.grad(f)(3.0) == 12.0
    rebind()
    assert s2s.grad(f)(3.0) == 27.0


def _late_rule(x):
    return x ** 3


def _uses_late_rule(x):
    return _late_rule(x) + x


def test_rule_registered_after_the_first_gradient_is_used():
    import s2s
    from s2s.registry import d
    assert s2s.grad(_uses_late_rule)(2.0) == 13.0
    assert s2s.jvp(_uses_late_rule)(2.0, 1.0) == 13.0

    @s2s.adjoint(_late_rule)
    def _(result, x):
        d[x] = d[result] * 100.0   # deliberately not 3 x**2: which rule ran is visible

    @s2s.tangent(_late_rule)
    def _(result, x):
        d[result] = d[x] * 200.0
    assert s2s.grad(_uses_late_rule)(2.0) == 101.0
    assert s2s.jvp(_uses_late_rule)(2.0, 1.0) == 201.0


def test_a_stale_function_is_not_shared_with_a_fresh_closure():
    """After a rule registration (every cached function is stale), hvp through a helper called twice
    compiles the helper's tangent once: the table shared between closures of one code (generated
    helpers are closures too, and equal code compares equal) must not hand out stale functions."""
    import s2s
    import programs
    s2s.hvp(programs.calls_helpers)
    s2s.registry._changed()   # as a user's @s2s.adjoint does
    h2 = [g for g in s2s.hvp(programs.calls_helpers).s2s_namespace.values()
          if getattr(g, "__name__", "") == "value_and_jvp_helper2_bwd_dres"][0]
    assert "value_and_jvp_helper_bwd_dres_ddresult_1" not in s2s.source(h2)


def test_a_refused_function_is_not_kept_alive():
    """The persistent cache's digest of a request (computed before generating) is dropped when generation
    is refused: it held the function, which then never died."""
    import gc
    import weakref
    import s2s

    def make():
        def g(x):   # (a gradient through a global: refused)
            global _written
            _written = x
            return _written
        return g
    g = make()
    with pytest.raises(s2s.DifferentiationError):
        s2s.grad(g)
    ref = weakref.ref(g)
    del g
    gc.collect()
    assert ref() is None


def test_the_version_covers_every_source_of_s2s():
    """A change to any of s2s's own sources (its subpackages' too: s2s/optimize/) or rules makes stored
    functions stale: the passes of s2s/optimize/ were not part of the version when they moved there."""
    from s2s import cache
    names = {name for name, _ in cache._own_sources()}
    pkg = os.path.join(ROOT, "s2s")
    expected = {f for f in os.listdir(pkg) if f.endswith(".py")}
    for sub in ("optimize", "templates"):
        expected |= {sub + "/" + f for f in os.listdir(os.path.join(pkg, sub)) if f.endswith(".py")}
    assert expected <= names
    assert "optimize/saves.py" in names and "templates/ufuncs.py" in names


class _Model:
    def __init__(self, w):
        self.w = w

    def act(self, z):
        return z * z

    def forward(self, x):
        return self.act(x * self.w)


_model = _Model(2.0)


def _uses_method(x):
    return _model.forward(x) + x


def test_rebound_method_is_seen(monkeypatch):
    """Model.forward = other, or a method the inlined method calls through self, rebound on the class
    after the first gradient: the cached gradient had differentiated the old method (a wrong number)."""
    import s2s
    assert s2s.grad(_uses_method)(3.0) == 2 * 3.0 * 4.0 + 1.0
    monkeypatch.setattr(_Model, "act", lambda self, z: z * z * z)
    assert s2s.grad(_uses_method)(3.0) == 3 * 6.0 ** 2 * 2.0 + 1.0
    assert s2s.jvp(_uses_method)(3.0, 1.0) == 3 * 6.0 ** 2 * 2.0 + 1.0
    monkeypatch.setattr(_Model, "forward", lambda self, x: x * self.w)
    assert s2s.grad(_uses_method)(3.0) == 3.0
    monkeypatch.setattr(_model, "w", 5.0)   # data: read when the code runs
    assert s2s.grad(_uses_method)(3.0) == 6.0


def test_rebound_method_is_seen_after_a_load_from_disk(tmp_path, monkeypatch):
    """The same, for a gradient loaded from the persistent cache: the load noted the method's free names
    without its class, so `self.act(z)` was not a dependency and rebinding `_Model.act` left the loaded
    gradient in use (order-dependent in the full suite, whose processes share ~/.cache/s2s)."""
    import s2s
    from s2s.compiler import clear_cache
    monkeypatch.setenv("S2S_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("S2S_CACHE", raising=False)
    clear_cache()
    assert s2s.grad(_uses_method)(3.0) == 2 * 3.0 * 4.0 + 1.0   # compiled, and stored on disk
    clear_cache()
    assert s2s.grad(_uses_method)(3.0) == 2 * 3.0 * 4.0 + 1.0   # loaded from disk
    monkeypatch.setattr(_Model, "act", lambda self, z: z * z * z)
    assert s2s.grad(_uses_method)(3.0) == 3 * 6.0 ** 2 * 2.0 + 1.0
    assert s2s.jvp(_uses_method)(3.0, 1.0) == 3 * 6.0 ** 2 * 2.0 + 1.0
    clear_cache()
