"""Re-check a counterexample: exactly, and at 50 digits, with the values for the report."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy

from lawproof.language.formula import Formula

from .evaluate import atom_values, exact_truth
from .sample import mp_truth


@dataclass
class Recheck:
    """What a point does to the formula a counterexample must satisfy.

    `exact` is None when exact evaluation cannot decide (inner quantifiers remain, or
    a sign no exact test certifies); `digits50` is the 50-digit verdict, with inner
    quantifiers approximated by sampling. `values` are the atoms' sides, `point` the
    coordinates as exact rationals in text, sorted by name.
    """

    exact: bool | None
    digits50: bool
    values: list[tuple[str, str, str, str, str]]
    point: dict[str, str]


def recheck(f: Formula, env: dict[sympy.Symbol, Fraction]) -> Recheck:
    """Evaluate `f` (the negated claim, witnesses as free symbols) at `env`, exactly
    and at 50 digits. The point is a counterexample when `exact` is True."""
    try:
        digits50 = mp_truth(f, env, dps=50)
    except ValueError:  # a term the numeric layer cannot evaluate (an unevaluated limit)
        digits50 = False  # no second opinion: nothing is confirmed from it
    return Recheck(exact=exact_truth(f, env), digits50=digits50,
                   values=atom_values(f, env, dps=50),
                   point={s.name: str(v) for s, v in sorted(env.items(), key=lambda kv: kv[0].name)})


__all__ = ["Recheck", "recheck"]
