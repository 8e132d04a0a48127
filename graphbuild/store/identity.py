"""Identity inside the store: every table row keeps the id extraction gave it and the id it resolves to.

``names`` holds one row per entity and article as extraction named it (its ``raw_id``)
with the decided ``entity_id``; ``name_keys`` indexes those rows by blocking key
(:func:`graphbuild.resolve.record_keys`).  ``mentions.raw_id`` and
``relations.subject_raw``/``object_raw`` keep the extracted ids beside the resolved
ones the readers see, so a later decision can rewrite them either way (a merge when a
full name arrives, a split when a second Kim does or the user says so).

After each batch, :func:`resolve_keys` re-decides only the records whose decision can
have changed: those sharing a blocking key with a changed record, widened twice by the
keys of what they share it with (a full name's group is its surname's block; a
surname's or a shorter form's candidates are the full names that end or begin like it),
from the records two more widenings away (the candidates' own groups).  The decisions
equal those of :func:`resolve_all` over the whole store, whatever the order the
articles came in: ``tests/test_identity_store.py`` checks both.

Ids that disappear in a merge are kept in ``retired`` with the id they became: the
Cypher script deletes their nodes from a database an older script loaded.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..models import Extraction
from ..ontology import canonical_pair, type_of_id
from ..resolve import Decision, IdentityRules, NameRecord, entity_name, record_keys, resolve
from .reads import chunks, marks

__all__ = ["ROLE_PREDICATES", "records_of", "resolve_all", "resolve_keys", "write_names"]

#: Relations that tie a person or body to a country (the context that tells namesakes apart).
ROLE_PREDICATES = frozenset({"LEADER_OF", "REPRESENTS", "MEMBER_OF"})

_NAME_COLS = "n.raw_id, n.article_id, n.type, n.name, n.aliases, n.context, n.scene, n.entity_id, n.ambiguous"


def records_of(ex: Extraction) -> list[NameRecord]:
    """The name records of one article's extraction: each entity with the countries the article ties it to."""
    aid = ex.article.id
    countries = frozenset(e.id for e in ex.entities if e.type == "Country")
    context: dict[str, set[str]] = defaultdict(set)
    for rel in ex.relations:
        if rel.predicate in ROLE_PREDICATES and not rel.inferred and rel.object in countries:
            context[rel.subject].add(rel.object)
    return [NameRecord(e.id, aid, e.type, e.name, tuple(sorted(set(e.aliases) - {e.name})),
                       frozenset(context.get(e.id, ())), countries if e.type == "Person" else frozenset())
            for e in ex.entities]


def write_names(db: sqlite3.Connection, records: list[NameRecord]) -> set[str]:
    """Insert the records (each provisionally its own entity); return their blocking keys."""
    db.executemany(
        "INSERT OR REPLACE INTO names(raw_id, article_id, type, name, aliases, context, scene, entity_id, ambiguous)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [(r.raw_id, r.article_id, r.type, r.name, json.dumps(list(r.aliases), ensure_ascii=False),
          json.dumps(sorted(r.context)), json.dumps(sorted(r.scene)), r.raw_id) for r in records])
    keys: set[str] = set()
    rows = []
    for r in records:
        ks = record_keys(r)
        keys |= ks
        rows.extend((k, r.raw_id, r.article_id) for k in ks)
    db.executemany("INSERT OR IGNORE INTO name_keys(key, raw_id, article_id) VALUES (?, ?, ?)", rows)
    return keys


def _record(row: tuple) -> tuple[NameRecord, Decision]:
    raw, aid, etype, name, aliases, context, scene, eid, amb = row
    return (NameRecord(raw, aid, etype, name, tuple(json.loads(aliases)), frozenset(json.loads(context)),
                       frozenset(json.loads(scene))), Decision(eid, bool(amb)))


def _records_with_keys(db: sqlite3.Connection, keys: Iterable[str]) -> dict[tuple[str, str], tuple]:
    out: dict[tuple[str, str], tuple] = {}
    for chunk in chunks(keys):
        for row in db.execute(
            f"SELECT DISTINCT {_NAME_COLS} FROM name_keys k JOIN names n"
            f" ON n.raw_id = k.raw_id AND n.article_id = k.article_id WHERE k.key {marks(len(chunk))}", chunk
        ):
            out[(row[0], row[1])] = _record(row)
    return out


def _keys_of(loaded: dict[tuple[str, str], tuple]) -> set[str]:
    return {k for rec, _ in loaded.values() for k in record_keys(rec)}


def resolve_keys(db: sqlite3.Connection, keys: set[str], rules: IdentityRules,
                 fresh: set[str] = frozenset()) -> set[str]:
    """Re-decide the records a change to ``keys`` can affect and rewrite the rows that move.

    ``fresh``: articles written in this transaction (their rows are new, not revised).
    Returns the ids of the older articles whose rows changed.
    """
    if not keys:
        return set()
    r1 = _records_with_keys(db, keys)
    k2 = keys | _keys_of(r1)
    r2 = _records_with_keys(db, k2)
    k3 = k2 | _keys_of(r2)
    r3 = _records_with_keys(db, k3)
    universe = _records_with_keys(db, k3 | _keys_of(r3))
    decisions = resolve((rec for rec, _ in universe.values()), rules)
    changes = {key: decisions[key] for key, (_rec, old) in r2.items() if decisions[key] != old}
    return _apply(db, changes, {key: r2[key] for key in changes}, rules, fresh, touched=_fresh_entities(db, fresh))


def resolve_all(db: sqlite3.Connection, rules: IdentityRules) -> set[str]:
    """Re-decide every record of the store (after the user's rules changed); returns the articles revised."""
    loaded = {(row[0], row[1]): _record(row) for row in db.execute(f"SELECT {_NAME_COLS} FROM names n")}
    decisions = resolve((rec for rec, _ in loaded.values()), rules)
    changes = {key: decisions[key] for key, (_rec, old) in loaded.items() if decisions[key] != old}
    # names can change without any move (a rename): every entity is named again
    touched = {d.entity_id for _r, d in loaded.values()}
    return _apply(db, changes, {key: loaded[key] for key in changes}, rules, set(), touched=touched)


def _fresh_entities(db: sqlite3.Connection, fresh: set[str]) -> set[str]:
    out: set[str] = set()
    for chunk in chunks(fresh):
        out.update(r[0] for r in db.execute(f"SELECT DISTINCT entity_id FROM names WHERE article_id {marks(len(chunk))}",
                                            chunk))
    return out


def _apply(db: sqlite3.Connection, changes: dict[tuple[str, str], Decision],
           before: dict[tuple[str, str], tuple], rules: IdentityRules, fresh: set[str],
           touched: set[str]) -> set[str]:
    """Write the decisions: entities first (the rows point at them), then rows, then names and orphans."""
    moved_from: dict[str, Counter[str]] = defaultdict(Counter)
    by_article: dict[str, list[tuple[str, str]]] = defaultdict(list)
    touched = set(touched)
    for (raw, aid), dec in sorted(changes.items()):
        old = before[(raw, aid)][1].entity_id
        moved_from[old][dec.entity_id] += 1
        touched.update((old, dec.entity_id))
        by_article[aid].append((raw, dec.entity_id))
        db.execute("UPDATE names SET entity_id = ?, ambiguous = ? WHERE raw_id = ? AND article_id = ?",
                   (dec.entity_id, int(dec.ambiguous), raw, aid))
    _name_entities(db, touched, rules)
    for aid, moves in sorted(by_article.items()):
        for raw, new in moves:
            db.execute("UPDATE mentions SET entity_id = ? WHERE article_id = ? AND raw_id = ?", (new, aid, raw))
            db.execute("UPDATE relations SET subject = ? WHERE article_id = ? AND subject_raw = ?", (new, aid, raw))
            db.execute("UPDATE relations SET object = ? WHERE article_id = ? AND object_raw = ?", (new, aid, raw))
        _reorder(db, aid)
        _realias(db, aid)
    revised = set(by_article) - fresh
    if revised:
        db.executemany("UPDATE articles SET revision = revision + 1 WHERE id = ?", [(a,) for a in sorted(revised)])
    gone = _drop_unnamed(db, touched)
    for old in sorted(gone):
        new = moved_from[old].most_common(1)[0][0] if moved_from.get(old) else None
        if new and new != old:
            db.execute("INSERT OR REPLACE INTO retired(old_id, new_id) VALUES (?, ?)", (old, new))
            db.execute("UPDATE retired SET new_id = ? WHERE new_id = ?", (new, old))
    live = sorted(touched - gone)
    for chunk in chunks(live):
        db.execute(f"DELETE FROM retired WHERE old_id {marks(len(chunk))}", chunk)
    return revised


def _name_entities(db: sqlite3.Connection, ids: Iterable[str], rules: IdentityRules) -> None:
    """(Re)write the entity row of each id that has records: display name, iso3, ambiguity."""
    for eid in sorted(ids):
        counts = dict(db.execute("SELECT name, COUNT(*) FROM names WHERE entity_id = ? GROUP BY name", (eid,)))
        if not counts:
            continue
        ambiguous = db.execute("SELECT MAX(ambiguous) FROM names WHERE entity_id = ?", (eid,)).fetchone()[0]
        db.execute("INSERT INTO entities(id, type, name, iso3, ambiguous) VALUES (?, ?, ?, NULL, ?)"
                   " ON CONFLICT(id) DO UPDATE SET name = excluded.name, ambiguous = excluded.ambiguous",
                   (eid, type_of_id(eid), entity_name(eid, counts, rules), ambiguous))


def _reorder(db: sqlite3.Connection, article_id: str) -> None:
    """Symmetric relations of an article in canonical order again (their ends were renamed)."""
    for rid, pred, subj, obj, sraw, oraw in db.execute(
        "SELECT id, predicate, subject, object, subject_raw, object_raw FROM relations WHERE article_id = ?",
        (article_id,)
    ).fetchall():
        s, o = canonical_pair(pred, subj, obj)
        if (s, o) != (subj, obj):
            db.execute("UPDATE relations SET subject = ?, object = ?, subject_raw = ?, object_raw = ? WHERE id = ?",
                       (s, o, oraw, sraw, rid))


def _realias(db: sqlite3.Connection, article_id: str) -> None:
    """An article's aliases rows again from its names (under the resolved ids)."""
    db.execute("DELETE FROM aliases WHERE article_id = ?", (article_id,))
    rows = []
    for eid, name, aliases in db.execute("SELECT entity_id, name, aliases FROM names WHERE article_id = ?",
                                         (article_id,)).fetchall():
        rows.extend((eid, a, article_id) for a in {name, *json.loads(aliases)})
    db.executemany("INSERT OR IGNORE INTO aliases(entity_id, alias, article_id) VALUES (?, ?, ?)", rows)


def _drop_unnamed(db: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """Delete the entities of ``ids`` no record is any more; return them."""
    gone = set()
    for eid in sorted(ids):
        if db.execute("SELECT 1 FROM names WHERE entity_id = ? LIMIT 1", (eid,)).fetchone():
            continue
        if db.execute("SELECT 1 FROM relations WHERE subject = ? LIMIT 1", (eid,)).fetchone() \
                or db.execute("SELECT 1 FROM relations WHERE object = ? LIMIT 1", (eid,)).fetchone() \
                or db.execute("SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (eid,)).fetchone():
            continue  # still used by a row no record explains (a store older than names): keep
        db.execute("DELETE FROM aliases WHERE entity_id = ?", (eid,))
        if db.execute("DELETE FROM entities WHERE id = ?", (eid,)).rowcount:
            gone.add(eid)
    return gone
