"""The `check`, `show`, `report`, `region` and `prune-cache` subcommands of `lawproof`:
check claim files, show one claim, write or verify the reports, derive a claim's
region, bound the result cache."""
from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Sequence

from ..cache import DEFAULT_MAX_BYTES, ResultCache, default_dir
from ..engine import FileResult, bundled_papers, check_file, check_files, default_jobs
from ..language import loader
from ..language.errors import ClaimInputError
from ..report.text import terminal_safe
from ..verdict import Result
from .cluster import add_scheduler_option, scheduler_executor
from .common import EXIT_INPUT, EXIT_MISMATCH, EXIT_OK, find_paper, seconds

_CHECK_EPILOG = """\
examples:
  lawproof check                                  # every bundled paper
  lawproof check papers/amdahl_modernized.claims.toml --json
  lawproof check my_paper.claims.toml --strict    # undecided claims fail too

exit status: 0 when every verdict matches its claim's `expect`; 1 when some
verdict contradicts it (or a backend error, or, with --strict, an undecided
claim); 2 when a claim file has input errors or nothing to check.
"""

_SHOW_EPILOG = """\
examples:
  lawproof show amdahl-modernized collapse-threshold
  lawproof show papers/amdahl_modernized.claims.toml referee-growing-R --smt2
"""

_REPORT_EPILOG = """\
examples:
  lawproof report                     # check every bundled paper, write reports/
  lawproof report my.claims.toml --out build/reports
  lawproof report --check             # CI: fail when reports/ is not what the code produces

Writes <paper-id>.md, .html and .json per paper, index.md, index.html, junit.xml,
and under artifacts/<paper-id>/ the SMT-LIB2 queries (replay: z3 FILE), other proof
certificates (.certificate.txt) and the plots (SVG). Timings, dates and absolute
paths are left out: the same input gives the same bytes. Exit status as for
`lawproof check`; with --check, 1 also when a file under --out differs from the
regenerated one, or is missing or extra.
"""


_REGION_EPILOG = """\
examples:
  lawproof region amdahl-modernized collapse-threshold-derived
  lawproof region papers/amdahl_modernized.claims.toml collapse-threshold \\
      --of "minimized_at(T(a), a, 0)" --params S,R --stated "S >= 1 - 1/R^2"
  lawproof region amdahl-modernized referee-growing-R --params S,R0,g --qepcad

Eliminates every other variable (the claim's inner quantifiers and its free
symbols not named in --params) with QEPCAD B, run as a separate program
(install: pip install 'lawproof[qe]', or apt-get install qepcad). The region is
reported only once z3 proves it equivalent to the claim on the domains; it is
also solved for each parameter it is linear in, and compared with the paper's
condition (--stated, or the claim's `region` key): same, weaker, stronger or
different, with an exactly re-checked witness point for each difference.

exit status: 0 when the region is derived; 1 when it is not (time limit, or
QEPCAD and z3 disagree); 2 on input errors or when QEPCAD B is not installed.
"""


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} is not a positive number of processes")
    return n


def _jobs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                   help="check claims in N processes (default: the machine's cores); the output is "
                        "the same, in the same order, as with --jobs 1")


def _folder(text: str) -> str:
    """A folder to keep files in: it may not exist yet, but it (or the first part of its
    path that exists) must not be a file, where nothing could be kept."""
    path = Path(text)
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        why = "is a file, not a folder" if existing == path else f"cannot be a folder: {str(existing)!r} is a file"
        raise argparse.ArgumentTypeError(f"{text!r} {why} (give a folder, created if missing, or --no-cache)")
    return text


def _cache_options(p: argparse.ArgumentParser, check_bypasses: bool = False) -> None:
    where = "$XDG_CACHE_HOME/lawproof, else ~/.cache/lawproof"
    p.add_argument("--cache", metavar="DIR", type=_folder,
                   help=f"keep results in DIR and reuse those whose inputs (claim, definitions and "
                        f"symbols it uses, timeout, lawproof's source, SymPy/z3/mpmath/flint "
                        f"versions) are unchanged (default: {where}"
                        + ("; with --check, no cache unless --cache is given" if check_bypasses else "")
                        + ")")
    p.add_argument("--no-cache", action="store_true", help="check every claim afresh; read and keep nothing")


def _cache(args: argparse.Namespace) -> ResultCache | None:
    """The cache a check or report uses: --no-cache none; --cache DIR; `report --check`
    none unless --cache is given (CI then re-derives every verdict); else the default folder."""
    if args.no_cache:
        return None
    if args.cache:
        return ResultCache(args.cache)
    if getattr(args, "check", False):
        return None
    return ResultCache(default_dir())


_PRUNE_EPILOG = f"""\
examples:
  lawproof prune-cache                      # the default folder, down to {DEFAULT_MAX_BYTES // 2**20} MB
  lawproof prune-cache --max-size 50M       # least recently used entries first
  lawproof prune-cache --max-age 30         # entries not used for 30 days
  lawproof prune-cache --cache DIR --max-size 0   # empty the cache in DIR

`lawproof check` and `lawproof report` prune the folder to {DEFAULT_MAX_BYTES // 2**20} MB themselves after
a run that kept new results. Removing entries never changes a verdict: a missing
entry is recomputed.
"""


def _nonnegative(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not 0 <= value < float("inf"):  # negative, infinite or nan
        raise argparse.ArgumentTypeError(f"{text!r}: {what} must be finite and not negative")
    return value


def _size(text: str) -> int:
    """Bytes from `500K`, `50M`, `2G` or a plain number of bytes."""
    units = {"K": 2**10, "M": 2**20, "G": 2**30}
    number, unit = (text[:-1], units[text[-1].upper()]) if text[-1:].upper() in units else (text, 1)
    return int(_nonnegative(number, "a size (e.g. 50M, 2G, 500K or bytes)") * unit)


def _days(text: str) -> float:
    return _nonnegative(text, "a number of days")


def cmd_prune_cache(args: argparse.Namespace) -> int:
    cache = ResultCache(args.cache or default_dir())
    limit = args.max_size if args.max_size is not None or args.max_age is not None else DEFAULT_MAX_BYTES
    done = cache.prune(max_bytes=limit, max_age_days=args.max_age)
    print(f"{cache.directory}: removed {done.removed} entries ({_shown_size(done.freed)}), "
          f"kept {done.kept} ({_shown_size(done.size)})")
    return EXIT_OK


def _shown_size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB"


def _claim_command(sub, name: str, summary: str, description: str, epilog: str) -> argparse.ArgumentParser:
    """A subcommand about one claim: `lawproof NAME PAPER CLAIM ...`."""
    p = sub.add_parser(name, help=summary, description=description, epilog=epilog,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paper", help="a paper id of a bundled paper, or a claim file's path")
    p.add_argument("claim", help="the claim's id")
    return p


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register check, show, report, region and prune-cache on the `lawproof` parser."""
    c = sub.add_parser("check", help="check claim files and print a table of verdicts",
                       description="Check every claim of the given claim files (default: every "
                                   "bundled paper) and print paper, claim, verdict, method, time.",
                       epilog=_CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("paths", nargs="*", metavar="PATH", help="claim files or folders of them")
    c.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    c.add_argument("--strict", action="store_true", help="also fail on consistent/unknown verdicts")
    _jobs_option(c)
    _cache_options(c)
    add_scheduler_option(c, "check the claims")
    s = _claim_command(sub, "show", "show one claim, its normalized form and its evidence",
                       "Check one claim and print what it says, its normalized formula, the "
                       "verdict and all evidence.", _SHOW_EPILOG)
    s.add_argument("--smt2", action="store_true", help="print the whole SMT-LIB2 artifact")
    r = sub.add_parser("report", help="check claim files and write reports (Markdown, HTML, JSON, JUnit)",
                       description="Check claim files and write reports (Markdown, HTML, JSON, "
                                   "JUnit XML, SMT-LIB2 artifacts, SVG plots).",
                       epilog=_REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("paths", nargs="*", metavar="PATH", help="claim files or folders of them")
    r.add_argument("--out", default="reports", help="output folder (default: reports)")
    r.add_argument("--strict", action="store_true", help="also fail on consistent/unknown verdicts")
    _jobs_option(r)
    r.add_argument("--check", action="store_true",
                   help="write nothing: regenerate into a temporary folder and fail (exit 1), naming "
                        "the files, when the --out folder differs; every claim is checked afresh "
                        "unless --cache DIR is given")
    _cache_options(r, check_bypasses=True)
    add_scheduler_option(r, "check the claims")
    g = _claim_command(sub, "region", "derive the exact parameter region where a claim holds",
                       "Derive, by quantifier elimination, the exact condition on the named "
                       "parameters under which a claim holds, re-proved by z3.", _REGION_EPILOG)
    g.add_argument("--params", help="comma-separated parameters, e.g. S,R (default: the claim's "
                                    "region key, else all its free symbols)")
    g.add_argument("--of", help="a formula to derive the region of instead of the claim's")
    g.add_argument("--stated", help="the paper's condition to compare with, e.g. \"S >= 1 - 1/R\"")
    g.add_argument("--timeout", type=seconds, help="seconds per backend call (default: the claim's timeout)")
    g.add_argument("--qepcad", action="store_true", help="also print QEPCAD B's input and answer")
    g.add_argument("--json", action="store_true", help="print the result as JSON")
    k = sub.add_parser("prune-cache", help="remove old or least recently used entries of the result cache",
                       description="Remove entries of the result cache kept by check and report: those "
                                   "not used for --max-age days, then the least recently used until the "
                                   "rest fit in --max-size.",
                       epilog=_PRUNE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    k.add_argument("--cache", metavar="DIR", help="the cache folder (default: $XDG_CACHE_HOME/lawproof, "
                                                  "else ~/.cache/lawproof)")
    k.add_argument("--max-size", type=_size, metavar="SIZE",
                   help=f"keep at most SIZE (50M, 2G, 500K or bytes; default {DEFAULT_MAX_BYTES // 2**20}M "
                        "when --max-age is not given either)")
    k.add_argument("--max-age", type=_days, metavar="DAYS", help="remove entries not used for DAYS days")


def _files(paths: Sequence[str]) -> list[Path]:
    if not paths:
        return bundled_papers()
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.glob("*.claims.toml") if f.is_file())
            if not found:
                raise ClaimInputError("the folder has no *.claims.toml files", file=str(p),
                                      fix="give claim files, or a folder that holds files named *.claims.toml")
            out.extend(found)
        else:
            out.append(p)
    return out


def _run(paths: Sequence[str], on_result, args: argparse.Namespace, *, derivations: bool = True,
         forms: bool = True) -> tuple[list[FileResult], list[ClaimInputError]]:
    """Check the claim files; `derivations` and `forms` (see check_file) False when no
    output shows what only reports (and JSON's evidence) print."""
    files, errors = [], []
    with scheduler_executor(args.scheduler) as executor:
        checked = check_files(_files(paths), jobs=args.jobs or default_jobs(), progress=on_result,
                              cache=_cache(args), executor=executor, derivations=derivations, forms=forms)
    for path, fr in checked:
        if isinstance(fr, ClaimInputError):
            errors.append(fr)
            continue
        if not fr.results and not fr.errors:
            # nothing was checked: exit 0 would read as "every claim holds"
            fr.errors.append(ClaimInputError(
                "the file has no claims to check (no [[claim]], and no [[table]] row with a paper value)",
                fix='add a [[claim]] with id = "..." and formula = "..."', file=str(path)))
        files.append(fr)
        errors.extend(fr.errors)
    return files, errors


def _exit_code(files: list[FileResult], errors: list[ClaimInputError], strict: bool) -> int:
    if errors or any(r.method == "input" for f in files for r in f.results):
        return EXIT_INPUT
    for fr in files:
        for r in fr.results:
            m = r.matches_expect
            if m is False or (strict and m is None and r.verdict != "not-checkable"):
                return EXIT_MISMATCH
    return EXIT_OK


#: Width of the method column; a longer method wraps onto lines of its own under it.
_METHOD_WIDTH = 40


def _row(r: Result) -> str:
    mark = {True: " ", False: "!", None: "?"}[r.matches_expect]
    if r.verdict == "not-checkable":
        mark = " "
    method = textwrap.wrap(r.method, _METHOD_WIDTH, break_on_hyphens=False) or [""]
    first = f"{mark} {r.paper:<26.26} {r.claim:<30.30} {r.verdict:<14} {method[0]:<{_METHOD_WIDTH}} {r.seconds:6.2f}s"
    indent = " " * (2 + 27 + 31 + 15)
    return "\n".join([first] + [indent + more for more in method[1:]])


def _print_problems(files: list[FileResult], errors: list[ClaimInputError], debug: bool = False) -> None:
    """The files' warnings (they change no exit status), then the input errors (with
    `debug`, an internal error's traceback under it)."""
    for w in (w for f in files for w in f.warnings):
        print(terminal_safe(f"warning: {w}"), file=sys.stderr)
    for e in errors:
        print(terminal_safe(f"input error: {e}"), file=sys.stderr)
        _print_trace(e.trace, debug)


def _print_trace(trace: str, debug: bool) -> None:
    """An internal error's traceback (a bug in lawproof), indented, only with --debug;
    without it, where to find it."""
    if debug and trace:
        print(textwrap.indent(trace.rstrip("\n"), "    "), file=sys.stderr)
    elif trace:
        print("    (an internal error, a bug in lawproof: run with --debug for its traceback)", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    if not args.json:
        print(f"  {'paper':<26} {'claim':<30} {'verdict':<14} {'method':<40} {'time':>7}")
    files, errors = _run(args.paths, None if args.json else lambda r: print(_row(r), flush=True), args,
                         derivations=args.json, forms=False)
    if args.json:
        payload = {"papers": [{"id": f.theory.id, "title": f.theory.title, "path": f.theory.path,
                               "results": [r.to_dict() for r in f.results]} for f in files],
                   "input_errors": [str(e) for e in errors],
                   "warnings": [str(w) for f in files for w in f.warnings]}
        print(json.dumps(payload, indent=2, sort_keys=True))
    else:
        _summary(files, args.strict, args.debug)
        _print_problems(files, errors, args.debug)
    return _exit_code(files, errors, args.strict)


def _summary(files: list[FileResult], strict: bool = False, debug: bool = False) -> None:
    results = [r for f in files for r in f.results]
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    against = [r for r in results if r.matches_expect is False]
    breakdown = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    print(f"\n{len(results)} claims" + (f": {breakdown}" if breakdown else ""))
    for r in against:
        why = r.message or f"verdict {r.verdict}, file expects it {r.expect}"
        print(terminal_safe(f"! {r.paper}/{r.claim}: {why}"))
        _print_trace(r.trace, debug)
    if strict:
        # --strict fails on these too: name them, as the exit code alone does not
        for r in results:
            if r.matches_expect is None and r.verdict != "not-checkable":
                why = f": {r.message}" if r.message else ""
                print(f"? {r.paper}/{r.claim}: {r.verdict}, fails --strict{why}")


def cmd_show(args: argparse.Namespace) -> int:
    cf = loader.load(find_paper(args.paper))
    claim = cf.claim(args.claim)
    fr = check_file(cf, only=[claim.id])
    r = fr.results[0]
    ev = r.evidence

    def say(line: str) -> None:
        print(terminal_safe(line))  # text from the claim file: no terminal escape sequences

    say(f"{r.paper} / {r.claim}")
    for label, value in (("says", r.says), ("where", r.where), ("formula", r.formula),
                         ("normalized", r.normalized), ("expect", r.expect)):
        if value:
            say(f"  {label:<11} {value}")
    say(f"  {'verdict':<11} {r.verdict} ({r.method}, {r.seconds:.2f} s)")
    if r.message:
        say(f"  {'message':<11} {r.message}")
    _print_trace(r.trace, args.debug)
    if r.reason:
        say(f"  {'reason':<11} {r.reason}")
    if ev.counterexample:
        say("  counterexample (exact):")
        for k, v in ev.counterexample.items():
            say(f"    {k} = {v}" + ("   (witness of an inner quantifier)" if k in ev.witnesses else ""))
    for k, v in ev.functions.items():
        say(f"  with {k} = {v}   (meets every declared hypothesis on its whole domain)")
    if ev.values:
        say("  at the counterexample (50 digits):")
        for lhs, op, rhs, lv, rv in ev.values:
            say(f"    {lhs} {op} {rhs}:  {lv} {op} {rv}")
    for inst in ev.instances:
        say(f"  instance {inst['for']}: counterexample {inst['counterexample']}")
    if ev.chain:
        say("  simplification chain:")
        for what, expr in ev.chain:
            say(f"    {what}: {expr}")
    if ev.derivation:
        say("  derivation:")
        for what, expr in ev.derivation:
            say(f"    {what}: {expr}")
    if ev.samples:
        say(f"  samples: {ev.samples}")
    if ev.tried:
        say("  tried:")
        for t in ev.tried:
            say(f"    - {t}")
    if ev.artifact:
        lines = ev.artifact.splitlines()
        shown = lines if args.smt2 else lines[:25]
        say("  SMT-LIB2" + ("" if args.smt2 or len(lines) <= 25 else f" (first 25 of {len(lines)} lines; --smt2 for all)") + ":")
        for ln in shown:
            say("    " + ln)
    return EXIT_OK if r.matches_expect is not False else EXIT_MISMATCH


def cmd_report(args: argparse.Namespace) -> int:
    from ..proofs.region import find_qepcad
    from ..report.writer import check_reports, write_reports

    print(f"  {'paper':<26} {'claim':<30} {'verdict':<14} {'method':<40} {'time':>7}")
    files, errors = _run(args.paths, lambda r: print(_row(r), flush=True), args)
    _summary(files, args.strict, args.debug)
    _print_problems(files, errors, args.debug)
    code = _exit_code(files, errors, args.strict)
    if find_qepcad() is None:
        print("note: QEPCAD B is not installed, so claims with a `region` key are reported without "
              "their derived region; install it with `pip install 'lawproof[qe]'`", file=sys.stderr)
    unread = len(errors) - sum(len(f.errors) for f in files)
    if unread and not args.check:
        # a report without the files that could not be read would drop their papers
        # from index.md and junit.xml: leave the folder as it is
        print(f"not writing reports: {unread} claim file(s) could not be read; "
              f"fix the input errors above and run again (nothing under {args.out}/ was changed)",
              file=sys.stderr)
        return code
    if not args.check:
        written = write_reports(files, Path(args.out))
        print(f"wrote {len(written)} files under {args.out}/")
        return code
    drift = check_reports(files, Path(args.out))
    for line in drift:
        print(f"report drift: {line}", file=sys.stderr)
    if drift:
        print(f"{len(drift)} files under {args.out}/ differ from what the code produces; "
              "run `lawproof report` and commit the result", file=sys.stderr)
        return max(code, EXIT_MISMATCH)
    print(f"{args.out}/ is up to date")
    return code


def cmd_region(args: argparse.Namespace) -> int:
    from ..language.errors import BackendUnavailable
    from ..regions import derive

    params = [p.strip() for p in args.params.split(",") if p.strip()] if args.params else None
    try:
        r = derive(find_paper(args.paper), args.claim, params, of=args.of, stated=args.stated,
                   timeout=args.timeout)
    except BackendUnavailable as e:
        print(f"lawproof region: {e}", file=sys.stderr)
        return EXIT_INPUT
    print(json.dumps(r.to_dict(), indent=2, sort_keys=True) if args.json else r.to_text(args.qepcad))
    return EXIT_OK if r.status == "derived" else EXIT_MISMATCH


COMMANDS = {"check": cmd_check, "show": cmd_show, "report": cmd_report, "region": cmd_region,
            "prune-cache": cmd_prune_cache}

__all__ = ["add_parsers", "COMMANDS", "cmd_check", "cmd_show", "cmd_report", "cmd_region", "cmd_prune_cache"]
