"""The `counterexample`, `premises` and `sweep` subcommands of `lawproof`.

lawproof/cli/__init__.py registers them with `add_parsers` and dispatches through
`COMMANDS`.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from ..language.errors import ClaimInputError
from .cluster import add_scheduler_option, scheduler_executor
from .common import EXIT_MISMATCH, EXIT_OK, find_paper, seconds

_COUNTEREXAMPLE_EPILOG = """\
examples:
  lawproof counterexample amdahl-modernized collapse-sufficient --param R --family all
  lawproof counterexample papers/amdahl_modernized.claims.toml collapse-sufficient \\
      --param R --family saturating
  lawproof counterexample amdahl-modernized collapse-sufficient --param R \\
      --expr "R0*(1 + a^3)"
  lawproof counterexample amdahl-modernized collapse-sufficient --param R \\
      --expr "R0 + h*max(0, a - c)" --symbol "h=(0, oo)" --symbol "c=(0, 1)"

Replaces the parameter by a function of the claim's variable (R -> R(a)) from a
family (linear R0(1 + g a), power R0(1 + a)^k, saturating R0 + (Rmax - R0)(1 -
exp(-k a)), scale R0 + k a^2, decreasing R0/(1 + g a), piecewise R0(1 + g min(a, c)))
or an expression, and for each: proves the claim (z3), or gives an exact witness
where it fails, shrunk to small rationals and re-checked exactly and at 50 digits,
with the objective at the witness and at the claimed optimum (50 digits), and the
effective threshold S_c_eff at the witness's parameters. It also proves the general
lemma: every R(a) with R(a) <= R(0) keeps the claim.

exit status: 0 when every family got a verdict; 1 when one is an error.
"""

_PREMISES_EPILOG = """\
examples:
  lawproof premises amdahl-modernized interior-optimum-optimal
  lawproof premises amdahl-modernized collapse-sufficient --param R --family linear

Drops or weakens each hypothesis in turn (each end of each free symbol's domain,
each conjunct of `assume` and of the claim's premise, and with --family/--expr
"the parameter is constant") and re-checks the claim: a hypothesis is needed when
the claim is refuted without it (the witness is shown), not needed when it is
still proved.
"""

_SWEEP_EPILOG = """\
examples:
  lawproof sweep amdahl-modernized collapse-sufficient \\
      --grid S=0:1:100 --grid R=1.01:10:100 --csv amdahl.csv --plot phase.png
  lawproof sweep amdahl-modernized collapse-sufficient --param R --family linear \\
      --grid S=0:1:100 --grid R0=1.01:10:100 --set g=2 --plot linear.svg
  lawproof sweep amdahl-modernized collapse-sufficient --param R --family all \\
      --grid R0=1.01:10:200 --plot thresholds.svg
  lawproof sweep amdahl-modernized collapse-sufficient --grid S=0:1:1 --grid R=1:10:1 \\
      --random 5000 --seed 7 --json points.json

Any claim file's minimized_at(f, x, point) can be swept (the examples use the
bundled Amdahl paper). Numeric exploration, not proofs: the objective is evaluated
in float64 on whole arrays and minimized by a zooming grid search. Columns: the
parameters, a_star (the minimizer; a_star_<x> per variable for several), f_min,
corner (1 where the claimed point is optimal), and, where the objective is affine
in the --scan parameter (default S, the Amdahl paper's serial fraction), that
paper's kind of threshold S_c and the effective S_c_eff. --plot draws the minimizer
over two axes (a phase diagram), or against one axis (the thresholds per family
instead, when the sweep computed them). Work runs in
chunks on a process pool (--workers); from Python, any concurrent.futures.Executor
can be passed to lawproof.explore.sweep.run (a Dask or Ray executor included). With
--random N the --grid ranges are sampled with a seeded generator (the counts are
ignored): the same seed gives the same CSV.
"""


def _pairs(items: list[str] | None, what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ClaimInputError(f"cannot read {what} '{item}'", fix=f"write {what} as NAME=VALUE")
        out[name.strip()] = value.strip()
    return out


def _axes(items: list[str]) -> dict[str, tuple[float, float, int]]:
    out = {}
    for name, spec in _pairs(items, "--grid").items():
        parts = spec.split(":")
        try:
            lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
        except (ValueError, IndexError):
            raise ClaimInputError(f"cannot read the grid axis '{name}={spec}'",
                                  fix="write --grid NAME=lo:hi:n, e.g. --grid S=0:1:100") from None
        if not math.isfinite(hi - lo):  # nan, inf, or a range beyond floats: numpy cannot sample it
            raise ClaimInputError(f"the grid axis '{name}={spec}' needs finite ends",
                                  fix="write --grid NAME=lo:hi:n with numbers, e.g. --grid S=0:1:100")
        if n < 1 or hi < lo:
            raise ClaimInputError(f"empty grid axis '{name}={spec}'", fix="use lo <= hi and n >= 1")
        out[name] = (lo, hi, n)
    return out


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the three subcommands on the `lawproof` parser."""
    from ..explore.variants import FAMILIES

    fams = list(FAMILIES) + ["all"]
    raw = argparse.RawDescriptionHelpFormatter
    c = sub.add_parser("counterexample", help="check a claim under R -> R(a) variants: proofs or exact witnesses",
                       description="Restate a claim with a parameter replaced by a function of the "
                                   "claim's variable and prove it or find a shrunk exact counterexample.",
                       epilog=_COUNTEREXAMPLE_EPILOG, formatter_class=raw)
    _common(c)
    c.add_argument("--family", default="all", choices=fams, help="the family of functions (default: all)")
    c.add_argument("--seed", type=int, default=0, help="seed of the guided search (default 0)")
    c.add_argument("--scan", default="S",
                   help="the parameter of the effective threshold (default S; 'none' to skip)")
    c.add_argument("--curve", type=int, default=0, metavar="N",
                   help="also print a*(S) at N values of S around S_c_eff (50 digits)")
    c.add_argument("--lemma", action="store_true",
                   help="also prove and print the general lemma for a single family (it is printed "
                        "by default with --family all)")
    c.add_argument("--lemma-lower", metavar="EXPR",
                   help="lower bound of R(a) in the general lemma (default: the lower end of R's domain)")
    c.add_argument("--prove-threshold", action="store_true",
                   help="also prove the closed form of S_c_eff with the engine, where SymPy finds one")
    p = sub.add_parser("premises", help="which hypotheses of a claim carry it",
                       description="Re-check a claim with each hypothesis dropped or weakened in turn.",
                       epilog=_PREMISES_EPILOG, formatter_class=raw)
    _common(p, param_default=None)
    p.add_argument("--family", choices=list(FAMILIES), help="also check 'the parameter is constant' "
                                                            "against this family")
    s = sub.add_parser("sweep", help="maps of a claim's optimum over a grid or random points (numeric)",
                       description="Sweep the parameters of any claim's minimized_at(f, x, point): the "
                                   "minimizer, the minimum and whether the claimed point is optimal "
                                   "(and, with a scan parameter in which f is affine, the effective "
                                   "threshold), as CSV/JSON and plots. Numeric, not proofs.",
                       epilog=_SWEEP_EPILOG, formatter_class=raw)
    s.add_argument("paper", help="a paper id of a bundled paper, or a claim file's path")
    s.add_argument("claim", help="the claim's id (it must contain minimized_at)")
    s.add_argument("--grid", action="append", required=True, metavar="NAME=lo:hi:n",
                   help="a grid axis; repeat for more axes")
    s.add_argument("--set", action="append", metavar="NAME=EXPR",
                   help="a parameter held fixed, or an expression of others (e.g. Rmax=2*R0)")
    s.add_argument("--param", help="the parameter to vary with the variable (with --family)")
    s.add_argument("--family", choices=fams, help="sweep the claim under this variant (all: each family)")
    s.add_argument("--scan", default="S",
                   help="a parameter in which the objective is affine: adds the threshold columns S_c and "
                        "S_c_eff where it applies (default S, as in the Amdahl paper; 'none' to skip)")
    s.add_argument("--random", type=int, metavar="N", help="N random points of the --grid box instead")
    s.add_argument("--seed", type=int, default=0, help="seed of --random (default 0)")
    s.add_argument("--workers", type=int, help="processes (default: CPU count; 1: no pool)")
    add_scheduler_option(s, "run the chunks")
    s.add_argument("--csv", help="write the results as CSV (per family: NAME-<family>.csv)")
    s.add_argument("--json", help="write the results as JSON")
    s.add_argument("--plot", help="draw a PNG or SVG: the phase diagram (two axes) or "
                                  "threshold curves (one axis)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")


def _common(p: argparse.ArgumentParser, param_default: str | None = "R") -> None:
    p.add_argument("paper", help="a paper id of a bundled paper, or a claim file's path")
    p.add_argument("claim", help="the claim's id")
    p.add_argument("--param", default=param_default,
                   help="the parameter to replace by a function" + (f" (default {param_default})"
                                                                   if param_default else ""))
    p.add_argument("--expr", help="a function of your own instead of a family, e.g. \"R0*(1 + a^2)\"")
    p.add_argument("--symbol", action="append", metavar="NAME=DOMAIN",
                   help="declare a new symbol of --expr, e.g. \"c=(0, 1)\"")
    p.add_argument("--var", help="the variable the parameter depends on (default: the claim's "
                                 "minimized_at variable)")
    p.add_argument("--variant", metavar="ID", help="use the file's [[variant]] table ID (its param, "
                                                   "family or expr, symbols, var)")
    p.add_argument("--timeout", type=seconds, default=2.0, help="seconds per backend call (default 2)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _use_variant(args: argparse.Namespace, path: Path) -> None:
    """Fill --param/--family/--expr/--symbol/--var from the file's [[variant]] table."""
    from ..explore.variants import file_variants

    if not args.variant:
        return
    specs = file_variants(path)
    if args.variant not in specs:
        raise ClaimInputError(f"no valid [[variant]] with id '{args.variant}' in {path}",
                              fix="choose one of: " + (", ".join(specs) or "(none; run lawproof check FILE)"))
    spec = specs[args.variant]
    args.param, args.family, args.expr, args.var = spec.param, spec.family, spec.expr, spec.var
    args.symbol = [f"{n}={d}" for n, d in spec.symbols]
    args.at = spec.at


def cmd_counterexample(args: argparse.Namespace) -> int:
    """`lawproof counterexample`: verdicts, witnesses and thresholds per family."""
    from ..explore.counterexample import counterexamples, outcome_dict, render

    if args.seed < 0:
        raise ClaimInputError(f"--seed {args.seed}: the seed of the guided search must be 0 or more",
                              fix="write --seed 0, 1, 2, ... (each draws other points)")
    path = find_paper(args.paper)
    args.at = None
    _use_variant(args, path)
    families = None if args.family in ("all", None) else [args.family]
    scan = None if args.scan.lower() == "none" else args.scan
    lemma, outcomes = counterexamples(
        path, args.claim, args.param, families, expr=args.expr, symbols=_pairs(args.symbol, "--symbol"),
        var=args.var, at=args.at, lemma=args.lemma or None, lemma_lower=args.lemma_lower, seed=args.seed,
        scan=scan, prove_closed_form=args.prove_threshold, curve=args.curve, timeout=args.timeout)
    if args.json:
        print(json.dumps({"claim": args.claim, "param": args.param,
                          "lemma": None if lemma is None else {"says": lemma.says, "verdict": lemma.verdict,
                                                               "method": lemma.method},
                          "families": [outcome_dict(o) for o in outcomes]}, indent=2, sort_keys=True))
    else:
        print(render(f"{args.claim}: {args.param} as a function of the claim's variable", lemma, outcomes))
    return EXIT_MISMATCH if any(o.verdict == "error" for o in outcomes) else EXIT_OK


def cmd_premises(args: argparse.Namespace) -> int:
    """`lawproof premises`: which hypotheses the claim needs."""
    from ..explore.premises import premises

    path = find_paper(args.paper)
    _use_variant(args, path)
    if (args.family or args.expr) and not args.param:
        raise ClaimInputError("--family/--expr need --param", fix="add --param R")
    report = premises(path, args.claim, param=args.param, family=args.family,
                      expr=args.expr, symbols=_pairs(args.symbol, "--symbol"), var=args.var,
                      timeout=args.timeout)
    print(json.dumps(report.to_dict(), indent=2, sort_keys=True) if args.json else report.text())
    return EXIT_OK


def cmd_sweep(args: argparse.Namespace) -> int:
    """`lawproof sweep`: a grid or random sweep, written as CSV/JSON and drawn."""
    from ..explore import sweep as sw
    from ..explore.plots_sweep import one_axis_plot, phase_diagram
    from ..explore.variants import FAMILIES, load_claim

    path = find_paper(args.paper)
    scan = None if args.scan.lower() == "none" else args.scan
    axes = _axes(args.grid)
    settings = _pairs(args.set, "--set")
    if args.family and not args.param:
        raise ClaimInputError("--family needs --param", fix="add --param R")
    if args.random is not None and args.random < 1:
        raise ClaimInputError(f"--random {args.random}: the number of random points must be positive",
                              fix="write --random 1000, or leave it out for a grid")
    if args.random:
        box = {n: (lo, hi) for n, (lo, hi, _) in axes.items()}
        points, lines = sw.random_points(box, args.random, args.seed), []
    else:
        points, lines = sw.grid(axes)
    if args.family:
        names = list(FAMILIES) if args.family == "all" else [args.family]
        problems = {n: pb for n, (_, pb) in sw.family_problems(path, args.claim, args.param, names,
                                                                scan=scan, derived=settings).items()}
    else:
        claim, theory = load_claim(path, args.claim)
        problems = {"": sw.problem(claim, theory, scan=scan, derived=settings)}
    results = {}
    start = time.perf_counter()
    with scheduler_executor(args.scheduler) as executor:
        for name, pb in problems.items():
            if name and not args.quiet:
                print(f"{name}:", file=sys.stderr)
            r = sw.run(pb, points, workers=args.workers, executor=executor, progress=not args.quiet)
            r.axes = lines
            r.meta = {"claim": args.claim, "family": name or "none", "seed": str(args.seed)}
            results[name] = r
    seconds = time.perf_counter() - start
    n = len(next(iter(points.values())))
    print(f"{len(results) * n} points in {seconds:.2f} s ({sw.LABEL})")
    for name, r in results.items():
        suffix = f"-{name}" if len(results) > 1 else ""
        for fmt, target in (("csv", args.csv), ("json", args.json)):
            if target:
                out = Path(target)
                out = out.with_name(f"{out.stem}{suffix}{out.suffix}")
                getattr(r, f"to_{fmt}")(out)
                print(f"wrote {out}")
        _summary(name, r)
    if args.plot:
        if len(lines) == 2:
            for name, r in results.items():
                out = Path(args.plot)
                out = out.with_name(f"{out.stem}{'-' + name if len(results) > 1 else ''}{out.suffix}")
                print(f"wrote {phase_diagram(r, out, x=scan or '', title=name and f'{name} family')}")
        elif len(lines) == 1:
            print(f"wrote {one_axis_plot(results, lines[0][0], args.plot, scan=scan)}")
        else:
            raise ClaimInputError("--plot needs a grid sweep over one or two axes",
                                  fix="use one --grid axis (threshold curves) or two (phase diagram)")
    return EXIT_OK


def _summary(name: str, r) -> None:
    import numpy as np

    c = r.columns
    parts = []
    if "corner" in c:
        parts.append(f"the claimed point is optimal at {np.nanmean(c['corner']) * 100:.1f}% of the points")
    if "S_c_eff" in c:
        gap = c["S_c_eff"] - c["S_c"]
        parts.append(f"S_c_eff - S_c in [{np.nanmin(gap):.4g}, {np.nanmax(gap):.4g}]")
    print(f"  {name or 'base model'}: " + "; ".join(parts))


COMMANDS = {"counterexample": cmd_counterexample, "premises": cmd_premises, "sweep": cmd_sweep}

__all__ = ["add_parsers", "COMMANDS", "cmd_counterexample", "cmd_premises", "cmd_sweep"]
