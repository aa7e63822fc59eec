"""Benchmark: the multi-class Amdahl claims decided through the first-order (KKT) form.

Targets (issue 8): each two-class claim (and its naive mutant) within 1 s, each
three-class claim within 5 s, timed through the whole engine (certificate, SMT,
re-checks, sampling). With `--quantified SECONDS` it also runs z3 on the plain
quantified encoding of each claim with that time limit, for comparison (it ran
past 300 s on the two-class claim here). Not a test: run it by hand.

    python benchmarks/kkt_speed.py [--runs 3] [--quantified 30]
"""
from __future__ import annotations

import argparse
import statistics
import time

import lawproof
from lawproof.proofs import decide
from lawproof.symbolic import normalize

PACK = [p for p in lawproof.bundled_papers() if p.name == "amdahl_modernized.claims.toml"][0]
TARGETS = {"two-class": 1.0, "three-class": 5.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="repetitions per claim (median reported)")
    ap.add_argument("--quantified", type=float, default=0.0,
                    help="also time z3 on the quantified encoding, with this limit in seconds")
    args = ap.parse_args()
    cf = lawproof.load(PACK)
    domains = {s.symbol: s.domain for s in cf.theory.symbols.values()}
    claims = [c for c in cf.claims if c.id.startswith(tuple(TARGETS))]
    lawproof.check_file(cf, only=[claims[0].id])  # warm-up: imports and caches
    for claim in claims:
        times, result = [], None
        for _ in range(args.runs):
            start = time.perf_counter()
            result = lawproof.check_file(cf, only=[claim.id]).results[0]
            times.append(time.perf_counter() - start)
        target = next(t for prefix, t in TARGETS.items() if claim.id.startswith(prefix))
        median = statistics.median(times)
        print(f"{claim.id:<30} {result.verdict:<8} median {median:6.3f} s  "
              f"ratio to the {target:g} s target {median / target:.2f}  [{result.method}]")
        if args.quantified:
            start = time.perf_counter()
            plain = decide(normalize(claim, cf.theory, seconds=claim.timeout), domains, timeout=args.quantified)
            print(f"{'':<30} quantified encoding: {plain.status} after {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
