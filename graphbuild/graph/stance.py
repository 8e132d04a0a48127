"""What an actor's edges say about it, shared by ``analyze --actor`` and the offline saved queries.

The relations touching a node as ``(a)-[r]-(o)`` matches them, their direction, the
signed score of an edge (ontology weight x articles; denied relations and zero-weight
types score nothing) and the stance of a balance, rounded as Neo4j rounds so that the
offline answers equal the Cypher ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import networkx as nx

from ..ontology import SYMMETRIC

__all__ = ["cypher_round", "direction", "edge_score", "incident", "stance_of"]


def cypher_round(value: float, digits: int = 2) -> float:
    """``round(value, digits)`` as Neo4j computes it: half away from zero on the shortest decimal text.

    >>> cypher_round(2.675), round(2.675, 2)
    (2.68, 2.67)
    >>> cypher_round(-16.4)
    -16.4
    """
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def incident(graph: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, str, str, dict[str, Any], str]]:
    """``(subject, object, type, attrs, other end)`` of every relation touching ``node``; a self-loop once."""
    for s, o, k, d in graph.out_edges(node, keys=True, data=True):
        yield s, o, k, d, o
    for s, o, k, d in graph.in_edges(node, keys=True, data=True):
        if s != o:
            yield s, o, k, d, s


def direction(predicate: str, subject: str, node: str) -> str:
    """``both`` for a symmetric type, else ``out`` when ``node`` is the subject, ``in`` otherwise.

    >>> direction("MEETS", "a", "b"), direction("ATTACKS", "a", "a"), direction("ATTACKS", "a", "b")
    ('both', 'out', 'in')
    """
    if predicate in SYMMETRIC:
        return "both"
    return "out" if subject == node else "in"


def edge_score(attrs: dict[str, Any]) -> float:
    """Signed weight of an edge: ontology weight x articles stating it; 0 when only denied.

    >>> edge_score({"weight": -8.0, "article_ids": ["a", "b"], "modality": "asserted"})
    -16.0
    >>> edge_score({"weight": 3.0, "article_ids": ["a"], "modality": "denied"})
    0.0
    """
    if not attrs["weight"] or attrs["modality"] == "denied":
        return 0.0
    return attrs["weight"] * len(attrs["article_ids"])


def stance_of(friendly: float, hostile: float) -> tuple[float, float, float, str]:
    """``(friendly, hostile, net, stance)`` rounded as Neo4j rounds; stance from the sign of the net.

    >>> stance_of(3.0, -8.5)
    (3.0, -8.5, -5.5, 'hostile')
    """
    net = cypher_round(friendly + hostile)
    stance = "hostile" if net < 0 else "friendly" if net > 0 else "neutral"
    return cypher_round(friendly), cypher_round(hostile), net, stance
