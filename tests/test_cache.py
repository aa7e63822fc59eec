"""The persistent result cache (issue 12): keys, damaged entries, concurrent writers,
and reports from cached results byte for byte those of a cold run."""
from __future__ import annotations

import concurrent.futures
import importlib
import multiprocessing
import os
from pathlib import Path

import pytest

from lawproof import cache as cache_mod
from lawproof import Result, check_file, engine, load
from lawproof.cache import ResultCache, claim_key, default_dir
from lawproof.cli import main
from lawproof.language.errors import LawproofError
from lawproof.language.formula import to_text
from lawproof.report.writer import render_files

PAPER = '''
[paper]
id = "cache-toy"

[symbols]
m = { domain = "(0, oo)", text = "miss penalty" }
p = { domain = "(0, oo)", text = "price per unit" }
c = { domain = "[0, oo)", text = "cache size" }
u = "[0, 1]"

[define]
"K(c)" = "m/(1 + c) + p*c"
c_opt  = "sqrt(m/p) - 1"
unused = "u^2"

[[claim]]
id      = "optimum"
formula = "p < m -> minimized_at(K(c), c, c_opt)"

[[claim]]
id      = "always-cache"
formula = "not minimized_at(K(c), c, 0)"
expect  = "fails"

[[claim]]
id      = "square"
formula = "u^2 <= u"

[[table]]
id      = "values"
params  = ["m", "p"]
rows    = [[4, 1], [9, 1]]
formula = "sqrt(m/p) - 1"
paper   = [1, 2]
'''


def _write(tmp_path: Path, text: str = PAPER) -> Path:
    path = tmp_path / "toy.claims.toml"
    path.write_text(text)
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _rendered(fr) -> dict:
    return render_files([fr], home=Path("reports"))


def _counting(monkeypatch) -> list[str]:
    """Record the claims the engine actually checks (not served from a cache)."""
    seen: list[str] = []
    real = engine._check

    def spy(claim, *args, **kwargs):
        seen.append(claim.id)
        return real(claim, *args, **kwargs)

    monkeypatch.setattr(engine, "_check", spy)
    return seen


def test_cached_results_give_byte_identical_reports(tmp_path, monkeypatch):
    path, store = _write(tmp_path), ResultCache(tmp_path / "cache")
    cold = check_file(path)
    first = check_file(path, cache=store)
    assert len(_entries(store.directory)) == len(cold.results) == 5
    checked = _counting(monkeypatch)
    warm = check_file(path, cache=store)
    assert checked == []  # every result came from the cache
    # the very results the first run kept (their `tried` lines carry its timings)
    assert [r.to_dict() | {"seconds": 0} for r in warm.results] == \
        [r.to_dict() | {"seconds": 0} for r in first.results]
    assert {r.verdict for r in warm.results} == {"proved", "refuted"}
    assert _rendered(warm) == _rendered(cold) == _rendered(first)


def test_results_without_forms_or_derivations(tmp_path, monkeypatch):
    path, store = _write(tmp_path), ResultCache(tmp_path / "cache")
    full = check_file(path, cache=store)
    checked = _counting(monkeypatch)
    # a table of verdicts needs neither the SymPy forms nor the derivations: the
    # results kept with both serve it
    light = check_file(path, cache=store, derivations=False, forms=False)
    assert checked == []
    for a, b in zip(light.results, full.results, strict=True):
        assert a.normalized_tree is None and a.evidence.closed_forms == []
        assert to_text(a.formula_tree) == to_text(b.formula_tree)  # the claim's, as loaded again
        assert (a.verdict, a.method, a.evidence.derivation) == (b.verdict, b.method, b.evidence.derivation)
    assert any(b.evidence.closed_forms for b in full.results)
    # computed without derivations: the same verdicts, kept apart from the full results
    bare = check_file(path, cache=tmp_path / "other", derivations=False)
    assert [(r.verdict, r.method) for r in bare.results] == [(r.verdict, r.method) for r in full.results]
    assert not any(r.evidence.closed_forms for r in bare.results)
    assert len(checked) == len(full.results)
    again = check_file(path, cache=tmp_path / "other")  # a report's run: recomputed with them
    assert len(checked) == 2 * len(full.results)
    assert _rendered(again) == _rendered(full)


def test_editing_a_claim_or_what_it_uses_changes_its_key_only(tmp_path):
    base = load(_write(tmp_path))

    def keys(text: str) -> dict[str, str]:
        cf = load(_write(tmp_path, text))
        return {c.id: claim_key(c, cf.theory) for c in cf.claims}

    before = {c.id: claim_key(c, base.theory) for c in base.claims}
    assert len(set(before.values())) == len(before)
    # an edited claim: its key only
    after = keys(PAPER.replace('formula = "u^2 <= u"', 'formula = "u^3 <= u"'))
    assert {k for k in before if before[k] != after[k]} == {"square"}
    # a definition no claim uses: no key
    assert keys(PAPER.replace('unused = "u^2"', 'unused = "u^3"')) == before
    # a definition used through another (c_opt is used by `optimum` only)
    after = keys(PAPER.replace('c_opt  = "sqrt(m/p) - 1"', 'c_opt  = "sqrt(m/p) - 2"'))
    assert {k for k in before if before[k] != after[k]} == {"optimum"}
    # a symbol's domain: every claim that uses the symbol
    after = keys(PAPER.replace('u = "[0, 1]"', 'u = "[0, 2]"'))
    assert {k for k in before if before[k] != after[k]} == {"square"}
    # formatting and comments only: no key
    assert keys(PAPER.replace('id      = "square"', 'id = "square"   # a comment')) == before


FUNCTIONS = """
[paper]
id = "cache-functions"

[symbols]
x = "[0, 1]"
y = "[0, 1]"

[functions.f]
args   = ["t"]
domain = "[0, 1]"
shape  = ["increasing"]

[[claim]]
id      = "monotone"
formula = "x < y -> f(x) < f(y)"

[[claim]]
id      = "plain"
formula = "x^2 <= x"
"""


def test_an_edited_shape_hypothesis_is_checked_afresh(tmp_path):
    """A function symbol's hypotheses are part of the key of the claims that use it: the
    proof under `increasing` must not be served once f is declared `decreasing`."""
    path = tmp_path / "functions.claims.toml"
    path.write_text(FUNCTIONS)
    folder = tmp_path / "cache"
    assert [r.verdict for r in check_file(path, cache=folder).results] == ["proved", "proved"]
    before = {c.id: claim_key(c, load(path).theory) for c in load(path).claims}
    path.write_text(FUNCTIONS.replace('["increasing"]', '["decreasing"]'))
    after = {c.id: claim_key(c, load(path).theory) for c in load(path).claims}
    assert {k for k in before if before[k] != after[k]} == {"monotone"}
    assert [r.verdict for r in check_file(path, cache=folder).results] == ["refuted", "proved"]


def test_key_covers_the_installation(tmp_path, monkeypatch):
    cf = load(_write(tmp_path))
    claim = cf.claims[2]
    key = claim_key(claim, cf.theory)
    env = cache_mod.environment()
    for part in ("lawproof=", "source=", "sympy=", "mpmath=", "z3-solver=", "python-flint=", "qepcad="):
        assert part in env
    # an edited lawproof source (or another version of a dependency) is another key
    monkeypatch.setattr(cache_mod, "environment", lambda: env.replace("source=", "source=edited"))
    assert claim_key(claim, cf.theory) != key
    assert claim_key(claim, cf.theory, derivations=False) != claim_key(claim, cf.theory)


@pytest.mark.parametrize("damage", ["truncate", "flip-payload", "flip-digest", "empty", "other-key"])
def test_a_damaged_entry_is_recomputed_never_believed(tmp_path, monkeypatch, damage):
    path, store = _write(tmp_path), ResultCache(tmp_path / "cache")
    cf = load(path)
    claim = cf.claims[2]
    first = check_file(cf, only=[claim.id], cache=store).results[0]
    key = claim_key(claim, cf.theory)
    entry = store._path(key)
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "flip-payload":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 0x01]) + data[-9:])
    elif damage == "flip-digest":
        at = data.index(b"\n") + 3
        entry.write_bytes(data[:at] + (b"0" if data[at:at + 1] != b"0" else b"1") + data[at + 1:])
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a whole, valid entry of another claim copied over this one
        other = cf.claims[1]
        check_file(cf, only=[other.id], cache=store)
        entry.write_bytes(store._path(claim_key(other, cf.theory)).read_bytes())
    assert store.get(key) is None
    checked = _counting(monkeypatch)
    again = check_file(cf, only=[claim.id], cache=store).results[0]
    assert checked == [claim.id]
    assert (again.verdict, again.method, again.evidence.artifact) == \
        (first.verdict, first.method, first.evidence.artifact)
    assert store.get(key) is not None  # rewritten whole


def _result(text: str) -> Result:
    return Result(paper="p", claim="c", verdict="proved", method="m", seconds=0.0, says=text)


def _hammer(folder: str, key: str, text: str, rounds: int) -> None:
    store = ResultCache(folder)
    for _ in range(rounds):
        store.put(key, _result(text))


def test_two_processes_writing_one_entry_leave_it_whole(tmp_path):
    key = "ab" + "0" * 62
    big = ["x" * 200_000, "y" * 100_000]  # both writers write one key, with different contents
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    writers = [ctx.Process(target=_hammer, args=(str(tmp_path), key, text, 60)) for text in big]
    for w in writers:
        w.start()
    store = ResultCache(tmp_path)
    while any(w.is_alive() for w in writers):
        got = store.get(key)  # never a mixture: one writer's value, or nothing yet
        assert got is None or got.says in big
    for w in writers:
        w.join()
        assert w.exitcode == 0
    assert store.get(key).says in big
    assert [p.name for p in _entries(tmp_path)] == [key[2:]]  # no temporary files left


def test_cli_cache_options(tmp_path, monkeypatch):
    path = str(_write(tmp_path))
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    assert default_dir() == xdg / "lawproof"
    assert main(["check", "--jobs", "1", "--no-cache", path]) == 0
    assert not xdg.exists()
    assert main(["report", "--jobs", "1", "--check", path, "--out", str(tmp_path / "r")]) == 1  # nothing written yet
    assert not xdg.exists()  # report --check reads and keeps nothing by default
    assert main(["check", "--jobs", "1", path]) == 0
    assert len(_entries(xdg / "lawproof")) == 5
    mine = tmp_path / "mine"
    assert main(["report", "--jobs", "2", "--cache", str(mine), path, "--out", str(tmp_path / "r")]) == 0
    assert len(_entries(mine)) == 5
    checked = _counting(monkeypatch)
    # a report's results serve `check` (which shows no derivations) and `report --check`
    assert main(["check", "--jobs", "1", "--cache", str(mine), path]) == 0
    assert main(["report", "--jobs", "1", "--check", "--cache", str(mine), path,
                 "--out", str(tmp_path / "r")]) == 0
    assert checked == []


def test_an_unwritable_cache_is_skipped(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    fr = check_file(_write(tmp_path), only=["square"], cache=folder)
    assert fr.results[0].verdict == "proved"
    assert _entries(folder) == []


def test_the_source_digest_covers_every_subpackage():
    # an edit to the parser or to an exploration must change the key, like one to the engine
    from lawproof.cache import source_files
    names = {name for name, _ in source_files()}
    assert {"lawproof/engine.py", "lawproof/language/parser.py", "lawproof/language/grammar.lark",
            "lawproof/explore/variants.py", "lawproof/report/model.py", "lawproof.symbolic/normalize.py",
            "lawproof.proofs/smt.py", "lawproof.numeric/interval.py"} <= names


def _aged(store: ResultCache, days_ago: dict[str, float]) -> dict[str, Path]:
    """The entries of `store` by claim id, their last use set `days_ago` (10 days for
    the others: the table's rows)."""
    cf = load(store.directory.parent / "toy.claims.toml")
    out = {claim.id: store._path(claim_key(claim, cf.theory, derivations=True)) for claim in cf.claims}
    for f in _entries(store.directory):
        claim = next((c for c, g in out.items() if g == f), None)
        t = f.stat().st_mtime - days_ago.get(claim, 10) * 86400
        os.utime(f, (t, t))
    return {c: f for c, f in out.items() if c in days_ago}


def test_pruning_removes_the_least_recently_used_first(tmp_path, monkeypatch):
    path, store = _write(tmp_path), ResultCache(tmp_path / "cache", max_bytes=None)
    check_file(path, cache=store)
    files = _aged(store, {"optimum": 3, "always-cache": 2, "square": 1})
    sizes = {c: f.stat().st_size for c, f in files.items()}
    # a hit is a use: the oldest entry becomes the newest
    assert check_file(path, only=["optimum"], cache=store).results[0].verdict == "proved"
    keep = sizes["optimum"] + sizes["square"]
    done = store.prune(max_bytes=keep)
    assert done.removed == 3 and _entries(store.directory) == sorted([files["optimum"], files["square"]])
    assert done.size == keep and done.kept == 2
    assert store.prune(max_age_days=0.5).removed == 1 and not files["square"].exists()
    checked = _counting(monkeypatch)
    again = check_file(path, cache=store)  # what was pruned is recomputed, the same
    assert sorted(checked) == ["always-cache", "square", "values-row1", "values-row2"]
    assert [r.verdict for r in again.results][:3] == ["proved", "refuted", "proved"]


def test_pruning_keeps_writes_in_progress_and_removes_leftovers(tmp_path):
    store = ResultCache(tmp_path / "cache")
    check_file(_write(tmp_path), only=["square"], cache=store)
    folder = next(store.directory.glob("results-*/*"))
    young, old = folder / ".tmp-young", folder / ".tmp-old"
    young.write_bytes(b"x")
    old.write_bytes(b"x")
    os.utime(old, (1, 1))
    other = store.directory / "results-0" / "ab" / "cdef"  # another version's entry, never read here
    other.parent.mkdir(parents=True)
    other.write_bytes(b"old format")
    os.utime(other, (2, 2))
    done = store.prune(max_bytes=next(folder.glob("[!.]*")).stat().st_size)
    assert young.exists() and not old.exists() and not other.exists()
    assert done.kept == 1


def test_a_run_that_keeps_results_prunes_to_the_cap(tmp_path):
    path = _write(tmp_path)
    engine.check_files([path], cache=ResultCache(tmp_path / "cache", max_bytes=0))
    assert _entries(tmp_path / "cache") == []
    store = ResultCache(tmp_path / "cache")
    engine.check_files([path], cache=store)
    assert len(_entries(store.directory)) == 5
    assert store.written == 0  # pruned after the run (nothing over the cap)


def test_cli_prune_cache(tmp_path, capsys):
    path = str(_write(tmp_path))
    mine = tmp_path / "mine"
    assert main(["check", "--jobs", "1", "--cache", str(mine), path]) == 0
    assert main(["prune-cache", "--cache", str(mine), "--max-age", "1"]) == 0
    assert len(_entries(mine)) == 5
    assert main(["prune-cache", "--cache", str(mine), "--max-size", "0"]) == 0
    assert _entries(mine) == []
    assert "removed 5 entries" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["prune-cache", "--cache", str(mine), "--max-size", "lots"])


DERIVED = '''
[paper]
id = "derived-toy"

[symbols]
x = "(0, oo)"
a = "{a}"

[define]
r = "solve(x^2 = {rhs}, x)"

[[claim]]
id = "positive"
formula = "r > 0"

[[claim]]
id = "below-one"
formula = "r < 1"
expect = "{expect}"
'''


def _derived_toy(tmp_path: Path, a: str = "(0, 1)", rhs: str = "a", expect: str = "holds") -> Path:
    return _write(tmp_path, DERIVED.format(a=a, rhs=rhs, expect=expect))


def _derive_calls(monkeypatch) -> list:
    """A new process's view (nothing derived in memory), counting SymPy's derivations."""
    normalize = importlib.import_module("lawproof.symbolic.normalize")  # the package exports a function of that name
    normalize._DERIVED_CACHE.clear()
    normalize._BODY_CACHE.clear()
    calls: list = []
    real = normalize._derive
    monkeypatch.setattr(normalize, "_derive", lambda node, domains: (calls.append(node), real(node, domains))[1])
    return calls


def _derived_entries(store: ResultCache) -> list[Path]:
    return _entries(store.directory / f"derived-{cache_mod.FORMAT}")


def test_derived_values_are_kept_between_runs(tmp_path, monkeypatch):
    path, store = _derived_toy(tmp_path), ResultCache(tmp_path / "cache")
    calls = _derive_calls(monkeypatch)
    assert check_file(path, only=["positive"], cache=store).results[0].verdict == "proved"
    assert len(calls) == 1 and len(_derived_entries(store)) == 1
    calls = _derive_calls(monkeypatch)
    # another claim using the same definition: its result is not kept, the derivation is
    assert check_file(path, only=["below-one"], cache=store).results[0].verdict == "proved"
    assert calls == []
    calls = _derive_calls(monkeypatch)
    assert check_file(path, only=["below-one"]).results[0].verdict == "proved"  # no cache: derived
    assert len(calls) == 1


@pytest.mark.parametrize("change", [{"a": "(1, 4)", "expect": "fails"}, {"rhs": "a/4"}])
def test_a_changed_domain_or_definition_is_derived_afresh(tmp_path, monkeypatch, change):
    store = ResultCache(tmp_path / "cache")
    check_file(_derived_toy(tmp_path), cache=store)
    calls = _derive_calls(monkeypatch)
    fr = check_file(_derived_toy(tmp_path, **change), cache=store)
    assert len(calls) == 1 and len(_derived_entries(store)) == 2
    assert [r.matches_expect for r in fr.results] == [True, True]
    verdicts = [r.verdict for r in fr.results]
    assert verdicts == (["proved", "refuted"] if "a" in change else ["proved", "proved"])


def test_a_damaged_derived_value_is_derived_again(tmp_path, monkeypatch):
    path, store = _derived_toy(tmp_path), ResultCache(tmp_path / "cache")
    check_file(path, only=["positive"], cache=store)
    entry, = _derived_entries(store)
    entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    calls = _derive_calls(monkeypatch)
    assert check_file(path, only=["below-one"], cache=store).results[0].verdict == "proved"
    assert len(calls) == 1


STOPPED = '''[paper]
id = "stopped"
[symbols]
x = "(0, oo)"
y = "(0, oo)"
z = "(0, oo)"
[[claim]]
id = "hard"
timeout = 0.3
formula = "x^120*y^77 + y^190 - 7*x^3*y^100*z^31 + z^199/3 > 1/7 or x + y + z < 1"
'''


def test_a_claim_stopped_at_its_limit_is_kept_and_served_warm(tmp_path, monkeypatch):
    # the limit counts CPU seconds, which other work on the machine changes little
    path, store = _write(tmp_path, STOPPED), ResultCache(tmp_path / "cache")
    first = check_file(path, cache=store).results[0]
    assert first.verdict == "unknown" and first.method == "stopped at its limit of 0.3 CPU seconds"
    checked = _counting(monkeypatch)
    warm = check_file(path, cache=store).results[0]
    assert checked == [] and warm.to_dict() | {"seconds": 0} == first.to_dict() | {"seconds": 0}
    # a new timeout is a new key: tried afresh
    _write(tmp_path, STOPPED.replace("timeout = 0.3", "timeout = 0.4"))
    assert check_file(path, cache=store).results[0].method == "stopped at its limit of 0.4 CPU seconds"
    assert checked == ["hard"]


#: `lawproof check --cache DIR` killing itself (SIGKILL) while it keeps an entry, at the
#: moment KILL_AT names: "replace-K" (the K-th entry written whole to its temporary file,
#: not yet renamed into place), "half-K" (half of the K-th entry written).
KILLING_CHECK = """
import os, signal, sys
from lawproof.cli import main

at, count = os.environ["KILL_AT"].split("-")
left = [int(count)]
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
replace, fdopen = os.replace, os.fdopen

def replacing(*args):
    left[0] -= 1
    return die() if left[0] < 0 else replace(*args)

class Half:
    def __init__(self, f):
        self.f = f
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.f.close()
    def write(self, data):
        left[0] -= 1
        if left[0] < 0:
            self.f.write(data[: len(data) // 2])
            self.f.flush()
            die()
        return self.f.write(data)

def opening(fd, *args, **kwargs):
    f = fdopen(fd, *args, **kwargs)
    return Half(f) if ".tmp-" in os.readlink(f"/proc/self/fd/{fd}") else f

if at == "replace":
    os.replace = replacing
else:
    os.fdopen = opening
sys.exit(main())
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("at", ["replace-0", "replace-2", "half-0", "half-3"])
def test_a_run_killed_while_keeping_results_leaves_no_entry_that_is_believed(tmp_path, at):
    """issue 16: a run killed at any moment leaves each entry old or new, never a mix;
    a partial entry is never read back, and the next run gives a cold run's results."""
    import signal
    import subprocess
    import sys
    path, folder = _write(tmp_path), tmp_path / "cache"
    cold = {r.claim: (r.verdict, r.method, r.evidence.artifact) for r in check_file(load(path)).results}
    run = subprocess.run([sys.executable, "-c", KILLING_CHECK, "check", "--jobs", "1", "--cache", str(folder),
                          str(path)], env={**os.environ, "KILL_AT": at}, capture_output=True)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()[-2000:]
    kept = [p for p in _entries(folder) if not p.name.startswith(".tmp-")]
    assert len(kept) == int(at.split("-")[1])  # the entries renamed into place before the kill
    assert any(p.name.startswith(".tmp-") for p in _entries(folder))  # the one being written
    cf, store = load(path), ResultCache(folder)
    for claim in cf.claims:
        got = store.get(claim_key(claim, cf.theory))
        assert got is None or (got.verdict, got.method, got.evidence.artifact) == cold[claim.id]
    warm = {r.claim: (r.verdict, r.method, r.evidence.artifact) for r in check_file(cf, cache=store).results}
    assert warm == cold


class _Worker(concurrent.futures.Executor):
    """Runs each task at once, as a cluster worker whose `environment()` is `changed`
    of this process's."""

    def __init__(self, changed) -> None:
        self.changed = changed

    def submit(self, fn, /, *args, **kwargs):
        future: concurrent.futures.Future = concurrent.futures.Future()
        theirs = self.changed(cache_mod.environment())
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(engine, "environment", lambda: theirs)
            future.set_result(fn(*args, **kwargs))
        return future


def test_workers_running_another_lawproof_are_refused(tmp_path):
    """A long-lived Dask worker keeps the lawproof it imported: after an edit of
    lawproof (or an upgrade of SymPy) here, its verdicts were printed as this run's
    (review12: a worker started before a fix still gave `error` where this checkout
    proves). They are refused; a worker on a machine with another Python build or
    QEPCAD elsewhere runs the same lawproof: its results are used, not kept."""
    path, folder = _write(tmp_path), tmp_path / "cache"
    local = [r.verdict for _, fr in engine.check_files([path]) for r in fr.results]
    for older in (lambda env: env.replace("source=", "source=older"),
                  lambda env: env.replace("sympy=", "sympy=0.")):
        with pytest.raises(LawproofError, match="another lawproof") as err:
            engine.check_files([path], executor=_Worker(older), cache=folder)
        assert "restart" in str(err.value)
    elsewhere = _Worker(lambda env: env.replace("python=", "python=3.0 elsewhere "))
    remote = engine.check_files([path], executor=elsewhere, cache=folder)
    assert [r.verdict for _, fr in remote for r in fr.results] == local
    assert not folder.exists()


def test_a_theory_changed_in_place_is_not_served_its_old_results(tmp_path):
    """From Python, a loaded file's theory can be changed in place before checking it
    again: its keys were kept per theory object, so the claim below stayed proved from
    the cache on [0, 2], where x = 2 refutes it (review12)."""
    cf = load(_write(tmp_path, '[paper]\nid = "in-place"\n[symbols]\nx = "[0, 1]"\n'
                               '[[claim]]\nid = "square"\nformula = "x^2 <= x"\n'))
    assert check_file(cf, cache=tmp_path / "cache").results[0].verdict == "proved"
    wider = load(_write(tmp_path, '[paper]\nid = "in-place"\n[symbols]\nx = "[0, 2]"\n'
                                  '[[claim]]\nid = "square"\nformula = "x^2 <= x"\n'))
    cf.theory.symbols["x"], cf.theory.sources["x"] = wider.theory.symbols["x"], wider.theory.sources["x"]
    assert check_file(cf, cache=tmp_path / "cache").results[0].verdict == "refuted"
