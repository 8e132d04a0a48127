"""Export the graph: node-link JSON, GraphML and GEXF (lists and dicts as JSON strings), and CSV for neo4j-admin.

GraphML and GEXF open in Gephi and Cytoscape: nodes carry ``type``, ``name``
(also GEXF's ``label``), ``aliases``, ``iso3``; edges ``type`` (in GEXF ``relation``
and the ``label``, since GEXF's own edge type means directed or not), ``modality``, ``modalities``, ``weight`` (signed: + cooperation,
- conflict), ``count`` (sentences), dates, ``items``, ``contested``, ``articles``, ``outlets``,
``corroboration``, ``dated_by`` and ``evidence`` (a JSON list of sentences with article id, date,
offsets, rule, modality, claimant and event date).

``csv`` (:func:`write_import_csv`) writes a directory for ``neo4j-admin database
import full``: the graph ``graphbuild load`` writes (entities, articles, evidence,
typed relationships, MENTIONS, IN_ARTICLE), one file per label or type.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import networkx as nx

from .files import atomic_directory, atomic_open

from ..store import Store

__all__ = ["ARRAY_DELIMITER", "FORMATS", "CsvReport", "export_graph", "flat_copy", "write_import_csv"]

FORMATS: tuple[str, ...] = ("json", "graphml", "gexf", "csv")


def flat_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are scalars (lists/dicts -> JSON text, None dropped), as GraphML needs."""
    def flat(attrs: dict) -> dict:
        out = {}
        for k, v in attrs.items():
            if v is None:
                continue
            out[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict, tuple)) else v
        return out

    g = nx.MultiDiGraph()
    g.add_nodes_from((n, flat(a)) for n, a in graph.nodes(data=True))
    g.add_edges_from((u, v, k, flat(a)) for u, v, k, a in graph.edges(keys=True, data=True))
    return g


class _NotPlain(Exception):
    """A value :func:`_write_json_indented` does not encode itself (json.dumps decides what to do)."""


#: Fragments gathered before one write: a 100k-article graph is ~100M fragments, never all held at once.
_CHUNK_FRAGMENTS = 1 << 16


def _write_json_indented(data: Any, write: Callable[[str], Any]) -> None:
    """Write ``json.dumps(data, ensure_ascii=False, indent=2)`` byte for byte, in chunks, through ``write``.

    With ``indent`` the json module falls back to its pure-Python encoder; this builds
    the same text from C-encoded strings in one recursive pass.  Only dicts with string
    keys, lists, tuples, strings, numbers, booleans and None are handled: anything else
    raises :class:`_NotPlain` (part of the text may have been written by then).
    """
    from json.encoder import encode_basestring

    out: list[str] = []

    def add(fragment: str) -> None:
        out.append(fragment)
        if len(out) >= _CHUNK_FRAGMENTS:
            write("".join(out))
            out.clear()
    float_repr = float.__repr__
    int_repr = int.__repr__

    def enc(o: Any, pad: str) -> None:
        if isinstance(o, str):
            add(encode_basestring(o))
        elif o is None:
            add("null")
        elif o is True:
            add("true")
        elif o is False:
            add("false")
        elif isinstance(o, int):
            add(int_repr(o))
        elif isinstance(o, float):
            if o != o or o in (float("inf"), float("-inf")):
                raise _NotPlain(o)
            add(float_repr(o))
        elif isinstance(o, dict):
            if not o:
                add("{}")
                return
            inner = pad + "  "
            sep = "{" + inner
            for k, v in o.items():
                if not isinstance(k, str):
                    raise _NotPlain(k)
                add(sep)
                add(encode_basestring(k))
                add(": ")
                enc(v, inner)
                sep = "," + inner
            add(pad + "}")
        elif isinstance(o, (list, tuple)):
            if not o:
                add("[]")
                return
            inner = pad + "  "
            sep = "[" + inner
            for v in o:
                add(sep)
                enc(v, inner)
                sep = "," + inner
            add(pad + "]")
        else:
            raise _NotPlain(o)

    enc(data, "\n")
    write("".join(out))


def _lines(graph: nx.MultiDiGraph, fmt: str) -> Iterator[str]:
    """The GraphML or GEXF text, line by line, as networkx generates it."""
    if fmt == "graphml":
        return nx.generate_graphml(flat_copy(graph))
    flat = flat_copy(graph)
    for _n, attrs in flat.nodes(data=True):
        attrs["label"] = attrs.get("name", "")
    for _u, _v, attrs in flat.edges(data=True):
        # GEXF's own edge ``type`` means directed/undirected: the relation type goes in ``relation``.
        attrs["relation"] = attrs["label"] = attrs.pop("type", "")
    return nx.generate_gexf(flat)


def _check_format(fmt: str) -> None:
    if fmt == "csv":
        raise ValueError("the csv export is a directory written from the store: use write_import_csv")
    if fmt not in ("json", "graphml", "gexf"):
        raise ValueError(f"unknown export format {fmt!r}")


def _write_text(graph: nx.MultiDiGraph, fmt: str, fh: IO[str]) -> None:
    """Write the export to ``fh`` as it is made: a big graph's text is never held whole."""
    if fmt != "json":
        for line in _lines(graph, fmt):
            fh.write(line)
            fh.write("\n")
        return
    data = nx.node_link_data(graph, edges="edges")
    try:
        _write_json_indented(data, fh.write)
    except (_NotPlain, RecursionError):
        fh.seek(0)  # the fast writer met a value it does not encode: start again with the json module
        fh.truncate()
        json.dump(data, fh, ensure_ascii=False, indent=2)
    fh.write("\n")


def export_graph(graph: nx.MultiDiGraph, fmt: str, output: Path | None = None) -> None:
    """Write ``graph`` as json, graphml or gexf to ``output`` atomically (temp file + rename), or to stdout."""
    _check_format(fmt)
    if output is not None:
        with atomic_open(output) as fh:
            _write_text(graph, fmt, fh)
        return
    buffer = io.StringIO()  # stdout cannot be rewound for the json fallback: made whole first
    _write_text(graph, fmt, buffer)
    sys.stdout.write(buffer.getvalue())


# -- CSV for neo4j-admin database import full ------------------------------------------
#: Separates the elements of array properties and of ``:LABEL`` (``--array-delimiter=';'``).
ARRAY_DELIMITER = ";"


@dataclass(frozen=True)
class CsvReport:
    """The files written (names relative to ``directory``, nodes then relationships) and rows per file."""

    directory: Path
    nodes: dict[str, int]
    relationships: dict[str, int]

    def import_command(self, prefix: str = "/import/", database: str = "neo4j") -> str:
        """The ``neo4j-admin database import full`` command for these files, found under ``prefix``."""
        parts = ["neo4j-admin database import full --overwrite-destination",
                 f"--array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true"]
        parts += [f"--nodes={prefix}{name}" for name in self.nodes]
        parts += [f"--relationships={prefix}{name}" for name in self.relationships]
        # ``--``: --nodes/--relationships take one or more files, so without it the
        # database name would be read as one more file ("File 'neo4j' doesn't exist").
        return " \\\n  ".join([*parts, f"-- {database}"])


def _cell(value: Any) -> Any:
    """A CSV cell: '' for null (no property), true/false, arrays joined by ``;``.

    A ``;`` inside an array element cannot be escaped for neo4j-admin: it becomes ``,``.
    """
    kind = type(value)
    if kind is str or kind is int or kind is float:  # most cells: checked first
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, ",") for v in value)
    return value


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> int:
    """One CSV file, header first (inside the set's temporary folder); returns the number of rows."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            n += 1
    return n


_ENTITY_HEADER = ["id:ID(Entity)", ":LABEL", "name", "aliases:string[]", "iso3", "keys:string[]", "pagerank:float",
                  "degree:int", "community:int"]
_ARTICLE_HEADER = ["id:ID(Article)", ":LABEL", "title", "date", "source", "url", "sha256"]
_EVIDENCE_HEADER = ["id:ID(Evidence)", ":LABEL", "rel_key", "subject", "predicate", "object", "article_id", "date",
                    "sentence", "start:int", "end:int", "modality", "rule", "confidence:float", "items:string[]",
                    "inferred:boolean", "claimed_by", "event_date", "date_precision"]
_RELATION_TYPES = {"modalities": "string[]", "count": "int", "weight": "float", "article_ids": "string[]",
                   "confidence": "float", "items": "string[]", "item_names": "string[]", "inferred": "boolean",
                   "contested": "boolean", "articles": "int", "outlets": "int", "corroboration": "float"}
_EVIDENCE_KEYS = ("rel_key", "subject", "predicate", "object", "article_id", "date", "sentence", "start", "end",
                  "modality", "rule", "confidence", "items", "inferred", "claimed_by", "event_date", "date_precision")
_MENTIONS_HEADER = [":START_ID(Article)", ":END_ID(Entity)", ":TYPE", "count:int"]
_IN_ARTICLE_HEADER = [":START_ID(Evidence)", ":END_ID(Article)", ":TYPE"]
_ABOUT_HEADER = [":START_ID(Evidence)", ":END_ID(Entity)", ":TYPE"]
_ITEM_HEADER = [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "via", "recipient", "modality", "label"]


def write_import_csv(store: Store, directory: Path) -> CsvReport:
    """Write node and relationship CSV files for ``neo4j-admin database import full`` into ``directory``.

    Files: ``entities_<Label>.csv`` (``:LABEL`` = ``Entity;<Label>``, ``;Top10``/``;Top100`` for the actors
    with the highest PageRank), ``articles.csv``,
    ``evidence.csv``, ``relations_<TYPE>.csv``, ``mentions.csv``, ``in_article.csv``, ``has_subject.csv``,
    ``has_object.csv``, ``supplies_item.csv``;
    every one is written with its header even when empty, so the import command
    stays the same.  ID spaces ``Entity``, ``Article``, ``Evidence``.  Properties
    and ids are those ``graphbuild load`` writes (same evidence ids, articles with
    their sha256), so a later ``graphbuild load`` only sends what changed since.

    All or nothing: the files are written into a temporary folder from one snapshot of
    the store and moved into ``directory`` only when all are complete; a full disk or a
    read-only folder is one :class:`~graphbuild.errors.OutputError` line, nothing written.
    """
    directory = Path(directory)
    with atomic_directory(directory) as staging, store.snapshot():
        nodes, rels = _write_import_files(store, staging)
    return CsvReport(directory, nodes, rels)


def _write_import_files(store: Store, directory: Path) -> tuple[dict[str, int], dict[str, int]]:
    from ..graph.model import edges
    from ..ontology import ENTITY_TYPES, RELATION_TYPES
    from . import cypher as cy

    nodes: dict[str, int] = {}
    rels: dict[str, int] = {}
    entities = list(store.entities())
    ranks = cy.entity_ranks(store)
    for label in ENTITY_TYPES:
        name = f"entities_{label}.csv"
        rows = (cy.entity_row(e, ranks.get(e.id)) for e in entities if e.type == label)
        nodes[name] = _write_csv(directory / name, _ENTITY_HEADER, (
            [r["id"], [cy.ENTITY, label, *([r["rank_label"]] if r["rank_label"] else [])],
             *(r[k] for k in cy.ENTITY_PROPERTIES)] for r in rows))
    articles = {a["id"]: a for a in store.article_rows()}
    nodes["articles.csv"] = _write_csv(directory / "articles.csv", _ARTICLE_HEADER, (
        [a["id"], cy.ARTICLE, a["title"], a["date"], a["source"], a["url"], a["sha256"]] for a in articles.values()))
    # The rows graphbuild load sends, read the way it reads them (a chunk of articles at a time).
    in_article: list[tuple[str, str, str]] = []

    def evidence() -> Iterator[list[Any]]:
        for r in cy.evidence_rows(store.evidence(article_ids=articles)):
            in_article.append((r["id"], r["article_id"], r["subject"], r["object"]))
            yield [r["id"], cy.EVIDENCE, *(r[k] for k in _EVIDENCE_KEYS)]

    nodes["evidence.csv"] = _write_csv(directory / "evidence.csv", _EVIDENCE_HEADER, evidence())
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in RELATION_TYPES}
    names = {e.id: e.name for e in entities}
    for edge in edges(store, examples=True):
        by_type[edge.predicate].append(cy.edge_row(edge, names, articles))
    header = [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"] + [
        f"{k}:{_RELATION_TYPES[k]}" if k in _RELATION_TYPES else k for k in cy.RELATION_PROPERTIES]
    for rel_type in RELATION_TYPES:
        name = f"relations_{rel_type}.csv"
        rels[name] = _write_csv(directory / name, header, (
            [r["subject"], r["object"], rel_type, *(r[k] for k in cy.RELATION_PROPERTIES)] for r in by_type[rel_type]))
    rels["mentions.csv"] = _write_csv(directory / "mentions.csv", _MENTIONS_HEADER, (
        [a, e, cy.MENTIONS, c] for a, e, c in store.article_entities()))
    rels["in_article.csv"] = _write_csv(directory / "in_article.csv", _IN_ARTICLE_HEADER, (
        [ev, a, cy.IN_ARTICLE] for ev, a, _s, _o in in_article))
    rels["has_subject.csv"] = _write_csv(directory / "has_subject.csv", _ABOUT_HEADER, (
        [ev, subj, cy.HAS_SUBJECT] for ev, _a, subj, _o in in_article))
    rels["has_object.csv"] = _write_csv(directory / "has_object.csv", _ABOUT_HEADER, (
        [ev, obj, cy.HAS_OBJECT] for ev, _a, _s, obj in in_article))
    rels["supplies_item.csv"] = _write_csv(directory / "supplies_item.csv", _ITEM_HEADER, (
        [r["subject"], item, cy.SUPPLIES_ITEM, r["key"], r["object"], r["modality"],
         cy.relation_label(cy.SUPPLIES_ITEM, r["modality"])]
        for r in by_type[cy.ARMS] for item in dict.fromkeys(r["items"]) if item in names))
    return nodes, rels
