"""The persistent cache stays bounded, and a large one costs a process nothing most of the time
(s2s/cache.py ``_prune``): a cache of hundreds of thousands of files made every new process scan it
for 20 s and more (the fuzzer reported that as a HANG)."""
import os
import time

from s2s import cache


def _fill(d, n, age):
    src, index = os.path.join(d, cache._SOURCES), os.path.join(d, "index")
    os.makedirs(src, exist_ok=True)
    os.makedirs(index, exist_ok=True)
    now = time.time()
    for i in range(n):
        for path in (os.path.join(src, f"g{i}.py"), os.path.join(index, f"k{i}.json")):
            with open(path, "w") as f:
                f.write("{}")
            t = now - age - (n - i)   # g0 the least recently used
            os.utime(path, (t, t))


def _count(d, sub):
    return len(os.listdir(os.path.join(d, sub)))


def _prune(monkeypatch, d):
    monkeypatch.setattr(cache, "_pruned", False)
    cache._prune(d)


def test_prunes_the_least_recently_used_half_with_their_index_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_MAX_FILES", 10)
    monkeypatch.setattr(cache, "_HARD_FILES", 40)
    d = str(tmp_path)
    _fill(d, 20, age=2 * cache._KEEP_SECONDS)
    _prune(monkeypatch, d)
    left = sorted(os.listdir(os.path.join(d, cache._SOURCES)), key=lambda n: int(n[1:-3]))
    assert left == [f"g{i}.py" for i in range(10, 20)]
    assert _count(d, "index") == 10


def test_recently_used_sources_are_kept_below_the_hard_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_MAX_FILES", 10)
    monkeypatch.setattr(cache, "_HARD_FILES", 40)
    d = str(tmp_path)
    _fill(d, 20, age=0)
    _prune(monkeypatch, d)
    assert _count(d, cache._SOURCES) == 20
    assert _count(d, "index") == 20


def test_past_the_hard_limit_even_recent_sources_go(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_MAX_FILES", 10)
    monkeypatch.setattr(cache, "_HARD_FILES", 15)
    d = str(tmp_path)
    _fill(d, 20, age=0)
    _prune(monkeypatch, d)
    assert _count(d, cache._SOURCES) == 10
    assert _count(d, "index") == 10


def test_one_process_an_hour_scans(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_MAX_FILES", 10)
    monkeypatch.setattr(cache, "_HARD_FILES", 40)
    d = str(tmp_path)
    _fill(d, 20, age=2 * cache._KEEP_SECONDS)
    with open(os.path.join(d, "pruned"), "w"):
        pass   # another process pruned a moment ago
    _prune(monkeypatch, d)
    assert _count(d, cache._SOURCES) == 20
    old = time.time() - 2 * cache._PRUNE_EVERY
    os.utime(os.path.join(d, "pruned"), (old, old))
    _prune(monkeypatch, d)
    assert _count(d, cache._SOURCES) == 10
