"""Writing a plan: rows sent column by column, write transactions on parallel sessions."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from .. import cypher as cy
from .connection import Neo4jConfig
from .plan import LoadReport, _Group, _Op, _Plan, _Work

Progress = Callable[[int, int], None]


# -- columnar parameters -----------------------------------------------------------
#: Separators tried for a text column sent as one string (the first absent from every value wins).
_SEPARATORS = ("\x1f", "\x1e", "\x1d", "\x1c", "\x00", "\ufdd0", "\ufdd1")


def _columnar(statement: cy.Statement, rows: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The statement over rows sent column by column, each text column as ONE joined string.

    The pure-Python Bolt packer costs microseconds per value and map key: a column of
    ids joined into one string packs in one call and is split back by Cypher.  The
    statement body is untouched (``row`` is rebuilt as the same map), so the script and
    the driver still run the same Cypher.  Integer and float columns travel as text too
    (``toInteger``/``toFloat`` give back the exact value); other columns as plain lists.
    """
    n = len(rows)
    params: dict[str, Any] = {"n": n}
    lets, fields = [], []
    for k, key in enumerate(rows[0]):
        col = [r[key] for r in rows]
        name = f"c{k}"
        kind = type(col[0])
        if kind in (str, int, float) and all(type(v) is kind for v in col) and (
                kind is not float or all(math.isfinite(v) for v in col)):
            text = col if kind is str else [repr(v) for v in col] if kind is float else [str(v) for v in col]
            for sep in _SEPARATORS:
                joined = sep.join(text)
                if joined.count(sep) == n - 1:
                    params[name], params[name + "s"] = joined, sep
                    lets.append(f"split(${name}, ${name}s) AS {name}")
                    value = {str: "{c}[i]", int: "toInteger({c}[i])", float: "toFloat({c}[i])"}[kind]
                    fields.append(f"{cy.quote_name(key)}: {value.format(c=name)}")
                    break
            else:
                kind = list
        else:
            kind = list
        if kind is list:
            params[name] = col
            lets.append(f"${name} AS {name}")
            fields.append(f"{cy.quote_name(key)}: {name}[i]")
    query = (f"WITH {', '.join(lets)}\nUNWIND range(0, $n - 1) AS i\nWITH {{{', '.join(fields)}}} AS row\n"
             + statement.body)
    return query, params


class _Writer:
    """Runs write transactions on ``workers`` sessions in parallel and adds up their counters.

    The pure-Python Bolt packing of one batch overlaps the server's work on another.
    :meth:`wait` is a barrier between steps that depend on each other.
    """

    def __init__(self, driver: Any, config: Neo4jConfig, workers: int, report: LoadReport, total: int,
                 progress: Progress | None) -> None:
        self._driver, self._config, self._report = driver, config, report
        self._local = threading.local()
        self._sessions: list[Any] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphbuild-load")
        self._pending: list[Future] = []
        self._slots = threading.BoundedSemaphore(2 * workers)  # work read ahead, bounded memory
        self._done, self._total, self._progress = 0, total, progress
        self._failed = False
        if progress:
            progress(0, total)

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._driver.session(database=self._config.database)
            with self._lock:
                self._sessions.append(session)
        return session

    def submit(self, work: _Work) -> None:
        self._slots.acquire()
        try:
            self._pending.append(self._pool.submit(self._run, work))
        except BaseException:
            self._slots.release()
            raise
        if any(f.done() and f.exception() is not None for f in self._pending):
            self.wait()  # raises the failure
        self._pending = [f for f in self._pending if not f.done()]

    def wait(self) -> None:
        """Until all submitted work is written; the first failure is raised and the rest dropped."""
        pending, self._pending = self._pending, []
        try:
            for f in pending:
                f.result()
        except BaseException:
            self._failed = True  # work already started stops at its next batch, queued work is cancelled
            for f in pending:
                f.cancel()
            raise

    def close(self) -> None:
        self._failed = self._failed or bool(self._pending)
        self._pool.shutdown(wait=True, cancel_futures=True)
        for session in self._sessions:
            session.close()

    def _run(self, work: _Work) -> None:
        try:
            if self._failed:
                return
            if isinstance(work, _Group):
                self._group(work)
            else:
                self._batch(work.statement, work.rows, work.creates)
        finally:
            self._slots.release()

    def _batch(self, statement: cy.Statement, rows: list[dict[str, Any]], creates: str | None) -> None:
        query, params = _columnar(statement, rows)
        counters = self._session().execute_write(lambda tx: tx.run(query, params).consume().counters)
        self._count([counters], 1, len(rows), (creates, len(rows), counters))

    def _group(self, group: _Group) -> None:
        from neo4j.exceptions import ClientError

        parts = [(st, rows) for st, rows in ((cy.ARTICLE_CREATE, group.articles), (cy.MENTIONS_CREATE, group.mentions),
                                             (cy.EVIDENCE_CREATE, group.evidence)) if rows]
        queries = [_columnar(st, rows) for st, rows in parts]

        def work(tx) -> list[Any]:
            return [tx.run(q, p).consume().counters for q, p in queries]

        try:
            counters = self._session().execute_write(work)
        except ClientError as exc:
            if exc.code != "Neo.ClientError.Schema.ConstraintValidationFailed":
                raise
            # Another load wrote some of these articles first: write the group with the upserts.
            for st, rows, creates in ((cy.ARTICLE_UPSERT, group.articles, "node"),
                                      (cy.MENTIONS_UPSERT, group.mentions, "rel"),
                                      (cy.EVIDENCE_UPSERT, group.evidence, "node")):
                if rows:
                    self._batch(st, rows, creates)
            return
        self._count(counters, 1, group.size, None)

    def _count(self, counters: list[Any], batches: int, rows: int, merged: tuple[str | None, int, Any] | None) -> None:
        r = self._report
        with self._lock:
            r.batches += batches
            for c in counters:
                r.nodes_created += c.nodes_created
                r.nodes_deleted += c.nodes_deleted
                r.relationships_created += c.relationships_created
                r.relationships_deleted += c.relationships_deleted
                r.properties_set += c.properties_set
                r.labels_added += c.labels_added
            if merged is not None:
                creates, n, c = merged
                if creates == "node":
                    r.nodes_updated += n - c.nodes_created
                elif creates == "rel":  # an arms edge also creates its SUPPLIES_ITEM edges: never below 0
                    r.relationships_updated += max(0, n - c.relationships_created)
            self._done += rows
            if self._progress:
                self._progress(self._done, self._total)


def _execute(writer: _Writer, plan: _Plan, batch_size: int) -> None:
    for step in plan.steps:
        for op in step:
            for start in range(0, len(op.rows), batch_size):
                writer.submit(_Op(op.statement, op.rows[start:start + batch_size], op.creates))
        writer.wait()
