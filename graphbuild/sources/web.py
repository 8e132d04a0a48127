"""URLs and feed URLs as inputs: fetched by :mod:`.fetch`, then read like files (:mod:`.html`, :mod:`.feeds`).

A URL that returns HTML is one article: trafilatura's text, title and date, the
site name as ``source`` (else the host), and as ``id`` and ``url`` the page's
canonical URL (else the URL it was fetched from), normalised by
:func:`canonical_url`, so a page fetched again keeps its id: a changed page
replaces its old extraction and an unchanged one is reported ``unchanged``.

A URL that returns RSS or Atom expands to its entries: each entry's link is
fetched as a page (full text); when that fails the entry's own text from the feed
is stored instead (id: the link) and a notice says so; an entry without a link is
read from the feed alone. Pages are fetched ``concurrency`` at a time, results
come back in input order.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..models import Article, InputProblem
from .common import problem
from .feeds import FeedEntry, parse_feed
from .fetch import FEED_TYPES, HTML_TYPES, Fetched, Fetcher
from .files import os_reason
from .reader import DEFAULT_MAX_BYTES, read_inputs

__all__ = [
    "Notice",
    "WebReader",
    "canonical_link",
    "canonical_url",
    "decode_html",
    "is_url",
    "read_sources",
    "read_url_list",
]

Item = Article | InputProblem
T = TypeVar("T")
R = TypeVar("R")

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
#: What browsers read for labels that name a subset of windows-1252 (WHATWG Encoding).
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Notice:
    """Something the user should know that is not a failure (a feed entry stored from the feed's own text)."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def is_url(value: str) -> bool:
    """True for an ``http://`` or ``https://`` address (what ``ingest`` fetches instead of opening).

    >>> is_url("https://example.org/a"), is_url("HTTP://x"), is_url("notes/http.txt")
    (True, True, False)
    """
    return value[:8].lower().startswith(("http://", "https://"))


def canonical_url(url: str, base: str | None = None) -> str:
    """``url`` (resolved against ``base``) with scheme and host in lower case, default port and fragment dropped.

    >>> canonical_url("HTTP://News.Example.ORG:80/a/b?x=1#top")
    'http://news.example.org/a/b?x=1'
    >>> canonical_url("/world/pact", base="https://example.org:8443/index.html")
    'https://example.org:8443/world/pact'
    """
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def decode_html(body: bytes, charset: str | None = None) -> str:
    """A page's text: its BOM, else the HTTP charset, else ``<meta charset>``, else UTF-8, else a detected one.

    ``latin-1`` and ``ascii`` labels are read as windows-1252, as browsers do.

    >>> decode_html("<meta charset=windows-1252><p>caf\\xe9 \\x93quoted\\x94".encode("latin-1"))[-16:]
    '<p>café “quoted”'
    >>> decode_html("Zürich".encode("utf-8"), "iso-8859-1")
    'ZÃ¼rich'
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace")
    meta = _META_CHARSET.search(body[:4096])
    for label in (charset, meta.group(1).decode("ascii", "replace") if meta else None):
        if not label:
            continue
        label = label.lower()
        codec = "windows-1252" if label in _WINDOWS_1252_LABELS else label
        try:
            return body.decode(codec, errors="replace")
        except LookupError:
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:65536]).best()
    return body.decode(best.encoding if best else "utf-8", errors="replace")


def canonical_link(html: str) -> str | None:
    """The ``href`` of the page's ``<link rel="canonical">`` as written (trafilatura keeps absolute ones only).

    >>> canonical_link('<html><head><link href="/world/a" rel="Canonical"></head><body>x</body></html>')
    '/world/a'
    """
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    end = html.lower().find("</head>")
    head = html[: end + 7] if end >= 0 else html[:65536]
    try:
        root = lxml_html.fromstring(head)
    except (ParserError, ValueError):
        return None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return link.get("href").strip()
    return None


def read_url_list(path: str | Path) -> list[str | InputProblem]:
    """The URLs of a ``--urls`` file: one a line; blank lines and ``#`` comments skipped; other lines problems."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return [problem(str(path), os_reason(exc))]
    except UnicodeDecodeError as exc:
        return [problem(str(path), f"not valid UTF-8 text at byte {exc.start}")]
    out: list[str | InputProblem] = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.append(line if is_url(line) else problem(f"{path}:{number}", f"not an http(s) URL: {line[:80]}"))
    return out


def _ordered(pool: ThreadPoolExecutor, fn: Callable[[T], R], items: Iterable[T], window: int) -> Iterator[R]:
    """``map(fn, items)`` run on ``pool``, at most ``window`` ahead, results in input order."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class WebReader:
    """Turns URLs into articles (pages and feed entries), fetching with one :class:`Fetcher`.

    ``on_notice`` hears each :class:`Notice`; ``skip_entry(feed_url, entry)`` may
    leave out feed entries already stored (``watch``); ``on_entry_article(feed_url,
    entry, article)`` hears which article each feed entry gave (whole ones only: not
    those stored from the feed's text because the page failed, which are tried again); once ``stop`` is
    set, no further item is yielded (what was yielded is still stored).
    """

    def __init__(self, fetcher: Fetcher, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 on_notice: Callable[[Notice], None] | None = None,
                 skip_entry: Callable[[str, FeedEntry], bool] | None = None,
                 on_entry_article: Callable[[str, FeedEntry, Article], None] | None = None,
                 stop: threading.Event | None = None) -> None:
        self.fetcher = fetcher
        self.max_bytes = max_bytes
        self.on_notice = on_notice
        self.skip_entry = skip_entry
        self.on_entry_article = on_entry_article
        self.stop = stop

    def _stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def read(self, urls: Sequence[str]) -> Iterator[Item]:
        """Articles (or one-line problems) of ``urls``, in order, feeds expanded to their entries."""
        if not urls:
            return
        workers = max(1, self.fetcher.options.concurrency)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphbuild-fetch")
        finished = False
        try:
            for url, fetched in zip(urls, _ordered(pool, self.fetcher.get, urls, 2 * workers)):
                if self._stopped():
                    return
                if isinstance(fetched, InputProblem):
                    yield fetched
                elif _is_feed(fetched):
                    yield from self._feed(pool, url, fetched)
                elif fetched.media_type in FEED_TYPES:
                    yield problem(url, f"not HTML or a feed (an XML document of content type {fetched.media_type})")
                else:
                    yield self._page(url, fetched)
            finished = True
        finally:
            # stopped early (a stop request, Ctrl-C): queued fetches are dropped and running ones not
            # waited for; closing the fetcher ends their waits
            pool.shutdown(wait=finished, cancel_futures=True)

    def _page(self, url: str, fetched: Fetched, entry: FeedEntry | None = None,
              feed_title: str | None = None) -> Item:
        """The article of a fetched HTML page (id and url: its canonical URL)."""
        from .html import read_html

        text = decode_html(fetched.body, fetched.charset)
        article = read_html(text.encode("utf-8"), url, max_bytes=self.max_bytes)
        if isinstance(article, InputProblem):
            return article
        canon = canonical_url(article.url or canonical_link(text) or fetched.final_url, base=fetched.final_url)
        fallback = entry.article if entry is not None and isinstance(entry.article, Article) else None
        return replace(
            article,
            id=canon,
            url=canon,
            source=article.source or feed_title or urlsplit(canon).hostname,
            date=article.date or (fallback.date if fallback else None),
        )

    def _feed(self, pool: ThreadPoolExecutor, feed_url: str, fetched: Fetched) -> Iterator[Item]:
        """Each entry's page, or its own text when the page fails (with a notice)."""
        content_type = fetched.media_type + (f"; charset={fetched.charset}" if fetched.charset else "")
        parsed = parse_feed(fetched.body, feed_url, content_type=content_type)
        if isinstance(parsed, InputProblem):
            yield parsed
            return
        feed_title, entries = parsed
        todo = [e for e in entries if not (self.skip_entry and self.skip_entry(feed_url, e))]
        workers = max(1, self.fetcher.options.concurrency)

        def page_of(entry: FeedEntry) -> Fetched | InputProblem | None:
            return self.fetcher.get(entry.link, HTML_TYPES) if entry.link else None

        for entry, fetched_page in zip(todo, _ordered(pool, page_of, todo, 2 * workers)):
            if self._stopped():
                return
            item, whole = self._entry_item(entry, fetched_page, feed_title)
            if whole and isinstance(item, Article) and self.on_entry_article is not None:
                self.on_entry_article(feed_url, entry, item)
            yield item

    def _entry_item(self, entry: FeedEntry, fetched: Fetched | InputProblem | None,
                    feed_title: str | None) -> tuple[Item, bool]:
        """The entry's article and whether it is the whole one (its page, or an entry without a link)."""
        if entry.link is None or fetched is None:
            return entry.article, True
        page = fetched if isinstance(fetched, InputProblem) else self._page(entry.link, fetched, entry, feed_title)
        if isinstance(page, Article):
            return page, True
        if isinstance(entry.article, InputProblem):
            return problem(entry.link, f"{page.reason}; the feed entry has no text of its own"), False
        link = canonical_url(entry.link)
        if self.on_notice is not None:
            self.on_notice(Notice(entry.link, f"page not used ({page.reason}); stored the feed entry's own text"))
        return replace(entry.article, id=link, url=link, origin=entry.link), False


def _is_feed(fetched: Fetched) -> bool:
    """A feed media type, or no/an XML media type with an RSS/Atom/RDF root element."""
    if fetched.media_type in HTML_TYPES:
        return False
    head = fetched.body[:4096]
    return bool(_FEED_ROOT.search(head)) and (not fetched.media_type or fetched.media_type in FEED_TYPES)


def read_sources(inputs: Sequence[str], reader: WebReader | None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 urls: Sequence[str | InputProblem] = ()) -> Iterator[Item]:
    """Files, directories and ``-`` of ``inputs`` (in order), then every URL: those in ``inputs``, then ``urls``.

    ``reader`` may be None only when there is no URL.
    """
    paths = [value for value in inputs if not is_url(value)]
    wanted: list[str] = [value for value in inputs if is_url(value)]
    listed_problems = [u for u in urls if isinstance(u, InputProblem)]
    wanted += [u for u in urls if isinstance(u, str)]
    yield from listed_problems
    if paths:
        yield from read_inputs(paths, max_bytes=max_bytes)
    if wanted:
        if reader is None:
            raise ValueError("URLs given without a WebReader")
        yield from reader.read(list(dict.fromkeys(wanted)))
