"""The whole analysis in one call."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .centrality import ActorScore, centrality
from .communities import DEFAULT_SEED, Community, communities
from .relations import RelationTypeCount, relation_types

__all__ = ["Overview", "overview"]

@dataclass(frozen=True)
class Overview:
    """Size, central actors per type, communities and relation types of a graph."""

    actors: int
    relations: int
    evidence: int
    central: dict[str, list[ActorScore]]
    communities: list[Community]
    relation_types: list[RelationTypeCount]


def overview(graph: nx.MultiDiGraph, *, top: int = 10, by: str = "pagerank", seed: int = DEFAULT_SEED) -> Overview:
    """Central actors (``top`` per type, ranked ``by``), Louvain communities (``seed``) and relation types."""
    return Overview(
        sum(1 for n in graph if graph.degree(n)),
        graph.number_of_edges(),
        sum(d.get("count", 1) for *_e, d in graph.edges(data=True)),
        centrality(graph, top=top, by=by, seed=seed),
        communities(graph, seed=seed, top=top),
        relation_types(graph),
    )
