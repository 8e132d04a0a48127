"""What a load reads from the embedded store, in bulk, on the store's own connection (read-only).

The rows match what :mod:`graphbuild.sinks.cypher` builds from the Store API (the same
evidence ids, the same relation aggregates), read with a few big SQL queries instead.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from itertools import groupby
from operator import itemgetter
from typing import Any

from ...graph.model import best_modality, edge_key
from ...ontology import MODALITIES

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


def evidence_of(db: sqlite3.Connection, ids: Collection[str]) -> Iterator[dict[str, Any]]:
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


def edge_rows(db: sqlite3.Connection, keys: set[tuple[str, str, str]] | None, dates: Mapping[str, str | None], *,
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
        seen = [d for d in map(dates.__getitem__, aids) if d]  # a hub relation has 10,000s of articles
        modalities = set(mods.split(","))
        yield {
            "key": edge_key(s, p, o), "subject": s, "object": o, "modality": best_modality(modalities),
            "modalities": [m for m in MODALITIES if m in modalities], "count": count,
            "first_date": min(seen) if seen else None, "last_date": max(seen) if seen else None,
            "cameo": cameo, "weight": weight, "article_ids": sorted(aids), "confidence": confidence, "items": items,
            "inferred": bool(inferred), "predicate": p,
        }


def _edge_keys_of(db: sqlite3.Connection, ids: Collection[str]) -> set[tuple[str, str, str]]:
    """(subject, predicate, object) of every relation the articles ``ids`` give evidence for."""
    return {row for chunk in _chunks(ids) for row in db.execute(
        f"SELECT DISTINCT subject, predicate, object FROM relations WHERE article_id {_marks(len(chunk))}", chunk)}
