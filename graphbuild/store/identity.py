"""Identity inside the store: every table row keeps the id extraction gave it and the id it resolves to.

``names`` holds one row per entity and article as extraction named it (its ``raw_id``)
with the decided ``entity_id``.  Identical records of many articles (same name, roles,
countries) share one row of ``signatures`` with their count and their decision, and
``signature_keys`` files signatures by blocking key (:func:`graphbuild.resolve.record_keys`):
deciding reads signatures, so its cost follows the number of distinct names, not of articles.  ``mentions.raw_id`` and
``relations.subject_raw``/``object_raw`` keep the extracted ids beside the resolved
ones the readers see, so a later decision can rewrite them either way (a merge when a
full name arrives, a split when a second Kim does or the user says so).

After each batch, :func:`resolve_keys` re-decides only the records whose decision can
have changed (:func:`graphbuild.resolve.identity.dependent_keys`: the surname's group of a
new full name, the prefix forms and lone names that point at it or at its group), from the
records that decide them (:func:`~graphbuild.resolve.identity.needed_keys`, then the
candidates' own groups): a few blocks, not the store.  The decisions
equal those of :func:`resolve_all` over the whole store, whatever the order the
articles came in: ``tests/test_identity_store.py`` checks both.

Ids that disappear in a merge are kept in ``retired`` with the id they became: the
Cypher script deletes their nodes from a database an older script loaded.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..models import Extraction
from ..ontology import canonical_pair
from ..resolve import Decision, IdentityRules, NameRecord, entity_name, record_keys, resolve
from ..resolve.identity import dependent_keys, fuller_names, needed_keys, sited_org_key
from ..resolve.names import acronym_like, generic_org_key, initials, org_key, person_tokens
from .reads import chunks, marks

__all__ = ["ROLE_PREDICATES", "forget_article", "records_of", "resolve_all", "resolve_keys", "write_names"]

#: Relations that tie a person or body to a country (the context that tells namesakes apart).
ROLE_PREDICATES = frozenset({"LEADER_OF", "REPRESENTS", "MEMBER_OF"})



def records_of(ex: Extraction) -> list[NameRecord]:
    """The name records of one article's extraction: each entity with the countries the article ties it to, and
    a person named in part with the article's own full name of it (:func:`~graphbuild.resolve.identity.fuller_names`)."""
    aid = ex.article.id
    countries = frozenset(e.id for e in ex.entities if e.type == "Country")
    context: dict[str, set[str]] = defaultdict(set)
    for rel in ex.relations:
        if rel.predicate in ROLE_PREDICATES and not rel.inferred and rel.object in countries:
            context[rel.subject].add(rel.object)
    fuller = fuller_names(e.name for e in ex.entities if e.type == "Person")
    context.update(_bodies_placed(ex, countries, context))
    spelt = _initials_spelt(ex, context)
    partial = _read_in_part(ex)
    out = []
    for e in ex.entities:
        full = fuller.get(e.name, "") if e.type == "Person" else ""
        more = {spelt[e.id]} if e.id in spelt else set()
        out.append(NameRecord(e.id, aid, e.type, e.name, tuple(sorted((set(e.aliases) | more) - {e.name})),
                              frozenset(context.get(e.id, ())),
                              countries if not full and (_reads_scene(e.type, e.name) or e.id in partial)
                              else frozenset(), fuller=full))
    return out


def _bodies_placed(ex: Extraction, countries: frozenset[str], context: dict[str, set[str]]) -> dict[str, set[str]]:
    """The countries an article ties each body named only by what it is ("the Foreign Ministry") to: its own
    roles, the roles of the people it has (its spokesman's country), else the article's one country when it
    names only one. Identity places such a body in its country only when that is one country."""
    kinds = {e.id: e.type for e in ex.entities}
    generic = {e.id for e in ex.entities if e.type == "Organization" and generic_org_key(org_key(e.name))}
    out: dict[str, set[str]] = {g: set(context.get(g, ())) for g in generic}
    for rel in ex.relations:
        if (rel.predicate in ROLE_PREDICATES and not rel.inferred and rel.object in generic
                and kinds.get(rel.subject) == "Person"):
            out[rel.object] |= context.get(rel.subject, set())
    for g, tied in out.items():
        if not tied and len(countries) == 1:
            tied |= countries
    return {g: tied for g, tied in out.items() if tied}


def _initials_spelt(ex: Extraction, context: dict[str, set[str]]) -> dict[str, str]:
    """For each organisation an article names by initials that spell the name of exactly one other
    organisation of the article ("DFA" beside "Department of Foreign Affairs"), that name: the initials are
    that body here (:func:`~graphbuild.resolve.names.initials`). A body named only by what it is that the
    article does not place goes the other way: it gets the initials, and is the body they name ("the
    Ministry of External Affairs" beside "MEA" is MEA, not any country's foreign ministry)."""
    orgs = [e for e in ex.entities if e.type == "Organization"]
    out: dict[str, str] = {}
    for short in orgs:
        letters = short.name.replace(".", "")
        if not acronym_like(letters) or any(not acronym_like(a.replace(".", "")) for a in short.aliases):
            continue
        fits = sorted({(e.name, e.id) for e in orgs if e.id != short.id and not acronym_like(e.name.replace(".", ""))
                       and letters.upper() in initials(e.name)})
        if len({i for _n, i in fits}) != 1:
            continue
        name, full = fits[0]
        if generic_org_key(org_key(name)) and len(context.get(full, ())) != 1:
            out[full] = short.name  # a body no country is given for is known by its initials
            continue
        out[short.id] = name
        if full in context:
            context[short.id] = set(context[full])
    return out


def _read_in_part(ex: Extraction) -> set[str]:
    """The persons an article names in full only through a dictionary or coreference, its text giving one word
    of the name at most ("Sisi said" read as the known Abdel Fattah el-Sisi): like a lone surname, they read
    the countries the article names (a lone surname of a known person in an article about other countries
    may be someone else, or a misspelling of someone else)."""
    surfaces: dict[str, set[int]] = defaultdict(set)
    for m in ex.mentions:
        surfaces[m.entity_id].add(len(person_tokens(m.text)))
    return {e.id for e in ex.entities if e.type == "Person" and len(person_tokens(e.name)) >= 2
            and surfaces.get(e.id) and max(surfaces[e.id]) <= 1}


def _reads_scene(etype: str, name: str) -> bool:
    """A person named by one token, an organisation by initials, by what it is or a state's embassy: only they
    read the countries their article names (to choose between namesakes, where the embassy is, which
    articles' "Foreign Ministry" may be one)."""
    if etype == "Person":
        return len(person_tokens(name)) == 1
    return etype == "Organization" and (acronym_like(name) or sited_org_key(org_key(name))
                                        or generic_org_key(org_key(name)))


def _content(rec: NameRecord) -> tuple[str, str, str, str, str, str]:
    """What decides a record, as stored: raw id, type, name, aliases (organisations only: persons' aliases
    never decide anything; a person's column holds its article's full name, ``fuller``), context and scene as JSON."""
    if rec.type == "Organization":
        aliases = json.dumps(list(rec.aliases), ensure_ascii=False)
    else:
        aliases = json.dumps([rec.fuller], ensure_ascii=False) if rec.fuller else "[]"
    return (rec.raw_id, rec.type, rec.name, aliases, json.dumps(sorted(rec.context)), json.dumps(sorted(rec.scene)))


#: The keys under which a signature's weight alone can change decisions: a person's spelling group
#: and form (the canonical id's tie-break, one-off country ties).  Nothing else reads a weight.
_WEIGHTED = "VCR"


def write_names(db: sqlite3.Connection, records: list[NameRecord]
                ) -> tuple[set[str], set[str], dict[RecordKey, Decision]]:
    """Insert the records under their signatures (an identical record of another article shares one).

    Returns the keys of the new signatures, the keys of known ones whose weight alone changed
    (:data:`_WEIGHTED` kinds), and the records that joined a signature already decided to another
    id than their own (their rows, written under the extracted id, move).
    """
    keys: set[str] = set()
    weighted: set[str] = set()
    moved: dict[RecordKey, Decision] = {}
    names = []
    filed: list[tuple[str, int]] = []
    for rec in records:
        content = _content(rec)
        sig, weight, eid, amb = db.execute(
            "INSERT INTO signatures(raw_id, type, name, aliases, context, scene, weight, entity_id, ambiguous)"
            " VALUES (?, ?, ?, ?, ?, ?, 1, ?, 0) ON CONFLICT(raw_id, name, aliases, context, scene)"
            " DO UPDATE SET weight = weight + 1 RETURNING id, weight, entity_id, ambiguous",
            (*content, rec.raw_id)).fetchone()
        rkeys = record_keys(rec)
        if weight == 1:
            keys |= rkeys
            filed.extend((k, sig) for k in rkeys)
        else:
            weighted |= {k for k in rkeys if k[0] in _WEIGHTED}
        if eid != rec.raw_id or amb:
            moved[rec.key] = Decision(eid, bool(amb))
        names.append((rec.raw_id, rec.article_id, rec.type, rec.name, json.dumps(list(rec.aliases), ensure_ascii=False),
                      content[4], content[5], eid, amb, sig))
    db.executemany("INSERT OR IGNORE INTO signature_keys(key, sig) VALUES (?, ?)", filed)
    db.executemany(
        "INSERT OR REPLACE INTO names(raw_id, article_id, type, name, aliases, context, scene, entity_id, ambiguous, sig)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", names)
    return keys, weighted, moved


def forget_article(db: sqlite3.Connection, article_id: str) -> set[str]:
    """Take an article's records out of their signatures (before the article is deleted); return their keys."""
    sigs = [r[0] for r in db.execute("SELECT sig FROM names WHERE article_id = ? AND sig IS NOT NULL", (article_id,))]
    keys: set[str] = set()
    for chunk in chunks(sigs):
        keys.update(r[0] for r in db.execute(f"SELECT key FROM signature_keys WHERE sig {marks(len(chunk))}", chunk))
        db.execute(f"UPDATE signatures SET weight = weight - 1 WHERE id {marks(len(chunk))}", chunk)
    db.execute("DELETE FROM signature_keys WHERE sig IN (SELECT id FROM signatures WHERE weight <= 0)")
    db.execute("DELETE FROM signatures WHERE weight <= 0")
    return keys


RecordKey = tuple[str, str]
#: A loaded signature: (record standing for its articles, its decision, its row id).
Loaded = tuple[NameRecord, Decision, int]
_SIG_COLS = "id, raw_id, type, name, aliases, context, scene, weight, entity_id, ambiguous"


def _record(row: tuple) -> Loaded:
    sig, raw, etype, name, aliases, context, scene, weight, eid, amb = row
    # the record's key names its content, not an article: the same in any store with these records
    tag = hashlib.sha1("\x1f".join((raw, name, aliases, context, scene)).encode()).hexdigest()[:16]
    alias = _strings(aliases)
    if etype == "Person":  # the column holds the article's full name of a part (``fuller``)
        rec = NameRecord(raw, "sig:" + tag, etype, name, (), frozenset(_strings(context)), frozenset(_strings(scene)),
                         weight, alias[0] if alias else "")
    else:
        rec = NameRecord(raw, "sig:" + tag, etype, name, alias, frozenset(_strings(context)),
                         frozenset(_strings(scene)), weight)
    return rec, Decision(eid, bool(amb)), sig


def _strings(text: str) -> tuple[str, ...]:
    """A stored JSON list of strings (most are empty)."""
    return () if text == "[]" else tuple(json.loads(text))


class _Loader:
    """Signatures read by key, each read and parsed once per decision."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.keys: set[str] = set()
        self.by_key: dict[str, list[RecordKey]] = defaultdict(list)
        self.pool: dict[RecordKey, Loaded] = {}
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted_keys (key TEXT PRIMARY KEY)")

    def load(self, keys: Iterable[str]) -> dict[RecordKey, Loaded]:
        """The signatures filed under any of ``keys``."""
        keys = set(keys)
        new = sorted(keys - self.keys)
        if new:
            self.db.execute("DELETE FROM temp.wanted_keys")
            self.db.executemany("INSERT INTO temp.wanted_keys(key) VALUES (?)", [(k,) for k in new])
            seen: dict[int, RecordKey] = {}
            for key, *row in self.db.execute(
                f"SELECT k.key, {', '.join('s.' + c for c in _SIG_COLS.split(', '))} FROM signature_keys k"
                " JOIN signatures s ON s.id = k.sig WHERE k.key IN (SELECT key FROM temp.wanted_keys)"
            ):
                rk = seen.get(row[0])
                if rk is None:
                    loaded = _record(tuple(row))
                    rk = seen[row[0]] = loaded[0].key
                    self.pool.setdefault(rk, loaded)
                self.by_key[key].append(rk)
            self.keys |= set(new)
        return {rk: self.pool[rk] for k in keys for rk in self.by_key.get(k, ())}


def _keys_of(loaded: dict[RecordKey, Loaded]) -> set[str]:
    return {k for rec, _d, _s in loaded.values() for k in record_keys(rec)}


def resolve_keys(db: sqlite3.Connection, keys: set[str], rules: IdentityRules, fresh: set[str] = frozenset(),
                 moved: dict[RecordKey, Decision] | None = None, weighted: set[str] = frozenset()) -> set[str]:
    """Re-decide the records a change to records filed under ``keys`` can affect; rewrite the rows that move.

    ``fresh``: articles written in this transaction (their rows are new, not revised); ``moved``:
    their records that joined a signature decided to another id (from :func:`write_names`);
    ``weighted``: keys of signatures whose weight alone changed: only their spelling groups and
    lone spellings are decided again, and what changes there spreads like a new record.
    Returns the ids of the older articles whose rows changed.
    """
    changes: dict[RecordKey, Decision] = dict(moved or {})
    before: dict[RecordKey, str] = {k: k[0] for k in changes}  # written under the extracted id
    keys = set(keys)
    if weighted - keys:
        dirty = _Loader(db).load(dependent_keys(weighted))  # the spelling group, in either order
        for key, (rec, _d, _s) in _decide_loaded(db, dirty, rules, changes, before).items():
            keys |= record_keys(rec)
    if keys:
        # what may decide differently: dependents of the change, and those of its spelling group
        loader = _Loader(db)
        dirty_keys = dependent_keys(keys)
        dirty_keys |= dependent_keys(_keys_of(loader.load(dependent_keys({k for k in keys if k[0] in "CVR"}))))
        done: set[str] = set()
        while dirty_keys:  # a record that changes changes what depends on it ("Aldo Borin" no longer a whole
            # name once "Aldo bin Nabil Al Borin" is known: "Borin Aldo" no longer joins it): until nothing does
            changed = _decide_loaded(db, loader.load(dirty_keys), rules, changes, before, loader)
            done |= dirty_keys
            dirty_keys = dependent_keys(_keys_of(changed)) - done
    return _apply(db, changes, before, rules, fresh, touched=_fresh_entities(db, fresh))


def _decide_loaded(db: sqlite3.Connection, dirty: dict[RecordKey, Loaded], rules: IdentityRules,
                   changes: dict[RecordKey, Decision], before: dict[RecordKey, str],
                   loader: _Loader | None = None) -> dict[RecordKey, Loaded]:
    """Decide ``dirty`` from what decides it (its blocks, then the candidates' own groups and candidates);
    store what changed and return those signatures."""
    loader = loader or _Loader(db)
    need = {k for rec, _d, _s in dirty.values() for k in needed_keys(rec)}
    first = loader.load(need)
    need |= {k for rec, _d, _s in first.values() for k in needed_keys(rec)}
    decisions = resolve((rec for rec, _d, _s in loader.load(need).values()), rules)
    changed = {key: loaded for key, loaded in dirty.items() if decisions[key] != loaded[1]}
    _decide(db, dirty, decisions, changes, before)
    return changed


def _decide(db: sqlite3.Connection, loaded: dict[RecordKey, Loaded], decisions: dict[RecordKey, Decision],
            changes: dict[RecordKey, Decision], before: dict[RecordKey, str]) -> None:
    """Store the signatures' new decisions; every record of a changed one moves (added to ``changes``)."""
    for key, (rec, old, sig) in sorted(loaded.items()):
        dec = decisions[key]
        if dec == old:
            continue
        db.execute("UPDATE signatures SET entity_id = ?, ambiguous = ? WHERE id = ?",
                   (dec.entity_id, int(dec.ambiguous), sig))
        for raw, aid, eid in db.execute("SELECT raw_id, article_id, entity_id FROM names WHERE sig = ?", (sig,)):
            before.setdefault((raw, aid), eid)
            changes[(raw, aid)] = dec


def resolve_all(db: sqlite3.Connection, rules: IdentityRules) -> set[str]:
    """Re-decide every record of the store (after the user's rules or the deciding code changed) and file
    every signature under its keys again; returns the articles revised."""
    loaded = {}
    filed: list[tuple[str, int]] = []
    for row in db.execute(f"SELECT {_SIG_COLS} FROM signatures"):
        rec = _record(row)
        loaded[rec[0].key] = rec
        filed.extend((k, rec[2]) for k in record_keys(rec[0]))
    db.execute("DELETE FROM signature_keys")
    db.executemany("INSERT OR IGNORE INTO signature_keys(key, sig) VALUES (?, ?)", filed)
    changes: dict[RecordKey, Decision] = {}
    before: dict[RecordKey, str] = {}
    _decide(db, loaded, resolve((rec for rec, _d, _s in loaded.values()), rules), changes, before)
    # names can change without any move (a rename): every entity is named again
    touched = {d.entity_id for _r, d, _s in loaded.values()}
    return _apply(db, changes, before, rules, set(), touched=touched)


def _fresh_entities(db: sqlite3.Connection, fresh: set[str]) -> set[str]:
    out: set[str] = set()
    for chunk in chunks(fresh):
        out.update(r[0] for r in db.execute(f"SELECT DISTINCT entity_id FROM names WHERE article_id {marks(len(chunk))}",
                                            chunk))
    return out


def _apply(db: sqlite3.Connection, changes: dict[RecordKey, Decision], before: dict[RecordKey, str],
           rules: IdentityRules, fresh: set[str], touched: set[str]) -> set[str]:
    """Write the decisions: entities first (the rows point at them), then rows, then names and orphans."""
    moved_from: dict[str, Counter[str]] = defaultdict(Counter)
    by_article: dict[str, list[tuple[str, str]]] = defaultdict(list)
    touched = set(touched)
    for (raw, aid), dec in sorted(changes.items()):
        old = before[(raw, aid)]
        touched.update((old, dec.entity_id))
        db.execute("UPDATE names SET entity_id = ?, ambiguous = ? WHERE raw_id = ? AND article_id = ?",
                   (dec.entity_id, int(dec.ambiguous), raw, aid))
        if old != dec.entity_id:
            moved_from[old][dec.entity_id] += 1
            by_article[aid].append((raw, old, dec.entity_id))
    _name_entities(db, touched, rules)
    for aid, moves in sorted(by_article.items()):
        for raw, old, new in moves:
            db.execute("UPDATE mentions SET entity_id = ? WHERE article_id = ? AND raw_id = ?", (new, aid, raw))
            db.execute("UPDATE relations SET subject = ? WHERE article_id = ? AND subject_raw = ?", (new, aid, raw))
            db.execute("UPDATE relations SET object = ? WHERE article_id = ? AND object_raw = ?", (new, aid, raw))
            # the claimant follows its name too (it holds the id its article's name stands for)
            db.execute("UPDATE relations SET claimed_by = ? WHERE article_id = ? AND claimed_by = ?", (new, aid, old))
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
    """(Re)write the entity row of each id that has records: display name and ambiguity (a row only when it changes)."""
    for chunk in chunks(ids):
        names: dict[str, dict[str, int]] = defaultdict(dict)
        ambiguous: dict[str, int] = defaultdict(int)
        kinds: dict[str, str] = {}
        for eid, name, count, amb, kind in db.execute(
            f"SELECT entity_id, name, SUM(weight), MAX(ambiguous), MIN(type) FROM signatures"
            f" WHERE entity_id {marks(len(chunk))} GROUP BY entity_id, name", chunk
        ):
            names[eid][name] = count
            ambiguous[eid] = max(ambiguous[eid], amb)
            kinds[eid] = kind
        have = {r[0]: r[1:] for r in db.execute(
            f"SELECT id, name, ambiguous FROM entities WHERE id {marks(len(chunk))}", chunk)}
        rows = []
        for eid in sorted(names):
            row = (entity_name(eid, names[eid], rules, kinds[eid]), ambiguous[eid])
            if have.get(eid) != row:
                rows.append((eid, kinds[eid], *row))
        db.executemany("INSERT INTO entities(id, type, name, iso3, ambiguous) VALUES (?, ?, ?, NULL, ?)"
                       " ON CONFLICT(id) DO UPDATE SET name = excluded.name, ambiguous = excluded.ambiguous", rows)


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
    named: set[str] = set()
    for chunk in chunks(ids):
        named.update(r[0] for r in db.execute(
            f"SELECT DISTINCT entity_id FROM signatures WHERE entity_id {marks(len(chunk))}", chunk))
    for eid in sorted(set(ids) - named):
        if db.execute("SELECT 1 FROM relations WHERE subject = ? LIMIT 1", (eid,)).fetchone() \
                or db.execute("SELECT 1 FROM relations WHERE object = ? LIMIT 1", (eid,)).fetchone() \
                or db.execute("SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (eid,)).fetchone():
            continue  # still used by a row no record explains (a store older than names): keep
        db.execute("DELETE FROM aliases WHERE entity_id = ?", (eid,))
        if db.execute("DELETE FROM entities WHERE id = ?", (eid,)).rowcount:
            gone.add(eid)
    return gone
