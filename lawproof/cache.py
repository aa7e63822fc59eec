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

Derived values (the closed forms of `solve`, `argmin`, `argmax` definitions, SymPy's
costliest work) are kept the same way under `derived-N/`, keyed by the derivation and
its symbols' domains (`DerivedValues`): a claim edited, or a new claim using a derived
definition, does not derive it again.

The folder stays bounded: after a run that kept new results, the least recently used
entries beyond `DEFAULT_MAX_BYTES` are removed (a hit counts as a use; entries of other
formats, which this version never reads, are the least recently used); `lawproof
prune-cache` prunes by size or age on demand (`ResultCache.prune`).

Entries are pickles of `Result` or of SymPy values (the renderers need the SymPy forms a report prints).
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
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Union

import sympy

from .language.files import default_dir
from .language.formula import Formula, to_text

if TYPE_CHECKING:
    from .language.claims import Claim, Theory
    from .verdict import Result

#: Bumped when the layout or the key's recipe changes (old entries are then never read).
FORMAT = 3
_MAGIC = b"lawproof-result-cache %d\n" % FORMAT
#: The packages whose source files make up lawproof (their digest is part of every key).
_PACKAGES = ("lawproof", "lawproof.symbolic", "lawproof.proofs", "lawproof.numeric")
#: Distributions whose versions can change a verdict, an artifact or a printed form.
_DEPENDENCIES = ("lawproof", "sympy", "mpmath", "z3-solver", "python-flint", "lark", "numpy")
_NAME = re.compile(r"[A-Za-z_]\w*")
#: The cache's size cap unless set otherwise: a check of the bundled papers keeps about
#: 1 MB, so this is some hundreds of such runs.
DEFAULT_MAX_BYTES = 256 * 2**20
#: A temporary file this old is a writer's leftover (a killed process), not a write in progress.
_STALE_TEMPORARY_SECONDS = 3600.0


@dataclass
class Pruned:
    """What `ResultCache.prune` did: entries removed and kept, and their bytes."""

    removed: int = 0
    freed: int = 0
    kept: int = 0
    size: int = 0


class ResultCache:
    """Claim results stored under `directory`, one file per key."""

    def __init__(self, directory: str | os.PathLike[str], max_bytes: int | None = DEFAULT_MAX_BYTES) -> None:
        self.directory = Path(directory)
        #: the size `prune_if_grown` keeps the folder under (None: unbounded)
        self.max_bytes = max_bytes
        #: entries this object stored (a run that stored none leaves the size as it was)
        self.written = 0

    def __repr__(self) -> str:
        return f"ResultCache({str(self.directory)!r})"

    def _path(self, key: str, kind: str = "results") -> Path:
        return self.directory / f"{kind}-{FORMAT}" / key[:2] / key[2:]

    def get(self, key: str, *, forms: bool = True) -> Result | None:
        """The result stored under `key`, or None when there is none or the entry is
        damaged (wrong header, checksum or key). Its `formula_tree` and `assume_tree`
        are None (the caller has the claim's); with `forms` False so are
        `normalized_tree` and `evidence.closed_forms`, which only renderers of math
        need and which take most of the time to read back (SymPy rebuilds each term)."""
        try:
            result, shown = self._read(self._path(key), key)
            if forms:
                result.normalized_tree, result.evidence.closed_forms = pickle.loads(shown)
        except Exception:  # noqa: BLE001 - missing, damaged, a checksum collision or a foreign pickle: a miss
            return None
        return result

    def put(self, key: str, result: Result) -> None:
        """Store `result` under `key` atomically (a temporary file renamed into place).
        A cache that cannot be written (read-only, full) is skipped silently: the
        result is still correct, only not kept."""
        light = replace(result, formula_tree=None, assume_tree=None, normalized_tree=None,
                        evidence=replace(result.evidence, closed_forms=[]))
        shown = pickle.dumps((result.normalized_tree, result.evidence.closed_forms),
                             protocol=pickle.HIGHEST_PROTOCOL)
        self._write(self._path(key), key, (light, shown))

    def derivations(self) -> "DerivedValues":
        """The derived values (closed forms of solve, argmin, argmax) kept in this folder."""
        return DerivedValues(self)

    def _read(self, path: Path, key: str) -> object:
        """The value of the entry at `path` (checked: header, checksum, key); raises
        on a missing or damaged entry. A used entry becomes recent: pruning keeps it longest."""
        data = path.read_bytes()
        head, _, rest = data.partition(b"\n")
        digest, _, payload = rest.partition(b"\n")
        if head + b"\n" != _MAGIC or hashlib.sha256(payload).hexdigest().encode() != digest:
            raise ValueError("damaged entry")
        stored, value = pickle.loads(payload)
        if stored != key:
            raise ValueError("another key's entry")
        with contextlib.suppress(OSError):
            os.utime(path)
        return value

    def _write(self, path: Path, key: str, value: object) -> None:
        payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
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
            self.written += 1
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def prune(self, *, max_bytes: int | None = None, max_age_days: float | None = None) -> Pruned:
        """Remove leftover temporary files, the entries not used for `max_age_days`,
        then the least recently used entries until the rest take at most `max_bytes`. Safe while other
        processes use the cache: an entry removed under a reader is a miss there."""
        out = Pruned()
        now = time.time()
        entries: list[tuple[float, int, Path]] = []
        # every format's entries: those of another version of lawproof sharing the folder
        # are never used by this one, so they age out first (and come back if it runs again)
        for f in (*self.directory.glob("results-*/*/*"), *self.directory.glob("derived-*/*/*")):
            try:
                st = f.stat()
            except OSError:
                continue
            if f.name.startswith(".tmp-"):
                if now - st.st_mtime > _STALE_TEMPORARY_SECONDS:
                    self._remove(f, st.st_size, out)
                continue
            entries.append((st.st_mtime, st.st_size, f))
        entries.sort(key=lambda e: (e[0], e[2]))  # least recently used first
        total = sum(size for _, size, _ in entries)
        for used, size, f in entries:
            too_old = max_age_days is not None and now - used > max_age_days * 86400
            if too_old or (max_bytes is not None and total > max_bytes):
                self._remove(f, size, out)
                total -= size
            else:
                out.kept += 1
        out.size = total
        return out

    def prune_if_grown(self) -> Pruned | None:
        """After a run: prune to `max_bytes` when this object stored entries."""
        if not self.written or self.max_bytes is None:
            return None
        self.written = 0
        return self.prune(max_bytes=self.max_bytes)

    @staticmethod
    def _remove(f: Path, size: int, out: Pruned) -> None:
        try:
            f.unlink()
        except OSError:
            return
        out.removed += 1
        out.freed += size


class DerivedValues:
    """Derived values kept in a ResultCache's folder between runs (the symbolic layer's
    DerivationStore): the key is a SHA-256 of the text the symbolic layer gives (the
    node and its symbols' domains) and of this installation (`environment`), like a
    result's; entries are checked and written like results."""

    def __init__(self, cache: ResultCache) -> None:
        self.cache = cache

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"format={FORMAT}\n{environment()}\n{text}".encode()).hexdigest()

    def get(self, text: str) -> tuple[sympy.Expr, str] | None:
        """The value kept for `text`, or None (none, or a damaged entry)."""
        key = self._key(text)
        try:
            value, how = self.cache._read(self.cache._path(key, "derived"), key)
        except Exception:  # noqa: BLE001 - missing or damaged: a miss
            return None
        return value, how

    def put(self, text: str, value: tuple[sympy.Expr, str]) -> None:
        """Keep `value` for `text` (skipped silently when the folder cannot be written)."""
        key = self._key(text)
        self.cache._write(self.cache._path(key, "derived"), key, value)


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


def same_lawproof(other: str) -> bool:
    """Whether `other`, another process's `environment()`, runs this lawproof: the same
    source and the same versions of the packages a verdict depends on. Python's build
    and where QEPCAD B lies may differ (a cluster's workers on other machines)."""
    def verdicts(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith(("python=", "qepcad="))]
    return verdicts(other) == verdicts(environment())


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


def names_used(claim: Claim, theory: Theory) -> set[str]:
    """The symbols and definitions of `theory` that `claim`'s text mentions, transitively."""
    return _uses(set(_NAME.findall(claim.source or "")), _entries(theory))


#: Per theory (by id, with the theory kept to rule out a reused id, and what its entries
#: were computed from: `_state`): its entries.
_ENTRIES: dict[int, tuple[Theory, tuple, dict[str, tuple[str, frozenset[str]]]]] = {}


def _state(theory: Theory) -> tuple:
    """What a theory's entries are computed from. A Theory can be changed in place
    (from Python, between two checks of a loaded file); its values are immutable, so
    comparing this with an earlier one (identity first, element by element) tells
    whether it was."""
    return tuple(tuple(d.items()) for d in (theory.sources, theory.symbols, theory.definitions))


def _entries(theory: Theory) -> dict[str, tuple[str, frozenset[str]]]:
    """Each symbol's and definition's part of a key (as written and as parsed) and the
    names it mentions (written, or present in its parsed form: a LaTeX definition's
    `R_{0}` is R0): computed once per theory, not once per claim."""
    known, state = _ENTRIES.get(id(theory)), _state(theory)
    if known is not None and known[0] is theory and known[1] == state:
        return known[2]
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
    _ENTRIES[id(theory)] = (theory, state, out)
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
