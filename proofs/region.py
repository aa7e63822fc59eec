"""Quantifier elimination over the reals with QEPCAD B, kept at arm's length.

QEPCAD B (partial cylindrical algebraic decomposition; GPL) runs as a separate
program fed through its text interface; nothing of it is imported. A formula reaches
it through the very translation z3 gets (`Translator`: definedness of every atom,
denominators cleared under proven signs, roots, abs, min and max purified into
auxiliary variables), read back from the z3 terms as polynomial atoms, put in prenex
form and printed in QEPCAD's syntax. The answer is read by the claim-language
grammar. Nothing QEPCAD says is trusted by itself: `lawproof.regions` re-proves every
region with z3.
"""
from __future__ import annotations

import contextlib
import importlib.metadata
import itertools
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import sympy
import z3

from lawproof.language.domain import Domain
from lawproof.language.errors import BackendTimeout, BackendUnavailable, LawproofError, OutsideFragment
from lawproof.language.timeout import net, wall_safety_seconds
from lawproof.language.formula import (And, Atom, Binder, Formula, Not, Or, Quantified, Truth, conj, disj,
                              claim_symbols, free_symbols, nnf)
from lawproof.language.parser import Namespace, parse_formula

from .translate import Translator

INSTALL_HINT = ("QEPCAD B is not installed. Install it with `pip install 'lawproof[qe]'` (the PyPI "
                "package passagemath-qepcad ships the QEPCAD B program) or `apt-get install qepcad`, "
                "or point the environment variable LAWPROOF_QEPCAD at a qepcad executable.")

#: QEPCAD's working memory in cells (a few bytes each): a start that costs no time, grown
#: sixteenfold each time QEPCAD runs out, up to MAX_CELLS.
MEMORY_CELLS = 2_000_000
MAX_CELLS = 512_000_000

_UNBOUNDED = Domain(-sympy.oo, sympy.oo, True, True)
_COMPLEMENT = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_QEPCAD_OP = {"=": "=", "!=": "/=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
# Single capitals QEPCAD reads as quantifier letters, and its truth constants.
_RESERVED = {"A", "E", "F", "G", "C", "X", "TRUE", "FALSE"}
_ANSWER_HEAD = "An equivalent quantifier-free formula:"


class QeBackend(Protocol):
    """A quantifier-elimination program: takes a QEPCAD script, returns its transcript."""

    def run(self, script: str, timeout: float) -> str:
        """The program's whole output; BackendTimeout when it has used `timeout` CPU seconds."""
        ...


@dataclass(frozen=True)
class Qepcad:
    """The QEPCAD B executable and the `qe` directory holding its help file."""

    executable: str
    home: str | None = None
    cells: int = MEMORY_CELLS

    def run(self, script: str, timeout: float) -> str:
        env = dict(os.environ)
        if self.home is not None:
            env["qe"] = self.home
        cells, used = self.cells, 0.0
        while True:
            left = timeout - used
            if left <= 0:
                raise BackendTimeout(f"QEPCAD B gave no answer within its CPU limit of {timeout:g} s")
            before = _children_cpu()
            try:
                with subprocess.Popen([self.executable, f"+N{cells}"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as child:
                    _limit_cpu(child.pid, left)
                    try:
                        stdout, stderr = child.communicate(script, timeout=wall_safety_seconds(left))
                    except subprocess.TimeoutExpired:
                        child.kill()
                        child.communicate()
                        raise BackendTimeout(f"QEPCAD B gave no answer within {wall_safety_seconds(left):g} s "
                                             "of wall-clock time (its safety net)") from None
            except OSError as e:
                raise BackendUnavailable(f"cannot run {self.executable}: {e.strerror}. {INSTALL_HINT}") from None
            used += _children_cpu() - before
            if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
                raise BackendTimeout(f"QEPCAD B gave no answer within its CPU limit of {timeout:g} s")
            transcript = stdout + stderr
            if "Too few cells reclaimed" not in transcript or cells >= MAX_CELLS:
                return transcript
            cells *= 16


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _limit_cpu(pid: int, seconds: float) -> None:
    """Limit the child's CPU time (SIGXCPU, then SIGKILL a second later); set from this
    side, since setting it in the child before exec is unsafe with threads running."""
    soft = max(1, math.ceil(seconds))
    prlimit = getattr(resource, "prlimit", None)  # Linux; elsewhere the wall-clock net only
    if prlimit is not None:
        with contextlib.suppress(OSError):  # it may have ended already
            prlimit(pid, resource.RLIMIT_CPU, (soft, soft + 1))


def find_qepcad() -> Qepcad | None:
    """The QEPCAD B program: $LAWPROOF_QEPCAD, the passagemath-qepcad wheel's copy, or
    `qepcad` on the PATH (found by file lookup only; the wheel's Python code is never
    imported)."""
    candidates: list[Path] = []
    if os.environ.get("LAWPROOF_QEPCAD"):
        candidates.append(Path(os.environ["LAWPROOF_QEPCAD"]))
    try:
        dist = importlib.metadata.distribution("passagemath-qepcad")
        candidates += [Path(str(dist.locate_file(f))) for f in dist.files or ()
                       if str(f).replace("\\", "/").endswith("bin/qepcad")]
    except importlib.metadata.PackageNotFoundError:
        pass
    on_path = shutil.which("qepcad")
    if on_path:
        candidates.append(Path(on_path))
    for exe in candidates:
        if exe.is_file() and os.access(exe, os.X_OK):
            home = exe.resolve().parent.parent
            has_help = (home / "share" / "qepcad" / "qepcad.help").is_file()
            return Qepcad(str(exe), str(home) if has_help else os.environ.get("qe"))
    return None


class QeFailed(LawproofError):
    """QEPCAD B ran but gave no usable answer (an input error, memory, an answer in its
    extended language)."""


@dataclass
class QeProblem:
    """A prenex polynomial formula ready for QEPCAD: the parameters stay free.

    `prefix` lists the quantifier blocks outermost first; `matrix` is quantifier-free
    with atoms `p op 0`, `p` a polynomial; `assumption` constrains the parameters
    (their domains) and only helps QEPCAD simplify its answer.
    """

    params: list[sympy.Symbol]
    prefix: list[tuple[str, list[sympy.Symbol]]]
    matrix: Formula
    assumption: Formula
    names: dict[sympy.Symbol, str] = field(default_factory=dict)

    @property
    def bound(self) -> list[sympy.Symbol]:
        return [s for _, block in self.prefix for s in block]

    def script(self) -> str:
        """QEPCAD's input: description, variables (parameters first, so that they are
        projected last), number of free variables, prenex formula, assumption, finish."""
        order = self.params + self.bound
        quantifiers = "".join(f"({'A' if kind == 'forall' else 'E'} {self.names[s]})"
                              for kind, block in self.prefix for s in block)
        lines = ["[ lawproof region ]",
                 "(" + ",".join(self.names[s] for s in order) + ")",
                 str(len(self.params)),
                 f"{quantifiers}{_bracketed(self.matrix, self.names)}."]
        if not isinstance(self.assumption, Truth):
            lines.append(f"assume {_bracketed(self.assumption, self.names)}")
        lines.append("finish")
        return "\n".join(lines) + "\n"


@dataclass
class QeOutcome:
    """What quantifier elimination gave.

    status: "eliminated" (`region` is QEPCAD's quantifier-free answer, not yet
    re-proved), "trivial" (the formula reduced to true or false without QEPCAD),
    "timeout" or "failed" (`detail` says why).
    """

    status: str
    region: Formula | None = None
    script: str = ""
    answer: str = ""
    detail: str = ""
    seconds: float = 0.0


def close_over(f: Formula, domains: dict[sympy.Symbol, Domain], params: list[sympy.Symbol]) -> Formula:
    """`f` with its free symbols other than `params` quantified universally over their
    domains, as a claim's free symbols are meant."""
    others = sorted(claim_symbols(f, domains) - set(params), key=lambda s: s.name)
    missing = [s.name for s in [*params, *others] if s not in domains]
    if missing:
        raise OutsideFragment(f"no domain for {', '.join(missing)}")
    if not others:
        return f
    return Quantified("forall", tuple(Binder(s, domains[s]) for s in others), f)


def to_problem(f: Formula, domains: dict[sympy.Symbol, Domain], params: list[sympy.Symbol],
               assume: Formula | None = None) -> QeProblem:
    """Translate `f` (its free symbols other than `params` universal over their
    domains) into a prenex polynomial problem with `params` free.

    Raises OutsideFragment for what is not polynomial (exp, log, symbolic powers)
    and for integer symbols (elimination here is over the reals).
    """
    f = close_over(f, domains, params)
    scope = {s: domains[s] for s in params}
    tr = Translator(dict(scope))
    taken = {s.name for s in params}
    reader = _FromZ3({str(tr.var(s)): s for s in params}, taken)
    body = _polynomial(nnf(reader.formula(tr.formula(f, scope))))
    given = [a for s in params for a in tr.domain_constraints(s, domains[s], scope)]
    if assume is not None:
        given.append(tr.formula(assume, scope))
    assumption = _polynomial(nnf(reader.formula(tr.all(given))))
    if any(isinstance(g, Quantified) for g in assumption.walk()) or free_symbols(assumption) - set(params):
        # a root, or another symbol, in a domain bound: QEPCAD's `assume` takes neither;
        # it only simplifies the answer, which z3 re-proves on the full domains anyway
        assumption = Truth(True)
    prefix, matrix = _prenex(body)
    problem = QeProblem(list(params), prefix, matrix, assumption)
    problem.names = _qepcad_names(problem.params + problem.bound)
    return problem


def eliminate(f: Formula, domains: dict[sympy.Symbol, Domain], params: list[sympy.Symbol], *,
              assume: Formula | None = None, timeout: float = 10.0,
              backend: QeBackend | None = None) -> QeOutcome:
    """The quantifier-free condition on `params` equivalent to `f` on the domains
    (and under `assume`), as QEPCAD B computes it.

    Raises BackendUnavailable when no QEPCAD is installed, OutsideFragment when `f`
    is not polynomial.
    """
    start = time.perf_counter()
    problem = to_problem(f, domains, params, assume)
    if isinstance(problem.matrix, Truth):
        return QeOutcome("trivial", problem.matrix, detail="the formula reduced to a truth value",
                         seconds=time.perf_counter() - start)
    if backend is None:
        backend = find_qepcad()
        if backend is None:
            raise BackendUnavailable(INSTALL_HINT)
    script = problem.script()
    out = QeOutcome("failed", script=script)
    guard = net(timeout, "quantifier elimination by QEPCAD B")
    try:
        # QEPCAD's work is bounded by its cell memory (+N); its CPU time only by a safety
        # net: ten times the budget, or what is left of the claim's limit
        transcript = backend.run(script, max(guard.left(), 0.0))
        out.answer = answer_text(transcript)
        out.region = read_answer(out.answer, problem)
        out.status = "eliminated"
    except BackendTimeout as e:
        out.status, out.detail = "timeout", f"{e}, a safety net ({_size(problem)})"
        guard.fired()
    except QeFailed as e:
        out.detail = str(e)
    out.seconds = time.perf_counter() - start
    return out


def _size(problem: QeProblem) -> str:
    blocks = " ".join(f"{'A' if k == 'forall' else 'E'} {', '.join(s.name for s in b)}"
                      for k, b in problem.prefix)
    return (f"{len(problem.params) + len(problem.bound)} variables: parameters "
            f"{', '.join(s.name for s in problem.params)}, quantifiers {blocks}")


def answer_text(transcript: str) -> str:
    """QEPCAD's quantifier-free answer, on one line; QeFailed with QEPCAD's own
    message when the transcript has none."""
    lines = transcript.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == _ANSWER_HEAD:
            body = []
            for rest in lines[i + 1:]:
                if rest.startswith("====="):
                    break
                body.append(rest.strip())
            text = " ".join(b for b in body if b)
            if text:
                return text
    problems = [" ".join(ln.split()) for ln in lines if re.search(r"\bError\b|Failure|failed|Reason", ln)]
    raise QeFailed("QEPCAD B gave no quantifier-free formula" +
                   (f": {'; '.join(problems[:2])}" if problems else f"; its last output: {' '.join(lines[-3:])}"))


_TOKEN = re.compile(r"\s*(<==>|==>|<==|/\\|\\/|<=|>=|/=|[<>=~+\-^()\[\]*/]|\d+|[A-Za-z_]\w*)")
_CONNECTIVES = {"/\\": "and", "\\/": "or", "~": "not", "==>": "->", "<==>": "<->", "/=": "!=",
                "[": "(", "]": ")", "TRUE": "true", "FALSE": "false"}
_WORDS = {"and", "or", "not", "true", "false"}


def read_answer(text: str, problem: QeProblem) -> Formula:
    """Parse a QEPCAD formula (juxtaposition for products, /\\ \\/ ~ [ ]) by turning its
    tokens into claim-language text for the grammar; names map back to the parameters."""
    back = {problem.names[s]: s for s in problem.params}
    out: list[str] = []
    pos = 0
    while text[pos:].strip():
        m = _TOKEN.match(text, pos)
        if m is None:
            raise QeFailed(f"cannot read QEPCAD's answer at {text[pos:pos + 20]!r}: {text}")
        tok, pos = m.group(1), m.end()
        if tok.startswith("_root_") or tok == "<==":
            raise QeFailed(f"QEPCAD answered in its extended language ({tok}), which lawproof does not read: {text}")
        if tok[0].isalpha() and tok not in _CONNECTIVES:
            if tok not in back:
                raise QeFailed(f"QEPCAD's answer names '{tok}', which is not a parameter: {text}")
            tok = back[tok].name
        tok = _CONNECTIVES.get(tok, tok)
        starts = tok == "(" or (tok[0].isalnum() and tok not in _WORDS)
        if starts and out and (out[-1] == ")" or (out[-1][0].isalnum() and out[-1] not in _WORDS)):
            out.append("*")  # juxtaposition is a product
        out.append(tok)
    ns = Namespace(symbols={s.name: (s, _UNBOUNDED) for s in problem.params})
    return parse_formula(" ".join(out), ns)


# -- from z3 terms to polynomial formulas --------------------------------------------------

_BOOL_OPS = {z3.Z3_OP_AND: "and", z3.Z3_OP_OR: "or", z3.Z3_OP_NOT: "not", z3.Z3_OP_IMPLIES: "implies",
             z3.Z3_OP_IFF: "iff", z3.Z3_OP_TRUE: "true", z3.Z3_OP_FALSE: "false"}
_REL_OPS = {z3.Z3_OP_LE: "<=", z3.Z3_OP_LT: "<", z3.Z3_OP_GE: ">=", z3.Z3_OP_GT: ">",
            z3.Z3_OP_EQ: "=", z3.Z3_OP_DISTINCT: "!="}


class _FromZ3:
    """Reads the Translator's z3 formula back as a Formula of polynomial atoms
    `p op 0`; every bound variable gets a fresh, unique symbol."""

    def __init__(self, names: dict[str, sympy.Symbol], taken: set[str]) -> None:
        self.names = dict(names)
        self.taken = taken
        self._ids = itertools.count()

    def fresh(self, hint: str) -> sympy.Symbol:
        base = re.sub(r"[^A-Za-z0-9]", "", hint) or "v"
        name = base
        while name in self.taken:
            name = f"{base}{next(self._ids)}"
        self.taken.add(name)
        return sympy.Symbol(name, real=True)

    def formula(self, t: z3.BoolRef) -> Formula:
        if z3.is_quantifier(t):
            symbols, consts = [], []
            for i in range(t.num_vars()):
                if t.var_sort(i) != z3.RealSort(t.ctx):
                    raise OutsideFragment("an integer variable: quantifier elimination here is over the reals")
                s = self.fresh(t.var_name(i))
                c = z3.Real(f"{s.name}!qe", t.ctx)
                self.names[str(c)] = s
                symbols.append(s)
                consts.append(c)
            body = self.formula(z3.substitute_vars(t.body(), *reversed(consts)))
            kind = "forall" if t.is_forall() else "exists"
            return Quantified(kind, tuple(Binder(s, _UNBOUNDED) for s in symbols), body)
        k = t.decl().kind()
        kids = t.children()
        if k == z3.Z3_OP_EQ and z3.is_bool(kids[0]):
            k = z3.Z3_OP_IFF
        op = _BOOL_OPS.get(k)
        if op == "true" or op == "false":
            return Truth(op == "true")
        if op == "and":
            return conj([self.formula(c) for c in kids])
        if op == "or":
            return disj([self.formula(c) for c in kids])
        if op == "not":
            return Not(self.formula(kids[0]))
        if op == "implies":
            return disj([Not(self.formula(kids[0])), self.formula(kids[1])])
        if op == "iff":
            # each side read twice, so that its bound variables get distinct symbols
            both = conj([self.formula(kids[0]), self.formula(kids[1])])
            return disj([both, conj([Not(self.formula(kids[0])), Not(self.formula(kids[1]))])])
        if k in _REL_OPS and len(kids) == 2:
            return Atom(_REL_OPS[k], sympy.expand(self.term(kids[0]) - self.term(kids[1])), sympy.Integer(0))
        raise OutsideFragment(f"cannot hand {t.decl().name()} to quantifier elimination")

    def term(self, t: z3.ArithRef) -> sympy.Expr:
        if not t.is_real():
            raise OutsideFragment("an integer variable: quantifier elimination here is over the reals")
        if z3.is_rational_value(t):
            return sympy.Rational(t.numerator_as_long(), t.denominator_as_long())
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            return self.names[str(t)]
        k = t.decl().kind()
        kids = [self.term(c) for c in t.children()]
        if k == z3.Z3_OP_ADD:
            return sympy.Add(*kids)
        if k == z3.Z3_OP_MUL:
            return sympy.Mul(*kids)
        if k == z3.Z3_OP_SUB:
            return kids[0] - sympy.Add(*kids[1:])
        if k == z3.Z3_OP_UMINUS:
            return -kids[0]
        if k == z3.Z3_OP_POWER and kids[1].is_Integer and kids[1] >= 0:
            return kids[0] ** kids[1]
        raise OutsideFragment(f"{t} is not a polynomial")


def _polynomial(f: Formula) -> Formula:
    """An NNF formula over polynomial atoms, with negated atoms complemented (a
    polynomial is defined everywhere), constant atoms folded and quantifiers over
    absent variables dropped."""
    if isinstance(f, Not):
        a = f.arg
        return _polynomial(Atom(_COMPLEMENT[a.op], a.lhs, a.rhs))
    if isinstance(f, Atom):
        p = sympy.expand(f.lhs - f.rhs)
        if p.is_number:
            return Truth({"=": p == 0, "!=": p != 0, "<": p < 0, "<=": p <= 0,
                          ">": p > 0, ">=": p >= 0}[f.op])
        return Atom(f.op, p, sympy.Integer(0))
    if isinstance(f, And):
        return conj([_polynomial(a) for a in f.args])
    if isinstance(f, Or):
        return disj([_polynomial(a) for a in f.args])
    if isinstance(f, Quantified):
        body = _polynomial(f.body)
        used = free_symbols(body)
        binders = tuple(b for b in f.binders if b.symbol in used)
        return Quantified(f.kind, binders, body) if binders else body
    return f


def _prenex(f: Formula) -> tuple[list[tuple[str, list[sympy.Symbol]]], Formula]:
    """Quantifier blocks (outermost first) and matrix of an NNF formula whose bound
    variables are all distinct; sibling prefixes are merged so that blocks of one
    kind are pulled out together (fewer alternations)."""
    if isinstance(f, Quantified):
        blocks, matrix = _prenex(f.body)
        mine = [b.symbol for b in f.binders]
        if blocks and blocks[0][0] == f.kind:
            return [(f.kind, mine + blocks[0][1])] + blocks[1:], matrix
        return [(f.kind, mine)] + blocks, matrix
    if isinstance(f, (And, Or)):
        parts = [_prenex(a) for a in f.args]
        queues = [list(p) for p, _ in parts if p]
        merged: list[tuple[str, list[sympy.Symbol]]] = []
        while queues:
            kind = queues[0][0][0]
            block: list[sympy.Symbol] = []
            for q in queues:
                while q and q[0][0] == kind:
                    block += q.pop(0)[1]
            merged.append((kind, block))
            queues = [q for q in queues if q]
        join = conj if isinstance(f, And) else disj
        return merged, join([m for _, m in parts])
    return [], f


def _qepcad_names(symbols: list[sympy.Symbol]) -> dict[sympy.Symbol, str]:
    """A QEPCAD-readable, distinct name per variable (letters and digits)."""
    out: dict[sympy.Symbol, str] = {}
    used: set[str] = set()
    for s in symbols:
        name = s.name
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name) or name in _RESERVED or name in used:
            name = next(f"v{i}" for i in itertools.count() if f"v{i}" not in used
                        and f"v{i}" not in {t.name for t in symbols})
        used.add(name)
        out[s] = name
    return out


def _bracketed(f: Formula, names: dict[sympy.Symbol, str]) -> str:
    text = _qepcad_formula(f, names)
    return text if text.startswith("[") else f"[{text}]"


def _qepcad_formula(f: Formula, names: dict[sympy.Symbol, str]) -> str:
    if isinstance(f, Atom):
        return f"{_qepcad_poly(f.lhs - f.rhs, names)} {_QEPCAD_OP[f.op]} 0"
    if isinstance(f, (And, Or)):
        sep = " /\\ " if isinstance(f, And) else " \\/ "
        return "[" + sep.join(_qepcad_formula(a, names) for a in f.args) + "]"
    raise OutsideFragment(f"cannot print {type(f).__name__} for QEPCAD")


def _qepcad_poly(p: sympy.Expr, names: dict[sympy.Symbol, str]) -> str:
    """`p` times a positive constant, with integer coefficients, in QEPCAD's syntax
    (juxtaposition for products)."""
    gens = sorted(p.free_symbols, key=lambda s: names[s])
    _, poly = sympy.Poly(p, *gens).clear_denoms()
    text = ""
    for monom, coeff in poly.terms():
        c = int(coeff)
        factors = [names[g] if e == 1 else f"{names[g]}^{e}" for g, e in zip(gens, monom) if e]
        if abs(c) != 1 or not factors:
            factors.insert(0, str(abs(c)))
        term = " ".join(factors)
        text += (f" - {term}" if c < 0 else f" + {term}") if text else (f"-{term}" if c < 0 else term)
    return text


__all__ = ["INSTALL_HINT", "MEMORY_CELLS", "MAX_CELLS", "QeBackend", "Qepcad", "QeFailed", "QeProblem", "QeOutcome",
           "find_qepcad", "close_over", "to_problem", "eliminate", "answer_text", "read_answer"]
