"""Build the networkx ``MultiDiGraph`` from the embedded store (analysis and export read this)."""

from __future__ import annotations

from dataclasses import asdict

import networkx as nx

from ..sinks.store import Store
from .model import aggregate_relations

__all__ = ["build_graph"]


def build_graph(store: Store, *, since: str | None = None, until: str | None = None) -> nx.MultiDiGraph:
    """Entity nodes (type, name, aliases, iso3) and one typed edge per logical relation.

    Edge key is the relation type; attributes: type, modality, modalities, count,
    first_date, last_date, cameo, weight, article_ids, confidence, items, inferred
    and ``evidence`` (a list of dicts: article_id, sentence, start, end, rule,
    confidence, modality, date).  Symmetric relations are stored once, ends in
    id order.  ``since``/``until`` keep only evidence from articles in that date range.
    """
    g = nx.MultiDiGraph()
    for ent in store.entities():
        g.add_node(ent.id, type=ent.type, name=ent.name, aliases=list(ent.aliases), iso3=ent.iso3)
    for edge in aggregate_relations(store.relations(since=since, until=until)):
        g.add_edge(
            edge.subject,
            edge.object,
            key=edge.predicate,
            type=edge.predicate,
            modality=edge.modality,
            modalities=list(edge.modalities),
            count=edge.count,
            first_date=edge.first_date,
            last_date=edge.last_date,
            cameo=edge.cameo,
            weight=edge.weight,
            article_ids=list(edge.article_ids),
            confidence=edge.confidence,
            items=list(edge.items),
            inferred=edge.inferred,
            evidence=[
                {**asdict(e.evidence), "modality": e.modality, "date": e.article_date} for e in edge.evidence
            ],
        )
    return g
