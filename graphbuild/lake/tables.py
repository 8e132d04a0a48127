"""The lake's tables: their columns, and the rows one article's outcome gives (the same function for every engine).

The tables mirror the store's (:mod:`graphbuild.store.schema`), one row per thing an
article's *extraction* said, before identity resolution (which needs the whole store and
runs when a lake is imported): ``articles``, ``entities`` (each entity as the article
named it, with its aliases), ``aliases``, ``mentions``, ``relations`` (one row per
piece of evidence, subject and object in the store's order) and ``problems`` (inputs
and articles that failed).  ``seq`` is the input position within one ingest run: it
links an article's rows and replays them in the order they were read.  Each table is
Hive-partitioned by ``ingest_date`` (the directory, not a column of the files).

Pure Python: :func:`outcome_rows` runs in the ingest process, in ``--workers`` and in
Spark's Python workers; pyarrow is only needed for :func:`arrow_schema`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Article, Entity, Evidence, Extraction, InputProblem, Mention, Relation
from ..store.rows import alias_rows, claim_fields, relation_fields

__all__ = ["COLUMNS", "FORMAT_VERSION", "TABLES", "arrow_schema", "extraction_of", "outcome_rows",
           "problem_rows", "spark_ddl"]

#: Bumped when a column changes meaning; the manifest records it and a reader refuses another.
FORMAT_VERSION = 1

#: Every table's columns as (name, type); types are ``string``, ``int64``, ``float64``, ``bool``, ``list``.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (("seq", "int64"), ("id", "string"), ("title", "string"), ("date", "string"), ("url", "string"),
                 ("source", "string"), ("origin", "string"), ("sha256", "string"), ("text", "string")),
    "entities": (("seq", "int64"), ("article_id", "string"), ("position", "int64"), ("id", "string"),
                 ("type", "string"), ("name", "string"), ("aliases", "list"), ("iso3", "string")),
    "aliases": (("seq", "int64"), ("article_id", "string"), ("entity_id", "string"), ("alias", "string")),
    "mentions": (("seq", "int64"), ("article_id", "string"), ("position", "int64"), ("entity_id", "string"),
                 ("surface", "string"), ("start", "int64"), ("end", "int64")),
    "relations": (("seq", "int64"), ("article_id", "string"), ("position", "int64"), ("subject", "string"),
                  ("predicate", "string"), ("object", "string"), ("modality", "string"), ("sentence", "string"),
                  ("start", "int64"), ("end", "int64"), ("rule", "string"), ("confidence", "float64"),
                  ("items", "list"), ("inferred", "bool"), ("cameo", "string"), ("weight", "float64"),
                  # since issue 15 (files written before have none: read as empty)
                  ("claimed_by", "string"), ("event_date", "string"), ("date_precision", "string")),
    "problems": (("seq", "int64"), ("article_id", "string"), ("origin", "string"), ("reason", "string")),
}

TABLES: tuple[str, ...] = tuple(COLUMNS)

Rows = dict[str, list[dict[str, object]]]


def arrow_schema(table: str):  # -> pyarrow.Schema
    """The Arrow schema of one table (pyarrow imported here, not at module import)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(),
             "list": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS[table]])


def spark_ddl(table: str) -> str:
    """The table's columns as a Spark DDL struct body.

    >>> spark_ddl("problems")
    '`seq` BIGINT, `article_id` STRING, `origin` STRING, `reason` STRING'
    """
    types = {"string": "STRING", "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN", "list": "ARRAY<STRING>"}
    return ", ".join(f"`{name}` {types[kind]}" for name, kind in COLUMNS[table])


def _empty() -> Rows:
    return {t: [] for t in TABLES}


def problem_rows(seq: int, problem: InputProblem, article_id: str | None = None) -> Rows:
    """The rows of an input or article that failed: one ``problems`` row.

    >>> problem_rows(3, InputProblem("a.jsonl:4", "missing 'text'"))["problems"]
    [{'seq': 3, 'article_id': None, 'origin': 'a.jsonl:4', 'reason': "missing 'text'"}]
    """
    rows = _empty()
    rows["problems"].append({"seq": seq, "article_id": article_id, "origin": problem.origin, "reason": problem.reason})
    return rows


def outcome_rows(seq: int, article: Article, outcome: Extraction | InputProblem) -> Rows:
    """Every table's rows for one article: its extraction's, or one ``problems`` row if it failed.

    >>> from graphbuild.models import Article, Extraction, Entity
    >>> art = Article("a1", "Arnor met.", "T")
    >>> rows = outcome_rows(0, art, Extraction(art, entities=(Entity("country:ARN", "Country", "Arnor"),)))
    >>> [(t, len(r)) for t, r in rows.items() if r]
    [('articles', 1), ('entities', 1), ('aliases', 1)]
    """
    if isinstance(outcome, InputProblem):
        return problem_rows(seq, outcome, article.id)
    aid = article.id
    rows = _empty()
    rows["articles"].append({"seq": seq, "id": aid, "title": article.title, "date": article.date, "url": article.url,
                             "source": article.source, "origin": article.origin, "sha256": article.sha256,
                             "text": article.text})
    rows["entities"] = [{"seq": seq, "article_id": aid, "position": i, "id": e.id, "type": e.type, "name": e.name,
                         "aliases": list(e.aliases), "iso3": e.iso3} for i, e in enumerate(outcome.entities)]
    rows["aliases"] = [{"seq": seq, "article_id": aid, "entity_id": eid, "alias": alias}
                       for eid, alias in alias_rows(outcome.entities)]
    rows["mentions"] = [{"seq": seq, "article_id": aid, "position": i, "entity_id": m.entity_id, "surface": m.text,
                         "start": m.start, "end": m.end} for i, m in enumerate(outcome.mentions)]
    for i, rel in enumerate(outcome.relations):
        subj, pred, obj, modality, sentence, start, end, rule, conf, items, inferred, cameo, weight = \
            relation_fields(rel)
        rows["relations"].append({"seq": seq, "article_id": aid, "position": i, "subject": subj, "predicate": pred,
                                  "object": obj, "modality": modality, "sentence": sentence, "start": start,
                                  "end": end, "rule": rule, "confidence": conf, "items": list(items),
                                  "inferred": inferred, "cameo": cameo, "weight": weight,
                                  **dict(zip(("claimed_by", "event_date", "date_precision"), claim_fields(rel)))})
    return rows


def extraction_of(article: dict, entities: Iterable[dict], mentions: Iterable[dict],
                  relations: Iterable[dict]) -> Extraction:
    """The :class:`Extraction` an article's lake rows were made from (rows in any order).

    >>> from graphbuild.models import Article, Extraction, Entity
    >>> art = Article("a1", "Arnor met.", "T", origin="x.txt")
    >>> ex = Extraction(art, entities=(Entity("country:ARN", "Country", "Arnor"),))
    >>> rows = outcome_rows(0, art, ex)
    >>> extraction_of(rows["articles"][0], rows["entities"], rows["mentions"], rows["relations"]) == ex
    True
    """
    by_position = lambda r: r["position"]  # noqa: E731
    art = Article(article["id"], article["text"], article["title"], article["date"], article["url"],
                  article["source"], article["origin"])
    return Extraction(
        art,
        entities=tuple(Entity(r["id"], r["type"], r["name"], tuple(r["aliases"] or ()), r["iso3"])
                       for r in sorted(entities, key=by_position)),
        mentions=tuple(Mention(r["entity_id"], r["surface"], r["start"], r["end"])
                       for r in sorted(mentions, key=by_position)),
        relations=tuple(Relation(r["subject"], r["predicate"], r["object"], r["modality"],
                                 Evidence(art.id, r["sentence"], r["start"], r["end"], r["rule"], r["confidence"],
                                          r.get("claimed_by") or "", r.get("event_date") or "",
                                          r.get("date_precision") or ""),
                                 tuple(r["items"] or ()), bool(r["inferred"]))
                        for r in sorted(relations, key=by_position)),
    )
