"""Turn claims with exp, log, real powers and limits into claims the polynomial SMT
path (or the interval prover) decides, where that is sound; every step is recorded as
a justification.

- Monotone transforms: an atom whose sides differ by `c (g(A) - g(B))`, `c` of known
  sign and `g` strictly monotone (log, exp, `b^x`, `x^p`), becomes `A op B` (the
  relation flipped for decreasing `g` or negative `c`); `g(B)` may also be any term in
  g's range (`exp(A) <= delta` with `delta > 0` becomes `A <= log(delta)`). A factor of
  known sign is divided out (`c * rest op 0` becomes `rest op 0`). The result keeps the
  conditions under which both sides are defined.
- Substitution: each exponential `b^w` (and `exp(w)`) becomes a new variable
  `u = b^w` ranging over an interval that contains every value of `b^w` on the
  domains (e.g. `u >= 1` when `w >= 0` and `b > 1`); a logarithm of a term positive on
  the domains becomes `v = log(w)` likewise; transcendental constants such as `log(2)`
  become variables ranging over a rational enclosure. The reduced claim quantifies
  those variables independently, so it is stronger: proving it proves the claim,
  while a counterexample to it need not be one to the claim.
- Power substitution: a positive variable `x` used only as powers `x^(r*core)` (r
  rational, one symbolic core of certified sign) and `log(x)` becomes `y = x^core`
  over the exact image of x's domain: `y^r` and `log(y)/core` in their places, an
  equivalence (docs/exponents.md).
- Limits: a `limit` SymPy can evaluate (with the signs the domains give) is replaced
  by its value once 50-digit evaluation at points approaching the limit point
  agrees; any disagreement leaves the claim unreduced.

`exact` on a Reduction says the reduced claim is equivalent to the original (so its
counterexamples are the original's); otherwise it is only sufficient.
This module knows nothing of numerics: evaluation comes in through `Numbers` (the
`lawproof.numeric` module satisfies it) and certified signs through an optional sign
oracle (`lawproof.numeric.interval.sign_on`); without one, SymPy's sign rules decide.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Protocol

import mpmath
import sympy

from lawproof.language.domain import Domain
from lawproof.language.errors import BackendTimeout, OutsideFragment
from lawproof.language.formula import CALCULUS, And, Atom, Formula, Iff, Implies, Not, Or, Quantified, Truth, conj, \
    domain_of
from lawproof.language.functions import NO_SYMPY_LIMIT
from lawproof.language.parser import limit_direction
from lawproof.language.timeout import time_limit

from .identity import _assumed
from .normalize import definedness, limit_well_posed

Domains = dict[sympy.Symbol, Domain]

_FLIP = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
#: How many times an atom may be rewritten in a row (ln(exp(x)^p) and the like).
_DEPTH = 6
#: Steps toward the limit point, and the parameter points, of the limit cross-check.
_LIMIT_STEPS = (4, 8, 12, 16)
_LIMIT_POINTS = 3
#: Decimals of the rational enclosure that stands for a transcendental constant.
_CONSTANT_DIGITS = 18


class Numbers(Protocol):
    """What the reductions need from the numeric layer: 50-digit values (raising
    `Undefined` / `Undecided` where a term has none), rational enclosures of constants,
    and sample points of domains."""

    Undefined: type[Exception]
    Undecided: type[Exception]
    TooLarge: type[Exception]
    Unsupported: type[Exception]

    def mp_value(self, expr: sympy.Expr, env: dict, dps: int = 50) -> mpmath.mpf: ...

    def enclosure(self, value: sympy.Expr) -> tuple[Fraction, Fraction]: ...

    def points(self, symbols: list[sympy.Symbol], domains: Domains, n: int) -> list[dict]: ...


@dataclass(frozen=True)
class Reduction:
    """A reduced claim: `formula` over `domains` (the original ones plus any new
    variable), with the steps that justify it. `exact`: equivalent to the original;
    otherwise proving it proves the original, but not conversely. `stands_for`
    says what each new variable replaced (`u -> 2**(beta*t)`, `c -> log(2)`)."""

    name: str
    formula: Formula
    domains: Domains
    steps: tuple[str, ...]
    exact: bool
    stands_for: dict[sympy.Symbol, sympy.Expr] = field(default_factory=dict)


SignOracle = Callable[[sympy.Expr, Domains], int]


@dataclass
class _Run:
    """One pass of rewriting: the steps taken, whether all were equivalences, and the
    certified sign oracle (if any) that backs SymPy's sign rules."""

    oracle: SignOracle | None = None
    steps: list[str] = field(default_factory=list)
    exact: bool = True

    def sign(self, expr: sympy.Expr, domains: Domains) -> int:
        """+1 / -1 when `expr` is positive / negative on the domains, else 0."""
        assumed, _ = _assumed(expr, domains)
        if assumed.is_positive:
            return 1
        if assumed.is_negative:
            return -1
        return self.oracle(expr, domains) if self.oracle is not None else 0


@dataclass(frozen=True)
class _Range:
    """Exact rational ends (None = infinite) of the values a term takes."""

    lo: Fraction | None
    hi: Fraction | None
    lo_open: bool
    hi_open: bool

    def __str__(self) -> str:
        left = "(" if self.lo_open or self.lo is None else "["
        right = ")" if self.hi_open or self.hi is None else "]"
        return f"{left}{'-oo' if self.lo is None else self.lo}, {'oo' if self.hi is None else self.hi}{right}"

    def has_integer(self) -> bool:
        if self.lo is None or self.hi is None:
            return True
        first = math.floor(self.lo) + 1 if self.lo_open else math.ceil(self.lo)
        last = math.ceil(self.hi) - 1 if self.hi_open else math.floor(self.hi)
        return first <= last


def _add_ranges(a: _Range, b: _Range) -> _Range:
    lo = None if a.lo is None or b.lo is None else a.lo + b.lo
    hi = None if a.hi is None or b.hi is None else a.hi + b.hi
    return _Range(lo, hi, a.lo_open or b.lo_open, a.hi_open or b.hi_open)


def _scale(a: _Range, c: Fraction) -> _Range:
    if c == 0:
        return _Range(Fraction(0), Fraction(0), False, False)
    lo = None if a.lo is None else a.lo * c
    hi = None if a.hi is None else a.hi * c
    if c > 0:
        return _Range(lo, hi, a.lo_open, a.hi_open)
    return _Range(hi, lo, a.hi_open, a.lo_open)


def _value_range(expr: sympy.Expr, domains: Domains) -> _Range | None:
    """The range of a term built from symbols with rational bounds by +, rational
    multiples, products of positive terms and reciprocals of positive terms; None
    for anything else."""
    if expr.is_Rational:
        q = Fraction(int(expr.p), int(expr.q))
        return _Range(q, q, False, False)
    if expr.is_Symbol:
        d = domains.get(expr)
        if d is None or d.integer:
            return None
        ends = []
        for bound in (d.lo, d.hi):
            if bound in (sympy.oo, -sympy.oo):
                ends.append(None)
            elif bound.is_Rational:
                ends.append(Fraction(int(bound.p), int(bound.q)))
            else:
                return None
        return _Range(ends[0], ends[1], d.lo_open, d.hi_open)
    if isinstance(expr, sympy.Add):
        parts = [_value_range(a, domains) for a in expr.args]
        if None in parts:
            return None
        total = parts[0]
        for p in parts[1:]:
            total = _add_ranges(total, p)
        return total
    if isinstance(expr, sympy.Mul):
        coeff, rest = expr.as_coeff_Mul()
        if coeff != 1:
            r = _value_range(rest, domains)
            return None if r is None else _scale(r, Fraction(int(coeff.p), int(coeff.q)))
        parts = [_value_range(a, domains) for a in expr.args]
        if None in parts or any(p.lo is None or p.lo < 0 for p in parts):
            return None
        lo, hi = Fraction(1), Fraction(1)
        for p in parts:
            lo = lo * p.lo
            hi = None if hi is None or p.hi is None else hi * p.hi
        # an open end of one factor makes the product's end open only when no factor is 0 there
        return _Range(lo, hi, lo > 0 and any(p.lo_open for p in parts),
                      hi is not None and hi > 0 and any(p.hi_open for p in parts))
    if isinstance(expr, sympy.Pow) and expr.exp == -1:
        r = _value_range(expr.base, domains)
        if r is None or r.lo is None or r.lo < 0 or (r.lo == 0 and not r.lo_open):
            return None
        lo = Fraction(0) if r.hi is None else 1 / r.hi
        hi = None if r.lo == 0 else 1 / r.lo
        return _Range(lo, hi, r.hi is None or r.hi_open, r.lo_open)
    return None


# --- monotone transforms ---------------------------------------------------------------

@dataclass(frozen=True)
class _Monotone:
    """`term = g(arg)` for a strictly monotone g, identified by `key`."""

    key: tuple
    arg: sympy.Expr
    increasing: bool
    exact: bool          # the definedness conditions of g(arg) are exactly the semantics
    text: str

    def inverse(self, value: sympy.Expr, sign: int) -> sympy.Expr | None:
        """The argument at which g takes `value` (whose sign on the domains is `sign`),
        if every such value is in g's range."""
        kind = self.key[0]
        if kind == "log":
            return sympy.exp(value)
        if value.is_zero and kind == "pow" and self.increasing:
            return sympy.Integer(0)  # x^p = 0 exactly at 0 when p > 0
        if sign <= 0:
            return None
        if kind == "exp":
            return sympy.log(value)
        if kind == "base":
            return sympy.log(value, self.key[1])
        return sympy.Pow(value, 1 / self.key[1])


def _monotone(term: sympy.Expr, domains: Domains, run: _Run) -> _Monotone | None:
    if isinstance(term, sympy.log):
        return _Monotone(("log",), term.args[0], True, True, "log is increasing on (0, oo)")
    if isinstance(term, sympy.exp):
        return _Monotone(("exp",), term.args[0], True, True, "exp is increasing")
    if not isinstance(term, sympy.Pow):
        return None
    base, p = term.args
    if base.is_number and not p.is_number:
        if base.is_positive and base != 1:
            up = bool(base > 1)
            return _Monotone(("base", base), p, up, True,
                             f"{sympy.sstr(base)}^x is {'increasing' if up else 'decreasing'}")
        return None
    if p.is_number:
        if not p.is_Rational or p.is_Integer and (p < 0 or p % 2 == 0):
            return None  # integer powers are polynomial already; even ones are not monotone
        up = bool(p > 0)
        where = "everywhere" if p.is_Integer else ("on [0, oo)" if up else "on (0, oo)")
        return _Monotone(("pow", p), base, up, True,
                         f"x^({sympy.sstr(p)}) is {'increasing' if up else 'decreasing'} {where}")
    sign = run.sign(p, domains)
    if sign == 0:
        return None
    if p.is_integer and run.sign(base, domains) <= 0:
        # an integer-valued exponent (n, 2n) is defined at a base <= 0 too, where x^n
        # is not monotone ((-3)^2 > (-2)^2) and no condition of definedness() excludes it
        return None
    r = _value_range(p, domains)
    # definedness() asks base > 0 for a symbolic exponent: the semantics exactly when the
    # base is positive anyway, or the exponent is negative and never an integer
    exact = run.sign(base, domains) > 0 or (sign < 0 and r is not None and not r.has_integer())
    return _Monotone(("pow", p), base, sign > 0, exact,
                     f"x^({sympy.sstr(p)}) is {'increasing' if sign > 0 else 'decreasing'} on (0, oo) "
                     f"since {sympy.sstr(p)} {'> 0' if sign > 0 else '< 0'} on the domains")


def _faithful(expr: sympy.Expr, domains: Domains, run: _Run) -> bool:
    """Whether definedness() states exactly when `expr` is defined: every power with a
    symbolic exponent has a base that is positive on the domains anyway."""
    return all(run.sign(n.base, domains) > 0 for n in sympy.preorder_traversal(expr)
               if isinstance(n, sympy.Pow) and not n.exp.is_number)


@dataclass(frozen=True)
class _Rewrite:
    """`lhs op rhs` is equivalent to `atom` wherever `pieces` are defined (and `exact`
    says the rule itself is an equivalence on its whole domain)."""

    atom: Atom
    pieces: tuple[sympy.Expr, ...]
    exact: bool
    text: str


def _through_monotone(factors: tuple[sympy.Expr, ...], op: str, domains: Domains,
                      run: _Run) -> _Rewrite | None:
    """`c * (g(A) - g(B)) op 0` with `c` of known sign and g strictly monotone: `A op B`,
    flipped as c's sign and g's direction ask. `g(B)` may be any term R in g's range
    on the domains (a constant, or e.g. a positive variable for exp): B = g^-1(R)."""
    sums = [f for f in factors if isinstance(f, sympy.Add)]
    if len(sums) != 1 or len(sums[0].args) != 2:
        return None
    sign = run.sign(sympy.Mul(*[f for f in factors if f is not sums[0]]), domains)
    if sign == 0:
        return None
    terms = [t.as_coeff_Mul() for t in sums[0].args]
    for (c1, g1), (c2, g2) in (terms, terms[::-1]):
        if g1.is_number or (c1 + c2 != 0 and not g2.is_number):
            continue
        g = _monotone(g1, domains, run)
        if g is None:
            continue
        other = None if g2.is_number else _monotone(g2, domains, run)
        if other is not None and other.key == g.key:
            target = other.arg
        else:
            # the other side is g of something: g(A) op R is A op g^-1(R) when R is in g's range
            value = -c2 * g2 / c1
            target = g.inverse(value, 1 if value.is_positive else run.sign(value, domains))
            other = g
        if target is None:
            continue
        # d = c1 * outer * (g(A) - g(B))
        new_op = op if (sign * (1 if c1 > 0 else -1) > 0) == g.increasing else _FLIP[op]
        pieces = (g1,) if g2.is_number else (g1, g2)
        return _Rewrite(Atom(new_op, g.arg, target), pieces, g.exact and other.exact, g.text)
    return None


def _through_sign(factors: tuple[sympy.Expr, ...], op: str, domains: Domains, run: _Run) -> _Rewrite | None:
    """`c * rest op 0` with `c` a product of factors of known sign (not just a number):
    `rest op 0`, flipped when c < 0."""
    known = [f for f in factors if not f.is_Rational and run.sign(f, domains) != 0]
    if not known:
        return None
    rest = sympy.Mul(*[f for f in factors if f not in known or f.is_Rational])
    outer = sympy.Mul(*known)
    sign = run.sign(outer, domains) * (1 if rest.as_coeff_Mul()[0] > 0 else -1)
    rest = abs(rest.as_coeff_Mul()[0]) * rest.as_coeff_Mul()[1]
    new_op = op if sign > 0 else _FLIP[op]
    return _Rewrite(Atom(new_op, rest, sympy.Integer(0)), tuple(known) + (rest,), True,
                    f"the factor {sympy.sstr(outer)} is {'positive' if sign > 0 else 'negative'} "
                    "on the domains")


def _transform_atom(a: Atom, domains: Domains, exact_only: bool, run: _Run, depth: int = 0) -> Formula:
    """The atom rewritten through monotone functions and factors of known sign,
    repeatedly; unchanged if no rule applies (or only one that is not an equivalence,
    where `exact_only`). The result carries the conditions under which the sides are
    defined, so that it is false wherever the atom is."""
    if depth >= _DEPTH or a.lhs.has(*CALCULUS) or a.rhs.has(*CALCULUS):
        # an unevaluated integral or limit: its definedness cannot be stated (below), and
        # SymPy's sign queries while factoring integrate it numerically, without end
        # when it diverges (integrate(R, x, 1, oo))
        return a
    try:
        # top level only: expanding inside a power would change the pieces' shape
        factored = sympy.factor_terms(sympy.expand(a.lhs - a.rhs, deep=False))
        factors = sympy.Mul.make_args(factored)
        rewrite = _through_monotone(factors, a.op, domains, run) or _through_sign(factors, a.op, domains, run)
        if rewrite is None:
            return a
        sides = [c for side in (a.lhs, a.rhs) for c in definedness(side, domains)]
        extra = [c for p in rewrite.pieces for c in definedness(p, domains) if c not in sides]
    except OutsideFragment:
        return a  # an unevaluated limit inside: its definedness cannot be stated
    except (sympy.PolynomialError, TypeError, ValueError):
        return a
    exact = rewrite.exact and not extra and _faithful(a.lhs, domains, run) and _faithful(a.rhs, domains, run)
    if exact_only and not exact:
        return a
    run.exact = run.exact and exact
    inner = rewrite.atom
    conditions = sides + extra
    run.steps.append(f"{sympy.sstr(a.lhs)} {a.op} {sympy.sstr(a.rhs)}: {rewrite.text}, so it holds "
                     f"exactly when {sympy.sstr(inner.lhs)} {inner.op} {sympy.sstr(inner.rhs)}"
                     + (" and both sides are defined" if conditions else ""))
    rewritten = _transform_atom(inner, domains, exact_only, run, depth + 1)
    parts = rewritten.args if isinstance(rewritten, And) else (rewritten,)
    return conj(list(dict.fromkeys([*conditions, *parts])))


def _transform(f: Formula, domains: Domains, positive: bool | None, run: _Run) -> Formula:
    """Rewrite every atom; a rewrite that is only sufficient (stronger) is used where the
    atom occurs positively, never under a negation or an <->."""
    if isinstance(f, Atom):
        return _transform_atom(f, domains, positive is not True, run)
    if isinstance(f, Truth):
        return f
    if isinstance(f, Not):
        return Not(_transform(f.arg, domains, None if positive is None else not positive, run))
    if isinstance(f, And):
        return conj([_transform(a, domains, positive, run) for a in f.args])
    if isinstance(f, Or):
        return Or(tuple(_transform(a, domains, positive, run) for a in f.args))
    if isinstance(f, Implies):
        return Implies(_transform(f.lhs, domains, None if positive is None else not positive, run),
                       _transform(f.rhs, domains, positive, run))
    if isinstance(f, Iff):
        return Iff(_transform(f.lhs, domains, None, run), _transform(f.rhs, domains, None, run))
    if isinstance(f, Quantified):
        inner = dict(domains)
        inner.update({b.symbol: b.domain for b in f.binders})
        return Quantified(f.kind, f.binders, _transform(f.body, inner, positive, run))
    raise TypeError(f"{type(f).__name__} must be desugared before the reductions")


def monotone(formula: Formula, domains: Domains, *, sign: SignOracle | None = None) -> Reduction | None:
    """The claim with monotone functions and factors of known sign peeled off its atoms,
    or None if no atom has any. `sign` is a certified sign oracle (+1, -1, or 0 for
    "cannot tell") consulted where SymPy's sign rules say nothing."""
    run = _Run(sign)
    out = _transform(formula, domains, True, run)
    if not run.steps:
        return None
    return Reduction("monotone transform", out, dict(domains), tuple(run.steps), run.exact)


# --- substitution of exponentials and constants ----------------------------------------

def _fresh(name: str, taken: set[str]) -> sympy.Symbol:
    candidate, i = name, 1
    while candidate in taken:
        i += 1
        candidate = f"{name}{i}"
    taken.add(candidate)
    return sympy.Symbol(candidate, real=True)


def _exponential(term: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr] | None:
    """(base, exponent) of `b^w` with a positive constant base b != 1, or exp(w); an
    integer base that is a perfect power is written as its root (4^w = 2^(2w)), so
    that powers of one number share one variable. Not a base with an unevaluated sum,
    integral or limit: SymPy cannot compare it with 1 without evaluating it."""
    if isinstance(term, sympy.exp) and not term.args[0].is_number:
        return sympy.E, term.args[0]
    if isinstance(term, sympy.Pow) and term.base.is_number and not term.exp.is_number \
            and not term.base.has(*CALCULUS) and term.base.is_positive and term.base != 1:
        base, w = term.base, term.exp
        if base.is_Integer:
            root = sympy.perfect_power(int(base))
            if root:
                base, w = sympy.Integer(root[0]), w * root[1]
        return base, w
    return None


def _bound_symbols(f: Formula) -> set[sympy.Symbol]:
    return {b.symbol for node in f.walk() if isinstance(node, Quantified) for b in node.binders}


def _u_domain(base: sympy.Expr, w: sympy.Expr, domains: Domains) -> tuple[Domain, str]:
    """An interval holding every value of base^w on the domains."""
    r = _value_range(w, domains)
    if base < 1:  # b^w = (1/b)^(-w)
        base, r = 1 / base, None if r is None else _scale(r, Fraction(-1))
    lo, hi = sympy.Integer(0), sympy.oo
    lo_open, hi_open = True, True
    if r is not None:
        if r.lo is not None:
            k = math.floor(r.lo) if base.is_Rational else (0 if r.lo >= 0 else None)
            if k is not None:
                lo, lo_open = base ** k, (r.lo_open and k == r.lo)
        if r.hi is not None:
            k = math.ceil(r.hi) if base.is_Rational else (0 if r.hi <= 0 else None)
            if k is not None:
                hi, hi_open = base ** k, (r.hi_open and k == r.hi)
    where = "" if r is None else f" since {sympy.sstr(w)} ranges over {r}"
    return Domain(lo, hi, lo_open, hi_open), where


def _log_domain(core: sympy.Expr, domains: Domains, numbers: Numbers) -> tuple[Domain, str]:
    """An interval holding every value of log(core) on the domains (core > 0 there)."""
    r = _value_range(core, domains)
    lo, hi = -sympy.oo, sympy.oo
    lo_open = hi_open = True
    if r is not None and r.lo is not None and r.lo > 0:
        lo = _outward(sympy.log(sympy.Rational(r.lo.numerator, r.lo.denominator)), numbers)[0]
        lo_open = r.lo_open or lo == -sympy.oo
    if r is not None and r.hi is not None and r.hi > 0:
        hi = _outward(sympy.log(sympy.Rational(r.hi.numerator, r.hi.denominator)), numbers)[1]
        hi_open = r.hi_open or hi == sympy.oo
    where = "" if r is None else f" since {sympy.sstr(core)} ranges over {r}"
    return Domain(lo, hi, lo_open, hi_open), where


def _outward(value: sympy.Expr, numbers: Numbers) -> tuple[sympy.Expr, sympy.Expr]:
    """Rationals just below and above a closed number (the number itself if rational),
    with 18 decimals: readable bounds, still far tighter than any claim needs; infinite
    ones if the number cannot be enclosed."""
    if value.is_Rational:
        return value, value
    try:
        lo, hi = numbers.enclosure(value)
    except numbers.Undecided:
        return -sympy.oo, sympy.oo
    scale = 10 ** _CONSTANT_DIGITS
    return (sympy.Rational(int(math.floor(lo * scale)), scale),
            sympy.Rational(int(math.ceil(hi * scale)), scale))


def _map_atoms(f: Formula, fn: Callable[[Atom], Formula]) -> Formula:
    if isinstance(f, Atom):
        return fn(f)
    if isinstance(f, Truth):
        return f
    if isinstance(f, Not):
        return Not(_map_atoms(f.arg, fn))
    if isinstance(f, (And, Or)):
        return type(f)(tuple(_map_atoms(a, fn) for a in f.args))
    if isinstance(f, (Implies, Iff)):
        return type(f)(_map_atoms(f.lhs, fn), _map_atoms(f.rhs, fn))
    if isinstance(f, Quantified):
        return Quantified(f.kind, f.binders, _map_atoms(f.body, fn))
    raise TypeError(f"{type(f).__name__} must be desugared before the reductions")


def _expand_logs(e: sympy.Expr, domains: Domains) -> sympy.Expr:
    """log(1/x) = -log(x), log(x*y) = log(x) + log(y), ... where the domains make the
    arguments positive (so both sides are defined at the same points)."""
    assumed, back = _assumed(e, domains)
    return sympy.expand_log(assumed).xreplace(back)


def substitute(formula: Formula, domains: Domains, *, numbers: Numbers,
               sign: SignOracle | None = None) -> Reduction | None:
    """Exponentials `b^(q w)` become `u^q` with `u = b^w` a new variable over an
    interval holding b^w's values; logarithms of terms positive on the domains
    become variables `v = log(w)` likewise; transcendental constants become variables
    over rational enclosures. Each atom keeps the conditions under which its sides are
    defined, so the reduced claim is an instance-wise generalization: proving it
    proves the claim, not conversely. None when there is nothing to substitute."""
    run = _Run(sign)
    taken = {s.name for node in formula.walk() for e in node.exprs() for s in e.free_symbols}
    taken |= {s.name for s in domains}
    bound = _bound_symbols(formula)
    prepared = formula.map_exprs(lambda e: _expand_logs(e, domains))
    exponentials: dict[tuple[sympy.Expr, sympy.Expr], list[sympy.Expr]] = {}
    logs: set[sympy.Expr] = set()
    for node in prepared.walk():
        for e in node.exprs():
            for term in sympy.preorder_traversal(e):
                found = _exponential(term)
                if found is not None and not found[1].free_symbols & bound:
                    base, w = found
                    exponentials.setdefault((base, w.as_coeff_Mul()[1]), []).append(term)
                elif isinstance(term, sympy.log) and not term.args[0].is_number \
                        and not term.free_symbols & bound and run.sign(term.args[0], domains) > 0:
                    logs.add(term)
    new_domains = dict(domains)
    stands_for: dict[sympy.Symbol, sympy.Expr] = {}
    steps: list[str] = []
    replace: dict[sympy.Expr, sympy.Expr] = {}
    ordered = sorted(exponentials.items(), key=lambda kv: tuple(map(sympy.default_sort_key, kv[0])))
    for (base, core), terms in ordered:
        u = _fresh("u", taken)
        new_domains[u], where = _u_domain(base, core, domains)
        stands_for[u] = base ** core
        for term in terms:
            _, w = _exponential(term)
            replace[term] = u ** (w / core)
        steps.append(f"{u} = {sympy.sstr(base ** core, order='none')} lies in {new_domains[u]}{where}; "
                     f"every power {sympy.sstr(base)}^({sympy.sstr(core)}*q) becomes {u}^q")
    for term in sorted(logs, key=sympy.default_sort_key):
        v = _fresh("v", taken)
        new_domains[v], where = _log_domain(term.args[0], domains, numbers)
        stands_for[v] = term
        replace[term] = v
        steps.append(f"{v} = {sympy.sstr(term)} lies in {new_domains[v]}{where}")

    def guarded(a: Atom) -> Formula:
        # an atom is false where a side is undefined; the new variables are always
        # defined, so that condition is spelled out before they replace anything
        if not any(a.lhs.has(t) or a.rhs.has(t) for t in replace):
            return a
        return conj(list(dict.fromkeys([c for side in (a.lhs, a.rhs) for c in definedness(side, domains)]))
                    + [a])

    try:
        substituted = _map_atoms(prepared, guarded).map_exprs(lambda e: e.xreplace(replace))
    except OutsideFragment:
        return None  # an unevaluated limit: its definedness cannot be spelled out
    constants: dict[sympy.Expr, sympy.Symbol] = {}

    def name_constants(e: sympy.Expr) -> sympy.Expr:
        if e.is_number and not e.is_Rational and _transcendental(e):
            if e not in constants:
                lo, hi = _outward(e, numbers)
                if lo == -sympy.oo:
                    return e  # no enclosure: the constant stays (and z3 will refuse it)
                c = _fresh("c", taken)
                new_domains[c] = Domain(lo, hi)
                constants[e] = c
                stands_for[c] = e
                steps.append(f"{c} stands for {sympy.sstr(e)}, which lies in {new_domains[c]}")
            return constants[e]
        if e.is_Atom or not e.args:
            return e
        return e.func(*[name_constants(a) for a in e.args])

    reduced = substituted.map_exprs(name_constants)
    if not steps:
        return None
    steps.append("the reduced claim holds for every value of the new variables in their ranges, "
                 "so it implies the claim")
    return Reduction("substitution", reduced, new_domains, tuple(steps), False, stands_for)


def _transcendental(e: sympy.Expr) -> bool:
    return e.has(sympy.log, sympy.exp, sympy.pi, sympy.E) or any(
        isinstance(n, sympy.Pow) and not n.exp.is_Rational for n in sympy.preorder_traversal(e))


# --- power substitution ------------------------------------------------------------------

#: Formula nodes the power substitution rewrites through (anything else: it declines).
_PLAIN = (Atom, Truth, Not, And, Or, Implies, Iff, Quantified)
#: The rational multiplier of a power's core, in the evidence's text.
_R = sympy.Symbol("r")


def _power_uses(e: sympy.Expr, x: sympy.Symbol, cores: list[sympy.Expr]) -> bool:
    """Whether every occurrence of `x` in `e` is a power `x^(r*core)` (r rational, core
    symbolic and free of x) or `log(x)`; the cores go into `cores`."""
    if not e.has(x):
        return True
    if isinstance(e, sympy.Pow) and e.base == x and not e.exp.is_number and not e.exp.has(x):
        cores.append(e.exp.as_coeff_Mul()[1])
        return True
    if isinstance(e, sympy.log) and e.args[0] == x:
        return True
    if e == x or isinstance(e, CALCULUS):
        return False
    return all(_power_uses(a, x, cores) for a in e.args)


def _image(end: sympy.Expr, increasing: bool) -> sympy.Expr | None:
    """The end `end^core` of y's domain for an end of x's, when it does not depend on
    core (0, 1, oo: the ends the map fixes or swaps); None otherwise."""
    if end == 1:
        return end
    if end in (0, sympy.oo):
        return end if increasing else ({0: sympy.oo, sympy.oo: 0}[end])
    return None


def _root_of(x: sympy.Symbol, formula: Formula, domains: Domains, run: _Run,
             taken: set[str]) -> tuple[Formula, Domains, sympy.Symbol, sympy.Expr, str] | None:
    """The claim in `y = x^core` for one positive variable `x` that the claim uses only
    as powers `x^(r*core)` (r rational) and `log(x)`: x = y^(1/core), so `x^(r*core)`
    becomes `y^r` and `log(x)` becomes `log(y)/core`. None where that is not an
    equivalence the domains prove."""
    d = domains[x]
    if d.integer or not d.lo.is_number or not (d.lo > 0 or (d.lo == 0 and d.lo_open)) \
            or any(x in other.free_symbols for s, other in domains.items() if s != x):
        return None  # x^core is one-to-one only on (0, oo), and no other domain may move
    cores: list[sympy.Expr] = []
    if not all(_power_uses(e, x, cores) for node in formula.walk() for e in node.exprs()) or not cores:
        return None
    core = min(cores, key=sympy.default_sort_key)
    ratios = [sympy.cancel(c / core) for c in cores]
    binders = {b.symbol for node in formula.walk() if isinstance(node, Quantified) for b in node.binders}
    sign = run.sign(core, domains) if core.free_symbols <= set(domains) else 0
    if sign == 0 or not all(r.is_Rational for r in ratios) or binders & (core.free_symbols | {x}) \
            or definedness(core, domains):
        return None  # core of unknown sign, powers not of one core, or a name captured
    lo, hi = _image(d.lo, sign > 0), _image(d.hi, sign > 0)
    if lo is None or hi is None:
        return None
    image = Domain(lo, hi, d.lo_open, d.hi_open) if sign > 0 else Domain(hi, lo, d.hi_open, d.lo_open)
    y = _fresh("y", taken)

    def rewrite(e: sympy.Expr) -> sympy.Expr:
        if isinstance(e, sympy.Pow) and e.base == x:
            return y ** sympy.cancel(e.exp / core)
        if isinstance(e, sympy.log) and e.args[0] == x:
            return sympy.log(y) / core
        return e.func(*[rewrite(a) for a in e.args]) if e.has(x) else e

    out = formula.map_exprs(rewrite)
    if any(e.has(x) for node in out.walk() for e in node.exprs()):
        return None
    step = (f"{y} = {sympy.sstr(x ** core)} maps {x}'s domain {d} one-to-one onto {image} "
            f"({sympy.sstr(core)} is {'positive' if sign > 0 else 'negative'} on the domains); "
            f"{x} = {sympy.sstr(y ** (1 / core))}, so every {sympy.sstr(x ** (_R * core))} (r rational) becomes "
            f"{y}**r and log({x}) becomes {sympy.sstr(sympy.log(y) / core)}, each defined wherever it was")
    return out, {(y if s == x else s): (image if s == x else dd) for s, dd in domains.items()}, y, core, step


def powers(formula: Formula, domains: Domains, *, sign: SignOracle | None = None) -> Reduction | None:
    """Each positive variable `x` that the claim uses only as powers `x^(r*core)` (r
    rational, one symbolic `core` of certified sign) and `log(x)` replaced by `y =
    x^core`: an equivalence, since x -> x^core maps x's domain one-to-one onto y's
    (computed exactly; declined unless its ends are 0, 1 or oo, which do not depend on
    core) and `x^(r*core) = y^r`, `log(x) = log(y)/core` hold and are defined wherever
    x > 0. A claim with `x^(1/kappa)`, `x^(-1/kappa)` and `log(x)` becomes one with
    `y`, `1/y` and `kappa*log(y)`, which the monotone transform and z3 can take. None
    when no variable qualifies."""
    if not all(isinstance(node, _PLAIN) for node in formula.walk()):
        return None
    run = _Run(sign)
    taken = {s.name for node in formula.walk() for e in node.exprs() for s in e.free_symbols}
    taken |= {s.name for s in domains}
    stands_for: dict[sympy.Symbol, sympy.Expr] = {}
    steps: list[str] = []
    for x in sorted(domains, key=lambda s: s.name):
        found = _root_of(x, formula, domains, run, taken)
        if found is not None:
            formula, domains, y, core, step = found
            stands_for[y] = x ** core
            steps.append(step)
    if not steps:
        return None
    return Reduction("power substitution", formula, domains, tuple(steps), True, stands_for)


# --- limits ------------------------------------------------------------------------------

def limit_value(node: sympy.Limit, domains: Domains, *, numbers: Numbers,
                seconds: float = 5.0) -> tuple[sympy.Expr | None, str]:
    """SymPy's value of a limit (with the signs the domains give its parameters),
    accepted only when 50-digit evaluation approaching the limit point agrees.
    Returns (value or None, what was checked)."""
    expr, x, point, direction = node.args
    if expr.has(*NO_SYMPY_LIMIT):
        return None, "SymPy's limit does not know the real cube root (functions.NO_SYMPY_LIMIT)"
    try:
        with time_limit(seconds, "SymPy limit"):
            posed = limit_well_posed(node, domains)
    except (BackendTimeout, NotImplementedError, ValueError, TypeError) as e:
        return None, f"SymPy could not settle where the limit is defined ({type(e).__name__})"
    if not posed:
        # a value put in without a guard must hold for every parameter value: numbers
        # at a few points cannot see limit((v - 1)/(v - a), v, 1) jump at a = 1
        return None, "not settled that the limit is defined, and SymPy's value holds, for every parameter value"
    assumed, back = _assumed(expr, {s: d for s, d in domains.items() if s != x})
    # a bound x carries its own domain, so it may be renamed too: take the limit in its name
    x_renamed = {v: k for k, v in back.items()}.get(x, x)
    try:
        with time_limit(seconds, "SymPy limit"):
            value = sympy.limit(assumed, x_renamed, point, str(direction)).xreplace(back)
    except (BackendTimeout, NotImplementedError, ValueError, TypeError) as e:
        return None, f"SymPy could not evaluate the limit ({type(e).__name__})"
    if value.has(sympy.Limit, sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.AccumBounds):
        return None, f"SymPy's value {sympy.sstr(value)} is not a finite closed form"
    params = sorted(expr.free_symbols - {x}, key=lambda s: s.name)
    if any(s not in domains for s in params):
        return None, "a parameter of the limit has no domain"
    checked = 0
    for env in numbers.points(params, domains, _LIMIT_POINTS):
        errors = []
        for k in _LIMIT_STEPS:
            near = _approach(point, str(direction), k)
            try:
                got = numbers.mp_value(expr, {**env, x: near})
                want = numbers.mp_value(value, env)
            except (numbers.Undefined, numbers.Undecided):
                errors = []  # undefined near the point: this parameter point says nothing
                break
            except numbers.TooLarge:
                break  # a value too large to evaluate this close: judge by the steps taken
            except numbers.Unsupported as e:
                return None, f"the expression cannot be evaluated near the limit point ({e})"
            errors.append(abs(got - want) / max(1, abs(want)))
        if len(errors) < 2:  # no approach to judge by
            continue
        if not (errors[-1] < mpmath.mpf(10) ** -3 and errors[-1] <= errors[0]):
            shown = ", ".join(f"{s} = {v}" for s, v in env.items())
            return None, (f"SymPy says {sympy.sstr(value)}, but at {shown or 'the point'} the expression "
                          f"stays {mpmath.nstr(errors[-1], 3)} away (relative) near the limit point")
        checked += 1
    if checked == 0:
        return None, "the expression could not be evaluated near the limit point"
    return value, (f"limit {sympy.sstr(node)} = {sympy.sstr(value)} (SymPy), cross-checked at 50 digits at "
                   f"{checked} parameter points approaching {sympy.sstr(point)}")


def _approach(point: sympy.Expr, direction: str, k: int) -> Fraction:
    if point == sympy.oo:
        return Fraction(10) ** k
    if point == -sympy.oo:
        return -Fraction(10) ** k
    p = Fraction(int(point.p), int(point.q))
    step = Fraction(1, 10 ** k)
    return p - step if direction == "-" else p + step


def limits(formula: Formula, domains: Domains, *, numbers: Numbers) -> Reduction | None:
    """Every unevaluated limit (at a rational point or +-oo) replaced by its
    cross-checked value; None if there is none or any of them fails its check."""
    nodes = list(dict.fromkeys(n for node in formula.walk() for e in node.exprs()
                               for n in sympy.preorder_traversal(e) if isinstance(n, sympy.Limit)))
    if not nodes:
        return None
    steps, values = [], {}
    for n in nodes:
        x, point = n.args[1:3]
        if not (point.is_Rational or point in (sympy.oo, -sympy.oo)):
            return None
        if limit_direction(domain_of(x, domains) or Domain(-sympy.oo, sympy.oo, True, True), point) is None:
            return None  # x cannot approach the point within its domain (oo for x in [0, 1])
        value, why = limit_value(n, domains, numbers=numbers)
        if value is None:
            return None
        values[n] = value
        steps.append(why)
    reduced = formula.map_exprs(lambda e: e.xreplace(values))
    return Reduction("limit", reduced, dict(domains), tuple(steps), True)


# --- all together ------------------------------------------------------------------------

def _chain(first: Reduction, second: Reduction | None) -> Reduction | None:
    if second is None:
        return None
    return Reduction(f"{first.name} + {second.name}", second.formula, second.domains,
                     first.steps + second.steps, first.exact and second.exact,
                     {**first.stands_for, **second.stands_for})


def reduce(formula: Formula, domains: Domains, *, numbers: Numbers,
           sign: SignOracle | None = None) -> list[Reduction]:
    """Reduced forms of a normalized claim, most faithful first: limits evaluated,
    then monotone transforms (exact where possible), then exponentials and constants
    substituted; then the power substitution, followed by both again. Each is a
    candidate for the SMT path; an empty list means no reduction applies."""
    out: list[Reduction] = []
    start = limits(formula, domains, numbers=numbers)
    current = start if start is not None else Reduction("none", formula, dict(domains), (), True)
    if start is not None:
        out.append(start)
    out += _monotone_then_substitute(current, numbers, sign)
    # the power substitution last: it renames variables, so the reductions before it
    # (over the claim's own variables) stay the interval prover's targets and evidence
    root = powers(current.formula, current.domains, sign=sign)
    if root is not None:
        root = _chain(current, root) if current.steps else root
        out += [root, *_monotone_then_substitute(root, numbers, sign)]
    return out


def _monotone_then_substitute(current: Reduction, numbers: Numbers, sign: SignOracle | None) -> list[Reduction]:
    """The monotone transform of `current`'s claim, then its substitution, each chained
    to `current` (whose own steps, if any, come first)."""
    out: list[Reduction] = []
    mono = monotone(current.formula, current.domains, sign=sign)
    if mono is not None:
        current = _chain(current, mono) if current.steps else mono
        out.append(current)
    sub = substitute(current.formula, current.domains, numbers=numbers, sign=sign)
    if sub is not None:
        out.append(_chain(current, sub) if current.steps else sub)
    return out


__all__ = ["Reduction", "Numbers", "reduce", "monotone", "powers", "substitute", "limits", "limit_value"]
