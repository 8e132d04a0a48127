"""Contested relations: what one claimant asserts and another denies, with who stands on each side."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

__all__ = ["ContestedRelation", "contested_relations"]


@dataclass(frozen=True)
class ContestedRelation:
    """One contested relation: its ends, corroboration, and the claimants claiming (asserted, or an
    accusation read as possible or promised) and denying it."""

    subject: str
    subject_name: str
    type: str
    object: str
    object_name: str
    articles: int
    outlets: int
    corroboration: float
    first_date: str | None
    last_date: str | None
    asserted_by: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)


def contested_relations(graph: nx.MultiDiGraph,
                        evidence_of: Callable[[str, str, str], Iterable[dict[str, Any]]] | None = None,
                        ) -> list[ContestedRelation]:
    """Every edge flagged ``contested``, most outlets first (then names); ``evidence_of(subject, type, object)``
    gives an edge's evidence dicts when the graph was built without them (claimants are named from them).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", name="A"); g.add_node("b", name="B"); g.add_node("c", name="C")
    >>> g.add_edge("a", "b", key="ATTACKS", contested=True, articles=2, outlets=1, corroboration=0.9,
    ...            first_date="2024-05", last_date="2024-05-07", evidence=[
    ...            {"modality": "asserted", "claimed_by": "c"}, {"modality": "denied", "claimed_by": "a"}])
    'ATTACKS'
    >>> r = contested_relations(g)[0]
    >>> r.type, r.asserted_by, r.denied_by
    ('ATTACKS', ['C'], ['A'])
    """
    def name(node: str) -> str:
        return graph.nodes[node].get("name", node) if node in graph else node

    out = []
    for s, o, k, d in graph.edges(keys=True, data=True):
        if not d.get("contested"):
            continue
        rows = d["evidence"] if "evidence" in d or evidence_of is None else evidence_of(s, k, o)
        sides: dict[str, list[str]] = {"asserted": [], "denied": []}
        for ev in rows or ():
            side = sides["denied" if ev["modality"] == "denied" else "asserted"]
            who = name(ev.get("claimed_by") or "") or "(the article)"
            if who not in side:
                side.append(who)
        out.append(ContestedRelation(s, name(s), k, o, name(o), d["articles"], d["outlets"], d["corroboration"],
                                     d["first_date"], d["last_date"], sides["asserted"], sides["denied"]))
    out.sort(key=lambda r: (-r.outlets, -r.articles, r.subject_name, r.type, r.object_name))
    return out
