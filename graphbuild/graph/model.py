"""The graph model's edge: one logical relation ``(subject, type, object)`` with its aggregated facts.

This is the one place an edge's facts are decided.  :func:`edge_from` finishes a
:class:`~graphbuild.store.RelationAggregate` into a :class:`GraphEdge`; :func:`edges`
streams them, with their evidence when asked.  An aggregate comes from SQLite
(``Store.relation_aggregates``, no sentence read) or, where every row is read anyway, from
folding the rows (``store.reads.fold``, the specification).  Every target renders these
edges: networkx attributes (:func:`graphbuild.graph.nx.edge_attrs`), Neo4j and Cypher-script
rows (:func:`graphbuild.sinks.cypher.edge_row`) and the admin-import CSV (the same rows).
:func:`aggregate_relations` folds evidence rows into edges; the tests pin the SQL path of
every target to it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import NamedTuple
from itertools import groupby
from operator import itemgetter

from ..ontology import MODALITIES, best_modality, edge_key
from ..store import ALL_TIME, DateWindow, Key, RelationAggregate, Store, StoredRelation
from ..store.reads import fold

__all__ = ["GraphEdge", "aggregate_relations", "edge_from", "edges"]

#: The key of a StoredRelation (a named tuple): subject, predicate, object.
_KEY = itemgetter(0, 1, 2)


class GraphEdge(NamedTuple):
    """A logical relation with its aggregated facts and (when read with them) its evidence, in evidence order."""

    key: str
    subject: str
    predicate: str
    object: str
    modality: str
    modalities: tuple[str, ...]
    count: int
    first_date: str | None
    last_date: str | None
    cameo: str | None
    weight: float
    article_ids: tuple[str, ...]
    confidence: float
    items: tuple[str, ...]
    inferred: bool
    evidence: tuple[StoredRelation, ...] = ()


def edge_from(agg: RelationAggregate, dates: Mapping[str, str | None],
              evidence: tuple[StoredRelation, ...] = ()) -> GraphEdge:
    """The edge of one aggregate; ``dates`` maps article ids to their dates (first/last date).

    >>> agg = RelationAggregate("person:a", "MEETS", "person:b", 3, frozenset({"possible", "asserted"}),
    ...                         ("x", "y"), 0.9, False, "04", 3.0, ())
    >>> e = edge_from(agg, {"x": "2024-05-01", "y": None})
    >>> e.key, e.modality, e.modalities, e.first_date, e.last_date
    ('person:a|MEETS|person:b', 'asserted', ('asserted', 'possible'), '2024-05-01', '2024-05-01')
    """
    seen = [d for d in map(dates.get, agg.article_ids) if d]  # a hub relation has 10,000s of articles
    return GraphEdge(
        key=edge_key(agg.subject, agg.predicate, agg.object),
        subject=agg.subject,
        predicate=agg.predicate,
        object=agg.object,
        modality=best_modality(agg.modalities),
        modalities=tuple(m for m in MODALITIES if m in agg.modalities),
        count=agg.count,
        first_date=min(seen) if seen else None,
        last_date=max(seen) if seen else None,
        cameo=agg.cameo,
        weight=agg.weight,
        article_ids=agg.article_ids,
        confidence=agg.confidence,
        items=agg.items,
        inferred=agg.inferred,
        evidence=evidence,
    )


def edges(store: Store, window: DateWindow = ALL_TIME, *, keys: Collection[Key] | None = None,
          evidence: bool = False) -> Iterator[GraphEdge]:
    """Every logical relation with evidence in ``window`` (or only ``keys``), by key.

    Without evidence the aggregates come from SQLite (no sentence read); with it, every row
    is read anyway, so each relation's rows are folded (:func:`graphbuild.store.reads.fold`)
    and put on the edge in evidence order.
    """
    dates = store.article_dates()
    if not evidence:
        for agg in store.relation_aggregates(window, keys=keys):
            yield edge_from(agg, dates)
        return
    for _key, group in groupby(store.evidence(window, keys=keys), key=_KEY):
        rows = tuple(group)
        yield edge_from(fold(rows), dates, rows)


def aggregate_relations(rows: Iterable[StoredRelation]) -> Iterator[GraphEdge]:
    """The specification: evidence rows (sorted by key, as :meth:`Store.evidence` yields them) into edges.

    An edge is ``inferred`` only when every piece of its evidence is inferred; cameo and
    weight are the first row's; items the ordered union in evidence order; first and last
    dates from the rows' articles.  The SQL aggregates of the store are pinned to this.
    """
    for _key, group in groupby(rows, key=_KEY):
        ev = tuple(group)
        yield edge_from(fold(ev), {r.article_id: r.article_date for r in ev}, ev)
