"""Load `*.claims.toml` files into a Theory and its Claims.

Every problem becomes a ClaimInputError that names the file, the claim and the
line/column; a bad claim is kept (with its error) so that the others still run.
"""
from __future__ import annotations

import contextlib
import json
import math
import re
import stat
import threading
import tomllib
import traceback
from pathlib import Path
from typing import Any, Callable, Iterator

import sympy

from .claims import (CURVATURE, EXPECTATIONS, MONOTONE, Claim, ClaimFile, Definition, FunctionSymbol, RegionSpec,
                     SymbolInfo, Table, Theory)
from .domain import Domain
from .errors import BackendTimeout, ClaimInputError, type_name, unknown_key_fix
from .files import id_problem, suggest_id
from .latex import latex_to_ascii
from .timeout import time_limit
from .variant_specs import read_specs
from .parser import BUILTINS, CONSTANTS, KEYWORDS, SHADOWABLE, Namespace, make_symbol, parse_definition, parse_term, \
    parse_formula, parse_interval, emptiness

PAPER_KEYS = {"id", "title", "source"}
SYMBOL_KEYS = {"domain", "integer", "text"}
DEFINITION_KEYS = {"latex", "expr"}
CLAIM_KEYS = {"id", "says", "where", "formula", "expect", "assume", "timeout",
              "tolerance", "check", "reason", "region"}
REGION_KEYS = {"params", "of", "stated"}
FUNCTION_KEYS = {"args", "domain", "shape", "values", "differentiable", "text"}
TABLE_KEYS = {"id", "says", "where", "params", "rows", "formula", "paper", "labels", "expect",
              "tolerance", "timeout"}
#: What a `paper` entry of a table says when the paper's value is not known.
UNKNOWN = "unknown"
#: A table header line: `[symbols]`, `[[claim]]`, `[functions.R]`, `[define."T(a)"]`.
_HEADER = re.compile(r'^\s*\[\[?\s*(?:[A-Za-z_][\w.]*|[A-Za-z_][\w.]*\."[^"\n]*")\s*\]\]?\s*(#.*)?$')


class _TomlFloat(float):
    """A TOML float that keeps its text, so that `0.46` is read as exactly 46/100 and
    its written precision (half a unit in the last digit) is known."""

    text: str

    def __new__(cls, text: str) -> "_TomlFloat":
        value = super().__new__(cls, text)
        value.text = text.replace("_", "")
        return value
_NAME = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?:\((\s*[A-Za-z_]\w*\s*(?:,\s*[A-Za-z_]\w*\s*)*)\))?\s*$")


class _Source:
    """The raw text of a claim file, for turning positions in values into file positions."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._starts: dict[str, list[int]] = {}
        self._ends: dict[int, int] = {}
        self._headers: dict[str, int] | None = None

    def section_lines(self, header: str) -> range:
        """The lines after the table header `header` (`[symbols]`) up to the next header;
        range(0) when the file has no such header."""
        if self._headers is None:  # once: a file with many entries loads in linear time
            self._headers = {}
            for i, ln in enumerate(self.lines):
                if _HEADER.match(ln):
                    self._headers.setdefault(ln.split("#", 1)[0].strip(), i)
        start = self._headers.get(header)
        if start is None:
            return range(0)
        return range(start + 1, self._end(start))

    def claim_lines(self, index: int, header: str = "[[claim]]") -> range:
        """The lines of the `index`-th block opened by `header` (`[[claim]]`, `[[table]]`)."""
        starts = self._starts.get(header)
        if starts is None:  # once per header: files with thousands of claims load in linear time
            starts = self._starts[header] = [i for i, ln in enumerate(self.lines) if ln.strip() == header]
        if index >= len(starts):
            return range(0)
        return range(starts[index], self._end(starts[index]))

    def _end(self, start: int) -> int:
        # a header line, not a line of a multi-line array such as `rows = [`
        if start in self._ends:
            return self._ends[start]
        end = self._ends[start] = next(
            (i for i in range(start + 1, len(self.lines)) if _HEADER.match(self.lines[i])), len(self.lines))
        return end

    def key(self, lines: range, key: str) -> tuple[int | None, int | None]:
        """1-based (line, column of the value's first character) of `key = "..."`."""
        pat = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=\s*')
        for i in lines:
            m = pat.match(self.lines[i])
            if m:
                return self._value(i, m.end())
        return (lines.start + 1 if len(lines) else None), None

    def entry(self, section: str, name: str, key: str) -> tuple[int | None, int | None]:
        """Where `key` of the entry `name` of `[section]` has its value: in a table of its
        own (`[symbols.M]` then `domain = "..."`) or an inline one (`M = { domain = "..." }`).
        An entry written as a plain string (`M = "..."`) is that string."""
        for header in (f"[{section}.{name}]", f'[{section}."{name}"]'):
            sub = self.section_lines(header)
            if len(sub):
                return self.key(sub, key)
            if sub.start:  # the table exists but is empty: its header line
                return sub.start, None
        line, col = self.key(self.section_lines(f"[{section}]"), name)
        if line is None or col is None or not self.lines[line - 1][col - 1:].startswith("{"):
            return line, col
        m = re.compile(r'[{,]\s*"?' + re.escape(key) + r'"?\s*=\s*').search(self.lines[line - 1], col - 1)
        return self._value(line - 1, m.end()) if m else (line, col)

    def _value(self, index: int, start: int) -> tuple[int, int]:
        """1-based (line, column) of the first character of a value that starts at
        `start` on line `index` (0-based), inside its quotes."""
        rest = self.lines[index][start:]
        for quote in ('"""', "'''", '"', "'"):
            if rest.startswith(quote):
                if quote in ('"""', "'''") and rest == quote:
                    return index + 2, 1
                return index + 1, start + 1 + len(quote)
        return index + 1, start + 1

    @staticmethod
    def shift(err: ClaimInputError, at: tuple[int | None, int | None]) -> None:
        """Turn a position inside a value into a position in the file."""
        line, col = at
        if line is None:
            return
        if err.line is None:
            err.line, err.column = line, col
        elif err.line == 1 and col is not None and err.column is not None:
            err.line, err.column = line, col + err.column - 1
        else:
            err.line = line + err.line - 1


def load(path: str | Path) -> ClaimFile:
    """Read a claim file. Raises ClaimInputError only when the file as a whole is
    unreadable (missing, not a regular file, over MAX_FILE_BYTES, not UTF-8, not TOML,
    no [paper], over MAX_CLAIMS claims); problems inside one claim or one definition are
    collected on the result instead."""
    return loads(read(path), str(Path(path)))


def read(path: str | Path) -> str:
    """A claim file's text (`loads(read(path), str(Path(path)))` is `load(path)`);
    ClaimInputError when it cannot be read as one."""
    p = Path(path)
    try:
        info = p.stat()
        if not stat.S_ISREG(info.st_mode):
            # a FIFO or device would block the read; a folder is not a claim file
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise ClaimInputError(f"the claim file is {kind}",
                                  fix="give a *.claims.toml file (`lawproof check` also takes a folder of them)",
                                  file=str(p))
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(str(p), info.st_size)
        with p.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise ClaimInputError(f"cannot read the claim file ({e.strerror or e})",
                              fix="check the path", file=str(p)) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(str(p), len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = len(data[data.rfind(b"\n", 0, e.start) + 1:e.start].decode("utf-8", "replace")) + 1
        raise ClaimInputError(f"the file is not UTF-8 text (byte {data[e.start]:#04x} at offset {e.start})",
                              fix="save the file as UTF-8", file=str(p), line=line, column=column) from None
    return text


#: A claim file larger than this, or with more claims (counting table rows), is refused.
MAX_FILE_BYTES = 5_000_000
MAX_CLAIMS = 10_000


def _too_large(path: str, size: int) -> ClaimInputError:
    return ClaimInputError(f"the claim file has {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}",
                           fix="split it into several claim files", file=path)


#: TOML integers longer than this are refused (no field of a claim file needs one, and
#: exact arithmetic on them is the parser's to bound, in formulas).
MAX_INT_DIGITS = 4000


def _has_huge_int(value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() > MAX_INT_DIGITS * 3.33
    if isinstance(value, dict):
        return any(_has_huge_int(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_huge_int(v) for v in value)
    return False


def _huge_number(text: str, path: str) -> ClaimInputError:
    m = re.search(r"[0-9][0-9_]{%d,}" % MAX_INT_DIGITS, text)
    line = text.count("\n", 0, m.start()) + 1 if m else None
    return ClaimInputError("not valid TOML: a number with thousands of digits",
                           fix="write a shorter number, or put it in a formula string",
                           file=path, line=line)


def loads(text: str, path: str = "<memory>") -> ClaimFile:
    """Read a claim file's text (see `load`)."""
    if len(text) > MAX_FILE_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise _too_large(path, len(text.encode("utf-8", "surrogatepass")))
    try:
        data = tomllib.loads(text, parse_float=_TomlFloat)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+), column (\d+)", str(e))
        raise ClaimInputError(f"not valid TOML: {e}", fix="check quotes and brackets near that line",
                              file=path, line=int(m.group(1)) if m else None,
                              column=int(m.group(2)) if m else None) from None
    except ValueError:
        # tomllib lets Python's int() fail on an integer beyond Python's digit limit
        raise _huge_number(text, path) from None
    if _has_huge_int(data):
        raise _huge_number(text, path)
    src = _Source(text)
    paper = data.get("paper")
    paper_lines = src.section_lines("[paper]")
    if not isinstance(paper, dict) or "id" not in paper:
        raise ClaimInputError("the file has no [paper] table with an id",
                              fix='start the file with [paper] and id = "short-slug"', file=path)
    if not isinstance(paper["id"], str):
        raise ClaimInputError(f"the paper id must be a string (got {type_name(paper['id'])})",
                              fix=f'write id = "{suggest_id(str(paper["id"]))}"', file=path,
                              line=src.key(paper_lines, "id")[0])
    if (problem := id_problem(paper["id"])) is not None:  # the id names the report's files
        raise ClaimInputError(f"the paper id {problem}", fix=f'write id = "{suggest_id(paper["id"])}"',
                              file=path, line=src.key(paper_lines, "id")[0])
    theory = Theory(id=paper["id"], title=str(paper.get("title", "")),
                    source=str(paper.get("source", "")), path=path)
    out = ClaimFile(theory)
    _warn_unknown_keys(paper, PAPER_KEYS, "[paper]", out, lambda k: src.key(paper_lines, k)[0])
    for section in set(data) - {"paper", "symbols", "functions", "define", "claim", "table", "plot", "variant"}:
        out.errors.append(ClaimInputError(f"unknown section [{section}]",
                                          fix="use [paper], [symbols], [functions.NAME], [define], [[claim]], "
                                              "[[table]], [[plot]] and [[variant]]",
                                          file=path))
    _load_symbols(data.get("symbols", {}), theory, out, src)
    _load_functions(data.get("functions", {}), theory, out, src)
    _load_definitions(data.get("define", {}), theory, out, src)
    claims = data.get("claim", [])
    if not isinstance(claims, list):
        out.errors.append(ClaimInputError("claim must be an array of tables, written [[claim]]",
                                          fix="start each claim with a [[claim]] line", file=path))
        claims = []
    tables = data.get("table", [])
    if not isinstance(tables, list):
        out.errors.append(ClaimInputError("table must be an array of tables, written [[table]]",
                                          fix="start each table with a [[table]] line", file=path))
        tables = []
    count = len(claims) + sum(len(t["rows"]) if isinstance(t, dict) and isinstance(t.get("rows"), list) else 1
                              for t in tables)
    if count > MAX_CLAIMS:
        raise ClaimInputError(f"the file has {count:,} claims (with table rows), more than the limit of "
                              f"{MAX_CLAIMS:,}", fix="split it into several claim files", file=path)
    seen: set[str] = set()

    def add(claim: Claim) -> None:
        if claim.id in seen and claim.error is None:
            claim.error = ClaimInputError(f"the id '{claim.id}' is used twice",
                                          fix="give every claim and table its own id", file=path,
                                          claim=claim.id, line=claim.line)
        seen.add(claim.id)
        out.claims.append(claim)

    for index, raw in enumerate(claims):
        try:
            claim = _load_claim(raw, index, theory, src)
            claim.source = canonical(raw)
        except Exception as e:  # a bug of lawproof: this claim is an error, the others still load
            cid = raw.get("id") if isinstance(raw, dict) else None
            cid = cid if isinstance(cid, str) and id_problem(cid) is None else f"#{index + 1}"
            lines = src.claim_lines(index)
            line = lines.start + 1 if len(lines) else None
            claim = Claim(id=cid, line=line, error=_internal(e, "this claim", file=path, claim=cid, line=line))
        add(claim)
    for index, raw in enumerate(tables):
        try:
            table, rows = _load_table(raw, index, theory, src)
        except ClaimInputError as e:
            out.errors.append(e.located(file=path))
            continue
        except Exception as e:
            out.errors.append(_internal(e, f"[[table]] #{index + 1}", file=path))
            continue
        out.tables.append(table)
        for claim in rows:
            claim.source = canonical({"table": raw, "row": claim.id})
            add(claim)
    if "variant" in data:  # R -> R(a) substitutions for `lawproof counterexample --variant`
        try:
            out.errors.extend(read_specs(data["variant"], theory,
                                         lambda i, k: src.key(src.claim_lines(i, "[[variant]]"), k))[1])
        except Exception as e:
            out.errors.append(_internal(e, "the [[variant]] tables", file=path))
    return out


#: Seconds SymPy may take to build one formula, domain or definition while a file is
#: read (it takes milliseconds; SymPy can get stuck evaluating, e.g., a divergent
#: integral inside min).
MAX_READ_SECONDS = 10.0


@contextlib.contextmanager
def _read_limit(what: str) -> Iterator[None]:
    """Turn a formula that SymPy cannot build within MAX_READ_SECONDS into an input
    error (SIGALRM: on the main thread only; an enclosing time limit is kept armed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        with time_limit(MAX_READ_SECONDS, what, absolute=True):
            yield
    except BackendTimeout:
        raise ClaimInputError(f"building {what} took longer than {MAX_READ_SECONDS:g} s (SymPy got stuck "
                              "evaluating a part of it)",
                              fix="simplify it, e.g. move an integral or limit out of min/max/sqrt") from None


def _internal(e: Exception, what: str, **where: Any) -> ClaimInputError:
    """The safety net: an unexpected exception while reading one part of a file (a bug
    of lawproof, not of the file) becomes that part's error; the rest is still read."""
    return ClaimInputError(f"internal error while reading {what} ({type(e).__name__}: {_shown(str(e))[1:-1]}); "
                           "this is a bug in lawproof", fix="please report it with the claim file",
                           trace="".join(traceback.format_exception(e)), **where)


#: The largest `timeout` a claim may ask for, in seconds (a day).
MAX_TIMEOUT = 86_400.0


def _good_timeout(value: Any) -> bool:
    """A positive, finite number of seconds, at most MAX_TIMEOUT (not nan, inf or a bool)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and 0 < value <= MAX_TIMEOUT)


def _shown(value: Any) -> str:
    """A TOML value for an error message, cut short."""
    text = value.text if isinstance(value, _TomlFloat) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_new_name(name: str, theory: Theory) -> str | None:
    if name in KEYWORDS or (name in BUILTINS and name not in SHADOWABLE) or name == "oo":
        return f"'{name}' is reserved in the claim language"
    if name in theory.symbols:
        return f"'{name}' is already a symbol"
    if name in theory.definitions:
        return f"'{name}' is defined twice"
    if name in theory.functions:
        return f"'{name}' is already a function symbol"
    return None


def _warn_unknown_keys(table: dict, allowed: set[str], where: str, out: ClaimFile,
                       line_of: Callable[[str], int | None]) -> None:
    """A warning for each key of `table` outside `allowed`. The spec lists the keys of
    [paper], of a symbol and of a definition but files with more were always read, so
    an unknown one is not an error; it is most likely a misspelt key whose meaning is
    lost (`integr = true` leaves a symbol real), hence the "did you mean" fix."""
    for key in sorted(set(table) - allowed):
        out.warnings.append(ClaimInputError(f"unknown key '{key}' in {where} is ignored",
                                            fix=unknown_key_fix(key, allowed), file=out.theory.path,
                                            line=line_of(key)))


def _load_symbols(raw: Any, theory: Theory, out: ClaimFile, src: _Source) -> None:
    entries: dict[str, tuple[str, bool, str]] = {}
    for name, spec in (raw.items() if isinstance(raw, dict) else []):
        at = src.entry("symbols", name, "domain")
        if isinstance(spec, str):
            entries[name] = (spec, False, "")
        elif isinstance(spec, dict) and isinstance(spec.get("domain"), str):
            if not isinstance(spec.get("integer", False), bool):
                out.errors.append(ClaimInputError(
                    f"integer of symbol '{name}' must be true or false, not {_shown(spec['integer'])}",
                    fix=f'write {name} = {{ domain = "[1, 10]", integer = true }}', file=theory.path,
                    line=src.entry("symbols", name, "integer")[0]))
                continue
            entries[name] = (spec["domain"], spec.get("integer", False), str(spec.get("text", "")))
            _warn_unknown_keys(spec, SYMBOL_KEYS, f"symbol '{name}'", out,
                               lambda k, name=name: src.entry("symbols", name, k)[0])
        else:
            given = spec.get("domain") if isinstance(spec, dict) else spec
            # a domain of the wrong TOML type is named as such, not as missing
            problem = "has no domain" if given is None else f"has a domain that is {type_name(given)}, not a string"
            out.errors.append(ClaimInputError(
                f"symbol '{name}' {problem}", fix=f'write {name} = "[0, 1]" or {name} = {{ domain = "[0, 1]" }}',
                file=theory.path, line=at[0]))
            continue
        problem = _check_new_name(name, theory) if re.fullmatch(r"[A-Za-z_]\w*", name) else \
            f"'{name}' is not a valid name"
        if problem:
            out.errors.append(ClaimInputError(problem, fix="rename the symbol", file=theory.path, line=at[0]))
            del entries[name]
    # All names first, so that a bound may mention any other symbol.
    ns = Namespace(symbols={n: (make_symbol(n, e[1]), Domain(-sympy.oo, sympy.oo, True, True))
                            for n, e in entries.items()})
    for name, (dom_text, integer, text) in entries.items():
        at = src.entry("symbols", name, "domain")
        try:
            with _read_limit(f"the domain of '{name}'"):
                lo, hi, lo_open, hi_open = parse_interval(dom_text, ns)
            empty = emptiness(lo, hi, lo_open, hi_open, integer) if lo.is_number and hi.is_number else None
            if empty is not None:
                raise ClaimInputError(f"the domain {dom_text} of '{name}' is empty{empty[0]}", fix=empty[1])
            domain = Domain(lo, hi, lo_open or lo == -sympy.oo, hi_open or hi == sympy.oo, integer)
        except ClaimInputError as e:
            src.shift(e, at)
            e.message = f"in the domain of '{name}': {e.message}"
            out.errors.append(e.located(file=theory.path))
            continue
        except Exception as e:
            out.errors.append(_internal(e, f"the domain of '{name}'", file=theory.path, line=at[0]))
            continue
        theory.symbols[name] = SymbolInfo(name, ns.symbols[name][0], domain, text)
        theory.sources[name] = canonical(raw[name])


def _load_functions(raw: Any, theory: Theory, out: ClaimFile, src: _Source) -> None:
    """`[functions.NAME]` tables: function symbols with shape hypotheses."""
    if not isinstance(raw, dict):
        out.errors.append(ClaimInputError("functions must be tables, written [functions.NAME]",
                                          fix='write [functions.R] with args = ["a"]', file=theory.path))
        return
    for name, spec in raw.items():
        lines = src.section_lines(f"[functions.{name}]")
        try:
            with _read_limit(f"the function '{name}'"):
                theory.functions[name] = _function(name, spec, theory)
            # part of the result cache's key of every claim that uses it: an edited
            # shape hypothesis must not serve a verdict proved under the old one
            theory.sources[name] = canonical({"functions": spec})
        except ClaimInputError as e:
            e.message = f"in [functions.{name}]: {e.message}"
            if e.line is None and len(lines):
                e.line = lines.start  # the table's header line (1-based)
            out.errors.append(e.located(file=theory.path))
        except Exception as e:
            out.errors.append(_internal(e, f"[functions.{name}]", file=theory.path))


def _strings(spec: dict, key: str, count: int | None = None) -> list[str]:
    """`spec[key]` as a list of strings (a single string is a list of one)."""
    value = spec.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or \
            (count is not None and len(value) not in (0, count)):
        want = "a string or a list of strings" + (f", one per argument ({count})" if count else "")
        raise ClaimInputError(f"'{key}' must be {want}, not {_shown(value)}",
                              fix='e.g. args = ["a"], domain = "[0, 1)", shape = ["increasing", "concave"]')
    return value


def _function(name: str, spec: Any, theory: Theory) -> FunctionSymbol:
    usage = 'e.g. [functions.R] with args = ["a"], domain = "[0, 1)", shape = ["nonincreasing"], values = "(1, oo)"'
    if not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise ClaimInputError(f"'{name}' is not a valid name", fix="rename the function")
    if (problem := _check_new_name(name, theory)) is not None:
        raise ClaimInputError(problem, fix="rename the function")
    if not isinstance(spec, dict):
        raise ClaimInputError("a function symbol is a table", fix=usage)
    unknown = sorted(set(spec) - FUNCTION_KEYS)
    if unknown:
        raise ClaimInputError(f"unknown key '{unknown[0]}'", fix=unknown_key_fix(unknown[0], FUNCTION_KEYS))
    args = _strings(spec, "args")
    if not args or len(set(args)) != len(args) or not all(re.fullmatch(r"[A-Za-z_]\w*", a) for a in args):
        raise ClaimInputError("'args' must name the arguments, each once", fix=usage)
    ns = theory.namespace
    texts = _strings(spec, "domain", len(args))
    domains = []
    for k, a in enumerate(args):
        if texts:
            text = texts[k] if len(texts) == len(args) else texts[0]
            lo, hi, lo_open, hi_open = parse_interval(text, ns)
            domains.append(Domain(lo, hi, lo_open or lo == -sympy.oo, hi_open or hi == sympy.oo))
        elif a in theory.symbols and not theory.symbols[a].domain.integer:
            domains.append(theory.symbols[a].domain)
        else:
            raise ClaimInputError(f"argument '{a}' has no domain",
                                  fix=f'give domain = "[0, 1)" (one per argument), or declare {a} under [symbols]')
    params = tuple(make_symbol(f"{name}.{a}") for a in args)
    monotone: list[str | None] = [None] * len(args)
    curvature = None
    lower = upper = None
    lower_strict = upper_strict = False
    for word in _strings(spec, "shape"):
        m = re.fullmatch(r"\s*([a-z-]+)(?:\s+in\s+([A-Za-z_]\w*))?\s*", word)
        kind = m.group(1).replace("-", "") if m else word
        if kind in MONOTONE:
            if m.group(2) is None and len(args) > 1:
                raise ClaimInputError(f"'{word}': in which argument?", fix=f"write '{kind} in {args[0]}'")
            k = args.index(m.group(2)) if m.group(2) in args else 0 if m.group(2) is None else -1
            if k < 0:
                raise ClaimInputError(f"'{word}': '{m.group(2)}' is not an argument", fix=f"use one of {args}")
            if monotone[k] is not None:
                raise ClaimInputError(f"two monotonicity words for '{args[k]}'", fix="keep one")
            monotone[k] = kind
        elif kind in CURVATURE:
            if len(args) > 1:
                raise ClaimInputError(f"'{kind}' is supported for functions of one argument only",
                                      fix="state it per argument with a one-argument function")
            if curvature is not None and curvature != kind:
                raise ClaimInputError("both convex and concave: that is an affine function",
                                      fix="define it under [define] as an affine expression")
            curvature = kind
        elif kind in ("positive", "nonnegative"):
            lower, lower_strict = sympy.Integer(0), kind == "positive"
        else:
            raise ClaimInputError(f"unknown shape '{word}'",
                                  fix="use increasing, decreasing, nondecreasing, nonincreasing (with 'in ARG' "
                                      "for several arguments), convex, concave, positive, nonnegative")
    local = Namespace(symbols=dict(ns.symbols), functions=dict(ns.functions))
    local.symbols.update({a: (p, d) for a, p, d in zip(args, params, domains)})
    if "values" in spec:
        if not isinstance(spec["values"], str):
            raise ClaimInputError("'values' must be interval notation", fix='e.g. values = "(1, R0]"')
        lo, hi, lo_open, hi_open = parse_interval(spec["values"], local)
        if lo != -sympy.oo:
            if lower is not None and lower != lo:
                raise ClaimInputError("'values' and 'positive'/'nonnegative' give two lower bounds", fix="keep one")
            lower, lower_strict = lo, lo_open or lower_strict
        if hi != sympy.oo:
            upper, upper_strict = hi, hi_open
    differentiable = spec.get("differentiable", False)
    if not isinstance(differentiable, bool):
        raise ClaimInputError("'differentiable' must be true or false", fix="write differentiable = true")
    return FunctionSymbol(name, params, tuple(domains), tuple(monotone), curvature, lower, upper, lower_strict,
                          upper_strict, differentiable, str(spec.get("text", "")))


def _load_definitions(raw: Any, theory: Theory, out: ClaimFile, src: _Source) -> None:
    for head, spec in (raw.items() if isinstance(raw, dict) else []):
        at = src.entry("define", head, "latex" if isinstance(spec, dict) and "latex" in spec else "expr")
        if isinstance(spec, dict):
            _warn_unknown_keys(spec, DEFINITION_KEYS, f"definition '{head}'", out,
                               lambda k, head=head: src.entry("define", head, k)[0])
        try:
            with _read_limit(f"the definition '{head}'"):
                theory_def = _definition(head, spec, theory)
        except ClaimInputError as e:
            src.shift(e, at)
            out.errors.append(e.located(file=theory.path))
            _mark_broken(head, at[0], theory)
            continue
        except Exception as e:
            out.errors.append(_internal(e, f"the definition '{head}'", file=theory.path, line=at[0]))
            _mark_broken(head, at[0], theory)
            continue
        theory.definitions[theory_def.name] = theory_def
        theory.sources[theory_def.name] = canonical({head: spec})


#: The message of a use of a name that is neither declared nor defined (parser.py).
_UNKNOWN = re.compile(r"unknown (?:name|function) '(\w+)'")


def _mark_broken(head: str, line: int | None, theory: Theory) -> None:
    m = _NAME.match(head)
    if m and m.group(1) not in theory.definitions:
        theory.broken[m.group(1)] = line


def _blame_broken(e: ClaimInputError, theory: Theory) -> None:
    """Say so when `e` is an unknown name that is a definition which failed to load:
    the mistake is in that definition, reported on its own."""
    m = _UNKNOWN.match(e.message)
    if m and m.group(1) in theory.broken:
        line = theory.broken[m.group(1)]
        e.message = (f"'{m.group(1)}' cannot be used: its definition"
                     f"{f' (line {line})' if line else ''} has an input error, reported on its own")
        e.fix = f"fix the definition of '{m.group(1)}'"


def _definition(head: str, spec: Any, theory: Theory) -> Definition:
    m = _NAME.match(head)
    if not m:
        raise ClaimInputError(f"cannot read the definition head '{head}'",
                              fix='write "f(x, y)" = "..." or c = "..."')
    name = m.group(1)
    params = tuple(p.strip() for p in m.group(2).split(",")) if m.group(2) else ()
    problem = _check_new_name(name, theory)
    if problem:
        raise ClaimInputError(problem, fix="rename the definition")
    if len(set(params)) != len(params):
        raise ClaimInputError(f"'{name}' repeats a parameter name", fix="give each parameter its own name")
    ns = theory.namespace
    local = {}
    for p in params:
        if p in ns.functions or p in KEYWORDS or (p in BUILTINS and p not in SHADOWABLE) or p in CONSTANTS:
            raise ClaimInputError(f"parameter '{p}' of '{name}' clashes with a reserved or defined name",
                                  fix="rename the parameter")
        local[p] = ns.symbols[p][0] if p in ns.symbols else make_symbol(p)
    if isinstance(spec, dict) and isinstance(spec.get("latex"), str):
        text = latex_to_ascii(spec["latex"], functions=set(ns.functions), symbols=set(ns.symbols) | set(local))
    elif isinstance(spec, dict) and isinstance(spec.get("expr"), str):
        text = spec["expr"]
    elif isinstance(spec, str):
        text = spec
    elif isinstance(spec, (int, float)) and not isinstance(spec, bool):
        # a TOML number is refused, not read: a float would have lost its written digits
        raise ClaimInputError(f"definition '{head}' is a TOML number, not a formula in quotes",
                              fix=f'write "{head}" = "{_written(spec)}" (the digits are read exactly)')
    else:
        raise ClaimInputError(f"definition '{head}' has no formula",
                              fix=f'write "{head}" = "..." or "{head}" = {{ latex = \'...\' }}')
    if re.search(r"\b" + re.escape(name) + r"\b", text):
        raise ClaimInputError(f"'{name}' refers to itself",
                              fix="a definition may use only earlier definitions; unfold the recursion")
    try:
        body, lost = parse_definition(text, ns, local)
    except ClaimInputError as e:
        later = _UNKNOWN.match(e.message)
        _blame_broken(e, theory)
        if later and later.group(1) not in theory.broken:
            e.fix = (f"declare '{later.group(1)}' under [symbols] or define it above '{name}'"
                     " (a definition may use only earlier ones)")
        e.message = f"in the definition of '{name}': {e.message}"
        raise
    return Definition(name, tuple(local[p] for p in params), body, text, tuple(lost))


def _load_claim(raw: Any, index: int, theory: Theory, src: _Source) -> Claim:
    lines = src.claim_lines(index)
    line = lines.start + 1 if len(lines) else None
    if not isinstance(raw, dict):
        return Claim(id=f"#{index + 1}", line=line, error=ClaimInputError(
            "a [[claim]] must be a table", fix="see the claim-language spec", file=theory.path, line=line))
    cid = str(raw.get("id", f"#{index + 1}"))
    claim = Claim(id=cid, says=str(raw.get("says", "")), where=str(raw.get("where", "")),
                  text=str(raw.get("formula", "")), line=line)

    def fail(message: str, fix: str, key: str | None = None) -> Claim:
        at = src.key(lines, key) if key else (line, None)
        claim.error = ClaimInputError(message, fix=fix, file=theory.path, claim=cid,
                                      line=at[0], column=at[1])
        return claim

    if "id" not in raw:
        return fail("the claim has no id", 'add id = "short-name"')
    if not isinstance(raw["id"], str):  # as for the paper id: `5` and `"5"` would both name claim 5
        claim.id = cid = f"#{index + 1}"
        return fail(f"the claim id must be a string (got {type_name(raw['id'])})",
                    f'write id = "{suggest_id(str(raw["id"]))}"', "id")
    if (problem := id_problem(cid)) is not None:  # the id names the claim's artifact file
        claim.id = cid = f"#{index + 1}"
        return fail(f"the claim id {problem}", f'write id = "{suggest_id(str(raw["id"]))}"', "id")
    unknown = sorted(set(raw) - CLAIM_KEYS)
    if unknown:
        return fail(f"unknown key '{unknown[0]}'", unknown_key_fix(unknown[0], CLAIM_KEYS), unknown[0])
    claim.check = raw.get("check", True) is not False
    claim.reason = str(raw.get("reason", ""))
    if not claim.check:
        if not claim.reason:
            return fail("check = false needs a reason", 'add reason = "why it cannot be checked, and what would check it"')
        return claim
    expect = raw.get("expect", "holds")
    if expect not in EXPECTATIONS:
        return fail(f"expect must be 'holds' or 'fails', not {expect!r}", 'write expect = "fails"', "expect")
    claim.expect = expect
    timeout = raw.get("timeout", 5.0)
    if not _good_timeout(timeout):
        return fail(f"timeout must be a positive, finite number of seconds (at most {MAX_TIMEOUT:g}), "
                    f"not {_shown(timeout)}", "write timeout = 10", "timeout")
    claim.timeout = float(timeout)
    tolerance = raw.get("tolerance")
    if tolerance is not None and (not isinstance(tolerance, (int, float, str)) or isinstance(tolerance, bool)):
        return fail("tolerance must be a number", "write tolerance = 0.01", "tolerance")
    if "formula" not in raw:
        return fail("the claim has no formula", 'add formula = "..." or check = false with a reason')
    ns = theory.namespace
    try:
        tol = parse_term(str(tolerance), ns) if tolerance is not None else None
    except ClaimInputError:
        return fail("tolerance must be a number", "write tolerance = 0.01", "tolerance")
    for key in ("formula", "assume"):
        if key not in raw:
            continue
        if not isinstance(raw[key], str):
            return fail(f"{key} must be a string (got {type_name(raw[key])})",
                        f'write the {key} in quotes: {key} = "..."', key)
        try:
            with _read_limit(f"the {key}"):
                parsed = parse_formula(raw[key], ns, tolerance=tol)
        except ClaimInputError as e:
            src.shift(e, src.key(lines, key))
            _blame_broken(e, theory)
            claim.error = e.located(file=theory.path, claim=cid)
            return claim
        if key == "formula":
            claim.formula = parsed
        else:
            claim.assume, claim.assume_text = parsed, raw[key]
    if "region" in raw:
        try:
            claim.region = _region(raw["region"], ns)
        except ClaimInputError as e:
            e.line, e.column = src.key(lines, "region")[0], None
            claim.error = e.located(file=theory.path, claim=cid)
    return claim


def _region(raw: Any, ns: Namespace) -> RegionSpec:
    """The `region = { params = "S, R", of = "...", stated = "..." }` key of a claim."""
    usage = 'write region = { params = "S, R", of = "a formula", stated = "the paper\'s condition" }'
    if not isinstance(raw, dict):
        raise ClaimInputError("region must be a table", fix=usage)
    unknown = sorted(set(raw) - REGION_KEYS)
    if unknown:
        raise ClaimInputError(f"unknown key '{unknown[0]}' in region", fix=usage)
    names = raw.get("params")
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ClaimInputError("region needs params: the symbols the region is a condition on", fix=usage)
    for n in names:
        if n not in ns.symbols:
            raise ClaimInputError(f"'{n}' in region params is not a symbol of the file",
                                  fix="name symbols declared under [symbols]")
    parsed: dict[str, Any] = {}
    for key in ("of", "stated"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise ClaimInputError(f"region {key} must be a string", fix=usage)
            try:
                parsed[key] = parse_formula(raw[key], ns)
            except ClaimInputError as e:
                e.message = f"in region {key}: {e.message}"
                raise
    return RegionSpec(tuple(ns.symbols[n][0] for n in names), parsed.get("of"), raw.get("of", ""),
                      parsed.get("stated"), raw.get("stated", ""))


def _load_table(raw: Any, index: int, theory: Theory, src: _Source) -> tuple[Table, list[Claim]]:
    """A `[[table]]` and the claims of its rows that have a paper value.

    Raises ClaimInputError for anything wrong in the table: its rows are claims of
    the paper, so a half-read table would silently drop some.
    """
    lines = src.claim_lines(index, "[[table]]")
    line = lines.start + 1 if len(lines) else None
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ClaimInputError("a [[table]] needs an id", fix='add id = "short-name"', line=line)
    tid = raw["id"]
    if (problem := id_problem(tid)) is not None:  # the id names the row claims' artifact files
        raise ClaimInputError(f"the table id {problem}", fix=f'write id = "{suggest_id(tid)}"',
                              file=theory.path, line=src.key(lines, "id")[0] or line)

    def fail(message: str, fix: str, key: str | None = None) -> ClaimInputError:
        at = src.key(lines, key) if key else (line, None)
        return ClaimInputError(f"table '{tid}': {message}", fix=fix, file=theory.path,
                               line=at[0], column=at[1])

    unknown = sorted(set(raw) - TABLE_KEYS)
    if unknown:
        raise fail(f"unknown key '{unknown[0]}'", unknown_key_fix(unknown[0], TABLE_KEYS), unknown[0])
    ns = theory.namespace
    names = raw.get("params")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise fail("params must be a list of symbol names", 'write params = ["alpha", "beta"]', "params")
    for n in names:
        if n not in ns.symbols:
            raise fail(f"'{n}' in params is not a symbol of the file", "declare it under [symbols]", "params")
    params = tuple(ns.symbols[n][0] for n in names)
    text = raw.get("formula")
    if text is None:
        raise fail("the table has no formula", 'add formula = "beta/(alpha + beta)"')
    if not isinstance(text, str):
        raise fail(f"formula must be a string (got {type_name(text)})",
                   'write the formula in quotes: formula = "beta/(alpha + beta)"', "formula")
    try:
        formula = parse_term(text, ns)
    except ClaimInputError as e:
        src.shift(e, src.key(lines, "formula"))
        e.message = f"table '{tid}', formula: {e.message}"
        raise e.located(file=theory.path)
    rows = raw.get("rows")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) and len(r) == len(names)
                                                         for r in rows):
        raise fail(f"rows must be a list of rows with {len(names)} value(s) each, one per param",
                   "write rows = [[0.34, 0.28], [0.076, 0.095]]", "rows")
    values: list[tuple[sympy.Rational, ...]] = []
    for k, row in enumerate(rows, 1):
        exact = []
        for name, sym, cell in zip(names, params, row):
            v = _exact_cell(cell)
            if v is None:
                raise fail(f"row {k}: {name} = {cell!r} is not an exact rational number",
                           'write a number such as 0.34 or a string such as "119/775"', "rows")
            if not _in_domain(v, ns.symbols[name][1]):
                raise fail(f"row {k}: {name} = {_written(cell)} lies outside the domain "
                           f"{ns.symbols[name][1]} of {name}", f"fix the row or the domain of {name}", "rows")
            exact.append(v)
        values.append(tuple(exact))
    paper = raw.get("paper", [UNKNOWN] * len(rows))
    labels = raw.get("labels", [""] * len(rows))
    expect = raw.get("expect", "holds")
    expects = expect if isinstance(expect, list) else [expect] * len(rows)
    for key, given, ok in (("paper", paper, lambda v: v == UNKNOWN or _exact_cell(v) is not None),
                           ("labels", labels, lambda v: isinstance(v, str)),
                           ("expect", expects, lambda v: v in EXPECTATIONS)):
        if not isinstance(given, list) or len(given) != len(rows) or not all(ok(v) for v in given):
            raise fail(f"{key} must list one entry per row ({len(rows)})",
                       {"paper": f'give the paper\'s value per row, or "{UNKNOWN}"',
                        "labels": "give one label (a string) per row",
                        "expect": 'write expect = "fails", or one of "holds"/"fails" per row'}[key], key)
    tolerance = raw.get("tolerance")
    tol = None
    if tolerance is not None:
        tol = _exact_cell(tolerance)
        if tol is None or tol < 0:
            raise fail("tolerance must be a nonnegative number (relative)", "write tolerance = 0.01", "tolerance")
    timeout = raw.get("timeout", 5.0)
    if not _good_timeout(timeout):
        raise fail(f"timeout must be a positive, finite number of seconds (at most {MAX_TIMEOUT:g}), "
                   f"not {_shown(timeout)}", "write timeout = 2", "timeout")
    says, where = str(raw.get("says", "")), str(raw.get("where", ""))
    claims: list[Claim] = []
    ids: list[str | None] = []
    for k, (row, cells, given, label, exp) in enumerate(zip(values, rows, paper, labels, expects), 1):
        if given == UNKNOWN:
            ids.append(None)
            continue
        point = ", ".join(f"{n} = {_written(c)}" for n, c in zip(names, cells))
        approx = f"approx({text}, {_written(given)})"
        claim = Claim(id=f"{tid}-row{k}", says=f"{says} Row {k}{' (' + label + ')' if label else ''}: {point}.",
                      where=where, text=f"{approx} at {point}", expect=exp, timeout=float(timeout),
                      line=line, at=dict(zip(params, row)))
        claim.formula = parse_formula(approx, ns, tolerance=tol)
        claims.append(claim)
        ids.append(claim.id)
    table = Table(id=tid, params=params, rows=tuple(values), formula=formula, text=text,
                  cells=tuple(tuple(_written(c) for c in r) for r in rows), says=says,
                  where=where, labels=tuple(labels),
                  paper=tuple(None if v == UNKNOWN else _written(v) for v in paper),
                  claim_ids=tuple(ids), line=line)
    return table, claims


def canonical(value: Any) -> str:
    """A TOML value as one canonical text (sorted keys; a float as written, since
    `0.50` and `0.5` differ in stated precision): equal exactly when the values are."""
    def plain(v: Any) -> Any:
        # json writes a float subclass as a float: its text is taken before
        if isinstance(v, _TomlFloat):
            return {"float": v.text}
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v if isinstance(v, (str, int, bool)) else {type(v).__name__: str(v)}

    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _written(cell: Any) -> str:
    """A table cell as the file writes it (`0.50` stays `0.50`)."""
    return cell.text if isinstance(cell, _TomlFloat) else str(cell)


def _exact_cell(cell: Any) -> sympy.Rational | None:
    """The exact rational a table cell stands for: an integer, a decimal (read from
    its text), or a string with a closed rational expression such as "0.34*0.28/0.62"."""
    if isinstance(cell, bool) or not isinstance(cell, (int, float, str)):
        return None
    if isinstance(cell, float) and not isinstance(cell, _TomlFloat):
        return None
    try:
        value = parse_term(_written(cell), Namespace())
    except ClaimInputError:
        return None
    return value if value.is_Rational else None


def _in_domain(value: sympy.Rational, domain: Domain) -> bool:
    """False when the value lies outside a domain with numeric bounds; a bound that
    depends on other symbols is not checked here."""
    for op, lhs, rhs in domain.constraints(value):
        if (lhs - rhs).is_number:
            gap = lhs - rhs
            if bool(gap > 0) or (op == "<" and gap == 0):
                return False
    return True
