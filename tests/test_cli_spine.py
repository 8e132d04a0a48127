"""CLI spine: ingest / stats / export through typer's CliRunner, exit codes and --json."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

import graphbuild
from graphbuild import cli
from graphbuild.store import Store
from spine_helpers import FakeExtractor

runner = CliRunner()


@pytest.fixture
def fake(monkeypatch):
    fx = FakeExtractor()
    monkeypatch.setattr(cli, "_make_ingest_extractor", lambda *args: fx)
    return fx


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "one.txt").write_text("Ardor and Belmark\n\nArdor meets Belmark.\n", encoding="utf-8")
    (d / "two.jsonl").write_text(
        json.dumps({"id": "n2", "text": "Corvania meets Dunmere.", "date": "2024-03-01"}) + "\n"
        + "{broken json\n", encoding="utf-8")
    return d


def test_version():
    res = runner.invoke(cli.app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"graphbuild {graphbuild.__version__}"


def test_ingest_json_reports_and_exit_code_1_on_bad_line(fake, corpus, tmp_path):
    db = tmp_path / "g.db"
    res = runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db), "--json"])
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    assert out["articles"] == {"new": 2, "replaced": 0, "unchanged": 0, "failed": 1}
    assert {e["name"] for e in out["entities"]} == {"Ardor", "Belmark", "Corvania", "Dunmere"}
    assert out["relations"] == 2
    assert out["problems"] == [{"origin": f"{corpus / 'two.jsonl'}:2",
                                "reason": "invalid JSON: Expecting property name enclosed in double quotes at column 2"}]
    assert res.stderr.strip() == f"error: {corpus / 'two.jsonl'}:2: invalid JSON: Expecting property name " \
                                 "enclosed in double quotes at column 2"
    # the good articles are stored
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2


def test_ingest_again_is_unchanged_and_exit_0(fake, corpus, tmp_path):
    db = tmp_path / "g.db"
    (corpus / "two.jsonl").write_text(json.dumps({"id": "n2", "text": "Corvania meets Dunmere."}) + "\n")
    assert runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db)]).exit_code == 0
    res = runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["articles"] == {"new": 0, "replaced": 0, "unchanged": 2, "failed": 0}


def test_ingest_table_shows_the_most_mentioned_entities_json_has_all(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_ENTITY_ROWS", 2)
    src = tmp_path / "a.txt"
    src.write_text("T\n\nArdor meets Belmark. Ardor and Corvania. Ardor, Belmark, Dunmere.\n", encoding="utf-8")
    res = runner.invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "t.db")], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "Entities found: the 2 most mentioned of 4 (all with --json)" in res.stdout
    assert "Ardor" in res.stdout and "Belmark" in res.stdout and "Dunmere" not in res.stdout
    assert "(extraction: in-process)" in res.stdout
    res = runner.invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "u.db"), "--json"])
    assert [e["name"] for e in json.loads(res.stdout)["entities"]] == ["Ardor", "Belmark", "Corvania", "Dunmere"]


def test_env_db_and_stats_json(fake, corpus, tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("GRAPHBUILD_DB", str(db))
    runner.invoke(cli.app, ["ingest", str(corpus)])
    res = runner.invoke(cli.app, ["stats", "--json"])
    assert res.exit_code == 0
    stats = json.loads(res.stdout)
    assert stats["articles"] == 2 and stats["entities"] == 4
    assert stats["entities_by_type"] == {"Person": 0, "Country": 4, "Organization": 0, "Location": 0, "Weapon": 0}
    assert stats["relations_by_type"] == {"MEETS": {"asserted": 2}}
    table = runner.invoke(cli.app, ["stats"])
    assert "Relations by type and modality" in table.stdout and "MEETS" in table.stdout


def test_export_graphml_and_json(fake, corpus, tmp_path):
    db = tmp_path / "g.db"
    runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db)])
    out = tmp_path / "g.graphml"
    res = runner.invoke(cli.app, ["export", "--format", "graphml", "-o", str(out), "--db", str(db)])
    assert res.exit_code == 0, res.stderr
    root = ET.parse(out).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 4 and len(root.findall(".//g:edge", ns)) == 2
    res = runner.invoke(cli.app, ["export", "--format", "json", "--db", str(db)])
    data = json.loads(res.stdout)
    assert sorted(n["id"] for n in data["nodes"]) == ["country:ARD", "country:BEL", "country:COR", "country:DUN"]
    assert {(e["source"], e["type"], e["target"]) for e in data["edges"]} == {
        ("country:ARD", "MEETS", "country:BEL"), ("country:COR", "MEETS", "country:DUN")}


def test_usage_errors_exit_2(fake, tmp_path):
    assert runner.invoke(cli.app, ["ingest"]).exit_code == 2
    assert runner.invoke(cli.app, ["export", "--format", "pdf", "--db", str(tmp_path / "x.db")]).exit_code == 2
    assert runner.invoke(cli.app, ["nonsense"]).exit_code == 2


def test_missing_input_is_one_line_and_exit_1(fake, tmp_path):
    res = runner.invoke(cli.app, ["ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "g.db")])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: {tmp_path / 'nope.txt'}: no such file or directory"


def test_bad_store_is_one_line(fake, tmp_path, corpus):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 50)
    res = runner.invoke(cli.app, ["stats", "--db", str(bad)])
    assert res.exit_code == 1
    assert res.stderr.startswith(f"error: {bad}: cannot open the store:") and res.stderr.count("\n") == 1


def test_stdin_ingest(fake, tmp_path):
    res = runner.invoke(cli.app, ["ingest", "-", "--db", str(tmp_path / "g.db"), "--json"],
                        input="Ardor meets Belmark.\n")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["articles"]["new"] == 1
    assert [a.origin for a in Store(tmp_path / "g.db").articles()] == ["<stdin>"]


def test_the_same_article_from_two_files_is_stored_but_warned_about(fake, tmp_path):
    """Issue 16: a .txt copy and a JSON Lines line of one article (its title, another id) would double
    every count; one id from two files with two texts makes the later replace the earlier."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a-copy.txt").write_text("Ardor meets Belmark in Corvania\n\nArdor meets Belmark.\n", encoding="utf-8")
    (d / "b.jsonl").write_text(
        json.dumps({"id": "n1", "title": "ARDOR meets Belmark in Corvania!", "text": "Ardor meets Belmark."}) + "\n"
        + json.dumps({"id": "n2", "title": "Dunmere news", "text": "Corvania meets Dunmere."}) + "\n"
        + json.dumps({"id": "n2", "title": "Dunmere news", "text": "Corvania meets Dunmere again."}) + "\n"
        + json.dumps({"id": "n3", "title": "Dunmere news", "text": "Dunmere is quiet."}) + "\n",  # a short title
        encoding="utf-8")
    db = tmp_path / "g.db"
    res = runner.invoke(cli.app, ["ingest", str(d), "--db", str(db), "--json"])
    assert res.exit_code == 0  # a warning, not a failure: both can be meant
    with Store(db) as store:
        ids = sorted(a["id"] for a in store.article_rows())
    txt_id = "a-copy"  # a text file is named by its file name
    assert ids == sorted([txt_id, "n1", "n2", "n3"])
    warned = [
        f"{d / 'b.jsonl'}:1: same title as {d / 'a-copy.txt'} ('ARDOR meets Belmark in Corvania!') under another id "
        f"(n1 vs {txt_id}): the same article stored twice counts its relations twice",
        f"{d / 'b.jsonl'}:3: same article id 'n2' as {d / 'b.jsonl'}:2, another text: the later replaces the earlier "
        "in the store",
    ]
    assert res.stderr.splitlines() == [f"warning: {w}" for w in warned]
    assert [f"{w['origin']}: {w['message']}" for w in json.loads(res.stdout)["warnings"]] == warned


def test_an_edited_text_file_ingested_again_replaces_its_article(fake, corpus, tmp_path):
    """Issue 16: a .txt article's id is its file name, so the edited file updates its article and
    relations instead of adding a second copy; two text files with one name in two folders share it."""
    db = tmp_path / "g.db"
    (corpus / "two.jsonl").write_text(json.dumps({"id": "n2", "text": "Corvania meets Dunmere."}) + "\n")
    assert runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db)]).exit_code == 0
    (corpus / "one.txt").write_text("Ardor and Corvania\n\nArdor meets Corvania.\n", encoding="utf-8")
    res = runner.invoke(cli.app, ["ingest", str(corpus / "one.txt"), "--db", str(db), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["articles"] == {"new": 0, "replaced": 1, "unchanged": 0, "failed": 0}
    with Store(db) as store:
        assert sorted((a["id"], a["title"]) for a in store.article_rows()) == [
            ("n2", "Corvania meets Dunmere."), ("one", "Ardor and Corvania")]
        assert sorted((r.article_id, r.subject, r.object) for r in store.evidence()) == [
            ("n2", "country:COR", "country:DUN"), ("one", "country:ARD", "country:COR")]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "one.txt").write_text("Dunmere meets Belmark.\n", encoding="utf-8")
    res = runner.invoke(cli.app, ["ingest", str(corpus / "one.txt"), str(tmp_path / "other" / "one.txt"),
                                  "--db", str(db), "--json"])
    assert res.exit_code == 0
    assert res.stderr.splitlines() == [
        f"warning: {tmp_path / 'other' / 'one.txt'}: same article id 'one' as {corpus / 'one.txt'}, another text: "
        "the later replaces the earlier in the store"]
    with Store(db) as store:
        assert sorted(a["id"] for a in store.article_rows()) == ["n2", "one"]
