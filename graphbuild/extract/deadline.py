"""A per-article time limit, so one article that sends a rule into a loop costs only itself.

Extraction normally takes milliseconds per article; a step that never ends (a bug
on some odd parse) would otherwise stall the whole ingest, or one worker forever.
``time_limit`` arms ``SIGALRM`` around one article's steps; the exception it raises
is turned into a one-line problem for that article like any other failure.  It only
works in a process's main thread (the CLI and the worker processes); elsewhere it
does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..defaults import TIME_LIMIT

__all__ = ["DEFAULT_TIME_LIMIT", "ExtractionTimeout", "time_limit"]

#: Seconds one article's extraction steps may take (a long article takes well under 5).
DEFAULT_TIME_LIMIT = TIME_LIMIT


class ExtractionTimeout(Exception):
    """One article's extraction ran past the time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"extraction of this article stopped after {seconds:g} s (the per-article time limit)")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ExtractionTimeout` inside the block after ``seconds`` (no limit if None or 0)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
        raise ExtractionTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
