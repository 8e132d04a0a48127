"""Atomic file writing shared by every sink that writes files (exports, Cypher script, viz page).

A file is written to a temporary name in the same folder and renamed over the
target only when complete: an interruption, a full disk or a read-only folder never
leaves half a file behind, and the last two are one :class:`OutputError` line naming
the path and the reason.  A set of files that belong together (the CSV import set) is
written into a temporary folder and moved in only when every file is complete
(:func:`atomic_directory`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import OutputError

__all__ = ["atomic_directory", "atomic_open", "output_error"]


def output_error(path: str | os.PathLike[str], exc: OSError) -> OutputError:
    """One line for a failed write: the path and the reason, lower case.

    >>> str(output_error("out/g.json", OSError(28, "No space left on device")))
    'cannot write out/g.json: no space left on device'
    """
    reason = (exc.strerror or str(exc) or type(exc).__name__).lower()
    return OutputError(f"cannot write {path}: {reason}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8",
                newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success it replaces ``path`` (permissions as the umask
    gives a new file, not mkstemp's 0600); on any error it is removed and ``path`` is untouched.

    An OS error (disk full, file too large, read-only folder) becomes :class:`OutputError` naming ``path``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise output_error(target, exc) from None
    try:
        binary = "b" in mode
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else newline) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:  # ENOSPC, EFBIG, EIO while writing or closing
        Path(tmp).unlink(missing_ok=True)
        raise output_error(target, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary folder next to ``path`` to write a set of files into; on success they move into ``path``.

    When the block ends without error, a new or empty ``path`` is replaced by the folder
    in one rename; an existing one gets each file renamed over its old version (renames
    need no space).  On any error the temporary folder is removed and ``path`` keeps what
    it had: never half a set.  OS errors become :class:`OutputError` naming ``path``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise output_error(target, exc) from None
    try:
        yield staging
        os.chmod(staging, 0o777 & ~_umask())
        _publish(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise output_error(target, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _publish(staging: Path, target: Path) -> None:
    """Move the complete files of ``staging`` into ``target``."""
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    if not target.exists():
        os.rename(staging, target)
        return
    for name in sorted(os.listdir(staging)):
        os.replace(staging / name, target / name)
    staging.rmdir()
