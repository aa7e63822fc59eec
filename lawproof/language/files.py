"""Names that become file names, and writing files safely.

Paper, claim, table and plot ids name the files a report writes
(`<paper>.md`, `artifacts/<paper>/<claim>.smt2`), so the loader accepts only
ids of a safe shape; the writer still checks every path it writes against the
output folder, and writes each file atomically (a run killed while writing leaves
the old file or the new one, never a truncated one). A whole output folder is
replaced at once (`replace_folder`): built as a hidden sibling, then swapped in, under
a lock, so a killed run leaves the old folder or the new one and two runs at once
take turns.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import re
import secrets
import shutil
import sys
from pathlib import Path
from typing import Callable, Iterator

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
        written = Path(os.path.normpath(root / rel))
        # a path that stays inside as written leaves it through a symbolic link on the way
        fix = ("a symbolic link under the output folder leads out of it: remove it, or write the reports elsewhere"
               if written != root and written.is_relative_to(root)
               else "use paper, claim and plot ids made of letters, digits, '.', '_' and '-'")
        raise ClaimInputError(f"refusing to write {str(rel)!r}: it lies outside the output folder {folder}",
                              fix=fix, file=str(folder))
    return path


def default_dir() -> Path:
    """`$XDG_CACHE_HOME/lawproof`, else `~/.cache/lawproof`: the result cache's default
    folder, where the parser keeps its tables too."""
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base if base and os.path.isabs(base) else Path.home() / ".cache") / "lawproof"


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


# -- replacing a whole folder -------------------------------------------------------------

#: renameat2(2) flag: swap two existing paths in one step (Linux 3.15+, glibc 2.28+).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders `a` and `b` atomically; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not sys.platform.startswith("linux") or libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    if libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # a file system without the exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def leftovers(folder: Path) -> list[Path]:
    """Hidden siblings of `folder` that an interrupted `replace_folder` left behind."""
    folder = Path(folder).resolve()
    if not folder.parent.is_dir():
        return []
    pattern = re.compile(rf"\.{re.escape(folder.name)}\.(new|old)-[0-9]+-[0-9a-f]+")
    return sorted(p for p in folder.parent.iterdir() if pattern.fullmatch(p.name))


@contextlib.contextmanager
def folder_lock(folder: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold a lock on replacing `folder` (an flock on its parent folder, so the lock
    survives the swap and leaves no file behind); wait, with a message, while another
    run holds it. `shared` for readers (`report --check`)."""
    parent = Path(folder).resolve().parent
    if not parent.is_dir():
        yield  # nothing there to read or replace yet
        return
    fd = os.open(parent, os.O_RDONLY)
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another lawproof run that is writing under {parent} ...",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)  # releases the lock


def replace_folder(folder: Path, fill: Callable[[Path], None]) -> None:
    """Give `folder` new contents all at once: copy it to a hidden sibling
    `.<name>.new-*`, let `fill` change the copy, then swap the copy in.

    A run killed at any moment leaves `folder` entirely old or entirely new (on Linux
    the swap is one renameat2(RENAME_EXCHANGE); elsewhere two renames, and a run killed
    between them leaves the old folder as `.<name>.old-*`, put back by the next run).
    Runs replacing the same folder take turns (`folder_lock`); each starts from what
    the previous one left, and removes the siblings of interrupted runs.
    """
    folder = Path(folder).resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder):
        for stale in leftovers(folder):
            if stale.name.startswith(f".{folder.name}.old-") and not folder.exists():
                os.rename(stale, folder)  # the old folder of a run killed mid-swap
            else:
                shutil.rmtree(stale, ignore_errors=True)
        token = f"{os.getpid()}-{secrets.token_hex(4)}"
        new = folder.with_name(f".{folder.name}.new-{token}")
        if folder.is_dir():
            shutil.copytree(folder, new, symlinks=True)  # copies, not links: `fill` may edit in place
        else:
            new.mkdir()
        try:
            fill(new)
            if not folder.exists():
                os.rename(new, folder)
            elif _exchange(new, folder):
                shutil.rmtree(new)  # now the old contents
            else:
                old = folder.with_name(f".{folder.name}.old-{token}")
                os.rename(folder, old)
                os.rename(new, folder)
                shutil.rmtree(old)
        finally:
            shutil.rmtree(new, ignore_errors=True)
