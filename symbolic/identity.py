"""Decide identities exactly: an equation is an identity only when the difference of
its sides simplifies to exactly 0. Anything less is handed on, never guessed."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy

from lawproof.language.domain import Domain
from lawproof.language.errors import BackendTimeout
from lawproof.language.formula import CALCULUS, And, Atom, Formula, Implies, domain_of
from lawproof.language.timeout import time_limit


@dataclass
class IdentityResult:
    """Outcome of trying to decide a claim as an identity.

    `identities` are the equations shown to hold wherever both sides are defined;
    `chain` the simplification steps, for the evidence. When `decided` is True the
    claim reduces to: the premise (if any) implies the definedness of every side and
    the `others` conjuncts, which the engine must still prove.
    """

    decided: bool
    chain: list[tuple[str, str]] = field(default_factory=list)
    identities: list[Atom] = field(default_factory=list)
    premise: Formula | None = None
    #: conjuncts beside the equations, to be proved with the sides' definedness
    others: list[Formula] = field(default_factory=list)


def _equations(f: Formula) -> tuple[Formula | None, list[Atom], list[Formula]] | None:
    """(premise, equations, other conjuncts) of `premise -> (eq and ... and other ...)`,
    when there is at least one equation; the other conjuncts (definedness conditions of
    what was written) are left to be proved with the sides' definedness."""
    premise: Formula | None = None
    if isinstance(f, Implies):
        premise, f = f.lhs, f.rhs
    parts = list(f.args) if isinstance(f, And) else [f]
    equations = [a for a in parts if isinstance(a, Atom) and a.op == "="]
    if not equations:
        return None
    return premise, equations, [a for a in parts if a not in equations]


#: The dummy standing for a symbol with a sign, one per (symbol, sign) in the process:
#: the same terms then become the same SymPy objects in every call, so that SymPy's cache
#: and the sign facts it keeps on an object serve the claims that ask again (a fresh
#: dummy per call made each of them recompute). Each call's renaming is undone by its own
#: `back`, so emptying the table when full (a long-lived process) only costs speed.
_SIGNED: dict[tuple[sympy.Symbol, str], sympy.Dummy] = {}
_SIGNED_SIZE = 4096


def _signed(s: sympy.Symbol, sign: str) -> sympy.Dummy:
    dummy = _SIGNED.get((s, sign))
    if dummy is None:
        if len(_SIGNED) >= _SIGNED_SIZE:
            _SIGNED.clear()
        dummy = _SIGNED[(s, sign)] = sympy.Dummy(s.name, **{sign: True})
    return dummy


def _assumed(expr: sympy.Expr, domains: dict[sympy.Symbol, Domain]) -> tuple[sympy.Expr, dict]:
    """Replace each symbol by a dummy carrying the sign its domain guarantees,
    so that SymPy may use it (e.g. sqrt(x**2) = x for x >= 0)."""
    rename = {}
    for s in expr.free_symbols:
        d = domain_of(s, domains)
        if d is None or not d.lo.is_number:
            continue
        if d.lo > 0 or (d.lo == 0 and d.lo_open):
            rename[s] = _signed(s, "positive")
        elif d.lo >= 0:
            rename[s] = _signed(s, "nonnegative")
    return expr.xreplace(rename), {v: k for k, v in rename.items()}


#: The steps tried in turn on the difference of an equation's sides, until one gives 0.
STEPS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "cancel": lambda e: sympy.cancel(sympy.together(e)),
    "radsimp": sympy.radsimp,
    "simplify": sympy.simplify,
    "factor": sympy.factor,
}
#: The cheap ones: `simplify` and `factor` can take a good part of a second (and
#: `simplify` imports sympy.physics.units the first time), so a caller may try other
#: methods between the two.
QUICK_STEPS = ("cancel", "radsimp")


def decide_identity(f: Formula, domains: dict[sympy.Symbol, Domain], *,
                    seconds: float = 5.0, steps: tuple[str, ...] = tuple(STEPS)) -> IdentityResult:
    """Try to show that every equation of `f` (a conjunction of equations, perhaps
    under a premise) is an exact identity, by the `steps` of STEPS in turn."""
    shape = _equations(f)
    if shape is None:
        return IdentityResult(False)
    premise, atoms, others = shape
    result = IdentityResult(False, premise=premise, others=others)
    for atom in atoms:
        diff, back = _assumed(atom.lhs - atom.rhs, domains)
        if diff.has(*CALCULUS):
            return IdentityResult(False)
        chain = [("difference", sympy.sstr(diff.xreplace(back)))]
        try:
            with time_limit(seconds, "SymPy simplification"):
                zero = _is_zero(diff, chain, back, steps)
        except BackendTimeout as e:
            chain.append(("stopped", str(e)))
            zero = False
        result.chain.extend(chain)
        if not zero:
            return IdentityResult(False, chain=result.chain)
        result.identities.append(atom)
    result.decided = True
    return result


def _is_zero(diff: sympy.Expr, chain: list[tuple[str, str]], back: dict, steps: tuple[str, ...]) -> bool:
    for name in steps:
        diff = STEPS[name](diff)
        chain.append((name, sympy.sstr(diff.xreplace(back))))
        if diff == 0:
            return True
    return False
