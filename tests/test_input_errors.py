"""Regression tests for inputs the fuzzer (tests/test_fuzz.py, issue 16) found raising
an uncaught exception or hanging: each is now a ClaimInputError naming the file (and
the claim and position where known) with a fix, in the API and the CLI alike."""
from __future__ import annotations

import json
import os
import time

import pytest

import lawproof
from lawproof.language import loader, parser
from lawproof.cli import main
from lawproof.language.errors import ClaimInputError

HEAD = '[paper]\nid = "p"\n[symbols]\nx = "(0, oo)"\nn = { domain = "[1, 10]", integer = true }\n' \
       '[define]\n"f(x)" = "x + 1"\n'


def one_claim(formula: str, extra: str = "") -> str:
    return HEAD + f'[[claim]]\nid = "c"\nformula = "{formula}"\n{extra}'


def claim_error(text: str) -> ClaimInputError:
    cf = lawproof.loads(text, "t.claims.toml")
    err = cf.claims[0].error
    assert isinstance(err, ClaimInputError), err
    assert "internal error" not in err.message
    assert err.file == "t.claims.toml" and err.claim == "c" and err.fix
    return err


def file_errors(text: str) -> list[str]:
    cf = lawproof.loads(text, "t.claims.toml")
    assert all(isinstance(e, ClaimInputError) and "internal error" not in e.message for e in cf.errors)
    return [str(e) for e in cf.errors]


# -- the file as a whole -------------------------------------------------------------------

def test_non_utf8_bytes_are_an_input_error_with_their_position(tmp_path):
    path = tmp_path / "bad.claims.toml"
    path.write_bytes(HEAD.encode() + b'[[claim]]\nid = "c"\nsays = "caf\xe9"\nformula = "x > 0"\n')
    with pytest.raises(ClaimInputError) as err:
        lawproof.load(path)
    e = err.value
    assert "not UTF-8" in e.message and "0xe9" in e.message and e.line == 10 and e.column == 12
    assert e.file == str(path) and "UTF-8" in e.fix


def test_an_integer_of_thousands_of_digits_in_toml_is_an_input_error():
    with pytest.raises(ClaimInputError) as err:
        lawproof.loads(one_claim("x > 0", "timeout = " + "9" * 5000 + "\n"), "t.claims.toml")
    assert "thousands of digits" in err.value.message and err.value.line == 11


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e9", "true", '"5"', "[5]"])
def test_a_timeout_that_is_not_a_positive_finite_number_is_refused(value):
    err = claim_error(one_claim("x > 0", f"timeout = {value}\n"))
    assert "timeout must be a positive, finite number" in err.message and err.line == 11


def test_a_table_timeout_of_nan_is_refused():
    text = HEAD + ('[[table]]\nid = "t"\nparams = ["x"]\nformula = "x"\nrows = [[1]]\npaper = [1]\n'
                   'timeout = nan\n')
    assert any("timeout must be a positive, finite number" in e for e in file_errors(text))


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.claims.toml"
    path.write_text(HEAD + "# " + "x" * 2000 + "\n")
    with pytest.raises(ClaimInputError, match="more than the limit of 1,000"):
        lawproof.load(path)
    with pytest.raises(ClaimInputError, match="more than the limit"):
        lawproof.loads(path.read_text())


def test_a_file_over_the_claim_limit_is_refused_and_loading_is_not_quadratic():
    assert loader.MAX_CLAIMS == 10_000
    text = HEAD + "".join(f'[[claim]]\nid = "c{i}"\nformula = "x > 0"\n' for i in range(10_001))
    with pytest.raises(ClaimInputError, match="10,001 claims"):
        lawproof.loads(text)


def test_wrong_toml_types_in_sections_are_input_errors():
    errors = file_errors('claim = "not a table"\n[paper]\nid = "p"\n')
    assert any("[[claim]]" in e for e in errors)
    errors = file_errors('[paper]\nid = "p"\n[symbols]\nx = { domain = "[0, 1]", integer = "yes" }\ny = 3\n'
                         'z = { text = "z" }\nw = { domain = { a = 1 } }\n')
    assert any("integer of symbol 'x' must be true or false" in e for e in errors)
    assert any("symbol 'y' has a domain that is an integer, not a string" in e for e in errors)
    assert any("symbol 'z' has no domain" in e for e in errors)
    assert any(":7: symbol 'w' has a domain that is a table, not a string" in e for e in errors), errors


@pytest.mark.parametrize("variant,message", [
    ('param = ["x"]\nfamily = "linear"', "param ['x'] is not a symbol"),
    ('param = { a = 1 }\nfamily = "linear"', "is not a symbol"),
    ('param = "x"\nfamily = ["linear"]', "no variant family"),
    ('param = "x"\nexpr = 3', "expr must be a string"),
    ('param = "x"\nfamily = "linear"\nvar = 1', "var must be a string"),
    ('param = "x"\nfamily = "linear"\nat = [0]', "at must be a string"),
])
def test_wrong_toml_types_in_a_variant_are_input_errors(variant, message):
    errors = file_errors(HEAD + f'[[variant]]\nid = "v"\n{variant}\n')
    assert any(message in e for e in errors), errors


# -- formulas ----------------------------------------------------------------------------

@pytest.mark.parametrize("number,message", [
    ("9" * 5000, "more than 4000 digits"),
    ("0." + "0" * 4000 + "1", "more than 4000 digits"),
    ("1e" + "9" * 5000, "is beyond ±1000"),
    ("1e99999999999999999999", "is beyond ±1000"),
])
def test_numbers_too_long_for_python_are_input_errors(number, message):
    assert message in claim_error(one_claim(f"x < {number}")).message


def test_a_limit_sympy_cannot_state_is_an_input_error_not_notimplemented(monkeypatch):
    # SymPy's Limit raises NotImplementedError for a point that depends on its variable
    class Refusing(parser.Limit):
        def __new__(cls, *args, **kwargs):
            raise NotImplementedError("Limits approaching a variable point are not supported (x -> x)")
    monkeypatch.setattr(parser, "Limit", Refusing)
    err = claim_error(one_claim("limit(1/x, x, 1) > 0"))
    assert "SymPy cannot state this limit" in err.message and err.column is not None


def test_min_of_arguments_sympy_cannot_order_is_an_input_error(monkeypatch):
    def refuse(*args, **kwargs):
        raise ValueError("The argument 'x' is not comparable.")
    monkeypatch.setattr(parser.sympy, "Min", refuse)
    err = claim_error(one_claim("min(x, 1) > 0"))
    assert "min needs real-valued arguments" in err.message and err.column is not None


@pytest.mark.parametrize("where", ["forall y in [sqrt(-1), 1]: y > 0", "forall y in [0, log(-1)]: y > 0"])
def test_a_non_real_interval_bound_is_an_input_error(where):
    assert "is not a real number" in claim_error(one_claim(where)).message


def test_a_non_real_domain_bound_is_an_input_error_not_a_typeerror():
    errors = file_errors('[paper]\nid = "p"\n[symbols]\nx = "[sqrt(-1), 1]"\n')
    assert any("in the domain of 'x'" in e and "not a real number" in e for e in errors)


def test_an_interval_sympy_cannot_order_is_not_an_error():
    cf = lawproof.loads(one_claim("forall y in [integrate(x, x, 0, 1), 1]: y >= 0"))
    assert cf.claims[0].error is None


@pytest.mark.parametrize("text", [
    "(" * 5000 + "x" + ")" * 5000 + " > 0",      # parentheses alone do not nest the tree
    "x > 0",
])
def test_parentheses_alone_are_fine(text):
    assert lawproof.loads(one_claim(text)).claims[0].error is None


@pytest.mark.parametrize("text", [
    "-" * 5000 + "x > 0", "not " * 5000 + "x > 0", "^".join(["x"] * 5000) + " > 0",
    "sqrt(" * 5000 + "x" + ")" * 5000 + " > 0", "forall y in [0, 1]: " * 5000 + "x > 0",
    "x > 0 -> " * 5000 + "x > 0", "f(" * 5000 + "x" + ")" * 5000 + " > 0",
    "-(" * (parser.MAX_NESTING + 1) + "x" + ")" * (parser.MAX_NESTING + 1) + " < 0",
])
def test_deep_nesting_is_an_input_error_with_the_documented_limit(text):
    err = claim_error(one_claim(text))
    assert f"nested deeper than {parser.MAX_NESTING} levels" in err.message and err.line == 10


def test_nesting_up_to_the_limit_is_accepted():
    depth = parser.MAX_NESTING - 2
    assert lawproof.loads(one_claim("-(" * depth + "x" + ")" * depth + " < 0")).claims[0].error is None


def test_deep_nesting_in_a_definition_and_a_domain_is_an_input_error():
    deep = "sqrt(" * 500 + "x" + ")" * 500
    errors = file_errors(f'[paper]\nid = "p"\n[symbols]\nx = "(0, oo)"\ny = "[0, {deep})"\n[define]\nK = "{deep}"\n')
    assert sum("nested deeper than" in e for e in errors) == 2


def test_a_formula_sympy_gets_stuck_on_is_an_input_error_after_the_read_limit(monkeypatch):
    # SymPy writes cos(arctan(u)) as 1/sqrt(1 + u^2) and factors 1 + u^2, 6,000 digits
    # here, to simplify the root (about 10 s)
    monkeypatch.setattr(loader, "MAX_READ_SECONDS", 1.0)
    err = claim_error(one_claim(f"cos(atan(1.{'3' * 3000})) > 0"))
    assert "took longer than 1 s" in err.message


@pytest.mark.parametrize("formula, verdicts", [
    ("forall y in [0, integrate(1, s, 0, oo)]: y >= 0", ("proved", "unknown")),
    # the integral diverges to oo: the interval [oo, 3] is empty
    ("exists y in [integrate(1/s, s, 0, 1), 3]: y >= 0", ("refuted", "unknown")),
    ("forall y in [0, integrate(1, s, 0, 1)]: y <= 1/2", ("refuted",)),
])
def test_an_interval_bound_with_an_integral_is_read_without_integrating_it_for_ever(formula, verdicts):
    # fuzz run: the check that an interval is not empty asked SymPy to compare a divergent
    # integral, which it integrated numerically at rising precision until the read limit
    # (10 s); now at most 50 digits, and a value with no correct digit is not compared
    start = time.process_time()
    cf = lawproof.loads(one_claim(formula, "timeout = 1\n"))
    assert cf.claims[0].error is None and time.process_time() - start < 5
    assert lawproof.check_file(cf).results[0].verdict in verdicts


def test_an_interval_empty_by_the_value_of_its_integral_is_an_input_error():
    assert "is empty" in claim_error(one_claim("forall y in [2, integrate(1, s, 0, 1)]: y >= 5")).message
    errors = file_errors('[paper]\nid = "p"\n[symbols]\nx = "[2, integrate(1, s, 0, 1)]"\n')
    assert any("of 'x' is empty" in e for e in errors)


def test_tan_of_arctan_of_a_long_number_is_read_at_once():
    # its condition cos(arctan(u)) != 0 holds everywhere: SymPy would write it as
    # 1/sqrt(1 + u^2) and factor 1 + u^2, 6,000 digits here (the whole read limit)
    u = f"1.{'3' * 3000}"
    start = time.process_time()
    cf = lawproof.loads(one_claim(f"tan(atan({u})) > 1 and tan(atan({u})) < 2"))
    assert cf.claims[0].error is None and time.process_time() - start < 5
    assert lawproof.check_file(cf).results[0].verdict == "proved"


@pytest.mark.parametrize("formula, verdicts", [
    ("max(integrate(3, s, 1, oo), 20) <= 10", ("error",)), ("min(x, integrate(1, s, 0, oo)) <= 2", ("error",)),
    ("g(x) <= 0", ("error", "unknown")), ("floor(integrate(1, s, 0, oo)) <= 2", ("unknown",)),
    ("min(integrate(s, s, 0, 1), 1) = 1/2", ("proved",)), ("ceil(integrate(s, s, 0, 1)) = 1", ("proved",))])
def test_min_max_and_floor_of_an_integral_are_read_without_integrating_it(monkeypatch, formula, verdicts):
    # fuzz run (seeds 20029, 21400): SymPy ordered min's arguments (or rounded floor's)
    # by numeric quadrature as the formula or a definition was read, which on a divergent
    # integral ended only at the read limit (10 s a formula, whatever the claim's limit);
    # now once the integral is evaluated, within the claim's limit (SymPy may still
    # integrate numerically when it rebuilds the term before that: then `unknown`)
    monkeypatch.setattr(loader, "MAX_READ_SECONDS", 1.0)
    text = one_claim(formula, "timeout = 1\n").replace(
        "[define]\n", '[define]\n"g(y)" = "-max(5527*y, integrate(18027, t, oo, 1/2))"\n')
    cf = lawproof.loads(text, "t.claims.toml")
    assert cf.claims[0].error is None, cf.claims[0].error
    r = lawproof.check_file(cf).results[0]
    assert r.verdict in verdicts, (r.verdict, r.method, r.message)
    if r.verdict == "error":
        assert r.method == "input" and "min/max needs real-valued arguments SymPy can compare" in r.message


def test_an_unexpected_failure_while_reading_is_that_claims_error(monkeypatch):
    original = loader.parse_formula

    def buggy(text, ns, **kw):
        if "boom" in text:
            raise AttributeError("a bug")
        return original(text, ns, **kw)
    monkeypatch.setattr(loader, "parse_formula", buggy)
    cf = lawproof.loads(HEAD + '[[claim]]\nid = "a"\nformula = "boom > 0"\n[[claim]]\nid = "b"\nformula = "x > 0"\n',
                        "t.claims.toml")
    assert "internal error" in cf.claims[0].error.message and "AttributeError" in cf.claims[0].error.message
    assert cf.claims[0].id == "a" and cf.claims[1].error is None


def test_an_unexpected_failure_while_checking_is_that_claims_error_verdict(monkeypatch):
    from lawproof import engine
    cf = lawproof.loads(HEAD + '[[claim]]\nid = "a"\nformula = "x > 0"\n[[claim]]\nid = "b"\nformula = "x + 1 > 0"\n')
    original = engine._check

    def buggy(claim, *args):
        if claim.id == "a":
            raise IndexError("a bug")
        return original(claim, *args)
    monkeypatch.setattr(engine, "_check", buggy)
    fr = lawproof.check_file(cf)
    assert fr.results[0].verdict == "error" and "IndexError" in fr.results[0].message
    assert fr.results[1].verdict == "proved"


# -- the CLI -------------------------------------------------------------------------------

def run_cli(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err + out.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_check_refuses_a_fifo_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.claims.toml"
    os.mkfifo(fifo)
    code, err = run_cli(capsys, "check", str(fifo))
    assert code == 2 and "not a regular file" in err


def test_check_refuses_a_folder_given_as_a_claim_file(tmp_path, capsys):
    folder = tmp_path / "dir.claims.toml"
    folder.mkdir()
    (tmp_path / "dir.claims.toml" / "inner.txt").write_text("x")
    with pytest.raises(ClaimInputError, match="is a folder"):
        lawproof.load(folder)
    code, err = run_cli(capsys, "check", str(tmp_path / "dir.claims.toml"))
    assert code == 2 and "no *.claims.toml files" in err


def test_check_of_an_empty_folder_is_an_input_error(tmp_path, capsys):
    code, err = run_cli(capsys, "check", str(tmp_path))
    assert code == 2 and "no *.claims.toml files" in err


@pytest.mark.parametrize("data", [b"\xff\xfe[paper]", b'[paper]\nid = "p"\nx = ' + b"9" * 5000,
                                  b'[paper]\nid = "p"\n[[claim]]\nid = "c"\nformula = "' + b"-" * 5000 + b'x > 0"\n'])
def test_check_and_show_of_hostile_files_print_no_traceback(tmp_path, capsys, data):
    path = tmp_path / "h.claims.toml"
    path.write_bytes(data)
    code, err = run_cli(capsys, "check", str(path))
    assert code == 2 and ("input error" in err or "nested deeper" in err)
    code, err = run_cli(capsys, "show", str(path), "c")
    assert code in (1, 2) and ("input error" in err or "nested deeper" in err)


def test_an_internal_error_in_the_cli_is_one_line_and_debug_shows_the_traceback(tmp_path, capsys, monkeypatch):
    from lawproof import cli

    def buggy(args):
        raise KeyError("a bug")
    monkeypatch.setitem(cli.explore.COMMANDS, "sweep", buggy)
    monkeypatch.setitem(cli.check.COMMANDS, "check", buggy)
    code, err = run_cli(capsys, "check", "x.claims.toml")
    assert code == 1 and "internal error: KeyError" in err and "--debug" in err
    with pytest.raises(KeyError):
        main(["--debug", "check", "x.claims.toml"])


@pytest.mark.parametrize("where", ["checking", "reading"])
def test_a_claims_internal_error_shows_its_traceback_only_with_debug(tmp_path, capsys, monkeypatch, where):
    # issue 16: an internal failure on one claim is that claim's error, in a line; its
    # traceback, which a bug report needs, only with --debug; the other claims still run
    from lawproof import engine
    path = tmp_path / "t.claims.toml"
    path.write_text(HEAD + '[[claim]]\nid = "a"\nformula = "x > 0"\n[[claim]]\nid = "b"\nformula = "x + 1 > 0"\n')
    if where == "checking":
        original = engine._check
        monkeypatch.setattr(engine, "_check", lambda claim, *args: original(claim, *args) if claim.id == "b"
                            else {}["a bug"])
    else:
        original = loader.parse_formula
        monkeypatch.setattr(loader, "parse_formula", lambda text, ns, **kw: original(text, ns, **kw)
                            if text != "x > 0" else {}["a bug"])
    for debug in ([], ["--debug"]):
        code = main([*debug, "check", "--jobs", "1", "--no-cache", str(path)])
        out = capsys.readouterr()
        assert code in (1, 2) and "a/b" not in out.out and "b " in out.out and "proved" in out.out
        assert "KeyError" in out.out + out.err and "'a bug'" in out.out + out.err
        assert ("Traceback (most recent call last)" in out.err) == bool(debug), out.err
        assert ("{}[\"a bug\"]" in out.err) == bool(debug)  # the line that failed
        assert "Traceback" not in out.out  # nor in the table or the reports' text
    r = lawproof.check_file(lawproof.load(path)).results[0]
    assert r.verdict == "error" and "Traceback" in r.trace and "trace" not in r.to_dict()


# -- the wording of a message --------------------------------------------------------------

@pytest.mark.parametrize("message,shown", [
    ("division by zero", "division by zero. Fix: check the denominator"),
    ("in which argument?", "in which argument? Fix: check the denominator"),
    ("the sum is undefined.", "the sum is undefined. Fix: check the denominator"),
])
def test_the_message_and_its_fix_are_separated(message, shown):
    err = ClaimInputError(message, fix="check the denominator", file="t.claims.toml", line=3)
    assert str(err) == f"t.claims.toml:3: {shown}"
    assert str(ClaimInputError(message)) == f"<input>: {message}"


def test_the_cli_separates_the_message_and_its_fix(tmp_path, capsys):
    path = tmp_path / "z.claims.toml"
    path.write_text(one_claim("1/0 = 0"))
    code, out = run_cli(capsys, "check", str(path), "--no-cache")
    assert code == 2 and "division by zero. Fix: " in out


# -- positions inside tables of their own ----------------------------------------------------

SUBTABLES = '''[paper]
id = "p"

[symbols]
a = "[0, 1]"
B = { text = "b", domain = "[0, 1" }

[symbols.M]   # a symbol in a table of its own
text = "m"
domain = "[0, 1"

[symbols.N]
domain = "[0, 1]"
integer = "yes"

[define]
c = "a + 1"

[define.q]
latex = '\\frac{a}{'

[define."f(x)"]
expr = "x + * 1"
'''


@pytest.mark.parametrize("needle,line,column", [
    ("domain of 'B'", 6, 29 + 6 - 1),         # the inline table's domain value, at its end
    ("domain of 'M'", 10, 11 + 6 - 1),        # the `domain` key inside [symbols.M]
    ("integer of symbol 'N'", 14, None),
    ("LaTeX: missing '}'", 20, None),
    ("definition of 'f'", 23, 9 + 5 - 1),     # the `expr` key inside [define."f(x)"]
])
def test_an_error_in_a_sub_table_is_reported_at_its_key(needle, line, column):
    errors = [e for e in lawproof.loads(SUBTABLES, "t.claims.toml").errors if needle in e.message]
    assert len(errors) == 1 and errors[0].line == line, [str(e) for e in errors]
    if column is not None:
        assert errors[0].column == column


# -- values of the wrong type, unknown keys ----------------------------------------------------

def test_a_formula_that_is_not_a_string_says_so():
    err = claim_error(HEAD + '[[claim]]\nid = "c"\nformula = 3\n')
    assert err.message == "formula must be a string (got an integer)" and "quotes" in err.fix
    assert (err.line, err.column) == (10, 11)
    assert "the claim has no formula" in claim_error(HEAD + '[[claim]]\nid = "c"\n').message


def test_a_table_formula_that_is_not_a_string_says_so():
    text = HEAD + '[[table]]\nid = "t"\nparams = ["x"]\nformula = ["x"]\nrows = [[1]]\npaper = [1]\n'
    assert any("formula must be a string (got an array)" in e for e in file_errors(text))


def test_a_paper_id_that_is_not_a_string_says_so():
    with pytest.raises(ClaimInputError) as err:
        lawproof.loads('[paper]\nid = 5\n', "t.claims.toml")
    assert err.value.message == "the paper id must be a string (got an integer)"
    assert err.value.fix == 'write id = "5"' and err.value.line == 2
    with pytest.raises(ClaimInputError, match="no \\[paper\\] table with an id"):
        lawproof.loads('[paper]\ntitle = "t"\n', "t.claims.toml")


def test_a_claim_id_that_is_not_a_string_says_so_and_the_other_claims_run():
    cf = lawproof.loads(HEAD + '[[claim]]\nid = 5\nformula = "x > 0"\n[[claim]]\nid = "ok"\nformula = "x > 0"\n',
                        "t.claims.toml")
    bad, good = cf.claims
    assert bad.error.message == "the claim id must be a string (got an integer)"
    assert bad.error.fix == 'write id = "5"' and bad.id == "#1" and good.error is None


def test_an_unknown_paper_key_is_a_warning_with_the_key_it_may_mean(tmp_path, capsys):
    path = tmp_path / "w.claims.toml"
    path.write_text(HEAD.replace('id = "p"\n', 'id = "p"\ntitel = "A paper"\n') + '[[claim]]\nid = "c"\nformula = "x > 0"\n')
    cf = lawproof.load(path)
    assert not cf.errors and cf.claims[0].error is None  # files with extra keys stay valid
    [warning] = cf.warnings
    assert warning.message == "unknown key 'titel' in [paper] is ignored" and warning.line == 3
    assert warning.fix.startswith("did you mean 'title'?")
    code, out = run_cli(capsys, "check", str(path), "--no-cache")
    assert code == 0 and "warning: " in out and "did you mean 'title'?" in out
    code, _ = run_cli(capsys, "report", str(path), "--no-cache", "--out", str(tmp_path / "out"))
    shown = warning.message.replace("'", "&#x27;")
    assert code == 0 and shown in (tmp_path / "out" / "p.html").read_text()
    assert warning.message in (tmp_path / "out" / "p.md").read_text()
    assert json.loads((tmp_path / "out" / "p.json").read_text())["input_warnings"] == [str(warning)]


def test_an_unknown_key_of_a_symbol_or_definition_is_a_warning():
    # a misspelt `integer` would leave n real: said, though files with more keys stay valid
    text = ('[paper]\nid = "p"\n[symbols]\nn = { domain = "[0, 5]", integr = true }\n[symbols.m]\n'
            'domain = "[0, 1]"\ntxt = "m"\n[define]\nc = { expr = "n + 1", note = "c" }\n'
            '[[claim]]\nid = "a"\nformula = "n + m >= 0"\n')
    cf = lawproof.loads(text, "t.claims.toml")
    assert not cf.errors and cf.claims[0].error is None
    shown = [(w.message, w.line, w.fix.split("?")[0]) for w in cf.warnings]
    assert shown == [("unknown key 'integr' in symbol 'n' is ignored", 4, "did you mean 'integer'"),
                     ("unknown key 'txt' in symbol 'm' is ignored", 7, "did you mean 'text'"),
                     ("unknown key 'note' in definition 'c' is ignored", 9, "use expr, latex")]


def test_an_unknown_claim_key_suggests_the_key_it_may_mean():
    err = claim_error(one_claim("x > 0", 'sayz = "x is positive"\n'))
    assert err.message == "unknown key 'sayz'" and err.fix.startswith("did you mean 'says'?")


def test_the_bundled_and_test_claim_files_have_no_warnings():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    files = sorted(root.glob("papers/*.claims.toml")) + sorted(root.glob("tests/**/*.claims.toml"))
    assert files and all(not lawproof.load(f).warnings for f in files)


# -- nothing to check, nowhere to keep results -------------------------------------------------

def test_check_of_a_file_without_claims_is_an_input_error(tmp_path, capsys):
    path = tmp_path / "empty.claims.toml"
    path.write_text('[paper]\nid = "empty"\n')
    code, out = run_cli(capsys, "check", str(path))
    assert code == 2 and "the file has no claims to check" in out and "Fix: add a [[claim]]" in out
    other = tmp_path / "full.claims.toml"
    other.write_text('[paper]\nid = "full"\n[[claim]]\nid = "c"\nformula = "1 < 2"\n')
    code, out = run_cli(capsys, "check", str(tmp_path), "--no-cache")  # a folder: the empty file is named
    assert code == 2 and "empty.claims.toml: the file has no claims" in out and "1 claims: 1 proved" in out


@pytest.mark.parametrize("inside", [False, True])
def test_a_cache_folder_that_is_a_file_is_refused(tmp_path, capsys, inside):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(SystemExit) as stop:
        main(["check", "--cache", str(blocker / "sub" if inside else blocker), "x.claims.toml"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "a-file' is a file" in err and "Traceback" not in err


# -- [[plot]] tables (read when a report is written) -----------------------------------------

@pytest.mark.parametrize("where", ['x = { symbol = "x", from = 0, to = "10^400" }',
                                   'x = { symbol = "x", from = 0, to = "exp(1000)" }',
                                   'x = { symbol = "x", from = 0, to = 1 }\nfix = { n = "-10^400" }'])
def test_a_plot_number_beyond_floats_is_an_input_error_not_an_overflow(tmp_path, where):
    from lawproof.report.plots import draw_plots

    path = tmp_path / "t.claims.toml"
    path.write_text(HEAD + f'[[plot]]\nid = "pl"\n{where}\ncurves = [{{ expr = "x + n" }}]\n')
    plots, problems = draw_plots(lawproof.load(path).theory)
    assert not plots and len(problems) == 1, problems
    e = problems[0]
    assert "is too large to plot" in e.message and e.file == str(path) and e.line == 8 and e.fix


@pytest.mark.parametrize("formula", ["limit(sum(10, k, 5, 3)*x, x, 0) > 0", "limit(sqrt(-1)*x, x, 0) > 0",
                                     "limit(ln(0)*x + sqrt(x - 1), x, 0) > 0"])
def test_a_limit_of_a_term_undefined_everywhere_is_read_not_an_internal_error(formula):
    # its guard is a false condition between numbers (sum(.., 5, 3) needs 3 >= 5 - 1), which
    # SymPy's Piecewise failed to fold ("Invalid comparison of non-real zoo")
    cf = lawproof.loads(one_claim(formula, "timeout = 1\n"), "t.claims.toml")
    assert cf.claims[0].error is None
    r = lawproof.check_file(cf).results[0]
    assert r.verdict in ("refuted", "unknown"), (r.verdict, r.message)


def test_a_limit_of_a_guarded_function_call_is_undecided_not_an_internal_error():
    # the limit's body carries the call's domain guard (x > 0), which 50-digit evaluation
    # does not know: the cross-check gives up (it raised ValueError out of the engine)
    text = (HEAD.replace("[define]", '[functions.Fn]\nargs = ["u", "v"]\ndomain = ["(0, oo)", "[0, 1]"]\n'
                                     'shape = ["decreasing in u", "increasing in v"]\n[define]')
            + '[[claim]]\nid = "c"\ntimeout = 1\nformula = "approx(limit(Fn(x, 0), x, oo), 1, rel=0.01)"\n')
    r = lawproof.check_file(lawproof.loads(text, "t.claims.toml")).results[0]
    assert r.verdict == "unknown" and r.method != "internal", (r.verdict, r.method, r.message)


def test_min_sympy_cannot_order_once_definitions_are_put_in_is_an_input_error():
    # under a quantifier the parser sees min(..., sum(Fn(K, pi), ...)) with K a symbol;
    # expanding K = 2 made SymPy's Min raise ValueError ("... is not comparable")
    text = (HEAD.replace("[define]", '[functions.Fn]\nargs = ["u", "v"]\ndomain = ["(0, oo)", "[0, 1]"]\n'
                                     '[define]\nK = "2"')
            + '[[claim]]\nid = "c"\ntimeout = 1\n'
              'formula = "forall n: min(limit(x, x, 0), sum(Fn(K, pi), k, 0, 3)) <= 1"\n')
    r = lawproof.check_file(lawproof.loads(text, "t.claims.toml")).results[0]
    assert r.verdict == "error" and r.method == "input", (r.verdict, r.method, r.message)
    assert "min/max needs real-valued arguments SymPy can compare" in r.message


@pytest.mark.parametrize("options, message", [
    (["--grid", "S=nan:1:2", "--random", "3"], "needs finite ends"),
    (["--grid", "S=-1e308:1e308:2", "--random", "3"], "needs finite ends"),
    (["--grid", "S=0:1:3", "--random", "-1"], "number of random points must be positive"),
])
def test_sweep_options_numpy_cannot_use_are_input_errors(capsys, options, message):
    # found by tests/cli_fuzz.py: OverflowError and ValueError out of numpy's sampling
    amdahl = os.path.join(os.path.dirname(__file__), "..", "papers", "amdahl_modernized.claims.toml")
    code, err = run_cli(capsys, "sweep", amdahl, "collapse-sufficient", *options, "--workers", "1", "--quiet")
    assert code == 2 and message in err, err


def test_a_negative_seed_of_the_guided_search_is_an_input_error(capsys):
    # found by tests/cli_fuzz.py (seed 22005): `counterexample --seed -5` started the Halton
    # sequence at a negative index, whose digits never run out (killed past 300 s)
    amdahl = os.path.join(os.path.dirname(__file__), "..", "papers", "amdahl_modernized.claims.toml")
    code, err = run_cli(capsys, "counterexample", amdahl, "collapse-sufficient", "--seed", "-5")
    assert code == 2 and "--seed -5: the seed of the guided search must be 0 or more" in err, err


def test_sample_points_refuse_a_negative_seed():
    import sympy
    from lawproof.language.domain import Domain
    from lawproof.numeric.sample import points
    x = sympy.Symbol("x")
    with pytest.raises(ValueError, match="must be 0 or more"):
        points([x], {x: Domain(sympy.Integer(0), sympy.Integer(1))}, 8, seed=-1)
    assert len(points([x], {x: Domain(sympy.Integer(0), sympy.Integer(1))}, 8, seed=0)) == 8


@pytest.mark.parametrize("formula, verdict", [
    # a power of a sum then left unevaluated (a sum of a sum, evaluated since: 70^n != 2):
    # the exponential substitution asked whether its base is below 1 (TypeError: cannot
    # determine truth value of Relational)
    ("(sum(sum(7/3, k, 1, 3), k, 1, 10))^n != 2", "proved"),
    # a divergent integral left oo as a coefficient in log coordinates (TypeError: Mul + None)
    ("not ((integrate(7/3, x, y, 2))^y < sum(ln(integrate(K, x, y, oo)), k, 1, n) "
     "<= Fn((y)^10, diff(integrate(7/3, x, 0, 1), x)))", "unknown")])
def test_calculus_left_in_a_power_is_undecided_not_an_internal_error(formula, verdict):
    # found by tests/fuzz_checks.py (seeds 20031, 20035)
    text = (HEAD.replace("[define]", 'y = "[0, 1]"\n[functions.Fn]\nargs = ["u", "v"]\n'
                                     'domain = ["(0, oo)", "[0, 1]"]\n[define]\nK = "2"')
            + f'[[claim]]\nid = "c"\ntimeout = 1\nformula = "{formula}"\n')
    r = lawproof.check_file(lawproof.loads(text, "t.claims.toml")).results[0]
    assert r.verdict == verdict and r.method != "internal", (r.verdict, r.method, r.message)


@pytest.mark.parametrize("formula, verdicts", [
    # Abs of a difference with a limit: signsimp found a minus sign to extract on both
    # sides of the non-commutative product -(R - 3 ln R - L) (RecursionError)
    ("approx(R - 3*ln(R), limit(m, m, oo), rel=0.01)", ("unknown",)),
    ("approx(x^(n*y) - limit(floor(n*x), m, oo)*ln(x), ln(x), rel=0.01)", ("unknown",)),
    ("abs(R - 3*ln(R) - limit(x, x, 1)) >= 0", ("proved",)),
    # a Poly of a body holding a limit ("non-commutative expressions are not supported")
    ("not approx(limit(log10(y)/limit(n, m, -oo), x, oo), R^(n*y) - S*ln(R), rel=0.01)", ("unknown", "proved")),
])
def test_arithmetic_with_an_unevaluated_limit_is_not_an_internal_error(formula, verdicts):
    # found by tests/fuzz_checks.py (seeds 40001, 40003): SymPy leaves a Limit's
    # commutativity unknown; the language's limits are commutative terms
    text = (HEAD.replace("[define]", 'y = "[0, 1]"\nS = "[0, 1]"\nR = "(1, oo)"\n'
                                     'm = { domain = "[1, oo)", integer = true }\n[define]')
            + f'[[claim]]\nid = "c"\ntimeout = 1\nformula = "{formula}"\n')
    cf = lawproof.loads(text, "t.claims.toml")
    assert cf.claims[0].error is None, cf.claims[0].error
    r = lawproof.check_file(cf).results[0]
    assert r.verdict in verdicts and r.method != "internal", (r.verdict, r.method, r.message)


@pytest.mark.parametrize("term", ["min(integrate(1, s, 0, oo), 1)", "max(x, integrate(1/s, s, 0, 1))",
                                  "floor(integrate(1, s, 0, oo))", "ceil(sum(sum(3, k, 1, 3), k, 0, 10))"])
def test_a_term_left_unevaluated_stays_so_when_pickled(term):
    # a worker process sends its claim's formula back: SymPy rebuilt it evaluated, so the
    # parent ordered min(integrate(1, s, 0, oo), 1) by numeric quadrature for 35 s, then
    # raised ValueError and broke the process pool (fuzz run seed 40007)
    import pickle
    text = HEAD.replace("[define]", 's = "[0, 1]"\n[define]') + f'[[claim]]\nid = "c"\nformula = "{term} <= 2"\n'
    formula = lawproof.loads(text, "t.claims.toml").claims[0].formula
    assert pickle.loads(pickle.dumps(formula, protocol=pickle.HIGHEST_PROTOCOL)) == formula


def test_check_in_worker_processes_of_a_min_sympy_cannot_order(tmp_path):
    path = tmp_path / "t.claims.toml"
    path.write_text(HEAD.replace("[define]", 's = "[0, 1]"\n[define]')
                    + '[[claim]]\nid = "c"\ntimeout = 1\nformula = "min(integrate(1, s, 0, oo), 1) <= 2"\n'
                    + '[[claim]]\nid = "d"\ntimeout = 1\nformula = "x <= x + 1"\n')
    from lawproof.engine import check_files
    (_, fr), = check_files([path], jobs=2, cache=False)
    assert [(r.verdict, r.method) for r in fr.results] == [("error", "input"), ("proved", "SMT (z3)")], \
        [(r.verdict, r.method, r.message) for r in fr.results]


@pytest.mark.parametrize("formula, verdict", [
    ("min(sum(sum(3, k, 1, 3), k, 0, 10), x) <= 99", "proved"),
    ("sum(sum(j, j, 1, k), k, 1, 4) = 20", "proved"),
    ("sum(sum(j, j, 1, k), k, 1, 4) = 21", "refuted"),
    ("sum(sum(k*j, k, 1, 3), j, 1, n) = 3*n*(n + 1)", "proved"),
])
def test_a_sum_of_a_sum_is_evaluated(formula, verdict):
    # SymPy merges the two into one Sum with two limits, which the sum's evaluation took
    # for one: left unevaluated, no value min could order (fuzz run seed 40007)
    r = lawproof.check_file(lawproof.loads(one_claim(formula, "timeout = 1\n"), "t.claims.toml")).results[0]
    assert r.verdict == verdict, (r.verdict, r.method, r.message)


@pytest.mark.parametrize("command", ["premises", "region"])
@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e9"])
def test_a_timeout_option_that_is_no_claim_timeout_is_a_usage_error(capsys, command, value):
    # found by tests/cli_fuzz.py (seed 42000): `premises --timeout nan` (and inf) reached the
    # CPU limit's clock as an internal ValueError (OverflowError)
    amdahl = os.path.join(os.path.dirname(__file__), "..", "papers", "amdahl_modernized.claims.toml")
    with pytest.raises(SystemExit) as exit_:
        main([command, amdahl, "collapse-threshold", "--timeout", value])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "the timeout must be a positive, finite number of seconds" in err, err


def test_sweep_of_a_claim_with_a_declared_function_is_an_input_error(capsys):
    # found by tests/cli_fuzz.py (seed 42000): numpy's evaluation raised ValueError on Rf(a)
    amdahl = os.path.join(os.path.dirname(__file__), "..", "papers", "amdahl_modernized.claims.toml")
    code, err = run_cli(capsys, "sweep", amdahl, "referee-any-nonincreasing-R", "--grid", "S=0:1:3",
                        "--workers", "1", "--quiet")
    assert code == 2 and "uses the function symbol Rf of [functions], which has no values to sweep" in err, err


def test_a_closed_claim_exact_evaluation_decides_without_a_part_the_re_check_cannot_read():
    # found by tests/fuzz_checks.py (seed 40012): exact evaluation decided the conjunction
    # without the unevaluated sum of a divergent integral; the 50-digit re-check, reading
    # every part, raised Unsupported out of the engine
    text = (HEAD.replace("[define]", 'S = "[0, 1]"\nm = { domain = "[1, oo)", integer = true }\n[define]\nK = "2"')
            + '[[claim]]\nid = "c"\ntimeout = 1\nformula = "(approx(sum(log10(integrate(1e-3, x, 1, oo)), k, 0, 3), '
              'arctan(integrate(sum(m, k, 0, n), x, 1, 1)), rel=0.01)) and (((x^(2*S) - (limit(2, x, oo))^10*ln(x)) '
              '> -oo) -> (diff(sqrt(1), x) >= exp(K)))"\n')
    r = lawproof.check_file(lawproof.loads(text, "t.claims.toml")).results[0]
    assert r.verdict in ("refuted", "unknown") and r.method != "internal", (r.verdict, r.method, r.message)


def test_a_closed_claim_with_an_infinite_side_shows_no_difference_instead_of_failing():
    # fuzz_checks seed 43000: the evidence's "lhs - rhs" of a closed atom with -oo as a
    # side raised Unsupported out of the engine (an internal error); the premise is
    # false (11 > 11/2), so the negated implication is false at every point
    text = ('[paper]\nid = "p"\n[symbols]\ny = "[0, 1]"\nn = { domain = "[1, 10]", integer = true }\n'
            '[functions.Fn]\nargs = ["u", "v"]\ndomain = ["(0, oo)", "[0, 1]"]\n'
            'shape = ["decreasing in u", "increasing in v"]\n'
            '[[claim]]\nid = "c"\nformula = "not ((sum(7/3, k, 0, n) <= (1 + 10) <= sum(1/2, k, 0, 10)) -> '
            '(limit((Fn(n, 7/3))^y, x, oo) != -oo))"\n')
    r = lawproof.check_file(lawproof.loads(text, "t.claims.toml")).results[0]
    assert r.verdict == "refuted", (r.verdict, r.message)


@pytest.mark.parametrize("formula, message, fix", [
    # x = 0.46 +- 0.01 read as x = 0.45 before
    ("x = 0.46 +- 0.01", "not as a plus-minus", "approx(x, 0.46, abs=0.01)"),
    # which of two tolerances counts would be a guess
    ("approx(x, 0.46, rel=0.1, rel=0.2)", "two rel= tolerances", "once"),
    # the parser's expected-token list is empty after a comma here: the fix said "expected "
    ("x < 1,000", "unexpected ','", "without thousands separators"),
])
def test_a_plus_minus_a_doubled_tolerance_and_a_thousands_comma_are_located_errors(formula, message, fix):
    err = claim_error(one_claim(formula))
    assert message in err.message and fix in err.fix and err.column is not None


def test_an_integer_domain_without_a_whole_number_is_an_empty_domain():
    # e = 7 was proved: for all e in the empty set of integers in (1, 2)
    text = ('[paper]\nid = "p"\n[symbols]\ne = { domain = "(1, 2)", integer = true }\n'
            'k = { domain = "[1/2, 3/2]", integer = true }\n[[claim]]\nid = "c"\nformula = "k = 1"\n')
    errors = file_errors(text)
    assert len(errors) == 1 and "(1, 2) of 'e' is empty of whole numbers" in errors[0]
    assert "widen it" in errors[0]
    err = claim_error(one_claim("forall n in (1/2, 9/10): n = 100"))
    assert "empty of whole numbers" in err.message and err.column is not None
    err = claim_error(one_claim("forall x in (2, 1): x = 100"))
    assert "empty" in err.message and "whole" not in err.message


def test_a_definition_written_as_a_toml_number_says_so_and_keeps_its_digits_in_the_fix():
    errors = file_errors('[paper]\nid = "p"\n[symbols]\nx = "(0, 1)"\n[define]\nc = 0.10\n'
                         '[[claim]]\nid = "c"\nformula = "x > 0"\n')
    assert len(errors) == 1 and "TOML number" in errors[0] and '"c" = "0.10"' in errors[0]
