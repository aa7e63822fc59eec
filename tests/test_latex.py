"""The LaTeX reader: TeX's one-token arguments, and `e` as Euler's number even when a
file declares a symbol `E`. Each test checks the exact SymPy value a definition reads
as, and a verdict that a wrong reading would change."""
from __future__ import annotations

import pytest
import sympy

import lawproof
from lawproof.language.latex import latex_to_ascii

x, u, E_sym, e_sym = (sympy.Symbol(n, real=True) for n in ("x", "u", "E", "e"))


def load(symbols: str, define: str, claims: str = "") -> lawproof.ClaimFile:
    text = (f'[paper]\nid = "t"\ntitle = "t"\n\n[symbols]\n{symbols}\n\n[define]\n{define}\n'
            + claims)
    return lawproof.loads(text, "t.claims.toml")


def body(cf: lawproof.ClaimFile, name: str) -> sympy.Expr:
    assert not cf.errors, cf.errors
    return cf.theory.definitions[name].body


def verdicts(cf: lawproof.ClaimFile) -> dict[str, str]:
    assert not cf.errors and not any(c.error for c in cf.claims), (cf.errors, [c.error for c in cf.claims])
    return {r.claim: r.verdict for r in lawproof.check_file(cf).results}


def claim(cid: str, formula: str) -> str:
    return f'[[claim]]\nid = "{cid}"\nformula = "{formula}"\n'


SYMS = 'x = "[0, 1]"\nu = "(-oo, oo)"'


@pytest.mark.parametrize("latex, value", [
    (r"\frac12 u", u / 2),
    (r"\frac12", sympy.Rational(1, 2)),
    (r"\frac1x", 1 / x),
    (r"\frac{u}2", u / 2),
    (r"\frac1{x+1}", 1 / (x + 1)),
    (r"\frac\alpha2", sympy.Symbol("alpha", real=True) / 2),
    (r"\sqrt2 x", sympy.sqrt(2) * x),
    (r"\sqrt{2x}", sympy.sqrt(2 * x)),
    (r"x^23", 3 * x**2),
    (r"x^{23}", x**23),
    (r"u^2 x", u**2 * x),
    (r"2^10", 0),              # as TeX typesets it: 2^1 times 0
    (r"\frac{1}{2}u", u / 2),
    (r"\ln 12", sympy.log(12)),
    (r"\ln x + 1", sympy.log(x) + 1),
    (r"\exp{-x}", sympy.exp(-x)),
])
def test_unbraced_arguments_are_one_token(latex, value):
    syms = SYMS + '\nalpha = "(0, 1)"'
    cf = load(syms, f"c = {{ latex = '{latex}' }}")
    assert body(cf, "c") == value


def test_one_token_reading_decides_the_verdict():
    # (1/2)*u <= u on u >= 0 holds; the old reading 12/u does not (u = 1).
    cf = load('u = "(0, oo)"', "\"g(u)\" = { latex = '\\frac12 u' }",
              claim("half", "forall u in (0, oo): g(u) <= u") + claim("at1", "g(1) = 1/2"))
    assert body(cf, "g") == sympy.Symbol("u", real=True) / 2
    assert verdicts(cf) == {"half": "proved", "at1": "proved"}
    # x^23 is 3x^2, which is 3/4 at x = 1/2 (x^23 would be tiny)
    cf = load(SYMS, "\"p(x)\" = { latex = 'x^23' }", claim("p", "p(1/2) = 3/4"))
    assert verdicts(cf) == {"p": "proved"}


def test_a_subscript_takes_one_token():
    assert latex_to_ascii("x_12", functions=set(), symbols=set()).replace(" ", "") == "x_1*2"
    assert latex_to_ascii("x_{12}", functions=set(), symbols=set()).replace(" ", "") == "x_12"


@pytest.mark.parametrize("latex", [r"x^-1", r"\frac12{", r"\frac1", r"x^", r"\frac.51",
                                   r"\ln x^2", r"\ln 2x", r"\ln 2\pi", r"\exp x y"])
def test_ambiguous_or_incomplete_arguments_are_errors(latex):
    with pytest.raises(lawproof.FormulaSyntaxError):
        latex_to_ascii(latex, functions=set(), symbols={"x", "y"})


@pytest.mark.parametrize("latex,fix", [
    (r"\sin^2 x", r"\sin(x)^{2} or (\sin x)^{2}, or \arcsin x for the inverse function"),
    (r"\cos^{-1} x", r"\cos(x)^{-1} or (\cos x)^{-1}, or \arccos x for the inverse function"),
    (r"\ln^{3} x", r"\ln(x)^{3} or (\ln x)^{3}"),
])
def test_a_power_on_a_function_name_is_an_error_whose_fix_writes_it_after_the_argument(latex, fix):
    # \sin^2 x is the square of the value by custom, but \cos^{-1} x the inverse: neither is read
    with pytest.raises(lawproof.FormulaSyntaxError) as err:
        latex_to_ascii(latex, functions=set(), symbols={"x"})
    assert "a power written on the function's name" in err.value.message
    assert err.value.fix == "write the power after the argument: " + fix
    written = fix.split(" or ")[0]  # the fix itself reads back
    assert "^" in latex_to_ascii(written, functions=set(), symbols={"x"})


def test_an_ambiguous_argument_gets_a_fix_with_both_readings():
    with pytest.raises(lawproof.FormulaSyntaxError) as err:
        latex_to_ascii(r"\ln x^2", functions=set(), symbols={"x"})
    assert r"\ln(x^2)" in err.value.fix and r"(\ln x)^2" in err.value.fix


def test_e_is_eulers_number_even_when_E_is_a_symbol():
    # Scaling-law files declare E (the irreducible loss); LaTeX e must not become it.
    cf = load('x = "[0, 1]"\nE = "(1, oo)"',
              "\"f(x)\" = { latex = 'e^{-x}' }\n\"h(x)\" = { latex = '\\mathrm{e}^{x}' }\n"
              "c = { latex = 'e' }\nd = { latex = '2e' }\nk = { latex = '\\exp(1) + E' }",
              claim("lower", "forall x in [0, 1]: f(x) >= 1/3")
              + claim("at1", "f(1) < 1/2")
              + claim("euler", "2.718 < c < 2.719")
              + claim("h-up", "h(1) > 2.7"))
    assert body(cf, "f") == sympy.exp(-x)
    assert body(cf, "h") == sympy.exp(x)
    assert body(cf, "c") == sympy.E
    assert body(cf, "d") == 2 * sympy.E
    assert body(cf, "k") == sympy.E + E_sym
    assert not body(cf, "f").has(E_sym)
    # Each claim is false under the reading E^(-x) with the symbol E in (1, oo).
    assert verdicts(cf) == {"lower": "proved", "at1": "proved", "euler": "proved", "h-up": "proved"}


def test_e_without_E_symbol_is_eulers_number():
    cf = load('x = "[0, 1]"', "\"f(x)\" = { latex = 'e^x' }\nc = { latex = 'e' }",
              claim("big", "f(1) > 2.7"))
    assert body(cf, "f") == sympy.exp(x) and body(cf, "c") == sympy.E
    assert verdicts(cf) == {"big": "proved"}


def test_a_declared_e_is_the_files_e():
    # A symbol named exactly e wins, in e^x, bare e and \mathrm{e}; \exp stays Euler's.
    cf = load('x = "[0, 1]"\ne = "(0, 1)"\nE = "(1, oo)"',
              "\"f(x)\" = { latex = 'e^{x}' }\n\"g(x)\" = { latex = '\\mathrm{e}x' }\n"
              "\"h(x)\" = { latex = '\\exp(x)' }",
              claim("small", "forall x in [0, 1]: f(x) <= 1") + claim("exp", "h(1) > 2"))
    assert body(cf, "f") == e_sym**x
    assert body(cf, "g") == e_sym * x
    assert body(cf, "h") == sympy.exp(x)
    # e^x <= 1 holds for the symbol e in (0, 1), not for Euler's number
    assert verdicts(cf) == {"small": "proved", "exp": "proved"}


def test_a_parameter_or_definition_named_e_wins():
    cf = load('x = "[0, 1]"', "\"f(e)\" = { latex = 'e^2' }")
    assert body(cf, "f") == cf.theory.definitions["f"].params[0] ** 2
    cf = load('x = "[0, 1]"', "e = \"3\"\ng = { latex = 'e^2' }")
    g = body(cf, "g")
    assert not g.has(sympy.E) and g != sympy.exp(2)


def test_subscripted_e_is_a_name():
    cf = load('e_1 = "(0, 1)"', "c = { latex = 'e_1^2' }")
    assert body(cf, "c") == sympy.Symbol("e_1", real=True) ** 2


@pytest.mark.parametrize("latex, name", [
    (r"R_D^*", "R_D_star"), (r"R_{D}^{*}", "R_D_star"), (r"R^*_D", "R_D_star"), (r"R_D^\ast", "R_D_star"),
    (r"N'", "N_prime"), (r"N^\prime", "N_prime"), (r"N^{\prime}", "N_prime"),
    (r"N''", "N_prime_prime"), (r"N^{\prime\prime}", "N_prime_prime"), (r"\alpha^*", "alpha_star"),
])
def test_starred_and_primed_names_are_names(latex, name):
    assert latex_to_ascii(latex, functions=set(), symbols=set()) == name
    cf = load(f'{name} = "(0, oo)"', f"c = {{ latex = '''2 {latex}^2''' }}")
    assert body(cf, "c") == 2 * sympy.Symbol(name, real=True) ** 2


def test_a_broken_definition_is_not_reported_again_as_unknown():
    cf = load(SYMS, "c = { latex = '\\unknowncmd x' }\n\"g(y)\" = \"c*y\"", claim("uses", "c > 0"))
    assert len(cf.errors) == 2 and "unsupported command" in str(cf.errors[0])
    assert "'c' cannot be used: its definition" in str(cf.errors[1])
    err = cf.claims[0].error
    assert "'c' cannot be used: its definition" in err.message and "unknown" not in err.message


@pytest.mark.parametrize("latex, plain", [
    (r"\lfloor x \rfloor", "floor(x)"),
    (r"\left\lceil \frac{x}{2} \right\rceil", "ceil(x/2)"),
    (r"\sum_{k=1}^{n} k^2 + 1", "sum(k^2, k, 1, n) + 1"),
    (r"\sum_{k=1}^{n} (k + 1) x", "sum((k + 1)*x, k, 1, n)"),
    (r"2\sum_{i=0}^{n-1} \frac{1}{2^i}", "2*sum(1/2^i, i, 0, n - 1)"),
    (r"\sum_{k=1}^n k", "sum(k, k, 1, n)"),
])
def test_sums_floors_and_ceilings_read_as_the_plain_syntax(latex, plain):
    syms = 'x = "(0, oo)"\nn = { domain = "[0, 20]", integer = true }'
    cf = load(syms, f"a = {{ latex = '{latex}' }}\nb = \"{plain}\"")
    assert sympy.simplify(body(cf, "a").doit() - body(cf, "b").doit()) == 0


@pytest.mark.parametrize("latex", [r"\sum k", r"\sum_{k}^{n} k", r"\sum_{k=1} k", r"\sum_{k=1}^{n}", r"\lfloor x"])
def test_malformed_sums_and_floors_are_errors(latex):
    with pytest.raises(lawproof.ClaimInputError, match="LaTeX"):
        latex_to_ascii(latex, functions=set(), symbols=set())


@pytest.mark.parametrize("latex, says", [
    (r"6\,144", "two numbers side by side"),    # a thousands space: 6144, not 6*144
    (r"1 000", "two numbers side by side"),     # math mode drops the space: 1000, not 1*000 = 0
    (r"1.5.3", "two numbers side by side"),
    (r"1e-3", "float literal"),                 # 1*e - 3 in TeX, 0.001 to the writer
    (r"2.5E3 x", "float literal"),
    (r"x_{i+1}", "is not a name"),              # was the name x_i followed by + 1
    (r"x_{1,2}", "is not a name"),              # inside \max(..) the comma split the arguments
    (r"\ln{x}^2", "ambiguous"),                 # typeset as \ln x^2
    (r"\exp{x}^2", "ambiguous"),
    (r"\ln{x} y", "ambiguous"),
    (r"C/6x", "implicit product after '/'"),   # C/(6x) to the writer, (C/6)*x in plain syntax
    (r"1/2 x", "implicit product after '/'"),
    (r"x^2^3", "double superscript"),           # TeX refuses it; x^8 was read
    (r"e^{-x}^2", "double superscript"),
    (r"x^2.5", "TeX takes '2' alone"),        # x^2 * .5 was read
    (r"x_2.5", "TeX takes '2' alone"),
])
def test_numbers_subscripts_and_braced_arguments_that_tex_reads_otherwise_are_errors(latex, says):
    with pytest.raises(lawproof.FormulaSyntaxError, match=says):
        latex_to_ascii(latex, functions=set(), symbols={"x", "y", "x_i"})


def test_misread_numbers_and_subscripts_no_longer_decide_a_verdict():
    # 6\,144 read as 6*144 = 864 refuted "= 6144"; x_{i+1} read as x_i + 1 proved "= x_i + 1"
    cf = load('x_i = "(0, oo)"', "n = { latex = '6\\,144' }\nnxt = { latex = 'x_{i+1}' }",
              claim("n", "n = 6144") + claim("nxt", "nxt = x_i + 1"))
    assert len(cf.errors) == 2 and all("LaTeX" in str(e) for e in cf.errors)
    assert all(c.error is not None for c in cf.claims)


@pytest.mark.parametrize("latex, name", [
    (r"N_{\mathrm{opt}}", "N_opt"), (r"N_\mathrm{opt}", "N_opt"), (r"L_{\text{max}}", "L_max"),
    (r"x_{\alpha 1}", "x_alpha1"), (r"R_{D}^{*}", "R_D_star"),
])
def test_a_subscript_in_a_font_command_is_part_of_the_name(latex, name):
    assert latex_to_ascii(latex, functions=set(), symbols=set()) == name


@pytest.mark.parametrize("latex, value", [
    (r"C/(6x)", sympy.Symbol("C", real=True) / (6 * x)),
    (r"\frac{C}{6x}", sympy.Symbol("C", real=True) / (6 * x)),
    (r"a/b + c x", sympy.Symbol("a", real=True) / sympy.Symbol("b", real=True) + sympy.Symbol("c", real=True) * x),
    (r"{x^2}^3", x**6),
    (r"x^{2^3}", x**8),
])
def test_divisions_and_powers_written_unambiguously_still_read(latex, value):
    syms = SYMS + '\nC = "(0, oo)"\na = "(0, oo)"\nb = "(0, oo)"\nc = "(0, oo)"'
    cf = load(syms, f"d = {{ latex = '{latex}' }}")
    assert sympy.simplify(body(cf, "d") - value) == 0


@pytest.mark.parametrize("latex, value", [
    (r"\log_2 x", sympy.log(x) / sympy.log(2)),
    (r"\log_{10}(x)", sympy.log(x) / sympy.log(10)),
    (r"\log_e x", sympy.log(x)),
    (r"\log x", sympy.log(x)),          # \log without a base is natural, as ln and log
    (r"\log_2 8", sympy.Integer(3)),    # a base and a number after it: no thousands space
    (r"\frac12\log_2 16", sympy.Integer(2)),
])
def test_a_subscripted_base_of_log_is_read(latex, value):
    cf = load(SYMS, f"d = {{ latex = '{latex}' }}")
    assert sympy.simplify(body(cf, "d") - value) == 0


def test_another_base_of_log_is_an_error_whose_fix_writes_the_quotient():
    with pytest.raises(lawproof.FormulaSyntaxError, match="base b") as err:
        latex_to_ascii(r"\log_{b} x", functions=set(), symbols={"x", "b"})
    assert r"\frac{\ln x}{\ln b}" in err.value.fix


def test_a_square_bracket_is_a_latex_error_not_a_plain_syntax_one():
    # grouping to most papers, the integer part to some; the plain parser's message spoke
    # of 'exists' and 'forall'
    with pytest.raises(lawproof.FormulaSyntaxError, match="square bracket") as err:
        latex_to_ascii(r"\left[1 + x\right]^{-2}", functions=set(), symbols={"x"})
    assert r"\lfloor" in err.value.fix
    assert latex_to_ascii(r"\sqrt[3]{x}", functions=set(), symbols={"x"}) == "cbrt ( ( x ) )"
