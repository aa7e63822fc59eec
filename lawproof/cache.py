"""A persistent, content-addressed cache of claim results (issue 12).

An entry's key is a SHA-256 of everything a claim's verdict and evidence depend on:
the claim as written and as parsed, its timeout, the paper's id and path, every
[symbols] and [define] entry it uses (transitively, as written and as parsed),
lawproof's version and a digest of its own source files (an edited checkout never
serves results of another), the versions of Python, SymPy, mpmath, z3, python-flint,
lark and numpy, and where QEPCAD B is (it decides whether a region is derived).

An entry holds a checksum of its contents: a truncated or altered entry is a miss and
is recomputed, never believed. Entries are written to a temporary file and renamed
into place, so processes writing the same entry at once leave one whole entry.

Entries are pickles of `Result` (the renderers need the SymPy forms a report prints).
A checksum detects damage, not forgery: the cache folder is as trusted as the Python
environment, and is created readable by its owner only.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import pickle
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Union

import sympy

from .language.formula import Formula, to_text

if TYPE_CHECKING:
    from .language.claims import Claim, Theory
    from .verdict import Result

#: Bumped when the layout or the key's recipe changes (old entries are then never read).
FORMAT = 2
_MAGIC = b"lawproof-result-cache %d\n" % FORMAT
#: The packages whose source files make up lawproof (their digest is part of every key).
_PACKAGES = ("lawproof", "lawproof.symbolic", "lawproof.proofs", "lawproof.numeric")
#: Distributions whose versions can change a verdict, an artifact or a printed form.
_DEPENDENCIES = ("lawproof", "sympy", "mpmath", "z3-solver", "python-flint", "lark", "numpy")
_NAME = re.compile(r"[A-Za-z_]\w*")


def default_dir() -> Path:
    """`$XDG_CACHE_HOME/lawproof`, else `~/.cache/lawproof`."""
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base if base and os.path.isabs(base) else Path.home() / ".cache") / "lawproof"


class ResultCache:
    """Claim results stored under `directory`, one file per key."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"ResultCache({str(self.directory)!r})"

    def _path(self, key: str) -> Path:
        return self.directory / f"results-{FORMAT}" / key[:2] / key[2:]

    def get(self, key: str, *, forms: bool = True) -> Result | None:
        """The result stored under `key`, or None when there is none or the entry is
        damaged (wrong header, checksum or key). Its `formula_tree` and `assume_tree`
        are None (the caller has the claim's); with `forms` False so are
        `normalized_tree` and `evidence.closed_forms`, which only renderers of math
        need and which take most of the time to read back (SymPy rebuilds each term)."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        head, _, rest = data.partition(b"\n")
        digest, _, payload = rest.partition(b"\n")
        if head + b"\n" != _MAGIC or hashlib.sha256(payload).hexdigest().encode() != digest:
            return None
        try:
            stored, result, shown = pickle.loads(payload)
            if stored != key:
                return None
            if forms:
                result.normalized_tree, result.evidence.closed_forms = pickle.loads(shown)
        except Exception:  # noqa: BLE001 - a checksum collision or a foreign pickle: a miss
            return None
        return result

    def put(self, key: str, result: Result) -> None:
        """Store `result` under `key` atomically (a temporary file renamed into place).
        A cache that cannot be written (read-only, full) is skipped silently: the
        result is still correct, only not kept."""
        path = self._path(key)
        light = replace(result, formula_tree=None, assume_tree=None, normalized_tree=None,
                        evidence=replace(result.evidence, closed_forms=[]))
        shown = pickle.dumps((result.normalized_tree, result.evidence.closed_forms),
                             protocol=pickle.HIGHEST_PROTOCOL)
        payload = pickle.dumps((key, light, shown), protocol=pickle.HIGHEST_PROTOCOL)
        data = _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


CacheOption = Union[ResultCache, str, os.PathLike, bool, None]


def open_cache(option: CacheOption) -> ResultCache | None:
    """A ResultCache from the `cache=` option of the Python API: None or False for
    none, True for the default folder, a folder, or a ResultCache."""
    if option is None or option is False:
        return None
    if option is True:
        return ResultCache(default_dir())
    return option if isinstance(option, ResultCache) else ResultCache(option)


@functools.lru_cache(maxsize=1)
def environment() -> str:
    """What of this installation a result depends on, as one text."""
    from .proofs.region import find_qepcad

    versions = []
    for dist in _DEPENDENCIES:
        try:
            versions.append(f"{dist}={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist}=none")
    qepcad = find_qepcad()
    where = "none"
    if qepcad is not None:
        with contextlib.suppress(OSError):
            where = f"{qepcad.executable}:{os.path.getsize(qepcad.executable)}:{qepcad.home}"
    return "\n".join([f"source={source_digest()}", f"python={sys.version}",
                      *versions, f"qepcad={where}"])


@functools.lru_cache(maxsize=1)
def source_files() -> list[tuple[str, Path]]:
    """lawproof's own source files (Python and grammar), every subpackage included (an
    edit anywhere must miss the cache), as (name, path) in path order."""
    out = []
    for package in _PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for f in sorted(Path(folder).rglob("*")):
                if f.suffix in (".py", ".lark") and f.is_file():
                    out.append((f"{package}/{f.relative_to(folder).as_posix()}", f))
    return out


def source_digest() -> str:
    """SHA-256 of lawproof's own source files, in path order."""
    h = hashlib.sha256()
    for name, f in source_files():
        h.update(f"{name}\0".encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def claim_key(claim: Claim, theory: Theory, *, derivations: bool = True) -> str | None:
    """The cache key of checking `claim` of `theory`; None for a claim not read from a
    claim file (built in Python), whose text a key cannot take."""
    if not claim.source:
        return None
    own = "\n".join([
        f"paper={theory.id!r} path={theory.path!r}", f"claim={claim.source}",
        f"id={claim.id!r} timeout={claim.timeout!r} expect={claim.expect!r} check={claim.check!r}",
        f"formula={_formula_text(claim.formula)} assume={_formula_text(claim.assume)}",
        f"at={sorted((s.name, str(v)) for s, v in claim.at.items())}", f"region={claim.region!r}"])
    entries = _entries(theory)
    used = sorted(_uses(set(_NAME.findall(own)), entries))
    parts = [f"format={FORMAT}", environment(), f"derivations={derivations}", own,
             *(entries[name][0] for name in used)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


#: Per theory (by id, with the theory kept to rule out a reused id): its entries.
_ENTRIES: dict[int, tuple[Theory, dict[str, tuple[str, frozenset[str]]]]] = {}


def _entries(theory: Theory) -> dict[str, tuple[str, frozenset[str]]]:
    """Each symbol's and definition's part of a key (as written and as parsed) and the
    names it mentions (written, or present in its parsed form: a LaTeX definition's
    `R_{0}` is R0): computed once per theory, not once per claim."""
    known = _ENTRIES.get(id(theory))
    if known is not None and known[0] is theory:
        return known[1]
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for name in sorted({*theory.sources, *theory.symbols, *theory.definitions}):
        text = f"uses {name}={theory.sources.get(name, '')}"
        refs = set(_NAME.findall(theory.sources.get(name, "")))
        if name in theory.symbols:
            info = theory.symbols[name]
            text += f"\nsymbol {sympy.srepr(info.symbol)} in {info.domain!r}"
            refs |= _expr_names(sympy.Tuple(info.domain.lo, info.domain.hi))
        if name in theory.definitions:
            d = theory.definitions[name]
            text += (f"\ndefinition {sympy.srepr(sympy.Tuple(*d.params))} = {sympy.srepr(d.body)} "
                     f"lost {d.lost!r}")
            refs |= _expr_names(d.body) | {p.name for p in d.params}
        out[name] = (text, frozenset(refs))
    if len(_ENTRIES) > 64:  # a long-lived process checking many files: keep recent ones only
        _ENTRIES.clear()
    _ENTRIES[id(theory)] = (theory, out)
    return out


def _formula_text(f: Formula | None) -> str:
    return "" if f is None else to_text(f)


def _expr_names(e: sympy.Basic) -> set[str]:
    return {a.name for a in e.atoms(sympy.Symbol)} | \
        {a.func.__name__ for a in e.atoms(sympy.core.function.AppliedUndef)}


def _uses(names: set[str], entries: dict[str, tuple[str, frozenset[str]]]) -> set[str]:
    """The symbols and definitions among `entries` that `names` (every name a claim's
    text and parsed form mention) use, transitively. Taking a name too many only costs
    a needless recomputation; one too few could serve a stale result."""
    seen: set[str] = set()
    todo = set(names)
    while todo:
        name = todo.pop()
        if name in seen or name not in entries:
            continue
        seen.add(name)
        todo |= entries[name][1]
    return seen
