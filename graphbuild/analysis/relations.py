"""Relation types by count and modality (a logical relation counts under its most factual modality)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from ..ontology import MODALITIES, RELATIONS

__all__ = ["RelationTypeCount", "relation_types"]


@dataclass(frozen=True)
class RelationTypeCount:
    """One relation type: logical relations by modality, evidence sentences and the type's signed weight."""

    type: str
    relations: int
    modalities: dict[str, int]
    evidence: int
    weight: float


def relation_types(graph: nx.MultiDiGraph) -> list[RelationTypeCount]:
    """Every relation type present, most relations first (ties in ontology order)."""
    rels: Counter[str] = Counter()
    evidence: Counter[str] = Counter()
    mods: dict[str, Counter[str]] = {}
    for *_ends, k, d in graph.edges(keys=True, data=True):
        rels[k] += 1
        evidence[k] += d.get("count", 1)
        mods.setdefault(k, Counter())[d["modality"]] += 1
    order = list(RELATIONS)
    return [RelationTypeCount(t, rels[t], {m: mods[t][m] for m in MODALITIES}, evidence[t], RELATIONS[t].weight)
            for t in sorted(rels, key=lambda t: (-rels[t], order.index(t)))]
