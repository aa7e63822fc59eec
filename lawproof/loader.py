"""Load `*.claims.toml` files into a Theory and its Claims.

Every problem becomes a ClaimInputError that names the file, the claim and the
line/column; a bad claim is kept (with its error) so that the others still run.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import sympy

from .claims import EXPECTATIONS, Claim, ClaimFile, Definition, SymbolInfo, Theory
from .domain import Domain
from .errors import ClaimInputError
from .latex import latex_to_ascii
from .parser import BUILTINS, CONSTANTS, KEYWORDS, Namespace, make_symbol, parse_term, \
    parse_formula, parse_interval

CLAIM_KEYS = {"id", "says", "where", "formula", "expect", "assume", "timeout",
              "tolerance", "check", "reason"}
_NAME = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?:\((\s*[A-Za-z_]\w*\s*(?:,\s*[A-Za-z_]\w*\s*)*)\))?\s*$")


class _Source:
    """The raw text of a claim file, for turning positions in values into file positions."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def section_lines(self, header: str) -> range:
        start = next((i for i, ln in enumerate(self.lines) if ln.strip() == header), None)
        if start is None:
            return range(0)
        end = next((i for i in range(start + 1, len(self.lines))
                    if self.lines[i].lstrip().startswith("[")), len(self.lines))
        return range(start + 1, end)

    def claim_lines(self, index: int) -> range:
        starts = [i for i, ln in enumerate(self.lines) if ln.strip() == "[[claim]]"]
        if index >= len(starts):
            return range(0)
        start = starts[index]
        end = next((i for i in range(start + 1, len(self.lines))
                    if self.lines[i].lstrip().startswith("[")), len(self.lines))
        return range(start, end)

    def key(self, lines: range, key: str) -> tuple[int | None, int | None]:
        """1-based (line, column of the value's first character) of `key = "..."`."""
        pat = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=\s*')
        for i in lines:
            m = pat.match(self.lines[i])
            if m:
                rest = self.lines[i][m.end():]
                col = m.end() + 1
                for quote in ('"""', "'''", '"', "'"):
                    if rest.startswith(quote):
                        if quote in ('"""', "'''") and rest == quote:
                            return i + 2, 1
                        return i + 1, col + len(quote)
                return i + 1, col
        return (lines.start + 1 if len(lines) else None), None

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
    unreadable (missing, not TOML, no [paper]); problems inside one claim or one
    definition are collected on the result instead."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ClaimInputError(f"cannot read the claim file ({e.strerror})",
                              fix="check the path", file=str(p)) from None
    return loads(text, str(p))


def loads(text: str, path: str = "<memory>") -> ClaimFile:
    """Read a claim file's text (see `load`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+), column (\d+)", str(e))
        raise ClaimInputError(f"not valid TOML: {e}", fix="check quotes and brackets near that line",
                              file=path, line=int(m.group(1)) if m else None,
                              column=int(m.group(2)) if m else None) from None
    src = _Source(text)
    paper = data.get("paper")
    if not isinstance(paper, dict) or not isinstance(paper.get("id"), str):
        raise ClaimInputError("the file has no [paper] table with an id",
                              fix='start the file with [paper] and id = "short-slug"', file=path)
    theory = Theory(id=paper["id"], title=str(paper.get("title", "")),
                    source=str(paper.get("source", "")), path=path)
    out = ClaimFile(theory)
    for section in set(data) - {"paper", "symbols", "define", "claim"}:
        out.errors.append(ClaimInputError(f"unknown section [{section}]",
                                          fix="use [paper], [symbols], [define] and [[claim]]", file=path))
    _load_symbols(data.get("symbols", {}), theory, out, src)
    _load_definitions(data.get("define", {}), theory, out, src)
    claims = data.get("claim", [])
    if not isinstance(claims, list):
        claims = []
    seen: set[str] = set()
    for index, raw in enumerate(claims):
        claim = _load_claim(raw, index, theory, src)
        if claim.id in seen and claim.error is None:
            claim.error = ClaimInputError(f"the id '{claim.id}' is used twice",
                                          fix="give every claim its own id", file=path,
                                          claim=claim.id, line=claim.line)
        seen.add(claim.id)
        out.claims.append(claim)
    return out


def _check_new_name(name: str, theory: Theory) -> str | None:
    if name in KEYWORDS or name in BUILTINS or name == "oo":
        return f"'{name}' is reserved in the claim language"
    if name in theory.symbols:
        return f"'{name}' is already a symbol"
    if name in theory.definitions:
        return f"'{name}' is defined twice"
    return None


def _load_symbols(raw: Any, theory: Theory, out: ClaimFile, src: _Source) -> None:
    lines = src.section_lines("[symbols]")
    entries: dict[str, tuple[str, bool, str]] = {}
    for name, spec in (raw.items() if isinstance(raw, dict) else []):
        at = src.key(lines, name)
        if isinstance(spec, str):
            entries[name] = (spec, False, "")
        elif isinstance(spec, dict) and isinstance(spec.get("domain"), str):
            entries[name] = (spec["domain"], bool(spec.get("integer", False)), str(spec.get("text", "")))
        else:
            out.errors.append(ClaimInputError(
                f"symbol '{name}' has no domain", fix=f'write {name} = "[0, 1]" or {name} = {{ domain = "[0, 1]" }}',
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
        at = src.key(lines, name)
        try:
            lo, hi, lo_open, hi_open = parse_interval(dom_text, ns)
            if lo.is_number and hi.is_number and (bool(lo > hi) or (lo == hi and (lo_open or hi_open))):
                raise ClaimInputError(f"the domain {dom_text} of '{name}' is empty",
                                      fix="write the lower bound first and check which ends are open")
            domain = Domain(lo, hi, lo_open or lo == -sympy.oo, hi_open or hi == sympy.oo, integer)
        except ClaimInputError as e:
            src.shift(e, at)
            e.message = f"in the domain of '{name}': {e.message}"
            out.errors.append(e.located(file=theory.path))
            continue
        theory.symbols[name] = SymbolInfo(name, ns.symbols[name][0], domain, text)


def _load_definitions(raw: Any, theory: Theory, out: ClaimFile, src: _Source) -> None:
    lines = src.section_lines("[define]")
    for head, spec in (raw.items() if isinstance(raw, dict) else []):
        at = src.key(lines, head)
        try:
            theory_def = _definition(head, spec, theory)
        except ClaimInputError as e:
            src.shift(e, at)
            out.errors.append(e.located(file=theory.path))
            continue
        theory.definitions[theory_def.name] = theory_def


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
        if p in ns.functions or p in KEYWORDS or p in BUILTINS or p in CONSTANTS:
            raise ClaimInputError(f"parameter '{p}' of '{name}' clashes with a reserved or defined name",
                                  fix="rename the parameter")
        local[p] = ns.symbols[p][0] if p in ns.symbols else make_symbol(p)
    if isinstance(spec, dict) and isinstance(spec.get("latex"), str):
        text = latex_to_ascii(spec["latex"], functions=set(ns.functions), symbols=set(ns.symbols) | set(local))
    elif isinstance(spec, dict) and isinstance(spec.get("expr"), str):
        text = spec["expr"]
    elif isinstance(spec, str):
        text = spec
    else:
        raise ClaimInputError(f"definition '{head}' has no formula",
                              fix=f'write "{head}" = "..." or "{head}" = {{ latex = \'...\' }}')
    if re.search(r"\b" + re.escape(name) + r"\b", text):
        raise ClaimInputError(f"'{name}' refers to itself",
                              fix="a definition may use only earlier definitions; unfold the recursion")
    try:
        body = parse_term(text, ns, local=local)
    except ClaimInputError as e:
        later = re.match(r"unknown (?:name|function) '(\w+)'", e.message)
        if later:
            e.fix = (f"declare '{later.group(1)}' under [symbols] or define it above '{name}'"
                     " (a definition may use only earlier ones)")
        e.message = f"in the definition of '{name}': {e.message}"
        raise
    return Definition(name, tuple(local[p] for p in params), body, text)


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
    unknown = sorted(set(raw) - CLAIM_KEYS)
    if unknown:
        return fail(f"unknown key '{unknown[0]}'", "use " + ", ".join(sorted(CLAIM_KEYS)), unknown[0])
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
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        return fail("timeout must be a positive number of seconds", "write timeout = 10", "timeout")
    claim.timeout = float(timeout)
    tolerance = raw.get("tolerance")
    if tolerance is not None and (not isinstance(tolerance, (int, float, str)) or isinstance(tolerance, bool)):
        return fail("tolerance must be a number", "write tolerance = 0.01", "tolerance")
    if not isinstance(raw.get("formula"), str):
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
            return fail(f"{key} must be a string", f'write {key} = "..."', key)
        try:
            parsed = parse_formula(raw[key], ns, tolerance=tol)
        except ClaimInputError as e:
            src.shift(e, src.key(lines, key))
            claim.error = e.located(file=theory.path, claim=cid)
            return claim
        if key == "formula":
            claim.formula = parsed
        else:
            claim.assume, claim.assume_text = parsed, raw[key]
    return claim
