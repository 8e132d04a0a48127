"""The embedded store: one SQLite file with articles, entities, mentions and relation evidence.

Each article is written in one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``):
a crash or Ctrl-C leaves either the whole article or none of it.  Two
processes writing the same file serialise on SQLite's write lock (a busy
timeout waits for the other; if it never frees, :class:`StoreError` says so).

Tables: ``articles``, ``entities``, ``aliases`` (per article, so replacing an
article drops what only it said), ``mentions`` and ``relations`` (one row per
piece of evidence; the logical relation is the group ``(subject, predicate,
object)``, see :mod:`graphbuild.graph.model`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import StoreError
from ..models import Article, Entity, Evidence, Extraction, Mention
from ..ontology import ENTITY_TYPES, RELATIONS, canonical_pair

__all__ = ["DEFAULT_DB", "SCHEMA_VERSION", "Store", "StoredRelation", "WriteResult", "default_db_path"]

DEFAULT_DB = "graphbuild.db"
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    url TEXT,
    source TEXT,
    origin TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    iso3 TEXT
);
CREATE TABLE IF NOT EXISTS aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id),
    alias TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, alias, article_id)
);
CREATE INDEX IF NOT EXISTS aliases_article ON aliases(article_id);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    surface TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE TABLE IF NOT EXISTS relations (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    subject TEXT NOT NULL REFERENCES entities(id),
    predicate TEXT NOT NULL,
    object TEXT NOT NULL REFERENCES entities(id),
    modality TEXT NOT NULL,
    sentence TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    rule TEXT NOT NULL,
    confidence REAL NOT NULL,
    items TEXT NOT NULL,
    inferred INTEGER NOT NULL,
    cameo TEXT,
    weight REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS relations_article ON relations(article_id);
CREATE INDEX IF NOT EXISTS relations_object ON relations(object);
"""

#: Indexes added since schema 1 was first released, created when an older store is opened
#: (no data changes, so the schema version stays 1).  ``relations_summary`` holds every
#: column of a relation row but the sentence and offsets, in key order: ``stats`` and the
#: per-relation aggregates (:meth:`Store.relation_summaries`) read only this index, never
#: the rows with their sentences; it replaces the narrower ``relations_key``.
#: ``articles_id_date`` lets joins on the article read its date from the index instead
#: of the row holding the whole text.
_MIGRATIONS = """
CREATE INDEX IF NOT EXISTS relations_summary
    ON relations(subject, predicate, object, modality, article_id, confidence, inferred, weight, cameo, items);
DROP INDEX IF EXISTS relations_key;
CREATE INDEX IF NOT EXISTS articles_id_date ON articles(id, date);
"""

#: The order of one relation's evidence everywhere: by article date (undated first), article, offset.
_EVIDENCE_ORDER = "a.date, r.article_id, r.start, r.id"


def _stored_relation(row: tuple) -> StoredRelation:
    """A :class:`StoredRelation` from a row of :meth:`Store.evidence_rows` (the columns of :meth:`Store.relations`)."""
    s, p, o, mod, aid, sent, start, end, rule, conf, items, inf, cameo, weight, date = row
    return StoredRelation(s, p, o, mod, Evidence(aid, sent, start, end, rule, conf), tuple(json.loads(items)),
                          bool(inf), cameo, weight, date)


def default_db_path(explicit: str | os.PathLike[str] | None = None,
                    configured: str | os.PathLike[str] | None = None) -> Path:
    """The store path: ``explicit`` (--db), else env ``GRAPHBUILD_DB``, else ``configured``, else ``./graphbuild.db``."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("GRAPHBUILD_DB") or configured or DEFAULT_DB)


@dataclass(frozen=True)
class StoredRelation:
    """One row of evidence as stored, joined with its article's date."""

    subject: str
    predicate: str
    object: str
    modality: str
    evidence: Evidence
    items: tuple[str, ...]
    inferred: bool
    cameo: str | None
    weight: float
    article_date: str | None


@dataclass(frozen=True)
class WriteResult:
    """What writing one article did: ``new``, ``unchanged`` or ``replaced``."""

    article_id: str
    status: str
    entities: int = 0
    relations: int = 0


class Store:
    """An open embedded store.  Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA cache_size = -65536")  # 64 MiB of pages: big stores read and index faster
            self._init_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc.strerror or exc}") from None

    # -- lifecycle -------------------------------------------------------
    def _init_schema(self) -> None:
        self._db.executescript("BEGIN IMMEDIATE;" + _SCHEMA + _MIGRATIONS + "COMMIT;")
        with self.transaction():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: store schema {row[0]} is not supported (expected {SCHEMA_VERSION})")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: the store is busy (another graphbuild is writing): {exc}") from None
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    # -- writing ---------------------------------------------------------
    def article_status(self, article: Article) -> str:
        """``new`` (id never seen), ``unchanged`` (same content hash) or ``changed``."""
        row = self._db.execute("SELECT sha256 FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is None:
            return "new"
        return "unchanged" if row[0] == article.sha256 else "changed"

    def write(self, extraction: Extraction) -> WriteResult:
        """Store one article's extraction in its own transaction (replacing an older version)."""
        with self.transaction():
            return self._write(extraction)

    def write_many(self, extractions: Iterable[Extraction]) -> list[WriteResult]:
        """Store several whole articles in one transaction (faster; still all-or-nothing)."""
        with self.transaction():
            return [self._write(ex) for ex in extractions]

    def _write(self, ex: Extraction) -> WriteResult:
        art = ex.article
        status = self.article_status(art)
        if status == "unchanged":
            return WriteResult(art.id, "unchanged")
        db = self._db
        old_entities: set[str] = set()
        if status == "changed":
            old_entities = {r[0] for r in db.execute(
                "SELECT entity_id FROM aliases WHERE article_id = ? UNION SELECT subject FROM relations"
                " WHERE article_id = ? UNION SELECT object FROM relations WHERE article_id = ?",
                (art.id, art.id, art.id))}
            db.execute("DELETE FROM articles WHERE id = ?", (art.id,))  # cascades
        db.execute(
            "INSERT INTO articles(id, title, date, url, source, origin, sha256, text, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (art.id, art.title, art.date, art.url, art.source, art.origin, art.sha256, art.text,
             datetime.now(timezone.utc).isoformat(timespec="seconds")),
        )
        for ent in ex.entities:
            if ent.type not in ENTITY_TYPES:
                raise ValueError(f"unknown entity type {ent.type!r} for {ent.id}")
        # one statement per table, not per entity: in entity order, so the first name given for an id wins
        db.executemany(
            "INSERT INTO entities(id, type, name, iso3) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET iso3 = COALESCE(entities.iso3, excluded.iso3)",
            [(ent.id, ent.type, ent.name, ent.iso3) for ent in ex.entities],
        )
        db.executemany(
            "INSERT OR IGNORE INTO aliases(entity_id, alias, article_id) VALUES (?, ?, ?)",
            [(ent.id, a, art.id) for ent in ex.entities for a in {ent.name, *ent.aliases}],
        )
        db.executemany(
            "INSERT INTO mentions(article_id, entity_id, surface, start, end) VALUES (?, ?, ?, ?, ?)",
            [(art.id, m.entity_id, m.text, m.start, m.end) for m in ex.mentions],
        )
        rows = []
        for rel in ex.relations:
            if rel.predicate not in RELATIONS:
                raise ValueError(f"unknown relation type {rel.predicate!r}")
            subj, obj = canonical_pair(rel.predicate, rel.subject, rel.object)
            ev = rel.evidence
            rows.append((art.id, subj, rel.predicate, obj, rel.modality, ev.sentence, ev.start, ev.end,
                         ev.rule, ev.confidence, json.dumps(list(rel.items)), int(rel.inferred),
                         rel.cameo, rel.weight))
        db.executemany(
            "INSERT INTO relations(article_id, subject, predicate, object, modality, sentence, start, end,"
            " rule, confidence, items, inferred, cameo, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        if old_entities:
            self._drop_orphans(old_entities)
        return WriteResult(art.id, "replaced" if status == "changed" else "new", len(ex.entities), len(rows))

    def _drop_orphans(self, candidates: Iterable[str]) -> None:
        """Remove those of ``candidates`` that no article names or relates any more."""
        self._db.executemany(
            "DELETE FROM entities WHERE id = ?1"
            " AND NOT EXISTS (SELECT 1 FROM aliases WHERE entity_id = ?1)"
            " AND NOT EXISTS (SELECT 1 FROM mentions WHERE entity_id = ?1)"
            " AND NOT EXISTS (SELECT 1 FROM relations WHERE subject = ?1)"
            " AND NOT EXISTS (SELECT 1 FROM relations WHERE object = ?1)",
            [(c,) for c in sorted(candidates)],
        )

    # -- reading ---------------------------------------------------------
    def articles(self) -> Iterator[Article]:
        """All stored articles, by id."""
        for row in self._db.execute(
            "SELECT id, text, title, date, url, source, origin FROM articles ORDER BY id"
        ):
            yield Article(*row)

    def article_rows(self) -> Iterator[dict[str, object]]:
        """Article metadata (no text) as dicts, by id."""
        cur = self._db.execute("SELECT id, title, date, url, source, origin, sha256 FROM articles ORDER BY id")
        cols = [c[0] for c in cur.description]
        for row in cur:
            yield dict(zip(cols, row))

    def entities(self) -> Iterator[Entity]:
        """All entities with every alias seen (sorted), by id."""
        aliases: dict[str, list[str]] = {}
        for eid, alias in self._db.execute("SELECT DISTINCT entity_id, alias FROM aliases ORDER BY entity_id, alias"):
            aliases.setdefault(eid, []).append(alias)
        for eid, etype, name, iso3 in self._db.execute("SELECT id, type, name, iso3 FROM entities ORDER BY id"):
            yield Entity(eid, etype, name, tuple(a for a in aliases.get(eid, ()) if a != name), iso3)

    def mentions(self) -> Iterator[tuple[str, Mention]]:
        """(article id, mention) pairs, by article then offset."""
        for aid, eid, surface, start, end in self._db.execute(
            "SELECT article_id, entity_id, surface, start, end FROM mentions ORDER BY article_id, start"
        ):
            yield aid, Mention(eid, surface, start, end)

    def article_entities(self) -> Iterator[tuple[str, str, int]]:
        """(article id, entity id, mention count) for every entity an article mentions."""
        yield from self._db.execute(
            "SELECT article_id, entity_id, COUNT(*) FROM mentions GROUP BY article_id, entity_id"
            " ORDER BY article_id, entity_id"
        )

    def relations(self, *, since: str | None = None, until: str | None = None) -> Iterator[StoredRelation]:
        """Every piece of relation evidence, optionally restricted by article date (inclusive)."""
        where, params = self._window(since, until)
        sql = (
            "SELECT r.subject, r.predicate, r.object, r.modality, r.article_id, r.sentence, r.start, r.end,"
            " r.rule, r.confidence, r.items, r.inferred, r.cameo, r.weight, a.date"
            " FROM relations r JOIN articles a ON a.id = r.article_id" + where
            + " ORDER BY r.subject, r.predicate, r.object, " + _EVIDENCE_ORDER
        )
        yield from map(_stored_relation, self._db.execute(sql, params))

    @staticmethod
    def _window(since: str | None, until: str | None, column: str = "r.article_id") -> tuple[str, list[str]]:
        """A WHERE clause keeping rows whose article is dated in ``[since, until]`` (empty without bounds)."""
        where, params = [], []
        if since:
            where.append("date >= ?")
            params.append(since)
        if until:
            where.append("date <= ?")
            params.append(until)
        if not where:
            return "", []
        return f" WHERE {column} IN (SELECT id FROM articles WHERE {' AND '.join(where)})", params

    def evidence_rows(self, *, since: str | None = None, until: str | None = None) -> Iterator[tuple]:
        """The rows of :meth:`relations` as plain tuples, in the same order (fast for big stores).

        Each is ``(subject, predicate, object, modality, article_id, sentence, start, end, rule,
        confidence, items_json, inferred, cameo, weight, article_date)``.  Read in one pass in
        table order and sorted here: SQLite would otherwise sort every sentence (on disk for
        big stores) and look up each row's article for its date.  Holds every row in memory
        before the first is yielded (as a graph with evidence does anyway).
        """
        where, params = self._window(since, until, "article_id")
        dates = self.article_dates()
        groups: dict[tuple[str, str, str], list[tuple]] = {}
        for row in self._db.execute(
            "SELECT subject, predicate, object, modality, article_id, sentence, start, end, rule, confidence, items,"
            " inferred, cameo, weight, id FROM relations NOT INDEXED" + where, params
        ):
            key = (row[0], row[1], row[2])
            found = groups.get(key)
            if found is None:
                groups[key] = found = []
            found.append(row)
        for key in sorted(groups):
            rows = groups.pop(key)
            # ORDER BY a.date (NULL first), r.article_id, r.start, r.id
            rows.sort(key=lambda r: (dates.get(r[4]) is not None, dates.get(r[4]) or "", r[4], r[6], r[14]))
            for r in rows:
                yield (*r[:14], dates.get(r[4]))

    def relation_summaries(self, *, since: str | None = None,
                           until: str | None = None) -> Iterator[tuple]:
        """One row per logical relation, aggregated in SQL (no sentences read), by key.

        Each is ``(subject, predicate, object, count, modalities_json, article_ids_json,
        confidence, all_inferred, min_weight, max_weight, min_cameo, max_cameo, cameo_count,
        has_items)``: distinct modalities and article ids as JSON arrays; the weight and cameo
        bounds tell whether every row agrees (else see :meth:`first_evidence`).
        """
        where, params = self._window(since, until, "article_id")
        yield from self._db.execute(
            "SELECT subject, predicate, object, COUNT(*), json_group_array(DISTINCT modality),"
            " json_group_array(DISTINCT article_id), MAX(confidence), MIN(inferred), MIN(weight), MAX(weight),"
            " MIN(cameo), MAX(cameo), COUNT(cameo), MAX(items != '[]')"
            " FROM relations" + where + " GROUP BY subject, predicate, object"
            " ORDER BY subject, predicate, object", params)

    def relation_items(self, *, since: str | None = None,
                       until: str | None = None) -> Iterator[tuple[str, str, str, str]]:
        """``(subject, predicate, object, items_json)`` of the rows carrying items, in :meth:`relations` order."""
        where, params = self._window(since, until)
        where = (where + " AND" if where else " WHERE") + " r.items != '[]'"
        yield from self._db.execute(
            "SELECT r.subject, r.predicate, r.object, r.items FROM relations r JOIN articles a ON a.id = r.article_id"
            + where + " ORDER BY r.subject, r.predicate, r.object, " + _EVIDENCE_ORDER, params)

    def first_evidence(self, subject: str, predicate: str, obj: str, *, since: str | None = None,
                       until: str | None = None) -> tuple[str | None, float] | None:
        """``(cameo, weight)`` of the first evidence row of one relation in :meth:`relations` order."""
        where, params = self._window(since, until)
        where = (where + " AND" if where else " WHERE") + " r.subject = ? AND r.predicate = ? AND r.object = ?"
        return self._db.execute(
            "SELECT r.cameo, r.weight FROM relations r JOIN articles a ON a.id = r.article_id" + where +
            " ORDER BY " + _EVIDENCE_ORDER + " LIMIT 1", [*params, subject, predicate, obj]).fetchone()

    def relation_evidence(self, subject: str, predicate: str, obj: str) -> list[dict[str, object]]:
        """The evidence of one logical relation as :func:`graphbuild.graph.build_graph` stores it on the edge."""
        return [
            {"article_id": aid, "sentence": sent, "start": start, "end": end, "rule": rule, "confidence": conf,
             "modality": mod, "date": date}
            for aid, sent, start, end, rule, conf, mod, date in self._db.execute(
                "SELECT r.article_id, r.sentence, r.start, r.end, r.rule, r.confidence, r.modality, a.date"
                " FROM relations r JOIN articles a ON a.id = r.article_id"
                " WHERE r.subject = ? AND r.predicate = ? AND r.object = ?"
                " ORDER BY " + _EVIDENCE_ORDER, (subject, predicate, obj))
        ]

    def article_dates(self) -> dict[str, str | None]:
        """Every article's date by id (reads the ``articles_id_date`` index only)."""
        return dict(self._db.execute("SELECT id, date FROM articles"))

    def article_row(self, article_id: str) -> dict[str, object] | None:
        """One article's metadata (as :meth:`article_rows` gives it), or None."""
        cur = self._db.execute("SELECT id, title, date, url, source, origin, sha256 FROM articles WHERE id = ?",
                               (article_id,))
        row = cur.fetchone()
        return None if row is None else dict(zip([c[0] for c in cur.description], row))

    def stats(self) -> dict[str, object]:
        """Counts: articles; entities by type; relations (logical) by type and modality; evidence rows."""
        db = self._db
        by_type = dict(db.execute("SELECT type, COUNT(*) FROM entities GROUP BY type ORDER BY type").fetchall())
        rel_rows = db.execute(
            "SELECT predicate, modality, COUNT(*) FROM ("
            "  SELECT subject, predicate, object, MIN(CASE modality WHEN 'asserted' THEN 0 WHEN 'promised' THEN 1"
            "  WHEN 'possible' THEN 2 ELSE 3 END) AS rank,"
            "  CASE MIN(CASE modality WHEN 'asserted' THEN 0 WHEN 'promised' THEN 1 WHEN 'possible' THEN 2 ELSE 3 END)"
            "  WHEN 0 THEN 'asserted' WHEN 1 THEN 'promised' WHEN 2 THEN 'possible' ELSE 'denied' END AS modality"
            "  FROM relations GROUP BY subject, predicate, object) GROUP BY predicate, modality"
        ).fetchall()
        relations: dict[str, dict[str, int]] = {}
        for pred, mod, n in rel_rows:
            relations.setdefault(pred, {})[mod] = n
        return {
            "articles": db.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
            "entities": sum(by_type.values()),
            "entities_by_type": {t: by_type.get(t, 0) for t in ENTITY_TYPES},
            "relations": sum(sum(m.values()) for m in relations.values()),
            "relations_by_type": {p: relations[p] for p in RELATIONS if p in relations},
            "evidence": db.execute("SELECT COUNT(*) FROM relations").fetchone()[0],
        }
