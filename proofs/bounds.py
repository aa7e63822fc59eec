"""Certified polynomial bounds (the method of MetiTarski): a second sound prover for
claims with exp, logarithms, real powers (proofs/exp_log_bounds.py), trigonometric,
inverse trigonometric and hyperbolic functions and pi (proofs/trig_bounds.py).

Each transcendental term t = f(u) of a claim becomes an auxiliary variable y held by
certified bounds, polynomial (or rational, multiplied out) in the purified argument u,
each valid where it is stated, with a case split where a bound is valid only on part
of the line.

Both sides of every enclosure are kept, whatever direction the claim needs (its
polarity): each atom's translation then holds wherever the atom, or its negation, does
(proofs/translate.py, `_Aux`), so that an unsatisfiable negation proves the claim
whatever the signs of the coefficients, divisions and negations around the term, and z3
(nlsat) uses the side it needs. A model of the negation is no counterexample: only
`proved` comes out of here. On failure the bounds are refined (higher degree, more range
reduction), each level under its own share of the claim's z3 budget (rlimit).
"""
from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import sympy

from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import Atom, Formula, Or, free_symbols
from lawproof.language.functions import ELEMENTARY
from lawproof.language.timeout import rlimit_for, watching

from . import exp_log_bounds, trig_bounds
from .exp_log_bounds import Level, Rule, add_note, exp_of
from .smt import decide
from .translate import Translator

#: Refinement schedule: each level is tried when the one before could not prove.
LEVELS = (Level(1, 0), Level(2, 1), Level(3, 1), Level(3, 2))

#: The rules by SymPy class (a function, or the constant pi).
RULES: dict[type, Rule] = {**exp_log_bounds.RULES, **trig_bounds.RULES}
#: Addition laws, exact where the terms are defined: (note, how two arguments combine
#: into a third, the relation between the values at the two and at the third).
ADDITION: dict[type, tuple[str, Callable, Callable]] = {
    sympy.exp: ("exp(a) exp(b) = exp(a + b) (exact)", lambda a, b: a + b, lambda va, vb, vc: (va * vb, vc)),
    sympy.log: ("log(a) + log(b) = log(a b) for a, b > 0 (exact)", lambda a, b: a * b,
                lambda va, vb, vc: (va + vb, vc)),
}
#: The strictly monotone ones on their domains: +1 increasing, -1 decreasing.
MONOTONE: dict[type, int] = {sympy.exp: 1, sympy.log: 1, **{
    f.node: f.monotone for f in ELEMENTARY if f.monotone and f.node in RULES}}


@dataclass
class Enclosure:
    """The hook proofs.translate calls for a term outside rational arithmetic."""

    level: Level
    notes: list[str] = field(default_factory=list)

    #: the atom being translated (its auxiliary variables) and its monotone terms so far:
    #: (function, purified argument, the expression standing for the term)
    _atom: dict | None = None
    _seen: list[tuple[type, sympy.Expr, sympy.Expr]] = field(default_factory=list)

    def __call__(self, tr: Translator, e: sympy.Expr, auxes: dict) -> sympy.Expr | None:
        if e is sympy.E:
            return exp_of(tr, sympy.Integer(1), auxes, self.level, self.notes)
        rule = RULES.get(type(e))
        if rule is None:
            return None
        value = rule(tr, e, auxes, self.level, self.notes)
        if value is not None and len(e.args) == 1 and (type(e) in MONOTONE or type(e) in ADDITION):
            self._relate(auxes, type(e), tr.purify(e.args[0], auxes), value)
        if value is not None and type(e) in (sympy.sin, sympy.cos):
            self._angle_sum(tr, auxes, type(e), tr.purify(e.args[0], auxes), value)
        return value

    def _angle_sum(self, tr: Translator, auxes: dict, function: type, u: sympy.Expr, value: sympy.Expr) -> None:
        """sin(a + b) = sin a cos b + cos a sin b and cos(a + b) = cos a cos b - sin a sin b
        for an argument that is a sum of two non-constant terms: exact identities (so
        always true at the true values), which tie sin(x + y) to sin x, cos x, sin y and
        cos y where separate enclosures are loose. Added to the newest auxiliary
        variable's constraints, as in `_relate`."""
        if not (u.is_Add and len(u.args) == 2 and not any(t.is_number for t in u.args)):
            return
        (sa, ca), (sb, cb) = (self._sin_cos(tr, auxes, t) for t in u.args)
        law = sa * cb + ca * sb if function is sympy.sin else ca * cb - sa * sb
        next(reversed(auxes.values())).constraints.append(Atom("=", value, law))
        add_note(self.notes, "sin(a + b) = sin a cos b + cos a sin b, cos(a + b) = cos a cos b - sin a sin b (exact)")

    def _sin_cos(self, tr: Translator, auxes: dict, t: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
        """sin t and cos t, through sin(-t) = -sin t and cos(-t) = cos t for a negated term,
        so that x - y shares the variables of sin y and cos y."""
        if t.could_extract_minus_sign():
            s, c = self._sin_cos(tr, auxes, -t)
            return -s, c
        return tuple(trig_bounds.sin_cos_of(tr, t, auxes, self.level, self.notes, which) for which in ("sin", "cos"))

    def _relate(self, auxes: dict, function: type, u: sympy.Expr, value: sympy.Expr) -> None:
        """Exact relations between the values of one function at arguments of the same
        atom, which separate enclosures lose: a strictly monotone function orders its
        values as its arguments (equal at equal ones), so exp(x) < exp(y) for x < y; exp
        and log keep their addition laws. They hold at the true values wherever the
        terms are defined, so they are added to the newest auxiliary variable's
        constraints, which the translation uses only where every variable made before it
        is defined (translate.Translator.atom)."""
        if auxes is not self._atom:
            self._atom, self._seen = auxes, []
        if (function, u, value) in self._seen:
            return
        newest = next(reversed(auxes.values()))
        same = [(u0, v0) for f, u0, v0 in self._seen if f is function and u0 != u]
        direction = MONOTONE.get(function, 0)
        below, above = ("<", ">") if direction > 0 else (">", "<")
        for u0, v0 in same if direction else ():
            newest.constraints.extend([Or((Atom(">=", u, u0), Atom(below, value, v0))),
                                       Or((Atom("<=", u, u0), Atom(above, value, v0))),
                                       Or((Atom("!=", u, u0), Atom("=", value, v0)))])
            add_note(self.notes, f"{function.__name__} is strictly {'in' if direction > 0 else 'de'}creasing: "
                     "its values at two arguments are ordered as the arguments (equal at equal ones)")
        if function in ADDITION:
            text, combine, law = ADDITION[function]
            terms = same + [(u, value)]
            for (a, va), (b, vb) in itertools.combinations_with_replacement(terms, 2):
                for c, vc in terms:
                    if (u, value) in ((a, va), (b, vb), (c, vc)) and sympy.expand(combine(a, b) - c) == 0:
                        newest.constraints.append(Atom("=", *law(va, vb, vc)))
                        add_note(self.notes, text)
        self._seen.append((function, u, value))


@dataclass
class BoundsOutcome:
    """What the certified-bounds prover found: "proved" or "unknown"."""

    status: str
    detail: str
    bounds: list[str] = field(default_factory=list)
    smt2: str = ""
    seconds: float = 0.0
    #: a safety net stopped the refinement (z3 stalled where its rlimit does not count)
    stalled: bool = False

    def artifact(self) -> str:
        """The bounds used, as SMT-LIB2 comments, then the replayable query."""
        return "".join(f"; certified bound: {b}\n" for b in self.bounds) + self.smt2


def _relaxed(f: Formula, domains: dict[sympy.Symbol, Domain]) -> tuple[Formula, dict[sympy.Symbol, Domain]]:
    """`f` with each free integer symbol that occurs only in rational functions (never in
    an exponent or a function's argument) made a real one over the same interval.

    This prover only proves, and a proof over the reals of the interval covers its
    integers, where every such term keeps its value. With integer variables and the
    polynomial bounds z3 faces nonlinear integer arithmetic, where it ignored the claim
    limit's interrupts for seconds (`atan(1/2) < n/4`, issue 16); over the reals it
    answers at once."""
    def rational_in(e: sympy.Expr, s: sympy.Symbol) -> bool:
        return all(not (isinstance(node, sympy.Pow) and s in node.exp.free_symbols)
                   and (isinstance(node, (sympy.Add, sympy.Mul, sympy.Pow)) or s not in node.free_symbols
                        or node == s)
                   for node in sympy.preorder_traversal(e))

    relaxed = {s: sympy.Symbol(s.name, real=True) for s in free_symbols(f)
               if s.is_integer and s in domains
               and all(rational_in(e, s) for node in f.walk() for e in node.exprs())}
    if not relaxed:
        return f, domains
    out = {relaxed.get(s, s): (replace(d, integer=False) if s in relaxed else d) for s, d in domains.items()}
    return f.map_exprs(lambda e: e.xreplace(relaxed)), out


def prove(f: Formula, domains: dict[sympy.Symbol, Domain], *, timeout: float = 5.0,
          levels: tuple[Level, ...] = LEVELS, net_seconds: float | None = None) -> BoundsOutcome:
    """Prove `f` (free symbols universal over `domains`) by certified bounds, refining
    them level by level (`levels`, by default all of LEVELS); each level's z3 query has
    the z3 budget of `timeout / len(LEVELS)`, so a level asks the same of z3 whether
    tried alone or in turn, and the CPU safety net above `net_seconds` (default: the
    seconds of that budget). `stalled` on the outcome says a net stopped the refinement.
    Raises OutsideFragment when a term has no rule (or the claim has no transcendental
    term: plain SMT decides it)."""
    start = time.perf_counter()
    f, domains = _relaxed(f, domains)
    share = timeout / len(LEVELS)
    rlimit = rlimit_for(share)
    net = share if net_seconds is None else net_seconds  # the seconds its safety net stands for
    tried: list[str] = []
    for level in levels:
        hook = Enclosure(level)
        with watching() as fired:
            out = decide(f, domains, timeout=net, rlimit=rlimit, shrink=False, bounds=hook)
        if fired:
            # z3 stalled where its rlimit does not count (nlsat's root isolation): finer
            # bounds, of higher degree, would only stall longer
            tried.append(f"degree {level.degree}, reduction {level.scale}: {out.detail}; not refined further")
            return BoundsOutcome("unknown", "; ".join(tried), seconds=time.perf_counter() - start, stalled=True)
        if not hook.notes:
            raise OutsideFragment("no transcendental term to enclose")
        if out.status == "proved":
            return BoundsOutcome("proved", f"z3: the negation is unsatisfiable with the bounds of degree "
                                 f"{level.degree}, range reduction {level.scale}", hook.notes, out.smt2,
                                 time.perf_counter() - start)
        tried.append(f"degree {level.degree}, reduction {level.scale}: "
                     + ("the bounds are too loose" if out.status == "refuted" else out.detail))
    return BoundsOutcome("unknown", "; ".join(tried), seconds=time.perf_counter() - start)
