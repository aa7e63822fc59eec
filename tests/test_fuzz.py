"""Fuzzing: hostile and broken claim files give lawproof errors, never tracebacks.

Three generators feed `lawproof.loads`/`lawproof.load`:

- grammar-aware whole claim files: random formulas from the claim language
  (quantifiers, optima, approx, calculus, sums, solve/argmin, trigonometric and other
  built-ins, function symbols, LaTeX definitions, `oo` as a limit's point, a bound and
  a whole side, sequence limits over integer symbols, `log(x, b)`, powers x^(r*c)
  beside ln x, closed forall/exists, huge and tiny numbers, deep nesting,
  text mutations of all of these) inside [paper], [symbols], [functions.NAME],
  [define], [[claim]], [[table]] and [[variant]] tables whose values are now and then
  of the wrong TOML type (a table where a string belongs, a number where a list does,
  nan, inf, dates, 5000-digit integers);
- byte-level mutations of the bundled packs in papers/ (bit flips, non-UTF-8 bytes,
  deleted, duplicated and spliced ranges), read from a file with `lawproof.load`;
- deep nesting of every recursive construct, up to far beyond the documented limit;
- `[[plot]]` tables, drawn as a report would (`report.plots.draw_plots`).

The property: loading raises nothing but `LawproofError` subclasses, and a returned
ClaimFile carries only `ClaimInputError`s (on the file or on single claims), none of
them the loader's "internal error" safety net. A few generated files are also checked
in full (`check_file`, 1 s per claim): no exception escapes and every verdict is one of
the six.

The CI run is bounded and derandomized (the same inputs every run; about 3,000
load/parse inputs, 1-2 minutes). A longer run with fresh random inputs::

    LAWPROOF_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py -q -p no:cacheprovider

`LAWPROOF_FUZZ_EXAMPLES` scales every test (it is the example count of the largest
one); when it is set the inputs are random unless `LAWPROOF_FUZZ_DERANDOMIZE=1`, and
`--hypothesis-seed=N` replays a run. `LAWPROOF_FUZZ_CHECKS` sets how many files are
checked in full (default 12). A failure prints the smallest input hypothesis found:
add it to tests/test_input_errors.py as a regression test.

Full checks at scale, each file within a limit, with findings summarized by signature
(uncaught exceptions, internal errors, claims past their limit)::

    python tests/fuzz_checks.py --files 2000 --seed 7

(a few files of it run here, `test_fuzz_check_run_finds_nothing`; its default `--margin 1`
measures "every claim within its limit + 1 s"), and the CLI on generated,
mutated and hostile files, any traceback a finding::

    python tests/cli_fuzz.py --runs 300 --seed 7
"""
from __future__ import annotations

import contextlib
import math
import os
import signal
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import lawproof
from lawproof.language.errors import ClaimInputError, LawproofError
from lawproof.verdict import VERDICTS

PAPERS = sorted((Path(__file__).resolve().parent.parent / "papers").glob("*.claims.toml"))
PACKS = [p.read_bytes() for p in PAPERS]

_ENV_EXAMPLES = os.environ.get("LAWPROOF_FUZZ_EXAMPLES")
EXAMPLES = int(_ENV_EXAMPLES or 1500)
DERANDOMIZE = _ENV_EXAMPLES is None or os.environ.get("LAWPROOF_FUZZ_DERANDOMIZE") == "1"
CHECKS = int(os.environ.get("LAWPROOF_FUZZ_CHECKS", "12"))
#: Loading one file must not take longer than this (it takes milliseconds).
LOAD_SECONDS = 20


def fuzz_settings(share: float, **kw) -> settings:
    return settings(max_examples=max(1, int(EXAMPLES * share)), derandomize=DERANDOMIZE,
                    deadline=None, database=None, print_blob=True,
                    suppress_health_check=list(HealthCheck), **kw)


# -- the property ------------------------------------------------------------------------

@contextlib.contextmanager
def wall_clock(seconds: float, what: str):
    """Fail (not hang) when the block runs past `seconds`."""
    def alarm(signum, frame):
        raise AssertionError(f"{what} ran past {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_clean(load) -> lawproof.ClaimFile | None:
    """Run `load()`: it returns a ClaimFile whose errors are all ClaimInputErrors, or
    raises a LawproofError; anything else fails the test."""
    try:
        with wall_clock(LOAD_SECONDS, "loading"):
            cf = load()
    except LawproofError as e:
        str(e)  # the message itself must not fail
        return None
    errors = list(cf.errors) + [c.error for c in cf.claims if c.error is not None]
    for e in errors:
        assert isinstance(e, ClaimInputError), repr(e)
        assert "internal error" not in e.message, str(e)
        str(e)
    return cf


# -- grammar-aware formulas -------------------------------------------------------------

SYMBOLS = ["x", "y", "n", "S", "R"]
NAMES = SYMBOLS + ["z", "a", "foo", "pi", "E", "oo", "f", "g", "K", "c0", "sqrt", "in", "forall",
                   "true", "__import__", "rel", "abs", "s"]
NUMBERS = ["0", "1", "2", "0.5", ".5", "1.", "3.14159", "1e-300", "1e300", "1e1000", "1e1001",
           "1e-1001", "1E+5", "2e-7", "123456789012345678901234567890", "0.000000000000000000001",
           "9" * 400, "1e99999999999999999999", "00", "007", "1.5e-3"]
HUGE_NUMBERS = ["9" * 5000, "1e" + "9" * 5000, "0." + "0" * 3000 + "1", "1" * 4001]
RELOPS = ["<", "<=", ">", ">=", "=", "==", "!="]

number = st.one_of(st.sampled_from(["0", "1", "2", "3", "1/2", "0.5", "10", "1e-3", "2.5"]),
                   st.integers(0, 10**12).map(str))
#: Extreme literals, put into generated formulas in place of a "1" (see `extreme`).
extreme_number = st.sampled_from(NUMBERS + HUGE_NUMBERS)
var = st.one_of(*[st.sampled_from(SYMBOLS)] * 8, st.sampled_from(["z", "s", "t", "E"]))
bound = st.one_of(number, var, st.sampled_from(["oo", "-oo", "-1", "1/2", "x", "2*y"]))


def interval_of(lo: str, hi: str, left: str, right: str) -> str:
    return f"{left}{lo}, {hi}{right}"


interval = st.builds(interval_of, bound, bound, st.sampled_from("[("), st.sampled_from("])"))


#: The built-in functions of one argument added with issues 13 and 15.
TRIG = ["sin", "cos", "tan", "arcsin", "asin", "arccos", "acos", "arctan", "atan", "sinh", "cosh", "tanh",
        "cbrt", "floor", "ceil"]


def _term(inner):
    args = st.lists(inner, min_size=0, max_size=4).map(", ".join)
    arity = {"sqrt": 1, "exp": 1, "ln": 1, "log": 1, "log2": 1, "log10": 1, "abs": 1, "f": 1, "g": 2,
             **dict.fromkeys(TRIG, 1), "Rf": 1, "Fn": 2}
    return st.one_of(
        st.tuples(st.sampled_from(sorted(arity)), st.lists(inner, min_size=2, max_size=2)).map(
            lambda t: f"{t[0]}({', '.join(t[1][:arity[t[0]]])})"),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^", "**"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.sampled_from(["+", "*", "^"]), inner).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
        inner.map(lambda t: f"-{t}"),
        st.tuples(st.sampled_from(["sqrt", "exp", "ln", "log", "log2", "log10", "abs", "min", "max",
                                   "f", "g", "K", "foo", "solve", "argmin", "diff", "limit",
                                   "integrate"]), args).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(inner, var).map(lambda t: f"diff({t[0]}, {t[1]})"),
        st.tuples(inner, var, st.sampled_from(["0", "2", "1/2", "-1", "x", "1e400"])).map(
            lambda t: f"diff({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, var, bound, bound).map(lambda t: f"integrate({t[0]}, {t[1]}, {t[2]}, {t[3]})"),
        st.tuples(inner, var, bound).map(lambda t: f"limit({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner, var).map(lambda t: f"solve({t[0]} = {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["argmin", "argmax"]), inner, var).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["f", "g", "Rf", "Fn"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.sampled_from(["k", "k", "n", "x"]), bound, bound).map(
            lambda t: f"sum({t[0]}, {t[1]}, {t[2]}, {t[3]})"),
        st.tuples(st.sampled_from(TRIG), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.sampled_from(["2", "10", "x", "1/2", "n"])).map(lambda t: f"log({t[0]}, {t[1]})"),
        st.tuples(inner, st.sampled_from(["n", "m", "k"]), st.sampled_from(["oo", "-oo", "1"])).map(
            lambda t: f"limit({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["x", "R", "y"]), var, var, inner).map(
            lambda t: f"{t[0]}^({t[1]}*{t[2]}) + ln({t[0]})*{t[3]}"),
    )


term = st.recursive(st.one_of(number, *[st.sampled_from(SYMBOLS)] * 4, st.sampled_from(NAMES)), _term, max_leaves=12)


def _formula(inner):
    binders = st.lists(st.one_of(var, st.builds(lambda v, i: f"{v} in {i}", var, interval)),
                       min_size=1, max_size=3).map(", ".join)
    point = st.one_of(term, st.lists(term, min_size=2, max_size=3).map(lambda p: "(" + ", ".join(p) + ")"))
    variables = st.one_of(var, st.lists(var, min_size=2, max_size=3).map(lambda p: "(" + ", ".join(p) + ")"))
    return st.one_of(
        inner.map(lambda f: f"not {f}"),
        inner.map(lambda f: f"({f})"),
        st.tuples(inner, st.sampled_from(["and", "or", "->", "<->"]), inner).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(st.sampled_from(["forall", "exists"]), binders, inner).map(
            lambda t: f"{t[0]} {t[1]}: {t[2]}"),
        st.tuples(st.sampled_from(["minimized_at", "maximized_at"]), term, variables, point,
                  st.one_of(st.just(""), inner.map(lambda f: ", " + f))).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]}, {t[3]}{t[4]})"),
        st.tuples(term, term, st.sampled_from(["", ", rel=0.01", ", abs=1e-3", ", rel=-1",
                                               ", tol=1", ", rel=x", ", 3"])).map(
            lambda t: f"approx({t[0]}, {t[1]}{t[2]})"),
    )


comparison = st.one_of(
    st.tuples(term, st.sampled_from(RELOPS), term).map(" ".join),
    st.tuples(term, st.sampled_from(RELOPS), st.sampled_from(["oo", "-oo"])).map(" ".join),
    st.tuples(term, st.sampled_from(RELOPS), term, st.sampled_from(RELOPS), term).map(" ".join),
    st.sampled_from(["true", "false", "x", "1", "x + 1"]))
formula = st.recursive(comparison, _formula, max_leaves=8)

#: Every recursive construct of the grammar, nested `depth` times.
NESTERS = {
    "parens": lambda d: "(" * d + "x" + ")" * d + " > 0",
    "neg": lambda d: "-" * d + "x > 0",
    "plus": lambda d: "+" * d + "x > 0",
    "not": lambda d: "not " * d + "x > 0",
    "tower": lambda d: "^".join(["x"] * d) + " > 0",
    "sum": lambda d: " + ".join(["x"] * d) + " > 0",
    "sqrt": lambda d: "sqrt(" * d + "x" + ")" * d + " >= 0",
    "min": lambda d: "min(" * d + "x" + ", 1)" * d + " >= 0",
    "forall": lambda d: "forall x in [0, 1]: " * d + "x >= 0",
    "implies": lambda d: "x > 0 -> " * d + "x > 0",
    "paren-formula": lambda d: "(" * d + "x > 0" + ")" * d,
    "f": lambda d: "f(" * d + "x" + ")" * d + " > 0",
    "interval": lambda d: "forall z in [" * d + "0" + ", 1]: z >= 0" * d,
    "neg-number": lambda d: "-(" * d + "1" + ")" * d + " < 0",
}
deep = st.builds(lambda kind, d: NESTERS[kind](d), st.sampled_from(sorted(NESTERS)),
                 st.sampled_from([5, 50, 99, 100, 101, 150, 200, 400, 1000, 3000]))


@st.composite
def mutated(draw, base):
    """`base` text with a few characters inserted, deleted or replaced."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(text)))
        junk = draw(st.one_of(*[st.sampled_from(list("()[],:^*/+-<>=!.e0x ")
                                                + ["\n", "oo", "in", "not", "forall x:", "**", "1e", "sqrt("])] * 6,
                              st.sampled_from(list("\\\"'{}$\x00\u00e9\U0001f600\ufffd")), st.text(max_size=3)))
        cut = draw(st.integers(0, 2))
        text = text[:i] + junk + text[i + cut:]
    return text


extreme = st.builds(lambda f, n: f.replace("1", n, 1) if "1" in f else f"{f} and {n} > 0", formula, extreme_number)
any_formula = st.one_of(*[formula] * 6, extreme, deep, mutated(formula), mutated(deep))
any_term = st.one_of(*[term] * 5, mutated(term))

LATEX = [r"\frac{a}{b}", r"\frac{x}{", r"\sqrt{x}", r"\sqrt[3]{x}", "x^{2}", r"\left(", r"\right)",
         r"\cdot", r"\ln", r"\exp", r"\alpha", "{", "}", "\\", "x", "y", "1", "+", "-", r"\times",
         r"\mathrm{d}", r"\operatorname{foo}", r"\min", r"\max", r"\log_{2}", "_", "^", r"\pi",
         r"\infty", r"\int_0^1", r"\sum", r"\begin{cases}", "&", r"\\", r"\text{}", "%", "$"]
latex = st.lists(st.sampled_from(LATEX), min_size=0, max_size=12).map("".join)


# -- TOML values of every type, and a small writer ---------------------------------------

class Raw(str):
    """TOML text written as it is (nan, inf, dates, huge integers, hex)."""


RAW_VALUES = ["nan", "inf", "-inf", "+nan", "1979-05-27T07:32:00Z", "1979-05-27", "07:32:00",
              "0x1F", "0o17", "0b101", "1_000", "1e99999", "1e-99999", "-0.0", "-0"]
#: Only in the `timeout` of a claim: one of them makes the whole file unreadable.
HUGE_VALUES = ["9" * 5000, "-" + "9" * 5000, "0.1e" + "9" * 5000, "1." + "1" * 5000]
raw_value = st.sampled_from(RAW_VALUES).map(Raw)

scalar = st.one_of(st.text(max_size=20), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                   st.booleans(), raw_value)
wild = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["id", "domain", "expr", "latex", "text", "integer", "x", "a b"]),
                    inner, max_size=3)), max_leaves=6)


def sometimes(good, p_bad: int = 10, bad=wild):
    """Mostly `good`, now and then (about 1 in `p_bad`) `bad`, by default a value of any
    type. (Not `one_of(good, ..., good, bad)`: hypothesis draws its branches far from
    evenly, nor `i % p_bad == 0` for an integer i: it draws 0 one time in five.)"""
    return st.integers(0, 10**6).flatmap(lambda i: bad if i % p_bad == p_bad // 2 + 1 else good)


def toml_key(key: str) -> str:
    if key and all(c.isalnum() or c in "_-" for c in key) and key.isascii():
        return key
    return toml_value(key)


def toml_value(v) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        out = []
        for c in v:
            if c in '"\\':
                out.append("\\" + c)
            elif ord(c) < 0x20 or ord(c) == 0x7f or 0xd800 <= ord(c) <= 0xdfff:
                out.append(f"\\u{ord(c):04x}" if not 0xd800 <= ord(c) <= 0xdfff else "?")
            else:
                out.append(c)
        return '"' + "".join(out) + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def toml_file(sections: list[tuple[str, dict]]) -> str:
    lines = []
    for header, table in sections:
        lines.append(header)
        for k, v in table.items():
            lines.append(f"{toml_key(k)} = {toml_value(v)}")
        lines.append("")
    return "\n".join(lines)


# -- grammar-aware claim files -----------------------------------------------------------

symbol_entry = st.one_of(
    interval, interval, mutated(interval),
    st.fixed_dictionaries({"domain": sometimes(interval)},
                          optional={"integer": sometimes(st.booleans()), "text": sometimes(st.text(max_size=10))}),
    wild)
symbols = st.dictionaries(st.sampled_from(SYMBOLS + ["z", "in", "sqrt", "1x", "a-b", "E", "t"]),
                          symbol_entry, max_size=6)
definitions = st.dictionaries(
    st.sampled_from(["f(x)", "g(x, y)", "K", "c0", "f(x, x)", "h(", "sqrt(x)", "f(oo)", "k(n)", "f"]),
    st.one_of(any_term, st.fixed_dictionaries({"expr": sometimes(any_term)}),
              st.fixed_dictionaries({"latex": sometimes(latex)}), wild), max_size=5)
claim_ids = st.one_of(st.sampled_from(["c1", "c2", "c3", "claim-a", "../x", "x y", ""]),
                      st.text(max_size=8))
claim = st.fixed_dictionaries(
    {"id": sometimes(claim_ids, 10), "formula": sometimes(any_formula, 10)},
    optional={"expect": sometimes(st.sampled_from(["holds", "fails", "maybe"])),
              "timeout": st.one_of(st.sampled_from([1, 0.5, 0, -1, 1e308, 10**30]),
                                   st.sampled_from(["nan", "inf", "-inf"]).map(Raw), wild,
                                   st.sampled_from(HUGE_VALUES).map(Raw)),
              "tolerance": sometimes(st.one_of(number, st.floats(0, 1))),
              "assume": sometimes(any_formula),
              "check": sometimes(st.booleans()),
              "reason": sometimes(st.text(max_size=10)),
              "says": sometimes(st.text(max_size=20)),
              "region": sometimes(st.fixed_dictionaries(
                  {"params": sometimes(st.sampled_from(["x", "x, y", "q"]))},
                  optional={"of": sometimes(any_formula), "stated": sometimes(any_formula)})),
              "bogus": wild})
table = st.fixed_dictionaries(
    {"id": sometimes(claim_ids), "params": sometimes(st.lists(st.sampled_from(SYMBOLS + ["q"]), max_size=2)),
     "formula": sometimes(any_term),
     "rows": sometimes(st.lists(st.lists(sometimes(st.one_of(st.sampled_from(["1/2", "0.34*0.28", "x", "1e5000"]),
                                                            st.floats(allow_nan=True),
                                                            raw_value,
                                                            st.integers())), max_size=2), max_size=3))},
    optional={"paper": wild, "labels": wild, "expect": wild, "tolerance": wild, "timeout": wild})
variant = st.fixed_dictionaries(
    {"id": sometimes(claim_ids), "param": sometimes(st.sampled_from(SYMBOLS))},
    optional={"family": sometimes(st.sampled_from(["linear", "power", "bogus"])), "expr": sometimes(any_term),
              "symbols": sometimes(st.dictionaries(st.sampled_from(["c", "d", "x"]), sometimes(interval), max_size=2)),
              "var": wild, "at": wild, "says": wild})


#: Function symbols (issue 13) the generated formulas call: Rf(x), Fn(x, y).
FUNCTIONS = ('[functions.Rf]\nargs = ["a"]\ndomain = "(0, oo)"\nshape = ["nonincreasing", "convex"]\n'
             'values = "(1, oo)"\n[functions.Fn]\nargs = ["u", "v"]\ndomain = ["(0, oo)", "[0, 1]"]\n'
             'shape = ["decreasing in u", "increasing in v"]\ndifferentiable = true\n')
shape_word = st.sampled_from(["increasing", "decreasing", "nondecreasing", "non-increasing", "convex", "concave",
                              "positive", "nonnegative", "decreasing in u", "increasing in v", "increasing in q",
                              "bogus", "", "convex in u"])
function_table = st.fixed_dictionaries(
    {"args": sometimes(st.one_of(st.just(["a"]), st.just(["u", "v"]), st.just("a"), st.just(["u", "u"]),
                                 st.just(["x"]), st.just(["1a"]), st.just([])))},
    optional={"domain": sometimes(st.one_of(interval, st.lists(interval, max_size=3))),
              "shape": sometimes(st.lists(shape_word, max_size=3)),
              "values": sometimes(st.one_of(interval, st.sampled_from(["(0, a]", "[u, oo)", "(x, oo)", "(1, 0)"]))),
              "differentiable": sometimes(st.booleans()), "text": sometimes(st.text(max_size=5)), "bogus": wild})


@st.composite
def claim_files(draw, n_claims: int = 4) -> str:
    sections: list[tuple[str, dict]] = []
    paper = draw(st.one_of(st.just({"id": "fuzz", "title": "Fuzz"}),
                           st.just({"id": "fuzz"}),
                           st.fixed_dictionaries({"id": sometimes(st.just("fuzz"), 12)},
                                                 optional={"title": wild, "source": wild})))
    sections.append(("[paper]", paper))
    syms = draw(st.one_of(st.just({"x": "(0, oo)", "y": "[0, 1]", "n": {"domain": "[1, 10]", "integer": True},
                                   "S": "[0, 1]", "R": "(1, oo)"}), symbols))
    sections.append(("[symbols]", syms))
    for name in draw(st.lists(st.sampled_from(["Rf", "Fn", "x", "sqrt", "f"]), max_size=2, unique=True)):
        sections.append((f"[functions.{name}]", draw(function_table)))
    sections.append(("[define]", draw(definitions)))
    for c in draw(st.lists(claim, min_size=0, max_size=n_claims)):
        sections.append(("[[claim]]", c))
    if draw(st.integers(0, 5)) == 0:
        sections.append(("[[table]]", draw(table)))
    if draw(st.integers(0, 5)) == 0:
        sections.append(("[[variant]]", draw(variant)))
    shape = draw(st.integers(0, 12))
    if shape == 0:  # a section of the wrong type
        sections.append(("", {draw(st.sampled_from(["claim", "symbols", "define", "variant", "table"])): draw(wild)}))
        sections.insert(0, sections.pop())
    elif shape == 1:
        sections.append(("[unknown]", {"a": 1}))
    return toml_file(sections)


@fuzz_settings(1.0)
@given(claim_files())
def test_fuzz_generated_claim_files_load_cleanly(text):
    assert_clean(lambda: lawproof.loads(text, "fuzz.claims.toml"))


FORMULA_HEAD = '[paper]\nid = "f"\n[symbols]\nx = "(0, oo)"\ny = "[0, 1]"\nn = { domain = "[1, 10]", integer = true }\n' \
               'S = "[0, 1]"\nR = "(1, oo)"\n' + FUNCTIONS + '[define]\n"f(x)" = "x^2 + 1"\n"g(x, y)" = "x/y"\nK = "2"\n'


@fuzz_settings(0.2)
@given(any_formula)
def test_fuzz_formulas_parse_cleanly(formula_text):
    assert_clean(lambda: lawproof.loads(FORMULA_HEAD + "[[claim]]\nid = \"c\"\nformula = " + toml_value(formula_text)
                                        + "\n", "formula.claims.toml"))


# -- [[plot]] tables, drawn ----------------------------------------------------------------

PLOT_HEAD = ('[paper]\nid = "plots"\n[symbols]\nx = "(0, oo)"\ny = "[0, 1]"\nS = { domain = "[0, 1]", text = "a <b>" }\n'
             'n = { domain = "[1, 10]", integer = true }\n[define]\n"f(x)" = "x^2 + S"\n')
odd_plot_number = st.one_of(st.sampled_from([-1, "10^400", "-10^400", "exp(1000)", "1e-300", "x", "S", "sqrt(-1)",
                                             "oo", "1/0", "ln(0)", "1e308", "2e308"]), number)
plot_number = sometimes(st.sampled_from([0, 1, 2, 0.5, "1/2", "1e-3", "pi", 100]), 5, odd_plot_number)


def plot_sometimes(good):
    """Mostly `good` (a plot table has many keys: each is rarely of a wrong type)."""
    return sometimes(good, 40)


plot_axis = st.fixed_dictionaries(
    {"symbol": plot_sometimes(st.sampled_from(["x", "x", "y", "S", "n", "q"])),
     "from": plot_sometimes(sometimes(st.sampled_from([0, "1e-3", "1/2"]), 5, odd_plot_number)),
     "to": plot_sometimes(sometimes(st.sampled_from([1, 2, 100, "pi"]), 5, odd_plot_number))},
    optional={"scale": plot_sometimes(st.sampled_from(["linear", "log", "log", "sqrt"])),
              "label": plot_sometimes(st.text(max_size=8))})
value_axis = st.one_of(st.just({}), st.fixed_dictionaries({}, optional={
    "from": plot_number, "to": plot_number, "scale": st.sampled_from(["linear", "log"]), "label": st.text(max_size=8)}),
    plot_axis)
plot_expr = st.one_of(*[term] * 4, mutated(term), st.sampled_from(["f(x)", "x^x^x", "1/(x - 1/2)", "exp(1000*x)",
                                                                   "ln(x - 1)", "sqrt(S - x)", "min(x, S)", "x*S*y"]))
plot_curves = st.lists(st.fixed_dictionaries({"expr": plot_sometimes(plot_expr)}, optional={"label": plot_sometimes(st.text(max_size=8))}),
                       min_size=1, max_size=2)
plot_table = st.fixed_dictionaries(
    {"id": plot_sometimes(st.sampled_from(["pl", "pl2", "p-3"])), "x": plot_sometimes(plot_axis),
     "kind": plot_sometimes(st.sampled_from(["curve", "curve", "region"])), "curves": plot_sometimes(plot_curves),
     "points": plot_sometimes(st.just(8))},
    optional={"title": plot_sometimes(st.text(max_size=10)), "caption": plot_sometimes(st.text(max_size=10)),
              "y": plot_sometimes(value_axis),
              "family": plot_sometimes(st.fixed_dictionaries({"symbol": plot_sometimes(st.sampled_from(["S", "y", "x"])),
                                                         "values": plot_sometimes(st.lists(plot_number, max_size=3))})),
              "fix": plot_sometimes(st.dictionaries(st.sampled_from(["S", "y", "n", "q"]), plot_number, max_size=2)),
              "shade": plot_sometimes(st.fixed_dictionaries({"expr": plot_sometimes(plot_expr)},
                                                       optional={"where": plot_sometimes(any_formula),
                                                                 "otherwise": plot_sometimes(plot_number),
                                                                 "label": plot_sometimes(st.text(max_size=8))}))})


@fuzz_settings(0.02)
@given(st.lists(plot_table, min_size=1, max_size=2))
def test_fuzz_plot_tables_draw_cleanly(tables):
    """`[[plot]]` tables are read when a report is written: every problem is a
    ClaimInputError naming the file, and every drawn SVG is well-formed XML."""
    from xml.etree import ElementTree

    from lawproof.report.plots import draw_plots

    path = _TMP / "plots.claims.toml"
    path.write_text(PLOT_HEAD + "".join(toml_file([("[[plot]]", t)]) for t in tables))
    cf = assert_clean(lambda: lawproof.load(path))
    if cf is None:
        return
    with wall_clock(120, "drawing"):
        plots, problems = draw_plots(cf.theory)
    for e in problems:
        assert isinstance(e, ClaimInputError) and e.file == str(path), repr(e)
    for plot in plots:
        ElementTree.fromstring(plot.svg.encode())


# -- byte-level mutation of the bundled packs --------------------------------------------

_TMP = Path(tempfile.mkdtemp(prefix="lawproof-fuzz-"))

mutation = st.tuples(st.sampled_from(["flip", "insert", "delete", "duplicate", "splice", "replace"]),
                     st.floats(0, 1), st.floats(0, 1),
                     st.one_of(st.binary(min_size=1, max_size=8),
                               st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\x80\x80", b"\xed\xa0\x80",
                                                b"\x00", b"\r", b"\n[[claim]]\n", b"\n[paper]\n", b'"""',
                                                b"= {", b"[", b"]", b"nan", b"9" * 5000, b"(" * 2000])))


def mutate(data: bytes, other: bytes, edits) -> bytes:
    for op, where, length, junk in edits:
        i = int(where * len(data))
        n = int(length * 200)
        if op == "flip" and data:
            i = min(i, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ (1 << int(length * 7.99))]) + data[i + 1:]
        elif op == "insert":
            data = data[:i] + junk + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + n:]
        elif op == "duplicate":
            data = data[:i + n] + data[i:i + n] + data[i + n:]
        elif op == "splice":
            j = int(length * len(other))
            data = data[:i] + other[j:j + 400] + data[i:]
        else:
            data = data[:i] + junk + data[i + len(junk):]
    return data


@fuzz_settings(0.5)
@given(st.integers(0, len(PACKS) - 1), st.integers(0, len(PACKS) - 1), st.lists(mutation, min_size=1, max_size=6))
def test_fuzz_mutated_packs_load_cleanly(which, other, edits):
    data = mutate(PACKS[which], PACKS[other], edits)
    path = _TMP / "mutated.claims.toml"
    path.write_bytes(data)
    assert_clean(lambda: lawproof.load(path))
    assert_clean(lambda: lawproof.loads(data.decode("utf-8", errors="replace"), str(path)))


# -- a few full checks ---------------------------------------------------------------------

# Formulas that read without an input error (declared names, right arities), so that a
# full check reaches the engine's methods; the generated ones above mostly do not.
clean_leaf = st.one_of(st.sampled_from(["x", "y", "n", "S", "R", "K", "pi", "m"]),
                       st.sampled_from(["0", "1", "2", "3", "1/2", "10", "0.25", "1e-3", "7/3"]))


def _clean_term(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.sampled_from(["2", "3", "1/2", "-1", "x", "y", "n", "10"])).map(lambda t: f"({t[0]})^{t[1]}"),
        st.tuples(st.sampled_from(["sqrt", "exp", "ln", "abs", "f", "Rf", *TRIG]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max", "Fn"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, st.sampled_from(["x", "y"])).map(lambda t: f"diff({t[0]}, {t[1]})"),
        st.tuples(inner, st.sampled_from(["0", "1", "y"]), st.sampled_from(["1", "2", "oo"])).map(
            lambda t: f"integrate({t[0]}, x, {t[1]}, {t[2]})"),
        st.tuples(inner, st.sampled_from(["0", "oo", "1"])).map(lambda t: f"limit({t[0]}, x, {t[1]})"),
        st.tuples(inner, st.sampled_from(["1", "0"]), st.sampled_from(["n", "3", "10"])).map(
            lambda t: f"sum({t[0]}, k, {t[1]}, {t[2]})"),
        # the language's later additions (issues 13-16): sequence limits over an integer
        # symbol, logarithms to a base, powers the power substitution reads (x^(r*c) with
        # ln x), integer symbols inside functions
        st.tuples(inner, st.sampled_from(["oo", "oo", "-oo"])).map(lambda t: f"limit({t[0]}, m, {t[1]})"),
        st.tuples(st.sampled_from(["log2", "log10"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["x", "R"]), st.sampled_from(["y*R", "2*S", "S*R", "n*y", "K*S"]), inner).map(
            lambda t: f"({t[0]}^({t[1]}) - {t[2]}*ln({t[0]}))"),
        st.tuples(st.sampled_from(["f", "Rf", "sqrt", "ln", "exp", "floor", "sin"]),
                  st.sampled_from(["n", "m", "n + 1", "m/2", "n*x", "1/m"])).map(lambda t: f"{t[0]}({t[1]})"),
    )


clean_term = st.recursive(clean_leaf, _clean_term, max_leaves=6)


def _one_variable_term(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.sampled_from(["2", "1/2", "-1", "w", "(2*w)"])).map(lambda t: f"({t[0]})^{t[1]}"),
        st.tuples(st.sampled_from(["sqrt", "exp", "ln", "log2", "abs", "sin", "atan", "floor"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
    )


#: A closed `forall`/`exists` (no free symbol: refuted at an exact point, or proved).
one_variable_term = st.recursive(st.sampled_from(["w", "w", "1", "2", "1/2", "pi", "3"]), _one_variable_term, max_leaves=4)
closed_formula = st.tuples(
    st.sampled_from(["forall", "exists"]),
    st.sampled_from(["w in (0, oo)", "w in (0, 1]", "w in [1, 2]", "w in [-1, 1]", "w in [0, oo)"]),
    one_variable_term, st.sampled_from(RELOPS), st.one_of(one_variable_term, st.sampled_from(["oo", "-oo"]))).map(
    lambda t: f"{t[0]} {t[1]}: {t[2]} {t[3]} {t[4]}")


def _clean_formula(inner):
    return st.one_of(
        inner.map(lambda f: f"not ({f})"),
        st.tuples(inner, st.sampled_from(["and", "or", "->", "<->"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(st.sampled_from(["forall", "exists"]), st.sampled_from(["z in [0, 1]", "z in (0, oo)", "x", "y, S"]),
                  inner).map(lambda t: f"{t[0]} {t[1]}: {t[2]}"),
        st.tuples(st.sampled_from(["minimized_at", "maximized_at"]), clean_term, st.sampled_from(["x", "y"]),
                  clean_term).map(lambda t: f"{t[0]}({t[1]}, {t[2]}, {t[3]})"),
        st.tuples(clean_term, clean_term).map(lambda t: f"approx({t[0]}, {t[1]}, rel=0.01)"),
        closed_formula,
    )


clean_comparison = st.one_of(st.tuples(clean_term, st.sampled_from(RELOPS), clean_term).map(" ".join),
                             st.tuples(clean_term, st.sampled_from(RELOPS), st.sampled_from(["oo", "-oo"])).map(" ".join),
                             st.tuples(st.sampled_from(["oo", "-oo"]), st.sampled_from(RELOPS), clean_term).map(" ".join),
                             st.tuples(clean_term, st.sampled_from(["<", "<="]), clean_term, st.sampled_from(["<", "<="]),
                                       clean_term).map(" ".join))
clean_formula = st.recursive(clean_comparison, _clean_formula, max_leaves=3).map(
    lambda f: f.replace("z", "x") if "forall z" not in f and "exists z" not in f else f)


@st.composite
def checkable_files(draw) -> str:
    head = ('[paper]\nid = "chk"\n[symbols]\nx = "(0, oo)"\ny = "[0, 1]"\nn = { domain = "[1, 10]", integer = true }\n'
            'S = "[0, 1]"\nR = "(1, oo)"\nm = { domain = "[1, oo)", integer = true }\n' + FUNCTIONS
            + '[define]\n"f(x)" = "x^2 + 1"\nK = "2"\n')
    claims = draw(st.lists(sometimes(clean_formula, 3, st.one_of(formula, mutated(formula))), min_size=1, max_size=3))
    body = "".join(f'[[claim]]\nid = "c{i}"\ntimeout = 1\nformula = {toml_value(f)}\n' for i, f in enumerate(claims))
    return head + body


@settings(max_examples=CHECKS, derandomize=DERANDOMIZE, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(checkable_files())
def test_fuzz_full_checks_end_in_a_verdict(text):
    cf = assert_clean(lambda: lawproof.loads(text, "chk.claims.toml"))
    if cf is None:
        return
    start = time.perf_counter()
    # generous: a claim's own limit is 1 s; this only keeps a runaway check from hanging CI
    with wall_clock(60 + 20 * len(cf.claims), "checking"):
        fr = lawproof.check_file(cf)
    assert len(fr.results) == len(cf.claims)
    for r in fr.results:
        assert r.verdict in VERDICTS, r
    assert time.perf_counter() - start >= 0


# -- deep nesting: a documented limit, not a RecursionError ------------------------------

@pytest.mark.parametrize("kind", sorted(NESTERS))
@pytest.mark.parametrize("depth", [10, 200, 5000])
def test_deep_nesting_is_an_input_error_or_fine(kind, depth):
    head = '[paper]\nid = "deep"\n[symbols]\nx = "(0, oo)"\n[define]\n"f(x)" = "x + 1"\n'
    text = head + '[[claim]]\nid = "c"\nformula = ' + toml_value(NESTERS[kind](depth)) + "\n"
    cf = assert_clean(lambda: lawproof.loads(text, "deep.claims.toml"))
    assert cf is not None
    if depth >= 5000 and kind not in ("sum", "parens", "paren-formula", "plus"):  # flat trees
        err = cf.claims[0].error
        assert err is not None and "nested deeper than" in err.message, (kind, err)
    if depth <= 10 and kind != "interval":  # a quantifier is no bound: an error, not a crash
        assert cf.claims[0].error is None, cf.claims[0].error


# -- the longer run of full checks, bounded ----------------------------------------------

def test_fuzz_check_run_finds_nothing():
    """A few files through tests/fuzz_checks.py, the documented longer run."""
    from fuzz_checks import run

    summary = run(files=max(2, CHECKS // 2), seed=16)
    assert summary.files >= 1 and not summary.findings, "\n".join(summary.lines(3))
