"""Polite, bounded HTTP GETs for the web sources: one :class:`Fetcher` per run, shared by its threads.

Every request carries the configured user agent; robots.txt is read once per
host (again after a day) and honoured (RFC 9309: a 4xx robots.txt allows everything, an unreachable
one refuses the host); requests to one host are spaced by ``host_delay`` (or the
host's ``Crawl-delay``, whichever is longer); redirects are followed hop by hop
(each hop checked against robots.txt and the rate limit) up to ``max_redirects``;
429, 5xx and connection errors or timeouts are retried ``retries`` times with
exponential backoff, ``Retry-After`` honoured (waits end when the fetcher is closed); the body is streamed and cut at
``max_bytes``; content types are checked before the body is read. With an
:class:`~graphbuild.sources.webstate.WebState`, requests are conditional
(``If-None-Match`` / ``If-Modified-Since``) and a ``304`` returns the cached body.

A failure is never raised: :meth:`Fetcher.get` returns an
:class:`~graphbuild.models.InputProblem` whose origin is the URL and whose reason
is one line (``HTTP 404 Not Found``, ``timed out``, ``too large ...``,
``not HTML or a feed ...``, ``disallowed by robots.txt``).
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Final
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__
from ..models import InputProblem
from .common import problem
from .reader import DEFAULT_MAX_BYTES

from .webstate import CacheEntry, WebState

__all__ = [
    "DEFAULT_USER_AGENT",
    "FEED_TYPES",
    "HTML_TYPES",
    "FetchOptions",
    "Fetched",
    "Fetcher",
    "HostLimiter",
    "retry_after_seconds",
]

DEFAULT_USER_AGENT: Final = (f"graphbuild/{__version__} "
                              "(news knowledge-graph builder; set --user-agent to add a contact)")

HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES: Final = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                               "application/xml", "text/xml"})
#: Statuses worth another try: the server is busy or broken for now.
RETRY_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
#: Longest a host's ``Crawl-delay`` may space our requests (a typo of 86400 must not stall a run).
MAX_CRAWL_DELAY: Final = 30.0
#: Seconds a host's robots.txt is trusted before it is read again (RFC 9309: at most a day).
ROBOTS_TTL: Final = 24 * 3600.0
#: robots.txt is cut here (Google reads 500 KiB).
ROBOTS_MAX_BYTES: Final = 512 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """How to fetch: identity, politeness and limits (the CLI options map one to one)."""

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0
    total_timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 300.0
    max_redirects: int = 5
    max_bytes: int = DEFAULT_MAX_BYTES
    concurrency: int = 4
    host_delay: float = 1.0
    robots: bool = True


@dataclass(frozen=True)
class Fetched:
    """A successful GET: where it ended, what it is, and its body (``cached``: a 304 gave the stored body)."""

    url: str
    final_url: str
    media_type: str
    charset: str | None
    body: bytes
    cached: bool = False


class HostLimiter:
    """Spaces requests to one host at least ``delay`` seconds apart; safe to share between threads.

    >>> now = [0.0]; slept = []
    >>> limiter = HostLimiter(1.0, clock=lambda: now[0], sleep=slept.append)
    >>> for _ in range(3):
    ...     limiter.wait("a.example")
    >>> limiter.wait("b.example")
    >>> slept
    [1.0, 2.0]
    """

    def __init__(self, delay: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep) -> None:
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float | None = None) -> None:
        """Block until this host's next slot (slots are handed out in call order)."""
        gap = self.delay if delay is None else max(delay, self.delay)
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + gap
        if slot > now:
            self._sleep(slot - now)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), None if absent or unreadable.

    >>> retry_after_seconds("2"), retry_after_seconds("soon")
    (2.0, None)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=datetime(2015, 10, 21, 7, 28, tzinfo=timezone.utc))
    30.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _host(url: str) -> str:
    """``scheme://host:port`` of a URL: the unit of robots.txt and of the rate limit."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class _Failed(Exception):
    """One attempt failed; ``retry_after`` set when the server (or a transport error) allows another try."""

    def __init__(self, reason: str, *, retry: bool = False, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


class Fetcher:
    """GETs URLs politely (see the module docstring); one instance is shared by all fetching threads.

    ``sleep`` and ``clock`` are injectable so tests can record the waits instead of waiting.
    ``transport`` replaces httpx's network transport (tests, benchmarks).
    """

    def __init__(self, options: FetchOptions = FetchOptions(), state: WebState | None = None, *,
                 sleep: Callable[[float], object] | None = None, clock: Callable[[], float] = time.monotonic,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.options = options
        self.state = state
        #: Set by :meth:`close`: waits (backoff, rate limit) end at once and no new attempt starts.
        self.closing = threading.Event()
        self.sleep = sleep or self.closing.wait
        self.clock = clock
        self.limiter = HostLimiter(options.host_delay, clock=clock, sleep=self.sleep)
        self.client = httpx.Client(
            headers={"User-Agent": options.user_agent},
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=False,  # hop by hop below: each hop is checked against robots.txt
            transport=transport,
        )
        self._robots: dict[str, tuple[float, RobotFileParser | str | None]] = {}
        self._crawl_delay: dict[str, float] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        #: Requests sent (robots.txt included) and how many a 304 answered, for reports and tests.
        self.requests = 0
        self.not_modified = 0

    def close(self) -> None:
        """Stop waiting and retrying, and close the connection pool."""
        self.closing.set()
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one public call -------------------------------------------------
    def get(self, url: str, accept: frozenset[str] | None = HTML_TYPES | FEED_TYPES) -> Fetched | InputProblem:
        """GET ``url``: the body if its media type is in ``accept`` (or not given), else a one-line problem."""
        return self._get(url, accept, robots=self.options.robots, cache=True, limit=self.options.max_bytes)

    def _get(self, url: str, accept: frozenset[str] | None, *, robots: bool, cache: bool,
             limit: int) -> Fetched | InputProblem:
        cached = self.state.cached(url) if cache and self.state is not None else None
        attempt = 0
        while True:
            if self.closing.is_set():
                return problem(url, "not fetched: the run is stopping")
            try:
                return self._attempt(url, accept, cached if cache else None, robots=robots, cache=cache, limit=limit)
            except _Failed as failed:
                if not failed.retry or attempt >= self.options.retries:
                    tries = "retry" if attempt == 1 else "retries"
                    return problem(url, failed.reason + (f" (after {attempt} {tries})" if attempt else ""))
                delay = self.options.backoff * (2 ** attempt)
                if failed.retry_after is not None:
                    if failed.retry_after > self.options.max_retry_after:
                        return problem(url, f"{failed.reason} (Retry-After {failed.retry_after:g} s is longer than "
                                            f"{self.options.max_retry_after:g} s)")
                    delay = failed.retry_after
                attempt += 1
                if delay > 0:
                    self.sleep(delay)

    # -- one attempt: robots, rate limit, redirects, body ----------------------
    def _attempt(self, url: str, accept: frozenset[str] | None, cached: CacheEntry | None, *, robots: bool,
                 cache: bool, limit: int) -> Fetched:
        headers: dict[str, str] = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        start = self.clock()
        current = url
        for _hop in range(self.options.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise _Failed(f"redirected to an unsupported URL {current}" if current != url
                              else "not an http(s) URL")
            refused = self._refused(current) if robots else None
            if refused:
                raise _Failed(refused if current == url else f"redirect to {current}: {refused}")
            host = _host(current)
            self.limiter.wait(host, self._crawl_delay.get(host))
            with self._lock:
                self.requests += 1
            try:
                response = self.client.send(self.client.build_request("GET", current, headers=headers), stream=True)
            except httpx.TimeoutException:
                raise _Failed("timed out", retry=True) from None
            except httpx.TransportError as exc:
                raise _Failed(_transport_reason(exc), retry=True) from None
            except httpx.InvalidURL as exc:
                raise _Failed(f"invalid URL: {exc}") from None
            try:
                if response.is_redirect and response.next_request is not None:
                    current = str(response.next_request.url)
                    continue
                return self._finish(url, current, response, accept, cached, start, cache=cache, limit=limit)
            finally:
                response.close()
        raise _Failed(f"too many redirects (more than {self.options.max_redirects})")

    def _finish(self, url: str, final: str, response: httpx.Response, accept: frozenset[str] | None,
                cached: CacheEntry | None, start: float, *, cache: bool, limit: int) -> Fetched:
        status = response.status_code
        if status == 304 and cached is not None:
            with self._lock:
                self.not_modified += 1
            if self.state is not None:
                self.state.touch(url)
            return Fetched(url, cached.final_url, cached.media_type, cached.charset, cached.body, cached=True)
        if not 200 <= status < 300:
            reason = f"HTTP {status} {response.reason_phrase}".rstrip()
            after = retry_after_seconds(response.headers.get("Retry-After")) if status in (429, 503) else None
            raise _Failed(reason, retry=status in RETRY_STATUSES, retry_after=after)
        content_type = response.headers.get("Content-Type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if accept is not None and media_type and media_type not in accept:
            wanted = "HTML or a feed" if FEED_TYPES <= accept else "HTML"
            raise _Failed(f"not {wanted} (content type {media_type})")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise _Failed(f"too large ({int(length)} bytes > limit {limit})")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _Failed(f"too large (more than the limit of {limit} bytes)")
                if self.clock() - start > self.options.total_timeout:
                    raise _Failed(f"timed out (body not complete after {self.options.total_timeout:g} s)",
                                  retry=True)
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise _Failed("timed out", retry=True) from None
        except httpx.DecodingError as exc:
            raise _Failed(f"cannot decode the body: {exc}") from None
        except httpx.TransportError as exc:
            raise _Failed(_transport_reason(exc), retry=True) from None
        body = b"".join(chunks)
        charset = _charset(content_type)
        if cache and self.state is not None:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            if etag or modified:
                self.state.remember(CacheEntry(url, final, media_type, charset, body, etag, modified))
        return Fetched(url, final, media_type, charset, body)

    # -- robots.txt ----------------------------------------------------------
    def _refused(self, url: str) -> str | None:
        """Why robots.txt of the URL's host refuses our user agent this URL, or None (read once per host)."""
        host = _host(url)
        with self._lock:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            read_at, rules = self._robots.get(host, (None, None))
            if read_at is None or self.clock() - read_at > ROBOTS_TTL:
                rules = self._read_robots(host)
                self._robots[host] = (self.clock(), rules)
        if rules is None:
            return None
        if isinstance(rules, str):  # unreachable: the host is refused (RFC 9309)
            return f"robots.txt unreachable ({rules}), so the host is not fetched"
        return None if rules.can_fetch(self.options.user_agent, url) else "disallowed by robots.txt"

    def _read_robots(self, host: str) -> RobotFileParser | str | None:
        """The host's robots rules; None when there are none (4xx); a reason when it is unreachable."""
        robots_url = f"{host}/robots.txt"
        fetched = self._get(robots_url, None, robots=False, cache=False, limit=ROBOTS_MAX_BYTES)
        if isinstance(fetched, InputProblem):
            return None if fetched.reason.startswith("HTTP 4") else fetched.reason
        parser = RobotFileParser(robots_url)
        parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self.options.user_agent)
        if delay:
            self._crawl_delay[host] = min(float(delay), MAX_CRAWL_DELAY)
        return parser


def _transport_reason(exc: httpx.TransportError) -> str:
    """``connection failed: ConnectError: ...`` in one line."""
    detail = str(exc).strip()
    return f"connection failed: {type(exc).__name__}" + (f": {detail}" if detail else "")


def _charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, lower case, or None.

    >>> _charset('text/html; charset="Windows-1252"'), _charset("text/html")
    ('windows-1252', None)
    """
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None
