"""The CLI fuzz run (issue 16): `lawproof` subcommands on generated, mutated and hostile
claim files and on random option values, each in its own process; any Python traceback
or "internal error" on stdout/stderr, an exit status other than 0, 1 or 2, or a run past
its wall-clock limit is a finding.

    python tests/cli_fuzz.py --runs 300 --seed 7            # about 2 s a run
    python tests/cli_fuzz.py --runs 40 --seed 7 --show 3    # and 3 command lines a signature

The inputs:

- claim files from the grammar-aware generators of tests/test_fuzz.py (random formulas,
  each claim with `timeout = 1`, and whole files with values of the wrong TOML type);
- byte mutations of the bundled packs (bit flips, non-UTF-8 bytes, spliced ranges);
- hostile files: path-escaping and absolute paper, claim and plot ids, control characters
  in ids, `timeout = nan`, a FIFO, an empty folder, a folder, a missing file;

through `check`, `report --out`, `show`, `region`, `premises`, `counterexample` and
`sweep`, whose options get random values (expressions, grids, domains, timeouts).

Exit status 1 when there is any finding; pin each as a regression test
(tests/test_input_errors.py, tests/test_hangs.py). A bounded run is in CI
(tests/test_output_safety.py::test_cli_fuzz_run_finds_no_traceback).
"""
from __future__ import annotations

import argparse
import os
import random
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, seed as hypothesis_seed, settings, strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_checks import Summary  # noqa: E402
from test_fuzz import PACKS, PAPERS, any_term, checkable_files, claim_files, mutate, mutation  # noqa: E402

#: Tried in mutated packs' claim ids and paper ids: each must be refused or kept inside --out.
HOSTILE_IDS = ["../../escaped", "/tmp/lawproof-abs", "a\x01b", "con", "x" * 300, ".", "..", "a/b", "\u202e"]
AMDAHL = Path(__file__).resolve().parent.parent / "papers" / "amdahl_modernized.claims.toml"
SUBCOMMANDS = ["check", "check", "report", "show", "region", "premises", "counterexample", "sweep"]
WEIRD = ["", "1/0", "oo", "nan", "x", "S", "R", "a", "-1", "1e400", "a^a^a", "sqrt(", "__import__('os')",
         "R0*(1 + a^2)", "exp(exp(a))", "min(a, 1)", "integrate(1, s, 0, oo)", "R0 + h*max(0, a - c)"]


def _hostile_file(rng: random.Random) -> str:
    """A small claim file with one hostile id or value."""
    bad = rng.choice(HOSTILE_IDS)
    where = rng.choice(["paper", "claim", "plot", "timeout"])
    paper_id = bad if where == "paper" else "hostile"
    claim_id = bad if where == "claim" else "c"
    text = (f'[paper]\nid = {_quoted(paper_id)}\n[symbols]\nx = "(0, 1)"\nS = "[0, 1]"\n'
            f'[[claim]]\nid = {_quoted(claim_id)}\nformula = "x^2 <= x"\n'
            + ("timeout = " + rng.choice(["nan", "inf", "-1", "0", "1e999", '"2"']) + "\n"
               if where == "timeout" else "timeout = 1\n"))
    if where == "plot":
        text += f'[[plot]]\nid = {_quoted(bad)}\nclaim = "c"\nx = "x"\ny = "x^2"\n'
    return text


def _quoted(s: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or c in '"\\' else c for c in s) + '"'


def _options(command: str, rng: random.Random, claim_ids: list[str]) -> list[str]:
    """Random option values for `command` (valid ones most of the time)."""
    w = lambda: rng.choice(WEIRD)  # noqa: E731
    if command == "check":
        return rng.choice([[], ["--json"], ["--strict"], ["--jobs", rng.choice(["1", "2", "0", "-3", "x"])]])
    if command == "report":
        return rng.choice([[], ["--strict"], ["--check"]])
    if command == "show":
        return rng.choice([[], ["--smt2"]])
    if command == "region":
        return rng.choice([[], ["--params", rng.choice(["x", "S", "x, S", "q", ""])], ["--of", w()],
                           ["--stated", w()], ["--timeout", rng.choice(["1", "0", "nan", "-2"])], ["--json"]])
    if command in ("premises", "counterexample"):
        opts = rng.choice([[], ["--expr", w()], ["--param", rng.choice(["R", "S", "x", "q", ""])],
                           ["--symbol", rng.choice(["c=(0, 1)", "h=(0, oo)", "c", "=", "c=[1, 0]", "c=(0, "])],
                           ["--var", rng.choice(["a", "x", "q"])], ["--variant", rng.choice(["v", ""])],
                           ["--timeout", rng.choice(["1", "0", "nan", "inf", "-1"])],
                           ["--family", rng.choice(["linear", "power", "saturating"])]])
        if command == "counterexample":
            opts += rng.choice([[], ["--scan", rng.choice(["S", "none", "q", "R"])], ["--curve", rng.choice(["3", "0", "-1"])],
                                ["--seed", rng.choice(["1", "-5"])], ["--lemma"], ["--prove-threshold"],
                                ["--lemma-lower", w()]])
        return opts
    # sweep
    axis = lambda: rng.choice(["S=0:1:4", "R=1.01:10:3", "a=0:1:3", "S=1:0:3", "S=0:1:0", "S=0:1:-2",  # noqa: E731
                               "R=a:b:c", "S", "=0:1:3", "S=0:1:3:4", "R=1e400:1e401:2", "x=nan:1:2", "S=0:1:100000000"])
    opts = ["--grid", axis()] + rng.choice([[], ["--grid", axis()]]) + ["--workers", "1", "--quiet"]
    opts += rng.choice([[], ["--set", rng.choice(["R=2", "Rmax=2*R0", "S=", "R=1/0", "q=1", "R=" + w()])],
                        ["--random", rng.choice(["3", "0", "-1"])], ["--family", "linear", "--param", "R"],
                        ["--scan", rng.choice(["S", "none", "q"])]])
    return opts


def _claim_ids(text: str) -> list[str]:
    ids = []
    for line in text.splitlines():
        key, eq, value = line.partition("=")
        if eq and key.strip() == "id":  # a mutated file may hold an `id` line without its `=`
            ids.append(value.strip().strip('"'))
    return ids[1:] or ["c"]


def one_run(text: bytes | None, rng: random.Random, tmp: Path, summary: Summary, *,
            run_limit: float, cache: Path) -> None:
    """Run one random subcommand on `text` (or on a hostile path when None)."""
    command = rng.choice(SUBCOMMANDS)
    if text is None:
        path = _hostile_path(rng, tmp)
        ids = ["c"]
    else:
        path = tmp / "fuzz.claims.toml"
        path.write_bytes(text)
        ids = _claim_ids(text.decode("utf-8", errors="replace"))
    argv = [command]
    if command in ("check", "report"):
        argv += [str(path)] + _options(command, rng, ids)
        argv += ["--jobs", "1"] if "--jobs" not in argv else []
        argv += ["--out", str(tmp / "out" / "a" / "b")] if command == "report" else []
        argv += ["--cache", str(cache)] if "--check" not in argv else []
    elif command in ("premises", "counterexample", "sweep") and rng.random() < 0.5:
        # the bundled claim these commands were made for, so that the options are what varies
        argv += [str(AMDAHL), rng.choice(["collapse-sufficient", "collapse-threshold", "referee-any-nonincreasing-R"])]
        argv += _options(command, rng, ids)
    else:
        claim = rng.choice(ids + ["nope", "../x"]) if rng.random() < 0.9 else ""
        argv += [str(path), claim] + _options(command, rng, ids)
    if rng.random() < 0.05:
        argv.insert(0, "--debug")  # a traceback here is allowed only on an internal error: still a finding
    try:
        done = subprocess.run([sys.executable, "-m", "lawproof.cli", *argv], capture_output=True,
                              timeout=run_limit, cwd=tmp, env={**os.environ, "PYTHONHASHSEED": "0"})
    except subprocess.TimeoutExpired:
        summary.add("killed", f"{command} past {run_limit:g} s", _shown(argv, path))
        return
    finally:
        summary.files += 1
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    if "Traceback" in out:
        last = [ln for ln in out.splitlines() if ln and not ln.startswith(" ")][-1]
        summary.add("traceback", f"{command}: {last[:100]}", _shown(argv, path))
    elif "internal error" in out:
        line = next(ln for ln in out.splitlines() if "internal error" in ln)
        summary.add("internal", f"{command}: {line[:100]}", _shown(argv, path))
    elif done.returncode not in (0, 1, 2):
        summary.add("exit status", f"{command}: {done.returncode}", _shown(argv, path))
    inside = tmp / "out" / "a" / "b"
    escaped = [p for p in [*tmp.rglob("*"), *Path("/tmp").glob("lawproof-abs*")]
               if ("escaped" in p.name or "lawproof-abs" in p.name) and inside not in p.parents]
    if escaped:
        summary.add("escaped", f"{command} wrote {escaped[0].name} outside --out", _shown(argv, path))
        for p in escaped:
            subprocess.run(["rm", "-rf", str(p)], check=False)


def _hostile_path(rng: random.Random, tmp: Path) -> Path:
    kind = rng.choice(["fifo", "empty folder", "folder", "missing", "hostile", "hostile"])
    if kind == "fifo":
        fifo = tmp / f"fifo{rng.randrange(10**9)}.claims.toml"
        os.mkfifo(fifo)
        return fifo
    if kind in ("empty folder", "folder"):
        d = Path(tempfile.mkdtemp(dir=tmp))
        if kind == "folder":
            (d / "one.claims.toml").write_text(_hostile_file(rng))
        return d
    if kind == "missing":
        return tmp / "missing.claims.toml"
    p = tmp / "hostile.claims.toml"
    p.write_text(_hostile_file(rng))
    return p


def _shown(argv: list[str], path: Path) -> str:
    text = ""
    if path.is_file():
        text = path.read_bytes()[:1500].decode("utf-8", errors="backslashreplace")
    return "lawproof " + shlex.join(argv) + ("\n" + text if text else "")


#: The smaller bundled packs: a mutated one is checked in full within the run limit.
SMALL_PACKS = [data for p, data in zip(PAPERS, PACKS) if len(data) < 12_000] or PACKS


def run(runs: int, seed: int, *, run_limit: float = 300.0) -> Summary:
    """`runs` CLI runs (reproducible for a given `seed`), in a temporary folder."""
    summary = Summary()
    rng = random.Random(seed)
    base = Path(tempfile.mkdtemp(prefix="lawproof-cli-fuzz-"))
    cache = base / "cache"
    work = base / "work"
    work.mkdir()
    source = st.one_of(checkable_files().map(str.encode), checkable_files().map(str.encode),
                       claim_files().map(str.encode),
                       st.tuples(st.sampled_from(range(len(SMALL_PACKS))), st.sampled_from(range(len(PACKS))),
                                 st.lists(mutation, min_size=1, max_size=3)).map(
                           lambda t: mutate(SMALL_PACKS[t[0]], PACKS[t[1]], t[2])),
                       st.sampled_from(PACKS),
                       st.just(None))

    @hypothesis_seed(seed)
    @settings(max_examples=runs, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(source)
    def one(text: bytes | None) -> None:
        one_run(text, rng, work, summary, run_limit=run_limit, cache=cache)

    one()
    subprocess.run(["rm", "-rf", str(base)], check=False)
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=100, help="how many CLI runs")
    p.add_argument("--seed", type=int, default=0, help="the generator's seed (a run is reproducible)")
    p.add_argument("--run-limit", type=float, default=300.0, help="wall-clock seconds per run")
    p.add_argument("--show", type=int, default=1, help="command lines shown per signature")
    args = p.parse_args(argv)
    summary = run(args.runs, args.seed, run_limit=args.run_limit)
    print("\n".join(summary.lines(args.show)).replace(" files, ", " runs, ", 1))
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())
