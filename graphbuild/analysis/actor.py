"""One actor's ego network: its relations grouped by type, direction and modality, and its stance balance.

The balance follows the saved query ``dyads``: each relation adds its ontology
weight (cooperation > 0, conflict < 0) times the number of articles stating it;
relations only ever denied and zero-weight types (``LEADER_OF``, ...) add nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from ..errors import InputError
from ..graph.lookup import match_actors
from ..graph.stance import direction as direction_of, edge_score, incident, stance_of
from ..ontology import MODALITIES, RELATIONS

__all__ = ["Balance", "EgoNetwork", "RelationGroup", "ego_network", "resolve_actor"]


@dataclass(frozen=True)
class RelationGroup:
    """Relations of one type, direction (out/in/both) and modality, with their counterparts."""

    type: str
    direction: str
    modality: str
    relations: int
    evidence: int
    counterparts: list[str]


@dataclass(frozen=True)
class Balance:
    """Cooperative vs hostile weight (weight x articles); ``stance`` from the net."""

    cooperative: float
    hostile: float
    net: float
    stance: str


@dataclass(frozen=True)
class CounterpartBalance:
    """The balance with one counterpart."""

    id: str
    name: str
    type: str
    balance: Balance


@dataclass(frozen=True)
class EgoNetwork:
    """An actor, its neighbours, its relations grouped, and its stance overall and per counterpart."""

    id: str
    name: str
    type: str
    aliases: list[str]
    iso3: str | None
    neighbours: int
    relations: int
    evidence: int
    groups: list[RelationGroup]
    balance: Balance
    counterparts: list[CounterpartBalance]


def resolve_actor(graph: nx.MultiDiGraph, text: str) -> str:
    """The one actor ``text`` names (id, ISO3, name or alias, any case), or :class:`InputError`."""
    found = match_actors(graph, text)
    if not found:
        raise InputError(f"no actor matches {text!r}; give an id (country:RUS), an ISO3 code, a name or an alias "
                         "(`graphbuild stats` counts them)")
    if len(found) > 1:
        names = ", ".join(f"{i} ({graph.nodes[i]['name']})" for i in found)
        raise InputError(f"{text!r} names several actors: {names}; give the id")
    return found[0]


def _balance(friendly: float, hostile: float) -> Balance:
    return Balance(*stance_of(friendly, hostile))


def ego_network(graph: nx.MultiDiGraph, actor: str) -> EgoNetwork:
    """The ego network of the actor named by ``actor``."""
    node = resolve_actor(graph, actor)
    attrs = graph.nodes[node]
    groups: dict[tuple[str, str, str], list[tuple[str, int]]] = defaultdict(list)
    per_other: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    touching = list(incident(graph, node))
    for s, _o, k, d, other in touching:
        groups[(k, direction_of(k, s, node), d["modality"])].append((other, d["count"]))
        score = edge_score(d)
        if score:
            per_other[other][0 if score > 0 else 1] += score
    order = list(RELATIONS)
    out_groups = []
    for (k, direction, modality), items in sorted(
            groups.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1], MODALITIES.index(kv[0][2]))):
        items.sort(key=lambda it: (-it[1], graph.nodes[it[0]]["name"], it[0]))
        out_groups.append(RelationGroup(k, direction, modality, len(items), sum(c for _, c in items),
                                        [graph.nodes[o]["name"] for o, _ in items]))
    counterparts = [CounterpartBalance(o, graph.nodes[o]["name"], graph.nodes[o]["type"], _balance(f, h))
                    for o, (f, h) in per_other.items()]
    counterparts.sort(key=lambda c: (-abs(c.balance.net), c.name, c.id))
    return EgoNetwork(
        node, attrs["name"], attrs["type"], list(attrs.get("aliases") or []), attrs.get("iso3"),
        len({other for *_x, other in touching}), len(touching), sum(d["count"] for _s, _o, _k, d, _x in touching),
        out_groups,
        _balance(sum(f for f, _ in per_other.values()), sum(h for _, h in per_other.values())),
        counterparts,
    )
