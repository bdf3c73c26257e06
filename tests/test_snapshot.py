"""The generated code of every program in tests/programs.py, compared with a stored snapshot.

Generated code is the product: a refactoring of the compiler must not change
it by accident. For each program of ``programs.PROGRAMS`` (one per function
and ``wrt``), ``tests/snapshots/<name>.py`` holds the source s2s generates
for it in reverse mode (``s2s.grad``), forward mode (``s2s.jvp``) and
forward over reverse (``s2s.hvp``, scalar programs), each followed by the
generated helpers it calls (split halves of user functions, their tangents).

When a change of the generated code is intended, regenerate the snapshots
and review the diff (``git diff tests/snapshots``) before committing:

    python tests/test_snapshot.py            # rewrites tests/snapshots/*.py

and say in the commit message why the code changed.
"""
import os
import re
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import programs  # noqa: E402

import s2s  # noqa: E402

SNAPSHOTS = os.path.join(HERE, "snapshots")


def _cases():
    """(snapshot name, function, wrt), one per distinct (function, wrt) of the table."""
    seen, out = set(), []
    for name, fn, args, wrt in programs.PROGRAMS:
        key = (getattr(fn, "__func__", fn), repr(wrt))
        if key in seen:
            continue
        seen.add(key)
        out.append((name.split("-")[0] if name[-2:-1] == "-" else name, fn, args, wrt))
    return out


def _with_helpers(gen):
    """The source of ``gen`` followed by the sources of the generated functions it calls."""
    parts, seen, todo = [], set(), [gen]
    while todo:
        g = todo.pop(0)
        g = getattr(g, "__func__", g)
        src = getattr(g, "s2s_source", None)
        if src is None or src in seen:
            continue
        seen.add(src)
        # a generated file is named by where it is stored (the persistent cache or memory): keep its name only
        parts.append(re.sub(r"<s2s-generated/([^>]*)>", r"\1", src).rstrip("\n") + "\n")
        for name, obj in sorted(getattr(g, "s2s_namespace", {}).items()):
            if getattr(obj, "s2s_generated", False) or getattr(getattr(obj, "__func__", None), "s2s_generated", False):
                todo.append(obj)
            elif isinstance(obj, tuple):
                todo.extend(o for o in obj if getattr(o, "s2s_generated", False))
    return parts


def _section(title, make):
    try:
        parts = _with_helpers(make())
    except Exception as e:   # a refusal is part of the snapshot too (its kind, not its text with paths)
        parts = [f"# {type(e).__name__}\n"]
    return [f"# ---- {title}\n"] + ["\n".join(parts)]


def generated(fn, args, wrt):
    """The snapshot text for one program."""
    out = []
    out += _section("reverse: s2s.grad", lambda: s2s.grad(fn, wrt))
    out += _section("forward: s2s.jvp", lambda: s2s.jvp(fn, wrt))
    out += _section("forward over reverse: s2s.hvp", lambda: s2s.hvp(fn, wrt))
    return "\n".join(out)


def _path(name):
    return os.path.join(SNAPSHOTS, name + ".py")


@pytest.mark.parametrize("name, fn, args, wrt", _cases(), ids=[c[0] for c in _cases()])
def test_generated_code_matches_snapshot(name, fn, args, wrt):
    with open(_path(name)) as f:
        expected = f.read()
    got = generated(fn, args, wrt)
    assert got == expected, (f"the generated code of {name} changed; if that is intended, run "
                             f"`python tests/test_snapshot.py` and review `git diff tests/snapshots`")


def test_every_snapshot_has_a_program():
    names = {c[0] + ".py" for c in _cases()}
    assert set(os.listdir(SNAPSHOTS)) == names


def main():
    os.makedirs(SNAPSHOTS, exist_ok=True)
    names = set()
    for name, fn, args, wrt in _cases():
        names.add(name + ".py")
        with open(_path(name), "w") as f:
            f.write(generated(fn, args, wrt))
    for old in set(os.listdir(SNAPSHOTS)) - names:
        os.remove(os.path.join(SNAPSHOTS, old))
    print(f"wrote {len(names)} snapshots to {SNAPSHOTS}")


if __name__ == "__main__":
    main()
