"""The hang corpus (issue 16): claims that once ran far past their limit or filled the
memory (degree-1000 roots, exp towers, huge exponents, deep roots, divergent integrals
inside min, optima over many variables, ...). Each now ends with a correct verdict or
`unknown` and says what it tried.

The checks count work, not seconds, where they can: the evidence names the bound that
stopped a step (z3's degree bound, the numeric magnitude bound, the exact-size bound).
Time is the process's CPU time (z3 threads included), against a generous bound far
above what each claim takes, so the test holds on a busy machine; a wall-clock safety
net firing under load makes a claim `unknown`, which is accepted.
"""
from __future__ import annotations

import time

import pytest

import lawproof
from lawproof.language.loader import MAX_READ_SECONDS
from lawproof.language.timeout import SAFETY_FACTOR, SAFETY_FLOOR

HEAD = '''[paper]
id = "hang"
[symbols]
x = "(0, oo)"
y = "(0, oo)"
z = "(0, oo)"
t = "(-oo, oo)"
s = "[0, 1]"
n = { domain = "[1, 1000]", integer = true }
''' + "".join(f'a{i} = "[-1, 1]"\n' for i in range(1, 7)) + '''[define]
"f(y)" = "y^y"
g = "integrate(1, s, 0, oo)"
'''
#: Each claim's timeout: its SymPy safety nets sit at SAFETY_FACTOR times this.
TIMEOUT = 0.3
#: CPU seconds a claim may take: its safety nets (each stage has its own, and z3's
#: wall-clock nets are never under SAFETY_FLOOR), or the limit on reading a file (a
#: formula SymPy gets stuck building is stopped there), plus a margin for the rest.
CPU_BOUND = max(2 * SAFETY_FACTOR * TIMEOUT + SAFETY_FLOOR, MAX_READ_SECONDS) + 6

TRUE, FALSE = ("proved", "consistent", "unknown"), ("refuted", "unknown")

# (formula, acceptable verdicts, a phrase the evidence must hold, or None)
CORPUS = [
    # z3 on high-degree polynomials: its rlimit does not bound root isolation there
    ("x^1000 - 2 = 0 -> x < 2", TRUE, "degree 1000 (beyond 200"),
    ("exists x in (0, 2): x^1000 = 2", TRUE, "degree 1000 (beyond 200"),
    ("x^997*y^13 - 2*x^500*y^500*z + z^1000 >= -1", FALSE, "degree"),
    # deep roots: sqrt^12(x) is a root of degree 4096
    ("sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(sqrt(x)))))))))))) <= x + 1", TRUE, "degree 4096"),
    ("sqrt(1 + sqrt(2 + sqrt(3 + sqrt(4 + sqrt(5 + sqrt(6 + x)))))) < 3", FALSE, None),
    # exp towers: reducing exp(y) needs log(2) to as many bits as y has
    ("exp(exp(exp(exp(x)))) > x", TRUE, "too large to evaluate"),
    ("exp(exp(exp(exp(exp(t))))) >= exp(t)", TRUE, None),
    # huge and tiny exponents
    ("(1 + x)^(1/1000000) >= 1", TRUE, None),
    ("x^(10^9) >= 0", TRUE, None),
    ("x^(10^9 + 1/3) >= 0", TRUE, None),
    ("x^(123456789/1000) + 1 > x^(123456788/1000)", TRUE, None),
    ("n^n^n >= 1", TRUE, None),
    ("2^(2^n) > n", TRUE, None),
    # SymPy calculus on awkward terms
    ("integrate(exp(s^3) / (1 + s^7), s, 0, 1) < 2", TRUE, None),
    ("integrate(s^x * ln(s)^3, s, 0, 1) <= 0", TRUE, None),
    ("limit(x^(x^x) - 1, x, 0) = 0", FALSE, None),
    ("diff(exp(exp(exp(x))), x, 3) > 0", TRUE, None),
    # no closed form: an optimizer term, decided only once strict convexity is proved
    ("argmin(x^7 - 3*x^2 + exp(x), x) > 0", ("unknown",), "was not proved"),
    # a divergent integral inside min, written out and through a definition
    # (SymPy orders min's arguments as the formula is read: the file's read limit)
    ("min(integrate(1, s, 0, oo), 1) <= 2", ("error",), "SymPy got stuck"),
    # (through a definition the integral is evaluated, found divergent and kept: SymPy's
    # Min cannot order it against 1, an input error at once, not a safety net)
    ("min(g, 1) <= 2", ("error",), "SymPy can compare"),
    ("min(x, integrate(1/s, s, 0, 1)) <= x", ("error", *FALSE), None),
    # a divergent integral left unevaluated, in an atom the monotone reduction looked at:
    # SymPy's sign queries integrated it numerically (fuzz run, over 60 s at timeout = 1)
    ("not (approx(integrate(x, t, 1, oo), 1/640, rel=0.01))", ("unknown",), "outside polynomial arithmetic"),
    # ... and in approx's |a - b|, built when the claim is desugared (past 60 s)
    ("not (approx(integrate(1/4, t, 0, oo)^10, 4, rel=0.01))", ("unknown",), None),
    # the interval prover on wide domains, tight at a point
    ("exp(t) >= 1 + t", TRUE, None),
    ("ln(x) <= x - 1", TRUE, None),
    ("x^x >= exp(-1/E)", TRUE, None),
    ("exp(t) - 1 - t - t^2/2 - t^3/6 >= 0 or t < 0", TRUE, None),
    # optima over many variables
    ("minimized_at(a1^2 + a2^2 + a3^2 + a4^2 + a5^2 + a6^2 + exp(a1*a2*a3*a4*a5*a6), "
     "(a1, a2, a3, a4, a5, a6), (0, 0, 0, 0, 0, 0))", TRUE, None),
    ("maximized_at(a1*a2*a3 - a4*a5*a6 + a1^3*a4, (a1, a2, a3, a4, a5, a6), (1, 1, 1, -1, 1, 1))", FALSE, None),
    # counterexample shrinking on awkward claims
    ("x^2 != 2", ("unknown",), "irrational"),
    ("x*y*z != 1 or x + y + z > 3 + 1/10^30", FALSE, None),
    ("x^3 - 3*x + 1 != 0 or x > 10", ("unknown",), "irrational"),
]


@pytest.mark.parametrize("formula, verdicts, phrase", CORPUS, ids=[c[0][:50] for c in CORPUS])
def test_a_hard_claim_ends_within_its_limit(formula, verdicts, phrase):
    text = HEAD + f'[[claim]]\nid = "c"\nformula = """{formula}"""\ntimeout = {TIMEOUT}\n'
    start = time.process_time()
    r = lawproof.check_file(lawproof.loads(text, "hang.claims.toml")).results[0]
    cpu = time.process_time() - start
    assert r.verdict in verdicts, (r.verdict, r.method, r.message)
    assert cpu < CPU_BOUND, f"{cpu:.1f} s of CPU"
    said = " ".join([r.method, r.message or "", *r.evidence.tried])
    if r.verdict == "unknown" or phrase:
        assert r.evidence.tried or r.method == "input", "an unknown says what was tried"
    if phrase and "safety net" not in r.method:
        assert phrase in said, said


@pytest.mark.parametrize("formula", ["2^(10^9) > 1", "10^10^10 > 1", "sqrt(2)^(10^9) > 1",
                                     "(3/2)^(10^6) > 1", "(x + 1)^(10^6) >= 1", "x^(10^(10^10)) > 0"])
def test_a_literal_too_large_to_build_is_an_input_error(formula):
    text = HEAD + f'[[claim]]\nid = "c"\nformula = "{formula}"\n'
    start = time.process_time()
    claim = lawproof.loads(text, "big.claims.toml").claims[0]
    assert time.process_time() - start < 5
    assert claim.error is not None and "too large" in claim.error.message, claim.error


def test_a_definition_that_would_build_a_huge_power_is_an_input_error():
    r = lawproof.check_file(lawproof.loads(HEAD + '[[claim]]\nid = "c"\nformula = "f(f(10)) > 0"\n',
                                           "big.claims.toml")).results[0]
    assert r.verdict == "error" and r.method == "input"
    assert "10000000000**10000000000 is too large to build exactly (more than 100000 bits)" in r.message
    r = lawproof.check_file(lawproof.loads(HEAD + '[[claim]]\nid = "c"\nformula = "f(f(2)) = 256"\n',
                                           "small.claims.toml")).results[0]
    assert r.verdict == "proved"
