"""`graphbuild ingest --neo4j`: store and load in one go, against the real test server."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graphbuild import cli
from spine_helpers import FakeExtractor

runner = CliRunner()


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(cli, "_make_ingest_extractor", lambda *args: FakeExtractor())


@pytest.mark.neo4j
def test_ingest_with_neo4j_loads_what_changed(fake, neo4j_db, tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_db.uri)
    if neo4j_db.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.password)
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": "Ardor meets Belmark."}) + "\n", encoding="utf-8")
    res = runner.invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "g.db"), "--neo4j", "--json"])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    # 2 entities + 1 article + 1 evidence; MEETS + 2 MENTIONS + 1 IN_ARTICLE + HAS_SUBJECT + HAS_OBJECT
    assert (out["neo4j"]["nodes_created"], out["neo4j"]["relationships_created"]) == (4, 6)
    with neo4j_db.driver.session(database=neo4j_db.database) as s:
        rows = s.run("MATCH (a:Entity)-[r:MEETS]->(b:Entity) RETURN a.id AS a, b.id AS b, r.count AS n").data()
    assert rows == [{"a": "country:ARD", "b": "country:BEL", "n": 1}]
    # again: nothing new is stored or loaded
    res = runner.invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "g.db"), "--neo4j", "--json"])
    again = json.loads(res.stdout)
    assert again["articles"]["unchanged"] == 1
    assert again["neo4j"]["nodes_created"] == 0 and again["neo4j"]["relationships_created"] == 0


def test_ingest_with_unreachable_neo4j_fails_fast_in_one_line(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")
    monkeypatch.setenv("NEO4J_PASSWORD", "marker-Secret-123")
    src = tmp_path / "a.txt"
    src.write_text("Ardor meets Belmark.\n", encoding="utf-8")
    res = runner.invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "g.db"), "--neo4j"])
    assert res.exit_code == 1
    assert res.stderr.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:9") and res.stderr.count("\n") == 1
    assert "marker-Secret-123" not in res.stdout + res.stderr
    assert not (tmp_path / "g.db").exists()  # failed before anything was read or stored


#: Two invented articles the real model reads as one CRITICIZES relation each.
REAL = [{"id": "crit-1", "title": "Border row", "date": "2024-03-01",
         "text": "France condemned Germany on Monday over the border dispute."},
        {"id": "crit-2", "title": "Dam row", "date": "2024-03-02", "text": "Kenya condemned Ethiopia on Tuesday."}]


def _neo4j_env(monkeypatch, neo4j_db) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_db.uri)
    if neo4j_db.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.password)


@pytest.mark.neo4j
@pytest.mark.model
def test_an_interrupted_ingest_load_is_finished_by_the_next_ingest(neo4j_db, tmp_path, monkeypatch):
    """Issue 19 item 5, with the real model: the load of `ingest --neo4j` stops half way (Ctrl-C after
    its first batch); the rerun finds every article unchanged and must still load what Neo4j lacks."""
    from graphdata import expected_graph, neo4j_graph

    import graphbuild.sinks.neo4j as sink
    from graphbuild.store import Store

    _neo4j_env(monkeypatch, neo4j_db)
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in REAL), encoding="utf-8")
    args = ["ingest", str(src), "--db", str(tmp_path / "g.db"), "--neo4j", "--workers", "1", "--json"]
    real_load = sink.load_store

    def interrupted(store, config, **kwargs):
        def stop(done: int, total: int) -> None:
            if done > 0:
                raise KeyboardInterrupt
        return real_load(store, config, batch_size=1, progress=stop)

    monkeypatch.setattr(sink, "load_store", interrupted)
    res = runner.invoke(cli.app, args)
    assert (res.exit_code, res.stderr) == (130, "interrupted: everything committed so far is kept\n")
    with neo4j_db.driver.session(database=neo4j_db.database) as s:
        sealed = s.run("MATCH (a:Article) WHERE a.sha256 IS NOT NULL RETURN count(a) AS n").single()["n"]
    assert sealed == 0  # the load really stopped before any article was complete

    monkeypatch.setattr(sink, "load_store", real_load)
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["articles"] == {"new": 0, "replaced": 0, "unchanged": 2, "failed": 0}
    assert out["neo4j"]["articles_new"] + out["neo4j"]["articles_changed"] == 2
    got = neo4j_graph(neo4j_db.driver)
    with Store(tmp_path / "g.db") as store:
        assert got == expected_graph(store)
    assert {(t, s, o, p["count"]) for (t, s, o), p in got["relations"].items()} == {
        ("CRITICIZES", "country:FRA", "country:DEU", 1), ("CRITICIZES", "country:KEN", "country:ETH", 1)}
    assert set(got["articles"]) == {"crit-1", "crit-2"}
    # and a third run has nothing left to do
    again = json.loads(runner.invoke(cli.app, args).stdout)["neo4j"]
    assert again["nodes_created"] == again["relationships_created"] == again["properties_set"] == 0


@pytest.mark.neo4j
@pytest.mark.model
def test_ingest_with_neo4j_and_the_real_model(neo4j_db, tmp_path, monkeypatch):
    """`ingest --neo4j` through the real extractor: exact nodes and relationships in Neo4j."""
    _neo4j_env(monkeypatch, neo4j_db)
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in REAL), encoding="utf-8")
    res = runner.invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "g.db"), "--neo4j", "--workers", "1",
                                  "--json"])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["articles"] == {"new": 2, "replaced": 0, "unchanged": 0, "failed": 0}
    assert sorted(e["id"] for e in out["entities"]) == ["country:DEU", "country:ETH", "country:FRA", "country:KEN"]
    # 4 entities + 2 articles + 2 evidence nodes; 2 relations + 4 MENTIONS + 2 IN_ARTICLE + 2 x (HAS_SUBJECT,
    # HAS_OBJECT)
    assert (out["neo4j"]["nodes_created"], out["neo4j"]["relationships_created"]) == (8, 12)
    with neo4j_db.driver.session(database=neo4j_db.database) as s:
        rows = s.run("MATCH (a:Entity)-[r:CRITICIZES]->(b:Entity) RETURN a.id AS a, b.id AS b, r.count AS n, "
                     "r.modality AS m, r.first_date AS d ORDER BY a").data()
        evidence = s.run("MATCH (ev:Evidence)-[:IN_ARTICLE]->(a:Article) RETURN a.id AS a, ev.sentence AS s "
                         "ORDER BY a").data()
    # the first date is the sentence's own event date: the Monday before Friday 1 March, the Tuesday before
    # Saturday 2 March
    assert rows == [{"a": "country:FRA", "b": "country:DEU", "n": 1, "m": "asserted", "d": "2024-02-26"},
                    {"a": "country:KEN", "b": "country:ETH", "n": 1, "m": "asserted", "d": "2024-02-27"}]
    assert evidence == [{"a": "crit-1", "s": REAL[0]["text"]}, {"a": "crit-2", "s": REAL[1]["text"]}]
