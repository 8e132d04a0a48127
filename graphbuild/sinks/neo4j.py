"""Push the embedded store into Neo4j with the official driver: idempotent, incremental, batched.

Every write is a static statement from :mod:`graphbuild.sinks.cypher`, its rows sent
column by column (:func:`_columnar`: each text column as one joined string, since the
pure-Python Bolt packer costs microseconds per value) and rebuilt as ``row`` in front of
the same body the Cypher script runs.  Batches run as managed write transactions
(``session.execute_write``) on ``workers`` sessions in parallel, so packing one batch
overlaps the server's work on another; the driver retries transient errors.

What a load sends (constraints and indexes first):

* entities that differ from the store (new, new aliases);
* articles absent from Neo4j, each with its MENTIONS and Evidence, in ONE transaction per
  group with plain CREATE: nothing can hang off an article the transaction itself creates
  (if a concurrent load created one first, the unique constraint fails the group and it
  is written again with the MERGE upserts);
* articles whose ``sha256`` in Neo4j differs from the store: only the mentions and evidence
  that are new, with MERGE, and the deletion of those they no longer give;
* every logical relation touched by those articles (old or new evidence), its aggregates
  recomputed from the whole store by SQLite, or deleted when no evidence is left;
* deletes articles the store no longer has and orphan entities: Neo4j mirrors the store.

Only what the changed articles touch is read from the store, in bulk (a reload with
nothing to do reads article ids, hashes and entities, and writes nothing).  An article's
``sha256`` is written last, so a load that stops half way leaves the article "changed"
and the next load finishes it.  Loading twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from ..errors import Neo4jError
from ..graph.model import best_modality, edge_key
from ..ontology import ENTITY_TYPES, MODALITIES, RELATION_TYPES
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
#: Rows per write transaction: big enough that per-transaction costs vanish, small for the server's heap.
DEFAULT_BATCH_SIZE = 20_000
#: Sessions writing in parallel: one packs a batch (pure-Python Bolt) while the server works on another's.
DEFAULT_WORKERS = 2

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


def _read_rows(session, query: str, **params: Any) -> list[list[Any]]:
    """The rows of a query that returns them as ONE record, ``collect([...])``: a Bolt message per row costs more."""
    records = _read(session, query, **params)
    return records[0][0] if records else []


@dataclass
class _Op:
    """One statement with its rows; ``creates`` says which counter the rows create ("node"/"rel"/None)."""

    statement: cy.Statement
    rows: list[dict[str, Any]]
    creates: str | None


@dataclass
class _Group:
    """Articles new to Neo4j with their mentions and evidence: written in ONE transaction with CREATE.

    Nothing can hang off an article the same transaction creates, so CREATE is exact; if
    another load created one of them first, the unique constraint fails the transaction and
    the group is written again with the MERGE upserts.
    """

    articles: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    evidence: list[dict[str, Any]]

    @property
    def size(self) -> int:
        return len(self.articles) + len(self.mentions) + len(self.evidence)


_Work = _Op | _Group


# -- reading the store in bulk (its connection, read-only) -------------------------
_EV_COLUMNS = ("r.subject, r.predicate, r.object, r.modality, r.article_id, r.sentence, r.start, r.end, r.rule,"
               " r.confidence, r.items, r.inferred, a.date")
#: Ids per ``IN (?, ...)`` query (SQLite's json_each would cut a text at a NUL, so plain parameters).
_CHUNK = 500


def _chunks(values: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    """Sorted ``values`` in lists of at most ``size``."""
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def _marks(n: int) -> str:
    return "IN (" + ",".join("?" * n) + ")"


def _items_json(text: str) -> tuple[list[str], str]:
    """Stored items (JSON text) as a list and as :func:`cypher.evidence_rows` spells them in the evidence id."""
    if text == "[]":
        return [], "[]"
    items = list(json.loads(text))
    return items, json.dumps(items)


_HASH_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _content_hash(*parts: str | None) -> str:
    """:func:`graphbuild.models.content_hash` (the same digest) with its JSON encoder made once, not per call."""
    return hashlib.sha256(_HASH_JSON.encode(list(parts)).encode("utf-8")).hexdigest()


def _evidence_of(db: sqlite3.Connection, ids: Collection[str]) -> Iterator[dict[str, Any]]:
    """Rows for :data:`cypher.EVIDENCE_UPSERT` of the articles ``ids``, the same as :func:`cypher.evidence_rows`.

    An evidence id hashes its article id, so identical rows (the ordinal) never span articles:
    one article's evidence gets the same ids as when its whole edge is aggregated.
    """
    seen: Counter[str] = Counter()
    rows = (row for chunk in _chunks(ids) for row in db.execute(
        f"SELECT {_EV_COLUMNS} FROM relations r JOIN articles a ON a.id = r.article_id"
        f" WHERE r.article_id {_marks(len(chunk))} ORDER BY r.article_id, r.subject, r.predicate, r.object, r.start,"
        " r.id", chunk))
    for (s, p, o, mod, aid, sent, start, end, rule, conf, items_text, inf, date) in rows:
        key = edge_key(s, p, o)
        items, items_json = _items_json(items_text)
        inferred = bool(inf)
        identity = _content_hash(key, aid, date, sent, str(start), str(end), mod, rule, repr(float(conf)),
                                 items_json, str(inferred))
        seen[identity] += 1
        yield {"id": "ev:" + _content_hash(identity, str(seen[identity]))[:32], "rel_key": key, "subject": s,
               "predicate": p, "object": o, "article_id": aid, "date": date, "sentence": sent, "start": start,
               "end": end, "modality": mod, "rule": rule, "confidence": conf, "items": items, "inferred": inferred}


def _mentions_of(db: sqlite3.Connection, ids: Collection[str]) -> list[tuple[str, str, int]]:
    """(article id, entity id, count) of the articles ``ids``, as :meth:`Store.article_entities`."""
    return [row for chunk in _chunks(ids) for row in db.execute(
        f"SELECT article_id, entity_id, COUNT(*) FROM mentions WHERE article_id {_marks(len(chunk))}"
        " GROUP BY article_id, entity_id ORDER BY article_id, entity_id", chunk)]


def _counts_of(db: sqlite3.Connection, ids: Collection[str]) -> dict[str, list[int]]:
    """[mention pairs, evidence rows] per article of ``ids``: what writing the article sends besides itself."""
    out = {i: [0, 0] for i in ids}
    for chunk in _chunks(ids):
        for aid, n in db.execute(f"SELECT article_id, COUNT(DISTINCT entity_id) FROM mentions WHERE article_id"
                                 f" {_marks(len(chunk))} GROUP BY article_id", chunk):
            out[aid][0] = n
        for aid, n in db.execute(f"SELECT article_id, COUNT(*) FROM relations WHERE article_id {_marks(len(chunk))}"
                                 " GROUP BY article_id", chunk):
            out[aid][1] = n
    return out


_KEY = " WHERE subject = ? AND predicate = ? AND object = ?"
_AGGREGATES = ("SELECT subject, predicate, object, count(*), max(confidence), min(inferred),"
               " group_concat(DISTINCT modality), count(cameo), min(cameo), max(cameo), min(weight), max(weight),"
               " max(items <> '[]') FROM relations")
_IN_ORDER = (" FROM relations r JOIN articles a ON a.id = r.article_id"
             " WHERE r.subject = ? AND r.predicate = ? AND r.object = ?")
_ORDER = " ORDER BY a.date, r.article_id, r.start, r.id"  # the order of Store.relations within an edge


def _edge_rows(db: sqlite3.Connection, keys: set[tuple[str, str, str]] | None, dates: Mapping[str, str | None], *,
               lookup: bool) -> Iterator[dict[str, Any]]:
    """Rows for :data:`cypher.RELATION_UPSERT` (plus ``predicate``) of the relations ``keys`` (None: all).

    The same values as ``edge_row(aggregate_relations(store.relations()))``, aggregated by
    SQLite on its covering index instead of row by row in Python: only the distinct article
    ids come over, dated from ``dates`` (article id -> date).  ``lookup`` reads the keys one
    by one by index; otherwise the whole table is read and the other relations skipped.
    """
    if keys is not None and lookup:
        ordered = sorted(keys)
        aggregates: Iterable[tuple[Any, ...]] = (db.execute(_AGGREGATES + _KEY, k).fetchone() for k in ordered)
        article_ids: Iterable[list[str]] = (
            [r[0] for r in db.execute("SELECT DISTINCT article_id FROM relations" + _KEY, k)] for k in ordered)
    else:
        aggregates = db.execute(_AGGREGATES + " GROUP BY subject, predicate, object ORDER BY subject, predicate, object")
        article_ids = ([r[3] for r in group] for _, group in groupby(db.execute(
            "SELECT DISTINCT subject, predicate, object, article_id FROM relations"
            " ORDER BY subject, predicate, object"), key=itemgetter(0, 1, 2)))
    for agg, aids in zip(aggregates, article_ids):
        s, p, o, count, confidence, inferred, mods, n_cameo, cameo, cameo2, weight, weight2, has_items = agg
        if not count or (keys is not None and not lookup and (s, p, o) not in keys):
            continue  # (a key with no evidence left: no relation)
        if not ((n_cameo == count and cameo == cameo2) or n_cameo == 0) or weight != weight2:
            cameo, weight = db.execute("SELECT r.cameo, r.weight" + _IN_ORDER + _ORDER + " LIMIT 1", (s, p, o)).fetchone()
        items: list[str] = []
        if has_items:
            for (text,) in db.execute("SELECT r.items" + _IN_ORDER + " AND r.items <> '[]'" + _ORDER, (s, p, o)):
                items.extend(i for i in json.loads(text) if i not in items)
        seen = sorted(d for d in (dates[a] for a in aids) if d)
        modalities = set(mods.split(","))
        yield {
            "key": edge_key(s, p, o), "subject": s, "object": o, "modality": best_modality(modalities),
            "modalities": [m for m in MODALITIES if m in modalities], "count": count,
            "first_date": seen[0] if seen else None, "last_date": seen[-1] if seen else None,
            "cameo": cameo, "weight": weight, "article_ids": sorted(aids), "confidence": confidence, "items": items,
            "inferred": bool(inferred), "predicate": p,
        }


def _edge_keys_of(db: sqlite3.Connection, ids: Collection[str]) -> set[tuple[str, str, str]]:
    """(subject, predicate, object) of every relation the articles ``ids`` give evidence for."""
    return {row for chunk in _chunks(ids) for row in db.execute(
        f"SELECT DISTINCT subject, predicate, object FROM relations WHERE article_id {_marks(len(chunk))}", chunk)}


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


# -- planning ----------------------------------------------------------------------
@dataclass
class _Plan:
    """The writes of a load, in order: steps run one after the other, the work of a step in parallel."""

    steps: list[list[_Work]] = field(default_factory=list)
    total: int = 0

    def step(self, *ops: _Op | None) -> None:
        work = [op for op in ops if op is not None and op.rows]
        if work:
            self.steps.append(list(work))
            self.total += sum(len(op.rows) for op in work)


def _op(statement: cy.Statement, rows: list[dict[str, Any]], creates: str | None) -> _Op | None:
    return _Op(statement, rows, creates) if rows else None


def _groups(db: sqlite3.Connection, counts: dict[str, list[int]], articles: dict[str, dict[str, Any]],
            batch_size: int) -> Iterator[_Group]:
    """New articles in groups of at most ``batch_size`` rows (or one article), read from the store per group."""
    members: list[str] = []
    size = 0
    for aid in sorted(counts):
        n = 1 + sum(counts[aid])
        if members and size + n > batch_size:
            yield _read_group(db, members, articles)
            members, size = [], 0
        members.append(aid)
        size += n
    if members:
        yield _read_group(db, members, articles)


def _read_group(db: sqlite3.Connection, ids: list[str], articles: dict[str, dict[str, Any]]) -> _Group:
    mentions = [{"article_id": a, "entity_id": e, "count": c} for a, e, c in _mentions_of(db, ids)]
    mentions.sort(key=itemgetter("entity_id"))  # every transaction locks entities in the same order
    return _Group([cy.article_row(articles[i], sealed=False) for i in ids], mentions, list(_evidence_of(db, ids)))


def _plan(store: Store, session, article_ids: Iterable[str] | None, report: LoadReport,
          batch_size: int) -> tuple[_Plan, dict[str, list[int]], _Plan, dict[str, dict[str, Any]]]:
    """Compare the store with what Neo4j holds and list the writes that make them equal.

    Returns the writes before the new articles, the new articles (written in groups by
    :func:`_groups`), and the writes after them.  Only what the changed articles touch is
    read from the store (all of it on a first load).
    """
    db = store._db  # read-only use of the store's connection: bulk reads the Store API has no call for
    in_neo = dict(_read_rows(session, f"MATCH (a:{cy.ARTICLE}) RETURN collect([a.id, a.sha256])"))
    articles = {a["id"]: a for a in store.article_rows()}
    wanted = set(article_ids) if article_ids is not None else set(articles) | set(in_neo)
    dirty = {i for i in wanted if i in articles and in_neo.get(i) != articles[i]["sha256"]}
    removed = {i for i in wanted if i not in articles and i in in_neo}
    fresh = sorted(i for i in dirty if i not in in_neo)
    changed = dirty - set(fresh)
    report.articles_new = len(fresh)
    report.articles_changed = len(changed)
    report.articles_removed = len(removed)
    report.articles_unchanged = sum(1 for i in wanted if i in articles) - len(dirty)
    gone = sorted(changed | removed)

    # What Neo4j holds for the articles it has that change: evidence and mentions.
    old_ev = _read(session, f"UNWIND $ids AS id MATCH (ev:{cy.EVIDENCE} {{article_id: id}}) "
                            "RETURN ev.id, ev.rel_key, ev.subject, ev.predicate, ev.object", ids=gone) if gone else []
    old_ev_ids = {r[0] for r in old_ev}
    old_keys = {r[1]: (r[2], r[3], r[4]) for r in old_ev}
    old_mentions = {(a, e): c for a, e, c in _read(
        session, f"UNWIND $ids AS id MATCH (:{cy.ARTICLE} {{id: id}})-[m:{cy.MENTIONS}]->(e:{cy.ENTITY}) "
                 "RETURN id, e.id, m.count", ids=gone)} if gone else {}

    before, after = _Plan(), _Plan()
    # 1. entities that differ from the store (new ones, new aliases).
    neo_entities = {r[0]: r[1:] for r in _read_rows(
        session, f"MATCH (n:{cy.ENTITY}) RETURN collect([n.id, n.name, n.aliases, n.iso3, labels(n)])")}
    store_ids = set()
    by_label: dict[str, list[dict[str, Any]]] = {label: [] for label in ENTITY_TYPES}
    for ent in store.entities():
        store_ids.add(ent.id)
        row = cy.entity_row(ent)
        have = neo_entities.get(ent.id)
        if have is None or (have[0], list(have[1] or []), have[2]) != (row["name"], row["aliases"], row["iso3"]) \
                or ent.type not in have[3]:
            by_label[ent.type].append(row)
    before.step(*(_op(cy.ENTITY_UPSERT[label], by_label[label], "node") for label in ENTITY_TYPES))
    report.entities_written = sum(len(v) for v in by_label.values())

    # 2. the new articles: counted here, written in groups between `before` and `after`.
    fresh_counts = _counts_of(db, fresh)
    report.mentions_written += sum(m for m, _ in fresh_counts.values())
    report.evidence_written += sum(e for _, e in fresh_counts.values())
    before.total += len(fresh) + report.mentions_written + report.evidence_written

    # 3. changed articles (in Neo4j with another sha256): unsealed, then only what differs, with MERGE.
    new_mentions = {(a, e): c for a, e, c in _mentions_of(db, changed)} if changed else {}
    mention_rows = [{"article_id": a, "entity_id": e, "count": c} for (a, e), c in sorted(new_mentions.items())
                    if old_mentions.get((a, e)) != c]
    ev_rows, keep_ev = [], set()
    for row in _evidence_of(db, changed) if changed else ():
        keep_ev.add(row["id"])
        if row["id"] not in old_ev_ids:
            ev_rows.append(row)
    after.step(_op(cy.ARTICLE_UPSERT, [cy.article_row(articles[i], sealed=False) for i in sorted(changed)], "node"))
    after.step(_op(cy.MENTIONS_UPSERT, mention_rows, "rel"), _op(cy.EVIDENCE_UPSERT, ev_rows, "node"))
    report.mentions_written += len(mention_rows)
    report.evidence_written += len(ev_rows)

    # 4. every logical relation with old or new evidence from those articles, from all its evidence.
    keys: set[tuple[str, str, str]] | None = set(old_keys.values())
    if dirty == set(articles):
        keys = None  # a first load: every relation of the store
    elif dirty:
        keys |= _edge_keys_of(db, dirty)
    edge_rows: dict[str, list[dict[str, Any]]] = {t: [] for t in RELATION_TYPES}
    touched_alive = set()
    if keys is None or keys:
        # Many keys: one pass over the whole table (skipping the others) beats looking each one up.
        n_evidence = db.execute("SELECT coalesce(max(id), 0) FROM relations").fetchone()[0]  # about, by rowid
        dates = {i: a["date"] for i, a in articles.items()}
        for row in _edge_rows(db, keys, dates, lookup=keys is not None and len(keys) * 10 < n_evidence):
            touched_alive.add(row["key"])
            edge_rows[row["predicate"]].append(row)
    for rows in edge_rows.values():
        for row in rows:
            del row["predicate"]
    after.step(*(_op(cy.RELATION_UPSERT[t], edge_rows[t], "rel") for t in RELATION_TYPES))
    report.relations_written = sum(len(v) for v in edge_rows.values())

    # 5. deletions, after the upserts so a stopped load can still find what to redo.
    dead: dict[str, list[dict[str, Any]]] = {t: [] for t in RELATION_TYPES}
    for key, (s, p, o) in sorted(old_keys.items()):
        if key not in touched_alive:
            dead[p].append({"subject": s, "object": o})
    for t in RELATION_TYPES:
        after.step(_op(cy.RELATION_DELETE[t], dead[t], None))
    report.relations_deleted = sum(len(v) for v in dead.values())
    stale_mentions = [{"article_id": a, "entity_id": e} for (a, e) in sorted(old_mentions)
                      if a in dirty and (a, e) not in new_mentions]
    after.step(_op(cy.MENTIONS_DELETE, stale_mentions, None))
    report.mentions_deleted = len(stale_mentions)
    stale_ev = [{"id": i} for i in sorted(old_ev_ids - keep_ev)]
    after.step(_op(cy.EVIDENCE_DELETE, stale_ev, None))
    report.evidence_deleted = len(stale_ev)
    after.step(_op(cy.ARTICLE_DELETE, [{"id": i} for i in sorted(removed)], None))
    orphans = [{"id": i} for i in sorted(set(neo_entities) - store_ids)]
    after.step(_op(cy.ENTITY_DELETE, orphans, None))
    report.entities_deleted = len(orphans)

    # 6. seal: the article is now completely in Neo4j.
    after.step(_op(cy.ARTICLE_SEAL, [{"id": i, "sha256": articles[i]["sha256"]} for i in sorted(dirty)], None))
    return before, fresh_counts, after, articles


# -- writing -----------------------------------------------------------------------
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
                elif creates == "rel":
                    r.relationships_updated += n - c.relationships_created
            self._done += rows
            if self._progress:
                self._progress(self._done, self._total)


def _execute(writer: _Writer, plan: _Plan, batch_size: int) -> None:
    for step in plan.steps:
        for op in step:
            for start in range(0, len(op.rows), batch_size):
                writer.submit(_Op(op.statement, op.rows[start:start + batch_size], op.creates))
        writer.wait()


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
        with _errors(config):
            with drv.session(database=config.database) as session:
                _schema(session, report)
                before, fresh, after, articles = _plan(store, session, article_ids, report, batch_size)
            writer = _Writer(drv, config, workers, report, before.total + after.total, progress)
            try:
                _execute(writer, before, batch_size)
                for group in _groups(store._db, fresh, articles, batch_size):
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
