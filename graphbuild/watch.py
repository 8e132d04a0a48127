"""``graphbuild watch``: poll feeds and pages, store what is new or changed, optionally load it into Neo4j.

One cycle fetches every target (conditionally, through the HTTP cache beside
the store), skips the feed entries already stored in the same version (the web
state remembers them), runs the rest through the ingest pipeline and, with a
Neo4j configuration, loads what changed. The loop sleeps ``every`` seconds
between cycles. A stop request (SIGTERM, Ctrl-C: see :func:`stop_on_signals`)
is honoured between articles: the batch in hand is committed, nothing is half
written, and the next start resumes from the store and the web state.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .errors import GraphbuildError
from .models import Article, InputProblem
from .pipeline import DEFAULT_BATCH_SIZE, ExtractorLike, ingest
from .sources.feeds import FeedEntry
from .sources.fetch import Fetcher
from .sources.web import Notice, WebReader
from .sources.webstate import WebState
from .store import Store

__all__ = ["CycleReport", "parse_interval", "run_cycle", "stop_on_signals", "watch"]

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_interval(text: str) -> float:
    """Seconds of an interval written ``90``, ``2s``, ``15m``, ``1.5h`` or ``1d``; ValueError otherwise.

    >>> parse_interval("15m"), parse_interval("2s"), parse_interval("0.5h"), parse_interval("90")
    (900.0, 2.0, 1800.0, 90.0)
    """
    match = _INTERVAL.match(text)
    if not match:
        raise ValueError(f"not an interval: {text!r} (write e.g. 30s, 15m, 1h)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass
class CycleReport:
    """What one watch cycle did."""

    number: int
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    relations: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    loaded: object | None = None  # a sinks.neo4j.LoadReport
    requests: int = 0
    #: When the cycle started (UTC, ISO 8601), for logs.
    started: str = ""

    @property
    def failed(self) -> int:
        return len(self.problems)

    def line(self) -> str:
        """The one summary line printed per cycle.

        >>> CycleReport(2, new=1, unchanged=3, relations=4).line()
        'cycle 2: 1 new, 0 replaced, 3 unchanged, 0 failed, 4 relations added, 0 requests'
        """
        text = (f"cycle {self.number}: {self.new} new, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{self.failed} failed, {self.relations} relations added, {self.requests} requests")
        if self.loaded is not None:
            text += (f"; Neo4j: {self.loaded.nodes_created} nodes, "  # type: ignore[attr-defined]
                     f"{self.loaded.relationships_created} relationships created")  # type: ignore[attr-defined]
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "cycle": self.number, "started": self.started, "new": self.new, "replaced": self.replaced, "unchanged": self.unchanged,
            "failed": self.failed, "relations": self.relations, "requests": self.requests,
            "problems": [{"origin": p.origin, "reason": p.reason} for p in self.problems],
            "notices": [{"origin": n.origin, "message": n.message} for n in self.notices],
            "neo4j": self.loaded.as_dict() if self.loaded is not None else None,  # type: ignore[attr-defined]
        }


def run_cycle(targets: Sequence[str], store: Store, extractor: ExtractorLike, fetcher: Fetcher, state: WebState, *,
              number: int = 1, neo4j: object | None = None, stop: threading.Event | None = None,
              batch_size: int = DEFAULT_BATCH_SIZE) -> CycleReport:
    """One cycle over ``targets``; entries stored in the same version before are not fetched again.

    With ``neo4j``, the cycle ends by loading whatever Neo4j lacks, so a failed load (or a restart)
    is caught up by the next cycle.
    """
    report = CycleReport(number, started=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    pending: dict[str, list[tuple[str, FeedEntry, str]]] = {}
    before = fetcher.requests

    def skip(feed: str, entry: FeedEntry) -> bool:
        if state.seen(feed, entry.key) == entry.fingerprint:
            report.unchanged += 1
            return True
        return False

    def heard(feed: str, entry: FeedEntry, article: Article) -> None:
        pending.setdefault(article.origin, []).append((feed, entry, article.id))

    def stored(origin: str, status: str) -> None:  # called after the article's batch is committed
        if status in ("new", "replaced", "unchanged"):
            for feed, entry, article_id in pending.pop(origin, []):
                state.mark_seen(feed, entry.key, entry.fingerprint, article_id)

    reader = WebReader(fetcher, max_bytes=fetcher.options.max_bytes, on_notice=report.notices.append,
                       skip_entry=skip, on_entry_article=heard, stop=stop)
    ingested = ingest(reader.read(list(dict.fromkeys(targets))), store, extractor, batch_size=batch_size,
                      on_item=stored)
    report.new += ingested.count("new")
    report.replaced += ingested.count("replaced")
    report.unchanged += ingested.count("unchanged")
    report.relations = ingested.relations
    report.problems = list(ingested.problems)
    report.requests = fetcher.requests - before
    if neo4j is not None:
        try:
            from .sinks.neo4j import load_store

            # the whole store against Neo4j (a few reads when nothing is missing): what a failed load
            # or a restart left behind is sent by the next cycle
            report.loaded = load_store(store, neo4j)  # type: ignore[arg-type]
        except GraphbuildError as exc:
            report.problems.append(InputProblem.of("neo4j", f"{exc} (sent again next cycle)"))
    return report


def watch(targets: Sequence[str], store: Store, extractor: ExtractorLike, fetcher: Fetcher, state: WebState, *,
          every: float, cycles: int | None = None, neo4j: object | None = None,
          stop: threading.Event | None = None, on_cycle: Callable[[CycleReport], None] | None = None,
          batch_size: int = DEFAULT_BATCH_SIZE) -> list[CycleReport]:
    """Run cycles every ``every`` seconds until ``stop`` is set (or ``cycles`` have run); their reports."""
    stop = stop or threading.Event()
    reports: list[CycleReport] = []
    while not stop.is_set():
        report = run_cycle(targets, store, extractor, fetcher, state, number=len(reports) + 1, neo4j=neo4j,
                           stop=stop, batch_size=batch_size)
        reports.append(report)
        if on_cycle is not None:
            on_cycle(report)
        if cycles is not None and len(reports) >= cycles:
            break
        if stop.wait(every):
            break
    return reports


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[threading.Event]:
    """While inside, SIGTERM and the first Ctrl-C set ``stop`` (a second Ctrl-C interrupts at once)."""

    def on_term(signum: int, frame: object) -> None:
        stop.set()

    def on_int(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, on_term),
                signal.SIGINT: signal.signal(signal.SIGINT, on_int)}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
