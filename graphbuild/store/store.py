"""The embedded store: one SQLite file with articles, entities, mentions and relation evidence.

Each article is written in one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``):
a crash or Ctrl-C leaves either the whole article or none of it.  Two
processes writing the same file serialise on SQLite's write lock (a busy
timeout waits for the other; if it never frees, :class:`StoreError` says so).

Faults are one :class:`StoreError` line naming the file: a damaged store is found
by ``PRAGMA quick_check`` before the first write of a process (a writer starts the
check in the background when it opens the store, so it overlaps loading the model)
and by any read that meets a damaged page, and the message gives the ``sqlite3``
command that saves what can still be read; a full disk or a failing write rolls the transaction back.  A store in a
location that cannot be written is opened read-only (``mode=ro``, or ``immutable``
when SQLite cannot even create its shared-memory file there): no DDL, no write
transaction, every read works.

The store is the hub of the flow: the pipeline writes here, and every later step
(graph, analysis, queries, sinks) reads through this class's methods only; the
schema is in :mod:`.schema`, the bulk reads in :mod:`.reads`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import StoreError
from ..models import Article, Entity, Extraction, Mention
from ..ontology import ENTITY_TYPES, MODALITIES, MODALITY_RANK, RELATIONS
from ..resolve import IdentityRules, identity_path, read_rules
from . import identity, reads
from .reads import Key, RelationAggregate, StoredRelation
from .rows import alias_rows, claim_fields, relation_fields
from .schema import ADDED_COLUMNS, CLAIM_COLUMNS, MIGRATIONS, SCHEMA, SCHEMA_VERSION
from .window import ALL_TIME, DateWindow

__all__ = ["DEFAULT_DB", "Store", "WriteResult", "default_db_path"]

DEFAULT_DB = "graphbuild.db"

def _best_modality_sql() -> str:
    """SQL for the most factual modality of a group of rows, generated from the ontology's rank.

    >>> _best_modality_sql().startswith("CASE MIN(CASE modality WHEN 'asserted' THEN 0")
    True
    """
    order = sorted(MODALITIES, key=lambda m: (MODALITY_RANK[m], MODALITIES.index(m)))
    rank = " ".join(f"WHEN '{m}' THEN {i}" for i, m in enumerate(order))
    back = " ".join(f"WHEN {i} THEN '{m}'" for i, m in enumerate(order))
    return f"CASE MIN(CASE modality {rank} END) {back} END"


#: ``best_modality`` of a ``GROUP BY`` in SQL (``stats`` counts without reading the aggregates).
_BEST_MODALITY = _best_modality_sql()


_ARTICLE_COLS = "id, title, date, url, source, origin, sha256, revision"


def _article_dict(row: tuple) -> dict[str, object]:
    aid, title, date, url, source, origin, sha, revision = row
    return {"id": aid, "title": title, "date": date, "url": url, "source": source, "origin": origin,
            "sha256": sha if not revision else f"{sha}+r{revision}"}


#: Fingerprint of the DDL: a store that records it needs no ``CREATE ... IF NOT EXISTS`` on open (a read opens
#: without writing; a damaged or read-only store can still be read).
_DDL = hashlib.sha256((SCHEMA + MIGRATIONS + repr(ADDED_COLUMNS)).encode()).hexdigest()[:16]

#: The tables and indexes the DDL creates.
_NAMES = frozenset(re.findall(r"CREATE (?:TABLE|INDEX) IF NOT EXISTS (\w+)", SCHEMA + MIGRATIONS))

#: SQLite's primary result codes for a damaged file, a full disk, a read-only file and an I/O error.
_CORRUPT, _FULL, _READONLY, _IOERR, _NOTADB = 11, 13, 8, 10, 26


def quick_check(db: sqlite3.Connection) -> str:
    """``"ok"``, or the first problem SQLite's ``PRAGMA quick_check`` finds (or the error it stops with)."""
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "ok" if rows == [("ok",)] else str(rows[0][0]) if rows else "no answer from quick_check"


class _Check(threading.Thread):
    """``PRAGMA quick_check`` on its own read-only connection, in the background; :meth:`result` waits for it."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="graphbuild-store-check", daemon=True)
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._result = "not run"

    def run(self) -> None:
        self._result = quick_check(self._db)

    def result(self) -> str:
        self.join()
        return self._result

    def stop(self) -> None:
        self._db.interrupt()
        self.join()
        self._db.close()


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of ``exc`` (0 when unknown)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # found by message when the driver gives no code
        text = str(exc)
        return (_CORRUPT if "malformed" in text else _NOTADB if "not a database" in text
                else _FULL if "disk is full" in text else _READONLY if "readonly" in text else 0)
    return code & 0xFF


def default_db_path(explicit: str | os.PathLike[str] | None = None,
                    configured: str | os.PathLike[str] | None = None) -> Path:
    """The store path: ``explicit`` (--db), else env ``GRAPHBUILD_DB``, else ``configured``, else ``./graphbuild.db``."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("GRAPHBUILD_DB") or configured or DEFAULT_DB)


@dataclass(frozen=True)
class WriteResult:
    """What writing one article did: ``new``, ``unchanged`` or ``replaced``."""

    article_id: str
    status: str
    entities: int = 0
    relations: int = 0


class Store:
    """An open embedded store.  Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0,
                 identity_file: str | os.PathLike[str] | None = None, readonly: bool | None = None,
                 check: bool = False) -> None:
        """Open (or create) the store at ``path``.

        ``readonly``: True opens it read-only; None (default) does so only when its location
        cannot be written.  ``check`` starts ``PRAGMA quick_check`` in the background now
        (for a process that will write); without it the check runs before the first write.
        """
        self.path = Path(path)
        #: The user's identity file (``<store stem>.identity.yaml`` beside the store unless named).
        self.identity_file = identity_path(self.path, identity_file)
        self.rules: IdentityRules = read_rules(self.identity_file)
        #: Older articles whose rows the last write re-resolved (the loader sends them again).
        self.last_revised: set[str] = set()
        #: True when opened read-only (``mode=ro``/``immutable``): reads work, writes are refused.
        self.readonly = False
        self._checked = False
        self._check: _Check | None = None
        self._db: sqlite3.Connection | None = None
        try:
            if readonly or (readonly is None and self._read_only_location()):
                self._open_readonly(busy_timeout)
                return
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # a new or empty file has nothing to check
            self._checked = not self.path.exists() or self.path.stat().st_size == 0
            deadline = time.monotonic() + busy_timeout
            while True:
                try:
                    self._open(busy_timeout, check)
                    break
                except sqlite3.OperationalError as exc:
                    # two processes creating one store: SQLite may refuse at once, without waiting
                    # (the journal mode is being switched); try again until the busy timeout
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    self._close_connections()
                    time.sleep(0.05)
        except StoreError:
            self._close_connections()
            raise
        except sqlite3.DatabaseError as exc:
            self._close_connections()
            if "locked" in str(exc) or "busy" in str(exc):  # the schema check waits for a writer like any write
                raise StoreError(f"{self.path}: the store is busy (another graphbuild is writing): {exc}") from None
            if _code(exc) in (_CORRUPT, _FULL, _IOERR):
                raise self.failure(exc) from None
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
        except OSError as exc:
            self._close_connections()
            raise StoreError(f"{self.path}: cannot open the store: {exc.strerror or exc}") from None

    # -- lifecycle -------------------------------------------------------
    def _read_only_location(self) -> bool:
        """True when the store exists but neither it nor its folder (for the WAL files) can be written."""
        folder = self.path.parent if str(self.path.parent) else Path(".")
        return self.path.exists() and not (os.access(self.path, os.W_OK) and os.access(folder, os.W_OK))

    def _open(self, busy_timeout: float, check: bool) -> None:
        self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = ON")
        if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA cache_size = -65536")  # 64 MiB of pages: big stores read and index faster
        if check and not self._checked:
            try:
                self._check = _Check(self.path)
                self._check.start()
            except sqlite3.Error:
                self._check = None  # it runs in this thread before the first write instead
        self._init_schema()

    def _open_readonly(self, busy_timeout: float) -> None:
        """Open with ``mode=ro`` (or ``immutable=1`` when SQLite cannot create the WAL index there)."""
        base = self.path.resolve().as_uri()
        failure: sqlite3.Error | None = None
        for flag in ("mode=ro", "immutable=1"):
            db = sqlite3.connect(f"{base}?{flag}", uri=True, timeout=busy_timeout, isolation_level=None)
            try:
                db.execute("PRAGMA query_only = ON")
                row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            except sqlite3.OperationalError as exc:
                db.close()
                failure = exc
                continue
            break
        else:
            assert failure is not None
            raise failure
        self._db = db
        self.readonly = True
        if row is None or row[0] != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema {row[0] if row else 'unknown'} is not supported "
                             f"(expected {SCHEMA_VERSION})")
        for table, column, _decl in ADDED_COLUMNS:
            if column not in {r[1] for r in db.execute(f"PRAGMA table_info({table})")}:
                raise StoreError(f"{self.path}: the store was written by an older graphbuild and its location is "
                                 "read-only; open it once where it can be written to upgrade it")

    def _schema_current(self) -> bool:
        """True when the store already has this version's tables and indexes (no DDL needed)."""
        db = self._db
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
            return False
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_ddl'").fetchone()
        if row is None or row[0] != _DDL:
            return False
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
        if not _NAMES <= names:  # a table dropped since (by hand, or a test simulating an old store)
            return False
        return all(column in {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
                   for table, column, _decl in ADDED_COLUMNS)

    def _init_schema(self) -> None:
        if not self._schema_current():
            self._before_write()
            self._db.executescript("BEGIN IMMEDIATE;" + SCHEMA + self._claim_columns() + MIGRATIONS + "COMMIT;")
            with self.transaction():
                self._check_version()
                self._upgrade_identity()
                self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_ddl', ?)", (_DDL,))
        else:
            self._check_version()
        self._apply_rules()

    def _claim_columns(self) -> str:
        """``ALTER TABLE`` statements giving an older store's evidence its (empty) claim columns."""
        have = {r[1] for r in self._db.execute("PRAGMA table_info(relations)")}
        if not have:
            return ""  # a new store: SCHEMA creates them
        return "".join(f"ALTER TABLE {t} ADD COLUMN {c} {d};" for t, c, d in CLAIM_COLUMNS if c not in have)

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema {row[0]} is not supported (expected {SCHEMA_VERSION})")

    def _before_write(self) -> None:
        """Refuse to write into a damaged store: ``PRAGMA quick_check`` once per process, before the first write."""
        if self._checked:
            return
        if self._check is not None:
            result = self._check.result()
            self._check.stop()
            self._check = None
        else:
            result = quick_check(self._db)
        if result != "ok":
            raise self.damaged(result)
        self._checked = True

    def damaged(self, reason: str) -> StoreError:
        """The one line for a damaged store: its path, SQLite's reason and the command that recovers its rows."""
        where = shlex.quote(str(self.path))
        saved = shlex.quote(str(self.path.with_name(self.path.stem + ".recovered" + (self.path.suffix or ".db"))))
        # .dump works with every sqlite3 shell (.recover needs one built with the dbpage table); a dump that met
        # damage ends in ROLLBACK, turned into COMMIT so that everything it could read is kept
        return StoreError(f"{self.path}: the store is damaged ({reason}); nothing was written. Save what can still "
                          f"be read with: sqlite3 {where} .dump | sed '$s/^ROLLBACK.*/COMMIT;/' | sqlite3 {saved} "
                          f"(then use --db {saved})")

    def failure(self, exc: sqlite3.Error) -> StoreError:
        """One line for an SQLite error met while reading or writing the store (damage, full disk, read-only ...)."""
        code = _code(exc)
        if code == _CORRUPT:
            return self.damaged(str(exc))
        if code == _NOTADB:
            return StoreError(f"{self.path}: cannot open the store: {exc}")
        if code == _FULL:
            return StoreError(f"{self.path}: cannot write the store: the disk is full ({exc}); "
                              "everything committed before is kept")
        if code == _READONLY:
            return StoreError(f"{self.path}: cannot write the store: it is read-only ({exc})")
        if code == _IOERR:
            return StoreError(f"{self.path}: cannot write the store: {exc} (disk full, a file size limit or a "
                              "failing disk); everything committed before is kept")
        if "locked" in str(exc) or "busy" in str(exc):
            return StoreError(f"{self.path}: the store is busy (another graphbuild is writing): {exc}")
        return StoreError(f"{self.path}: store error: {exc}")

    def _upgrade_identity(self) -> None:
        """Give a store written before identity its columns and name records (its ids become the extracted ones)."""
        db = self._db
        added = False
        for table, column, decl in ADDED_COLUMNS:
            if column not in {r[1] for r in db.execute(f"PRAGMA table_info({table})")}:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
                added = True
        if not added:
            return
        db.execute("UPDATE mentions SET raw_id = entity_id WHERE raw_id IS NULL")
        db.execute("UPDATE relations SET subject_raw = subject, object_raw = object WHERE subject_raw IS NULL")
        names: dict[tuple[str, str], list[str]] = {}
        for eid, alias, aid in db.execute("SELECT entity_id, alias, article_id FROM aliases ORDER BY 1, 3, 2"):
            names.setdefault((eid, aid), []).append(alias)
        entities = {r[0]: r[1:] for r in db.execute("SELECT id, type, name FROM entities")}
        records = []
        for (eid, aid), forms in sorted(names.items()):
            etype, name = entities.get(eid, (None, None))
            if etype is None:
                continue
            records.append(identity.NameRecord(eid, aid, etype, name if name in forms else forms[0],
                                               tuple(f for f in forms if f != name)))
        identity.write_names(db, records)
        db.execute("DELETE FROM meta WHERE key = 'identity_rules'")  # resolve it all once

    def _apply_rules(self) -> None:
        """Re-resolve the whole store when the identity file changed since the last resolution."""
        if self.readonly:
            return  # read as it was resolved last
        wanted = self.rules.fingerprint()
        row = self._db.execute("SELECT value FROM meta WHERE key = 'identity_rules'").fetchone()
        if row is not None and row[0] == wanted:
            return
        with self.transaction():
            self.last_revised = identity.resolve_all(self._db, self.rules)
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('identity_rules', ?)", (wanted,))

    def set_rules(self, rules: IdentityRules) -> set[str]:
        """Apply new identity rules now (the caller saved them to :attr:`identity_file`); returns articles revised."""
        self.rules = rules
        with self.transaction():
            revised = identity.resolve_all(self._db, rules)
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('identity_rules', ?)",
                             (rules.fingerprint(),))
        self.last_revised = revised
        return revised

    def _close_connections(self) -> None:
        if self._check is not None:
            self._check.stop()
            self._check = None
        if self._db is not None:
            self._db.close()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._close_connections()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise self.failure(exc) from None

    def require_writable(self) -> None:
        """:class:`StoreError` now if the store was opened read-only (before a command does any work)."""
        if self.readonly:
            raise StoreError(f"{self.path}: cannot write the store: it was opened read-only "
                             "(its file or folder cannot be written)")

    def _rollback(self) -> None:
        if self._db.in_transaction:  # SQLite may have rolled back already (a full disk, an I/O error)
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all.

        SQLite errors inside (a full disk, a damaged page) roll it back and become one :class:`StoreError`.
        """
        self.require_writable()
        self._before_write()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self.failure(exc) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise self.failure(exc) from None
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every read inside sees the store as of the first, whatever commits meanwhile.

        A reader that reads in several steps (a load: article ids, then entities, evidence and
        relations) would otherwise meet, in a later step, an article an ingest committed after
        the first.  Nested use, or use inside a write transaction, keeps the open one.
        """
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        try:
            self._db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # the snapshot starts here
            yield
        finally:
            if self._db.in_transaction:
                self._db.execute("COMMIT")  # nothing was written; COMMIT leaves open cursors alone

    # -- writing ---------------------------------------------------------
    def article_status(self, article: Article) -> str:
        """``new`` (id never seen), ``unchanged`` (same content hash) or ``changed``."""
        row = self._db.execute("SELECT sha256 FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is None:
            return "new"
        return "unchanged" if row[0] == article.sha256 else "changed"

    def write(self, extraction: Extraction) -> WriteResult:
        """Store one article's extraction in its own transaction (replacing an older version)."""
        return self.write_many([extraction])[0]

    def write_many(self, extractions: Iterable[Extraction]) -> list[WriteResult]:
        """Store several whole articles in one transaction (faster; still all-or-nothing).

        The same transaction resolves their names against the store's (:mod:`.identity`):
        ids of earlier articles may move too (:attr:`last_revised`).
        """
        keys: set[str] = set()
        weighted: set[str] = set()
        moved: dict = {}
        with self.transaction():
            results = [self._write(ex, keys, weighted, moved) for ex in extractions]
            fresh = {r.article_id for r in results if r.status != "unchanged"}
            self.last_revised = identity.resolve_keys(self._db, keys, self.rules, fresh, moved, weighted)
        return results

    def _write(self, ex: Extraction, keys: set[str], weighted: set[str], moved: dict) -> WriteResult:
        art = ex.article
        status = self.article_status(art)
        if status == "unchanged":
            return WriteResult(art.id, "unchanged")
        db = self._db
        old_entities: set[str] = set()
        if status == "changed":
            keys.update(identity.forget_article(db, art.id))
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
            [(eid, a, art.id) for eid, a in alias_rows(ex.entities)],
        )
        db.executemany(
            "INSERT INTO mentions(article_id, entity_id, surface, start, end, raw_id) VALUES (?, ?, ?, ?, ?, ?)",
            [(art.id, m.entity_id, m.text, m.start, m.end, m.entity_id) for m in ex.mentions],
        )
        rows = []
        for rel in ex.relations:
            subj, pred, obj, modality, sentence, start, end, rule, conf, items, inferred, cameo, weight = \
                relation_fields(rel)
            rows.append((art.id, subj, pred, obj, modality, sentence, start, end, rule, conf,
                         json.dumps(list(items)), int(inferred), cameo, weight, subj, obj, *claim_fields(rel)))
        db.executemany(
            "INSERT INTO relations(article_id, subject, predicate, object, modality, sentence, start, end,"
            " rule, confidence, items, inferred, cameo, weight, subject_raw, object_raw,"
            " claimed_by, event_date, date_precision)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        new_keys, new_weighted, joined = identity.write_names(db, identity.records_of(ex))
        keys |= new_keys
        weighted |= new_weighted
        moved.update(joined)
        if old_entities:
            self._drop_orphans(old_entities)
        return WriteResult(art.id, "replaced" if status == "changed" else "new", len(ex.entities), len(rows))

    def _drop_orphans(self, candidates: Iterable[str]) -> None:
        """Remove those of ``candidates`` that no article names or relates any more."""
        self._db.executemany(
            "DELETE FROM entities WHERE id = ?1"
            " AND NOT EXISTS (SELECT 1 FROM names WHERE entity_id = ?1)"
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
        """Article metadata (no text) as dicts, by id.

        ``sha256`` is the content hash, suffixed ``+r<n>`` once identity has rewritten the
        article's ids ``n`` times: what a sink compares to know the article changed.
        """
        cur = self._db.execute(f"SELECT {_ARTICLE_COLS} FROM articles ORDER BY id")
        for row in cur:
            yield _article_dict(row)

    def entities(self) -> Iterator[Entity]:
        """All entities with every alias seen and every alias the identity file gives (sorted), by id."""
        aliases: dict[str, list[str]] = {}
        for eid, alias in self._db.execute("SELECT DISTINCT entity_id, alias FROM aliases ORDER BY entity_id, alias"):
            aliases.setdefault(eid, []).append(alias)
        for eid, extra in self.rules.aliases.items():
            if eid in aliases:
                aliases[eid] = sorted(set(aliases[eid]) | set(extra))
        for eid, etype, name, iso3 in self._db.execute("SELECT id, type, name, iso3 FROM entities ORDER BY id"):
            yield Entity(eid, etype, name, tuple(a for a in aliases.get(eid, ()) if a != name), iso3)

    def entity_rows(self) -> Iterator[dict[str, object]]:
        """Every entity with its counts, for people and ``--json``: id, type, name, iso3, ambiguous,
        articles, mentions, relations (evidence rows), extracted ids (the names it was read as)."""
        db = self._db
        articles = dict(db.execute("SELECT entity_id, COUNT(DISTINCT article_id) FROM names GROUP BY entity_id"))
        mentions = dict(db.execute("SELECT entity_id, COUNT(*) FROM mentions GROUP BY entity_id"))
        rels: Counter[str] = Counter(dict(db.execute("SELECT subject, COUNT(*) FROM relations GROUP BY subject")))
        rels.update(dict(db.execute("SELECT object, COUNT(*) FROM relations GROUP BY object")))
        raw: dict[str, list[str]] = {}
        for eid, rid in db.execute("SELECT DISTINCT entity_id, raw_id FROM names ORDER BY entity_id, raw_id"):
            raw.setdefault(eid, []).append(rid)
        flagged = {r[0] for r in db.execute("SELECT id FROM entities WHERE ambiguous = 1")}
        for ent in self.entities():
            yield {"id": ent.id, "type": ent.type, "name": ent.name, "iso3": ent.iso3, "ambiguous": ent.id in flagged,
                   "articles": articles.get(ent.id, 0), "mentions": mentions.get(ent.id, 0),
                   "relations": rels.get(ent.id, 0), "aliases": list(ent.aliases),
                   "extracted_ids": raw.get(ent.id, [])}

    def entity_row(self, entity_id: str) -> dict[str, object] | None:
        """One entity's id, type, name, iso3 and ambiguity, or None."""
        row = self._db.execute("SELECT id, type, name, iso3, ambiguous FROM entities WHERE id = ?",
                               (entity_id,)).fetchone()
        return None if row is None else {"id": row[0], "type": row[1], "name": row[2], "iso3": row[3],
                                         "ambiguous": bool(row[4])}

    def is_extracted_id(self, raw_id: str) -> bool:
        """True if some article's extraction gave this id (whatever it resolved to)."""
        return self._db.execute("SELECT 1 FROM names WHERE raw_id = ? LIMIT 1", (raw_id,)).fetchone() is not None

    def entity_articles(self, entity_id: str) -> list[str]:
        """The ids of the articles that name ``entity_id``, sorted."""
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT article_id FROM names WHERE entity_id = ? ORDER BY article_id", (entity_id,))]

    def extracted_ids(self, entity_id: str) -> list[str]:
        """The ids extraction gave the names that resolved to ``entity_id``, sorted."""
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT raw_id FROM names WHERE entity_id = ? ORDER BY raw_id", (entity_id,))]

    def retired(self) -> dict[str, str]:
        """Ids merged away (a sink may still hold them) -> the id each became."""
        return dict(self._db.execute("SELECT old_id, new_id FROM retired ORDER BY old_id"))

    def mentions(self) -> Iterator[tuple[str, Mention]]:
        """(article id, mention) pairs, by article then offset."""
        for aid, eid, surface, start, end in self._db.execute(
            "SELECT article_id, entity_id, surface, start, end FROM mentions ORDER BY article_id, start"
        ):
            yield aid, Mention(eid, surface, start, end)

    def article_entities(self, article_ids: Iterable[str] | None = None) -> Iterator[tuple[str, str, int]]:
        """(article id, entity id, mention count) for every entity an article mentions (of ``article_ids``, or all)."""
        return reads.mentions_of(self._db, None if article_ids is None else set(article_ids))

    def evidence(self, window: DateWindow = ALL_TIME, *, keys: Iterable[Key] | None = None,
                 article_ids: Iterable[str] | None = None) -> Iterator[StoredRelation]:
        """Every piece of relation evidence in the window, by key then date, article and offset.

        ``keys`` reads only those relations; ``article_ids`` only those articles, ordered by article
        (see :func:`graphbuild.store.reads.evidence`).
        """
        return reads.evidence(self._db, window, keys=None if keys is None else set(keys),
                              article_ids=None if article_ids is None else set(article_ids))

    def relation_aggregates(self, window: DateWindow = ALL_TIME, *,
                            keys: Iterable[Key] | None = None) -> Iterator[RelationAggregate]:
        """One aggregate per logical relation with evidence in the window, by key (no sentence read)."""
        return reads.relation_aggregates(self._db, window, keys=None if keys is None else set(keys))

    def relation_examples(self, window: DateWindow = ALL_TIME, *,
                          keys: Iterable[Key] | None = None) -> dict[Key, tuple[str, str]]:
        """Each relation's example ``(article_id, sentence)``: the most factual, highest-confidence evidence."""
        return {key: (aid, sentence) for key, aid, sentence in reads.examples(
            self._db, MODALITY_RANK, window, keys=None if keys is None else set(keys))}

    def relation_keys(self, article_ids: Iterable[str]) -> set[Key]:
        """The keys of every relation the articles ``article_ids`` give evidence for."""
        return reads.keys_of(self._db, set(article_ids))

    def article_sizes(self, article_ids: Iterable[str]) -> dict[str, list[int]]:
        """``[entities mentioned, evidence rows]`` per article of ``article_ids``."""
        return reads.counts_of(self._db, set(article_ids))

    def article_sources(self) -> dict[str, str | None]:
        """Every article's outlet (``source``) by id."""
        return dict(self._db.execute("SELECT id, source FROM articles"))

    def article_dates(self) -> dict[str, str | None]:
        """Every article's date by id (reads the ``articles_id_date_source`` index only)."""
        return dict(self._db.execute("SELECT id, date FROM articles"))

    def article_row(self, article_id: str) -> dict[str, object] | None:
        """One article's metadata (as :meth:`article_rows` gives it), or None."""
        row = self._db.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else _article_dict(row)

    def stats(self) -> dict[str, object]:
        """Counts: articles; entities by type; relations (logical) by type and modality; evidence rows."""
        db = self._db
        by_type = dict(db.execute("SELECT type, COUNT(*) FROM entities GROUP BY type ORDER BY type").fetchall())
        rel_rows = db.execute(
            "SELECT predicate, modality, COUNT(*) FROM (SELECT predicate, " + _BEST_MODALITY
            + " AS modality FROM relations GROUP BY subject, predicate, object) GROUP BY predicate, modality"
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
