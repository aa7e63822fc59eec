"""Math notation for reports: formulas, terms and domains as LaTeX or MathML.

One tree walker (`FormulaPrinter`) spells the logic of `lawproof.language.formula`; a
notation subclass says how each part is written in its format, and hands terms to
SymPy's own printer for that format (the pattern of SymPy's printers).
"""
from __future__ import annotations

from fractions import Fraction
from html import escape

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.mathml import MathMLPresentationPrinter

from ..language.domain import Domain
from ..language.formula import (And, Approx, Atom, Binder, Formula, Iff, Implies, Not, Optimum, Or,
                       Quantified, Truth)

#: How tightly each node binds: a child that binds less tightly than its parent
#: needs parentheses.
_QUANT, _IFF, _IMPLIES, _OR, _AND, _NOT, _ATOM = range(7)


def shown(expr: sympy.Expr) -> sympy.Expr:
    """The term as a reader should see it: a constant definition `S_c()` is `S_c`."""
    return expr.replace(lambda e: isinstance(e, AppliedUndef) and not e.args,
                        lambda e: sympy.Symbol(e.func.__name__))


class _MathML(MathMLPresentationPrinter):
    """SymPy's presentation MathML, with a definition call printed under its own
    name (SymPy lowercases function names and ignores their subscripts)."""

    def _print_AppliedUndef(self, e: AppliedUndef):
        mrow = self.dom.createElement("mrow")
        mrow.appendChild(self._print(sympy.Symbol(e.func.__name__)))
        mrow.appendChild(self._paren_comma_separated(*e.args))
        return mrow


class FormulaPrinter:
    """Walks a Formula; subclasses say how each part is spelled."""

    ops: dict[str, str] = {}

    # --- what a format must provide -------------------------------------------------
    def term(self, expr: sympy.Expr) -> str:
        raise NotImplementedError

    def word(self, text: str) -> str:
        """Upright text inside math."""
        raise NotImplementedError

    def join(self, parts: list[str]) -> str:
        raise NotImplementedError

    def paren(self, inner: str) -> str:
        raise NotImplementedError

    def under(self, base: str, script: str) -> str:
        """`base` with `script` written below (or as a subscript)."""
        raise NotImplementedError

    def bracket(self, left: str, inner: str, right: str) -> str:
        raise NotImplementedError

    # --- shared ---------------------------------------------------------------------
    def listing(self, parts: list[str]) -> str:
        """`parts` separated by commas."""
        out: list[str] = []
        for i, part in enumerate(parts):
            if i:
                out.append(self.ops[","])
            out.append(part)
        return self.join(out)

    def domain(self, d: Domain) -> str:
        inner = self.listing([self.term(d.lo), self.term(d.hi)])
        text = self.bracket("(" if d.lo_open else "[", inner, ")" if d.hi_open else "]")
        return self.join([text, self.ops["cap"], self.term(sympy.Integers)]) if d.integer else text

    def member(self, symbol: sympy.Symbol, d: Domain) -> str:
        """`x ∈ [lo, hi)`."""
        return self.join([self.term(symbol), self.ops["in"], self.domain(d)])

    def value(self, text: str) -> str:
        """An exact rational given as text (`"-3/4"`), as math."""
        return self.term(sympy.Rational(Fraction(text)))

    def name(self, text: str) -> str:
        """A symbol given by its name (`a1_w` is a with subscripts)."""
        return self.term(sympy.Symbol(text))

    def assignment(self, name: str, value: str) -> str:
        """`name = value` for a symbol's name and an exact rational as text."""
        return self.join([self.name(name), self.ops["="], self.value(value)])

    def formula(self, f: Formula) -> str:
        return self._node(f)[0]

    def _child(self, f: Formula, at_least: int) -> str:
        text, level = self._node(f)
        return self.paren(text) if level < at_least else text

    def _binders(self, binders: tuple[Binder, ...]) -> str:
        return self.listing([self.member(b.symbol, b.domain) for b in binders])

    def _node(self, f: Formula) -> tuple[str, int]:
        o = self.ops
        if isinstance(f, Truth):
            return self.word("true" if f.value else "false"), _ATOM + 1
        if isinstance(f, Atom):
            return self.join([self.term(f.lhs), o[f.op], self.term(f.rhs)]), _ATOM
        if isinstance(f, Not):
            return self.join([o["not"], self._child(f.arg, _ATOM + 1)]), _NOT
        if isinstance(f, (And, Or)):
            level = _AND if isinstance(f, And) else _OR
            parts: list[str] = []
            for i, a in enumerate(f.args):
                if i:
                    parts.append(o["and" if level == _AND else "or"])
                parts.append(self._child(a, level + 1))
            return self.join(parts), level
        if isinstance(f, Implies):
            return self.join([self._child(f.lhs, _IMPLIES + 1), o["->"],
                              self._child(f.rhs, _IMPLIES)]), _IMPLIES
        if isinstance(f, Iff):
            return self.join([self._child(f.lhs, _IFF + 1), o["<->"],
                              self._child(f.rhs, _IFF + 1)]), _IFF
        if isinstance(f, Quantified):
            head = self.join([o[f.kind], self._binders(f.binders), o[":"]])
            return self.join([head, self._child(f.body, _QUANT)]), _QUANT
        if isinstance(f, Optimum):
            return self._optimum(f), _ATOM
        if isinstance(f, Approx):
            return self._approx(f), _ATOM
        raise TypeError(f"no notation for {type(f).__name__}")

    def _optimum(self, f: Optimum) -> str:
        point = (self.term(f.point[0]) if len(f.point) == 1 else
                 self.paren(self.listing([self.term(p) for p in f.point])))
        where = self._binders(f.binders)
        if f.constraint is not None:
            where = self.listing([where, self.formula(f.constraint)])
        name = self.under(self.word("arg min" if f.kind == "min" else "arg max"), where)
        return self.join([point, self.ops["in"], name, self.term(f.objective)])

    def _approx(self, f: Approx) -> str:
        tolerances = [self.join([self.word(k), self.ops["="], self.term(v)])
                      for k, v in (("rel", f.rel), ("abs", f.abs)) if v is not None]
        out = [self.term(f.expr), self.ops["approx"], self.term(f.target)]
        if tolerances:
            out.append(self.paren(self.listing(tolerances)))
        return self.join(out)


class LatexPrinter(FormulaPrinter):
    """LaTeX for GitHub's math (MathJax): terms by `sympy.latex`."""

    ops = {"=": "=", "!=": r"\neq", "<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq",
           "and": r"\wedge", "or": r"\vee", "not": r"\neg", "->": r"\Rightarrow",
           "<->": r"\Leftrightarrow", "forall": r"\forall", "exists": r"\exists",
           "in": r"\in", ":": r"\colon", ",": ",", "cap": r"\cap", "approx": r"\approx"}

    def term(self, expr: sympy.Expr) -> str:
        # \arcsin, as the claim language and papers write it, not \operatorname{asin}
        return sympy.latex(shown(expr), inv_trig_style="full")

    def word(self, text: str) -> str:
        return r"\operatorname{" + text.replace(" ", r"\,") + "}"

    def join(self, parts: list[str]) -> str:
        return " ".join(parts)

    def paren(self, inner: str) -> str:
        return rf"\left({inner}\right)"

    def under(self, base: str, script: str) -> str:
        return f"{base}_{{{script}}}"

    def bracket(self, left: str, inner: str, right: str) -> str:
        return rf"\left{left}{inner}\right{right}"


class MathMLPrinter(FormulaPrinter):
    """Presentation MathML (MathML Core, rendered by browsers without scripts):
    terms by SymPy's MathML printer."""

    ops = {"=": "<mo>=</mo>", "!=": "<mo>≠</mo>", "<": "<mo>&lt;</mo>", "<=": "<mo>≤</mo>",
           ">": "<mo>&gt;</mo>", ">=": "<mo>≥</mo>", "and": "<mo>∧</mo>", "or": "<mo>∨</mo>",
           "not": "<mo>¬</mo>", "->": "<mo>⇒</mo>", "<->": "<mo>⇔</mo>",
           "forall": "<mo>∀</mo>", "exists": "<mo>∃</mo>", "in": "<mo>∈</mo>",
           ":": "<mo>:</mo>", ",": "<mo separator=\"true\">,</mo>", "cap": "<mo>∩</mo>",
           "approx": "<mo>≈</mo>"}

    def term(self, expr: sympy.Expr) -> str:
        # SymPy writes a hyphen where the minus sign is U+2212, and the differential d as
        # &dd; (U+2146), which browsers draw double-struck: an upright d is the usual notation
        return (_MathML().doprint(shown(expr)).replace("<mo>-</mo>", "<mo>&#x2212;</mo>")
                .replace("<mo>&dd;</mo>", '<mi mathvariant="normal">d</mi>'))

    def word(self, text: str) -> str:
        return f'<mi mathvariant="normal">{escape(text)}</mi>'

    def join(self, parts: list[str]) -> str:
        return "<mrow>" + "".join(parts) + "</mrow>"

    def paren(self, inner: str) -> str:
        return self.bracket("(", inner, ")")

    def under(self, base: str, script: str) -> str:
        return f"<munder>{base}{script}</munder>"

    def bracket(self, left: str, inner: str, right: str) -> str:
        return f"<mrow><mo>{left}</mo>{inner}<mo>{right}</mo></mrow>"


LATEX = LatexPrinter()
MATHML = MathMLPrinter()


def math_element(content: str, *, block: bool = False) -> str:
    """Wrap MathML content in a `<math>` element."""
    display = ' display="block"' if block else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{display}>{content}</math>'
