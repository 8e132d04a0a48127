"""The web side of the command line: fetching options shared by ``ingest`` and ``watch``, and ``watch``."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from .cli_support import (
    EXIT_FAILED,
    DbOption,
    GazetteerOption,
    MaxBytesOption,
    err_console,
    guarded,
    neo4j_config,
    open_store,
    out_console,
)

__all__ = ["BackoffOption", "ConcurrencyOption", "HostDelayOption", "IgnoreRobotsOption", "RetriesOption",
           "TimeoutOption", "UrlsOption", "UserAgentOption", "fetch_options", "register", "web_reader"]

UrlsOption = typer.Option(None, "--urls", help="File of URLs to fetch, one a line (# comments).")
UserAgentOption = typer.Option(None, "--user-agent", help="User-Agent sent with every request "
                               "(default: graphbuild/VERSION ...; add a contact address for your crawls).",
                               show_default=False)
IgnoreRobotsOption = typer.Option(False, "--ignore-robots", help="Do not read robots.txt (only for your own sites).")
TimeoutOption = typer.Option(20.0, "--timeout", min=0.01, help="Seconds to wait for a connection or for data.")
RetriesOption = typer.Option(3, "--retries", min=0, help="Tries again after 429, 5xx, timeouts and connection "
                             "errors (exponential backoff; Retry-After honoured).")
ConcurrencyOption = typer.Option(4, "--concurrency", min=1, help="Requests in flight at once, over all hosts.")
HostDelayOption = typer.Option(1.0, "--host-delay", min=0, help="Seconds between two requests to one host "
                               "(a longer robots.txt Crawl-delay wins).")
BackoffOption = typer.Option(1.0, "--backoff", min=0, hidden=True, help="First retry delay in seconds (doubles).")


def fetch_options(*, user_agent: str | None, ignore_robots: bool, timeout: float, retries: int, concurrency: int,
                  host_delay: float, max_bytes: int, backoff: float = 1.0):
    """The :class:`~graphbuild.sources.fetch.FetchOptions` of the command-line options."""
    from .sources.fetch import DEFAULT_USER_AGENT, FetchOptions

    return FetchOptions(user_agent=user_agent or DEFAULT_USER_AGENT, timeout=timeout, retries=retries,
                        backoff=backoff, max_bytes=max_bytes, concurrency=concurrency, host_delay=host_delay,
                        robots=not ignore_robots, total_timeout=max(120.0, 6 * timeout))


@contextmanager
def web_reader(store_path: Path, options, on_notice) -> Iterator:  # noqa: ANN001
    """A :class:`WebReader` whose fetcher keeps its HTTP cache beside the store; closed afterwards."""
    from .sources.fetch import Fetcher
    from .sources.web import WebReader
    from .sources.webstate import WebState, web_state_path

    with WebState(web_state_path(store_path)) as state, Fetcher(options, state) as fetcher:
        yield WebReader(fetcher, max_bytes=options.max_bytes, on_notice=on_notice)


def watch_cmd(
    targets: list[str] = typer.Argument(None, help="Feed or page URLs to poll.", show_default=False),
    feeds: Optional[Path] = typer.Option(None, "--feeds", help="File of feed or page URLs, one a line (# comments)."),
    every: str = typer.Option("15m", "--every", help="Time between cycles: 30s, 15m, 1h ..."),
    once: bool = typer.Option(False, "--once", help="Run one cycle and exit (for cron and systemd timers)."),
    cycles: Optional[int] = typer.Option(None, "--cycles", min=1, help="Stop after this many cycles."),
    neo4j: bool = typer.Option(False, "--neo4j", help="Also load what changed into Neo4j after each cycle "
                               "(env NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)."),
    db: Optional[Path] = DbOption,
    gazetteer: list[Path] = GazetteerOption,
    max_bytes: int = MaxBytesOption,
    user_agent: Optional[str] = UserAgentOption,
    ignore_robots: bool = IgnoreRobotsOption,
    timeout: float = TimeoutOption,
    retries: int = RetriesOption,
    concurrency: int = ConcurrencyOption,
    host_delay: float = HostDelayOption,
    backoff: float = BackoffOption,
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Extraction processes (a cycle is usually small)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per cycle, one a line."),
) -> None:
    """Poll feeds and pages, store new or changed entries, print one line per cycle; stops on Ctrl-C or SIGTERM."""
    from . import cli
    from .models import InputProblem
    from .sources.fetch import Fetcher
    from .sources.web import is_url, read_url_list
    from .sources.webstate import WebState, web_state_path
    from .watch import parse_interval, stop_on_signals, watch

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None
    wanted: list[str] = []
    for value in targets or []:
        if not is_url(value):
            raise typer.BadParameter(f"not an http(s) URL: {value}", param_hint="FEED_OR_URL")
        wanted.append(value)
    listed = read_url_list(feeds) if feeds is not None else []
    bad = [u for u in listed if isinstance(u, InputProblem)]
    for problem in bad:
        err_console.print(f"error: {problem}", markup=False)
    wanted += [u for u in listed if isinstance(u, str)]
    if not wanted:
        if bad:
            raise typer.Exit(EXIT_FAILED)
        raise typer.BadParameter("give at least one feed or page URL (or --feeds FILE)", param_hint="FEED_OR_URL")
    config = neo4j_config(None, None, None, None) if neo4j else None
    if config is not None:
        from .pipeline import require_neo4j

        require_neo4j(config)
    options = fetch_options(user_agent=user_agent, ignore_robots=ignore_robots, timeout=timeout, retries=retries,
                            concurrency=concurrency, host_delay=host_delay, max_bytes=max_bytes, backoff=backoff)
    extractor = cli._make_ingest_extractor(gazetteer, workers, cli.DEFAULT_BATCH_SIZE, None)
    failed = bool(bad)
    stop = threading.Event()

    def report(cycle) -> None:  # noqa: ANN001 - a CycleReport
        nonlocal failed
        failed = failed or bool(cycle.problems)
        for notice in cycle.notices:
            err_console.print(f"warning: {notice}", markup=False)
        for problem in cycle.problems:
            err_console.print(f"error: {problem}", markup=False)
        if as_json:
            sys.stdout.write(json.dumps(cycle.as_dict(), ensure_ascii=False, default=str) + "\n")
        else:
            out_console.print(cycle.line(), markup=False)
        sys.stdout.flush()

    with open_store(db) as store, WebState(web_state_path(store.path)) as state, \
            Fetcher(options, state) as fetcher, stop_on_signals(stop):
        watch(wanted, store, extractor, fetcher, state, every=interval, cycles=1 if once else cycles,
              neo4j=config, stop=stop, on_cycle=report)
    if stop.is_set():
        err_console.print("stopped: everything fetched so far is stored", markup=False)
        return
    if failed:
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add ``watch`` to the main app."""
    app.command("watch")(guarded(watch_cmd))
