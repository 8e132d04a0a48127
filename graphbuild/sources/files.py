"""Turn the paths a user gave into the files to read: walk directories, report what cannot be read.

Directories are walked depth-first in sorted name order, so the same tree always
yields the same files in the same order. Hidden names (``.git``, ``.DS_Store``)
are skipped, only known extensions are taken, and each real directory is entered
at most once per call, so symlink loops end.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Final

from ..models import InputProblem
from .common import problem

__all__ = [
    "STDIN",
    "TEXT_EXTENSIONS",
    "HTML_EXTENSIONS",
    "JSONL_EXTENSIONS",
    "JSON_EXTENSIONS",
    "FEED_EXTENSIONS",
    "KNOWN_EXTENSIONS",
    "discover",
    "os_reason",
    "open_input",
    "read_limited",
]

STDIN: Final = "-"
"""The path that means standard input."""

TEXT_EXTENSIONS = frozenset({".txt", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})
FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom"})
KNOWN_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS | JSON_EXTENSIONS | FEED_EXTENSIONS


def os_reason(exc: OSError) -> str:
    """A short lower-case reason for an OS error, without the path (the origin already names it).

    >>> os_reason(FileNotFoundError(2, "No such file or directory"))
    'no such file or directory'
    """
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | str | InputProblem]:
    """Expand ``paths`` into files to read, in order: a :class:`Path`, :data:`STDIN` or a problem.

    A file named explicitly is yielded whatever its extension; inside directories
    only :data:`KNOWN_EXTENSIONS` (any case) are. ``"-"`` yields :data:`STDIN`.
    Missing or unreadable paths and broken symlinks become problems.
    """
    seen_dirs: set[str] = set()
    for raw in paths:
        if isinstance(raw, str) and raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        try:
            info = os.stat(path)
        except OSError as exc:
            yield problem(str(path), _missing_reason(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, seen_dirs)
        else:
            yield path


def _missing_reason(path: Path, exc: OSError) -> str:
    """Reason for a path that cannot be stat'ed; names a dangling symlink as such."""
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return "broken symbolic link"
    return os_reason(exc)


def _walk(top: Path, seen_dirs: set[str]) -> Iterator[Path | InputProblem]:
    """Depth-first, name-sorted walk with an explicit stack (no recursion limit on deep trees)."""
    stack: list[Iterator[Path]] = []
    entered = _enter(top, seen_dirs)
    if isinstance(entered, InputProblem):
        yield entered
        return
    stack.append(iter(entered))
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        try:
            info = os.stat(child)
        except OSError as exc:
            if child.suffix.lower() in KNOWN_EXTENSIONS or not os.path.islink(child):
                yield problem(str(child), _missing_reason(child, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            entered = _enter(child, seen_dirs)
            if isinstance(entered, InputProblem):
                yield entered
            elif entered:
                stack.append(iter(entered))
        elif stat.S_ISREG(info.st_mode) and child.suffix.lower() in KNOWN_EXTENSIONS:
            yield child
        # sockets, FIFOs and devices inside a directory are skipped: reading them could block.


def _enter(directory: Path, seen_dirs: set[str]) -> list[Path] | InputProblem:
    """Sorted visible children of ``directory``; empty if its real path was already walked."""
    real = os.path.realpath(directory)
    if real in seen_dirs:
        return []
    seen_dirs.add(real)
    try:
        with os.scandir(directory) as entries:
            names = sorted(entry.name for entry in entries if not entry.name.startswith("."))
    except OSError as exc:
        return problem(str(directory), os_reason(exc))
    return [directory / name for name in names]


def open_input(path: Path) -> BinaryIO | InputProblem:
    """Open ``path`` for binary reading, or a problem saying why it cannot be."""
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as exc:
        return problem(str(path), os_reason(exc))


def read_limited(stream: BinaryIO, origin: str, max_bytes: int, *, what: str = "file") -> bytes | InputProblem:
    """Read all of ``stream`` if it holds at most ``max_bytes``, else a "too large" problem.

    Never reads more than ``max_bytes + 1`` bytes into memory; the size in the
    message comes from ``fstat`` for regular files, or from draining a pipe in chunks.
    """
    try:
        size = _regular_size(stream)
        if size is not None and size > max_bytes:
            return _too_large(origin, what, size, max_bytes)
        data = stream.read(max_bytes + 1)
        if len(data) <= max_bytes:
            return data
        total = len(data)
        del data
        while chunk := stream.read(1 << 20):
            total += len(chunk)
        return _too_large(origin, what, total, max_bytes)
    except OSError as exc:
        return problem(origin, os_reason(exc))


def _regular_size(stream: BinaryIO) -> int | None:
    """Size of the file behind ``stream`` if it is a regular file, else None."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, AttributeError, ValueError):
        return None  # io.BytesIO and other in-memory streams have no file number
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _too_large(origin: str, what: str, size: int, max_bytes: int) -> InputProblem:
    return problem(origin, f"{what} too large ({size} bytes > limit {max_bytes})")
