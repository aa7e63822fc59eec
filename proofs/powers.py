"""Claims with symbolic exponents (`N^(-alpha)`, `(C/6)^(beta/(alpha + beta))`, `exp(x)`)
decided by z3 through logarithmic coordinates and power atoms.

Every power here has a base positive on the domains, so it is `exp(L)` with `L` its
logarithm: the exponent times the log of the base, the base split into positive factors
(`log(C/(6N)) = l_C - l_6 - l_N`). Each log of a positive factor `p` is a fresh real `l_p`,
each power a fresh positive real `w`, and the claim is handed to z3 together with facts
that hold for the true values:

- log coordinates: an atom that compares two positive monomials (`alpha A N^(-alpha-1)`
  against `beta B (C/(6N))^(-beta) / N`, the first-order condition of a power law) is
  rewritten, exactly, as the comparison of their logs, which is polynomial in the `l`s
  and the exponents;
- monotonicity of log and exp: `sign(l_p - l_q) = sign(p - q)`, `sign(l_p) = sign(p - 1)`,
  `sign(w - w') = sign(L - L')`, `sign(w - p) = sign(L - l_p)`, `sign(w - 1) = sign(L)`;
  tangent bounds `1 - 1/p <= l_p <= p - 1`, `w >= 1 + L`; rational enclosures of the
  logs of rational constants;
- product rules: `w w' = w''` when `L + L' = L''` identically, `w = w' * prod p^n` when
  `L - L'` is an integer combination of the `l_p`, `w w' = 1` when `L + L' = 0`.

Since the true values satisfy the facts, unsat (the claim follows from them) proves the
claim. A model is no counterexample: the abstraction forgets most of exp and log, so
the caller re-checks the model's values of the claim's own symbols exactly before it may
refute anything. Powers whose exponent is a rational number stay with the translator
(roots); a power of a base not provably positive, an exponent that is not a rational
function of the symbols, or a power under a quantifier binding one of its symbols puts
the claim outside this method (OutsideFragment).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import sympy

from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import (And, Atom, Formula, Iff, Implies, Not, Or, Quantified, Truth, conj,
                              free_symbols)
from lawproof.language.timeout import RLIMIT_PER_SECOND

from .smt import SmtOutcome, decide
from .translate import Translator, _closure

#: z3 budget of one abstracted query, in resource units (2 s worth; the claim's own budget
#: when that is smaller): enough for the bundled and benchmark claims; a query beyond it
#: is handed on to the interval prover, not waited on.
POWERS_RLIMIT = 4_000_000
#: Digits of the rational enclosure of the log of a rational constant (widened outward
#: by far more than mpmath's error at twice as many working digits).
_LOG_DIGITS = 30
#: Rational constants up to this size are split into primes (see `_Logs._log_rational`).
_FACTOR_LIMIT = 10 ** 24
_ZERO = sympy.Integer(0)
_ONE = sympy.Integer(1)
_REAL = Domain(-sympy.oo, sympy.oo, True, True)
_POSITIVE = Domain(_ZERO, sympy.oo, True, True)


@dataclass
class PowerOutcome:
    """z3's answer on the abstracted claim. `outcome.values` (on `refuted`) holds a
    candidate point: the values of the claim's own symbols only, not yet re-checked."""

    outcome: SmtOutcome
    atoms: int
    facts: int
    steps: list[str] = field(default_factory=list)
    #: the claim's own symbols, with those their domains reach (the others are log and
    #: power variables)
    own: frozenset[sympy.Symbol] = frozenset()

    @property
    def candidate(self) -> dict[sympy.Symbol, Fraction]:
        """The model's values of the claim's own symbols (no counterexample until re-checked)."""
        return {s: v for s, v in self.outcome.values.items() if s in self.own}


def is_power_claim(f: Formula) -> bool:
    """Does `f` hold a power with a non-rational exponent, or exp?"""
    return any(_transcendental(x) for node in f.walk() for e in node.exprs()
               for x in sympy.preorder_traversal(e))


def _transcendental(e: sympy.Basic) -> bool:
    return isinstance(e, sympy.exp) or (isinstance(e, sympy.Pow) and not e.exp.is_Rational)


@dataclass
class _Logs:
    """Log coordinates: a fresh real per positive factor, a fresh positive real per power."""

    domains: dict[sympy.Symbol, Domain]
    translator: Translator
    #: factor -> its log variable; rational constants have enclosures
    logs: dict[sympy.Expr, sympy.Symbol] = field(default_factory=dict)
    #: power term -> (its variable, its log as a polynomial in the log variables)
    powers: dict[sympy.Expr, tuple[sympy.Symbol, sympy.Expr]] = field(default_factory=dict)

    def log_var(self, p: sympy.Expr) -> sympy.Symbol:
        if p not in self.logs:
            self.logs[p] = sympy.Symbol(f"lg!{len(self.logs)}", real=True)
        return self.logs[p]

    def log_of(self, e: sympy.Expr) -> sympy.Expr | None:
        """log(e) in log coordinates, or None when `e` is not provably positive."""
        if e.is_Rational:
            return None if e <= 0 else self._log_rational(e)
        if isinstance(e, sympy.Mul):
            parts = [self.log_of(x) for x in e.args]
            return None if any(p is None for p in parts) else sympy.Add(*parts)
        if isinstance(e, sympy.exp):
            return e.args[0] if self._defined_everywhere(e.args[0]) else None
        if isinstance(e, sympy.Pow):
            if not self._defined_everywhere(e.exp):
                return None
            inner = self.log_of(e.base)
            return None if inner is None else sympy.expand(e.exp * inner)
        if e.is_number or not _rational_function(e) or self.translator.sign(e, self.domains, {}) <= 0:
            return None
        return self.log_var(e)

    def _defined_everywhere(self, exponent: sympy.Expr) -> bool:
        """Is `exponent` a rational function whose denominator z3 proves nonzero on the
        domains? A power's variable keeps no condition of its own, so an exponent such
        as 1/(alpha - beta), undefined somewhere, must stay out of this method."""
        if not _rational_function(exponent):
            return False
        _, den = sympy.fraction(sympy.together(exponent))
        return den.is_number or self.translator.sign(den, self.domains, {}) != 0

    def _log_rational(self, c: sympy.Rational) -> sympy.Expr:
        """log(c) over the primes of c, so that log(1/6) = -(log 2 + log 3) exactly;
        a constant too large to factor quickly gets a log variable of its own."""
        if max(abs(c.p), c.q) > _FACTOR_LIMIT:
            return self.log_var(c)
        primes = {**sympy.factorint(c.p), **{p: -k for p, k in sympy.factorint(c.q).items()}}
        return sympy.Add(*[k * self.log_var(sympy.Integer(p)) for p, k in primes.items() if p != 1])

    def power(self, e: sympy.Expr) -> sympy.Symbol:
        """The positive variable standing for the power `e`."""
        if e not in self.powers:
            log = self.log_of(e)
            if log is None:
                raise OutsideFragment(f"the power {sympy.sstr(e)} has a base not provably positive, "
                                      "or an exponent that is not a rational function defined everywhere")
            self.powers[e] = (sympy.Symbol(f"pw!{len(self.powers)}", positive=True), log)
        return self.powers[e][0]

    def substitute(self, e: sympy.Expr) -> sympy.Expr:
        """`e` with every power with a non-rational exponent (and exp) replaced by its variable."""
        if _transcendental(e):
            return self.power(e)
        if isinstance(e, sympy.log):
            log = self.log_of(e.args[0])
            if log is None:
                raise OutsideFragment(f"{sympy.sstr(e)}: the argument is not provably positive")
            return log
        if not e.args:
            return e
        return e.func(*[self.substitute(x) for x in e.args])

    def atom(self, a: Atom) -> Formula:
        """The atom in log coordinates when it compares two positive monomials (exactly
        equivalent: log is increasing), else with its powers replaced by variables."""
        out = self._atom(a)
        for x in (x for side in (a.lhs, a.rhs) for x in sympy.preorder_traversal(side)):
            # every power and log must be defined everywhere, also one whose sides cancel
            # ((x^alpha)^2 = x^(2 alpha) is false at x = 0, where neither is defined)
            if _transcendental(x) and self.log_of(x) is None:
                raise OutsideFragment(f"the power {sympy.sstr(x)} has a base not provably positive, "
                                      "or an exponent that is not a rational function defined everywhere")
            if isinstance(x, sympy.log) and self.log_of(x.args[0]) is None:
                raise OutsideFragment(f"{sympy.sstr(x)}: the argument is not provably positive")
        return out

    def _atom(self, a: Atom) -> Formula:
        if any(_transcendental(x) or isinstance(x, sympy.log)
               for side in (a.lhs, a.rhs) for x in sympy.preorder_traversal(side)):
            terms = sympy.Add.make_args(sympy.expand(a.lhs - a.rhs, power_base=False, power_exp=False,
                                                     log=False))
            split = [t.as_coeff_Mul() for t in terms if t != 0]
            logs = [self.log_of(m) for _, m in split]
            # coefficients are rationals (not an oo a divergent integral left in the atom)
            if len(split) <= 2 and all(log is not None for log in logs) and all(c.is_Rational for c, _ in split):
                return self._compare_monomials(a.op, [(c, log) for (c, _), log in zip(split, logs)])
        return Atom(a.op, self.substitute(a.lhs), self.substitute(a.rhs))

    def _compare_monomials(self, op: str, terms: list[tuple[sympy.Rational, sympy.Expr]]) -> Formula:
        """`sum c_i exp(L_i) op 0` for at most two terms: the signs of the coefficients
        decide it, or the two logs are compared."""
        if len(terms) == 2 and terms[0][0] * terms[1][0] < 0:
            (c1, l1), (c2, l2) = sorted(terms, key=lambda t: -t[0])  # c1 > 0 > c2
            ratio = c1 / -c2
            return Atom(op, l1 + (self.log_of(ratio) if ratio != 1 else _ZERO), l2)
        sign = sympy.Integer(sympy.sign(sum(c for c, _ in terms))) if terms else _ZERO
        return Atom(op, sign, _ZERO)

    def formula(self, f: Formula) -> Formula:
        if isinstance(f, Atom):
            return self.atom(f)
        if isinstance(f, Truth):
            return f
        if isinstance(f, Not):
            return Not(self.formula(f.arg))
        if isinstance(f, (And, Or)):
            return type(f)(tuple(self.formula(x) for x in f.args))
        if isinstance(f, (Implies, Iff)):
            return type(f)(self.formula(f.lhs), self.formula(f.rhs))
        if isinstance(f, Quantified):
            return Quantified(f.kind, f.binders, self.formula(f.body))
        raise OutsideFragment(f"{type(f).__name__} must be desugared before the power abstraction")

    def facts(self) -> list[Formula]:
        """What the true values of the log and power variables satisfy."""
        out: list[Formula] = []
        bases = [(p, v) for p, v in self.logs.items() if not p.is_Rational]
        for p, v in self.logs.items():
            if p.is_Rational:
                lo, hi = _log_enclosure(Fraction(int(p.p), int(p.q)))
                out += [Atom("<=", sympy.Rational(lo.numerator, lo.denominator), v),
                        Atom("<=", v, sympy.Rational(hi.numerator, hi.denominator))]
            else:
                out += [_same_sign(v, p - 1), Atom("<=", v, p - 1), Atom(">=", v * p, p - 1)]
        for (p, v), (q, u) in itertools.combinations(bases, 2):
            out.append(_same_sign(v - u, p - q))
        powers = list(self.powers.values())
        for w, log in powers:
            out += [_same_sign(w - 1, log), Atom(">=", w, 1 + log)]
        for (w, lw), (u, lu) in itertools.combinations(powers, 2):
            out.append(_same_sign(w - u, lw - lu))
            if sympy.expand(lw + lu) == 0:
                out.append(Atom("=", w * u, _ONE))
            factor = self._integer_monomial(sympy.expand(lw - lu), bases)
            if factor is not None:
                out.append(Atom("=", w, u * factor))
            for x, lx in powers:
                if x not in (w, u) and sympy.expand(lw + lu - lx) == 0:
                    out.append(Atom("=", w * u, x))
        return out

    @staticmethod
    def _integer_monomial(diff: sympy.Expr, bases: list[tuple[sympy.Expr, sympy.Symbol]]
                          ) -> sympy.Expr | None:
        """`prod p^n` when `diff` is `sum n l_p` with integers n (not all zero)."""
        if diff == 0:
            return None
        by_var = {v: p for p, v in bases}
        out = _ONE
        for term in sympy.Add.make_args(diff):
            n, v = term.as_coeff_Mul()
            if v not in by_var or not n.is_Integer:
                return None
            out *= by_var[v] ** n
        return out


def _rational_function(e: sympy.Expr) -> bool:
    """Built from symbols and rationals by +, * and integer powers only (no root, abs,
    min, max, or function, whose definedness or value a power variable would hide)."""
    return all(x.is_Symbol or x.is_Rational or isinstance(x, (sympy.Add, sympy.Mul))
               or (isinstance(x, sympy.Pow) and x.exp.is_Integer)
               for x in sympy.preorder_traversal(e))


def _same_sign(x: sympy.Expr, y: sympy.Expr) -> Formula:
    return conj([Iff(Atom(">", x, _ZERO), Atom(">", y, _ZERO)),
                 Iff(Atom("<", x, _ZERO), Atom("<", y, _ZERO))])


def _log_enclosure(c: Fraction) -> tuple[Fraction, Fraction]:
    """Rational bounds lo <= log(c) <= hi, 10^-_LOG_DIGITS apart."""
    with mpmath.workdps(2 * _LOG_DIGITS):
        mid = mpmath.log(mpmath.mpf(c.numerator) / c.denominator)
        scaled = int(mpmath.floor(mid * 10 ** _LOG_DIGITS))
    unit = Fraction(1, 10 ** _LOG_DIGITS)
    return (scaled - 1) * unit, (scaled + 2) * unit


def decide_powers(f: Formula, domains: dict[sympy.Symbol, Domain], *, timeout: float = 5.0) -> PowerOutcome:
    """Decide `f` (free symbols universal over `domains`) in log coordinates with power
    atoms. `proved` is a proof; `refuted` only names a candidate point (`candidate`)
    that the caller must re-check exactly. Raises OutsideFragment when `f` has no power
    with a non-rational exponent, or one this method cannot take."""
    if not is_power_claim(f):
        raise OutsideFragment("no power with a symbolic exponent")
    bound = {b.symbol for node in f.walk() if isinstance(node, Quantified) for b in node.binders}
    for node in f.walk():
        for e in node.exprs():
            for x in sympy.preorder_traversal(e):
                if _transcendental(x) and x.free_symbols & bound:
                    raise OutsideFragment(f"the power {sympy.sstr(x)} depends on a quantified variable")
    free = free_symbols(f)
    reach = _closure(free, domains)
    scope = {s: d for s, d in domains.items() if s in reach}
    logs = _Logs(scope, Translator(scope))
    body = logs.formula(f)
    facts = logs.facts()
    extended = dict(domains)
    extended.update({w: _POSITIVE for w, _ in logs.powers.values()})
    extended.update({v: _REAL for v in logs.logs.values()})
    # a symbol the rewriting cancelled (E in L(N2, D) < L(N, D)) keeps its domain in the
    # query, so that the model names a value for every symbol of the claim
    kept = [Atom(op, lo, hi) for s in sorted(free - free_symbols(body), key=lambda s: s.name)
            for op, lo, hi in domains[s].constraints(s)]
    claim = Implies(conj(facts + kept), body) if facts or kept else body
    # not shrunk: with the abstraction's many variables, shrinking costs more than the
    # query, and the point is only a candidate for the exact re-check anyway
    smt = decide(claim, extended, timeout=min(timeout, POWERS_RLIMIT / RLIMIT_PER_SECOND), shrink=False)
    steps = [f"{sympy.sstr(w)} = {sympy.sstr(e)} = exp({sympy.sstr(log)})" for e, (w, log) in logs.powers.items()]
    steps += [f"{sympy.sstr(v)} = log({sympy.sstr(p)})" for p, v in logs.logs.items()]
    return PowerOutcome(smt, len(logs.powers) + len(logs.logs), len(facts), steps, frozenset(reach))

