"""Translate the normalized intermediate form into z3 terms, soundly.

The fragment: polynomial and rational arithmetic, rational powers (roots), the real
cube root `cbrt`, abs, min, max, floor and ceil (integer auxiliary variables), with
quantifiers over interval domains. z3 has no trigonometric or hyperbolic functions: a
claim with one is outside the fragment and goes to the other methods (nothing is
abstracted, so no model can be spurious). Every atom carries its
definedness (denominators nonzero, radicands nonnegative), so z3's total division
never "satisfies" a formula through x/0. Denominators are cleared under a proven
sign where the domains give one, and otherwise by multiplying through by the
denominator (which keeps the sign of the relation). Anything else raises
OutsideFragment: it is passed on, never forced.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import sympy
import z3

from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.functions import Cbrt
from lawproof.language.timeout import RLIMIT_PER_SECOND, interrupting
from lawproof.language.formula import (And, Atom, Binder, Bound, Formula, Iff, Implies, Not, Or, Quantified,
                              Truth, conj, disj, free_symbols)
from lawproof.symbolic.expansion import expand_polynomial

from .box import box_sign

_FLIP = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
#: Budget of one sign proof for a denominator or factor, in z3 resource units (what
#: about 0.3 s of solving counts; the bundled papers' largest uses 2,600). The proved
#: sign decides how a relation is translated, so it is a budget, not a clock; its
#: CPU safety net (`safety_seconds`, or the claim's limit if sooner) only catches what
#: z3's count misses.
SIGN_RLIMIT = 600_000
SIGN_SECONDS = SIGN_RLIMIT / RLIMIT_PER_SECOND


@dataclass
class _Aux:
    """An auxiliary variable standing for a root, abs, min or max.

    `exists` says when the term is defined (a nonnegative radicand), exactly; given
    that, `constraints` hold at the term's value. For roots, abs, min and max they
    determine the variable uniquely; for a transcendental term (`bounds`) they are
    certified bounds that only enclose it, which is sound for proofs: each atom's
    translation, in either polarity, then holds wherever the atom (or its negation)
    does, so an unsatisfiable negation still proves the claim, but a model of it is
    no counterexample.
    """

    symbol: sympy.Symbol
    constraints: list[Formula]
    exists: list[Atom] = field(default_factory=list)


@dataclass
class Translator:
    """Turns formulas into z3 over a fixed set of free-symbol domains.

    `scope` maps every symbol in reach (free ones and enclosing binders) to its
    domain; sign facts about denominators are proved under those domains and cached.
    Each translator builds its terms in a z3 context of its own: z3's printout and
    its models depend on the ids of every term built before in the same context, so
    a shared context would make artifacts and counterexamples depend on what the
    process happened to check earlier.
    """

    domains: dict[sympy.Symbol, Domain]
    #: Enclosures for terms outside polynomial arithmetic (exp, log, ...): called with
    #: the translator, the term and the atom's auxiliary variables, it returns the
    #: variable standing for the term (made with `aux`) or None (proofs/bounds.py).
    bounds: "Callable[[Translator, sympy.Expr, dict], sympy.Expr | None] | None" = None
    ctx: z3.Context = field(default_factory=z3.Context)
    variables: dict[sympy.Symbol, z3.ArithRef] = field(default_factory=dict)
    #: an integer variable was made, and a product of two non-constant terms or a power
    #: (`nonlinear_integers`)
    integers: bool = False
    nonlinear: bool = False
    _names: set[str] = field(default_factory=set)
    _signs: dict[tuple, int] = field(default_factory=dict)
    _fresh: itertools.count = field(default_factory=itertools.count)

    # -- variables ------------------------------------------------------------
    def var(self, s: sympy.Symbol) -> z3.ArithRef:
        v = self.variables.get(s)
        if v is None:
            name = s.name if s.name not in self._names else f"{s.name}!{len(self._names)}"
            v = z3.Int(name, self.ctx) if s.is_integer else z3.Real(name, self.ctx)
            self.integers = self.integers or bool(s.is_integer)
            self.variables[s] = v
            self._names.add(name)
        return v

    def nonlinear_integers(self) -> bool:
        """Do the terms built so far hold nonlinear integer arithmetic (an integer variable
        and a nonlinear term anywhere, since z3 solves the theories together)? There z3
        may ignore interrupts for seconds (issue 16), so its queries run in a worker
        process that can be killed (smt.decide)."""
        return self.integers and self.nonlinear

    def value(self, q: sympy.Rational | Fraction) -> z3.ArithRef:
        """An exact rational constant."""
        n, d = (q.p, q.q) if isinstance(q, sympy.Rational) else (q.numerator, q.denominator)
        return z3.RealVal(f"{n}/{d}" if d != 1 else n, self.ctx)

    def all(self, items: list[z3.BoolRef]) -> z3.BoolRef:
        """The conjunction of `items` (true when there are none: z3 prints an empty
        And as the bare symbol `and`, which is not SMT-LIB 2.6)."""
        return z3.And(*items, self.ctx) if items else z3.BoolVal(True, self.ctx)

    def any(self, items: list[z3.BoolRef]) -> z3.BoolRef:
        """The disjunction of `items` (false when there are none)."""
        return z3.Or(*items, self.ctx) if items else z3.BoolVal(False, self.ctx)

    def domain_constraints(self, s: sympy.Symbol, domain: Domain,
                           scope: dict[sympy.Symbol, Domain]) -> list[z3.BoolRef]:
        return [self.atom(Atom(op, lhs, rhs), scope) for op, lhs, rhs in domain.constraints(s)]

    # -- formulas -----------------------------------------------------------------
    def formula(self, f: Formula, scope: dict[sympy.Symbol, Domain] | None = None) -> z3.BoolRef:
        scope = dict(self.domains) if scope is None else scope
        if isinstance(f, Truth):
            return z3.BoolVal(f.value, self.ctx)
        if isinstance(f, Atom):
            return self.atom(f, scope)
        if isinstance(f, Not):
            if isinstance(f.arg, Atom):
                return self.atom(f.arg, scope, positive=False)
            return z3.Not(self.formula(f.arg, scope))
        if isinstance(f, And):
            return self.all([self.formula(a, scope) for a in f.args])
        if isinstance(f, Or):
            return self.any([self.formula(a, scope) for a in f.args])
        if isinstance(f, Implies):
            return z3.Implies(self.formula(f.lhs, scope), self.formula(f.rhs, scope))
        if isinstance(f, Iff):
            return self.formula(f.lhs, scope) == self.formula(f.rhs, scope)
        if isinstance(f, Quantified):
            inner = dict(scope)
            guards: list[z3.BoolRef] = []
            zvars = []
            for b in f.binders:
                inner[b.symbol] = b.domain
            for b in f.binders:
                zvars.append(self.var(b.symbol))
                guards.extend(self.domain_constraints(b.symbol, b.domain, inner))
            body = self.formula(f.body, inner)
            if f.kind == "forall":
                return z3.ForAll(zvars, z3.Implies(self.all(guards), body))
            return z3.Exists(zvars, self.all([*guards, body]))
        raise OutsideFragment(f"{type(f).__name__} must be desugared before translation")

    # -- atoms --------------------------------------------------------------------
    def atom(self, a: Atom, scope: dict[sympy.Symbol, Domain], positive: bool = True) -> z3.BoolRef:
        """The atom (or its negation) with its auxiliary variables existentially
        quantified in both polarities, so that a negated atom adds no universal
        quantifier: it is false exactly when some term is undefined (the first
        failing existence condition) or when all are defined and the relation fails."""
        # is_number first: it reads the tree, is_finite asks SymPy's assumption system
        if any(side.is_number and not side.is_finite for side in (a.lhs, a.rhs)):
            raise OutsideFragment("an infinite value in a comparison")
        auxes: dict[sympy.Expr, _Aux] = {}
        # each side on its own: sqrt(x) - sqrt(x) would cancel, and with it x >= 0
        left, right = self.purify(a.lhs, auxes), self.purify(a.rhs, auxes)
        inner = dict(scope)
        for aux in auxes.values():
            inner[aux.symbol] = Domain(-sympy.oo, sympy.oo, True, True)

        def all_of(atoms: list[Formula]) -> z3.BoolRef:
            return self.all([self.constraint(c, inner, auxes) for c in atoms])

        rel = self.relation(a.op, left, right, inner, auxes)
        steps = [(all_of(x.exists), all_of(x.constraints)) for x in auxes.values()]
        if positive:
            body = self.all([self.all([e, c]) for e, c in steps] + [rel])
        else:
            alternatives, prefix = [], []
            for e, c in steps:  # in creation order: inner terms before the terms using them
                alternatives.append(self.all([*prefix, z3.Not(e)]))
                prefix.append(c)
            alternatives.append(self.all([*prefix, z3.Not(rel)]))
            body = self.any(alternatives)
        if not auxes:
            return body
        return z3.Exists([self.var(x.symbol) for x in auxes.values()], body)

    def constraint(self, c: Formula, scope: dict[sympy.Symbol, Domain],
                   auxes: dict[sympy.Expr, "_Aux"]) -> z3.BoolRef:
        """A condition on auxiliary variables: a relation between rational functions,
        or a conjunction or disjunction of them (a bound valid on part of the line)."""
        if isinstance(c, Atom):
            return self.relation(c.op, c.lhs, c.rhs, scope, auxes)
        if isinstance(c, And):
            return self.all([self.constraint(a, scope, auxes) for a in c.args])
        if isinstance(c, Or):
            return self.any([self.constraint(a, scope, auxes) for a in c.args])
        raise OutsideFragment(f"{type(c).__name__} in the condition of an auxiliary variable")

    def relation(self, op: str, lhs: sympy.Expr, rhs: sympy.Expr, scope: dict[sympy.Symbol, Domain],
                 auxes: dict[sympy.Expr, _Aux]) -> z3.BoolRef:
        """`lhs op rhs` for rational functions (roots already purified).

        Denominators are collected from each side before subtracting: SymPy cancels
        `1/x - 1/x` to 0, which would lose the condition x != 0.
        """
        dens = list(dict.fromkeys(_denominators(lhs) + _denominators(rhs)))
        zero = sympy.Integer(0)
        defined = [self.relation("!=", b, zero, scope, auxes) for b in dens
                   if self.sign(b, scope, auxes) == 0]
        num, den = _over_common_denominator(lhs - rhs)
        sign = self.sign(den, scope, auxes)
        n = self.term(_expanded(num))
        if sign > 0:
            rel = _compare(op, n)
        elif sign < 0:
            rel = _compare(_FLIP[op], n)
        else:
            d = self.term(_expanded(den))
            rel = _compare(op, n * d) if op not in ("=", "!=") else _compare(op, n)
        return self.all([*defined, rel]) if defined else rel

    def sign(self, p: sympy.Expr, scope: dict[sympy.Symbol, Domain],
             auxes: dict[sympy.Expr, _Aux]) -> int:
        """+1 / -1 when `p` is provably positive / negative on the domains, else 0."""
        if p.is_number:
            return 1 if p > 0 else (-1 if p < 0 else 0)
        num, den = _over_common_denominator(p)
        if den != 1:
            return self.sign(num, scope, auxes) * self.sign(den, scope, auxes)
        coeff, factors = _factor_list(p)
        total = 1 if coeff > 0 else -1
        for f, k in factors:
            s = self._factor_sign(f, scope, auxes)
            if s == 0:
                return 0
            total *= s ** k
        return total

    def _factor_sign(self, f: sympy.Expr, scope: dict[sympy.Symbol, Domain],
                     auxes: dict[sympy.Expr, _Aux]) -> int:
        by_symbol = {x.symbol: x for x in auxes.values()}
        syms = set(f.free_symbols)
        for x in list(syms):  # an auxiliary variable brings the symbols it is defined from
            if x in by_symbol:
                syms |= {s for c in by_symbol[x].constraints + by_symbol[x].exists
                         for s in free_symbols(c)}
        syms = _closure(syms, scope)
        # a set of (name, domain): sorted by their printed form, they cost more than the lookup saved
        key = (f, frozenset((s.name, scope.get(s)) for s in syms))
        if key in self._signs:
            return self._signs[key]
        result, fired = 0, False
        if all(s in scope for s in syms):
            fact = _sign_fact_key(f, scope, by_symbol)
            known = _SIGN_FACTS.get(fact)
            if known is not None:
                result = known
            else:
                # interval arithmetic, or two points of opposite signs, settle most
                # factors as z3 would, without a context and two queries (sign proofs
                # were a tenth of a check of the Amdahl pack)
                quick = None if by_symbol.keys() & syms else box_sign(f, {s: scope[s] for s in syms})
                if quick is not None:
                    result = quick
                else:
                    result, fired = _prove_sign(f, syms, scope, auxes, by_symbol)
                if not fired:  # a fact cut short by a safety net is this claim's business only
                    if len(_SIGN_FACTS) >= _MEMO_SIZE:
                        _SIGN_FACTS.clear()
                    _SIGN_FACTS[fact] = result
        if not fired:  # a sign the net cut short is not known: another query may prove it
            self._signs[key] = result
        return result

    # -- terms --------------------------------------------------------------------
    def purify(self, e: sympy.Expr, auxes: dict[sympy.Expr, _Aux]) -> sympy.Expr:
        """Replace roots, cube roots, abs, min, max, floor and ceil (and what `bounds`
        encloses) by auxiliary variables with defining constraints; what remains is a
        rational function."""
        if self.bounds is not None and not (e.is_Symbol or e.is_Rational):
            enclosed = self.bounds(self, e, auxes)
            if enclosed is not None:
                return enclosed
        if e.is_Atom:
            if e.is_Symbol or e.is_Rational:
                return e
            raise OutsideFragment(f"the constant {e} is not rational")
        if isinstance(e, sympy.Pow):
            base, ex = e.args
            if not ex.is_Rational:
                raise OutsideFragment(f"the power {sympy.sstr(e)} has a non-rational exponent")
            base = self.purify(base, auxes)
            if ex.is_Integer:
                return base ** ex
            root = self.aux(sympy.Pow(base, sympy.Rational(1, ex.q)), auxes,
                             lambda y: [Atom(">=", y, sympy.Integer(0)), Atom("=", y ** ex.q, base)],
                             exists=[Atom(">=", base, sympy.Integer(0))])
            return root ** ex.p
        if isinstance(e, Cbrt):
            # the one real y with y^3 = t, defined for every t (x^(1/3) asks x >= 0)
            t = self.purify(e.args[0], auxes)
            return self.aux(Cbrt(t), auxes, lambda y: [Atom("=", y ** 3, t)], exists=_defined([t]))
        if isinstance(e, sympy.Abs):
            t = self.purify(e.args[0], auxes)
            return self.aux(sympy.Abs(t), auxes,
                             lambda y: [Atom(">=", y, sympy.Integer(0)), Atom("=", y ** 2, t ** 2)],
                             exists=_defined([t]))
        if isinstance(e, (sympy.Min, sympy.Max)):
            args = [self.purify(x, auxes) for x in e.args]
            op = "<=" if isinstance(e, sympy.Min) else ">="
            return self.aux(e.func(*args), auxes,
                             lambda y: [Atom(op, y, x) for x in args] + [_one_of(y, args)],
                             exists=_defined(args))
        if isinstance(e, (sympy.floor, sympy.ceiling)):
            # floor(t) is the integer y with y <= t < y + 1 (z3's ToInt(t)); ceil(t) the
            # integer y with y - 1 < t <= y
            t = self.purify(e.args[0], auxes)
            one = sympy.Integer(1)
            if isinstance(e, sympy.floor):
                make = lambda y: [Atom("<=", y, t), Atom("<", t, y + one)]  # noqa: E731
            else:
                make = lambda y: [Atom("<", y - one, t), Atom("<=", t, y)]  # noqa: E731
            return self.aux(e.func(t), auxes, make, exists=_defined([t]), integer=True)
        if isinstance(e, (sympy.Add, sympy.Mul)):
            return e.func(*[self.purify(x, auxes) for x in e.args])
        raise OutsideFragment(f"{type(e).__name__} ({sympy.sstr(e)}) is outside polynomial arithmetic")

    def aux(self, key: sympy.Expr, auxes: dict[sympy.Expr, _Aux],
            make: "Callable[[sympy.Symbol], list[Formula]]", exists: list[Atom] | None = None,
            integer: bool = False) -> sympy.Symbol:
        """The auxiliary variable (an integer one when `integer`) standing for `key` in
        `auxes`, made once: `make` gives its constraints, `exists` its exact definedness
        condition."""
        if key not in auxes:
            # "!" is in no name of a claim file: `aux0` may be a file's symbol, and a
            # Symbol of the same name and assumptions is that symbol to SymPy
            y = sympy.Symbol(f"aux!{next(self._fresh)}", **({"integer": True} if integer else {"real": True}))
            auxes[key] = _Aux(y, make(y), exists or [])
        return auxes[key].symbol

    def term(self, e: sympy.Expr) -> z3.ArithRef:
        """A polynomial as a z3 term (OutsideFragment beyond total degree MAX_DEGREE)."""
        if isinstance(e, (sympy.Mul, sympy.Pow)) and _degree(e) > MAX_DEGREE:
            raise OutsideFragment(f"a term of degree {_degree(e)} (beyond {MAX_DEGREE}, where z3's "
                                  f"count of its work no longer bounds its time)")
        if e.is_Symbol:
            return self.var(e)
        if e.is_Rational:
            return self.value(e)
        if isinstance(e, sympy.Add):
            terms = [self.term(x) for x in e.args]
            return _sum(terms, real=not self.integers)
        if isinstance(e, sympy.Mul):
            self.nonlinear = self.nonlinear or sum(not x.is_Rational for x in e.args) > 1
            factors = [self.term(x) for x in e.args]
            return _product(factors, real=not self.integers)
        if isinstance(e, sympy.Pow) and e.exp.is_Integer and e.exp > 0:
            self.nonlinear = self.nonlinear or e.exp > 1
            b = self.term(e.base)
            # an integer base's power prints as `**`, which is not SMT-LIB (cvc5 rejects it)
            return _product([b] * int(e.exp), real=not self.integers) if e.exp <= 4 or b.is_int() \
                else b ** int(e.exp)
        raise OutsideFragment(f"{sympy.sstr(e)} is not a polynomial")


#: The highest total degree of a monomial sent to z3. Isolating the roots of x^400 - 2
#: takes z3 seconds while its resource count (rlimit) barely moves, so the budget
#: would not stop it; up to degree 200 the count keeps pace (0.45 million units for
#: x^200 - 2, well inside a claim's 10 million).
MAX_DEGREE = 200


def _degree(e: sympy.Expr) -> int:
    """The total degree of a monomial or power of a polynomial, read off its shape."""
    if e.is_Symbol:
        return 1
    if isinstance(e, sympy.Pow) and e.exp.is_Integer:
        return abs(int(e.exp)) * _degree(e.base)
    if isinstance(e, sympy.Mul):
        return sum(_degree(a) for a in e.args)
    if isinstance(e, sympy.Add):
        return max(_degree(a) for a in e.args)
    return 0


#: Results of the pure SymPy steps of a translation, shared by every translator of the
#: process: the claims of a paper translate the same sides, denominators and factors
#: many times over (two thirds of the calls of `together` repeated one before). A step
#: depends on its expression alone (a symbol's assumptions and a binding's identity are
#: part of its equality), never on domains or on a z3 context. Bounded: emptied when full.
_MEMO_SIZE = 4096
_COMMON: dict[sympy.Expr, tuple[sympy.Expr, sympy.Expr]] = {}
_EXPANDED: dict[sympy.Expr, sympy.Expr] = {}
_FACTORS: dict[sympy.Expr, tuple] = {}


def _memo(table: dict, e: sympy.Expr, compute: "Callable[[sympy.Expr], object]"):
    out = table.get(e)
    if out is None:
        if len(table) >= _MEMO_SIZE:
            table.clear()
        out = table[e] = compute(e)
    return out


def _over_common_denominator(e: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """Numerator and denominator of `e` over a common denominator (SymPy's `together`).
    A polynomial with integer coefficients is its own numerator over 1: `together` would
    only regroup it (five in six of the Amdahl pack's), and what is built from the
    numerator, its expansion, is the same."""
    return _memo(_COMMON, e, lambda x: (x, sympy.Integer(1)) if _integer_polynomial(x)
                 else sympy.fraction(sympy.together(x)))


def _integer_polynomial(e: sympy.Expr) -> bool:
    """Is `e` built from symbols and integers by sums, products and powers with
    nonnegative integer exponents (no denominator anywhere)?"""
    for node in sympy.preorder_traversal(e):
        if node.is_Pow:
            if not (node.exp.is_Integer and node.exp >= 0):
                return False
        elif not (node.is_Symbol or node.is_Integer or node.is_Add or node.is_Mul):
            return False
    return True


def _expanded(e: sympy.Expr) -> sympy.Expr:
    return _memo(_EXPANDED, e, expand_polynomial)


def _factor_list(e: sympy.Expr) -> tuple:
    return _memo(_FACTORS, e, lambda x: (lambda coeff, factors: (coeff, tuple(factors)))(*sympy.factor_list(x)))


#: Sign facts proved in this process, shared by every translator (the claims of a paper
#: ask the signs of the same denominators over and over): `_sign_fact_key` -> +1/-1/0.
_SIGN_FACTS: dict[tuple, int] = {}


def _sign_fact_key(f: sympy.Expr, scope: dict[sympy.Symbol, Domain], by_symbol: dict[sympy.Symbol, _Aux]) -> tuple:
    """Everything a sign proof of `f` reads: `f`, and every symbol it reaches through
    auxiliary variables' definitions and domain bounds, transitively, each with its
    domain (two claims with the same factor over other domains never share a fact)
    and, for an auxiliary variable, its definition (`aux!0` of one translator is not
    `aux!0` of another)."""
    reached = _closure(set(f.free_symbols), scope, by_symbol)
    return (f, frozenset((s, scope.get(s)) for s in reached),
            frozenset((s, tuple(by_symbol[s].constraints), tuple(by_symbol[s].exists))
                      for s in reached if s in by_symbol))


def _prove_sign(f: sympy.Expr, syms: set[sympy.Symbol], scope: dict[sympy.Symbol, Domain],
                auxes: dict[sympy.Expr, _Aux], by_symbol: dict[sympy.Symbol, _Aux]) -> tuple[int, bool]:
    """+1 / -1 when z3 proves `f` positive / negative under the domains of `syms` (and
    the definitions of the auxiliary variables among them), else 0; and whether a
    safety net fired. Proved in a z3 context of its own, so that the answer depends
    on the query alone, never on the terms another translator built before."""
    tr = Translator({})
    fired = False
    try:
        guards = []
        for s in sorted(syms, key=lambda s: s.name):
            if s in by_symbol:
                guards.extend(tr.constraint(c, scope, auxes) for c in by_symbol[s].constraints + by_symbol[s].exists)
            else:
                guards.extend(tr.domain_constraints(s, scope[s], scope))
        t = tr.term(_expanded(f))
        for candidate, rel in ((1, t <= 0), (-1, t >= 0)):
            solver = z3.Solver(ctx=tr.ctx)
            solver.set("rlimit", SIGN_RLIMIT)
            solver.add(*guards, rel)
            with interrupting(tr.ctx.interrupt, SIGN_SECONDS, f"a sign proof for {sympy.sstr(f)}") as net:
                answer = solver.check()
            fired = fired or bool(net.said)
            if answer == z3.unsat:
                return candidate, fired
    except OutsideFragment:
        pass
    return 0, fired


def _one_of(y: sympy.Symbol, args: list[sympy.Expr]) -> Atom:
    # y equals one of the arguments: the product of the differences vanishes
    return Atom("=", sympy.Mul(*[y - x for x in args]), sympy.Integer(0))


def _defined(terms: list[sympy.Expr]) -> list[Atom]:
    """Every denominator of `terms` is nonzero: the existence condition of an
    auxiliary variable defined from them."""
    dens = dict.fromkeys(b for t in terms for b in _denominators(t))
    return [Atom("!=", b, sympy.Integer(0)) for b in dens]


_ARITHMETIC = (z3.Z3_INT_SORT, z3.Z3_REAL_SORT)


def _made(make: "Callable", coerced: "Callable[[list], z3.ArithRef]", args: list[z3.ArithRef],
          real: bool) -> z3.ArithRef:
    """The sum or product of `args` by z3's C API `make`, the call z3.Sum and z3.Product
    end in when every argument has the same sort (their checks and conversions were a
    fifth of a translation); `coerced` (z3.Sum, z3.Product) when sorts are mixed, where
    they convert integers to reals first. `real`: every argument is known to be real (a
    translator without integer variables makes only real terms), so the sorts need not
    be asked of z3 (a third of the cost of a sum)."""
    ctx = args[0].ctx
    ref = ctx.ref()
    if not real:
        kinds = {z3.Z3_get_sort_kind(ref, z3.Z3_get_sort(ref, a.as_ast())) for a in args}
        if len(kinds) != 1 or kinds.pop() not in _ARITHMETIC:
            return coerced(args)
    return z3.ArithRef(make(ref, len(args), (z3.Ast * len(args))(*[a.as_ast() for a in args])), ctx)


def _sum(args: list[z3.ArithRef], *, real: bool) -> z3.ArithRef:
    return _made(z3.Z3_mk_add, z3.Sum, args, real)


def _product(args: list[z3.ArithRef], *, real: bool) -> z3.ArithRef:
    return _made(z3.Z3_mk_mul, z3.Product, args, real)


def _compare(op: str, t: z3.ArithRef) -> z3.BoolRef:
    """`t op 0`. All six relations are built, as z3's operators would build them (the zero
    of t's sort, then each relation, then the five unused ones freed in this order):
    z3 numbers terms as they are made and reuses the numbers of freed ones, and its
    printout (the SMT-LIB2 artifacts) follows the numbers. Made by z3's C API directly:
    the operators' sort checks and conversions were a tenth of a translation."""
    ctx, ref, a = t.ctx, t.ctx_ref(), t.as_ast()
    held = (z3.IntVal if t.is_int() else z3.RealVal)(0, ctx)  # keeps the zero alive while it is used
    zero = held.as_ast()
    pair = (z3.Ast * 2)(a, zero)
    return {"=": z3.BoolRef(z3.Z3_mk_eq(ref, a, zero), ctx), "!=": z3.BoolRef(z3.Z3_mk_distinct(ref, 2, pair), ctx),
            "<": z3.BoolRef(z3.Z3_mk_lt(ref, a, zero), ctx), "<=": z3.BoolRef(z3.Z3_mk_le(ref, a, zero), ctx),
            ">": z3.BoolRef(z3.Z3_mk_gt(ref, a, zero), ctx), ">=": z3.BoolRef(z3.Z3_mk_ge(ref, a, zero), ctx)}[op]


def _denominators(e: sympy.Expr) -> list[sympy.Expr]:
    out = []
    for node in sympy.preorder_traversal(e):
        if isinstance(node, sympy.Pow) and node.exp.is_Integer and node.exp < 0 and node.base not in out:
            out.append(node.base)
    return out


def _closure(syms: set[sympy.Symbol], scope: dict[sympy.Symbol, Domain],
             by_symbol: dict[sympy.Symbol, _Aux] | None = None) -> set[sympy.Symbol]:
    """The symbols and, transitively, those their domain bounds mention (and, with
    `by_symbol`, those an auxiliary variable's definition mentions)."""
    out: set[sympy.Symbol] = set()
    todo = list(syms)
    while todo:
        s = todo.pop()
        if s in out:
            continue
        out.add(s)
        if s in scope:
            todo.extend(scope[s].free_symbols)
        if by_symbol and s in by_symbol:
            todo.extend(t for c in by_symbol[s].constraints + by_symbol[s].exists for t in free_symbols(c))
    return out


def lift_existentials(f: Formula, taken: set[str]) -> tuple[Formula, list[Binder]]:
    """Pull existential binders that sit under no universal out of an NNF formula.

    They become free constants of the satisfiability query, so the solver's model
    names their values: the witnesses of a counterexample. Each binding already has a
    symbol of its own; a lifted one gets a new name when its name is `taken`, so that
    the witnesses read apart in the evidence.
    """
    lifted: list[Binder] = []

    def go(g: Formula) -> Formula:
        if isinstance(g, Quantified) and g.kind == "exists":
            sub = {}
            guards: list[Formula] = []
            for b in g.binders:
                name = b.symbol.name
                while name in taken:
                    name += "_w"
                taken.add(name)
                sub[b.symbol] = b.symbol if name == b.symbol.name else \
                    Bound(name, b.domain, **b.symbol._assumptions_orig)
            for b in g.binders:
                nb = Binder(sub[b.symbol], b.domain).map_exprs(lambda e: e.xreplace(sub))
                lifted.append(nb)
                guards.extend(Atom(op, lo, hi) for op, lo, hi in nb.domain.constraints(nb.symbol))
            return conj(guards + [go(g.body.map_exprs(lambda e: e.xreplace(sub)))])
        if isinstance(g, And):
            return conj([go(a) for a in g.args])
        if isinstance(g, Or):
            return disj([go(a) for a in g.args])
        return g

    return go(f), lifted
