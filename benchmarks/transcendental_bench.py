"""Benchmark: transcendental inequalities (benchmarks/transcendental.claims.toml),
lawproof against plain z3 and plain SymPy, each with a per-claim limit.

- lawproof: `check_claim` with the claim's timeout (default 5 s of budget);
- plain z3: the negated claim in SMT-LIB with z3's own `exp`, `sin`, ..., `pi` (a
  logarithm is a fresh constant L with exp(L) = u), unsat = proved, sat = refuted (z3's
  model, unchecked);
- plain SymPy: `minimum`/`maximum` of lhs - rhs over the binder's interval (one
  variable), `solveset` for an existential equation.

Each baseline runs in a child process killed after LIMIT seconds. Usage:
    python benchmarks/transcendental_bench.py [--limit 10] [--only ID ...]
Prints a Markdown table of the figures and one line per claim.
"""
from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

import sympy

from lawproof.language import loader
from lawproof.engine import check_claim
from lawproof.language.formula import Atom, Quantified

FILE = Path(__file__).with_name("transcendental.claims.toml")
LIMIT = 10.0


# --- plain z3 -------------------------------------------------------------------------

#: z3's own transcendental functions (its SMT-LIB extension), by SymPy class.
_Z3_FUNCTIONS = {sympy.sin: "sin", sympy.cos: "cos", sympy.tan: "tan", sympy.asin: "asin", sympy.acos: "acos",
                 sympy.atan: "atan", sympy.sinh: "sinh", sympy.cosh: "cosh", sympy.tanh: "tanh"}

def _smt(e: sympy.Expr, logs: dict) -> str:
    if e.is_Symbol:
        return e.name
    if e.is_Integer:
        return f"{e}.0" if e >= 0 else f"(- {-e}.0)"
    if e.is_Rational:
        return f"(/ {_smt(sympy.Integer(e.p), logs)} {e.q}.0)"
    if e is sympy.E:
        return "(exp 1.0)"
    if e is sympy.pi:
        return "pi"
    if isinstance(e, sympy.Add):
        return "(+ " + " ".join(_smt(a, logs) for a in e.args) + ")"
    if isinstance(e, sympy.Mul):
        return "(* " + " ".join(_smt(a, logs) for a in e.args) + ")"
    if isinstance(e, sympy.Pow):
        if e.exp.is_Integer and e.exp < 0:
            return f"(/ 1.0 {_smt(e.base ** -e.exp, logs)})"
        return f"(^ {_smt(e.base, logs)} {_smt(e.exp, logs)})"
    if isinstance(e, sympy.exp):
        return f"(exp {_smt(e.args[0], logs)})"
    if type(e) in _Z3_FUNCTIONS:
        return f"({_Z3_FUNCTIONS[type(e)]} {_smt(e.args[0], logs)})"
    if isinstance(e, sympy.log):
        name = logs.setdefault(e.args[0], f"L{len(logs)}")
        return name
    raise ValueError(f"plain z3: no encoding for {e}")


def _domain_smt(s: sympy.Symbol, d, logs: dict) -> list[str]:
    out = []
    if d.lo.is_finite:
        out.append(f"({'>' if d.lo_open else '>='} {s.name} {_smt(d.lo, logs)})")
    if d.hi.is_finite:
        out.append(f"({'<' if d.hi_open else '<='} {s.name} {_smt(d.hi, logs)})")
    return out


def _atom_smt(a: Atom, logs: dict) -> str:
    op = {"=": "=", "<=": "<=", "<": "<", ">=": ">=", ">": ">"}[a.op]
    return f"({op} {_smt(a.lhs, logs)} {_smt(a.rhs, logs)})"


def plain_z3(formula) -> str:
    """z3 on the negated claim: 'proved', 'refuted' or 'unknown'."""
    import z3
    binders, body, kind = [], formula, None
    while isinstance(body, Quantified):
        kind = kind or body.kind
        if body.kind != kind:
            return "unknown"
        binders += list(body.binders)
        body = body.body
    if not isinstance(body, Atom):
        return "unknown"
    logs: dict = {}
    atom = _atom_smt(body, logs)
    guards = [g for b in binders for g in _domain_smt(b.symbol, b.domain, logs)]
    decls = "".join(f"(declare-fun {b.symbol.name} () Real)" for b in binders)
    if kind == "forall":
        log_facts = [f"(= (exp {n}) {_smt(u, {})})" for u, n in logs.items()]
        decls += "".join(f"(declare-fun {n} () Real)" for n in logs.values())
        text = decls + "".join(f"(assert {g})" for g in guards + log_facts) + f"(assert (not {atom}))"
    else:
        if logs:
            return "unknown"
        names = " ".join(f"({b.symbol.name} Real)" for b in binders)
        text = f"(assert (forall ({names}) (=> (and true {' '.join(guards)}) (not {atom}))))"
    solver = z3.Solver()
    solver.set("timeout", int(LIMIT * 1000))
    solver.from_string(text)
    answer = solver.check()
    return "proved" if answer == z3.unsat else ("refuted" if answer == z3.sat else "unknown")


# --- plain SymPy ----------------------------------------------------------------------

def plain_sympy(formula) -> str:
    """SymPy's minimum/maximum/solveset on one variable: 'proved', 'refuted' or 'unknown'."""
    from sympy.calculus.util import maximum, minimum
    if not isinstance(formula, Quantified) or len(formula.binders) != 1 or not isinstance(formula.body, Atom):
        return "unknown"
    b, a = formula.binders[0], formula.body
    d = b.domain
    region = sympy.Interval(d.lo, d.hi, d.lo_open, d.hi_open)
    x = b.symbol
    gap = a.lhs - a.rhs
    if formula.kind == "exists":
        if a.op == "=":
            found = sympy.solveset(gap, x, region)
            if found == sympy.S.EmptySet:
                return "refuted"
            return "proved" if isinstance(found, sympy.FiniteSet) else "unknown"
        top = maximum(gap if a.op in (">", ">=") else -gap, x, region)
        return "proved" if (top > 0 or (a.op in (">=", "<=") and top >= 0)) is sympy.true else "unknown"
    if a.op not in ("<", "<=", ">", ">="):
        return "unknown"
    low = minimum(gap if a.op in (">", ">=") else -gap, x, region)
    strict = a.op in (">", "<")
    if (low > 0 if strict else low >= 0) is sympy.true:
        return "proved"
    if (low <= 0 if strict else low < 0) is sympy.true:
        return "refuted"
    return "unknown"


def _child(fn, formula, queue) -> None:
    try:
        queue.put(fn(formula))
    except Exception:  # noqa: BLE001 - a baseline that crashes decides nothing
        queue.put("unknown")


def limited(fn, formula) -> tuple[str, float]:
    """Run a baseline in a child process killed after LIMIT seconds."""
    queue = multiprocessing.get_context("fork").Queue()
    proc = multiprocessing.get_context("fork").Process(target=_child, args=(fn, formula, queue))
    start = time.perf_counter()
    proc.start()
    proc.join(LIMIT)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return "unknown (limit)", LIMIT
    return queue.get() if not queue.empty() else "unknown", time.perf_counter() - start


# --- figures ----------------------------------------------------------------------------

def _score(rows: list[dict], key: str) -> dict:
    true = [r for r in rows if r["expect"] == "holds"]
    false = [r for r in rows if r["expect"] == "fails"]
    wrong = [r for r in rows if (r["expect"] == "holds" and r[key] == "refuted")
             or (r["expect"] == "fails" and r[key] == "proved")]
    times = [r[key + "_s"] for r in true if r[key] == "proved"]
    return {"proved": sum(r[key] == "proved" for r in true), "true": len(true),
            "refuted": sum(r[key] == "refuted" for r in false), "false": len(false), "wrong": len(wrong),
            "median": statistics.median(times) if times else float("nan")}


def main(argv: list[str] | None = None) -> None:
    global LIMIT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=LIMIT, help="seconds per claim for each baseline")
    parser.add_argument("--only", nargs="*", help="claim ids to run")
    parser.add_argument("--file", type=Path, default=FILE,
                        help="the claim file (default: transcendental.claims.toml; "
                             "interval.claims.toml is the interval prover's)")
    args = parser.parse_args(argv)
    LIMIT = args.limit
    cf = loader.load(args.file)
    rows = []
    for claim in cf.claims:
        if args.only and claim.id not in args.only:
            continue
        res = check_claim(claim, cf.theory)
        verdict = {"holds": "proved", "fails": "refuted"}.get(res.verdict, res.verdict)
        row = {"id": claim.id, "expect": claim.expect, "lawproof": verdict if verdict in ("proved", "refuted")
               else res.verdict, "lawproof_s": res.seconds, "method": res.method}
        row["z3"], row["z3_s"] = limited(plain_z3, claim.formula)
        row["sympy"], row["sympy_s"] = limited(plain_sympy, claim.formula)
        rows.append(row)
        print(f"{claim.id:28} {claim.expect:6} lawproof={row['lawproof']:10} ({res.seconds:6.2f} s, {res.method}) "
              f"z3={row['z3']} ({row['z3_s']:.2f} s) sympy={row['sympy']} ({row['sympy_s']:.2f} s)",
              flush=True)
    print("\n| | lawproof | plain z3 | plain SymPy |\n|---|---|---|---|")
    scores = {k: _score(rows, k) for k in ("lawproof", "z3", "sympy")}
    s = scores["lawproof"]
    print("| true claims proved | " + " | ".join(f"{v['proved']} / {v['true']}" for v in scores.values()) + " |")
    print("| false claims refuted | " + " | ".join(f"{v['refuted']} / {v['false']}" for v in scores.values()) + " |")
    print("| wrong verdicts | " + " | ".join(str(v["wrong"]) for v in scores.values()) + " |")
    print("| median time, proved true claims (s) | " + " | ".join(f"{v['median']:.2f}" for v in scores.values())
          + " |")
    if s["wrong"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
