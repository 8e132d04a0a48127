"""Aggregate evidence rows into logical relations: one edge per (subject, type, object).

This is the one definition of an edge's aggregated facts.  The Cypher script and
the exports read :class:`GraphEdge`; the networkx build and the Neo4j loader compute
the same values faster from raw rows or SQL aggregates on big stores, and tests pin
them to this function (``tests/test_graph_build.py``, the Neo4j round-trip tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from ..models import Evidence
from ..ontology import MODALITIES, MODALITY_RANK
from ..sinks.store import StoredRelation

__all__ = ["EvidenceRow", "GraphEdge", "aggregate_relations", "best_modality", "edge_key"]


def edge_key(subject: str, predicate: str, obj: str) -> str:
    """Stable key of a logical relation.

    >>> edge_key("country:PRK", "SUPPLIES_ARMS_TO", "country:RUS")
    'country:PRK|SUPPLIES_ARMS_TO|country:RUS'
    """
    return f"{subject}|{predicate}|{obj}"


def best_modality(modalities: Iterable[str]) -> str:
    """The most factual modality (asserted > promised > possible > denied).

    >>> best_modality(["possible", "promised"])
    'promised'
    """
    return min(modalities, key=lambda m: (MODALITY_RANK[m], MODALITIES.index(m)))


@dataclass(frozen=True)
class EvidenceRow:
    """One piece of evidence on an edge, with the modality that sentence gave."""

    modality: str
    evidence: Evidence
    article_date: str | None
    items: tuple[str, ...]
    inferred: bool


@dataclass(frozen=True)
class GraphEdge:
    """A logical relation with its aggregated facts and all its evidence."""

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
    evidence: tuple[EvidenceRow, ...]


def aggregate_relations(rows: Iterable[StoredRelation]) -> Iterator[GraphEdge]:
    """Group evidence rows (sorted by subject, predicate, object, as the store yields them) into edges.

    An edge is ``inferred`` only when every piece of its evidence is inferred.
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
            evidence=tuple(EvidenceRow(r.modality, r.evidence, r.article_date, r.items, r.inferred) for r in ev),
        )
