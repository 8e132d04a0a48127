"""JSON Lines (streamed line by line) and JSON (one object or a list) article records.

A record is an object with a non-empty string ``text`` and optional string (or
null) ``id``, ``title``, ``date``, ``url``, ``source``; other keys (the gold
``entities`` and ``relations``) are ignored. The text is kept exactly as given,
except that NUL characters are removed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from ..models import Article, InputProblem
from .common import decode_utf8, make_article, problem, unpaired_surrogate
from .files import os_reason

__all__ = ["OPTIONAL_FIELDS", "LineReader", "article_from_record", "read_jsonl", "read_json"]

OPTIONAL_FIELDS = ("id", "title", "date", "url", "source")

_DRAIN_CHUNK = 1 << 20


class LineReader(Protocol):
    """Anything with a binary ``readline(size)``: an open file, ``sys.stdin.buffer``."""

    def readline(self, size: int = -1, /) -> bytes: ...


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, for messages.

    >>> json_type([1]), json_type(None), json_type(True)
    ('array', 'null', 'boolean')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def article_from_record(record: Any, origin: str) -> Article | InputProblem:
    """An article from one parsed JSON record, or a problem naming the first bad field."""
    if not isinstance(record, dict):
        return problem(origin, f"expected a JSON object, got {json_type(record)}")
    if "text" not in record:
        return problem(origin, "missing 'text'")
    text = record["text"]
    if not isinstance(text, str):
        return problem(origin, "'text' must be a string")
    if not text.replace("\x00", "").strip():
        return problem(origin, "'text' is empty")
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return problem(origin, f"'{name}' must be a string")
    for name in ("text", *OPTIONAL_FIELDS):
        bad = unpaired_surrogate(record.get(name) or "")
        if bad:  # only a JSON escape such as "\ud800" makes one; no store or driver can encode it
            return problem(origin, f"'{name}' is not valid Unicode ({bad})")
    return make_article(
        text=text,
        origin=origin,
        own_id=record.get("id"),
        title=record.get("title"),
        date_value=record.get("date"),
        url=record.get("url"),
        source=record.get("source"),
    )


def _invalid_json(exc: json.JSONDecodeError, *, with_line: bool) -> str:
    where = f"line {exc.lineno} column {exc.colno}" if with_line else f"column {exc.colno}"
    msg = exc.msg.removesuffix(" at")  # "Unterminated string starting at" would read "at at"
    return f"invalid JSON: {msg} at {where}"


def _unusable_json(exc: Exception) -> str:
    """Reason for JSON that the parser rejects other than by syntax (depth, huge integers)."""
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {exc}"


def read_jsonl(reader: LineReader, origin: str, *, max_bytes: int) -> Iterator[Article | InputProblem]:
    """Stream one article (or problem) per non-blank line; origins are ``origin:LINE``.

    Only one line is held in memory at a time; a line longer than ``max_bytes``
    (newline excluded) is skipped in chunks and reported. The file as a whole has
    no size limit, so a corpus of any length can be streamed.
    """
    lineno = 0
    offset = 0  # byte offset of the current line in the stream, for decoding errors
    while True:
        try:
            raw = reader.readline(max_bytes + 1)
        except OSError as exc:
            yield problem(f"{origin}:{lineno + 1}", os_reason(exc))
            return
        if not raw:
            return
        lineno += 1
        where = f"{origin}:{lineno}"
        line_offset = offset
        offset += len(raw)
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size, offset = _skip_rest_of_line(reader, len(raw), offset)
            yield problem(where, f"line too large ({size} bytes > limit {max_bytes})")
            continue
        if not raw.strip():
            continue
        line = decode_utf8(raw, where, line_offset) if lineno == 1 else _decode(raw, where, line_offset)
        if isinstance(line, InputProblem):
            yield line
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line.rstrip("\r\n"))  # so a column points into the line, not past it
        except json.JSONDecodeError as exc:
            yield problem(where, _invalid_json(exc, with_line=False))
            continue
        except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4300 digits
            yield problem(where, _unusable_json(exc))
            continue
        yield article_from_record(record, where)


def _skip_rest_of_line(reader: LineReader, size: int, offset: int) -> tuple[int, int]:
    """Read past the rest of an over-long line in chunks; its length (newline excluded) and the new offset."""
    while True:
        chunk = reader.readline(_DRAIN_CHUNK)
        offset += len(chunk)
        if not chunk:
            return size, offset
        if chunk.endswith(b"\n"):
            return size + len(chunk) - 1, offset
        size += len(chunk)


def _decode(raw: bytes, origin: str, offset: int) -> str | InputProblem:
    """Decode a line that is not the first one (a BOM is only skipped at the start of the file)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputProblem(origin, f"not valid UTF-8 text at byte {offset + exc.start}")


def read_json(data: bytes, origin: str) -> Iterator[Article | InputProblem]:
    """Articles from a JSON document: one object (origin ``path``) or a list (``path#INDEX``, from 0)."""
    text = decode_utf8(data, origin)
    if isinstance(text, InputProblem):
        yield text
        return
    if not text.strip():
        yield problem(origin, "empty file")
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        yield problem(origin, _invalid_json(exc, with_line=True))
        return
    except (ValueError, RecursionError) as exc:
        yield problem(origin, _unusable_json(exc))
        return
    if isinstance(document, dict):
        yield article_from_record(document, origin)
    elif isinstance(document, list):
        if not document:
            yield problem(origin, "empty JSON array")
        for index, record in enumerate(document):
            yield article_from_record(record, f"{origin}#{index}")
    else:
        yield problem(origin, f"expected a JSON object or an array of objects, got {json_type(document)}")
