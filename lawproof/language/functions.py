"""The transcendental and root functions of the claim language beyond `sqrt`, `exp` and
`ln`: trigonometric, inverse trigonometric, hyperbolic, and the real cube root.

One table, `ELEMENTARY`, says for each function its name in the claim language, its
SymPy node, its LaTeX command, where it is defined, and its shape (monotone, bounded,
limits at infinity). Every layer reads it from here: the parser and the LaTeX reader
(names), `lawproof.language.definedness` (conditions), `numeric.evaluate` (exact, 50-digit and
interval values), `numeric.interval` (enclosures over boxes), `lawproof.numeric.vectorize`
(floats) and the reports (notation). A function added to the table is known to all of
them; a layer that cannot handle one refuses it (the SMT translation has no
transcendental functions and passes such claims on).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from .formula import Atom


class Cbrt(sympy.Function):
    """The real cube root, defined for every real number and odd: `cbrt(-8) = -2`.

    SymPy's own `cbrt(x)` is `x**(1/3)`, the principal complex root for negative x,
    which the claim language reads as a real power of a negative base (undefined).
    This node is never rewritten as a power, so no layer can mistake one for the other;
    `apply` gives its exact value at a rational.
    """

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        # infinite at 0: the claim language reads 1/cbrt(0)^2 as undefined there
        return 1 / (3 * self ** 2)

    def real_form(self) -> sympy.Expr:
        """`sign(x) * |x|^(1/3)`, for SymPy's numeric evaluation only."""
        x = self.args[0]
        return sympy.sign(x) * sympy.Pow(sympy.Abs(x), sympy.Rational(1, 3))

    def _eval_evalf(self, prec: int) -> sympy.Expr | None:
        return self.real_form()._eval_evalf(prec)

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_extended_positive(self) -> bool | None:
        return self.args[0].is_extended_positive

    def _eval_is_extended_negative(self) -> bool | None:
        return self.args[0].is_extended_negative

    def _eval_is_zero(self) -> bool | None:
        return self.args[0].is_zero

    def _sympystr(self, printer) -> str:
        return f"cbrt({printer._print(self.args[0])})"

    def _latex(self, printer, exp: str | None = None) -> str:
        # not \sqrt[3]{x}: SymPy prints the real power x^(1/3), undefined below 0, that way
        call = r"\operatorname{cbrt}{\left(" + printer._print(self.args[0]) + r" \right)}"
        return call if exp is None else f"{call}^{{{exp}}}"


#: Nodes SymPy's `limit` cannot take: it reads `Cbrt` as an unknown function and
#: expands it through `fdiff` at the point, so limit(cbrt(x)^3/x, x, 0) came back 0 and
#: limit(x/cbrt(x)^3, x, 0) 18 (both are 1). A limit over one of them stays unevaluated.
NO_SYMPY_LIMIT: tuple[type[sympy.Function], ...] = (Cbrt,)


@dataclass(frozen=True)
class Elementary:
    """One function of the table.

    `domain` is the closed interval where it is defined (None: every real, except the
    poles of `tan`, which `conditions` states). `monotone` is +1 (increasing on its
    domain), -1 (decreasing) or 0 (neither; its enclosure is computed otherwise).
    `limits` are its values at -oo and +oo, approached but not attained, for a
    monotone function defined on all reals (None: infinite). `mpmath`, `arb` and
    `numpy` name the function in those libraries (real-valued on the domain)."""

    name: str
    node: type[sympy.Function]
    latex: str
    mpmath: str
    arb: str
    numpy: str
    domain: tuple[sympy.Expr, sympy.Expr] | None = None
    monotone: int = 0
    limits: tuple[sympy.Expr | None, sympy.Expr | None] = (None, None)


_ONE = sympy.Integer(1)
_HALF_PI = sympy.pi / 2

ELEMENTARY: tuple[Elementary, ...] = (
    Elementary("sin", sympy.sin, "sin", "sin", "sin", "sin"),
    Elementary("cos", sympy.cos, "cos", "cos", "cos", "cos"),
    Elementary("tan", sympy.tan, "tan", "tan", "tan", "tan"),
    Elementary("arcsin", sympy.asin, "arcsin", "asin", "asin", "arcsin", domain=(-_ONE, _ONE), monotone=1),
    Elementary("arccos", sympy.acos, "arccos", "acos", "acos", "arccos", domain=(-_ONE, _ONE), monotone=-1),
    Elementary("arctan", sympy.atan, "arctan", "atan", "atan", "arctan", monotone=1,
               limits=(-_HALF_PI, _HALF_PI)),
    Elementary("sinh", sympy.sinh, "sinh", "sinh", "sinh", "sinh", monotone=1),
    Elementary("cosh", sympy.cosh, "cosh", "cosh", "cosh", "cosh"),
    Elementary("tanh", sympy.tanh, "tanh", "tanh", "tanh", "tanh", monotone=1, limits=(-_ONE, _ONE)),
    Elementary("cbrt", Cbrt, "", "cbrt", "root", "cbrt", monotone=1),
)

#: The functions by their names in the claim language.
BY_NAME: dict[str, Elementary] = {f.name: f for f in ELEMENTARY}
#: Other spellings, each naming one function only (SymPy's and C's names).
ALIASES: dict[str, str] = {"asin": "arcsin", "acos": "arccos", "atan": "arctan"}
#: The functions by their SymPy node.
BY_NODE: dict[type, Elementary] = {f.node: f for f in ELEMENTARY}
#: LaTeX commands (without the backslash) and the ASCII names they stand for.
LATEX_NAMES: dict[str, str] = {f.latex: f.name for f in ELEMENTARY if f.latex}


def lookup(name: str) -> Elementary | None:
    """The function a claim-language name (or an alias) stands for."""
    return BY_NAME.get(ALIASES.get(name, name))


def of(node: sympy.Basic) -> Elementary | None:
    """The table entry of a SymPy node, if it is one of these functions."""
    return BY_NODE.get(type(node))


def apply(f: Elementary, arg: sympy.Expr) -> sympy.Expr:
    """`f(arg)` as SymPy builds it (`sin(pi/6)` is 1/2); the real cube root of a rational
    is exact (`cbrt(-8)` is -2, `cbrt(-2)` is -2^(1/3), a real power of a positive base)."""
    if f.node is Cbrt and arg.is_Rational:
        root = sympy.Pow(abs(arg), sympy.Rational(1, 3))
        return -root if arg.is_negative else root
    return f.node(arg)


def conditions(node: sympy.Basic) -> list[Atom]:
    """Where one node of the table is defined: `tan(a)` where `cos(a) != 0`,
    `arcsin(a)` and `arccos(a)` where `-1 <= a <= 1`; the others everywhere."""
    f = of(node)
    if f is None:
        return []
    (arg,) = node.args
    if f.node is sympy.tan:
        # arctan's values lie in (-pi/2, pi/2), where cos > 0; SymPy would write
        # cos(arctan(u)) as 1/sqrt(1 + u^2) and, for a rational u of thousands of digits,
        # factor 1 + u^2 to simplify the root (tan(arctan(u)) took the whole read limit)
        return [] if isinstance(arg, sympy.atan) else [Atom("!=", sympy.cos(arg), sympy.Integer(0))]
    if f.domain is not None:
        lo, hi = f.domain
        return [Atom(">=", arg, lo), Atom(">=", hi, arg)]
    return []
