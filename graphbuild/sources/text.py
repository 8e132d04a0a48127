"""Plain-text and markdown articles: the whole file is the text, its first line the title, its name the id."""

from __future__ import annotations

from ..models import Article, InputProblem
from .common import clean_text, decode_utf8, make_article, problem

__all__ = ["BINARY_SNIFF_BYTES", "is_binary", "read_text"]

BINARY_SNIFF_BYTES = 8 * 1024


def is_binary(data: bytes) -> bool:
    """True when the first 8 KiB hold a NUL byte (what ``grep`` and ``git`` also use)."""
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def read_text(data: bytes, origin: str, *, own_id: str | None = None,
              empty_reason: str = "empty file") -> Article | InputProblem:
    """One article from UTF-8 text bytes.

    ``text`` is the whole file (title line included, as in the gold files) with
    CRLF and lone CR turned into LF and a leading BOM dropped; the title is the first
    non-empty line without a markdown ``#`` mark. ``own_id`` is the article's id (a
    file's name without extensions, so that reading an edited file again replaces its
    article); without it (stdin) the id is the text's hash. Binary data, invalid UTF-8
    and whitespace-only files are problems.
    """
    if is_binary(data):
        return problem(origin, "binary file")
    text = decode_utf8(data, origin)
    if isinstance(text, InputProblem):
        return text
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return problem(origin, empty_reason)
    return make_article(text=text, origin=origin, own_id=own_id)
