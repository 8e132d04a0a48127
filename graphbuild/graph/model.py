"""The graph model's edge: one logical relation ``(subject, type, object)`` with its aggregated facts.

This is the one place an edge's facts are decided.  :func:`edge_from` finishes a
:class:`~graphbuild.store.RelationAggregate` (read from the store by SQLite) into a
:class:`GraphEdge`; :func:`edges` streams them, with their evidence when asked.  Every
target renders these edges: networkx attributes (:func:`graphbuild.graph.nx.edge_attrs`),
Neo4j and Cypher-script rows (:func:`graphbuild.sinks.cypher.edge_row`) and the admin-import
CSV (the same rows).  :func:`aggregate_relations` is the executable specification: the
same edges folded in plain Python from the evidence rows, which the tests pin every
target to.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby

from ..ontology import MODALITIES, best_modality, edge_key
from ..store import ALL_TIME, DateWindow, Key, RelationAggregate, Store, StoredRelation

__all__ = ["GraphEdge", "aggregate_relations", "edge_from", "edges"]


@dataclass(frozen=True)
class GraphEdge:
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

    The aggregates come from SQLite; ``evidence=True`` also reads the sentences (one more
    pass, merged by key) and puts them on each edge in evidence order.
    """
    dates = store.article_dates()
    aggregates = store.relation_aggregates(window, keys=keys)
    if not evidence:
        for agg in aggregates:
            yield edge_from(agg, dates)
        return
    rows = groupby(store.evidence(window, keys=keys), key=lambda r: r.key)
    for agg in aggregates:
        key, group = next(rows)
        if key != agg[:3]:  # both read the same rows in the same order: a mismatch is a store bug
            raise RuntimeError(f"evidence and aggregates disagree at {key} / {agg[:3]}")
        yield edge_from(agg, dates, tuple(group))


def aggregate_relations(rows: Iterable[StoredRelation]) -> Iterator[GraphEdge]:
    """The specification: group evidence rows (sorted by key, as :meth:`Store.evidence` yields them) into edges.

    An edge is ``inferred`` only when every piece of its evidence is inferred; cameo and
    weight are the first row's; items the ordered union in evidence order.
    """
    for (s, p, o), group in groupby(rows, key=lambda r: (r.subject, r.predicate, r.object)):
        ev = list(group)
        dates = sorted(r.article_date for r in ev if r.article_date)
        items: list[str] = []
        for r in ev:
            items.extend(i for i in r.items if i not in items)
        mods = [r.modality for r in ev]
        yield GraphEdge(
            key=edge_key(s, p, o),
            subject=s,
            predicate=p,
            object=o,
            modality=best_modality(mods),
            modalities=tuple(m for m in MODALITIES if m in mods),
            count=len(ev),
            first_date=dates[0] if dates else None,
            last_date=dates[-1] if dates else None,
            cameo=ev[0].cameo,
            weight=ev[0].weight,
            article_ids=tuple(sorted({r.evidence.article_id for r in ev})),
            confidence=max(r.evidence.confidence for r in ev),
            items=tuple(items),
            inferred=all(r.inferred for r in ev),
            evidence=tuple(ev),
        )
