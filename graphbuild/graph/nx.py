"""Build the networkx ``MultiDiGraph`` from the embedded store (analysis and export read this).

Two ways, one graph: :func:`build_graph` with every edge's evidence sentences (export,
viz), or with ``evidence=False`` the same nodes, edges and aggregates computed in SQL
without reading a sentence (analysis and offline queries: seconds on 100k articles).
Both give the same values as :func:`graphbuild.graph.model.aggregate_relations`.
"""

from __future__ import annotations

import json
from itertools import groupby
from operator import itemgetter

import networkx as nx

from ..ontology import MODALITIES
from ..sinks.store import Store
from .model import best_modality

__all__ = ["build_graph"]

_KEY = itemgetter(0, 1, 2)


def build_graph(store: Store, *, since: str | None = None, until: str | None = None,
                evidence: bool = True) -> nx.MultiDiGraph:
    """Entity nodes (type, name, aliases, iso3) and one typed edge per logical relation.

    Edge key is the relation type; attributes: type, modality, modalities, count,
    first_date, last_date, cameo, weight, article_ids, confidence, items, inferred
    and ``evidence`` (a list of dicts: article_id, sentence, start, end, rule,
    confidence, modality, date).  Symmetric relations are stored once, ends in
    id order.  ``since``/``until`` keep only evidence from articles in that date range.
    ``evidence=False`` leaves the ``evidence`` attribute out (every other one is the same)
    and reads no sentence: much faster on big stores.
    """
    g = nx.MultiDiGraph()
    for ent in store.entities():
        g.add_node(ent.id, type=ent.type, name=ent.name, aliases=list(ent.aliases), iso3=ent.iso3)
    if evidence:
        _add_full_edges(g, store, since, until)
    else:
        _add_summary_edges(g, store, since, until)
    return g


def _add_full_edges(g: nx.MultiDiGraph, store: Store, since: str | None, until: str | None) -> None:
    """Edges with their evidence, grouped from the raw rows (the aggregation of ``aggregate_relations``)."""
    for (s, p, o), group in groupby(store.evidence_rows(since=since, until=until), key=_KEY):
        rows = list(group)
        items: list[str] = []
        for r in rows:
            if r[10] != "[]":
                items.extend(i for i in json.loads(r[10]) if i not in items)
        mods = {r[3] for r in rows}
        dates = [r[14] for r in rows if r[14]]
        first = rows[0]
        g.add_edge(
            s, o, key=p, type=p,
            modality=best_modality(mods),
            modalities=[m for m in MODALITIES if m in mods],
            count=len(rows),
            first_date=min(dates) if dates else None,
            last_date=max(dates) if dates else None,
            cameo=first[12],
            weight=first[13],
            article_ids=sorted({r[4] for r in rows}),
            confidence=max(r[9] for r in rows),
            items=items,
            inferred=all(r[11] for r in rows),
            evidence=[{"article_id": r[4], "sentence": r[5], "start": r[6], "end": r[7], "rule": r[8],
                       "confidence": r[9], "modality": r[3], "date": r[14]} for r in rows],
        )


def _add_summary_edges(g: nx.MultiDiGraph, store: Store, since: str | None, until: str | None) -> None:
    """Edges without evidence, from per-relation aggregates computed by SQLite."""
    dated = {a: d for a, d in store.article_dates().items() if d}
    items: dict[tuple[str, str, str], list[str]] = {}
    for s, p, o, text in store.relation_items(since=since, until=until):
        seen = items.setdefault((s, p, o), [])
        seen.extend(i for i in json.loads(text) if i not in seen)
    for (s, p, o, count, mods_json, ids_json, confidence, inferred, w_min, w_max, c_min, c_max, c_count,
         _has_items) in store.relation_summaries(since=since, until=until):
        mods = set(json.loads(mods_json))
        article_ids = sorted(json.loads(ids_json))
        when = list(filter(None, map(dated.get, article_ids)))
        if w_min == w_max and c_min == c_max and c_count in (0, count):
            cameo, weight = c_min, w_min
        else:  # rows disagree (ontology changed between ingests): the first row's, as aggregate_relations
            cameo, weight = store.first_evidence(s, p, o, since=since, until=until)
        g.add_edge(
            s, o, key=p, type=p,
            modality=best_modality(mods),
            modalities=[m for m in MODALITIES if m in mods],
            count=count,
            first_date=min(when) if when else None,
            last_date=max(when) if when else None,
            cameo=cameo,
            weight=weight,
            article_ids=article_ids,
            confidence=confidence,
            items=items.get((s, p, o), []),
            inferred=bool(inferred),
        )
