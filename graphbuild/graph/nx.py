"""Build the networkx ``MultiDiGraph`` from the embedded store (analysis and export read this).

Nodes are entities; each edge is one :class:`~graphbuild.graph.model.GraphEdge`, with its
evidence sentences (export, viz) or without them (analysis and offline queries: no
sentence is read, seconds on 100k articles).
"""

from __future__ import annotations

import gc
from typing import Any

import networkx as nx

from ..store import ALL_TIME, DateWindow, Store, StoredRelation
from .model import GraphEdge, edges

__all__ = ["build_graph", "edge_attrs", "evidence_attrs"]


def evidence_attrs(row: StoredRelation) -> dict[str, Any]:
    """One piece of evidence as the ``evidence`` list of an nx edge holds it."""
    (_s, _p, _o, modality, article_id, sentence, start, end, rule, confidence, _i, _n, _c, _w, date,
     who, when, precision, source) = row  # fast on millions
    return {"article_id": article_id, "sentence": sentence, "start": start, "end": end, "rule": rule,
            "confidence": confidence, "modality": modality, "date": date, "claimed_by": who,
            "event_date": when, "date_precision": precision, "source": source}


def edge_attrs(edge: GraphEdge, *, evidence: bool = True) -> dict[str, Any]:
    """The networkx attributes of an edge; ``evidence=False`` leaves the ``evidence`` list out."""
    attrs: dict[str, Any] = {
        "type": edge.predicate, "modality": edge.modality, "modalities": list(edge.modalities),
        "count": edge.count, "first_date": edge.first_date, "last_date": edge.last_date, "cameo": edge.cameo,
        "weight": edge.weight, "article_ids": list(edge.article_ids), "confidence": edge.confidence,
        "items": list(edge.items), "inferred": edge.inferred, "contested": edge.contested,
        "articles": edge.articles, "outlets": edge.outlets, "corroboration": edge.corroboration,
        "dated_by": edge.dated_by,
    }
    if evidence:
        attrs["evidence"] = [evidence_attrs(r) for r in edge.evidence]
    return attrs


def build_graph(store: Store, window: DateWindow = ALL_TIME, *, evidence: bool = True) -> nx.MultiDiGraph:
    """Entity nodes (type, name, aliases, iso3) and one typed edge per logical relation.

    Edge key is the relation type; attributes: :func:`edge_attrs`.  Symmetric relations
    are stored once, ends in id order.  ``window`` keeps only evidence from articles in
    that date range.  ``evidence=False`` leaves the ``evidence`` attribute out (every other
    one is the same) and reads no sentence: much faster on big stores.
    """
    g = nx.MultiDiGraph()
    paused = gc.isenabled()
    gc.disable()  # millions of acyclic rows and dicts: the cyclic collector would rescan the growing heap
    try:
        with store.snapshot():  # entities and edges from one state of the store (an ingest may be committing)
            for ent in store.entities():
                g.add_node(ent.id, type=ent.type, name=ent.name, aliases=list(ent.aliases), iso3=ent.iso3)
            for e in edges(store, window, evidence=evidence):
                g.add_edge(e.subject, e.object, key=e.predicate, **edge_attrs(e, evidence=evidence))
    finally:
        if paused:
            gc.enable()
    return g
