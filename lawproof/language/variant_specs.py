"""`[[variant]]` tables of a claim file and the families they may name: read and
checked with the file, because the loader reports their errors with the file's other
input errors. Applying a variant to a claim is lawproof.explore.variants' work."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy

from .claims import Theory
from .domain import Domain
from .errors import ClaimInputError, unknown_key_fix
from .files import id_problem, suggest_id
from .parser import make_symbol, parse_term


@dataclass(frozen=True)
class Family:
    """A family of functions P(x) for a parameter P of a claim.

    `text` is the function in the claim language, written with the names `P0` (the
    value at x = 0, which takes P's own domain), `Pmax`, `x` and the family's own
    `params` (name, domain); `P` and `x` are renamed to the claim's parameter and
    variable when the family is applied (for R and a: R0, Rmax, a). `defaults` are
    values of the params for sweeps and plots (expressions, in the same names).
    """

    name: str
    text: str
    params: tuple[tuple[str, str], ...]
    says: str
    defaults: tuple[tuple[str, str], ...] = ()


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("linear", "P0*(1 + g*x)", (("g", "(0, oo)"),),
           "learning curve: grows linearly with the allocation", (("g", "2"),)),
    Family("power", "P0*(1 + x)^k", (("k", "(0, oo)"),),
           "power law in the allocation", (("k", "2"),)),
    Family("saturating", "P0 + (Pmax - P0)*(1 - exp(-k*x))",
           (("Pmax", "(P0, oo)"), ("k", "(0, oo)")),
           "saturating learning curve: from P0 towards Pmax at rate k",
           (("Pmax", "2*P0"), ("k", "5"))),
    Family("scale", "P0 + k*x^2", (("k", "(0, oo)"),),
           "economies of scale: flat at zero allocation, then growing", (("k", "4"),)),
    Family("decreasing", "P0/(1 + g*x)", (("g", "(0, oo)"),),
           "diminishing efficiency: falls with the allocation", (("g", "1"),)),
    Family("piecewise", "P0*(1 + g*min(x, c))", (("g", "(0, oo)"), ("c", "(0, 1)")),
           "piecewise linear: grows up to the breakpoint c, flat after it",
           (("g", "2"), ("c", "1/4"))),
)}


VARIANT_KEYS = {"id", "says", "param", "family", "expr", "symbols", "var", "at"}


@dataclass(frozen=True)
class VariantSpec:
    """A `[[variant]]` table: a named R -> R(a) substitution, usable with
    `lawproof counterexample/premises FILE CLAIM --variant ID`."""

    id: str
    param: str
    family: str | None = None
    expr: str | None = None
    symbols: tuple[tuple[str, str], ...] = ()
    var: str | None = None
    at: str | None = None
    says: str = ""


def read_specs(raw: object, theory: Theory,
               locate: Callable[[int, str], tuple[int | None, int | None]] = lambda index, key: (None, None),
               ) -> tuple[list[VariantSpec], list[ClaimInputError]]:
    """Validate `[[variant]]` tables against the file's theory. `locate(index, key)`
    gives the (line, column) of a key of the index-th table, for error messages."""
    specs: list[VariantSpec] = []
    errors: list[ClaimInputError] = []
    for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
        def fail(message: str, fix: str, key: str = "id") -> None:
            line, col = locate(index, key)
            errors.append(ClaimInputError(f"[[variant]] #{index + 1}: {message}", fix=fix,
                                          file=theory.path, line=line, column=col))

        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            fail("a variant needs an id", 'add id = "learning-curve"')
            continue
        if (problem := id_problem(item["id"])) is not None:
            fail(f"the variant id {problem}", f'write id = "{suggest_id(item["id"])}"')
            continue
        unknown = sorted(set(item) - VARIANT_KEYS)
        if unknown:
            fail(f"unknown key '{unknown[0]}'", unknown_key_fix(unknown[0], VARIANT_KEYS), unknown[0])
            continue
        param = item.get("param")
        if not isinstance(param, str) or param not in theory.symbols:
            fail(f"param {param!r} is not a symbol of this file", 'write param = "R"', "param")
            continue
        family, expr = item.get("family"), item.get("expr")
        if (family is None) == (expr is None):
            fail("give exactly one of family and expr", 'write family = "linear" or expr = "R0*(1 + a)"')
            continue
        if family is not None and (not isinstance(family, str) or family not in FAMILIES):
            fail(f"no variant family {family!r}", "choose one of: " + ", ".join(FAMILIES), "family")
            continue
        if expr is not None and not isinstance(expr, str):
            fail("expr must be a string: R as a function of the allocation", 'write expr = "R0*(1 + a)"', "expr")
            continue
        bad = next((k for k in ("var", "at") if k in item and not isinstance(item[k], str)), None)
        if bad is not None:
            fail(f"{bad} must be a string", f'write {bad} = "..."', bad)
            continue
        symbols = item.get("symbols", {})
        if not isinstance(symbols, dict) or not all(isinstance(v, str) for v in symbols.values()):
            fail("symbols must map names to domains", 'write symbols = { c = "(0, 1)" }', "symbols")
            continue
        spec = VariantSpec(item["id"], param, family, expr, tuple(symbols.items()),
                           item.get("var"), item.get("at"), str(item.get("says", "")))
        if expr is not None:
            try:
                _parse_spec_expr(spec, theory)
            except ClaimInputError as e:
                fail(e.message, e.fix, "expr")
                continue
        specs.append(spec)
    return specs, errors


def _parse_spec_expr(spec: VariantSpec, theory: Theory) -> sympy.Expr:
    """Parse a spec's expression against the file's names, the new symbols, P0 and x."""
    ns = theory.namespace
    ns.symbols.pop(spec.param, None)
    extra = [f"{spec.param}0", *(n for n, _ in spec.symbols)] + ([spec.var] if spec.var else [])
    free = Domain(-sympy.oo, sympy.oo, True, True)
    for name in extra:
        ns.symbols.setdefault(name, (make_symbol(name), free))
    return parse_term(spec.expr, ns)


__all__ = ["Family", "FAMILIES", "VARIANT_KEYS", "VariantSpec", "read_specs"]
