"""Read the LaTeX of a paper's formula into the claim language's ASCII syntax.

A small translator for the LaTeX that papers use in formulas (fractions, roots,
powers, subscripts, Greek letters, implicit products), not a TeX engine. Its output
goes through the same grammar and builder as every other formula, so nothing is
evaluated. Implicit products are resolved by what the file declares: `a(R-1)` is a
product because `a` is a symbol; `T(a)` is a call because `T` is defined.

As in TeX, an unbraced argument of `\\frac`, `\\sqrt`, `^` and `_` is one token, and a
digit is a token of its own: `\\frac12 u` is (1/2)*u and `x^23` is x^2*3. A LaTeX `e`
is Euler's number (written out as `exp(..)`, which no file name can shadow) unless the
file declares a symbol, definition or parameter named exactly `e`.
"""
from __future__ import annotations

import re

from .errors import FormulaSyntaxError
from .functions import LATEX_NAMES

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d*)?|\.\d+|[A-Za-z]|\S")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
#: What TeX sets between the digit groups of one number (`6\,144`, `1 000`: math mode
#: ignores the space) or between two numbers (`1.5.3`).
_DIGIT_GAP = re.compile(r"(?:\s|\\[,;:! ]|\\q?quad(?![A-Za-z]))*")
#: A programming language's float literal, which TeX reads as a product with e (`1e-3`).
_FLOAT_LITERAL = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d")
#: Commands whose braced argument is the text of a name (`N_{\mathrm{opt}}`).
_NAME_FONTS = ("\\mathrm", "\\text", "\\operatorname", "\\mathit", "\\rm")
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",
          "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho",
          "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
          "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega"}
_FUNCS = {"ln": "ln", "log": "log", "exp": "exp", "min": "min", "max": "max", **LATEX_NAMES}
_SKIP = {"\\,", "\\;", "\\!", "\\ ", "\\quad", "\\qquad", "\\left", "\\right",
         "\\displaystyle", "\\big", "\\Big", "\\bigg", "\\Bigg"}
_NOT_ARGUMENT = {"+", "-", "*", "/", "=", "<", ">", ",", ")", "]", "}", "^", "_", "!", "|", "&"}
#: Bracket pairs that are functions: `\\lfloor x \\rfloor` is floor(x).
_BRACKETS = {"\\lfloor": ("\\rfloor", "floor"), "\\lceil": ("\\rceil", "ceil")}
#: Where the summand of a `\\sum` ends (not consumed).
_ENDS_SUMMAND = frozenset({"+", "-", "=", "<", ">", ",", ")", "]", "}", "&", "\\le", "\\leq", "\\ge",
                           "\\geq", "\\neq", "\\rfloor", "\\rceil", "\\right"})
#: Superscripts and marks that decorate a name rather than raise it to a power, and the
#: suffix each adds to the ASCII name (docs/claim-language-extensions.md).
#: Signs after which an implicit product no longer follows a '/' of the same term.
_ENDS_DIVISION = frozenset({"+", "-", "=", "<", ">", ",", "<=", ">=", "!="})
_MARKS = {"*": "_star", "\\ast": "_star", "\\star": "_star", "'": "_prime", "\\prime": "_prime"}
_OPS = {"\\cdot": "*", "\\times": "*", "\\le": "<=", "\\leq": "<=", "\\ge": ">=",
        "\\geq": ">=", "\\neq": "!=", "\\infty": "oo", "\\pi": "pi"}


def _unwrap(pieces: list[str]) -> list[str]:
    """`pieces` without the parentheses that enclose all of it (`((3))` is `3`)."""
    while len(pieces) >= 2 and pieces[0] == "(" and pieces[-1] == ")":
        depth = 0
        for i, p in enumerate(pieces):
            depth += (p == "(") - (p == ")")
            if depth == 0 and i < len(pieces) - 1:
                return pieces  # `(a)+(b)`: the first parenthesis closes early
        pieces = pieces[1:-1]
    return pieces


class _Reader:
    def __init__(self, text: str, functions: set[str], symbols: set[str]) -> None:
        self.tokens = _TOKEN.findall(text)
        self.i = 0
        self.text = text
        self.functions = functions
        self.symbols = symbols

    def fail(self, message: str, fix: str = "use \\frac{..}{..}, \\sqrt{..}, ^{..}, _{..}, \\cdot and "
                                            "Greek letters; write the formula in plain syntax otherwise"
             ) -> FormulaSyntaxError:
        return FormulaSyntaxError(f"LaTeX: {message}", fix=fix)

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise self.fail("the formula ends inside a group")
        self.i += 1
        return tok

    def group(self) -> list[str]:
        """A macro argument, as ASCII pieces: a braced group `{...}` or, as in TeX, one
        token (`\\frac12` is 1/2: a digit of a number is a token of its own)."""
        if self.peek() == "{":
            self.take()
            out = self.sequence(until="}")
            self.take()
            return ["("] + out + [")"]
        self.split_number()
        tok = self.peek()
        if tok is None:
            raise self.fail("an argument is missing at the end of the formula")
        if tok in _NOT_ARGUMENT or tok == "." or (tok in _OPS and _OPS[tok] not in ("oo", "pi")) \
                or tok in _SKIP:
            raise self.fail(f"'{tok}' cannot be an argument without braces "
                            "(TeX takes the single next token)")
        return self.item()

    def log_base(self) -> str:
        """The function a `\\log` with a subscripted base names: `\\log_2` is log2,
        `\\log_{10}` log10, `\\log_e` ln; another base is an error (write the quotient)."""
        self.take()  # the _
        base = "".join(_unwrap(self.group()))
        named = {"2": "log2", "10": "log10", "exp(1)": "ln"}.get(base)
        if named is None:
            raise self.fail(f"\\log to the base {base}", fix="write \\frac{\\ln x}{\\ln b} for the logarithm of x "
                                                          "to the base b (\\log_2, \\log_{10} and \\log_e are read)")
        return named

    def exponent(self) -> list[str]:
        """The superscript after `^`; a second superscript right after it (`x^2^3`,
        `e^{-x}^2`) is TeX's "double superscript" error, not a tower or a power of it."""
        power = self.group()
        if self.peek() == "^":
            raise self.fail("a double superscript: TeX refuses it, and neither x^{2^3} nor {x^2}^3 is guessed",
                            fix="write x^{2^3} or {x^2}^3")
        return power

    def split_number(self) -> None:
        """Make the first character of a number at the current position a token of its
        own, as TeX reads an unbraced argument (`x^23` is x^2 followed by 3)."""
        tok = self.peek()
        if tok is not None and len(tok) > 1 and (tok[0].isdigit() or tok[0] == "."):
            if tok[1] == ".":
                # x^2.5 is x^2 followed by .5 in TeX; nobody writing it means that product
                raise self.fail(f"'{tok}' without braces: TeX takes '{tok[0]}' alone and leaves '{tok[1:]}' after it",
                                fix=f"write the number in braces, {{{tok}}} (x^{{{tok}}}), or the product with \\cdot")
            self.tokens[self.i:self.i + 1] = [tok[0], tok[1:]]

    def operand(self, name: str) -> list[str]:
        """The argument of a function written without parentheses (`\\ln x`, `\\exp{-x}`):
        one factor, which must end the product; `\\ln x^2` and `\\ln 2x` are ambiguous."""
        if self.peek() == "^":
            raise self.power_on_name(name)
        if self.peek() is None or self.peek() in _NOT_ARGUMENT:
            raise self.fail(f"\\{name} needs an argument")
        # a braced argument is typeset like a bare one: \ln{x}^2 reads as \ln x^2
        factor = self.group() if self.peek() == "{" else self.item()
        following = self.peek()
        if following == "^" or (following is not None and _starts_operand_token(following)):
            raise self.fail(f"\\{name} without parentheses is ambiguous here",
                            fix=f"write \\{name}(...) around the whole argument (\\{name}(x^2)), or parentheses "
                                f"around the function of one factor ((\\{name} x)^2)")
        return ["("] + factor + [")"]

    def power_on_name(self, name: str) -> FormulaSyntaxError:
        """The error for a power written on a function's name (`\\sin^2 x`): by custom the
        power of the value, but `\\sin^{-1} x` is the inverse function, so neither reading
        is taken; the fix writes the power after the argument."""
        self.take()  # the ^
        try:
            power = "".join(self.group()).removeprefix("(").removesuffix(")")
        except FormulaSyntaxError:
            power = ".."
        inverse = f", or \\arc{name} x for the inverse function" if name in ("sin", "cos", "tan") else ""
        return self.fail(f"\\{name}^{{{power}}}: a power written on the function's name",
                         fix=f"write the power after the argument: \\{name}(x)^{{{power}}} or "
                             f"(\\{name} x)^{{{power}}}{inverse}")

    def sequence(self, until: str | None = None, stop: frozenset[str] = frozenset()) -> list[str]:
        """Items up to `until` (which must come) or up to a token of `stop` or the end
        (which need not), as ASCII pieces with implicit products made explicit."""
        out: list[str] = []
        depth = 0  # of parentheses written as such, which `stop` does not look inside
        # per open parenthesis: whether a '/' came since the last sum or relation sign
        divided = [False]
        while self.peek() is not None and self.peek() != until and not (depth == 0 and self.peek() in stop):
            if until is None and self.peek() == "}":
                raise self.fail("unbalanced '}'")
            piece = self.item()
            if piece and out and _ends_operand(out[-1]) and _starts_operand(piece[0]):
                call = piece[0] == "(" and re.fullmatch(r"[A-Za-z_]\w*", out[-1]) and \
                    (out[-1] in self.functions or out[-1] in _FUNCS.values()
                     or out[-1] in ("sqrt", "log2", "log10"))
                if not call and divided[-1]:
                    # C/6N: a reader takes C/(6N), the plain syntax (C/6)*N
                    raise self.fail("an implicit product after '/' is ambiguous (a/bc is a/(bc) to some "
                                    "readers and (a/b)c to others)",
                                    fix="write \\frac{a}{bc}, or \\frac{a}{b} c for the other reading")
                if not call:
                    out.append("*")
            out.extend(piece)
            depth += piece.count("(") - piece.count(")")
            for p in piece:
                if p == "(":
                    divided.append(False)
                elif p == ")" and len(divided) > 1:
                    divided.pop()
                elif p == "/":
                    divided[-1] = True
                elif p in _ENDS_DIVISION:
                    divided[-1] = False
        if until is not None and self.peek() is None:
            raise self.fail(f"missing '{until}'")
        return out

    def name_with_subscript(self, base: str) -> list[str]:
        """A name with its subscript and decorations, as one ASCII name: `R_D` is R_D,
        `R_D^*` R_D_star, `N'` and `N^\\prime` N_prime (marks in the order written,
        after the subscript wherever it stands: `R^*_D` is R_D_star too)."""
        sub, marks = "", ""
        while True:
            if self.peek() == "_" and not sub:
                self.take()
                self.split_number()
                sub = "_" + self.subscript()
            elif self.peek() == "'":
                self.take()
                marks += _MARKS["'"]
            elif self.peek() == "^" and (decoration := self.decoration()) is not None:
                marks += decoration
            else:
                return [base + sub + marks]

    def subscript(self) -> str:
        """The text of a subscript after `_`, which must be a name: letters, digits and
        Greek letters, also in `\\mathrm{..}` (`N_{\\mathrm{opt}}` is N_opt). A subscript
        with an operator or a comma (`x_{i+1}`, `x_{1,2}`) is no name of the file, and
        writing it into the name would end the name at the operator (x_i + 1)."""
        tok = self.take()
        if tok in _NAME_FONTS:
            tok = self.take()
            if tok != "{":
                raise self.fail(f"a subscript in a font command needs braces: _{{\\mathrm{{{tok}}}}}")
        if tok != "{":
            parts = [tok]
        else:
            parts, depth = [], 1
            while depth:
                tok = self.take()
                depth += (tok == "{") - (tok == "}")
                if depth and tok not in ("{", "}") and tok not in _NAME_FONTS:
                    parts.append(tok)
        if not parts or not all(re.fullmatch(r"[A-Za-z0-9]+|\\[A-Za-z]+", p) for p in parts):
            raise self.fail(f"the subscript '{''.join(parts)}' is not a name (letters, digits, Greek letters)",
                            fix="write the subscript as a name and declare it, e.g. x_{next} for x_{i+1}, "
                                "or write the formula in plain syntax")
        return "".join(p.lstrip("\\") for p in parts)

    def decoration(self) -> str | None:
        """The name suffix of a superscript that decorates a name (`^*`, `^\\prime`,
        `^{\\prime\\prime}`), consumed; None (nothing consumed) for a power."""
        after = self.tokens[self.i + 1:self.i + 2]
        if after and after[0] in _MARKS:
            self.i += 2
            return _MARKS[after[0]]
        if after == ["{"]:
            end = self.i + 2
            while end < len(self.tokens) and self.tokens[end] in _MARKS:
                end += 1
            if end > self.i + 2 and end < len(self.tokens) and self.tokens[end] == "}":
                marks = "".join(_MARKS[t] for t in self.tokens[self.i + 2:end])
                self.i = end + 1
                return marks
        return None

    def item(self) -> list[str]:
        tok = self.take()
        if tok in _SKIP:
            return []
        if tok == "{":
            out = self.sequence(until="}")
            self.take()
            return ["("] + out + [")"]
        if tok == "\\frac":
            num, den = self.group(), self.group()
            return ["(", "("] + num + [")", "/", "("] + den + [")", ")"]
        if tok == "\\sqrt":
            if self.peek() == "[":
                self.take()
                index = self.sequence(until="]")
                self.take()
                body = self.group()
                # the real cube root, defined for negative radicands too; `\sqrt[{3}]` is
                # typeset as `\sqrt[3]` and means the same root
                if _unwrap(index) == ["3"]:
                    return ["cbrt", "("] + body + [")"]
                return ["(", "("] + body + [")", "^", "(", "1", "/", "("] + index + [")", ")", ")"]
            return ["sqrt", "("] + self.group() + [")"]
        if tok in ("\\mathrm", "\\text", "\\operatorname", "\\mathit"):
            if self.take() != "{":
                raise self.fail(f"{tok} needs a braced name")
            parts = []
            while self.peek() not in ("}", None):
                parts.append(self.take())
            self.take()
            if parts == ["e"]:
                return self.letter("e")
            return self.name_with_subscript("".join(parts))
        if tok in _OPS:
            return [_OPS[tok]]
        if tok in _BRACKETS:
            close, name = _BRACKETS[tok]
            inside = self.sequence(until=close)
            self.take()
            return [name, "("] + inside + [")"]
        if tok == "\\sum":
            return self.sum()
        if tok.startswith("\\") and tok[1:] in _FUNCS:
            name = self.log_base() if tok == "\\log" and self.peek() == "_" else _FUNCS[tok[1:]]
            if self.peek() in ("(", "\\left"):
                return [name]   # a call: the parenthesis follows
            return [name] + self.operand(tok[1:])
        if tok.startswith("\\") and tok[1:] in _GREEK:
            return self.name_with_subscript(tok[1:])
        if tok.startswith("\\"):
            raise self.fail(f"unsupported command {tok}")
        if tok == "^":
            return ["^"] + self.exponent()
        if tok in ("[", "]"):
            # grouping to most papers, the integer part [x] to some: neither is guessed
            raise self.fail("a square bracket outside \\sqrt[..]",
                            fix="write \\left( .. \\right) for grouping, or \\lfloor .. \\rfloor for the integer part")
        if re.fullmatch(r"[A-Za-z]", tok):
            return self.letter(tok)
        return [tok]

    def sum(self) -> list[str]:
        """`\\sum_{k=lo}^{hi} e` as `sum(e, k, lo, hi)`. The summand is the product that
        follows: it ends at the next `+`, `-`, relation, comma or closing bracket
        (`\\sum_{k=1}^{n} k^2 + 1` is the sum plus 1; put a longer summand in parentheses)."""
        if self.take() != "_" or self.take() != "{":
            raise self.fail("\\sum needs its range as _{k=lo}^{hi}")
        var = self.take()
        if not (re.fullmatch(r"[A-Za-z]", var) or (var.startswith("\\") and var[1:] in _GREEK)) \
                or self.take() != "=":
            raise self.fail("\\sum needs its range as _{k=lo}^{hi} with a one-letter or Greek variable")
        lo = self.sequence(until="}")
        self.take()
        if self.peek() != "^":
            raise self.fail("\\sum needs an upper bound: _{k=lo}^{hi}")
        self.take()
        hi = self.group()
        summand = self.sequence(stop=_ENDS_SUMMAND)
        if not summand:
            raise self.fail("\\sum has no summand")
        return ["sum", "(", "("] + summand + [")", ",", var.lstrip("\\"), ",", "("] + lo + [")", ","] + hi + [")"]

    def letter(self, tok: str) -> list[str]:
        """A one-letter name; `e` is Euler's number unless the file declares a name `e`
        (a subscripted `e_1` is always a name). Euler's number is written `exp(..)`, not
        `E`, since a file may declare a symbol `E` (an irreducible loss)."""
        if tok == "e" and "e" not in self.symbols and "e" not in self.functions \
                and self.peek() != "_":
            if self.peek() == "^":
                self.take()
                return ["exp", "("] + self.exponent() + [")"]
            return ["exp", "(", "1", ")"]
        return self.name_with_subscript(tok)


def _ends_operand(piece: str) -> bool:
    return piece == ")" or bool(re.fullmatch(r"[\w.]+", piece))


def _starts_operand_token(tok: str) -> bool:
    """Whether a LaTeX token would start a factor of an implicit product."""
    if tok.startswith("\\"):
        return tok not in _SKIP and (tok not in _OPS or _OPS[tok] in ("oo", "pi"))
    return tok in ("(", "{") or bool(re.fullmatch(r"[\w.]+", tok))


def _starts_operand(piece: str) -> bool:
    return piece == "(" or bool(re.fullmatch(r"[\w.]+", piece))


def _check_numbers(text: str) -> None:
    """Refuse numbers whose TeX reading is not what they look like: digit groups with
    only a space between them (`6\\,144` and `1 000` are typeset as one number with a
    thousands space, which an implicit product would read as 6*144 and 1*000) and float
    literals (`1e-3` is 1*e - 3 in TeX)."""
    literal = _FLOAT_LITERAL.search(text)
    if literal:
        raise FormulaSyntaxError(f"LaTeX: '{literal.group()}' is a float literal, which TeX reads as a product "
                                 "with e", fix="write the power of ten, 10^{-3}, or the decimal, 0.001")
    numbers = [m for m in _TOKEN.finditer(text) if _NUMBER.fullmatch(m.group())]
    for a, b in zip(numbers, numbers[1:]):
        # a subscript or superscript is no digit group of what follows (\log_2 8, x^2 3)
        script = text[:a.start()].rstrip().endswith(("_", "^"))
        if not script and _DIGIT_GAP.fullmatch(text[a.end():b.start()]):
            raise FormulaSyntaxError(
                f"LaTeX: '{text[a.start():b.end()]}' is two numbers side by side: TeX typesets the digit "
                "groups of one number so (a thousands space), and no implicit product is read there",
                fix=f"write one number without the space, or the product with \\cdot "
                    f"({a.group()} \\cdot {b.group()})")


def latex_to_ascii(text: str, *, functions: set[str], symbols: set[str]) -> str:
    """Translate `text` (LaTeX math) to the claim language's plain syntax."""
    _check_numbers(text)
    reader = _Reader(text, functions, symbols)
    return " ".join(reader.sequence())
