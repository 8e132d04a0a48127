"""The daily increment from a lake, on Spark, in the shape ``graphbuild load`` takes a store.

``build_delta(spark, lake, since)`` works out what the ingest dates from ``since`` on change
in a graph already loaded from the earlier dates (by ``neo4j-admin`` import of
:mod:`graphbuild.spark_graph`'s files, or by ``graphbuild load``):

* the delta's articles: those whose kept version (:mod:`graphbuild.spark_graph`) comes from the
  new dates (new, or changed), and the older articles whose ids the new names moved
  (identity decided over all dates vs over the earlier ones; their ``sha256`` gets a
  ``+r<hash of their new ids>`` suffix, so ``load`` sees them changed, as the store's
  ``+r<n>`` does);
* every relation their evidence touches, old (the earlier version, earlier ids) or new,
  re-aggregated from all its evidence in the lake;
* every entity (``load`` deletes the nodes no entity has any more).

:class:`LakeDelta` answers the store reads :func:`graphbuild.sinks.neo4j.load_store` makes
for those articles, so the load's own plan and idempotent statements apply it::

    delta = build_delta(spark, "lake/", since="2026-12-02")
    report = load_delta(delta, config)   # load_store(delta, ...), then rescore(...)

Only the delta's rows are collected to the driver: a day's articles, the relations they
touch, the entities.

The actor scores (PageRank, degree, community, the Top10/Top100 labels) move with any relation of
the whole graph, which the delta does not hold: ``load_store`` keeps the scores Neo4j has, then
:func:`rescore` recomputes them from every relation Neo4j holds after the load (the graph a full
load of all the dates writes, so the same scores) and writes the entities whose scores differ.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

from .models import Entity
from .store import ALL_TIME, DateWindow, Key, RelationAggregate, StoredRelation
from .spark_graph import (_KEY, _edges, _entities, _kept_articles, _mentions, _relations, _resolve, _stored,
                          read_tables)

__all__ = ["LakeDelta", "build_delta", "load_delta", "rescore"]


@dataclass
class LakeDelta:
    """The store reads ``graphbuild load`` makes, answered for the delta's articles (see the module docstring).

    It holds only the touched part of the graph, so ``load_store`` keeps the actor scores (PageRank, degree,
    community) Neo4j has; :func:`load_delta` then recomputes them from the whole graph (:func:`rescore`).
    """

    partial_graph = True

    article_ids: list[str]
    entity_list: list[Entity]
    article_map: dict[str, dict]  # the delta's articles and the example articles of the touched relations
    mention_rows: list[tuple[str, str, int]]
    evidence_rows: list[StoredRelation]
    aggregates: dict[Key, RelationAggregate]
    example_of: dict[Key, tuple[str, str]]
    dates: dict[str, str | None] = field(default_factory=dict)
    sources: dict[str, str | None] = field(default_factory=dict)
    revised: list[str] = field(default_factory=list)

    def snapshot(self):
        """No store to hold still: the delta is in memory."""
        return nullcontext()

    def article_rows(self) -> Iterator[dict]:
        return iter([self.article_map[i] for i in sorted(self.article_map)])

    def entities(self) -> Iterator[Entity]:
        return iter(self.entity_list)

    def article_entities(self, article_ids: Iterable[str] | None = None) -> Iterator[tuple[str, str, int]]:
        wanted = None if article_ids is None else set(article_ids)
        return iter([m for m in self.mention_rows if wanted is None or m[0] in wanted])

    def article_sizes(self, article_ids: Iterable[str]) -> dict[str, list[int]]:
        wanted = set(article_ids)
        out = {a: [0, 0] for a in wanted}
        for aid, _e, _c in self.mention_rows:
            if aid in wanted:
                out[aid][0] += 1
        for r in self.evidence_rows:
            if r.article_id in wanted:
                out[r.article_id][1] += 1
        return out

    def evidence(self, window: DateWindow = ALL_TIME, *, keys: Iterable[Key] | None = None,
                 article_ids: Iterable[str] | None = None) -> Iterator[StoredRelation]:
        if window != ALL_TIME or keys is not None or article_ids is None:
            raise NotImplementedError("a lake delta gives the evidence of its articles only")
        wanted = set(article_ids)
        return iter([r for r in self.evidence_rows if r.article_id in wanted])

    def relation_keys(self, article_ids: Iterable[str]) -> set[Key]:
        wanted = set(article_ids)
        return {r.key for r in self.evidence_rows if r.article_id in wanted}

    def relation_aggregates(self, window: DateWindow = ALL_TIME, *,
                            keys: Iterable[Key] | None = None) -> Iterator[RelationAggregate]:
        wanted = None if keys is None else set(keys)
        return iter([self.aggregates[k] for k in sorted(self.aggregates) if wanted is None or k in wanted])

    def relation_examples(self, window: DateWindow = ALL_TIME, *,
                          keys: Iterable[Key] | None = None) -> dict[Key, tuple[str, str]]:
        wanted = None if keys is None else set(keys)
        return {k: v for k, v in self.example_of.items() if wanted is None or k in wanted}

    def article_dates(self) -> dict[str, str | None]:
        return dict(self.dates)

    def article_sources(self) -> dict[str, str | None]:
        return dict(self.sources)


def _aggregate(row: dict) -> RelationAggregate:
    claims, dated, scores = json.loads(row["folded"]) if row.get("folded") else ([], [], [])
    return RelationAggregate(row["subject"], row["predicate"], row["object"], row["count"],
                             frozenset(row["modalities"]), tuple(row["article_ids"]), row["confidence"],
                             row["inferred"], row["cameo"], row["weight"], tuple(row["items"] or ()),
                             frozenset(tuple(c) for c in claims), tuple(tuple(d) for d in dated),
                             tuple(tuple(x) for x in scores))


def build_delta(spark, lake: str | os.PathLike[str], since: str, *, until: str | None = None,
                rules=None) -> LakeDelta:
    """The increment of the ingest dates ``since``..``until`` over the earlier ones (see the module docstring)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .lake.reader import lake_dates
    from .lake.writer import check_date

    since = check_date(since)
    tables = read_tables(spark, lake, lake_dates(lake, None, until))
    earlier = {t: f.where(F.col("ingest_date") < since) for t, f in tables.items()}
    kept = _kept_articles(tables["articles"]).persist(StorageLevel.MEMORY_AND_DISK)
    kept_old = _kept_articles(earlier["articles"]).persist(StorageLevel.MEMORY_AND_DISK)
    _r, res, ids, _n = _resolve(spark, tables, kept, rules)
    _r_old, _res_old, ids_old, _n_old = _resolve(spark, earlier, kept_old, rules)
    ids, ids_old = ids.persist(StorageLevel.MEMORY_AND_DISK), ids_old.persist(StorageLevel.MEMORY_AND_DISK)

    # the delta's articles: kept from the new dates, and older ones whose ids moved
    fresh = kept.where(F.col("ingest_date") >= since).select(*_KEY)
    moved = (ids.where(F.col("ingest_date") < since)
             .join(ids_old.withColumnRenamed("entity_id", "_old"), [*_KEY, "raw_id"])
             .where(F.col("entity_id") != F.col("_old")).select(*_KEY).distinct())
    chosen = fresh.unionByName(moved).distinct()
    delta_kept = kept.join(chosen, _KEY, "left_semi").persist(StorageLevel.MEMORY_AND_DISK)
    revised_keys = {(r["ingest_date"], r["seq"]) for r in moved.collect()}

    rels = _relations(tables, kept, ids).persist(StorageLevel.MEMORY_AND_DISK)
    delta_rels = rels.join(chosen, _KEY, "left_semi")
    # what Neo4j holds for them: their earlier version under the earlier ids
    before = kept_old.join(delta_kept.select("id"), "id", "left_semi")
    old_rels = _relations(earlier, before, ids_old)
    touched = delta_rels.select("subject", "predicate", "object").unionByName(
        old_rels.select("subject", "predicate", "object")).distinct()
    edge_rows = [r.asDict() for r in
                 _edges(rels.join(touched, ["subject", "predicate", "object"], "left_semi"), res.names).collect()]

    # the delta's rows, to the driver
    articles: dict[str, dict] = {}
    revised: list[str] = []
    delta_ids: list[str] = []
    marks: dict[tuple[str, int], str] = {}
    if revised_keys:
        moves: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
        for r in ids.join(moved, _KEY, "left_semi").collect():
            moves[(r["ingest_date"], r["seq"])].append((r["raw_id"], r["entity_id"]))
        marks = {k: hashlib.sha256(repr(sorted(v)).encode()).hexdigest()[:8] for k, v in moves.items()}
    for r in delta_kept.collect():
        mark = marks.get((r["ingest_date"], r["seq"]))
        delta_ids.append(r["id"])
        if (r["ingest_date"], r["seq"]) in revised_keys:
            revised.append(r["id"])
        articles[r["id"]] = {"id": r["id"], "title": r["title"], "date": r["date"], "url": r["url"],
                             "source": r["source"], "origin": r["origin"],
                             "sha256": f"{r['sha256']}+r{mark}" if mark else r["sha256"]}
    examples = {(e["subject"], e["predicate"], e["object"]): (e["example_article_id"], e["example"])
                for e in edge_rows if e["example_article_id"] is not None}
    cited = sorted({a for e in edge_rows for a in e["article_ids"]})
    dates, sources = {}, {}
    if cited:  # the dates of every article a touched relation cites, the example articles' rows
        wanted = spark.createDataFrame([(a,) for a in cited], "`id` STRING")
        shown = {aid for aid, _s in examples.values()}
        for r in kept.join(wanted, "id", "left_semi").select("id", "title", "date", "url", "source", "origin",
                                                              "sha256").toLocalIterator():
            dates[r["id"]] = r["date"]
            sources[r["id"]] = r["source"]
            if r["id"] in shown and r["id"] not in articles:
                articles[r["id"]] = r.asDict()
    evidence_rows = _stored([r.asDict() for r in delta_rels.collect()])
    mentions = [(r["article_id"], r["entity_id"], r["count"])
                for r in _mentions(tables, delta_kept, ids).orderBy("article_id", "entity_id").collect()]
    return LakeDelta(
        article_ids=sorted(delta_ids), entity_list=_entities(tables, kept, ids, res), article_map=articles,
        mention_rows=mentions, evidence_rows=evidence_rows,
        aggregates={(e["subject"], e["predicate"], e["object"]): _aggregate(e) for e in edge_rows},
        example_of=examples, dates=dates, sources=sources, revised=sorted(revised))


#: Every typed relation between two entities as Neo4j holds it: the ends, the type and the properties that make a
#: :class:`~graphbuild.graph.model.GraphEdge` (those ``load`` and the import files write from ``edge_row``).
def _relations_query() -> str:
    from .sinks import cypher as cy
    from .spark_graph import _GRAPH_EDGE

    props = ", ".join(f"{p}: r.{p}" for p in _GRAPH_EDGE if p not in ("subject", "predicate", "object"))
    return (f"MATCH (s:{cy.ENTITY})-[r]->(o:{cy.ENTITY}) WHERE type(r) IN $types "
            f"RETURN s.id AS subject, type(r) AS predicate, o.id AS object, {{{props}}} AS props")


def rescore(config, entities: Iterable[Entity], *, driver=None, batch_size: int | None = None,
            workers: int | None = None, report=None):  # -> graphbuild.sinks.neo4j.LoadReport
    """Recompute the actor scores from every relation Neo4j holds and write the entities whose scores differ.

    The scores are :func:`graphbuild.analysis.scores.actor_ranks` of the graph
    :func:`graphbuild.spark_graph.rank_graph` builds from ``entities`` (all of them, as loaded) and Neo4j's
    relations, the computation ``graphbuild load`` and ``export`` make from a store; the rows are
    :func:`graphbuild.sinks.cypher.entity_row` written with the load's own ``ENTITY_UPSERT``.  Counters go into
    ``report`` (a new :class:`~graphbuild.sinks.neo4j.LoadReport` by default).
    """
    from .analysis.scores import actor_ranks
    from .ontology import RELATION_TYPES
    from .sinks import cypher as cy
    from .sinks.neo4j import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, LoadReport, connect
    from .sinks.neo4j.connection import _errors
    from .sinks.neo4j.plan import _held_ranks, _op, _Plan
    from .sinks.neo4j.writer import _execute, _Writer
    from .spark_graph import rank_graph

    entities = list(entities)
    report = report if report is not None else LoadReport(uri=config.uri, database=config.database)
    own = driver is None
    drv = connect(config) if own else driver
    try:
        with _errors(config):
            with drv.session(database=config.database) as session:
                edges = session.execute_read(lambda tx: [{"subject": r["subject"], "predicate": r["predicate"],
                                                          "object": r["object"], **r["props"]}
                                                         for r in tx.run(_relations_query(),
                                                                         types=list(RELATION_TYPES))])
                held = session.execute_read(lambda tx: {r[0]: r[1:] for r in tx.run(
                    f"MATCH (n:{cy.ENTITY}) RETURN n.id, labels(n), "
                    + ", ".join(f"n.{p}" for p in cy.ENTITY_PROPERTIES))})
            ranks = actor_ranks(rank_graph(entities, edges))
            by_label: dict[str, list[dict]] = defaultdict(list)
            scored = ("pagerank", "degree", "community", "rank_label")
            for e in entities:
                row = cy.entity_row(e, ranks.get(e.id))
                have = held.get(e.id)
                if have is None or any(row[k] != v for k, v in _held_ranks(list(have)).items() if k in scored):
                    by_label[e.type].append(row)
            plan = _Plan()
            plan.step(*(_op(cy.ENTITY_UPSERT[label], rows, "node") for label, rows in sorted(by_label.items())))
            writer = _Writer(drv, config, workers or DEFAULT_WORKERS, report, plan.total, None)
            try:
                _execute(writer, plan, batch_size or DEFAULT_BATCH_SIZE)
            finally:
                writer.close()
            report.entities_written += plan.total
    finally:
        if own:
            drv.close()
    return report


def load_delta(delta: LakeDelta, config, *, driver=None, **options):  # -> graphbuild.sinks.neo4j.LoadReport
    """``graphbuild load --lake --since``: the delta through :func:`graphbuild.sinks.neo4j.load_store`, then the
    actor scores of the whole graph (:func:`rescore`): Neo4j ends equal to a full load of all the dates.

    ``options``: ``batch_size``, ``workers``, ``progress`` as ``load_store`` takes them.
    """
    import time

    from .sinks.neo4j import connect, load_store

    started = time.perf_counter()
    own = driver is None
    drv = connect(config) if own else driver
    try:
        report = load_store(delta, config, article_ids=delta.article_ids, driver=drv, **options)
        rescore(config, delta.entity_list, driver=drv, batch_size=options.get("batch_size"),
                workers=options.get("workers"), report=report)
    finally:
        if own:
            drv.close()
    report.seconds = time.perf_counter() - started
    return report
