"""Benchmark: every target of issue 12, side by side in one run.

Each figure is the wall time of a fresh `lawproof check` process (imports included),
as a user would see it, and its CPU time (user + system of the process and its
workers); ratios to the hand-written baseline (`shared/bench/baseline_amdahl.py`,
SymPy + z3 + mpmath, run in the same session) are whole process against whole process.

- cold bundled check: copies of the bundled papers, an empty result cache;
- warm re-run: the same again, nothing changed (every result from the cache);
- one claim edited, warm: the same after rewriting one claim's formula;
- Amdahl 8 core claims (the baseline's claims) and the whole Amdahl pack, no cache, on
  one core (--jobs 1, as the baseline runs), and the pack as `lawproof check` runs it
  by default (one worker per core);
- 1000 synthetic claims (polynomial inequalities, identities, false claims, values),
  no cache, --jobs 2.

lawproof's own modules are compiled to bytecode first, as installing the package does:
a source checkout run with PYTHONDONTWRITEBYTECODE set would otherwise compile its
20,000 lines again in every process (0.2 s of CPU), a cost no installed lawproof pays
(the baseline's SymPy, z3 and mpmath are compiled too).

Not a test: run it by hand. The machine's load average is printed at the start and
the end, since figures on a shared machine depend on it.

    python benchmarks/issue12.py [--runs 1] [--baseline ../shared/bench/baseline_amdahl.py]
"""
from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ROOT / "papers"
AMDAHL = PAPERS / "amdahl_modernized.claims.toml"
#: The lawproof claims that state what the baseline checks.
CORE = ("slope-at-zero", "critical-ratio", "collapse-threshold", "thresholds-equivalent", "convexity",
        "v1-any-efficiency-advantage", "referee-growing-R", "interior-optimum-stationary")
#: The claim rewritten for "one claim edited" (the same statement, other text).
EDITED = ("collapse-threshold", "minimized_at(T(a), a, 0) <-> S >= S_c",
          "minimized_at(T(a), a, 0) <-> (S >= S_c)")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of `command` (a fresh process, its children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def lawproof(*args: str) -> list[str]:
    return [sys.executable, "-m", "lawproof.cli", "check", *args]


def core_file(folder: Path) -> Path:
    """The Amdahl claim file with only the CORE claims (no tables, variants or plots)."""
    blocks = re.split(r"(?m)^(?=\[)", AMDAHL.read_text())
    kept = [b for b in blocks if not b.startswith("[[") or
            (b.startswith("[[claim]]") and re.search(r'(?m)^id\s*=\s*"([^"]+)"', b).group(1) in CORE)]
    out = folder / "amdahl_core.claims.toml"
    out.write_text("".join(kept))
    return out


def synthetic_file(folder: Path, n: int = 1000) -> Path:
    """`n` claims of four kinds, with varied constants."""
    lines = ['[paper]\nid = "synthetic"\n\n[symbols]\nx = "[0, oo)"\ny = "(0, 10]"\n']
    for k in range(n):
        a, b = k % 17 + 1, k % 5 + 2
        kind = k % 4
        if kind == 0:
            formula, expect = f"x^2 + {a}*x + {b} >= {b}", "holds"
        elif kind == 1:
            formula, expect = f"(x + {a})*(x - {a}) = x^2 - {a * a}", "holds"
        elif kind == 2:
            formula, expect = f"y^2 >= {a}*y", "fails"
        else:
            formula, expect = f"{a}/{b + 7} < {a + 1}/{b + 7}", "holds"
        lines.append(f'[[claim]]\nid = "c{k}"\nformula = "{formula}"\nexpect = "{expect}"\n')
    out = folder / "synthetic.claims.toml"
    out.write_text("\n".join(lines))
    return out


def median(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1, help="repetitions of each figure (median reported)")
    ap.add_argument("--baseline", type=Path, default=ROOT.parent / "shared" / "bench" / "baseline_amdahl.py",
                    help="the hand-written baseline script")
    ap.add_argument("--jobs", default="2", help="--jobs of the bundled and synthetic checks (default 2)")
    args = ap.parse_args()
    for package in ("lawproof", "symbolic", "proofs", "numeric"):
        compileall.compile_dir(ROOT / package, quiet=1)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs; other work on the machine slows every figure)")
    rows: list[tuple[str, tuple[float, float], str, str]] = []
    with tempfile.TemporaryDirectory(prefix="lawproof-bench-") as tmp:
        folder = Path(tmp)
        baseline = median([timed([sys.executable, str(args.baseline)]) for _ in range(args.runs)])
        cold, warm, edited = [], [], []
        for run in range(args.runs):
            papers, cache = folder / f"papers{run}", folder / f"cache{run}"
            shutil.copytree(PAPERS, papers)
            common = ["--jobs", args.jobs, "--cache", str(cache), str(papers)]
            cold.append(timed(lawproof(*common)))
            warm.append(timed(lawproof(*common)))
            target = papers / AMDAHL.name
            text = target.read_text()
            assert f'formula = "{EDITED[1]}"' in text, "the edited claim's formula changed"
            target.write_text(text.replace(f'formula = "{EDITED[1]}"', f'formula = "{EDITED[2]}"'))
            edited.append(timed(lawproof(*common)))
        rows.append(("cold bundled check (--jobs %s)" % args.jobs, median(cold), "26 s", "<= 8 s"))
        rows.append(("warm re-run, nothing changed", median(warm), "26 s", "<= 1.5 s"))
        rows.append(("one claim edited, warm", median(edited), "26 s", "<= 2 s"))
        core = core_file(folder)
        rows.append(("Amdahl 8 core claims (--jobs 1)",
                     median([timed(lawproof("--no-cache", "--jobs", "1", str(core))) for _ in range(args.runs)]),
                     "4.0x baseline", "<= 2x baseline"))
        rows.append(("whole Amdahl pack (--jobs 1)",
                     median([timed(lawproof("--no-cache", "--jobs", "1", str(AMDAHL))) for _ in range(args.runs)]),
                     "13.4x baseline", "<= 4x baseline"))
        # what `lawproof check` does by default (one worker per core), beside the one-core figure
        rows.append(("whole Amdahl pack (default --jobs)",
                     median([timed(lawproof("--no-cache", str(AMDAHL))) for _ in range(args.runs)]),
                     "13.4x baseline", "<= 4x baseline"))
        synthetic = synthetic_file(folder)
        rows.append(("1000 synthetic claims, cold (--jobs %s)" % args.jobs,
                     median([timed(lawproof("--no-cache", "--jobs", args.jobs, str(synthetic)))
                             for _ in range(args.runs)]),
                     "~55 s CPU", "<= 25 s wall"))
    print(f"baseline ({args.baseline.name}, whole process): {baseline[0]:.2f} s wall, {baseline[1]:.2f} s CPU")
    # on a loaded machine wall time measures the load; CPU time still measures the work
    print(f"{'figure':<42} {'wall':>8} {'CPU':>8} {'x baseline':>11} {'(CPU)':>7}  {'issue: now':<15} target")
    for name, (wall, cpu), now, target in rows:
        ratio, cpu_ratio = ((f"{wall / baseline[0]:.2f}x", f"{cpu / baseline[1]:.2f}x")
                            if "baseline" in target else ("", ""))
        print(f"{name:<42} {wall:7.2f}s {cpu:7.2f}s {ratio:>11} {cpu_ratio:>7}  {now:<15} {target}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
