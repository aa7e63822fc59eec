"""The longer fuzz run of full checks (issue 16): generated claim files are loaded and
checked in full, each within a per-file limit, and every uncaught exception, internal
error and claim past its limit is summarized by signature.

    python tests/fuzz_checks.py --files 2000 --seed 7           # about 1 s a file
    python tests/fuzz_checks.py --files 200 --seed 7 --show 3   # and 3 inputs a signature

The files come from the grammar-aware generator of tests/test_fuzz.py (random
formulas, domains, definitions, calculus, optima, huge and tiny numbers, mutations),
each claim with `timeout = 1`. Findings:

- `uncaught`: an exception out of `lawproof.loads`/`check_file` other than a
  LawproofError (the API promises typed errors only);
- `internal`: a claim whose verdict is `error` with method `internal` (a bug caught
  by the engine's per-claim safety net) or an "internal error" of the loader;
- `over limit`: a claim that took more CPU time than its limit (its `timeout`, the
  CPU seconds its whole check may take) plus `--margin` seconds (issue 16: 1 s).
- `killed`: a file still running after `--file-limit` seconds of wall clock.

Exit status 1 when there is any finding. Pin each finding as a regression test
(tests/test_input_errors.py, tests/test_hangs.py). A bounded run is in CI
(tests/test_fuzz.py::test_fuzz_check_run_finds_nothing).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, seed as hypothesis_seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lawproof  # noqa: E402
from lawproof.language import killable, timeout  # noqa: E402
from lawproof.language.errors import LawproofError  # noqa: E402
from test_fuzz import checkable_files  # noqa: E402


class _Killed(BaseException):
    """The per-file wall-clock limit ran out (BaseException: nothing may catch it)."""


@dataclass
class Summary:
    """What a run found: counts and, per signature, the inputs that showed it."""

    files: int = 0
    claims: int = 0
    findings: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))

    def add(self, kind: str, signature: str, text: str) -> None:
        self.findings[f"{kind}: {signature}"].append(text)

    def lines(self, show: int = 1) -> list[str]:
        out = [f"{self.files} files, {self.claims} claims checked; "
               f"{sum(len(v) for v in self.findings.values())} findings, {len(self.findings)} signatures"]
        for sig, texts in sorted(self.findings.items(), key=lambda kv: -len(kv[1])):
            out.append(f"{len(texts):6d}  {sig}")
            out.extend("        | " + t.replace("\n", "\n        | ") for t in texts[:show])
        return out


def _signature(e: BaseException) -> str:
    """The exception's type and the innermost frame of lawproof's own code."""
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if "/site-packages/" not in f.filename and "fuzz_checks" not in f.filename]
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].name}" if frames else ""
    return f"{type(e).__name__}{where}"


def _cpu() -> float:
    """The claim's clock (this process and the worker that does z3 work deaf to
    interrupts for it) and other children's CPU seconds (QEPCAD); a worker killed at a
    net is among the children too, once."""
    t = os.times()
    return timeout.cpu() + t.children_user + t.children_system - killable.reaped()


def check_one(text: str, summary: Summary, *, file_limit: float, margin: float) -> None:
    """Load and check one claim file, adding what goes wrong to `summary`."""
    def alarm(signum, frame):
        raise _Killed

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, file_limit)
    try:
        cf = lawproof.loads(text, "fuzz.claims.toml")
        for e in list(cf.errors) + [c.error for c in cf.claims if c.error is not None]:
            if "internal error" in e.message:
                summary.add("internal", e.message.split("(")[1].split(":")[0] if "(" in e.message else e.message, text)
        summary.files += 1
        for claim in cf.claims:
            start = _cpu()
            r = lawproof.check_claim(claim, cf.theory)
            cpu = _cpu() - start
            summary.claims += 1
            if r.verdict == "error" and r.method == "internal":
                summary.add("internal", (r.message or "").split(":")[0], text)
            if cpu > claim.timeout + margin:
                summary.add("over limit", f"{r.method} ({cpu:.0f} s of CPU)", f"# claim {claim.id}\n{text}")
    except _Killed:
        summary.add("killed", f"past {file_limit:g} s", text)
    except LawproofError:
        summary.files += 1
    except Exception as e:  # noqa: BLE001 - what the run looks for
        summary.add("uncaught", _signature(e), text)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(files: int, seed: int, *, file_limit: float = 120.0, margin: float = 1.0) -> Summary:
    """Check `files` generated claim files (reproducible for a given `seed`)."""
    summary = Summary()

    @hypothesis_seed(seed)
    @settings(max_examples=files, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(checkable_files())
    def one(text: str) -> None:
        check_one(text, summary, file_limit=file_limit, margin=margin)

    one()
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", type=int, default=200, help="how many claim files to check")
    p.add_argument("--seed", type=int, default=0, help="the generator's seed (a run is reproducible)")
    p.add_argument("--file-limit", type=float, default=120.0, help="wall-clock seconds per file")
    p.add_argument("--margin", type=float, default=1.0,
                   help="CPU seconds a claim may take beyond its limit before it counts as over limit")
    p.add_argument("--show", type=int, default=1, help="inputs shown per signature")
    p.add_argument("--dump", type=Path, help="also write every finding's inputs to this JSON file")
    args = p.parse_args(argv)
    summary = run(args.files, args.seed, file_limit=args.file_limit, margin=args.margin)
    print("\n".join(summary.lines(args.show)))
    if args.dump:
        args.dump.write_text(json.dumps(summary.findings, indent=1))
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())
