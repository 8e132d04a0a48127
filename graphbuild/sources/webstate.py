"""What the web sources remember between runs, in one SQLite file beside the store.

``<store stem>.web.db`` (``graph.db`` -> ``graph.web.db``) holds

* the HTTP cache: per requested URL its body (compressed), media type, charset and
  validators (``ETag``, ``Last-Modified``), so a re-run asks "changed since?" and a
  ``304`` costs no download (and, the content being the same, no extraction);
  responses not fetched or confirmed for :data:`CACHE_DAYS` days are pruned when the
  file is opened;
* the feed entries ``watch`` has stored (feed, entry key, fingerprint), so a
  restarted watch does not fetch their pages again.

It is a separate file, not tables of the store: fetching threads write here while
the pipeline holds the store's write lock, and the store's schema stays its own.
Losing it costs only refetching. The cache is this small table rather than a
general RFC 9111 cache (hishel): graphbuild wants exactly "revalidate every time,
reuse the body on 304", so that every run sees every page and reports it
``unchanged``, and one file shared with the watch state.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..errors import StoreError

__all__ = ["CACHE_DAYS", "CacheEntry", "WebState", "web_state_path"]

#: Cached responses not fetched or confirmed for this many days are dropped (bodies are kept zlib-compressed).
CACHE_DAYS = 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS http_cache (
    url TEXT PRIMARY KEY,
    final_url TEXT NOT NULL,
    media_type TEXT NOT NULL,
    charset TEXT,
    etag TEXT,
    last_modified TEXT,
    body BLOB NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen_entries (
    feed TEXT NOT NULL,
    entry TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed, entry)
);
"""


def web_state_path(store_path: str | os.PathLike[str]) -> Path:
    """The web state file of a store: beside it, named after its stem.

    >>> web_state_path("data/graph.db").as_posix()
    'data/graph.web.db'
    """
    path = Path(store_path)
    return path.with_name(f"{path.stem}.web.db")


@dataclass(frozen=True)
class CacheEntry:
    """One cached response: what was asked, where it ended, and what came back."""

    url: str
    final_url: str
    media_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class WebState:
    """The open web state file; every method is safe to call from several threads."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
            self.prune()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the web cache: {exc}") from None

    def close(self) -> None:
        """Close the file (idempotent)."""
        self._db.close()

    def __enter__(self) -> WebState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP cache ------------------------------------------------------------
    def cached(self, url: str) -> CacheEntry | None:
        """The stored response for ``url``, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT url, final_url, media_type, charset, body, etag, last_modified FROM http_cache WHERE url = ?",
                (url,)).fetchone()
        if row is None:
            return None
        url, final_url, media_type, charset, body, etag, modified = row
        return CacheEntry(url, final_url, media_type, charset, zlib.decompress(body), etag, modified)

    def remember(self, entry: CacheEntry) -> None:
        """Store (or replace) the response for ``entry.url``."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO http_cache(url, final_url, media_type, charset, etag, last_modified, body,"
                " fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.url, entry.final_url, entry.media_type, entry.charset, entry.etag, entry.last_modified,
                 zlib.compress(entry.body, 6), _now()))

    def touch(self, url: str) -> None:
        """Note that the cached response for ``url`` was confirmed (a 304) now: it is kept longer."""
        with self._lock:
            self._db.execute("UPDATE http_cache SET fetched_at = ? WHERE url = ?", (_now(), url))

    def prune(self, days: float = CACHE_DAYS) -> int:
        """Forget cached responses neither fetched nor confirmed for ``days``; how many went."""
        cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
        with self._lock:
            return self._db.execute("DELETE FROM http_cache WHERE fetched_at < ?", (cutoff,)).rowcount

    # -- feed entries watch has stored -------------------------------------------
    def seen(self, feed: str, entry: str) -> str | None:
        """The fingerprint stored for this feed entry, or None if it was never stored."""
        with self._lock:
            row = self._db.execute("SELECT fingerprint FROM seen_entries WHERE feed = ? AND entry = ?",
                                   (feed, entry)).fetchone()
        return None if row is None else row[0]

    def mark_seen(self, feed: str, entry: str, fingerprint: str, article_id: str) -> None:
        """Record that this version of the entry is in the store."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO seen_entries(feed, entry, fingerprint, article_id, seen_at)"
                " VALUES (?, ?, ?, ?, ?)", (feed, entry, fingerprint, article_id, _now()))

    def counts(self) -> dict[str, int]:
        """Rows per table (for tests and ``--json`` reports)."""
        with self._lock:
            return {table: self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                    for table in ("http_cache", "seen_entries")}
