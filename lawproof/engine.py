"""The pipeline: parse -> symbolic -> proofs -> numeric -> verdict.

Verdict rules (non-negotiable): `proved` only from a sound method (SMT unsat, an
exact identity with its definedness proved); `refuted` only with a counterexample
re-checked exactly and at 50 digits; sampling alone gives `consistent`; methods
that disagree give `error`.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import textwrap
import threading
import time
import traceback
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from concurrent.futures import Executor
from typing import Callable, Iterable, cast

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from .cache import CacheOption, ResultCache, claim_key, environment, names_used, open_cache, same_lawproof
from .language import loader
from .language.claims import Claim, ClaimFile, Table, Theory
from .language.domain import Domain
from .language.errors import ClaimInputError, LawproofError, OutsideFragment
from .language.formula import (Atom, Binder, Bound, Formula, Implies, Not, Optimum, Quantified, Truth, conj,
                               claim_symbols, domain_of, free_symbols, nnf, to_text)
from .language.parser import Derived, Optimal
from .verdict import RICH_DISPLAY, Evidence, Result

from .numeric import (TooLarge, Undecided, Undefined, Unsupported, atom_values, exact_sign, exact_truth, exact_value,
                      SampleReport, mp_truth, mp_value, recheck, search, shown_value)
from .proofs import decide, holds_at
from .proofs.smt import printing_artifacts
from .proofs.functions import Abstraction, abstract, concrete_functions, uses_functions, with_functions
from .proofs.bounds import LEVELS, BoundsOutcome, prove as certified_bounds
from .proofs.kkt import KktReport, decide_reduced, kkt_normalize
from .proofs.powers import decide_powers, is_power_claim
from .regions import region_evidence
from .symbolic import IdentityResult, decide_identity, definedness, derive_optimum, derived_steps, expand, normalize
from .symbolic.identity import QUICK_STEPS, STEPS as IDENTITY_STEPS
from .symbolic.normalize import keeping_derivations
from .symbolic.reductions import reduce as reduce_claim
from .language.timeout import LIMIT_MESSAGE, SAFETY_FACTOR, ClaimLimit, SafetyNetHit, net, record, running, watching
from . import numeric
from .numeric import interval
from .numeric.sample import RECHECK_DIGITS
from .numeric.witness import find_witness

#: Sampling effort: cross-validation of a proof, and the search when nothing proves.
CROSS_CHECK_POINTS = 24
SEARCH_POINTS = 160
#: Boxes the interval prover may examine per target (the claim, or a reduction of it).
#: The box budget is what ends an interval search, so that verdicts and reports do not
#: depend on machine speed; the CPU-time deadline (`safety_seconds` of the claim's
#: timeout per target, or the claim's limit) is only a safety net.
INTERVAL_BOXES = 4000
#: The interval prover's first budget, before the certified bounds' first level: the
#: bundled claims it settles at all take at most 4 boxes, the textbook bounds of
#: benchmarks/interval.claims.toml at most 23.
EARLY_BOXES = 32
#: Precisions for a counterexample whose violation is below the 50-digit tolerance.
MORE_DIGITS = (100, 200)
#: The note in a claim's evidence when its report-only evidence was left out.
REPORT_EVIDENCE_CUT = "report-only evidence (closed forms, derived region) left out"


@dataclass
class FileResult:
    """All results of one claim file, plus its file-level input errors and warnings
    (ClaimFile.warnings)."""

    theory: Theory
    results: list[Result] = field(default_factory=list)
    errors: list[ClaimInputError] = field(default_factory=list)
    tables: list["TableResult"] = field(default_factory=list)
    warnings: list[ClaimInputError] = field(default_factory=list)

    def _repr_markdown_(self) -> str:
        return RICH_DISPLAY["markdown"](self)

    def _repr_html_(self) -> str:
        return RICH_DISPLAY["html"](self)


def bundled_papers() -> list[Path]:
    """The claim files shipped in the repository's papers/ folder."""
    root = Path(__file__).resolve().parent.parent / "papers"
    return sorted(root.glob("*.claims.toml"))


def check_file(source: str | Path | ClaimFile, *,
               progress: Callable[[Result], None] | None = None,
               only: Iterable[str] | None = None, cache: CacheOption = None,
               derivations: bool = True, forms: bool = True) -> FileResult:
    """Check every claim of a claim file (or the claims named in `only`).

    `cache`: a folder (or ResultCache, or True for the default folder) where results
    are kept between runs and read back when nothing they depend on changed; None
    (the default) checks every claim afresh and keeps nothing. `derivations` as for
    `check_claim`; with `forms` False, results read from the cache come without the
    SymPy forms only renderers of math use (`normalized_tree`, `closed_forms`)."""
    cf = source if isinstance(source, ClaimFile) else loader.load(source)
    store = open_cache(cache)
    out = FileResult(cf.theory, errors=list(cf.errors), warnings=list(cf.warnings))
    wanted = set(only) if only is not None else None
    for claim in cf.claims:
        if wanted is not None and claim.id not in wanted:
            continue
        result = (cached(claim, cf.theory, store, derivations=derivations, forms=forms)
                  or check_claim(claim, cf.theory, derivations=derivations, cache=store, looked_up=True))
        out.results.append(result)
        if progress is not None:
            progress(result)
    out.tables = tabulate(cf, out.results)
    return out


def default_jobs() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_files(sources: Iterable[str | Path], *, jobs: int = 1,
                progress: Callable[[Result], None] | None = None, cache: CacheOption = None,
                executor: Executor | None = None, derivations: bool = True,
                forms: bool = True) -> list[tuple[Path, FileResult | ClaimInputError]]:
    """Check every claim of every file, with `jobs` processes in parallel over claims,
    or on `executor` (any concurrent.futures.Executor, such as a Dask cluster's: see
    lawproof.cli.cluster) when one is given.

    Each source gives its FileResult, or the ClaimInputError that stopped its loading.
    Results and `progress` calls come in file and claim order, as in a serial run: a
    claim's verdict and evidence do not depend on which process checks it or on what it
    checked before (z3 contexts are per query, budgets count work). A worker gets the
    file's text, not its path, so it need not see this machine's files. `cache`,
    `derivations` and `forms` as for `check_file`; results are read from and kept in
    the cache here only, never by the workers (the workers of the local pool keep
    derived values there too)."""
    loaded: list[tuple[Path, ClaimFile | ClaimInputError, str]] = []
    for source in sources:
        try:
            text = loader.read(source)
            loaded.append((Path(source), loader.loads(text, str(Path(source))), text))
        except ClaimInputError as e:
            loaded.append((Path(source), e, ""))
    store = open_cache(cache)
    if executor is None and jobs <= 1:
        done = [(path, cf if isinstance(cf, ClaimInputError) else
                 check_file(cf, progress=progress, cache=store, derivations=derivations, forms=forms))
                for path, cf, _ in loaded]
        if store is not None:
            store.prune_if_grown()
        return done
    out: list[tuple[Path, FileResult | ClaimInputError]] = []
    # this machine's workers keep derived values in the cache folder too; a cluster's
    # workers may not see it
    folder = str(store.directory) if store is not None and executor is None else None
    with contextlib.ExitStack() as stack:
        if executor is None:
            # the local pool forks its workers from this process at the first submission:
            # they find the files parsed here and need not parse them again
            parsed = {_file_key(text, str(path)): cf for path, cf, text in loaded
                      if not isinstance(cf, ClaimInputError)}
            _WORKER_FILES.update(parsed)
            stack.callback(lambda: [_WORKER_FILES.pop(key, None) for key in parsed])
            executor = stack.enter_context(_process_pool(jobs))
        slots: dict[int, list[Result | None]] = {}
        tasks: list[tuple[int, tuple[int, ...], str, str]] = []
        for path, cf, text in loaded:
            if isinstance(cf, ClaimInputError):
                continue
            slots[id(cf)] = [cached(claim, cf.theory, store, derivations=derivations, forms=forms)
                             for claim in cf.claims]
            todo = [k for k, hit in enumerate(slots[id(cf)]) if hit is None]
            tasks += [(id(cf), group, text, str(path)) for group in _claim_groups(cf, todo)]
        # the largest tasks first: one started last would end last, alone
        tasks.sort(key=lambda t: -len(t[1]))
        futures = {}
        for file, group, text, name in tasks:
            future = executor.submit(_check_in_worker, text, name, group, derivations, folder)
            futures.update({(file, k): (future, i) for i, k in enumerate(group)})
        for path, cf, _ in loaded:
            if isinstance(cf, ClaimInputError):
                out.append((path, cf))
                continue
            fr = FileResult(cf.theory, errors=list(cf.errors), warnings=list(cf.warnings))
            for k, (claim, done) in enumerate(zip(cf.claims, slots[id(cf)])):
                if done is None:
                    future, i = futures[(id(cf), k)]
                    theirs, checked = _from_worker(future.result())
                    done, keepable = checked[i]
                    # a worker on another machine (another Python build) computed it
                    if store is not None and keepable and theirs == environment():
                        _keep(claim, cf.theory, done, store, derivations)
                fr.results.append(done)
                if progress is not None:
                    progress(done)
            fr.tables = tabulate(cf, fr.results)
            out.append((path, fr))
    if store is not None:
        store.prune_if_grown()
    return out


def _process_pool(jobs: int) -> Executor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


#: Claim files a worker has loaded (or, for the local pool, its parent), by path and a
#: digest of their text.
_WORKER_FILES: dict[tuple[str, str], ClaimFile] = {}


def _file_key(text: str, path: str) -> tuple[str, str]:
    return path, hashlib.sha256(text.encode()).hexdigest()


def _claim_groups(cf: ClaimFile, todo: list[int]) -> list[tuple[int, ...]]:
    """The claims `todo` (indices into `cf.claims`) as tasks for the workers. Claims that
    use a derived definition (solve, argmin, argmax: SymPy's costliest work, which a
    process does once and keeps) go together, one task per connected set of such
    definitions, so that one process derives each; every other claim is a task of its
    own. Only the speed depends on the grouping: a claim's result does not depend on
    which process checks it, or on what it checked before."""
    derived = {name for name, d in cf.theory.definitions.items() if d.body.has(Derived)}
    groups: list[tuple[set[str], list[int]]] = []
    singles: list[tuple[int, ...]] = []
    for k in todo:
        uses = names_used(cf.claims[k], cf.theory) & derived
        if not uses:
            singles.append((k,))
            continue
        joined = [g for g in groups if g[0] & uses]
        groups = [g for g in groups if not g[0] & uses]
        groups.append((uses.union(*(g[0] for g in joined)), sorted([k, *(i for g in joined for i in g[1])])))
    return sorted(tuple(members) for _, members in groups) + singles


def _from_worker(reply: object) -> tuple[str, list[tuple[Result, bool]]]:
    """A reply of `_check_in_worker`; LawproofError when the worker runs another lawproof
    than this process (another environment, or a reply of another shape: an older
    lawproof's): its verdicts are not this installation's. A long-lived Dask worker
    keeps the lawproof it imported when it started."""
    if not (isinstance(reply, tuple) and len(reply) == 2 and isinstance(reply[0], str) and same_lawproof(reply[0])):
        raise LawproofError("the cluster's workers run another lawproof than this one (its source, or a "
                            "version of SymPy, mpmath, z3, python-flint, lark or numpy, differs), so their "
                            "verdicts may not be this installation's: install the same lawproof on the "
                            "workers and restart them (a worker keeps the lawproof it started with)")
    return cast(tuple[str, list[tuple[Result, bool]]], reply)


def _check_in_worker(text: str, path: str, indices: tuple[int, ...], derivations: bool,
                     folder: str | None = None) -> tuple[str, list[tuple[Result, bool]]]:
    """Check the claims `indices` of the claim file `text` (read from `path`), keeping
    derived values in the cache `folder` when one is given. Returns this installation's
    environment (lawproof.cache.environment) and each result with whether a cache may
    keep it."""
    # first: the digest of lawproof's source files read as near as a task can to when
    # this process imported them (a file edited since is another lawproof than the one
    # running; a worker that read it before the edit is refused by the caller)
    ours = environment()
    key = _file_key(text, path)
    # One claim at a time per process: a Dask worker runs tasks on several threads, and
    # the engine is not thread-safe (two claims checked at once on threads of one process
    # gave another SMT-LIB2 artifact in the suite; SymPy's cache is shared)
    with _WORKER_LOCK:
        cf = _WORKER_FILES.get(key)
        if cf is None:
            if len(_WORKER_FILES) > 64:  # a long-lived cluster worker: keep recent files only
                _WORKER_FILES.clear()
            cf = _WORKER_FILES[key] = loader.loads(text, path)
        with keeping_derivations(ResultCache(folder).derivations() if folder else None):
            checked = [_checked(cf.claims[k], cf.theory, derivations) for k in indices]
    return ours, checked


_WORKER_LOCK = threading.Lock()


def cached(claim: Claim, theory: Theory, cache: ResultCache | None, *, derivations: bool = True,
           forms: bool = True) -> Result | None:
    """The result `cache` holds for checking `claim` (None: not there, or no cache);
    with `forms` False without its `normalized_tree` and `closed_forms` (faster).
    Without `derivations`, a result kept with them serves too (same verdict, more evidence)."""
    if cache is None or not _cacheable(claim):
        return None
    start = time.perf_counter()
    hit = None
    for with_derivations in dict.fromkeys((derivations, True)):
        key = claim_key(claim, theory, derivations=with_derivations)
        hit = cache.get(key, forms=forms) if key is not None else None
        if hit is not None:
            break
    if hit is not None:
        # the same claim (same text, same names): its trees are the stored ones
        hit.formula_tree, hit.assume_tree = claim.formula, claim.assume
        hit.seconds = time.perf_counter() - start  # this run's time: the lookup
    return hit


def _cacheable(claim: Claim) -> bool:
    # input errors and undeclared checks cost nothing to redo
    return claim.error is None and claim.check


def _keep(claim: Claim, theory: Theory, result: Result, cache: ResultCache, derivations: bool = True) -> None:
    key = claim_key(claim, theory, derivations=derivations) if _cacheable(claim) else None
    if key is not None:
        cache.put(key, result)


def check_claim(claim: Claim, theory: Theory, *, derivations: bool = True,
                cache: ResultCache | None = None, looked_up: bool = False) -> Result:
    """Check one claim and return its verdict with evidence.

    With `derivations` False the evidence leaves out what only a report shows (the
    closed forms behind optimality statements, derived regions, the SMT-LIB2 artifact);
    the verdict, its method and its counterexample are the same. With a `cache`, a result kept there
    for the same inputs is returned instead, and a new result is kept there (unless
    it is an error or a safety net fired: those may not recur), with the derived values
    it needed; `looked_up` says the caller already looked there."""
    hit = None if looked_up else cached(claim, theory, cache, derivations=derivations)
    if hit is not None:
        return hit
    with keeping_derivations(cache.derivations() if cache is not None else None):
        result, keepable = _checked(claim, theory, derivations)
    if cache is not None and keepable:
        _keep(claim, theory, result, cache, derivations)
    return result


def _checked(claim: Claim, theory: Theory, derivations: bool) -> tuple[Result, bool]:
    """The claim's result, and whether a cache may keep it: not an error (which may
    come from a bug or a backend's failure), and no safety net fired (its result
    depends on the machine). A claim stopped at its limit is kept: the limit counts
    CPU seconds, which other work on the machine changes little, and its evidence says
    nothing else, so a warm run need not spend the limit again (a new `timeout` is a new
    key; near the limit the first run's outcome is kept, docs/budgets.md).

    The claim's `timeout` is also the CPU seconds its whole check may take (its
    ClaimLimit): the verdict's checks first, then the evidence only reports show, with
    what is left."""
    start = time.perf_counter()
    base = dict(paper=theory.id, claim=claim.id, expect=claim.expect, says=claim.says,
                where=claim.where, formula=claim.text if not claim.assume_text
                else f"({claim.assume_text}) -> ({claim.text})",
                formula_tree=claim.formula, assume_tree=claim.assume)
    if claim.error is not None:
        return Result(verdict="error", method="input", seconds=0.0, message=str(claim.error),
                      trace=claim.error.trace, **base), False
    if not claim.check:
        return Result(verdict="not-checkable", method="declared by the file", seconds=0.0,
                      reason=claim.reason, **base), False
    limit = ClaimLimit(claim.timeout)
    left_out: list[str] = []
    with watching() as fired:
        try:
            # the SMT-LIB2 artifacts are for reports, like the evidence added below
            with limit.active(), printing_artifacts(derivations):
                result, reportable = _check(claim, theory, base)
            if derivations and reportable and not fired:
                left_out = _add_report_evidence(result, claim, theory, limit)
        except ClaimInputError as e:
            result = Result(verdict="error", method="input", seconds=0.0,
                            message=str(e.located(file=theory.path, claim=claim.id)), **base)
        except SafetyNetHit as e:
            record(str(e))  # recorded where it fired already (a watcher keeps one of each)
            result = Result(verdict="unknown", method="", seconds=0.0, **base)  # no method reached an end
        except TooLarge as e:
            # a value beyond the magnitudes numeric evaluation builds (exp(10^6) at a sampled
            # point, in an interval box): no method may go on with it, and none decided
            result = Result(verdict="unknown", method="none", seconds=0.0,
                            message=f"{e}: left undecided; state the claim for a rescaled quantity "
                                    "(its logarithm) instead", **base)
            result.evidence.tried.append(f"numeric evaluation: {e}")
        except Exception as e:  # noqa: BLE001
            # A failure inside a backend (or a bug of lawproof: AttributeError, IndexError,
            # SymPy's GeneratorsError, ...) is reported on this claim; the others still run.
            result = _declined(e, base) or Result(verdict="error", method="internal", seconds=0.0,
                                                  message=f"{type(e).__name__}: {e}",
                                                  trace="".join(traceback.format_exception(e)), **base)
    if fired:
        result = _safety_net_fired(result, fired, limit)
    result.seconds = time.perf_counter() - start
    only_the_limit = all(what.startswith(LIMIT_MESSAGE) for what in fired)
    return result, only_the_limit and not left_out and result.verdict != "error"


def _add_report_evidence(result: Result, claim: Claim, theory: Theory, limit: ClaimLimit) -> list[str]:
    """Add the closed forms behind the claim's optimality statements and its derived
    region, which only reports show, computed after the verdict with what is left of the
    claim's limit. If that runs out they are left out with a note; the verdict stands
    (it does not use them). Returns what cut them short (empty: nothing)."""
    with watching(isolated=True) as cut:
        try:
            with limit.active(REPORT_EVIDENCE_CUT.removesuffix(" left out")):
                closed_forms = _derivations(claim, theory)
                lines = [(w, sympy.sstr(e)) for w, e in closed_forms]
                if claim.region is not None:
                    lines.extend(region_evidence(claim, theory))
        except SafetyNetHit as e:
            cut = cut or [str(e)]
    ev = result.evidence
    if cut:
        ev.tried.append(f"{REPORT_EVIDENCE_CUT}: " + "; ".join(cut))
    else:
        ev.closed_forms = closed_forms
        ev.derivation[:0] = lines
    return cut


def _declined(e: Exception, base: dict) -> Result | None:
    """An unknown verdict when SymPy's own code declined a case (NotImplementedError:
    "Result depends on the sign of -sign(log(E))"): what it could not do decides
    nothing, so the claim is undecided, not an internal error. None otherwise."""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if not (isinstance(e, NotImplementedError) and tb is not None
            and "sympy" in Path(tb.tb_frame.f_code.co_filename).parts):
        return None
    said = textwrap.shorten(str(e), 160)
    result = Result(verdict="unknown", method="none", seconds=0.0,
                    message=f"SymPy cannot carry out a step this claim needs ({said}); left undecided: "
                            "give the symbols narrower domains, or state that step's result as a definition",
                    **base)
    result.evidence.tried.append(f"SymPy: NotImplementedError: {said}")
    return result


def _safety_net_fired(result: Result, fired: list[str], limit: ClaimLimit) -> Result:
    """A safety net, or the claim's limit, cut something short while the claim was
    checked: what came after depends on the machine, so the claim is unknown, and the
    evidence says what ran past which net (docs/budgets.md). When the claim's limit
    ended it, even what ran when, and what had finished by then, depend on the
    machine's speed: the evidence then says only that the limit ran out, so that
    reports stay the same from run to run."""
    ev = result.evidence
    ev.counterexample, ev.witnesses, ev.values, ev.instances, ev.artifact = {}, [], [], [], ""
    ev.functions = {}
    if any(what.startswith(LIMIT_MESSAGE) for what in fired):
        ev.tried, ev.chain = [f"the claim's limit of {limit.seconds:g} CPU seconds ran out"], []
        result.verdict, result.method = "unknown", f"stopped at its limit of {limit.seconds:g} CPU seconds"
        result.message = (f"the claim's limit of {limit.seconds:g} CPU seconds ran out before a method "
                          "decided it: raise its timeout or simplify it")
        return result
    ev.tried.extend(f"safety net: {what}" for what in fired)
    if result.verdict != "unknown":
        ev.tried.append(f"the verdict reached past the safety net ({result.verdict}"
                        + (f": {result.message}" if result.message else "") + ") is not given")
    result.verdict = "unknown"
    result.method = "stopped by a safety net" + (f" ({result.method})" if result.method else "")
    result.message = (f"a safety net fired ({'; '.join(fired)}); the result would depend on the machine's "
                      "speed and load, so the claim is left undecided: raise its timeout or simplify it")
    return result


def _domains(theory: Theory) -> dict[sympy.Symbol, Domain]:
    return {s.symbol: s.domain for s in theory.symbols.values()}


def _text(values: dict[sympy.Symbol, Fraction]) -> dict[str, str]:
    return {s.name: str(v) for s, v in sorted(values.items(), key=lambda kv: kv[0].name)}


def _check(claim: Claim, theory: Theory, base: dict) -> tuple[Result, bool]:
    """The claim's verdict, and whether reports may show closed forms and a derived
    region beside it (`_add_report_evidence`)."""
    domains = _domains(theory)
    if _mentions_functions(claim, theory):
        plain = normalize(claim, theory, seconds=claim.timeout)
        if uses_functions(plain, theory.functions):
            _domains_hold_a_point(plain, claim.formula, domains)
            return _check_functional(plain, claim, theory, base, domains), False
    normalized, kkt = kkt_normalize(claim, theory, domains)  # certified optima in first-order form
    _domains_hold_a_point(kkt.original or normalized, claim.formula, domains)
    if any(e.has(Optimal) for node in normalized.walk() for e in node.exprs()):
        return _check_implicit_optima(normalized, claim, base, domains), False
    ev = Evidence(derivation=list(kkt.evidence()))
    ev.tried.extend(kkt.notes())
    return _decide(normalized, kkt, claim, base, domains, ev), True


#: z3's budget for telling whether declared domains with symbolic bounds hold a point
#: together (`_domains_hold_a_point`): a handful of linear or low-degree constraints.
EMPTY_DOMAINS_RLIMIT = 200_000


def _domains_hold_a_point(normalized: Formula, written: Formula | None,
                          domains: dict[sympy.Symbol, Domain]) -> None:
    """Raise ClaimInputError when the declared domains of the symbols the claim reaches
    hold no point together (`q` in `[p + 1, p]`), or when a binder of the claim as
    `written` has a domain that holds no point for any value of the symbols around it
    (`forall e: ...` with `e` declared so, or `forall y in [p + 1, p]: ...`): the spec
    makes an empty domain an input error, and over one every claim holds vacuously
    (`q <= -100` and `forall e: e <= -100` were proved). Binders that normalizing adds
    are not asked, nor those over the range of an integral or sum (`_ranges`). The loader
    checks numeric bounds; only symbolic ones are asked here, by z3 within a count."""
    symbols = claim_symbols(normalized, domains) | (claim_symbols(written, domains) if written is not None else set())
    reached = sorted((s for s in symbols if s in domains), key=lambda s: s.name)
    outer = [(s, domains[s]) for s in reached]
    if any(d.free_symbols for _, d in outer):
        _hold_a_point(outer, "the domains of " + ", ".join(f"{s.name} {d}" for s, d in outer)
                      + " hold no point together")
    ranges = _ranges(written) if written is not None else set()
    for around, (symbol, domain) in _binders_in_context(written) if written is not None else ():
        if domain.free_symbols and (symbol.name, domain.lo, domain.hi) not in ranges:
            _hold_a_point(outer + around + [(symbol, domain)],
                          f"the domain {domain} of the bound {symbol.name} holds no point for any value of "
                          + ", ".join(sorted({s.name for s in domain.free_symbols})))


def _binders_in_context(f: Formula, around: tuple = ()):
    """Each binder of a quantifier in `f` with the binders around it (outer first, the
    earlier ones of its own quantifier included), as (symbol, domain) pairs."""
    if isinstance(f, (Quantified, Optimum)):
        for b in f.binders:
            yield list(around), (b.symbol, b.domain)
            around += ((b.symbol, b.domain),)
    for child in f.children():
        yield from _binders_in_context(child, around)


def _ranges(f: Formula) -> set[tuple[str, sympy.Expr, sympy.Expr]]:
    """The variable's name and the ends of every integral and sum in `f`. The parser
    states the definedness of their terms by a quantifier over that range, of a variable
    of that name, which may rightly be empty (an integral over [s, s] is 0 whatever its
    integrand does inside (s, s))."""
    ends = {(var.name, lo, hi) for node in f.walk() for e in node.exprs()
            for calc in e.atoms(sympy.Integral, sympy.Sum) for var, lo, hi in calc.limits}
    # an integral's variable ranges between its ends in either order (parser._between)
    return ends | {(v, hi, lo) for v, lo, hi in ends} | {(v, sympy.Min(lo, hi), sympy.Max(lo, hi))
                                                         for v, lo, hi in ends}


#: Exact sample points tried for a point of domains that z3 cannot decide (bounds with
#: exp, sin, ...) before the domains count as empty (`_hold_a_point`).
EMPTY_DOMAINS_POINTS = 64


def _hold_a_point(symbols: list[tuple[sympy.Symbol, Domain]], empty: str) -> None:
    """Raise ClaimInputError (saying `empty`) when no values of `symbols` lie in their
    domains together: z3 proves it within EMPTY_DOMAINS_RLIMIT, or, where z3 cannot
    decide (bounds beyond polynomials: `[exp(p), exp(p) - 1]` held none and its claims were
    proved vacuously), none of EMPTY_DOMAINS_POINTS exact sample points lies in them all."""
    inside = conj([Atom(op, lo, hi) for s, d in symbols for op, lo, hi in d.constraints(s)])
    anywhere = {s: Domain(-sympy.oo, sympy.oo, True, True) for s, _ in symbols}
    try:
        status = decide(Not(inside), anywhere, rlimit=EMPTY_DOMAINS_RLIMIT, shrink=False, artifact=False).status
    except OutsideFragment:
        status = "unknown"
    if status == "refuted":
        return
    if status == "unknown":
        try:
            samples = numeric.points([s for s, _ in symbols], dict(symbols), EMPTY_DOMAINS_POINTS)
        except ValueError:  # a bound no sample can evaluate: nothing is said
            return
        if any(_exactly_true(inside, p) for p in samples):
            return
        empty += " (or z3 could not decide whether they do, and no exact sample point lies in them)"
    raise ClaimInputError(f"{empty}, so the claim would be vacuous (an empty domain)",
                          fix="give the symbols domains that are not empty")


def _exactly_true(f: Formula, point: dict) -> bool:
    """Is `f` true at `point`, exactly? (False where exact arithmetic cannot tell.)"""
    try:
        return exact_truth(f, point) is True
    except (Undefined, Unsupported, Undecided, TooLarge, ValueError):
        return False


def _decide(normalized: Formula, kkt: KktReport, claim: Claim, base: dict, domains: dict[sympy.Symbol, Domain],
            ev: Evidence) -> Result:
    """The verdict of a claim in normal form, by the sound methods in turn, then sampling."""

    def result(verdict: str, method: str, message: str = "") -> Result:
        return Result(verdict=verdict, method=kkt.label(method), seconds=0.0, normalized=to_text(normalized),
                      normalized_tree=normalized,
                      message=message, evidence=ev, **base)

    def proved(proved_by: str) -> Result:
        # a proof on the first-order (KKT) form is checked against the claim as written
        if kkt.reduced and kkt.original is not None and _violates_quantified_form(kkt.original, domains, claim, ev):
            return result("error", f"{proved_by} vs sampling of the quantified form",
                          "the proof on the first-order (KKT) form and an exactly re-checked sample of the claim "
                          "as written disagree: a bug in the convexity certificate or the reduction; report it")
        return result("proved", proved_by)

    decided = _decide_closed(normalized, claim, ev)
    if decided is not None:
        return proved(decided[1]) if decided[0] == "proved" else result(*decided)
    # the cheap SymPy steps first, then z3, then the costly steps if z3 did not decide
    proved_by, undecided = _prove_identity(normalized, domains, claim, ev, steps=QUICK_STEPS)
    smt = None
    if proved_by is None:
        try:
            smt = decide_reduced(normalized, kkt, domains, timeout=claim.timeout)
            ev.tried.append(f"SMT (z3): {smt.status} - {smt.detail} [{smt.seconds:.3f} s]")
        except OutsideFragment as e:
            ev.tried.append(f"SMT (z3): not applicable - {e}")
        if smt is not None and smt.status == "proved":
            proved_by, ev.artifact = _smt_method(normalized, "SMT (z3)"), smt.smt2
    if undecided and (smt is None or smt.status == "unknown"):
        proved_by, _ = _prove_identity(normalized, domains, claim, ev)

    if smt is not None and smt.status == "refuted":
        try:
            problem, inner = _confirm_counterexample(smt, domains, claim, ev)
        except _Unconfirmed as e:
            # not two sound methods disagreeing: sampling cannot find a witness such as
            # t = 1/3 of an inner `exists`, so the second opinion is missing, not contrary
            ev.counterexample, ev.witnesses, ev.values, ev.instances = {}, [], [], []
            return result("unknown", "SMT (z3)", str(e))
        if problem and smt.irrational:
            near_point = _rational_near(normalized, smt, domains, claim, ev)
            if near_point is not None:
                return result("refuted", "SMT (z3) model rounded to a rational point, re-checked exactly")
            # not a disagreement: z3's point is exact but irrational, ours only approximates it
            near = ", ".join(f"{s.name} ≈ {_near(v)}" for s, v in smt.values.items())
            ev.counterexample, ev.witnesses, ev.values = {}, [], []
            return result("unknown", "SMT (z3)",
                          "z3 finds the claim false, but only at irrational algebraic values of "
                          f"{', '.join(s.name for s in smt.irrational)} (near {near}); lawproof refutes "
                          "a claim only with an exact rational counterexample")
        if problem and inner:
            # the closed sentence is false by z3, but at every value tried for its outer
            # variables the inner witnesses are irrational: no exact instance to show
            ev.counterexample, ev.witnesses, ev.values, ev.instances = {}, [], [], []
            return result("unknown", "SMT (z3)",
                          "z3 finds the closed claim false, but at the values tried for its outer "
                          f"variables ({'; '.join(inner)}) the inner witnesses are irrational "
                          "algebraic numbers; lawproof refutes a claim only with an exact rational "
                          "counterexample")
        if problem:
            return result("error", "SMT (z3) vs exact re-check", problem)
        if ev.instances:
            return result("refuted", "SMT (z3) on the closed sentence; instances re-checked exactly")
        return result("refuted", _smt_method(normalized, "SMT (z3) counterexample, re-checked exactly"))

    if proved_by is None:
        proved_by, refuted_by = _prove_beyond_smt(normalized, domains, claim, ev)
        if refuted_by:
            return result("refuted", refuted_by)

    if proved_by and kkt.reduced and kkt.original is not None:
        return proved(proved_by)  # sampled as written, not on the first-order form the proof used
    points = CROSS_CHECK_POINTS if proved_by else SEARCH_POINTS
    try:
        # a fixed number of points, no deadline: the report must not depend on machine speed
        with running("sampling"):
            report = search(normalized, domains, points)
    except (ValueError, TypeError) as e:
        # a term the numeric layer cannot evaluate: the claim stays undecided
        ev.tried.append(f"sampling: not applicable - {e}")
        if proved_by:
            return proved(proved_by)
        return result("unknown", "none", "no method could evaluate the claim")
    _note_samples(report, ev)
    confirmed = None
    if report.violation is not None:
        confirmed = _confirm_point(normalized, report.violation, domains, claim, ev)
    if proved_by and confirmed:
        return result("error", f"{proved_by} vs sampling",
                      "the proof and an exactly re-checked sample disagree: a bug in lawproof or an encoding")
    if proved_by:
        return proved(proved_by)
    if confirmed:
        return result("refuted", "sampling, re-checked exactly")
    if report.violation is not None:
        return result("unknown", "sampling",
                      "a point violates the claim at 50 digits but could not be confirmed exactly")
    if report.count == 0:
        return result("unknown", "none", "no method could evaluate the claim")
    return result("consistent", "sampling")


def _mentions_functions(claim: Claim, theory: Theory) -> bool:
    """Does the claim call a function symbol, directly or through its definitions?
    (Read from the parsed claim, so the other claims of a file cost nothing more.)"""
    if not theory.functions:
        return False
    names = set(theory.functions)
    grew = True
    while grew:  # the definitions that call a function symbol, directly or not
        grew = False
        for name, d in theory.definitions.items():
            if name not in names and any(a.func.__name__ in names for a in d.body.atoms(AppliedUndef)):
                names.add(name)
                grew = True
    parts = [f for f in (claim.formula, claim.assume) if f is not None]
    return any(a.func.__name__ in names for f in parts for node in f.walk() for e in node.exprs()
               for a in e.atoms(AppliedUndef))


def _check_implicit_optima(normalized: Formula, claim: Claim, base: dict, domains: dict) -> Result:
    """A claim about optimizers without closed form (`argmin(f, x)`, its derivatives by
    the implicit function theorem). Each optimizer becomes a variable x* with
    f_x(x*) = 0 inside the domain of x; the claim so stated is decided, and counts only
    with two conditions proved for every parameter value: f is strictly convex in x on
    the domain (concave for argmax), so a stationary point is the unique optimum and
    f_xx != 0 there (the implicit function theorem applies); and an interior
    stationary point exists. A counterexample is then an exact parameter value with its
    certified optimizer."""
    ev = Evidence()

    def result(verdict: str, method: str, message: str = "") -> Result:
        return Result(verdict=verdict, method=method, seconds=0.0, normalized=to_text(normalized),
                      normalized_tree=normalized, message=message, evidence=ev, **base)

    nodes = sorted({t for node in normalized.walk() for e in node.exprs() for t in e.atoms(Optimal)}, key=str)
    bound = {b.symbol for node in normalized.walk() if isinstance(node, Quantified) for b in node.binders}
    if any(n.free_symbols & bound for n in nodes):
        return result("unknown", "none", "an optimizer without closed form depends on a quantified variable")
    sub: dict = {}
    hyps: list[Formula] = []
    scope = dict(domains)
    conditions: list[tuple[str, Formula, dict]] = []
    for k, node in enumerate(nodes, 1):
        f, x, kind = node.args
        dom = domain_of(x, domains)
        if dom is None or dom.integer:
            return result("unknown", "none", f"{sympy.sstr(node)}: the variable {x} needs a real interval "
                          "(a first-order condition says nothing of an integer optimum)")
        # a Bound equals only itself: a file symbol named x_opt cannot capture it
        star = Bound(f"{x.name}_opt{k}" if len(nodes) > 1 else f"{x.name}_opt", Domain(-sympy.oo, sympy.oo, True, True))
        fx, fxx = sympy.diff(f, x), sympy.diff(f, x, 2)
        interior = [Atom("<", lo, hi) for _, lo, hi in dom.constraints(star)]
        hyps += interior + [Atom("=", fx.xreplace({x: star}), sympy.Integer(0))]
        sub[node], scope[star] = star, Domain(-sympy.oo, sympy.oo, True, True)
        inner = Bound(x.name, Domain(dom.lo, dom.hi, True, True))
        word = "convex" if kind == 1 else "concave"
        conditions.append((f"{sympy.sstr(f)} is strictly {word} in {x} on {dom}",
                           Atom(">", kind * fxx, sympy.Integer(0)), {**domains, x: dom}))
        conditions.append((f"{sympy.sstr(fx)} = 0 has a solution {x} in the interior of {dom}",
                           Quantified("exists", (Binder(inner, inner.domain),),
                                      Atom("=", fx.xreplace({x: inner}), sympy.Integer(0))), domains))
        ev.derivation.append((f"{sympy.sstr(node)}", f"{star}: the solution of {sympy.sstr(fx)} = 0 inside {dom}; "
                              f"d{star}/d(parameter) = -f_x,parameter / f_xx (implicit function theorem)"))
    for what, condition, doms in conditions:
        side = Evidence()
        proved = _proved(condition, doms, claim, side)
        ev.tried.extend(f"condition ({what}): {t}" for t in side.tried)
        if not proved:
            return result("unknown", "none", f"the condition '{what}' was not proved; without it the "
                          "optimizer's first-order characterization is not certified")
        ev.derivation.append(("condition proved", what))
    stated = Implies(conj(hyps), normalized.map_exprs(lambda e: e.xreplace(sub)))
    try:
        smt = decide(stated, scope, timeout=claim.timeout)
    except OutsideFragment as e:
        ev.tried.append(f"SMT (z3): not applicable - {e}")
        proved_by, _ = _prove_beyond_smt(stated, scope, claim, ev)
        if proved_by:
            return result("proved", f"{proved_by} on the first-order condition (implicit function theorem)")
        return result("unknown", "none", "no method decided the claim stated at the first-order condition")
    ev.tried.append(f"SMT (z3) on the first-order condition: {smt.status} - {smt.detail} [{smt.seconds:.3f} s]")
    method = "SMT (z3) on the first-order condition (implicit function theorem)"
    if smt.status == "proved":
        ev.artifact = smt.smt2
        return result("proved", method)
    if smt.status == "refuted" and not smt.irrational:
        check = recheck(nnf(Not(stated)), smt.values)
        if check.exact is True and check.digits50 and not _outside(smt.values, scope):
            ev.counterexample, ev.values = _text(smt.values), check.values
            ev.tried.append("counterexample: exact parameters with their optimizer (an exact stationary point, "
                            "unique and optimal by the conditions proved), re-checked exactly and at 50 digits")
            return result("refuted", method + ", counterexample re-checked exactly")
    return result("unknown", "SMT (z3)", "no exact counterexample at a certified optimum")


def _proved(f: Formula, domains: dict, claim: Claim, ev: Evidence) -> bool:
    """Is `f` proved over `domains`, by SMT or the methods beyond it?"""
    try:
        smt = decide(f, domains, timeout=claim.timeout, shrink=False)
    except OutsideFragment as e:
        ev.tried.append(f"SMT (z3): not applicable - {e}")
        return _prove_beyond_smt(f, domains, claim, ev)[0] is not None
    ev.tried.append(f"SMT (z3): {smt.status} - {smt.detail}")
    return smt.status == "proved"


def _check_functional(normalized: Formula, claim: Claim, theory: Theory, base: dict,
                      domains: dict) -> Result:
    """A claim about function symbols: proved when it follows from the shape hypotheses
    instantiated at its terms; refuted only by a concrete function that meets every
    hypothesis on the whole domain and breaks the claim, re-checked exactly."""
    used = sorted({t.func.__name__ for node in normalized.walk() for e in node.exprs()
                   for t in e.atoms(sympy.core.function.AppliedUndef)} & set(theory.functions))
    ev = Evidence(derivation=[("for every function", theory.functions[n].describe()) for n in used])

    def result(verdict: str, method: str, message: str = "") -> Result:
        return Result(verdict=verdict, method=method, seconds=0.0, normalized=to_text(normalized),
                      normalized_tree=normalized, message=message, evidence=ev, **base)

    try:
        ab = abstract(normalized, theory.functions, domains)
    except OutsideFragment as e:
        ev.tried.append(f"function symbols: not abstracted - {e}")
        return result("unknown", "none", f"the claim's function terms cannot be abstracted ({e})")
    ev.tried.append("terms abstracted: " + "; ".join(f"{a.var} = {a.text()}" for a in ab.applications)
                    + f"; {len(ab.hypotheses)} instances of the shape hypotheses")
    method = "SMT (z3), shape hypotheses instantiated at the claim's terms"
    try:
        smt = decide(ab.formula, ab.domains, timeout=claim.timeout)
    except OutsideFragment as e:
        ev.tried.append(f"SMT (z3): not applicable - {e}")
        proved_by, _ = _prove_beyond_smt(ab.formula, ab.domains, claim, ev)
        if proved_by:
            return result("proved", f"{proved_by}, shape hypotheses instantiated at the claim's terms")
        return result("unknown", "none", "no method decided the claim with the hypotheses instantiated")
    ev.tried.append(f"SMT (z3): {smt.status} - {smt.detail} [{smt.seconds:.3f} s]")
    if smt.status == "proved":
        ev.artifact = smt.smt2
        return result("proved", method)
    if smt.status != "refuted":
        return result("unknown", "SMT (z3)", "z3 decided nothing within its budget")
    problem = _function_counterexample(ab, smt, ev, normalized, theory, claim, domains)
    if problem:
        ev.counterexample, ev.values, ev.functions = {}, [], {}
        return result("unknown", "SMT (z3)", "z3 finds values of the function terms that break the claim, "
                      f"but no concrete function with the declared shape was confirmed: {problem}")
    return result("refuted", "SMT (z3) + a concrete function meeting every hypothesis, re-checked exactly")


def _function_counterexample(ab: Abstraction, smt, ev: Evidence, normalized: Formula, theory: Theory,
                             claim: Claim, domains: dict) -> str:
    """Build a concrete function through z3's values, check its shape on the whole
    domain, and re-check the claim with its exact values. Returns '' when the claim is
    refuted (the evidence then holds the point and the functions), else why not.
    Where existentials were instantiated (`ab.exact` False) the re-check is of the
    claim itself with the functions in place, quantifiers and all."""
    if smt.irrational:
        return "the model's values are irrational"
    env = dict(smt.values)
    if any(s not in env for s in free_symbols(ab.matrix)):
        return "the model does not give every value"
    points: dict[str, dict[Fraction, Fraction]] = {}
    slopes: dict[str, dict[Fraction, Fraction]] = {}
    arg_of: dict[sympy.Symbol, Fraction | None] = {}
    for a in ab.applications:
        if len(a.args) > 1:
            return f"{a.fn.name} has several arguments: no counterexample function is built"
        arg_of[a.var] = x = _point_in_domain(a.args[0], a.fn.domains[0], env)
        if x is None or a.var not in env:
            continue  # outside the domain every comparison with the term is false; unused
        table = points if a.slope is None else slopes
        if table.setdefault(a.fn.name, {}).setdefault(x, env[a.var]) != env[a.var]:
            return f"two values of {a.fn.name} at {x}"
    options: dict[str, list] = {}
    for a in ab.applications:
        name = a.fn.name
        if name not in options and (name in points or name in slopes):
            found = concrete_functions(a.fn, points.get(name, {}), slopes.get(name, {}), env)
            if isinstance(found, str):
                return found
            options[name] = found
    problem = "no candidate function"
    for k in range(max((len(v) for v in options.values()), default=1)):
        # the k-th candidate of each function (its last where it has fewer)
        built = {name: found[min(k, len(found) - 1)] for name, found in options.items()}
        problem = _with_candidates(ab, built, dict(env), arg_of, normalized, theory, claim, domains, ev)
        if not problem:
            return ""
    return problem


def _with_candidates(ab: Abstraction, built: dict, env: dict, arg_of: dict, normalized: Formula,
                     theory: Theory, claim: Claim, domains: dict, ev: Evidence) -> str:
    """Re-check the claim with these concrete functions ('' when it is refuted)."""
    for a in ab.applications:
        x = arg_of[a.var]
        if x is None or a.fn.name not in built:
            continue  # outside the domain (comparisons with it are false), or unused
        g = built[a.fn.name]
        value = g(x) if a.slope is None else g.slope_at(x)
        if value is None:
            return f"the function built has a kink at {x}, where the claim uses its derivative"
        env[a.var] = value
    functions = {f"{name}(t)": g.text() for name, g in built.items()}
    if not ab.exact:
        if any(a.slope is not None for a in ab.applications):
            return "the claim differentiates a function under an instantiated quantifier"
        ev.tried.append("candidate " + "; ".join(f"{k} = {v}" for k, v in functions.items()) + ":")
        concrete = with_functions(normalized, theory.functions, built)
        point = {s: env[s] for s in free_symbols(concrete)}
        try:
            ok, problem = _recheck_into(nnf(Not(concrete)), point, [], domains, claim, ev)
        except (_Unconfirmed, OutsideFragment) as e:
            return f"the claim with the functions built is not confirmed false ({e})"
        if not ok:
            return problem
        ev.functions = functions
        ev.tried.append("counterexample function checked on the whole domain (exact); the claim, quantifiers "
                        "and all, re-checked with it at the point")
        return ""
    outside = _outside(env, {s: d for s, d in ab.domains.items() if s in free_symbols(ab.matrix)})
    if outside:
        return "z3's point puts " + ", ".join(s.name for s in outside) + " outside its domain"
    check = recheck(nnf(Not(ab.matrix)), env)
    if check.exact is not True or not check.digits50:
        return f"with the function built, the claim is not re-checked false (exact: {check.exact})"
    shown = {s: v for s, v in env.items() if s in free_symbols(ab.matrix)
             and not any(s == a.var for a in ab.applications)}
    ev.counterexample, ev.functions = _text(shown), functions
    ev.values = check.values
    ev.tried.append("counterexample function checked on the whole domain from its slopes (exact); the claim "
                    "re-checked with it: exact rational arithmetic and 50 digits agree")
    return ""


def _point_in_domain(arg: sympy.Expr, domain: Domain, env: dict) -> Fraction | None:
    """The argument's exact rational value at `env` when it lies in `domain`, else None."""
    try:
        x = exact_value(arg, env)
    except (Undefined, Undecided):
        return None
    if not x.is_Rational:
        return None
    inside = conj([Atom(op, lo, hi) for op, lo, hi in domain.constraints(x)])
    return Fraction(int(x.p), int(x.q)) if exact_truth(inside, env) is True else None


def _prove_beyond_smt(normalized: Formula, domains: dict, claim: Claim,
                      ev: Evidence) -> tuple[str | None, str | None]:
    """For what z3 cannot take (exp, log, real powers): exact witnesses of a closed
    claim or of its negation, reductions to the SMT fragment, then log coordinates with
    power atoms (proofs/powers.py), then the interval prover. Returns (method that
    proved the claim, method that refuted it with an exactly re-checked
    counterexample), or (None, None)."""
    witness = find_witness(normalized)
    if witness is not None:
        ev.tried.append(f"certified witness: {witness.text()}")
        ev.chain = ev.chain + [("certified witness", witness.text())]
        return "certified witness (exact evaluation)" if witness.segment is None else \
            "certified witness (sign change, intermediate value theorem)", None
    refuted_by = _certified_counterexample(normalized, domains, claim, ev)
    if refuted_by:
        return None, refuted_by
    reductions = reduce_claim(normalized, domains, numbers=numeric, sign=interval.sign_on)
    for red in reductions:
        try:
            smt = decide(red.formula, red.domains, timeout=claim.timeout)
        except OutsideFragment as e:
            ev.tried.append(f"reduction ({red.name}) + SMT (z3): not applicable - {e}")
            continue
        caveat = "" if red.exact or smt.status != "refuted" else \
            " (the reduced claim is stronger than the claim, so its counterexample is not one)"
        ev.tried.append(f"reduction ({red.name}) + SMT (z3): {smt.status} - {smt.detail}{caveat} "
                        f"[{smt.seconds:.3f} s]")
        method = f"reduction ({red.name}) + SMT (z3)"
        if smt.status == "proved":
            ev.chain = ev.chain + [(f"reduction ({red.name})", step) for step in red.steps]
            ev.artifact = "".join(f"; {step}\n" for step in red.steps) + smt.smt2
            return method, None
        # an equivalent reduction's counterexample is the claim's, once re-checked exactly
        free = claim_symbols(normalized, domains)
        if smt.status == "refuted" and red.exact and set(smt.values) == free and \
                _confirm_point(normalized, smt.values, domains, claim, ev):
            return None, f"{method} counterexample, re-checked exactly"
    # Symbolic exponents in log coordinates: after the reductions (which leave simpler
    # evidence where they suffice), before the interval prover, which cannot bound
    # powers on unbounded domains and spends its whole box budget trying.
    proved_by, refuted_by = _decide_by_powers(normalized, domains, claim, ev)
    if proved_by or refuted_by:
        return proved_by, refuted_by
    # The interval prover, first on reductions over the same variables (simpler atoms: a
    # point where the claim touches at second order can become one of first order; each
    # implies the claim), then on the claim itself, whose violations are the ones
    # re-checked; each gets a share of the time.
    targets = [(red, red.formula) for red in reductions if red.domains.keys() == domains.keys()]
    targets.append((None, normalized))
    searches: dict[int, interval.IntervalResult | OutsideFragment] = {}
    # First under a small budget: a claim it settles there (a strict margin, a violation
    # met at once) cannot gain from the certified bounds below, which pay off only where
    # it splits without end (a tangency); skipping a prover can only lose a proof. The
    # searches that ended are kept: under the whole budget they end the same way.
    mark = len(ev.tried)
    try:
        decided = _interval_targets(targets, domains, claim, ev, searches, EARLY_BOXES)
    except _Unsettled:
        decided = None
    if decided is not None:
        return decided
    del ev.tried[mark:]  # the same lines come again below, in their place
    # The certified bounds' first level before the interval prover's whole budget: it
    # proves a claim tight at a point (a tangency, where the interval prover splits
    # without end) in a fraction of a second. Its net is a quarter of the claim's limit,
    # so that a stall of z3 where its rlimit does not count leaves the interval prover
    # time to refute.
    try:
        with watching(isolated=True) as stall:
            early = _prove_by_bounds(normalized, domains, claim, ev, levels=LEVELS[:1],
                                     net_seconds=claim.timeout / (4 * SAFETY_FACTOR))
    except SafetyNetHit:
        for what in stall:  # the claim's limit ran out: that counts at once
            record(what)
        raise
    if early is not None and early.status == "proved":
        return BOUNDS_METHOD, None
    decided = _interval_targets(targets, domains, claim, ev, searches, INTERVAL_BOXES)
    if decided is not None:
        return decided
    # A stalled first level might have proved the claim on a faster machine; it cannot
    # have refuted it (it only proves), so only now, undecided, does its net count.
    for what in stall:
        record(what)
    if early is None or stall:  # not applicable, or finer bounds would only stall longer
        return None, None
    rest = _prove_by_bounds(normalized, domains, claim, ev, levels=LEVELS[1:])
    return (BOUNDS_METHOD if rest is not None and rest.status == "proved" else None), None


class _Unsettled(Exception):
    """A search of the interval prover ran out of its small first budget."""


def _interval_targets(targets: list[tuple], domains: dict, claim: Claim, ev: Evidence,
                      searches: dict[int, interval.IntervalResult | OutsideFragment],
                      boxes: int) -> tuple[str | None, str | None] | None:
    """The interval prover on each target in turn, with `boxes` boxes each: the first
    proof, or a violation of the claim itself re-checked exactly, decides (the method
    that proved, the method that refuted); None when none does. `searches` holds the
    searches that ended by themselves, by target, reused here; below the whole budget,
    a search that runs out of boxes raises _Unsettled."""
    for k, (red, target) in enumerate(targets):
        method = "interval branch and bound (arb)" + (f" on the reduction ({red.name})" if red else "")
        found = searches.get(k)
        if found is None:
            guard = net(claim.timeout, method)
            with running(method):
                try:
                    with watching(isolated=True) as cut:
                        found = interval.prove(target, domains, max_boxes=boxes, deadline=guard.at)
                except OutsideFragment as e:
                    found = e
                if guard.claim is not None and guard.left() <= 0:
                    # the claim's limit ended it, not the search's own net: only the limit is
                    # said, as when it ends a z3 query (a claim stopped at its limit is kept)
                    guard.fired()
                else:
                    for what in cut:
                        record(what)
            if isinstance(found, OutsideFragment) or not found.stopped:
                searches[k] = found
        if isinstance(found, OutsideFragment):
            ev.tried.append(f"{method}: not applicable - {found}")
            continue
        if found.stopped and boxes < INTERVAL_BOXES:
            raise _Unsettled(method)
        ev.tried.append(f"{method}: {found.status} - {found.detail} [{found.seconds:.3f} s]")
        if found.status == "proved":
            ev.artifact = found.certificate()
            if red is not None:
                ev.chain = ev.chain + [(f"reduction ({red.name})", step) for step in red.steps]
                ev.artifact += "".join(f"reduction step: {step}\n" for step in red.steps)
            return method, None
        if red is None and found.status == "violation" and \
                _confirm_point(found.matrix, found.point, domains, claim, ev):
            return None, "interval branch and bound (arb), violation re-checked exactly"
    return None


BOUNDS_METHOD = "certified polynomial bounds + SMT (z3)"


def _certified_counterexample(normalized: Formula, domains: dict, claim: Claim, ev: Evidence) -> str | None:
    """A closed `forall x in I: body` is false at a point of I where the body fails: the
    witness search (numeric/witness.py) on its negation, `exists x in I: not body`, and
    the point re-checked exactly and at 50 digits like any counterexample. Catches a
    violation at an end of I (`log(x) < 0` at x = 1 of (0, 1]) that the interval
    prover, whose boxes there straddle the tie, never isolates."""
    negation = nnf(Not(normalized))
    witness = find_witness(negation)
    if witness is None or witness.segment is not None or not isinstance(negation, Quantified):
        return None
    inside = conj([Atom(op, lo, hi) for b in negation.binders for op, lo, hi in b.domain.constraints(b.symbol)])
    own = {b.symbol: b.domain for b in negation.binders}
    ok, problem = _recheck_into(conj([inside, negation.body]), witness.point, list(witness.point),
                                {**domains, **own}, claim, ev, own)
    if not ok:
        ev.counterexample, ev.witnesses, ev.values = {}, [], []
        ev.tried.append(f"certified counterexample: {problem}")
        return None
    ev.tried.append("certified counterexample: " + ", ".join(f"{s.name} = {v}" for s, v in witness.point.items())
                    + " (the claim's body fails there exactly)")
    return "certified counterexample (witness of the negation), re-checked exactly"


def _prove_by_bounds(normalized: Formula, domains: dict, claim: Claim, ev: Evidence,
                     levels: tuple = LEVELS, net_seconds: float | None = None) -> BoundsOutcome | None:
    """The certified-bounds prover (MetiTarski's method) on `levels`: it only proves.
    None when it does not apply; a proof's bounds and artifact go into `ev`."""
    try:
        found = certified_bounds(normalized, domains, timeout=claim.timeout, levels=levels,
                                 net_seconds=net_seconds)
    except OutsideFragment as e:
        ev.tried.append(f"{BOUNDS_METHOD}: not applicable - {e}")
        return None
    ev.tried.append(f"{BOUNDS_METHOD}: {found.status} - {found.detail} [{found.seconds:.3f} s]")
    if found.status == "proved":
        ev.chain = ev.chain + [("certified bound", b) for b in found.bounds]
        ev.artifact = found.artifact()
    return found


def _decide_by_powers(normalized: Formula, domains: dict, claim: Claim,
                      ev: Evidence) -> tuple[str | None, str | None]:
    """Symbolic exponents (power laws): z3 on the claim in log coordinates with power
    atoms (proofs/powers.py). Unsat proves the claim; a model's point refutes it only
    once re-checked exactly. Returns (method that proved, method that refuted)."""
    method = "log coordinates + power atoms + SMT (z3)"
    try:
        found = decide_powers(normalized, domains, timeout=claim.timeout)
    except OutsideFragment as e:
        if is_power_claim(normalized):
            ev.tried.append(f"{method}: not applicable - {e}")
        return None, None
    smt = found.outcome
    ev.tried.append(f"{method}: {smt.status} - {smt.detail} ({found.atoms} log/power variables, "
                    f"{found.facts} facts) [{smt.seconds:.3f} s]")
    if smt.status == "proved":
        ev.chain = ev.chain + [("log coordinates", step) for step in found.steps]
        ev.artifact = "".join(f"; {step}\n" for step in found.steps) + smt.smt2
        return method, None
    if smt.status == "refuted" and set(found.candidate) == claim_symbols(normalized, domains) and \
            _confirm_point(normalized, found.candidate, domains, claim, ev):
        return None, f"{method}: model re-checked exactly"
    return None, None


def _prove_identity(normalized: Formula, domains: dict, claim: Claim, ev: Evidence, *,
                    steps: tuple[str, ...] = tuple(IDENTITY_STEPS)) -> tuple[str | None, bool]:
    """An exact identity proves an equation claim once its definedness is proved too.
    The method that proved it (or None), and whether the claim is equations whose
    difference the SymPy `steps` (of symbolic.identity.STEPS) did not bring to 0."""
    ident = decide_identity(normalized, domains, seconds=claim.timeout, steps=steps)
    if not ident.chain:
        return None, False
    ev.chain = ident.chain
    if not ident.decided:
        ev.tried.append(f"symbolic identity ({', '.join(steps)}): the difference did not simplify to 0; handed on")
        return None, True
    return _identity_defined(ident, domains, claim, ev), False


def _identity_defined(ident: IdentityResult, domains: dict, claim: Claim, ev: Evidence) -> str | None:
    """The method proving a claim whose equations are identities, once the definedness
    of their sides (and the claim's other conjuncts) is proved; None if it is not."""
    try:
        needed = [c for a in ident.identities for side in (a.lhs, a.rhs) for c in definedness(side, domains)]
        needed += ident.others
    except OutsideFragment as e:
        ev.tried.append(f"symbolic identity: holds, but definedness cannot be stated ({e})")
        return None
    if not needed:
        ev.tried.append("symbolic identity: the difference simplifies to 0; both sides defined on the domains")
        return "symbolic identity"
    obligation = conj(needed) if ident.premise is None else Implies(ident.premise, conj(needed))
    try:
        smt = decide(obligation, domains, timeout=claim.timeout, shrink=False)
    except OutsideFragment as e:
        ev.tried.append(f"symbolic identity: holds where defined; definedness not provable by SMT ({e})")
        return _definedness_beyond_smt(obligation, domains, claim, ev)
    ev.tried.append(f"symbolic identity: difference simplifies to 0; definedness {to_text(obligation)}: "
                    f"SMT {smt.status}")
    if smt.status == "proved":
        ev.artifact = smt.smt2
        return "symbolic identity + SMT (definedness)"
    return None


def _definedness_beyond_smt(obligation: Formula, domains: dict, claim: Claim, ev: Evidence) -> str | None:
    """The definedness of an identity's sides where z3 cannot express it (real powers,
    logarithms): the reductions and the interval prover, as for a claim of its own."""
    side = Evidence()
    proved_by, _ = _prove_beyond_smt(obligation, domains, claim, side)
    ev.tried.extend(f"definedness {to_text(obligation)}: {t}" for t in side.tried)
    if proved_by is None:
        return None
    ev.chain = ev.chain + side.chain
    ev.artifact = side.artifact
    return f"symbolic identity + {proved_by} (definedness)"


#: Denominators tried for rational points near an irrational z3 model.
NEAR_DENOMINATORS = (1, 2, 10, 100, 10 ** 4, 10 ** 8, 10 ** 16)


def _rational_near(normalized: Formula, smt, domains: dict, claim: Claim, ev: Evidence) -> dict | None:
    """A rational counterexample near z3's irrational one: its irrational coordinates
    replaced by their best approximations with bounded denominators (a fixed list),
    each candidate re-checked exactly like a sampled violation. The point or None."""
    seen = []
    for bound in NEAR_DENOMINATORS:
        point = {s: (v.limit_denominator(bound) if s in smt.irrational else v) for s, v in smt.values.items()}
        if point in seen or set(point) != claim_symbols(normalized, domains) or _outside(point, domains):
            continue
        seen.append(point)
        if _confirm_point(normalized, point, domains, claim, ev):
            ev.witnesses = []
            ev.tried.append("z3's model is irrational; the rational point " + ", ".join(
                f"{s.name} = {v}" for s, v in point.items()) + " near it is a counterexample, re-checked exactly")
            return point
    return None


def _near(v: Fraction) -> str:
    """`v` to 12 significant digits, without floats (which overflow past 1e308)."""
    with mpmath.workdps(30):
        return mpmath.nstr(mpmath.mpf(v.numerator) / v.denominator, 12)


def _confirm_counterexample(smt, domains: dict, claim: Claim, ev: Evidence) -> tuple[str, list[str]]:
    """Re-check z3's counterexample exactly and at 50 digits. Returns a problem or '',
    and, for a closed sentence, the instances left out because z3's inner witnesses
    there are irrational (only approximated here, so no exact counterexample)."""
    if smt.values or not smt.instances:
        ok, problem = _recheck_into(smt.negation, smt.values, smt.witnesses, domains, claim, ev,
                                    smt.witness_domains)
        return ("" if ok else problem), []
    irrational: list[str] = []
    for point, sub in smt.instances:
        record = Evidence()
        # the instance's own symbols range over the closed claim's binders, which may
        # shadow symbols of the theory; their values are taken inside those binders
        own = {s: d for s, d in domains.items() if s not in point}
        ok, problem = _recheck_into(sub.negation, sub.values, sub.witnesses, own, claim, record,
                                    sub.witness_domains)
        if not ok and sub.irrational:
            near = ", ".join(f"{s.name} ≈ {_near(sub.values[s])}" for s in sub.irrational)
            irrational.append(", ".join(f"{k} = {v}" for k, v in _text(point).items()) + f": {near}")
            ev.tried.append(f"instance {_text(point)}: z3's witnesses {near} are irrational; left out")
            continue
        if not ok:
            return problem, irrational
        ev.instances.append({"for": _text(point), "counterexample": record.counterexample,
                             "witnesses": record.witnesses, "values": record.values})
    ev.artifact = smt.smt2
    if ev.instances:
        return "", irrational
    return "the closed sentence is false by z3 but no instance could be exhibited", irrational


def _outside(values: dict, domains: dict) -> list[sympy.Symbol]:
    """The symbols of `values` whose value lies outside their domain in `domains`
    (bounds evaluated exactly at `values`); undecided membership counts as outside."""
    out = []
    for s, domain in domains.items():
        if s in values and exact_truth(conj([Atom(op, lo, hi) for op, lo, hi in domain.constraints(s)]),
                                       values) is not True:
            out.append(s)
    return out


class _Unconfirmed(Exception):
    """A counterexample whose inner quantifiers only z3 decided, and which 50-digit
    sampling of those quantifiers could not confirm: no second opinion, no refutation."""


def _recheck_into(negation: Formula, values: dict, witnesses: list, domains: dict,
                  claim: Claim, ev: Evidence, witness_domains: dict | None = None) -> tuple[bool, str]:
    outside = _outside(values, {s: d for s, d in domains.items() if s not in (witness_domains or {})})
    if outside:
        return False, ("z3's counterexample puts " + ", ".join(f"{s.name} = {values[s]}" for s in outside)
                       + " outside its domain")
    # A witness outside its quantifier's domain witnesses nothing: the disjunct that
    # quantifier guards is false there, so the point is a counterexample without it
    # (the exact re-check below, with the value in place, confirms that).
    stray = _outside(values, witness_domains or {})
    if stray:
        ev.tried.append("witness " + ", ".join(f"{s.name} = {values[s]}" for s in stray)
                        + " lies outside its domain: not needed for this counterexample, not shown")
    check = recheck(negation, values)
    exact = check.exact
    if exact is None:
        # inner quantifiers remain: decide the closed instance exactly with z3
        exact = holds_at(negation, values, domains, timeout=claim.timeout)
        ev.tried.append(f"exact re-check of the inner quantifiers by z3 on the closed instance: {exact}")
    ev.counterexample = _text({s: v for s, v in values.items() if s not in stray})
    ev.witnesses = sorted(s.name for s in witnesses if s not in stray)
    names = re.compile("|".join(rf"\b{re.escape(s.name)}\b" for s in stray)) if stray else None
    ev.values = [v for v in check.values if names is None or not names.search(v[0] + " " + v[2])]
    if exact is not True:
        return False, f"z3's counterexample {ev.counterexample} does not re-check exactly ({exact})"
    if check.digits50:
        ev.tried.append("counterexample re-checked: exact rational arithmetic and 50 digits agree")
        return True, ""
    # At 50 digits two sides closer than 10^-40 count as equal; a violation that small
    # is told apart only with more digits.
    digits = next((d for d in MORE_DIGITS if mp_truth(negation, values, dps=d)), None)
    if digits is None and check.exact is None:
        raise _Unconfirmed(f"the counterexample {ev.counterexample} holds by z3 on the closed instance, but "
                           "its inner quantifiers are only sampled at 50 digits, where no point confirmed "
                           "it: no second opinion, so the claim is not refuted")
    if digits is None:
        return False, (f"the counterexample {ev.counterexample} holds exactly but not at 50 digits "
                       f"(nor at {' or '.join(map(str, MORE_DIGITS))})")
    ev.tried.append(f"counterexample re-checked: exact rational arithmetic and {digits} digits agree "
                    "(at 50 digits its sides are within the rounding tolerance)")
    return True, ""


def _violates_quantified_form(original: Formula, domains: dict, claim: Claim, ev: Evidence) -> bool:
    """Is a KKT proof contradicted by the claim as written? Sampling the first-order form
    the proof used would repeat its reduction; the quantified form is sampled instead
    (inner quantifiers by points), and a violation counts only re-checked exactly."""
    try:
        with running("sampling"):
            report = search(original, domains, CROSS_CHECK_POINTS)
    except (ValueError, TypeError) as e:
        ev.tried.append(f"sampling of the quantified form: not applicable - {e}")
        return False
    _note_samples(report, ev, "of the quantified form (not the first-order form the proof used)")
    return report.violation is not None and _confirm_point(original, report.violation, domains, claim, ev)


def _note_samples(report: SampleReport, ev: Evidence, of: str = "") -> None:
    """The evidence of a sampling search: its points, and the rounding artefacts it met."""
    ev.samples = {"count": report.count, "digits": report.dps, "sampler": report.sampler}
    ev.tried.append(f"sampling{' ' + of if of else ''}: {report.count} points at {report.dps} digits "
                    f"({report.sampler}), " + ("violation candidate found" if report.violation is not None
                                               else "no violation"))
    if report.artefacts:
        ev.tried.append(f"sampling: {len(report.artefacts)} point(s) false at {report.dps} digits but true at "
                        f"{RECHECK_DIGITS} digits (first {_text(report.artefacts[0])}): rounding artefacts, "
                        "not counted as violations")


def _confirm_point(normalized: Formula, point: dict, domains: dict, claim: Claim, ev: Evidence) -> bool:
    """Is a sampled violation real? Only an exact check (or z3 on the closed
    instance) may say so."""
    negation = nnf(Not(normalized))
    check = recheck(negation, point)
    exact = check.exact
    if exact is None:
        try:
            exact = holds_at(negation, point, domains, timeout=claim.timeout)
        except OutsideFragment:
            exact = None
    if exact is True:
        ev.counterexample = _text(point)
        ev.values = check.values
        ev.tried.append("sampled violation re-checked exactly: confirmed")
        return True
    why = "the claim holds there exactly" if exact is False else "exact evaluation cannot decide it there"
    ev.tried.append(f"sampled violation at {_text(point)} not confirmed: {why}")
    return False


def _derivations(claim: Claim, theory: Theory) -> list[tuple[str, sympy.Expr]]:
    """Closed forms behind each one-variable optimality statement of the claim."""
    steps: list[tuple[str, sympy.Expr]] = []
    if claim.formula is None:
        return steps
    for node in claim.formula.walk():
        if isinstance(node, Optimum) and len(node.binders) == 1:
            f = expand(node.objective, theory, seconds=claim.timeout)
            p = expand(node.point[0], theory, seconds=claim.timeout)
            steps.extend(derive_optimum(f, node.binders[0], p).steps)
            break
    steps.extend(derived_steps(claim, theory, seconds=claim.timeout))
    return steps


# -- closed claims and tables ---------------------------------------------------------

def _smt_method(normalized: Formula, method: str) -> str:
    """The method's name; when the symbolic layer already folded the claim to true or
    false (exact arithmetic, identities, signs SymPy proves on the domains), z3 and the
    re-check only saw a constant, and naming them as the decider would mislead."""
    if isinstance(normalized, Truth):
        return f"symbolic normalization (the claim folds to {str(normalized.value).lower()})"
    return method


def _decide_closed(normalized: Formula, claim: Claim, ev: Evidence) -> tuple[str, str, str] | None:
    """A formula without free symbols (a value claim, a table row) is decided by
    evaluating it exactly, with signs certified by interval arithmetic, and again at
    50 digits. Returns (verdict, method, message), or None when exact evaluation
    cannot tell (a quantifier remains, or a sign is not certified) or when the
    symbolic layer already folded every comparison to true/false (SMT then records it).
    The evidence gives each comparison's difference exactly, with its certified sign."""
    atoms = [a for a in normalized.walk() if isinstance(a, Atom)]
    if not atoms or free_symbols(normalized):
        return None
    # a claim that is one quantifier (`forall k: k^2 != 9`) goes to the methods that name
    # its witness (k = 3); exact evaluation decides quantifiers over a few integers inside
    # a claim (the definedness of a sum: every term defined)
    try:
        exact = None if isinstance(normalized, Quantified) else exact_truth(normalized, {})
    except TooLarge as e:  # exp(10^6): beyond the magnitudes evaluation builds, not a bug
        ev.tried.append(f"exact evaluation: {e}; handed on")
        return None
    if exact is None:
        ev.tried.append("exact evaluation: undecided (a quantifier or an uncertified sign); handed on")
        return None
    agrees, check = "50-digit evaluation agrees", "re-checked at 50 digits"
    try:
        fifty = mp_truth(normalized, {}, dps=50)
    except (Unsupported, TooLarge):
        # exact evaluation skipped a part its connective did not need (an unevaluated sum
        # of a divergent integral beside a false conjunct); the 50-digit reading, which
        # reads every part, has no value for it (an internal error: fuzz run seed 40012)
        ev.tried.append("exact evaluation: decided, but the 50-digit re-check cannot evaluate every part; "
                        "handed on")
        return None
    if exact != fifty:
        # At 50 digits two sides closer than 10^-40 (relative) read as equal: exp(-1000)
        # and 0, pi and its first 51 digits. Certified enclosures at increasing precision
        # tell them apart; a tie no enclosure separates is left to the 50-digit reading.
        certified, bits = interval.closed_truth(normalized, lambda g: mp_truth(g, {}, dps=50))
        if certified != exact:
            return ("error", "exact evaluation vs arb enclosures",
                    "exact arithmetic and certified arb enclosures (up to "
                    f"{interval.CLOSED_PRECISIONS[-1]} bits) disagree: a bug in lawproof")
        agrees = (f"50-digit evaluation reads sides within its rounding tolerance as equal; arb "
                  f"enclosures (at up to {bits} bits) agree")
        check = f"re-checked by arb enclosures at up to {bits} bits"
    ev.tried.append(f"exact evaluation: {'holds' if exact else 'fails'} (signs certified by interval "
                    f"arithmetic); {agrees}")
    # atoms under a quantifier have no value of their own (the verdict may not need them)
    ev.chain = [(f"{sympy.sstr(a.lhs)} {a.op} {sympy.sstr(a.rhs)}", _difference_text(a)) for a in atoms
                if not (a.lhs.free_symbols or a.rhs.free_symbols)]
    if exact:
        return ("proved", "exact evaluation (certified signs)", "")
    ev.counterexample = _text(claim.at)
    ev.values = atom_values(normalized, {})
    return ("refuted", f"exact evaluation, {check}", "")


def _difference_text(a: Atom) -> str:
    try:
        gap = exact_value(a.lhs - a.rhs, {})
        sign = exact_sign(gap)
        approx = shown_value(gap, {})
    except (Undefined, Undecided, Unsupported, TooLarge) as e:  # a side may be oo: no difference to show
        return f"lhs - rhs not evaluated ({e})"
    certified = {1: "certified positive", 0: "exactly zero", -1: "certified negative", None: "sign not certified"}
    return f"lhs - rhs = {sympy.sstr(gap)} = {approx}..., {certified[sign]}"


@dataclass
class TableRow:
    """One row of a table as computed: the parameters as written, the formula's value
    (exact, and to 15 significant digits from a 50-digit evaluation), the paper's value
    as written, and the row's claim and verdict (None where the paper gives no value)."""

    values: dict[str, str]
    label: str
    exact: str
    decimal: str
    paper: str | None
    claim: str | None
    verdict: str | None


@dataclass
class TableResult:
    """A table of the claim file with every row computed."""

    table: Table
    rows: list[TableRow]


def tabulate(cf: ClaimFile, results: list[Result]) -> list[TableResult]:
    """Compute every row of every table of `cf`; `results` give the rows' verdicts."""
    verdicts = {r.claim: r.verdict for r in results}
    out: list[TableResult] = []
    for t in cf.tables:
        try:
            formula = expand(t.formula, cf.theory)
        except LawproofError as e:
            formula, problem = None, str(e)
        rows = []
        for label, row, cells, paper, cid in zip(t.labels, t.rows, t.cells, t.paper, t.claim_ids):
            exact, decimal = (_value_text(formula.xreplace(dict(zip(t.params, row))))
                              if formula is not None else (f"error: {problem}", ""))
            rows.append(TableRow({p.name: c for p, c in zip(t.params, cells)}, label, exact, decimal,
                                 paper, cid, verdicts.get(cid) if cid else None))
        out.append(TableResult(t, rows))
    return out


def _value_text(value: sympy.Expr) -> tuple[str, str]:
    if value.free_symbols:
        names = ", ".join(sorted(s.name for s in value.free_symbols))
        return f"depends on {names}, which the table does not fix", ""
    try:
        exact = exact_value(value, {})
        return sympy.sstr(exact), mpmath.nstr(mp_value(exact, {}, 50), 15)
    except Undefined as e:
        return f"undefined ({e})", ""
    except (Undecided, ValueError) as e:
        return f"not evaluated ({e})", ""
