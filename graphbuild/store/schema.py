"""The store's SQLite schema: tables, indexes and the migrations an older store gets when opened.

Tables: ``articles``, ``entities``, ``aliases`` (per article, so replacing an article
drops what only it said), ``mentions`` and ``relations`` (one row per piece of
evidence; the logical relation is the group ``(subject, predicate, object)``).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1"

SCHEMA = """
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
#: per-relation aggregates (:meth:`Store.relation_aggregates`) read only this index, never
#: the rows with their sentences; it replaces the narrower ``relations_key``.
#: ``articles_id_date`` lets joins on the article read its date from the index instead
#: of the row holding the whole text.
MIGRATIONS = """
CREATE INDEX IF NOT EXISTS relations_summary
    ON relations(subject, predicate, object, modality, article_id, confidence, inferred, weight, cameo, items);
DROP INDEX IF EXISTS relations_key;
CREATE INDEX IF NOT EXISTS articles_id_date ON articles(id, date);
"""

