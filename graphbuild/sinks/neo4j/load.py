"""``load_store``: make the Neo4j graph equal to the embedded store (see the package docstring)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

from ...defaults import LOAD_BATCH, LOAD_WORKERS
from .. import cypher as cy
from ...store import Store
from .connection import Neo4jConfig, _errors, connect
from .plan import LoadReport, _groups, _plan
from .writer import Progress, _execute, _Writer

#: Rows per write transaction (see :mod:`graphbuild.defaults`).
DEFAULT_BATCH_SIZE = LOAD_BATCH
#: Sessions writing in parallel (see :mod:`graphbuild.defaults`).
DEFAULT_WORKERS = LOAD_WORKERS


#: What a concurrent load's ``CREATE ... IF NOT EXISTS`` may still raise when both create the same rule at once.
_SCHEMA_RACE = frozenset({"Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
                          "Neo.ClientError.Schema.IndexAlreadyExists", "Neo.ClientError.Schema.ConstraintAlreadyExists"})


_RULE_NAME = re.compile(r"CREATE (?:CONSTRAINT|(?:FULLTEXT |RANGE |TEXT )?INDEX) (\w+) IF NOT EXISTS")


def _schema_names(session) -> set[str]:
    """Names of the constraints and online indexes the database already has."""
    def work(tx):
        names = {r["name"] for r in tx.run("SHOW CONSTRAINTS YIELD name")}
        return names | {r["name"] for r in tx.run("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE'")}
    return session.execute_read(work)


def _schema(session, report: LoadReport) -> None:
    from neo4j.exceptions import ClientError

    present = _schema_names(session)
    for stmt in cy.schema_statements():
        name = _RULE_NAME.match(stmt)
        if name and name.group(1) in present:
            continue  # a schema write takes label locks even when it changes nothing
        try:
            counters = session.execute_write(lambda tx, s=stmt: tx.run(s).consume().counters)
        except ClientError as exc:
            if exc.code not in _SCHEMA_RACE:
                raise
            continue  # another load created it a moment ago: what IF NOT EXISTS wanted
        report.constraints_added += counters.constraints_added
        report.indexes_added += counters.indexes_added
    session.run(cy.AWAIT_INDEXES).consume()


def _has_index(session, name: str) -> bool:
    """Whether the database has an online index called ``name`` (a read; takes no schema lock)."""
    query = "SHOW INDEXES YIELD name, state WHERE name = $name AND state = 'ONLINE' RETURN count(*) AS n"
    return session.execute_read(lambda tx: tx.run(query, name=name).single()["n"]) > 0


def ensure_lookup_index(config: Neo4jConfig, *, driver: Any = None) -> None:
    """Create the full-text index the saved queries' actor lookup uses, if missing, and wait for it.

    A database loaded by an older graphbuild, or not loaded yet, has none; ``graphbuild load``
    creates it with the rest of the schema.  Raises :class:`Neo4jError` (one line) on failure.
    """
    from neo4j.exceptions import ClientError

    statement = next(s for s in cy.schema_statements() if cy.LOOKUP_INDEX in s)
    own = driver is None
    drv = connect(config) if own else driver
    try:
        with _errors(config), drv.session(database=config.database) as session:
            # a read first: a schema write takes label locks and can deadlock with a load running
            # meanwhile, so it is only tried when the index is missing, as a retried transaction
            if _has_index(session, cy.LOOKUP_INDEX):
                return
            try:
                session.execute_write(lambda tx: tx.run(statement).consume())
            except ClientError as exc:
                if exc.code not in _SCHEMA_RACE:
                    raise
            session.run(cy.AWAIT_INDEXES).consume()
    finally:
        if own:
            drv.close()


def load_store(
    store: Store,
    config: Neo4jConfig,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    article_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    driver: Any = None,
    workers: int = DEFAULT_WORKERS,
) -> LoadReport:
    """Make the Neo4j graph equal to the store, sending only what differs (see the module docstring).

    ``article_ids`` limits the articles considered (e.g. those just ingested);
    ``progress(done, total)`` is called after each batch with rows written so far;
    ``driver`` reuses an open driver instead of connecting with ``config``;
    ``workers`` sessions write in parallel (independent batches only).
    Raises :class:`Neo4jError` (one line) when Neo4j cannot be reached or fails.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    started = time.perf_counter()
    report = LoadReport(uri=config.uri, database=config.database)
    own = driver is None
    drv = connect(config) if own else driver
    try:
        # one snapshot of the store for the whole load: an ingest committing meanwhile is seen by the next load
        with _errors(config), store.snapshot():
            with drv.session(database=config.database) as session:
                _schema(session, report)
                before, fresh, after, articles = _plan(store, session, article_ids, report, batch_size)
            writer = _Writer(drv, config, workers, report, before.total + after.total, progress)
            try:
                _execute(writer, before, batch_size)
                for group in _groups(store, fresh, articles, batch_size):
                    writer.submit(group)
                writer.wait()
                _execute(writer, after, batch_size)
            finally:
                writer.close()
    finally:
        if own:
            drv.close()
    report.seconds = time.perf_counter() - started
    return report
