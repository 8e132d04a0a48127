"""Shortest paths between two actors over their relations, with the relation type of every hop.

Paths run over entity-to-entity relations in either direction (a hop may go
against the stored direction); parallel relations between the same two actors
give distinct paths, as Cypher's ``allShortestPaths`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import networkx as nx

from ..ontology import SYMMETRIC

__all__ = ["NamedPath", "RelationPath", "Step", "find_paths", "path_text", "shortest_relation_paths"]


@dataclass(frozen=True)
class Step:
    """One hop: the relation type and whether it is stored from the previous node to the next."""

    type: str
    forward: bool

    @property
    def symmetric(self) -> bool:
        """True for a type whose direction carries no meaning (``MEETS``, ...)."""
        return self.type in SYMMETRIC


@dataclass(frozen=True)
class RelationPath:
    """A path: node ids (``len(steps) + 1`` of them) and the relation of each hop."""

    nodes: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def hops(self) -> int:
        """Number of relations on the path."""
        return len(self.steps)


def path_text(names: list[str] | tuple[str, ...], steps: tuple[Step, ...]) -> str:
    """``A -[T]-> B <-[U]- C -[MEETS]- D``: stored direction by arrow, symmetric types without one.

    >>> path_text(["Kim", "Putin", "Russia"], (Step("MEETS", False), Step("LEADER_OF", True)))
    'Kim -[MEETS]- Putin -[LEADER_OF]-> Russia'
    """
    text = names[0]
    for step, name in zip(steps, names[1:]):
        if step.symmetric:
            text += f" -[{step.type}]- "
        elif step.forward:
            text += f" -[{step.type}]-> "
        else:
            text += f" <-[{step.type}]- "
        text += name
    return text


def shortest_relation_paths(graph: nx.MultiDiGraph, source: str, target: str, *,
                            max_hops: int = 6) -> list[RelationPath]:
    """Every shortest path from ``source`` to ``target`` of at most ``max_hops`` relations (none if equal)."""
    if source == target or source not in graph or target not in graph:
        return []
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    try:
        node_paths = list(nx.all_shortest_paths(simple, source, target))
    except nx.NetworkXNoPath:
        return []
    out: list[RelationPath] = []
    for nodes in node_paths:
        if len(nodes) - 1 > max_hops:
            continue
        options = []
        for u, v in zip(nodes, nodes[1:]):
            hop = [Step(k, True) for k in sorted(graph.get_edge_data(u, v, default={}))]
            hop += [Step(k, False) for k in sorted(graph.get_edge_data(v, u, default={}))]
            options.append(hop)
        out.extend(RelationPath(tuple(nodes), tuple(steps)) for steps in product(*options))
    return out


@dataclass(frozen=True)
class NamedPath:
    """A shortest path as shown to a reader: hops, ``A -[T]-> B`` text, names, ids and relation types."""

    hops: int
    text: str
    names: list[str]
    ids: list[str]
    relations: list[str]


def find_paths(graph: nx.MultiDiGraph, source: str, target: str, *, limit: int = 25,
               max_hops: int = 6) -> list[NamedPath]:
    """Shortest paths between the actors named ``source`` and ``target`` (see :func:`resolve_actor`), by text."""
    from .actor import resolve_actor

    a, b = resolve_actor(graph, source), resolve_actor(graph, target)
    out = []
    for path in shortest_relation_paths(graph, a, b, max_hops=max_hops):
        names = [graph.nodes[n]["name"] for n in path.nodes]
        out.append(NamedPath(path.hops, path_text(names, path.steps), names, list(path.nodes),
                             [s.type for s in path.steps]))
    out.sort(key=lambda p: (p.hops, p.text))
    return out[:limit]
