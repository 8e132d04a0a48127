"""The graph model's edge: one logical relation ``(subject, type, object)`` with its aggregated facts.

This is the one place an edge's facts are decided.  :func:`edge_from` finishes a
:class:`~graphbuild.store.RelationAggregate` into a :class:`GraphEdge`; :func:`edges`
streams them, with their evidence when asked.  An aggregate comes from SQLite
(``Store.relation_aggregates``, no sentence read) or, where every row is read anyway, from
folding the rows (``store.reads.fold``, the specification).  Every target renders these
edges: networkx attributes (:func:`graphbuild.graph.nx.edge_attrs`), Neo4j and Cypher-script
rows (:func:`graphbuild.sinks.cypher.edge_row`) and the admin-import CSV (the same rows).
:func:`aggregate_relations` folds evidence rows into edges; the tests pin the SQL path of
every target to it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import NamedTuple
from itertools import groupby
from operator import itemgetter

from ..ontology import MODALITIES, MODALITY_RANK, best_modality, edge_key
from ..store import ALL_TIME, DateWindow, Key, RelationAggregate, Store, StoredRelation
from ..store.reads import fold

__all__ = ["GraphEdge", "aggregate_relations", "edge_from", "edges", "pick_example"]

#: The key of a StoredRelation (a named tuple): subject, predicate, object.
_KEY = itemgetter(0, 1, 2)


class GraphEdge(NamedTuple):
    """A logical relation with its aggregated facts and (when read with them) its evidence, in evidence order."""

    key: str
    subject: str
    predicate: str
    object: str
    modality: str
    modalities: tuple[str, ...]
    count: int
    first_date: str | None
    last_date: str | None
    cameo: str | None
    weight: float
    article_ids: tuple[str, ...]
    confidence: float
    items: tuple[str, ...]
    inferred: bool
    evidence: tuple[StoredRelation, ...] = ()
    #: ``(article_id, sentence)`` of the example sentence (:func:`pick_example`), when read.
    example: tuple[str, str] | None = None
    #: One claimant asserts it and another denies it.
    contested: bool = False
    #: Distinct articles and distinct outlets (article ``source``) reporting it.
    articles: int = 0
    outlets: int = 0
    #: Noisy-or of the evidence confidences, each outlet counted once (its most confident article).
    corroboration: float = 0.0
    #: Where first/last dates come from: ``event`` (the sentences' own dates), ``published`` (the
    #: articles' dates), ``mixed``, or "" when undated.
    dated_by: str = ""


def pick_example(rows: Iterable[StoredRelation]) -> tuple[str, str] | None:
    """``(article_id, sentence)`` of the most factual, highest-confidence row; the first in evidence order on a tie.

    The specification of :meth:`Store.relation_examples` (SQL, for scale).

    >>> from graphbuild.store import StoredRelation
    >>> row = lambda mod, conf, s: StoredRelation("a", "MEETS", "b", mod, "x", s, 0, 1, "r", conf, (), False,
    ...                                          "04", 1.0, None)
    >>> pick_example([row("possible", 0.9, "may meet"), row("asserted", 0.6, "met"), row("asserted", 0.8, "met again")])
    ('x', 'met again')
    """
    best, best_rank = None, None
    for r in rows:
        rank = (MODALITY_RANK.get(r.modality, 9), -r.confidence)
        if best_rank is None or rank < best_rank:
            best, best_rank = (r.article_id, r.sentence), rank
    return best


def _dates(agg: RelationAggregate, dates: Mapping[str, str | None]) -> tuple[list[str], str]:
    """The dates of an aggregate's evidence (the event date when known, else the article's), and where
    they come from (``event``, ``published``, ``mixed`` or "")."""
    if not agg.dated:
        seen = [d for d in map(dates.get, agg.article_ids) if d]  # a hub relation has 10,000s of articles
        return seen, "published" if seen else ""
    seen, kinds = [], set()
    for aid, when in agg.dated:
        if when:
            seen.append(when)
            kinds.add("event")
        elif d := dates.get(aid):
            seen.append(d)
            kinds.add("published")
    return seen, "mixed" if len(kinds) > 1 else next(iter(kinds), "")


def edge_from(agg: RelationAggregate, dates: Mapping[str, str | None],
              evidence: tuple[StoredRelation, ...] = (), example: tuple[str, str] | None = None,
              sources: Mapping[str, str | None] | None = None) -> GraphEdge:
    """The edge of one aggregate; ``dates`` maps article ids to their dates (first/last date when a
    sentence has no event date), ``sources`` to their outlets (corroboration).

    The example sentence is picked from ``evidence`` when given, else ``example`` is kept.

    >>> agg = RelationAggregate("person:a", "MEETS", "person:b", 3, frozenset({"possible", "asserted"}),
    ...                         ("x", "y"), 0.9, False, "04", 3.0, ())
    >>> e = edge_from(agg, {"x": "2024-05-01", "y": None})
    >>> e.key, e.modality, e.modalities, e.first_date, e.last_date
    ('person:a|MEETS|person:b', 'asserted', ('asserted', 'possible'), '2024-05-01', '2024-05-01')
    """
    seen, dated_by = _dates(agg, dates)
    n_articles, n_outlets, combined = agg.corroboration(sources or {})  # no copy: once per edge
    return GraphEdge(
        key=edge_key(agg.subject, agg.predicate, agg.object),
        subject=agg.subject,
        predicate=agg.predicate,
        object=agg.object,
        modality=best_modality(agg.modalities),
        modalities=tuple(m for m in MODALITIES if m in agg.modalities),
        count=agg.count,
        first_date=min(seen) if seen else None,
        last_date=max(seen) if seen else None,
        cameo=agg.cameo,
        weight=agg.weight,
        article_ids=agg.article_ids,
        confidence=agg.confidence,
        items=agg.items,
        inferred=agg.inferred,
        evidence=evidence,
        example=pick_example(evidence) if evidence else example,
        contested=agg.contested,
        articles=len(agg.article_ids),
        outlets=n_outlets if agg.scores else len(agg.article_ids),
        corroboration=combined if agg.scores else agg.confidence,
        dated_by=dated_by,
    )


def edges(store: Store, window: DateWindow = ALL_TIME, *, keys: Collection[Key] | None = None,
          evidence: bool = False, examples: bool = False) -> Iterator[GraphEdge]:
    """Every logical relation with evidence in ``window`` (or only ``keys``), by key.

    Without evidence the aggregates come from SQLite (no sentence read; ``examples`` adds each
    edge's example sentence, one more query); with it, every row is read anyway, so each
    relation's rows are folded (:func:`graphbuild.store.reads.fold`) and put on the edge in
    evidence order, with the example picked from them.
    """
    dates = store.article_dates()
    sources = store.article_sources()
    if not evidence:
        found = store.relation_examples(window, keys=keys) if examples else {}
        for agg in store.relation_aggregates(window, keys=keys):
            yield edge_from(agg, dates, example=found.get((agg.subject, agg.predicate, agg.object)),
                            sources=sources)
        return
    for _key, group in groupby(store.evidence(window, keys=keys), key=_KEY):
        rows = tuple(group)
        yield edge_from(fold(rows), dates, rows, sources=sources)


def aggregate_relations(rows: Iterable[StoredRelation]) -> Iterator[GraphEdge]:
    """The specification: evidence rows (sorted by key, as :meth:`Store.evidence` yields them) into edges.

    An edge is ``inferred`` only when every piece of its evidence is inferred; cameo and
    weight are the first row's; items the ordered union in evidence order; first and last
    dates from the rows' articles.  The SQL aggregates of the store are pinned to this.
    """
    for _key, group in groupby(rows, key=_KEY):
        ev = tuple(group)
        yield edge_from(fold(ev), {r.article_id: r.article_date for r in ev}, ev,
                        sources={r.article_id: r.source for r in ev})
