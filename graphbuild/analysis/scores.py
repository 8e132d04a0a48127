"""Per-actor scores the graph writers put on entity nodes: PageRank, degree, community, rank.

The same numbers ``graphbuild analyze`` reports (:mod:`.centrality`, :mod:`.communities`), for
every entity at once, so a Neo4j Browser user can order, filter and size actors by them.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .centrality import weighted_pagerank
from .communities import DEFAULT_SEED, communities

__all__ = ["ActorRank", "actor_ranks"]


@dataclass(frozen=True)
class ActorRank:
    """One entity's scores.

    ``pagerank``: weighted PageRank (rounded to 6 places, as ``analyze`` shows it);
    ``degree``: logical relations touching the actor; ``community``: the index of its
    Louvain community in ``analyze`` (1 = the biggest), None without relations;
    ``rank``: its place by PageRank among actors with relations (1 = highest; ties by id),
    None without relations.
    """

    pagerank: float
    degree: int
    community: int | None
    rank: int | None


def actor_ranks(graph: nx.MultiDiGraph, *, seed: int = DEFAULT_SEED) -> dict[str, ActorRank]:
    """The scores of every node of the relation graph (:func:`graphbuild.graph.build_graph`).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"name": "A", "type": "Country"}), ("b", {"name": "B", "type": "Country"}),
    ...                   ("c", {"name": "C", "type": "Person"})])
    >>> g.add_edge("a", "b", key="MEETS", count=1)
    'MEETS'
    >>> r = actor_ranks(g)
    >>> r["a"], r["c"]  # exactly 20/43 and 3/43 at the fixed point; the iteration stops within 1e-6
    (ActorRank(pagerank=0.465116, degree=1, community=1, rank=1), ActorRank(pagerank=0.069768, degree=0, community=None, rank=None))
    """
    pagerank = weighted_pagerank(graph)
    member_of = {m["id"]: c.index for c in communities(graph, seed=seed) for m in c.members}
    connected = sorted((n for n in graph.nodes if graph.degree(n)), key=lambda n: (-pagerank[n], n))
    rank = {n: i for i, n in enumerate(connected, 1)}
    return {n: ActorRank(round(pagerank[n], 6), graph.degree(n), member_of.get(n), rank.get(n))
            for n in graph.nodes}
