"""``read_inputs``: every path (or stdin) to a lazy stream of articles and input problems.

Nothing here raises for a bad input: each unusable file, line or entry becomes one
:class:`InputProblem` and the stream goes on.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from ..models import Article, InputProblem
from .common import problem
from .files import (
    FEED_EXTENSIONS,
    HTML_EXTENSIONS,
    JSON_EXTENSIONS,
    JSONL_EXTENSIONS,
    STDIN,
    discover,
    file_stem,
    format_suffix,
    open_input,
    os_reason,
    read_limited,
)
from .jsonl import read_json, read_jsonl
from .text import read_text


def read_html(data: bytes, origin: str, *, max_bytes: int):
    """:func:`.html.read_html`, imported on first use (trafilatura takes a while to import)."""
    from .html import read_html as read

    return read(data, origin, max_bytes=max_bytes)


def read_feed(data: bytes, origin: str):
    """:func:`.feeds.read_feed`, imported on first use (it parses entries' HTML with trafilatura)."""
    from .feeds import read_feed as read

    return read(data, origin)


__all__ = ["DEFAULT_MAX_BYTES", "STDIN_ORIGIN", "read_inputs", "read_file", "read_stdin"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STDIN_ORIGIN = "<stdin>"

Item = Article | InputProblem


def read_inputs(
    paths: Sequence[str | os.PathLike[str]],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Yield the articles of ``paths`` lazily, and one problem per unusable item.

    Files are read by extension (``.txt .md .html .htm .jsonl .ndjson .json .xml .rss
    .atom``, each also compressed as ``.gz .bz2 .xz``; an explicit file with another
    extension is read as text), directories
    recursively (see :func:`~graphbuild.sources.files.discover`), ``"-"`` from
    ``stdin`` (default ``sys.stdin.buffer``) with the format sniffed. Files over
    ``max_bytes`` are problems; JSON Lines are streamed and limited per line.
    """
    for item in discover(paths):
        if isinstance(item, InputProblem):
            yield item
        elif item == STDIN:
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes=max_bytes)
        else:
            empty = True
            for found in read_file(item, max_bytes=max_bytes):
                empty = False
                yield found
            if empty:
                yield problem(str(item), "no articles in it")


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Articles of one file, read according to its extension (unknown: text)."""
    origin = str(path)
    stream = open_input(path)
    if isinstance(stream, InputProblem):
        yield stream
        return
    with stream:
        suffix = format_suffix(path)
        if suffix in JSONL_EXTENSIONS:
            yield from read_jsonl(stream, origin, max_bytes=max_bytes)
            return
        data = read_limited(stream, origin, max_bytes)
    if isinstance(data, InputProblem):
        if suffix in JSON_EXTENSIONS and "too large" in data.reason:
            data = problem(data.origin, data.reason + "; a .json file is read whole: give big corpora as JSON "
                           "Lines (.jsonl, one article a line, streamed)")
        yield data
    elif suffix in HTML_EXTENSIONS:
        yield read_html(data, origin, max_bytes=max_bytes)
    elif suffix in JSON_EXTENSIONS:
        yield from read_json(data, origin)
    elif suffix in FEED_EXTENSIONS:
        yield from read_feed(data, origin)
    else:
        yield read_text(data, origin, own_id=file_stem(path))


_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype\s+html|html)[\s>]", re.IGNORECASE)


def read_stdin(stream: BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Articles from standard input, its format sniffed from the first non-blank byte.

    ``{``: JSON Lines, streamed, when the first line is a JSON value; otherwise the
    whole input is tried as one JSON object, and if that fails too it is read as
    JSON Lines so that each bad line is reported. ``[``: a JSON array. ``<``: an
    RSS/Atom feed when the root element is ``rss``, ``feed`` or ``rdf:RDF``, else
    HTML. Anything else: plain text. Origins start with ``<stdin>``.
    """
    head = _read_head(stream, max_bytes)
    if isinstance(head, InputProblem):
        yield head
        return
    first = b"".join(head).lstrip(b"\xef\xbb\xbf").lstrip()[:1]
    if not first:
        yield problem(STDIN_ORIGIN, "empty input")
        return
    if first == b"{" and _parses(head[-1]):
        yield from read_jsonl(_Prepended(head, stream), STDIN_ORIGIN, max_bytes=max_bytes)
        return
    data = _read_rest(head, stream, max_bytes)
    if isinstance(data, InputProblem):
        yield data
    elif first == b"{":
        if _parses(data):
            yield from read_json(data, STDIN_ORIGIN)
        else:
            yield from read_jsonl(io.BytesIO(data), STDIN_ORIGIN, max_bytes=max_bytes)
    elif first == b"[":
        yield from read_json(data, STDIN_ORIGIN)
    elif first == b"<":
        sniff = data[:4096]
        if _FEED_ROOT.search(sniff) and not _HTML_ROOT.search(sniff):
            yield from read_feed(data, STDIN_ORIGIN)
        else:
            yield read_html(data, STDIN_ORIGIN, max_bytes=max_bytes)
    else:
        yield read_text(data, STDIN_ORIGIN, empty_reason="empty input")


def _read_head(stream: BinaryIO, max_bytes: int) -> list[bytes] | InputProblem:
    """Lines up to and including the first non-blank one (at most ``max_bytes + 1`` bytes)."""
    head: list[bytes] = []
    total = 0
    try:
        while total <= max_bytes:
            line = stream.readline(max_bytes + 1 - total)
            if not line:
                break
            head.append(line)
            total += len(line)
            if line.lstrip(b"\xef\xbb\xbf").strip():
                break
    except OSError as exc:
        return problem(STDIN_ORIGIN, os_reason(exc))
    return head


def _read_rest(head: list[bytes], stream: BinaryIO, max_bytes: int) -> bytes | InputProblem:
    """The whole input (head already read) if it fits in ``max_bytes``."""
    return read_limited(_Prepended(head, stream), STDIN_ORIGIN, max_bytes, what="input")


def _parses(data: bytes) -> bool:
    """True if ``data`` is one valid JSON document."""
    try:
        json.loads(data.lstrip(b"\xef\xbb\xbf").decode("utf-8"))
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return False
    return True


class _Prepended:
    """A binary reader that first returns already-read chunks, then the rest of ``stream``."""

    def __init__(self, chunks: list[bytes], stream: BinaryIO | None) -> None:
        self._chunks = list(chunks)
        self._stream = stream

    def readline(self, size: int = -1, /) -> bytes:
        if self._chunks:
            return self._chunks.pop(0)
        return self._stream.readline(size) if self._stream is not None else b""

    def read(self, size: int = -1, /) -> bytes:
        buffered = b"".join(self._chunks)
        self._chunks.clear()
        if size is not None and size >= 0:
            rest = self._stream.read(max(size - len(buffered), 0)) if self._stream is not None else b""
        else:
            rest = self._stream.read() if self._stream is not None else b""
        return buffered + rest
