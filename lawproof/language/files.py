"""Names that become file names, and writing files safely.

Paper, claim, table and plot ids name the files a report writes
(`<paper>.md`, `artifacts/<paper>/<claim>.smt2`), so the loader accepts only
ids of a safe shape; the writer still checks every path it writes against the
output folder, and writes each file atomically (a run killed while writing leaves
the old file or the new one, never a truncated one).
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from .errors import ClaimInputError

#: A letter or digit, then letters, digits and . _ @ + = - (variant claims are named
#: `claim@R=linear`); at most 100 characters. No "/", "\", "..", spaces or controls.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+=-]{0,99}")
SAFE_ID_TEXT = "a letter or digit, then letters, digits and . _ @ + = - (at most 100, no '..')"


def id_problem(ident: str) -> str | None:
    """Why `ident` cannot name a file of a report, or None when it can."""
    if SAFE_ID.fullmatch(ident) and ".." not in ident:
        return None
    return f"{ident!r} is not a safe id: use {SAFE_ID_TEXT}"


def suggest_id(ident: str) -> str:
    """A safe id close to `ident` (for the fix in an error message)."""
    s = re.sub(r"[^A-Za-z0-9._@+=-]+", "-", ident)
    s = re.sub(r"\.{2,}", ".", s).strip("-._@+=")
    return s[:100] or "id"


def inside(folder: Path, rel: str | Path) -> Path:
    """`folder / rel`, resolved, after checking that it lies strictly inside `folder`
    (no absolute `rel`, no `..` out of it, no symlink leading out of it)."""
    root = Path(folder).resolve()
    path = (root / rel).resolve()
    if path == root or not path.is_relative_to(root):
        raise ClaimInputError(f"refusing to write {str(rel)!r}: it lies outside the output folder {folder}",
                              fix="use paper, claim and plot ids made of letters, digits, '.', '_' and '-'")
    return path


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then
    `os.replace` it over `path`."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
