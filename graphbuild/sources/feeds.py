"""RSS and Atom feeds: each entry is an article; the feed's title is the source.

An entry's text is its title, a blank line, then its content (or summary) turned
from HTML into plain text. Entries are numbered from 1 in origins: ``path#entry 3``.
A feed that is not well-formed but still yields entries (feedparser's "bozo" flag)
is read anyway.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import feedparser

from ..models import Article, InputProblem, content_hash
from .common import TITLE_MAX_CHARS, make_article, normalise_date, one_line, problem
from .html import html_to_text

__all__ = ["FeedEntry", "parse_feed", "read_feed"]


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its key (id, else link, else number), link, own text as an article, and fingerprint.

    The fingerprint changes when anything the feed says about the entry changes.
    """

    number: int
    key: str
    link: str | None
    article: Article | InputProblem
    fingerprint: str


def parse_feed(data: bytes, origin: str, *,
               content_type: str | None = None) -> tuple[str | None, list[FeedEntry]] | InputProblem:
    """The feed's title and entries, or one problem when ``data`` is not a feed with entries.

    ``content_type`` (an HTTP header) helps feedparser find the encoding.
    """
    headers = {"content-type": content_type} if content_type else None
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - a parser crash on one file must not stop the run
        return problem(origin, f"feed parsing failed: {type(exc).__name__}: {exc}")
    if not parsed.get("version") and not parsed.entries:
        detail = parsed.get("bozo_exception")
        suffix = f" ({one_line(str(detail))})" if parsed.get("bozo") and detail else ""
        return problem(origin, f"not an RSS or Atom feed{suffix}")
    if not parsed.entries:
        return problem(origin, "feed has no entries")
    feed_title = parsed.feed.get("title") or None
    entries = []
    for number, entry in enumerate(parsed.entries, start=1):
        article = _entry_article(entry, f"{origin}#entry {number}", feed_title)
        link = (entry.get("link") or "").strip() or None
        key = (entry.get("id") or "").strip() or link or f"entry {number}"
        fingerprint = content_hash(key, link, entry.get("title"), _updated(entry),
                                   article.sha256 if isinstance(article, Article) else article.reason)
        entries.append(FeedEntry(number, key, link, article, fingerprint))
    return feed_title, entries


def _updated(entry: Any) -> str | None:
    """When the entry says it was last changed (read without feedparser's deprecated updated->published alias)."""
    return dict.get(entry, "updated") or dict.get(entry, "published")


def read_feed(data: bytes, origin: str) -> Iterator[Article | InputProblem]:
    """Articles from the entries of an RSS/Atom document, or problems for the unusable ones."""
    parsed = parse_feed(data, origin)
    if isinstance(parsed, InputProblem):
        yield parsed
        return
    for entry in parsed[1]:
        yield entry.article


def _entry_article(entry: Any, origin: str, feed_title: str | None) -> Article | InputProblem:
    """One entry as an article; an entry without any text is a problem."""
    body = _entry_body(entry)
    if not body:
        return problem(origin, "feed entry has no text")
    title = " ".join((entry.get("title") or "").split())[:TITLE_MAX_CHARS]
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    return make_article(
        text=body,
        origin=origin,
        own_id=entry.get("id"),
        title=title,
        date_value=_entry_date(entry),
        url=entry.get("link"),
        source=feed_title,
    )


def _entry_body(entry: Any) -> str:
    """Plain text of the entry's full content, else of its summary."""
    candidates = [part for part in entry.get("content") or () if part.get("value")]
    if entry.get("summary_detail", {}).get("value"):
        candidates.append(entry["summary_detail"])
    elif entry.get("summary"):
        candidates.append({"value": entry["summary"], "type": "text/html"})
    for part in candidates:
        value = part.get("value") or ""
        text = value.strip() if part.get("type") == "text/plain" else html_to_text(value)
        if text.strip():
            return text
    return ""


def _entry_date(entry: Any) -> str | None:
    """Published (else updated) date as written in the feed, else feedparser's UTC reading."""
    for key in ("published", "updated", "created"):
        date = normalise_date(entry.get(key))
        if date:
            return date
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    return None
