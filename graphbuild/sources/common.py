"""Helpers every reader shares: stable ids, titles, dates, text clean-up, one-line reasons.

Readers hand their raw fields to :func:`make_article` so that every format gets the
same id, title and date rules.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
from datetime import date, datetime

from ..models import Article, InputProblem

__all__ = [
    "TITLE_MAX_CHARS",
    "make_article",
    "normalise_date",
    "stable_id",
    "title_from_text",
    "clean_text",
    "one_line",
    "unpaired_surrogate",
    "decode_utf8",
    "problem",
]

TITLE_MAX_CHARS = 200

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)")
_OTHER_DATE_FORMATS = ("%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d.%m.%Y")


def stable_id(own_id: str | None, url: str | None, text: str) -> str:
    """The article's own id, else its url, else ``sha256:`` + 16 hex digits of its text.

    The same text always gets the same id, wherever it was read from.

    >>> stable_id(None, None, "Arnor met Gondor.")
    'sha256:83d23c9fc5a7b5ac'
    >>> stable_id("a-1", "https://example.org/a", "x")
    'a-1'
    """
    if own_id:
        return own_id
    if url:
        return url
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def title_from_text(text: str) -> str:
    """First non-empty line of ``text``, a markdown ``#`` heading mark removed, cut at 200 chars.

    >>> title_from_text("\\n# Arnor and Gondor sign a pact\\n\\nBody.")
    'Arnor and Gondor sign a pact'
    """
    for line in text.split("\n"):
        line = line.strip()
        if line:
            line = _MARKDOWN_HEADING.sub("", line)
            return line[:TITLE_MAX_CHARS].rstrip()
    return ""


def normalise_date(value: str | None) -> str | None:
    """A date string as ``YYYY-MM-DD``, or None when it cannot be read (never an error).

    Accepts ISO 8601 (with or without time and zone), RFC 2822 (feeds) and a few
    common written forms. The calendar date is kept as written: no time-zone
    conversion, so ``2024-03-05T23:30:00-05:00`` stays ``2024-03-05``.
    An invalid or partial date (``2024-02-30``, ``March 2024``) gives None.

    >>> normalise_date("2024-03-05T23:30:00-05:00")
    '2024-03-05'
    >>> normalise_date("Tue, 05 Mar 2024 22:30:00 -0500")
    '2024-03-05'
    >>> normalise_date("5 March 2024")
    '2024-03-05'
    >>> normalise_date("2024-02-30") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    match = _ISO_PREFIX.match(value)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _OTHER_DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def clean_text(text: str) -> str:
    """Remove NUL characters (``\\x00``); everything else (quotes, RTL marks, emoji) is kept.

    NULs carry no meaning in an article and break C-string based tools, so they
    are dropped explicitly rather than left to each sink.  An unpaired UTF-16
    surrogate (no UTF-8 encoding exists for it, so no store or driver can take
    it) becomes U+FFFD, as HTML parsers do; JSON readers reject such fields
    first (see :func:`unpaired_surrogate`).

    >>> clean_text("a\\x00b\\ud800c")
    'ab\\ufffdc'
    """
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def unpaired_surrogate(value: str) -> str | None:
    """Why ``value`` is not valid Unicode (a lone surrogate, e.g. from a JSON ``\\ud800`` escape), else None.

    >>> unpaired_surrogate("ok \\U0001f680") is None, unpaired_surrogate("x\\udc00")
    (True, 'unpaired surrogate \\\\udc00 at character 1')
    """
    match = _SURROGATE.search(value)
    if match is None:
        return None
    return f"unpaired surrogate \\u{ord(match.group()):04x} at character {match.start()}"


def one_line(message: str) -> str:
    """Collapse any run of whitespace (newlines included) into one space.

    >>> one_line("bad\\n  thing")
    'bad thing'
    """
    return " ".join(message.split())


def decode_utf8(data: bytes, origin: str, base_offset: int = 0) -> str | InputProblem:
    """Decode UTF-8 (a leading BOM is dropped), else a problem naming the first bad byte.

    Never falls back to another encoding: a silent latin-1 guess would corrupt names.
    ``base_offset`` is added to the reported offset (the position of ``data`` in its file).

    >>> decode_utf8(b"ok \\xff", "f.txt")
    InputProblem(origin='f.txt', reason='not valid UTF-8 text at byte 3')
    """
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputProblem(origin, f"not valid UTF-8 text at byte {base_offset + bom + exc.start}")


def make_article(
    *,
    text: str,
    origin: str,
    own_id: str | None = None,
    title: str | None = None,
    date_value: str | None = None,
    url: str | None = None,
    source: str | None = None,
) -> Article:
    """Build an :class:`Article` with the shared rules: NUL-free text, stable id, title fallback, ISO date.

    Empty strings count as absent for id, title, url and source.
    """
    text = clean_text(text)
    own_id = clean_text(own_id).strip() if own_id else None
    url = clean_text(url).strip() if url else None
    source = clean_text(source).strip() if source else None
    title = clean_text(title).strip() if title else ""
    return Article(
        id=stable_id(own_id or None, url or None, text),
        text=text,
        title=title or title_from_text(text),
        date=normalise_date(date_value),
        url=url or None,
        source=source or None,
        origin=origin,
    )


def problem(origin: str, reason: str) -> InputProblem:
    """An :class:`InputProblem` whose reason is guaranteed to be one line."""
    return InputProblem.of(origin, reason)
