"""The store's SQLite schema: tables, indexes and the migrations an older store gets when opened.

Tables: ``articles``, ``entities``, ``aliases`` (per article, so replacing an article
drops what only it said), ``mentions`` and ``relations`` (one row per piece of
evidence; the logical relation is the group ``(subject, predicate, object)``), and the
identity tables (:mod:`.identity`): ``names`` (each entity as an article's extraction named
it, with the entity it resolved to), ``signatures`` (identical names of many articles, decided
once), ``signature_keys`` (their blocking keys) and ``retired`` (ids merged away, with the id
they became).  Rows keep the extracted ids
(``mentions.raw_id``, ``relations.subject_raw``/``object_raw``) beside the resolved ones.
"""

from __future__ import annotations

__all__ = ["ADDED_COLUMNS", "CLAIM_COLUMNS", "MIGRATIONS", "SCHEMA", "SCHEMA_VERSION"]

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
    ingested_at TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    iso3 TEXT,
    ambiguous INTEGER NOT NULL DEFAULT 0
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
    end INTEGER NOT NULL,
    raw_id TEXT
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
    weight REAL NOT NULL,
    subject_raw TEXT,
    object_raw TEXT,
    claimed_by TEXT NOT NULL DEFAULT '',
    event_date TEXT NOT NULL DEFAULT '',
    date_precision TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS relations_article ON relations(article_id);
CREATE INDEX IF NOT EXISTS relations_object ON relations(object);
CREATE TABLE IF NOT EXISTS names (
    raw_id TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    context TEXT NOT NULL,
    scene TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    ambiguous INTEGER NOT NULL DEFAULT 0,
    sig INTEGER,
    PRIMARY KEY (raw_id, article_id)
);
CREATE INDEX IF NOT EXISTS names_article ON names(article_id);
CREATE INDEX IF NOT EXISTS names_entity ON names(entity_id);
CREATE INDEX IF NOT EXISTS names_sig ON names(sig);
CREATE TABLE IF NOT EXISTS signatures (
    id INTEGER PRIMARY KEY,
    raw_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    context TEXT NOT NULL,
    scene TEXT NOT NULL,
    weight INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    ambiguous INTEGER NOT NULL DEFAULT 0,
    UNIQUE (raw_id, name, aliases, context, scene)
);
CREATE INDEX IF NOT EXISTS signatures_entity ON signatures(entity_id, name);
CREATE TABLE IF NOT EXISTS signature_keys (key TEXT NOT NULL, sig INTEGER NOT NULL, PRIMARY KEY (key, sig));
CREATE TABLE IF NOT EXISTS retired (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL);
"""

#: Columns added since schema 1 was first released: (table, column, declaration).  A store
#: without them gets them when opened, the extracted ids filled from the resolved ones.
ADDED_COLUMNS = (
    ("entities", "ambiguous", "INTEGER NOT NULL DEFAULT 0"),
    ("articles", "revision", "INTEGER NOT NULL DEFAULT 0"),
    ("mentions", "raw_id", "TEXT"),
    ("relations", "subject_raw", "TEXT"),
    ("relations", "object_raw", "TEXT"),
)
#: Who claims each piece of evidence and when its event happened (issue 15): an older store gets
#: them empty when opened (its evidence keeps working; ``graphbuild ingest --force`` fills them).
CLAIM_COLUMNS = (
    ("relations", "claimed_by", "TEXT NOT NULL DEFAULT ''"),
    ("relations", "event_date", "TEXT NOT NULL DEFAULT ''"),
    ("relations", "date_precision", "TEXT NOT NULL DEFAULT ''"),
)
ADDED_COLUMNS = ADDED_COLUMNS + CLAIM_COLUMNS

#: Indexes added since schema 1 was first released, created when an older store is opened
#: (no data changes, so the schema version stays 1).  ``relations_summary`` holds every
#: column of a relation row but the sentence and offsets, in key order (``relations_claims`` since
#: issue 15: the same with the claimant and event date): ``stats`` and the
#: per-relation aggregates (:meth:`Store.relation_aggregates`) read only this index, never
#: the rows with their sentences; it replaces the narrower ``relations_key``.
#: ``articles_id_date_source`` (``articles_id_date`` before issue 15) lets joins on the article read
#: its date and outlet from the index instead
#: of the row holding the whole text.
MIGRATIONS = """
CREATE INDEX IF NOT EXISTS relations_claims
    ON relations(subject, predicate, object, modality, article_id, confidence, inferred, weight, cameo, items,
                 claimed_by, event_date);
DROP INDEX IF EXISTS relations_summary;
DROP INDEX IF EXISTS relations_key;
CREATE INDEX IF NOT EXISTS articles_id_date_source ON articles(id, date, source);
DROP INDEX IF EXISTS articles_id_date;
"""

