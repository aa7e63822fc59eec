"""The `lawproof` command line: one module per group of subcommands (check.py: check,
show, report, region, prune-cache; explore.py: counterexample, premises, sweep), what they share in
common.py; this module builds the parser and dispatches."""
from __future__ import annotations

import argparse
import gc
import sys
from typing import Sequence

from ..language.errors import ClaimInputError, LawproofError
from . import check, explore
from .common import EXIT_INPUT, EXIT_MISMATCH, EXIT_OK


def _collect_less() -> None:
    """Tune Python's cyclic collector for a command that has the process to itself: what
    the imports built lives as long as the process, so the collector need not walk it
    again (freeze), and SymPy's many short-lived objects need not start it every 700
    allocations (a 100,000 threshold): about 6 % of a check of the Amdahl pack. Not
    where `main([...])` runs inside a longer process (tests): frozen objects are never
    collected there. Only time depends on it, never a result."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lawproof",
        description="Check the mathematics in papers: each claim of a *.claims.toml file is "
                    "proved (SMT, exact identity), refuted (exact counterexample) or sampled "
                    "at 50 digits, and reported with its evidence.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="run `lawproof COMMAND --help` for each command's options and examples")
    p.add_argument("--debug", action="store_true",
                   help="on an internal error (a bug in lawproof), print the Python traceback")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check.add_parsers(sub)  # check, show, report, region, prune-cache
    explore.add_parsers(sub)  # counterexample, premises, sweep
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `lawproof` console script (`argv` None: the command line)."""
    if argv is None:
        _collect_less()
    args = _parser().parse_args(argv)
    try:
        return {**check.COMMANDS, **explore.COMMANDS}[args.command](args)
    except ClaimInputError as e:
        print(f"input error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) stopped early; that is not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except LawproofError as e:
        print(f"lawproof: {e}", file=sys.stderr)
        return EXIT_MISMATCH
    except OSError as e:
        # a folder or file the user named that cannot be written or read (--out, --cache)
        print(f"error: {e.strerror or e}: {e.filename or ''} (check the path and its permissions)",
              file=sys.stderr)
        return EXIT_INPUT
    except Exception as e:
        if args.debug:
            raise
        print(f"internal error: {type(e).__name__}: {e} (a bug in lawproof; run with --debug for the "
              "traceback and please report it)", file=sys.stderr)
        return EXIT_MISMATCH
