"""Parse the claim language into the intermediate form, without evaluating text.

The grammar (`grammar.lark`) is parsed by lark's LALR parser; this module walks the
parse tree and builds SymPy objects node by node. Nothing here calls `eval`,
`exec` or any SymPy string parser: a name is only ever looked up in the file's own
namespace, so text such as `__import__('os')` is an unknown name or a syntax error.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import re
import sys
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import lark
import sympy

from . import definedness, functions, sizes
from . import formula as held
from .domain import Domain
from .errors import FormulaSyntaxError
from .files import atomic_write, default_dir
from .formula import (CALCULUS, RELOPS, Approx, Atom, Binder, Binding, Bound, Formula, Iff, Implies, Limit, Not,
                      Optimum, Quantified, Truth, conj, disj)

_GRAMMAR = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
_OPTIONS = dict(start=["formula", "interval"], parser="lalr", propagate_positions=True, maybe_placeholders=False)


def _lalr() -> lark.Lark:
    """lark's LALR parser of the grammar. Building its tables costs more than the rest of
    lawproof's own import (45 ms, in every process), so they are kept in the default cache
    folder (files.default_dir, whatever a run's --cache says: they are no results), named
    by a digest of the grammar, the options and the versions of lark and Python, with a
    checksum: a damaged file is rebuilt, never believed; one that cannot be written costs
    only the time. The file is a pickle: the folder is as trusted as the Python
    environment (lawproof.cache)."""
    name = hashlib.sha256(repr((_GRAMMAR, sorted(_OPTIONS.items()), lark.__version__,
                                sys.version_info[:2])).encode()).hexdigest()[:32]
    path = default_dir() / "grammar" / f"{name}.pickle"
    with contextlib.suppress(OSError):
        blob = path.read_bytes()
        checksum, payload = blob[:32], blob[32:]
        if hashlib.sha256(payload).digest() == checksum:
            return lark.Lark.load(io.BytesIO(payload))
    parser = lark.Lark(_GRAMMAR, **_OPTIONS)
    out = io.BytesIO()
    parser.save(out)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, hashlib.sha256(out.getvalue()).digest() + out.getvalue())
    return parser


_PARSER = _lalr()

#: Built-in functions and how many arguments each takes.
BUILTINS: dict[str, tuple[int, ...]] = {
    "sqrt": (1,), "exp": (1,), "ln": (1,), "log": (1,), "log2": (1,),
    "log10": (1,), "abs": (1,), "min": (2, 3, 4, 5, 6), "max": (2, 3, 4, 5, 6),
    "diff": (2, 3), "integrate": (4,), "limit": (3,),
    "solve": (2,), "argmin": (2,), "argmax": (2,),
    "sum": (4,), "floor": (1,), "ceil": (1,),
}
#: The functions of `lawproof.language.functions` (with their aliases) are built in too, but not
#: reserved: a file's symbol or definition of the same name wins, so that files written
#: before they existed keep their meaning.
ELEMENTARY_NAMES = frozenset(functions.BY_NAME) | frozenset(functions.ALIASES)
#: Built-ins added after the first version of the language: a file's own symbol or
#: definition of the same name keeps its meaning (old files stay valid).
SHADOWABLE = {"sum", "floor", "ceil"}
#: Names with a fixed meaning in formulas (a file symbol of the same name wins
#: for E and pi, as the spec says).
CONSTANTS = {"pi": sympy.pi, "E": sympy.E, "oo": sympy.oo}
KEYWORDS = {"forall", "exists", "in", "and", "or", "not", "true", "false",
            "approx", "minimized_at", "maximized_at"}

_TOKEN_TEXT = {
    "NAME": "a name", "NUMBER": "a number", "RELOP": "a comparison (<, <=, =, ...)",
    "ADDOP": "'+' or '-'", "MULOP": "'*' or '/'", "POWOP": "'^'", "LPAR": "'('",
    "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "COMMA": "','", "COLON": "':'",
    "$END": "the end of the formula", "AND": "'and'", "OR": "'or'", "NOT": "'not'",
}


class Derived(Binding):
    """A value that SymPy derives from its arguments: `solve`, `argmin`, `argmax`.

    Parsing keeps it unevaluated; `symbolic.expand` computes it under the domains of
    the file's symbols, so a derived closed form is never typed in. The last argument
    is the variable solved or optimized for; it is bound inside the node.
    """


class Solve(Derived):
    """`solve(lhs = rhs, x)`: the unique real solution for `x` in its domain.
    Arguments: lhs, rhs, x."""

    nargs = 3

    def _sympystr(self, printer) -> str:
        lhs, rhs, x = (printer._print(a) for a in self.args)
        return f"solve({lhs} = {rhs}, {x})"

    def _latex(self, printer) -> str:
        lhs, rhs, x = (printer._print(a) for a in self.args)
        return rf"\operatorname{{solve}}_{{{x}}}\left({lhs} = {rhs}\right)"


class _Optimizer(Derived):
    """`argmin`/`argmax(f, x)`, printed as the claim language and LaTeX write them."""

    nargs = 2
    _name = ""

    def _sympystr(self, printer) -> str:
        f, x = (printer._print(a) for a in self.args)
        return f"{self._name}({f}, {x})"

    def _latex(self, printer) -> str:
        f, x = (printer._print(a) for a in self.args)
        return rf"\operatorname*{{{self._name[:3]}\,{self._name[3:]}}}_{{{x}}}\left({f}\right)"


class ArgMin(_Optimizer):
    """`argmin(f, x)`: the unique stationary point of `f` in the domain of `x`, which
    must not be a strict local maximum. Arguments: f, x."""

    _name = "argmin"


class ArgMax(_Optimizer):
    """`argmax(f, x)`: as ArgMin, for a maximum."""

    _name = "argmax"


class Optimal(sympy.Function):
    """The optimizer of `f` over `x` where SymPy finds no closed form:
    `Optimal(f, x, kind)` with kind 1 for a minimum, -1 for a maximum. The symbolic
    layer leaves it in place of `argmin`/`argmax`; the engine decides claims about it
    through the first-order condition and the implicit function theorem, with the
    conditions these need proved (docs/claim-language-extensions.md)."""

    nargs = 3

    @property
    def free_symbols(self) -> set[sympy.Basic]:
        return self.args[0].free_symbols - {self.args[1]}

    def _eval_derivative(self, s: sympy.Symbol) -> sympy.Expr:
        # the implicit function theorem on f_x(x*(s), s) = 0: dx*/ds = -f_xs / f_xx
        f, x, _ = self.args
        return (-sympy.diff(f, x, s) / sympy.diff(f, x, 2)).xreplace({x: self})

    def _sympystr(self, printer) -> str:
        f, x = (printer._print(a) for a in self.args[:2])
        return f"{'argmin' if self.args[2] == 1 else 'argmax'}({f}, {x})"

    def _latex(self, printer) -> str:
        f, x = (printer._print(a) for a in self.args[:2])
        name = "arg\\,min" if self.args[2] == 1 else "arg\\,max"
        return rf"\operatorname*{{{name}}}_{{{x}}}\left({f}\right)"


class Rebind(sympy.Function):
    """A definition's call under binders that re-bind file symbols it uses:
    `Rebind(call, (S, R), (S', R'))` is the call with the file's S and R read as the
    bound S' and R'. `symbolic.expand` carries it out; it prints as the call."""

    nargs = 3

    @property
    def free_symbols(self) -> set[sympy.Basic]:
        call, olds, news = self.args
        return (call.free_symbols - set(olds.args)) | news.free_symbols

    def _sympystr(self, printer, **kwargs) -> str:
        return printer._print(self.args[0], **kwargs)

    def _latex(self, printer, **kwargs) -> str:
        return printer._print(self.args[0], **kwargs)

    def _mathml_presentation(self, printer, **kwargs):
        return printer._print(self.args[0], **kwargs)


@dataclass
class Namespace:
    """What names mean in a claim file: symbols with domains, definitions."""

    symbols: dict[str, tuple[sympy.Symbol, Domain]] = field(default_factory=dict)
    functions: dict[str, int] = field(default_factory=dict)  # name -> arity (0: constant)
    #: name -> (parameters, definedness conditions its body lost to SymPy's simplification)
    lost: dict[str, tuple[tuple[sympy.Symbol, ...], tuple[Formula, ...]]] = field(default_factory=dict)
    #: function symbols (declared under [functions]) and their arguments' domains:
    #: calls stay calls, never expanded, and are defined only inside the domains
    uninterpreted: dict[str, tuple[Domain, ...]] = field(default_factory=dict)

    def definition(self, name: str, args: tuple[sympy.Expr, ...] = ()) -> sympy.Expr:
        """The unexpanded call `name(args)`; symbolic.expand replaces it."""
        return sympy.Function(name)(*args)

    def conditions(self, name: str, args: tuple[sympy.Expr, ...] = ()) -> list[Formula]:
        """The lost definedness conditions of the call `name(args)`."""
        params, atoms = self.lost.get(name, ((), ()))
        sub = dict(zip(params, args))
        return [a.map_exprs(lambda e: e.xreplace(sub)) for a in atoms]


def make_symbol(name: str, integer: bool = False) -> sympy.Symbol:
    """The SymPy symbol lawproof uses for a claim-file name."""
    return sympy.Symbol(name, integer=True) if integer else sympy.Symbol(name, real=True)


def parse_formula(text: str, ns: Namespace, *, tolerance: sympy.Expr | None = None) -> Formula:
    """Parse a claim formula. Raises FormulaSyntaxError with line/column in `text`."""
    tree = _parse(text, "formula")
    return _Builder(ns, text, tolerance).formula(tree)


def parse_term(text: str, ns: Namespace, *, local: dict[str, sympy.Symbol] | None = None) -> sympy.Expr:
    """Parse an arithmetic expression (a definition body, a domain bound)."""
    tree = _parse(text, "formula")
    b = _Builder(ns, text, None)
    b.declared = False
    if local:
        b.scopes.append(dict(local))
    return b.expr(tree)


def parse_definition(text: str, ns: Namespace, local: dict[str, sympy.Symbol]) -> tuple[sympy.Expr, list[Formula]]:
    """Parse a definition body; also the definedness conditions SymPy simplified away
    while building it (`x/x` is built as 1), which every call of it keeps."""
    b = _Builder(ns, text, None)
    b.declared = False
    b.scopes.append(dict(local))
    with b.recording() as recorded:
        body = b.expr(_parse(text, "formula"))
    return body, definedness.lost(recorded, [body])


def parse_bound(text: str, ns: Namespace) -> sympy.Expr:
    """Parse an interval's end: a term, or `oo` / `-oo`."""
    return _Builder(ns, text, None).end(_parse(text, "formula"))


def parse_interval(text: str, ns: Namespace) -> tuple[sympy.Expr, sympy.Expr, bool, bool]:
    """Parse interval notation such as `[0, 1)` or `(1, oo)`: (lo, hi, lo_open, hi_open)."""
    tree = _parse(text, "interval")
    return _Builder(ns, text, None).interval(tree)


#: How deeply a formula, domain or definition may nest (parse-tree levels: each operator,
#: call, quantifier or comparison below another is one level; parentheses alone are
#: not). The bundled packs need 10; the limit keeps the recursive builder, SymPy and
#: the backends far from Python's recursion limit.
MAX_NESTING = 100
#: The most digits a number literal may have (Python converts at most 4300).
MAX_DIGITS = 4000


def _too_deep(tree: lark.Tree) -> lark.Tree | None:
    """The first node nested deeper than MAX_NESTING levels, or None (iterative)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return node
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, lark.Tree))
    return None


def _parse(text: str, start: str) -> lark.Tree:
    tree = _parse_tree(text, start)
    deep = _too_deep(tree)
    if deep is not None:
        line, col = (None, None) if deep.meta.empty else (deep.meta.line, deep.meta.column)
        raise FormulaSyntaxError(f"the formula is nested deeper than {MAX_NESTING} levels",
                                 fix="split it into definitions under [define] that use each other",
                                 line=line, column=col)
    return tree


def _parse_tree(text: str, start: str) -> lark.Tree:
    plus_minus = re.search(r"\+-", text)
    if plus_minus:  # `0.46 +- 0.01` would read as 0.46 + (-0.01) = 0.45
        line = text.count("\n", 0, plus_minus.start()) + 1
        column = plus_minus.start() - (text.rfind("\n", 0, plus_minus.start()) + 1) + 1
        raise FormulaSyntaxError("'+-' reads as a sum with a negative term, not as a plus-minus",
                                 fix="for x = 0.46 +- 0.01 write approx(x, 0.46, abs=0.01); for the sum "
                                     "write a + (-b)", line=line, column=column)
    try:
        return _PARSER.parse(text, start=start)
    except lark.exceptions.UnexpectedCharacters as e:
        ch = text[e.pos_in_stream] if e.pos_in_stream < len(text) else ""
        fix = "use names, numbers, + - * / ^, parentheses, comparisons and the claim-language keywords"
        if ch in "'\"":
            fix = "quotes cannot appear in a formula; names are bare words like S_c"
        elif ch == "\\":
            fix = "LaTeX belongs in a definition written as { latex = '...' }"
        raise FormulaSyntaxError(f"unexpected character {ch!r}", fix=fix,
                                 line=e.line, column=e.column) from None
    except lark.exceptions.UnexpectedToken as e:
        # operands first: "a name, a number" is what a doubled operator is missing
        expected = sorted({_TOKEN_TEXT.get(t, _literal(t)) for t in e.expected},
                          key=lambda w: (not w.startswith("a "), w))
        fix = "expected " + ", ".join(expected[:8]) if expected else "check the syntax here"
        if str(e.token) == "," and not expected:
            fix = "a comma separates the arguments of a call or the ends of an interval; write numbers " \
                  "without thousands separators (1000)"
        previous = e.token_history[-1] if getattr(e, "token_history", None) else None
        arrow = _split_arrow(e.token, previous, text)
        if arrow is not None:
            raise arrow from None
        if previous is not None and e.token.type in _BINARY and previous.type in _BINARY | {"NOT"}:
            raise FormulaSyntaxError(f"{str(e.token)!r} directly after {str(previous)!r}: an operand is missing "
                                     "between them",
                                     fix=f"remove the doubled operator, or write the operand after {str(previous)!r}",
                                     line=e.token.line, column=e.token.column) from None
        if e.token.type == "$END":
            raise FormulaSyntaxError("the formula ends too early", fix=fix,
                                     line=_end_line(text), column=_end_col(text)) from None
        raise FormulaSyntaxError(f"unexpected {str(e.token)!r}", fix=fix,
                                 line=e.token.line, column=e.token.column) from None
    except lark.exceptions.UnexpectedEOF:
        raise FormulaSyntaxError("the formula ends too early",
                                 fix="complete the expression or close the parenthesis",
                                 line=_end_line(text), column=_end_col(text)) from None
    except lark.exceptions.UnexpectedInput as e:  # any other way the text does not parse
        raise FormulaSyntaxError("the formula does not follow the grammar", fix="check the syntax",
                                 line=getattr(e, "line", None), column=getattr(e, "column", None)) from None


#: Tokens that stand between two operands: one directly after another means an operand
#: is missing (`x >= 0 and and x < 1`).
_BINARY = {"AND", "OR", "__ANON_0", "__ANON_1", "RELOP", "MULOP", "POWOP"}
#: An operator (or `not`) at the end of a text: the one before a misplaced `->`.
_LAST_OPERATOR = re.compile(r"(<->|->|<=|>=|!=|==|=|<|>|\*\*|\^|\*|/|\+|-|\b(?:and|or|not))\s*$")


def _split_arrow(token: lark.Token, previous: lark.Token | None, text: str) -> FormulaSyntaxError | None:
    """The error for `->` written where an operand is due (`P -> -> Q`, `P and -> Q`).

    There the lexer reads the arrow as a unary minus and a '>', and would report
    "unexpected '>'"; this reports the arrow, at its own position, after the operator
    before it."""
    if previous is None or str(previous) != "-" or token.type != "RELOP" or not str(token).startswith(">") \
            or token.start_pos != previous.end_pos:
        return None
    before = _LAST_OPERATOR.search(text[:previous.start_pos])
    if before is None:
        return FormulaSyntaxError("'->' where an operand is expected: nothing stands before it",
                                  fix="write the hypothesis before '->', as in P -> Q",
                                  line=previous.line, column=previous.column)
    return FormulaSyntaxError(f"'->' directly after {before.group(1)!r}: an operand is missing between them",
                              fix=f"remove the doubled operator, or write the operand after {before.group(1)!r}",
                              line=previous.line, column=previous.column)


def interval_is_empty(lo: sympy.Expr, hi: sympy.Expr, lo_open: bool, hi_open: bool,
                      integer: bool = False) -> bool:
    """True when the numeric bounds certainly give an empty interval, or with `integer`
    one without a whole number in it, such as (1, 2) (False when SymPy cannot compare
    them). A bound with an unevaluated integral, limit, sum or derivative is compared by
    its value to 15 digits, found with a bounded effort (`_calculus_value`), and only
    when the gap is clear: SymPy's own comparison integrates at rising precision,
    without end on a divergent integral (the read limit ended it)."""
    if lo.has(*CALCULUS) or hi.has(*CALCULUS):
        a, b = _calculus_value(lo), _calculus_value(hi)
        if a is None or b is None:
            return False
        return bool((a - b).is_extended_real and a - b > sympy.Float(1e-9) * (1 + abs(a) + abs(b)))
    try:
        if bool(lo > hi) or bool(lo == hi and (lo_open or hi_open)):
            return True
        if not integer or not (lo.is_finite and hi.is_finite):
            return False
        # the first and last whole numbers inside: none when the first lies beyond the last
        first = sympy.floor(lo) + 1 if lo_open else sympy.ceiling(lo)
        last = sympy.ceiling(hi) - 1 if hi_open else sympy.floor(hi)
        return bool(first > last)
    except TypeError:  # SymPy cannot order them (e.g. an unevaluated integral)
        return False


def emptiness(lo: sympy.Expr, hi: sympy.Expr, lo_open: bool, hi_open: bool,
              integer: bool) -> tuple[str, str] | None:
    """None for an interval that is not certainly empty; else what to add to "is empty"
    and the fix: an interval with real numbers but no whole one needs widening."""
    if not interval_is_empty(lo, hi, lo_open, hi_open, integer):
        return None
    if interval_is_empty(lo, hi, lo_open, hi_open):
        return "", "write the lower bound first and check which ends are open"
    return " of whole numbers", "widen it to hold a whole number: the variable is an integer"


def _calculus_value(bound: sympy.Expr) -> sympy.Expr | None:
    """`bound` itself when it holds no calculus; else its value to 15 digits, at most 50
    digits of working precision (a divergent integral comes out as a float with no
    correct digit), or None when SymPy cannot give one."""
    if not bound.has(*CALCULUS):
        return bound
    try:
        value = bound.evalf(15, maxn=50, strict=False)
    except (ArithmeticError, ValueError, TypeError, NotImplementedError):  # a divergent sum, say
        return None
    # (SymPy's Float keeps its precision, in bits, in _prec: 1 when no digit is right)
    return value if value.is_Float and value._prec > 1 else None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _literal(terminal: str) -> str:
    for t in _PARSER.terminals:
        if t.name == terminal and t.pattern.type == "str":
            return repr(t.pattern.value)
    return terminal.lower()


def _end_line(text: str) -> int:
    return text.count("\n") + 1


def _end_col(text: str) -> int:
    return len(text) - (text.rfind("\n") + 1) + 1


def _number(token: str) -> sympy.Rational:
    # Exact: "0.34" is 17/50 and "1e-3" is 1/1000; floats never enter.
    f = Fraction(token)
    return sympy.Rational(f.numerator, f.denominator)


#: A literal's decimal exponent is at most this (the size of exact powers is bounded
#: by lawproof.language.sizes).
MAX_EXPONENT = 1000
# Numbers as large as sizes.MAX_BITS (about 30,000 digits) are printed in evidence and
# reports; Python refuses to print integers beyond 4,300 digits unless told otherwise.
if 0 < sys.get_int_max_str_digits() < 40_000:
    sys.set_int_max_str_digits(40_000)


def rounding_half_unit(token: str) -> sympy.Rational:
    """Half a unit in the last written digit: the tolerance a rounded literal implies."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    power = -decimals + (int(exponent) if exponent else 0)
    return sympy.Rational(1, 2) * sympy.Integer(10) ** power


class _Builder:
    """Walks a parse tree and builds formulas and SymPy terms, resolving names."""

    def __init__(self, ns: Namespace, text: str, tolerance: sympy.Expr | None) -> None:
        self.ns = ns
        self.text = text
        self.tolerance = tolerance
        self.scopes: list[dict[str, sympy.Symbol]] = []
        # definedness conditions of the comparison being built (None: not recording)
        self.recorded: list[Formula] | None = None
        # whether the file's symbols keep their declared domains in the text: not in a
        # definition's body, whose symbols a binder of their name re-binds to its own
        # domain (docs/semantics.md) and whose parameters take any argument
        self.declared = True

    # -- errors -------------------------------------------------------------
    def error(self, node: lark.Tree | lark.Token, message: str, fix: str) -> FormulaSyntaxError:
        line = getattr(node, "line", None)
        col = getattr(node, "column", None)
        if isinstance(node, lark.Tree) and not node.meta.empty:
            line, col = node.meta.line, node.meta.column
        return FormulaSyntaxError(message, fix=fix, line=line, column=col)

    # -- names --------------------------------------------------------------
    def lookup_symbol(self, name: str) -> sympy.Symbol | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in self.ns.symbols:
            return self.ns.symbols[name][0]
        return None

    def declared_domain(self, s: sympy.Symbol) -> Domain | None:
        """The domain `s` lies in wherever the text is evaluated: a bound variable's
        binding's; a file symbol's declared one in a claim, not in a definition's body
        (a binder of its name re-binds it there, and a parameter takes any argument);
        None otherwise."""
        if isinstance(s, Bound):
            return s.domain
        known = self.ns.symbols.get(s.name)
        if not self.declared or known is None or known[0] != s or any(s.name in scope for scope in self.scopes):
            return None
        return known[1]

    def name(self, token: lark.Token) -> sympy.Expr:
        name = str(token)
        sym = self.lookup_symbol(name)
        if sym is not None:
            return sym
        if name in self.ns.functions:
            if self.ns.functions[name] != 0:
                raise self.error(token, f"'{name}' is a function of {self.ns.functions[name]} argument(s)",
                                 f"call it, e.g. {name}(...)")
            return self.definition_call(name, ())
        if name == "oo":
            raise self.error(token, "oo (infinity) is not a number: it cannot stand inside arithmetic, "
                                    "min/max or a function's argument",
                             "use oo only as a limit's point, an integral's or interval's bound, or a whole "
                             "side of a comparison (x < oo); for a value that grows without bound write its "
                             "limit, e.g. limit(f(x), x, oo) = oo")
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in BUILTINS or name in ELEMENTARY_NAMES:
            raise self.error(token, f"'{name}' is a built-in function", f"call it, e.g. {name}(x)")
        raise self.error(token, f"unknown name '{name}'",
                         "declare it under [symbols] with a domain, or define it under [define]")

    def definition_call(self, name: str, values: tuple[sympy.Expr, ...]) -> sympy.Expr:
        """The call of a definition, noting its lost conditions. Definitions are macros
        over the file's symbols: where a binder re-binds a file symbol's name, the
        definition's occurrences of that symbol mean the binder's variable too."""
        rebound = {sym: self.lookup_symbol(n) for n, (sym, _) in self.ns.symbols.items()
                   if self.lookup_symbol(n) != sym}
        self.note([c.map_exprs(lambda e: e.xreplace(rebound)) for c in self.ns.conditions(name, values)])
        call = self.ns.definition(name, values)
        if rebound:
            olds = sorted(rebound, key=lambda s: s.name)
            call = Rebind(call, sympy.Tuple(*olds), sympy.Tuple(*(rebound[o] for o in olds)))
        # SymPy folds a call out of `c - c` or `0*c` before its body, which may be
        # undefined there, is put in
        self.note(definedness.of_value(call))
        return call

    def infinity(self, t: lark.Tree | lark.Token) -> sympy.Expr | None:
        """`oo` or `-oo` when the node is written as one of them (under any signs and
        parentheses), else None. Only the places where infinity means one thing call
        this (docs/semantics.md, "Infinity"): elsewhere `name` refuses `oo`."""
        sign = 1
        while isinstance(t, lark.Tree) and t.data == "neg":
            sign, t = -sign, t.children[0]
        if isinstance(t, lark.Tree) and t.data == "name" and str(t.children[0]) == "oo" \
                and self.lookup_symbol("oo") is None:  # a binder may name its variable oo
            return sign * sympy.oo
        return None

    def end(self, t: lark.Tree | lark.Token) -> sympy.Expr:
        """A term that may also be `oo` or `-oo`: a whole side of a comparison, an
        interval's or integral's bound, a limit's point."""
        infinite = self.infinity(t)
        return self.expr(t) if infinite is None else infinite

    # -- formulas -----------------------------------------------------------
    def formula(self, t: lark.Tree | lark.Token) -> Formula:
        if isinstance(t, lark.Token):
            raise self.error(t, f"'{t}' is a number or name, not a statement",
                             "compare it with something, e.g. x >= 0")
        kind = t.data
        if kind in ("forall", "exists"):
            return self.quantified(t)
        if kind == "iff":
            parts = [self.formula(c) for c in t.children]
            # a <-> b <-> c is read pairwise: (a <-> b) and (b <-> c)
            return conj([Iff(parts[i], parts[i + 1]) for i in range(len(parts) - 1)])
        if kind == "implies":
            return Implies(self.formula(t.children[0]), self.formula(t.children[1]))
        if kind == "disj":
            return disj([self.formula(c) for c in t.children])
        if kind == "conj":
            return conj([self.formula(c) for c in t.children])
        if kind == "not_":
            return Not(self.formula(t.children[0]))
        if kind == "comparison":
            return self.comparison(t)
        if kind == "true_":
            return Truth(True)
        if kind == "false_":
            return Truth(False)
        if kind == "call" and str(t.children[0]) in ("approx", "minimized_at", "maximized_at"):
            return self.special(t)
        raise self.error(t, "this is a number, not a statement",
                         "compare it with something, e.g. f(x) >= 0")

    def comparison(self, t: lark.Tree) -> Formula:
        kids = t.children
        with self.recording() as recorded:
            terms = [self.end(k) for k in kids[0::2]]
        ops = ["=" if str(o) == "==" else str(o) for o in kids[1::2]]
        assert all(o in RELOPS for o in ops)
        return conj(definedness.lost(recorded, terms) + [Atom(op, terms[i], terms[i + 1])
                                                          for i, op in enumerate(ops)])

    @contextlib.contextmanager
    def recording(self, on: bool = True) -> Iterator[list[Formula]]:
        """Collect the definedness conditions of the terms built in the block; with
        `on` False, collect none (terms under binders of their own: calculus, solve)."""
        outer, self.recorded = self.recorded, ([] if on else None)
        try:
            yield self.recorded if on else []
        finally:
            self.recorded = outer

    def note(self, conditions: list[Formula]) -> None:
        if self.recorded is not None:
            # a condition that is true at the numbers it was called with says nothing
            self.recorded.extend(c for c in conditions if not definedness.holds_plainly(c))

    def quantified(self, t: lark.Tree) -> Formula:
        *binder_nodes, body = t.children
        binders: list[Binder] = []
        scope: dict[str, sympy.Symbol] = {}
        for bn in binder_nodes:
            name_tok = bn.children[0]
            name = str(name_tok)
            if name in self.ns.functions:
                raise self.error(name_tok, f"'{name}' is defined under [define] and cannot be quantified over",
                                 "quantify over a symbol, or rename the definition")
            if name in KEYWORDS or name in BUILTINS:
                raise self.error(name_tok, f"'{name}' is reserved", "choose another variable name")
            if len(bn.children) > 1:
                # bounds may mention earlier binders of the same quantifier
                self.scopes.append(scope)
                try:
                    lo, hi, lo_open, hi_open = self.interval(bn.children[1])
                finally:
                    self.scopes.pop()
                known = self.lookup_symbol(name)
                integer = bool(known is not None and known.is_integer)
                domain = self.domain(bn.children[1], lo, hi, lo_open, hi_open, integer)
            elif name in self.ns.symbols:
                domain = self.ns.symbols[name][1]
            else:
                raise self.error(name_tok, f"'{name}' has no domain",
                                 f"write '{name} in [lo, hi]' or declare {name} under [symbols]")
            scope[name] = sym = Bound(name, domain)
            binders.append(Binder(sym, domain))
        self.scopes.append(scope)
        try:
            inner = self.formula(body)
        finally:
            self.scopes.pop()
        return Quantified(t.data, tuple(binders), inner)

    def domain(self, node: lark.Tree, lo: sympy.Expr, hi: sympy.Expr, lo_open: bool,
               hi_open: bool, integer: bool) -> Domain:
        if lo.is_number and hi.is_number:
            empty = emptiness(lo, hi, lo_open, hi_open, integer)
            if empty is not None:
                raise self.error(node, f"the interval from {lo} to {hi} is empty{empty[0]}", empty[1])
        return Domain(lo, hi, lo_open or lo == -sympy.oo, hi_open or hi == sympy.oo, integer)

    def interval(self, t: lark.Tree) -> tuple[sympy.Expr, sympy.Expr, bool, bool]:
        lo, hi = (self.end(c) for c in t.children)
        for bound in (lo, hi):
            if bound is sympy.nan or (bound.is_number and bound.is_extended_real is False):
                raise self.error(t, f"the bound {_short(sympy.sstr(bound))} of the interval is not a real number",
                                 "write real bounds, e.g. [0, 1] or (0, oo)")
        if lo == sympy.oo or hi == -sympy.oo:
            raise self.error(t, "an interval cannot start at oo or end at -oo",
                             "write it as (-oo, x] or [x, oo)")
        return lo, hi, t.data in ("open", "open_closed"), t.data in ("open", "closed_open")

    def special(self, t: lark.Tree) -> Formula:
        head, *args = t.children
        name = str(head)
        if name == "approx":
            return self.approx(t, args)
        if len(args) not in (3, 4):
            raise self.error(t, f"{name} takes 3 or 4 arguments, got {len(args)}",
                             f"write {name}(f, x, point) or {name}(f, (x, y), (x0, y0), constraint)")
        f_node, var_node, point_node, *rest = args
        var_toks = var_node.children if isinstance(var_node, lark.Tree) and var_node.data == "tuple" else [var_node]
        binders: list[Binder] = []
        for v in var_toks:
            if not (isinstance(v, lark.Tree) and v.data == "name"):
                raise self.error(t, f"the variables of {name} must be names",
                                 f"write {name}(f, x, point) with x declared under [symbols]")
            vname = str(v.children[0])
            if vname not in self.ns.symbols:
                raise self.error(v, f"'{vname}' has no domain to optimize over",
                                 f"declare {vname} under [symbols]")
            if any(b.symbol.name == vname for b in binders):
                # (k, k) would give one variable two coordinates of the point
                raise self.error(v, f"'{vname}' is listed twice among the variables of {name}",
                                 "list each variable once, with one coordinate of the point for each")
            domain = self.ns.symbols[vname][1]
            binders.append(Binder(Bound(vname, domain), domain))
        pts = point_node.children if isinstance(point_node, lark.Tree) and point_node.data == "tuple" else [point_node]
        if len(pts) != len(binders):
            raise self.error(point_node, f"{len(binders)} variable(s) but a point with {len(pts)} coordinate(s)",
                             "give one coordinate per variable")
        with self.recording() as at_point:
            point = tuple(self.expr(p) for p in pts)
        for b, p, node in zip(binders, point, pts):
            if b.domain.integer and p.is_number and p.is_integer is False:
                raise self.error(node, f"the point {sympy.sstr(p)} is not a whole number, but "
                                       f"{b.symbol.name} ranges over integers",
                                 "an infeasible point is an input error: give a whole number")
        # the variables scope over the objective and the constraint, not over the point
        self.scopes.append({b.symbol.name: b.symbol for b in binders})
        try:
            with self.recording() as recorded:
                objective = self.expr(f_node)
            constraint = self.formula(rest[0]) if rest else None
        finally:
            self.scopes.pop()
        optimum = Optimum("min" if name == "minimized_at" else "max", objective, tuple(binders),
                          point, constraint)
        conditions = definedness.lost(at_point, list(point))
        lost = definedness.lost(recorded, [objective])
        if lost:
            # the objective must be defined on the whole feasible set and at the point
            defined = conj(lost)
            at = {b.symbol: p for b, p in zip(binders, point)}
            conditions += [Quantified("forall", tuple(binders), Implies(constraint, defined) if constraint else defined),
                           defined.map_exprs(lambda e: e.xreplace(at))]
        return conj(conditions + [optimum])

    def approx(self, t: lark.Tree, args: list) -> Formula:
        if len(args) < 2:
            raise self.error(t, "approx needs a value and a target", "write approx(expr, 0.15) or approx(expr, 0.15, rel=0.01)")
        rel = abs_ = None
        for kw in args[2:]:
            ok = (isinstance(kw, lark.Tree) and kw.data == "comparison" and len(kw.children) == 3
                  and str(kw.children[1]) == "=" and isinstance(kw.children[0], lark.Tree)
                  and kw.children[0].data == "name" and str(kw.children[0].children[0]) in ("rel", "abs"))
            if not ok:
                raise self.error(kw, "approx accepts only rel=... and abs=... after the target",
                                 "write approx(expr, target, rel=0.01)")
            value = self.expr(kw.children[2])
            if not (value.is_number and value.is_nonnegative):
                raise self.error(kw, "a tolerance must be a nonnegative number", "write e.g. rel=0.01")
            if (rel if str(kw.children[0].children[0]) == "rel" else abs_) is not None:
                raise self.error(kw, f"approx has two {kw.children[0].children[0]}= tolerances",
                                 "give each of rel= and abs= once")
            if str(kw.children[0].children[0]) == "rel":
                rel = value
            else:
                abs_ = value
        target_node = args[1]
        with self.recording() as recorded:
            value, target = self.expr(args[0]), self.expr(target_node)
        if rel is None and abs_ is None:
            if self.tolerance is not None:
                rel = self.tolerance
            elif isinstance(target_node, lark.Tree) and target_node.data == "number":
                abs_ = rounding_half_unit(str(target_node.children[0]))
            elif isinstance(target_node, lark.Tree) and target_node.data == "neg" and \
                    isinstance(target_node.children[0], lark.Tree) and target_node.children[0].data == "number":
                abs_ = rounding_half_unit(str(target_node.children[0].children[0]))
            else:
                rel = sympy.Rational(1, 10**9)
        return conj(definedness.lost(recorded, [value, target]) + [Approx(value, target, rel, abs_)])

    # -- terms --------------------------------------------------------------
    def expr(self, t: lark.Tree | lark.Token) -> sympy.Expr:
        if isinstance(t, lark.Token):
            raise self.error(t, f"unexpected {t!s}", "check the expression")
        kind = t.data
        if kind == "number":
            token = str(t.children[0])
            mantissa, _, exponent = token.lower().partition("e")
            if sum(c.isdigit() for c in mantissa) > MAX_DIGITS:
                raise self.error(t, f"a number with more than {MAX_DIGITS} digits",
                                 "write it with an exponent (1.5e30) or use a symbol")
            if exponent and (len(exponent.lstrip("+-").lstrip("0")) > 6 or abs(int(exponent)) > MAX_EXPONENT):
                raise self.error(t, f"the exponent of {_short(token)} is beyond ±{MAX_EXPONENT}",
                                 "numbers are kept exact, so write a smaller one or use a symbol")
            return _number(token)
        if kind == "name":
            return self.name(t.children[0])
        if kind == "neg":
            return -self.expr(t.children[0])
        if kind == "sum":
            acc = self.expr(t.children[0])
            for op, rhs in zip(t.children[1::2], t.children[2::2]):
                acc = acc + self.expr(rhs) if str(op) == "+" else acc - self.expr(rhs)
            return acc
        if kind == "product":
            acc = self.expr(t.children[0])
            for op, rhs in zip(t.children[1::2], t.children[2::2]):
                factor = self.expr(rhs)
                if str(op) == "/":
                    if factor.is_number and factor.is_zero:
                        raise self.error(rhs, "division by zero", "check the denominator")
                    self.note(definedness.of_division(factor))
                acc = acc * factor if str(op) == "*" else acc / factor
            return acc
        if kind == "power":
            base, exp = self.expr(t.children[0]), self.expr(t.children[2])
            if base.is_number and base.is_zero and exp.is_number and exp.is_negative:
                raise self.error(t, "a negative power of zero (division by zero)", "check the base")
            if sizes.too_large(base, exp):
                raise self.error(t, f"{sympy.sstr(sympy.Pow(base, exp, evaluate=False))} is too large "
                                    "to build exactly",
                                 "numbers and powers are kept exact and expanded: use a smaller exponent, "
                                 "or a symbol for the large value")
            self.note(definedness.of_power(base, exp, lambda ex: definedness.nonnegative_on(ex, self.declared_domain)))
            return base ** exp
        if kind == "call":
            return self.call(t)
        if kind == "tuple":
            raise self.error(t, "a tuple is only allowed as the variables or point of minimized_at/maximized_at",
                             "remove the extra commas")
        raise self.error(t, "a statement (comparison or logic) where a number was expected",
                         "move the comparison out of the arithmetic")

    def call(self, t: lark.Tree) -> sympy.Expr:
        head, *args = t.children
        name = str(head)
        if name in ("approx", "minimized_at", "maximized_at"):
            raise self.error(t, f"{name}(...) is a statement, not a number",
                             "use it as a claim or combine it with and/or/->")
        if self.lookup_symbol(name) is not None:
            raise self.error(head, f"'{name}' is a symbol, not a function",
                             f"write {name}*(...) for a product")
        if name in self.ns.functions:
            arity = self.ns.functions[name]
            if len(args) != arity:
                raise self.error(t, f"'{name}' takes {arity} argument(s), got {len(args)}",
                                 "call it as declared under [define]")
            values = tuple(self.expr(a) for a in args)
            if name in self.ns.uninterpreted:
                # kept with every comparison, so that SymPy folding f(2) = f(2) cannot hide it
                # (written hi > lo, so that a condition true at numbers is dropped)
                self.note([Atom(">" if op == "<" else ">=", hi, lo) for v, d in zip(values, self.ns.uninterpreted[name])
                           for op, lo, hi in d.constraints(v)])
                return sympy.Function(name)(*values)
            return self.definition_call(name, values)
        elementary = functions.lookup(name)
        if elementary is not None:
            if len(args) != 1:
                raise self.error(t, f"{name} takes 1 argument, got {len(args)}",
                                 "see the built-in functions in docs/claim-language-extensions.md")
            x = self.expr(args[0])
            self.note(definedness.of_call(elementary.node, x))
            return functions.apply(elementary, x)
        if name not in BUILTINS:
            raise self.error(head, f"unknown function '{name}'",
                             "define it under [define] as \"" + name + "(x) = ...\" or use a built-in: "
                             + ", ".join(sorted(set(BUILTINS) | set(functions.BY_NAME))))
        if len(args) not in BUILTINS[name]:
            want = " or ".join(str(n) for n in BUILTINS[name])
            # log(x, b) is base b in SymPy and Python, log(b, x) in Mathematica: not guessed
            fix = ("write a logarithm to base b as ln(x)/ln(b) (or log2(x), log10(x)): a second "
                   "argument of log means the base in some systems and the argument in others"
                   if name in ("ln", "log") and len(args) == 2
                   else "see the built-in functions in the claim-language spec")
            raise self.error(t, f"{name} takes {want} argument(s), got {len(args)}", fix)
        if name in ("diff", "integrate", "limit"):
            return self.calculus(t, name, args)
        if name == "sum":
            return self.sum(t, args)
        if name in ("solve", "argmin", "argmax"):
            with self.recording(on=False):
                node, inner = self.derived(t, name, args)
            # what the built equation still shows, the solver and the later layers see
            self.note(definedness.at_value(definedness.lost(inner, list(node.args[:-1])), node))
            return self.valued(node)
        xs = [self.expr(a) for a in args]
        if name in ("sqrt", "ln", "log", "log2", "log10"):
            self.note(definedness.of_power(xs[0], sympy.Rational(1, 2)) if name == "sqrt"
                      else definedness.of_log(xs[0]))
        if name == "sqrt":
            return sympy.sqrt(xs[0])
        if name == "exp":
            return sympy.exp(xs[0])
        if name in ("ln", "log"):
            return sympy.log(xs[0])
        if name == "log2":
            return sympy.log(xs[0]) / sympy.log(2)
        if name == "log10":
            return sympy.log(xs[0]) / sympy.log(10)
        if name == "abs":
            return sympy.Abs(xs[0])
        # an unevaluated integral, limit, sum or derivative is rounded, or ordered against
        # the other arguments of min/max, once it is evaluated (symbolic layer), not here:
        # SymPy would evaluate it by numeric quadrature, which does not end on a divergent
        # integral (min(integrate(1, s, 0, oo), 1) took the whole read limit)
        evaluate = not any(x.has(*CALCULUS) for x in xs)
        if name == "floor":
            return sympy.floor(xs[0]) if evaluate else held.floor(xs[0], evaluate=False)
        if name == "ceil":
            return sympy.ceiling(xs[0]) if evaluate else held.ceiling(xs[0], evaluate=False)
        if any(x.is_number and x.is_extended_real is False for x in xs):
            # min(1, sqrt(-3)): an argument that is not a real number (its condition is
            # recorded as false); SymPy cannot order it, and the term is undefined
            return sympy.nan
        try:
            if evaluate:
                return (sympy.Min if name == "min" else sympy.Max)(*xs)
            return (held.Min if name == "min" else held.Max)(*xs, evaluate=False)
        except ValueError:  # SymPy refuses arguments it cannot order against each other
            raise self.error(t, f"{name} needs real-valued arguments it can compare",
                             f"check the arguments of {name}(...)") from None

    def calculus(self, t: lark.Tree, name: str, args: list) -> sympy.Expr:
        """`diff`, `integrate`, `limit`, with the definedness their semantics give
        (docs/calculus-semantics.md): a derivative where its argument is defined; an
        integral where its integrand is defined on the whole interval; a limit's
        conditions near its point are decided when it is evaluated."""
        var_node = args[1]
        if not (isinstance(var_node, lark.Tree) and var_node.data == "name"):
            raise self.error(t, f"the second argument of {name} must be a variable name",
                             f"write {name}(expr, x, ...)")
        vname = str(var_node.children[0])
        if vname in self.ns.functions or vname in CONSTANTS:
            raise self.error(var_node, f"'{vname}' is not a variable", "use a symbol's name")
        if name != "limit" and self.outer_integer(vname):
            # over the integers an integral is 0 and a derivative meaningless: a paper means
            # the real variable, which the file's declaration forbids reading it as
            what = "an integral" if name == "integrate" else "a derivative"
            raise self.error(var_node, f"{what} in '{vname}', which is declared an integer: {name} takes a "
                                       "real variable", "use a variable name not declared integer = true")
        if name == "diff":
            order = 1
            if len(args) == 3:
                k = self.expr(args[2])
                if not (k.is_Integer and k > 0):
                    raise self.error(args[2], "the order of a derivative must be a positive whole number",
                                     "write diff(f, x, 2)")
                order = int(k)
            # not a binder: the derivative is a function of x, taken where x already means something
            var = self.lookup_symbol(vname) or make_symbol(vname)
            body, conditions = self.scoped_term(args[0], vname, var)
            self.note(conditions)
            return self.valued(sympy.Derivative(body, (var, order)))
        if name == "integrate":
            lo, hi = self.end(args[2]), self.end(args[3])
            var = Bound(vname, _between(lo, hi, self.outer_integer(vname)))
            body, conditions = self.scoped_term(args[0], vname, var)
            if conditions:
                # an improper integral's integrand may be undefined at an end (ln at 0): it
                # is defined on the open interval, and the value must converge (a divergent
                # one stays unevaluated); a point inside where it is undefined is not skipped
                inside = replace(var.domain, lo_open=True, hi_open=True)
                every = var.rebound(inside)
                self.note([Quantified("forall", (Binder(every, every.domain),),
                                      conj(conditions).map_exprs(lambda e: e.xreplace({var: every})))])
            return self.valued(sympy.Integral(body, (var, lo, hi)))
        point = self.end(args[2])
        known = self.ns.symbols.get(vname)
        domain = known[1] if known is not None else Domain(-sympy.oo, sympy.oo, True, True)
        var = Bound(vname, domain)
        body, conditions = self.scoped_term(args[0], vname, var)
        lost = definedness.lost(conditions, [body])
        if any(not isinstance(c, Atom) for c in lost):
            # a guard holds comparisons only; "the integrand is defined on the whole
            # interval" is a quantified condition, which a limit cannot carry
            raise self.error(t, "a limit of an integral whose integrand's definedness is a condition "
                                "on the whole interval is not supported",
                             "state the integral's closed form as a definition and take the limit of that")
        if lost:
            # conditions SymPy simplified out of the body travel with it as a guard, so
            # that the limit's evaluation can ask whether they hold near the point
            body = definedness.guarded(body, lost)
        if var in point.free_symbols or point.has(sympy.zoo, sympy.nan) or point.is_extended_real is False:
            raise self.error(args[2], f"the point of limit({vname} -> {_short(sympy.sstr(point))}) is not a real "
                                      f"number, oo or -oo independent of {vname}",
                             f"write limit(expr, {vname}, 0) or limit(expr, {vname}, oo)")
        try:
            node = Limit(body, var, point, limit_direction(domain, point) or "+-")
        except (NotImplementedError, ValueError) as e:
            raise self.error(t, f"SymPy cannot state this limit ({_short(str(e), 120)})",
                             f"write limit(expr, {vname}, point) with a real point, oo or -oo") from None
        return self.valued(node)

    def valued(self, node: sympy.Expr) -> sympy.Expr:
        """`node` (calculus, or a value solve/argmin derive), with the condition that it
        has a value noted: SymPy folds it out of `0*node`, which was then proved equal to
        0 where the node has none (a limit that does not exist, an equation without a
        solution)."""
        if not node.is_Atom:  # SymPy built the derivative of a number as 0
            self.note(definedness.of_value(node))
        return node

    def sum(self, t: lark.Tree, args: list) -> sympy.Expr:
        """`sum(e, k, lo, hi)`: e summed over the integers k from lo to hi, with a bound
        integer k of its own. The bounds must be whole numbers; the sum is 0 when
        hi = lo - 1 and undefined below that (SymPy's convention would give it a sign
        there), and defined where every term is."""
        var_node = args[1]
        if not (isinstance(var_node, lark.Tree) and var_node.data == "name"):
            raise self.error(t, "the second argument of sum must be a variable name", "write sum(e, k, 1, n)")
        vname = str(var_node.children[0])
        if vname in self.ns.functions or vname in CONSTANTS or vname in KEYWORDS or vname in BUILTINS:
            raise self.error(var_node, f"'{vname}' is not a variable", "use a new name such as k")
        lo, hi = self.end(args[2]), self.end(args[3])
        for bound, node in ((lo, args[2]), (hi, args[3])):
            if bound in (sympy.oo, -sympy.oo):
                raise self.error(node, "a sum to oo (a series) is not supported",
                                 "state the series' value as a number or a definition instead")
            if bound.is_integer is not True:
                raise self.error(node, f"the bound {_short(sympy.sstr(bound))} of sum is not known to be a "
                                       "whole number",
                                 "use integers, integer symbols ({ domain = ..., integer = true }), "
                                 "floor(...) or ceil(...)")
        var = Bound(vname, Domain(lo, hi, False, False, True))
        body, conditions = self.scoped_term(args[0], vname, var)
        self.note([Atom(">=", hi - lo + 1, sympy.Integer(0))])
        if conditions:
            every = var.rebound(var.domain)
            self.note([Quantified("forall", (Binder(every, every.domain),),
                                  conj(conditions).map_exprs(lambda e: e.xreplace({var: every})))])
        return sympy.Sum(body, (var, lo, hi))

    def outer_integer(self, name: str) -> bool:
        known = self.lookup_symbol(name)
        return bool(known is not None and known.is_integer)

    def scoped_term(self, node: lark.Tree, name: str, var: sympy.Symbol) -> tuple[sympy.Expr, list[Formula]]:
        """The term `node` with `name` bound to `var`, and its definedness conditions."""
        self.scopes.append({name: var})
        try:
            with self.recording() as conditions:
                body = self.expr(node)
        finally:
            self.scopes.pop()
        return body, list(conditions)

    def derived(self, t: lark.Tree, name: str, args: list) -> tuple[sympy.Expr, list[Formula]]:
        """The node of `solve`/`argmin`/`argmax`, and the definedness conditions of its
        equation or objective in the bound variable."""
        target, var_node = args
        if not (isinstance(var_node, lark.Tree) and var_node.data == "name"):
            raise self.error(t, f"the second argument of {name} must be a variable name",
                             f"write {name}(..., x) with x declared under [symbols]")
        vname = str(var_node.children[0])
        if vname not in self.ns.symbols:
            raise self.error(var_node, f"'{vname}' has no domain to {'solve' if name == 'solve' else 'optimize'} over",
                             f"declare {vname} under [symbols]: its domain decides which solutions count")
        var = Bound(vname, self.ns.symbols[vname][1])
        if name in ("argmin", "argmax"):
            body, conditions = self.scoped_term(target, vname, var)
            return (ArgMin if name == "argmin" else ArgMax)(body, var), conditions
        is_equation = (isinstance(target, lark.Tree) and target.data == "comparison"
                       and len(target.children) == 3 and str(target.children[1]) in ("=", "=="))
        if not is_equation:
            raise self.error(t, "solve needs one equation as its first argument",
                             f"write solve(lhs = rhs, {vname})")
        lhs, left = self.scoped_term(target.children[0], vname, var)
        rhs, right = self.scoped_term(target.children[2], vname, var)
        return Solve(lhs, rhs, var), left + right


def _between(lo: sympy.Expr, hi: sympy.Expr, integer: bool) -> Domain:
    """The closed interval between `lo` and `hi`, whichever is larger."""
    gap = hi - lo
    if gap.is_nonnegative:
        return Domain(lo, hi, lo == -sympy.oo, hi == sympy.oo, integer)
    if gap.is_negative:
        return Domain(hi, lo, hi == -sympy.oo, lo == sympy.oo, integer)
    return Domain(sympy.Min(lo, hi), sympy.Max(lo, hi), False, False, integer)


def limit_direction(domain: Domain, point: sympy.Expr) -> str | None:
    """From which side `limit(e, x, point)` approaches `point` within x's domain: both
    ('+-') inside it, one at an end of it ('+' at the lower, '-' at the upper); None
    when the domain's and the point's values do not tell, or when x cannot approach the
    point within its domain (oo for x in [0, 1])."""
    if point == sympy.oo:
        return "-" if domain.hi == sympy.oo else None
    if point == -sympy.oo:
        return "+" if domain.lo == -sympy.oo else None
    if point == domain.lo:
        return "+"
    if point == domain.hi:
        return "-"
    above = sympy.oo if domain.lo == -sympy.oo else point - domain.lo
    below = sympy.oo if domain.hi == sympy.oo else domain.hi - point
    if (above == sympy.oo or above.is_positive) and (below == sympy.oo or below.is_positive):
        return "+-"
    return None
