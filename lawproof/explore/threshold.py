"""The effective threshold of an optimality claim, and the optimal-allocation curve.

For a claim `minimized_at(f(x), x, p)` whose objective is affine in a parameter S
(Amdahl: T = S/(1-a) + (1-S)/(1 + a(R(a)-1))), write
`f(x) - f(p) = c1(x) S + c0(x)`. Where `c1(x) > 0` (checked, never assumed),
`f(x) >= f(p)` holds exactly when `S >= phi(x) = -c0(x)/c1(x)`, so the corner p is
optimal exactly when

    S >= S_c_eff = sup over x != p of phi(x).

For Amdahl phi(a) = (1 - a)(1 - 1/R(a)): with R constant its sup is phi(0) = 1 - 1/R,
the paper's S_c; an R(a) that grows fast enough lifts the sup above it.

How the corner stops being optimal as S falls below S_c_eff: if the sup is attained
at the corner itself, a*(S) leaves p continuously (a kink); if it is attained at an
interior x_m, then at S = S_c_eff both p and x_m are optimal and a*(S) jumps from
x_m to p (a first-order transition).

S_c_eff is computed at given parameter values two ways and cross-checked: exactly
(SymPy's real roots of phi' when its numerator is a polynomial in x) and at 50 digits
(a float scan to bracket the maxima, then mpmath.findroot with a bracketing solver
on phi', its bracket certified by exact signs of phi' at rational ends; a golden
section on phi where phi' cannot be evaluated, as for min/max). With symbolic
parameters, `symbolic_threshold` gives the closed form where phi' has at most
quadratic numerator. These are computations, not proofs: `lawproof counterexample`
proves what it reports about the claim itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import mpmath
import numpy as np
import sympy
from mpmath.libmp import to_rational

from ..numeric import vectorize
from ..language.claims import Claim, Theory
from ..language.domain import Domain
from ..language.errors import BackendTimeout, ClaimInputError, LawproofError
from ..language.formula import Optimum
from ..numeric import Undefined, exact_sign, exact_value, mp_value
from ..symbolic import expand
from ..language.timeout import time_limit

DPS = 50
#: Points of the float scan that brackets maxima and minima.
SCAN_POINTS = 2000
#: Two 50-digit values closer than this count as equal (a tie between corner and interior).
TIE = mpmath.mpf(10) ** -40


@dataclass(frozen=True)
class ThresholdFunction:
    """phi(x) for one claim: the corner `point` is optimal exactly when S >= sup phi."""

    objective: sympy.Expr
    var: sympy.Symbol
    domain: Domain
    point: sympy.Expr
    scan: sympy.Symbol
    phi: sympy.Expr
    c1: sympy.Expr
    signs: tuple[tuple[sympy.Symbol, str], ...] = ()  # (symbol, "positive" | "nonnegative") from domains

    @property
    def params(self) -> list[sympy.Symbol]:
        """The symbols S_c_eff depends on (phi's free symbols but x), sorted by name."""
        syms = (self.phi.free_symbols | self.point.free_symbols) - {self.var}
        return sorted(syms, key=lambda s: s.name)


@dataclass
class EffectiveThreshold:
    """S_c_eff at given parameter values, with how it was found.

    `corner` is phi at the corner (the paper's threshold evaluated there), `value`
    the sup, `argmax` where it is attained; `transition` is "kink" (argmax at the
    corner) or "jump" (interior argmax: a* jumps by argmax - corner). `exact` is
    the closed form at these values when SymPy found one; `agreement` the gap
    between the exact and the 50-digit value (cross-check).
    """

    values: dict[str, str]
    corner: mpmath.mpf
    value: mpmath.mpf
    argmax: mpmath.mpf
    transition: str
    method: str
    exact: sympy.Expr | None = None
    agreement: mpmath.mpf | None = None

    def text(self, digits: int = 20) -> str:
        """One line for reports."""
        out = f"S_c_eff = {mpmath.nstr(self.value, digits)}"
        if self.transition == "jump":
            out += f" (jump: a* leaves the corner at {mpmath.nstr(self.argmax, 12)})"
        else:
            out += " (kink: = the corner's threshold)"
        return out


@dataclass
class SymbolicThreshold:
    """S_c_eff as a function of the parameters: phi at the corner, and phi at each
    root of phi' that may lie inside the domain, with the condition for that."""

    corner: sympy.Expr
    candidates: list[tuple[sympy.Expr, sympy.Expr]] = field(default_factory=list)  # (root, phi(root))

    def text(self, x: sympy.Symbol, domain: Domain) -> str:
        """The closed form as one line: max over the corner and the interior roots."""
        s = sympy.sstr
        if not self.candidates:
            return f"S_c_eff = {s(self.corner)}"
        parts = [f"{s(v)} where {s(domain.lo)} < {s(r)} < {s(domain.hi)}" for r, v in self.candidates]
        return f"S_c_eff = max({s(self.corner)}, " + "; ".join(parts) + ")"


def _frac(v: mpmath.mpf) -> Fraction:
    return Fraction(*to_rational(mpmath.mpf(v)._mpf_))


def _rational(v: Fraction) -> sympy.Rational:
    return sympy.Rational(v.numerator, v.denominator)


def threshold_function(claim: Claim, theory: Theory, scan: str = "S") -> ThresholdFunction:
    """phi for the claim's one-variable `minimized_at` and the parameter `scan`.

    Raises ClaimInputError when the claim has no such optimum, or the objective is
    not affine in `scan`.
    """
    info = theory.symbols.get(scan)
    if info is None:
        raise ClaimInputError(f"'{scan}' is not a symbol of this file", fix="name the parameter to scan")
    s = info.symbol
    optima = [n for n in claim.formula.walk() if isinstance(n, Optimum) and n.kind == "min"
              and len(n.binders) == 1] if claim.formula is not None else []
    if not optima:
        raise ClaimInputError(f"claim '{claim.id}' has no one-variable minimized_at",
                              fix="an effective threshold needs a claim minimized_at(f(x), x, point)")
    opt = optima[0]
    f = expand(opt.objective, theory)
    x, p = opt.binders[0].symbol, expand(opt.point[0], theory)
    diff = f - f.xreplace({x: p})
    c1 = sympy.cancel(sympy.together(sympy.diff(diff, s)))
    if c1.has(s) or c1 == 0:
        raise ClaimInputError(f"the objective is not affine in {scan} (or does not depend on it)",
                              fix="scan a parameter the objective depends on linearly")
    c0 = sympy.cancel(sympy.together(diff.xreplace({s: 0})))
    phi = sympy.factor(sympy.cancel(-c0 / c1))
    signs = []
    for info in theory.symbols.values():
        lo = info.domain.lo
        if lo.is_number and lo.is_finite and (lo > 0 or (lo == 0 and info.domain.lo_open)):
            signs.append((info.symbol, "positive"))
        elif lo.is_number and lo.is_finite and lo == 0:
            signs.append((info.symbol, "nonnegative"))
    return ThresholdFunction(f, x, opt.binders[0].domain, p, s, phi, c1, tuple(signs))


def _env(tf: ThresholdFunction, values: dict) -> dict[sympy.Symbol, Fraction]:
    by_name = {(k.name if isinstance(k, sympy.Symbol) else k): Fraction(v) for k, v in values.items()}
    missing = [p.name for p in tf.params if p.name not in by_name]
    if missing:
        raise ClaimInputError(f"no value for {', '.join(missing)}", fix="give every parameter a value")
    return {p: by_name[p.name] for p in tf.params}


def _grid(tf: ThresholdFunction, env: dict[sympy.Symbol, Fraction]) -> tuple[list[Fraction], Fraction,
                                                                            tuple[Fraction, Fraction]]:
    """Exact rational scan points of x's whole domain at `env` (open ends left out;
    closed ends and the corner included), the corner, and the domain's ends."""
    ends = []
    for end in (tf.domain.lo, tf.domain.hi, tf.point):
        v = exact_value(end, env) if end not in (sympy.oo, -sympy.oo) else None
        if v is None or not v.is_Rational:
            raise ClaimInputError(f"the domain of {tf.var} and the claimed point must be finite and "
                                  "rational at these parameter values to scan it",
                                  fix="bound the variable's domain")
        ends.append(Fraction(int(v.p), int(v.q)))
    lo, hi, point = ends
    grid = [lo + (hi - lo) * Fraction(i, SCAN_POINTS) for i in range(SCAN_POINTS + 1)]
    grid = grid[1 if tf.domain.lo_open else 0:len(grid) - (1 if tf.domain.hi_open else 0)]
    return sorted(set(grid) | {point}), point, (lo, hi)


def _ends_of(ends: tuple[Fraction, Fraction], expr: sympy.Expr, env: dict,
             x: sympy.Symbol) -> list[tuple[Fraction, mpmath.mpf]]:
    """`expr` at the domain's ends, where defined: at an open end this is the limit
    that a sup or inf approaches there (what the exact candidates include too)."""
    out = []
    for at in ends:
        try:
            out.append((at, _mp(expr, env, x, at)))
        except Undefined:
            continue
    return out


def _float_env(env: dict[sympy.Symbol, Fraction]) -> dict[sympy.Symbol, np.ndarray]:
    return {k: np.float64(float(v)) for k, v in env.items()}


def _mp(expr: sympy.Expr, env: dict, x: sympy.Symbol, at) -> mpmath.mpf:
    return mp_value(expr, {**env, x: at if isinstance(at, Fraction) else _frac(at)}, DPS)


def _local_extrema(values: np.ndarray, largest: bool) -> list[int]:
    """Indices of the grid's global extremum and of local extrema within 1e-9 of it."""
    v = np.where(np.isnan(values), -np.inf if largest else np.inf, values)
    v = v if largest else -v
    best = v.max()
    tol = 1e-9 * max(1.0, abs(best))
    out = [int(np.argmax(v))]
    for i in range(1, len(v) - 1):
        if v[i] >= v[i - 1] and v[i] >= v[i + 1] and v[i] >= best - tol and i not in out:
            out.append(i)
    return sorted(out)


def _refine(expr: sympy.Expr, env: dict, x: sympy.Symbol, lo: Fraction, hi: Fraction,
            largest: bool) -> tuple[mpmath.mpf, str]:
    """The extremum of `expr` in x on [lo, hi] at 50 digits: a root of d/dx in a
    bracket certified by exact signs at its ends (findroot, anderson), or, where the
    derivative cannot be evaluated or does not change sign, a golden section."""
    d = sympy.diff(expr, x)
    want = (1, -1) if largest else (-1, 1)
    try:
        signs = tuple(exact_sign(exact_value(d, {**env, x: e})) for e in (lo, hi))
    except (ValueError, Undefined, LawproofError):
        signs = (None, None)
    with mpmath.mp.workdps(DPS):
        if signs == want:
            root = mpmath.findroot(lambda t: _mp(d, env, x, t), (_rational_mpf(lo), _rational_mpf(hi)),
                                   solver="anderson", verify=False)
            if _rational_mpf(lo) <= root <= _rational_mpf(hi):
                return root, "findroot (anderson) on the derivative, bracket certified by exact signs"
        return _golden(expr, env, x, lo, hi, largest), "golden section at 50 digits"


def _rational_mpf(v: Fraction) -> mpmath.mpf:
    return mpmath.mpf(v.numerator) / v.denominator


def _golden(expr: sympy.Expr, env: dict, x: sympy.Symbol, lo: Fraction, hi: Fraction,
            largest: bool) -> mpmath.mpf:
    sign = 1 if largest else -1
    a, b = _rational_mpf(lo), _rational_mpf(hi)
    ratio = (mpmath.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = sign * _mp(expr, env, x, c), sign * _mp(expr, env, x, d)
    while b - a > mpmath.mpf(10) ** -(DPS - 5):
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = sign * _mp(expr, env, x, c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = sign * _mp(expr, env, x, d)
    return (a + b) / 2


def _check_c1(tf: ThresholdFunction, env: dict, grid: list[Fraction], point: Fraction) -> None:
    xs = np.array([float(g) for g in grid if g != point])
    c1 = vectorize.evaluate(tf.c1, {**_float_env(env), tf.var: xs})
    if np.any(~(c1 > 0)):
        bad = float(xs[int(np.argmax(~(c1 > 0)))])
        raise ClaimInputError(f"the objective does not increase with {tf.scan} at {tf.var} = {bad:.6g}: "
                              f"the corner's optimality is not a threshold in {tf.scan} there",
                              fix="scan a parameter in which the objective is increasing")


def _extremum(expr: sympy.Expr, env: dict, x: sympy.Symbol, grid: list[Fraction], point: Fraction,
              ends: tuple[Fraction, Fraction], largest: bool) -> tuple[mpmath.mpf, mpmath.mpf, str]:
    """The sup (or inf) of `expr` over x at 50 digits: its value at `point`, at the
    domain's ends, and at each refined extremum of the float scan. Returns
    (value, where, how); ties go to `point`."""
    values = vectorize.evaluate(expr, {**_float_env(env), x: np.array([float(g) for g in grid])})
    better = (lambda a, b: a > b + TIE) if largest else (lambda a, b: a < b - TIE)
    best, where, how = _mp(expr, env, x, point), _rational_mpf(point), "the corner"
    for at, v in _ends_of(ends, expr, env, x):
        if at != point and better(v, best):
            best, where, how = v, _rational_mpf(at), "an end of the domain"
    for i in _local_extrema(values, largest):
        if grid[i] == point or i in (0, len(grid) - 1):
            continue
        x_m, found = _refine(expr, env, x, grid[i - 1], grid[i + 1], largest)
        v = _mp(expr, env, x, x_m)
        if better(v, best):
            best, where, how = v, x_m, found
    return best, where, how


def effective_threshold(tf: ThresholdFunction, values: dict) -> EffectiveThreshold:
    """S_c_eff at the parameter values `values` ({name or symbol: rational})."""
    env = _env(tf, values)
    grid, point, ends = _grid(tf, env)
    _check_c1(tf, env, grid, point)
    with mpmath.mp.workdps(DPS):
        corner = _mp(tf.phi, env, tf.var, point)
        best, where, how = _extremum(tf.phi, env, tf.var, grid, point, ends, largest=True)
    kind = "kink" if where == _rational_mpf(point) else "jump"
    if how in ("the corner", "an end of the domain"):
        how = f"sup of phi at {how}"
    out = EffectiveThreshold({s.name: str(v) for s, v in env.items()}, corner, best, where, kind, how)
    exact = _exact_threshold(tf, env)
    if exact is not None:
        with mpmath.mp.workdps(DPS):
            value = mpmath.mpf(sympy.N(exact, DPS + 10))
            out.exact, out.agreement = exact, abs(value - best)
            if out.agreement > TIE:
                raise LawproofError(f"effective threshold: the exact value {sympy.sstr(exact)} = "
                                    f"{mpmath.nstr(value, 30)} and the 50-digit search "
                                    f"{mpmath.nstr(best, 30)} disagree: a bug in lawproof")
        out.method += "; cross-checked with SymPy's exact roots"
    return out


def _exact_threshold(tf: ThresholdFunction, env: dict, seconds: float = 2.0) -> sympy.Expr | None:
    """The max of phi over the corner, the domain's ends (limits at open ones) and
    the real roots of phi' inside the domain, exactly, when the numerator of phi' is
    a polynomial in x with rational coefficients; else None."""
    sub = {k: _rational(v) for k, v in env.items()}
    phi = tf.phi.xreplace(sub)
    point, lo, hi = (e.xreplace(sub) for e in (tf.point, tf.domain.lo, tf.domain.hi))
    try:
        with time_limit(seconds, "exact threshold"):
            numerator = sympy.numer(sympy.together(sympy.diff(phi, tf.var)))
            poly = sympy.Poly(numerator, tf.var)
            if not all(c.is_Rational for c in poly.coeffs()):
                return None
            roots = [r for r in poly.real_roots() if bool(lo < r) and bool(r < hi)]
            candidates = [phi.xreplace({tf.var: v}) for v in [point, lo, hi] + roots]
            finite = [c for c in candidates if c.is_finite and c.is_real]
            return max(finite, key=lambda c: sympy.N(c, DPS + 10))
    except (BackendTimeout, sympy.PolynomialError, NotImplementedError, TypeError):
        return None


def symbolic_threshold(tf: ThresholdFunction, seconds: float = 3.0) -> SymbolicThreshold | None:
    """S_c_eff in closed form over the parameters, when phi' has a numerator of
    degree at most 2 in x (larger degrees give formulas too long to read); roots
    that the parameters' signs put outside the domain are dropped."""
    corner = sympy.factor(tf.phi.xreplace({tf.var: tf.point}))
    try:
        with time_limit(seconds, "symbolic threshold"):
            numerator = sympy.numer(sympy.together(sympy.diff(tf.phi, tf.var)))
            if not numerator.has(tf.var):
                return SymbolicThreshold(corner)
            poly = sympy.Poly(numerator, tf.var)
            if poly.degree() > 2 or any(c.has(tf.var) for c in poly.coeffs()):
                return None
            out = SymbolicThreshold(corner)
            for r in sympy.solve(numerator, tf.var):
                r = sympy.simplify(r)
                if _outside(r, tf):
                    continue
                out.candidates.append((r, sympy.factor(sympy.simplify(tf.phi.xreplace({tf.var: r})))))
            return out
    except (BackendTimeout, sympy.PolynomialError, NotImplementedError):
        return None


def _outside(r: sympy.Expr, tf: ThresholdFunction) -> bool:
    """True when the signs the parameters' domains guarantee put r outside (lo, hi)."""
    signed = {s: sympy.Dummy(s.name, **{sign: True}) for s, sign in tf.signs}
    return bool((r - tf.domain.lo).xreplace(signed).is_nonpositive) or \
        bool((tf.domain.hi - r).xreplace(signed).is_nonpositive)


@dataclass
class CurvePoint:
    """One point of the a*(S) curve, at 50 digits; `corner` when a* is the corner."""

    s: Fraction
    argmin: mpmath.mpf
    minimum: mpmath.mpf
    corner: bool


def astar_curve(tf: ThresholdFunction, values: dict, s_values: Sequence[Fraction]) -> list[CurvePoint]:
    """a*(S) = argmin of the objective for each S in `s_values`, at 50 digits.

    A float scan of x brackets the minima; each is refined at 50 digits (see
    `_refine`) and compared with the corner at 50 digits (ties go to the corner).
    """
    env = _env(tf, values)
    grid, point, ends = _grid(tf, env)
    out = []
    for s in s_values:
        at = {**env, tf.scan: Fraction(s)}
        with mpmath.mp.workdps(DPS):
            best, where, _ = _extremum(tf.objective, at, tf.var, grid, point, ends, largest=False)
        out.append(CurvePoint(Fraction(s), where, best, where == _rational_mpf(point)))
    return out


__all__ = ["ThresholdFunction", "EffectiveThreshold", "SymbolicThreshold", "CurvePoint",
           "threshold_function", "effective_threshold", "symbolic_threshold", "astar_curve"]
