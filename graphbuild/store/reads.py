"""The store's bulk reads: evidence rows and per-relation aggregates, in the shapes every later step takes.

Two read models leave the store, and nothing else does:

* :class:`StoredRelation`, one piece of evidence (a row of ``relations``) with its article's date;
* :class:`RelationAggregate`, one logical relation ``(subject, predicate, object)`` aggregated by
  SQLite on its covering index, without reading a sentence.

:mod:`graphbuild.graph.model` turns an aggregate (and, when asked, its evidence) into the
graph model's edge; every sink renders that edge.  The functions here take the store's
connection; :class:`graphbuild.store.Store` exposes them as methods.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from ..claims import corroboration, is_contested
from ..models import Evidence
from .window import ALL_TIME, DateWindow

__all__ = ["Key", "RelationAggregate", "StoredRelation", "chunks", "example_order", "examples", "fold"]

#: A logical relation's identity: ``(subject, predicate, object)``.
Key = tuple[str, str, str]

#: Ids per ``IN (?, ...)`` query (SQLite's json_each would cut a text at a NUL, so plain parameters).
_CHUNK = 500
#: The order of one relation's evidence everywhere: by article date (undated first), article, offset.
EVIDENCE_ORDER = "a.date, r.article_id, r.start, r.id"
_COLUMNS = ("r.subject, r.predicate, r.object, r.modality, r.article_id, r.sentence, r.start, r.end, r.rule,"
            " r.confidence, r.items, r.inferred, r.cameo, r.weight, a.date, r.claimed_by, r.event_date,"
            " r.date_precision, a.source")
_KEY_WHERE = " subject = ? AND predicate = ? AND object = ?"


class StoredRelation(NamedTuple):
    """One row of evidence as stored, joined with its article's date (and, last, its claimant, event date
    and precision, and the article's outlet).

    A flat named tuple (millions are read for a graph with its sentences); ``evidence``
    gives the sentence part as the :class:`~graphbuild.models.Evidence` extraction made.
    """

    subject: str
    predicate: str
    object: str
    modality: str
    article_id: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    items: tuple[str, ...]
    inferred: bool
    cameo: str | None
    weight: float
    article_date: str | None
    claimed_by: str = ""
    event_date: str = ""
    date_precision: str = ""
    source: str | None = None

    @property
    def evidence(self) -> Evidence:
        """Where the relation was read: article, sentence, offsets, rule, confidence, claimant, event date."""
        return Evidence(self.article_id, self.sentence, self.start, self.end, self.rule, self.confidence,
                        self.claimed_by, self.event_date, self.date_precision)

    @property
    def date(self) -> str | None:
        """The event date when the sentence has one, else the article's date (see :attr:`dated_by`)."""
        return self.event_date or self.article_date

    @property
    def dated_by(self) -> str:
        """``event``, ``published`` or "" (no date at all): where :attr:`date` comes from."""
        return "event" if self.event_date else "published" if self.article_date else ""

    @property
    def key(self) -> Key:
        """``(subject, predicate, object)`` of the logical relation this row is evidence for."""
        return (self.subject, self.predicate, self.object)


class RelationAggregate(NamedTuple):
    """One logical relation as SQLite aggregates it: no sentence read, article ids distinct and sorted.

    ``inferred`` holds when every row is inferred; ``cameo``/``weight`` are the rows' own
    (the first row's in evidence order when rows disagree: the ontology changed between
    ingests); ``items`` is the ordered union of the rows' items in evidence order.
    ``claims``: the distinct ``(modality, claimed_by)`` pairs; ``dated``: the distinct
    ``(article_id, event_date)`` pairs ("" when the sentence has no date); ``scores``: each
    article's highest confidence, ``(article_id, confidence)`` by article.
    """

    subject: str
    predicate: str
    object: str
    count: int
    modalities: frozenset[str]
    article_ids: tuple[str, ...]
    confidence: float
    inferred: bool
    cameo: str | None
    weight: float
    items: tuple[str, ...]
    claims: frozenset[tuple[str, str]] = frozenset()
    dated: tuple[tuple[str, str], ...] = ()
    scores: tuple[tuple[str, float], ...] = ()

    @property
    def contested(self) -> bool:
        """One claimant asserts what another denies (:func:`graphbuild.claims.is_contested`)."""
        return is_contested(self.claims)

    def corroboration(self, sources: Mapping[str, str | None]) -> tuple[int, int, float]:
        """(distinct articles, distinct outlets, noisy-or confidence with each outlet once); ``sources``:
        article id -> outlet."""
        return corroboration((aid, sources.get(aid), conf) for aid, conf in self.scores)


def fold(rows: Sequence[StoredRelation]) -> RelationAggregate:
    """The aggregate of one relation's evidence rows (in evidence order), folded in plain Python.

    This is the specification :func:`relation_aggregates` computes in SQL for scale; a reader that
    holds the rows anyway (a graph with its sentences) folds them instead of querying again.
    """
    first = rows[0]
    items: list[str] = []
    modalities, article_ids, claims, dated = set(), set(), set(), set()
    scores: dict[str, float] = {}
    confidence, inferred = first.confidence, True
    for (_s, _p, _o, modality, article_id, _t, _a, _b, _r, conf, its, inf, _c, _w, _d, who, when,
         *_rest) in rows:  # fast on millions
        if its:
            items.extend(i for i in its if i not in items)
        modalities.add(modality)
        article_ids.add(article_id)
        claims.add((modality, who))
        dated.add((article_id, when))
        if conf > scores.get(article_id, -1.0):
            scores[article_id] = conf
        if conf > confidence:
            confidence = conf
        inferred = inferred and inf
    return RelationAggregate(first.subject, first.predicate, first.object, len(rows), frozenset(modalities),
                             tuple(sorted(article_ids)), confidence, inferred, first.cameo, first.weight, tuple(items),
                             frozenset(claims), tuple(sorted(dated)), tuple(sorted(scores.items())))


def chunks(values: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    """Sorted ``values`` in lists of at most ``size``.

    >>> list(chunks(["c", "a", "b"], 2))
    [['a', 'b'], ['c']]
    """
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def marks(n: int) -> str:
    """``IN (?, ?, ...)`` for ``n`` parameters."""
    return "IN (" + ",".join("?" * n) + ")"


def _row(row: tuple) -> StoredRelation:
    s, p, o, mod, aid, sent, start, end, rule, conf, items, inf, cameo, weight, date, who, when, prec, src = row
    return StoredRelation(s, p, o, mod, aid, sent, start, end, rule, conf,
                          () if items == "[]" else tuple(json.loads(items)), inf == 1, cameo, weight, date,
                          who, when, prec, src)


def _and(where: str, condition: str) -> str:
    return (where + " AND" if where else " WHERE") + condition


# -- evidence -------------------------------------------------------------------------------
def evidence(db: sqlite3.Connection, window: DateWindow = ALL_TIME, *, keys: Collection[Key] | None = None,
             article_ids: Collection[str] | None = None) -> Iterator[StoredRelation]:
    """Evidence rows in the window: by key, then in evidence order (date, article, offset).

    ``keys`` reads only those relations (by index); ``article_ids`` reads only those articles'
    rows, streamed a chunk of articles at a time and ordered by article, then key and offset.
    Without either, the whole table is read in one pass and sorted here: SQLite would
    otherwise sort every sentence (on disk for big stores) and look up each row's article.
    """
    if article_ids is not None:
        where, params = window.sql("r.article_id")
        for chunk in chunks(article_ids):
            yield from map(_row, db.execute(
                f"SELECT {_COLUMNS} FROM relations r JOIN articles a ON a.id = r.article_id"
                + _and(where, f" r.article_id {marks(len(chunk))}")
                + " ORDER BY r.article_id, r.subject, r.predicate, r.object, r.start, r.id", [*params, *chunk]))
        return
    if keys is not None:
        where, params = window.sql("r.article_id")
        for key in sorted(keys):
            yield from map(_row, db.execute(
                f"SELECT {_COLUMNS} FROM relations r JOIN articles a ON a.id = r.article_id"
                + _and(where, " r.subject = ? AND r.predicate = ? AND r.object = ?")
                + " ORDER BY " + EVIDENCE_ORDER, [*params, *key]))
        return
    where, params = window.sql("article_id")
    dates, sources = {}, {}
    for aid, date, source in db.execute("SELECT id, date, source FROM articles"):
        dates[aid], sources[aid] = date, source
    groups: dict[Key, list[tuple]] = {}
    for row in db.execute(
        "SELECT subject, predicate, object, modality, article_id, sentence, start, end, rule, confidence, items,"
        " inferred, cameo, weight, id, claimed_by, event_date, date_precision FROM relations NOT INDEXED"
        + where, params
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
        for s, p, o, mod, aid, sent, start, end, rule, conf, items, inf, cameo, weight, _id, who, when, prec in rows:
            yield StoredRelation(s, p, o, mod, aid, sent, start, end, rule, conf,
                                 () if items == "[]" else tuple(json.loads(items)), inf == 1, cameo, weight,
                                 dates.get(aid), who, when, prec, sources.get(aid))


# -- aggregates -----------------------------------------------------------------------------
_AGGREGATE = ("SELECT subject, predicate, object, COUNT(*), json_group_array(DISTINCT modality),"
              " json_group_array(DISTINCT article_id), MAX(confidence), MIN(inferred), MIN(weight), MAX(weight),"
              " MIN(cameo), MAX(cameo), COUNT(cameo), MAX(items != '[]'),"
              " json_group_array(DISTINCT json_array(modality, claimed_by)),"
              " json_group_array(DISTINCT json_array(article_id, event_date)),"
              " json_group_array(DISTINCT json_array(article_id, confidence)) FROM relations")


def relation_aggregates(db: sqlite3.Connection, window: DateWindow = ALL_TIME, *,
                        keys: Collection[Key] | None = None,
                        lookup: bool | None = None) -> Iterator[RelationAggregate]:
    """One :class:`RelationAggregate` per logical relation with evidence in the window, by key.

    ``keys`` keeps only those relations (a key with no evidence gives nothing).  ``lookup``
    reads them one by one by index instead of one pass over the table skipping the others;
    by default it does when the keys are few against the rows.
    """
    where, params = window.sql("article_id")
    if keys is not None and lookup is None:
        rows = db.execute("SELECT coalesce(max(id), 0) FROM relations").fetchone()[0]  # about, by rowid
        lookup = len(keys) * 10 < rows
    if keys is not None and lookup:
        ordered = sorted(keys)
        found = (db.execute(_AGGREGATE + _and(where, _KEY_WHERE), [*params, *k]).fetchone() for k in ordered)
        raw: Iterable[tuple] = (row for row in found if row[3])
        items = None
    else:
        raw = db.execute(_AGGREGATE + where + " GROUP BY subject, predicate, object"
                         " ORDER BY subject, predicate, object", params)
        items = _all_items(db, window)
    wanted = set(keys) if keys is not None and not lookup else None
    for (s, p, o, count, mods, ids, confidence, inferred, w_min, w_max, c_min, c_max, n_cameo, has_items,
         claims, dated, confs) in raw:
        key = (s, p, o)
        if wanted is not None and key not in wanted:
            continue
        if w_min == w_max and c_min == c_max and n_cameo in (0, count):
            cameo, weight = c_min, w_min
        else:  # rows disagree (the ontology changed between ingests): the first row's
            cameo, weight = db.execute(
                "SELECT r.cameo, r.weight FROM relations r JOIN articles a ON a.id = r.article_id"
                + _and(window.sql("r.article_id")[0], " r.subject = ? AND r.predicate = ? AND r.object = ?")
                + " ORDER BY " + EVIDENCE_ORDER + " LIMIT 1", [*params, s, p, o]).fetchone()
        if not has_items:
            its: tuple[str, ...] = ()
        elif items is not None:
            its = items.get(key, ())
        else:
            its = _items_of(db, window, key)
        scores: dict[str, float] = {}
        for aid, conf in json.loads(confs):
            if conf > scores.get(aid, -1.0):
                scores[aid] = conf
        yield RelationAggregate(s, p, o, count, frozenset(json.loads(mods)), tuple(sorted(json.loads(ids))),
                                confidence, bool(inferred), cameo, weight, its,
                                frozenset((m, w) for m, w in json.loads(claims)),
                                tuple(sorted((a, d) for a, d in json.loads(dated))), tuple(sorted(scores.items())))


def _union(texts: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for text in texts:
        out.extend(i for i in json.loads(text) if i not in out)
    return tuple(out)


def _items_of(db: sqlite3.Connection, window: DateWindow, key: Key) -> tuple[str, ...]:
    where, params = window.sql("r.article_id")
    return _union(t for (t,) in db.execute(
        "SELECT r.items FROM relations r JOIN articles a ON a.id = r.article_id"
        + _and(where, " r.subject = ? AND r.predicate = ? AND r.object = ? AND r.items != '[]'")
        + " ORDER BY " + EVIDENCE_ORDER, [*params, *key]))


def _all_items(db: sqlite3.Connection, window: DateWindow) -> dict[Key, tuple[str, ...]]:
    """The items of every relation that has some (few do: arms transfers), as ordered unions."""
    where, params = window.sql("r.article_id")
    texts: dict[Key, list[str]] = {}
    for s, p, o, text in db.execute(
        "SELECT r.subject, r.predicate, r.object, r.items FROM relations r JOIN articles a ON a.id = r.article_id"
        + _and(where, " r.items != '[]'") + " ORDER BY r.subject, r.predicate, r.object, " + EVIDENCE_ORDER, params
    ):
        texts.setdefault((s, p, o), []).append(text)
    return {k: _union(v) for k, v in texts.items()}


# -- per-article reads for incremental loads -------------------------------------------------
def mentions_of(db: sqlite3.Connection, article_ids: Collection[str] | None) -> Iterator[tuple[str, str, int]]:
    """(article id, entity id, mention count), by article then entity; ``None``: every article."""
    sql = "SELECT article_id, entity_id, COUNT(*) FROM mentions"
    tail = " GROUP BY article_id, entity_id ORDER BY article_id, entity_id"
    # ``iter()``: ``yield from`` a cursor would close it when the generator is dropped half way, which
    # raises once the store is closed (a failed export dropping its readers)
    if article_ids is None:
        yield from iter(db.execute(sql + tail).fetchone, None)
        return
    for chunk in chunks(article_ids):
        yield from iter(db.execute(f"{sql} WHERE article_id {marks(len(chunk))}{tail}", chunk).fetchone, None)


def counts_of(db: sqlite3.Connection, article_ids: Collection[str]) -> dict[str, list[int]]:
    """[entities mentioned, evidence rows] per article: what writing the article sends besides itself."""
    out = {i: [0, 0] for i in article_ids}
    for chunk in chunks(article_ids):
        for aid, n in db.execute(f"SELECT article_id, COUNT(DISTINCT entity_id) FROM mentions WHERE article_id"
                                 f" {marks(len(chunk))} GROUP BY article_id", chunk):
            out[aid][0] = n
        for aid, n in db.execute(f"SELECT article_id, COUNT(*) FROM relations WHERE article_id {marks(len(chunk))}"
                                 " GROUP BY article_id", chunk):
            out[aid][1] = n
    return out


def keys_of(db: sqlite3.Connection, article_ids: Collection[str]) -> set[Key]:
    """The keys of every relation the articles give evidence for."""
    return {row for chunk in chunks(article_ids) for row in db.execute(
        f"SELECT DISTINCT subject, predicate, object FROM relations WHERE article_id {marks(len(chunk))}", chunk)}


# -- examples -------------------------------------------------------------------------------
def example_order(rank: dict[str, int]) -> str:
    """``ORDER BY`` of the example sentence: most factual modality, highest confidence, then evidence order.

    >>> example_order({"asserted": 0, "denied": 2})
    "CASE r.modality WHEN 'asserted' THEN 0 WHEN 'denied' THEN 2 ELSE 9 END, r.confidence DESC, a.date, r.article_id, r.start, r.id"
    """
    cases = " ".join(f"WHEN '{m}' THEN {n}" for m, n in rank.items())
    return f"CASE r.modality {cases} ELSE 9 END, r.confidence DESC, " + EVIDENCE_ORDER


def examples(db: sqlite3.Connection, rank: dict[str, int], window: DateWindow = ALL_TIME, *,
             keys: Collection[Key] | None = None) -> Iterator[tuple[Key, str, str]]:
    """``(key, article_id, sentence)`` of each relation's example sentence (see :func:`example_order`).

    ``keys`` reads only those relations (one indexed query each); without them one pass with
    a window function over the whole table.
    """
    where, params = window.sql("r.article_id")
    order = example_order(rank)
    if keys is not None:
        for key in sorted(keys):
            row = db.execute("SELECT r.article_id, r.sentence FROM relations r JOIN articles a ON a.id = r.article_id"
                             + _and(where, " r.subject = ? AND r.predicate = ? AND r.object = ?")
                             + f" ORDER BY {order} LIMIT 1", [*params, *key]).fetchone()
            if row is not None:
                yield key, row[0], row[1]
        return
    for s, p, o, aid, sentence in db.execute(
        "SELECT subject, predicate, object, article_id, sentence FROM (SELECT r.subject, r.predicate, r.object,"
        f" r.article_id, r.sentence, ROW_NUMBER() OVER (PARTITION BY r.subject, r.predicate, r.object ORDER BY {order})"
        f" AS k FROM relations r JOIN articles a ON a.id = r.article_id{where}) WHERE k = 1", params
    ):
        yield (s, p, o), aid, sentence
