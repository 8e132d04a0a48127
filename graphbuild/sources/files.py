"""Turn the paths a user gave into the files to read: walk directories, report what cannot be read.

Directories are walked depth-first in sorted name order, so the same tree always
yields the same files in the same order. Hidden names (``.git``, ``.DS_Store``)
are skipped, only known extensions are taken, and each real directory is entered
at most once per call, so symlink loops end.  A known extension may be followed by
``.gz``, ``.bz2`` or ``.xz`` (``news.jsonl.gz``): the file is decompressed as it is
read, and the size limit applies to what it decompresses to.  A directory with no
file to read is a problem ("no input files"), not silence.
"""

from __future__ import annotations

import bz2
import errno
import gzip
import lzma
import os
import stat
import zlib
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
    "COMPRESSED_EXTENSIONS",
    "discover",
    "file_stem",
    "format_suffix",
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
#: Compressions read transparently (standard library, streamed): extension -> opener.
_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
COMPRESSED_EXTENSIONS = frozenset(_OPENERS)


def format_suffix(path: Path) -> str:
    """The extension that names the format, lower case, under a compression extension.

    >>> format_suffix(Path("news/2024.JSONL.gz")), format_suffix(Path("a.txt")), format_suffix(Path("b.xz"))
    ('.jsonl', '.txt', '')
    """
    suffix = path.suffix.lower()
    if suffix in COMPRESSED_EXTENSIONS:
        return Path(path.stem).suffix.lower()
    return suffix


def file_stem(path: Path) -> str:
    """The file's name without its compression and format extensions: the id of a text article.

    >>> file_stem(Path("news/putin-kim-vostochny.txt")), file_stem(Path("a.b.md.gz")), file_stem(Path("notes"))
    ('putin-kim-vostochny', 'a.b', 'notes')
    """
    name = Path(path.stem) if _compression(path) else path
    return name.stem if name.suffix.lower() else name.name


def _compression(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return suffix if suffix in COMPRESSED_EXTENSIONS else None


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
            found = os.path.realpath(path) in seen_dirs  # named twice: read once, no second message
            for item in _walk(path, seen_dirs):
                found = True  # a file, or a problem that already says what is wrong
                yield item
            if not found:
                yield problem(str(path), "no input files here (readable: " + " ".join(sorted(KNOWN_EXTENSIONS))
                              + ", also compressed as .gz .bz2 .xz)")
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
            if format_suffix(child) in KNOWN_EXTENSIONS or not os.path.islink(child):
                yield problem(str(child), _missing_reason(child, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            entered = _enter(child, seen_dirs)
            if isinstance(entered, InputProblem):
                yield entered
            elif entered:
                stack.append(iter(entered))
        elif stat.S_ISREG(info.st_mode) and format_suffix(child) in KNOWN_EXTENSIONS:
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
    """Open ``path`` for binary reading (decompressing ``.gz``/``.bz2``/``.xz``), or a problem saying why not."""
    kind = _compression(path)
    try:
        if kind is None:
            return open(path, "rb")  # noqa: SIM115 - the caller closes it
        return _Decompressed(_OPENERS[kind](path, "rb"), kind)  # type: ignore[return-value]
    except OSError as exc:
        return problem(str(path), os_reason(exc))


class _Decompressed:
    """A decompressing reader whose damaged or truncated data raises :class:`OSError` like a read error.

    It has no ``fileno``: the size limit then counts decompressed bytes, not the file's.
    """

    _ERRORS = (EOFError, lzma.LZMAError, zlib.error, OSError)

    def __init__(self, stream: BinaryIO, kind: str) -> None:
        self._stream = stream
        self._kind = kind[1:]

    def _fail(self, exc: BaseException) -> OSError:
        detail = "truncated" if isinstance(exc, EOFError) else str(exc).split("\n")[0] or type(exc).__name__
        return OSError(errno.EIO, f"damaged {self._kind} data ({detail})")

    def read(self, size: int = -1, /) -> bytes:
        try:
            return self._stream.read(size)
        except self._ERRORS as exc:
            raise self._fail(exc) from None

    def readline(self, size: int = -1, /) -> bytes:
        try:
            return self._stream.readline(size)
        except self._ERRORS as exc:
            raise self._fail(exc) from None

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _Decompressed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
