"""Parameter sweeps: maps of the optimum a* and of the effective threshold S_c_eff.

A sweep is numeric exploration, not a proof: every value here is a float (the
objective compiled once with `lawproof.numeric.vectorize` and evaluated on whole arrays), and
results are labelled so. Use `lawproof counterexample` for proofs and witnesses.

For each parameter point the sweep computes, for the claim's `minimized_at(f, x, p)`
(one or more variables, optional constraint):
- `a_star` (per variable: `a_star_<x>`): a minimizer over the feasible set, by a grid
  search that zooms in on the best point, compared with the claimed point p
  (`corner` is 1 where p is optimal);
- `f_min`: the minimum value found;
- with a scan parameter S in which f is affine (one variable only): `S_c_eff`, the sup
  of phi (see `lawproof.explore.threshold`), and `S_c`, phi at the corner: the paper's
  threshold evaluated with the parameter's value there.

The work is cut into chunks run through a `concurrent.futures.Executor`: a local
`ProcessPoolExecutor` by default, or any Executor passed in — e.g. a Dask cluster's
`distributed.Client(...).get_executor()`, or for Ray an Executor that submits to the
cluster (a `RayExecutor`, where the installed Ray provides one) — since each chunk
is a plain picklable function call `evaluate_chunk(problem, columns)`. Points are generated in the parent (grids, or random
points from a seeded numpy Generator), so the same arguments give the same CSV.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TextIO

import numpy as np
import sympy
from sympy.core.function import AppliedUndef

from . import threshold as thr
from . import variants
from ..numeric import vectorize
from ..language.claims import Claim, ClaimFile, Theory
from ..language.errors import ClaimInputError
from ..language.files import atomic_write
from ..language.formula import And, Atom, Formula, Optimum, conj
from ..language.parser import Namespace, parse_term
from ..symbolic import expand

LABEL = "numeric exploration (float64 grid search), not a proof"
#: Grid points per variable in the first round of the zoom search, by dimension.
FIRST_GRID = {1: 400, 2: 60, 3: 18}
ZOOM_GRID, ZOOM_ROUNDS = 9, 24
#: A point counts as the claimed optimum when its value is within this of the best.
CORNER_TOL = 1e-12
CHUNK = 500


@dataclass(frozen=True)
class Problem:
    """What a sweep evaluates; picklable, so that any Executor can run it.

    `vars`/`bounds` are the optimization variables and their box, (lo, hi, lo_open,
    hi_open) per variable; `constraint` the feasible set beyond the box; `params` the
    parameters, sorted by name; `domain` their domains; `phi` the threshold function
    (None without a scan parameter); `derived` parameters computed from others.
    """

    objective: sympy.Expr
    vars: tuple[sympy.Symbol, ...]
    bounds: tuple[tuple[float, float, bool, bool], ...]
    point: tuple[sympy.Expr, ...]
    constraint: Formula | None
    params: tuple[sympy.Symbol, ...]
    domain: Formula
    phi: sympy.Expr | None = None
    derived: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = ()


def problem(claim: Claim, theory: Theory, *, scan: str | None = "S",
            derived: dict[str, str] | None = None,
            defaults: dict[sympy.Symbol, sympy.Expr] | None = None) -> Problem:
    """The sweep problem of a claim's `minimized_at` (the first one in the claim).

    `derived` gives parameters as claim-language expressions of others
    (`{"Rmax": "2*R0"}`, or a constant), evaluated per point; `defaults` does the same
    with expressions already built, for parameters `derived` does not set.
    """
    optima = [n for n in claim.formula.walk() if isinstance(n, Optimum) and n.kind == "min"] \
        if claim.formula is not None else []
    if not optima:
        raise ClaimInputError(f"claim '{claim.id}' has no minimized_at to sweep",
                              fix="sweep a claim of the form minimized_at(f(x), x, point)")
    opt = optima[0]
    objective = expand(opt.objective, theory)
    xs = tuple(b.symbol for b in opt.binders)
    bounds = []
    for b in opt.binders:
        d = b.domain
        if not (d.lo.is_number and d.hi.is_number and d.lo_bounded and d.hi_bounded):
            raise ClaimInputError(f"the domain {d} of {b.symbol} must have numeric ends to sweep it",
                                  fix="bound the variable")
        bounds.append((float(d.lo), float(d.hi), d.lo_open, d.hi_open))
    point = tuple(expand(p, theory) for p in opt.point)
    constraint = opt.constraint.map_exprs(lambda e: expand(e, theory)) if opt.constraint else None
    # a [functions] symbol has properties, not values: nothing to evaluate at a grid point
    # (numpy's evaluation raised ValueError: cli_fuzz seed 42000)
    terms = [objective, *point] + ([e for node in constraint.walk() for e in node.exprs()] if constraint else [])
    declared = sorted({f.func.__name__ for e in terms for f in e.atoms(AppliedUndef)})
    if declared:
        raise ClaimInputError(f"claim '{claim.id}' uses the function symbol {', '.join(declared)} of [functions], "
                              f"which has no values to sweep",
                              fix=f"define {declared[0]} in [define] for the sweep, or replace it by a family "
                                  f"with `lawproof counterexample` or `lawproof premises`")
    phi = None
    if scan is not None and len(xs) == 1:
        try:
            phi = thr.threshold_function(claim, theory, scan).phi
        except ClaimInputError:
            phi = None
    ns = theory.namespace
    settings = dict(defaults or {})
    for n, t in (derived or {}).items():
        if n not in theory.symbols:
            raise ClaimInputError(f"'{n}' is not a symbol of this file", fix="set one of: " + ", ".join(theory.symbols))
        settings[theory.symbols[n].symbol] = expand(parse_term(t, ns), theory)
    extra = tuple(settings.items())
    used = set(objective.free_symbols) | {s for p in point for s in p.free_symbols}
    if phi is not None:
        used |= phi.free_symbols
    params = tuple(sorted(used - set(xs), key=lambda s: s.name))
    domain = conj([Atom(op, lhs, rhs) for s in params if s.name in theory.symbols
                   for op, lhs, rhs in theory.symbols[s.name].domain.constraints(s)])
    return Problem(objective, xs, tuple(bounds), point, constraint, params, domain, phi, extra)


def _box_grid(bounds: Sequence[tuple[float, float, bool, bool]], n: int) -> list[np.ndarray]:
    """The n^k grid of the box, flattened per variable; open ends are kept out."""
    axes = []
    for lo, hi, lo_open, hi_open in bounds:
        inset = (hi - lo) / (50 * n)
        axes.append(np.linspace(lo + inset if lo_open else lo, hi - inset if hi_open else hi, n))
    mesh = np.meshgrid(*axes, indexing="ij")
    return [m.ravel() for m in mesh]


def _minimize(pb: Problem, env: dict[sympy.Symbol, np.ndarray], m: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Zoom grid search over the box (and constraint) for `m` parameter points."""
    k = len(pb.vars)
    grid = _box_grid(pb.bounds, FIRST_GRID.get(k, 10))
    cand = [np.broadcast_to(g, (m, g.size)) for g in grid]
    best_x, best_f = _best(pb, env, cand)
    width = np.array([(hi - lo) / FIRST_GRID.get(k, 10) for lo, hi, _, _ in pb.bounds])
    offsets = _box_grid([(-1.0, 1.0, False, False)] * k, ZOOM_GRID)
    for _ in range(ZOOM_ROUNDS):
        cand = []
        for j, (lo, hi, lo_open, hi_open) in enumerate(pb.bounds):
            bottom = np.nextafter(lo, hi) if lo_open else lo
            top = np.nextafter(hi, lo) if hi_open else hi
            cand.append(np.clip(best_x[j][:, None] + 2 * width[j] * offsets[j][None, :], bottom, top))
        x_new, f_new = _best(pb, env, cand)
        better = f_new < best_f
        best_x = [np.where(better, xn, xo) for xn, xo in zip(x_new, best_x)]
        best_f = np.where(better, f_new, best_f)
        width = width * 4 / (ZOOM_GRID - 1)
    return best_x, best_f


def _best(pb: Problem, env: dict, cand: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    full = {s: v[:, None] for s, v in env.items()}
    full.update(dict(zip(pb.vars, cand)))
    f = vectorize.evaluate(pb.objective, full) * np.ones(cand[0].shape)
    if pb.constraint is not None:
        f = np.where(vectorize.truth(pb.constraint, full, cand[0].shape), f, np.nan)
    f = np.where(np.isnan(f), np.inf, f)
    i = np.argmin(f, axis=1)
    rows = np.arange(f.shape[0])
    return [c[rows, i] for c in cand], f[rows, i]


def evaluate_chunk(pb: Problem, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The sweep's output columns for one chunk of parameter points (float64)."""
    env = {s: np.asarray(columns[s.name], dtype=float) for s in pb.params if s.name in columns}
    m = len(next(iter(columns.values())))
    for s, e in pb.derived:
        env[s] = vectorize.evaluate(e, env) * np.ones(m)
    have = set(env)
    needs_f = (pb.objective.free_symbols | {s for p in pb.point for s in p.free_symbols}) - set(pb.vars)
    needs_phi = ((pb.phi.free_symbols | pb.point[0].free_symbols) - set(pb.vars)) if pb.phi is not None else None
    if not needs_f <= have and (needs_phi is None or not needs_phi <= have):
        missing = sorted(s.name for s in needs_f - have)
        raise ClaimInputError(f"no values for {', '.join(missing)}", fix="add a --grid axis or --set NAME=VALUE")
    inside = vectorize.truth(_known(pb.domain, have), env, (m,))
    out: dict[str, np.ndarray] = {s.name: env[s] for s, _ in pb.derived}
    at_point = {**env, **{x: vectorize.evaluate(p, env) * np.ones(m) for x, p in zip(pb.vars, pb.point)
                          if p.free_symbols <= have}}
    if needs_f <= have:
        xs, fmin = _minimize(pb, env, m)
        f_point = vectorize.evaluate(pb.objective, at_point) * np.ones(m)
        corner = f_point <= fmin + CORNER_TOL * np.maximum(1.0, np.abs(fmin))
        for x, v in zip(pb.vars, xs):
            name = "a_star" if len(pb.vars) == 1 else f"a_star_{x.name}"
            out[name] = np.where(corner, at_point[x], v)
        out["f_min"] = np.where(corner, f_point, fmin)
        out["corner"] = corner.astype(float)
    if needs_phi is not None and needs_phi <= have:
        out["S_c"] = vectorize.evaluate(pb.phi, at_point) * np.ones(m)
        out["S_c_eff"] = _sup_phi(pb, env, m)
    return {k: np.where(inside, v, np.nan) for k, v in out.items()}


def _known(domain: Formula, have: set) -> Formula:
    """The domain atoms that mention only symbols with values."""
    atoms = domain.args if isinstance(domain, And) else (domain,)
    return conj([a for a in atoms if isinstance(a, Atom) and (a.lhs.free_symbols | a.rhs.free_symbols) <= have])


def _sup_phi(pb: Problem, env: dict, m: int) -> np.ndarray:
    neg = Problem(-pb.phi, pb.vars, pb.bounds, pb.point, None, pb.params, pb.domain)
    _, best = _minimize(neg, env, m)
    at_point = {**env, pb.vars[0]: vectorize.evaluate(pb.point[0], env) * np.ones(m)}
    corner = vectorize.evaluate(pb.phi, at_point) * np.ones(m)
    return np.fmax(-best, corner)


@dataclass
class SweepResult:
    """Columns of a sweep (parameters first, then results), in point order."""

    columns: dict[str, np.ndarray]
    axes: list[tuple[str, np.ndarray]] = field(default_factory=list)
    label: str = LABEL
    meta: dict[str, str] = field(default_factory=dict)

    def to_csv(self, out: TextIO | str | Path) -> None:
        """CSV with a header; floats with 12 significant digits; NaN as empty."""
        text = io.StringIO()
        w = csv.writer(text, lineterminator="\n")
        names = list(self.columns)
        w.writerow(names)
        for row in zip(*(self.columns[n] for n in names)):
            w.writerow("" if np.isnan(v) else f"{v:.12g}" for v in row)
        _write(out, text.getvalue())

    def to_json(self, out: TextIO | str | Path) -> None:
        """JSON: the label, metadata, axes and columns (NaN as null)."""
        payload = {"label": self.label, "meta": self.meta,
                   "axes": {n: [float(v) for v in a] for n, a in self.axes},
                   "columns": {n: [None if np.isnan(v) else float(f"{v:.12g}") for v in c]
                               for n, c in self.columns.items()}}
        _write(out, json.dumps(payload, indent=1, sort_keys=True) + "\n")


def _write(out: TextIO | str | Path, text: str) -> None:
    if isinstance(out, (str, Path)):
        atomic_write(out, text.encode("utf-8"))
    else:
        out.write(text)


def grid(axes: dict[str, tuple[float, float, int]]) -> tuple[dict[str, np.ndarray], list[tuple[str, np.ndarray]]]:
    """The full grid of `axes` ({name: (lo, hi, n)}), first axis varying slowest."""
    lines = [(n, np.linspace(lo, hi, k)) for n, (lo, hi, k) in axes.items()]
    mesh = np.meshgrid(*(v for _, v in lines), indexing="ij")
    return {n: m.ravel() for (n, _), m in zip(lines, mesh)}, lines


def random_points(box: dict[str, tuple[float, float]], n: int, seed: int) -> dict[str, np.ndarray]:
    """`n` uniform random points of `box`, from numpy's Generator seeded with `seed`."""
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(lo, hi, n) for name, (lo, hi) in box.items()}


def run(pb: Problem, points: dict[str, np.ndarray], *, executor: Executor | None = None,
        workers: int | None = None, chunk: int = CHUNK, progress: bool | TextIO = True,
        fixed: dict[str, float] | None = None) -> SweepResult:
    """Evaluate the sweep at `points` ({name: array}, plus constants in `fixed`).

    Chunks go to `executor` (any concurrent.futures.Executor), or to a local
    ProcessPoolExecutor with `workers` processes (default: the CPU count; 1 runs
    in this process). A progress bar goes to stderr (or the stream given).
    """
    n = len(next(iter(points.values())))
    cols = {k: np.asarray(v, dtype=float) for k, v in points.items()}
    for k, v in (fixed or {}).items():
        cols[k] = np.full(n, float(v))
    starts = list(range(0, n, chunk))
    pieces: list[dict[str, np.ndarray] | None] = [None] * len(starts)
    bar = _Progress(len(starts), progress)
    jobs = [(i, {k: v[s:s + chunk] for k, v in cols.items()}) for i, s in enumerate(starts)]
    own = executor is None and (workers or os.cpu_count() or 1) > 1 and len(jobs) > 1
    pool = ProcessPoolExecutor(max_workers=workers or os.cpu_count()) if own else executor
    try:
        if pool is None:
            for i, job in jobs:
                pieces[i] = evaluate_chunk(pb, job)
                bar.step()
        else:
            futures = {pool.submit(evaluate_chunk, pb, job): i for i, job in jobs}
            for fut in as_completed(futures):
                pieces[futures[fut]] = fut.result()
                bar.step()
    finally:
        if own:
            pool.shutdown()
        bar.close()
    results = {k: np.concatenate([p[k] for p in pieces]) for k in pieces[0]} if pieces else {}
    return SweepResult({**cols, **results})


class _Progress:
    """A plain text progress bar on a stream: `[#####.....] 5/10 chunks`."""

    def __init__(self, total: int, stream: bool | TextIO) -> None:
        self.total, self.done = total, 0
        self.stream = sys.stderr if stream is True else (stream or None)

    def step(self) -> None:
        self.done += 1
        if self.stream is not None:
            filled = int(30 * self.done / max(1, self.total))
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} chunks")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.total:
            self.stream.write("\n")
            self.stream.flush()


def family_problems(source: str | Path | ClaimFile, claim_id: str, param: str, families: Sequence[str], *,
                    scan: str | None = "S", derived: dict[str, str] | None = None,
                    ) -> dict[str, tuple[variants.Variant, Problem]]:
    """One sweep problem per family (the family's defaults fill its parameters unless
    `derived` sets them)."""
    out = {}
    for name in families:
        v = variants.apply(source, claim_id, param, name)
        defaults = {v.names[n]: parse_term(t, Namespace(), local=v.names)
                    for n, t in variants.FAMILIES[name].defaults}
        mine = {k: t for k, t in (derived or {}).items() if k in v.theory.symbols}
        defaults = {s: e for s, e in defaults.items() if s.name not in mine}
        out[name] = (v, problem(v.claim, v.theory, scan=scan, derived=mine, defaults=defaults))
    return out


__all__ = ["LABEL", "Problem", "SweepResult", "problem", "evaluate_chunk", "grid", "random_points",
           "run", "family_problems"]
