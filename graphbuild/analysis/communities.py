"""Communities of actors: Louvain modularity on the undirected relation graph, seeded for determinism.

Two actors are tied by the evidence count of all their relations (any type,
either direction); actors without relations are left out.  The same graph and
seed always give the same communities (nodes and edges are added in id order).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from ..defaults import LOUVAIN_SEED

__all__ = ["DEFAULT_SEED", "Community", "communities"]

#: Seed of the Louvain method unless told otherwise.
DEFAULT_SEED = LOUVAIN_SEED


@dataclass(frozen=True)
class Community:
    """A community: its members (strongest first) and what holds it together."""

    index: int
    size: int
    members: list[dict[str, str]]
    types: dict[str, int]
    relations: dict[str, int]


def communities(graph: nx.MultiDiGraph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0,
                top: int | None = None) -> list[Community]:
    """Louvain communities, biggest first (ties: first member id); ``top`` limits members listed per community."""
    tie = nx.Graph()
    for u, v, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        if u == v:
            continue
        w = float(d.get("count", 1))
        if tie.has_edge(u, v):
            tie[u][v]["weight"] += w
        else:
            tie.add_edge(u, v, weight=w)
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(tie.nodes))
    ordered.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in tie.edges(data=True)))
    found = nx.community.louvain_communities(ordered, weight="weight", resolution=resolution, seed=seed)
    groups = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    member_of = {m: i for i, members in enumerate(groups) for m in members}
    inside_rels: list[Counter[str]] = [Counter() for _ in groups]
    for u, v, k in graph.edges(keys=True):  # one pass over the edges, not one per community
        cu = member_of.get(u)
        if cu is not None and cu == member_of.get(v):
            inside_rels[cu][k] += 1
    out = []
    for index, members in enumerate(groups, 1):
        strength = {m: ordered.degree(m, weight="weight") for m in members}
        ranked = sorted(members, key=lambda m: (-strength[m], graph.nodes[m]["name"], m))
        rels = inside_rels[index - 1]
        out.append(Community(
            index, len(members),
            [{"id": m, "name": graph.nodes[m]["name"], "type": graph.nodes[m]["type"]} for m in ranked[:top]],
            dict(Counter(graph.nodes[m]["type"] for m in members).most_common()),
            dict(sorted(rels.items(), key=lambda kv: (-kv[1], kv[0]))),
        ))
    return out
