"""Benchmark: counterexamples per R(a) family, and a 100x100 sweep.

Targets (issue 5): `lawproof counterexample` answers within 2 s per family with a
shrunk witness or a proof; a 100x100 sweep of a* and S_c_eff finishes within 60 s on
a 2-core machine. Reports medians over runs and the ratio to each target (below 1.0
is within target): per family in one process (the engine's work on that family,
witness, shrinking and effective threshold), per family as a fresh
`lawproof counterexample` process (imports and the general lemma included), and the
sweep with the default process pool. Not a test: run it by hand.

    python benchmarks/variants_speed.py [--runs 3] [--family-target 2] [--sweep-target 60]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lawproof.explore import counterexample, sweep, variants

PAPER = Path(__file__).resolve().parent.parent / "papers" / "amdahl_modernized.claims.toml"
CLAIM = "collapse-sufficient"


def _median(times: list[float]) -> float:
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="repetitions (median reported)")
    ap.add_argument("--family-target", type=float, default=2.0, help="seconds allowed per family")
    ap.add_argument("--sweep-target", type=float, default=60.0, help="seconds allowed for the 100x100 sweep")
    ap.add_argument("--no-cold", action="store_true", help="skip the fresh-process measurements")
    ap.add_argument("--timeout", type=float, default=1.0, help="seconds per backend call (the CLI's default)")
    args = ap.parse_args()

    print(f"{'family':<12} {'verdict':<9} {'in-process':>11} {'ratio':>6} {'cold CLI':>9} {'ratio':>6}")
    for family in variants.FAMILIES:
        warm, cold, verdict = [], [], ""
        for _ in range(args.runs):
            v = variants.apply(PAPER, CLAIM, "R", family, timeout=args.timeout)
            start = time.perf_counter()
            verdict = counterexample.check_variant(v).verdict
            warm.append(time.perf_counter() - start)
            if not args.no_cold:
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "lawproof.cli", "counterexample", str(PAPER), CLAIM,
                                "--family", family, "--timeout", str(args.timeout)],
                               capture_output=True, check=False)
                cold.append(time.perf_counter() - start)
        w = _median(warm)
        c = _median(cold) if cold else float("nan")
        print(f"{family:<12} {verdict:<9} {w:>10.2f}s {w / args.family_target:>6.2f} "
              f"{c:>8.2f}s {c / args.family_target:>6.2f}")

    claim, theory = variants.load_claim(PAPER, CLAIM)
    v = variants.apply(PAPER, CLAIM, "R", "saturating")
    cases = {"base model, S x R": (sweep.problem(claim, theory), {"S": (0, 1, 100), "R": (1.01, 10, 100)}),
             "saturating, S x R0 (Rmax = 2 R0, k = 5)": (
                 sweep.problem(v.claim, v.theory, derived={"Rmax": "2*R0", "k": "5"}),
                 {"S": (0, 1, 100), "R0": (1.01, 10, 100)})}
    for name, (pb, axes) in cases.items():
        points, _ = sweep.grid(axes)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            sweep.run(pb, points, progress=False)
            times.append(time.perf_counter() - start)
        m = _median(times)
        print(f"100x100 sweep ({name}): median {m:.2f} s over {args.runs} runs, "
              f"ratio to the {args.sweep_target:g} s target {m / args.sweep_target:.3f}")


if __name__ == "__main__":
    main()
