"""``graphbuild export`` in every format: CSV for neo4j-admin, GEXF and GraphML re-read with networkx."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from graphdata import NASTY_TITLE, build_fixture_store
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.graph import build_graph
from graphbuild.graph.model import aggregate_relations
from graphbuild.ontology import ENTITY_TYPES, RELATION_TYPES
from graphbuild.sinks.export import FORMATS, export_graph, write_import_csv


def _read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_csv_files_headers_and_rows(tmp_path):
    with build_fixture_store(tmp_path / "g.db") as store:
        report = write_import_csv(store, tmp_path / "csv")
        entities = {e.id: e for e in store.entities()}
        edges = list(aggregate_relations(store.evidence()))
        n_articles = len(list(store.article_rows()))
        n_mentions = len(list(store.article_entities()))
    files = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert files == sorted([*report.nodes, *report.relationships])
    assert list(report.nodes) == [f"entities_{t}.csv" for t in ENTITY_TYPES] + ["articles.csv", "evidence.csv"]
    assert list(report.relationships) == [f"relations_{t}.csv" for t in RELATION_TYPES] + [
        "mentions.csv", "in_article.csv", "has_subject.csv", "has_object.csv", "supplies_item.csv"]
    seen = {}
    for label in ENTITY_TYPES:
        header, rows = _read(tmp_path / "csv" / f"entities_{label}.csv")
        assert header == ["id:ID(Entity)", ":LABEL", "name", "aliases:string[]", "iso3", "keys:string[]",
                          "pagerank:float", "degree:int", "community:int"]
        for row in rows:
            assert row[1] in (f"Entity;{label}", f"Entity;{label};Top10", f"Entity;{label};Top100")
            seen[row[0]] = row
    assert seen.keys() == entities.keys()
    rus = seen["country:RUS"]
    assert rus[2:6] == ["Russia", "Moscow;Russian;the Kremlin", "RUS", "country:rus;russia;moscow;russian;the kremlin;rus"]
    assert seen["person:wang-yi"][3:5] == ["", ""]  # empty: no property
    header, rows = _read(tmp_path / "csv" / "relations_SUPPLIES_ARMS_TO.csv")
    assert header == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "key", "label", "modality", "modalities:string[]",
                      "count:int", "first_date", "last_date", "cameo", "cameo_label", "weight:float",
                      "article_ids:string[]", "confidence:float", "items:string[]", "item_names:string[]",
                      "inferred:boolean", "example", "example_article_id", "example_title", "example_date",
                      "contested:boolean", "articles:int", "outlets:int", "corroboration:float", "dated_by"]
    prk = next(r for r in rows if r[0] == "country:PRK")
    assert prk == ["country:PRK", "country:RUS", "SUPPLIES_ARMS_TO", "country:PRK|SUPPLIES_ARMS_TO|country:RUS",
                   "SUPPLIES_ARMS_TO", "asserted", "asserted;possible", "2", "2023-09-13", "2023-10-20", "072",
                   "provide military aid", "8.3", "putin-kim-vostochny;pyongyang-shells", "0.85",
                   "weapon:artillery-ammunition;weapon:ballistic-missiles", "artillery ammunition;ballistic missiles",
                   "false", "North Korea has shipped artillery ammunition and ballistic missiles to Russia, the IISS said.",
                   "pyongyang-shells", NASTY_TITLE, "2023-10-20",
                   # two articles of two outlets (Krone, "IISS \\ Reuters"): noisy-or of 0.65 and 0.85
                   "false", "2", "2", "0.9475", "published"]
    chn = next(r for r in rows if r[0] == "country:CHN")
    assert chn[4] == "SUPPLIES_ARMS_TO · denied"
    header, rows = _read(tmp_path / "csv" / "supplies_item.csv")
    assert [r[:3] + r[5:] for r in rows if r[0] in ("country:CHN", "country:PRK")] == [
        ["country:CHN", "weapon:drones", "SUPPLIES_ITEM", "denied", "SUPPLIES_ITEM · denied"],
        ["country:PRK", "weapon:artillery-ammunition", "SUPPLIES_ITEM", "asserted", "SUPPLIES_ITEM"],
        ["country:PRK", "weapon:ballistic-missiles", "SUPPLIES_ITEM", "asserted", "SUPPLIES_ITEM"]]
    assert sum(report.relationships[f"relations_{t}.csv"] for t in RELATION_TYPES) == len(edges)
    header, rows = _read(tmp_path / "csv" / "evidence.csv")
    assert header[:2] == ["id:ID(Evidence)", ":LABEL"] and "start:int" in header and "inferred:boolean" in header
    assert len(rows) == sum(e.count for e in edges) == report.nodes["evidence.csv"]
    sentences = {r[header.index("sentence")] for r in rows}
    assert any("\n" in s for s in sentences) and any("\x00" in s for s in sentences)  # multiline, NUL kept
    header, rows = _read(tmp_path / "csv" / "articles.csv")
    assert header == ["id:ID(Article)", ":LABEL", "title", "date", "source", "url", "sha256"]
    assert len(rows) == n_articles and all(r[1] == "Article" for r in rows)
    header, rows = _read(tmp_path / "csv" / "mentions.csv")
    assert header == [":START_ID(Article)", ":END_ID(Entity)", ":TYPE", "count:int"] and len(rows) == n_mentions
    header, rows = _read(tmp_path / "csv" / "in_article.csv")
    assert header == [":START_ID(Evidence)", ":END_ID(Article)", ":TYPE"]
    assert len(rows) == report.nodes["evidence.csv"]
    # Every relationship end is a node id of its ID space.
    evidence_ids = {r[0] for r in _read(tmp_path / "csv" / "evidence.csv")[1]}
    assert {r[0] for r in rows} == evidence_ids


def test_csv_command(fixture_db, tmp_path):
    result = CliRunner().invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("neo4j-admin database import full --overwrite-destination \\\n")
    assert "--array-delimiter=';'" in result.stdout and "--nodes=/import/entities_Country.csv" in result.stdout
    assert result.stdout.rstrip().endswith("neo4j")
    assert (tmp_path / "out" / "relations_MEETS.csv").is_file()
    result = CliRunner().invoke(app, ["export", "--format", "csv"])
    assert result.exit_code == 2


def test_csv_command_is_in_readme(repo_root, fixture_db, tmp_path):
    result = CliRunner().invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "out")])
    assert result.stdout.strip() in (repo_root / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_gexf_and_graphml_reread(tmp_path, fmt):
    with build_fixture_store(tmp_path / "g.db") as store:
        graph = build_graph(store)
    export_graph(graph, fmt, tmp_path / f"g.{fmt}")
    back = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(tmp_path / f"g.{fmt}")
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for node, attrs in graph.nodes(data=True):
        got = back.nodes[node]
        assert (got["type"], got["name"], json.loads(got["aliases"])) == (attrs["type"], attrs["name"],
                                                                         attrs["aliases"])
        assert got.get("iso3") == attrs["iso3"]
    relation = "relation" if fmt == "gexf" else "type"
    original = sorted((u, v, d["type"], d["modality"], d["weight"], d["count"], json.dumps(d["evidence"]))
                      for u, v, d in graph.edges(data=True))
    reread = sorted((u, v, d[relation], d["modality"], d["weight"], d["count"],
                     json.dumps(json.loads(d["evidence"]))) for u, v, d in back.edges(data=True))
    assert reread == original


def test_formats():
    assert FORMATS == ("json", "graphml", "gexf", "csv")
    with pytest.raises(ValueError, match="write_import_csv"):
        export_graph(nx.MultiDiGraph(), "csv")


def test_json_file_is_streamed_and_equals_json_dumps(tmp_path, monkeypatch):
    """The JSON export is written in chunks (never the whole text in memory) yet is exactly json.dumps' text."""
    from graphbuild.sinks import export

    with build_fixture_store(tmp_path / "g.db") as store:
        graph = build_graph(store)
    expected = json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=2) + "\n"
    writes: list[int] = []
    real_open = export.atomic_open

    class Counting:
        def __init__(self, fh):
            self.fh = fh

        def write(self, text):
            writes.append(len(text))
            return self.fh.write(text)

        def __getattr__(self, name):
            return getattr(self.fh, name)

    from contextlib import contextmanager

    @contextmanager
    def counting_open(path, *a, **k):
        with real_open(path, *a, **k) as fh:
            yield Counting(fh)

    monkeypatch.setattr(export, "atomic_open", counting_open)
    monkeypatch.setattr(export, "_CHUNK_FRAGMENTS", 50)
    export_graph(graph, "json", tmp_path / "g.json")
    assert (tmp_path / "g.json").read_text(encoding="utf-8") == expected
    assert len(writes) > 10 and max(writes) < len(expected) / 5


def test_json_file_falls_back_to_json_module_for_other_values(tmp_path):
    """A value the fast writer does not encode (NaN) restarts the file with the json module: no half text."""
    g = nx.MultiDiGraph()
    g.add_node("a", name="A", score=float("nan"))
    g.add_edge("a", "b", type="MEETS")
    export_graph(g, "json", tmp_path / "g.json")
    text = (tmp_path / "g.json").read_text(encoding="utf-8")
    assert text == json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=2) + "\n"
    assert '"score": NaN' in text and text.count('"directed"') == 1
