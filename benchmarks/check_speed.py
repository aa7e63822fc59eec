"""Benchmark: how long `lawproof check` takes on the bundled papers.

Targets: checking every Amdahl claim within 10 s (issue 3); the whole bundled check,
cold (a fresh `lawproof check` process, imports included), within 15 s (issue 4).
Reports medians over runs, per paper and per claim, and the ratio to each target
(below 1.0 is within target). Not a test: run it by hand or in a scheduled job.

    python benchmarks/check_speed.py [--runs 3] [--target 10] [--cold-target 15]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from lawproof import bundled_papers, check_file


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="repetitions per paper (median reported)")
    ap.add_argument("--target", type=float, default=10.0, help="seconds allowed per paper")
    ap.add_argument("--cold-target", type=float, default=15.0,
                    help="seconds allowed for a fresh `lawproof check` of every bundled paper")
    args = ap.parse_args()
    cold = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lawproof.cli", "check"], capture_output=True, check=False)
        cold.append(time.perf_counter() - start)
    median = statistics.median(cold)
    print(f"all bundled papers, cold process: median {median:.2f} s over {args.runs} runs, "
          f"ratio to the {args.cold_target:g} s target {median / args.cold_target:.2f}")
    for path in bundled_papers():
        totals: list[float] = []
        per_claim: dict[str, list[float]] = {}
        for _ in range(args.runs):
            start = time.perf_counter()
            fr = check_file(path)
            totals.append(time.perf_counter() - start)
            for r in fr.results:
                per_claim.setdefault(r.claim, []).append(r.seconds)
        median = statistics.median(totals)
        print(f"{fr.theory.id}: median {median:.2f} s over {args.runs} runs, "
              f"ratio to the {args.target:g} s target {median / args.target:.2f}")
        slowest = sorted(per_claim.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
        for claim, times in slowest:
            print(f"    {claim:<32} median {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
