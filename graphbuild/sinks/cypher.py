"""The Cypher of graphbuild, in one place: schema, the ``UNWIND ... MERGE`` statements, rows and the script.

The graph in Neo4j (see ``docs/neo4j.md``)::

    (:Entity:<Type>[:Top10|:Top100] {id, name, aliases, iso3?, keys,   one node per canonical actor
                                      pagerank, degree, community?})
    (:Article {id, title, date, source, url, sha256})-[:MENTIONS {count}]->(:Entity)
    (:Entity)-[:<RELATION> {key, label, modality, modalities, count, first_date, last_date,
                            cameo, cameo_label, weight, article_ids, confidence, items, item_names,
                            inferred, example, example_article_id, example_title, example_date,
                            contested, articles, outlets, corroboration, dated_by}]->(:Entity)
    (supplier:Entity)-[:SUPPLIES_ITEM {via, recipient, modality, label}]->(:Weapon)  one per item of an arms edge
    (:Evidence {id, rel_key, subject, predicate, object, article_id, date, sentence,
                start, end, modality, rule, confidence, items, inferred, claimed_by, event_date,
                date_precision})-[:IN_ARTICLE]->(:Article)
    (:Evidence)-[:HAS_SUBJECT]->(:Entity), (:Evidence)-[:HAS_OBJECT]->(:Entity)

``pagerank``, ``degree`` and ``community`` are ``graphbuild analyze``'s numbers
(:mod:`graphbuild.analysis.scores`); the ten actors with the highest PageRank carry the label
``Top10``, the next ninety ``Top100``, so the Browser style can draw them bigger.
``keys`` are the entity's lookup keys (:func:`graphbuild.graph.lookup.lookup_keys`), indexed
with its name and aliases by the full-text index ``entity_lookup`` the saved queries use.

Labels and relationship types come only from :mod:`graphbuild.ontology` (plus the
structural names below); every value travels as a row.  The driver path
(:mod:`graphbuild.sinks.neo4j`) runs ``UNWIND $rows AS row <body>``; the script
inlines the rows as literals in front of the SAME body, so the two cannot drift.

Regenerate ``cypher/schema.cypher`` with::

    graphbuild cypher --schema > cypher/schema.cypher
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from ..defaults import SCRIPT_BATCH
from ..analysis.scores import ActorRank, actor_ranks
from ..graph.lookup import lookup_keys
from ..graph.model import GraphEdge, edges
from ..models import Entity, content_hash
from ..ontology import ENTITY_TYPES, RELATION_TYPES, cameo_label
from ..store import Store, StoredRelation

__all__ = [
    "ARTICLE",
    "DEFAULT_SCRIPT_BATCH",
    "ENTITY",
    "ENTITY_PROPERTIES",
    "EVIDENCE",
    "EVIDENCE_QUERY",
    "HAS_OBJECT",
    "HAS_SUBJECT",
    "IN_ARTICLE",
    "LOOKUP_INDEX",
    "MENTIONS",
    "RANK_LABELS",
    "STRUCTURAL_TYPES",
    "SUPPLIES_ITEM",
    "Statement",
    "ScriptReport",
    "article_row",
    "cypher_literal",
    "edge_row",
    "entity_ranks",
    "entity_row",
    "evidence_rows",
    "quote_name",
    "rank_label",
    "relation_label",
    "schema_statements",
    "schema_text",
    "write_script",
    "ARTICLE_UPSERT",
    "ARTICLE_CREATE",
    "ARTICLE_SEAL",
    "ARTICLE_DELETE",
    "ENTITY_UPSERT",
    "ENTITY_DELETE",
    "EVIDENCE_UPSERT",
    "EVIDENCE_CREATE",
    "EVIDENCE_DELETE",
    "MENTIONS_UPSERT",
    "MENTIONS_CREATE",
    "MENTIONS_DELETE",
    "RELATION_UPSERT",
    "RELATION_DELETE",
]

#: Rows per ``UNWIND`` statement of a script (see :mod:`graphbuild.defaults`).
DEFAULT_SCRIPT_BATCH = SCRIPT_BATCH

#: Structural names of the Neo4j model (not ontology types: they never carry geopolitics).
ENTITY = "Entity"
ARTICLE = "Article"
EVIDENCE = "Evidence"
MENTIONS = "MENTIONS"
IN_ARTICLE = "IN_ARTICLE"
HAS_SUBJECT = "HAS_SUBJECT"
HAS_OBJECT = "HAS_OBJECT"
SUPPLIES_ITEM = "SUPPLIES_ITEM"
#: Labels of the actors with the highest PageRank, by how high (:func:`rank_label`): the Browser
#: style sizes nodes by them (Browser styles by label only, never by a property's value).
TOP10 = "Top10"
TOP100 = "Top100"
RANK_LABELS = (TOP10, TOP100)
#: Every relationship type that is not an ontology relation: the closed list of structural types.
STRUCTURAL_TYPES = (MENTIONS, IN_ARTICLE, HAS_SUBJECT, HAS_OBJECT, SUPPLIES_ITEM)
#: The arms type whose items get SUPPLIES_ITEM edges from the supplier to each Weapon.
ARMS = "SUPPLIES_ARMS_TO"
#: The full-text index on entity names, aliases and lookup keys.
LOOKUP_INDEX = "entity_lookup"


def quote_name(name: str) -> str:
    """A label, type or property name as a Cypher identifier (backticks, inner ones doubled).

    >>> quote_name("SUPPLIES_ARMS_TO")
    '`SUPPLIES_ARMS_TO`'
    >>> quote_name("a`b")
    '`a``b`'
    """
    return "`" + name.replace("`", "``") + "`"


# -- literals -----------------------------------------------------------------
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Control, format (RTL marks, zero-width joiners), separators, private/unassigned, surrogates.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"})


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if unicodedata.category(ch) not in _ESCAPED_CATEGORIES:
        return ch
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    # Cypher has no \U escape: a UTF-16 surrogate pair spells a character beyond the BMP.
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _string_literal(text: str) -> str:
    return "'" + "".join(_escape_char(ch) for ch in text) + "'"


def cypher_literal(value: Any) -> str:
    r"""A Python value (str, int, float, bool, None, list/tuple, dict) as a Cypher literal.

    Control and invisible characters (NUL, RTL marks, zero-width joiners) are
    escaped, so the script shows what it stores and nothing can end a string early.

    >>> print(cypher_literal({"name": "O'Hara \\ x\u200f", "n": [1, 2.5, None, True]}))
    {name: 'O\'Hara \\ x\u200f', n: [1, 2.5, null, true]}
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Cypher has no literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_map_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _map_key(key: str) -> str:
    return key if key.isidentifier() and key.isascii() else quote_name(key)


# -- statements ---------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """A static statement body that reads its values from ``row``."""

    name: str
    body: str

    def parameterised(self) -> str:
        """The driver form: rows come as the ``$rows`` parameter."""
        return f"UNWIND $rows AS row\n{self.body}"

    def inline(self, rows: Sequence[dict[str, Any]]) -> str:
        """The script form: the same body, rows inlined as a literal list."""
        return "UNWIND [\n  " + ",\n  ".join(cypher_literal(r) for r in rows) + f"\n] AS row\n{self.body}"


#: The node properties :func:`entity_row` gives, in order (``rank_label`` is a label, not a property).
ENTITY_PROPERTIES = ("name", "aliases", "iso3", "keys", "pagerank", "degree", "community")


def _entity_upsert(label: str) -> Statement:
    # a rank label is set or removed only where it changes (no label churn in the load's counters)
    ranks = "".join(f"\nFOREACH (_ IN CASE WHEN row.rank_label = '{r}' THEN [1] ELSE [] END | SET n:{quote_name(r)})"
                    f"\nFOREACH (_ IN CASE WHEN coalesce(row.rank_label, '') <> '{r}' THEN [1] ELSE [] END"
                    f" | REMOVE n:{quote_name(r)})" for r in RANK_LABELS)
    return Statement(
        f"entity:{label}",
        f"MERGE (n:{quote_name(ENTITY)} {{id: row.id}})\n"
        f"SET n:{quote_name(label)}, " + ", ".join(f"n.{p} = row.{p}" for p in ENTITY_PROPERTIES) + ranks,
    )


#: The relationship properties :func:`edge_row` gives (besides ``subject`` and ``object``), in order.
RELATION_PROPERTIES = ("key", "label", "modality", "modalities", "count", "first_date", "last_date", "cameo",
                       "cameo_label", "weight", "article_ids", "confidence", "items", "item_names", "inferred",
                       "example", "example_article_id", "example_title", "example_date",
                       "contested", "articles", "outlets", "corroboration", "dated_by")


def _relation_upsert(rel_type: str) -> Statement:
    e = quote_name(ENTITY)
    body = (f"MATCH (s:{e} {{id: row.subject}})\n"
            f"MATCH (o:{e} {{id: row.object}})\n"
            f"MERGE (s)-[r:{quote_name(rel_type)}]->(o)\n"
            "SET " + ", ".join(f"r.{p} = row.{p}" for p in RELATION_PROPERTIES))
    if rel_type == ARMS:  # the supplier -> weapon edges follow the arms edge's items
        item = quote_name(SUPPLIES_ITEM)
        body += ("\nWITH s, row\n"
                 f"CALL {{ WITH s, row MATCH (s)-[old:{item} {{via: row.key}}]->(w:{e}) WHERE NOT w.id IN row.items"
                 " DELETE old }\n"
                 "WITH s, row\nUNWIND row.items AS item\n"
                 f"MATCH (w:{e} {{id: item}})\n"
                 f"MERGE (s)-[x:{item} {{via: row.key}}]->(w)\n"
                 "SET x.recipient = row.object, x.modality = row.modality,"
                 f" x.label = CASE row.modality WHEN 'asserted' THEN '{SUPPLIES_ITEM}'"
                 f" ELSE '{SUPPLIES_ITEM} · ' + row.modality END")
    return Statement(f"relation:{rel_type}", body)


def _relation_delete(rel_type: str) -> Statement:
    e = quote_name(ENTITY)
    if rel_type == ARMS:
        return Statement(
            f"relation-delete:{rel_type}",
            f"MATCH (s:{e} {{id: row.subject}})-[r:{quote_name(rel_type)}]->(:{e} {{id: row.object}})\n"
            f"OPTIONAL MATCH (s)-[x:{quote_name(SUPPLIES_ITEM)} {{via: r.key}}]->()\nDELETE r, x",
        )
    return Statement(
        f"relation-delete:{rel_type}",
        f"MATCH (:{e} {{id: row.subject}})-[r:{quote_name(rel_type)}]->(:{e} {{id: row.object}})\nDELETE r",
    )


#: One upsert per entity label; rows from :func:`entity_row`.
ENTITY_UPSERT: dict[str, Statement] = {label: _entity_upsert(label) for label in ENTITY_TYPES}
#: Deletes the SUPPLIES_ITEM edges of arms transfers to ``n`` (they hang off the supplier and the weapon).
_ITEMS_TO_N = (f"CALL (n) {{ MATCH ()-[x:{quote_name(SUPPLIES_ITEM)}]->() WHERE x.recipient = n.id DELETE x }}\n")
#: Rows ``{id}``: entities the store no longer has.
ENTITY_DELETE = Statement("entity-delete", f"MATCH (n:{quote_name(ENTITY)} {{id: row.id}})\n{_ITEMS_TO_N}DETACH DELETE n")
#: Rows ``{id}``: ids identity merged away, in a database an earlier script loaded: the node,
#: its relationships and the evidence naming it go (the script writes the survivor's after).
RETIRED_DELETE = Statement(
    "retired-delete",
    f"MATCH (n:{quote_name(ENTITY)} {{id: row.id}})\n{_ITEMS_TO_N}"
    f"OPTIONAL MATCH (ev:{quote_name(EVIDENCE)}) WHERE ev.subject = row.id OR ev.object = row.id\n"
    "DETACH DELETE n, ev",
)
#: Rows from :func:`article_row`.  The loader first writes ``sha256: null`` and seals it last.
ARTICLE_UPSERT = Statement(
    "article",
    f"MERGE (a:{quote_name(ARTICLE)} {{id: row.id}})\n"
    "SET a.title = row.title, a.date = row.date, a.source = row.source, a.url = row.url, a.sha256 = row.sha256",
)
#: Rows ``{id, sha256}``: marks an article as completely loaded.
ARTICLE_SEAL = Statement("article-seal", f"MATCH (a:{quote_name(ARTICLE)} {{id: row.id}})\nSET a.sha256 = row.sha256")
#: Rows ``{id}``: articles the store no longer has (with their evidence).
ARTICLE_DELETE = Statement(
    "article-delete",
    f"MATCH (a:{quote_name(ARTICLE)} {{id: row.id}})\n"
    f"OPTIONAL MATCH (ev:{quote_name(EVIDENCE)} {{article_id: row.id}})\n"
    "DETACH DELETE a, ev",
)
#: Rows ``{article_id, entity_id, count}``.
MENTIONS_UPSERT = Statement(
    "mentions",
    f"MATCH (a:{quote_name(ARTICLE)} {{id: row.article_id}})\n"
    f"MATCH (e:{quote_name(ENTITY)} {{id: row.entity_id}})\n"
    f"MERGE (a)-[m:{quote_name(MENTIONS)}]->(e)\n"
    "SET m.count = row.count",
)
#: Rows ``{article_id, entity_id}``.
MENTIONS_DELETE = Statement(
    "mentions-delete",
    f"MATCH (:{quote_name(ARTICLE)} {{id: row.article_id}})-[m:{quote_name(MENTIONS)}]->"
    f"(:{quote_name(ENTITY)} {{id: row.entity_id}})\nDELETE m",
)
#: One upsert per relationship type; rows from :func:`edge_row`.
RELATION_UPSERT: dict[str, Statement] = {t: _relation_upsert(t) for t in RELATION_TYPES}
#: Rows ``{subject, object}``: logical relations with no evidence left.
RELATION_DELETE: dict[str, Statement] = {t: _relation_delete(t) for t in RELATION_TYPES}
#: Rows from :func:`evidence_rows`.
EVIDENCE_UPSERT = Statement(
    "evidence",
    f"MATCH (a:{quote_name(ARTICLE)} {{id: row.article_id}})\n"
    f"MERGE (ev:{quote_name(EVIDENCE)} {{id: row.id}})\n"
    "SET ev.rel_key = row.rel_key, ev.subject = row.subject, ev.predicate = row.predicate,"
    " ev.object = row.object, ev.article_id = row.article_id, ev.date = row.date, ev.sentence = row.sentence,"
    " ev.start = row.start, ev.end = row.end, ev.modality = row.modality, ev.rule = row.rule,"
    " ev.confidence = row.confidence, ev.items = row.items, ev.inferred = row.inferred,"
    " ev.claimed_by = row.claimed_by, ev.event_date = row.event_date, ev.date_precision = row.date_precision\n"
    f"MERGE (ev)-[:{quote_name(IN_ARTICLE)}]->(a)\n"
    f"WITH ev, row MATCH (s:{quote_name(ENTITY)} {{id: row.subject}}) MATCH (o:{quote_name(ENTITY)} {{id: row.object}})\n"
    f"MERGE (ev)-[:{quote_name(HAS_SUBJECT)}]->(s) MERGE (ev)-[:{quote_name(HAS_OBJECT)}]->(o)",
)
#: Driver only, for articles the same transaction creates (nothing can hang off them yet):
#: plain CREATE instead of MERGE, the same properties as the upserts above.
ARTICLE_CREATE = Statement(
    "article-create",
    f"CREATE (a:{quote_name(ARTICLE)} {{id: row.id}})\n"
    "SET a.title = row.title, a.date = row.date, a.source = row.source, a.url = row.url, a.sha256 = row.sha256",
)
#: Rows ``{article_id, entity_id, count}`` of articles created in the same transaction.
MENTIONS_CREATE = Statement(
    "mentions-create",
    f"MATCH (a:{quote_name(ARTICLE)} {{id: row.article_id}})\n"
    f"MATCH (e:{quote_name(ENTITY)} {{id: row.entity_id}})\n"
    f"CREATE (a)-[m:{quote_name(MENTIONS)}]->(e)\n"
    "SET m.count = row.count",
)
#: Rows from :func:`evidence_rows` of articles created in the same transaction.
EVIDENCE_CREATE = Statement(
    "evidence-create",
    f"MATCH (a:{quote_name(ARTICLE)} {{id: row.article_id}})\n"
    f"CREATE (ev:{quote_name(EVIDENCE)} {{id: row.id}})-[:{quote_name(IN_ARTICLE)}]->(a)\n"
    "SET ev.rel_key = row.rel_key, ev.subject = row.subject, ev.predicate = row.predicate,"
    " ev.object = row.object, ev.article_id = row.article_id, ev.date = row.date, ev.sentence = row.sentence,"
    " ev.start = row.start, ev.end = row.end, ev.modality = row.modality, ev.rule = row.rule,"
    " ev.confidence = row.confidence, ev.items = row.items, ev.inferred = row.inferred,"
    " ev.claimed_by = row.claimed_by, ev.event_date = row.event_date, ev.date_precision = row.date_precision\n"
    f"WITH ev, row MATCH (s:{quote_name(ENTITY)} {{id: row.subject}}) MATCH (o:{quote_name(ENTITY)} {{id: row.object}})\n"
    f"CREATE (ev)-[:{quote_name(HAS_SUBJECT)}]->(s), (ev)-[:{quote_name(HAS_OBJECT)}]->(o)",
)
#: Rows ``{id}``: evidence a changed article no longer gives.
EVIDENCE_DELETE = Statement("evidence-delete", f"MATCH (ev:{quote_name(EVIDENCE)} {{id: row.id}})\nDETACH DELETE ev")

#: The documented evidence query: the articles and exact sentences behind one relationship.
EVIDENCE_QUERY = f"""\
MATCH (s:{ENTITY} {{id: $subject}})-[r]->(o:{ENTITY} {{id: $object}})
WHERE type(r) = $type
MATCH (ev:{EVIDENCE} {{rel_key: r.key}})-[:{IN_ARTICLE}]->(a:{ARTICLE})
RETURN a.id AS article_id, a.title AS title, a.date AS date, a.url AS url,
       ev.sentence AS sentence, ev.start AS start, ev.end AS end,
       ev.modality AS modality, ev.rule AS rule, ev.confidence AS confidence
ORDER BY date, article_id, start"""


# -- schema -------------------------------------------------------------------
def _snake(name: str) -> str:
    return name.lower()


def schema_statements() -> list[str]:
    """Constraints and indexes, generated from the ontology (idempotent: ``IF NOT EXISTS``)."""
    out = []

    def unique(label: str, prop: str = "id") -> None:
        out.append(f"CREATE CONSTRAINT {_snake(label)}_{prop} IF NOT EXISTS "
                   f"FOR (n:{quote_name(label)}) REQUIRE n.{prop} IS UNIQUE")

    def index(label: str, prop: str) -> None:
        out.append(f"CREATE INDEX {_snake(label)}_{prop} IF NOT EXISTS FOR (n:{quote_name(label)}) ON (n.{prop})")

    unique(ENTITY)
    for label in ENTITY_TYPES:
        unique(label)
    unique(ARTICLE)
    unique(EVIDENCE)
    index(ENTITY, "name")
    index(ENTITY, "pagerank")  # the overview's top actors: read in index order, no sort of every entity
    index("Country", "iso3")
    index(ARTICLE, "sha256")
    index(ARTICLE, "date")
    for prop in ("rel_key", "article_id", "subject", "object"):
        index(EVIDENCE, prop)
    for rel_type in RELATION_TYPES:
        out.append(f"CREATE INDEX rel_{_snake(rel_type)}_key IF NOT EXISTS "
                   f"FOR ()-[r:{quote_name(rel_type)}]-() ON (r.key)")
    for rel_type in RELATION_TYPES:  # new_relations: a range seek per type, not a scan of every relation
        out.append(f"CREATE INDEX rel_{_snake(rel_type)}_first_date IF NOT EXISTS "
                   f"FOR ()-[r:{quote_name(rel_type)}]-() ON (r.first_date)")
    out.append(f"CREATE INDEX rel_{_snake(SUPPLIES_ITEM)}_via IF NOT EXISTS "
               f"FOR ()-[r:{quote_name(SUPPLIES_ITEM)}]-() ON (r.via)")
    # Case- and diacritic-blind search of names, aliases and lookup keys (the saved queries' actor lookup).
    out.append(f"CREATE FULLTEXT INDEX {LOOKUP_INDEX} IF NOT EXISTS FOR (n:{quote_name(ENTITY)}) "
               "ON EACH [n.name, n.aliases, n.keys] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}")
    return out


#: Waits until the indexes are online, so the MERGEs that follow use them.
AWAIT_INDEXES = "CALL db.awaitIndexes(300)"


def schema_text() -> str:
    """The text of ``cypher/schema.cypher``."""
    head = ("// graphbuild schema: generated from graphbuild/ontology.py, do not edit.\n"
            "// Regenerate: graphbuild cypher --schema > cypher/schema.cypher\n")
    return head + "".join(f"{s};\n" for s in schema_statements())


# -- rows ---------------------------------------------------------------------
def rank_label(rank: int | None) -> str | None:
    """The label of an actor at ``rank`` by PageRank (1 = highest), None below the top 100.

    >>> rank_label(1), rank_label(10), rank_label(11), rank_label(100), rank_label(101), rank_label(None)
    ('Top10', 'Top10', 'Top100', 'Top100', None, None)
    """
    if rank is None or rank > 100:
        return None
    return TOP10 if rank <= 10 else TOP100


def entity_ranks(store: Store) -> dict[str, ActorRank]:
    """PageRank, degree, community and rank of every entity of the store, as ``analyze`` computes them."""
    from ..graph.nx import build_graph

    return actor_ranks(build_graph(store, evidence=False))


#: The scores of an entity with no relation when the caller has none computed.
_NO_RANK = ActorRank(0.0, 0, None, None)


def entity_row(entity: Entity, rank: ActorRank | None = None) -> dict[str, Any]:
    """Row for :data:`ENTITY_UPSERT`; ``rank`` from :func:`entity_ranks` (zeros without it)."""
    rank = rank or _NO_RANK
    return {"id": entity.id, "name": entity.name, "aliases": list(entity.aliases), "iso3": entity.iso3,
            "keys": lookup_keys(entity.id, entity.name, entity.aliases, entity.iso3),
            "pagerank": rank.pagerank, "degree": rank.degree, "community": rank.community,
            "rank_label": rank_label(rank.rank)}


def article_row(article: dict[str, Any], *, sealed: bool = True) -> dict[str, Any]:
    """Row for :data:`ARTICLE_UPSERT` from :meth:`Store.article_rows`; ``sealed=False`` writes no sha256."""
    return {"id": article["id"], "title": article["title"], "date": article["date"], "source": article["source"],
            "url": article["url"], "sha256": article["sha256"] if sealed else None}


def relation_label(predicate: str, modality: str) -> str:
    """The caption of an edge: its type, with the modality unless asserted.

    >>> relation_label("SUPPLIES_ARMS_TO", "possible"), relation_label("MEETS", "asserted")
    ('SUPPLIES_ARMS_TO · possible', 'MEETS')
    """
    return predicate if modality == "asserted" else f"{predicate} · {modality}"


def edge_row(edge: GraphEdge, names: Mapping[str, str] | None = None,
             articles: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Row for :data:`RELATION_UPSERT` from an aggregated logical relation.

    ``names`` (entity id -> name) gives ``item_names``, ``articles`` (id -> article row) the
    example's title and date; without them an item is named by its id and the title is null.
    """
    names = names or {}
    example = edge.example
    article = (articles or {}).get(example[0]) if example else None
    return {
        "key": edge.key, "subject": edge.subject, "object": edge.object,
        "label": relation_label(edge.predicate, edge.modality), "modality": edge.modality,
        "modalities": list(edge.modalities), "count": edge.count, "first_date": edge.first_date,
        "last_date": edge.last_date, "cameo": edge.cameo, "cameo_label": cameo_label(edge.cameo),
        "weight": edge.weight, "article_ids": list(edge.article_ids), "confidence": edge.confidence,
        "items": list(edge.items), "item_names": [names.get(i, i) for i in edge.items], "inferred": edge.inferred,
        "example": example[1] if example else None, "example_article_id": example[0] if example else None,
        "example_title": article["title"] if article else None, "example_date": article["date"] if article else None,
        "contested": edge.contested, "articles": edge.articles, "outlets": edge.outlets,
        "corroboration": edge.corroboration, "dated_by": edge.dated_by or None,
    }


def evidence_rows(rows: Iterable[StoredRelation]) -> Iterator[dict[str, Any]]:
    """Rows for :data:`EVIDENCE_UPSERT`, one per piece of evidence (in any order the store gives).

    The ``id`` hashes everything the row says (plus an ordinal among identical rows,
    which never span articles or relations), so unchanged evidence keeps its id, a changed
    sentence gets a new one, and one article's evidence gets the same ids read alone or
    with its whole relation.
    """
    seen: Counter[str] = Counter()
    for s, p, o, modality, aid, sentence, start, end, rule, conf, items, inferred, _c, _w, date, who, when, prec, \
            _src in rows:
        key = f"{s}|{p}|{o}"  # edge_key, inlined: millions of rows
        parts = (key, aid, date, sentence, str(start), str(end), modality, rule, repr(float(conf)),
                 json.dumps(list(items)) if items else "[]", str(inferred))
        # evidence without a claim keeps the id it had before claims existed
        identity = content_hash(*parts, who, when, prec) if who or when else content_hash(*parts)
        seen[identity] += 1
        yield {
            "id": "ev:" + content_hash(identity, str(seen[identity]))[:32],
            "rel_key": key, "subject": s, "predicate": p, "object": o, "article_id": aid, "date": date,
            "sentence": sentence, "start": start, "end": end, "modality": modality, "rule": rule,
            "confidence": conf, "items": list(items), "inferred": inferred,
            # empty means no property (as neo4j-admin reads an empty CSV field)
            "claimed_by": who or None, "event_date": when or None, "date_precision": prec or None,
        }


# -- script -------------------------------------------------------------------
@dataclass(frozen=True)
class ScriptReport:
    """What :func:`write_script` wrote."""

    statements: int
    entities: int
    articles: int
    mentions: int
    relations: int
    evidence: int


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_script(store: Store, out: TextIO, *, batch_size: int = DEFAULT_SCRIPT_BATCH) -> ScriptReport:
    """Write a self-contained Cypher script of the whole store to ``out``.

    Schema first, then ``UNWIND [<rows>] AS row <body>`` statements of at most
    ``batch_size`` rows, each ended by ``;`` and a newline: runnable as is with
    ``cypher-shell -f`` or pasted into Neo4j Browser.  Running it twice changes nothing.
    The store is read in one snapshot (an ingest committing meanwhile is not half in it).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    with store.snapshot():
        return _write_script(store, out, batch_size)


def _write_script(store: Store, out: TextIO, batch_size: int) -> ScriptReport:
    n_statements = 0

    def emit(statement: Statement, rows: Iterable[dict[str, Any]]) -> int:
        nonlocal n_statements
        count = 0
        for batch in _batched(rows, batch_size):
            out.write(statement.inline(batch) + ";\n")
            n_statements += 1
            count += len(batch)
        return count

    out.write("// graphbuild: the knowledge graph as a Cypher script (cypher-shell -f FILE, or paste into Browser).\n"
              "// Every MERGE is on a unique id: running the script again changes nothing.\n")
    out.write("// -- schema (cypher/schema.cypher)\n")
    for stmt in schema_statements():
        out.write(stmt + ";\n")
        n_statements += 1
    out.write(AWAIT_INDEXES + ";\n")
    n_statements += 1

    retired = [{"id": old} for old in store.retired()]
    if retired:
        out.write("// -- ids merged away since an earlier load: their nodes and evidence go (the survivors' come below)\n")
        emit(RETIRED_DELETE, retired)
    entities = list(store.entities())
    ranks = entity_ranks(store)
    out.write("// -- entities\n")
    n_entities = sum(emit(ENTITY_UPSERT[label], (entity_row(e, ranks.get(e.id)) for e in entities
                                                 if e.type == label))
                     for label in ENTITY_TYPES)
    out.write("// -- articles\n")
    articles = {a["id"]: a for a in store.article_rows()}
    n_articles = emit(ARTICLE_UPSERT, (article_row(a) for a in articles.values()))
    out.write("// -- mentions\n")
    n_mentions = emit(MENTIONS_UPSERT, ({"article_id": a, "entity_id": e, "count": c}
                                        for a, e, c in store.article_entities()))
    relations = list(edges(store, examples=True))  # aggregates and examples: the sentences stream below
    names = {e.id: e.name for e in entities}
    out.write("// -- relations\n")
    n_relations = sum(emit(RELATION_UPSERT[t], (edge_row(e, names, articles) for e in relations if e.predicate == t))
                      for t in RELATION_TYPES)
    out.write("// -- evidence\n")
    n_evidence = emit(EVIDENCE_UPSERT, evidence_rows(store.evidence()))
    return ScriptReport(n_statements, n_entities, n_articles, n_mentions, n_relations, n_evidence)
