"""The functions of `lawproof.language.functions` on arb balls (python-flint): the one place the
numeric layers turn a table entry into a rigorous enclosure. `numeric.evaluate` (the
interval context of its exact re-checks) and `numeric.interval` (the branch and bound
prover) both call it."""
from __future__ import annotations

from flint import arb

from lawproof.language.functions import Cbrt, Elementary


def ball(f: Elementary, x: arb) -> arb:
    """An arb ball enclosing `f` over every real of the ball `x` where `f` is defined.

    The caller has checked the domain (no pole of tan, arcsin and arccos on [-1, 1]).
    arb's `root` is the principal root, defined for nonnegative arguments only, so the
    real cube root of a ball is taken from its sign: an odd function, increasing."""
    if f.node is Cbrt:
        if x >= 0:
            return x.root(3)
        if x <= 0:
            return -((-x).root(3))
        lo, hi = x.lower(), x.upper()  # straddles 0: the image of each end, joined
        return (-((-lo).root(3))).union(hi.root(3))
    return getattr(x, f.arb)()
