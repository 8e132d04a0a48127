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
    assert out["neo4j"]["nodes_created"] >= 3
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
