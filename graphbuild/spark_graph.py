"""The graph from a lake, on Spark: identity resolved, relations aggregated, ``neo4j-admin`` import files written.

The bulk path for a backfill (``graphbuild export --lake LAKE --format csv -o DIR``)::

    lake rows --(Spark)--> name records per article --> distinct signatures (few)
              --(driver)--> graphbuild.resolve.resolve(): one decision per signature, entity names
              --(Spark)--> ids applied to relations and mentions (a broadcast join)
              --(Spark)--> evidence rows and one edge per (subject, type, object)
              --(driver)--> actor scores from the edge rows (one per relation), entity rows
              --(Spark)--> the rows of ``graphbuild export --format csv``, written by the executors
                           (one folder per group: header.csv + part files; :func:`write_import_csv`)

Every value comes from the functions the store and the sinks use, not from a second copy:
the records are :func:`graphbuild.store.identity.records_of` of each article's extraction,
the decisions :func:`graphbuild.resolve.resolve` over the distinct records (what
:func:`graphbuild.store.identity.resolve_all` decides over a store's signatures), the
entity names :func:`graphbuild.resolve.entity_name`; each edge is
:func:`graphbuild.graph.model.aggregate_relations` of its evidence rows in the store's
evidence order, rendered by :func:`graphbuild.sinks.cypher.edge_row`, and each evidence
row by :func:`graphbuild.sinks.cypher.evidence_rows` (the same ids).  The names are few
compared with the relations, so resolution runs in the driver; everything per article or
per relation runs in Spark's Python workers (``applyInArrow``).

Which articles: for each article id, the last version of the slice in ingest order (an
unchanged re-ingest keeps the first copy, as the store does).  One difference from a
store that ingested the same articles: an article whose ids a later article's names
moved has ``sha256`` ``<hash>+r<n>`` there (the store counts its revisions); here every
article is resolved once, so its ``sha256`` is the plain hash.  A ``graphbuild load``
from such a store after the import re-sends those articles once (its statements are
idempotent), nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .lake.tables import TABLES
from .models import Article, Entity, Evidence, Extraction, Relation

__all__ = ["PART_FILES", "GraphTables", "SparkCsvReport", "build_graph", "read_csv_set", "edge_table_rows", "evidence_table_rows",
           "graph_edge", "rank_graph", "record_rows", "resolve_signatures", "write_import_csv"]

#: Columns of the per-article name records (``sig`` hashes the six that decide a record).
_RECORD_DDL = ("`ingest_date` STRING, `seq` BIGINT, `raw_id` STRING, `sig` STRING, `raw` STRING, `type` STRING, "
               "`name` STRING, `aliases` STRING, `context` STRING, `scene` STRING")
_EVIDENCE_DDL = ("`id` STRING, `rel_key` STRING, `subject` STRING, `predicate` STRING, `object` STRING, "
                 "`article_id` STRING, `date` STRING, `sentence` STRING, `start` BIGINT, `end` BIGINT, "
                 "`modality` STRING, `rule` STRING, `confidence` DOUBLE, `items` ARRAY<STRING>, `inferred` BOOLEAN, "
                 "`claimed_by` STRING, `event_date` STRING, `date_precision` STRING")
_EDGE_DDL = ("`key` STRING, `subject` STRING, `predicate` STRING, `object` STRING, `label` STRING, "
             "`modality` STRING, `modalities` ARRAY<STRING>, `count` BIGINT, `first_date` STRING, "
             "`last_date` STRING, `cameo` STRING, `cameo_label` STRING, `weight` DOUBLE, "
             "`article_ids` ARRAY<STRING>, `confidence` DOUBLE, `items` ARRAY<STRING>, "
             "`item_names` ARRAY<STRING>, `inferred` BOOLEAN, `example` STRING, `example_article_id` STRING, "
             "`example_title` STRING, `example_date` STRING, `contested` BOOLEAN, `articles` BIGINT, "
             "`outlets` BIGINT, `corroboration` DOUBLE, `dated_by` STRING, `folded` STRING")
#: The evidence columns the workers read, in :class:`graphbuild.store.StoredRelation` order, then the rest.
_STORED = ("subject", "predicate", "object", "modality", "article_id", "sentence", "start", "end", "rule",
           "confidence", "items", "inferred", "cameo", "weight", "article_date", "claimed_by", "event_date",
           "date_precision", "source")


_CLAIMS = ("claimed_by", "event_date", "date_precision")


# -- worker side (pure Python over plain rows: testable without Spark) --------------------------
def record_rows(ingest_date: str, seq: int, article_id: str, entities: Sequence[dict],
                relations: Sequence[dict]) -> list[dict[str, Any]]:
    """One article's name records (:func:`graphbuild.store.identity.records_of`) as rows with their signature.

    ``entities`` and ``relations`` are the article's lake rows (relations: the role rows suffice).

    >>> rows = record_rows("2026-12-01", 0, "a1", [{"position": 0, "id": "person:putin", "type": "Person",
    ...                    "name": "Putin", "aliases": [], "iso3": None}], [])
    >>> [(r["raw_id"], r["name"], r["context"], r["scene"]) for r in rows]
    [('person:putin', 'Putin', '[]', '[]')]
    """
    from .store.identity import _content, records_of

    art = Article(article_id, "")
    ex = Extraction(
        art,
        entities=tuple(Entity(r["id"], r["type"], r["name"], tuple(r["aliases"] or ()), r["iso3"])
                       for r in sorted(entities, key=lambda r: r["position"])),
        relations=tuple(Relation(r["subject"], r["predicate"], r["object"], r["modality"],
                                 Evidence(article_id, "", 0, 0, "", 0.0), (), bool(r["inferred"]))
                        for r in relations))
    out = []
    for rec in records_of(ex):
        raw, etype, name, aliases, context, scene = _content(rec)
        # the store's signature: one per (raw id, name, aliases, context, scene), whatever the type
        sig = hashlib.sha1("\x1f".join((raw, name, aliases, context, scene)).encode()).hexdigest()
        out.append({"ingest_date": ingest_date, "seq": seq, "raw_id": rec.raw_id, "sig": sig, "raw": raw,
                    "type": etype, "name": name, "aliases": aliases, "context": context, "scene": scene})
    return out


def _stored(rows: Sequence[dict]) -> list:
    """A relation's evidence rows as :class:`StoredRelation`, in the store's evidence order
    (article date, undated first; article; offset; position in the article)."""
    from .store import StoredRelation

    ordered = sorted(rows, key=lambda r: (r["article_date"] is not None, r["article_date"] or "", r["article_id"],
                                          r["start"], r["position"]))
    return [StoredRelation(*(tuple(r[c] or ()) if c == "items" else (r.get(c) or "") if c in _CLAIMS else r[c]
                             for c in _STORED)) for r in ordered]


def edge_table_rows(rows: Sequence[dict], names: dict[str, str]) -> dict[str, Any]:
    """One relation's edge row (:func:`graphbuild.sinks.cypher.edge_row`) from all its evidence rows.

    ``rows`` carry the :class:`StoredRelation` columns plus ``position`` and ``article_title``.
    """
    from .graph.model import aggregate_relations
    from .sinks import cypher as cy

    from .store.reads import fold

    stored = _stored(rows)
    (edge,) = aggregate_relations(stored)
    agg = fold(stored)
    articles = {r["article_id"]: {"title": r["article_title"], "date": r["article_date"]} for r in rows}
    # the aggregate's claims, event dates and per-article scores, for a delta's RelationAggregate
    folded = json.dumps([sorted(agg.claims), list(agg.dated), list(agg.scores)])
    return {"predicate": edge.predicate, **cy.edge_row(edge, names, articles), "folded": folded}


def evidence_table_rows(rows: Sequence[dict]) -> list[dict[str, Any]]:
    """The evidence rows (:func:`graphbuild.sinks.cypher.evidence_rows`: the same ids) of one relation."""
    from .sinks import cypher as cy

    return list(cy.evidence_rows(_stored(rows)))


def _records_task(entities, relations):  # pyarrow.Table x2 -> pyarrow.Table
    import pyarrow as pa

    ents, rels = entities.to_pylist(), relations.to_pylist()
    first = (ents or rels)[0]
    out = record_rows(first["ingest_date"], first["seq"], first["article_id"], ents, rels) if ents else []
    return pa.Table.from_pylist(out, schema=_schema(_RECORD_DDL))


def _edges_task(names: dict[str, str]):
    def run(table):  # pyarrow.Table -> pyarrow.Table
        import pyarrow as pa

        return pa.Table.from_pylist([edge_table_rows(table.to_pylist(), names)], schema=_schema(_EDGE_DDL))
    return run


def _evidence_task(table):  # pyarrow.Table -> pyarrow.Table
    import pyarrow as pa

    return pa.Table.from_pylist(evidence_table_rows(table.to_pylist()), schema=_schema(_EVIDENCE_DDL))


def _schema(ddl: str):  # -> pyarrow.Schema
    """The Arrow schema of a DDL string of this module (strings, bigints, doubles, booleans, string arrays)."""
    import pyarrow as pa

    kinds = {"STRING": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
             "ARRAY<STRING>": pa.list_(pa.string())}
    fields = []
    for part in ddl.split(", `"):
        name, kind = part.strip("`").split("` ")
        fields.append((name, kinds[kind]))
    return pa.schema(fields)


# -- driver side ------------------------------------------------------------------------------
@dataclass
class Resolution:
    """The decisions of the distinct signatures: signature -> entity id, and each entity's display name and type."""

    entity_of: dict[str, str]
    names: dict[str, str]
    kinds: dict[str, str]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)


def resolve_signatures(signatures: Sequence[dict], rules=None) -> Resolution:
    """Decide every signature (rows: ``sig``, ``raw``, ``type``, ``name``, ``aliases``, ``context``, ``scene``,
    ``weight``) the way :func:`graphbuild.store.identity.resolve_all` decides a store's signatures.

    >>> sigs = [{"sig": "s1", "raw": "person:putin", "type": "Person", "name": "Putin", "aliases": "[]",
    ...          "context": "[]", "scene": "[]", "weight": 3},
    ...         {"sig": "s2", "raw": "person:vladimir-putin", "type": "Person", "name": "Vladimir Putin",
    ...          "aliases": "[]", "context": "[]", "scene": "[]", "weight": 1}]
    >>> res = resolve_signatures(sigs)
    >>> res.entity_of, res.names
    ({'s1': 'person:vladimir-putin', 's2': 'person:vladimir-putin'}, {'person:vladimir-putin': 'Vladimir Putin'})
    """
    from .resolve import IdentityRules, entity_name, resolve
    from .store.identity import _record

    rules = rules or IdentityRules()
    loaded = {}
    for i, s in enumerate(sorted(signatures, key=lambda s: s["sig"])):
        rec, _dec, _ = _record((i, s["raw"], s["type"], s["name"], s["aliases"], s["context"], s["scene"],
                                s["weight"], s["raw"], 0))
        loaded[s["sig"]] = (rec, s)
    decisions = resolve((rec for rec, _s in loaded.values()), rules)
    entity_of = {sig: decisions[rec.key].entity_id for sig, (rec, _s) in loaded.items()}
    # the store's _name_entities: names weighted by their signatures; the type of the entity's last name group
    weights: dict[str, dict[str, int]] = defaultdict(dict)
    group_type: dict[tuple[str, str], str] = {}
    for sig, (_rec, s) in loaded.items():
        eid = entity_of[sig]
        weights[eid][s["name"]] = weights[eid].get(s["name"], 0) + s["weight"]
        key = (eid, s["name"])
        group_type[key] = min(group_type.get(key, s["type"]), s["type"])
    kinds = {eid: group_type[(eid, max(names))] for eid, names in weights.items()}
    names = {eid: entity_name(eid, weights[eid], rules, kinds[eid]) for eid in sorted(weights)}
    return Resolution(entity_of, names, kinds, {k: tuple(v) for k, v in rules.aliases.items()})


@dataclass
class GraphTables:
    """The graph of a lake slice as Spark DataFrames (lazy) plus the driver's entities (few)."""

    entities: list[Entity]
    articles: object  # DataFrame: id, title, date, source, url, sha256
    evidence: object  # DataFrame: the evidence rows (_EVIDENCE_DDL)
    edges: object  # DataFrame: one row per relation (_EDGE_DDL)
    mentions: object  # DataFrame: article_id, entity_id, count
    articles_read: int = 0
    signatures: int = 0


#: The edge table's columns that make a :class:`graphbuild.graph.model.GraphEdge` (no evidence, no example).
_GRAPH_EDGE = ("key", "subject", "predicate", "object", "modality", "modalities", "count", "first_date", "last_date",
               "cameo", "weight", "article_ids", "confidence", "items", "inferred", "contested", "articles",
               "outlets", "corroboration", "dated_by")


def graph_edge(row: dict):  # -> graphbuild.graph.model.GraphEdge
    """The :class:`~graphbuild.graph.model.GraphEdge` of an edge row (the inverse of ``edge_row`` for its fields),
    so the networkx attributes come from :func:`graphbuild.graph.nx.edge_attrs`, as in the store's graph.

    >>> from graphbuild.graph.nx import edge_attrs
    >>> row = {"key": "a|MEETS|b", "subject": "a", "predicate": "MEETS", "object": "b", "modality": "asserted",
    ...        "modalities": ["asserted"], "count": 2, "first_date": None, "last_date": None, "cameo": "036",
    ...        "weight": 1.0, "article_ids": ["x"], "confidence": 0.9, "items": None, "inferred": False,
    ...        "contested": False, "articles": 1, "outlets": 0, "corroboration": 0.9, "dated_by": None}
    >>> attrs = edge_attrs(graph_edge(row), evidence=False)
    >>> attrs["type"], attrs["count"], attrs["items"], attrs["dated_by"]
    ('MEETS', 2, [], '')
    """
    from .graph.model import GraphEdge

    return GraphEdge(row["key"], row["subject"], row["predicate"], row["object"], row["modality"],
                     tuple(row["modalities"] or ()), row["count"], row["first_date"], row["last_date"], row["cameo"],
                     row["weight"], tuple(row["article_ids"] or ()), row["confidence"], tuple(row["items"] or ()),
                     row["inferred"], contested=row["contested"], articles=row["articles"], outlets=row["outlets"],
                     corroboration=row["corroboration"], dated_by=row["dated_by"] or "")


def rank_graph(entities: Sequence[Entity], edge_rows: Iterable[dict]):  # -> networkx.MultiDiGraph
    """The relation graph ``export`` scores (:func:`graphbuild.graph.nx.build_graph` without evidence), from the
    entities and the edge rows, edges added in (subject, type, object) order as the store reads them."""
    import networkx as nx

    from .graph.nx import edge_attrs

    g = nx.MultiDiGraph()
    for e in entities:
        g.add_node(e.id, type=e.type, name=e.name, aliases=list(e.aliases), iso3=e.iso3)
    for edge in sorted((graph_edge(r) for r in edge_rows), key=lambda e: (e.subject, e.predicate, e.object)):
        g.add_edge(edge.subject, edge.object, key=edge.predicate, **edge_attrs(edge, evidence=False))
    return g


def _ranks(graph: GraphTables) -> dict:
    """PageRank, degree, community and rank of every entity, as ``export`` computes them from a store: in the
    driver, over the edge rows (one per relation: far fewer than mentions or evidence; sizes in bench/RESULTS.md)."""
    from .analysis.scores import actor_ranks

    rows = (r.asDict() for r in graph.edges.select(*_GRAPH_EDGE).toLocalIterator())
    return actor_ranks(rank_graph(graph.entities, rows))


def _lake_uri(lake: str | os.PathLike[str]) -> str:
    text = os.fspath(lake)
    return text if "://" in text else Path(text).resolve().as_uri()


def read_tables(spark, lake: str | os.PathLike[str], dates: Sequence[str], tables: Sequence[str] = TABLES) -> dict:
    """The lake's tables for ``dates`` as DataFrames with an ``ingest_date`` string column."""
    from pyspark.sql import functions as F

    from .lake.tables import spark_ddl

    root = _lake_uri(lake).rstrip("/")
    out = {}
    for table in tables:
        paths = [f"{root}/{table}/ingest_date={d}" for d in dates]
        frame = spark.read.schema(spark_ddl(table)).option("basePath", f"{root}/{table}").parquet(*paths) \
            if paths else spark.createDataFrame([], spark_ddl(table) + ", `ingest_date` STRING")
        out[table] = frame.withColumn("ingest_date", F.col("ingest_date").cast("string")) if paths else frame
    return out


def _kept_articles(articles):  # DataFrame -> DataFrame
    """Per article id: the version a store that ingested the slice in order holds (see the module docstring)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = Window.partitionBy("id").orderBy("ingest_date", "seq")
    runs = (articles
            .withColumn("_new", (F.lag("sha256").over(order).isNull()
                                 | (F.lag("sha256").over(order) != F.col("sha256"))).cast("int"))
            .withColumn("_run", F.sum("_new").over(order.rowsBetween(Window.unboundedPreceding, 0))))
    last = Window.partitionBy("id")
    return (runs.withColumn("_last", F.max("_run").over(last)).where(F.col("_run") == F.col("_last"))
            .withColumn("_first", F.row_number().over(order)).where(F.col("_first") == 1)
            .drop("_new", "_run", "_last", "_first"))


_KEY = ["ingest_date", "seq"]


def _of(frame, kept):  # DataFrame rows of the kept article versions
    return frame.join(kept.select(*_KEY), _KEY, "left_semi")


def _resolve(spark, tables: dict, kept, rules) -> tuple:
    """Name records of the kept articles (Spark), their distinct signatures decided in the driver;
    returns (records, :class:`Resolution`, ids: ingest_date, seq, raw_id -> entity_id, signatures)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .store.identity import ROLE_PREDICATES

    roles = _of(tables["relations"], kept).where(F.col("predicate").isin(sorted(ROLE_PREDICATES)) & ~F.col("inferred"))
    records = (_of(tables["entities"], kept).groupBy(*_KEY)
               .cogroup(roles.groupBy(*_KEY))
               .applyInArrow(_records_task, _RECORD_DDL)).persist(StorageLevel.MEMORY_AND_DISK)
    sigs = [r.asDict() for r in records.groupBy("sig", "raw", "name", "aliases", "context", "scene")
            .agg(F.count(F.lit(1)).alias("weight"), F.min("type").alias("type")).collect()]
    res = resolve_signatures(sigs, rules)
    decided = spark.createDataFrame(sorted(res.entity_of.items()), "`sig` STRING, `entity_id` STRING")
    ids = (records.dropDuplicates([*_KEY, "raw_id"]).join(F.broadcast(decided), "sig")
           .select(*_KEY, "raw_id", "entity_id"))
    return records, res, ids, len(sigs)


def _resolved(frame, ids, column: str):
    """``frame`` with the extracted ids of ``column`` replaced by the decided ones (a join on article and raw id)."""
    from pyspark.sql import functions as F

    m = ids.withColumnRenamed("raw_id", column).withColumnRenamed("entity_id", "_to")
    return frame.join(m, [*_KEY, column], "left").withColumn(column, F.coalesce("_to", column)).drop("_to")


def _relations(tables: dict, kept, ids):
    """The evidence rows of the kept articles under the decided ids (ends and claimant), symmetric ends in
    canonical order, with their article's date and title."""
    from pyspark.sql import functions as F

    from .ontology import SYMMETRIC

    rels = _resolved(_resolved(_of(tables["relations"], kept), ids, "subject"), ids, "object")
    # the claimant follows its name too, as in the store (it holds the id its article's name stands for)
    rels = _resolved(rels, ids, "claimed_by")
    swap = F.col("predicate").isin(sorted(SYMMETRIC)) & (F.col("object") < F.col("subject"))
    rels = rels.select(*[c for c in rels.columns if c not in ("subject", "object")],
                       F.when(swap, F.col("object")).otherwise(F.col("subject")).alias("subject"),
                       F.when(swap, F.col("subject")).otherwise(F.col("object")).alias("object"))
    arts = kept.select(F.col("id").alias("article_id"), F.col("date").alias("article_date"),
                       F.col("title").alias("article_title"), F.col("source"))
    return rels.join(arts, "article_id")


def _edges(rels, names: dict[str, str]):
    """One edge row per relation of ``rels`` (all its evidence), item names from ``names``."""
    from pyspark.sql import functions as F

    items = {r["item"] for r in rels.select(F.explode("items").alias("item")).distinct().collect()}
    task = _edges_task({i: names[i] for i in items if i in names})
    return rels.groupBy("subject", "predicate", "object").applyInArrow(task, _EDGE_DDL)


def _mentions(tables: dict, kept, ids):
    from pyspark.sql import functions as F

    return (_resolved(_of(tables["mentions"], kept).withColumnRenamed("entity_id", "raw"), ids, "raw")
            .groupBy("article_id", F.col("raw").alias("entity_id")).count())


def _entities(tables: dict, kept, ids, res: Resolution) -> list[Entity]:
    """The entities (driver): the store's type and iso3 (first given), every alias seen, the decided name."""
    from pyspark.sql import functions as F

    raw = _of(tables["entities"], kept).select("ingest_date", "seq", "position", "id", "type", "iso3")
    order = F.struct("ingest_date", "seq", "position")
    types = {r["id"]: r["type"] for r in raw.groupBy("id").agg(F.min_by("type", order).alias("type")).collect()}
    iso3s = {r["id"]: r["iso3"] for r in raw.where(F.col("iso3").isNotNull()).groupBy("id")
             .agg(F.min_by("iso3", order).alias("iso3")).collect()}
    seen = _resolved(_of(tables["aliases"], kept).withColumnRenamed("entity_id", "raw"), ids, "raw")
    aliases: dict[str, set[str]] = defaultdict(set)
    for r in seen.groupBy("raw").agg(F.collect_set("alias").alias("a")).collect():
        aliases[r["raw"]].update(r["a"])
    entities = []
    for eid in sorted(res.names):
        etype, iso3 = types.get(eid, res.kinds[eid]), iso3s.get(eid)
        every = aliases.get(eid, set())
        if eid in res.aliases and every:
            every = every | set(res.aliases[eid])
        name = res.names[eid]
        entities.append(Entity(eid, etype, name, tuple(a for a in sorted(every) if a != name), iso3))
    return entities


def build_graph(spark, lake: str | os.PathLike[str], *, since: str | None = None, until: str | None = None,
                rules=None) -> GraphTables:
    """The graph of the lake's ingest dates ``since``..``until`` (all by default), see the module docstring."""
    from pyspark import StorageLevel

    from .lake.reader import lake_dates

    tables = read_tables(spark, lake, lake_dates(lake, since, until))
    kept = _kept_articles(tables["articles"]).persist(StorageLevel.MEMORY_AND_DISK)
    _records, res, ids, n_sigs = _resolve(spark, tables, kept, rules)
    rels = _relations(tables, kept, ids).persist(StorageLevel.MEMORY_AND_DISK)
    # each is read by several files: computed once
    evidence = rels.groupBy("subject", "predicate", "object").applyInArrow(_evidence_task, _EVIDENCE_DDL) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    edges = _edges(rels, res.names).persist(StorageLevel.MEMORY_AND_DISK)
    return GraphTables(_entities(tables, kept, ids, res), kept.select("id", "title", "date", "source", "url", "sha256"),
                       evidence, edges, _mentions(tables, kept, ids), kept.count(), n_sigs)


#: Spark's CSV writer set to write what :func:`graphbuild.sinks.export._write_csv` writes (csv.writer): quotes
#: doubled, no trimming, ``\n`` lines; cells arrive as text (``None`` for an empty cell), made by ``_cell``.
_CSV_OPTIONS = {"header": "false", "quote": '"', "escape": '"', "ignoreLeadingWhiteSpace": "false",
                "ignoreTrailingWhiteSpace": "false", "lineSep": "\n", "encoding": "UTF-8"}

#: The data files of a group, as a neo4j-admin file regex (Spark names them ``part-<n>-<uuid>-c000.csv``).
PART_FILES = "part-.*csv"


@dataclass(frozen=True)
class SparkCsvReport:
    """The file groups written (directory names, nodes then relationships) and rows per group.

    Each group is a folder with ``header.csv`` and the ``part-*.csv`` files Spark's executors wrote:
    neo4j-admin reads it as one file (``--nodes=DIR/header.csv,DIR/part-.*csv``: header first, then
    the files the regex matches in that folder).
    """

    directory: Path
    nodes: dict[str, int]
    relationships: dict[str, int]

    def import_command(self, prefix: str = "/import/", database: str = "neo4j") -> str:
        """The ``neo4j-admin database import full`` command for these groups, found under ``prefix``.

        >>> print(SparkCsvReport(Path("out"), {"articles": 2}, {"mentions": 3}).import_command())
        neo4j-admin database import full --overwrite-destination \\
          --array-delimiter=';' --multiline-fields=true \\
          '--nodes=/import/articles/header.csv,/import/articles/part-.*csv' \\
          '--relationships=/import/mentions/header.csv,/import/mentions/part-.*csv' \\
          -- neo4j
        """
        import shlex

        from .sinks.export import ARRAY_DELIMITER

        def files(group: str) -> str:
            return f"{prefix}{group}/header.csv,{prefix}{group}/{PART_FILES}"
        parts = ["neo4j-admin database import full --overwrite-destination",
                 f"--array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true"]
        parts += [shlex.quote(f"--nodes={files(g)}") for g in self.nodes]
        parts += [shlex.quote(f"--relationships={files(g)}") for g in self.relationships]
        return " \\\n  ".join([*parts, f"-- {database}"])


def _text(cells: Sequence[Any]) -> list[str | None]:
    """A row's cells as :func:`graphbuild.sinks.export._write_csv` writes them; ``None`` for an empty cell.

    >>> _text(["a", 1, 0.5, True, ["x", "y;z"], None, ""])
    ['a', '1', '0.5', 'true', 'x;y,z', None, None]
    """
    from .sinks.export import _cell

    out = []
    for v in cells:
        text = str(_cell(v))
        out.append(text or None)
    return out


# the rows of each group, from one row of its DataFrame (module level: the workers unpickle them by name)
def _article_cells(r: dict) -> list:
    from .sinks import cypher as cy

    return [r["id"], cy.ARTICLE, r["title"], r["date"], r["source"], r["url"], r["sha256"]]


def _evidence_cells(r: dict) -> list:
    from .sinks import cypher as cy
    from .sinks.export import _EVIDENCE_KEYS

    return [r["id"], cy.EVIDENCE, *(r[k] for k in _EVIDENCE_KEYS)]


def _edge_cells(r: dict) -> list:
    from .sinks import cypher as cy

    return [r["subject"], r["object"], r["predicate"], *(r[k] for k in cy.RELATION_PROPERTIES)]


def _mention_cells(r: dict) -> list:
    from .sinks import cypher as cy

    return [r["article_id"], r["entity_id"], cy.MENTIONS, r["count"]]


def _in_article_cells(r: dict) -> list:
    from .sinks import cypher as cy

    return [r["id"], r["article_id"], cy.IN_ARTICLE]


def _has_subject_cells(r: dict) -> list:
    from .sinks import cypher as cy

    return [r["id"], r["subject"], cy.HAS_SUBJECT]


def _has_object_cells(r: dict) -> list:
    from .sinks import cypher as cy

    return [r["id"], r["object"], cy.HAS_OBJECT]


def _item_cells(r: dict) -> list:
    from .sinks import cypher as cy

    return [r["subject"], r["item"], cy.SUPPLIES_ITEM, r["key"], r["object"], r["modality"],
            cy.relation_label(cy.SUPPLIES_ITEM, r["modality"])]


def _cells_task(cells, width: int):
    def run(batches: Iterator) -> Iterator:  # pyarrow.RecordBatch -> pyarrow.RecordBatch
        import pyarrow as pa

        names = [f"c{i}" for i in range(width)]
        for batch in batches:
            rows = [_text(cells(r)) for r in batch.to_pylist()]
            yield pa.RecordBatch.from_arrays([pa.array([row[i] for row in rows], pa.string()) for i in range(width)],
                                             names=names)
    return run


def _write_group(frame, cells, header: list[str], folder: Path) -> None:
    """One group: ``header.csv`` (the driver) and the rows, made by ``cells`` and written by Spark's executors."""
    from .sinks.export import _write_csv

    width = len(header)
    ddl = ", ".join(f"`c{i}` STRING" for i in range(width))
    frame.mapInArrow(_cells_task(cells, width), ddl).write.options(**_CSV_OPTIONS).csv(folder.resolve().as_uri())
    _write_csv(folder / "header.csv", header, ())


def read_csv_set(directory: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """A CSV set as :func:`write_import_csv` wrote it: per group folder, the ``header.csv`` line and the
    rows of its part files, sorted (to compare with another set as multisets of rows)."""
    import csv

    out = {}
    for folder in sorted(p for p in Path(directory).iterdir() if p.is_dir()):
        with open(folder / "header.csv", encoding="utf-8", newline="") as fh:
            (header,) = list(csv.reader(fh))
        rows: list[list[str]] = []
        for part in sorted(folder.glob("part-*.csv")):
            with open(part, encoding="utf-8", newline="") as fh:
                rows.extend(csv.reader(fh))
        out[folder.name] = (header, sorted(rows))
    return out


def write_import_csv(graph: GraphTables, directory: Path) -> SparkCsvReport:
    """The graph of ``graphbuild export --format csv`` (same headers, the same rows as a multiset) as file groups:
    the rows written by Spark's executors, never collected to the driver.

    Groups (folders): ``entities`` (every label: ``:LABEL`` says which; written by the driver, which holds the
    entities to name them), ``articles``, ``evidence``, ``relations`` (every type: ``:TYPE`` says which),
    ``mentions``, ``in_article``, ``has_subject``, ``has_object``, ``supplies_item``; a group is the rows of the
    store export's files of that name (``entities_<Label>.csv``, ``relations_<TYPE>.csv``).  The actor scores are
    computed in the driver from the edge rows (:func:`_ranks`).

    ``directory`` must be new or empty and seen by the driver and every executor (a local path with ``local[*]``,
    a shared mount on a cluster).  All or nothing: written into a temporary folder next to it, renamed when
    complete.
    """
    from pyspark.sql import functions as F

    from .errors import OutputError
    from .sinks import cypher as cy
    from .sinks import export as ex
    from .sinks.files import atomic_directory

    directory = Path(directory)
    if directory.is_dir() and any(directory.iterdir()):
        raise OutputError(f"cannot write {directory}: not empty (the Spark CSV set is written into a new or empty "
                          "directory)")
    spark = graph.edges.sparkSession
    names = {e.id: e.name for e in graph.entities}
    edges = graph.edges
    arms = edges.where(F.col("predicate") == cy.ARMS)
    known = spark.createDataFrame([(i,) for i in sorted(names)], "`item` STRING")
    items = (arms.select("subject", "key", "object", "modality", F.explode(F.array_distinct("items")).alias("item"))
             .join(F.broadcast(known), "item", "left_semi"))
    links = graph.evidence.select("id", "article_id", "subject", "object")
    header = [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"] + [
        f"{k}:{ex._RELATION_TYPES[k]}" if k in ex._RELATION_TYPES else k for k in cy.RELATION_PROPERTIES]
    groups = [  # (group, frame, cells, header)
        ("articles", graph.articles, _article_cells, ex._ARTICLE_HEADER),
        ("evidence", graph.evidence, _evidence_cells, ex._EVIDENCE_HEADER),
        ("relations", edges, _edge_cells, header),
        ("mentions", graph.mentions, _mention_cells, ex._MENTIONS_HEADER),
        ("in_article", links, _in_article_cells, ex._IN_ARTICLE_HEADER),
        ("has_subject", links, _has_subject_cells, ex._ABOUT_HEADER),
        ("has_object", links, _has_object_cells, ex._ABOUT_HEADER),
        ("supplies_item", items, _item_cells, ex._ITEM_HEADER),
    ]
    nodes: dict[str, int] = {}
    rels: dict[str, int] = {}
    with atomic_directory(directory) as staging:
        ranks = _ranks(graph)
        (staging / "entities").mkdir()
        ex._write_csv(staging / "entities" / "header.csv", ex._ENTITY_HEADER, ())
        erows = [cy.entity_row(e, ranks.get(e.id)) for e in graph.entities]
        nodes["entities"] = _write_rows(staging / "entities" / "part-00000-driver.csv", (
            [r["id"], [cy.ENTITY, e.type, *([r["rank_label"]] if r["rank_label"] else [])],
             *(r[k] for k in cy.ENTITY_PROPERTIES)] for e, r in zip(graph.entities, erows)))
        for group, frame, cells, head in groups:
            _write_group(frame, cells, head, staging / group)
            (nodes if group in ("articles", "evidence") else rels)[group] = frame.count()
    return SparkCsvReport(directory, nodes, rels)


def _write_rows(path: Path, rows: Iterable[list]) -> int:
    """Rows without a header, written as :func:`graphbuild.sinks.export._write_csv` writes them; returns how many."""
    import csv

    from .sinks.export import _cell

    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            n += 1
    return n
