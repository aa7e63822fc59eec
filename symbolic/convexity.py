"""Convexity certificates: is an objective convex (or concave) in its variables on a
feasible set?

Two methods, tried in this order:

1. **Disciplined convex programming (DCP)**, the curvature calculus of CVXPY: a
   variable is affine; sums keep a common curvature; a constant factor keeps the
   curvature when it is >= 0 and flips it when <= 0; an atom `h(g)` (a power `g^p`,
   `exp(g)`, `ln(g)`, `b^g`) is convex when `h` is convex and `g` affine, or `h` is
   convex nondecreasing on the range of `g` and `g` convex, or `h` is convex
   nonincreasing and `g` concave (and dually for concave `h`). The curvature and
   monotonicity of `t^p` depend on the range of `p` (even/odd integers, `p < 0` on
   `t > 0`, `0 <= p <= 1`, `p >= 1` on `t >= 0`) and on the sign of `t`; so `1/g` is
   convex where `g` is affine and positive.
2. **Second-order conditions**: every principal minor of the Hessian (of `-f` for
   concavity) is >= 0 on the feasible set, i.e. the Hessian is positive
   semidefinite there; one variable: `f'' >= 0`. Each minor is factored by SymPy first.

The rules need sign conditions (`g > 0`, `c >= 0`, `p >= 1`) to hold on the whole
feasible set and every value of the parameters. This module states them as formulas
and asks a caller-supplied prover (`Prover`) to prove them; it never decides them
numerically or guesses. Curvature that no rule establishes is "unknown". The SMT
prover lives in the proofs layer (`lawproof.proofs.kkt`): this layer knows nothing of z3.

Curvature on a set C here means: along every segment inside C. The DCP rules give it
when their side conditions hold on all of C (the range of an inner expression over
the convex set C is an interval, on which the outer function's monotonicity is
used). The Hessian test gives it when the function is twice differentiable on an
open set containing C (see `smoothness`): then `phi(t) = f(x + t(y - x))` has
`phi'' >= 0` on [0, 1] for x, y in C.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Iterable

import sympy

from lawproof.language.errors import BackendTimeout, OutsideFragment
from lawproof.language.formula import Atom, Formula, Truth, to_text
from lawproof.language.timeout import time_limit

from .normalize import definedness, fold

CONSTANT, AFFINE, CONVEX, CONCAVE, UNKNOWN = "constant", "affine", "convex", "concave", "unknown"
_INCREASING, _DECREASING = "nondecreasing", "nonincreasing"

#: Proves a side condition on the feasible set: returns how (for the evidence) or None.
Prover = Callable[[Formula], "str | None"]

_ZERO = sympy.Integer(0)
_SMOOTH_NODES = (sympy.Symbol, sympy.Add, sympy.Mul, sympy.Pow, sympy.exp, sympy.log)


def satisfies(curvature: str, want: str) -> bool:
    """Does `curvature` (as found) give `want` ("convex" or "concave")?"""
    return curvature in (CONSTANT, AFFINE, want)


@dataclass(frozen=True)
class SideCondition:
    """A condition a rule needed, and how it was proved on the feasible set."""

    formula: Formula
    proof: str


@dataclass
class Certificate:
    """The curvature of an objective and why it may be believed.

    `steps` are `(rule, expression)` pairs: which rule applied where, with the
    curvature it gave; `conditions` every side condition the steps rely on, each
    with its proof. `reason` says why the curvature is unknown, when it is.
    """

    curvature: str
    method: str = ""
    steps: list[tuple[str, str]] = field(default_factory=list)
    conditions: list[SideCondition] = field(default_factory=list)
    reason: str = ""

    def certifies(self, want: str) -> bool:
        """True when the certificate establishes `want` ("convex" or "concave")."""
        return satisfies(self.curvature, want)

    def as_text(self) -> list[tuple[str, str]]:
        """The certificate as `(what, detail)` lines for the evidence."""
        head = f"{self.curvature} ({self.method})" if self.method else self.curvature
        lines = [("curvature", head + (f": {self.reason}" if self.reason else ""))]
        lines += [(f"{self.method or 'rule'}: {rule}", expr) for rule, expr in self.steps]
        lines += [(f"side condition {to_text(c.formula)}", c.proof) for c in self.conditions]
        return lines


class _Conditions:
    """Side conditions asked of the prover: folded exactly when they are numeric,
    cached, and recorded once each when proved."""

    def __init__(self, prove: Prover) -> None:
        self._prove = prove
        self._known: dict[Formula, str | None] = {}
        self.proved: list[SideCondition] = []

    def holds(self, condition: Formula) -> bool:
        if isinstance(condition, Atom):
            condition = fold(condition)
        if condition == Truth(True):
            return True
        if condition == Truth(False):
            return False
        if condition not in self._known:
            how = self._prove(condition)
            self._known[condition] = how
            if how is not None:
                self.proved.append(SideCondition(condition, how))
        return self._known[condition] is not None


def smoothness(expr: sympy.Expr, variables: Iterable[sympy.Symbol]) -> list[Atom] | None:
    """Conditions under which `expr` is infinitely differentiable in `variables` on an
    open set around every point where they hold: denominators nonzero, bases of
    non-integer powers and arguments of logarithms positive (>= 0 is enough where
    they do not depend on the variables). None when `expr` uses a function that is
    not smooth in the variables (abs, min, max, ...) or an unevaluated integral or
    limit."""
    xs = set(variables)
    for node in sympy.preorder_traversal(expr):
        if node.free_symbols & xs and not isinstance(node, _SMOOTH_NODES):
            return None
    try:
        needed = definedness(expr)
    except OutsideFragment:
        return None
    out: list[Atom] = []
    for a in needed:
        if a.op == ">=" and (a.lhs.free_symbols | a.rhs.free_symbols) & xs:
            a = Atom(">", a.lhs, a.rhs)
        if a not in out:
            out.append(a)
    return out


class _Dcp:
    """One DCP analysis: the curvature of each subexpression, with the steps taken."""

    def __init__(self, variables: Iterable[sympy.Symbol], conditions: _Conditions) -> None:
        self.xs = set(variables)
        self.conditions = conditions
        self.steps: list[tuple[str, str]] = []

    def sign(self, e: sympy.Expr, op: str) -> bool:
        return self.conditions.holds(Atom(op, e, _ZERO))

    def note(self, rule: str, e: sympy.Expr, curvature: str) -> str:
        self.steps.append((rule, f"{sympy.sstr(e)} is {curvature}"))
        return curvature

    def curvature(self, e: sympy.Expr) -> str:
        if not e.free_symbols & self.xs:
            return CONSTANT
        if e in self.xs:
            return AFFINE
        if isinstance(e, sympy.Add):
            return self.sum(e)
        if isinstance(e, sympy.Mul):
            return self.product(e)
        if isinstance(e, sympy.Pow):
            return self.power(e)
        if isinstance(e, sympy.exp):
            return self.compose(e, "exp", (CONVEX, _INCREASING), e.args[0])
        if isinstance(e, sympy.log):
            if not self.sign(e.args[0], ">"):
                return self.note("ln of an argument not proved positive", e, UNKNOWN)
            return self.compose(e, "ln (argument > 0)", (CONCAVE, _INCREASING), e.args[0])
        return self.note(f"no DCP rule for {type(e).__name__}", e, UNKNOWN)

    def sum(self, e: sympy.Add) -> str:
        kinds = {self.curvature(t) for t in e.args} - {CONSTANT}
        if kinds <= {AFFINE}:
            return AFFINE
        for want in (CONVEX, CONCAVE):
            if kinds <= {AFFINE, want}:
                return self.note("sum of " + want + " and affine terms", e, want)
        return self.note("sum of terms of opposite or unknown curvature", e, UNKNOWN)

    def product(self, e: sympy.Mul) -> str:
        varying = [t for t in e.args if t.free_symbols & self.xs]
        if len(varying) > 1:
            return self.note("product of non-constant factors (no DCP rule)", e, UNKNOWN)
        inner = varying[0]
        c = sympy.Mul(*[t for t in e.args if t is not inner])
        kind = self.curvature(inner)
        if kind in (AFFINE, UNKNOWN):
            return kind
        flipped = CONCAVE if kind == CONVEX else CONVEX
        if self.sign(c, ">="):
            return self.note(f"nonnegative multiple ({sympy.sstr(c)} >= 0)", e, kind)
        if self.sign(c, "<="):
            return self.note(f"nonpositive multiple ({sympy.sstr(c)} <= 0)", e, flipped)
        return self.note(f"multiple of unknown sign ({sympy.sstr(c)})", e, UNKNOWN)

    def power(self, e: sympy.Pow) -> str:
        base, p = e.args
        if p.free_symbols & self.xs:
            if base.free_symbols & self.xs or not self.sign(base, ">"):
                return self.note("power with a varying exponent (no DCP rule)", e, UNKNOWN)
            mono = _INCREASING if self.sign(base - 1, ">=") else (
                _DECREASING if self.sign(base - 1, "<=") else None)
            if mono is None:
                return self.note("exponential of a base not compared with 1", e, UNKNOWN)
            return self.compose(e, f"exponential b^g (b > 0, {mono})", (CONVEX, mono), p)
        profile = self.power_profile(base, p)
        if profile is None:
            return self.note("power outside the DCP table", e, UNKNOWN)
        rule, curvature, mono = profile
        if mono is None:  # an even power: convex, monotone only on a half-line
            if self.curvature(base) == AFFINE:
                return self.note(rule + " of an affine expression", e, CONVEX)
            mono = _INCREASING if self.sign(base, ">=") else (
                _DECREASING if self.sign(base, "<=") else None)
            if mono is None:
                return self.note(rule + " of a non-affine expression of unknown sign", e, UNKNOWN)
        return self.compose(e, rule, (curvature, mono), base)

    def power_profile(self, base: sympy.Expr, p: sympy.Expr) -> tuple[str, str, str | None] | None:
        """`(rule, curvature, monotonicity)` of `t -> t^p` on the range of `base`;
        monotonicity None for an even power (the caller decides it by the sign)."""
        if p.is_Integer:
            n = int(p)
            if n > 0 and n % 2 == 0:
                return f"even power t^{n}", CONVEX, None
            if n > 0:
                if self.sign(base, ">="):
                    return f"odd power t^{n} on t >= 0", CONVEX, _INCREASING
                if self.sign(base, "<="):
                    return f"odd power t^{n} on t <= 0", CONCAVE, _INCREASING
                return None
            if self.sign(base, ">"):
                return f"power t^({n}) on t > 0", CONVEX, _DECREASING
            if self.sign(base, "<"):
                if n % 2:
                    return f"power t^({n}) on t < 0", CONCAVE, _DECREASING
                return f"power t^({n}) on t < 0", CONVEX, _INCREASING
            return None
        # a non-integer (or symbolic) exponent: classified by its range
        t = sympy.sstr(p)
        if p.is_number and p > 0:
            if not self.sign(base, ">="):
                return None
        elif not self.sign(base, ">"):
            return None
        if self.sign(p - 1, ">="):
            return f"power t^{t} with {t} >= 1 on t >= 0", CONVEX, _INCREASING
        if self.sign(p, ">=") and self.sign(1 - p, ">="):
            return f"power t^{t} with 0 <= {t} <= 1 on t >= 0", CONCAVE, _INCREASING
        if self.sign(p, "<="):
            return f"power t^{t} with {t} <= 0 on t > 0", CONVEX, _DECREASING
        return None

    def compose(self, e: sympy.Expr, rule: str, outer: tuple[str, str], arg: sympy.Expr) -> str:
        """h(g): the composition rule of DCP for `outer` = (curvature, monotonicity) of h."""
        h, mono = outer
        g = self.curvature(arg)
        if g in (CONSTANT, AFFINE):
            return self.note(f"{rule} of an affine expression", e, h)
        flipped = CONCAVE if h == CONVEX else CONVEX
        if (g == h and mono == _INCREASING) or (g == flipped and mono == _DECREASING):
            return self.note(f"{rule}, {mono}, of a {g} expression", e, h)
        return self.note(f"{rule}, {mono}, of a {g} expression (no composition rule)", e, UNKNOWN)


def dcp(expr: sympy.Expr, variables: Iterable[sympy.Symbol], prove: Prover) -> Certificate:
    """The curvature of `expr` in `variables` by the DCP rules alone.

    Side conditions are proved by `prove` on the feasible set; one that cannot be
    proved makes its rule inapplicable, never assumed."""
    conditions = _Conditions(prove)
    analysis = _Dcp(variables, conditions)
    kind = analysis.curvature(expr)
    reason = "" if kind != UNKNOWN else "no DCP rule applies (see the steps)"
    return Certificate(kind, "DCP", analysis.steps, conditions.proved, reason)


def second_order(expr: sympy.Expr, variables: list[sympy.Symbol], want: str, prove: Prover,
                 *, seconds: float = 5.0) -> Certificate:
    """`want` ("convex"/"concave") from the Hessian: every principal minor of the
    Hessian of `f` (of `-f` for concave) is >= 0 on the feasible set, each minor
    factored by SymPy before it is handed to the prover."""
    sign = 1 if want == CONVEX else -1
    try:
        with time_limit(seconds, "Hessian minors"):
            hessian = sympy.hessian(sign * expr, variables)
            n = len(variables)
            minors = [(idx, sympy.factor(sympy.together(hessian.extract(list(idx), list(idx)).det(
                method="berkowitz"))))
                for k in range(1, n + 1) for idx in itertools.combinations(range(n), k)]
    except (BackendTimeout, sympy.PolynomialError) as e:
        return Certificate(UNKNOWN, "second-order", reason=f"the Hessian minors were not computed ({e})")
    method = "second-order" if len(variables) == 1 else "second-order (principal minors of the Hessian)"
    conditions = _Conditions(prove)
    steps = []
    for idx, minor in minors:
        names = ", ".join(str(variables[i]) for i in idx)
        what = f"d2/d{names}^2" if len(variables) == 1 else f"principal minor [{names}]"
        steps.append((what + (" of -f" if sign < 0 else ""), sympy.sstr(minor)))
        if not conditions.holds(Atom(">=", minor, _ZERO)):
            return Certificate(UNKNOWN, method, steps, conditions.proved,
                               f"{what} >= 0 not proved on the feasible set")
    return Certificate(want, method, steps, conditions.proved)


def certify(expr: sympy.Expr, variables: list[sympy.Symbol], want: str, prove: Prover,
            *, seconds: float = 5.0) -> Certificate:
    """Certify that `expr` is `want` ("convex" or "concave") in `variables` on the
    feasible set the prover reasons about, and smooth on an open set around it
    (which first-order optimality conditions need). DCP first, then the Hessian;
    otherwise a certificate with curvature "unknown" and the reason."""
    known: dict[Formula, str | None] = {}

    def once(condition: Formula) -> str | None:
        # the methods below ask overlapping questions; each is proved once
        if condition not in known:
            known[condition] = prove(condition)
        return known[condition]

    smooth = smoothness(expr, variables)
    if smooth is None:
        return Certificate(UNKNOWN, reason="the objective is not smooth in "
                           + ", ".join(map(str, variables)) + " (abs, min, max or an unevaluated term)")
    cert = dcp(expr, variables, once)
    if not cert.certifies(want):
        fallback = second_order(expr, variables, want, once, seconds=seconds)
        if not fallback.certifies(want):
            fallback.reason = f"DCP found {cert.curvature}; {fallback.reason}"
            return fallback
        cert = fallback
    shown = {c.formula for c in cert.conditions}
    conditions = _Conditions(once)
    for c in smooth:
        if c.op == "!=" and {Atom(">", c.lhs, c.rhs), Atom("<", c.lhs, c.rhs)} & shown:
            continue  # a denominator the rules already proved positive (or negative)
        if not conditions.holds(c):
            return Certificate(UNKNOWN, reason=f"smoothness condition {to_text(c)} not proved on the feasible set")
    cert.conditions = conditions.proved + [c for c in cert.conditions if c not in conditions.proved]
    return cert

__all__ = ["CONSTANT", "AFFINE", "CONVEX", "CONCAVE", "UNKNOWN", "Prover", "SideCondition",
           "Certificate", "satisfies", "smoothness", "dcp", "second_order", "certify"]
