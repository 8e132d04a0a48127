"""A per-article time limit, so one article that sends a rule into a loop costs only itself.

Extraction normally takes milliseconds per article; a step that never ends (a bug
on some odd parse) would otherwise stall the whole ingest, or one worker forever.
``time_limit`` arms ``SIGALRM`` around one article's parse and steps (see
:meth:`Extractor.extract_many`: a long article, parsed in parts, is bounded as a
whole); the exception it raises is turned into a one-line problem for that article
like any other failure.  The handler runs between Python bytecodes, so a step that
stays in native code (one spaCy minibatch) delays it by at most that step; worker
processes are also watched by the parent, which kills and replaces a worker that
does not answer in time (:mod:`.parallel`).  It only works in a process's main
thread (the CLI and the worker processes); elsewhere it does nothing.
"""

from __future__ import annotations

import math
import signal
import threading
import time
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


#: The limits armed in this process's main thread, outermost first: (absolute deadline, seconds).
_ARMED: list[list[float]] = []


def _arm() -> None:
    """Set the timer to the nearest armed deadline (at once if it has passed), or clear it."""
    if not _ARMED:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    nearest = min(deadline for deadline, _ in _ARMED)
    if nearest == math.inf:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    signal.setitimer(signal.ITIMER_REAL, max(nearest - time.monotonic(), 1e-6))


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    now = time.monotonic()
    due = [entry for entry in _ARMED if entry[0] <= now + 1e-3]
    if not due:  # pragma: no cover - a timer that fired early: wait for the real deadline
        _arm()
        return
    for entry in due:  # raised once: the limits it ends must not fire again while it propagates
        entry[0] = math.inf
    raise ExtractionTimeout(due[0][1])


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ExtractionTimeout` inside the block after ``seconds`` (no limit if None or 0).

    Limits nest: an inner block gets the earlier of its own deadline and the outer one's, and the
    outer limit is armed again when it ends (e.g. one article's steps inside a batch's budget that
    covers the parse).  The message names the limit that ran out.

    >>> import time as _t
    >>> try:
    ...     with time_limit(0.2):
    ...         with time_limit(5):
    ...             _t.sleep(2)
    ... except ExtractionTimeout as exc:
    ...     print(exc)
    extraction of this article stopped after 0.2 s (the per-article time limit)
    """
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm) if not _ARMED else None
    _ARMED.append([time.monotonic() + seconds, seconds])
    try:
        _arm()
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _ARMED.pop()
        if _ARMED:
            _arm()
        elif previous is not None:
            signal.signal(signal.SIGALRM, previous)
