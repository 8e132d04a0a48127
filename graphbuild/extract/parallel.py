"""Extraction in batches, in this process or in worker processes, with per-article failure isolation.

The pipeline hands over a stream of article batches and gets back, in the same
order, one :class:`Extraction` or :class:`InputProblem` per article.

* :func:`extract_isolated` runs one batch through ``nlp.pipe``; if the batch fails
  it retries article by article, so one bad article loses only itself.
* :class:`ParallelExtractor` does the same in ``workers`` processes (each builds
  its own :class:`Extractor` once).  Batches are the same as in-process ones, so
  the results are identical; at most ``2 * workers`` batches are in flight, so
  memory stays bounded however long the input is.  Inputs of fewer than
  ``2 * workers`` batches would not pay for starting the workers and are
  extracted in this process.  A worker that dies (a crash
  in native code, the OOM killer) costs only the article that killed it, and so does
  one that runs past its time limits plus :data:`WORKER_GRACE` (the parent kills and
  replaces it); if the ingest process itself is killed, its workers notice within a
  second and leave.  On Ctrl-C the workers (which ignore SIGINT) are stopped by the parent.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from pathlib import Path
from typing import Protocol

from ..errors import GraphbuildError
from ..models import Article, Extraction, InputProblem
from .deadline import DEFAULT_TIME_LIMIT, ExtractionTimeout
from .parts import PART_CHARS

__all__ = ["WORKER_GRACE", "Outcome", "ParallelExtractor", "WorkerSetupError", "default_workers", "extract_batches",
           "extract_isolated", "failure_reason"]

#: What extracting one article gives: its extraction, or a one-line problem.
Outcome = Extraction | InputProblem


class ManyExtractor(Protocol):
    """Anything that extracts articles in order (the engine, or a test double)."""

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


def default_workers() -> int:
    """Worker processes to use by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def extract_isolated(extractor: ManyExtractor, articles: Sequence[Article]) -> list[Outcome]:
    """Extract a batch; if the batch fails, retry one by one so one bad article loses only itself."""
    if not articles:
        return []
    try:
        return list(extractor.extract_many(articles))
    except Exception as exc:  # noqa: BLE001 - isolate the failing article below
        if len(articles) == 1:  # it was alone: no second try
            return [InputProblem.of(articles[0].origin or articles[0].id, failure_reason(exc))]
    out: list[Outcome] = []
    for article in articles:
        try:
            (ex,) = extractor.extract_many([article])
        except Exception as exc:  # noqa: BLE001 - reported as a one-line problem
            out.append(InputProblem.of(article.origin or article.id, failure_reason(exc)))
        else:
            out.append(ex)
    return out


def extract_batches(extractor: object, batches: Iterable[list[Article]]) -> Iterator[tuple[list[Article], list[Outcome]]]:
    """Each batch with its outcomes, in order: through ``extractor.extract_batches`` when it has one."""
    own = getattr(extractor, "extract_batches", None)
    if own is not None:
        yield from own(batches)
        return
    for batch in batches:
        yield batch, extract_isolated(extractor, batch)  # type: ignore[arg-type]


_TOO_LONG = re.compile(r"\[E088\] Text of length (\d+) exceeds maximum of (\d+)")


def _one_line(message: str) -> str:
    return " ".join(message.split())


def failure_reason(exc: BaseException) -> str:
    """Why extracting one article failed, for a one-line problem (spaCy's length limit said plainly).

    >>> failure_reason(ValueError("[E088] Text of length 1200 exceeds maximum of 1000. The parser ..."))
    'article too long to extract (1200 characters > limit 1000); split it into smaller articles'
    >>> failure_reason(ExtractionTimeout(60))
    'extraction of this article stopped after 60 s (the per-article time limit); please report this article as a bug'
    >>> failure_reason(RuntimeError("bad\\nthing"))
    'extraction failed: RuntimeError: bad thing'
    """
    if isinstance(exc, ExtractionTimeout):
        return f"{exc}; please report this article as a bug"
    match = _TOO_LONG.search(str(exc))
    if match:
        return (f"article too long to extract ({match.group(1)} characters > limit {match.group(2)}); "
                "split it into smaller articles")
    return _one_line(f"extraction failed: {type(exc).__name__}: {exc}")


# -- worker side ----------------------------------------------------------------
_WORKER: ManyExtractor | None = None
_SETUP_ERROR: str | None = None


def _exit_with(parent: int) -> None:
    """Leave as soon as ``parent`` (the ingest process) is gone: killed, it cannot shut the pool down,
    and an orphaned worker would otherwise wait on its task queue forever, holding a model."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # pragma: no cover - the pid now belongs to someone else's process
            os._exit(1)


def _init_worker(parent: int, gazetteer_files: tuple[Path, ...], batch_size: int, limit: float | None) -> None:
    """Build this worker's extractor once (model, gazetteer, rules); a failure is kept for :func:`_work`.

    Ctrl-C reaches the whole process group: a worker ignores it (the parent stops the workers)."""
    global _WORKER, _SETUP_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="graphbuild-parent-watch", daemon=True).start()
    try:
        from .engine import Extractor

        _WORKER = Extractor(gazetteer_files, batch_size=batch_size, time_limit=limit)
    except Exception as exc:  # noqa: BLE001 - an exception here would only break the pool, silently
        _SETUP_ERROR = _one_line(str(exc)) if isinstance(exc, GraphbuildError) else \
            _one_line(f"extraction worker failed to start: {type(exc).__name__}: {exc}")


def _work(articles: list[Article]) -> list[Outcome]:
    """Extract one batch in a worker (raises the setup error, so the parent stops with it)."""
    if _WORKER is None:
        raise WorkerSetupError(_SETUP_ERROR or "extraction worker not initialised")
    return extract_isolated(_WORKER, articles)


def _ready() -> None:
    """A no-op task: its result says the worker has started (its model loaded)."""


class WorkerSetupError(GraphbuildError):
    """A worker process could not build its extractor (same message as in-process)."""


# -- parent side ----------------------------------------------------------------
def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where it exists (no fork of a threaded parent, e.g. a progress bar), else ``spawn``.

    The fork server is started with SIGINT ignored, so every worker it forks ignores Ctrl-C from
    its first instruction (before its initializer runs): only the parent handles it.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:  # pragma: no cover - not Linux
        return multiprocessing.get_context("spawn")
    if threading.current_thread() is threading.main_thread():
        from multiprocessing import forkserver

        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited through fork and exec
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
    return multiprocessing.get_context("forkserver")


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now, their batches unfinished (an interrupted ingest must not wait for them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)


#: Seconds a worker may run past its batch's time limits (model start-up included) before it is killed:
#: a worker enforces the limit itself; this catches one stuck where its alarm cannot interrupt it.
WORKER_GRACE = 120.0


def _limit_units(articles: Sequence[Article]) -> int:
    """How many time limits a batch gets: one per article, or per :data:`PART_CHARS` characters of a long one.

    >>> _limit_units([Article("a", "x" * 25_000), Article("b", "short")])
    4
    """
    return sum(max(1, -(-len(a.text) // PART_CHARS)) for a in articles)


class ParallelExtractor:
    """Extracts batches of articles in ``workers`` processes, results in input order."""

    def __init__(self, gazetteer_files: Sequence[Path] = (), *, workers: int | None = None,
                 batch_size: int = 32, time_limit: float | None = DEFAULT_TIME_LIMIT,
                 work: Callable[[list[Article]], list[Outcome]] | None = None, grace: float = WORKER_GRACE) -> None:
        """``time_limit``: seconds per article (see :mod:`.deadline`); ``work`` is what a worker runs on
        one batch: :func:`_work` unless a test injects faults; ``grace``: seconds a worker gets on top of
        its batch's time limits (its start-up included) before the parent kills and replaces it."""
        self.grace = grace
        self.gazetteer_files = tuple(Path(p) for p in gazetteer_files)
        self.workers = workers if workers is not None else default_workers()
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, not {self.workers}")
        self.batch_size = batch_size
        self.time_limit = time_limit
        self.work = work or _work
        # fail now, in this process and with the usual one-line errors, not later in a worker
        from ..nlp.model import find_model
        from .gazetteer import Gazetteer

        find_model()
        self._gazetteer = Gazetteer.load(self.gazetteer_files)
        self._local: ManyExtractor | None = None
        #: How the last run went: "in-process" or "N workers" (for reports and tests).
        self.mode = "in-process"

    def local(self) -> ManyExtractor:
        """The in-process extractor (built on first use)."""
        if self._local is None:
            from .engine import Extractor

            self._local = Extractor(batch_size=self.batch_size, gazetteer=self._gazetteer,
                                    time_limit=self.time_limit)
        return self._local

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extract in this process (the plain interface, for callers that want no workers)."""
        return self.local().extract_many(articles)

    def extract_batches(self, batches: Iterable[list[Article]]) -> Iterator[tuple[list[Article], list[Outcome]]]:
        """Each batch with its outcomes, in input order; in workers when there is enough work for them."""
        it = iter(batches)
        # starting workers costs about as much as extracting a batch or two each: look ahead
        head = list(islice(it, 2 * self.workers)) if self.workers > 1 else []
        if self.workers == 1 or len(head) < 2 * self.workers:
            self.mode = "in-process"
            for batch in chain(head, it):
                yield batch, extract_isolated(self.local(), batch)
            return
        self.mode = f"{self.workers} workers"
        yield from self._in_workers(head, it)

    @staticmethod
    def _started(pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """``pool`` once its worker runs (a worker that dies starting fails the next article, as before)."""
        try:
            pool.submit(_ready).result()
        except BrokenProcessPool:
            pass
        return pool

    def _patience(self, articles: Sequence[Article]) -> float | None:
        """Seconds the parent waits for a worker's batch before it kills the worker (None: no limit)."""
        return self.time_limit * _limit_units(articles) + self.grace if self.time_limit else None

    def _pool(self, workers: int | None = None) -> ProcessPoolExecutor:
        """A pool whose workers each build an extractor like ours."""
        return ProcessPoolExecutor(workers or self.workers, mp_context=_context(), initializer=_init_worker,
                                   initargs=(os.getpid(), self.gazetteer_files, self.batch_size, self.time_limit))

    def _in_workers(self, head: list[list[Article]], rest: Iterator[list[Article]]
                    ) -> Iterator[tuple[list[Article], list[Outcome]]]:
        source = chain(head, rest)
        pending: deque[tuple[list[Article], Future[list[Outcome]]]] = deque()
        pool = self._pool()

        def fill() -> None:
            for batch in islice(source, 2 * self.workers - len(pending)):
                try:
                    future = pool.submit(self.work, batch)
                except BrokenProcessPool as exc:  # a worker died since the last batch: the loop below redoes it
                    future = Future()
                    future.set_exception(exc)
                pending.append((batch, future))

        try:
            fill()
            while pending:
                batch, future = pending.popleft()
                try:
                    outcomes = future.result(timeout=self._patience(batch))
                except (BrokenProcessPool, FutureTimeout):  # a worker died, or is stuck past every limit
                    _stop(pool)
                    redo = [batch, *(b for b, _ in pending)]
                    pending.clear()
                    yield from self._one_by_one(redo)
                    pool = self._pool()
                    fill()
                    continue
                yield batch, outcomes
                fill()
        except BaseException:  # Ctrl-C, or the caller stopped reading: stop the workers, do not wait for them
            _stop(pool)
            raise
        pool.shutdown(wait=True)

    def _one_by_one(self, batches: list[list[Article]]) -> Iterator[tuple[list[Article], list[Outcome]]]:
        """After a worker died or got stuck: article by article in one worker, so only the culprit is lost.

        Each new worker is waited for before an article is given to it, so the time it takes
        to start never counts against an article."""
        pool = self._started(self._pool(1))
        try:
            for batch in batches:
                out: list[Outcome] = []
                for article in batch:
                    try:
                        out.extend(pool.submit(self.work, [article]).result(timeout=self._patience([article])))
                    except (BrokenProcessPool, FutureTimeout) as exc:
                        reason = "extraction failed: the worker process died on this article" \
                            if isinstance(exc, BrokenProcessPool) else \
                            failure_reason(ExtractionTimeout(self.time_limit * _limit_units([article])))
                        out.append(InputProblem.of(article.origin or article.id, reason))
                        _stop(pool)
                        pool = self._started(self._pool(1))
                yield batch, out
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)
