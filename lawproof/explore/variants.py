"""Model variants: replace a parameter of a claim by a function of a variable, R -> R(a).

A claim such as "S >= 1 - 1/R -> minimized_at(T(a), a, 0)" treats R as a constant.
`apply` restates it with R replaced by R(a) from a family of functions (learning
curves, economies of scale, ...) or by a user expression, adding the family's
parameters as new symbols with their domains, so that the engine can prove the
variant or refute it with an exact counterexample.

Where R stands in the claim decides what it becomes. Definitions are expanded first;
then an occurrence of R in the scope of the variable (inside `minimized_at(..., a,
...)`, under `forall a`, or anywhere when `a` is free in the claim) becomes R(a), and
an occurrence outside it becomes R(at), the value at the reference point `at` (by
default the lower end of the variable's domain: R(0), the paper's R). Desugaring
`minimized_at(T(a), a, 0)` then compares T(a) with R(a) against T(0) with R(0).

`lemma` states the general result "every R(a) with R(a) <= R(at) keeps the claim"
as a claim with R(a) abstracted into a symbol (see its docstring for why that is
sound and when it is refused).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import sympy

from ..language import loader
from ..language.claims import Claim, ClaimFile, SymbolInfo, Theory
from ..language.domain import Domain
from ..language.errors import ClaimInputError
from ..language.formula import (And, Approx, Atom, Binder, Bound, Formula, Iff, Implies, Not, Optimum, Or,
                      Quantified, free_symbols, nnf, to_text)
from ..language.parser import BUILTINS, CONSTANTS, ELEMENTARY_NAMES, KEYWORDS, Namespace, make_symbol, parse_bound, \
    parse_interval, parse_term
from ..language.variant_specs import FAMILIES, Family, VariantSpec, read_specs
from ..symbolic import desugar, expand, expand_formula


#: The placeholder function P(.) stands for the parameter's value at a point while a
#: claim is being rewritten; it never leaves this module.
_HOLE = "variant_value_of_"


@dataclass
class Variant:
    """A claim restated with `param` replaced by `function` (of `var`).

    `claim` and `theory` are ready for `lawproof.check_claim`; `theory` is the
    original theory plus the symbols in `added`. `base` is the original claim;
    `names` maps the family's own names (P0, g, x, ...) to the symbols used.
    """

    name: str
    param: sympy.Symbol
    var: sympy.Symbol
    var_domain: Domain
    at: sympy.Expr
    function: sympy.Expr
    claim: Claim
    theory: Theory
    base: Claim
    added: tuple[str, ...] = field(default_factory=tuple)
    names: dict[str, sympy.Symbol] = field(default_factory=dict)

    def describe(self) -> str:
        """One line: which parameter became which function."""
        return f"{self.param}({self.var}) = {sympy.sstr(self.function)}"


@dataclass
class _Site:
    """The claim with definitions expanded and `param` replaced by hole(x)/hole(at)."""

    claim: Claim
    theory: Theory
    param: sympy.Symbol
    var: sympy.Symbol
    var_domain: Domain
    at: sympy.Expr
    hole: type
    formula: Formula
    assume: Formula | None


def load_claim(source: str | Path | ClaimFile, claim_id: str) -> tuple[Claim, Theory]:
    """The claim `claim_id` of a claim file (path or loaded), checked to be usable."""
    cf = source if isinstance(source, ClaimFile) else loader.load(source)
    claim = cf.claim(claim_id)
    if claim.error is not None:
        raise claim.error
    if claim.formula is None:
        raise ClaimInputError(f"claim '{claim.id}' has no formula to vary",
                              fix="choose a checkable claim", file=cf.theory.path, claim=claim.id)
    return claim, cf.theory


def apply(source: str | Path | ClaimFile, claim_id: str, param: str = "R",
          family: str = "linear", *, expr: str | None = None,
          symbols: dict[str, str] | None = None, var: str | None = None,
          at: str | None = None, timeout: float | None = None) -> Variant:
    """The claim `claim_id` with the parameter `param` replaced by a function of `var`.

    `family` names one of FAMILIES; with `expr` (claim-language text in the file's
    symbols, the variable, and `<param>0`), that expression is used instead and
    `symbols` declares any new names it uses (`{"c": "(0, 1)"}`). `var` defaults to
    the variable of the claim's `minimized_at`/`maximized_at`; `at` (the reference
    point, text) to the lower end of its domain. Raises ClaimInputError with a fix.
    """
    claim, theory = load_claim(source, claim_id)
    site = _site(claim, theory, param, var, at)
    names: dict[str, sympy.Symbol] = {}
    if expr is not None:
        name, (fn, extended, added) = "expr", _user_function(site, expr, symbols or {})
    elif family in FAMILIES:
        name, (fn, extended, added) = family, _family_function(site, FAMILIES[family], names)
    else:
        raise ClaimInputError(f"no variant family '{family}'",
                              fix="choose one of: " + ", ".join(FAMILIES) + ", or give an expression")
    out = _variant(site, name, fn, extended, added, timeout)
    out.names = names
    return out


def _variant(site: _Site, name: str, fn: sympy.Expr, theory: Theory, added: tuple[str, ...],
             timeout: float | None) -> Variant:
    def fill(e: sympy.Expr) -> sympy.Expr:
        return e.replace(lambda t: isinstance(t, site.hole),
                         lambda t: fn.xreplace({site.var: t.args[0]}))

    formula = site.formula.map_exprs(fill)
    assume = site.assume.map_exprs(fill) if site.assume is not None else None
    p, x = site.param, site.var
    says = f"{site.claim.says} [with {p} replaced by {p}({x}) = {sympy.sstr(fn)}]".strip()
    claim = Claim(id=f"{site.claim.id}@{p}={name}", says=says, where=site.claim.where,
                  text=to_text(formula), formula=formula, expect="holds", assume=assume,
                  assume_text=to_text(assume) if assume is not None else "",
                  timeout=timeout or site.claim.timeout)
    return Variant(name, p, x, site.var_domain, site.at, fn, claim, theory, site.claim, added)


def lemma(source: str | Path | ClaimFile, claim_id: str, param: str = "R", *,
          var: str | None = None, at: str | None = None, lower: str | None = None,
          timeout: float | None = None) -> Variant:
    """The general lemma: the claim holds for every function P(x) with
    lower < P(x) <= P(at) (non-increasing away from the reference point at).

    Stated as an ordinary claim: `P(at)` becomes the symbol `<P>0` (P's domain) and
    `P(x)` a new symbol `<P><x>` (e.g. Ra) with domain (lower, <P>0]; `lower`
    defaults to the lower end of P's own domain. The function is gone, so z3 can
    prove the lemma like any polynomial claim.

    Why this is sound: the claim depends on the function only through its values
    P(x) at the current value of x and P(at). Proving the lemma proves
    "for all Ra in (lower, P0]" at every x; for any admissible function, take
    Ra = P(x) and P0 = P(at). This needs "for all Ra" to be movable from the top
    of the formula to just below the binder of x, which holds when, in negation
    normal form, the path to that binder crosses no existential quantifier and no
    disjunction with Ra on more than one side, and x is not rebound below it.
    Otherwise (e.g. for the "only if" direction of an equivalence) the lemma is
    refused with a ClaimInputError rather than stated unsoundly.
    """
    claim, theory = load_claim(source, claim_id)
    site = _site(claim, theory, param, var, at)
    p, x = site.param, site.var
    extended = _copy(theory)
    p_info = theory.symbols[p.name]
    p0 = _new_symbol(extended, f"{p.name}0", p_info.domain, f"{p.name}({sympy.sstr(site.at)})", site)
    if lower is None:
        lo, lo_open = p_info.domain.lo, p_info.domain.lo_open
    else:
        lo, lo_open = parse_bound(lower, theory.namespace), True
    ra = _new_symbol(extended, f"{p.name}{x.name}", Domain(lo, p0, lo_open, False),
                     f"the value {p.name}({x.name})", site)
    body = site.formula if site.assume is None else Implies(site.assume, site.formula)
    desugared = desugar(body)

    def abstract(e: sympy.Expr) -> sympy.Expr:
        def value(t: sympy.Expr) -> sympy.Expr:
            arg = t.args[0]
            if arg == x:
                return ra
            if sympy.simplify(arg - site.at) == 0:
                return p0
            raise ClaimInputError(f"the claim needs {p.name} at {sympy.sstr(arg)}, not only at {x} "
                                  f"and at {sympy.sstr(site.at)}",
                                  fix="the lemma abstracts the two values P(x) and P(at); "
                                      "state the claim at the reference point")
        return e.replace(lambda t: isinstance(t, site.hole), value)

    formula = desugared.map_exprs(abstract)
    _check_liftable(nnf(formula), ra, x, x in free_symbols(formula))
    says = (f"{claim.says} [for every {p.name}({x}) with {sympy.sstr(lo)} {'<' if lo_open else '<='} "
            f"{p.name}({x}) <= {p.name}({sympy.sstr(site.at)})]").strip()
    out = Claim(id=f"{claim.id}@{p.name}-non-increasing", says=says, where=claim.where,
                text=to_text(formula), formula=formula, expect="holds",
                timeout=timeout or claim.timeout)
    added = tuple(n for n in extended.symbols if n not in theory.symbols)
    return Variant("non-increasing", p, x, site.var_domain, site.at, ra, out, extended, claim, added)


def _check_liftable(f: Formula, ra: sympy.Symbol, x: sympy.Symbol, under_x: bool) -> None:
    """Refuse the lemma unless `forall ra` may move from the top to just below the
    binder of `x` (see `lemma`)."""
    def mentions(g: Formula) -> bool:
        return any(ra in e.free_symbols for node in g.walk() for e in node.exprs())

    def refuse(why: str) -> ClaimInputError:
        return ClaimInputError(f"the non-increasing lemma cannot be stated for this claim: {why}",
                               fix="use the sufficient direction as its own claim (premise -> conclusion)")

    if not mentions(f):
        return
    if isinstance(f, Quantified):
        binds_x = any(b.symbol == x for b in f.binders)
        if under_x and binds_x:
            raise refuse(f"{x} is bound again inside its own scope")
        if not under_x and f.kind == "exists":
            raise refuse(f"{ra} would have to pass an existential quantifier")
        _check_liftable(f.body, ra, x, under_x or binds_x)
        return
    if not under_x and isinstance(f, Or) and sum(mentions(c) for c in f.args) > 1:
        raise refuse(f"{ra} occurs on both sides of a disjunction")
    if not under_x and isinstance(f, (Atom, Not)):
        raise refuse(f"{ra} occurs outside the scope of {x}")
    for c in f.children():
        _check_liftable(c, ra, x, under_x)


# -- building the site --------------------------------------------------------

def _site(claim: Claim, theory: Theory, param: str, var: str | None, at: str | None) -> _Site:
    try:
        return _placed(claim, theory, param, var, at)
    except ClaimInputError as e:
        raise e.located(file=theory.path, claim=claim.id) from None


def _placed(claim: Claim, theory: Theory, param: str, var: str | None, at: str | None) -> _Site:
    info = theory.symbols.get(param)
    if info is None:
        raise ClaimInputError(f"'{param}' is not a symbol of this file",
                              fix="choose one of: " + ", ".join(theory.symbols), file=theory.path)
    p = info.symbol
    # definitions expanded with the definedness their expansion would hide
    formula = expand_formula(claim.formula, theory)
    assume = expand_formula(claim.assume, theory) if claim.assume is not None else None
    x = _variable(formula, theory, var)
    domain = theory.symbols[x.name].domain if x.name in theory.symbols else _binder_domain(formula, x)
    if at is None:
        if not domain.lo_bounded:
            raise ClaimInputError(f"the domain of {x} has no lower end to use as the reference point",
                                  fix="give the reference point, e.g. --at 0")
        point = domain.lo
    else:
        point = parse_term(at, theory.namespace)
    hole = sympy.Function(_HOLE + p.name)
    inside = x in free_symbols(formula) | (free_symbols(assume) if assume is not None else set())
    placed = _place(formula, p, hole, x, point, inside)
    placed_assume = _place(assume, p, hole, x, point, inside) if assume is not None else None
    if not any(t.has(hole) for node in placed.walk() for t in node.exprs()) and not (
            placed_assume is not None and any(t.has(hole) for node in placed_assume.walk() for t in node.exprs())):
        raise ClaimInputError(f"'{param}' does not occur in claim '{claim.id}' (definitions expanded)",
                              fix="choose a parameter the claim depends on", file=theory.path, claim=claim.id)
    return _Site(claim, theory, p, x, domain, point, hole, placed, placed_assume)


def _variable(f: Formula, theory: Theory, var: str | None) -> sympy.Symbol:
    if var is not None:
        # a binding of that name first: where the claim binds it, that is the variable meant
        for node in f.walk():
            for b in getattr(node, "binders", ()):
                if b.symbol.name == var:
                    return b.symbol
        if var in theory.symbols:
            return theory.symbols[var].symbol
        raise ClaimInputError(f"'{var}' is neither a symbol of the file nor bound in the claim",
                              fix="name the variable the parameter should depend on")
    found = {b.symbol for node in f.walk() if isinstance(node, Optimum) for b in node.binders}
    if len({s.name for s in found}) == 1:
        # optima of one variable name: each binds its own, and _place follows each binding
        return sorted(found, key=lambda s: s.binding if isinstance(s, Bound) else 0)[0]
    if len(found) != 1:
        raise ClaimInputError("cannot tell which variable the parameter should depend on",
                              fix="give it explicitly, e.g. --var a")
    return found.pop()


def _binder_domain(f: Formula, x: sympy.Symbol) -> Domain:
    for node in f.walk():
        for b in getattr(node, "binders", ()):
            if b.symbol == x:
                return b.domain
    raise ClaimInputError(f"no domain for {x}", fix="declare it under [symbols]")


def _place(f: Formula, p: sympy.Symbol, hole: type, x: sympy.Symbol, at: sympy.Expr,
           inside: bool) -> Formula:
    """`f` with p replaced by hole(x) in the scope of x and by hole(at) elsewhere."""
    def terms(e: sympy.Expr, scoped: bool) -> sympy.Expr:
        return e.xreplace({p: hole(x) if scoped else hole(at)})

    def binders(bs: tuple[Binder, ...]) -> tuple[Binder, ...]:
        if any(b.symbol == p for b in bs):
            raise ClaimInputError(f"{p} is quantified in this claim, so it is not a parameter to vary",
                                  fix="choose a claim where it is a free symbol")
        return tuple(b.map_exprs(lambda e: terms(e, inside)) for b in bs)

    def go(g: Formula) -> Formula:
        return _place(g, p, hole, x, at, inside)

    if isinstance(f, (Quantified, Optimum)):
        # a binding of x's name (each binding has its own variable) is where R(x) applies
        own = next((b.symbol for b in f.binders if b.symbol == x or
                    (isinstance(x, Bound) and b.symbol.name == x.name)), None)
        scoped = inside or own is not None
        y = own if own is not None else x

        def scoped_terms(e: sympy.Expr) -> sympy.Expr:
            return e.xreplace({p: hole(y) if scoped else hole(at)})

        if isinstance(f, Quantified):
            return Quantified(f.kind, binders(f.binders), _place(f.body, p, hole, y, at, scoped))
        constraint = _place(f.constraint, p, hole, y, at, scoped) if f.constraint is not None else None
        return Optimum(f.kind, scoped_terms(f.objective), binders(f.binders),
                       tuple(terms(v, inside) for v in f.point), constraint)
    if isinstance(f, (Atom, Approx)):
        return f.map_exprs(lambda e: terms(e, inside))
    if isinstance(f, Not):
        return Not(go(f.arg))
    if isinstance(f, (And, Or)):
        return type(f)(tuple(go(c) for c in f.args))
    if isinstance(f, (Implies, Iff)):
        return type(f)(go(f.lhs), go(f.rhs))
    return f


# -- the function and its new symbols -----------------------------------------

def _copy(theory: Theory) -> Theory:
    return replace(theory, symbols=dict(theory.symbols), definitions=dict(theory.definitions))


def _new_symbol(theory: Theory, name: str, domain: Domain, text: str, site: _Site) -> sympy.Symbol:
    """Declare `name` in `theory` (a copy being extended); an existing symbol of the
    same name is reused when it has the same domain and the claim does not use it,
    otherwise the new one gets a fresh name."""
    parts = [site.formula] + ([site.assume] if site.assume is not None else [])  # definitions expanded
    used = {s.name for part in parts for node in part.walk() for e in node.exprs() for s in e.free_symbols}
    reserved = KEYWORDS | set(BUILTINS) | set(CONSTANTS) | ELEMENTARY_NAMES
    base, k = name, 0
    while True:
        existing = theory.symbols.get(name)
        if existing is not None and existing.domain == domain and name not in used:
            return existing.symbol
        if existing is None and name not in theory.definitions and name not in reserved:
            symbol = make_symbol(name)
            theory.symbols[name] = SymbolInfo(name, symbol, domain, text)
            return symbol
        k += 1
        name = f"{base}_{k}"


def _family_function(site: _Site, family: Family,
                     local: dict[str, sympy.Symbol]) -> tuple[sympy.Expr, Theory, tuple[str, ...]]:
    """The family's function in the claim's symbols; `local` receives the map from
    the family's names to them."""
    theory = _copy(site.theory)
    p, x = site.param, site.var
    p_info = site.theory.symbols[p.name]
    local["x"] = x
    local["P0"] = _new_symbol(theory, f"{p.name}0", p_info.domain, f"{p.name}({sympy.sstr(site.at)})", site)
    for name, dom_text in family.params:
        ns = Namespace(symbols={n: (s, Domain(-sympy.oo, sympy.oo, True, True)) for n, s in local.items()})
        lo, hi, lo_open, hi_open = parse_interval(dom_text, ns)
        actual = f"{p.name}max" if name == "Pmax" else name
        local[name] = _new_symbol(theory, actual, Domain(lo, hi, lo_open or lo == -sympy.oo,
                                                         hi_open or hi == sympy.oo),
                                  f"{family.name} family parameter", site)
    fn = parse_term(family.text, Namespace(), local=local)
    added = tuple(n for n in theory.symbols if n not in site.theory.symbols)
    return fn, theory, added


def _user_function(site: _Site, text: str, symbols: dict[str, str]) -> tuple[sympy.Expr, Theory, tuple[str, ...]]:
    theory = _copy(site.theory)
    p = site.param
    p_info = site.theory.symbols[p.name]
    p0 = _new_symbol(theory, f"{p.name}0", p_info.domain, f"{p.name}({sympy.sstr(site.at)})", site)
    ns = theory.namespace
    ns.symbols.pop(p.name, None)  # R(a) may not mention R itself
    # the variable is the claim's binding (an optimum's own variable), not the file symbol
    ns.symbols[site.var.name] = (site.var, site.var_domain)
    declared: list[str] = []
    for name, dom_text in symbols.items():
        if name in ns.symbols:
            raise ClaimInputError(f"'{name}' is already a symbol of the file", fix="rename the new symbol")
        ns.symbols[name] = (make_symbol(name), Domain(-sympy.oo, sympy.oo, True, True))
        declared.append(name)
    for name in declared:
        lo, hi, lo_open, hi_open = parse_interval(symbols[name], ns)
        domain = Domain(lo, hi, lo_open or lo == -sympy.oo, hi_open or hi == sympy.oo)
        theory.symbols[name] = SymbolInfo(name, ns.symbols[name][0], domain, "variant parameter")
        ns.symbols[name] = (ns.symbols[name][0], domain)
    try:
        fn = expand(parse_term(text, ns), theory)
    except ClaimInputError as e:
        e.message = f"in the variant expression: {e.message}"
        if "unknown name" in e.message:
            e.fix = f"use the file's symbols, {p0.name}, {site.var}, or declare new ones (NAME=DOMAIN)"
        raise
    if p in fn.free_symbols:
        raise ClaimInputError(f"the expression for {p}({site.var}) refers to {p} itself (through a definition)",
                              fix=f"write it in terms of {p0.name} and {site.var}")
    unused = [n for n in theory.symbols if n not in site.theory.symbols and theory.symbols[n].symbol
              not in fn.free_symbols]
    for n in unused:
        del theory.symbols[n]
    added = tuple(n for n in theory.symbols if n not in site.theory.symbols)
    return fn, theory, added




def file_variants(path: str | Path) -> dict[str, VariantSpec]:
    """The valid `[[variant]]` tables of a claim file, by id (errors are reported by
    the loader, with the file's other input errors)."""
    import tomllib

    cf = loader.load(path)
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    specs, _ = read_specs(data.get("variant", []), cf.theory)
    return {s.id: s for s in specs}



__all__ = ["Family", "FAMILIES", "Variant", "apply", "lemma", "load_claim", "VariantSpec",
           "read_specs", "file_variants"]
