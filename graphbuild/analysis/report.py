"""The whole analysis in one call, and the date window it runs on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import networkx as nx

from ..errors import InputError
from .centrality import ActorScore, centrality
from .communities import DEFAULT_SEED, Community, communities
from .relations import RelationTypeCount, relation_types

__all__ = ["Overview", "date_window", "overview"]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check(flag: str, value: str | None) -> None:
    if value is None:
        return
    if _DATE.match(value):
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            date(*parts[:3])
            return
        except ValueError:
            pass
    raise InputError(f"{flag} {value}: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)")


def date_window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Bounds for :func:`graphbuild.graph.build_graph` (inclusive): a partial ``until`` covers its whole period.

    ISO dates compare as text, so ``until=2024-03`` becomes ``2024-03`` followed by
    the highest character: every day of March 2024 sorts before it.

    >>> date_window("2024", "2024-03")
    ('2024', '2024-03\\uffff')
    """
    _check("--since", since)
    _check("--until", until)
    if until is not None and len(until) < 10:
        until += "\uffff"
    return since, until


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
