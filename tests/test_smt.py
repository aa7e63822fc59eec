"""The z3 translation: sound on definedness, in agreement with exact arithmetic on
random formulas, honest about time limits."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st

import lawproof
from lawproof.language.domain import Domain
from lawproof.language.formula import Atom, Binder, Not, Quantified, conj, disj
from lawproof.language.killable import in_child
from lawproof.numeric import exact_truth
from lawproof.proofs import decide, holds_at
from lawproof.proofs.smt import with_instances
from lawproof.proofs.shrink import candidates
from lawproof.proofs import translate
from lawproof.proofs.translate import Translator

from conftest import AMDAHL_HEAD, claim_file
from smtlib_check import bare_connectives, replay_all

x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
BOX = {x: Domain(sympy.Integer(-3), sympy.Integer(3)), y: Domain(sympy.Integer(-3), sympy.Integer(3))}


def verdict(body: str) -> lawproof.Result:
    return lawproof.check_file(claim_file(body)).results[0]


def test_division_by_zero_is_not_a_model():
    # 1/x is undefined at x = 0, so "1/x > 0 on [0, 1]" fails there, exactly.
    r = verdict('[[claim]]\nid = "d"\nformula = "forall x in [0, 1]: 1/x > 0"\n')
    assert r.verdict == "refuted" and r.evidence.counterexample == {"x_w": "0"}


def test_square_root_of_negative_is_undefined():
    r = verdict('[[claim]]\nid = "s"\nformula = "forall x in [-1, 1]: sqrt(x) >= 0"\n')
    assert r.verdict == "refuted" and Fraction(r.evidence.counterexample["x_w"]) < 0


def test_negation_of_undefined_atom_holds():
    r = verdict('[[claim]]\nid = "n"\nformula = "forall x in [0, 1]: 1/x > 0 or x = 0"\n')
    assert r.verdict == "proved"


def test_timeout_gives_unknown_not_a_hang():
    names = [sympy.Symbol(f"x{i}", real=True) for i in range(1, 7)]
    head = '[paper]\nid = "hard"\n[symbols]\n' + "".join(f'x{i} = "(-oo, oo)"\n' for i in range(1, 7))
    poly = "x1^6 + x2^6 + x3^6 + x4^6 + x5^6 + x6^6 - 6*x1*x2*x3*x4*x5*x6 + x1*x2^3 + x2*x3^3 + x3*x4^3"
    body = (f'[[claim]]\nid = "h"\ntimeout = 0.3\n'
            f'formula = "not (forall x1: exists x2: ({poly})*x1 - x2^5 > x3*x4*x5*x6 + 1)"\n')
    cf = lawproof.loads(head + body, "hard.toml")
    domains = {s.symbol: s.domain for s in cf.theory.symbols.values()}
    from lawproof.symbolic import normalize
    out = decide(normalize(cf.claims[0], cf.theory), domains, timeout=0.3)
    assert out.status == "unknown" and "unknown" in out.detail
    # stopped by its work budget (z3's rlimit), not by the clock: the same on any machine
    assert "budget of 600000 resource units ran out" in out.detail
    r = lawproof.check_file(cf).results[0]
    assert r.verdict == "unknown"
    # the query spends its 0.3 s budget, the claim's limit of 0.3 CPU seconds may end first
    assert any("SMT (z3): unknown" in t for t in r.evidence.tried) or \
        r.method.startswith("stopped at its limit of 0.3 CPU seconds"), r.evidence.tried
    del names


def test_written_but_simplified_division_is_undefined_at_zero():
    r = verdict('[[claim]]\nid = "d"\nformula = "forall x in [-1, 1]: x/x = 1"\nexpect = "fails"\n')
    assert r.verdict == "refuted" and r.evidence.counterexample == {"x_w": "0"}
    r = verdict('[[claim]]\nid = "s"\nformula = "forall x in [-1, 1]: sqrt(x)^2 = x"\n')
    assert r.verdict == "refuted" and Fraction(r.evidence.counterexample["x_w"]) < 0
    assert verdict('[[claim]]\nid = "p"\nformula = "forall x in (0, 1]: sqrt(x)^2 = x"\n').verdict == "proved"
    # a root of a negative number is undefined even when SymPy squares it back to -1
    assert verdict('[[claim]]\nid = "n"\nformula = "sqrt(0 - 1)^2 = -1"\n').verdict == "refuted"
    # the same through a definition: every call keeps what its body lost
    defined = lawproof.check_file(lawproof.loads(
        AMDAHL_HEAD + '"f(x)" = "x/x"\n[[claim]]\nid = "a"\nformula = "f(a - 1/2) = 1"\n'
        '[[claim]]\nid = "z"\nformula = "f(0) = 1"\n[[claim]]\nid = "o"\nformula = "f(1) = 1"\n',
        "toy.claims.toml"))
    assert [(r.verdict, r.evidence.counterexample) for r in defined.results] == [
        ("refuted", {"a": "1/2"}), ("refuted", {}), ("proved", {})]


def test_optima_and_approx_keep_what_sympy_simplified_away():
    head = AMDAHL_HEAD.replace('a = { domain = "[0, 1)", text = "allocation" }',
                               'a = { domain = "[0, 1)", text = "allocation" }\nx = "[-1, 1]"\nz = "(0, 1]"')
    results = lawproof.check_file(lawproof.loads(head + (
        '[[claim]]\nid = "m"\nformula = "minimized_at(x/x + x^2, x, 0)"\n'     # x/x undefined at 0
        '[[claim]]\nid = "ok"\nformula = "minimized_at(z/z - z^2, z, 1)"\n'    # defined on (0, 1]
        '[[claim]]\nid = "ap"\nformula = "approx(x/x, 1)"\n'
        '[[claim]]\nid = "closed"\nformula = "1 = 2 and (forall y in [0, 1]: y >= 0)"\n'),
        "toy.claims.toml")).results
    assert [(r.claim, r.verdict) for r in results] == [
        ("m", "refuted"), ("ok", "proved"), ("ap", "refuted"), ("closed", "refuted")]
    assert results[2].evidence.counterexample == {"x": "0"}


def test_an_irrational_counterexample_leaves_the_claim_undecided():
    # false only at y = sqrt(2): no rational point refutes it, and no approximation may
    r = verdict('[[claim]]\nid = "i"\nformula = "forall y in [1, 2]: y^2 - 2 != 0"\n')
    assert r.verdict == "unknown" and "irrational" in r.message and "y_w" in r.message
    assert r.evidence.counterexample == {}


def test_a_violation_below_the_50_digit_tolerance_is_found_exactly():
    r = verdict('[[claim]]\nid = "t"\nformula = "forall y in [1, 2]: (y - 1234567/1000000)^2 >= 1/10^40"\n')
    assert r.verdict == "refuted" and r.evidence.counterexample == {"y_w": "1234567/1000000"}
    assert any("100 digits agree" in t for t in r.evidence.tried)


def test_shrinking_reaches_a_convergent_with_a_large_denominator():
    target = Fraction(1234567, 1000000)
    c = candidates(target + Fraction(1, 10**25))
    assert target in c and c.index(target) >= 16 and c[0].denominator == 1


ROOFLINE = """
[paper]
id = "roofline"
title = "Roofline"

[symbols]
P  = "(0, oo)"
I  = "(0, oo)"
BW = "(0, oo)"

[[claim]]
id = "compute-bound"
formula = "min(P, I*BW) <= P"

[[claim]]
id = "memory-bound"
formula = "min(P, I*BW) <= I*BW"

[[claim]]
id = "max-above"
formula = "forall x in (0, oo): max(P, x*BW) >= P"

[[claim]]
id = "abs-gap"
formula = "abs(P - I*BW) >= 0"
"""


def test_min_max_abs_artifacts_are_smtlib_2_6():
    """z3 prints an empty And as the bare symbol `and` (`(not and)` for a min/max term
    with no existence condition, `(=> and ...)` for a binder without a guard), which
    cvc5 rejects; the translator writes `true`/`false` instead."""
    checked = lawproof.check_file(lawproof.loads(ROOFLINE, "roofline.claims.toml"))
    texts = [r.evidence.artifact for r in checked.results]
    assert [r.verdict for r in checked.results] == ["proved"] * 4 and all("(check-sat)" in t for t in texts)
    for text in texts:
        assert bare_connectives(text) == [], text
    pytest.importorskip("cvc5")
    for text, replay in zip(texts, replay_all(texts)):
        assert replay.error is None, (replay.error, text)
        assert replay.answer in ("unsat", "unknown"), text


def test_empty_connectives_are_constants():
    tr = Translator({})
    assert tr.all([]).sexpr() == "true" and tr.any([]).sexpr() == "false"
    assert bare_connectives("(assert (not and))\n(assert (or (=> or x) y))") == \
        ["(assert (not and))", "(assert (or (=> or x) y))"]
    assert bare_connectives("; and or\n(assert (and |or| x))") == []


def test_candidates_prefer_simple_denominators():
    c = candidates(Fraction(3141592, 1000000))
    assert c[0] == 3 and all(a.denominator <= b.denominator for a, b in zip(c, c[1:]))
    assert Fraction(22, 7) in c


# -- translation soundness: z3 and exact arithmetic agree on random formulas ------

leaf = st.one_of(st.just(x), st.just(y),
                 st.fractions(min_value=-3, max_value=3, max_denominator=4).map(
                     lambda q: sympy.Rational(q.numerator, q.denominator)))


def _max(pair):
    try:
        return sympy.Max(*pair)
    except ValueError:  # Max of a complex constant such as sqrt(-1): not a real term
        return pair[0]


def _combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] - t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, children).map(lambda t: t[0] / t[1] if t[1] != 0 else t[0]),
        children.map(sympy.sqrt),
        children.map(sympy.Abs),
        st.tuples(children, children).map(_max),
        st.tuples(children, st.integers(2, 3)).map(lambda t: t[0] ** t[1]),
    )


terms = st.recursive(leaf, _combine, max_leaves=5)
atoms = st.builds(Atom, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), terms, terms)
formulas = st.recursive(atoms, lambda fs: st.one_of(
    fs.map(Not), st.lists(fs, min_size=2, max_size=3).map(conj),
    st.lists(fs, min_size=2, max_size=3).map(disj)), max_leaves=3)
points = st.fixed_dictionaries({x: st.fractions(-3, 3, max_denominator=6),
                                y: st.fractions(-3, 3, max_denominator=6)})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas, points)
def test_z3_encoding_agrees_with_exact_arithmetic(f, point):
    _agree_at(f, point, BOX)


def _agree_at(f, point, domains) -> None:
    """z3's truth of `f` at `point` is exact arithmetic's, where both decide."""
    try:
        by_z3 = holds_at(f, point, domains, timeout=2.0)
    except lawproof.LawproofError:
        return
    exact = exact_truth(f, point)
    if by_z3 is None or exact is None:
        return
    assert by_z3 == exact, (f, point)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas, points)
def test_z3_truth_at_a_point_outside_the_domains_is_not_vacuous(f, point):
    # the points range over [-3, 3], mostly outside these domains: a fixed value's domain
    # is no assumption (x in [0, 1] at x = -1 made every formula hold: a shrunk witness
    # outside its quantifier's domain was accepted by `lawproof counterexample`)
    _agree_at(f, point, {x: Domain(sympy.Integer(0), sympy.Integer(1)),
                         y: Domain(sympy.Integer(0), sympy.Integer(1), True)})


def test_a_value_outside_its_domain_makes_nothing_true():
    unit = {x: Domain(sympy.Integer(0), sympy.Integer(1))}
    assert holds_at(Atom(">", x, sympy.Integer(5)), {x: Fraction(-1)}, unit) is False
    assert holds_at(Atom("<", x, sympy.Integer(0)), {x: Fraction(-1)}, unit) is True


def test_closed_claim_whose_inner_witnesses_are_irrational_is_unknown_not_error():
    # False: every a in [2, 3] is z^2 for z = sqrt(a) in [0, 2]; but at the values z3's
    # instances try for a (2, 5/2, 29/10) that witness is irrational, so there is no
    # exact counterexample to show: unknown, with the reason, never error or proved.
    r = verdict('[[claim]]\nid = "w"\nformula = "exists a in [2, 3]: forall z in [0, 2]: z^2 != a"\n'
                'expect = "fails"\n')
    assert r.verdict == "unknown", (r.verdict, r.message)
    assert "irrational" in r.message and "z_w ≈ 1.41421356237" in r.message
    assert not r.evidence.instances and not r.evidence.counterexample
    # where an instance has rational witnesses, the claim is refuted with it
    r = verdict('[[claim]]\nid = "v"\nformula = "exists a in [1, 4]: forall z in [0, 2]: z^2 != a"\n'
                'expect = "fails"\n')
    assert r.verdict == "refuted", (r.verdict, r.message)
    for inst in r.evidence.instances:
        a, z = Fraction(inst["for"]["a"]), Fraction(inst["counterexample"]["z_w"])
        assert z * z == a and 0 <= z <= 2


def test_instances_left_out_are_the_ones_added_later():
    # exists a in [1, 4]: forall z in [0, 2]: z^2 != a is false (a = z^2); a caller that
    # may replace the refutation (KKT's re-decision) asks for its instances only if kept
    a, z = sympy.Symbol("a", real=True), sympy.Symbol("z", real=True)
    inner = Quantified("forall", (Binder(z, Domain(sympy.Integer(0), sympy.Integer(2))),), Atom("!=", z**2, a))
    f = Quantified("exists", (Binder(a, Domain(sympy.Integer(1), sympy.Integer(4))),), inner)
    full = decide(f, {})
    bare = decide(f, {}, instances=False)
    assert full.status == bare.status == "refuted" and full.detail == bare.detail
    assert full.instances and not bare.instances
    later = with_instances(bare, f, {}).instances

    def named(instances: list) -> list:
        return [(p, {s.name: v for s, v in i.values.items()}) for p, i in instances]

    assert named(later) == named(full.instances)
    exact = [(point, {s.name: v for s, v in i.values.items()}) for point, i in later if not i.irrational]
    assert exact  # a = 1, z = 1 (at a = 5/2 the witness is irrational)
    for point, values in exact:
        assert values["z_w"] ** 2 == point[a] and 0 <= values["z_w"] <= 2


def test_witnesses_lie_in_their_domains():
    head = '[paper]\nid = "w"\ntitle = "w"\n[symbols]\nx = "[0, 1]"\nu = "[2, 5]"\np = "[1, 2]"\n'

    def check(formula: str) -> lawproof.Result:
        body = f'[[claim]]\nid = "c"\nformula = "{formula}"\nexpect = "fails"\n'
        return lawproof.check_file(claim_file(body, head)).results[0]

    # x*(1-x) is largest at 1/2, not at 1: the better point lies in [0, 1]
    r = check("maximized_at(x*(1-x), x, 1)")
    assert r.verdict == "refuted"
    assert 0 <= Fraction(r.evidence.counterexample["x_w"]) <= 1
    # the conjunct p > 3/2 fails at p = 1 and z3 needs no better point u: it used to
    # give the witness u_w = 0, outside [2, 5]
    for formula, name, lo, hi in (("maximized_at(-(u-3)^2, u, 5) and p > 3/2", "u_w", 2, 5),
                                  ("(forall u in [2, 5]: u^2 >= p) and p > 3/2", "u_w", 2, 5)):
        r = check(formula)
        assert r.verdict == "refuted", (formula, r.message)
        cx = r.evidence.counterexample
        assert 1 <= Fraction(cx["p"]) <= 2
        assert lo <= Fraction(cx[name]) <= hi, (formula, cx)
    # a witness whose domain is empty at the counterexample (y in [2, 3/2]) is not shown
    r = check("(forall y in [p, 3/2]: y >= 1) and p < 3/2")
    assert r.verdict == "refuted"
    assert "y_w" not in r.evidence.counterexample and "y_w" not in r.evidence.witnesses
    assert all("y_w" not in v[0] + v[2] for v in r.evidence.values)


@pytest.mark.parametrize("formula, expected, folded", [
    ("1/3 + 1/6 = 1/2", "proved", True), ("1/3 + 1/6 > 1/2", "refuted", True),
    ("forall x in [1, 2]: x/x = 1", "proved", True), ("forall x in [1, 2]: x + 1 > x", "proved", False)])
def test_a_claim_folded_by_the_symbolic_layer_names_that_layer_not_z3(formula, expected, folded):
    # z3 only sees the constant the symbolic layer left; the report must not say z3 decided it
    r = verdict(f'[[claim]]\nid = "c"\nformula = "{formula}"\n')
    assert r.verdict == expected and (r.normalized in ("true", "false")) == folded
    assert r.method.startswith("symbolic normalization") == folded
    assert r.method.startswith("SMT (z3)") != folded


def test_nonlinear_integer_arithmetic_is_solved_in_the_worker(monkeypatch):
    # z3 ignored interrupts there for seconds (issue 16): the query's text goes to the
    # worker process, killed at the net, and its answer and model come back exact
    from lawproof.proofs import smt
    n = sympy.Symbol("n", integer=True)
    domains = {n: Domain(sympy.Integer(1), sympy.Integer(10)), x: Domain(sympy.Integer(0), sympy.oo)}
    sent = []
    monkeypatch.setattr(smt, "in_child", lambda call, args, guard: sent.append(call) or in_child(call, args, guard))
    assert decide(Atom(">=", n**2, n), domains).status == "proved"
    out = decide(disj([Atom("!=", n * x, sympy.Integer(6)), Atom("<", x, sympy.Integer(2))]), domains)
    assert out.status == "refuted" and out.values[n].denominator == 1 and 1 <= out.values[n] <= 10
    assert out.values[n] * out.values[x] == 6 and out.values[x] >= 2
    assert sent.count(smt._solve_text) == 2
    # linear integer and nonlinear real arithmetic stay in this process (the watchdog
    # interrupts z3 there)
    assert decide(Atom(">=", n + x, sympy.Integer(1)), domains).status == "proved"
    assert decide(Atom(">=", x**2 + 1, x), {x: BOX[x]}).status == "proved"
    assert sent.count(smt._solve_text) == 2


def test_artifact_does_not_depend_on_python_references(monkeypatch):
    """z3 prints a term with `let` when it is referenced more than once, Python's own
    references included: a Dask worker's sampling profiler, holding a finished frame of
    the translator for a moment, once let-bound a domain constraint and gave another
    artifact for the same claim (review12). Here every atom the translator builds is
    held the whole time; the artifact must be the one printed without them."""
    f = Atom("<=", x * y, sympy.Integer(9))
    plain = decide(f, BOX).smt2
    held = []
    made = translate._compare

    def holding(op, t):
        out = made(op, t)
        held.append(out)
        return out

    monkeypatch.setattr(translate, "_compare", holding)
    assert decide(f, BOX).smt2 == plain
    assert held  # the references were there while the query was printed
