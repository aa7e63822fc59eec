"""A paper's theory (symbols, domains, definitions) and its claims: the parsed form."""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from .domain import Domain
from .errors import ClaimInputError
from .formula import Atom, Formula
from .parser import Namespace

EXPECTATIONS = ("holds", "fails")


@dataclass(frozen=True)
class SymbolInfo:
    """A declared symbol: its SymPy symbol, its domain and what it stands for."""

    name: str
    symbol: sympy.Symbol
    domain: Domain
    text: str = ""


@dataclass(frozen=True)
class Definition:
    """`name(params) = body`; a constant when `params` is empty."""

    name: str
    params: tuple[sympy.Symbol, ...]
    body: sympy.Expr
    text: str
    #: definedness conditions (in the parameters) that SymPy simplified out of `body`
    lost: tuple[Atom, ...] = ()


#: Monotonicity words of a function symbol's shape, and what each says of f(s) against
#: f(t) for s < t in one argument (the others equal).
MONOTONE = {"increasing": "<", "decreasing": ">", "nondecreasing": "<=", "nonincreasing": ">="}
#: Curvature words (one-argument functions only).
CURVATURE = ("convex", "concave")


@dataclass(frozen=True)
class FunctionSymbol:
    """A function declared under `[functions.NAME]`: not defined by a formula, only
    described by shape hypotheses; a claim that uses it must hold for every function
    with that shape (docs/claim-language-extensions.md, "Function symbols").

    `monotone[i]` is a key of MONOTONE or None for argument i; `lower`/`upper` bound
    the value (expressions in `params` and file symbols, None where unbounded) with
    `lower_strict`/`upper_strict` for `<` against `<=`."""

    name: str
    params: tuple[sympy.Symbol, ...]
    domains: tuple[Domain, ...]
    monotone: tuple[str | None, ...]
    curvature: str | None = None
    lower: sympy.Expr | None = None
    upper: sympy.Expr | None = None
    lower_strict: bool = False
    upper_strict: bool = False
    differentiable: bool = False
    text: str = ""

    def describe(self) -> str:
        """The hypotheses in words, for evidence and reports."""
        names = [p.name.split(".", 1)[-1] for p in self.params]  # `R.a` is R's argument a
        args = ", ".join(names)
        parts = [f"{n} in {d}" for n, d in zip(names, self.domains)]
        for n, m in zip(names, self.monotone):
            if m is not None:
                parts.append(m + (f" in {n}" if len(self.params) > 1 else ""))
        if self.curvature:
            parts.append(self.curvature)
        plain = {p: sympy.Symbol(n) for p, n in zip(self.params, names)}
        if self.lower is not None:
            parts.append(f"{self.name}({args}) {'>' if self.lower_strict else '>='} "
                         f"{sympy.sstr(self.lower.xreplace(plain))}")
        if self.upper is not None:
            parts.append(f"{self.name}({args}) {'<' if self.upper_strict else '<='} "
                         f"{sympy.sstr(self.upper.xreplace(plain))}")
        if self.differentiable:
            parts.append("differentiable")
        return f"{self.name}({args}): " + ", ".join(parts)


@dataclass
class Theory:
    """Everything a paper's claims share: identity, symbols and definitions."""

    id: str
    title: str = ""
    source: str = ""
    path: str = "<memory>"
    symbols: dict[str, SymbolInfo] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    #: each [symbols] and [define] entry as written (canonical JSON of its TOML value,
    #: by the name it declares): what a result cache key takes of the theory
    sources: dict[str, str] = field(default_factory=dict)
    #: definitions that failed to load (name -> line), so that a later use of one is
    #: reported as such, not as an unknown name
    broken: dict[str, int | None] = field(default_factory=dict)
    functions: dict[str, FunctionSymbol] = field(default_factory=dict)

    @property
    def namespace(self) -> Namespace:
        ns = Namespace()
        ns.symbols = {n: (s.symbol, s.domain) for n, s in self.symbols.items()}
        ns.functions = {n: len(d.params) for n, d in self.definitions.items()}
        ns.functions.update({n: len(f.params) for n, f in self.functions.items()})
        ns.uninterpreted = {n: f.domains for n, f in self.functions.items()}
        ns.lost = {n: (d.params, d.lost) for n, d in self.definitions.items() if d.lost}
        return ns

    def domain_of(self, symbol: sympy.Symbol) -> Domain | None:
        info = self.symbols.get(symbol.name)
        return info.domain if info is not None and info.symbol == symbol else None


@dataclass(frozen=True)
class RegionSpec:
    """A claim's `region` key: derive where `of` (default: the claim's formula) holds
    as an exact condition on `params`, and compare it with the paper's `stated` one."""

    params: tuple[sympy.Symbol, ...]
    of: Formula | None = None
    of_text: str = ""
    stated: Formula | None = None
    stated_text: str = ""


@dataclass
class Claim:
    """One statement of a paper, as the claim file states it.

    `formula` is None when the claim is not checkable or did not parse (then
    `error` says why); `expect` is the file author's belief, compared with the
    verdict only after the verdict exists. `at` fixes symbols to exact values (a
    table row): the claim is then about that one point.
    """

    id: str
    says: str = ""
    where: str = ""
    text: str = ""
    formula: Formula | None = None
    expect: str = "holds"
    assume: Formula | None = None
    assume_text: str = ""
    timeout: float = 5.0
    check: bool = True
    reason: str = ""
    error: ClaimInputError | None = None
    line: int | None = None
    region: RegionSpec | None = None
    at: dict[sympy.Symbol, sympy.Rational] = field(default_factory=dict)
    #: the claim's TOML entry as written (canonical JSON; for a table row, the table's
    #: entry and the row's number): what a result cache key takes of the claim
    source: str = ""


@dataclass
class Table:
    """A table of a paper: `formula` evaluated at rows of exact parameter values,
    beside the paper's value for each row where the paper gives one.

    Every row with a paper value is also a claim (`claim_ids[i]`, else None): the
    formula at that row is approximately the paper's value, with `approx` semantics.
    `cells` and `paper` keep the values as written (`paper` None where unknown);
    `text` is the formula as written.
    """

    id: str
    params: tuple[sympy.Symbol, ...]
    rows: tuple[tuple[sympy.Rational, ...], ...]
    formula: sympy.Expr
    text: str
    cells: tuple[tuple[str, ...], ...] = ()
    says: str = ""
    where: str = ""
    labels: tuple[str, ...] = ()
    paper: tuple[str | None, ...] = ()
    claim_ids: tuple[str | None, ...] = ()
    line: int | None = None


@dataclass
class ClaimFile:
    """A loaded claim file: the theory, its claims and tables, file-level input
    errors, and warnings (a problem that changes no verdict, such as an unknown key of
    [paper]). The claims include one per table row that has a paper value."""

    theory: Theory
    claims: list[Claim] = field(default_factory=list)
    errors: list[ClaimInputError] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[ClaimInputError] = field(default_factory=list)

    def claim(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        known = ", ".join(c.id for c in self.claims)
        raise ClaimInputError(f"no claim '{claim_id}' in this file", fix=f"choose one of: {known}",
                              file=self.theory.path)
