"""Where a term is defined in lawproof's real arithmetic: nonzero denominators (and nonzero
bases of integer powers that may be negative), nonnegative bases of fractional powers,
positive bases of symbolic non-integer powers, positive logarithm arguments, and the
domains of the functions in `lawproof.language.functions` (no pole of `tan`, `arcsin` and
`arccos` on [-1, 1]).

SymPy evaluates `x/x` to 1, `sqrt(x)^2` to x and `exp(ln(x))` to x while it builds
them, which erases the conditions under which the written term means anything. An atom
with an undefined term is false, so the parser records each operation's conditions as
it builds the term, and a comparison keeps, as explicit conjuncts, those its built
terms no longer show. The symbolic layer reads the same rules off normalized terms.
"""
from __future__ import annotations

from typing import Callable

import sympy

from . import functions
from .domain import Domain
from .formula import CALCULUS, Atom, Binding, Bound, Formula, Or, free_symbols

_ZERO = sympy.Integer(0)


def of_node(node: sympy.Basic, nonnegative: Callable[[sympy.Expr], bool] | None = None) -> list[Atom]:
    """The conditions under which one power, logarithm or `lawproof.language.functions` node is
    defined.

    A power `b^k` with an integer exponent (a literal, or a term SymPy knows to be
    integer-valued, `2*n` for an integer symbol `n`) is defined for every base, except
    a zero base with a negative exponent: it needs `b != 0` unless `k` is known to be
    nonnegative (`0^0 = 1`, as SymPy and the numeric layers evaluate it): by SymPy's
    sign rules, by the domains of the bound variables in it (a sum's `k` from 0,
    `a^k`), or by `nonnegative`, which may say so from the symbols' domains. Any other
    exponent is a real power: a
    positive number needs `b >= 0`, anything else (a negative number, a symbolic
    exponent not known to be an integer) `b > 0`.
    """
    if isinstance(node, sympy.Pow):
        base, ex = node.args
        if ex.is_integer:
            if ex.is_nonnegative or nonnegative_on(ex, _own_domain) or (nonnegative is not None and nonnegative(ex)):
                return []
            return [Atom("!=", base, _ZERO)]
        out = [Atom("!=", base, _ZERO)] if ex.is_number and ex.is_negative else []
        out.append(Atom(">=" if ex.is_number and ex.is_positive else ">", base, _ZERO))
        return out
    if isinstance(node, sympy.log):
        return [Atom(">", node.args[0], _ZERO)]
    return functions.conditions(node)


def nonnegative_on(ex: sympy.Expr, domain: Callable[[sympy.Symbol], Domain | None]) -> bool:
    """Whether SymPy's sign rules show `ex` nonnegative when each symbol whose domain
    (`domain(symbol)`, None where unknown) starts at a number >= 0 is taken as
    nonnegative."""
    signed = {}
    for s in ex.free_symbols:
        d = domain(s)
        if d is not None and d.lo.is_number and d.lo.is_nonnegative:
            signed[s] = sympy.Dummy(s.name, integer=s.is_integer, nonnegative=True)
    return bool(signed) and ex.xreplace(signed).is_nonnegative is True


def _own_domain(s: sympy.Symbol) -> Domain | None:
    """A bound variable's binding's domain, where it lies wherever a term with it is
    evaluated (a sum's k from 0); None for any other symbol."""
    return s.domain if isinstance(s, Bound) else None


def shown(terms: list[sympy.Expr], nonnegative: Callable[[sympy.Expr], bool] | None = None) -> list[Atom]:
    """The conditions of every node of `terms`, in order, once each; not of the bodies of
    derivatives, integrals, limits and sums, whose evaluation removes them. `nonnegative`
    as in `of_node`."""
    out: dict[Atom, None] = {}

    def visit(node: sympy.Basic) -> None:
        if isinstance(node, CALCULUS):
            return
        out.update(dict.fromkeys(of_node(node, nonnegative)))
        if isinstance(node, Binding):
            # a condition of the body on the variable solved for is the equation's, at
            # each candidate: as a condition of the term it would leave its binder
            out.update(dict.fromkeys(c for c in shown(list(node.args[:-1]), nonnegative)
                                     if node.variable not in free_symbols(c)))
            return
        for a in node.args:
            visit(a)

    for term in terms:
        visit(term)
    return list(out)


def of_division(den: sympy.Expr) -> list[Atom]:
    """The conditions of `1/den`; a product is split into its factors, as SymPy does."""
    return shown([1 / den])


def of_power(base: sympy.Expr, ex: sympy.Expr, nonnegative: Callable[[sympy.Expr], bool] | None = None) -> list[Formula]:
    """The conditions of `base^ex` as written, before SymPy simplifies it; `nonnegative`
    as in `of_node`. For a symbolic integer exponent not known nonnegative the exact
    condition `base != 0 or ex >= 0`, which the parser keeps where SymPy simplifies the
    power away (`w^m - w^m` is 0): `base != 0` alone would make it undefined at a zero
    base where the exponent is in fact nonnegative."""
    out: list[Formula] = list(shown([sympy.Pow(base, ex, evaluate=False)], nonnegative))
    zero_base = Atom("!=", base, _ZERO)
    if ex.is_integer and not ex.is_number and zero_base in out and zero_base not in shown([base, ex], nonnegative):
        out[out.index(zero_base)] = Or((zero_base, Atom(">=", ex, _ZERO)))
    return out


def of_log(arg: sympy.Expr) -> list[Atom]:
    """The conditions of `ln(arg)` as written."""
    return shown([sympy.log(arg, evaluate=False)])


def of_call(node: type[sympy.Function], arg: sympy.Expr) -> list[Atom]:
    """The conditions of a `lawproof.language.functions` function of `arg` as written
    (`arcsin(2)` before SymPy evaluates anything)."""
    return shown([node(arg, evaluate=False)])


def holds_plainly(c: Formula) -> bool:
    """Whether a condition between two numbers is certainly true (`2 != 0`)."""
    return isinstance(c, Atom) and bool((c.lhs - c.rhs).is_number) and _settled(c)


def _settled(c: Atom) -> bool:
    """Whether SymPy's sign rules, with the assumptions of its symbols, make `c` true."""
    gap = c.lhs - c.rhs
    return {"!=": gap.is_nonzero, ">": gap.is_positive, ">=": gap.is_nonnegative}.get(c.op) is True


def at_value(conditions: list[Formula], node: Binding) -> list[Formula]:
    """The conditions of a derived value's equation or objective (in its bound variable)
    at the value it derives: `solve(sqrt(t)^2 = -1, t)` has no real solution although
    SymPy folds the equation to t = -1, since sqrt(t) needs t >= 0 there. A condition
    that SymPy's sign rules show on the whole domain of the variable holds at the value,
    which lies in that domain, and is left out."""
    var = node.variable
    signed = _signed(var)
    out = []
    for c in conditions:
        if isinstance(c, Atom) and signed is not None and var in free_symbols(c) and \
                _settled(c.map_exprs(lambda e: e.xreplace({var: signed}))):
            continue
        out.append(c.map_exprs(lambda e: e.xreplace({var: node})))
    return out


def _signed(var: sympy.Symbol) -> sympy.Symbol | None:
    """A stand-in for a bound variable with the sign its domain gives (None: no sign)."""
    d = var.domain if isinstance(var, Bound) else None
    if d is None:
        return None
    if d.lo.is_number and d.lo.is_nonnegative:
        sign = {"positive": True} if (d.lo.is_positive or d.lo_open) else {"nonnegative": True}
    elif d.hi.is_number and d.hi.is_nonpositive:
        sign = {"negative": True} if (d.hi.is_negative or d.hi_open) else {"nonpositive": True}
    else:
        return None
    if d.integer:  # never integer=False, which would also say "not 0"
        sign["integer"] = True
    return sympy.Dummy(var.name, real=True, **sign)


#: the calculus whose definedness only its evaluation, in the symbolic layer, settles
_EVALUATED = (sympy.Derivative, sympy.Integral, sympy.Limit)


def of_value(node: sympy.Expr) -> list[Atom]:
    """That `node` (a derivative, integral or limit, or a definition's call) has a real
    value, `node^2 >= 0`: the symbolic layer decides it once it has expanded and
    evaluated the node (false for a limit that does not exist or a call whose body is
    undefined there; undecided for an infinite limit or a divergent integral, which
    inside a term stay unevaluated, docs/semantics.md). Recorded for a term SymPy may
    fold the node out of (`0*limit(abs(v)/v, v, 0)` and `c - c` are 0), and kept by
    `lost` only where the built terms no longer hold the node."""
    return [Atom(">=", node ** 2, _ZERO)]


def of_calculus(node: sympy.Expr) -> list[Atom]:
    """`of_value` of a derivative, integral or limit; none for a node SymPy built
    evaluated (the derivative of a number is 0)."""
    return of_value(node) if isinstance(node, _EVALUATED) else []


def _of_value_in(c: Formula, present: set[sympy.Basic]) -> bool:
    """Whether `c` is an `of_value` condition of a node in `present`."""
    return (isinstance(c, Atom) and c.op == ">=" and c.rhs == _ZERO and isinstance(c.lhs, sympy.Pow)
            and c.lhs.exp == 2 and c.lhs.base in present)


def written(term: sympy.Expr) -> list[Atom]:
    """The conditions of `term` as it stands: those `shown`, and `of_calculus` of each
    derivative, integral and limit outside the bodies of calculus."""
    out = shown([term])

    def visit(node: sympy.Basic) -> None:
        if isinstance(node, CALCULUS):
            out.extend(of_calculus(node))
            return
        for a in node.args:
            visit(a)

    visit(term)
    return list(dict.fromkeys(out))


def folded(conditions: list[Atom], term: sympy.Expr) -> list[Atom]:
    """The `conditions` (those `written` of a term before a substitution) that `term`,
    built from it, no longer shows: SymPy folded their node away (`a*ln(x)` at a = 0)."""
    return [c for c in lost(conditions, [term], numbers=False) if not holds_plainly(c)]


def lost(recorded: list[Formula], terms: list[sympy.Expr], numbers: bool = True) -> list[Formula]:
    """The recorded conditions that the built `terms` no longer show, once each, and
    the sign conditions between numbers (`0 > 0` of `0^s`): SymPy may fold such a term
    later, under assumptions the condition does not share (`0^s` is 0 for s > 0). A
    `b != 0` between numbers stays implicit: it belongs to an integer power whose need
    for it depends on the exponent's domain (`0^n`), which the term keeps showing. A
    node's own condition (`of_value`) is shown by the node itself. With
    `numbers` False, a condition between numbers that the terms show is not kept."""
    visible = set(shown(terms))
    # `b > 0` shown implies the recorded `b >= 0` (a root under a negative power)
    visible |= {Atom(">=", c.lhs, c.rhs) for c in visible if c.op == ">"}
    present = {n for t in terms for n in sympy.preorder_traversal(t)}
    return [c for c in dict.fromkeys(recorded) if not _of_value_in(c, present)
            and (c not in visible or (numbers and isinstance(c, Atom) and c.op != "!=" and (c.lhs - c.rhs).is_number))]


def fails_plainly(c: Formula) -> bool:
    """Whether a condition between two numbers certainly fails (`-1 >= 0`, or a side
    that is no real number, as `zoo` of `ln(0)`)."""
    if not isinstance(c, Atom):
        return False
    gap = c.lhs - c.rhs
    if not gap.is_number:
        return False
    if gap.is_extended_real is False or gap.has(sympy.zoo, sympy.nan):
        return True
    return {"=": gap.is_zero, "!=": gap.is_nonzero, ">": gap.is_positive, ">=": gap.is_nonnegative,
            "<": gap.is_negative, "<=": gap.is_nonpositive}.get(c.op) is False


_RELATION = {"=": sympy.Eq, "!=": sympy.Ne, "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}


def guarded(value: sympy.Expr, conditions: list[Atom]) -> sympy.Expr:
    """`value` where every condition holds and undefined (`nan`) elsewhere, as one term:
    `Piecewise((value, conditions), (nan, True))`. The symbolic layer turns it into a
    conjunct of the comparison it stands in."""
    if any(fails_plainly(c) for c in conditions):
        # what the Piecewise folds to; SymPy's folding may raise comparing such numbers
        return sympy.nan
    relations = sympy.And(*(_RELATION[c.op](c.lhs, c.rhs, evaluate=False) for c in conditions))
    return sympy.Piecewise((value, relations), (sympy.nan, True))


def unguarded(e: sympy.Basic) -> tuple[sympy.Expr, list[Atom]] | None:
    """(value, conditions) of a term made by `guarded`; None for any other term."""
    if not (isinstance(e, sympy.Piecewise) and len(e.args) == 2 and e.args[1].expr is sympy.nan):
        return None
    value, relations = e.args[0].args
    # And keeps its arguments in an order that depends on the hash seed: sorted, so that
    # the conditions (and the reports that show them) are the same on every run
    ordered = sorted(sympy.And.make_args(relations), key=sympy.default_sort_key)
    return value, [Atom(r.rel_op.replace("==", "="), r.lhs, r.rhs) for r in ordered]
