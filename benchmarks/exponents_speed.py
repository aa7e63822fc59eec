"""Benchmark: claims with symbolic exponents (power-law losses), with and without the
log-coordinate method of proofs/powers.py.

Checks every claim of the files given (by default the labelled corpus
tests/soundness/exponents.claims.toml) and prints, per claim, its verdict, method and
seconds, then the decided fraction, the claims against their label, the median and the
slowest time. `--before` checks the same claims a second time with the method switched
off (today's pipeline without it), for the comparison. Not a test: run it by hand.

    python benchmarks/exponents_speed.py [--before] [FILE ...]
"""
from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from unittest import mock

from lawproof import check_file
from lawproof.language.errors import OutsideFragment

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "soundness" / "exponents.claims.toml"
DECIDED = {"proved", "refuted"}
AGREES = {("holds", "proved"), ("fails", "refuted")}
WRONG = {("holds", "refuted"), ("fails", "proved")}


def run(paths: list[Path], label: str) -> None:
    """Check every claim of `paths` and print the table and summary for `label`."""
    rows = []
    for path in paths:
        for r in check_file(path).results:
            rows.append(r)
            print(f"  {r.claim:<40} {r.verdict:<11} {r.seconds:7.2f} s  {r.method}")
    times = [r.seconds for r in rows]
    decided = sum(r.verdict in DECIDED for r in rows)
    agree = sum((r.expect, r.verdict) in AGREES for r in rows)
    wrong = sum((r.expect, r.verdict) in WRONG for r in rows)
    print(f"{label}: {len(rows)} claims, decided {decided}/{len(rows)} ({100 * decided / len(rows):.0f} %), "
          f"as labelled {agree}, WRONG {wrong}; median {statistics.median(times):.2f} s, "
          f"slowest {max(times):.2f} s, total {sum(times):.1f} s")


def _switched_off(*args, **kwargs):
    raise OutsideFragment("switched off for the benchmark")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, default=[CORPUS])
    ap.add_argument("--before", action="store_true", help="also check without the log-coordinate method")
    args = ap.parse_args()
    run(args.files, "with log coordinates")
    if args.before:
        with mock.patch("lawproof.engine.decide_powers", _switched_off):
            run(args.files, "without log coordinates")


if __name__ == "__main__":
    main()
