"""Find actors in the networkx graph the way the saved Cypher queries do.

An actor is given by its canonical id (exact), its ISO3 code, its name or one
of its aliases (those three case-insensitive, surrounding blanks ignored):
the same test as ``a.id = $actor OR toLower(a.name) = toLower(trim($actor)) OR
a.iso3 = toUpper(trim($actor)) OR any(alias IN a.aliases ...)`` in
``cypher/queries/``.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("country:RUS", type="Country", name="Russia", aliases=["Moscow"], iso3="RUS")
>>> match_actors(g, " moscow ")
['country:RUS']
>>> match_actors(g, "rus")
['country:RUS']
"""

from __future__ import annotations

import networkx as nx

__all__ = ["match_actors"]


def match_actors(graph: nx.MultiDiGraph, text: str) -> list[str]:
    """Ids of every node that ``text`` names (id, ISO3, name or alias), in id order."""
    folded = text.strip().lower()
    upper = text.strip().upper()
    found = []
    for node, attrs in graph.nodes(data=True):
        if (
            node == text
            or (attrs.get("name") or "").lower() == folded
            or (attrs.get("iso3") is not None and attrs.get("iso3") == upper)
            or any(alias.lower() == folded for alias in attrs.get("aliases") or ())
        ):
            found.append(node)
    return sorted(found)
