"""Push the embedded store into Neo4j with the official driver: idempotent, incremental, batched.

Every write is a static statement from :mod:`graphbuild.sinks.cypher` run as
``UNWIND $rows AS row ...`` with a batch of rows, one managed write transaction
(``session.execute_write``) per batch: the driver retries transient errors and,
since every statement MERGEs on a unique id, a retried batch does no harm.

What a load sends (constraints and indexes first):

* articles whose ``sha256`` in Neo4j differs from the store (new or changed), and
  deletes articles the store no longer has: Neo4j mirrors the store;
* for those articles only: MENTIONS and Evidence nodes that are new, and the
  deletion of those they no longer give (a changed article's old evidence goes);
* every logical relation touched by those articles (old or new evidence),
  its aggregates recomputed from the whole store, or deleted when no evidence is left;
* entities that differ from the store (new, new aliases), and deletes orphans.

An article's ``sha256`` is written last, so a load that stops half way leaves the
article "changed" and the next load finishes it.  Loading twice changes nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import Neo4jError
from ..graph.model import aggregate_relations
from ..ontology import ENTITY_TYPES, RELATION_TYPES
from . import cypher as cy
from .store import Store

__all__ = [
    "DEFAULT_DATABASE",
    "DEFAULT_URI",
    "DEFAULT_USER",
    "LoadReport",
    "Neo4jConfig",
    "QueryResult",
    "connect",
    "load_store",
    "run_query",
]

# The driver logs each retry ("Transaction failed and will be retried in 4.1s ...") as a WARNING;
# with no handler configured Python's last-resort handler printed them all on stderr, burying
# the one-line error. A library adds a NullHandler; an app that configures logging still sees them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: Seconds a managed transaction is retried on transient errors. The driver's backoff
#: (1, 2, 4, 8 s ... with jitter) may start one last wait just before the limit, so the
#: worst case is about twice this: ~30 s before a vanished server is reported.
RETRY_SECONDS = 15

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Neo4jConfig:
    """Where and as whom to connect.  The password never shows in ``repr``."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Neo4jConfig:
        """Options first, then env ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``, then defaults.

        >>> Neo4jConfig.resolve(env={"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": "s3cret"})
        Neo4jConfig(uri='bolt://db:7687', user='neo4j', database='neo4j')
        """
        env = os.environ if env is None else env
        return cls(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            user=user or env.get("NEO4J_USER") or DEFAULT_USER,
            password=password if password is not None else (env.get("NEO4J_PASSWORD") or None),
            database=database or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        )

    @property
    def auth(self) -> tuple[str, str] | None:
        """Basic auth for the driver (None without a password: fine when auth is disabled)."""
        return None if self.password is None else (self.user, self.password)


# -- errors -------------------------------------------------------------------
_START_HINT = "start it with `docker compose up -d` or set NEO4J_URI"


def _reason(exc: BaseException) -> str:
    """A short reason for a failed connection, from the exception chain."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cur, socket.gaierror):
            return "unknown host"
        if isinstance(cur, (socket.timeout, TimeoutError)):
            return "timed out"
        cur = cur.__cause__ or cur.__context__
    text = str(exc)
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    if "timed out" in text:
        return "timed out"
    return "no answer"


def _translate(exc: BaseException, config: Neo4jConfig) -> Neo4jError:
    """One clear line (URI and the fix; never the password) for a driver error."""
    from neo4j import exceptions as nx

    where = f"Neo4j at {config.uri}"
    if isinstance(exc, nx.AuthError) or getattr(exc, "code", "") in (
        "Neo.ClientError.Security.Unauthorized", "Neo.ClientError.Security.AuthenticationRateLimit"
    ):
        if config.password is None:
            return Neo4jError(f"{where} needs a password for user '{config.user}'; set NEO4J_PASSWORD")
        return Neo4jError(f"{where} refused the credentials for user '{config.user}'; set NEO4J_PASSWORD")
    code = getattr(exc, "code", None) or ""
    if code == "Neo.ClientError.Security.CredentialsExpired":
        return Neo4jError(f"{where}: the password of user '{config.user}' must be changed first; "
                          "run ALTER CURRENT USER SET PASSWORD FROM 'old' TO 'new' in Neo4j Browser")
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return Neo4jError(f"{where} has no database '{config.database}'; set NEO4J_DATABASE "
                          "(Neo4j Community has only 'neo4j')")
    if isinstance(exc, nx.ConfigurationError) or isinstance(exc, ValueError):
        return Neo4jError(f"cannot use NEO4J_URI {config.uri!r}: {_first_line(exc)} "
                          "(expected e.g. bolt://localhost:7687 or neo4j://host:7687)")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError)):
        return Neo4jError(f"cannot reach Neo4j at {config.uri}: {_reason(exc)}; {_START_HINT}")
    if isinstance(exc, nx.Neo4jError):
        return Neo4jError(f"{where} failed: {code or type(exc).__name__}: {_first_line(exc.message or exc)}")
    return Neo4jError(f"{where} failed: {type(exc).__name__}: {_first_line(exc)}")


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


@contextmanager
def _errors(config: Neo4jConfig) -> Iterator[None]:
    from neo4j import exceptions as nx

    try:
        yield
    except (nx.Neo4jError, nx.DriverError, OSError) as exc:
        raise _translate(exc, config) from None
    except ValueError as exc:  # the driver's own URI parsing
        raise _translate(exc, config) from None


_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def connect(config: Neo4jConfig):
    """An open, verified ``neo4j.Driver`` (close it), or :class:`Neo4jError` with one clear line."""
    from neo4j import GraphDatabase

    scheme = config.uri.partition("://")[0] if "://" in config.uri else ""
    if scheme not in _SCHEMES:
        raise Neo4jError(f"cannot use NEO4J_URI {config.uri!r}: the scheme must be one of "
                         f"{', '.join(s + '://' for s in _SCHEMES)} (e.g. bolt://localhost:7687)")
    with _errors(config):
        driver = GraphDatabase.driver(config.uri, auth=config.auth, connection_timeout=10,
                                      max_transaction_retry_time=RETRY_SECONDS, notifications_min_severity="OFF")
        try:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=config.database)
        except BaseException:
            driver.close()
            raise
    return driver


# -- load ---------------------------------------------------------------------
@dataclass
class LoadReport:
    """What one load did: articles by status, rows sent, and Neo4j's own counters."""

    uri: str = ""
    database: str = ""
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    articles_removed: int = 0
    entities_written: int = 0
    entities_deleted: int = 0
    relations_written: int = 0
    relations_deleted: int = 0
    evidence_written: int = 0
    evidence_deleted: int = 0
    mentions_written: int = 0
    mentions_deleted: int = 0
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels_added: int = 0
    constraints_added: int = 0
    indexes_added: int = 0
    batches: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True if the load changed anything in the graph (schema included)."""
        return any((self.nodes_created, self.nodes_deleted, self.relationships_created,
                    self.relationships_deleted, self.properties_set, self.labels_added,
                    self.constraints_added, self.indexes_added))

    @property
    def relationships_per_second(self) -> float:
        """Typed relationships written per second of the whole load."""
        return self.relations_written / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for ``--json``."""
        return asdict(self) | {"seconds": round(self.seconds, 3)}


@dataclass
class _Op:
    """One statement with its rows; ``creates`` says which counter the rows create ("node"/"rel"/None)."""

    statement: cy.Statement
    rows: list[dict[str, Any]]
    creates: str | None


@dataclass
class _Plan:
    ops: list[_Op] = field(default_factory=list)

    def add(self, statement: cy.Statement, rows: list[dict[str, Any]], creates: str | None) -> None:
        if rows:
            self.ops.append(_Op(statement, rows, creates))

    @property
    def total(self) -> int:
        return sum(len(op.rows) for op in self.ops)


#: What a concurrent load's ``CREATE ... IF NOT EXISTS`` may still raise when both create the same rule at once.
_SCHEMA_RACE = frozenset({"Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
                          "Neo.ClientError.Schema.IndexAlreadyExists", "Neo.ClientError.Schema.ConstraintAlreadyExists"})


def _schema(session, report: LoadReport) -> None:
    from neo4j.exceptions import ClientError

    for stmt in cy.schema_statements():
        try:
            counters = session.execute_write(lambda tx, s=stmt: tx.run(s).consume().counters)
        except ClientError as exc:
            if exc.code not in _SCHEMA_RACE:
                raise
            continue  # another load created it a moment ago: what IF NOT EXISTS wanted
        report.constraints_added += counters.constraints_added
        report.indexes_added += counters.indexes_added
    session.run(cy.AWAIT_INDEXES).consume()


def _read(session, query: str, **params: Any) -> list[Any]:
    return session.execute_read(lambda tx: [tuple(r.values()) for r in tx.run(query, params)])


def _plan(store: Store, session, article_ids: Iterable[str] | None, report: LoadReport) -> _Plan:
    """Compare the store with what Neo4j holds and list the writes that make them equal."""
    in_neo = dict(_read(session, f"MATCH (a:{cy.ARTICLE}) RETURN a.id, a.sha256"))
    articles = {a["id"]: a for a in store.article_rows()}
    wanted = set(article_ids) if article_ids is not None else set(articles) | set(in_neo)
    dirty = {i for i in wanted if i in articles and in_neo.get(i) != articles[i]["sha256"]}
    removed = {i for i in wanted if i not in articles and i in in_neo}
    report.articles_new = sum(1 for i in dirty if i not in in_neo)
    report.articles_changed = len(dirty) - report.articles_new
    report.articles_removed = len(removed)
    report.articles_unchanged = sum(1 for i in wanted if i in articles) - len(dirty)
    gone = sorted(dirty | removed)

    # What Neo4j holds for the articles that change: evidence and mentions.
    old_ev = _read(session, f"UNWIND $ids AS id MATCH (ev:{cy.EVIDENCE} {{article_id: id}}) "
                            "RETURN ev.id, ev.rel_key, ev.subject, ev.predicate, ev.object", ids=gone)
    old_ev_ids = {r[0] for r in old_ev}
    old_keys = {r[1]: (r[2], r[3], r[4]) for r in old_ev}
    old_mentions = {(a, e): c for a, e, c in _read(
        session, f"UNWIND $ids AS id MATCH (:{cy.ARTICLE} {{id: id}})-[m:{cy.MENTIONS}]->(e:{cy.ENTITY}) "
                 "RETURN id, e.id, m.count", ids=gone)}

    plan = _Plan()
    # 1. entities that differ from the store (new ones, new aliases).
    neo_entities = {r[0]: r[1:] for r in _read(
        session, f"MATCH (n:{cy.ENTITY}) RETURN n.id, n.name, n.aliases, n.iso3, labels(n)")}
    store_ids = set()
    by_label: dict[str, list[dict[str, Any]]] = {label: [] for label in ENTITY_TYPES}
    for ent in store.entities():
        store_ids.add(ent.id)
        row = cy.entity_row(ent)
        have = neo_entities.get(ent.id)
        if have is None or (have[0], list(have[1] or []), have[2]) != (row["name"], row["aliases"], row["iso3"]) \
                or ent.type not in have[3]:
            by_label[ent.type].append(row)
    for label in ENTITY_TYPES:
        plan.add(cy.ENTITY_UPSERT[label], by_label[label], "node")
    report.entities_written = sum(len(v) for v in by_label.values())

    # 2. article nodes, unsealed (sha256 null) until everything else is written.
    plan.add(cy.ARTICLE_UPSERT, [cy.article_row(articles[i], sealed=False) for i in sorted(dirty)], "node")

    # 3. mentions of the changed articles.
    new_mentions = {(a, e): c for a, e, c in store.article_entities() if a in dirty}
    mention_rows = [{"article_id": a, "entity_id": e, "count": c} for (a, e), c in sorted(new_mentions.items())
                    if old_mentions.get((a, e)) != c]
    plan.add(cy.MENTIONS_UPSERT, mention_rows, "rel")
    report.mentions_written = len(mention_rows)

    # 4. evidence and relations: every edge with old or new evidence from those articles.
    ev_rows, keep_ev = [], set()
    edge_rows: dict[str, list[dict[str, Any]]] = {t: [] for t in RELATION_TYPES}
    touched_alive = set()
    for edge in aggregate_relations(store.relations()):
        if edge.key not in old_keys and not any(e.evidence.article_id in dirty for e in edge.evidence):
            continue
        touched_alive.add(edge.key)
        edge_rows[edge.predicate].append(cy.edge_row(edge))
        for row in cy.evidence_rows(edge):
            if row["article_id"] in dirty:
                keep_ev.add(row["id"])
                if row["id"] not in old_ev_ids:
                    ev_rows.append(row)
    plan.add(cy.EVIDENCE_UPSERT, ev_rows, "node")
    report.evidence_written = len(ev_rows)
    for t in RELATION_TYPES:
        plan.add(cy.RELATION_UPSERT[t], edge_rows[t], "rel")
    report.relations_written = sum(len(v) for v in edge_rows.values())

    # 5. deletions, after the upserts so a stopped load can still find what to redo.
    dead: dict[str, list[dict[str, Any]]] = {t: [] for t in RELATION_TYPES}
    for key, (s, p, o) in sorted(old_keys.items()):
        if key not in touched_alive:
            dead[p].append({"subject": s, "object": o})
    for t in RELATION_TYPES:
        plan.add(cy.RELATION_DELETE[t], dead[t], None)
    report.relations_deleted = sum(len(v) for v in dead.values())
    stale_mentions = [{"article_id": a, "entity_id": e} for (a, e) in sorted(old_mentions)
                      if a in dirty and (a, e) not in new_mentions]
    plan.add(cy.MENTIONS_DELETE, stale_mentions, None)
    report.mentions_deleted = len(stale_mentions)
    stale_ev = [{"id": i} for i in sorted(old_ev_ids - keep_ev)]
    plan.add(cy.EVIDENCE_DELETE, stale_ev, None)
    report.evidence_deleted = len(stale_ev)
    plan.add(cy.ARTICLE_DELETE, [{"id": i} for i in sorted(removed)], None)
    orphans = [{"id": i} for i in sorted(set(neo_entities) - store_ids)]
    plan.add(cy.ENTITY_DELETE, orphans, None)
    report.entities_deleted = len(orphans)

    # 6. seal: the article is now completely in Neo4j.
    plan.add(cy.ARTICLE_SEAL, [{"id": i, "sha256": articles[i]["sha256"]} for i in sorted(dirty)], None)
    return plan


def _execute(session, plan: _Plan, batch_size: int, report: LoadReport, progress: Progress | None) -> None:
    done, total = 0, plan.total
    if progress:
        progress(0, total)
    for op in plan.ops:
        query = op.statement.parameterised()
        for start in range(0, len(op.rows), batch_size):
            batch = op.rows[start:start + batch_size]
            c = session.execute_write(lambda tx, b=batch: tx.run(query, rows=b).consume().counters)
            report.batches += 1
            report.nodes_created += c.nodes_created
            report.nodes_deleted += c.nodes_deleted
            report.relationships_created += c.relationships_created
            report.relationships_deleted += c.relationships_deleted
            report.properties_set += c.properties_set
            report.labels_added += c.labels_added
            if op.creates == "node":
                report.nodes_updated += len(batch) - c.nodes_created
            elif op.creates == "rel":
                report.relationships_updated += len(batch) - c.relationships_created
            done += len(batch)
            if progress:
                progress(done, total)


def load_store(
    store: Store,
    config: Neo4jConfig,
    *,
    batch_size: int = 5000,
    article_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    driver: Any = None,
) -> LoadReport:
    """Make the Neo4j graph equal to the store, sending only what differs (see the module docstring).

    ``article_ids`` limits the articles considered (e.g. those just ingested);
    ``progress(done, total)`` is called after each batch with rows written so far;
    ``driver`` reuses an open driver instead of connecting with ``config``.
    Raises :class:`Neo4jError` (one line) when Neo4j cannot be reached or fails.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    report = LoadReport(uri=config.uri, database=config.database)
    own = driver is None
    drv = connect(config) if own else driver
    try:
        with _errors(config), drv.session(database=config.database) as session:
            _schema(session, report)
            plan = _plan(store, session, article_ids, report)
            _execute(session, plan, batch_size, report, progress)
    finally:
        if own:
            drv.close()
    report.seconds = time.perf_counter() - started
    return report


# -- queries ------------------------------------------------------------------
@dataclass(frozen=True)
class QueryResult:
    """Columns and rows (plain Python values) of one query."""

    columns: list[str]
    rows: list[list[Any]]


def _plain(value: Any) -> Any:
    """Driver values as plain JSON-friendly Python (temporal -> ISO text, graph objects -> dicts)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "element_id") and hasattr(value, "items"):  # Node / Relationship
        return {k: _plain(v) for k, v in value.items()}
    return value


def run_query(config: Neo4jConfig, text: str, params: Mapping[str, Any] | None = None, *,
              driver: Any = None) -> QueryResult:
    """Run one read query and return its columns and rows (values made plain)."""
    own = driver is None
    drv = connect(config) if own else driver
    try:
        with _errors(config), drv.session(database=config.database) as session:
            def work(tx):
                result = tx.run(text, dict(params or {}))
                rows = [[_plain(v) for v in record.values()] for record in result]
                return list(result.keys()), rows

            columns, rows = session.execute_read(work)
    finally:
        if own:
            drv.close()
    return QueryResult(columns, rows)
